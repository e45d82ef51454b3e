//! On-site inspections: recorded by officers of a unit holding the power, with at least two
//! certified officers, every check item of the campaign answered, and each 不符合 opening a
//! finding in the one ledger; read by whoever's scope holds the enterprise.

use chrono::{NaiveDate, NaiveTime};
use safeduty_core::enforcement::inspection::{
    CapException, InspectionInput, ItemResult, Notice, check_yearly_cap,
};
use safeduty_core::enforcement::officers::Guest;
use safeduty_core::enforcement::powers::Power;
use safeduty_core::enforcement::violations::{ViolationRow, ViolationText};
use safeduty_core::finding::ledger::{Category, Grade, Source};
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_store::enforcement::inspections::{
    self, GuestRow, Inspection, InspectionSummary, ItemRow, ListFilter, NewInspection, Recorded,
};
use safeduty_store::findings::NewFindingRow;
use safeduty_store::{Store, StoreError};

use super::authority;
use crate::{Caller, Error, campaigns, guard};

/// An inspection as a form or the API gives it: the core's record with officers as account
/// ids of the caller's unit, and the exception to the yearly cap, if any.
#[derive(Debug, Clone)]
pub struct InspectionForm {
    /// Day.
    pub date: NaiveDate,
    /// Start.
    pub start: NaiveTime,
    /// End.
    pub end: NaiveTime,
    /// Place.
    pub place: String,
    /// The enterprise's person present.
    pub person_present: String,
    /// Their position.
    pub person_present_role: String,
    /// Officers: accounts of the caller's unit.
    pub officer_ids: Vec<i64>,
    /// Accompanying guests.
    pub guests: Vec<Guest>,
    /// Announced or unannounced.
    pub notice: Notice,
    /// 检查情况.
    pub summary: String,
    /// Item results.
    pub items: Vec<ItemResult>,
    /// The ground for going over the yearly cap.
    pub cap_exception: Option<(CapException, String)>,
    /// The target of the unit's inspection plan this inspection fulfils (its public id), when
    /// it was recorded from the plan ([`super::plans::target_for_inspection`]).
    pub plan_target: Option<String>,
    /// The acceptance (检查验收) this inspection is the record of (its public id), if any: its
    /// guests go on the record and its findings carry the source 验收.
    pub acceptance: Option<String>,
}

