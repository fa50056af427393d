//! The JSON API under `/api/v1`, for integrations and scripts. Callers
//! authenticate with a bearer token (`qizhi user token`) or the session
//! cookie (then writes need the `X-CSRF-Token` header). Answers are view
//! types, never database rows; errors are `{"error": {code, message, fields?}}`.

//!
//! The organization's own resources (units, people, figures, audit) are
//! declared here; each capability (brands, stars, tasks) declares its routes
//! and its part of the OpenAPI document in its folder, gathered below.

mod answers;
mod assessments;
mod audit;
mod figures;
mod grids;
mod people;
mod units;

mod brands;
mod stars;
mod tasks;

use axum::Json;
use axum::http::Method;
use utoipa::OpenApi;

use answers::ErrorAnswers;
use brands::Doc as BrandsDoc;
use qizhi_core::org::Unit;
use stars::Doc as StarsDoc;
use tasks::Doc as TasksDoc;

use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::routes::{Route, route};

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
        route(M::GET, "/api/v1/units/{id}/grids", grids::grids),
        route(M::GET, "/api/v1/units/{id}/scenarios", grids::scenarios),
        route(M::GET, "/api/v1/units/{id}/assessments", assessments::standings),
        route(M::PUT, "/api/v1/units/{id}/assessments/rule", assessments::set_rule),
        route(M::GET, "/api/v1/figures", figures::figures),
        route(M::GET, "/api/v1/audit", audit::list),
    ]
    .into_iter()
    .chain(brands::routes())
    .chain(stars::routes())
    .chain(tasks::routes())
    .collect()
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Qizhi 旗帜 API", version = "1", description = "Organization, people and figures of the party-building system. Authenticate with `Authorization: Bearer <token>` (create one with `qizhi user token USERNAME`)."),
    paths(
        units::me, units::search, units::create, units::get, units::update, units::children, units::move_unit,
        people::list, people::create, people::get, people::update,
        grids::grids, grids::scenarios, assessments::standings, assessments::set_rule,
        figures::figures,
        audit::list,
    ),
    components(schemas(
        units::UnitView, units::UnitBody, units::MoveBody, units::MeView, units::GrantView,
        people::PersonView, people::PersonBody, people::PeoplePage,
        grids::GridView, grids::GridsPage, grids::ScenarioView, grids::ScenariosPage,
        assessments::AssessedUnitView, assessments::AssessmentStandingsView, assessments::TierRuleBody,
        figures::FiguresView, audit::AuditPageView, audit::AuditEntryView, ErrorBody, ErrorDetail, FieldErrorView,
    )),
    // The error answers last: they refer every operation, the capabilities'
    // too, to the shared ones.
    modifiers(&BearerAuth, &BrandsDoc, &StarsDoc, &TasksDoc, &ErrorAnswers),
    security(("bearer" = []))
)]
pub struct ApiDoc;

/// The schemas every part of the document refers to: the error envelope
/// and the unit. The application's document registers them; a capability's
/// part holds copies that are dropped, not merged (`merge_part`).
pub const SHARED_SCHEMAS: &[&str] = &["ErrorBody", "ErrorDetail", "FieldErrorView", "UnitView"];

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

/// The unit named by `org` (404 when unknown; outside the caller's read
/// scope 404 too, recorded as `denied`), else the caller's first scope root.
pub(crate) async fn scope_unit(state: &AppState, caller: &Caller, org: Option<&str>) -> AppResult<Unit> {
    match org {
        Some(code) => {
            let unit = state.store.unit_by_code(code).await?.ok_or_else(AppError::not_found)?;
            access::unit(state, caller, unit.id.0, Need::Read).await
        }
        None => {
            Ok(state.store.scope_roots(&caller.scope).await?.into_iter().next().ok_or_else(AppError::not_found)?.unit)
        }
    }
}

/// Merges a capability's part into the application's document. utoipa
/// registers every schema a path or a schema refers to, so a part brings its
/// own copies of the shared ones; the application's are the registered ones.
/// Any other name both hold would be two schemas under one name, and `merge`
/// would silently keep the first, documenting one capability's answers with
/// another's shapes.
fn merge_part(openapi: &mut utoipa::openapi::OpenApi, mut part: utoipa::openapi::OpenApi) {
    if let (Some(ours), Some(theirs)) = (part.components.as_mut(), &openapi.components) {
        ours.schemas.retain(|name, schema| match theirs.schemas.get(name) {
            None => true,
            Some(other) if SHARED_SCHEMAS.contains(&name.as_str()) && other == schema => false,
            Some(_) => panic!("schema {name} is registered twice in the OpenAPI document"),
        });
    }
    openapi.merge(part);
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
    /// `unauthorized`, `forbidden`, `not_found`, `bad_request`, `invalid`,
    /// `unsupported_media_type`, `method_not_allowed` or `internal`.
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
