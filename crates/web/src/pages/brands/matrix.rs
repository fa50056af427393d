//! The brand matrix of a unit's subtree (cards or a table, filtered, sorted,
//! paged), the matrix tree by unit, and the review queue.

use qizhi_store::Page;
use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::Html;
use qizhi_core::brand::{BrandCategory, BrandStatus};
use qizhi_core::figures::{Figures, figure};
use qizhi_store::brands::{BrandQuery, BrandSort};
use serde::Deserialize;

use crate::AppState;
use crate::access::{self, Need};
use crate::auth::PageCaller;
use crate::error::{AppError, PageResult};
use crate::kit::filter::Filters;
use crate::kit::flash;
use crate::kit::period::Period;
use crate::pages::{chrome, render, scope_root, short_ref};
use crate::views::brands::{
    BrandCard, BrandGroup, BrandTreePage, BrandsPage, Label, MatrixRow, PendingRow, ReviewsPage, TreeBrand,
};
use crate::views::{FigureTile, UnitRef};

/// The brand figures shown above the matrix.
const TILES: [&str; 8] = [
    "brands.total",
    "brands.mature_or_better",
    "brands.status.exemplary",
    "brands.status.mature",
    "brands.status.established",
    "brands.status.cultivating",
    "brands.standard_met",
    "honors.total",
];

pub(crate) fn brand_tiles(figures: &Figures, keys: &[&str]) -> Vec<FigureTile> {
    keys.iter().filter_map(|k| Some(FigureTile::new(figure(k)?, *figures.get(k)?))).collect()
}

#[derive(Deserialize)]
pub struct ListQuery {
    unit: Option<i64>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    heritage: String,
    #[serde(default)]
    met: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    view: String,
    page: Option<i64>,
    flash: Option<String>,
}

/// `GET /brands?unit=&q=&category=&status=&heritage=&met=&sort=&view=&page=` —
/// anyone signed in, for a unit they may read (default: their scope's root);
/// a unit outside their scope: 404. Lists only brands in their scope.
pub async fn list(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(lq): Query<ListQuery>,
    period: Period,
) -> PageResult<Html<String>> {
    let unit = match lq.unit {
        Some(id) => access::unit(&state, &caller, id, Need::Read).await?,
        None => scope_root(&state, &caller).await?.ok_or_else(AppError::not_found)?,
    };
    let mut filters = Filters::default();
    let category = filters.take(("品牌类别", "Category"), &lq.category, BrandCategory::parse);
    let status = filters.take(("品牌等级", "Status"), &lq.status, BrandStatus::parse);
    let met = match lq.met.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let view = if lq.view == "table" { "table" } else { "cards" };
    let sort = BrandSort::parse(&lq.sort).unwrap_or_default();
    let per_page = if view == "table" { 50 } else { 24 };
    let query = BrandQuery {
        q: lq.q.clone(),
        category,
        status,
        heritage: (!lq.heritage.trim().is_empty()).then(|| lq.heritage.trim().to_string()),
        standard_met: met,
        sort,
        page: lq.page.unwrap_or(1).max(1),
        per_page,
        ..Default::default()
    };
    let Page { total, items: list } = state.store.brands(&unit, &caller.scope, &query).await?;
    let figures = state.store.figures(unit.id, period.span).await?;
    let path = brands_path(&lq, unit.id.0);
    let mut chrome = chrome(&caller, "brands", &path);
    chrome.flash = flash::message(caller.lang, lq.flash.as_deref());
    render(&BrandsPage {
        filter_problems: filters.problems(),
        chrome,
        unit: UnitRef::from(&unit),
        can_create: caller.can_edit(&unit.path),
        q: lq.q,
        category: category.map(|c| c.code().to_string()).unwrap_or_default(),
        status: status.map(|s| s.code().to_string()).unwrap_or_default(),
        heritage: lq.heritage.trim().to_string(),
        met: if met.is_some() { lq.met } else { String::new() },
        sort: sort.code().to_string(),
        view: view.to_string(),
        heritages: state.store.brand_heritages(&unit, &caller.scope).await?,
        cards: list.iter().map(BrandCard::from_listed).collect(),
        total,
        page: query.page,
        pages: qizhi_store::page::pages(total, per_page),
        tiles: brand_tiles(&figures, &TILES),
        period: period.view(caller.lang, &path),
    })
}

/// The list's own address with its filters, for the period control.
fn brands_path(lq: &ListQuery, unit: i64) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("unit", &unit.to_string());
    for (k, v) in [
        ("q", &lq.q),
        ("category", &lq.category),
        ("status", &lq.status),
        ("heritage", &lq.heritage),
        ("met", &lq.met),
        ("sort", &lq.sort),
        ("view", &lq.view),
    ] {
        if !v.trim().is_empty() {
            q.append_pair(k, v);
        }
    }
    format!("/brands?{}", q.finish())
}

#[derive(Deserialize)]
pub struct TreeQuery {
    unit: Option<i64>,
}

/// Above this many brands in the subtree, the tree lists only established or better.
const TREE_LIMIT: i64 = 300;

