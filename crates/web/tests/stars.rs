//! Star-rated evaluation over HTTP, on every backend: a campaign from scheme
//! to award through the API, with every role's denials (404 outside scope,
//! 403 inside it, both in the audit trail); a reviewed score corrected after
//! the award changing the star and the figures at once, audited; the pages
//! and their forms (CSRF, evidence upload, review, bulk review, the scheme
//! editor, the distribution chart); score spreadsheets all or nothing; every
//! stars API route served with real ids.
//!
//! Besides the common world's users, two reviewers: `cityrev` (reviewer of
//! FJ01, so level 1 for its branches) and `provrev` (reviewer of FJ, level 2
//! and level 1 of nothing below FJ01… but FJ01's branches too, as FJ is above).

mod common;

use std::sync::OnceLock;

use axum::http::StatusCode;
use common::*;
use qizhi_core::access::Role;
use qizhi_core::figures::Span;
use qizhi_store::audit::AuditQuery;
use qizhi_store::{Page, Scope, Store};
use serde_json::{Value, json};

const YEAR: i32 = 2023;
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-evidence";

async fn hash() -> String {
    static H: OnceLock<String> = OnceLock::new();
    if let Some(h) = H.get() {
        return h.clone();
    }
    let h = qizhi_app::password::hash(PASSWORD.to_string()).await.unwrap();
    H.get_or_init(|| h).clone()
}

/// A reviewer over `unit`; returns an API token (they can also sign in with [`PASSWORD`]).
async fn reviewer(w: &World, username: &str, unit: &str) -> String {
    let id = w.store.create_user(username, &format!("{unit} 审核人"), &hash().await).await.unwrap();
    w.store.add_grant(id, Role::Reviewer, Some(w.unit(unit).id)).await.unwrap();
    mint_token(&w.store, id, "tests").await
}

fn scheme_body() -> Value {
    let ind = |code: &str, name: &str, max: i64, evidence: &str| json!({ "code": code, "name": name, "max": max, "guide": "按标准评分", "evidence": evidence });
    let dim = |code: &str, name: &str, inds: Vec<Value>| json!({ "code": code, "name": name, "standard": 60, "excellent": 80, "benchmark": 90, "indicators": inds });
    let both = |l: &str| json!([{ "dimension": "PB", "level": l }, { "dimension": "BP", "level": l }]);
    json!({
        "dimensions": [
            dim("PB", "党建", vec![ind("PB1", "组织生活", 50, "会议记录"), ind("PB2", "党员队伍", 50, "")]),
            dim("BP", "业绩", vec![ind("BP1", "经营目标", 100, "")]),
        ],
        "rules": [
            { "stars": 6, "all": both("benchmark") },
            { "stars": 5, "all": both("excellent") },
            { "stars": 4, "all": both("standard") },
            { "stars": 3, "all": [{ "dimension": "PB", "level": "standard" }] },
            { "stars": 2, "all": [{ "dimension": "PB", "score": 45 }] },
            { "stars": 1, "all": [{ "dimension": "PB", "score": 30 }] },
        ],
        "vetoes": [{ "code": "V1", "name": "重大安全事故", "cap": 2 }],
        "quotas": [],
    })
}

fn scores(pb: i64, bp: i64) -> Value {
    let pb1 = pb.min(50);
    json!([
        { "indicator": "PB1", "score": pb1, "note": "会议记录 12 份" },
        { "indicator": "PB2", "score": pb - pb1 },
        { "indicator": "BP1", "score": bp },
    ])
}

/// `req` as `token`, expecting `status`, the JSON.
async fn call(w: &World, token: &str, req: Req, status: StatusCode) -> Value {
    let r = w.send(req.bearer(token)).await.expect(status);
    if r.body.is_empty() { Value::Null } else { r.json() }
}

/// A scheme of FJ for [`YEAR`] and a one-level campaign over FJ in the self
/// stage; returns (scheme id, campaign id).
async fn campaign(w: &World, levels: u8) -> (i64, i64) {
    let admin = w.token("fjadmin").to_string();
    let body =
        json!({ "org": "FJ", "name": format!("福建六星评价体系（{YEAR} 年版）"), "year": YEAR, "body": scheme_body() });
    let s = call(w, &admin, post("/api/v1/stars/schemes").json(&body), StatusCode::CREATED).await;
    let sid = s["id"].as_i64().unwrap();
    let body = json!({ "scheme_id": sid, "org": "FJ", "name": "六星评选", "review_levels": levels,
                       "dates": { "self": { "from": "2023-10-09", "to": "2023-11-10" } } });
    let c = call(w, &admin, post("/api/v1/stars/campaigns").json(&body), StatusCode::CREATED).await;
    let cid = c["id"].as_i64().unwrap();
    call(
        w,
        &admin,
        post(&format!("/api/v1/stars/campaigns/{cid}/stage")).json(&json!({ "stage": "self" })),
        StatusCode::OK,
    )
    .await;
    (sid, cid)
}

/// The entry of branch `code` in campaign `cid` (as admin).
async fn entry(w: &World, cid: i64, code: &str) -> i64 {
    let v = call(w, w.token("admin"), get(&format!("/api/v1/stars/campaigns/{cid}/entries?q={code}")), StatusCode::OK)
        .await;
    v["items"].as_array().unwrap().iter().find(|e| e["unit_code"] == code).expect("an entry")["id"].as_i64().unwrap()
}

async fn self_assess(w: &World, token: &str, id: i64, pb: i64, bp: i64) {
    call(
        w,
        token,
        put(&format!("/api/v1/stars/entries/{id}/declaration")).json(&json!({ "target_star": 5 })),
        StatusCode::OK,
    )
    .await;
    let body = json!({ "scores": scores(pb, bp), "submit": true });
    call(w, token, put(&format!("/api/v1/stars/entries/{id}/self")).json(&body), StatusCode::OK).await;
}

async fn count(w: &World, code: &str, key: &str) -> i64 {
    let r = w.api_get("admin", &format!("/api/v1/figures?org={code}&from={YEAR}")).await.expect(StatusCode::OK);
    r.json()["figures"][key].as_i64().unwrap_or_else(|| panic!("{key} is not a count"))
}

async fn rollup_exact(store: &Store) {
    assert_eq!(store.stored_rollup().await.unwrap(), store.recompute().await.unwrap(), "rollup differs from a recount");
}

async fn denied(store: &Store, kind: &str) -> i64 {
    let q =
        AuditQuery { action: Some("denied".into()), object_kind: Some(kind.into()), per_page: 1, ..Default::default() };
    store.audit_entries(&Scope::All, &q).await.unwrap().total
}

