//! The dishonesty list (严重失信主体名单, 应急管理部令第11号; issue #14 point 4): an officer of the
//! unit that decided a penalty (谁处罚、谁决定, art. 4), holding [`Power::DecidePenalty`], starts
//! the listing of the case's party on one of the order's grounds — only for a decided penalty,
//! only in an industry the order covers ([`ListingData::check_case`]) — and records each later
//! step under the rules in force on the step's own date ([`Listing`]). Reading is
//! [`Action::ReadEnforcement`] on the enterprise. The public pages read the listings shown on a
//! day ([`published`]), persons masked.

use chrono::NaiveDate;
use safeduty_core::enforcement::case::check_step_date;
use safeduty_core::enforcement::dishonesty::{Listing, ListingData};
use safeduty_core::enforcement::powers::Power;
use safeduty_core::enforcement::rules::{DishonestyRules, Rules};
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_store::enforcement::dishonesty::{self, ListingRecord, PublishedListing};
use safeduty_store::{Store, StoreError};

use super::{authority, cases};
use crate::{Caller, Error, guard};

/// The listing's deciding unit must be the caller's, holding the penalty power.
async fn deciding(store: &Store, caller: &Caller<'_>, unit_id: i64) -> Result<(), Error> {
    let unit = authority::acting_unit(store, caller, Power::DecidePenalty).await?;
    if unit.id != unit_id {
        return Err(Refusal::forbidden(
            "严重失信主体名单由作出行政处罚决定的部门决定（谁处罚、谁决定）",
        )
        .into());
    }
    Ok(())
}

/// Starts the listing of the party of case `case_id` on `ground` with `reasons`, its 告知书
/// served on `notified_on`. Returns the listing's public id.
///
/// # Errors
/// The guard's denials; a [`Refusal`] (not the deciding unit or no penalty power; no decided
/// penalty; an industry outside the order; the ground, reasons or date); a conflict when the
/// case's party already has a listing; store errors.
pub async fn notify(
    store: &Store,
    caller: &Caller<'_>,
    case_id: &str,
    ground: &str,
    reasons: &str,
    notified_on: NaiveDate,
    today: NaiveDate,
) -> Result<String, Error> {
    let c = cases::case_for(store, caller, case_id, Action::Enforce).await?;
    deciding(store, caller, c.summary.unit_id).await?;
    let case = c
        .case
        .as_ref()
        .ok_or_else(|| Refusal::conflict("案件尚未立案"))?;
    let e = safeduty_store::org::enterprise_by_id(store, c.summary.enterprise_id).await?;
    let data = ListingData::shipped();
    data.check_case(case, &e.industry)?;
    check_step_date(notified_on, today, "notified_on")?;
    // The notice follows the penalty it rests on (应急管理部令第11号第三条: a party punished).
    if let Some(d) = &case.decision
        && notified_on < d.decided_on
    {
        return Err(
            Refusal::invalid(format!("告知日期不能早于行政处罚决定日期{}", d.decided_on))
                .on("notified_on")
                .into(),
        );
    }
    let listing = Listing::notify(
        case.party.clone(),
        data.ground(ground)?,
        reasons,
        notified_on,
        &Rules::shipped(),
    )?;
    Ok(dishonesty::notify(store, &caller.who(), c.summary.id, &listing).await?)
}

/// The listing `id`, if `caller` may take `action` on its enterprise.
///
/// # Errors
/// [`Error::NotFound`], [`Error::Forbidden`], store errors.
pub async fn listing_for(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    action: Action,
) -> Result<ListingRecord, Error> {
    let l = match dishonesty::get(store, id).await {
        Ok(l) => l,
        Err(StoreError::NotFound) => {
            guard::require(store, caller, action, Some(&guard::nowhere())).await?;
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    super::enterprise_by_id(store, caller, l.enterprise_id, action).await?;
    Ok(l)
}

/// A step of a listing after its notice, as a form or the API gives it; each with its own date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The party's objection (陈述申辩).
    Object {
        /// The day made.
        date: NaiveDate,
        /// What the party said.
        text: String,
    },
    /// The answer to the objection.
    Answer {
        /// The day answered.
        date: NaiveDate,
        /// Upheld: the party is not listed.
        upheld: bool,
        /// The reasons.
        text: String,
    },
    /// The written decision.
    Decide {
        /// The day decided.
        date: NaiveDate,
        /// Its number as issued.
        number: String,
    },
    /// The publication.
    Publish {
        /// The day published.
        date: NaiveDate,
        /// Where.
        channels: String,
    },
    /// A credit-repair application.
    ApplyRepair {
        /// The day applied.
        date: NaiveDate,
        /// The evidence.
        text: String,
    },
    /// The decision on the application.
    DecideRepair {
        /// The day decided.
        date: NaiveDate,
        /// Granted: removed early.
        granted: bool,
        /// The reasons.
        text: String,
    },
    /// Removal at the period's end.
    Expire {
        /// The day removed.
        date: NaiveDate,
    },
    /// An early removal revoked.
    Revoke {
        /// The day revoked.
        date: NaiveDate,
        /// Why.
        text: String,
    },
}

impl Step {
    /// Every step's code, in the order of the procedure (forms and the API name steps so).
    pub const CODES: [&'static str; 8] = [
        "object",
        "answer",
        "decide",
        "publish",
        "apply_repair",
        "decide_repair",
        "expire",
        "revoke",
    ];

    /// The step's code.
    pub fn code(&self) -> &'static str {
        let i = match self {
            Step::Object { .. } => 0,
            Step::Answer { .. } => 1,
            Step::Decide { .. } => 2,
            Step::Publish { .. } => 3,
            Step::ApplyRepair { .. } => 4,
            Step::DecideRepair { .. } => 5,
            Step::Expire { .. } => 6,
            Step::Revoke { .. } => 7,
        };
        Step::CODES[i]
    }

    /// The step's own date.
    pub fn date(&self) -> NaiveDate {
        match self {
            Step::Object { date, .. }
            | Step::Answer { date, .. }
            | Step::Decide { date, .. }
            | Step::Publish { date, .. }
            | Step::ApplyRepair { date, .. }
            | Step::DecideRepair { date, .. }
            | Step::Expire { date }
            | Step::Revoke { date, .. } => *date,
        }
    }
}

