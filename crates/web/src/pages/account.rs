//! One's own account: password, API tokens, signing out everywhere. Every
//! signed-in user may use these for their own account only.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use qizhi_core::access::check_password;
use serde::Deserialize;

use super::{chrome_with_flash, render};
use crate::AppState;
use qizhi_app::password;
use qizhi_app::token::{random_token, token_hash};

use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::flash::{self, FlashQuery};
use crate::views::accounts::{AccountPage, GrantView, TokenView, datetime};

/// Where an account with a password set by an administrator is sent until it changes it.
pub const PASSWORD_PAGE: &str = "/account";

/// The pages such an account may still open: its own account pages.
pub fn open_before_change(path: &str) -> bool {
    path == PASSWORD_PAGE || path.starts_with("/account/")
}

#[derive(Deserialize)]
pub struct CsrfForm {}

async fn page(
    state: &AppState,
    caller: &Caller,
    new_token: Option<String>,
    error: Option<String>,
) -> PageResult<Html<String>> {
    page_with(state, caller, new_token, error, None).await
}

async fn page_with(
    state: &AppState,
    caller: &Caller,
    new_token: Option<String>,
    error: Option<String>,
    flash: Option<&str>,
) -> PageResult<Html<String>> {
    let user = state.store.user(caller.user.id).await?;
    let tokens = state.store.tokens_of(user.id).await?;
    render(&AccountPage {
        chrome: chrome_with_flash(caller, "account", "/account", flash),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        grants: caller.grants.iter().map(GrantView::from).collect(),
        tokens: tokens.iter().map(TokenView::from).collect(),
        password_changed: user.password_changed_at.map(datetime).unwrap_or_default(),
        must_change: user.must_change_password,
        new_token,
        error,
    })
}

/// `GET /account` — any signed-in user, their own account.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(q): Query<FlashQuery>,
) -> PageResult<Html<String>> {
    page_with(&state, &caller, None, None, q.flash.as_deref()).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

/// `POST /account/password` — any signed-in user, their own password. Ends
/// their other sessions.
pub async fn change_password(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Form(f): Form<PasswordForm>,
) -> PageResult<Response> {
    let lang = caller.lang;
    let user = state.store.user(caller.user.id).await?;
    let problem = if !password::verify(f.current.clone(), user.password_hash.clone()).await {
        Some(lang.t("account.wrong_current").to_string())
    } else if f.new != f.confirm {
        Some(lang.t("account.mismatch").to_string())
    } else if f.new == f.current {
        Some(lang.t("account.same_password").to_string())
    } else {
        check_password(&f.new).err()
    };
    if let Some(problem) = problem {
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page(&state, &caller, None, Some(problem)).await?)
            .into_response());
    }
    let hash = password::hash(f.new).await?;
    caller.store(&state).set_password(user.id, &hash, false, caller.session_hash.as_deref()).await?;
    Ok(flash::redirect("/account", "password_changed"))
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
}

/// `POST /account/tokens` — any signed-in user: a new API token of their
/// own, shown once.
pub async fn create_token(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Form(f): Form<TokenForm>,
) -> PageResult<Html<String>> {
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return page(&state, &caller, None, Some(caller.lang.t("account.token_name_required").to_string())).await;
    }
    let token = random_token();
    caller.store(&state).create_token(caller.user.id, name, &token_hash(&token)).await?;
    page(&state, &caller, Some(token), None).await
}

/// `POST /account/tokens/{id}/revoke` — any signed-in user, their own tokens
/// only (another's token id answers 404).
pub async fn revoke_token(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(token): Path<i64>,
    Form(_f): Form<CsrfForm>,
) -> PageResult<Response> {
    caller.store(&state).revoke_token(caller.user.id, token).await.map_err(AppError::from)?;
    Ok(flash::redirect("/account", "token_revoked"))
}

/// `POST /account/logout-all` — any signed-in user: ends every session of
/// their own account, this one included.
pub async fn logout_all(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Form(_f): Form<CsrfForm>,
) -> PageResult<Response> {
    caller.store(&state).delete_sessions_of(caller.user.id).await?;
    Ok(Redirect::to("/login").into_response())
}
