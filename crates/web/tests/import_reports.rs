//! What an import tells the person who ran it: new and updated records
//! counted apart, a warning when people without ID numbers were added (the
//! same rows again would add them again), every kind of problem of a file
//! at once, and a refusal for rows of other units kept in the audit trail.
//! Audit records show dates as dates.

mod common;

use axum::http::StatusCode;
use common::*;
use qizhi_store::Page;

async fn upload(w: &World, s: &Session, kind: &str, csv: &str) -> Resp {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(csv.as_bytes());
    let parts = [Part::Text("csrf", &s.csrf), Part::File("file", "ledger.csv", "text/csv", &bytes)];
    w.send(post(&format!("/imports/{kind}")).session(s).multipart(&parts)).await
}

#[tokio::test]
async fn a_second_import_of_grids_counts_updates_as_updates() {
    each_backend(|w| async move {
        let s = w.login("fjadmin").await;
        let csv = "所属组织编码,网格编码,网格名称\r\nFJ01-001,FJ-G901,鼓楼一网格\r\nFJ01-002,FJ-G902,仓山一网格\r\n";
        let first = upload(&w, &s, "grids", csv).await.expect(StatusCode::OK).text();
        assert!(first.contains("新增 2 条") && first.contains("更新 0 条"), "{first}");
        let second = upload(&w, &s, "grids", csv).await.expect(StatusCode::OK).text();
        assert!(second.contains("新增 0 条") && second.contains("更新 2 条"), "{second}");
    })
    .await;
}

#[tokio::test]
async fn people_without_id_numbers_are_added_with_a_warning() {
    each_backend(|w| async move {
        let s = w.login("fjadmin").await;
        let csv = "所在组织编码,姓名,性别,人员类别\r\nFJ01-001,无证件甲,男,群众\r\nFJ01-001,无证件乙,女,群众\r\n";
        let before = w.count("FJ01-001", "org.people").await;
        let page = upload(&w, &s, "people", csv).await.expect(StatusCode::OK).text();
        assert!(page.contains("2 名人员未填写身份证号"), "{page}");
        assert!(page.contains("再次导入"), "the warning says what a second import does: {page}");
        assert_eq!(w.count("FJ01-001", "org.people").await, before + 2);
    })
    .await;
}

#[tokio::test]
async fn problems_of_every_kind_are_reported_at_once() {
    each_backend(|w| async move {
        let s = w.login("fjadmin").await;
        // Row 2: a category that does not exist; row 3: a unit that does not;
        // row 4: a unit outside Fujian.
        let csv = "所在组织编码,姓名,性别,人员类别\r\n\
                   FJ01-001,甲,男,党外人士\r\n\
                   FJ99-999,乙,女,群众\r\n\
                   NM-001,丙,男,群众\r\n";
        let before = w.count("FJ", "org.people").await;
        let page = upload(&w, &s, "people", csv).await.expect(StatusCode::UNPROCESSABLE_ENTITY).text();
        assert!(page.contains("第 2 行 D 列") && page.contains("党外人士"), "the bad value: {page}");
        assert!(page.contains("第 3 行 A 列") && page.contains("“FJ99-999” 不存在"), "the unknown unit: {page}");
        assert!(
            page.contains("第 4 行 A 列") && page.contains("无权修改组织 “NM-001”"),
            "the unit out of scope: {page}"
        );
        assert_eq!(w.count("FJ", "org.people").await, before, "[{}] nothing written", w.backend);
        // The rows of another unit are a refusal, in the audit trail.
        let q = qizhi_store::audit::AuditQuery {
            action: Some("denied".into()),
            q: "import".into(),
            page: 1,
            per_page: 100,
            ..Default::default()
        };
        let Page { total: n, .. } = w.store.audit_entries(&qizhi_store::Scope::All, &q).await.unwrap();
        assert_eq!(n, 1, "[{}] one refusal recorded", w.backend);
    })
    .await;
}

#[tokio::test]
async fn audit_records_show_dates_as_dates() {
    each_backend(|w| async move {
        let s = w.login("fjadmin").await;
        let csv = "所在组织编码,姓名,性别,人员类别,入党日期\r\nFJ01-001,日期甲,男,正式党员,2016-07-01\r\n";
        upload(&w, &s, "people", csv).await.expect(StatusCode::OK);
        let q = qizhi_store::audit::AuditQuery { q: "日期甲".into(), page: 1, per_page: 10, ..Default::default() };
        let Page { items: entries, .. } = w.store.audit_entries(&qizhi_store::Scope::All, &q).await.unwrap();
        let after = entries.iter().find_map(|e| e.after.clone()).expect("the new person's record");
        assert!(after.contains("\"2016-07-01\""), "[{}] {after}", w.backend);
    })
    .await;
}
