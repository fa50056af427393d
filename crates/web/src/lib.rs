//! Qizhi's web app: server-rendered pages for party-affairs workers, the
//! `/api/v1` JSON API for integrations (with its OpenAPI document), sessions,
//! and the embedded front-end assets.
//!
//! Handlers decide nothing themselves: they check the caller's access,
//! validate input with the core types, call the store, and render a view.

mod access;
pub mod api;
pub mod assets;
pub mod auth;
pub mod error;
pub mod files;
pub mod i18n;
pub mod kit;
pub mod pages;
pub mod routes;
pub mod server;
pub mod throttle;
pub mod views;

use std::sync::Arc;

use axum::Router;
use qizhi_store::Store;

/// Settings the web app needs beyond the database.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (serve over HTTPS behind a proxy).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are
    /// believed: the client's address (audit trail, sign-in throttling) and
    /// HTTPS (`Secure` cookies) come from them.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// A session ends after this long without a request.
    pub idle_timeout_ms: i64,
    /// A session ends this long after login, however active.
    pub absolute_timeout_ms: i64,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            idle_timeout_ms: 30 * 60 * 1000,
            absolute_timeout_ms: 12 * 3600 * 1000,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Self {
        AppState { store, config: Arc::new(config) }
    }
}

/// The whole application: pages, API, assets and health check.
pub fn app(state: AppState) -> Router {
    routes::router(routes::all())
        .layer(axum::middleware::from_fn(error::api_error_envelope))
        .layer(axum::middleware::from_fn_with_state(state.clone(), kit::period::remember))
        .layer(axum::middleware::from_fn(kit::input::refuse_control_characters))
        .layer(axum::middleware::from_fn_with_state(state.clone(), kit::error_page::in_layout))
        .layer(axum::middleware::from_fn(kit::headers::security_headers))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

pub(crate) async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match sqlx_ping(&state.store).await {
        Ok(()) => (axum::http::StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!("health check: {e}");
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn sqlx_ping(store: &Store) -> Result<(), qizhi_store::StoreError> {
    store.ping().await
}
