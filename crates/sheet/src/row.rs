//! A data row as read from a file, and errors pointing into it.

use std::collections::BTreeMap;
use std::sync::Arc;

use qizhi_core::{FieldError, Invalid};

use crate::columns::Sheet;
use crate::error::{CellError, column_letter};

/// Where each known column sits in the file: `(key, 0-based column index)`
/// in file order. Shared by all rows of one file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Layout {
    pub(crate) columns: Vec<(&'static str, usize)>,
}

impl Layout {
    fn index(&self, key: &str) -> Option<usize> {
        self.columns.iter().find(|(k, _)| *k == key).map(|&(_, i)| i)
    }
}

/// One data row of a ledger file.
///
/// A million rows may be held at once, so a row is compact: the text of all
/// its cells in one allocation, with where each cell ends.
#[derive(Clone, PartialEq, Eq)]
pub struct Row {
    /// The row number as the user sees it in Excel: the header is row 1, the
    /// first data row 2.
    pub line: usize,
    columns: Columns,
    /// The text of every slot, one after the other.
    text: Box<str>,
    /// Where each slot's text ends in `text`; a slot begins where the one
    /// before it ends.
    ends: Box<[u32]>,
}

/// What the slots of a row are.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Columns {
    /// Read from a file: one slot per known column of the file, in file
    /// order. An empty slot is an empty cell.
    File(Arc<Layout>),
    /// Built in code: one slot per cell given, kept as given (empty too);
    /// letters follow the sheet's own column order.
    Code(Box<[&'static str]>),
}

impl Row {
    /// A row built in code (not read from a file).
    pub fn new(line: usize, cells: BTreeMap<&'static str, String>) -> Self {
        let mut text = String::new();
        let mut ends = Vec::with_capacity(cells.len());
        let mut keys = Vec::with_capacity(cells.len());
        for (key, value) in cells {
            text.push_str(&value);
            ends.push(offset(text.len()));
            keys.push(key);
        }
        Self { line, columns: Columns::Code(keys.into()), text: text.into(), ends: ends.into() }
    }

    /// A row read from a file: `text` holds the slots of `layout` one after
    /// the other, each ending at the offset `ends` gives for it.
    pub(crate) fn from_file(line: usize, layout: Arc<Layout>, text: &str, ends: &[u32]) -> Self {
        debug_assert_eq!(ends.len(), layout.columns.len());
        Self { line, columns: Columns::File(layout), text: text.into(), ends: ends.into() }
    }

    /// The slot of `key` in this row.
    fn slot(&self, key: &str) -> Option<usize> {
        match &self.columns {
            Columns::File(layout) => layout.columns.iter().position(|(k, _)| *k == key),
            Columns::Code(keys) => keys.iter().position(|k| *k == key),
        }
    }

    fn slot_text(&self, slot: usize) -> &str {
        let start = if slot == 0 { 0 } else { self.ends[slot - 1] as usize };
        &self.text[start..self.ends[slot] as usize]
    }

    /// The text of a cell; `None` when empty or when the file has no such column.
    pub fn get(&self, key: &str) -> Option<&str> {
        let text = self.slot_text(self.slot(key)?);
        match self.columns {
            Columns::File(_) if text.is_empty() => None,
            _ => Some(text),
        }
    }

    /// The cells of the row as `(key, text)`: those with text, in file order,
    /// for a row read from a file; every cell given, in key order, for one
    /// built in code.
    pub fn cells(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        (0..self.ends.len()).filter_map(|slot| {
            let key = match &self.columns {
                Columns::File(layout) => layout.columns[slot].0,
                Columns::Code(keys) => keys[slot],
            };
            self.get(key).map(|text| (key, text))
        })
    }

    /// The text of a cell, empty when missing.
    pub fn text(&self, key: &str) -> &str {
        self.get(key).unwrap_or("")
    }

    /// The text of a cell as an owned optional value.
    pub fn opt(&self, key: &str) -> Option<String> {
        self.get(key).map(str::to_string)
    }

    /// Whether the file has this column at all, as opposed to having it empty
    /// in this row. Rows built in code have every column.
    pub fn has_column(&self, key: &str) -> bool {
        match &self.columns {
            Columns::File(l) => l.index(key).is_some(),
            Columns::Code(_) => true,
        }
    }

    /// The 0-based file column of `key`, if the file has it.
    fn column_index(&self, sheet: &Sheet, key: &str) -> Option<usize> {
        match &self.columns {
            Columns::File(l) => l.index(key),
            Columns::Code(_) => sheet.position(key),
        }
    }

    /// An error in column `key` of this row, with the letter the column has in
    /// the file and its Chinese header.
    pub fn error(&self, sheet: &Sheet, key: &str, message: impl Into<String>) -> CellError {
        let message = message.into();
        let Some(column) = sheet.column(key) else {
            // A field that is not a column (should not happen for the sheets
            // here): keep its name so the message still says what is wrong.
            return CellError {
                line: self.line,
                column: String::new(),
                header: String::new(),
                message: format!("{key}: {message}"),
            };
        };
        CellError {
            line: self.line,
            column: self.column_index(sheet, key).map(column_letter).unwrap_or_default(),
            header: column.zh.to_string(),
            message,
        }
    }

    /// One field error of a core validation as a cell error of this row.
    pub fn field_error(&self, sheet: &Sheet, error: &FieldError) -> CellError {
        self.error(sheet, &error.field, error.message.clone())
    }

    /// Every error of a core validation as cell errors of this row, left to
    /// right as the columns appear in the file.
    pub fn errors(&self, sheet: &Sheet, invalid: &Invalid) -> Vec<CellError> {
        let mut errors: Vec<(usize, CellError)> = invalid
            .errors
            .iter()
            .map(|e| {
                let at = self.column_index(sheet, &e.field).unwrap_or(usize::MAX);
                (at, self.field_error(sheet, e))
            })
            .collect();
        errors.sort_by_key(|(at, _)| *at);
        errors.into_iter().map(|(_, e)| e).collect()
    }
}

impl std::fmt::Debug for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Row")
            .field("line", &self.line)
            .field("cells", &self.cells().collect::<Vec<_>>())
            .field("columns", &self.columns)
            .finish()
    }
}

