//! People: list a unit's subtree, read, create, edit (a new unit transfers them).
//! Personal fields are present only for callers who may see them.

use axum::Json;
use axum::extract::{Path, Query, State};
use qizhi_core::person::{Category, Person, PersonInput};
use qizhi_store::Page;
use qizhi_store::people::PeopleQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};

#[derive(Serialize, ToSchema)]
pub struct PersonView {
    id: i64,
    unit_id: i64,
    name: String,
    gender: Option<String>,
    /// `full`, `probationary`, `league` or `staff`.
    category: String,
    join_date: Option<String>,
    post: Option<String>,
    /// Personal: only for unit admins of the person's unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_number: Option<String>,
}

impl PersonView {
    pub fn new(p: &Person, personal: bool) -> Self {
        let f = &p.fields;
        PersonView {
            id: p.id.0,
            unit_id: p.unit_id.0,
            name: f.name.clone(),
            gender: f.gender.map(|g| g.code().into()),
            category: f.category.code().into(),
            join_date: f.join_date.map(qizhi_core::date::iso),
            post: f.post.clone(),
            birth_date: if personal { f.birth_date.map(qizhi_core::date::iso) } else { None },
            phone: if personal { f.phone.clone() } else { None },
            id_number: if personal { f.id_number.clone() } else { None },
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PeoplePage {
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<PersonView>,
}

/// A person as typed; category and gender accept codes or Chinese labels.
#[derive(Deserialize, ToSchema)]
pub struct PersonBody {
    unit_id: i64,
    name: String,
    gender: Option<String>,
    category: String,
    join_date: Option<String>,
    post: Option<String>,
    birth_date: Option<String>,
    phone: Option<String>,
    id_number: Option<String>,
}

impl PersonBody {
    fn input(&self) -> PersonInput {
        PersonInput {
            name: self.name.clone(),
            gender: self.gender.clone(),
            category: self.category.clone(),
            join_date: self.join_date.clone(),
            post: self.post.clone(),
            birth_date: self.birth_date.clone(),
            phone: self.phone.clone(),
            id_number: self.id_number.clone(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Part of a name, or an exact ID number.
    q: Option<String>,
    /// `full`, `probationary`, `league`, `staff` (or the Chinese label).
    category: Option<String>,
    /// 1-based.
    page: Option<i64>,
    /// Default 50, max 1000.
    per_page: Option<i64>,
}

/// People of a unit and everything under it, a page at a time.
#[utoipa::path(get, operation_id = "people_list", path = "/api/v1/units/{id}/people", tag = "people", params(("id" = i64, Path), ListQuery), responses((status = 200, body = PeoplePage)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(lq): Query<ListQuery>,
) -> AppResult<Json<PeoplePage>> {
    let unit = access::unit(&state, &caller, id, Need::Read).await?;
    let category = match lq.category.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(Category::parse(c).map_err(AppError::BadRequest)?),
    };
    let query = PeopleQuery {
        q: lq.q.unwrap_or_default(),
        category,
        page: lq.page.unwrap_or(1).max(1),
        per_page: lq.per_page.unwrap_or(50).clamp(1, qizhi_store::MAX_PER_PAGE),
    };
    let Page { total, items: people } = state.store.people(&unit, &caller.scope, &query).await?;
    let personal = caller.can_see_personal(&unit.path);
    Ok(Json(PeoplePage {
        total,
        page: query.page,
        per_page: query.per_page,
        items: people.iter().map(|p| PersonView::new(&p.person, personal)).collect(),
    }))
}

#[utoipa::path(get, operation_id = "people_get", path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path)), responses((status = 200, body = PersonView)))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> AppResult<Json<PersonView>> {
    let (person, unit) = access::person(&state, &caller, id, Need::Read).await?;
    let own = caller.user.person_id == Some(person.id);
    Ok(Json(PersonView::new(&person, own || caller.can_see_personal(&unit.path))))
}

#[utoipa::path(post, operation_id = "people_create", path = "/api/v1/people", tag = "people", request_body = PersonBody, responses((status = 201, body = PersonView)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<PersonBody>,
) -> AppResult<(axum::http::StatusCode, Json<PersonView>)> {
    let fields = body.input().validate()?;
    let unit = access::unit(&state, &caller, body.unit_id, Need::Edit).await?;
    let p = caller.store(&state).create_person(unit.id, &fields).await?;
    Ok((axum::http::StatusCode::CREATED, Json(PersonView::new(&p, true))))
}

/// Unit admins of the person's unit (and of the target unit, for a
/// transfer); a member for their own phone and post. Viewers and reviewers
/// change nothing.
#[utoipa::path(put, operation_id = "people_update", path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path)), request_body = PersonBody, responses((status = 200, body = PersonView)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<PersonBody>,
) -> AppResult<Json<PersonView>> {
    let fields = body.input().validate()?;
    let (old, old_unit) = access::person(&state, &caller, id, Need::Read).await?;
    // A member keeps their own contact details (phone, post); everything
    // else of their record is the unit admins' to change.
    let member = caller.grants.iter().any(|g| g.role == qizhi_core::access::Role::Member);
    if member && caller.user.person_id == Some(old.id) && !caller.can_edit(&old_unit.path) {
        let own = qizhi_core::person::PersonFields {
            phone: fields.phone.clone(),
            post: fields.post.clone(),
            ..old.fields.clone()
        };
        if own != fields || body.unit_id != old_unit.id.0 {
            let error = AppError::Forbidden(
                "只能修改本人的联系电话和岗位 (you may change only your own phone and post)".into(),
            );
            return Err(caller.deny(&state, "person", id, Some(&old_unit.path), error).await);
        }
        let (_, new) = caller.store(&state).update_person(old.id, old_unit.id, &fields).await?;
        return Ok(Json(PersonView::new(&new, true)));
    }
    access::unit(&state, &caller, old_unit.id.0, Need::Edit).await?;
    let unit = access::unit(&state, &caller, body.unit_id, Need::Edit).await?;
    let (_, new) = caller.store(&state).update_person(old.id, unit.id, &fields).await?;
    Ok(Json(PersonView::new(&new, true)))
}
