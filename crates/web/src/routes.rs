//! Every route of the app in one table: method, path, handler. The router is
//! built from it, and the permission-matrix test walks it, so a route cannot
//! exist without the test knowing.

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter, on};

use crate::AppState;

pub struct Route {
    pub method: Method,
    pub path: &'static str,
    router: MethodRouter<AppState>,
    /// The largest body the route reads.
    limit: usize,
}

/// A route answering `method` at `path`.
pub fn route<H, T>(method: Method, path: &'static str, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
    Route { method, path, router: on(filter, handler), limit: crate::kit::input::FORM_LIMIT }
}

impl Route {
    /// A route taking uploads: bodies up to `bytes` instead of the form limit.
    pub fn uploads(mut self, bytes: usize) -> Route {
        self.limit = bytes;
        self
    }
}

/// The body limit of a route taking one file (`file::MAX_BYTES`) and its form.
pub const FILE_UPLOAD: usize = qizhi_core::file::MAX_BYTES + 1024 * 1024;
/// The body limit of a route taking a ledger: a spreadsheet of up to the
/// reader's row limit.
pub const LEDGER_UPLOAD: usize = 64 * 1024 * 1024;

/// Every route: pages, the API, assets and the health check.
pub fn all() -> Vec<Route> {
    let mut routes = crate::pages::routes();
    routes.extend(crate::api::routes());
    routes.push(route(Method::GET, "/assets/{name}", crate::assets::serve));
    routes.push(route(Method::GET, "/files/{id}", crate::files::serve));
    routes.push(route(Method::GET, "/healthz", crate::healthz));
    routes
}

/// The router of a table of routes (methods on one path are merged). Every
/// route gets its body limit and, inside it, the CSRF token finder
/// (`kit::csrf`), so no write route can be added without the check.
pub fn router(routes: Vec<Route>) -> Router<AppState> {
    routes.into_iter().fold(Router::new(), |r, route| {
        let guarded = route
            .router
            .layer::<_, std::convert::Infallible>(axum::middleware::from_fn_with_state(
                route.limit,
                crate::kit::csrf::find_token,
            ))
            .layer(axum::extract::DefaultBodyLimit::max(route.limit));
        r.route(route.path, guarded)
    })
}
