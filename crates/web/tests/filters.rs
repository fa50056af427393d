//! A list's filter that cannot be read does not fail the page: the list is
//! shown without it, and the problem — naming the filter and the value — is
//! shown under the filter form, in the reader's language.

mod common;

use axum::http::StatusCode;
use common::*;

/// The problems listed under a page's filters.
fn problems(html: &str) -> Option<String> {
    let at = html.find(r#"id="filter-problems""#)?;
    Some(html[at..at + html[at..].find("</div>").unwrap()].to_string())
}

#[tokio::test]
async fn every_list_shows_what_it_could_not_read_beside_its_filters() {
    each_backend(|w| async move {
        let s = w.login("fjadmin").await;
        let fj = w.id("FJ");
        for (list, bad, words) in [
            (format!("/tasks?unit={fj}"), "kind=parade", ["任务类别", "parade"]),
            (format!("/tasks?unit={fj}"), "due_from=2024-13-45", ["完成时限（起）", "2024-13-45"]),
            (format!("/tasks?unit={fj}"), "team=x7", ["承担队伍", "x7"]),
            (format!("/teams?unit={fj}"), "kind=band", ["队伍类型", "band"]),
            (format!("/commitments?unit={fj}"), "status=maybe", ["核实状态", "maybe"]),
            (format!("/people?unit={fj}"), "category=alien", ["人员类别", "alien"]),
            (format!("/honors?unit={fj}"), "level=galactic", ["荣誉级别", "galactic"]),
            (format!("/brands?unit={fj}"), "category=zzz", ["品牌类别", "zzz"]),
        ] {
            let plain = w.send(get(&list).session(&s)).await.expect(StatusCode::OK).text();
            assert!(problems(&plain).is_none(), "[{}] {list}: a problem without a bad filter", w.backend);
            let uri = format!("{list}&{bad}");
            let html = w.send(get(&uri).session(&s)).await.expect(StatusCode::OK).text();
            let shown = problems(&html).unwrap_or_else(|| panic!("[{}] {uri}: no problem shown", w.backend));
            for word in words {
                assert!(shown.contains(word), "[{}] {uri}: {shown}", w.backend);
            }
            assert!(
                !shown.contains("(") || !shown.contains("must"),
                "[{}] {uri}: English in a Chinese page: {shown}",
                w.backend
            );
            assert_eq!(table_rows(&html), table_rows(&plain), "[{}] {uri}: the list without the filter", w.backend);
            // In English, English.
            let html = w.send(get(&uri).session(&s).cookie("lang", "en")).await.expect(StatusCode::OK).text();
            let shown = problems(&html).unwrap();
            assert!(!shown.contains(words[0]) && shown.contains(words[1]), "[{}] {uri} in English: {shown}", w.backend);
        }
    })
    .await;
}
