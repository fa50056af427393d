//! What every capability's pages and API share at the edge of the app.

pub mod again;
pub mod csrf;
pub mod download;
pub mod error_page;
pub mod filter;
pub mod flash;
pub mod form;
pub mod headers;
pub mod input;
pub mod period;
