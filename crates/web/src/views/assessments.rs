//! The assessments a unit issued, year over year: each unit it assessed,
//! its rank and score in every year of the period, and its streaks.

use askama::Template;

use super::{Chrome, Layout, UnitRef};
use crate::kit::period::PeriodView;

/// `GET /assessments?unit=&kind=&from=&to=`.
#[derive(Template)]
#[template(path = "assessments.html")]
pub struct AssessmentsPage {
    pub chrome: Chrome,
    pub unit: UnitRef,
    pub period: PeriodView,
    /// The kind shown: `AssessmentKind::code()`.
    pub kind: &'static str,
    /// (code, zh, en) of every kind, for the tabs.
    pub kinds: Vec<(&'static str, &'static str, &'static str)>,
    pub years: Vec<i32>,
    /// Best in the period's last year first.
    pub rows: Vec<AssessedRow>,
    pub filter_problems: Vec<String>,
    /// Whether the caller may import scores and set the tier rule here.
    pub can_edit: bool,
    /// The issuer's tier rule for the kind: "default", "rank" or "score", and its value.
    pub rule_by: &'static str,
    pub rule_value: String,
    /// Problems with a tier rule sent back.
    pub errors: Vec<String>,
}

/// A unit assessed, its place in each year of the period.
#[derive(Debug, Clone)]
pub struct AssessedRow {
    pub unit: UnitRef,
    /// Per year of the period: (rank, score as written, in the first tier).
    pub years: Vec<Option<(u32, String, bool)>>,
    /// Consecutive years in the first tier, and ranked first, up to the period's end.
    pub streak_tier: i64,
    pub streak_first: i64,
}

impl AssessmentsPage {
    /// "第 2 名" / "No. 2".
    pub fn rank_label(&self, rank: &u32) -> String {
        self.chrome.lang.tn("assessments.rank_n", rank)
    }

    pub fn kind_href(&self, kind: &str) -> String {
        format!("/assessments?unit={}&kind={kind}&from={}&to={}", self.unit.id, self.period.from, self.period.to)
    }
}

pub const TEXT: &[(&str, &str, &str)] = &[
    ("assessments.title", "考核排名", "Assessment rankings"),
    (
        "assessments.sub",
        "由本组织考核的下级单位，逐年名次与得分；名次、第一方阵和连续年数均由得分算出。",
        "The units this unit assesses, their rank and score year by year; ranks, the first tier and streaks are computed from the scores.",
    ),
    ("assessments.unit", "被考核单位", "Unit"),
    ("assessments.rank_n", "第 {n} 名", "No. {n}"),
    ("assessments.first_tier", "第一方阵", "First tier"),
    ("assessments.streak_tier", "连续第一方阵（年）", "Years in the first tier"),
    ("assessments.streak_first", "连续排名第一（年）", "Years ranked first"),
    ("assessments.none", "本报告期内没有由本组织考核的单位。", "No unit was assessed by this unit in the period."),
    ("assessments.import", "导入考核得分", "Import scores"),
    ("assessments.rule", "第一方阵规则", "First-tier rule"),
    ("assessments.rule_default", "默认：名次在前三分之一", "Default: the best third by rank"),
    ("assessments.rule_rank", "名次在前 N 名", "Ranked in the best N"),
    ("assessments.rule_score", "得分不低于", "Scoring at least"),
    ("assessments.rule_value", "名次或分数", "Rank or score"),
    ("assessments.rule_save", "保存规则", "Save the rule"),
    (
        "assessments.rule_note",
        "规则适用于本组织历年的这类考核，名次、第一方阵和连续年数随之重新计算。",
        "The rule applies to every year of this kind of assessment by this unit; ranks, the first tier and streaks follow at once.",
    ),
    ("flash.assessments.rule_saved", "第一方阵规则已保存。", "The first-tier rule is saved."),
];
