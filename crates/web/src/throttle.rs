//! Login throttling: after too many failed sign-ins for one account or from
//! one address within a window, further attempts are refused until the
//! window has passed. Kept in memory: it protects one server process, and a
//! restart only forgets recent failures.

use std::collections::HashMap;
use std::sync::Mutex;

use qizhi_store::now_ms;

/// Failures allowed per account within [`WINDOW_MS`].
pub const PER_ACCOUNT: u32 = 5;
/// Failures allowed per address within [`WINDOW_MS`] (many people may share an office address).
pub const PER_ADDRESS: u32 = 20;
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, i64)>>,
}

fn keys(username: &str, ip: Option<&str>) -> Vec<(String, u32)> {
    let mut k = vec![(format!("user:{}", username.trim().to_lowercase()), PER_ACCOUNT)];
    if let Some(ip) = ip {
        k.push((format!("ip:{ip}"), PER_ADDRESS));
    }
    k
}

impl Throttle {
    /// `Err(minutes)` to wait when the account or address is locked out.
    pub fn check(&self, username: &str, ip: Option<&str>) -> Result<(), i64> {
        let now = now_ms();
        let map = self.failures.lock().expect("throttle lock");
        for (key, limit) in keys(username, ip) {
            if let Some(&(n, since)) = map.get(&key)
                && now - since < WINDOW_MS
                && n >= limit
            {
                let left = WINDOW_MS - (now - since);
                return Err((left + 59_999) / 60_000);
            }
        }
        Ok(())
    }

    pub fn failed(&self, username: &str, ip: Option<&str>) {
        let now = now_ms();
        let mut map = self.failures.lock().expect("throttle lock");
        for (key, _) in keys(username, ip) {
            let entry = map.entry(key).or_insert((0, now));
            if now - entry.1 >= WINDOW_MS {
                *entry = (0, now);
            }
            entry.0 += 1;
        }
        // Forget old windows so the map stays small.
        if map.len() > 10_000 {
            map.retain(|_, (_, since)| now - *since < WINDOW_MS);
        }
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn succeeded(&self, username: &str) {
        let mut map = self.failures.lock().expect("throttle lock");
        map.remove(&format!("user:{}", username.trim().to_lowercase()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_an_account_after_repeated_failures() {
        let t = Throttle::default();
        for _ in 0..PER_ACCOUNT {
            assert!(t.check("Lin", Some("10.0.0.1")).is_ok());
            t.failed("Lin", Some("10.0.0.1"));
        }
        assert!(t.check("lin", Some("10.0.0.2")).is_err(), "per account, whatever the address");
        assert!(t.check("wang", Some("10.0.0.1")).is_ok(), "the address is not locked yet");
        t.succeeded("lin");
        assert!(t.check("lin", None).is_ok());
    }

    #[test]
    fn locks_an_address_after_many_accounts_fail() {
        let t = Throttle::default();
        for i in 0..PER_ADDRESS {
            t.failed(&format!("user{i}"), Some("10.0.0.9"));
        }
        assert!(t.check("someone", Some("10.0.0.9")).is_err());
        assert!(t.check("someone", Some("10.0.0.8")).is_ok());
    }
}
