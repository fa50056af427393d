//! What assessments contribute to the figures. A unit's own figures (its
//! rank, its streaks) are cells of its own row only ([`Measure::Own`]); the
//! counts of units assessed and in the first tier are summed up its line
//! (the unit included, taken off again by the figure, so that a moved
//! subtree carries them along).

use std::collections::BTreeMap;

use super::assessments::{AssessmentKind, Standing, growth, runs};
use crate::figures::{Contribution, Counter, FigureDef, Formula, Measure, at};
use crate::stars::points::Points;

#[rustfmt::skip]
pub const COUNTERS: &[Counter] = &[
    Counter { key: "assessments.assessed_in.party_building", measure: Measure::AtEnd },
    Counter { key: "assessments.own_assessed.party_building", measure: Measure::Own },
    Counter { key: "assessments.first_tier_in.party_building", measure: Measure::AtEnd },
    Counter { key: "assessments.own_first_tier.party_building", measure: Measure::Own },
    Counter { key: "assessments.rank.party_building", measure: Measure::Own },
    Counter { key: "assessments.streak.first_tier.party_building", measure: Measure::Own },
    Counter { key: "assessments.streak.rank_first.party_building", measure: Measure::Own },
    Counter { key: "assessments.assessed_in.business", measure: Measure::AtEnd },
    Counter { key: "assessments.own_assessed.business", measure: Measure::Own },
    Counter { key: "assessments.first_tier_in.business", measure: Measure::AtEnd },
    Counter { key: "assessments.own_first_tier.business", measure: Measure::Own },
    Counter { key: "assessments.rank.business", measure: Measure::Own },
    Counter { key: "assessments.streak.first_tier.business", measure: Measure::Own },
    Counter { key: "assessments.streak.rank_first.business", measure: Measure::Own },
    Counter { key: "assessments.assessed_in.publicity", measure: Measure::AtEnd },
    Counter { key: "assessments.own_assessed.publicity", measure: Measure::Own },
    Counter { key: "assessments.first_tier_in.publicity", measure: Measure::AtEnd },
    Counter { key: "assessments.own_first_tier.publicity", measure: Measure::Own },
    Counter { key: "assessments.rank.publicity", measure: Measure::Own },
    Counter { key: "assessments.streak.first_tier.publicity", measure: Measure::Own },
    Counter { key: "assessments.streak.rank_first.publicity", measure: Measure::Own },
    Counter { key: "assessments.streak.growth", measure: Measure::Own },
];

