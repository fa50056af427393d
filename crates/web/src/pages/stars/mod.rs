//! Star-rated branch evaluation (星级党支部) pages: the distribution of a
//! scope and its branches by star, schemes and their editor, campaigns and
//! their stages, a branch's evaluation page, the reviewer's queue, and score
//! spreadsheets in and out. The access rules every stars page and API call
//! share are here too.
//!
//! Who may do what (system admins may do everything):
//!
//! | action | who |
//! |---|---|
//! | read a distribution, a branch list, a campaign or an entry | whoever may read the unit (`can_read`) |
//! | read a scheme or campaign run above one's scope | whoever reads a unit under it |
//! | issue, edit, copy a scheme | unit admins of the issuing unit (`can_edit`) |
//! | start a campaign, change its dates, move its stages, award | unit admins of the campaign's unit |
//! | declare, self-assess, upload evidence | unit admins of the branch (`can_edit(branch)`) |
//! | review level 1, return, withdraw a star | reviewers of the branch's parent (`can_review(parent)`) |
//! | review level 2 (and corrections when two levels) | reviewers of the campaign's unit |
//! | record and answer objections | the campaign's admins and the level-1 reviewers |
//!
//! Outside one's scope everything answers 404; inside it, without the
//! right, 403. Both are recorded in the audit trail.

mod branches;
mod campaigns;
mod entries;
mod overview;
mod queue;
mod schemes;
pub mod sheets;

pub(crate) use overview::{campaigns_of, star_span};

use axum::http::Method;

pub(crate) use crate::access::require;
pub(crate) use crate::access::stars::*;

use crate::error::{AppError, PageError};
use crate::routes::{Route, route};

pub fn routes() -> Vec<Route> {
    use Method as M;
    vec![
        route(M::GET, "/stars", overview::page),
        route(M::GET, "/stars/branches", branches::page),
        route(M::GET, "/stars/queue", queue::page),
        route(M::POST, "/stars/queue", queue::bulk),
        route(M::GET, "/stars/schemes", schemes::list),
        route(M::GET, "/stars/schemes/new", schemes::new),
        route(M::POST, "/stars/schemes", schemes::create),
        route(M::GET, "/stars/schemes/{id}", schemes::page),
        route(M::POST, "/stars/schemes/{id}", schemes::save),
        route(M::POST, "/stars/schemes/{id}/copy", schemes::copy),
        route(M::POST, "/stars/campaigns", campaigns::create),
        route(M::GET, "/stars/campaigns/{id}", campaigns::page),
        route(M::POST, "/stars/campaigns/{id}", campaigns::save),
        route(M::POST, "/stars/campaigns/{id}/stage", campaigns::stage),
        route(M::GET, "/stars/campaigns/{id}/sheets/{file}", sheets::download),
        route(M::POST, "/stars/campaigns/{id}/scores", sheets::upload).uploads(crate::routes::LEDGER_UPLOAD),
        route(M::GET, "/stars/entries/{id}", entries::page),
        route(M::POST, "/stars/entries/{id}/declare", entries::declare),
        route(M::POST, "/stars/entries/{id}/self", entries::self_assess).uploads(crate::routes::LEDGER_UPLOAD),
        route(M::POST, "/stars/entries/{id}/review", entries::review),
        route(M::POST, "/stars/entries/{id}/return", entries::return_entry),
        route(M::POST, "/stars/entries/{id}/objections", entries::objection),
        route(M::POST, "/stars/objections/{id}/answer", entries::answer),
        route(M::POST, "/stars/entries/{id}/withdraw", entries::withdraw),
    ]
}

/// The entries of campaign `c` that wait for the caller's branch work (a
/// target to declare, a self-assessment to fill in or to redo): how many,
/// and one of them. Only in the stages that take that work.
pub(crate) async fn self_assessments_due(
    state: &crate::AppState,
    caller: &crate::auth::Caller,
    c: &qizhi_store::stars::Campaign,
) -> Result<(i64, Option<qizhi_store::stars::Entry>), AppError> {
    use qizhi_core::stars::campaign::{EntryStatus, Stage};
    if !matches!(c.stage, Stage::Create | Stage::SelfAssess) {
        return Ok((0, None));
    }
    let editable = caller.admin_scope();
    let (mut due, mut one) = (0, None);
    for status in [EntryStatus::Open, EntryStatus::Declared, EntryStatus::Returned] {
        let f = qizhi_store::stars::EntryFilter {
            status: Some(status),
            star: None,
            q: String::new(),
            page: 1,
            per_page: 1,
        };
        let page = state.store.campaign_entries(c.id, &editable, &f).await?;
        due += page.total;
        one = one.or(page.items.into_iter().next().map(|l| l.entry));
    }
    Ok((due, one))
}

/// Turns a form's validation error into the messages a page lists, and
/// anything else into the error page.
pub(crate) fn form_errors(e: AppError) -> Result<Vec<String>, PageError> {
    crate::kit::again::messages(e).map_err(PageError)
}
