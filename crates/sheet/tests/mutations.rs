//! Small valid files mutated at random (with a fixed seed, so every run
//! tries the same cases): whatever the bytes, the reader returns rows or
//! errors and never panics. The fuzz target in `fuzz/` goes further; this
//! runs on stable in every test run.

use std::io::{Cursor, Write};

use qizhi_sheet::{Format, PEOPLE, read_bytes, write_to_vec};
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

/// xorshift64*: enough randomness for mutations, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces of spreadsheet markup and text worth dropping into a file.
const TOKENS: &[&str] = &[
    "<row r=\"",
    "</row>",
    "<c r=\"",
    "\" t=\"s\"><v>",
    "\" t=\"inlineStr\"><is><t>",
    "</t></is></c>",
    "<v>",
    "</v></c>",
    "XFD1048576",
    "ZZ200000",
    "A1:XFD1048576",
    "4294967295",
    "99999999999",
    "uniqueCount=\"",
    "<dimension ref=\"",
    "\" s=\"1\"",
    "t=\"e\"",
    "#N/A",
    "1E+308",
    "-0",
    "<![CDATA[",
    "&amp;",
    "&#0;",
    "\"",
    ",",
    "\n",
    "\r",
    "\t",
    "'=",
    "\u{feff}",
    "所在组织编码",
    "人员类别",
    "正式党员",
];

fn mutate(rng: &mut Rng, input: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(8) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] = rng.next() as u8;
            }
            2 => {
                let token = rng.pick(TOKENS).as_bytes().to_vec();
                out.splice(at..at, token);
            }
            3 if !out.is_empty() => {
                let end = (at + 1 + rng.below(64)).min(out.len());
                out.drain(at.min(end)..end);
            }
            4 if !out.is_empty() => {
                // Repeat a stretch, as runs of rows or cells would.
                let end = (at + 1 + rng.below(256)).min(out.len());
                let stretch = out[at.min(end)..end].to_vec();
                for _ in 0..1 + rng.below(8) {
                    out.splice(at..at, stretch.iter().copied());
                }
            }
            5 => out.truncate(at),
            6 => {
                let other = rng.pick(others);
                let from = rng.below(other.len());
                let end = (from + rng.below(512)).min(other.len());
                out.splice(at..at, other[from..end].iter().copied());
            }
            _ => {
                let digits = (rng.next() % 10_000_000_000).to_string();
                out.splice(at..at, digits.bytes());
            }
        }
    }
    out
}

/// Reads `bytes` as both formats; a panic fails the test, anything else passes.
fn read_both(bytes: &[u8]) -> usize {
    let mut rows = 0;
    for format in [Format::Xlsx, Format::Csv] {
        match read_bytes(bytes, format, &PEOPLE) {
            Ok(read) => {
                assert!(read.windows(2).all(|w| w[0].line < w[1].line));
                rows += read.len();
            }
            Err(e) => assert!(e.total() > 0, "a refusal says why"),
        }
    }
    rows
}

fn people(n: usize) -> Vec<Vec<String>> {
    (0..n)
        .map(|i| {
            vec![
                format!("FJ{i:02}"),
                format!("党员{i}"),
                "男".into(),
                "正式党员".into(),
                "2015-07-01".into(),
                "=支部委员".into(),
                String::new(),
                "13800138000".into(),
                String::new(),
            ]
        })
        .collect()
}

/// The parts of a small workbook, to mutate one before zipping them.
fn parts() -> Vec<(&'static str, String)> {
    let package = r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#;
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="人员" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let workbook_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let strings = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>所在组织编码</t></si><si><t>姓名</t></si><si><t>人员类别</t></si><si><r><t>张</t></r><r><t>三</t></r></si></sst>"#;
    let sheet = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="B2:D4"/><sheetData><row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c><c r="D2" t="s"><v>2</v></c></row><row r="4"><c r="B4"><v>101</v></c><c r="C4" t="s"><v>3</v></c><c r="D4" t="inlineStr"><is><t>预备党员</t></is></c></row></sheetData></worksheet>"#;
    vec![
        ("[Content_Types].xml", package.into()),
        ("_rels/.rels", rels.into()),
        ("xl/workbook.xml", workbook.into()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.into()),
        ("xl/sharedStrings.xml", strings.into()),
        ("xl/worksheets/sheet1.xml", sheet.into()),
    ]
}

fn zip_parts(parts: &[(&str, Vec<u8>)], method: CompressionMethod) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(method);
    for (name, data) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn mutated_files_give_rows_or_errors() {
    let stored: Vec<(&str, Vec<u8>)> = parts().into_iter().map(|(n, d)| (n, d.into_bytes())).collect();
    let seeds = vec![
        write_to_vec(Format::Xlsx, &PEOPLE, people(3)).unwrap(),
        write_to_vec(Format::Csv, &PEOPLE, people(3)).unwrap(),
        zip_parts(&stored, CompressionMethod::Stored),
        "所在组织编码,姓名,人员类别\n\n\"FJ\n01\",张三,党员\nFJ02,'=李四,群众\n".as_bytes().to_vec(),
    ];
    // The seeds themselves read.
    assert!(read_both(&seeds[0]) > 0 && read_both(&seeds[1]) > 0 && read_both(&seeds[2]) > 0);

    let mut rng = Rng(0x5EED_1E06_E75A_F00D);
    let mut read = 0;
    for case in 0..600 {
        let bytes = if case % 2 == 0 {
            // Any byte of the file.
            let seed = rng.pick(&seeds).clone();
            mutate(&mut rng, &seed, &seeds)
        } else {
            // One part's XML, zipped whole again, so the mutation reaches
            // the workbook reader instead of failing the archive's checksums.
            let mut mutated = stored.clone();
            let i = if rng.below(3) == 0 { rng.below(mutated.len()) } else { mutated.len() - 1 };
            mutated[i].1 = mutate(&mut rng, &mutated[i].1, &seeds);
            let method = if rng.below(2) == 0 { CompressionMethod::Stored } else { CompressionMethod::Deflated };
            zip_parts(&mutated, method)
        };
        read += read_both(&bytes);
    }
    // Some mutations leave a readable file: the cases reach past the checks.
    assert!(read > 0);
}
