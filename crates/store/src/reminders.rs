//! Reminders: made by a job from the open findings and the units' unsubmitted reports, read in
//! each recipient's inbox. Each reminder is unique by (subject, kind, recipient), so the job is
//! idempotent and safe to run on several nodes; a lease ([`try_lease`]) keeps the others idle.
//!
//! Recipients are written `enterprise:ID` (the enterprise's safety staff), `principal:ID` (its
//! principal person in charge, 主要负责人) and `unit:ID` (a town, subdistrict, zone or
//! department).

use chrono::{NaiveDate, Utc};
use safeduty_core::calendar::Calendar;
use safeduty_core::reminders::{ReminderKind, reminder_due};
use safeduty_core::reporting::reports_due;
use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, Entry, Event, Who};
use crate::sql::Sql;
use crate::{Store, StoreError, Tx, campaigns, new_public_id, now_text, reports};

/// A reminder as shown in an inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    /// Public identifier.
    pub public_id: String,
    /// A [`ReminderKind`] code: `due_soon`, `overdue` or `account_notice`.
    pub kind: String,
    /// The deadline.
    pub due_on: NaiveDate,
    /// Text for people.
    pub message: String,
    /// The day it was made.
    pub created_on: NaiveDate,
    /// Read already.
    pub read: bool,
    /// What it is about: `finding`, `report`, `account` or `digest`.
    pub subject_kind: String,
    /// Which one: a finding's public id, `campaign/unit/report key`, an account event, or
    /// `REGION_PATH DAY` for a digest.
    pub subject_key: String,
}

impl Reminder {
    /// The kind's label shown to people ([`ReminderKind::label`]).
    pub fn label(&self) -> &'static str {
        ReminderKind::label_of(&self.kind)
    }
}

struct NewReminder {
    recipient: String,
    kind: ReminderKind,
    subject_kind: &'static str,
    subject_key: String,
    due_on: NaiveDate,
    message: String,
}

