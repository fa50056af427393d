//! A scheme (评价体系): issued by a unit for its subtree and a year, it says
//! how branches are scored and which star a score earns.
//!
//! - **Dimensions** (党建 party building, 业绩 business performance, others
//!   as wanted), each with **indicators** (name, max score or weight,
//!   scoring guide, evidence asked, optional auto-scoring from a figure) and
//!   **levels** by score thresholds: meets standard 达标, excellent 优秀,
//!   benchmark 标杆.
//! - **Star rules**, an ordered list from the most stars down: the first rule
//!   whose every condition holds gives the star; none gives 0.
//! - **Vetoes** (一票否决): each caps the star when found.
//! - **Quotas**: at most a share of a campaign's branches with n stars or more.
//!
//! Schemes are copied from year to year and edited; a scheme in use by a
//! campaign is frozen (see the store).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::error::{Checker, Invalid, required_text};
use crate::stars::MAX_STARS;
use crate::stars::points::Points;

/// A dimension's level, by its score against the dimension's thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 未达标
    Below,
    /// 达标
    Standard,
    /// 优秀
    Excellent,
    /// 标杆
    Benchmark,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Below, Level::Standard, Level::Excellent, Level::Benchmark];
    /// The levels a threshold is set for, lowest first.
    pub const RANKED: [Level; 3] = [Level::Standard, Level::Excellent, Level::Benchmark];

    pub fn code(self) -> &'static str {
        match self {
            Level::Below => "below",
            Level::Standard => "standard",
            Level::Excellent => "excellent",
            Level::Benchmark => "benchmark",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Level::Below => "未达标",
            Level::Standard => "达标",
            Level::Excellent => "优秀",
            Level::Benchmark => "标杆",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Level::Below => "Below standard",
            Level::Standard => "Meets standard",
            Level::Excellent => "Excellent",
            Level::Benchmark => "Benchmark",
        }
    }

    pub fn parse(value: &str) -> Result<Level, String> {
        let v = value.trim();
        Self::ALL
            .into_iter()
            .find(|l| l.code() == v || l.zh() == v || l.en().eq_ignore_ascii_case(v))
            .ok_or_else(|| format!("未知的等次 “{v}”，应为 达标/优秀/标杆 (unknown level)"))
    }
}

/// What a rule asks of one dimension: at least a level, or at least a score
/// (the lower stars are set by scores below the "meets standard" line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    Level(Level),
    Score(Points),
}

impl Requirement {
    /// `达标`/`standard` … for a level, a number for a score.
    pub fn parse(value: &str) -> Result<Requirement, String> {
        let v = value.trim();
        if let Ok(l) = Level::parse(v) {
            return Ok(Requirement::Level(l));
        }
        Points::parse(v)
            .map(Requirement::Score)
            .map_err(|_| format!("“{v}” 应为 达标/优秀/标杆 或一个分数 (a level or a score)"))
    }

    /// As typed in the scheme editor: the level's Chinese name or the score.
    pub fn text(self) -> String {
        match self {
            Requirement::Level(l) => l.zh().to_string(),
            Requirement::Score(p) => p.to_string(),
        }
    }

    pub fn zh(self) -> String {
        match self {
            Requirement::Level(l) => l.zh().to_string(),
            Requirement::Score(p) => format!("≥ {p} 分"),
        }
    }

    pub fn en(self) -> String {
        match self {
            Requirement::Level(l) => l.en().to_lowercase(),
            Requirement::Score(p) => format!("≥ {p} points"),
        }
    }
}

/// One condition of a star rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// A dimension's code.
    pub dimension: String,
    #[serde(flatten)]
    pub at_least: Requirement,
}

/// "n stars when every condition holds".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarRule {
    pub stars: u8,
    pub all: Vec<Condition>,
}

/// Indicator scored from a figure of the branch (its subtree's figure for the
/// campaign's year): at or below `zero` it scores 0, at or above `full` the
/// indicator's max, linearly between. `full` may be below `zero` for figures
/// where less is better.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoScore {
    /// A key of the figures registry, e.g. `commitments.fulfilled_rate`.
    pub figure: String,
    pub zero: f64,
    pub full: f64,
}

