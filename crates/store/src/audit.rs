//! The audit trail: one record per change or security event, written in the same transaction as
//! the change, hash-chained so that an edit or deletion of history is detectable
//! (DESIGN.md §3 "Audit"; GB/T 22239-2019 level 3, security audit).
//!
//! Chain: `hash = SHA-256(prev_hash ␟ seq ␟ at ␟ actor ␟ role ␟ client ␟ event ␟ target_kind ␟
//! target_id ␟ before ␟ after ␟ result)` in lower-case hex (the fields are defined once, in
//! `hashed::HashedFields`, for writing and verifying); the first record's `prev_hash` is 64
//! zeros. The head row (`audit_head`, id 1) is updated in the same transaction: it serializes
//! writers on both backends without advisory locks.

use sqlx::Row;

use crate::{Store, StoreError, Tx, now_text};

pub mod anchor;
mod hashed;
pub mod search;
mod verify;

use hashed::HashedFields;

pub use verify::{Verification, verify, verify_against};

/// The `prev_hash` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Kinds of audited events. Stored by [`Event::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Successful login.
    Login,
    /// Failed login.
    LoginFailed,
    /// Logout.
    Logout,
    /// An action refused by the authorization policy.
    PermissionDenied,
    /// Reference data created (regions, units, enterprises, users) by seeding or import.
    Created,
    /// A campaign created from a template.
    CampaignCreated,
    /// A self-inspection draft saved.
    SelfInspectionSaved,
    /// A self-inspection submitted.
    SelfInspectionSubmitted,
    /// A finding opened.
    FindingOpened,
    /// A finding's time limit changed.
    FindingDueChanged,
    /// A finding moved in its loop, or its ledger fields, plan, temporary measures or extension
    /// request changed (the action is in the record's `after`).
    FindingTransition,
    /// An evidence attachment was added.
    AttachmentAdded,
    /// An attachment (or its thumbnail) was downloaded.
    AttachmentDownloaded,
    /// An enterprise record (training, induction, emergency plan, drill, major hazard source,
    /// violation) was created or changed.
    RecordSaved,
    /// A year's holiday arrangement loaded or replaced.
    CalendarYearLoaded,
    /// A unit submitted a report.
    ReportSubmitted,
    /// The reminder job made reminders.
    RemindersGenerated,
    /// A reminder was read.
    ReminderRead,
    /// A reminder was sent outward (or the attempt failed).
    ReminderSent,
    /// An account was locked after repeated failed logins.
    AccountLocked,
    /// A user changed their password (all their sessions ended).
    PasswordChanged,
    /// A user must choose a new password at the next request.
    PasswordChangeRequired,
    /// Reference data changed (an enterprise by roster import, an industry table entry).
    Updated,
    /// A roster was imported (one summary record besides each enterprise's own).
    RosterImported,
    /// A roster was exported (format, count, whether phones were masked).
    RosterExported,
    /// A backup was taken.
    BackupTaken,
    /// The store was restored from a backup (the new anchor of the trail).
    Restored,
    /// The campaign's duty commitment text was set (a new version).
    CommitmentTextSet,
    /// A safety manager signed the duty commitment.
    CommitmentSigned,
    /// An enterprise recorded where and when its commitments were published internally.
    CommitmentPublished,
    /// An anchor of the trail was taken (kept in `audit_anchors` and printed for off-site keeping).
    AnchorTaken,
    /// The audit administrator exported the trail (the filter is in the record's `after`).
    AuditExported,
    /// An account was disabled (its sessions ended) or enabled again by the system administrator.
    AccountStatusChanged,
    /// An administrator reset an account's password (must change at next login).
    PasswordReset,
    /// The security administrator changed an account's role or scope (its sessions ended).
    RoleAssigned,
    /// The security administrator changed the password or lockout policy.
    SecurityPolicyChanged,
    /// A user enrolled (confirmed) a TOTP second factor.
    SecondFactorEnrolled,
    /// Enterprise accounts were provisioned in bulk (one summary record besides each account's).
    AccountsProvisioned,
    /// A plan document was uploaded and imported as a draft for review.
    PlanDraftCreated,
    /// A reviewer edited a plan draft or resolved one of its questions.
    PlanDraftEdited,
    /// A reviewed plan draft was saved as a campaign template.
    PlanTemplateSaved,
    /// An unsafe request without its CSRF token, or with a wrong one, was refused.
    CsrfRejected,
    /// A generated file was downloaded (a commitment letter, a ledger export, a template; what
    /// it was is in the record's `after`).
    FileDownloaded,
}

