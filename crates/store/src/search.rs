//! Text search in lists, one rule for every list and both backends: ASCII
//! letters match whatever their case. SQLite's `LIKE` ignores their case and
//! PostgreSQL's does not, so both sides of every comparison are lower-cased
//! (SQLite's `lower` folds ASCII letters only; Chinese has no case).

use crate::rows::{Bind, Sql};

/// How one column takes part in a search.
#[derive(Debug, Clone, Copy)]
pub(crate) enum By<'a> {
    /// The whole value is the text (a code, an ID number).
    Equal(&'a str),
    /// The value begins with the text.
    Prefix(&'a str),
    /// The value contains the text.
    Contains(&'a str),
}

impl Sql {
    /// Appends ` AND (…)`: rows where any of `columns` matches `text`;
    /// nothing when `text` is blank.
    pub(crate) fn search(&mut self, text: &str, columns: &[By]) -> &mut Self {
        let text = text.trim();
        if text.is_empty() || columns.is_empty() {
            return self;
        }
        self.push(" AND (");
        for (i, by) in columns.iter().enumerate() {
            if i > 0 {
                self.push(" OR ");
            }
            let (column, value, like) = match *by {
                By::Equal(c) => (c, text.to_string(), false),
                By::Prefix(c) => (c, format!("{}%", escape_like(text)), true),
                By::Contains(c) => (c, format!("%{}%", escape_like(text)), true),
            };
            self.push(&format!("lower({column}) "));
            self.push(if like { "LIKE lower(" } else { "= lower(" });
            self.bind(Bind::Text(value)).push(if like { ") ESCAPE '\\'" } else { ")" });
        }
        self.push(")")
    }
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
pub(crate) fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_matches_any_column_and_escapes_wildcards() {
        let mut sql = Sql::new("SELECT 1 FROM t WHERE x = 1");
        sql.search(" 5%_a ", &[By::Equal("t.code"), By::Contains("t.name")]);
        let text = format!("{sql:?}");
        assert!(text.contains("AND (lower(t.code) = lower($1) OR lower(t.name) LIKE lower($2) ESCAPE"), "{text}");
        assert!(text.contains(r#"Text("5%_a")"#) && text.contains(r#"Text("%5\\%\\_a%")"#), "{text}");
        let mut blank = Sql::new("SELECT 1");
        blank.search("  ", &[By::Contains("t.name")]);
        assert!(!format!("{blank:?}").contains("AND"));
    }
}
