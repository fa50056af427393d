//! The permission matrix: every route of the app × every role × where the
//! object lies — in the caller's scope, out of it, or the caller's own
//! record — with the expected answer written out row by row.
//!
//! The roles are held by the matrix accounts of the fixture, all over the
//! same unit (FJ01, 福州): `admin` (system admin), `m_admin` (unit admin),
//! `m_reviewer`, `m_member` (member of FJ01-001) and `m_viewer`; plus an
//! anonymous caller. "in" objects belong to FJ01-001 (inside FJ01), "out"
//! objects to NM-001 (another province), "own" ones to the caller.
//!
//! The rows of the organization, ledgers, files, accounts and the audit
//! trail are below; each capability keeps its rows and the requests that go
//! with them in a module of its own (`brands.rs` …), added to [`AREAS`].
//!
//! The last column says what a cookie session gets when it leaves out the
//! CSRF token: every request that changes state is refused with 403, by
//! the router itself (`kit::csrf`), before any handler runs.
//!
//! Outcomes: `ok` (2xx or a redirect that is not to the sign-in page),
//! `login` (sent to the sign-in page), or a status code (401, 403, 404, 422).
//! A route of the app without a row here fails the test, so a new route
//! cannot land without its permissions written down; a row whose route no
//! longer exists fails too. Every refusal of an existing object (403/404 on
//! a row some role may reach) must also leave a `denied` entry in the audit
//! trail.

#[path = "../common/mod.rs"]
mod common;
// -- the capabilities' rows and requests
mod brands;
mod stars;
mod tasks;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, Ordering};

use axum::http::{Method, StatusCode};
use common::*;
use qizhi_core::access::Role;
use qizhi_core::file::FileKind;
use qizhi_core::ids::{PersonId, UnitId, UserId};
use qizhi_core::org::UnitInput;
use qizhi_core::person::id_number_with_check;
use qizhi_store::users::NewAccount;
use serde_json::json;

/// The callers, in the order of the matrix's columns.
const ROLES: [&str; 6] = ["admin", "m_admin", "m_reviewer", "m_member", "m_viewer", "anon"];

