//! The test world of the web app's HTTP tests, and a small HTTP client that
//! drives the whole app in-process (`tower::ServiceExt::oneshot`).
//!
//! Every test runs on a fresh SQLite database (a temporary file) and, when
//! `QIZHI_TEST_PG_URL` names a PostgreSQL server, again on a fresh PostgreSQL
//! database that is dropped afterwards. Each run builds the same small world
//! through the store API:
//!
//! ```text
//! CU 集团党组
//! ├── FJ 福建省分公司党委
//! │   └── FJ01 福州市分公司党委
//! │       ├── FJ01-001 党支部   24 people (林…), grid FJ-G001 (covered)
//! │       └── FJ01-002 党支部    6 people (陈…)
//! └── NM 内蒙古自治区分公司党委
//!     └── NM-001 党支部          5 people (王…), grid NM-G001
//! ```
//!
//! and five users: `admin` (system_admin), `fjadmin` (unit_admin@FJ),
//! `b1admin` (unit_admin@FJ01-001), `viewer` (viewer@CU) and `nmadmin`
//! (unit_admin@NM). Expected numbers in the tests are computed from what the
//! fixture created (`World::people_under`, `World::branches_under` …), never
//! copied from what the code answered.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use qizhi_core::access::Role;
use qizhi_core::grid::GridInput;
use qizhi_core::ids::{UnitId, UserId};
use qizhi_core::org::{Unit, UnitInput, UnitKind};
use qizhi_core::person::{Category, PersonInput, id_number_with_check};
use qizhi_store::Store;
use qizhi_web::{AppState, WebConfig};
use serde_json::Value;
use sqlx::Executor;
use tower::ServiceExt;

/// The password of every fixture user.
pub const PASSWORD: &str = "Qizhi-test-2026";

static COUNTER: AtomicU32 = AtomicU32::new(0);

// ---------------------------------------------------------------------------
// Backends

/// A fresh, migrated SQLite database in a temporary file.
pub async fn sqlite() -> (Store, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "qizhi-web-test-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let url = format!("sqlite://{}/t.db", dir.display());
    (Store::open(&url).await.expect("open sqlite"), dir)
}

/// Runs `test` on a freshly built [`World`] for every configured backend.
pub async fn each_backend<F, Fut>(test: F)
where
    F: Fn(World) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let test = Arc::new(test);

    let (store, dir) = sqlite().await;
    let sqlite_outcome = run(store.clone(), "sqlite", test.clone()).await;
    store.close().await;
    let _ = std::fs::remove_dir_all(dir);

    // PostgreSQL runs even when SQLite failed, so a report tells whether a
    // failure is one backend's or both; the first failure is re-raised.
    let Ok(admin_url) = std::env::var("QIZHI_TEST_PG_URL") else {
        eprintln!(
            "PostgreSQL SKIPPED: set QIZHI_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run this test on PostgreSQL too"
        );
        if let Err(e) = sqlite_outcome {
            std::panic::resume_unwind(e.into_panic());
        }
        return;
    };
    let name = format!("qizhi_web_t_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&admin_url).await.expect("connect to QIZHI_TEST_PG_URL");
    admin.execute(format!("DROP DATABASE IF EXISTS {name}").as_str()).await.unwrap();
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("QIZHI_TEST_PG_URL must end in /DATABASE"),
    };
    let store = Store::open(&url).await.expect("open postgres");
    let outcome = run(store.clone(), "postgres", test).await;
    store.close().await;
    admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await.unwrap();
    admin.close().await;
    match (sqlite_outcome, outcome) {
        (Err(e), pg) => {
            eprintln!("PostgreSQL run of the same test: {}", if pg.is_ok() { "passed" } else { "FAILED too" });
            std::panic::resume_unwind(e.into_panic());
        }
        (Ok(()), Err(e)) => std::panic::resume_unwind(e.into_panic()),
        (Ok(()), Ok(())) => {}
    }
}

