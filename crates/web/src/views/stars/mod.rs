//! Views of the star-rated evaluation pages (templates under
//! `templates/stars/`): the distribution of a scope, branches by star,
//! schemes and their editor, campaigns, a branch's evaluation, the
//! reviewer's queue. Handlers fill them with decided data; the charts'
//! ECharts options are built here.

mod text;

pub use text::TEXT;

use std::borrow::Borrow;

use askama::Template;
use qizhi_core::figures::{Figures, Value};
use qizhi_core::stars::{MAX_STARS, star_en, star_glyphs, star_zh};
use serde_json::json;

use super::{Chrome, Layout, Pager, UnitRef, encode, format_value, pager};
use crate::i18n::Lang;

layout_with_chrome!(StarsOverviewPage, StarBranchesPage, SchemesPage, SchemePage, CampaignPage, EntryPage, QueuePage);

/// `★★★★☆☆` with the label in the page's language, for templates.
pub fn stars_label(lang: Lang, n: impl Borrow<u8>) -> String {
    let n = *n.borrow();
    match lang {
        Lang::Zh => star_zh(n).to_string(),
        Lang::En => star_en(n),
    }
}

pub fn glyphs(n: impl Borrow<u8>) -> String {
    star_glyphs(*n.borrow())
}

/// One year of a scope's distribution: exact counts 0..6, cumulative 1..6.
#[derive(Debug, Clone, PartialEq)]
pub struct YearRow {
    pub year: i32,
    pub evaluated: i64,
    /// Index n: branches with exactly n stars.
    pub exact: [i64; 7],
    /// Index n (1..6): branches with n stars or more; index 0 unused.
    pub at_least: [i64; 7],
    /// Index n (1..6): the share, formatted ("73.2%").
    pub rates: [String; 7],
}

impl YearRow {
    /// Branches with exactly `n` stars.
    pub fn exact_of(&self, n: impl Borrow<u8>) -> i64 {
        self.exact[*n.borrow() as usize]
    }

    /// Branches with `n` stars or more.
    pub fn at_least_of(&self, n: impl Borrow<u8>) -> i64 {
        self.at_least[*n.borrow() as usize]
    }

    /// The share with `n` stars or more, formatted.
    pub fn rate_of(&self, n: impl Borrow<u8>) -> &str {
        &self.rates[*n.borrow() as usize]
    }

    pub fn from_figures(year: i32, f: &Figures) -> YearRow {
        let count = |k: String| f.get(k.as_str()).and_then(|v| v.count()).unwrap_or(0);
        let mut exact = [0; 7];
        let mut at_least = [0; 7];
        let mut rates: [String; 7] = Default::default();
        for n in 0..=MAX_STARS as usize {
            exact[n] = count(format!("stars.exact.{n}"));
            if n > 0 {
                at_least[n] = count(format!("stars.at_least.{n}"));
                let r = f.get(format!("stars.at_least_rate.{n}").as_str()).copied().unwrap_or(Value::Rate(0.0));
                rates[n] = format_value(r);
            }
        }
        YearRow { year, evaluated: count("stars.evaluated".into()), exact, at_least, rates }
    }
}

/// A unit below, with its subtree's distribution over the span.
#[derive(Debug, Clone)]
pub struct ChildRow {
    pub unit: UnitRef,
    pub row: YearRow,
}

/// The star counts 0..6 as the table's columns (6 first).
pub const STAR_COLUMNS: [u8; 7] = [6, 5, 4, 3, 2, 1, 0];
/// The "n or more" columns (6 first).
pub const AT_LEAST_COLUMNS: [u8; 6] = [6, 5, 4, 3, 2, 1];
/// The shares shown as tiles.
pub const RATE_TILES: [u8; 4] = [3, 4, 5, 6];

/// A campaign as lists show it.
#[derive(Debug, Clone)]
pub struct CampaignRow {
    pub id: i64,
    pub name: String,
    pub unit_name: String,
    pub year: i32,
    pub stage_code: &'static str,
    pub stage_zh: &'static str,
    pub stage_en: &'static str,
}

/// Star colours from no star (grey) to six (party red).
const STAR_COLORS: [&str; 7] = ["#c9cdd4", "#9aa3ae", "#5b6b82", "#2a5caa", "#3f8f6b", "#d98b2b", "#c8161d"];

