//! The import and export page and the report of one import.

use askama::Template;

use super::{Chrome, Layout};

/// `GET /imports` and the result of `POST /imports/{kind}`.
#[derive(Template)]
#[template(path = "imports.html")]
pub struct ImportsPage {
    pub chrome: Chrome,
    /// (kind, zh, en) of every importable ledger: ("units", "组织", "Units") …
    pub kinds: Vec<(&'static str, &'static str, &'static str)>,
    pub report: Option<ImportReport>,
}

impl ImportsPage {
    /// The label of a kind in the page's language (the kind itself if unknown).
    pub fn kind_label<'a>(&self, kind: &'a str) -> &'a str {
        self.kinds
            .iter()
            .find(|(k, _, _)| *k == kind)
            .map(|&(_, zh, en)| self.chrome.lang.label(zh, en))
            .unwrap_or(kind)
    }
}

#[derive(Debug, Clone)]
pub struct ImportReport {
    /// True when every row was valid and written.
    pub ok: bool,
    pub kind: String,
    /// Rows written (ok) or rows read (not ok).
    pub rows: usize,
    /// Of the rows written, new records and updated ones.
    pub created: usize,
    pub updated: usize,
    /// What to know about what was written (see `ledgers::warnings`).
    pub warnings: Vec<String>,
    /// Already formatted: "第 12 行 C 列（人员类别）：…". Nothing was written.
    pub errors: Vec<String>,
}
