//! Checking the trail: the chain recomputed from the first record, compared with the head row,
//! with the anchors kept in `audit_anchors`, and with anchors printed for off-site keeping
//! ([`super::anchor`]).
//!
//! What each check catches: an edited, swapped or reordered record breaks its own hash (the
//! hash covers its sequence number and its predecessor's hash); a deleted record leaves a gap in
//! the sequence; deleting the newest records leaves the head row, or an anchor, pointing past the
//! end; a chain rewritten from some record on (hashes recomputed by whoever edited it) no longer
//! matches an anchor taken before the rewrite.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::GENESIS;
use super::anchor::{self, Anchor};
use super::hashed::{COLUMNS, HashedFields};
use crate::{Store, StoreError};

/// Outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every record links to its predecessor, the head and every anchor.
    Intact {
        /// Number of records checked.
        records: i64,
    },
    /// The first record (by sequence number, which is the record's id) that does not verify.
    Broken {
        /// Its sequence number (`audit_records.seq`).
        seq: i64,
        /// Its time as recorded (UTC), when the record or an anchor of it is there.
        at: Option<String>,
        /// What is wrong.
        reason: String,
    },
}

/// Records read per query while walking the chain (the walk keeps one page in memory).
const PAGE: i64 = 1000;

/// Recomputes the chain and checks it against the head row and the anchors of `audit_anchors`.
///
/// # Errors
/// [`StoreError::Database`] when the trail cannot be read.
pub async fn verify(store: &Store) -> Result<Verification, StoreError> {
    verify_against(store, &[]).await
}

/// As [`verify`], also checking `printed`: anchors kept outside the database (read back with
/// [`Anchor::parse`]).
///
/// # Errors
/// [`StoreError::Database`] when the trail cannot be read.
pub async fn verify_against(store: &Store, printed: &[Anchor]) -> Result<Verification, StoreError> {
    let mut anchors = anchor::stored(store).await?;
    anchors.extend(printed.iter().cloned());
    anchors.sort_by_key(|a| a.seq);
    let mut pending = anchors.iter().peekable();

    let mut prev = GENESIS.to_string();
    let mut last_at: Option<String> = None;
    let mut expected_seq = 1i64;
    loop {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS}, prev_hash, hash, created_at, updated_at FROM audit_records \
             WHERE seq >= $1 ORDER BY seq LIMIT $2"
        )))
        .bind(expected_seq)
        .bind(PAGE)
        .fetch_all(store.reader())
        .await?;
        let page_len = rows.len();
        for r in &rows {
            // `seq` is the row's key (an integer on both backends); any other column may hold
            // whatever someone wrote into it, and such a record is named, not a read error.
            let seq: i64 = r.try_get("seq")?;
            let (fields, stored) = match read_record(r) {
                Ok(read) => read,
                Err(column) => {
                    return Ok(Verification::Broken {
                        seq,
                        at: None,
                        reason: format!("column {column} holds a value of the wrong type"),
                    });
                }
            };
            let at = fields.at.clone();
            if seq != expected_seq {
                let after = last_at
                    .as_deref()
                    .map(|t| format!(" after {t}"))
                    .unwrap_or_default();
                return Ok(Verification::Broken {
                    seq: expected_seq,
                    at: None,
                    reason: format!(
                        "record deleted (written{after} and before {at}; the next one present is {seq})"
                    ),
                });
            }
            let hash = fields.hash(&prev);
            if stored.prev_hash != prev || stored.hash != hash {
                return Ok(Verification::Broken {
                    seq,
                    at: Some(at),
                    reason: "hash does not match the record's content or its predecessor".into(),
                });
            }
            if stored.created_at != at || stored.updated_at != at {
                return Ok(Verification::Broken {
                    seq,
                    at: Some(at),
                    reason: "created_at or updated_at differs from the record's time".into(),
                });
            }
            while let Some(a) = pending.next_if(|a| a.seq == seq) {
                if a.hash != hash || a.at != at {
                    return Ok(Verification::Broken {
                        seq,
                        at: Some(a.at.clone()),
                        reason: format!(
                            "the trail up to this record differs from its anchor (hash {}): \
                             records up to here were rewritten",
                            a.hash
                        ),
                    });
                }
            }
            prev = hash;
            last_at = Some(at);
            expected_seq += 1;
        }
        if i64::try_from(page_len).unwrap_or(PAGE) < PAGE {
            break;
        }
    }
    if let Some(a) = pending.next() {
        let at = (a.seq == expected_seq).then(|| a.at.clone());
        return Ok(Verification::Broken {
            seq: expected_seq,
            at,
            reason: format!(
                "the newest records were deleted: the trail ends at record {}, an anchor names \
                 record {} written at {}",
                expected_seq - 1,
                a.seq,
                a.at
            ),
        });
    }
    let head: String = sqlx::query_scalar("SELECT last_hash FROM audit_head WHERE id = 1")
        .fetch_one(store.reader())
        .await?;
    if head != prev {
        return Ok(Verification::Broken {
            seq: expected_seq,
            at: None,
            reason: format!(
                "the newest records were deleted (the trail ends at record {} but the head row \
                 names another newest record), or the head row was edited",
                expected_seq - 1
            ),
        });
    }
    Ok(Verification::Intact {
        records: expected_seq - 1,
    })
}

/// The columns of a record that the hash does not take as fields: the chain's two hashes and
/// the row's times, which are the record's `at` by construction (so an edit of them is caught
/// by comparing them with the hashed `at`).
struct Unhashed {
    prev_hash: String,
    hash: String,
    created_at: String,
    updated_at: String,
}

/// Reads one record; `Err` names the first column whose value has the wrong type.
fn read_record(r: &AnyRow) -> Result<(HashedFields, Unhashed), String> {
    let fields = HashedFields::from_row(r).map_err(|e| column_of(&e))?;
    let text = |c: &'static str| -> Result<String, String> {
        r.try_get::<Option<String>, _>(c)
            .map(Option::unwrap_or_default)
            .map_err(|_| c.to_string())
    };
    let unhashed = Unhashed {
        prev_hash: text("prev_hash")?,
        hash: text("hash")?,
        created_at: text("created_at")?,
        updated_at: text("updated_at")?,
    };
    Ok((fields, unhashed))
}

/// The column a decoding error is about (sqlx names it), or the error's text.
fn column_of(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::ColumnDecode { index, .. } => index.trim_matches('"').to_string(),
        other => other.to_string(),
    }
}
