//! Who may open and change each object, for pages and API alike.
//!
//! One guard per kind of object: it loads the object and its unit, asks the
//! rules of `qizhi_core::access` (read, edit, decide at the parent, see
//! personal fields) through the [`Caller`], and refuses through one
//! mechanism, [`check`]: 404 when the caller may not know the object exists
//! (outside their scope), 403 when they may read it but not do what they
//! asked; every refusal is recorded in the audit trail (`Caller::deny`).
//! Lists are scoped in SQL by `Caller::scope`; these guards are for one
//! object at a time.

pub(crate) mod audit;
mod brands;
pub(crate) mod stars;
mod tasks;

pub(crate) use brands::{brand, honor, honor_holder};
pub(crate) use qizhi_core::access::Need;
pub(crate) use tasks::{commitment, fortress, is_responsible, may_verify, own_commitment, task, team};

use qizhi_core::ids::{PersonId, UnitId};
use qizhi_core::org::Unit;
use qizhi_core::person::Person;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};

/// The one mechanism under every guard: refuses with 404 unless `readable`,
/// then with 403 unless `allowed`; either refusal is recorded against the
/// object (`kind`, `id`) at the unit at `path`.
pub(crate) async fn check(
    state: &AppState,
    caller: &Caller,
    (kind, id, path): (&'static str, i64, &str),
    readable: bool,
    allowed: bool,
) -> AppResult<()> {
    if !readable {
        Err(caller.deny(state, kind, id, Some(path), AppError::not_found()).await)
    } else if !allowed {
        Err(caller.deny(state, kind, id, Some(path), AppError::forbidden()).await)
    } else {
        Ok(())
    }
}

/// The standard decision for an object held at the unit at `path`.
pub(crate) async fn guard(
    state: &AppState,
    caller: &Caller,
    object: (&'static str, i64, &str),
    need: Need,
) -> AppResult<()> {
    let path = object.2;
    check(state, caller, object, caller.can_read(path), caller.may(need, path)).await
}

/// Refuses (403, recorded) an object the caller may read unless `allowed`:
/// for rules beyond [`Need`] (a stage of a campaign, a level of review).
pub(crate) async fn require(
    state: &AppState,
    caller: &Caller,
    allowed: bool,
    kind: &'static str,
    id: i64,
    path: &str,
) -> AppResult<()> {
    check(state, caller, (kind, id, path), true, allowed).await
}

/// A unit, for `need`.
pub(crate) async fn unit(state: &AppState, caller: &Caller, id: i64, need: Need) -> AppResult<Unit> {
    let unit = state.store.unit(UnitId(id)).await?;
    guard(state, caller, ("unit", id, &unit.path), need).await?;
    Ok(unit)
}

/// A person, with their unit: their own record anyone may read; anyone
/// else's as `need` says.
pub(crate) async fn person(state: &AppState, caller: &Caller, id: i64, need: Need) -> AppResult<(Person, Unit)> {
    let person = state.store.person(PersonId(id)).await?;
    let unit = state.store.unit(person.unit_id).await?;
    let own = caller.user.person_id == Some(person.id);
    let allowed = caller.may(need, &unit.path) || own && need == Need::Read;
    check(state, caller, ("person", id, &unit.path), own || caller.can_read(&unit.path), allowed).await?;
    Ok((person, unit))
}
