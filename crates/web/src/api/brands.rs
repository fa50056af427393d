//! Brands over the API: the matrix of a unit's subtree, one brand with its
//! structure, history, standard and logo, the lifecycle steps, and the brand
//! standards issued by units.
//!
//! Who may call what (as the pages): reading needs the brand's unit in the
//! caller's read scope (else 404); writes need unit admin over it (else
//! 403); decisions, confirmations and moving down need reviewer (or system
//! admin) over the unit's parent (else 403).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use qizhi_core::brand::{
    Brand, BrandCategory, BrandInput, BrandStatus, ElementFields, ElementKind, ElementTree, EvidenceInput, Standard,
    StandardInput, StandardItemInput,
};
use qizhi_core::date::today;
use qizhi_core::file::FileKind;
use qizhi_core::ids::BrandId;
use qizhi_core::org::Unit;
use qizhi_store::brands::{BrandQuery, BrandSort, LogoChange, NewFile};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::kit::form::Fields;

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

/// The unit named by `org` (404 when unknown; outside the caller's read
/// scope 404 too, recorded as `denied`), else the caller's first scope root.
async fn unit_of_org(state: &AppState, caller: &Caller, org: Option<&str>) -> AppResult<Unit> {
    match org {
        Some(code) => {
            let unit = state.store.unit_by_code(code).await?.ok_or_else(AppError::not_found)?;
            access::unit(state, caller, unit.id.0, Need::Read).await
        }
        None => {
            Ok(state.store.scope_roots(&caller.scope).await?.into_iter().next().ok_or_else(AppError::not_found)?.unit)
        }
    }
}

fn opt_parse<T>(v: Option<&str>, parse: impl Fn(&str) -> Result<T, String>) -> AppResult<Option<T>> {
    v.filter(|s| !s.trim().is_empty()).map(|s| parse(s).map_err(AppError::BadRequest)).transpose()
}

/// The brands of a unit's subtree in the caller's scope, filtered and paged.
#[utoipa::path(get, operation_id = "brands_list", path = "/api/v1/brands", tag = "brands", params(BrandsQuery), responses((status = 200, body = BrandsView), (status = 404, body = crate::api::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<BrandsQuery>,
) -> AppResult<Json<BrandsView>> {
    let unit = unit_of_org(&state, &caller, q.org.as_deref()).await?;
    let per_page = q.per_page.unwrap_or(50).clamp(1, 500);
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
    let (total, list) = state.store.brands(&unit, &caller.scope, &query).await?;
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

/// One element of a structure, with the elements under it.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ElementNode {
    /// `group`, `concept`, `thought`, `project`, `team`, `classroom`, `site`,
    /// `mechanism`, `action`, `carrier`, `guarantee`, `step` or `other` (or the Chinese label).
    kind: String,
    title: String,
    text: Option<String>,
    #[serde(default)]
    #[schema(no_recursion)]
    children: Vec<ElementNode>,
}

impl ElementNode {
    fn of(t: &ElementTree) -> ElementNode {
        ElementNode {
            kind: t.fields.kind.code().into(),
            title: t.fields.title.clone(),
            text: t.fields.text.clone(),
            children: t.children.iter().map(ElementNode::of).collect(),
        }
    }

    /// Checks every node, naming bad ones by their outline number.
    fn tree(nodes: &[ElementNode], prefix: &str, errors: &mut Vec<qizhi_core::FieldError>) -> Vec<ElementTree> {
        nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let number = if prefix.is_empty() { format!("{}", i + 1) } else { format!("{prefix}.{}", i + 1) };
                let input = qizhi_core::brand::ElementInput {
                    kind: n.kind.clone(),
                    title: n.title.clone(),
                    text: n.text.clone(),
                };
                let fields = match input.validate() {
                    Ok(f) => f,
                    Err(e) => {
                        errors.extend(e.errors.into_iter().map(|f| {
                            qizhi_core::FieldError::new(format!("elements[{number}].{}", f.field), f.message)
                        }));
                        ElementFields { kind: ElementKind::Other, title: String::new(), text: None }
                    }
                };
                ElementTree { fields, children: ElementNode::tree(&n.children, &number, errors) }
            })
            .collect()
    }
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

