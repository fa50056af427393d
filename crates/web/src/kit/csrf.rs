//! Cross-site request forgery, refused for every route at once.
//!
//! A state-changing request (anything but GET, HEAD and OPTIONS) that is
//! authenticated by the session cookie must present the session's CSRF
//! token: in the `X-CSRF-Token` header (API calls from pages, htmx) or as
//! the `csrf` field of its form (urlencoded, or the first field of a
//! multipart form). This layer, put
//! on every route by [`crate::routes::router`] inside the route's body
//! limit, finds the presented token and leaves it in the request as a
//! [`Presented`]; resolving the caller (`auth::authenticate`) compares it
//! with the session's and refuses with 403 when it is missing or wrong.
//! Handlers never check it themselves, so a new write route cannot forget.
//! Bearer-token callers (integrations) carry no cookie and need no token.

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::stream::{self, StreamExt};

use crate::auth::{CSRF_HEADER, SESSION_COOKIE, cookie};
use crate::error::AppError;

/// The name of the hidden form field carrying the token.
pub const FIELD: &str = "csrf";

/// The token a request presented, if any.
#[derive(Clone, Debug, Default)]
pub struct Presented(pub Option<String>);

/// Whether a request of `method` changes state and so needs the token.
pub fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The layer: see the module documentation. `limit` is the route's body limit.
pub async fn find_token(State(limit): State<usize>, request: Request, next: Next) -> Response {
    if !changes_state(request.method()) || !cookie_session(request.headers()) {
        return next.run(request).await;
    }
    if let Some(token) = request.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        let token = Some(token.to_string());
        let mut request = request;
        request.extensions_mut().insert(Presented(token));
        return next.run(request).await;
    }
    let essence = essence(request.headers());
    let form = essence == "application/x-www-form-urlencoded";
    if essence == "multipart/form-data" {
        let (mut request, token) = multipart_token(request).await;
        request.extensions_mut().insert(Presented(token));
        return next.run(request).await;
    }
    if !form {
        let mut request = request;
        request.extensions_mut().insert(Presented(None));
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let bytes = match to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let message = format!("请求内容超过 {} MiB (request body too large)", limit.div_ceil(1024 * 1024));
            let api = parts.uri.path().starts_with("/api/");
            return crate::kit::input::refusal(api, StatusCode::PAYLOAD_TOO_LARGE, AppError::BadRequest(message));
        }
    };
    let token = form_token(&bytes);
    parts.extensions.insert(Presented(token));
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Whether the request would be authenticated by the session cookie (a
/// bearer token wins over a cookie, as in `auth::authenticate`).
fn cookie_session(headers: &HeaderMap) -> bool {
    headers.get(header::AUTHORIZATION).is_none() && cookie(headers, SESSION_COOKIE).is_some()
}

fn essence(headers: &HeaderMap) -> String {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

fn form_token(bytes: &[u8]) -> Option<String> {
    form_urlencoded::parse(bytes).find(|(k, _)| k == FIELD).map(|(_, v)| v.into_owned())
}

/// How much of a multipart body is read for the token: forms send it as
/// their first field, so an upload is not read before its handler decides
/// who may make it.
const PEEK: usize = 64 * 1024;

/// The `csrf` field at the head of a multipart body, and the request with
/// its body whole again (the head read put back before the rest).
async fn multipart_token(request: Request) -> (Request, Option<String>) {
    let (parts, body) = request.into_parts();
    let mut rest = body.into_data_stream();
    let mut head = Vec::new();
    let mut token = None;
    while head.len() < PEEK {
        match rest.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            _ => break,
        }
        token = first_field(&parts.headers, Bytes::copy_from_slice(&head[..head.len().min(PEEK)])).await;
        if token.is_some() {
            break;
        }
    }
    let body = stream::once(async move { Ok::<_, axum::Error>(Bytes::from(head)) }).chain(rest);
    (Request::from_parts(parts, Body::from_stream(body)), token)
}

/// The value of the `csrf` field when it is the first part of `head`.
async fn first_field(headers: &HeaderMap, head: Bytes) -> Option<String> {
    let mut request = Request::new(Body::from(head));
    *request.headers_mut() = headers.clone();
    let mut form = Multipart::from_request(request, &()).await.ok()?;
    let field = form.next_field().await.ok()??;
    if field.name() != Some(FIELD) || field.file_name().is_some() {
        return None;
    }
    field.text().await.ok()
}

/// Compares the presented token with the session's, in constant time.
pub fn check(expected: &str, presented: Option<&Presented>) -> Result<(), AppError> {
    match presented.and_then(|p| p.0.as_deref()) {
        Some(p) if constant_time_eq(p, expected) => Ok(()),
        _ => Err(AppError::Forbidden("CSRF 校验失败，请刷新页面后重试 (CSRF token missing or wrong)".into())),
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_form_field() {
        assert_eq!(form_token(b"name=a&csrf=abc%2B&x=1").as_deref(), Some("abc+"));
        assert_eq!(form_token(b"name=a"), None);
    }

    #[test]
    fn refuses_a_missing_or_wrong_token() {
        assert!(check("abc", Some(&Presented(Some("abc".into())))).is_ok());
        assert!(check("abc", Some(&Presented(Some("abd".into())))).is_err());
        assert!(check("abc", Some(&Presented(None))).is_err());
        assert!(check("abc", None).is_err());
    }

    #[tokio::test]
    async fn reads_the_multipart_field() {
        let body = "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n--b--\r\n";
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, "multipart/form-data; boundary=b".parse().unwrap());
        assert_eq!(first_field(&headers, Bytes::from(body)).await.as_deref(), Some("tok"));
        let cut = "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nto";
        assert_eq!(first_field(&headers, Bytes::from(cut)).await, None, "a part not yet whole");
    }
}
