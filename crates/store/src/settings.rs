//! Settings of the whole installation, kept in the database so every
//! instance of the server reads the same.

use sqlx::Row;

use crate::{Store, StoreResult};

const REPORTING_YEAR: &str = "reporting_year";

impl Store {
    /// The current reporting year: the pinned one, else the rule of
    /// `qizhi_core::date::reporting_year` on today.
    pub async fn reporting_year(&self) -> StoreResult<i32> {
        Ok(self
            .pinned_reporting_year()
            .await?
            .unwrap_or_else(|| qizhi_core::date::reporting_year(qizhi_core::date::today())))
    }

    /// The reporting year an operator pinned, if any.
    pub async fn pinned_reporting_year(&self) -> StoreResult<Option<i32>> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(REPORTING_YEAR)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.and_then(|r| r.try_get::<String, _>(0).ok()).and_then(|v| v.parse().ok()))
    }

    /// Pins the reporting year, or with `None` goes back to the rule.
    pub async fn pin_reporting_year(&self, year: Option<i32>) -> StoreResult<()> {
        match year {
            Some(y) => {
                sqlx::query(
                    "INSERT INTO settings (key, value) VALUES ($1, $2) \
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                )
                .bind(REPORTING_YEAR)
                .bind(y.to_string())
                .execute(&self.pool)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM settings WHERE key = $1").bind(REPORTING_YEAR).execute(&self.pool).await?;
            }
        }
        Ok(())
    }
}
