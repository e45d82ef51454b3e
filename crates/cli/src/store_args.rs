//! The store options every command that touches the store takes.

use std::path::{Path, PathBuf};

use clap::Args;
use safeduty_store::{DatabaseUrl, StoreError};

/// `--data DIR` and `--database-url URL`; `--database-url` wins over `DATABASE_URL`, which wins
/// over the data directory's SQLite file (`DIR/safeduty.db`, created on first run).
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Data directory: holds the SQLite database and attachments [default: ./data].
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Database URL (`sqlite://PATH` of an existing file, or `postgres://…`); overrides the data
    /// directory's database. Also read from `DATABASE_URL`.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

impl StoreArgs {
    /// The database URL these options select; the data directory's store is created on first
    /// use (for `serve`).
    ///
    /// # Errors
    /// [`StoreError::BadUrl`] for an unsupported scheme.
    pub fn url(&self) -> Result<DatabaseUrl, StoreError> {
        self.select(DatabaseUrl::in_data_dir)
    }

    /// The database URL these options select, which must name an existing store (every command
    /// but `serve`: a mistyped `--data` is an error, not a new empty store).
    ///
    /// # Errors
    /// [`StoreError::BadUrl`] for an unsupported scheme.
    pub fn existing_url(&self) -> Result<DatabaseUrl, StoreError> {
        self.select(DatabaseUrl::existing_in_data_dir)
    }

    fn select(&self, in_dir: fn(&Path) -> DatabaseUrl) -> Result<DatabaseUrl, StoreError> {
        match self.database_url.as_deref().map(str::trim) {
            Some(u) if !u.is_empty() => DatabaseUrl::parse(u),
            _ => Ok(in_dir(self.data.as_deref().unwrap_or(Path::new("./data")))),
        }
    }

    /// Whether a store was named (`--data`, `--database-url` or `DATABASE_URL`); commands that can
    /// work without a store use it only then.
    pub fn given(&self) -> bool {
        self.data.is_some()
            || self
                .database_url
                .as_deref()
                .is_some_and(|u| !u.trim().is_empty())
    }
}
