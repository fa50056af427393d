//! The assessments a unit issued (考核): the standings of the units it
//! assessed in a kind and year, ranks and tiers computed from the scores,
//! and how it places the first tier. Scores are written through the
//! ledgers (`/imports`, 考核得分).

use axum::Json;
use axum::extract::{Path, Query, State};
use qizhi_core::FieldError;
use qizhi_core::recognition::{AssessmentKind, TierRule};
use qizhi_core::stars::points::Points;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};

#[derive(Serialize, ToSchema)]
pub struct AssessedUnitView {
    unit_id: i64,
    unit_code: String,
    unit_name: String,
    /// As written, at most two decimals.
    score: String,
    /// 1 for the best score; equal scores share a rank.
    rank: u32,
    first_tier: bool,
}

#[derive(Serialize, ToSchema)]
pub struct AssessmentStandingsView {
    issuer_code: String,
    kind: String,
    year: i32,
    items: Vec<AssessedUnitView>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StandingsQuery {
    /// `party_building`, `business` or `publicity` (or the Chinese name).
    kind: String,
    year: i32,
}

/// The standings of the units a unit assessed in a kind and year, best first.
#[utoipa::path(get, operation_id = "assessments_standings", path = "/api/v1/units/{id}/assessments", tag = "units", params(("id" = i64, Path), StandingsQuery), responses((status = 200, body = AssessmentStandingsView)))]
pub async fn standings(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<StandingsQuery>,
) -> AppResult<Json<AssessmentStandingsView>> {
    let issuer = access::unit(&state, &caller, id, Need::Read).await?;
    let kind = AssessmentKind::parse(&q.kind).map_err(AppError::BadRequest)?;
    let placed = state.store.assessment_standings(issuer.id, kind, q.year).await?;
    Ok(Json(AssessmentStandingsView {
        issuer_code: issuer.code,
        kind: kind.code().to_string(),
        year: q.year,
        items: placed
            .into_iter()
            .map(|p| AssessedUnitView {
                unit_id: p.standing.unit.0,
                unit_code: p.unit_code,
                unit_name: p.unit_name,
                score: p.standing.score.to_string(),
                rank: p.standing.rank,
                first_tier: p.standing.first_tier,
            })
            .collect(),
    }))
}

/// How a unit places the first tier of a kind.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct TierRuleBody {
    /// `party_building`, `business` or `publicity` (or the Chinese name).
    kind: String,
    /// `default` (the best third), `rank` (the best `value` ranks) or `score` (at least `value`).
    by: String,
    /// The rank (a whole number from 1) or the score (at most two decimals); none for `default`.
    value: Option<String>,
}

/// Set how a unit places the first tier of a kind (its unit admins); every
/// year's ranks, tiers and streaks follow. Answers the rule as stored.
#[utoipa::path(put, operation_id = "assessments_set_rule", path = "/api/v1/units/{id}/assessments/rule", tag = "units", params(("id" = i64, Path)), request_body = TierRuleBody, responses((status = 200, body = TierRuleBody)))]
pub async fn set_rule(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<TierRuleBody>,
) -> AppResult<Json<TierRuleBody>> {
    let issuer = access::unit(&state, &caller, id, Need::Edit).await?;
    let invalid = |field: &str, m: String| AppError::Invalid(vec![FieldError::new(field, m)]);
    let kind = AssessmentKind::parse(&body.kind).map_err(|m| invalid("kind", m))?;
    let value = body.value.clone().unwrap_or_default();
    let tier = match body.by.as_str() {
        "default" => None,
        "rank" => Some(TierRule::TopRanks(value.trim().parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            invalid("value", format!("名次应为正整数，而不是 “{value}” (a rank is a whole number from 1)"))
        })?)),
        "score" => Some(TierRule::MinScore(Points::parse(&value).map_err(|m| invalid("value", m))?)),
        other => {
            return Err(invalid(
                "by",
                format!("应为 default、rank 或 score，而不是 “{other}” (default, rank or score)"),
            ));
        }
    };
    caller.store(&state).set_tier_rule(issuer.id, kind, tier).await?;
    let (by, value) = match tier {
        None => ("default", None),
        Some(TierRule::TopRanks(n)) => ("rank", Some(n.to_string())),
        Some(TierRule::MinScore(p)) => ("score", Some(p.to_string())),
    };
    Ok(Json(TierRuleBody { kind: kind.code().to_string(), by: by.to_string(), value }))
}
