//! Brands through the whole app, on both backends: a branch admin builds a
//! brand (form, structure, evidence, logo) and applies; only a reviewer of
//! the branch's parent decides (初审, 评审, 命名); mature is refused with a
//! clear reason until the standard is met and confirmed; figures follow at
//! once; viewers read and change nothing; another province sees nothing.
//! The same over the API, the matrix pages with their filters and scope,
//! honors, standards, and the three brand ledgers.
//!
//! Reviewers are added to the fixture here: `fj01review` (reviewer@FJ01, the
//! parent of FJ01-001) and `b1review` (reviewer@FJ01-001, the brand's own unit).

mod common;

use axum::http::StatusCode;
use common::*;
use qizhi_core::access::Role;
use qizhi_core::ids::UnitId;
use serde_json::{Value, json};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-logo-bytes";
const SVG: &[u8] = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";

/// Adds a reviewer over `unit` who can sign in with the fixture password; returns an API token.
async fn reviewer(w: &World, username: &str, unit: &str) -> String {
    let hash = qizhi_app::password::hash(PASSWORD.to_string()).await.unwrap();
    let id = w.store.create_user(username, username, &hash).await.unwrap();
    w.store.add_grant(id, Role::Reviewer, Some(UnitId(w.id(unit)))).await.unwrap();
    mint_token(&w.store, id, "tests").await
}

/// Issues the 五有 standard at the root (as the system admin, through the page).
async fn issue_wuyou(w: &World) {
    let s = w.login("admin").await;
    let cu = w.id("CU");
    let mut parts = vec![Part::Text("csrf", &s.csrf), Part::Text("name", "党建品牌“五有”标准")];
    for (title, _) in qizhi_core::brand::WUYOU {
        parts.push(Part::Text("item_id", "0"));
        parts.push(Part::Text("item_title", title));
        parts.push(Part::Text("item_description", ""));
    }
    let r = w.send(post(&format!("/standards/{cu}")).session(&s).multipart(&parts)).await.expect(StatusCode::SEE_OTHER);
    assert!(r.location().unwrap().contains("flash=brands.saved"));
}

/// A url-encoded form post with the session and its CSRF token.
async fn form(w: &World, s: &Session, uri: &str, pairs: &[(&str, &str)]) -> Resp {
    let mut all = vec![("csrf", s.csrf.as_str())];
    all.extend_from_slice(pairs);
    w.send(post(uri).session(s).form(&all)).await
}

/// The id at the end of a redirect such as `/brands/12/structure?flash=brands.created`.
fn id_in(location: &str) -> i64 {
    location.trim_start_matches("/brands/").split(['/', '?']).next().unwrap().parse().unwrap()
}

async fn count(w: &World, code: &str, key: &str) -> i64 {
    w.count(code, key).await
}

async fn assert_rollup_exact(w: &World) {
    assert_eq!(w.store.stored_rollup().await.unwrap(), w.store.recompute().await.unwrap(), "[{}] rollup", w.backend);
}

