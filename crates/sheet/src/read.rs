//! Reading a ledger from an .xlsx or .csv file into rows keyed by column.
//!
//! The first non-empty row is the header. Every header must name a column of
//! the sheet and every required column must be present; otherwise nothing is
//! read, since a misread header would put values into the wrong fields.
//!
//! Files are read a row at a time within the limits of [`crate::limits`],
//! checked before the memory they guard is spent.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use crate::cell::limited;
use crate::columns::Sheet;
use crate::error::{CellError, FileErrors, column_letter};
use crate::format::Format;
use crate::limits::{MAX_COLUMNS, MAX_ROWS, thousands};
use crate::row::{Layout, Row, offset};

mod xlsx;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Old binary Excel files and password-protected workbooks are OLE containers.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0";

/// Reads a ledger file, its format chosen by the extension.
pub fn read_path(path: &Path, sheet: &Sheet) -> Result<Vec<Row>, FileErrors> {
    let format = Format::from_path(path).map_err(|e| FileErrors::file(e.to_string()))?;
    let bytes = std::fs::read(path)
        .map_err(|e| FileErrors::file(format!("无法读取文件 {}：{e} (cannot read the file)", path.display())))?;
    read_bytes(&bytes, format, sheet)
}

/// Reads a ledger from the bytes of an uploaded file.
///
/// A zip archive is read as xlsx whatever `format` says, since browsers and
/// users sometimes mislabel files; other mismatches are reported.
pub fn read_bytes(bytes: &[u8], format: Format, sheet: &Sheet) -> Result<Vec<Row>, FileErrors> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(FileErrors::file(
            "这是旧版 .xls 文件或设置了密码的 Excel 文件：请去掉密码并另存为 .xlsx 后再导入 \
             (old .xls or password-protected workbook: save as an unprotected .xlsx)",
        ));
    }
    let mut assembler = Assembler::new(sheet);
    if bytes.starts_with(ZIP_MAGIC) {
        xlsx::read(bytes, &mut assembler)?;
    } else if format == Format::Xlsx {
        return Err(FileErrors::file(
            "不是有效的 .xlsx 文件，请在 Excel 或 WPS 中另存为 .xlsx 后再导入 \
             (not a valid .xlsx file)",
        ));
    } else {
        read_csv(bytes, &mut assembler)?;
    }
    assembler.finish()
}

fn read_csv(bytes: &[u8], assembler: &mut Assembler) -> Result<(), FileErrors> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
        FileErrors::from(CellError {
            line,
            ..CellError::file(
                "文件不是 UTF-8 编码（可能是 GBK/ANSI）：请将文件另存为 UTF-8 编码的 CSV\
                 （Excel：另存为 “CSV UTF-8(逗号分隔)”），或直接导入 .xlsx 文件 \
                 (the file is not UTF-8: save it as CSV UTF-8)",
            )
        })
    })?;
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    // Excel's "Unicode text" export is tab-separated.
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') { b'\t' } else { b',' };
    let builder = || {
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes())
    };
    // The records are counted first, which is quick, so a file of too many
    // rows is refused before any is kept.
    let records = count_records(builder());
    if records > MAX_ROWS + 1 {
        return Err(too_many_rows(records - 1));
    }
    let mut reader = builder();
    let mut record = csv::StringRecord::new();
    // The parser counts physical lines; Excel shows a quoted cell with line
    // breaks as one row, so those breaks are subtracted.
    let mut breaks_in_cells = 0;
    // Line breaks are counted here, as Excel counts them (a lone CR is one
    // too, which the parser's own line numbers leave out): up to `counted.0`
    // the text has `counted.1` lines.
    let mut counted = (0, 1);
    let mut line_at = |byte: usize| {
        let byte = byte.clamp(counted.0, text.len());
        counted = (byte, counted.1 + breaks(text.as_bytes(), counted.0, byte));
        counted.1
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(e) => {
                let line = e.position().map(|p| line_at(p.byte() as usize)).unwrap_or(0);
                return Err(FileErrors::from(CellError {
                    line: line.saturating_sub(breaks_in_cells).max(1),
                    ..CellError::file(format!("无法解析 CSV：{e} (malformed CSV)"))
                }));
            }
        }
        let physical = record
            .position()
            .map(|p| {
                let byte = p.byte() as usize;
                start_line(text, byte, line_at(byte))
            })
            .unwrap_or(1);
        let line = physical.saturating_sub(breaks_in_cells).max(1);
        breaks_in_cells += record.iter().map(|f| breaks(f.as_bytes(), 0, f.len())).sum::<usize>();
        let texts = record.iter().map(|f| limited(unguard(f.trim()).trim())).collect();
        assembler.push(line, texts)?;
    }
}

