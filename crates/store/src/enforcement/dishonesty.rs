//! Listings on the dishonesty list (严重失信主体名单, issue #14 point 4): the notice that starts a
//! listing of a decided case's party, each later step written whole from the core
//! [`Listing`] after it, each audited in its transaction with the listing before and after;
//! and the read of what the public pages show.

use chrono::NaiveDate;
use safeduty_core::enforcement::dishonesty::{
    Dated, Ground, Listing, ListingDecision, ListingStatus, ObjectionAnswer, Publication, Removal,
    RemovalReason, Repair, RepairDecision,
};
use safeduty_core::policy::Scope;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{date, opt_date};
use crate::audit::{self, Entry, Event, Object, Who};
use crate::sql::Sql;
use crate::{Store, StoreError, new_public_id, now_text};

/// Answer to a write against a listing changed meanwhile.
pub const STALE: &str = "该名单记录刚被他人更新，请刷新后重试";

/// A listing as kept, with its case and enterprise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingRecord {
    /// Internal id.
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// The case's internal id.
    pub case_id: i64,
    /// The case's public id.
    pub case_public_id: String,
    /// The deciding unit (the case's handling unit).
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The enterprise.
    pub enterprise_id: i64,
    /// Its full name.
    pub enterprise_name: String,
    /// The listing.
    pub listing: Listing,
    /// Who started it.
    pub created_by: Option<i64>,
    /// Version (optimistic concurrency).
    pub version: i64,
}

const SELECT: &str = "SELECT l.*, c.public_id AS case_public_id, c.unit_id, c.enterprise_id, \
    c.party_kind, c.party_name, c.party_role, un.name AS unit_name, e.name AS enterprise_name, \
    e.uscc AS enterprise_uscc FROM dishonesty_listings l JOIN cases c ON c.id = l.case_id \
    JOIN units un ON un.id = c.unit_id JOIN enterprises e ON e.id = c.enterprise_id \
    JOIN regions r ON r.id = e.region_id";

fn text(r: &AnyRow, column: &str) -> Result<String, StoreError> {
    Ok(r.try_get::<Option<String>, _>(column)?.unwrap_or_default())
}

fn flag(r: &AnyRow, column: &str) -> Result<bool, StoreError> {
    Ok(r.try_get::<Option<i64>, _>(column)?.unwrap_or(0) != 0)
}

fn dated(r: &AnyRow, on: &str, column: &str) -> Result<Option<Dated>, StoreError> {
    opt_date(r, on)?
        .map(|on| {
            Ok(Dated {
                on,
                text: text(r, column)?,
            })
        })
        .transpose()
}

fn listing_from_row(r: &AnyRow) -> Result<Listing, StoreError> {
    let party = super::cases::party(
        &r.try_get::<String, _>("party_kind")?,
        &r.try_get::<String, _>("party_name")?,
        &r.try_get::<String, _>("party_role")?,
        &r.try_get::<String, _>("enterprise_name")?,
        &r.try_get::<String, _>("enterprise_uscc")?,
    )?;
    let publication = match (opt_date(r, "published_on")?, opt_date(r, "ends_on")?) {
        (Some(on), Some(ends_on)) => Some(Publication {
            on,
            channels: text(r, "channels")?,
            ends_on,
            repair_from: date(r, "repair_from")?,
        }),
        _ => None,
    };
    let repair = opt_date(r, "repair_applied_on")?
        .map(|applied_on| {
            Ok::<_, StoreError>(Repair {
                applied_on,
                evidence: text(r, "repair_evidence")?,
                decision: opt_date(r, "repair_decided_on")?
                    .map(|on| {
                        Ok::<_, StoreError>(RepairDecision {
                            on,
                            granted: flag(r, "repair_granted")?,
                            text: text(r, "repair_decision")?,
                        })
                    })
                    .transpose()?,
            })
        })
        .transpose()?;
    let removal = opt_date(r, "removed_on")?
        .map(|on| {
            let code = text(r, "removal_reason")?;
            RemovalReason::from_code(&code)
                .map(|reason| Removal { on, reason })
                .ok_or_else(|| StoreError::Corrupt(format!("removal reason {code:?}")))
        })
        .transpose()?;
    Ok(Listing {
        party,
        ground: Ground {
            code: r.try_get("ground_code")?,
            clause: r.try_get("ground_clause")?,
            text: r.try_get("ground_text")?,
            verified: false,
            note: None,
        },
        reasons: r.try_get("reasons")?,
        notified_on: date(r, "notified_on")?,
        objection: dated(r, "objection_on", "objection")?,
        answer: opt_date(r, "answer_on")?
            .map(|on| {
                Ok::<_, StoreError>(ObjectionAnswer {
                    on,
                    upheld: flag(r, "answer_upheld")?,
                    text: text(r, "answer")?,
                })
            })
            .transpose()?,
        decision: opt_date(r, "decided_on")?
            .map(|on| {
                Ok::<_, StoreError>(ListingDecision {
                    on,
                    number: text(r, "decision_number")?,
                })
            })
            .transpose()?,
        publication,
        repair,
        removal,
        revocation: dated(r, "revoked_on", "revocation")?,
    })
}

