//! Backup and restore of the embedded SQLite store (issue #5, MLPS 数据备份恢复).
//!
//! A backup is a consistent online snapshot (`VACUUM INTO`), taken while the server runs. A
//! restore replaces the store's file with a backup (the server must be stopped) and then writes an
//! audit record saying from which backup and when; that record continues the restored chain, so
//! the trail verifies after a restore. PostgreSQL deployments use `pg_dump` / `pg_restore`
//! (see README) and keep the same audit rule.

use std::path::Path;

use crate::audit::{self, Entry, Event, Who};
use crate::{Backend, DatabaseUrl, Store, StoreError};

/// Writes a consistent snapshot of a SQLite store to `dest` (which must not exist); audited.
///
/// # Errors
/// [`StoreError::BadUrl`] on PostgreSQL (use `pg_dump`); [`StoreError::Conflict`] when `dest`
/// exists; [`StoreError::Database`].
pub async fn backup(store: &Store, who: &Who, dest: &Path) -> Result<(), StoreError> {
    if store.backend() != Backend::Sqlite {
        return Err(StoreError::BadUrl(
            "backup of PostgreSQL: use pg_dump (see README)".into(),
        ));
    }
    if dest.exists() {
        return Err(StoreError::Conflict(format!(
            "{} exists already",
            dest.display()
        )));
    }
    let dest_text = dest.to_string_lossy().into_owned();
    // The backup's own record goes in first, so that the snapshot contains it.
    audit::record_alone(
        store,
        Entry {
            who,
            event: Event::BackupTaken,
            target_kind: crate::audit::Object::Backup.into(),
            target_id: dest_text.clone(),
            before: None,
            after: None,
            result: "ok",
        },
    )
    .await?;
    // VACUUM cannot run inside a transaction; the writer connection serializes it with writes.
    let mut conn = store.writer().acquire().await?;
    sqlx::query("VACUUM INTO $1")
        .bind(dest_text)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Replaces the SQLite store at `target` with the backup `from` and records the restore in the
/// restored trail. The server must not be running on `target`.
///
/// # Errors
/// [`StoreError::Unreachable`] when either file cannot be opened or copied; other store errors.
pub async fn restore(from: &Path, target: &DatabaseUrl, who: &Who) -> Result<(), StoreError> {
    let target_path = target.sqlite_path().ok_or_else(|| {
        StoreError::BadUrl("restore of PostgreSQL: use pg_restore (see README)".into())
    })?;
    // Check the backup opens as a store before touching the target.
    let probe = Store::open(&DatabaseUrl::parse(&format!(
        "sqlite://{}",
        from.display()
    ))?)
    .await?;
    let verified = audit::verify(&probe).await?;
    probe.close().await;
    let unreachable = |e: std::io::Error| StoreError::Unreachable {
        url: target.redacted(),
        reason: e.to_string(),
    };
    if let Some(dir) = target_path.parent() {
        std::fs::create_dir_all(dir).map_err(unreachable)?;
    }
    for suffix in ["-wal", "-shm"] {
        let side = format!("{}{suffix}", target_path.display());
        if Path::new(&side).exists() {
            std::fs::remove_file(&side).map_err(unreachable)?;
        }
    }
    std::fs::copy(from, &target_path).map_err(unreachable)?;
    let store = Store::open(target).await?;
    // The restore's record and its anchor in one transaction: the record is the new anchor.
    let mut tx = store.write().await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::Restored,
            target_kind: crate::audit::Object::Backup.into(),
            target_id: from.to_string_lossy().into_owned(),
            before: None,
            after: Some(serde_json::json!({
                "backup_trail": match verified {
                    audit::Verification::Intact { records } => format!("intact, {records} records"),
                    audit::Verification::Broken { seq, .. } => format!("broken at {seq}"),
                },
            })),
            result: "ok",
        },
    )
    .await?;
    audit::anchor::keep(&mut tx).await?;
    tx.commit().await?;
    store.close().await;
    Ok(())
}
