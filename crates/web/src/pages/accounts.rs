//! Accounts an administrator manages: list, create, grant and revoke roles,
//! disable, reset the password, end sessions, revoke tokens.
//!
//! Who may: system admins every account; unit admins the accounts whose
//! every grant lies in their scope (`Caller::can_manage_account`), granting
//! roles only inside their scope and never system admin
//! (`Caller::can_grant`). Anyone else gets 403 on the list and 404 on an
//! account (existence outside one's scope does not leak).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use qizhi_core::access::Role;
use qizhi_core::ids::UserId;
use qizhi_store::Page;
use qizhi_store::users::NewAccount;
use serde::Deserialize;

use super::{chrome, chrome_with_flash, render};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::again;
use crate::kit::flash::{self, FlashQuery};
use crate::views::accounts::{AccountDetailPage, AccountNewPage, AccountRow, AccountsPage, TokenView, datetime, roles};
use qizhi_app::password;

pub const PER_PAGE: i64 = 30;

/// Only those who administer some subtree manage accounts.
async fn require_admin(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    if caller.is_system_admin() || caller.grants.iter().any(|g| g.role == Role::UnitAdmin) {
        Ok(())
    } else {
        Err(caller.deny(state, "accounts", "list", None, AppError::forbidden()).await)
    }
}

/// An account the caller may manage, with its grants; 404 otherwise.
async fn managed(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<(qizhi_store::users::User, Vec<qizhi_store::users::Grant>), AppError> {
    let user = state.store.user(UserId(id)).await?;
    let grants = state.store.grants(user.id).await?;
    if caller.can_manage_account(&grants) {
        Ok((user, grants))
    } else {
        let path = grants.iter().find_map(|g| g.unit_path.clone());
        Err(caller.deny(state, "user", id, path.as_deref(), AppError::not_found()).await)
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    page: Option<i64>,
    flash: Option<String>,
}

/// `GET /accounts` — system and unit admins: the accounts of their scope.
pub async fn list(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(lq): Query<ListQuery>,
) -> PageResult<Html<String>> {
    require_admin(&state, &caller).await?;
    let page = lq.page.unwrap_or(1).max(1);
    let Page { total, items: users } = state.store.users_page(&caller.admin_scope(), &lq.q, page, PER_PAGE).await?;
    render(&AccountsPage {
        chrome: chrome_with_flash(&caller, "accounts", "/accounts", lq.flash.as_deref()),
        q: lq.q,
        rows: users.iter().map(|u| AccountRow::new(&u.user, &u.grants)).collect(),
        page,
        pages: qizhi_store::page::pages(total, PER_PAGE),
        total,
    })
}

fn new_page(caller: &Caller) -> AccountNewPage {
    AccountNewPage {
        chrome: chrome(caller, "accounts", "/accounts/new"),
        roles: roles(),
        username: String::new(),
        display_name: String::new(),
        role: "member".into(),
        unit_code: String::new(),
        id_number: String::new(),
        errors: vec![],
    }
}

/// `GET /accounts/new` — system and unit admins.
pub async fn new_form(State(state): State<AppState>, PageCaller(caller): PageCaller) -> PageResult<Html<String>> {
    require_admin(&state, &caller).await?;
    render(&new_page(&caller))
}

#[derive(Deserialize)]
pub struct NewForm {
    username: String,
    display_name: String,
    role: String,
    #[serde(default)]
    unit_code: String,
    /// The ID number of the person the account belongs to (optional).
    #[serde(default)]
    id_number: String,
}

/// `POST /accounts` — system and unit admins; the first grant must be one
/// they may give. The new account gets a generated password, shown once,
/// to be changed at its first sign-in.
pub async fn create(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Form(f): Form<NewForm>,
) -> PageResult<Response> {
    require_admin(&state, &caller).await?;
    let lang = caller.lang;
    let mut errors = vec![];
    let username = f.username.trim();
    if username.is_empty()
        || username.chars().count() > 40
        || !username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        errors.push(lang.t("accounts.bad_username").to_string());
    }
    let display_name = f.display_name.trim();
    if display_name.is_empty() {
        errors.push(lang.t("accounts.name_required").to_string());
    }
    let role = Role::parse(&f.role).map_err(AppError::BadRequest)?;
    let unit = match f.unit_code.trim() {
        "" => None,
        code => match state.store.unit_by_code(code).await? {
            Some(u) if caller.can_read(&u.path) => Some(u),
            _ => {
                errors.push(format!("{}：{code}", lang.t("accounts.no_such_unit")));
                None
            }
        },
    };
    if errors.is_empty() && !caller.can_grant(role, unit.as_ref().map(|u| u.path.as_str())) {
        errors.push(lang.t("accounts.cannot_grant").to_string());
    }
    if role != Role::SystemAdmin && unit.is_none() && errors.is_empty() {
        errors.push(lang.t("accounts.unit_required").to_string());
    }
    let person = match f.id_number.trim() {
        "" => None,
        idn => {
            let found = state.store.people_by_id_number(&[&idn.to_uppercase()]).await?;
            match found.into_values().next() {
                Some(p) => {
                    let punit = state.store.unit(p.unit_id).await?;
                    if caller.can_edit(&punit.path) {
                        Some(p.id)
                    } else {
                        errors.push(lang.t("accounts.no_such_person").to_string());
                        None
                    }
                }
                None => {
                    errors.push(lang.t("accounts.no_such_person").to_string());
                    None
                }
            }
        }
    };
    if errors.is_empty() {
        let first = password::generate();
        let hash = password::hash(first.clone()).await?;
        let account = NewAccount {
            username,
            display_name,
            password_hash: &hash,
            person,
            grant: Some((role, unit.as_ref().map(|u| u.id))),
            must_change_password: true,
        };
        match caller.store(&state).create_account(&account).await {
            Ok(id) => return Ok(detail_page(&state, &caller, id.0, Some(first), None).await?.into_response()),
            Err(e) => errors.push(AppError::from(e).public_message()),
        }
    }
    let page = AccountNewPage {
        username: f.username,
        display_name: f.display_name,
        role: f.role,
        unit_code: f.unit_code,
        id_number: f.id_number,
        errors,
        ..new_page(&caller)
    };
    again::page(&page)
}

async fn detail_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    new_password: Option<String>,
    error: Option<String>,
) -> PageResult<Html<String>> {
    detail_page_with(state, caller, id, new_password, error, None).await
}