/// Records `step` of the listing `id` read at `version`, by an officer of the deciding unit.
///
/// # Errors
/// The guard's denials; a [`Refusal`] (not the deciding unit; a date after `today`; the order
/// of the procedure and its time limits, as the core words them); a stale version; store
/// errors.
pub async fn step(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    version: i64,
    step: &Step,
    today: NaiveDate,
) -> Result<(), Error> {
    let rec = listing_for(store, caller, id, Action::Enforce).await?;
    deciding(store, caller, rec.unit_id).await?;
    if rec.version != version {
        return Err(StoreError::Conflict(dishonesty::STALE.into()).into());
    }
    check_step_date(step.date(), today, "date")?;
    let rules = Rules::shipped();
    let calendar = safeduty_store::calendar::effective(store).await?;
    let mut next = rec.listing.clone();
    match step {
        Step::Object { date, text } => next.object(*date, text, &rules, &calendar)?,
        Step::Answer { date, upheld, text } => next.answer(*date, *upheld, text)?,
        Step::Decide { date, number } => next.decide(*date, number, &rules, &calendar)?,
        Step::Publish { date, channels } => next.publish(*date, channels, &rules, &calendar)?,
        Step::ApplyRepair { date, text } => next.apply_repair(*date, text)?,
        Step::DecideRepair {
            date,
            granted,
            text,
        } => next.decide_repair(*date, *granted, text)?,
        Step::Expire { date } => next.remove_on_expiry(*date)?,
        Step::Revoke { date, text } => next.revoke_early_removal(*date, text)?,
    }
    Ok(dishonesty::record_step(store, &caller.who(), &rec, step.code(), &next).await?)
}

/// A listing with what its page shows beside it.
#[derive(Debug, Clone)]
pub struct ListingView {
    /// The listing.
    pub record: ListingRecord,
    /// The last day to object, under the rule in force when notified.
    pub objection_closes: Option<NaiveDate>,
    /// The rules in force on the day notified, with their sources.
    pub rules: Option<DishonestyRules>,
    /// Whether the caller may record its steps (an officer of the deciding unit).
    pub may_act: bool,
}

/// The listing `id` for its page.
///
/// # Errors
/// As [`listing_for`]; store errors.
pub async fn view(store: &Store, caller: &Caller<'_>, id: &str) -> Result<ListingView, Error> {
    let record = listing_for(store, caller, id, Action::ReadEnforcement).await?;
    let rules = Rules::shipped();
    let calendar = safeduty_store::calendar::effective(store).await?;
    let objection_closes = record.listing.objection_closes(&rules, &calendar).ok();
    // No guard call: a reader is not denied anything by seeing the page without its forms.
    let e = safeduty_store::org::enterprise_by_id(store, record.enterprise_id).await?;
    let may_act =
        safeduty_core::policy::authorize(&caller.actor(), Action::Enforce, Some(&e.facts)).is_ok()
            && caller.user.unit_id == Some(record.unit_id);
    Ok(ListingView {
        objection_closes,
        rules: rules.dishonesty_at(record.listing.notified_on).ok(),
        may_act,
        record,
    })
}

/// The listings of the cases in the caller's scope, newest first.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn list(store: &Store, caller: &Caller<'_>) -> Result<Vec<ListingRecord>, Error> {
    guard::require(store, caller, Action::ReadEnforcement, None).await?;
    Ok(dishonesty::list(store, &caller.user.scope).await?)
}

/// What the public pages show on `today`. No caller: the public pages have none.
///
/// # Errors
/// Store errors.
pub async fn published(store: &Store, today: NaiveDate) -> Result<Vec<PublishedListing>, Error> {
    Ok(dishonesty::published(store, today).await?)
}

