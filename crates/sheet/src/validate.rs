//! Checking every row of a file before anything is written.

use qizhi_core::Invalid;

use crate::columns::Sheet;
use crate::error::FileErrors;
use crate::row::Row;

/// Applies `f` (conversion and validation) to every row and collects every
/// error, named by row and column, so a file is fixed in one round.
///
/// Returns each row's line and value only when all rows pass: an import
/// writes nothing unless the whole file is valid.
pub fn validate_all<T>(
    rows: &[Row],
    sheet: &Sheet,
    f: impl FnMut(&Row) -> Result<T, Invalid>,
) -> Result<Vec<(usize, T)>, FileErrors> {
    let (valid, errors) = check(rows, sheet, f);
    errors.into_result(valid)
}

/// Like [`validate_all`], but returns the valid rows and the errors together,
/// so checks across rows can add theirs to one report.
pub(crate) fn check<T>(
    rows: &[Row],
    sheet: &Sheet,
    mut f: impl FnMut(&Row) -> Result<T, Invalid>,
) -> (Vec<(usize, T)>, FileErrors) {
    let mut valid = Vec::with_capacity(rows.len());
    let mut errors = FileErrors::new();
    for row in rows {
        match f(row) {
            Ok(value) => valid.push((row.line, value)),
            Err(invalid) => errors.extend(row.errors(sheet, &invalid)),
        }
    }
    (valid, errors)
}

/// The row read from line `line`.
pub(crate) fn row_at(rows: &[Row], line: usize) -> Option<&Row> {
    // Rows read from a file are in line order; rows built in code may not be.
    match rows.binary_search_by_key(&line, |r| r.line) {
        Ok(i) => rows.get(i),
        Err(_) => rows.iter().find(|r| r.line == line),
    }
}
