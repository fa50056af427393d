//! `GET /api/v1/figures`: every published figure for a unit's subtree and a
//! span of years, as FIGURES.md defines them.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Query, State};
use qizhi_core::figures::{Span, Value};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::units::UnitView;
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// The unit's code (组织编码).
    org: String,
    /// First year; alone, the only year. Default: the current year.
    from: Option<i32>,
    /// Last year.
    to: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct FiguresView {
    org: UnitView,
    from: i32,
    to: i32,
    /// Every key of FIGURES.md: counts are integers, rates fractions in [0, 1].
    #[schema(value_type = BTreeMap<String, f64>)]
    figures: BTreeMap<&'static str, Value>,
}

#[utoipa::path(get, operation_id = "figures_get", path = "/api/v1/figures", tag = "figures", params(FiguresQuery), responses((status = 200, body = FiguresView), (status = 404, body = crate::api::ErrorBody)))]
pub async fn figures(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<FiguresQuery>,
) -> AppResult<Json<FiguresView>> {
    let unit = state.store.unit_by_code(&q.org).await?.ok_or_else(AppError::not_found)?;
    let unit = access::unit(&state, &caller, unit.id.0, Need::Read).await?;
    let span = Span::new(q.from, q.to, qizhi_core::date::this_year()).map_err(AppError::BadRequest)?;
    let figures = state.store.figures(unit.id, span).await?;
    Ok(Json(FiguresView { org: UnitView::new(&unit, None), from: span.from, to: span.to, figures }))
}
