//! Signing in and out, and the language switch.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use serde::Deserialize;

use super::render;
use crate::AppState;
use crate::auth::{self, Caller, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE, session_cookie};
use crate::error::{AppError, PageResult};
use crate::throttle;
use crate::views::LoginPage;
use qizhi_app::password;
use qizhi_app::token::{random_token, token_hash};
use qizhi_store::audit::{Actor, Entry};

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Only local paths: never redirect a user to another site after login.
/// Control characters are refused outright: browsers drop tabs and newlines
/// before resolving a URL, so `/<TAB>/evil` would become `//evil`.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && !n.chars().any(char::is_control) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

pub async fn form(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
    jar: CookieJar,
    Query(q): Query<Next>,
) -> PageResult<Response> {
    let headers = &parts.headers;
    let csrf = random_token();
    let page = LoginPage {
        lang: auth::lang_of(headers),
        error: None,
        username: String::new(),
        next: safe_next(q.next.as_deref()),
        csrf: csrf.clone(),
    };
    let jar = jar.add(session_cookie(LOGIN_CSRF_COOKIE, csrf, auth::secure_cookies(&parts, &state.config)));
    Ok((jar, render(&page)?).into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
    csrf: String,
}

/// A sign-in (or a failed one), filed under the account's first granted
/// unit so that the admins and inspectors of that scope see it.
fn login_entry(action: &'static str, summary: &str, unit_path: Option<String>) -> Entry {
    Entry {
        action,
        object_kind: "session",
        object_id: String::new(),
        unit_path,
        summary: summary.to_string(),
        before: None,
        after: None,
    }
}

pub async fn submit(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
    headers: HeaderMap,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> PageResult<Response> {
    let lang = auth::lang_of(&headers);
    let next = safe_next(f.next.as_deref());
    let secure = auth::secure_cookies(&parts, &state.config);
    let expected = auth::cookie(&headers, LOGIN_CSRF_COOKIE);
    let fail = |message: &str, jar: CookieJar| -> PageResult<Response> {
        let csrf = random_token();
        let page = LoginPage {
            lang,
            error: Some(message.to_string()),
            username: f.username.clone(),
            next: next.clone(),
            csrf: csrf.clone(),
        };
        let jar = jar.add(session_cookie(LOGIN_CSRF_COOKIE, csrf, secure));
        Ok((axum::http::StatusCode::UNAUTHORIZED, jar, render(&page)?).into_response())
    };
    if expected.as_deref() != Some(f.csrf.as_str()) {
        return fail(lang.t("auth.expired"), jar);
    }
    let ip = auth::client_ip(&parts, &state.config);
    let username = f.username.trim();
    if let Err(minutes) = throttle::check(&state.store, username, ip.as_deref()).await? {
        return fail(&lang.tn("auth.throttled", minutes), jar);
    }
    let user = state.store.user_by_username(username).await?;
    let hash = user.as_ref().map_or(password::DUMMY_HASH.to_string(), |u| u.password_hash.clone());
    let ok = password::verify(f.password.clone(), hash).await;
    let actor = Actor { user_id: user.as_ref().map(|u| u.id), username: username.to_string(), ip: ip.clone() };
    let unit_path = match &user {
        Some(u) => state.store.grants(u.id).await?.into_iter().find_map(|g| g.unit_path),
        None => None,
    };
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        _ => {
            throttle::failed(&state.store, username, ip.as_deref()).await?;
            state
                .store
                .acting(actor)
                .audit(login_entry("login_failed", "登录失败 (sign-in failed)", unit_path))
                .await?;
            return fail(lang.t("auth.bad_credentials"), jar);
        }
    };
    throttle::succeeded(&state.store, username, ip.as_deref()).await?;
    state.store.acting(actor).audit(login_entry("login", "登录 (signed in)", unit_path)).await?;
    // A new session id at every login: a planted cookie never becomes a session.
    if let Some(old) = auth::cookie(&headers, SESSION_COOKIE) {
        state.store.delete_session(&token_hash(&old)).await?;
    }
    let token = random_token();
    state.store.create_session(&token_hash(&token), user.id, &random_token()).await?;
    let jar = jar.remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/")).add(session_cookie(SESSION_COOKIE, token, secure));
    Ok((jar, Redirect::to(&next)).into_response())
}

#[derive(Deserialize)]
pub struct CsrfForm {}

pub async fn logout(
    State(state): State<AppState>,
    _caller: Caller,
    jar: CookieJar,
    Form(_f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    if let Some(token) = jar.get(SESSION_COOKIE) {
        state.store.delete_session(&token_hash(token.value())).await?;
    }
    Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/")), Redirect::to("/login")).into_response())
}

pub async fn switch_lang(Path(code): Path<String>, jar: CookieJar, Query(q): Query<Next>) -> Response {
    let lang = crate::i18n::Lang::from_code(&code);
    let cookie =
        Cookie::build((LANG_COOKIE, lang.code().to_string())).path("/").max_age(time::Duration::days(365)).build();
    (jar.add(cookie), Redirect::to(&safe_next(q.next.as_deref()))).into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_redirects() {
        assert_eq!(safe_next(Some("/units/3")), "/units/3");
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "", "/\t/evil.example", "/\r\n/evil"] {
            assert_eq!(safe_next(Some(bad)), "/");
        }
    }
}
