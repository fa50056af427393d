//! Fortresses (堡垒) and their flags (插旗), and tasks (任务) kept
//! ledger-style (台账化、清单化) with a dated progress ledger (进展).
//!
//! A branch sets up a fortress on a production scenario or a grid (a grid
//! with a fortress on it counts as covered) and plants its flag, naming it
//! and its leader. Tasks of six kinds — target, tackling, urgent
//! (急难险重), key work item, blockage, brand — belong to a unit and
//! optionally a fortress and a team; their responsible people post progress
//! entries, and the latest entry sets the task's progress. The figures of
//! FIGURES.md ("Fortresses, tasks, commitments, teams") come from the
//! `*_contributions` functions here.

pub mod commitments;
pub mod rollup;
pub mod teams;

pub use rollup::{fortress_contributions, task_contributions};

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::{Checker, Invalid, optional_text, required_text};
use crate::ids::{EntryId, FortressId, GridId, PersonId, ScenarioId, TaskId, TeamId, UnitId};

/// An open task without a progress entry for this many days is stalled (进展停滞).
pub const STALLED_DAYS: i64 = 30;

// ---------------------------------------------------------------------------
// Fortresses and flags

/// A fortress as stored, with its flag once planted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fortress {
    pub id: FortressId,
    pub unit_id: UnitId,
    #[serde(flatten)]
    pub fields: FortressFields,
    pub flag: Option<Flag>,
}

impl Fortress {
    /// Standing (not closed): only a standing fortress covers its grid.
    pub fn is_standing(&self) -> bool {
        self.fields.closed_on.is_none()
    }
}

/// What a unit admin sets on a fortress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FortressFields {
    /// 堡垒编码: unique, like a unit code.
    pub code: String,
    pub name: String,
    /// The production scenario (生产场景) it stands on, if any.
    pub scenario_id: Option<ScenarioId>,
    /// The grid (网格) it stands on, if any; a standing fortress covers its grid.
    pub grid_id: Option<GridId>,
    pub set_up_on: Date,
    /// When it was closed (撤销); a closed fortress stays on record.
    pub closed_on: Option<Date>,
    /// 堡垒负责人.
    pub leader_id: Option<PersonId>,
    pub description: Option<String>,
}

/// The flag planted on a fortress (插旗): its name, when, and who leads under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub name: String,
    pub planted_on: Date,
    pub leader_id: Option<PersonId>,
}

/// A fortress as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FortressInput {
    pub code: String,
    pub name: String,
    pub scenario_id: Option<i64>,
    pub grid_id: Option<i64>,
    pub set_up_on: String,
    pub closed_on: Option<String>,
    pub leader_id: Option<i64>,
    pub description: Option<String>,
}

impl FortressInput {
    pub fn validate(&self) -> Result<FortressFields, Invalid> {
        let mut c = Checker::default();
        let code = c.take("code", crate::org::parse_code(&self.code));
        let name = c.take("name", required_text(&self.name, 100));
        if self.scenario_id.is_none() && self.grid_id.is_none() {
            c.push(
                "scenario_id",
                "请选择堡垒所在的生产场景或网格 (a fortress stands on a production scenario or a grid)",
            );
        }
        let set_up_on = c.take("set_up_on", crate::date::parse(&self.set_up_on));
        let closed_on = c.take("closed_on", crate::date::parse_optional(self.closed_on.as_deref()));
        if let (Some(s), Some(Some(e))) = (set_up_on, closed_on)
            && e < s
        {
            c.push("closed_on", "撤销日期不能早于建立日期 (closed before it was set up)");
        }
        let description = c.take("description", optional_text(self.description.as_deref(), 500));
        c.finish()?;
        Ok(FortressFields {
            code: code.unwrap(),
            name: name.unwrap(),
            scenario_id: self.scenario_id.map(ScenarioId),
            grid_id: self.grid_id.map(GridId),
            set_up_on: set_up_on.unwrap(),
            closed_on: closed_on.unwrap(),
            leader_id: self.leader_id.map(PersonId),
            description: description.unwrap(),
        })
    }
}

