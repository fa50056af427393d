//! `qizhi bench --durability`: what it costs to wait for the disk at every
//! commit. A scratch database beside the measured one (same file system, or
//! same PostgreSQL server) holds a four-level tree with one open task per
//! branch; writers post progress entries through the store — the write the
//! ledger pages and the API make, with its rollup and audit rows — for a
//! fixed time on 1 and 16 tasks, once per setting:
//!
//! - SQLite: `synchronous=FULL` (the WAL is synced at every commit, what the
//!   store uses) against `NORMAL` (synced only at checkpoints);
//! - PostgreSQL: `synchronous_commit=on` (the default: the commit record is
//!   flushed before the commit returns) against `off`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use qizhi_core::ids::{TaskId, UnitId};
use qizhi_core::org::{UnitFields, UnitKind, UnitStatus};
use qizhi_core::tasks::{EntryFields, Priority, TaskFields, TaskKind, TaskStatus};
use qizhi_store::{Backend, Store};
use sqlx::Row;
use time::Date;

use super::{Report, Scratch};

const BRANCHES: usize = 16;

pub async fn run(db: &str, seconds: u64, report: &mut Report) -> anyhow::Result<()> {
    let scratch = Scratch::beside(db).await?;
    let result = measure(&scratch, seconds, report).await;
    scratch.remove().await?;
    result
}

async fn measure(scratch: &Scratch, seconds: u64, report: &mut Report) -> anyhow::Result<()> {
    let store = Store::open(&scratch.url).await?.acting(qizhi_store::audit::Actor::cli());
    let tasks = world(&store).await?;
    let backend = store.backend();
    let settings: [(&str, &str); 2] = match backend {
        Backend::Sqlite => [("synchronous", "FULL"), ("synchronous", "NORMAL")],
        Backend::Postgres => [("synchronous_commit", "on"), ("synchronous_commit", "off")],
    };
    let duration = Duration::from_secs(seconds);
    for (name, value) in settings {
        let store = with_setting(&store, &scratch.url, name, value).await?;
        for writers in [1, BRANCHES] {
            let (commits, latencies, took) = load(&store, &tasks[..writers], duration).await?;
            let what = format!("progress entries, {name}={value}, {writers} writer(s), {seconds}s");
            report.value(format!("{what}: throughput"), format!("{:.0} commits/s", commits as f64 / took), "—");
            report.timing(format!("{what}: commit latency"), latencies, "—");
        }
        store.close().await;
    }
    store.close().await;
    Ok(())
}

/// A root, a province, a city and its branches, each branch with one open task.
async fn world(store: &Store) -> anyhow::Result<Vec<TaskId>> {
    let unit = |code: String, kind: UnitKind| UnitFields {
        name: format!("耐久性测试 {code}"),
        code,
        short_name: None,
        kind,
        sort_order: 0,
        founded: None,
        status: UnitStatus::Active,
    };
    let root = store.create_unit(None, &unit("DUR".into(), UnitKind::Leadership)).await?;
    let province = store.create_unit(Some(root.id), &unit("DUR01".into(), UnitKind::Committee)).await?;
    let city = store.create_unit(Some(province.id), &unit("DUR0101".into(), UnitKind::Committee)).await?;
    let today = qizhi_core::date::today();
    let mut tasks = vec![];
    for i in 0..BRANCHES {
        let branch: UnitId =
            store.create_unit(Some(city.id), &unit(format!("DUR0101-{:03}", i + 1), UnitKind::Branch)).await?.id;
        let fields = TaskFields {
            kind: TaskKind::Target,
            name: format!("耐久性测试任务 {i}"),
            description: None,
            fortress_id: None,
            team_id: None,
            brand_id: None,
            responsible: vec![],
            target: None,
            target_unit: None,
            year: today.year(),
            start_on: Some(today),
            due_on: Date::from_calendar_date(today.year(), time::Month::December, 31).ok(),
            status: TaskStatus::InProgress,
            priority: Priority::Normal,
        };
        tasks.push(store.create_task(branch, None, &fields).await?.id);
    }
    Ok(tasks)
}

/// The store with a commit setting on every connection it will use. On
/// SQLite the pragma is per connection: all of the pool's connections are
/// taken at once, set, and checked; on PostgreSQL it is set for the scratch
/// database and a new pool is opened.
async fn with_setting(store: &Store, url: &str, name: &str, value: &str) -> anyhow::Result<Store> {
    match store.backend() {
        Backend::Sqlite => {
            let fresh = Store::connect(url).await?.acting(qizhi_store::audit::Actor::cli());
            let mut held = vec![];
            for _ in 0..fresh.pool().options().get_max_connections() {
                let mut conn = fresh.pool().acquire().await?;
                sqlx::query(&format!("PRAGMA {name}={value}")).execute(&mut *conn).await?;
                let now: i64 = sqlx::query(&format!("PRAGMA {name}")).fetch_one(&mut *conn).await?.try_get(0)?;
                let want = if value == "FULL" { 2 } else { 1 };
                anyhow::ensure!(now == want, "PRAGMA {name} reads {now}, not {value}");
                held.push(conn);
            }
            drop(held);
            Ok(fresh)
        }
        Backend::Postgres => {
            let database = url.rsplit_once('/').map(|(_, d)| d).context("a PostgreSQL URL ends in /DATABASE")?;
            let database = database.split_once('?').map_or(database, |(d, _)| d);
            sqlx::query(&format!("ALTER DATABASE {database} SET {name} = {value}")).execute(store.pool()).await?;
            let fresh = Store::connect(url).await?.acting(qizhi_store::audit::Actor::cli());
            let now: String = sqlx::query(&format!("SHOW {name}")).fetch_one(fresh.pool()).await?.try_get(0)?;
            anyhow::ensure!(now == value, "{name} reads {now}, not {value}");
            Ok(fresh)
        }
    }
}

/// One writer per task, each posting entries back to back for `duration`:
/// commits, their latencies and the seconds taken.
async fn load(store: &Store, tasks: &[TaskId], duration: Duration) -> anyhow::Result<(u64, Vec<Duration>, f64)> {
    let started = Instant::now();
    let until = Arc::new(started + duration);
    let mut workers = vec![];
    for (w, &task) in tasks.iter().enumerate() {
        let (store, until) = (store.clone(), until.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = vec![];
            let mut n = w;
            while Instant::now() < *until {
                let entry = EntryFields {
                    entry_on: qizhi_core::date::today(),
                    progress: (n % 99) as i32,
                    note: Some("耐久性测试".into()),
                };
                let t = Instant::now();
                store.post_entry(task, &entry, None, &[]).await?;
                latencies.push(t.elapsed());
                n += 1;
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut all = vec![];
    for w in workers {
        all.extend(w.await??);
    }
    Ok((all.len() as u64, all, started.elapsed().as_secs_f64()))
}
