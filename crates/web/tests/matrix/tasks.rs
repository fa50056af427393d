//! The permission matrix of the tasks routes: tasks and their progress
//! ledgers, fortresses and flags, teams, member commitments and a member's
//! own page. See `main.rs` for the columns, targets and outcomes.
//!
//! Targets here: `in` = a record of FJ01-001 (a task another person of the
//! branch answers for, another party member's commitment), `out` = one of
//! NM-001, `own` = a task the caller's person answers for, the caller's own
//! commitment or page; `-` = a list or form of the caller's scope root (no
//! `unit=`). Reading is for those who may read the unit; changing records
//! for unit admins; progress for the task's responsible people too (as
//! themselves, whatever their role); commitments are made, changed and
//! withdrawn by their own member and verified by unit admins and reviewers,
//! never by their own member.

use qizhi_core::ids::{CommitmentId, FortressId, PersonId, TaskId, TeamId, UnitId};
use qizhi_core::tasks::{FortressInput, TaskInput};
use qizhi_core::teams::TeamInput;
use serde_json::json;

use crate::common::*;
use crate::{Row, seq, unit_of};

#[rustfmt::skip]
pub const MATRIX: &str = "
# method path                                   target  admin  unit_admin reviewer member viewer anonymous  csrf
# -- the task ledger
GET    /tasks                                    -      ok     ok     ok     404    ok     login -
GET    /tasks                                    in     ok     ok     ok     404    ok     login -
GET    /tasks                                    out    ok     404    404    404    404    login -
GET    /tasks/new                                -      ok     ok     403    404    403    login -
GET    /tasks/new                                in     ok     ok     403    404    403    login -
GET    /tasks/new                                out    ok     404    404    404    404    login -
POST   /tasks                                    in     ok     ok     403    404    403    login 403
POST   /tasks                                    out    ok     404    404    404    404    login 403
POST   /tasks/bulk                               in     ok     ok     403    404    403    login 403
POST   /tasks/bulk                               out    ok     404    404    404    404    login 403
POST   /tasks/bulk                               own    ok     ok     403    403    403    login 403
GET    /tasks/{id}                               in     ok     ok     ok     404    ok     login -
GET    /tasks/{id}                               out    ok     404    404    404    404    login -
GET    /tasks/{id}                               own    ok     ok     ok     ok     ok     login -
POST   /tasks/{id}                               in     ok     ok     403    404    403    login 403
POST   /tasks/{id}                               out    ok     404    404    404    404    login 403
POST   /tasks/{id}                               own    ok     ok     403    403    403    login 403
GET    /tasks/{id}/edit                          in     ok     ok     403    404    403    login -
GET    /tasks/{id}/edit                          out    ok     404    404    404    404    login -
GET    /tasks/{id}/edit                          own    ok     ok     403    403    403    login -
POST   /tasks/{id}/entries                       in     ok     ok     403    404    403    login 403
POST   /tasks/{id}/entries                       out    ok     404    404    404    404    login 403
POST   /tasks/{id}/entries                       own    ok     ok     ok     ok     ok     login 403
POST   /tasks/{id}/entries/{entry}               in     403    403    403    404    403    login 403
POST   /tasks/{id}/entries/{entry}               out    403    404    404    404    404    login 403
POST   /tasks/{id}/entries/{entry}               own    ok     ok     ok     ok     ok     login 403
# -- fortresses and flags
GET    /fortresses                               -      ok     ok     ok     404    ok     login -
GET    /fortresses                               in     ok     ok     ok     404    ok     login -
GET    /fortresses                               out    ok     404    404    404    404    login -
GET    /fortresses/new                           -      ok     ok     403    404    403    login -
GET    /fortresses/new                           in     ok     ok     403    404    403    login -
GET    /fortresses/new                           out    ok     404    404    404    404    login -
POST   /fortresses                               in     ok     ok     403    404    403    login 403
POST   /fortresses                               out    ok     404    404    404    404    login 403
GET    /fortresses/{id}                          in     ok     ok     ok     404    ok     login -
GET    /fortresses/{id}                          out    ok     404    404    404    404    login -
POST   /fortresses/{id}                          in     ok     ok     403    404    403    login 403
POST   /fortresses/{id}                          out    ok     404    404    404    404    login 403
POST   /fortresses/{id}/flag                     in     ok     ok     403    404    403    login 403
POST   /fortresses/{id}/flag                     out    ok     404    404    404    404    login 403
# -- teams
GET    /teams                                    -      ok     ok     ok     404    ok     login -
GET    /teams                                    in     ok     ok     ok     404    ok     login -
GET    /teams                                    out    ok     404    404    404    404    login -
GET    /teams/new                                -      ok     ok     403    404    403    login -
GET    /teams/new                                in     ok     ok     403    404    403    login -
GET    /teams/new                                out    ok     404    404    404    404    login -
POST   /teams                                    in     ok     ok     403    404    403    login 403
POST   /teams                                    out    ok     404    404    404    404    login 403
GET    /teams/{id}                               in     ok     ok     ok     404    ok     login -
GET    /teams/{id}                               out    ok     404    404    404    404    login -
POST   /teams/{id}                               in     ok     ok     403    404    403    login 403
POST   /teams/{id}                               out    ok     404    404    404    404    login 403
POST   /teams/{id}/members                       in     ok     ok     403    404    403    login 403
POST   /teams/{id}/members                       out    ok     404    404    404    404    login 403
# -- commitments: the branch's board, a member's own page
GET    /commitments                              -      ok     ok     ok     404    ok     login -
GET    /commitments                              in     ok     ok     ok     404    ok     login -
GET    /commitments                              out    ok     404    404    404    404    login -
POST   /commitments/verify                       in     ok     ok     ok     404    403    login 403
POST   /commitments/verify                       out    ok     404    404    404    404    login 403
POST   /commitments/verify                       own    403    403    403    403    403    login 403
POST   /commitments/{id}/verify                  in     ok     ok     ok     404    403    login 403
POST   /commitments/{id}/verify                  out    ok     404    404    404    404    login 403
POST   /commitments/{id}/verify                  own    403    403    403    403    403    login 403
GET    /my                                       own    ok     ok     ok     ok     ok     login -
POST   /my/commitments                           own    ok     ok     ok     ok     ok     login 403
POST   /my/commitments/{id}                      in     404    404    404    404    404    login 403
POST   /my/commitments/{id}                      out    404    404    404    404    404    login 403
POST   /my/commitments/{id}                      own    ok     ok     ok     ok     ok     login 403
POST   /my/commitments/{id}/delete               in     404    404    404    404    404    login 403
POST   /my/commitments/{id}/delete               out    404    404    404    404    404    login 403
POST   /my/commitments/{id}/delete               own    ok     ok     ok     ok     ok     login 403
# -- the API: tasks
GET    /api/v1/units/{id}/tasks                  in     ok     ok     ok     404    ok     401  -
GET    /api/v1/units/{id}/tasks                  out    ok     404    404    404    404    401  -
POST   /api/v1/tasks                             in     ok     ok     403    404    403    401  403
POST   /api/v1/tasks                             out    ok     404    404    404    404    401  403
POST   /api/v1/tasks/bulk                        in     ok     ok     403    404    403    401  403
POST   /api/v1/tasks/bulk                        out    ok     404    404    404    404    401  403
POST   /api/v1/tasks/bulk                        own    ok     ok     403    403    403    401  403
GET    /api/v1/tasks/{id}                        in     ok     ok     ok     404    ok     401  -
GET    /api/v1/tasks/{id}                        out    ok     404    404    404    404    401  -
GET    /api/v1/tasks/{id}                        own    ok     ok     ok     ok     ok     401  -
PUT    /api/v1/tasks/{id}                        in     ok     ok     403    404    403    401  403
PUT    /api/v1/tasks/{id}                        out    ok     404    404    404    404    401  403
PUT    /api/v1/tasks/{id}                        own    ok     ok     403    403    403    401  403
GET    /api/v1/tasks/{id}/entries                in     ok     ok     ok     404    ok     401  -
GET    /api/v1/tasks/{id}/entries                out    ok     404    404    404    404    401  -
GET    /api/v1/tasks/{id}/entries                own    ok     ok     ok     ok     ok     401  -
POST   /api/v1/tasks/{id}/entries                in     ok     ok     403    404    403    401  403
POST   /api/v1/tasks/{id}/entries                out    ok     404    404    404    404    401  403
POST   /api/v1/tasks/{id}/entries                own    ok     ok     ok     ok     ok     401  403
GET    /api/v1/me/tasks                          own    ok     ok     ok     ok     ok     401  -
# -- the API: fortresses and teams
GET    /api/v1/units/{id}/fortresses             in     ok     ok     ok     404    ok     401  -
GET    /api/v1/units/{id}/fortresses             out    ok     404    404    404    404    401  -
POST   /api/v1/fortresses                        in     ok     ok     403    404    403    401  403
POST   /api/v1/fortresses                        out    ok     404    404    404    404    401  403
GET    /api/v1/fortresses/{id}                   in     ok     ok     ok     404    ok     401  -
GET    /api/v1/fortresses/{id}                   out    ok     404    404    404    404    401  -
PUT    /api/v1/fortresses/{id}                   in     ok     ok     403    404    403    401  403
PUT    /api/v1/fortresses/{id}                   out    ok     404    404    404    404    401  403
POST   /api/v1/fortresses/{id}/flag              in     ok     ok     403    404    403    401  403
POST   /api/v1/fortresses/{id}/flag              out    ok     404    404    404    404    401  403
GET    /api/v1/units/{id}/teams                  in     ok     ok     ok     404    ok     401  -
GET    /api/v1/units/{id}/teams                  out    ok     404    404    404    404    401  -
POST   /api/v1/teams                             in     ok     ok     403    404    403    401  403
POST   /api/v1/teams                             out    ok     404    404    404    404    401  403
GET    /api/v1/teams/{id}                        in     ok     ok     ok     404    ok     401  -
GET    /api/v1/teams/{id}                        out    ok     404    404    404    404    401  -
PUT    /api/v1/teams/{id}                        in     ok     ok     403    404    403    401  403
PUT    /api/v1/teams/{id}                        out    ok     404    404    404    404    401  403
PUT    /api/v1/teams/{id}/members                in     ok     ok     403    404    403    401  403
PUT    /api/v1/teams/{id}/members                out    ok     404    404    404    404    401  403
# -- the API: commitments
GET    /api/v1/units/{id}/commitments            in     ok     ok     ok     404    ok     401  -
GET    /api/v1/units/{id}/commitments            out    ok     404    404    404    404    401  -
GET    /api/v1/units/{id}/commitments/missing    in     ok     ok     ok     404    ok     401  -
GET    /api/v1/units/{id}/commitments/missing    out    ok     404    404    404    404    401  -
GET    /api/v1/me/commitments                    own    ok     ok     ok     ok     ok     401  -
POST   /api/v1/commitments                       in     ok     ok     403    404    403    401  403
POST   /api/v1/commitments                       out    ok     404    404    404    404    401  403
POST   /api/v1/commitments                       own    ok     ok     ok     ok     ok     401  403
PUT    /api/v1/commitments/{id}                  in     ok     ok     403    404    403    401  403
PUT    /api/v1/commitments/{id}                  out    ok     404    404    404    404    401  403
PUT    /api/v1/commitments/{id}                  own    ok     ok     ok     ok     ok     401  403
POST   /api/v1/commitments/{id}/verify           in     ok     ok     ok     404    403    401  403
POST   /api/v1/commitments/{id}/verify           out    ok     404    404    404    404    401  403
POST   /api/v1/commitments/{id}/verify           own    403    403    403    403    403    401  403
";

