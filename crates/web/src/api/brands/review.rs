use super::brand::BrandView;
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use qizhi_core::brand::{BrandStatus, EvidenceInput};
use qizhi_core::date::today;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct ApplyBody {
    comment: Option<String>,
}

/// Apply to move the brand up one level (申报). Refused with the reason when
/// mature or exemplary is asked for without the standard met.
#[utoipa::path(post, operation_id = "brands_apply", path = "/api/v1/brands/{id}/apply", tag = "brands", params(("id" = i64, Path)), request_body = ApplyBody, responses((status = 200, body = BrandView)))]
pub async fn apply(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<ApplyBody>,
) -> AppResult<Json<BrandView>> {
    let (b, unit) = access::brand(&state, &caller, id, Need::Edit).await?;
    let comment = body.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let b = caller.store(&state).apply_brand(b.id, comment, today()).await?;
    Ok(Json(BrandView::new(&b, &unit.code)))
}

#[derive(Deserialize, ToSchema)]
pub struct DecideBody {
    /// `approve` (初审 → 评审 → 命名, one step per call) or `return`.
    decision: String,
    /// Required to return.
    comment: Option<String>,
}

/// Decide on the open application, as a reviewer of the brand unit's parent.
#[utoipa::path(post, operation_id = "brands_decide", path = "/api/v1/brands/{id}/decide", tag = "brands", params(("id" = i64, Path)), request_body = DecideBody, responses((status = 200, body = BrandView)))]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<DecideBody>,
) -> AppResult<Json<BrandView>> {
    let (b, unit) = access::brand(&state, &caller, id, Need::Decide).await?;
    let approve = match body.decision.as_str() {
        "approve" => true,
        "return" => false,
        other => {
            return Err(AppError::Invalid(vec![qizhi_core::FieldError::new(
                "decision",
                format!("应为 approve 或 return，而不是 “{other}” (approve or return)"),
            )]));
        }
    };
    let b = caller.store(&state).decide_brand(b.id, approve, body.comment.as_deref(), today()).await?;
    Ok(Json(BrandView::new(&b, &unit.code)))
}

#[derive(Deserialize, ToSchema)]
pub struct DemoteBody {
    /// A status below the current one (not draft).
    to: String,
    comment: String,
}

