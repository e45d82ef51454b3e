//! The store options every command that touches the store takes.

use std::path::PathBuf;

use clap::Args;

/// `--data DIR` and `--database-url URL`; `--database-url` wins over `DATABASE_URL`, which wins
/// over the data directory's SQLite file.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Data directory: holds the SQLite database and attachments.
    #[arg(long, default_value = "./data")]
    pub data: PathBuf,
    /// Database URL (`sqlite://…` or `postgres://…`); overrides the data directory's database.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
}
