//! The measures each supervising unit records (“八个一”, issue #14 point 1): one entry per
//! campaign, unit and measure with its evidence files; recorded (again) by the unit, returned by
//! the committee office with a reason; each change audited in its transaction.
//!
//! Status codes are the core `EntryStatus` codes: `recorded`, `returned`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use safeduty_core::unit_measures::{EntryStatus, MeasureEntry};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::attachments::StoredFile;
use crate::audit::{self, Entry, Event, Object, Who};
use crate::{Store, StoreError, new_public_id, now_text};

/// Answer to a write against an entry changed meanwhile.
pub const STALE: &str = "该措施记录刚被他人更新，请刷新后重试";

/// An evidence file of an entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EvidenceFile {
    /// Public id.
    pub public_id: String,
    /// The entry's internal id.
    #[serde(skip)]
    pub entry_id: i64,
    /// The unit's id.
    #[serde(skip)]
    pub unit_id: i64,
    /// File name as uploaded.
    pub name: String,
    /// Content type served.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Blob key.
    #[serde(skip)]
    pub sha256: String,
}

/// A unit's entry of one measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitMeasure {
    /// Internal id.
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// The campaign.
    pub campaign_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// The measure's number in the campaign template.
    pub measure_number: u32,
    /// The day held.
    pub held_on: NaiveDate,
    /// What was done.
    pub description: String,
    /// Recorded or returned.
    pub status: EntryStatus,
    /// Why returned (the last return).
    pub return_reason: String,
    /// Its files, oldest first.
    pub files: Vec<EvidenceFile>,
    /// Version (optimistic concurrency).
    pub version: i64,
}

fn entry_from_row(r: &AnyRow) -> Result<UnitMeasure, StoreError> {
    let status: String = r.try_get("status")?;
    Ok(UnitMeasure {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        campaign_id: r.try_get("campaign_id")?,
        unit_id: r.try_get("unit_id")?,
        measure_number: u32::try_from(r.try_get::<i64, _>("measure_number")?)
            .map_err(|_| StoreError::Corrupt("measure number".into()))?,
        held_on: super::enforcement::date(r, "held_on")?,
        description: r.try_get("description")?,
        status: EntryStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("measure entry status {status:?}")))?,
        return_reason: r.try_get("return_reason")?,
        files: Vec::new(),
        version: r.try_get("version")?,
    })
}

fn file_from_row(r: &AnyRow) -> Result<EvidenceFile, StoreError> {
    Ok(EvidenceFile {
        public_id: r.try_get("public_id")?,
        entry_id: r.try_get("unit_measure_id")?,
        unit_id: r.try_get("unit_id")?,
        name: r.try_get("name")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
    })
}

const FILES: &str = "SELECT f.*, m.unit_id FROM unit_measure_files f \
    JOIN unit_measures m ON m.id = f.unit_measure_id";

/// The entries of `campaign_id` (every unit's), each with its files, by (unit, measure).
///
/// # Errors
/// [`StoreError::Corrupt`]; database errors.
pub async fn entries(
    store: &Store,
    campaign_id: i64,
) -> Result<BTreeMap<(i64, u32), UnitMeasure>, StoreError> {
    let rows = sqlx::query("SELECT * FROM unit_measures WHERE campaign_id = $1")
        .bind(campaign_id)
        .fetch_all(store.reader())
        .await?;
    let mut out = BTreeMap::new();
    for r in &rows {
        let e = entry_from_row(r)?;
        out.insert((e.unit_id, e.measure_number), e);
    }
    let files = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{FILES} WHERE m.campaign_id = $1 ORDER BY f.id"
    )))
    .bind(campaign_id)
    .fetch_all(store.reader())
    .await?;
    for r in &files {
        let f = file_from_row(r)?;
        if let Some(e) = out.values_mut().find(|e| e.id == f.entry_id) {
            e.files.push(f);
        }
    }
    Ok(out)
}

/// One entry by public id (without its files).
///
/// # Errors
/// [`StoreError::NotFound`]; database errors.
pub async fn get(store: &Store, public_id: &str) -> Result<UnitMeasure, StoreError> {
    let r = sqlx::query("SELECT * FROM unit_measures WHERE public_id = $1")
        .bind(public_id)
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    entry_from_row(&r)
}

/// One evidence file by public id.
///
/// # Errors
/// [`StoreError::NotFound`]; database errors.
pub async fn file(store: &Store, public_id: &str) -> Result<EvidenceFile, StoreError> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{FILES} WHERE f.public_id = $1"
    )))
    .bind(public_id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    file_from_row(&r)
}

/// What a unit records of one measure.
#[derive(Debug, Clone, Copy)]
pub struct Recording<'a> {
    /// The campaign.
    pub campaign_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// The measure's number.
    pub measure_number: u32,
    /// The entry, checked.
    pub entry: &'a MeasureEntry,
    /// Files added to it (the blobs already stored).
    pub files: &'a [StoredFile],
    /// The entry as read, when there is one (its version is checked).
    pub existing: Option<&'a UnitMeasure>,
}

