//! `qizhi bench`: the benchmark suite, run against a generated world
//! (`qizhi gen`). It measures the store in-process (figures cold and warm,
//! records by id, pages of records), the HTTP server as a separate process
//! on loopback (sequential latency, then a time-bounded load of many
//! connections with writes going on, and the server's peak memory), an
//! import of 150,000 people into a scratch database and a streamed export.
//! It prints one table with medians and 99th percentiles and the machine it
//! ran on. The suite writes to the database it measures (an account for
//! itself, phone numbers of people): run it on a generated world.
//! `--durability` instead compares commit settings on a scratch database
//! (`durability.rs`).

mod client;
mod durability;
mod machine;

use std::fmt::Write as _;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use qizhi_core::figures::Span;
use qizhi_core::ids::{PersonId, TaskId};
use qizhi_core::org::Unit;
use qizhi_core::tasks::{TaskKind, TaskStatus};
use qizhi_store::people::PeopleQuery;
use qizhi_store::tasks::TaskQuery;
use qizhi_store::{Scope, Store};
use sqlx::Row;

use self::client::Call;

/// What `qizhi bench` is asked to do.
#[derive(clap::Args, Debug, Clone)]
pub struct BenchArgs {
    /// Seconds of each HTTP load run.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Concurrent connections of the HTTP load.
    #[arg(long, default_value_t = 16)]
    pub connections: usize,
    /// Leave out the import of 150,000 people (it needs a scratch database).
    #[arg(long)]
    pub no_import: bool,
    /// Leave out the HTTP part.
    #[arg(long)]
    pub no_http: bool,
    /// Also append the report to this Markdown file.
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
    /// Only compare commit durability settings (SQLite synchronous FULL and NORMAL, PostgreSQL
    /// synchronous_commit on and off) on a scratch database beside --db, --seconds per run.
    #[arg(long)]
    pub durability: bool,
}

/// One line of the report.
struct Line {
    what: String,
    median: String,
    p99: String,
    target: &'static str,
}

#[derive(Default)]
struct Report {
    lines: Vec<Line>,
}

impl Report {
    fn timing(&mut self, what: impl Into<String>, mut samples: Vec<Duration>, target: &'static str) {
        samples.sort();
        let at = |q: f64| samples.get(((samples.len() as f64 - 1.0) * q).round() as usize).copied();
        let fmt = |d: Option<Duration>| d.map_or("—".to_string(), |d| format!("{:.3} ms", d.as_secs_f64() * 1e3));
        let what = what.into();
        println!("  {what:<58} p50 {:>12}  p99 {:>12}", fmt(at(0.5)), fmt(at(0.99)));
        self.lines.push(Line { what, median: fmt(at(0.5)), p99: fmt(at(0.99)), target });
    }

    fn value(&mut self, what: impl Into<String>, value: String, target: &'static str) {
        let what = what.into();
        println!("  {what:<58} {value}");
        self.lines.push(Line { what, median: value, p99: String::new(), target });
    }

    /// Appends the table to `out`, when given.
    fn write(&self, header: &str, out: Option<&std::path::Path>) -> anyhow::Result<()> {
        if let Some(path) = out {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
            writeln!(f, "{}", self.markdown(header))?;
            println!("report appended to {}", path.display());
        }
        Ok(())
    }

    fn markdown(&self, header: &str) -> String {
        let mut s = format!("{header}\n\n| operation | median / value | p99 | target |\n|---|---:|---:|---|\n");
        for l in &self.lines {
            let _ = writeln!(s, "| {} | {} | {} | {} |", l.what, l.median, l.p99, l.target);
        }
        s
    }
}

/// Runs `f` `n` times, timing each.
async fn times<F, Fut>(n: usize, mut f: F) -> anyhow::Result<Vec<Duration>>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        f(i).await?;
        out.push(t.elapsed());
    }
    Ok(out)
}

/// The units the suite reads: the root, the largest provincial unit, a branch in it.
async fn ids_of(store: &Store, sql: &str) -> anyhow::Result<Vec<i64>> {
    let rows = sqlx::query(sql).fetch_all(store.pool()).await?;
    Ok(rows.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?)
}

