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
    /// Whether the caller may import scores here.
    pub can_import: bool,
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
];
