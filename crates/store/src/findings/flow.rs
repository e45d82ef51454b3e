//! A finding's loop in the store: each request decided by
//! [`safeduty_core::finding::lifecycle::decide`], written with its history row and audit record
//! in one transaction.
//!
//! Concurrency (shared case B18–B20): every change carries the finding's `version` the client
//! loaded; the update matches that version, so of two changes made against the same version one
//! wins and the other gets [`StoreError::Conflict`] with [`STALE`]. A request may carry a token
//! (one per form shown): a second request by the same user with a token already used on the
//! finding changes nothing and answers like the first (a double click is one transition); the
//! same token from someone else is no repeat of theirs.

use chrono::NaiveDate;
use safeduty_core::finding::ledger::{Details, Grade};
use safeduty_core::finding::lifecycle::{RefusalKind, Request, Status, decide};
use safeduty_core::policy::Role;
use safeduty_core::reminders::ReminderKind;
use serde::Serialize;
use sqlx::Row;

use super::{FINDING_SELECT, Finding, NewFindingRow, finding_from_row};
use crate::attachments::Owner;
use crate::audit::{self, Entry, Event, Who};
use crate::sql::{Sql, Value};
use crate::{Store, StoreError, Tx, now_text};
use safeduty_core::refusal::Refusal;

/// The message of a change made against an older version (B19).
pub const STALE: &str = "记录已被他人修改，请刷新页面后重试";

/// Longest request token.
const TOKEN_MAX: usize = 64;

/// What a change did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// The finding's status after it.
    pub status: Status,
    /// Its version after it.
    pub version: i64,
    /// Whether this was a repeat of a request already applied (nothing was changed now).
    pub replayed: bool,
}

/// Writes one history row inside `tx`.
#[allow(clippy::too_many_arguments)] // one column each; a struct would only rename them
pub(crate) async fn history(
    tx: &mut Tx,
    who: &Who,
    finding_id: i64,
    action: &str,
    from: &str,
    to: Status,
    reason: &str,
    payload: &serde_json::Value,
    token: Option<&str>,
) -> Result<(), StoreError> {
    let now = now_text();
    sqlx::query(
        "INSERT INTO finding_transitions (finding_id, action, from_status, to_status, \
         actor_user_id, actor_role, at, reason, payload, request_token, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $7, $7)",
    )
    .bind(finding_id)
    .bind(action)
    .bind(from)
    .bind(to.code())
    .bind(who.user_id)
    .bind(who.role.clone().unwrap_or_default())
    .bind(&now)
    .bind(reason)
    .bind(payload.to_string())
    .bind(token)
    .execute(&mut **tx)
    .await
    .map_err(|e| StoreError::from_write(e, STALE))?;
    Ok(())
}

/// A loaded finding with its campaign's last day.
async fn load(tx: &mut Tx, public_id: &str) -> Result<(Finding, Option<NaiveDate>), StoreError> {
    if !crate::is_public_id(public_id) {
        return Err(StoreError::NotFound);
    }
    let sql = format!("{FINDING_SELECT} WHERE f.public_id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(public_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let f = finding_from_row(&row)?;
    let row = sqlx::query(
        "SELECT c.template FROM campaigns c JOIN findings f ON f.campaign_id = c.id WHERE f.id = $1",
    )
    .bind(f.id)
    .fetch_one(&mut **tx)
    .await?;
    let template: safeduty_core::template::CampaignTemplate =
        serde_json::from_str(&row.try_get::<String, _>("template")?)
            .map_err(|e| StoreError::Corrupt(format!("campaign template: {e}")))?;
    Ok((f, template.last_day()))
}

/// Whether `who` already used `token` on the finding.
async fn token_used(
    tx: &mut Tx,
    who: &Who,
    finding_id: i64,
    token: Option<&str>,
) -> Result<bool, StoreError> {
    let Some(token) = token else {
        return Ok(false);
    };
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM finding_transitions WHERE finding_id = $1 AND request_token = $2 \
         AND COALESCE(actor_user_id, 0) = $3",
    )
    .bind(finding_id)
    .bind(token)
    .bind(who.user_id.unwrap_or(0))
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

fn check_token(token: Option<&str>) -> Result<Option<&str>, StoreError> {
    match token.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t)
            if t.len() > TOKEN_MAX
                || !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            Err(StoreError::Conflict("请求标识无效".into()))
        }
        t => Ok(t),
    }
}