/// `GET /brands/tree?unit=` — anyone signed in, for a unit they may read;
/// outside their scope: 404. Counts come from the rollup of each child unit.
pub async fn tree(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(tq): Query<TreeQuery>,
    period: Period,
) -> PageResult<Html<String>> {
    let unit = match tq.unit {
        Some(id) => access::unit(&state, &caller, id, Need::Read).await?,
        None => scope_root(&state, &caller).await?.ok_or_else(AppError::not_found)?,
    };
    let span = period.span;
    let lineage = state.store.lineage_units(&unit).await?;
    let breadcrumb = lineage.iter().filter(|a| a.id != unit.id && caller.can_read(&a.path)).map(short_ref).collect();
    let mut rows = vec![];
    let children = state.store.children(unit.id).await?;
    for child in &children {
        let f = state.store.figures(child.unit.id, span).await?;
        let n = |k: &str| f[k].count().unwrap_or(0);
        let total = n("brands.total");
        if total == 0 {
            continue;
        }
        rows.push(MatrixRow {
            unit: short_ref(&child.unit),
            total,
            by_status: [
                n("brands.status.draft"),
                n("brands.status.cultivating"),
                n("brands.status.established"),
                n("brands.status.mature"),
                n("brands.status.exemplary"),
            ],
            mature_or_better: n("brands.mature_or_better"),
            has_children: child.child_count > 0,
        });
    }
    let all = BrandQuery { per_page: 1, ..Default::default() };
    let total_brands = state.store.brands(&unit, &caller.scope, &all).await?.total;
    let min_status = (total_brands > TREE_LIMIT).then_some(BrandStatus::Established);
    let q = BrandQuery { at_least: min_status, sort: BrandSort::Unit, per_page: 1000, ..Default::default() };
    let Page { items: list, .. } = state.store.brands(&unit, &caller.scope, &q).await?;
    // Main brands, each followed by its sub-brands, indented.
    let cards: Vec<BrandCard> = list.iter().map(BrandCard::from_listed).collect();
    let parent_of: HashMap<i64, Option<i64>> =
        list.iter().map(|l| (l.brand.id.0, l.brand.parent_id.map(|p| p.0))).collect();
    let mut brands = vec![];
    fn place(
        cards: &[BrandCard],
        parent_of: &HashMap<i64, Option<i64>>,
        of: Option<i64>,
        depth: usize,
        out: &mut Vec<TreeBrand>,
    ) {
        for c in cards {
            let p = parent_of.get(&c.id).copied().flatten();
            let top = of.is_none() && p.is_none_or(|p| !parent_of.contains_key(&p));
            if (of.is_none() && top) || (of.is_some() && p == of) {
                out.push(TreeBrand { card: c.clone(), depth });
                if depth < 6 {
                    place(cards, parent_of, Some(c.id), depth + 1, out);
                }
            }
        }
    }
    place(&cards, &parent_of, None, 0, &mut brands);
    // The treemap's blocks: each brand under the unit below it belongs to.
    let mut groups: Vec<BrandGroup> = children
        .iter()
        .map(|c| BrandGroup { unit: short_ref(&c.unit), drill: c.child_count > 0, brands: vec![] })
        .collect();
    let mut own = BrandGroup { unit: short_ref(&unit), drill: false, brands: vec![] };
    for (l, card) in list.iter().zip(&cards) {
        match children.iter().position(|c| l.unit_path.starts_with(&c.unit.path)) {
            Some(i) => groups[i].brands.push(card.clone()),
            None => own.brands.push(card.clone()),
        }
    }
    groups.insert(0, own);
    groups.retain(|g| !g.brands.is_empty());
    render(&BrandTreePage {
        chrome: chrome(&caller, "brands", &format!("/brands/tree?unit={}", unit.id)),
        unit: UnitRef::from(&unit),
        breadcrumb,
        rows,
        brands,
        groups,
        min_status: min_status.map(Label::of_status),
        total_brands,
        period: period.view(caller.lang, &format!("/brands/tree?unit={}", unit.id)),
    })
}

/// `GET /brands/reviews` — anyone signed in: the open applications they may
/// decide (as reviewers of the units' parents) and those of units they
/// administer; nothing outside their scope.
pub async fn reviews(State(state): State<AppState>, PageCaller(caller): PageCaller) -> PageResult<Html<String>> {
    let mut to_decide = vec![];
    let mut mine = vec![];
    for root in state.store.scope_roots(&caller.scope).await? {
        for l in state.store.pending_brands(&root.unit, &caller.scope).await? {
            let stage = l.brand.app_stage.expect("pending brands have a stage");
            let row = PendingRow {
                card: BrandCard::from_listed(&l),
                applied_on: l.brand.app_on.map(qizhi_core::date::iso).unwrap_or_default(),
                step_zh: stage.step_zh(),
                step_en: stage.step_en(),
            };
            if caller.can_review(l.parent_unit_path.as_deref().unwrap_or("")) {
                to_decide.push(row.clone());
            }
            if caller.can_edit(&l.unit_path) {
                mine.push(row);
            }
        }
    }
    let reviewer = caller.grants.iter().any(|g| g.role.may_review());
    render(&ReviewsPage { chrome: chrome(&caller, "brands", "/brands/reviews"), to_decide, mine, reviewer })
}