pub const FIGURES: &[FigureDef] = &[
    FigureDef {
        key: "assessments.assessed.party_building",
        zh: "参加党建考核的下级单位数",
        en: "Units below assessed in party building",
        formula: Formula::Minus("assessments.assessed_in.party_building", "assessments.own_assessed.party_building"),
    },
    FigureDef {
        key: "assessments.first_tier.party_building",
        zh: "党建考核第一方阵单位数",
        en: "Units below in the first tier of party building",
        formula: Formula::Minus(
            "assessments.first_tier_in.party_building",
            "assessments.own_first_tier.party_building",
        ),
    },
    FigureDef {
        key: "assessments.rank.party_building",
        zh: "党建考核排名",
        en: "Rank in party building",
        formula: Formula::Count("assessments.rank.party_building"),
    },
    FigureDef {
        key: "assessments.streak.first_tier.party_building",
        zh: "党建考核连续位于第一方阵年数",
        en: "Consecutive years in the first tier of party building",
        formula: Formula::Count("assessments.streak.first_tier.party_building"),
    },
    FigureDef {
        key: "assessments.streak.rank_first.party_building",
        zh: "党建考核连续排名第一年数",
        en: "Consecutive years ranked first in party building",
        formula: Formula::Count("assessments.streak.rank_first.party_building"),
    },
    FigureDef {
        key: "assessments.assessed.business",
        zh: "参加经营业绩考核的下级单位数",
        en: "Units below assessed in business performance",
        formula: Formula::Minus("assessments.assessed_in.business", "assessments.own_assessed.business"),
    },
    FigureDef {
        key: "assessments.first_tier.business",
        zh: "经营业绩考核第一方阵单位数",
        en: "Units below in the first tier of business performance",
        formula: Formula::Minus("assessments.first_tier_in.business", "assessments.own_first_tier.business"),
    },
    FigureDef {
        key: "assessments.rank.business",
        zh: "经营业绩考核排名",
        en: "Rank in business performance",
        formula: Formula::Count("assessments.rank.business"),
    },
    FigureDef {
        key: "assessments.streak.first_tier.business",
        zh: "经营业绩考核连续位于第一方阵年数",
        en: "Consecutive years in the first tier of business performance",
        formula: Formula::Count("assessments.streak.first_tier.business"),
    },
    FigureDef {
        key: "assessments.streak.rank_first.business",
        zh: "经营业绩考核连续排名第一年数",
        en: "Consecutive years ranked first in business performance",
        formula: Formula::Count("assessments.streak.rank_first.business"),
    },
    FigureDef {
        key: "assessments.assessed.publicity",
        zh: "参加宣传思想文化工作考核的下级单位数",
        en: "Units below assessed in publicity and culture",
        formula: Formula::Minus("assessments.assessed_in.publicity", "assessments.own_assessed.publicity"),
    },
    FigureDef {
        key: "assessments.first_tier.publicity",
        zh: "宣传思想文化工作考核第一方阵单位数",
        en: "Units below in the first tier of publicity and culture",
        formula: Formula::Minus("assessments.first_tier_in.publicity", "assessments.own_first_tier.publicity"),
    },
    FigureDef {
        key: "assessments.rank.publicity",
        zh: "宣传思想文化工作考核排名",
        en: "Rank in publicity and culture",
        formula: Formula::Count("assessments.rank.publicity"),
    },
    FigureDef {
        key: "assessments.streak.first_tier.publicity",
        zh: "宣传思想文化工作考核连续位于第一方阵年数",
        en: "Consecutive years in the first tier of publicity and culture",
        formula: Formula::Count("assessments.streak.first_tier.publicity"),
    },
    FigureDef {
        key: "assessments.streak.rank_first.publicity",
        zh: "宣传思想文化工作考核连续排名第一年数",
        en: "Consecutive years ranked first in publicity and culture",
        formula: Formula::Count("assessments.streak.rank_first.publicity"),
    },
    FigureDef {
        key: "assessments.streak.growth",
        zh: "经营业绩连续增长年数",
        en: "Consecutive years of business growth",
        formula: Formula::Count("assessments.streak.growth"),
    },
];

/// The counter keys of one kind.
struct Keys {
    assessed_in: &'static str,
    own_assessed: &'static str,
    first_tier_in: &'static str,
    own_first_tier: &'static str,
    rank: &'static str,
    streak_first_tier: &'static str,
    streak_rank_first: &'static str,
}

fn keys(kind: AssessmentKind) -> Keys {
    match kind {
        AssessmentKind::PartyBuilding => Keys {
            assessed_in: "assessments.assessed_in.party_building",
            own_assessed: "assessments.own_assessed.party_building",
            first_tier_in: "assessments.first_tier_in.party_building",
            own_first_tier: "assessments.own_first_tier.party_building",
            rank: "assessments.rank.party_building",
            streak_first_tier: "assessments.streak.first_tier.party_building",
            streak_rank_first: "assessments.streak.rank_first.party_building",
        },
        AssessmentKind::Business => Keys {
            assessed_in: "assessments.assessed_in.business",
            own_assessed: "assessments.own_assessed.business",
            first_tier_in: "assessments.first_tier_in.business",
            own_first_tier: "assessments.own_first_tier.business",
            rank: "assessments.rank.business",
            streak_first_tier: "assessments.streak.first_tier.business",
            streak_rank_first: "assessments.streak.rank_first.business",
        },
        AssessmentKind::Publicity => Keys {
            assessed_in: "assessments.assessed_in.publicity",
            own_assessed: "assessments.own_assessed.publicity",
            first_tier_in: "assessments.first_tier_in.publicity",
            own_first_tier: "assessments.own_first_tier.publicity",
            rank: "assessments.rank.publicity",
            streak_first_tier: "assessments.streak.first_tier.publicity",
            streak_rank_first: "assessments.streak.rank_first.publicity",
        },
    }
}

/// A unit's assessment record: its standing in each kind and year, and its
/// yearly business result.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub standings: BTreeMap<(AssessmentKind, i32), Standing>,
    pub results: BTreeMap<i32, Points>,
}

