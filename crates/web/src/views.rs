//! The contract between handlers and templates: one plain struct per page
//! (askama templates under crates/web/templates/), filled by the handlers in
//! pages/*.rs, plus the small helpers templates call (navigation, paging,
//! number formatting, the children bar chart).
//!
//! Handlers put already-decided data here (what the user may see, labels
//! from qizhi-core); templates only lay it out and translate fixed text.

use askama::Template;
use qizhi_core::date;
use qizhi_core::figures::{FIGURES, FigureDef, Figures, Value};
use qizhi_core::org::{Unit, UnitKind};
use qizhi_core::person::Person;
use serde_json::json;

use crate::i18n::Lang;

/// Pages signed-in callers see: the layout's top bar and navigation from their `chrome`.
macro_rules! layout_with_chrome {
    ($($page:ty),*) => {$(
        impl Layout for $page {
            fn layout_chrome(&self) -> Option<&Chrome> {
                Some(&self.chrome)
            }
            fn layout_lang(&self) -> Lang {
                self.chrome.lang
            }
        }
    )*};
}

pub mod accounts;
pub mod brands;

// ---------------------------------------------------------------------------
// Layout

/// A section in the left navigation. Adding a section is one line in [`NAV`].
pub struct NavItem {
    /// Matches [`Chrome::nav`] to mark the active section.
    pub key: &'static str,
    pub href: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// SVG path data on a 24×24 grid, drawn as a 1.8px stroke.
    pub icon: &'static str,
}

#[rustfmt::skip]
pub const NAV: &[NavItem] = &[
    NavItem { key: "home", href: "/", zh: "首页", en: "Home", icon: icon::HOME },
    NavItem { key: "my", href: "/my", zh: "我的任务", en: "My tasks", icon: tasks::icon::MINE },
    NavItem { key: "org", href: "/org", zh: "组织", en: "Organization", icon: icon::ORG },
    NavItem { key: "people", href: "/people", zh: "人员", en: "People", icon: icon::PEOPLE },
    NavItem { key: "brands", href: "/brands", zh: "党建品牌", en: "Brands", icon: icon::FLAG },
    NavItem { key: "stars", href: "/stars", zh: "星级评定", en: "Star ratings", icon: icon::STAR },
    NavItem { key: "tasks", href: "/tasks", zh: "任务台账", en: "Tasks", icon: icon::TASKS },
    NavItem { key: "fortresses", href: "/fortresses", zh: "堡垒插旗", en: "Fortresses", icon: tasks::icon::FORTRESS },
    NavItem { key: "teams", href: "/teams", zh: "队伍", en: "Teams", icon: tasks::icon::TEAM },
    NavItem { key: "commitments", href: "/commitments", zh: "党员承诺", en: "Commitments", icon: tasks::icon::PLEDGE },
    NavItem { key: "imports", href: "/imports", zh: "导入导出", en: "Import / Export", icon: icon::IMPORTS },
    NavItem { key: "accounts", href: "/accounts", zh: "账号权限", en: "Accounts", icon: icon::ACCOUNTS },
    NavItem { key: "audit", href: "/audit", zh: "审计日志", en: "Audit trail", icon: icon::AUDIT },
];

/// Navigation icons (SVG path data, 24×24, stroked), including some for the
/// sections still to come.
pub mod icon {
    pub const HOME: &str = "M3 11 12 3l9 8M5 9.5V21h5v-6h4v6h5V9.5";
    pub const ORG: &str = "M9 3h6v5H9zM3 16h6v5H3zM15 16h6v5h-6zM12 8v4M6 16v-4h12v4";
    pub const PEOPLE: &str =
        "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21c0-4 3-7 7-7s7 3 7 7M16 3.5a4 4 0 0 1 0 7.5M18 14c2.5.8 4 3.6 4 7";
    pub const IMPORTS: &str = "M12 3v12M7 10l5 5 5-5M4 15v5h16v-5";
    /// 账号权限 accounts: a key.
    pub const ACCOUNTS: &str = "M8 15a5 5 0 1 1 4.5-7.2M12.5 7.8 21 7.8M17 7.8v4M20 7.8v3";
    /// 审计日志 audit: a document with lines and a check.
    pub const AUDIT: &str = "M6 3h9l4 4v14H6zM15 3v4h4M9 11h7M9 15h4M13 18l2 2 4-4";
    /// 品牌 brands.
    pub const FLAG: &str = "M5 21V4M5 4h12l-2.5 4.5L17 13H5";
    /// 星级评定 star ratings.
    pub const STAR: &str = "M12 3l2.8 5.7 6.2.9-4.5 4.4 1.1 6.2L12 17.3l-5.6 2.9 1.1-6.2L3 9.6l6.2-.9z";
    /// 堡垒任务 tasks and ledgers.
    pub const TASKS: &str =
        "M10 6h10M10 12h10M10 18h10M3.5 6l1.5 1.5L7.5 5M3.5 12l1.5 1.5 2.5-2.5M3.5 18l1.5 1.5 2.5-2.5";
    /// Reports and figures.
    pub const CHART: &str = "M3 21h18M6 17v-6M11 17V5M16 17v-9M21 17v-3";
    /// Audit trail.
    pub const SHIELD: &str = "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z";
}