/// Which document of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingDocument {
    /// 列入安全生产严重失信主体名单告知书, dated the day notified.
    Notice,
    /// 列入安全生产严重失信主体名单决定书, dated the day decided (once decided).
    Decision,
}

impl ListingDocument {
    /// The code in addresses (`notice`, `decision`).
    pub fn from_code(code: &str) -> Option<ListingDocument> {
        match code {
            "notice" => Some(ListingDocument::Notice),
            "decision" => Some(ListingDocument::Decision),
            _ => None,
        }
    }

    /// The title.
    pub fn label(self) -> &'static str {
        match self {
            ListingDocument::Notice => "列入安全生产严重失信主体名单告知书",
            ListingDocument::Decision => "列入安全生产严重失信主体名单决定书",
        }
    }
}

/// Generates `kind` of the listing `id` for a caller who may read it: the notice carries the
/// case's number and the day notified; the decision its own number and the day decided.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for a decision not made yet or a case without a
/// number; a [`Refusal`] when the records cannot make a valid document; store errors.
pub async fn document(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    kind: ListingDocument,
) -> Result<super::documents::Generated, Error> {
    use safeduty_core::enforcement::case::Party;
    use safeduty_office::enforcement::template::DocumentKind as Form;
    use safeduty_office::enforcement::{Issuer, ListingDoc, Remedies};
    use safeduty_office::gbt9704::date_cn;

    let rec = listing_for(store, caller, id, Action::ReadEnforcement).await?;
    let l = &rec.listing;
    let c = cases::case_for(store, caller, &rec.case_public_id, Action::ReadEnforcement).await?;
    let s = &c.summary;
    let (Some(year), Some(seq), Some(decided)) = (
        s.year,
        s.seq,
        c.case.as_ref().and_then(|k| k.decision.as_ref()),
    ) else {
        return Err(Error::NotFound);
    };
    let (form, date, number) = match (kind, &l.decision) {
        (ListingDocument::Notice, _) => (Form::DishonestyNotice, l.notified_on, None),
        (ListingDocument::Decision, Some(d)) => {
            (Form::DishonestyDecision, d.on, Some(d.number.clone()))
        }
        (ListingDocument::Decision, None) => return Err(Error::NotFound),
    };
    let e = safeduty_store::org::enterprise_by_id(store, s.enterprise_id).await?;
    let rules = super::rules_on(date, "date")?;
    let settings = authority::settings_of(store, &e, &rules).await?;
    let case_number = authority::number(
        &settings,
        safeduty_core::enforcement::numbering::DocumentKind::CaseFiling,
        year,
        seq,
    );
    let listing_rules = Rules::shipped()
        .dishonesty_at(l.notified_on)
        .map_err(|e| Refusal::invalid(e.to_string()).on("date"))?;
    let (party_name, party) = match &l.party {
        Party::Unit { name, .. } => (name.clone(), name.clone()),
        Party::Person { name, role, .. } => (
            name.clone(),
            format!("{name}（{role}，{}）", s.enterprise_name),
        ),
    };
    let out = ListingDoc {
        kind: form,
        number: number.clone().unwrap_or_else(|| case_number.clone()),
        issuer: Issuer {
            name: rec.unit_name.clone(),
        },
        party_name,
        party,
        uscc: s.uscc.clone(),
        reasons: l.reasons.clone(),
        penalty: format!(
            "{case_number}案，{}决定罚款人民币{}元",
            date_cn(decided.decided_on),
            decided.amount
        ),
        clause: l.ground.clause.clone(),
        ground: l.ground.text.clone(),
        objection_span: listing_rules.objection_within.value.to_string(),
        notified_on: Some(l.notified_on),
        objection_answer: l
            .answer
            .as_ref()
            .filter(|a| !a.upheld)
            .map(|a| a.text.clone()),
        period: listing_rules.listing_period.value.to_string(),
        repair_span: listing_rules.repair_after.value.to_string(),
        remedies: Remedies {
            reconsideration_body: settings.reconsideration_body.clone(),
            reconsideration_days: super::documents::months_or_days(
                rules.reconsideration_within.value,
            ),
            court: settings.court.clone(),
            litigation_months: super::documents::months_or_days(rules.litigation_within.value),
        },
        date,
    }
    .generate(&safeduty_office::enforcement::Templates::shipped())
    .map_err(|e| Refusal::invalid(format!("文书生成失败：{e}")))?;
    let number = number.unwrap_or(case_number);
    Ok(super::documents::Generated {
        file_name: format!("{}{}.docx", kind.label(), number),
        template: format!("{} v{}", out.template, out.version),
        bytes: out.bytes,
        number,
    })
}

/// The grounds and covered industries in force, for a caller who reads enforcement records
/// (forms and API clients choose a ground from them).
///
/// # Errors
/// The guard's denials; store errors.
pub async fn grounds(store: &Store, caller: &Caller<'_>) -> Result<ListingData, Error> {
    guard::require(store, caller, Action::ReadEnforcement, None).await?;
    Ok(ListingData::shipped())
}
