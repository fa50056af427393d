//! The fortress ledger (堡垒插旗) as party workers keep it: one row per
//! fortress — the unit that set it up, the production scenario or grid it
//! stands on, its dates and leader — with its flag (旗帜名称, 插旗日期, 旗手)
//! last. Fortresses are matched by 堡垒编码, so a ledger exported, edited and
//! imported again changes the fortresses it names. Leaders are people's
//! names, for the importer to find on the unit's line.

use qizhi_core::date::iso;
use qizhi_core::error::required_text;
use qizhi_core::tasks::{Fortress, FortressFields, FortressInput};
use qizhi_core::{FieldError, Invalid};
use time::Date;

use crate::columns::{Sheet, opt, req};
use crate::convert::{code, ended_status, finish};
use crate::error::FileErrors;
use crate::export::cells;
use crate::import::unique;
use crate::row::Row;
use crate::validate::check;

/// 堡垒插旗.
pub const FORTRESSES: Sheet = Sheet {
    kind: "fortresses",
    zh: "堡垒插旗",
    en: "Fortress flags",
    columns: &[
        req("code", "堡垒编码", "唯一，如 GZ01-001-F01；新堡垒自拟一个未用过的编码"),
        req("unit_code", "所属组织编码", "建立堡垒的组织，如 GZ01-001"),
        req("name", "堡垒名称", "如 5G 基站建设堡垒"),
        opt("scenario_code", "生产场景编码", "堡垒所在的生产场景；与网格编码至少填一项"),
        opt("grid_code", "网格编码", "堡垒所在的网格；在用的堡垒使该网格计入覆盖"),
        req("set_up_on", "建立日期", "如 2024-03-01"),
        opt("closed_on", "撤销日期", "撤销后填写，可空"),
        opt("status", "状态", "在用/已撤销；空则按撤销日期").one_of(&STATUS),
        opt("leader", "负责人", "姓名，在所属组织及其上下级组织中查找"),
        opt("description", "说明", "可空，最多 500 字"),
        opt("flag_name", "旗帜名称", "插旗后填写；旗帜三列都空时已插的旗帜保持不变"),
        opt("flag_planted_on", "插旗日期", "如 2024-03-15，在建立日期和撤销日期之间"),
        opt("flag_leader", "旗手", "姓名，可空"),
    ],
};

/// 状态: standing, then closed (the words of the fortress pages).
const STATUS: [&str; 2] = ["在用", "已撤销"];

/// The flag a ledger row states; its leader is a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerFlag {
    pub name: String,
    pub planted_on: Date,
    pub leader: Option<String>,
}

/// A valid fortress ledger row; references stay codes and names for the
/// store (and the importer) to resolve.
#[derive(Debug, Clone, PartialEq)]
pub struct FortressLedgerRow {
    pub unit_code: String,
    /// Scenario, grid and leader are empty here; see the fields below.
    pub fields: FortressFields,
    pub scenario_code: Option<String>,
    pub grid_code: Option<String>,
    pub leader: Option<String>,
    /// `None`: the row names no flag (a planted one stays).
    pub flag: Option<LedgerFlag>,
}

/// Converts and validates one row, reporting every bad cell.
pub fn fortress_row(row: &Row) -> Result<FortressLedgerRow, Invalid> {
    let mut errors = vec![];
    let unit_code = code(row, "unit_code", true, &mut errors);
    let scenario_code = code(row, "scenario_code", false, &mut errors);
    let grid_code = code(row, "grid_code", false, &mut errors);
    ended_status(row, &FORTRESSES, "closed_on", STATUS, &mut errors);
    let input = FortressInput {
        code: row.text("code").to_string(),
        name: row.text("name").to_string(),
        // The ground is named by code here; any id says that one is given.
        scenario_id: row.get("scenario_code").map(|_| 0),
        grid_id: row.get("grid_code").map(|_| 0),
        set_up_on: row.text("set_up_on").to_string(),
        closed_on: row.opt("closed_on"),
        leader_id: None,
        description: row.opt("description"),
    };
    let fields = input.validate().map(|f| FortressFields { scenario_id: None, grid_id: None, ..f }).map_err(|e| {
        let on_codes = |f: FieldError| match f.field.as_str() {
            "scenario_id" => FieldError { field: "scenario_code".into(), ..f },
            "grid_id" => FieldError { field: "grid_code".into(), ..f },
            _ => f,
        };
        Invalid { errors: e.errors.into_iter().map(on_codes).collect() }
    });
    let flag = flag(row, fields.as_ref().ok(), &mut errors);
    finish(fields, errors, |fields| FortressLedgerRow {
        unit_code: unit_code.unwrap_or_default(),
        fields,
        scenario_code,
        grid_code,
        leader: row.opt("leader"),
        flag,
    })
}

