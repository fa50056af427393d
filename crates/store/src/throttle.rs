//! Counts of failed sign-ins per key within a window (see the web crate's
//! throttling rules for what the keys are and what the limits mean).

use sqlx::Row;

use crate::{Store, StoreResult};

impl Store {
    /// The failures counted under `key` since `window_start`, with the time
    /// the count began; `None` when there are none in the window.
    pub async fn login_failures(&self, key: &str, window_start: i64) -> StoreResult<Option<(u32, i64)>> {
        let row = sqlx::query("SELECT failures, since FROM login_failures WHERE key = $1 AND since >= $2")
            .bind(key)
            .bind(window_start)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Some((u32::try_from(r.try_get::<i64, _>(0)?).unwrap_or(u32::MAX), r.try_get(1)?)),
            None => None,
        })
    }

    /// Counts one failure under each key; a count older than `window_start`
    /// starts again at one. Counts that left the window are forgotten.
    pub async fn count_login_failure(&self, keys: &[String], now: i64, window_start: i64) -> StoreResult<()> {
        let mut tx = self.write().await?;
        for key in keys {
            sqlx::query(
                "INSERT INTO login_failures (key, failures, since) VALUES ($1, 1, $2) \
                 ON CONFLICT (key) DO UPDATE SET \
                 failures = CASE WHEN login_failures.since < $3 THEN 1 ELSE login_failures.failures + 1 END, \
                 since = CASE WHEN login_failures.since < $3 THEN $2 ELSE login_failures.since END",
            )
            .bind(key)
            .bind(now)
            .bind(window_start)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM login_failures WHERE since < $1").bind(window_start).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets the failures counted under `key`.
    pub async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(&self.pool).await?;
        Ok(())
    }
}