async fn run<F, Fut>(store: Store, backend: &'static str, test: Arc<F>) -> Result<(), tokio::task::JoinError>
where
    F: Fn(World) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        let world = World::build(store, backend).await;
        test(world).await;
    })
    .await
}

// ---------------------------------------------------------------------------
// The world

/// A person the fixture created, with everything the tests compare against.
#[derive(Debug, Clone)]
pub struct Fx {
    pub id: i64,
    pub unit_code: &'static str,
    pub name: String,
    pub category: Category,
    pub join_date: Option<String>,
    pub birth_date: String,
    pub phone: String,
    pub id_number: String,
}

/// The app over a store holding the fixture, and what the fixture created.
pub struct World {
    pub store: Store,
    pub app: Router,
    /// "sqlite" or "postgres", for assertion messages.
    pub backend: &'static str,
    units: BTreeMap<&'static str, Unit>,
    pub people: Vec<Fx>,
    users: BTreeMap<&'static str, UserId>,
    tokens: BTreeMap<&'static str, String>,
}

/// (code, name, short name, kind, parent code)
type UnitSpec = (&'static str, &'static str, Option<&'static str>, &'static str, Option<&'static str>);

const UNITS: &[UnitSpec] = &[
    ("CU", "中国联通集团党组", Some("集团党组"), "党组", None),
    ("FJ", "福建省分公司党委", Some("福建联通"), "党委", Some("CU")),
    ("NM", "内蒙古自治区分公司党委", Some("内蒙古联通"), "党委", Some("CU")),
    ("FJ01", "福州市分公司党委", None, "党委", Some("FJ")),
    ("FJ01-001", "福州鼓楼营业部党支部", None, "党支部", Some("FJ01")),
    ("FJ01-002", "福州网络运维党支部", None, "党支部", Some("FJ01")),
    ("NM-001", "呼和浩特政企客户党支部", None, "党支部", Some("NM")),
];

/// (unit code, surname, how many, ID-number region)
const PEOPLE: &[(&str, &str, usize, &str)] =
    &[("FJ01-001", "林", 24, "350102"), ("FJ01-002", "陈", 6, "350103"), ("NM-001", "王", 5, "150102")];

const GIVEN: &[&str] = &[
    "建华", "雅婷", "志强", "晓燕", "海峰", "丽娟", "国平", "美玲", "文涛", "秀英", "俊杰", "慧敏", "立新", "春梅",
    "志明", "玉兰", "永刚", "晓红", "振宇", "桂芳", "德胜", "静怡", "明辉", "淑珍",
];

const CATEGORIES: [Category; 5] =
    [Category::Full, Category::Full, Category::Probationary, Category::League, Category::Staff];

/// (username, display name, role, unit code)
pub const USERS: &[(&str, &str, Role, Option<&str>)] = &[
    ("admin", "系统管理员", Role::SystemAdmin, None),
    ("fjadmin", "福建党务管理员", Role::UnitAdmin, Some("FJ")),
    ("b1admin", "鼓楼支部管理员", Role::UnitAdmin, Some("FJ01-001")),
    ("viewer", "集团查阅人", Role::Viewer, Some("CU")),
    ("nmadmin", "内蒙古党务管理员", Role::UnitAdmin, Some("NM")),
    // One account per role over the same unit, FJ01, for the permission
    // matrix; each is also a person of FJ01-001 (see `MATRIX_PEOPLE`).
    ("m_admin", "福州党务管理员", Role::UnitAdmin, Some("FJ01")),
    ("m_reviewer", "福州审核人", Role::Reviewer, Some("FJ01")),
    ("m_member", "鼓楼党员", Role::Member, Some("FJ01-001")),
    ("m_viewer", "福州纪检", Role::Viewer, Some("FJ01")),
    ("m_login", "登录测试", Role::Viewer, Some("FJ01")),
];

/// The matrix accounts linked to people of FJ01-001: (username, index among
/// that branch's fixture people). Each is a party member (full or
/// probationary, see `CATEGORIES`), so that every account has records of its
/// own to act on: commitments, which only party members make.
pub const MATRIX_PEOPLE: &[(&str, usize)] =
    &[("admin", 1), ("m_admin", 2), ("m_reviewer", 10), ("m_member", 6), ("m_viewer", 5)];

/// The argon2 hash of [`PASSWORD`], computed once per test binary (argon2 is
/// slow on purpose, and slower still in a debug build).
async fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(h) = HASH.get() {
        return h.clone();
    }
    let h = qizhi_app::password::hash(PASSWORD.to_string()).await.expect("hash the fixture password");
    HASH.get_or_init(|| h).clone()
}

