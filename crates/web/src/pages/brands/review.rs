//! A brand's review page and its actions: apply (申报), decide (初审 → 评审 →
//! 命名, or return), move down, evidence for the standard's items and their
//! confirmation, and versions (迭代升级).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use qizhi_core::brand::{self, BrandStatus, EvidenceInput};
use qizhi_core::date::{this_year, today};
use qizhi_core::figures::{Span, figure};
use qizhi_core::file::FileKind;
use qizhi_store::brands::NewFile;
use serde::Deserialize;

use super::message;
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::again;
use crate::kit::flash;
use crate::kit::form::Fields;
use crate::pages::{chrome, render};
use crate::views::brands::{BrandFacts, BrandReviewPage, EvidenceView, ItemView, Label, timeline};
use crate::views::{FigureTile, UnitRef};

async fn page_of(state: &AppState, caller: &Caller, id: i64, error: Option<String>) -> PageResult<BrandReviewPage> {
    let (b, unit) = access::brand(state, caller, id, Need::Read).await?;
    let store = &state.store;
    let standard = store.brand_standard(&b).await?;
    let can_edit = caller.can_edit(&unit.path);
    let can_review = caller.may(Need::Decide, &unit.path);
    let year = this_year();
    let figures = store.figures(unit.id, Span { from: year, to: year }).await?;
    let mut items = vec![];
    if let (Some(s), Some(state_)) = (&standard.standard, &standard.state) {
        for (item, st) in s.items.iter().zip(&state_.items) {
            let check = standard.checks.iter().find(|c| c.item_id == item.id);
            items.push(ItemView {
                id: item.id,
                title: item.title.clone(),
                description: item.description.clone().unwrap_or_default(),
                evidence: standard
                    .evidence
                    .iter()
                    .filter(|e| e.item_id == item.id)
                    .map(|e| EvidenceView {
                        id: e.id,
                        kind: Label::of_evidence(e.fields.kind),
                        text: e.fields.text.clone().unwrap_or_default(),
                        file: e.file_id.map(|f| format!("/files/{f}")).unwrap_or_default(),
                        figure: e
                            .fields
                            .figure_key
                            .as_deref()
                            .and_then(|k| Some(FigureTile::new(figure(k)?, *figures.get(k)?))),
                        by: e.created_by.clone().unwrap_or_default(),
                    })
                    .collect(),
                confirmed_on: st.confirmed_on.map(qizhi_core::date::iso).unwrap_or_default(),
                confirmed_by: check.and_then(|c| c.confirmed_by.clone()).unwrap_or_default(),
                comment: check.and_then(|c| c.comment.clone()).unwrap_or_default(),
            });
        }
    }
    let apply_refusal = match b.app_stage {
        None => brand::check_apply(b.status, None, standard.state.as_ref()).err().map(|e| e.to_string()),
        Some(_) => None,
    };
    let approve_refusal = match b.app_stage {
        Some(_) => {
            brand::check_approval(b.app_stage, b.app_target, standard.state.as_ref()).err().map(|e| e.to_string())
        }
        None => None,
    };
    let unit_label = unit.short_name.clone().unwrap_or_else(|| unit.name.clone());
    let versions = store
        .brand_versions(b.id)
        .await?
        .into_iter()
        .map(|v| (v.version, qizhi_core::date::iso(v.on), v.note.unwrap_or_default(), v.actor.unwrap_or_default()))
        .collect();
    Ok(BrandReviewPage {
        chrome: chrome(caller, "brands", &format!("/brands/{id}/review")),
        unit: UnitRef::from(&unit),
        next: b.status.next().map(Label::of_status),
        apply_refusal,
        approve_refusal,
        next_step: b.app_stage.map(|s| (s.step_zh(), s.step_en())),
        can_edit,
        can_review,
        standard_name: standard.state.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
        standard_issuer: standard.issuer_name.clone().unwrap_or_default(),
        met_on: b.standard_met_on.map(qizhi_core::date::iso).unwrap_or_default(),
        items,
        timeline: timeline(&store.brand_events(b.id).await?),
        versions,
        demote_to: BrandStatus::ALL
            .iter()
            .filter(|s| **s > BrandStatus::Draft && **s < b.status)
            .map(|s| Label::of_status(*s))
            .collect(),
        error,
        brand: BrandFacts::new(&b, &unit_label, 0),
    })
}

#[derive(Deserialize)]
pub struct MsgQuery {
    flash: Option<String>,
}

/// `GET /brands/{id}/review` — whoever may read the brand's unit (the forms
/// shown follow their rights); outside: 404.
pub async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<MsgQuery>,
) -> PageResult<Html<String>> {
    let mut p = page_of(&state, &caller, id, None).await?;
    p.chrome.flash = flash::message(caller.lang, q.flash.as_deref());
    render(&p)
}

/// A refused step: the review page again, with the reason (422).
async fn refused(state: &AppState, caller: &Caller, id: i64, e: AppError) -> PageResult<Response> {
    if !matches!(e, AppError::Invalid(_)) {
        return Err(e.into());
    }
    let p = page_of(state, caller, id, Some(message(&e))).await?;
    again::page(&p)
}

fn back(id: i64, msg: &str) -> Response {
    flash::redirect(&format!("/brands/{id}/review"), &format!("brands.{msg}"))
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    comment: String,
}

