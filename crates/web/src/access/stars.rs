//! Schemes, campaigns and entries of the star evaluation: who may read,
//! run, self-assess, review and handle objections.

use qizhi_core::ids::UnitId;
use qizhi_core::org::{lineage, parent_path};
use qizhi_store::stars::{Campaign, Entry, EntryDetail, ReviewScope, Scheme};

use super::{Need, check};
use crate::AppState;
use crate::auth::Caller;
use crate::error::AppResult;

/// The roots of the caller's review grants (system admins review everywhere).
pub(crate) fn review_scope(caller: &Caller) -> ReviewScope {
    if caller.is_system_admin() {
        return ReviewScope::All;
    }
    ReviewScope::Roots(
        caller.grants.iter().filter(|g| g.role.may_review()).filter_map(|g| g.unit_path.clone()).collect(),
    )
}

/// Units strictly above the caller's readable roots: schemes and campaigns
/// issued there apply to the caller's units, so they may read them.
pub(crate) fn ancestors(caller: &Caller) -> Vec<UnitId> {
    let mut out: Vec<UnitId> = caller
        .grants
        .iter()
        .filter(|g| g.role.may_read_scope())
        .filter_map(|g| g.unit_path.as_deref())
        .flat_map(|p| {
            let ids = lineage(p);
            ids[..ids.len().saturating_sub(1)].to_vec()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether the caller may read what a unit at `path` issued or runs: it is
/// in their scope, or above a unit in their scope.
pub(crate) fn can_read_issued(caller: &Caller, path: &str) -> bool {
    caller.can_read(path)
        || caller
            .grants
            .iter()
            .filter(|g| g.role.may_read_scope())
            .any(|g| g.unit_path.as_deref().is_some_and(|p| p.starts_with(path)))
}

/// Level 1 is reviewed at the branch's parent, level 2 at the campaign's unit.
pub(crate) fn may_review(caller: &Caller, entry: &Entry, campaign: &Campaign, level: u8) -> bool {
    if level == 2 {
        caller.can_review(&campaign.unit_path)
    } else {
        caller.can_review(parent_path(&entry.unit_path).unwrap_or(&entry.unit_path))
    }
}

pub(crate) fn may_manage(caller: &Caller, campaign: &Campaign) -> bool {
    caller.can_edit(&campaign.unit_path)
}

pub(crate) fn may_self_assess(caller: &Caller, entry: &Entry) -> bool {
    caller.can_edit(&entry.unit_path)
}

/// Objections are recorded and answered by the campaign's admins and the
/// branch's level-1 reviewers.
pub(crate) fn may_handle_objections(caller: &Caller, entry: &Entry, campaign: &Campaign) -> bool {
    may_manage(caller, campaign) || may_review(caller, entry, campaign, 1)
}

/// A scheme, for `need`: read by whoever may read what its issuer issues
/// (its scope, or a unit below it); edited by the issuer's admins.
pub(crate) async fn scheme(state: &AppState, caller: &Caller, id: i64, need: Need) -> AppResult<Scheme> {
    let s = state.store.scheme(id).await?;
    let p = &s.unit_path;
    check(state, caller, ("star_scheme", id, p), can_read_issued(caller, p), issued_need(caller, need, p)).await?;
    Ok(s)
}

/// A campaign, for `need`: read like a scheme; run (`Need::Edit`) by the
/// admins of its unit.
pub(crate) async fn campaign(state: &AppState, caller: &Caller, id: i64, need: Need) -> AppResult<Campaign> {
    let c = state.store.campaign(id).await?;
    let p = &c.unit_path;
    check(state, caller, ("star_campaign", id, p), can_read_issued(caller, p), issued_need(caller, need, p)).await?;
    Ok(c)
}

/// What is issued at `path` is read by those who read it or a unit below it.
fn issued_need(caller: &Caller, need: Need, path: &str) -> bool {
    need == Need::Read || caller.may(need, path)
}

/// An entry (its branch in the caller's scope), with everything on its
/// page; what the caller may do with it the `may_*` rules say.
pub(crate) async fn entry(state: &AppState, caller: &Caller, id: i64) -> AppResult<EntryDetail> {
    let d = state.store.entry_detail(id).await?;
    let p = &d.entry.unit_path;
    check(state, caller, ("star_entry", id, p), caller.can_read(p), true).await?;
    Ok(d)
}
