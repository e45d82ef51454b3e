//! Penalty cases (案件, issue #13): the draft (no number), the approved filing with its number
//! from the unit's `case` sequence ([`super::numbers::allocate`]) and officers, and the dated
//! record of each later step as the core [`Case`] holds it.
//!
//! The caller runs the core's guarded step on the [`CaseRecord::case`] it read and hands the
//! result to [`record_step`], which writes every step column from it, with the version read as
//! the guard against a concurrent change, and audits the step's before and after in the same
//! transaction. `status` is `draft` or the core `CaseState` code of the case written.

use chrono::{Datelike, NaiveDate};
use safeduty_core::enforcement::case::{
    Answer, Case, CaseState, Decision, HeavyMeasure, Party, Payment, PenaltyNotice, Suspension,
};
use safeduty_core::enforcement::penalty::{Band, NoPenalty, Provision};
use safeduty_core::policy::Scope;
use safeduty_core::uscc::Uscc;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::inspections::{insert_officers, officers};
use super::{OfficerOnDuty, opt_date};
use crate::audit::{self, Entry, Event, Object, Who};
use crate::sql::Sql;
use crate::{Store, StoreError, new_public_id, now_text};

/// Answer to a write against a case changed meanwhile.
pub const STALE: &str = "该案件刚被他人更新，请刷新后重试";

/// Where a case comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseSource {
    /// An on-site inspection (`inspections.id`).
    Inspection(i64),
    /// A referral for a case (`case_referrals.id`): a re-inspection that found no correction,
    /// or a unit without the penalty power handing over.
    Referral(i64),
    /// Filed directly (a complaint, a report, an accident).
    Direct,
    /// A party found still violating at an acceptance inspection (`acceptances.id`).
    Acceptance(i64),
}

impl CaseSource {
    /// Every stored `source_kind`.
    pub const KINDS: [&'static str; 4] = ["inspection", "referral", "direct", "acceptance"];

    /// The stored `source_kind`.
    pub fn kind(self) -> &'static str {
        match self {
            CaseSource::Inspection(_) => "inspection",
            CaseSource::Referral(_) => "referral",
            CaseSource::Direct => "direct",
            CaseSource::Acceptance(_) => "acceptance",
        }
    }

    /// The stored `source_id`.
    fn id(self) -> Option<i64> {
        match self {
            CaseSource::Inspection(id) | CaseSource::Referral(id) | CaseSource::Acceptance(id) => {
                Some(id)
            }
            CaseSource::Direct => None,
        }
    }

    /// The Chinese name of a stored `source_kind`.
    pub fn label_of(kind: &str) -> &'static str {
        match kind {
            "inspection" => "现场检查",
            "referral" => "移交立案",
            "acceptance" => "检查验收",
            _ => "直接立案",
        }
    }
}

/// A case to draft: checked by the caller.
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    /// The handling unit (holds the filing power).
    pub unit_id: i64,
    /// The enterprise concerned (the party, or the party's unit).
    pub enterprise_id: i64,
    /// Where it comes from.
    pub source: CaseSource,
    /// 案由: the violation in a line.
    pub cause: &'a str,
    /// The facts as known when drafting.
    pub facts: &'a str,
    /// The provision proposed (core `Provision` code).
    pub provision: &'a str,
    /// `unit` or `person` (core `violations::Party` code).
    pub party_kind: &'a str,
    /// The party's name: the enterprise's full name, or the person's name.
    pub party_name: &'a str,
    /// The person's role in the unit (empty for a unit).
    pub party_role: &'a str,
    /// Found still violating at acceptance: the core `AtAcceptance` code and its ground in
    /// words (the earlier case of the same article, the order not corrected).
    pub at_acceptance: Option<(&'a str, &'a str)>,
}

