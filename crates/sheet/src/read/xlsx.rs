//! The first worksheet of an .xlsx file, read cell by cell within the limits.
//!
//! An .xlsx file is a zip archive of XML parts. Before the workbook is
//! opened, the archive's own declarations are checked: how many parts, how
//! large each inflates (the zip reader fails a part that inflates past its
//! declared size, so a false declaration only makes reading fail sooner),
//! how much the shared strings part may take and how many strings it
//! announces. Then the worksheet's declared used range is checked, and its
//! cells are streamed in order, each row passed on as it ends; the row and
//! column limits are applied to the cells as they come, since the declared
//! range may lie.

use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Dimensions, Reader, Xlsx, XlsxError, open_workbook_from_rs};
use zip::ZipArchive;

use super::{Assembler, Cell, beyond_columns, is_empty};
use crate::cell;
use crate::error::{FileErrors, column_letter};
use crate::limits::{
    MAX_COLUMNS, MAX_INFLATED, MAX_PARTS, MAX_RATIO, MAX_ROWS, MAX_SHARED_STRINGS, MAX_SHARED_STRINGS_BYTES,
    RATIO_FLOOR, mib, thousands,
};

/// How much of the shared strings part is read to find the count it
/// announces; the count is in its first tag.
const SHARED_STRINGS_HEAD: u64 = 64 << 10;

pub(super) fn read(bytes: &[u8], assembler: &mut Assembler) -> Result<(), FileErrors> {
    check_archive(bytes)?;
    let mut book: Xlsx<_> = guarded(|| open_workbook_from_rs(Cursor::new(bytes)))?.map_err(|e| {
        FileErrors::file(format!("无法打开 .xlsx 文件，文件可能已损坏：{e} (cannot open the workbook)"))
    })?;
    let Some(name) = book.sheet_names().first().cloned() else {
        return Err(FileErrors::file("工作簿中没有工作表 (the workbook has no worksheet)"));
    };
    let book = &mut book;
    let mut reader = match guarded(move || book.worksheet_cells_reader(&name))? {
        Ok(reader) => reader,
        // A chart sheet first: nothing to read, as from an empty sheet.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(()),
        Err(e) => return Err(sheet_error(e)),
    };
    check_dimensions(reader.dimensions())?;

    // The row being gathered: its index and its cells, indexed by column.
    let mut row: Option<u32> = None;
    let mut cells: Vec<Cell> = Vec::new();
    while let Some(c) = guarded(|| reader.next_cell())?.map_err(sheet_error)? {
        let (r, col) = c.get_position();
        let text = cell::text(c.get_value());
        if is_empty(&text) {
            continue;
        }
        let col = col as usize;
        if col >= MAX_COLUMNS {
            return Err(beyond_columns(r as usize + 1, col));
        }
        match row {
            Some(current) if r == current => {}
            Some(current) if r < current => return Err(out_of_order(r, current)),
            _ => {
                if let Some(current) = row {
                    assembler.push(current as usize + 1, std::mem::take(&mut cells))?;
                }
                row = Some(r);
            }
        }
        if cells.len() <= col {
            // Columns left of the first cell are padded, so an index is the
            // column's place in the worksheet, and letters come out right.
            cells.resize(col + 1, Ok(String::new()));
        }
        cells[col] = text;
    }
    if let Some(current) = row {
        assembler.push(current as usize + 1, cells)?;
    }
    Ok(())
}

/// Runs a step of the xlsx library. Malformed XML it parses can make it
/// panic (arithmetic on cell references out of range); that is a damaged
/// file, not a reason to bring down the caller.
fn guarded<T>(step: impl FnOnce() -> T) -> Result<T, FileErrors> {
    catch_unwind(AssertUnwindSafe(step)).map_err(|_| {
        FileErrors::file(
            "无法读取 .xlsx 文件，文件已损坏：请在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入 \
             (the workbook is damaged: open it and save it again as .xlsx)",
        )
    })
}

fn sheet_error(e: XlsxError) -> FileErrors {
    FileErrors::file(format!("无法读取第一个工作表：{e} (cannot read the first worksheet)"))
}

fn out_of_order(row: u32, after: u32) -> FileErrors {
    FileErrors::file(format!(
        "第一个工作表中的行顺序错乱（第 {} 行出现在第 {} 行之后），文件可能已损坏：\
         请在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入 \
         (row {} comes after row {}: the file may be damaged; open it and save it again as .xlsx)",
        row as u64 + 1,
        after as u64 + 1,
        row as u64 + 1,
        after as u64 + 1,
    ))
}

/// The used range as Excel writes it: `A1:I1000`.
fn range_text(d: Dimensions) -> String {
    let cell = |(r, c): (u32, u32)| format!("{}{}", column_letter(c as usize), r as u64 + 1);
    if d.start == d.end { cell(d.start) } else { format!("{}:{}", cell(d.start), cell(d.end)) }
}

