//! The `Content-Disposition` of a download: a plain ASCII name for old
//! clients and the real (Chinese) name percent-encoded beside it. Nothing a
//! request said reaches the header unfiltered.

/// `attachment; filename="…"; filename*=UTF-8''…`. The ASCII name keeps
/// letters, digits, `.`, `-` and `_` only.
pub fn attachment(ascii: &str, name: &str) -> String {
    let ascii: String =
        ascii.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).take(100).collect();
    let ascii = if ascii.is_empty() { "download".to_string() } else { ascii };
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", crate::views::encode(name))
}

#[cfg(test)]
mod tests {
    use super::attachment;

    #[test]
    fn a_requested_name_cannot_add_parameters() {
        let d = attachment("people.csv\"; x=\".xlsx", "人员.csv");
        assert_eq!(d.matches('"').count(), 2, "{d}");
        assert!(d.starts_with("attachment; filename=\"people.csvx.xlsx\""), "{d}");
        assert!(!attachment("a\r\nSet-Cookie: x", "b").contains('\n'));
    }
}
