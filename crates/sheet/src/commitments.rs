//! The commitments ledger (党员承诺) as a branch keeps it: one row per
//! commitment — the member, the year, what they promise, by when — with the
//! branch's verdict (核实结果, 核实日期, 核实意见) last. Commitments have no
//! code of their own: an exported row carries the commitment's number
//! (承诺编号), and importing it back changes that commitment; a row without
//! one is a new commitment. Members are named as people are in the other
//! ledgers, by name, with an ID number where a branch has two of one name.

use qizhi_core::commitments::{Commitment, CommitmentFields, CommitmentInput, Status, Verification, VerifyInput};
use qizhi_core::date::iso;
use qizhi_core::person::PersonInput;
use qizhi_core::{FieldError, Invalid};
use time::Date;

use crate::columns::{Sheet, opt, req};
use crate::convert::{code, finish};
use crate::error::FileErrors;
use crate::export::cells;
use crate::import::unique;
use crate::row::Row;
use crate::validate::check;

/// 党员承诺.
pub const COMMITMENTS: Sheet = Sheet {
    kind: "commitments",
    zh: "党员承诺",
    en: "Member commitments",
    columns: &[
        opt("id", "承诺编号", "系统编号，导出时写出，据此更新该项承诺；新承诺留空"),
        req("unit_code", "所在组织编码", "党员所在的党支部，承诺由该支部核实，如 GZ01-001"),
        req("person", "党员姓名", "在所在组织中按姓名查找"),
        opt("id_number", "身份证号", "所在组织有同名党员时填写；个人信息"),
        req("year", "年度", "如 2024"),
        opt("category", "承诺类别", "岗位建功/服务群众/学习提升/创新创效/廉洁自律/其他，默认 其他").one_of(&[
            "岗位建功",
            "服务群众",
            "学习提升",
            "创新创效",
            "廉洁自律",
            "其他",
        ]),
        req("text", "承诺内容", "最多 500 字"),
        opt("due_on", "兑现时限", "如 2024-12-31"),
        opt("progress_note", "进展情况", "最多 1000 字"),
        opt("status", "核实结果", "待核实/已兑现/未兑现；空则不变，新承诺为待核实").one_of(&[
            "待核实",
            "已兑现",
            "未兑现",
        ]),
        opt("verified_on", "核实日期", "空则为导入当天；不能晚于今天"),
        opt("verify_comment", "核实意见", "未兑现时须写明原因"),
        opt("verified_by", "核实人", "导出时写出；导入时不读取，导入的核实记为导入人所作"),
    ],
};

/// The verdict a row states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerVerdict {
    pub status: Status,
    /// Empty: the day of the import, when it is a new verdict.
    pub on: Option<Date>,
    pub comment: Option<String>,
}

/// A valid commitments ledger row; the member stays a name (and an ID
/// number, when given) for the importer to find in the unit.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentLedgerRow {
    /// The commitment the row changes; `None` for a new one.
    pub id: Option<i64>,
    pub unit_code: String,
    pub person: String,
    pub id_number: Option<String>,
    pub fields: CommitmentFields,
    /// `None`: the row states no verdict (a commitment keeps its own).
    pub verdict: Option<LedgerVerdict>,
}

/// Converts and validates one row, reporting every bad cell. A verdict may
/// not be dated after `today`.
pub fn commitment_row(row: &Row, today: Date) -> Result<CommitmentLedgerRow, Invalid> {
    let mut errors = vec![];
    let id = row.get("id").and_then(|v| match v.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            let m = format!("承诺编号应为导出时写出的编号，而不是 “{v}” (the number an export wrote)");
            errors.push(FieldError::new("id", m));
            None
        }
    });
    let unit_code = code(row, "unit_code", true, &mut errors);
    // The name and ID number are checked as a person's are.
    let who = PersonInput {
        name: row.text("person").to_string(),
        category: "正式党员".into(),
        id_number: row.opt("id_number"),
        ..Default::default()
    };
    let id_number = match who.validate() {
        Ok(p) => p.id_number,
        Err(invalid) => {
            let on_person =
                |e: FieldError| if e.field == "name" { FieldError { field: "person".into(), ..e } } else { e };
            errors.extend(invalid.errors.into_iter().map(on_person));
            None
        }
    };
    let verdict = verdict(row, today, &mut errors);
    let input = CommitmentInput {
        year: row.text("year").to_string(),
        text: row.text("text").to_string(),
        category: row.opt("category"),
        due_on: row.opt("due_on"),
        progress_note: row.opt("progress_note"),
    };
    finish(input.validate(), errors, |fields| CommitmentLedgerRow {
        id,
        unit_code: unit_code.unwrap_or_default(),
        person: row.text("person").to_string(),
        id_number,
        fields,
        verdict,
    })
}

