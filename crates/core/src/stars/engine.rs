//! The star engine: indicator scores → a score and a level per dimension →
//! the star of the first rule that holds → capped by any veto found. Pure
//! functions, with the explanation a branch and its reviewers read: which
//! rule matched, against which thresholds, what the next star lacks, which
//! veto capped the star.
//!
//! Two properties hold for every valid scheme (rules are ordered from the
//! most stars down and ask only "at least"): more score never gives fewer
//! stars, and a veto never raises a star. The property tests below check
//! both on random schemes and scores.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::stars::points::Points;
use crate::stars::scheme::{AutoScore, Level, Quota, Requirement, SchemeBody, StarRule};
use crate::stars::{star_en, star_zh};

/// A dimension's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DimensionResult {
    pub code: String,
    pub name: String,
    pub score: Points,
    pub max: Points,
    pub level: Level,
    /// The lowest score of the level reached (`None` below standard).
    pub threshold: Option<Points>,
    /// The next level up and its lowest score (`None` at benchmark).
    pub next: Option<(Level, Points)>,
}

/// One condition of a rule, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionCheck {
    pub dimension: String,
    pub name: String,
    pub required: Requirement,
    /// The score the requirement stands for (a level's threshold, or the score itself).
    pub needed: Points,
    pub score: Points,
    pub met: bool,
}

/// A rule with its conditions checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCheck {
    /// Its place in the scheme's list, from 0.
    pub index: usize,
    pub stars: u8,
    pub checks: Vec<ConditionCheck>,
}

/// A veto found, with the star it allows at most.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VetoHit {
    pub code: String,
    pub name: String,
    pub cap: u8,
}

/// Everything the engine decided, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub dimensions: Vec<DimensionResult>,
    /// The first rule that holds; `None` gives 0 stars.
    pub rule: Option<RuleCheck>,
    /// The rule just above the one that held (or the lowest rule when none
    /// held): what the next star lacks.
    pub next: Option<RuleCheck>,
    /// The star the rules give, before vetoes.
    pub rule_stars: u8,
    /// Vetoes found, in the scheme's order.
    pub vetoes: Vec<VetoHit>,
    /// The star: `rule_stars` capped by every veto found.
    pub star: u8,
    /// Indicators without a score (counted as 0).
    pub unscored: Vec<String>,
}

fn check(body: &SchemeBody, index: usize, rule: &StarRule, dims: &[DimensionResult]) -> RuleCheck {
    let checks = rule
        .all
        .iter()
        .map(|c| {
            let d = dims.iter().find(|d| d.code == c.dimension);
            let score = d.map_or(Points::ZERO, |d| d.score);
            let needed = match c.at_least {
                Requirement::Score(p) => p,
                Requirement::Level(l) => {
                    body.dimension(&c.dimension).and_then(|d| d.threshold(l)).unwrap_or(Points::ZERO)
                }
            };
            let met = match c.at_least {
                Requirement::Score(p) => score >= p,
                Requirement::Level(l) => d.is_some_and(|d| d.level >= l),
            };
            ConditionCheck {
                dimension: c.dimension.clone(),
                name: d.map_or_else(|| c.dimension.clone(), |d| d.name.clone()),
                required: c.at_least,
                needed,
                score,
                met,
            }
        })
        .collect();
    RuleCheck { index, stars: rule.stars, checks }
}

