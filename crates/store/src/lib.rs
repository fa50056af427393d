//! Qizhi's persistence. One SQL code path serves SQLite (the embedded
//! default) and PostgreSQL (the path to scale) through sqlx's `Any` driver:
//! portable SQL with `$n` placeholders, dates as ISO text, times as epoch
//! milliseconds, booleans as 0/1. The backend is branched on in `db.rs` only.
//!
//! Every write that changes what a figure counts also changes the rollup
//! (`rollup.rs`) in the same transaction, so figures are exact after every
//! write and cost one small read whatever the size of the subtree.

pub mod audit;
pub mod brands;
mod db;
mod error;
pub mod files;
pub mod grids;
pub mod load;
pub mod page;
pub mod people;
pub mod recognition;
pub mod rollup;
mod rows;
pub mod scope;
mod search;
mod settings;
pub mod stars;
pub mod tasks;
mod throttle;
pub mod units;
pub mod users;

pub use brands::{honors, load as brand_load, standards};
pub use db::{Backend, Store, Tx, migrator, redact};
pub use error::{StoreError, StoreResult};
pub use page::{MAX_PER_PAGE, Page};
pub use scope::Scope;
pub use tasks::{commitments, fortresses, load as tasks_load, teams};

/// Milliseconds since the Unix epoch, the time format of every table, read
/// from the clock that dates every day.
pub fn now_ms() -> i64 {
    (qizhi_core::date::now().unix_timestamp_nanos() / 1_000_000) as i64
}
