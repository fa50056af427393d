//! Brand standards (五有 and the like): what applies below a unit, what has
//! been issued in scope, and the form to issue or revise a unit's own.

use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use qizhi_core::brand::{Standard, StandardInput, StandardItemInput, WUYOU};
use qizhi_core::date::today;
use qizhi_core::org::Unit;
use serde::Deserialize;

use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::again;
use crate::kit::flash;
use crate::kit::form::Fields;
use crate::pages::{chrome, render, scope_root};
use crate::views::UnitRef;
use crate::views::brands::{FormErrors, StandardView, StandardsPage};

/// An item row of the form: (id or 0 for new, title, description).
type ItemRow = (i64, String, String);

fn view(s: &Standard, unit_name: &str) -> StandardView {
    StandardView {
        name: s.name.clone(),
        unit_id: s.unit_id.0,
        unit_name: unit_name.to_string(),
        issued_on: qizhi_core::date::iso(s.issued_on),
        items: s.items.iter().map(|i| (i.id, i.title.clone(), i.description.clone().unwrap_or_default())).collect(),
    }
}

async fn page_of(
    state: &AppState,
    caller: &Caller,
    unit: &Unit,
    form: Option<(String, Vec<ItemRow>)>,
    errors: FormErrors,
) -> PageResult<StandardsPage> {
    let own = state.store.standard_issued_by(unit.id).await?;
    // Brands below the unit answer to its own standard, or else to the nearest above.
    let applying = match &own {
        Some(s) => Some(view(s, &unit.name)),
        None => match state.store.applicable_standard(unit).await? {
            Some(s) => Some(view(&s, &state.store.unit(s.unit_id).await?.name)),
            None => None,
        },
    };
    let issued =
        state.store.standards_in(unit, &caller.scope).await?.iter().map(|s| view(&s.standard, &s.unit_name)).collect();
    let (form_name, mut form_items) = match (form, &own) {
        (Some(f), _) => f,
        (None, Some(s)) => (
            s.name.clone(),
            s.items.iter().map(|i| (i.id, i.title.clone(), i.description.clone().unwrap_or_default())).collect(),
        ),
        (None, None) => (
            format!("{}党建品牌“五有”标准", unit.short_name.clone().unwrap_or_else(|| unit.name.clone())),
            WUYOU.iter().map(|(t, d)| (0, t.to_string(), d.to_string())).collect(),
        ),
    };
    form_items.extend((0..3).map(|_| (0, String::new(), String::new())));
    Ok(StandardsPage {
        chrome: chrome(caller, "brands", &format!("/standards?unit={}", unit.id)),
        unit: UnitRef::from(unit),
        applying,
        issued,
        can_issue: caller.can_edit(&unit.path),
        form_name,
        form_items,
        errors,
    })
}

#[derive(Deserialize)]
pub struct PageQuery {
    unit: Option<i64>,
    flash: Option<String>,
}

/// `GET /standards?unit=` — anyone signed in, for a unit they may read
/// (default: their scope's root); outside: 404. The issue form shows to the
/// unit's admins.
pub async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(q): Query<PageQuery>,
) -> PageResult<Html<String>> {
    let unit = match q.unit {
        Some(id) => access::unit(&state, &caller, id, Need::Read).await?,
        None => scope_root(&state, &caller).await?.ok_or_else(AppError::not_found)?,
    };
    let mut p = page_of(&state, &caller, &unit, None, vec![]).await?;
    p.chrome.flash = flash::message(caller.lang, q.flash.as_deref());
    render(&p)
}

/// `POST /standards/{unit}` (multipart: csrf, name, item_id/item_title/
/// item_description repeated) — admins of the unit issue or revise the
/// standard for the units below it; others in scope: 403; outside: 404.
pub async fn issue(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(unit): Path<i64>,
    p: Fields,
) -> PageResult<Response> {
    let unit = access::unit(&state, &caller, unit, Need::Edit).await?;
    let (ids, titles, descriptions) = (p.all("item_id"), p.all("item_title"), p.all("item_description"));
    let items: Vec<StandardItemInput> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| StandardItemInput {
            id: ids.get(i).and_then(|v| v.trim().parse::<i64>().ok()).filter(|v| *v > 0),
            title: t.clone(),
            description: descriptions.get(i).cloned(),
        })
        .collect();
    let input = StandardInput { name: p.text("name"), items };
    let result = async {
        let fields = input.validate()?;
        Ok::<_, AppError>(caller.store(&state).issue_standard(unit.id, &fields, today()).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(flash::redirect(&format!("/standards?unit={}", unit.id), "brands.saved")),
        Err(AppError::Invalid(fields)) => {
            let errors = fields.iter().map(|f| (f.field.clone(), f.message.clone())).collect();
            let form_items = input
                .items
                .iter()
                .map(|i| (i.id.unwrap_or(0), i.title.clone(), i.description.clone().unwrap_or_default()))
                .collect();
            let page = page_of(&state, &caller, &unit, Some((input.name.clone(), form_items)), errors).await?;
            again::page(&page)
        }
        Err(e) => Err(e.into()),
    }
}
