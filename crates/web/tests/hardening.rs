//! What no request may do to the app: carry control characters into a
//! record, frame a page or have it cached, inject parameters into a
//! download's name, send a large upload before its sender is known to be
//! allowed, or make sign-in throttling forget or lock out the real user.
//! Driven in-process on both databases.

mod common;

use axum::http::StatusCode;
use common::*;
use qizhi_core::ids::UnitId;
use qizhi_core::tasks::TaskInput;
use serde_json::json;

fn field_named(r: &Resp, field: &str) {
    let v = r.json();
    let fields = v["error"]["fields"].as_array().unwrap_or_else(|| panic!("{}: no fields in {v}", r.what));
    assert!(fields.iter().any(|f| f["field"] == field), "{}: the error names `{field}`: {v}", r.what);
}

#[tokio::test]
async fn a_control_character_in_any_input_is_a_422_naming_the_field() {
    each_backend(|w| async move {
        let token = w.token("admin").to_string();
        // The query string of a search.
        let r = w.send(get("/api/v1/units?q=a%00b").bearer(&token)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        field_named(&r, "q");
        assert!(r.text().contains("控制字符"), "{}", r.snippet());
        // A JSON body, nested.
        let fj = w.id("FJ");
        let body = json!({"code": "FJ99", "name": "新\u{0}组织", "kind": "committee", "parent_id": fj});
        let r = w.send(post("/api/v1/units").bearer(&token).json(&body)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        field_named(&r, "name");
        assert!(w.store.unit_by_code("FJ99").await.unwrap().is_none(), "[{}] nothing written", w.backend);
        // The sign-in form, without an account: a page, not a server error.
        let form = [("username", "a\u{0}b"), ("password", "x"), ("csrf", "x")];
        let r = w.send(post("/login").form(&form)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("username"), "{}", r.snippet());
        // A page's query.
        let s = w.login("fjadmin").await;
        w.send(get("/people?q=%00").session(&s)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        // Tabs and line breaks are text.
        w.send(get("/api/v1/units?q=%E7%A6%8F%09").bearer(&token)).await.expect(StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn pages_carry_security_headers() {
    each_backend(|w| async move {
        let s = w.login("fjadmin").await;
        for uri in ["/", "/people", "/login", "/api/v1/me"] {
            let r = if uri == "/login" { w.send(get(uri)).await } else { w.send(get(uri).session(&s)).await };
            let h = |name: &str| r.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            let csp = h("content-security-policy");
            assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{uri}: {csp}");
            assert!(!csp.contains("unsafe-inline"), "{uri}: {csp}");
            assert_eq!(h("x-frame-options"), "DENY", "{uri}");
            assert_eq!(h("x-content-type-options"), "nosniff", "{uri}");
            assert_eq!(h("referrer-policy"), "same-origin", "{uri}");
            assert_eq!(h("cache-control"), "no-store", "{uri}: personal data is not cached");
        }
        // Assets keep their own long cache.
        let home = w.send(get("/").session(&s)).await.text();
        let css = home.split('"').find(|p| p.starts_with("/assets/qizhi.css")).expect("the stylesheet link");
        let r = w.send(get(css)).await.expect(StatusCode::OK);
        assert!(r.headers["cache-control"].to_str().unwrap().contains("immutable"));
    })
    .await;
}

#[tokio::test]
async fn a_download_name_cannot_be_injected() {
    each_backend(|w| async move {
        let s = w.login("fjadmin").await;
        let r = w.send(get("/imports/people/export.csv%22%3B%20x%3D%22.xlsx").session(&s)).await.expect(StatusCode::OK);
        let d = r.headers["content-disposition"].to_str().unwrap();
        assert_eq!(d.matches('"').count(), 2, "one quoted name: {d}");
        assert!(d.starts_with("attachment; filename=\"people.xlsx\""), "{d}");
        for bad in ["%00", "%0d%0a"] {
            let r = w.send(get(&format!("/imports/people/export{bad}.csv")).session(&s)).await;
            assert!(r.status.is_client_error(), "{bad}: {}", r.status);
        }
    })
    .await;
}

#[tokio::test]
async fn an_upload_to_a_record_out_of_scope_is_refused_before_its_body_is_read() {
    each_backend(|w| async move {
        let wang = w.people_under("NM-001")[0].id;
        let y = qizhi_core::date::this_year();
        let input = TaskInput {
            kind: "目标任务".into(),
            name: "新城区覆盖".into(),
            start_on: Some(format!("{y}-01-05")),
            due_on: Some(format!("{y}-12-31")),
            responsible: vec![wang],
            ..Default::default()
        };
        let (_, fields) = input.validate().unwrap();
        let task = w.store.create_task(UnitId(w.id("NM-001")), Some("NM-T9"), &fields).await.unwrap();
        // Twelve megabytes: over a file's limit, sent by a member of Fujian.
        let big = vec![b'x'; 12 * 1024 * 1024];
        let s = w.login("m_member").await;
        let parts = [
            Part::Text("csrf", &s.csrf),
            Part::Text("progress", "50"),
            Part::File("evidence", "a.pdf", "application/pdf", &big),
        ];
        let uri = format!("/tasks/{}/entries", task.id.0);
        w.send(post(&uri).session(&s).multipart(&parts)).await.expect(StatusCode::NOT_FOUND);
        let api = format!("/api/v1/tasks/{}/entries", task.id.0);
        let r = w.send(post(&api).bearer(w.token("m_member")).multipart(&parts)).await;
        r.expect(StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    each_backend(|w| async move {
        let token = w.token("admin").to_string();
        for scheme in ["Bearer", "bearer", "BEARER"] {
            let r = w.send(get("/api/v1/me").header("authorization", &format!("{scheme} {token}"))).await;
            r.expect(StatusCode::OK);
        }
    })
    .await;
}

#[tokio::test]
async fn throttling_is_per_account_and_address_kept_in_the_database() {
    use qizhi_web::throttle::{self, PER_ADDRESS, PER_PAIR};
    each_backend(|w| async move {
        let (attacker, user) = (Some("198.51.100.7"), Some("203.0.113.20"));
        for _ in 0..PER_PAIR {
            assert!(throttle::check(&w.store, "m_login", attacker).await.unwrap().is_ok());
            throttle::failed(&w.store, "m_login", attacker).await.unwrap();
        }
        assert!(throttle::check(&w.store, "M_Login", attacker).await.unwrap().is_err(), "the pair is locked");
        assert!(throttle::check(&w.store, "m_login", user).await.unwrap().is_ok(), "the real user is not");
        // Spraying many accounts from one address locks the address.
        for i in 0..PER_ADDRESS {
            throttle::failed(&w.store, &format!("guess{i}"), Some("192.0.2.1")).await.unwrap();
        }
        assert!(throttle::check(&w.store, "m_viewer", Some("192.0.2.1")).await.unwrap().is_err());
        assert!(throttle::check(&w.store, "m_viewer", user).await.unwrap().is_ok());
        // A success clears its own pair only.
        throttle::succeeded(&w.store, "m_login", user).await.unwrap();
        assert!(throttle::check(&w.store, "m_login", attacker).await.unwrap().is_err());
    })
    .await;
}
