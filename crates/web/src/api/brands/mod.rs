//! Brands over the API: the matrix of a unit's subtree, one brand with its
//! structure, history, standard and logo, the lifecycle steps, and the brand
//! standards issued by units.
//!
//! Who may call what (as the pages): reading needs the brand's unit in the
//! caller's read scope (else 404); writes need unit admin over it (else
//! 403); decisions, confirmations and moving down need reviewer (or system
//! admin) over the unit's parent (else 403).
//!
//! Honors (荣誉) are filed by units and held by a brand, a unit, a team or a
//! person; reading needs the filing unit in scope.

mod brand;
mod honors;
mod matrix;
mod review;
mod standards;
mod structure;

use utoipa::OpenApi;

use crate::error::{AppError, AppResult};
use crate::routes::{Route, route};

pub fn routes() -> Vec<Route> {
    use axum::http::Method as M;
    vec![
        route(M::GET, "/api/v1/brands", brand::list),
        route(M::POST, "/api/v1/brands", brand::create),
        route(M::GET, "/api/v1/brands/{id}", brand::get),
        route(M::PUT, "/api/v1/brands/{id}", brand::update),
        route(M::DELETE, "/api/v1/brands/{id}", brand::delete),
        route(M::GET, "/api/v1/brands/{id}/structure", structure::structure),
        route(M::PUT, "/api/v1/brands/{id}/structure", structure::replace_structure),
        route(M::PUT, "/api/v1/brands/{id}/logo", brand::logo).uploads(crate::routes::FILE_UPLOAD),
        route(M::GET, "/api/v1/brands/{id}/history", brand::history),
        route(M::POST, "/api/v1/brands/{id}/apply", review::apply),
        route(M::POST, "/api/v1/brands/{id}/decide", review::decide),
        route(M::POST, "/api/v1/brands/{id}/demote", review::demote),
        route(M::GET, "/api/v1/brands/{id}/standard", review::standing),
        route(M::POST, "/api/v1/brands/{id}/evidence", review::add_evidence),
        route(M::POST, "/api/v1/brands/{id}/items/{item}/confirm", review::confirm),
        route(M::GET, "/api/v1/brand-matrix", matrix::matrix),
        route(M::GET, "/api/v1/standards", standards::standards),
        route(M::PUT, "/api/v1/standards", standards::issue_standard),
        route(M::GET, "/api/v1/honors", honors::list),
        route(M::POST, "/api/v1/honors", honors::create),
        route(M::GET, "/api/v1/honors/{id}", honors::get),
        route(M::PUT, "/api/v1/honors/{id}", honors::update),
        route(M::DELETE, "/api/v1/honors/{id}", honors::delete),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        brand::list, brand::create, brand::get, brand::update, brand::delete, structure::structure,
        structure::replace_structure, brand::logo, brand::history, review::apply, review::decide, review::demote,
        review::standing, review::add_evidence, review::confirm, matrix::matrix, standards::standards,
        standards::issue_standard, honors::list, honors::create, honors::get, honors::update, honors::delete,
    ),
    components(schemas(
        brand::BrandView, brand::BrandsView, brand::BrandBody, structure::ElementNode, brand::BrandDetail,
        brand::EventView, brand::VersionView, brand::HistoryView, review::ApplyBody, review::DecideBody,
        review::DemoteBody, review::EvidenceView, review::ItemStanding, review::StandingView, review::EvidenceBody,
        review::ConfirmBody, matrix::MatrixNode, standards::StandardItemView, standards::StandardView,
        standards::StandardsView, standards::StandardItemBody, standards::StandardBody, brand::LogoForm,
        honors::HonorView, honors::HonorsView, honors::HonorBody,
    )),
    tags((name = "brands", description = "Party-building brands (党建品牌)"), (name = "honors", description = "Honors (荣誉)"))
)]
pub struct BrandsApi;

/// Adds this part to the application's OpenAPI document.
pub struct Doc;

impl utoipa::Modify for Doc {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        super::merge_part(openapi, BrandsApi::openapi());
    }
}

fn opt_parse<T>(v: Option<&str>, parse: impl Fn(&str) -> Result<T, String>) -> AppResult<Option<T>> {
    v.filter(|s| !s.trim().is_empty()).map(|s| parse(s).map_err(AppError::BadRequest)).transpose()
}
