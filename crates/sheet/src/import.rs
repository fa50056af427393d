//! A whole file of each ledger, validated and ready to apply: every row valid
//! and the rows consistent with each other (no code twice; for units, parents
//! before children and no cycles). What exists in the database is the
//! store's to check.

use std::collections::HashMap;

use qizhi_core::org::UnitKind;

use crate::columns::{GRIDS, PEOPLE, SCENARIOS, Sheet, UNITS};
use crate::convert::{GridRow, PersonRow, ScenarioRow, UnitRow, grid_row, person_row, scenario_row, unit_row};
use crate::error::{CellError, FileErrors};
use crate::row::Row;
use crate::validate::{check, row_at};

/// The unit rows of a file, parents first: a row whose parent is another row
/// of the file comes after that row. Parents not in the file must already exist.
pub fn units(rows: &[Row]) -> Result<Vec<(usize, UnitRow)>, FileErrors> {
    let (valid, mut errors) = check(rows, &UNITS, unit_row);
    let mut report = |line: usize, key: &str, message: String| {
        errors.push(error_at(rows, &UNITS, line, key, message));
    };
    let order = parents_first(&valid, &mut report);
    errors.sort();
    let mut slots: Vec<Option<(usize, UnitRow)>> = valid.into_iter().map(Some).collect();
    let ordered = order.iter().filter_map(|&i| slots.get_mut(i).and_then(Option::take)).collect();
    errors.into_result(ordered)
}

/// The person rows of a file. An ID number may appear only once.
pub fn people(rows: &[Row]) -> Result<Vec<(usize, PersonRow)>, FileErrors> {
    let (valid, mut errors) = check(rows, &PEOPLE, person_row);
    unique(rows, &PEOPLE, &valid, "id_number", "身份证号", |p| p.fields.id_number.as_deref(), &mut errors);
    errors.sort();
    errors.into_result(valid)
}

/// The grid rows of a file. A grid code may appear only once.
pub fn grids(rows: &[Row]) -> Result<Vec<(usize, GridRow)>, FileErrors> {
    let (valid, mut errors) = check(rows, &GRIDS, grid_row);
    unique(rows, &GRIDS, &valid, "code", "网格编码", |g| Some(g.fields.code.as_str()), &mut errors);
    errors.sort();
    errors.into_result(valid)
}

/// The scenario rows of a file. A scenario code may appear only once.
pub fn scenarios(rows: &[Row]) -> Result<Vec<(usize, ScenarioRow)>, FileErrors> {
    let (valid, mut errors) = check(rows, &SCENARIOS, scenario_row);
    unique(rows, &SCENARIOS, &valid, "code", "场景编码", |s| Some(s.fields.code.as_str()), &mut errors);
    errors.sort();
    errors.into_result(valid)
}

pub(crate) fn error_at(rows: &[Row], sheet: &Sheet, line: usize, key: &str, message: String) -> CellError {
    match row_at(rows, line) {
        Some(row) => row.error(sheet, key, message),
        None => CellError { line, ..CellError::file(message) },
    }
}

/// Reports the rows whose `value` repeats an earlier row's.
pub(crate) fn unique<T>(
    rows: &[Row],
    sheet: &Sheet,
    valid: &[(usize, T)],
    key: &str,
    what: &str,
    value: impl Fn(&T) -> Option<&str>,
    errors: &mut FileErrors,
) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (line, item) in valid {
        let Some(v) = value(item) else { continue };
        if let Some(first) = seen.get(v) {
            let message = format!("{what} “{v}” 与第 {first} 行重复 (duplicate of row {first})");
            errors.push(error_at(rows, sheet, *line, key, message));
        } else {
            seen.insert(v, *line);
        }
    }
}

