//! The task ledger (任务台账) as party workers keep it: one row per task —
//! what it is, who answers for it, by when — with its progress columns
//! (完成进度, 进展日期, 进展情况) last. A ledger exported, edited and imported
//! again updates the tasks it names by 任务编号 and adds a progress entry
//! wherever the progress columns were changed.

use std::collections::HashMap;

use qizhi_core::date::iso;
use qizhi_core::tasks::{TaskFields, TaskInput, check_entry_on, parse_progress};
use qizhi_core::{FieldError, Invalid};
use time::Date;

use crate::columns::{Column, Sheet};
use crate::convert::code;
use crate::error::FileErrors;
use crate::row::Row;
use crate::validate::{check, row_at};

const fn req(key: &'static str, zh: &'static str, hint: &'static str) -> Column {
    Column { key, zh, required: true, hint, choices: &[] }
}

const fn opt(key: &'static str, zh: &'static str, hint: &'static str) -> Column {
    Column { key, zh, required: false, hint, choices: &[] }
}

const fn choice(key: &'static str, zh: &'static str, hint: &'static str, choices: &'static [&'static str]) -> Column {
    Column { key, zh, required: false, hint, choices }
}

/// 任务台账.
pub const TASKS: Sheet = Sheet {
    kind: "tasks",
    zh: "任务台账",
    en: "Task ledger",
    columns: &[
        req("code", "任务编号", "唯一，如 NM01-001-T01；新任务自拟一个未用过的编号"),
        req("unit_code", "责任单位编码", "如 NM01-001"),
        Column {
            required: true,
            ..choice(
                "kind",
                "任务类别",
                "目标任务/攻坚任务/急难险重任务/重点工作事项/堵点/品牌任务",
                &["目标任务", "攻坚任务", "急难险重任务", "重点工作事项", "堵点", "品牌任务"],
            )
        },
        req("name", "任务名称", "如 5G 基站建设攻坚"),
        opt("description", "任务内容", "可空，最多 2000 字"),
        opt("target", "目标值", "数字，如 120"),
        opt("target_unit", "计量单位", "如 个、公里、户"),
        opt("year", "年度", "如 2024；空则取完成时限的年份"),
        opt("start_on", "开始日期", "如 2024-01-15"),
        opt("due_on", "完成时限", "如 2024-12-31"),
        choice("status", "状态", "未开始/进行中/已完成/已取消；空则不变", &["未开始", "进行中", "已完成", "已取消"]),
        choice("priority", "优先级", "高/中/低，默认 中", &["高", "中", "低"]),
        opt("responsible", "责任人", "姓名，多人用、分隔，第一位为主要责任人"),
        opt("fortress_code", "所属堡垒编码", "可空"),
        opt("team_code", "承担队伍编码", "可空"),
        opt("progress", "完成进度（%）", "0–100 的整数；改动即登记一条进展"),
        opt("progress_on", "进展日期", "如 2024-06-30；空则为导入当天"),
        opt("progress_note", "进展情况", "本次进展的说明"),
    ],
};

/// A valid task ledger row; references stay codes and names for the store
/// (and the importer's scope) to resolve.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskLedgerRow {
    pub code: String,
    pub unit_code: String,
    /// Fortress, team and responsible people are empty here; see the fields below.
    pub fields: TaskFields,
    /// Whether the row states a status (an empty cell keeps a task's own).
    pub status_given: bool,
    pub responsible: Vec<String>,
    pub fortress_code: Option<String>,
    pub team_code: Option<String>,
    /// The progress the row reports: (percent, date, note).
    pub progress: Option<(i32, Option<Date>, Option<String>)>,
}

/// Names in a 责任人 cell: separated by 、，, ; or spaces.
pub fn split_names(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for n in cell.split(['、', '，', ',', '；', ';', ' ', '　', '/']).map(str::trim).filter(|n| !n.is_empty()) {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    }
    out
}