/// A brand's structure as a tree.
#[utoipa::path(get, operation_id = "brands_structure", path = "/api/v1/brands/{id}/structure", tag = "brands", params(("id" = i64, Path)), responses((status = 200, body = Vec<ElementNode>)))]
pub async fn structure(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ElementNode>>> {
    let (b, _) = access::brand(&state, &caller, id, Need::Read).await?;
    Ok(Json(state.store.brand_structure(b.id).await?.iter().map(ElementNode::of).collect()))
}

/// Replace a brand's whole structure.
#[utoipa::path(put, operation_id = "brands_replace_structure", path = "/api/v1/brands/{id}/structure", tag = "brands", params(("id" = i64, Path)), request_body = Vec<ElementNode>, responses((status = 200, body = Vec<ElementNode>)))]
pub async fn replace_structure(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<Vec<ElementNode>>,
) -> AppResult<Json<Vec<ElementNode>>> {
    let (b, _) = access::brand(&state, &caller, id, Need::Edit).await?;
    let mut errors = vec![];
    let tree = ElementNode::tree(&body, "", &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    caller.store(&state).replace_structure(b.id, &tree).await?;
    Ok(Json(state.store.brand_structure(b.id).await?.iter().map(ElementNode::of).collect()))
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

#[derive(Serialize, ToSchema)]
pub struct MatrixNode {
    #[serde(flatten)]
    brand: BrandView,
    #[schema(no_recursion)]
    sub_brands: Vec<MatrixNode>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatrixQuery {
    /// The unit whose subtree to show (default: the caller's first scope root).
    org: Option<String>,
    /// Only brands at this status or above.
    at_least: Option<String>,
}

/// The brand matrix of a unit's subtree: main brands with their sub-brands.
#[utoipa::path(get, operation_id = "brand_matrix", path = "/api/v1/brand-matrix", tag = "brands", params(MatrixQuery), responses((status = 200, body = Vec<MatrixNode>), (status = 404, body = crate::api::ErrorBody)))]
pub async fn matrix(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<MatrixQuery>,
) -> AppResult<Json<Vec<MatrixNode>>> {
    let unit = unit_of_org(&state, &caller, q.org.as_deref()).await?;
    let query = BrandQuery {
        at_least: opt_parse(q.at_least.as_deref(), BrandStatus::parse)?,
        sort: BrandSort::Unit,
        per_page: 1000,
        ..Default::default()
    };
    let (_, list) = state.store.brands(&unit, &caller.scope, &query).await?;
    let ids: std::collections::HashSet<i64> = list.iter().map(|l| l.brand.id.0).collect();
    fn under(
        list: &[qizhi_store::brands::BrandListed],
        ids: &std::collections::HashSet<i64>,
        parent: Option<i64>,
        depth: usize,
    ) -> Vec<MatrixNode> {
        list.iter()
            .filter(|l| match parent {
                None => l.brand.parent_id.is_none_or(|p| !ids.contains(&p.0)),
                Some(p) => l.brand.parent_id.map(|x| x.0) == Some(p),
            })
            .map(|l| MatrixNode {
                brand: BrandView::new(&l.brand, &l.unit_code),
                sub_brands: if depth < 6 { under(list, ids, Some(l.brand.id.0), depth + 1) } else { vec![] },
            })
            .collect()
    }
    Ok(Json(under(&list, &ids, None, 0)))
}

// -- standards -------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct StandardItemView {
    id: i64,
    title: String,
    description: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StandardView {
    id: i64,
    name: String,
    /// The issuing unit's code.
    issued_by: String,
    issued_on: String,
    items: Vec<StandardItemView>,
}

async fn standard_view(state: &AppState, s: &Standard) -> AppResult<StandardView> {
    Ok(StandardView {
        id: s.id,
        name: s.name.clone(),
        issued_by: state.store.unit(s.unit_id).await?.code,
        issued_on: qizhi_core::date::iso(s.issued_on),
        items: s
            .items
            .iter()
            .map(|i| StandardItemView { id: i.id, title: i.title.clone(), description: i.description.clone() })
            .collect(),
    })
}

#[derive(Serialize, ToSchema)]
pub struct StandardsView {
    /// The standard the unit itself issued for the units below it.
    issued: Option<StandardView>,
    /// The one its own brands answer to (issued by the nearest unit above it).
    applying: Option<StandardView>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgQuery {
    /// The unit's code.
    org: String,
}

/// The standard a unit issued, and the one its own brands answer to.
#[utoipa::path(get, operation_id = "standards_get", path = "/api/v1/standards", tag = "brands", params(OrgQuery), responses((status = 200, body = StandardsView), (status = 404, body = crate::api::ErrorBody)))]
pub async fn standards(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<OrgQuery>,
) -> AppResult<Json<StandardsView>> {
    let unit = unit_of_org(&state, &caller, Some(&q.org)).await?;
    let issued = match state.store.standard_issued_by(unit.id).await? {
        Some(s) => Some(standard_view(&state, &s).await?),
        None => None,
    };
    let applying = match state.store.applicable_standard(&unit).await? {
        Some(s) => Some(standard_view(&state, &s).await?),
        None => None,
    };
    Ok(Json(StandardsView { issued, applying }))
}

#[derive(Deserialize, ToSchema)]
pub struct StandardItemBody {
    /// An existing item's id keeps it (and its evidence); omit for a new item.
    id: Option<i64>,
    title: String,
    description: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct StandardBody {
    name: String,
    items: Vec<StandardItemBody>,
}

/// Issue (or revise) the standard of a unit the caller administers, for the units below it.
#[utoipa::path(put, operation_id = "standards_issue", path = "/api/v1/standards", tag = "brands", params(OrgQuery), request_body = StandardBody, responses((status = 200, body = StandardView)))]
pub async fn issue_standard(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<OrgQuery>,
    Json(body): Json<StandardBody>,
) -> AppResult<Json<StandardView>> {
    let unit = state.store.unit_by_code(&q.org).await?.ok_or_else(AppError::not_found)?;
    let unit = access::unit(&state, &caller, unit.id.0, Need::Edit).await?;
    let input = StandardInput {
        name: body.name,
        items: body
            .items
            .into_iter()
            .map(|i| StandardItemInput { id: i.id, title: i.title, description: i.description })
            .collect(),
    };
    let s = caller.store(&state).issue_standard(unit.id, &input.validate()?, today()).await?;
    Ok(Json(standard_view(&state, &s).await?))
}
