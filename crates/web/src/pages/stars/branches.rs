//! `GET /stars/branches`: the branches behind a star figure (each branch's
//! latest award in the span), with a link to each one's evaluation.

use axum::extract::{Query, State};
use axum::response::Html;
use qizhi_core::stars::MAX_STARS;
use qizhi_store::Page;
use serde::Deserialize;

use super::overview::{campaigns_of, star_span};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::PageCaller;
use crate::error::{AppError, PageResult};
use crate::kit::period::Period;
use crate::pages::{chrome, render, scope_root};
use crate::views::UnitRef;
use crate::views::stars::{RankedRow, StarBranchesPage};

pub const PER_PAGE: i64 = 50;

#[derive(Deserialize)]
pub struct BranchesQuery {
    unit: Option<i64>,
    star: Option<u8>,
    at_least: Option<u8>,
    page: Option<i64>,
}

/// `GET /stars/branches?unit=&from=&to=&star=&at_least=&page=` — whoever
/// may read the unit; the list holds only branches in the caller's scope.
pub async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(q): Query<BranchesQuery>,
    period: Period,
) -> PageResult<Html<String>> {
    let unit = match q.unit {
        Some(id) => access::unit(&state, &caller, id, Need::Read).await?,
        None => scope_root(&state, &caller).await?.ok_or_else(AppError::not_found)?,
    };
    if q.star.is_some_and(|s| s > MAX_STARS) {
        return Err(AppError::BadRequest("星级应为 0 到 6 (stars 0 to 6)".into()).into());
    }
    let campaigns = campaigns_of(&state, &caller, &unit.path).await?;
    let (span, earlier) = star_span(&campaigns, period.span);
    let at_least = q.at_least.unwrap_or(0) == 1 && q.star.is_some();
    let page = q.page.unwrap_or(1).max(1);
    let Page { total, items: rows } =
        state.store.star_branches(&unit, &caller.scope, span, q.star, at_least, page, PER_PAGE).await?;
    let rows = rows
        .into_iter()
        .map(|b| RankedRow {
            entry_id: b.entry_id,
            unit_name: b.unit_name,
            unit_code: b.unit_code,
            parent_name: b.parent_name.unwrap_or_default(),
            campaign_name: b.campaign_name,
            year: b.year,
            star: b.star,
            withdrawn: b.withdrawn,
        })
        .collect();
    let mut path = format!("/stars/branches?unit={}", unit.id);
    if let Some(n) = q.star {
        path.push_str(&format!("&star={n}&at_least={}", u8::from(at_least)));
    }
    render(&StarBranchesPage {
        chrome: chrome(&caller, "stars", &path),
        period: period.view(caller.lang, &path),
        earlier,
        unit: UnitRef::from(&unit),
        from: span.from,
        to: span.to,
        star: q.star,
        at_least,
        rows,
        total,
        page,
        pages: qizhi_store::page::pages(total, PER_PAGE),
    })
}