#[tokio::test]
async fn a_campaign_runs_through_the_api_with_every_role_in_its_place() {
    each_backend(|w| async move {
        let city = reviewer(&w, "cityrev", "FJ01").await;
        let (sid, cid) = campaign(&w, 1).await;
        let b1 = entry(&w, cid, "FJ01-001").await;
        let b2 = entry(&w, cid, "FJ01-002").await;
        let b1admin = w.token("b1admin").to_string();

        // Schemes: another province cannot see it; a viewer cannot issue one.
        call(&w, w.token("nmadmin"), get(&format!("/api/v1/stars/schemes/{sid}")), StatusCode::NOT_FOUND).await;
        let body = json!({ "org": "FJ", "name": "x", "year": YEAR, "body": scheme_body() });
        call(&w, w.token("viewer"), post("/api/v1/stars/schemes").json(&body), StatusCode::FORBIDDEN).await;
        call(&w, w.token("nmadmin"), post("/api/v1/stars/schemes").json(&body), StatusCode::NOT_FOUND).await;
        // The branch admin reads the scheme issued above them, and their campaign.
        call(&w, &b1admin, get(&format!("/api/v1/stars/schemes/{sid}")), StatusCode::OK).await;
        let mine = call(&w, &b1admin, get(&format!("/api/v1/stars/campaigns/{cid}/entries")), StatusCode::OK).await;
        assert_eq!(mine["total"], 1, "only their own branch");
        // Frozen once used.
        let edit = json!({ "name": "改", "year": YEAR, "body": scheme_body() });
        let r = w.send(put(&format!("/api/v1/stars/schemes/{sid}")).bearer(w.token("fjadmin")).json(&edit)).await;
        let r = r.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.error_fields(), ["scheme"]);

        // Self-assessment: the branch's admin only.
        self_assess(&w, &b1admin, b1, 95, 95).await;
        let other = json!({ "scores": scores(90, 90), "submit": true });
        call(&w, &b1admin, put(&format!("/api/v1/stars/entries/{b2}/self")).json(&other), StatusCode::NOT_FOUND).await;
        call(
            &w,
            w.token("viewer"),
            put(&format!("/api/v1/stars/entries/{b2}/self")).json(&other),
            StatusCode::FORBIDDEN,
        )
        .await;
        call(&w, &city, put(&format!("/api/v1/stars/entries/{b2}/self")).json(&other), StatusCode::FORBIDDEN).await;
        // Evidence through the API before submitting: stored with the branch, served in scope only.
        let v = call(
            &w,
            w.token("fjadmin"),
            post(&format!("/api/v1/stars/entries/{b2}/evidence"))
                .multipart(&[Part::Text("indicator", "PB1"), Part::File("file", "会议记录.png", "image/png", PNG)]),
            StatusCode::OK,
        )
        .await;
        let file = v["evidence"][0]["file_id"].as_i64().expect("the evidence is listed");
        assert_eq!(v["evidence"][0]["indicator"], "PB1");
        w.send(get(&format!("/files/{file}")).bearer(&city)).await.expect(StatusCode::OK);
        w.send(get(&format!("/files/{file}")).bearer(w.token("nmadmin"))).await.expect(StatusCode::NOT_FOUND);
        let bad = w
            .send(post(&format!("/api/v1/stars/entries/{b2}/evidence")).bearer(w.token("fjadmin")).multipart(&[
                Part::Text("indicator", "PB1"),
                Part::File("file", "x.html", "text/html", b"<script>alert(1)</script>"),
            ]))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.error_fields(), ["file"]);
        self_assess(&w, w.token("fjadmin"), b2, 85, 82).await;
        // Evidence upload, then served to whoever reads the branch.
        let ev = w
            .send(
                post(&format!("/api/v1/stars/entries/{b1}/evidence"))
                    .bearer(&b1admin)
                    .multipart(&[Part::Text("indicator", "PB1"), Part::File("file", "会议记录.png", "image/png", PNG)]),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(ev.json()["error"]["message"].as_str().unwrap().contains("自评"), "submitted: no more uploads");

        // Review: not before the stage; then the city's reviewer; nobody reviews their own branch.
        let review = json!({ "level": 1, "scores": [{ "indicator": "PB1", "score": 39 }], "comment": "党建略低" });
        let r = w.send(put(&format!("/api/v1/stars/entries/{b1}/review")).bearer(&city).json(&review)).await;
        assert_eq!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).error_fields(), ["stage"]);
        call(
            &w,
            w.token("fjadmin"),
            post(&format!("/api/v1/stars/campaigns/{cid}/stage")).json(&json!({ "stage": "review" })),
            StatusCode::OK,
        )
        .await;
        call(&w, &b1admin, put(&format!("/api/v1/stars/entries/{b1}/review")).json(&review), StatusCode::FORBIDDEN)
            .await;
        call(
            &w,
            w.token("fjadmin"),
            put(&format!("/api/v1/stars/entries/{b1}/review")).json(&review),
            StatusCode::FORBIDDEN,
        )
        .await;
        let q = call(&w, &city, get("/api/v1/stars/queue"), StatusCode::OK).await;
        assert_eq!(q.as_array().unwrap().len(), 2);
        let v = call(&w, &city, put(&format!("/api/v1/stars/entries/{b1}/review")).json(&review), StatusCode::OK).await;
        assert_eq!(v["entry"]["star"], 5, "89 / 95: both excellent");
        assert!(
            v["outcome"]["explanation_zh"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l.as_str().unwrap().contains("适用第 2 条规则"))
        );
        call(
            &w,
            &city,
            post("/api/v1/stars/queue").json(&json!({ "ids": [b2], "level": 1, "action": "accept" })),
            StatusCode::OK,
        )
        .await;
        assert!(call(&w, &city, get("/api/v1/stars/queue"), StatusCode::OK).await.as_array().unwrap().is_empty());

        // Publicity: objections recorded and answered; then the award.
        let stage = |s: &str| post(&format!("/api/v1/stars/campaigns/{cid}/stage")).json(&json!({ "stage": s }));
        call(&w, &city, stage("publicity"), StatusCode::FORBIDDEN).await;
        call(&w, w.token("fjadmin"), stage("publicity"), StatusCode::OK).await;
        let o = call(
            &w,
            w.token("fjadmin"),
            post(&format!("/api/v1/stars/entries/{b2}/objections"))
                .json(&json!({ "content": "业绩数据有误", "source": "来信" })),
            StatusCode::CREATED,
        )
        .await;
        let oid = o["objections"][0]["id"].as_i64().unwrap();
        call(
            &w,
            &b1admin,
            post(&format!("/api/v1/stars/objections/{oid}/answer")).json(&json!({ "answer": "x" })),
            StatusCode::NOT_FOUND,
        )
        .await;
        call(
            &w,
            &city,
            post(&format!("/api/v1/stars/objections/{oid}/answer")).json(&json!({ "answer": "经核实无误" })),
            StatusCode::OK,
        )
        .await;
        assert_eq!(count(&w, "FJ", "stars.evaluated").await, 0, "nothing counts before the award");
        call(&w, w.token("fjadmin"), stage("award"), StatusCode::OK).await;
        assert_eq!(count(&w, "FJ", "stars.evaluated").await, 2);
        assert_eq!(count(&w, "FJ", "stars.exact.5").await, 2);
        assert_eq!(count(&w, "CU", "stars.at_least.4").await, 2);
        assert_eq!(count(&w, "NM", "stars.evaluated").await, 0);
        rollup_exact(&w.store).await;

        // A reviewed score corrected after the award: star and figures at once, audited.
        let fix = json!({ "level": 1, "scores": [{ "indicator": "PB1", "score": 50 }] });
        let r = w.send(put(&format!("/api/v1/stars/entries/{b1}/review")).bearer(&city).json(&fix)).await;
        assert_eq!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).error_fields(), ["comment"], "a correction needs a note");
        let fix = json!({ "level": 1, "scores": [{ "indicator": "PB1", "score": 50 }], "comment": "复核更正" });
        let v = call(&w, &city, put(&format!("/api/v1/stars/entries/{b1}/review")).json(&fix), StatusCode::OK).await;
        assert_eq!(v["entry"]["star"], 6);
        assert_eq!(count(&w, "FJ", "stars.exact.6").await, 1);
        assert_eq!(count(&w, "FJ", "stars.exact.5").await, 1);
        let q = AuditQuery { action: Some("correct".into()), per_page: 5, ..Default::default() };
        let Page { items: log, .. } = w.store.audit_entries(&Scope::All, &q).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].username, "cityrev");
        assert!(
            log[0].before.as_deref().unwrap().contains("\"star\":5")
                && log[0].after.as_deref().unwrap().contains("\"star\":6")
        );

        // Withdrawal: the parent's reviewer only; the branch then counts as no star.
        let w_body = json!({ "reason": "发生违规问题" });
        call(
            &w,
            w.token("fjadmin"),
            post(&format!("/api/v1/stars/entries/{b2}/withdraw")).json(&w_body),
            StatusCode::FORBIDDEN,
        )
        .await;
        call(&w, &city, post(&format!("/api/v1/stars/entries/{b2}/withdraw")).json(&w_body), StatusCode::OK).await;
        assert_eq!((count(&w, "FJ", "stars.evaluated").await, count(&w, "FJ", "stars.exact.0").await), (2, 1));
        rollup_exact(&w.store).await;

        // The distribution and the branch list agree with the figures.
        let d = call(
            &w,
            w.token("viewer"),
            get(&format!("/api/v1/stars/distribution?org=FJ&from={}&to={YEAR}", YEAR - 1)),
            StatusCode::OK,
        )
        .await;
        assert_eq!(d["years"].as_array().unwrap().len(), 2);
        assert_eq!(d["years"][1]["exact"][6], 1);
        assert_eq!(d["span"]["at_least_rate"][6], 0.5);
        let b = call(
            &w,
            w.token("viewer"),
            get(&format!("/api/v1/stars/branches?org=FJ&from={YEAR}&star=6")),
            StatusCode::OK,
        )
        .await;
        assert_eq!(b["total"], 1);
        assert_eq!(b["items"][0]["unit_code"], "FJ01-001");
        call(
            &w,
            w.token("nmadmin"),
            get(&format!("/api/v1/stars/distribution?org=FJ&from={YEAR}")),
            StatusCode::NOT_FOUND,
        )
        .await;
        let mine =
            call(&w, &b1admin, get(&format!("/api/v1/stars/branches?org=FJ01-001&from={YEAR}")), StatusCode::OK).await;
        assert_eq!(mine["total"], 1);

        // Denials were recorded.
        assert!(denied(&w.store, "star_entry").await >= 4);
        assert!(denied(&w.store, "star_scheme").await >= 1);
    })
    .await;
}

