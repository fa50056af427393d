//! `qizhi backup FILE` and `qizhi restore FILE`.
//!
//! A backup is a consistent copy of the whole database, taken while the
//! server keeps serving: on SQLite `VACUUM INTO` copies one read transaction's
//! view into a new file (writers go on in the WAL meanwhile); on PostgreSQL
//! `pg_dump --format=custom` reads one repeatable-read snapshot. Either is
//! written beside FILE first, synced, and renamed into place, so a backup
//! that fails leaves no FILE behind.
//!
//! A restore checks the backup is a Qizhi database this build knows (its
//! `_sqlx_migrations` are ours, checksums included), refuses a target that
//! holds any row unless `--force`, replaces the target (SQLite: the file;
//! PostgreSQL: the `public` schema, through `pg_restore` in one transaction)
//! and runs the migrations. See docs/operations.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail, ensure};
use qizhi_store::{Backend, Store, redact};
use sqlx::{Connection, Row};

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const PG_DUMP_MAGIC: &[u8] = b"PGDMP";

pub async fn backup(db: &str, file: &Path) -> anyhow::Result<()> {
    ensure!(!file.exists(), "备份文件已存在，请换一个文件名 (the backup file exists): {}", file.display());
    let partial = partial_of(file);
    let _ = std::fs::remove_file(&partial);
    let started = Instant::now();
    let store = source(db).await?;
    // Created empty and readable by its owner only before anything is copied:
    // a backup holds ID numbers, phones and password hashes. VACUUM INTO
    // accepts an empty file, pg_dump writes into it.
    private_file(&partial).with_context(|| format!("创建 (creating) {}", partial.display()))?;
    let result = match store.backend() {
        Backend::Sqlite => {
            // One read transaction of its own: the copy is the database as of
            // one commit, whatever the server writes meanwhile.
            let target = partial.to_str().context("备份文件名须为 UTF-8 (the file name must be UTF-8)")?;
            sqlx::query("VACUUM INTO ?").bind(target).execute(store.pool()).await.map(|_| ()).map_err(Into::into)
        }
        Backend::Postgres => pg_dump(&store, db, &partial).await,
    };
    store.close().await;
    if let Err(e) = result {
        let _ = std::fs::remove_file(&partial);
        return Err(e.context(format!("备份失败 (backup failed): {}", redact(db))));
    }
    settle(&partial, file)?;
    let size = std::fs::metadata(file)?.len();
    println!(
        "已备份 (backed up): {} → {} ({:.1} MB, {:.1} s)",
        redact(db),
        file.display(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub async fn restore(db: &str, file: &Path, force: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    sqlx::any::install_default_drivers();
    let head = magic(file)?;
    let backend = backend_of(db)?;
    match (backend, head) {
        (Backend::Sqlite, Kind::Sqlite) => restore_sqlite(db, file, force).await?,
        (Backend::Postgres, Kind::PgDump) => restore_postgres(db, file, force).await?,
        (Backend::Sqlite, Kind::PgDump) => {
            bail!(
                "这是 PostgreSQL 的备份，只能恢复到 postgres:// 数据库 (a PostgreSQL backup restores into PostgreSQL only)"
            )
        }
        (Backend::Postgres, Kind::Sqlite) => {
            bail!("这是 SQLite 的备份，只能恢复到 sqlite:// 数据库 (a SQLite backup restores into SQLite only)")
        }
    }
    // The schema is brought up to date as on every start.
    let store = Store::open(db)
        .await
        .with_context(|| format!("恢复后迁移失败 (migrating after the restore) {}", redact(db)))?;
    store.analyze().await?;
    let units: i64 = sqlx::query("SELECT COUNT(*) FROM units").fetch_one(store.pool()).await?.try_get(0)?;
    store.close().await;
    println!(
        "已恢复 (restored): {} → {} ({units} 个组织 units, {:.1} s)；可运行 qizhi rollup 核对统计 (check the counters with qizhi rollup)",
        file.display(),
        redact(db),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

// -- the source ----------------------------------------------------------------

/// The database to back up, without migrating it (a backup changes nothing)
/// and without creating a SQLite file that is not there.
async fn source(db: &str) -> anyhow::Result<Store> {
    if backend_of(db)? == Backend::Sqlite {
        let path = sqlite_path(db);
        ensure!(path.is_file(), "数据库文件不存在 (no database file): {}", path.display());
    }
    let store = Store::connect(db).await.with_context(|| format!("打开数据库 (opening database) {}", redact(db)))?;
    let has_migrations = match store.backend() {
        Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        Backend::Postgres => {
            "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '_sqlx_migrations'"
        }
    };
    let n: i64 = sqlx::query(has_migrations).fetch_one(store.pool()).await?.try_get(0)?;
    ensure!(n == 1, "这不是旗帜的数据库 (not a Qizhi database: no migrations table): {}", redact(db));
    Ok(store)
}

async fn pg_dump(store: &Store, db: &str, partial: &Path) -> anyhow::Result<()> {
    // pg_dump refuses a server newer than itself; say so before it starts.
    let server: i64 =
        sqlx::query("SELECT current_setting('server_version_num')::int8").fetch_one(store.pool()).await?.try_get(0)?;
    let tool = tool_major("pg_dump")?;
    ensure!(
        tool >= server / 10_000,
        "pg_dump {tool} 早于服务器 PostgreSQL {}，请使用同版本或更新的 pg_dump (pg_dump must be at least the server's major version)",
        server / 10_000
    );
    let (url, password) = libpq(db);
    let mut cmd = Command::new("pg_dump");
    cmd.args(["--format=custom", "--no-password", "--file"]).arg(partial).arg("--dbname").arg(&url);
    run_tool(cmd, password.as_deref(), "pg_dump").map(|_| ())
}

// -- restoring -----------------------------------------------------------------

async fn restore_sqlite(db: &str, file: &Path, force: bool) -> anyhow::Result<()> {
    let target = sqlite_path(db);
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("创建目录 (creating) {}", dir.display()))?;
    }
    // The backup is copied beside the target and checked there: the copy is
    // what will be renamed into place, and the backup itself is never opened
    // for writing.
    let staged = partial_of(&target);
    let _ = std::fs::remove_file(&staged);
    std::fs::copy(file, &staged).with_context(|| format!("复制备份 (copying the backup) {}", file.display()))?;
    let checked = async {
        let url = format!("sqlite://{}?mode=rw", staged.display());
        let mut conn = sqlx::AnyConnection::connect(&url).await?;
        let check: String = sqlx::query("PRAGMA quick_check").fetch_one(&mut conn).await?.try_get(0)?;
        ensure!(check == "ok", "备份文件已损坏 (the backup is damaged): {check}");
        let rows = sqlx::query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
            .fetch_one(&mut conn)
            .await?;
        ensure!(rows.try_get::<i64, _>(0)? == 1, "这不是旗帜的备份 (not a Qizhi backup: no migrations table)");
        let applied =
            sqlx::query("SELECT version, checksum, CAST(success AS INTEGER) FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&mut conn)
                .await?
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get::<i64, _>(2)? == 1)))
                .collect::<Result<Vec<(i64, Vec<u8>, bool)>, sqlx::Error>>()?;
        conn.close().await?;
        known(Backend::Sqlite, &applied)
    }
    .await;
    if let Err(e) = checked.and_then(|_| Ok(std::fs::File::open(&staged)?.sync_all()?)) {
        let _ = std::fs::remove_file(&staged);
        return Err(e);
    }

    if target.exists() {
        let blank = async {
            let store = Store::connect(db).await?;
            let blank = blank(&store).await;
            store.close().await;
            blank
        };
        match blank.await {
            Ok(true) => {}
            Ok(false) if force => {}
            Ok(false) => {
                let _ = std::fs::remove_file(&staged);
                bail!(
                    "目标数据库不是空的，加 --force 覆盖 (the target database holds records; --force replaces it): {}",
                    redact(db)
                );
            }
            Err(e) => {
                let _ = std::fs::remove_file(&staged);
                return Err(e.context("读取目标数据库 (reading the target database)"));
            }
        }
        if let Err(e) = unused(&target).await {
            let _ = std::fs::remove_file(&staged);
            return Err(e);
        }
    }
    // A WAL left beside the old file belongs to it: it must not be replayed
    // into the restored one.
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side).with_context(|| format!("删除 (removing) {}", side.display()))?;
        }
    }
    settle(&staged, &target)
}

