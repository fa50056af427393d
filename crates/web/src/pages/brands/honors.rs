//! Honors (荣誉) of a unit's subtree: the list with search and filters, the
//! form (with a certificate as evidence), editing and deleting.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use qizhi_core::brand::{HolderKind, HonorInput, HonorLevel};
use qizhi_core::file::FileKind;
use qizhi_core::ids::BrandId;
use qizhi_core::org::Unit;
use qizhi_store::Page;
use qizhi_store::brands::{BrandQuery, BrandSort, NewFile};
use qizhi_store::honors::{EvidenceChange, HonorQuery};
use serde::Deserialize;

use super::matrix::brand_tiles;
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, AppResult, PageResult};
use crate::kit::again;
use crate::kit::filter::Filters;
use crate::kit::flash;
use crate::kit::form::Fields;
use crate::kit::period::Period;
use crate::pages::{chrome, render, scope_root};
use crate::views::UnitRef;
use crate::views::brands::{HonorFormPage, HonorFormValues, HonorView, HonorsPage};

pub const PER_PAGE: i64 = 30;

#[derive(Deserialize)]
pub struct ListQuery {
    unit: Option<i64>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    level: String,
    page: Option<i64>,
    flash: Option<String>,
}

/// The list's own address with its filters, for the period control.
fn honors_path(unit: i64, lq: &ListQuery) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("unit", &unit.to_string());
    for (k, v) in [("q", &lq.q), ("level", &lq.level)] {
        if !v.trim().is_empty() {
            q.append_pair(k, v.trim());
        }
    }
    format!("/honors?{}", q.finish())
}

/// `GET /honors?unit=&q=&level=&from=&to=&page=` — anyone signed in, for a unit
/// they may read (default: their scope's root); outside: 404. Lists only
/// honors filed in their scope.
pub async fn list(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(lq): Query<ListQuery>,
    period: Period,
) -> PageResult<Html<String>> {
    let unit = match lq.unit {
        Some(id) => access::unit(&state, &caller, id, Need::Read).await?,
        None => scope_root(&state, &caller).await?.ok_or_else(AppError::not_found)?,
    };
    let mut filters = Filters::default();
    let level = filters.take(("荣誉级别", "Level"), &lq.level, HonorLevel::parse);
    let query = HonorQuery {
        q: lq.q.clone(),
        level,
        years: Some(period.span),
        brand: None,
        page: lq.page.unwrap_or(1).max(1),
        per_page: PER_PAGE,
    };
    let Page { total, items: rows } = state.store.honors(&unit, &caller.scope, &query).await?;
    let figures = state.store.figures(unit.id, period.span).await?;
    let here = honors_path(unit.id.0, &lq);
    let keys: Vec<&str> = std::iter::once("honors.total").chain(HonorLevel::ALL.iter().map(|l| l.counter())).collect();
    let mut chrome = chrome(&caller, "brands", &format!("/honors?unit={}", unit.id));
    chrome.flash = flash::message(caller.lang, lq.flash.as_deref());
    render(&HonorsPage {
        filter_problems: filters.problems(),
        chrome,
        unit: UnitRef::from(&unit),
        can_create: caller.can_edit(&unit.path),
        q: lq.q,
        level: level.map(|l| l.code().to_string()).unwrap_or_default(),
        period: period.view(caller.lang, &here),
        rows: rows.iter().map(|h| HonorView::new(h, caller.can_edit(&h.unit_path))).collect(),
        total,
        page: query.page,
        pages: qizhi_store::page::pages(total, PER_PAGE),
        tiles: brand_tiles(&figures, &keys),
    })
}

/// Brands of the unit's subtree, for the "won with" select.
async fn brand_choices(state: &AppState, caller: &Caller, unit: &Unit) -> PageResult<Vec<(i64, String)>> {
    let q = BrandQuery { sort: BrandSort::Name, per_page: 500, ..Default::default() };
    Ok(state
        .store
        .brands(unit, &caller.scope, &q)
        .await?
        .items
        .into_iter()
        .map(|l| (l.brand.id.0, format!("{}（{}）", l.brand.fields.name, l.unit_label())))
        .collect())
}