/// The verdict columns: a result, or nothing at all. 待核实 carries no date
/// or comment; the others are checked as the commitments board checks them.
fn verdict(row: &Row, today: Date, errors: &mut Vec<FieldError>) -> Option<LedgerVerdict> {
    let (on, comment) = (row.get("verified_on"), row.get("verify_comment"));
    let status = match row.get("status") {
        None if on.is_none() && comment.is_none() => return None,
        None => {
            let m = "填写核实日期或核实意见时，请同时填写核实结果 (a verdict needs its result)";
            errors.push(FieldError::new("status", m));
            return None;
        }
        Some(s) => Status::parse(s).map_err(|m| errors.push(FieldError::new("status", m))).ok()?,
    };
    if status == Status::Pending {
        if on.is_some() || comment.is_some() {
            let m = "待核实的承诺没有核实日期和核实意见 (a pending commitment has no verdict)";
            errors.push(FieldError::new(if on.is_some() { "verified_on" } else { "verify_comment" }, m));
            return None;
        }
        return Some(LedgerVerdict { status, on: None, comment: None });
    }
    let checked = VerifyInput { result: status.code().into(), comment: comment.map(str::to_string) }.validate();
    let comment = match checked {
        Ok((_, comment)) => Some(comment),
        Err(invalid) => {
            let on_columns = |e: FieldError| match e.field.as_str() {
                "result" => FieldError { field: "status".into(), ..e },
                "comment" => FieldError { field: "verify_comment".into(), ..e },
                _ => e,
            };
            errors.extend(invalid.errors.into_iter().map(on_columns));
            None
        }
    };
    let on = match qizhi_core::date::parse_optional(on) {
        Ok(Some(d)) if d > today => {
            errors.push(FieldError::new("verified_on", "核实日期不能晚于今天 (the verdict is dated in the future)"));
            None
        }
        Ok(d) => Some(d),
        Err(m) => {
            errors.push(FieldError::new("verified_on", m));
            None
        }
    };
    Some(LedgerVerdict { status, on: on?, comment: comment? })
}

/// Every row of a commitments ledger checked, and no number twice: the valid
/// rows and every problem, for the importer to add its own to.
pub fn commitments(rows: &[Row], today: Date) -> (Vec<(usize, CommitmentLedgerRow)>, FileErrors) {
    let (valid, mut errors) = check(rows, &COMMITMENTS, |r| commitment_row(r, today));
    let numbers: Vec<(usize, Option<String>)> = valid.iter().map(|(l, c)| (*l, c.id.map(|i| i.to_string()))).collect();
    unique(rows, &COMMITMENTS, &numbers, "id", "承诺编号", |n| n.as_deref(), &mut errors);
    errors.sort();
    (valid, errors)
}

