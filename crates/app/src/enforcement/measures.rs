//! On-site measures (现场处理措施决定书) decided after an inspection, at most the months of the
//! rule in force, and lifted after the review.

use chrono::NaiveDate;
use safeduty_core::enforcement::measures::{MeasuresInput, check_lift};
use safeduty_core::enforcement::powers::Power;
use safeduty_core::enforcement::rules::Rules;
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_store::Store;
use safeduty_store::enforcement::measures::{self, Measures, NewMeasures};

use super::{authority, inspections};
use crate::{Caller, Error};

/// Decides on-site measures after the inspection `inspection_id`, on `today`.
///
/// # Errors
/// The guard's denials; a [`Refusal`] naming the field (kind, reason, until_on); a conflict
/// when the inspection already has a decision; store errors.
pub async fn decide(
    store: &Store,
    caller: &Caller<'_>,
    inspection_id: &str,
    input: &MeasuresInput,
    today: NaiveDate,
) -> Result<String, Error> {
    let i = inspections::inspection_for(store, caller, inspection_id, Action::Enforce).await?;
    authority::acting_unit(store, caller, Power::OnSiteMeasures).await?;
    let rules = Rules::shipped()
        .at(today)
        .map_err(|e| Refusal::invalid(e.to_string()).on("starts_on"))?;
    let m = input.check(i.summary.inspected_on, rules.on_site_measures_max.value)?;
    Ok(measures::decide(
        store,
        &caller.who(),
        &NewMeasures {
            inspection_id: i.summary.id,
            unit_id: i.summary.unit_id,
            enterprise_id: i.summary.enterprise_id,
            kind: m.kind.code().into(),
            reason: m.reason,
            decided_on: today,
            starts_on: m.starts_on,
            until_on: m.until_on,
        },
    )
    .await?)
}

/// Lifts the measures of the inspection `inspection_id` after the review of `today`.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without measures; a [`Refusal`] (already lifted, no
/// note); a stale version; store errors.
pub async fn lift(
    store: &Store,
    caller: &Caller<'_>,
    inspection_id: &str,
    version: i64,
    note: &str,
    today: NaiveDate,
) -> Result<(), Error> {
    let i = inspections::inspection_for(store, caller, inspection_id, Action::Enforce).await?;
    let m = measures::of_inspection(store, i.summary.id)
        .await?
        .ok_or(Error::NotFound)?;
    if m.version != version {
        return Err(Refusal::conflict("该现场处理措施刚被他人更新，请刷新后重试").into());
    }
    let note = check_lift(m.starts_on, m.lifted_on, today, note)?;
    measures::lift(store, &caller.who(), &m, today, &note).await?;
    Ok(())
}

/// The measures of an inspection the caller may read.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn of_inspection(
    store: &Store,
    caller: &Caller<'_>,
    inspection_id: &str,
) -> Result<Option<Measures>, Error> {
    let i = inspections::inspection_for(store, caller, inspection_id, Action::ReadEnforcement)
        .await?;
    Ok(measures::of_inspection(store, i.summary.id).await?)
}
