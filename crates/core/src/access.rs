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
    fn passwords() {
        assert!(check_password("qizhi-2026-demo").is_ok());
        assert!(check_password("short1").is_err());
        assert!(check_password("onlyletterslong").is_err());
    }
}
