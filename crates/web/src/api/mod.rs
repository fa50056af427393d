//! The JSON API under `/api/v1`, for integrations and scripts. Callers
//! authenticate with a bearer token (`qizhi user token`) or the session
//! cookie (then writes need the `X-CSRF-Token` header). Answers are view
//! types, never database rows; errors are `{"error": {code, message, fields?}}`.

mod answers;
mod audit;
// -- brands
mod brands;
mod figures;
mod honors;
mod people;
// stars
pub(crate) mod stars;
mod units;
// -- fortresses, tasks, commitments, teams --
mod commitments;
mod fortresses;
mod tasks;

use axum::Json;
use axum::http::Method;
use utoipa::OpenApi;

use crate::routes::{Route, route};
// stars
use answers::ErrorAnswers;
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
        route(M::GET, "/api/v1/audit", audit::list),
        // -- brands
        route(M::GET, "/api/v1/brands", brands::list),
        route(M::POST, "/api/v1/brands", brands::create),
        route(M::GET, "/api/v1/brands/{id}", brands::get),
        route(M::PUT, "/api/v1/brands/{id}", brands::update),
        route(M::DELETE, "/api/v1/brands/{id}", brands::delete),
        route(M::GET, "/api/v1/brands/{id}/structure", brands::structure),
        route(M::PUT, "/api/v1/brands/{id}/structure", brands::replace_structure),
        route(M::PUT, "/api/v1/brands/{id}/logo", brands::logo).uploads(crate::routes::FILE_UPLOAD),
        route(M::GET, "/api/v1/brands/{id}/history", brands::history),
        route(M::POST, "/api/v1/brands/{id}/apply", brands::apply),
        route(M::POST, "/api/v1/brands/{id}/decide", brands::decide),
        route(M::POST, "/api/v1/brands/{id}/demote", brands::demote),
        route(M::GET, "/api/v1/brands/{id}/standard", brands::standing),
        route(M::POST, "/api/v1/brands/{id}/evidence", brands::add_evidence),
        route(M::POST, "/api/v1/brands/{id}/items/{item}/confirm", brands::confirm),
        route(M::GET, "/api/v1/brand-matrix", brands::matrix),
        route(M::GET, "/api/v1/standards", brands::standards),
        route(M::PUT, "/api/v1/standards", brands::issue_standard),
        route(M::GET, "/api/v1/honors", honors::list),
        route(M::POST, "/api/v1/honors", honors::create),
        route(M::GET, "/api/v1/honors/{id}", honors::get),
        route(M::PUT, "/api/v1/honors/{id}", honors::update),
        route(M::DELETE, "/api/v1/honors/{id}", honors::delete),
        // -- fortresses, tasks, commitments, teams --
        route(M::GET, "/api/v1/units/{id}/tasks", tasks::list),
        route(M::POST, "/api/v1/tasks", tasks::create),
        route(M::POST, "/api/v1/tasks/bulk", tasks::bulk),
        route(M::GET, "/api/v1/tasks/{id}", tasks::get),
        route(M::PUT, "/api/v1/tasks/{id}", tasks::update),
        route(M::GET, "/api/v1/tasks/{id}/entries", tasks::entries),
        route(M::POST, "/api/v1/tasks/{id}/entries", tasks::post_entry).uploads(crate::routes::FILE_UPLOAD),
        route(M::GET, "/api/v1/me/tasks", tasks::mine),
        route(M::GET, "/api/v1/units/{id}/fortresses", fortresses::list),
        route(M::POST, "/api/v1/fortresses", fortresses::create),
        route(M::GET, "/api/v1/fortresses/{id}", fortresses::get),
        route(M::PUT, "/api/v1/fortresses/{id}", fortresses::update),
        route(M::POST, "/api/v1/fortresses/{id}/flag", fortresses::flag),
        route(M::GET, "/api/v1/units/{id}/teams", fortresses::teams),
        route(M::POST, "/api/v1/teams", fortresses::create_team),
        route(M::GET, "/api/v1/teams/{id}", fortresses::team),
        route(M::PUT, "/api/v1/teams/{id}", fortresses::update_team),
        route(M::PUT, "/api/v1/teams/{id}/members", fortresses::members),
        route(M::GET, "/api/v1/units/{id}/commitments", commitments::list),
        route(M::GET, "/api/v1/units/{id}/commitments/missing", commitments::missing),
        route(M::GET, "/api/v1/me/commitments", commitments::mine),
        route(M::POST, "/api/v1/commitments", commitments::create),
        route(M::PUT, "/api/v1/commitments/{id}", commitments::update),
        route(M::POST, "/api/v1/commitments/{id}/verify", commitments::verify),
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
        audit::list,
        // -- brands
        brands::list, brands::create, brands::get, brands::update, brands::delete, brands::structure,
        brands::replace_structure, brands::logo, brands::history, brands::apply, brands::decide, brands::demote,
        brands::standing, brands::add_evidence, brands::confirm, brands::matrix, brands::standards,
        brands::issue_standard,
        honors::list, honors::create, honors::get, honors::update, honors::delete,
        tasks::list, tasks::create, tasks::bulk, tasks::get, tasks::update, tasks::entries, tasks::post_entry, tasks::mine,
        fortresses::list, fortresses::create, fortresses::get, fortresses::update, fortresses::flag,
        fortresses::teams, fortresses::create_team, fortresses::team, fortresses::update_team, fortresses::members,
        commitments::list, commitments::missing, commitments::mine, commitments::create, commitments::update, commitments::verify,
    ),
    components(schemas(
        units::UnitView, units::UnitBody, units::MoveBody, units::MeView, units::GrantView,
        people::PersonView, people::PersonBody, people::PeoplePage,
        figures::FiguresView, audit::AuditPageView, audit::AuditEntryView, ErrorBody, ErrorDetail, FieldErrorView,
        // -- brands
        brands::BrandView, brands::BrandsView, brands::BrandBody, brands::ElementNode, brands::BrandDetail,
        brands::EventView, brands::VersionView, brands::HistoryView, brands::ApplyBody, brands::DecideBody,
        brands::DemoteBody, brands::EvidenceView, brands::ItemStanding, brands::StandingView, brands::EvidenceBody,
        brands::ConfirmBody, brands::MatrixNode, brands::StandardItemView, brands::StandardView, brands::StandardsView,
        brands::StandardItemBody, brands::StandardBody, brands::LogoForm,
        honors::HonorView, honors::HonorsView, honors::HonorBody,
        tasks::TaskView, tasks::TaskPage, tasks::TaskBody, tasks::BulkBody, tasks::BulkView, tasks::PersonName,
        tasks::EntryView, tasks::EntryBody, tasks::EntryForm, tasks::FileView, tasks::PostedView,
        fortresses::FortressView, fortresses::FortressPage, fortresses::FortressBody, fortresses::FlagBody, fortresses::FlagView,
        fortresses::TeamView, fortresses::TeamPage, fortresses::TeamBody, fortresses::MembersBody,
        commitments::CommitmentView, commitments::CommitmentPage, commitments::CommitmentBody, commitments::VerifyBody,
        commitments::VerificationView, commitments::MissingPage, commitments::MissingMember,
    )),
    // The error answers last: they refer every operation, the stars' too, to the shared ones.
    modifiers(&BearerAuth, &StarsDoc, &ErrorAnswers),
    security(("bearer" = []))
)]
pub struct ApiDoc;

/// The schemas every part of the document refers to: the error envelope
/// and the unit. The application's document registers them; a part that
/// documents itself (the stars) holds copies that are dropped, not merged.
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
