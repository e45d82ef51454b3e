//! An enterprise's self-inspection (自查) in the caller's campaign: read by officers of its scope
//! and by the enterprise, saved as a draft and submitted by the enterprise (the page
//! `/enterprises/{id}` and `/api/v1/enterprises/{id}/self-inspection`). What an answer must hold
//! and what a submission opens are `safeduty_core::self_inspection`'s rules, applied by the store
//! in the transaction that writes the answers and their audit record.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use safeduty_core::calendar::Calendar;
use safeduty_core::policy::{Action, authorize};
use safeduty_core::self_inspection::{ItemAnswer, Status};
use safeduty_store::Store;
use safeduty_store::campaigns::Campaign;
use safeduty_store::findings::{self, Finding};
use safeduty_store::org::Enterprise;
use safeduty_store::self_inspections::{self, Edit, SelfInspection};

use crate::{Caller, Error, campaigns, guard};

/// The enterprise `enterprise_id` once `caller` may take `action` on it, and the caller's
/// campaign.
async fn of(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    action: Action,
) -> Result<(Enterprise, Campaign), Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, action).await?;
    Ok((e, campaigns::current(store, caller).await?))
}

/// The self-inspection of the enterprise `enterprise_id` ([`Action::ReadSelfInspection`]):
/// `NotStarted` with no answers when none is saved.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without a campaign; store errors.
pub async fn get(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
) -> Result<SelfInspection, Error> {
    let (e, c) = of(store, caller, enterprise_id, Action::ReadSelfInspection).await?;
    Ok(self_inspections::get(store, c.id, e.id).await?)
}

/// What the enterprise's page shows of its self-inspection.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The enterprise.
    pub enterprise: Enterprise,
    /// The caller's campaign: its items are what is answered.
    pub campaign: Campaign,
    /// The self-inspection as stored.
    pub self_inspection: SelfInspection,
    /// The campaign's findings of the enterprise inside the caller's scope, by time limit.
    pub findings: Vec<Finding>,
    /// The caller may still change the answers: not submitted, and the role may edit
    /// ([`Action::EditSelfInspection`]).
    pub editable: bool,
    /// The caller may open a finding on the enterprise ([`Action::OpenFinding`]).
    pub may_open_finding: bool,
}

/// The self-inspection page of the enterprise `enterprise_id` ([`Action::ReadSelfInspection`]).
///
/// # Errors
/// As [`get`].
pub async fn sheet(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
) -> Result<Sheet, Error> {
    let (e, campaign) = of(store, caller, enterprise_id, Action::ReadSelfInspection).await?;
    let si = self_inspections::get(store, campaign.id, e.id).await?;
    let findings = findings::list(store, &caller.user.scope, campaign.id, Some(e.id)).await?;
    let actor = caller.actor();
    Ok(Sheet {
        editable: si.status != Status::Submitted
            && authorize(&actor, Action::EditSelfInspection, Some(&e.facts)).is_ok(),
        may_open_finding: authorize(&actor, Action::OpenFinding, Some(&e.facts)).is_ok(),
        enterprise: e,
        campaign,
        self_inspection: si,
        findings,
    })
}

/// Saves `answers` as the draft of the enterprise `enterprise_id` ([`Action::EditSelfInspection`]),
/// refused when another save came in since `version` (when given).
///
/// # Errors
/// As [`get`]; a refusal ([`safeduty_core::self_inspection::Refusal`]): already submitted
/// (conflict), a stale version (conflict), invalid answers (per-field errors).
pub async fn save(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    answers: BTreeMap<u32, ItemAnswer>,
    version: Option<i64>,
) -> Result<SelfInspection, Error> {
    let (e, c) = of(store, caller, enterprise_id, Action::EditSelfInspection).await?;
    let edit = Edit::new(&c, e.id, answers).expecting(version);
    Ok(self_inspections::save_draft(store, &caller.who(), edit).await?)
}

/// Submits `answers` as the self-inspection of the enterprise `enterprise_id` on `today`
/// ([`Action::EditSelfInspection`]): every item answered; each 不符合 opens a finding due the
/// campaign's working days after `today` on `calendar`. Of two submissions at once one succeeds.
///
/// # Errors
/// As [`save`]; missing answers are per-field errors too.
pub async fn submit(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    answers: BTreeMap<u32, ItemAnswer>,
    version: Option<i64>,
    today: NaiveDate,
    calendar: &Calendar,
) -> Result<SelfInspection, Error> {
    let (e, c) = of(store, caller, enterprise_id, Action::EditSelfInspection).await?;
    let edit = Edit::new(&c, e.id, answers).expecting(version);
    Ok(self_inspections::submit(store, &caller.who(), edit, today, calendar).await?)
}
