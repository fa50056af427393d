//! The text of an xlsx cell, as the person who typed it would write it.
//!
//! Excel stores numbers as floats and dates as serial numbers; a ledger wants
//! `13800138000`, not `1.38e10`, and `2024-07-01`, not `45474`.

use calamine::{DataRef, ExcelDateTime};
use time::{Date, Month};

use qizhi_core::date::{from_excel_serial, iso};

use crate::limits::{MAX_CELL_CHARS, thousands};

/// Excel keeps 15 significant digits: a whole number of 16 or more digits
/// (an ID or bank card number typed as a number) has already lost its tail.
const EXACT_LIMIT: f64 = 1e15;

/// The trimmed text of a cell, or why it cannot be used.
pub(crate) fn text(data: &DataRef<'_>) -> Result<String, String> {
    match data {
        DataRef::Empty => Ok(String::new()),
        DataRef::String(s) => limited(s.trim()),
        DataRef::SharedString(s) => limited(s.trim()),
        DataRef::Int(i) => Ok(i.to_string()),
        DataRef::Float(f) => number(*f),
        DataRef::Bool(b) => Ok(if *b { "TRUE" } else { "FALSE" }.to_string()),
        DataRef::DateTime(dt) => datetime(dt),
        DataRef::DateTimeIso(s) => Ok(iso_datetime(s.trim())),
        DataRef::DurationIso(s) => limited(s.trim()),
        DataRef::Error(e) => Err(format!("单元格是错误值 {e}，请改为实际内容 (the cell holds an Excel error)")),
    }
}

/// The text of a cell, or why it is too long for one: no copy is made of
/// text past [`MAX_CELL_CHARS`], and no message repeats it.
pub(crate) fn limited(text: &str) -> Result<String, String> {
    if text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS {
        let chars = thousands(text.chars().count() as u64);
        let max = thousands(MAX_CELL_CHARS as u64);
        return Err(format!(
            "单元格有 {chars} 个字符，超过 Excel 单元格最多 {max} 个字符的限制 (the cell holds {chars} characters, more than {max})"
        ));
    }
    Ok(text.to_string())
}

/// A number without exponent and without Excel's binary noise.
fn number(f: f64) -> Result<String, String> {
    if !f.is_finite() {
        return Err("不是有效的数字 (not a finite number)".into());
    }
    if f.fract() == 0.0 {
        if f.abs() >= EXACT_LIMIT {
            return Err(format!(
                "数字 {f:.0} 超过 15 位，Excel 已将末尾几位变为 0；请将该列设为“文本”格式后重新输入 \
                 (a number of more than 15 digits has lost its last digits in Excel: \
                 format the column as text and type it again)"
            ));
        }
        // Below 1e15 the cast is exact.
        return Ok(format!("{}", f as i64));
    }
    // Round to the 15 significant digits Excel shows, then drop trailing zeros.
    let magnitude = f.abs().log10().floor() as i32 + 1;
    let decimals = (15 - magnitude).clamp(0, 15) as usize;
    let s = format!("{f:.decimals$}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    Ok(if s == "-0" { "0".into() } else { s.to_string() })
}

/// A date cell as `YYYY-MM-DD`, with the time only when it has one.
fn datetime(dt: &ExcelDateTime) -> Result<String, String> {
    if dt.is_duration() {
        return number(dt.as_f64());
    }
    let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
    let clock = if ss > 0 { format!("{hh:02}:{mm:02}:{ss:02}") } else { format!("{hh:02}:{mm:02}") };
    if dt.as_f64() < 1.0 {
        // A time of day with no date.
        return Ok(clock);
    }
    // The components handle the 1904 epoch; the serial is the fallback for
    // Excel's fictitious 1900-02-29.
    let date = Month::try_from(m)
        .ok()
        .and_then(|month| Date::from_calendar_date(i32::from(y), month, d).ok())
        .or_else(|| from_excel_serial(dt.as_f64()))
        .ok_or_else(|| format!("无法识别的日期 {} (not a date)", dt.as_f64()))?;
    if (hh, mm, ss) == (0, 0, 0) { Ok(iso(date)) } else { Ok(format!("{} {clock}", iso(date))) }
}

/// `2024-07-01T00:00:00` as `2024-07-01`; a real time is kept after a space.
fn iso_datetime(s: &str) -> String {
    match s.split_once('T') {
        Some((date, time)) if time.trim_start_matches(['0', ':', '.']).is_empty() => date.into(),
        Some((date, time)) => format!("{date} {time}"),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn whole_numbers_have_no_fraction_or_exponent() {
        assert_eq!(number(13800138000.0).unwrap(), "13800138000");
        assert_eq!(number(123.0).unwrap(), "123");
        assert_eq!(number(-0.0).unwrap(), "0");
        assert_eq!(number(999_999_999_999_999.0).unwrap(), "999999999999999");
    }

    #[test]
    fn fractions_lose_binary_noise() {
        assert_eq!(number(0.1 + 0.2).unwrap(), "0.3");
        assert_eq!(number(2.5).unwrap(), "2.5");
        assert_eq!(number(-1234.125).unwrap(), "-1234.125");
    }

    #[test]
    fn long_numbers_are_refused_because_excel_already_cut_them() {
        let e = number(110105194912310021.0).unwrap_err();
        assert!(e.contains("文本"), "{e}");
    }

    #[test]
    fn dates_become_iso() {
        let date = ExcelDateTime::new(45474.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime(&date).unwrap(), "2024-07-01");
        let with_time = ExcelDateTime::new(45474.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime(&with_time).unwrap(), "2024-07-01 12:00");
        let epoch_1904 = ExcelDateTime::new(44012.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(datetime(&epoch_1904).unwrap(), "2024-07-01");
        assert_eq!(iso_datetime("2024-07-01T00:00:00"), "2024-07-01");
        assert_eq!(iso_datetime("2024-07-01T08:30:00"), "2024-07-01 08:30:00");
        assert!(text(&DataRef::Error(calamine::CellErrorType::NA)).is_err());
        assert_eq!(text(&DataRef::SharedString(" 张三 ")).unwrap(), "张三");
    }
}
