//! The page layout: the left navigation (one line per section in [`NAV`]),
//! the chrome every signed-in page shares, how `base.html` finds it, and
//! the error page that shows inside it.

use askama::Template;

use super::encode;
use super::tasks;
use crate::i18n::Lang;

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
    NavItem { key: "assessments", href: "/assessments", zh: "考核排名", en: "Assessments", icon: icon::CHART },
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

    /// Whether the caller reads only their own page (a member): on a phone
    /// they get a tab bar at the bottom instead of reaching for the menu.
    pub fn tab_bar(&self) -> bool {
        self.hidden.contains(&"home") && !self.hidden.contains(&"my")
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