/// `POST /brands/{id}/apply` (csrf, comment) — admins of the brand's unit
/// (申报); others in scope: 403; outside: 404. Refused with the rule's reason
/// when the standard is not met for mature or above.
pub async fn apply(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(f): Form<CommentForm>,
) -> PageResult<Response> {
    let (b, _) = access::brand(&state, &caller, id, Need::Edit).await?;
    let comment = Some(f.comment.trim()).filter(|c| !c.is_empty());
    match caller.store(&state).apply_brand(b.id, comment, today()).await {
        Ok(_) => Ok(back(id, "applied")),
        Err(e) => refused(&state, &caller, id, e.into()).await,
    }
}

#[derive(Deserialize)]
pub struct DecideForm {
    /// `approve` or `return`.
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
}

/// `POST /brands/{id}/decide` (csrf, decision = approve|return, comment) —
/// reviewers of the brand's unit's parent; the unit's own admins and
/// reviewers, and viewers: 403; outside: 404.
pub async fn decide(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(f): Form<DecideForm>,
) -> PageResult<Response> {
    let (b, _) = access::brand(&state, &caller, id, Need::Decide).await?;
    let approve = match f.decision.as_str() {
        "approve" => true,
        "return" => false,
        _ => return Err(AppError::BadRequest("decision: approve/return".into()).into()),
    };
    let comment = Some(f.comment.trim()).filter(|c| !c.is_empty());
    match caller.store(&state).decide_brand(b.id, approve, comment, today()).await {
        Ok(after) => {
            let msg = match (approve, after.status != b.status) {
                (false, _) => "returned",
                (true, true) => "named",
                (true, false) => "approved",
            };
            Ok(back(id, msg))
        }
        Err(e) => refused(&state, &caller, id, e.into()).await,
    }
}

#[derive(Deserialize)]
pub struct DemoteForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    comment: String,
}

/// `POST /brands/{id}/demote` (csrf, to, comment) — reviewers of the brand's
/// unit's parent; others in scope: 403; outside: 404.
pub async fn demote(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(f): Form<DemoteForm>,
) -> PageResult<Response> {
    let (b, _) = access::brand(&state, &caller, id, Need::Decide).await?;
    let to = BrandStatus::parse(&f.to).map_err(AppError::BadRequest)?;
    match caller.store(&state).demote_brand(b.id, to, &f.comment, today()).await {
        Ok(_) => Ok(back(id, "demoted")),
        Err(e) => refused(&state, &caller, id, e.into()).await,
    }
}

/// `POST /brands/{id}/evidence` (multipart: csrf, item, kind, text,
/// figure_key, file) — admins of the brand's unit; others in scope: 403;
/// outside: 404. Files: images, PDF or Office documents.
pub async fn add_evidence(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    p: Fields,
) -> PageResult<Response> {
    let (b, _) = access::brand(&state, &caller, id, Need::Edit).await?;
    let result = async {
        let item: i64 = p.text("item").trim().parse().map_err(|_| AppError::BadRequest("item".into()))?;
        let upload = p.file("file", &FileKind::ALL)?;
        let input = EvidenceInput { kind: p.text("kind"), text: p.opt("text"), figure_key: p.opt("figure_key") };
        let fields = input.validate(upload.is_some())?;
        let file = upload.as_ref().map(|u| NewFile { name: &u.name, kind: u.kind, bytes: &u.bytes });
        Ok::<_, AppError>(caller.store(&state).add_evidence(b.id, item, &fields, file).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(back(id, "evidence")),
        Err(e) => refused(&state, &caller, id, e).await,
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {}

/// `POST /brands/{id}/evidence/{evidence}/delete` — admins of the brand's
/// unit; others in scope: 403; outside: 404. An item left without evidence
/// loses its confirmation.
pub async fn delete_evidence(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, evidence)): Path<(i64, i64)>,
    Form(_f): Form<CsrfForm>,
) -> PageResult<Response> {
    let (b, _) = access::brand(&state, &caller, id, Need::Edit).await?;
    caller.store(&state).delete_evidence(b.id, evidence).await?;
    Ok(back(id, "evidence"))
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    /// `1` to confirm, `0` to withdraw.
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    comment: String,
}

/// `POST /brands/{id}/items/{item}/confirm` (csrf, confirm = 1|0, comment) —
/// reviewers of the brand's unit's parent; others in scope: 403; outside: 404.
pub async fn confirm(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, item)): Path<(i64, i64)>,
    Form(f): Form<ConfirmForm>,
) -> PageResult<Response> {
    let (b, _) = access::brand(&state, &caller, id, Need::Decide).await?;
    let comment = Some(f.comment.trim()).filter(|c| !c.is_empty());
    match caller.store(&state).confirm_item(b.id, item, f.confirm != "0", comment, today()).await {
        Ok(_) => Ok(back(id, "confirmed")),
        Err(e) => refused(&state, &caller, id, e.into()).await,
    }
}

#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    note: String,
}

/// `POST /brands/{id}/versions` (csrf, note) — admins of the brand's unit
/// (迭代升级); others in scope: 403; outside: 404.
pub async fn save_version(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(f): Form<VersionForm>,
) -> PageResult<Response> {
    let (b, _) = access::brand(&state, &caller, id, Need::Edit).await?;
    let note = Some(f.note.trim()).filter(|n| !n.is_empty());
    caller.store(&state).save_brand_version(b.id, note, today()).await?;
    Ok(back(id, "version"))
}