/// Takes or renews the lease `name` for `holder` for `ttl`: true when this holder may run the
/// job now (nobody else holds an unexpired lease). A lease row, not an advisory lock, so that it
/// works on SQLite and on distributed PostgreSQL alike (DESIGN.md §3).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn try_lease(
    store: &Store,
    name: &str,
    holder: &str,
    ttl: chrono::Duration,
) -> Result<bool, StoreError> {
    let now = Utc::now();
    let fmt = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO job_leases (name, holder, expires_at, created_at, updated_at) \
         VALUES ($1, '', $2, $2, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(fmt(now))
    .execute(&mut *tx)
    .await?;
    let taken = sqlx::query(
        "UPDATE job_leases SET holder = $1, expires_at = $2, updated_at = $3 \
         WHERE name = $4 AND (expires_at <= $3 OR holder = $1)",
    )
    .bind(holder)
    .bind(fmt(now + ttl))
    .bind(fmt(now))
    .bind(name)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    tx.commit().await?;
    Ok(taken)
}

/// Makes the reminders due on `today`: for open findings (the enterprise before the time limit;
/// after it also its principal person and its supervising units) and for reports the units have
/// not submitted. Returns how many new reminders were made; the run is audited when it made any.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn generate(
    store: &Store,
    today: NaiveDate,
    calendar: &Calendar,
    days_before: u32,
) -> Result<usize, StoreError> {
    let mut new = Vec::new();
    let mut digest = Digest::default();
    // A finding can need a reminder today only if its time limit is at most this far ahead.
    let horizon = calendar.add_working_days(today, days_before).date;
    let rows = sqlx::query(
        "SELECT f.public_id, f.item_number, f.description, f.due_on, f.grade, e.id AS enterprise_id, \
         e.name AS enterprise_name, e.supervising_unit_id, r.path AS region_path, \
         (SELECT MIN(n.id) FROM units n WHERE n.region_id = e.region_id AND n.kind = 'territorial') \
         AS territorial_unit_id \
         FROM findings f JOIN enterprises e ON e.id = f.enterprise_id \
         JOIN regions r ON r.id = e.region_id \
         WHERE f.status <> 'closed' AND f.due_on <= $1",
    )
    .bind(horizon.to_string())
    .fetch_all(store.reader())
    .await?;
    for r in &rows {
        let due_text: String = r.try_get("due_on")?;
        let due: NaiveDate = due_text
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("date {due_text:?}")))?;
        let Some(kind) = reminder_due(due, today, days_before, calendar) else {
            continue;
        };
        let enterprise: i64 = r.try_get("enterprise_id")?;
        let name: String = r.try_get("enterprise_name")?;
        let item = r
            .try_get::<Option<i64>, _>("item_number")?
            .map(|n| format!("第{n}项"))
            .unwrap_or_default();
        let description: String = r.try_get("description")?;
        let short: String = description.chars().take(40).collect();
        let message = if kind == ReminderKind::Overdue {
            format!("{name}{item}问题隐患“{short}”整改期限{due}已过，仍未完成整改，请督促落实")
        } else {
            format!("{name}{item}问题隐患“{short}”整改期限为{due}，即将到期，请按期完成整改")
        };
        let mut recipients = vec![format!("enterprise:{enterprise}")];
        if kind == ReminderKind::Overdue {
            digest.findings.push((
                r.try_get("region_path")?,
                r.try_get::<String, _>("grade")? == "major",
            ));
            recipients.push(format!("principal:{enterprise}"));
            for unit in [
                r.try_get::<Option<i64>, _>("territorial_unit_id")?,
                r.try_get::<Option<i64>, _>("supervising_unit_id")?,
            ]
            .into_iter()
            .flatten()
            {
                recipients.push(format!("unit:{unit}"));
            }
        }
        let subject: String = r.try_get("public_id")?;
        for recipient in recipients {
            new.push(NewReminder {
                recipient,
                kind,
                subject_kind: "finding",
                subject_key: subject.clone(),
                due_on: due,
                message: message.clone(),
            });
        }
    }
    for campaign in campaigns::current_per_region(store).await? {
        let submitted = reports::submissions(store, campaign.id).await?;
        let region: String = sqlx::query_scalar("SELECT path FROM regions WHERE id = $1")
            .bind(campaign.region_id)
            .fetch_one(store.reader())
            .await?;
        let units = reports::units(
            store,
            &safeduty_core::policy::UnitScope::RegionSubtree {
                region_path: region.clone(),
            },
        )
        .await?;
        for report in reports_due(&campaign.template, campaign.year, calendar) {
            let due = report.due.date;
            let Some(kind) = reminder_due(due, today, days_before, calendar) else {
                continue;
            };
            for unit in &units {
                if submitted.contains_key(&(unit.id, report.key.clone())) {
                    continue;
                }
                if kind == ReminderKind::Overdue {
                    digest.reports.push((region.clone(), unit.name.clone()));
                }
                let message = if kind == ReminderKind::Overdue {
                    format!(
                        "“{}”报送期限{due}已过，{}尚未报送，请尽快报送",
                        report.name, unit.name
                    )
                } else {
                    format!(
                        "“{}”应于{due}前报送{}，请按时报送",
                        report.name, campaign.name
                    )
                };
                new.push(NewReminder {
                    recipient: format!("unit:{}", unit.id),
                    kind,
                    subject_kind: "report",
                    subject_key: format!("{}/{}/{}", campaign.public_id, unit.id, report.key),
                    due_on: due,
                    message,
                });
            }
        }
    }
    new.extend(digest.reminders(store, today).await?);
    let mut tx = store.write().await?;
    let made = insert(&mut tx, &new, today).await?;
    if made > 0 {
        audit::record(
            &mut tx,
            Entry {
                who: &Who::system(),
                event: Event::RemindersGenerated,
                target_kind: crate::audit::Object::Reminders.into(),
                target_id: today.to_string(),
                before: None,
                after: Some(serde_json::json!({ "created": made })),
                result: "ok",
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(made)
}

/// What is overdue on the day, gathered while the single reminders are made, for the committee
/// offices' digests: findings past their time limit (region path, major or not) and reports
/// not handed in after their due date (the campaign's region path, the unit's name).
#[derive(Debug, Default)]
struct Digest {
    findings: Vec<(String, bool)>,
    reports: Vec<(String, String)>,
}

impl Digest {
    /// One reminder per committee office with something overdue in its region
    /// (recipient `office:REGION_PATH`, subject `digest` `REGION_PATH DAY`): how many findings are
    /// past their time limit (how many of them major) and which units owe which report.
    async fn reminders(
        &self,
        store: &Store,
        today: NaiveDate,
    ) -> Result<Vec<NewReminder>, StoreError> {
        let offices: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT r.path FROM units n JOIN regions r ON r.id = n.region_id \
             WHERE n.kind = 'committee_office' ORDER BY r.path",
        )
        .fetch_all(store.reader())
        .await?;
        let mut out = Vec::new();
        for path in offices {
            let mine = |p: &String| p.starts_with(path.as_str());
            let findings: Vec<bool> = self
                .findings
                .iter()
                .filter(|(p, _)| mine(p))
                .map(|(_, major)| *major)
                .collect();
            let reports: Vec<&str> = self
                .reports
                .iter()
                .filter(|(p, _)| mine(p))
                .map(|(_, unit)| unit.as_str())
                .collect();
            if findings.is_empty() && reports.is_empty() {
                continue;
            }
            let mut parts = Vec::new();
            if !findings.is_empty() {
                let major = findings.iter().filter(|m| **m).count();
                parts.push(if major > 0 {
                    format!(
                        "问题隐患{}项逾期未整改（其中重大事故隐患{major}项）",
                        findings.len()
                    )
                } else {
                    format!("问题隐患{}项逾期未整改", findings.len())
                });
            }
            if !reports.is_empty() {
                let mut units: Vec<&str> = reports.clone();
                units.dedup();
                let named: Vec<&str> = units.iter().take(3).copied().collect();
                let more = if units.len() > 3 { "等" } else { "" };
                parts.push(format!(
                    "报告{}份逾期未报送（{}{more}）",
                    reports.len(),
                    named.join("、")
                ));
            }
            out.push(NewReminder {
                recipient: format!("office:{path}"),
                kind: ReminderKind::Digest,
                subject_kind: "digest",
                subject_key: format!("{path} {today}"),
                due_on: today,
                message: format!("截至{today}，辖区内{}，请督促落实", parts.join("；")),
            });
        }
        Ok(out)
    }
}

async fn insert(tx: &mut Tx, new: &[NewReminder], today: NaiveDate) -> Result<usize, StoreError> {
    let now = now_text();
    let mut made = 0;
    for r in new {
        made += sqlx::query(
            "INSERT INTO reminders (public_id, recipient, kind, subject_kind, subject_key, due_on, \
             message, created_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
             ON CONFLICT (subject_kind, subject_key, kind, recipient) DO NOTHING",
        )
        .bind(new_public_id())
        .bind(&r.recipient)
        .bind(r.kind.code())
        .bind(r.subject_kind)
        .bind(&r.subject_key)
        .bind(r.due_on.to_string())
        .bind(&r.message)
        .bind(today.to_string())
        .bind(&now)
        .execute(&mut **tx)
        .await?
        .rows_affected() as usize;
    }
    Ok(made)
}

/// The recipients a user reads reminders for: its own account's notices (`user:ID`), and besides
/// them an enterprise user those of its enterprise and its principal person, a unit officer those
/// of its unit, a committee office its region's daily digest (`office:REGION_PATH`).
pub fn recipients_of(user: &crate::org::User) -> Vec<String> {
    use safeduty_core::policy::{Role, Scope};
    let mut recipients = vec![format!("user:{}", user.id)];
    match (user.role, &user.scope, user.unit_id) {
        (Role::EnterpriseUser, Scope::Enterprise { enterprise_id }, _) => recipients.extend([
            format!("enterprise:{enterprise_id}"),
            format!("principal:{enterprise_id}"),
        ]),
        (Role::UnitOfficer, scope, Some(unit)) if *scope != Scope::Nothing => {
            recipients.push(format!("unit:{unit}"));
        }
        (Role::CommitteeOffice, Scope::RegionSubtree { region_path }, _) => {
            recipients.push(format!("office:{region_path}"));
        }
        _ => {}
    }
    recipients
}

/// Writes a notice to the owner of the account `user_id` (recipient `user:ID`, kind
/// [`ReminderKind::AccountNotice`], dated `today`), in the caller's transaction: read in the
/// owner's inbox and sent on the outbound channels like every reminder. `subject_key` names the
/// event (one notice per event).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn notify_account_in(
    tx: &mut Tx,
    user_id: i64,
    subject_key: String,
    message: String,
    today: NaiveDate,
) -> Result<(), StoreError> {
    insert(
        tx,
        &[NewReminder {
            recipient: format!("user:{user_id}"),
            kind: ReminderKind::AccountNotice,
            subject_kind: "account",
            subject_key,
            due_on: today,
            message,
        }],
        today,
    )
    .await?;
    Ok(())
}

