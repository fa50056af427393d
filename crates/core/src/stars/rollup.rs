//! What awarded stars contribute to the `stars.*` figures.
//!
//! A figure counts, for each branch, its star from the latest awarded
//! campaign whose year is in the span ([`Measure::Latest`]). So a branch's
//! awards form a chain in time (by campaign year, then award time): each
//! award contributes at its year with `aux` = the year of the branch's next
//! award, `None` for the newest. A new award or a removed one changes its
//! neighbour's `aux`: writers recompute the branch's whole chain before and
//! after the change and apply the difference.
//!
//! A withdrawn star (摘星) counts as 0 stars for its campaign year: the
//! branch stays among the evaluated and moves to `stars.exact.0`, so
//! withdrawing a star never improves a rate.
//!
//! [`Measure::Latest`]: crate::figures::Measure::Latest

use crate::figures::{Contribution, Counter, FigureDef, Formula, Measure, at};
use crate::stars::MAX_STARS;

// Each branch's star comes from its latest award in the span.
pub const COUNTERS: &[Counter] = &[
    Counter { key: "stars.evaluated", measure: Measure::Latest },
    Counter { key: "stars.exact.0", measure: Measure::Latest },
    Counter { key: "stars.exact.1", measure: Measure::Latest },
    Counter { key: "stars.exact.2", measure: Measure::Latest },
    Counter { key: "stars.exact.3", measure: Measure::Latest },
    Counter { key: "stars.exact.4", measure: Measure::Latest },
    Counter { key: "stars.exact.5", measure: Measure::Latest },
    Counter { key: "stars.exact.6", measure: Measure::Latest },
    Counter { key: "stars.at_least.1", measure: Measure::Latest },
    Counter { key: "stars.at_least.2", measure: Measure::Latest },
    Counter { key: "stars.at_least.3", measure: Measure::Latest },
    Counter { key: "stars.at_least.4", measure: Measure::Latest },
    Counter { key: "stars.at_least.5", measure: Measure::Latest },
    Counter { key: "stars.at_least.6", measure: Measure::Latest },
];

