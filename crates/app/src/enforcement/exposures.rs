//! Typical-case exposure (典型案例曝光, issue #13 point 5): the committee office, or an officer of
//! the handling unit where it holds the penalty power, drafts the exposure of a decided and
//! served case — its public text fixed and shown as it will be published; the committee office
//! publishes it, by another person than the drafter (the approver), and may withdraw it with a
//! reason. The public pages read the published ones within the deployment's retention
//! ([`published`]); the office exports them as a 典型案例通报 (`.docx`, [`circular`]).

use chrono::{Days, NaiveDate};
use safeduty_core::enforcement::exposure::{ExposureStatus, ExposureText, withdrawal_reason};
use safeduty_core::enforcement::powers::Power;
use safeduty_core::policy::{Action, Role};
use safeduty_core::refusal::Refusal;
use safeduty_store::enforcement::exposures::{self, Exposure, PublishedExposure};
use safeduty_store::{Store, StoreError};

use super::{authority, cases};
use crate::{Caller, Error, guard};

/// Days an exposure stays published unless the deployment says otherwise (`serve
/// --exposure-days`): a year, the span of a campaign. Not a legal figure: a choice of this
/// product, for the operator to set.
pub const DEFAULT_EXPOSURE_DAYS: u32 = 365;

/// Drafts the exposure of the case `case_id` with the article violated as typed, for the
/// committee office of the case's region or an officer of the handling unit holding the
/// penalty power. Returns its public id.
///
/// # Errors
/// The guard's denials; a [`Refusal`] (the case not decided and served, the article); a
/// conflict when the case already has an exposure; store errors.
pub async fn draft(
    store: &Store,
    caller: &Caller<'_>,
    case_id: &str,
    violated_article: &str,
) -> Result<String, Error> {
    let c = if caller.user.role == Role::CommitteeOffice {
        let c = cases::case_for(store, caller, case_id, Action::ReadEnforcement).await?;
        let e = safeduty_store::org::enterprise_by_id(store, c.summary.enterprise_id).await?;
        guard::require(store, caller, Action::ManageEnforcement, Some(&e.facts)).await?;
        c
    } else {
        let c = cases::case_for(store, caller, case_id, Action::Enforce).await?;
        authority::acting_unit(store, caller, Power::DecidePenalty).await?;
        c
    };
    let case = c
        .case
        .as_ref()
        .ok_or_else(|| Refusal::conflict("案件尚未立案"))?;
    let text = ExposureText::of(
        case,
        &c.summary.enterprise_name,
        &c.summary.cause,
        violated_article,
    )?;
    Ok(exposures::draft(store, &caller.who(), c.summary.id, &text).await?)
}

/// The exposure `id`, if `caller` may take `action` on its case's enterprise
/// ([`Action::ManageEnforcement`]: the committee office, which approves and withdraws).
///
/// # Errors
/// [`Error::NotFound`], [`Error::Forbidden`], store errors.
pub async fn exposure_for(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    action: Action,
) -> Result<Exposure, Error> {
    let x = match exposures::get(store, id).await {
        Ok(x) => x,
        Err(StoreError::NotFound) => {
            guard::require(store, caller, action, Some(&guard::nowhere())).await?;
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    let e = safeduty_store::org::enterprise_by_id(store, x.enterprise_id).await?;
    guard::require(store, caller, action, Some(&e.facts)).await?;
    Ok(x)
}

fn current(x: &Exposure, version: i64) -> Result<(), Error> {
    if x.version == version {
        Ok(())
    } else {
        Err(Error::Store(StoreError::Conflict(exposures::STALE.into())))
    }
}

/// Publishes the draft `id` on `today` (the committee office; not its drafter).
///
/// # Errors
/// The guard's denials; a [`Refusal`] (forbidden to the drafter; conflict unless a draft); a
/// stale version; store errors.
pub async fn publish(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    version: i64,
    today: NaiveDate,
) -> Result<(), Error> {
    let x = exposure_for(store, caller, id, Action::ManageEnforcement).await?;
    current(&x, version)?;
    if x.status != ExposureStatus::Draft {
        return Err(
            Refusal::conflict(format!("曝光当前为“{}”，不能发布", x.status.label())).into(),
        );
    }
    if x.drafted_by == Some(caller.user.id) {
        return Err(Refusal::forbidden("曝光须由起草人以外的人员审核发布").into());
    }
    Ok(exposures::publish(store, &caller.who(), &x, today).await?)
}

/// Withdraws the published `id` on `today` with `reason` (the committee office).
///
/// # Errors
/// The guard's denials; a [`Refusal`] (the reason; conflict unless published); a stale
/// version; store errors.
pub async fn withdraw(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    version: i64,
    reason: &str,
    today: NaiveDate,
) -> Result<(), Error> {
    let x = exposure_for(store, caller, id, Action::ManageEnforcement).await?;
    current(&x, version)?;
    if x.status != ExposureStatus::Published {
        return Err(
            Refusal::conflict(format!("曝光当前为“{}”，不能撤回", x.status.label())).into(),
        );
    }
    let reason = withdrawal_reason(reason)?;
    Ok(exposures::withdraw(store, &caller.who(), &x, today, &reason).await?)
}

/// The exposures of the cases in the caller's scope, newest first.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn list(store: &Store, caller: &Caller<'_>) -> Result<Vec<Exposure>, Error> {
    guard::require(store, caller, Action::ReadEnforcement, None).await?;
    Ok(exposures::list(store, &caller.user.scope).await?)
}

/// The first day whose publications are still shown on `today`, keeping `days` days.
pub fn shown_since(today: NaiveDate, days: u32) -> NaiveDate {
    today
        .checked_sub_days(Days::new(u64::from(days.saturating_sub(1))))
        .unwrap_or(NaiveDate::MIN)
}

/// What the public pages show on `today`: the published exposures of the last `days` days,
/// newest first. No caller: the public pages have none.
///
/// # Errors
/// Store errors.
pub async fn published(
    store: &Store,
    today: NaiveDate,
    days: u32,
) -> Result<Vec<PublishedExposure>, Error> {
    Ok(exposures::published(store, shown_since(today, days)).await?)
}

/// The 典型案例通报 of the exposures published and shown on `today`, as a `.docx`, for the
/// committee office: each case a paragraph, the office's name and the day at the end.
///
/// # Errors
/// The guard's denials; store errors; a [`Refusal`] when the document cannot be written.
pub async fn circular(
    store: &Store,
    caller: &Caller<'_>,
    today: NaiveDate,
    days: u32,
) -> Result<Vec<u8>, Error> {
    guard::require(store, caller, Action::ManageEnforcement, None).await?;
    let issuer = match caller.user.unit_id {
        Some(u) => {
            safeduty_store::enforcement::authority::unit(store, u)
                .await?
                .name
        }
        None => "安全生产委员会办公室".to_string(),
    };
    let rows = published(store, today, days).await?;
    let texts: Vec<_> = rows.into_iter().map(|p| p.text).collect();
    safeduty_office::exposure::circular(&issuer, &texts, today)
        .map_err(|e| Refusal::invalid(format!("通报生成失败：{e}")).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exposure_is_shown_for_its_days_counting_the_day_published() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(shown_since(d("2024-12-31"), 365), d("2024-01-02"));
        assert_eq!(shown_since(d("2024-12-31"), 1), d("2024-12-31"));
    }
}
