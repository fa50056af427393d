//! The contract between handlers and templates: one plain struct per page
//! (askama templates under crates/web/templates/), filled by the handlers in
//! pages/, plus the small helpers templates call. The layout and the shared
//! pieces (tiles, pager, charts) have a module each; each capability's pages
//! are a module (`accounts`, `brands`, `stars`, `tasks`, `org`, `imports`,
//! `login`), with that capability's UI text beside them.
//!
//! Handlers put already-decided data here (what the user may see, labels
//! from qizhi-core); templates only lay it out and translate fixed text.

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
pub mod assessments;
pub mod brands;
mod charts;
mod home;
mod imports;
mod layout;
mod login;
mod org;
mod pager;
pub mod stars;
pub mod tasks;
mod tiles;

pub use charts::*;
pub use home::*;
pub use imports::*;
pub use layout::*;
pub use login::*;
pub use org::*;
pub use pager::*;
pub use tiles::*;

layout_with_chrome!(HomePage, OrgTreePage, UnitPage, PeoplePage, PersonPage, ImportsPage, assessments::AssessmentsPage);
layout_with_chrome!(
    accounts::AccountPage,
    accounts::AccountsPage,
    accounts::AccountNewPage,
    accounts::AccountDetailPage,
    accounts::AuditPage
);

#[cfg(test)]
pub(crate) mod tests;