/// What every signed-in page shares: the top bar, navigation and flash.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub lang: Lang,
    pub user_name: String,
    /// The session's CSRF token: every form posts it as the field `csrf`.
    pub csrf: String,
    /// The active section: a [`NavItem::key`] ("home", "org", "people", "imports").
    pub nav: &'static str,
    /// A one-time success message shown above the content.
    pub flash: Option<String>,
    /// The current path and query (`/org?q=福州`), so the language switch can
    /// come back to the same page.
    pub path: String,
    /// Navigation sections this user has no use for (keys of [`NAV`]).
    pub hidden: Vec<&'static str>,
}

impl Chrome {
    pub fn nav_items(&self) -> Vec<&'static NavItem> {
        NAV.iter().filter(|i| !self.hidden.contains(&i.key)).collect()
    }

    /// `GET /lang/{other}?next={path}`.
    pub fn lang_href(&self) -> String {
        lang_href(self.lang.other(), &self.path)
    }
}

/// The link that switches to `to` and returns to `next`.
pub fn lang_href(to: Lang, next: &str) -> String {
    format!("/lang/{}?next={}", to.code(), encode(next))
}

/// How base.html finds the chrome and language of whichever page it wraps.
/// Pages without a chrome (login, errors before sign-in) get the bare layout.
pub trait Layout {
    fn layout_chrome(&self) -> Option<&Chrome>;
    fn layout_lang(&self) -> Lang;
}

layout_with_chrome!(HomePage, OrgTreePage, UnitPage, PeoplePage, ImportsPage);
layout_with_chrome!(
    accounts::AccountPage,
    accounts::AccountsPage,
    accounts::AccountNewPage,
    accounts::AccountDetailPage,
    accounts::AuditPage
);

pub mod stars;
pub mod tasks;

// ---------------------------------------------------------------------------
// Shared pieces

/// A unit as pages mention it: enough to link to it and show its kind.
#[derive(Debug, Clone)]
pub struct UnitRef {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub kind_zh: &'static str,
    pub kind_en: &'static str,
}

impl UnitRef {
    pub fn new(id: i64, code: impl Into<String>, name: impl Into<String>, kind: UnitKind) -> Self {
        UnitRef { id, code: code.into(), name: name.into(), kind, kind_zh: kind.zh(), kind_en: kind.en() }
    }
}

impl From<&Unit> for UnitRef {
    fn from(u: &Unit) -> Self {
        UnitRef::new(u.id.0, u.code.clone(), u.name.clone(), u.kind)
    }
}

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
fn group_tiles(tiles: Vec<FigureTile>) -> Vec<FigureSection> {
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

/// Percent-encodes a query parameter value (everything but RFC 3986's
/// unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One link of a pager; `gap` marks an ellipsis.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLink {
    pub page: i64,
    pub href: String,
    pub current: bool,
    pub gap: bool,
}

#[derive(Debug, Clone)]
pub struct Pager {
    pub prev: Option<String>,
    pub next: Option<String>,
    pub links: Vec<PageLink>,
}

/// Page links around `page` (1-based) out of `pages`: the first, the last and
/// two either side of the current one, with gaps (`…`) between.
pub fn pager(page: i64, pages: i64, href: impl Fn(i64) -> String) -> Pager {
    let pages = pages.max(1);
    let page = page.clamp(1, pages);
    let mut links = Vec::new();
    let mut last = 0;
    for p in 1..=pages {
        if p == 1 || p == pages || (p - page).abs() <= 2 {
            if p == last + 2 {
                // An ellipsis would hide a single page: show the page.
                links.push(PageLink { page: p - 1, href: href(p - 1), current: false, gap: false });
            } else if p > last + 2 {
                links.push(PageLink { page: 0, href: String::new(), current: false, gap: true });
            }
            links.push(PageLink { page: p, href: href(p), current: p == page, gap: false });
            last = p;
        }
    }
    Pager { prev: (page > 1).then(|| href(page - 1)), next: (page < pages).then(|| href(page + 1)), links }
}

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

// ---------------------------------------------------------------------------
// Pages

