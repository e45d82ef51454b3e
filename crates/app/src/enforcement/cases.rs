//! Penalty cases (案件, issue #13): an officer of a unit with the filing power drafts a case
//! from an inspection of the unit, from a referral, or directly; the filing is approved with
//! at least two certified officers and gets the number （简称）应急立〔year〕N号; each later step
//! runs the core's guarded state machine ([`safeduty_core::enforcement::case`]) under the rules
//! in force on the step's own date, and the amounts the discretion data allows
//! ([`safeduty_core::enforcement::penalty`]).
//!
//! Reading is [`Action::ReadEnforcement`] on the enterprise (an enterprise its own cases);
//! acting is [`Action::Enforce`] by an officer of the handling unit, which must hold
//! [`Power::FileCase`], and [`Power::DecidePenalty`] for a decision.

use chrono::{Datelike, NaiveDate};
use safeduty_core::calendar::Calendar;
use safeduty_core::enforcement::case::{
    Answer, Case, CaseDocument, CaseDraft, Decision, HeavyMeasure, PenaltyNotice, Window,
    check_step_date,
};
use safeduty_core::enforcement::numbering::DocumentKind;
use safeduty_core::enforcement::officers::check_team;
use safeduty_core::enforcement::penalty::{
    AtAcceptance, Band, Discretion, NoPenalty, Proposal, Provision,
};
use safeduty_core::enforcement::powers::Power;
use safeduty_core::enforcement::rules::Rules;
use safeduty_core::enforcement::violations::Party;
use safeduty_core::finding::ledger::{LONG_MAX_CHARS, clean_text};
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_store::attachments::StoredFile;
use safeduty_store::enforcement::authority::{Settings, UnitInfo};
use safeduty_store::enforcement::cases::{
    self, CaseFilter, CaseRecord, CaseSource, CaseSummary, NewCase,
};
use safeduty_store::enforcement::documents::{self, DocumentOfRecord, DocumentOwner, Upload};
use safeduty_store::{Store, StoreError};

use super::{authority, inspections};
use crate::{Caller, Error, guard};

/// Where a draft comes from, as the form names it (public ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftSource {
    /// An inspection of the caller's unit.
    Inspection(String),
    /// A referral for a case in the caller's scope.
    Referral(String),
    /// An enterprise in the caller's scope, directly.
    Enterprise(String),
}

/// What a new case's form shows of its source.
#[derive(Debug, Clone)]
pub struct Opening {
    /// The enterprise concerned.
    pub enterprise: safeduty_store::org::Enterprise,
    /// Where the case comes from, in words (the inspection's day and number, the referral's
    /// unit and reason, or 直接立案).
    pub source: String,
}

/// The enterprise and source of a case drafted from `from`, and the caller's unit, for a caller
/// who may draft it (an officer of a unit with the filing power, the source in the scope).
async fn resolve(
    store: &Store,
    caller: &Caller<'_>,
    from: &DraftSource,
) -> Result<(Opening, CaseSource, UnitInfo), Error> {
    let (enterprise, source, words) = match from {
        DraftSource::Inspection(id) => {
            let i = inspections::inspection_for(store, caller, id, Action::Enforce).await?;
            let e = safeduty_store::org::enterprise_by_id(store, i.summary.enterprise_id).await?;
            let settings =
                authority::settings(store, &e.facts.region_path, &e.region_name, 0).await?;
            let number = authority::number(
                &settings,
                DocumentKind::InspectionRecord,
                i.summary.year,
                i.summary.seq,
            );
            (
                e,
                CaseSource::Inspection(i.summary.id),
                format!("{}现场检查（{number}）", i.summary.inspected_on),
            )
        }
        DraftSource::Referral(id) => {
            let (rid, enterprise_id, referral) =
                match safeduty_store::enforcement::orders::referral(store, id).await {
                    Ok(r) => r,
                    Err(StoreError::NotFound) => {
                        guard::require(store, caller, Action::Enforce, Some(&guard::nowhere()))
                            .await?;
                        return Err(Error::NotFound);
                    }
                    Err(e) => return Err(e.into()),
                };
            let e = super::enterprise_by_id(store, caller, enterprise_id, Action::Enforce).await?;
            if referral.status != "open" {
                return Err(Refusal::conflict("该移交已立案，不能重复立案").into());
            }
            (
                e,
                CaseSource::Referral(rid),
                format!(
                    "{}于{}移交：{}",
                    referral.from_unit_name, referral.referred_on, referral.reason
                ),
            )
        }
        DraftSource::Enterprise(id) => {
            let e = guard::enterprise_for(store, caller, id, Action::Enforce).await?;
            (e, CaseSource::Direct, "直接立案".to_string())
        }
    };
    let unit = authority::acting_unit(store, caller, Power::FileCase).await?;
    Ok((
        Opening {
            enterprise,
            source: words,
        },
        source,
        unit,
    ))
}

