//! The assessments a unit issued, year over year (`/assessments`): whoever
//! may read the unit sees the units it assessed, their ranks and scores in
//! each year of the period, and their streaks at its end; its admins set how
//! the first tier is placed.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::response::{Html, Response};
use qizhi_core::FieldError;
use qizhi_core::org::Unit;
use qizhi_core::recognition::{AssessmentKind, TierRule};
use qizhi_core::stars::points::Points;
use serde::Deserialize;

use super::{chrome, render, scope_root, short_ref};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::filter::Filters;
use crate::kit::form::Fields;
use crate::kit::period::Period;
use crate::kit::{again, flash};
use crate::views::UnitRef;
use crate::views::assessments::{AssessedRow, AssessmentsPage};

/// A unit's place in each year: (rank, score as written, in the first tier).
type Places = BTreeMap<i32, (u32, String, bool)>;

#[derive(Deserialize)]
pub struct AssessmentsQuery {
    unit: Option<i64>,
    #[serde(default)]
    kind: String,
    flash: Option<String>,
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
    let mut page = rankings(&state, &caller, &unit, kind, &period, vec![]).await?;
    page.filter_problems = filters.problems();
    page.chrome.flash = flash::message(caller.lang, q.flash.as_deref());
    render(&page)
}

/// `POST /assessments/rule` (csrf, `unit`, `kind`, `by`: default / rank /
/// score, `value`) — the unit's admins; others in scope 403, outside 404.
/// A value that cannot be read: the page again with the problem, 422.
pub async fn rule(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    period: Period,
    form: Fields,
) -> PageResult<Response> {
    let unit = access::unit(&state, &caller, form.id("unit")?.ok_or_else(AppError::not_found)?, Need::Edit).await?;
    let kind = AssessmentKind::parse(&form.text("kind")).map_err(AppError::BadRequest)?;
    let value = form.text("value");
    let tier = match form.text("by").as_str() {
        "rank" => value
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n >= 1)
            .map(|n| Some(TierRule::TopRanks(n)))
            .ok_or_else(|| format!("名次应为正整数，而不是 “{value}” (a rank is a whole number from 1)")),
        "score" => Points::parse(&value).map(|p| Some(TierRule::MinScore(p))),
        _ => Ok(None),
    };
    let done = match tier {
        Ok(t) => caller.store(&state).set_tier_rule(unit.id, kind, t).await.map_err(AppError::from),
        Err(m) => Err(AppError::Invalid(vec![FieldError::new("tier_value", m)])),
    };
    let back = format!("/assessments?unit={}&kind={}", unit.id, kind.code());
    again::settle(
        done,
        |_| flash::redirect(&back, "assessments.rule_saved"),
        |errors| rankings(&state, &caller, &unit, kind, &period, errors),
    )
    .await
}

async fn rankings(
    state: &AppState,
    caller: &Caller,
    unit: &Unit,
    kind: AssessmentKind,
    period: &Period,
    errors: Vec<String>,
) -> Result<AssessmentsPage, AppError> {
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
        let stored = state.store.unit(qizhi_core::ids::UnitId(id)).await?;
        let f = state.store.figures(stored.id, span).await?;
        let n = |k: String| f.get(k.as_str()).and_then(|v| v.count()).unwrap_or(0);
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
    let (rule_by, rule_value) = match state.store.tier_rule(unit.id, kind).await? {
        None => ("default", String::new()),
        Some(TierRule::TopRanks(n)) => ("rank", n.to_string()),
        Some(TierRule::MinScore(p)) => ("score", p.to_string()),
    };
    let path = format!("/assessments?unit={}&kind={}", unit.id, kind.code());
    Ok(AssessmentsPage {
        chrome: chrome(caller, "assessments", &path),
        unit: UnitRef::from(unit),
        period: period.view(caller.lang, &path),
        kind: kind.code(),
        kinds: AssessmentKind::ALL.iter().map(|k| (k.code(), k.zh(), k.en())).collect(),
        years,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        filter_problems: vec![],
        can_edit: caller.can_edit(&unit.path),
        rule_by,
        rule_value,
        errors,
    })
}