/// The flag columns: all empty, or a name and a date that fits the fortress's.
fn flag(row: &Row, fortress: Option<&FortressFields>, errors: &mut Vec<FieldError>) -> Option<LedgerFlag> {
    let (name, planted_on) = match (row.get("flag_name"), row.get("flag_planted_on"), row.get("flag_leader")) {
        (None, None, None) => return None,
        (name, on, _) => (name.unwrap_or(""), on.unwrap_or("")),
    };
    let name = required_text(name, 100).map_err(|m| errors.push(FieldError::new("flag_name", m))).ok();
    let planted_on =
        qizhi_core::date::parse(planted_on).map_err(|m| errors.push(FieldError::new("flag_planted_on", m))).ok();
    if let (Some(on), Some(f)) = (planted_on, fortress) {
        if on < f.set_up_on {
            let m = "插旗日期不能早于堡垒建立日期 (planted before the fortress was set up)";
            errors.push(FieldError::new("flag_planted_on", m));
        }
        if f.closed_on.is_some_and(|c| c < on) {
            let m = "插旗日期不能晚于堡垒撤销日期 (planted after the fortress was closed)";
            errors.push(FieldError::new("flag_planted_on", m));
        }
    }
    Some(LedgerFlag { name: name?, planted_on: planted_on?, leader: row.opt("flag_leader") })
}

/// Every row of a fortress ledger checked, and no code twice: the valid rows
/// and every problem, so the importer can add the problems it finds in the
/// valid rows to one report.
pub fn fortresses(rows: &[Row]) -> (Vec<(usize, FortressLedgerRow)>, FileErrors) {
    let (valid, mut errors) = check(rows, &FORTRESSES, fortress_row);
    unique(rows, &FORTRESSES, &valid, "code", "堡垒编码", |f| Some(f.fields.code.as_str()), &mut errors);
    errors.sort();
    (valid, errors)
}

/// A stored fortress as the cells of a ledger row: the codes of its unit and
/// ground, and the names of its leader and flag leader.
pub struct FortressCells<'a> {
    pub fortress: &'a Fortress,
    pub unit_code: &'a str,
    pub scenario_code: Option<&'a str>,
    pub grid_code: Option<&'a str>,
    pub leader: Option<&'a str>,
    pub flag_leader: Option<&'a str>,
}

