//! The home of whoever reads a scope: what waits for them, the scope's
//! headline figures with the charts that fit them, and its units below.

use askama::Template;
use serde_json::json;

use super::{Chrome, FigureSection, Layout, UnitRef};
use crate::i18n::Lang;
use crate::kit::period::PeriodView;

/// `GET /`: the home of the caller's scope root.
#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    /// None when the user has no scope (an account not yet assigned a unit).
    pub root: Option<UnitRef>,
    pub period: PeriodView,
    /// What waits for the caller, most pressing first; only what is due.
    pub todo: Vec<Todo>,
    /// Each area's headline figures.
    pub sections: Vec<FigureSection>,
    /// The year of the earlier star campaign shown when none was awarded in the period.
    pub stars_earlier: Option<i32>,
    pub charts: Vec<HomeChart>,
    /// The units directly under the root, with their headline figures.
    pub units: Vec<HomeUnitRow>,
}

/// One thing that waits for the caller: how many, and the list they are in.
#[derive(Debug, Clone)]
pub struct Todo {
    pub label: String,
    pub count: i64,
    pub href: String,
    /// Past due: shown in red.
    pub urgent: bool,
}

/// A chart of the home, under a title, with the list it opens.
#[derive(Debug, Clone)]
pub struct HomeChart {
    pub title: String,
    pub note: String,
    pub href: String,
    /// ECharts option JSON.
    pub option: String,
}

/// A unit under the root with its subtree's headline figures.
#[derive(Debug, Clone)]
pub struct HomeUnitRow {
    pub unit: UnitRef,
    pub branches: i64,
    pub members: i64,
    pub brands: i64,
    /// The share of evaluated branches with three stars or more, formatted.
    pub three_stars: String,
    pub overdue: i64,
}

const RED: &str = "#c8161d";
const SLATE: &str = "#5b6b82";
const PALETTE: [&str; 7] = ["#d9dde3", "#f3c9b8", "#eea27e", "#e07a4f", "#d3502e", "#c8161d", "#8f0f14"];

/// Vertical bars of one series over categories (a distribution).
pub fn bars(categories: &[String], name: &str, values: &[i64]) -> String {
    let data: Vec<_> = values
        .iter()
        .enumerate()
        .map(|(i, v)| json!({ "value": v, "itemStyle": { "color": PALETTE[i % 7] } }))
        .collect();
    json!({
        "tooltip": { "trigger": "axis", "axisPointer": { "type": "shadow" } },
        "grid": { "left": 8, "right": 8, "top": 16, "bottom": 4, "containLabel": true },
        "xAxis": { "type": "category", "data": categories, "axisTick": { "show": false }, "axisLabel": { "interval": 0 } },
        "yAxis": { "type": "value", "minInterval": 1, "splitLine": { "lineStyle": { "color": "#eef0f3" } } },
        "series": [{ "name": name, "type": "bar", "data": data, "barMaxWidth": 36,
                     "label": { "show": true, "position": "top" } }]
    })
    .to_string()
}

/// Two series side by side per year on one axis (a count and its done part).
pub fn yearly_pairs(lang: Lang, years: &[i32], total: (&str, &[i64]), done: (&str, &[i64])) -> String {
    let labels: Vec<String> = years.iter().map(|y| lang.tn("home.year_short", y)).collect();
    json!({
        "color": [SLATE, RED],
        "tooltip": { "trigger": "axis", "axisPointer": { "type": "shadow" } },
        "legend": { "top": 0, "data": [total.0, done.0] },
        "grid": { "left": 8, "right": 8, "top": 36, "bottom": 4, "containLabel": true },
        "xAxis": { "type": "category", "data": labels, "axisTick": { "show": false } },
        "yAxis": { "type": "value", "minInterval": 1, "splitLine": { "lineStyle": { "color": "#eef0f3" } } },
        "series": [
            { "name": total.0, "type": "bar", "data": total.1, "barMaxWidth": 24 },
            { "name": done.0, "type": "bar", "data": done.1, "barMaxWidth": 24 }
        ]
    })
    .to_string()
}

/// Parts of a whole as a ring, the share of each in the tooltip.
pub fn ring(parts: &[(String, i64)]) -> String {
    let data: Vec<_> = parts
        .iter()
        .enumerate()
        .map(|(i, (name, v))| {
            let color = [RED, "#e9a23b", "#d9dde3"][i % 3];
            json!({ "name": name, "value": v, "itemStyle": { "color": color } })
        })
        .collect();
    json!({
        "tooltip": { "trigger": "item", "formatter": "{b}: {c} ({d}%)" },
        "legend": { "bottom": 0 },
        "series": [{ "type": "pie", "radius": ["45%", "70%"], "center": ["50%", "45%"], "data": data,
                     "label": { "formatter": "{c}" } }]
    })
    .to_string()
}

impl HomePage {
    pub fn has_todo(&self) -> bool {
        !self.todo.is_empty()
    }
}