/// A flag as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FlagInput {
    pub name: String,
    pub planted_on: String,
    pub leader_id: Option<i64>,
}

impl FlagInput {
    /// Checks the flag against the fortress it is planted on.
    pub fn validate(&self, fortress: &FortressFields) -> Result<Flag, Invalid> {
        let mut c = Checker::default();
        let name = c.take("name", required_text(&self.name, 100));
        let planted_on = c.take("planted_on", crate::date::parse(&self.planted_on));
        if let Some(p) = planted_on
            && p < fortress.set_up_on
        {
            c.push("planted_on", "插旗日期不能早于堡垒建立日期 (planted before the fortress was set up)");
        }
        if fortress.closed_on.is_some() {
            c.push("planted_on", "堡垒已撤销，不能插旗 (the fortress is closed)");
        }
        c.finish()?;
        Ok(Flag { name: name.unwrap(), planted_on: planted_on.unwrap(), leader_id: self.leader_id.map(PersonId) })
    }
}

// ---------------------------------------------------------------------------
// Task vocabulary

/// 任务类别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// 目标任务
    Target,
    /// 攻坚任务 (a problem to solve: 攻克难题)
    Tackling,
    /// 急难险重任务
    Urgent,
    /// 重点工作事项
    KeyWork,
    /// 堵点 (a blockage to clear: 疏通堵点)
    Blockage,
    /// 品牌任务 (a task under a party-building brand)
    Brand,
}

impl TaskKind {
    pub const ALL: [TaskKind; 6] = [
        TaskKind::Target,
        TaskKind::Tackling,
        TaskKind::Urgent,
        TaskKind::KeyWork,
        TaskKind::Blockage,
        TaskKind::Brand,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TaskKind::Target => "target",
            TaskKind::Tackling => "tackling",
            TaskKind::Urgent => "urgent",
            TaskKind::KeyWork => "key_work",
            TaskKind::Blockage => "blockage",
            TaskKind::Brand => "brand",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            TaskKind::Target => "目标任务",
            TaskKind::Tackling => "攻坚任务",
            TaskKind::Urgent => "急难险重任务",
            TaskKind::KeyWork => "重点工作事项",
            TaskKind::Blockage => "堵点",
            TaskKind::Brand => "品牌任务",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            TaskKind::Target => "Target task",
            TaskKind::Tackling => "Tackling task",
            TaskKind::Urgent => "Urgent task",
            TaskKind::KeyWork => "Key work item",
            TaskKind::Blockage => "Blockage",
            TaskKind::Brand => "Brand task",
        }
    }

    /// Accepts the code, either label, or the short forms people write.
    pub fn parse(value: &str) -> Result<TaskKind, String> {
        let v = value.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.code() == v || k.zh() == v || k.en().eq_ignore_ascii_case(v))
            .or(match v {
                "目标" => Some(TaskKind::Target),
                "攻坚" | "攻坚克难" => Some(TaskKind::Tackling),
                "急难险重" | "急难险重新任务" => Some(TaskKind::Urgent),
                "重点工作" | "重点工作任务" => Some(TaskKind::KeyWork),
                "堵点任务" | "疏通堵点" => Some(TaskKind::Blockage),
                "品牌" => Some(TaskKind::Brand),
                _ => None,
            })
            .ok_or_else(|| {
                format!(
                    "未知的任务类别 “{v}”，应为 目标任务/攻坚任务/急难险重任务/重点工作事项/堵点/品牌任务 (unknown task kind)"
                )
            })
    }

    /// The counter of tasks of this kind (`tasks.<k>.count`).
    pub fn count_key(self) -> &'static str {
        match self {
            TaskKind::Target => "tasks.target.count",
            TaskKind::Tackling => "tasks.tackling.count",
            TaskKind::Urgent => "tasks.urgent.count",
            TaskKind::KeyWork => "tasks.key_work.count",
            TaskKind::Blockage => "tasks.blockage.count",
            TaskKind::Brand => "tasks.brand.count",
        }
    }

    /// The counter of those done (`tasks.<k>.done`).
    pub fn done_key(self) -> &'static str {
        match self {
            TaskKind::Target => "tasks.target.done",
            TaskKind::Tackling => "tasks.tackling.done",
            TaskKind::Urgent => "tasks.urgent.done",
            TaskKind::KeyWork => "tasks.key_work.done",
            TaskKind::Blockage => "tasks.blockage.done",
            TaskKind::Brand => "tasks.brand.done",
        }
    }

    /// The sum of their progress percents (`tasks.<k>.progress_sum`), for the average.
    pub fn sum_key(self) -> &'static str {
        match self {
            TaskKind::Target => "tasks.target.progress_sum",
            TaskKind::Tackling => "tasks.tackling.progress_sum",
            TaskKind::Urgent => "tasks.urgent.progress_sum",
            TaskKind::KeyWork => "tasks.key_work.progress_sum",
            TaskKind::Blockage => "tasks.blockage.progress_sum",
            TaskKind::Brand => "tasks.brand.progress_sum",
        }
    }

    /// The published average-progress figure (`tasks.<k>.avg_progress`).
    pub fn avg_key(self) -> &'static str {
        match self {
            TaskKind::Target => "tasks.target.avg_progress",
            TaskKind::Tackling => "tasks.tackling.avg_progress",
            TaskKind::Urgent => "tasks.urgent.avg_progress",
            TaskKind::KeyWork => "tasks.key_work.avg_progress",
            TaskKind::Blockage => "tasks.blockage.avg_progress",
            TaskKind::Brand => "tasks.brand.avg_progress",
        }
    }
}

