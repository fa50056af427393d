//! What fortresses, flags, tasks, commitments and teams contribute to the
//! figures.

use std::collections::BTreeSet;

use super::commitments::{Commitment, Status};
use super::teams::Team;
use super::{Fortress, Task, TaskStatus};
use crate::figures::{Contribution, Counter, FigureDef, Formula, Measure, at, ymd};

pub const COUNTERS: &[Counter] = &[
    Counter { key: "fortresses.total", measure: Measure::Interval },
    Counter { key: "flags.total", measure: Measure::Interval },
    Counter { key: "tasks.target.count", measure: Measure::Flow },
    Counter { key: "tasks.target.done", measure: Measure::Flow },
    Counter { key: "tasks.target.progress_sum", measure: Measure::Flow },
    Counter { key: "tasks.tackling.count", measure: Measure::Flow },
    Counter { key: "tasks.tackling.done", measure: Measure::Flow },
    Counter { key: "tasks.tackling.progress_sum", measure: Measure::Flow },
    Counter { key: "tasks.urgent.count", measure: Measure::Flow },
    Counter { key: "tasks.urgent.done", measure: Measure::Flow },
    Counter { key: "tasks.urgent.progress_sum", measure: Measure::Flow },
    Counter { key: "tasks.key_work.count", measure: Measure::Flow },
    Counter { key: "tasks.key_work.done", measure: Measure::Flow },
    Counter { key: "tasks.key_work.progress_sum", measure: Measure::Flow },
    Counter { key: "tasks.blockage.count", measure: Measure::Flow },
    Counter { key: "tasks.blockage.done", measure: Measure::Flow },
    Counter { key: "tasks.blockage.progress_sum", measure: Measure::Flow },
    Counter { key: "tasks.brand.count", measure: Measure::Flow },
    Counter { key: "tasks.brand.done", measure: Measure::Flow },
    Counter { key: "tasks.brand.progress_sum", measure: Measure::Flow },
    Counter { key: "tasks.open_due", measure: Measure::DueBefore },
    Counter { key: "commitments.members", measure: Measure::FirstInSpan },
    Counter { key: "commitments.total", measure: Measure::Flow },
    Counter { key: "commitments.fulfilled", measure: Measure::Flow },
    Counter { key: "teams.total", measure: Measure::Interval },
    Counter { key: "teams.kind.commando", measure: Measure::Interval },
    Counter { key: "teams.kind.pioneer", measure: Measure::Interval },
    Counter { key: "teams.kind.service", measure: Measure::Interval },
    Counter { key: "teams.kind.volunteer", measure: Measure::Interval },
    Counter { key: "teams.kind.expert", measure: Measure::Interval },
    Counter { key: "teams.kind.youth", measure: Measure::Interval },
];