/// Drafts a case (no number, no filing date), audited. Returns its public id.
///
/// # Errors
/// Database errors.
pub async fn draft(store: &Store, who: &Who, new: &NewCase<'_>) -> Result<String, StoreError> {
    let mut tx = store.write().await?;
    let public_id = new_public_id();
    let now = now_text();
    sqlx::query(
        "INSERT INTO cases (public_id, unit_id, enterprise_id, source_kind, source_id, cause, \
         facts, provision, party_kind, party_name, party_role, status, created_by, created_at, \
         updated_at, at_acceptance, at_acceptance_ground) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $13, $13, $14, $15)",
    )
    .bind(&public_id)
    .bind(new.unit_id)
    .bind(new.enterprise_id)
    .bind(new.source.kind())
    .bind(new.source.id())
    .bind(new.cause)
    .bind(new.facts)
    .bind(new.provision)
    .bind(new.party_kind)
    .bind(new.party_name)
    .bind(new.party_role)
    .bind(who.user_id)
    .bind(&now)
    .bind(new.at_acceptance.map(|(code, _)| code))
    .bind(new.at_acceptance.map_or("", |(_, ground)| ground))
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::CaseDrafted,
            target_kind: Object::Case.into(),
            target_id: public_id.clone(),
            before: None,
            after: Some(serde_json::json!({
                "unit_id": new.unit_id,
                "enterprise_id": new.enterprise_id,
                "source": new.source.kind(),
                "source_id": new.source.id(),
                "cause": new.cause,
                "facts": new.facts,
                "provision": new.provision,
                "party_kind": new.party_kind,
                "party_name": new.party_name,
                "at_acceptance": new.at_acceptance,
                "party_role": new.party_role,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// A case as listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CaseSummary {
    /// Internal id.
    #[serde(skip)]
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// Handling unit.
    #[serde(skip)]
    pub unit_id: i64,
    /// Handling unit's name.
    pub unit_name: String,
    /// Enterprise.
    #[serde(skip)]
    pub enterprise_id: i64,
    /// Enterprise's name.
    pub enterprise_name: String,
    /// Enterprise's USCC.
    pub uscc: String,
    /// `inspection`, `referral`, `direct`.
    pub source_kind: String,
    /// 案由.
    pub cause: String,
    /// Facts.
    pub facts: String,
    /// Proposed provision (core code).
    pub provision: String,
    /// `unit` or `person`.
    pub party_kind: String,
    /// Party's name.
    pub party_name: String,
    /// Person's role in the unit.
    pub party_role: String,
    /// `draft` or a core `CaseState` code.
    pub status: String,
    /// Year of the number (after filing).
    pub year: Option<i32>,
    /// Sequence of the number (after filing).
    pub seq: Option<i64>,
    /// Day filed.
    pub filed_on: Option<NaiveDate>,
    /// The fine decided, yuan.
    pub decision_amount: Option<i64>,
    /// Version (optimistic concurrency).
    pub version: i64,
    /// When drafted (UTC instant).
    pub created_at: String,
}

/// A case with its officers and its procedure record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    /// The row as listed.
    pub summary: CaseSummary,
    /// Source id (`inspections.id`, `case_referrals.id`).
    pub source_id: Option<i64>,
    /// The officers named at filing (empty for a draft).
    pub officers: Vec<OfficerOnDuty>,
    /// The procedure record (`None` for a draft).
    pub case: Option<Case>,
    /// What the party said (陈述申辩 / 听证 summary).
    pub answer_note: String,
    /// Found still violating at acceptance: the core `AtAcceptance` code and its ground.
    pub at_acceptance: Option<(String, String)>,
}

const SELECT: &str = "SELECT c.*, un.name AS unit_name, e.name AS enterprise_name, \
    e.uscc AS enterprise_uscc FROM cases c JOIN units un ON un.id = c.unit_id \
    JOIN enterprises e ON e.id = c.enterprise_id JOIN regions r ON r.id = e.region_id";

fn summary_from_row(r: &AnyRow) -> Result<CaseSummary, StoreError> {
    Ok(CaseSummary {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        uscc: r.try_get("enterprise_uscc")?,
        source_kind: r.try_get("source_kind")?,
        cause: r.try_get("cause")?,
        facts: r.try_get("facts")?,
        provision: r.try_get("provision")?,
        party_kind: r.try_get("party_kind")?,
        party_name: r.try_get("party_name")?,
        party_role: r.try_get("party_role")?,
        status: r.try_get("status")?,
        year: r
            .try_get::<Option<i64>, _>("year")?
            .map(|y| i32::try_from(y).map_err(|_| StoreError::Corrupt("case year".into())))
            .transpose()?,
        seq: r.try_get("seq")?,
        filed_on: opt_date(r, "filed_on")?,
        decision_amount: r.try_get("decision_amount")?,
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
    })
}

fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::Corrupt(format!("case {what}: {v:?}"))
}

fn coded<T>(
    r: &AnyRow,
    column: &str,
    from: fn(&str) -> Option<T>,
) -> Result<Option<T>, StoreError> {
    let v: Option<String> = r.try_get(column)?;
    v.map(|v| from(&v).ok_or_else(|| corrupt(column, &v)))
        .transpose()
}

fn amount(r: &AnyRow, column: &str) -> Result<Option<u32>, StoreError> {
    let v: Option<i64> = r.try_get(column)?;
    v.map(|v| u32::try_from(v).map_err(|_| corrupt(column, &v.to_string())))
        .transpose()
}

/// The core party of a case from its stored columns and its enterprise's name and USCC.
pub(crate) fn party(
    kind: &str,
    name: &str,
    role: &str,
    enterprise_name: &str,
    uscc: &str,
) -> Result<Party, StoreError> {
    let uscc = Uscc::parse(uscc).map_err(|_| corrupt("uscc", uscc))?;
    Ok(if kind == "person" {
        Party::Person {
            name: name.to_string(),
            role: role.to_string(),
            unit_name: enterprise_name.to_string(),
            unit_uscc: uscc,
        }
    } else {
        Party::Unit {
            name: name.to_string(),
            uscc,
        }
    })
}

/// The core case of a filed row.
fn case_from_row(r: &AnyRow, s: &CaseSummary) -> Result<Option<Case>, StoreError> {
    let Some(filed_on) = s.filed_on else {
        return Ok(None);
    };
    let party = party(
        &s.party_kind,
        &s.party_name,
        &s.party_role,
        &s.enterprise_name,
        &s.uscc,
    )?;
    let notice = match (
        coded(r, "notice_provision", Provision::from_code)?,
        opt_date(r, "notice_received_on")?,
    ) {
        (Some(provision), Some(received_on)) => Some(PenaltyNotice {
            provision,
            amount: amount(r, "notice_amount")?.unwrap_or(0),
            heavy: coded(r, "notice_heavy", HeavyMeasure::from_code)?,
            received_on,
        }),
        _ => None,
    };
    let answer = match (
        coded(r, "answer", Answer::from_code)?,
        opt_date(r, "answer_on")?,
    ) {
        (Some(a), Some(d)) => Some((a, d)),
        _ => None,
    };
    let decision = match (
        coded(r, "decision_provision", Provision::from_code)?,
        opt_date(r, "decided_on")?,
    ) {
        (Some(provision), Some(decided_on)) => Some(Decision {
            provision,
            amount: amount(r, "decision_amount")?.unwrap_or(0),
            band: match (
                coded(r, "decision_band", Band::from_code)?,
                r.try_get::<Option<String>, _>("decision_table")?,
            ) {
                (Some(b), Some(t)) => Some((b, t)),
                _ => None,
            },
            decided_on,
        }),
        _ => None,
    };
    let no_penalty = match (
        r.try_get::<Option<String>, _>("no_penalty_basis")?,
        r.try_get::<Option<String>, _>("no_penalty_follow_up")?,
        opt_date(r, "no_penalty_on")?,
    ) {
        (Some(basis), Some(follow_up), Some(d)) => Some((NoPenalty { basis, follow_up }, d)),
        _ => None,
    };
    let payment = opt_date(r, "paid_on")?
        .map(|paid_on| {
            let fee: Option<i64> = r.try_get("late_fee")?;
            Ok::<_, StoreError>(Payment {
                paid_on,
                late_fee: u64::try_from(fee.unwrap_or(0)).unwrap_or(0),
            })
        })
        .transpose()?;
    Ok(Some(Case {
        party,
        filed_on,
        extensions: u8::try_from(r.try_get::<i64, _>("extensions")?)
            .map_err(|_| StoreError::Corrupt("case extensions".into()))?,
        investigated_on: opt_date(r, "investigated_on")?,
        notice,
        hearing_notice_on: opt_date(r, "hearing_notice_on")?,
        answer,
        decision,
        no_penalty,
        served_on: opt_date(r, "served_on")?,
        payment,
        enforcement_on: opt_date(r, "enforcement_on")?,
        closed_on: opt_date(r, "closed_on")?,
        suspension: match (
            opt_date(r, "suspension_from")?,
            opt_date(r, "suspension_until")?,
        ) {
            (Some(from), Some(until)) => Some(Suspension {
                from,
                until,
                lifted: opt_date(r, "suspension_lifted_on")?
                    .map(|on| {
                        Ok::<_, StoreError>((
                            on,
                            r.try_get::<Option<String>, _>("suspension_review")?
                                .unwrap_or_default(),
                        ))
                    })
                    .transpose()?,
            }),
            _ => None,
        },
    }))
}

/// One case by public id with its officers and record, whatever the scope.
///
/// # Errors
/// [`StoreError::NotFound`]; [`StoreError::Corrupt`] for a stored code the core does not know;
/// database errors.
pub async fn get(store: &Store, public_id: &str) -> Result<CaseRecord, StoreError> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE c.public_id = ").push_bind(public_id);
    let r = sql
        .query()
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    let summary = summary_from_row(&r)?;
    let case = case_from_row(&r, &summary)?;
    Ok(CaseRecord {
        officers: officers(store, "case_officers", "case_id", summary.id).await?,
        source_id: r.try_get("source_id")?,
        answer_note: r.try_get("answer_note")?,
        at_acceptance: r
            .try_get::<Option<String>, _>("at_acceptance")?
            .map(|code| Ok::<_, StoreError>((code, r.try_get("at_acceptance_ground")?)))
            .transpose()?,
        case,
        summary,
    })
}

