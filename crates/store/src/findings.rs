//! Findings (问题隐患): the ledger of problems found, with their time limits.

use chrono::NaiveDate;
use safeduty_core::finding::check_time_limit;
use safeduty_core::policy::Scope;
use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, Entry, Event, Who};
use crate::scope::{bind_all, enterprise_condition};
use crate::{Store, StoreError, Tx, new_public_id, now_text};

/// A finding to open.
#[derive(Debug, Clone)]
pub struct NewFindingRow {
    /// Campaign.
    pub campaign_id: i64,
    /// Enterprise.
    pub enterprise_id: i64,
    /// The self-inspection that found it, if any.
    pub self_inspection_id: Option<i64>,
    /// The check item it concerns, if any.
    pub item_number: Option<u32>,
    /// What is wrong.
    pub description: String,
    /// Civil date it was opened.
    pub opened_on: NaiveDate,
    /// Time limit (civil date, inclusive).
    pub due_on: NaiveDate,
    /// The rule `due_on` was computed by: N working days after `opened_on`.
    pub time_limit_working_days: Option<u32>,
}

/// Opens a finding from a self-inspection (source `self_inspection`, category `problem`, grade
/// `general`); audited. Returns its public id.
///
/// # Errors
/// [`StoreError::Conflict`] when the self-inspection already opened a finding for the item.
pub async fn open(tx: &mut Tx, who: &Who, f: &NewFindingRow) -> Result<String, StoreError> {
    let now = now_text();
    let public_id = new_public_id();
    sqlx::query(
        "INSERT INTO findings (public_id, campaign_id, enterprise_id, source, self_inspection_id, \
         item_number, category, grade, description, status, opened_on, due_on, \
         time_limit_working_days, created_at, updated_at) VALUES ($1, $2, $3, 'self_inspection', \
         $4, $5, 'problem', 'general', $6, 'open', $7, $8, $10, $9, $9)",
    )
    .bind(&public_id)
    .bind(f.campaign_id)
    .bind(f.enterprise_id)
    .bind(f.self_inspection_id)
    .bind(f.item_number.map(i64::from))
    .bind(&f.description)
    .bind(f.opened_on.to_string())
    .bind(f.due_on.to_string())
    .bind(&now)
    .bind(f.time_limit_working_days.map(i64::from))
    .execute(&mut **tx)
    .await
    .map_err(|e| StoreError::from_write(e, "finding already opened for this item"))?;
    audit::record(
        tx,
        Entry {
            who,
            event: Event::FindingOpened,
            target_kind: "finding",
            target_id: public_id.clone(),
            before: None,
            after: Some(serde_json::json!({
                "enterprise_id": f.enterprise_id,
                "item": f.item_number,
                "description": f.description,
                "due_on": f.due_on.to_string(),
            })),
            result: "ok",
        },
    )
    .await?;
    Ok(public_id)
}

/// A finding as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Public identifier.
    pub public_id: String,
    /// Enterprise public id.
    pub enterprise_public_id: String,
    /// Enterprise name.
    pub enterprise_name: String,
    /// Check item number.
    pub item_number: Option<u32>,
    /// `self_inspection`, later also enforcement, acceptance, routine.
    pub source: String,
    /// `problem` or `hazard`.
    pub category: String,
    /// `general` or `major`.
    pub grade: String,
    /// What is wrong.
    pub description: String,
    /// `open` or `closed`.
    pub status: String,
    /// Opened on.
    pub opened_on: NaiveDate,
    /// Time limit.
    pub due_on: NaiveDate,
    /// The rule the limit follows (N working days after opening), until a person set a date.
    pub time_limit_working_days: Option<u32>,
    /// Internal enterprise id, for policy checks.
    #[serde(skip)]
    pub enterprise_id: i64,
}

impl Finding {
    /// Whether the time limit was computed through a year whose holiday arrangement is not
    /// loaded (weekends only): shown as provisional until that year is loaded.
    pub fn is_provisional(&self, calendar: &safeduty_core::calendar::Calendar) -> bool {
        self.time_limit_working_days
            .is_some_and(|n| calendar.add_working_days(self.opened_on, n).provisional)
    }

    /// Overdue on `today` ([`safeduty_core::finding::is_overdue`]).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        safeduty_core::finding::is_overdue(self.status == "open", self.due_on, today)
    }
}

fn date(s: &str) -> Result<NaiveDate, StoreError> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("date {s:?}")))
}

