//! Pages of fortresses (堡垒) and their flags (插旗): the list of a unit's
//! subtree with its figures, one fortress with its tasks, setting one up,
//! editing it, planting its flag.

use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use qizhi_core::date::today;
use qizhi_core::ids::PersonId;
use qizhi_core::org::Unit;
use qizhi_core::tasks::{FlagInput, Fortress, FortressInput};
use qizhi_store::Page;
use qizhi_store::Scope;
use qizhi_store::fortresses::{FortressListed, FortressQuery};
use qizhi_store::tasks::TaskQuery;
use serde::Deserialize;

use super::{PER_PAGE, people_choices, task_row, unit_of};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::again;
use crate::kit::flash;
use crate::kit::form::Fields;
use crate::kit::period::Period;
use crate::pages::{chrome, render};
use crate::views::UnitRef;
use crate::views::tasks::{
    Choice, FlagForm, FortressForm, FortressFormPage, FortressListPage, FortressPage, FortressRow, tiles_of,
};

fn row(f: &FortressListed) -> FortressRow {
    let x = &f.fortress.fields;
    FortressRow {
        id: f.fortress.id.0,
        code: x.code.clone(),
        name: x.name.clone(),
        unit_name: f.unit_name.clone(),
        ground: match (&f.scenario_name, &f.grid_name) {
            (Some(s), Some(g)) => format!("{s} · {g}"),
            (Some(s), None) => s.clone(),
            (None, Some(g)) => g.clone(),
            (None, None) => String::new(),
        },
        set_up_on: qizhi_core::date::iso(x.set_up_on),
        closed_on: x.closed_on.map(qizhi_core::date::iso).unwrap_or_default(),
        leader: f.leader_name.clone().unwrap_or_default(),
        flag: f.fortress.flag.as_ref().map(|g| {
            (g.name.clone(), qizhi_core::date::iso(g.planted_on), f.flag_leader_name.clone().unwrap_or_default())
        }),
        tasks: f.tasks,
        tasks_done: f.tasks_done,
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    unit: Option<i64>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    standing: String,
    page: Option<i64>,
}

/// `GET /fortresses?unit=&q=&standing=1&page=`
///
/// Anyone who may read the unit (admins, reviewers, viewers in scope). Out of
/// scope, and members without a read grant: 404.
pub async fn list(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(lq): Query<ListQuery>,
    period: Period,
) -> PageResult<Html<String>> {
    let unit = unit_of(&state, &caller, lq.unit).await?;
    let query = FortressQuery {
        id: None,
        q: lq.q.clone(),
        scenario: None,
        standing: !lq.standing.is_empty(),
        page: lq.page.unwrap_or(1).max(1),
        per_page: PER_PAGE,
    };
    let Page { total, items } = state.store.fortresses(&unit, &caller.scope, &query).await?;
    let figures = state.store.figures(unit.id, period.span).await?;
    render(&FortressListPage {
        chrome: chrome(&caller, "fortresses", &format!("/fortresses?unit={}", unit.id)),
        unit: UnitRef::from(&unit),
        unit_nav: super::unit_nav(&state, &caller, &unit, "/fortresses").await?,
        q: lq.q,
        standing: query.standing,
        rows: items.iter().map(row).collect(),
        page: query.page,
        pages: qizhi_store::page::pages(total, PER_PAGE),
        total,
        can_edit: caller.can_edit(&unit.path),
        period: period.view(caller.lang, &format!("/fortresses?unit={}", unit.id)),
        tiles: tiles_of(&figures, &["fortresses.", "flags.", "grids.", "scenarios."]),
    })
}

fn form_of(f: &Fortress) -> FortressForm {
    let x = &f.fields;
    FortressForm {
        code: x.code.clone(),
        name: x.name.clone(),
        scenario: x.scenario_id.map(|s| s.0.to_string()).unwrap_or_default(),
        grid: x.grid_id.map(|g| g.0.to_string()).unwrap_or_default(),
        set_up_on: qizhi_core::date::iso(x.set_up_on),
        closed_on: x.closed_on.map(qizhi_core::date::iso).unwrap_or_default(),
        leader: x.leader_id.map(|p| p.0.to_string()).unwrap_or_default(),
        description: x.description.clone().unwrap_or_default(),
    }
}

fn read_form(form: &Fields) -> Result<(FortressForm, FortressInput), AppError> {
    let values = FortressForm {
        code: form.text("code"),
        name: form.text("name"),
        scenario: form.text("scenario"),
        grid: form.text("grid"),
        set_up_on: form.text("set_up_on"),
        closed_on: form.text("closed_on"),
        leader: form.text("leader"),
        description: form.text("description"),
    };
    let input = FortressInput {
        code: values.code.clone(),
        name: values.name.clone(),
        scenario_id: form.id("scenario")?,
        grid_id: form.id("grid")?,
        set_up_on: values.set_up_on.clone(),
        closed_on: form.opt("closed_on"),
        leader_id: form.id("leader")?,
        description: form.opt("description"),
    };
    Ok((values, input))
}

/// Scenario, grid and people choices for a fortress of `unit`.
async fn choices(
    state: &AppState,
    unit: &Unit,
    keep: &[PersonId],
) -> Result<(Vec<Choice>, Vec<Choice>, Vec<Choice>), AppError> {
    let (scenarios, grids) = state.store.ground_choices(unit, 500).await?;
    Ok((
        scenarios.iter().map(|(id, c, n)| Choice::record(id.0, c, n)).collect(),
        grids.iter().map(|(id, c, n)| Choice::record(id.0, c, n)).collect(),
        people_choices(state, unit, keep).await?,
    ))
}

async fn fortress_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    form: Option<FortressForm>,
    flag_form: Option<FlagForm>,
    errors: Vec<String>,
) -> Result<FortressPage, AppError> {
    let (f, unit) = access::fortress(state, caller, id, Need::Read).await?;
    let q = FortressQuery { id: Some(f.id), per_page: 1, page: 1, ..Default::default() };
    let Page { items: listed, .. } = state.store.fortresses(&unit, &Scope::All, &q).await?;
    let listed = listed.into_iter().find(|l| l.fortress.id == f.id).ok_or_else(AppError::not_found)?;
    let mut tq = TaskQuery::new(today());
    tq.fortress = Some(f.id);
    tq.per_page = 200;
    let root = state.store.lineage_units(&unit).await?.into_iter().next().unwrap_or_else(|| unit.clone());
    let Page { items: tasks, .. } = state.store.tasks(&root, &caller.scope, &tq).await?;
    let keep: Vec<PersonId> = f.fields.leader_id.into_iter().chain(f.flag.as_ref().and_then(|g| g.leader_id)).collect();
    let (scenarios, grids, people) = choices(state, &unit, &keep).await?;
    let flag_form = flag_form.unwrap_or_else(|| FlagForm {
        name: f.flag.as_ref().map(|g| g.name.clone()).unwrap_or_default(),
        planted_on: f
            .flag
            .as_ref()
            .map_or_else(|| qizhi_core::date::iso(today()), |g| qizhi_core::date::iso(g.planted_on)),
        leader: f
            .flag
            .as_ref()
            .and_then(|g| g.leader_id)
            .or(f.fields.leader_id)
            .map(|p| p.0.to_string())
            .unwrap_or_default(),
    });
    Ok(FortressPage {
        chrome: chrome(caller, "fortresses", &format!("/fortresses/{id}")),
        fortress: row(&listed),
        unit: UnitRef::from(&unit),
        description: f.fields.description.clone().unwrap_or_default(),
        tasks: tasks.iter().map(task_row).collect(),
        can_edit: caller.can_edit(&unit.path),
        form: form.unwrap_or_else(|| form_of(&f)),
        flag_form,
        scenarios,
        grids,
        people,
        errors,
    })
}