fn year() -> i32 {
    qizhi_core::date::this_year()
}

fn today() -> String {
    qizhi_core::date::iso(qizhi_core::date::today())
}

/// The person a row's record is about: the caller's own (`own`; the
/// anonymous caller borrows `m_viewer`'s, as in `main.rs`), else a party
/// member no matrix account is linked to, of FJ01-001 (`in`) or NM-001 (`out`).
fn person_of(w: &World, target: &str, role: &str) -> PersonId {
    if target == "own" {
        let me = if role == "anon" { "m_viewer" } else { role };
        let i = MATRIX_PEOPLE.iter().find(|(u, _)| *u == me).map(|(_, i)| *i).expect("a matrix account");
        let branch: Vec<&Fx> = w.people.iter().filter(|p| p.unit_code == "FJ01-001").collect();
        return PersonId(branch[i].id);
    }
    let linked: Vec<usize> = MATRIX_PEOPLE.iter().map(|(_, i)| *i).collect();
    let p = w
        .people
        .iter()
        .filter(|p| p.unit_code == unit_of(target))
        .enumerate()
        .find(|(i, p)| p.category.is_member() && (target == "out" || !linked.contains(i)))
        .map(|(_, p)| p)
        .expect("a party member no matrix account is linked to");
    PersonId(p.id)
}

