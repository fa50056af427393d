//! The people list of a unit's subtree: search, category filter, paging.
//! Phone numbers appear only for those who may see personal data.

use axum::extract::{Query, State};
use axum::response::Html;
use qizhi_core::person::Category;
use qizhi_store::Page;
use qizhi_store::people::PeopleQuery;
use serde::Deserialize;

use super::{chrome, render, scope_root};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::PageCaller;
use crate::error::{AppError, PageResult};
use crate::views::{PeoplePage, PersonRow, UnitRef};

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
    let category = match lq.category.as_str() {
        "" => None,
        c => Some(Category::parse(c).map_err(AppError::BadRequest)?),
    };
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
    };
    render(&page)
}
