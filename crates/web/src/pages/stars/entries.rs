//! A branch's evaluation page and its forms: declaration, self-assessment
//! with evidence files, review (and corrections after review), return,
//! objections and answers, withdrawal.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use qizhi_core::FieldError;
use qizhi_core::file::FileKind;
use qizhi_core::stars::campaign::{self, Declaration, ScoreStage, Stage};
use qizhi_core::stars::points::Points;
use qizhi_store::Page;
use qizhi_store::audit::AuditQuery;
use qizhi_store::stars::{EntryDetail, Review, SelfScore, Upload};
use serde::Deserialize;

use super::{form_errors, may_handle_objections, may_review, may_self_assess, require};
use crate::AppState;
use crate::access::{self};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::kit::again;
use crate::kit::flash;
use crate::kit::form::Fields;
use crate::pages::{chrome, render};
use crate::views::UnitRef;
use crate::views::stars::{DimensionView, EntryPage, HistoryRow, IndicatorView, ObjectionView, VetoView};

/// When an audit time (epoch ms) happened, as `YYYY-MM-DD HH:MM` (UTC+8).
fn when(ms: i64) -> String {
    let t = qizhi_core::date::moment_of_ms(ms).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!("{} {:02}:{:02}", qizhi_core::date::iso(t.date()), t.hour(), t.minute())
}

/// The level the caller may review (or correct) at now, if any.
pub(crate) fn active_review_level(caller: &Caller, d: &EntryDetail) -> Option<u8> {
    let c = &d.campaign;
    (1..=c.review_levels.max(1)).rev().find(|&l| {
        may_review(caller, &d.entry, c, l) && campaign::may_review(c.stage, d.entry.status, c.review_levels, l).is_ok()
    })
}

