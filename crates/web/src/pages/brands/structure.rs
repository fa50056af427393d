//! The structure editor: add, edit, move (up, down, indent, outdent) and
//! delete the elements of a brand's structure.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use qizhi_core::brand::ElementInput;
use qizhi_store::brands::ElementMove;
use serde::Deserialize;

use super::message;
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::again;
use crate::kit::flash;
use crate::pages::{chrome, render};
use crate::views::brands::{BrandFacts, StructurePage, flatten_elements, structure_chart, structure_height};

async fn page_of(state: &AppState, caller: &Caller, id: i64, error: Option<String>) -> PageResult<StructurePage> {
    let (b, unit) = access::brand(state, caller, id, Need::Edit).await?;
    let elements = state.store.brand_elements(b.id).await?;
    let tree = qizhi_core::brand::element_tree(&elements);
    let unit_label = unit.short_name.clone().unwrap_or_else(|| unit.name.clone());
    Ok(StructurePage {
        chrome: chrome(caller, "brands", &format!("/brands/{id}/structure")),
        brand: BrandFacts::new(&b, &unit_label, 0),
        elements: flatten_elements(&elements),
        error,
        structure_chart: if tree.is_empty() { String::new() } else { structure_chart(&b.fields.name, &tree) },
        structure_height: structure_height(&tree),
    })
}

#[derive(Deserialize)]
pub struct MsgQuery {
    flash: Option<String>,
}

/// `GET /brands/{id}/structure` — admins of the brand's unit; reviewers and
/// viewers in scope: 403 (they read the structure on the showcase); outside: 404.
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

/// A failed edit: the editor again, with the reason (422).
async fn failed(state: &AppState, caller: &Caller, id: i64, e: AppError) -> PageResult<Response> {
    if !matches!(e, AppError::Invalid(_)) {
        return Err(e.into());
    }
    let p = page_of(state, caller, id, Some(message(&e))).await?;
    again::page(&p)
}

#[derive(Deserialize)]
pub struct ElementForm {
    #[serde(default)]
    parent: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
}

impl ElementForm {
    fn input(&self) -> ElementInput {
        ElementInput { kind: self.kind.clone(), title: self.title.clone(), text: Some(self.text.clone()) }
    }
}

/// `POST /brands/{id}/elements` (csrf, parent, kind, title, text) — admins of
/// the brand's unit; others in scope: 403; outside: 404.
pub async fn add(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(f): Form<ElementForm>,
) -> PageResult<Response> {
    let (b, _) = access::brand(&state, &caller, id, Need::Edit).await?;
    let parent = f.parent.trim().parse::<i64>().ok();
    let result = async {
        let fields = f.input().validate()?;
        Ok::<_, AppError>(caller.store(&state).add_element(b.id, parent, &fields).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(flash::redirect(&format!("/brands/{id}/structure"), "brands.saved")),
        Err(e) => failed(&state, &caller, id, e).await,
    }
}

/// `POST /brands/{id}/elements/{element}` (csrf, kind, title, text) — admins
/// of the brand's unit; others in scope: 403; outside: 404.
pub async fn update(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, element)): Path<(i64, i64)>,
    Form(f): Form<ElementForm>,
) -> PageResult<Response> {
    let (b, _) = access::brand(&state, &caller, id, Need::Edit).await?;
    let result = async {
        let fields = f.input().validate()?;
        Ok::<_, AppError>(caller.store(&state).update_element(b.id, element, &fields).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(flash::redirect(&format!("/brands/{id}/structure"), "brands.saved")),
        Err(e) => failed(&state, &caller, id, e).await,
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    to: String,
}

/// `POST /brands/{id}/elements/{element}/move` (csrf, to = up|down|indent|outdent)
/// — admins of the brand's unit; others in scope: 403; outside: 404.
pub async fn move_element(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, element)): Path<(i64, i64)>,
    Form(f): Form<MoveForm>,
) -> PageResult<Response> {
    let (b, _) = access::brand(&state, &caller, id, Need::Edit).await?;
    let how = ElementMove::parse(&f.to).ok_or_else(|| AppError::BadRequest("to: up/down/indent/outdent".into()))?;
    match caller.store(&state).move_element(b.id, element, how).await {
        Ok(()) => Ok(flash::redirect(&format!("/brands/{id}/structure"), "brands.saved")),
        Err(e) => failed(&state, &caller, id, e.into()).await,
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {}

/// `POST /brands/{id}/elements/{element}/delete` — admins of the brand's
/// unit; others in scope: 403; outside: 404.
pub async fn delete(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, element)): Path<(i64, i64)>,
    Form(_f): Form<CsrfForm>,
) -> PageResult<Response> {
    let (b, _) = access::brand(&state, &caller, id, Need::Edit).await?;
    caller.store(&state).delete_element(b.id, element).await?;
    Ok(flash::redirect(&format!("/brands/{id}/structure"), "brands.saved"))
}