/// The cells of a fortress row, in the sheet's column order, as a person
/// would type them, so the export imports back unchanged.
pub fn fortress_cells(c: &FortressCells) -> Vec<String> {
    let (f, flag) = (&c.fortress.fields, c.fortress.flag.as_ref());
    let text = |v: Option<&str>| v.map(str::to_string);
    cells(&FORTRESSES, |key| match key {
        "code" => Some(f.code.clone()),
        "unit_code" => text(Some(c.unit_code)),
        "name" => Some(f.name.clone()),
        "scenario_code" => text(c.scenario_code),
        "grid_code" => text(c.grid_code),
        "set_up_on" => Some(iso(f.set_up_on)),
        "closed_on" => f.closed_on.map(iso),
        "status" => Some(STATUS[usize::from(f.closed_on.is_some())].to_string()),
        "leader" => text(c.leader),
        "description" => f.description.clone(),
        "flag_name" => flag.map(|g| g.name.clone()),
        "flag_planted_on" => flag.map(|g| iso(g.planted_on)),
        "flag_leader" => text(c.flag_leader),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use qizhi_core::ids::{FortressId, UnitId};
    use qizhi_core::tasks::Flag;
    use time::macros::date;

    use super::*;

    fn row(line: usize, cells: &[(&'static str, &str)]) -> Row {
        Row::new(line, cells.iter().map(|(k, v)| (*k, v.to_string())).collect::<BTreeMap<_, _>>())
    }

    fn good(line: usize, code: &str) -> Row {
        row(
            line,
            &[
                ("code", code),
                ("unit_code", "GZ01-001"),
                ("name", "5G 基站建设堡垒"),
                ("grid_code", "GZ-G01"),
                ("set_up_on", "2024/3/1"),
                ("leader", "张明"),
                ("flag_name", "党员先锋旗"),
                ("flag_planted_on", "2024-03-15"),
            ],
        )
    }

    #[test]
    fn a_row_becomes_a_fortress_and_its_export_reads_back_the_same() {
        let f = fortress_row(&good(2, "GZ-F1")).unwrap();
        assert_eq!((f.fields.code.as_str(), f.fields.set_up_on), ("GZ-F1", date!(2024 - 03 - 01)));
        assert_eq!((f.grid_code.as_deref(), f.fields.grid_id), (Some("GZ-G01"), None));
        assert_eq!(f.flag.as_ref().map(|g| g.planted_on), Some(date!(2024 - 03 - 15)));
        let stored = Fortress {
            id: FortressId(7),
            unit_id: UnitId(3),
            fields: f.fields.clone(),
            flag: f.flag.as_ref().map(|g| Flag { name: g.name.clone(), planted_on: g.planted_on, leader_id: None }),
        };
        let cells = fortress_cells(&FortressCells {
            fortress: &stored,
            unit_code: &f.unit_code,
            scenario_code: None,
            grid_code: f.grid_code.as_deref(),
            leader: f.leader.as_deref(),
            flag_leader: None,
        });
        assert_eq!(cells.len(), FORTRESSES.columns.len());
        let cells: BTreeMap<&'static str, String> =
            FORTRESSES.columns.iter().zip(cells).filter(|(_, v)| !v.is_empty()).map(|(c, v)| (c.key, v)).collect();
        assert_eq!(cells["status"], "在用");
        assert_eq!(fortress_row(&Row::new(2, cells)).unwrap(), f);
    }

    #[test]
    fn every_bad_cell_is_named_and_codes_are_unique() {
        let bad = row(
            3,
            &[
                ("code", "堡垒"),
                ("unit_code", "GZ01"),
                ("name", "x"),
                ("set_up_on", "2024-03-01"),
                ("closed_on", "2024-02-01"),
                ("status", "在用"),
                ("flag_planted_on", "2024-01-01"),
            ],
        );
        let fields: Vec<_> = fortress_row(&bad).unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["status", "flag_name", "code", "scenario_code", "closed_on"]);
        let (valid, e) = fortresses(&[good(2, "A"), good(3, "A")]);
        assert_eq!(valid.len(), 2, "both rows are valid on their own");
        let found: Vec<(usize, &str)> = e.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(found, [(3, "A")], "{e}");
    }

    #[test]
    fn a_flag_fits_between_the_fortress_dates() {
        let mut cells: BTreeMap<_, _> = good(2, "F").cells().map(|(k, v)| (k, v.to_string())).collect();
        cells.insert("closed_on", "2024-03-10".into());
        cells.insert("status", "已撤销".into());
        let e = fortress_row(&Row::new(2, cells.clone())).unwrap_err();
        assert_eq!(e.errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["flag_planted_on"]);
        // A flag planted before the fortress closed stays on its record.
        cells.insert("closed_on", "2024-06-30".into());
        assert_eq!(fortress_row(&Row::new(2, cells.clone())).unwrap().fields.closed_on, Some(date!(2024 - 06 - 30)));
        cells.remove("closed_on");
        let e = fortress_row(&Row::new(2, cells)).unwrap_err();
        assert!(e.errors[0].message.contains("撤销日期"), "{e}");
    }

    #[test]
    fn status_choices_are_the_words_the_pages_use() {
        assert_eq!(FORTRESSES.column("status").unwrap().choices, STATUS);
    }
}
