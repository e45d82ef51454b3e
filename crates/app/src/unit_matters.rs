//! Accountability of the supervising units (issue #14 point 5): the committee office
//! ([`Action::OverseeUnits`]) issues a correction order or an interview to a town or department
//! of its region, records the interview held, follows up the unit's report (closes it or sends
//! it back); the unit ([`Action::SubmitReport`], its own unit) reports what it corrected and
//! sees its open matters on its first page. Reading is [`Action::ViewReports`] over the units of
//! the caller's unit scope.

use chrono::NaiveDate;
use safeduty_core::accountability::{MatterInput, MatterStatus, Record};
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_store::unit_matters::{self, UnitMatter};
use safeduty_store::{Store, StoreError};

use crate::{Caller, Error, campaigns, guard};

async fn unit_ids(store: &Store, caller: &Caller<'_>) -> Result<Vec<i64>, Error> {
    Ok(
        safeduty_store::reports::units(store, &caller.user.unit_scope)
            .await?
            .iter()
            .map(|u| u.id)
            .collect(),
    )
}

/// Issues `input` to the unit `unit_id` on `today` (the committee office of its region).
/// Returns the matter's public id.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for a unit outside the caller's units or without a
/// campaign; a [`Refusal`] on the field at fault; store errors.
pub async fn issue(
    store: &Store,
    caller: &Caller<'_>,
    unit_id: i64,
    input: &MatterInput,
    today: NaiveDate,
) -> Result<String, Error> {
    if !unit_ids(store, caller).await?.contains(&unit_id) {
        guard::require(store, caller, Action::OverseeUnits, Some(&guard::nowhere())).await?;
        return Err(Error::NotFound);
    }
    guard::require(store, caller, Action::OverseeUnits, None).await?;
    let campaign = campaigns::current(store, caller).await?;
    let matter = input.check(today)?;
    Ok(unit_matters::issue(store, &caller.who(), campaign.id, unit_id, &matter).await?)
}

/// The matters of the units the caller sees (a unit officer: its own), newest first.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without a campaign; store errors.
pub async fn list(store: &Store, caller: &Caller<'_>) -> Result<Vec<UnitMatter>, Error> {
    guard::require(store, caller, Action::ViewReports, None).await?;
    let campaign = campaigns::current(store, caller).await?;
    let units = unit_ids(store, caller).await?;
    Ok(unit_matters::list(store, campaign.id, &units).await?)
}

/// The caller's own unit's matters not closed yet (its first page shows them), for a unit
/// officer; empty for everyone else.
///
/// # Errors
/// Store errors.
pub async fn open_for_own_unit(
    store: &Store,
    caller: &Caller<'_>,
) -> Result<Vec<UnitMatter>, Error> {
    let Some(unit_id) = caller.user.unit_id else {
        return Ok(Vec::new());
    };
    let Some(campaign) = safeduty_store::campaigns::current_for(store, &caller.user.scope).await?
    else {
        return Ok(Vec::new());
    };
    Ok(unit_matters::list(store, campaign.id, &[unit_id])
        .await?
        .into_iter()
        .filter(|m| m.record.status() != MatterStatus::Closed)
        .collect())
}