async fn detail_page_with(
    state: &AppState,
    caller: &Caller,
    id: i64,
    new_password: Option<String>,
    error: Option<String>,
    flash: Option<&str>,
) -> PageResult<Html<String>> {
    let (user, grants) = managed(state, caller, id).await?;
    let person = match user.person_id {
        Some(p) => {
            let person = state.store.person(p).await?;
            let unit = state.store.unit(person.unit_id).await?;
            Some(format!("{}（{}）", person.fields.name, unit.name))
        }
        None => None,
    };
    let tokens = state.store.tokens_of(user.id).await?;
    render(&AccountDetailPage {
        chrome: chrome_with_flash(caller, "accounts", &format!("/accounts/{id}"), flash),
        account: AccountRow::new(&user, &grants),
        person,
        tokens: tokens.iter().map(TokenView::from).collect(),
        roles: roles(),
        password_changed: user.password_changed_at.map(datetime).unwrap_or_default(),
        must_change: user.must_change_password,
        new_password,
        error,
        is_self: user.id == caller.user.id,
    })
}

/// `GET /accounts/{id}` — an admin who may manage the account.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<FlashQuery>,
) -> PageResult<Html<String>> {
    detail_page_with(&state, &caller, id, None, None, q.flash.as_deref()).await
}

#[derive(Deserialize)]
pub struct CsrfForm {}

#[derive(Deserialize)]
pub struct GrantForm {
    role: String,
    #[serde(default)]
    unit_code: String,
}

fn back(id: i64, flash: &str) -> Response {
    flash::redirect(&format!("/accounts/{id}"), flash)
}

