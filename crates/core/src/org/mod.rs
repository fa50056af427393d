//! The organization (组织): a tree of party units.
//!
//! Each unit stores its materialized path (`/1/5/23/`: the ids from the root
//! down to itself), so a subtree is one index range scan and a move rewrites
//! the paths under the moved unit in one statement.

pub mod grid;
pub mod person;
pub mod rollup;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::{Checker, Invalid, optional_text, required_text};
use crate::ids::UnitId;

/// What kind of party organization a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 集团党组: the group's leading party group, the root.
    Leadership,
    /// 党委: provincial, municipal or subsidiary committee.
    Committee,
    /// 党总支: general branch.
    GeneralBranch,
    /// 党支部: branch, the unit most figures count.
    Branch,
    /// 党小组: party group inside a branch.
    PartyGroup,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] =
        [UnitKind::Leadership, UnitKind::Committee, UnitKind::GeneralBranch, UnitKind::Branch, UnitKind::PartyGroup];

    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Leadership => "leadership",
            UnitKind::Committee => "committee",
            UnitKind::GeneralBranch => "general_branch",
            UnitKind::Branch => "branch",
            UnitKind::PartyGroup => "party_group",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            UnitKind::Leadership => "党组",
            UnitKind::Committee => "党委",
            UnitKind::GeneralBranch => "党总支",
            UnitKind::Branch => "党支部",
            UnitKind::PartyGroup => "党小组",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            UnitKind::Leadership => "Leading party group",
            UnitKind::Committee => "Committee",
            UnitKind::GeneralBranch => "General branch",
            UnitKind::Branch => "Branch",
            UnitKind::PartyGroup => "Party group",
        }
    }

    /// Accepts the code or either label, as typed in a spreadsheet.
    pub fn parse(value: &str) -> Result<Self, String> {
        let v = value.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.code() == v || k.zh() == v || k.en().eq_ignore_ascii_case(v))
            .or(match v {
                "集团党组" => Some(UnitKind::Leadership),
                "支部" => Some(UnitKind::Branch),
                "总支" => Some(UnitKind::GeneralBranch),
                _ => None,
            })
            .ok_or_else(|| format!("未知的组织类别 “{v}”，应为 党组/党委/党总支/党支部/党小组 (unknown unit kind)"))
    }

    /// Whether a unit of this kind may sit under a unit of kind `parent`.
    pub fn may_be_under(self, parent: UnitKind) -> bool {
        use UnitKind::*;
        match self {
            Leadership => false,
            Committee => matches!(parent, Leadership | Committee),
            GeneralBranch => matches!(parent, Leadership | Committee),
            Branch => matches!(parent, Leadership | Committee | GeneralBranch),
            PartyGroup => matches!(parent, Branch),
        }
    }
}

/// Whether a unit is in operation. Dissolved units stay on record but leave the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    Active,
    Dissolved,
}

impl UnitStatus {
    pub fn code(self) -> &'static str {
        match self {
            UnitStatus::Active => "active",
            UnitStatus::Dissolved => "dissolved",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            UnitStatus::Active => "正常",
            UnitStatus::Dissolved => "已撤销",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        match value.trim() {
            "" | "active" | "正常" => Ok(UnitStatus::Active),
            "dissolved" | "已撤销" | "撤销" => Ok(UnitStatus::Dissolved),
            v => Err(format!("未知的状态 “{v}”，应为 正常/已撤销 (unknown status)")),
        }
    }
}

/// 组织编码: letters, digits, `-`, `_` and `.`, 1–32 characters, unique.
pub fn parse_code(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("不能为空 (required)".into());
    }
    if v.len() > 32 || !v.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
        return Err(format!(
            "组织编码 “{v}” 只能包含字母、数字和 - _ .，最多 32 位 (letters, digits, - _ . only, at most 32)"
        ));
    }
    Ok(v.to_string())
}

/// A unit as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    pub id: UnitId,
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: UnitKind,
    pub parent_id: Option<UnitId>,
    pub path: String,
    pub depth: i32,
    pub sort_order: i32,
    pub founded: Option<Date>,
    pub status: UnitStatus,
}

impl Unit {
    /// Ids from the root down to this unit, itself included.
    pub fn lineage(&self) -> Vec<UnitId> {
        lineage(&self.path)
    }
}

/// The fields a person may set on a unit, validated. The parent and the tree
/// position are handled by create and move, not by edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitFields {
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: UnitKind,
    pub sort_order: i32,
    pub founded: Option<Date>,
    pub status: UnitStatus,
}

