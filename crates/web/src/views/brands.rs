//! Views of the brand pages (templates under `templates/brands/`): the
//! matrix as cards and a table, the matrix tree, the review queue, a brand's
//! showcase and meeting-room screen, its structure editor, its review page
//! (lifecycle, standard, history, versions), honors and standards; the
//! chart options they draw; and their UI text ([`TEXT`]).
//!
//! Handlers decide what the caller may see and do; these structs only carry it.

use askama::Template;
use qizhi_core::brand::{
    Brand, BrandCategory, BrandEvent, BrandStatus, Element, ElementKind, ElementTree, EvidenceKind, HolderKind,
    HonorLevel, ReviewStage,
};
use qizhi_core::figures::{FIGURES, FigureDef};
use serde_json::{Value, json};

use super::{Chrome, FigureTile, Layout, Pager, UnitRef, encode, pager};
use crate::i18n::Lang;

layout_with_chrome!(
    BrandsPage,
    BrandTreePage,
    ReviewsPage,
    BrandFormPage,
    BrandShowPage,
    StructurePage,
    BrandReviewPage,
    VersionPage,
    HonorsPage,
    HonorFormPage,
    StandardsPage
);

// ---------------------------------------------------------------------------
// Shared pieces

/// A label in both languages, from core's `zh()`/`en()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

impl Label {
    pub fn of_status(s: BrandStatus) -> Label {
        Label { code: s.code(), zh: s.zh(), en: s.en() }
    }
    pub fn of_category(c: BrandCategory) -> Label {
        Label { code: c.code(), zh: c.zh(), en: c.en() }
    }
    pub fn of_stage(s: ReviewStage) -> Label {
        Label { code: s.code(), zh: s.zh(), en: s.en() }
    }
    pub fn of_kind(k: ElementKind) -> Label {
        Label { code: k.code(), zh: k.zh(), en: k.en() }
    }
    pub fn of_level(l: HonorLevel) -> Label {
        Label { code: l.code(), zh: l.zh(), en: l.en() }
    }
    pub fn of_holder(h: HolderKind) -> Label {
        Label { code: h.code(), zh: h.zh(), en: h.en() }
    }
    pub fn of_evidence(e: EvidenceKind) -> Label {
        Label { code: e.code(), zh: e.zh(), en: e.en() }
    }
    pub fn get(&self, lang: &Lang) -> &'static str {
        lang.label(self.zh, self.en)
    }
}

/// Every value of a labelled set, for a select.
pub fn options<T: Copy>(all: &[T], label: impl Fn(T) -> Label) -> Vec<Label> {
    all.iter().map(|v| label(*v)).collect()
}

/// A brand as cards, tables and links show it.
#[derive(Debug, Clone)]
pub struct BrandCard {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub category: Label,
    pub status: Label,
    pub slogan: String,
    pub heritage: String,
    pub founded_year: String,
    pub standard_met: bool,
    pub sub_brands: i64,
    /// `/files/{id}` of the logo, or empty.
    pub logo: String,
    /// The application under review: (target, stage).
    pub pending: Option<(Label, Label)>,
    pub is_sub: bool,
}

impl BrandCard {
    pub fn new(b: &Brand, unit_id: i64, unit_name: &str, sub_brands: i64) -> BrandCard {
        let f = &b.fields;
        BrandCard {
            id: b.id.0,
            code: f.code.clone(),
            name: f.name.clone(),
            unit_id,
            unit_name: unit_name.to_string(),
            category: Label::of_category(f.category),
            status: Label::of_status(b.status),
            slogan: f.slogan.clone().unwrap_or_default(),
            heritage: f.heritage.clone().unwrap_or_default(),
            founded_year: f.founded_year.map(|y| y.to_string()).unwrap_or_default(),
            standard_met: b.standard_met_on.is_some(),
            sub_brands,
            logo: logo_url(b),
            pending: b.app_target.zip(b.app_stage).map(|(t, s)| (Label::of_status(t), Label::of_stage(s))),
            is_sub: b.parent_id.is_some(),
        }
    }

    pub fn from_listed(l: &qizhi_store::brands::BrandListed) -> BrandCard {
        BrandCard::new(&l.brand, l.brand.unit_id.0, l.unit_label(), l.sub_brands)
    }

    /// The seal shown without a logo: the first two characters of the name.
    pub fn initials(&self) -> String {
        initials(&self.name)
    }
}

pub fn logo_url(b: &Brand) -> String {
    b.logo_file_id.map(|f| format!("/files/{f}")).unwrap_or_default()
}

/// The first two characters that are not punctuation (`黔’锋` → `黔锋`).
pub fn initials(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).take(2).collect()
}

/// One element of a structure in outline order, with its depth (1: top).
#[derive(Debug, Clone)]
pub struct FlatElement {
    pub id: i64,
    pub depth: usize,
    pub number: String,
    pub kind: Label,
    pub title: String,
    pub text: String,
    pub first: bool,
    pub last: bool,
}

/// Stored elements in outline order (ids kept, for the editor).
pub fn flatten_elements(elements: &[Element]) -> Vec<FlatElement> {
    fn walk(all: &[Element], parent: Option<i64>, prefix: &str, depth: usize, out: &mut Vec<FlatElement>) {
        let mut kids: Vec<&Element> = all.iter().filter(|e| e.parent_id == parent).collect();
        kids.sort_by_key(|e| (e.sort_order, e.id));
        let n = kids.len();
        for (i, e) in kids.into_iter().enumerate() {
            let number = if prefix.is_empty() { format!("{}", i + 1) } else { format!("{prefix}.{}", i + 1) };
            out.push(FlatElement {
                id: e.id,
                depth,
                number: number.clone(),
                kind: Label::of_kind(e.fields.kind),
                title: e.fields.title.clone(),
                text: e.fields.text.clone().unwrap_or_default(),
                first: i == 0,
                last: i + 1 == n,
            });
            walk(all, Some(e.id), &number, depth + 1, out);
        }
    }
    let mut out = vec![];
    walk(elements, None, "", 1, &mut out);
    out
}

