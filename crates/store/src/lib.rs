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
pub mod charts;
pub mod city;
pub mod commitments;
mod db;
pub mod demo;
pub mod enforcement;
pub mod error;
pub mod findings;
pub mod group;
pub mod identity;
pub mod keys;
pub mod org;
pub mod paging;
pub mod personnel;
pub mod plan_drafts;
pub mod progress;
pub mod records;
pub mod reminders;
pub mod report_figures;
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
    /// The writer task that groups writes into shared transactions ([`group`]), when on.
    group: Option<group::GroupCommit>,
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
            group: None,
        };
        db::migrate(&store.writer, store.backend).await?;
        audit::ensure_head(&store).await?;
        keys::backfill(&store).await?;
        Ok(match store.backend {
            Backend::Sqlite => store.with_group_commit(),
            Backend::Postgres => store,
        })
    }

    /// The same store with group commit on ([`group`]): the writes sent through
    /// [`Store::grouped`] share transactions through one writer task. On by default on SQLite;
    /// on PostgreSQL for tests and deployments that want it (see [`group`] for why it is off).
    #[must_use]
    pub fn with_group_commit(self) -> Store {
        Store {
            group: Some(group::GroupCommit::new(self.writer.clone(), self.backend)),
            ..self
        }
    }

    /// What the group-commit writer has done so far (all zero when it is off).
    pub fn group_stats(&self) -> group::GroupStats {
        self.group
            .as_ref()
            .map(group::GroupCommit::stats)
            .unwrap_or_default()
    }

    /// Holds the group-commit writer before its next group until the guard is dropped, so that
    /// a test can line writes up into one group (`None` when group commit is off).
    #[cfg(feature = "test-support")]
    pub async fn hold_group_writer(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match &self.group {
            Some(g) => Some(g.hold().await),
            None => None,
        }
    }

    /// Writes waiting for the group-commit writer (0 when it is off), for tests that line writes
    /// up behind a held writer connection.
    pub fn group_queued(&self) -> usize {
        self.group.as_ref().map_or(0, group::GroupCommit::queued)
    }

    /// Runs `work` inside a write transaction and returns its result once that transaction has
    /// committed. With group commit on, `work` shares a transaction with the writes queued beside
    /// it, under a savepoint of its own (an error rolls back its own changes only, and is
    /// returned); otherwise it runs in a transaction of its own. `work` must not commit or roll
    /// back `tx`.
    ///
    /// # Errors
    /// The error of `work` (nothing of it kept); [`StoreError::Database`] when the transaction
    /// cannot begin or commit (nothing of it kept).
    pub async fn grouped<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx) -> futures::future::BoxFuture<'t, Result<T, StoreError>>
            + Send
            + 'static,
    {
        if let Some(g) = &self.group {
            return g.run(work).await;
        }
        let mut tx = self.write().await?;
        let out = work(&mut tx).await?;
        tx.commit().await?;
        Ok(out)
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

    /// Begins a write transaction on the writer connection (on SQLite `BEGIN IMMEDIATE`: the
    /// write lock is taken at the start, so that another process writing the same file, such as
    /// the command line beside a running server, makes it wait on the busy timeout rather than
    /// fail with "database is locked" when it reads, then writes).
    ///
    /// # Errors
    /// [`StoreError::Database`] when the transaction cannot begin.
    pub async fn write(&self) -> Result<Tx, StoreError> {
        Ok(db::begin_write(&self.writer, self.backend).await?)
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
