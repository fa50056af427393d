//! The views of fortresses, tasks and their ledgers, teams and member
//! commitments (templates under `templates/tasks/`), the charts they draw,
//! and this capability's UI text ([`TEXT`], one of `i18n::TABLES`).

use askama::Template;
use qizhi_core::commitments::{Category as CommitmentCategory, Status as CommitmentStatus};
use qizhi_core::figures::{FIGURES, Figures};
use qizhi_core::tasks::{Priority, TaskKind, TaskStatus};
use qizhi_core::teams::TeamKind;
use serde_json::json;

use super::{Chrome, FigureTile, Layout, Pager, UnitRef, encode, pager};
use crate::i18n::Lang;

/// Navigation icons of this capability (SVG path data, 24×24, stroked).
pub mod icon {
    /// 堡垒插旗: a tower with a pennant.
    pub const FORTRESS: &str = "M5 21V10h14v11M5 10V7h3v3m3 0V7h2v3m3 0V7h3v3M10 21v-4h4v4M12 7V2.5l4 1.5-4 1.5";
    /// 队伍: three people abreast.
    pub const TEAM: &str = "M12 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM5 11a2.5 2.5 0 1 0 0-5M19 11a2.5 2.5 0 1 0 0-5M6 20c0-3.3 2.7-6 6-6s6 2.7 6 6M1.5 18c0-2.5 1.5-4.5 3.5-5M22.5 18c0-2.5-1.5-4.5-3.5-5";
    /// 党员承诺: a hand raised over a line.
    pub const PLEDGE: &str = "M8 13V5.5a1.5 1.5 0 0 1 3 0V11m0-6a1.5 1.5 0 0 1 3 0v6m0-5a1.5 1.5 0 0 1 3 0v7c0 3.9-2.7 7-6.5 7S5 17.5 4 15l-1-2.5a1.5 1.5 0 0 1 2.6-1.4L8 13";
    /// 我的: a person with a check.
    pub const MINE: &str = "M10 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM3 21c0-4 3-7 7-7 1.4 0 2.7.4 3.8 1M15 19l2 2 4-4";
}

layout_with_chrome!(
    TaskListPage,
    TaskPage,
    TaskFormPage,
    FortressListPage,
    FortressPage,
    FortressFormPage,
    TeamListPage,
    TeamPage,
    TeamFormPage,
    CommitmentBoardPage,
    MyPage
);

/// The tiles of the figures whose keys start with one of `prefixes`, in the registry's order.
pub fn tiles_of(figures: &Figures, prefixes: &[&str]) -> Vec<FigureTile> {
    FIGURES
        .iter()
        .filter(|d| prefixes.iter().any(|p| d.key.starts_with(p)))
        .filter_map(|d| figures.get(d.key).map(|v| FigureTile::new(d, *v)))
        .collect()
}

/// One task kind's figures as one tile: how many, how many done, and their
/// mean progress.
#[derive(Debug, Clone)]
pub struct KindTile {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub count: FigureTile,
    pub done: FigureTile,
    pub progress: FigureTile,
}

/// The task figures of a page grouped: one tile per kind, and the figures
/// of no one kind (overdue, …) on their own.
pub fn task_tiles(figures: &Figures) -> (Vec<KindTile>, Vec<FigureTile>) {
    let tile = |key: String| -> Option<FigureTile> {
        let def = qizhi_core::figures::figure(&key)?;
        figures.get(def.key).map(|v| FigureTile::new(def, *v))
    };
    let kinds: Vec<KindTile> = TaskKind::ALL
        .iter()
        .filter_map(|k| {
            let of = |part: &str| tile(format!("tasks.{}.{part}", k.code()));
            Some(KindTile {
                code: k.code(),
                zh: k.zh(),
                en: k.en(),
                count: of("count")?,
                done: of("done")?,
                progress: of("avg_progress")?,
            })
        })
        .collect();
    let grouped = |key: &str| TaskKind::ALL.iter().any(|k| key.starts_with(&format!("tasks.{}.", k.code())));
    let others = tiles_of(figures, &["tasks."]).into_iter().filter(|t| !grouped(t.key)).collect();
    (kinds, others)
}

/// A choice of a `<select>`: its value and its labels.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub zh: String,
    pub en: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Choice {
        Choice { value: value.into(), zh: zh.into(), en: en.into() }
    }

    /// A record picked by id, labelled the same in both languages ("NM01-001-B1 城东网格党员堡垒").
    pub fn record(id: i64, code: &str, name: &str) -> Choice {
        let label = format!("{code} {name}");
        Choice { value: id.to_string(), zh: label.clone(), en: label }
    }
}

pub fn kind_choices() -> Vec<Choice> {
    TaskKind::ALL.iter().map(|k| Choice::new(k.code(), k.zh(), k.en())).collect()
}

pub fn status_choices() -> Vec<Choice> {
    TaskStatus::ALL.iter().map(|s| Choice::new(s.code(), s.zh(), s.en())).collect()
}

