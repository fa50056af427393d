//! Every error a page answers is a page of the app: inside the layout for a
//! signed-in user, in the reader's language, with a title for its status.
//! Handlers' errors arrive with their message (`error::Shown`); what the
//! router and the extractors answer on their own (an unknown path, a wrong
//! method, a query string that does not parse, a body over its limit)
//! arrives as bare text and is shown with the status's own message. The API
//! has its own envelope (`error::api_error_envelope`); assets and files are
//! left as they are.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::AppState;
use crate::auth::{self, Caller};
use crate::error::Shown;
use crate::i18n::Lang;
use crate::views::ErrorPage;

pub async fn in_layout(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if ["/api/", "/assets/", "/files/"].iter().any(|p| path.starts_with(p)) || path == "/healthz" {
        return next.run(req).await;
    }
    let headers = req.headers().clone();
    let response = next.run(req).await;
    let status = response.status();
    let html = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let shown = response.extensions().get::<Shown>().cloned();
    if !(status.is_client_error() || status.is_server_error()) || (html && shown.is_none()) {
        return response;
    }
    // A server fault may be the database: the page is then shown without asking it again.
    let caller = if status.is_server_error() { None } else { caller_of(&state, headers.clone(), &path).await };
    let lang = caller.as_ref().map_or_else(|| auth::lang_of(&headers), |c| c.lang);
    let message = match shown {
        Some(Shown(message)) => lang.message(&message),
        None => lang.known(&format!("error.{}.message", family(status))).unwrap_or_default().to_string(),
    };
    let page = ErrorPage {
        chrome: caller.as_ref().map(|c| crate::pages::chrome(c, "", &path)),
        lang,
        status: status.as_u16(),
        title: title(lang, status),
        message,
    };
    let kept = response.headers().clone();
    match askama::Template::render(&page) {
        Ok(body) => {
            let mut page = (status, Html(body)).into_response();
            for (name, value) in &kept {
                if ![header::CONTENT_TYPE, header::CONTENT_LENGTH, header::CONTENT_ENCODING].contains(name) {
                    page.headers_mut().append(name, value.clone());
                }
            }
            page
        }
        Err(e) => {
            tracing::error!("rendering the error page: {e}");
            status.into_response()
        }
    }
}

/// The signed-in caller of the request, if any: read again from its cookie
/// (as a GET, so that no token is asked for), for the page's navigation.
async fn caller_of(state: &AppState, headers: axum::http::HeaderMap, path: &str) -> Option<Caller> {
    let mut req = Request::builder().uri(path).body(()).ok()?;
    *req.headers_mut() = headers;
    let (parts, ()) = req.into_parts();
    auth::authenticate(&parts, state).await.ok().flatten()
}

/// The status whose title and message a status shows.
fn family(status: StatusCode) -> u16 {
    match status.as_u16() {
        s @ (400 | 401 | 403 | 404 | 405 | 413 | 422 | 429) => s,
        415 => 400,
        s if s >= 500 => 500,
        _ => 400,
    }
}

fn title(lang: Lang, status: StatusCode) -> String {
    lang.known(&format!("error.{}.title", family(status))).unwrap_or_else(|| lang.t("error.400.title")).to_string()
}
