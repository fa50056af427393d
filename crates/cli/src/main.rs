//! `qizhi`: the one binary. Serves the web app and API, loads the demo
//! world, migrates, manages accounts, moves ledgers in and out as
//! spreadsheets, and prints figures.

mod backup;
mod bench;
mod config;
mod demo;
mod ledger;
mod seed_tasks;
mod stars;
mod user;

use anyhow::Context;
use clap::{Parser, Subcommand};
use qizhi_core::figures::{FIGURES, Span, Value};
use qizhi_store::Store;

use crate::config::Config;

#[derive(Parser)]
#[command(name = "qizhi", version, about = "旗帜 Qizhi — 党建品牌与党建工作管理系统 (party-building management)")]
struct Cli {
    /// Configuration file (TOML with `db`, `addr`, `secure_cookies`, `trusted_proxies`); default ./qizhi.toml when present.
    #[arg(long, global = true, env = "QIZHI_CONFIG")]
    config: Option<std::path::PathBuf>,
    /// Database: sqlite://PATH or postgres://USER@HOST:PORT/DB. Default sqlite://./qizhi-data/qizhi.db.
    #[arg(long, global = true, env = "QIZHI_DB")]
    db: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the JSON API (migrations run first).
    Serve {
        /// Address to listen on. Default 127.0.0.1:8080.
        #[arg(long, env = "QIZHI_ADDR")]
        addr: Option<String>,
    },
    /// Create a fresh SQLite database with the demo world, and serve it.
    Demo {
        #[arg(long, env = "QIZHI_ADDR")]
        addr: Option<String>,
        /// Folder of the demo database (replaced on every run).
        #[arg(long, default_value = "qizhi-demo")]
        data: std::path::PathBuf,
        /// Load the world and exit without serving.
        #[arg(long)]
        no_serve: bool,
    },
    /// Generate a synthetic world into an empty database, for benchmarks and trials.
    Gen {
        /// `group`: 10,000 branches and 150,000 people (the benchmark); `province`: a quick slice;
        /// `demo`: what `qizhi demo` loads.
        #[arg(long, default_value = "group")]
        scale: String,
        /// Folder for a new SQLite database (instead of --db).
        #[arg(long)]
        data: Option<std::path::PathBuf>,
        /// `group` only: leave out the five years of tasks, ledgers and commitments
        /// (about 2,000,000 tasks) that the benchmarks measure.
        #[arg(long)]
        no_volume: bool,
    },
    /// Run the benchmark suite against a database (generate one with `qizhi gen`); prints a table.
    Bench(bench::BenchArgs),
    /// Bring the database schema up to date.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Import a ledger (units, people, grids, scenarios; brands, brand_elements, honors; tasks; or a
    /// star campaign's scores) from .xlsx or .csv; all rows or none.
    Import {
        kind: String,
        file: std::path::PathBuf,
        /// `scores`: the campaign (its id).
        #[arg(long)]
        campaign: Option<i64>,
        /// `scores`: self, review1 or review2 (default: self before review, review1 from then on).
        #[arg(long)]
        stage: Option<String>,
    },
    /// Export a ledger of a unit's subtree (or a star campaign's `scores` or `results`) to .xlsx or .csv.
    Export {
        kind: String,
        file: std::path::PathBuf,
        /// The unit whose subtree to export (default: the root).
        #[arg(long)]
        org: Option<String>,
        /// `scores`, `results`: the campaign (its id).
        #[arg(long)]
        campaign: Option<i64>,
        /// `scores`: self, review1 or review2.
        #[arg(long)]
        stage: Option<String>,
    },
    /// Write an empty import template with Chinese headers (.xlsx or .csv); `scores` needs --campaign.
    Template {
        kind: String,
        file: std::path::PathBuf,
        /// `scores`: the campaign whose scheme gives the columns.
        #[arg(long)]
        campaign: Option<i64>,
    },
    /// Print the figures of a unit's subtree for a year or span of years.
    Figures {
        /// The unit's code (组织编码).
        #[arg(long)]
        org: String,
        #[arg(long)]
        from: Option<i32>,
        #[arg(long)]
        to: Option<i32>,
        /// Print JSON, as the API answers.
        #[arg(long)]
        json: bool,
    },
    /// Write a consistent copy of the database to FILE while it keeps serving (SQLite: VACUUM INTO;
    /// PostgreSQL: pg_dump --format=custom).
    Backup { file: std::path::PathBuf },
    /// Restore a backup made by `qizhi backup` into an empty database, then migrate it.
    Restore {
        file: std::path::PathBuf,
        /// Replace a database that holds records.
        #[arg(long)]
        force: bool,
    },
    /// Show the current reporting year (报告年度), pin it to YEAR, or with `--rule` go back to the
    /// rule: the year in China, the year before during January and February.
    ReportingYear {
        year: Option<i32>,
        #[arg(long, conflicts_with = "year")]
        rule: bool,
    },
    /// Check the maintained figure counters against a recount of the records, or rebuild them.
    Rollup {
        /// Rebuild the counters from the records.
        #[arg(long)]
        rebuild: bool,
    },
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("QIZHI_LOG").unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("错误 (error): {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref(), cli.db.clone())?;
    match cli.command {
        Command::Serve { addr } => {
            let store = open(&config.db).await?;
            serve(store, &config, addr.or(config.addr.clone()).as_deref().unwrap_or(config::DEFAULT_ADDR)).await
        }
        Command::Demo { addr, data, no_serve } => {
            let store = demo::create(&data).await?;
            if no_serve {
                return Ok(());
            }
            serve(store, &config, addr.as_deref().unwrap_or(config::DEFAULT_ADDR)).await
        }
        Command::Gen { scale, data, no_volume } => {
            let scale = match scale.as_str() {
                "group" => qizhi_seed::Scale::Group,
                "province" => qizhi_seed::Scale::Province,
                "demo" => qizhi_seed::Scale::Demo,
                other => anyhow::bail!("未知的规模 “{other}”，应为 group/province/demo (unknown scale)"),
            };
            let url = match data {
                Some(dir) => {
                    std::fs::create_dir_all(&dir).with_context(|| format!("创建目录 (creating) {}", dir.display()))?;
                    format!("sqlite://{}", dir.join("qizhi.db").display())
                }
                None => config.db.clone(),
            };
            let store = open(&url).await?;
            anyhow::ensure!(
                store.is_empty().await?,
                "数据库不是空的，请指定新的数据库 (the database is not empty): {}",
                qizhi_store::redact(&url)
            );
            demo::load(&store, scale).await?;
            if scale == qizhi_seed::Scale::Group && !no_volume {
                demo::load_volume(&store).await?;
            }
            store.analyze().await?;
            println!("已生成 (generated): {}", qizhi_store::redact(&url));
            Ok(())
        }
        Command::Bench(args) => bench::run(&config.db, &args).await,
        Command::Migrate => {
            open(&config.db).await?;
            println!("数据库已是最新结构 (schema up to date): {}", qizhi_store::redact(&config.db));
            Ok(())
        }
        Command::User(cmd) => user::run(open(&config.db).await?.acting(qizhi_store::audit::Actor::cli()), cmd).await,
        // stars: score sheets of a campaign
        Command::Import { kind, file, campaign, stage } if stars::KINDS.contains(&kind.as_str()) => {
            let store = open(&config.db).await?.acting(qizhi_store::audit::Actor::cli());
            stars::import(&store, &file, campaign, stage.as_deref()).await
        }
        Command::Export { kind, file, org, campaign, stage } if stars::KINDS.contains(&kind.as_str()) => {
            stars::export(&open(&config.db).await?, &kind, &file, campaign, stage.as_deref(), org.as_deref()).await
        }
        Command::Template { kind, file, campaign } if stars::KINDS.contains(&kind.as_str()) => {
            stars::template(&open(&config.db).await?, &file, campaign).await
        }
        Command::Import { kind, file, .. } => {
            let store = open(&config.db).await?.acting(qizhi_store::audit::Actor::cli());
            ledger::import(&store, &kind, &file).await
        }
        Command::Export { kind, file, org, .. } => {
            ledger::export(&open(&config.db).await?, &kind, &file, org.as_deref()).await
        }
        Command::Template { kind, file, .. } => {
            let sheet = qizhi_app::ledgers::sheet_of(&kind).map_err(anyhow::Error::msg)?;
            qizhi_sheet::template(&file, sheet)?;
            println!("已生成模板 (template written): {}", file.display());
            Ok(())
        }
        Command::Figures { org, from, to, json } => figures(&open(&config.db).await?, &org, from, to, json).await,
        Command::ReportingYear { year, rule } => {
            let store = open(&config.db).await?;
            if let Some(y) = year {
                anyhow::ensure!((1900..=2200).contains(&y), "年度应在 1900–2200 之间 (year out of range): {y}");
            }
            if year.is_some() || rule {
                store.pin_reporting_year(year).await?;
            }
            let (current, pinned) = (store.reporting_year().await?, store.pinned_reporting_year().await?.is_some());
            let how = if pinned { "已固定 (pinned)" } else { "按规则 (by the rule)" };
            println!("当前报告年度 (reporting year): {current}，{how}");
            Ok(())
        }
        Command::Backup { file } => backup::backup(&config.db, &file).await,
        Command::Restore { file, force } => backup::restore(&config.db, &file, force).await,
        Command::Rollup { rebuild } => {
            let store = open(&config.db).await?;
            if rebuild {
                let n = store.rebuild_rollup().await?;
                println!("已重建统计计数 (rebuilt): {n} cells");
            }
            let (stored, fresh) = (store.stored_rollup().await?, store.recompute().await?);
            if stored == fresh {
                println!("统计计数与记录一致 (counters match the records): {} units", fresh.len());
                Ok(())
            } else {
                anyhow::bail!("统计计数与记录不一致，请运行 qizhi rollup --rebuild (counters differ from the records)")
            }
        }
    }
}

async fn open(url: &str) -> anyhow::Result<Store> {
    Store::open(url).await.with_context(|| format!("打开数据库 (opening database) {}", qizhi_store::redact(url)))
}

async fn serve(store: Store, config: &Config, addr: &str) -> anyhow::Result<()> {
    let web = qizhi_web::WebConfig {
        secure_cookies: config.secure_cookies,
        trusted_proxies: config.trusted_proxies.clone(),
        ..Default::default()
    };
    let app = qizhi_web::app(qizhi_web::AppState::new(store, web));
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("监听 (listening on) {addr}"))?;
    let local = listener.local_addr()?;
    println!("旗帜 Qizhi 已启动 (serving): http://{local}/");
    qizhi_web::server::serve(listener, app, config.limits.clone(), async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

async fn figures(store: &Store, org: &str, from: Option<i32>, to: Option<i32>, json: bool) -> anyhow::Result<()> {
    let unit =
        store.unit_by_code(org).await?.with_context(|| format!("组织编码 “{org}” 不存在 (no unit with this code)"))?;
    let span = Span::new(from, to, qizhi_core::date::this_year()).map_err(anyhow::Error::msg)?;
    let figures = store.figures(unit.id, span).await?;
    if json {
        let out = serde_json::json!({
            "org": { "id": unit.id, "code": unit.code, "name": unit.name, "kind": unit.kind },
            "from": span.from,
            "to": span.to,
            "figures": figures,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let years = if span.from == span.to { span.from.to_string() } else { format!("{}–{}", span.from, span.to) };
    println!("{} ({})  {years}", unit.name, unit.code);
    for def in FIGURES.iter() {
        let v = match figures[def.key] {
            Value::Count(n) => n.to_string(),
            Value::Rate(r) => format!("{:.1}%", r * 100.0),
            Value::Mean(m) => format!("{m:.1}"),
        };
        println!("  {:<24} {:>12}  {}", def.key, v, def.zh);
    }
    Ok(())
}
