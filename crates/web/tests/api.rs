//! The JSON API under `/api/v1`, driven in-process through the whole app:
//! the health check; the OpenAPI document against the routes actually served;
//! authentication (bearer tokens, session cookies with the `X-CSRF-Token`
//! header) and the `{"error": …}` envelope; figures staying exact at once
//! after creating, editing and moving units; validation errors naming their
//! fields; people paging and personal fields by role; and scope (a branch
//! admin sees and changes only their branch, a viewer changes nothing).

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::*;
use qizhi_core::figures::FIGURES;
use qizhi_core::person::Category;
use serde_json::{Value, json};

/// Every path the API router serves, with its methods. Hard-coded on purpose:
/// a new route must be added here and to the OpenAPI document.
const API_ROUTES: &[(&str, &[&str])] = &[
    ("/api/v1/me", &["get"]),
    ("/api/v1/units", &["get", "post"]),
    ("/api/v1/units/{id}", &["get", "put"]),
    ("/api/v1/units/{id}/children", &["get"]),
    ("/api/v1/units/{id}/move", &["post"]),
    ("/api/v1/units/{id}/people", &["get"]),
    ("/api/v1/units/{id}/grids", &["get"]),
    ("/api/v1/units/{id}/scenarios", &["get"]),
    ("/api/v1/units/{id}/assessments", &["get"]),
    ("/api/v1/units/{id}/assessments/rule", &["put"]),
    ("/api/v1/people", &["post"]),
    ("/api/v1/people/{id}", &["get", "put"]),
    ("/api/v1/figures", &["get"]),
    ("/api/v1/audit", &["get"]),
    ("/api/v1/brands", &["get", "post"]),
    ("/api/v1/brands/{id}", &["get", "put", "delete"]),
    ("/api/v1/brands/{id}/structure", &["get", "put"]),
    ("/api/v1/brands/{id}/logo", &["put"]),
    ("/api/v1/brands/{id}/history", &["get"]),
    ("/api/v1/brands/{id}/apply", &["post"]),
    ("/api/v1/brands/{id}/decide", &["post"]),
    ("/api/v1/brands/{id}/demote", &["post"]),
    ("/api/v1/brands/{id}/standard", &["get"]),
    ("/api/v1/brands/{id}/evidence", &["post"]),
    ("/api/v1/brands/{id}/items/{item}/confirm", &["post"]),
    ("/api/v1/brand-matrix", &["get"]),
    ("/api/v1/standards", &["get", "put"]),
    ("/api/v1/honors", &["get", "post"]),
    ("/api/v1/honors/{id}", &["get", "put", "delete"]),
    // stars (served with real ids in tests/stars.rs)
    ("/api/v1/stars/schemes", &["get", "post"]),
    ("/api/v1/stars/schemes/{id}", &["get", "put"]),
    ("/api/v1/stars/schemes/{id}/copy", &["post"]),
    ("/api/v1/stars/campaigns", &["get", "post"]),
    ("/api/v1/stars/campaigns/{id}", &["get", "put"]),
    ("/api/v1/stars/campaigns/{id}/stage", &["post"]),
    ("/api/v1/stars/campaigns/{id}/entries", &["get"]),
    ("/api/v1/stars/entries/{id}", &["get"]),
    ("/api/v1/stars/entries/{id}/declaration", &["put"]),
    ("/api/v1/stars/entries/{id}/self", &["put"]),
    ("/api/v1/stars/entries/{id}/evidence", &["post"]),
    ("/api/v1/stars/entries/{id}/review", &["put"]),
    ("/api/v1/stars/entries/{id}/return", &["post"]),
    ("/api/v1/stars/entries/{id}/withdraw", &["post"]),
    ("/api/v1/stars/entries/{id}/objections", &["post"]),
    ("/api/v1/stars/objections/{id}/answer", &["post"]),
    ("/api/v1/stars/queue", &["get", "post"]),
    ("/api/v1/stars/distribution", &["get"]),
    ("/api/v1/stars/branches", &["get"]),
    ("/api/v1/units/{id}/tasks", &["get"]),
    ("/api/v1/tasks", &["post"]),
    ("/api/v1/tasks/bulk", &["post"]),
    ("/api/v1/tasks/{id}", &["get", "put"]),
    ("/api/v1/tasks/{id}/entries", &["get", "post"]),
    ("/api/v1/me/tasks", &["get"]),
    ("/api/v1/units/{id}/fortresses", &["get"]),
    ("/api/v1/fortresses", &["post"]),
    ("/api/v1/fortresses/{id}", &["get", "put"]),
    ("/api/v1/fortresses/{id}/flag", &["post"]),
    ("/api/v1/units/{id}/teams", &["get"]),
    ("/api/v1/teams", &["post"]),
    ("/api/v1/teams/{id}", &["get", "put"]),
    ("/api/v1/teams/{id}/members", &["put"]),
    ("/api/v1/units/{id}/commitments", &["get"]),
    ("/api/v1/units/{id}/commitments/missing", &["get"]),
    ("/api/v1/me/commitments", &["get"]),
    ("/api/v1/commitments", &["post"]),
    ("/api/v1/commitments/{id}", &["put"]),
    ("/api/v1/commitments/{id}/verify", &["post"]),
];

fn codes(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|u| u["code"].as_str().unwrap().to_string())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// `GET uri` as `who`, expecting 200, the JSON answer.
async fn json_ok(w: &World, who: &str, uri: &str) -> Value {
    w.api_get(who, uri).await.expect(StatusCode::OK).json()
}