/// Fails when another process (a running server) has the SQLite file open:
/// every connection in WAL mode holds a shared lock on it, so an exclusive
/// one is granted only to the last user. A process just closing its
/// connections gets two seconds to let go.
async fn unused(target: &Path) -> anyhow::Result<()> {
    let url = format!("sqlite://{}?mode=rw", target.display());
    let mut conn = sqlx::AnyConnection::connect(&url).await?;
    let mut taken = Ok(());
    for sql in [
        "PRAGMA busy_timeout=2000",
        "PRAGMA locking_mode=EXCLUSIVE",
        "BEGIN EXCLUSIVE",
        "SELECT COUNT(*) FROM sqlite_master",
    ] {
        if let Err(e) = sqlx::query(sql).execute(&mut conn).await {
            taken = Err(e);
            break;
        }
    }
    let _ = sqlx::query("ROLLBACK").execute(&mut conn).await;
    let _ = conn.close().await;
    match taken {
        Ok(()) => Ok(()),
        Err(e) if e.to_string().contains("locked") || e.to_string().contains("busy") => {
            bail!("数据库正在使用，请先停止服务 (the database is in use: stop the server first): {}", target.display())
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!("锁定目标数据库 (locking) {}", target.display()))),
    }
}

async fn restore_postgres(db: &str, file: &Path, force: bool) -> anyhow::Result<()> {
    // The archive's migrations, read without restoring anything.
    let mut list = Command::new("pg_restore");
    list.args(["--data-only", "--table=_sqlx_migrations", "--file=-"]).arg(file);
    let text = run_tool(list, None, "pg_restore")?;
    let applied = copy_rows(&text).context("这不是旗帜的备份 (not a Qizhi backup)")?;
    known(Backend::Postgres, &applied)?;

    let store = Store::connect(db).await.with_context(|| format!("打开数据库 (opening database) {}", redact(db)))?;
    let prepared = async {
        if !blank(&store).await? && !force {
            bail!(
                "目标数据库不是空的，加 --force 覆盖 (the target database holds records; --force replaces it): {}",
                redact(db)
            );
        }
        let tables: i64 = sqlx::query("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")
            .fetch_one(store.pool())
            .await?
            .try_get(0)?;
        if tables > 0 {
            // Whatever the schema holds goes: the backup brings all of it.
            sqlx::query("DROP SCHEMA public CASCADE").execute(store.pool()).await?;
            sqlx::query("CREATE SCHEMA public").execute(store.pool()).await?;
            sqlx::query("GRANT USAGE ON SCHEMA public TO PUBLIC").execute(store.pool()).await?;
        }
        anyhow::Ok(())
    }
    .await;
    store.close().await;
    prepared?;
    let (url, password) = libpq(db);
    let mut cmd = Command::new("pg_restore");
    // One transaction: a restore that fails leaves the database as it was.
    // Objects are owned by the account restoring them, whoever owned them
    // where the backup was taken.
    cmd.args(["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", "--no-password", "--dbname"])
        .arg(&url)
        .arg(file);
    run_tool(cmd, password.as_deref(), "pg_restore").map(|_| ())
}

