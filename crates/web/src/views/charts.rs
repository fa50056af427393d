//! Chart options handed to ECharts (no inline styles: heights travel in
//! `data-height`).

use serde_json::json;

use super::HomeChild;
use crate::i18n::Lang;

/// The height in pixels of a horizontal bar chart of `n` units, set by
/// qizhi.js from `data-height` (no inline styles, so a strict CSP holds).
pub fn chart_height(n: usize) -> usize {
    (n * 30 + 90).clamp(240, 2400)
}

/// ECharts option for the branches and members of child units: horizontal
/// bars, one axis per series because members outnumber branches ~15 to 1.
/// The lead's UnitPage can use it too (`chart_json`).
pub fn children_chart_json(lang: Lang, children: &[HomeChild]) -> String {
    let names: Vec<&str> = children.iter().map(|c| c.unit.name.as_str()).collect();
    let branches: Vec<i64> = children.iter().map(|c| c.branches).collect();
    let members: Vec<i64> = children.iter().map(|c| c.members).collect();
    let (b, m) = (lang.t("home.branches"), lang.t("home.members"));
    // Each value axis is coloured like its series, which names it.
    let (red, slate) = ("#c8161d", "#5b6b82");
    let axis = |position: &str, color: &str| {
        json!({
            "type": "value", "position": position, "splitNumber": 4,
            "axisLabel": { "color": color, "hideOverlap": true },
            "splitLine": { "show": position == "bottom", "lineStyle": { "color": "#eef0f3" } }
        })
    };
    json!({
        "color": [red, slate],
        "tooltip": { "trigger": "axis", "axisPointer": { "type": "shadow" } },
        "legend": { "top": 0, "data": [b, m] },
        "grid": { "left": 8, "right": 24, "top": 44, "bottom": 4, "containLabel": true },
        "xAxis": [axis("bottom", red), axis("top", slate)],
        "yAxis": {
            "type": "category", "inverse": true, "data": names,
            "axisTick": { "show": false },
            "axisLabel": { "width": 132, "overflow": "truncate" }
        },
        "series": [
            { "name": b, "type": "bar", "xAxisIndex": 0, "data": branches, "barMaxWidth": 10 },
            { "name": m, "type": "bar", "xAxisIndex": 1, "data": members, "barMaxWidth": 10 }
        ]
    })
    .to_string()
}
