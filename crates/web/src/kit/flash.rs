//! The one way a page says what a form just did: the form answers with a
//! 303 to the page with `?flash=KEY`, and the page shows the message of
//! the UI text `flash.KEY` once. Unknown keys show nothing, so a crafted
//! link cannot put words on a page.

use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::i18n::Lang;

/// The query of a page reached after a form.
#[derive(Deserialize, Default, Debug, Clone)]
pub struct FlashQuery {
    pub flash: Option<String>,
}

/// The 303 after a successful form: to `to` (which may carry a query and a
/// `#fragment`), saying `key`.
pub fn redirect(to: &str, key: &str) -> Response {
    let (path, fragment) = to.split_once('#').map_or((to, None), |(p, f)| (p, Some(f)));
    let sep = if path.contains('?') { '&' } else { '?' };
    let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
    Redirect::to(&format!("{path}{sep}flash={key}{fragment}")).into_response()
}

/// The message of `?flash=KEY`, in the caller's language.
pub fn message(lang: Lang, key: Option<&str>) -> Option<String> {
    key.and_then(|k| lang.known(&format!("flash.{k}"))).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_query_and_the_fragment() {
        let at = |r: Response| r.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(at(redirect("/my#commitments", "commitments.created")), "/my?flash=commitments.created#commitments");
        assert_eq!(at(redirect("/honors?unit=3", "brands.saved")), "/honors?unit=3&flash=brands.saved");
    }

    #[test]
    fn only_known_keys_speak() {
        assert!(message(Lang::Zh, Some("no.such.key")).is_none());
        assert!(message(Lang::Zh, None).is_none());
    }
}