pub fn priority_choices() -> Vec<Choice> {
    Priority::ALL.iter().map(|p| Choice::new(p.code(), p.zh(), p.en())).collect()
}

pub fn team_kind_choices() -> Vec<Choice> {
    TeamKind::ALL.iter().map(|k| Choice::new(k.code(), k.zh(), k.en())).collect()
}

pub fn category_choices() -> Vec<Choice> {
    CommitmentCategory::ALL.iter().map(|c| Choice::new(c.code(), c.zh(), c.en())).collect()
}

pub fn commitment_status_choices() -> Vec<Choice> {
    CommitmentStatus::ALL.iter().map(|s| Choice::new(s.code(), s.zh(), s.en())).collect()
}

/// Where a list can go from its unit: the parent and the units below (those
/// the caller may read), and the other sections of this capability.
#[derive(Debug, Clone, Default)]
pub struct UnitNav {
    pub parent: Option<UnitRef>,
    pub children: Vec<UnitRef>,
    /// The list's own path (`/tasks`), for links to the same list of another unit.
    pub base: &'static str,
}

impl UnitNav {
    pub fn is_current(&self, href: &str) -> bool {
        self.base == href
    }

    /// (path, i18n key) of the sections, to link the same unit's other lists.
    pub fn sections(&self) -> [(&'static str, &'static str); 4] {
        [
            ("/tasks", "nav.tasks"),
            ("/fortresses", "nav.fortresses"),
            ("/teams", "nav.teams"),
            ("/commitments", "nav.commitments"),
        ]
    }
}

// ---------------------------------------------------------------------------
// Tasks

/// A task as a list row.
#[derive(Debug, Clone)]
pub struct TaskRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: TaskKind,
    pub status: TaskStatus,
    pub priority: Priority,
    pub unit_name: String,
    /// Names, the leading one first, joined by 、.
    pub responsible: String,
    /// ISO date or "".
    pub due: String,
    pub year: i32,
    pub progress: i32,
    pub overdue: bool,
    pub stalled: bool,
    /// (code, name)
    pub fortress: Option<(String, String)>,
    pub team: Option<(String, String)>,
    pub latest_note: String,
}

/// The filters of a task list, as typed (empty: not filtered).
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub q: String,
    pub kind: String,
    pub status: String,
    pub due_from: String,
    pub due_to: String,
    pub overdue: bool,
    pub stalled: bool,
    pub fortress: String,
    pub team: String,
}

impl TaskFilter {
    /// `&q=…&kind=…` for every filter set, to keep in links.
    pub fn query(&self) -> String {
        let mut out = String::new();
        for (k, v) in [
            ("q", &self.q),
            ("kind", &self.kind),
            ("status", &self.status),
            ("due_from", &self.due_from),
            ("due_to", &self.due_to),
            ("fortress", &self.fortress),
            ("team", &self.team),
        ] {
            if !v.is_empty() {
                out.push_str(&format!("&{k}={}", encode(v)));
            }
        }
        if self.overdue {
            out.push_str("&overdue=1");
        }
        if self.stalled {
            out.push_str("&stalled=1");
        }
        out
    }

    pub fn is_set(&self) -> bool {
        !self.query().is_empty()
    }
}

/// `GET /tasks`: the tasks of a unit's subtree with filters, charts, paging and bulk edit.
#[derive(Template)]
#[template(path = "tasks/list.html")]
pub struct TaskListPage {
    pub chrome: Chrome,
    pub unit: UnitRef,
    pub unit_nav: UnitNav,
    pub filter: TaskFilter,
    pub rows: Vec<TaskRow>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// Whether the caller may create and bulk-edit tasks here.
    pub can_edit: bool,
    pub kinds: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub fortresses: Vec<Choice>,
    pub teams: Vec<Choice>,
    /// The span the list, figures and charts are of.
    pub period: crate::kit::period::PeriodView,
    /// The figures of the tasks by kind, and the others.
    pub kind_tiles: Vec<KindTile>,
    pub tiles: Vec<FigureTile>,
    /// ECharts options; empty for none.
    pub kind_chart: String,
    pub overdue_chart: String,
    pub overdue_chart_height: usize,
    /// Filters that could not be read (left out of the list).
    pub filter_problems: Vec<String>,
}

impl TaskListPage {
    pub fn page_href(&self, page: i64) -> String {
        format!(
            "/tasks?unit={}{}&from={}&to={}&page={page}",
            self.unit.id,
            self.filter.query(),
            self.period.from,
            self.period.to
        )
    }

    pub fn pager(&self) -> Pager {
        pager(self.page, self.pages, |p| self.page_href(p))
    }

    pub fn page_status(&self) -> String {
        self.chrome
            .lang
            .t("pager.status")
            .replace("{n}", &self.page.to_string())
            .replace("{m}", &self.pages.to_string())
    }

