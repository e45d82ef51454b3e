//! Findings (问题隐患): the ledger of a caller's scope, an officer opening a finding, and a step
//! in a finding's loop. Pages and the API (`/findings`, `/api/v1/findings`) both come here, so
//! they list the same rows and apply the same rules.

use chrono::NaiveDate;
use safeduty_core::finding::ledger::{Details, Source};
use safeduty_core::finding::lifecycle::{RefusalKind, Request};
use safeduty_core::policy::UnitKind;
use safeduty_core::policy::{Action, Denial};
use safeduty_core::policy::{Role, Scope};
use safeduty_core::refusal::Refusal;
use safeduty_store::attachments::Owner;
use safeduty_store::audit::Object;
use safeduty_store::campaigns::Campaign;
use safeduty_store::enforcement::authority::UnitInfo;
use safeduty_store::findings::flow::{self, Applied, FilePurpose};
use safeduty_store::findings::ledger::{self, Filter};
use safeduty_store::findings::{self, Finding, NewFindingRow};
use safeduty_store::org::{Enterprise, Region};
use safeduty_store::{Store, StoreError};

use crate::{Caller, Error, campaigns, guard};

/// The ledger of `caller`'s scope in its campaign, filtered by `filter`: page `page` (from 1),
/// or every row with `None` (the export), with overdue computed for `today`.
///
/// # Errors
/// [`Error::NotFound`] without a campaign, the guard's denials, store errors.
pub async fn ledger(
    store: &Store,
    caller: &Caller<'_>,
    filter: &Filter,
    today: NaiveDate,
    page: Option<u32>,
) -> Result<ledger::Page, Error> {
    guard::require(store, caller, Action::ReadFindings, None).await?;
    let campaign = campaigns::current(store, caller).await?;
    Ok(ledger::query(store, &caller.user.scope, campaign.id, filter, today, page).await?)
}

/// The regions `caller`'s ledger can be filtered by: those under the caller's region (none for
/// an enterprise's scope or none at all).
///
/// # Errors
/// Store errors.
pub async fn regions(store: &Store, caller: &Caller<'_>) -> Result<Vec<Region>, Error> {
    Ok(match &caller.user.scope {
        Scope::RegionSubtree { region_path } | Scope::Department { region_path, .. } => {
            safeduty_store::org::regions_under(store, region_path).await?
        }
        _ => Vec::new(),
    })
}

/// The enterprise `enterprise_id` that `caller` may open a finding on
/// ([`Action::OpenFinding`]), with the caller's campaign (its items, its last day, the working
/// days a finding has by default).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without a campaign; store errors.
pub async fn opening(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
) -> Result<(Enterprise, Campaign), Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::OpenFinding).await?;
    let campaign = campaigns::current(store, caller).await?;
    Ok((e, campaign))
}

/// A finding an officer found (enforcement, acceptance, routine inspection).
#[derive(Debug, Clone)]
pub struct NewFinding {
    /// Where it was found: not a self-inspection.
    pub source: Source,
    /// Its ledger fields.
    pub details: Details,
    /// Its time limit (inclusive).
    pub due_on: NaiveDate,
    /// The client's token for the request: the same token again opens nothing.
    pub token: Option<String>,
}

/// Opens `new` on the enterprise `enterprise_id` for `caller`, on `today`; returns the finding's
/// public id (the one opened before, for a repeated token).
///
/// # Errors
/// As [`opening`]; a [`Refusal`]: a check item not of the campaign (invalid, on `item`), a
/// self-inspection source, a missing description, a time limit out of bounds (before today or
/// after the campaign's last day), a malformed token.
pub async fn open(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    new: NewFinding,
    today: NaiveDate,
) -> Result<String, Error> {
    let (e, campaign) = opening(store, caller, enterprise_id).await?;
    check_item(&campaign, new.details.item_number)?;
    let row = NewFindingRow {
        campaign_id: campaign.id,
        enterprise_id: e.id,
        source: new.source,
        self_inspection_id: None,
        item_number: new.details.item_number,
        category: new.details.category,
        grade: new.details.grade,
        location: new.details.location,
        description: new.details.description,
        opened_on: today,
        due_on: new.due_on,
        time_limit_working_days: None,
        open_token: new.token,
    };
    Ok(flow::open_by_officer(store, &caller.who(), row, campaign.template.last_day()).await?)
}