/// A tree (a version's snapshot) in outline order.
pub fn flatten_tree(tree: &[ElementTree]) -> Vec<FlatElement> {
    qizhi_core::brand::outline_of(tree)
        .into_iter()
        .map(|(number, f)| FlatElement {
            id: 0,
            depth: number.matches('.').count() + 1,
            number,
            kind: Label::of_kind(f.kind),
            title: f.title.clone(),
            text: f.text.clone().unwrap_or_default(),
            first: false,
            last: false,
        })
        .collect()
}

/// ECharts option drawing a structure as a tree from the brand's name.
pub fn structure_chart(name: &str, tree: &[ElementTree]) -> String {
    fn node(t: &ElementTree) -> Value {
        let mut v = json!({ "name": t.fields.title, "value": t.fields.text.clone().unwrap_or_default() });
        if !t.children.is_empty() {
            v["children"] = Value::Array(t.children.iter().map(node).collect());
        }
        v
    }
    let root = json!({
        "name": name,
        "children": tree.iter().map(node).collect::<Vec<_>>(),
        "itemStyle": { "color": "#c8161d", "borderColor": "#c8161d" },
        "label": { "fontWeight": "bold", "fontSize": 15 }
    });
    json!({
        "tooltip": { "trigger": "item", "formatter": "{b}<br>{c}" },
        "series": [{
            "type": "tree", "data": [root], "orient": "LR",
            "top": 16, "bottom": 16, "left": 110, "right": 200,
            "symbolSize": 10, "initialTreeDepth": -1, "expandAndCollapse": false, "roam": false,
            "itemStyle": { "color": "#fff", "borderColor": "#c8161d", "borderWidth": 2 },
            "lineStyle": { "color": "#d5b8b9", "width": 1.5, "curveness": 0.4 },
            "label": { "position": "left", "verticalAlign": "middle", "align": "right", "fontSize": 13 },
            "leaves": { "label": { "position": "right", "verticalAlign": "middle", "align": "left" } }
        }]
    })
    .to_string()
}

/// Height for a structure chart: about one line per leaf.
pub fn structure_height(tree: &[ElementTree]) -> usize {
    fn leaves(t: &[ElementTree]) -> usize {
        t.iter().map(|n| if n.children.is_empty() { 1 } else { leaves(&n.children) }).sum()
    }
    (leaves(tree) * 30 + 60).clamp(240, 1600)
}

/// ECharts option of a main brand and its sub-brands ("1+9"), left to right,
/// each sub-brand labelled with its unit and status.
pub fn matrix_chart(name: &str, subs: &[BrandCard], lang: Lang) -> String {
    let children: Vec<Value> = subs
        .iter()
        .map(|s| {
            let color = STATUS_COLORS[BrandStatus::ALL.iter().position(|x| x.code() == s.status.code).unwrap_or(0)];
            json!({
                "name": format!("{} · {}", s.name, s.status.get(&lang)),
                "value": s.unit_name,
                "itemStyle": { "color": color, "borderColor": color }
            })
        })
        .collect();
    json!({
        "tooltip": { "trigger": "item", "formatter": "{b}<br>{c}" },
        "series": [{
            "type": "tree", "orient": "LR", "top": 16, "bottom": 16, "left": 130, "right": 220,
            "symbolSize": 11, "initialTreeDepth": -1, "expandAndCollapse": false, "roam": false,
            "data": [{ "name": name, "children": children,
                       "itemStyle": { "color": "#c8161d", "borderColor": "#c8161d" },
                       "label": { "fontWeight": "bold", "fontSize": 15 } }],
            "lineStyle": { "color": "#d5b8b9", "width": 1.5, "curveness": 0.4 },
            "label": { "position": "left", "verticalAlign": "middle", "align": "right", "fontSize": 13 },
            "leaves": { "label": { "position": "right", "verticalAlign": "middle", "align": "left" } }
        }]
    })
    .to_string()
}

/// Height for the matrix chart of `n` sub-brands.
pub fn matrix_height(n: usize) -> usize {
    (n * 34 + 60).clamp(200, 1600)
}

/// Status colours, draft to exemplary (the same in charts and badges).
pub const STATUS_COLORS: [&str; 5] = ["#9aa3ae", "#d98b2b", "#2a5caa", "#3f8f6b", "#c8161d"];

/// One entry of the history timeline.
#[derive(Debug, Clone)]
pub struct TimelineItem {
    pub on: String,
    pub kind: Label,
    pub from: Option<Label>,
    pub to: Option<Label>,
    pub comment: String,
    pub actor: String,
    pub version: Option<i32>,
    /// Whether the status changed here (drawn stronger).
    pub milestone: bool,
}

impl TimelineItem {
    pub fn new(e: &BrandEvent) -> TimelineItem {
        TimelineItem {
            on: qizhi_core::date::iso(e.on),
            kind: Label { code: e.kind.code(), zh: e.kind.zh(), en: e.kind.en() },
            from: e.from.map(Label::of_status),
            to: e.to.map(Label::of_status),
            comment: e.comment.clone().unwrap_or_default(),
            actor: e.actor.clone().unwrap_or_default(),
            version: e.version,
            milestone: e.kind.changes_status(),
        }
    }
}

/// Newest first.
pub fn timeline(events: &[BrandEvent]) -> Vec<TimelineItem> {
    events.iter().rev().map(TimelineItem::new).collect()
}

/// An honor as lists show it.
#[derive(Debug, Clone)]
pub struct HonorView {
    pub id: i64,
    pub title: String,
    pub level: Label,
    pub issuer: String,
    pub awarded_on: String,
    pub holder_kind: Label,
    pub holder_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub brand_id: Option<i64>,
    pub brand_name: String,
    pub evidence: String,
    pub can_edit: bool,
}