/// `GET uri` as `who`, expecting the API's 404 (no existence leaks out of scope).
async fn expect_404(w: &World, who: &str, uri: &str) {
    let r = w.api_get(who, uri).await.expect(StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "not_found", "{}", r.what);
}

/// Sends a write expected to be refused (403, or 404 for what is out of sight).
async fn expect_refused(w: &World, token: &str, req: Req) {
    let r = w.send(req.bearer(token)).await;
    assert!(
        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}: {} {}",
        r.what,
        r.status,
        r.snippet()
    );
}

/// A unit body as the API takes it.
fn unit_body(parent_code: &str, code: &str, kind: &str) -> Value {
    json!({ "parent_code": parent_code, "code": code, "name": format!("{code} 测试组织"), "kind": kind })
}

#[tokio::test]
async fn healthz_answers_ok_without_signing_in() {
    each_backend(|w| async move {
        let r = w.send(get("/healthz")).await.expect(StatusCode::OK);
        assert_eq!(r.text(), "ok");
    })
    .await;
}

#[tokio::test]
async fn openapi_document_lists_exactly_the_api_routes_served() {
    each_backend(|w| async move {
        let r = w.send(get("/api/v1/openapi.json")).await.expect(StatusCode::OK);
        assert!(r.content_type().unwrap_or("").starts_with("application/json"));
        let doc = r.json();
        assert!(
            doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
            "not an OpenAPI 3 document: {}",
            doc["openapi"]
        );
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object(), "the bearer scheme is documented");
        let paths = doc["paths"].as_object().expect("paths");
        let documented: BTreeSet<String> = paths.keys().cloned().collect();
        let expected: BTreeSet<String> = API_ROUTES.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(documented, expected, "documented paths differ from the routes served");
        for (path, methods) in API_ROUTES {
            let ops: BTreeSet<String> = paths[*path]
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| ["get", "put", "post", "delete", "patch"].contains(&k.as_str()))
                .cloned()
                .collect();
            assert_eq!(ops, set(methods), "methods of {path}");
        }

        // The app's route table serves exactly these API routes (besides the
        // document itself).
        let table: BTreeSet<(String, String)> = qizhi_web::routes::all()
            .iter()
            .filter(|r| r.path.starts_with("/api/v1/") && r.path != "/api/v1/openapi.json")
            .map(|r| (r.path.to_string(), r.method.as_str().to_lowercase()))
            .collect();
        let listed: BTreeSet<(String, String)> =
            API_ROUTES.iter().flat_map(|(p, ms)| ms.iter().map(move |m| (p.to_string(), m.to_string()))).collect();
        assert_eq!(table, listed, "the router's API routes differ from the documented list");

        // Every listed route is really served: with an existing id and a
        // system admin, no route may fall through to the router's 404/405.
        let id = w.id("FJ01-001").to_string();
        let person = w.person_in("FJ01-001").id.to_string();
        // -- brands: a brand and an honor for the routes that name one.
        let (brand, honor) = brands_fixture(&w).await;
        for (path, methods) in API_ROUTES {
            // stars: their ids are campaigns' and entries', checked in tests/stars.rs
            if path.starts_with("/api/v1/stars/") {
                continue;
            }
            // Issue 6: records of the capability's routes exist, so no route answers 404 for its id.
            let record = issue6_ids(&w).await;
            let id = match path.split('/').nth(3) {
                Some("people") => &person,
                Some("brands") => &brand,
                Some("honors") => &honor,
                Some(kind) => record.get(kind).unwrap_or(&id),
                None => &id,
            };
            let mut uri = path.replace("{id}", id);
            if *path == "/api/v1/figures" || *path == "/api/v1/standards" {
                uri.push_str("?org=FJ");
            }
            for m in *methods {
                let req = match *m {
                    "get" => get(&uri),
                    "post" => post(&uri).json(&json!({})),
                    // -- brands: the draft stays (an honor names it), so later routes still find it.
                    "delete" => request(axum::http::Method::DELETE, &uri),
                    _ => put(&uri).json(&json!({})),
                };
                let r = w.send(req.bearer(w.token("admin"))).await;
                assert!(
                    r.status != StatusCode::NOT_FOUND && r.status != StatusCode::METHOD_NOT_ALLOWED,
                    "{} is documented but not served: {}",
                    r.what,
                    r.status
                );
            }
        }
    })
    .await;
}