#[tokio::test]
async fn a_branch_admin_builds_a_brand_and_only_a_reviewer_of_the_parent_names_it() {
    each_backend(|w| async move {
        issue_wuyou(&w).await;
        reviewer(&w, "fj01review", "FJ01").await;
        reviewer(&w, "b1review", "FJ01-001").await;
        let b1 = w.id("FJ01-001");
        let admin = w.login("b1admin").await;

        // The form, then the brand: a draft, straight to its structure.
        let html = w.send(get(&format!("/brands/new?unit={b1}")).session(&admin)).await.expect(StatusCode::OK).text();
        assert!(html.contains("FJ01-001-B01"), "a code is suggested");
        let parts = [
            Part::Text("csrf", &admin.csrf),
            Part::Text("unit", &b1.to_string()),
            Part::Text("name", "红帆领航"),
            Part::Text("code", ""),
            Part::Text("category", "branch"),
            Part::Text("heritage", "古田会议精神"),
            Part::Text("slogan", "扬帆争先"),
            Part::Text("concept", "以党建引领营业服务"),
            Part::Text("founded_year", "2024"),
            Part::Text("figures", "org.members"),
            Part::Text("figures", "honors.total"),
            Part::File("logo", "logo.png", "image/png", PNG),
        ];
        let r = w.send(post("/brands").session(&admin).multipart(&parts)).await.expect(StatusCode::SEE_OTHER);
        let location = r.location().unwrap().to_string();
        assert!(location.ends_with("/structure?flash=brands.created"), "{location}");
        let id = id_in(&location);
        let brand = w.store.brand(qizhi_core::ids::BrandId(id)).await.unwrap();
        assert_eq!((brand.fields.code.as_str(), brand.fields.figures.len()), ("FJ01-001-B01", 2));
        let logo = brand.logo_file_id.expect("the logo is kept");
        w.send(get(&format!("/files/{logo}")).session(&admin)).await.expect(StatusCode::OK);
        assert_eq!(count(&w, "FJ", "brands.total").await, 1);
        assert_eq!(count(&w, "CU", "brands.status.draft").await, 1);

        // An SVG is no logo: the form comes back saying so, nothing changes.
        let bad = [
            Part::Text("csrf", &admin.csrf),
            Part::Text("name", "红帆领航"),
            Part::Text("category", "branch"),
            Part::File("logo", "logo.png", "image/png", SVG),
        ];
        let r = w.send(post(&format!("/brands/{id}/edit")).session(&admin).multipart(&bad)).await;
        let r = r.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("不支持的文件类型"), "{}", r.snippet());

        // The structure: two groups, an element moved into the first.
        for (parent, kind, title) in
            [("", "group", "三个阵地"), ("", "group", "两支队伍"), ("", "site", "营业厅党员先锋岗")]
        {
            let r = form(
                &w,
                &admin,
                &format!("/brands/{id}/elements"),
                &[("parent", parent), ("kind", kind), ("title", title), ("text", "")],
            )
            .await;
            r.expect(StatusCode::SEE_OTHER);
        }
        let elements = w.store.brand_elements(brand.id).await.unwrap();
        let site = elements.iter().find(|e| e.fields.title == "营业厅党员先锋岗").unwrap().id;
        form(&w, &admin, &format!("/brands/{id}/elements/{site}/move"), &[("to", "up")])
            .await
            .expect(StatusCode::SEE_OTHER);
        form(&w, &admin, &format!("/brands/{id}/elements/{site}/move"), &[("to", "indent")])
            .await
            .expect(StatusCode::SEE_OTHER);
        let outline: Vec<String> = qizhi_core::brand::outline_of(&w.store.brand_structure(brand.id).await.unwrap())
            .into_iter()
            .map(|(n, f)| format!("{n} {}", f.title))
            .collect();
        assert_eq!(outline, ["1 三个阵地", "1.1 营业厅党员先锋岗", "2 两支队伍"]);
        let r =
            form(&w, &admin, &format!("/brands/{id}/elements"), &[("parent", ""), ("kind", "nonsense"), ("title", "")])
                .await;
        assert!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).text().contains("未知的元素类型"));

        // Apply; the owner cannot decide, nor can a reviewer of the brand's own unit.
        form(&w, &admin, &format!("/brands/{id}/apply"), &[("comment", "请审核")]).await.expect(StatusCode::SEE_OTHER);
        form(&w, &admin, &format!("/brands/{id}/decide"), &[("decision", "approve")])
            .await
            .expect(StatusCode::FORBIDDEN);
        let own = w.login("b1review").await;
        form(&w, &own, &format!("/brands/{id}/decide"), &[("decision", "approve")]).await.expect(StatusCode::FORBIDDEN);
        let viewer = w.login("viewer").await;
        form(&w, &viewer, &format!("/brands/{id}/apply"), &[]).await.expect(StatusCode::FORBIDDEN);
        let nm = w.login("nmadmin").await;
        w.send(get(&format!("/brands/{id}")).session(&nm)).await.expect(StatusCode::NOT_FOUND);
        form(&w, &nm, &format!("/brands/{id}/apply"), &[]).await.expect(StatusCode::NOT_FOUND);

        // The reviewer of FJ01 sees it waiting, and decides: 初审, 评审, 命名.
        let rev = w.login("fj01review").await;
        let queue = w.send(get("/brands/reviews").session(&rev)).await.expect(StatusCode::OK).text();
        assert!(queue.contains("红帆领航") && queue.contains("待初审"), "the queue lists it");
        form(&w, &rev, &format!("/brands/{id}/decide"), &[("decision", "return")])
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        for msg in ["approved", "approved", "named"] {
            let r = form(&w, &rev, &format!("/brands/{id}/decide"), &[("decision", "approve")])
                .await
                .expect(StatusCode::SEE_OTHER);
            assert!(r.location().unwrap().ends_with(&format!("flash=brands.{msg}")), "{:?}", r.location());
        }
        assert_eq!(count(&w, "FJ", "brands.status.cultivating").await, 1);
        assert_eq!(count(&w, "FJ", "brands.status.draft").await, 0);

        // Up to established, then mature is refused with the reason shown.
        form(&w, &admin, &format!("/brands/{id}/apply"), &[]).await.expect(StatusCode::SEE_OTHER);
        for _ in 0..3 {
            form(&w, &rev, &format!("/brands/{id}/decide"), &[("decision", "approve")])
                .await
                .expect(StatusCode::SEE_OTHER);
        }
        let review = w.send(get(&format!("/brands/{id}/review")).session(&admin)).await.expect(StatusCode::OK).text();
        assert!(review.contains("apply-refusal") && review.contains("有形象化标识"), "the page says why before trying");
        let r = form(&w, &admin, &format!("/brands/{id}/apply"), &[]).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        let text = r.text();
        assert!(text.contains("尚未确认") && text.contains("有可视化阵地"), "{}", r.snippet());

        // Evidence for every item (a photo for one), confirmed by the reviewer; the owner may not confirm.
        let standard = w.store.brand_standard(&w.store.brand(brand.id).await.unwrap()).await.unwrap();
        let items: Vec<i64> = standard.standard.unwrap().items.iter().map(|i| i.id).collect();
        for (i, item) in items.iter().enumerate() {
            let item = item.to_string();
            let mut parts = vec![Part::Text("csrf", &admin.csrf), Part::Text("item", &item)];
            if i == 3 {
                parts.extend([Part::Text("kind", "photo"), Part::File("file", "阵地.png", "image/png", PNG)]);
            } else {
                parts.extend([Part::Text("kind", "text"), Part::Text("text", "已落实")]);
            }
            let r = w.send(post(&format!("/brands/{id}/evidence")).session(&admin).multipart(&parts)).await;
            r.expect(StatusCode::SEE_OTHER);
        }
        let no_file = [Part::Text("csrf", &admin.csrf), Part::Text("item", "0"), Part::Text("kind", "photo")];
        w.send(post(&format!("/brands/{id}/evidence")).session(&admin).multipart(&no_file))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        form(&w, &admin, &format!("/brands/{id}/items/{}/confirm", items[0]), &[("confirm", "1")])
            .await
            .expect(StatusCode::FORBIDDEN);
        for item in &items {
            form(&w, &rev, &format!("/brands/{id}/items/{item}/confirm"), &[("confirm", "1")])
                .await
                .expect(StatusCode::SEE_OTHER);
        }
        assert_eq!(count(&w, "CU", "brands.standard_met").await, 1);
        form(&w, &admin, &format!("/brands/{id}/apply"), &[]).await.expect(StatusCode::SEE_OTHER);
        for _ in 0..3 {
            form(&w, &rev, &format!("/brands/{id}/decide"), &[("decision", "approve")])
                .await
                .expect(StatusCode::SEE_OTHER);
        }
        assert_eq!(count(&w, "CU", "brands.mature_or_better").await, 1);
        assert_eq!(count(&w, "FJ01", "brands.status.mature").await, 1);
        assert_eq!(count(&w, "NM", "brands.mature_or_better").await, 0);

        // Everyone in scope reads the showcase, the screen and the history; the viewer too.
        let show = w.send(get(&format!("/brands/{id}")).session(&viewer)).await.expect(StatusCode::OK).text();
        for s in ["红帆领航", "营业厅党员先锋岗", "古田会议精神", "成熟", "data-chart", "命名"] {
            assert!(show.contains(s), "the showcase lacks {s}");
        }
        assert!(!show.contains(&format!("/brands/{id}/edit")), "no edit link for a viewer");
        let screen = w.send(get(&format!("/brands/{id}/screen")).session(&viewer)).await.expect(StatusCode::OK).text();
        assert!(screen.contains("class=\"screen\"") && !screen.contains("sidenav"));
        let v = w.store.brand_versions(brand.id).await.unwrap();
        assert_eq!(v.len(), 3, "a version per application that went through (the refused one kept none)");
        w.send(get(&format!("/brands/{id}/versions/{}", v[0].version)).session(&viewer)).await.expect(StatusCode::OK);

        // Moving down needs the parent's reviewer and a reason.
        form(&w, &admin, &format!("/brands/{id}/demote"), &[("to", "established"), ("comment", "x")])
            .await
            .expect(StatusCode::FORBIDDEN);
        form(&w, &rev, &format!("/brands/{id}/demote"), &[("to", "established"), ("comment", "")])
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        form(&w, &rev, &format!("/brands/{id}/demote"), &[("to", "established"), ("comment", "成效不足")])
            .await
            .expect(StatusCode::SEE_OTHER);
        assert_eq!(count(&w, "CU", "brands.mature_or_better").await, 0);

        // A cookie write without the CSRF token is refused.
        let r = w.send(post(&format!("/brands/{id}/apply")).session(&admin).form(&[("comment", "")])).await;
        r.expect(StatusCode::FORBIDDEN);
        let trail = w
            .store
            .audit_entries(
                &qizhi_store::Scope::All,
                &qizhi_store::audit::AuditQuery {
                    object_kind: Some("brand".into()),
                    per_page: 500,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(trail.items.iter().any(|e| e.action == "review") && trail.items.iter().any(|e| e.action == "denied"));
        assert_rollup_exact(&w).await;
    })
    .await;
}