impl HonorView {
    pub fn new(l: &qizhi_store::honors::HonorListed, can_edit: bool) -> HonorView {
        let h = &l.honor;
        HonorView {
            id: h.id.0,
            title: h.fields.title.clone(),
            level: Label::of_level(h.fields.level),
            issuer: h.fields.issuer.clone().unwrap_or_default(),
            awarded_on: qizhi_core::date::iso(h.fields.awarded_on),
            holder_kind: Label::of_holder(h.fields.holder_kind),
            holder_name: h.fields.holder_name.clone(),
            unit_id: h.unit_id.0,
            unit_name: l.unit_name.clone(),
            brand_id: h.brand_id.map(|b| b.0),
            brand_name: l.brand_name.clone().unwrap_or_default(),
            evidence: h.evidence_file_id.map(|f| format!("/files/{f}")).unwrap_or_default(),
            can_edit,
        }
    }
}

/// Figures a brand may show, for the form's checkboxes: (key, zh, en, checked).
pub fn figure_choices(checked: &[String]) -> Vec<(&'static str, &'static str, &'static str, bool)> {
    FIGURES.iter().map(|f: &FigureDef| (f.key, f.zh, f.en, checked.iter().any(|c| c == f.key))).collect()
}

/// A form's problems: (field, message).
pub type FormErrors = Vec<(String, String)>;

pub fn field_error<'a>(errors: &'a FormErrors, field: &str) -> Option<&'a str> {
    errors.iter().find(|(f, _)| f == field || f.starts_with(&format!("{field}["))).map(|(_, m)| m.as_str())
}

// ---------------------------------------------------------------------------
// The matrix

/// `GET /brands`: the brands of a unit's subtree as cards or a table.
#[derive(Template)]
#[template(path = "brands/list.html")]
pub struct BrandsPage {
    pub chrome: Chrome,
    /// Filters that could not be read (left out of the list).
    pub filter_problems: Vec<String>,
    pub unit: UnitRef,
    pub can_create: bool,
    pub q: String,
    /// Codes, empty for all.
    pub category: String,
    pub status: String,
    pub heritage: String,
    /// "yes", "no" or "".
    pub met: String,
    pub sort: String,
    /// "cards" or "table".
    pub view: String,
    pub heritages: Vec<String>,
    pub cards: Vec<BrandCard>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub tiles: Vec<FigureTile>,
    /// The span of the tiles (statuses at its end, honors within it).
    pub period: crate::kit::period::PeriodView,
}

impl BrandsPage {
    pub fn categories(&self) -> Vec<Label> {
        options(BrandCategory::ALL, Label::of_category)
    }
    pub fn statuses(&self) -> Vec<Label> {
        options(BrandStatus::ALL, Label::of_status)
    }
    pub fn sorts(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("status", "brands.sort.status"),
            ("name", "brands.sort.name"),
            ("founded", "brands.sort.founded"),
            ("unit", "brands.sort.unit"),
            ("recent", "brands.sort.recent"),
        ]
    }

    /// This list with one parameter changed (`page` resets unless it is `page`).
    pub fn href(&self, key: &str, value: &str) -> String {
        let mut params: Vec<(&str, String)> = vec![
            ("unit", self.unit.id.to_string()),
            ("q", self.q.clone()),
            ("category", self.category.clone()),
            ("status", self.status.clone()),
            ("heritage", self.heritage.clone()),
            ("met", self.met.clone()),
            ("sort", self.sort.clone()),
            ("view", self.view.clone()),
        ];
        for p in params.iter_mut() {
            if p.0 == key {
                p.1 = value.to_string();
            }
        }
        if key == "page" {
            params.push(("page", value.to_string()));
        }
        let query: Vec<String> =
            params.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", encode(&v))).collect();
        format!("/brands?{}", query.join("&"))
    }

    pub fn pager(&self) -> Pager {
        pager(self.page, self.pages, |p| self.href("page", &p.to_string()))
    }

    pub fn page_status(&self) -> String {
        self.chrome
            .lang
            .t("pager.status")
            .replace("{n}", &self.page.to_string())
            .replace("{m}", &self.pages.to_string())
    }

    /// "2024" or "2020–2024".
    pub fn span_label(&self) -> String {
        if self.period.single() {
            self.period.to.to_string()
        } else {
            format!("{}–{}", self.period.from, self.period.to)
        }
    }

    pub fn is_sort(&self, code: &str) -> bool {
        self.sort == code
    }

    pub fn filtered(&self) -> bool {
        !(self.q.is_empty()
            && self.category.is_empty()
            && self.status.is_empty()
            && self.heritage.is_empty()
            && self.met.is_empty())
    }
}

/// One child unit of the matrix tree, with its subtree's brands by status.
#[derive(Debug, Clone)]
pub struct MatrixRow {
    pub unit: UnitRef,
    pub total: i64,
    /// Draft … exemplary.
    pub by_status: [i64; 5],
    pub mature_or_better: i64,
    pub has_children: bool,
}

/// A brand in the matrix tree, indented under its main brand.
#[derive(Debug, Clone)]
pub struct TreeBrand {
    pub card: BrandCard,
    pub depth: usize,
}

/// The brands of one unit below the tree's unit (or of that unit itself),
/// one block of the treemap.
#[derive(Debug, Clone)]
pub struct BrandGroup {
    pub unit: UnitRef,
    /// Whether the unit has units below, so that its block opens its own tree.
    pub drill: bool,
    pub brands: Vec<BrandCard>,
}

/// `GET /brands/tree?unit=`: the brand matrix of a unit, drilled down by unit.
#[derive(Template)]
#[template(path = "brands/tree.html")]
pub struct BrandTreePage {
    pub chrome: Chrome,
    pub unit: UnitRef,
    pub breadcrumb: Vec<UnitRef>,
    pub rows: Vec<MatrixRow>,
    pub brands: Vec<TreeBrand>,
    /// The same brands by the unit below they belong to, for the treemap.
    pub groups: Vec<BrandGroup>,
    /// Only brands from this status up are listed (a large subtree).
    pub min_status: Option<Label>,
    pub total_brands: i64,
    pub period: crate::kit::period::PeriodView,
}