#[rustfmt::skip]
const MATRIX: &str = "
# method path                                   target  admin  unit_admin reviewer member viewer anonymous  csrf
# -- public
GET    /login                                    -      ok     ok     ok     ok     ok     ok   -
POST   /login                                    -      ok     ok     ok     ok     ok     ok   -
GET    /lang/{code}                              -      ok     ok     ok     ok     ok     ok   -
GET    /assets/{name}                            -      ok     ok     ok     ok     ok     ok   -
GET    /healthz                                  -      ok     ok     ok     ok     ok     ok   -
GET    /api/v1/openapi.json                      -      ok     ok     ok     ok     ok     ok   -
POST   /logout                                   -      ok     ok     ok     ok     ok     401  403
# -- the organization
GET    /                                         -      ok     ok     ok     ok     ok     login -
GET    /org                                      -      ok     ok     ok     ok     ok     login -
GET    /org/children/{id}                        in     ok     ok     ok     404    ok     login -
GET    /org/children/{id}                        out    ok     404    404    404    404    login -
GET    /units/{id}                               in     ok     ok     ok     404    ok     login -
GET    /units/{id}                               out    ok     404    404    404    404    login -
GET    /people                                   in     ok     ok     ok     404    ok     login -
GET    /people                                   out    ok     404    404    404    404    login -
GET    /assessments                              in     ok     ok     ok     404    ok     login -
GET    /assessments                              out    ok     404    404    404    404    login -
POST   /assessments/rule                         in     ok     ok     403    404    403    login 403
POST   /assessments/rule                         out    ok     404    404    404    404    login 403
GET    /people/{id}                              in     ok     ok     ok     404    ok     login -
GET    /people/{id}                              out    ok     404    404    404    404    login -
GET    /people/{id}                              own    ok     ok     ok     ok     ok     login -
POST   /people/{id}/reveal                       in     ok     ok     403    404    403    login 403
POST   /people/{id}/reveal                       out    ok     404    404    404    404    login 403
POST   /people/{id}/reveal                       own    ok     ok     403    403    403    login 403
# -- ledgers
GET    /imports                                  -      ok     ok     ok     ok     ok     login -
GET    /imports/{kind}/{file}                    -      ok     ok     ok     ok     ok     login -
GET    /imports/{kind}/{file}                    in     ok     ok     ok     404    ok     login -
GET    /imports/{kind}/{file}                    out    ok     404    404    404    404    login -
POST   /imports/{kind}                           in     ok     ok     403    403    403    login 403
POST   /imports/{kind}                           out    ok     422    403    403    403    login 403
# -- files
GET    /files/{id}                               in     ok     ok     ok     ok     ok     401  -
GET    /files/{id}                               out    ok     404    404    404    404    401  -
# -- one's own account
GET    /account                                  own    ok     ok     ok     ok     ok     login -
POST   /account/password                         own    ok     ok     ok     ok     ok     login 403
POST   /account/tokens                           own    ok     ok     ok     ok     ok     login 403
POST   /account/tokens/{token}/revoke            own    ok     ok     ok     ok     ok     login 403
POST   /account/tokens/{token}/revoke            out    404    404    404    404    404    login 403
POST   /account/logout-all                       own    ok     ok     ok     ok     ok     login 403
# -- accounts an admin manages
GET    /accounts                                 -      ok     ok     403    403    403    login -
GET    /accounts/new                             -      ok     ok     403    403    403    login -
POST   /accounts                                 in     ok     ok     403    403    403    login 403
POST   /accounts                                 out    ok     422    403    403    403    login 403
GET    /accounts/{id}                            in     ok     ok     404    404    404    login -
GET    /accounts/{id}                            out    ok     404    404    404    404    login -
GET    /accounts/{id}                            own    ok     ok     404    404    404    login -
POST   /accounts/{id}/grants                     in     ok     ok     404    404    404    login 403
POST   /accounts/{id}/grants                     out    ok     404    404    404    404    login 403
POST   /accounts/{id}/grants/{grant}/delete      in     ok     ok     404    404    404    login 403
POST   /accounts/{id}/grants/{grant}/delete      out    ok     404    404    404    404    login 403
POST   /accounts/{id}/disable                    in     ok     ok     404    404    404    login 403
POST   /accounts/{id}/disable                    out    ok     404    404    404    404    login 403
POST   /accounts/{id}/disable                    own    403    403    404    404    404    login 403
POST   /accounts/{id}/enable                     in     ok     ok     404    404    404    login 403
POST   /accounts/{id}/enable                     out    ok     404    404    404    404    login 403
POST   /accounts/{id}/password                   in     ok     ok     404    404    404    login 403
POST   /accounts/{id}/password                   out    ok     404    404    404    404    login 403
POST   /accounts/{id}/logout-all                 in     ok     ok     404    404    404    login 403
POST   /accounts/{id}/logout-all                 out    ok     404    404    404    404    login 403
POST   /accounts/{id}/tokens/{token}/revoke      in     ok     ok     404    404    404    login 403
POST   /accounts/{id}/tokens/{token}/revoke      out    ok     404    404    404    404    login 403
# -- the audit trail
GET    /audit                                    -      ok     ok     403    403    ok     login -
GET    /audit/{file}                             -      ok     ok     403    403    ok     login -
GET    /api/v1/audit                             -      ok     ok     403    403    ok     401  -
# -- the API
GET    /api/v1/me                                own    ok     ok     ok     ok     ok     401  -
GET    /api/v1/units                             -      ok     ok     ok     ok     ok     401  -
POST   /api/v1/units                             in     ok     ok     403    404    403    401  403
POST   /api/v1/units                             out    ok     404    404    404    404    401  403
GET    /api/v1/units/{id}                        in     ok     ok     ok     404    ok     401  -
GET    /api/v1/units/{id}                        out    ok     404    404    404    404    401  -
PUT    /api/v1/units/{id}                        in     ok     ok     403    404    403    401  403
PUT    /api/v1/units/{id}                        out    ok     404    404    404    404    401  403
GET    /api/v1/units/{id}/children               in     ok     ok     ok     404    ok     401  -
GET    /api/v1/units/{id}/children               out    ok     404    404    404    404    401  -
POST   /api/v1/units/{id}/move                   in     ok     ok     403    404    403    401  403
POST   /api/v1/units/{id}/move                   out    ok     404    404    404    404    401  403
GET    /api/v1/units/{id}/assessments            in     ok     ok     ok     404    ok     401  -
GET    /api/v1/units/{id}/assessments            out    ok     404    404    404    404    401  -
PUT    /api/v1/units/{id}/assessments/rule       in     ok     ok     403    404    403    401  403
PUT    /api/v1/units/{id}/assessments/rule       out    ok     404    404    404    404    401  403
GET    /api/v1/units/{id}/people                 in     ok     ok     ok     404    ok     401  -
GET    /api/v1/units/{id}/people                 out    ok     404    404    404    404    401  -
GET    /api/v1/units/{id}/grids                  in     ok     ok     ok     404    ok     401  -
GET    /api/v1/units/{id}/grids                  out    ok     404    404    404    404    401  -
GET    /api/v1/units/{id}/scenarios              in     ok     ok     ok     404    ok     401  -
GET    /api/v1/units/{id}/scenarios              out    ok     404    404    404    404    401  -
POST   /api/v1/people                            in     ok     ok     403    404    403    401  403
POST   /api/v1/people                            out    ok     404    404    404    404    401  403
GET    /api/v1/people/{id}                       in     ok     ok     ok     404    ok     401  -
GET    /api/v1/people/{id}                       out    ok     404    404    404    404    401  -
GET    /api/v1/people/{id}                       own    ok     ok     ok     ok     ok     401  -
PUT    /api/v1/people/{id}                       in     ok     ok     403    404    403    401  403
PUT    /api/v1/people/{id}                       out    ok     404    404    404    404    401  403
PUT    /api/v1/people/{id}                       own    ok     ok     403    ok     403    401  403
GET    /api/v1/figures                           in     ok     ok     ok     404    ok     401  -
GET    /api/v1/figures                           out    ok     404    404    404    404    401  -
";