#[tokio::test]
async fn two_levels_and_the_province_reviewer() {
    each_backend(|w| async move {
        let city = reviewer(&w, "cityrev", "FJ01").await;
        let prov = reviewer(&w, "provrev", "FJ").await;
        let (_, cid) = campaign(&w, 2).await;
        let b1 = entry(&w, cid, "FJ01-001").await;
        self_assess(&w, w.token("b1admin"), b1, 92, 92).await;
        let stage = |s: &str| post(&format!("/api/v1/stars/campaigns/{cid}/stage")).json(&json!({ "stage": s }));
        call(&w, w.token("fjadmin"), stage("review"), StatusCode::OK).await;
        let l2 = json!({ "level": 2 });
        call(&w, &city, put(&format!("/api/v1/stars/entries/{b1}/review")).json(&l2), StatusCode::FORBIDDEN).await;
        let r = w.send(put(&format!("/api/v1/stars/entries/{b1}/review")).bearer(&prov).json(&l2)).await;
        assert_eq!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).error_fields(), ["stage"], "level 1 first");
        call(
            &w,
            &city,
            put(&format!("/api/v1/stars/entries/{b1}/review")).json(&json!({ "level": 1 })),
            StatusCode::OK,
        )
        .await;
        let q = call(&w, &prov, get(&format!("/api/v1/stars/queue?campaign={cid}")), StatusCode::OK).await;
        assert_eq!(q.as_array().unwrap().iter().filter(|i| i["level"] == 2).count(), 1);
        let v = call(
            &w,
            &prov,
            put(&format!("/api/v1/stars/entries/{b1}/review"))
                .json(&json!({ "level": 2, "scores": [{ "indicator": "BP1", "score": 85 }], "vetoes": ["V1"] })),
            StatusCode::OK,
        )
        .await;
        assert_eq!(v["entry"]["status"], "reviewed2");
        assert_eq!((v["outcome"]["rule_stars"].as_i64(), v["entry"]["star"].as_i64()), (Some(5), Some(2)), "vetoed");
        let unknown = json!({ "level": 2, "vetoes": ["V9"] });
        let r = w.send(put(&format!("/api/v1/stars/entries/{b1}/review")).bearer(&prov).json(&unknown)).await;
        assert_eq!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).error_fields(), ["vetoes"]);
    })
    .await;
}

