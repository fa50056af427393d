//! Fortresses with their flags: list a unit's subtree, read, create, edit,
//! plant a flag.
//!
//! Who may call: reads — anyone who may read the fortress's unit; writes —
//! unit admins in scope. Out of scope: 404; in scope without the right: 403.

use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use qizhi_core::org::Unit;
use qizhi_core::tasks::{FlagInput, Fortress, FortressInput};
use qizhi_store::Page;
use qizhi_store::Scope;
use qizhi_store::fortresses::{FortressListed, FortressQuery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct FlagView {
    name: String,
    planted_on: String,
    leader_id: Option<i64>,
    leader_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FortressView {
    id: i64,
    code: String,
    unit_id: i64,
    unit_code: String,
    name: String,
    scenario_id: Option<i64>,
    scenario_name: Option<String>,
    grid_id: Option<i64>,
    grid_name: Option<String>,
    set_up_on: String,
    closed_on: Option<String>,
    leader_id: Option<i64>,
    leader_name: Option<String>,
    description: Option<String>,
    flag: Option<FlagView>,
    tasks: i64,
    tasks_done: i64,
}

impl FortressView {
    pub(super) fn new(l: &FortressListed) -> Self {
        let f = &l.fortress.fields;
        FortressView {
            id: l.fortress.id.0,
            code: f.code.clone(),
            unit_id: l.fortress.unit_id.0,
            unit_code: l.unit_code.clone(),
            name: f.name.clone(),
            scenario_id: f.scenario_id.map(|x| x.0),
            scenario_name: l.scenario_name.clone(),
            grid_id: f.grid_id.map(|x| x.0),
            grid_name: l.grid_name.clone(),
            set_up_on: qizhi_core::date::iso(f.set_up_on),
            closed_on: f.closed_on.map(qizhi_core::date::iso),
            leader_id: f.leader_id.map(|p| p.0),
            leader_name: l.leader_name.clone(),
            description: f.description.clone(),
            flag: l.fortress.flag.as_ref().map(|g| FlagView {
                name: g.name.clone(),
                planted_on: qizhi_core::date::iso(g.planted_on),
                leader_id: g.leader_id.map(|p| p.0),
                leader_name: l.flag_leader_name.clone(),
            }),
            tasks: l.tasks,
            tasks_done: l.tasks_done,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FortressPage {
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<FortressView>,
}

/// A fortress to set up, or the new state of one to edit. It stands on a
/// production scenario or a grid (at least one) of its unit's line.
#[derive(Deserialize, ToSchema)]
pub struct FortressBody {
    /// The owning unit (create only).
    unit_id: Option<i64>,
    code: String,
    name: String,
    scenario_id: Option<i64>,
    grid_id: Option<i64>,
    set_up_on: String,
    closed_on: Option<String>,
    leader_id: Option<i64>,
    description: Option<String>,
}

impl FortressBody {
    fn input(&self) -> FortressInput {
        FortressInput {
            code: self.code.clone(),
            name: self.name.clone(),
            scenario_id: self.scenario_id,
            grid_id: self.grid_id,
            set_up_on: self.set_up_on.clone(),
            closed_on: self.closed_on.clone(),
            leader_id: self.leader_id,
            description: self.description.clone(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct FlagBody {
    name: String,
    planted_on: String,
    leader_id: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Exact code or part of the name.
    pub(super) q: Option<String>,
    /// Only standing fortresses / active teams.
    #[serde(default)]
    pub(super) current: bool,
    /// Teams only: `commando`, `pioneer`, `service`, `volunteer`, `expert`, `youth`.
    pub(super) kind: Option<String>,
    pub(super) page: Option<i64>,
    pub(super) per_page: Option<i64>,
}

async fn fortress_view(state: &AppState, f: &Fortress, unit: &Unit) -> AppResult<FortressView> {
    let q = FortressQuery { id: Some(f.id), page: 1, per_page: 1, ..Default::default() };
    let Page { items, .. } = state.store.fortresses(unit, &Scope::All, &q).await?;
    items.first().map(FortressView::new).ok_or_else(AppError::not_found)
}

/// Fortresses of a unit and everything under it. Anyone who may read the unit; out of scope: 404.
#[utoipa::path(get, operation_id = "fortresses_list", path = "/api/v1/units/{id}/fortresses", tag = "fortresses", params(("id" = i64, Path), ListQuery), responses((status = 200, body = FortressPage)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(lq): Query<ListQuery>,
) -> AppResult<Json<FortressPage>> {
    let unit = access::unit(&state, &caller, id, Need::Read).await?;
    let q = FortressQuery {
        id: None,
        q: lq.q.unwrap_or_default(),
        scenario: None,
        standing: lq.current,
        page: lq.page.unwrap_or(1).max(1),
        per_page: lq.per_page.unwrap_or(50).clamp(1, qizhi_store::MAX_PER_PAGE),
    };
    let Page { total, items } = state.store.fortresses(&unit, &caller.scope, &q).await?;
    Ok(Json(FortressPage {
        total,
        page: q.page,
        per_page: q.per_page,
        items: items.iter().map(FortressView::new).collect(),
    }))
}

/// A fortress (anyone who may read its unit; otherwise 404).
#[utoipa::path(get, operation_id = "fortresses_get", path = "/api/v1/fortresses/{id}", tag = "fortresses", params(("id" = i64, Path)), responses((status = 200, body = FortressView)))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> AppResult<Json<FortressView>> {
    let (f, unit) = access::fortress(&state, &caller, id, Need::Read).await?;
    Ok(Json(fortress_view(&state, &f, &unit).await?))
}

/// Set up a fortress of a unit the caller administers.
#[utoipa::path(post, operation_id = "fortresses_create", path = "/api/v1/fortresses", tag = "fortresses", request_body = FortressBody, responses((status = 201, body = FortressView)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<FortressBody>,
) -> AppResult<(StatusCode, Json<FortressView>)> {
    let unit_id = body.unit_id.ok_or_else(|| {
        AppError::Invalid(vec![qizhi_core::FieldError::new("unit_id", "请指定所属单位 (unit_id is required)")])
    })?;
    let fields = body.input().validate()?;
    let unit = access::unit(&state, &caller, unit_id, Need::Edit).await?;
    let f = caller.store(&state).create_fortress(unit.id, &fields).await?;
    Ok((StatusCode::CREATED, Json(fortress_view(&state, &f, &unit).await?)))
}

/// Edit a fortress (unit admins of its unit); a closing date closes it.
#[utoipa::path(put, operation_id = "fortresses_update", path = "/api/v1/fortresses/{id}", tag = "fortresses", params(("id" = i64, Path)), request_body = FortressBody, responses((status = 200, body = FortressView)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<FortressBody>,
) -> AppResult<Json<FortressView>> {
    let (f, unit) = access::fortress(&state, &caller, id, Need::Edit).await?;
    let fields = body.input().validate()?;
    let (_, new) = caller.store(&state).update_fortress(f.id, &fields).await?;
    Ok(Json(fortress_view(&state, &new, &unit).await?))
}

/// Plant (or replant) a fortress's flag (unit admins of its unit).
#[utoipa::path(post, operation_id = "fortresses_flag", path = "/api/v1/fortresses/{id}/flag", tag = "fortresses", params(("id" = i64, Path)), request_body = FlagBody, responses((status = 200, body = FortressView)))]
pub async fn flag(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<FlagBody>,
) -> AppResult<Json<FortressView>> {
    let (f, unit) = access::fortress(&state, &caller, id, Need::Edit).await?;
    let flag =
        FlagInput { name: body.name, planted_on: body.planted_on, leader_id: body.leader_id }.validate(&f.fields)?;
    let (_, new) = caller.store(&state).plant_flag(f.id, &flag).await?;
    Ok(Json(fortress_view(&state, &new, &unit).await?))
}