/// Reports a finding upward (issue #18 point 4): one inbox entry of `kind` about the finding
/// `finding_public_id` (linked to it), dated `today`, for each committee office whose region
/// holds `region_path` (the enterprise's region: its district's office and the city's), in the
/// caller's transaction. An entry of the same kind already there is raised again as unread with
/// the new message (a second supervision or downgrade request is news again).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn notify_offices_in(
    tx: &mut Tx,
    region_path: &str,
    kind: ReminderKind,
    finding_public_id: &str,
    message: String,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let offices: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT r.path FROM users u JOIN regions r ON r.id = u.region_id \
         WHERE u.role = 'committee_office' AND u.disabled = 0 \
         AND substr($1, 1, length(r.path)) = r.path",
    )
    .bind(region_path)
    .fetch_all(&mut **tx)
    .await?;
    for path in offices {
        upsert_finding_entry(
            tx,
            &format!("office:{path}"),
            kind,
            finding_public_id,
            &message,
            today,
        )
        .await?;
    }
    Ok(())
}

/// Writes one inbox entry of `kind` about the finding `finding_public_id` (linked to it), dated
/// `today`, for unit `unit_id` (recipient `unit:ID`), in the caller's transaction; an entry of the
/// same kind already there is raised again as unread with the new message.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn notify_unit_about_finding_in(
    tx: &mut Tx,
    unit_id: i64,
    kind: ReminderKind,
    finding_public_id: &str,
    message: String,
    today: NaiveDate,
) -> Result<(), StoreError> {
    upsert_finding_entry(
        tx,
        &format!("unit:{unit_id}"),
        kind,
        finding_public_id,
        &message,
        today,
    )
    .await
}

