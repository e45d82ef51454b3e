//! Typical-case exposures (典型案例曝光, issue #13 point 5): the public text fixed when drafted
//! (core [`ExposureText`]), its publication by an approver and its withdrawal with a reason,
//! each audited in its transaction; and the read of what the public pages show.
//!
//! Status codes are the core `ExposureStatus` codes: `draft`, `published`, `withdrawn`.

use chrono::NaiveDate;
use safeduty_core::enforcement::exposure::{ExposureStatus, ExposureText};
use safeduty_core::policy::Scope;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{date, opt_date};
use crate::audit::{self, Entry, Event, Object, Who};
use crate::sql::Sql;
use crate::{Store, StoreError, new_public_id, now_text};

/// Answer to a write against an exposure changed meanwhile.
pub const STALE: &str = "该曝光记录刚被他人更新，请刷新后重试";

/// An exposure as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposure {
    /// Public id.
    pub public_id: String,
    /// The case's public id.
    pub case_public_id: String,
    /// The case's handling unit.
    pub unit_id: i64,
    /// The case's enterprise.
    pub enterprise_id: i64,
    /// What it publishes.
    pub text: ExposureText,
    /// `draft`, `published`, `withdrawn`.
    pub status: ExposureStatus,
    /// Who drafted it.
    pub drafted_by: Option<i64>,
    /// Who published it.
    pub published_by: Option<i64>,
    /// The day published.
    pub published_on: Option<NaiveDate>,
    /// The day withdrawn.
    pub withdrawn_on: Option<NaiveDate>,
    /// Why withdrawn.
    pub withdraw_reason: String,
    /// Version (optimistic concurrency).
    pub version: i64,
}

const SELECT: &str = "SELECT x.*, c.public_id AS case_public_id, c.unit_id, c.enterprise_id \
    FROM case_exposures x JOIN cases c ON c.id = x.case_id \
    JOIN enterprises e ON e.id = c.enterprise_id JOIN regions r ON r.id = e.region_id";

fn text_of(r: &AnyRow) -> Result<ExposureText, StoreError> {
    Ok(ExposureText {
        enterprise: r.try_get("enterprise_name")?,
        party: r.try_get("party")?,
        violation: r.try_get("violation")?,
        violated_article: r.try_get("violated_article")?,
        applied_article: r.try_get("applied_article")?,
        penalty: r.try_get("penalty")?,
        decided_on: date(r, "decided_on")?,
    })
}

fn from_row(r: &AnyRow) -> Result<Exposure, StoreError> {
    let status: String = r.try_get("status")?;
    Ok(Exposure {
        public_id: r.try_get("public_id")?,
        case_public_id: r.try_get("case_public_id")?,
        unit_id: r.try_get("unit_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        text: text_of(r)?,
        status: ExposureStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("exposure status {status:?}")))?,
        drafted_by: r.try_get("drafted_by")?,
        published_by: r.try_get("published_by")?,
        published_on: opt_date(r, "published_on")?,
        withdrawn_on: opt_date(r, "withdrawn_on")?,
        withdraw_reason: r.try_get("withdraw_reason")?,
        version: r.try_get("version")?,
    })
}

/// Drafts the exposure of the case `case_id` with `text`, audited. Returns its public id.
///
/// # Errors
/// [`StoreError::Conflict`] when the case already has an exposure; database errors.
pub async fn draft(
    store: &Store,
    who: &Who,
    case_id: i64,
    text: &ExposureText,
) -> Result<String, StoreError> {
    let mut tx = store.write().await?;
    let public_id = new_public_id();
    sqlx::query(
        "INSERT INTO case_exposures (public_id, case_id, enterprise_name, party, violation, \
         violated_article, applied_article, penalty, decided_on, status, drafted_by, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, $11, $11)",
    )
    .bind(&public_id)
    .bind(case_id)
    .bind(&text.enterprise)
    .bind(&text.party)
    .bind(&text.violation)
    .bind(&text.violated_article)
    .bind(&text.applied_article)
    .bind(&text.penalty)
    .bind(text.decided_on.to_string())
    .bind(who.user_id)
    .bind(now_text())
    .execute(&mut *tx)
    .await
    .map_err(|e| StoreError::from_write(e, "该案件已有曝光记录"))?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::ExposureDrafted,
            target_kind: Object::Exposure.into(),
            target_id: public_id.clone(),
            before: None,
            after: Some(serde_json::json!({"case_id": case_id, "text": text})),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// One exposure by public id, whatever the scope.
///
/// # Errors
/// [`StoreError::NotFound`]; database errors.
pub async fn get(store: &Store, public_id: &str) -> Result<Exposure, StoreError> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE x.public_id = ").push_bind(public_id);
    let r = sql
        .query()
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    from_row(&r)
}