/// Records `form` on the enterprise `enterprise_id` (public id) for the caller's unit, on
/// `today`: every 不符合 opens a finding (source enforcement) with the campaign's time limit.
/// The yearly cap (the region's setting, else the rule in force) is checked in the write
/// transaction; a repeated `token` records nothing and answers the first.
///
/// # Errors
/// The guard's denials; a [`Refusal`] naming the field (officers, items, exception, date …);
/// [`Error::NotFound`] without a campaign; store errors.
pub async fn record(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    form: &InspectionForm,
    token: Option<String>,
    today: NaiveDate,
) -> Result<Recorded, Error> {
    // The enterprise first: one outside the scope is answered 404 whatever the role (DESIGN
    // §1), then the role and the unit's power (403).
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::Enforce).await?;
    let unit = authority::acting_unit(store, caller, Power::Inspect).await?;
    let plan_target_id = match form.plan_target.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => {
            Some(super::plans::target_for_inspection(store, caller, t, e.id).await?)
        }
        _ => None,
    };
    let acceptance = match form.acceptance.as_deref().map(str::trim) {
        Some(a) if !a.is_empty() => {
            Some(super::acceptance::for_inspection(store, caller, a, e.id, unit.id).await?)
        }
        _ => None,
    };
    let mut guests = form.guests.clone();
    if let Some(a) = &acceptance {
        for g in super::acceptance::guests_on_record(store, a).await? {
            if !guests.iter().any(|x| x.name.trim() == g.name) {
                guests.push(g);
            }
        }
    }
    let campaign = campaigns::current(store, caller).await?;
    let rules = super::rules_on(form.date, "date")?;
    let input = InspectionInput {
        date: form.date,
        start: form.start,
        end: form.end,
        place: form.place.clone(),
        person_present: form.person_present.clone(),
        person_present_role: form.person_present_role.clone(),
        officers: authority::officers_by_id(store, unit.id, &form.officer_ids).await?,
        guests,
        notice: form.notice,
        summary: form.summary.clone(),
        items: form.items.clone(),
    }
    .trimmed();
    let library = super::violations::in_effect(store, &unit.region_path).await?;
    input.check(
        &campaign.item_numbers(),
        |c| library.active_row(c).is_some(),
        today,
    )?;
    // The text of each chosen row as it stands today, kept with the inspection.
    let mut violations = Vec::new();
    for code in input.items.iter().flat_map(|i| &i.violation_codes) {
        if let Some(row) = library.active_row(code)
            && !violations
                .iter()
                .any(|v: &ViolationText| v.code == row.code)
        {
            violations.push(row.text());
        }
    }
    let settings = authority::settings_of(store, &e, &rules).await?;
    let cap = settings.yearly_cap;
    let exception = form
        .cap_exception
        .as_ref()
        .map(|(k, g)| (*k, g.trim().to_string()));
    let days = campaign.template.settings.finding_time_limit_working_days;
    let calendar = safeduty_store::calendar::effective(store).await?;
    let due = calendar.add_working_days(input.date, days);
    let findings = input
        .findings_to_open()
        .into_iter()
        .map(|f| NewFindingRow {
            campaign_id: campaign.id,
            enterprise_id: e.id,
            source: if acceptance.is_some() {
                Source::Acceptance
            } else {
                Source::Enforcement
            },
            self_inspection_id: None,
            item_number: Some(f.item_number),
            category: Category::Problem,
            grade: Grade::General,
            location: input.place.clone(),
            description: f.description,
            opened_on: input.date,
            due_on: due.date,
            time_limit_working_days: Some(days),
            open_token: None,
        })
        .collect();
    let new = NewInspection {
        campaign_id: campaign.id,
        unit_id: unit.id,
        enterprise_id: e.id,
        inspected_on: input.date,
        start_time: input.start.format("%H:%M").to_string(),
        end_time: input.end.format("%H:%M").to_string(),
        place: input.place.clone(),
        person_present: input.person_present.clone(),
        person_present_title: input.person_present_role.clone(),
        notice: input.notice.code().into(),
        cap_exception: exception
            .as_ref()
            .map(|(k, g)| (k.code().to_string(), g.clone())),
        plan_target_id,
        acceptance_id: acceptance.as_ref().map(|a| a.id),
        summary: input.summary.clone(),
        officers: authority::on_duty(&input.officers),
        guests: input
            .guests
            .iter()
            .map(|g| GuestRow {
                name: g.name.clone(),
                kind: g.kind.code().into(),
                organisation: g.organisation.clone(),
            })
            .collect(),
        items: input
            .items
            .iter()
            .map(|i| ItemRow {
                item_number: i.item_number,
                answer: i.answer.code().into(),
                note: i.note.clone(),
                violation_codes: i.violation_codes.clone(),
                finding_public_id: None,
            })
            .collect(),
        violations,
        findings,
        request_token: token,
    };
    Ok(inspections::record(store, &caller.who(), new, |done| {
        check_yearly_cap(done, cap, exception.as_ref().map(|(k, g)| (*k, g.as_str())))
    })
    .await?)
}