/// A signed-in browser's form post with the session's CSRF token.
fn form(s: &Session, uri: &str, pairs: &[(&str, &str)]) -> Req {
    let mut all: Vec<(&str, &str)> = vec![("csrf", s.csrf.as_str())];
    all.extend_from_slice(pairs);
    post(uri).session(s).form(&all)
}

async fn page(w: &World, s: &Session, uri: &str) -> String {
    w.send(get(uri).session(s)).await.expect(StatusCode::OK).text()
}

#[tokio::test]
async fn the_pages_take_a_branch_from_self_assessment_to_an_awarded_star() {
    each_backend(|w| async move {
        reviewer(&w, "cityrev", "FJ01").await;
        let (sid, cid) = campaign(&w, 1).await;
        let b1 = entry(&w, cid, "FJ01-001").await;

        // The branch's secretary: declare, save a draft with evidence, submit.
        let s = w.login("b1admin").await;
        // The province's campaign: its breadcrumb does not link to the province's overview, which is not theirs.
        let html = page(&w, &s, &format!("/stars/campaigns/{cid}")).await;
        assert!(!html.contains(&format!("href=\"/stars?unit={}\"", w.id("FJ"))), "a link the branch cannot open");
        // Their next step is the page's first action: their own entry.
        let next = format!(r#"<a class="btn btn-primary" href="/stars/entries/{b1}" data-action="next-step">填写自评"#);
        assert!(html.contains(&next), "{html}");
        let html = page(&w, &w.login("fjadmin").await, &format!("/stars/campaigns/{cid}")).await;
        assert!(html.contains(&format!("href=\"/stars?unit={}\"", w.id("FJ"))), "the province's admin can");
        assert!(!html.contains("data-action=\"next-step\""), "the province has no one entry of its own to fill in");
        let html = page(&w, &s, &format!("/stars/entries/{b1}")).await;
        assert!(
            html.contains(r#"action="/stars/entries/"#) && html.contains("/self\" enctype=\"multipart/form-data\"")
        );
        assert!(html.contains("未申报目标星级"), "a reminder of what is missing");
        w.send(form(&s, &format!("/stars/entries/{b1}/declare"), &[("target_star", "5"), ("plan", "争创五星")]))
            .await
            .expect(StatusCode::SEE_OTHER);
        // Without the CSRF token: refused.
        w.send(post(&format!("/stars/entries/{b1}/declare")).session(&s).form(&[("target_star", "4")]))
            .await
            .expect(StatusCode::FORBIDDEN);
        let mut parts = vec![Part::Text("csrf", &s.csrf), Part::Text("action", "save")];
        parts.extend([
            Part::Text("score.PB1", "48"),
            Part::Text("note.PB1", "会议记录 12 份"),
            Part::Text("score.PB2", "45"),
        ]);
        parts.push(Part::File("file.PB1", "会议记录.png", "image/png", PNG));
        let r = w.send(post(&format!("/stars/entries/{b1}/self")).session(&s).multipart(&parts)).await;
        assert_eq!(
            r.expect(StatusCode::SEE_OTHER).location(),
            Some(format!("/stars/entries/{b1}?flash=stars.saved").as_str())
        );
        let html = page(&w, &s, &format!("/stars/entries/{b1}?flash=stars.saved")).await;
        assert!(html.contains("已保存") && html.contains("会议记录.png") && html.contains("1 项指标未自评：BP1"));
        // Submitting with an indicator missing: 422, the page names it.
        let parts = [Part::Text("csrf", &s.csrf), Part::Text("action", "submit")];
        let r = w.send(post(&format!("/stars/entries/{b1}/self")).session(&s).multipart(&parts)).await;
        assert!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).text().contains("经营目标 未评分"));
        let parts = [Part::Text("csrf", &s.csrf), Part::Text("action", "submit"), Part::Text("score.BP1", "x")];
        let r = w.send(post(&format!("/stars/entries/{b1}/self")).session(&s).multipart(&parts)).await;
        assert!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).text().contains("不是有效的分数"));
        let parts = [Part::Text("csrf", &s.csrf), Part::Text("action", "submit"), Part::Text("score.BP1", "92")];
        w.send(post(&format!("/stars/entries/{b1}/self")).session(&s).multipart(&parts))
            .await
            .expect(StatusCode::SEE_OTHER);
        let html = page(&w, &s, &format!("/stars/campaigns/{cid}")).await;
        assert!(!html.contains("data-action=\"next-step\""), "submitted: nothing waits for the branch");
        // The other branch's page is out of the secretary's sight.
        let b2 = entry(&w, cid, "FJ01-002").await;
        w.send(get(&format!("/stars/entries/{b2}")).session(&s)).await.expect(StatusCode::NOT_FOUND);

        // The province's admin moves the campaign on; the city's reviewer reviews.
        let admin = w.login("fjadmin").await;
        let html = page(&w, &admin, &format!("/stars/campaigns/{cid}")).await;
        assert!(html.contains("data-action=\"stage-review\"") && html.contains("data-table=\"entries\""));
        w.send(form(&admin, &format!("/stars/campaigns/{cid}/stage"), &[("to", "review")]))
            .await
            .expect(StatusCode::SEE_OTHER);
        let rev = w.login("cityrev").await;
        let html = page(&w, &rev, "/stars/queue").await;
        assert!(html.contains(&format!(r#"name="ids" value="{b1}""#)));
        let html = page(&w, &rev, &format!("/stars/entries/{b1}")).await;
        assert!(
            html.contains(r#"name="level" value="1""#) && html.contains(r#"name="score.PB1" value="48""#),
            "starts from the self scores"
        );
        let r = w
            .send(form(
                &rev,
                &format!("/stars/entries/{b1}/review"),
                &[("level", "1"), ("score.PB1", "40"), ("comment", "核减")],
            ))
            .await;
        r.expect(StatusCode::SEE_OTHER);
        // A branch admin cannot review (403, recorded).
        w.send(form(&s, &format!("/stars/entries/{b1}/review"), &[("level", "1")])).await.expect(StatusCode::FORBIDDEN);

        // Publicity, objection, award.
        w.send(form(&admin, &format!("/stars/campaigns/{cid}/stage"), &[("to", "publicity")]))
            .await
            .expect(StatusCode::SEE_OTHER);
        w.send(form(&rev, &format!("/stars/entries/{b1}/objections"), &[("content", "请复核组织生活得分")]))
            .await
            .expect(StatusCode::SEE_OTHER);
        w.send(form(&admin, &format!("/stars/campaigns/{cid}/stage"), &[("to", "award")]))
            .await
            .expect(StatusCode::SEE_OTHER);
        let html = page(&w, &s, &format!("/stars/entries/{b1}")).await;
        assert!(html.contains("data-star=\"5\"") && html.contains("已命名"), "85 / 92: five stars");
        assert!(html.contains("适用第 2 条规则"), "the explanation");
        assert_eq!(count(&w, "FJ", "stars.exact.5").await, 1);

        // The correction from the page: the star and the figures at once.
        let r = w
            .send(form(
                &rev,
                &format!("/stars/entries/{b1}/review"),
                &[("level", "1"), ("score.PB1", "50"), ("comment", "复核后更正")],
            ))
            .await;
        r.expect(StatusCode::SEE_OTHER);
        assert_eq!(count(&w, "FJ", "stars.exact.6").await, 1);
        let html = page(&w, &rev, &format!("/stars/entries/{b1}")).await;
        assert!(
            html.contains("data-star=\"6\"") && html.contains("更正评分") && html.contains("复核后更正"),
            "history shows it"
        );

        // The distribution page: charts and tables, drill-down to the branch.
        let html = page(&w, &admin, &format!("/stars?unit={}&from={YEAR}&to={YEAR}", w.id("FJ"))).await;
        assert!(html.contains("data-chart=") && html.contains("data-table=\"stars-exact\""));
        assert!(html.contains(r#"data-figure="stars.at_least_rate.6""#));
        let html = page(&w, &admin, &format!("/stars/branches?unit={}&from={YEAR}&to={YEAR}&star=6", w.id("FJ"))).await;
        assert!(html.contains(&format!("/stars/entries/{b1}")));
        // Scheme pages: frozen view, copy, the editor.
        let html = page(&w, &admin, &format!("/stars/schemes/{sid}")).await;
        assert!(html.contains("已冻结") && !html.contains("name=\"ind.0.code\""));
        let r = w.send(form(&admin, &format!("/stars/schemes/{sid}/copy"), &[("year", "2024")])).await;
        let to = r.expect(StatusCode::SEE_OTHER).location().unwrap().to_string();
        let html = page(&w, &admin, &to).await;
        assert!(html.contains("name=\"ind.0.code\" value=\"PB1\"") && html.contains("2024"));
        let copy = to.trim_start_matches("/stars/schemes/").split('?').next().unwrap().to_string();
        let bad = [
            ("name", "新版"),
            ("year", "2024"),
            ("dim.0.code", "PB"),
            ("dim.0.name", "党建"),
            ("dim.0.standard", "60"),
            ("dim.0.excellent", "50"),
            ("dim.0.benchmark", "90"),
            ("ind.0.dimension", "PB"),
            ("ind.0.code", "PB1"),
            ("ind.0.name", "组织生活"),
            ("ind.0.max", "100"),
            ("rule.0.stars", "3"),
            ("rule.0.d0", "达标"),
        ];
        let r = w
            .send(form(&admin, &format!("/stars/schemes/{copy}"), &bad))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("维度 1 · 优秀线"), "{}", r.snippet());
        let mut good = bad.to_vec();
        good[5] = ("dim.0.excellent", "80");
        w.send(form(&admin, &format!("/stars/schemes/{copy}"), &good)).await.expect(StatusCode::SEE_OTHER);
        let s2 = w.store.scheme(copy.parse().unwrap()).await.unwrap();
        assert_eq!((s2.body.dimensions.len(), s2.body.rules.len()), (1, 1));
        // A new scheme for NM is not Fujian's admin's to issue.
        w.send(get(&format!("/stars/schemes/new?unit={}", w.id("NM"))).session(&admin))
            .await
            .expect(StatusCode::NOT_FOUND);
        rollup_exact(&w.store).await;
    })
    .await;
}

#[tokio::test]
async fn score_sheets_write_every_row_or_none() {
    each_backend(|w| async move {
        let (_, cid) = campaign(&w, 1).await;
        for code in ["FJ01-001", "FJ01-002"] {
            let id = entry(&w, cid, code).await;
            call(
                &w,
                w.token("fjadmin"),
                put(&format!("/api/v1/stars/entries/{id}/declaration")).json(&json!({ "target_star": 4 })),
                StatusCode::OK,
            )
            .await;
        }
        let s = w.login("fjadmin").await;
        let t = w
            .send(get(&format!("/stars/campaigns/{cid}/sheets/template.csv")).session(&s))
            .await
            .expect(StatusCode::OK);
        let header = t.text().trim_start_matches('\u{feff}').lines().next().unwrap().to_string();
        assert!(header.starts_with("组织编码*,组织名称,PB1 组织生活（满分 50）"), "{header}");
        let upload = |csv: String| {
            let parts = vec![Part::Text("csrf", &s.csrf), Part::Text("stage", "self")];
            let bytes = csv.into_bytes();
            (parts, bytes)
        };
        // Cells first: a score above its max.
        let bad = "组织编码,PB1,PB2,BP1\nFJ01-001,40,40,70\nFJ01-002,51,40,70\n".to_string();
        let (mut parts, bytes) = upload(bad);
        parts.push(Part::File("file", "scores.csv", "text/csv", &bytes));
        let r = w.send(post(&format!("/stars/campaigns/{cid}/scores")).session(&s).multipart(&parts)).await;
        let html = r.expect(StatusCode::UNPROCESSABLE_ENTITY).text();
        assert!(html.contains("第 3 行 B 列（PB1 组织生活（满分 50））：得分 51 超出范围"), "the cell is named");
        // Then the campaign: a unit outside it, a missing score.
        let bad = "组织编码,PB1,PB2,BP1\nNM-001,1,1,1\nFJ01-002,50,40,\n".to_string();
        let (mut parts, bytes) = upload(bad);
        parts.push(Part::File("file", "scores.csv", "text/csv", &bytes));
        let r = w.send(post(&format!("/stars/campaigns/{cid}/scores")).session(&s).multipart(&parts)).await;
        let html = r.expect(StatusCode::UNPROCESSABLE_ENTITY).text();
        for want in ["第 2 行 A 列（组织编码）", "第 3 行 D 列（BP1 经营目标（满分 100））"] {
            assert!(html.contains(want), "{want} not in the report");
        }
        let stats = w.store.campaign_stats(cid, &Scope::All).await.unwrap();
        assert_eq!(stats.status(qizhi_core::stars::EntryStatus::Submitted), 0, "nothing written");
        let good = "组织编码,PB1,PB2,BP1\nFJ01-001,40,40,70\nFJ01-002,50,40,85\n".to_string();
        let (mut parts, bytes) = upload(good);
        parts.push(Part::File("file", "scores.csv", "text/csv", &bytes));
        let r = w.send(post(&format!("/stars/campaigns/{cid}/scores")).session(&s).multipart(&parts)).await;
        assert!(r.expect(StatusCode::OK).text().contains("已导入 2 个党支部的评分"));
        let e =
            w.send(get(&format!("/stars/campaigns/{cid}/sheets/self.csv")).session(&s)).await.expect(StatusCode::OK);
        assert!(e.text().contains("FJ01-002,福州网络运维党支部,50,40,85"), "{}", e.text());
        // The export imported back changes nothing; a changed submitted row is refused.
        let again = e.body.clone();
        let parts = vec![
            Part::Text("csrf", &s.csrf),
            Part::Text("stage", "self"),
            Part::File("file", "self.csv", "text/csv", &again),
        ];
        let r = w.send(post(&format!("/stars/campaigns/{cid}/scores")).session(&s).multipart(&parts)).await;
        assert!(r.expect(StatusCode::OK).text().contains("已导入 0 个党支部的评分"));
        let changed = e
            .text()
            .replace("FJ01-002,福州网络运维党支部,50,40,85", "FJ01-002,福州网络运维党支部,50,40,86")
            .into_bytes();
        let parts = vec![
            Part::Text("csrf", &s.csrf),
            Part::Text("stage", "self"),
            Part::File("file", "self.csv", "text/csv", &changed),
        ];
        let r = w.send(post(&format!("/stars/campaigns/{cid}/scores")).session(&s).multipart(&parts)).await;
        assert!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).text().contains("自评已提交"));
        // The branch admin of FJ01-001 may not import FJ01-002's row.
        let b = w.login("b1admin").await;
        let parts = vec![
            Part::Text("csrf", &b.csrf),
            Part::Text("stage", "self"),
            Part::File("file", "s.csv", "text/csv", "组织编码,PB1,PB2,BP1\nFJ01-002,1,1,1\n".as_bytes()),
        ];
        let r = w.send(post(&format!("/stars/campaigns/{cid}/scores")).session(&b).multipart(&parts)).await;
        assert!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).text().contains("无权为"));
        let _ = Span { from: YEAR, to: YEAR };
    })
    .await;
}