/// Findings of a campaign inside `scope`, optionally of one enterprise, ordered by time limit
/// then id (stable on both databases).
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn list(
    store: &Store,
    scope: &Scope,
    campaign_id: i64,
    enterprise_id: Option<i64>,
) -> Result<Vec<Finding>, StoreError> {
    let cond = enterprise_condition(scope, 3);
    let sql = format!(
        "SELECT f.public_id, e.public_id AS enterprise_public_id, e.name AS enterprise_name, \
         f.enterprise_id, f.item_number, f.source, f.category, f.grade, f.description, f.status, \
         f.opened_on, f.due_on, f.time_limit_working_days FROM findings f \
         JOIN enterprises e ON e.id = f.enterprise_id \
         JOIN regions r ON r.id = e.region_id \
         WHERE f.campaign_id = $1 AND ($2 = 0 OR f.enterprise_id = $2) AND {} \
         ORDER BY f.due_on, f.id",
        cond.sql
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(campaign_id)
        .bind(enterprise_id.unwrap_or(0));
    let rows = bind_all(q, &cond.args).fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            Ok(Finding {
                public_id: r.try_get("public_id")?,
                enterprise_public_id: r.try_get("enterprise_public_id")?,
                enterprise_name: r.try_get("enterprise_name")?,
                enterprise_id: r.try_get("enterprise_id")?,
                item_number: r
                    .try_get::<Option<i64>, _>("item_number")?
                    .and_then(|n| u32::try_from(n).ok()),
                source: r.try_get("source")?,
                category: r.try_get("category")?,
                grade: r.try_get("grade")?,
                description: r.try_get("description")?,
                status: r.try_get("status")?,
                opened_on: date(&r.try_get::<String, _>("opened_on")?)?,
                due_on: date(&r.try_get::<String, _>("due_on")?)?,
                time_limit_working_days: r
                    .try_get::<Option<i64>, _>("time_limit_working_days")?
                    .and_then(|n| u32::try_from(n).ok()),
            })
        })
        .collect()
}

/// Changes the time limit of an open finding, with a reason, within the bounds of
/// [`check_time_limit`]; audited with before, after and the reason. The caller has checked the
/// actor may do so for this finding's enterprise.
///
/// # Errors
/// [`StoreError::NotFound`]; [`StoreError::Conflict`] when the finding is closed;
/// [`StoreError::TimeLimit`] for a limit before the opening day.
pub async fn change_due(
    store: &Store,
    who: &Who,
    public_id: &str,
    due_on: NaiveDate,
    reason: &str,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let row = sqlx::query(
        "SELECT f.opened_on, f.due_on, c.template FROM findings f \
         JOIN campaigns c ON c.id = f.campaign_id WHERE f.public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let old: String = row.try_get("due_on")?;
    let opened_on = date(&row.try_get::<String, _>("opened_on")?)?;
    let template: safeduty_core::template::CampaignTemplate =
        serde_json::from_str(&row.try_get::<String, _>("template")?)
            .map_err(|e| StoreError::Corrupt(format!("campaign template: {e}")))?;
    check_time_limit(opened_on, due_on, template.last_day(), reason)?;
    let n = sqlx::query(
        "UPDATE findings SET due_on = $1, time_limit_working_days = NULL, updated_at = $2 \
         WHERE public_id = $3 AND status = 'open'",
    )
    .bind(due_on.to_string())
    .bind(now_text())
    .bind(public_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::Conflict("finding is closed".into()));
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::FindingDueChanged,
            target_kind: "finding",
            target_id: public_id.to_string(),
            before: Some(serde_json::json!({"due_on": old})),
            after: Some(serde_json::json!({"due_on": due_on.to_string(), "reason": reason.trim()})),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The enterprise id of a finding, for the policy check before [`change_due`].
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn enterprise_of(store: &Store, public_id: &str) -> Result<i64, StoreError> {
    if !crate::is_public_id(public_id) {
        return Err(StoreError::NotFound);
    }
    sqlx::query_scalar("SELECT enterprise_id FROM findings WHERE public_id = $1")
        .bind(public_id)
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)
}

/// Recomputes the time limits that follow a rule (N working days after opening) with `calendar`,
/// for open findings, inside `tx`: after a year's holiday arrangement was loaded. Returns how many
/// changed.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub(crate) async fn recompute_time_limits(
    tx: &mut Tx,
    calendar: &safeduty_core::calendar::Calendar,
) -> Result<usize, StoreError> {
    let rows = sqlx::query(
        "SELECT id, opened_on, due_on, time_limit_working_days FROM findings \
         WHERE status = 'open' AND time_limit_working_days IS NOT NULL",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut changed = 0;
    for r in rows {
        let opened = date(&r.try_get::<String, _>("opened_on")?)?;
        let due = date(&r.try_get::<String, _>("due_on")?)?;
        let n = u32::try_from(r.try_get::<i64, _>("time_limit_working_days")?)
            .map_err(|_| StoreError::Corrupt("time limit".into()))?;
        let new = calendar.add_working_days(opened, n).date;
        if new != due {
            sqlx::query("UPDATE findings SET due_on = $1, updated_at = $2 WHERE id = $3")
                .bind(new.to_string())
                .bind(now_text())
                .bind(r.try_get::<i64, _>("id")?)
                .execute(&mut **tx)
                .await?;
            changed += 1;
        }
    }
    Ok(changed)
}