/// What the form of a case drafted from `from` shows, for a caller who may draft it.
///
/// # Errors
/// The guard's denials; a [`Refusal`] (no filing power, a referral already filed); store
/// errors.
pub async fn opening(
    store: &Store,
    caller: &Caller<'_>,
    from: &DraftSource,
) -> Result<Opening, Error> {
    Ok(resolve(store, caller, from).await?.0)
}

/// Drafts a case: the source decides the enterprise; the party is the enterprise itself
/// (its full name) or a person of it. Returns the case's public id.
///
/// # Errors
/// The guard's denials; a [`Refusal`] (no filing power, a referral already filed, the texts
/// and the provision as [`CaseDraft::check`] says); store errors.
pub async fn draft(
    store: &Store,
    caller: &Caller<'_>,
    from: &DraftSource,
    draft: &CaseDraft,
) -> Result<String, Error> {
    let (opening, source, unit) = resolve(store, caller, from).await?;
    let d = draft.check()?;
    let e = &opening.enterprise;
    let party_name = match d.party {
        Party::Unit => e.name.clone(),
        Party::Person => d.person_name.clone(),
    };
    Ok(cases::draft(
        store,
        &caller.who(),
        &NewCase {
            unit_id: unit.id,
            enterprise_id: e.id,
            source,
            cause: &d.cause,
            facts: &d.facts,
            provision: d.provision.code(),
            party_kind: d.party.code(),
            party_name: &party_name,
            party_role: &d.person_role,
            at_acceptance: None,
        },
    )
    .await?)
}

