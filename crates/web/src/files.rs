//! Uploaded files in and out. Uploads are read from a multipart field and
//! checked by `qizhi_core::file` (kind from the bytes, size limit); the
//! capability that takes the upload decides who may make it and stores it
//! with its record. Downloads (`GET /files/{id}`) answer only callers who may
//! read the file's unit, with headers that keep a browser from running
//! anything in it.

use axum::body::Body;
use axum::extract::multipart::Field;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use qizhi_core::file::{self, FileKind};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};

/// A checked upload, not yet stored.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

/// Reads and checks one multipart file field against the `allowed` kinds.
pub async fn read_upload(field: Field<'_>, allowed: &[FileKind]) -> AppResult<Upload> {
    let form_field = field.name().unwrap_or("file").to_string();
    let name = file::clean_name(field.file_name().unwrap_or_default());
    let bytes = field.bytes().await.map_err(|e| AppError::BadRequest(format!("上传失败 (upload failed): {e}")))?;
    let kind = file::check(&form_field, &name, &bytes, allowed)?;
    Ok(Upload { name, kind, bytes: bytes.to_vec() })
}

/// `GET /files/{id}` — whoever may read the file's unit (admins, reviewers,
/// viewers of a subtree holding it), and members for files of the unit
/// their member grant covers (evidence of their own branch's tasks and
/// commitments). Anyone else: 404.
pub async fn serve(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> AppResult<Response> {
    let meta = state.store.file(id).await?;
    let unit = state.store.unit(meta.unit_id).await?;
    let member_here = caller.can(&unit.path, |r| r == qizhi_core::access::Role::Member);
    if !caller.can_read(&unit.path) && !member_here {
        return Err(caller.deny(&state, "file", id, Some(&unit.path), AppError::not_found()).await);
    }
    let data = state.store.file_data(id).await?;
    let disposition = if meta.kind.is_image() || meta.kind == FileKind::Pdf { "inline" } else { "attachment" };
    let headers = [
        (header::CONTENT_TYPE, meta.kind.content_type().to_string()),
        (header::CONTENT_DISPOSITION, format!("{disposition}; filename*=UTF-8''{}", crate::views::encode(&meta.name))),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox".to_string()),
        (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
    ];
    Ok((headers, Body::from(data)).into_response())
}