impl BrandTreePage {
    pub fn chart_json(&self) -> String {
        let lang = self.chrome.lang;
        let names: Vec<&str> = self.rows.iter().map(|r| r.unit.name.as_str()).collect();
        let series: Vec<Value> = BrandStatus::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| {
                json!({
                    "name": lang.label(s.zh(), s.en()), "type": "bar", "stack": "status", "barMaxWidth": 14,
                    "itemStyle": { "color": STATUS_COLORS[i] },
                    "data": self.rows.iter().map(|r| r.by_status[i]).collect::<Vec<_>>()
                })
            })
            .collect();
        json!({
            "tooltip": { "trigger": "axis", "axisPointer": { "type": "shadow" } },
            "legend": { "top": 0 },
            "grid": { "left": 8, "right": 24, "top": 40, "bottom": 4, "containLabel": true },
            "xAxis": { "type": "value", "minInterval": 1, "splitLine": { "lineStyle": { "color": "#eef0f3" } } },
            "yAxis": { "type": "category", "inverse": true, "data": names, "axisTick": { "show": false },
                       "axisLabel": { "width": 132, "overflow": "truncate" } },
            "series": series
        })
        .to_string()
    }

    /// A treemap of the brands: a block per unit below (opening its own
    /// tree), a tile per brand coloured by status (opening the brand).
    pub fn treemap_json(&self) -> String {
        let lang = self.chrome.lang;
        let color = |code: &str| STATUS_COLORS[BrandStatus::ALL.iter().position(|x| x.code() == code).unwrap_or(0)];
        let groups: Vec<Value> = self
            .groups
            .iter()
            .map(|g| {
                let brands: Vec<Value> = g
                    .brands
                    .iter()
                    .map(|b| {
                        json!({ "name": b.name, "value": 1, "link": format!("/brands/{}", b.id), "target": "self",
                                "itemStyle": { "color": color(b.status.code) } })
                    })
                    .collect();
                let link = if g.drill {
                    format!("/brands/tree?unit={}", g.unit.id)
                } else {
                    format!("/brands?unit={}", g.unit.id)
                };
                let name = format!("{} · {}", g.unit.name, lang.tn("brands.total", g.brands.len()));
                json!({ "name": name, "value": g.brands.len(), "link": link, "target": "self", "children": brands })
            })
            .collect();
        json!({
            "tooltip": { "formatter": "{b}" },
            "series": [{
                "type": "treemap", "nodeClick": "link", "roam": false, "breadcrumb": { "show": false },
                "leafDepth": 2, "width": "100%", "height": "100%", "top": 0, "left": 0,
                "label": { "show": true, "formatter": "{b}", "overflow": "truncate" },
                "upperLabel": { "show": true, "height": 22, "color": "#fff", "backgroundColor": "#5b6b82" },
                "itemStyle": { "borderColor": "#fff", "borderWidth": 1, "gapWidth": 1 },
                "levels": [
                    { "itemStyle": { "borderColor": "#fff", "borderWidth": 3, "gapWidth": 3 } },
                    { "itemStyle": { "borderColor": "#5b6b82", "borderWidth": 2, "gapWidth": 1 } },
                    {}
                ],
                "data": groups
            }]
        })
        .to_string()
    }

    /// Tall enough that a few hundred brands keep readable tiles.
    pub fn treemap_height(&self) -> usize {
        let n: usize = self.groups.iter().map(|g| g.brands.len()).sum();
        (320 + n * 2).min(720)
    }

    pub fn chart_height(&self) -> usize {
        super::chart_height(self.rows.len())
    }

    pub fn statuses(&self) -> Vec<Label> {
        options(BrandStatus::ALL, Label::of_status)
    }
}

/// An application waiting for a decision, or one of the caller's own.
#[derive(Debug, Clone)]
pub struct PendingRow {
    pub card: BrandCard,
    pub applied_on: String,
    /// What the next decision is: 初审, 评审 or 命名.
    pub step_zh: &'static str,
    pub step_en: &'static str,
}

/// `GET /brands/reviews`: what the caller may decide, and their units' applications.
#[derive(Template)]
#[template(path = "brands/reviews.html")]
pub struct ReviewsPage {
    pub chrome: Chrome,
    pub to_decide: Vec<PendingRow>,
    pub mine: Vec<PendingRow>,
    pub reviewer: bool,
}

// ---------------------------------------------------------------------------
// One brand

/// The values of the brand form, as typed.
#[derive(Debug, Clone, Default)]
pub struct BrandFormValues {
    pub code: String,
    pub name: String,
    pub category: String,
    pub parent_id: String,
    pub slogan: String,
    pub concept: String,
    pub heritage: String,
    pub founded_year: String,
    pub figures: Vec<String>,
}

/// `GET /brands/new?unit=` and `GET /brands/{id}/edit`.
#[derive(Template)]
#[template(path = "brands/form.html")]
pub struct BrandFormPage {
    pub chrome: Chrome,
    pub unit: UnitRef,
    /// None: a new brand.
    pub brand_id: Option<i64>,
    pub values: BrandFormValues,
    pub errors: FormErrors,
    /// Brands this one may sit under: (id, label).
    pub parents: Vec<(i64, String)>,
    pub logo: String,
}

impl BrandFormPage {
    pub fn categories(&self) -> Vec<Label> {
        options(BrandCategory::ALL, Label::of_category)
    }
    pub fn figures(&self) -> Vec<(&'static str, &'static str, &'static str, bool)> {
        figure_choices(&self.values.figures)
    }
    pub fn error(&self, field: &str) -> Option<&str> {
        field_error(&self.errors, field)
    }
    pub fn action(&self) -> String {
        match self.brand_id {
            Some(id) => format!("/brands/{id}/edit"),
            None => "/brands".into(),
        }
    }
    pub fn is_parent(&self, id: &i64) -> bool {
        self.values.parent_id == id.to_string()
    }
}

/// A brand's facts as the showcase and review pages show them.
#[derive(Debug, Clone)]
pub struct BrandFacts {
    pub card: BrandCard,
    pub concept: String,
    pub status_since: String,
    pub standard_met_on: String,
    pub version: i32,
}