/// The records with any text, the header among them; counting stops at a
/// malformed record, which reading then reports.
fn count_records(mut reader: csv::Reader<&[u8]>) -> usize {
    let mut record = csv::ByteRecord::new();
    let mut n = 0;
    while let Ok(true) = reader.read_byte_record(&mut record) {
        // The text is UTF-8, so a field is blank exactly when its bytes are.
        if record.iter().any(|f| !f.trim_ascii().is_empty() && !is_blank(f)) {
            n += 1;
        }
    }
    n
}

/// Whether UTF-8 text is only white space (beyond ASCII too, as `trim` sees it).
fn is_blank(field: &[u8]) -> bool {
    std::str::from_utf8(field).is_ok_and(|t| t.trim().is_empty())
}

/// The line breaks in `bytes[from..to]`: LF, CR LF and a lone CR each count
/// once (a CR is counted at its LF, which may lie past `to`).
fn breaks(bytes: &[u8], from: usize, to: usize) -> usize {
    (from..to).filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).count()
}

/// The line a record starts on. The parser reports the position where it
/// began looking, before the empty lines it skips; those are counted here.
fn start_line(text: &str, mut byte: usize, mut line: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(byte) {
        match b {
            b'\n' => line += 1,
            // A lone CR ends a line too; CR LF counts once, at the LF.
            b'\r' if bytes.get(byte + 1) != Some(&b'\n') => line += 1,
            b'\r' => {}
            _ => break,
        }
        byte += 1;
    }
    line
}

/// Undoes the quote exports put before text that Excel would run as a
/// formula (see `write::guard`).
fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

/// The header found, and what each file column holds.
struct Header {
    layout: Arc<Layout>,
    /// The column key of each file column; `None` for columns with an empty header.
    keys: Vec<Option<&'static str>>,
    /// The slot of each file column in the rows' layout; `None` for columns
    /// that are not part of it.
    slots: Vec<Option<usize>>,
}

/// Turns the rows of a file, whatever its format, into `Row`s.
struct Assembler<'s> {
    sheet: &'s Sheet,
    header: Option<Header>,
    rows: Vec<Row>,
    /// Data rows seen, kept or not: past [`MAX_ROWS`] they are only counted.
    data_rows: usize,
    errors: FileErrors,
    /// Headerless columns already reported, so each is reported once.
    headerless: BTreeSet<usize>,
    /// The text and slot ends of the row being built, reused for every row.
    text: String,
    ends: Vec<u32>,
}

type Cell = Result<String, String>;

fn is_empty(cell: &Cell) -> bool {
    matches!(cell, Ok(t) if t.is_empty())
}

/// The refusal of a file of more than [`MAX_ROWS`] data rows.
fn too_many_rows(data_rows: usize) -> FileErrors {
    FileErrors::file(format!(
        "文件有 {} 行数据，超过了每次导入最多 {} 行的上限：请分成几个文件分别导入 \
         (the file has {} data rows, more than the limit of {}: split it into several files)",
        thousands(data_rows as u64),
        thousands(MAX_ROWS as u64),
        thousands(data_rows as u64),
        thousands(MAX_ROWS as u64),
    ))
}

/// The refusal of a cell with content right of the last column read.
fn beyond_columns(line: usize, index: usize) -> FileErrors {
    FileErrors::from(CellError {
        line,
        column: column_letter(index),
        header: String::new(),
        message: format!(
            "超出了可读取的范围：台账最多读取 {MAX_COLUMNS} 列（A 到 {} 列），这是第 {} 列。\
             台账的列都在此范围内，请删除此处多余的内容 \
             (a cell in column {} (number {}): at most {MAX_COLUMNS} columns are read, up to {}; delete it)",
            column_letter(MAX_COLUMNS - 1),
            index + 1,
            column_letter(index),
            index + 1,
            column_letter(MAX_COLUMNS - 1),
        ),
    })
}

impl<'s> Assembler<'s> {
    fn new(sheet: &'s Sheet) -> Self {
        Self {
            sheet,
            header: None,
            rows: Vec::new(),
            data_rows: 0,
            errors: FileErrors::new(),
            headerless: BTreeSet::new(),
            text: String::new(),
            ends: Vec::new(),
        }
    }

    /// Takes one row of the file; `line` is its Excel row number. Fails when
    /// the header is wrong or a cell lies beyond [`MAX_COLUMNS`], which ends
    /// reading.
    fn push(&mut self, line: usize, mut cells: Vec<Cell>) -> Result<(), FileErrors> {
        for cell in &mut cells {
            if let Ok(text) = cell
                && let Some(message) = qizhi_core::text::refusal(text)
            {
                *cell = Err(message);
            }
        }
        if cells.iter().all(is_empty) {
            return Ok(());
        }
        if let Some(i) = (MAX_COLUMNS..cells.len()).find(|&i| !is_empty(&cells[i])) {
            return Err(beyond_columns(line, i));
        }
        if self.header.is_none() {
            self.header = Some(self.header_row(line, cells)?);
            return Ok(());
        }
        self.data_rows += 1;
        if self.data_rows > MAX_ROWS {
            // Only counted from here on, so the refusal can say how many.
            if !self.rows.is_empty() {
                self.rows = Vec::new();
                self.errors = FileErrors::new();
            }
            return Ok(());
        }
        self.data_row(line, cells);
        Ok(())
    }