/// ECharts option: exact counts per star, one bar series per year.
pub fn exact_chart_json(lang: Lang, years: &[YearRow]) -> String {
    let cats: Vec<String> = (0..=MAX_STARS).rev().map(|n| stars_label(lang, n)).collect();
    let palette = ["#c8161d", "#5b6b82", "#d98b2b", "#3f8f6b", "#8a6bb8", "#2a5caa"];
    let series: Vec<serde_json::Value> = years
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let data: Vec<i64> = (0..=MAX_STARS as usize).rev().map(|n| y.exact[n]).collect();
            json!({ "name": y.year.to_string(), "type": "bar", "data": data, "barMaxWidth": 18,
                    "itemStyle": { "color": palette[i % palette.len()] } })
        })
        .collect();
    json!({
        "tooltip": { "trigger": "axis", "axisPointer": { "type": "shadow" } },
        "legend": { "top": 0 },
        "grid": { "left": 8, "right": 16, "top": 40, "bottom": 4, "containLabel": true },
        "xAxis": { "type": "category", "data": cats, "axisTick": { "show": false } },
        "yAxis": { "type": "value", "minInterval": 1, "splitLine": { "lineStyle": { "color": "#eef0f3" } } },
        "series": series
    })
    .to_string()
}

/// ECharts option: the share with n stars or more, one line per year.
pub fn cumulative_chart_json(lang: Lang, years: &[YearRow]) -> String {
    let cats: Vec<String> = AT_LEAST_COLUMNS
        .iter()
        .rev()
        .map(|&n| match lang {
            Lang::Zh => format!("{}及以上", star_zh(n)),
            Lang::En => format!("{n}★+"),
        })
        .collect();
    let palette = ["#c8161d", "#5b6b82", "#d98b2b", "#3f8f6b", "#8a6bb8", "#2a5caa"];
    let series: Vec<serde_json::Value> = years
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let data: Vec<f64> = AT_LEAST_COLUMNS
                .iter()
                .rev()
                .map(|&n| {
                    if y.evaluated == 0 {
                        0.0
                    } else {
                        (y.at_least[n as usize] as f64 * 1000.0 / y.evaluated as f64).round() / 10.0
                    }
                })
                .collect();
            json!({ "name": y.year.to_string(), "type": "line", "data": data, "symbolSize": 7,
                    "itemStyle": { "color": palette[i % palette.len()] } })
        })
        .collect();
    json!({
        "tooltip": { "trigger": "axis" },
        "legend": { "top": 0 },
        "grid": { "left": 8, "right": 16, "top": 40, "bottom": 4, "containLabel": true },
        "xAxis": { "type": "category", "data": cats, "boundaryGap": false },
        "yAxis": { "type": "value", "min": 0, "max": 100, "axisLabel": { "formatter": "{value}%" },
                   "splitLine": { "lineStyle": { "color": "#eef0f3" } } },
        "series": series
    })
    .to_string()
}

/// ECharts option: units below as stacked horizontal bars of their stars.
pub fn children_stars_chart_json(lang: Lang, children: &[ChildRow]) -> String {
    let names: Vec<&str> = children.iter().map(|c| c.unit.name.as_str()).collect();
    let series: Vec<serde_json::Value> = STAR_COLUMNS
        .iter()
        .map(|&n| {
            let data: Vec<i64> = children.iter().map(|c| c.row.exact[n as usize]).collect();
            json!({ "name": stars_label(lang, n), "type": "bar", "stack": "stars", "data": data,
                    "barMaxWidth": 14, "itemStyle": { "color": STAR_COLORS[n as usize] } })
        })
        .collect();
    json!({
        "tooltip": { "trigger": "axis", "axisPointer": { "type": "shadow" } },
        "legend": { "top": 0 },
        "grid": { "left": 8, "right": 24, "top": 44, "bottom": 4, "containLabel": true },
        "xAxis": { "type": "value", "minInterval": 1, "splitLine": { "lineStyle": { "color": "#eef0f3" } } },
        "yAxis": { "type": "category", "inverse": true, "data": names, "axisTick": { "show": false },
                   "axisLabel": { "width": 132, "overflow": "truncate" } },
        "series": series
    })
    .to_string()
}

// ---------------------------------------------------------------------------
// Pages