/// A finding's check item, if it links one, must be one of the campaign's.
///
/// # Errors
/// A [`Refusal`] (invalid) on the field `item`.
fn check_item(campaign: &Campaign, item: Option<u32>) -> Result<(), Refusal> {
    match item {
        Some(n) if !campaign.item_numbers().contains(&n) => {
            Err(Refusal::invalid(format!("检查项第{n}项不存在")).on("item"))
        }
        _ => Ok(()),
    }
}

/// The finding with public id `id` and its enterprise, if `caller` may take `action` on it; an
/// unknown id is answered (and recorded) like one outside the scope.
///
/// # Errors
/// [`Error::NotFound`], [`Error::Forbidden`], store errors.
pub async fn finding_for(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    action: Action,
) -> Result<(Finding, Enterprise), Error> {
    let f = match findings::get(store, id).await {
        Ok(f) => f,
        Err(StoreError::NotFound) => {
            guard::enterprise_for(store, caller, "", action).await?;
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    let e = guard::enterprise_for(store, caller, &f.enterprise_public_id, action).await?;
    Ok((f, e))
}

/// Applies `request` to the finding `id` for `caller`, against `version` with the request
/// `token`: the scope first (404), then the role (403), then the loop decides (403, 409, 422;
/// a step the role may not take is recorded as a denial, like the guard's). The finding is
/// returned with the outcome, so that a page can show it again with the refusal.
///
/// # Errors
/// The guard's [`Error`]s; the loop's outcome is the inner result.
pub async fn transition(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    request: Request,
    version: i64,
    token: Option<&str>,
    today: NaiveDate,
) -> Result<(Finding, Result<Applied, StoreError>), Error> {
    let (f, e) = finding_for(store, caller, id, Action::ActOnFinding).await?;
    // The unit is checked for those who may supervise at all; anyone else hears the loop's 403.
    if let Request::Supervise { unit_id } = &request
        && matches!(caller.user.role, Role::UnitOfficer | Role::CommitteeOffice)
        && !supervising_units(store, caller, &e)
            .await?
            .iter()
            .any(|u| u.id == *unit_id)
    {
        return Err(Refusal::invalid(format!(
            "督办单位须为监管{}的属地单位或行业部门，且在您的管辖范围内",
            e.name
        ))
        .on("unit")
        .into());
    }
    let result = flow::apply(
        store,
        &caller.who(),
        caller.user.role,
        &f.public_id,
        request,
        version,
        token,
        today,
    )
    .await;
    record_forbidden(store, caller, &f, &result).await;
    Ok((f, result))
}

/// Edits the ledger fields of the finding `id` (category, grade, place, description, check
/// item) for `caller`, against `version` with `token`; who may edit what is the loop's
/// ([`safeduty_core::finding::lifecycle`]).
///
/// # Errors
/// As [`transition`]; [`Error::NotFound`] without a campaign; a [`Refusal`] (invalid, on
/// `item`) for a check item not of the campaign.
pub async fn edit(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    details: &Details,
    version: i64,
    token: Option<&str>,
) -> Result<(Finding, Result<(), StoreError>), Error> {
    let (f, _) = finding_for(store, caller, id, Action::ActOnFinding).await?;
    check_item(
        &campaigns::current(store, caller).await?,
        details.item_number,
    )?;
    let result = flow::edit(
        store,
        &caller.who(),
        caller.user.role,
        &f.public_id,
        details,
        version,
        token,
    )
    .await
    .map(|_| ());
    record_forbidden(store, caller, &f, &result).await;
    Ok((f, result))
}

/// Records a step the role may not take (403) as a denial, like the guard's: the policy let the
/// caller act on the finding, the loop refused the step.
async fn record_forbidden<T>(
    store: &Store,
    caller: &Caller<'_>,
    f: &Finding,
    result: &Result<T, StoreError>,
) {
    if let Err(StoreError::Refused(r)) = result
        && r.kind() == RefusalKind::Forbidden
    {
        guard::denied(
            store,
            caller,
            Action::ActOnFinding,
            (Object::Finding.into(), f.public_id.clone()),
            Denial::Forbidden,
        )
        .await;
    }
}

/// The units `caller` may name to supervise a major finding of enterprise `e` (挂牌督办): the
/// territorial units and departments whose scope holds the enterprise — for a unit officer its
/// own unit, for the committee office those of its region; none for anyone else.
///
/// # Errors
/// Store errors.
pub async fn supervising_units(
    store: &Store,
    caller: &Caller<'_>,
    e: &Enterprise,
) -> Result<Vec<UnitInfo>, Error> {
    use safeduty_store::enforcement::authority as units;
    let candidates = match (caller.user.role, caller.user.unit_id, &caller.user.scope) {
        (Role::UnitOfficer, Some(unit), _) => match units::unit(store, unit).await {
            Ok(u) => vec![u],
            Err(StoreError::NotFound) => Vec::new(),
            Err(e) => return Err(e.into()),
        },
        (Role::CommitteeOffice, _, Scope::RegionSubtree { region_path }) => {
            units::units_under(store, region_path).await?
        }
        _ => Vec::new(),
    };
    Ok(candidates
        .into_iter()
        .filter(|u| {
            u.kind != UnitKind::CommitteeOffice
                && Scope::of_unit(u.id, u.kind, u.region_path.clone()).contains(&e.facts)
        })
        .collect())
}

/// Adds a stored file to the finding `f` (read with [`finding_for`] for
/// [`Action::ActOnFinding`]) as `purpose`, with its audit record; the loop refuses it on a closed
/// finding (a check file unless the finding waits for verification). The same file again adds
/// nothing (`Ok(false)`). The outcome is the store's, for the page to show.
pub async fn add_evidence(
    store: &Store,
    caller: &Caller<'_>,
    f: &Finding,
    purpose: FilePurpose,
    file: &safeduty_store::attachments::StoredFile,
) -> Result<bool, StoreError> {
    let result = flow::add_evidence(
        store,
        &caller.who(),
        caller.user.role,
        &f.public_id,
        purpose,
        file,
    )
    .await;
    record_forbidden(store, caller, f, &result).await;
    result
}

/// Withdraws the file `file` uploaded by mistake on the finding `f` (read with [`finding_for`]
/// for [`Action::ActOnFinding`]), with `reason`: see [`flow::withdraw_file`]. The outcome is the
/// store's, for the page to show.
pub async fn withdraw_file(
    store: &Store,
    caller: &Caller<'_>,
    f: &Finding,
    file: &str,
    reason: &str,
) -> Result<(), StoreError> {
    let result = flow::withdraw_file(store, &caller.who(), &f.public_id, file, reason).await;
    record_forbidden(store, caller, f, &result).await;
    result
}

/// A finding as its page shows it.
#[derive(Debug)]
pub struct Record {
    /// The finding.
    pub finding: Finding,
    /// Last day of its campaign (no time limit beyond it).
    pub campaign_end: Option<NaiveDate>,
    /// The campaign's check item numbers (an edit may link one).
    pub item_numbers: Vec<u32>,
    /// Its evidence files, withdrawn ones included (marked).
    pub evidence: Vec<safeduty_store::attachments::Attachment>,
    /// The photos and documents of its on-site checks, withdrawn ones included (marked).
    pub check_files: Vec<safeduty_store::attachments::Attachment>,
    /// Its history, oldest first.
    pub timeline: Vec<flow::HistoryRow>,
}

/// The finding `id` with its evidence and history, for whoever may read it.
///
/// # Errors
/// As [`finding_for`]; [`Error::NotFound`] without a campaign.
pub async fn record(store: &Store, caller: &Caller<'_>, id: &str) -> Result<Record, Error> {
    let (f, _) = finding_for(store, caller, id, Action::ReadFindings).await?;
    let campaign = campaigns::current(store, caller).await?;
    let files = |owner| safeduty_store::attachments::list(store, f.enterprise_id, owner);
    let evidence = files(Owner::Finding { finding_id: f.id }).await?;
    let check_files = files(Owner::FindingCheck { finding_id: f.id }).await?;
    Ok(Record {
        check_files,
        timeline: flow::timeline(store, &f.public_id).await?,
        campaign_end: campaign.template.last_day(),
        item_numbers: campaign.item_numbers(),
        evidence,
        finding: f,
    })
}
