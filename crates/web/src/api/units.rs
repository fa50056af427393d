//! Units: read, children, search, create, edit, move; and the caller's own grants.

use axum::Json;
use axum::extract::{Path, Query, State};
use qizhi_core::ids::UnitId;
use qizhi_core::org::{Unit, UnitInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};

#[derive(Serialize, ToSchema)]
pub struct UnitView {
    id: i64,
    code: String,
    name: String,
    short_name: Option<String>,
    /// `leadership`, `committee`, `general_branch`, `branch` or `party_group`.
    kind: String,
    parent_id: Option<i64>,
    depth: i32,
    sort_order: i32,
    /// ISO date.
    founded: Option<String>,
    /// `active` or `dissolved`.
    status: String,
    /// Direct children, where known.
    child_count: Option<i64>,
}

impl UnitView {
    pub fn new(u: &Unit, child_count: Option<i64>) -> Self {
        UnitView {
            id: u.id.0,
            code: u.code.clone(),
            name: u.name.clone(),
            short_name: u.short_name.clone(),
            kind: u.kind.code().into(),
            parent_id: u.parent_id.map(|p| p.0),
            depth: u.depth,
            sort_order: u.sort_order,
            founded: u.founded.map(qizhi_core::date::iso),
            status: u.status.code().into(),
            child_count,
        }
    }
}

/// A unit to create or the new state of one to edit. Kind and status accept
/// codes or Chinese labels.
#[derive(Deserialize, ToSchema)]
pub struct UnitBody {
    /// The parent, by id or code (create only; edits never move a unit).
    parent_id: Option<i64>,
    parent_code: Option<String>,
    code: String,
    name: String,
    short_name: Option<String>,
    kind: String,
    sort_order: Option<i32>,
    founded: Option<String>,
    status: Option<String>,
}

