//! The server-rendered pages, driven in-process through the whole app:
//! anonymous visitors sent to the login page; signing in (wrong and right
//! passwords, login CSRF, a new session id at every login so a planted or
//! stolen pre-login cookie never authenticates); every page rendering for a
//! system admin; the language switch and its redirect target; figures on a
//! unit's page; phone numbers only for those who may see them; 404 pages out
//! of scope; signing out with and without the CSRF token; session timeouts;
//! and the embedded assets.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use qizhi_web::WebConfig;
use qizhi_web::auth::{LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE};

/// `GET uri` with a session, expecting 200, the page's HTML.
async fn page(w: &World, s: &Session, uri: &str) -> String {
    w.send(get(uri).session(s)).await.expect(StatusCode::OK).text()
}

/// Asserts that `resp` sends the browser to the login page.
#[track_caller]
fn sent_to_login(resp: &Resp) {
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}: {}", resp.what, resp.snippet());
    let to = resp.location().unwrap_or("");
    assert!(to.starts_with("/login"), "{}: redirected to {to}", resp.what);
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_the_login_page_and_back() {
    each_backend(|w| async move {
        let r = w.send(get("/")).await.expect(StatusCode::SEE_OTHER);
        assert_eq!(r.location(), Some("/login?next=%2F"));
        let uri = format!("/people?unit={}&q=林", w.id("FJ"));
        let r = w.send(get(&uri)).await.expect(StatusCode::SEE_OTHER);
        assert_eq!(r.location(), Some(format!("/login?next={}", qizhi_web::views::encode(&uri)).as_str()));
        for uri in ["/org", "/imports", "/imports/people/export.csv"] {
            sent_to_login(&w.send(get(uri)).await);
        }
        let html = w.send(get("/login?next=%2Fpeople%3Funit%3D3")).await.expect(StatusCode::OK).text();
        assert!(html.contains(r#"name="next" value="/people?unit=3""#), "{html}");
        assert!(!html.contains("/logout"), "no signed-in chrome on the login page");
    })
    .await;
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_the_right_one_opens_a_session() {
    each_backend(|w| async move {
        for (user, password) in [("fjadmin", "wrong-password-1"), ("nobody", PASSWORD)] {
            let (r, _) = w.post_login(user, password, "/org", &[]).await;
            let r = r.expect(StatusCode::UNAUTHORIZED);
            let html = r.text();
            assert!(html.contains("用户名或密码不正确"), "{}", r.snippet());
            assert!(html.contains(&format!(r#"value="{user}""#)), "the username is kept");
            assert!(r.cookie(SESSION_COOKIE).is_none(), "no session for a failed login");
            // A fresh login token for the next attempt, in the page and its cookie.
            let fresh = r.cookie(LOGIN_CSRF_COOKIE).expect("a new login csrf cookie");
            assert_eq!(csrf_of(&html).as_deref(), Some(fresh.as_str()));
        }

        // A login token that is not the cookie's: the page has expired.
        let form = w.send(get("/login")).await.expect(StatusCode::OK);
        let cookie = form.cookie(LOGIN_CSRF_COOKIE).unwrap();
        let r = w
            .send(post("/login").cookie(LOGIN_CSRF_COOKIE, &cookie).form(&[
                ("username", "fjadmin"),
                ("password", PASSWORD),
                ("csrf", "forged"),
            ]))
            .await
            .expect(StatusCode::UNAUTHORIZED);
        assert!(r.text().contains("页面已过期"), "{}", r.snippet());
        assert!(r.cookie(SESSION_COOKIE).is_none());

        let (r, _) = w.post_login("fjadmin", PASSWORD, "/org", &[]).await;
        let r = r.expect(StatusCode::SEE_OTHER);
        assert_eq!(r.location(), Some("/org"), "back to where the visitor was going");
        let set = r.set_cookie(SESSION_COOKIE).expect("a session cookie");
        for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(set.contains(attr), "session cookie lacks {attr}: {set}");
        }
        let token = r.cookie(SESSION_COOKIE).unwrap();
        assert!(token.len() >= 32, "a long random token: {token}");
        let login_csrf = r.set_cookie(LOGIN_CSRF_COOKIE).expect("the login token is cleared");
        assert!(login_csrf.starts_with(&format!("{LOGIN_CSRF_COOKIE}=;")), "{login_csrf}");
        let s = Session { cookie: token, csrf: String::new() };
        let html = page(&w, &s, "/org").await;
        assert!(html.contains("福建党务管理员"), "the user's name is shown");
    })
    .await;
}

#[tokio::test]
async fn a_cookie_set_before_login_never_becomes_the_session() {
    each_backend(|w| async move {
        // A value planted by an attacker is replaced, not adopted.
        let planted = "attacker-chosen-session-value-0123456789abcdef";
        let (r, _) = w.post_login("admin", PASSWORD, "/", &[(SESSION_COOKIE, planted)]).await;
        let r = r.expect(StatusCode::SEE_OTHER);
        let fresh = r.cookie(SESSION_COOKIE).expect("a new session cookie");
        assert_ne!(fresh, planted);
        sent_to_login(&w.send(get("/").cookie(SESSION_COOKIE, planted)).await);
        w.send(get("/").cookie(SESSION_COOKIE, &fresh)).await.expect(StatusCode::OK);

        // A real session of the attacker planted in the victim's browser: the
        // victim's login gets a new id and the planted session ends.
        let attacker = w.login("viewer").await;
        let (r, _) = w.post_login("admin", PASSWORD, "/", &[(SESSION_COOKIE, &attacker.cookie)]).await;
        let r = r.expect(StatusCode::SEE_OTHER);
        let victim = r.cookie(SESSION_COOKIE).unwrap();
        assert_ne!(victim, attacker.cookie);
        sent_to_login(&w.send(get("/").cookie(SESSION_COOKIE, &attacker.cookie)).await);
        let me = w.send(get("/api/v1/me").cookie(SESSION_COOKIE, &victim)).await.expect(StatusCode::OK).json();
        assert_eq!(me["username"], "admin");
    })
    .await;
}

#[tokio::test]
async fn every_page_renders_for_a_system_admin() {
    each_backend(|w| async move {
        let s = w.login("admin").await;
        let (cu, fj, b1) = (w.id("CU"), w.id("FJ"), w.id("FJ01-001"));

        let html = page(&w, &s, "/").await;
        assert!(html.contains(r#"<html lang="zh-CN">"#));
        assert!(html.contains(&w.unit("CU").name), "the scope root");
        // Its children, labelled by short name in the chart and table.
        for child in ["FJ", "NM"] {
            let u = w.unit(child);
            let label = u.short_name.as_deref().unwrap_or(&u.name);
            assert!(html.contains(label), "child {child} ({label}) not shown");
            assert!(html.contains(&format!(r#"href="/units/{}""#, u.id)), "no link to {child}");
        }
        assert_eq!(tile_value(&html, "org.branches").as_deref(), Some(w.branches_under("CU").to_string().as_str()));
        assert!(html.contains(r#"action="/logout""#));

        let html = page(&w, &s, "/org").await;
        assert!(html.contains(&format!(r#"hx-get="/org/children/{cu}""#)));

        let html = page(&w, &s, &format!("/org?q={}", qizhi_web::views::encode("福"))).await;
        assert!(html.contains(r#"value="福""#));
        for hit in ["FJ", "FJ01", "FJ01-001", "FJ01-002"] {
            assert!(html.contains(&format!(r#"href="/units/{}""#, w.id(hit))), "{hit} found by 福");
        }
        assert!(!html.contains(&format!(r#"href="/units/{}""#, w.id("NM-001"))));

        let html = page(&w, &s, &format!("/org/children/{cu}")).await;
        assert!(!html.contains("<html"), "a fragment, not a page");
        assert!(html.contains(&w.unit("FJ").name) && html.contains(&w.unit("NM").name));
        assert!(html.contains(&format!(r#"hx-get="/org/children/{fj}""#)));

        let html = page(&w, &s, &format!("/units/{fj}")).await;
        assert!(html.contains(&w.unit("FJ").name) && html.contains("福建联通"));
        let html = page(&w, &s, &format!("/units/{fj}?from=2020&to=2026")).await;
        assert!(html.contains(r#"name="from" value="2020""#) && html.contains(r#"name="to" value="2026""#));

        let html = page(&w, &s, "/people").await;
        assert!(html.contains(&format!("共 {} 人", w.people.len())), "the whole group's people");

        let lin = w.people_under("FJ01-001").iter().filter(|p| p.name.contains('林')).count();
        assert!(lin > 20, "the fixture needs a second page of 林");
        let html = page(&w, &s, &format!("/people?unit={b1}&q={}&page=2", qizhi_web::views::encode("林"))).await;
        assert!(html.contains(&format!("共 {lin} 人")));
        let pages = lin.div_ceil(20);
        assert!(html.contains(&format!("第 2 页，共 {pages} 页")));
        assert_eq!(table_rows(&html), (lin - 20).min(20), "rows of page 2");

        let html = page(&w, &s, "/imports").await;
        for kind in qizhi_app::ledgers::KINDS {
            assert!(html.contains(&format!(r#"action="/imports/{kind}""#)), "{kind} upload form");
        }
        assert!(html.contains(&format!(r#"name="csrf" value="{}""#, s.csrf)));

        // Accounts and the audit trail.
        let html = page(&w, &s, "/account").await;
        assert!(html.contains(r#"action="/account/password""#) && html.contains("系统管理员"));
        let html = page(&w, &s, "/accounts").await;
        for (username, ..) in USERS {
            assert!(html.contains(username), "{username} listed");
        }
        let html = page(&w, &s, &format!("/accounts/{}", w.user("m_member"))).await;
        assert!(html.contains("m_member") && html.contains("鼓楼"), "the account, its role and unit");
        page(&w, &s, "/accounts/new").await;
        let html = page(&w, &s, "/audit").await;
        assert!(html.contains("登录"), "sign-ins are in the trail");
        for english in ["/account", "/accounts", "/audit"] {
            let html = w
                .send(get(english).session(&s).cookie(qizhi_web::auth::LANG_COOKIE, "en"))
                .await
                .expect(StatusCode::OK)
                .text();
            assert!(html.contains(r#"<html lang="en">"#), "{english} in English");
        }
    })
    .await;
}

#[tokio::test]
async fn the_language_switch_sets_a_cookie_and_pages_follow_it() {
    each_backend(|w| async move {
        let s = w.login("admin").await;
        let r = w.send(get("/lang/en?next=/org").session(&s)).await.expect(StatusCode::SEE_OTHER);
        assert_eq!(r.location(), Some("/org"));
        assert_eq!(r.cookie(LANG_COOKIE).as_deref(), Some("en"));

        let html = w.send(get("/org").session(&s).cookie(LANG_COOKIE, "en")).await.expect(StatusCode::OK).text();
        assert!(html.contains(r#"<html lang="en">"#));
        assert!(html.contains("Organization") && html.contains("Sign out"));
        assert!(!html.contains("组织架构") && !html.contains("退出"));
        assert!(html.contains("/lang/zh?next=%2Forg"), "the switch leads back to Chinese");

        let r = w.send(get("/lang/zh?next=/org")).await.expect(StatusCode::SEE_OTHER);
        assert_eq!(r.cookie(LANG_COOKIE).as_deref(), Some("zh"));
        let html = w.send(get("/org").session(&s).cookie(LANG_COOKIE, "zh")).await.expect(StatusCode::OK).text();
        assert!(html.contains("组织架构"));

        // The login page follows the cookie too.
        let html = w.send(get("/login").cookie(LANG_COOKIE, "en")).await.expect(StatusCode::OK).text();
        assert!(html.contains("Password") && html.contains("Sign in"));
    })
    .await;
}

#[tokio::test]
async fn the_language_switch_never_redirects_to_another_site() {
    each_backend(|w| async move {
        for next in ["//evil.example", "https://evil.example", "/\\evil.example", "evil.example", ""] {
            let uri = format!("/lang/en?next={}", qizhi_web::views::encode(next));
            let r = w.send(get(&uri)).await.expect(StatusCode::SEE_OTHER);
            assert_eq!(r.location(), Some("/"), "next={next:?}");
        }
        // The login form's `next` is held to the same rule.
        let (r, _) = w.post_login("viewer", PASSWORD, "//evil.example", &[]).await;
        assert_eq!(r.expect(StatusCode::SEE_OTHER).location(), Some("/"));
    })
    .await;
}

/// Browsers drop tabs and newlines from a URL before resolving it
/// (WHATWG URL parsing), so `Location: /<TAB>/evil.example` takes the user to
/// `//evil.example`, another site.
#[tokio::test]
async fn redirect_targets_with_tabs_or_newlines_stay_on_this_site() {
    each_backend(|w| async move {
        let mut problems = vec![];
        for next in ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example"] {
            let uri = format!("/lang/en?next={}", qizhi_web::views::encode(next));
            let r = w.send(get(&uri)).await;
            let location = r.location().unwrap_or("").to_string();
            let as_browsers_read_it: String = location.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
            if r.status != StatusCode::SEE_OTHER
                || !as_browsers_read_it.starts_with('/')
                || as_browsers_read_it.starts_with("//")
            {
                problems.push(format!("next={next:?}: {} Location {location:?} {}", r.status, r.snippet()));
            }
        }
        assert!(problems.is_empty(), "[{}] unsafe redirects:\n{}", w.backend, problems.join("\n"));
    })
    .await;
}

#[tokio::test]
async fn a_units_page_shows_the_figures_of_its_subtree() {
    each_backend(|w| async move {
        let s = w.login("fjadmin").await;
        let fj = w.id("FJ");
        let html = page(&w, &s, &format!("/units/{fj}")).await;
        let shown = |key: &str| tile_value(&html, key).unwrap_or_else(|| panic!("no {key} tile"));
        assert_eq!(shown("org.branches"), w.branches_under("FJ").to_string());
        assert_eq!(shown("org.units"), w.subtree("FJ").len().to_string());
        assert_eq!(shown("org.people"), w.people_under("FJ").len().to_string());
        assert_eq!(shown("org.members"), w.members_under("FJ").to_string());
        assert_eq!(shown("grids.coverage_rate"), "100%");
        assert!(html.contains(&format!(r#"href="/people?unit={fj}""#)));
        assert!(html.contains(&format!(r#"href="/units/{}""#, w.id("FJ01"))), "its child");
        // The parent is outside this admin's scope: not even its name is shown.
        assert!(!html.contains(&w.unit("CU").name), "out-of-scope parent named");

        // A span of years before the members joined counts fewer of them.
        let html = page(&w, &s, &format!("/units/{fj}?from=2009&to=2009")).await;
        assert_eq!(tile_value(&html, "org.members").as_deref(), Some("0"));
        assert_eq!(tile_value(&html, "org.people").as_deref(), Some(w.people_under("FJ").len().to_string().as_str()));
        // A span that ends before it begins: the page, with the problem beside the control.
        let html = page(&w, &s, &format!("/units/{fj}?from=2026&to=2020")).await;
        assert!(html.contains(r#"id="period-problem""#) && html.contains("2026"), "{html}");
    })
    .await;
}

/// How many times personal data was revealed, by the audit trail.
async fn reveals(w: &World) -> i64 {
    let q = qizhi_store::audit::AuditQuery {
        action: Some("revealed".into()),
        object_kind: Some("person".into()),
        page: 1,
        per_page: 10,
        ..Default::default()
    };
    w.store.audit_entries(&qizhi_store::Scope::All, &q).await.unwrap().total
}

#[tokio::test]
async fn people_pages_show_phone_numbers_only_to_those_who_may_see_them() {
    each_backend(|w| async move {
        let fj = w.id("FJ");
        let someone = w.person_in("FJ01-002").clone();
        let one = format!("/people?unit={fj}&q={}", qizhi_web::views::encode(&someone.name));

        let viewer = w.login("viewer").await;
        let html = page(&w, &viewer, &one).await;
        assert!(html.contains(&someone.name));
        assert!(!html.contains(&someone.phone), "viewer sees a phone number");
        assert!(!html.contains("联系电话"), "viewer sees the phone column");
        let html = page(&w, &viewer, &format!("/people?unit={fj}")).await;
        for p in w.people_under("FJ") {
            assert!(!html.contains(&p.phone), "viewer sees {}'s phone", p.name);
            assert!(!html.contains(&p.id_number), "viewer sees {}'s ID number", p.name);
        }

        let admin = w.login("fjadmin").await;
        let html = page(&w, &admin, &one).await;
        assert!(html.contains("联系电话"));
        let masked = qizhi_core::person::masked(&someone.phone);
        assert!(html.contains(&masked) && !html.contains(&someone.phone), "a list masks the phone number");
        assert_eq!(table_rows(&html), 1);
        assert!(
            html.contains(&format!(r#"<a href="/people/{}">{}</a>"#, someone.id, someone.name)),
            "the name opens the person"
        );

        // The person's page: masked until revealed, and the reveal is audited.
        let record = format!("/people/{}", someone.id);
        let html = page(&w, &admin, &record).await;
        assert!(html.contains(&masked) && !html.contains(&someone.phone) && !html.contains(&someone.id_number));
        assert!(html.contains(&format!(r#"action="/people/{}/reveal""#, someone.id)));
        assert_eq!(reveals(&w).await, 0);
        let html = w
            .send(post(&format!("{record}/reveal")).session(&admin).form(&[("csrf", &admin.csrf)]))
            .await
            .expect(StatusCode::OK)
            .text();
        assert!(html.contains(&someone.phone) && html.contains(&someone.id_number), "revealed");
        assert_eq!(reveals(&w).await, 1, "[{}] the reveal is in the audit trail", w.backend);

        // A viewer reads the record without any personal field, and may not reveal it.
        let html = page(&w, &viewer, &record).await;
        assert!(html.contains(&someone.name) && !html.contains(&masked) && !html.contains("/reveal"));
        w.send(post(&format!("{record}/reveal")).session(&viewer).form(&[("csrf", &viewer.csrf)]))
            .await
            .expect(StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn out_of_scope_pages_answer_404() {
    each_backend(|w| async move {
        let s = w.login("b1admin").await;
        let b2 = w.id("FJ01-002");
        for uri in [
            format!("/units/{b2}"),
            format!("/units/{}", w.id("FJ")),
            format!("/org/children/{}", w.id("FJ01")),
            format!("/people?unit={b2}"),
            format!("/imports/people/export.csv?unit={b2}"),
            "/units/999999".to_string(),
        ] {
            let r = w.send(get(&uri).session(&s)).await.expect(StatusCode::NOT_FOUND);
            let html = r.text();
            assert!(html.contains("<html") && html.contains("404"), "{}: not an error page", r.what);
            assert!(!html.contains(&w.unit("FJ01-002").name), "{}: leaks the unit's name", r.what);
        }
        // What is in scope still renders.
        let html = page(&w, &s, &format!("/units/{}", w.id("FJ01-001"))).await;
        assert!(html.contains(&w.unit("FJ01-001").name));
        let html = page(&w, &s, "/people").await;
        assert!(html.contains(&format!("共 {} 人", w.people_under("FJ01-001").len())));
    })
    .await;
}

#[tokio::test]
async fn signing_out_needs_the_csrf_token_and_ends_the_session() {
    each_backend(|w| async move {
        let s = w.login("fjadmin").await;
        for form in [&[][..], &[("csrf", "not-the-token")][..]] {
            let r = w.send(post("/logout").session(&s).form(form)).await.expect(StatusCode::FORBIDDEN);
            assert!(r.cookie(SESSION_COOKIE).is_none(), "{}: cookie touched", r.what);
        }
        page(&w, &s, "/").await;

        let r = w.send(post("/logout").session(&s).form(&[("csrf", &s.csrf)])).await.expect(StatusCode::SEE_OTHER);
        assert_eq!(r.location(), Some("/login"));
        assert_eq!(r.cookie(SESSION_COOKIE).as_deref(), Some(""), "the cookie is cleared");

        sent_to_login(&w.send(get("/").session(&s)).await);
        let r = w.send(get("/api/v1/me").session(&s)).await.expect(StatusCode::UNAUTHORIZED);
        assert_eq!(r.error_code(), "unauthorized");
    })
    .await;
}

#[tokio::test]
async fn a_session_ends_after_its_idle_timeout() {
    each_backend(|w| async move {
        let s = w.login("viewer").await;
        let strict = w.app_with(WebConfig { idle_timeout_ms: 0, ..WebConfig::default() });
        tokio::time::sleep(Duration::from_millis(5)).await;
        sent_to_login(&w.send_via(&strict, get("/").session(&s)).await);
        // The expired session is gone, also for an app with a longer timeout.
        sent_to_login(&w.send(get("/").session(&s)).await);
    })
    .await;
}

#[tokio::test]
async fn embedded_assets_are_served_and_unknown_ones_are_404() {
    each_backend(|w| async move {
        let r = w.send(get("/assets/qizhi.css")).await.expect(StatusCode::OK);
        assert!(r.content_type().unwrap_or("").starts_with("text/css"), "{:?}", r.content_type());
        assert!(!r.body.is_empty());
        let r = w.send(get("/assets/qizhi.js")).await.expect(StatusCode::OK);
        assert!(r.content_type().unwrap_or("").starts_with("text/javascript"));
        w.send(get("/assets/nope")).await.expect(StatusCode::NOT_FOUND);
        w.send(get("/assets/..%2FCargo.toml")).await.expect(StatusCode::NOT_FOUND);
    })
    .await;
}
