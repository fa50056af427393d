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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row number as the user sees it in Excel: the header is row 1, the
    /// first data row 2.
    pub line: usize,
    /// Trimmed text by column key. Empty cells are left out.
    pub cells: BTreeMap<&'static str, String>,
    /// The file's columns; `None` for rows built in code, whose letters
    /// follow the sheet's own column order.
    layout: Option<Arc<Layout>>,
}

impl Row {
    /// A row built in code (not read from a file).
    pub fn new(line: usize, cells: BTreeMap<&'static str, String>) -> Self {
        Self { line, cells, layout: None }
    }

    pub(crate) fn from_file(line: usize, cells: BTreeMap<&'static str, String>, layout: Arc<Layout>) -> Self {
        Self { line, cells, layout: Some(layout) }
    }

    /// The text of a cell; `None` when empty or when the file has no such column.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.cells.get(key).map(String::as_str)
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
        match &self.layout {
            Some(l) => l.index(key).is_some(),
            None => true,
        }
    }

    /// The 0-based file column of `key`, if the file has it.
    fn column_index(&self, sheet: &Sheet, key: &str) -> Option<usize> {
        match &self.layout {
            Some(l) => l.index(key),
            None => sheet.position(key),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::PEOPLE;

    #[test]
    fn errors_use_the_files_column_letters() {
        // The file has category in column A and name in column D.
        let layout = Arc::new(Layout { columns: vec![("category", 0), ("unit_code", 1), ("name", 3)] });
        let row = Row::from_file(7, BTreeMap::new(), layout);
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
}