/// 指标.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// Unique in the scheme; the column of score spreadsheets (`PB1`).
    pub code: String,
    pub name: String,
    /// The highest score a branch can be given on this indicator.
    pub max: Points,
    /// When set, the indicator counts `score / max × weight` in its dimension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Points>,
    /// 评分标准: how to score.
    #[serde(default)]
    pub guide: String,
    /// 佐证材料: the evidence asked for; empty when none.
    #[serde(default)]
    pub evidence: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto: Option<AutoScore>,
}

impl Indicator {
    /// What the indicator can add to its dimension at most.
    pub fn share_max(&self) -> Points {
        self.weight.unwrap_or(self.max)
    }

    /// What `score` adds to the dimension (clamped to `0..=max`, weighted).
    pub fn share(&self, score: Points) -> Points {
        let s = score.clamp(Points::ZERO, self.max);
        match self.weight {
            Some(w) => s.scale(w, self.max),
            None => s,
        }
    }
}

/// 维度: a group of indicators with its own levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dimension {
    pub code: String,
    pub name: String,
    /// The lowest score for each level.
    pub standard: Points,
    pub excellent: Points,
    pub benchmark: Points,
    pub indicators: Vec<Indicator>,
}

impl Dimension {
    /// The highest score the dimension can reach.
    pub fn max(&self) -> Points {
        self.indicators.iter().map(Indicator::share_max).sum()
    }

    /// The lowest score of `level` (`None` for "below standard").
    pub fn threshold(&self, level: Level) -> Option<Points> {
        match level {
            Level::Below => None,
            Level::Standard => Some(self.standard),
            Level::Excellent => Some(self.excellent),
            Level::Benchmark => Some(self.benchmark),
        }
    }

    /// The level a dimension score reaches.
    pub fn level_of(&self, score: Points) -> Level {
        Level::RANKED.into_iter().rev().find(|&l| self.threshold(l).is_some_and(|t| score >= t)).unwrap_or(Level::Below)
    }
}

/// 一票否决: found, it caps the star at `cap`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Veto {
    pub code: String,
    pub name: String,
    pub cap: u8,
}

/// At most `max_percent` % of a campaign's awarded branches may have `stars`
/// stars or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    pub stars: u8,
    pub max_percent: u8,
}

/// Everything a scheme says about scoring, as stored (JSON) and edited.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SchemeBody {
    pub dimensions: Vec<Dimension>,
    /// From the most stars down; the first rule that holds gives the star.
    pub rules: Vec<StarRule>,
    #[serde(default)]
    pub vetoes: Vec<Veto>,
    #[serde(default)]
    pub quotas: Vec<Quota>,
}

/// Column names score spreadsheets use besides indicator codes.
pub const RESERVED_CODES: [&str; 4] = ["unit_code", "unit_name", "comment", "vetoes"];

/// Codes of dimensions, indicators and vetoes: letters, digits, `-` and `_`, at most 16.
pub fn parse_code(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("编码不能为空 (code is required)".into());
    }
    if v.len() > 16 || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(format!(
            "编码 “{v}” 只能包含字母、数字、- 和 _，最多 16 位 (letters, digits, - and _, at most 16)"
        ));
    }
    Ok(v.to_string())
}

impl SchemeBody {
    /// Every indicator with its dimension, in order.
    pub fn indicators(&self) -> impl Iterator<Item = (&Dimension, &Indicator)> {
        self.dimensions.iter().flat_map(|d| d.indicators.iter().map(move |i| (d, i)))
    }

    pub fn indicator(&self, code: &str) -> Option<(&Dimension, &Indicator)> {
        self.indicators().find(|(_, i)| i.code == code)
    }

