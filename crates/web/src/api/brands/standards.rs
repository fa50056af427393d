use crate::AppState;
use crate::access::{self, Need};
use crate::api::scope_unit;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::{Query, State};
use qizhi_core::brand::{Standard, StandardInput, StandardItemInput};
use qizhi_core::date::today;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct StandardItemView {
    id: i64,
    title: String,
    description: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StandardView {
    id: i64,
    name: String,
    /// The issuing unit's code.
    issued_by: String,
    issued_on: String,
    items: Vec<StandardItemView>,
}

async fn standard_view(state: &AppState, s: &Standard) -> AppResult<StandardView> {
    Ok(StandardView {
        id: s.id,
        name: s.name.clone(),
        issued_by: state.store.unit(s.unit_id).await?.code,
        issued_on: qizhi_core::date::iso(s.issued_on),
        items: s
            .items
            .iter()
            .map(|i| StandardItemView { id: i.id, title: i.title.clone(), description: i.description.clone() })
            .collect(),
    })
}

#[derive(Serialize, ToSchema)]
pub struct StandardsView {
    /// The standard the unit itself issued for the units below it.
    issued: Option<StandardView>,
    /// The one its own brands answer to (issued by the nearest unit above it).
    applying: Option<StandardView>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgQuery {
    /// The unit's code.
    org: String,
}

/// The standard a unit issued, and the one its own brands answer to.
#[utoipa::path(get, operation_id = "standards_get", path = "/api/v1/standards", tag = "brands", params(OrgQuery), responses((status = 200, body = StandardsView), (status = 404, body = crate::api::ErrorBody)))]
pub async fn standards(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<OrgQuery>,
) -> AppResult<Json<StandardsView>> {
    let unit = scope_unit(&state, &caller, Some(&q.org)).await?;
    let issued = match state.store.standard_issued_by(unit.id).await? {
        Some(s) => Some(standard_view(&state, &s).await?),
        None => None,
    };
    let applying = match state.store.applicable_standard(&unit).await? {
        Some(s) => Some(standard_view(&state, &s).await?),
        None => None,
    };
    Ok(Json(StandardsView { issued, applying }))
}

#[derive(Deserialize, ToSchema)]
pub struct StandardItemBody {
    /// An existing item's id keeps it (and its evidence); omit for a new item.
    id: Option<i64>,
    title: String,
    description: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct StandardBody {
    name: String,
    items: Vec<StandardItemBody>,
}

/// Issue (or revise) the standard of a unit the caller administers, for the units below it.
#[utoipa::path(put, operation_id = "standards_issue", path = "/api/v1/standards", tag = "brands", params(OrgQuery), request_body = StandardBody, responses((status = 200, body = StandardView)))]
pub async fn issue_standard(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<OrgQuery>,
    Json(body): Json<StandardBody>,
) -> AppResult<Json<StandardView>> {
    let unit = state.store.unit_by_code(&q.org).await?.ok_or_else(AppError::not_found)?;
    let unit = access::unit(&state, &caller, unit.id.0, Need::Edit).await?;
    let input = StandardInput {
        name: body.name,
        items: body
            .items
            .into_iter()
            .map(|i| StandardItemInput { id: i.id, title: i.title, description: i.description })
            .collect(),
    };
    let s = caller.store(&state).issue_standard(unit.id, &input.validate()?, today()).await?;
    Ok(Json(standard_view(&state, &s).await?))
}
