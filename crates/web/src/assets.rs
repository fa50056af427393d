//! Static assets embedded in the binary (our CSS, JS and logo, plus htmx and
//! ECharts copied from npm by build.rs) and served at `/assets/{name}`.
//!
//! Templates link them through [`url`], which appends a hash of the content,
//! so every asset can be cached for a year and a new build still takes effect
//! at once.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset { name: "qizhi.css", content_type: "text/css; charset=utf-8", body: include_bytes!("../static/qizhi.css") },
    Asset {
        name: "qizhi.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../static/qizhi.js"),
    },
    Asset { name: "logo.svg", content_type: "image/svg+xml", body: include_bytes!("../static/logo.svg") },
    Asset {
        name: "htmx.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!(concat!(env!("OUT_DIR"), "/htmx.min.js")),
    },
    Asset {
        name: "echarts.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!(concat!(env!("OUT_DIR"), "/echarts.min.js")),
    },
];

/// name → (asset, short content hash), computed once.
static INDEX: LazyLock<HashMap<&'static str, (&'static Asset, String)>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            let digest = Sha256::digest(a.body);
            let hash: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
            (a.name, (a, hash))
        })
        .collect()
});

/// The versioned URL of an embedded asset, e.g. `/assets/qizhi.css?v=1a2b3c4d5e`.
/// An unknown name still yields a URL (which will 404) rather than a panic in
/// the middle of rendering a page; the tests check every name templates use.
pub fn url(name: &str) -> String {
    match INDEX.get(name) {
        Some((_, hash)) => format!("/assets/{name}?v={hash}"),
        None => format!("/assets/{name}"),
    }
}

/// `GET /assets/{name}`.
pub async fn serve(Path(name): Path<String>) -> Response {
    let Some((asset, _)) = INDEX.get(name.as_str()) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            // URLs carry the content hash, so a cached copy is never stale.
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        asset.body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_versioned_and_stable() {
        let u = url("qizhi.css");
        assert!(u.starts_with("/assets/qizhi.css?v="), "{u}");
        assert_eq!(u.len(), "/assets/qizhi.css?v=".len() + 10);
        assert_eq!(u, url("qizhi.css"));
        let hash = |u: String| u.split_once("?v=").map(|(_, h)| h.to_string());
        assert_ne!(hash(url("qizhi.css")), hash(url("qizhi.js")));
    }

    #[test]
    fn vendor_files_are_embedded() {
        for name in ["htmx.min.js", "echarts.min.js"] {
            let (asset, _) = INDEX.get(name).expect(name);
            assert!(asset.body.len() > 10_000, "{name} looks empty");
        }
    }

    #[tokio::test]
    async fn serves_known_and_rejects_unknown() {
        let ok = serve(Path("qizhi.css".to_string())).await;
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(ok.headers()[header::CONTENT_TYPE], "text/css; charset=utf-8");
        assert_eq!(ok.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(ok.headers()[header::CACHE_CONTROL].to_str().unwrap().contains("immutable"));
        let missing = serve(Path("../Cargo.toml".to_string())).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    }
}