pub const FIGURES: &[FigureDef] = &[
    FigureDef {
        key: "stars.evaluated",
        zh: "评定星级党支部数",
        en: "Branches rated",
        formula: Formula::Count("stars.evaluated"),
    },
    FigureDef {
        key: "stars.exact.0",
        zh: "未获星级党支部数",
        en: "Branches with no star",
        formula: Formula::Count("stars.exact.0"),
    },
    FigureDef {
        key: "stars.exact.1",
        zh: "一星党支部数",
        en: "1-star branches",
        formula: Formula::Count("stars.exact.1"),
    },
    FigureDef {
        key: "stars.exact.2",
        zh: "二星党支部数",
        en: "2-star branches",
        formula: Formula::Count("stars.exact.2"),
    },
    FigureDef {
        key: "stars.exact.3",
        zh: "三星党支部数",
        en: "3-star branches",
        formula: Formula::Count("stars.exact.3"),
    },
    FigureDef {
        key: "stars.exact.4",
        zh: "四星党支部数",
        en: "4-star branches",
        formula: Formula::Count("stars.exact.4"),
    },
    FigureDef {
        key: "stars.exact.5",
        zh: "五星党支部数",
        en: "5-star branches",
        formula: Formula::Count("stars.exact.5"),
    },
    FigureDef {
        key: "stars.exact.6",
        zh: "六星党支部数",
        en: "6-star branches",
        formula: Formula::Count("stars.exact.6"),
    },
    FigureDef {
        key: "stars.at_least.1",
        zh: "一星及以上党支部数",
        en: "Branches with 1 stars or more",
        formula: Formula::Count("stars.at_least.1"),
    },
    FigureDef {
        key: "stars.at_least.2",
        zh: "二星及以上党支部数",
        en: "Branches with 2 stars or more",
        formula: Formula::Count("stars.at_least.2"),
    },
    FigureDef {
        key: "stars.at_least.3",
        zh: "三星及以上党支部数",
        en: "Branches with 3 stars or more",
        formula: Formula::Count("stars.at_least.3"),
    },
    FigureDef {
        key: "stars.at_least.4",
        zh: "四星及以上党支部数",
        en: "Branches with 4 stars or more",
        formula: Formula::Count("stars.at_least.4"),
    },
    FigureDef {
        key: "stars.at_least.5",
        zh: "五星及以上党支部数",
        en: "Branches with 5 stars or more",
        formula: Formula::Count("stars.at_least.5"),
    },
    FigureDef {
        key: "stars.at_least.6",
        zh: "六星及以上党支部数",
        en: "Branches with 6 stars or more",
        formula: Formula::Count("stars.at_least.6"),
    },
    FigureDef {
        key: "stars.at_least_rate.1",
        zh: "一星及以上占比",
        en: "Share with 1 stars or more",
        formula: Formula::Rate("stars.at_least.1", "stars.evaluated"),
    },
    FigureDef {
        key: "stars.at_least_rate.2",
        zh: "二星及以上占比",
        en: "Share with 2 stars or more",
        formula: Formula::Rate("stars.at_least.2", "stars.evaluated"),
    },
    FigureDef {
        key: "stars.at_least_rate.3",
        zh: "三星及以上占比",
        en: "Share with 3 stars or more",
        formula: Formula::Rate("stars.at_least.3", "stars.evaluated"),
    },
    FigureDef {
        key: "stars.at_least_rate.4",
        zh: "四星及以上占比",
        en: "Share with 4 stars or more",
        formula: Formula::Rate("stars.at_least.4", "stars.evaluated"),
    },
    FigureDef {
        key: "stars.at_least_rate.5",
        zh: "五星及以上占比",
        en: "Share with 5 stars or more",
        formula: Formula::Rate("stars.at_least.5", "stars.evaluated"),
    },
    FigureDef {
        key: "stars.at_least_rate.6",
        zh: "六星及以上占比",
        en: "Share with 6 stars or more",
        formula: Formula::Rate("stars.at_least.6", "stars.evaluated"),
    },
];

pub const EVALUATED: &str = "stars.evaluated";
/// `stars.exact.<n>`, n = 0..6.
pub const EXACT: [&str; 7] = [
    "stars.exact.0",
    "stars.exact.1",
    "stars.exact.2",
    "stars.exact.3",
    "stars.exact.4",
    "stars.exact.5",
    "stars.exact.6",
];
/// `stars.at_least.<n>` at index n − 1, n = 1..6.
pub const AT_LEAST: [&str; 6] = [
    "stars.at_least.1",
    "stars.at_least.2",
    "stars.at_least.3",
    "stars.at_least.4",
    "stars.at_least.5",
    "stars.at_least.6",
];

/// One award of a branch as the figures see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Award {
    /// The campaign's year.
    pub year: i32,
    /// The star held: 0 once withdrawn.
    pub star: u8,
}

impl Award {
    pub fn new(year: i32, star: u8, withdrawn: bool) -> Award {
        Award { year, star: if withdrawn { 0 } else { star.min(MAX_STARS) } }
    }
}

/// One award's cells, `next` being the year of the branch's next award.
pub fn award_contributions(award: Award, next: Option<i32>) -> Vec<Contribution> {
    let mut out = vec![at(award.year, EVALUATED), at(award.year, EXACT[award.star as usize])];
    for key in &AT_LEAST[..award.star as usize] {
        out.push(at(award.year, key));
    }
    out.into_iter().map(|c| c.with_aux(next)).collect()
}

