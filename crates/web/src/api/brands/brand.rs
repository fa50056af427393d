use super::opt_parse;
use super::structure::ElementNode;
use crate::AppState;
use crate::access::{self, Need};
use crate::api::scope_unit;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::kit::form::Fields;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use qizhi_core::brand::{Brand, BrandCategory, BrandInput, BrandStatus};
use qizhi_core::date::today;
use qizhi_core::file::FileKind;
use qizhi_core::ids::BrandId;
use qizhi_core::org::Unit;
use qizhi_store::Page;
use qizhi_store::brands::{BrandQuery, BrandSort, LogoChange, NewFile};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct BrandView {
    id: i64,
    code: String,
    name: String,
    /// `unit`, `activity`, `cobuilding` or `branch`.
    category: String,
    unit_id: i64,
    unit_code: String,
    parent_id: Option<i64>,
    slogan: Option<String>,
    concept: Option<String>,
    heritage: Option<String>,
    founded_year: Option<i32>,
    /// Figure keys shown with the brand.
    figures: Vec<String>,
    /// `draft`, `cultivating`, `established`, `mature` or `exemplary`.
    status: String,
    /// ISO date the status was reached.
    status_since: String,
    /// The open application: the status applied for and the stage reached
    /// (`submitted`, `preliminary`, `evaluated`).
    applying_for: Option<String>,
    stage: Option<String>,
    /// ISO date every item of its standard was confirmed met; null: not met.
    standard_met_on: Option<String>,
    /// `/files/{id}` of the logo.
    logo: Option<String>,
    version: i32,
}

