//! Everything that differs between SQLite and PostgreSQL: URL handling, connection set-up and
//! the migration sets. Nothing above this module knows which backend runs.

use std::borrow::Cow;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};

use crate::StoreError;

/// A write transaction.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// The two supported backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite: one file under the data directory.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A checked database URL.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    url: String,
    backend: Backend,
    /// For SQLite: whether a missing file may be created (only the data directory's default).
    create: bool,
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry a password: show it redacted.
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

impl DatabaseUrl {
    /// Parses a URL given by the user. `sqlite://PATH` must name an existing file (a mistyped path
    /// never silently creates an empty database); `postgres://` and `postgresql://` are accepted.
    ///
    /// # Errors
    /// [`StoreError::BadUrl`] for any other scheme, with the URL (password redacted).
    pub fn parse(url: &str) -> Result<DatabaseUrl, StoreError> {
        let url = url.trim();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::BadUrl(format!(
                "unsupported database URL {:?}: expected sqlite://PATH or postgres://…",
                redact(url)
            )));
        };
        Ok(DatabaseUrl {
            url: url.to_string(),
            backend,
            create: false,
        })
    }

    /// The default database of a data directory: `DIR/safeduty.db`, created (with the directory)
    /// on first use.
    pub fn in_data_dir(dir: &Path) -> DatabaseUrl {
        let file: PathBuf = dir.join("safeduty.db");
        DatabaseUrl {
            url: format!("sqlite://{}", file.display()),
            backend: Backend::Sqlite,
            create: true,
        }
    }

    /// The database of a data directory that must exist already (commands other than `serve`
    /// never create a store: a mistyped directory is an error, not a new empty store).
    pub fn existing_in_data_dir(dir: &Path) -> DatabaseUrl {
        DatabaseUrl {
            create: false,
            ..DatabaseUrl::in_data_dir(dir)
        }
    }

    /// The same URL, allowed to create a missing SQLite file (for a restore into a new place).
    pub fn creating(self) -> DatabaseUrl {
        DatabaseUrl {
            create: true,
            ..self
        }
    }

    /// The file of a SQLite URL (`None` for PostgreSQL).
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        if self.backend != Backend::Sqlite {
            return None;
        }
        let rest = self
            .url
            .strip_prefix("sqlite://")
            .or_else(|| self.url.strip_prefix("sqlite:"))?;
        Some(PathBuf::from(rest.split('?').next().unwrap_or_default()))
    }

    /// Which backend the URL selects.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL with any password replaced by `***`, for messages and logs.
    pub fn redacted(&self) -> String {
        redact(&self.url)
    }

    /// The URL as given (may contain a password; do not log).
    pub fn as_str(&self) -> &str {
        &self.url
    }
}

fn redact(url: &str) -> String {
    // scheme://user:password@host → scheme://user:***@host
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((creds, host)) = rest.split_once('@')
        && let Some((user, _)) = creds.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

/// Opens the reader and writer pools. On SQLite the writer is one connection (one writer at a
/// time, others wait on the pool and on `busy_timeout`), in WAL mode with `synchronous=FULL` so
/// that a commit is durable when it is acknowledged; foreign keys are enforced.
pub(crate) async fn connect(url: &DatabaseUrl) -> Result<(AnyPool, AnyPool), StoreError> {
    sqlx::any::install_default_drivers();
    let unreachable = |e: sqlx::Error| StoreError::Unreachable {
        url: url.redacted(),
        reason: e.to_string(),
    };
    match url.backend {
        Backend::Sqlite => {
            let file_buf = url.sqlite_path().unwrap_or_default();
            let file = file_buf.as_path();
            let path = file.display().to_string();
            if url.create {
                if let Some(dir) = file.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| StoreError::Unreachable {
                        url: url.redacted(),
                        reason: format!("cannot create data directory {}: {e}", dir.display()),
                    })?;
                }
            } else if !file.exists() {
                return Err(StoreError::Unreachable {
                    url: url.redacted(),
                    reason: format!(
                        "SQLite file {} does not exist (`safeduty serve --data DIR` creates a new store)",
                        file.display()
                    ),
                });
            }
            let opts = AnyConnectOptions::from_str(&format!("sqlite://{path}?mode=rwc"))
                .map_err(unreachable)?;
            let writer = AnyPoolOptions::new()
                .max_connections(1)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(sqlite_pragmas)
                .connect_with(opts.clone())
                .await
                .map_err(unreachable)?;
            let reader = AnyPoolOptions::new()
                .max_connections(4)
                .after_connect(sqlite_pragmas)
                .connect_with(opts)
                .await
                .map_err(unreachable)?;
            Ok((reader, writer))
        }
        Backend::Postgres => {
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(&url.url)
                .await
                .map_err(unreachable)?;
            Ok((pool.clone(), pool))
        }
    }
}

