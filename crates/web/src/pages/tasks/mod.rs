//! Pages of the task ledger (任务台账): lists per unit subtree with filters,
//! charts and bulk edit; one task with its progress ledger, where its
//! responsible people report progress from a phone; the task form. The
//! other records of this capability have their own modules: fortresses and
//! flags, teams, member commitments (with the member's own page).
//!
//! Who may call what is written on each handler: "in scope" means the
//! task's unit lies in a subtree the caller holds a grant over.

pub mod commitments;
pub mod fortresses;
mod task;
pub mod teams;

use axum::response::{IntoResponse, Redirect, Response};
use qizhi_core::date::today;
use qizhi_core::ids::PersonId;
use qizhi_core::org::Unit;
use qizhi_store::Page;
use qizhi_store::Scope;
use qizhi_store::people::PeopleQuery;
use qizhi_store::tasks::TaskListed;

use super::{scope_root, short_ref};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::AppError;
use crate::routes::{Route, route};
use crate::views::tasks::{Choice, TaskRow};

pub fn routes() -> Vec<Route> {
    use axum::http::Method as M;
    vec![
        route(M::GET, "/tasks", task::list),
        route(M::GET, "/tasks/new", task::new_form),
        route(M::POST, "/tasks", task::create),
        route(M::POST, "/tasks/bulk", task::bulk),
        route(M::GET, "/tasks/{id}", task::show),
        route(M::POST, "/tasks/{id}", task::update),
        route(M::GET, "/tasks/{id}/edit", task::edit_form),
        route(M::POST, "/tasks/{id}/entries", task::post_entry).uploads(crate::routes::FILE_UPLOAD),
        route(M::POST, "/tasks/{id}/entries/{entry}", task::correct_entry),
        route(M::GET, "/fortresses", fortresses::list),
        route(M::GET, "/fortresses/new", fortresses::new_form),
        route(M::POST, "/fortresses", fortresses::create),
        route(M::GET, "/fortresses/{id}", fortresses::show),
        route(M::POST, "/fortresses/{id}", fortresses::update),
        route(M::POST, "/fortresses/{id}/flag", fortresses::flag),
        route(M::GET, "/teams", teams::list),
        route(M::GET, "/teams/new", teams::new_form),
        route(M::POST, "/teams", teams::create),
        route(M::GET, "/teams/{id}", teams::show),
        route(M::POST, "/teams/{id}", teams::update),
        route(M::POST, "/teams/{id}/members", teams::members),
        route(M::GET, "/commitments", commitments::board),
        route(M::POST, "/commitments/verify", commitments::verify_many),
        route(M::POST, "/commitments/{id}/verify", commitments::verify),
        route(M::GET, "/my", commitments::my),
        route(M::POST, "/my/commitments", commitments::my_create),
        route(M::POST, "/my/commitments/{id}", commitments::my_update),
        route(M::POST, "/my/commitments/{id}/delete", commitments::my_delete),
    ]
}

pub const PER_PAGE: i64 = 20;

// ---------------------------------------------------------------------------
// Helpers shared by this capability's pages

/// The unit a list is of: the one asked for (404 outside the caller's
/// scope), else the caller's scope root. A caller who may read no unit at
/// all (a member, whose own records are on `/my`) is refused with 404, and
/// the refusal is recorded like any other.
pub(crate) async fn unit_of(state: &AppState, caller: &Caller, unit: Option<i64>) -> Result<Unit, AppError> {
    match unit {
        Some(id) => access::unit(state, caller, id, Need::Read).await,
        None => match scope_root(state, caller).await.map_err(|e| e.0)? {
            Some(root) => Ok(root),
            None => Err(caller.deny(state, "unit", "scope", None, AppError::not_found()).await),
        },
    }
}

/// A redirect after a successful form post (303: the browser follows with GET).
pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A local path to come back to, or `default` (never another site).
pub(crate) fn back_to(back: &str, default: &str) -> String {
    let ok = back.starts_with('/') && !back.starts_with("//") && !back.contains(['\\', '\r', '\n', '\t']);
    if ok { back.to_string() } else { default.to_string() }
}

/// `to` with `key=value` added to its query.
pub(crate) fn with_param(to: &str, kv: &str) -> String {
    let (path, anchor) = to.split_once('#').map_or((to, None), |(p, a)| (p, Some(a)));
    let sep = if path.contains('?') { '&' } else { '?' };
    match anchor {
        Some(a) => format!("{path}{sep}{kv}#{a}"),
        None => format!("{path}{sep}{kv}"),
    }
}

/// People a record of `unit` may name (its subtree, at most 300, and the
/// people in `keep`), as choices labelled with their unit.
pub(crate) async fn people_choices(state: &AppState, unit: &Unit, keep: &[PersonId]) -> Result<Vec<Choice>, AppError> {
    let q = PeopleQuery { per_page: 300, page: 1, ..Default::default() };
    let Page { items: people, .. } = state.store.people(unit, &Scope::All, &q).await?;
    let mut out: Vec<Choice> = people
        .iter()
        .map(|p| {
            let label = format!("{}（{}）", p.person.fields.name, p.unit_name);
            Choice { value: p.person.id.0.to_string(), zh: label.clone(), en: label }
        })
        .collect();
    for id in keep {
        if !out.iter().any(|c| c.value == id.0.to_string())
            && let Ok(p) = state.store.person(*id).await
        {
            out.push(Choice::new(id.0.to_string(), p.fields.name.clone(), p.fields.name.clone()));
        }
    }
    Ok(out)
}

/// The parent and children of `unit` the caller may read, for a list's links.
pub(crate) async fn unit_nav(
    state: &AppState,
    caller: &Caller,
    unit: &Unit,
    base: &'static str,
) -> Result<crate::views::tasks::UnitNav, AppError> {
    let parent = match unit.parent_id {
        Some(p) => Some(state.store.unit(p).await?).filter(|u| caller.can_read(&u.path)).map(|u| short_ref(&u)),
        None => None,
    };
    let children = state
        .store
        .children(unit.id)
        .await?
        .iter()
        .filter(|c| caller.can_read(&c.unit.path))
        .map(|c| short_ref(&c.unit))
        .collect();
    Ok(crate::views::tasks::UnitNav { parent, children, base })
}

/// A task as a list row, flagged as of today.
pub(crate) fn task_row(t: &TaskListed) -> TaskRow {
    let today = today();
    let f = &t.task.fields;
    TaskRow {
        id: t.task.id.0,
        code: t.task.code.clone(),
        name: f.name.clone(),
        kind: f.kind,
        status: f.status,
        priority: f.priority,
        unit_name: t.unit_name.clone(),
        responsible: t.responsible.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join("、"),
        due: f.due_on.map(qizhi_core::date::iso).unwrap_or_default(),
        year: f.year,
        progress: t.task.progress,
        overdue: t.task.is_overdue(today),
        stalled: t.task.is_stalled(today),
        fortress: t.fortress.clone(),
        team: t.team.clone(),
        latest_note: t.latest_note.clone().unwrap_or_default(),
    }
}

/// The unit a new record's form is for (`?unit=`), else the caller's scope root.
#[derive(serde::Deserialize)]
pub struct UnitQuery {
    unit: Option<i64>,
}

fn parse_opt<T>(v: &str, f: impl Fn(&str) -> Result<T, String>) -> Result<Option<T>, AppError> {
    if v.trim().is_empty() { Ok(None) } else { f(v).map(Some).map_err(AppError::BadRequest) }
}
