//! What machine and database a benchmark ran on, and a process's memory.

use std::time::Duration;

use qizhi_store::{Backend, Store};

/// CPU model, cores, memory and kernel, read from /proc (Linux).
pub fn describe() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kb: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:").and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok()))
        .unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!("{model}, {cores} cores, {:.0} GiB RAM, Linux {}", mem_kb as f64 / 1024.0 / 1024.0, kernel.trim())
}

/// The database and its version.
pub async fn database(store: &Store) -> String {
    use sqlx::Row;
    let (name, sql) = match store.backend() {
        Backend::Sqlite => ("SQLite", "SELECT sqlite_version()"),
        Backend::Postgres => ("PostgreSQL", "SHOW server_version"),
    };
    let version: String = match sqlx::query(sql).fetch_one(store.pool()).await {
        Ok(r) => r.try_get(0).unwrap_or_default(),
        Err(_) => String::new(),
    };
    format!("{name} {version}")
}

/// A process's resident memory now, in KiB (`VmRSS`), if it is alive.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:").and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok()))
}

/// Samples a process's resident memory every 20 ms until `stop`, keeping the peak.
pub fn sample_peak(pid: u32, stop: std::sync::Arc<std::sync::atomic::AtomicBool>) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut peak = 0;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            match rss_kib(pid) {
                Some(kib) => peak = peak.max(kib),
                None => break,
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        peak
    })
}
