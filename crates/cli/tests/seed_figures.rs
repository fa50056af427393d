//! The article's figures, computed from the seed world's records through the
//! same commands a user runs: `qizhi gen` loads the generated world into an
//! empty database, `qizhi figures --json` reads them back, `qizhi rollup`
//! checks the maintained counters against a recount. On SQLite always, and
//! on PostgreSQL when `QIZHI_TEST_PG_URL` names a server.
//!
//! - 内蒙古 (NM), 2024: 782 fortresses and 782 flags, 2603 target tasks all
//!   done (average progress 100), 271 tackling tasks, 1711 grids all covered.
//! - 贵州 (GZ), 2024: 959 fortresses over 20 production scenarios, 63 urgent
//!   tasks, 251 blockages cleared, 904 key work items done, 175 brand tasks,
//!   1989 members with 1989 commitments all fulfilled.
//! - 广东 (GD), 2019–2024 (demo scale): 2000+ commando teams, 2000+ problems solved.
//! - Assessments (demo scale): 郑州 three years in Henan's first tier of party
//!   building and business and first in publicity; 嘉兴 five years of growth;
//!   江苏 three years first in the group's business assessment.

use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::Value;
use sqlx::Executor;

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn qizhi(db: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_qizhi"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("QIZHI_CONFIG")
        .env_remove("QIZHI_DB")
        .output()
        .expect("qizhi runs");
    assert!(out.status.success(), "qizhi {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn figures(db: &str, org: &str, from: &str, to: &str) -> Value {
    let v: Value = serde_json::from_str(&qizhi(db, &["figures", "--org", org, "--from", from, "--to", to, "--json"]))
        .expect("figures as JSON");
    v["figures"].clone()
}

fn count(f: &Value, key: &str) -> i64 {
    f[key].as_i64().unwrap_or_else(|| panic!("{key} is not a count in {f}"))
}

fn number(f: &Value, key: &str) -> f64 {
    f[key].as_f64().unwrap_or_else(|| panic!("{key} is not a number in {f}"))
}

fn check_article(db: &str) {
    let nm = figures(db, "NM", "2024", "2024");
    for (key, want) in [
        ("fortresses.total", 782),
        ("flags.total", 782),
        ("tasks.target.count", 2603),
        ("tasks.target.done", 2603),
        ("tasks.tackling.count", 271),
        ("grids.total", 1711),
        ("grids.covered", 1711),
    ] {
        assert_eq!(count(&nm, key), want, "NM {key}");
    }
    assert_eq!(number(&nm, "tasks.target.avg_progress"), 100.0);
    assert_eq!(number(&nm, "grids.coverage_rate"), 1.0);

    let gz = figures(db, "GZ", "2024", "2024");
    for (key, want) in [
        ("fortresses.total", 959),
        ("scenarios.total", 20),
        ("tasks.urgent.count", 63),
        ("tasks.blockage.count", 251),
        ("tasks.blockage.done", 251),
        ("tasks.key_work.count", 904),
        ("tasks.key_work.done", 904),
        ("tasks.brand.count", 175),
        ("org.members", 1989),
        ("commitments.members", 1989),
        ("commitments.total", 1989),
        ("commitments.fulfilled", 1989),
    ] {
        assert_eq!(count(&gz, key), want, "GZ {key}");
    }
    assert_eq!(number(&gz, "commitments.fulfilled_rate"), 1.0);
    let rollup = qizhi(db, &["rollup"]);
    assert!(rollup.contains("counters match the records"), "{rollup}");
}

/// The article's streaks, from the assessment records of the demo world.
fn check_assessments(db: &str) {
    let zz = figures(db, "HA01", "2019", "2024");
    for key in ["assessments.streak.first_tier.party_building", "assessments.streak.first_tier.business"] {
        assert_eq!(count(&zz, key), 3, "郑州 {key}");
    }
    assert_eq!(count(&zz, "assessments.streak.rank_first.publicity"), 3, "郑州 first in publicity");
    assert_eq!(count(&figures(db, "ZJ04", "2019", "2024"), "assessments.streak.growth"), 5, "嘉兴 growth");
    assert_eq!(count(&figures(db, "JS", "2019", "2024"), "assessments.streak.rank_first.business"), 3, "江苏");
    // Henan assessed every city it has in 2024.
    let ha = figures(db, "HA", "2024", "2024");
    assert!(count(&ha, "assessments.assessed.party_building") > 1, "{ha}");
}

#[test]
fn the_article_figures_come_from_the_seed_records_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/province.db", dir.path().display());
    qizhi(&db, &["gen", "--scale", "province"]);
    check_article(&db);
    // A second load into the same database is refused.
    let again =
        Command::new(env!("CARGO_BIN_EXE_qizhi")).args(["--db", &db, "gen", "--scale", "province"]).output().unwrap();
    assert!(!again.status.success());

    // Guangdong is in the demo world.
    let db = format!("sqlite://{}/demo.db", dir.path().display());
    qizhi(&db, &["gen", "--scale", "demo"]);
    check_article(&db);
    check_assessments(&db);
    let gd = figures(&db, "GD", "2019", "2024");
    assert!(count(&gd, "teams.kind.commando") > 2000, "{gd}");
    assert!(count(&gd, "tasks.tackling.done") > 2000, "{gd}");
}

#[tokio::test]
async fn the_article_figures_come_from_the_seed_records_on_postgres() {
    let Ok(admin_url) = std::env::var("QIZHI_TEST_PG_URL") else {
        eprintln!("PostgreSQL SKIPPED: set QIZHI_TEST_PG_URL to run this test on PostgreSQL too");
        return;
    };
    let name = format!("qizhi_cli_t_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&admin_url).await.expect("connect to QIZHI_TEST_PG_URL");
    admin.execute(format!("DROP DATABASE IF EXISTS {name}").as_str()).await.unwrap();
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
    let db = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("QIZHI_TEST_PG_URL must end in /DATABASE"),
    };
    let outcome = tokio::task::spawn_blocking(move || {
        qizhi(&db, &["gen", "--scale", "province"]);
        check_article(&db);
    })
    .await;
    admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await.unwrap();
    admin.close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
