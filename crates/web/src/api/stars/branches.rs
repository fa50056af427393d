use crate::AppState;
use crate::access::{self, Need};
use crate::api::units::UnitView;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::{Query, State};
use qizhi_core::date::this_year;
use qizhi_core::figures::Span;
use qizhi_store::Page;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct YearView {
    year: i32,
    evaluated: i64,
    /// Index n: branches with exactly n stars.
    exact: [i64; 7],
    /// Index n (1..6): branches with n stars or more (index 0 is 0).
    at_least: [i64; 7],
    /// Index n (1..6): `at_least[n] / evaluated`, a fraction.
    at_least_rate: [f64; 7],
}

impl YearView {
    pub(super) fn new(year: i32, f: &qizhi_core::figures::Figures) -> Self {
        let count = |k: String| f.get(k.as_str()).and_then(|v| v.count()).unwrap_or(0);
        let mut exact = [0; 7];
        let mut at_least = [0; 7];
        let mut at_least_rate = [0.0; 7];
        for n in 0..7 {
            exact[n] = count(format!("stars.exact.{n}"));
            if n > 0 {
                at_least[n] = count(format!("stars.at_least.{n}"));
                at_least_rate[n] = f.get(format!("stars.at_least_rate.{n}").as_str()).map_or(0.0, |v| v.as_f64());
            }
        }
        YearView { year, evaluated: count("stars.evaluated".into()), exact, at_least, at_least_rate }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DistributionView {
    org: UnitView,
    from: i32,
    to: i32,
    /// Each year of the span on its own.
    years: Vec<YearView>,
    /// The span as a whole (each branch's latest award in it).
    span: YearView,
}

#[derive(Serialize, ToSchema)]
pub struct BranchView {
    entry_id: i64,
    unit_id: i64,
    unit_code: String,
    unit_name: String,
    parent_name: Option<String>,
    campaign_id: i64,
    campaign_name: String,
    year: i32,
    star: u8,
    withdrawn: bool,
}

#[derive(Serialize, ToSchema)]
pub struct BranchesView {
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<BranchView>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DistributionQuery {
    /// The unit's code.
    org: String,
    from: Option<i32>,
    to: Option<i32>,
}

/// The distribution of stars in a unit's subtree, each year of the span and
/// the span as a whole — whoever may read the unit.
#[utoipa::path(get, operation_id = "stars_distribution", path = "/api/v1/stars/distribution", tag = "stars", params(DistributionQuery), responses((status = 200, body = DistributionView), (status = 404, body = crate::api::ErrorBody)))]
pub async fn distribution(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<DistributionQuery>,
) -> AppResult<Json<DistributionView>> {
    let unit = state.store.unit_by_code(&q.org).await?.ok_or_else(AppError::not_found)?;
    let unit = access::unit(&state, &caller, unit.id.0, Need::Read).await?;
    let span = Span::new(q.from, q.to, this_year()).map_err(AppError::BadRequest)?;
    if span.to - span.from > 50 {
        return Err(AppError::BadRequest("统计区间最长 50 年 (at most 50 years)".into()));
    }
    let years = state.store.figures_by_year(unit.id, span.from, span.to).await?;
    let whole = state.store.figures(unit.id, span).await?;
    Ok(Json(DistributionView {
        org: UnitView::new(&unit, None),
        from: span.from,
        to: span.to,
        years: years.iter().map(|(y, f)| YearView::new(*y, f)).collect(),
        span: YearView::new(span.to, &whole),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BranchesQuery {
    /// The unit's code.
    org: String,
    from: Option<i32>,
    to: Option<i32>,
    /// Exactly this many stars (or at least, with `at_least=true`).
    star: Option<u8>,
    at_least: Option<bool>,
    page: Option<i64>,
    /// Default 50, at most 1000.
    per_page: Option<i64>,
}

/// The branches behind a `stars.*` figure: each branch's latest award in the
/// span — whoever may read the unit; only branches in the caller's scope.
#[utoipa::path(get, operation_id = "stars_branches", path = "/api/v1/stars/branches", tag = "stars", params(BranchesQuery), responses((status = 200, body = BranchesView), (status = 404, body = crate::api::ErrorBody)))]
pub async fn branches(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<BranchesQuery>,
) -> AppResult<Json<BranchesView>> {
    let unit = state.store.unit_by_code(&q.org).await?.ok_or_else(AppError::not_found)?;
    let unit = access::unit(&state, &caller, unit.id.0, Need::Read).await?;
    let span = Span::new(q.from, q.to, this_year()).map_err(AppError::BadRequest)?;
    let per_page = q.per_page.unwrap_or(50).clamp(1, 1000);
    let page = q.page.unwrap_or(1).max(1);
    let at_least = q.at_least.unwrap_or(false) && q.star.is_some();
    let Page { total, items: rows } =
        state.store.star_branches(&unit, &caller.scope, span, q.star, at_least, page, per_page).await?;
    Ok(Json(BranchesView {
        total,
        page,
        per_page,
        items: rows
            .into_iter()
            .map(|b| BranchView {
                entry_id: b.entry_id,
                unit_id: b.unit_id.0,
                unit_code: b.unit_code,
                unit_name: b.unit_name,
                parent_name: b.parent_name,
                campaign_id: b.campaign_id,
                campaign_name: b.campaign_name,
                year: b.year,
                star: b.star,
                withdrawn: b.withdrawn,
            })
            .collect(),
    }))
}
