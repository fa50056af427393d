//! The organization's pages: the tree, a unit, its people;
//! and [`UnitRef`], a unit as every page mentions it.

use askama::Template;
use qizhi_core::date;
use qizhi_core::org::{Unit, UnitKind};
use qizhi_core::person::Person;

use super::{Chrome, FigureSection, Layout, Pager, encode, pager};
use crate::i18n::Lang;

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

/// A child unit with its subtree's branches and members, for the unit page's chart.
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
    pub period: crate::kit::period::PeriodView,
    /// ECharts option JSON (see [`children_chart_json`]); empty for no chart.
    pub chart_json: String,
}

/// `GET /people/{id}`: one person's record. Personal fields are masked for
/// those who may see them until revealed (`POST /people/{id}/reveal`, in the
/// audit trail), and absent for everyone else; one's own record is shown whole.
#[derive(Template)]
#[template(path = "person.html")]
pub struct PersonPage {
    pub chrome: Chrome,
    pub id: i64,
    pub row: PersonRow,
    pub unit: UnitRef,
    /// ISO date; masked, or empty when not for this reader.
    pub birth_date: String,
    pub phone: String,
    pub id_number: String,
    /// Whether the fields above are shown whole.
    pub revealed: bool,
    /// Whether this reading was recorded in the audit trail.
    pub audited: bool,
    /// Whether a button may reveal them.
    pub can_reveal: bool,
}

/// `GET /people?unit=&q=&category=&page=`: people of a unit's subtree.
#[derive(Template)]
#[template(path = "people.html")]
pub struct PeoplePage {
    pub chrome: Chrome,
    /// Filters that could not be read (left out of the list).
    pub filter_problems: Vec<String>,
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
    /// Empty unless the viewer may see personal data, and masked even then
    /// (the person's page reveals it, in the audit trail).
    pub phone: String,
}

impl PersonRow {
    /// A row for `person`; the phone is copied (masked) only when
    /// `show_personal`, so personal data cannot reach a template by mistake.
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
            phone: match (show_personal, &f.phone) {
                (true, Some(phone)) => qizhi_core::person::masked(phone),
                _ => String::new(),
            },
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