/// Which cases to list.
#[derive(Debug, Clone, Copy, Default)]
pub struct CaseFilter {
    /// Only the handling unit's.
    pub unit_id: Option<i64>,
    /// Only the enterprise's.
    pub enterprise_id: Option<i64>,
}

/// Cases in `scope`, newest first.
///
/// # Errors
/// Database errors.
pub async fn list(
    store: &Store,
    scope: &Scope,
    filter: CaseFilter,
) -> Result<Vec<CaseSummary>, StoreError> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE ").push_scope(scope);
    if let Some(u) = filter.unit_id {
        sql.push(" AND c.unit_id = ").push_bind(u);
    }
    if let Some(e) = filter.enterprise_id {
        sql.push(" AND c.enterprise_id = ").push_bind(e);
    }
    sql.push(" ORDER BY c.id DESC");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter().map(summary_from_row).collect()
}

/// The cases filed in `year` (their number's year) inside `scope`, with their procedure
/// records (no officers), oldest first: what figures count steps over.
///
/// # Errors
/// [`StoreError::Corrupt`] for a stored code the core does not know; database errors.
pub async fn filed_in(
    store: &Store,
    scope: &Scope,
    year: i32,
) -> Result<Vec<(CaseSummary, Case)>, StoreError> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE ")
        .push_scope(scope)
        .push(" AND c.status <> 'draft' AND c.year = ")
        .push_bind(i64::from(year))
        .push(" ORDER BY c.id");
    let rows = sql.query().fetch_all(store.reader()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let s = summary_from_row(r)?;
        if let Some(c) = case_from_row(r, &s)? {
            out.push((s, c));
        }
    }
    Ok(out)
}