/// The cells of a branch's awards, given oldest first.
pub fn chain_contributions(awards: &[Award]) -> Vec<Contribution> {
    awards.iter().enumerate().flat_map(|(i, a)| award_contributions(*a, awards.get(i + 1).map(|n| n.year))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{FIGURES, RollupDelta, Span, Value, compute, counter};
    use crate::ids::UnitId;

    #[test]
    fn every_key_is_a_latest_counter_and_every_figure_is_published() {
        for k in std::iter::once(EVALUATED).chain(EXACT).chain(AT_LEAST) {
            let c = counter(k).unwrap_or_else(|| panic!("{k} is not registered"));
            assert_eq!(c.measure, crate::figures::Measure::Latest, "{k}");
        }
        let keys: Vec<&str> = FIGURES.iter().map(|f| f.key).filter(|k| k.starts_with("stars.")).collect();
        assert_eq!(keys.len(), 1 + 7 + 6 + 6);
        for n in 1..=6 {
            assert!(keys.contains(&format!("stars.at_least_rate.{n}").as_str()));
        }
    }

    fn figures_of(chains: &[&[Award]], span: Span) -> crate::figures::Figures {
        let mut d = RollupDelta::default();
        for (i, chain) in chains.iter().enumerate() {
            d.add(&[UnitId(1), UnitId(10 + i as i64)], &chain_contributions(chain), 1);
        }
        let rows: Vec<(i32, String, i64)> =
            d.cells().into_iter().filter(|c| c.0 == UnitId(1)).map(|(_, y, k, v)| (y, k.to_string(), v)).collect();
        compute(&rows, span)
    }

    #[test]
    fn the_latest_award_in_the_span_counts() {
        let a = [Award::new(2022, 3, false), Award::new(2023, 5, false)];
        let b = [Award::new(2022, 6, false)];
        let c = [Award::new(2023, 4, true)];
        let chains: [&[Award]; 3] = [&a, &b, &c];
        let f = figures_of(&chains, Span { from: 2023, to: 2023 });
        assert_eq!(f["stars.evaluated"], Value::Count(2));
        assert_eq!(f["stars.exact.5"], Value::Count(1));
        assert_eq!(f["stars.exact.0"], Value::Count(1), "a withdrawn star counts as none");
        assert_eq!(f["stars.at_least.3"], Value::Count(1));
        assert_eq!(f["stars.at_least_rate.3"], Value::Rate(0.5));
        let f = figures_of(&chains, Span { from: 2022, to: 2023 });
        assert_eq!(f["stars.evaluated"], Value::Count(3));
        assert_eq!(f["stars.exact.6"], Value::Count(1));
        assert_eq!(f["stars.exact.3"], Value::Count(0), "2022's 3★ is superseded by 2023's 5★");
        assert_eq!(f["stars.at_least.1"], Value::Count(2));
        let f = figures_of(&chains, Span { from: 2022, to: 2022 });
        assert_eq!((f["stars.exact.3"], f["stars.exact.6"]), (Value::Count(1), Value::Count(1)));
        let f = figures_of(&chains, Span { from: 2024, to: 2026 });
        assert_eq!(f["stars.evaluated"], Value::Count(0));
        assert_eq!(f["stars.at_least_rate.1"], Value::Rate(0.0));
    }

    #[test]
    fn chains_tell_each_award_its_successor() {
        let chain = [Award::new(2021, 2, false), Award::new(2023, 4, false), Award::new(2023, 5, false)];
        let cells = chain_contributions(&chain);
        let of = |year: i32| cells.iter().filter(|c| c.year == year && c.key == EVALUATED).collect::<Vec<_>>();
        assert_eq!(of(2021)[0].aux, Some(2023));
        let in_2023: Vec<Option<i32>> = of(2023).iter().map(|c| c.aux).collect();
        assert_eq!(in_2023, [Some(2023), None], "a same-year successor hides the earlier award");
        assert_eq!(cells.iter().filter(|c| c.key.starts_with("stars.at_least.")).count(), 2 + 4 + 5);
    }
}
