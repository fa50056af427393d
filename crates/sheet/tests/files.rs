//! Whole files: written by this crate or by Excel-like tools, read back.

use qizhi_core::person::id_number_with_check;
use qizhi_sheet::{
    FileErrors, Format, PEOPLE, Row, UNITS, Writer, people, read_bytes, read_path, template, template_to_vec, units,
    write_to_vec,
};
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};

fn person(i: usize) -> Vec<String> {
    vec![
        format!("FJ{:04}", i % 179),
        format!("党员{i}"),
        if i.is_multiple_of(2) { "男" } else { "女" }.into(),
        "正式党员".into(),
        "2015-07-01".into(),
        "支部委员".into(),
        "1985-03-12".into(),
        format!("138{:08}", i),
        id_number_with_check(&format!("{:017}", 11010519491231002u64 + i as u64)),
    ]
}

fn texts(rows: &[Row], sheet: &qizhi_sheet::Sheet) -> Vec<Vec<String>> {
    rows.iter().map(|r| sheet.columns.iter().map(|c| r.text(c.key).to_string()).collect()).collect()
}

#[test]
fn round_trip_in_both_formats() {
    let mut rows: Vec<Vec<String>> = (0..50).map(person).collect();
    // Values that spreadsheets like to mangle.
    rows[0][7] = "13800138000".into();
    rows[0][8] = "11010519491231002X".into();
    rows[1][5] = "=SUM(A1:A2)".into();
    rows[2][5] = "书记, \"兼\" 委员\n第二行".into();
    rows[3][2] = String::new();
    for format in [Format::Xlsx, Format::Csv] {
        let bytes = write_to_vec(format, &PEOPLE, &rows).unwrap();
        let back = read_bytes(&bytes, format, &PEOPLE).unwrap();
        assert_eq!(texts(&back, &PEOPLE), rows, "{format:?}");
        let lines: Vec<_> = back.iter().map(|r| r.line).collect();
        assert_eq!(lines, (2..52).collect::<Vec<_>>(), "{format:?}");
        assert_eq!(people(&back).unwrap().len(), 50);
    }
}

#[test]
fn the_eighteen_digit_id_stays_text() {
    let mut row = person(0);
    row[7] = "13800138000".into();
    row[8] = "110105194912310021".into();
    for format in [Format::Xlsx, Format::Csv] {
        let bytes = write_to_vec(format, &PEOPLE, [&row]).unwrap();
        let back = read_bytes(&bytes, format, &PEOPLE).unwrap();
        assert_eq!(back[0].text("phone"), "13800138000");
        assert_eq!(back[0].text("id_number"), "110105194912310021");
    }
}

#[test]
fn files_on_disk_and_templates_are_read_back() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    for ext in ["xlsx", "csv"] {
        let path = dir.join(format!("units-export.{ext}"));
        let mut w = Writer::create(&path, &UNITS).unwrap();
        w.row(&["G", "集团党组", "", "党组", "", "", "", "正常"]).unwrap();
        w.row(&["FJ", "福建省委", "", "党委", "G", "3", "2001-07-01", ""]).unwrap();
        assert_eq!(w.rows_written(), 2);
        w.finish().unwrap();
        let rows = read_path(&path, &UNITS).unwrap();
        let units = units(&rows).unwrap();
        assert_eq!(units[1].1.parent_code.as_deref(), Some("G"));
        assert_eq!(units[1].1.fields.sort_order, 3);

        let blank = dir.join(format!("units-template.{ext}"));
        template(&blank, &UNITS).unwrap();
        assert!(read_path(&blank, &UNITS).unwrap().is_empty());
    }
}

#[test]
fn templates_mark_required_columns_and_explain_them() {
    let csv = template_to_vec(Format::Csv, &PEOPLE).unwrap();
    let text = std::str::from_utf8(&csv).unwrap();
    assert!(text.starts_with("\u{feff}所在组织编码*,姓名*,性别,人员类别*,"), "{text}");

    use calamine::{Reader, Xlsx, open_workbook_from_rs};
    let xlsx = template_to_vec(Format::Xlsx, &PEOPLE).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    assert_eq!(book.sheet_names(), ["人员", "说明"]);
    let notes = book.worksheet_range("说明").unwrap();
    let id = notes.rows().find(|r| r.get(1).map(|c| c.to_string()) == Some("id_number".into())).unwrap();
    assert_eq!(id[0].to_string(), "身份证号");
    assert_eq!(id[2].to_string(), "选填");
}

#[test]
fn csv_output_starts_with_a_bom() {
    let bytes = write_to_vec(Format::Csv, &UNITS, Vec::<Vec<String>>::new()).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF\xE7\xBB\x84"), "{bytes:?}"); // BOM, then 组
    // Read back with and without the BOM.
    assert!(read_bytes(&bytes, Format::Csv, &UNITS).unwrap().is_empty());
    assert!(read_bytes(&bytes[3..], Format::Csv, &UNITS).unwrap().is_empty());
}

#[test]
fn english_and_marked_headers_are_accepted_in_any_order() {
    let csv = "Name,KIND,code*,组织编码（必填）\n";
    let e = read_bytes(csv.as_bytes(), Format::Csv, &UNITS).unwrap_err();
    assert!(e.errors[0].message.contains("重复"), "{e}");

    let csv = "Name, KIND ,parent code,code*\n福建省委,党委,G,FJ\n";
    let rows = read_bytes(csv.as_bytes(), Format::Csv, &UNITS).unwrap();
    assert_eq!(rows[0].text("code"), "FJ");
    assert_eq!(rows[0].text("parent_code"), "G");
    // Errors use the file's letters: code is in column D here.
    let e = units(&[rows[0].clone(), rows[0].clone()]).unwrap_err();
    assert_eq!(e.errors[0].to_string().split('：').next(), Some("第 2 行 D 列（组织编码）"));
}