    pub fn dimension(&self, code: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.code == code)
    }

    pub fn veto(&self, code: &str) -> Option<&Veto> {
        self.vetoes.iter().find(|v| v.code == code)
    }

    /// Checks the whole scheme; every problem is named by the editor's field
    /// (`dim.0.standard`, `ind.3.max`, `rule.1.stars` …).
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::default();
        if self.dimensions.is_empty() {
            c.push("dim", "至少需要一个评价维度 (at least one dimension)");
        }
        let mut dims = HashSet::new();
        let mut codes: HashSet<&str> = HashSet::new();
        let mut j = 0;
        for (i, d) in self.dimensions.iter().enumerate() {
            let f = |k: &str| format!("dim.{i}.{k}");
            if let Err(e) = parse_code(&d.code) {
                c.push(&f("code"), e);
            } else if !dims.insert(d.code.as_str()) {
                c.push(&f("code"), format!("维度编码 {} 重复 (duplicate dimension code)", d.code));
            }
            if let Err(e) = required_text(&d.name, 50) {
                c.push(&f("name"), format!("维度名称{e}"));
            }
            if d.indicators.is_empty() {
                c.push(&f("code"), format!("维度 {} 没有指标 (a dimension needs indicators)", d.name));
            }
            let max = d.max();
            if d.standard <= Points::ZERO {
                c.push(&f("standard"), "达标分数线应大于 0 (the standard threshold must be above 0)");
            }
            if d.excellent < d.standard {
                c.push(&f("excellent"), "优秀分数线不能低于达标分数线 (excellent must not be below standard)");
            }
            if d.benchmark < d.excellent {
                c.push(&f("benchmark"), "标杆分数线不能低于优秀分数线 (benchmark must not be below excellent)");
            }
            if !d.indicators.is_empty() && d.benchmark > max {
                c.push(
                    &f("benchmark"),
                    format!("标杆分数线 {} 高于该维度满分 {max} (above the dimension's maximum)", d.benchmark),
                );
            }
            for ind in &d.indicators {
                let f = |k: &str| format!("ind.{j}.{k}");
                match parse_code(&ind.code) {
                    Err(e) => c.push(&f("code"), e),
                    Ok(code) if RESERVED_CODES.iter().any(|r| r.eq_ignore_ascii_case(&code)) => {
                        c.push(&f("code"), format!("编码 {code} 为保留字 (reserved code)"))
                    }
                    Ok(_) if !codes.insert(ind.code.as_str()) => {
                        c.push(&f("code"), format!("指标编码 {} 重复 (duplicate indicator code)", ind.code))
                    }
                    Ok(_) => {}
                }
                if let Err(e) = required_text(&ind.name, 100) {
                    c.push(&f("name"), format!("指标名称{e}"));
                }
                if ind.max <= Points::ZERO {
                    c.push(&f("max"), "满分应大于 0 (max must be above 0)");
                }
                if ind.weight.is_some_and(|w| w <= Points::ZERO) {
                    c.push(&f("weight"), "权重应大于 0 (weight must be above 0)");
                }
                if ind.guide.chars().count() > 500 {
                    c.push(&f("guide"), "评分标准最多 500 字 (at most 500 characters)");
                }
                if ind.evidence.chars().count() > 200 {
                    c.push(&f("evidence"), "佐证材料要求最多 200 字 (at most 200 characters)");
                }
                if let Some(a) = &ind.auto {
                    if crate::figures::figure(&a.figure).is_none() {
                        c.push(&f("auto_figure"), format!("未知的统计指标 “{}” (unknown figure)", a.figure));
                    }
                    if !a.zero.is_finite() || !a.full.is_finite() || a.zero == a.full {
                        c.push(&f("auto_full"), "满分值与零分值不能相同 (full and zero must differ)");
                    }
                }
                j += 1;
            }
        }
        if self.rules.is_empty() {
            c.push("rule", "至少需要一条星级规则 (at least one star rule)");
        }
        let mut last: Option<u8> = None;
        for (k, r) in self.rules.iter().enumerate() {
            let f = |x: &str| format!("rule.{k}.{x}");
            if !(1..=MAX_STARS).contains(&r.stars) {
                c.push(&f("stars"), "星级应为 1 到 6 (stars must be 1 to 6)");
            } else if last.is_some_and(|l| r.stars >= l) {
                c.push(
                    &f("stars"),
                    "星级规则须从高到低排列，每个星级一条 (rules go from the most stars down, one per star)",
                );
            }
            last = Some(r.stars);
            if r.all.is_empty() {
                c.push(&f("stars"), format!("{} 星规则没有条件 (a rule needs a condition)", r.stars));
            }
            let mut seen = HashSet::new();
            for cond in &r.all {
                let Some(d) = self.dimension(&cond.dimension) else {
                    c.push(&f(&cond.dimension), format!("未知的维度 “{}” (unknown dimension)", cond.dimension));
                    continue;
                };
                if !seen.insert(cond.dimension.as_str()) {
                    c.push(&f(&cond.dimension), "同一维度只能有一个条件 (one condition per dimension)");
                }
                match cond.at_least {
                    Requirement::Score(p) if p < Points::ZERO || p > d.max() => {
                        c.push(&f(&cond.dimension), format!("分数 {p} 应在 0 到 {} 之间 (score out of range)", d.max()))
                    }
                    Requirement::Level(Level::Below) => {
                        c.push(&f(&cond.dimension), "条件应为 达标/优秀/标杆 或一个分数 (a level or a score)")
                    }
                    _ => {}
                }
            }
        }
        let mut vetoes = HashSet::new();
        for (v, veto) in self.vetoes.iter().enumerate() {
            let f = |x: &str| format!("veto.{v}.{x}");
            match parse_code(&veto.code) {
                Err(e) => c.push(&f("code"), e),
                Ok(_) if !vetoes.insert(veto.code.as_str()) => {
                    c.push(&f("code"), format!("否决项编码 {} 重复 (duplicate veto code)", veto.code))
                }
                Ok(_) => {}
            }
            if let Err(e) = required_text(&veto.name, 100) {
                c.push(&f("name"), format!("否决项名称{e}"));
            }
            if veto.cap >= MAX_STARS {
                c.push(&f("cap"), "否决后最高星级应为 0 到 5 (a veto caps at 0 to 5 stars)");
            }
        }
        let mut quotas = HashSet::new();
        for (q, quota) in self.quotas.iter().enumerate() {
            let f = |x: &str| format!("quota.{q}.{x}");
            if !(1..=MAX_STARS).contains(&quota.stars) {
                c.push(&f("stars"), "星级应为 1 到 6 (stars must be 1 to 6)");
            } else if !quotas.insert(quota.stars) {
                c.push(&f("stars"), "同一星级只能有一个名额限制 (one quota per star)");
            }
            if !(1..=100).contains(&quota.max_percent) {
                c.push(&f("max_percent"), "比例应为 1 到 100 (percent must be 1 to 100)");
            }
        }
        c.finish()
    }
}