impl BrandView {
    pub fn new(b: &Brand, unit_code: &str) -> BrandView {
        let f = &b.fields;
        BrandView {
            id: b.id.0,
            code: f.code.clone(),
            name: f.name.clone(),
            category: f.category.code().into(),
            unit_id: b.unit_id.0,
            unit_code: unit_code.to_string(),
            parent_id: b.parent_id.map(|p| p.0),
            slogan: f.slogan.clone(),
            concept: f.concept.clone(),
            heritage: f.heritage.clone(),
            founded_year: f.founded_year,
            figures: f.figures.clone(),
            status: b.status.code().into(),
            status_since: qizhi_core::date::iso(b.status_since),
            applying_for: b.app_target.map(|s| s.code().into()),
            stage: b.app_stage.map(|s| s.code().into()),
            standard_met_on: b.standard_met_on.map(qizhi_core::date::iso),
            logo: b.logo_file_id.map(|f| format!("/files/{f}")),
            version: b.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BrandsView {
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<BrandView>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BrandsQuery {
    /// The unit whose subtree to list (default: the caller's first scope root).
    org: Option<String>,
    /// Part of the name, code, slogan, concept or unit.
    q: Option<String>,
    category: Option<String>,
    status: Option<String>,
    heritage: Option<String>,
    /// `true`: only brands meeting their standard; `false`: only those not.
    standard_met: Option<bool>,
    /// `status` (default), `name`, `founded`, `unit` or `recent`.
    sort: Option<String>,
    page: Option<i64>,
    /// Default 50, at most 500.
    per_page: Option<i64>,
}

/// The brands of a unit's subtree in the caller's scope, filtered and paged.
#[utoipa::path(get, operation_id = "brands_list", path = "/api/v1/brands", tag = "brands", params(BrandsQuery), responses((status = 200, body = BrandsView), (status = 404, body = crate::api::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<BrandsQuery>,
) -> AppResult<Json<BrandsView>> {
    let unit = scope_unit(&state, &caller, q.org.as_deref()).await?;
    let per_page = q.per_page.unwrap_or(50).clamp(1, qizhi_store::MAX_PER_PAGE);
    let query = BrandQuery {
        q: q.q.unwrap_or_default(),
        category: opt_parse(q.category.as_deref(), BrandCategory::parse)?,
        status: opt_parse(q.status.as_deref(), BrandStatus::parse)?,
        heritage: q.heritage,
        standard_met: q.standard_met,
        sort: q.sort.as_deref().and_then(BrandSort::parse).unwrap_or_default(),
        page: q.page.unwrap_or(1).max(1),
        per_page,
        ..Default::default()
    };
    let Page { total, items: list } = state.store.brands(&unit, &caller.scope, &query).await?;
    Ok(Json(BrandsView {
        total,
        page: query.page,
        per_page,
        items: list.iter().map(|l| BrandView::new(&l.brand, &l.unit_code)).collect(),
    }))
}

/// A brand to create, or the new state of one to edit (the unit and status never change here).
#[derive(Deserialize, ToSchema)]
pub struct BrandBody {
    /// The owner's unit code (create only).
    org: Option<String>,
    /// Empty: one is made (`{unit code}-B01` …).
    code: Option<String>,
    name: String,
    /// Code or Chinese label: `unit`/党建品牌, `activity`, `cobuilding`, `branch`.
    category: String,
    /// The main brand's code, for a sub-brand.
    parent_code: Option<String>,
    slogan: Option<String>,
    concept: Option<String>,
    heritage: Option<String>,
    founded_year: Option<i32>,
    #[serde(default)]
    figures: Vec<String>,
}

impl BrandBody {
    fn input(&self, code: String) -> BrandInput {
        BrandInput {
            code,
            name: self.name.clone(),
            category: self.category.clone(),
            slogan: self.slogan.clone(),
            concept: self.concept.clone(),
            heritage: self.heritage.clone(),
            founded_year: self.founded_year.map(|y| y.to_string()),
            figures: self.figures.clone(),
        }
    }

    /// The main brand named by code: one the caller may read, or one of a unit
    /// above `unit` (a branch joins its province's matrix without reading the
    /// province); anything else reads as missing.
    async fn parent(&self, state: &AppState, caller: &Caller, unit: &Unit) -> AppResult<Option<BrandId>> {
        let Some(code) = self.parent_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) else { return Ok(None) };
        let missing = || {
            AppError::Invalid(vec![qizhi_core::FieldError::new(
                "parent_code",
                format!("上级品牌编码 “{code}” 不存在 (no such brand)"),
            )])
        };
        let b = state.store.brand_by_code(code).await?.ok_or_else(missing)?;
        let owner = state.store.unit(b.unit_id).await?;
        if !caller.can_read(&owner.path) && !unit.path.starts_with(&owner.path) {
            return Err(missing());
        }
        Ok(Some(b.id))
    }
}

/// Record a brand of a unit the caller administers, as a draft.
#[utoipa::path(post, operation_id = "brands_create", path = "/api/v1/brands", tag = "brands", request_body = BrandBody, responses((status = 201, body = BrandView)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<BrandBody>,
) -> AppResult<(StatusCode, Json<BrandView>)> {
    let code = body.org.as_deref().unwrap_or("");
    let unit = state.store.unit_by_code(code).await?.ok_or_else(|| {
        AppError::Invalid(vec![qizhi_core::FieldError::new(
            "org",
            format!("组织编码 “{code}” 不存在 (no unit with this code)"),
        )])
    })?;
    let unit = access::unit(&state, &caller, unit.id.0, Need::Edit).await?;
    let code = match body.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => c.to_string(),
        None => state.store.suggest_brand_code(&unit).await?,
    };
    let fields = body.input(code).validate()?;
    let parent = body.parent(&state, &caller, &unit).await?;
    let b = caller.store(&state).create_brand(unit.id, parent, &fields, None, today()).await?;
    Ok((StatusCode::CREATED, Json(BrandView::new(&b, &unit.code))))
}

#[derive(Serialize, ToSchema)]
pub struct BrandDetail {
    #[serde(flatten)]
    brand: BrandView,
    unit_name: String,
    sub_brands: Vec<BrandView>,
    structure: Vec<ElementNode>,
}

/// One brand with its structure and the sub-brands the caller may see.
#[utoipa::path(get, operation_id = "brands_get", path = "/api/v1/brands/{id}", tag = "brands", params(("id" = i64, Path)), responses((status = 200, body = BrandDetail)))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> AppResult<Json<BrandDetail>> {
    let (b, unit) = access::brand(&state, &caller, id, Need::Read).await?;
    let subs = state.store.sub_brands(b.id, &caller.scope).await?;
    let structure = state.store.brand_structure(b.id).await?;
    Ok(Json(BrandDetail {
        brand: BrandView::new(&b, &unit.code),
        unit_name: unit.name.clone(),
        sub_brands: subs.iter().map(|l| BrandView::new(&l.brand, &l.unit_code)).collect(),
        structure: structure.iter().map(ElementNode::of).collect(),
    }))
}

