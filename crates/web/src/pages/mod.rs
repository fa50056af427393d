//! The server-rendered pages, one module per section. Each handler checks
//! access on the server (`crate::access`), then fills a view from `views`.
//! The organization's own sections are modules here; each capability is a
//! folder that declares its routes, gathered below.

pub mod account;
mod accounts;
mod assessments;
pub(crate) mod audit;
mod home;
mod imports;
mod login;
mod org;
mod people;

pub(crate) mod brands;
pub mod stars;
pub(crate) mod tasks;

use askama::Template;
use axum::http::Method;
use axum::response::Html;
use qizhi_core::org::Unit;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, PageResult};
use crate::routes::{Route, route};
use crate::views::Chrome;

pub fn routes() -> Vec<Route> {
    use Method as M;
    vec![
        route(M::GET, "/", home::home),
        route(M::GET, "/login", login::form),
        route(M::POST, "/login", login::submit),
        route(M::POST, "/logout", login::logout),
        route(M::GET, "/lang/{code}", login::switch_lang),
        route(M::GET, "/org", org::tree),
        route(M::GET, "/org/children/{id}", org::children),
        route(M::GET, "/units/{id}", org::unit),
        route(M::GET, "/people", people::list),
        route(M::GET, "/assessments", assessments::page),
        route(M::POST, "/assessments/rule", assessments::rule),
        route(M::GET, "/people/{id}", people::page),
        route(M::POST, "/people/{id}/reveal", people::reveal),
        route(M::GET, "/imports", imports::page),
        route(M::POST, "/imports/{kind}", imports::upload).uploads(crate::routes::LEDGER_UPLOAD),
        route(M::GET, "/imports/{kind}/{file}", imports::download),
        route(M::GET, "/account", account::show),
        route(M::POST, "/account/password", account::change_password),
        route(M::POST, "/account/tokens", account::create_token),
        route(M::POST, "/account/tokens/{token}/revoke", account::revoke_token),
        route(M::POST, "/account/logout-all", account::logout_all),
        route(M::GET, "/accounts", accounts::list),
        route(M::GET, "/accounts/new", accounts::new_form),
        route(M::POST, "/accounts", accounts::create),
        route(M::GET, "/accounts/{id}", accounts::show),
        route(M::POST, "/accounts/{id}/grants", accounts::add_grant),
        route(M::POST, "/accounts/{id}/grants/{grant}/delete", accounts::remove_grant),
        route(M::POST, "/accounts/{id}/disable", accounts::disable),
        route(M::POST, "/accounts/{id}/enable", accounts::enable),
        route(M::POST, "/accounts/{id}/password", accounts::reset_password),
        route(M::POST, "/accounts/{id}/logout-all", accounts::logout_all),
        route(M::POST, "/accounts/{id}/tokens/{token}/revoke", accounts::revoke_token),
        route(M::GET, "/audit", audit::list),
        route(M::GET, "/audit/{file}", audit::export),
    ]
    .into_iter()
    .chain(brands::routes())
    .chain(stars::routes())
    .chain(tasks::routes())
    .collect()
}

pub(crate) fn render(page: &impl Template) -> PageResult<Html<String>> {
    page.render().map(Html).map_err(|e| AppError::Internal(anyhow::anyhow!("rendering a page: {e}")).into())
}

pub(crate) fn chrome(caller: &Caller, nav: &'static str, path: &str) -> Chrome {
    let mut hidden = vec![];
    let holds = |may: fn(qizhi_core::access::Role) -> bool| {
        caller.is_system_admin() || caller.grants.iter().any(|g| may(g.role))
    };
    if !holds(|r| r == qizhi_core::access::Role::UnitAdmin) {
        hidden.push("accounts");
    }
    if !holds(|r| r.may_read_audit()) {
        hidden.push("audit");
    }
    // Who reads no unit's records (a member) has only their own page.
    if !reads_records(caller) {
        hidden.extend([
            "home",
            "org",
            "people",
            "brands",
            "stars",
            "tasks",
            "fortresses",
            "teams",
            "commitments",
            "assessments",
            "imports",
        ]);
    }
    if caller.user.person_id.is_none() {
        hidden.push("my");
    }
    Chrome {
        lang: caller.lang,
        user_name: caller.user.display_name.clone(),
        csrf: caller.csrf.clone().unwrap_or_default(),
        nav,
        flash: None,
        path: path.to_string(),
        hidden,
    }
}

/// Whether the caller reads the records of some unit's subtree (every role
/// but a member's): the sections of the navigation are theirs.
pub(crate) fn reads_records(caller: &Caller) -> bool {
    caller.is_system_admin() || caller.grants.iter().any(|g| g.role.may_read_scope())
}

/// The chrome of a page reached after a form (`kit::flash`).
pub(crate) fn chrome_with_flash(caller: &Caller, nav: &'static str, path: &str, flash: Option<&str>) -> Chrome {
    let mut c = chrome(caller, nav, path);
    c.flash = crate::kit::flash::message(caller.lang, flash);
    c
}

/// The unit a caller lands on: the first root of their scope.
pub(crate) async fn scope_root(state: &AppState, caller: &Caller) -> PageResult<Option<Unit>> {
    Ok(state.store.scope_roots(&caller.scope).await?.into_iter().next().map(|n| n.unit))
}

/// The units directly under `unit` with their subtrees' branches and members, for the bar chart.
pub(crate) async fn children_counts(
    state: &AppState,
    children: &[qizhi_store::units::UnitNode],
    span: qizhi_core::figures::Span,
) -> Result<Vec<crate::views::HomeChild>, AppError> {
    let mut out = Vec::with_capacity(children.len());
    for c in children {
        let f = state.store.figures(c.unit.id, span).await?;
        let count = |k: &str| f[k].count().unwrap_or(0);
        out.push(crate::views::HomeChild {
            unit: short_ref(&c.unit),
            branches: count("org.branches"),
            members: count("org.members"),
        });
    }
    Ok(out)
}

/// A unit as charts label it: by its short name when it has one (福建联通,
/// not 中共中国联通福建省分公司委员会).
pub(crate) fn short_ref(u: &Unit) -> crate::views::UnitRef {
    crate::views::UnitRef::new(u.id.0, u.code.clone(), u.short_name.clone().unwrap_or_else(|| u.name.clone()), u.kind)
}
