//! The “八个一” measures per unit (issue #14 point 1): a town or department records each measure
//! of the campaign template ([`Action::SubmitReport`], its own unit); the committee office and
//! the assessors see the unit × measure grid with what is missing ([`Action::ViewReports`]), the
//! figures the product already knows beside the entries, with their source; the committee
//! office returns an entry with a reason ([`Action::OverseeUnits`]).

use std::collections::HashMap;

use chrono::NaiveDate;
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_core::template::Measure;
use safeduty_core::unit_measures::{
    EntryStatus, Figure, MeasureEntry, MeasureSource, is_done, return_reason, source_of,
};
use safeduty_store::attachments::StoredFile;
use safeduty_store::campaigns::Campaign;
use safeduty_store::reports::ReportingUnit;
use safeduty_store::unit_measures::{self, EvidenceFile, Recording, UnitMeasure};
use safeduty_store::{Store, StoreError};

use crate::{Caller, Error, campaigns, guard};

/// One cell of the grid: a unit's entry of a measure and the figure of the records.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The entry, if recorded (or returned).
    pub entry: Option<UnitMeasure>,
    /// The figure from the records, for a measure they show.
    pub figure: Option<Figure>,
}

impl Cell {
    /// Whether the measure is done ([`is_done`]).
    pub fn done(&self) -> bool {
        is_done(self.entry.as_ref().map(|e| e.status), self.figure.as_ref())
    }

    /// Whether the entry was returned and not recorded again.
    pub fn returned(&self) -> bool {
        self.entry
            .as_ref()
            .is_some_and(|e| e.status == EntryStatus::Returned)
    }
}

/// The grid of the units a caller sees × the campaign's measures.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The campaign.
    pub campaign: Campaign,
    /// The measures (columns), in the plan's order, each with the source of its figure.
    pub measures: Vec<(Measure, Option<MeasureSource>)>,
    /// The units (rows), territorial units first, each with its cells in measure order.
    pub rows: Vec<(ReportingUnit, Vec<Cell>)>,
}

impl Grid {
    /// Per measure, the units that have not done it.
    pub fn missing(&self) -> Vec<usize> {
        (0..self.measures.len())
            .map(|i| {
                self.rows
                    .iter()
                    .filter(|(_, cells)| !cells[i].done())
                    .count()
            })
            .collect()
    }
}

/// The figures the records give for `units`, by (unit, source).
pub(crate) async fn figures(
    store: &Store,
    campaign: &Campaign,
    units: &[ReportingUnit],
    today: NaiveDate,
) -> Result<HashMap<(i64, MeasureSource), Figure>, Error> {
    use safeduty_store::enforcement::figures::{Period, by_unit};
    let mut out = HashMap::new();
    let exposures = unit_measures::exposures_by_unit(store, campaign.year).await?;
    for u in units {
        // The enforcement figures over the unit's own records, in its own scope.
        let scope = u.scope();
        let period = Period {
            campaign_id: campaign.id,
            year: campaign.year,
            today,
        };
        let counts = by_unit(store, &scope, &period, &[u.id]).await?;
        let progress =
            safeduty_store::progress::overview(store, &scope, campaign.id, today).await?;
        let coverage =
            safeduty_store::commitments::coverage::coverage(store, &scope, campaign.id).await?;
        let figure = |source, done, of| Figure { source, done, of };
        for f in [
            figure(
                MeasureSource::SelfInspection,
                progress.total.submitted,
                Some(progress.total.enrolled),
            ),
            figure(
                MeasureSource::Commitments,
                coverage.total.signed,
                Some(coverage.total.managers),
            ),
            figure(
                MeasureSource::Inspections,
                counts.get(&u.id).map_or(0, |c| c.inspections),
                None,
            ),
            figure(
                MeasureSource::Exposures,
                exposures.get(&u.id).copied().unwrap_or(0),
                None,
            ),
        ] {
            out.insert((u.id, f.source), f);
        }
    }
    Ok(out)
}

/// The grid of the units in the caller's unit scope (a committee office or assessor every unit
/// of its region, a unit officer its own) on `today`.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without a campaign; store errors.
pub async fn grid(store: &Store, caller: &Caller<'_>, today: NaiveDate) -> Result<Grid, Error> {
    guard::require(store, caller, Action::ViewReports, None).await?;
    let campaign = campaigns::current(store, caller).await?;
    let units = safeduty_store::reports::units(store, &caller.user.unit_scope).await?;
    let mut entries = unit_measures::entries(store, campaign.id).await?;
    let figures = figures(store, &campaign, &units, today).await?;
    let measures: Vec<(Measure, Option<MeasureSource>)> = campaign
        .template
        .measures
        .iter()
        .map(|m| (m.clone(), source_of(&m.name)))
        .collect();
    let rows = units
        .into_iter()
        .map(|u| {
            let cells = measures
                .iter()
                .map(|(m, source)| Cell {
                    entry: entries.remove(&(u.id, m.number)),
                    figure: source.and_then(|s| figures.get(&(u.id, s)).copied()),
                })
                .collect();
            (u, cells)
        })
        .collect();
    Ok(Grid {
        campaign,
        measures,
        rows,
    })
}

