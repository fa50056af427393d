//! What survives, end to end, through the commands an operator runs:
//!
//! - a `qizhi backup` taken while eight writers post progress entries over
//!   HTTP restores (`qizhi restore`) into a fresh database whose counters are
//!   exact and whose audit trail ends at a write it holds: every entry of the
//!   trail up to its last one is there with the records it describes, and
//!   every write acknowledged before the backup began;
//! - a server killed with SIGKILL while eight writers post loses no write it
//!   acknowledged, and its counters stay exact, over three cycles.
//!
//! On SQLite always, and on PostgreSQL when `QIZHI_TEST_PG_URL` names a
//! server (each test creates its own databases and drops them).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use qizhi_core::person::id_number_with_check;
use sqlx::{Executor, Row};

const WRITERS: usize = 8;
const PASSWORD: &str = "Qizhi-durable-2026";
static COUNTER: AtomicU32 = AtomicU32::new(0);

// -- the commands ------------------------------------------------------------------

fn qizhi(db: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_qizhi"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("QIZHI_LOG", "warn")
        .env_remove("QIZHI_CONFIG")
        .env_remove("QIZHI_DB")
        .output()
        .expect("qizhi runs");
    assert!(
        out.status.success(),
        "qizhi {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn rollup_is_exact(db: &str) {
    let said = qizhi(db, &["rollup"]);
    assert!(said.contains("counters match the records"), "{said}");
}

/// A root, a committee and eight branches, 2,000 people (so a backup takes a
/// moment), one open task per branch, and an account with a bearer token.
/// The token and the tasks' ids.
async fn world(db: &str, dir: &Path) -> (String, Vec<i64>) {
    let units = dir.join("units.csv");
    let mut text = String::from(
        "\u{feff}组织编码,组织名称,组织类别,上级组织编码\r\nD,耐久测试党组,党组,\r\nD01,耐久测试党委,党委,D\r\n",
    );
    for b in 1..=WRITERS {
        text.push_str(&format!("D01-{b:03},耐久测试第{b}支部,党支部,D01\r\n"));
    }
    std::fs::write(&units, text).unwrap();
    let people = dir.join("people.csv");
    let mut text = String::from("\u{feff}所在组织编码,姓名,性别,人员类别,入党日期,身份证号\r\n");
    for i in 0..2000 {
        let idn =
            id_number_with_check(&format!("350102{}{:02}{:02}{:03}", 1960 + i % 40, 1 + i % 12, 1 + i % 28, i % 1000));
        text.push_str(&format!("D01-{:03},党员{i},女,正式党员,2012-07-01,{idn}\r\n", 1 + i % WRITERS));
    }
    std::fs::write(&people, text).unwrap();
    let tasks = dir.join("tasks.csv");
    let mut text = String::from("\u{feff}任务编号,责任单位编码,任务类别,任务名称,完成时限,状态\r\n");
    for b in 1..=WRITERS {
        text.push_str(&format!("D01-{b:03}-T1,D01-{b:03},目标任务,耐久测试任务{b},2030-12-31,进行中\r\n"));
    }
    std::fs::write(&tasks, text).unwrap();
    for (kind, file) in [("units", &units), ("people", &people), ("tasks", &tasks)] {
        qizhi(db, &["import", kind, file.to_str().unwrap()]);
    }
    qizhi(db, &["user", "add", "writer", "--role", "system_admin", "--password", PASSWORD]);
    let token = qizhi(db, &["user", "token", "writer"]).trim().to_string();
    let pool = pool(db).await;
    let ids = sqlx::query("SELECT id FROM tasks ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get(0).unwrap())
        .collect();
    pool.close().await;
    (token, ids)
}

async fn pool(db: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::any::AnyPoolOptions::new().max_connections(2).connect(db).await.expect("connect")
}

// -- the server ----------------------------------------------------------------------

/// A `qizhi serve` child on an ephemeral loopback port.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(db: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qizhi"))
            .args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
            .env("QIZHI_LOG", "warn")
            .env_remove("QIZHI_CONFIG")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("qizhi serve starts");
        // The address is printed once listening; the rest of stdout is drained.
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !sent && let Some(at) = line.find("http://") {
                    let _ = tx.send(line[at..].trim_end_matches('/').to_string());
                    sent = true;
                }
            }
        });
        let base = rx.recv_timeout(Duration::from_secs(60)).expect("the server prints its address");
        let server = Server { child, base };
        let client = client();
        let t = Instant::now();
        while send(&client, http::Method::GET, &format!("{}/healthz", server.base), None, None).await.map(|r| r.0).ok()
            != Some(200)
        {
            assert!(t.elapsed() < Duration::from_secs(30), "the server answers /healthz");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }

    /// SIGKILL: no shutdown, no checkpoint, connections cut mid-request.
    fn kill9(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).pool_max_idle_per_host(WRITERS).build_http()
}