/// 任务状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// 未开始
    NotStarted,
    /// 进行中
    InProgress,
    /// 已完成
    Done,
    /// 已取消: stays on record, leaves every figure.
    Cancelled,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] =
        [TaskStatus::NotStarted, TaskStatus::InProgress, TaskStatus::Done, TaskStatus::Cancelled];
    /// The statuses of open tasks, as stored (for SQL filters).
    pub const OPEN_CODES: [&'static str; 2] = ["not_started", "in_progress"];

    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "未开始",
            TaskStatus::InProgress => "进行中",
            TaskStatus::Done => "已完成",
            TaskStatus::Cancelled => "已取消",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "Not started",
            TaskStatus::InProgress => "In progress",
            TaskStatus::Done => "Done",
            TaskStatus::Cancelled => "Cancelled",
        }
    }

    pub fn parse(value: &str) -> Result<TaskStatus, String> {
        let v = value.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.code() == v || s.zh() == v || s.en().eq_ignore_ascii_case(v))
            .or(match v {
                "完成" | "已办结" | "办结" => Some(TaskStatus::Done),
                "推进中" | "正在推进" => Some(TaskStatus::InProgress),
                "取消" => Some(TaskStatus::Cancelled),
                _ => None,
            })
            .ok_or_else(|| format!("未知的任务状态 “{v}”，应为 未开始/进行中/已完成/已取消 (unknown status)"))
    }

    /// Not started or in progress.
    pub fn is_open(self) -> bool {
        matches!(self, TaskStatus::NotStarted | TaskStatus::InProgress)
    }
}