/// Whether every table (but the migrations') is without rows: a new database,
/// or one migrated by a server that never saw a record.
async fn blank(store: &Store) -> anyhow::Result<bool> {
    let list = match store.backend() {
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        Backend::Postgres => "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'",
    };
    for row in sqlx::query(list).fetch_all(store.pool()).await? {
        let table: String = row.try_get(0)?;
        if table == "_sqlx_migrations" {
            continue;
        }
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        let any: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM (SELECT 1 FROM {quoted} LIMIT 1) t"))
            .fetch_one(store.pool())
            .await?
            .try_get(0)?;
        if any > 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Checks a backup's applied migrations against this build's: each one known,
/// with the same checksum, and applied successfully.
fn known(backend: Backend, applied: &[(i64, Vec<u8>, bool)]) -> anyhow::Result<()> {
    ensure!(!applied.is_empty(), "这不是旗帜的备份 (not a Qizhi backup: no migrations applied)");
    let ours = qizhi_store::migrator(backend);
    for (version, checksum, success) in applied {
        let Some(m) = ours.iter().find(|m| m.version == *version) else {
            bail!("备份来自更新版本的旗帜 (the backup comes from a newer Qizhi: migration {version} is unknown)");
        };
        ensure!(
            m.checksum.as_ref() == checksum.as_slice(),
            "备份的迁移 {version} 与本程序不同 (migration {version} of the backup differs from this build's)"
        );
        ensure!(*success, "备份的迁移 {version} 未完成 (migration {version} of the backup did not complete)");
    }
    Ok(())
}

/// The rows of the `COPY … FROM stdin;` block pg_restore prints for
/// `_sqlx_migrations`: version, checksum and success of each.
fn copy_rows(text: &str) -> anyhow::Result<Vec<(i64, Vec<u8>, bool)>> {
    let mut lines = text.lines();
    let header = lines
        .find(|l| l.starts_with("COPY ") && l.contains("_sqlx_migrations"))
        .context("备份中没有迁移表 (no migrations table in the backup)")?;
    let columns: Vec<&str> = header
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(cols, _)| cols.split(',').map(str::trim).collect())
        .context("unexpected COPY header")?;
    let at = |name: &str| columns.iter().position(|c| *c == name).with_context(|| format!("no column {name}"));
    let (v, c, s) = (at("version")?, at("checksum")?, at("success")?);
    let mut out = vec![];
    for line in lines.take_while(|l| *l != "\\.") {
        let cells: Vec<&str> = line.split('\t').collect();
        let version = cells.get(v).context("short COPY row")?.parse()?;
        // bytea in COPY text: \\x then hex digits.
        let hex = cells.get(c).context("short COPY row")?.trim_start_matches("\\\\x");
        let checksum = (0..hex.len() / 2)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16))
            .collect::<Result<Vec<u8>, _>>()?;
        out.push((version, checksum, *cells.get(s).context("short COPY row")? == "t"));
    }
    Ok(out)
}

