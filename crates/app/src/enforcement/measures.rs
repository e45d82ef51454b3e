//! On-site measures (现场处理措施决定书) decided after an inspection, at most the months of the
//! rule in force, and the review that lifts them (or keeps them, with its opinion).

use chrono::NaiveDate;
use safeduty_core::enforcement::measures::{LiftResult, LiftReview, OnSiteMeasure};
use safeduty_core::enforcement::powers::Power;
use safeduty_core::enforcement::rules::Span;
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_store::Store;
use safeduty_store::enforcement::measures::{self, Measures, NewMeasures};

use super::{authority, inspections};
use crate::{Caller, Error};

/// Decides `m` after the inspection `inspection_id`, on `today`; the longest period is the
/// rule in force on the measure's first day.
///
/// # Errors
/// The guard's denials; a [`Refusal`] naming the field (until, reason, description); a
/// conflict when the inspection already has a decision; store errors.
pub async fn decide(
    store: &Store,
    caller: &Caller<'_>,
    inspection_id: &str,
    m: &OnSiteMeasure,
    today: NaiveDate,
) -> Result<String, Error> {
    let i = inspections::inspection_for(store, caller, inspection_id, Action::Enforce).await?;
    authority::acting_unit(store, caller, Power::OnSiteMeasures).await?;
    if m.start < i.summary.inspected_on {
        return Err(Refusal::invalid("措施起始日期不能早于检查日期")
            .on("start")
            .into());
    }
    let rules = super::rules_on(m.start, "start")?;
    let max_months = match rules.on_site_measures_max.value {
        Span::Months(n) => n,
        other => {
            return Err(
                Refusal::invalid(format!("现场处理措施期限规则{other}无法按月计算"))
                    .on("until")
                    .into(),
            );
        }
    };
    let m = m.check(max_months)?;
    Ok(measures::decide(
        store,
        &caller.who(),
        &NewMeasures {
            inspection_id: i.summary.id,
            unit_id: i.summary.unit_id,
            enterprise_id: i.summary.enterprise_id,
            kind: m.kind.code().into(),
            reason: m.reason,
            description: m.description,
            decided_on: today,
            starts_on: m.start,
            until_on: m.until,
        },
    )
    .await?)
}

/// Records the review of the measures of the inspection `inspection_id`: lifted, or kept with
/// the opinion.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without measures; a [`Refusal`] (date, note); a
/// stale version or measures already lifted; store errors.
pub async fn review(
    store: &Store,
    caller: &Caller<'_>,
    inspection_id: &str,
    version: i64,
    review: &LiftReview,
    today: NaiveDate,
) -> Result<(), Error> {
    let i = inspections::inspection_for(store, caller, inspection_id, Action::Enforce).await?;
    let m = measures::of_inspection(store, i.summary.id)
        .await?
        .ok_or(Error::NotFound)?;
    if m.version != version || m.lifted_on.is_some() {
        return Err(Refusal::conflict("该现场处理措施刚被他人更新，请刷新后重试").into());
    }
    let r = review.check(m.starts_on, today)?;
    measures::review(
        store,
        &caller.who(),
        &m,
        r.date,
        r.result == LiftResult::Lifted,
        &r.note,
    )
    .await?;
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
    let i =
        inspections::inspection_for(store, caller, inspection_id, Action::ReadEnforcement).await?;
    Ok(measures::of_inspection(store, i.summary.id).await?)
}

/// Measures in the caller's scope (an officer's own unit's only), in force first.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn list(store: &Store, caller: &Caller<'_>) -> Result<Vec<Measures>, Error> {
    crate::guard::require(store, caller, Action::ReadEnforcement, None).await?;
    let all = measures::list(store, &caller.user.scope).await?;
    Ok(match caller.user.unit_id {
        Some(unit) => all.into_iter().filter(|m| m.unit_id == unit).collect(),
        None => all,
    })
}