/// The default star rules over a party-building and a business dimension:
/// 6★ both benchmark; 5★ both excellent; 4★ both meet standard; 3★ party
/// building meets standard; 2★ and 1★ party building at least `two` and
/// `one` points.
pub fn default_rules(party: &str, business: &str, two: Points, one: Points) -> Vec<StarRule> {
    let both = |l: Level| {
        vec![
            Condition { dimension: party.into(), at_least: Requirement::Level(l) },
            Condition { dimension: business.into(), at_least: Requirement::Level(l) },
        ]
    };
    let party_only = |r: Requirement| vec![Condition { dimension: party.into(), at_least: r }];
    vec![
        StarRule { stars: 6, all: both(Level::Benchmark) },
        StarRule { stars: 5, all: both(Level::Excellent) },
        StarRule { stars: 4, all: both(Level::Standard) },
        StarRule { stars: 3, all: party_only(Requirement::Level(Level::Standard)) },
        StarRule { stars: 2, all: party_only(Requirement::Score(two)) },
        StarRule { stars: 1, all: party_only(Requirement::Score(one)) },
    ]
}

/// A scheme's name and year, as stored beside its body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemeFields {
    pub name: String,
    pub year: i32,
    pub body: SchemeBody,
}

impl SchemeFields {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::default();
        if let Err(e) = required_text(&self.name, 100) {
            c.push("name", format!("名称{e}"));
        }
        if !(2000..=2100).contains(&self.year) {
            c.push("year", "年度应在 2000 到 2100 之间 (year out of range)");
        }
        let body = self.body.validate();
        let mut errors = c.finish().err().map(|e| e.errors).unwrap_or_default();
        if let Err(e) = body {
            errors.extend(e.errors);
        }
        if errors.is_empty() { Ok(()) } else { Err(Invalid { errors }) }
    }
}

// ---------------------------------------------------------------------------
// The editor's form: rows of text, turned into a body with every problem
// named by its field.

/// A dimension row as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DimensionInput {
    pub code: String,
    pub name: String,
    pub standard: String,
    pub excellent: String,
    pub benchmark: String,
}