/// One line of a matrix: a route, where its object lies, what each role gets.
#[derive(Debug, Clone)]
pub struct Row {
    pub method: Method,
    pub path: String,
    /// `in`, `out`, `own` or `-`.
    pub target: String,
    pub expected: Vec<String>,
    /// What a cookie session gets without its CSRF token: `403`, or `-`
    /// where the request changes nothing (reads; the sign-in form, which
    /// carries its own token).
    pub csrf: String,
    pub line: usize,
}

/// The matrix of every area: (name, rows).
const AREAS: &[(&str, &str)] = &[
    ("core", MATRIX),
    // -- the capabilities
    ("brands", brands::MATRIX),
    ("stars", stars::MATRIX),
    ("tasks", tasks::MATRIX),
];

fn rows() -> Vec<Row> {
    let mut out = vec![];
    for (area, matrix) in AREAS {
        for (i, line) in matrix.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(cells.len(), 4 + ROLES.len(), "{area} matrix line {i} has {} cells: {line}", cells.len());
            out.push(Row {
                method: cells[0].parse().unwrap_or_else(|_| panic!("{area} matrix line {i}: bad method")),
                path: cells[1].to_string(),
                target: cells[2].to_string(),
                expected: cells[3..3 + ROLES.len()].iter().map(|c| c.to_string()).collect(),
                csrf: cells[3 + ROLES.len()].to_string(),
                line: i,
            });
        }
    }
    out
}

#[test]
fn every_route_has_rows_and_every_row_a_route() {
    let routes: BTreeSet<(String, String)> =
        qizhi_web::routes::all().iter().map(|r| (r.method.to_string(), r.path.to_string())).collect();
    let rows: BTreeSet<(String, String)> = rows().iter().map(|r| (r.method.to_string(), r.path.clone())).collect();
    let missing: Vec<_> = routes.difference(&rows).collect();
    let stale: Vec<_> = rows.difference(&routes).collect();
    assert!(missing.is_empty(), "routes without a row in the permission matrix: {missing:?}");
    assert!(stale.is_empty(), "matrix rows of routes that do not exist: {stale:?}");
}

static SEQ: AtomicU32 = AtomicU32::new(0);

/// A number never used before in this run, for unique codes and names.
pub fn seq() -> u32 {
    SEQ.fetch_add(1, Ordering::SeqCst)
}

/// Where an object of a row lies: FJ01-001 inside the matrix accounts'
/// scope (FJ01), NM-001 outside it.
pub fn unit_of(target: &str) -> &'static str {
    match target {
        "out" => "NM-001",
        _ => "FJ01-001",
    }
}