/// Converts and validates one row, reporting every bad cell.
pub fn task_row(row: &Row) -> Result<TaskLedgerRow, Invalid> {
    let mut errors = vec![];
    let task_code = code(row, "code", true, &mut errors);
    let unit_code = code(row, "unit_code", true, &mut errors);
    let fortress_code = code(row, "fortress_code", false, &mut errors);
    let team_code = code(row, "team_code", false, &mut errors);
    let input = TaskInput {
        code: None,
        kind: row.text("kind").to_string(),
        name: row.text("name").to_string(),
        description: row.opt("description"),
        fortress_id: None,
        team_id: None,
        brand_id: None,
        responsible: vec![],
        target: row.opt("target"),
        target_unit: row.opt("target_unit"),
        year: row.opt("year"),
        start_on: row.opt("start_on"),
        due_on: row.opt("due_on"),
        status: row.opt("status"),
        priority: row.opt("priority"),
    };
    let fields = input.validate();
    let progress = match (row.get("progress"), row.get("progress_on"), row.get("progress_note")) {
        (None, None, None) => None,
        (None, _, _) => {
            errors.push(FieldError::new(
                "progress",
                "填写进展日期或进展情况时，请同时填写完成进度 (progress is required with a progress date or note)",
            ));
            None
        }
        (Some(p), on, note) => {
            let p = parse_progress(p).map_err(|m| errors.push(FieldError::new("progress", m))).ok();
            let on = qizhi_core::date::parse_optional(on)
                .and_then(|d| match d {
                    Some(d) => check_entry_on(d, qizhi_core::date::today()).map(|()| Some(d)),
                    None => Ok(None),
                })
                .map_err(|m| errors.push(FieldError::new("progress_on", m)))
                .ok();
            let note = qizhi_core::error::optional_text(note, 1000)
                .map_err(|m| errors.push(FieldError::new("progress_note", m)))
                .ok();
            match (p, on, note) {
                (Some(p), Some(on), Some(note)) => Some((p, on, note)),
                _ => None,
            }
        }
    };
    match fields {
        Ok((_, fields)) if errors.is_empty() => Ok(TaskLedgerRow {
            code: task_code.unwrap_or_default(),
            unit_code: unit_code.unwrap_or_default(),
            fields,
            status_given: row.get("status").is_some(),
            responsible: split_names(row.text("responsible")),
            fortress_code,
            team_code,
            progress,
        }),
        Ok(_) => Err(Invalid { errors }),
        Err(invalid) => {
            errors.extend(invalid.errors);
            Err(Invalid { errors })
        }
    }
}

/// Every row of a task ledger, valid and with no task code twice.
pub fn tasks(rows: &[Row]) -> Result<Vec<(usize, TaskLedgerRow)>, FileErrors> {
    let (valid, mut errors) = check(rows, &TASKS, task_row);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (line, t) in &valid {
        if let Some(first) = seen.get(t.code.as_str()) {
            let message = format!("任务编号 “{}” 与第 {first} 行重复 (duplicate of row {first})", t.code);
            let e = match row_at(rows, *line) {
                Some(r) => r.error(&TASKS, "code", message),
                None => crate::error::CellError { line: *line, ..crate::error::CellError::file(message) },
            };
            errors.push(e);
        } else {
            seen.insert(t.code.as_str(), *line);
        }
    }
    errors.sort();
    errors.into_result(valid)
}

/// A stored task as the cells of a ledger row.
pub struct TaskCells<'a> {
    pub code: &'a str,
    pub unit_code: &'a str,
    pub fields: &'a TaskFields,
    pub responsible: Vec<&'a str>,
    pub fortress_code: Option<&'a str>,
    pub team_code: Option<&'a str>,
    pub progress: i32,
    pub last_entry_on: Option<Date>,
    pub latest_note: Option<&'a str>,
}