/// The case with public id `id`, if `caller` may take `action` on its enterprise; for
/// [`Action::Enforce`] only an officer of the handling unit.
///
/// # Errors
/// [`Error::NotFound`], [`Error::Forbidden`], store errors.
pub async fn case_for(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    action: Action,
) -> Result<CaseRecord, Error> {
    let c = match cases::get(store, id).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => {
            guard::require(store, caller, action, Some(&guard::nowhere())).await?;
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    super::enterprise_by_id(store, caller, c.summary.enterprise_id, action).await?;
    // A draft is the unit's deliberation: the party sees its case once filed.
    if c.case.is_none() && caller.user.role == safeduty_core::policy::Role::EnterpriseUser {
        return Err(Error::NotFound);
    }
    if action == Action::Enforce && caller.user.unit_id != Some(c.summary.unit_id) {
        return Err(Refusal::forbidden("只有办案单位的执法人员可以办理本案").into());
    }
    Ok(c)
}

fn current(c: &CaseRecord, version: i64) -> Result<(), Error> {
    if c.summary.version == version {
        Ok(())
    } else {
        Err(Error::Store(StoreError::Conflict(cases::STALE.into())))
    }
}

/// Approves the filing (立案) of the draft on `filed_on` with the officers `officer_ids` of the
/// handling unit (at least two, certified that day). Returns the case number.
///
/// # Errors
/// The guard's denials; a [`Refusal`] (no filing power, not a draft, a date after `today`,
/// the officers as `check_team` says); a stale version; store errors.
pub async fn file(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    version: i64,
    filed_on: NaiveDate,
    officer_ids: &[i64],
    today: NaiveDate,
) -> Result<String, Error> {
    let c = case_for(store, caller, id, Action::Enforce).await?;
    authority::acting_unit(store, caller, Power::FileCase).await?;
    current(&c, version)?;
    if c.case.is_some() {
        return Err(Refusal::conflict("案件已立案").into());
    }
    check_step_date(filed_on, today, "filed_on")?;
    Rules::shipped()
        .case_at(filed_on)
        .map_err(|e| Refusal::invalid(e.to_string()).on("filed_on"))?;
    let officers = authority::officers_by_id(store, c.summary.unit_id, officer_ids).await?;
    check_team(&officers, filed_on)?;
    let seq = cases::file(
        store,
        &caller.who(),
        &c,
        filed_on,
        &authority::on_duty(&officers),
    )
    .await?;
    let settings = settings_of(store, &c).await?;
    Ok(authority::number(
        &settings,
        DocumentKind::CaseFiling,
        filed_on.year(),
        seq,
    ))
}

/// A step of the procedure after the filing, as a form or the API gives it. Dates are the
/// step's own (the party's receipt of a notice, the day decided …); amounts whole yuan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// 调查取证 started.
    Investigate {
        /// Day.
        date: NaiveDate,
    },
    /// 行政处罚告知书 received by the party.
    Notify {
        /// Provision applied.
        provision: Provision,
        /// Proposed fine, yuan.
        amount: u32,
        /// Suspension or revocation proposed.
        heavy: Option<HeavyMeasure>,
        /// Day received.
        date: NaiveDate,
    },
    /// 听证告知书 received by the party.
    OfferHearing {
        /// Day received.
        date: NaiveDate,
    },
    /// The party's statement, waiver or hearing, with what was said.
    Answer {
        /// Which.
        answer: Answer,
        /// Day.
        date: NaiveDate,
        /// What the party said (summary).
        note: String,
    },
    /// The decision limit extended with approval.
    Extend,
    /// 行政处罚决定.
    Decide {
        /// Provision applied.
        provision: Provision,
        /// Fine, yuan.
        amount: u32,
        /// Discretion band used.
        band: Option<Band>,
        /// Day decided.
        date: NaiveDate,
    },
    /// 不予行政处罚决定.
    NoPenalty {
        /// Basis and facts.
        basis: String,
        /// Follow-up measure.
        follow_up: String,
        /// Day decided.
        date: NaiveDate,
    },
    /// 送达 of the decision.
    Serve {
        /// Day.
        date: NaiveDate,
    },
    /// Fine paid.
    Pay {
        /// Day.
        date: NaiveDate,
    },
    /// 申请强制执行.
    Enforce {
        /// Day.
        date: NaiveDate,
    },
    /// 结案.
    Close {
        /// Day.
        date: NaiveDate,
    },
    /// 责令停产停业整顿 with the decision (the notice proposed it): its period.
    Suspend {
        /// First day suspended.
        date: NaiveDate,
        /// Last day of the period (may lie ahead).
        until: NaiveDate,
    },
    /// The review (复查) that lifts the suspension.
    Lift {
        /// Day lifted.
        date: NaiveDate,
        /// The review's opinion.
        note: String,
    },
}

impl Step {
    /// Stable code (audit records, routes).
    pub fn code(&self) -> &'static str {
        match self {
            Step::Investigate { .. } => "investigate",
            Step::Notify { .. } => "notify",
            Step::OfferHearing { .. } => "offer_hearing",
            Step::Answer { .. } => "answer",
            Step::Extend => "extend",
            Step::Decide { .. } => "decide",
            Step::NoPenalty { .. } => "no_penalty",
            Step::Serve { .. } => "serve",
            Step::Pay { .. } => "pay",
            Step::Enforce { .. } => "enforce",
            Step::Close { .. } => "close",
            Step::Suspend { .. } => "suspend",
            Step::Lift { .. } => "lift",
        }
    }

    fn date(&self) -> Option<NaiveDate> {
        match self {
            Step::Extend => None,
            Step::Investigate { date }
            | Step::Notify { date, .. }
            | Step::OfferHearing { date }
            | Step::Answer { date, .. }
            | Step::Decide { date, .. }
            | Step::NoPenalty { date, .. }
            | Step::Serve { date }
            | Step::Pay { date }
            | Step::Enforce { date }
            | Step::Close { date }
            | Step::Suspend { date, .. }
            | Step::Lift { date, .. } => Some(*date),
        }
    }
}