/// Evaluates one branch: `scores` by indicator code (missing ones count 0),
/// `vetoes` the codes of the vetoes found (codes the scheme lacks are ignored).
pub fn evaluate(body: &SchemeBody, scores: &BTreeMap<String, Points>, vetoes: &[String]) -> Outcome {
    let mut unscored = vec![];
    let dimensions: Vec<DimensionResult> = body
        .dimensions
        .iter()
        .map(|d| {
            let score = d
                .indicators
                .iter()
                .map(|i| match scores.get(&i.code) {
                    Some(&s) => i.share(s),
                    None => {
                        unscored.push(i.code.clone());
                        Points::ZERO
                    }
                })
                .sum();
            let level = d.level_of(score);
            let next = Level::RANKED.into_iter().find(|&l| l > level).and_then(|l| d.threshold(l).map(|t| (l, t)));
            DimensionResult {
                code: d.code.clone(),
                name: d.name.clone(),
                score,
                max: d.max(),
                level,
                threshold: d.threshold(level),
                next,
            }
        })
        .collect();
    let checks: Vec<RuleCheck> = body.rules.iter().enumerate().map(|(i, r)| check(body, i, r, &dimensions)).collect();
    let held = checks.iter().position(|c| c.checks.iter().all(|x| x.met));
    let (rule, next) = match held {
        Some(i) => (Some(checks[i].clone()), i.checked_sub(1).map(|j| checks[j].clone())),
        None => (None, checks.last().cloned()),
    };
    let rule_stars = rule.as_ref().map_or(0, |r| r.stars);
    let hits: Vec<VetoHit> = body
        .vetoes
        .iter()
        .filter(|v| vetoes.contains(&v.code))
        .map(|v| VetoHit { code: v.code.clone(), name: v.name.clone(), cap: v.cap })
        .collect();
    let star = hits.iter().map(|h| h.cap).fold(rule_stars, u8::min);
    Outcome { dimensions, rule, next, rule_stars, vetoes: hits, star, unscored }
}

impl Outcome {
    /// The explanation, one sentence a line, in Chinese.
    pub fn explain_zh(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .dimensions
            .iter()
            .map(|d| {
                let mut s = format!("{}：{} 分（满分 {}），{}", d.name, d.score, d.max, d.level.zh());
                if let Some(t) = d.threshold {
                    s.push_str(&format!("（{}线 {} 分）", d.level.zh(), t));
                }
                if let Some((l, t)) = d.next {
                    s.push_str(&format!("；距{}线 {} 分还差 {} 分", l.zh(), t, t - d.score));
                }
                s
            })
            .collect();
        let conds = |r: &RuleCheck| {
            r.checks.iter().map(|c| format!("{}{}", c.name, c.required.zh())).collect::<Vec<_>>().join(" 且 ")
        };
        match &self.rule {
            Some(r) => out.push(format!("适用第 {} 条规则：{}（{}）", r.index + 1, star_zh(r.stars), conds(r))),
            None => out.push("未满足任何星级规则，评为零星".to_string()),
        }
        if let Some(n) = &self.next {
            let lacking: Vec<String> = n
                .checks
                .iter()
                .filter(|c| !c.met)
                .map(|c| format!("{}需{}（现 {} 分，需 {} 分）", c.name, c.required.zh(), c.score, c.needed))
                .collect();
            out.push(format!("未达{}：{}", star_zh(n.stars), lacking.join("；")));
        }
        for v in &self.vetoes {
            if v.cap < self.rule_stars {
                out.push(format!(
                    "一票否决：{}（{}），最高{}，星级由{}降为{}",
                    v.name,
                    v.code,
                    star_zh(v.cap),
                    star_zh(self.rule_stars),
                    star_zh(self.star)
                ));
            } else {
                out.push(format!("否决项：{}（{}），最高{}，未改变星级", v.name, v.code, star_zh(v.cap)));
            }
        }
        if !self.unscored.is_empty() {
            out.push(format!("未评分指标按 0 分计：{}", self.unscored.join("、")));
        }
        out.push(format!("评定结果：{}", star_zh(self.star)));
        out
    }

