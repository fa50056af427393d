//! The task ledger (任务台账) round trip: exported as .xlsx from the imports
//! page, opened and edited in a spreadsheet program (LibreOffice, headless:
//! it reads the export, and writes the edited ledger back as its own .xlsx),
//! and imported again — exactly the edits are applied (a changed progress is
//! one new ledger entry, a renamed task only renamed, every other task as it
//! was); a file with one bad row writes nothing and names the row and column.
//!
//! Needs `soffice` on PATH; without it the test says `LIBREOFFICE SKIPPED`
//! and passes, unless `QIZHI_REQUIRE_BROWSER=1` (CI), where it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use qizhi_core::ids::{PersonId, UnitId};
use qizhi_core::tasks::{EntryFields, TaskInput};
use serde_json::Value;

fn soffice() -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("soffice"))
        .find(|p| p.is_file());
    if found.is_none() {
        let msg = "LIBREOFFICE SKIPPED: install libreoffice-calc-nogui (apt-get install libreoffice-calc-nogui)";
        if std::env::var("QIZHI_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("{msg} — required under QIZHI_REQUIRE_BROWSER=1");
        }
        eprintln!("{msg}");
    }
    found
}

/// Runs LibreOffice headless to convert `input` (with the import filter
/// options `infilter`, if any) to `target` in `outdir`.
fn convert(soffice: &Path, profile: &Path, input: &Path, target: &str, infilter: Option<&str>, outdir: &Path) {
    let mut cmd = Command::new(soffice);
    cmd.arg("--headless")
        .arg("--norestore")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .arg("--convert-to")
        .arg(target)
        .arg("--outdir")
        .arg(outdir);
    if let Some(f) = infilter {
        cmd.arg(format!("--infilter={f}"));
    }
    cmd.arg(input);
    let mut child =
        cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped()).spawn().expect("soffice starts");
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("soffice runs") {
            assert!(status.success(), "soffice failed converting {}", input.display());
            return;
        }
        if started.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("soffice took too long converting {}", input.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// CSV text as rows of cells (the CSVs here have no quoted line breaks).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect()
}

fn write_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(vec![]);
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

/// Every task of FJ as the API shows it, by code, without what moves with the calendar.
async fn tasks(w: &World) -> std::collections::BTreeMap<String, Value> {
    let uri = format!("/api/v1/units/{}/tasks?per_page=500", w.id("FJ"));
    let list = w.api_get("admin", &uri).await.expect(StatusCode::OK).json();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let mut t = t.clone();
            t.as_object_mut().unwrap().remove("stalled");
            (t["code"].as_str().unwrap().to_string(), t)
        })
        .collect()
}

async fn entry_counts(w: &World, all: &std::collections::BTreeMap<String, Value>) -> Vec<(String, usize)> {
    let mut out = vec![];
    for (code, t) in all {
        let uri = format!("/api/v1/tasks/{}/entries", t["id"]);
        let n = w.api_get("admin", &uri).await.expect(StatusCode::OK).json().as_array().unwrap().len();
        out.push((code.clone(), n));
    }
    out
}

async fn upload(w: &World, s: &Session, bytes: &[u8]) -> String {
    let parts = [Part::Text("csrf", &s.csrf), Part::File("file", "任务台账.xlsx", "application/octet-stream", bytes)];
    // 200 when written, 422 when refused (nothing written); the page says which.
    let r = w.send(post("/imports/tasks").session(s).multipart(&parts)).await;
    assert!(matches!(r.status, StatusCode::OK | StatusCode::UNPROCESSABLE_ENTITY), "{}: {}", r.what, r.status);
    r.text()
}

