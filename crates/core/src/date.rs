//! Dates as party-affairs workers write them, stored as ISO `YYYY-MM-DD` text.

use time::{Date, Month, OffsetDateTime, UtcOffset, macros::format_description, macros::offset};

/// China Standard Time (UTC+8): every day and year Qizhi decides — a
/// deadline, a step's date, the current reporting year — is China's.
pub const CHINA: UtcOffset = offset!(+8);

/// The day of a moment in China.
pub fn day_of(moment: OffsetDateTime) -> Date {
    moment.to_offset(CHINA).date()
}

/// The current moment, the one clock every date and timestamp is read from.
pub fn now() -> OffsetDateTime {
    let real = OffsetDateTime::now_utc();
    #[cfg(feature = "test-clock")]
    if let Some(shift) = *clock::SHIFT.read().unwrap_or_else(std::sync::PoisonError::into_inner) {
        return real + shift;
    }
    real
}

/// Sets the clock to `moment` from now on (it keeps running from there), or
/// back to the system clock with `None`. For tests that run the server or
/// the store in-process; it exists only with the `test-clock` feature, which
/// only dev-dependencies turn on, so no build that serves users has it.
#[cfg(feature = "test-clock")]
pub fn set_now(moment: Option<OffsetDateTime>) {
    let shift = moment.map(|m| m - OffsetDateTime::now_utc());
    *clock::SHIFT.write().unwrap_or_else(std::sync::PoisonError::into_inner) = shift;
}

#[cfg(feature = "test-clock")]
mod clock {
    /// How far the set clock is from the system clock; process-wide, as
    /// the server and store read the clock from any thread.
    pub(super) static SHIFT: std::sync::RwLock<Option<time::Duration>> = std::sync::RwLock::new(None);
}

/// The moment of epoch milliseconds (how tables store times), on China's clock.
pub fn moment_of_ms(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok().map(|t| t.to_offset(CHINA))
}

/// The first moment of a day in China.
pub fn start_of(day: Date) -> OffsetDateTime {
    day.midnight().assume_offset(CHINA)
}

/// Today in China.
pub fn today() -> Date {
    day_of(now())
}

/// This year in China.
pub fn this_year() -> i32 {
    today().year()
}

/// The current reporting year (报告年度) on `day`: the year in China, except
/// in January and February, when the year just ended is still the one being
/// reported (annual summaries, assessments and star awards are made then).
/// An installation may pin another year (`Store::reporting_year`).
pub fn reporting_year(day: Date) -> i32 {
    if day.month() <= Month::February { day.year() - 1 } else { day.year() }
}

/// Parses `2024-07-01`, `2024/7/1`, `2024.7.1` or `2024年7月1日`.
pub fn parse(value: &str) -> Result<Date, String> {
    let v = value.trim();
    let cleaned: String = v.replace(['年', '月', '/', '.'], "-").trim_end_matches('日').to_string();
    let parts: Vec<&str> = cleaned.split('-').collect();
    let bad = || format!("日期格式应为 YYYY-MM-DD，而不是 “{v}” (date must be YYYY-MM-DD)");
    if parts.len() != 3 {
        return Err(bad());
    }
    let y: i32 = parts[0].parse().map_err(|_| bad())?;
    let m: u8 = parts[1].parse().map_err(|_| bad())?;
    let d: u8 = parts[2].parse().map_err(|_| bad())?;
    let month = Month::try_from(m).map_err(|_| bad())?;
    if !(1900..=2200).contains(&y) {
        return Err(bad());
    }
    Date::from_calendar_date(y, month, d).map_err(|_| bad())
}

/// An optional date: empty text is `None`.
pub fn parse_optional(value: Option<&str>) -> Result<Option<Date>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => parse(v).map(Some),
    }
}

/// Formats as ISO `YYYY-MM-DD`, the form every backend stores.
pub fn iso(date: Date) -> String {
    date.format(format_description!("[year]-[month]-[day]")).expect("a date always formats")
}

/// The date of an Excel serial number (days since 1899-12-30).
pub fn from_excel_serial(serial: f64) -> Option<Date> {
    let base = Date::from_calendar_date(1899, Month::December, 30).ok()?;
    base.checked_add(time::Duration::days(serial.floor() as i64))
}

#[cfg(test)]
mod tests {
    #[test]
    fn half_past_midnight_in_china_is_already_the_next_day() {
        // 2024-06-30 16:30 UTC is 2024-07-01 00:30 in China.
        let moment = time::macros::datetime!(2024-06-30 16:30 UTC);
        assert_eq!(day_of(moment), time::macros::date!(2024 - 07 - 01));
        let new_year = time::macros::datetime!(2023-12-31 16:30 UTC);
        assert_eq!(day_of(new_year).year(), 2024);
        assert_eq!(start_of(time::macros::date!(2024 - 07 - 01)), time::macros::datetime!(2024-06-30 16:00 UTC));
        let ms = moment.unix_timestamp() * 1000;
        assert_eq!(moment_of_ms(ms).map(|t| (t.date(), t.hour(), t.minute())), Some((day_of(moment), 0, 30)));
    }

    use super::*;

    #[test]
    fn parses_the_forms_people_type() {
        for s in ["2024-07-01", "2024/7/1", "2024.07.01", "2024年7月1日", " 2024-7-1 "] {
            assert_eq!(iso(parse(s).unwrap()), "2024-07-01", "{s}");
        }
    }

    #[test]
    fn rejects_impossible_dates_with_a_message() {
        for s in ["2024-02-30", "July 1", "2024-13-01", ""] {
            let e = parse(s).unwrap_err();
            assert!(e.contains("YYYY-MM-DD"), "{e}");
        }
    }

    #[cfg(feature = "test-clock")]
    #[test]
    fn a_set_clock_dates_in_china_and_keeps_running() {
        let moment = time::macros::datetime!(2025-12-31 16:30 UTC);
        set_now(Some(moment));
        let read = now();
        set_now(None);
        assert!(read >= moment && read - moment < time::Duration::minutes(1), "{read}");
        assert_eq!(day_of(read), time::macros::date!(2026 - 01 - 01));
        assert!(now() - moment > time::Duration::days(1));
    }

    #[test]
    fn the_year_just_ended_is_reported_until_the_end_of_february() {
        use time::macros::date;
        assert_eq!(reporting_year(date!(2026 - 01 - 01)), 2025);
        assert_eq!(reporting_year(date!(2026 - 02 - 28)), 2025);
        assert_eq!(reporting_year(date!(2026 - 03 - 01)), 2026);
        assert_eq!(reporting_year(date!(2026 - 12 - 31)), 2026);
    }

    #[test]
    fn excel_serial_numbers() {
        assert_eq!(iso(from_excel_serial(45474.0).unwrap()), "2024-07-01");
    }
}
