//! The JSON API under `/api/v1`, for integrations and scripts. Callers
//! authenticate with a bearer token (`qizhi user token`) or the session
//! cookie (then writes need the `X-CSRF-Token` header). Answers are view
//! types, never database rows; errors are `{"error": {code, message, fields?}}`.

mod figures;
mod people;
// stars
pub(crate) mod stars;
mod units;

use axum::Json;
use axum::http::Method;
use utoipa::OpenApi;

use crate::routes::{Route, route};
// stars
use stars::Doc as StarsDoc;

pub fn routes() -> Vec<Route> {
    use Method as M;
    vec![
        route(M::GET, "/api/v1/openapi.json", openapi),
        route(M::GET, "/api/v1/me", units::me),
        route(M::GET, "/api/v1/units", units::search),
        route(M::POST, "/api/v1/units", units::create),
        route(M::GET, "/api/v1/units/{id}", units::get),
        route(M::PUT, "/api/v1/units/{id}", units::update),
        route(M::GET, "/api/v1/units/{id}/children", units::children),
        route(M::POST, "/api/v1/units/{id}/move", units::move_unit),
        route(M::GET, "/api/v1/units/{id}/people", people::list),
        route(M::POST, "/api/v1/people", people::create),
        route(M::GET, "/api/v1/people/{id}", people::get),
        route(M::PUT, "/api/v1/people/{id}", people::update),
        route(M::GET, "/api/v1/figures", figures::figures),
    ]
    .into_iter()
    // stars
    .chain(stars::routes())
    .collect()
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Qizhi 旗帜 API", version = "1", description = "Organization, people and figures of the party-building system. Authenticate with `Authorization: Bearer <token>` (create one with `qizhi user token USERNAME`)."),
    paths(
        units::me, units::search, units::create, units::get, units::update, units::children, units::move_unit,
        people::list, people::create, people::get, people::update,
        figures::figures,
    ),
    components(schemas(
        units::UnitView, units::UnitBody, units::MoveBody, units::MeView, units::GrantView,
        people::PersonView, people::PersonBody, people::PeoplePage,
        figures::FiguresView, ErrorBody, ErrorDetail, FieldErrorView,
    )),
    modifiers(&BearerAuth, &StarsDoc),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The error envelope every failing call answers with.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ErrorDetail {
    /// `unauthorized`, `forbidden`, `not_found`, `bad_request`, `invalid` or `internal`.
    code: String,
    message: String,
    fields: Option<Vec<FieldErrorView>>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FieldErrorView {
    field: String,
    message: String,
}
