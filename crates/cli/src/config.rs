//! Configuration: command-line flags, then `QIZHI_*` environment variables
//! (clap reads both), then the config file, then defaults.

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

pub const DEFAULT_DB: &str = "sqlite://qizhi-data/qizhi.db";
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    db: Option<String>,
    addr: Option<String>,
    secure_cookies: Option<bool>,
    trusted_proxies: Option<Vec<std::net::IpAddr>>,
    header_timeout_secs: Option<u64>,
    request_timeout_secs: Option<u64>,
    max_connections: Option<usize>,
}

#[derive(Debug)]
pub struct Config {
    pub db: String,
    pub addr: Option<String>,
    pub secure_cookies: bool,
    /// Reverse proxies whose forwarded address and protocol are believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Timeouts and the connection limit of the server loop.
    pub limits: qizhi_web::server::Limits,
}

impl Config {
    /// `explicit` is the config file named by flag or env; otherwise
    /// ./qizhi.toml is read when it exists. `db` came from flag or env.
    pub fn load(explicit: Option<&Path>, db: Option<String>) -> anyhow::Result<Config> {
        let file = match explicit {
            Some(p) => read(p)?,
            None if Path::new("qizhi.toml").exists() => read(Path::new("qizhi.toml"))?,
            None => File::default(),
        };
        let limits = limits(&file);
        Ok(Config {
            db: db.or(file.db).unwrap_or_else(|| DEFAULT_DB.to_string()),
            addr: file.addr,
            secure_cookies: file.secure_cookies.unwrap_or(false),
            trusted_proxies: file.trusted_proxies.unwrap_or_default(),
            limits,
        })
    }
}

fn limits(file: &File) -> qizhi_web::server::Limits {
    let default = qizhi_web::server::Limits::default();
    let secs = std::time::Duration::from_secs;
    qizhi_web::server::Limits {
        header_timeout: file.header_timeout_secs.map_or(default.header_timeout, secs),
        request_timeout: file.request_timeout_secs.map_or(default.request_timeout, secs),
        max_connections: file.max_connections.unwrap_or(default.max_connections),
    }
}

fn read(path: &Path) -> anyhow::Result<File> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("读取配置文件 (reading config) {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("配置文件有误 (bad config) {}", path.display()))
}