/// The evidence the submit guard counts: files of the finding (its owner [`Owner::Finding`]) not
/// withdrawn, uploaded since it was last returned (all of them before a return, uploads before
/// 开始整改 included): a rework needs evidence of its own, not the photos of the first round.
pub(crate) async fn evidence_count(tx: &mut Tx, finding_id: i64) -> Result<usize, StoreError> {
    files_since(tx, Owner::Finding { finding_id }, finding_id, "returned").await
}

/// The on-site check's files the close-out counts ([`Owner::FindingCheck`]): not withdrawn,
/// uploaded since the finding was last submitted, so that each verification has its own.
pub(crate) async fn check_file_count(tx: &mut Tx, finding_id: i64) -> Result<usize, StoreError> {
    files_since(
        tx,
        Owner::FindingCheck { finding_id },
        finding_id,
        "submitted",
    )
    .await
}

/// Files of `owner` not withdrawn and uploaded since the finding last entered `status` (all of
/// them if it never did).
async fn files_since(
    tx: &mut Tx,
    owner: Owner,
    finding_id: i64,
    status: &str,
) -> Result<usize, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM attachments a WHERE a.owner_kind = $1 AND a.owner_id = $2 \
         AND a.withdrawn_at IS NULL \
         AND a.uploaded_at >= COALESCE((SELECT MAX(t.at) FROM finding_transitions t \
         WHERE t.finding_id = $3 AND t.to_status = $4 AND t.from_status <> t.to_status), '')",
    )
    .bind(owner.kind())
    .bind(owner.key())
    .bind(finding_id)
    .bind(status)
    .fetch_one(&mut **tx)
    .await?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// One change of a finding row: the status after it, extra `SET` assignments with their values,
