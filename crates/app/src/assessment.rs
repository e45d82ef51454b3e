//! The year's assessment of the supervising units (考核巡查, issue #14 point 8): a scoring sheet
//! per unit from the scheme's items ([`safeduty_core::assessment`]) — the computed ones from the
//! records (the “八个一” not done, self-inspections not submitted, commitments not signed,
//! correction orders whose re-inspection is overdue, reports overdue, matters overdue), the
//! entered ones from the assessors ([`Action::AssessUnits`], with a reason) — side by side with
//! their sources; exported as `.xlsx`. Reading is [`Action::ViewDashboard`] (the committee
//! office and the assessors of the region).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use safeduty_core::assessment::{Metric, Scheme, Sheet, check_entry, sheet};
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_core::unit_measures::MeasureSource;
use safeduty_store::assessments;
use safeduty_store::campaigns::Campaign;
use safeduty_store::reports::ReportingUnit;
use safeduty_store::{Store, StoreError};

use crate::{Caller, Error, campaigns, guard, unit_measures};

/// A unit's sheet, and the versions of its entered items (for the forms).
#[derive(Debug, Clone)]
pub struct UnitSheet {
    /// The unit.
    pub unit: ReportingUnit,
    /// Its sheet.
    pub sheet: Sheet,
    /// The version of each entered item's stored deduction, by item code.
    pub versions: BTreeMap<String, i64>,
}

/// The assessment of every unit the caller sees on `today`.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// The campaign.
    pub campaign: Campaign,
    /// The scheme.
    pub scheme: Scheme,
    /// The sheets, territorial units first.
    pub sheets: Vec<UnitSheet>,
}

fn percent_missing(done: i64, of: i64) -> u32 {
    if of <= 0 {
        0
    } else {
        u32::try_from((of - done).max(0) * 100 / of).unwrap_or(100)
    }
}

/// The sheets of the units the caller sees on `today`.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without a campaign; store errors.
pub async fn sheets(
    store: &Store,
    caller: &Caller<'_>,
    today: NaiveDate,
) -> Result<Assessment, Error> {
    guard::require(store, caller, Action::ViewDashboard, None).await?;
    let campaign = campaigns::current(store, caller).await?;
    let grid = unit_measures::grid(store, caller, today).await?;
    let units: Vec<ReportingUnit> = grid.rows.iter().map(|(u, _)| u.clone()).collect();
    let figures = unit_measures::figures(store, &campaign, &units, today).await?;
    let ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    let period = safeduty_store::enforcement::figures::Period {
        campaign_id: campaign.id,
        year: campaign.year,
        today,
    };
    let calendar = safeduty_store::calendar::effective(store).await?;
    let due = safeduty_core::reporting::reports_due(&campaign.template, campaign.year, &calendar);
    let submitted = safeduty_store::reports::submissions(store, campaign.id).await?;
    let matters = safeduty_store::unit_matters::list(store, campaign.id, &ids).await?;
    let entered = assessments::entered(store, campaign.id).await?;
    let scheme = Scheme::shipped();
    let mut out = Vec::with_capacity(units.len());
    for (u, cells) in &grid.rows {
        let counts =
            safeduty_store::enforcement::figures::by_unit(store, &u.scope(), &period, &[u.id])
                .await?
                .remove(&u.id)
                .unwrap_or_default();
        let rate = |s: MeasureSource| {
            figures
                .get(&(u.id, s))
                .map_or(0, |f| percent_missing(f.done, f.of.unwrap_or(0)))
        };
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let figure = |m: Metric| match m {
            Metric::MeasuresMissing => count(cells.iter().filter(|c| !c.done()).count()),
            Metric::SelfInspectionUnsubmittedPct => rate(MeasureSource::SelfInspection),
            Metric::CommitmentUnsignedPct => rate(MeasureSource::Commitments),
            Metric::OrdersOverdue => u32::try_from(counts.orders_overdue).unwrap_or(0),
            Metric::ReportsOverdue => count(
                due.iter()
                    .filter(|r| {
                        r.due.date < today && !submitted.contains_key(&(u.id, r.key.clone()))
                    })
                    .count(),
            ),
            Metric::MattersOverdue => count(
                matters
                    .iter()
                    .filter(|m| m.unit_id == u.id && m.record.overdue(today))
                    .count(),
            ),
        };
        let mine = |code: &str| {
            entered
                .get(&(u.id, code.to_string()))
                .map(|e| (e.points, e.reason.clone()))
        };
        let versions = entered
            .iter()
            .filter(|((unit, _), _)| *unit == u.id)
            .map(|((_, code), e)| (code.clone(), e.version))
            .collect();
        out.push(UnitSheet {
            unit: u.clone(),
            sheet: sheet(&scheme, figure, mine),
            versions,
        });
    }
    Ok(Assessment {
        campaign,
        scheme,
        sheets: out,
    })
}

/// Whether the unit `unit_id` is one the caller sees (checked before anything it sent is read).
///
/// # Errors
/// [`Error::NotFound`] (the probe recorded as a denial); store errors.
pub async fn unit_in_scope(store: &Store, caller: &Caller<'_>, unit_id: i64) -> Result<(), Error> {
    let units = safeduty_store::reports::units(store, &caller.user.unit_scope).await?;
    if units.iter().any(|u| u.id == unit_id) {
        Ok(())
    } else {
        guard::require(store, caller, Action::AssessUnits, Some(&guard::nowhere())).await?;
        Err(Error::NotFound)
    }
}

/// Enters the assessor's deduction of `points` with `reason` on the entered item `item` of the
/// unit `unit_id`; `version` is the stored deduction's as shown (`None` when none was).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for a unit outside the caller's units or an unknown
/// item; a [`Refusal`] ([`check_entry`]); a stale version; store errors.
pub async fn enter(
    store: &Store,
    caller: &Caller<'_>,
    unit_id: i64,
    item: &str,
    points: u32,
    reason: &str,
    version: Option<i64>,
) -> Result<(), Error> {
    unit_in_scope(store, caller, unit_id).await?;
    guard::require(store, caller, Action::AssessUnits, None).await?;
    let campaign = campaigns::current(store, caller).await?;
    let scheme = Scheme::shipped();
    let it = scheme.item(item).ok_or(Error::NotFound)?;
    let (points, reason) = check_entry(it, points, reason)?;
    let stored = assessments::entered(store, campaign.id).await?;
    let before = stored.get(&(unit_id, item.to_string()));
    if before.map(|b| b.version) != version {
        return Err(StoreError::Conflict("该评分刚被他人修改，请刷新后重试".into()).into());
    }
    Ok(assessments::enter(
        store,
        &caller.who(),
        campaign.id,
        unit_id,
        item,
        points,
        &reason,
        before,
    )
    .await?)
}

/// The sheets as a workbook: a summary (a unit a row: each area's deduction and the score) and
/// the details (a line an item: how decided, the figure, the points, the reason).
///
/// # Errors
/// As [`sheets`]; a [`Refusal`] when the workbook cannot be written.
pub async fn xlsx(store: &Store, caller: &Caller<'_>, today: NaiveDate) -> Result<Vec<u8>, Error> {
    let a = sheets(store, caller, today).await?;
    let rows: Vec<(String, &Sheet)> = a
        .sheets
        .iter()
        .map(|s| (s.unit.name.clone(), &s.sheet))
        .collect();
    safeduty_office::assessment::xlsx(&a.campaign.name, &a.scheme, &rows, today)
        .map_err(|e| Refusal::invalid(format!("考核评分表生成失败：{e}")).into())
}
