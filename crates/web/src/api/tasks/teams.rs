//! Teams with their members: list a unit's subtree, read, found, edit, set
//! members.
//!
//! Who may call: reads — anyone who may read the team's unit; writes — unit
//! admins in scope. Out of scope: 404; in scope without the right: 403.

use super::fortresses::ListQuery;
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use qizhi_core::ids::PersonId;
use qizhi_core::org::Unit;
use qizhi_core::teams::{Team, TeamInput, TeamKind};
use qizhi_store::Page;
use qizhi_store::Scope;
use qizhi_store::teams::{TeamListed, TeamQuery};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
    pub(super) fn new(l: &TeamListed) -> Self {
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
    let Page { items, .. } = state.store.teams(unit, &Scope::All, &q).await?;
    items.first().map(TeamView::new).ok_or_else(AppError::not_found)
}

/// Teams of a unit and everything under it. Anyone who may read the unit; out of scope: 404.
#[utoipa::path(get, operation_id = "teams_list", path = "/api/v1/units/{id}/teams", tag = "teams", params(("id" = i64, Path), ListQuery), responses((status = 200, body = TeamPage)))]
pub async fn list(
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
        per_page: lq.per_page.unwrap_or(50).clamp(1, qizhi_store::MAX_PER_PAGE),
    };
    let Page { total, items } = state.store.teams(&unit, &caller.scope, &q).await?;
    Ok(Json(TeamPage { total, page: q.page, per_page: q.per_page, items: items.iter().map(TeamView::new).collect() }))
}

/// A team (anyone who may read its unit; otherwise 404).
#[utoipa::path(get, operation_id = "teams_get", path = "/api/v1/teams/{id}", tag = "teams", params(("id" = i64, Path)), responses((status = 200, body = TeamView)))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> AppResult<Json<TeamView>> {
    let (t, unit) = access::team(&state, &caller, id, Need::Read).await?;
    Ok(Json(team_view(&state, &t, &unit).await?))
}

/// Found a team of a unit the caller administers.
#[utoipa::path(post, operation_id = "teams_create", path = "/api/v1/teams", tag = "teams", request_body = TeamBody, responses((status = 201, body = TeamView)))]
pub async fn create(
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
pub async fn update(
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