/// A fresh account granted `role` over `unit`, for rows that change accounts.
async fn account(w: &World, unit: &str) -> (UserId, i64) {
    let name = format!("target{}", seq());
    let id = w
        .store
        .create_account(&NewAccount {
            username: &name,
            display_name: "目标账号",
            password_hash: &w.password_hash().await,
            person: None,
            grant: Some((Role::Member, Some(UnitId(w.id(unit))))),
            must_change_password: false,
        })
        .await
        .unwrap();
    let grant = w.store.grants(id).await.unwrap()[0].id;
    (id, grant)
}

fn person_body(unit: i64, name: &str, id_number: &str) -> serde_json::Value {
    json!({"unit_id": unit, "name": name, "category": "正式党员", "join_date": "2015-07-01", "id_number": id_number, "phone": "13900009999"})
}

/// The request a role makes for a row. Page forms carry the session's CSRF
/// token (empty for the anonymous caller).
async fn request_for(w: &World, row: &Row, role: &str, session: Option<&Session>) -> Req {
    if let Some(req) = brands::request(w, row, role, session).await {
        return req;
    }
    if let Some(req) = stars::request(w, row, role, session).await {
        return req;
    }
    if let Some(req) = tasks::request(w, row, role, session).await {
        return req;
    }
    let csrf = session.map_or("", |s| s.csrf.as_str());
    let path = row.path.as_str();
    let t = row.target.as_str();
    let unit = w.id(unit_of(t));
    let own_person = |role: &str| -> i64 {
        let i = MATRIX_PEOPLE.iter().find(|(u, _)| *u == role).map_or(1, |(_, i)| *i);
        w.people.iter().filter(|p| p.unit_code == "FJ01-001").nth(i).unwrap().id
    };
    let me = if role == "anon" { "m_viewer" } else { role };
    match (row.method.as_str(), path) {
        ("GET", "/login") => get("/login"),
        ("POST", "/login") => {
            let form = w.send(get("/login")).await;
            let csrf = form.cookie(qizhi_web::auth::LOGIN_CSRF_COOKIE).unwrap();
            post("/login").cookie(qizhi_web::auth::LOGIN_CSRF_COOKIE, &csrf).form(&[
                ("username", "m_login"),
                ("password", PASSWORD),
                ("next", "/"),
                ("csrf", &csrf),
            ])
        }
        ("GET", "/lang/{code}") => get("/lang/en?next=/"),
        ("GET", "/assets/{name}") => get("/assets/qizhi.css"),
        ("GET", "/healthz") => get("/healthz"),
        ("GET", "/api/v1/openapi.json") => get(path),
        ("POST", "/logout") => post("/logout").form(&[("csrf", csrf)]),
        ("GET", "/") | ("GET", "/org") | ("GET", "/imports") | ("GET", "/accounts") | ("GET", "/accounts/new") => {
            get(path)
        }
        ("GET", "/org/children/{id}") => get(&format!("/org/children/{unit}")),
        ("GET", "/units/{id}") => get(&format!("/units/{unit}")),
        ("GET", "/people") => get(&format!("/people?unit={unit}")),
        ("GET", "/assessments") => get(&format!("/assessments?unit={unit}")),
        ("POST", "/assessments/rule") => post("/assessments/rule").form(&[
            ("csrf", csrf),
            ("unit", &unit.to_string()),
            ("kind", "party_building"),
            ("by", "rank"),
            ("value", "2"),
        ]),
        ("PUT", "/api/v1/units/{id}/assessments/rule") => put(&format!("/api/v1/units/{unit}/assessments/rule"))
            .json(&json!({ "kind": "party_building", "by": "rank", "value": "2" })),
        ("GET", "/api/v1/units/{id}/assessments") => {
            get(&format!("/api/v1/units/{unit}/assessments?kind=party_building&year=2024"))
        }
        ("GET", "/people/{id}") => {
            let id = if t == "own" { own_person(me) } else { w.person_in(unit_of(t)).id };
            get(&format!("/people/{id}"))
        }
        ("POST", "/people/{id}/reveal") => {
            let id = if t == "own" { own_person(me) } else { w.person_in(unit_of(t)).id };
            post(&format!("/people/{id}/reveal")).form(&[("csrf", csrf)])
        }
        ("GET", "/imports/{kind}/{file}") if t == "-" => get("/imports/people/template.xlsx"),
        ("GET", "/imports/{kind}/{file}") => get(&format!("/imports/people/export.csv?unit={unit}")),
        ("POST", "/imports/{kind}") => {
            let idn = id_number_with_check(&format!("35010219900101{:03}", seq() % 1000));
            let csv = format!(
                "\u{feff}所在组织编码,姓名,人员类别,身份证号\r\n{},矩阵{},正式党员,{idn}\r\n",
                unit_of(t),
                seq()
            );
            post("/imports/people")
                .multipart(&[Part::Text("csrf", csrf), Part::File("file", "people.csv", "text/csv", csv.as_bytes())])
        }
        ("GET", "/files/{id}") => {
            let f = w.store.put_file(UnitId(unit), "证明.pdf", FileKind::Pdf, b"%PDF-1.7 matrix").await.unwrap();
            get(&format!("/files/{}", f.id))
        }
        ("GET", "/account") => get(path),
        ("POST", "/account/password") => {
            // Reset to the fixture password first, so `current` is right whatever ran before.
            let hash = w.password_hash().await;
            let keep = session.map(|s| qizhi_app::token::token_hash(&s.cookie));
            w.store.set_password(w.user(me), &hash, false, keep.as_deref()).await.unwrap();
            post(path).form(&[
                ("csrf", csrf),
                ("current", PASSWORD),
                ("new", "Matrix-2026-new"),
                ("confirm", "Matrix-2026-new"),
            ])
        }
        ("POST", "/account/tokens") => post(path).form(&[("csrf", csrf), ("name", "矩阵")]),
        ("POST", "/account/tokens/{token}/revoke") => {
            let owner = if t == "own" { w.user(me) } else { w.user("nmadmin") };
            let token = w.store.create_token(owner, "矩阵", &format!("hash{}", seq())).await.unwrap();
            post(&format!("/account/tokens/{token}/revoke")).form(&[("csrf", csrf)])
        }
        ("POST", "/account/logout-all") => post(path).form(&[("csrf", csrf)]),
        ("POST", "/accounts") => post(path).form(&[
            ("csrf", csrf),
            ("username", &format!("new{}", seq())),
            ("display_name", "新账号"),
            ("role", "viewer"),
            ("unit_code", unit_of(t)),
        ]),
        ("GET", "/accounts/{id}") => {
            let id = if t == "own" { w.user(me) } else { account(w, unit_of(t)).await.0 };
            get(&format!("/accounts/{id}"))
        }
        ("POST", "/accounts/{id}/grants") => {
            let (id, _) = account(w, unit_of(t)).await;
            post(&format!("/accounts/{id}/grants")).form(&[
                ("csrf", csrf),
                ("role", "viewer"),
                ("unit_code", unit_of(t)),
            ])
        }
        ("POST", "/accounts/{id}/grants/{grant}/delete") => {
            let (id, grant) = account(w, unit_of(t)).await;
            post(&format!("/accounts/{id}/grants/{grant}/delete")).form(&[("csrf", csrf)])
        }
        ("POST", "/accounts/{id}/disable")
        | ("POST", "/accounts/{id}/enable")
        | ("POST", "/accounts/{id}/password")
        | ("POST", "/accounts/{id}/logout-all") => {
            let id = if t == "own" { w.user(me) } else { account(w, unit_of(t)).await.0 };
            post(&path.replace("{id}", &id.to_string())).form(&[("csrf", csrf)])
        }
        ("POST", "/accounts/{id}/tokens/{token}/revoke") => {
            let (id, _) = account(w, unit_of(t)).await;
            let token = w.store.create_token(id, "矩阵", &format!("hash{}", seq())).await.unwrap();
            post(&format!("/accounts/{id}/tokens/{token}/revoke")).form(&[("csrf", csrf)])
        }
        ("GET", "/audit") => get("/audit?q=login"),
        ("GET", "/audit/{file}") => get("/audit/export.csv"),
        ("GET", "/api/v1/audit") => get("/api/v1/audit"),
        ("GET", "/api/v1/me") => get(path),
        ("GET", "/api/v1/units") => get("/api/v1/units?q=党支部"),
        ("POST", "/api/v1/units") => post(path).json(&json!({
            "parent_id": unit, "code": format!("MX-{}", seq()), "name": "矩阵党小组", "kind": "党小组"
        })),
        ("GET", "/api/v1/units/{id}") => get(&format!("/api/v1/units/{unit}")),
        ("PUT", "/api/v1/units/{id}") => {
            let u = w.store.unit(UnitId(unit)).await.unwrap();
            put(&format!("/api/v1/units/{unit}")).json(&json!({
                "code": u.code, "name": u.name, "kind": u.kind.zh(), "short_name": u.short_name
            }))
        }
        ("GET", "/api/v1/units/{id}/children") => get(&format!("/api/v1/units/{unit}/children")),
        ("POST", "/api/v1/units/{id}/move") => {
            let fields = UnitInput {
                code: format!("MV-{}", seq()),
                name: "待移动党小组".into(),
                kind: "党小组".into(),
                ..Default::default()
            }
            .validate()
            .unwrap();
            let child = w.store.create_unit(Some(UnitId(unit)), &fields).await.unwrap();
            let to = if t == "out" { w.id("NM-001") } else { w.id("FJ01-002") };
            post(&format!("/api/v1/units/{}/move", child.id)).json(&json!({ "parent_id": to }))
        }
        ("GET", "/api/v1/units/{id}/people") => get(&format!("/api/v1/units/{unit}/people")),
        ("GET", "/api/v1/units/{id}/grids") => get(&format!("/api/v1/units/{unit}/grids")),
        ("GET", "/api/v1/units/{id}/scenarios") => get(&format!("/api/v1/units/{unit}/scenarios")),
        ("POST", "/api/v1/people") => {
            let idn = id_number_with_check(&format!("35010219850101{:03}", seq() % 1000));
            post(path).json(&person_body(unit, "矩阵新人", &idn))
        }
        ("GET", "/api/v1/people/{id}") => {
            let id = if t == "own" { own_person(me) } else { w.person_in(unit_of(t)).id };
            get(&format!("/api/v1/people/{id}"))
        }
        ("PUT", "/api/v1/people/{id}") => {
            let id = if t == "own" { own_person(me) } else { w.person_in(unit_of(t)).id };
            let p = w.store.person(PersonId(id)).await.unwrap();
            let f = &p.fields;
            put(&format!("/api/v1/people/{id}")).json(&json!({
                "unit_id": p.unit_id.0, "name": f.name, "gender": f.gender.map(|g| g.code()),
                "category": f.category.code(), "join_date": f.join_date.map(|d| d.to_string()),
                "post": f.post, "birth_date": f.birth_date.map(|d| d.to_string()),
                "phone": format!("1390000{:04}", seq() % 10_000), "id_number": f.id_number,
            }))
        }
        ("GET", "/api/v1/figures") => get(&format!("/api/v1/figures?org={}", unit_of(t))),
        _ => panic!("matrix line {}: no request written for {} {path}", row.line, row.method),
    }
}