/// `GET /stars?unit=&from=&to=`: a scope's distribution, year over year.
#[derive(Template)]
#[template(path = "stars/overview.html")]
pub struct StarsOverviewPage {
    pub chrome: Chrome,
    pub period: crate::kit::period::PeriodView,
    /// The year of the earlier campaign shown when none was awarded in the period.
    pub earlier: Option<i32>,
    pub unit: UnitRef,
    pub breadcrumb: Vec<UnitRef>,
    pub from: i32,
    pub to: i32,
    /// One per year of the span, oldest first.
    pub years: Vec<YearRow>,
    /// The span as a whole (each branch's latest award in it).
    pub span: YearRow,
    pub children: Vec<ChildRow>,
    pub campaigns: Vec<CampaignRow>,
    /// Entries waiting for the caller's review; `None` for non-reviewers.
    pub queue: Option<usize>,
    /// Whether the caller may issue schemes for this unit.
    pub can_issue: bool,
}

impl StarsOverviewPage {
    pub fn exact_chart(&self) -> String {
        exact_chart_json(self.chrome.lang, &self.years)
    }
    pub fn cumulative_chart(&self) -> String {
        cumulative_chart_json(self.chrome.lang, &self.years)
    }
    pub fn children_chart(&self) -> String {
        children_stars_chart_json(self.chrome.lang, &self.children)
    }
    pub fn children_height(&self) -> usize {
        super::chart_height(self.children.len())
    }
    /// The drill-down list: branches with exactly `n` stars (or `n` or more).
    pub fn branches_href(
        &self,
        unit: impl Borrow<i64>,
        from: impl Borrow<i32>,
        to: impl Borrow<i32>,
        n: impl Borrow<u8>,
        at_least: bool,
    ) -> String {
        let (unit, from, to, n) = (unit.borrow(), from.borrow(), to.borrow(), n.borrow());
        let mut h = format!("/stars/branches?unit={unit}&from={from}&to={to}&star={n}");
        if at_least {
            h.push_str("&at_least=1");
        }
        h
    }
    pub fn star_label(&self, n: impl Borrow<u8>) -> String {
        stars_label(self.chrome.lang, n)
    }
}

/// A branch in the drill-down list.
#[derive(Debug, Clone)]
pub struct RankedRow {
    pub entry_id: i64,
    pub unit_name: String,
    pub unit_code: String,
    pub parent_name: String,
    pub campaign_name: String,
    pub year: i32,
    pub star: u8,
    pub withdrawn: bool,
}

