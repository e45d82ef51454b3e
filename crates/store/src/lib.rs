//! Persistence for safeduty: SQLite (embedded default) and PostgreSQL through one code path.
//!
//! The backend is chosen at run time from the URL (`sqlite://…` or `postgres://…`). Every query
//! above this crate's [`db`] module is the same SQL for both backends: `$N` placeholders, integers
//! as `BIGINT`/`INTEGER`, civil dates and instants as ISO-8601 text. What differs (connection
//! set-up, identity columns in the migrations) lives in [`db`] and `migrations/{sqlite,postgres}`.
//!
//! Writes go through [`Store::write`]: on SQLite a single writer connection with a busy timeout,
//! so concurrent requests wait instead of failing with "database is locked"; every write
//! transaction records its audit entry before it commits (see [`audit`]).

pub mod accounts;
pub mod assessments;
pub mod attachments;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod campaigns;
pub mod city;
pub mod commitments;
mod db;
pub mod demo;
pub mod enforcement;
pub mod error;
pub mod findings;
pub mod identity;
pub mod keys;
pub mod org;
pub mod paging;
pub mod personnel;
pub mod plan_drafts;
pub mod progress;
pub mod records;
pub mod reminders;
pub mod reports;
pub mod roster;
pub mod security_policy;
pub mod self_inspections;
pub mod sessions;
mod sql;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod unit_matters;
pub mod unit_measures;

pub use db::{Backend, DatabaseUrl, Tx};
pub use error::StoreError;

use sqlx::AnyPool;

/// A connected, migrated store.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
    reader: AnyPool,
    writer: AnyPool,
    /// Campaign templates parsed once per campaign ([`campaigns`]: a campaign's template never
    /// changes, and parsing it on every request cost more than the rest of a page's queries).
    templates: campaigns::TemplateCache,
}

impl Store {
    /// Connects to `url`, applies the embedded migrations, and returns the store.
    ///
    /// # Errors
    /// [`StoreError::Unreachable`] when the database cannot be opened, [`StoreError::Migration`]
    /// when a migration fails or an applied one was edited.
    pub async fn open(url: &DatabaseUrl) -> Result<Store, StoreError> {
        let (reader, writer) = db::connect(url).await?;
        let store = Store {
            backend: url.backend(),
            reader,
            writer,
            templates: campaigns::TemplateCache::default(),
        };
        db::migrate(&store.writer, store.backend).await?;
        audit::ensure_head(&store).await?;
        keys::backfill(&store).await?;
        Ok(store)
    }

    /// Refreshes the planner's statistics (`ANALYZE`, the same word on both databases), after
    /// writing many rows at once: planned from stale estimates, PostgreSQL read the city office's
    /// list of 50 000 enterprises in 41 s instead of 0.4 s.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn analyze(&self) -> Result<(), StoreError> {
        sqlx::query("ANALYZE").execute(&self.writer).await?;
        Ok(())
    }

    /// Which database runs.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The writer pool (one connection on SQLite).
    pub(crate) fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// The pool for reads.
    pub(crate) fn reader(&self) -> &AnyPool {
        &self.reader
    }

    /// Begins a write transaction on the writer connection.
    ///
    /// # Errors
    /// [`StoreError::Database`] when the transaction cannot begin.
    pub async fn write(&self) -> Result<Tx, StoreError> {
        Ok(self.writer.begin().await?)
    }

    /// Closes the pools.
    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

/// The current instant in UTC in the canonical stored form `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
pub fn now_text() -> String {
    instant(chrono::Utc::now())
}

/// An instant in the stored form (UTC, microseconds, fixed width: sorts and compares as text on
/// both backends), as [`now_text`] writes it.
pub fn instant(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// A new random public identifier (UUID v4, simple form): reveals neither counts nor order.
pub fn new_public_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Whether `s` has the form of a public identifier (32 lower-case hex digits). Anything else is
/// answered "not found" without a query.
pub fn is_public_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
