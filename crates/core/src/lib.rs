//! Qizhi's domain model: the records party-affairs workers keep, the rules
//! that make a record valid, and the figures computed from them.
//!
//! Nothing here knows SQL or HTTP. The store persists what this crate
//! decides; the web and CLI crates present it.

pub mod access;
pub mod brand;
pub mod commitments;
pub mod date;
pub mod error;
pub mod figures;
pub mod file;
pub mod grid;
pub mod ids;
pub mod org;
pub mod person;
// stars
pub mod stars;
pub mod tasks;
pub mod teams;
pub mod text;

pub use error::{FieldError, Invalid};