fn from_row(r: &AnyRow) -> Result<ListingRecord, StoreError> {
    Ok(ListingRecord {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        case_id: r.try_get("case_id")?,
        case_public_id: r.try_get("case_public_id")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        listing: listing_from_row(r)?,
        created_by: r.try_get("created_by")?,
        version: r.try_get("version")?,
    })
}

/// The listing as JSON for the audit record (the stored columns, party excepted: it is the
/// case's).
fn listing_json(l: &Listing) -> serde_json::Value {
    serde_json::json!({
        "status": l.state().code(),
        "ground": l.ground.code,
        "clause": l.ground.clause,
        "reasons": l.reasons,
        "notified_on": l.notified_on.to_string(),
        "objection": l.objection,
        "answer": l.answer,
        "decision": l.decision,
        "publication": l.publication,
        "repair": l.repair,
        "removal": l.removal,
        "revocation": l.revocation,
    })
}

/// Starts the listing `l` of the party of the case `case_id` (its 告知书 served), audited.
/// Returns its public id.
///
/// # Errors
/// [`StoreError::Conflict`] when the case already has a listing; database errors.
pub async fn notify(
    store: &Store,
    who: &Who,
    case_id: i64,
    l: &Listing,
) -> Result<String, StoreError> {
    let mut tx = store.write().await?;
    let public_id = new_public_id();
    sqlx::query(
        "INSERT INTO dishonesty_listings (public_id, case_id, status, ground_code, ground_clause, \
         ground_text, reasons, notified_on, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(&public_id)
    .bind(case_id)
    .bind(l.state().code())
    .bind(&l.ground.code)
    .bind(&l.ground.clause)
    .bind(&l.ground.text)
    .bind(&l.reasons)
    .bind(l.notified_on.to_string())
    .bind(who.user_id)
    .bind(now_text())
    .execute(&mut *tx)
    .await
    .map_err(|e| StoreError::from_write(e, "该案件的当事人已有严重失信主体名单记录"))?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::DishonestyNotified,
            target_kind: Object::DishonestyListing.into(),
            target_id: public_id.clone(),
            before: None,
            after: Some({
                let mut after = listing_json(l);
                after["case_id"] = serde_json::Value::from(case_id);
                after
            }),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// One listing by public id, whatever the scope.
///
/// # Errors
/// [`StoreError::NotFound`]; [`StoreError::Corrupt`]; database errors.
pub async fn get(store: &Store, public_id: &str) -> Result<ListingRecord, StoreError> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE l.public_id = ").push_bind(public_id);
    let r = sql
        .query()
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    from_row(&r)
}

/// The listing of a case's party, if any.
///
/// # Errors
/// [`StoreError::Corrupt`]; database errors.
pub async fn of_case(store: &Store, case_id: i64) -> Result<Option<ListingRecord>, StoreError> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE l.case_id = ").push_bind(case_id);
    sql.query()
        .fetch_optional(store.reader())
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The listings of the cases inside `scope`, newest first.
///
/// # Errors
/// [`StoreError::Corrupt`]; database errors.
pub async fn list(store: &Store, scope: &Scope) -> Result<Vec<ListingRecord>, StoreError> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE ")
        .push_scope(scope)
        .push(" ORDER BY l.id DESC");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// Records the step `step` of `rec`: writes every step column from `next` (the core listing
/// after the step), checked against the version read; audits the listing before and after.
///
/// # Errors
/// [`StoreError::Conflict`] when the listing changed meanwhile; database errors.
pub async fn record_step(
    store: &Store,
    who: &Who,
    rec: &ListingRecord,
    step: &str,
    next: &Listing,
) -> Result<(), StoreError> {
    let d = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let pubn = next.publication.as_ref();
    let repair = next.repair.as_ref();
    let repair_decision = repair.and_then(|r| r.decision.as_ref());
    let mut tx = store.write().await?;
    let done = sqlx::query(
        "UPDATE dishonesty_listings SET status = $1, objection_on = $2, objection = $3, \
         answer_on = $4, answer_upheld = $5, answer = $6, decided_on = $7, \
         decision_number = $8, published_on = $9, channels = $10, ends_on = $11, \
         repair_from = $12, repair_applied_on = $13, repair_evidence = $14, \
         repair_decided_on = $15, repair_granted = $16, repair_decision = $17, \
         removed_on = $18, removal_reason = $19, revoked_on = $20, revocation = $21, \
         version = version + 1, updated_at = $22 WHERE id = $23 AND version = $24",
    )
    .bind(next.state().code())
    .bind(d(next.objection.as_ref().map(|o| o.on)))
    .bind(next.objection.as_ref().map(|o| o.text.clone()))
    .bind(d(next.answer.as_ref().map(|a| a.on)))
    .bind(next.answer.as_ref().map(|a| i64::from(a.upheld)))
    .bind(next.answer.as_ref().map(|a| a.text.clone()))
    .bind(d(next.decision.as_ref().map(|x| x.on)))
    .bind(next.decision.as_ref().map(|x| x.number.clone()))
    .bind(d(pubn.map(|p| p.on)))
    .bind(pubn.map(|p| p.channels.clone()))
    .bind(d(pubn.map(|p| p.ends_on)))
    .bind(d(pubn.map(|p| p.repair_from)))
    .bind(d(repair.map(|r| r.applied_on)))
    .bind(repair.map(|r| r.evidence.clone()))
    .bind(d(repair_decision.map(|x| x.on)))
    .bind(repair_decision.map(|x| i64::from(x.granted)))
    .bind(repair_decision.map(|x| x.text.clone()))
    .bind(d(next.removal.map(|x| x.on)))
    .bind(next.removal.map(|x| x.reason.code()))
    .bind(d(next.revocation.as_ref().map(|x| x.on)))
    .bind(next.revocation.as_ref().map(|x| x.text.clone()))
    .bind(now_text())
    .bind(rec.id)
    .bind(rec.version)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict(STALE.into()));
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::DishonestyStepRecorded,
            target_kind: Object::DishonestyListing.into(),
            target_id: rec.public_id.clone(),
            before: Some(listing_json(&rec.listing)),
            after: Some({
                let mut after = listing_json(next);
                after["step"] = serde_json::Value::from(step);
                after
            }),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A listing as the public pages show it: the party masked when a person.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublishedListing {
    /// Public id.
    pub id: String,
    /// The enterprise's full name.
    pub enterprise: String,
    /// The party as published (`张某某（主要负责人）` for a person).
    pub party: String,
    /// The ground's clause of 应急管理部令第11号.
    pub clause: String,
    /// The ground.
    pub ground: String,
    /// The deciding department.
    pub decided_by: String,
    /// The decision's number.
    pub decision_number: String,
    /// The day published.
    pub published_on: NaiveDate,
    /// The day the period ends (no longer shown from then).
    pub ends_on: NaiveDate,
}

/// The listings shown on `today`: published on or before it, not removed, their period not
/// ended; newest first. Drafts of other states are never read here.
///
/// # Errors
/// [`StoreError::Corrupt`]; database errors.
pub async fn published(
    store: &Store,
    today: NaiveDate,
) -> Result<Vec<PublishedListing>, StoreError> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE l.status IN ('published', 'repair_applied') AND l.published_on <= ")
        .push_bind(today.to_string())
        .push(" AND l.ends_on > ")
        .push_bind(today.to_string())
        .push(" ORDER BY l.published_on DESC, l.id DESC");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            let rec = from_row(r)?;
            let l = &rec.listing;
            let (Some(p), Some(x)) = (&l.publication, &l.decision) else {
                return Err(StoreError::Corrupt(
                    "published listing without dates".into(),
                ));
            };
            debug_assert!(matches!(
                l.state(),
                ListingStatus::Published | ListingStatus::RepairApplied
            ));
            Ok(PublishedListing {
                id: rec.public_id.clone(),
                enterprise: rec.enterprise_name.clone(),
                party: l.published_party(),
                clause: l.ground.clause.clone(),
                ground: l.ground.text.clone(),
                decided_by: rec.unit_name.clone(),
                decision_number: x.number.clone(),
                published_on: p.on,
                ends_on: p.ends_on,
            })
        })
        .collect()
}
