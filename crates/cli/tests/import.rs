//! `qizhi import` end to end, as an operator runs it: a 10,000-row people
//! ledger with one bad row writes nothing and names the row and column; the
//! same file fixed imports every row, and the figures count them.

use std::path::Path;
use std::process::{Command, Output};

use qizhi_core::person::id_number_with_check;

const ROWS: usize = 10_000;

fn qizhi(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qizhi"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("QIZHI_LOG", "warn")
        .output()
        .expect("run qizhi")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "qizhi failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn people_csv(path: &Path, bad_row: Option<usize>) {
    let mut text = String::from("\u{feff}所在组织编码,姓名,性别,人员类别,入党日期,身份证号\r\n");
    for i in 0..ROWS {
        let unit = if i % 2 == 0 { "T01-001" } else { "T01-002" };
        let category = if Some(i) == bad_row {
            "党外人士"
        } else if i % 4 == 0 {
            "群众"
        } else {
            "正式党员"
        };
        let join = if category == "正式党员" { "2016-07-01" } else { "" };
        let idn =
            id_number_with_check(&format!("350102{}{:02}{:02}{:03}", 1960 + i % 40, 1 + i % 12, 1 + i % 28, i % 1000));
        text.push_str(&format!("{unit},测试{i},男,{category},{join},{idn}\r\n"));
    }
    std::fs::write(path, text).unwrap();
}

fn count(figures_json: &str, key: &str) -> i64 {
    let v: serde_json::Value = serde_json::from_str(figures_json).expect("figures --json prints JSON");
    v["figures"][key].as_i64().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[test]
fn ten_thousand_rows_with_one_bad_row_write_nothing_and_the_fixed_file_writes_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("q.db").display());
    let units = dir.path().join("units.csv");
    std::fs::write(
        &units,
        "\u{feff}组织编码,组织名称,组织类别,上级组织编码\r\n\
         T,测试集团党组,党组,\r\n\
         T01,测试市委,党委,T\r\n\
         T01-001,测试第一支部,党支部,T01\r\n\
         T01-002,测试第二支部,党支部,T01\r\n",
    )
    .unwrap();
    ok(&qizhi(&db, &["import", "units", units.to_str().unwrap()]));

    let people = dir.path().join("people.csv");
    let bad = 6789; // data row 6790: line 6791 of the file, the header being line 1
    people_csv(&people, Some(bad));
    let out = qizhi(&db, &["import", "people", people.to_str().unwrap()]);
    assert!(!out.status.success(), "a file with a bad row must fail");
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("第 6791 行 D 列"), "names the row and column:\n{said}");
    assert!(said.contains("党外人士"), "quotes the bad value:\n{said}");
    let figures = ok(&qizhi(&db, &["figures", "--org", "T", "--json"]));
    assert_eq!(count(&figures, "org.people"), 0, "nothing written");

    people_csv(&people, None);
    ok(&qizhi(&db, &["import", "people", people.to_str().unwrap()]));
    let figures = ok(&qizhi(&db, &["figures", "--org", "T", "--json"]));
    assert_eq!(count(&figures, "org.people"), ROWS as i64);
    let members = (0..ROWS).filter(|i| i % 4 != 0).count() as i64;
    assert_eq!(count(&figures, "org.members"), members);
    let figures = ok(&qizhi(&db, &["figures", "--org", "T01-001", "--json"]));
    assert_eq!(count(&figures, "org.people"), (ROWS / 2) as i64);
}
