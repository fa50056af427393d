//! How large a ledger file may be. Every limit is checked before the memory
//! it guards is spent, so an upload cannot take the server down however it
//! is made; each refusal says which limit was passed and by how much.
//!
//! The largest real ledger is the people ledger of the whole group (150,000
//! rows of 9 columns); the limits leave it a wide margin.

/// Data rows in one file (the header and empty rows not counted). Below
/// Excel's 1,048,576 rows per worksheet, so any sheet Excel can save that is
/// a ledger at all fits; a million rows read take a few hundred MB.
pub const MAX_ROWS: usize = 1_000_000;

/// Columns `A` to `IV` (Excel 2003's width). The widest ledger has 18
/// columns and a score sheet one per indicator; a cell with content further
/// right is refused, an empty (only formatted) one ignored. Rows are kept
/// indexed by column, so this also bounds each row read.
pub const MAX_COLUMNS: usize = 256;

/// Characters in one cell, Excel's own limit: more cannot come from a
/// spreadsheet, and no field of a ledger is longer than 2,000.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Parts (zip entries) of an .xlsx file. A workbook has about ten; charts,
/// images and many sheets make a few hundred.
pub const MAX_PARTS: usize = 10_000;

/// Bytes all parts of an .xlsx file inflate to, as the archive declares them
/// (the zip reader fails an entry that inflates past its declared size, so
/// the declaration binds). A million-row people ledger as exported here
/// inflates to 0.6 GiB.
pub const MAX_INFLATED: u64 = 1 << 30;

/// Bytes the shared strings part may inflate to: it is read whole into
/// memory before the first cell, unlike the worksheet, which is streamed. A
/// million rows saved by Excel with every value distinct need about 250 MB.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 256 << 20;

/// Strings the shared strings part may announce: the reader reserves room
/// for them before reading the first one.
pub const MAX_SHARED_STRINGS: u64 = 16_000_000;

/// How many times larger than its compressed size a part may inflate.
/// Spreadsheet XML compresses about 10 to 20 times (a million-row export:
/// 13); deflate's ceiling, which zip bombs approach, is about 1,000.
pub const MAX_RATIO: u64 = 200;

/// Parts smaller than this inflated are not held to [`MAX_RATIO`]: small
/// repetitive XML (styles) compresses well and costs nothing.
pub const RATIO_FLOOR: u64 = 1 << 20;

/// A count as people read it: `1,048,576`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Bytes in MiB with one decimal: `1,126.4 MiB`.
pub(crate) fn mib(bytes: u64) -> String {
    let tenths = (u128::from(bytes) * 10 / (1 << 20)) as u64;
    format!("{}.{} MiB", thousands(tenths / 10), tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_048_576), "1,048,576");
        assert_eq!(mib(MAX_INFLATED), "1,024.0 MiB");
        assert_eq!(mib(3 << 19), "1.5 MiB");
        assert_eq!(mib(u64::MAX), "17,592,186,044,415.9 MiB");
    }
}