/// `GET /stars/branches?unit=&from=&to=&star=&at_least=&page=`.
#[derive(Template)]
#[template(path = "stars/branches.html")]
pub struct StarBranchesPage {
    pub chrome: Chrome,
    pub period: crate::kit::period::PeriodView,
    /// The year of the earlier campaign shown when none was awarded in the period.
    pub earlier: Option<i32>,
    pub unit: UnitRef,
    pub from: i32,
    pub to: i32,
    pub star: Option<u8>,
    pub at_least: bool,
    pub rows: Vec<RankedRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

impl StarBranchesPage {
    pub fn href(&self, star: Option<u8>, at_least: bool, page: i64) -> String {
        let mut h = format!("/stars/branches?unit={}&from={}&to={}", self.unit.id, self.from, self.to);
        if let Some(n) = star {
            h.push_str(&format!("&star={n}"));
        }
        if at_least {
            h.push_str("&at_least=1");
        }
        if page > 1 {
            h.push_str(&format!("&page={page}"));
        }
        h
    }
    pub fn pager(&self) -> Pager {
        pager(self.page, self.pages, |p| self.href(self.star, self.at_least, p))
    }
    pub fn page_status(&self) -> String {
        self.chrome
            .lang
            .t("pager.status")
            .replace("{n}", &self.page.to_string())
            .replace("{m}", &self.pages.to_string())
    }
    pub fn star_label(&self, n: impl Borrow<u8>) -> String {
        stars_label(self.chrome.lang, n)
    }
    /// "四星及以上" / "4★ or more", or the exact label, or "all".
    pub fn filter_label(&self) -> String {
        let lang = self.chrome.lang;
        match (self.star, self.at_least) {
            (None, _) => lang.t("stars.all_rated").to_string(),
            (Some(n), true) => match lang {
                Lang::Zh => format!("{}及以上", star_zh(n)),
                Lang::En => format!("{n} stars or more"),
            },
            (Some(n), false) => stars_label(lang, n),
        }
    }
    pub fn is_filter(&self, n: impl Borrow<u8>, at_least: bool) -> bool {
        self.star == Some(*n.borrow()) && self.at_least == at_least
    }
    pub fn href_exact(&self, n: impl Borrow<u8>) -> String {
        self.href(Some(*n.borrow()), false, 1)
    }
    pub fn href_at_least(&self, n: impl Borrow<u8>) -> String {
        self.href(Some(*n.borrow()), true, 1)
    }
}

/// A scheme in a list.
#[derive(Debug, Clone)]
pub struct SchemeRow {
    pub id: i64,
    pub name: String,
    pub year: i32,
    pub unit_name: String,
    pub in_use: bool,
    pub dimensions: usize,
    pub indicators: usize,
}

/// `GET /stars/schemes`.
#[derive(Template)]
#[template(path = "stars/schemes.html")]
pub struct SchemesPage {
    pub chrome: Chrome,
    pub rows: Vec<SchemeRow>,
    /// Units the caller may issue schemes for (their editable roots).
    pub issuers: Vec<UnitRef>,
}

/// A dimension row of the editor.
#[derive(Debug, Clone, Default)]
pub struct DimRow {
    pub code: String,
    pub name: String,
    pub standard: String,
    pub excellent: String,
    pub benchmark: String,
    /// The dimension's max (read-only view).
    pub max: String,
}

/// An indicator row of the editor.
#[derive(Debug, Clone, Default)]
pub struct IndRow {
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

/// A rule row: stars and one requirement text per dimension (editor order).
#[derive(Debug, Clone, Default)]
pub struct RuleRow {
    pub stars: String,
    pub cells: Vec<String>,
}

impl RuleRow {
    /// The requirement for the dimension at `i` ("" when none).
    pub fn cell(&self, i: impl Borrow<usize>) -> &str {
        self.cells.get(*i.borrow()).map(String::as_str).unwrap_or("")
    }
}

#[derive(Debug, Clone, Default)]
pub struct VetoRow {
    pub code: String,
    pub name: String,
    pub cap: String,
}

#[derive(Debug, Clone, Default)]
pub struct QuotaRow {
    pub stars: String,
    pub max_percent: String,
}

/// `GET /stars/schemes/{id}` and `/stars/schemes/new`: a scheme, as tables
/// or (when editable) as the editor's form.
#[derive(Template)]
#[template(path = "stars/scheme.html")]
pub struct SchemePage {
    pub chrome: Chrome,
    /// `None` for a new scheme.
    pub id: Option<i64>,
    pub issuer: UnitRef,
    pub name: String,
    pub year: String,
    pub editable: bool,
    pub in_use: bool,
    pub copied_from: Option<(i64, String)>,
    pub dims: Vec<DimRow>,
    pub inds: Vec<IndRow>,
    pub rules: Vec<RuleRow>,
    pub vetoes: Vec<VetoRow>,
    pub quotas: Vec<QuotaRow>,
    /// Figure keys an indicator may be auto-scored from.
    pub figure_keys: Vec<&'static str>,
    pub campaigns: Vec<CampaignRow>,
    /// Whether the caller may copy it and start campaigns (admin of the issuer).
    pub can_manage: bool,
    /// Units a campaign may run over: the issuer and the units below it the caller administers.
    pub campaign_units: Vec<UnitRef>,
    pub errors: Vec<String>,
}

impl SchemePage {
    pub fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/stars/schemes/{id}"),
            None => "/stars/schemes".to_string(),
        }
    }
    pub fn next_year(&self) -> i32 {
        self.year.parse::<i32>().map(|y| y + 1).unwrap_or(2025)
    }
    pub fn level_options(&self) -> [&'static str; 3] {
        ["达标", "优秀", "标杆"]
    }
}

/// One stage on a campaign's timeline.
#[derive(Debug, Clone)]
pub struct StageRow {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub from: String,
    pub to: String,
    pub current: bool,
    pub done: bool,
    pub overdue: bool,
}

