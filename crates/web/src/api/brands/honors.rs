//! Honors over the API: list a unit's subtree, read, record, edit, delete.
//! Reading needs the filing unit in the caller's read scope (else 404);
//! writes need unit admin over it (else 403); a holder or brand named must be
//! one the caller may read.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use qizhi_core::brand::{Honor, HonorInput, HonorLevel};
use qizhi_core::ids::BrandId;
use qizhi_core::org::Unit;
use qizhi_store::Page;
use qizhi_store::honors::{EvidenceChange, HonorQuery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{self, Need};
use crate::api::scope_unit;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};

#[derive(Serialize, ToSchema)]
pub struct HonorView {
    id: i64,
    title: String,
    /// `national`, `central_soe`, `provincial`, `municipal`, `group` or `internal`.
    level: String,
    issuer: Option<String>,
    awarded_on: String,
    /// `brand`, `unit`, `team` or `person`.
    holder_kind: String,
    holder_id: Option<i64>,
    holder_name: String,
    /// The unit it is filed under.
    unit_id: i64,
    unit_code: String,
    brand_id: Option<i64>,
    evidence: Option<String>,
    note: Option<String>,
}

impl HonorView {
    pub(super) fn new(h: &Honor, unit_code: &str) -> HonorView {
        let f = &h.fields;
        HonorView {
            id: h.id.0,
            title: f.title.clone(),
            level: f.level.code().into(),
            issuer: f.issuer.clone(),
            awarded_on: qizhi_core::date::iso(f.awarded_on),
            holder_kind: f.holder_kind.code().into(),
            holder_id: h.holder_id,
            holder_name: f.holder_name.clone(),
            unit_id: h.unit_id.0,
            unit_code: unit_code.to_string(),
            brand_id: h.brand_id.map(|b| b.0),
            evidence: h.evidence_file_id.map(|f| format!("/files/{f}")),
            note: f.note.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct HonorsView {
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<HonorView>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HonorsQuery {
    /// The unit whose subtree to list (default: the caller's first scope root).
    org: Option<String>,
    q: Option<String>,
    level: Option<String>,
    /// Honors awarded in this year.
    year: Option<i32>,
    /// Honors won with this brand (id).
    brand: Option<i64>,
    page: Option<i64>,
    per_page: Option<i64>,
}

/// Honors filed in a unit's subtree and in the caller's scope, newest first.
#[utoipa::path(get, operation_id = "honors_list", path = "/api/v1/honors", tag = "honors", params(HonorsQuery), responses((status = 200, body = HonorsView), (status = 404, body = crate::api::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<HonorsQuery>,
) -> AppResult<Json<HonorsView>> {
    let unit = scope_unit(&state, &caller, q.org.as_deref()).await?;
    let per_page = q.per_page.unwrap_or(50).clamp(1, qizhi_store::MAX_PER_PAGE);
    let level = q
        .level
        .as_deref()
        .filter(|l| !l.is_empty())
        .map(HonorLevel::parse)
        .transpose()
        .map_err(AppError::BadRequest)?;
    let query = HonorQuery {
        q: q.q.unwrap_or_default(),
        level,
        years: q.year.map(qizhi_core::figures::Span::year),
        brand: q.brand.map(BrandId),
        page: q.page.unwrap_or(1).max(1),
        per_page,
    };
    let Page { total, items: rows } = state.store.honors(&unit, &caller.scope, &query).await?;
    Ok(Json(HonorsView {
        total,
        page: query.page,
        per_page,
        items: rows.iter().map(|h| HonorView::new(&h.honor, &h.unit_code)).collect(),
    }))
}

/// One honor.
#[utoipa::path(get, operation_id = "honors_get", path = "/api/v1/honors/{id}", tag = "honors", params(("id" = i64, Path)), responses((status = 200, body = HonorView)))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> AppResult<Json<HonorView>> {
    let (h, unit) = access::honor(&state, &caller, id, Need::Read).await?;
    Ok(Json(HonorView::new(&h, &unit.code)))
}

/// An honor as typed.
#[derive(Deserialize, ToSchema)]
pub struct HonorBody {
    /// The filing unit's code.
    org: String,
    title: String,
    /// Code or Chinese label (国家级, 中央企业级, 省部级, 地市级, 集团级, 单位内部).
    level: String,
    issuer: Option<String>,
    /// `2023-11-01`, or a month `2023-11`.
    awarded_on: String,
    /// `brand`, `unit`, `team` or `person` (or 品牌/组织/团队/个人).
    holder_kind: String,
    /// A brand code, unit code (empty: the filing unit) or ID number; nothing for a team.
    holder_code: Option<String>,
    /// The team's name.
    holder_name: Option<String>,
    /// The brand it was won with (code).
    brand_code: Option<String>,
    note: Option<String>,
}

async fn prepared(
    state: &AppState,
    caller: &Caller,
    body: &HonorBody,
) -> AppResult<(Unit, qizhi_core::brand::HonorFields, Option<i64>, Option<BrandId>)> {
    let unit = state.store.unit_by_code(&body.org).await?.ok_or_else(|| {
        AppError::Invalid(vec![qizhi_core::FieldError::new(
            "org",
            format!("组织编码 “{}” 不存在 (no unit with this code)", body.org),
        )])
    })?;
    let unit = access::unit(state, caller, unit.id.0, Need::Edit).await?;
    let fields = HonorInput {
        title: body.title.clone(),
        level: body.level.clone(),
        issuer: body.issuer.clone(),
        awarded_on: body.awarded_on.clone(),
        holder_kind: body.holder_kind.clone(),
        holder_name: body.holder_name.clone().unwrap_or_default(),
        note: body.note.clone(),
    }
    .validate()?;
    let holder =
        access::honor_holder(state, caller, &unit, fields.holder_kind, body.holder_code.as_deref().unwrap_or(""))
            .await?;
    let brand = match body.brand_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(code) => {
            let missing = || {
                AppError::Invalid(vec![qizhi_core::FieldError::new(
                    "brand_code",
                    format!("品牌编码 “{code}” 不存在 (no such brand)"),
                )])
            };
            let b = state.store.brand_by_code(code).await?.ok_or_else(missing)?;
            if !caller.can_read(&state.store.unit(b.unit_id).await?.path) {
                return Err(missing());
            }
            Some(b.id)
        }
    };
    Ok((unit, fields, holder, brand))
}

/// Record an honor filed under a unit the caller administers.
#[utoipa::path(post, operation_id = "honors_create", path = "/api/v1/honors", tag = "honors", request_body = HonorBody, responses((status = 201, body = HonorView)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<HonorBody>,
) -> AppResult<(StatusCode, Json<HonorView>)> {
    let (unit, fields, holder, brand) = prepared(&state, &caller, &body).await?;
    let h = caller.store(&state).create_honor(unit.id, &fields, holder, brand, None).await?;
    Ok((StatusCode::CREATED, Json(HonorView::new(&h, &unit.code))))
}

/// Edit an honor; a different `org` files it under another unit the caller administers.
#[utoipa::path(put, operation_id = "honors_update", path = "/api/v1/honors/{id}", tag = "honors", params(("id" = i64, Path)), request_body = HonorBody, responses((status = 200, body = HonorView)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<HonorBody>,
) -> AppResult<Json<HonorView>> {
    let (h, _) = access::honor(&state, &caller, id, Need::Edit).await?;
    let (unit, fields, holder, brand) = prepared(&state, &caller, &body).await?;
    let (_, new) =
        caller.store(&state).update_honor(h.id, unit.id, &fields, holder, brand, EvidenceChange::Keep).await?;
    Ok(Json(HonorView::new(&new, &unit.code)))
}

/// Delete an honor.
#[utoipa::path(delete, operation_id = "honors_delete", path = "/api/v1/honors/{id}", tag = "honors", params(("id" = i64, Path)), responses((status = 204)))]
pub async fn delete(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> AppResult<StatusCode> {
    let (h, _) = access::honor(&state, &caller, id, Need::Edit).await?;
    caller.store(&state).delete_honor(h.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
