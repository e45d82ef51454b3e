//! Enterprise records (issue #7 item 5): one table for every kind of
//! [`RecordKind`](safeduty_core::records::RecordKind), the kind's checked fields kept as a JSON
//! object; every change audited (`record_saved`) in its transaction; edits carry the version
//! they started from, so that a stale edit is a conflict, not a silent overwrite.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use safeduty_core::drills::Drill;
use safeduty_core::records::{RecordKind, RecordValues};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Entry, Event, Who};
use crate::{Store, StoreError, new_public_id, now_text};

pub mod demo;

/// A stored record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Internal id (the attachments' owner key).
    pub id: i64,
    /// Random public id, used in URLs.
    pub public_id: String,
    /// The enterprise it belongs to.
    pub enterprise_id: i64,
    /// Its kind.
    pub kind: RecordKind,
    /// Its date.
    pub date: NaiveDate,
    /// Its title.
    pub title: String,
    /// Values by field key.
    pub values: BTreeMap<String, String>,
    /// Version, starting at 1, increased by every edit.
    pub version: i64,
}

impl Record {
    /// The drill this record is (`None` for other kinds).
    pub fn drill(&self) -> Option<Drill> {
        RecordValues {
            kind: self.kind,
            values: self.values.clone(),
            date: self.date,
            title: self.title.clone(),
        }
        .drill()
    }
}

const COLUMNS: &str =
    "id, public_id, enterprise_id, kind, record_date, title, data, version FROM records";

fn from_row(r: &AnyRow) -> Result<Record, StoreError> {
    let kind: String = r.try_get("kind")?;
    let date: String = r.try_get("record_date")?;
    let data: String = r.try_get("data")?;
    Ok(Record {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        kind: RecordKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("record kind {kind:?}")))?,
        date: date
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("record date {date:?}")))?,
        title: r.try_get("title")?,
        values: serde_json::from_str(&data)
            .map_err(|e| StoreError::Corrupt(format!("record data: {e}")))?,
        version: r.try_get("version")?,
    })
}

/// Creates a record of enterprise `enterprise_id`, audited in the same transaction.
///
/// # Errors
/// Database errors.
pub async fn create(
    store: &Store,
    who: &Who,
    enterprise_id: i64,
    v: &RecordValues,
) -> Result<Record, StoreError> {
    let mut tx = store.write().await?;
    let public_id = new_public_id();
    let now = now_text();
    let data = serde_json::to_string(&v.values).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO records (public_id, enterprise_id, kind, record_date, title, data, version, \
         created_by, updated_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $8, $8) RETURNING id",
    )
    .bind(&public_id)
    .bind(enterprise_id)
    .bind(v.kind.code())
    .bind(v.date.to_string())
    .bind(&v.title)
    .bind(&data)
    .bind(who.user_id)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::RecordSaved,
            target_kind: v.kind.into(),
            target_id: public_id.clone(),
            before: None,
            after: Some(serde_json::json!({"enterprise_id": enterprise_id, "values": v.values})),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Record {
        id,
        public_id,
        enterprise_id,
        kind: v.kind,
        date: v.date,
        title: v.title.clone(),
        values: v.values.clone(),
        version: 1,
    })
}

/// Replaces the values of record `public_id` (of enterprise `enterprise_id` and the same kind)
/// when it is still at `version`; audited with the values before and after.
///
/// # Errors
/// [`StoreError::NotFound`] for another enterprise's or kind's record; [`StoreError::Conflict`]
/// when it changed since `version` was read (nothing written).
pub async fn update(
    store: &Store,
    who: &Who,
    enterprise_id: i64,
    public_id: &str,
    version: i64,
    v: &RecordValues,
) -> Result<Record, StoreError> {
    let mut tx = store.write().await?;
    let before = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} WHERE public_id = $1 AND enterprise_id = $2 AND kind = $3"
    )))
    .bind(public_id)
    .bind(enterprise_id)
    .bind(v.kind.code())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let before = from_row(&before)?;
    let data = serde_json::to_string(&v.values).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let changed = sqlx::query(
        "UPDATE records SET record_date = $1, title = $2, data = $3, version = version + 1, \
         updated_by = $4, updated_at = $5 WHERE id = $6 AND version = $7",
    )
    .bind(v.date.to_string())
    .bind(&v.title)
    .bind(&data)
    .bind(who.user_id)
    .bind(now_text())
    .bind(before.id)
    .bind(version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(StoreError::Conflict(
            "该记录已被他人修改，请刷新后重新填写".into(),
        ));
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::RecordSaved,
            target_kind: v.kind.into(),
            target_id: public_id.to_string(),
            before: Some(serde_json::json!({"values": before.values})),
            after: Some(serde_json::json!({"enterprise_id": enterprise_id, "values": v.values})),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Record {
        date: v.date,
        title: v.title.clone(),
        values: v.values.clone(),
        version: version + 1,
        ..before
    })
}

/// The records of one kind of enterprise `enterprise_id`, newest first.
///
/// # Errors
/// Database errors.
pub async fn list(
    store: &Store,
    enterprise_id: i64,
    kind: RecordKind,
) -> Result<Vec<Record>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} WHERE enterprise_id = $1 AND kind = $2 ORDER BY record_date DESC, id DESC"
    )))
    .bind(enterprise_id)
    .bind(kind.code())
    .fetch_all(store.reader())
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// How many records of each kind enterprise `enterprise_id` has (kinds without any left out).
///
/// # Errors
/// Database errors.
pub async fn counts(
    store: &Store,
    enterprise_id: i64,
) -> Result<BTreeMap<&'static str, i64>, StoreError> {
    let rows = sqlx::query(
        "SELECT kind, COUNT(*) AS n FROM records WHERE enterprise_id = $1 GROUP BY kind",
    )
    .bind(enterprise_id)
    .fetch_all(store.reader())
    .await?;
    let mut out = BTreeMap::new();
    for r in rows {
        let kind: String = r.try_get("kind")?;
        if let Some(k) = RecordKind::from_code(&kind) {
            out.insert(k.code(), r.try_get("n")?);
        }
    }
    Ok(out)
}

/// The drills on record of enterprise `enterprise_id`.
///
/// # Errors
/// Database errors.
pub async fn drills(store: &Store, enterprise_id: i64) -> Result<Vec<Drill>, StoreError> {
    Ok(list(store, enterprise_id, RecordKind::Drill)
        .await?
        .iter()
        .filter_map(Record::drill)
        .collect())
}

/// The record with `public_id`; the caller checks the scope of its enterprise.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown or malformed id.
pub async fn by_public_id(store: &Store, public_id: &str) -> Result<Record, StoreError> {
    if !crate::is_public_id(public_id) {
        return Err(StoreError::NotFound);
    }
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} WHERE public_id = $1"
    )))
    .bind(public_id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    from_row(&row)
}