/// What a unit records of measure `number`.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// The measure's number in the campaign template.
    pub number: u32,
    /// The day held.
    pub held_on: NaiveDate,
    /// What was done.
    pub description: &'a str,
    /// Evidence files added (stored in the blob store already).
    pub files: &'a [StoredFile],
    /// The entry's version as the page showed it; `None` for a first entry.
    pub version: Option<i64>,
}

/// Records measure `r.number` for the caller's own unit on `today`. Returns the entry's public
/// id.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for a caller without a unit or campaign, or a
/// measure the campaign does not have; a [`Refusal`] (the date, the description; a first entry
/// without a file); a stale version; store errors.
pub async fn record(
    store: &Store,
    caller: &Caller<'_>,
    r: &Record<'_>,
    today: NaiveDate,
) -> Result<String, Error> {
    guard::require(store, caller, Action::SubmitReport, None).await?;
    let unit_id = caller.user.unit_id.ok_or(Error::NotFound)?;
    let campaign = campaigns::current(store, caller).await?;
    if !campaign
        .template
        .measures
        .iter()
        .any(|m| m.number == r.number)
    {
        return Err(Error::NotFound);
    }
    let entry = MeasureEntry::check(r.held_on, r.description, today, campaign.year)?;
    let entries = unit_measures::entries(store, campaign.id).await?;
    let existing = entries.get(&(unit_id, r.number));
    if existing.map(|e| e.version) != r.version {
        return Err(StoreError::Conflict(unit_measures::STALE.into()).into());
    }
    if existing.is_none_or(|e| e.files.is_empty()) && r.files.is_empty() {
        return Err(
            Refusal::invalid("请上传佐证材料（会议通知、照片、签到表等）")
                .on("file")
                .into(),
        );
    }
    Ok(unit_measures::record(
        store,
        &caller.who(),
        &Recording {
            campaign_id: campaign.id,
            unit_id,
            measure_number: r.number,
            entry: &entry,
            files: r.files,
            existing,
        },
    )
    .await?)
}

/// Whether the unit `unit_id` is one the caller's unit scope holds.
async fn in_unit_scope(store: &Store, caller: &Caller<'_>, unit_id: i64) -> Result<bool, Error> {
    Ok(
        safeduty_store::reports::units(store, &caller.user.unit_scope)
            .await?
            .iter()
            .any(|u| u.id == unit_id),
    )
}

/// The entry `id`, if its unit is one the caller's unit scope holds (checked before anything
/// the caller sent is read).
///
/// # Errors
/// [`Error::NotFound`] (the probe recorded as a denial); store errors.
pub async fn entry_for(store: &Store, caller: &Caller<'_>, id: &str) -> Result<UnitMeasure, Error> {
    let e = match unit_measures::get(store, id).await {
        Ok(e) => e,
        Err(StoreError::NotFound) => {
            guard::require(store, caller, Action::ViewReports, Some(&guard::nowhere())).await?;
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    if !in_unit_scope(store, caller, e.unit_id).await? {
        guard::require(store, caller, Action::ViewReports, Some(&guard::nowhere())).await?;
        return Err(Error::NotFound);
    }
    Ok(e)
}

/// Returns the entry `id` read at `version` with `reason` (the committee office of the unit's
/// region).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] outside the caller's units; a [`Refusal`] (the
/// reason; an entry already returned); a stale version; store errors.
pub async fn return_entry(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    version: i64,
    reason: &str,
) -> Result<(), Error> {
    let e = entry_for(store, caller, id).await?;
    guard::require(store, caller, Action::OverseeUnits, None).await?;
    if e.version != version {
        return Err(StoreError::Conflict(unit_measures::STALE.into()).into());
    }
    if e.status != EntryStatus::Recorded {
        return Err(Refusal::conflict("该措施已退回，待单位重新填报").into());
    }
    let reason = return_reason(reason)?;
    Ok(unit_measures::return_entry(store, &caller.who(), &e, &reason).await?)
}

/// The evidence file `id`, for a caller whose unit scope holds its unit.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`]; store errors.
pub async fn evidence(store: &Store, caller: &Caller<'_>, id: &str) -> Result<EvidenceFile, Error> {
    guard::require(store, caller, Action::ViewReports, None).await?;
    let f = match unit_measures::file(store, id).await {
        Ok(f) => f,
        Err(StoreError::NotFound) => return Err(Error::NotFound),
        Err(e) => return Err(e.into()),
    };
    if !in_unit_scope(store, caller, f.unit_id).await? {
        return Err(Error::NotFound);
    }
    Ok(f)
}
