//! Who may read and change schemes, campaigns and entries; shared by the
//! stars pages and the stars API. Denials are recorded in the audit trail:
//! 404 outside the caller's scope, 403 inside it without the right.

use axum::response::{IntoResponse, Redirect, Response};
use qizhi_core::ids::UnitId;
use qizhi_core::org::lineage;
use qizhi_store::stars::{Campaign, Entry, EntryDetail, ReviewScope, Scheme};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, PageError};

/// The path of a unit's parent (`/1/5/23/` → `/1/5/`); a root is its own.
pub(crate) fn parent_path(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(i) if i > 0 => trimmed[..=i].to_string(),
        _ => path.to_string(),
    }
}

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
    if level == 2 { caller.can_review(&campaign.unit_path) } else { caller.can_review(&parent_path(&entry.unit_path)) }
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

/// A scheme the caller may read, or 404.
pub(crate) async fn readable_scheme(state: &AppState, caller: &Caller, id: i64) -> Result<Scheme, AppError> {
    let s = state.store.scheme(id).await?;
    if can_read_issued(caller, &s.unit_path) {
        Ok(s)
    } else {
        Err(caller.deny(state, "star_scheme", id, Some(&s.unit_path), AppError::not_found()).await)
    }
}

/// A scheme the caller may edit (admin of its issuer): 404 / 403.
pub(crate) async fn editable_scheme(state: &AppState, caller: &Caller, id: i64) -> Result<Scheme, AppError> {
    let s = readable_scheme(state, caller, id).await?;
    if caller.can_edit(&s.unit_path) {
        Ok(s)
    } else {
        Err(caller.deny(state, "star_scheme", id, Some(&s.unit_path), AppError::forbidden()).await)
    }
}

pub(crate) async fn readable_campaign(state: &AppState, caller: &Caller, id: i64) -> Result<Campaign, AppError> {
    let c = state.store.campaign(id).await?;
    if can_read_issued(caller, &c.unit_path) {
        Ok(c)
    } else {
        Err(caller.deny(state, "star_campaign", id, Some(&c.unit_path), AppError::not_found()).await)
    }
}

/// A campaign the caller runs (admin of its unit): 404 / 403.
pub(crate) async fn managed_campaign(state: &AppState, caller: &Caller, id: i64) -> Result<Campaign, AppError> {
    let c = readable_campaign(state, caller, id).await?;
    if may_manage(caller, &c) {
        Ok(c)
    } else {
        Err(caller.deny(state, "star_campaign", id, Some(&c.unit_path), AppError::forbidden()).await)
    }
}

/// An entry the caller may read (its branch is in scope), with everything on its page.
pub(crate) async fn readable_entry(state: &AppState, caller: &Caller, id: i64) -> Result<EntryDetail, AppError> {
    let d = state.store.entry_detail(id).await?;
    if caller.can_read(&d.entry.unit_path) {
        Ok(d)
    } else {
        Err(caller.deny(state, "star_entry", id, Some(&d.entry.unit_path), AppError::not_found()).await)
    }
}

/// Refuses (403, recorded) unless `allowed`.
pub(crate) async fn require(
    state: &AppState,
    caller: &Caller,
    allowed: bool,
    kind: &'static str,
    id: i64,
    path: &str,
) -> Result<(), AppError> {
    if allowed { Ok(()) } else { Err(caller.deny(state, kind, id, Some(path), AppError::forbidden()).await) }
}

/// A 303 to `to`, after a form.
pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// Turns a form's validation error into the messages a page lists, and
/// anything else into the error page.
pub(crate) fn form_errors(e: AppError) -> Result<Vec<String>, PageError> {
    match e {
        AppError::Invalid(fields) => Ok(fields.into_iter().map(|f| f.message).collect()),
        e => Err(PageError(e)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn parents_of_paths() {
        assert_eq!(super::parent_path("/1/5/23/"), "/1/5/");
        assert_eq!(super::parent_path("/1/"), "/1/");
    }
}
