//! Every day is China's: at 00:30 on 1 January in China it is still
//! 31 December in UTC, and a brand step, a star award, a task's progress
//! entry and a member's commitment taken then are all dated 1 January, of the
//! new year.
//!
//! The clock is set for the whole process (`qizhi_core::date::set_now`), so
//! this file holds one test and no other test shares its process.

mod common;

use axum::http::StatusCode;
use common::{Req, World, each_backend, get, mint_token, post, put};
use qizhi_core::access::Role;
use serde_json::{Value, json};
use time::macros::{date, datetime};

/// 2026-01-01 00:30 in China.
const MOMENT: time::OffsetDateTime = datetime!(2025-12-31 16:30 UTC);
const DAY: &str = "2026-01-01";
const YEAR: i32 = 2026;

/// `req` as `token`, expecting `status`, the JSON.
async fn call(w: &World, token: &str, req: Req, status: StatusCode) -> Value {
    let r = w.send(req.bearer(token)).await.expect(status);
    if r.body.is_empty() { Value::Null } else { r.json() }
}

/// A reviewer over `unit`, as an API token.
async fn reviewer(w: &World, username: &str, unit: &str) -> String {
    let id = w.store.create_user(username, &format!("{unit} 审核人"), &w.password_hash().await).await.unwrap();
    w.store.add_grant(id, Role::Reviewer, Some(w.unit(unit).id)).await.unwrap();
    mint_token(&w.store, id, "tests").await
}

#[tokio::test]
async fn half_past_midnight_in_china_dates_everything_on_the_chinese_day() {
    qizhi_core::date::set_now(Some(MOMENT));
    assert_eq!(qizhi_core::date::today(), date!(2026 - 01 - 01));
    each_backend(|w| async move {
        brand_steps(&w).await;
        star_award(&w).await;
        task_entry(&w).await;
        commitment(&w).await;
    })
    .await;
}

