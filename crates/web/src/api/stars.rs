//! `/api/v1/stars/…`: star-rated branch evaluation for integrations —
//! schemes, campaigns and their stages, a branch's entry (declaration,
//! self-assessment, evidence, review, return, objections, withdrawal), the
//! reviewer's queue and bulk review, the distribution of a scope year over
//! year and the branches behind each figure.
//!
//! Access is the pages' (see `pages::stars`): 404 outside the caller's
//! scope, 403 inside it without the right, both recorded; writes through
//! the caller's acting store, audited; cookie callers send the CSRF header.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use qizhi_core::FieldError;
use qizhi_core::date::this_year;
use qizhi_core::figures::Span;
use qizhi_core::file::FileKind;
use qizhi_core::ids::UnitId;
use qizhi_core::stars::campaign::{CampaignFields, Declaration, EntryStatus, Stage, StageDates};
use qizhi_core::stars::points::Points;
use qizhi_core::stars::scheme::{SchemeBody, SchemeFields};
use qizhi_store::stars::{Campaign, Entry, EntryDetail, Review, Scheme, SelfScore, Upload};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::units::UnitView;
use crate::AppState;
use crate::access::require;
use crate::access::stars::{ancestors, may_handle_objections, may_review, may_self_assess, review_scope};
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::kit::form::Fields;
use crate::routes::{Route, route};

pub fn routes() -> Vec<Route> {
    use axum::http::Method as M;
    vec![
        route(M::GET, "/api/v1/stars/schemes", list_schemes),
        route(M::POST, "/api/v1/stars/schemes", create_scheme),
        route(M::GET, "/api/v1/stars/schemes/{id}", get_scheme),
        route(M::PUT, "/api/v1/stars/schemes/{id}", update_scheme),
        route(M::POST, "/api/v1/stars/schemes/{id}/copy", copy_scheme),
        route(M::GET, "/api/v1/stars/campaigns", list_campaigns),
        route(M::POST, "/api/v1/stars/campaigns", create_campaign),
        route(M::GET, "/api/v1/stars/campaigns/{id}", get_campaign),
        route(M::PUT, "/api/v1/stars/campaigns/{id}", update_campaign),
        route(M::POST, "/api/v1/stars/campaigns/{id}/stage", move_stage),
        route(M::GET, "/api/v1/stars/campaigns/{id}/entries", campaign_entries),
        route(M::GET, "/api/v1/stars/entries/{id}", get_entry),
        route(M::PUT, "/api/v1/stars/entries/{id}/declaration", declare),
        route(M::PUT, "/api/v1/stars/entries/{id}/self", self_assess),
        route(M::POST, "/api/v1/stars/entries/{id}/evidence", evidence).uploads(crate::routes::FILE_UPLOAD),
        route(M::PUT, "/api/v1/stars/entries/{id}/review", review),
        route(M::POST, "/api/v1/stars/entries/{id}/return", return_entry),
        route(M::POST, "/api/v1/stars/entries/{id}/withdraw", withdraw),
        route(M::POST, "/api/v1/stars/entries/{id}/objections", add_objection),
        route(M::POST, "/api/v1/stars/objections/{id}/answer", answer_objection),
        route(M::GET, "/api/v1/stars/queue", queue),
        route(M::POST, "/api/v1/stars/queue", bulk_review),
        route(M::GET, "/api/v1/stars/distribution", distribution),
        route(M::GET, "/api/v1/stars/branches", branches),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        list_schemes, create_scheme, get_scheme, update_scheme, copy_scheme,
        list_campaigns, create_campaign, get_campaign, update_campaign, move_stage, campaign_entries,
        get_entry, declare, self_assess, evidence, review, return_entry, withdraw, add_objection, answer_objection,
        queue, bulk_review, distribution, branches,
    ),
    components(schemas(
        SchemeView, SchemeIn, CopyIn, CampaignView, CampaignIn, StageIn, CampaignDetail, StatsView, QuotaView,
        EntryView, EntryPage, EntryDetailView, ScoreView, EvidenceView, ObjectionView, OutcomeView, DimensionView,
        DeclarationIn, SelfIn, SelfScoreIn, ReviewIn, ReviewScoreIn, CommentIn, WithdrawIn, ObjectionIn, AnswerIn,
        QueueItemView, BulkIn, BulkView, EvidenceForm, DistributionView, YearView, BranchesView, BranchView,
    )),
    tags((name = "stars", description = "Star-rated branch evaluation (星级党支部)"))
)]
pub struct StarsApi;

/// Adds the stars API to the application's OpenAPI document.
pub struct Doc;

