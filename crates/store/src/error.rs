//! The store's error type.

use safeduty_core::refusal::Refusal;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is not one we accept.
    #[error("{0}")]
    BadUrl(String),
    /// The database cannot be reached or opened.
    #[error("database {url} is unreachable: {reason}")]
    Unreachable {
        /// The URL, password redacted.
        url: String,
        /// Why.
        reason: String,
    },
    /// A migration failed, or an applied migration differs from the embedded one.
    #[error("migration failed: {0}")]
    Migration(String),
    /// The record does not exist (or lies outside the caller's scope).
    #[error("not found")]
    NotFound,
    /// A conflicting write: a duplicate key or a stale version.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The domain refused the change (any loop's reasons, [`safeduty_core::refusal`]); nothing
    /// was written.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The attachment blob store failed (I/O), or a blob no longer matches its hash.
    #[error("attachment storage: {0}")]
    Blob(String),
    /// Stored data that cannot be read back (e.g. an unknown status code).
    #[error("corrupt data: {0}")]
    Corrupt(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Conflict`], other errors unchanged.
    pub(crate) fn from_write(e: sqlx::Error, what: &str) -> StoreError {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            return StoreError::Conflict(what.to_string());
        }
        StoreError::Database(e)
    }
}
