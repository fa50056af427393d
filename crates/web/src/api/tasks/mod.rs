//! Fortresses and flags, tasks and their ledgers, teams and member
//! commitments (堡垒、旗帜、任务、团队、承诺) over the API; each module says who
//! may call what.

mod commitments;
mod fortresses;
mod task;
mod teams;

use utoipa::OpenApi;

use crate::routes::{Route, route};

pub fn routes() -> Vec<Route> {
    use axum::http::Method as M;
    vec![
        route(M::GET, "/api/v1/units/{id}/tasks", task::list),
        route(M::POST, "/api/v1/tasks", task::create),
        route(M::POST, "/api/v1/tasks/bulk", task::bulk),
        route(M::GET, "/api/v1/tasks/{id}", task::get),
        route(M::PUT, "/api/v1/tasks/{id}", task::update),
        route(M::GET, "/api/v1/tasks/{id}/entries", task::entries),
        route(M::POST, "/api/v1/tasks/{id}/entries", task::post_entry).uploads(crate::routes::FILE_UPLOAD),
        route(M::GET, "/api/v1/me/tasks", task::mine),
        route(M::GET, "/api/v1/units/{id}/fortresses", fortresses::list),
        route(M::POST, "/api/v1/fortresses", fortresses::create),
        route(M::GET, "/api/v1/fortresses/{id}", fortresses::get),
        route(M::PUT, "/api/v1/fortresses/{id}", fortresses::update),
        route(M::POST, "/api/v1/fortresses/{id}/flag", fortresses::flag),
        route(M::GET, "/api/v1/units/{id}/teams", teams::list),
        route(M::POST, "/api/v1/teams", teams::create),
        route(M::GET, "/api/v1/teams/{id}", teams::get),
        route(M::PUT, "/api/v1/teams/{id}", teams::update),
        route(M::PUT, "/api/v1/teams/{id}/members", teams::members),
        route(M::GET, "/api/v1/units/{id}/commitments", commitments::list),
        route(M::GET, "/api/v1/units/{id}/commitments/missing", commitments::missing),
        route(M::GET, "/api/v1/me/commitments", commitments::mine),
        route(M::POST, "/api/v1/commitments", commitments::create),
        route(M::PUT, "/api/v1/commitments/{id}", commitments::update),
        route(M::POST, "/api/v1/commitments/{id}/verify", commitments::verify),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        task::list, task::create, task::bulk, task::get, task::update, task::entries, task::post_entry,
        task::mine, fortresses::list, fortresses::create, fortresses::get, fortresses::update, fortresses::flag,
        teams::list, teams::create, teams::get, teams::update, teams::members, commitments::list,
        commitments::missing, commitments::mine, commitments::create, commitments::update, commitments::verify,
    ),
    components(schemas(
        task::TaskView, task::TaskPage, task::TaskBody, task::BulkBody, task::BulkView, task::PersonName,
        task::EntryView, task::EntryBody, task::EntryForm, task::FileView, task::PostedView,
        fortresses::FortressView, fortresses::FortressPage, fortresses::FortressBody, fortresses::FlagBody,
        fortresses::FlagView, teams::TeamView, teams::TeamPage, teams::TeamBody, teams::MembersBody,
        commitments::CommitmentView, commitments::CommitmentPage, commitments::CommitmentBody,
        commitments::VerifyBody, commitments::VerificationView, commitments::MissingPage, commitments::MissingMember,
    )),
    tags((name = "tasks", description = "Tasks and their progress ledgers (任务台账)"), (name = "fortresses", description = "Fortresses and flags (堡垒、旗帜)"), (name = "teams", description = "Teams (团队)"), (name = "commitments", description = "Member commitments (党员承诺)"))
)]
pub struct TasksApi;

/// Adds this part to the application's OpenAPI document.
pub struct Doc;

impl utoipa::Modify for Doc {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        super::merge_part(openapi, TasksApi::openapi());
    }
}