#[tokio::test]
async fn every_stars_route_is_served_with_real_ids() {
    each_backend(|w| async move {
        let (sid, cid) = campaign(&w, 1).await;
        let eid = entry(&w, cid, "FJ01-001").await;
        let admin = w.token("admin").to_string();
        let routes: Vec<(String, String)> = qizhi_web::routes::all()
            .iter()
            .filter(|r| r.path.starts_with("/api/v1/stars/") || r.path.starts_with("/stars"))
            .map(|r| (r.path.to_string(), r.method.as_str().to_string()))
            .collect();
        assert!(routes.len() > 40, "{routes:?}");
        for (path, method) in routes {
            let uri = path
                .replace("/schemes/{id}", &format!("/schemes/{sid}"))
                .replace("/campaigns/{id}", &format!("/campaigns/{cid}"))
                .replace("/entries/{id}", &format!("/entries/{eid}"))
                .replace("/objections/{id}", "/objections/999999")
                .replace("{file}", "template.csv");
            let uri = match uri.as_str() {
                "/api/v1/stars/distribution" | "/api/v1/stars/branches" => format!("{uri}?org=FJ"),
                "/stars/schemes/new" => format!("{uri}?unit={}", w.id("FJ")),
                _ => uri,
            };
            let req = match method.as_str() {
                "GET" => get(&uri),
                "PUT" => put(&uri).json(&json!({})),
                _ => post(&uri).json(&json!({})),
            };
            let r = w.send(req.bearer(&admin)).await;
            let router_404 = r.status == StatusCode::NOT_FOUND && !r.text().contains("未找到");
            assert!(
                !router_404 && r.status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {uri} is in the route table but not served: {} {}",
                r.status,
                r.snippet()
            );
            if method == "GET" {
                assert!(r.status.is_success(), "{method} {uri}: {} {}", r.status, r.snippet());
            }
        }
    })
    .await;
}