/// Marks read every committee office's entry of `kind` about the finding `finding_public_id`, in
/// the caller's transaction: what it asked for has been decided.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn mark_office_entries_read_in(
    tx: &mut Tx,
    kind: ReminderKind,
    finding_public_id: &str,
) -> Result<(), StoreError> {
    let now = now_text();
    sqlx::query(
        "UPDATE reminders SET read_at = $1, updated_at = $1 WHERE subject_kind = 'finding' \
         AND subject_key = $2 AND kind = $3 AND recipient LIKE 'office:%' AND read_at IS NULL",
    )
    .bind(&now)
    .bind(finding_public_id)
    .bind(kind.code())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes (or raises again as unread) the entry of `kind` about a finding for `recipient`.
async fn upsert_finding_entry(
    tx: &mut Tx,
    recipient: &str,
    kind: ReminderKind,
    finding_public_id: &str,
    message: &str,
    today: NaiveDate,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO reminders (public_id, recipient, kind, subject_kind, subject_key, due_on, \
         message, created_on, created_at, updated_at) \
         VALUES ($1, $2, $3, 'finding', $4, $5, $6, $5, $7, $7) \
         ON CONFLICT (subject_kind, subject_key, kind, recipient) DO UPDATE SET \
         message = excluded.message, due_on = excluded.due_on, \
         created_on = excluded.created_on, read_at = NULL, updated_at = excluded.updated_at",
    )
    .bind(new_public_id())
    .bind(recipient)
    .bind(kind.code())
    .bind(finding_public_id)
    .bind(today.to_string())
    .bind(message)
    .bind(now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes the ids of the reminders one reader sees: one per subject and kind among those
/// addressed to any of the reader's `recipients`, so that an enterprise user who reads for the
/// enterprise and for its principal person sees an escalated finding once, not twice.
fn push_one_per_subject(sql: &mut Sql, recipients: &[String]) {
    sql.push("SELECT MIN(id) FROM reminders WHERE recipient IN (")
        .push_bind_list(recipients.iter().map(String::as_str))
        .push(") GROUP BY subject_kind, subject_key, kind");
}

/// The newest reminders (at most `limit`) addressed to any of `recipients`, unread first.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn inbox(
    store: &Store,
    recipients: &[String],
    limit: i64,
) -> Result<Vec<Reminder>, StoreError> {
    if recipients.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(
        "SELECT public_id, kind, due_on, message, created_on, read_at, subject_kind, subject_key \
         FROM reminders WHERE id IN (",
    );
    push_one_per_subject(&mut sql, recipients);
    sql.push(
        ") ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, created_on DESC, id DESC LIMIT ",
    )
    .push_bind(limit);
    let rows = sql.query().fetch_all(store.reader()).await?;
    let date = |s: String| {
        s.parse::<NaiveDate>()
            .map_err(|_| StoreError::Corrupt(format!("date {s:?}")))
    };
    rows.iter()
        .map(|r| {
            Ok(Reminder {
                public_id: r.try_get("public_id")?,
                kind: r.try_get("kind")?,
                due_on: date(r.try_get("due_on")?)?,
                message: r.try_get("message")?,
                created_on: date(r.try_get("created_on")?)?,
                read: r.try_get::<Option<String>, _>("read_at")?.is_some(),
                subject_kind: r.try_get("subject_kind")?,
                subject_key: r.try_get("subject_key")?,
            })
        })
        .collect()
}

/// Number of unread reminders addressed to any of `recipients`.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn unread(store: &Store, recipients: &[String]) -> Result<i64, StoreError> {
    if recipients.is_empty() {
        return Ok(0);
    }
    let mut sql = Sql::new("SELECT COUNT(*) FROM reminders WHERE read_at IS NULL AND id IN (");
    push_one_per_subject(&mut sql, recipients);
    sql.push(")");
    Ok(sql.query_scalar().fetch_one(store.reader()).await?)
}