impl UnitBody {
    fn input(&self) -> UnitInput {
        UnitInput {
            code: self.code.clone(),
            name: self.name.clone(),
            short_name: self.short_name.clone(),
            kind: self.kind.clone(),
            sort_order: self.sort_order,
            founded: self.founded.clone(),
            status: self.status.clone(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct MoveBody {
    /// The new parent.
    parent_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct GrantView {
    role: String,
    unit_id: Option<i64>,
    unit_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MeView {
    id: i64,
    username: String,
    display_name: String,
    grants: Vec<GrantView>,
}

/// The calling account and its grants.
#[utoipa::path(get, operation_id = "me", path = "/api/v1/me", tag = "units", responses((status = 200, body = MeView)))]
pub async fn me(caller: Caller) -> Json<MeView> {
    Json(MeView {
        id: caller.user.id.0,
        username: caller.user.username.clone(),
        display_name: caller.user.display_name.clone(),
        grants: caller
            .grants
            .iter()
            .map(|g| GrantView {
                role: g.role.code().into(),
                unit_id: g.unit_id.map(|u| u.0),
                unit_name: g.unit_name.clone(),
            })
            .collect(),
    })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Part of a name or short name, or a code prefix. Empty: the caller's top units.
    q: Option<String>,
    /// Exact code.
    code: Option<String>,
    /// At most this many (default 50, max 500).
    limit: Option<i64>,
}

/// Find units by code or name, within the caller's scope.
#[utoipa::path(get, operation_id = "units_search", path = "/api/v1/units", tag = "units", params(SearchQuery), responses((status = 200, body = Vec<UnitView>)))]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Query(sq): Query<SearchQuery>,
) -> AppResult<Json<Vec<UnitView>>> {
    if let Some(code) = sq.code.as_deref() {
        let found = state.store.unit_by_code(code).await?.filter(|u| caller.can_read(&u.path));
        return Ok(Json(found.iter().map(|u| UnitView::new(u, None)).collect()));
    }
    let q = sq.q.unwrap_or_default();
    if q.trim().is_empty() {
        let roots = state.store.scope_roots(&caller.scope).await?;
        return Ok(Json(roots.iter().map(|n| UnitView::new(&n.unit, Some(n.child_count))).collect()));
    }
    let hits = state.store.search_units(&q, &caller.scope, sq.limit.unwrap_or(50).clamp(1, 500)).await?;
    Ok(Json(hits.iter().map(|u| UnitView::new(u, None)).collect()))
}

#[utoipa::path(get, operation_id = "units_get", path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path)), responses((status = 200, body = UnitView)))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> AppResult<Json<UnitView>> {
    let unit = access::unit(&state, &caller, id, Need::Read).await?;
    Ok(Json(UnitView::new(&unit, None)))
}

#[utoipa::path(get, operation_id = "units_children", path = "/api/v1/units/{id}/children", tag = "units", params(("id" = i64, Path)), responses((status = 200, body = Vec<UnitView>)))]
pub async fn children(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<UnitView>>> {
    let unit = access::unit(&state, &caller, id, Need::Read).await?;
    let kids = state.store.children(unit.id).await?;
    Ok(Json(kids.iter().map(|n| UnitView::new(&n.unit, Some(n.child_count))).collect()))
}

async fn parent_of(state: &AppState, body: &UnitBody) -> AppResult<Option<Unit>> {
    Ok(match (body.parent_id, body.parent_code.as_deref()) {
        (Some(id), _) => Some(state.store.unit(UnitId(id)).await?),
        (None, Some(code)) => Some(state.store.unit_by_code(code).await?.ok_or_else(|| {
            AppError::Invalid(vec![qizhi_core::FieldError::new("parent_code", format!("上级组织编码 “{code}” 不存在"))])
        })?),
        (None, None) => None,
    })
}

/// Create a unit under a parent the caller administers.
#[utoipa::path(post, operation_id = "units_create", path = "/api/v1/units", tag = "units", request_body = UnitBody, responses((status = 201, body = UnitView)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<UnitBody>,
) -> AppResult<(axum::http::StatusCode, Json<UnitView>)> {
    let fields = body.input().validate()?;
    let parent = parent_of(&state, &body).await?;
    let allowed = match &parent {
        Some(p) => caller.can_edit(&p.path),
        None => caller.is_system_admin(),
    };
    if !allowed {
        let path = parent.as_ref().map(|p| p.path.clone());
        let id = parent.as_ref().map_or(0, |p| p.id.0);
        let error = match &parent {
            Some(p) if !caller.can_read(&p.path) => AppError::not_found(),
            _ => AppError::forbidden(),
        };
        return Err(caller.deny(&state, "unit", id, path.as_deref(), error).await);
    }
    let unit = caller.store(&state).create_unit(parent.map(|p| p.id), &fields).await?;
    Ok((axum::http::StatusCode::CREATED, Json(UnitView::new(&unit, Some(0)))))
}

/// Edit a unit's own fields.
#[utoipa::path(put, operation_id = "units_update", path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path)), request_body = UnitBody, responses((status = 200, body = UnitView)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<UnitBody>,
) -> AppResult<Json<UnitView>> {
    let unit = access::unit(&state, &caller, id, Need::Edit).await?;
    let fields = body.input().validate()?;
    let (_, new) = caller.store(&state).update_unit(unit.id, &fields).await?;
    Ok(Json(UnitView::new(&new, None)))
}

/// Move a unit and its subtree under another parent (reorganization). The
/// caller must administer both the unit and the new parent.
#[utoipa::path(post, operation_id = "units_move", path = "/api/v1/units/{id}/move", tag = "units", params(("id" = i64, Path)), request_body = MoveBody, responses((status = 200, body = UnitView)))]
pub async fn move_unit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<MoveBody>,
) -> AppResult<Json<UnitView>> {
    let unit = access::unit(&state, &caller, id, Need::Edit).await?;
    let parent = access::unit(&state, &caller, body.parent_id, Need::Edit).await?;
    // The unit leaves its current parent, so the caller must administer that
    // too: a unit admin cannot move their own scope root out of reach.
    let old_parent = match unit.parent_id {
        Some(p) => Some(state.store.unit(p).await?),
        None => None,
    };
    if !old_parent.is_some_and(|p| caller.can_edit(&p.path)) {
        return Err(caller.deny(&state, "unit", id, Some(&unit.path), AppError::forbidden()).await);
    }
    let (_, moved) = caller.store(&state).move_unit(unit.id, parent.id).await?;
    Ok(Json(UnitView::new(&moved, None)))
}
