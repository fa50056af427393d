//! One brand: the form (new and edit, with the logo), the showcase and its
//! meeting-room screen, deleting a draft, and a kept version.

use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use qizhi_core::brand::{Brand, BrandInput, StandardState};
use qizhi_core::date::{this_year, today};
use qizhi_core::figures::{Span, figure};
use qizhi_core::file::FileKind;
use qizhi_core::ids::BrandId;
use qizhi_core::org::Unit;
use qizhi_store::brands::{LogoChange, NewFile};
use serde::Deserialize;

use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::again;
use crate::kit::flash;
use crate::kit::form::Fields;
use crate::pages::{chrome, render};
use crate::views::brands::{
    BrandCard, BrandFacts, BrandFormPage, BrandFormValues, BrandScreenPage, BrandShowPage, HonorView, ItemMark, Label,
    VersionPage, flatten_elements, flatten_tree, logo_url, matrix_chart, structure_chart, structure_height, timeline,
};
use crate::views::{FigureTile, UnitRef};

#[derive(Deserialize)]
pub struct NewQuery {
    unit: i64,
}

/// Brands a brand of `unit` may sit under: those of the unit and the units above it.
async fn parent_choices(state: &AppState, unit: &Unit, except: Option<i64>) -> PageResult<Vec<(i64, String)>> {
    let ids: Vec<_> = state.store.lineage_units(unit).await?.iter().map(|u| u.id).collect();
    Ok(state
        .store
        .brands_of_units(&ids)
        .await?
        .into_iter()
        .filter(|l| Some(l.brand.id.0) != except)
        .map(|l| (l.brand.id.0, format!("{}（{}）", l.brand.fields.name, l.unit_label())))
        .collect())
}

fn form_values(p: &Fields) -> BrandFormValues {
    BrandFormValues {
        code: p.text("code").trim().to_string(),
        name: p.text("name"),
        category: p.text("category"),
        parent_id: p.text("parent_id"),
        slogan: p.text("slogan"),
        concept: p.text("concept"),
        heritage: p.text("heritage"),
        founded_year: p.text("founded_year"),
        figures: p.all("figures"),
    }
}

fn values_of(b: &Brand) -> BrandFormValues {
    let f = &b.fields;
    BrandFormValues {
        code: f.code.clone(),
        name: f.name.clone(),
        category: f.category.code().into(),
        parent_id: b.parent_id.map(|p| p.0.to_string()).unwrap_or_default(),
        slogan: f.slogan.clone().unwrap_or_default(),
        concept: f.concept.clone().unwrap_or_default(),
        heritage: f.heritage.clone().unwrap_or_default(),
        founded_year: f.founded_year.map(|y| y.to_string()).unwrap_or_default(),
        figures: f.figures.clone(),
    }
}

fn input_of(v: &BrandFormValues) -> BrandInput {
    BrandInput {
        code: v.code.clone(),
        name: v.name.clone(),
        category: v.category.clone(),
        slogan: Some(v.slogan.clone()),
        concept: Some(v.concept.clone()),
        heritage: Some(v.heritage.clone()),
        founded_year: Some(v.founded_year.clone()),
        figures: v.figures.clone(),
    }
}

fn parent_of(v: &BrandFormValues) -> Option<BrandId> {
    v.parent_id.trim().parse().ok().map(BrandId)
}

/// `GET /brands/new?unit=` — admins of the unit (`can_edit`); reviewers and
/// viewers in scope: 403; outside scope: 404.
pub async fn new_form(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(q): Query<NewQuery>,
) -> PageResult<Html<String>> {
    let unit = access::unit(&state, &caller, q.unit, Need::Edit).await?;
    let category = if unit.kind == qizhi_core::org::UnitKind::Branch { "branch" } else { "unit" };
    let values = BrandFormValues {
        code: state.store.suggest_brand_code(&unit).await?,
        category: category.into(),
        ..Default::default()
    };
    render(&BrandFormPage {
        chrome: chrome(&caller, "brands", &format!("/brands/new?unit={}", unit.id)),
        unit: UnitRef::from(&unit),
        brand_id: None,
        values,
        errors: vec![],
        parents: parent_choices(&state, &unit, None).await?,
        logo: String::new(),
    })
}

fn form_errors(e: &AppError) -> Vec<(String, String)> {
    match e {
        AppError::Invalid(fields) => fields.iter().map(|f| (f.field.clone(), f.message.clone())).collect(),
        e => vec![(String::new(), e.public_message())],
    }
}