/// Created, applied and named: each history event dated the Chinese day.
async fn brand_steps(w: &World) {
    let b1 = w.token("b1admin").to_string();
    let rev = reviewer(w, "fj01brands", "FJ01").await;
    let body = json!({ "org": "FJ01-001", "name": "红帆", "category": "党建品牌", "founded_year": 2020 });
    let id = call(w, &b1, post("/api/v1/brands").json(&body), StatusCode::CREATED).await["id"].as_i64().unwrap();
    call(w, &b1, post(&format!("/api/v1/brands/{id}/apply")).json(&json!({})), StatusCode::OK).await;
    for _ in 0..3 {
        let decide = post(&format!("/api/v1/brands/{id}/decide")).json(&json!({ "decision": "approve" }));
        call(w, &rev, decide, StatusCode::OK).await;
    }
    let history = call(w, &b1, get(&format!("/api/v1/brands/{id}/history")), StatusCode::OK).await;
    let events: Vec<(&str, &str)> = history["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["on"].as_str().unwrap()))
        .collect();
    let kinds: Vec<&str> = events.iter().map(|(k, _)| *k).collect();
    assert_eq!(kinds, ["created", "applied", "preliminary", "evaluated", "named"], "{}", w.backend);
    for (kind, on) in events {
        assert_eq!(on, DAY, "brand event {kind} on {}", w.backend);
    }
}

/// A one-level campaign over FJ taken to the award: the objection raised in
/// publicity and the moment the stars were fixed are both of the Chinese day.
async fn star_award(w: &World) {
    let admin = w.token("fjadmin").to_string();
    let b1 = w.token("b1admin").to_string();
    let city = reviewer(w, "fj01stars", "FJ01").await;
    let ind = |code: &str, max: i64| json!({ "code": code, "name": code, "max": max, "guide": "按标准评分" });
    let dim = |code: &str, inds: Vec<Value>| json!({ "code": code, "name": code, "standard": 60, "excellent": 80, "benchmark": 90, "indicators": inds });
    let scheme = json!({
        "dimensions": [dim("PB", vec![ind("PB1", 100)])],
        "rules": [{ "stars": 1, "all": [{ "dimension": "PB", "score": 30 }] }],
        "vetoes": [],
        "quotas": [],
    });
    let body = json!({ "org": "FJ", "name": "福建星级评价体系", "year": YEAR - 1, "body": scheme });
    let sid = call(w, &admin, post("/api/v1/stars/schemes").json(&body), StatusCode::CREATED).await["id"].as_i64();
    let body = json!({ "scheme_id": sid, "org": "FJ", "name": "星级评选", "review_levels": 1,
                       "dates": { "self": { "from": "2025-12-01", "to": "2026-01-10" } } });
    let cid = call(w, &admin, post("/api/v1/stars/campaigns").json(&body), StatusCode::CREATED).await["id"].as_i64();
    let cid = cid.unwrap();
    let stage = |s: &str| post(&format!("/api/v1/stars/campaigns/{cid}/stage")).json(&json!({ "stage": s }));
    call(w, &admin, stage("self"), StatusCode::OK).await;
    let entries =
        call(w, &admin, get(&format!("/api/v1/stars/campaigns/{cid}/entries?q=FJ01-001")), StatusCode::OK).await;
    let entry = entries["items"].as_array().unwrap().iter().find(|e| e["unit_code"] == "FJ01-001").unwrap()["id"]
        .as_i64()
        .unwrap();
    let declare = put(&format!("/api/v1/stars/entries/{entry}/declaration")).json(&json!({ "target_star": 1 }));
    call(w, &b1, declare, StatusCode::OK).await;
    let scores = json!({ "scores": [{ "indicator": "PB1", "score": 80 }], "submit": true });
    call(w, &b1, put(&format!("/api/v1/stars/entries/{entry}/self")).json(&scores), StatusCode::OK).await;
    call(w, &admin, stage("review"), StatusCode::OK).await;
    let review = json!({ "level": 1, "scores": [{ "indicator": "PB1", "score": 80 }] });
    call(w, &city, put(&format!("/api/v1/stars/entries/{entry}/review")).json(&review), StatusCode::OK).await;
    call(w, &admin, stage("publicity"), StatusCode::OK).await;
    let objection = json!({ "content": "业绩数据有误", "source": "来信" });
    let o = call(
        w,
        &admin,
        post(&format!("/api/v1/stars/entries/{entry}/objections")).json(&objection),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(o["objections"][0]["raised_on"], DAY, "objection on {}", w.backend);
    let awarded = call(w, &admin, stage("award"), StatusCode::OK).await;
    let at = awarded["awarded_at"].as_i64().expect("an award time");
    let at = qizhi_core::date::moment_of_ms(at).unwrap();
    assert_eq!((qizhi_core::date::iso(at.date()), at.hour()), (DAY.to_string(), 0), "award on {}", w.backend);
    let entry = call(w, &admin, get(&format!("/api/v1/stars/entries/{entry}")), StatusCode::OK).await;
    assert_eq!((entry["entry"]["awarded"].as_bool(), entry["entry"]["star"].as_i64()), (Some(true), Some(1)));
}

/// A progress entry posted without a date is dated today, China's.
async fn task_entry(w: &World) {
    let admin = w.token("fjadmin").to_string();
    let body = json!({ "unit_id": w.id("FJ01-002"), "kind": "堵点", "name": "疏通装维预约堵点", "due_on": format!("{YEAR}-11-30") });
    let task = call(w, &admin, post("/api/v1/tasks").json(&body), StatusCode::CREATED).await;
    assert_eq!(task["year"], YEAR, "task year on {}", w.backend);
    let id = task["id"].as_i64().unwrap();
    let entry = json!({ "progress": 40, "note": "梳理堵点成因" });
    let posted = call(w, &admin, post(&format!("/api/v1/tasks/{id}/entries")).json(&entry), StatusCode::CREATED).await;
    assert_eq!(posted["entry"]["entry_on"], DAY, "task entry on {}", w.backend);
    let entries = call(w, &admin, get(&format!("/api/v1/tasks/{id}/entries")), StatusCode::OK).await;
    assert!(entries.to_string().contains(DAY), "{entries}");
}

/// A member's own page offers this year (the new one), and the branch's
/// verdict is dated the Chinese day.
async fn commitment(w: &World) {
    let m = w.login("m_member").await;
    let html = w.send(get("/my").session(&m)).await.expect(StatusCode::OK).text();
    let field = format!("name=\"year\" value=\"{YEAR}\"");
    assert!(html.contains(&field), "the commitment form offers {YEAR} on {}", w.backend);
    let year = YEAR.to_string();
    let form =
        [("csrf", m.csrf.as_str()), ("year", &year), ("text", "带头完成负责网格年度发展目标"), ("category", "work")];
    w.send(post("/my/commitments").session(&m).form(&form)).await.expect(StatusCode::SEE_OTHER);
    let mine = w.send(get("/api/v1/me/commitments").session(&m)).await.expect(StatusCode::OK).json();
    assert_eq!(mine[0]["year"], YEAR);
    let id = mine[0]["id"].as_i64().unwrap();
    let verify = post(&format!("/api/v1/commitments/{id}/verify")).json(&json!({ "result": "fulfilled" }));
    let v = call(w, w.token("b1admin"), verify, StatusCode::OK).await;
    assert_eq!(v["verification"]["on"], DAY, "verdict on {}", w.backend);
}