/// `GET /login`: standalone, no navigation.
#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub lang: Lang,
    pub error: Option<String>,
    pub username: String,
    /// Where to go after signing in (a local path, checked by the handler).
    pub next: String,
    pub csrf: String,
}

impl LoginPage {
    pub fn lang_href(&self) -> String {
        let here =
            if self.next.is_empty() { "/login".to_string() } else { format!("/login?next={}", encode(&self.next)) };
        lang_href(self.lang.other(), &here)
    }
}

impl Layout for LoginPage {
    fn layout_chrome(&self) -> Option<&Chrome> {
        None
    }
    fn layout_lang(&self) -> Lang {
        self.lang
    }
}

/// `GET /`: the dashboard of the user's scope root.
#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    /// None when the user has no scope (an account not yet assigned a unit).
    pub root: Option<UnitRef>,
    /// Each area's headline figures.
    pub sections: Vec<FigureSection>,
    pub year: i32,
    pub children: Vec<HomeChild>,
}

impl HomePage {
    pub fn chart_json(&self) -> String {
        children_chart_json(self.chrome.lang, &self.children)
    }
    pub fn chart_height(&self) -> usize {
        chart_height(self.children.len())
    }
}

/// A child of the scope root with its subtree's counts, for the chart.
#[derive(Debug, Clone)]
pub struct HomeChild {
    pub unit: UnitRef,
    pub branches: i64,
    pub members: i64,
}

/// `GET /org?q=`: the tree, plus search results when `q` is not empty.
#[derive(Template)]
#[template(path = "org.html")]
pub struct OrgTreePage {
    pub chrome: Chrome,
    pub roots: Vec<TreeNode>,
    pub q: String,
    pub results: Vec<UnitHit>,
}

#[derive(Debug, Clone)]
pub struct TreeNode {
    pub unit: UnitRef,
    pub has_children: bool,
    pub child_count: i64,
}

/// `GET /org/children/{id}`: the `<ul>` fragment htmx puts under an expanded node.
#[derive(Template)]
#[template(path = "partials/tree_children.html")]
pub struct TreeChildren {
    pub lang: Lang,
    pub nodes: Vec<TreeNode>,
}

#[derive(Debug, Clone)]
pub struct UnitHit {
    pub unit: UnitRef,
    /// The ancestors' names from the scope root: "集团党组 / 福建联通 / 福州".
    pub path_names: String,
}

/// `GET /units/{id}?from=&to=`: one unit.
#[derive(Template)]
#[template(path = "unit.html")]
pub struct UnitPage {
    pub chrome: Chrome,
    pub unit: UnitRef,
    /// Ancestors from the user's scope root down to the parent (the unit
    /// itself excluded; the template appends it).
    pub breadcrumb: Vec<UnitRef>,
    pub short_name: Option<String>,
    pub parent: Option<UnitRef>,
    /// ISO date.
    pub founded: Option<String>,
    /// `UnitStatus::code()`: "active" or "dissolved" (picks the badge colour).
    pub status_code: &'static str,
    pub status_zh: &'static str,
    pub status_en: &'static str,
    pub children: Vec<TreeNode>,
    /// People in the unit's subtree.
    pub people_count: i64,
    pub sections: Vec<FigureSection>,
    pub year_from: i32,
    pub year_to: i32,
    /// ECharts option JSON (see [`children_chart_json`]); empty for no chart.
    pub chart_json: String,
}

/// `GET /people?unit=&q=&category=&page=`: people of a unit's subtree.
#[derive(Template)]
#[template(path = "people.html")]
pub struct PeoplePage {
    pub chrome: Chrome,
    pub unit: UnitRef,
    pub q: String,
    /// A `Category::code()` or empty for all.
    pub category: String,
    pub rows: Vec<PersonRow>,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// Whether the phone column is shown (personal data).
    pub show_personal: bool,
    /// (code, zh, en) of every category, for the filter.
    pub categories: Vec<(&'static str, &'static str, &'static str)>,
}

impl PeoplePage {
    /// The URL of another page of the same search.
    pub fn page_href(&self, page: i64) -> String {
        let mut href = format!("/people?unit={}", self.unit.id);
        if !self.q.is_empty() {
            href.push_str(&format!("&q={}", encode(&self.q)));
        }
        if !self.category.is_empty() {
            href.push_str(&format!("&category={}", encode(&self.category)));
        }
        href.push_str(&format!("&page={page}"));
        href
    }

    /// "第 7 页，共 24 页" / "Page 7 of 24".
    pub fn page_status(&self) -> String {
        self.chrome
            .lang
            .t("pager.status")
            .replace("{n}", &self.page.to_string())
            .replace("{m}", &self.pages.to_string())
    }

    /// Whether the category filter is set to `code`.
    pub fn is_category(&self, code: &str) -> bool {
        self.category == code
    }