/// Unit fields as typed (a form, a JSON body, a spreadsheet row).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UnitInput {
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub sort_order: Option<i32>,
    pub founded: Option<String>,
    pub status: Option<String>,
}

impl UnitInput {
    pub fn validate(&self) -> Result<UnitFields, Invalid> {
        let mut c = Checker::default();
        let code = c.take("code", parse_code(&self.code));
        let name = c.take("name", required_text(&self.name, 100));
        let short_name = c.take("short_name", optional_text(self.short_name.as_deref(), 50));
        let kind = c.take("kind", UnitKind::parse(&self.kind));
        let founded = c.take("founded", crate::date::parse_optional(self.founded.as_deref()));
        let status = c.take("status", UnitStatus::parse(self.status.as_deref().unwrap_or("")));
        c.finish()?;
        Ok(UnitFields {
            code: code.unwrap(),
            name: name.unwrap(),
            short_name: short_name.unwrap(),
            kind: kind.unwrap(),
            sort_order: self.sort_order.unwrap_or(0),
            founded: founded.unwrap(),
            status: status.unwrap(),
        })
    }
}

/// The path of a child of `parent_path` with id `id`; a root when `parent_path` is `None`.
pub fn child_path(parent_path: Option<&str>, id: UnitId) -> String {
    format!("{}{}/", parent_path.unwrap_or("/"), id.0)
}

/// Ids along a path, root first.
pub fn lineage(path: &str) -> Vec<UnitId> {
    path.split('/').filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).map(UnitId).collect()
}

/// The path of a unit's parent (`/1/5/23/` → `/1/5/`); `None` for a root.
pub fn parent_path(path: &str) -> Option<&str> {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(i) if i > 0 => Some(&path[..=i]),
        _ => None,
    }
}

/// Half-open range `[lo, hi)` of the paths in the subtree rooted at `path`
/// (the unit itself included), for an index range scan. Paths hold only
/// digits and `/`; `'0'` is the byte after `'/'`.
pub fn subtree_range(path: &str) -> (String, String) {
    let mut hi = path.trim_end_matches('/').to_string();
    hi.push('0');
    (path.to_string(), hi)
}

/// Whether `path` lies in the subtree rooted at `root_path`.
pub fn in_subtree(path: &str, root_path: &str) -> bool {
    path.starts_with(root_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_paths() {
        assert_eq!(parent_path("/1/5/23/"), Some("/1/5/"));
        assert_eq!(parent_path("/1/5/"), Some("/1/"));
        assert_eq!(parent_path("/1/"), None);
    }

    #[test]
    fn subtree_range_covers_exactly_the_subtree() {
        let (lo, hi) = subtree_range("/1/5/");
        let inside = ["/1/5/", "/1/5/23/", "/1/5/9/77/"];
        let outside = ["/1/", "/1/50/", "/1/51/2/", "/1/4/", "/1/6/"];
        for p in inside {
            assert!(p >= lo.as_str() && p < hi.as_str(), "{p} should be inside");
            assert!(in_subtree(p, "/1/5/"));
        }
        for p in outside {
            assert!(!(p >= lo.as_str() && p < hi.as_str()), "{p} should be outside");
            assert!(!in_subtree(p, "/1/5/"));
        }
    }

    #[test]
    fn lineage_and_child_paths() {
        let p = child_path(Some("/1/5/"), UnitId(23));
        assert_eq!(p, "/1/5/23/");
        assert_eq!(lineage(&p), vec![UnitId(1), UnitId(5), UnitId(23)]);
        assert_eq!(child_path(None, UnitId(1)), "/1/");
    }

    #[test]
    fn kinds_parse_from_labels_and_codes() {
        assert_eq!(UnitKind::parse("党支部").unwrap(), UnitKind::Branch);
        assert_eq!(UnitKind::parse("branch").unwrap(), UnitKind::Branch);
        assert_eq!(UnitKind::parse("General branch").unwrap(), UnitKind::GeneralBranch);
        assert!(UnitKind::parse("支队").is_err());
        assert!(UnitKind::Branch.may_be_under(UnitKind::GeneralBranch));
        assert!(!UnitKind::Committee.may_be_under(UnitKind::Branch));
    }

    #[test]
    fn input_reports_every_bad_field() {
        let input = UnitInput { code: "福建".into(), name: " ".into(), kind: "x".into(), ..Default::default() };
        let err = input.validate().unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["code", "name", "kind"]);
    }
}