async fn targets(store: &Store) -> anyhow::Result<(Unit, Unit, Unit)> {
    let root_id: i64 = sqlx::query("SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1")
        .fetch_one(store.pool())
        .await
        .context("an empty database: generate a world first (qizhi gen)")?
        .try_get(0)?;
    let root = store.unit(qizhi_core::ids::UnitId(root_id)).await?;
    let span = Span { from: 2024, to: 2024 };
    let mut province = None;
    let mut most = -1;
    for c in store.children(root.id).await? {
        let n = store.figures(c.unit.id, span).await?["org.branches"].count().unwrap_or(0);
        if n > most {
            most = n;
            province = Some(c.unit);
        }
    }
    let province = province.context("the root has no children")?;
    let branch = store
        .subtree_units(&province)
        .await?
        .into_iter()
        .find(|u| u.kind == qizhi_core::org::UnitKind::Branch)
        .context("no branch in the province")?;
    Ok((root, province, branch))
}

pub async fn run(db: &str, args: &BenchArgs) -> anyhow::Result<()> {
    let store = Store::open(db).await?;
    let machine = machine::describe();
    let database = machine::database(&store).await;
    if args.durability {
        store.close().await;
        let header = format!(
            "### {database} — commit durability\n\nMachine: {machine}. Run {} UTC.",
            qizhi_core::date::now().date()
        );
        println!("{header}");
        let mut report = Report::default();
        durability::run(db, args.seconds, &mut report).await?;
        return report.write(&header, args.out.as_deref());
    }
    let (root, province, branch) = targets(&store).await?;
    let people: i64 = sqlx::query("SELECT COUNT(*) FROM people").fetch_one(store.pool()).await?.try_get(0)?;
    let units: i64 = sqlx::query("SELECT COUNT(*) FROM units").fetch_one(store.pool()).await?.try_get(0)?;
    let header = format!(
        "### {database} — {} units, {people} people\n\nMachine: {machine}. Run {} UTC.",
        units,
        qizhi_core::date::now().date()
    );
    println!("{header}");
    let mut report = Report::default();
    let span = Span { from: 2024, to: 2024 };

    // -- the store, in-process -------------------------------------------------
    for (label, unit, target) in
        [("group", &root, "≤ 10 ms"), ("province", &province, "≤ 3 ms"), ("branch", &branch, "≤ 1 ms")]
    {
        // Cold: the first read on a freshly opened connection pool.
        let mut cold = vec![];
        for _ in 0..10 {
            let fresh = Store::open(db).await?;
            let t = Instant::now();
            fresh.figures(unit.id, span).await?;
            cold.push(t.elapsed());
            fresh.close().await;
        }
        report.timing(format!("figures, {label} ({}), cold", unit.code), cold, target);
        let warm = times(300, |_| async { store.figures(unit.id, span).await.map(|_| ()).map_err(Into::into) }).await?;
        report.timing(format!("figures, {label} ({}), warm", unit.code), warm, target);
    }
    let ids: Vec<i64> = sqlx::query("SELECT id FROM people ORDER BY id LIMIT 2000")
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    anyhow::ensure!(!ids.is_empty(), "no people in the database");
    let by_id = times(1000, |i| {
        let id = ids[i * 7919 % ids.len()];
        let store = &store;
        async move { store.person(PersonId(id)).await.map(|_| ()).map_err(Into::into) }
    })
    .await?;
    report.timing("one person by id (store)", by_id, "—");
    let page = PeopleQuery { per_page: 50, page: 1, ..Default::default() };
    let fifty =
        times(300, |_| async { store.people(&branch, &Scope::All, &page).await.map(|_| ()).map_err(Into::into) })
            .await?;
    report.timing(format!("50 people of a branch ({}) (store)", branch.code), fifty, "—");

    // Tasks: one by id, a branch's 50 by due date, a province's filtered list.
    let task_ids = ids_of(&store, "SELECT id FROM tasks ORDER BY id LIMIT 5000").await?;
    let open_ids =
        ids_of(&store, "SELECT id FROM tasks WHERE status = 'in_progress' ORDER BY id DESC LIMIT 5000").await?;
    let tasks: i64 = sqlx::query("SELECT COUNT(*) FROM tasks").fetch_one(store.pool()).await?.try_get(0)?;
    let entries: i64 = sqlx::query("SELECT COUNT(*) FROM task_entries").fetch_one(store.pool()).await?.try_get(0)?;
    report.value(
        "tasks and ledger entries in the database",
        format!("{tasks} tasks, {entries} entries"),
        "2,000,000 / 6,000,000",
    );
    if !task_ids.is_empty() {
        let one = times(1000, |i| {
            let id = task_ids[i * 7919 % task_ids.len()];
            let store = &store;
            async move { store.task(TaskId(id)).await.map(|_| ()).map_err(Into::into) }
        })
        .await?;
        report.timing("one task by id (store)", one, "—");
        let today = qizhi_core::date::today();
        let mut q = TaskQuery::new(today);
        q.per_page = 50;
        let fifty =
            times(300, |_| async { store.tasks(&branch, &Scope::All, &q).await.map(|_| ()).map_err(Into::into) })
                .await?;
        report.timing(format!("50 tasks of a branch ({}) by due date (store)", branch.code), fifty, "≤ 1 ms");
        let mut f = TaskQuery::new(today);
        f.kind = Some(TaskKind::Tackling);
        f.status = Some(TaskStatus::InProgress);
        f.years = Some(qizhi_core::figures::Span::year(2024));
        f.per_page = 50;
        let filtered =
            times(100, |_| async { store.tasks(&province, &Scope::All, &f).await.map(|_| ()).map_err(Into::into) })
                .await?;
        report.timing(
            format!("a province's ({}) tackling tasks of 2024 in progress, first 50 (store)", province.code),
            filtered,
            "—",
        );
    }

    // -- HTTP, a separate server process ----------------------------------------
    if !args.no_http {
        http_part(db, &store, args, &mut report, (&root, &branch), (&ids, &task_ids, &open_ids)).await?;
    }

    // -- import and export -----------------------------------------------------
    if !args.no_import {
        import_part(db, &mut report).await?;
    }
    export_part(db, &root, "people", &mut report)?;
    if tasks > 0 {
        export_part(db, &root, "tasks", &mut report)?;
    }

    report.write(&header, args.out.as_deref())
}