/// The exposure of a case, if drafted.
///
/// # Errors
/// Database errors.
pub async fn of_case(store: &Store, case_id: i64) -> Result<Option<Exposure>, StoreError> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE x.case_id = ").push_bind(case_id);
    sql.query()
        .fetch_optional(store.reader())
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Exposures of the cases inside `scope`, newest first.
///
/// # Errors
/// Database errors.
pub async fn list(store: &Store, scope: &Scope) -> Result<Vec<Exposure>, StoreError> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE ")
        .push_scope(scope)
        .push(" ORDER BY x.id DESC");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// Moves `e` to `to` (published from a draft, withdrawn once published) on `day`, checked
/// against the version read; audited.
async fn change(
    store: &Store,
    who: &Who,
    e: &Exposure,
    to: ExposureStatus,
    day: NaiveDate,
    reason: &str,
) -> Result<(), StoreError> {
    let (from, set, event) = match to {
        ExposureStatus::Published => (
            ExposureStatus::Draft,
            "published_on = $4, published_by = $5",
            Event::ExposurePublished,
        ),
        ExposureStatus::Withdrawn => (
            ExposureStatus::Published,
            "withdrawn_on = $4, withdraw_reason = $6",
            Event::ExposureWithdrawn,
        ),
        ExposureStatus::Draft => return Err(StoreError::Conflict(STALE.into())),
    };
    let mut tx = store.write().await?;
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE case_exposures SET status = $1, {set}, version = version + 1, updated_at = $7 \
         WHERE public_id = $2 AND version = $3 AND status = $8"
    )))
    .bind(to.code())
    .bind(&e.public_id)
    .bind(e.version)
    .bind(day.to_string())
    .bind(who.user_id)
    .bind(reason)
    .bind(now_text())
    .bind(from.code())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict(STALE.into()));
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event,
            target_kind: Object::Exposure.into(),
            target_id: e.public_id.clone(),
            before: Some(serde_json::json!({"status": from.code()})),
            after: Some(serde_json::json!({
                "status": to.code(),
                "on": day.to_string(),
                "reason": reason,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes the draft `e` on `day`.
///
/// # Errors
/// [`StoreError::Conflict`] when it changed meanwhile or is not a draft; database errors.
pub async fn publish(
    store: &Store,
    who: &Who,
    e: &Exposure,
    day: NaiveDate,
) -> Result<(), StoreError> {
    change(store, who, e, ExposureStatus::Published, day, "").await
}

/// Withdraws the published `e` on `day` with `reason` (kept in the history).
///
/// # Errors
/// [`StoreError::Conflict`] when it changed meanwhile or is not published; database errors.
pub async fn withdraw(
    store: &Store,
    who: &Who,
    e: &Exposure,
    day: NaiveDate,
    reason: &str,
) -> Result<(), StoreError> {
    change(store, who, e, ExposureStatus::Withdrawn, day, reason).await
}

/// A published exposure as the public pages show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublishedExposure {
    /// Public id.
    pub id: String,
    /// What it publishes.
    #[serde(flatten)]
    pub text: ExposureText,
    /// The day published.
    pub published_on: NaiveDate,
}

/// The published exposures still within their time on the public pages (published on or
/// after `since`), newest first: the one read the public pages make. Withdrawn and draft
/// exposures are never read here.
///
/// # Errors
/// Database errors.
pub async fn published(
    store: &Store,
    since: NaiveDate,
) -> Result<Vec<PublishedExposure>, StoreError> {
    let rows = sqlx::query(
        "SELECT public_id, enterprise_name, party, violation, violated_article, \
         applied_article, penalty, decided_on, published_on FROM case_exposures \
         WHERE status = 'published' AND published_on >= $1 ORDER BY published_on DESC, id DESC",
    )
    .bind(since.to_string())
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PublishedExposure {
                id: r.try_get("public_id")?,
                text: text_of(r)?,
                published_on: date(r, "published_on")?,
            })
        })
        .collect()
}
