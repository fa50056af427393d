//! Text hygiene at the edge: no request may carry a control character
//! (NUL, escape, backspace …) in its path, query, form or JSON body. Such
//! characters have no meaning in Qizhi's records, SQLite would store them
//! silently and PostgreSQL refuses NUL outright, so they are refused here,
//! for every route, with a 422 naming the field. Tabs and line breaks are
//! text and pass.
//!
//! Multipart forms are streamed to their handlers, which check their text
//! fields with [`check_field`].

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use qizhi_core::FieldError;
use serde_json::Value;

use crate::error::AppError;

/// The largest form or JSON body read whole (uploads are multipart).
pub const FORM_LIMIT: usize = 4 * 1024 * 1024;

use qizhi_core::text::is_forbidden;

/// The field error for text holding a forbidden character, if it does.
pub fn field_error(field: &str, text: &str) -> Option<FieldError> {
    qizhi_core::text::refusal(text).map(|message| FieldError::new(field, message))
}

/// Refuses a multipart text field holding a forbidden character.
pub fn check_field(field: &str, text: &str) -> Result<(), AppError> {
    field_error(field, text).map_or(Ok(()), |e| Err(AppError::Invalid(vec![e])))
}

/// The middleware: see the module documentation.
pub async fn refuse_control_characters(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut errors = Vec::new();
    let path = percent_encoding::percent_decode_str(request.uri().path()).decode_utf8_lossy().into_owned();
    errors.extend(field_error("path", &path));
    if let Some(query) = request.uri().query() {
        pairs(query.as_bytes(), &mut errors);
    }
    let kind = body_kind(request.headers());
    if kind == BodyKind::Other {
        return finish(api, errors, request, next).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, FORM_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let message = format!("请求内容超过 {} MiB (request body too large)", FORM_LIMIT / 1024 / 1024);
            return refusal(api, StatusCode::PAYLOAD_TOO_LARGE, AppError::BadRequest(message));
        }
    };
    match kind {
        BodyKind::Form => pairs(&bytes, &mut errors),
        // Malformed JSON is left to the handler's extractor to explain.
        _ => {
            if let Ok(value) = serde_json::from_slice::<Value>(&bytes) {
                json(&value, "", &mut errors);
            }
        }
    }
    finish(api, errors, Request::from_parts(parts, Body::from(bytes)), next).await
}

async fn finish(api: bool, errors: Vec<FieldError>, request: Request, next: Next) -> Response {
    if errors.is_empty() {
        next.run(request).await
    } else {
        refusal(api, StatusCode::UNPROCESSABLE_ENTITY, AppError::Invalid(errors))
    }
}

/// The API's error envelope, or the error page.
pub(crate) fn refusal(api: bool, status: StatusCode, error: AppError) -> Response {
    let mut response = if api { error.into_response() } else { crate::error::PageError(error).into_response() };
    *response.status_mut() = status;
    response
}

#[derive(PartialEq)]
enum BodyKind {
    Form,
    Json,
    Other,
}

fn body_kind(headers: &HeaderMap) -> BodyKind {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else if essence == "application/json" || essence.ends_with("+json") {
        BodyKind::Json
    } else {
        BodyKind::Other
    }
}

fn pairs(encoded: &[u8], errors: &mut Vec<FieldError>) {
    for (name, value) in form_urlencoded::parse(encoded) {
        let field = if name.chars().any(is_forbidden) { "name".into() } else { name.clone() };
        errors.extend(field_error(&field, &name).or_else(|| field_error(&field, &value)));
    }
}

/// Walks a JSON document; a field is named by its path (`members[2].name`).
fn json(value: &Value, at: &str, errors: &mut Vec<FieldError>) {
    let field = |at: &str| if at.is_empty() { "body".to_string() } else { at.to_string() };
    match value {
        Value::String(s) => errors.extend(field_error(&field(at), s)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                json(item, &format!("{at}[{i}]"), errors);
            }
        }
        Value::Object(members) => {
            for (key, item) in members {
                let path = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
                if let Some(e) = field_error(&field(at), key) {
                    errors.push(e);
                }
                json(item, &path, errors);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_field_and_the_place() {
        let e = field_error("q", "a\0b").expect("NUL is refused");
        assert_eq!(e.field, "q");
        assert!(e.message.contains("第 2 个字符") && e.message.contains("U+0000"), "{}", e.message);
        assert!(field_error("note", "第一行\r\n第二行\t完").is_none(), "line breaks and tabs are text");
        assert!(field_error("x", "\u{1b}[31m").is_some());
        assert!(field_error("x", "\u{7f}").is_some());
    }

    #[test]
    fn finds_nested_json_fields() {
        let mut errors = vec![];
        let v: Value = serde_json::json!({"name": "ok", "members": [{"name": "ok"}, {"name": "bad\u{0}"}]});
        json(&v, "", &mut errors);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "members[1].name");
    }

    #[test]
    fn finds_form_fields() {
        let mut errors = vec![];
        pairs(b"username=lin&password=a%00b", &mut errors);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "password");
    }
}
