//! Document number sequences: one per issuing unit, family and year (`enforcement.md` §1.4: an
//! inspection's documents share its sequence; a case's documents share the case's).
//!
//! [`allocate`] is an upsert in the caller's transaction: the row lock it takes (PostgreSQL) or
//! the single writer (SQLite) makes concurrent allocations distinct, and a transaction that rolls
//! back takes its number back with it, so the sequence has no gaps and no number is reused.

use crate::{StoreError, Tx, now_text};

/// The next number of `family` (`inspection`, `case`) for `issuer_unit_id` in `year`, from 1.
///
/// # Errors
/// Database errors.
pub async fn allocate(
    tx: &mut Tx,
    issuer_unit_id: i64,
    family: &str,
    year: i32,
) -> Result<i64, StoreError> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO document_sequences (issuer_unit_id, family, year, last_seq, created_at, \
         updated_at) VALUES ($1, $2, $3, 1, $4, $4) \
         ON CONFLICT (issuer_unit_id, family, year) \
         DO UPDATE SET last_seq = document_sequences.last_seq + 1, updated_at = $4 \
         RETURNING last_seq",
    )
    .bind(issuer_unit_id)
    .bind(family)
    .bind(i64::from(year))
    .bind(now_text())
    .fetch_one(&mut **tx)
    .await?;
    Ok(seq)
}