/// Edit a brand's own fields (not its unit or status).
#[utoipa::path(put, operation_id = "brands_update", path = "/api/v1/brands/{id}", tag = "brands", params(("id" = i64, Path)), request_body = BrandBody, responses((status = 200, body = BrandView)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<BrandBody>,
) -> AppResult<Json<BrandView>> {
    let (b, unit) = access::brand(&state, &caller, id, Need::Edit).await?;
    let code = body.code.clone().filter(|c| !c.trim().is_empty()).unwrap_or_else(|| b.fields.code.clone());
    let fields = body.input(code).validate()?;
    let parent = body.parent(&state, &caller, &unit).await?;
    let (_, new) = caller.store(&state).update_brand(b.id, parent, &fields, LogoChange::Keep).await?;
    Ok(Json(BrandView::new(&new, &unit.code)))
}

/// Delete a draft brand (no sub-brands, no honors).
#[utoipa::path(delete, operation_id = "brands_delete", path = "/api/v1/brands/{id}", tag = "brands", params(("id" = i64, Path)), responses((status = 204)))]
pub async fn delete(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> AppResult<StatusCode> {
    let (b, _) = access::brand(&state, &caller, id, Need::Edit).await?;
    caller.store(&state).delete_brand(b.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The logo form: one image (PNG, JPEG, GIF or WebP, kind read from the bytes).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct LogoForm {
    #[schema(value_type = String, format = Binary)]
    logo: Vec<u8>,
}

/// Replace a brand's logo (multipart, field `logo`: a PNG, JPEG, GIF or WebP image).
#[utoipa::path(put, operation_id = "brands_logo", path = "/api/v1/brands/{id}/logo", tag = "brands", params(("id" = i64, Path)), request_body(content = LogoForm, content_type = "multipart/form-data"), responses((status = 200, body = BrandView)))]
pub async fn logo(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    posted: Fields,
) -> AppResult<Json<BrandView>> {
    let (b, unit) = access::brand(&state, &caller, id, Need::Edit).await?;
    let upload = posted
        .file("logo", &FileKind::IMAGES)?
        .ok_or_else(|| AppError::Invalid(vec![qizhi_core::FieldError::new("logo", "请选择图片 (choose an image)")]))?;
    let file = NewFile { name: &upload.name, kind: upload.kind, bytes: &upload.bytes };
    let parent = b.parent_id;
    let (_, new) = caller.store(&state).update_brand(b.id, parent, &b.fields, LogoChange::Set(file)).await?;
    Ok(Json(BrandView::new(&new, &unit.code)))
}

#[derive(Serialize, ToSchema)]
pub struct EventView {
    seq: i32,
    /// `created`, `applied`, `preliminary`, `evaluated`, `named`, `returned`, `demoted` or `version`.
    kind: String,
    on: String,
    from: Option<String>,
    to: Option<String>,
    comment: Option<String>,
    actor: Option<String>,
    version: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct VersionView {
    version: i32,
    on: String,
    note: Option<String>,
    actor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryView {
    events: Vec<EventView>,
    versions: Vec<VersionView>,
}

/// Every step of a brand's lifecycle, oldest first, and the versions kept.
#[utoipa::path(get, operation_id = "brands_history", path = "/api/v1/brands/{id}/history", tag = "brands", params(("id" = i64, Path)), responses((status = 200, body = HistoryView)))]
pub async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> AppResult<Json<HistoryView>> {
    let (b, _) = access::brand(&state, &caller, id, Need::Read).await?;
    let events = state.store.brand_events(b.id).await?;
    let versions = state.store.brand_versions(b.id).await?;
    Ok(Json(HistoryView {
        events: events
            .iter()
            .map(|e| EventView {
                seq: e.seq,
                kind: e.kind.code().into(),
                on: qizhi_core::date::iso(e.on),
                from: e.from.map(|s| s.code().into()),
                to: e.to.map(|s| s.code().into()),
                comment: e.comment.clone(),
                actor: e.actor.clone(),
                version: e.version,
            })
            .collect(),
        versions: versions
            .into_iter()
            .map(|v| VersionView { version: v.version, on: qizhi_core::date::iso(v.on), note: v.note, actor: v.actor })
            .collect(),
    }))
}