// -- files, URLs and tools ---------------------------------------------------------

enum Kind {
    Sqlite,
    PgDump,
}

fn magic(file: &Path) -> anyhow::Result<Kind> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f =
        std::fs::File::open(file).with_context(|| format!("打开备份 (opening the backup) {}", file.display()))?;
    let n = f.read(&mut head)?;
    if head[..n].starts_with(SQLITE_MAGIC) {
        Ok(Kind::Sqlite)
    } else if head[..n].starts_with(PG_DUMP_MAGIC) {
        Ok(Kind::PgDump)
    } else {
        bail!("不是旗帜的备份文件 (not a backup made by qizhi backup): {}", file.display())
    }
}

fn backend_of(db: &str) -> anyhow::Result<Backend> {
    if db.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if db.starts_with("postgres:") || db.starts_with("postgresql:") {
        Ok(Backend::Postgres)
    } else {
        bail!("不支持的数据库地址 {} (use sqlite://PATH or postgres://…)", redact(db))
    }
}

fn sqlite_path(db: &str) -> PathBuf {
    let rest = db.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    PathBuf::from(rest.split_once('?').map_or(rest, |(p, _)| p))
}

/// `FILE.partial`, beside FILE (the same file system, so renaming is atomic).
fn partial_of(file: &Path) -> PathBuf {
    let mut name = file.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    file.with_file_name(name)
}

fn private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(|_| ())
}

/// Syncs a finished file, renames it into place and syncs its folder, so the
/// name and the bytes survive a power loss together.
fn settle(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::File::open(from)?.sync_all()?;
    std::fs::rename(from, to).with_context(|| format!("写入 (writing) {}", to.display()))?;
    let dir = to.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// A PostgreSQL URL for libpq without its password, and the password
/// (decoded), which goes to the tool through `PGPASSWORD`, never its
/// arguments (visible to every user of the machine).
fn libpq(db: &str) -> (String, Option<String>) {
    let Some(s) = db.find("://") else { return (db.to_string(), None) };
    let rest = &db[s + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else { return (db.to_string(), None) };
    let creds = &rest[..at];
    match creds.split_once(':') {
        Some((user, password)) => (format!("{}{user}{}", &db[..s + 3], &rest[at..]), Some(percent_decode(password))),
        None => (db.to_string(), None),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The major version of a PostgreSQL client tool on PATH (`pg_dump (PostgreSQL) 15.20 …`).
fn tool_major(tool: &str) -> anyhow::Result<i64> {
    let out = Command::new(tool).arg("--version").output().with_context(|| {
        format!("找不到 {tool}，请安装 PostgreSQL 客户端工具 (install the PostgreSQL client tools: {tool} not on PATH)")
    })?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .find_map(|w| w.split('.').next().and_then(|m| m.parse().ok()))
        .with_context(|| format!("无法识别 {tool} 的版本 (unknown version): {text}"))
}

/// Runs a PostgreSQL client tool; its standard output, or its complaint.
fn run_tool(mut cmd: Command, password: Option<&str>, tool: &str) -> anyhow::Result<String> {
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd.output().with_context(|| {
        format!("找不到 {tool}，请安装 PostgreSQL 客户端工具 (install the PostgreSQL client tools: {tool} not on PATH)")
    })?;
    if !out.status.success() {
        bail!("{tool} 失败 (failed): {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_leave_the_url() {
        assert_eq!(
            libpq("postgres://u:p%40ss@h:5432/db?sslmode=require"),
            ("postgres://u@h:5432/db?sslmode=require".to_string(), Some("p@ss".to_string()))
        );
        assert_eq!(libpq("postgres://u@h/db"), ("postgres://u@h/db".to_string(), None));
        assert_eq!(libpq("postgres://h/db"), ("postgres://h/db".to_string(), None));
    }

    #[test]
    fn migrations_are_read_from_a_copy_block() {
        let text = "SET x;\nCOPY public._sqlx_migrations (version, description, installed_on, success, checksum, execution_time) FROM stdin;\n1\torganization\t2026-01-01 00:00:00+00\tt\t\\\\x0aff\t123\n\\.\n";
        assert_eq!(copy_rows(text).unwrap(), vec![(1, vec![0x0a, 0xff], true)]);
    }
}