/// 优先级.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    High,
    Normal,
    Low,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::High, Priority::Normal, Priority::Low];

    pub fn code(self) -> &'static str {
        match self {
            Priority::High => "high",
            Priority::Normal => "normal",
            Priority::Low => "low",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Priority::High => "高",
            Priority::Normal => "中",
            Priority::Low => "低",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Priority::High => "High",
            Priority::Normal => "Normal",
            Priority::Low => "Low",
        }
    }

    /// Stored as a number so lists sort the most urgent first.
    pub fn rank(self) -> i64 {
        match self {
            Priority::High => 1,
            Priority::Normal => 2,
            Priority::Low => 3,
        }
    }

    pub fn from_rank(rank: i64) -> Option<Priority> {
        Self::ALL.into_iter().find(|p| p.rank() == rank)
    }

    pub fn parse(value: &str) -> Result<Priority, String> {
        let v = value.trim();
        Self::ALL
            .into_iter()
            .find(|p| p.code() == v || p.zh() == v || p.en().eq_ignore_ascii_case(v))
            .or(match v {
                "" | "一般" | "普通" => Some(Priority::Normal),
                "紧急" | "重要" => Some(Priority::High),
                _ => None,
            })
            .ok_or_else(|| format!("未知的优先级 “{v}”，应为 高/中/低 (unknown priority)"))
    }
}

// ---------------------------------------------------------------------------
// Tasks

/// A task as stored: its code, what an admin sets, and what its ledger sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub id: TaskId,
    pub unit_id: UnitId,
    /// 任务编号: unique; assigned (`T000123`) when not given.
    pub code: String,
    #[serde(flatten)]
    pub fields: TaskFields,
    /// 0–100, set by the latest progress entry (0 before any).
    pub progress: i32,
    /// The date of the latest progress entry.
    pub last_entry_on: Option<Date>,
}

impl Task {
    /// Open and past its due date on `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.fields.status.is_open() && self.fields.due_on.is_some_and(|d| d < today)
    }

    /// Open and without progress for more than [`STALLED_DAYS`] days (counted
    /// from the latest entry, or from the start date before any entry).
    pub fn is_stalled(&self, today: Date) -> bool {
        self.fields.status.is_open()
            && self.last_entry_on.or(self.fields.start_on).is_some_and(|d| (today - d).whole_days() > STALLED_DAYS)
    }
}

/// What a unit admin sets on a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskFields {
    pub kind: TaskKind,
    pub name: String,
    pub description: Option<String>,
    pub fortress_id: Option<FortressId>,
    /// The team that took the task on.
    pub team_id: Option<TeamId>,
    /// The brand a brand task serves (brands are kept elsewhere; no check here).
    pub brand_id: Option<i64>,
    /// 责任人, the first leading; they post the progress entries.
    pub responsible: Vec<PersonId>,
    /// A measurable target (目标值) and its unit (计量单位): 100 个, 3.5 公里.
    pub target: Option<f64>,
    pub target_unit: Option<String>,
    /// The year the task counts in.
    pub year: i32,
    pub start_on: Option<Date>,
    /// 完成时限.
    pub due_on: Option<Date>,
    pub status: TaskStatus,
    pub priority: Priority,
}

/// A task as typed (a form, a JSON body, a spreadsheet row). References
/// (fortress, team, people) come as ids, already resolved from codes or names.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskInput {
    pub code: Option<String>,
    pub kind: String,
    pub name: String,
    pub description: Option<String>,
    pub fortress_id: Option<i64>,
    pub team_id: Option<i64>,
    pub brand_id: Option<i64>,
    #[serde(default)]
    pub responsible: Vec<i64>,
    pub target: Option<String>,
    pub target_unit: Option<String>,
    /// Empty: the year of the due date, or else of the start date.
    pub year: Option<String>,
    pub start_on: Option<String>,
    pub due_on: Option<String>,
    /// Empty: 未开始.
    pub status: Option<String>,
    /// Empty: 中.
    pub priority: Option<String>,
}