/// the reason and payload for the history.
struct Change {
    to: Status,
    set: Vec<(&'static str, Value)>,
    reason: String,
    payload: serde_json::Value,
}

/// Writes `change` against `expected_version`, with its history row and audit record.
#[allow(clippy::too_many_arguments)]
async fn write(
    mut tx: Tx,
    who: &Who,
    f: &Finding,
    action: &str,
    change: Change,
    expected_version: i64,
    token: Option<&str>,
) -> Result<Applied, StoreError> {
    let mut sql = Sql::new("UPDATE findings SET status = ");
    sql.push_bind(change.to.code())
        .push(", version = version + 1, updated_at = ")
        .push_bind(now_text());
    for (column, value) in change.set {
        sql.push(&format!(", {column} = ")).push_bind(value);
    }
    sql.push(" WHERE id = ")
        .push_bind(f.id)
        .push(" AND version = ")
        .push_bind(expected_version);
    let n = sql.query().execute(&mut *tx).await?.rows_affected();
    if n == 0 {
        // A twin request committed meanwhile (PostgreSQL waits on the row, then finds the
        // version moved): it answers like the first.
        if token_used(&mut tx, who, f.id, token).await? {
            return Ok(Applied {
                status: change.to,
                version: expected_version + 1,
                replayed: true,
            });
        }
        return Err(StoreError::Conflict(STALE.into()));
    }
    history(
        &mut tx,
        who,
        f.id,
        action,
        f.status.code(),
        change.to,
        &change.reason,
        &change.payload,
        token,
    )
    .await?;
    // A time limit set directly keeps the event the audit trail has always searched it by.
    let event = if action == Request::CHANGE_DUE {
        Event::FindingDueChanged
    } else {
        Event::FindingTransition
    };
    audit::record(
        &mut tx,
        Entry {
            who,
            event,
            target_kind: crate::audit::Object::Finding.into(),
            target_id: f.public_id.clone(),
            before: Some(audit_before(f, expected_version, &change.payload)),
            after: Some(serde_json::json!({
                "action": action,
                "status": change.to.code(),
                "reason": change.reason,
                "payload": change.payload,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Applied {
        status: change.to,
        version: expected_version + 1,
        replayed: false,
    })
}

/// The audit record's `before`: status and version, and for a ledger edit the fields as they
/// were (the payload's `before`), so the record alone says what the edit replaced.
fn audit_before(f: &Finding, version: i64, payload: &serde_json::Value) -> serde_json::Value {
    let mut before = serde_json::json!({"status": f.status.code(), "version": version});
    if let Some(fields) = payload.get("before") {
        before["fields"] = fields.clone();
    }
    before
}

/// Opens the transaction, loads the finding, answers a repeated token.
async fn begin(
    store: &Store,
    who: &Who,
    public_id: &str,
    token: Option<&str>,
) -> Result<Result<(Tx, Finding, Option<NaiveDate>), Applied>, StoreError> {
    let mut tx = store.write().await?;
    let (f, end) = load(&mut tx, public_id).await?;
    if token_used(&mut tx, who, f.id, token).await? {
        // On PostgreSQL (read committed) the twin may have committed between the two reads:
        // answer with the finding as it stands now, not as first loaded.
        let (f, _) = load(&mut tx, public_id).await?;
        return Ok(Err(Applied {
            status: f.status,
            version: f.version,
            replayed: true,
        }));
    }
    Ok(Ok((tx, f, end)))
}

/// Decides `request` on the loaded finding against the version the client loaded: a step the
/// role may not take is refused as such (403) whatever version the page showed; otherwise a
/// stale version is [`STALE`] before any refusal of the state or the content, which the client
/// saw for an older state.
fn decide_at(
    f: &Finding,
    end: Option<NaiveDate>,
    role: Role,
    request: &Request,
    expected_version: i64,
) -> Result<Status, StoreError> {
    let decided = decide(&f.facts(end), role, request);
    if let Err(r) = &decided
        && r.kind() == RefusalKind::Forbidden
    {
        return Err(StoreError::Refused(r.clone().into()));
    }
    if f.version != expected_version {
        return Err(StoreError::Conflict(STALE.into()));
    }
    Ok(decided.map_err(Refusal::from)?)
}

/// Applies `request` by an actor of `role` to the finding `public_id` loaded at
/// `expected_version`, on `today` (the civil date, for the close-out day). For
/// [`Request::Submit`] the evidence counted is the store's, whatever the request says. The
/// caller has checked that the finding's enterprise is in the actor's scope.
///
/// # Errors
/// [`StoreError::NotFound`]; [`StoreError::Conflict`] ([`STALE`]) when the finding changed since
/// `expected_version`; [`StoreError::Refused`] when the loop refuses. Nothing is written
/// then.
#[allow(clippy::too_many_arguments)] // who, what, against which version, with which token, when
pub async fn apply(
    store: &Store,
    who: &Who,
    role: Role,
    public_id: &str,
    request: Request,
    expected_version: i64,
    token: Option<&str>,
    today: NaiveDate,
) -> Result<Applied, StoreError> {
    let token = check_token(token)?;
    let (mut tx, f, end) = match begin(store, who, public_id, token).await? {
        Ok(loaded) => loaded,
        Err(replayed) => return Ok(replayed),
    };
    let request = match request {
        Request::Submit { .. } => Request::Submit {
            evidence: evidence_count(&mut tx, f.id).await?,
        },
        Request::Verify {
            opinion, verifiers, ..
        } => Request::Verify {
            opinion,
            verifiers,
            check_files: check_file_count(&mut tx, f.id).await?,
        },
        other => other,
    };
    let to = decide_at(&f, end, role, &request, expected_version)?;
    let text = |s: &str| Value::Text(s.trim().to_string());
    let none = serde_json::json!({});
    let change = match &request {
        Request::AcceptPlan(plan) => {
            let plan = plan.trimmed();
            Change {
                to,
                set: vec![
                    ("plan_responsible", text(&plan.responsible)),
                    ("plan_measures", text(&plan.measures)),
                    ("plan_funds_fen", opt_i64(plan.funds_fen)),
                    (
                        "plan_time_limit",
                        opt_text(plan.time_limit.map(|d| d.to_string())),
                    ),
                    ("plan_contingency", text(&plan.contingency_plan)),
                ],
                reason: String::new(),
                payload: serde_json::to_value(&plan).unwrap_or_default(),
            }
        }
        Request::TemporaryMeasures {
            measures,
            stop_work,
        } => Change {
            to,
            set: vec![
                ("temporary_measures", text(measures)),
                ("stop_work", Value::I64(i64::from(*stop_work))),
            ],
            reason: String::new(),
            payload: serde_json::json!({"measures": measures.trim(), "stop_work": stop_work}),
        },
        Request::Submit { evidence } => Change {
            to,
            set: vec![],
            reason: String::new(),
            payload: serde_json::json!({"evidence": evidence}),
        },
        Request::Verify {
            opinion,
            verifiers,
            check_files,
        } => {
            if let Some((unit, _)) = &f.supervision {
                // 摘牌: the offices told of the supervision hear that it ended.
                let message = format!(
                    "挂牌督办的重大事故隐患已验收销号：{}“{}”，督办单位{unit}，核验人员{}",
                    f.enterprise_name,
                    f.description,
                    verifiers.trim()
                );
                notify_offices(&mut tx, &f, ReminderKind::Supervision, message, today).await?;
            }
            Change {
                to,
                set: vec![
                    ("closed_on", Value::Text(today.to_string())),
                    ("verification_opinion", text(opinion)),
                    ("verifiers", text(verifiers)),
                ],
                reason: String::new(),
                payload: serde_json::json!({
                    "opinion": opinion.trim(),
                    "verifiers": verifiers.trim(),
                    "check_files": check_files,
                }),
            }
        }
        Request::Return { reason } => Change {
            to,
            set: vec![],
            reason: reason.trim().into(),
            payload: none,
        },
        Request::StartRectifying | Request::StartRework => Change {
            to,
            set: vec![],
            reason: String::new(),
            payload: none,
        },
        Request::RequestExtension { due_on, reason } => Change {
            to,
            set: vec![
                ("extension_due_on", Value::Text(due_on.to_string())),
                ("extension_reason", text(reason)),
            ],
            reason: reason.trim().into(),
            payload: serde_json::json!({"due_on": due_on.to_string(), "was": f.due_on.to_string()}),
        },
        Request::DecideExtension { approve, reason } => {
            let asked = f.pending_extension.as_ref().map(|(d, _)| *d);
            let mut set = vec![
                ("extension_due_on", opt_text(None)),
                ("extension_reason", Value::Text(String::new())),
            ];
            if *approve && let Some(d) = asked {
                set.push(("due_on", Value::Text(d.to_string())));
                set.push(("time_limit_working_days", opt_i64(None)));
            }
            Change {
                to,
                set,
                reason: reason.trim().into(),
                payload: serde_json::json!({
                    "due_on": asked.map(|d| d.to_string()),
                    "was": f.due_on.to_string(),
                    "approved": approve,
                }),
            }
        }
        Request::ChangeDue { due_on, reason } => Change {
            to,
            set: vec![
                ("due_on", Value::Text(due_on.to_string())),
                ("time_limit_working_days", opt_i64(None)),
            ],
            reason: reason.trim().into(),
            payload: serde_json::json!({"due_on": due_on.to_string(), "was": f.due_on.to_string()}),
        },
        Request::Supervise { unit_id } => {
            let unit: String = sqlx::query_scalar("SELECT name FROM units WHERE id = $1")
                .bind(unit_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let current: Option<i64> =
                sqlx::query_scalar("SELECT supervising_unit_id FROM findings WHERE id = $1")
                    .bind(f.id)
                    .fetch_one(&mut *tx)
                    .await?;
            if current == Some(*unit_id) {
                return Err(StoreError::Refused(
                    safeduty_core::finding::lifecycle::Refusal::SameSupervisor.into(),
                ));
            }
            let message = format!(
                "重大事故隐患挂牌督办：{}“{}”，督办单位{unit}，整改期限{}",
                f.enterprise_name, f.description, f.due_on
            );
            notify_offices(&mut tx, &f, ReminderKind::Supervision, message, today).await?;
            Change {
                to,
                set: vec![
                    ("supervising_unit_id", Value::I64(*unit_id)),
                    ("supervised_on", Value::Text(today.to_string())),
                ],
                reason: String::new(),
                payload: serde_json::json!({
                    "unit_id": unit_id,
                    "unit": unit,
                    "was": f.supervision.as_ref().map(|(u, _)| u),
                }),
            }
        }
        Request::RequestDowngrade { reason } => {
            let message = format!(
                "重大事故隐患降级申请待审批：{}“{}”，理由：{}",
                f.enterprise_name,
                f.description,
                reason.trim()
            );
            notify_offices(&mut tx, &f, ReminderKind::Approval, message, today).await?;
            Change {
                to,
                set: vec![("downgrade_reason", text(reason))],
                reason: reason.trim().into(),
                payload: none,
            }
        }
        Request::DecideDowngrade { approve, reason } => {
            tell_downgrade_requester(&mut tx, &f, *approve, reason, today).await?;
            let mut set = vec![("downgrade_reason", opt_text(None))];
            if *approve {
                set.extend([
                    ("grade", Value::Text(Grade::General.code().into())),
                    ("supervising_unit_id", opt_i64(None)),
                    ("supervised_on", opt_text(None)),
                ]);
            }
            Change {
                to,
                set,
                reason: reason.trim().into(),
                payload: serde_json::json!({
                    "asked": f.pending_downgrade,
                    "approved": approve,
                }),
            }
        }
        Request::Edit { .. } => {
            return Err(StoreError::Corrupt("edits go through flow::edit".into()));
        }
    };
    write(tx, who, &f, request.code(), change, expected_version, token).await
}

/// Reports a major finding upward (issue #18 point 4): one inbox entry, linked to the finding,
/// for each committee office whose region holds the finding's enterprise, inside `tx`.
async fn notify_offices(
    tx: &mut Tx,
    f: &Finding,
    kind: ReminderKind,
    message: String,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let path: String = sqlx::query_scalar(
        "SELECT r.path FROM enterprises e JOIN regions r ON r.id = e.region_id WHERE e.id = $1",
    )
    .bind(f.enterprise_id)
    .fetch_one(&mut **tx)
    .await?;
    crate::reminders::notify_offices_in(tx, &path, kind, &f.public_id, message, today).await
}

/// Tells the unit of the officer who asked to downgrade major finding `f` the committee office's
/// decision (an inbox entry linked to the finding, in `tx`), and marks the offices' approval
/// entry read: the request it announced is decided.
async fn tell_downgrade_requester(
    tx: &mut Tx,
    f: &Finding,
    approve: bool,
    reason: &str,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let unit: Option<i64> = sqlx::query_scalar(
        "SELECT u.unit_id FROM finding_transitions t JOIN users u ON u.id = t.actor_user_id \
         WHERE t.finding_id = $1 AND t.action = $2 ORDER BY t.id DESC LIMIT 1",
    )
    .bind(f.id)
    .bind(Request::REQUEST_DOWNGRADE)
    .fetch_optional(&mut **tx)
    .await?
    .flatten();
    if let Some(unit) = unit {
        let decision = if approve {
            "已批准，降为一般隐患"
        } else {
            "未批准，仍按重大事故隐患督办"
        };
        let why = reason.trim();
        let message = format!(
            "重大事故隐患降级申请{decision}：{}“{}”{}",
            f.enterprise_name,
            f.description,
            if why.is_empty() {
                String::new()
            } else {
                format!("，理由：{why}")
            }
        );
        crate::reminders::notify_unit_about_finding_in(
            tx,
            unit,
            ReminderKind::Approval,
            &f.public_id,
            message,
            today,
        )
        .await?;
    }
    crate::reminders::mark_office_entries_read_in(tx, ReminderKind::Approval, &f.public_id).await
}

/// Edits the ledger fields of the finding `public_id` loaded at `expected_version` (who may, see
/// [`decide`]); the history row's payload and the audit record keep the fields before and
/// after.
///
/// # Errors
/// As [`apply`]; [`StoreError::Refused`] for a missing description.
pub async fn edit(
    store: &Store,
    who: &Who,
    role: Role,
    public_id: &str,
    details: &Details,
    expected_version: i64,
    token: Option<&str>,
) -> Result<Applied, StoreError> {
    let token = check_token(token)?;
    let details = details.clean().map_err(Refusal::from)?;
    let (tx, f, end) = match begin(store, who, public_id, token).await? {
        Ok(loaded) => loaded,
        Err(replayed) => return Ok(replayed),
    };
    let request = Request::Edit {
        grade: details.grade,
    };
    let to = decide_at(&f, end, role, &request, expected_version)?;
    let change = Change {
        to,
        set: vec![
            ("category", Value::Text(details.category.code().into())),
            ("grade", Value::Text(details.grade.code().into())),
            ("location", Value::Text(details.location.clone())),
            ("description", Value::Text(details.description.clone())),
            ("item_number", opt_i64(details.item_number.map(i64::from))),
        ],
        reason: String::new(),
        payload: serde_json::json!({
            "before": {
                "category": f.category.code(), "grade": f.grade.code(),
                "location": f.location, "description": f.description, "item": f.item_number,
            },
            "after": {
                "category": details.category.code(), "grade": details.grade.code(),
                "location": details.location, "description": details.description,
                "item": details.item_number,
            },
        }),
    };
    write(tx, who, &f, request.code(), change, expected_version, token).await
}

fn opt_text(v: Option<String>) -> Value {
    Value::OptText(v)
}

fn opt_i64(v: Option<i64>) -> Value {
    Value::OptI64(v)
}

/// Opens a finding found by an officer (enforcement, acceptance or routine inspection) for an
/// enterprise the caller checked is in scope. A request with a token already used opens nothing
/// and returns the finding it opened.
///
/// # Errors
/// [`StoreError::Refused`] for a self-inspection source or missing description;
/// [`StoreError::Refused`] for a time limit out of bounds.
pub async fn open_by_officer(
    store: &Store,
    who: &Who,
    row: NewFindingRow,
    campaign_end: Option<NaiveDate>,
) -> Result<String, StoreError> {
    let token = check_token(row.open_token.as_deref())?.map(str::to_string);
    if row.source == safeduty_core::finding::ledger::Source::SelfInspection
        || row.self_inspection_id.is_some()
    {
        return Err(StoreError::Refused(
            safeduty_core::finding::lifecycle::Refusal::TextRequired("来源").into(),
        ));
    }
    let details = Details {
        category: row.category,
        grade: row.grade,
        location: row.location.clone(),
        description: row.description.clone(),
        item_number: row.item_number,
    }
    .clean()
    .map_err(Refusal::from)?;
    safeduty_core::finding::check_bounds(row.opened_on, row.due_on, campaign_end)
        .map_err(Refusal::from)?;
    if let Some(existing) = by_token(store, token.as_deref()).await? {
        return Ok(existing);
    }
    let mut tx = store.write().await?;
    let row = NewFindingRow {
        location: details.location,
        description: details.description,
        open_token: token.clone(),
        ..row
    };
    match super::open(&mut tx, who, &row).await {
        Ok(id) => {
            tx.commit().await?;
            Ok(id)
        }
        Err(StoreError::Conflict(_)) if token.is_some() => {
            drop(tx);
            by_token(store, token.as_deref())
                .await?
                .ok_or_else(|| StoreError::Conflict(STALE.into()))
        }
        Err(e) => Err(e),
    }
}

async fn by_token(store: &Store, token: Option<&str>) -> Result<Option<String>, StoreError> {
    let Some(token) = token else {
        return Ok(None);
    };
    Ok(
        sqlx::query_scalar("SELECT public_id FROM findings WHERE open_token = $1")
            .bind(token)
            .fetch_optional(store.writer())
            .await?,
    )
}

/// One row of a finding's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryRow {
    /// Action code (`open`, the codes of [`Request::code`]).
    pub action: String,
    /// Status before (`None` for the opening).
    pub from: Option<Status>,
    /// Status after.
    pub to: Status,
    /// Name of the person who did it; `None` for a row the system wrote (demo data, a
    /// migration), which only [`HistoryRow::actor_role`] names.
    pub actor: Option<String>,
    /// Role code of the actor as recorded (a `safeduty_core::policy::Role` code, or `system`,
    /// `demo`).
    pub actor_role: String,
    /// When, as stored (UTC).
    pub at: String,
    /// Reason given, if any.
    pub reason: String,
    /// What changed, as JSON.
    pub payload: serde_json::Value,
}

/// The timeline of a finding, oldest first.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn timeline(
    store: &Store,
    finding_public_id: &str,
) -> Result<Vec<HistoryRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT t.action, t.from_status, t.to_status, t.actor_role, t.at, t.reason, t.payload, \
         u.display_name FROM finding_transitions t JOIN findings f ON f.id = t.finding_id \
         LEFT JOIN users u ON u.id = t.actor_user_id WHERE f.public_id = $1 ORDER BY t.id",
    )
    .bind(finding_public_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            let status = |code: String| {
                Status::from_code(&code)
                    .ok_or_else(|| StoreError::Corrupt(format!("status {code:?}")))
            };
            let from: String = r.try_get("from_status")?;
            Ok(HistoryRow {
                action: r.try_get("action")?,
                from: if from.is_empty() {
                    None
                } else {
                    Some(status(from)?)
                },
                to: status(r.try_get("to_status")?)?,
                actor: r.try_get("display_name")?,
                actor_role: r.try_get("actor_role")?,
                at: r.try_get("at")?,
                reason: r.try_get("reason")?,
                payload: serde_json::from_str(&r.try_get::<String, _>("payload")?)
                    .map_err(|e| StoreError::Corrupt(format!("payload: {e}")))?,
            })
        })
        .collect()
}

/// What a file uploaded on a finding's page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilePurpose {
    /// Evidence of the rectification, by the enterprise (counted by 提交验收).
    Evidence,
    /// A photo or document of the on-site check, by whoever verifies (counted by 验收销号).
    Check,
}