    pub fn pager(&self) -> Pager {
        pager(self.page, self.pages, |p| self.page_href(p))
    }
}

#[derive(Debug, Clone)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    /// "男", "女" or "".
    pub gender_zh: &'static str,
    /// `Category::code()`: picks the badge colour.
    pub category_code: &'static str,
    pub category_zh: &'static str,
    pub category_en: &'static str,
    pub unit_name: String,
    pub post: String,
    /// ISO date or "".
    pub join_date: String,
    /// Empty unless the viewer may see personal data.
    pub phone: String,
}

impl PersonRow {
    /// A row for `person`; the phone is copied only when `show_personal`, so
    /// personal data cannot reach a template by mistake.
    pub fn new(person: &Person, unit_name: impl Into<String>, show_personal: bool) -> Self {
        let f = &person.fields;
        PersonRow {
            id: person.id.0,
            name: f.name.clone(),
            gender_zh: f.gender.map(|g| g.zh()).unwrap_or(""),
            category_code: f.category.code(),
            category_zh: f.category.zh(),
            category_en: f.category.en(),
            unit_name: unit_name.into(),
            post: f.post.clone().unwrap_or_default(),
            join_date: f.join_date.map(date::iso).unwrap_or_default(),
            phone: if show_personal { f.phone.clone().unwrap_or_default() } else { String::new() },
        }
    }

    /// Core keeps only the Chinese gender label; this is its English twin.
    pub fn gender_en(&self) -> &'static str {
        match self.gender_zh {
            "男" => "Male",
            "女" => "Female",
            g => g,
        }
    }
}

/// `GET /imports` and the result of `POST /imports/{kind}`.
#[derive(Template)]
#[template(path = "imports.html")]
pub struct ImportsPage {
    pub chrome: Chrome,
    /// (kind, zh, en) of every importable ledger: ("units", "组织", "Units") …
    pub kinds: Vec<(&'static str, &'static str, &'static str)>,
    pub report: Option<ImportReport>,
}

impl ImportsPage {
    /// The label of a kind in the page's language (the kind itself if unknown).
    pub fn kind_label<'a>(&self, kind: &'a str) -> &'a str {
        self.kinds
            .iter()
            .find(|(k, _, _)| *k == kind)
            .map(|&(_, zh, en)| self.chrome.lang.label(zh, en))
            .unwrap_or(kind)
    }
}

#[derive(Debug, Clone)]
pub struct ImportReport {
    /// True when every row was valid and written.
    pub ok: bool,
    pub kind: String,
    /// Rows written (ok) or rows read (not ok).
    pub rows: usize,
    /// Of the rows written, new records and updated ones.
    pub created: usize,
    pub updated: usize,
    /// What to know about what was written (see `ledgers::warnings`).
    pub warnings: Vec<String>,
    /// Already formatted: "第 12 行 C 列（人员类别）：…". Nothing was written.
    pub errors: Vec<String>,
}

/// Any error: 403, 404, 500 … Inside the app layout when `chrome` is given.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Option<Chrome>,
    pub lang: Lang,
    pub status: u16,
    pub title: String,
    pub message: String,
}

