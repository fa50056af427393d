//! Assessments of units (考核): each year a unit's parent scores the units
//! below it in each kind of assessment; the scores rank them, the issuer's
//! rule places the first tier (第一方阵), and a unit's run of years in the
//! first tier, or ranked first, or with its business result growing, is its
//! streak.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ids::UnitId;
use crate::stars::points::Points;

/// A kind of assessment. The article's three are built in; their figure
/// keys are fixed by FIGURES.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentKind {
    /// 党建考核
    PartyBuilding,
    /// 经营业绩
    Business,
    /// 宣传思想文化工作
    Publicity,
}

impl AssessmentKind {
    pub const ALL: [AssessmentKind; 3] =
        [AssessmentKind::PartyBuilding, AssessmentKind::Business, AssessmentKind::Publicity];

    pub fn code(self) -> &'static str {
        match self {
            AssessmentKind::PartyBuilding => "party_building",
            AssessmentKind::Business => "business",
            AssessmentKind::Publicity => "publicity",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            AssessmentKind::PartyBuilding => "党建考核",
            AssessmentKind::Business => "经营业绩考核",
            AssessmentKind::Publicity => "宣传思想文化工作考核",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            AssessmentKind::PartyBuilding => "Party building",
            AssessmentKind::Business => "Business performance",
            AssessmentKind::Publicity => "Publicity and culture",
        }
    }

    /// By code or Chinese name (with or without 考核).
    pub fn parse(value: &str) -> Result<AssessmentKind, String> {
        let v = value.trim();
        AssessmentKind::ALL
            .into_iter()
            .find(|k| k.code() == v || k.zh() == v || k.zh().trim_end_matches("考核") == v)
            .ok_or_else(|| {
                let names: Vec<&str> = AssessmentKind::ALL.iter().map(|k| k.zh()).collect();
                format!("未知的考核类别 “{v}”，应为 {} (unknown assessment kind)", names.join("/"))
            })
    }
}

/// How an issuer places the first tier (第一方阵) among the units it assesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "by", content = "value", rename_all = "snake_case")]
pub enum TierRule {
    /// The units ranked this high or better.
    TopRanks(u32),
    /// The units scoring at least this.
    MinScore(Points),
}

impl TierRule {
    /// Without a rule of the issuer's own: the best third, at least one.
    pub fn default_for(assessed: usize) -> TierRule {
        TierRule::TopRanks(assessed.div_ceil(3).max(1) as u32)
    }

    fn places(self, rank: u32, score: Points) -> bool {
        match self {
            TierRule::TopRanks(n) => rank <= n,
            TierRule::MinScore(min) => score >= min,
        }
    }
}

/// A unit's place among the units assessed with it in one kind and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Standing {
    pub unit: UnitId,
    pub score: Points,
    /// 1 for the best score; equal scores share a rank and the next rank
    /// skips (1, 2, 2, 4).
    pub rank: u32,
    pub first_tier: bool,
}

/// The standings of units assessed together, best first (equal scores by unit id).
pub fn standings(scores: &[(UnitId, Points)], rule: Option<TierRule>) -> Vec<Standing> {
    let mut sorted = scores.to_vec();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let rule = rule.unwrap_or(TierRule::default_for(sorted.len()));
    let mut out: Vec<Standing> = Vec::with_capacity(sorted.len());
    for (i, &(unit, score)) in sorted.iter().enumerate() {
        let rank = match out.last() {
            Some(prev) if prev.score == score => prev.rank,
            _ => i as u32 + 1,
        };
        out.push(Standing { unit, score, rank, first_tier: rule.places(rank, score) });
    }
    out
}

/// For every year a condition holds, how many consecutive years it has held
/// up to and including that year (a year without a record breaks the run).
pub fn runs(held: &BTreeMap<i32, bool>) -> Vec<(i32, u32)> {
    let mut out = vec![];
    let mut run: Option<(i32, u32)> = None;
    for (&year, &yes) in held {
        run = match (yes, run) {
            (true, Some((last, n))) if last == year - 1 => Some((year, n + 1)),
            (true, _) => Some((year, 1)),
            (false, _) => None,
        };
        if let Some(r) = run {
            out.push(r);
        }
    }
    out
}

/// The years a yearly result grew over the year before (both recorded).
pub fn growth(results: &BTreeMap<i32, Points>) -> BTreeMap<i32, bool> {
    results.iter().map(|(&y, &v)| (y, results.get(&(y - 1)).is_some_and(|&prev| v > prev))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(n: i64) -> Points {
        Points::whole(n)
    }

    #[test]
    fn the_best_score_ranks_first_and_ties_share_a_rank() {
        let s = standings(&[(UnitId(1), p(80)), (UnitId(2), p(95)), (UnitId(3), p(80)), (UnitId(4), p(70))], None);
        let ranks: Vec<(i64, u32)> = s.iter().map(|s| (s.unit.0, s.rank)).collect();
        assert_eq!(ranks, [(2, 1), (1, 2), (3, 2), (4, 4)]);
        // The best third of four, rounded up: two ranks.
        assert_eq!(s.iter().filter(|s| s.first_tier).count(), 3, "the tie at rank 2 is in the tier too");
    }

    #[test]
    fn the_issuer_places_the_tier_by_rank_or_by_score() {
        let scores = [(UnitId(1), p(91)), (UnitId(2), p(89)), (UnitId(3), p(90))];
        let tier = |rule| -> Vec<i64> {
            standings(&scores, Some(rule)).iter().filter(|s| s.first_tier).map(|s| s.unit.0).collect()
        };
        assert_eq!(tier(TierRule::TopRanks(1)), [1]);
        assert_eq!(tier(TierRule::MinScore(p(90))), [1, 3]);
        assert_eq!(TierRule::default_for(0), TierRule::TopRanks(1));
        assert_eq!(TierRule::default_for(10), TierRule::TopRanks(4));
    }

    #[test]
    fn a_run_counts_consecutive_years_and_a_gap_or_a_miss_breaks_it() {
        let held: BTreeMap<i32, bool> =
            [(2019, true), (2020, true), (2021, false), (2022, true), (2023, true), (2024, true), (2026, true)].into();
        assert_eq!(runs(&held), [(2019, 1), (2020, 2), (2022, 1), (2023, 2), (2024, 3), (2026, 1)]);
    }

    #[test]
    fn growth_needs_the_year_before() {
        let results: BTreeMap<i32, Points> = [(2019, p(100)), (2020, p(104)), (2021, p(104)), (2023, p(110))].into();
        let g = growth(&results);
        assert_eq!(g, [(2019, false), (2020, true), (2021, false), (2023, false)].into());
    }

    #[test]
    fn a_kind_is_read_by_code_or_by_name() {
        assert_eq!(AssessmentKind::parse("党建考核"), Ok(AssessmentKind::PartyBuilding));
        assert_eq!(AssessmentKind::parse("宣传思想文化工作"), Ok(AssessmentKind::Publicity));
        assert_eq!(AssessmentKind::parse("business"), Ok(AssessmentKind::Business));
        assert!(AssessmentKind::parse("体育").unwrap_err().contains("体育"));
    }
}
