//! Every error a page answers is a page of the app, in the reader's
//! language: unknown paths, wrong methods, query strings that do not parse
//! and refusals by the handlers; inside the layout for a signed-in user, with
//! the sign-in button only for a visitor; the API keeps its JSON envelope.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use qizhi_web::auth::LANG_COOKIE;

/// The HTML of an error answer, checked to be the app's error page.
#[track_caller]
fn error_page(resp: Resp, status: StatusCode) -> String {
    let what = resp.what.clone();
    let resp = resp.expect(status);
    let kind = resp.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(kind.starts_with("text/html"), "{what}: {kind}");
    let html = resp.text();
    assert!(
        html.contains("class=\"error-page\"") && html.contains(&format!(">{}<", status.as_u16())),
        "{what}: {html}"
    );
    html
}

#[tokio::test]
async fn errors_are_pages_of_the_app_in_the_readers_language() {
    each_backend(|w| async move {
        // A visitor: the bare layout, a sign-in button, Chinese without English tails.
        let html = error_page(w.send(get("/no/such/page")).await, StatusCode::NOT_FOUND);
        assert!(html.contains("页面不存在") && html.contains("href=\"/login\""), "{html}");
        assert!(!html.contains("Not Found"), "{html}");
        let html = error_page(w.send(get("/no/such/page").cookie(LANG_COOKIE, "en")).await, StatusCode::NOT_FOUND);
        assert!(html.contains("Page not found"), "{html}");

        // Signed in: inside the layout with the navigation, no sign-in button.
        let s = w.login("admin").await;
        let html = error_page(w.send(get("/no/such/page").session(&s)).await, StatusCode::NOT_FOUND);
        assert!(html.contains("class=\"sidenav\""), "the layout's navigation: {html}");
        assert!(!html.contains("href=\"/login\""), "{html}");

        // A path or query the router cannot read.
        let html = error_page(w.send(get("/units/abc").session(&s)).await, StatusCode::BAD_REQUEST);
        assert!(html.contains("请求有误") && !html.contains("Invalid URL") && !html.contains("Cannot parse"), "{html}");
        let uri = format!("/commitments?unit={}&year=", w.id("FJ"));
        let resp = w.send(get(&uri).session(&s)).await;
        if resp.status != StatusCode::OK {
            let status = resp.status;
            let html = error_page(resp, status);
            assert!(!html.contains("Failed to deserialize"), "{html}");
        }
        // A wrong method.
        error_page(w.send(request(Method::DELETE, "/org").session(&s)).await, StatusCode::METHOD_NOT_ALLOWED);

        // A handler's refusal: its message, without the English tail.
        let html = error_page(w.send(get("/units/999999").session(&s)).await, StatusCode::NOT_FOUND);
        assert!(html.contains("未找到该记录") && !html.contains("(not found)"), "{html}");
        let html =
            error_page(w.send(get("/units/999999").session(&s).cookie(LANG_COOKIE, "en")).await, StatusCode::NOT_FOUND);
        assert!(html.contains("not found"), "{html}");

        // The API keeps its envelope.
        let resp = w.send(get("/api/v1/no/such").bearer(w.token("admin"))).await.expect(StatusCode::NOT_FOUND);
        assert!(resp.text().contains("\"code\":\"not_found\""));
    })
    .await;
}