/// `GET /fortresses/{id}`
///
/// Anyone who may read its unit (admins, reviewers, viewers in scope).
/// Anyone else: 404.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Query(sq): Query<flash::FlashQuery>,
) -> PageResult<Html<String>> {
    let mut page = fortress_page(&state, &caller, id, None, None, vec![]).await?;
    page.chrome.flash = flash::message(caller.lang, sq.flash.as_deref());
    render(&page)
}

/// `GET /fortresses/new?unit=`
///
/// Unit admins of the unit (and system admins). Viewers and reviewers in
/// scope: 403. Out of scope, and members (no read grant): 404.
pub async fn new_form(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(nq): Query<super::UnitQuery>,
) -> PageResult<Html<String>> {
    let unit = unit_of(&state, &caller, nq.unit).await?;
    let unit = access::unit(&state, &caller, unit.id.0, Need::Edit).await?;
    let (scenarios, grids, people) = choices(&state, &unit, &[]).await?;
    let form = FortressForm { set_up_on: qizhi_core::date::iso(today()), ..Default::default() };
    render(&FortressFormPage {
        chrome: chrome(&caller, "fortresses", "/fortresses/new"),
        unit: UnitRef::from(&unit),
        form,
        scenarios,
        grids,
        people,
        errors: vec![],
    })
}

