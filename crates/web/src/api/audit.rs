//! `GET /api/v1/audit`: the audit trail of the caller's scope, for
//! inspection tools. The same readers and filters as the audit page.

use axum::Json;
use axum::extract::{Query, State};
use qizhi_store::Page;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::audit::{Filters, query, require_reader, visible};
use crate::auth::Caller;
use crate::error::AppResult;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Matches username, summary or object id.
    q: Option<String>,
    /// e.g. `create`, `update`, `delete`, `move`, `denied`, `login`.
    action: Option<String>,
    /// e.g. `unit`, `person`, `user`, `file`.
    object_kind: Option<String>,
    /// First day, YYYY-MM-DD (China Standard Time).
    from: Option<String>,
    /// Last day, YYYY-MM-DD.
    to: Option<String>,
    /// 1-based (default 1).
    page: Option<i64>,
    /// Default 100, at most 1000.
    per_page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryView {
    id: i64,
    /// Epoch milliseconds.
    at: i64,
    username: String,
    ip: Option<String>,
    action: String,
    object_kind: String,
    object_id: Option<String>,
    summary: String,
    /// The object before the change, as JSON text.
    before: Option<String>,
    /// The object after the change, as JSON text.
    after: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPageView {
    total: i64,
    page: i64,
    per_page: i64,
    entries: Vec<AuditEntryView>,
}

/// Who may: system admins (everything), unit admins and viewers (entries
/// about objects in their subtrees). Others: 403.
#[utoipa::path(get, operation_id = "audit_list", path = "/api/v1/audit", tag = "audit", params(AuditParams), responses((status = 200, body = AuditPageView)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<AuditParams>,
) -> AppResult<Json<AuditPageView>> {
    require_reader(&state, &caller).await?;
    let filters = Filters {
        q: p.q.unwrap_or_default(),
        action: p.action.unwrap_or_default(),
        object_kind: p.object_kind.unwrap_or_default(),
        from: p.from.unwrap_or_default(),
        to: p.to.unwrap_or_default(),
        page: None,
    };
    let page = p.page.unwrap_or(1).max(1);
    let per_page = p.per_page.unwrap_or(100).clamp(1, 1000);
    let Page { total, items: records } =
        state.store.audit_entries(&caller.audit_scope(), &query(&filters, page, per_page)?).await?;
    let entries = records
        .into_iter()
        .map(|r| visible(&caller, r))
        .map(|r| AuditEntryView {
            id: r.id,
            at: r.at,
            username: r.username,
            ip: r.ip,
            action: r.action,
            object_kind: r.object_kind,
            object_id: r.object_id,
            summary: r.summary,
            before: r.before,
            after: r.after,
        })
        .collect();
    Ok(Json(AuditPageView { total, page, per_page, entries }))
}
