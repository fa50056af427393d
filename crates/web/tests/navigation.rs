//! The navigation by role: every link a caller's menu shows opens for them,
//! and a member, who reads no unit's records, lands on their own page.

mod common;

use axum::http::StatusCode;
use common::*;

/// The links of the left navigation of a page.
fn nav_links(html: &str) -> Vec<String> {
    let start = html.find("class=\"sidenav\"").expect("a page with the navigation");
    let nav = &html[start..start + html[start..].find("</nav>").expect("the end of the navigation")];
    nav.split("href=\"").skip(1).filter_map(|s| s.split('"').next()).map(str::to_string).collect()
}

#[tokio::test]
async fn every_link_of_every_roles_menu_opens_and_a_member_lands_on_their_page() {
    each_backend(|w| async move {
        for &(username, _, role, _) in USERS {
            let s = w.login(username).await;
            let home = w.send(get("/").session(&s)).await;
            let html = if home.status == StatusCode::SEE_OTHER {
                assert_eq!(home.location(), Some("/my"), "[{}] {username} is sent to their own page", w.backend);
                w.send(get("/my").session(&s)).await.expect(StatusCode::OK).text()
            } else {
                home.expect(StatusCode::OK).text()
            };
            let links = nav_links(&html);
            assert!(!links.is_empty(), "[{}] {username} has a menu", w.backend);
            for link in &links {
                let r = w.send(get(link).session(&s)).await;
                assert_eq!(
                    r.status,
                    StatusCode::OK,
                    "[{}] {username} ({role:?}) opens {link}: {}",
                    w.backend,
                    r.snippet()
                );
            }
            if role == qizhi_core::access::Role::Member {
                assert_eq!(links, ["/my"], "[{}] a member's menu is their own page", w.backend);
            }
        }
    })
    .await;
}