/// The inspection with public id `id`, if `caller` may take `action` on its enterprise; for
/// [`Action::Enforce`] also only an officer of the inspecting unit. An unknown id is answered
/// (and recorded) like one outside the scope.
///
/// # Errors
/// [`Error::NotFound`], [`Error::Forbidden`], store errors.
pub async fn inspection_for(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    action: Action,
) -> Result<Inspection, Error> {
    let i = match inspections::get(store, id).await {
        Ok(i) => i,
        Err(StoreError::NotFound) => {
            guard::require(store, caller, action, Some(&guard::nowhere())).await?;
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    super::enterprise_by_id(store, caller, i.summary.enterprise_id, action).await?;
    if action == Action::Enforce && caller.user.unit_id != Some(i.summary.unit_id) {
        return Err(Refusal::forbidden("只有检查单位的执法人员可以办理本检查的后续文书").into());
    }
    Ok(i)
}

/// Inspections in the caller's scope: an officer's own unit's, an enterprise its own, the
/// committee office and assessors every unit's in their region.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn list(
    store: &Store,
    caller: &Caller<'_>,
    on: Option<NaiveDate>,
) -> Result<Vec<InspectionSummary>, Error> {
    guard::require(store, caller, Action::ReadEnforcement, None).await?;
    let filter = ListFilter {
        unit_id: caller.user.unit_id,
        enterprise_id: None,
        on,
    };
    Ok(inspections::list(store, &caller.user.scope, filter).await?)
}

/// What the form of a new inspection shows: the enterprise, the campaign whose check items it
/// answers, the caller's unit and its officers (with their certificates, to pick from).
#[derive(Debug, Clone)]
pub struct Opening {
    /// The enterprise inspected.
    pub enterprise: safeduty_store::org::Enterprise,
    /// The campaign (its check items).
    pub campaign: safeduty_store::campaigns::Campaign,
    /// The inspecting unit.
    pub unit: safeduty_store::enforcement::authority::UnitInfo,
    /// The unit's officers.
    pub officers: Vec<safeduty_store::enforcement::authority::OfficerRow>,
    /// The rows of the violation library in effect for the unit that may be chosen (active).
    pub violations: Vec<ViolationRow>,
}

/// The form of a new inspection of the enterprise `enterprise_id` (public id), for an officer
/// whose unit may inspect it: the same checks as [`record`] before anything is typed.
///
/// # Errors
/// The guard's denials (the enterprise first: 404 outside the scope); a [`Refusal`]
/// (forbidden) when the unit lacks the power; [`Error::NotFound`] without a campaign; store
/// errors.
pub async fn opening(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
) -> Result<Opening, Error> {
    let enterprise = guard::enterprise_for(store, caller, enterprise_id, Action::Enforce).await?;
    let unit = authority::acting_unit(store, caller, Power::Inspect).await?;
    let campaign = campaigns::current(store, caller).await?;
    let officers = authority::officers(store, caller).await?;
    let violations = super::violations::in_effect(store, &unit.region_path)
        .await?
        .active()
        .cloned()
        .collect();
    Ok(Opening {
        enterprise,
        campaign,
        unit,
        officers,
        violations,
    })
}

/// An inspection as its page shows it, with what followed it.
#[derive(Debug, Clone)]
pub struct InspectionView {
    /// The record.
    pub inspection: Inspection,
    /// The enterprise's public id (for links to its pages).
    pub enterprise_public_id: String,
    /// The settings its numbers are made with.
    pub settings: safeduty_store::enforcement::authority::Settings,
    /// The texts of the check items, by number (the campaign's).
    pub item_texts: std::collections::BTreeMap<u32, String>,
    /// The correction order, if issued.
    pub order: Option<safeduty_store::enforcement::orders::Order>,
    /// The order's re-inspection, if recorded.
    pub re_inspection: Option<safeduty_store::enforcement::orders::ReInspection>,
    /// The on-site measures, if decided.
    pub measures: Option<safeduty_store::enforcement::measures::Measures>,
    /// The signed documents of record, current first.
    pub documents: Vec<safeduty_store::enforcement::documents::DocumentOfRecord>,
    /// Whether the caller is an officer of the inspecting unit who may act on it (decides which
    /// forms the page shows; each action is checked again when taken).
    pub may_enforce: bool,
    /// Whether that unit holds the power to order correction (and re-inspect).
    pub may_order: bool,
    /// Whether that unit holds the power of on-site measures.
    pub may_decide_measures: bool,
    /// The working days an order's time limit is offered with (the campaign's finding limit).
    pub default_working_days: u32,
}

/// The inspection `id` with its order, re-inspection, measures and documents, for a caller who
/// may read it.
///
/// # Errors
/// [`Error::NotFound`] (unknown or outside the scope), store errors.
pub async fn view(store: &Store, caller: &Caller<'_>, id: &str) -> Result<InspectionView, Error> {
    use safeduty_store::enforcement::{documents, measures, orders};
    let inspection = inspection_for(store, caller, id, Action::ReadEnforcement).await?;
    let e = safeduty_store::org::enterprise_by_id(store, inspection.summary.enterprise_id).await?;
    let may_enforce =
        safeduty_core::policy::authorize(&caller.actor(), Action::Enforce, Some(&e.facts)).is_ok()
            && caller.user.unit_id == Some(inspection.summary.unit_id);
    let powers = if may_enforce {
        let unit =
            safeduty_store::enforcement::authority::unit(store, inspection.summary.unit_id).await?;
        Some(authority::powers_of(&unit))
    } else {
        None
    };
    let campaign = safeduty_store::campaigns::by_id(store, inspection.campaign_id).await?;
    let item_texts = campaign
        .template
        .all_items()
        .iter()
        .map(|i| (i.number, i.text.clone()))
        .collect();
    let settings =
        super::documents::settings_of(store, &inspection, inspection.summary.inspected_on)
            .await?
            .0;
    let order = orders::of_inspection(store, inspection.summary.id).await?;
    let re_inspection = match &order {
        Some(o) => orders::re_inspection_of(store, o.id).await?,
        None => None,
    };
    Ok(InspectionView {
        measures: measures::of_inspection(store, inspection.summary.id).await?,
        documents: documents::of(
            store,
            documents::DocumentOwner::Inspection(inspection.summary.id),
        )
        .await?,
        default_working_days: campaign.template.settings.finding_time_limit_working_days,
        enterprise_public_id: e.public_id,
        inspection,
        settings,
        item_texts,
        order,
        re_inspection,
        may_enforce,
        may_order: powers.is_some_and(|p| p.has(Power::OrderCorrection)),
        may_decide_measures: powers.is_some_and(|p| p.has(Power::OnSiteMeasures)),
    })
}
