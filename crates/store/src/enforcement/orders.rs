//! Correction orders (责令限期整改指令书): the findings they cover and their time limit, the
//! enterprise's completion report and extension requests, the re-inspection (整改复查意见书)
//! and, where it found no correction, the referral for a case.
//!
//! Status codes are core `OrderStatus` codes: `issued`, `completion_reported`, `corrected`,
//! `not_corrected`. Extension statuses: `requested`, `approved`, `refused`.

use chrono::NaiveDate;
use safeduty_core::finding::lifecycle::Status;
use safeduty_core::policy::Scope;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::inspections::{insert_officers, officers};
use super::{OfficerOnDuty, date, opt_date};
use crate::audit::{self, Entry, Event, Object, Who};
use crate::sql::Sql;
use crate::{Store, StoreError, Tx, new_public_id, now_text};

/// Answer to a write against an order changed meanwhile.
pub const STALE: &str = "该整改指令刚被他人更新，请刷新后重试";

/// An order to issue.
#[derive(Debug, Clone)]
pub struct NewOrder {
    /// The inspection it follows (one order per inspection; it carries the inspection's number).
    pub inspection_id: i64,
    /// Issuing unit.
    pub unit_id: i64,
    /// Enterprise.
    pub enterprise_id: i64,
    /// Day issued.
    pub issued_on: NaiveDate,
    /// Time limit (整改完毕日期).
    pub due_on: NaiveDate,
    /// Whether the limit was computed over a year without a loaded holiday arrangement.
    pub due_provisional: bool,
    /// The limit as N working days after issue, when so given.
    pub working_days: Option<u32>,
    /// Findings covered (ids, of the inspection's enterprise).
    pub finding_ids: Vec<i64>,
    /// When the re-inspection is due (rule in force: days after the limit).
    pub re_inspection_due_on: NaiveDate,
}