impl BrandFacts {
    pub fn new(b: &Brand, unit_name: &str, sub_brands: i64) -> BrandFacts {
        BrandFacts {
            card: BrandCard::new(b, b.unit_id.0, unit_name, sub_brands),
            concept: b.fields.concept.clone().unwrap_or_default(),
            status_since: qizhi_core::date::iso(b.status_since),
            standard_met_on: b.standard_met_on.map(qizhi_core::date::iso).unwrap_or_default(),
            version: b.version,
        }
    }
}

/// One item of the standard on the showcase: title and whether it is met.
#[derive(Debug, Clone)]
pub struct ItemMark {
    pub title: String,
    pub met: bool,
}

/// `GET /brands/{id}`: the showcase.
#[derive(Template)]
#[template(path = "brands/show.html")]
pub struct BrandShowPage {
    pub chrome: Chrome,
    pub brand: BrandFacts,
    pub unit: UnitRef,
    pub main: Option<(i64, String)>,
    pub subs: Vec<BrandCard>,
    pub structure: Vec<FlatElement>,
    pub structure_chart: String,
    pub structure_height: usize,
    pub matrix_chart: String,
    pub timeline: Vec<TimelineItem>,
    pub honors: Vec<HonorView>,
    pub figures: Vec<FigureTile>,
    pub year: i32,
    pub standard_name: String,
    pub items: Vec<ItemMark>,
    pub can_edit: bool,
    pub can_review: bool,
}

/// `GET /brands/{id}/screen`: the showcase for a meeting-room screen.
#[derive(Template)]
#[template(path = "brands/screen.html")]
pub struct BrandScreenPage {
    pub lang: Lang,
    pub show: BrandShowPage,
}

impl Layout for BrandScreenPage {
    fn layout_chrome(&self) -> Option<&Chrome> {
        None
    }
    fn layout_lang(&self) -> Lang {
        self.lang
    }
}

/// `GET /brands/{id}/structure`: the structure editor.
#[derive(Template)]
#[template(path = "brands/structure.html")]
pub struct StructurePage {
    pub chrome: Chrome,
    pub brand: BrandFacts,
    pub elements: Vec<FlatElement>,
    pub error: Option<String>,
    pub structure_chart: String,
    pub structure_height: usize,
}

impl StructurePage {
    pub fn kinds(&self) -> Vec<Label> {
        options(ElementKind::ALL, Label::of_kind)
    }
    /// Elements that can take a child (not at the deepest level).
    pub fn parents(&self) -> Vec<&FlatElement> {
        self.elements.iter().filter(|e| e.depth < qizhi_core::brand::MAX_DEPTH).collect()
    }
}

/// A piece of evidence on the review page.
#[derive(Debug, Clone)]
pub struct EvidenceView {
    pub id: i64,
    pub kind: Label,
    pub text: String,
    pub file: String,
    pub figure: Option<FigureTile>,
    pub by: String,
}

/// One item of the standard on the review page.
#[derive(Debug, Clone)]
pub struct ItemView {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub evidence: Vec<EvidenceView>,
    pub confirmed_on: String,
    pub confirmed_by: String,
    pub comment: String,
}

/// `GET /brands/{id}/review`: lifecycle, standard, history and versions.
#[derive(Template)]
#[template(path = "brands/review.html")]
pub struct BrandReviewPage {
    pub chrome: Chrome,
    pub brand: BrandFacts,
    pub unit: UnitRef,
    /// The status an application would ask for.
    pub next: Option<Label>,
    /// Why the owner cannot apply now (the rule's explanation), if not.
    pub apply_refusal: Option<String>,
    /// Why the next approval would be refused (naming without the standard met).
    pub approve_refusal: Option<String>,
    /// The next decision on the open application: 初审, 评审 or 命名.
    pub next_step: Option<(&'static str, &'static str)>,
    pub can_edit: bool,
    pub can_review: bool,
    pub standard_name: String,
    pub standard_issuer: String,
    pub items: Vec<ItemView>,
    pub met_on: String,
    pub timeline: Vec<TimelineItem>,
    pub versions: Vec<(i32, String, String, String)>,
    pub demote_to: Vec<Label>,
    pub error: Option<String>,
}

impl BrandReviewPage {
    pub fn rule(&self) -> &'static str {
        let (zh, en) = qizhi_core::brand::MATURITY_RULE;
        self.chrome.lang.label(zh, en)
    }
    pub fn statuses(&self) -> Vec<Label> {
        options(BrandStatus::ALL, Label::of_status)
    }
    pub fn evidence_kinds(&self) -> Vec<Label> {
        options(EvidenceKind::ALL, Label::of_evidence)
    }
    pub fn figures(&self) -> Vec<(&'static str, &'static str, &'static str, bool)> {
        figure_choices(&[])
    }
}

/// `GET /brands/{id}/versions/{v}`: a version as it was kept.
#[derive(Template)]
#[template(path = "brands/version.html")]
pub struct VersionPage {
    pub chrome: Chrome,
    pub brand: BrandFacts,
    pub version: i32,
    pub on: String,
    pub note: String,
    pub actor: String,
    pub name: String,
    pub category: Label,
    pub status: Label,
    pub slogan: String,
    pub concept: String,
    pub heritage: String,
    pub structure: Vec<FlatElement>,
}

// ---------------------------------------------------------------------------
// Honors and standards

/// `GET /honors`.
#[derive(Template)]
#[template(path = "brands/honors.html")]
pub struct HonorsPage {
    pub chrome: Chrome,
    /// Filters that could not be read (left out of the list).
    pub filter_problems: Vec<String>,
    pub unit: UnitRef,
    pub can_create: bool,
    pub q: String,
    pub level: String,
    pub period: crate::kit::period::PeriodView,
    pub rows: Vec<HonorView>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub tiles: Vec<FigureTile>,
}