/// What a unit's history contributes: (to its own row only, to every unit of
/// its line including itself).
pub fn contributions(h: &History) -> (Vec<Contribution>, Vec<Contribution>) {
    let (mut own, mut line) = (vec![], vec![]);
    for kind in AssessmentKind::ALL {
        let k = keys(kind);
        let years: BTreeMap<i32, &Standing> =
            h.standings.iter().filter(|((k2, _), _)| *k2 == kind).map(|((_, y), s)| (*y, s)).collect();
        for (&year, s) in &years {
            line.push(at(year, k.assessed_in));
            own.push(at(year, k.own_assessed));
            own.push(Contribution::new(year, k.rank, i64::from(s.rank)));
            if s.first_tier {
                line.push(at(year, k.first_tier_in));
                own.push(at(year, k.own_first_tier));
            }
        }
        let tier = years.iter().map(|(&y, s)| (y, s.first_tier)).collect();
        for (year, n) in runs(&tier) {
            own.push(Contribution::new(year, k.streak_first_tier, i64::from(n)));
        }
        let first = years.iter().map(|(&y, s)| (y, s.rank == 1)).collect();
        for (year, n) in runs(&first) {
            own.push(Contribution::new(year, k.streak_rank_first, i64::from(n)));
        }
    }
    for (year, n) in runs(&growth(&h.results)) {
        own.push(Contribution::new(year, "assessments.streak.growth", i64::from(n)));
    }
    (own, line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{Span, Value, compute};
    use crate::ids::UnitId;

    fn standing(rank: u32, first_tier: bool) -> Standing {
        Standing { unit: UnitId(7), score: Points::whole(90), rank, first_tier }
    }

    /// The figures of one unit's own row and of its parent's, from its history.
    fn figures(h: &History, span: Span) -> (crate::figures::Figures, crate::figures::Figures) {
        let (own, line) = contributions(h);
        let rows = |cs: &[Contribution]| -> Vec<(i32, String, i64)> {
            cs.iter().map(|c| (c.year, c.cell_key().to_string(), c.delta)).collect()
        };
        let mine: Vec<_> = rows(&own).into_iter().chain(rows(&line)).collect();
        (compute(&mine, span), compute(&rows(&line), span))
    }

    #[test]
    fn streaks_end_with_the_spans_last_year_and_the_parent_counts_the_unit_below() {
        let pb = AssessmentKind::PartyBuilding;
        let mut h = History::default();
        for (year, rank, tier) in [(2021, 4, false), (2022, 2, true), (2023, 1, true), (2024, 1, true)] {
            h.standings.insert((pb, year), standing(rank, tier));
        }
        for (year, v) in [(2020, 100), (2021, 103), (2022, 107), (2023, 111), (2024, 118)] {
            h.results.insert(year, Points::whole(v));
        }
        let (own, parent) = figures(&h, Span { from: 2019, to: 2024 });
        assert_eq!(own["assessments.streak.first_tier.party_building"], Value::Count(3));
        assert_eq!(own["assessments.streak.rank_first.party_building"], Value::Count(2));
        assert_eq!(own["assessments.rank.party_building"], Value::Count(1));
        assert_eq!(own["assessments.streak.growth"], Value::Count(4), "2021 to 2024 each grew");
        assert_eq!(own["assessments.assessed.party_building"], Value::Count(0), "not a unit below itself");
        assert_eq!(parent["assessments.assessed.party_building"], Value::Count(1));
        assert_eq!(parent["assessments.first_tier.party_building"], Value::Count(1));
        assert_eq!(parent["assessments.rank.party_building"], Value::Count(0), "a rank is the unit's own");
        // Ending in 2022, the runs are as they stood then.
        let (own, _) = figures(&h, Span::year(2022));
        assert_eq!(own["assessments.streak.first_tier.party_building"], Value::Count(1));
        assert_eq!(own["assessments.rank.party_building"], Value::Count(2));
        assert_eq!(own["assessments.streak.rank_first.party_building"], Value::Count(0));
        // A year without an assessment: no rank, no streak.
        let (own, parent) = figures(&h, Span::year(2025));
        assert_eq!(own["assessments.streak.first_tier.party_building"], Value::Count(0));
        assert_eq!(parent["assessments.assessed.party_building"], Value::Count(0));
    }
}
