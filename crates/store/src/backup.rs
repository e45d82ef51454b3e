//! Backup and restore of the embedded SQLite store (issue #5, MLPS 数据备份恢复).
//!
//! A backup is a consistent online snapshot (`VACUUM INTO`), taken while the server runs. A
//! restore replaces the store's file with a backup (the server must be stopped) and then writes an
//! audit record saying from which backup and when; that record continues the restored chain, so
//! the trail verifies after a restore. PostgreSQL deployments use `pg_dump` / `pg_restore`
//! (see README) and keep the same audit rule.

use std::path::Path;

use sqlx::Row;

use crate::audit::{self, Entry, Event, Verification, Who};
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

/// The run lock of a SQLite store: an exclusive lock on the file `<database file>.lock`, held by
/// `safeduty serve` for as long as it runs and by [`restore`] while it replaces the file, so that
/// a restore never overwrites a store a server has open (that leaves it malformed) and a second
/// server never opens the same file. The operating system releases the lock when the process
/// ends, however it ends (a `kill -9` included). Released when dropped.
#[derive(Debug)]
pub struct RunLock {
    _file: std::fs::File,
}

/// Takes the run lock of the store at `url` (nothing to take on PostgreSQL: `Ok(None)`).
///
/// # Errors
/// [`StoreError::Conflict`] when another process holds it (a server runs on the store);
/// [`StoreError::Unreachable`] when the lock file cannot be created.
pub fn run_lock(url: &DatabaseUrl) -> Result<Option<RunLock>, StoreError> {
    let Some(db) = url.sqlite_path() else {
        return Ok(None);
    };
    let path = std::path::PathBuf::from(format!("{}.lock", db.display()));
    let unreachable = |e: std::io::Error| StoreError::Unreachable {
        url: url.redacted(),
        reason: format!("cannot open the run lock {}: {e}", path.display()),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(unreachable)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(unreachable)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(RunLock { _file: file })),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Conflict(format!(
            "the store {} is in use by another process (a running `safeduty serve`?): stop it first",
            db.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(unreachable(e)),
    }
}

/// What [`restore`] may accept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RestoreOptions {
    /// Restore a snapshot whose audit trail does not verify (the operator's explicit choice,
    /// `--accept-broken-trail`); the restore's record says so.
    pub accept_broken_trail: bool,
}

/// What [`restore`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restored {
    /// The store was replaced by the snapshot.
    Done {
        /// Records in the snapshot's trail.
        snapshot_records: i64,
        /// Records of the replaced store's trail that the snapshot does not hold (written after
        /// the snapshot was taken, or on another history): dropped by the restore, and counted
        /// in the restore's own audit record ([`rollbacks`]).
        dropped_records: i64,
    },
    /// The snapshot's trail does not verify and [`RestoreOptions::accept_broken_trail`] was
    /// not given: nothing was touched.
    Refused(Verification),
}

/// A restore that dropped records, as its audit record tells it (see [`rollbacks`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollback {
    /// The restore's record.
    pub seq: i64,
    /// Its time (UTC).
    pub at: String,
    /// The snapshot restored.
    pub snapshot: String,
    /// How many records of the replaced trail were dropped.
    pub dropped_records: i64,
    /// The newest record of the replaced trail: its sequence number.
    pub replaced_head_seq: i64,
}

/// The newest record of a trail and how to find where two trails part.
struct TrailEnd {
    seq: i64,
    at: String,
    hash: String,
}

async fn trail_end(store: &Store) -> Result<Option<TrailEnd>, StoreError> {
    let row = sqlx::query("SELECT seq, at, hash FROM audit_records ORDER BY seq DESC LIMIT 1")
        .fetch_optional(store.reader())
        .await?;
    row.map(|r| {
        Ok(TrailEnd {
            seq: r.try_get("seq")?,
            at: r.try_get("at")?,
            hash: r.try_get("hash")?,
        })
    })
    .transpose()
}

async fn hash_at(store: &Store, seq: i64) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT hash FROM audit_records WHERE seq = $1")
            .bind(seq)
            .fetch_optional(store.reader())
            .await?,
    )
}

