//! Anchors of the audit trail, kept outside the audit table: the sequence number (the record's
//! id), time and hash of the newest record at some moment. Each is kept in `audit_anchors` and
//! printed for off-site keeping (`safeduty audit anchor`); `safeduty audit verify --anchor FILE`
//! checks a printed one. A trail whose newest records were deleted, or that was rewritten and
//! re-hashed from some record on, no longer matches an anchor taken before (GB/T 22239-2019
//! 8.1.4.3 c: audit records protected against deletion and alteration).
//!
//! Printed form (UTF-8 text, one `key: value` per line after the first):
//!
//! ```text
//! safeduty audit anchor v1
//! seq: 1234
//! at: 2024-06-20T02:03:04.000005Z
//! hash: 3f0c…(64 hex digits)
//! ```

use sqlx::Row;

use super::{Entry, Event, Verification, Who, record, verify};
use crate::{Store, StoreError, now_text};

/// First line of a printed anchor.
const HEADER: &str = "safeduty audit anchor v1";

/// The newest record of the trail at the time the anchor was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Its sequence number (`audit_records.seq`, the record's id).
    pub seq: i64,
    /// Its time as recorded (UTC, `2024-06-20T02:03:04.000005Z`).
    pub at: String,
    /// Its hash (64 lower-case hex digits).
    pub hash: String,
}

impl Anchor {
    /// The printed form (see the module docs), ending with a line feed.
    pub fn to_text(&self) -> String {
        format!(
            "{HEADER}\nseq: {}\nat: {}\nhash: {}\n",
            self.seq, self.at, self.hash
        )
    }

    /// Reads a printed anchor; blank lines and surrounding spaces are ignored.
    ///
    /// # Errors
    /// A message (in Chinese, for the operator) naming the line or field that is wrong.
    pub fn parse(text: &str) -> Result<Anchor, String> {
        let mut lines = text
            .trim_start_matches('\u{feff}')
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty());
        if lines.next() != Some(HEADER) {
            return Err(format!("不是审计锚点：第一行应为“{HEADER}”"));
        }
        let (mut seq, mut at, mut hash) = (None, None, None);
        for line in lines {
            let (key, value) = line
                .split_once(':')
                .ok_or_else(|| format!("无法识别的行：{line}"))?;
            let value = value.trim();
            match key.trim() {
                "seq" => {
                    seq = Some(
                        value
                            .parse::<i64>()
                            .ok()
                            .filter(|s| *s > 0)
                            .ok_or_else(|| format!("seq 应为正整数：{value}"))?,
                    );
                }
                "at" => at = Some(value.to_string()),
                "hash" => {
                    if value.len() != 64
                        || !value
                            .bytes()
                            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                    {
                        return Err(format!("hash 应为 64 位小写十六进制：{value}"));
                    }
                    hash = Some(value.to_string());
                }
                other => return Err(format!("无法识别的字段：{other}")),
            }
        }
        match (seq, at, hash) {
            (Some(seq), Some(at), Some(hash)) => Ok(Anchor { seq, at, hash }),
            _ => Err("审计锚点缺少 seq、at 或 hash".into()),
        }
    }
}

/// What [`take`] gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// The anchor, kept in `audit_anchors`; it names the record of its own taking.
    Anchor(Anchor),
    /// The trail does not verify: no anchor was taken (an anchor must never bless tampering).
    Refused(Verification),
}

/// Verifies the trail, then records the taking of an anchor and keeps the anchor of that record
/// (the newest) in `audit_anchors`, in one transaction.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn take(store: &Store, who: &Who) -> Result<Taken, StoreError> {
    let checked = verify(store).await?;
    if !matches!(checked, Verification::Intact { .. }) {
        return Ok(Taken::Refused(checked));
    }
    let mut tx = store.write().await?;
    record(
        &mut tx,
        Entry {
            who,
            event: Event::AnchorTaken,
            target_kind: crate::audit::Object::AuditTrail.into(),
            target_id: String::new(),
            before: None,
            after: None,
            result: "ok",
        },
    )
    .await?;
    let anchor = keep(&mut tx).await?;
    tx.commit().await?;
    Ok(Taken::Anchor(anchor))
}

/// Keeps the anchor of the newest record in `audit_anchors` inside `tx` (after that record was
/// written in it: a restore's record becomes the new anchor this way).
///
/// # Errors
/// [`StoreError::Database`]; [`StoreError::Corrupt`] when the trail is empty.
pub async fn keep(tx: &mut crate::Tx) -> Result<Anchor, StoreError> {
    let row = sqlx::query(
        "SELECT r.seq, r.at, r.hash FROM audit_records r JOIN audit_head h ON h.id = 1 \
         AND r.seq = h.seq",
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::Corrupt("the audit trail has no record to anchor".into()))?;
    let anchor = Anchor {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        hash: row.try_get("hash")?,
    };
    sqlx::query(
        "INSERT INTO audit_anchors (seq, at, hash, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(anchor.seq)
    .bind(&anchor.at)
    .bind(&anchor.hash)
    .bind(now_text())
    .execute(&mut **tx)
    .await?;
    Ok(anchor)
}

/// The anchors kept in `audit_anchors`, oldest first.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn stored(store: &Store) -> Result<Vec<Anchor>, StoreError> {
    let rows = sqlx::query("SELECT seq, at, hash FROM audit_anchors ORDER BY seq")
        .fetch_all(store.reader())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Anchor {
                seq: r.try_get("seq")?,
                at: r.try_get("at")?,
                hash: r.try_get("hash")?,
            })
        })
        .collect()
}