fn brand_body(org: &str, name: &str) -> Value {
    json!({ "org": org, "name": name, "category": "党建品牌", "heritage": "红船精神", "founded_year": 2020 })
}

#[tokio::test]
async fn the_api_follows_the_same_rules() {
    each_backend(|w| async move {
        issue_wuyou(&w).await;
        let rev = reviewer(&w, "fj01review", "FJ01").await;
        let b1 = w.token("b1admin").to_string();
        let call = |token: &str, req: Req| req.bearer(token);

        // Create: the branch admin in their branch; a viewer 403; another province 404.
        let r = w.send(call(&b1, post("/api/v1/brands").json(&brand_body("FJ01-001", "红帆")))).await.expect(StatusCode::CREATED);
        let brand = r.json();
        let id = brand["id"].as_i64().unwrap();
        assert_eq!((brand["status"].as_str(), brand["code"].as_str()), (Some("draft"), Some("FJ01-001-B01")));
        w.send(call(w.token("viewer"), post("/api/v1/brands").json(&brand_body("FJ01-001", "x")))).await.expect(StatusCode::FORBIDDEN);
        w.send(call(w.token("nmadmin"), post("/api/v1/brands").json(&brand_body("FJ01-001", "x")))).await.expect(StatusCode::NOT_FOUND);
        w.send(call(w.token("b1admin"), post("/api/v1/brands").json(&brand_body("FJ01-002", "x")))).await.expect(StatusCode::NOT_FOUND);
        let r = w.send(call(&b1, post("/api/v1/brands").json(&json!({ "org": "FJ01-001", "name": "", "category": "x" })))).await;
        assert_eq!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).error_fields(), ["name", "category"]);

        // A sub-brand of a main brand above; a main brand of another province is refused.
        let main = w.send(call(w.token("fjadmin"), post("/api/v1/brands").json(&brand_body("FJ", "六星")))).await.expect(StatusCode::CREATED).json();
        let mut sub = brand_body("FJ01-001", "一星");
        sub["parent_code"] = main["code"].clone();
        w.send(call(&b1, post("/api/v1/brands").json(&sub))).await.expect(StatusCode::CREATED);
        let nm_brand = w.send(call(w.token("nmadmin"), post("/api/v1/brands").json(&brand_body("NM", "北疆")))).await.expect(StatusCode::CREATED).json();
        let mut wrong = brand_body("FJ01-001", "越界");
        wrong["parent_code"] = nm_brand["code"].clone();
        assert_eq!(w.send(call(&b1, post("/api/v1/brands").json(&wrong))).await.expect(StatusCode::UNPROCESSABLE_ENTITY).error_fields(), ["parent_code"]);
        let matrix = w.send(call(w.token("viewer"), get("/api/v1/brand-matrix?org=FJ"))).await.expect(StatusCode::OK).json();
        assert_eq!(matrix.as_array().unwrap().len(), 2, "六星 (with its sub-brand) and 红帆");
        let six = matrix.as_array().unwrap().iter().find(|m| m["name"] == "六星").unwrap();
        assert_eq!(six["sub_brands"][0]["name"], "一星");

        // Structure in and out.
        let tree = json!([{ "kind": "分组", "title": "五心", "children": [{ "kind": "concept", "title": "不忘初心", "text": "历史使命" }] }]);
        w.send(call(&b1, put(&format!("/api/v1/brands/{id}/structure")).json(&tree))).await.expect(StatusCode::OK);
        let got = w.send(call(w.token("viewer"), get(&format!("/api/v1/brands/{id}/structure")))).await.expect(StatusCode::OK).json();
        assert_eq!(got[0]["children"][0]["title"], "不忘初心");
        let bad = json!([{ "kind": "group", "title": "x", "children": [{ "kind": "nope", "title": "" }] }]);
        let fields = w.send(call(&b1, put(&format!("/api/v1/brands/{id}/structure")).json(&bad))).await.expect(StatusCode::UNPROCESSABLE_ENTITY).error_fields();
        assert_eq!(fields, ["elements[1.1].kind", "elements[1.1].title"]);
        w.send(call(w.token("viewer"), put(&format!("/api/v1/brands/{id}/structure")).json(&tree))).await.expect(StatusCode::FORBIDDEN);

        // Lifecycle: apply, the owner cannot decide, the parent's reviewer names it.
        w.send(call(&b1, post(&format!("/api/v1/brands/{id}/apply")).json(&json!({})))).await.expect(StatusCode::OK);
        w.send(call(&b1, post(&format!("/api/v1/brands/{id}/decide")).json(&json!({ "decision": "approve" })))).await.expect(StatusCode::FORBIDDEN);
        for stage in ["preliminary", "evaluated"] {
            let b = w.send(call(&rev, post(&format!("/api/v1/brands/{id}/decide")).json(&json!({ "decision": "approve" })))).await.expect(StatusCode::OK).json();
            assert_eq!(b["stage"], stage);
        }
        let b = w.send(call(&rev, post(&format!("/api/v1/brands/{id}/decide")).json(&json!({ "decision": "approve" })))).await.expect(StatusCode::OK).json();
        assert_eq!((b["status"].as_str(), b["stage"].as_str()), (Some("cultivating"), None));
        let history = w.send(call(w.token("viewer"), get(&format!("/api/v1/brands/{id}/history")))).await.expect(StatusCode::OK).json();
        let kinds: Vec<&str> = history["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["created", "applied", "preliminary", "evaluated", "named"]);
        assert_eq!(history["versions"].as_array().unwrap().len(), 1);

        // The standard: evidence by the owner, confirmation by the reviewer; mature refused until then.
        w.send(call(&b1, post(&format!("/api/v1/brands/{id}/apply")).json(&json!({})))).await.expect(StatusCode::OK);
        for _ in 0..3 {
            w.send(call(&rev, post(&format!("/api/v1/brands/{id}/decide")).json(&json!({ "decision": "approve" })))).await.expect(StatusCode::OK);
        }
        let r = w.send(call(&b1, post(&format!("/api/v1/brands/{id}/apply")).json(&json!({})))).await;
        let r = r.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.error_fields(), ["standard"]);
        assert!(r.json()["error"]["message"].as_str().unwrap().contains("有显性化成效"));
        let standing = w.send(call(&b1, get(&format!("/api/v1/brands/{id}/standard")))).await.expect(StatusCode::OK).json();
        assert_eq!(standing["unmet"].as_array().unwrap().len(), 5);
        for item in standing["items"].as_array().unwrap() {
            let item_id = item["id"].as_i64().unwrap();
            let body = json!({ "item_id": item_id, "kind": "figure", "figure_key": "org.members", "text": "党员队伍" });
            w.send(call(&b1, post(&format!("/api/v1/brands/{id}/evidence")).json(&body))).await.expect(StatusCode::CREATED);
            w.send(call(&b1, post(&format!("/api/v1/brands/{id}/items/{item_id}/confirm")).json(&json!({ "confirm": true })))).await.expect(StatusCode::FORBIDDEN);
            w.send(call(&rev, post(&format!("/api/v1/brands/{id}/items/{item_id}/confirm")).json(&json!({ "confirm": true })))).await.expect(StatusCode::OK);
        }
        w.send(call(&b1, post(&format!("/api/v1/brands/{id}/apply")).json(&json!({})))).await.expect(StatusCode::OK);
        for _ in 0..3 {
            w.send(call(&rev, post(&format!("/api/v1/brands/{id}/decide")).json(&json!({ "decision": "approve" })))).await.expect(StatusCode::OK);
        }
        assert_eq!(count(&w, "FJ", "brands.mature_or_better").await, 1);
        assert_eq!(count(&w, "FJ", "brands.standard_met").await, 1);
        let demoted = w.send(call(&rev, post(&format!("/api/v1/brands/{id}/demote")).json(&json!({ "to": "培育", "comment": "复核未通过" })))).await.expect(StatusCode::OK).json();
        assert_eq!(demoted["status"], "cultivating");

        // Lists by scope: the Inner Mongolia admin sees only theirs, and not Fujian's at all.
        let fj = w.send(call(w.token("viewer"), get("/api/v1/brands?org=FJ&sort=name"))).await.expect(StatusCode::OK).json();
        assert_eq!(fj["total"], 3);
        w.send(call(w.token("nmadmin"), get("/api/v1/brands?org=FJ"))).await.expect(StatusCode::NOT_FOUND);
        let nm = w.send(call(w.token("nmadmin"), get("/api/v1/brands"))).await.expect(StatusCode::OK).json();
        assert_eq!(nm["total"], 1);
        w.send(call(w.token("nmadmin"), get(&format!("/api/v1/brands/{id}")))).await.expect(StatusCode::NOT_FOUND);
        let detail = w.send(call(w.token("viewer"), get(&format!("/api/v1/brands/{}", main["id"])))).await.expect(StatusCode::OK).json();
        assert_eq!(detail["sub_brands"].as_array().unwrap().len(), 1);

        // Honors: a brand holder by code, filed under the branch; counted in the year awarded.
        let honor = json!({ "org": "FJ01-001", "title": "中央企业青年文明号", "level": "中央企业级", "awarded_on": "2023-05", "holder_kind": "品牌", "holder_code": "FJ01-001-B01" });
        let h = w.send(call(&b1, post("/api/v1/honors").json(&honor))).await.expect(StatusCode::CREATED).json();
        assert_eq!((h["holder_name"].as_str(), h["brand_id"].as_i64()), (Some("红帆"), Some(id)));
        let mut outside = honor.clone();
        outside["holder_code"] = nm_brand["code"].clone();
        assert_eq!(w.send(call(&b1, post("/api/v1/honors").json(&outside))).await.expect(StatusCode::UNPROCESSABLE_ENTITY).error_fields(), ["holder_code"]);
        let f = w.send(call(w.token("viewer"), get("/api/v1/figures?org=FJ&from=2023&to=2023"))).await.expect(StatusCode::OK).json();
        assert_eq!((f["figures"]["honors.total"].as_i64(), f["figures"]["honors.level.central_soe"].as_i64()), (Some(1), Some(1)));
        let list = w.send(call(w.token("viewer"), get("/api/v1/honors?org=FJ&year=2023"))).await.expect(StatusCode::OK).json();
        assert_eq!(list["total"], 1);
        let hid = h["id"].as_i64().unwrap();
        w.send(call(w.token("nmadmin"), get(&format!("/api/v1/honors/{hid}")))).await.expect(StatusCode::NOT_FOUND);
        w.send(call(w.token("viewer"), request(axum::http::Method::DELETE, &format!("/api/v1/honors/{hid}")))).await.expect(StatusCode::FORBIDDEN);
        w.send(call(&b1, request(axum::http::Method::DELETE, &format!("/api/v1/honors/{hid}")))).await.expect(StatusCode::NO_CONTENT);

        // Standards: Fujian issues its own for the units below it; a branch admin cannot issue Fujian's.
        let std = json!({ "name": "福建“五有”", "items": [{ "title": "有形象化标识" }, { "title": "有显性化成效" }] });
        w.send(call(&b1, put("/api/v1/standards?org=FJ").json(&std))).await.expect(StatusCode::NOT_FOUND);
        w.send(call(w.token("viewer"), put("/api/v1/standards?org=FJ").json(&std))).await.expect(StatusCode::FORBIDDEN);
        let s = w.send(call(w.token("fjadmin"), put("/api/v1/standards?org=FJ").json(&std))).await.expect(StatusCode::OK).json();
        assert_eq!(s["issued_by"], "FJ");
        let got = w.send(call(w.token("viewer"), get("/api/v1/standards?org=FJ01-001"))).await.expect(StatusCode::OK).json();
        assert_eq!(got["applying"]["issued_by"], "FJ", "FJ01-001's brands now answer to Fujian's");
        assert_eq!(count(&w, "FJ", "brands.standard_met").await, 0, "the new standard is not met yet");
        let fjs = w.send(call(w.token("viewer"), get("/api/v1/standards?org=FJ"))).await.expect(StatusCode::OK).json();
        assert_eq!(fjs["applying"]["issued_by"], "CU", "Fujian's own brands answer to the root's");

        // A draft can be deleted by its admin; a viewer may not.
        let draft = nm_brand["id"].as_i64().unwrap();
        w.send(call(w.token("viewer"), request(axum::http::Method::DELETE, &format!("/api/v1/brands/{draft}")))).await.expect(StatusCode::FORBIDDEN);
        w.send(call(w.token("nmadmin"), request(axum::http::Method::DELETE, &format!("/api/v1/brands/{draft}")))).await.expect(StatusCode::NO_CONTENT);
        assert_rollup_exact(&w).await;
    })
    .await;
}