impl TaskInput {
    /// The code (if given) and the validated fields.
    pub fn validate(&self) -> Result<(Option<String>, TaskFields), Invalid> {
        let mut c = Checker::default();
        let code = match self.code.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(v) => c.take("code", crate::org::parse_code(v).map(Some)),
        };
        let kind = c.take("kind", TaskKind::parse(&self.kind));
        let name = c.take("name", required_text(&self.name, 200));
        let description = c.take("description", optional_text(self.description.as_deref(), 2000));
        let target = c.take("target", parse_target(self.target.as_deref()));
        let target_unit = c.take("target_unit", optional_text(self.target_unit.as_deref(), 20));
        let start_on = c.take("start_on", crate::date::parse_optional(self.start_on.as_deref()));
        let due_on = c.take("due_on", crate::date::parse_optional(self.due_on.as_deref()));
        if let (Some(Some(s)), Some(Some(d))) = (start_on, due_on)
            && d < s
        {
            c.push("due_on", "完成时限不能早于开始日期 (due before it starts)");
        }
        let year = match self.year.as_deref().map(str::trim) {
            None | Some("") => match (due_on, start_on) {
                (Some(Some(d)), _) | (Some(None), Some(Some(d))) => Some(d.year()),
                (Some(None), Some(None)) => {
                    c.push("year", "请填写年度，或填写完成时限 (year is required when there is no date)");
                    None
                }
                // A date that did not parse is reported already.
                _ => None,
            },
            Some(y) => c.take("year", parse_year(y)),
        };
        let status = c.take("status", TaskStatus::parse(self.status.as_deref().unwrap_or("未开始")));
        let priority = c.take("priority", Priority::parse(self.priority.as_deref().unwrap_or("")));
        if self.brand_id.is_some() && kind.is_some_and(|k| k != TaskKind::Brand) {
            c.push("brand_id", "只有品牌任务可以关联品牌 (only brand tasks name a brand)");
        }
        c.finish()?;
        let mut responsible: Vec<PersonId> = Vec::with_capacity(self.responsible.len());
        for p in &self.responsible {
            if !responsible.contains(&PersonId(*p)) {
                responsible.push(PersonId(*p));
            }
        }
        Ok((
            code.unwrap(),
            TaskFields {
                kind: kind.unwrap(),
                name: name.unwrap(),
                description: description.unwrap(),
                fortress_id: self.fortress_id.map(FortressId),
                team_id: self.team_id.map(TeamId),
                brand_id: self.brand_id,
                responsible,
                target: target.unwrap(),
                target_unit: target_unit.unwrap(),
                year: year.unwrap(),
                start_on: start_on.unwrap(),
                due_on: due_on.unwrap(),
                status: status.unwrap(),
                priority: priority.unwrap(),
            },
        ))
    }
}

/// 年度: a whole year between 1900 and 2200.
pub fn parse_year(value: &str) -> Result<i32, String> {
    let v = value.trim().trim_end_matches('年');
    match v.parse::<i32>() {
        Ok(y) if (1900..=2200).contains(&y) => Ok(y),
        _ => Err(format!("年度应为 1900 到 2200 之间的年份，而不是 “{}” (year must be 1900–2200)", value.trim())),
    }
}

/// 目标值: empty, or a number that is not negative.
fn parse_target(value: Option<&str>) -> Result<Option<f64>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => match v.replace(',', "").parse::<f64>() {
            Ok(n) if n.is_finite() && n >= 0.0 => Ok(Some(n)),
            _ => Err(format!("目标值应为不小于 0 的数，而不是 “{v}” (target must be a number, not negative)")),
        },
    }
}

/// A status a person may set, given the task's progress: "done" needs the
/// ledger to have reached 100% first.
pub fn check_status(status: TaskStatus, progress: i32) -> Result<(), String> {
    if status == TaskStatus::Done && progress < 100 {
        Err(format!(
            "进度为 {progress}%，未达到 100%，请先登记进展再标记为已完成 (progress is below 100%: post a progress entry first)"
        ))
    } else {
        Ok(())
    }
}