/// The cells of a stored commitment's row: its unit's code, its member's
/// name and (for readers of personal fields) ID number.
pub fn commitment_cells(c: &Commitment, unit_code: &str, person: &str, id_number: Option<&str>) -> Vec<String> {
    let (f, v): (&CommitmentFields, Option<&Verification>) = (&c.fields, c.verification.as_ref());
    cells(&COMMITMENTS, |key| match key {
        "id" => Some(c.id.0.to_string()),
        "unit_code" => Some(unit_code.to_string()),
        "person" => Some(person.to_string()),
        "id_number" => id_number.map(str::to_string),
        "year" => Some(f.year.to_string()),
        "category" => Some(f.category.zh().to_string()),
        "text" => Some(f.text.clone()),
        "due_on" => f.due_on.map(iso),
        "progress_note" => f.progress_note.clone(),
        "status" => Some(c.status.zh().to_string()),
        "verified_on" => v.map(|v| iso(v.on)),
        "verify_comment" => v.and_then(|v| v.comment.clone()),
        "verified_by" => v.map(|v| v.by.clone()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use qizhi_core::commitments::Category;
    use qizhi_core::ids::{CommitmentId, PersonId, UnitId};
    use time::macros::date;

    use super::*;

    const TODAY: Date = date!(2024 - 06 - 30);

    fn row(line: usize, cells: &[(&'static str, &str)]) -> Row {
        Row::new(line, cells.iter().map(|(k, v)| (*k, v.to_string())).collect::<BTreeMap<_, _>>())
    }

    fn good(line: usize) -> Row {
        row(
            line,
            &[
                ("unit_code", "GZ01-001"),
                ("person", "张明"),
                ("year", "2024"),
                ("category", "岗位建功"),
                ("text", "带头完成 5G 基站入网验收"),
                ("status", "已兑现"),
                ("verified_on", "2024-06-01"),
            ],
        )
    }

    #[test]
    fn a_row_becomes_a_commitment_and_its_export_reads_back_the_same() {
        let c = commitment_row(&good(2), TODAY).unwrap();
        assert_eq!((c.id, c.fields.category, c.fields.year), (None, Category::Work, 2024));
        let verdict = c.verdict.clone().unwrap();
        assert_eq!((verdict.status, verdict.on), (Status::Fulfilled, Some(date!(2024 - 06 - 01))));
        let stored = Commitment {
            id: CommitmentId(41),
            person_id: PersonId(1),
            unit_id: UnitId(1),
            fields: c.fields.clone(),
            status: Status::Fulfilled,
            verification: Some(Verification { by: "gz_admin".into(), on: date!(2024 - 06 - 01), comment: None }),
        };
        let cells = commitment_cells(&stored, "GZ01-001", "张明", None);
        let cells: BTreeMap<&'static str, String> =
            COMMITMENTS.columns.iter().zip(cells).filter(|(_, v)| !v.is_empty()).map(|(c, v)| (c.key, v)).collect();
        assert_eq!(cells["verified_by"], "gz_admin");
        let back = commitment_row(&Row::new(2, cells), TODAY).unwrap();
        assert_eq!(back, CommitmentLedgerRow { id: Some(41), ..c });
    }

    #[test]
    fn every_bad_cell_is_named() {
        let bad = row(
            3,
            &[
                ("id", "x1"),
                ("unit_code", "GZ01-001"),
                ("person", ""),
                ("id_number", "123"),
                ("year", "24"),
                ("text", "x"),
                ("status", "未兑现"),
                ("verified_on", "2024-07-01"),
            ],
        );
        let fields: Vec<_> = commitment_row(&bad, TODAY).unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["id", "person", "id_number", "verify_comment", "verified_on", "year"]);
        let pending = row(
            2,
            &[("unit_code", "A"), ("person", "张明"), ("year", "2024"), ("text", "x"), ("verify_comment", "好")],
        );
        let e = commitment_row(&pending, TODAY).unwrap_err();
        assert_eq!(e.errors[0].field, "status", "a comment without a result");
    }

    #[test]
    fn a_number_appears_once() {
        let mut cells: BTreeMap<_, _> = good(2).cells().map(|(k, v)| (k, v.to_string())).collect();
        cells.insert("id", "7".into());
        let (valid, e) = commitments(&[Row::new(2, cells.clone()), good(3), Row::new(4, cells)], TODAY);
        assert_eq!(valid.len(), 3);
        let found: Vec<(usize, &str)> = e.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(found, [(4, "A")], "{e}");
    }

    #[test]
    fn every_category_is_offered() {
        let offered = COMMITMENTS.column("category").unwrap().choices;
        assert!(Category::ALL.iter().all(|c| offered.contains(&c.zh())));
        for v in COMMITMENTS.column("status").unwrap().choices {
            assert!(Status::parse(v).is_ok(), "{v}");
        }
    }
}