/// The cells of a task row, in the sheet's column order, written as a person
/// would type them, so the export imports back unchanged.
pub fn task_cells(t: &TaskCells) -> Vec<String> {
    let f = t.fields;
    TASKS
        .columns
        .iter()
        .map(|c| match c.key {
            "code" => t.code.to_string(),
            "unit_code" => t.unit_code.to_string(),
            "kind" => f.kind.zh().to_string(),
            "name" => f.name.clone(),
            "description" => f.description.clone().unwrap_or_default(),
            "target" => f.target.map(|v| v.to_string()).unwrap_or_default(),
            "target_unit" => f.target_unit.clone().unwrap_or_default(),
            "year" => f.year.to_string(),
            "start_on" => f.start_on.map(iso).unwrap_or_default(),
            "due_on" => f.due_on.map(iso).unwrap_or_default(),
            "status" => f.status.zh().to_string(),
            "priority" => f.priority.zh().to_string(),
            "responsible" => t.responsible.join("、"),
            "fortress_code" => t.fortress_code.unwrap_or_default().to_string(),
            "team_code" => t.team_code.unwrap_or_default().to_string(),
            "progress" => t.progress.to_string(),
            "progress_on" => t.last_entry_on.map(iso).unwrap_or_default(),
            "progress_note" => t.latest_note.unwrap_or_default().to_string(),
            _ => String::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use qizhi_core::tasks::{TaskKind, TaskStatus};

    use super::*;

    fn row(line: usize, cells: &[(&'static str, &str)]) -> Row {
        Row::new(line, cells.iter().map(|(k, v)| (*k, v.to_string())).collect::<BTreeMap<_, _>>())
    }

    fn good(line: usize, code: &str) -> Row {
        row(
            line,
            &[
                ("code", code),
                ("unit_code", "NM01-001"),
                ("kind", "目标任务"),
                ("name", "新建 5G 基站 12 个"),
                ("target", "12"),
                ("target_unit", "个"),
                ("due_on", "2024/9/30"),
                ("responsible", "张明、 李华，张明"),
                ("progress", "60%"),
                ("progress_note", "已开通 7 个"),
            ],
        )
    }

    #[test]
    fn a_row_becomes_a_task_with_its_reported_progress() {
        let t = task_row(&good(2, "NM-T1")).unwrap();
        assert_eq!((t.code.as_str(), t.fields.kind, t.fields.year), ("NM-T1", TaskKind::Target, 2024));
        assert_eq!(t.responsible, ["张明", "李华"]);
        assert_eq!(t.progress, Some((60, None, Some("已开通 7 个".into()))));
        assert!(!t.status_given);
        let cells = task_cells(&TaskCells {
            code: &t.code,
            unit_code: &t.unit_code,
            fields: &t.fields,
            responsible: t.responsible.iter().map(String::as_str).collect(),
            fortress_code: None,
            team_code: None,
            progress: 60,
            last_entry_on: None,
            latest_note: Some("已开通 7 个"),
        });
        assert_eq!(cells.len(), TASKS.columns.len());
        // The export reads back as the same row.
        let cells: BTreeMap<&'static str, String> =
            TASKS.columns.iter().zip(cells).filter(|(_, v)| !v.is_empty()).map(|(c, v)| (c.key, v)).collect();
        let back = task_row(&Row::new(2, cells)).unwrap();
        assert_eq!(back.fields, TaskFields { status: TaskStatus::NotStarted, ..t.fields.clone() });
        assert!(back.status_given);
    }

    #[test]
    fn every_bad_cell_is_named_and_codes_are_unique() {
        let bad = row(
            3,
            &[
                ("code", "任务"),
                ("unit_code", "NM01"),
                ("kind", "杂项"),
                ("name", "x"),
                ("progress_note", "只写了情况"),
            ],
        );
        let fields: Vec<_> = task_row(&bad).unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["code", "progress", "kind", "year"]);
        let mut cells: BTreeMap<_, _> = good(4, "B").cells().map(|(k, v)| (k, v.to_string())).collect();
        cells.insert("progress", "120".into());
        let over = Row::new(4, cells);
        let e = tasks(&[good(2, "A"), good(3, "A"), over]).unwrap_err();
        let found: Vec<(usize, &str)> = e.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        // Rows built in code take the sheet's letters: code is A, progress P.
        assert_eq!(found, [(3, "A"), (4, "P")], "{e}");
    }

    #[test]
    fn a_progress_dated_after_today_is_refused_as_the_api_refuses_it() {
        let today = qizhi_core::date::today();
        let with_date = |on: time::Date| {
            let mut cells: BTreeMap<_, _> = good(2, "F").cells().map(|(k, v)| (k, v.to_string())).collect();
            cells.insert("progress_on", qizhi_core::date::iso(on));
            Row::new(2, cells)
        };
        let e = task_row(&with_date(today.next_day().unwrap())).unwrap_err();
        assert_eq!(e.errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["progress_on"]);
        assert!(e.errors[0].message.contains("不能晚于今天"), "{e}");
        assert_eq!(task_row(&with_date(today)).unwrap().progress.map(|p| p.1), Some(Some(today)));
    }

    #[test]
    fn choices_are_values_the_core_accepts() {
        use qizhi_core::tasks::Priority;
        for (key, ok) in [
            ("kind", &(|v: &str| TaskKind::parse(v).is_ok()) as &dyn Fn(&str) -> bool),
            ("status", &|v: &str| TaskStatus::parse(v).is_ok()),
            ("priority", &|v: &str| Priority::parse(v).is_ok()),
        ] {
            let c = TASKS.column(key).unwrap();
            assert!(!c.choices.is_empty());
            assert!(c.choices.iter().all(|v| ok(v)), "{key}");
        }
    }

    #[test]
    fn names_split_on_the_separators_people_use() {
        assert_eq!(split_names("张明、李华；王青 / 赵敏"), ["张明", "李华", "王青", "赵敏"]);
        assert!(split_names(" ").is_empty());
    }
}