/// The documents of record of the case, current ones.
async fn on_file(store: &Store, c: &CaseRecord) -> Result<Vec<CaseDocument>, Error> {
    Ok(documents::of(store, DocumentOwner::Case(c.summary.id))
        .await?
        .iter()
        .filter(|d| !d.superseded)
        .filter_map(|d| CaseDocument::from_code(&d.document_kind))
        .collect())
}

/// Records `step` on the filed case, on `today`: the core's guard under the rules in force on
/// the step's date; a fine checked against the statutory range in force ([`Discretion`]).
///
/// # Errors
/// The guard's denials; a [`Refusal`] (the power the step needs; a date after `today`; the
/// order of the procedure, a window still open, a hearing required, an amount out of range, a
/// missing document — each as the core words it); a stale version; store errors.
pub async fn step(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    version: i64,
    step: &Step,
    today: NaiveDate,
) -> Result<(), Error> {
    let c = case_for(store, caller, id, Action::Enforce).await?;
    let power = match step {
        Step::Decide { .. } | Step::NoPenalty { .. } | Step::Suspend { .. } => Power::DecidePenalty,
        _ => Power::FileCase,
    };
    authority::acting_unit(store, caller, power).await?;
    current(&c, version)?;
    let Some(before) = &c.case else {
        return Err(Refusal::conflict("案件尚未立案，请先审批立案").into());
    };
    if let Some(d) = step.date() {
        check_step_date(d, today, "date")?;
    }
    let rules = rules_for(&settings_of(store, &c).await?);
    let discretion = Discretion::shipped();
    let calendar = safeduty_store::calendar::effective(store).await?;
    let mut next = before.clone();
    let mut note = c.answer_note.clone();
    match step {
        Step::Investigate { date } => next.investigate(*date)?,
        Step::Notify {
            provision,
            amount,
            heavy,
            date,
        } => {
            if *amount > 0 {
                discretion.decide(*provision, *amount, None, *date)?;
            }
            next.notify(PenaltyNotice {
                provision: *provision,
                amount: *amount,
                heavy: *heavy,
                received_on: *date,
            })?;
        }
        Step::OfferHearing { date } => {
            if !next.hearing_required(&rules, *date)? {
                return Err(Refusal::conflict(
                    "拟处罚款未达到听证标准，且未拟责令停产停业整顿或吊销证照，无需听证告知",
                )
                .into());
            }
            next.offer_hearing(*date)?;
        }
        Step::Answer {
            answer,
            date,
            note: said,
        } => {
            note = clean_text(said, LONG_MAX_CHARS).ok_or_else(|| {
                Refusal::invalid("陈述申辩或听证意见过长或含有不可见字符").on("note")
            })?;
            if *answer != Answer::Waived && note.is_empty() {
                return Err(Refusal::invalid("请填写当事人陈述申辩或听证的主要意见")
                    .on("note")
                    .into());
            }
            next.record_answer(*answer, *date)?;
        }
        Step::Extend => next.extend()?,
        Step::Decide {
            provision,
            amount,
            band,
            date,
        } => {
            if let Some(v) = still_violating(&c)? {
                check_upper_limit(&discretion, v, *provision, *amount, *date)?;
            }
            let fine = discretion.decide(*provision, *amount, *band, *date)?;
            next.decide(
                Decision {
                    provision: fine.provision,
                    amount: fine.amount,
                    band: fine.band.zip(fine.table.map(|(name, _)| name)),
                    decided_on: *date,
                },
                &rules,
                &calendar,
            )?;
        }
        Step::NoPenalty {
            basis,
            follow_up,
            date,
        } => {
            let np = NoPenalty::new(basis, follow_up, still_violating(&c)?.is_some())?;
            next.decide_no_penalty(np, *date, &rules, &calendar)?;
        }
        Step::Serve { date } => next.serve(*date)?,
        Step::Pay { date } => {
            next.pay(*date, &rules, &calendar)?;
        }
        Step::Enforce { date } => next.enforce(*date, &rules, &calendar)?,
        Step::Suspend { date, until } => next.suspend(*date, *until)?,
        Step::Lift { date, note } => next.lift_suspension(*date, note)?,
        Step::Close { date } => {
            let docs = on_file(store, &c).await?;
            next.close(*date, &docs)?;
        }
    }
    cases::record_step(store, &caller.who(), &c, step.code(), &next, &note).await?;
    Ok(())
}

