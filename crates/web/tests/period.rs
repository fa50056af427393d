//! The reporting period: one span for every page of figures and lists, the
//! current reporting year unless asked, remembered for the session once
//! asked, and a period that cannot be read named beside the control.

mod common;

use axum::http::StatusCode;
use common::*;
use qizhi_web::kit::period::PERIOD_COOKIE;

/// The years the period control of a page shows.
fn shown(html: &str) -> (i32, i32) {
    let form = &html[html.find("class=\"span-form period\"").expect("the period control")..];
    let value = |name: &str| -> i32 {
        let at = form.find(&format!("name=\"{name}\" value=\"")).unwrap() + name.len() + 15;
        form[at..].split('"').next().unwrap().parse().unwrap()
    };
    (value("from"), value("to"))
}

#[tokio::test]
async fn pages_show_the_reporting_year_unless_asked_and_remember_what_was_asked() {
    each_backend(|w| async move {
        w.store.pin_reporting_year(Some(2023)).await.unwrap();
        let s = w.login("fjadmin").await;
        let fj = w.id("FJ");
        let html = w.send(get(&format!("/units/{fj}")).session(&s)).await.expect(StatusCode::OK).text();
        assert_eq!(shown(&html), (2023, 2023), "[{}] the pinned reporting year", w.backend);

        // Asked on one page: that page shows it and the session remembers it.
        let r = w.send(get(&format!("/brands?unit={fj}&from=2020&to=2022")).session(&s)).await.expect(StatusCode::OK);
        assert_eq!(shown(&r.text()), (2020, 2022));
        let set = r.set_cookie(PERIOD_COOKIE).expect("the period is remembered");
        let remembered = set.split(';').next().unwrap().split_once('=').unwrap().1.to_string();
        assert_eq!(remembered, "2020-2022");
        assert!(set.contains("HttpOnly"), "{set}");
        for page in [format!("/units/{fj}"), format!("/tasks?unit={fj}"), format!("/stars?unit={fj}"), "/".into()] {
            let html =
                w.send(get(&page).session(&s).cookie(PERIOD_COOKIE, &remembered)).await.expect(StatusCode::OK).text();
            assert_eq!(shown(&html), (2020, 2022), "[{}] {page} shows the session's period", w.backend);
            assert!(html.contains("2023"), "[{}] {page} offers the reporting year back", w.backend);
        }

        // One year asked as `year`.
        let html = w.send(get(&format!("/units/{fj}?year=2021")).session(&s)).await.expect(StatusCode::OK).text();
        assert_eq!(shown(&html), (2021, 2021));
    })
    .await;
}

#[tokio::test]
async fn a_period_that_cannot_be_read_is_named_beside_the_control_and_not_remembered() {
    each_backend(|w| async move {
        w.store.pin_reporting_year(Some(2024)).await.unwrap();
        let s = w.login("fjadmin").await;
        let fj = w.id("FJ");
        for (query, words) in [("from=abc&to=2024", "abc"), ("from=2024&to=2020", "2024"), ("from=1990&to=2024", "20")]
        {
            let r = w.send(get(&format!("/units/{fj}?{query}")).session(&s)).await.expect(StatusCode::OK);
            assert!(r.set_cookie(PERIOD_COOKIE).is_none(), "[{}] {query} is not remembered", w.backend);
            let html = r.text();
            assert_eq!(shown(&html), (2024, 2024), "[{}] {query}: the default period is shown", w.backend);
            let problem = &html[html.find("id=\"period-problem\"").expect("the problem beside the control")..];
            let problem = &problem[..problem.find("</p>").unwrap()];
            assert!(problem.contains(words), "[{}] {query}: {problem}", w.backend);
            assert!(
                !problem.contains("must") && !problem.contains("at most"),
                "[{}] English in Chinese: {problem}",
                w.backend
            );
            assert!(html.contains("aria-invalid=\"true\""));
        }
        // In English, the English words.
        let html = w
            .send(get(&format!("/units/{fj}?from=abc")).session(&s).cookie("lang", "en"))
            .await
            .expect(StatusCode::OK)
            .text();
        assert!(html.contains("the first year must be a year, not “abc”"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn a_pinned_reporting_year_can_be_released_to_the_rule() {
    each_backend(|w| async move {
        let rule = qizhi_core::date::reporting_year(qizhi_core::date::today());
        assert_eq!(w.store.reporting_year().await.unwrap(), rule);
        // A commitment for next year is a record of next year, not a new period.
        let member = w.people_under("FJ01-001").into_iter().find(|p| p.category.is_member()).unwrap().id;
        let next = qizhi_core::tasks::commitments::CommitmentInput {
            year: (rule + 1).to_string(),
            text: "明年带头完成网格走访".into(),
            ..Default::default()
        };
        w.store.create_commitment(qizhi_core::ids::PersonId(member), &next.validate().unwrap()).await.unwrap();
        assert_eq!(w.store.reporting_year().await.unwrap(), rule);
        for user in ["admin", "fjadmin", "b1admin", "viewer"] {
            let html = w.send(get("/").session(&w.login(user).await)).await.expect(StatusCode::OK).text();
            assert_eq!(shown(&html), (rule, rule), "[{}] {user}'s home", w.backend);
        }
        w.store.pin_reporting_year(Some(2019)).await.unwrap();
        assert_eq!(w.store.reporting_year().await.unwrap(), 2019);
        w.store.pin_reporting_year(None).await.unwrap();
        assert_eq!(w.store.reporting_year().await.unwrap(), rule, "[{}]", w.backend);
    })
    .await;
}
