//! The filters a list page reads from its query. A value that cannot be
//! read does not fail the page: that filter is left out, the list is shown
//! without it, and the problem — naming the filter and the value — is shown
//! under the filter form (`partials/filter_problems.html`).

use crate::i18n::value_message;

/// The problems met while reading a list's filters, in both languages.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    problems: Vec<String>,
}

impl Filters {
    /// `raw` read by `parse`; `None` when it is empty, or when it cannot be
    /// read, the problem then kept under the filter's name `(zh, en)`.
    pub fn take<T>(
        &mut self,
        (zh, en): (&str, &str),
        raw: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match parse(raw) {
            Ok(v) => Some(v),
            Err(message) => {
                self.problems.push(value_message(zh, en, raw, &message));
                None
            }
        }
    }

    /// The problems, each `中文 (English)`, for the page to show.
    pub fn problems(self) -> Vec<String> {
        self.problems
    }
}

/// A record id in a filter, with the words a reader understands.
pub fn id(raw: &str) -> Result<i64, String> {
    raw.parse().map_err(|_| format!("“{raw}”不是有效的编号 (“{raw}” is not a record number)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_that_cannot_be_read_is_left_out_and_named() {
        let mut f = Filters::default();
        assert_eq!(f.take(("数量", "Number"), " 7 ", |v| v.parse::<i32>().map_err(|e| e.to_string())), Some(7));
        assert_eq!(f.take(("编号", "Id"), "", id), None);
        assert_eq!(f.take(("编号", "Id"), "x1", id), None);
        let problems = f.problems();
        assert_eq!(problems, ["编号：“x1”不是有效的编号 (Id: “x1” is not a record number)"]);
        let mut f = Filters::default();
        f.take(("类别", "Kind"), "parade", |_| Err::<(), _>("未知的类别 (unknown kind)".to_string()));
        assert_eq!(f.problems(), ["类别：“parade”：未知的类别 (Kind: “parade”: unknown kind)"]);
    }
}