#[tokio::test]
async fn a_ledger_edited_in_a_spreadsheet_program_applies_exactly_its_edits() {
    let Some(soffice) = soffice() else { return };
    each_backend(move |w| {
        let soffice = soffice.clone();
        async move {
            // Tasks of both Fuzhou branches, with responsible people and ledgers.
            let year = qizhi_core::date::this_year();
            let b1 = UnitId(w.id("FJ01-001"));
            let b2 = UnitId(w.id("FJ01-002"));
            let lin: Vec<&Fx> = w.people_under("FJ01-001");
            let chen: Vec<&Fx> = w.people_under("FJ01-002");
            let specs = [
                (b1, "FJ-L1", "目标任务", "新建 5G 基站 12 个", lin[0].id, Some("12")),
                (b1, "FJ-L2", "攻坚任务", "老旧小区光网改造攻坚", lin[1].id, None),
                (b1, "FJ-L3", "堵点", "疏通装维预约堵点", lin[5].id, None),
                (b2, "FJ-L4", "重点工作事项", "网络质量提升", chen[0].id, Some("3.5")),
            ];
            for (unit, code, kind, name, who, target) in specs {
                let input = TaskInput {
                    kind: kind.into(),
                    name: name.into(),
                    start_on: Some(format!("{year}-01-10")),
                    due_on: Some(format!("{year}-12-20")),
                    responsible: vec![who],
                    target: target.map(Into::into),
                    target_unit: target.map(|_| "个".into()),
                    ..Default::default()
                };
                let t = w.store.create_task(unit, Some(code), &input.validate().unwrap().1).await.unwrap();
                if code != "FJ-L1" {
                    let e = EntryFields {
                        entry_on: time::Date::from_calendar_date(year, time::Month::January, 20).unwrap(),
                        progress: 30,
                        note: Some("启动实施".into()),
                    };
                    w.store.post_entry(t.id, &e, Some(PersonId(who)), &[]).await.unwrap();
                }
            }
            let before = tasks(&w).await;
            let entries_before = entry_counts(&w, &before).await;
            let avg_before = w.figures("FJ").await["tasks.target.avg_progress"].as_f64().unwrap();

            // Export, and open it in LibreOffice (to CSV, to edit it).
            let s = w.login("fjadmin").await;
            let uri = format!("/imports/tasks/export.xlsx?unit={}", w.id("FJ"));
            let xlsx = w.send(get(&uri).session(&s)).await.expect(StatusCode::OK).body;
            let dir = tempfile::tempdir().unwrap();
            let profile = dir.path().join("profile");
            std::fs::write(dir.path().join("ledger.xlsx"), &xlsx).unwrap();
            let csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1";
            convert(&soffice, &profile, &dir.path().join("ledger.xlsx"), csv_filter, None, dir.path());
            let text = String::from_utf8(std::fs::read(dir.path().join("ledger.csv")).unwrap()).unwrap();
            let text = text.trim_start_matches('\u{feff}');
            let rows = parse_csv(text);
            let col =
                |h: &str| rows[0].iter().position(|c| c == h).unwrap_or_else(|| panic!("no column {h}: {:?}", rows[0]));
            let (code, name, progress, note, kind) =
                (col("任务编号"), col("任务名称"), col("完成进度（%）"), col("进展情况"), col("任务类别"));
            let row_of = |c: &str| rows.iter().position(|r| r[code] == c).unwrap();
            assert_eq!(rows.len(), 5, "a header and one row per task");

            // The edits: FJ-L1's progress 0 → 50 with a note; FJ-L4 renamed.
            let mut edited = rows.clone();
            edited[row_of("FJ-L1")][progress] = "50".into();
            edited[row_of("FJ-L1")][note] = "已开通 6 个站点".into();
            edited[row_of("FJ-L4")][name] = "网络质量提升（第二阶段）".into();
            let save = |rows: &[Vec<String>], stem: &str| -> Vec<u8> {
                let csv_path = dir.path().join(format!("{stem}.csv"));
                std::fs::write(&csv_path, write_csv(rows)).unwrap();
                let out = dir.path().join(format!("{stem}-out"));
                std::fs::create_dir_all(&out).unwrap();
                convert(&soffice, &profile, &csv_path, "xlsx", Some("CSV:44,34,76,1"), &out);
                std::fs::read(out.join(format!("{stem}.xlsx"))).unwrap()
            };

            // A bad row (an unknown kind) beside a good edit: refused whole, the row named.
            let mut bad = edited.clone();
            bad[row_of("FJ-L3")][kind] = "杂项".into();
            let html = upload(&w, &s, &save(&bad, "bad")).await;
            assert!(html.contains("导入未完成，未写入任何数据"), "{html}");
            let letter = qizhi_sheet::column_letter(kind);
            let at = format!("第 {} 行 {letter} 列（任务类别）", row_of("FJ-L3") + 1);
            assert!(html.contains(&at), "the error names {at}");
            assert_eq!(tasks(&w).await, before, "a refused file changed a task");
            assert_eq!(entry_counts(&w, &before).await, entries_before, "a refused file added an entry");

            // The good file: exactly the two edits.
            let html = upload(&w, &s, &save(&edited, "edited")).await;
            assert!(html.contains("导入成功"), "{html}");
            let after = tasks(&w).await;
            for (c, t) in &before {
                let mut expected = t.clone();
                match c.as_str() {
                    "FJ-L1" => {
                        expected["progress"] = 50.into();
                        expected["status"] = "in_progress".into();
                        expected["latest_note"] = "已开通 6 个站点".into();
                        expected["last_entry_on"] = after[c]["last_entry_on"].clone();
                    }
                    "FJ-L4" => expected["name"] = "网络质量提升（第二阶段）".into(),
                    _ => {}
                }
                assert_eq!(after[c], expected, "{c}");
            }
            let entries_after = entry_counts(&w, &before).await;
            for ((c, n0), (_, n1)) in entries_before.iter().zip(&entries_after) {
                assert_eq!(*n1, n0 + usize::from(c == "FJ-L1"), "entries of {c}");
            }
            let avg = w.figures("FJ").await["tasks.target.avg_progress"].as_f64().unwrap();
            assert!((avg - (avg_before + 50.0)).abs() < 1e-9, "the one target task moved to 50%: {avg}");

            // The same file again changes nothing more.
            let html = upload(&w, &s, &save(&edited, "again")).await;
            assert!(html.contains("导入成功"), "{html}");
            assert_eq!(tasks(&w).await, after);
            assert_eq!(entry_counts(&w, &before).await, entries_after);
            assert_eq!(w.store.stored_rollup().await.unwrap(), w.store.recompute().await.unwrap());

            // A branch admin cannot import the province's ledger (FJ01-002's rows are not theirs).
            let b = w.login("b1admin").await;
            let html = upload(&w, &b, &save(&edited, "scope")).await;
            assert!(html.contains("无权修改组织") && html.contains("导入未完成"), "{html}");
        }
    })
    .await;
}
