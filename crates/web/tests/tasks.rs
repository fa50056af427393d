//! Fortresses, tasks and their ledgers, teams and member commitments through
//! the pages and the API, driven in-process on the fixture world: every page
//! renders; a member reports progress from the page (with evidence) and the
//! task's unit and every ancestor see it at once; forms, bulk edit and the
//! commitments board; and the denials of every route — out of scope 404, in
//! scope without the right 403, never one's own verdict.

mod common;

use axum::http::StatusCode;
use common::*;
use qizhi_core::access::Role;
use qizhi_core::ids::{PersonId, UnitId};
use qizhi_core::tasks::{FortressInput, TaskInput};
use qizhi_core::teams::TeamInput;
use serde_json::{Value, json};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-evidence";

fn year() -> i32 {
    qizhi_core::date::this_year()
}

/// What this file adds to the fixture.
struct Extra {
    /// Tasks of FJ01-001: a target task led by the member, an urgent one without them.
    mine: i64,
    other: i64,
    /// A task of FJ01-002 and one of NM-001.
    b2: i64,
    nm: i64,
    fortress: i64,
    team: i64,
    /// The member's person (a full member of FJ01-001) and another member there.
    member: PersonId,
    colleague: PersonId,
}

/// A member account `member` (member @ FJ01-001, linked to a full member of
/// FJ01-001) and a reviewer `fjreviewer` (reviewer @ FJ), tasks, a fortress
/// on the branch's grid and a team.
async fn extra(w: &World) -> Extra {
    let full: Vec<&Fx> =
        w.people_under("FJ01-001").into_iter().filter(|p| p.category == qizhi_core::person::Category::Full).collect();
    let (member, colleague) = (PersonId(full[0].id), PersonId(full[1].id));
    let hash = qizhi_app::password::hash(PASSWORD.to_string()).await.unwrap();
    let uid = w.store.create_user("member", "党员林", &hash).await.unwrap();
    w.store.add_grant(uid, Role::Member, Some(UnitId(w.id("FJ01-001")))).await.unwrap();
    w.store.link_user_person(uid, Some(member)).await.unwrap();
    let rid = w.store.create_user("fjreviewer", "福建审核人", &hash).await.unwrap();
    w.store.add_grant(rid, Role::Reviewer, Some(UnitId(w.id("FJ")))).await.unwrap();

    let y = year();
    let task = |kind: &str, name: &str, who: Vec<i64>| TaskInput {
        kind: kind.into(),
        name: name.into(),
        start_on: Some(format!("{y}-01-05")),
        due_on: Some(format!("{y}-12-31")),
        responsible: who,
        ..Default::default()
    };
    let grid = w.store.grids_in(w.unit("FJ01-001")).await.unwrap()[0].0.id;
    let f = FortressInput {
        code: "FJ01-001-B1".into(),
        name: "鼓楼网格党员堡垒".into(),
        grid_id: Some(grid.0),
        set_up_on: format!("{y}-01-02"),
        ..Default::default()
    };
    let fortress = w.store.create_fortress(UnitId(w.id("FJ01-001")), &f.validate().unwrap()).await.unwrap();
    let t = TeamInput {
        code: "FJ01-001-D1".into(),
        name: "鼓楼党员突击队".into(),
        kind: "突击队".into(),
        ..Default::default()
    };
    let team = w.store.create_team(UnitId(w.id("FJ01-001")), &t.validate().unwrap(), &[member]).await.unwrap();
    let (_, mut f1) = task("目标任务", "新建 5G 基站 12 个", vec![member.0]).validate().unwrap();
    f1.fortress_id = Some(fortress.id);
    f1.team_id = Some(team.id);
    let mine = w.store.create_task(UnitId(w.id("FJ01-001")), Some("FJ-T1"), &f1).await.unwrap();
    let (_, f2) = task("急难险重", "防汛抢险通信保障", vec![colleague.0]).validate().unwrap();
    let other = w.store.create_task(UnitId(w.id("FJ01-001")), Some("FJ-T2"), &f2).await.unwrap();
    let chen = w.people_under("FJ01-002")[0].id;
    let (_, f3) = task("目标任务", "网络运维提质", vec![chen]).validate().unwrap();
    let b2 = w.store.create_task(UnitId(w.id("FJ01-002")), Some("FJ-T3"), &f3).await.unwrap();
    let wang = w.people_under("NM-001")[0].id;
    let (_, f4) = task("攻坚任务", "新城区覆盖攻坚", vec![wang]).validate().unwrap();
    let nm = w.store.create_task(UnitId(w.id("NM-001")), Some("NM-T1"), &f4).await.unwrap();
    Extra {
        mine: mine.id.0,
        other: other.id.0,
        b2: b2.id.0,
        nm: nm.id.0,
        fortress: fortress.id.0,
        team: team.id.0,
        member,
        colleague,
    }
}

