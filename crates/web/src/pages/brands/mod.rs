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

use axum::http::Method;

use crate::error::AppError;
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

/// The one-line message of an error, for a form's alert.
pub(crate) fn message(e: &AppError) -> String {
    e.public_message()
}
