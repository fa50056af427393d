//! Who is calling: a session cookie (pages, and API calls from pages) or a
//! bearer token (integrations). Resolves the caller's grants into a scope.
//! Cookie-authenticated writes must carry the session's CSRF token.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum_extra::extract::cookie::{Cookie, SameSite};
use qizhi_app::token::token_hash;
use qizhi_core::access::{self, Need, Role};
use qizhi_store::audit::{Actor, Entry};
use qizhi_store::users::{Grant, User};
use qizhi_store::{Scope, now_ms};

use crate::error::AppError;
use crate::i18n::Lang;
use crate::{AppState, WebConfig};

pub const SESSION_COOKIE: &str = "qizhi_session";
pub const LOGIN_CSRF_COOKIE: &str = "qizhi_login_csrf";
pub const LANG_COOKIE: &str = "lang";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// An authenticated caller with its grants resolved.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub grants: Vec<Grant>,
    pub scope: Scope,
    /// The session's CSRF token; `None` for bearer-token callers.
    pub csrf: Option<String>,
    pub lang: Lang,
    /// The client's address, when the server knows it.
    pub ip: Option<String>,
    /// The hash of the session token, for cookie sessions.
    pub session_hash: Option<String>,
}

impl Caller {
    /// The store, with every write recorded in the audit trail as this caller's.
    pub fn store(&self, state: &AppState) -> qizhi_store::Store {
        state.store.acting(self.actor())
    }

    pub fn actor(&self) -> Actor {
        Actor { user_id: Some(self.user.id), username: self.user.username.clone(), ip: self.ip.clone() }
    }

    /// Records a denied access in the audit trail and returns the error to answer with.
    pub async fn deny(
        &self,
        state: &AppState,
        kind: &'static str,
        id: impl std::fmt::Display,
        path: Option<&str>,
        error: AppError,
    ) -> AppError {
        tracing::warn!(user = %self.user.username, kind, id = %id, "access denied");
        let entry = Entry {
            action: "denied",
            object_kind: kind,
            object_id: id.to_string(),
            unit_path: path.map(str::to_string),
            summary: format!("拒绝访问：{} 访问 {kind} {id}", self.user.username),
            before: None,
            after: None,
        };
        if let Err(e) = self.store(state).audit(entry).await {
            tracing::error!("recording a denied access: {e}");
        }
        error
    }

    pub fn is_system_admin(&self) -> bool {
        self.grants.iter().any(|g| g.role == Role::SystemAdmin)
    }

    /// Whether some grant with a role satisfying `allowed` covers `path`.
    pub fn can(&self, path: &str, allowed: impl Fn(Role) -> bool) -> bool {
        self.grants.iter().any(|g| allowed(g.role) && access::covers(g.role, g.unit_path.as_deref(), path))
    }

    /// Whether the caller meets `need` on a record at the unit at `path`
    /// (the rules: `qizhi_core::access::may`).
    pub fn may(&self, need: Need, path: &str) -> bool {
        access::may(self.grants.iter().map(|g| (g.role, g.unit_path.as_deref())), need, path)
    }

    pub fn can_read(&self, path: &str) -> bool {
        self.may(Need::Read, path)
    }

    pub fn can_edit(&self, path: &str) -> bool {
        self.may(Need::Edit, path)
    }

    /// Whether the caller may decide (approve, return, score) on what is
    /// submitted at `path` itself; [`Need::Decide`] asks it of a record's
    /// parent unit, so that nobody approves their own unit's application.
    pub fn can_review(&self, path: &str) -> bool {
        self.can(path, Role::may_review)
    }

    pub fn can_see_personal(&self, path: &str) -> bool {
        self.may(Need::SeePersonal, path)
    }

    /// The subtrees where some grant allows `allowed` (everything for a system admin).
    pub fn scope_where(&self, allowed: impl Fn(Role) -> bool) -> Scope {
        if self.is_system_admin() {
            return Scope::All;
        }
        Scope::subtrees(self.grants.iter().filter(|g| allowed(g.role)).filter_map(|g| g.unit_path.clone()).collect())
    }

    /// Where the caller administers records, users and settings.
    pub fn admin_scope(&self) -> Scope {
        self.scope_where(Role::may_edit_records)
    }

    /// Where the caller reads the audit trail.
    pub fn audit_scope(&self) -> Scope {
        self.scope_where(Role::may_read_audit)
    }

    /// Whether the caller may manage the account holding `grants`: a system
    /// admin any account; a unit admin an account whose every grant lies in
    /// their scope and which is no system admin. An account without grants
    /// belongs to no scope, so only system admins manage it.
    pub fn can_manage_account(&self, grants: &[Grant]) -> bool {
        self.is_system_admin()
            || (!grants.is_empty()
                && grants
                    .iter()
                    .all(|g| g.role != Role::SystemAdmin && g.unit_path.as_deref().is_some_and(|p| self.can_edit(p))))
    }