/// Begins a write transaction on `pool`: `BEGIN IMMEDIATE` on SQLite, which takes the write lock
/// at once and so waits on the busy timeout for another process's writer (a deferred `BEGIN`
/// that reads first fails at its first write with "database is locked" when another connection
/// committed meanwhile, and no timeout helps it); a plain `BEGIN` on PostgreSQL.
pub(crate) async fn begin_write(pool: &AnyPool, backend: Backend) -> Result<Tx, sqlx::Error> {
    match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => pool.begin().await,
    }
}

/// Per-connection SQLite settings: WAL, durable commits, foreign keys, a busy timeout.
fn sqlite_pragmas(
    conn: &mut sqlx::AnyConnection,
    _meta: sqlx::pool::PoolConnectionMetadata,
) -> Pin<Box<dyn Future<Output = Result<(), sqlx::Error>> + Send + '_>> {
    Box::pin(async move {
        conn.execute(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
        )
        .await?;
        Ok(())
    })
}

/// The embedded migrations of one backend, in order. An applied migration is never edited:
/// sqlx refuses to start when a checksum differs.
pub(crate) fn migrations(backend: Backend) -> Vec<(i64, &'static str, &'static str)> {
    // One list of (version, file stem) for both backends; each backend has its own SQL file.
    macro_rules! migrations {
        ($dir:literal) => {
            migrations!(@ $dir; (1, "0001_init"), (2, "0002_calendar"), (3, "0003_reports"),
                (4, "0004_reminders"), (5, "0005_deliveries"), (6, "0006_finding_rule"), (7, "0007_roster"), (8, "0008_identity"), (9, "0009_admin"), (10, "0010_attachments"), (11, "0011_findings_ledger"), (12, "0012_records"), (13, "0013_personnel"), (14, "0014_commitments"), (15, "0015_plan_drafts"), (16, "0016_audit_anchor"), (17, "0017_enforcement"), (18, "0018_inspection_plans"), (19, "0019_login_failures"), (20, "0020_role_grants"), (21, "0021_inspection_violations"), (22, "0022_cases"), (23, "0023_case_exposures"), (24, "0024_hearing_thresholds"), (25, "0025_dishonesty_listings"), (26, "0026_unit_measures"), (27, "0027_unit_matters"), (28, "0028_unit_assessments"), (29, "0029_acceptances"), (30, "0030_finding_close_out"), (31, "0031_report_documents"), (32, "0032_commitment_signing_codes"), (33, "0033_list_keys"), (34, "0034_report_drafts"))
        };
        (@ $dir:literal; $(($version:literal, $stem:literal)),*) => {
            vec![$(($version, $stem, include_str!(concat!("../migrations/", $dir, "/", $stem, ".sql")))),*]
        };
    }
    match backend {
        Backend::Sqlite => migrations!("sqlite"),
        Backend::Postgres => migrations!("postgres"),
    }
}

/// Applies the embedded migrations that are not applied yet.
pub(crate) async fn migrate(pool: &AnyPool, backend: Backend) -> Result<(), StoreError> {
    let migrator = Migrator {
        migrations: Cow::Owned(
            migrations(backend)
                .into_iter()
                .map(|(version, name, sql)| {
                    Migration::new(
                        version,
                        Cow::Borrowed(name),
                        MigrationType::Simple,
                        sqlx::SqlStr::from_static(sql),
                        false,
                    )
                })
                .collect(),
        ),
        ..Migrator::DEFAULT
    };
    migrator
        .run(pool)
        .await
        .map_err(|e| StoreError::Migration(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_and_redacted() {
        assert_eq!(
            DatabaseUrl::parse("postgres://u:secret@h/db")
                .unwrap()
                .redacted(),
            "postgres://u:***@h/db"
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db").unwrap().backend(),
            Backend::Sqlite
        );
        let err = DatabaseUrl::parse("mysql://u:pw@h/db")
            .unwrap_err()
            .to_string();
        assert!(err.contains("mysql://u:***@h/db"), "{err}");
        assert!(!err.contains("pw"));
    }
}
