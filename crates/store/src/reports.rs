//! Reports submitted by supervising units, and the units whose reporting a user may see.

use std::collections::HashMap;

use chrono::NaiveDate;
use safeduty_core::policy::{UnitKind, UnitScope};
use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, Entry, Event, Who};
use crate::sql::Sql;
use crate::{Store, StoreError, now_text};

/// A supervising unit that owes reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportingUnit {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Territorial unit or industry department.
    pub kind: UnitKind,
    /// Its region's materialized path.
    pub region_path: String,
}

impl ReportingUnit {
    /// The enterprises it supervises.
    pub fn scope(&self) -> safeduty_core::policy::Scope {
        safeduty_core::policy::Scope::of_unit(self.id, self.kind, self.region_path.clone())
    }
}

/// Territorial units and industry departments inside `scope`, territorial units first, each group
/// in administrative order.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn units(store: &Store, scope: &UnitScope) -> Result<Vec<ReportingUnit>, StoreError> {
    let mut sql = Sql::new(
        "SELECT n.id, n.name, n.kind, r.path AS region_path FROM units n JOIN regions r ON r.id = n.region_id \
         WHERE n.kind IN ('territorial', 'industry_department') AND ",
    );
    match scope {
        UnitScope::RegionSubtree { region_path } => {
            sql.push_path_prefix("r.path", region_path.as_str())
        }
        UnitScope::Unit { unit_id } => sql.push("n.id = ").push_bind(*unit_id),
        UnitScope::Nothing => return Ok(Vec::new()),
    };
    sql.push(" ORDER BY CASE WHEN n.kind = 'territorial' THEN 0 ELSE 1 END, r.path, n.id");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(ReportingUnit {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                region_path: r.try_get("region_path")?,
                kind: UnitKind::from_code(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("unit kind {kind:?}")))?,
            })
        })
        .collect()
}

/// The submission dates of a campaign's reports, by (unit id, report key).
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn submissions(
    store: &Store,
    campaign_id: i64,
) -> Result<HashMap<(i64, String), NaiveDate>, StoreError> {
    let rows = sqlx::query(
        "SELECT unit_id, report_key, submitted_on FROM report_submissions WHERE campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            let on: String = r.try_get("submitted_on")?;
            Ok((
                (r.try_get("unit_id")?, r.try_get("report_key")?),
                on.parse()
                    .map_err(|_| StoreError::Corrupt(format!("date {on:?}")))?,
            ))
        })
        .collect()
}

/// Records that `unit_id` submitted the report `key` on `on`; audited. A report is submitted once:
/// a second submission (a double click) is a conflict and changes nothing.
///
/// # Errors
/// [`StoreError::Conflict`] when already submitted; [`StoreError::Database`].
pub async fn submit(
    store: &Store,
    who: &Who,
    campaign_id: i64,
    unit_id: i64,
    key: &str,
    on: NaiveDate,
    note: &str,
) -> Result<(), StoreError> {
    let now = now_text();
    let mut tx = store.write().await?;
    let n = sqlx::query(
        "INSERT INTO report_submissions (campaign_id, unit_id, report_key, submitted_on, \
         submitted_by, note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (campaign_id, unit_id, report_key) DO NOTHING",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .bind(key)
    .bind(on.to_string())
    .bind(who.user_id)
    .bind(note)
    .bind(&now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::Conflict("该报告已报送".into()));
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::ReportSubmitted,
            target_kind: crate::audit::Object::Report.into(),
            target_id: format!("{campaign_id}/{unit_id}/{key}"),
            before: None,
            after: Some(serde_json::json!({"submitted_on": on.to_string(), "note": note})),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