/// An offset into a row's text. A row holds at most `MAX_COLUMNS` cells of
/// `MAX_CELL_CHARS` characters, far below 4 GiB.
pub(crate) fn offset(len: usize) -> u32 {
    u32::try_from(len).expect("a row's text is far below 4 GiB")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::PEOPLE;

    #[test]
    fn errors_use_the_files_column_letters() {
        // The file has category in column A and name in column D.
        let layout = Arc::new(Layout { columns: vec![("category", 0), ("unit_code", 1), ("name", 3)] });
        let row = Row::from_file(7, Arc::clone(&layout), "", &[0, 0, 0]);
        let e = row.error(&PEOPLE, "name", "不能为空");
        assert_eq!((e.line, e.column.as_str(), e.header.as_str()), (7, "D", "姓名"));
        // A column the file lacks has no letter but keeps its header.
        let e = row.error(&PEOPLE, "phone", "x");
        assert_eq!((e.column.as_str(), e.header.as_str()), ("", "联系电话"));
        assert!(!row.has_column("phone"));

        let invalid =
            Invalid { errors: vec![FieldError::new("name", "不能为空"), FieldError::new("category", "未知")] };
        let letters: Vec<_> = row.errors(&PEOPLE, &invalid).into_iter().map(|e| e.column).collect();
        assert_eq!(letters, ["A", "D"]);
    }

    #[test]
    fn rows_built_in_code_follow_the_sheet_order() {
        let row = Row::new(2, BTreeMap::from([("name", "张三".to_string())]));
        assert_eq!(row.error(&PEOPLE, "category", "x").column, "D");
        assert_eq!(row.text("name"), "张三");
        assert_eq!(row.get("phone"), None);
    }

    #[test]
    fn file_rows_leave_empty_cells_out_and_code_rows_keep_what_they_are_given() {
        let layout = Arc::new(Layout { columns: vec![("unit_code", 0), ("name", 2), ("phone", 3)] });
        let row = Row::from_file(3, layout, "FJ01张三", &[4, 10, 10]);
        assert_eq!((row.get("unit_code"), row.get("name"), row.get("phone")), (Some("FJ01"), Some("张三"), None));
        assert_eq!(row.get("category"), None);
        assert_eq!(row.cells().collect::<Vec<_>>(), [("unit_code", "FJ01"), ("name", "张三")]);

        let row = Row::new(2, BTreeMap::from([("name", "李四".to_string()), ("unit_code", String::new())]));
        assert_eq!((row.get("unit_code"), row.get("name"), row.get("post")), (Some(""), Some("李四"), None));
        assert_eq!(row.cells().collect::<Vec<_>>(), [("name", "李四"), ("unit_code", "")]);
    }
}