/// The violation a case of a party found still violating at acceptance concerns, if it is one.
fn still_violating(c: &CaseRecord) -> Result<Option<AtAcceptance>, Error> {
    c.at_acceptance
        .as_ref()
        .map(|(code, _)| {
            AtAcceptance::from_code(code).ok_or_else(|| {
                Error::Store(StoreError::Corrupt(format!("case at_acceptance {code:?}")))
            })
        })
        .transpose()
}

/// A party still violating at acceptance is fined at the statutory upper limit of the
/// provision in force on `date` ([`Discretion::at_acceptance`]), under one of the violation's
/// provisions.
///
/// # Errors
/// Invalid on `provision` (not the violation's) or `amount` (not the upper limit).
fn check_upper_limit(
    discretion: &Discretion,
    v: AtAcceptance,
    provision: Provision,
    amount: u32,
    date: NaiveDate,
) -> Result<(), Refusal> {
    let upper = discretion.at_acceptance(v, date)?;
    let Some(p) = upper.iter().find(|p| p.provision == provision) else {
        let allowed: Vec<&str> = upper.iter().map(|p| p.provision.label()).collect();
        return Err(Refusal::invalid(format!(
            "验收时仍存在{}，应适用{}",
            v.label(),
            allowed.join("或")
        ))
        .on("provision"));
    };
    if amount != p.max {
        return Err(Refusal::invalid(format!(
            "验收时仍存在违法行为，应依法从重按法定上限{}元处罚",
            p.max
        ))
        .on("amount"));
    }
    Ok(())
}

/// The proposed range for `provision` in `band` on `date` (the calculator), for a caller who
/// reads enforcement records.
///
/// # Errors
/// The guard's denials; a [`Refusal`] as [`Discretion::propose`].
pub async fn propose(
    store: &Store,
    caller: &Caller<'_>,
    provision: Provision,
    band: Band,
    date: NaiveDate,
) -> Result<Proposal, Error> {
    guard::require(store, caller, Action::ReadEnforcement, None).await?;
    Ok(Discretion::shipped().propose(provision, band, date)?)
}

/// The case rules under the enforcement settings `s` of the case's region: the shipped ones
/// with the hearing thresholds its committee office set, if any (较大数额罚款, a province's
/// figure).
fn rules_for(s: &Settings) -> Rules {
    Rules::shipped().with_hearing_thresholds(
        s.hearing_threshold_person,
        s.hearing_threshold_unit,
        "安委办执法设置（听证标准）",
    )
}

async fn settings_of(store: &Store, c: &CaseRecord) -> Result<Settings, Error> {
    let e = safeduty_store::org::enterprise_by_id(store, c.summary.enterprise_id).await?;
    authority::settings(store, &e.facts.region_path, &e.region_name, 0).await
}

/// A case as its page shows it.
#[derive(Debug, Clone)]
pub struct CaseView {
    /// The case.
    pub record: CaseRecord,
    /// Its number once filed.
    pub number: Option<String>,
    /// Its time limits (empty for a draft).
    pub windows: Vec<Window>,
    /// Whether the decision must be preceded by a hearing notice, by the rules in force today.
    pub hearing_required: bool,
    /// The documents the case must hold by now, each with its current document of record.
    pub required: Vec<(CaseDocument, Option<DocumentOfRecord>)>,
    /// Every document of record, superseded ones included.
    pub documents: Vec<DocumentOfRecord>,
    /// Whether the caller is an officer of the handling unit (decides the forms shown).
    pub may_enforce: bool,
}

