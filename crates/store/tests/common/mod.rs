//! Runs a store test on SQLite (always) and on PostgreSQL when
//! `QIZHI_TEST_PG_URL` names a server; each run gets a fresh database that is
//! dropped afterwards.
#![allow(dead_code)]

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};

use qizhi_store::Store;
use sqlx::Executor;

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh, migrated SQLite database in a temporary file.
pub async fn sqlite() -> (Store, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "qizhi-test-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let url = format!("sqlite://{}/t.db", dir.display());
    (Store::open(&url).await.expect("open sqlite"), dir)
}

/// A fresh, migrated PostgreSQL database, dropped by `drop`.
pub struct Postgres {
    pub store: Store,
    admin: sqlx::AnyPool,
    name: String,
}

impl Postgres {
    /// `None` (with a line saying so) when `QIZHI_TEST_PG_URL` is unset.
    pub async fn create() -> Option<Postgres> {
        let Ok(admin_url) = std::env::var("QIZHI_TEST_PG_URL") else {
            eprintln!(
                "PostgreSQL SKIPPED: set QIZHI_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run this test on PostgreSQL too"
            );
            return None;
        };
        let name = format!("qizhi_t_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(&admin_url).await.expect("connect to QIZHI_TEST_PG_URL");
        admin.execute(format!("DROP DATABASE IF EXISTS {name}").as_str()).await.unwrap();
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
        let url = match admin_url.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => panic!("QIZHI_TEST_PG_URL must end in /DATABASE"),
        };
        let store = Store::open(&url).await.expect("open postgres");
        Some(Postgres { store, admin, name })
    }

    pub async fn drop(self) {
        self.store.close().await;
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        self.admin.execute(sql.as_str()).await.unwrap();
    }
}

/// Runs `test` against every configured backend.
pub async fn each_backend<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (store, dir) = sqlite().await;
    let outcome = tokio::spawn(test(store.clone())).await;
    store.close().await;
    let _ = std::fs::remove_dir_all(dir);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }

    let Some(pg) = Postgres::create().await else { return };
    let outcome = tokio::spawn(test(pg.store.clone())).await;
    pg.drop().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
