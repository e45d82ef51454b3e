//! Test support: a fresh, migrated store per test on every backend (CONVENTIONS.md 4–5).
//!
//! SQLite always runs, in a temporary directory. PostgreSQL runs when
//! `SAFEDUTY_TEST_DATABASE_URL` is set: each test creates its own database from that server and
//! drops it afterwards. When `CI=true`, a missing or unreachable URL fails the test instead of
//! skipping PostgreSQL.

use crate::{DatabaseUrl, Store};

/// A store for one test on one backend.
pub struct TestDb {
    /// The store.
    pub store: Store,
    /// `sqlite` or `postgres`, for assertion messages.
    pub backend: &'static str,
    /// An attachment blob store of its own, in a temporary directory.
    pub blobs: std::sync::Arc<crate::attachments::LocalDisk>,
    _blob_dir: tempfile::TempDir,
    /// The store's URL, for tests that start the `safeduty` binary on the same database.
    url: DatabaseUrl,
    /// For PostgreSQL: the server URL and the database to drop.
    pg: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// Closes the store; dropping the value then drops the PostgreSQL database.
    pub async fn cleanup(self) {
        self.store.close().await;
    }

    /// The store's URL (may carry a password: do not log it).
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }
}

impl Drop for TestDb {
    /// Drops the PostgreSQL database, also when a test panicked. Runs on a thread of its own with
    /// its own runtime, since `drop` cannot await.
    fn drop(&mut self) {
        let Some((admin, name)) = self.pg.take() else {
            return;
        };
        let dropper = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                if let Ok(pool) = sqlx::AnyPool::connect(&admin).await {
                    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await;
                    pool.close().await;
                }
            });
        });
        let _ = dropper.join();
    }
}

/// A blob store in a temporary directory, and the directory.
fn blob_dir() -> (
    std::sync::Arc<crate::attachments::LocalDisk>,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().expect("temp dir");
    let blobs = std::sync::Arc::new(crate::attachments::LocalDisk::new(dir.path()));
    (blobs, dir)
}

/// A fresh SQLite store in a temporary directory.
///
/// # Panics
/// When the store cannot be opened.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = DatabaseUrl::in_data_dir(dir.path());
    let store = Store::open(&url).await.expect("open SQLite store");
    let (blobs, _blob_dir) = blob_dir();
    TestDb {
        store,
        url,
        backend: "sqlite",
        pg: None,
        _dir: Some(dir),
        blobs,
        _blob_dir,
    }
}

/// A fresh PostgreSQL store, or `None` when `SAFEDUTY_TEST_DATABASE_URL` is unset outside CI.
///
/// # Panics
/// In CI (`CI=true`) when the URL is unset; whenever the server cannot be reached.
pub async fn postgres() -> Option<TestDb> {
    let url = match std::env::var("SAFEDUTY_TEST_DATABASE_URL") {
        Ok(u) if !u.trim().is_empty() => u,
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but SAFEDUTY_TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI"
            );
            return None;
        }
    };
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at SAFEDUTY_TEST_DATABASE_URL unreachable: {e}"));
    let name = format!("safeduty_test_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&admin)
        .await
        .expect("create test database");
    admin.close().await;
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b.to_string(), format!("?{q}")),
        None => (url.clone(), String::new()),
    };
    let server = base.rsplit_once('/').map_or(base.as_str(), |(s, _)| s);
    let db_url = format!("{server}/{name}{query}");
    let db_url = DatabaseUrl::parse(&db_url).expect("postgres URL");
    let store = Store::open(&db_url).await.expect("open PostgreSQL store");
    let (blobs, _blob_dir) = blob_dir();
    Some(TestDb {
        store,
        url: db_url,
        backend: "postgres",
        pg: Some((url, name)),
        _dir: None,
        blobs,
        _blob_dir,
    })
}

/// One fresh store per available backend: SQLite, then PostgreSQL when configured.
pub async fn backends() -> Vec<TestDb> {
    let mut out = vec![sqlite().await];
    out.extend(postgres().await);
    out
}

/// Runs one SQL statement directly, committed, bypassing the product: for tests that play
/// someone with write access to the database (tampering with the audit trail).
///
/// # Panics
/// When the statement fails.
pub async fn execute(store: &Store, sql: &str) {
    let mut tx = store.write().await.expect("write transaction");
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut *tx)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    tx.commit().await.expect("commit");
}

/// The migrations embedded in the binary for `backend`, in order: (version, file stem, SQL).
pub fn embedded_migrations(backend: crate::Backend) -> Vec<(i64, &'static str, &'static str)> {
    crate::db::migrations(backend)
}
