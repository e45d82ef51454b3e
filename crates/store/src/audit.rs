//! The audit trail: one record per change or security event, written in the same transaction as
//! the change, hash-chained so that an edit or deletion of history is detectable
//! (DESIGN.md §3 "Audit"; GB/T 22239-2019 level 3, security audit).
//!
//! Chain: `hash = SHA-256(prev_hash ␟ seq ␟ at ␟ actor ␟ role ␟ client ␟ event ␟ target_kind ␟
//! target_id ␟ before ␟ after ␟ result)` in lower-case hex (the fields are defined once, in
//! `hashed::HashedFields`, for writing and verifying); the first record's `prev_hash` is 64
//! zeros. The head row (`audit_head`, id 1) is updated in the same transaction: it serializes
//! writers on both backends without advisory locks.

use sqlx::Row;

use crate::{Store, StoreError, Tx, now_text};

pub mod anchor;
mod hashed;
mod registry;
pub mod search;
mod verify;

use hashed::HashedFields;

pub use registry::{Event, Object, ObjectKind};
pub use verify::{Verification, verify, verify_against};

/// The `prev_hash` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it, from where.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Who {
    /// User id, if authenticated.
    pub user_id: Option<i64>,
    /// Role code, if authenticated.
    pub role: Option<String>,
    /// Client address as seen by the server.
    pub client_addr: Option<String>,
}

impl Who {
    /// The system itself (seeding, migrations, CLI without a user).
    pub fn system() -> Who {
        Who {
            user_id: None,
            role: Some("system".into()),
            client_addr: None,
        }
    }
}

/// One audit record to write.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// Who.
    pub who: &'a Who,
    /// What kind of event.
    pub event: Event,
    /// Kind of target.
    pub target_kind: ObjectKind,
    /// Target identifier (public id where there is one).
    pub target_id: String,
    /// State before, as JSON, when the event changes something.
    pub before: Option<serde_json::Value>,
    /// State after, as JSON.
    pub after: Option<serde_json::Value>,
    /// `ok`, `denied`, `failed`.
    pub result: &'a str,
}

pub(crate) async fn ensure_head(store: &Store) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM audit_head WHERE id = 1")
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        sqlx::query(
            "INSERT INTO audit_head (id, seq, last_hash, updated_at) VALUES (1, 0, $1, $2)",
        )
        .bind(GENESIS)
        .bind(now_text())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Writes one record inside `tx`; it commits or rolls back with the change it describes.
///
/// # Errors
/// [`StoreError::Database`] when the head row or the record cannot be written.
pub async fn record(tx: &mut Tx, e: Entry<'_>) -> Result<(), StoreError> {
    // Taking the head row first serializes concurrent writers (a row lock on PostgreSQL, the
    // single writer on SQLite).
    let row = sqlx::query(
        "UPDATE audit_head SET seq = seq + 1, updated_at = $1 WHERE id = 1 RETURNING seq, last_hash",
    )
    .bind(now_text())
    .fetch_one(&mut **tx)
    .await?;
    let seq: i64 = row.try_get("seq")?;
    let prev: String = row.try_get("last_hash")?;
    let fields = HashedFields::of_entry(seq, now_text(), &e);
    let hash = fields.hash(&prev);
    let mut sql = HashedFields::insert();
    fields.push_row(&mut sql, &prev, &hash);
    sql.query().execute(&mut **tx).await?;
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How many records one `INSERT` of [`record_many`] carries (15 columns each).
const RECORDS_PER_INSERT: usize = 200;

/// Writes several records inside `tx`, chained in order, taking the head row once: for changes
/// of many targets at a time (a roster import), where a head update per record would make
/// PostgreSQL walk an ever longer chain of versions of that one row.
///
/// # Errors
/// As [`record`].
pub async fn record_many(tx: &mut Tx, entries: &[Entry<'_>]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let n = i64::try_from(entries.len()).map_err(|_| StoreError::Corrupt("too many".into()))?;
    let row = sqlx::query(
        "UPDATE audit_head SET seq = seq + $2, updated_at = $1 WHERE id = 1 RETURNING seq, last_hash",
    )
    .bind(now_text())
    .bind(n)
    .fetch_one(&mut **tx)
    .await?;
    let mut seq: i64 = row.try_get::<i64, _>("seq")? - n;
    let mut prev: String = row.try_get("last_hash")?;
    for chunk in entries.chunks(RECORDS_PER_INSERT) {
        let mut sql = HashedFields::insert();
        for (k, e) in chunk.iter().enumerate() {
            seq += 1;
            let fields = HashedFields::of_entry(seq, now_text(), e);
            let hash = fields.hash(&prev);
            if k > 0 {
                sql.push(", ");
            }
            fields.push_row(&mut sql, &prev, &hash);
            prev = hash;
        }
        sql.query().execute(&mut **tx).await?;
    }
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
        .bind(&prev)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes one record in a transaction of its own (security events that change no business
/// data: a failed login, a denial).
///
/// # Errors
/// As [`record`].
pub async fn record_alone(store: &Store, e: Entry<'_>) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    record(&mut tx, e).await?;
    tx.commit().await?;
    Ok(())
}

/// Number of records of the event with code `event` (see [`Event::code`]).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn count_events(store: &Store, event: &str) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_records WHERE event = $1")
            .bind(event)
            .fetch_one(store.reader())
            .await?,
    )
}