/// A server child process that is stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

async fn http_part(
    db: &str,
    store: &Store,
    args: &BenchArgs,
    report: &mut Report,
    (root, branch): (&Unit, &Unit),
    (ids, task_ids, open_ids): (&[i64], &[i64], &[i64]),
) -> anyhow::Result<()> {
    // An account for the suite, with a token and a session.
    let name = format!("bench-{}", std::process::id());
    let hash = qizhi_app::password::hash(qizhi_app::password::generate()).await?;
    let user = store
        .create_account(&qizhi_store::users::NewAccount {
            username: &name,
            display_name: "基准测试",
            password_hash: &hash,
            person: None,
            grant: Some((qizhi_core::access::Role::SystemAdmin, None)),
            must_change_password: false,
        })
        .await?;
    let token = qizhi_app::token::random_token();
    store.create_token(user, "bench", &qizhi_app::token::token_hash(&token)).await?;
    let cookie = qizhi_app::token::random_token();
    store.create_session(&qizhi_app::token::token_hash(&cookie), user, &qizhi_app::token::random_token()).await?;

    let port = free_port()?;
    let child = Command::new(std::env::current_exe()?)
        .args(["--db", db, "serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("QIZHI_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .context("starting the server")?;
    let server = Server(child);
    let pid = server.0.id();
    let base = format!("http://127.0.0.1:{port}");
    let client = client::client(args.connections);
    let ready = Instant::now();
    while client::send(&client, &Call::get(format!("{base}/healthz"), vec![])).await.ok() != Some(200) {
        anyhow::ensure!(ready.elapsed() < Duration::from_secs(60), "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let bearer = vec![("authorization", format!("Bearer {token}"))];
    let session = vec![("cookie", format!("{}={cookie}", qizhi_web::auth::SESSION_COOKIE))];
    let ids: Arc<Vec<i64>> = Arc::new(ids.to_vec());

    let person = {
        let (base, bearer, ids) = (base.clone(), bearer.clone(), ids.clone());
        Arc::new(move |i: u64| {
            Call::get(format!("{base}/api/v1/people/{}", ids[(i as usize * 7919) % ids.len()]), bearer.clone())
        })
    };
    // A task by id when the world has tasks (the record the load reads), else a person.
    let record: Arc<dyn Fn(u64) -> Call + Send + Sync> = if task_ids.is_empty() {
        person.clone()
    } else {
        let (base, bearer, ids) = (base.clone(), bearer.clone(), Arc::new(task_ids.to_vec()));
        Arc::new(move |i: u64| {
            Call::get(format!("{base}/api/v1/tasks/{}", ids[(i as usize * 7919) % ids.len()]), bearer.clone())
        })
    };
    let fifty_tasks = {
        let (base, bearer, id) = (base.clone(), bearer.clone(), branch.id);
        Arc::new(move |_| Call::get(format!("{base}/api/v1/units/{id}/tasks?per_page=50"), bearer.clone()))
    };
    let figures = {
        let (base, bearer, code) = (base.clone(), bearer.clone(), root.code.clone());
        Arc::new(move |_| Call::get(format!("{base}/api/v1/figures?org={code}&from=2024"), bearer.clone()))
    };
    let unit_page = {
        let (base, session, id) = (base.clone(), session.clone(), branch.id);
        Arc::new(move |_| Call::get(format!("{base}/units/{id}"), session.clone()))
    };

    // Sequential latency, one connection.
    for (what, next, target) in [
        ("HTTP: one person by id (API)", person.clone() as Arc<dyn Fn(u64) -> Call + Send + Sync>, "≤ 0.5 ms"),
        ("HTTP: one task by id (API)", record.clone(), "≤ 0.5 ms"),
        ("HTTP: 50 tasks of a branch by due date (API)", fifty_tasks, "—"),
        ("HTTP: group figures (API)", figures.clone(), "—"),
        ("HTTP: a branch's unit page", unit_page.clone(), "—"),
    ] {
        let mut samples = vec![];
        for i in 0..500u64 {
            let call = next(i);
            let t = Instant::now();
            client::send(&client, &call).await?;
            samples.push(t.elapsed());
        }
        report.timing(what, samples, target);
    }

    // Load, with writes going on 20 times a second: progress entries posted
    // to open tasks (a person's phone changed when the world has no tasks).
    let stop = Arc::new(AtomicBool::new(false));
    let peak = machine::sample_peak(pid, stop.clone());
    let writer = {
        let (client, base, bearer, ids, stop) =
            (client.clone(), base.clone(), bearer.clone(), ids.clone(), stop.clone());
        let open = open_ids.to_vec();
        let store = store.clone();
        tokio::spawn(async move {
            let mut n = 0u64;
            let mut ok = 0u64;
            while !stop.load(Ordering::Relaxed) {
                if !open.is_empty() {
                    let id = open[(n as usize * 104_729) % open.len()];
                    let body = serde_json::json!({ "progress": 10 + (n % 80), "note": "基准测试进展" });
                    let mut headers = bearer.clone();
                    headers.push(("content-type", "application/json".into()));
                    let call = Call {
                        method: http::Method::POST,
                        url: format!("{base}/api/v1/tasks/{id}/entries"),
                        headers,
                        body: Some(bytes::Bytes::from(body.to_string())),
                    };
                    if client::send(&client, &call).await.is_ok_and(|s| s < 400) {
                        ok += 1;
                    }
                    n += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
                let id = ids[(n as usize * 104_729) % ids.len()];
                if let Ok(p) = store.person(PersonId(id)).await {
                    let f = &p.fields;
                    let body = serde_json::json!({
                        "unit_id": p.unit_id.0, "name": f.name, "gender": f.gender.map(|g| g.code()),
                        "category": f.category.code(), "join_date": f.join_date.map(|d| d.to_string()),
                        "post": f.post, "birth_date": f.birth_date.map(|d| d.to_string()),
                        "phone": format!("1380000{:04}", n % 10_000), "id_number": f.id_number,
                    });
                    let mut headers = bearer.clone();
                    headers.push(("content-type", "application/json".into()));
                    let call = Call {
                        method: http::Method::PUT,
                        url: format!("{base}/api/v1/people/{id}"),
                        headers,
                        body: Some(bytes::Bytes::from(body.to_string())),
                    };
                    if client::send(&client, &call).await.is_ok_and(|s| s < 400) {
                        ok += 1;
                    }
                }
                n += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            ok
        })
    };
    let duration = Duration::from_secs(args.seconds);
    for (what, next, target) in [
        ("load: one record (task) by id", record, "≥ 5,000 req/s"),
        ("load: a branch's unit page", unit_page, "—"),
        ("load: group figures", figures, "≥ 200 req/s"),
    ] {
        let load = client::load(&client, args.connections, duration, next).await;
        let label = format!("{what} ({} connections, {}s, {} errors)", args.connections, args.seconds, load.errors);
        report.value(label.clone(), format!("{:.0} req/s", load.rate()), target);
        report.timing(format!("{what}: latency under load"), load.latencies, "—");
    }
    stop.store(true, Ordering::Relaxed);
    let writes = writer.await.unwrap_or(0);
    let peak = peak.join().unwrap_or(0);
    report.value("writes during the load (ledger entries via the API)", format!("{writes} ok"), "—");
    report.value("server peak RSS under load", format!("{:.1} MiB", peak as f64 / 1024.0), "≤ 150 MiB");
    drop(server);
    Ok(())
}

/// A fresh database beside the measured one: a temporary SQLite file, or a
/// new PostgreSQL database on the same server (dropped afterwards).
struct Scratch {
    url: String,
    drop_pg: Option<(String, String)>,
    dir: Option<std::path::PathBuf>,
}

impl Scratch {
    async fn new(db: &str) -> anyhow::Result<Scratch> {
        Scratch::new_in(db, std::env::temp_dir()).await
    }

    /// A scratch database on the same file system as a SQLite `db` (its folder),
    /// where syncing costs what it costs the measured database.
    async fn beside(db: &str) -> anyhow::Result<Scratch> {
        let path = db.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        let folder = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty());
        Scratch::new_in(db, folder.map_or_else(|| std::path::PathBuf::from("."), |p| p.to_path_buf())).await
    }

    async fn new_in(db: &str, folder: std::path::PathBuf) -> anyhow::Result<Scratch> {
        if db.starts_with("postgres") {
            let name = format!("qizhi_bench_scratch_{}", std::process::id());
            let (base, _) = db.rsplit_once('/').context("a PostgreSQL URL ends in /DATABASE")?;
            sqlx::any::install_default_drivers();
            let admin = sqlx::AnyPool::connect(db).await?;
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await?;
            admin.close().await;
            Ok(Scratch { url: format!("{base}/{name}"), drop_pg: Some((db.to_string(), name)), dir: None })
        } else {
            let dir = folder.join(format!("qizhi-bench-{}", std::process::id()));
            std::fs::create_dir_all(&dir)?;
            Ok(Scratch { url: format!("sqlite://{}/scratch.db", dir.display()), drop_pg: None, dir: Some(dir) })
        }
    }

    async fn remove(self) -> anyhow::Result<()> {
        if let Some((admin_url, name)) = &self.drop_pg {
            let admin = sqlx::AnyPool::connect(admin_url).await?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await?;
            admin.close().await;
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        Ok(())
    }
}

/// Imports the group world's 150,000 people as a CSV ledger into a scratch
/// database holding its units, through the same path as `qizhi import`.
async fn import_part(db: &str, report: &mut Report) -> anyhow::Result<()> {
    let scratch = Scratch::new(db).await?;
    let result = async {
        let store = Store::open(&scratch.url).await?.acting(qizhi_store::audit::Actor::cli());
        let world = qizhi_seed::world(qizhi_seed::Scale::Group);
        let mut units = qizhi_seed::World { units: world.units.clone(), ..Default::default() };
        units.units.shrink_to_fit();
        store.load(&crate::demo::batch(units), &mut |_, _| {}).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut w = qizhi_sheet::Writer::new(Vec::new(), qizhi_sheet::Format::Csv, &qizhi_sheet::PEOPLE)?;
        for p in &world.people {
            w.row(&qizhi_sheet::person_cells(&p.unit_code, &p.fields, true))?;
        }
        let rows = w.rows_written();
        let csv = w.finish()?;
        let everything = |_: &Unit| true;
        let t = Instant::now();
        let (batch, read) =
            qizhi_app::ledgers::prepare(&store, "people", &csv, qizhi_sheet::Format::Csv, &everything).await?;
        qizhi_app::ledgers::apply(&store, "people", &batch, &read, &mut |_, _| {}).await?;
        let took = t.elapsed();
        report.value(
            format!("import of {rows} people (CSV, checked whole, one transaction)"),
            format!("{:.1} s", took.as_secs_f64()),
            "≤ 10 s",
        );
        store.close().await;
        anyhow::Ok(())
    }
    .await;
    scratch.remove().await?;
    result
}

/// Exports every record of `kind` in the root's subtree from a child
/// process (.xlsx for people; CSV for tasks, which outgrow a worksheet),
/// sampling its memory: a streamed export keeps it flat.
fn export_part(db: &str, root: &Unit, kind: &str, report: &mut Report) -> anyhow::Result<()> {
    let ext = if kind == "people" { "xlsx" } else { "csv" };
    let file = std::env::temp_dir().join(format!("qizhi-bench-export-{}.{ext}", std::process::id()));
    let t = Instant::now();
    let child = Command::new(std::env::current_exe()?)
        .args(["--db", db, "export", kind])
        .arg(&file)
        .args(["--org", &root.code])
        .env("QIZHI_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()?;
    let pid = child.id();
    let stop = Arc::new(AtomicBool::new(false));
    let peak = machine::sample_peak(pid, stop.clone());
    let status = child.wait_with_output()?.status;
    stop.store(true, Ordering::Relaxed);
    let peak = peak.join().unwrap_or(0);
    anyhow::ensure!(status.success(), "the export failed");
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(&file);
    report.value(
        format!("export of every record of `{kind}` as .{ext} ({:.1} MB)", size as f64 / 1e6),
        format!("{:.1} s, peak RSS {:.1} MiB", t.elapsed().as_secs_f64(), peak as f64 / 1024.0),
        "flat memory",
    );
    Ok(())
}
