//! Figures as tiles: each published figure a big formatted number over
//! its label, grouped by area; the number formats pages use.

use qizhi_core::figures::{FIGURES, FigureDef, Figures, Value};

/// One figure as a tile: a big formatted number over its label.
#[derive(Debug, Clone)]
pub struct FigureTile {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Formatted: "179", "150,000", "100%", "73.2%".
    pub value: String,
}

impl FigureTile {
    pub fn new(def: &'static FigureDef, value: Value) -> Self {
        FigureTile { key: def.key, zh: def.zh, en: def.en, value: format_value(value) }
    }
}

/// An area figures are shown by.
pub struct FigureArea {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// The area's page.
    pub href: &'static str,
    /// The figure keys it takes, by prefix.
    pub prefixes: &'static [&'static str],
    /// Its headline figures, for the dashboard.
    pub headline: &'static [&'static str],
}

#[rustfmt::skip]
pub const FIGURE_AREAS: &[FigureArea] = &[
    FigureArea { key: "org", zh: "组织与覆盖", en: "Organization and coverage", href: "/org",
        prefixes: &["org.", "grids.", "scenarios."],
        headline: &["org.units", "org.branches", "org.members", "org.people", "grids.coverage_rate", "scenarios.total"] },
    FigureArea { key: "brands", zh: "党建品牌", en: "Party-building brands", href: "/brands",
        prefixes: &["brands.", "honors."],
        headline: &["brands.total", "brands.mature_or_better", "brands.standard_met", "honors.total"] },
    FigureArea { key: "stars", zh: "星级党支部", en: "Star-rated branches", href: "/stars",
        prefixes: &["stars."],
        headline: &["stars.evaluated", "stars.at_least_rate.3", "stars.at_least_rate.4", "stars.exact.5", "stars.exact.6"] },
    FigureArea { key: "tasks", zh: "堡垒与任务", en: "Fortresses and tasks", href: "/tasks",
        prefixes: &["fortresses.", "flags.", "tasks."],
        headline: &["fortresses.total", "flags.total", "tasks.target.count", "tasks.target.avg_progress", "tasks.tackling.done", "tasks.overdue"] },
    FigureArea { key: "commitments", zh: "承诺与队伍", en: "Commitments and teams", href: "/commitments",
        prefixes: &["commitments.", "teams."],
        headline: &["commitments.members", "commitments.total", "commitments.fulfilled_rate", "teams.total"] },
    FigureArea { key: "assessments", zh: "考核", en: "Assessments", href: "/assessments",
        prefixes: &["assessments."],
        headline: &["assessments.assessed.party_building", "assessments.first_tier.party_building",
                    "assessments.first_tier.business", "assessments.first_tier.publicity"] },
];

/// The figures of one area, as a titled group of tiles.
#[derive(Debug, Clone)]
pub struct FigureSection {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub href: &'static str,
    pub tiles: Vec<FigureTile>,
}

/// The dashboard's figures: each area's headline figures.
pub fn headline_sections(figures: &Figures) -> Vec<FigureSection> {
    FIGURE_AREAS
        .iter()
        .map(|a| FigureSection {
            key: a.key,
            zh: a.zh,
            en: a.en,
            href: a.href,
            tiles: a
                .headline
                .iter()
                .filter_map(|k| qizhi_core::figures::figure(k).zip(figures.get(k)).map(|(d, v)| FigureTile::new(d, *v)))
                .collect(),
        })
        .filter(|s| !s.tiles.is_empty())
        .collect()
}

/// Every figure, grouped by area in the registry's order; figures of no
/// listed area come last under "其他".
pub fn figure_sections(figures: &Figures) -> Vec<FigureSection> {
    group_tiles(tiles(figures))
}

/// Tiles grouped under the area whose key prefixes they carry.
pub(super) fn group_tiles(tiles: Vec<FigureTile>) -> Vec<FigureSection> {
    let area_of = |key: &str| FIGURE_AREAS.iter().position(|a| a.prefixes.iter().any(|p| key.starts_with(p)));
    let mut sections: Vec<FigureSection> = FIGURE_AREAS
        .iter()
        .map(|a| FigureSection { key: a.key, zh: a.zh, en: a.en, href: a.href, tiles: vec![] })
        .collect();
    let mut other = FigureSection { key: "other", zh: "其他", en: "Other", href: "", tiles: vec![] };
    for tile in tiles {
        match area_of(tile.key) {
            Some(i) => sections[i].tiles.push(tile),
            None => other.tiles.push(tile),
        }
    }
    sections.push(other);
    sections.retain(|s| !s.tiles.is_empty());
    sections
}

/// Tiles for every published figure, in the registry's order.
pub fn tiles(figures: &Figures) -> Vec<FigureTile> {
    FIGURES.iter().filter_map(|def| figures.get(def.key).map(|v| FigureTile::new(def, *v))).collect()
}

/// Counts with thousands separators, rates as percentages with at most one
/// decimal. A rate short of 1 never shows as "100%": in these reports 100%
/// means "all of them" (3★ 100%), so 99.96% reads 99.9%.
pub fn format_value(value: Value) -> String {
    match value {
        Value::Count(n) => thousands(n),
        Value::Rate(r) => {
            let mut s = format!("{:.1}", r * 100.0);
            if r < 1.0 && s == "100.0" {
                s = "99.9".into();
            }
            if let Some(whole) = s.strip_suffix(".0") {
                s = whole.to_string();
            }
            format!("{s}%")
        }
        Value::Mean(m) => trim_zero(format!("{m:.1}")),
    }
}

fn trim_zero(s: String) -> String {
    match s.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => s,
    }
}

/// `150000` → `150,000`. Takes anything displayed as an integer, so templates
/// can pass fields and references alike.
pub fn thousands(n: impl std::fmt::Display) -> String {
    let digits = n.to_string();
    let (sign, digits) = match digits.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", digits.as_str()),
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    out.push_str(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