impl HonorsPage {
    pub fn levels(&self) -> Vec<Label> {
        options(HonorLevel::ALL, Label::of_level)
    }
    pub fn page_href(&self, page: i64) -> String {
        let mut href = format!("/honors?unit={}&from={}&to={}", self.unit.id, self.period.from, self.period.to);
        for (k, v) in [("q", &self.q), ("level", &self.level)] {
            if !v.is_empty() {
                href.push_str(&format!("&{k}={}", encode(v)));
            }
        }
        href.push_str(&format!("&page={page}"));
        href
    }
    pub fn pager(&self) -> Pager {
        pager(self.page, self.pages, |p| self.page_href(p))
    }
}

/// The values of the honor form, as typed.
#[derive(Debug, Clone, Default)]
pub struct HonorFormValues {
    pub title: String,
    pub level: String,
    pub issuer: String,
    pub awarded_on: String,
    pub holder_kind: String,
    pub holder_code: String,
    pub holder_name: String,
    pub brand_id: String,
    pub note: String,
}

/// `GET /honors/new?unit=` and `GET /honors/{id}/edit`.
#[derive(Template)]
#[template(path = "brands/honor_form.html")]
pub struct HonorFormPage {
    pub chrome: Chrome,
    pub unit: UnitRef,
    pub honor_id: Option<i64>,
    pub values: HonorFormValues,
    pub errors: FormErrors,
    /// Brands of the unit's subtree an honor can be linked to: (id, label).
    pub brands: Vec<(i64, String)>,
    pub evidence: String,
}

impl HonorFormPage {
    pub fn levels(&self) -> Vec<Label> {
        options(HonorLevel::ALL, Label::of_level)
    }
    pub fn holder_kinds(&self) -> Vec<Label> {
        options(HolderKind::ALL, Label::of_holder)
    }
    pub fn error(&self, field: &str) -> Option<&str> {
        field_error(&self.errors, field)
    }
    pub fn action(&self) -> String {
        match self.honor_id {
            Some(id) => format!("/honors/{id}/edit"),
            None => "/honors".into(),
        }
    }
    pub fn is_brand(&self, id: &i64) -> bool {
        self.values.brand_id == id.to_string()
    }
}

/// A standard as the standards page shows it.
#[derive(Debug, Clone)]
pub struct StandardView {
    pub name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub issued_on: String,
    /// (id, title, description)
    pub items: Vec<(i64, String, String)>,
}

/// `GET /standards?unit=`: the standard applying below a unit, the ones
/// issued in scope, and the form to issue or revise the unit's own.
#[derive(Template)]
#[template(path = "brands/standards.html")]
pub struct StandardsPage {
    pub chrome: Chrome,
    pub unit: UnitRef,
    /// What brands of units under `unit` are held to.
    pub applying: Option<StandardView>,
    pub issued: Vec<StandardView>,
    pub can_issue: bool,
    pub form_name: String,
    /// (id or 0 for new, title, description); a few blank rows for new items.
    pub form_items: Vec<(i64, String, String)>,
    pub errors: FormErrors,
}

impl StandardsPage {
    /// Whether the unit has issued a standard of its own.
    pub fn has_own(&self) -> bool {
        self.issued.iter().any(|s| s.unit_id == self.unit.id)
    }
    pub fn error(&self, field: &str) -> Option<&str> {
        field_error(&self.errors, field)
    }
}