/// Refuses a worksheet whose declared used range is beyond the limits,
/// before any cell is read. (The cells are checked as they come as well.)
fn check_dimensions(d: Dimensions) -> Result<(), FileErrors> {
    let last_column = d.end.1 as usize;
    if last_column >= MAX_COLUMNS {
        return Err(FileErrors::file(format!(
            "第一个工作表的使用范围为 {}，直到第 {} 列（{} 列），超过了台账最多读取 {MAX_COLUMNS} 列（A 到 {} 列）的上限：\
             请删除右侧多余的列后再导入 \
             (the worksheet's used range {} reaches column {}, number {}: at most {MAX_COLUMNS} columns are read, \
             up to {}; delete the extra columns)",
            range_text(d),
            thousands(last_column as u64 + 1),
            column_letter(last_column),
            column_letter(MAX_COLUMNS - 1),
            range_text(d),
            column_letter(last_column),
            last_column + 1,
            column_letter(MAX_COLUMNS - 1),
        )));
    }
    let rows = u64::from(d.end.0.saturating_sub(d.start.0)) + 1;
    // The header takes one row of the range.
    if rows > MAX_ROWS as u64 + 1 {
        return Err(FileErrors::file(format!(
            "第一个工作表的使用范围为 {}，共 {} 行，超过了每次导入最多 {} 行数据（另加表头）的上限：\
             请删除多余的行，或分成几个文件分别导入 \
             (the worksheet's used range {} spans {} rows, more than the limit of {} data rows and the header: \
             delete the extra rows or split the file)",
            range_text(d),
            thousands(rows),
            thousands(MAX_ROWS as u64),
            range_text(d),
            thousands(rows),
            thousands(MAX_ROWS as u64),
        )));
    }
    Ok(())
}

fn too_many_parts(parts: u64) -> FileErrors {
    FileErrors::file(format!(
        "文件由 {} 个部件组成，超过了 .xlsx 台账最多 {} 个的上限，这不是一份普通的表格 \
         (the archive has {} parts, more than the limit of {})",
        thousands(parts),
        thousands(MAX_PARTS as u64),
        thousands(parts),
        thousands(MAX_PARTS as u64),
    ))
}

/// The most entries any end-of-central-directory record in the file
/// declares: the zip reader takes its directory from one of them and keeps
/// every entry it lists, so this is checked before the directory is read.
fn declared_parts(bytes: &[u8]) -> u64 {
    let u16_at = |at: usize| bytes.get(at..at + 2).map_or(0, |b| u64::from(u16::from_le_bytes([b[0], b[1]])));
    let u64_at = |at: usize| bytes.get(at..at + 8).map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])));
    // The record is 22 bytes, followed by a comment of up to 64 KiB.
    let tail = bytes.len().saturating_sub(22 + (1 << 16) + 4);
    let mut most = 0;
    let mut zip64 = false;
    for at in (tail..bytes.len().saturating_sub(3)).filter(|&at| bytes[at..].starts_with(b"PK\x05\x06")) {
        let (this_disk, total) = (u16_at(at + 8), u16_at(at + 10));
        zip64 |= this_disk == 0xFFFF || total == 0xFFFF;
        most = most.max(this_disk).max(total);
    }
    if zip64 {
        // The counts are in a zip64 record, which may be anywhere before.
        for at in (0..bytes.len().saturating_sub(3)).filter(|&at| bytes[at..].starts_with(b"PK\x06\x06")) {
            most = most.max(u64_at(at + 24)).max(u64_at(at + 32));
        }
    }
    most
}

/// Checks what the archive declares before anything is inflated.
fn check_archive(bytes: &[u8]) -> Result<(), FileErrors> {
    let declared = declared_parts(bytes);
    if declared > MAX_PARTS as u64 {
        return Err(too_many_parts(declared));
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        FileErrors::file(format!("无法打开 .xlsx 文件，文件可能已损坏：{e} (cannot open the workbook)"))
    })?;
    if zip.len() > MAX_PARTS {
        return Err(too_many_parts(zip.len() as u64));
    }
    let mut total: u64 = 0;
    let mut shared_strings = Vec::new();
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_data(i) else {
            continue;
        };
        let (size, packed) = (entry.size(), entry.compressed_size());
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        total = total.saturating_add(size);
        if size >= RATIO_FLOOR && size / packed.max(1) >= MAX_RATIO {
            return Err(FileErrors::file(format!(
                "文件中的部件 {name} 从 {} 解压为 {}，是压缩后的 {} 倍，超过了 {MAX_RATIO} 倍的上限：\
                 这不像是正常的表格，可能是恶意构造的压缩文件 \
                 (part {name} inflates from {} to {}, {} times, more than {MAX_RATIO}: \
                 not an ordinary workbook, possibly a zip bomb)",
                mib(packed),
                mib(size),
                thousands(size / packed.max(1)),
                mib(packed),
                mib(size),
                thousands(size / packed.max(1)),
            )));
        }
        if is_shared_strings(&name) {
            if size > MAX_SHARED_STRINGS_BYTES {
                return Err(FileErrors::file(format!(
                    "文件中的共享字符串部件 {name} 解压后为 {}，超过了 {} 的上限：请分成几个文件分别导入 \
                     (the shared strings part {name} inflates to {}, more than the limit of {}: split the file)",
                    mib(size),
                    mib(MAX_SHARED_STRINGS_BYTES),
                    mib(size),
                    mib(MAX_SHARED_STRINGS_BYTES),
                )));
            }
            shared_strings.push((i, size));
        }
    }
    if total > MAX_INFLATED {
        return Err(FileErrors::file(format!(
            "文件解压后共 {}，超过了 {} 的上限：请删除多余的工作表和图片，或分成几个文件分别导入 \
             (the workbook inflates to {}, more than the limit of {}: remove extra sheets and pictures \
             or split the file)",
            mib(total),
            mib(MAX_INFLATED),
            mib(total),
            mib(MAX_INFLATED),
        )));
    }
    for (i, size) in shared_strings {
        check_shared_strings(&mut zip, i, size)?;
    }
    Ok(())
}