/// `POST /brands` (multipart: csrf, unit, fields, optional logo) — admins of
/// the unit; others in scope: 403; outside: 404. Invalid input re-shows the
/// form with every problem (422).
pub async fn create(State(state): State<AppState>, PageCaller(caller): PageCaller, p: Fields) -> PageResult<Response> {
    let unit_id: i64 = p.text("unit").parse().map_err(|_| AppError::BadRequest("unit".into()))?;
    let unit = access::unit(&state, &caller, unit_id, Need::Edit).await?;
    let mut values = form_values(&p);
    if values.code.is_empty() {
        values.code = state.store.suggest_brand_code(&unit).await?;
    }
    let result = async {
        let fields = input_of(&values).validate()?;
        let logo = p.file("logo", &FileKind::IMAGES)?;
        let file = logo.as_ref().map(|l| NewFile { name: &l.name, kind: l.kind, bytes: &l.bytes });
        Ok::<_, AppError>(caller.store(&state).create_brand(unit.id, parent_of(&values), &fields, file, today()).await?)
    }
    .await;
    match result {
        Ok(b) => Ok(flash::redirect(&format!("/brands/{}/structure", b.id), "brands.created")),
        Err(e) => {
            let page = BrandFormPage {
                chrome: chrome(&caller, "brands", &format!("/brands/new?unit={}", unit.id)),
                unit: UnitRef::from(&unit),
                brand_id: None,
                errors: form_errors(&e),
                values,
                parents: parent_choices(&state, &unit, None).await?,
                logo: String::new(),
            };
            again::page(&page)
        }
    }
}

/// `GET /brands/{id}/edit` — admins of the brand's unit; others in scope: 403; outside: 404.
pub async fn edit_form(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
) -> PageResult<Html<String>> {
    let (b, unit) = access::brand(&state, &caller, id, Need::Edit).await?;
    render(&BrandFormPage {
        chrome: chrome(&caller, "brands", &format!("/brands/{id}/edit")),
        unit: UnitRef::from(&unit),
        brand_id: Some(id),
        values: values_of(&b),
        errors: vec![],
        parents: parent_choices(&state, &unit, Some(id)).await?,
        logo: logo_url(&b),
    })
}