impl utoipa::Modify for Doc {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let mut stars = StarsApi::openapi();
        // utoipa registers every schema a path or a schema refers to, so the
        // stars' part brings its own copies of the shared ones; the
        // application's are the registered ones. Any other name both hold
        // would be two schemas under one name, and `merge` would silently
        // keep the first, documenting the stars answers with another area's
        // shapes.
        if let (Some(ours), Some(theirs)) = (stars.components.as_mut(), &openapi.components) {
            ours.schemas.retain(|name, schema| match theirs.schemas.get(name) {
                None => true,
                Some(other) if super::SHARED_SCHEMAS.contains(&name.as_str()) && other == schema => false,
                Some(_) => panic!("schema {name} is registered twice in the OpenAPI document"),
            });
        }
        openapi.merge(stars);
    }
}

// ---------------------------------------------------------------------------
// Views

#[derive(Serialize, ToSchema)]
pub struct SchemeView {
    id: i64,
    /// The issuing unit.
    unit_id: i64,
    unit_code: String,
    unit_name: String,
    name: String,
    year: i32,
    /// Used by a campaign, hence frozen.
    in_use: bool,
    copied_from: Option<i64>,
    /// Dimensions (indicators, thresholds), ordered star rules, vetoes, quotas.
    #[schema(value_type = Object)]
    body: SchemeBody,
}

impl SchemeView {
    fn new(s: &Scheme) -> Self {
        SchemeView {
            id: s.id,
            unit_id: s.unit_id.0,
            unit_code: s.unit_code.clone(),
            unit_name: s.unit_name.clone(),
            name: s.name.clone(),
            year: s.year,
            in_use: s.in_use(),
            copied_from: s.copied_from,
            body: s.body.clone(),
        }
    }
}

/// A scheme to issue (with `org` or `unit_id`) or the new state of one to edit.
#[derive(Deserialize, ToSchema)]
pub struct SchemeIn {
    unit_id: Option<i64>,
    /// The issuing unit's code.
    org: Option<String>,
    name: String,
    year: i32,
    #[schema(value_type = Object)]
    body: serde_json::Value,
}

