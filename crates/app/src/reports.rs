//! A unit's report submission (报送): the stage and annual reports the plan asks for, by the
//! unit officer of the unit that owes it; and the reporting status of the units a caller sees.

use std::collections::HashMap;

use chrono::NaiveDate;
use safeduty_core::calendar::Calendar;
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_store::campaigns::Campaign;
use safeduty_store::reports::ReportingUnit;
use safeduty_store::{Store, StoreError, reports};

use crate::{Caller, Error, campaigns, guard};

/// Longest note sent with a submission, in characters.
pub const NOTE_MAX_CHARS: usize = 500;

/// Records that `caller`'s unit submitted the report `key` on `today`, with `note`. A second
/// submission of the same report changes nothing and is not an error (a double click).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for a caller without a unit or campaign, or an
/// unknown report; a [`Refusal`]: a note too long or with control characters (invalid), a
/// report on a phase or a year before its last day (conflict, `ReportDue::check_open`).
pub async fn submit(
    store: &Store,
    caller: &Caller<'_>,
    calendar: &Calendar,
    today: NaiveDate,
    key: &str,
    note: &str,
) -> Result<(), Error> {
    guard::require(store, caller, Action::SubmitReport, None).await?;
    if safeduty_core::text::has_control_chars(note) || note.chars().count() > NOTE_MAX_CHARS {
        return Err(Refusal::invalid("备注过长或含有不可见的控制字符")
            .on("note")
            .into());
    }
    let unit_id = caller.user.unit_id.ok_or(Error::NotFound)?;
    let campaign = campaigns::current(store, caller).await?;
    let due = safeduty_core::reporting::reports_due(&campaign.template, campaign.year, calendar);
    let report = due.iter().find(|r| r.key == key).ok_or(Error::NotFound)?;
    if let Err(opens) = report.check_open(today) {
        return Err(Refusal::conflict(format!(
            "“{}”报送的是该阶段（年度）的工作情况，{opens}起方可报送",
            report.name
        ))
        .into());
    }
    match reports::submit(
        store,
        &caller.who(),
        campaign.id,
        unit_id,
        key,
        today,
        note.trim(),
    )
    .await
    {
        Ok(()) | Err(StoreError::Conflict(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// What the reporting status (`/reports`, `GET /api/v1/reports`) is made of.
#[derive(Debug, Clone)]
pub struct Status {
    /// The caller's campaign: the reports due come from its template.
    pub campaign: Campaign,
    /// The units in the caller's unit scope: every unit for the committee office and assessors,
    /// its own for a unit officer ([`reports::units`]).
    pub units: Vec<ReportingUnit>,
    /// The campaign's submission dates, by (unit id, report key).
    pub submissions: HashMap<(i64, String), NaiveDate>,
}

/// The reporting status `caller` may see ([`Action::ViewReports`]).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without a campaign; store errors.
pub async fn status(store: &Store, caller: &Caller<'_>) -> Result<Status, Error> {
    guard::require(store, caller, Action::ViewReports, None).await?;
    let campaign = campaigns::current(store, caller).await?;
    let units = reports::units(store, &caller.user.unit_scope).await?;
    let submissions = reports::submissions(store, campaign.id).await?;
    Ok(Status {
        campaign,
        units,
        submissions,
    })
}
