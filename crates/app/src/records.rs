//! An enterprise's records (台账记录: training plans and sessions, three-level induction,
//! emergency plans, drills, major hazard sources, violations — the evidence behind check items
//! 9–17 and 28), and the drill-frequency check of item 17 (应急预案管理办法 art. 33): read by
//! whoever may read the enterprise, kept by the enterprise. A form the core refuses comes back
//! as its field errors ([`RecordFieldError`]); nothing is written then.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use safeduty_core::drills::{self, DrillCheck};
use safeduty_core::policy::{Action, authorize};
use safeduty_core::records::{RecordFieldError, RecordKind, parse};
use safeduty_store::Store;
use safeduty_store::attachments::{self, Attachment, Owner, StoredFile};
use safeduty_store::org::Enterprise;
use safeduty_store::records::{self, Record};

use crate::{Caller, Error, guard};

/// What a form's check found: `Ok` written, `Err` the field errors (nothing written).
pub type Checked = Result<(), Vec<RecordFieldError>>;

/// An enterprise's records page.
#[derive(Debug)]
pub struct Sheet {
    /// The enterprise.
    pub enterprise: Enterprise,
    /// Records of each kind, by [`RecordKind::code`].
    pub counts: BTreeMap<&'static str, i64>,
    /// The drill-frequency check, on the index and the drills' page.
    pub drill: Option<DrillCheck>,
    /// The records of the kind shown, each with its files.
    pub records: Vec<(Record, Vec<Attachment>)>,
    /// Whether the caller may add and change records.
    pub can_edit: bool,
}

/// The records of the enterprise `enterprise_id` (public id): the counts of every kind, and
/// with `kind` that kind's records; the drill check as of `today` on the index and the drills.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn sheet(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    kind: Option<RecordKind>,
    today: NaiveDate,
) -> Result<Sheet, Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::ReadRecords).await?;
    let drill = if matches!(kind, None | Some(RecordKind::Drill)) {
        Some(drill_check(store, &e, today).await?)
    } else {
        None
    };
    let mut shown = Vec::new();
    if let Some(k) = kind {
        for r in records::list(store, e.id, k).await? {
            let files = attachments::list(store, e.id, Owner::Record { record_id: r.id }).await?;
            shown.push((r, files));
        }
    }
    Ok(Sheet {
        counts: records::counts(store, e.id).await?,
        drill,
        records: shown,
        can_edit: authorize(&caller.actor(), Action::EditRecords, Some(&e.facts)).is_ok(),
        enterprise: e,
    })
}

/// The drill-frequency check of `e` as of `today` (item 17): the drills on record against the
/// frequencies its kind of unit owes ([`drills::check`]). `e` was read through the guard.
///
/// # Errors
/// Store errors.
pub async fn drill_check(
    store: &Store,
    e: &Enterprise,
    today: NaiveDate,
) -> Result<DrillCheck, Error> {
    let on_record = records::drills(store, e.id).await?;
    let key_unit = drills::is_key_unit(e.is_key, &e.industry);
    Ok(drills::check(&on_record, key_unit, today))
}

/// Records of each kind of `e`, by [`RecordKind::code`] (for the self-inspection's hints). `e`
/// was read through the guard.
///
/// # Errors
/// Store errors.
pub async fn counts(store: &Store, e: &Enterprise) -> Result<BTreeMap<&'static str, i64>, Error> {
    Ok(records::counts(store, e.id).await?)
}

/// A new record of `kind` with the typed `values` (dates up to `today`).
///
/// # Errors
/// The guard's denials; store errors.
pub async fn create(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    kind: RecordKind,
    values: &BTreeMap<String, String>,
    today: NaiveDate,
) -> Result<Checked, Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::EditRecords).await?;
    let v = match parse(kind, values, today) {
        Ok(v) => v,
        Err(errors) => return Ok(Err(errors)),
    };
    records::create(store, &caller.who(), e.id, &v).await?;
    Ok(Ok(()))
}

/// Replaces the values of the record `record_id` (public id) read at `version`.
///
/// # Errors
/// The guard's denials; store errors ([`safeduty_store::StoreError::Conflict`] when it changed meanwhile).
#[allow(clippy::too_many_arguments)] // one per part of the request
pub async fn update(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    kind: RecordKind,
    record_id: &str,
    version: i64,
    values: &BTreeMap<String, String>,
    today: NaiveDate,
) -> Result<Checked, Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::EditRecords).await?;
    let v = match parse(kind, values, today) {
        Ok(v) => v,
        Err(errors) => return Ok(Err(errors)),
    };
    records::update(store, &caller.who(), e.id, record_id, version, &v).await?;
    Ok(Ok(()))
}

/// A record a file may be attached to: see [`attachable`].
#[derive(Debug)]
pub struct Attachable {
    enterprise_id: i64,
    record_id: i64,
}

/// Checks that the caller may attach a file to the record `record_id` of `kind` of the
/// enterprise; the caller stores the file, then calls [`attach`]. Nothing is written here.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for a record of another enterprise or kind.
pub async fn attachable(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    kind: RecordKind,
    record_id: &str,
) -> Result<Attachable, Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::EditRecords).await?;
    let r = records::by_public_id(store, record_id).await?;
    if r.enterprise_id != e.id || r.kind != kind {
        return Err(Error::NotFound);
    }
    Ok(Attachable {
        enterprise_id: e.id,
        record_id: r.id,
    })
}

/// Attaches a stored file to a checked record, with its audit record, in one transaction.
///
/// # Errors
/// Store errors.
pub async fn attach(
    store: &Store,
    caller: &Caller<'_>,
    to: &Attachable,
    file: &StoredFile,
) -> Result<Attachment, Error> {
    let owner = Owner::Record {
        record_id: to.record_id,
    };
    crate::attachments::insert(store, caller, to.enterprise_id, owner, file).await
}