impl Event {
    /// Stable code stored in the trail.
    pub fn code(self) -> &'static str {
        match self {
            Event::Login => "login",
            Event::LoginFailed => "login_failed",
            Event::Logout => "logout",
            Event::PermissionDenied => "permission_denied",
            Event::Created => "created",
            Event::CampaignCreated => "campaign_created",
            Event::SelfInspectionSaved => "self_inspection_saved",
            Event::SelfInspectionSubmitted => "self_inspection_submitted",
            Event::FindingOpened => "finding_opened",
            Event::FindingDueChanged => "finding_due_changed",
            Event::FindingTransition => "finding_transition",
            Event::AttachmentAdded => "attachment_added",
            Event::AttachmentDownloaded => "attachment_downloaded",
            Event::RecordSaved => "record_saved",
            Event::CalendarYearLoaded => "calendar_year_loaded",
            Event::ReportSubmitted => "report_submitted",
            Event::RemindersGenerated => "reminders_generated",
            Event::ReminderRead => "reminder_read",
            Event::ReminderSent => "reminder_sent",
            Event::AccountLocked => "account_locked",
            Event::PasswordChanged => "password_changed",
            Event::PasswordChangeRequired => "password_change_required",
            Event::Updated => "updated",
            Event::RosterImported => "roster_imported",
            Event::RosterExported => "roster_exported",
            Event::BackupTaken => "backup_taken",
            Event::Restored => "restored",
            Event::CommitmentTextSet => "commitment_text_set",
            Event::CommitmentSigned => "commitment_signed",
            Event::CommitmentPublished => "commitment_published",
            Event::AnchorTaken => "anchor_taken",
            Event::AuditExported => "audit_exported",
            Event::AccountStatusChanged => "account_status_changed",
            Event::PasswordReset => "password_reset",
            Event::RoleAssigned => "role_assigned",
            Event::SecurityPolicyChanged => "security_policy_changed",
            Event::SecondFactorEnrolled => "second_factor_enrolled",
            Event::AccountsProvisioned => "accounts_provisioned",
            Event::PlanDraftCreated => "plan_draft_created",
            Event::PlanDraftEdited => "plan_draft_edited",
            Event::PlanTemplateSaved => "plan_template_saved",
            Event::CsrfRejected => "csrf_rejected",
            Event::FileDownloaded => "file_downloaded",
        }
    }
}

/// Who did it, from where.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Who {
    /// User id, if authenticated.
    pub user_id: Option<i64>,
    /// Role code, if authenticated.
    pub role: Option<String>,
    /// Client address as seen by the server.
    pub client_addr: Option<String>,
}

impl Who {
    /// The system itself (seeding, migrations, CLI without a user).
    pub fn system() -> Who {
        Who {
            user_id: None,
            role: Some("system".into()),
            client_addr: None,
        }
    }
}

/// One audit record to write.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// Who.
    pub who: &'a Who,
    /// What kind of event.
    pub event: Event,
    /// Kind of target (`self_inspection`, `finding`, `user`, …).
    pub target_kind: &'a str,
    /// Target identifier (public id where there is one).
    pub target_id: String,
    /// State before, as JSON, when the event changes something.
    pub before: Option<serde_json::Value>,
    /// State after, as JSON.
    pub after: Option<serde_json::Value>,
    /// `ok`, `denied`, `failed`.
    pub result: &'a str,
}

pub(crate) async fn ensure_head(store: &Store) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM audit_head WHERE id = 1")
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        sqlx::query(
            "INSERT INTO audit_head (id, seq, last_hash, updated_at) VALUES (1, 0, $1, $2)",
        )
        .bind(GENESIS)
        .bind(now_text())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Writes one record inside `tx`; it commits or rolls back with the change it describes.
///
/// # Errors
/// [`StoreError::Database`] when the head row or the record cannot be written.
pub async fn record(tx: &mut Tx, e: Entry<'_>) -> Result<(), StoreError> {
    // Taking the head row first serializes concurrent writers (a row lock on PostgreSQL, the
    // single writer on SQLite).
    let row = sqlx::query(
        "UPDATE audit_head SET seq = seq + 1, updated_at = $1 WHERE id = 1 RETURNING seq, last_hash",
    )
    .bind(now_text())
    .fetch_one(&mut **tx)
    .await?;
    let seq: i64 = row.try_get("seq")?;
    let prev: String = row.try_get("last_hash")?;
    let fields = HashedFields::of_entry(seq, now_text(), &e);
    let hash = fields.hash(&prev);
    let mut sql = HashedFields::insert();
    fields.push_row(&mut sql, &prev, &hash);
    sql.query().execute(&mut **tx).await?;
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How many records one `INSERT` of [`record_many`] carries (15 columns each).
const RECORDS_PER_INSERT: usize = 200;

/// Writes several records inside `tx`, chained in order, taking the head row once: for changes
/// of many targets at a time (a roster import), where a head update per record would make
/// PostgreSQL walk an ever longer chain of versions of that one row.
///
/// # Errors
/// As [`record`].
pub async fn record_many(tx: &mut Tx, entries: &[Entry<'_>]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let n = i64::try_from(entries.len()).map_err(|_| StoreError::Corrupt("too many".into()))?;
    let row = sqlx::query(
        "UPDATE audit_head SET seq = seq + $2, updated_at = $1 WHERE id = 1 RETURNING seq, last_hash",
    )
    .bind(now_text())
    .bind(n)
    .fetch_one(&mut **tx)
    .await?;
    let mut seq: i64 = row.try_get::<i64, _>("seq")? - n;
    let mut prev: String = row.try_get("last_hash")?;
    for chunk in entries.chunks(RECORDS_PER_INSERT) {
        let mut sql = HashedFields::insert();
        for (k, e) in chunk.iter().enumerate() {
            seq += 1;
            let fields = HashedFields::of_entry(seq, now_text(), e);
            let hash = fields.hash(&prev);
            if k > 0 {
                sql.push(", ");
            }
            fields.push_row(&mut sql, &prev, &hash);
            prev = hash;
        }
        sql.query().execute(&mut **tx).await?;
    }
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
        .bind(&prev)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes one record in a transaction of its own (security events that change no business
/// data: a failed login, a denial).
///
/// # Errors
/// As [`record`].
pub async fn record_alone(store: &Store, e: Entry<'_>) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    record(&mut tx, e).await?;
    tx.commit().await?;
    Ok(())
}

/// Number of records of the event with code `event` (see [`Event::code`]).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn count_events(store: &Store, event: &str) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_records WHERE event = $1")
            .bind(event)
            .fetch_one(store.reader())
            .await?,
    )
}
