//! The reviewer's queue: entries waiting for the caller's review, level by
//! level, and bulk review (accept the scores below, or return).

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::campaigns::entry_row;
use super::{form_errors, may_review, readable_campaign, readable_entry, require, review_scope, see_other};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::pages::{chrome, render};
use crate::views::stars::QueuePage;

#[derive(Deserialize)]
pub struct QueueQuery {
    campaign: Option<i64>,
    done: Option<String>,
}

async fn queue_page(
    state: &AppState,
    caller: &Caller,
    campaign: Option<i64>,
    errors: Vec<String>,
) -> PageResult<QueuePage> {
    let named = match campaign {
        Some(id) => Some(readable_campaign(state, caller, id).await?),
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
    page.chrome.flash = super::done_key(q.done.as_deref()).map(|k| caller.lang.t(k).to_string());
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct BulkForm {
    csrf: Option<String>,
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
pub async fn bulk(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    // A repeated `ids` field: read the pairs, then build the form.
    let get = |k: &str| pairs.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone());
    let f = BulkForm {
        csrf: get("csrf"),
        level: get("level").and_then(|v| v.parse().ok()).unwrap_or(1),
        action: get("action").unwrap_or_default(),
        comment: get("comment").unwrap_or_default(),
        ids: pairs.iter().filter(|(k, _)| k == "ids").filter_map(|(_, v)| v.parse().ok()).collect(),
    };
    caller.check_csrf(f.csrf.as_deref())?;
    if f.ids.is_empty() {
        let page = queue_page(&state, &caller, None, vec![caller.lang.t("stars.select_some").to_string()]).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    for &id in &f.ids {
        let d = readable_entry(&state, &caller, id).await?;
        let allowed = may_review(&caller, &d.entry, &d.campaign, f.level);
        require(&state, &caller, allowed, "star_entry", id, &d.entry.unit_path).await?;
    }
    let accept = match f.action.as_str() {
        "accept" => true,
        "return" => false,
        _ => return Err(AppError::BadRequest("未知的操作 (unknown action)".into()).into()),
    };
    match caller.store(&state).bulk_review(&f.ids, f.level, accept, &f.comment).await {
        Ok(_) => Ok(see_other("/stars/queue?done=bulk")),
        Err(e) => {
            let errors = form_errors(e.into())?;
            let page = queue_page(&state, &caller, None, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}