/// Marks a reminder read (again: harmless), if it is addressed to one of `recipients`; audited.
///
/// # Errors
/// [`StoreError::NotFound`] when there is no such reminder for these recipients.
pub async fn mark_read(
    store: &Store,
    who: &Who,
    public_id: &str,
    recipients: &[String],
) -> Result<(), StoreError> {
    if !crate::is_public_id(public_id) || recipients.is_empty() {
        return Err(StoreError::NotFound);
    }
    let mut tx = store.write().await?;
    let mut sql = Sql::default();
    let now = sql.bind(now_text());
    sql.push(&format!(
        "UPDATE reminders SET read_at = COALESCE(read_at, {now}), updated_at = {now} \
         WHERE public_id = "
    ))
    .push_bind(public_id)
    .push(" AND recipient IN (")
    .push_bind_list(recipients.iter().map(String::as_str))
    .push(")");
    if sql.query().execute(&mut *tx).await?.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::ReminderRead,
            target_kind: crate::audit::Object::Reminder.into(),
            target_id: public_id.to_string(),
            before: None,
            after: None,
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A reminder waiting to go out on a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Internal id.
    pub id: i64,
    /// A [`ReminderKind`] code: `due_soon`, `overdue` or `account_notice`.
    pub kind: String,
    /// Text for people.
    pub message: String,
    /// Attempts so far.
    pub attempts: i64,
}

/// Reminders not yet delivered on `channel` whose next attempt is due, oldest first, at most
/// `limit`.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn pending(store: &Store, channel: &str, limit: i64) -> Result<Vec<Pending>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.id, r.kind, r.message, COALESCE(d.attempts, 0) AS attempts FROM reminders r \
         LEFT JOIN reminder_deliveries d ON d.reminder_id = r.id AND d.channel = $1 \
         WHERE d.delivered_at IS NULL AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= $2) \
         ORDER BY r.id LIMIT $3",
    )
    .bind(channel)
    .bind(now_text())
    .bind(limit)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Pending {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                message: r.try_get("message")?,
                attempts: r.try_get("attempts")?,
            })
        })
        .collect()
}

/// Records one delivery attempt of a reminder on `channel`: delivered, or failed with the error
/// and the instant of the next attempt; audited.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn record_attempt(
    store: &Store,
    reminder_id: i64,
    channel: &str,
    result: Result<(), (&str, chrono::DateTime<Utc>)>,
) -> Result<(), StoreError> {
    let now = now_text();
    let fmt = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let (error, next, delivered): (Option<String>, String, Option<String>) = match result {
        Ok(()) => (None, now.clone(), Some(now.clone())),
        Err((e, next)) => (
            Some(e.chars().take(500).collect::<String>()),
            fmt(next),
            None,
        ),
    };
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO reminder_deliveries (reminder_id, channel, attempts, last_error, \
         next_attempt_at, delivered_at, created_at, updated_at) \
         VALUES ($1, $2, 1, $3, $4, $5, $6, $6) \
         ON CONFLICT (reminder_id, channel) DO UPDATE SET attempts = reminder_deliveries.attempts + 1, \
         last_error = $3, next_attempt_at = $4, delivered_at = $5, updated_at = $6",
    )
    .bind(reminder_id)
    .bind(channel)
    .bind(error.clone())
    .bind(next)
    .bind(delivered.clone())
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    // Data leaving the system is audited like an export.
    audit::record(
        &mut tx,
        Entry {
            who: &Who::system(),
            event: Event::ReminderSent,
            target_kind: crate::audit::Object::Reminder.into(),
            target_id: reminder_id.to_string(),
            before: None,
            after: Some(serde_json::json!({"channel": channel, "error": error})),
            result: if delivered.is_some() { "ok" } else { "failed" },
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
