//! The sign-in page: standalone, no navigation.

use askama::Template;

use super::{Chrome, Layout, encode, lang_href};
use crate::i18n::Lang;

/// `GET /login`: standalone, no navigation.
#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub lang: Lang,
    pub error: Option<String>,
    pub username: String,
    /// Where to go after signing in (a local path, checked by the handler).
    pub next: String,
    pub csrf: String,
}

impl LoginPage {
    pub fn lang_href(&self) -> String {
        let here =
            if self.next.is_empty() { "/login".to_string() } else { format!("/login?next={}", encode(&self.next)) };
        lang_href(self.lang.other(), &here)
    }
}

impl Layout for LoginPage {
    fn layout_chrome(&self) -> Option<&Chrome> {
        None
    }
    fn layout_lang(&self) -> Lang {
        self.lang
    }
}