/// `POST /brands/{id}/edit` (multipart) — admins of the brand's unit; others
/// in scope: 403; outside: 404. The status never changes here.
pub async fn update(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    p: Fields,
) -> PageResult<Response> {
    let (b, unit) = access::brand(&state, &caller, id, Need::Edit).await?;
    let mut values = form_values(&p);
    if values.code.is_empty() {
        values.code = b.fields.code.clone();
    }
    let result = async {
        let fields = input_of(&values).validate()?;
        let logo = p.file("logo", &FileKind::IMAGES)?;
        let change = match &logo {
            Some(l) => LogoChange::Set(NewFile { name: &l.name, kind: l.kind, bytes: &l.bytes }),
            None if p.get("logo_remove").is_some() => LogoChange::Remove,
            None => LogoChange::Keep,
        };
        Ok::<_, AppError>(caller.store(&state).update_brand(b.id, parent_of(&values), &fields, change).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(flash::redirect(&format!("/brands/{id}"), "brands.saved")),
        Err(e) => {
            let page = BrandFormPage {
                chrome: chrome(&caller, "brands", &format!("/brands/{id}/edit")),
                unit: UnitRef::from(&unit),
                brand_id: Some(id),
                errors: form_errors(&e),
                values,
                parents: parent_choices(&state, &unit, Some(id)).await?,
                logo: logo_url(&b),
            };
            again::page(&page)
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {}

/// `POST /brands/{id}/delete` — admins of the brand's unit, for a draft with
/// no sub-brands or honors; others in scope: 403; outside: 404.
pub async fn delete(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    axum::Form(_f): axum::Form<CsrfForm>,
) -> PageResult<Response> {
    let (b, _) = access::brand(&state, &caller, id, Need::Edit).await?;
    caller.store(&state).delete_brand(b.id).await?;
    Ok(flash::redirect(&format!("/brands?unit={}", b.unit_id), "brands.deleted"))
}

#[derive(Deserialize)]
pub struct ShowQuery {
    flash: Option<String>,
}

/// Everything the showcase (and the screen) shows.
async fn showcase(state: &AppState, caller: &Caller, id: i64, path: &str) -> PageResult<BrandShowPage> {
    let (b, unit) = access::brand(state, caller, id, Need::Read).await?;
    let store = &state.store;
    let subs: Vec<BrandCard> =
        store.sub_brands(b.id, &caller.scope).await?.iter().map(BrandCard::from_listed).collect();
    let main = match b.parent_id {
        Some(p) => {
            let m = store.brand_listed(p).await?;
            caller.can_read(&m.unit_path).then(|| (p.0, m.brand.fields.name.clone()))
        }
        None => None,
    };
    let elements = store.brand_elements(b.id).await?;
    let tree = qizhi_core::brand::element_tree(&elements);
    let year = this_year();
    let figures = store.figures(unit.id, Span { from: year, to: year }).await?;
    let keys: Vec<String> = if b.fields.figures.is_empty() {
        vec!["brands.total".into(), "brands.mature_or_better".into(), "honors.total".into()]
    } else {
        b.fields.figures.clone()
    };
    let tiles = keys.iter().filter_map(|k| Some(FigureTile::new(figure(k)?, *figures.get(k.as_str())?))).collect();
    let standard = store.brand_standard(&b).await?;
    let (standard_name, items) = match &standard.state {
        Some(StandardState { name, items }) => (
            name.clone(),
            items.iter().map(|i| ItemMark { title: i.title.clone(), met: i.confirmed_on.is_some() }).collect(),
        ),
        None => (String::new(), vec![]),
    };
    let honors = store
        .brand_honors(b.id, &caller.scope)
        .await?
        .iter()
        .map(|h| HonorView::new(h, caller.can_edit(&h.unit_path)))
        .collect();
    let unit_label = unit.short_name.clone().unwrap_or_else(|| unit.name.clone());
    let facts = BrandFacts::new(&b, &unit_label, subs.len() as i64);
    let matrix = if subs.is_empty() { String::new() } else { matrix_chart(&b.fields.name, &subs, caller.lang) };
    Ok(BrandShowPage {
        chrome: chrome(caller, "brands", path),
        unit: UnitRef::from(&unit),
        main,
        subs,
        structure: flatten_elements(&elements),
        structure_chart: if tree.is_empty() { String::new() } else { structure_chart(&b.fields.name, &tree) },
        structure_height: structure_height(&tree),
        matrix_chart: matrix,
        timeline: timeline(&store.brand_events(b.id).await?),
        honors,
        figures: tiles,
        year,
        standard_name,
        items,
        can_edit: caller.can_edit(&unit.path),
        can_review: caller.may(Need::Decide, &unit.path),
        brand: facts,
    })
}

/// `GET /brands/{id}` — the showcase: whoever may read the brand's unit; outside: 404.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> PageResult<Html<String>> {
    let mut page = showcase(&state, &caller, id, &format!("/brands/{id}")).await?;
    page.chrome.flash = flash::message(caller.lang, q.flash.as_deref());
    render(&page)
}

/// `GET /brands/{id}/screen` — the showcase full screen for a meeting room:
/// whoever may read the brand's unit; outside: 404.
pub async fn screen(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
) -> PageResult<Html<String>> {
    let show = showcase(&state, &caller, id, &format!("/brands/{id}/screen")).await?;
    render(&BrandScreenPage { lang: caller.lang, show })
}

/// `GET /brands/{id}/versions/{version}` — whoever may read the brand's unit; outside: 404.
pub async fn version(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, version)): Path<(i64, i32)>,
) -> PageResult<Html<String>> {
    let (b, unit) = access::brand(&state, &caller, id, Need::Read).await?;
    let (info, snap) = state.store.brand_version(b.id, version).await?;
    let unit_label = unit.short_name.clone().unwrap_or_else(|| unit.name.clone());
    render(&VersionPage {
        chrome: chrome(&caller, "brands", &format!("/brands/{id}/versions/{version}")),
        brand: BrandFacts::new(&b, &unit_label, 0),
        version: info.version,
        on: qizhi_core::date::iso(info.on),
        note: info.note.unwrap_or_default(),
        actor: info.actor.unwrap_or_default(),
        name: snap.name.clone(),
        category: Label::of_category(snap.category),
        status: Label::of_status(snap.status),
        slogan: snap.slogan.clone().unwrap_or_default(),
        concept: snap.concept.clone().unwrap_or_default(),
        heritage: snap.heritage.clone().unwrap_or_default(),
        structure: flatten_tree(&snap.elements),
    })
}
