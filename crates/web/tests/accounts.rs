//! Accounts and sessions: throttled sign-in, timeouts, signing out
//! everywhere, password change and reset, disabled accounts, revoked tokens,
//! CSRF on the account forms, and the audit trail of every change with its
//! before and after, read by scope.

mod common;

use qizhi_store::Page;
use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use qizhi_web::WebConfig;
use qizhi_web::throttle::PER_PAIR as PER_ACCOUNT;

fn sent_to_login(r: &Resp) {
    assert!(
        r.status.is_redirection() && r.location().is_some_and(|l| l.starts_with("/login")),
        "{}: expected a redirect to the sign-in page, got {} {:?}",
        r.what,
        r.status,
        r.location()
    );
}

async fn page_ok(w: &World, s: &Session, uri: &str) -> String {
    w.send(get(uri).session(s)).await.expect(StatusCode::OK).text()
}

#[tokio::test]
async fn repeated_failed_sign_ins_lock_the_account_even_for_the_right_password() {
    each_backend(|w| async move {
        for _ in 0..PER_ACCOUNT {
            let (r, _) = w.post_login("m_login", "wrong-password-1", "/", &[]).await;
            r.expect(StatusCode::UNAUTHORIZED);
        }
        let (r, _) = w.post_login("m_login", PASSWORD, "/", &[]).await;
        let r = r.expect(StatusCode::UNAUTHORIZED);
        assert!(r.text().contains("登录失败次数过多"), "{}", r.snippet());
        assert!(r.cookie(qizhi_web::auth::SESSION_COOKIE).is_none(), "no session while locked");
        // Another account is not locked by them.
        let (r, _) = w.post_login("m_viewer", PASSWORD, "/", &[]).await;
        r.expect(StatusCode::SEE_OTHER);
        // Every failure is in the audit trail.
        let q = qizhi_store::audit::AuditQuery {
            action: Some("login_failed".into()),
            q: "m_login".into(),
            page: 1,
            per_page: 100,
            ..Default::default()
        };
        let Page { total: n, .. } = w.store.audit_entries(&qizhi_store::Scope::All, &q).await.unwrap();
        assert_eq!(n, i64::from(PER_ACCOUNT), "[{}] failed sign-ins recorded", w.backend);
    })
    .await;
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_timeout_however_active() {
    each_backend(|w| async move {
        let s = w.login("m_viewer").await;
        let strict = w.app_with(WebConfig { absolute_timeout_ms: 0, ..WebConfig::default() });
        tokio::time::sleep(Duration::from_millis(5)).await;
        sent_to_login(&w.send_via(&strict, get("/").session(&s)).await);
        sent_to_login(&w.send(get("/").session(&s)).await);
    })
    .await;
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_the_account() {
    each_backend(|w| async move {
        let phone = w.login("m_viewer").await;
        let desk = w.login("m_viewer").await;
        let other = w.login("m_admin").await;
        let r = w.send(post("/account/logout-all").session(&desk).form(&[("csrf", &desk.csrf)])).await;
        assert_eq!(r.expect(StatusCode::SEE_OTHER).location(), Some("/login"));
        sent_to_login(&w.send(get("/").session(&phone)).await);
        sent_to_login(&w.send(get("/").session(&desk)).await);
        page_ok(&w, &other, "/").await;
    })
    .await;
}

#[tokio::test]
async fn changing_ones_password_checks_the_rules_and_ends_the_other_sessions() {
    each_backend(|w| async move {
        let s = w.login("m_reviewer").await;
        let other = w.login("m_reviewer").await;
        let change = |current: &str, new: &str, confirm: &str| {
            post("/account/password").session(&s).form(&[
                ("csrf", &s.csrf),
                ("current", current),
                ("new", new),
                ("confirm", confirm),
            ])
        };
        for (current, new, confirm, says) in [
            ("not-it-2026", "Better-2026-pass", "Better-2026-pass", "当前密码不正确"),
            (PASSWORD, "Better-2026-pass", "Better-2026-typo", "不一致"),
            (PASSWORD, "short1", "short1", "至少 10 位"),
            (PASSWORD, PASSWORD, PASSWORD, "不能与当前密码相同"),
        ] {
            let r = w.send(change(current, new, confirm)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert!(r.text().contains(says), "{says}: {}", r.snippet());
        }
        page_ok(&w, &other, "/").await;
        let r = w.send(change(PASSWORD, "Better-2026-pass", "Better-2026-pass")).await;
        assert_eq!(r.expect(StatusCode::SEE_OTHER).location(), Some("/account?flash=password_changed"));
        assert!(page_ok(&w, &s, "/account?flash=password_changed").await.contains("密码已修改"));
        sent_to_login(&w.send(get("/").session(&other)).await);
        let (r, _) = w.post_login("m_reviewer", PASSWORD, "/", &[]).await;
        r.expect(StatusCode::UNAUTHORIZED);
        let (r, _) = w.post_login("m_reviewer", "Better-2026-pass", "/", &[]).await;
        r.expect(StatusCode::SEE_OTHER);
    })
    .await;
}

/// The one-time password a page shows, from its `<code class="secret">`.
fn secret_of(html: &str) -> String {
    let at = html.find("class=\"secret\"").expect("a one-time secret on the page");
    let rest = &html[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest.find('<').unwrap();
    rest[start..end].trim().to_string()
}

#[tokio::test]
async fn a_reset_password_works_once_and_must_be_changed_before_anything_else() {
    each_backend(|w| async move {
        let admin = w.login("m_admin").await;
        let victim = w.login("m_member").await;
        let id = w.user("m_member");
        let r = w.send(post(&format!("/accounts/{id}/password")).session(&admin).form(&[("csrf", &admin.csrf)])).await;
        let temporary = secret_of(&r.expect(StatusCode::OK).text());
        // The reset ended the account's sessions.
        sent_to_login(&w.send(get("/").session(&victim)).await);

        let s = {
            let (r, _) = w.post_login("m_member", &temporary, "/", &[]).await;
            let r = r.expect(StatusCode::SEE_OTHER);
            let cookie = r.cookie(qizhi_web::auth::SESSION_COOKIE).unwrap();
            let account = w.send(get("/account").cookie(qizhi_web::auth::SESSION_COOKIE, &cookie)).await;
            let html = account.expect(StatusCode::OK).text();
            assert!(html.contains("临时密码"), "the account page says why");
            Session { cookie, csrf: csrf_of(&html).unwrap() }
        };
        // Every other page sends the account to change its password first.
        for uri in ["/", "/org", "/people"] {
            let r = w.send(get(uri).session(&s)).await.expect(StatusCode::SEE_OTHER);
            assert_eq!(r.location(), Some("/account"), "{uri}");
        }
        let r = w
            .send(post("/account/password").session(&s).form(&[
                ("csrf", &s.csrf),
                ("current", &temporary),
                ("new", "Own-choice-2026"),
                ("confirm", "Own-choice-2026"),
            ]))
            .await;
        r.expect(StatusCode::SEE_OTHER);
        // A member's home is their own page, no longer the password form.
        let r = w.send(get("/").session(&s)).await.expect(StatusCode::SEE_OTHER);
        assert_eq!(r.location(), Some("/my"));
        page_ok(&w, &s, "/my").await;
    })
    .await;
}

#[tokio::test]
async fn a_disabled_account_loses_its_sessions_tokens_and_sign_in_until_enabled() {
    each_backend(|w| async move {
        let admin = w.login("admin").await;
        let s = w.login("m_viewer").await;
        let id = w.user("m_viewer");
        // Without the CSRF token nothing happens.
        w.send(post(&format!("/accounts/{id}/disable")).session(&admin).form(&[("csrf", "forged")]))
            .await
            .expect(StatusCode::FORBIDDEN);
        page_ok(&w, &s, "/").await;

        w.send(post(&format!("/accounts/{id}/disable")).session(&admin).form(&[("csrf", &admin.csrf)]))
            .await
            .expect(StatusCode::SEE_OTHER);
        sent_to_login(&w.send(get("/").session(&s)).await);
        w.api_get("m_viewer", "/api/v1/me").await.expect(StatusCode::UNAUTHORIZED);
        let (r, _) = w.post_login("m_viewer", PASSWORD, "/", &[]).await;
        r.expect(StatusCode::UNAUTHORIZED);
        assert!(w.store.user(id).await.is_ok(), "disabled, not deleted");

        w.send(post(&format!("/accounts/{id}/enable")).session(&admin).form(&[("csrf", &admin.csrf)]))
            .await
            .expect(StatusCode::SEE_OTHER);
        w.api_get("m_viewer", "/api/v1/me").await.expect(StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn tokens_are_listed_without_their_secret_and_stop_working_when_revoked() {
    each_backend(|w| async move {
        let s = w.login("m_admin").await;
        let r = w.send(post("/account/tokens").session(&s).form(&[("csrf", &s.csrf), ("name", "报表同步")])).await;
        let html = r.expect(StatusCode::OK).text();
        let token = secret_of(&html);
        w.send(get("/api/v1/me").bearer(&token)).await.expect(StatusCode::OK);
        // Listed afterwards by name, never by secret.
        let listed = page_ok(&w, &s, "/account").await;
        assert!(listed.contains("报表同步") && !listed.contains(&token));

        let info = w.store.tokens_of(w.user("m_admin")).await.unwrap();
        let t = info.iter().find(|t| t.name == "报表同步").unwrap();
        w.send(post(&format!("/account/tokens/{}/revoke", t.id)).session(&s).form(&[("csrf", &s.csrf)]))
            .await
            .expect(StatusCode::SEE_OTHER);
        w.send(get("/api/v1/me").bearer(&token)).await.expect(StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn a_unit_admin_grants_roles_only_inside_their_scope_and_never_system_admin() {
    each_backend(|w| async move {
        let s = w.login("m_admin").await;
        let r = w
            .send(post("/accounts").session(&s).form(&[
                ("csrf", &s.csrf),
                ("username", "gulou.sec"),
                ("display_name", "鼓楼支部组织委员"),
                ("role", "unit_admin"),
                ("unit_code", "FJ01-001"),
            ]))
            .await;
        let html = r.expect(StatusCode::OK).text();
        assert!(!secret_of(&html).is_empty(), "the first password is shown once");
        let id = w.store.user_by_username("gulou.sec").await.unwrap().unwrap().id;
        assert!(w.store.user(id).await.unwrap().must_change_password);

        for (role, unit) in [("system_admin", ""), ("viewer", "FJ"), ("viewer", "NM-001")] {
            let r = w
                .send(post(&format!("/accounts/{id}/grants")).session(&s).form(&[
                    ("csrf", &s.csrf),
                    ("role", role),
                    ("unit_code", unit),
                ]))
                .await;
            assert!(r.status.is_client_error(), "{role}@{unit}: {}", r.status);
        }
        let grants = w.store.grants(id).await.unwrap();
        assert_eq!(grants.len(), 1, "[{}] nothing granted outside the scope: {grants:?}", w.backend);

        // The account list shows FJ01's accounts, not NM's.
        let list = page_ok(&w, &s, "/accounts").await;
        assert!(list.contains("gulou.sec") && list.contains("m_member"));
        assert!(!list.contains("nmadmin") && !list.contains("fjadmin"), "accounts above or beside the scope");
    })
    .await;
}

/// Changes made through the API appear in the trail with before and after,
/// to the admins and inspectors of the scope, and not to another province.
#[tokio::test]
async fn every_change_is_in_the_audit_trail_with_before_and_after_for_its_scope() {
    each_backend(|w| async move {
        let token = w.token("m_admin").to_string();
        let unit = w.id("FJ01-002");
        let unit_id = unit.to_string();
        let u = w.store.unit(qizhi_core::ids::UnitId(unit)).await.unwrap();
        let body = serde_json::json!({"code": u.code, "name": "福州网络运维第一党支部", "kind": "党支部"});
        w.send(put(&format!("/api/v1/units/{unit}")).bearer(&token).json(&body)).await.expect(StatusCode::OK);

        let entries = |who: &'static str| {
            let w = &w;
            async move {
                let r = w.api_get(who, "/api/v1/audit?object_kind=unit&action=update").await;
                r.expect(StatusCode::OK).json()["entries"].as_array().unwrap().clone()
            }
        };
        for reader in ["m_admin", "m_viewer", "fjadmin", "admin", "viewer"] {
            let list = entries(reader).await;
            let e = list
                .iter()
                .find(|e| e["object_id"].as_str() == Some(unit_id.as_str()))
                .unwrap_or_else(|| panic!("[{}] {reader} does not see the change: {list:?}", w.backend));
            assert_eq!(e["username"], "m_admin");
            assert!(e["before"].as_str().unwrap().contains("福州网络运维党支部"), "{e}");
            assert!(e["after"].as_str().unwrap().contains("福州网络运维第一党支部"), "{e}");
        }
        let elsewhere = entries("nmadmin").await;
        assert!(elsewhere.iter().all(|e| e["object_id"].as_str() != Some(unit_id.as_str())), "another province");
        w.api_get("m_reviewer", "/api/v1/audit").await.expect(StatusCode::FORBIDDEN);

        // The page filters the same way and exports what it shows.
        let s = w.login("m_viewer").await;
        let html = page_ok(&w, &s, "/audit?object_kind=unit").await;
        assert!(html.contains("福州网络运维第一党支部"), "the page lists the change");
        let csv = w.send(get("/audit/export.csv?object_kind=unit").session(&s)).await.expect(StatusCode::OK);
        let text = String::from_utf8(csv.body.clone()).unwrap();
        assert!(text.starts_with('\u{feff}') && text.contains("修改前") && text.contains("福州网络运维第一党支部"));
    })
    .await;
}

/// Viewers read the trail of their scope but not the personal data inside
/// it: phone, ID number and birth date are masked in before and after.
#[tokio::test]
async fn the_audit_trail_hides_personal_fields_from_those_who_may_not_see_them() {
    each_backend(|w| async move {
        let p = w.person_in("FJ01-002").clone();
        let body = serde_json::json!({
            "unit_id": w.id("FJ01-002"), "name": p.name, "category": p.category.code(),
            "join_date": p.join_date, "birth_date": p.birth_date, "id_number": p.id_number, "phone": "13911112222",
        });
        w.send(put(&format!("/api/v1/people/{}", p.id)).bearer(w.token("m_admin")).json(&body))
            .await
            .expect(StatusCode::OK);
        let entry = |who: &'static str| {
            let w = &w;
            let id = p.id.to_string();
            async move {
                let list = w.api_get(who, "/api/v1/audit?object_kind=person").await.expect(StatusCode::OK).json();
                list["entries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|e| e["object_id"].as_str() == Some(&id))
                    .cloned()
                    .unwrap()
            }
        };
        let admin = entry("m_admin").await;
        assert!(admin["after"].as_str().unwrap().contains("13911112222"), "{admin}");
        let viewer = entry("m_viewer").await;
        for side in ["before", "after"] {
            let text = viewer[side].as_str().unwrap();
            assert!(!text.contains(&p.phone) && !text.contains("13911112222"), "[{}] {side}: {text}", w.backend);
            assert!(!text.contains(&p.id_number) && text.contains("***"), "[{}] {side}: {text}", w.backend);
            assert!(text.contains(&p.name), "the rest stays readable: {text}");
        }
    })
    .await;
}