async fn send(
    client: &HttpClient,
    method: http::Method,
    url: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> anyhow::Result<(u16, Bytes)> {
    let mut req = http::Request::builder().method(method).uri(url);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let req = req.body(Full::new(body.map(|b| Bytes::from(b.to_string())).unwrap_or_default()))?;
    let resp = tokio::time::timeout(Duration::from_secs(20), client.request(req)).await??;
    let status = resp.status().as_u16();
    Ok((status, resp.into_body().collect().await?.to_bytes()))
}

// -- the writers -------------------------------------------------------------------

/// A write the server acknowledged (201): the entry, its task and progress,
/// and when the answer came.
#[derive(Debug, Clone)]
struct Ack {
    entry: i64,
    task: i64,
    progress: i64,
    at: Instant,
}

/// One writer per task, posting progress entries back to back until `stop`;
/// consecutive entries of a task differ, so every one moves the counters up to
/// the root. Failures (a killed server) are retried until `stop`.
fn writers(base: &str, token: &str, tasks: &[i64], stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<Vec<Ack>> {
    let acks = Arc::new(Mutex::new(vec![]));
    let mut handles = vec![];
    for (w, &task) in tasks.iter().enumerate().take(WRITERS) {
        let (base, token, stop, acks) = (base.to_string(), token.to_string(), stop.clone(), acks.clone());
        handles.push(tokio::spawn(async move {
            let client = client();
            let url = format!("{base}/api/v1/tasks/{task}/entries");
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let progress = 1 + (i % 98) as i64;
                let body = serde_json::json!({ "progress": progress, "note": format!("w{w}-{i}") });
                i += 1;
                match send(&client, http::Method::POST, &url, Some(&token), Some(body)).await {
                    Ok((201, bytes)) => {
                        let v: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
                        let entry = v["entry"]["id"].as_i64().expect("entry id");
                        acks.lock().unwrap().push(Ack { entry, task, progress, at: Instant::now() });
                    }
                    Ok((status, bytes)) => panic!("a write answered {status}: {}", String::from_utf8_lossy(&bytes)),
                    Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                }
            }
        }));
    }
    tokio::spawn(async move {
        for h in handles {
            h.await.expect("a writer panicked");
        }
        std::mem::take(&mut *acks.lock().unwrap())
    })
}

// -- reading a database back -------------------------------------------------------

/// Every ledger entry: id → (task, progress).
async fn entries(db: &str) -> BTreeMap<i64, (i64, i64)> {
    let pool = pool(db).await;
    let rows =
        sqlx::query("SELECT id, task_id, CAST(progress AS BIGINT) FROM task_entries").fetch_all(&pool).await.unwrap();
    pool.close().await;
    rows.iter().map(|r| (r.get::<i64, _>(0), (r.get::<i64, _>(1), r.get::<i64, _>(2)))).collect()
}

/// The audit trail: id → the entry a progress audit describes (with its
/// task and progress), none for other actions.
async fn audit(db: &str) -> BTreeMap<i64, Option<(i64, i64, i64)>> {
    let pool = pool(db).await;
    let rows = sqlx::query("SELECT id, action, after FROM audit_log").fetch_all(&pool).await.unwrap();
    pool.close().await;
    rows.iter()
        .map(|r| {
            let (id, action, after): (i64, String, Option<String>) = (r.get(0), r.get(1), r.get(2));
            let described = (action == "progress").then(|| {
                let v: serde_json::Value = serde_json::from_str(after.as_deref().unwrap_or("null")).unwrap();
                let e = &v["entry"];
                (e["id"].as_i64().unwrap(), e["task_id"].as_i64().unwrap(), e["progress"].as_i64().unwrap())
            });
            (id, described)
        })
        .collect()
}

/// Each task's progress as stored on the task, and as its latest entry says.
async fn task_progress(db: &str) -> Vec<(i64, i64, Option<i64>)> {
    let pool = pool(db).await;
    let rows = sqlx::query(
        "SELECT t.id, CAST(t.progress AS BIGINT), \
         (SELECT CAST(e.progress AS BIGINT) FROM task_entries e WHERE e.task_id = t.id ORDER BY e.entry_on DESC, e.id DESC LIMIT 1) \
         FROM tasks t ORDER BY t.id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect()
}

/// Every progress audit entry's ledger entry is there as described, every
/// ledger entry has its audit entry, and every task's progress is its latest
/// entry's: no write is there in part.
async fn writes_are_whole(db: &str) -> (BTreeMap<i64, (i64, i64)>, BTreeMap<i64, Option<(i64, i64, i64)>>) {
    let (entries, audit) = (entries(db).await, audit(db).await);
    let described: BTreeMap<i64, (i64, i64)> = audit.values().flatten().map(|&(e, t, p)| (e, (t, p))).collect();
    assert_eq!(described, entries, "the ledger entries and the audit trail's progress entries agree");
    for (task, stored, latest) in task_progress(db).await {
        if let Some(latest) = latest {
            assert_eq!(stored, latest, "task {task}'s progress is its latest entry's");
        }
    }
    (entries, audit)
}

// -- the scenarios ---------------------------------------------------------------------

/// A backup in the middle of the load, restored into `target`.
async fn backup_during_writes(db: &str, target: &str, dir: &Path) {
    let started = Instant::now();
    let (token, tasks) = world(db, dir).await;
    let server = Server::start(db).await;
    let stop = Arc::new(AtomicBool::new(false));
    let load = writers(&server.base, &token, &tasks, stop.clone());
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let file = dir.join("backup.qizhi");
    let (db_owned, file_owned) = (db.to_string(), file.clone());
    let began = Instant::now();
    tokio::task::spawn_blocking(move || qizhi(&db_owned, &["backup", file_owned.to_str().unwrap()])).await.unwrap();
    let ended = Instant::now();
    tokio::time::sleep(Duration::from_millis(700)).await;
    stop.store(true, Ordering::Relaxed);
    let acks = load.await.unwrap();
    drop(server);

    let before = acks.iter().filter(|a| a.at < began).count();
    let during = acks.iter().filter(|a| a.at >= began && a.at <= ended).count();
    let after = acks.iter().filter(|a| a.at > ended).count();
    eprintln!(
        "backup took {:.0} ms; writes acknowledged before it {before}, during it {during}, after it {after}",
        (ended - began).as_secs_f64() * 1e3
    );
    assert!(before > 0 && after > 0, "writes went on before and after the backup");

    qizhi(target, &["restore", file.to_str().unwrap()]);
    rollup_is_exact(target);
    let (restored, restored_audit) = writes_are_whole(target).await;
    let (source, source_audit) = writes_are_whole(db).await;

    // The restored trail is the source's up to its last entry: writes commit
    // in the order of their audit ids (on SQLite one writer at a time; on
    // PostgreSQL every progress entry moves the root's counters, whose row
    // lock serializes the writers until they commit).
    let last = *restored_audit.keys().max().expect("an audit trail");
    let prefix: BTreeMap<_, _> = source_audit.range(..=last).map(|(k, v)| (*k, *v)).collect();
    assert_eq!(restored_audit, prefix, "the restored audit trail is the source's up to its entry {last}");
    for (id, e) in &restored {
        assert_eq!(source.get(id), Some(e), "entry {id} is the source's");
    }
    for a in acks.iter().filter(|a| a.at < began) {
        assert_eq!(restored.get(&a.entry), Some(&(a.task, a.progress)), "acknowledged before the backup: {a:?}");
    }
    let written: BTreeSet<i64> = acks.iter().map(|a| a.entry).collect();
    assert!(restored.len() < written.len(), "the writes after the backup are not in it");
    eprintln!(
        "backup round trip: {} of {} entries restored, in {:.1} s",
        restored.len(),
        written.len(),
        started.elapsed().as_secs_f64()
    );
}

/// Kill -9 under load, three times; each restart holds every acknowledged write.
async fn kill_under_writes(db: &str, dir: &Path) {
    let started = Instant::now();
    let (token, tasks) = world(db, dir).await;
    let mut acknowledged: Vec<Ack> = vec![];
    for cycle in 0..3 {
        let server = Server::start(db).await;
        let stop = Arc::new(AtomicBool::new(false));
        let load = writers(&server.base, &token, &tasks, stop.clone());
        tokio::time::sleep(Duration::from_millis(1200 + 300 * cycle)).await;
        server.kill9();
        stop.store(true, Ordering::Relaxed);
        let acks = load.await.unwrap();
        assert!(!acks.is_empty(), "cycle {cycle}: writes were acknowledged");
        acknowledged.extend(acks);

        // Restarted on the same database: recovery runs as it opens.
        let server = Server::start(db).await;
        let (present, _) = writes_are_whole(db).await;
        for a in &acknowledged {
            assert_eq!(present.get(&a.entry), Some(&(a.task, a.progress)), "cycle {cycle}: acknowledged {a:?}");
        }
        rollup_is_exact(db);
        drop(server);
        eprintln!("cycle {cycle}: {} writes acknowledged so far, all present", acknowledged.len());
    }
    eprintln!("kill -9 cycles took {:.1} s", started.elapsed().as_secs_f64());
}

// -- on each database --------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_writes_restores_a_consistent_snapshot_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/source.db", dir.path().display());
    let target = format!("sqlite://{}/restored/qizhi.db", dir.path().display());
    backup_during_writes(&db, &target, dir.path()).await;
    // Restoring again over the restored database needs --force.
    let file = dir.path().join("backup.qizhi");
    let out = Command::new(env!("CARGO_BIN_EXE_qizhi"))
        .args(["--db", &target, "restore", file.to_str().unwrap()])
        .env("QIZHI_LOG", "warn")
        .output()
        .unwrap();
    assert!(!out.status.success(), "a database holding records is not overwritten without --force");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"), "{}", String::from_utf8_lossy(&out.stderr));
    qizhi(&target, &["restore", "--force", file.to_str().unwrap()]);
    rollup_is_exact(&target);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/qizhi.db", dir.path().display());
    kill_under_writes(&db, dir.path()).await;
}

/// Fresh PostgreSQL databases for one test, dropped afterwards whatever happens.
async fn on_postgres<F, Fut>(test: &str, databases: usize, body: F)
where
    F: FnOnce(Vec<String>, std::path::PathBuf) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let Ok(admin_url) = std::env::var("QIZHI_TEST_PG_URL") else {
        eprintln!("PostgreSQL SKIPPED ({test}): set QIZHI_TEST_PG_URL to run this test on PostgreSQL too");
        return;
    };
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&admin_url).await.expect("connect to QIZHI_TEST_PG_URL");
    let (base, _) = admin_url.rsplit_once('/').expect("QIZHI_TEST_PG_URL must end in /DATABASE");
    let mut names = vec![];
    for _ in 0..databases {
        let name = format!("qizhi_cli_t_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
        admin.execute(format!("DROP DATABASE IF EXISTS {name}").as_str()).await.unwrap();
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
        names.push(name);
    }
    let dir = tempfile::tempdir().unwrap();
    let urls = names.iter().map(|n| format!("{base}/{n}")).collect();
    let outcome = tokio::spawn(body(urls, dir.path().to_path_buf())).await;
    for name in &names {
        admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await.unwrap();
    }
    admin.close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_writes_restores_a_consistent_snapshot_on_postgres() {
    on_postgres("backup", 2, |urls, dir| async move {
        backup_during_writes(&urls[0], &urls[1], &dir).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_on_postgres() {
    on_postgres("kill -9", 1, |urls, dir| async move {
        kill_under_writes(&urls[0], &dir).await;
    })
    .await;
}