/// An indicator row as typed; `dimension` is a dimension's code.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndicatorInput {
    pub dimension: String,
    pub code: String,
    pub name: String,
    pub max: String,
    pub weight: String,
    pub guide: String,
    pub evidence: String,
    pub auto_figure: String,
    pub auto_zero: String,
    pub auto_full: String,
}

/// A rule row: its stars and, per dimension code, a level or score ("" for none).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleInput {
    pub stars: String,
    pub conditions: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VetoInput {
    pub code: String,
    pub name: String,
    pub cap: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuotaInput {
    pub stars: String,
    pub max_percent: String,
}

/// The whole editor form. Rows left entirely empty are ignored, so a form
/// can offer blank rows to add.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SchemeInput {
    pub name: String,
    pub year: String,
    pub dimensions: Vec<DimensionInput>,
    pub indicators: Vec<IndicatorInput>,
    pub rules: Vec<RuleInput>,
    pub vetoes: Vec<VetoInput>,
    pub quotas: Vec<QuotaInput>,
}

fn blank(parts: &[&str]) -> bool {
    parts.iter().all(|p| p.trim().is_empty())
}

fn small(field: &str, value: &str, c: &mut Checker) -> Option<u8> {
    match value.trim().parse::<u8>() {
        Ok(n) => Some(n),
        Err(_) => {
            c.push(field, format!("“{}” 应为整数 (a whole number)", value.trim()));
            None
        }
    }
}

fn number(field: &str, value: &str, c: &mut Checker) -> Option<f64> {
    match value.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ => {
            c.push(field, format!("“{}” 应为数字 (a number)", value.trim()));
            None
        }
    }
}

impl SchemeInput {
    /// The form of an existing scheme, for editing.
    pub fn from_fields(f: &SchemeFields) -> SchemeInput {
        let b = &f.body;
        SchemeInput {
            name: f.name.clone(),
            year: f.year.to_string(),
            dimensions: b
                .dimensions
                .iter()
                .map(|d| DimensionInput {
                    code: d.code.clone(),
                    name: d.name.clone(),
                    standard: d.standard.to_string(),
                    excellent: d.excellent.to_string(),
                    benchmark: d.benchmark.to_string(),
                })
                .collect(),
            indicators: b
                .indicators()
                .map(|(d, i)| IndicatorInput {
                    dimension: d.code.clone(),
                    code: i.code.clone(),
                    name: i.name.clone(),
                    max: i.max.to_string(),
                    weight: i.weight.map(|w| w.to_string()).unwrap_or_default(),
                    guide: i.guide.clone(),
                    evidence: i.evidence.clone(),
                    auto_figure: i.auto.as_ref().map(|a| a.figure.clone()).unwrap_or_default(),
                    auto_zero: i.auto.as_ref().map(|a| a.zero.to_string()).unwrap_or_default(),
                    auto_full: i.auto.as_ref().map(|a| a.full.to_string()).unwrap_or_default(),
                })
                .collect(),
            rules: b
                .rules
                .iter()
                .map(|r| RuleInput {
                    stars: r.stars.to_string(),
                    conditions: b
                        .dimensions
                        .iter()
                        .map(|d| {
                            let req = r.all.iter().find(|c| c.dimension == d.code).map(|c| c.at_least.text());
                            (d.code.clone(), req.unwrap_or_default())
                        })
                        .collect(),
                })
                .collect(),
            vetoes: b
                .vetoes
                .iter()
                .map(|v| VetoInput { code: v.code.clone(), name: v.name.clone(), cap: v.cap.to_string() })
                .collect(),
            quotas: b
                .quotas
                .iter()
                .map(|q| QuotaInput { stars: q.stars.to_string(), max_percent: q.max_percent.to_string() })
                .collect(),
        }
    }