/// The order to apply unit rows in (indices into `units`), reporting
/// duplicate codes, kinds that cannot sit under their parent in the file, and
/// cycles. Whether an empty parent is allowed depends on what exists, so the
/// store decides that.
fn parents_first(units: &[(usize, UnitRow)], report: &mut impl FnMut(usize, &str, String)) -> Vec<usize> {
    let mut by_code: HashMap<&str, usize> = HashMap::new();
    for (i, (line, u)) in units.iter().enumerate() {
        let code = u.fields.code.as_str();
        match by_code.get(code) {
            Some(&first) => {
                report(*line, "code", format!("组织编码 “{code}” 与第 {} 行重复 (duplicate code)", units[first].0))
            }
            None => {
                by_code.insert(code, i);
            }
        }
        match &u.parent_code {
            Some(p) if *p == u.fields.code => {
                report(*line, "parent_code", "上级组织不能是自己 (a unit cannot be its own parent)".into())
            }
            Some(_) if u.fields.kind == UnitKind::Leadership => report(
                *line,
                "parent_code",
                "党组是最上级组织，上级组织编码应为空 (the leading party group has no parent)".into(),
            ),
            _ => {}
        }
    }

    // The parent of each row within the file, if it is there.
    let parent: Vec<Option<usize>> = units
        .iter()
        .map(|(_, u)| {
            let p = u.parent_code.as_deref()?;
            by_code.get(p).copied().filter(|_| p != u.fields.code)
        })
        .collect();
    for (i, p) in parent.iter().enumerate() {
        let (Some(p), (line, u)) = (p, &units[i]) else {
            continue;
        };
        let parent_kind = units[*p].1.fields.kind;
        if u.fields.kind != UnitKind::Leadership && !u.fields.kind.may_be_under(parent_kind) {
            report(
                *line,
                "kind",
                format!(
                    "上级组织 “{}”（第 {} 行）是{}，{}不能设在其下 ({} cannot be under {})",
                    units[*p].1.fields.code,
                    units[*p].0,
                    parent_kind.zh(),
                    u.fields.kind.zh(),
                    u.fields.kind.en(),
                    parent_kind.en(),
                ),
            );
        }
    }

    // Depth within the file: rows whose parent is outside the file are at 0.
    let n = units.len();
    let mut depth = vec![0usize; n];
    let mut done = vec![false; n];
    let mut on_path = vec![false; n];
    for start in 0..n {
        let mut path: Vec<usize> = Vec::new();
        let mut cur = start;
        let base = loop {
            if done[cur] {
                break depth[cur] + 1;
            }
            if on_path[cur] {
                let at = path.iter().position(|&k| k == cur).unwrap_or(0);
                let cycle = &path[at..];
                let mut names: Vec<&str> = cycle.iter().map(|&k| units[k].1.fields.code.as_str()).collect();
                names.push(units[cur].1.fields.code.as_str());
                let message = format!("上级组织形成循环：{} (the parents form a cycle)", names.join(" → "));
                for &k in cycle {
                    report(units[k].0, "parent_code", message.clone());
                }
                break 0;
            }
            on_path[cur] = true;
            path.push(cur);
            match parent[cur] {
                Some(p) => cur = p,
                None => break 0,
            }
        };
        for (d, &k) in (base..).zip(path.iter().rev()) {
            depth[k] = d;
            done[k] = true;
            on_path[k] = false;
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| depth[i]);
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn unit(line: usize, code: &str, kind: &str, parent: &str) -> Row {
        let mut cells =
            BTreeMap::from([("code", code.to_string()), ("name", format!("{code} 名称")), ("kind", kind.to_string())]);
        if !parent.is_empty() {
            cells.insert("parent_code", parent.to_string());
        }
        Row::new(line, cells)
    }

    fn codes(rows: &[Row]) -> Vec<String> {
        units(rows).unwrap().into_iter().map(|(_, u)| u.fields.code).collect()
    }

    #[test]
    fn children_come_after_their_parents_in_the_file() {
        let rows = [
            unit(2, "FJ0101", "党支部", "FJ01"),
            unit(3, "FJ01", "党委", "FJ"),
            unit(4, "FJ", "党委", "ROOT"),
            unit(5, "FJ0102", "党支部", "FJ01"),
            unit(6, "FJ02", "党委", "FJ"),
        ];
        assert_eq!(codes(&rows), ["FJ", "FJ01", "FJ02", "FJ0101", "FJ0102"]);
    }

    #[test]
    fn cycles_duplicates_and_bad_kinds_are_named() {
        let rows = [
            unit(2, "A", "党委", "B"),
            unit(3, "B", "党委", "A"),
            unit(4, "C", "党支部", "C"),
            unit(5, "A", "党委", "ROOT"),
            unit(6, "D", "党委", "E"),
            unit(7, "E", "党支部", "ROOT"),
        ];
        let e = units(&rows).unwrap_err();
        let found: Vec<_> = e.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        // Letters follow the sheet: code is A, kind D, parent_code E.
        assert_eq!(found, [(2, "E"), (3, "E"), (4, "E"), (5, "A"), (6, "D")], "{e}");
        assert!(e.errors[0].message.contains("A → B → A"), "{e}");
    }

    #[test]
    fn the_leading_group_has_no_parent() {
        let rows = [unit(2, "G", "党组", ""), unit(3, "H", "党委", ""), unit(4, "I", "党组", "G")];
        let e = units(&rows).unwrap_err();
        let found: Vec<_> = e.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(found, [(4, "E")], "{e}");
    }

    #[test]
    fn repeated_id_numbers_and_codes_are_reported() {
        let id = qizhi_core::person::id_number_with_check("11010519491231002");
        let person = |line, id: &str| {
            Row::new(
                line,
                BTreeMap::from([
                    ("unit_code", "FJ01".to_string()),
                    ("name", "张三".to_string()),
                    ("category", "党员".to_string()),
                    ("id_number", id.to_string()),
                ]),
            )
        };
        let e = people(&[person(2, &id), person(3, &id.to_lowercase())]).unwrap_err();
        assert_eq!((e.errors[0].line, e.errors[0].column.as_str()), (3, "I"));
        assert!(e.errors[0].message.contains("第 2 行"));

        let grid = |line| {
            Row::new(
                line,
                BTreeMap::from([
                    ("unit_code", "NM".to_string()),
                    ("code", "G1".to_string()),
                    ("name", "网格".to_string()),
                ]),
            )
        };
        assert_eq!(grids(&[grid(2), grid(3)]).unwrap_err().errors[0].line, 3);
    }
}
