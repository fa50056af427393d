//! Ledgers (台账) through the browser routes, driven in-process: templates of
//! every kind in both formats; exports (UTF-8 BOM, one line per person of the
//! unit's subtree, personal columns only for unit admins, round trip back in
//! without duplicates); multipart uploads built by hand — a 1,000-row people
//! file with one bad row is refused whole, naming row and column, and its fix
//! imports every row with figures growing by exactly what was written; scope
//! (a branch admin cannot import into, or take people from, another branch);
//! and the CSRF token an upload needs.

mod common;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use common::*;
use qizhi_core::person::{Category, id_number_with_check};
use qizhi_sheet::Format;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The columns the tests write, in this order (category is the 4th: D).
const HEADER: [&str; 9] =
    ["所在组织编码", "姓名", "性别", "人员类别", "入党日期", "岗位/职务", "出生日期", "联系电话", "身份证号"];

/// One row of a people file, in [`HEADER`] order.
struct Row {
    unit: &'static str,
    name: String,
    category: &'static str,
    join_date: &'static str,
    phone: String,
    id_number: String,
}

impl Row {
    fn new(i: usize, unit: &'static str, category: &'static str) -> Row {
        let member = matches!(category, "正式党员" | "预备党员");
        Row {
            unit,
            name: format!("批量{i:04}"),
            category,
            join_date: if member { "2016-07-01" } else { "" },
            phone: format!("1370{i:07}"),
            id_number: id_number_with_check(&format!("4401061990{i:07}")),
        }
    }
}

/// A people CSV (UTF-8 with BOM, CRLF, as Excel saves it).
fn people_csv(rows: &[Row]) -> Vec<u8> {
    let mut out = BOM.to_vec();
    out.extend_from_slice(HEADER.join(",").as_bytes());
    out.extend_from_slice(b"\r\n");
    for (i, r) in rows.iter().enumerate() {
        let gender = if i % 2 == 0 { "男" } else { "女" };
        let line =
            [r.unit, &r.name, gender, r.category, r.join_date, "员工", "1990-05-01", &r.phone, &r.id_number].join(",");
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// 1,000 rows over both Fuzhou branches and every category.
fn thousand_rows() -> Vec<Row> {
    const CATS: [&str; 5] = ["正式党员", "预备党员", "团员", "群众", "正式党员"];
    (0..1000)
        .map(|i| {
            let unit = if i % 3 == 0 { "FJ01-002" } else { "FJ01-001" };
            Row::new(i, unit, CATS[i % CATS.len()])
        })
        .collect()
}

/// `POST /imports/{kind}` with a multipart body: the CSRF field (when given)
/// and the file.
async fn upload(w: &World, s: &Session, kind: &str, filename: &str, bytes: &[u8], csrf: Option<&str>) -> Resp {
    let mut parts = vec![];
    if let Some(token) = csrf {
        parts.push(Part::Text("csrf", token));
    }
    let content_type = if filename.ends_with(".csv") { "text/csv" } else { "application/octet-stream" };
    parts.push(Part::File("file", filename, content_type, bytes));
    w.send(post(&format!("/imports/{kind}")).session(s).multipart(&parts)).await
}

/// Counts by figure key of some units, to compare before and after.
async fn snapshot(w: &World, codes: &[&str]) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for code in codes {
        for key in ["org.people", "org.members"] {
            out.insert(format!("{code} {key}"), w.count(code, key).await);
        }
    }
    out
}

/// The number of people of each category under the unit `code` (API, as admin).
async fn by_category(w: &World, code: &str) -> BTreeMap<&'static str, i64> {
    let mut out = BTreeMap::new();
    for c in Category::ALL {
        let uri = format!("/api/v1/units/{}/people?per_page=1&category={}", w.id(code), c.code());
        let v = w.api_get("admin", &uri).await.expect(StatusCode::OK).json();
        out.insert(c.code(), v["total"].as_i64().unwrap());
    }
    out
}

/// Data lines of a CSV download (after the BOM and the header).
fn csv_lines(body: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(body.strip_prefix(BOM).expect("a UTF-8 BOM")).expect("UTF-8");
    text.lines().skip(1).filter(|l| !l.trim().is_empty()).map(str::to_string).collect()
}