async fn page(w: &World, s: &Session, uri: &str) -> String {
    w.send(get(uri).session(s)).await.expect(StatusCode::OK).text()
}

fn mean(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[tokio::test]
async fn every_page_renders_in_both_languages() {
    each_backend(|w| async move {
        let x = extra(&w).await;
        let s = w.login("admin").await;
        let (fj, b1) = (w.id("FJ"), w.id("FJ01-001"));
        for lang in ["zh", "en"] {
            let req = |uri: &str| get(uri).session(&s).cookie("lang", lang);
            for uri in [
                "/tasks".to_string(),
                format!("/tasks?unit={fj}&kind=target&status=not_started&overdue=1&stalled=1&year={}", year()),
                format!(
                    "/tasks?unit={fj}&fortress={}&team={}&due_from=2020-01-01&due_to=2030-12-31&q=5G",
                    x.fortress, x.team
                ),
                format!("/tasks/{}", x.mine),
                format!("/tasks/new?unit={b1}"),
                format!("/tasks/{}/edit", x.mine),
                "/fortresses".to_string(),
                format!("/fortresses/{}", x.fortress),
                format!("/fortresses/new?unit={b1}"),
                "/teams".to_string(),
                format!("/teams/{}", x.team),
                format!("/teams/new?unit={b1}"),
                format!("/commitments?unit={fj}"),
                "/my".to_string(),
            ] {
                let html = w.send(req(&uri)).await.expect(StatusCode::OK).text();
                let html_lang = if lang == "en" { "<html lang=\"en\">" } else { "<html lang=\"zh-CN\">" };
                assert!(html.contains(html_lang), "{uri} in {lang}");
                assert!(
                    !html.contains("\"nav.") && !html.contains(">tasks.") && !html.contains(">my."),
                    "{uri}: a raw key"
                );
            }
        }
        let html = page(&w, &s, &format!("/tasks?unit={fj}")).await;
        assert!(html.contains("新建 5G 基站 12 个") && html.contains("网络运维提质"));
        assert!(!html.contains("新城区覆盖攻坚"), "NM's task is not under FJ");
        assert!(html.contains(r#"action="/tasks/bulk""#), "admins get the bulk form");
        // Links to the same list of the parent and the units below, and the unit's other sections.
        assert!(html.contains(&format!(r#"href="/tasks?unit={}""#, w.id("FJ01"))), "a unit below");
        assert!(html.contains(&format!(r#"href="/tasks?unit={}""#, w.id("CU"))), "the parent");
        assert!(html.contains(&format!(r#"href="/commitments?unit={fj}""#)), "another section");
        assert_eq!(tile_value(&html, "tasks.target.count").as_deref(), Some("2"));
        // One tile per kind, its done and mean progress inside it, opening the kind's tasks.
        let kinds = qizhi_core::tasks::TaskKind::ALL.len();
        assert_eq!(html.matches(r#"class="tile tile-kind""#).count(), kinds);
        assert_eq!(tile_value(&html, "tasks.target.done").as_deref(), Some("0"), "none of them is done");
        assert!(tile_value(&html, "tasks.target.avg_progress").is_some());
        assert!(html.contains(&format!(r#"href="/tasks?unit={fj}&amp;kind=target&amp;status=all""#)));
        let html = page(&w, &s, &format!("/fortresses/{}", x.fortress)).await;
        assert!(html.contains("鼓楼网格党员堡垒") && html.contains("新建 5G 基站 12 个"));
        let html = page(&w, &s, &format!("/teams/{}", x.team)).await;
        assert!(html.contains("鼓楼党员突击队") && html.contains("新建 5G 基站 12 个"));
        let html = page(&w, &s, "/imports").await;
        assert!(html.contains(r#"action="/imports/tasks""#) && html.contains("/imports/tasks/export.xlsx"));
    })
    .await;
}

#[tokio::test]
async fn a_member_reports_progress_and_the_unit_and_every_ancestor_see_it_at_once() {
    each_backend(|w| async move {
        let x = extra(&w).await;
        let before: Vec<f64> = {
            let mut v = vec![];
            for code in ["FJ01-001", "FJ01", "FJ", "CU"] {
                v.push(mean(&w.figures(code).await["tasks.target.avg_progress"]));
            }
            v
        };
        assert_eq!(before, [0.0; 4]);

        let s = w.login("member").await;
        let html = page(&w, &s, "/my").await;
        assert!(html.contains("新建 5G 基站 12 个"), "my task is listed");
        assert!(!html.contains("防汛抢险通信保障"), "a colleague's is not");
        let html = page(&w, &s, &format!("/tasks/{}", x.mine)).await;
        assert!(html.contains(r#"enctype="multipart/form-data""#), "the entry form is there");

        let uri = format!("/tasks/{}/entries", x.mine);
        let form = |csrf: &str, progress: &str| {
            post(&uri).session(&s).multipart(&[
                Part::Text("csrf", csrf),
                Part::Text("progress", progress),
                Part::Text("note", "已开通 7 个站点"),
                Part::File("evidence", "现场.png", "image/png", PNG),
            ])
        };
        // Without the session's token: refused, nothing written.
        w.send(form("forged", "60")).await.expect(StatusCode::FORBIDDEN);
        // A bad percent: the page again, naming the problem.
        let r = w.send(form(&s.csrf, "160")).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("0 到 100"), "{}", r.snippet());
        let r = w.send(form(&s.csrf, "60")).await.expect(StatusCode::SEE_OTHER);
        assert_eq!(r.location(), Some(format!("/tasks/{}?flash=tasks.posted#ledger", x.mine).as_str()));

        let html = page(&w, &s, &format!("/tasks/{}?flash=tasks.posted", x.mine)).await;
        assert!(html.contains(r#"data-task-progress="60""#) && html.contains("已开通 7 个站点"));
        let file = html.split("href=\"/files/").nth(1).and_then(|r| r.split('"').next()).expect("an evidence link");
        let r = w.send(get(&format!("/files/{file}")).session(&s)).await.expect(StatusCode::OK);
        assert_eq!(r.body, PNG);
        // One target task in FJ01-001 (now 60%), one in FJ01-002 (0%).
        let expected = [60.0, 30.0, 30.0, 30.0];
        for (code, want) in ["FJ01-001", "FJ01", "FJ", "CU"].iter().zip(expected) {
            let got = mean(&w.figures(code).await["tasks.target.avg_progress"]);
            assert!((got - want).abs() < 1e-9, "{code}: {got} ≠ {want}");
        }
        assert_eq!(w.count("NM", "tasks.target.count").await, 0);

        // Their latest entry is theirs to correct: 100% by a slip, then 55%, and the figures follow.
        let marker = format!(r#"action="/tasks/{}/entries/"#, x.mine);
        let at = html.find(&marker).expect("a correction form on one's own latest entry") + marker.len();
        let correct = format!("{uri}/{}", html[at..].split('"').next().unwrap());
        let fix = |progress: &str| {
            post(&correct).session(&s).form(&[
                ("csrf", s.csrf.as_str()),
                ("progress", progress),
                ("entry_on", &qizhi_core::date::iso(qizhi_core::date::today())),
                ("note", "已开通 6 个站点"),
            ])
        };
        w.send(fix("100")).await.expect(StatusCode::SEE_OTHER);
        let html = page(&w, &s, &format!("/tasks/{}", x.mine)).await;
        assert!(html.contains(r#"data-task-progress="100""#) && !html.contains(r#"enctype="multipart/form-data""#));
        assert!(html.contains(&marker), "a finished task's slip can still be corrected");
        let r = w.send(fix("55")).await.expect(StatusCode::SEE_OTHER);
        assert_eq!(r.location(), Some(format!("/tasks/{}?flash=tasks.corrected#ledger", x.mine).as_str()));
        let html = page(&w, &s, &format!("/tasks/{}", x.mine)).await;
        assert!(html.contains(r#"data-task-progress="55""#) && html.contains("已开通 6 个站点"));
        assert_eq!(mean(&w.figures("FJ01-001").await["tasks.target.avg_progress"]), 55.0);
        assert_eq!(w.count("CU", "tasks.target.done").await, 0);
        // A viewer reading the task has nothing to correct; a correction they send is refused.
        let v = w.login("viewer").await;
        assert!(!page(&w, &v, &format!("/tasks/{}", x.mine)).await.contains(&marker));
        let r = post(&correct).session(&v).form(&[("csrf", v.csrf.as_str()), ("progress", "1")]);
        w.send(r).await.expect(StatusCode::FORBIDDEN);

        // The member may not post on a colleague's task, nor on another branch's.
        let other = post(&format!("/tasks/{}/entries", x.other))
            .session(&s)
            .multipart(&[Part::Text("csrf", &s.csrf), Part::Text("progress", "10")]);
        w.send(other).await.expect(StatusCode::NOT_FOUND);
        w.send(get(&format!("/tasks/{}", x.nm)).session(&s)).await.expect(StatusCode::NOT_FOUND);
        // A viewer in scope reads but may not post; another province's admin sees nothing.
        let v = w.login("viewer").await;
        page(&w, &v, &format!("/tasks/{}", x.mine)).await;
        let r = post(&uri).session(&v).multipart(&[Part::Text("csrf", &v.csrf), Part::Text("progress", "90")]);
        w.send(r).await.expect(StatusCode::FORBIDDEN);
        let n = w.login("nmadmin").await;
        w.send(get(&format!("/tasks/{}", x.mine)).session(&n)).await.expect(StatusCode::NOT_FOUND);
        let r = post(&uri).session(&n).multipart(&[Part::Text("csrf", &n.csrf), Part::Text("progress", "90")]);
        w.send(r).await.expect(StatusCode::NOT_FOUND);
        // The branch admin may post too, and 100% completes the task.
        let b = w.login("b1admin").await;
        let r = post(&uri).session(&b).multipart(&[Part::Text("csrf", &b.csrf), Part::Text("progress", "100")]);
        w.send(r).await.expect(StatusCode::SEE_OTHER);
        assert_eq!(w.count("CU", "tasks.target.done").await, 1);
        assert_eq!(w.store.stored_rollup().await.unwrap(), w.store.recompute().await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn task_forms_and_bulk_edits_write_only_in_the_callers_scope() {
    each_backend(|w| async move {
        let x = extra(&w).await;
        let (b1, b2) = (w.id("FJ01-001").to_string(), w.id("FJ01-002").to_string());
        let y = year().to_string();
        let fields = |s: &Session, unit: &str, name: &str| -> Vec<(String, String)> {
            [
                ("csrf", s.csrf.as_str()),
                ("unit", unit),
                ("kind", "key_work"),
                ("name", name),
                ("year", y.as_str()),
                ("due_on", "2030-06-30"),
                ("status", "not_started"),
                ("priority", "high"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
        };
        let send = |s: &Session, uri: &str, f: Vec<(String, String)>| {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            post(uri).session(s).form(&pairs)
        };
        let s = w.login("b1admin").await;
        let r = w.send(send(&s, "/tasks", fields(&s, &b1, "年度网络质量提升"))).await.expect(StatusCode::SEE_OTHER);
        assert!(r.location().unwrap().starts_with("/tasks/"));
        assert_eq!(w.count("FJ", "tasks.key_work.count").await, 1);
        // Invalid: the form again with the problem, nothing written.
        let r = w.send(send(&s, "/tasks", fields(&s, &b1, " "))).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("不能为空"));
        // Another branch (outside the branch admin's scope) and another province: 404; a viewer: 403.
        w.send(send(&s, "/tasks", fields(&s, &b2, "越权"))).await.expect(StatusCode::NOT_FOUND);
        let n = w.login("nmadmin").await;
        w.send(send(&n, "/tasks", fields(&n, &b1, "越权"))).await.expect(StatusCode::NOT_FOUND);
        let v = w.login("viewer").await;
        w.send(send(&v, "/tasks", fields(&v, &b1, "越权"))).await.expect(StatusCode::FORBIDDEN);
        w.send(get(&format!("/tasks/{}/edit", x.mine)).session(&v)).await.expect(StatusCode::FORBIDDEN);
        w.send(get(&format!("/tasks/new?unit={b1}")).session(&v)).await.expect(StatusCode::FORBIDDEN);
        assert_eq!(w.count("FJ", "tasks.key_work.count").await, 1);

        // Marking a task done by hand needs its ledger at 100%.
        let mut done = fields(&s, &b1, "新建 5G 基站 12 个");
        done.retain(|(k, _)| k != "status" && k != "kind");
        done.push(("status".into(), "done".into()));
        done.push(("kind".into(), "target".into()));
        let r = w.send(send(&s, &format!("/tasks/{}", x.mine), done)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("100%"));

        // Bulk: a branch admin cannot reach FJ01-002's task (404); nothing changes.
        let bulk = |s: &Session, ids: &[i64]| {
            let mut f: Vec<(String, String)> = vec![
                ("csrf".into(), s.csrf.clone()),
                ("priority".into(), "low".into()),
                ("due_on".into(), "2031-01-31".into()),
                ("back".into(), "/tasks?unit=1".into()),
            ];
            f.extend(ids.iter().map(|i| ("ids".to_string(), i.to_string())));
            send(s, "/tasks/bulk", f)
        };
        w.send(bulk(&s, &[x.mine, x.b2])).await.expect(StatusCode::NOT_FOUND);
        // A viewer reaches both but may change neither (403).
        w.send(bulk(&v, &[x.mine, x.b2])).await.expect(StatusCode::FORBIDDEN);
        let t = w.api_get("admin", &format!("/api/v1/tasks/{}", x.mine)).await.expect(StatusCode::OK).json();
        assert_eq!(t["priority"], "normal", "nothing changed");
        w.send(bulk(&n, &[x.mine])).await.expect(StatusCode::NOT_FOUND);
        let f = w.login("fjadmin").await;
        let r = w.send(bulk(&f, &[x.mine, x.b2])).await.expect(StatusCode::SEE_OTHER);
        assert_eq!(r.location(), Some("/tasks?unit=1&bulk=2"));
        for id in [x.mine, x.b2] {
            let t = w.api_get("admin", &format!("/api/v1/tasks/{id}")).await.expect(StatusCode::OK).json();
            assert_eq!((t["priority"].as_str(), t["due_on"].as_str()), (Some("low"), Some("2031-01-31")));
        }
        assert_eq!(w.store.stored_rollup().await.unwrap(), w.store.recompute().await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn fortresses_flags_and_teams_through_pages_and_api() {
    each_backend(|w| async move {
        let x = extra(&w).await;
        let b1 = w.id("FJ01-001");
        let s = w.login("b1admin").await;
        let r = w
            .send(post(&format!("/fortresses/{}/flag", x.fortress)).session(&s).form(&[
                ("csrf", &s.csrf),
                ("name", "党员先锋旗"),
                ("planted_on", &format!("{}-01-03", year())),
                ("leader", &x.member.0.to_string()),
            ]))
            .await
            .expect(StatusCode::SEE_OTHER);
        assert!(r.location().unwrap().ends_with("?flash=tasks.saved"));
        assert_eq!(w.count("FJ", "flags.total").await, 1);
        assert_eq!(w.count("FJ", "fortresses.total").await, 1);
        let v = w.login("viewer").await;
        let flag = post(&format!("/fortresses/{}/flag", x.fortress)).session(&v).form(&[
            ("csrf", &v.csrf),
            ("name", "x"),
            ("planted_on", "2026-01-01"),
        ]);
        w.send(flag).await.expect(StatusCode::FORBIDDEN);

        // API: a fortress needs a scenario or a grid; a branch admin cannot set one up elsewhere.
        let body = json!({"unit_id": b1, "code": "FJ01-001-B2", "name": "无处", "set_up_on": "2024-01-01"});
        let r = w.send(post("/api/v1/fortresses").bearer(w.token("b1admin")).json(&body)).await;
        assert_eq!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).error_fields(), ["scenario_id"]);
        let body =
            json!({"unit_id": w.id("NM-001"), "code": "NM-B1", "name": "x", "set_up_on": "2024-01-01", "grid_id": 1});
        w.send(post("/api/v1/fortresses").bearer(w.token("b1admin")).json(&body)).await.expect(StatusCode::NOT_FOUND);
        let list =
            w.api_get("viewer", &format!("/api/v1/units/{}/fortresses", w.id("CU"))).await.expect(StatusCode::OK);
        assert_eq!(list.json()["total"], 1);
        assert_eq!(list.json()["items"][0]["flag"]["name"], "党员先锋旗");
        w.api_get("nmadmin", &format!("/api/v1/fortresses/{}", x.fortress)).await.expect(StatusCode::NOT_FOUND);

        // Teams: found one by API, set its members, disband it.
        let body = json!({"unit_id": b1, "code": "FJ01-001-D2", "name": "鼓楼青年突击队", "kind": "突击队",
                          "founded_on": format!("{}-03-01", year()), "members": [x.member.0, x.colleague.0]});
        let t = w
            .send(post("/api/v1/teams").bearer(w.token("b1admin")).json(&body))
            .await
            .expect(StatusCode::CREATED)
            .json();
        assert_eq!(t["party_members"], 2);
        assert_eq!(w.count("FJ", "teams.kind.commando").await, 2);
        let id = t["id"].as_i64().unwrap();
        let outsider = w.people_under("NM-001")[0].id;
        let r = w
            .send(
                put(&format!("/api/v1/teams/{id}/members"))
                    .bearer(w.token("b1admin"))
                    .json(&json!({"members": [outsider]})),
            )
            .await;
        assert_eq!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).error_fields(), ["members"]);
        w.send(put(&format!("/api/v1/teams/{id}/members")).bearer(w.token("viewer")).json(&json!({"members": []})))
            .await
            .expect(StatusCode::FORBIDDEN);
        let mut gone = body.clone();
        gone["disbanded_on"] = json!(format!("{}-04-01", year()));
        w.send(put(&format!("/api/v1/teams/{id}")).bearer(w.token("fjadmin")).json(&gone)).await.expect(StatusCode::OK);
        assert_eq!(w.count("FJ", "teams.kind.commando").await, 2, "it was active this year");
        let next =
            w.api_get("admin", &format!("/api/v1/figures?org=FJ&from={}", year() + 1)).await.expect(StatusCode::OK);
        assert_eq!(next.json()["figures"]["teams.kind.commando"], 1, "not the next year");
        // Members page form: a person of another province is refused.
        let r = w
            .send(
                post(&format!("/teams/{}/members", x.team))
                    .session(&s)
                    .form(&[("csrf", &s.csrf), ("members", &outsider.to_string())]),
            )
            .await;
        r.expect(StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

#[tokio::test]
async fn members_make_commitments_and_the_branch_verifies_them_never_its_own() {
    each_backend(|w| async move {
        let x = extra(&w).await;
        let y = year().to_string();
        let m = w.login("member").await;
        let r = w
            .send(post("/my/commitments").session(&m).form(&[
                ("csrf", &m.csrf),
                ("year", &y),
                ("text", "带头完成负责网格年度发展目标"),
                ("category", "work"),
            ]))
            .await
            .expect(StatusCode::SEE_OTHER);
        assert_eq!(r.location(), Some("/my?flash=commitments.created#commitments"));
        assert_eq!(w.count("FJ", "commitments.members").await, 1);
        let mine = w.send(get("/api/v1/me/commitments").session(&m)).await.expect(StatusCode::OK).json();
        let id = mine[0]["id"].as_i64().unwrap();

        // The board shows it, and who has none yet.
        let s = w.login("b1admin").await;
        let html = page(&w, &s, &format!("/commitments?unit={}&year={y}", w.id("FJ01-001"))).await;
        assert!(html.contains("带头完成负责网格年度发展目标"));
        let members = w.members_under("FJ01-001");
        assert!(html.contains(&format!("{} 名党员尚未作出承诺", members - 1)), "who has none yet");
        let missing = w
            .api_get("viewer", &format!("/api/v1/units/{}/commitments/missing?year={y}&per_page=500", w.id("FJ01-001")))
            .await
            .expect(StatusCode::OK)
            .json();
        assert_eq!(missing["total"], members - 1);

        // Verdicts: a viewer may not; another province sees nothing; the
        // member cannot verify their own; "not fulfilled" needs a reason.
        let verify = |s: &Session, result: &str, comment: &str| {
            post(&format!("/commitments/{id}/verify")).session(s).form(&[
                ("csrf", &s.csrf),
                ("result", result),
                ("comment", comment),
                ("back", "https://evil.example/"),
            ])
        };
        let v = w.login("viewer").await;
        w.send(verify(&v, "fulfilled", "")).await.expect(StatusCode::FORBIDDEN);
        let n = w.login("nmadmin").await;
        w.send(verify(&n, "fulfilled", "")).await.expect(StatusCode::NOT_FOUND);
        w.send(verify(&m, "fulfilled", "")).await.expect(StatusCode::FORBIDDEN);
        let r = w
            .send(
                post(&format!("/api/v1/commitments/{id}/verify"))
                    .session(&m)
                    .csrf(&m)
                    .json(&json!({"result": "fulfilled"})),
            )
            .await;
        r.expect(StatusCode::FORBIDDEN);
        w.send(verify(&s, "unfulfilled", "")).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        let r = w.send(verify(&s, "fulfilled", "已按期完成")).await.expect(StatusCode::SEE_OTHER);
        assert!(r.location().unwrap().starts_with("/commitments?unit="), "never to another site");
        assert_eq!(w.count("FJ", "commitments.fulfilled").await, 1);
        // A reviewer of the province may revise it through the API.
        let r = w
            .send(
                post(&format!("/api/v1/commitments/{id}/verify"))
                    .bearer(&reviewer_token(&w).await)
                    .json(&json!({"result": "unfulfilled", "comment": "材料不全"})),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(r.json()["status"], "unfulfilled");
        assert_eq!(w.count("FJ", "commitments.fulfilled").await, 0);

        // Verified: the member can no longer change or withdraw it; nobody else can at all.
        let edit = |s: &Session| {
            post(&format!("/my/commitments/{id}")).session(s).form(&[("csrf", &s.csrf), ("year", &y), ("text", "改")])
        };
        w.send(edit(&m)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        w.send(edit(&s)).await.expect(StatusCode::NOT_FOUND);
        let del = post(&format!("/my/commitments/{id}/delete")).session(&m).form(&[("csrf", &m.csrf)]);
        w.send(del).await.expect(StatusCode::UNPROCESSABLE_ENTITY);

        // An admin records one for a member of their branch; not for another province's.
        let body = json!({"person_id": x.colleague.0, "year": year(), "text": "结对帮扶一户困难群众"});
        w.send(post("/api/v1/commitments").bearer(w.token("b1admin")).json(&body)).await.expect(StatusCode::CREATED);
        let nm_person = w.people_under("NM-001").iter().find(|p| p.category.is_member()).unwrap().id;
        let body = json!({"person_id": nm_person, "year": year(), "text": "x"});
        w.send(post("/api/v1/commitments").bearer(w.token("b1admin")).json(&body)).await.expect(StatusCode::NOT_FOUND);
        let body = json!({"year": year(), "text": "x"});
        let r = w.send(post("/api/v1/commitments").bearer(w.token("b1admin")).json(&body)).await;
        assert_eq!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).error_fields(), ["person_id"]);
        assert_eq!(w.count("FJ", "commitments.members").await, 2);
        assert_eq!(w.store.stored_rollup().await.unwrap(), w.store.recompute().await.unwrap());
    })
    .await;
}

async fn reviewer_token(w: &World) -> String {
    let user = w.store.user_by_username("fjreviewer").await.unwrap().unwrap();
    mint_token(&w.store, user.id, "tests").await
}

#[tokio::test]
async fn the_task_api_lists_writes_and_takes_progress_as_json_or_multipart() {
    each_backend(|w| async move {
        let x = extra(&w).await;
        let fj = w.id("FJ");
        let list = w.api_get("viewer", &format!("/api/v1/units/{fj}/tasks?kind=target")).await.expect(StatusCode::OK).json();
        assert_eq!(list["total"], 2);
        assert_eq!(list["items"][0]["responsible"][0]["id"], x.member.0);
        w.api_get("nmadmin", &format!("/api/v1/units/{fj}/tasks")).await.expect(StatusCode::NOT_FOUND);
        w.api_get("nmadmin", &format!("/api/v1/tasks/{}", x.mine)).await.expect(StatusCode::NOT_FOUND);

        let body = json!({"unit_id": w.id("FJ01-002"), "kind": "堵点", "name": "疏通装维预约堵点", "due_on": format!("{}-11-30", year())});
        let t = w.send(post("/api/v1/tasks").bearer(w.token("fjadmin")).json(&body)).await.expect(StatusCode::CREATED).json();
        assert!(t["code"].as_str().unwrap().starts_with('T'));
        let id = t["id"].as_i64().unwrap();
        w.send(post("/api/v1/tasks").bearer(w.token("b1admin")).json(&body)).await.expect(StatusCode::NOT_FOUND);
        w.send(post("/api/v1/tasks").bearer(w.token("viewer")).json(&body)).await.expect(StatusCode::FORBIDDEN);
        let bad = json!({"unit_id": w.id("FJ01-002"), "kind": "x", "name": "", "target": -1});
        let r = w.send(post("/api/v1/tasks").bearer(w.token("fjadmin")).json(&bad)).await;
        assert_eq!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).error_fields(), ["kind", "name", "target", "year"]);

        // Progress as JSON, then as multipart with a file.
        let entry = json!({"progress": 40, "note": "梳理堵点成因"});
        let r = w.send(post(&format!("/api/v1/tasks/{id}/entries")).bearer(w.token("fjadmin")).json(&entry)).await;
        let r = r.expect(StatusCode::CREATED).json();
        assert_eq!((r["task"]["progress"].as_i64(), r["task"]["status"].as_str()), (Some(40), Some("in_progress")));
        let parts = [Part::Text("progress", "100"), Part::File("evidence", "验收.pdf", "application/pdf", b"%PDF-1.7 evidence")];
        let r = w.send(post(&format!("/api/v1/tasks/{id}/entries")).bearer(w.token("fjadmin")).multipart(&parts)).await;
        let r = r.expect(StatusCode::CREATED).json();
        assert_eq!(r["task"]["status"], "done");
        assert_eq!(r["entry"]["files"][0]["kind"], "pdf");
        let bad_file = [Part::Text("progress", "50"), Part::File("evidence", "x.html", "text/html", b"<script>")];
        let r = w.send(post(&format!("/api/v1/tasks/{id}/entries")).bearer(w.token("fjadmin")).multipart(&bad_file)).await;
        r.expect(StatusCode::UNPROCESSABLE_ENTITY);
        let e = json!({"progress": 10});
        w.send(post(&format!("/api/v1/tasks/{id}/entries")).bearer(w.token("viewer")).json(&e)).await.expect(StatusCode::FORBIDDEN);
        let ledger = w.api_get("viewer", &format!("/api/v1/tasks/{id}/entries")).await.expect(StatusCode::OK).json();
        assert_eq!(ledger.as_array().unwrap().len(), 2);
        assert_eq!(w.count("FJ", "tasks.blockage.done").await, 1);

        // The member's own tasks.
        let m = w.login("member").await;
        let mine = w.send(get("/api/v1/me/tasks").session(&m)).await.expect(StatusCode::OK).json();
        assert_eq!(mine.as_array().unwrap().len(), 1);
        // Bulk by API: all or none.
        let change = json!({"ids": [x.mine, x.nm], "priority": "high"});
        w.send(post("/api/v1/tasks/bulk").bearer(w.token("fjadmin")).json(&change)).await.expect(StatusCode::NOT_FOUND);
        let change = json!({"ids": [x.mine, x.other], "status": "done"});
        w.send(post("/api/v1/tasks/bulk").bearer(w.token("fjadmin")).json(&change)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        let change = json!({"ids": [x.mine, x.other], "priority": "high", "team_id": 0});
        let r = w.send(post("/api/v1/tasks/bulk").bearer(w.token("fjadmin")).json(&change)).await.expect(StatusCode::OK);
        assert!(r.json()["items"].as_array().unwrap().iter().all(|t| t["priority"] == "high" && t["team_id"].is_null()));
        assert_eq!(w.store.stored_rollup().await.unwrap(), w.store.recompute().await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn the_board_verifies_the_ticked_commitments_all_or_none() {
    each_backend(|w| async move {
        let members = |code: &str| -> Vec<i64> {
            w.people_under(code).iter().filter(|p| p.category.is_member()).map(|p| p.id).collect()
        };
        let (fj, nm) = (members("FJ01-001"), members("NM-001"));
        let mut ids = vec![];
        for person in [fj[0], fj[1], nm[0]] {
            let body = json!({"person_id": person, "year": year(), "text": "按期完成网格走访"});
            let r = w.send(post("/api/v1/commitments").bearer(w.token("admin")).json(&body)).await;
            ids.push(r.expect(StatusCode::CREATED).json()["id"].as_i64().unwrap());
        }
        let s = w.login("b1admin").await;
        let bulk = |ids: &[i64]| {
            let mut pairs: Vec<(&str, String)> = vec![("csrf", s.csrf.clone()), ("result", "fulfilled".into())];
            pairs.extend(ids.iter().map(|id| ("ids", id.to_string())));
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post("/commitments/verify").session(&s).form(&pairs)
        };
        // One of another province among them: refused, and nothing is written.
        w.send(bulk(&ids)).await.expect(StatusCode::NOT_FOUND);
        assert_eq!(w.count("CU", "commitments.fulfilled").await, 0, "[{}] nothing half-written", w.backend);
        w.send(bulk(&[])).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        // The branch's own: every ticked one takes the verdict.
        let r = w.send(bulk(&ids[..2])).await.expect(StatusCode::SEE_OTHER);
        assert!(r.location().unwrap().starts_with("/commitments?unit="), "{:?}", r.location());
        assert_eq!(w.count("FJ", "commitments.fulfilled").await, 2);
        assert_eq!(w.store.stored_rollup().await.unwrap(), w.store.recompute().await.unwrap());
        // The board offers the bulk bar to whoever may verify.
        let html = page(&w, &s, &format!("/commitments?unit={}&year={}", w.id("FJ01-001"), year())).await;
        assert!(html.contains("action=\"/commitments/verify\"") && html.contains("data-select-all=\"ids\""));
    })
    .await;
}

#[tokio::test]
async fn the_task_list_shows_the_open_tasks_unless_asked_for_others() {
    each_backend(|w| async move {
        let unit = w.id("FJ01-002");
        for (name, status) in [("仍在推进的网格走访", "in_progress"), ("早已完成的装维回访", "done")]
        {
            let body = json!({"unit_id": unit, "kind": "堵点", "name": name, "due_on": format!("{}-11-30", year())});
            let r = w.send(post("/api/v1/tasks").bearer(w.token("fjadmin")).json(&body)).await;
            let id = r.expect(StatusCode::CREATED).json()["id"].as_i64().unwrap();
            if status == "done" {
                let entry = json!({"progress": 100});
                let r =
                    w.send(post(&format!("/api/v1/tasks/{id}/entries")).bearer(w.token("fjadmin")).json(&entry)).await;
                assert!(r.status.is_success(), "{}", r.snippet());
                let done = json!({"unit_id": unit, "kind": "堵点", "name": name, "due_on": format!("{}-11-30", year()), "status": "done"});
                w.send(put(&format!("/api/v1/tasks/{id}")).bearer(w.token("fjadmin")).json(&done))
                    .await
                    .expect(StatusCode::OK);
            }
        }
        let s = w.login("fjadmin").await;
        let list = |status: &str| {
            let uri = format!("/tasks?unit={unit}{status}");
            let w = &w;
            let s = &s;
            async move { w.send(get(&uri).session(s)).await.expect(StatusCode::OK).text() }
        };
        let html = list("").await;
        assert!(html.contains("仍在推进的网格走访") && !html.contains("早已完成的装维回访"), "open ones by default");
        assert!(html.contains(r#"<option value="open" selected>"#), "the filter says so");
        let html = list("&status=all").await;
        assert!(html.contains("仍在推进的网格走访") && html.contains("早已完成的装维回访"), "every one when asked");
        let html = list("&status=done").await;
        assert!(!html.contains("仍在推进的网格走访") && html.contains("早已完成的装维回访"));
    })
    .await;
}