pub const FIGURES: &[FigureDef] = &[
    FigureDef {
        key: "fortresses.total", zh: "堡垒数", en: "Fortresses", formula: Formula::Count("fortresses.total")
    },
    FigureDef { key: "flags.total", zh: "插旗数", en: "Flags planted", formula: Formula::Count("flags.total") },
    FigureDef {
        key: "tasks.target.count",
        zh: "目标任务数",
        en: "Target tasks",
        formula: Formula::Count("tasks.target.count"),
    },
    FigureDef {
        key: "tasks.target.done",
        zh: "已完成目标任务",
        en: "Target tasks done",
        formula: Formula::Count("tasks.target.done"),
    },
    FigureDef {
        key: "tasks.target.avg_progress",
        zh: "目标任务平均完成进度（%）",
        en: "Target tasks: average progress (%)",
        formula: Formula::Mean("tasks.target.progress_sum", "tasks.target.count"),
    },
    FigureDef {
        key: "tasks.tackling.count",
        zh: "攻坚任务数",
        en: "Tackling tasks",
        formula: Formula::Count("tasks.tackling.count"),
    },
    FigureDef {
        key: "tasks.tackling.done",
        zh: "已完成攻坚任务（攻克难题）",
        en: "Tackling tasks done (problems solved)",
        formula: Formula::Count("tasks.tackling.done"),
    },
    FigureDef {
        key: "tasks.tackling.avg_progress",
        zh: "攻坚任务平均完成进度（%）",
        en: "Tackling tasks: average progress (%)",
        formula: Formula::Mean("tasks.tackling.progress_sum", "tasks.tackling.count"),
    },
    FigureDef {
        key: "tasks.urgent.count",
        zh: "急难险重任务数",
        en: "Urgent tasks",
        formula: Formula::Count("tasks.urgent.count"),
    },
    FigureDef {
        key: "tasks.urgent.done",
        zh: "已完成急难险重任务",
        en: "Urgent tasks done",
        formula: Formula::Count("tasks.urgent.done"),
    },
    FigureDef {
        key: "tasks.urgent.avg_progress",
        zh: "急难险重任务平均完成进度（%）",
        en: "Urgent tasks: average progress (%)",
        formula: Formula::Mean("tasks.urgent.progress_sum", "tasks.urgent.count"),
    },
    FigureDef {
        key: "tasks.key_work.count",
        zh: "重点工作事项数",
        en: "Key work items",
        formula: Formula::Count("tasks.key_work.count"),
    },
    FigureDef {
        key: "tasks.key_work.done",
        zh: "已完成重点工作事项",
        en: "Key work items done",
        formula: Formula::Count("tasks.key_work.done"),
    },
    FigureDef {
        key: "tasks.key_work.avg_progress",
        zh: "重点工作事项平均完成进度（%）",
        en: "Key work items: average progress (%)",
        formula: Formula::Mean("tasks.key_work.progress_sum", "tasks.key_work.count"),
    },
    FigureDef {
        key: "tasks.blockage.count",
        zh: "堵点数",
        en: "Blockages",
        formula: Formula::Count("tasks.blockage.count"),
    },
    FigureDef {
        key: "tasks.blockage.done",
        zh: "已疏通堵点",
        en: "Blockages cleared",
        formula: Formula::Count("tasks.blockage.done"),
    },
    FigureDef {
        key: "tasks.blockage.avg_progress",
        zh: "堵点平均完成进度（%）",
        en: "Blockages: average progress (%)",
        formula: Formula::Mean("tasks.blockage.progress_sum", "tasks.blockage.count"),
    },
    FigureDef {
        key: "tasks.brand.count",
        zh: "品牌任务数",
        en: "Brand tasks",
        formula: Formula::Count("tasks.brand.count"),
    },
    FigureDef {
        key: "tasks.brand.done",
        zh: "已完成品牌任务",
        en: "Brand tasks done",
        formula: Formula::Count("tasks.brand.done"),
    },
    FigureDef {
        key: "tasks.brand.avg_progress",
        zh: "品牌任务平均完成进度（%）",
        en: "Brand tasks: average progress (%)",
        formula: Formula::Mean("tasks.brand.progress_sum", "tasks.brand.count"),
    },
    FigureDef {
        key: "tasks.overdue",
        zh: "逾期未完成任务",
        en: "Overdue open tasks",
        formula: Formula::Count("tasks.open_due"),
    },
    FigureDef {
        key: "commitments.members",
        zh: "作出承诺的党员数",
        en: "Members with commitments",
        formula: Formula::Count("commitments.members"),
    },
    FigureDef {
        key: "commitments.total",
        zh: "承诺事项数",
        en: "Commitments",
        formula: Formula::Count("commitments.total"),
    },
    FigureDef {
        key: "commitments.fulfilled",
        zh: "已兑现承诺",
        en: "Commitments fulfilled",
        formula: Formula::Count("commitments.fulfilled"),
    },
    FigureDef {
        key: "commitments.fulfilled_rate",
        zh: "承诺兑现率",
        en: "Commitment fulfilment rate",
        formula: Formula::Rate("commitments.fulfilled", "commitments.total"),
    },
    FigureDef { key: "teams.total", zh: "队伍数", en: "Teams", formula: Formula::Count("teams.total") },
    FigureDef {
        key: "teams.kind.commando",
        zh: "突击队",
        en: "Commando teams",
        formula: Formula::Count("teams.kind.commando"),
    },
    FigureDef {
        key: "teams.kind.pioneer",
        zh: "先锋队",
        en: "Pioneer teams",
        formula: Formula::Count("teams.kind.pioneer"),
    },
    FigureDef {
        key: "teams.kind.service",
        zh: "服务队",
        en: "Service teams",
        formula: Formula::Count("teams.kind.service"),
    },
    FigureDef {
        key: "teams.kind.volunteer",
        zh: "志愿服务队",
        en: "Volunteer teams",
        formula: Formula::Count("teams.kind.volunteer"),
    },
    FigureDef {
        key: "teams.kind.expert",
        zh: "专家团",
        en: "Expert groups",
        formula: Formula::Count("teams.kind.expert"),
    },
    FigureDef {
        key: "teams.kind.youth",
        zh: "青年团",
        en: "Youth groups",
        formula: Formula::Count("teams.kind.youth"),
    },
];

