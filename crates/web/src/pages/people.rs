//! The people list of a unit's subtree (search, category filter, paging)
//! and one person's record. Personal data appears only for those who may
//! see it, masked until they reveal it on the person's page, which the
//! audit trail records.

use axum::extract::{Path, Query, State};
use axum::response::Html;
use qizhi_core::org::Unit;
use qizhi_core::person::{Category, Person};
use qizhi_store::Page;
use qizhi_store::people::PeopleQuery;
use serde::Deserialize;

use super::{chrome, render, scope_root};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::filter::Filters;
use crate::views::{PeoplePage, PersonPage, PersonRow, UnitRef};

pub const PER_PAGE: i64 = 20;

#[derive(Deserialize)]
pub struct ListQuery {
    unit: Option<i64>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    page: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(lq): Query<ListQuery>,
) -> PageResult<Html<String>> {
    let unit = match lq.unit {
        Some(id) => access::unit(&state, &caller, id, Need::Read).await?,
        None => scope_root(&state, &caller).await?.ok_or_else(AppError::not_found)?,
    };
    let mut filters = Filters::default();
    let category = filters.take(("人员类别", "Category"), &lq.category, Category::parse);
    let query = PeopleQuery { q: lq.q.clone(), category, page: lq.page.unwrap_or(1), per_page: PER_PAGE };
    let Page { total, items: people } = state.store.people(&unit, &caller.scope, &query).await?;
    let show_personal = caller.can_see_personal(&unit.path);
    let rows = people.iter().map(|p| PersonRow::new(&p.person, p.unit_name.clone(), show_personal)).collect();
    let page = PeoplePage {
        chrome: chrome(&caller, "people", &format!("/people?unit={}", unit.id)),
        unit: UnitRef::from(&unit),
        q: lq.q,
        category: category.map(|c| c.code().to_string()).unwrap_or_default(),
        rows,
        page: query.page.max(1),
        pages: qizhi_store::page::pages(total, PER_PAGE),
        total,
        show_personal,
        categories: Category::ALL.iter().map(|c| (c.code(), c.zh(), c.en())).collect(),
        filter_problems: filters.problems(),
    };
    render(&page)
}

/// `GET /people/{id}` — whoever may read the person's unit, and the person
/// themselves; 404 otherwise.
pub async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
) -> PageResult<Html<String>> {
    let (person, unit) = access::person(&state, &caller, id, Need::Read).await?;
    let own = caller.user.person_id == Some(person.id);
    render(&person_page(&caller, &person, &unit, own, false))
}

/// `POST /people/{id}/reveal` (csrf) — those who may see the unit's personal
/// data: the record with its personal fields whole, the reading recorded in
/// the audit trail; others in scope 403, outside it 404.
pub async fn reveal(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
) -> PageResult<Html<String>> {
    let (person, unit) = access::person(&state, &caller, id, Need::SeePersonal).await?;
    let name = &person.fields.name;
    let entry = qizhi_store::audit::Entry {
        action: "revealed",
        object_kind: "person",
        object_id: person.id.0.to_string(),
        unit_path: Some(unit.path.clone()),
        summary: format!("查看个人信息：{} 查看了 {name} 的出生日期、联系电话和身份证号", caller.user.username),
        before: None,
        after: None,
    };
    caller.store(&state).audit(entry).await?;
    render(&person_page(&caller, &person, &unit, true, true))
}

/// The page of `person`: personal fields `whole`, or masked for those who
/// may see them; `audited` when this reading was recorded.
fn person_page(caller: &Caller, person: &Person, unit: &Unit, whole: bool, audited: bool) -> PersonPage {
    let may_see = caller.can_see_personal(&unit.path);
    let f = &person.fields;
    let shown = |v: Option<String>| match (whole, may_see) {
        (true, _) => v.unwrap_or_default(),
        (false, true) => v.map(|v| qizhi_core::person::masked(&v)).unwrap_or_default(),
        (false, false) => String::new(),
    };
    PersonPage {
        chrome: chrome(caller, "people", &format!("/people/{}", person.id.0)),
        id: person.id.0,
        row: PersonRow::new(person, unit.name.clone(), false),
        unit: UnitRef::from(unit),
        birth_date: shown(f.birth_date.map(qizhi_core::date::iso)),
        phone: shown(f.phone.clone()),
        id_number: shown(f.id_number.clone()),
        revealed: whole,
        audited,
        can_reveal: may_see && !whole,
    }
}
