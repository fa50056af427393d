//! Writing ledgers and blank templates as .xlsx or .csv.
//!
//! Rows are streamed: xlsx uses rust_xlsxwriter's constant-memory mode, so an
//! export of a million rows holds one row in memory, not the sheet.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format as CellFormat, FormatBorder, IgnoreError, Workbook,
    Worksheet, XlsxError,
};

use crate::columns::{Column, Sheet};
use crate::format::{Format, UnsupportedFormat};

/// Excel's last row index (0-based): 1,048,576 rows in all.
const LAST_ROW: u32 = 1_048_575;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Format(#[from] UnsupportedFormat),
    #[error("无法创建文件 {}：{source} (cannot create the file)", path.display())]
    Create { path: PathBuf, source: std::io::Error },
    #[error("写入失败：{0} (write failed)")]
    Io(#[from] std::io::Error),
    #[error("无法生成 .xlsx 文件：{0} (cannot write the workbook)")]
    Xlsx(#[from] XlsxError),
    #[error("无法生成 CSV 文件：{0} (cannot write the CSV)")]
    Csv(#[from] csv::Error),
    #[error("第 {line} 行有 {got} 个单元格，应为 {expected} 个 (row {line} has {got} cells, expected {expected})")]
    Width { line: usize, expected: usize, got: usize },
    /// An .xlsx worksheet holds 1,048,576 rows, the header among them.
    #[error(
        "要导出的数据超过 1,048,575 行：一个 .xlsx 工作表最多 1,048,576 行（含表头）。\
         请改为导出 CSV（没有行数限制），或只导出其中一个组织及其下级（网页上选择组织，命令行用 --org） \
         (more than 1,048,575 rows: an .xlsx worksheet holds 1,048,576 with the header; \
         export as CSV, which has no such limit, or a single unit and those under it with --org)"
    )]
    TooManyRows,
}

/// What the header row is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// Data: plain Chinese headers.
    Export,
    /// A blank form: required columns marked `*`, hints, a 说明 worksheet.
    Template,
}

enum Out<W: Write + Send> {
    Xlsx { book: Box<Workbook>, target: W },
    // Both boxed: each is a few hundred bytes, moved with the writer.
    Csv(Box<csv::Writer<W>>),
}

/// Streams the rows of one ledger into a file or buffer.
///
/// ```no_run
/// # fn main() -> Result<(), qizhi_sheet::WriteError> {
/// let sheet = qizhi_sheet::sheet("units").unwrap();
/// let mut w = qizhi_sheet::Writer::create("units.xlsx", sheet)?;
/// w.row(&["FJ", "中共福建省分公司委员会", "福建省委", "党委", "", "1", "", "正常"])?;
/// w.finish()?;
/// # Ok(()) }
/// ```
pub struct Writer<W: Write + Send> {
    out: Out<W>,
    sheet: Sheet,
    purpose: Purpose,
    /// The Excel row number of the last row written (the header is 1).
    line: usize,
}

impl Writer<BufWriter<File>> {
    /// Creates the file, its format chosen by the extension, and writes the header.
    pub fn create(path: impl AsRef<Path>, sheet: &Sheet) -> Result<Self, WriteError> {
        let path = path.as_ref();
        let format = Format::from_path(path)?;
        let file = File::create(path).map_err(|source| WriteError::Create { path: path.to_path_buf(), source })?;
        Writer::new(BufWriter::new(file), format, sheet)
    }
}

impl<W: Write + Send> Writer<W> {
    /// Writes into any target (a `Vec<u8>` for a download) and writes the header.
    pub fn new(target: W, format: Format, sheet: &Sheet) -> Result<Self, WriteError> {
        Self::start(target, format, sheet, Purpose::Export)
    }

    fn start(target: W, format: Format, sheet: &Sheet, purpose: Purpose) -> Result<Self, WriteError> {
        let headers = match purpose {
            Purpose::Export => sheet.headers(),
            Purpose::Template => sheet.marked_headers(),
        };
        let out = match format {
            Format::Xlsx => Out::Xlsx { book: Box::new(xlsx_book(sheet, &headers, purpose)?), target },
            Format::Csv => {
                let mut target = target;
                // Excel takes a CSV without BOM for the local code page (GBK).
                target.write_all(BOM)?;
                let mut csv = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(target);
                csv.write_record(&headers)?;
                Out::Csv(Box::new(csv))
            }
        };
        Ok(Self { out, sheet: *sheet, purpose, line: 1 })
    }