/// Approves the filing of the draft `rec` on `filed_on`: the next number of the handling unit's
/// case sequence for the filing year, the officers as on the day, the referral it came from
/// marked filed; audited. Returns the sequence number.
///
/// # Errors
/// [`StoreError::Conflict`] when the draft changed or was filed meanwhile; database errors.
pub async fn file(
    store: &Store,
    who: &Who,
    rec: &CaseRecord,
    filed_on: NaiveDate,
    on_duty: &[OfficerOnDuty],
) -> Result<i64, StoreError> {
    let s = &rec.summary;
    let mut tx = store.write().await?;
    let year = filed_on.year();
    let seq = super::numbers::allocate(&mut tx, s.unit_id, "case", year).await?;
    let done = sqlx::query(
        "UPDATE cases SET status = $1, year = $2, seq = $3, filed_on = $4, \
         version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7 \
         AND status = 'draft'",
    )
    .bind(CaseState::Filed.code())
    .bind(i64::from(year))
    .bind(seq)
    .bind(filed_on.to_string())
    .bind(now_text())
    .bind(s.id)
    .bind(s.version)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict(STALE.into()));
    }
    insert_officers(&mut tx, "case_officers", "case_id", s.id, on_duty).await?;
    if s.source_kind == "referral"
        && let Some(id) = rec.source_id
    {
        sqlx::query("UPDATE case_referrals SET status = 'filed', updated_at = $1 WHERE id = $2")
            .bind(now_text())
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::CaseFiled,
            target_kind: Object::Case.into(),
            target_id: s.public_id.clone(),
            before: Some(serde_json::json!({"status": "draft"})),
            after: Some(serde_json::json!({
                "status": CaseState::Filed.code(),
                "year": year,
                "seq": seq,
                "filed_on": filed_on.to_string(),
                "officers": on_duty,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(seq)
}

/// The stored columns of a case's steps, as JSON (the audit record's before and after).
fn steps_json(c: &Case, answer_note: &str) -> serde_json::Value {
    let d = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    serde_json::json!({
        "status": c.state().code(),
        "extensions": c.extensions,
        "investigated_on": d(c.investigated_on),
        "notice": c.notice.as_ref().map(|n| serde_json::json!({
            "provision": n.provision.code(),
            "amount": n.amount,
            "heavy": n.heavy.map(HeavyMeasure::code),
            "received_on": n.received_on.to_string(),
        })),
        "hearing_notice_on": d(c.hearing_notice_on),
        "answer": c.answer.map(|(a, on)| serde_json::json!({
            "answer": a.code(), "on": on.to_string(), "note": answer_note,
        })),
        "decision": c.decision.as_ref().map(|x| serde_json::json!({
            "provision": x.provision.code(),
            "amount": x.amount,
            "band": x.band.as_ref().map(|(b, _)| b.code()),
            "table": x.band.as_ref().map(|(_, t)| t),
            "decided_on": x.decided_on.to_string(),
        })),
        "no_penalty": c.no_penalty.as_ref().map(|(n, on)| serde_json::json!({
            "basis": n.basis, "follow_up": n.follow_up, "on": on.to_string(),
        })),
        "served_on": d(c.served_on),
        "payment": c.payment.as_ref().map(|p| serde_json::json!({
            "paid_on": p.paid_on.to_string(), "late_fee": p.late_fee,
        })),
        "enforcement_on": d(c.enforcement_on),
        "suspension": c.suspension.as_ref().map(|x| serde_json::json!({
            "from": x.from.to_string(), "until": x.until.to_string(),
            "lifted": x.lifted.as_ref().map(|(on, review)| serde_json::json!({
                "on": on.to_string(), "review": review,
            })),
        })),
        "closed_on": d(c.closed_on),
    })
}

/// Records a step of the filed case `rec`: writes every step column from `next` (the core case
/// after the step) and `answer_note`, checked against the version read; audits `step` with the
/// steps before and after.
///
/// # Errors
/// [`StoreError::Conflict`] when the case changed meanwhile or is a draft; database errors.
pub async fn record_step(
    store: &Store,
    who: &Who,
    rec: &CaseRecord,
    step: &str,
    next: &Case,
    answer_note: &str,
) -> Result<(), StoreError> {
    let Some(before) = &rec.case else {
        return Err(StoreError::Conflict("案件尚未立案".into()));
    };
    let s = &rec.summary;
    let d = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let notice = next.notice.as_ref();
    let decision = next.decision.as_ref();
    let no_penalty = next.no_penalty.as_ref();
    let suspension = next.suspension.as_ref();
    let mut tx = store.write().await?;
    let done = sqlx::query(
        "UPDATE cases SET status = $1, extensions = $2, investigated_on = $3, \
         notice_provision = $4, notice_amount = $5, notice_heavy = $6, notice_received_on = $7, \
         hearing_notice_on = $8, answer = $9, answer_on = $10, answer_note = $11, \
         decision_provision = $12, decision_amount = $13, decision_band = $14, \
         decision_table = $15, decided_on = $16, no_penalty_basis = $17, \
         no_penalty_follow_up = $18, no_penalty_on = $19, served_on = $20, paid_on = $21, \
         late_fee = $22, enforcement_on = $23, closed_on = $24, version = version + 1, \
         updated_at = $25, suspension_from = $28, suspension_until = $29, \
         suspension_lifted_on = $30, suspension_review = $31 \
         WHERE id = $26 AND version = $27 AND status <> 'draft'",
    )
    .bind(next.state().code())
    .bind(i64::from(next.extensions))
    .bind(d(next.investigated_on))
    .bind(notice.map(|n| n.provision.code()))
    .bind(notice.map(|n| i64::from(n.amount)))
    .bind(notice.and_then(|n| n.heavy).map(HeavyMeasure::code))
    .bind(notice.map(|n| n.received_on.to_string()))
    .bind(d(next.hearing_notice_on))
    .bind(next.answer.map(|(a, _)| a.code()))
    .bind(next.answer.map(|(_, on)| on.to_string()))
    .bind(answer_note)
    .bind(decision.map(|x| x.provision.code()))
    .bind(decision.map(|x| i64::from(x.amount)))
    .bind(
        decision
            .and_then(|x| x.band.as_ref())
            .map(|(b, _)| b.code()),
    )
    .bind(
        decision
            .and_then(|x| x.band.as_ref())
            .map(|(_, t)| t.clone()),
    )
    .bind(decision.map(|x| x.decided_on.to_string()))
    .bind(no_penalty.map(|(n, _)| n.basis.clone()))
    .bind(no_penalty.map(|(n, _)| n.follow_up.clone()))
    .bind(no_penalty.map(|(_, on)| on.to_string()))
    .bind(d(next.served_on))
    .bind(next.payment.as_ref().map(|p| p.paid_on.to_string()))
    .bind(
        next.payment
            .as_ref()
            .map(|p| i64::try_from(p.late_fee).unwrap_or(i64::MAX)),
    )
    .bind(d(next.enforcement_on))
    .bind(d(next.closed_on))
    .bind(now_text())
    .bind(s.id)
    .bind(s.version)
    .bind(suspension.map(|x| x.from.to_string()))
    .bind(suspension.map(|x| x.until.to_string()))
    .bind(
        suspension
            .and_then(|x| x.lifted.as_ref())
            .map(|(on, _)| on.to_string()),
    )
    .bind(
        suspension
            .and_then(|x| x.lifted.as_ref())
            .map(|(_, r)| r.clone()),
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict(STALE.into()));
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::CaseStepRecorded,
            target_kind: Object::Case.into(),
            target_id: s.public_id.clone(),
            before: Some(steps_json(before, &rec.answer_note)),
            after: Some({
                let mut after = steps_json(next, answer_note);
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