/// The matter `id`, if its unit is one the caller sees (checked before anything the caller
/// sent is read).
///
/// # Errors
/// [`Error::NotFound`] (the probe recorded as a denial); store errors.
pub async fn matter_for(store: &Store, caller: &Caller<'_>, id: &str) -> Result<UnitMatter, Error> {
    let m = match unit_matters::get(store, id).await {
        Ok(m) => m,
        Err(StoreError::NotFound) => {
            guard::require(store, caller, Action::ViewReports, Some(&guard::nowhere())).await?;
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    if !unit_ids(store, caller).await?.contains(&m.unit_id) {
        guard::require(store, caller, Action::ViewReports, Some(&guard::nowhere())).await?;
        return Err(Error::NotFound);
    }
    guard::require(store, caller, Action::ViewReports, None).await?;
    Ok(m)
}

/// A step of a matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The committee office records the interview held on `date` with its minutes.
    Hold {
        /// The day held.
        date: NaiveDate,
        /// What was said and promised.
        text: String,
    },
    /// The unit reports what it corrected.
    Report {
        /// The report.
        text: String,
    },
    /// The committee office follows up: closes (`close`) or sends back.
    FollowUp {
        /// Close (销号) rather than send back.
        close: bool,
        /// Its opinion.
        text: String,
    },
}

impl Step {
    /// The step codes, as forms and the API name them.
    pub const CODES: [&'static str; 3] = ["hold", "report", "follow_up"];

    /// The step's code.
    pub fn code(&self) -> &'static str {
        match self {
            Step::Hold { .. } => "hold",
            Step::Report { .. } => "report",
            Step::FollowUp { .. } => "follow_up",
        }
    }
}

/// Records `step` of the matter `id` read at `version` on `today`: the interview and the
/// follow-up by the committee office, the report by the unit's own officer.
///
/// # Errors
/// The guard's denials; a [`Refusal`] (the step's order, its date, its text; a report by
/// another unit); a stale version; store errors.
pub async fn step(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    version: i64,
    step: &Step,
    today: NaiveDate,
) -> Result<(), Error> {
    let m = matter_for(store, caller, id).await?;
    match step {
        Step::Report { .. } => {
            guard::require(store, caller, Action::SubmitReport, None).await?;
            if caller.user.unit_id != Some(m.unit_id) {
                return Err(Refusal::forbidden("只有被督办单位可以报告整改情况").into());
            }
        }
        Step::Hold { .. } | Step::FollowUp { .. } => {
            guard::require(store, caller, Action::OverseeUnits, None).await?;
        }
    }
    if m.version != version {
        return Err(StoreError::Conflict(unit_matters::STALE.into()).into());
    }
    let mut next: Record = m.record.clone();
    match step {
        Step::Hold { date, text } => next.hold(*date, text, today)?,
        Step::Report { text } => next.report(text, today)?,
        Step::FollowUp { close, text } => next.follow_up(*close, text, today)?,
    }
    Ok(unit_matters::record_step(store, &caller.who(), &m, step.code(), &next).await?)
}

/// Which document of an interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterviewDocument {
    /// 约谈通知书, dated the day issued.
    Notice,
    /// 约谈记录, dated the day held (once held).
    Minutes,
}

impl InterviewDocument {
    /// The code in addresses.
    pub fn from_code(code: &str) -> Option<InterviewDocument> {
        match code {
            "notice" => Some(InterviewDocument::Notice),
            "minutes" => Some(InterviewDocument::Minutes),
            _ => None,
        }
    }

    /// The title.
    pub fn label(self) -> &'static str {
        match self {
            InterviewDocument::Notice => "约谈通知书",
            InterviewDocument::Minutes => "约谈记录",
        }
    }
}

/// The document `kind` of the interview `id`, for a caller who sees its unit, issued by the
/// committee office of the caller's region (or the unit's).
///
/// # Errors
/// As [`matter_for`]; [`Error::NotFound`] for a correction order, or minutes of an interview not
/// held; a [`Refusal`] when the document cannot be made; store errors.
pub async fn document(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    kind: InterviewDocument,
) -> Result<(Vec<u8>, String), Error> {
    use safeduty_office::enforcement::{InterviewDoc, Templates};
    let m = matter_for(store, caller, id).await?;
    let r = &m.record;
    let Some(plan) = &r.matter.interview else {
        return Err(Error::NotFound);
    };
    let date = match kind {
        InterviewDocument::Notice => r.matter.issued_on,
        InterviewDocument::Minutes => r.held.as_ref().ok_or(Error::NotFound)?.on,
    };
    let issuer = unit_matters::issuer(store, m.campaign_id)
        .await?
        .unwrap_or_else(|| "安全生产委员会办公室".to_string());
    let out = InterviewDoc {
        minutes: kind == InterviewDocument::Minutes,
        issuer,
        unit: m.unit_name.clone(),
        plan: plan.clone(),
        issues: r.matter.issues.clone(),
        actions: r.matter.actions.clone(),
        due_on: r.matter.due_on,
        held: r.held.as_ref().map(|h| h.text.clone()),
        date,
    }
    .generate(&Templates::shipped())
    .map_err(|e| Refusal::invalid(format!("文书生成失败：{e}")))?;
    Ok((out.bytes, format!("{}-{}.docx", kind.label(), m.unit_name)))
}
