use super::entries::EntryView;
use crate::AppState;
use crate::access::require;
use crate::access::stars::{may_review, review_scope};
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::{Query, State};
use qizhi_core::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct QueueItemView {
    entry: EntryView,
    campaign_name: String,
    /// The level waiting: 1 or 2.
    level: u8,
}

#[derive(Deserialize, ToSchema)]
pub struct BulkIn {
    ids: Vec<i64>,
    level: u8,
    /// `accept` (take the level below's scores) or `return`.
    action: String,
    #[serde(default)]
    comment: String,
}

#[derive(Serialize, ToSchema)]
#[schema(as = StarBulkView)]
pub struct BulkView {
    done: usize,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// One campaign only.
    campaign: Option<i64>,
}

/// Entries in review waiting for the caller's decision — any signed-in user
/// (empty for those who review nothing).
#[utoipa::path(get, operation_id = "stars_queue", path = "/api/v1/stars/queue", tag = "stars", params(QueueQuery), responses((status = 200, body = Vec<QueueItemView>), (status = 404, body = crate::api::ErrorBody)))]
pub async fn queue(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<QueueQuery>,
) -> AppResult<Json<Vec<QueueItemView>>> {
    if let Some(id) = q.campaign {
        access::stars::campaign(&state, &caller, id, Need::Read).await?;
    }
    let items = state.store.review_queue(&review_scope(&caller), q.campaign).await?;
    Ok(Json(
        items
            .iter()
            .map(|i| QueueItemView {
                entry: EntryView::new(&i.entry),
                campaign_name: i.campaign_name.clone(),
                level: i.level,
            })
            .collect(),
    ))
}

/// Bulk review: accept the level below's scores, or return — the reviewers
/// of every entry listed at that level; all or none.
#[utoipa::path(post, operation_id = "stars_bulk_review", path = "/api/v1/stars/queue", tag = "stars", request_body = BulkIn, responses((status = 200, body = BulkView)))]
pub async fn bulk_review(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<BulkIn>,
) -> AppResult<Json<BulkView>> {
    if body.ids.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new(
            "ids",
            "请至少选择一个党支部 (select at least one entry)",
        )]));
    }
    for &id in &body.ids {
        let d = access::stars::entry(&state, &caller, id).await?;
        let allowed = may_review(&caller, &d.entry, &d.campaign, body.level);
        require(&state, &caller, allowed, "star_entry", id, &d.entry.unit_path).await?;
    }
    let accept = match body.action.as_str() {
        "accept" => true,
        "return" => false,
        _ => {
            return Err(AppError::Invalid(vec![FieldError::new("action", "应为 accept 或 return (accept or return)")]));
        }
    };
    let done = caller.store(&state).bulk_review(&body.ids, body.level, accept, &body.comment).await?;
    Ok(Json(BulkView { done }))
}