    /// The list's own address, to come back to after a bulk edit.
    pub fn here(&self) -> String {
        format!("/tasks?unit={}{}&page={}", self.unit.id, self.filter.query(), self.page)
    }
}

/// A task in full, for its page.
#[derive(Debug, Clone)]
pub struct TaskDetail {
    pub row: TaskRow,
    pub unit: UnitRef,
    pub description: String,
    /// "120 个", or "".
    pub target: String,
    pub start: String,
    pub last_entry: String,
    pub fortress_id: Option<i64>,
    pub team_id: Option<i64>,
    pub brand_id: Option<i64>,
}

/// One progress entry of a ledger.
#[derive(Debug, Clone)]
pub struct EntryRow {
    pub id: i64,
    pub date: String,
    pub progress: i32,
    pub note: String,
    /// Who reported it (a person), else the account that posted it.
    pub by: String,
    /// (file id, name, is an image)
    pub files: Vec<(i64, String, bool)>,
}

/// What the entry form holds (kept when it is sent back with errors).
#[derive(Debug, Clone, Default)]
pub struct EntryForm {
    pub entry_on: String,
    pub progress: String,
    pub note: String,
}

/// `GET /tasks/{id}`: a task and its ledger, with the entry form for those who may post.
#[derive(Template)]
#[template(path = "tasks/task.html")]
pub struct TaskPage {
    pub chrome: Chrome,
    pub task: TaskDetail,
    pub entries: Vec<EntryRow>,
    /// A responsible person (or a unit admin) may post progress.
    pub can_post: bool,
    pub can_edit: bool,
    /// Whether the caller reads this as one of its responsible people (back link to "my tasks").
    pub mine: bool,
    pub today: String,
    pub form: EntryForm,
    pub errors: Vec<String>,
    /// The latest entry, when the caller posted it and so may correct it.
    pub correctable: Option<i64>,
}

/// What the task form holds.
#[derive(Debug, Clone, Default)]
pub struct TaskForm {
    pub code: String,
    pub kind: String,
    pub name: String,
    pub description: String,
    pub target: String,
    pub target_unit: String,
    pub year: String,
    pub start_on: String,
    pub due_on: String,
    pub status: String,
    pub priority: String,
    pub responsible: Vec<String>,
    pub fortress: String,
    pub team: String,
    pub brand: String,
}

/// `GET /tasks/new` and `GET /tasks/{id}/edit`.
#[derive(Template)]
#[template(path = "tasks/task_form.html")]
pub struct TaskFormPage {
    pub chrome: Chrome,
    pub unit: UnitRef,
    /// `/tasks` or `/tasks/{id}`.
    pub action: String,
    pub cancel: String,
    pub is_new: bool,
    pub form: TaskForm,
    pub errors: Vec<String>,
    pub kinds: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub people: Vec<Choice>,
    pub fortresses: Vec<Choice>,
    pub teams: Vec<Choice>,
}

impl TaskFormPage {
    pub fn picked(&self, value: &str) -> bool {
        self.form.responsible.iter().any(|v| v == value)
    }
}

// ---------------------------------------------------------------------------
// Fortresses

/// A fortress as a list row.
#[derive(Debug, Clone)]
pub struct FortressRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_name: String,
    /// The scenario or grid it stands on.
    pub ground: String,
    pub set_up_on: String,
    pub closed_on: String,
    pub leader: String,
    /// (name, date, leader)
    pub flag: Option<(String, String, String)>,
    pub tasks: i64,
    pub tasks_done: i64,
}

/// `GET /fortresses`.
#[derive(Template)]
#[template(path = "tasks/fortresses.html")]
pub struct FortressListPage {
    pub chrome: Chrome,
    pub unit: UnitRef,
    pub unit_nav: UnitNav,
    pub q: String,
    pub standing: bool,
    pub rows: Vec<FortressRow>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub can_edit: bool,
    /// The span the figures are of.
    pub period: crate::kit::period::PeriodView,
    pub tiles: Vec<FigureTile>,
}

impl FortressListPage {
    pub fn page_href(&self, page: i64) -> String {
        let mut href = format!("/fortresses?unit={}", self.unit.id);
        if !self.q.is_empty() {
            href.push_str(&format!("&q={}", encode(&self.q)));
        }
        if self.standing {
            href.push_str("&standing=1");
        }
        href.push_str(&format!("&page={page}"));
        href
    }

    pub fn pager(&self) -> Pager {
        pager(self.page, self.pages, |p| self.page_href(p))
    }
}

/// What the fortress form holds.
#[derive(Debug, Clone, Default)]
pub struct FortressForm {
    pub code: String,
    pub name: String,
    pub scenario: String,
    pub grid: String,
    pub set_up_on: String,
    pub closed_on: String,
    pub leader: String,
    pub description: String,
}

/// What the flag form holds.
#[derive(Debug, Clone, Default)]
pub struct FlagForm {
    pub name: String,
    pub planted_on: String,
    pub leader: String,
}