/// The case `id` for a caller who may read it, with its number, windows and documents.
///
/// # Errors
/// [`Error::NotFound`] (unknown or outside the scope), store errors.
pub async fn view(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    today: NaiveDate,
) -> Result<CaseView, Error> {
    let record = case_for(store, caller, id, Action::ReadEnforcement).await?;
    let e = safeduty_store::org::enterprise_by_id(store, record.summary.enterprise_id).await?;
    let may_enforce =
        safeduty_core::policy::authorize(&caller.actor(), Action::Enforce, Some(&e.facts)).is_ok()
            && caller.user.unit_id == Some(record.summary.unit_id);
    let settings = authority::settings(store, &e.facts.region_path, &e.region_name, 0).await?;
    let number = match (record.summary.year, record.summary.seq) {
        (Some(y), Some(s)) => Some(authority::number(&settings, DocumentKind::CaseFiling, y, s)),
        _ => None,
    };
    let calendar: Calendar = safeduty_store::calendar::effective(store).await?;
    let rules = rules_for(&settings);
    let (windows, hearing_required, required) = match &record.case {
        Some(c) => (
            // A case filed before any rule in data shows no limits rather than no page.
            c.windows(&rules, &calendar).unwrap_or_default(),
            c.hearing_required(&rules, today).unwrap_or(false),
            c.required_documents(),
        ),
        None => (Vec::new(), false, Vec::new()),
    };
    let documents = documents::of(store, DocumentOwner::Case(record.summary.id)).await?;
    let required = required
        .into_iter()
        .map(|k| {
            let d = documents
                .iter()
                .find(|d| d.document_kind == k.code() && !d.superseded)
                .cloned();
            (k, d)
        })
        .collect();
    Ok(CaseView {
        record,
        number,
        windows,
        hearing_required,
        required,
        documents,
        may_enforce,
    })
}

/// Cases in the caller's scope (an officer's unit's, an enterprise's own once filed), newest
/// first, each with its number once filed.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn list(
    store: &Store,
    caller: &Caller<'_>,
) -> Result<Vec<(CaseSummary, Option<String>)>, Error> {
    guard::require(store, caller, Action::ReadEnforcement, None).await?;
    let filter = CaseFilter {
        unit_id: caller.user.unit_id,
        enterprise_id: None,
    };
    let party = caller.user.role == safeduty_core::policy::Role::EnterpriseUser;
    let rows = cases::list(store, &caller.user.scope, filter).await?;
    let mut numbers = authority::Numbers::new(store);
    let mut out = Vec::with_capacity(rows.len());
    // A draft is the unit's deliberation: the party sees its case once filed.
    for r in rows.into_iter().filter(|r| !(party && r.status == "draft")) {
        let number = match (r.year, r.seq) {
            (Some(y), Some(s)) => Some(
                numbers
                    .of(r.enterprise_id, DocumentKind::CaseFiling, y, s)
                    .await?,
            ),
            _ => None,
        };
        out.push((r, number));
    }
    Ok(out)
}

/// Keeps `file` as the document of record of `kind` for the filed case (officers of the
/// handling unit); a second upload of the same kind supersedes the first and needs a reason.
///
/// # Errors
/// The guard's denials; a [`Refusal`] (a draft, superseding without a reason); store errors.
pub async fn upload(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    kind: CaseDocument,
    file: &StoredFile,
    reason: &str,
) -> Result<String, Error> {
    let c = case_for(store, caller, id, Action::Enforce).await?;
    let (Some(year), Some(seq)) = (c.summary.year, c.summary.seq) else {
        return Err(Refusal::conflict("案件尚未立案，不能上传案卷文书").into());
    };
    let reason = super::documents::supersede_reason(
        store,
        DocumentOwner::Case(c.summary.id),
        kind.code(),
        reason,
    )
    .await?;
    let settings = settings_of(store, &c).await?;
    let number = authority::number(&settings, DocumentKind::CaseFiling, year, seq);
    Ok(documents::upload(
        store,
        &caller.who(),
        &Upload {
            owner: DocumentOwner::Case(c.summary.id),
            enterprise_id: c.summary.enterprise_id,
            document_kind: kind.code(),
            number: &number,
            file,
            supersede_reason: reason,
        },
    )
    .await?)
}