impl FilePurpose {
    fn owner(self, finding_id: i64) -> Owner {
        match self {
            FilePurpose::Evidence => Owner::Finding { finding_id },
            FilePurpose::Check => Owner::FindingCheck { finding_id },
        }
    }
}

/// Records `file` on the open finding `public_id` as `purpose` (an attachment owned by the
/// finding), with its audit record, in one transaction; the same file (same content) already on
/// record for the same purpose and not withdrawn is not added again — it is shown once. Returns
/// whether a file was added. The caller checked the scope and that the actor may act on the
/// finding.
///
/// # Errors
/// [`StoreError::NotFound`]; [`StoreError::Refused`] when the finding is closed, or for a check
/// file when `role` may not close the finding (403) or it is not waiting for verification.
pub async fn add_evidence(
    store: &Store,
    who: &Who,
    role: Role,
    public_id: &str,
    purpose: FilePurpose,
    file: &crate::attachments::StoredFile,
) -> Result<bool, StoreError> {
    let mut tx = store.write().await?;
    let (f, end) = load(&mut tx, public_id).await?;
    if purpose == FilePurpose::Check {
        // Only whoever may close the finding records its on-site check.
        let close = Request::Verify {
            opinion: String::new(),
            verifiers: String::new(),
            check_files: 0,
        };
        if let Err(r) = decide(&f.facts(end), role, &close)
            && r.kind() == RefusalKind::Forbidden
        {
            return Err(StoreError::Refused(r.into()));
        }
    }
    let allowed = match purpose {
        FilePurpose::Evidence => f.status.is_open(),
        FilePurpose::Check => f.status == Status::Submitted,
    };
    if !allowed {
        return Err(StoreError::Refused(
            safeduty_core::finding::lifecycle::Refusal::WrongState {
                status: f.status.label(),
                action: match purpose {
                    FilePurpose::Evidence => "上传整改证据",
                    FilePurpose::Check => "上传现场核验照片",
                },
            }
            .into(),
        ));
    }
    let owner = purpose.owner(f.id);
    if crate::attachments::twin(&mut tx, owner, file)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    crate::attachments::insert(&mut tx, who, f.enterprise_id, owner, file).await?;
    tx.commit().await?;
    Ok(true)
}