/// `GET /fortresses/{id}`: a fortress, its flag and tasks; forms for admins.
#[derive(Template)]
#[template(path = "tasks/fortress.html")]
pub struct FortressPage {
    pub chrome: Chrome,
    pub fortress: FortressRow,
    pub unit: UnitRef,
    pub description: String,
    pub tasks: Vec<TaskRow>,
    pub can_edit: bool,
    pub form: FortressForm,
    pub flag_form: FlagForm,
    pub scenarios: Vec<Choice>,
    pub grids: Vec<Choice>,
    pub people: Vec<Choice>,
    pub errors: Vec<String>,
}

/// `GET /fortresses/new`.
#[derive(Template)]
#[template(path = "tasks/fortress_form.html")]
pub struct FortressFormPage {
    pub chrome: Chrome,
    pub unit: UnitRef,
    pub form: FortressForm,
    pub scenarios: Vec<Choice>,
    pub grids: Vec<Choice>,
    pub people: Vec<Choice>,
    pub errors: Vec<String>,
}

// ---------------------------------------------------------------------------
// Teams

/// A team as a list row.
#[derive(Debug, Clone)]
pub struct TeamRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: TeamKind,
    pub unit_name: String,
    pub founded: String,
    pub disbanded: String,
    pub leader: String,
    pub party: i64,
    pub league: i64,
    pub other: i64,
    pub tasks: i64,
    pub tasks_done: i64,
}

/// `GET /teams`.
#[derive(Template)]
#[template(path = "tasks/teams.html")]
pub struct TeamListPage {
    pub chrome: Chrome,
    pub unit: UnitRef,
    pub unit_nav: UnitNav,
    pub q: String,
    pub kind: String,
    pub active: bool,
    pub kinds: Vec<Choice>,
    pub rows: Vec<TeamRow>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub can_edit: bool,
    /// The span the figures are of.
    pub period: crate::kit::period::PeriodView,
    pub tiles: Vec<FigureTile>,
    /// Filters that could not be read (left out of the list).
    pub filter_problems: Vec<String>,
}

impl TeamListPage {
    pub fn page_href(&self, page: i64) -> String {
        let mut href = format!("/teams?unit={}", self.unit.id);
        if !self.q.is_empty() {
            href.push_str(&format!("&q={}", encode(&self.q)));
        }
        if !self.kind.is_empty() {
            href.push_str(&format!("&kind={}", encode(&self.kind)));
        }
        if self.active {
            href.push_str("&active=1");
        }
        href.push_str(&format!("&page={page}"));
        href
    }

    pub fn pager(&self) -> Pager {
        pager(self.page, self.pages, |p| self.page_href(p))
    }
}

/// A member of a team.
#[derive(Debug, Clone)]
pub struct MemberRow {
    pub name: String,
    pub category_code: &'static str,
    pub category_zh: &'static str,
    pub category_en: &'static str,
    pub unit_name: String,
}

/// What the team form holds.
#[derive(Debug, Clone, Default)]
pub struct TeamForm {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub founded_on: String,
    pub disbanded_on: String,
    pub leader: String,
    pub description: String,
    pub members: Vec<String>,
}

/// `GET /teams/{id}`.
#[derive(Template)]
#[template(path = "tasks/team.html")]
pub struct TeamPage {
    pub chrome: Chrome,
    pub team: TeamRow,
    pub unit: UnitRef,
    pub description: String,
    pub members: Vec<MemberRow>,
    pub tasks: Vec<TaskRow>,
    pub can_edit: bool,
    pub form: TeamForm,
    pub kinds: Vec<Choice>,
    pub people: Vec<Choice>,
    pub errors: Vec<String>,
}

impl TeamPage {
    pub fn is_member(&self, value: &str) -> bool {
        self.form.members.iter().any(|m| m == value)
    }
}

/// `GET /teams/new`.
#[derive(Template)]
#[template(path = "tasks/team_form.html")]
pub struct TeamFormPage {
    pub chrome: Chrome,
    pub unit: UnitRef,
    pub form: TeamForm,
    pub kinds: Vec<Choice>,
    pub people: Vec<Choice>,
    pub errors: Vec<String>,
}

impl TeamFormPage {
    pub fn is_member(&self, value: &str) -> bool {
        self.form.members.iter().any(|m| m == value)
    }
}

// ---------------------------------------------------------------------------
// Commitments

/// A commitment as a row (the board, or a member's own list).
#[derive(Debug, Clone)]
pub struct CommitmentRow {
    pub id: i64,
    pub person_name: String,
    pub unit_name: String,
    pub year: i32,
    pub text: String,
    pub category: CommitmentCategory,
    pub due: String,
    pub status: CommitmentStatus,
    pub progress_note: String,
    /// (by, on, comment)
    pub verification: Option<(String, String, String)>,
    /// Whether this viewer may give the verdict (not on their own).
    pub can_verify: bool,
}

/// A party member without a commitment yet.
#[derive(Debug, Clone)]
pub struct MissingRow {
    pub name: String,
    pub unit_name: String,
    pub post: String,
}