/// Issues an order: the order, its findings (whose time limits become the order's, each with a
/// history row), audited.
///
/// # Errors
/// [`StoreError::Conflict`] when the inspection already has an order; database errors.
pub async fn issue(store: &Store, who: &Who, new: &NewOrder) -> Result<String, StoreError> {
    let mut tx = store.write().await?;
    let public_id = new_public_id();
    let now = now_text();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO correction_orders (public_id, inspection_id, unit_id, enterprise_id, \
         issued_on, due_on, due_provisional, working_days, status, re_inspection_due_on, \
         issued_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'issued', \
         $9, $10, $11, $11) RETURNING id",
    )
    .bind(&public_id)
    .bind(new.inspection_id)
    .bind(new.unit_id)
    .bind(new.enterprise_id)
    .bind(new.issued_on.to_string())
    .bind(new.due_on.to_string())
    .bind(i64::from(new.due_provisional))
    .bind(new.working_days.map(i64::from))
    .bind(new.re_inspection_due_on.to_string())
    .bind(who.user_id)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| StoreError::from_write(e, "该检查已下达整改指令"))?;
    for f in &new.finding_ids {
        sqlx::query(
            "INSERT INTO correction_order_findings (order_id, finding_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $3)",
        )
        .bind(id)
        .bind(f)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    set_findings_due(&mut tx, who, id, new.due_on, "order").await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::CorrectionOrderIssued,
            target_kind: Object::CorrectionOrder.into(),
            target_id: public_id.clone(),
            before: None,
            after: Some(serde_json::json!({
                "inspection_id": new.inspection_id,
                "enterprise_id": new.enterprise_id,
                "issued_on": new.issued_on.to_string(),
                "due_on": new.due_on.to_string(),
                "due_provisional": new.due_provisional,
                "working_days": new.working_days,
                "findings": new.finding_ids,
                "re_inspection_due_on": new.re_inspection_due_on.to_string(),
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// Sets the time limit of the order's open findings to `due_on`, each with a history row
/// (`action`) and its version bumped: the order's limit is the findings' limit.
async fn set_findings_due(
    tx: &mut Tx,
    who: &Who,
    order_id: i64,
    due_on: NaiveDate,
    action: &str,
) -> Result<(), StoreError> {
    let rows = sqlx::query(
        "SELECT f.id, f.status, f.due_on FROM findings f JOIN correction_order_findings c \
         ON c.finding_id = f.id WHERE c.order_id = $1 AND f.status <> 'closed' ORDER BY f.id",
    )
    .bind(order_id)
    .fetch_all(&mut **tx)
    .await?;
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let status = status_of(&r)?;
        let before: String = r.try_get("due_on")?;
        sqlx::query(
            "UPDATE findings SET due_on = $1, version = version + 1, updated_at = $2 WHERE id = $3",
        )
        .bind(due_on.to_string())
        .bind(now_text())
        .bind(id)
        .execute(&mut **tx)
        .await?;
        let payload = serde_json::json!({"due_on": due_on.to_string(), "before": before});
        crate::findings::flow::history(
            tx,
            who,
            id,
            action,
            status.code(),
            status,
            "",
            &payload,
            None,
        )
        .await?;
    }
    Ok(())
}

fn status_of(r: &AnyRow) -> Result<Status, StoreError> {
    let s: String = r.try_get("status")?;
    Status::from_code(&s).ok_or_else(|| StoreError::Corrupt(format!("finding status {s:?}")))
}

/// A finding an order covers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrderFinding {
    /// Internal id.
    #[serde(skip)]
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// Check item.
    pub item_number: Option<i64>,
    /// What is wrong.
    pub description: String,
    /// Loop status code.
    pub status: String,
    /// The suspected violations noted on the inspection item (codes).
    pub violation_codes: Vec<String>,
}

/// An extension request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Extension {
    /// Internal id (forms).
    pub id: i64,
    /// Day asked.
    pub requested_on: NaiveDate,
    /// Limit asked for.
    pub requested_due_on: NaiveDate,
    /// Why.
    pub reason: String,
    /// `requested`, `approved`, `refused`.
    pub status: String,
    /// Day decided.
    pub decided_on: Option<NaiveDate>,
    /// Reason of the decision (required for a refusal).
    pub decision_reason: String,
}

/// An order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Order {
    /// Internal id.
    #[serde(skip)]
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// Inspection (internal id).
    #[serde(skip)]
    pub inspection_id: i64,
    /// Inspection (public id).
    pub inspection_public_id: String,
    /// Day of the inspection.
    pub inspected_on: NaiveDate,
    /// Issuing unit.
    #[serde(skip)]
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// Enterprise.
    #[serde(skip)]
    pub enterprise_id: i64,
    /// Its name.
    pub enterprise_name: String,
    /// Year of the inspection's number.
    pub year: i32,
    /// Sequence of the inspection's number.
    pub seq: i64,
    /// Day issued.
    pub issued_on: NaiveDate,
    /// Time limit.
    pub due_on: NaiveDate,
    /// Computed over a year without a loaded arrangement.
    pub due_provisional: bool,
    /// N working days, when given so.
    pub working_days: Option<i64>,
    /// Status code.
    pub status: String,
    /// Day the enterprise reported completion.
    pub completion_reported_on: Option<NaiveDate>,
    /// Its note.
    pub completion_note: String,
    /// When the re-inspection is due.
    pub re_inspection_due_on: NaiveDate,
    /// Optimistic version.
    pub version: i64,
    /// Findings covered.
    pub findings: Vec<OrderFinding>,
    /// The texts of the suspected violations as its inspection recorded them (see
    /// `inspections::Inspection::violations`).
    pub violations: Vec<safeduty_core::enforcement::violations::ViolationText>,
    /// Extension requests, oldest first.
    pub extensions: Vec<Extension>,
}