/// A request to send as several callers.
struct Call {
    method: &'static str,
    uri: String,
    json: Option<Value>,
    form: Option<Vec<(String, String)>>,
    multipart: bool,
}

impl Call {
    fn build(&self, token: &str) -> Req {
        let req = match self.method {
            "GET" => get(&self.uri),
            "PUT" => put(&self.uri),
            _ => post(&self.uri),
        };
        let req = if let Some(j) = &self.json {
            req.json(j)
        } else if let Some(f) = &self.form {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            req.form(&pairs)
        } else if self.multipart {
            req.multipart(&[
                Part::Text("stage", "self"),
                Part::Text("indicator", "PB1"),
                Part::File("file", "a.csv", "text/csv", b"x"),
            ])
        } else {
            req
        };
        req.bearer(token)
    }
}

fn g(uri: impl Into<String>) -> Call {
    Call { method: "GET", uri: uri.into(), json: None, form: None, multipart: false }
}

fn pj(uri: impl Into<String>, json: &Value) -> Call {
    Call { method: "POST", json: Some(json.clone()), ..g(uri) }
}

fn uj(uri: impl Into<String>, json: &Value) -> Call {
    Call { method: "PUT", json: Some(json.clone()), ..g(uri) }
}

fn pf(uri: impl Into<String>, pairs: &[(&str, &str)]) -> Call {
    Call { method: "POST", form: Some(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()), ..g(uri) }
}

fn pm(uri: impl Into<String>) -> Call {
    Call { method: "POST", multipart: true, ..g(uri) }
}