    /// The explanation, one sentence a line, in English.
    pub fn explain_en(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .dimensions
            .iter()
            .map(|d| {
                let mut s = format!("{}: {} of {} points, {}", d.name, d.score, d.max, d.level.en().to_lowercase());
                if let Some(t) = d.threshold {
                    s.push_str(&format!(" (threshold {t})"));
                }
                if let Some((l, t)) = d.next {
                    s.push_str(&format!("; {} more for {} ({t})", t - d.score, l.en().to_lowercase()));
                }
                s
            })
            .collect();
        let conds = |r: &RuleCheck| {
            r.checks.iter().map(|c| format!("{} {}", c.name, c.required.en())).collect::<Vec<_>>().join(" and ")
        };
        match &self.rule {
            Some(r) => out.push(format!("Rule {} applies: {} ({})", r.index + 1, star_en(r.stars), conds(r))),
            None => out.push("No star rule holds: no star".to_string()),
        }
        if let Some(n) = &self.next {
            let lacking: Vec<String> = n
                .checks
                .iter()
                .filter(|c| !c.met)
                .map(|c| format!("{} needs {} (has {}, needs {})", c.name, c.required.en(), c.score, c.needed))
                .collect();
            out.push(format!("Not {}: {}", star_en(n.stars), lacking.join("; ")));
        }
        for v in &self.vetoes {
            if v.cap < self.rule_stars {
                out.push(format!(
                    "Veto: {} ({}) caps at {}, lowering {} to {}",
                    v.name,
                    v.code,
                    star_en(v.cap),
                    star_en(self.rule_stars),
                    star_en(self.star)
                ));
            } else {
                out.push(format!("Veto: {} ({}) caps at {}, no change", v.name, v.code, star_en(v.cap)));
            }
        }
        if !self.unscored.is_empty() {
            out.push(format!("Unscored indicators count 0: {}", self.unscored.join(", ")));
        }
        out.push(format!("Result: {}", star_en(self.star)));
        out
    }
}

/// The score of an auto-scored indicator whose figure is `value`.
pub fn auto_score(max: Points, rule: &AutoScore, value: f64) -> Points {
    if rule.full == rule.zero || !value.is_finite() {
        return Points::ZERO;
    }
    let share = ((value - rule.zero) / (rule.full - rule.zero)).clamp(0.0, 1.0);
    Points((max.0 as f64 * share).round() as i64)
}

/// A quota broken: more branches with `stars` stars or more than allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuotaUse {
    pub stars: u8,
    pub max_percent: u8,
    /// Branches allowed: `max_percent` % of all, rounded down.
    pub allowed: usize,
    pub actual: usize,
}

impl QuotaUse {
    pub fn exceeded(&self) -> bool {
        self.actual > self.allowed
    }

    pub fn zh(&self) -> String {
        format!(
            "{}及以上不超过 {}%（{} 个）：现有 {} 个",
            star_zh(self.stars),
            self.max_percent,
            self.allowed,
            self.actual
        )
    }

    pub fn en(&self) -> String {
        format!("{} or more at most {}% ({}): now {}", star_en(self.stars), self.max_percent, self.allowed, self.actual)
    }
}

/// A quota as a campaign stands before its award: against the branches whose
/// review is done (what the award is held to), and against the provisional
/// star of every branch (self-assessed or reviewed so far), so that a page
/// warns before the award refuses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuotaStanding {
    pub reviewed: QuotaUse,
    pub provisional: QuotaUse,
}

impl QuotaStanding {
    /// The provisional stars would break the quota were they all confirmed.
    pub fn at_risk(&self) -> bool {
        self.provisional.exceeded()
    }

    pub fn zh(&self) -> String {
        if self.reviewed == self.provisional {
            return self.reviewed.zh();
        }
        let p = &self.provisional;
        format!("{}；连同暂定星级共 {} 个（全部审定后上限 {} 个）", self.reviewed.zh(), p.actual, p.allowed)
    }

    pub fn en(&self) -> String {
        if self.reviewed == self.provisional {
            return self.reviewed.en();
        }
        let p = &self.provisional;
        format!(
            "{}; {} with provisional stars ({} allowed once all are reviewed)",
            self.reviewed.en(),
            p.actual,
            p.allowed
        )
    }
}

