//! Qizhi's domain model: the records party-affairs workers keep, the rules
//! that make a record valid, and the figures computed from them.
//!
//! Nothing here knows SQL or HTTP. The store persists what this crate
//! decides; the web and CLI crates present it.
//!
//! Each capability is a folder (`org`, `brand`, `stars`, `tasks`, `recognition`) with its
//! records and rules in `mod.rs` and what it contributes to the figures in
//! `rollup.rs` (its counters, figure definitions and contribution
//! functions); `figures` gathers the catalogue and computes figures.

pub mod access;
pub mod brand;
pub mod date;
pub mod error;
pub mod figures;
pub mod file;
pub mod ids;
pub mod org;
pub mod recognition;
pub mod stars;
pub mod tasks;
pub mod text;

pub use error::{FieldError, Invalid};
pub use org::{grid, person};
pub use tasks::{commitments, teams};
