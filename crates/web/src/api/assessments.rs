//! The assessments a unit issued (考核): the standings of the units it
//! assessed in a kind and year, ranks and tiers computed from the scores.
//! Scores are written through the ledgers (`/imports`, 考核得分).

use axum::Json;
use axum::extract::{Path, Query, State};
use qizhi_core::recognition::AssessmentKind;
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