/// Move the brand down after review, as a reviewer of the brand unit's parent.
#[utoipa::path(post, operation_id = "brands_demote", path = "/api/v1/brands/{id}/demote", tag = "brands", params(("id" = i64, Path)), request_body = DemoteBody, responses((status = 200, body = BrandView)))]
pub async fn demote(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<DemoteBody>,
) -> AppResult<Json<BrandView>> {
    let (b, unit) = access::brand(&state, &caller, id, Need::Decide).await?;
    let to = BrandStatus::parse(&body.to).map_err(|m| AppError::Invalid(vec![qizhi_core::FieldError::new("to", m)]))?;
    let b = caller.store(&state).demote_brand(b.id, to, &body.comment, today()).await?;
    Ok(Json(BrandView::new(&b, &unit.code)))
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceView {
    id: i64,
    item_id: i64,
    /// `file`, `photo`, `text` or `figure`.
    kind: String,
    text: Option<String>,
    figure_key: Option<String>,
    file: Option<String>,
    created_by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ItemStanding {
    id: i64,
    title: String,
    description: Option<String>,
    evidence: Vec<EvidenceView>,
    confirmed_on: Option<String>,
    confirmed_by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StandingView {
    /// Null when no standard has been issued above the brand's unit.
    standard: Option<String>,
    issued_by: Option<String>,
    items: Vec<ItemStanding>,
    met_on: Option<String>,
    /// Titles of the items not yet confirmed.
    unmet: Vec<String>,
}

/// The standard applying to a brand and where the brand stands on it.
#[utoipa::path(get, operation_id = "brands_standing", path = "/api/v1/brands/{id}/standard", tag = "brands", params(("id" = i64, Path)), responses((status = 200, body = StandingView)))]
pub async fn standing(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> AppResult<Json<StandingView>> {
    let (b, _) = access::brand(&state, &caller, id, Need::Read).await?;
    let s = state.store.brand_standard(&b).await?;
    let items = match (&s.standard, &s.state) {
        (Some(std), Some(st)) => std
            .items
            .iter()
            .zip(&st.items)
            .map(|(i, state_)| ItemStanding {
                id: i.id,
                title: i.title.clone(),
                description: i.description.clone(),
                evidence: s.evidence.iter().filter(|e| e.item_id == i.id).map(evidence_view).collect(),
                confirmed_on: state_.confirmed_on.map(qizhi_core::date::iso),
                confirmed_by: s.checks.iter().find(|c| c.item_id == i.id).and_then(|c| c.confirmed_by.clone()),
            })
            .collect(),
        _ => vec![],
    };
    Ok(Json(StandingView {
        standard: s.standard.as_ref().map(|x| x.name.clone()),
        issued_by: s.issuer_name.clone(),
        met_on: s.state.as_ref().and_then(|x| x.met_on()).map(qizhi_core::date::iso),
        unmet: s.state.as_ref().map(|x| x.unmet().into_iter().map(str::to_string).collect()).unwrap_or_default(),
        items,
    }))
}

fn evidence_view(e: &qizhi_core::brand::Evidence) -> EvidenceView {
    EvidenceView {
        id: e.id,
        item_id: e.item_id,
        kind: e.fields.kind.code().into(),
        text: e.fields.text.clone(),
        figure_key: e.fields.figure_key.clone(),
        file: e.file_id.map(|f| format!("/files/{f}")),
        created_by: e.created_by.clone(),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct EvidenceBody {
    item_id: i64,
    /// `text` or `figure` here (files and photos are uploaded on the brand's review page).
    kind: String,
    text: Option<String>,
    figure_key: Option<String>,
}

/// Record evidence (text or a figure) for one item of the brand's standard.
#[utoipa::path(post, operation_id = "brands_add_evidence", path = "/api/v1/brands/{id}/evidence", tag = "brands", params(("id" = i64, Path)), request_body = EvidenceBody, responses((status = 201, body = EvidenceView)))]
pub async fn add_evidence(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<EvidenceBody>,
) -> AppResult<(StatusCode, Json<EvidenceView>)> {
    let (b, _) = access::brand(&state, &caller, id, Need::Edit).await?;
    let input = EvidenceInput { kind: body.kind, text: body.text, figure_key: body.figure_key };
    let fields = input.validate(false)?;
    let e = caller.store(&state).add_evidence(b.id, body.item_id, &fields, None).await?;
    Ok((StatusCode::CREATED, Json(evidence_view(&e))))
}

#[derive(Deserialize, ToSchema)]
pub struct ConfirmBody {
    /// `true` to confirm the item met, `false` to withdraw the confirmation.
    confirm: bool,
    comment: Option<String>,
}

/// Confirm (or withdraw) that the brand meets one item of its standard, as a
/// reviewer of the brand unit's parent. The item needs evidence first.
#[utoipa::path(post, operation_id = "brands_confirm_item", path = "/api/v1/brands/{id}/items/{item}/confirm", tag = "brands", params(("id" = i64, Path), ("item" = i64, Path)), request_body = ConfirmBody, responses((status = 200, body = BrandView)))]
pub async fn confirm(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, item)): Path<(i64, i64)>,
    Json(body): Json<ConfirmBody>,
) -> AppResult<Json<BrandView>> {
    let (b, unit) = access::brand(&state, &caller, id, Need::Decide).await?;
    let b = caller.store(&state).confirm_item(b.id, item, body.confirm, body.comment.as_deref(), today()).await?;
    Ok(Json(BrandView::new(&b, &unit.code)))
}
