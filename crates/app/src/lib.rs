//! Qizhi's application layer: what the web pages, the API and the `qizhi`
//! command do alike without HTTP — ledgers (台账) in and out of
//! spreadsheets, password hashing and secret tokens. It stands on the store
//! and the sheet crates; the web and the CLI both stand on it.

pub mod ledgers;
pub mod password;
pub mod token;