#[tokio::test]
async fn the_matrix_pages_filter_sort_page_and_keep_to_scope() {
    each_backend(|w| async move {
        let on = time::macros::date!(2024 - 03 - 01);
        for (i, (unit, name, category)) in [
            ("FJ01-001", "红帆", "支部品牌"),
            ("FJ01-002", "蓝海", "支部品牌"),
            ("FJ01", "榕城先锋", "党建品牌"),
            ("FJ", "六星", "党建活动品牌"),
            ("NM-001", "北疆", "党建品牌"),
        ]
        .into_iter()
        .enumerate()
        {
            let f = qizhi_core::brand::BrandInput {
                code: format!("B{i}"),
                name: name.into(),
                category: category.into(),
                heritage: (i % 2 == 0).then(|| "红船精神".to_string()),
                ..Default::default()
            }
            .validate()
            .unwrap();
            let b = w.store.create_brand(UnitId(w.id(unit)), None, &f, None, on).await.unwrap();
            if i == 0 {
                w.store.apply_brand(b.id, None, on).await.unwrap();
            }
        }
        let admin = w.login("admin").await;
        let page = |uri: String| {
            let w = &w;
            let admin = &admin;
            async move { w.send(get(&uri).session(admin)).await.expect(StatusCode::OK).text() }
        };
        let cu = w.id("CU");
        let html = page(format!("/brands?unit={cu}")).await;
        assert!(html.contains("共 5 个品牌") && html.contains("brand-card"));
        let before = page(format!("/brands?unit={cu}&from=2023&to=2023")).await;
        assert_eq!(tile_value(&before, "brands.total").as_deref(), Some("0"), "recorded in 2024, none in 2023");
        let html = page(format!("/brands?unit={cu}&from=2024&to=2024")).await;
        assert_eq!(tile_value(&html, "brands.total").as_deref(), Some("5"));
        assert_eq!(tile_value(&html, "brands.status.cultivating").as_deref(), Some("0"));
        let html = page(format!("/brands?unit={cu}&category=branch&view=table")).await;
        assert_eq!(table_rows(&html), 2);
        let html =
            page(format!("/brands?unit={cu}&heritage={}&view=table", qizhi_web::views::encode("红船精神"))).await;
        assert_eq!(table_rows(&html), 3);
        let html = page(format!("/brands?unit={cu}&q={}&view=table", qizhi_web::views::encode("北疆"))).await;
        assert_eq!(table_rows(&html), 1);
        let html = page(format!("/brands?unit={}&view=table&sort=name", w.id("FJ"))).await;
        assert_eq!(table_rows(&html), 4);
        // A status that cannot be read: every brand, and the problem named under the filters.
        let html = page(format!("/brands?unit={cu}&status=nonsense&view=table")).await;
        assert!(html.contains(r#"id="filter-problems""#) && html.contains("nonsense"), "{html}");
        let all_brands =
            w.store.brands(w.unit("CU"), &qizhi_store::Scope::All, &Default::default()).await.unwrap().total;
        assert_eq!(table_rows(&html) as i64, all_brands, "the list without that filter");
        let html = page(format!("/brands/tree?unit={cu}")).await;
        assert!(html.contains("六星") && html.contains("data-chart"));
        // The brands as a treemap: a block per province holding its brands, each opening its page.
        let treemap = html
            .split("data-chart=\"")
            .skip(1)
            .map(|rest| {
                rest[..rest.find('"').unwrap()].replace("&#34;", "\"").replace("&#38;", "&").replace("&#39;", "'")
            })
            .map(|json| serde_json::from_str::<serde_json::Value>(&json).expect("chart JSON"))
            .find(|o| o["series"][0]["type"] == "treemap")
            .expect("a treemap of the brands");
        let blocks = treemap["series"][0]["data"].as_array().unwrap();
        let fj = format!("/brands/tree?unit={}", w.id("FJ"));
        assert!(blocks.iter().any(|b| b["link"] == fj), "a province's block opens its tree: {blocks:?}");
        let leaves: usize = blocks.iter().map(|b| b["children"].as_array().unwrap().len()).sum();
        let all = w.store.brands(w.unit("CU"), &qizhi_store::Scope::All, &Default::default()).await.unwrap().total;
        assert_eq!(leaves as i64, all, "every brand once");
        let b0 = w.store.brand_by_code("B0").await.unwrap().unwrap().id;
        assert!(
            blocks.iter().flat_map(|b| b["children"].as_array().unwrap()).any(|l| l["link"] == format!("/brands/{b0}"))
        );
        page(format!("/honors?unit={cu}")).await;
        page(format!("/standards?unit={cu}")).await;
        page("/brands/reviews".to_string()).await;
        // Every page of one brand renders, in both languages.
        let b = w.store.brand_by_code("B0").await.unwrap().unwrap().id;
        let h = w
            .store
            .create_honor(
                UnitId(w.id("FJ01-001")),
                &qizhi_core::brand::HonorInput {
                    title: "优秀党支部".into(),
                    level: "集团级".into(),
                    awarded_on: "2024-06-01".into(),
                    holder_kind: "团队".into(),
                    holder_name: "营业厅班组".into(),
                    ..Default::default()
                }
                .validate()
                .unwrap(),
                None,
                Some(b),
                None,
            )
            .await
            .unwrap();
        for uri in [
            format!("/brands/{b}"),
            format!("/brands/{b}/screen"),
            format!("/brands/{b}/edit"),
            format!("/brands/{b}/structure"),
            format!("/brands/{b}/review"),
            format!("/brands/{b}/versions/1"),
            format!("/honors/new?unit={cu}&brand={b}"),
            format!("/honors/{}/edit", h.id),
            format!("/brands/new?unit={}", w.id("FJ01-001")),
        ] {
            let zh = page(uri.clone()).await;
            let raw =
                |html: &str| [">brands.", ">honors.", ">standards.", "\"brands.msg"].iter().any(|k| html.contains(k));
            assert!(!raw(&zh), "{uri}: a raw text key");
            let en = w.send(get(&uri).session(&admin).cookie("lang", "en")).await.expect(StatusCode::OK).text();
            assert!(!raw(&en), "{uri}: a raw text key (en)");
        }

        // A branch admin sees their branch's brand only, and may create there.
        let b1 = w.login("b1admin").await;
        let html = w.send(get("/brands").session(&b1)).await.expect(StatusCode::OK).text();
        assert!(html.contains("红帆") && !html.contains("蓝海") && !html.contains("北疆"));
        assert!(html.contains(&format!("/brands/new?unit={}", w.id("FJ01-001"))));
        w.send(get(&format!("/brands?unit={}", w.id("FJ01-002"))).session(&b1)).await.expect(StatusCode::NOT_FOUND);
        w.send(get(&format!("/brands/new?unit={}", w.id("FJ01-002"))).session(&b1)).await.expect(StatusCode::NOT_FOUND);
        let viewer = w.login("viewer").await;
        w.send(get(&format!("/brands/new?unit={cu}")).session(&viewer)).await.expect(StatusCode::FORBIDDEN);
        let html = w.send(get(&format!("/brands?unit={cu}")).session(&viewer)).await.expect(StatusCode::OK).text();
        assert!(!html.contains("/brands/new"), "no create button for a viewer");
        // English works the same.
        let en = w
            .send(get(&format!("/brands?unit={cu}&from=2024")).session(&admin).cookie("lang", "en"))
            .await
            .expect(StatusCode::OK)
            .text();
        assert!(en.contains("Brand matrix") && en.contains("5 brands"));
    })
    .await;
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

async fn upload(w: &World, s: &Session, kind: &str, csv: &str) -> String {
    let mut bytes = BOM.to_vec();
    bytes.extend_from_slice(csv.as_bytes());
    let parts = [Part::Text("csrf", &s.csrf), Part::File("file", "x.csv", "text/csv", &bytes)];
    // 200 when written, 422 when refused (nothing written); the page says which.
    let r = w.send(post(&format!("/imports/{kind}")).session(s).multipart(&parts)).await;
    assert!(matches!(r.status, StatusCode::OK | StatusCode::UNPROCESSABLE_ENTITY), "{}: {}", r.what, r.status);
    r.text()
}

#[tokio::test]
async fn brand_ledgers_import_whole_or_not_at_all_and_export_for_a_round_trip() {
    each_backend(|w| async move {
        let s = w.login("fjadmin").await;
        // A unit out of scope; then a status typed in and an unknown unit: nothing is written.
        let header = "品牌编码,所属组织编码,品牌名称,品牌类别,品牌状态\r\n";
        let html = upload(&w, &s, "brands", &format!("{header}FJ01-B01,FJ01,榕城先锋,党建品牌,\r\nNM-B01,NM,北疆,党建品牌,\r\n")).await;
        assert!(html.contains("第 3 行 B 列（所属组织编码）") && html.contains("无权修改"), "{html}");
        let bad = format!("{header}FJ01-B01,FJ01,榕城先锋,党建品牌,成熟\r\nXX-B01,XX,无,党建品牌,\r\n");
        let html = upload(&w, &s, "brands", &bad).await;
        assert!(html.contains("第 2 行 E 列（品牌状态）"), "{html}");
        assert!(html.contains("第 3 行 B 列（所属组织编码）"), "{html}");
        assert_eq!(count(&w, "FJ", "brands.total").await, 0);

        let good = "品牌编码,所属组织编码,品牌名称,品牌类别,上级品牌编码,红色传承,创建年份\r\nFJ-B01,FJ,六星,支部品牌,,古田会议精神,2020\r\nFJ01-B01,FJ01,榕城先锋,党建品牌,FJ-B01,,2021\r\n";
        let html = upload(&w, &s, "brands", good).await;
        assert!(html.contains("已写入 2 行"), "{html}");
        assert_eq!(count(&w, "FJ", "brands.total").await, 2);
        let sub = w.store.brand_by_code("FJ01-B01").await.unwrap().unwrap();
        assert_eq!(sub.parent_id, Some(w.store.brand_by_code("FJ-B01").await.unwrap().unwrap().id));

        let elements = "品牌编码,编号,元素类型,名称,内容\r\nFJ01-B01,1,分组,三个环节,\r\nFJ01-B01,1.1,步骤,创建,\r\nFJ01-B01,1.2,步骤,评选,\r\nFJ01-B01,3.1,步骤,孤儿,\r\n";
        let html = upload(&w, &s, "brand_elements", elements).await;
        assert!(html.contains("第 5 行 B 列（编号）"), "{html}");
        let html = upload(&w, &s, "brand_elements", &elements.replace("FJ01-B01,3.1,步骤,孤儿,\r\n", "")).await;
        assert!(html.contains("已写入"), "{html}");
        assert_eq!(w.store.brand_elements(sub.id).await.unwrap().len(), 3);

        let honors = "所属组织编码,荣誉名称,荣誉级别,获得日期,获得者类型,获得者编码,获得者名称,关联品牌编码\r\nFJ01,优秀党建品牌,集团级,2023-07,品牌,FJ01-B01,,\r\nFJ01-001,工人先锋号,省部级,2022-04-28,团队,,营业厅班组,FJ01-B01\r\n";
        let html = upload(&w, &s, "honors", honors).await;
        assert!(html.contains("已写入 2 行"), "{html}");
        assert_eq!(count(&w, "FJ", "honors.total").await, 0, "this year");
        let f = w.figures("FJ").await;
        assert!(f.is_object());

        // Exports carry Chinese headers and the status; importing one back changes nothing.
        let fj = w.id("FJ");
        for kind in ["brands", "brand_elements", "honors"] {
            let r = w.send(get(&format!("/imports/{kind}/export.csv?unit={fj}")).session(&s)).await.expect(StatusCode::OK);
            let text = String::from_utf8(r.body[3..].to_vec()).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert!(lines.len() > 1, "{kind}: {text}");
            if kind == "brands" {
                assert!(lines[0].starts_with("品牌编码,所属组织编码,品牌名称") && text.contains("草稿"));
            }
            let before = w.store.stored_rollup().await.unwrap();
            let html = upload(&w, &s, kind, &text).await;
            assert!(html.contains("已写入"), "{kind}: {html}");
            assert_eq!(w.store.stored_rollup().await.unwrap(), before, "{kind}: a round trip changes no figure");
        }
        let r = w.send(get("/imports/honors/template.xlsx").session(&s)).await.expect(StatusCode::OK);
        assert!(r.body.starts_with(b"PK"));
        assert_rollup_exact(&w).await;
    })
    .await;
}