/// `GET /commitments`: the branch's board — commitments to verify and who has none yet.
#[derive(Template)]
#[template(path = "tasks/commitments.html")]
pub struct CommitmentBoardPage {
    pub chrome: Chrome,
    /// Filters that could not be read (left out of the list).
    pub filter_problems: Vec<String>,
    pub unit: UnitRef,
    pub unit_nav: UnitNav,
    /// The year "who has none yet" is of: the period's last.
    pub year: i32,
    pub period: crate::kit::period::PeriodView,
    pub status: String,
    pub q: String,
    pub branch: String,
    pub statuses: Vec<Choice>,
    pub rows: Vec<CommitmentRow>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub missing: Vec<MissingRow>,
    pub missing_total: i64,
    pub missing_page: i64,
    pub missing_pages: i64,
    pub tiles: Vec<FigureTile>,
}

impl CommitmentBoardPage {
    fn base(&self) -> String {
        let mut href = format!("/commitments?unit={}&from={}&to={}", self.unit.id, self.period.from, self.period.to);
        for (k, v) in [("status", &self.status), ("q", &self.q), ("branch", &self.branch)] {
            if !v.is_empty() {
                href.push_str(&format!("&{k}={}", encode(v)));
            }
        }
        href
    }

    pub fn pager(&self) -> Pager {
        pager(self.page, self.pages, |p| format!("{}&page={p}&mpage={}", self.base(), self.missing_page))
    }

    pub fn missing_pager(&self) -> Pager {
        pager(self.missing_page, self.missing_pages, |p| {
            format!("{}&page={}&mpage={p}#missing", self.base(), self.page)
        })
    }

    /// Where a verdict form comes back to.
    pub fn here(&self) -> String {
        format!("{}&page={}&mpage={}", self.base(), self.page, self.missing_page)
    }

    /// Whether the caller may verify any commitment of the page (the bulk bar).
    pub fn any_verifiable(&self) -> bool {
        self.rows.iter().any(|r| r.can_verify)
    }
}

/// What the commitment form holds.
#[derive(Debug, Clone, Default)]
pub struct CommitmentForm {
    pub text: String,
    pub category: String,
    pub due_on: String,
    pub progress_note: String,
}

/// `GET /my`: a member's tasks and commitments, made for a phone.
#[derive(Template)]
#[template(path = "tasks/my.html")]
pub struct MyPage {
    pub chrome: Chrome,
    /// The caller's person record, if their account is linked to one.
    pub person_name: Option<String>,
    pub unit_name: String,
    pub year: i32,
    pub tasks: Vec<TaskRow>,
    pub commitments: Vec<CommitmentRow>,
    pub categories: Vec<Choice>,
    pub form: CommitmentForm,
    pub errors: Vec<String>,
    /// Whether the person is a party member (who makes commitments).
    pub is_member: bool,
}

// ---------------------------------------------------------------------------
// Charts

/// Average progress (bars) and tasks done of all (labels) by kind.
pub fn kind_chart_json(lang: Lang, figures: &Figures) -> String {
    let names: Vec<&str> = TaskKind::ALL.iter().map(|k| lang.label(k.zh(), k.en())).collect();
    let get = |k: &str| figures.get(k).map_or(0.0, |v| v.as_f64());
    let avg: Vec<f64> = TaskKind::ALL.iter().map(|k| (get(k.avg_key()) * 10.0).round() / 10.0).collect();
    let count: Vec<f64> = TaskKind::ALL.iter().map(|k| get(k.count_key())).collect();
    let done: Vec<f64> = TaskKind::ALL.iter().map(|k| get(k.done_key())).collect();
    if count.iter().all(|c| *c == 0.0) {
        return String::new();
    }
    let (a, c, d) = (lang.t("tasks.chart_avg"), lang.t("tasks.chart_count"), lang.t("tasks.chart_done"));
    json!({
        "tooltip": { "trigger": "axis", "axisPointer": { "type": "shadow" } },
        "legend": { "top": 0, "data": [a, c, d] },
        "grid": { "left": 8, "right": 16, "top": 40, "bottom": 4, "containLabel": true },
        "xAxis": { "type": "category", "data": names, "axisLabel": { "interval": 0, "hideOverlap": true } },
        "yAxis": [
            { "type": "value", "min": 0, "max": 100, "axisLabel": { "formatter": "{value}%" } },
            { "type": "value", "splitLine": { "show": false } }
        ],
        "series": [
            { "name": a, "type": "bar", "data": avg, "barMaxWidth": 28, "label": { "show": true, "position": "top", "formatter": "{c}%" } },
            { "name": c, "type": "line", "yAxisIndex": 1, "data": count },
            { "name": d, "type": "line", "yAxisIndex": 1, "data": done }
        ]
    })
    .to_string()
}

