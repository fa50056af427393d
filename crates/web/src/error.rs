//! One error type for handlers. The API answers it as JSON, pages as an
//! error page. Server faults are logged with their cause and shown to the
//! user only as "internal error".

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use qizhi_core::{FieldError, Invalid};
use qizhi_store::StoreError;
use qizhi_store::load::LoadError;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("请先登录 (sign in first)")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    /// Input that failed validation, with every field's problem.
    #[error("输入有误 (invalid input)")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

/// A write refused because of what was asked, not a server fault: an export
/// too long for one .xlsx worksheet. The user can fix it (CSV, one unit).
fn asked_too_much(e: &anyhow::Error) -> Option<&qizhi_sheet::WriteError> {
    e.downcast_ref::<qizhi_sheet::WriteError>().filter(|w| matches!(w, qizhi_sheet::WriteError::TooManyRows))
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Internal(e) if asked_too_much(e).is_some() => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            AppError::Internal(e) if asked_too_much(e).is_some() => "invalid",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::Invalid(_) => "invalid",
            AppError::Internal(_) => "internal",
        }
    }

    /// What the user may read: never the cause of a server fault.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(e) if asked_too_much(e).is_some() => {
                asked_too_much(e).map(ToString::to_string).unwrap_or_default()
            }
            AppError::Internal(e) => {
                tracing::error!("internal error: {e:#}");
                "服务器内部错误，请稍后再试或联系管理员 (internal error)".into()
            }
            AppError::Invalid(fields) => fields.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("; "),
            e => e.to_string(),
        }
    }

    pub fn not_found() -> AppError {
        AppError::NotFound("未找到该记录，或您无权查看 (not found)".into())
    }

    pub fn forbidden() -> AppError {
        AppError::Forbidden("您没有执行此操作的权限 (not allowed)".into())
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => AppError::not_found(),
            StoreError::Conflict { field, message } => AppError::Invalid(vec![FieldError::new(field, message)]),
            StoreError::Invalid(i) => i.into(),
            // PostgreSQL refuses NUL in text (SQLSTATE 22021). Requests are
            // checked at the edge (`kit::input`); this catches what a future
            // path would let through, as the user's error it is.
            StoreError::Db(sqlx::Error::Database(d)) if d.code().as_deref() == Some("22021") => AppError::Invalid(
                vec![FieldError::new("text", "含有不可见的控制字符，请删除后重试 (contains a control character)")],
            ),
            e => AppError::Internal(e.into()),
        }
    }
}

impl From<Invalid> for AppError {
    fn from(e: Invalid) -> Self {
        AppError::Invalid(e.errors)
    }
}

impl From<LoadError> for AppError {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Store(s) => s.into(),
            LoadError::Rows(rows) => AppError::Invalid(
                rows.into_iter().map(|r| FieldError::new(format!("row {} {}", r.line, r.field), r.message)).collect(),
            ),
        }
    }
}

/// The API's answer: `{"error": {"code", "message", "fields"?}}`.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = self.public_message();
        let mut body = json!({ "error": { "code": self.code(), "message": message } });
        if let AppError::Invalid(fields) = &self {
            body["error"]["fields"] = json!(fields);
        }
        let mut response = (status, Json(body)).into_response();
        // A page route answering this (an extractor's refusal) shows the message in its error page.
        response.extensions_mut().insert(Shown(message));
        response
    }
}

/// Middleware for `/api/`: any error answer that is not already JSON (an
/// extractor's rejection of a malformed body, path or query, an unknown
/// route, a wrong method) is rewrapped in the API's error envelope, so
/// clients parse one shape for every failure.
pub async fn api_error_envelope(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !api || is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let text = match axum::body::to_bytes(response.into_body(), 64 * 1024).await {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(_) => String::new(),
    };
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let message = if text.is_empty() { status.canonical_reason().unwrap_or("error").to_string() } else { text };
    (status, Json(json!({ "error": { "code": code, "message": message } }))).into_response()
}

/// An error met while serving a page: shown as an error page.
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

/// What a page's error says to the user, carried on the response to
/// `kit::error_page`, which shows it inside the app's layout.
#[derive(Debug, Clone)]
pub struct Shown(pub String);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        if status == StatusCode::UNAUTHORIZED {
            return axum::response::Redirect::to("/login").into_response();
        }
        let mut response = status.into_response();
        response.extensions_mut().insert(Shown(self.0.public_message()));
        response
    }
}

pub type PageResult<T> = Result<T, PageError>;
