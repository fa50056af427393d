//! The home as a work list: what waits for each role in their scope, counted
//! from records of the reporting period, each item opening the list it
//! counts; a member's home is their own page.

mod common;

use axum::http::StatusCode;
use common::*;
use qizhi_core::ids::{PersonId, UnitId};
use qizhi_core::tasks::TaskInput;
use qizhi_core::tasks::commitments::CommitmentInput;
use qizhi_web::i18n::Lang;

/// The work list of a home page: (href, count) of each item.
fn todo(html: &str) -> Vec<(String, i64)> {
    let Some(start) = html.find("<ul class=\"todo\">") else { return vec![] };
    let list = &html[start..start + html[start..].find("</ul>").unwrap()];
    list.split("<a href=\"")
        .skip(1)
        .map(|item| {
            let href = item.split('"').next().unwrap().replace("&#38;", "&");
            let count = item.split("todo-count\">").nth(1).unwrap().split('<').next().unwrap().replace(',', "");
            (href, count.parse().unwrap())
        })
        .collect()
}

fn item<'a>(list: &'a [(String, i64)], path: &str) -> Option<&'a (String, i64)> {
    list.iter().find(|(href, _)| href.starts_with(path))
}

#[tokio::test]
async fn each_role_finds_what_waits_for_it_counted_from_the_records() {
    each_backend(|w| async move {
        // A day already past, and the reporting year it falls in.
        let yesterday = qizhi_core::date::today() - time::Duration::days(1);
        let y = yesterday.year();
        w.store.pin_reporting_year(Some(y)).await.unwrap();
        let b1 = UnitId(w.id("FJ01-001"));
        let lead = w.person_in("FJ01-001").id;
        let past = qizhi_core::date::iso(yesterday);
        let overdue = |name: &str| TaskInput {
            kind: "目标任务".into(),
            name: name.into(),
            start_on: Some(format!("{y}-01-01")),
            due_on: Some(past.clone()),
            responsible: vec![lead],
            ..Default::default()
        };
        for name in ["基站验收", "网格走访"] {
            let (_, f) = overdue(name).validate().unwrap();
            w.store.create_task(b1, None, &f).await.unwrap();
        }
        let members: Vec<&Fx> = w.people_under("FJ01-001").into_iter().filter(|p| p.category.is_member()).collect();
        for p in &members[..3] {
            let c =
                CommitmentInput { year: y.to_string(), text: "带头完成网格走访".into(), ..Default::default() };
            w.store.create_commitment(PersonId(p.id), &c.validate().unwrap()).await.unwrap();
        }

        // The unit admin of FJ01: the overdue tasks and the commitments to verify.
        let s = w.login("m_admin").await;
        let html = w.send(get("/").session(&s)).await.expect(StatusCode::OK).text();
        let list = todo(&html);
        let (href, n) = item(&list, "/tasks?").unwrap_or_else(|| panic!("[{}] overdue tasks: {list:?}", w.backend));
        assert_eq!(*n, 2, "[{}]", w.backend);
        assert!(html.contains("<li class=\"urgent\">"), "overdue work is marked");
        let tasks = w.send(get(href).session(&s)).await.expect(StatusCode::OK).text();
        assert!(tasks.contains("基站验收") && tasks.contains("网格走访"), "[{}] the item opens its list", w.backend);
        let (href, n) = item(&list, "/commitments?").expect("commitments to verify");
        assert_eq!(*n, 3);
        let board = w.send(get(href).session(&s)).await.expect(StatusCode::OK).text();
        assert_eq!(board.matches("带头完成网格走访").count(), 3, "[{}] the board lists them", w.backend);

        // Another year's period: nothing of this year waits.
        let html =
            w.send(get(&format!("/?from={}&to={}", y - 3, y - 1)).session(&s)).await.expect(StatusCode::OK).text();
        assert!(item(&todo(&html), "/tasks?").is_none() && item(&todo(&html), "/commitments?").is_none(), "{html}");

        // A reviewer of FJ01 verifies commitments too; a viewer has nothing to act on.
        let html = w.send(get("/").session(&w.login("m_reviewer").await)).await.expect(StatusCode::OK).text();
        assert_eq!(item(&todo(&html), "/commitments?").map(|i| i.1), Some(3));
        let html = w.send(get("/").session(&w.login("m_viewer").await)).await.expect(StatusCode::OK).text();
        assert!(item(&todo(&html), "/commitments?").is_none(), "a viewer verifies nothing");

        // NM's admin sees nothing of FJ.
        let html = w.send(get("/").session(&w.login("nmadmin").await)).await.expect(StatusCode::OK).text();
        assert!(todo(&html).is_empty() && html.contains(Lang::Zh.t("home.todo_none")), "{html}");

        // A member lands on their own page.
        let r = w.send(get("/").session(&w.login("m_member").await)).await.expect(StatusCode::SEE_OTHER);
        assert_eq!(r.location(), Some("/my"));
    })
    .await;
}

#[tokio::test]
async fn the_home_shows_each_unit_below_with_its_headline_figures() {
    each_backend(|w| async move {
        let s = w.login("admin").await;
        let html = w.send(get("/").session(&s)).await.expect(StatusCode::OK).text();
        let table = &html[html.find("data-table=\"home-units\"").expect("the units table")..];
        for code in ["FJ", "NM"] {
            let row = &table[table.find(&format!("href=\"/units/{}\"", w.id(code))).unwrap()..];
            let row = &row[..row.find("</tr>").unwrap()];
            let cells: Vec<&str> = row.split("class=\"num\">").skip(1).map(|c| c.split('<').next().unwrap()).collect();
            assert_eq!(cells[0], w.branches_under(code).to_string(), "[{}] {code} branches", w.backend);
            assert_eq!(cells[1], w.members_under(code).to_string(), "[{}] {code} members", w.backend);
        }
    })
    .await;
}