/// The status after the latest entry reports `progress`: 100% completes an
/// open task; any other value reopens a done one or starts a new one. A
/// cancelled task stays cancelled.
pub fn status_after_entry(status: TaskStatus, progress: i32) -> TaskStatus {
    match status {
        TaskStatus::Cancelled => TaskStatus::Cancelled,
        _ if progress >= 100 => TaskStatus::Done,
        TaskStatus::NotStarted if progress == 0 => TaskStatus::NotStarted,
        _ => TaskStatus::InProgress,
    }
}

/// The status a ledger row means when it states an open status beside a
/// progress: 100% is done, more than 0% in progress. A closed status (done,
/// cancelled) stands as written ("done" below 100% is refused elsewhere).
pub fn status_with_progress(status: TaskStatus, progress: i32) -> TaskStatus {
    if status.is_open() { status_after_entry(status, progress) } else { status }
}

// ---------------------------------------------------------------------------
// The progress ledger

/// A progress entry as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskEntry {
    pub id: EntryId,
    pub task_id: TaskId,
    #[serde(flatten)]
    pub fields: EntryFields,
    /// The person who reported it (a responsible person posting from the phone).
    pub person_id: Option<PersonId>,
    /// Evidence (files kept with the task's unit).
    pub files: Vec<i64>,
    /// The account that posted it.
    pub created_by: String,
    pub created_at: i64,
}

/// A progress entry's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryFields {
    pub entry_on: Date,
    /// 0–100.
    pub progress: i32,
    /// 进展情况.
    pub note: Option<String>,
}

/// A progress entry as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EntryInput {
    /// Empty: today.
    pub entry_on: Option<String>,
    pub progress: String,
    pub note: Option<String>,
}

impl EntryInput {
    /// Checks the entry on `today`: dated on or before it.
    pub fn validate(&self, today: Date) -> Result<EntryFields, Invalid> {
        let mut c = Checker::default();
        let entry_on = match self.entry_on.as_deref().map(str::trim) {
            None | Some("") => Some(today),
            Some(v) => c.take("entry_on", crate::date::parse(v)),
        };
        if let Some(Err(m)) = entry_on.map(|d| check_entry_on(d, today)) {
            c.push("entry_on", m);
        }
        let progress = c.take("progress", parse_progress(&self.progress));
        let note = c.take("note", optional_text(self.note.as_deref(), 1000));
        c.finish()?;
        Ok(EntryFields { entry_on: entry_on.unwrap(), progress: progress.unwrap(), note: note.unwrap() })
    }
}

/// A progress entry is dated on or before `today`: the latest entry by date
/// is the task's progress, so one dated ahead would hide every real one.
pub fn check_entry_on(on: Date, today: Date) -> Result<(), String> {
    if on > today { Err("进展日期不能晚于今天 (the entry is dated in the future)".into()) } else { Ok(()) }
}

/// 完成进度: a whole percent from 0 to 100 (`60`, `60%`).
pub fn parse_progress(value: &str) -> Result<i32, String> {
    let v = value.trim().trim_end_matches(['%', '％']).trim();
    match v.parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) && p.fract() == 0.0 => Ok(p as i32),
        Ok(p) if (0.0..=1.0).contains(&p) && value.trim() == v => {
            // 0.6 typed in a percent-formatted cell reads as a fraction.
            let pct = (p * 100.0).round();
            if (p * 100.0 - pct).abs() < 1e-6 { Ok(pct as i32) } else { Err(bad_progress(value)) }
        }
        _ => Err(bad_progress(value)),
    }
}

fn bad_progress(value: &str) -> String {
    format!("完成进度应为 0 到 100 的整数，而不是 “{}” (progress must be a whole percent 0–100)", value.trim())
}