    /// Parses every row and checks the result; all problems at once.
    pub fn validate(&self) -> Result<SchemeFields, Invalid> {
        let mut c = Checker::default();
        let year = match self.year.trim().parse::<i32>() {
            Ok(y) => y,
            Err(_) => {
                c.push("year", "年度应为四位数字 (year must be a number)");
                0
            }
        };
        let mut dimensions = vec![];
        for (i, d) in self.dimensions.iter().enumerate() {
            if blank(&[&d.code, &d.name, &d.standard, &d.excellent, &d.benchmark]) {
                continue;
            }
            let f = |k: &str| format!("dim.{i}.{k}");
            let p = |k: &str, v: &str, c: &mut Checker| c.take(&f(k), Points::parse(v)).unwrap_or_default();
            dimensions.push(Dimension {
                code: d.code.trim().to_string(),
                name: d.name.trim().to_string(),
                standard: p("standard", &d.standard, &mut c),
                excellent: p("excellent", &d.excellent, &mut c),
                benchmark: p("benchmark", &d.benchmark, &mut c),
                indicators: vec![],
            });
        }
        for (j, i) in self.indicators.iter().enumerate() {
            let parts = [&i.dimension, &i.code, &i.name, &i.max, &i.weight, &i.guide, &i.evidence, &i.auto_figure];
            if blank(&parts.map(String::as_str)) {
                continue;
            }
            let f = |k: &str| format!("ind.{j}.{k}");
            let max = c.take(&f("max"), Points::parse(&i.max)).unwrap_or_default();
            let weight = c.take(&f("weight"), Points::parse_optional(Some(&i.weight))).flatten();
            let auto = if i.auto_figure.trim().is_empty() {
                None
            } else {
                let zero = number(&f("auto_zero"), &i.auto_zero, &mut c).unwrap_or(0.0);
                let full = number(&f("auto_full"), &i.auto_full, &mut c).unwrap_or(1.0);
                Some(AutoScore { figure: i.auto_figure.trim().to_string(), zero, full })
            };
            let ind = Indicator {
                code: i.code.trim().to_string(),
                name: i.name.trim().to_string(),
                max,
                weight,
                guide: i.guide.trim().to_string(),
                evidence: i.evidence.trim().to_string(),
                auto,
            };
            match dimensions.iter_mut().find(|d| d.code == i.dimension.trim()) {
                Some(d) => d.indicators.push(ind),
                None => c.push(&f("dimension"), format!("未知的维度 “{}” (unknown dimension)", i.dimension.trim())),
            }
        }
        let mut rules = vec![];
        for (k, r) in self.rules.iter().enumerate() {
            if blank(&[&r.stars]) && r.conditions.iter().all(|(_, v)| v.trim().is_empty()) {
                continue;
            }
            let stars = small(&format!("rule.{k}.stars"), &r.stars, &mut c).unwrap_or(0);
            let mut all = vec![];
            for (dim, req) in &r.conditions {
                if req.trim().is_empty() {
                    continue;
                }
                if let Some(at_least) = c.take(&format!("rule.{k}.{dim}"), Requirement::parse(req)) {
                    all.push(Condition { dimension: dim.clone(), at_least });
                }
            }
            rules.push(StarRule { stars, all });
        }
        let mut vetoes = vec![];
        for (v, x) in self.vetoes.iter().enumerate() {
            if blank(&[&x.code, &x.name, &x.cap]) {
                continue;
            }
            let cap = small(&format!("veto.{v}.cap"), &x.cap, &mut c).unwrap_or(0);
            vetoes.push(Veto { code: x.code.trim().to_string(), name: x.name.trim().to_string(), cap });
        }
        let mut quotas = vec![];
        for (q, x) in self.quotas.iter().enumerate() {
            if blank(&[&x.stars, &x.max_percent]) {
                continue;
            }
            let stars = small(&format!("quota.{q}.stars"), &x.stars, &mut c).unwrap_or(0);
            let max_percent = small(&format!("quota.{q}.max_percent"), &x.max_percent, &mut c).unwrap_or(0);
            quotas.push(Quota { stars, max_percent });
        }
        // Parse problems first: structural checks on half-parsed rows would
        // only repeat them.
        c.finish()?;
        let fields = SchemeFields {
            name: self.name.trim().to_string(),
            year,
            body: SchemeBody { dimensions, rules, vetoes, quotas },
        };
        fields.validate()?;
        Ok(fields)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn ind(code: &str, max: i64) -> Indicator {
        Indicator {
            code: code.into(),
            name: format!("{code} 指标"),
            max: Points::whole(max),
            weight: None,
            guide: String::new(),
            evidence: String::new(),
            auto: None,
        }
    }

    /// Two dimensions of 100 points each (60 / 80 / 90), the default rules
    /// (2★ from 45, 1★ from 30), two vetoes.
    pub(crate) fn sample() -> SchemeBody {
        let dim = |code: &str, name: &str, inds: Vec<Indicator>| Dimension {
            code: code.into(),
            name: name.into(),
            standard: Points::whole(60),
            excellent: Points::whole(80),
            benchmark: Points::whole(90),
            indicators: inds,
        };
        SchemeBody {
            dimensions: vec![
                dim("PB", "党建", vec![ind("PB1", 40), ind("PB2", 30), ind("PB3", 30)]),
                dim("BP", "业绩", vec![ind("BP1", 50), ind("BP2", 50)]),
            ],
            rules: default_rules("PB", "BP", Points::whole(45), Points::whole(30)),
            vetoes: vec![
                Veto { code: "V1".into(), name: "严重违纪".into(), cap: 0 },
                Veto { code: "V2".into(), name: "重大安全事故".into(), cap: 2 },
            ],
            quotas: vec![Quota { stars: 6, max_percent: 5 }],
        }
    }

    #[test]
    fn the_sample_is_valid_and_levels_follow_thresholds() {
        let s = sample();
        s.validate().unwrap();
        let pb = &s.dimensions[0];
        assert_eq!(pb.max(), Points::whole(100));
        assert_eq!(pb.level_of(Points::whole(59)), Level::Below);
        assert_eq!(pb.level_of(Points::whole(60)), Level::Standard);
        assert_eq!(pb.level_of(Points(8999)), Level::Excellent);
        assert_eq!(pb.level_of(Points::whole(90)), Level::Benchmark);
    }

    #[test]
    fn problems_are_named_by_field() {
        let mut s = sample();
        s.dimensions[0].excellent = Points::whole(50);
        s.dimensions[1].benchmark = Points::whole(120);
        s.dimensions[1].indicators[1].code = "PB1".into();
        s.dimensions[1].indicators[0].max = Points::ZERO;
        s.rules.swap(0, 1);
        s.rules[2].all[0].dimension = "XX".into();
        s.vetoes[1].cap = 6;
        s.quotas.push(Quota { stars: 6, max_percent: 0 });
        let fields: Vec<String> = s.validate().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        for f in [
            "dim.0.excellent",
            "dim.1.benchmark",
            "ind.4.code",
            "ind.3.max",
            "rule.1.stars",
            "rule.2.XX",
            "veto.1.cap",
            "quota.1.stars",
            "quota.1.max_percent",
        ] {
            assert!(fields.iter().any(|x| x == f), "{f} not in {fields:?}");
        }
    }

    #[test]
    fn weighted_indicators_count_their_weight() {
        let mut i = ind("W", 10);
        i.weight = Some(Points::whole(15));
        assert_eq!(i.share_max(), Points::whole(15));
        assert_eq!(i.share(Points::whole(7)), Points(1050));
        assert_eq!(i.share(Points::whole(20)), Points::whole(15), "clamped to max");
        assert_eq!(i.share(Points::whole(-3)), Points::ZERO);
    }

    #[test]
    fn requirements_parse_levels_and_scores() {
        assert_eq!(Requirement::parse("优秀").unwrap(), Requirement::Level(Level::Excellent));
        assert_eq!(Requirement::parse("benchmark").unwrap(), Requirement::Level(Level::Benchmark));
        assert_eq!(Requirement::parse("45").unwrap(), Requirement::Score(Points::whole(45)));
        assert!(Requirement::parse("很好").is_err());
        let json =
            serde_json::to_value(Condition { dimension: "PB".into(), at_least: Requirement::Score(Points(4550)) })
                .unwrap();
        assert_eq!(json, serde_json::json!({"dimension": "PB", "score": 45.5}));
    }

    #[test]
    fn the_form_round_trips_and_skips_blank_rows() {
        let fields = SchemeFields { name: "六星评价体系".into(), year: 2023, body: sample() };
        let mut input = SchemeInput::from_fields(&fields);
        input.indicators.push(IndicatorInput::default());
        input.vetoes.push(VetoInput::default());
        assert_eq!(input.validate().unwrap(), fields);

        input.indicators[0].max = "ten".into();
        input.indicators[1].dimension = "NOPE".into();
        input.rules[0].conditions[0].1 = "很好".into();
        input.year = "明年".into();
        let fields: Vec<String> = input.validate().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["year", "ind.0.max", "ind.1.dimension", "rule.0.PB"]);
    }
}
