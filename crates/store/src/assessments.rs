//! The assessor's deductions on the entered items of the year's assessment (考核巡查, issue #14
//! point 8), one per campaign, unit and item, each change audited with the points before and
//! after.

use std::collections::BTreeMap;

use sqlx::Row;

use crate::audit::{self, Entry, Event, Object, Who};
use crate::{Store, StoreError, now_text};

/// An entered deduction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entered {
    /// Points deducted.
    pub points: u32,
    /// Why.
    pub reason: String,
    /// Version (optimistic concurrency).
    pub version: i64,
}

/// The entered deductions of `campaign_id`, by (unit, item code).
///
/// # Errors
/// Database errors; [`StoreError::Corrupt`] for negative points.
pub async fn entered(
    store: &Store,
    campaign_id: i64,
) -> Result<BTreeMap<(i64, String), Entered>, StoreError> {
    let rows = sqlx::query(
        "SELECT unit_id, item_code, points, reason, version FROM unit_assessments \
         WHERE campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                (r.try_get("unit_id")?, r.try_get("item_code")?),
                Entered {
                    points: u32::try_from(r.try_get::<i64, _>("points")?)
                        .map_err(|_| StoreError::Corrupt("assessment points".into()))?,
                    reason: r.try_get("reason")?,
                    version: r.try_get("version")?,
                },
            ))
        })
        .collect()
}

/// Sets the deduction of `item` for `unit_id` in `campaign_id` to `points` with `reason`, the
/// earlier one read as `before` (its version checked); audited.
///
/// # Errors
/// [`StoreError::Conflict`] when it changed meanwhile; database errors.
#[allow(clippy::too_many_arguments)]
pub async fn enter(
    store: &Store,
    who: &Who,
    campaign_id: i64,
    unit_id: i64,
    item: &str,
    points: u32,
    reason: &str,
    before: Option<&Entered>,
) -> Result<(), StoreError> {
    const STALE: &str = "该评分刚被他人修改，请刷新后重试";
    let mut tx = store.write().await?;
    let now = now_text();
    match before {
        None => {
            sqlx::query(
                "INSERT INTO unit_assessments (campaign_id, unit_id, item_code, points, reason, \
                 assessed_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            )
            .bind(campaign_id)
            .bind(unit_id)
            .bind(item)
            .bind(i64::from(points))
            .bind(reason)
            .bind(who.user_id)
            .bind(&now)
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::from_write(e, STALE))?;
        }
        Some(b) => {
            let done = sqlx::query(
                "UPDATE unit_assessments SET points = $1, reason = $2, assessed_by = $3, \
                 version = version + 1, updated_at = $4 WHERE campaign_id = $5 AND unit_id = $6 \
                 AND item_code = $7 AND version = $8",
            )
            .bind(i64::from(points))
            .bind(reason)
            .bind(who.user_id)
            .bind(&now)
            .bind(campaign_id)
            .bind(unit_id)
            .bind(item)
            .bind(b.version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(STALE.into()));
            }
        }
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::AssessmentEntered,
            target_kind: Object::Assessment.into(),
            target_id: format!("{campaign_id}:{unit_id}:{item}"),
            before: before.map(|b| serde_json::json!({"points": b.points, "reason": b.reason})),
            after: Some(serde_json::json!({"points": points, "reason": reason})),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
