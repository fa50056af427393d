//! The team ledger (队伍) as party workers keep it: one row per team — its
//! unit, kind, dates, leader — with its members in one column (成员, names
//! separated by 、), the roster a branch keeps beside its commando and
//! service teams. Teams are matched by 队伍编码; a row's members replace the
//! team's. Leader and members are names, for the importer to find on the
//! team unit's line.

use qizhi_core::Invalid;
use qizhi_core::date::iso;
use qizhi_core::teams::{Team, TeamFields, TeamInput};

use crate::columns::{Sheet, opt, req};
use crate::convert::{code, ended_status, finish};
use crate::error::FileErrors;
use crate::export::cells;
use crate::import::unique;
use crate::row::Row;
use crate::tasks::split_names;
use crate::validate::check;

/// 队伍.
pub const TEAMS: Sheet = Sheet {
    kind: "teams",
    zh: "队伍",
    en: "Teams",
    columns: &[
        req("code", "队伍编码", "唯一，如 GD01-001-T01；新队伍自拟一个未用过的编码"),
        req("unit_code", "所属组织编码", "组建队伍的组织，如 GD01-001"),
        req("name", "队伍名称", "如 5G 建设党员突击队"),
        req("kind", "队伍类别", "突击队/先锋队/服务队/志愿服务队/专家团/青年团").one_of(&[
            "突击队",
            "先锋队",
            "服务队",
            "志愿服务队",
            "专家团",
            "青年团",
        ]),
        opt("founded_on", "成立日期", "如 2024-03-01"),
        opt("disbanded_on", "解散日期", "解散后填写，可空"),
        opt("status", "状态", "在编/已解散；空则按解散日期").one_of(&STATUS),
        opt("leader", "队长", "姓名，在所属组织及其上下级组织中查找"),
        opt("members", "成员", "姓名，多人用、分隔；导入后队伍的成员即为这一格中的人员"),
        opt("description", "说明", "可空，最多 500 字"),
    ],
};

/// 状态: active, then disbanded (the words of the team pages).
const STATUS: [&str; 2] = ["在编", "已解散"];

/// A valid team ledger row; leader and members stay names.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamLedgerRow {
    pub unit_code: String,
    /// The leader is empty here; see `leader`.
    pub fields: TeamFields,
    pub leader: Option<String>,
    /// Each name once, in the order written.
    pub members: Vec<String>,
}

/// Converts and validates one row, reporting every bad cell.
pub fn team_row(row: &Row) -> Result<TeamLedgerRow, Invalid> {
    let mut errors = vec![];
    let unit_code = code(row, "unit_code", true, &mut errors);
    ended_status(row, &TEAMS, "disbanded_on", STATUS, &mut errors);
    let input = TeamInput {
        code: row.text("code").to_string(),
        name: row.text("name").to_string(),
        kind: row.text("kind").to_string(),
        founded_on: row.opt("founded_on"),
        disbanded_on: row.opt("disbanded_on"),
        leader_id: None,
        description: row.opt("description"),
    };
    finish(input.validate(), errors, |fields| TeamLedgerRow {
        unit_code: unit_code.unwrap_or_default(),
        fields,
        leader: row.opt("leader"),
        members: split_names(row.text("members")),
    })
}

/// Every row of a team ledger checked, and no code twice: the valid rows and
/// every problem, for the importer to add its own to.
pub fn teams(rows: &[Row]) -> (Vec<(usize, TeamLedgerRow)>, FileErrors) {
    let (valid, mut errors) = check(rows, &TEAMS, team_row);
    unique(rows, &TEAMS, &valid, "code", "队伍编码", |t| Some(t.fields.code.as_str()), &mut errors);
    errors.sort();
    (valid, errors)
}

/// The cells of a stored team's row, with its unit's code and the names of
/// its leader and members, as a person would type them.
pub fn team_cells(team: &Team, unit_code: &str, leader: Option<&str>, members: &[&str]) -> Vec<String> {
    let f = &team.fields;
    cells(&TEAMS, |key| match key {
        "code" => Some(f.code.clone()),
        "unit_code" => Some(unit_code.to_string()),
        "name" => Some(f.name.clone()),
        "kind" => Some(f.kind.zh().to_string()),
        "founded_on" => f.founded_on.map(iso),
        "disbanded_on" => f.disbanded_on.map(iso),
        "status" => Some(STATUS[usize::from(f.disbanded_on.is_some())].to_string()),
        "leader" => leader.map(str::to_string),
        "members" => Some(members.join("、")),
        "description" => f.description.clone(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use qizhi_core::ids::{TeamId, UnitId};
    use qizhi_core::teams::TeamKind;

    use super::*;

    fn row(line: usize, cells: &[(&'static str, &str)]) -> Row {
        Row::new(line, cells.iter().map(|(k, v)| (*k, v.to_string())).collect::<BTreeMap<_, _>>())
    }

    fn good(line: usize, code: &str) -> Row {
        row(
            line,
            &[
                ("code", code),
                ("unit_code", "GD01-001"),
                ("name", "5G 建设党员突击队"),
                ("kind", "党员突击队"),
                ("founded_on", "2024-03-01"),
                ("leader", "张明"),
                ("members", "张明、李华，王青、李华"),
            ],
        )
    }

    #[test]
    fn a_row_becomes_a_team_with_its_members_and_its_export_reads_back_the_same() {
        let t = team_row(&good(2, "GD-T1")).unwrap();
        assert_eq!((t.fields.kind, t.leader.as_deref()), (TeamKind::Commando, Some("张明")));
        assert_eq!(t.members, ["张明", "李华", "王青"]);
        let stored = Team { id: TeamId(1), unit_id: UnitId(1), fields: t.fields.clone() };
        let members: Vec<&str> = t.members.iter().map(String::as_str).collect();
        let cells = team_cells(&stored, &t.unit_code, t.leader.as_deref(), &members);
        let cells: BTreeMap<&'static str, String> =
            TEAMS.columns.iter().zip(cells).filter(|(_, v)| !v.is_empty()).map(|(c, v)| (c.key, v)).collect();
        assert_eq!((cells["kind"].as_str(), cells["status"].as_str()), ("突击队", "在编"));
        assert_eq!(team_row(&Row::new(2, cells)).unwrap(), t);
    }

    #[test]
    fn every_bad_cell_is_named_and_codes_are_unique() {
        let bad = row(3, &[("code", "T"), ("unit_code", "G D"), ("name", "x"), ("kind", "小组"), ("status", "已解散")]);
        let fields: Vec<_> = team_row(&bad).unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["unit_code", "status", "kind"]);
        let (_, e) = teams(&[good(2, "A"), good(3, "B"), good(4, "A")]);
        let found: Vec<(usize, &str)> = e.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(found, [(4, "A")], "{e}");
    }

    #[test]
    fn kinds_offered_are_kinds_the_core_accepts() {
        for v in TEAMS.column("kind").unwrap().choices {
            assert!(TeamKind::parse(v).is_ok(), "{v}");
        }
        assert_eq!(TEAMS.column("status").unwrap().choices, STATUS);
    }
}
