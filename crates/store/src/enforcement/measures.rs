//! On-site measures (现场处理措施决定书): stop using equipment or suspend work until
//! rectified, at most the months the rule in force allows, and the review that lifts them.

use chrono::NaiveDate;
use safeduty_core::policy::Scope;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{date, opt_date};
use crate::audit::{self, Entry, Event, Object, Who};
use crate::sql::Sql;
use crate::{Store, StoreError, new_public_id, now_text};

/// Measures to decide.
#[derive(Debug, Clone)]
pub struct NewMeasures {
    /// The inspection they follow (one decision per inspection; it carries its number).
    pub inspection_id: i64,
    /// Deciding unit.
    pub unit_id: i64,
    /// Enterprise.
    pub enterprise_id: i64,
    /// Core `MeasureKind` code.
    pub kind: String,
    /// Grounds (the hazards found).
    pub reason: String,
    /// What exactly: which equipment, which area.
    pub description: String,
    /// Day decided.
    pub decided_on: NaiveDate,
    /// First day in force.
    pub starts_on: NaiveDate,
    /// Last day in force unless lifted earlier.
    pub until_on: NaiveDate,
}

/// Measures as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Measures {
    /// Internal id.
    #[serde(skip)]
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// Inspection.
    #[serde(skip)]
    pub inspection_id: i64,
    /// Inspection public id.
    pub inspection_public_id: String,
    /// Deciding unit.
    #[serde(skip)]
    pub unit_id: i64,
    /// Enterprise.
    #[serde(skip)]
    pub enterprise_id: i64,
    /// Enterprise name.
    pub enterprise_name: String,
    /// Year of the inspection's number.
    pub year: i64,
    /// Sequence of the inspection's number.
    pub seq: i64,
    /// Kind code.
    pub kind: String,
    /// Grounds.
    pub reason: String,
    /// What exactly.
    pub description: String,
    /// Day decided.
    pub decided_on: NaiveDate,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub until_on: NaiveDate,
    /// Day lifted after review.
    pub lifted_on: Option<NaiveDate>,
    /// The review's note.
    pub lift_note: String,
    /// Optimistic version.
    pub version: i64,
}

const SELECT: &str = "SELECT m.id, m.public_id, m.inspection_id, i.public_id AS inspection_public_id, \
    m.unit_id, m.enterprise_id, e.name AS enterprise_name, i.year, i.seq, m.kind, m.reason, \
    m.description, m.decided_on, m.starts_on, m.until_on, m.lifted_on, m.lift_note, m.version \
    FROM onsite_measures m JOIN inspections i ON i.id = m.inspection_id \
    JOIN enterprises e ON e.id = m.enterprise_id JOIN regions r ON r.id = e.region_id";

fn from_row(r: &AnyRow) -> Result<Measures, StoreError> {
    Ok(Measures {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        inspection_id: r.try_get("inspection_id")?,
        inspection_public_id: r.try_get("inspection_public_id")?,
        unit_id: r.try_get("unit_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        year: r.try_get("year")?,
        seq: r.try_get("seq")?,
        kind: r.try_get("kind")?,
        reason: r.try_get("reason")?,
        description: r.try_get("description")?,
        decided_on: date(r, "decided_on")?,
        starts_on: date(r, "starts_on")?,
        until_on: date(r, "until_on")?,
        lifted_on: opt_date(r, "lifted_on")?,
        lift_note: r.try_get("lift_note")?,
        version: r.try_get("version")?,
    })
}

/// Records a decision of on-site measures; audited.
///
/// # Errors
/// [`StoreError::Conflict`] when the inspection already has one; database errors.
pub async fn decide(store: &Store, who: &Who, m: &NewMeasures) -> Result<String, StoreError> {
    let mut tx = store.write().await?;
    let public_id = new_public_id();
    let now = now_text();
    sqlx::query(
        "INSERT INTO onsite_measures (public_id, inspection_id, unit_id, enterprise_id, kind, \
         reason, decided_on, starts_on, until_on, decided_by, created_at, updated_at, \
         description) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12)",
    )
    .bind(&public_id)
    .bind(m.inspection_id)
    .bind(m.unit_id)
    .bind(m.enterprise_id)
    .bind(&m.kind)
    .bind(&m.reason)
    .bind(m.decided_on.to_string())
    .bind(m.starts_on.to_string())
    .bind(m.until_on.to_string())
    .bind(who.user_id)
    .bind(&now)
    .bind(&m.description)
    .execute(&mut *tx)
    .await
    .map_err(|e| StoreError::from_write(e, "该检查已作出现场处理措施决定"))?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::OnSiteMeasuresDecided,
            target_kind: Object::OnSiteMeasures.into(),
            target_id: public_id.clone(),
            before: None,
            after: Some(serde_json::json!({
                "inspection_id": m.inspection_id,
                "enterprise_id": m.enterprise_id,
                "kind": m.kind,
                "reason": m.reason,
                "description": m.description,
                "decided_on": m.decided_on.to_string(),
                "starts_on": m.starts_on.to_string(),
                "until_on": m.until_on.to_string(),
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// Records the review of `reviewed_on`: `lifted` lifts the measures that day, otherwise they
/// stay in force with the review's note; audited.
///
/// # Errors
/// [`StoreError::Conflict`] for a stale version or measures already lifted; database errors.
pub async fn review(
    store: &Store,
    who: &Who,
    m: &Measures,
    reviewed_on: NaiveDate,
    lifted: bool,
    note: &str,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let lifted_on = lifted.then(|| reviewed_on.to_string());
    let changed = sqlx::query(
        "UPDATE onsite_measures SET lifted_on = $1, lift_note = $2, version = version + 1, \
         updated_at = $3 WHERE id = $4 AND version = $5 AND lifted_on IS NULL",
    )
    .bind(lifted_on.clone())
    .bind(note)
    .bind(now_text())
    .bind(m.id)
    .bind(m.version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(StoreError::Conflict(
            "该现场处理措施刚被他人更新，请刷新后重试".into(),
        ));
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::OnSiteMeasuresReviewed,
            target_kind: Object::OnSiteMeasures.into(),
            target_id: m.public_id.clone(),
            before: Some(
                serde_json::json!({"lifted_on": null, "until_on": m.until_on.to_string()}),
            ),
            after: Some(serde_json::json!({
                "reviewed_on": reviewed_on.to_string(),
                "lifted_on": lifted_on,
                "note": note,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The measures of an inspection, if decided.
///
/// # Errors
/// Database errors.
pub async fn of_inspection(
    store: &Store,
    inspection_id: i64,
) -> Result<Option<Measures>, StoreError> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE m.inspection_id = ")
        .push_bind(inspection_id);
    sql.query()
        .fetch_optional(store.reader())
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Measures for enterprises inside `scope`, in force first (not lifted), then by start.
///
/// # Errors
/// Database errors.
pub async fn list(store: &Store, scope: &Scope) -> Result<Vec<Measures>, StoreError> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE ").push_scope(scope).push(
        " ORDER BY CASE WHEN m.lifted_on IS NULL THEN 0 ELSE 1 END, m.starts_on DESC, m.id DESC",
    );
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}
