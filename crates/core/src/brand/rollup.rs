//! What brands and honors contribute to the figures: brand statuses are
//! stocks kept with their dated history; honors count in the year awarded.

use time::Date;

use super::{BrandCategory, HonorLevel, StatusChange};
use crate::figures::{Contribution, Counter, FigureDef, Formula, Measure, at};

pub const COUNTERS: &[Counter] = &[
    Counter { key: "brands.total", measure: Measure::Stock },
    Counter { key: "brands.status.draft", measure: Measure::Stock },
    Counter { key: "brands.status.cultivating", measure: Measure::Stock },
    Counter { key: "brands.status.established", measure: Measure::Stock },
    Counter { key: "brands.status.mature", measure: Measure::Stock },
    Counter { key: "brands.status.exemplary", measure: Measure::Stock },
    Counter { key: "brands.mature_or_better", measure: Measure::Stock },
    Counter { key: "brands.category.unit", measure: Measure::Stock },
    Counter { key: "brands.category.activity", measure: Measure::Stock },
    Counter { key: "brands.category.cobuilding", measure: Measure::Stock },
    Counter { key: "brands.category.branch", measure: Measure::Stock },
    Counter { key: "brands.standard_met", measure: Measure::Stock },
    Counter { key: "honors.total", measure: Measure::Flow },
    Counter { key: "honors.level.national", measure: Measure::Flow },
    Counter { key: "honors.level.central_soe", measure: Measure::Flow },
    Counter { key: "honors.level.provincial", measure: Measure::Flow },
    Counter { key: "honors.level.municipal", measure: Measure::Flow },
    Counter { key: "honors.level.group", measure: Measure::Flow },
    Counter { key: "honors.level.internal", measure: Measure::Flow },
];

pub const FIGURES: &[FigureDef] = &[
    FigureDef { key: "brands.total", zh: "党建品牌数", en: "Brands", formula: Formula::Count("brands.total") },
    FigureDef {
        key: "brands.status.draft",
        zh: "草稿品牌",
        en: "Draft brands",
        formula: Formula::Count("brands.status.draft"),
    },
    FigureDef {
        key: "brands.status.cultivating",
        zh: "培育品牌",
        en: "Brands in cultivation",
        formula: Formula::Count("brands.status.cultivating"),
    },
    FigureDef {
        key: "brands.status.established",
        zh: "创建品牌",
        en: "Established brands",
        formula: Formula::Count("brands.status.established"),
    },
    FigureDef {
        key: "brands.status.mature",
        zh: "成熟品牌",
        en: "Mature brands",
        formula: Formula::Count("brands.status.mature"),
    },
    FigureDef {
        key: "brands.status.exemplary",
        zh: "示范品牌",
        en: "Exemplary brands",
        formula: Formula::Count("brands.status.exemplary"),
    },
    FigureDef {
        key: "brands.mature_or_better",
        zh: "成熟及以上品牌",
        en: "Mature or exemplary brands",
        formula: Formula::Count("brands.mature_or_better"),
    },
    FigureDef {
        key: "brands.category.unit",
        zh: "党建品牌（单位）",
        en: "Unit brands",
        formula: Formula::Count("brands.category.unit"),
    },
    FigureDef {
        key: "brands.category.activity",
        zh: "党建活动品牌",
        en: "Activity brands",
        formula: Formula::Count("brands.category.activity"),
    },
    FigureDef {
        key: "brands.category.cobuilding",
        zh: "党建共建品牌",
        en: "Co-building brands",
        formula: Formula::Count("brands.category.cobuilding"),
    },
    FigureDef {
        key: "brands.category.branch",
        zh: "支部品牌",
        en: "Branch brands",
        formula: Formula::Count("brands.category.branch"),
    },
    FigureDef {
        key: "brands.standard_met",
        zh: "品牌标准达标数",
        en: "Brands meeting their standard",
        formula: Formula::Count("brands.standard_met"),
    },
    FigureDef { key: "honors.total", zh: "荣誉数", en: "Honors", formula: Formula::Count("honors.total") },
    FigureDef {
        key: "honors.level.national",
        zh: "国家级荣誉",
        en: "National honors",
        formula: Formula::Count("honors.level.national"),
    },
    FigureDef {
        key: "honors.level.central_soe",
        zh: "中央企业级荣誉",
        en: "Central SOE honors",
        formula: Formula::Count("honors.level.central_soe"),
    },
    FigureDef {
        key: "honors.level.provincial",
        zh: "省部级荣誉",
        en: "Provincial honors",
        formula: Formula::Count("honors.level.provincial"),
    },
    FigureDef {
        key: "honors.level.municipal",
        zh: "地市级荣誉",
        en: "Municipal honors",
        formula: Formula::Count("honors.level.municipal"),
    },
    FigureDef {
        key: "honors.level.group",
        zh: "集团级荣誉",
        en: "Group honors",
        formula: Formula::Count("honors.level.group"),
    },
    FigureDef {
        key: "honors.level.internal",
        zh: "内部荣誉",
        en: "Internal honors",
        formula: Formula::Count("honors.level.internal"),
    },
];

/// What one brand contributes to the `brands.*` counters of its unit and
/// every ancestor.
///
/// - `brands.total` and `brands.category.<c>`: from `counted_from` (the year
///   founded, else the year recorded);
/// - `brands.status.<s>` and `brands.mature_or_better`: each status from the
///   year it was entered (+1) to the year it was left (−1), so any past year
///   shows the status then;
/// - `brands.standard_met`: from the year the standard was met.
///
/// `changes` are in the order they happened (same-day changes keep that order).
pub fn brand_contributions(
    category: BrandCategory,
    counted_from: i32,
    changes: &[StatusChange],
    standard_met_on: Option<Date>,
) -> Vec<Contribution> {
    let mut out = vec![at(counted_from, "brands.total"), at(counted_from, category.counter())];
    let mut ordered: Vec<&StatusChange> = changes.iter().collect();
    ordered.sort_by_key(|c| c.on);
    for (i, c) in ordered.iter().enumerate() {
        let entered = c.on.year();
        let left = ordered.get(i + 1).map(|n| n.on.year());
        out.push(at(entered, c.to.counter()));
        if c.to.is_mature_or_better() {
            out.push(at(entered, "brands.mature_or_better"));
        }
        if let Some(left) = left {
            out.push(Contribution::new(left, c.to.counter(), -1));
            if c.to.is_mature_or_better() {
                out.push(Contribution::new(left, "brands.mature_or_better", -1));
            }
        }
    }
    if let Some(d) = standard_met_on {
        out.push(at(d.year(), "brands.standard_met"));
    }
    out
}

/// An honor counts in the year it was awarded, in total and by level.
pub fn honor_contributions(level: HonorLevel, awarded_on: Date) -> Vec<Contribution> {
    vec![at(awarded_on.year(), "honors.total"), at(awarded_on.year(), level.counter())]
}