fn unit_id(w: &World, target: &str) -> UnitId {
    UnitId(w.id(unit_of(target)))
}

/// A fresh task of the target's unit, open, answered for by the row's person.
async fn task(w: &World, target: &str, role: &str) -> TaskId {
    let y = year();
    let (code, fields) = TaskInput {
        kind: "目标任务".into(),
        name: format!("矩阵任务{}", seq()),
        year: Some(y.to_string()),
        start_on: Some(format!("{y}-01-02")),
        responsible: vec![person_of(w, target, role).0],
        ..Default::default()
    }
    .validate()
    .unwrap();
    w.store.create_task(unit_id(w, target), code.as_deref(), &fields).await.unwrap().id
}

/// The id of the grid a fortress of the target's unit stands on.
async fn grid(w: &World, target: &str) -> i64 {
    w.store.grids_in(w.unit(unit_of(target))).await.unwrap()[0].0.id.0
}

/// A fresh standing fortress of the target's unit, on its grid, flag not planted.
async fn fortress(w: &World, target: &str) -> FortressId {
    let fields = FortressInput {
        code: format!("MX-BL{}", seq()),
        name: "矩阵堡垒".into(),
        grid_id: Some(grid(w, target).await),
        set_up_on: format!("{}-01-01", year()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    w.store.create_fortress(unit_id(w, target), &fields).await.unwrap().id
}

/// A fresh team of the target's unit.
async fn team(w: &World, target: &str) -> TeamId {
    let fields = TeamInput {
        code: format!("MX-DW{}", seq()),
        name: "矩阵突击队".into(),
        kind: "突击队".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    w.store.create_team(unit_id(w, target), &fields, &[]).await.unwrap().id
}

/// A fresh pending commitment of the row's person.
async fn commitment(w: &World, target: &str, role: &str) -> CommitmentId {
    let fields = qizhi_core::commitments::CommitmentInput {
        year: year().to_string(),
        text: format!("矩阵承诺{}", seq()),
        category: Some("work".into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    w.store.create_commitment(person_of(w, target, role), &fields).await.unwrap().id
}

/// The fields of a task form (create and edit).
fn task_form(w: &World, target: &str, role: &str) -> Vec<(String, String)> {
    pairs(&[
        ("kind", "target".into()),
        ("name", format!("矩阵任务{}", seq())),
        ("year", year().to_string()),
        ("status", "not_started".into()),
        ("priority", "normal".into()),
        ("responsible", person_of(w, target, role).0.to_string()),
    ])
}

fn task_body(w: &World, target: &str, role: &str) -> serde_json::Value {
    json!({
        "kind": "target", "name": format!("矩阵任务{}", seq()), "year": year(), "status": "not_started",
        "responsible": [person_of(w, target, role).0],
    })
}

/// A page form: the session's CSRF token, then `pairs`.
fn form(path: &str, csrf: &str, pairs: &[(String, String)]) -> Req {
    let mut all: Vec<(&str, &str)> = vec![("csrf", csrf)];
    all.extend(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    post(path).form(&all)
}

fn pairs(p: &[(&str, String)]) -> Vec<(String, String)> {
    p.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

/// The request a role makes for a tasks row, or `None` for rows of other areas.
pub async fn request(w: &World, row: &Row, role: &str, session: Option<&Session>) -> Option<Req> {
    let csrf = session.map_or("", |s| s.csrf.as_str());
    let t = row.target.as_str();
    let unit = w.id(unit_of(t));
    // `?unit=` of a list or form: none for the caller's scope root.
    let of_unit = |path: &str| if t == "-" { path.to_string() } else { format!("{path}?unit={unit}") };
    let y = year();
    let req = match (row.method.as_str(), row.path.as_str()) {
        // -- the task ledger
        ("GET", "/tasks") => get(&of_unit("/tasks")),
        ("GET", "/tasks/new") => get(&of_unit("/tasks/new")),
        ("POST", "/tasks") => {
            let mut fields = task_form(w, t, role);
            fields.push(("unit".into(), unit.to_string()));
            form("/tasks", csrf, &fields)
        }
        ("POST", "/tasks/bulk") => {
            let id = task(w, t, role).await;
            form(
                "/tasks/bulk",
                csrf,
                &pairs(&[("ids", id.0.to_string()), ("priority", "high".into()), ("back", "/tasks".into())]),
            )
        }
        ("GET", "/tasks/{id}") => get(&format!("/tasks/{}", task(w, t, role).await)),
        ("POST", "/tasks/{id}") => {
            let id = task(w, t, role).await;
            form(&format!("/tasks/{id}"), csrf, &task_form(w, t, role))
        }
        ("GET", "/tasks/{id}/edit") => get(&format!("/tasks/{}/edit", task(w, t, role).await)),
        ("POST", "/tasks/{id}/entries") => {
            let id = task(w, t, role).await;
            post(&format!("/tasks/{id}/entries")).multipart(&[
                Part::Text("csrf", csrf),
                Part::Text("progress", "40"),
                Part::Text("entry_on", &today()),
                Part::Text("note", "矩阵进展"),
            ])
        }
        ("POST", "/tasks/{id}/entries/{entry}") => {
            // The latest entry, posted by the row's person.
            let id = task(w, t, role).await;
            let day = qizhi_core::date::today();
            let fields = qizhi_core::tasks::EntryFields { entry_on: day, progress: 30, note: None };
            let (_, entry) = w.store.post_entry(id, &fields, Some(person_of(w, t, role)), &[]).await.unwrap();
            form(
                &format!("/tasks/{id}/entries/{}", entry.id.0),
                csrf,
                &pairs(&[("progress", "35".into()), ("entry_on", today()), ("note", "矩阵更正".into())]),
            )
        }
        // -- fortresses and flags
        ("GET", "/fortresses") => get(&of_unit("/fortresses")),
        ("GET", "/fortresses/new") => get(&of_unit("/fortresses/new")),
        ("POST", "/fortresses") => {
            let fields = pairs(&[
                ("unit", unit.to_string()),
                ("code", format!("MX-BL{}", seq())),
                ("name", "矩阵堡垒".into()),
                ("grid", grid(w, t).await.to_string()),
                ("set_up_on", format!("{y}-01-01")),
            ]);
            form("/fortresses", csrf, &fields)
        }
        ("GET", "/fortresses/{id}") => get(&format!("/fortresses/{}", fortress(w, t).await)),
        ("POST", "/fortresses/{id}") => {
            let id = fortress(w, t).await;
            let code = w.store.fortress(id).await.unwrap().fields.code;
            let fields = pairs(&[
                ("code", code),
                ("name", "矩阵堡垒（改）".into()),
                ("grid", grid(w, t).await.to_string()),
                ("set_up_on", format!("{y}-01-01")),
            ]);
            form(&format!("/fortresses/{id}"), csrf, &fields)
        }
        ("POST", "/fortresses/{id}/flag") => {
            let id = fortress(w, t).await;
            let fields = pairs(&[("name", "党员先锋旗".into()), ("planted_on", today())]);
            form(&format!("/fortresses/{id}/flag"), csrf, &fields)
        }
        // -- teams
        ("GET", "/teams") => get(&of_unit("/teams")),
        ("GET", "/teams/new") => get(&of_unit("/teams/new")),
        ("POST", "/teams") => {
            let fields = pairs(&[
                ("unit", unit.to_string()),
                ("code", format!("MX-DW{}", seq())),
                ("name", "矩阵突击队".into()),
                ("kind", "commando".into()),
                ("members", person_of(w, t, role).0.to_string()),
            ]);
            form("/teams", csrf, &fields)
        }
        ("GET", "/teams/{id}") => get(&format!("/teams/{}", team(w, t).await)),
        ("POST", "/teams/{id}") => {
            let id = team(w, t).await;
            let code = w.store.team(id).await.unwrap().fields.code;
            let fields = pairs(&[("code", code), ("name", "矩阵突击队（改）".into()), ("kind", "commando".into())]);
            form(&format!("/teams/{id}"), csrf, &fields)
        }
        ("POST", "/teams/{id}/members") => {
            let id = team(w, t).await;
            form(&format!("/teams/{id}/members"), csrf, &pairs(&[("members", person_of(w, t, role).0.to_string())]))
        }
        // -- commitments
        ("GET", "/commitments") => get(&of_unit("/commitments")),
        ("POST", "/commitments/verify") => {
            let id = commitment(w, t, role).await;
            form("/commitments/verify", csrf, &pairs(&[("ids", id.to_string()), ("result", "fulfilled".into())]))
        }
        ("POST", "/commitments/{id}/verify") => {
            let id = commitment(w, t, role).await;
            form(&format!("/commitments/{id}/verify"), csrf, &pairs(&[("result", "fulfilled".into())]))
        }
        ("GET", "/my") => get("/my"),
        ("POST", "/my/commitments") => form("/my/commitments", csrf, &commitment_form(y)),
        ("POST", "/my/commitments/{id}") => {
            let id = commitment(w, t, role).await;
            form(&format!("/my/commitments/{id}"), csrf, &commitment_form(y))
        }
        ("POST", "/my/commitments/{id}/delete") => {
            let id = commitment(w, t, role).await;
            form(&format!("/my/commitments/{id}/delete"), csrf, &[])
        }
        // -- the API: tasks
        ("GET", "/api/v1/units/{id}/tasks") => get(&format!("/api/v1/units/{unit}/tasks")),
        ("POST", "/api/v1/tasks") => {
            let mut body = task_body(w, t, role);
            body["unit_id"] = json!(unit);
            post("/api/v1/tasks").json(&body)
        }
        ("POST", "/api/v1/tasks/bulk") => {
            let id = task(w, t, role).await;
            post("/api/v1/tasks/bulk").json(&json!({ "ids": [id.0], "priority": "high" }))
        }
        ("GET", "/api/v1/tasks/{id}") => get(&format!("/api/v1/tasks/{}", task(w, t, role).await)),
        ("PUT", "/api/v1/tasks/{id}") => {
            let id = task(w, t, role).await;
            put(&format!("/api/v1/tasks/{id}")).json(&task_body(w, t, role))
        }
        ("GET", "/api/v1/tasks/{id}/entries") => get(&format!("/api/v1/tasks/{}/entries", task(w, t, role).await)),
        ("POST", "/api/v1/tasks/{id}/entries") => {
            let id = task(w, t, role).await;
            post(&format!("/api/v1/tasks/{id}/entries")).json(&json!({ "progress": 40, "note": "矩阵进展" }))
        }
        ("GET", "/api/v1/me/tasks") => get("/api/v1/me/tasks"),
        // -- the API: fortresses and teams
        ("GET", "/api/v1/units/{id}/fortresses") => get(&format!("/api/v1/units/{unit}/fortresses")),
        ("POST", "/api/v1/fortresses") => post("/api/v1/fortresses").json(&json!({
            "unit_id": unit, "code": format!("MX-BL{}", seq()), "name": "矩阵堡垒",
            "grid_id": grid(w, t).await, "set_up_on": format!("{y}-01-01"),
        })),
        ("GET", "/api/v1/fortresses/{id}") => get(&format!("/api/v1/fortresses/{}", fortress(w, t).await)),
        ("PUT", "/api/v1/fortresses/{id}") => {
            let id = fortress(w, t).await;
            let code = w.store.fortress(id).await.unwrap().fields.code;
            put(&format!("/api/v1/fortresses/{id}")).json(&json!({
                "code": code, "name": "矩阵堡垒（改）", "grid_id": grid(w, t).await, "set_up_on": format!("{y}-01-01"),
            }))
        }
        ("POST", "/api/v1/fortresses/{id}/flag") => {
            let id = fortress(w, t).await;
            post(&format!("/api/v1/fortresses/{id}/flag")).json(&json!({ "name": "党员先锋旗", "planted_on": today() }))
        }
        ("GET", "/api/v1/units/{id}/teams") => get(&format!("/api/v1/units/{unit}/teams")),
        ("POST", "/api/v1/teams") => post("/api/v1/teams").json(&json!({
            "unit_id": unit, "code": format!("MX-DW{}", seq()), "name": "矩阵突击队", "kind": "commando",
            "members": [person_of(w, t, role).0],
        })),
        ("GET", "/api/v1/teams/{id}") => get(&format!("/api/v1/teams/{}", team(w, t).await)),
        ("PUT", "/api/v1/teams/{id}") => {
            let id = team(w, t).await;
            let code = w.store.team(id).await.unwrap().fields.code;
            put(&format!("/api/v1/teams/{id}"))
                .json(&json!({ "code": code, "name": "矩阵突击队（改）", "kind": "commando" }))
        }
        ("PUT", "/api/v1/teams/{id}/members") => {
            let id = team(w, t).await;
            put(&format!("/api/v1/teams/{id}/members")).json(&json!({ "members": [person_of(w, t, role).0] }))
        }
        // -- the API: commitments
        ("GET", "/api/v1/units/{id}/commitments") => get(&format!("/api/v1/units/{unit}/commitments")),
        ("GET", "/api/v1/units/{id}/commitments/missing") => get(&format!("/api/v1/units/{unit}/commitments/missing")),
        ("GET", "/api/v1/me/commitments") => get("/api/v1/me/commitments"),
        ("POST", "/api/v1/commitments") => {
            let mut body = commitment_body(y);
            if t != "own" {
                body["person_id"] = json!(person_of(w, t, role).0);
            }
            post("/api/v1/commitments").json(&body)
        }
        ("PUT", "/api/v1/commitments/{id}") => {
            let id = commitment(w, t, role).await;
            put(&format!("/api/v1/commitments/{id}")).json(&commitment_body(y))
        }
        ("POST", "/api/v1/commitments/{id}/verify") => {
            let id = commitment(w, t, role).await;
            post(&format!("/api/v1/commitments/{id}/verify")).json(&json!({ "result": "fulfilled" }))
        }
        _ => return None,
    };
    Some(req)
}

fn commitment_form(y: i32) -> Vec<(String, String)> {
    pairs(&[("year", y.to_string()), ("text", format!("矩阵承诺{}", seq())), ("category", "work".into())])
}

fn commitment_body(y: i32) -> serde_json::Value {
    json!({ "year": y, "text": format!("矩阵承诺{}", seq()), "category": "work" })
}