impl SchemeIn {
    fn fields(&self) -> Result<SchemeFields, AppError> {
        let body: SchemeBody = serde_json::from_value(self.body.clone()).map_err(|e| {
            AppError::Invalid(vec![FieldError::new("body", format!("评价体系格式有误：{e} (malformed scheme body)"))])
        })?;
        let f = SchemeFields { name: self.name.trim().to_string(), year: self.year, body };
        f.validate()?;
        Ok(f)
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CopyIn {
    year: i32,
}

#[derive(Serialize, ToSchema)]
pub struct CampaignView {
    id: i64,
    scheme_id: i64,
    unit_id: i64,
    unit_code: String,
    unit_name: String,
    name: String,
    year: i32,
    /// `create`, `self`, `review`, `publicity`, `award` or `apply`.
    stage: String,
    review_levels: u8,
    /// Per stage `{from, to}` as ISO dates.
    #[schema(value_type = Object)]
    dates: StageDates,
    /// When stars were fixed (epoch ms).
    awarded_at: Option<i64>,
}

impl CampaignView {
    fn new(c: &Campaign) -> Self {
        CampaignView {
            id: c.id,
            scheme_id: c.scheme_id,
            unit_id: c.unit_id.0,
            unit_code: c.unit_code.clone(),
            unit_name: c.unit_name.clone(),
            name: c.name.clone(),
            year: c.year,
            stage: c.stage.code().into(),
            review_levels: c.review_levels,
            dates: c.dates,
            awarded_at: c.awarded_at,
        }
    }
}

/// A campaign to start (scheme and unit) or the new settings of one.
#[derive(Deserialize, ToSchema)]
pub struct CampaignIn {
    /// Create only.
    scheme_id: Option<i64>,
    /// Create only: the unit whose branches take part (id or code).
    unit_id: Option<i64>,
    org: Option<String>,
    name: String,
    review_levels: u8,
    #[schema(value_type = Object)]
    #[serde(default)]
    dates: Option<serde_json::Value>,
}

impl CampaignIn {
    fn fields(&self) -> Result<CampaignFields, AppError> {
        let dates = match &self.dates {
            None => StageDates::default(),
            Some(v) => serde_json::from_value(v.clone()).map_err(|e| {
                AppError::Invalid(vec![FieldError::new("dates", format!("日期格式有误：{e} (malformed dates)"))])
            })?,
        };
        let f = CampaignFields { name: self.name.trim().to_string(), review_levels: self.review_levels, dates };
        f.validate()?;
        Ok(f)
    }
}

#[derive(Deserialize, ToSchema)]
pub struct StageIn {
    /// The stage to move to: one forward, or one back before the award.
    stage: String,
}

#[derive(Serialize, ToSchema)]
pub struct StatsView {
    entries: i64,
    /// Entries by status code (`open`, `declared`, `returned`, `submitted`, `reviewed1`, `reviewed2`).
    by_status: BTreeMap<String, i64>,
    /// Current stars of the entries that submitted (0 once withdrawn), index = stars.
    by_star: [i64; 7],
    /// Awarded stars (0 once withdrawn), index = stars.
    awarded_by_star: [i64; 7],
    awarded: i64,
    withdrawn: i64,
    open_objections: i64,
}

#[derive(Serialize, ToSchema)]
pub struct QuotaView {
    stars: u8,
    max_percent: u8,
    allowed: usize,
    actual: usize,
    exceeded: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CampaignDetail {
    campaign: CampaignView,
    /// Counted over the entries in the caller's scope.
    stats: StatsView,
    /// Over the whole campaign; empty for callers who may not read its unit.
    quotas: Vec<QuotaView>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = StarEntryView)]
pub struct EntryView {
    id: i64,
    campaign_id: i64,
    unit_id: i64,
    unit_code: String,
    unit_name: String,
    year: i32,
    status: String,
    target_star: Option<u8>,
    plan: Option<String>,
    /// The engine's star from the final scores (0 once withdrawn).
    star: u8,
    awarded: bool,
    withdrawn_on: Option<String>,
    withdrawn_reason: Option<String>,
}

impl EntryView {
    fn new(e: &Entry) -> Self {
        EntryView {
            id: e.id,
            campaign_id: e.campaign_id,
            unit_id: e.unit_id.0,
            unit_code: e.unit_code.clone(),
            unit_name: e.unit_name.clone(),
            year: e.year,
            status: e.status.code().into(),
            target_star: e.declaration.as_ref().map(|d| d.target_star),
            plan: e.declaration.as_ref().and_then(|d| d.plan.clone()),
            star: e.held_star(),
            awarded: e.awarded,
            withdrawn_on: e.withdrawn.as_ref().map(|w| qizhi_core::date::iso(w.on)),
            withdrawn_reason: e.withdrawn.as_ref().map(|w| w.reason.clone()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EntryPage {
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<EntryView>,
}

#[derive(Serialize, ToSchema)]
pub struct ScoreView {
    /// `self`, `review1` or `review2`.
    stage: String,
    indicator: String,
    #[schema(value_type = f64)]
    score: Points,
    note: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = StarEvidenceView)]
pub struct EvidenceView {
    indicator: String,
    /// Download with `GET /files/{id}`.
    file_id: i64,
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ObjectionView {
    id: i64,
    raised_on: String,
    source: Option<String>,
    content: String,
    answer: Option<String>,
    answered_by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DimensionView {
    code: String,
    name: String,
    #[schema(value_type = f64)]
    score: Points,
    #[schema(value_type = f64)]
    max: Points,
    /// `below`, `standard`, `excellent` or `benchmark`.
    level: String,
}

#[derive(Serialize, ToSchema)]
pub struct OutcomeView {
    dimensions: Vec<DimensionView>,
    /// The rule that held (1-based place in the scheme), if any.
    rule: Option<usize>,
    rule_stars: u8,
    /// Codes of the vetoes found.
    vetoes: Vec<String>,
    star: u8,
    /// Why, sentence by sentence.
    explanation_zh: Vec<String>,
    explanation_en: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EntryDetailView {
    entry: EntryView,
    campaign: CampaignView,
    scores: Vec<ScoreView>,
    evidence: Vec<EvidenceView>,
    vetoes: Vec<String>,
    objections: Vec<ObjectionView>,
    /// The engine on the final scores.
    outcome: OutcomeView,
    /// What the branch still lacks at the campaign's stage.
    missing_zh: Vec<String>,
    missing_en: Vec<String>,
}

impl EntryDetailView {
    fn new(d: &EntryDetail) -> Self {
        let o = d.outcome();
        let missing = d.missing();
        EntryDetailView {
            entry: EntryView::new(&d.entry),
            campaign: CampaignView::new(&d.campaign),
            scores: d
                .scores
                .iter()
                .map(|s| ScoreView {
                    stage: s.stage.code().into(),
                    indicator: s.indicator.clone(),
                    score: s.points,
                    note: s.note.clone(),
                })
                .collect(),
            evidence: d
                .evidence
                .iter()
                .map(|e| EvidenceView { indicator: e.indicator.clone(), file_id: e.file_id, name: e.name.clone() })
                .collect(),
            vetoes: d.vetoes.clone(),
            objections: d
                .objections
                .iter()
                .map(|o| ObjectionView {
                    id: o.id,
                    raised_on: o.raised_on.clone(),
                    source: o.source.clone(),
                    content: o.content.clone(),
                    answer: o.answer.clone(),
                    answered_by: o.answered_by.clone(),
                })
                .collect(),
            outcome: OutcomeView {
                dimensions: o
                    .dimensions
                    .iter()
                    .map(|x| DimensionView {
                        code: x.code.clone(),
                        name: x.name.clone(),
                        score: x.score,
                        max: x.max,
                        level: x.level.code().into(),
                    })
                    .collect(),
                rule: o.rule.as_ref().map(|r| r.index + 1),
                rule_stars: o.rule_stars,
                vetoes: o.vetoes.iter().map(|v| v.code.clone()).collect(),
                star: o.star,
                explanation_zh: o.explain_zh(),
                explanation_en: o.explain_en(),
            },
            missing_zh: missing.zh(),
            missing_en: missing.en(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct DeclarationIn {
    target_star: u8,
    plan: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct SelfScoreIn {
    indicator: String,
    /// `null` clears it.
    #[schema(value_type = Option<f64>)]
    score: Option<Points>,
    /// Evidence, in words.
    note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct SelfIn {
    scores: Vec<SelfScoreIn>,
    /// Hand the self-assessment to the reviewers.
    #[serde(default)]
    submit: bool,
}

#[derive(Deserialize, ToSchema)]
pub struct ReviewScoreIn {
    indicator: String,
    #[schema(value_type = f64)]
    score: Points,
    note: Option<String>,
}

/// A review at `level` (indicators left out take the level below's score).
/// After review, the final level corrects with a `comment`.
#[derive(Deserialize, ToSchema)]
pub struct ReviewIn {
    level: u8,
    #[serde(default)]
    scores: Vec<ReviewScoreIn>,
    /// Codes of the vetoes found (replaces the list).
    #[serde(default)]
    vetoes: Vec<String>,
    comment: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct CommentIn {
    comment: String,
}

#[derive(Deserialize, ToSchema)]
pub struct WithdrawIn {
    /// ISO date; default today.
    on: Option<String>,
    reason: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ObjectionIn {
    /// ISO date; default today.
    raised_on: Option<String>,
    source: Option<String>,
    content: String,
}

#[derive(Deserialize, ToSchema)]
pub struct AnswerIn {
    answer: String,
}

#[derive(Serialize, ToSchema)]
pub struct QueueItemView {
    entry: EntryView,
    campaign_name: String,
    /// The level waiting: 1 or 2.
    level: u8,
}

#[derive(Deserialize, ToSchema)]
pub struct BulkIn {
    ids: Vec<i64>,
    level: u8,
    /// `accept` (take the level below's scores) or `return`.
    action: String,
    #[serde(default)]
    comment: String,
}

#[derive(Serialize, ToSchema)]
#[schema(as = StarBulkView)]
pub struct BulkView {
    done: usize,
}

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
    fn new(year: i32, f: &qizhi_core::figures::Figures) -> Self {
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

// ---------------------------------------------------------------------------
// Handlers

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgQuery {
    /// Only those concerning this unit (code): issued or run over it, above or below it.
    org: Option<String>,
}

async fn org_path(state: &AppState, caller: &Caller, org: Option<&str>) -> AppResult<Option<String>> {
    match org {
        None => Ok(None),
        Some(code) => {
            let u = state.store.unit_by_code(code).await?.ok_or_else(AppError::not_found)?;
            Ok(Some(access::unit(state, caller, u.id.0, Need::Read).await?.path))
        }
    }
}

fn related(path: &Option<String>, other: &str) -> bool {
    path.as_deref().is_none_or(|p| other.starts_with(p) || p.starts_with(other))
}

/// Schemes the caller may read (issued in scope or above it). Any signed-in user.
#[utoipa::path(get, operation_id = "stars_list_schemes", path = "/api/v1/stars/schemes", tag = "stars", params(OrgQuery), responses((status = 200, body = Vec<SchemeView>), (status = 404, body = crate::api::ErrorBody)))]
pub async fn list_schemes(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<OrgQuery>,
) -> AppResult<Json<Vec<SchemeView>>> {
    let path = org_path(&state, &caller, q.org.as_deref()).await?;
    let all = state.store.schemes(&caller.scope, &ancestors(&caller)).await?;
    Ok(Json(all.iter().filter(|s| related(&path, &s.unit_path)).map(SchemeView::new).collect()))
}

async fn issuer_of(
    state: &AppState,
    caller: &Caller,
    id: Option<i64>,
    org: Option<&str>,
) -> AppResult<qizhi_core::org::Unit> {
    let id = match (id, org) {
        (Some(id), _) => id,
        (None, Some(code)) => {
            state
                .store
                .unit_by_code(code)
                .await?
                .ok_or_else(|| AppError::Invalid(vec![FieldError::new("org", format!("组织编码 “{code}” 不存在"))]))?
                .id
                .0
        }
        (None, None) => return Err(AppError::Invalid(vec![FieldError::new("unit_id", "请指定组织 (unit_id or org)")])),
    };
    access::unit(state, caller, id, Need::Edit).await
}

/// Issue a scheme — unit admins of the issuing unit (404 outside scope, 403 without the right).
#[utoipa::path(post, operation_id = "stars_create_scheme", path = "/api/v1/stars/schemes", tag = "stars", request_body = SchemeIn, responses((status = 201, body = SchemeView)))]
pub async fn create_scheme(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<SchemeIn>,
) -> AppResult<(StatusCode, Json<SchemeView>)> {
    let unit = issuer_of(&state, &caller, body.unit_id, body.org.as_deref()).await?;
    let fields = body.fields()?;
    let s = caller.store(&state).create_scheme(unit.id, &fields).await?;
    Ok((StatusCode::CREATED, Json(SchemeView::new(&s))))
}

/// A scheme — whoever may read its issuer or a unit under it; 404 otherwise.
#[utoipa::path(get, operation_id = "stars_get_scheme", path = "/api/v1/stars/schemes/{id}", tag = "stars", params(("id" = i64, Path)), responses((status = 200, body = SchemeView)))]
pub async fn get_scheme(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> AppResult<Json<SchemeView>> {
    Ok(Json(SchemeView::new(&access::stars::scheme(&state, &caller, id, Need::Read).await?)))
}

/// Edit a scheme no campaign uses — unit admins of its issuer (422 once frozen).
#[utoipa::path(put, operation_id = "stars_update_scheme", path = "/api/v1/stars/schemes/{id}", tag = "stars", params(("id" = i64, Path)), request_body = SchemeIn, responses((status = 200, body = SchemeView)))]
pub async fn update_scheme(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<SchemeIn>,
) -> AppResult<Json<SchemeView>> {
    access::stars::scheme(&state, &caller, id, Need::Edit).await?;
    let fields = body.fields()?;
    let (_, s) = caller.store(&state).update_scheme(id, &fields).await?;
    Ok(Json(SchemeView::new(&s)))
}

/// Copy a scheme to another year — unit admins of its issuer.
#[utoipa::path(post, operation_id = "stars_copy_scheme", path = "/api/v1/stars/schemes/{id}/copy", tag = "stars", params(("id" = i64, Path)), request_body = CopyIn, responses((status = 201, body = SchemeView)))]
pub async fn copy_scheme(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<CopyIn>,
) -> AppResult<(StatusCode, Json<SchemeView>)> {
    access::stars::scheme(&state, &caller, id, Need::Edit).await?;
    if !(2000..=2100).contains(&body.year) {
        return Err(AppError::Invalid(vec![FieldError::new("year", "年度应在 2000 到 2100 之间 (year out of range)")]));
    }
    let s = caller.store(&state).copy_scheme(id, body.year).await?;
    Ok((StatusCode::CREATED, Json(SchemeView::new(&s))))
}

/// Campaigns the caller may read (run in scope or above it). Any signed-in user.
#[utoipa::path(get, operation_id = "stars_list_campaigns", path = "/api/v1/stars/campaigns", tag = "stars", params(OrgQuery), responses((status = 200, body = Vec<CampaignView>), (status = 404, body = crate::api::ErrorBody)))]
pub async fn list_campaigns(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<OrgQuery>,
) -> AppResult<Json<Vec<CampaignView>>> {
    let path = org_path(&state, &caller, q.org.as_deref()).await?;
    let all = state.store.campaigns(&caller.scope, &ancestors(&caller)).await?;
    Ok(Json(all.iter().filter(|c| related(&path, &c.unit_path)).map(CampaignView::new).collect()))
}

/// Start a campaign of a scheme over a unit's subtree — unit admins of both
/// the scheme's issuer and that unit.
#[utoipa::path(post, operation_id = "stars_create_campaign", path = "/api/v1/stars/campaigns", tag = "stars", request_body = CampaignIn, responses((status = 201, body = CampaignView)))]
pub async fn create_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<CampaignIn>,
) -> AppResult<(StatusCode, Json<CampaignView>)> {
    let scheme_id = body
        .scheme_id
        .ok_or_else(|| AppError::Invalid(vec![FieldError::new("scheme_id", "请指定评价体系 (scheme_id)")]))?;
    let scheme = access::stars::scheme(&state, &caller, scheme_id, Need::Edit).await?;
    let unit = issuer_of(&state, &caller, body.unit_id, body.org.as_deref()).await?;
    let fields = body.fields()?;
    let c = caller.store(&state).create_campaign(scheme.id, UnitId(unit.id.0), &fields).await?;
    Ok((StatusCode::CREATED, Json(CampaignView::new(&c))))
}

/// A campaign with its progress (over the caller's scope) and quotas — whoever may read it.
#[utoipa::path(get, operation_id = "stars_get_campaign", path = "/api/v1/stars/campaigns/{id}", tag = "stars", params(("id" = i64, Path)), responses((status = 200, body = CampaignDetail)))]
pub async fn get_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> AppResult<Json<CampaignDetail>> {
    let c = access::stars::campaign(&state, &caller, id, Need::Read).await?;
    let s = state.store.campaign_stats(c.id, &caller.scope).await?;
    // Quotas count the whole campaign: shown to those who may read its unit.
    let quotas = if caller.can_read(&c.unit_path) { state.store.campaign_quotas(&c).await? } else { vec![] };
    let quotas = quotas
        .into_iter()
        .map(|q| QuotaView {
            stars: q.stars,
            max_percent: q.max_percent,
            allowed: q.allowed,
            actual: q.actual,
            exceeded: q.exceeded(),
        })
        .collect();
    Ok(Json(CampaignDetail {
        campaign: CampaignView::new(&c),
        stats: StatsView {
            entries: s.entries,
            by_status: s.by_status.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            by_star: s.by_star,
            awarded_by_star: s.awarded_by_star,
            awarded: s.awarded,
            withdrawn: s.withdrawn,
            open_objections: s.open_objections,
        },
        quotas,
    }))
}

/// Change a campaign's name, review levels (before review) and dates — unit admins of its unit.
#[utoipa::path(put, operation_id = "stars_update_campaign", path = "/api/v1/stars/campaigns/{id}", tag = "stars", params(("id" = i64, Path)), request_body = CampaignIn, responses((status = 200, body = CampaignView)))]
pub async fn update_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<CampaignIn>,
) -> AppResult<Json<CampaignView>> {
    access::stars::campaign(&state, &caller, id, Need::Edit).await?;
    let (_, c) = caller.store(&state).update_campaign(id, &body.fields()?).await?;
    Ok(Json(CampaignView::new(&c)))
}

/// Move a campaign one stage (entering `award` fixes the stars; 422 when a
/// quota is exceeded) — unit admins of its unit.
#[utoipa::path(post, operation_id = "stars_move_stage", path = "/api/v1/stars/campaigns/{id}/stage", tag = "stars", params(("id" = i64, Path)), request_body = StageIn, responses((status = 200, body = CampaignView)))]
pub async fn move_stage(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<StageIn>,
) -> AppResult<Json<CampaignView>> {
    access::stars::campaign(&state, &caller, id, Need::Edit).await?;
    let to = Stage::parse(&body.stage).map_err(|m| AppError::Invalid(vec![FieldError::new("stage", m)]))?;
    let (c, _) = caller.store(&state).move_campaign(id, to).await?;
    Ok(Json(CampaignView::new(&c)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntriesQuery {
    /// A status code.
    status: Option<String>,
    /// Part of a branch's name or code.
    q: Option<String>,
    page: Option<i64>,
    /// Default 50, at most 1000.
    per_page: Option<i64>,
}

/// A campaign's entries inside the caller's scope — whoever may read the campaign.
#[utoipa::path(get, operation_id = "stars_campaign_entries", path = "/api/v1/stars/campaigns/{id}/entries", tag = "stars", params(("id" = i64, Path), EntriesQuery), responses((status = 200, body = EntryPage)))]
pub async fn campaign_entries(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<EntriesQuery>,
) -> AppResult<Json<EntryPage>> {
    let c = access::stars::campaign(&state, &caller, id, Need::Read).await?;
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s) => Some(EntryStatus::parse(s).map_err(AppError::BadRequest)?),
    };
    let per_page = q.per_page.unwrap_or(50).clamp(1, 1000);
    let page = q.page.unwrap_or(1).max(1);
    let f = qizhi_store::stars::EntryFilter { status, star: None, q: q.q.unwrap_or_default(), page, per_page };
    let (total, list) = state.store.campaign_entries(c.id, &caller.scope, &f).await?;
    Ok(Json(EntryPage { total, page, per_page, items: list.iter().map(|l| EntryView::new(&l.entry)).collect() }))
}

/// A branch's entry: scores, evidence, vetoes, objections, the engine's
/// outcome and explanation, what is missing — whoever may read the branch.
#[utoipa::path(get, operation_id = "stars_get_entry", path = "/api/v1/stars/entries/{id}", tag = "stars", params(("id" = i64, Path)), responses((status = 200, body = EntryDetailView)))]
pub async fn get_entry(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> AppResult<Json<EntryDetailView>> {
    Ok(Json(EntryDetailView::new(&access::stars::entry(&state, &caller, id).await?)))
}

async fn detail(state: &AppState, id: i64) -> AppResult<Json<EntryDetailView>> {
    Ok(Json(EntryDetailView::new(&state.store.entry_detail(id).await?)))
}

/// Declare a target star and plan — unit admins of the branch (or above).
#[utoipa::path(put, operation_id = "stars_declare", path = "/api/v1/stars/entries/{id}/declaration", tag = "stars", params(("id" = i64, Path)), request_body = DeclarationIn, responses((status = 200, body = EntryDetailView)))]
pub async fn declare(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<DeclarationIn>,
) -> AppResult<Json<EntryDetailView>> {
    let d = access::stars::entry(&state, &caller, id).await?;
    require(&state, &caller, may_self_assess(&caller, &d.entry), "star_entry", id, &d.entry.unit_path).await?;
    let decl = Declaration::parse(&body.target_star.to_string(), body.plan.as_deref())?;
    caller.store(&state).declare(id, &decl).await?;
    detail(&state, id).await
}

/// Save (or submit) the branch's own scores — unit admins of the branch (or above).
#[utoipa::path(put, operation_id = "stars_self_assess", path = "/api/v1/stars/entries/{id}/self", tag = "stars", params(("id" = i64, Path)), request_body = SelfIn, responses((status = 200, body = EntryDetailView)))]
pub async fn self_assess(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<SelfIn>,
) -> AppResult<Json<EntryDetailView>> {
    let d = access::stars::entry(&state, &caller, id).await?;
    require(&state, &caller, may_self_assess(&caller, &d.entry), "star_entry", id, &d.entry.unit_path).await?;
    let scores: Vec<SelfScore> =
        body.scores.into_iter().map(|s| SelfScore { indicator: s.indicator, points: s.score, note: s.note }).collect();
    caller.store(&state).self_assess(id, &scores, &[], body.submit).await?;
    detail(&state, id).await
}

/// One file of evidence for one indicator of the entry's scheme.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EvidenceForm {
    /// The indicator's code.
    indicator: String,
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Upload an evidence file for an indicator (multipart: `indicator`, `file`;
/// PDF, images, Office documents up to 10 MB) — unit admins of the branch,
/// while it may self-assess.
#[utoipa::path(post, operation_id = "stars_add_evidence", path = "/api/v1/stars/entries/{id}/evidence", tag = "stars", params(("id" = i64, Path)), request_body(content = EvidenceForm, content_type = "multipart/form-data"), responses((status = 200, body = EntryDetailView)))]
pub async fn evidence(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Fields,
) -> AppResult<Json<EntryDetailView>> {
    let d = access::stars::entry(&state, &caller, id).await?;
    require(&state, &caller, may_self_assess(&caller, &d.entry), "star_entry", id, &d.entry.unit_path).await?;
    let (indicator, upload) = (form.opt("indicator"), form.file("file", &FileKind::ALL)?);
    let indicator =
        indicator.ok_or_else(|| AppError::Invalid(vec![FieldError::new("indicator", "请指定指标 (indicator)")]))?;
    let u = upload.ok_or_else(|| AppError::Invalid(vec![FieldError::new("file", "请选择文件 (choose a file)")]))?;
    let up = Upload { indicator, name: u.name, kind: u.kind, bytes: u.bytes };
    caller.store(&state).self_assess(id, &[], &[up], false).await?;
    detail(&state, id).await
}

/// Review at a level — level 1: reviewers of the branch's parent; level 2:
/// reviewers of the campaign's unit. After review, the final level corrects
/// (a `comment` is required); the star and the figures change at once.
#[utoipa::path(put, operation_id = "stars_review", path = "/api/v1/stars/entries/{id}/review", tag = "stars", params(("id" = i64, Path)), request_body = ReviewIn, responses((status = 200, body = EntryDetailView)))]
pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<ReviewIn>,
) -> AppResult<Json<EntryDetailView>> {
    let d = access::stars::entry(&state, &caller, id).await?;
    let allowed = may_review(&caller, &d.entry, &d.campaign, body.level);
    require(&state, &caller, allowed, "star_entry", id, &d.entry.unit_path).await?;
    let r = Review {
        scores: body.scores.into_iter().map(|s| (s.indicator, s.score, s.note)).collect(),
        vetoes: body.vetoes,
        comment: body.comment,
    };
    caller.store(&state).review(id, body.level, &r).await?;
    detail(&state, id).await
}

/// Return a self-assessment to the branch — reviewers of the branch's parent.
#[utoipa::path(post, operation_id = "stars_return_entry", path = "/api/v1/stars/entries/{id}/return", tag = "stars", params(("id" = i64, Path)), request_body = CommentIn, responses((status = 200, body = EntryDetailView)))]
pub async fn return_entry(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<CommentIn>,
) -> AppResult<Json<EntryDetailView>> {
    let d = access::stars::entry(&state, &caller, id).await?;
    let allowed = may_review(&caller, &d.entry, &d.campaign, 1);
    require(&state, &caller, allowed, "star_entry", id, &d.entry.unit_path).await?;
    caller.store(&state).return_entry(id, &body.comment).await?;
    detail(&state, id).await
}

fn date_or_today(text: Option<&str>, field: &str) -> AppResult<time::Date> {
    Ok(qizhi_core::date::parse_optional(text)
        .map_err(|m| AppError::Invalid(vec![FieldError::new(field, m)]))?
        .unwrap_or_else(qizhi_core::date::today))
}

/// Withdraw an awarded star with a reason — reviewers of the branch's parent.
#[utoipa::path(post, operation_id = "stars_withdraw", path = "/api/v1/stars/entries/{id}/withdraw", tag = "stars", params(("id" = i64, Path)), request_body = WithdrawIn, responses((status = 200, body = EntryDetailView)))]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<WithdrawIn>,
) -> AppResult<Json<EntryDetailView>> {
    let d = access::stars::entry(&state, &caller, id).await?;
    let allowed = may_review(&caller, &d.entry, &d.campaign, 1);
    require(&state, &caller, allowed, "star_entry", id, &d.entry.unit_path).await?;
    let on = date_or_today(body.on.as_deref(), "on")?;
    caller.store(&state).withdraw_star(id, on, &body.reason).await?;
    detail(&state, id).await
}

/// Record an objection (publicity stage) — the campaign's admins and the
/// branch's level-1 reviewers.
#[utoipa::path(post, operation_id = "stars_add_objection", path = "/api/v1/stars/entries/{id}/objections", tag = "stars", params(("id" = i64, Path)), request_body = ObjectionIn, responses((status = 201, body = EntryDetailView)))]
pub async fn add_objection(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<ObjectionIn>,
) -> AppResult<(StatusCode, Json<EntryDetailView>)> {
    let d = access::stars::entry(&state, &caller, id).await?;
    let allowed = may_handle_objections(&caller, &d.entry, &d.campaign);
    require(&state, &caller, allowed, "star_entry", id, &d.entry.unit_path).await?;
    let on = date_or_today(body.raised_on.as_deref(), "raised_on")?;
    caller.store(&state).add_objection(id, on, body.source.as_deref(), &body.content).await?;
    Ok((StatusCode::CREATED, detail(&state, id).await?))
}

/// Answer an objection — the campaign's admins and the branch's level-1 reviewers.
#[utoipa::path(post, operation_id = "stars_answer_objection", path = "/api/v1/stars/objections/{id}/answer", tag = "stars", params(("id" = i64, Path)), request_body = AnswerIn, responses((status = 200, body = EntryDetailView)))]
pub async fn answer_objection(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<AnswerIn>,
) -> AppResult<Json<EntryDetailView>> {
    let o = state.store.objection(id).await?;
    let d = access::stars::entry(&state, &caller, o.entry_id).await?;
    let allowed = may_handle_objections(&caller, &d.entry, &d.campaign);
    require(&state, &caller, allowed, "star_objection", id, &d.entry.unit_path).await?;
    caller.store(&state).answer_objection(id, &body.answer).await?;
    detail(&state, o.entry_id).await
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// One campaign only.
    campaign: Option<i64>,
}

/// Entries in review waiting for the caller's decision — any signed-in user
/// (empty for those who review nothing).
#[utoipa::path(get, operation_id = "stars_queue", path = "/api/v1/stars/queue", tag = "stars", params(QueueQuery), responses((status = 200, body = Vec<QueueItemView>), (status = 404, body = crate::api::ErrorBody)))]
pub async fn queue(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<QueueQuery>,
) -> AppResult<Json<Vec<QueueItemView>>> {
    if let Some(id) = q.campaign {
        access::stars::campaign(&state, &caller, id, Need::Read).await?;
    }
    let items = state.store.review_queue(&review_scope(&caller), q.campaign).await?;
    Ok(Json(
        items
            .iter()
            .map(|i| QueueItemView {
                entry: EntryView::new(&i.entry),
                campaign_name: i.campaign_name.clone(),
                level: i.level,
            })
            .collect(),
    ))
}

/// Bulk review: accept the level below's scores, or return — the reviewers
/// of every entry listed at that level; all or none.
#[utoipa::path(post, operation_id = "stars_bulk_review", path = "/api/v1/stars/queue", tag = "stars", request_body = BulkIn, responses((status = 200, body = BulkView)))]
pub async fn bulk_review(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<BulkIn>,
) -> AppResult<Json<BulkView>> {
    if body.ids.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new(
            "ids",
            "请至少选择一个党支部 (select at least one entry)",
        )]));
    }
    for &id in &body.ids {
        let d = access::stars::entry(&state, &caller, id).await?;
        let allowed = may_review(&caller, &d.entry, &d.campaign, body.level);
        require(&state, &caller, allowed, "star_entry", id, &d.entry.unit_path).await?;
    }
    let accept = match body.action.as_str() {
        "accept" => true,
        "return" => false,
        _ => {
            return Err(AppError::Invalid(vec![FieldError::new("action", "应为 accept 或 return (accept or return)")]));
        }
    };
    let done = caller.store(&state).bulk_review(&body.ids, body.level, accept, &body.comment).await?;
    Ok(Json(BulkView { done }))
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
    let (total, rows) = state.store.star_branches(&unit, &caller.scope, span, q.star, at_least, page, per_page).await?;
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