#[tokio::test]
async fn unauthenticated_api_calls_get_401_json() {
    each_backend(|w| async move {
        let fj = w.id("FJ");
        let calls = [
            get("/api/v1/me"),
            get("/api/v1/units"),
            get(&format!("/api/v1/units/{fj}")),
            get(&format!("/api/v1/units/{fj}/people")),
            get("/api/v1/figures?org=FJ"),
            post("/api/v1/units").json(&unit_body("FJ01", "FJ01-009", "党支部")),
            // A token that was never issued, and a session that does not exist.
            get("/api/v1/me").bearer("0123456789abcdef"),
            get("/api/v1/me").cookie(qizhi_web::auth::SESSION_COOKIE, "no-such-session"),
        ];
        for req in calls {
            let r = w.send(req).await.expect(StatusCode::UNAUTHORIZED);
            assert!(
                r.content_type().unwrap_or("").starts_with("application/json"),
                "{}: {:?}",
                r.what,
                r.content_type()
            );
            assert_eq!(r.error_code(), "unauthorized", "{}", r.what);
            assert!(r.json()["error"]["message"].is_string());
        }
        assert!(w.store.unit_by_code("FJ01-009").await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn figures_list_every_published_key_and_count_what_the_fixture_created() {
    each_backend(|w| async move {
        let r = w.api_get("fjadmin", "/api/v1/figures?org=FJ").await.expect(StatusCode::OK);
        let v = r.json();
        assert_eq!(v["org"]["code"], "FJ");
        assert_eq!(v["org"]["id"], w.id("FJ"));
        let year = i64::from(qizhi_core::date::this_year());
        assert_eq!((v["from"].as_i64(), v["to"].as_i64()), (Some(year), Some(year)));
        let figures = v["figures"].as_object().expect("figures");
        let keys: BTreeSet<String> = figures.keys().cloned().collect();
        let published: BTreeSet<String> = FIGURES.iter().map(|f| f.key.to_string()).collect();
        assert_eq!(keys, published, "every published figure, and only those");

        assert_eq!(figures["org.branches"], w.branches_under("FJ"));
        assert_eq!(figures["org.units"], w.subtree("FJ").len() as i64);
        assert_eq!(figures["org.people"], w.people_under("FJ").len() as i64);
        assert_eq!(figures["org.members"], w.members_under("FJ"));
        assert_eq!(figures["grids.total"], 1);
        assert_eq!(figures["grids.covered"], 1);
        assert_eq!(figures["grids.coverage_rate"].as_f64(), Some(1.0));

        // The whole group: every branch and person, half the grids covered.
        let cu = w.figures("CU").await;
        assert_eq!(cu["org.branches"], w.branches_under("CU"));
        assert_eq!(cu["org.people"], w.people.len() as i64);
        assert_eq!(cu["grids.total"], 2);
        assert_eq!(cu["grids.coverage_rate"].as_f64(), Some(0.5));

        // A span of years; a reversed span and an unknown unit are refused.
        let r = w.api_get("fjadmin", "/api/v1/figures?org=FJ&from=2020&to=2024").await.expect(StatusCode::OK);
        assert_eq!((r.json()["from"].as_i64(), r.json()["to"].as_i64()), (Some(2020), Some(2024)));
        let r = w.api_get("fjadmin", "/api/v1/figures?org=FJ&from=2024&to=2020").await.expect(StatusCode::BAD_REQUEST);
        assert_eq!(r.error_code(), "bad_request");
        let r = w.api_get("admin", "/api/v1/figures?org=NOPE").await.expect(StatusCode::NOT_FOUND);
        assert_eq!(r.error_code(), "not_found");
    })
    .await;
}

#[tokio::test]
async fn creating_and_editing_units_changes_figures_of_the_unit_and_every_ancestor_at_once() {
    each_backend(|w| async move {
        let lineage = ["FJ01", "FJ", "CU"];
        let mut before = vec![];
        for code in lineage.iter().chain(&["NM"]) {
            before.push((w.count(code, "org.units").await, w.count(code, "org.branches").await));
        }

        let r = w
            .send(post("/api/v1/units").bearer(w.token("fjadmin")).json(&unit_body("FJ01", "FJ01-003", "党支部")))
            .await
            .expect(StatusCode::CREATED);
        let created = r.json();
        assert_eq!(created["code"], "FJ01-003");
        assert_eq!(created["kind"], "branch");
        assert_eq!(created["status"], "active");
        assert_eq!(created["parent_id"], w.id("FJ01"));
        assert_eq!(created["depth"], w.unit("FJ01").depth + 1);
        let new_id = created["id"].as_i64().unwrap();

        // The new unit counts itself; every ancestor gains one unit and branch.
        let own = w.figures("FJ01-003").await;
        assert_eq!((own["org.units"].as_i64(), own["org.branches"].as_i64()), (Some(1), Some(1)));
        for (i, code) in lineage.iter().enumerate() {
            let (units, branches) = before[i];
            assert_eq!(w.count(code, "org.units").await, units + 1, "{code} units");
            assert_eq!(w.count(code, "org.branches").await, branches + 1, "{code} branches");
        }
        assert_eq!(
            (w.count("NM", "org.units").await, w.count("NM", "org.branches").await),
            before[3],
            "another province is unchanged"
        );

        // It is readable and listed under its parent at once.
        let r = w.api_get("fjadmin", &format!("/api/v1/units/{new_id}")).await.expect(StatusCode::OK);
        assert_eq!(r.json()["code"], "FJ01-003");
        let kids = w
            .api_get("fjadmin", &format!("/api/v1/units/{}/children", w.id("FJ01")))
            .await
            .expect(StatusCode::OK)
            .json();
        assert_eq!(codes(&kids), set(&["FJ01-001", "FJ01-002", "FJ01-003"]));

        // Dissolving it (an edit) takes it out of every count again.
        let r = w
            .send(
                put(&format!("/api/v1/units/{new_id}")).bearer(w.token("fjadmin")).json(
                    &json!({ "code": "FJ01-003", "name": "福州已撤销支部", "kind": "党支部", "status": "已撤销" }),
                ),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(r.json()["status"], "dissolved");
        assert_eq!(r.json()["name"], "福州已撤销支部");
        for (i, code) in lineage.iter().enumerate() {
            let (units, branches) = before[i];
            assert_eq!(w.count(code, "org.units").await, units, "{code} units after dissolving");
            assert_eq!(w.count(code, "org.branches").await, branches, "{code} branches after dissolving");
        }

        // A system admin may name the parent by id.
        let r = w
            .send(
                post("/api/v1/units").bearer(w.token("admin")).json(
                    &json!({ "parent_id": w.id("NM"), "code": "NM-002", "name": "包头党支部", "kind": "branch" }),
                ),
            )
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(r.json()["parent_id"], w.id("NM"));
        assert_eq!(w.count("NM", "org.branches").await, before[3].1 + 1);
    })
    .await;
}

#[tokio::test]
async fn invalid_bodies_answer_422_naming_every_bad_field_and_write_nothing() {
    each_backend(|w| async move {
        let units_before = w.count("CU", "org.units").await;
        let people_before = w.count("CU", "org.people").await;
        let send = |body: Value, uri: &'static str| {
            let req = post(uri).bearer(w.token("fjadmin")).json(&body);
            w.send(req)
        };

        let r =
            send(json!({ "parent_code": "FJ01", "code": "福建 01", "name": "  ", "kind": "支队" }), "/api/v1/units")
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.error_code(), "invalid");
        let fields = r.error_fields();
        for f in ["code", "name", "kind"] {
            assert!(fields.iter().any(|x| x == f), "{f} not named in {fields:?}");
        }
        let message = r.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(message.contains("code") && message.contains("kind"), "{message}");

        // A code that exists: the conflict is on `code`.
        let r = send(unit_body("FJ01", "FJ01-001", "党支部"), "/api/v1/units")
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.error_fields(), ["code"]);

        // A parent code that does not exist, and a kind that cannot sit there.
        let r = send(unit_body("NOPE", "FJ01-004", "党支部"), "/api/v1/units")
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.error_fields(), ["parent_code"]);
        let r = send(unit_body("FJ01-001", "FJ01-001-X", "党委"), "/api/v1/units")
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.error_fields(), ["kind"]);

        // People: every bad field at once.
        let r = send(
            json!({ "unit_id": w.id("FJ01-001"), "name": "", "category": "党外", "phone": "abc", "id_number": "123" }),
            "/api/v1/people",
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let fields = r.error_fields();
        for f in ["name", "category", "phone", "id_number"] {
            assert!(fields.iter().any(|x| x == f), "{f} not named in {fields:?}");
        }
        // An ID number already registered to someone else.
        let taken = w.person_in("FJ01-002").id_number.clone();
        let r = send(
            json!({ "unit_id": w.id("FJ01-001"), "name": "林重复", "category": "正式党员", "id_number": taken }),
            "/api/v1/people",
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.error_fields(), ["id_number"]);

        assert_eq!(w.count("CU", "org.units").await, units_before);
        assert_eq!(w.count("CU", "org.people").await, people_before);
        assert!(w.store.unit_by_code("FJ01-004").await.unwrap().is_none());
    })
    .await;
}

/// The API promises `{"error": {code, message, fields?}}` for every failing
/// call, including bodies, paths and queries the extractors cannot read.
#[tokio::test]
async fn malformed_requests_also_answer_with_the_json_error_envelope() {
    each_backend(|w| async move {
        let token = w.token("admin").to_string();
        let cases = vec![
            ("missing JSON fields", post("/api/v1/units").json(&json!({ "code": "FJ01-005" }))),
            ("not JSON", post("/api/v1/units").raw("application/json", "{not json")),
            ("no content type", post("/api/v1/units").raw("text/plain", "{}")),
            ("query without org", get("/api/v1/figures")),
            ("non-numeric id", get("/api/v1/units/abc")),
        ];
        let mut problems = vec![];
        for (what, req) in cases {
            let r = w.send(req.bearer(&token)).await;
            let envelope = serde_json::from_slice::<Value>(&r.body)
                .ok()
                .and_then(|v| v["error"]["code"].as_str().map(str::to_string));
            if !r.status.is_client_error() || envelope.is_none() {
                problems.push(format!(
                    "{what}: {} answered {} {:?}: {}",
                    r.what,
                    r.status,
                    r.content_type(),
                    r.snippet()
                ));
            }
        }
        assert!(problems.is_empty(), "[{}] rejections without the error envelope:\n{}", w.backend, problems.join("\n"));
    })
    .await;
}

#[tokio::test]
async fn moving_a_unit_moves_its_counts_from_the_old_ancestors_to_the_new() {
    each_backend(|w| async move {
        let keys = ["org.units", "org.branches", "org.people", "org.members"];
        let mut before = std::collections::BTreeMap::new();
        for code in ["FJ01", "FJ", "NM", "CU"] {
            for k in keys {
                before.insert((code, k), w.count(code, k).await);
            }
        }
        let moved_people = w.people_under("FJ01-002").len() as i64;
        let moved_members = w.members_under("FJ01-002");
        let b2 = w.id("FJ01-002");
        let to_nm = json!({ "parent_id": w.id("NM") });

        // Both ends must be administered by the caller.
        for who in ["fjadmin", "nmadmin", "viewer"] {
            let r = w.send(post(&format!("/api/v1/units/{b2}/move")).bearer(w.token(who)).json(&to_nm)).await;
            assert!(
                matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{who}: {} {}",
                r.status,
                r.snippet()
            );
        }
        // Not under itself, and the root does not move.
        let r = w
            .send(
                post(&format!("/api/v1/units/{}/move", w.id("FJ")))
                    .bearer(w.token("admin"))
                    .json(&json!({ "parent_id": w.id("FJ01") })),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.error_fields(), ["parent_code"]);
        w.send(
            post(&format!("/api/v1/units/{}/move", w.id("CU")))
                .bearer(w.token("admin"))
                .json(&json!({ "parent_id": w.id("NM") })),
        )
        .await
        .expect(StatusCode::FORBIDDEN);

        let r = w
            .send(post(&format!("/api/v1/units/{b2}/move")).bearer(w.token("admin")).json(&to_nm))
            .await
            .expect(StatusCode::OK);
        assert_eq!(r.json()["parent_id"], w.id("NM"));
        assert_eq!(r.json()["depth"], w.unit("NM").depth + 1);

        let delta = |k: &str| match k {
            "org.units" | "org.branches" => 1,
            "org.people" => moved_people,
            _ => moved_members,
        };
        for k in keys {
            for code in ["FJ01", "FJ"] {
                assert_eq!(w.count(code, k).await, before[&(code, k)] - delta(k), "{code} {k}");
            }
            assert_eq!(w.count("NM", k).await, before[&("NM", k)] + delta(k), "NM {k}");
            assert_eq!(w.count("CU", k).await, before[&("CU", k)], "CU {k} unchanged");
        }

        // Scope follows the tree: Fujian's admin lost the branch, Inner Mongolia's gained it.
        w.api_get("fjadmin", &format!("/api/v1/units/{b2}")).await.expect(StatusCode::NOT_FOUND);
        w.api_get("nmadmin", &format!("/api/v1/units/{b2}")).await.expect(StatusCode::OK);
        let r = w
            .api_get("nmadmin", &format!("/api/v1/units/{}/people?per_page=500", w.id("NM")))
            .await
            .expect(StatusCode::OK);
        assert_eq!(r.json()["total"], w.people_under("NM").len() as i64 + moved_people);
    })
    .await;
}

#[tokio::test]
async fn a_page_far_past_the_end_of_any_list_is_empty() {
    each_backend(|w| async move {
        let fj = w.id("FJ");
        let last = i64::MAX;
        for list in [
            format!("/api/v1/units/{fj}/people"),
            format!("/api/v1/units/{fj}/tasks"),
            format!("/api/v1/units/{fj}/fortresses"),
            format!("/api/v1/units/{fj}/teams"),
            format!("/api/v1/units/{fj}/commitments"),
            format!("/api/v1/units/{fj}/commitments/missing"),
            "/api/v1/brands".to_string(),
            "/api/v1/honors".to_string(),
            "/api/v1/audit".to_string(),
            "/api/v1/stars/branches?org=FJ".to_string(),
        ] {
            let sep = if list.contains('?') { '&' } else { '?' };
            let v = json_ok(&w, "admin", &format!("{list}{sep}page={last}&per_page=500")).await;
            let items = v.get("items").or(v.get("entries")).and_then(Value::as_array);
            assert_eq!(items.map(Vec::len), Some(0), "{list}: {v}");
            assert_eq!(v["page"], last, "{list}");
        }
    })
    .await;
}

#[tokio::test]
async fn people_lists_page_and_show_personal_fields_only_to_unit_admins() {
    each_backend(|w| async move {
        let fj = w.id("FJ");
        let expected: BTreeSet<i64> = w.people_under("FJ").iter().map(|p| p.id).collect();
        let per_page = 7;
        let pages = (expected.len() as i64 + per_page - 1) / per_page;

        let mut seen = BTreeSet::new();
        for page in 1..=pages + 1 {
            let v = w
                .api_get("fjadmin", &format!("/api/v1/units/{fj}/people?per_page={per_page}&page={page}"))
                .await
                .expect(StatusCode::OK)
                .json();
            assert_eq!(v["total"], expected.len() as i64);
            assert_eq!((v["page"].as_i64(), v["per_page"].as_i64()), (Some(page), Some(per_page)));
            let items = v["items"].as_array().unwrap();
            let want = (expected.len() as i64 - (page - 1) * per_page).clamp(0, per_page);
            assert_eq!(items.len() as i64, want, "page {page}");
            for item in items {
                let id = item["id"].as_i64().unwrap();
                assert!(seen.insert(id), "person {id} on two pages");
                let fx = w.people.iter().find(|p| p.id == id).expect("a fixture person");
                assert_eq!(item["name"], fx.name.as_str());
                assert_eq!(item["category"], fx.category.code());
                assert_eq!(item["phone"], fx.phone.as_str(), "unit admin sees phones");
                assert_eq!(item["id_number"], fx.id_number.as_str());
                assert_eq!(item["birth_date"], fx.birth_date.as_str());
            }
        }
        assert_eq!(seen, expected, "the pages together hold every person of FJ once");

        // A viewer reads the same list without any personal field.
        let v =
            w.api_get("viewer", &format!("/api/v1/units/{fj}/people?per_page=500")).await.expect(StatusCode::OK).json();
        let items = v["items"].as_array().unwrap();
        assert_eq!(items.len(), expected.len());
        for item in items {
            assert!(item["name"].is_string() && item["category"].is_string());
            for personal in ["phone", "id_number", "birth_date"] {
                assert!(item.get(personal).is_none(), "viewer sees {personal}: {item}");
            }
        }
        let someone = w.person_in("FJ01-002");
        let one = w.api_get("viewer", &format!("/api/v1/people/{}", someone.id)).await.expect(StatusCode::OK).json();
        assert_eq!(one["name"], someone.name.as_str());
        assert!(one.get("phone").is_none() && one.get("id_number").is_none());
        let one = w.api_get("fjadmin", &format!("/api/v1/people/{}", someone.id)).await.expect(StatusCode::OK).json();
        assert_eq!(one["phone"], someone.phone.as_str());

        // Filters: part of a name, an exact ID number, a category.
        let list = format!("/api/v1/units/{fj}/people");
        let v = json_ok(&w, "fjadmin", &format!("{list}?q={}", qizhi_web::views::encode(&someone.name))).await;
        assert_eq!(v["total"], 1);
        assert_eq!(v["items"][0]["id"], someone.id);
        let v = json_ok(&w, "fjadmin", &format!("{list}?q={}", someone.id_number.to_lowercase())).await;
        assert_eq!(v["total"], 1, "an ID number matches whatever the case of its X");
        for c in Category::ALL {
            let n = w.people_under("FJ").iter().filter(|p| p.category == c).count();
            let v = json_ok(&w, "fjadmin", &format!("{list}?category={}", c.code())).await;
            assert_eq!(v["total"], n as i64, "{c:?}");
        }
        let v = json_ok(&w, "fjadmin", &format!("{list}?per_page=100000")).await;
        assert_eq!(v["per_page"], qizhi_store::MAX_PER_PAGE, "page size is capped by the one rule");
        w.api_get("fjadmin", &format!("/api/v1/units/{fj}/people?category=bogus"))
            .await
            .expect(StatusCode::BAD_REQUEST);
    })
    .await;
}

#[tokio::test]
async fn a_branch_admin_reads_and_writes_only_inside_their_branch() {
    each_backend(|w| async move {
        let b1 = w.id("FJ01-001");
        let b2 = w.id("FJ01-002");
        let mine = w.person_in("FJ01-001").clone();
        let theirs = w.person_in("FJ01-002").clone();

        w.api_get("b1admin", &format!("/api/v1/units/{b1}")).await.expect(StatusCode::OK);
        w.api_get("b1admin", &format!("/api/v1/people/{}", mine.id)).await.expect(StatusCode::OK);
        expect_404(&w, "b1admin", &format!("/api/v1/units/{b2}")).await;
        expect_404(&w, "b1admin", &format!("/api/v1/units/{}", w.id("FJ01"))).await;
        expect_404(&w, "b1admin", &format!("/api/v1/units/{b2}/people")).await;
        expect_404(&w, "b1admin", &format!("/api/v1/units/{b2}/children")).await;
        expect_404(&w, "b1admin", &format!("/api/v1/people/{}", theirs.id)).await;
        expect_404(&w, "b1admin", "/api/v1/figures?org=FJ").await;
        expect_404(&w, "b1admin", "/api/v1/figures?org=NM").await;
        let own = w.api_get("b1admin", "/api/v1/figures?org=FJ01-001").await.expect(StatusCode::OK).json();
        assert_eq!(own["figures"]["org.people"], w.people_under("FJ01-001").len() as i64);

        // Search finds only what is in scope.
        let hits = w.api_get("b1admin", "/api/v1/units?q=FJ01").await.expect(StatusCode::OK).json();
        assert_eq!(codes(&hits), set(&["FJ01-001"]));
        let all = w.api_get("fjadmin", "/api/v1/units?q=FJ01").await.expect(StatusCode::OK).json();
        assert_eq!(codes(&all), set(&["FJ01", "FJ01-001", "FJ01-002"]));
        let roots = w.api_get("b1admin", "/api/v1/units").await.expect(StatusCode::OK).json();
        assert_eq!(codes(&roots), set(&["FJ01-001"]));
        let exact = w.api_get("b1admin", "/api/v1/units?code=FJ01-002").await.expect(StatusCode::OK).json();
        assert_eq!(exact, json!([]));
        let me = w.api_get("b1admin", "/api/v1/me").await.expect(StatusCode::OK).json();
        assert_eq!(me["username"], "b1admin");
        assert_eq!(me["grants"][0]["role"], "unit_admin");
        assert_eq!(me["grants"][0]["unit_id"], b1);

        // Writes outside the branch are refused and change nothing.
        let token = w.token("b1admin").to_string();
        expect_refused(&w, &token, post("/api/v1/units").json(&unit_body("FJ01-002", "FJ01-002-01", "党小组"))).await;
        expect_refused(
            &w,
            &token,
            post("/api/v1/units")
                .json(&json!({ "parent_id": b2, "code": "FJ01-002-02", "name": "x", "kind": "党小组" })),
        )
        .await;
        expect_refused(
            &w,
            &token,
            post("/api/v1/people").json(&json!({ "unit_id": b2, "name": "林越权", "category": "群众" })),
        )
        .await;
        expect_refused(
            &w,
            &token,
            put(&format!("/api/v1/people/{}", theirs.id))
                .json(&json!({ "unit_id": b1, "name": "陈被调走", "category": "群众" })),
        )
        .await;
        expect_refused(
            &w,
            &token,
            put(&format!("/api/v1/people/{}", mine.id))
                .json(&json!({ "unit_id": b2, "name": mine.name, "category": mine.category.code() })),
        )
        .await;
        expect_refused(
            &w,
            &token,
            put(&format!("/api/v1/units/{b2}")).json(&json!({ "code": "FJ01-002", "name": "改名", "kind": "党支部" })),
        )
        .await;
        for code in ["FJ01-002-01", "FJ01-002-02"] {
            assert!(w.store.unit_by_code(code).await.unwrap().is_none(), "{code} created");
        }
        let p = w.store.person(qizhi_core::ids::PersonId(theirs.id)).await.unwrap();
        assert_eq!((p.unit_id.0, p.fields.name.as_str()), (b2, theirs.name.as_str()));
        let p = w.store.person(qizhi_core::ids::PersonId(mine.id)).await.unwrap();
        assert_eq!(p.unit_id.0, b1);
        assert_eq!(w.store.unit(w.unit("FJ01-002").id).await.unwrap().name, w.unit("FJ01-002").name);

        // Inside the branch the same admin may write.
        let r = w
            .send(
                post("/api/v1/people").bearer(&token).json(
                    &json!({ "unit_id": b1, "name": "林新人", "category": "预备党员", "join_date": "2025-07-01" }),
                ),
            )
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(r.json()["unit_id"], b1);
    })
    .await;
}

#[tokio::test]
async fn a_viewer_reads_everything_in_scope_but_every_write_is_forbidden() {
    each_backend(|w| async move {
        for uri in [
            format!("/api/v1/units/{}", w.id("NM-001")),
            format!("/api/v1/units/{}/children", w.id("CU")),
            format!("/api/v1/units/{}/people", w.id("FJ")),
            "/api/v1/figures?org=CU".to_string(),
            "/api/v1/units?q=FJ".to_string(),
        ] {
            w.api_get("viewer", &uri).await.expect(StatusCode::OK);
        }
        let before = w.figures("CU").await;
        let b1 = w.id("FJ01-001");
        let someone = w.person_in("FJ01-001").clone();
        let writes = vec![
            post("/api/v1/units").json(&unit_body("FJ01", "FJ01-007", "党支部")),
            put(&format!("/api/v1/units/{b1}")).json(&json!({ "code": "FJ01-001", "name": "改名", "kind": "党支部" })),
            post(&format!("/api/v1/units/{}/move", w.id("FJ01-002"))).json(&json!({ "parent_id": w.id("NM") })),
            post("/api/v1/people").json(&json!({ "unit_id": b1, "name": "林查阅", "category": "群众" })),
            put(&format!("/api/v1/people/{}", someone.id))
                .json(&json!({ "unit_id": b1, "name": "林改名", "category": "群众" })),
        ];
        for req in writes {
            let r = w.send(req.bearer(w.token("viewer"))).await.expect(StatusCode::FORBIDDEN);
            assert_eq!(r.error_code(), "forbidden", "{}", r.what);
        }
        assert_eq!(w.figures("CU").await, before, "nothing changed");
        assert!(w.store.unit_by_code("FJ01-007").await.unwrap().is_none());
        let p = w.store.person(qizhi_core::ids::PersonId(someone.id)).await.unwrap();
        assert_eq!(p.fields.name, someone.name);
    })
    .await;
}

#[tokio::test]
async fn cookie_api_writes_need_the_csrf_header_but_bearer_writes_do_not() {
    each_backend(|w| async move {
        let s = w.login("fjadmin").await;
        // Reads need no CSRF token.
        let me = w.send(get("/api/v1/me").session(&s)).await.expect(StatusCode::OK).json();
        assert_eq!(me["username"], "fjadmin");

        let body = unit_body("FJ01", "FJ01-011", "党支部");
        let r = w.send(post("/api/v1/units").session(&s).json(&body)).await.expect(StatusCode::FORBIDDEN);
        assert_eq!(r.error_code(), "forbidden");
        let r = w
            .send(post("/api/v1/units").session(&s).header(qizhi_web::auth::CSRF_HEADER, "not-the-token").json(&body))
            .await
            .expect(StatusCode::FORBIDDEN);
        assert_eq!(r.error_code(), "forbidden");
        assert!(w.store.unit_by_code("FJ01-011").await.unwrap().is_none());

        let r = w.send(post("/api/v1/units").session(&s).csrf(&s).json(&body)).await.expect(StatusCode::CREATED);
        let id = r.json()["id"].as_i64().unwrap();
        w.send(
            put(&format!("/api/v1/units/{id}"))
                .session(&s)
                .csrf(&s)
                .json(&json!({ "code": "FJ01-011", "name": "福州第十一支部", "kind": "党支部" })),
        )
        .await
        .expect(StatusCode::OK);
        w.send(
            put(&format!("/api/v1/units/{id}"))
                .session(&s)
                .json(&json!({ "code": "FJ01-011", "name": "无令牌改名", "kind": "党支部" })),
        )
        .await
        .expect(StatusCode::FORBIDDEN);
        assert_eq!(w.store.unit(qizhi_core::ids::UnitId(id)).await.unwrap().name, "福州第十一支部");

        // A bearer token is no ambient credential: no CSRF token needed.
        w.send(post("/api/v1/units").bearer(w.token("fjadmin")).json(&unit_body("FJ01", "FJ01-012", "党支部")))
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(w.count("FJ01", "org.branches").await, w.branches_under("FJ01") + 2);
    })
    .await;
}

/// A draft brand and an honor of FJ01-001, as ids (brands).
async fn brands_fixture(w: &World) -> (String, String) {
    let fields = qizhi_core::brand::BrandInput {
        code: "FJ01-001-B01".into(),
        name: "红帆".into(),
        category: "支部品牌".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let unit = qizhi_core::ids::UnitId(w.id("FJ01-001"));
    let b = w.store.create_brand(unit, None, &fields, None, time::macros::date!(2024 - 01 - 01)).await.unwrap();
    let honor = qizhi_core::brand::HonorInput {
        title: "优秀党支部".into(),
        level: "集团级".into(),
        awarded_on: "2024-06-01".into(),
        holder_kind: "组织".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let h = w.store.create_honor(unit, &honor, Some(unit.0), Some(b.id), None).await.unwrap();
    (b.id.to_string(), h.id.to_string())
}

/// Ids of a task, fortress, team and commitment (created once per world) for
/// the routes of fortresses, tasks, commitments and teams.
async fn issue6_ids(w: &World) -> std::collections::HashMap<&'static str, String> {
    use qizhi_core::ids::{PersonId, UnitId};
    use std::collections::HashMap;
    let unit = UnitId(w.id("FJ01-001"));
    let mut out = HashMap::new();
    let task = match w.store.task_by_code("API-T1").await.unwrap() {
        Some(t) => t,
        None => {
            let input = qizhi_core::tasks::TaskInput {
                kind: "目标任务".into(),
                name: "路由检查".into(),
                year: Some("2024".into()),
                ..Default::default()
            };
            w.store.create_task(unit, Some("API-T1"), &input.validate().unwrap().1).await.unwrap()
        }
    };
    out.insert("tasks", task.id.to_string());
    let fortress = match w.store.fortress_by_code("API-F1").await.unwrap() {
        Some(f) => f,
        None => {
            let grid = w.store.grids_in(w.unit("FJ01-001")).await.unwrap()[0].0.id;
            let input = qizhi_core::tasks::FortressInput {
                code: "API-F1".into(),
                name: "路由检查堡垒".into(),
                grid_id: Some(grid.0),
                set_up_on: "2024-01-01".into(),
                ..Default::default()
            };
            w.store.create_fortress(unit, &input.validate().unwrap()).await.unwrap()
        }
    };
    out.insert("fortresses", fortress.id.to_string());
    let team = match w.store.team_by_code("API-D1").await.unwrap() {
        Some(t) => t,
        None => {
            let input = qizhi_core::teams::TeamInput {
                code: "API-D1".into(),
                name: "路由检查队".into(),
                kind: "服务队".into(),
                ..Default::default()
            };
            w.store.create_team(unit, &input.validate().unwrap(), &[]).await.unwrap()
        }
    };
    out.insert("teams", team.id.to_string());
    let member = PersonId(w.person_in("FJ01-001").id);
    let commitment = match w.store.commitments_of(member, None).await.unwrap().into_iter().next() {
        Some(c) => c,
        None => {
            let input = qizhi_core::commitments::CommitmentInput {
                year: "2024".into(),
                text: "路由检查".into(),
                ..Default::default()
            };
            w.store.create_commitment(member, &input.validate().unwrap()).await.unwrap()
        }
    };
    out.insert("commitments", commitment.id.to_string());
    out
}

#[tokio::test]
async fn grids_and_scenarios_of_a_subtree_are_listed_a_page_at_a_time() {
    each_backend(|w| async move {
        let rows =
            [("FJ01-001", "FJG1", "测试 Grid 甲"), ("FJ01-002", "FJG2", "测试网格乙"), ("NM", "NMG1", "测试 grid 丙")];
        for (unit, code, name) in rows {
            let f = qizhi_core::grid::GridInput { code: code.into(), name: name.into() }.validate().unwrap();
            w.store.save_grid(w.unit(unit).id, &f, None).await.unwrap();
            let s = qizhi_core::grid::ScenarioInput {
                code: format!("S{code}"),
                name: format!("{name}场景"),
                description: None,
            }
            .validate()
            .unwrap();
            w.store.save_scenario(w.unit(unit).id, &s).await.unwrap();
        }
        let fj = w.id("FJ");
        let codes = |page: &Value| -> Vec<String> {
            page["items"].as_array().unwrap().iter().map(|g| g["code"].as_str().unwrap().to_string()).collect()
        };
        let page =
            w.api_get("fjadmin", &format!("/api/v1/units/{fj}/grids?q=测试")).await.expect(StatusCode::OK).json();
        assert_eq!(
            (page["total"].as_i64(), codes(&page)),
            (Some(2), vec!["FJG1".into(), "FJG2".into()]),
            "[{}] {page}",
            w.backend
        );
        assert_eq!(page["items"][0]["unit_code"], "FJ01-001");
        let page =
            w.api_get("fjadmin", &format!("/api/v1/units/{fj}/grids?q=GRID")).await.expect(StatusCode::OK).json();
        assert_eq!(codes(&page), ["FJG1"], "Latin letters in any case");
        let uri = format!("/api/v1/units/{fj}/scenarios?q=测试&page=2&per_page=1");
        let page = w.api_get("fjadmin", &uri).await.expect(StatusCode::OK).json();
        assert_eq!((page["total"].as_i64(), codes(&page)), (Some(2), vec!["SFJG2".into()]));
        w.api_get("fjadmin", &format!("/api/v1/units/{}/grids", w.id("NM"))).await.expect(StatusCode::NOT_FOUND);
    })
    .await;
}