    /// Writes one row, its cells in the sheet's column order.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<(), WriteError> {
        let line = self.line + 1;
        let expected = self.sheet.columns.len();
        if cells.len() != expected {
            return Err(WriteError::Width { line, expected, got: cells.len() });
        }
        match &mut self.out {
            Out::Xlsx { book, .. } => {
                let row = xlsx_row(line)?;
                let ws = book.worksheet_from_index(0)?;
                for (col, text) in cells.iter().enumerate() {
                    let text = text.as_ref();
                    if !text.is_empty() {
                        // Always text: a phone or ID number must not become a float.
                        ws.write_string(row, col as u16, text)?;
                    }
                }
            }
            Out::Csv(csv) => {
                csv.write_record(cells.iter().map(|c| guard(c.as_ref()).into_owned()))?;
            }
        }
        self.line = line;
        Ok(())
    }

    /// How many data rows have been written.
    pub fn rows_written(&self) -> usize {
        self.line - 1
    }

    /// Completes the file and returns the target, flushed.
    pub fn finish(self) -> Result<W, WriteError> {
        match self.out {
            Out::Xlsx { mut book, mut target } => {
                if self.purpose == Purpose::Template {
                    notes_worksheet(book.add_worksheet(), &self.sheet)?;
                }
                book.save_to_writer(&mut target)?;
                target.flush()?;
                Ok(target)
            }
            Out::Csv(csv) => {
                let mut target = (*csv).into_inner().map_err(|e| e.into_error())?;
                target.flush()?;
                Ok(target)
            }
        }
    }
}

/// The 0-based worksheet row of Excel row `line`, if a worksheet has it.
fn xlsx_row(line: usize) -> Result<u32, WriteError> {
    match u32::try_from(line - 1) {
        Ok(row) if row <= LAST_ROW => Ok(row),
        _ => Err(WriteError::TooManyRows),
    }
}

/// A whole ledger as the bytes of a file, for a download.
pub fn write_to_vec<R, S>(
    format: Format,
    sheet: &Sheet,
    rows: impl IntoIterator<Item = R>,
) -> Result<Vec<u8>, WriteError>
where
    R: AsRef<[S]>,
    S: AsRef<str>,
{
    let mut w = Writer::new(Vec::new(), format, sheet)?;
    for r in rows {
        w.row(r.as_ref())?;
    }
    w.finish()
}

/// Writes a blank template: the header with required columns marked `*`;
/// for xlsx also a worksheet 说明 describing every column.
pub fn template(path: impl AsRef<Path>, sheet: &Sheet) -> Result<(), WriteError> {
    let path = path.as_ref();
    let format = Format::from_path(path)?;
    let file = File::create(path).map_err(|source| WriteError::Create { path: path.to_path_buf(), source })?;
    Writer::start(BufWriter::new(file), format, sheet, Purpose::Template)?.finish()?;
    Ok(())
}

/// A blank template as bytes, for a download.
pub fn template_to_vec(format: Format, sheet: &Sheet) -> Result<Vec<u8>, WriteError> {
    Writer::start(Vec::new(), format, sheet, Purpose::Template)?.finish()
}

