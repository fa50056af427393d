//! Store errors: not found, conflicts a user can fix, invalid input, and
//! database failures an operator must look at.

use qizhi_core::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found: {0}")]
    NotFound(String),
    /// A uniqueness or tree rule broken by the input (e.g. a duplicate code).
    #[error("{field}: {message}")]
    Conflict { field: String, message: String },
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        StoreError::Conflict { field: field.into(), message: message.into() }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        StoreError::NotFound(what.into())
    }
}

/// Turns a unique-constraint violation into a conflict on `field`.
pub(crate) fn unique_as(field: &'static str, message: String) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::conflict(field, message),
        _ => StoreError::Db(e),
    }
}