    fn header_row(&self, line: usize, cells: Vec<Cell>) -> Result<Header, FileErrors> {
        let sheet = self.sheet;
        let mut errors = FileErrors::new();
        let mut keys = Vec::with_capacity(cells.len());
        let mut slots = Vec::with_capacity(cells.len());
        let mut layout = Layout::default();
        let expected = || sheet.columns.iter().map(|c| c.zh).collect::<Vec<_>>().join("、");
        for (i, cell) in cells.into_iter().enumerate() {
            let text = match cell {
                Ok(text) => text,
                Err(message) => {
                    errors.push(CellError { line, column: column_letter(i), header: String::new(), message });
                    keys.push(None);
                    slots.push(None);
                    continue;
                }
            };
            if text.is_empty() {
                keys.push(None);
                slots.push(None);
                continue;
            }
            let error = |message: String| CellError { line, column: column_letter(i), header: text.clone(), message };
            let matched = sheet.match_header(&text);
            let mut slot = None;
            match matched {
                None => errors.push(error(format!(
                    "无法识别的表头 “{text}”。{}表的列为：{} (unknown column)",
                    sheet.zh,
                    expected()
                ))),
                Some(c) => {
                    if let Some(&(_, first)) = layout.columns.iter().find(|(k, _)| *k == c.key) {
                        errors.push(error(format!(
                            "与 {} 列重复，都是 “{}” (duplicate column)",
                            column_letter(first),
                            c.zh
                        )));
                    } else {
                        slot = Some(layout.columns.len());
                        layout.columns.push((c.key, i));
                    }
                }
            }
            keys.push(matched.map(|c| c.key));
            slots.push(slot);
        }
        if layout.columns.is_empty() {
            // Nothing matched: listing every cell would bury the likely cause.
            return Err(FileErrors::from(CellError {
                line,
                ..CellError::file(format!(
                    "这一行应为表头，但没有一列能识别。{}表的列为：{}。\
                     请确认选择了正确的台账类型；如表头上方有标题行，请删除标题行 \
                     (no known column in the header row: wrong ledger kind, or a title row above the header?)",
                    sheet.zh,
                    expected()
                ))
            }));
        }
        for c in sheet.columns.iter().filter(|c| c.required) {
            if !layout.columns.iter().any(|(k, _)| *k == c.key) {
                errors.push(CellError {
                    line,
                    column: String::new(),
                    header: c.zh.to_string(),
                    message: format!(
                        "缺少必填列 “{}”（表头可写 {} 或 {}）(missing required column {})",
                        c.zh, c.zh, c.key, c.key
                    ),
                });
            }
        }
        errors.into_result(Header { layout: Arc::new(layout), keys, slots })
    }

    fn data_row(&mut self, line: usize, cells: Vec<Cell>) {
        let Some(header) = &self.header else {
            return;
        };
        // The slots follow the file's column order, so the text of each is
        // appended as its column comes.
        self.text.clear();
        self.ends.clear();
        for (i, cell) in cells.into_iter().enumerate() {
            let slot = header.slots.get(i).copied().flatten();
            match (header.keys.get(i).copied().flatten(), cell) {
                (Some(_), Ok(text)) => {
                    if let Some(slot) = slot {
                        while self.ends.len() < slot {
                            self.ends.push(offset(self.text.len()));
                        }
                        self.text.push_str(&text);
                        self.ends.push(offset(self.text.len()));
                    }
                }
                (Some(key), Err(message)) => self.errors.push(CellError {
                    line,
                    column: column_letter(i),
                    header: self.sheet.column(key).map(|c| c.zh).unwrap_or(key).to_string(),
                    message,
                }),
                (None, Ok(text)) if text.is_empty() => {}
                (None, _) => {
                    if self.headerless.insert(i) {
                        self.errors.push(CellError {
                            line,
                            column: column_letter(i),
                            header: String::new(),
                            message: "此列没有表头，无法识别其中的内容：请补上表头或删除该列内容 \
                                      (this column has no header)"
                                .into(),
                        });
                    }
                }
            }
        }
        while self.ends.len() < header.layout.columns.len() {
            self.ends.push(offset(self.text.len()));
        }
        self.rows.push(Row::from_file(line, Arc::clone(&header.layout), &self.text, &self.ends));
    }