impl Layout for ErrorPage {
    fn layout_chrome(&self) -> Option<&Chrome> {
        self.chrome.as_ref()
    }
    fn layout_lang(&self) -> Lang {
        self.lang
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use qizhi_core::person::Category;

    use super::*;

    const EVIL: &str = "<script>alert(1)</script>福州分公司党委";

    pub(crate) fn chrome(lang: Lang, nav: &'static str) -> Chrome {
        Chrome {
            lang,
            user_name: "林晓燕".into(),
            csrf: "tok-123".into(),
            nav,
            flash: None,
            hidden: vec![],
            path: "/org?q=福州".into(),
        }
    }

    fn unit(id: i64, code: &str, name: &str, kind: UnitKind) -> UnitRef {
        UnitRef::new(id, code, name, kind)
    }

    fn tile(key: &str, value: Value) -> FigureTile {
        FigureTile::new(qizhi_core::figures::figure(key).unwrap(), value)
    }

    pub(crate) fn sample_sections() -> Vec<FigureSection> {
        group_tiles(vec![
            tile("org.units", Value::Count(236)),
            tile("org.branches", Value::Count(179)),
            tile("org.members", Value::Count(4312)),
            tile("org.people", Value::Count(11_870)),
            tile("grids.total", Value::Count(1711)),
            tile("grids.covered", Value::Count(1711)),
            tile("grids.coverage_rate", Value::Rate(1.0)),
            tile("scenarios.total", Value::Count(20)),
        ])
    }

    pub(crate) fn home(lang: Lang) -> HomePage {
        let provinces = [
            ("BJ", "北京市分公司党委", 210, 5230),
            ("TJ", "天津市分公司党委", 96, 2104),
            ("NM", "内蒙古自治区分公司党委", 301, 6015),
            ("JS", "江苏省分公司党委", 265, 6880),
            ("FJ", "福建省分公司党委", 179, 4312),
            ("GD", "广东省分公司党委", 402, 9890),
            ("GZ", "贵州省分公司党委", 148, 1989),
            ("ZX", "联通在线党委", 37, 820),
        ];
        HomePage {
            chrome: chrome(lang, "home"),
            root: Some(unit(1, "G", "集团党组", UnitKind::Leadership)),
            sections: sample_sections(),
            year: 2024,
            children: provinces
                .iter()
                .enumerate()
                .map(|(i, (code, name, b, m))| HomeChild {
                    unit: unit(10 + i as i64, code, name, UnitKind::Committee),
                    branches: *b,
                    members: *m,
                })
                .collect(),
        }
    }

    fn node(id: i64, code: &str, name: &str, kind: UnitKind, n: i64) -> TreeNode {
        TreeNode { unit: unit(id, code, name, kind), has_children: n > 0, child_count: n }
    }

    pub(crate) fn org(lang: Lang, q: &str) -> OrgTreePage {
        OrgTreePage {
            chrome: chrome(lang, "org"),
            roots: vec![node(1, "G", "集团党组", UnitKind::Leadership, 40)],
            q: q.into(),
            results: if q.is_empty() {
                vec![]
            } else {
                vec![
                    UnitHit {
                        unit: unit(120, "FJ-FZ", "福州市分公司党委", UnitKind::Committee),
                        path_names: "集团党组 / 福建省分公司党委 / 福州市分公司党委".into(),
                    },
                    UnitHit {
                        unit: unit(121, "FJ-FZ-01", EVIL, UnitKind::Branch),
                        path_names: "集团党组 / 福建省分公司党委".into(),
                    },
                ]
            },
        }
    }

    pub(crate) fn tree_children(lang: Lang) -> TreeChildren {
        TreeChildren {
            lang,
            nodes: vec![
                node(10, "BJ", "北京市分公司党委", UnitKind::Committee, 16),
                node(14, "FJ", "福建省分公司党委", UnitKind::Committee, 9),
                node(30, "G-ZS-01", "集团总部机关第一党支部", UnitKind::Branch, 0),
            ],
        }
    }

    pub(crate) fn unit_page(lang: Lang) -> UnitPage {
        let children = vec![
            node(120, "FJ-FZ", "福州市分公司党委", UnitKind::Committee, 24),
            node(121, "FJ-XM", "厦门市分公司党委", UnitKind::Committee, 19),
            node(122, "FJ-QZ", "泉州市分公司党委", UnitKind::Committee, 21),
            node(123, "FJ-JG-01", "省分公司机关第一党支部", UnitKind::Branch, 3),
        ];
        let chart: Vec<HomeChild> = children
            .iter()
            .zip([(31, 640), (26, 512), (28, 590), (1, 42)])
            .map(|(n, (b, m))| HomeChild { unit: n.unit.clone(), branches: b, members: m })
            .collect();
        UnitPage {
            chrome: chrome(lang, "org"),
            unit: unit(14, "FJ", "福建省分公司党委", UnitKind::Committee),
            breadcrumb: vec![unit(1, "G", "集团党组", UnitKind::Leadership)],
            short_name: Some("福建联通".into()),
            parent: Some(unit(1, "G", "集团党组", UnitKind::Leadership)),
            founded: Some("1999-04-12".into()),
            status_code: "active",
            status_zh: "正常",
            status_en: "Active",
            children,
            people_count: 11_870,
            sections: sample_sections(),
            year_from: 2021,
            year_to: 2024,
            chart_json: children_chart_json(lang, &chart),
        }
    }

    fn person(id: i64, name: &str, gender: &'static str, c: Category, unit: &str, post: &str) -> PersonRow {
        PersonRow {
            id,
            name: name.into(),
            gender_zh: gender,
            category_code: c.code(),
            category_zh: c.zh(),
            category_en: c.en(),
            unit_name: unit.into(),
            post: post.into(),
            join_date: if c.is_member() { "2012-07-01".into() } else { String::new() },
            phone: "138****5678".into(),
        }
    }

    pub(crate) fn people(lang: Lang, show_personal: bool) -> PeoplePage {
        PeoplePage {
            chrome: chrome(lang, "people"),
            unit: unit(14, "FJ", "福建省分公司党委", UnitKind::Committee),
            q: "林 &".into(),
            category: "probationary".into(),
            rows: vec![
                person(1, "林建华", "男", Category::Full, "福州市分公司鼓楼营业部党支部", "党支部书记"),
                person(2, "陈雅婷", "女", Category::Probationary, "厦门市分公司网络运维党支部", "网络工程师"),
                person(3, "王志强", "男", Category::League, "泉州市分公司政企客户党支部", "客户经理"),
                person(4, EVIL, "", Category::Staff, "省分公司机关第一党支部", ""),
            ],
            page: 7,
            pages: 24,
            total: 463,
            show_personal,
            categories: Category::ALL.iter().map(|c| (c.code(), c.zh(), c.en())).collect(),
        }
    }

    pub(crate) fn imports(lang: Lang, report: Option<ImportReport>) -> ImportsPage {
        ImportsPage {
            chrome: chrome(lang, "imports"),
            kinds: vec![("units", "组织", "Units"), ("people", "人员", "People")],
            report,
        }
    }

    pub(crate) fn failed_report() -> ImportReport {
        ImportReport {
            ok: false,
            kind: "people".into(),
            rows: 312,
            created: 0,
            updated: 0,
            warnings: vec![],
            errors: vec![
                "第 12 行 C 列（人员类别）：未知的人员类别 “党员x”，应为 正式党员/预备党员/团员/群众".into(),
                "第 40 行 A 列（姓名）：不能为空".into(),
                format!("第 41 行 B 列（所在组织）：{EVIL}"),
            ],
        }
    }

    pub(crate) fn login(lang: Lang, error: Option<&str>) -> LoginPage {
        LoginPage {
            lang,
            error: error.map(str::to_string),
            username: "linxy".into(),
            next: "/org?q=福州".into(),
            csrf: "tok-login".into(),
        }
    }

    pub(crate) fn error(lang: Lang, signed_in: bool) -> ErrorPage {
        ErrorPage {
            chrome: signed_in.then(|| chrome(lang, "org")),
            lang,
            status: 404,
            title: lang.t("error.404.title").into(),
            message: lang.t("error.404.message").into(),
        }
    }

    fn check_layout(html: &str, lang: Lang) {
        assert!(html.starts_with("<!doctype html>"), "{}", &html[..80.min(html.len())]);
        assert!(html.contains(&format!("<html lang=\"{}\">", lang.html_lang())));
        for asset in ["qizhi.css", "qizhi.js", "htmx.min.js", "echarts.min.js", "logo.svg"] {
            assert!(html.contains(&crate::assets::url(asset)), "{asset} not linked");
        }
        assert!(!html.contains("nav."), "raw i18n key in page");
    }

    fn check_chrome(html: &str, lang: Lang, active: &str) {
        check_layout(html, lang);
        assert!(html.contains("林晓燕"));
        assert!(html.contains(r#"<form class="logout" method="post" action="/logout">"#));
        assert!(html.contains(r#"<input type="hidden" name="csrf" value="tok-123">"#));
        assert!(html.contains(&format!(r#"<a href="{active}" class="active" aria-current="page">"#)));
        let other = lang.other().code();
        assert!(html.contains(&format!("/lang/{other}?next=%2Forg%3Fq%3D%E7%A6%8F%E5%B7%9E")));
        let (logout, people) = match lang {
            Lang::Zh => ("退出", "人员"),
            Lang::En => ("Sign out", "People"),
        };
        assert!(html.contains(logout) && html.contains(people));
    }

    fn escaped(html: &str) {
        assert!(!html.contains("<script>alert"), "unescaped user text");
        assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;福州分公司党委"));
    }

    /// The JSON an ECharts div carries, after HTML attribute unescaping.
    fn chart_option(html: &str) -> serde_json::Value {
        let start = html.find("data-chart=\"").expect("no chart") + "data-chart=\"".len();
        let raw = &html[start..start + html[start..].find('"').unwrap()];
        let json = raw
            .replace("&#34;", "\"")
            .replace("&#39;", "'")
            .replace("&#60;", "<")
            .replace("&#62;", ">")
            .replace("&#38;", "&");
        serde_json::from_str(&json).expect("chart JSON")
    }

    #[test]
    fn home_renders_tiles_and_chart() {
        for lang in [Lang::Zh, Lang::En] {
            let html = home(lang).render().unwrap();
            check_chrome(&html, lang, "/");
            assert!(html.contains("集团党组"));
            assert!(html.contains(">179<") && html.contains(">11,870<") && html.contains(">100%<"));
            let label = lang.label("党支部数", "Branches");
            assert!(html.contains(label));
            let option = chart_option(&html);
            assert_eq!(option["series"].as_array().unwrap().len(), 2);
            assert_eq!(option["yAxis"]["data"][4], "福建省分公司党委");
            assert_eq!(option["series"][0]["data"][2], 301);
        }
        let mut empty = home(Lang::Zh);
        empty.root = None;
        let html = empty.render().unwrap();
        assert!(html.contains("尚未分配管理范围") && !html.contains("data-chart"));
    }

    #[test]
    fn org_tree_and_search() {
        for lang in [Lang::Zh, Lang::En] {
            let html = org(lang, "").render().unwrap();
            check_chrome(&html, lang, "/org");
            assert!(html.contains(r#"hx-get="/org/children/1""#));
            assert!(html.contains("data-autoexpand"));
            assert!(!html.contains("class=\"hits\""));
            let html = org(lang, "福州").render().unwrap();
            assert!(html.contains(r#"value="福州""#));
            assert!(html.contains("集团党组 / 福建省分公司党委 / 福州市分公司党委"));
            assert!(html.contains(r#"href="/units/120""#));
            escaped(&html);
        }
        let mut none = org(Lang::En, "zzz");
        none.results.clear();
        assert!(none.render().unwrap().contains("No matching units"));
    }

    #[test]
    fn tree_children_is_a_fragment() {
        let html = tree_children(Lang::Zh).render().unwrap();
        assert!(!html.contains("<html") && html.trim_start().starts_with("<ul class=\"tree\">"));
        assert!(html.contains(r#"hx-get="/org/children/14""#));
        assert!(html.contains("16 个下级") && html.contains("党支部"));
        // A leaf has no toggle.
        assert_eq!(html.matches("tree-toggle").count(), 2);
        let en = tree_children(Lang::En).render().unwrap();
        assert!(en.contains("16 below") && en.contains("Branch"));
        let empty = TreeChildren { lang: Lang::Zh, nodes: vec![] }.render().unwrap();
        assert!(empty.contains("暂无下级组织"));
    }

    #[test]
    fn unit_page_shows_facts_figures_children() {
        for lang in [Lang::Zh, Lang::En] {
            let mut page = unit_page(lang);
            page.children[0].unit.name = EVIL.into();
            let html = page.render().unwrap();
            check_chrome(&html, lang, "/org");
            escaped(&html);
            assert!(html.contains("福建联通") && html.contains("1999-04-12"));
            assert!(html.contains(r#"href="/units/1""#), "breadcrumb/parent link");
            assert!(html.contains(r#"href="/people?unit=14""#));
            assert!(html.contains("11,870"));
            assert!(html.contains(r#"name="from" value="2021""#) && html.contains(r#"name="to" value="2024""#));
            assert!(html.contains(r#"href="/units/123""#));
            assert!(html.contains("/imports/people/export.xlsx?unit=14"));
            assert!(html.contains(lang.label("正常", "Active")));
            assert_eq!(chart_option(&html)["series"][1]["data"][0], 640);
        }
    }

    #[test]
    fn people_page_filters_pages_and_hides_personal_data() {
        for lang in [Lang::Zh, Lang::En] {
            let html = people(lang, false).render().unwrap();
            check_chrome(&html, lang, "/people");
            escaped(&html);
            assert!(html.contains("林建华") && html.contains("党支部书记"));
            assert!(!html.contains("138****5678"), "phone shown without permission");
            assert!(html.contains(r#"<option value="probationary" selected>"#));
            assert!(html.contains(lang.label("共 463 人", "463 people")));
            assert!(html.contains(lang.label("预备党员", "Probationary member")));
            // Page links keep the search, encoded (and then HTML-escaped).
            assert!(
                html.contains(r#"href="/people?unit=14&#38;q=%E6%9E%97%20%26&#38;category=probationary&#38;page=8""#)
            );
            assert!(html.contains(">24</a>") && html.contains("aria-current=\"page\">7<"));
            assert!(html.contains(lang.label("第 7 页，共 24 页", "Page 7 of 24")));
            let html = people(lang, true).render().unwrap();
            assert!(html.contains("138****5678"));
            assert!(html.contains(lang.label("联系电话", "Phone")));
        }
        let en = people(Lang::En, false).render().unwrap();
        assert!(en.contains(">Female<"));
    }

    #[test]
    fn imports_page_and_reports() {
        for lang in [Lang::Zh, Lang::En] {
            let html = imports(lang, None).render().unwrap();
            check_chrome(&html, lang, "/imports");
            for href in [
                "/imports/units/template.xlsx",
                "/imports/units/template.csv",
                "/imports/people/export.xlsx",
                "/imports/people/export.csv",
            ] {
                assert!(html.contains(href), "{href}");
            }
            assert!(html.contains(r#"action="/imports/people" enctype="multipart/form-data""#));
            assert!(html.contains(r#"type="file" name="file""#));
            assert_eq!(html.matches(r#"name="csrf" value="tok-123""#).count(), 3);

            let html = imports(lang, Some(failed_report())).render().unwrap();
            escaped(&html);
            assert!(html.contains("第 12 行 C 列（人员类别）"));
            assert!(html.contains(lang.label("未写入任何数据", "nothing was written")));
            assert!(html.contains(lang.label("3 处错误", "3 errors")));

            let ok = ImportReport {
                ok: true,
                kind: "units".into(),
                rows: 236,
                created: 200,
                updated: 36,
                warnings: vec![],
                errors: vec![],
            };
            let html = imports(lang, Some(ok)).render().unwrap();
            assert!(html.contains(lang.label("已写入 236 行", "236 rows written")));
            assert!(html.contains(lang.label("组织 ·", "Units ·")));
        }
    }

    #[test]
    fn login_is_standalone() {
        for lang in [Lang::Zh, Lang::En] {
            let html = login(lang, Some("用户名或密码不正确 <b>")).render().unwrap();
            check_layout(&html, lang);
            assert!(!html.contains("sidenav") && !html.contains("/logout"));
            assert!(html.contains(r#"action="/login""#));
            assert!(html.contains(r#"name="csrf" value="tok-login""#));
            assert!(html.contains(r#"name="next" value="/org?q=福州""#));
            assert!(html.contains(r#"value="linxy""#));
            assert!(html.contains("用户名或密码不正确 &#60;b&#62;"));
            assert!(html.contains(lang.label("密码", "Password")));
            let other = lang.other().code();
            assert!(html.contains(&format!("/lang/{other}?next=%2Flogin%3Fnext%3D%252Forg")));
        }
    }

    #[test]
    fn error_page_with_and_without_chrome() {
        for lang in [Lang::Zh, Lang::En] {
            let html = error(lang, true).render().unwrap();
            check_chrome(&html, lang, "/org");
            assert!(html.contains(">404<") && html.contains(lang.t("error.404.title")));
            let html = error(lang, false).render().unwrap();
            check_layout(&html, lang);
            assert!(!html.contains("sidenav") && html.contains(r#"href="/login""#));
        }
    }

    #[test]
    fn flash_is_shown_and_escaped() {
        let mut page = imports(Lang::Zh, None);
        page.chrome.flash = Some("已保存 <i>".into());
        let html = page.render().unwrap();
        assert!(html.contains(r#"<div class="alert alert-success" role="status">已保存 &#60;i&#62;</div>"#));
    }

    #[test]
    fn formatting_helpers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(179), "179");
        assert_eq!(thousands(1711), "1,711");
        assert_eq!(thousands(150_000), "150,000");
        assert_eq!(thousands(-1_234_567), "-1,234,567");
        assert_eq!(format_value(Value::Count(4312)), "4,312");
        assert_eq!(format_value(Value::Rate(1.0)), "100%");
        assert_eq!(format_value(Value::Rate(0.7318)), "73.2%");
        assert_eq!(format_value(Value::Rate(0.73)), "73%");
        assert_eq!(format_value(Value::Rate(0.99996)), "99.9%");
        assert_eq!(format_value(Value::Rate(0.0)), "0%");
        assert_eq!(format_value(Value::Mean(100.0)), "100");
        assert_eq!(format_value(Value::Mean(62.25)), "62.2");
        assert_eq!(encode("/org?q=福 州&x"), "%2Forg%3Fq%3D%E7%A6%8F%20%E5%B7%9E%26x");
        assert_eq!(
            tiles(&qizhi_core::figures::compute(&[], qizhi_core::figures::Span { from: 2024, to: 2024 })).len(),
            FIGURES.len()
        );
    }

    #[test]
    fn pager_windows() {
        let pages = |p, n| -> Vec<i64> { pager(p, n, |i| i.to_string()).links.iter().map(|l| l.page).collect() };
        assert_eq!(pages(1, 1), vec![1]);
        assert_eq!(pages(1, 5), vec![1, 2, 3, 4, 5]);
        assert_eq!(pages(7, 24), vec![1, 0, 5, 6, 7, 8, 9, 0, 24]);
        assert_eq!(pages(24, 24), vec![1, 0, 22, 23, 24]);
        let p = pager(1, 3, |i| format!("?page={i}"));
        assert_eq!((p.prev, p.next.as_deref()), (None, Some("?page=2")));
        assert!(pager(99, 3, |i| i.to_string()).links.iter().any(|l| l.current && l.page == 3));
    }

    #[test]
    fn every_nav_item_is_complete() {
        let mut keys = std::collections::HashSet::new();
        for item in NAV {
            assert!(keys.insert(item.key) && item.href.starts_with('/') && !item.icon.is_empty());
        }
    }
}