/// How each quota is used by a campaign whose branches have `stars`.
pub fn quota_use(quotas: &[Quota], stars: &[u8]) -> Vec<QuotaUse> {
    quotas
        .iter()
        .map(|q| QuotaUse {
            stars: q.stars,
            max_percent: q.max_percent,
            allowed: stars.len() * usize::from(q.max_percent) / 100,
            actual: stars.iter().filter(|&&s| s >= q.stars).count(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::stars::scheme::tests::sample;
    use crate::stars::scheme::{Condition, Dimension, Indicator, Veto, default_rules};

    fn scores(pairs: &[(&str, i64)]) -> BTreeMap<String, Points> {
        pairs.iter().map(|(k, v)| (k.to_string(), Points::whole(*v))).collect()
    }

    /// Party-building and business totals split over the sample's indicators.
    fn totals(pb: i64, bp: i64) -> BTreeMap<String, Points> {
        let pb1 = pb.min(40);
        let pb2 = (pb - pb1).min(30);
        let bp1 = bp.min(50);
        scores(&[("PB1", pb1), ("PB2", pb2), ("PB3", pb - pb1 - pb2), ("BP1", bp1), ("BP2", bp - bp1)])
    }

    #[test]
    fn the_default_rules_table() {
        let s = sample();
        // (party building, business, star)
        let table = [
            (95, 92, 6),
            (90, 90, 6),
            (95, 89, 5),
            (80, 80, 5),
            (89, 79, 4),
            (60, 60, 4),
            (100, 59, 3),
            (60, 0, 3),
            (59, 100, 2),
            (45, 45, 2),
            (44, 100, 1),
            (30, 0, 1),
            (29, 100, 0),
            (0, 0, 0),
        ];
        for (pb, bp, star) in table {
            let o = evaluate(&s, &totals(pb, bp), &[]);
            assert_eq!(o.star, star, "party {pb}, business {bp}: {:?}", o.explain_zh());
            assert_eq!(o.rule_stars, star);
            assert_eq!(o.rule.as_ref().map(|r| r.stars).unwrap_or(0), star);
        }
    }

    #[test]
    fn the_explanation_names_rule_thresholds_next_star_and_veto() {
        let s = sample();
        let o = evaluate(&s, &totals(86, 91), &["V2".to_string(), "NOPE".to_string()]);
        assert_eq!((o.rule_stars, o.star), (5, 2));
        assert_eq!(o.dimensions[0].level, Level::Excellent);
        assert_eq!(o.dimensions[0].threshold, Some(Points::whole(80)));
        assert_eq!(o.dimensions[0].next, Some((Level::Benchmark, Points::whole(90))));
        assert_eq!(o.rule.as_ref().unwrap().index, 1);
        let next = o.next.as_ref().unwrap();
        assert_eq!(next.stars, 6);
        assert_eq!(next.checks.iter().filter(|c| !c.met).count(), 1, "only party building lacks");
        let zh = o.explain_zh().join("\n");
        for part in [
            "党建：86 分（满分 100），优秀（优秀线 80 分）；距标杆线 90 分还差 4 分",
            "适用第 2 条规则：五星（党建优秀 且 业绩优秀）",
            "未达六星：党建需标杆（现 86 分，需 90 分）",
            "一票否决：重大安全事故（V2），最高二星，星级由五星降为二星",
            "评定结果：二星",
        ] {
            assert!(zh.contains(part), "{part}\n---\n{zh}");
        }
        let en = o.explain_en().join("\n");
        assert!(en.contains("Rule 2 applies: 5-star") && en.contains("Result: 2-star"), "{en}");
        assert_eq!(o.vetoes.len(), 1, "unknown veto codes are ignored");
    }

    #[test]
    fn unscored_indicators_count_zero_and_no_rule_means_no_star() {
        let s = sample();
        let o = evaluate(&s, &scores(&[("PB1", 20)]), &[]);
        assert_eq!(o.star, 0);
        assert!(o.rule.is_none());
        assert_eq!(o.next.as_ref().map(|n| n.stars), Some(1), "the lowest rule is what is next");
        assert_eq!(o.unscored, ["PB2", "PB3", "BP1", "BP2"]);
        assert!(o.explain_zh().iter().any(|l| l.starts_with("未满足任何星级规则")));
    }

    #[test]
    fn a_veto_above_the_star_changes_nothing() {
        let o = evaluate(&sample(), &totals(70, 40), &["V2".to_string()]);
        assert_eq!((o.rule_stars, o.star), (3, 2));
        let o = evaluate(&sample(), &totals(50, 40), &["V2".to_string()]);
        assert_eq!((o.rule_stars, o.star), (2, 2));
        assert!(o.explain_zh().iter().any(|l| l.contains("未改变星级")));
    }

    #[test]
    fn auto_scores_are_linear_between_zero_and_full() {
        let rule = AutoScore { figure: "grids.coverage_rate".into(), zero: 0.5, full: 1.0 };
        let max = Points::whole(10);
        assert_eq!(auto_score(max, &rule, 1.0), Points::whole(10));
        assert_eq!(auto_score(max, &rule, 0.75), Points::whole(5));
        assert_eq!(auto_score(max, &rule, 0.2), Points::ZERO);
        assert_eq!(auto_score(max, &rule, 3.0), Points::whole(10));
        // Less is better: 0 overdue tasks full marks, 10 or more none.
        let fewer = AutoScore { figure: "tasks.overdue".into(), zero: 10.0, full: 0.0 };
        assert_eq!(auto_score(max, &fewer, 2.0), Points::whole(8));
    }

    #[test]
    fn quotas_count_stars_at_or_above() {
        let quotas = [Quota { stars: 6, max_percent: 2 }, Quota { stars: 5, max_percent: 20 }];
        let mut stars = vec![3u8; 100];
        stars[..3].fill(6);
        stars[3..10].fill(5);
        let used = quota_use(&quotas, &stars);
        assert_eq!((used[0].allowed, used[0].actual, used[0].exceeded()), (2, 3, true));
        assert_eq!((used[1].allowed, used[1].actual, used[1].exceeded()), (20, 10, false));
        assert!(used[0].zh().contains("六星及以上不超过 2%"));
    }

    // -- properties ----------------------------------------------------------

    /// A random valid scheme: 1–3 dimensions of 1–4 indicators, thresholds in
    /// order, rules of descending stars asking levels or scores, vetoes.
    fn scheme() -> impl Strategy<Value = SchemeBody> {
        let dims =
            prop::collection::vec((prop::collection::vec(1i64..=40, 1..=4), 1u32..=100, 0u32..=100, 0u32..=100), 1..=3);
        (dims, prop::collection::vec(any::<u8>(), 6), prop::collection::vec(0u8..=5, 0..=3)).prop_map(
            |(dims, rule_seeds, caps)| {
                let dimensions: Vec<Dimension> = dims
                    .iter()
                    .enumerate()
                    .map(|(i, (maxes, a, b, c))| {
                        let max: i64 = maxes.iter().sum::<i64>() * 100;
                        let t = |p: u32| Points((max * i64::from(p) / 100).max(1));
                        let mut th = [t(*a), t(*b), t(*c)];
                        th.sort();
                        Dimension {
                            code: format!("D{i}"),
                            name: format!("维度{i}"),
                            standard: th[0],
                            excellent: th[1],
                            benchmark: th[2],
                            indicators: maxes
                                .iter()
                                .enumerate()
                                .map(|(j, m)| Indicator {
                                    code: format!("D{i}I{j}"),
                                    name: format!("指标{i}-{j}"),
                                    max: Points::whole(*m),
                                    weight: (j % 2 == 1).then(|| Points::whole(m + 3)),
                                    guide: String::new(),
                                    evidence: String::new(),
                                    auto: None,
                                })
                                .collect(),
                        }
                    })
                    .collect();
                let mut rules = vec![];
                for (k, seed) in rule_seeds.iter().enumerate() {
                    let stars = 6 - k as u8;
                    if seed % 5 == 0 && k > 0 {
                        continue;
                    }
                    let all = dimensions
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| (seed >> i) & 1 == 1 || *i == 0)
                        .map(|(_, d)| {
                            let at_least = match (seed >> 4) % 4 {
                                0 => Requirement::Score(Points(d.max().0 * i64::from(stars) / 7)),
                                1 => Requirement::Level(Level::Standard),
                                2 => Requirement::Level(Level::Excellent),
                                _ => Requirement::Level(Level::Benchmark),
                            };
                            Condition { dimension: d.code.clone(), at_least }
                        })
                        .collect();
                    rules.push(StarRule { stars, all });
                }
                let vetoes = caps
                    .iter()
                    .enumerate()
                    .map(|(i, cap)| Veto { code: format!("V{i}"), name: format!("否决{i}"), cap: *cap })
                    .collect();
                SchemeBody { dimensions, rules, vetoes, quotas: vec![] }
            },
        )
    }

    /// A scheme with scores for its indicators (some missing), an indicator
    /// to raise and by how much, and the vetoes found.
    fn case() -> impl Strategy<Value = (SchemeBody, BTreeMap<String, Points>, usize, i64, Vec<String>)> {
        scheme().prop_flat_map(|s| {
            let codes: Vec<(String, i64)> = s.indicators().map(|(_, i)| (i.code.clone(), i.max.0)).collect();
            let n = codes.len();
            let vetoes: Vec<String> = s.vetoes.iter().map(|v| v.code.clone()).collect();
            let scores = codes.iter().map(|(_, max)| prop::option::weighted(0.9, -200..=max + 200)).collect::<Vec<_>>();
            (Just(s), scores, 0..n, 1i64..=5_000, prop::sample::subsequence(vetoes.clone(), 0..=vetoes.len())).prop_map(
                move |(s, raw, at, by, found)| {
                    let scores = codes
                        .iter()
                        .zip(raw)
                        .filter_map(|((code, _), v)| v.map(|v| (code.clone(), Points(v))))
                        .collect();
                    (s, scores, at, by, found)
                },
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn random_schemes_are_valid((s, _, _, _, _) in case()) {
            prop_assert!(s.validate().is_ok(), "{:?}", s.validate());
        }

        #[test]
        fn more_score_never_gives_fewer_stars((s, scores, at, by, vetoes) in case()) {
            let before = evaluate(&s, &scores, &vetoes);
            let code = s.indicators().nth(at).map(|(_, i)| i.code.clone()).unwrap();
            let mut more = scores.clone();
            let old = more.get(&code).copied().unwrap_or(Points::ZERO);
            more.insert(code.clone(), Points(old.0.max(0) + by));
            let after = evaluate(&s, &more, &vetoes);
            prop_assert!(after.star >= before.star, "{code} +{by}: {} → {}", before.star, after.star);
            prop_assert!(after.rule_stars >= before.rule_stars);
            for (a, b) in after.dimensions.iter().zip(&before.dimensions) {
                prop_assert!(a.score >= b.score && a.level >= b.level);
            }
        }

        #[test]
        fn a_veto_never_raises_a_star((s, scores, _, _, vetoes) in case()) {
            let without = evaluate(&s, &scores, &[]);
            let with = evaluate(&s, &scores, &vetoes);
            prop_assert!(with.star <= without.star);
            prop_assert_eq!(with.rule_stars, without.rule_stars, "vetoes do not touch the rules");
            // Each further veto can only lower it more.
            for i in 0..vetoes.len() {
                let fewer = evaluate(&s, &scores, &vetoes[..i]);
                prop_assert!(with.star <= fewer.star);
            }
        }

        #[test]
        fn the_star_is_the_first_rule_that_holds((s, scores, _, _, _) in case()) {
            let o = evaluate(&s, &scores, &[]);
            let first = o.rule.as_ref().map(|r| r.index);
            for (i, r) in s.rules.iter().enumerate() {
                let holds = check(&s, i, r, &o.dimensions).checks.iter().all(|c| c.met);
                if first.is_some_and(|f| i < f) {
                    prop_assert!(!holds, "rule {} holds but {:?} was taken", i, first);
                }
                if first == Some(i) {
                    prop_assert!(holds);
                }
            }
            prop_assert!(o.star <= 6);
        }
    }

    #[test]
    fn default_rules_build_a_valid_ladder() {
        let rules = default_rules("A", "B", Points::whole(40), Points::whole(20));
        let stars: Vec<u8> = rules.iter().map(|r| r.stars).collect();
        assert_eq!(stars, [6, 5, 4, 3, 2, 1]);
    }
}
