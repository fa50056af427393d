//! The assessments a unit issued, year over year (`/assessments`): whoever
//! may read the unit sees the units it assessed, their ranks and scores in
//! each year of the period, and their streaks at its end.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::response::Html;
use qizhi_core::figures::Span;
use qizhi_core::recognition::AssessmentKind;
use serde::Deserialize;

use super::{chrome, render, scope_root, short_ref};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::PageCaller;
use crate::error::{AppError, PageResult};
use crate::kit::filter::Filters;
use crate::kit::period::Period;
use crate::views::UnitRef;
use crate::views::assessments::{AssessedRow, AssessmentsPage};

/// A unit's place in each year: (rank, score as written, in the first tier).
type Places = BTreeMap<i32, (u32, String, bool)>;

#[derive(Deserialize)]
pub struct AssessmentsQuery {
    unit: Option<i64>,
    #[serde(default)]
    kind: String,
}

/// `GET /assessments?unit=&kind=&from=&to=` — whoever may read the unit
/// (default: the caller's scope root); outside their scope: 404.
pub async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(q): Query<AssessmentsQuery>,
    period: Period,
) -> PageResult<Html<String>> {
    let unit = match q.unit {
        Some(id) => access::unit(&state, &caller, id, Need::Read).await?,
        None => scope_root(&state, &caller).await?.ok_or_else(AppError::not_found)?,
    };
    let mut filters = Filters::default();
    let kind =
        filters.take(("考核类别", "Kind"), &q.kind, AssessmentKind::parse).unwrap_or(AssessmentKind::PartyBuilding);
    let span = period.span;
    let years: Vec<i32> = (span.from..=span.to).collect();
    // unit id → (its reference, its place in each year)
    let mut by_unit: BTreeMap<i64, (UnitRef, Places)> = BTreeMap::new();
    for &year in &years {
        for p in state.store.assessment_standings(unit.id, kind, year).await? {
            let s = p.standing;
            let entry = by_unit.entry(s.unit.0).or_insert_with(|| {
                (
                    UnitRef::new(s.unit.0, &p.unit_code, &p.unit_name, qizhi_core::org::UnitKind::Committee),
                    BTreeMap::new(),
                )
            });
            entry.1.insert(year, (s.rank, s.score.to_string(), s.first_tier));
        }
    }
    let mut rows = vec![];
    for (id, (unit_ref, places)) in by_unit {
        let f = state.store.figures(qizhi_core::ids::UnitId(id), Span { from: span.from, to: span.to }).await?;
        let n = |k: String| f.get(k.as_str()).and_then(|v| v.count()).unwrap_or(0);
        let stored = state.store.unit(qizhi_core::ids::UnitId(id)).await?;
        rows.push((
            // Best in the last year first; those not assessed then, after.
            places.get(&span.to).map_or(u32::MAX, |p| p.0),
            AssessedRow {
                unit: if caller.can_read(&stored.path) { short_ref(&stored) } else { unit_ref },
                years: years.iter().map(|y| places.get(y).cloned()).collect(),
                streak_tier: n(format!("assessments.streak.first_tier.{}", kind.code())),
                streak_first: n(format!("assessments.streak.rank_first.{}", kind.code())),
            },
        ));
    }
    rows.sort_by_key(|(rank, r)| (*rank, r.unit.code.clone()));
    let path = format!("/assessments?unit={}&kind={}", unit.id, kind.code());
    render(&AssessmentsPage {
        chrome: chrome(&caller, "assessments", &path),
        unit: UnitRef::from(&unit),
        period: period.view(caller.lang, &path),
        kind: kind.code(),
        kinds: AssessmentKind::ALL.iter().map(|k| (k.code(), k.zh(), k.en())).collect(),
        years,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        filter_problems: filters.problems(),
        can_import: caller.can_edit(&unit.path),
    })
}