/// Whether the workbook reader may take this part for the shared strings
/// (it looks the name up whatever the case and slashes).
fn is_shared_strings(name: &str) -> bool {
    name.replace('\\', "/").to_ascii_lowercase().ends_with("sharedstrings.xml")
}

/// Refuses a shared strings part announcing more strings than
/// [`MAX_SHARED_STRINGS`]: the workbook reader reserves room for the count
/// before it reads the first string.
fn check_shared_strings(zip: &mut ZipArchive<Cursor<&[u8]>>, index: usize, size: u64) -> Result<(), FileErrors> {
    let mut head = Vec::new();
    let Ok(part) = zip.by_index(index) else {
        // Unreadable: the workbook reader reports it.
        return Ok(());
    };
    let name = String::from_utf8_lossy(part.name_raw()).into_owned();
    if part.take(SHARED_STRINGS_HEAD).read_to_end(&mut head).is_err() {
        return Ok(());
    }
    match announced_strings(&head) {
        Some(n) if n > MAX_SHARED_STRINGS => Err(FileErrors::file(format!(
            "文件中的共享字符串部件 {name} 声明有 {} 个字符串，超过了 {} 个的上限 \
             (the shared strings part {name} announces {} strings, more than the limit of {})",
            thousands(n),
            thousands(MAX_SHARED_STRINGS),
            thousands(n),
            thousands(MAX_SHARED_STRINGS),
        ))),
        None if size > head.len() as u64 => Err(FileErrors::file(format!(
            "文件中的共享字符串部件 {name} 开头不是应有的内容，文件可能已损坏 \
             (the shared strings part {name} does not begin as it should: the file may be damaged)"
        ))),
        _ => Ok(()),
    }
}

/// The largest string count any `<sst>` start tag at the head of the
/// shared strings part announces (`uniqueCount`, whatever its prefix);
/// `None` when the head has no such tag. A count that is not a plain
/// number counts as unlimited, so nothing the workbook reader could take
/// for a count gets through.
fn announced_strings(head: &[u8]) -> Option<u64> {
    let mut found = None;
    let mut at = 0;
    while let Some(p) = head[at..].iter().position(|&b| b == b'<') {
        let tag = &head[at + p + 1..];
        at += p + 1;
        let name_len = tag.iter().position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/').unwrap_or(tag.len());
        let local = tag[..name_len].rsplit(|&b| b == b':').next().unwrap_or_default();
        if local != b"sst" {
            continue;
        }
        let end = tag.iter().position(|&b| b == b'>').unwrap_or(tag.len());
        let mut count = 0;
        let attrs = &tag[name_len..end];
        let mut rest = attrs;
        while let Some(k) = find(rest, b"uniqueCount") {
            rest = &rest[k + b"uniqueCount".len()..];
            let value = rest.trim_ascii_start();
            let Some(value) = value.strip_prefix(b"=") else {
                continue;
            };
            let value = value.trim_ascii_start();
            let Some((&quote, value)) = value.split_first() else {
                continue;
            };
            let digits = value.iter().position(|&b| b == quote).map(|q| &value[..q]).unwrap_or(value);
            // Not a plain number: taken as unlimited.
            let n = std::str::from_utf8(digits).ok().and_then(|d| d.parse::<u64>().ok()).unwrap_or(u64::MAX);
            count = count.max(n);
        }
        found = Some(found.unwrap_or(0).max(count));
    }
    found
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_announced_string_count_is_found_whatever_the_prefix() {
        let head = br#"<?xml version="1.0"?><sst xmlns="x" count="9" uniqueCount="7"><si><t>a</t></si>"#;
        assert_eq!(announced_strings(head), Some(7));
        assert_eq!(announced_strings(br#"<x:sst uniqueCount = '99999999999'>"#), Some(99_999_999_999));
        assert_eq!(announced_strings(br#"<sst uniqueCount="5e9">"#), Some(u64::MAX));
        assert_eq!(announced_strings(br#"<sst count="5"><si/>"#), Some(0));
        assert_eq!(announced_strings(b"<worksheet>"), None);
    }

    #[test]
    fn ranges_read_as_excel_writes_them() {
        assert_eq!(range_text(Dimensions::new((0, 0), (999, 8))), "A1:I1000");
        assert_eq!(range_text(Dimensions::new((1_048_575, 16_383), (1_048_575, 16_383))), "XFD1048576");
    }
}