/// Records (or records again) a unit's entry with its new files, audited. Returns the entry's
/// public id.
///
/// # Errors
/// [`StoreError::Conflict`] when the entry changed meanwhile or was recorded by another at the
/// same time; database errors.
pub async fn record(store: &Store, who: &Who, r: &Recording<'_>) -> Result<String, StoreError> {
    let mut tx = store.write().await?;
    let now = now_text();
    let (id, public_id) = match r.existing {
        None => {
            let public_id = new_public_id();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO unit_measures (public_id, campaign_id, unit_id, measure_number, \
                 held_on, description, status, recorded_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'recorded', $7, $8, $8) RETURNING id",
            )
            .bind(&public_id)
            .bind(r.campaign_id)
            .bind(r.unit_id)
            .bind(i64::from(r.measure_number))
            .bind(r.entry.held_on.to_string())
            .bind(&r.entry.description)
            .bind(who.user_id)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| StoreError::from_write(e, STALE))?;
            (id, public_id)
        }
        Some(e) => {
            let done = sqlx::query(
                "UPDATE unit_measures SET held_on = $1, description = $2, status = 'recorded', \
                 recorded_by = $3, version = version + 1, updated_at = $4 \
                 WHERE id = $5 AND version = $6",
            )
            .bind(r.entry.held_on.to_string())
            .bind(&r.entry.description)
            .bind(who.user_id)
            .bind(&now)
            .bind(e.id)
            .bind(e.version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(STALE.into()));
            }
            (e.id, e.public_id.clone())
        }
    };
    let mut names = Vec::with_capacity(r.files.len());
    for f in r.files {
        sqlx::query(
            "INSERT INTO unit_measure_files (public_id, unit_measure_id, name, content_type, size, \
             sha256, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_public_id())
        .bind(id)
        .bind(&f.name)
        .bind(&f.content_type)
        .bind(f.size)
        .bind(&f.sha256)
        .bind(who.user_id)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        names.push(serde_json::json!({"name": f.name, "sha256": f.sha256, "size": f.size}));
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::UnitMeasureRecorded,
            target_kind: Object::UnitMeasure.into(),
            target_id: public_id.clone(),
            before: r.existing.map(|e| {
                serde_json::json!({
                    "held_on": e.held_on.to_string(),
                    "description": e.description,
                    "status": e.status.code(),
                })
            }),
            after: Some(serde_json::json!({
                "campaign_id": r.campaign_id,
                "unit_id": r.unit_id,
                "measure": r.measure_number,
                "held_on": r.entry.held_on.to_string(),
                "description": r.entry.description,
                "status": EntryStatus::Recorded.code(),
                "files_added": names,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// Returns the recorded entry `e` with `reason`, checked against the version read; audited.
///
/// # Errors
/// [`StoreError::Conflict`] when it changed meanwhile or is not recorded; database errors.
pub async fn return_entry(
    store: &Store,
    who: &Who,
    e: &UnitMeasure,
    reason: &str,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let done = sqlx::query(
        "UPDATE unit_measures SET status = 'returned', return_reason = $1, returned_by = $2, \
         version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5 \
         AND status = 'recorded'",
    )
    .bind(reason)
    .bind(who.user_id)
    .bind(now_text())
    .bind(e.id)
    .bind(e.version)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict(STALE.into()));
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::UnitMeasureReturned,
            target_kind: Object::UnitMeasure.into(),
            target_id: e.public_id.clone(),
            before: Some(serde_json::json!({"status": e.status.code()})),
            after: Some(serde_json::json!({
                "status": EntryStatus::Returned.code(),
                "reason": reason,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The exposures published in `year`, counted by the handling unit of their case (unit id → count).
///
/// # Errors
/// Database errors.
pub async fn exposures_by_unit(store: &Store, year: i32) -> Result<BTreeMap<i64, i64>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.unit_id, COUNT(*) AS n FROM case_exposures x JOIN cases c ON c.id = x.case_id \
         WHERE x.status = 'published' AND x.published_on >= $1 AND x.published_on <= $2 \
         GROUP BY c.unit_id",
    )
    .bind(format!("{year}-01-01"))
    .bind(format!("{year}-12-31"))
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("unit_id")?, r.try_get("n")?)))
        .collect()
}

/// The demo's entries up to `today` (issue #14 point 9): the mobilisation meeting (measure 1)
/// held by every unit of `unit_ids` but the last two in April, the training (measure 2) by the
/// first half in May; in the consolidation phase the second unit's training returned for want
/// of a sign-in sheet. Without evidence files: the demo has no blob store.
///
/// # Errors
/// Store errors.
pub(crate) async fn seed_demo(
    store: &Store,
    campaign_id: i64,
    unit_ids: &[i64],
    today: NaiveDate,
) -> Result<(), StoreError> {
    let who = Who {
        user_id: None,
        role: Some("demo".into()),
        client_addr: None,
    };
    let day = |s: &str| s.parse::<NaiveDate>().expect("demo dates are valid");
    let keep = unit_ids.len().saturating_sub(2);
    let seeded = unit_ids[..keep]
        .iter()
        .enumerate()
        .map(|(i, u)| {
            (
                *u,
                1,
                day("2024-04-08") + chrono::Days::new(i as u64),
                "召开专项治理动员部署会，辖区企业主要负责人和安全生产管理人员参会（演示数据）",
            )
        })
        .chain(
            unit_ids[..unit_ids.len() / 2]
                .iter()
                .enumerate()
                .map(|(i, u)| {
                    (
                        *u,
                        2,
                        day("2024-05-14") + chrono::Days::new(i as u64),
                        "举办安全生产管理人员履职专题培训（演示数据）",
                    )
                }),
        );
    for (unit_id, number, held_on, description) in seeded {
        if held_on > today {
            continue;
        }
        let entry = MeasureEntry {
            held_on,
            description: description.to_string(),
        };
        record(
            store,
            &who,
            &Recording {
                campaign_id,
                unit_id,
                measure_number: number,
                entry: &entry,
                files: &[],
                existing: None,
            },
        )
        .await?;
    }
    if today >= day("2024-11-12")
        && let Some(&unit) = unit_ids.get(1)
        && let Some(e) = entries(store, campaign_id).await?.remove(&(unit, 2))
    {
        return_entry(store, &who, &e, "佐证材料缺少培训签到表（演示数据）").await?;
    }
    Ok(())
}