/// Every stars write (and the reads of objects) refused for callers without
/// the right: 404 outside their scope, 403 inside it; each refusal recorded,
/// nothing changed.
#[tokio::test]
async fn every_stars_route_refuses_the_wrong_callers() {
    each_backend(|w| async move {
        reviewer(&w, "cityrev", "FJ01").await;
        let city = w.store.user_by_username("cityrev").await.unwrap().unwrap();
        let city = mint_token(&w.store, city.id, "matrix").await;
        let (sid, cid) = campaign(&w, 1).await;
        let eid = entry(&w, cid, "FJ01-001").await;
        self_assess(&w, w.token("b1admin"), eid, 70, 70).await;
        call(
            &w,
            w.token("fjadmin"),
            post(&format!("/api/v1/stars/campaigns/{cid}/stage")).json(&json!({ "stage": "review" })),
            StatusCode::OK,
        )
        .await;
        let before = w.store.entry_detail(eid).await.unwrap();
        let (fj, nm) = (w.id("FJ"), w.id("NM"));
        let scheme = json!({ "org": "FJ", "name": "x", "year": YEAR, "body": scheme_body() });
        let camp = json!({ "scheme_id": sid, "org": "FJ", "name": "x", "review_levels": 1 });
        // (request, [(caller, expected)])
        type Case = (Call, Vec<(&'static str, StatusCode)>);
        let nf = StatusCode::NOT_FOUND;
        let fb = StatusCode::FORBIDDEN;
        let cases: Vec<Case> = vec![
            (pj("/api/v1/stars/schemes", &scheme), vec![("nmadmin", nf), ("viewer", fb)]),
            (
                uj(format!("/api/v1/stars/schemes/{sid}"), &scheme),
                vec![("nmadmin", nf), ("b1admin", fb), ("viewer", fb)],
            ),
            (
                pj(format!("/api/v1/stars/schemes/{sid}/copy"), &json!({ "year": 2030 })),
                vec![("nmadmin", nf), ("b1admin", fb)],
            ),
            (pj("/api/v1/stars/campaigns", &camp), vec![("nmadmin", nf), ("viewer", fb), ("b1admin", fb)]),
            (
                uj(format!("/api/v1/stars/campaigns/{cid}"), &camp),
                vec![("nmadmin", nf), ("b1admin", fb), ("cityrev", fb)],
            ),
            (
                pj(format!("/api/v1/stars/campaigns/{cid}/stage"), &json!({ "stage": "publicity" })),
                vec![("nmadmin", nf), ("viewer", fb), ("cityrev", fb)],
            ),
            (g(format!("/api/v1/stars/campaigns/{cid}")), vec![("nmadmin", nf)]),
            (g(format!("/api/v1/stars/campaigns/{cid}/entries")), vec![("nmadmin", nf)]),
            (g(format!("/api/v1/stars/schemes/{sid}")), vec![("nmadmin", nf)]),
            (g(format!("/api/v1/stars/entries/{eid}")), vec![("nmadmin", nf)]),
            (
                uj(format!("/api/v1/stars/entries/{eid}/declaration"), &json!({ "target_star": 6 })),
                vec![("nmadmin", nf), ("viewer", fb), ("cityrev", fb)],
            ),
            (
                uj(format!("/api/v1/stars/entries/{eid}/self"), &json!({ "scores": [] })),
                vec![("nmadmin", nf), ("viewer", fb), ("cityrev", fb)],
            ),
            (
                pm(format!("/api/v1/stars/entries/{eid}/evidence")),
                vec![("nmadmin", nf), ("viewer", fb), ("cityrev", fb)],
            ),
            (
                uj(format!("/api/v1/stars/entries/{eid}/review"), &json!({ "level": 1 })),
                vec![("nmadmin", nf), ("b1admin", fb), ("fjadmin", fb), ("viewer", fb)],
            ),
            (
                pj(format!("/api/v1/stars/entries/{eid}/return"), &json!({ "comment": "x" })),
                vec![("b1admin", fb), ("fjadmin", fb)],
            ),
            (
                pj(format!("/api/v1/stars/entries/{eid}/withdraw"), &json!({ "reason": "x" })),
                vec![("b1admin", fb), ("fjadmin", fb)],
            ),
            (
                pj(format!("/api/v1/stars/entries/{eid}/objections"), &json!({ "content": "x" })),
                vec![("nmadmin", nf), ("b1admin", fb), ("viewer", fb)],
            ),
            (
                pj("/api/v1/stars/queue", &json!({ "ids": [eid], "level": 1, "action": "accept" })),
                vec![("nmadmin", nf), ("b1admin", fb), ("fjadmin", fb)],
            ),
            (g("/api/v1/stars/distribution?org=FJ"), vec![("nmadmin", nf), ("b1admin", nf)]),
            (g("/api/v1/stars/branches?org=FJ"), vec![("nmadmin", nf)]),
            (g(format!("/stars?unit={fj}")), vec![("nmadmin", nf), ("b1admin", nf)]),
            (g(format!("/stars/branches?unit={fj}")), vec![("nmadmin", nf)]),
            (g(format!("/stars/schemes/new?unit={fj}")), vec![("b1admin", nf), ("viewer", fb), ("cityrev", nf)]),
            (g(format!("/stars/schemes/new?unit={nm}")), vec![("fjadmin", nf)]),
            (g(format!("/stars/schemes/{sid}")), vec![("nmadmin", nf)]),
            (pf(format!("/stars/schemes/{sid}"), &[("name", "x")]), vec![("nmadmin", nf), ("b1admin", fb)]),
            (pf(format!("/stars/schemes/{sid}/copy"), &[("year", "2030")]), vec![("nmadmin", nf), ("b1admin", fb)]),
            (pf("/stars/schemes", &[("unit", &fj.to_string())]), vec![("nmadmin", nf), ("viewer", fb)]),
            (
                pf("/stars/campaigns", &[("scheme_id", &sid.to_string()), ("unit_id", &fj.to_string())]),
                vec![("nmadmin", nf), ("viewer", fb)],
            ),
            (g(format!("/stars/campaigns/{cid}")), vec![("nmadmin", nf)]),
            (
                pf(format!("/stars/campaigns/{cid}"), &[("name", "x")]),
                vec![("nmadmin", nf), ("b1admin", fb), ("cityrev", fb)],
            ),
            (
                pf(format!("/stars/campaigns/{cid}/stage"), &[("to", "publicity")]),
                vec![("nmadmin", nf), ("cityrev", fb), ("viewer", fb)],
            ),
            (g(format!("/stars/campaigns/{cid}/sheets/self.csv")), vec![("nmadmin", nf)]),
            (pm(format!("/stars/campaigns/{cid}/scores")), vec![("nmadmin", nf)]),
            (g(format!("/stars/entries/{eid}")), vec![("nmadmin", nf)]),
            (
                pf(format!("/stars/entries/{eid}/declare"), &[("target_star", "6")]),
                vec![("nmadmin", nf), ("viewer", fb), ("cityrev", fb)],
            ),
            (pm(format!("/stars/entries/{eid}/self")), vec![("nmadmin", nf), ("viewer", fb), ("cityrev", fb)]),
            (
                pf(format!("/stars/entries/{eid}/review"), &[("level", "1")]),
                vec![("nmadmin", nf), ("b1admin", fb), ("fjadmin", fb)],
            ),
            (pf(format!("/stars/entries/{eid}/return"), &[("comment", "x")]), vec![("b1admin", fb), ("viewer", fb)]),
            (
                pf(format!("/stars/entries/{eid}/objections"), &[("content", "x")]),
                vec![("b1admin", fb), ("viewer", fb)],
            ),
            (pf(format!("/stars/entries/{eid}/withdraw"), &[("reason", "x")]), vec![("b1admin", fb), ("fjadmin", fb)]),
            (
                pf("/stars/queue", &[("level", "1"), ("ids", &eid.to_string()), ("action", "accept")]),
                vec![("nmadmin", nf), ("b1admin", fb), ("fjadmin", fb)],
            ),
        ];
        let token = |who: &str| if who == "cityrev" { city.clone() } else { w.token(who).to_string() };
        let denials = || async {
            w.store
                .audit_entries(
                    &Scope::All,
                    &AuditQuery { action: Some("denied".into()), per_page: 1, ..Default::default() },
                )
                .await
                .unwrap()
                .total
        };
        let mut problems = vec![];
        for (req, callers) in cases {
            for (who, expected) in callers {
                let before_denials = denials().await;
                let r = w.send(req.build(&token(who))).await;
                if r.status != expected {
                    problems.push(format!("{who}: {} answered {} (expected {expected})", r.what, r.status));
                } else if denials().await <= before_denials {
                    problems.push(format!("{who}: {} refused but not recorded", r.what));
                }
            }
        }
        assert!(problems.is_empty(), "[{}]\n{}", w.backend, problems.join("\n"));
        let after = w.store.entry_detail(eid).await.unwrap();
        assert_eq!(
            (after.entry.status, after.entry.star, after.scores.len()),
            (before.entry.status, before.entry.star, before.scores.len())
        );
        assert_eq!(w.store.schemes(&Scope::All, &[]).await.unwrap().len(), 1, "no scheme was added");
        // A cookie session's API write without the CSRF header is refused too.
        let s = w.login("fjadmin").await;
        let r = w
            .send(
                post(&format!("/api/v1/stars/campaigns/{cid}/stage"))
                    .session(&s)
                    .json(&json!({ "stage": "publicity" })),
            )
            .await;
        r.expect(StatusCode::FORBIDDEN);
    })
    .await;
}

async fn upload(w: &World, cid: i64, s: &Session, stage: &str, bytes: Vec<u8>) -> Resp {
    let parts =
        [Part::Text("csrf", &s.csrf), Part::Text("stage", stage), Part::File("file", "scores.csv", "text/csv", &bytes)];
    w.send(post(&format!("/stars/campaigns/{cid}/scores")).session(s).multipart(&parts)).await
}

/// A reviewer's spreadsheet for 300 branches: one bad cell writes nothing;
/// the fixed file scores every branch in one go.
#[tokio::test]
async fn a_review_sheet_of_three_hundred_branches_is_all_or_nothing() {
    each_backend(|w| async move {
        use qizhi_store::load::{Batch, UnitRow};
        let mut batch = Batch::default();
        for i in 0..300 {
            let fields = qizhi_core::org::UnitInput {
                code: format!("FJ01-{:03}", 100 + i),
                name: format!("福州第{}党支部", 100 + i),
                kind: "党支部".into(),
                founded: Some("2015-07-01".into()),
                ..Default::default()
            }
            .validate()
            .unwrap();
            batch.units.push(UnitRow { line: i + 2, parent_code: Some("FJ01".into()), fields });
        }
        w.store.load(&batch, &mut |_, _| {}).await.unwrap();
        reviewer(&w, "cityrev", "FJ01").await;
        let (_, cid) = campaign(&w, 1).await;
        // Every branch self-assessed (by the province's admin, from a sheet).
        let codes: Vec<String> = (0..300).map(|i| format!("FJ01-{:03}", 100 + i)).collect();
        let s = w.login("fjadmin").await;
        let sheet = |rows: &[Vec<String>]| {
            let mut csv = String::from("组织编码,PB1,PB2,BP1\n");
            for r in rows {
                csv.push_str(&r.join(","));
                csv.push('\n');
            }
            csv.into_bytes()
        };
        for code in &codes {
            let id = entry(&w, cid, code).await;
            call(
                &w,
                w.token("fjadmin"),
                put(&format!("/api/v1/stars/entries/{id}/declaration")).json(&json!({ "target_star": 4 })),
                StatusCode::OK,
            )
            .await;
        }
        let rows: Vec<Vec<String>> =
            codes.iter().map(|c| vec![c.clone(), "45".into(), "40".into(), "70".into()]).collect();
        upload(&w, cid, &s, "self", sheet(&rows)).await.expect(StatusCode::OK);
        call(
            &w,
            w.token("fjadmin"),
            post(&format!("/api/v1/stars/campaigns/{cid}/stage")).json(&json!({ "stage": "review" })),
            StatusCode::OK,
        )
        .await;

        // The city's reviewer: 300 rows, one score above its max.
        let rev = w.login("cityrev").await;
        let mut rows: Vec<Vec<String>> =
            codes.iter().map(|c| vec![c.clone(), "50".into(), "45".into(), "92".into()]).collect();
        rows[217][3] = "101".into();
        let r = upload(&w, cid, &rev, "review1", sheet(&rows)).await;
        let html = r.expect(StatusCode::UNPROCESSABLE_ENTITY).text();
        assert!(html.contains("第 219 行 D 列（BP1 经营目标（满分 100））"), "row 219 (the 218th branch), column D");
        let stats = w.store.campaign_stats(cid, &Scope::All).await.unwrap();
        assert_eq!(stats.status(qizhi_core::stars::EntryStatus::Reviewed1), 0, "nothing half-written");
        rows[217][3] = "92".into();
        upload(&w, cid, &rev, "review1", sheet(&rows)).await.expect(StatusCode::OK);
        let stats = w.store.campaign_stats(cid, &Scope::All).await.unwrap();
        assert_eq!(stats.status(qizhi_core::stars::EntryStatus::Reviewed1), 300);
        assert_eq!(stats.by_star[6], 300, "95 / 92: both benchmark");
        rollup_exact(&w.store).await;
    })
    .await;
}
