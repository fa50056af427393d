//! The one reader of posted forms whose shape is not a fixed struct:
//! repeated keys (multi-selects, rows of a table), optional files. It reads
//! urlencoded and multipart bodies alike, so a handler does not care which
//! the browser sent. Forms of a fixed shape deserialize into their struct
//! with `axum::Form<T>` instead.
//!
//! Multipart text fields are checked for control characters here (the
//! urlencoded ones already were, by `kit::input`); the CSRF token was
//! checked before the handler ran (`kit::csrf`).

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;
use qizhi_core::file::{self, FileKind};

use crate::error::{AppError, AppResult};

/// A checked upload, not yet stored.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

/// A posted form: its text fields in order, and its files.
#[derive(Debug, Default)]
pub struct Fields {
    fields: Vec<(String, String)>,
    /// (field, file name, bytes)
    files: Vec<(String, String, Bytes)>,
}

impl Fields {
    /// The first value of `name` as sent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, trimmed; empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.get(name).map(str::trim).unwrap_or_default().to_string()
    }

    /// The first value of `name`, trimmed; `None` when absent or empty.
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|v| !v.is_empty())
    }

    /// Every value of `name`, trimmed, empty ones kept: the columns of a
    /// table of rows stay aligned.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).collect()
    }

    /// The non-empty values of `name`: what a multi-select or a set of
    /// checkboxes chose.
    pub fn chosen(&self, name: &str) -> Vec<String> {
        self.all(name).into_iter().filter(|v| !v.is_empty()).collect()
    }

    /// An id field: `None` when empty; a bad request when not a number.
    pub fn id(&self, name: &str) -> AppResult<Option<i64>> {
        self.opt(name).map(|v| parse_id(name, &v)).transpose()
    }

    /// The ids chosen in `name`.
    pub fn ids(&self, name: &str) -> AppResult<Vec<i64>> {
        self.chosen(name).iter().map(|v| parse_id(name, v)).collect()
    }

    /// Every (name, value) pair as sent, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.fields
    }

    /// A non-empty uploaded file of field `name`, checked against `allowed`
    /// (kind from the bytes, size).
    pub fn file(&self, name: &str, allowed: &[FileKind]) -> AppResult<Option<Upload>> {
        self.files.iter().find(|(k, _, bytes)| k == name && !bytes.is_empty()).map(|f| check(f, allowed)).transpose()
    }

    /// Every non-empty file of field `name`, each checked on its own (a form
    /// may say which of several files is wrong).
    pub fn files(&self, name: &str, allowed: &[FileKind]) -> Vec<AppResult<Upload>> {
        self.files.iter().filter(|(k, _, bytes)| k == name && !bytes.is_empty()).map(|f| check(f, allowed)).collect()
    }

    /// The names of the fields that carry a non-empty file, in order.
    pub fn file_fields(&self) -> impl Iterator<Item = &str> {
        self.files.iter().filter(|(_, _, bytes)| !bytes.is_empty()).map(|(k, _, _)| k.as_str())
    }

    /// The uploaded file of field `name`, refused when none was chosen.
    pub fn required_file(&self, name: &str, allowed: &[FileKind]) -> AppResult<Upload> {
        self.file(name, allowed)?
            .ok_or_else(|| AppError::BadRequest(format!("请选择要上传的文件 (no file chosen: {name})")))
    }

    /// The raw bytes and name of the file of field `name` (a ledger, read by
    /// its own reader), when one was sent.
    pub fn raw_file(&self, name: &str) -> Option<(&str, &Bytes)> {
        self.files.iter().find(|(k, _, bytes)| k == name && !bytes.is_empty()).map(|(_, n, b)| (n.as_str(), b))
    }
}

fn check((field, name, bytes): &(String, String, Bytes), allowed: &[FileKind]) -> AppResult<Upload> {
    let clean = file::clean_name(name);
    let kind = file::check(field, &clean, bytes, allowed)?;
    Ok(Upload { name: clean, kind, bytes: bytes.to_vec() })
}

fn parse_id(name: &str, value: &str) -> AppResult<i64> {
    value.parse().map_err(|_| AppError::BadRequest(format!("{name}: “{value}” 不是编号 (not an id)")))
}

fn upload_failed(e: axum::extract::multipart::MultipartError) -> AppError {
    AppError::BadRequest(format!("上传失败 (upload failed): {}", e.body_text()))
}

impl Fields {
    /// Reads a multipart form a handler took as a stream, after deciding
    /// who may send it.
    pub async fn read(mut form: Multipart) -> AppResult<Fields> {
        let mut out = Fields::default();
        while let Some(field) = form.next_field().await.map_err(upload_failed)? {
            let name = field.name().unwrap_or_default().to_string();
            match field.file_name().map(str::to_string) {
                Some(fname) => {
                    let bytes = field.bytes().await.map_err(upload_failed)?;
                    out.files.push((name, fname, bytes));
                }
                None => {
                    let text = field.text().await.map_err(upload_failed)?;
                    crate::kit::input::check_field(&name, &text)?;
                    out.fields.push((name, text));
                }
            }
        }
        Ok(out)
    }
}

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if content_type.trim_start().to_ascii_lowercase().starts_with("multipart/form-data") {
            let form =
                Multipart::from_request(request, state).await.map_err(|e| AppError::BadRequest(e.body_text()))?;
            Fields::read(form).await
        } else {
            let bytes = Bytes::from_request(request, state).await.map_err(|e| AppError::BadRequest(e.body_text()))?;
            let fields = form_urlencoded::parse(&bytes).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            Ok(Fields { fields, files: vec![] })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(pairs: &[(&str, &str)]) -> Fields {
        Fields { fields: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), files: vec![] }
    }

    #[test]
    fn reads_repeated_and_empty_values() {
        let f = of(&[("name", " 红旗 "), ("item", "a"), ("item", ""), ("item", "c"), ("id", "7"), ("id", "")]);
        assert_eq!(f.text("name"), "红旗");
        assert_eq!(f.get("name"), Some(" 红旗 "));
        assert_eq!(f.all("item"), ["a", "", "c"]);
        assert_eq!(f.chosen("item"), ["a", "c"]);
        assert_eq!(f.ids("id").unwrap(), [7]);
        assert_eq!(f.opt("missing"), None);
        assert!(of(&[("id", "x")]).id("id").is_err());
    }
}