#[tokio::test]
async fn templates_of_every_kind_download_in_both_formats() {
    each_backend(|w| async move {
        let s = w.login("viewer").await;
        for kind in qizhi_app::ledgers::KINDS {
            let sheet = qizhi_sheet::sheet(kind).expect("a sheet per kind");
            for format in [Format::Xlsx, Format::Csv] {
                let uri = format!("/imports/{kind}/template.{}", format.extension());
                let r = w.send(get(&uri).session(&s)).await.expect(StatusCode::OK);
                assert_eq!(r.content_type(), Some(format.content_type()), "{}", r.what);
                let disposition = r.headers.get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or("");
                assert!(
                    disposition.starts_with("attachment;")
                        && disposition.contains(&format!("{kind}.{}", format.extension())),
                    "{}: {disposition}",
                    r.what
                );
                match format {
                    Format::Xlsx => assert!(r.body.starts_with(b"PK\x03\x04"), "{}: not a zip", r.what),
                    Format::Csv => {
                        let text = std::str::from_utf8(r.body.strip_prefix(BOM).expect("BOM")).unwrap();
                        let header = text.lines().next().unwrap_or("");
                        assert_eq!(header, sheet.marked_headers().join(","), "{}", r.what);
                    }
                }
                // A blank template reads back as a file with no rows.
                let rows = qizhi_sheet::read_bytes(&r.body, format, sheet)
                    .unwrap_or_else(|e| panic!("{}: template does not read back: {e}", r.what));
                assert!(rows.is_empty(), "{}: {} rows in a blank template", r.what, rows.len());
            }
        }
        let r = w.send(get("/imports/nonesuch/template.xlsx").session(&s)).await.expect(StatusCode::BAD_REQUEST);
        assert!(r.text().contains("nonesuch"));
        w.send(get("/imports/people/template.xls").session(&s)).await.expect(StatusCode::BAD_REQUEST);
    })
    .await;
}

#[tokio::test]
async fn a_people_export_has_a_bom_and_one_line_per_person_of_the_subtree() {
    each_backend(|w| async move {
        let fj = w.id("FJ");
        let expected = w.people_under("FJ");
        let admin = w.login("fjadmin").await;
        let r =
            w.send(get(&format!("/imports/people/export.csv?unit={fj}")).session(&admin)).await.expect(StatusCode::OK);
        assert_eq!(r.content_type(), Some("text/csv; charset=utf-8"));
        assert!(r.body.starts_with(BOM), "Excel needs the BOM to read UTF-8");
        let lines = csv_lines(&r.body);
        assert_eq!(lines.len(), expected.len(), "one line per person of FJ");
        for p in &expected {
            let line = lines
                .iter()
                .find(|l| l.contains(&p.name))
                .unwrap_or_else(|| panic!("{} missing from the export", p.name));
            assert!(line.starts_with(&format!("{},", p.unit_code)), "{line}");
            assert!(line.contains(&p.phone) && line.contains(&p.id_number), "unit admin exports personal data: {line}");
        }
        for p in w.people_under("NM") {
            assert!(!lines.iter().any(|l| l.contains(&p.name)), "{} is not under FJ", p.name);
        }

        // The same export for a viewer leaves the personal columns empty.
        let viewer = w.login("viewer").await;
        let r =
            w.send(get(&format!("/imports/people/export.csv?unit={fj}")).session(&viewer)).await.expect(StatusCode::OK);
        let lines = csv_lines(&r.body);
        assert_eq!(lines.len(), expected.len());
        for p in &expected {
            assert!(
                !lines.iter().any(|l| l.contains(&p.phone) || l.contains(&p.id_number)),
                "viewer exports {}'s personal data",
                p.name
            );
        }

        // An .xlsx export reads back with the same number of rows.
        let r =
            w.send(get(&format!("/imports/people/export.xlsx?unit={fj}")).session(&admin)).await.expect(StatusCode::OK);
        let rows = qizhi_sheet::read_bytes(&r.body, Format::Xlsx, &qizhi_sheet::PEOPLE).expect("xlsx reads back");
        assert_eq!(rows.len(), expected.len());

        // An export imported back matches everyone by ID number: nothing new.
        let b1 = w.id("FJ01-001");
        let before = snapshot(&w, &["FJ01-001", "FJ"]).await;
        let r =
            w.send(get(&format!("/imports/people/export.csv?unit={b1}")).session(&admin)).await.expect(StatusCode::OK);
        let r = upload(&w, &admin, "people", "people.csv", &r.body, Some(&admin.csrf)).await.expect(StatusCode::OK);
        assert!(r.text().contains("导入成功"), "{}", r.snippet());
        assert_eq!(snapshot(&w, &["FJ01-001", "FJ"]).await, before, "re-importing an export duplicates people");
    })
    .await;
}