/// Mints an API token for `user` the way `qizhi user token` does: the store
/// keeps only its hash.
pub async fn mint_token(store: &Store, user: UserId, name: &str) -> String {
    let token = qizhi_app::token::random_token();
    store.create_token(user, name, &qizhi_app::token::token_hash(&token)).await.expect("create token");
    token
}

impl World {
    pub async fn build(store: Store, backend: &'static str) -> World {
        let mut units: BTreeMap<&'static str, Unit> = BTreeMap::new();
        for &(code, name, short, kind, parent) in UNITS {
            let fields = UnitInput {
                code: code.into(),
                name: name.into(),
                short_name: short.map(Into::into),
                kind: kind.into(),
                ..Default::default()
            }
            .validate()
            .expect("fixture unit is valid");
            let parent = parent.map(|p| units[p].id);
            let unit = store.create_unit(parent, &fields).await.expect("create unit");
            units.insert(code, unit);
        }

        let mut people = vec![];
        for &(unit_code, surname, n, region) in PEOPLE {
            let unit = units[unit_code].id;
            for i in 0..n {
                let category = CATEGORIES[i % CATEGORIES.len()];
                let join_date = category.is_member().then(|| format!("{}-07-01", 2010 + i % 9));
                let birth_date = format!("{}-03-{:02}", 1975 + i % 20, 1 + i % 28);
                let phone = format!("1390000{:04}", people.len());
                let id_number = id_number_with_check(&format!("{region}{}0101{:03}", 1975 + i % 20, i));
                let name = format!("{surname}{}", GIVEN[i % GIVEN.len()]);
                let fields = PersonInput {
                    name: name.clone(),
                    gender: Some(if i % 2 == 0 { "男" } else { "女" }.into()),
                    category: category.code().into(),
                    join_date: join_date.clone(),
                    post: Some(if i == 0 { "支部书记" } else { "员工" }.into()),
                    birth_date: Some(birth_date.clone()),
                    phone: Some(phone.clone()),
                    id_number: Some(id_number.clone()),
                }
                .validate()
                .expect("fixture person is valid");
                let p = store.create_person(unit, &fields).await.expect("create person");
                people.push(Fx { id: p.id.0, unit_code, name, category, join_date, birth_date, phone, id_number });
            }
        }

        for (unit, code, name, contact) in
            [("FJ01-001", "FJ-G001", "鼓楼网格", Some("FJ01-001")), ("NM-001", "NM-G001", "新城区网格", None)]
        {
            let fields = GridInput { code: code.into(), name: name.into() }.validate().expect("fixture grid is valid");
            store.save_grid(units[unit].id, &fields, contact.map(|c| units[c].id)).await.expect("save grid");
        }

        let hash = password_hash().await;
        let mut users = BTreeMap::new();
        let mut tokens = BTreeMap::new();
        for &(username, display, role, unit) in USERS {
            let id = store.create_user(username, display, &hash).await.expect("create user");
            store.add_grant(id, role, unit.map(|u| units[u].id)).await.expect("grant");
            users.insert(username, id);
            tokens.insert(username, mint_token(&store, id, "tests").await);
        }

        let branch: Vec<&Fx> = people.iter().filter(|p| p.unit_code == "FJ01-001").collect();
        for &(username, i) in MATRIX_PEOPLE {
            let person = qizhi_core::ids::PersonId(branch[i].id);
            store.link_user_person(users[username], Some(person)).await.expect("link a matrix account to its person");
        }

        let app = qizhi_web::app(AppState::new(store.clone(), WebConfig::default()));
        World { store, app, backend, units, people, users, tokens }
    }

