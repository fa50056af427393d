//! What every capability's pages and API share at the edge of the app.

pub mod download;
pub mod headers;
pub mod input;