const ORDER_SELECT: &str = "SELECT o.id, o.public_id, o.inspection_id, i.public_id AS inspection_public_id, \
    i.inspected_on, o.unit_id, un.name AS unit_name, o.enterprise_id, e.name AS enterprise_name, \
    i.year, i.seq, o.issued_on, o.due_on, o.due_provisional, o.working_days, o.status, \
    o.completion_reported_on, o.completion_note, o.re_inspection_due_on, o.version \
    FROM correction_orders o JOIN inspections i ON i.id = o.inspection_id \
    JOIN units un ON un.id = o.unit_id JOIN enterprises e ON e.id = o.enterprise_id \
    JOIN regions r ON r.id = e.region_id";

fn order_from_row(r: &AnyRow) -> Result<Order, StoreError> {
    Ok(Order {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        inspection_id: r.try_get("inspection_id")?,
        inspection_public_id: r.try_get("inspection_public_id")?,
        inspected_on: date(r, "inspected_on")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        year: i32::try_from(r.try_get::<i64, _>("year")?)
            .map_err(|_| StoreError::Corrupt("year".into()))?,
        seq: r.try_get("seq")?,
        issued_on: date(r, "issued_on")?,
        due_on: date(r, "due_on")?,
        due_provisional: r.try_get::<i64, _>("due_provisional")? != 0,
        working_days: r.try_get("working_days")?,
        status: r.try_get("status")?,
        completion_reported_on: opt_date(r, "completion_reported_on")?,
        completion_note: r.try_get("completion_note")?,
        re_inspection_due_on: date(r, "re_inspection_due_on")?,
        version: r.try_get("version")?,
        findings: Vec::new(),
        violations: Vec::new(),
        extensions: Vec::new(),
    })
}

/// What to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderFilter {
    /// Only this unit's orders.
    pub unit_id: Option<i64>,
    /// Only this enterprise's.
    pub enterprise_id: Option<i64>,
    /// Only those whose re-inspection is overdue on this day (not re-inspected, due before it).
    pub overdue_on: Option<NaiveDate>,
}

/// Orders for enterprises inside `scope`, by re-inspection due date then id (stable on both
/// databases); findings and extensions are not loaded (see [`get`]).
///
/// # Errors
/// Database errors.
pub async fn list(
    store: &Store,
    scope: &Scope,
    filter: OrderFilter,
) -> Result<Vec<Order>, StoreError> {
    let mut sql = Sql::new(ORDER_SELECT);
    sql.push(" WHERE ").push_scope(scope);
    if let Some(u) = filter.unit_id {
        sql.push(" AND o.unit_id = ").push_bind(u);
    }
    if let Some(e) = filter.enterprise_id {
        sql.push(" AND o.enterprise_id = ").push_bind(e);
    }
    if let Some(d) = filter.overdue_on {
        sql.push(
            " AND o.status IN ('issued', 'completion_reported') AND o.re_inspection_due_on < ",
        )
        .push_bind(d.to_string());
    }
    sql.push(" ORDER BY o.re_inspection_due_on, o.id");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter().map(order_from_row).collect()
}

/// One order by public id with its findings and extensions, whatever the scope.
///
/// # Errors
/// [`StoreError::NotFound`]; database errors.
pub async fn get(store: &Store, public_id: &str) -> Result<Order, StoreError> {
    let mut sql = Sql::new(ORDER_SELECT);
    sql.push(" WHERE o.public_id = ").push_bind(public_id);
    let r = sql
        .query()
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut order = order_from_row(&r)?;
    load_details(store, &mut order).await?;
    Ok(order)
}

/// The order of an inspection, if one was issued.
///
/// # Errors
/// Database errors.
pub async fn of_inspection(store: &Store, inspection_id: i64) -> Result<Option<Order>, StoreError> {
    let mut sql = Sql::new(ORDER_SELECT);
    sql.push(" WHERE o.inspection_id = ")
        .push_bind(inspection_id);
    let Some(r) = sql.query().fetch_optional(store.reader()).await? else {
        return Ok(None);
    };
    let mut order = order_from_row(&r)?;
    load_details(store, &mut order).await?;
    Ok(Some(order))
}