    /// Whether the caller may give `role` over the unit at `unit_path`: system
    /// admins anything; unit admins any other role inside their scope.
    pub fn can_grant(&self, role: Role, unit_path: Option<&str>) -> bool {
        self.is_system_admin() || (role != Role::SystemAdmin && unit_path.is_some_and(|p| self.can_edit(p)))
    }

    /// The scope of every unit this caller may read records of.
    pub fn read_scope(&self) -> Scope {
        self.scope_where(Role::may_read_scope)
    }
}

pub fn lang_of(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE).map(|v| Lang::from_code(&v)).unwrap_or_default()
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| Cookie::parse(c.trim().to_string()).ok())
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// A cookie the browser keeps for the session: HttpOnly, SameSite=Lax, path /.
pub fn session_cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value)).http_only(true).same_site(SameSite::Lax).secure(secure).path("/").build()
}

/// The token of an `Authorization: Bearer …` header; the scheme's name is
/// case-insensitive (RFC 9110).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

pub(crate) async fn authenticate(parts: &Parts, state: &AppState) -> Result<Option<Caller>, AppError> {
    let lang = lang_of(&parts.headers);
    let bearer = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(bearer_token);
    let (user, grants, csrf, session_hash) = if let Some(token) = bearer {
        match state.store.user_by_token(&token_hash(token)).await? {
            Some((u, grants)) => (u, grants, None, None),
            None => return Ok(None),
        }
    } else if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
        let hash = token_hash(&token);
        let Some(s) = state.store.session(&hash).await? else {
            return Ok(None);
        };
        let now = now_ms();
        if now - s.last_seen > state.config.idle_timeout_ms || now - s.created_at > state.config.absolute_timeout_ms {
            state.store.delete_session(&hash).await?;
            return Ok(None);
        }
        // Touch at most once a minute: sessions are read on every request.
        if now - s.last_seen > 60_000 {
            state.store.touch_session(&hash).await?;
        }
        // Every state-changing request on a cookie session presents the
        // session's token (found by `kit::csrf`).
        if crate::kit::csrf::changes_state(&parts.method) {
            crate::kit::csrf::check(&s.csrf, parts.extensions.get())?;
        }
        (s.user, s.grants, Some(s.csrf), Some(hash))
    } else {
        return Ok(None);
    };
    if user.disabled {
        return Ok(None);
    }
    let ip = client_ip(parts, &state.config);
    let mut caller = Caller { user, grants, scope: Scope::All, csrf, lang, ip, session_hash };
    caller.scope = caller.read_scope();
    Ok(Some(caller))
}

fn peer(parts: &Parts) -> Option<std::net::IpAddr> {
    parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip())
}

/// The client's address: the peer of the connection, or — when the peer is
/// a trusted proxy — the nearest address in `X-Forwarded-For` that is not
/// itself a trusted proxy (earlier entries are the client's own claims).
pub fn client_ip(parts: &Parts, config: &WebConfig) -> Option<String> {
    let peer = peer(parts)?;
    if !config.trusted_proxies.contains(&peer) {
        return Some(peer.to_string());
    }
    let forwarded = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    let client = forwarded
        .iter()
        .rev()
        .filter_map(|a| a.parse::<std::net::IpAddr>().ok())
        .find(|a| !config.trusted_proxies.contains(a))
        .unwrap_or(peer);
    Some(client.to_string())
}

/// Whether cookies go out `Secure`: always when configured so, and for a
/// request a trusted proxy says came over HTTPS.
pub fn secure_cookies(parts: &Parts, config: &WebConfig) -> bool {
    config.secure_cookies
        || peer(parts).is_some_and(|p| config.trusted_proxies.contains(&p))
            && parts
                .headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        authenticate(parts, state).await?.ok_or(AppError::Unauthorized)
    }
}

/// A caller of a page: the same as [`Caller`], but an anonymous visitor is
/// sent to the login page and back afterwards.
pub struct PageCaller(pub Caller);

impl FromRequestParts<AppState> for PageCaller {
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        match authenticate(parts, state).await {
            // A password set by an administrator is changed before anything else.
            Ok(Some(c))
                if c.user.must_change_password && !crate::pages::account::open_before_change(parts.uri.path()) =>
            {
                Err(axum::response::Redirect::to(crate::pages::account::PASSWORD_PAGE).into_response())
            }
            Ok(Some(c)) => Ok(PageCaller(c)),
            Ok(None) => {
                let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                let to = format!("/login?next={}", crate::views::encode(next));
                Err(axum::response::Redirect::to(&to).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}