/// An entry in a campaign's table or the queue.
#[derive(Debug, Clone)]
pub struct EntryRow {
    pub id: i64,
    pub unit_name: String,
    pub unit_code: String,
    pub parent_name: String,
    pub status_code: &'static str,
    pub status_zh: &'static str,
    pub status_en: &'static str,
    pub target: Option<u8>,
    pub self_scored: i64,
    pub star: u8,
    pub awarded: bool,
    pub withdrawn: bool,
    /// The campaign (queue rows).
    pub campaign_name: String,
    /// The level waiting (queue rows).
    pub level: u8,
}

/// `GET /stars/campaigns/{id}`.
#[derive(Template)]
#[template(path = "stars/campaign.html")]
pub struct CampaignPage {
    pub chrome: Chrome,
    /// Filters that could not be read (left out of the list).
    pub filter_problems: Vec<String>,
    /// The caller's branch entry waiting for them, and the text key of what to do.
    pub next_step: Option<(i64, &'static str)>,
    pub id: i64,
    pub name: String,
    pub unit: UnitRef,
    /// Whether the caller may open the overview of the campaign's unit (the breadcrumb links there).
    pub unit_readable: bool,
    pub year: i32,
    pub scheme_id: i64,
    pub scheme_name: String,
    pub review_levels: u8,
    pub stage_code: &'static str,
    pub stage_zh: &'static str,
    pub stage_en: &'static str,
    pub awarded: bool,
    pub stages: Vec<StageRow>,
    pub indicators: usize,
    /// (status code, zh, en, count)
    pub by_status: Vec<(&'static str, &'static str, &'static str, i64)>,
    pub entries_total: i64,
    pub by_star: [i64; 7],
    pub awarded_count: i64,
    pub withdrawn_count: i64,
    pub open_objections: i64,
    /// Reminders: what the visible branches still lack at this stage.
    pub missing: Vec<String>,
    /// Quota lines, in the page's language, and whether any is exceeded.
    pub quotas: Vec<(String, bool)>,
    pub rows: Vec<EntryRow>,
    pub page: i64,
    pub pages: i64,
    pub filtered: i64,
    pub q: String,
    pub status: String,
    /// A star filter ("" for none).
    pub star: String,
    pub can_manage: bool,
    pub next_stage: Option<(&'static str, &'static str, &'static str)>,
    pub previous_stage: Option<(&'static str, &'static str, &'static str)>,
    /// Whether the caller reviews some of its branches.
    pub reviews: bool,
    /// Whether the caller may import scores (self or review).
    pub can_import: bool,
    pub errors: Vec<String>,
    /// The stage dates as form values: (code, zh, en, from, to).
    pub date_rows: Vec<(&'static str, &'static str, &'static str, String, String)>,
}

impl CampaignPage {
    pub fn href(&self, page: i64) -> String {
        let mut h = format!("/stars/campaigns/{}?", self.id);
        if !self.q.is_empty() {
            h.push_str(&format!("q={}&", encode(&self.q)));
        }
        if !self.status.is_empty() {
            h.push_str(&format!("status={}&", encode(&self.status)));
        }
        if !self.star.is_empty() {
            h.push_str(&format!("star={}&", encode(&self.star)));
        }
        h.push_str(&format!("page={page}"));
        h
    }
    pub fn pager(&self) -> Pager {
        pager(self.page, self.pages, |p| self.href(p))
    }
    pub fn is_status(&self, code: &str) -> bool {
        self.status == code
    }
    pub fn star_count(&self, n: impl Borrow<u8>) -> i64 {
        self.by_star[*n.borrow() as usize]
    }
    pub fn star_label(&self, n: impl Borrow<u8>) -> String {
        stars_label(self.chrome.lang, n)
    }
}

/// An indicator on a branch's page with its scores at each stage.
#[derive(Debug, Clone)]
pub struct IndicatorView {
    pub code: String,
    pub name: String,
    pub max: String,
    pub weight: String,
    pub guide: String,
    pub evidence: String,
    pub auto: bool,
    pub self_score: String,
    pub self_note: String,
    /// (file id, name)
    pub files: Vec<(i64, String)>,
    pub review1: String,
    pub review1_note: String,
    pub review2: String,
    pub review2_note: String,
    /// The value the review form starts from: this level's score, else the level below's.
    pub review_default: String,
}

/// A dimension on a branch's page.
#[derive(Debug, Clone)]
pub struct DimensionView {
    pub name: String,
    pub score: String,
    pub max: String,
    pub level_code: &'static str,
    pub level_zh: &'static str,
    pub level_en: &'static str,
    pub indicators: Vec<IndicatorView>,
}

#[derive(Debug, Clone)]
pub struct VetoView {
    pub code: String,
    pub name: String,
    pub cap: u8,
    pub found: bool,
}

#[derive(Debug, Clone)]
pub struct ObjectionView {
    pub id: i64,
    pub raised_on: String,
    pub source: String,
    pub content: String,
    pub answer: String,
    pub answered_by: String,
}

/// A change in the entry's audit trail.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub at: String,
    pub who: String,
    pub summary: String,
}

/// `GET /stars/entries/{id}`: a branch's evaluation.
#[derive(Template)]
#[template(path = "stars/entry.html")]
pub struct EntryPage {
    pub chrome: Chrome,
    pub id: i64,
    pub unit: UnitRef,
    pub parent_name: String,
    pub campaign_id: i64,
    pub campaign_name: String,
    pub year: i32,
    pub stage_code: &'static str,
    pub stage_zh: &'static str,
    pub stage_en: &'static str,
    pub status_code: &'static str,
    pub status_zh: &'static str,
    pub status_en: &'static str,
    pub review_levels: u8,
    pub target: Option<u8>,
    pub plan: String,
    pub star: u8,
    pub awarded: bool,
    /// (date, reason)
    pub withdrawn: Option<(String, String)>,
    pub explanation: Vec<String>,
    pub dimensions: Vec<DimensionView>,
    pub vetoes: Vec<VetoView>,
    pub review1_comment: String,
    pub review2_comment: String,
    pub missing: Vec<String>,
    pub objections: Vec<ObjectionView>,
    pub history: Vec<HistoryRow>,
    pub can_declare: bool,
    pub can_self: bool,
    /// The level the caller may review (or correct) at now.
    pub review_level: Option<u8>,
    /// Whether the review form is a correction (after the review stage).
    pub correcting: bool,
    pub can_return: bool,
    pub can_object: bool,
    pub can_answer: bool,
    pub can_withdraw: bool,
    pub errors: Vec<String>,
}

impl EntryPage {
    pub fn star_label(&self, n: impl Borrow<u8>) -> String {
        stars_label(self.chrome.lang, n)
    }
    pub fn star_choices(&self) -> [u8; 6] {
        [6, 5, 4, 3, 2, 1]
    }
    pub fn is_target(&self, n: impl Borrow<u8>) -> bool {
        self.target == Some(*n.borrow())
    }
}

/// `GET /stars/queue?campaign=`.
#[derive(Template)]
#[template(path = "stars/queue.html")]
pub struct QueuePage {
    pub chrome: Chrome,
    pub campaign: Option<(i64, String)>,
    pub level1: Vec<EntryRow>,
    pub level2: Vec<EntryRow>,
    pub errors: Vec<String>,
}

impl QueuePage {
    pub fn levels(&self) -> Vec<(u8, &Vec<EntryRow>)> {
        vec![(1, &self.level1), (2, &self.level2)]
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use askama::Template;
    use qizhi_core::org::UnitKind;

    use super::*;
    use crate::views::tests::{chrome, period};

    fn unit(id: i64, code: &str, name: &str, kind: UnitKind) -> UnitRef {
        UnitRef::new(id, code, name, kind)
    }

    const EVIL: &str = "<script>alert(1)</script>鼓楼支部";

    fn year(y: i32, exact: [i64; 7]) -> YearRow {
        let evaluated: i64 = exact.iter().sum();
        let mut at_least = [0; 7];
        let mut rates: [String; 7] = Default::default();
        for n in 1..7 {
            at_least[n] = exact[n..].iter().sum();
            rates[n] =
                format_value(Value::Rate(if evaluated == 0 { 0.0 } else { at_least[n] as f64 / evaluated as f64 }));
        }
        YearRow { year: y, evaluated, exact, at_least, rates }
    }

    pub(crate) fn overview(lang: Lang) -> StarsOverviewPage {
        StarsOverviewPage {
            chrome: chrome(lang, "stars"),
            period: period(lang, "/stars?unit=14", 2022, 2023),
            earlier: None,
            unit: unit(14, "FJ", "福建省分公司党委", UnitKind::Committee),
            breadcrumb: vec![unit(1, "CU", "集团党组", UnitKind::Leadership)],
            from: 2022,
            to: 2023,
            years: vec![year(2022, [0, 0, 3, 58, 98, 17, 1]), year(2023, [0, 0, 0, 48, 103, 26, 2])],
            span: year(2023, [0, 0, 0, 48, 103, 26, 2]),
            children: vec![ChildRow {
                unit: unit(120, "FJ01", EVIL, UnitKind::Committee),
                row: year(2023, [0, 0, 0, 6, 12, 3, 1]),
            }],
            campaigns: vec![CampaignRow {
                id: 7,
                name: "福建联通 2023 年度“六星”党支部创建评选".into(),
                unit_name: "福建省分公司党委".into(),
                year: 2023,
                stage_code: "apply",
                stage_zh: "结果应用",
                stage_en: "Apply",
            }],
            queue: Some(12),
            can_issue: true,
        }
    }

    /// The JSON an ECharts div carries, after HTML attribute unescaping.
    fn chart_options(html: &str) -> Vec<serde_json::Value> {
        html.split("data-chart=\"")
            .skip(1)
            .map(|rest| {
                let raw = &rest[..rest.find('"').unwrap()];
                let json = raw
                    .replace("&#34;", "\"")
                    .replace("&#39;", "'")
                    .replace("&#60;", "<")
                    .replace("&#62;", ">")
                    .replace("&#38;", "&");
                serde_json::from_str(&json).expect("chart JSON")
            })
            .collect()
    }

    #[test]
    fn the_overview_shows_charts_and_tables_year_over_year() {
        for lang in [Lang::Zh, Lang::En] {
            let html = overview(lang).render().unwrap();
            assert!(!html.contains("<script>alert"), "escaped");
            assert!(html.contains(r#"<a href="/stars" class="active" aria-current="page">"#));
            let charts = chart_options(&html);
            assert_eq!(charts.len(), 3, "exact, cumulative and units below");
            assert_eq!(charts[0]["series"][1]["data"][0], 2, "2023's six-star count first");
            assert_eq!(charts[1]["series"][1]["data"][2], 100.0, "3★ or more in 2023: 100 %");
            assert_eq!(charts[1]["series"][1]["data"][3], 73.2);
            assert!(html.contains(">73.2%<") && html.contains(">103<"));
            assert!(html.contains("/stars/branches?unit=14&#38;from=2023&#38;to=2023&#38;star=4&#38;at_least=1"));
            assert!(html.contains("/stars/campaigns/7") && html.contains("/stars/queue"));
            assert!(html.contains(&lang.tn("stars.at_least_n", 4)));
        }
    }

    #[test]
    fn every_stars_page_renders_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let branches = StarBranchesPage {
                chrome: chrome(lang, "stars"),
                period: period(lang, "/stars/branches?unit=14", 2023, 2023),
                earlier: Some(2022),
                unit: unit(14, "FJ", "福建", UnitKind::Committee),
                from: 2023,
                to: 2023,
                star: Some(4),
                at_least: true,
                rows: vec![RankedRow {
                    entry_id: 3,
                    unit_name: EVIL.into(),
                    unit_code: "FJ01-001".into(),
                    parent_name: "福州".into(),
                    campaign_name: "2023".into(),
                    year: 2023,
                    star: 5,
                    withdrawn: false,
                }],
                total: 131,
                page: 1,
                pages: 3,
            };
            let html = branches.render().unwrap();
            assert!(!html.contains("<script>alert") && html.contains("/stars/entries/3"));
            assert!(html.contains("★★★★★☆"));

            let queue = QueuePage {
                chrome: chrome(lang, "stars"),
                campaign: Some((9, "贵州".into())),
                level1: vec![EntryRow {
                    id: 4,
                    unit_name: EVIL.into(),
                    unit_code: "GZ01-001".into(),
                    parent_name: "贵阳".into(),
                    status_code: "submitted",
                    status_zh: "已提交自评",
                    status_en: "Self-assessed",
                    target: Some(4),
                    self_scored: 12,
                    star: 4,
                    awarded: false,
                    withdrawn: false,
                    campaign_name: "贵州 2024".into(),
                    level: 1,
                }],
                level2: vec![],
                errors: vec!["第一个错误".into()],
            };
            let html = queue.render().unwrap();
            assert!(html.contains(r#"name="ids" value="4""#) && html.contains(r#"name="csrf" value="tok-123""#));
            assert!(!html.contains("<script>alert"));
        }
    }
}