/// Whether a file of a finding in `status` can still be withdrawn: a check photo (`check`)
/// while the finding waits for verification, rectification evidence while the finding is open
/// and not submitted (what a submission or a close-out rested on stays).
pub fn withdrawable_in(status: Status, check: bool) -> bool {
    if check {
        status == Status::Submitted
    } else {
        status.is_open() && status != Status::Submitted
    }
}

/// Withdraws the file `attachment_public_id` uploaded by mistake on the finding `public_id`
/// (issue #18 point 4): kept, marked withdrawn with who, when and why, no longer counted; a
/// history row and an audit record in the same transaction. Only its uploader withdraws it,
/// while it can still matter: rectification evidence before the finding is submitted (after a
/// return again), a check photo while the finding waits for verification.
///
/// # Errors
/// [`StoreError::NotFound`] for a file not of this finding; [`StoreError::Refused`]: not the
/// uploader (403), already withdrawn or the wrong state (409), a missing reason (422).
pub async fn withdraw_file(
    store: &Store,
    who: &Who,
    public_id: &str,
    attachment_public_id: &str,
    reason: &str,
) -> Result<(), StoreError> {
    use safeduty_core::finding::lifecycle::{Refusal as Loop, WITHDRAW_FILE};
    if !safeduty_core::finding::valid_reason(reason) {
        return Err(StoreError::Refused(Loop::TextRequired("撤回理由").into()));
    }
    let mut tx = store.write().await?;
    let (f, _) = load(&mut tx, public_id).await?;
    let row = sqlx::query(
        "SELECT id, owner_kind, original_name, uploaded_by, withdrawn_at FROM attachments \
         WHERE public_id = $1 AND owner_id = $2 AND owner_kind IN ($3, $4)",
    )
    .bind(attachment_public_id)
    .bind(f.id.to_string())
    .bind(Owner::Finding { finding_id: f.id }.kind())
    .bind(Owner::FindingCheck { finding_id: f.id }.kind())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let kind: String = row.try_get("owner_kind")?;
    let name: String = row.try_get("original_name")?;
    if row.try_get::<Option<i64>, _>("uploaded_by")? != who.user_id || who.user_id.is_none() {
        return Err(StoreError::Refused(
            Loop::Forbidden("只有上传者本人可以撤回该文件").into(),
        ));
    }
    let check = kind == Owner::FindingCheck { finding_id: f.id }.kind();
    let open = withdrawable_in(f.status, check);
    if row.try_get::<Option<String>, _>("withdrawn_at")?.is_some() {
        return Err(StoreError::Conflict(format!("文件“{name}”已撤回")));
    }
    if !open {
        return Err(StoreError::Refused(
            Loop::WrongState {
                status: f.status.label(),
                action: "撤回该文件",
            }
            .into(),
        ));
    }
    let now = now_text();
    sqlx::query(
        "UPDATE attachments SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = $3, \
         updated_at = $1 WHERE id = $4",
    )
    .bind(&now)
    .bind(who.user_id)
    .bind(reason.trim())
    .bind(row.try_get::<i64, _>("id")?)
    .execute(&mut *tx)
    .await?;
    let payload = serde_json::json!({"file": attachment_public_id, "name": name});
    history(
        &mut tx,
        who,
        f.id,
        WITHDRAW_FILE,
        f.status.code(),
        f.status,
        reason.trim(),
        &payload,
        None,
    )
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::AttachmentWithdrawn,
            target_kind: crate::audit::Object::Attachment.into(),
            target_id: attachment_public_id.to_string(),
            before: Some(serde_json::json!({"finding": f.public_id, "name": name})),
            after: Some(serde_json::json!({"withdrawn": true, "reason": reason.trim()})),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