pub(crate) async fn entry_page(
    state: &AppState,
    caller: &Caller,
    d: &EntryDetail,
    errors: Vec<String>,
) -> PageResult<EntryPage> {
    let lang = caller.lang;
    let e = &d.entry;
    let c = &d.campaign;
    let outcome = d.outcome();
    let parent_path = qizhi_core::org::parent_path(&e.unit_path).unwrap_or(&e.unit_path);
    let parent_name = match e.parent_id {
        Some(p) if caller.can_read(parent_path) => state.store.unit(p).await.map(|u| u.name).unwrap_or_default(),
        _ => String::new(),
    };
    let review_level = active_review_level(caller, d);
    let text = |s: Option<&qizhi_store::stars::Score>| s.map(|s| s.points.to_string()).unwrap_or_default();
    let note = |s: Option<&qizhi_store::stars::Score>| s.and_then(|s| s.note.clone()).unwrap_or_default();
    let dimensions = d
        .scheme
        .body
        .dimensions
        .iter()
        .zip(&outcome.dimensions)
        .map(|(dim, result)| DimensionView {
            name: dim.name.clone(),
            score: result.score.to_string(),
            max: result.max.to_string(),
            level_code: result.level.code(),
            level_zh: result.level.zh(),
            level_en: result.level.en(),
            indicators: dim
                .indicators
                .iter()
                .map(|i| {
                    let own = d.score(ScoreStage::SelfAssess, &i.code);
                    let r1 = d.score(ScoreStage::Review1, &i.code);
                    let r2 = d.score(ScoreStage::Review2, &i.code);
                    let default = match review_level {
                        Some(2) => r2.or(r1).or(own),
                        _ => r1.or(own),
                    };
                    IndicatorView {
                        code: i.code.clone(),
                        name: i.name.clone(),
                        max: i.max.to_string(),
                        weight: i.weight.map(|w| w.to_string()).unwrap_or_default(),
                        guide: i.guide.clone(),
                        evidence: i.evidence.clone(),
                        auto: i.auto.is_some(),
                        self_score: text(own),
                        self_note: note(own),
                        files: d
                            .evidence
                            .iter()
                            .filter(|f| f.indicator == i.code)
                            .map(|f| (f.file_id, f.name.clone()))
                            .collect(),
                        review1: text(r1),
                        review1_note: note(r1),
                        review2: text(r2),
                        review2_note: note(r2),
                        review_default: text(default),
                    }
                })
                .collect(),
        })
        .collect();
    let missing = d.missing();
    let Page { items: log, .. } = state
        .store
        .audit_entries(
            &caller.scope,
            &AuditQuery {
                q: e.id.to_string(),
                object_kind: Some("star_entry".into()),
                per_page: 50,
                page: 1,
                ..Default::default()
            },
        )
        .await?;
    let history = log
        .into_iter()
        .filter(|a| a.object_id.as_deref() == Some(e.id.to_string().as_str()))
        .map(|a| HistoryRow { at: when(a.at), who: a.username, summary: a.summary })
        .collect();
    let may_self = may_self_assess(caller, e);
    let handles = may_handle_objections(caller, e, c);
    let reviewer1 = may_review(caller, e, c, 1);
    let unit = state.store.unit(e.unit_id).await?;
    Ok(EntryPage {
        chrome: chrome(caller, "stars", &format!("/stars/entries/{}", e.id)),
        id: e.id,
        unit: UnitRef::from(&unit),
        parent_name,
        campaign_id: c.id,
        campaign_name: c.name.clone(),
        year: c.year,
        stage_code: c.stage.code(),
        stage_zh: c.stage.zh(),
        stage_en: c.stage.en(),
        status_code: e.status.code(),
        status_zh: e.status.zh(),
        status_en: e.status.en(),
        review_levels: c.review_levels,
        target: e.declaration.as_ref().map(|x| x.target_star),
        plan: e.declaration.as_ref().and_then(|x| x.plan.clone()).unwrap_or_default(),
        star: e.held_star(),
        awarded: e.awarded,
        withdrawn: e.withdrawn.as_ref().map(|w| (qizhi_core::date::iso(w.on), w.reason.clone())),
        explanation: match lang {
            Lang::Zh => outcome.explain_zh(),
            Lang::En => outcome.explain_en(),
        },
        dimensions,
        vetoes: d
            .scheme
            .body
            .vetoes
            .iter()
            .map(|v| VetoView {
                code: v.code.clone(),
                name: v.name.clone(),
                cap: v.cap,
                found: d.vetoes.contains(&v.code),
            })
            .collect(),
        review1_comment: e.review1_comment.clone().unwrap_or_default(),
        review2_comment: e.review2_comment.clone().unwrap_or_default(),
        missing: match lang {
            Lang::Zh => missing.zh(),
            Lang::En => missing.en(),
        },
        objections: d
            .objections
            .iter()
            .map(|o| ObjectionView {
                id: o.id,
                raised_on: o.raised_on.clone(),
                source: o.source.clone().unwrap_or_default(),
                content: o.content.clone(),
                answer: o.answer.clone().unwrap_or_default(),
                answered_by: o.answered_by.clone().unwrap_or_default(),
            })
            .collect(),
        history,
        can_declare: may_self && campaign::may_declare(c.stage, e.status).is_ok(),
        can_self: may_self && campaign::may_self_assess(c.stage, e.status).is_ok(),
        review_level,
        correcting: c.stage > Stage::Review,
        can_return: reviewer1 && campaign::may_return(c.stage, e.status).is_ok(),
        can_object: handles && c.stage == Stage::Publicity,
        can_answer: handles,
        can_withdraw: reviewer1 && c.stage.awarded() && e.awarded && e.withdrawn.is_none(),
        errors,
    })
}

/// `GET /stars/entries/{id}` — whoever may read the branch (its admins, the
/// reviewers and viewers above it); 404 otherwise.
pub async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<flash::FlashQuery>,
) -> PageResult<Response> {
    let d = access::stars::entry(&state, &caller, id).await?;
    let mut page = entry_page(&state, &caller, &d, vec![]).await?;
    page.chrome.flash = flash::message(caller.lang, q.flash.as_deref());
    Ok(render(&page)?.into_response())
}

/// After a form: back to the page with a flash, or the page again with the problems (422).
async fn after(
    state: &AppState,
    caller: &Caller,
    id: i64,
    result: Result<(), AppError>,
    done: &str,
) -> PageResult<Response> {
    match result {
        Ok(()) => Ok(flash::redirect(&format!("/stars/entries/{id}"), &format!("stars.{done}"))),
        Err(e) => {
            let errors = form_errors(e)?;
            let d = state.store.entry_detail(id).await?;
            let page = entry_page(state, caller, &d, errors).await?;
            again::page(&page)
        }
    }
}

