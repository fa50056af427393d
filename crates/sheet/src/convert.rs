//! Rows of the four ledgers as `qizhi_core` inputs, and validated.
//!
//! The `*_input` functions only move text into the core's input structs; the
//! `*_row` functions also validate, collecting every problem of the row.

use qizhi_core::grid::{GridFields, GridInput, ScenarioFields, ScenarioInput};
use qizhi_core::org::{UnitFields, UnitInput, parse_code};
use qizhi_core::person::{PersonFields, PersonInput};
use qizhi_core::{FieldError, Invalid};

use crate::columns::Sheet;
use crate::row::Row;

/// A unit row: the unit's fields (`sort_order` parsed) and its parent's code.
/// Fails only when `sort_order` is not a whole number.
pub fn unit_input(row: &Row) -> Result<(UnitInput, Option<String>), Invalid> {
    let sort_order = sort_order(row).map_err(|e| Invalid { errors: vec![e] })?;
    Ok((unit_input_with(row, sort_order), row.opt("parent_code")))
}

fn unit_input_with(row: &Row, sort_order: Option<i32>) -> UnitInput {
    UnitInput {
        code: row.text("code").to_string(),
        name: row.text("name").to_string(),
        short_name: row.opt("short_name"),
        kind: row.text("kind").to_string(),
        sort_order,
        founded: row.opt("founded"),
        status: row.opt("status"),
    }
}

/// A person row: the code of the person's unit and the person.
pub fn person_input(row: &Row) -> (String, PersonInput) {
    let input = PersonInput {
        name: row.text("name").to_string(),
        gender: row.opt("gender"),
        category: row.text("category").to_string(),
        join_date: row.opt("join_date"),
        post: row.opt("post"),
        birth_date: row.opt("birth_date"),
        phone: row.opt("phone"),
        id_number: row.opt("id_number"),
    };
    (row.text("unit_code").to_string(), input)
}

/// A grid row: the owning unit's code, the grid, and the code of the unit
/// whose contact point (支部联系点) covers it.
pub fn grid_input(row: &Row) -> (String, GridInput, Option<String>) {
    let input = GridInput { code: row.text("code").to_string(), name: row.text("name").to_string() };
    (row.text("unit_code").to_string(), input, row.opt("contact_unit_code"))
}

/// A scenario row: the owning unit's code and the scenario.
pub fn scenario_input(row: &Row) -> (String, ScenarioInput) {
    let input = ScenarioInput {
        code: row.text("code").to_string(),
        name: row.text("name").to_string(),
        description: row.opt("description"),
    };
    (row.text("unit_code").to_string(), input)
}

/// A valid unit row.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    pub fields: UnitFields,
    /// `None` only for the root.
    pub parent_code: Option<String>,
}

/// A valid person row.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRow {
    pub unit_code: String,
    pub fields: PersonFields,
}

/// A valid grid row.
#[derive(Debug, Clone, PartialEq)]
pub struct GridRow {
    pub unit_code: String,
    pub fields: GridFields,
    pub contact_unit_code: Option<String>,
}

/// A valid scenario row.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioRow {
    pub unit_code: String,
    pub fields: ScenarioFields,
}

/// Converts and validates a unit row, reporting every bad cell.
pub fn unit_row(row: &Row) -> Result<UnitRow, Invalid> {
    let mut errors = Vec::new();
    let sort_order = sort_order(row).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let fields = unit_input_with(row, sort_order).validate();
    let parent_code = code(row, "parent_code", false, &mut errors);
    finish(fields, errors, |fields| UnitRow { fields, parent_code })
}

/// Converts and validates a person row, reporting every bad cell.
pub fn person_row(row: &Row) -> Result<PersonRow, Invalid> {
    let mut errors = Vec::new();
    let unit_code = code(row, "unit_code", true, &mut errors);
    let fields = person_input(row).1.validate();
    finish(fields, errors, |fields| PersonRow { unit_code: unit_code.unwrap_or_default(), fields })
}

/// Converts and validates a grid row, reporting every bad cell.
pub fn grid_row(row: &Row) -> Result<GridRow, Invalid> {
    let mut errors = Vec::new();
    let unit_code = code(row, "unit_code", true, &mut errors);
    let contact_unit_code = code(row, "contact_unit_code", false, &mut errors);
    let fields = grid_input(row).1.validate();
    finish(fields, errors, |fields| GridRow { unit_code: unit_code.unwrap_or_default(), fields, contact_unit_code })
}

/// Converts and validates a scenario row, reporting every bad cell.
pub fn scenario_row(row: &Row) -> Result<ScenarioRow, Invalid> {
    let mut errors = Vec::new();
    let unit_code = code(row, "unit_code", true, &mut errors);
    let fields = scenario_input(row).1.validate();
    finish(fields, errors, |fields| ScenarioRow { unit_code: unit_code.unwrap_or_default(), fields })
}

