//! Roles and grants: who may do what, over which subtree.

use serde::{Deserialize, Serialize};

/// A role, held over a unit's subtree (the scope) by a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: everything, everywhere.
    SystemAdmin,
    /// 党务管理员: manages records, users and settings in scope.
    UnitAdmin,
    /// 审核人: approves what units below submit.
    Reviewer,
    /// 党员: their own commitments, hours and profile.
    Member,
    /// 领导/纪检: reads everything in scope, changes nothing.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::SystemAdmin, Role::UnitAdmin, Role::Reviewer, Role::Member, Role::Viewer];

    pub fn code(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::UnitAdmin => "unit_admin",
            Role::Reviewer => "reviewer",
            Role::Member => "member",
            Role::Viewer => "viewer",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Role::SystemAdmin => "系统管理员",
            Role::UnitAdmin => "党务管理员",
            Role::Reviewer => "审核人",
            Role::Member => "党员",
            Role::Viewer => "查阅人（领导/纪检）",
        }
    }

    pub fn parse(value: &str) -> Result<Role, String> {
        let v = value.trim();
        Self::ALL.into_iter().find(|r| r.code() == v || r.zh() == v).ok_or_else(|| {
            format!("未知的角色 “{v}”，应为 system_admin/unit_admin/reviewer/member/viewer (unknown role)")
        })
    }

    /// Whether the role may change records in its scope.
    pub fn may_edit_records(self) -> bool {
        matches!(self, Role::SystemAdmin | Role::UnitAdmin)
    }

    /// Whether the role may approve, return or score what units in its scope
    /// submit (brand applications, evaluation scores, commitments). A unit
    /// admin prepares and submits; a reviewer decides.
    pub fn may_review(self) -> bool {
        matches!(self, Role::SystemAdmin | Role::Reviewer)
    }

    /// Whether the role may read every record (not only the holder's own) in its scope.
    pub fn may_read_scope(self) -> bool {
        !matches!(self, Role::Member)
    }

    /// Whether the role may read the audit trail of its scope (who changed what).
    pub fn may_read_audit(self) -> bool {
        matches!(self, Role::SystemAdmin | Role::UnitAdmin | Role::Viewer)
    }

    /// Whether the role may see personal fields (phone, ID number, birth date) in its scope.
    pub fn may_see_personal(self) -> bool {
        matches!(self, Role::SystemAdmin | Role::UnitAdmin)
    }
}

/// What a caller wants with a record held at some unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Open it: whoever reads the unit's subtree.
    Read,
    /// Change it: the unit's admins.
    Edit,
    /// Decide on what the unit submitted (approve, return, confirm, move
    /// down): reviewers of the unit's **parent**, so nobody decides on their
    /// own unit's application; a root's, only a system admin.
    Decide,
    /// See personal fields (phone, ID number, birth date).
    SeePersonal,
}

impl Need {
    /// Whether a role may do this at all (its scope aside).
    pub fn allowed(self, role: Role) -> bool {
        match self {
            Need::Read => role.may_read_scope(),
            Need::Edit => role.may_edit_records(),
            Need::Decide => role.may_review(),
            Need::SeePersonal => role.may_see_personal(),
        }
    }

    /// The unit a grant must cover for this need on a record at `path`:
    /// the unit itself, or its parent for a decision (`None` at a root).
    pub fn at(self, path: &str) -> Option<&str> {
        match self {
            Need::Decide => crate::org::parent_path(path),
            _ => Some(path),
        }
    }
}

/// Whether a grant of `role` over the subtree at `scope` (a system admin's
/// has none: everywhere) covers the unit at `path`.
pub fn covers(role: Role, scope: Option<&str>, path: &str) -> bool {
    role == Role::SystemAdmin || scope.is_some_and(|s| path.starts_with(s))
}

/// Whether some grant — (role, subtree) — meets `need` on a record at `path`.
pub fn may<'a>(grants: impl IntoIterator<Item = (Role, Option<&'a str>)>, need: Need, path: &str) -> bool {
    let at = need.at(path);
    grants.into_iter().any(|(role, scope)| {
        need.allowed(role) && (role == Role::SystemAdmin || at.is_some_and(|at| covers(role, scope, at)))
    })
}

/// Password rules: at least 10 characters with letters and digits.
pub fn check_password(password: &str) -> Result<(), String> {
    let long = password.chars().count() >= 10;
    let letters = password.chars().any(|c| c.is_alphabetic());
    let digits = password.chars().any(|c| c.is_ascii_digit());
    if long && letters && digits {
        Ok(())
    } else {
        Err("密码至少 10 位，且须同时包含字母和数字 (at least 10 characters, with letters and digits)".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()).unwrap(), r);
            assert_eq!(Role::parse(r.zh()).unwrap(), r);
        }
        assert!(!Role::Viewer.may_edit_records());
        assert!(Role::Viewer.may_read_scope());
        assert!(Role::Reviewer.may_review() && !Role::UnitAdmin.may_review() && !Role::Viewer.may_review());
    }

    #[test]
    fn needs_are_met_inside_the_scope_only() {
        let admin = [(Role::UnitAdmin, Some("/1/5/"))];
        assert!(may(admin, Need::Edit, "/1/5/23/"));
        assert!(may(admin, Need::Read, "/1/5/"));
        assert!(!may(admin, Need::Edit, "/1/6/"), "outside the subtree");
        assert!(!may(admin, Need::Decide, "/1/5/23/"), "admins prepare, reviewers decide");
        assert!(may(admin, Need::SeePersonal, "/1/5/23/"));
        let viewer = [(Role::Viewer, Some("/1/"))];
        assert!(may(viewer, Need::Read, "/1/5/") && !may(viewer, Need::Edit, "/1/5/"));
        assert!(!may(viewer, Need::SeePersonal, "/1/5/"));
        let member = [(Role::Member, Some("/1/5/23/"))];
        assert!(!may(member, Need::Read, "/1/5/23/"), "members read their own records only");
    }

    #[test]
    fn decisions_are_taken_at_the_parent() {
        let reviewer = [(Role::Reviewer, Some("/1/5/"))];
        assert!(may(reviewer, Need::Decide, "/1/5/23/"), "a unit below the reviewer's");
        assert!(!may(reviewer, Need::Decide, "/1/5/"), "never the reviewer's own unit");
        assert!(!may([(Role::Reviewer, Some("/1/"))], Need::Decide, "/1/"), "a root's: a system admin only");
        assert!(may([(Role::SystemAdmin, None)], Need::Decide, "/1/"));
    }

    #[test]
    fn passwords() {
        assert!(check_password("qizhi-2026-demo").is_ok());
        assert!(check_password("short1").is_err());
        assert!(check_password("onlyletterslong").is_err());
    }
}