/// Whether an entry dated `entry_on` becomes the latest of a ledger whose
/// latest so far is dated `last` (ties go to the newer entry).
pub fn becomes_latest(entry_on: Date, last: Option<Date>) -> bool {
    last.is_none_or(|l| entry_on >= l)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn input(kind: &str) -> TaskInput {
        TaskInput {
            kind: kind.into(),
            name: "5G 基站建设攻坚".into(),
            due_on: Some("2024-09-30".into()),
            ..Default::default()
        }
    }

    fn task(status: TaskStatus, progress: i32) -> Task {
        let (_, fields) = input("攻坚").validate().unwrap();
        Task {
            id: TaskId(1),
            unit_id: UnitId(1),
            code: "T1".into(),
            fields: TaskFields { status, ..fields },
            progress,
            last_entry_on: Some(date!(2024 - 05 - 01)),
        }
    }

    #[test]
    fn kinds_statuses_and_priorities_parse_from_labels_and_codes() {
        for k in TaskKind::ALL {
            assert_eq!(TaskKind::parse(k.code()).unwrap(), k);
            assert_eq!(TaskKind::parse(k.zh()).unwrap(), k);
            assert!(crate::figures::counter(k.count_key()).is_some());
            assert!(crate::figures::counter(k.done_key()).is_some());
            assert!(crate::figures::counter(k.sum_key()).is_some());
            assert!(crate::figures::figure(k.avg_key()).is_some());
        }
        assert_eq!(TaskKind::parse("急难险重").unwrap(), TaskKind::Urgent);
        assert!(TaskKind::parse("杂事").unwrap_err().contains("unknown task kind"));
        for s in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(s.zh()).unwrap(), s);
        }
        assert_eq!(Priority::parse("").unwrap(), Priority::Normal);
        assert_eq!(Priority::from_rank(Priority::High.rank()), Some(Priority::High));
    }

    #[test]
    fn a_task_takes_its_year_from_the_due_date_and_defaults() {
        let (code, f) = input("目标任务").validate().unwrap();
        assert_eq!((code, f.year, f.status, f.priority), (None, 2024, TaskStatus::NotStarted, Priority::Normal));
        let mut i = input("target");
        i.code = Some(" NM-T1 ".into());
        i.year = Some("2023年".into());
        i.responsible = vec![3, 4, 3];
        i.target = Some("1,200".into());
        let (code, f) = i.validate().unwrap();
        assert_eq!(code.as_deref(), Some("NM-T1"));
        assert_eq!((f.year, f.target, f.responsible.len()), (2023, Some(1200.0), 2));
    }

    #[test]
    fn every_bad_field_is_named() {
        let i = TaskInput {
            code: Some("任务1".into()),
            kind: "x".into(),
            name: " ".into(),
            target: Some("-1".into()),
            start_on: Some("2024-05-01".into()),
            due_on: Some("2024-04-01".into()),
            status: Some("搁置".into()),
            brand_id: Some(7),
            ..Default::default()
        };
        let fields: Vec<_> = i.validate().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["code", "kind", "name", "target", "due_on", "status"]);
        let mut brand = input("target");
        brand.brand_id = Some(7);
        assert_eq!(brand.validate().unwrap_err().errors[0].field, "brand_id");
        let mut no_year = input("target");
        no_year.due_on = None;
        assert_eq!(no_year.validate().unwrap_err().errors[0].field, "year");
    }

    #[test]
    fn the_ledger_drives_progress_and_status() {
        use TaskStatus::*;
        assert_eq!(status_after_entry(NotStarted, 0), NotStarted);
        assert_eq!(status_after_entry(NotStarted, 30), InProgress);
        assert_eq!(status_after_entry(InProgress, 100), Done);
        assert_eq!(status_after_entry(Done, 80), InProgress);
        assert_eq!(status_after_entry(Cancelled, 100), Cancelled);
        assert!(check_status(Done, 99).is_err() && check_status(Done, 100).is_ok());
        assert_eq!(status_with_progress(NotStarted, 50), InProgress);
        assert_eq!(status_with_progress(InProgress, 100), Done);
        assert_eq!(status_with_progress(Done, 50), Done);
        assert_eq!(status_with_progress(Cancelled, 50), Cancelled);
        assert!(becomes_latest(date!(2024 - 05 - 01), Some(date!(2024 - 05 - 01))));
        assert!(!becomes_latest(date!(2024 - 04 - 30), Some(date!(2024 - 05 - 01))));
        for (text, p) in [("60", 60), ("60%", 60), (" 100 ", 100), ("0.6", 60), ("0", 0), ("1", 1)] {
            assert_eq!(parse_progress(text), Ok(p), "{text}");
        }
        for text in ["101", "-1", "50.5", "abc", ""] {
            assert!(parse_progress(text).is_err(), "{text}");
        }
    }

    #[test]
    fn entries_cannot_be_dated_in_the_future() {
        let today = date!(2024 - 06 - 30);
        let e = EntryInput { entry_on: None, progress: "45".into(), note: Some("完成选址".into()) };
        assert_eq!(e.validate(today).unwrap().entry_on, today);
        let late = EntryInput { entry_on: Some("2024-07-01".into()), ..e };
        assert_eq!(late.validate(today).unwrap_err().errors[0].field, "entry_on");
    }

    #[test]
    fn overdue_and_stalled_are_flags_of_open_tasks() {
        let t = task(TaskStatus::InProgress, 40);
        assert!(!t.is_overdue(date!(2024 - 09 - 30)) && t.is_overdue(date!(2024 - 10 - 01)));
        assert!(!t.is_stalled(date!(2024 - 05 - 31)) && t.is_stalled(date!(2024 - 06 - 01)));
        let done = task(TaskStatus::Done, 100);
        assert!(!done.is_overdue(date!(2025 - 01 - 01)) && !done.is_stalled(date!(2025 - 01 - 01)));
    }

    #[test]
    fn contributions_follow_the_status() {
        let keys = |t: &Task| -> Vec<(String, i64)> {
            task_contributions(t).iter().map(|c| (c.cell_key().to_string(), c.delta)).collect()
        };
        assert_eq!(
            keys(&task(TaskStatus::InProgress, 40)),
            [
                ("tasks.tackling.count".to_string(), 1),
                ("tasks.tackling.progress_sum".to_string(), 40),
                ("tasks.open_due@20240930".to_string(), 1)
            ]
        );
        let done = keys(&task(TaskStatus::Done, 100));
        assert!(done.contains(&("tasks.tackling.done".to_string(), 1)) && done.len() == 3);
        assert!(task_contributions(&task(TaskStatus::Cancelled, 10)).is_empty());
    }

    #[test]
    fn fortresses_stand_on_something_and_flags_follow_them() {
        let mut i = FortressInput {
            code: "NM01-B001".into(),
            name: "新城区网格堡垒".into(),
            grid_id: Some(5),
            set_up_on: "2022-03-01".into(),
            ..Default::default()
        };
        let f = i.validate().unwrap();
        let flag = FlagInput { name: "党员先锋旗".into(), planted_on: "2022-03-15".into(), leader_id: Some(9) }
            .validate(&f)
            .unwrap();
        let fortress = Fortress { id: FortressId(1), unit_id: UnitId(2), fields: f.clone(), flag: Some(flag) };
        let c: Vec<String> = fortress_contributions(&fortress).iter().map(|c| c.cell_key().to_string()).collect();
        assert_eq!(c, ["fortresses.total", "flags.total"]);
        let early = FlagInput { name: "旗".into(), planted_on: "2022-01-01".into(), leader_id: None };
        assert_eq!(early.validate(&f).unwrap_err().errors[0].field, "planted_on");
        i.grid_id = None;
        i.closed_on = Some("2021-01-01".into());
        let fields: Vec<_> = i.validate().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["scenario_id", "closed_on"]);
        let closed = Fortress {
            fields: FortressFields { closed_on: Some(date!(2024 - 01 - 01)), ..fortress.fields.clone() },
            ..fortress
        };
        assert_eq!(fortress_contributions(&closed)[0].aux, Some(2024));
        assert!(!closed.is_standing());
    }
}