#[derive(Deserialize)]
pub struct DeclareForm {
    target_star: String,
    plan: Option<String>,
}

/// `POST /stars/entries/{id}/declare` — unit admins of the branch (or above); 404 / 403.
pub async fn declare(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(f): Form<DeclareForm>,
) -> PageResult<Response> {
    let d = access::stars::entry(&state, &caller, id).await?;
    require(&state, &caller, may_self_assess(&caller, &d.entry), "star_entry", id, &d.entry.unit_path).await?;
    let result = match Declaration::parse(&f.target_star, f.plan.as_deref()) {
        Ok(decl) => caller.store(&state).declare(id, &decl).await.map(|_| ()).map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    after(&state, &caller, id, result, "declared").await
}

/// Reads `score.<code>` texts; empty ones are `None`. Bad numbers are field errors.
fn scores_of(pairs: &[(String, String)], errors: &mut Vec<FieldError>) -> Vec<(String, Option<Points>)> {
    pairs
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("score.").map(|code| (code.to_string(), v)))
        .map(|(code, v)| {
            let p = match Points::parse_optional(Some(v)) {
                Ok(p) => p,
                Err(m) => {
                    errors.push(FieldError::new(format!("score.{code}"), format!("{code}：{m}")));
                    None
                }
            };
            (code, p)
        })
        .collect()
}