/// Joins the core's verdict on the fields with the problems found in the
/// other cells of the row.
pub(crate) fn finish<F, T>(
    fields: Result<F, Invalid>,
    mut errors: Vec<FieldError>,
    make: impl FnOnce(F) -> T,
) -> Result<T, Invalid> {
    match fields {
        Ok(f) if errors.is_empty() => Ok(make(f)),
        Ok(_) => Err(Invalid { errors }),
        Err(invalid) => {
            errors.extend(invalid.errors);
            Err(Invalid { errors })
        }
    }
}

/// `排序`: empty, or a whole number.
fn sort_order(row: &Row) -> Result<Option<i32>, FieldError> {
    let Some(text) = row.get("sort_order") else {
        return Ok(None);
    };
    text.parse::<i32>().map(Some).map_err(|_| {
        FieldError::new("sort_order", format!("排序应为整数，而不是 “{text}” (sort order must be a whole number)"))
    })
}

/// A unit code in column `key`, checked like the code of a unit.
pub(crate) fn code(row: &Row, key: &str, required: bool, errors: &mut Vec<FieldError>) -> Option<String> {
    match row.get(key) {
        None if !required => None,
        value => match parse_code(value.unwrap_or("")) {
            Ok(code) => Some(code),
            Err(message) => {
                errors.push(FieldError::new(key, message));
                None
            }
        },
    }
}

/// A status column beside the date that ends a record (a fortress's
/// 撤销日期, a team's 解散日期): `words` are the open status and the ended
/// one. The date decides; an empty status agrees with any date, a stated
/// one must agree with the row's date.
pub(crate) fn ended_status(
    row: &Row,
    sheet: &Sheet,
    end_key: &str,
    [open, ended]: [&str; 2],
    errors: &mut Vec<FieldError>,
) {
    let Some(status) = row.get("status") else { return };
    let end = sheet.column(end_key).map_or(end_key, |c| c.zh);
    let message = match (status, row.get(end_key).is_some()) {
        (s, true) if s == open => format!("填写了{end}即为“{ended}” (an end date means it has ended)"),
        (s, false) if s == ended => format!("“{ended}”须填写{end} (say when it ended)"),
        (s, _) if s == open || s == ended => return,
        (s, _) => format!("未知的状态 “{s}”，应为 {open}/{ended} (unknown status)"),
    };
    errors.push(FieldError::new("status", message));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn row(cells: &[(&'static str, &str)]) -> Row {
        let cells: BTreeMap<_, _> = cells.iter().map(|(k, v)| (*k, v.to_string())).collect();
        Row::new(2, cells)
    }

    #[test]
    fn a_unit_row_becomes_fields_and_parent() {
        let r = row(&[
            ("code", "FJ01"),
            ("name", "福州市分公司党委"),
            ("kind", "党委"),
            ("parent_code", "FJ"),
            ("sort_order", "-3"),
            ("founded", "2001/7/1"),
        ]);
        let u = unit_row(&r).unwrap();
        assert_eq!(u.parent_code.as_deref(), Some("FJ"));
        assert_eq!(u.fields.sort_order, -3);
        assert_eq!(u.fields.founded.map(qizhi_core::date::iso).as_deref(), Some("2001-07-01"));
        let (input, parent) = unit_input(&r).unwrap();
        assert_eq!((input.code.as_str(), parent.as_deref()), ("FJ01", Some("FJ")));
    }

    #[test]
    fn every_bad_cell_of_a_row_is_reported() {
        let r = row(&[("code", "福建"), ("kind", "党委"), ("sort_order", "1.5"), ("parent_code", "F J")]);
        let fields: Vec<_> = unit_row(&r).unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["sort_order", "parent_code", "code", "name"]);
        assert_eq!(unit_input(&r).unwrap_err().errors[0].field, "sort_order");
    }

    #[test]
    fn people_grids_and_scenarios_need_a_unit_code() {
        let p = person_row(&row(&[("name", "张三"), ("category", "正式党员")])).unwrap_err();
        assert_eq!(p.errors[0].field, "unit_code");
        let g = grid_row(&row(&[
            ("unit_code", "NM01"),
            ("code", "G1"),
            ("name", "新城区"),
            ("contact_unit_code", "NM0101"),
        ]))
        .unwrap();
        assert_eq!(g.contact_unit_code.as_deref(), Some("NM0101"));
        let s = scenario_row(&row(&[("unit_code", "GZ"), ("code", "S1"), ("name", "基站")])).unwrap();
        assert_eq!(s.fields.description, None);
    }
}