/// The day the document `kind` of `case` is dated, once the step it records is taken: the
/// step's own day (the closing form the closing day, or `today` while the case may close);
/// `None` before, and for the papers that come from outside (the party's statement, the
/// payment receipt, the request to the court), which are only uploaded.
pub fn print_date(case: &Case, kind: CaseDocument, today: NaiveDate) -> Option<NaiveDate> {
    use safeduty_core::enforcement::case::CaseState;
    let decided_on = case
        .decision
        .as_ref()
        .map(|d| d.decided_on)
        .or(case.no_penalty.as_ref().map(|n| n.1));
    match kind {
        CaseDocument::Filing => Some(case.filed_on),
        CaseDocument::PenaltyNotice => case.notice.as_ref().map(|n| n.received_on),
        CaseDocument::HearingNotice => case.hearing_notice_on,
        CaseDocument::Decision => case.decision.as_ref().map(|d| d.decided_on),
        CaseDocument::NoPenaltyDecision => case.no_penalty.as_ref().map(|n| n.1),
        CaseDocument::ServiceReceipt => decided_on,
        CaseDocument::Closing => {
            let closable = matches!(
                case.state(),
                CaseState::Paid | CaseState::Enforcing | CaseState::Closed
            ) || (case.state() == CaseState::Served && case.no_penalty.is_some());
            closable.then(|| case.closed_on.unwrap_or(today))
        }
        CaseDocument::AnswerRecord
        | CaseDocument::PaymentReceipt
        | CaseDocument::EnforcementRequest => None,
    }
}