    // -- what the fixture holds ------------------------------------------------

    pub fn unit(&self, code: &str) -> &Unit {
        self.units.get(code).unwrap_or_else(|| panic!("no fixture unit {code}"))
    }

    /// The id of a fixture unit.
    pub fn id(&self, code: &str) -> i64 {
        self.unit(code).id.0
    }

    pub fn user(&self, username: &str) -> UserId {
        self.users[username]
    }

    /// An API token of a fixture user (minted with [`mint_token`] at build).
    pub fn token(&self, username: &str) -> &str {
        &self.tokens[username]
    }

    /// Fixture units in the subtree of `code` (itself included).
    pub fn subtree(&self, code: &str) -> Vec<&Unit> {
        let root = &self.unit(code).path;
        self.units.values().filter(|u| u.path.starts_with(root.as_str())).collect()
    }

    pub fn branches_under(&self, code: &str) -> i64 {
        self.subtree(code).iter().filter(|u| u.kind == UnitKind::Branch).count() as i64
    }

    /// Fixture people in the subtree of `code`.
    pub fn people_under(&self, code: &str) -> Vec<&Fx> {
        let codes: Vec<&str> = self.subtree(code).iter().map(|u| u.code.as_str()).collect();
        self.people.iter().filter(|p| codes.contains(&p.unit_code)).collect()
    }

    /// Party members (full and probationary) in the subtree of `code`.
    pub fn members_under(&self, code: &str) -> i64 {
        self.people_under(code).iter().filter(|p| p.category.is_member()).count() as i64
    }

    pub fn person_in(&self, unit_code: &str) -> &Fx {
        self.people
            .iter()
            .find(|p| p.unit_code == unit_code)
            .unwrap_or_else(|| panic!("no fixture person in {unit_code}"))
    }

    // -- HTTP ------------------------------------------------------------------

    /// Sends one request through the whole app.
    pub async fn send(&self, req: Req) -> Resp {
        self.send_via(&self.app, req).await
    }

    /// The app over this world's store with other settings (e.g. timeouts).
    pub fn app_with(&self, config: WebConfig) -> Router {
        qizhi_web::app(AppState::new(self.store.clone(), config))
    }

