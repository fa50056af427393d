//! The org tree (lazy expansion, search) and a unit's page.

use axum::extract::{Path, Query, State};
use axum::response::Html;
use serde::Deserialize;

use super::{children_counts, chrome, render};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::PageCaller;
use crate::error::PageResult;
use crate::kit::period::Period;
use crate::views::{
    OrgTreePage, TreeChildren, TreeNode, UnitHit, UnitPage, UnitRef, children_chart_json, figure_sections,
};

fn node(n: &qizhi_store::units::UnitNode) -> TreeNode {
    TreeNode { unit: UnitRef::from(&n.unit), has_children: n.child_count > 0, child_count: n.child_count }
}

#[derive(Deserialize)]
pub struct TreeQuery {
    #[serde(default)]
    q: String,
}

pub async fn tree(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(tq): Query<TreeQuery>,
) -> PageResult<Html<String>> {
    let roots = state.store.scope_roots(&caller.scope).await?;
    let q = tq.q.trim().to_string();
    let mut results = vec![];
    if !q.is_empty() {
        for u in state.store.search_units(&q, &caller.scope, 50).await? {
            let names = state.store.lineage_units(&u).await?;
            let path_names = names
                .iter()
                .filter(|a| caller.can_read(&a.path))
                .map(|a| a.short_name.clone().unwrap_or_else(|| a.name.clone()))
                .collect::<Vec<_>>()
                .join(" / ");
            results.push(UnitHit { unit: UnitRef::from(&u), path_names });
        }
    }
    let path = if q.is_empty() { "/org".to_string() } else { format!("/org?q={}", crate::views::encode(&q)) };
    render(&OrgTreePage { chrome: chrome(&caller, "org", &path), roots: roots.iter().map(node).collect(), q, results })
}

pub async fn children(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
) -> PageResult<Html<String>> {
    let unit = access::unit(&state, &caller, id, Need::Read).await?;
    let nodes = state.store.children(unit.id).await?.iter().map(node).collect();
    render(&TreeChildren { lang: caller.lang, nodes })
}

pub async fn unit(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    period: Period,
) -> PageResult<Html<String>> {
    let unit = access::unit(&state, &caller, id, Need::Read).await?;
    let span = period.span;
    let figures = state.store.figures(unit.id, span).await?;
    let people_count = figures["org.people"].count().unwrap_or(0);
    let lineage = state.store.lineage_units(&unit).await?;
    let breadcrumb: Vec<UnitRef> =
        lineage.iter().filter(|a| a.id != unit.id && caller.can_read(&a.path)).map(UnitRef::from).collect();
    let parent = lineage.iter().find(|a| Some(a.id) == unit.parent_id && caller.can_read(&a.path)).map(UnitRef::from);
    let kids = state.store.children(unit.id).await?;
    let chart = children_counts(&state, &kids, span).await?;
    let chart_json = if chart.len() > 1 { children_chart_json(caller.lang, &chart) } else { String::new() };
    let page = UnitPage {
        chrome: chrome(&caller, "org", &format!("/units/{id}")),
        unit: UnitRef::from(&unit),
        breadcrumb,
        short_name: unit.short_name.clone(),
        parent,
        founded: unit.founded.map(qizhi_core::date::iso),
        status_code: unit.status.code(),
        status_zh: unit.status.zh(),
        status_en: if unit.status == qizhi_core::org::UnitStatus::Active { "Active" } else { "Dissolved" },
        children: kids.iter().map(node).collect(),
        people_count,
        sections: figure_sections(&figures),
        period: period.view(caller.lang, &format!("/units/{id}")),
        chart_json,
    };
    render(&page)
}
