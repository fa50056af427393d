//! Sign-in throttling, kept in the database so that a restart does not
//! forget it and every instance of the server shares it.
//!
//! Failures are counted per **account and address pair** and per
//! **address**, within a window of [`WINDOW_MS`]:
//! - [`PER_PAIR`] failures for one account from one address lock that pair
//!   until the window has passed. Someone guessing a password from another
//!   address cannot lock the real user out: the user's own address is
//!   another pair. Guessing from many addresses costs [`PER_PAIR`] tries per
//!   address per window, and every failure is in the audit trail.
//! - [`PER_ADDRESS`] failures from one address, whatever the accounts, lock
//!   that address (password spraying). The limit is high because an office
//!   signs in from one address; behind a reverse proxy the address is the
//!   client's only when the proxy is listed in `trusted_proxies`.
//!
//! A successful sign-in clears its pair's count, not the address's.

use qizhi_store::{Store, StoreResult, now_ms};

/// Failures allowed per account and address within [`WINDOW_MS`].
pub const PER_PAIR: u32 = 5;
/// Failures allowed per address within [`WINDOW_MS`].
pub const PER_ADDRESS: u32 = 50;
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

fn pair_key(username: &str, ip: Option<&str>) -> String {
    format!("account:{}@{}", username.trim().to_lowercase(), ip.unwrap_or("-"))
}

fn keys(username: &str, ip: Option<&str>) -> Vec<(String, u32)> {
    let mut keys = vec![(pair_key(username, ip), PER_PAIR)];
    if let Some(ip) = ip {
        keys.push((format!("address:{ip}"), PER_ADDRESS));
    }
    keys
}

/// `Ok(Err(minutes))` to wait when the pair or the address is locked.
pub async fn check(store: &Store, username: &str, ip: Option<&str>) -> StoreResult<Result<(), i64>> {
    let now = now_ms();
    for (key, limit) in keys(username, ip) {
        if let Some((failures, since)) = store.login_failures(&key, now - WINDOW_MS).await?
            && failures >= limit
        {
            let left = WINDOW_MS - (now - since);
            return Ok(Err((left + 59_999) / 60_000));
        }
    }
    Ok(Ok(()))
}

pub async fn failed(store: &Store, username: &str, ip: Option<&str>) -> StoreResult<()> {
    let now = now_ms();
    let keys: Vec<String> = keys(username, ip).into_iter().map(|(k, _)| k).collect();
    store.count_login_failure(&keys, now, now - WINDOW_MS).await
}

pub async fn succeeded(store: &Store, username: &str, ip: Option<&str>) -> StoreResult<()> {
    store.clear_login_failures(&pair_key(username, ip)).await
}