/// `POST /accounts/{id}/grants` — an admin who may manage the account and
/// may give the role over the unit.
pub async fn add_grant(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(f): Form<GrantForm>,
) -> PageResult<Response> {
    let (user, _) = managed(&state, &caller, id).await?;
    let role = Role::parse(&f.role).map_err(AppError::BadRequest)?;
    let unit = match f.unit_code.trim() {
        "" => None,
        code => match state.store.unit_by_code(code).await? {
            Some(u) if caller.can_read(&u.path) => Some(u),
            _ => {
                let msg = format!("{}：{code}", caller.lang.t("accounts.no_such_unit"));
                return Ok((
                    axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    detail_page(&state, &caller, id, None, Some(msg)).await?,
                )
                    .into_response());
            }
        },
    };
    if !caller.can_grant(role, unit.as_ref().map(|u| u.path.as_str())) {
        let path = unit.as_ref().map(|u| u.path.clone());
        return Err(caller.deny(&state, "grant", id, path.as_deref(), AppError::forbidden()).await.into());
    }
    match caller.store(&state).add_grant(user.id, role, unit.map(|u| u.id)).await {
        Ok(()) => Ok(back(id, "grant_added")),
        Err(e) => {
            let msg = AppError::from(e).public_message();
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, detail_page(&state, &caller, id, None, Some(msg)).await?)
                .into_response())
        }
    }
}

/// `POST /accounts/{id}/grants/{grant}/delete` — an admin who may manage
/// the account and may give that grant's role over its unit.
pub async fn remove_grant(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, grant)): Path<(i64, i64)>,
    Form(_f): Form<CsrfForm>,
) -> PageResult<Response> {
    let (user, grants) = managed(&state, &caller, id).await?;
    let g = grants.iter().find(|g| g.id == grant).ok_or_else(AppError::not_found)?;
    if !caller.can_grant(g.role, g.unit_path.as_deref()) {
        return Err(caller.deny(&state, "grant", id, g.unit_path.as_deref(), AppError::forbidden()).await.into());
    }
    caller.store(&state).remove_grant(user.id, grant).await?;
    // With its last grant in the caller's scope gone, a unit admin no longer sees the account.
    if caller.can_manage_account(&state.store.grants(user.id).await?) {
        Ok(back(id, "grant_removed"))
    } else {
        Ok(flash::redirect("/accounts", "grant_removed"))
    }
}

/// `POST /accounts/{id}/disable` — an admin who may manage the account,
/// never their own. Ends its sessions; its tokens stop working.
pub async fn disable(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(_f): Form<CsrfForm>,
) -> PageResult<Response> {
    let (user, _) = managed(&state, &caller, id).await?;
    if user.id == caller.user.id {
        return Err(AppError::Forbidden(caller.lang.t("accounts.not_self").to_string()).into());
    }
    caller.store(&state).set_disabled(user.id, true).await?;
    Ok(back(id, "disabled"))
}

/// `POST /accounts/{id}/enable` — an admin who may manage the account.
pub async fn enable(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(_f): Form<CsrfForm>,
) -> PageResult<Response> {
    let (user, _) = managed(&state, &caller, id).await?;
    caller.store(&state).set_disabled(user.id, false).await?;
    Ok(back(id, "enabled"))
}

/// `POST /accounts/{id}/password` — an admin who may manage the account:
/// a new generated password, shown once, to be changed at the next sign-in;
/// the account's sessions end.
pub async fn reset_password(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(_f): Form<CsrfForm>,
) -> PageResult<Html<String>> {
    let (user, _) = managed(&state, &caller, id).await?;
    let fresh = password::generate();
    let hash = password::hash(fresh.clone()).await?;
    caller.store(&state).set_password(user.id, &hash, true, None).await?;
    detail_page(&state, &caller, id, Some(fresh), None).await
}

/// `POST /accounts/{id}/logout-all` — an admin who may manage the account.
pub async fn logout_all(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(_f): Form<CsrfForm>,
) -> PageResult<Response> {
    let (user, _) = managed(&state, &caller, id).await?;
    caller.store(&state).delete_sessions_of(user.id).await?;
    Ok(back(id, "signed_out"))
}

/// `POST /accounts/{id}/tokens/{token}/revoke` — an admin who may manage the account.
pub async fn revoke_token(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, token)): Path<(i64, i64)>,
    Form(_f): Form<CsrfForm>,
) -> PageResult<Response> {
    let (user, _) = managed(&state, &caller, id).await?;
    caller.store(&state).revoke_token(user.id, token).await?;
    Ok(back(id, "token_revoked"))
}