#[derive(Deserialize)]
pub struct NewQuery {
    unit: i64,
    brand: Option<i64>,
}

/// `GET /honors/new?unit=&brand=` — admins of the unit; others in scope: 403; outside: 404.
pub async fn new_form(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(q): Query<NewQuery>,
) -> PageResult<Html<String>> {
    let unit = access::unit(&state, &caller, q.unit, Need::Edit).await?;
    let values = HonorFormValues {
        level: "group".into(),
        holder_kind: if q.brand.is_some() { "brand".into() } else { "unit".into() },
        brand_id: q.brand.map(|b| b.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    render(&HonorFormPage {
        chrome: chrome(&caller, "brands", &format!("/honors/new?unit={}", unit.id)),
        brands: brand_choices(&state, &caller, &unit).await?,
        unit: UnitRef::from(&unit),
        honor_id: None,
        values,
        errors: vec![],
        evidence: String::new(),
    })
}

fn values_of(p: &Fields) -> HonorFormValues {
    HonorFormValues {
        title: p.text("title"),
        level: p.text("level"),
        issuer: p.text("issuer"),
        awarded_on: p.text("awarded_on"),
        holder_kind: p.text("holder_kind"),
        holder_code: p.text("holder_code").trim().to_string(),
        holder_name: p.text("holder_name"),
        brand_id: p.text("brand_id"),
        note: p.text("note"),
    }
}

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Invalid(vec![qizhi_core::FieldError::new(field, message)])
}

/// The linked brand, which the caller must be able to read.
async fn linked_brand(state: &AppState, caller: &Caller, value: &str) -> AppResult<Option<BrandId>> {
    let Ok(id) = value.trim().parse::<i64>() else { return Ok(None) };
    let b = state.store.brand(BrandId(id)).await.map_err(|_| invalid("brand_id", "品牌不存在 (no such brand)"))?;
    let owner = state.store.unit(b.unit_id).await?;
    if !caller.can_read(&owner.path) {
        return Err(invalid("brand_id", "品牌不存在 (no such brand)"));
    }
    Ok(Some(b.id))
}

fn input_of(v: &HonorFormValues) -> HonorInput {
    HonorInput {
        title: v.title.clone(),
        level: v.level.clone(),
        issuer: Some(v.issuer.clone()),
        awarded_on: v.awarded_on.clone(),
        holder_kind: v.holder_kind.clone(),
        holder_name: v.holder_name.clone(),
        note: Some(v.note.clone()),
    }
}

async fn form_again(
    state: &AppState,
    caller: &Caller,
    unit: &Unit,
    honor_id: Option<i64>,
    values: HonorFormValues,
    e: AppError,
) -> PageResult<Response> {
    let errors = match &e {
        AppError::Invalid(f) => f.iter().map(|f| (f.field.clone(), f.message.clone())).collect(),
        _ => return Err(e.into()),
    };
    let path = honor_id.map_or(format!("/honors/new?unit={}", unit.id), |id| format!("/honors/{id}/edit"));
    let page = HonorFormPage {
        chrome: chrome(caller, "brands", &path),
        brands: brand_choices(state, caller, unit).await?,
        unit: UnitRef::from(unit),
        honor_id,
        values,
        errors,
        evidence: String::new(),
    };
    again::page(&page)
}

/// `POST /honors` (multipart: csrf, unit, fields, optional certificate) —
/// admins of the filing unit; others in scope: 403; outside: 404. The holder
/// must be one the caller may read.
pub async fn create(State(state): State<AppState>, PageCaller(caller): PageCaller, p: Fields) -> PageResult<Response> {
    let unit_id: i64 = p.text("unit").parse().map_err(|_| AppError::BadRequest("unit".into()))?;
    let unit = access::unit(&state, &caller, unit_id, Need::Edit).await?;
    let values = values_of(&p);
    let result = async {
        let fields = input_of(&values).validate()?;
        let holder = access::honor_holder(&state, &caller, &unit, fields.holder_kind, &values.holder_code).await?;
        let brand = linked_brand(&state, &caller, &values.brand_id).await?;
        let upload = p.file("evidence", &FileKind::ALL)?;
        let file = upload.as_ref().map(|u| NewFile { name: &u.name, kind: u.kind, bytes: &u.bytes });
        Ok::<_, AppError>(caller.store(&state).create_honor(unit.id, &fields, holder, brand, file).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(flash::redirect(&format!("/honors?unit={}", unit.id), "brands.saved")),
        Err(e) => form_again(&state, &caller, &unit, None, values, e).await,
    }
}

/// `GET /honors/{id}/edit` — admins of the filing unit; others in scope: 403; outside: 404.
pub async fn edit_form(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
) -> PageResult<Html<String>> {
    let (h, unit) = access::honor(&state, &caller, id, Need::Edit).await?;
    let holder_code = match (h.fields.holder_kind, h.holder_id) {
        (HolderKind::Brand, Some(b)) => state.store.brand(BrandId(b)).await.map(|b| b.fields.code).unwrap_or_default(),
        (HolderKind::Unit, Some(u)) => {
            state.store.unit(qizhi_core::ids::UnitId(u)).await.map(|u| u.code).unwrap_or_default()
        }
        (HolderKind::Person, Some(p)) => state
            .store
            .person(qizhi_core::ids::PersonId(p))
            .await
            .ok()
            .and_then(|p| p.fields.id_number)
            .unwrap_or_default(),
        _ => String::new(),
    };
    let f = &h.fields;
    let values = HonorFormValues {
        title: f.title.clone(),
        level: f.level.code().into(),
        issuer: f.issuer.clone().unwrap_or_default(),
        awarded_on: qizhi_core::date::iso(f.awarded_on),
        holder_kind: f.holder_kind.code().into(),
        holder_code,
        holder_name: if f.holder_kind == HolderKind::Team { f.holder_name.clone() } else { String::new() },
        brand_id: h.brand_id.map(|b| b.0.to_string()).unwrap_or_default(),
        note: f.note.clone().unwrap_or_default(),
    };
    render(&HonorFormPage {
        chrome: chrome(&caller, "brands", &format!("/honors/{id}/edit")),
        brands: brand_choices(&state, &caller, &unit).await?,
        unit: UnitRef::from(&unit),
        honor_id: Some(id),
        values,
        errors: vec![],
        evidence: h.evidence_file_id.map(|f| format!("/files/{f}")).unwrap_or_default(),
    })
}

/// `POST /honors/{id}/edit` (multipart) — admins of the filing unit; others
/// in scope: 403; outside: 404.
pub async fn update(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    p: Fields,
) -> PageResult<Response> {
    let (h, unit) = access::honor(&state, &caller, id, Need::Edit).await?;
    let values = values_of(&p);
    let result = async {
        let fields = input_of(&values).validate()?;
        let holder = access::honor_holder(&state, &caller, &unit, fields.holder_kind, &values.holder_code).await?;
        let brand = linked_brand(&state, &caller, &values.brand_id).await?;
        let upload = p.file("evidence", &FileKind::ALL)?;
        let change = match &upload {
            Some(u) => EvidenceChange::Set(NewFile { name: &u.name, kind: u.kind, bytes: &u.bytes }),
            None => EvidenceChange::Keep,
        };
        Ok::<_, AppError>(caller.store(&state).update_honor(h.id, unit.id, &fields, holder, brand, change).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(flash::redirect(&format!("/honors?unit={}", unit.id), "brands.saved")),
        Err(e) => form_again(&state, &caller, &unit, Some(id), values, e).await,
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {}

/// `POST /honors/{id}/delete` — admins of the filing unit; others in scope: 403; outside: 404.
pub async fn delete(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(_f): Form<CsrfForm>,
) -> PageResult<Response> {
    let (h, unit) = access::honor(&state, &caller, id, Need::Edit).await?;
    caller.store(&state).delete_honor(h.id).await?;
    Ok(flash::redirect(&format!("/honors?unit={}", unit.id), "brands.deleted"))
}