async fn load_details(store: &Store, order: &mut Order) -> Result<(), StoreError> {
    order.violations = super::violations::texts_of(store, order.inspection_id).await?;
    order.findings = sqlx::query(
        "SELECT f.id, f.public_id, f.item_number, f.description, f.status, \
         COALESCE(it.violation_codes, '') AS violation_codes FROM correction_order_findings c \
         JOIN findings f ON f.id = c.finding_id LEFT JOIN inspection_items it \
         ON it.finding_id = f.id WHERE c.order_id = $1 ORDER BY f.item_number, f.id",
    )
    .bind(order.id)
    .fetch_all(store.reader())
    .await?
    .iter()
    .map(|r| {
        let codes: String = r.try_get("violation_codes")?;
        Ok(OrderFinding {
            id: r.try_get("id")?,
            public_id: r.try_get("public_id")?,
            item_number: r.try_get("item_number")?,
            description: r.try_get("description")?,
            status: r.try_get("status")?,
            violation_codes: codes
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
        })
    })
    .collect::<Result<_, StoreError>>()?;
    order.extensions = sqlx::query(
        "SELECT id, requested_on, requested_due_on, reason, status, decided_on, decision_reason \
         FROM order_extensions WHERE order_id = $1 ORDER BY id",
    )
    .bind(order.id)
    .fetch_all(store.reader())
    .await?
    .iter()
    .map(|r| {
        Ok(Extension {
            id: r.try_get("id")?,
            requested_on: date(r, "requested_on")?,
            requested_due_on: date(r, "requested_due_on")?,
            reason: r.try_get("reason")?,
            status: r.try_get("status")?,
            decided_on: opt_date(r, "decided_on")?,
            decision_reason: r.try_get("decision_reason")?,
        })
    })
    .collect::<Result<_, StoreError>>()?;
    Ok(())
}

/// Bumps the order's version if it is still `version`, setting `set` (SQL assignments over
/// `$3…`, bound by `bind`); a stale version is [`StoreError::Conflict`].
async fn bump(
    tx: &mut Tx,
    order_id: i64,
    version: i64,
    set: &str,
    values: &[String],
) -> Result<(), StoreError> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE correction_orders SET version = version + 1, {set} WHERE id = $1 AND version = $2"
    )))
    .bind(order_id)
    .bind(version);
    for v in values {
        q = q.bind(v.clone());
    }
    if q.execute(&mut **tx).await?.rows_affected() == 0 {
        return Err(StoreError::Conflict(STALE.into()));
    }
    Ok(())
}

async fn audit_order(
    tx: &mut Tx,
    who: &Who,
    event: Event,
    target_kind: Object,
    order: &Order,
    after: serde_json::Value,
) -> Result<(), StoreError> {
    audit::record(
        tx,
        Entry {
            who,
            event,
            target_kind: target_kind.into(),
            target_id: order.public_id.clone(),
            before: Some(serde_json::json!({
                "status": order.status,
                "due_on": order.due_on.to_string(),
                "re_inspection_due_on": order.re_inspection_due_on.to_string(),
                "version": order.version,
            })),
            after: Some(after),
            result: "ok",
        },
    )
    .await
}

