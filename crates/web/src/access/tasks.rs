//! Fortresses, teams, tasks and commitments: read where the unit is
//! readable, changed by its admins; a task also by the people responsible
//! for it, a commitment also by its member — who never verifies it.

use qizhi_core::commitments::Commitment;
use qizhi_core::ids::{CommitmentId, FortressId, TaskId, TeamId};
use qizhi_core::org::Unit;
use qizhi_core::tasks::{Fortress, Task};
use qizhi_core::teams::Team;

use super::{Need, check, guard};
use crate::AppState;
use crate::auth::Caller;
use crate::error::AppResult;

/// A fortress with its unit, for `need`.
pub(crate) async fn fortress(state: &AppState, caller: &Caller, id: i64, need: Need) -> AppResult<(Fortress, Unit)> {
    let f = state.store.fortress(FortressId(id)).await?;
    let unit = state.store.unit(f.unit_id).await?;
    guard(state, caller, ("fortress", id, &unit.path), need).await?;
    Ok((f, unit))
}

/// A team with its unit, for `need`.
pub(crate) async fn team(state: &AppState, caller: &Caller, id: i64, need: Need) -> AppResult<(Team, Unit)> {
    let t = state.store.team(TeamId(id)).await?;
    let unit = state.store.unit(t.unit_id).await?;
    guard(state, caller, ("team", id, &unit.path), need).await?;
    Ok((t, unit))
}

/// Whether the caller is one of the people responsible for `task`.
pub(crate) fn is_responsible(caller: &Caller, task: &Task) -> bool {
    caller.user.person_id.is_some_and(|p| task.fields.responsible.contains(&p))
}

/// A task with its unit and whether the caller is responsible for it. The
/// people responsible read it and post to its ledger (`Need::Read` is what
/// they meet); everything else as `need` says.
pub(crate) async fn task(state: &AppState, caller: &Caller, id: i64, need: Need) -> AppResult<(Task, Unit, bool)> {
    let task = state.store.task(TaskId(id)).await?;
    let unit = state.store.unit(task.unit_id).await?;
    let mine = is_responsible(caller, &task);
    let allowed = caller.may(need, &unit.path) || mine && need == Need::Read;
    check(state, caller, ("task", id, &unit.path), mine || caller.can_read(&unit.path), allowed).await?;
    Ok((task, unit, mine))
}

/// A commitment with its unit's path. Its member may read and change it;
/// others as `need` says (`Need::Edit`: the unit's admins).
pub(crate) async fn commitment(
    state: &AppState,
    caller: &Caller,
    id: i64,
    need: Need,
) -> AppResult<(Commitment, String)> {
    let c = state.store.commitment(CommitmentId(id)).await?;
    let path = state.store.unit(c.unit_id).await?.path;
    let own = caller.user.person_id == Some(c.person_id);
    let allowed = own || caller.may(need, &path);
    check(state, caller, ("commitment", id, &path), own || caller.can_read(&path), allowed).await?;
    Ok((c, path))
}

/// Who verifies a commitment: admins and reviewers of its unit, never its
/// own member.
pub(crate) fn may_verify(caller: &Caller, c: &Commitment, path: &str) -> bool {
    (caller.can_edit(path) || caller.can_review(path)) && caller.user.person_id != Some(c.person_id)
}

/// The caller's own commitment, for their own pages: 404 for anyone
/// else's, whoever they are (admins verify, they do not rewrite).
pub(crate) async fn own_commitment(state: &AppState, caller: &Caller, id: i64) -> AppResult<Commitment> {
    let c = state.store.commitment(CommitmentId(id)).await?;
    let path = state.store.unit(c.unit_id).await?.path;
    check(state, caller, ("commitment", id, &path), caller.user.person_id == Some(c.person_id), true).await?;
    Ok(c)
}
