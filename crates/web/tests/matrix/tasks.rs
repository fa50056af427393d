//! The permission matrix of the tasks routes. See `main.rs` for the columns,
//! targets and outcomes.

use crate::Row;
use crate::common::*;

#[rustfmt::skip]
pub const MATRIX: &str = "
# method path                                   target  admin  unit_admin reviewer member viewer anonymous
";

/// The request a role makes for a row of this area, or `None` for rows of other areas.
pub async fn request(_w: &World, _row: &Row, _role: &str, _session: Option<&Session>) -> Option<Req> {
    None
}