/// The enterprise reports the correction complete on `on`; the re-inspection becomes due on
/// `re_inspection_due_on` (computed by the caller from the rule in force). Audited.
///
/// # Errors
/// [`StoreError::Conflict`] for a stale version; database errors.
pub async fn report_completion(
    store: &Store,
    who: &Who,
    order: &Order,
    on: NaiveDate,
    note: &str,
    re_inspection_due_on: NaiveDate,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    bump(
        &mut tx,
        order.id,
        order.version,
        "status = 'completion_reported', completion_reported_on = $3, completion_note = $4, \
         re_inspection_due_on = $5, updated_at = $6",
        &[
            on.to_string(),
            note.to_string(),
            re_inspection_due_on.to_string(),
            now_text(),
        ],
    )
    .await?;
    audit_order(
        &mut tx,
        who,
        Event::CompletionReported,
        Object::CorrectionOrder,
        order,
        serde_json::json!({
            "status": "completion_reported",
            "completion_reported_on": on.to_string(),
            "note": note,
            "re_inspection_due_on": re_inspection_due_on.to_string(),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The enterprise asks for the limit `requested_due_on`. One request may be pending at a time
/// (the caller checks); audited.
///
/// # Errors
/// [`StoreError::Conflict`] for a stale version; database errors.
pub async fn request_extension(
    store: &Store,
    who: &Who,
    order: &Order,
    requested_on: NaiveDate,
    requested_due_on: NaiveDate,
    reason: &str,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let now = now_text();
    bump(
        &mut tx,
        order.id,
        order.version,
        "updated_at = $3",
        std::slice::from_ref(&now),
    )
    .await?;
    sqlx::query(
        "INSERT INTO order_extensions (order_id, requested_on, requested_due_on, reason, status, \
         requested_by, created_at, updated_at) VALUES ($1, $2, $3, $4, 'requested', $5, $6, $6)",
    )
    .bind(order.id)
    .bind(requested_on.to_string())
    .bind(requested_due_on.to_string())
    .bind(reason)
    .bind(who.user_id)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    audit_order(
        &mut tx,
        who,
        Event::ExtensionRequested,
        Object::OrderExtension,
        order,
        serde_json::json!({
            "requested_on": requested_on.to_string(),
            "requested_due_on": requested_due_on.to_string(),
            "reason": reason,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The unit decides the pending extension `extension_id`: approved with the new limit (the
/// order's and its findings' limit, and the re-inspection's due date move) or refused with a
/// reason. Audited.
///
/// # Errors
/// [`StoreError::Conflict`] for a stale version or a request already decided; database errors.
pub async fn decide_extension(
    store: &Store,
    who: &Who,
    order: &Order,
    extension_id: i64,
    decided_on: NaiveDate,
    approved: Option<(NaiveDate, NaiveDate)>,
    reason: &str,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let now = now_text();
    let status = if approved.is_some() {
        "approved"
    } else {
        "refused"
    };
    let changed = sqlx::query(
        "UPDATE order_extensions SET status = $1, decided_on = $2, decided_by = $3, \
         decision_reason = $4, updated_at = $5 WHERE id = $6 AND order_id = $7 \
         AND status = 'requested'",
    )
    .bind(status)
    .bind(decided_on.to_string())
    .bind(who.user_id)
    .bind(reason)
    .bind(&now)
    .bind(extension_id)
    .bind(order.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(StoreError::Conflict(STALE.into()));
    }
    match approved {
        Some((due_on, re_due)) => {
            bump(
                &mut tx,
                order.id,
                order.version,
                "due_on = $3, due_provisional = 0, working_days = NULL, re_inspection_due_on = $4, \
                 updated_at = $5",
                &[due_on.to_string(), re_due.to_string(), now.clone()],
            )
            .await?;
            set_findings_due(&mut tx, who, order.id, due_on, "order_extension").await?;
        }
        None => bump(&mut tx, order.id, order.version, "updated_at = $3", &[now]).await?,
    }
    audit_order(
        &mut tx,
        who,
        Event::ExtensionDecided,
        Object::OrderExtension,
        order,
        serde_json::json!({
            "extension_id": extension_id,
            "status": status,
            "due_on": approved.map(|(d, _)| d.to_string()),
            "re_inspection_due_on": approved.map(|(_, r)| r.to_string()),
            "reason": reason,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A re-inspection to record.
#[derive(Debug, Clone)]
pub struct NewReInspection {
    /// Day.
    pub inspected_on: NaiveDate,
    /// The opinion (意见).
    pub opinion: String,
    /// Officers (at least two, checked by the caller).
    pub officers: Vec<OfficerOnDuty>,
    /// Per finding: (finding id, corrected?, note).
    pub results: Vec<(i64, bool, String)>,
    /// When something was not corrected: the referral's reason.
    pub referral_reason: Option<String>,
}

/// Records the re-inspection of `order`: the results, the findings found corrected closed (a
/// history row each), the order's status `corrected` or `not_corrected`, and for the latter a
/// referral for a case. Audited.
///
/// # Errors
/// [`StoreError::Conflict`] for a stale version or a second re-inspection; database errors.
pub async fn record_re_inspection(
    store: &Store,
    who: &Who,
    order: &Order,
    new: &NewReInspection,
) -> Result<String, StoreError> {
    let mut tx = store.write().await?;
    let now = now_text();
    let outcome = if new.results.iter().all(|(_, ok, _)| *ok) {
        "corrected"
    } else {
        "not_corrected"
    };
    bump(
        &mut tx,
        order.id,
        order.version,
        "status = $3, updated_at = $4",
        &[outcome.to_string(), now.clone()],
    )
    .await?;
    let public_id = new_public_id();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO re_inspections (public_id, order_id, inspected_on, opinion, outcome, \
         recorded_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(&public_id)
    .bind(order.id)
    .bind(new.inspected_on.to_string())
    .bind(&new.opinion)
    .bind(outcome)
    .bind(who.user_id)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| StoreError::from_write(e, "该整改指令已复查"))?;
    insert_officers(
        &mut tx,
        "re_inspection_officers",
        "re_inspection_id",
        id,
        &new.officers,
    )
    .await?;
    for (finding_id, corrected, note) in &new.results {
        sqlx::query(
            "INSERT INTO re_inspection_results (re_inspection_id, finding_id, result, note, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(id)
        .bind(finding_id)
        .bind(if *corrected {
            "corrected"
        } else {
            "not_corrected"
        })
        .bind(note)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        if *corrected {
            close_finding(&mut tx, who, *finding_id, new.inspected_on, note).await?;
        }
    }
    let mut referral = None;
    if let Some(reason) = new
        .referral_reason
        .as_deref()
        .filter(|_| outcome == "not_corrected")
    {
        referral = Some(
            refer(
                &mut tx,
                who,
                NewReferral {
                    source_kind: "re_inspection",
                    source_id: id,
                    enterprise_id: order.enterprise_id,
                    from_unit_id: order.unit_id,
                    referred_on: new.inspected_on,
                    reason,
                },
            )
            .await?,
        );
    }
    audit_order(
        &mut tx,
        who,
        Event::ReInspectionRecorded,
        Object::ReInspection,
        order,
        serde_json::json!({
            "re_inspection": public_id,
            "inspected_on": new.inspected_on.to_string(),
            "outcome": outcome,
            "officers": new.officers,
            "results": new.results.iter().map(|(f, ok, note)| serde_json::json!({"finding_id": f, "corrected": ok, "note": note})).collect::<Vec<_>>(),
            "referral": referral,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// Closes a finding the re-inspection found corrected: the officer saw it on site (the
/// verification of the loop), with a history row.
async fn close_finding(
    tx: &mut Tx,
    who: &Who,
    finding_id: i64,
    on: NaiveDate,
    note: &str,
) -> Result<(), StoreError> {
    let r = sqlx::query("SELECT status FROM findings WHERE id = $1")
        .bind(finding_id)
        .fetch_one(&mut **tx)
        .await?;
    let status = status_of(&r)?;
    if status == Status::Closed {
        return Ok(());
    }
    sqlx::query(
        "UPDATE findings SET status = 'closed', closed_on = $1, version = version + 1, \
         updated_at = $2 WHERE id = $3",
    )
    .bind(on.to_string())
    .bind(now_text())
    .bind(finding_id)
    .execute(&mut **tx)
    .await?;
    crate::findings::flow::history(
        tx,
        who,
        finding_id,
        "re_inspection",
        status.code(),
        Status::Closed,
        note,
        &serde_json::json!({"closed_on": on.to_string()}),
        None,
    )
    .await
}

/// A referral for a case to record.
#[derive(Debug, Clone, Copy)]
pub struct NewReferral<'a> {
    /// `re_inspection` or `inspection`.
    pub source_kind: &'a str,
    /// The source's id.
    pub source_id: i64,
    /// Enterprise.
    pub enterprise_id: i64,
    /// Referring unit.
    pub from_unit_id: i64,
    /// Day.
    pub referred_on: NaiveDate,
    /// Why.
    pub reason: &'a str,
}

/// Records a referral for a case inside `tx`, audited; returns its public id.
///
/// # Errors
/// [`StoreError::Conflict`] when the source was already referred; database errors.
pub async fn refer(tx: &mut Tx, who: &Who, r: NewReferral<'_>) -> Result<String, StoreError> {
    let public_id = new_public_id();
    let now = now_text();
    sqlx::query(
        "INSERT INTO case_referrals (public_id, source_kind, source_id, enterprise_id, \
         from_unit_id, referred_on, reason, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $8)",
    )
    .bind(&public_id)
    .bind(r.source_kind)
    .bind(r.source_id)
    .bind(r.enterprise_id)
    .bind(r.from_unit_id)
    .bind(r.referred_on.to_string())
    .bind(r.reason)
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(|e| StoreError::from_write(e, "已移交立案"))?;
    audit::record(
        tx,
        Entry {
            who,
            event: Event::CaseReferred,
            target_kind: Object::CaseReferral.into(),
            target_id: public_id.clone(),
            before: None,
            after: Some(serde_json::json!({
                "source_kind": r.source_kind,
                "source_id": r.source_id,
                "enterprise_id": r.enterprise_id,
                "from_unit_id": r.from_unit_id,
                "referred_on": r.referred_on.to_string(),
                "reason": r.reason,
            })),
            result: "ok",
        },
    )
    .await?;
    Ok(public_id)
}

/// A re-inspection as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReInspection {
    /// Internal id.
    #[serde(skip)]
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// Day.
    pub inspected_on: NaiveDate,
    /// Opinion.
    pub opinion: String,
    /// `corrected` or `not_corrected`.
    pub outcome: String,
    /// Officers.
    pub officers: Vec<OfficerOnDuty>,
    /// Per finding: (finding public id, result code, note).
    pub results: Vec<(String, String, String)>,
}

/// The re-inspection of an order, if recorded.
///
/// # Errors
/// Database errors.
pub async fn re_inspection_of(
    store: &Store,
    order_id: i64,
) -> Result<Option<ReInspection>, StoreError> {
    let Some(r) = sqlx::query(
        "SELECT id, public_id, inspected_on, opinion, outcome FROM re_inspections WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_optional(store.reader())
    .await?
    else {
        return Ok(None);
    };
    let id: i64 = r.try_get("id")?;
    let results = sqlx::query(
        "SELECT f.public_id, x.result, x.note FROM re_inspection_results x \
         JOIN findings f ON f.id = x.finding_id WHERE x.re_inspection_id = $1 ORDER BY f.item_number, f.id",
    )
    .bind(id)
    .fetch_all(store.reader())
    .await?
    .iter()
    .map(|r| Ok((r.try_get("public_id")?, r.try_get("result")?, r.try_get("note")?)))
    .collect::<Result<_, StoreError>>()?;
    Ok(Some(ReInspection {
        officers: officers(store, "re_inspection_officers", "re_inspection_id", id).await?,
        public_id: r.try_get("public_id")?,
        inspected_on: date(&r, "inspected_on")?,
        opinion: r.try_get("opinion")?,
        outcome: r.try_get("outcome")?,
        results,
        id,
    }))
}

/// The findings judged by the re-inspection `re_inspection_id`, as (`findings.id`, public id),
/// in the order the re-inspection lists them.
///
/// # Errors
/// Database errors.
pub async fn re_inspection_findings(
    store: &Store,
    re_inspection_id: i64,
) -> Result<Vec<(i64, String)>, StoreError> {
    sqlx::query(
        "SELECT f.id, f.public_id FROM re_inspection_results x \
         JOIN findings f ON f.id = x.finding_id WHERE x.re_inspection_id = $1 ORDER BY f.item_number, f.id",
    )
    .bind(re_inspection_id)
    .fetch_all(store.reader())
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("public_id")?)))
    .collect()
}

/// A referral for a case, as listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Referral {
    /// Public id.
    pub public_id: String,
    /// `re_inspection` or `inspection`.
    pub source_kind: String,
    /// Enterprise name.
    pub enterprise_name: String,
    /// Referring unit's name.
    pub from_unit_name: String,
    /// Day.
    pub referred_on: NaiveDate,
    /// Why.
    pub reason: String,
    /// `open` until a case takes it (issue #13).
    pub status: String,
}

/// Referrals for enterprises inside `scope`, newest first.
///
/// # Errors
/// Database errors.
pub async fn referrals(store: &Store, scope: &Scope) -> Result<Vec<Referral>, StoreError> {
    let mut sql = Sql::new(
        "SELECT c.public_id, c.source_kind, e.name AS enterprise_name, un.name AS unit_name, \
         c.referred_on, c.reason, c.status FROM case_referrals c \
         JOIN enterprises e ON e.id = c.enterprise_id JOIN regions r ON r.id = e.region_id \
         JOIN units un ON un.id = c.from_unit_id WHERE ",
    );
    sql.push_scope(scope)
        .push(" ORDER BY c.referred_on DESC, c.id DESC");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            Ok(Referral {
                public_id: r.try_get("public_id")?,
                source_kind: r.try_get("source_kind")?,
                enterprise_name: r.try_get("enterprise_name")?,
                from_unit_name: r.try_get("unit_name")?,
                referred_on: date(r, "referred_on")?,
                reason: r.try_get("reason")?,
                status: r.try_get("status")?,
            })
        })
        .collect()
}

/// The referral made from the source `source_kind` (`re_inspection` or `inspection`) with id
/// `source_id`, if any, whatever the scope (the caller read the source through the policy).
///
/// # Errors
/// Database errors.
pub async fn referral_of(
    store: &Store,
    source_kind: &str,
    source_id: i64,
) -> Result<Option<Referral>, StoreError> {
    let r = sqlx::query(
        "SELECT c.public_id, c.source_kind, e.name AS enterprise_name, un.name AS unit_name, \
         c.referred_on, c.reason, c.status FROM case_referrals c \
         JOIN enterprises e ON e.id = c.enterprise_id JOIN units un ON un.id = c.from_unit_id \
         WHERE c.source_kind = $1 AND c.source_id = $2",
    )
    .bind(source_kind)
    .bind(source_id)
    .fetch_optional(store.reader())
    .await?;
    r.map(|r| {
        Ok(Referral {
            public_id: r.try_get("public_id")?,
            source_kind: r.try_get("source_kind")?,
            enterprise_name: r.try_get("enterprise_name")?,
            from_unit_name: r.try_get("unit_name")?,
            referred_on: date(&r, "referred_on")?,
            reason: r.try_get("reason")?,
            status: r.try_get("status")?,
        })
    })
    .transpose()
}

/// A referral by public id, with its internal id and enterprise (a case drafted from it).
///
/// # Errors
/// [`StoreError::NotFound`]; database errors.
pub async fn referral(store: &Store, public_id: &str) -> Result<(i64, i64, Referral), StoreError> {
    let r = sqlx::query(
        "SELECT c.id, c.enterprise_id, c.public_id, c.source_kind, e.name AS enterprise_name, \
         un.name AS unit_name, c.referred_on, c.reason, c.status FROM case_referrals c \
         JOIN enterprises e ON e.id = c.enterprise_id JOIN units un ON un.id = c.from_unit_id \
         WHERE c.public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok((
        r.try_get("id")?,
        r.try_get("enterprise_id")?,
        Referral {
            public_id: r.try_get("public_id")?,
            source_kind: r.try_get("source_kind")?,
            enterprise_name: r.try_get("enterprise_name")?,
            from_unit_name: r.try_get("unit_name")?,
            referred_on: date(&r, "referred_on")?,
            reason: r.try_get("reason")?,
            status: r.try_get("status")?,
        },
    ))
}