#[tokio::test]
async fn a_thousand_row_import_with_one_bad_row_writes_nothing_and_its_fix_writes_every_row() {
    each_backend(|w| async move {
        let s = w.login("fjadmin").await;
        let units = ["FJ01-001", "FJ01-002", "FJ01", "FJ", "NM", "CU"];
        let before = snapshot(&w, &units).await;
        let categories_before = by_category(&w, "FJ").await;

        let mut rows = thousand_rows();
        let bad = 500; // the 501st data row: line 502, the header being line 1
        let good_category = rows[bad].category;
        rows[bad].category = "党外人士";
        let letter = qizhi_sheet::column_letter(HEADER.iter().position(|h| *h == "人员类别").unwrap());
        assert_eq!(letter, "D");

        let r = upload(&w, &s, "people", "人员台账.csv", &people_csv(&rows), Some(&s.csrf))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text();
        assert!(html.contains("导入未完成，未写入任何数据"), "{}", r.snippet());
        let at = format!("第 {} 行 {letter} 列（人员类别）", bad + 2);
        assert!(html.contains(&at), "the error names {at}:\n{}", r.snippet());
        assert!(html.contains("党外人士"), "the bad value is quoted");
        assert!(html.contains("· 1 处错误"), "exactly one error");
        assert_eq!(snapshot(&w, &units).await, before, "a refused file wrote something");

        rows[bad].category = good_category;
        let r =
            upload(&w, &s, "people", "人员台账.csv", &people_csv(&rows), Some(&s.csrf)).await.expect(StatusCode::OK);
        let html = r.text();
        assert!(html.contains("导入成功"), "{}", r.snippet());
        assert!(html.contains("已写入 1000 行"), "{}", r.snippet());

        let added = |unit: Option<&str>, members_only: bool| {
            rows.iter()
                .filter(|r| unit.is_none_or(|u| r.unit == u))
                .filter(|r| !members_only || matches!(r.category, "正式党员" | "预备党员"))
                .count() as i64
        };
        let after = snapshot(&w, &units).await;
        let expect = |code: &str, key: &str, delta: i64| {
            let k = format!("{code} {key}");
            assert_eq!(after[&k], before[&k] + delta, "{k}");
        };
        for code in ["FJ01-001", "FJ01-002"] {
            expect(code, "org.people", added(Some(code), false));
            expect(code, "org.members", added(Some(code), true));
        }
        for code in ["FJ01", "FJ", "CU"] {
            expect(code, "org.people", 1000);
            expect(code, "org.members", added(None, true));
        }
        expect("NM", "org.people", 0);
        expect("NM", "org.members", 0);

        // Every category grew by exactly the rows written with it.
        let categories_after = by_category(&w, "FJ").await;
        for c in Category::ALL {
            let written = rows.iter().filter(|r| Category::parse(r.category) == Ok(c)).count() as i64;
            assert_eq!(categories_after[c.code()], categories_before[c.code()] + written, "{c:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_branch_admin_cannot_import_into_another_branch() {
    each_backend(|w| async move {
        let s = w.login("b1admin").await;
        let units = ["FJ01-001", "FJ01-002", "FJ"];
        let before = snapshot(&w, &units).await;
        let rows = vec![
            Row::new(1, "FJ01-001", "正式党员"),
            Row::new(2, "FJ01-001", "群众"),
            Row::new(3, "FJ01-002", "正式党员"),
            Row::new(4, "FJ01-001", "团员"),
        ];
        let r = upload(&w, &s, "people", "people.csv", &people_csv(&rows), Some(&s.csrf))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text();
        assert!(html.contains("导入未完成"), "{}", r.snippet());
        assert!(html.contains("第 4 行 A 列"), "the row and column of FJ01-002:\n{}", r.snippet());
        assert!(html.contains("FJ01-002") && html.contains("无权修改组织"), "{}", r.snippet());
        assert_eq!(snapshot(&w, &units).await, before, "an out-of-scope file wrote something");

        // Units: a new unit under another branch is refused the same way.
        let units_csv = "\u{feff}组织编码,组织名称,组织类别,上级组织编码\r\nFJ01-002-01,越权党小组,党小组,FJ01-002\r\n";
        let r = upload(&w, &s, "units", "units.csv", units_csv.as_bytes(), Some(&s.csrf))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("无权修改组织"), "{}", r.snippet());
        assert!(w.store.unit_by_code("FJ01-002-01").await.unwrap().is_none());
    })
    .await;
}

/// People are matched by ID number on import. A row of the admin's own
/// branch carrying the ID number of someone in another branch must not pull
/// that person over (nor rewrite their record).
#[tokio::test]
async fn a_branch_admin_cannot_take_over_a_person_of_another_branch_by_id_number() {
    each_backend(|w| async move {
        let s = w.login("b1admin").await;
        let theirs = w.person_in("FJ01-002").clone();
        let mut row = Row::new(7, "FJ01-001", "正式党员");
        row.name = "林冒名".into();
        row.id_number = theirs.id_number.clone();
        let before = snapshot(&w, &["FJ01-001", "FJ01-002"]).await;

        let r = upload(&w, &s, "people", "people.csv", &people_csv(&[row]), Some(&s.csrf))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let p = w.store.person(qizhi_core::ids::PersonId(theirs.id)).await.unwrap();
        assert_eq!(
            (p.unit_id.0, p.fields.name.as_str()),
            (w.id("FJ01-002"), theirs.name.as_str()),
            "[{}] a branch admin moved and renamed a person of another branch; the page said:\n{}",
            w.backend,
            r.snippet()
        );
        assert!(!r.text().contains("导入成功"), "{}", r.snippet());
        assert_eq!(snapshot(&w, &["FJ01-001", "FJ01-002"]).await, before);
    })
    .await;
}

#[tokio::test]
async fn an_upload_without_the_csrf_token_is_refused() {
    each_backend(|w| async move {
        let s = w.login("fjadmin").await;
        let before = snapshot(&w, &["FJ"]).await;
        let file = people_csv(&[Row::new(1, "FJ01-001", "正式党员")]);
        for csrf in [None, Some("not-the-token")] {
            let r = upload(&w, &s, "people", "people.csv", &file, csrf).await.expect(StatusCode::FORBIDDEN);
            assert!(r.text().contains("CSRF"), "{}", r.snippet());
        }
        assert_eq!(snapshot(&w, &["FJ"]).await, before);

        // With the token the same file goes in.
        let r = upload(&w, &s, "people", "people.csv", &file, Some(&s.csrf)).await.expect(StatusCode::OK);
        assert!(r.text().contains("已写入 1 行"), "{}", r.snippet());
        assert_eq!(w.count("FJ", "org.people").await, before["FJ org.people"] + 1);
    })
    .await;
}

#[tokio::test]
async fn an_upload_of_an_unsupported_file_is_explained_and_writes_nothing() {
    each_backend(|w| async move {
        let s = w.login("fjadmin").await;
        let before = snapshot(&w, &["FJ"]).await;
        let file = people_csv(&[Row::new(1, "FJ01-001", "正式党员")]);
        let r =
            upload(&w, &s, "people", "people.xls", &file, Some(&s.csrf)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains(".xlsx"), "{}", r.snippet());
        // GBK text is not UTF-8: the page says how to save the file.
        let gbk = b"\xcb\xf9\xd4\xda\xd7\xe9\xd6\xaf\xb1\xe0\xc2\xeb,\xd0\xd5\xc3\xfb\r\n";
        let r =
            upload(&w, &s, "people", "people.csv", gbk, Some(&s.csrf)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("UTF-8"), "{}", r.snippet());
        assert_eq!(snapshot(&w, &["FJ"]).await, before);
    })
    .await;
}