/// Quotes text that Excel would run as a formula when it opens a CSV
/// ("CSV injection"); the reader removes the quote again. Numbers such as
/// `-5` are left alone.
fn guard(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text.trim().parse::<f64>().is_err() {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A workbook whose first worksheet has the header written and its columns set up.
fn xlsx_book(sheet: &Sheet, headers: &[String], purpose: Purpose) -> Result<Workbook, WriteError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet_with_constant_memory()?;
    ws.set_name(sheet.zh)?;
    let bold =
        CellFormat::new().set_bold().set_background_color(Color::RGB(0xDDEBF7)).set_border_bottom(FormatBorder::Thin);
    // Text format on the columns, so what people type later (an 18-digit ID
    // number, a leading zero) stays as typed.
    let text = CellFormat::new().set_num_format("@");
    for (i, (column, header)) in sheet.columns.iter().zip(headers).enumerate() {
        let col = i as u16;
        ws.set_column_width(col, width(column, header))?;
        ws.set_column_format(col, &text)?;
        ws.write_string_with_format(0, col, header, &bold)?;
        if let Some(v) = validation(column, purpose)? {
            ws.add_data_validation(1, col, LAST_ROW, col, &v)?;
        }
    }
    let last_col = sheet.columns.len().saturating_sub(1) as u16;
    ws.set_freeze_panes(1, 0)?;
    ws.ignore_error_range(0, 0, LAST_ROW, last_col, IgnoreError::NumberStoredAsText)?;
    Ok(book)
}

/// A drop-down for columns with choices (a warning, not a block, since
/// aliases are accepted too) and, in templates, the hint as the message
/// Excel shows when a cell is selected.
fn validation(column: &Column, purpose: Purpose) -> Result<Option<DataValidation>, XlsxError> {
    let hint = purpose == Purpose::Template && !column.hint.is_empty();
    let v = if !column.choices.is_empty() {
        DataValidation::new()
            .allow_list_strings(column.choices)?
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message(format!("应为 {}", column.choices.join("/")))?
    } else if hint {
        DataValidation::new().allow_any_value()
    } else {
        return Ok(None);
    };
    if hint { Ok(Some(v.set_input_title(column.zh)?.set_input_message(column.hint)?)) } else { Ok(Some(v)) }
}

/// A column wide enough for its header and for the values its hint shows.
fn width(column: &Column, header: &str) -> f64 {
    let w = (display_width(header) + 4).max(display_width(column.hint) * 3 / 4);
    w.clamp(10, 30) as f64
}

/// Columns a text occupies: CJK and full-width characters take two.
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// The 说明 worksheet of a template: every column, its English name, whether
/// it is required, a hint and its values.
fn notes_worksheet(ws: &mut Worksheet, sheet: &Sheet) -> Result<(), WriteError> {
    ws.set_name("说明")?;
    let bold =
        CellFormat::new().set_bold().set_background_color(Color::RGB(0xDDEBF7)).set_border_bottom(FormatBorder::Thin);
    let heads = ["表头", "英文名", "是否必填", "填写说明", "可选值"];
    let widths = [18, 20, 10, 44, 36];
    for (i, (h, w)) in heads.iter().zip(widths).enumerate() {
        ws.set_column_width(i as u16, w)?;
        ws.write_string_with_format(0, i as u16, *h, &bold)?;
    }
    let mut row = 1;
    for c in sheet.columns {
        ws.write_string(row, 0, c.zh)?;
        ws.write_string(row, 1, c.key)?;
        ws.write_string(row, 2, if c.required { "必填" } else { "选填" })?;
        ws.write_string(row, 3, c.hint)?;
        ws.write_string(row, 4, c.choices.join("/"))?;
        row += 1;
    }
    let notes = [
        "1. 第一个工作表的第一行是表头，请从第二行起填写，每行一条记录。".to_string(),
        "2. 带 * 的列必须有，且必须填写；表头可写中文名或英文名，列的顺序可以调整。".to_string(),
        "3. 日期写作 2024-07-01（也可写 2024/7/1 或 2024年7月1日）。".to_string(),
        "4. 导入时检查每一行：只要有一处错误，整个文件都不会写入。请按提示（第几行、哪一列）修改后重新导入。"
            .to_string(),
        format!("5. 也可另存为 UTF-8 编码的 CSV 文件导入。本表英文名：{}。", sheet.kind),
    ];
    row += 1;
    for n in notes {
        ws.write_string(row, 0, n)?;
        row += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_guarded_but_numbers_are_not() {
        assert_eq!(guard("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard("+86 138 0013 8000"), "'+86 138 0013 8000");
        assert_eq!(guard("-5"), "-5");
        assert_eq!(guard("张三"), "张三");
    }

    #[test]
    fn the_last_worksheet_row_is_written_and_the_next_refused_with_advice() {
        assert_eq!(xlsx_row(2).unwrap(), 1);
        assert_eq!(xlsx_row(1_048_576).unwrap(), LAST_ROW);
        let e = xlsx_row(1_048_577).unwrap_err();
        assert!(matches!(e, WriteError::TooManyRows));
        let text = e.to_string();
        assert!(text.contains("CSV") && text.contains("--org") && text.contains("1,048,575"), "{text}");
        assert!(xlsx_row(usize::MAX).is_err());
    }

    #[test]
    fn widths_fit_headers_and_hints() {
        let s = crate::columns::PEOPLE;
        let id = s.column("id_number").unwrap();
        assert!(width(id, id.zh) >= 18.0);
        assert!(width(&s.columns[0], s.columns[0].zh) >= 10.0);
    }
}