#[test]
fn unknown_and_missing_headers_stop_the_read() {
    let csv = "组织编码,组织名称,职级,上级组织编码\nFJ,福建,x,G\n";
    let e: FileErrors = read_bytes(csv.as_bytes(), Format::Csv, &UNITS).unwrap_err();
    let found: Vec<_> = e.errors.iter().map(|e| (e.line, e.column.as_str(), e.header.as_str())).collect();
    assert_eq!(found, [(1, "C", "职级"), (1, "", "组织类别")], "{e}");
    assert!(e.to_string().contains("第 1 行 C 列（职级）：无法识别的表头"), "{e}");
    assert!(e.to_string().contains("缺少必填列 “组织类别”"), "{e}");
}

#[test]
fn a_bad_row_is_named_by_line_and_column() {
    let mut rows: Vec<Vec<String>> = (0..5).map(person).collect();
    rows[3][3] = "党外".into(); // 人员类别, column D, row 5
    rows[3][4] = "2015-02-30".into(); // 入党日期, column E
    let bytes = write_to_vec(Format::Xlsx, &PEOPLE, &rows).unwrap();
    let e = people(&read_bytes(&bytes, Format::Xlsx, &PEOPLE).unwrap()).unwrap_err();
    let text = e.to_string();
    assert_eq!(e.errors.len(), 2, "{text}");
    assert!(text.starts_with("第 5 行 D 列（人员类别）：未知的人员类别 “党外”"), "{text}");
    assert!(text.contains("\n第 5 行 E 列（入党日期）："), "{text}");
}

/// A workbook as Excel saves it when people type numbers and dates, with or
/// without an ID number typed as a number.
fn typed_workbook(long_number: bool) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let date = CellFormat::new().set_num_format("yyyy-mm-dd");
    let chinese_date = CellFormat::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    let headers = ["所在组织编码", "姓名", "人员类别", "入党日期", "出生日期", "联系电话", "身份证号"];
    for (col, h) in headers.iter().enumerate() {
        ws.write_string(0, col as u16, *h).unwrap();
    }
    ws.write_number(1, 0, 101).unwrap(); // a unit code typed as a number
    ws.write_string(1, 1, " 张三 ").unwrap();
    ws.write_string(1, 2, "预备党员").unwrap();
    let joined = ExcelDateTime::from_ymd(2024, 7, 1).unwrap();
    ws.write_datetime_with_format(1, 3, &joined, &date).unwrap();
    ws.write_number_with_format(1, 4, 31118.0, &chinese_date).unwrap();
    ws.write_number(1, 5, 13800138000.0).unwrap();
    ws.write_string(1, 6, "11010519491231002X").unwrap();
    if long_number {
        // Excel keeps only 15 digits of an ID number typed as a number.
        ws.write_string(3, 1, "李四").unwrap();
        ws.write_number(3, 6, 110105194912310021.0).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn numbers_and_dates_typed_in_excel_read_as_text() {
    let rows = read_bytes(&typed_workbook(false), Format::Xlsx, &PEOPLE).unwrap();
    let r = &rows[0];
    assert_eq!(r.text("unit_code"), "101");
    assert_eq!(r.text("name"), "张三");
    assert_eq!(r.text("join_date"), "2024-07-01");
    assert_eq!(r.text("birth_date"), "1985-03-12");
    assert_eq!(r.text("phone"), "13800138000");
    assert_eq!(r.text("id_number"), "11010519491231002X");
}

#[test]
fn numbers_beyond_fifteen_digits_are_refused() {
    let e = read_bytes(&typed_workbook(true), Format::Xlsx, &PEOPLE).unwrap_err();
    assert_eq!(e.total(), 1, "{e}");
    assert_eq!((e.errors[0].line, e.errors[0].column.as_str()), (4, "G"));
    assert!(e.to_string().starts_with("第 4 行 G 列（身份证号）：数字"), "{e}");
}

#[test]
fn ten_thousand_rows_with_one_bad_one_give_one_error() {
    let mut rows: Vec<Vec<String>> = (0..10_000).map(person).collect();
    rows[6789][0] = "FJ 01".into(); // a unit code with a space, row 6791, column A
    for format in [Format::Xlsx, Format::Csv] {
        let bytes = write_to_vec(format, &PEOPLE, &rows).unwrap();
        let read = read_bytes(&bytes, format, &PEOPLE).unwrap();
        assert_eq!(read.len(), 10_000);
        let e = people(&read).unwrap_err();
        assert_eq!(e.total(), 1, "{e}");
        assert_eq!((e.errors[0].line, e.errors[0].column.as_str()), (6791, "A"), "{format:?}");
    }
}

/// Streams a million rows to disk; memory stays flat (run with `--ignored`
/// under `/usr/bin/time -v` to see the peak).
#[test]
#[ignore]
fn a_million_rows_stream_to_xlsx() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("million.xlsx");
    let mut w = Writer::create(&path, &PEOPLE).unwrap();
    let row = person(1);
    for _ in 0..1_000_000 {
        w.row(&row).unwrap();
    }
    w.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > 1_000_000);
}
