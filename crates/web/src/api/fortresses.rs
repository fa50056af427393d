//! Fortresses with their flags, and teams with their members: list a unit's
//! subtree, read, create, edit, plant a flag, set members.
//!
//! Who may call: reads — anyone who may read the record's unit; writes — unit
//! admins in scope. Out of scope: 404; in scope without the right: 403.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use qizhi_core::ids::PersonId;
use qizhi_core::org::Unit;
use qizhi_core::tasks::{FlagInput, Fortress, FortressInput};
use qizhi_core::teams::{Team, TeamInput, TeamKind};
use qizhi_store::Scope;
use qizhi_store::fortresses::{FortressListed, FortressQuery};
use qizhi_store::teams::{TeamListed, TeamQuery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};

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
    fn new(l: &FortressListed) -> Self {
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
    q: Option<String>,
    /// Only standing fortresses / active teams.
    #[serde(default)]
    current: bool,
    /// Teams only: `commando`, `pioneer`, `service`, `volunteer`, `expert`, `youth`.
    kind: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

async fn fortress_view(state: &AppState, f: &Fortress, unit: &Unit) -> AppResult<FortressView> {
    let q = FortressQuery { id: Some(f.id), page: 1, per_page: 1, ..Default::default() };
    let (_, items) = state.store.fortresses(unit, &Scope::All, &q).await?;
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
        per_page: lq.per_page.unwrap_or(50).clamp(1, 500),
    };
    let (total, items) = state.store.fortresses(&unit, &caller.scope, &q).await?;
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

// ---------------------------------------------------------------------------
// Teams

#[derive(Serialize, ToSchema)]
pub struct TeamView {
    id: i64,
    code: String,
    unit_id: i64,
    unit_code: String,
    name: String,
    /// `commando`, `pioneer`, `service`, `volunteer`, `expert` or `youth`.
    kind: String,
    founded_on: Option<String>,
    disbanded_on: Option<String>,
    leader_id: Option<i64>,
    leader_name: Option<String>,
    description: Option<String>,
    party_members: i64,
    league_members: i64,
    other_members: i64,
    tasks: i64,
    tasks_done: i64,
}

impl TeamView {
    fn new(l: &TeamListed) -> Self {
        let f = &l.team.fields;
        TeamView {
            id: l.team.id.0,
            code: f.code.clone(),
            unit_id: l.team.unit_id.0,
            unit_code: l.unit_code.clone(),
            name: f.name.clone(),
            kind: f.kind.code().into(),
            founded_on: f.founded_on.map(qizhi_core::date::iso),
            disbanded_on: f.disbanded_on.map(qizhi_core::date::iso),
            leader_id: f.leader_id.map(|p| p.0),
            leader_name: l.leader_name.clone(),
            description: f.description.clone(),
            party_members: l.party_members,
            league_members: l.league_members,
            other_members: l.other_members,
            tasks: l.tasks,
            tasks_done: l.tasks_done,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TeamPage {
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<TeamView>,
}

/// A team to found, or the new state of one to edit.
#[derive(Deserialize, ToSchema)]
pub struct TeamBody {
    /// The owning unit (create only).
    unit_id: Option<i64>,
    code: String,
    name: String,
    kind: String,
    founded_on: Option<String>,
    /// A date disbands the team.
    disbanded_on: Option<String>,
    leader_id: Option<i64>,
    description: Option<String>,
    /// Create only: the first members (party or league members, others).
    #[serde(default)]
    members: Vec<i64>,
}

impl TeamBody {
    fn input(&self) -> TeamInput {
        TeamInput {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            founded_on: self.founded_on.clone(),
            disbanded_on: self.disbanded_on.clone(),
            leader_id: self.leader_id,
            description: self.description.clone(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct MembersBody {
    members: Vec<i64>,
}

async fn team_view(state: &AppState, t: &Team, unit: &Unit) -> AppResult<TeamView> {
    let q = TeamQuery { id: Some(t.id), page: 1, per_page: 1, ..Default::default() };
    let (_, items) = state.store.teams(unit, &Scope::All, &q).await?;
    items.first().map(TeamView::new).ok_or_else(AppError::not_found)
}

/// Teams of a unit and everything under it. Anyone who may read the unit; out of scope: 404.
#[utoipa::path(get, operation_id = "teams_list", path = "/api/v1/units/{id}/teams", tag = "teams", params(("id" = i64, Path), ListQuery), responses((status = 200, body = TeamPage)))]
pub async fn teams(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(lq): Query<ListQuery>,
) -> AppResult<Json<TeamPage>> {
    let unit = access::unit(&state, &caller, id, Need::Read).await?;
    let q = TeamQuery {
        id: None,
        q: lq.q.unwrap_or_default(),
        kind: lq.kind.as_deref().map(TeamKind::parse).transpose().map_err(AppError::BadRequest)?,
        active: lq.current,
        page: lq.page.unwrap_or(1).max(1),
        per_page: lq.per_page.unwrap_or(50).clamp(1, 500),
    };
    let (total, items) = state.store.teams(&unit, &caller.scope, &q).await?;
    Ok(Json(TeamPage { total, page: q.page, per_page: q.per_page, items: items.iter().map(TeamView::new).collect() }))
}

/// A team (anyone who may read its unit; otherwise 404).
#[utoipa::path(get, operation_id = "teams_get", path = "/api/v1/teams/{id}", tag = "teams", params(("id" = i64, Path)), responses((status = 200, body = TeamView)))]
pub async fn team(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> AppResult<Json<TeamView>> {
    let (t, unit) = access::team(&state, &caller, id, Need::Read).await?;
    Ok(Json(team_view(&state, &t, &unit).await?))
}

/// Found a team of a unit the caller administers.
#[utoipa::path(post, operation_id = "teams_create", path = "/api/v1/teams", tag = "teams", request_body = TeamBody, responses((status = 201, body = TeamView)))]
pub async fn create_team(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<TeamBody>,
) -> AppResult<(StatusCode, Json<TeamView>)> {
    let unit_id = body.unit_id.ok_or_else(|| {
        AppError::Invalid(vec![qizhi_core::FieldError::new("unit_id", "请指定所属单位 (unit_id is required)")])
    })?;
    let fields = body.input().validate()?;
    let unit = access::unit(&state, &caller, unit_id, Need::Edit).await?;
    let members: Vec<PersonId> = body.members.iter().map(|p| PersonId(*p)).collect();
    let t = caller.store(&state).create_team(unit.id, &fields, &members).await?;
    Ok((StatusCode::CREATED, Json(team_view(&state, &t, &unit).await?)))
}

/// Edit a team (unit admins of its unit).
#[utoipa::path(put, operation_id = "teams_update", path = "/api/v1/teams/{id}", tag = "teams", params(("id" = i64, Path)), request_body = TeamBody, responses((status = 200, body = TeamView)))]
pub async fn update_team(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<TeamBody>,
) -> AppResult<Json<TeamView>> {
    let (t, unit) = access::team(&state, &caller, id, Need::Edit).await?;
    let fields = body.input().validate()?;
    let (_, new) = caller.store(&state).update_team(t.id, &fields).await?;
    Ok(Json(team_view(&state, &new, &unit).await?))
}

/// Replace a team's members (unit admins of its unit; people of its unit's line).
#[utoipa::path(put, operation_id = "teams_set_members", path = "/api/v1/teams/{id}/members", tag = "teams", params(("id" = i64, Path)), request_body = MembersBody, responses((status = 200, body = TeamView)))]
pub async fn members(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<MembersBody>,
) -> AppResult<Json<TeamView>> {
    let (t, unit) = access::team(&state, &caller, id, Need::Edit).await?;
    let members: Vec<PersonId> = body.members.iter().map(|p| PersonId(*p)).collect();
    caller.store(&state).set_team_members(t.id, &members).await?;
    Ok(Json(team_view(&state, &t, &unit).await?))
}
