//! Errors that point at a cell: the row and column a person must fix.

use serde::Serialize;

/// At most this many errors are listed; the rest are only counted, so a file
/// with every row wrong still gives a report a person can read.
pub const MAX_REPORTED: usize = 200;

/// A problem in one cell, one row, one column or the whole file.
///
/// `line` is the row number as Excel shows it (the header is usually row 1);
/// 0 means the whole file. `column` is the Excel column letter (`C`), empty
/// when the problem is not in one column. `header` is the column's Chinese
/// header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct CellError {
    pub line: usize,
    pub column: String,
    pub header: String,
    pub message: String,
}

impl CellError {
    /// A problem with the file as a whole (unreadable, empty, wrong type).
    pub fn file(message: impl Into<String>) -> Self {
        Self { line: 0, column: String::new(), header: String::new(), message: message.into() }
    }
}

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "第 {} 行", self.line)?;
            if !self.column.is_empty() {
                write!(f, " {} 列", self.column)?;
            }
            if !self.header.is_empty() {
                write!(f, "（{}）", self.header)?;
            }
            f.write_str("：")?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in a file (up to [`MAX_REPORTED`]), so all of them can
/// be fixed in one go. `omitted` counts the problems found but not listed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct FileErrors {
    pub errors: Vec<CellError>,
    pub omitted: usize,
}

impl FileErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// A report of one problem with the whole file.
    pub fn file(message: impl Into<String>) -> Self {
        CellError::file(message).into()
    }

    /// Adds a problem, or only counts it once [`MAX_REPORTED`] are listed.
    pub fn push(&mut self, error: CellError) {
        if self.errors.len() < MAX_REPORTED {
            self.errors.push(error);
        } else {
            self.omitted += 1;
        }
    }

    pub fn extend(&mut self, errors: impl IntoIterator<Item = CellError>) {
        for e in errors {
            self.push(e);
        }
    }

    /// Adds another report's problems, keeping its omitted count.
    pub fn merge(&mut self, other: FileErrors) {
        self.extend(other.errors);
        self.omitted += other.omitted;
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.omitted == 0
    }

    /// How many problems were found, listed or not.
    pub fn total(&self) -> usize {
        self.errors.len() + self.omitted
    }

    /// Orders the listed problems by row, then column, as a person reads them.
    pub fn sort(&mut self) {
        self.errors.sort_by_key(|a| (a.line, column_number(&a.column)));
    }

    /// `Ok(value)` when nothing was found, the report otherwise.
    pub fn into_result<T>(self, value: T) -> Result<T, FileErrors> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }
}

impl From<CellError> for FileErrors {
    fn from(e: CellError) -> Self {
        Self { errors: vec![e], omitted: 0 }
    }
}

impl std::fmt::Display for FileErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        if self.omitted > 0 {
            write!(f, "\n……另有 {0} 处错误未列出 (and {0} more)", self.omitted)?;
        }
        Ok(())
    }
}

/// The Excel letter of a 0-based column index: 0 → `A`, 26 → `AA`.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// The 1-based number of a column letter, 0 when empty; used only for ordering.
fn column_number(letters: &str) -> usize {
    letters.bytes().fold(0, |n, b| n * 26 + usize::from(b.to_ascii_uppercase().saturating_sub(b'A')) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        let cases = [(0, "A"), (2, "C"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")];
        for (i, l) in cases {
            assert_eq!(column_letter(i), l);
            assert_eq!(column_number(l), i + 1);
        }
    }

    #[test]
    fn display_names_row_column_and_header() {
        let e = CellError {
            line: 12,
            column: "C".into(),
            header: "人员类别".into(),
            message: "未知的人员类别 “党外”".into(),
        };
        assert_eq!(e.to_string(), "第 12 行 C 列（人员类别）：未知的人员类别 “党外”");
        let missing =
            CellError {
                line: 1, column: String::new(), header: "组织编码".into(), message: "缺少必填列".into()
            };
        assert_eq!(missing.to_string(), "第 1 行（组织编码）：缺少必填列");
        assert_eq!(CellError::file("文件是空的").to_string(), "文件是空的");
    }

    #[test]
    fn reports_are_capped_but_counted() {
        let mut errors = FileErrors::new();
        for line in 0..(MAX_REPORTED + 5) {
            errors.push(CellError { line: line + 2, ..CellError::file("x") });
        }
        assert_eq!(errors.errors.len(), MAX_REPORTED);
        assert_eq!(errors.omitted, 5);
        assert_eq!(errors.total(), MAX_REPORTED + 5);
        assert!(errors.to_string().ends_with("……另有 5 处错误未列出 (and 5 more)"));
    }
}