/// A fortress counts from the year it was set up until the year it closed;
/// its flag from the year it was planted until then.
pub fn fortress_contributions(f: &Fortress) -> Vec<Contribution> {
    let end = f.fields.closed_on.map(|d| d.year());
    let mut out = vec![at(f.fields.set_up_on.year(), "fortresses.total").with_aux(end)];
    if let Some(flag) = &f.flag {
        out.push(at(flag.planted_on.year(), "flags.total").with_aux(end));
    }
    out
}

/// A task counts in its year by kind, with its progress towards the average;
/// when done, among the done; while open with a due date, among the tasks
/// that fall overdue on that date. A cancelled task counts nowhere.
pub fn task_contributions(task: &Task) -> Vec<Contribution> {
    let f = &task.fields;
    if f.status == TaskStatus::Cancelled {
        return vec![];
    }
    let mut out =
        vec![at(f.year, f.kind.count_key()), Contribution::new(f.year, f.kind.sum_key(), task.progress.into())];
    if f.status == TaskStatus::Done {
        out.push(at(f.year, f.kind.done_key()));
    }
    if f.status.is_open()
        && let Some(due) = f.due_on
    {
        out.push(at(f.year, "tasks.open_due").with_aux(Some(ymd(due))));
    }
    out
}

/// A team counts, in all and by kind, from the year it was founded (year 0
/// when unknown) until the year it was disbanded.
pub fn team_contributions(team: &Team) -> Vec<Contribution> {
    let f = &team.fields;
    let (year, end) = (f.founded_on.map_or(0, |d| d.year()), f.disbanded_on.map(|d| d.year()));
    vec![at(year, "teams.total").with_aux(end), at(year, f.kind.key()).with_aux(end)]
}

/// A commitment counts in its year; verified fulfilled, among the fulfilled.
pub fn commitment_contributions(c: &Commitment) -> Vec<Contribution> {
    let mut out = vec![at(c.fields.year, "commitments.total")];
    if c.status == Status::Fulfilled {
        out.push(at(c.fields.year, "commitments.fulfilled"));
    }
    out
}

/// A member (within one unit) counts once per span with a commitment in it:
/// each year they made commitments in contributes with the previous such
/// year as `aux` ([`crate::figures::Measure::FirstInSpan`]). A change to the
/// set of years replaces these contributions as a whole (old −1, new +1), so
/// the neighbour of an added or removed year moves in the same write.
pub fn member_contributions(years: &BTreeSet<i32>) -> Vec<Contribution> {
    let mut prev = None;
    years
        .iter()
        .map(|&y| {
            let c = at(y, "commitments.members").with_aux(prev);
            prev = Some(y);
            c
        })
        .collect()
}