    fn finish(self) -> Result<Vec<Row>, FileErrors> {
        if self.header.is_none() {
            return Err(FileErrors::file(format!(
                "文件是空的：第一行应为表头（{}）(the file is empty)",
                self.sheet.headers().join("、")
            )));
        }
        if self.data_rows > MAX_ROWS {
            return Err(too_many_rows(self.data_rows));
        }
        self.errors.into_result(self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::{PEOPLE, UNITS};

    fn csv(text: &str) -> Result<Vec<Row>, FileErrors> {
        read_bytes(text.as_bytes(), Format::Csv, &UNITS)
    }

    #[test]
    fn a_control_character_in_a_cell_is_named_by_row_and_column() {
        let e = csv("组织编码,组织名称,组织类别\nFJ,福建\u{0}党委,党委\n").unwrap_err().to_string();
        assert!(e.contains("第 2 行 B 列") && e.contains("控制字符"), "{e}");
    }

    #[test]
    fn lines_count_as_excel_shows_them() {
        let rows = csv("组织编码,组织名称,组织类别\n\
             \n\
             A,\"two\nlines\",党委\n\
             B,b,党支部\n")
        .unwrap();
        let lines: Vec<_> = rows.iter().map(|r| r.line).collect();
        // Row 2 is empty; row 3 has a cell with a line break.
        assert_eq!(lines, [3, 4]);
        assert_eq!(rows[0].text("name"), "two\nlines");
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_in_excel() {
        let rows = csv("组织编码,组织名称,组织类别\rA,a,党委\r\rB,\"b\rc\",党支部\r[\nC,c,党支部\n").unwrap();
        let lines: Vec<_> = rows.iter().map(|r| r.line).collect();
        // Row 3 is empty, row 4 has a cell with a line break; "[" is row 5.
        assert_eq!(lines, [2, 4, 5, 6]);
    }

    #[test]
    fn tab_separated_text_is_read() {
        let rows = csv("组织编码\t组织名称\t组织类别\nA\ta\t党委\n").unwrap();
        assert_eq!(rows[0].text("kind"), "党委");
    }

    #[test]
    fn guarded_formulas_are_unquoted() {
        let rows = csv("code,name,kind\nA,'=1+1,'党委\n").unwrap();
        assert_eq!(rows[0].text("name"), "=1+1");
        assert_eq!(rows[0].text("kind"), "'党委");
    }

    #[test]
    fn duplicate_and_headerless_columns_are_reported() {
        let e = csv("code,组织编码,name,kind\n").unwrap_err();
        assert_eq!(e.errors.len(), 1);
        assert_eq!(e.errors[0].column, "B");
        assert!(e.errors[0].message.contains("A 列"), "{e}");

        let e = csv("code,name,kind,\nA,a,党委,x\nB,b,党委,y\n").unwrap_err();
        assert_eq!(e.errors.len(), 1, "{e}");
        assert_eq!((e.errors[0].line, e.errors[0].column.as_str()), (2, "D"));
    }

    #[test]
    fn a_title_row_or_the_wrong_kind_gets_one_clear_error() {
        let e = csv("福建省组织台账,,\n组织编码,组织名称,组织类别\n").unwrap_err();
        assert_eq!(e.errors.len(), 1, "{e}");
        assert!(e.to_string().starts_with("第 1 行：这一行应为表头"), "{e}");
        let e = read_bytes("所在组织编码,姓名,人员类别\n".as_bytes(), Format::Csv, &UNITS);
        assert_eq!(e.unwrap_err().errors.len(), 1);
    }

    #[test]
    fn empty_and_misnamed_files_are_reported() {
        let e = csv("\n \n").unwrap_err();
        assert!(e.to_string().contains("文件是空的"), "{e}");
        let e = read_bytes(b"a,b", Format::Xlsx, &PEOPLE).unwrap_err();
        assert!(e.to_string().contains(".xlsx"), "{e}");
        let e = read_bytes(b"\xD0\xCF\x11\xE0rest", Format::Xlsx, &PEOPLE).unwrap_err();
        assert!(e.to_string().contains(".xls"), "{e}");
    }

    #[test]
    fn non_utf8_csv_asks_for_utf8() {
        // "组织编码" in GBK on the second line.
        let mut bytes = b"code,name,kind\n".to_vec();
        bytes.extend_from_slice(&[0xD7, 0xE9, 0xD6, 0xAF, b',', b'a', b',', b'b']);
        let e = read_bytes(&bytes, Format::Csv, &UNITS).unwrap_err();
        assert_eq!(e.errors[0].line, 2);
        assert!(e.to_string().contains("请将文件另存为 UTF-8 编码的 CSV"), "{e}");
    }
}