/// UI text of the brand pages: (key, zh, en).
#[rustfmt::skip]
pub const TEXT: &[(&str, &str, &str)] = &[
    ("nav.brands", "党建品牌", "Brands"),
    ("brands.title", "党建品牌矩阵", "Brand matrix"),
    ("brands.sub", "品牌在本组织及全部下级组织中的分布、状态与成效", "Brands owned in this unit and below: where they stand and what they achieved"),
    ("brands.scope", "范围：", "Scope: "),
    ("brands.tab.matrix", "品牌矩阵", "Matrix"),
    ("brands.tab.tree", "矩阵树", "Matrix tree"),
    ("brands.tab.reviews", "申报审核", "Reviews"),
    ("brands.tab.honors", "荣誉", "Honors"),
    ("brands.tab.standards", "品牌标准", "Standards"),
    ("brands.new", "新建品牌", "New brand"),
    ("brands.search_placeholder", "品牌名称、编码、口号或组织", "Brand name, code, slogan or unit"),
    ("brands.all_categories", "全部类别", "All categories"),
    ("brands.all_statuses", "全部状态", "All statuses"),
    ("brands.all_heritages", "全部红色传承", "Any heritage"),
    ("brands.met_any", "标准达标：全部", "Standard: any"),
    ("brands.met_yes", "标准已达标", "Standard met"),
    ("brands.met_no", "标准未达标", "Standard not met"),
    ("brands.sort", "排序", "Sort"),
    ("brands.sort.status", "按等级", "By status"),
    ("brands.sort.name", "按名称", "By name"),
    ("brands.sort.founded", "按创建年份", "By year founded"),
    ("brands.sort.unit", "按组织", "By unit"),
    ("brands.sort.recent", "最近更新", "Recently changed"),
    ("brands.view.cards", "卡片", "Cards"),
    ("brands.view.table", "表格", "Table"),
    ("brands.total", "共 {n} 个品牌", "{n} brands"),
    ("brands.empty", "没有符合条件的品牌", "No brands match"),
    ("brands.empty_hint", "可调整筛选条件，或新建一个品牌。", "Change the filters, or create a brand."),
    ("brands.figures", "品牌统计（{n} 年）", "Brand figures ({n})"),
    ("brands.figures_note", "品牌数与各等级为区间末的状态；荣誉数为区间内获得的荣誉。", "Brands and their statuses are as at the end of the span; honors are those awarded within it."),
    ("brands.name", "品牌名称", "Brand"),
    ("brands.code", "品牌编码", "Code"),
    ("brands.unit", "所属组织", "Unit"),
    ("brands.category", "品牌类别", "Category"),
    ("brands.status", "品牌等级", "Status"),
    ("brands.slogan", "品牌口号", "Slogan"),
    ("brands.concept", "品牌理念", "Concept"),
    ("brands.heritage", "红色传承", "Red heritage"),
    ("brands.founded", "创建年份", "Founded"),
    ("brands.parent", "上级品牌", "Main brand"),
    ("brands.no_parent", "无（主品牌）", "None (a main brand)"),
    ("brands.subs", "子品牌", "Sub-brands"),
    ("brands.sub_count", "{n} 个子品牌", "{n} sub-brands"),
    ("brands.standard_met", "标准达标", "Standard met"),
    ("brands.standard_unmet", "标准未达标", "Standard not met"),
    ("brands.pending", "审核中", "Under review"),
    ("brands.logo", "品牌标识", "Logo"),
    ("brands.logo_hint", "PNG、JPEG、GIF 或 WebP 图片，不超过 10 MB", "A PNG, JPEG, GIF or WebP image up to 10 MB"),
    ("brands.logo_remove", "删除现有标识", "Remove the current logo"),
    ("brands.figures_field", "展示的统计数字", "Figures shown with the brand"),
    ("brands.code_hint", "留空则自动生成", "Leave empty to generate one"),
    ("brands.save", "保存", "Save"),
    ("brands.cancel", "取消", "Cancel"),
    ("brands.edit", "编辑品牌", "Edit brand"),
    ("brands.delete", "删除草稿品牌", "Delete draft brand"),
    ("brands.delete_confirm", "删除后不可恢复，确定删除？", "This cannot be undone. Delete?"),
    ("brands.showcase", "品牌展示", "Showcase"),
    ("brands.screen", "大屏展示", "Screen view"),
    ("brands.screen_back", "返回", "Back"),
    ("brands.structure", "品牌结构", "Structure"),
    ("brands.structure_edit", "编辑品牌结构", "Edit structure"),
    ("brands.structure_empty", "还没有品牌结构。", "No structure yet."),
    ("brands.review", "申报与审核", "Review"),
    ("brands.history", "品牌历程", "History"),
    ("brands.history_empty", "暂无记录", "Nothing recorded yet"),
    ("brands.honors", "荣誉", "Honors"),
    ("brands.honors_empty", "暂无荣誉", "No honors yet"),
    ("brands.linked_figures", "关联统计（{n} 年）", "Figures ({n})"),
    ("brands.matrix", "品牌矩阵", "Brand matrix"),
    ("brands.since", "自 {n} 起", "since {n}"),
    ("brands.version", "第 {n} 版", "Version {n}"),
    ("brands.versions", "版本（迭代升级）", "Versions"),
    ("brands.versions_empty", "尚未保存版本", "No versions kept yet"),
    ("brands.version_save", "保存当前版本", "Keep this version"),
    ("brands.version_note", "版本说明，如：2024 年迭代升级", "What changed, e.g. the 2024 upgrade"),
    ("brands.version_view", "查看", "View"),
    ("brands.version_title", "品牌版本", "Brand version"),
    ("brands.by", "经办：{n}", "by {n}"),
    ("brands.element.add", "添加元素", "Add an element"),
    ("brands.element.parent", "上级元素", "Under"),
    ("brands.element.top", "（顶层）", "(top level)"),
    ("brands.element.kind", "类型", "Kind"),
    ("brands.element.title", "名称", "Title"),
    ("brands.element.text", "内容", "Text"),
    ("brands.element.up", "上移", "Move up"),
    ("brands.element.down", "下移", "Move down"),
    ("brands.element.indent", "降一级", "Indent"),
    ("brands.element.outdent", "升一级", "Outdent"),
    ("brands.element.delete", "删除", "Delete"),
    ("brands.element.delete_confirm", "删除该元素及其下级？", "Delete this element and everything under it?"),
    ("brands.element.save", "保存修改", "Save"),
    ("brands.element.edit", "修改", "Edit"),
    ("brands.element.help", "用“上移/下移”调整顺序，“降一级/升一级”调整层级。", "Order with move up and down; nest with indent and outdent."),
    ("brands.element.diagram", "结构图", "Diagram"),
    ("brands.lifecycle", "品牌等级", "Lifecycle"),
    ("brands.current", "当前等级", "Current status"),
    ("brands.next", "可申报：{n}", "Can apply for: {n}"),
    ("brands.apply", "申报晋升", "Apply to move up"),
    ("brands.apply_comment", "申报说明（可选）", "Note (optional)"),
    ("brands.applying", "申报“{n}”", "Applying for {n}"),
    ("brands.stage", "审核进度", "Stage"),
    ("brands.next_step", "待{n}", "Awaiting {n}"),
    ("brands.applied_on", "申报日期", "Applied on"),
    ("brands.approve", "通过", "Approve"),
    ("brands.return", "退回", "Return"),
    ("brands.decision_comment", "审核意见（退回时必填）", "Comments (required to return)"),
    ("brands.approve_refused", "命名前须满足：", "Before naming:"),
    ("brands.demote", "降级", "Move down"),
    ("brands.demote_to", "降为", "Move down to"),
    ("brands.demote_comment", "降级意见（必填）", "Reason (required)"),
    ("brands.no_review_right", "由上级组织的审核人审核。", "A reviewer of the parent unit decides."),
    ("brands.rule", "晋升规则", "The rule"),
    ("brands.standard", "品牌标准", "Standard"),
    ("brands.standard_by", "由 {n} 发布", "issued by {n}"),
    ("brands.standard_none", "本组织及上级尚未发布品牌标准。", "No brand standard has been issued above this unit."),
    ("brands.met_on", "{n} 全部达标", "met on {n}"),
    ("brands.item.confirmed", "已确认达标", "Confirmed met"),
    ("brands.item.unconfirmed", "待确认", "Not confirmed"),
    ("brands.item.confirm", "确认达标", "Confirm met"),
    ("brands.item.unconfirm", "撤销确认", "Withdraw"),
    ("brands.item.comment", "确认意见（可选）", "Comment (optional)"),
    ("brands.evidence", "佐证材料", "Evidence"),
    ("brands.evidence.none", "尚无佐证", "No evidence yet"),
    ("brands.evidence.add", "添加佐证", "Add evidence"),
    ("brands.evidence.kind", "佐证类型", "Kind"),
    ("brands.evidence.text", "文字说明", "Text"),
    ("brands.evidence.file", "文件或照片", "File or photo"),
    ("brands.evidence.file_hint", "图片、PDF 或 Office 文档，不超过 10 MB", "An image, PDF or Office document up to 10 MB"),
    ("brands.evidence.figure", "统计数字", "Figure"),
    ("brands.evidence.open", "打开", "Open"),
    ("brands.evidence.delete", "删除", "Delete"),
    ("flash.brands.created", "品牌已创建", "Brand created"),
    ("flash.brands.saved", "已保存", "Saved"),
    ("flash.brands.applied", "已申报，等待上级组织审核", "Applied; a reviewer of the parent unit decides"),
    ("flash.brands.approved", "已通过", "Approved"),
    ("flash.brands.named", "已命名", "Named"),
    ("flash.brands.returned", "已退回", "Returned"),
    ("flash.brands.demoted", "已降级", "Moved down"),
    ("flash.brands.evidence", "佐证已保存", "Evidence saved"),
    ("flash.brands.confirmed", "已更新达标确认", "Confirmation updated"),
    ("flash.brands.version", "已保存新版本", "Version kept"),
    ("flash.brands.deleted", "已删除", "Deleted"),
    ("brands.tree.title", "品牌矩阵树", "Brand matrix tree"),
    ("brands.tree.units", "下级组织的品牌", "Brands of the units below"),
    ("brands.tree.open", "展开", "Open"),
    ("brands.tree.brands", "本组织及下级的品牌", "Brands in this subtree"),
    ("brands.tree.as_list", "按列表查看（{n} 个）", "As a list ({n})"),
    ("brands.tree.limited", "品牌较多，仅列出“{n}”及以上等级的品牌。", "Many brands: only those at {n} or above are listed."),
    ("brands.tree.mature", "成熟及以上", "Mature or better"),
    ("brands.tree.all", "品牌总数", "All brands"),
    ("brands.reviews.title", "申报审核", "Brand reviews"),
    ("brands.reviews.to_decide", "待我审核", "Waiting for my decision"),
    ("brands.reviews.none", "暂无待审核的申报", "Nothing to decide"),
    ("brands.reviews.mine", "本单位的申报", "My units' applications"),
    ("brands.reviews.none_mine", "本单位暂无进行中的申报", "No open applications"),
    ("brands.reviews.open", "去审核", "Review"),
    ("honors.title", "荣誉", "Honors"),
    ("honors.sub", "本组织及下级获得的荣誉，按获得年份计入统计", "Honors won in this unit and below, counted in the year awarded"),
    ("honors.new", "登记荣誉", "Record an honor"),
    ("honors.edit", "修改荣誉", "Edit honor"),
    ("honors.search_placeholder", "荣誉名称、颁发单位或获得者", "Title, issuer or holder"),
    ("honors.all_levels", "全部级别", "All levels"),
    ("honors.year", "年份", "Year"),
    ("honors.total", "共 {n} 项荣誉", "{n} honors"),
    ("honors.empty", "没有符合条件的荣誉", "No honors match"),
    ("honors.name", "荣誉名称", "Title"),
    ("honors.level", "级别", "Level"),
    ("honors.issuer", "颁发单位", "Issuer"),
    ("honors.awarded_on", "获得日期", "Awarded"),
    ("honors.awarded_hint", "如 2023-11-01；只知道月份时写 2023-11", "e.g. 2023-11-01, or 2023-11 when only the month is known"),
    ("honors.holder", "获得者", "Holder"),
    ("honors.holder_kind", "获得者类型", "Holder kind"),
    ("honors.holder_code", "获得者编码", "Holder code"),
    ("honors.holder_code_hint", "品牌编码、组织编码或人员身份证号；组织留空即登记组织本身", "Brand code, unit code or ID number; empty for the unit itself"),
    ("honors.holder_name", "团队或人员名称", "Team or person name"),
    ("honors.holder_name_hint", "团队名称；未填身份证号时填本组织人员姓名", "The team's name; a person's name when no ID number is given"),
    ("honors.unit", "登记组织", "Filed under"),
    ("honors.brand", "关联品牌", "Won with brand"),
    ("honors.no_brand", "（不关联）", "(none)"),
    ("honors.evidence", "证书或佐证", "Certificate"),
    ("honors.note", "备注", "Note"),
    ("honors.delete", "删除", "Delete"),
    ("honors.delete_confirm", "确定删除这项荣誉？", "Delete this honor?"),
    ("standards.title", "品牌标准", "Brand standards"),
    ("standards.sub", "上级组织发布的品牌标准适用于其下级组织的品牌；“成熟”品牌须全部达标", "A standard issued by a unit applies to the brands of the units below it; a mature brand must meet it"),
    ("standards.applying", "本组织下级品牌适用的标准", "The standard for brands below this unit"),
    ("standards.issued", "已发布的标准", "Standards issued"),
    ("standards.none", "尚未发布", "None issued"),
    ("standards.issue", "发布本组织的品牌标准", "Issue this unit's standard"),
    ("standards.revise", "修订本组织的品牌标准", "Revise this unit's standard"),
    ("standards.name", "标准名称", "Name"),
    ("standards.items", "标准条目", "Items"),
    ("standards.item_title", "条目", "Item"),
    ("standards.item_description", "达标说明", "What meets it"),
    ("standards.items_hint", "留空的行会被忽略；删除条目会同时删除其佐证和确认。", "Empty rows are ignored; removing an item removes its evidence and confirmations."),
    ("standards.save", "发布", "Issue"),
    ("standards.issued_on", "发布日期", "Issued"),
    ("standards.msg.saved", "品牌标准已发布", "Standard issued"),
];

/// `?unit=ID` for the tabs, or nothing.
pub fn unit_query(unit: impl std::fmt::Display) -> String {
    match unit.to_string().as_str() {
        "0" => String::new(),
        id => format!("?unit={id}"),
    }
}
