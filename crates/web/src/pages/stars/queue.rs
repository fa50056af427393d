//! The reviewer's queue: entries waiting for the caller's review, level by
//! level, and bulk review (accept the scores below, or return).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::campaigns::entry_row;
use super::{form_errors, may_review, require, review_scope};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::again;
use crate::kit::flash;
use crate::kit::form::Fields;
use crate::pages::{chrome, render};
use crate::views::stars::QueuePage;

#[derive(Deserialize)]
pub struct QueueQuery {
    campaign: Option<i64>,
    flash: Option<String>,
}

async fn queue_page(
    state: &AppState,
    caller: &Caller,
    campaign: Option<i64>,
    errors: Vec<String>,
) -> PageResult<QueuePage> {
    let named = match campaign {
        Some(id) => Some(access::stars::campaign(state, caller, id, Need::Read).await?),
        None => None,
    };
    let items = state.store.review_queue(&review_scope(caller), campaign).await?;
    let (mut level1, mut level2) = (vec![], vec![]);
    for q in items {
        let mut row = entry_row(&q.entry, q.parent_name.clone(), 0);
        row.campaign_name = q.campaign_name.clone();
        row.level = q.level;
        if q.level == 2 { level2.push(row) } else { level1.push(row) }
    }
    let path = match campaign {
        Some(id) => format!("/stars/queue?campaign={id}"),
        None => "/stars/queue".to_string(),
    };
    Ok(QueuePage {
        chrome: chrome(caller, "stars", &path),
        campaign: named.map(|c| (c.id, c.name)),
        level1,
        level2,
        errors,
    })
}

/// `GET /stars/queue?campaign=` — any signed-in user: the entries in review
/// they may decide on (none for those who review nothing).
pub async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(q): Query<QueueQuery>,
) -> PageResult<Response> {
    let mut page = queue_page(&state, &caller, q.campaign, vec![]).await?;
    page.chrome.flash = flash::message(caller.lang, q.flash.as_deref());
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct BulkForm {
    level: u8,
    #[serde(default)]
    action: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    ids: Vec<i64>,
}

/// `POST /stars/queue` (level, ids…, action=accept|return, comment) — the
/// reviewers of every entry listed at that level; one entry the caller may
/// not review refuses the whole request (404 out of scope, 403 otherwise).
/// All or none.
pub async fn bulk(State(state): State<AppState>, PageCaller(caller): PageCaller, form: Fields) -> PageResult<Response> {
    let f = BulkForm {
        level: form.text("level").parse().unwrap_or(1),
        action: form.text("action"),
        comment: form.get("comment").unwrap_or_default().to_string(),
        ids: form.chosen("ids").iter().filter_map(|v| v.parse().ok()).collect(),
    };
    if f.ids.is_empty() {
        let page = queue_page(&state, &caller, None, vec![caller.lang.t("stars.select_some").to_string()]).await?;
        return again::page(&page);
    }
    for &id in &f.ids {
        let d = access::stars::entry(&state, &caller, id).await?;
        let allowed = may_review(&caller, &d.entry, &d.campaign, f.level);
        require(&state, &caller, allowed, "star_entry", id, &d.entry.unit_path).await?;
    }
    let accept = match f.action.as_str() {
        "accept" => true,
        "return" => false,
        _ => return Err(AppError::BadRequest("未知的操作 (unknown action)".into()).into()),
    };
    match caller.store(&state).bulk_review(&f.ids, f.level, accept, &f.comment).await {
        Ok(_) => Ok(flash::redirect("/stars/queue", "stars.bulk")),
        Err(e) => {
            let errors = form_errors(e.into())?;
            let page = queue_page(&state, &caller, None, errors).await?;
            again::page(&page)
        }
    }
}
