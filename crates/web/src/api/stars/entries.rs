use super::campaigns::CampaignView;
use crate::AppState;
use crate::access::require;
use crate::access::stars::{may_handle_objections, may_review, may_self_assess};
use crate::access::{self};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::kit::form::Fields;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use qizhi_core::FieldError;
use qizhi_core::file::FileKind;
use qizhi_core::stars::campaign::Declaration;
use qizhi_core::stars::points::Points;
use qizhi_store::stars::{Entry, EntryDetail, Review, SelfScore, Upload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
    pub(super) fn new(e: &Entry) -> Self {
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
    pub(super) total: i64,
    pub(super) page: i64,
    pub(super) per_page: i64,
    pub(super) items: Vec<EntryView>,
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
    pub(super) fn new(d: &EntryDetail) -> Self {
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
