//! The brand pages: the matrix (cards, table, tree), the review queue, a
//! brand's showcase, screen, form, structure editor and review page, its
//! versions, honors and standards.
//!
//! Who may do what, everywhere below (each handler repeats its own line):
//! - reading a brand, its history and honors: whoever may read its unit
//!   (admins, reviewers, viewers of a subtree holding it); outside that: 404;
//! - creating and editing a brand, its structure and evidence, applying,
//!   keeping versions, deleting a draft: admins of its unit (`can_edit`);
//!   reviewers and viewers in scope: 403;
//! - deciding on an application (初审 / 评审 / 命名, return), confirming
//!   standard items, moving a brand down: reviewers (and system admins) of
//!   the unit's PARENT (`can_review(parent path)`), never of the brand's own
//!   unit; others in scope: 403.

mod brand;
mod honors;
mod matrix;
mod review;
mod standards;
mod structure;

pub(crate) use honors::holder_id as honor_holder;

use axum::extract::Multipart;
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use qizhi_core::brand::Brand;
use qizhi_core::file::{self, FileKind};
use qizhi_core::ids::BrandId;
use qizhi_core::org::Unit;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::routes::{Route, route};

pub fn routes() -> Vec<Route> {
    use Method as M;
    vec![
        route(M::GET, "/brands", matrix::list),
        route(M::GET, "/brands/tree", matrix::tree),
        route(M::GET, "/brands/reviews", matrix::reviews),
        route(M::GET, "/brands/new", brand::new_form),
        route(M::POST, "/brands", brand::create).uploads(crate::routes::FILE_UPLOAD),
        route(M::GET, "/brands/{id}", brand::show),
        route(M::GET, "/brands/{id}/screen", brand::screen),
        route(M::GET, "/brands/{id}/edit", brand::edit_form),
        route(M::POST, "/brands/{id}/edit", brand::update).uploads(crate::routes::FILE_UPLOAD),
        route(M::POST, "/brands/{id}/delete", brand::delete),
        route(M::GET, "/brands/{id}/versions/{version}", brand::version),
        route(M::GET, "/brands/{id}/structure", structure::page),
        route(M::POST, "/brands/{id}/elements", structure::add),
        route(M::POST, "/brands/{id}/elements/{element}", structure::update),
        route(M::POST, "/brands/{id}/elements/{element}/move", structure::move_element),
        route(M::POST, "/brands/{id}/elements/{element}/delete", structure::delete),
        route(M::GET, "/brands/{id}/review", review::page),
        route(M::POST, "/brands/{id}/apply", review::apply),
        route(M::POST, "/brands/{id}/decide", review::decide),
        route(M::POST, "/brands/{id}/demote", review::demote),
        route(M::POST, "/brands/{id}/evidence", review::add_evidence).uploads(crate::routes::FILE_UPLOAD),
        route(M::POST, "/brands/{id}/evidence/{evidence}/delete", review::delete_evidence),
        route(M::POST, "/brands/{id}/items/{item}/confirm", review::confirm),
        route(M::POST, "/brands/{id}/versions", review::save_version),
        route(M::GET, "/honors", honors::list),
        route(M::GET, "/honors/new", honors::new_form),
        route(M::POST, "/honors", honors::create).uploads(crate::routes::FILE_UPLOAD),
        route(M::GET, "/honors/{id}/edit", honors::edit_form),
        route(M::POST, "/honors/{id}/edit", honors::update).uploads(crate::routes::FILE_UPLOAD),
        route(M::POST, "/honors/{id}/delete", honors::delete),
        route(M::GET, "/standards", standards::page),
        route(M::POST, "/standards/{unit}", standards::issue).uploads(crate::routes::FILE_UPLOAD),
    ]
}

/// The path whose reviewers decide on the brands of `unit`: its parent's
/// (empty for the root, which only a system admin matches).
pub(crate) async fn review_path(state: &AppState, unit: &Unit) -> AppResult<String> {
    Ok(match unit.parent_id {
        Some(p) => state.store.unit(p).await?.path,
        None => String::new(),
    })
}