/// Generates the document `kind` of the case `id` from its record, for a caller who may read
/// it: every document carries the case's number and is dated the day of its step (the closing
/// form the closing day, or today before it).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for a draft, or a document whose step is not
/// recorded yet, or one the case's papers come from outside (the party's statement, the
/// payment receipt, the court's papers); a [`Refusal`] when the records cannot make a valid
/// document; store errors.
pub async fn generate(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    kind: CaseDocument,
    today: NaiveDate,
) -> Result<super::documents::Generated, Error> {
    use safeduty_office::enforcement::template::DocumentKind as Form;
    use safeduty_office::enforcement::{CaseDoc, Issuer, Remedies};

    let c = case_for(store, caller, id, Action::ReadEnforcement).await?;
    let s = &c.summary;
    let (Some(case), Some(year), Some(seq)) = (&c.case, s.year, s.seq) else {
        return Err(Error::NotFound);
    };
    let date = print_date(case, kind, today).ok_or(Error::NotFound)?;
    let form = match kind {
        CaseDocument::Filing => Form::CaseFiling,
        CaseDocument::PenaltyNotice => Form::PenaltyNotice,
        CaseDocument::HearingNotice => Form::HearingNotice,
        CaseDocument::Decision => Form::PenaltyDecision,
        CaseDocument::NoPenaltyDecision => Form::NoPenaltyDecision,
        CaseDocument::ServiceReceipt => Form::ServiceReceipt,
        CaseDocument::Closing => Form::CaseClosing,
        CaseDocument::AnswerRecord
        | CaseDocument::PaymentReceipt
        | CaseDocument::EnforcementRequest => return Err(Error::NotFound),
    };
    let e = safeduty_store::org::enterprise_by_id(store, s.enterprise_id).await?;
    let rules = super::rules_on(date, "date")?;
    let settings = authority::settings_of(store, &e, &rules).await?;
    let local = rules_for(&settings);
    let case_rules = local
        .case_at(date)
        .map_err(|e| Refusal::invalid(e.to_string()).on("date"))?;
    let number = authority::number(&settings, DocumentKind::CaseFiling, year, seq);
    let person = s.party_kind == Party::Person.code();
    let party = if person {
        format!(
            "{}（{}，{}）",
            s.party_name, s.party_role, s.enterprise_name
        )
    } else {
        s.party_name.clone()
    };
    let notice = case.notice.as_ref();
    let penalty = notice.map_or_else(String::new, |n| {
        let mut words = Vec::new();
        if n.amount > 0 {
            words.push(format!("罚款人民币{}元", n.amount));
        }
        if let Some(h) = n.heavy {
            words.push(h.label().to_string());
        }
        words.join("，")
    });
    let provision = case
        .decision
        .as_ref()
        .map(|d| d.provision)
        .or(notice.map(|n| n.provision))
        .or(Provision::from_code(&s.provision))
        .map_or("", Provision::label);
    let answer = match case.answer {
        Some((Answer::Waived, _)) => {
            "你（单位）在规定期限内明确放弃陈述、申辩和听证的权利。".into()
        }
        Some((a, on)) => format!(
            "你（单位）于{}提出{}意见：{}。本机关已进行复核。",
            safeduty_office::gbt9704::date_cn(on),
            a.label(),
            c.answer_note
        ),
        None => "你（单位）在规定期限内未提出陈述、申辩意见，也未要求听证。".into(),
    };
    let result = match (&case.decision, &case.no_penalty) {
        (Some(d), _) => {
            let mut words = format!("{}，罚款人民币{}元", d.provision.label(), d.amount);
            if let Some(x) = &case.suspension {
                words.push_str(&format!(
                    "，责令停产停业整顿（{}至{}）",
                    safeduty_office::gbt9704::date_cn(x.from),
                    safeduty_office::gbt9704::date_cn(x.until)
                ));
            }
            words
        }
        (None, Some((np, _))) => format!("不予行政处罚；配套措施：{}", np.follow_up),
        _ => String::new(),
    };
    let execution = match (&case.payment, case.enforcement_on) {
        (Some(p), _) if p.late_fee > 0 => format!(
            "{}缴纳罚款，加处罚款{}元",
            safeduty_office::gbt9704::date_cn(p.paid_on),
            p.late_fee
        ),
        (Some(p), _) => format!("{}缴纳罚款", safeduty_office::gbt9704::date_cn(p.paid_on)),
        (None, Some(on)) => format!(
            "{}申请人民法院强制执行",
            safeduty_office::gbt9704::date_cn(on)
        ),
        (None, None) => case.served_on.map_or_else(String::new, |d| {
            format!(
                "{}送达不予行政处罚决定书",
                safeduty_office::gbt9704::date_cn(d)
            )
        }),
    };
    let served_title = if case.no_penalty.is_some() {
        CaseDocument::NoPenaltyDecision.label()
    } else {
        CaseDocument::Decision.label()
    };
    let out = CaseDoc {
        kind: form,
        number: number.clone(),
        issuer: Issuer {
            name: s.unit_name.clone(),
        },
        party_name: s.party_name.clone(),
        party,
        uscc: s.uscc.clone(),
        cause: s.cause.clone(),
        facts: s.facts.clone(),
        source: CaseSource::label_of(&s.source_kind).to_string(),
        provision: provision.to_string(),
        penalty,
        amount: case.decision.as_ref().map_or(0, |d| d.amount),
        band: case
            .decision
            .as_ref()
            .and_then(|d| d.band.as_ref())
            .map(|(b, t)| (b.label().to_string(), t.clone())),
        notice_date: notice.map(|n| n.received_on),
        answer,
        statement_span: case_rules.statement_within.value.to_string(),
        hearing_span: case_rules.hearing_request_within.value.to_string(),
        hearing_offered: case.hearing_required(&local, date).unwrap_or(false),
        pay_span: case_rules.pay_within.value.to_string(),
        late_fee_percent: case_rules.late_fee_percent_per_day.value,
        no_penalty: case
            .no_penalty
            .as_ref()
            .map(|(n, _)| (n.basis.clone(), n.follow_up.clone())),
        served: Some((served_title.to_string(), number.clone())),
        result,
        execution,
        remedies: Remedies {
            reconsideration_body: settings.reconsideration_body.clone(),
            reconsideration_days: super::documents::months_or_days(
                rules.reconsideration_within.value,
            ),
            court: settings.court.clone(),
            litigation_months: super::documents::months_or_days(rules.litigation_within.value),
        },
        officers: super::documents::lines(&c.officers),
        date,
    }
    .generate(&safeduty_office::enforcement::Templates::shipped())
    .map_err(|e| Refusal::invalid(format!("文书生成失败：{e}")))?;
    Ok(super::documents::Generated {
        file_name: format!("{}{}.docx", kind.label(), number),
        template: format!("{} v{}", out.template, out.version),
        bytes: out.bytes,
        number,
    })
}