/// Overdue open tasks of each unit below (horizontal bars).
pub fn overdue_chart_json(lang: Lang, units: &[(String, i64)]) -> String {
    if units.iter().all(|(_, n)| *n == 0) {
        return String::new();
    }
    let names: Vec<&str> = units.iter().map(|(n, _)| n.as_str()).collect();
    let values: Vec<i64> = units.iter().map(|(_, v)| *v).collect();
    let label = lang.t("tasks.overdue");
    json!({
        "color": ["#c8161d"],
        "tooltip": { "trigger": "axis", "axisPointer": { "type": "shadow" } },
        "grid": { "left": 8, "right": 24, "top": 8, "bottom": 4, "containLabel": true },
        "xAxis": { "type": "value", "minInterval": 1 },
        "yAxis": { "type": "category", "inverse": true, "data": names, "axisLabel": { "width": 132, "overflow": "truncate" } },
        "series": [{ "name": label, "type": "bar", "data": values, "barMaxWidth": 12 }]
    })
    .to_string()
}

// ---------------------------------------------------------------------------
// UI text

/// (key, zh, en) of this capability's pages.
#[rustfmt::skip]
pub const TEXT: &[(&str, &str, &str)] = &[
    // navigation
    ("nav.tasks", "任务台账", "Tasks"),
    ("nav.fortresses", "堡垒插旗", "Fortresses"),
    ("nav.teams", "队伍", "Teams"),
    ("nav.commitments", "党员承诺", "Commitments"),
    ("nav.my", "我的任务", "My tasks"),
    // shared
    ("tasks.scope", "范围：", "Scope: "),
    ("tasks.scope_sub", "（含下级组织）", " (with the units below)"),
    ("flash.tasks.saved", "已保存。", "Saved."),
    ("tasks.form_errors", "请修改以下内容后重新提交：", "Please correct the following and submit again:"),
    ("tasks.save", "保存", "Save"),
    ("tasks.cancel", "取消", "Cancel"),
    ("tasks.all", "全部", "All"),
    ("tasks.none", "无", "None"),
    ("tasks.keep", "不变", "Keep as is"),
    ("tasks.year_figures", "{n} 年度指标", "Figures of {n}"),
    ("tasks.unit", "单位", "Unit"),
    ("tasks.up", "上级", "Up"),
    ("tasks.below", "下级", "Below"),
    ("tasks.sections", "本组织", "This unit"),
    ("tasks.total", "共 {n} 项", "{n} in all"),
    // task list
    ("tasks.title", "任务台账", "Task ledger"),
    ("tasks.correct", "更正这条进展", "Correct this entry"),
    ("tasks.quick_steps", "快速填写进度", "Quick progress"),
    ("tasks.quick_done", "完成 100%", "Done 100%"),
    ("tasks.correct_submit", "保存更正", "Save the correction"),
    ("tasks.correct_note", "只能更正本人登记的最近一条进展；证明材料保留不变，更正记入审计日志。", "Only your own latest entry can be corrected; its evidence stays, and the correction is in the audit trail."),
    ("tasks.corrected", "进展已更正。", "The entry is corrected."),
    ("tasks.tile_done", "已完成", "Done"),
    ("tasks.tile_progress", "平均进度", "Mean progress"),
    ("tasks.new", "新建任务", "New task"),
    ("tasks.export", "导出台账", "Export ledger"),
    ("tasks.search_placeholder", "按任务名称或编号搜索", "Search by task name or code"),
    ("tasks.kind", "任务类别", "Kind"),
    ("tasks.status", "状态", "Status"),
    ("tasks.priority", "优先级", "Priority"),
    ("tasks.year", "年度", "Year"),
    ("tasks.due_from", "完成时限从", "Due from"),
    ("tasks.due_to", "至", "to"),
    ("tasks.only_overdue", "只看逾期", "Overdue only"),
    ("tasks.only_stalled", "只看停滞", "Stalled only"),
    ("tasks.fortress", "所属堡垒", "Fortress"),
    ("tasks.team", "承担队伍", "Team"),
    ("tasks.filter", "筛选", "Filter"),
    ("tasks.code", "任务编号", "Code"),
    ("tasks.name", "任务名称", "Task"),
    ("tasks.responsible", "责任人", "Responsible"),
    ("tasks.due", "完成时限", "Due"),
    ("tasks.progress", "完成进度", "Progress"),
    ("tasks.latest", "最新进展", "Latest progress"),
    ("tasks.overdue", "逾期", "Overdue"),
    ("tasks.stalled", "停滞", "Stalled"),
    ("tasks.empty", "没有符合条件的任务", "No tasks found"),
    ("tasks.empty_hint", "请调整筛选条件后重试。", "Try other filters."),
    ("tasks.chart_kind", "各类任务完成情况", "Progress by kind"),
    ("tasks.chart_overdue", "下级组织逾期任务", "Overdue tasks by unit"),
    ("tasks.chart_avg", "平均完成进度", "Average progress"),
    ("tasks.chart_count", "任务数", "Tasks"),
    ("tasks.chart_done", "已完成", "Done"),
    ("tasks.select", "选择", "Select"),
    ("tasks.select_all", "全选", "Select all"),
    ("tasks.open", "未完成", "Open"),
    ("tasks.progress_down", "完成进度将从 {was}% 降为 {now}%，确定要登记吗？", "Progress goes down from {was}% to {now}%. Record it?"),
    ("tasks.bulk", "批量修改选中的任务", "Change the selected tasks"),
    ("tasks.bulk_apply", "应用到选中任务", "Apply to selected"),
    ("tasks.bulk_hint", "只修改填写了的项；任何一项不符合要求，都不会修改。", "Only the fields filled in change; if any task does not fit, none changes."),
    ("tasks.bulk_done", "已修改 {n} 项任务。", "{n} tasks changed."),
    ("tasks.bulk_none", "请先勾选要修改的任务。", "Select the tasks to change first."),
    // one task
    ("tasks.details", "任务信息", "Details"),
    ("tasks.description", "任务内容", "Description"),
    ("tasks.target", "目标", "Target"),
    ("tasks.start", "开始日期", "Start"),
    ("tasks.last_entry", "最近进展日期", "Last progress"),
    ("tasks.brand", "所属品牌", "Brand"),
    ("tasks.edit", "修改任务", "Edit task"),
    ("tasks.ledger", "进展台账", "Progress ledger"),
    ("tasks.no_entries", "尚未登记进展", "No progress reported yet"),
    ("tasks.post", "登记进展", "Report progress"),
    ("tasks.post_submit", "提交进展", "Submit"),
    ("tasks.entry_on", "进展日期", "Date"),
    ("tasks.entry_progress", "完成进度（%）", "Progress (%)"),
    ("tasks.entry_note", "进展情况", "What was done"),
    ("tasks.evidence", "佐证材料", "Evidence"),
    ("tasks.evidence_hint", "可上传照片、PDF 或 Office 文件，可多选，单个不超过 10 MB。", "Photos, PDF or Office files; several at once; up to 10 MB each."),
    ("tasks.entry_rule", "以日期最新的一条进展为准，进度达到 100% 即为完成。", "The latest entry sets the progress; 100% completes the task."),
    ("flash.tasks.posted", "进展已登记。", "Progress reported."),
    ("tasks.by", "登记人", "Reported by"),
    ("tasks.back_mine", "返回我的任务", "Back to my tasks"),
    ("tasks.back_list", "返回任务台账", "Back to the ledger"),
    // task form
    ("tasks.form_new", "新建任务", "New task"),
    ("tasks.form_edit", "修改任务", "Edit task"),
    ("tasks.code_hint", "留空则自动编号", "Leave empty to number it automatically"),
    ("tasks.target_value", "目标值", "Target"),
    ("tasks.target_unit", "计量单位", "Unit of measure"),
    ("tasks.year_hint", "留空则取完成时限的年份", "Empty: the year of the due date"),
    ("tasks.responsible_hint", "可多选（按住 Ctrl 或 ⌘）；第一位为主要责任人", "Several may be chosen (hold Ctrl or ⌘); the first leads"),
    ("tasks.brand_id", "品牌编号", "Brand id"),
    ("tasks.brand_hint", "仅品牌任务填写", "Brand tasks only"),
    // fortresses
    ("fortresses.title", "堡垒插旗", "Fortresses and flags"),
    ("fortresses.new", "建立堡垒", "New fortress"),
    ("fortresses.search_placeholder", "按堡垒名称或编号搜索", "Search by name or code"),
    ("fortresses.only_standing", "只看在用", "Standing only"),
    ("fortresses.code", "堡垒编号", "Code"),
    ("fortresses.name", "堡垒名称", "Fortress"),
    ("fortresses.ground", "所在场景/网格", "Scenario / grid"),
    ("fortresses.scenario", "生产场景", "Production scenario"),
    ("fortresses.grid", "网格", "Grid"),
    ("fortresses.set_up_on", "建立日期", "Set up"),
    ("fortresses.closed_on", "撤销日期", "Closed"),
    ("fortresses.leader", "负责人", "Leader"),
    ("fortresses.flag", "旗帜", "Flag"),
    ("fortresses.no_flag", "未插旗", "No flag yet"),
    ("fortresses.plant", "插旗", "Plant the flag"),
    ("fortresses.flag_name", "旗帜名称", "Flag name"),
    ("fortresses.planted_on", "插旗日期", "Planted on"),
    ("fortresses.flag_leader", "旗手（负责人）", "Flag leader"),
    ("fortresses.tasks", "任务（已完成/全部）", "Tasks (done / all)"),
    ("fortresses.empty", "没有符合条件的堡垒", "No fortresses found"),
    ("fortresses.closed", "已撤销", "Closed"),
    ("fortresses.standing", "在用", "Standing"),
    ("fortresses.edit", "修改堡垒", "Edit fortress"),
    ("fortresses.ground_hint", "选择生产场景或网格（至少一项）；在网格上建立的堡垒计入网格覆盖。", "Choose a production scenario or a grid (at least one); a fortress on a grid covers it."),
    ("fortresses.description", "说明", "Description"),
    // teams
    ("teams.title", "队伍", "Teams"),
    ("teams.new", "组建队伍", "New team"),
    ("teams.search_placeholder", "按队伍名称或编号搜索", "Search by name or code"),
    ("teams.only_active", "只看在编", "Active only"),
    ("teams.code", "队伍编号", "Code"),
    ("teams.name", "队伍名称", "Team"),
    ("teams.kind", "队伍类别", "Kind"),
    ("teams.founded_on", "成立日期", "Founded"),
    ("teams.disbanded_on", "解散日期", "Disbanded"),
    ("teams.leader", "队长", "Leader"),
    ("teams.members", "成员", "Members"),
    ("teams.members_mix", "党员 / 团员 / 其他", "Party / league / others"),
    ("teams.tasks", "承担任务（已完成/全部）", "Tasks taken on (done / all)"),
    ("teams.status", "状态", "Status"),
    ("teams.active", "在编", "Active"),
    ("teams.disbanded", "已解散", "Disbanded"),
    ("teams.empty", "没有符合条件的队伍", "No teams found"),
    ("teams.edit", "修改队伍", "Edit team"),
    ("teams.set_members", "调整成员", "Members"),
    ("teams.members_hint", "勾选队伍成员（党员、团员或其他人员）", "Tick the members (party or league members, others)"),
    ("teams.no_members", "暂无成员", "No members yet"),
    ("teams.description", "说明", "Description"),
    // commitments
    ("commitments.title", "党员承诺", "Member commitments"),
    ("commitments.sub", "党员亮身份、亮承诺；支部逐项核实兑现情况。", "Members make their commitments public; the branch verifies each."),
    ("commitments.search_placeholder", "按党员姓名或承诺内容搜索", "Search by member or text"),
    ("commitments.branch_placeholder", "支部编码或名称", "Branch code or name"),
    ("commitments.person", "党员", "Member"),
    ("commitments.text", "承诺内容", "Commitment"),
    ("commitments.category", "类别", "Category"),
    ("commitments.due", "兑现时限", "Due"),
    ("commitments.status", "状态", "Status"),
    ("commitments.progress_note", "进展情况", "Progress"),
    ("commitments.verdict", "核实", "Verification"),
    ("commitments.verify", "核实", "Verify"),
    ("commitments.fulfilled", "已兑现", "Fulfilled"),
    ("commitments.bulk_fulfilled", "勾选的均已兑现", "Ticked ones fulfilled"),
    ("commitments.bulk_unfulfilled", "勾选的均未兑现", "Ticked ones unfulfilled"),
    ("commitments.unfulfilled", "未兑现", "Not fulfilled"),
    ("commitments.comment", "核实意见", "Comment"),
    ("commitments.verified_by", "核实人", "Verified by"),
    ("commitments.empty", "没有符合条件的承诺", "No commitments found"),
    ("commitments.missing", "尚未作出承诺的党员", "Members without a commitment yet"),
    ("commitments.missing_count", "{n} 名党员尚未作出承诺", "{n} members have none yet"),
    ("commitments.missing_none", "全部党员都已作出承诺。", "Every member has made a commitment."),
    ("commitments.post", "职务", "Post"),
    ("commitments.verified", "核实结果已保存。", "Verification saved."),
    // my page
    ("my.title", "我的任务", "My tasks"),
    ("my.hello", "{n}，您好", "Hello, {n}"),
    ("my.not_linked", "您的账号尚未关联人员信息", "Your account is not linked to a person"),
    ("my.not_linked_hint", "请联系支部党务管理员，将账号与您的人员信息关联后再使用。", "Ask your branch's administrator to link your account to your person record."),
    ("my.tasks", "我负责的任务", "Tasks I answer for"),
    ("my.no_tasks", "暂无需要您负责的任务", "No tasks for you at the moment"),
    ("my.commitments", "我的承诺", "My commitments"),
    ("my.no_commitments", "您今年还没有作出承诺", "You have made no commitment this year"),
    ("my.new_commitment", "作出承诺", "Make a commitment"),
    ("my.submit", "提交承诺", "Submit"),
    ("my.update", "更新", "Update"),
    ("my.withdraw", "撤回", "Withdraw"),
    ("my.locked", "已核实，不能修改", "Verified: no longer editable"),
    ("my.only_members", "党员（含预备党员）可在此作出承诺。", "Party members (incl. probationary) make commitments here."),
    ("flash.commitments.created", "承诺已提交，等待支部核实。", "Commitment submitted; the branch will verify it."),
    ("flash.commitments.updated", "承诺已更新。", "Commitment updated."),
    ("flash.commitments.withdrawn", "承诺已撤回。", "Commitment withdrawn."),
    ("my.open", "进行中", "Open"),
];
