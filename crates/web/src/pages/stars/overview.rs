//! `GET /stars`: the distribution of a unit's subtree, exact and cumulative,
//! year over year, with its units below and the campaigns that concern it.

use axum::extract::{Query, State};
use axum::response::Html;
use qizhi_core::figures::Span;
use qizhi_store::stars::Campaign;
use serde::Deserialize;

use super::{ancestors, review_scope};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::period::Period;
use crate::pages::{chrome, render, scope_root, short_ref};
use crate::views::UnitRef;
use crate::views::stars::{CampaignRow, ChildRow, StarsOverviewPage, YearRow};

#[derive(Deserialize)]
pub struct OverviewQuery {
    unit: Option<i64>,
}

pub(crate) fn campaign_row(c: &Campaign) -> CampaignRow {
    CampaignRow {
        id: c.id,
        name: c.name.clone(),
        unit_name: c.unit_name.clone(),
        year: c.year,
        stage_code: c.stage.code(),
        stage_zh: c.stage.zh(),
        stage_en: c.stage.en(),
    }
}

/// The span star figures are shown for in the reporting period: the period
/// itself when a campaign concerning the unit was awarded for a year in it;
/// else the year of the latest one awarded before it, returned as well so
/// the page can say whose result it shows; else the period.
pub(crate) fn star_span(campaigns: &[Campaign], period: Span) -> (Span, Option<i32>) {
    let awarded = || campaigns.iter().filter(|c| c.stage.awarded()).map(|c| c.year);
    if awarded().any(|y| (period.from..=period.to).contains(&y)) {
        return (period, None);
    }
    match awarded().filter(|&y| y < period.from).max() {
        Some(y) => (Span::year(y), Some(y)),
        None => (period, None),
    }
}

/// The campaigns a caller sees that concern `path`: run over it, above it or below it.
pub(crate) async fn campaigns_of(state: &AppState, caller: &Caller, path: &str) -> PageResult<Vec<Campaign>> {
    let all = state.store.campaigns(&caller.scope, &ancestors(caller)).await?;
    Ok(all.into_iter().filter(|c| c.unit_path.starts_with(path) || path.starts_with(&c.unit_path)).collect())
}

/// `GET /stars?unit=&from=&to=` — whoever may read the unit (default: the
/// caller's scope root). Out of scope: 404 (recorded).
pub async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(q): Query<OverviewQuery>,
    period: Period,
) -> PageResult<Html<String>> {
    let unit = match q.unit {
        Some(id) => access::unit(&state, &caller, id, Need::Read).await?,
        None => scope_root(&state, &caller).await?.ok_or_else(AppError::not_found)?,
    };
    let campaigns = campaigns_of(&state, &caller, &unit.path).await?;
    let (span, earlier) = star_span(&campaigns, period.span);
    // The year over year ends with the span, five years at least.
    let years = state
        .store
        .figures_by_year(unit.id, span.from.min(span.to - 4), span.to)
        .await?
        .iter()
        .map(|(y, f)| YearRow::from_figures(*y, f))
        .collect();
    let whole = YearRow::from_figures(span.to, &state.store.figures(unit.id, span).await?);
    let mut children = vec![];
    for c in state.store.children(unit.id).await? {
        let row = YearRow::from_figures(span.to, &state.store.figures(c.unit.id, span).await?);
        if row.evaluated > 0 {
            children.push(ChildRow { unit: short_ref(&c.unit), row });
        }
    }
    let lineage = state.store.lineage_units(&unit).await?;
    let breadcrumb =
        lineage.iter().filter(|a| a.id != unit.id && caller.can_read(&a.path)).map(UnitRef::from).collect();
    let reviewer = review_scope(&caller);
    let queue = if reviewer.is_empty() { None } else { Some(state.store.review_queue(&reviewer, None).await?.len()) };
    let path = format!("/stars?unit={}", unit.id);
    render(&StarsOverviewPage {
        chrome: chrome(&caller, "stars", &path),
        period: period.view(caller.lang, &path),
        earlier,
        unit: UnitRef::from(&unit),
        breadcrumb,
        from: span.from,
        to: span.to,
        years,
        span: whole,
        children,
        campaigns: campaigns.iter().map(campaign_row).collect(),
        queue,
        can_issue: caller.can_edit(&unit.path),
    })
}
