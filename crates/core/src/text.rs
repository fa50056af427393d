//! Text every record may hold: no control characters (NUL, escape,
//! backspace …). They carry no meaning in a party ledger, SQLite would store
//! them silently and PostgreSQL refuses NUL, so every input path — requests
//! and spreadsheets alike — refuses them. Tabs and line breaks are text.

/// A character no text field may hold.
pub fn is_forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Why `text` may not be stored, if it may not: the first forbidden
/// character, by its place (counted from 1) and code point.
pub fn refusal(text: &str) -> Option<String> {
    let (at, c) = text.chars().enumerate().find(|(_, c)| is_forbidden(*c))?;
    Some(format!(
        "含有不可见的控制字符（第 {} 个字符，U+{:04X}），请删除后重试 (contains a control character)",
        at + 1,
        u32::from(c)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_control_characters_but_not_line_breaks() {
        let m = refusal("a\0b").expect("NUL is refused");
        assert!(m.contains("第 2 个字符") && m.contains("U+0000"), "{m}");
        assert!(refusal("第一行\r\n第二行\t完").is_none());
        assert!(refusal("\u{1b}[31m").is_some());
        assert!(refusal("\u{7f}").is_some());
    }
}
