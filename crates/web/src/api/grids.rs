//! Grids (网格) and production scenarios (生产场景) of a unit's subtree, a
//! page at a time: what fortresses are set up on and what the coverage
//! figures count. They are written through the ledgers (`/imports`).

use axum::Json;
use axum::extract::{Path, Query, State};
use qizhi_store::Page;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::AppResult;

#[derive(Serialize, ToSchema)]
pub struct GridView {
    id: i64,
    unit_id: i64,
    unit_code: String,
    code: String,
    name: String,
    /// The unit that answers for the grid's party work, when it has one.
    contact_unit_code: Option<String>,
    /// Whether party work covers the grid (a contact unit or a standing fortress).
    covered: bool,
}

#[derive(Serialize, ToSchema)]
pub struct GridsPage {
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<GridView>,
}

#[derive(Serialize, ToSchema)]
pub struct ScenarioView {
    id: i64,
    unit_id: i64,
    unit_code: String,
    code: String,
    name: String,
    description: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ScenariosPage {
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<ScenarioView>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// An exact code, or part of a name (Latin letters in any case).
    q: Option<String>,
    /// 1-based.
    page: Option<i64>,
    /// Default 50, max 1000.
    per_page: Option<i64>,
}

impl ListQuery {
    fn page(&self) -> (i64, i64) {
        (self.page.unwrap_or(1).max(1), self.per_page.unwrap_or(50).clamp(1, qizhi_store::MAX_PER_PAGE))
    }
}

/// Grids of a unit and everything under it.
#[utoipa::path(get, operation_id = "grids_list", path = "/api/v1/units/{id}/grids", tag = "units", params(("id" = i64, Path), ListQuery), responses((status = 200, body = GridsPage)))]
pub async fn grids(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(lq): Query<ListQuery>,
) -> AppResult<Json<GridsPage>> {
    let unit = access::unit(&state, &caller, id, Need::Read).await?;
    let (page, per_page) = lq.page();
    let Page { total, items } =
        state.store.grids(&unit, &caller.scope, lq.q.as_deref().unwrap_or(""), page, per_page).await?;
    let items = items
        .into_iter()
        .map(|l| GridView {
            id: l.grid.id.0,
            unit_id: l.grid.unit_id.0,
            unit_code: l.unit_code,
            code: l.grid.code,
            name: l.grid.name,
            contact_unit_code: l.contact_code,
            covered: l.grid.covered,
        })
        .collect();
    Ok(Json(GridsPage { total, page, per_page, items }))
}

/// Production scenarios of a unit and everything under it.
#[utoipa::path(get, operation_id = "scenarios_list", path = "/api/v1/units/{id}/scenarios", tag = "units", params(("id" = i64, Path), ListQuery), responses((status = 200, body = ScenariosPage)))]
pub async fn scenarios(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(lq): Query<ListQuery>,
) -> AppResult<Json<ScenariosPage>> {
    let unit = access::unit(&state, &caller, id, Need::Read).await?;
    let (page, per_page) = lq.page();
    let Page { total, items } =
        state.store.scenarios(&unit, &caller.scope, lq.q.as_deref().unwrap_or(""), page, per_page).await?;
    let items = items
        .into_iter()
        .map(|l| ScenarioView {
            id: l.scenario.id.0,
            unit_id: l.scenario.unit_id.0,
            unit_code: l.unit_code,
            code: l.scenario.code,
            name: l.scenario.name,
            description: l.scenario.description,
        })
        .collect();
    Ok(Json(ScenariosPage { total, page, per_page, items }))
}