/// `POST /fortresses` (form: `csrf`, `unit`, the fortress's fields)
///
/// Unit admins of `unit` (and system admins). Viewers and reviewers in
/// scope: 403. Out of scope, and members (no read grant): 404. Invalid: the form again, 422.
pub async fn create(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    form: Fields,
) -> PageResult<Response> {
    let unit = access::unit(&state, &caller, form.id("unit")?.ok_or_else(AppError::not_found)?, Need::Edit).await?;
    let (values, input) = read_form(&form)?;
    let done = async { Ok::<_, AppError>(caller.store(&state).create_fortress(unit.id, &input.validate()?).await?) };
    let saved = |f: Fortress| flash::redirect(&format!("/fortresses/{}", f.id), "tasks.saved");
    again::settle(done.await, saved, |errors| async {
        let keep: Vec<PersonId> = input.leader_id.map(PersonId).into_iter().collect();
        let (scenarios, grids, people) = choices(&state, &unit, &keep).await?;
        let chrome = chrome(&caller, "fortresses", "/fortresses/new");
        Ok(FortressFormPage { chrome, unit: UnitRef::from(&unit), form: values, scenarios, grids, people, errors })
    })
    .await
}

/// `POST /fortresses/{id}` (form: `csrf`, the fortress's fields)
///
/// Unit admins of its unit (and system admins). Viewers and reviewers in
/// scope: 403. Anyone else (members included): 404. Invalid: the page again, 422.
pub async fn update(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    form: Fields,
) -> PageResult<Response> {
    let (f, _) = access::fortress(&state, &caller, id, Need::Edit).await?;
    let (values, input) = read_form(&form)?;
    let done = async { Ok::<_, AppError>(caller.store(&state).update_fortress(f.id, &input.validate()?).await?) };
    again::settle(done.await, |_| saved(id), |errors| fortress_page(&state, &caller, id, Some(values), None, errors))
        .await
}

/// `POST /fortresses/{id}/flag` (form: `csrf`, `name`, `planted_on`, `leader`)
///
/// Unit admins of its unit (and system admins). Viewers and reviewers in
/// scope: 403. Anyone else (members included): 404. Invalid: the page again, 422.
pub async fn flag(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    form: Fields,
) -> PageResult<Response> {
    let (f, _) = access::fortress(&state, &caller, id, Need::Edit).await?;
    let values = FlagForm { name: form.text("name"), planted_on: form.text("planted_on"), leader: form.text("leader") };
    let input =
        FlagInput { name: values.name.clone(), planted_on: values.planted_on.clone(), leader_id: form.id("leader")? };
    let done = async { Ok::<_, AppError>(caller.store(&state).plant_flag(f.id, &input.validate(&f.fields)?).await?) };
    again::settle(done.await, |_| saved(id), |errors| fortress_page(&state, &caller, id, None, Some(values), errors))
        .await
}

/// Back to the fortress after a form it accepted.
fn saved(id: i64) -> Response {
    flash::redirect(&format!("/fortresses/{id}"), "tasks.saved")
}