    /// Sends one request through `app` (see [`World::app_with`]).
    pub async fn send_via(&self, app: &Router, req: Req) -> Resp {
        let what = format!("{} {}", req.method, req.uri);
        let mut builder = Request::builder().method(req.method).uri(&req.uri);
        for (k, v) in &req.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        if !req.cookies.is_empty() {
            let cookies = req.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            builder = builder.header(header::COOKIE, cookies);
        }
        let request = builder.body(Body::from(req.body)).expect("a valid request");
        let response = app.clone().oneshot(request).await.expect("the router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.expect("read the body").to_bytes().to_vec();
        Resp { what: format!("[{}] {what}", self.backend), status, headers, body }
    }

    /// `GET uri` with a bearer token of `username`.
    pub async fn api_get(&self, username: &str, uri: &str) -> Resp {
        self.send(get(uri).bearer(self.token(username))).await
    }

    /// The figures of the unit `code` as the API answers them (as admin), for
    /// the current year.
    pub async fn figures(&self, code: &str) -> Value {
        let r = self.api_get("admin", &format!("/api/v1/figures?org={code}")).await.expect(StatusCode::OK);
        r.json()["figures"].clone()
    }

    /// One count figure of the unit `code` (as admin).
    pub async fn count(&self, code: &str, key: &str) -> i64 {
        let f = self.figures(code).await;
        f[key].as_i64().unwrap_or_else(|| panic!("[{}] figure {key} of {code} is not a count: {f}", self.backend))
    }

    /// Signs `username` in through `GET /login` and `POST /login`, then reads
    /// the session's CSRF token from the dashboard.
    pub async fn login(&self, username: &str) -> Session {
        let (resp, _) = self.post_login(username, PASSWORD, "/", &[]).await;
        let resp = resp.expect(StatusCode::SEE_OTHER);
        let cookie = resp
            .cookie(qizhi_web::auth::SESSION_COOKIE)
            .unwrap_or_else(|| panic!("{}: no session cookie set", resp.what));
        let mut session = Session { cookie, csrf: String::new() };
        // A member's home is their own page, `/`'s redirect.
        let mut home = self.send(get("/").session(&session)).await;
        if let Some(to) = home.location().filter(|_| home.status == StatusCode::SEE_OTHER).map(str::to_string) {
            home = self.send(get(&to).session(&session)).await;
        }
        let home = home.expect(StatusCode::OK);
        session.csrf = csrf_of(&home.text()).unwrap_or_else(|| panic!("{}: no csrf input on the dashboard", home.what));
        session
    }

    /// A fresh session of `username`, made in the store directly (no
    /// sign-in round trip): for tests that need many sessions.
    pub async fn session_of(&self, username: &str) -> Session {
        let cookie = qizhi_app::token::random_token();
        let csrf = qizhi_app::token::random_token();
        self.store
            .create_session(&qizhi_app::token::token_hash(&cookie), self.user(username), &csrf)
            .await
            .expect("create a session");
        Session { cookie, csrf }
    }

    /// The argon2 hash of the fixture password (computed once).
    pub async fn password_hash(&self) -> String {
        password_hash().await
    }

    /// `GET /login` then `POST /login` with the login CSRF cookie and token,
    /// plus any `extra` cookies (e.g. a planted session). Returns the answer to
    /// the POST and the login CSRF token used.
    pub async fn post_login(
        &self,
        username: &str,
        password: &str,
        next: &str,
        extra: &[(&str, &str)],
    ) -> (Resp, String) {
        let form = self.send(get("/login")).await.expect(StatusCode::OK);
        let csrf = form
            .cookie(qizhi_web::auth::LOGIN_CSRF_COOKIE)
            .unwrap_or_else(|| panic!("{}: no login csrf cookie", form.what));
        assert_eq!(
            csrf_of(&form.text()).as_deref(),
            Some(csrf.as_str()),
            "the login form carries the token of its cookie"
        );
        let mut req = post("/login").cookie(qizhi_web::auth::LOGIN_CSRF_COOKIE, &csrf).form(&[
            ("username", username),
            ("password", password),
            ("next", next),
            ("csrf", &csrf),
        ]);
        for (k, v) in extra {
            req = req.cookie(k, v);
        }
        (self.send(req).await, csrf)
    }
}

/// A signed-in browser: its session cookie and the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

// ---------------------------------------------------------------------------
// Requests

pub struct Req {
    method: Method,
    uri: String,
    headers: Vec<(String, String)>,
    cookies: Vec<(String, String)>,
    body: Vec<u8>,
}

pub fn request(method: Method, uri: &str) -> Req {
    Req { method, uri: uri.to_string(), headers: vec![], cookies: vec![], body: vec![] }
}

pub fn get(uri: &str) -> Req {
    request(Method::GET, uri)
}

pub fn post(uri: &str) -> Req {
    request(Method::POST, uri)
}

pub fn put(uri: &str) -> Req {
    request(Method::PUT, uri)
}

/// One part of a multipart form.
pub enum Part<'a> {
    Text(&'a str, &'a str),
    /// (field name, file name, content type, bytes)
    File(&'a str, &'a str, &'a str, &'a [u8]),
}

pub const BOUNDARY: &str = "----qizhi-test-boundary-5f2a9c";

impl Req {
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn cookie(mut self, name: &str, value: &str) -> Self {
        self.cookies.push((name.to_string(), value.to_string()));
        self
    }

    /// Sends the session cookie (no CSRF header).
    pub fn session(self, s: &Session) -> Self {
        self.cookie(qizhi_web::auth::SESSION_COOKIE, &s.cookie)
    }