/// What a response amounts to, in the matrix's words.
fn outcome(r: &Resp) -> String {
    let to_login = r.location().is_some_and(|l| l.starts_with("/login?next="));
    if r.status.is_redirection() && to_login {
        "login".into()
    } else if r.status.is_success() || r.status.is_redirection() {
        "ok".into()
    } else {
        r.status.as_u16().to_string()
    }
}

async fn denied_count(w: &World) -> usize {
    let q =
        qizhi_store::audit::AuditQuery { action: Some("denied".into()), page: 1, per_page: 1, ..Default::default() };
    w.store.audit_entries(&qizhi_store::Scope::All, &q).await.unwrap().total as usize
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_matrix_says() {
    each_backend(|w| async move {
        let mut problems = vec![];
        for row in rows() {
            let reachable = row.expected.iter().any(|e| e == "ok");
            for (role, expected) in ROLES.iter().zip(&row.expected) {
                // A fresh session per request: some rows end sessions.
                let session = if *role == "anon" { None } else { Some(w.session_of(role).await) };
                let mut req = request_for(&w, &row, role, session.as_ref()).await;
                match &session {
                    None => {}
                    Some(_) if row.path.starts_with("/api/") || row.path == "/files/{id}" => {
                        req = req.bearer(w.token(role))
                    }
                    Some(s) => req = req.session(s),
                }
                let before = denied_count(&w).await;
                let r = w.send(req).await;
                let got = outcome(&r);
                if &got != expected {
                    problems.push(format!(
                        "{} {} [{}] as {role}: expected {expected}, got {got} ({}): {}",
                        row.method,
                        row.path,
                        row.target,
                        r.status,
                        r.snippet().chars().take(160).collect::<String>()
                    ));
                } else if reachable && (got == "403" || got == "404") && denied_count(&w).await == before {
                    problems.push(format!(
                        "{} {} [{}] as {role}: refused with {got} but no `denied` entry in the audit trail",
                        row.method, row.path, row.target
                    ));
                }
            }
        }
        assert!(
            problems.is_empty(),
            "[{}] {} cells differ from the matrix:\n{}",
            w.backend,
            problems.len(),
            problems.join("\n")
        );
    })
    .await;
}

/// Every state-changing route, called by a role that may use it with its
/// session cookie but a wrong CSRF token (in the form and in no header), is
/// refused; the same request with the right token is what the matrix above
/// shows succeeding. API rows, which the matrix calls with bearer tokens,
/// are called with the cookie here.
#[tokio::test]
async fn every_write_route_refuses_a_session_without_its_csrf_token() {
    each_backend(|w| async move {
        let mut problems = vec![];
        let mut checked = 0;
        for row in rows() {
            if row.csrf == "-" {
                assert!(
                    matches!(row.method, Method::GET | Method::HEAD) || row.path == "/login",
                    "{} {}: only reads and the sign-in form may go without the CSRF check",
                    row.method,
                    row.path
                );
                continue;
            }
            let role = ROLES.iter().zip(&row.expected).find(|(_, e)| *e == "ok").map_or("admin", |(r, _)| *r);
            let role = if role == "anon" { "admin" } else { role };
            let session = w.session_of(role).await;
            let forged = Session { cookie: session.cookie.clone(), csrf: "0".repeat(session.csrf.len()) };
            let r = w.send(request_for(&w, &row, role, Some(&forged)).await.session(&forged)).await;
            checked += 1;
            let got = r.status.as_u16().to_string();
            if got != row.csrf || !r.text().contains("CSRF") {
                problems.push(format!(
                    "{} {} [{}] as {role} without the CSRF token: expected {}, got {got}: {}",
                    row.method,
                    row.path,
                    row.target,
                    row.csrf,
                    r.snippet().chars().take(160).collect::<String>()
                ));
            }
        }
        assert!(checked > 100, "[{}] only {checked} write rows", w.backend);
        assert!(problems.is_empty(), "[{}] {} write routes:\n{}", w.backend, problems.len(), problems.join("\n"));
    })
    .await;
}

/// Figures a caller gets for their scope equal what they count by opening
/// the records one by one through the same API.
#[tokio::test]
async fn figures_equal_the_records_a_caller_can_open_one_by_one() {
    each_backend(|w| async move {
        for (user, root) in [("b1admin", "FJ01-001"), ("m_admin", "FJ01"), ("fjadmin", "FJ"), ("viewer", "CU")] {
            let r = w.api_get(user, &format!("/api/v1/figures?org={root}")).await.expect(StatusCode::OK);
            let figures = r.json()["figures"].clone();
            // Walk the tree through the API, opening every unit.
            let mut units = 0;
            let mut branches = 0;
            let mut people = 0;
            let mut members = 0;
            let mut queue = vec![w.id(root)];
            while let Some(id) = queue.pop() {
                let u = w.api_get(user, &format!("/api/v1/units/{id}")).await.expect(StatusCode::OK).json();
                units += 1;
                if u["kind"] == "branch" {
                    branches += 1;
                }
                let kids = w.api_get(user, &format!("/api/v1/units/{id}/children")).await.expect(StatusCode::OK).json();
                for k in kids.as_array().unwrap() {
                    queue.push(k["id"].as_i64().unwrap());
                }
            }
            // People: page through the list, then open each record.
            let mut page = 1;
            loop {
                let uri = format!("/api/v1/units/{}/people?page={page}&per_page=7", w.id(root));
                let list = w.api_get(user, &uri).await.expect(StatusCode::OK).json();
                let items = list["items"].as_array().unwrap().clone();
                if items.is_empty() {
                    break;
                }
                for p in items {
                    let one =
                        w.api_get(user, &format!("/api/v1/people/{}", p["id"])).await.expect(StatusCode::OK).json();
                    people += 1;
                    if one["category"] == "full" || one["category"] == "probationary" {
                        members += 1;
                    }
                }
                page += 1;
            }
            let opened: BTreeMap<&str, i64> = BTreeMap::from([
                ("org.units", units),
                ("org.branches", branches),
                ("org.people", people),
                ("org.members", members),
            ]);
            for (key, n) in &opened {
                assert_eq!(figures[*key].as_i64(), Some(*n), "[{}] {user} at {root}: {key}", w.backend);
            }
        }
    })
    .await;
}