/// How many leading records two trails share: the largest `k` with the same hash at `k` in
/// both (a record's hash covers all before it, so shared records form a prefix), found by
/// bisection in O(log n) lookups.
async fn shared_prefix(a: &Store, b: &Store, upto: i64) -> Result<i64, StoreError> {
    let (mut lo, mut hi) = (0i64, upto);
    while lo < hi {
        let mid = lo + (hi - lo + 1) / 2;
        let same = match (hash_at(a, mid).await?, hash_at(b, mid).await?) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        };
        if same {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok(lo)
}

/// Replaces the SQLite store at `target` with the backup `from` and records the restore in the
/// restored trail. The server must not be running on `target`.
///
/// The snapshot's trail is verified first: a broken one is refused ([`Restored::Refused`],
/// nothing touched) unless `options` accept it. When `target` holds a store already, the
/// records of its trail that the snapshot lacks are counted, and the restore's audit record
/// carries that count and the replaced trail's newest record, so that `audit verify` can report
/// the rollback from the trail alone ([`rollbacks`]) — without it, restoring an older snapshot
/// would silently drop the newer records and still verify.
///
/// # Errors
/// [`StoreError::Conflict`] when a server runs on the target ([`run_lock`]);
/// [`StoreError::Unreachable`] when either file cannot be opened or copied; other store errors.
pub async fn restore(
    from: &Path,
    target: &DatabaseUrl,
    who: &Who,
    options: RestoreOptions,
) -> Result<Restored, StoreError> {
    let target_path = target.sqlite_path().ok_or_else(|| {
        StoreError::BadUrl("restore of PostgreSQL: use pg_restore (see README)".into())
    })?;
    // Check the backup opens as a store, and its trail, before touching the target. Every store
    // opened here is closed on every path (an open pool outlives its runtime badly).
    let probe = Store::open(&DatabaseUrl::parse(&format!(
        "sqlite://{}",
        from.display()
    ))?)
    .await?;
    let probed = async {
        let verified = audit::verify(&probe).await?;
        let snapshot_records = trail_end(&probe).await?.map_or(0, |e| e.seq);
        let replaced = if target_path.exists() {
            let current = Store::open(&DatabaseUrl::parse(&format!(
                "sqlite://{}",
                target_path.display()
            ))?)
            .await?;
            let compared = async {
                let end = trail_end(&current).await?;
                Ok::<_, StoreError>(match end {
                    Some(end) => {
                        let upto = end.seq.min(snapshot_records);
                        let shared = shared_prefix(&probe, &current, upto).await?;
                        Some((end.seq - shared, end))
                    }
                    None => None,
                })
            }
            .await;
            current.close().await;
            compared?
        } else {
            None
        };
        Ok::<_, StoreError>((verified, snapshot_records, replaced))
    }
    .await;
    probe.close().await;
    let (verified, snapshot_records, replaced) = probed?;
    let backup_trail = match &verified {
        audit::Verification::Intact { records } => format!("intact, {records} records"),
        audit::Verification::Broken { seq, .. } if options.accept_broken_trail => {
            format!("broken at {seq}, accepted by the operator")
        }
        audit::Verification::Broken { .. } => return Ok(Restored::Refused(verified)),
    };
    // No server may have the target open while its file is replaced, nor start meanwhile.
    let _held = run_lock(target)?;
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
    let dropped_records = replaced.as_ref().map_or(0, |(dropped, _)| *dropped);
    let replaced_head = replaced
        .as_ref()
        .map(|(_, end)| serde_json::json!({ "seq": end.seq, "at": end.at, "hash": end.hash }));
    let store = Store::open(target).await?;
    let recorded = async {
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
                    "backup_trail": backup_trail,
                    "snapshot_records": snapshot_records,
                    "dropped_records": dropped_records,
                    "replaced_head": replaced_head,
                })),
                result: "ok",
            },
        )
        .await?;
        audit::anchor::keep(&mut tx).await?;
        tx.commit().await?;
        Ok::<_, StoreError>(())
    }
    .await;
    store.close().await;
    recorded?;
    Ok(Restored::Done {
        snapshot_records,
        dropped_records,
    })
}

/// The restores recorded in the trail that dropped records, oldest first: read from the
/// restores' own audit records (which the chain protects), so a rollback shows without an
/// off-site anchor.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn rollbacks(store: &Store) -> Result<Vec<Rollback>, StoreError> {
    let rows = sqlx::query(
        "SELECT seq, at, target_id, after_state FROM audit_records WHERE event = $1 ORDER BY seq",
    )
    .bind(Event::Restored.code())
    .fetch_all(store.reader())
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let after: Option<String> = r.try_get("after_state")?;
        let after: serde_json::Value = after
            .as_deref()
            .and_then(|a| serde_json::from_str(a).ok())
            .unwrap_or_default();
        let dropped = after["dropped_records"].as_i64().unwrap_or(0);
        if dropped > 0 {
            out.push(Rollback {
                seq: r.try_get("seq")?,
                at: r.try_get("at")?,
                snapshot: r.try_get("target_id")?,
                dropped_records: dropped,
                replaced_head_seq: after["replaced_head"]["seq"].as_i64().unwrap_or(0),
            });
        }
    }
    Ok(out)
}