    /// Adds the `X-CSRF-Token` header of the session.
    pub fn csrf(self, s: &Session) -> Self {
        self.header(qizhi_web::auth::CSRF_HEADER, &s.csrf)
    }

    pub fn bearer(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }

    pub fn json(mut self, value: &Value) -> Self {
        self.body = serde_json::to_vec(value).unwrap();
        self.header("content-type", "application/json")
    }

    pub fn raw(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self.header("content-type", content_type)
    }

    /// An `application/x-www-form-urlencoded` body.
    pub fn form(self, pairs: &[(&str, &str)]) -> Self {
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", qizhi_web::views::encode(k), qizhi_web::views::encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.raw("application/x-www-form-urlencoded", body)
    }

    /// A `multipart/form-data` body, built by hand with [`BOUNDARY`].
    pub fn multipart(self, parts: &[Part]) -> Self {
        let mut body = Vec::new();
        for part in parts {
            body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            match part {
                Part::Text(name, value) => {
                    body.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                    );
                    body.extend_from_slice(value.as_bytes());
                }
                Part::File(name, filename, content_type, bytes) => {
                    body.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                    body.extend_from_slice(bytes);
                }
            }
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        self.raw(&format!("multipart/form-data; boundary={BOUNDARY}"), body)
    }
}

// ---------------------------------------------------------------------------
// Responses

pub struct Resp {
    /// "[backend] METHOD uri", for assertion messages.
    pub what: String,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    /// Asserts the status, showing the start of the body when it differs.
    #[track_caller]
    pub fn expect(self, status: StatusCode) -> Self {
        assert_eq!(
            self.status,
            status,
            "{}: expected {status}, got {} with body:\n{}",
            self.what,
            self.status,
            self.snippet()
        );
        self
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body's first characters, for messages.
    pub fn snippet(&self) -> String {
        self.text().chars().take(1500).collect()
    }

    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("{}: body is not JSON ({e}); content-type {:?}:\n{}", self.what, self.content_type(), self.snippet())
        })
    }

    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
    }

    /// The value a `Set-Cookie` header of this response gives `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookie(name).map(|c| c.split(';').next().unwrap_or("")[name.len() + 1..].to_string())
    }

    /// The whole `Set-Cookie` header for `name` (with its attributes).
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }

    /// `error.code` of an API error envelope.
    #[track_caller]
    pub fn error_code(&self) -> String {
        let v = self.json();
        v["error"]["code"].as_str().unwrap_or_else(|| panic!("{}: not an error envelope: {v}", self.what)).to_string()
    }

    /// The `field` names of an API `invalid` error.
    #[track_caller]
    pub fn error_fields(&self) -> Vec<String> {
        let v = self.json();
        v["error"]["fields"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no error.fields in {v}", self.what))
            .iter()
            .map(|f| f["field"].as_str().unwrap_or_default().to_string())
            .collect()
    }
}

// ---------------------------------------------------------------------------
// HTML helpers

/// The value of the first `name="csrf"` hidden input of a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

/// The shown value of a figure tile (`data-figure="org.branches"`), with
/// thousands separators removed.
pub fn tile_value(html: &str, key: &str) -> Option<String> {
    let marker = format!(r#"data-figure="{key}""#);
    let at = html.find(&marker)?;
    let rest = &html[at..];
    let start = rest.find(r#"class="tile-value">"#)? + r#"class="tile-value">"#.len();
    let end = rest[start..].find('<')?;
    Some(rest[start..start + end].trim().replace(',', ""))
}

/// The `<tbody>` rows of the first table of a page.
pub fn table_rows(html: &str) -> usize {
    let Some(start) = html.find("<tbody>") else {
        return 0;
    };
    let end = html[start..].find("</tbody>").map_or(html.len(), |e| start + e);
    html[start..end].matches("<tr>").count()
}

/// The id of a unit in a JSON answer.
pub fn unit_id_of(v: &Value) -> UnitId {
    UnitId(v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}")))
}