fn note_of(pairs: &[(String, String)], code: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(k, _)| k.strip_prefix("note.") == Some(code))
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `POST /stars/entries/{id}/self` (multipart: score.<code>, note.<code>,
/// file.<code>, action=save|submit) — unit admins of the branch (or above),
/// in the self-assessment stage or when returned; 404 / 403; CSRF checked.
pub async fn self_assess(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    form: Fields,
) -> PageResult<Response> {
    let d = access::stars::entry(&state, &caller, id).await?;
    require(&state, &caller, may_self_assess(&caller, &d.entry), "star_entry", id, &d.entry.unit_path).await?;
    let pairs = form.pairs();
    let (mut uploads, mut errors) = (vec![], vec![]);
    for name in form.file_fields() {
        let Some(code) = name.strip_prefix("file.") else { continue };
        match form.file(name, &FileKind::ALL) {
            Ok(Some(u)) => {
                uploads.push(Upload { indicator: code.to_string(), name: u.name, kind: u.kind, bytes: u.bytes })
            }
            Ok(None) => {}
            Err(AppError::Invalid(e)) => errors.extend(e),
            Err(e) => return Err(e.into()),
        }
    }
    let submit = pairs.iter().any(|(k, v)| k == "action" && v == "submit");
    let scores: Vec<SelfScore> = scores_of(pairs, &mut errors)
        .into_iter()
        .map(|(code, points)| SelfScore { note: note_of(pairs, &code), indicator: code, points })
        .collect();
    let result = if errors.is_empty() {
        caller.store(&state).self_assess(id, &scores, &uploads, submit).await.map(|_| ()).map_err(AppError::from)
    } else {
        Err(AppError::Invalid(errors))
    };
    after(&state, &caller, id, result, if submit { "submitted" } else { "saved" }).await
}

/// `POST /stars/entries/{id}/review` (level, score.<code>, note.<code>,
/// veto…, comment) — level 1: reviewers of the branch's parent; level 2:
/// reviewers of the campaign's unit; 404 / 403; CSRF checked. After the
/// review stage the final level corrects, with a note.
pub async fn review(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    form: Fields,
) -> PageResult<Response> {
    let pairs = form.pairs();
    let d = access::stars::entry(&state, &caller, id).await?;
    let level: u8 = pairs.iter().find(|(k, _)| k == "level").and_then(|(_, v)| v.parse().ok()).unwrap_or(1);
    let allowed = may_review(&caller, &d.entry, &d.campaign, level);
    require(&state, &caller, allowed, "star_entry", id, &d.entry.unit_path).await?;
    let mut errors = vec![];
    let scores = scores_of(pairs, &mut errors)
        .into_iter()
        .filter_map(|(code, p)| p.map(|p| (code.clone(), p, note_of(pairs, &code))))
        .collect();
    let r = Review {
        scores,
        vetoes: pairs.iter().filter(|(k, _)| k == "veto").map(|(_, v)| v.clone()).collect(),
        comment: pairs.iter().find(|(k, _)| k == "comment").map(|(_, v)| v.clone()).filter(|v| !v.trim().is_empty()),
    };
    let result = if errors.is_empty() {
        caller.store(&state).review(id, level, &r).await.map(|_| ()).map_err(AppError::from)
    } else {
        Err(AppError::Invalid(errors))
    };
    after(&state, &caller, id, result, "reviewed").await
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    comment: String,
}

/// `POST /stars/entries/{id}/return` (comment) — reviewers of the branch's
/// parent, in the review stage; 404 / 403; CSRF checked.
pub async fn return_entry(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(f): Form<CommentForm>,
) -> PageResult<Response> {
    let d = access::stars::entry(&state, &caller, id).await?;
    let allowed = may_review(&caller, &d.entry, &d.campaign, 1);
    require(&state, &caller, allowed, "star_entry", id, &d.entry.unit_path).await?;
    let result = caller.store(&state).return_entry(id, &f.comment).await.map(|_| ()).map_err(AppError::from);
    after(&state, &caller, id, result, "returned").await
}

#[derive(Deserialize)]
pub struct ObjectionForm {
    #[serde(default)]
    raised_on: String,
    source: Option<String>,
    #[serde(default)]
    content: String,
}

fn date_or_today(text: &str) -> Result<time::Date, AppError> {
    Ok(qizhi_core::date::parse_optional(Some(text))
        .map_err(|m| AppError::Invalid(vec![FieldError::new("date", m)]))?
        .unwrap_or_else(qizhi_core::date::today))
}

/// `POST /stars/entries/{id}/objections` (raised_on, source, content) — the
/// campaign's admins and the branch's level-1 reviewers, in publicity; 404 / 403.
pub async fn objection(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(f): Form<ObjectionForm>,
) -> PageResult<Response> {
    let d = access::stars::entry(&state, &caller, id).await?;
    let allowed = may_handle_objections(&caller, &d.entry, &d.campaign);
    require(&state, &caller, allowed, "star_entry", id, &d.entry.unit_path).await?;
    let result = match date_or_today(&f.raised_on) {
        Ok(on) => caller
            .store(&state)
            .add_objection(id, on, f.source.as_deref(), &f.content)
            .await
            .map(|_| ())
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    after(&state, &caller, id, result, "objection").await
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

/// `POST /stars/objections/{id}/answer` (answer) — the campaign's admins and
/// the branch's level-1 reviewers; 404 / 403.
pub async fn answer(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(f): Form<AnswerForm>,
) -> PageResult<Response> {
    let o = state.store.objection(id).await?;
    let d = access::stars::entry(&state, &caller, o.entry_id).await?;
    let allowed = may_handle_objections(&caller, &d.entry, &d.campaign);
    require(&state, &caller, allowed, "star_objection", id, &d.entry.unit_path).await?;
    let result = caller.store(&state).answer_objection(id, &f.answer).await.map(|_| ()).map_err(AppError::from);
    after(&state, &caller, o.entry_id, result, "answered").await
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    reason: String,
}

/// `POST /stars/entries/{id}/withdraw` (on, reason) — reviewers of the
/// branch's parent, once the star is awarded; 404 / 403; CSRF checked.
pub async fn withdraw(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(f): Form<WithdrawForm>,
) -> PageResult<Response> {
    let d = access::stars::entry(&state, &caller, id).await?;
    let allowed = may_review(&caller, &d.entry, &d.campaign, 1);
    require(&state, &caller, allowed, "star_entry", id, &d.entry.unit_path).await?;
    let result = match date_or_today(&f.on) {
        Ok(on) => caller.store(&state).withdraw_star(id, on, &f.reason).await.map(|_| ()).map_err(AppError::from),
        Err(e) => Err(e),
    };
    after(&state, &caller, id, result, "withdrawn").await
}
