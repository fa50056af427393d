//! Hostile files are refused within bounded memory: cells at the far corner
//! of a worksheet, a used range that lies, zip bombs, too many rows. Each
//! case asserts a clear message and that reading it grew this process's
//! peak memory by little.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::sync::Mutex;

use qizhi_sheet::limits::{MAX_COLUMNS, MAX_ROWS};
use qizhi_sheet::{FileErrors, Format, PEOPLE, Row, read_bytes};
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

/// Memory is measured per case, so cases do not run side by side.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The resident memory of this process in KiB: now (`VmRSS`) or at its
/// peak (`VmHWM`).
fn rss_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap_or("");
    line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// Reads `bytes` and returns the result with how much the peak resident
/// memory grew over the memory resident before, in MiB.
fn read_measured(bytes: &[u8], format: Format) -> (Result<Vec<Row>, FileErrors>, u64) {
    // Resets the peak to the current size (Linux 4.0+); when refused, the
    // peak only overstates the growth.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = rss_kib("VmRSS:");
    let result = read_bytes(bytes, format, &PEOPLE);
    let grown = rss_kib("VmHWM:").saturating_sub(before) / 1024;
    (result, grown)
}

/// Asserts the file is refused with one message containing every part of
/// `expected`, its peak memory growth below `mib`.
fn assert_refused(bytes: &[u8], format: Format, expected: &[&str], mib: u64) -> String {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (result, grown) = read_measured(bytes, format);
    let e = result.expect_err("the file must be refused");
    let text = e.to_string();
    assert_eq!(e.total(), 1, "{text}");
    for part in expected {
        assert!(text.contains(part), "expected {part:?} in: {text}");
    }
    assert!(grown < mib, "reading took {grown} MiB more (at most {mib}): {text}");
    text
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="人员" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

/// A worksheet part with these rows: `(row number, [(cell reference, text)])`.
fn sheet_xml(dimension: &str, rows: &[(u32, &[(&str, &str)])]) -> String {
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>"#
    );
    for (r, cells) in rows {
        xml.push_str(&format!(r#"<row r="{r}">"#));
        for (at, text) in *cells {
            xml.push_str(&format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#));
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// A workbook written part by part, as small as Excel still opens: the
/// package parts, then `parts` as given (the worksheet among them).
fn workbook(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let package: [(&str, &[u8]); 4] = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
    ];
    for (name, data) in package.iter().chain(parts) {
        zip.start_file(*name, deflated).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn xlsx(sheet: &str) -> Vec<u8> {
    workbook(&[("xl/worksheets/sheet1.xml", sheet.as_bytes())])
}

const HEADER: &[(&str, &str)] = &[("A1", "所在组织编码"), ("B1", "姓名"), ("C1", "人员类别")];

/// Rewrites the uncompressed size `name` declares, in its local header and
/// in the central directory, as a crafted archive would.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for at in 0..zip.len().saturating_sub(46) {
        let (size_at, name_len_at, name_at) = match &zip[at..at + 4] {
            b"PK\x03\x04" => (at + 22, at + 26, at + 30),
            b"PK\x01\x02" => (at + 24, at + 28, at + 46),
            _ => continue,
        };
        let len = u16::from_le_bytes([zip[name_len_at], zip[name_len_at + 1]]) as usize;
        if zip.get(name_at..name_at + len) == Some(name.as_bytes()) {
            zip[size_at..size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "{name} has a local and a central header");
}

/// A worksheet part of `spaces` bytes of white space between its tags, as
/// a zip bomb would be: written a MiB at a time, so only the compressed
/// archive is ever held.
fn padded_workbook(spaces: usize) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, data) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ] {
        zip.start_file(name, deflated).unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", deflated).unwrap();
    let sheet = sheet_xml("A1:C1", &[(1, HEADER)]);
    let (head, tail) = sheet.split_at(sheet.find("<row").unwrap());
    zip.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b' '; 1 << 20];
    let mut left = spaces;
    while left > 0 {
        let n = left.min(chunk.len());
        zip.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    zip.write_all(tail.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_minimal_workbook_is_read() {
    let sheet = sheet_xml("A1:C2", &[(1, HEADER), (2, &[("A2", "FJ01"), ("B2", "张三"), ("C2", "党员")])]);
    let rows = read_bytes(&xlsx(&sheet), Format::Xlsx, &PEOPLE).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].line, rows[0].text("name")), (2, "张三"));
}

#[test]
fn a_header_away_from_a1_keeps_its_letters_and_row_numbers() {
    // Header in row 2 from column B; row 4 empty; an error in row 5 column D.
    let header: &[(&str, &str)] = &[("B2", "所在组织编码"), ("C2", "姓名"), ("D2", "人员类别")];
    let sheet = sheet_xml(
        "B2:D5",
        &[
            (2, header),
            (3, &[("B3", "FJ01"), ("C3", "张三"), ("D3", "党员")]),
            (4, &[("C4", " ")]),
            (5, &[("B5", "FJ01"), ("C5", "李四"), ("D5", "党外")]),
        ],
    );
    let rows = read_bytes(&xlsx(&sheet), Format::Xlsx, &PEOPLE).unwrap();
    assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [3, 5]);
    let e = qizhi_sheet::people(&rows).unwrap_err();
    assert_eq!((e.errors[0].line, e.errors[0].column.as_str()), (5, "D"), "{e}");
}

#[test]
fn a_cell_in_the_last_corner_of_the_worksheet_is_refused() {
    let corner: &[(&str, &str)] = &[("XFD1048576", "x")];
    // As declared: refused before a cell is read.
    let sheet = sheet_xml("A1:XFD1048576", &[(1, HEADER), (1_048_576, corner)]);
    assert_refused(&xlsx(&sheet), Format::Xlsx, &["A1:XFD1048576", "XFD", &MAX_COLUMNS.to_string()], 64);
    // Alone in the worksheet.
    let sheet = sheet_xml("XFD1048576", &[(1_048_576, corner)]);
    assert_refused(&xlsx(&sheet), Format::Xlsx, &["XFD1048576", "16,384"], 64);
    // With a used range that lies: refused when the cell comes.
    let sheet = sheet_xml("A1:C2", &[(1, HEADER), (1_048_576, corner)]);
    assert_refused(&xlsx(&sheet), Format::Xlsx, &["第 1048576 行 XFD 列", "16384"], 64);
    // And with no used range declared at all.
    let sheet = sheet_xml("A1", &[(1, HEADER), (1_048_576, corner)]).replace(r#"<dimension ref="A1"/>"#, "");
    assert_refused(&xlsx(&sheet), Format::Xlsx, &["第 1048576 行 XFD 列"], 64);
}

#[test]
fn a_cell_far_right_and_down_is_refused() {
    let far: &[(&str, &str)] = &[("ZZ200000", "x")];
    let sheet = sheet_xml("A1:ZZ200000", &[(1, HEADER), (200_000, far)]);
    assert_refused(&xlsx(&sheet), Format::Xlsx, &["A1:ZZ200000", "ZZ", "702"], 64);
    let sheet = sheet_xml("A1:C1", &[(1, HEADER), (200_000, far)]);
    assert_refused(&xlsx(&sheet), Format::Xlsx, &["第 200000 行 ZZ 列"], 64);
}

#[test]
fn a_used_range_of_more_rows_than_the_limit_is_refused() {
    let sheet = sheet_xml("A1:C1048576", &[(1, HEADER), (1_048_576, &[("A1048576", "FJ01")])]);
    assert_refused(&xlsx(&sheet), Format::Xlsx, &["A1:C1048576", "1,048,576", "1,000,000"], 64);
}

#[test]
fn rows_out_of_order_are_refused() {
    let sheet = sheet_xml(
        "A1:C3",
        &[(1, HEADER), (3, &[("A3", "FJ01"), ("B3", "张三"), ("C3", "党员")]), (2, &[("A2", "FJ01")])],
    );
    assert_refused(&xlsx(&sheet), Format::Xlsx, &["第 2 行出现在第 3 行之后"], 64);
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    // 64 MiB of white space inflated from about 64 KB.
    let bomb = padded_workbook(64 << 20);
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    assert_refused(&bomb, Format::Xlsx, &["xl/worksheets/sheet1.xml", "倍", "200"], 32);

    // Declaring 600 MB for the same data: refused on the declaration.
    let mut declared = bomb.clone();
    declare_size(&mut declared, "xl/worksheets/sheet1.xml", 600_000_000);
    assert_refused(&declared, Format::Xlsx, &["572.2 MiB"], 32);

    // Declaring a few KB instead: the ratio looks harmless, but inflating
    // stops at the declared size.
    let mut small = bomb;
    declare_size(&mut small, "xl/worksheets/sheet1.xml", 4_096);
    assert_refused(&small, Format::Xlsx, &["无法读取第一个工作表"], 32);
}

#[test]
fn parts_declaring_more_than_the_limit_in_all_are_refused() {
    // Parts of incompressible bytes that declare 200 MB each: no ratio
    // stands out, but six of them pass 1 GiB.
    let mut noise = vec![0u8; 1_500_000];
    let mut x: u32 = 12_345;
    for b in &mut noise {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x as u8;
    }
    let names: Vec<String> = (1..=6).map(|i| format!("xl/media/image{i}.bin")).collect();
    let sheet = sheet_xml("A1:C1", &[(1, HEADER)]);
    let mut parts: Vec<(&str, &[u8])> = vec![("xl/worksheets/sheet1.xml", sheet.as_bytes())];
    parts.extend(names.iter().map(|n| (n.as_str(), noise.as_slice())));
    let mut file = workbook(&parts);
    for name in &names {
        declare_size(&mut file, name, 200_000_000);
    }
    assert_refused(&file, Format::Xlsx, &["1,144.4 MiB", "1,024.0 MiB"], 32);
}

#[test]
fn shared_strings_announcing_too_many_strings_are_refused() {
    let sheet = sheet_xml("A1:C1", &[(1, HEADER)]);
    let strings = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="99999999999"><si><t>x</t></si></sst>"#;
    let file =
        workbook(&[("xl/worksheets/sheet1.xml", sheet.as_bytes()), ("xl/sharedStrings.xml", strings.as_bytes())]);
    assert_refused(&file, Format::Xlsx, &["99,999,999,999", "16,000,000"], 32);
}

#[test]
fn a_csv_over_the_row_limit_is_refused_with_its_count() {
    let mut csv = String::from("所在组织编码,姓名,人员类别\n");
    for _ in 0..MAX_ROWS + 2 {
        csv.push_str("a,b,c\n");
    }
    assert_refused(csv.as_bytes(), Format::Csv, &["1,000,002", "1,000,000"], 32);
}

#[test]
fn csv_cells_beyond_the_last_column_or_too_long_are_refused() {
    let far = format!("所在组织编码,姓名,人员类别\nFJ01,张三,党员{}x\n", ",".repeat(MAX_COLUMNS - 2));
    assert_refused(far.as_bytes(), Format::Csv, &["第 2 行 IW 列", "257"], 32);

    let long = format!("所在组织编码,姓名,人员类别\nFJ01,{},党员\n", "长".repeat(40_000));
    let e = read_bytes(long.as_bytes(), Format::Csv, &PEOPLE).unwrap_err();
    assert_eq!((e.errors[0].line, e.errors[0].column.as_str()), (2, "B"), "{e}");
    assert!(e.to_string().contains("40,000 个字符"), "{e}");
    // Empty cells beyond the last column are nothing to refuse.
    let empty = format!("所在组织编码,姓名,人员类别\nFJ01,张三,党员{}\n", ",".repeat(MAX_COLUMNS + 10));
    assert_eq!(read_bytes(empty.as_bytes(), Format::Csv, &PEOPLE).unwrap().len(), 1);
}

#[test]
fn rows_built_in_code_still_read_as_given() {
    let row = Row::new(2, BTreeMap::from([("name", "张三".to_string()), ("post", String::new())]));
    assert_eq!((row.get("name"), row.get("post"), row.get("phone")), (Some("张三"), Some(""), None));
}

#[test]
fn an_archive_declaring_too_many_parts_is_refused_before_its_directory_is_read() {
    let mut file = xlsx(&sheet_xml("A1:C1", &[(1, HEADER)]));
    let end = file.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
    for at in [end + 8, end + 10] {
        file[at..at + 2].copy_from_slice(&60_000u16.to_le_bytes());
    }
    assert_refused(&file, Format::Xlsx, &["60,000", "10,000"], 32);
}

#[test]
fn a_cell_too_long_for_excel_is_refused_without_repeating_it() {
    let long = "x".repeat(100_000);
    let header: &[(&str, &str)] = &[("A1", "所在组织编码"), ("B1", &long), ("C1", "人员类别")];
    let e = read_bytes(&xlsx(&sheet_xml("A1:C1", &[(1, header)])), Format::Xlsx, &PEOPLE).unwrap_err();
    let text = e.to_string();
    assert!(text.starts_with("第 1 行 B 列：单元格有 100,000 个字符"), "{}", &text[..200.min(text.len())]);
    assert!(text.len() < 1_000, "{} bytes", text.len());
}