/// A brand the caller may read, with its unit; 404 outside scope (recorded).
pub(crate) async fn readable_brand(state: &AppState, caller: &Caller, id: i64) -> AppResult<(Brand, Unit)> {
    let brand = state.store.brand(BrandId(id)).await?;
    let unit = state.store.unit(brand.unit_id).await?;
    if caller.can_read(&unit.path) {
        Ok((brand, unit))
    } else {
        Err(caller.deny(state, "brand", id, Some(&unit.path), AppError::not_found()).await)
    }
}

/// A brand the caller administers: 404 outside scope, 403 without the right.
pub(crate) async fn editable_brand(state: &AppState, caller: &Caller, id: i64) -> AppResult<(Brand, Unit)> {
    let (brand, unit) = readable_brand(state, caller, id).await?;
    if caller.can_edit(&unit.path) {
        Ok((brand, unit))
    } else {
        Err(caller.deny(state, "brand", id, Some(&unit.path), AppError::forbidden()).await)
    }
}

/// A brand the caller may decide on (a reviewer of its unit's parent):
/// 404 outside scope, 403 without the right.
pub(crate) async fn reviewable_brand(state: &AppState, caller: &Caller, id: i64) -> AppResult<(Brand, Unit)> {
    let (brand, unit) = readable_brand(state, caller, id).await?;
    if caller.can_review(&review_path(state, &unit).await?) {
        Ok((brand, unit))
    } else {
        Err(caller.deny(state, "brand", id, Some(&unit.path), AppError::forbidden()).await)
    }
}

/// A form posted as multipart: its text fields in order and its files.
pub(crate) struct Posted {
    pub fields: Vec<(String, String)>,
    pub files: Vec<(String, String, Vec<u8>)>,
}

impl Posted {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or("").to_string()
    }

    /// A trimmed value, `None` when empty.
    pub fn opt(&self, name: &str) -> Option<String> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    /// A non-empty uploaded file, checked against `allowed` (kind from the bytes, size).
    pub fn file(&self, name: &str, allowed: &[FileKind]) -> AppResult<Option<crate::files::Upload>> {
        match self.files.iter().find(|(k, n, b)| k == name && !(n.is_empty() && b.is_empty())) {
            None => Ok(None),
            Some((_, _, bytes)) if bytes.is_empty() => Ok(None),
            Some((field, fname, bytes)) => {
                let clean = file::clean_name(fname);
                let kind = file::check(field, &clean, bytes, allowed)?;
                Ok(Some(crate::files::Upload { name: clean, kind, bytes: bytes.clone() }))
            }
        }
    }
}

/// Reads a whole multipart form (files are bounded by the app's body limit).
pub(crate) async fn read_multipart(mut form: Multipart) -> AppResult<Posted> {
    let failed =
        |e: axum::extract::multipart::MultipartError| AppError::BadRequest(format!("上传失败 (upload failed): {e}"));
    let mut posted = Posted { fields: vec![], files: vec![] };
    while let Some(field) = form.next_field().await.map_err(failed)? {
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(fname) => {
                let bytes = field.bytes().await.map_err(failed)?;
                posted.files.push((name, fname, bytes.to_vec()));
            }
            None => {
                let text = field.text().await.map_err(failed)?;
                crate::kit::input::check_field(&name, &text)?;
                posted.fields.push((name, text));
            }
        }
    }
    Ok(posted)
}

/// After a successful form: back to `to` with a one-time message key.
pub(crate) fn done(to: &str, msg: &str) -> Response {
    let sep = if to.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{to}{sep}msg={msg}")).into_response()
}

/// The message shown for `?msg=KEY` (only known keys: nothing is echoed).
pub(crate) fn flash(caller: &Caller, msg: Option<&str>) -> Option<String> {
    const KEYS: &[&str] = &[
        "created",
        "saved",
        "applied",
        "approved",
        "named",
        "returned",
        "demoted",
        "evidence",
        "confirmed",
        "version",
        "deleted",
    ];
    let m = msg?;
    KEYS.contains(&m).then(|| caller.lang.t(&format!("brands.msg.{m}")).to_string())
}

/// The one-line message of an error, for a form's alert.
pub(crate) fn message(e: &AppError) -> String {
    e.public_message()
}
