//! `/api/v1/stars/…`: star-rated branch evaluation for integrations —
//! schemes, campaigns and their stages, a branch's entry (declaration,
//! self-assessment, evidence, review, return, objections, withdrawal), the
//! reviewer's queue and bulk review, the distribution of a scope year over
//! year and the branches behind each figure.
//!
//! Access is the pages' (see `pages::stars`): 404 outside the caller's
//! scope, 403 inside it without the right, both recorded; writes through
//! the caller's acting store, audited; cookie callers send the CSRF header.

use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::routes::{Route, route};

mod branches;
mod campaigns;
mod entries;
mod queue;
mod schemes;

pub fn routes() -> Vec<Route> {
    use axum::http::Method as M;
    vec![
        route(M::GET, "/api/v1/stars/schemes", schemes::list_schemes),
        route(M::POST, "/api/v1/stars/schemes", schemes::create_scheme),
        route(M::GET, "/api/v1/stars/schemes/{id}", schemes::get_scheme),
        route(M::PUT, "/api/v1/stars/schemes/{id}", schemes::update_scheme),
        route(M::POST, "/api/v1/stars/schemes/{id}/copy", schemes::copy_scheme),
        route(M::GET, "/api/v1/stars/campaigns", campaigns::list_campaigns),
        route(M::POST, "/api/v1/stars/campaigns", campaigns::create_campaign),
        route(M::GET, "/api/v1/stars/campaigns/{id}", campaigns::get_campaign),
        route(M::PUT, "/api/v1/stars/campaigns/{id}", campaigns::update_campaign),
        route(M::POST, "/api/v1/stars/campaigns/{id}/stage", campaigns::move_stage),
        route(M::GET, "/api/v1/stars/campaigns/{id}/entries", campaigns::campaign_entries),
        route(M::GET, "/api/v1/stars/entries/{id}", entries::get_entry),
        route(M::PUT, "/api/v1/stars/entries/{id}/declaration", entries::declare),
        route(M::PUT, "/api/v1/stars/entries/{id}/self", entries::self_assess),
        route(M::POST, "/api/v1/stars/entries/{id}/evidence", entries::evidence).uploads(crate::routes::FILE_UPLOAD),
        route(M::PUT, "/api/v1/stars/entries/{id}/review", entries::review),
        route(M::POST, "/api/v1/stars/entries/{id}/return", entries::return_entry),
        route(M::POST, "/api/v1/stars/entries/{id}/withdraw", entries::withdraw),
        route(M::POST, "/api/v1/stars/entries/{id}/objections", entries::add_objection),
        route(M::POST, "/api/v1/stars/objections/{id}/answer", entries::answer_objection),
        route(M::GET, "/api/v1/stars/queue", queue::queue),
        route(M::POST, "/api/v1/stars/queue", queue::bulk_review),
        route(M::GET, "/api/v1/stars/distribution", branches::distribution),
        route(M::GET, "/api/v1/stars/branches", branches::branches),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        schemes::list_schemes, schemes::create_scheme, schemes::get_scheme, schemes::update_scheme, schemes::copy_scheme,
        campaigns::list_campaigns, campaigns::create_campaign, campaigns::get_campaign, campaigns::update_campaign, campaigns::move_stage, campaigns::campaign_entries,
        entries::get_entry, entries::declare, entries::self_assess, entries::evidence, entries::review, entries::return_entry, entries::withdraw, entries::add_objection, entries::answer_objection,
        queue::queue, queue::bulk_review, branches::distribution, branches::branches,
    ),
    components(schemas(
        schemes::SchemeView, schemes::SchemeIn, schemes::CopyIn, campaigns::CampaignView, campaigns::CampaignIn, campaigns::StageIn, campaigns::CampaignDetail, campaigns::StatsView, campaigns::QuotaView,
        entries::EntryView, entries::EntryPage, entries::EntryDetailView, entries::ScoreView, entries::EvidenceView, entries::ObjectionView, entries::OutcomeView, entries::DimensionView,
        entries::DeclarationIn, entries::SelfIn, entries::SelfScoreIn, entries::ReviewIn, entries::ReviewScoreIn, entries::CommentIn, entries::WithdrawIn, entries::ObjectionIn, entries::AnswerIn,
        queue::QueueItemView, queue::BulkIn, queue::BulkView, entries::EvidenceForm, branches::DistributionView, branches::YearView, branches::BranchesView, branches::BranchView,
    )),
    tags((name = "stars", description = "Star-rated branch evaluation (星级党支部)"))
)]
pub struct StarsApi;

/// Adds this part to the application's OpenAPI document.
pub struct Doc;

impl utoipa::Modify for Doc {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        super::merge_part(openapi, StarsApi::openapi());
    }
}
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgQuery {
    /// Only those concerning this unit (code): issued or run over it, above or below it.
    org: Option<String>,
}

async fn org_path(state: &AppState, caller: &Caller, org: Option<&str>) -> AppResult<Option<String>> {
    match org {
        None => Ok(None),
        Some(code) => {
            let u = state.store.unit_by_code(code).await?.ok_or_else(AppError::not_found)?;
            Ok(Some(access::unit(state, caller, u.id.0, Need::Read).await?.path))
        }
    }
}

fn related(path: &Option<String>, other: &str) -> bool {
    path.as_deref().is_none_or(|p| other.starts_with(p) || p.starts_with(other))
}
