//! Acceptance inspections (检查验收, issue #14 point 2). The committee office
//! ([`Action::OverseeUnits`]) plans one per enterprise, naming the inspecting unit, which must
//! hold the inspect power and have the enterprise in its scope. The unit's officers lead it:
//! they invite guests (experts, media, the commissioned third party), record the inspection on
//! the ordinary record ([`super::inspections::record`] with the acceptance named; it counts
//! toward the yearly cap and its findings carry the source 验收), adopt the third party's
//! assessment and close it with the conclusion.
//!
//! A guest is an account of [`Role::Guest`] issued by the invitation and bound to this one
//! acceptance: it reads the acceptance and its inspection record and comments, a third party
//! submits its assessment; everything else answers 404 (the policy refuses a guest everything),
//! and nothing at all once the acceptance closes or the officer revokes it (the account is
//! disabled then).
//!
//! Reading: the committee office and assessors of a region holding the enterprise, the
//! inspecting unit's officers, the bound guests; nobody else (404).

use chrono::NaiveDate;
use rand::RngCore;
use safeduty_core::enforcement::acceptance::{
    Acceptance, AcceptanceStatus, Conclusion, Mode, PlanInput, check_comment,
};
use safeduty_core::enforcement::case::CaseDraft;
use safeduty_core::enforcement::officers::{Guest, GuestKind};
use safeduty_core::enforcement::penalty::{AtAcceptance, Provision};
use safeduty_core::enforcement::powers::Power;
use safeduty_core::enforcement::violations::Party;
use safeduty_core::policy::{Action, Role, Scope};
use safeduty_core::refusal::Refusal;
use safeduty_core::uscc::Uscc;
use safeduty_store::enforcement::acceptances::{
    self, AcceptanceRow, CommentRow, GuestRow, NewGuest, Whose,
};
use safeduty_store::enforcement::authority::{self as unit_authority, UnitInfo};
use safeduty_store::enforcement::inspections::{self, Inspection};
use safeduty_store::{Store, StoreError};

use super::authority::{self, powers_of};
use crate::{Caller, Error, campaigns, guard};

/// Plans an acceptance of the enterprise `enterprise` — its public id, or its 统一社会信用代码
/// as an officer types it from a roster — by the unit `unit_id`, for the committee office of a
/// region holding both. Returns its public id.
///
/// # Errors
/// The guard's denials (a public id first: 404 outside the scope); invalid on `enterprise` for
/// a code of no enterprise in the caller's region; [`Error::NotFound`] for a unit outside the
/// caller's region or without a campaign; a [`Refusal`] on `unit` (no inspect power, the
/// enterprise outside the unit's scope) or on the plan's fields; store errors.
pub async fn plan(
    store: &Store,
    caller: &Caller<'_>,
    enterprise: &str,
    unit_id: i64,
    input: &PlanInput,
    today: NaiveDate,
) -> Result<String, Error> {
    let e = match Uscc::parse(&safeduty_core::roster::clean::code(enterprise)) {
        Ok(code) => {
            let unknown = || {
                Refusal::invalid(format!(
                    "统一社会信用代码{code}：企业不存在或不在管辖范围内"
                ))
                .on("enterprise")
            };
            let id = match safeduty_store::accounts::enterprise_id_by_uscc(store, &code.to_string())
                .await
            {
                Ok(id) => id,
                Err(StoreError::NotFound) => return Err(unknown().into()),
                Err(err) => return Err(err.into()),
            };
            let e = safeduty_store::org::enterprise_by_id(store, id).await?;
            if !caller.user.scope.contains(&e.facts) {
                return Err(unknown().into());
            }
            guard::require(store, caller, Action::OverseeUnits, Some(&e.facts)).await?;
            e
        }
        Err(_) => guard::enterprise_for(store, caller, enterprise, Action::OverseeUnits).await?,
    };
    let unit = match unit_authority::unit(store, unit_id).await {
        Ok(u) => u,
        Err(StoreError::NotFound) => return Err(Error::NotFound),
        Err(err) => return Err(err.into()),
    };
    guard::require_in_region(store, caller, Action::OverseeUnits, &unit.region_path).await?;
    check_inspecting_unit(&unit, &e)?;
    let campaign = campaigns::current(store, caller).await?;
    let planned = input.check(today)?;
    Ok(acceptances::plan(store, &caller.who(), campaign.id, unit.id, e.id, &planned).await?)
}

/// The unit may inspect the enterprise: it holds the inspect power and the enterprise lies in
/// its scope (a town its region, a department its industry's enterprises there).
fn check_inspecting_unit(
    unit: &UnitInfo,
    e: &safeduty_store::org::Enterprise,
) -> Result<(), Refusal> {
    if !powers_of(unit).has(Power::Inspect) {
        return Err(Refusal::invalid(format!(
            "{}没有“{}”职权，不能承担验收检查（安委办不作为检查主体）",
            unit.name,
            Power::Inspect.label()
        ))
        .on("unit"));
    }
    if !Scope::of_unit(unit.id, unit.kind, unit.region_path.clone()).contains(&e.facts) {
        return Err(
            Refusal::invalid(format!("{}不在{}的监管范围内", e.name, unit.name)).on("unit"),
        );
    }
    Ok(())
}

/// The units that may be named to inspect (holding the inspect power) in the committee
/// office's region, for the plan form.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn inspecting_units(store: &Store, caller: &Caller<'_>) -> Result<Vec<UnitInfo>, Error> {
    guard::require(store, caller, Action::OverseeUnits, None).await?;
    let Some(path) = authority::region_path(caller) else {
        return Err(Error::NotFound);
    };
    Ok(unit_authority::units_under(store, path)
        .await?
        .into_iter()
        .filter(|u| powers_of(u).has(Power::Inspect))
        .collect())
}

/// The acceptances the caller sees in the current campaign: the committee office and
/// assessors those of their region, an officer its unit's, a guest its own (while open);
/// an enterprise none (403).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without a campaign; store errors.
pub async fn list(store: &Store, caller: &Caller<'_>) -> Result<Vec<AcceptanceRow>, Error> {
    if caller.user.role == Role::Guest {
        return Ok(match guest_acceptance(store, caller).await? {
            Some(a) => vec![a],
            None => Vec::new(),
        });
    }
    guard::require(store, caller, Action::ReadEnforcement, None).await?;
    let whose = match (caller.user.role, caller.user.unit_id) {
        (Role::UnitOfficer, Some(unit)) => Whose::Unit(unit),
        (Role::CommitteeOffice | Role::Assessor, _) => match authority::region_path(caller) {
            Some(p) => Whose::Region(p.to_string()),
            None => return Err(Error::NotFound),
        },
        _ => return Err(Error::Forbidden),
    };
    let campaign = campaigns::current(store, caller).await?;
    Ok(acceptances::list(store, campaign.id, &whose).await?)
}

/// The open acceptance a guest is bound to, `None` once revoked or closed.
///
/// # Errors
/// Store errors.
pub async fn guest_acceptance(
    store: &Store,
    caller: &Caller<'_>,
) -> Result<Option<AcceptanceRow>, Error> {
    let Some((id, revoked)) = acceptances::binding(store, caller.user.id).await? else {
        return Ok(None);
    };
    if revoked {
        return Ok(None);
    }
    let a = acceptances::get(store, &id).await?;
    Ok(a.acceptance.admits_guests().then_some(a))
}

async fn not_found(store: &Store, caller: &Caller<'_>) -> Error {
    match guard::require(
        store,
        caller,
        Action::ReadEnforcement,
        Some(&guard::nowhere()),
    )
    .await
    {
        Err(e) => e,
        Ok(()) => Error::NotFound,
    }
}

/// The acceptance `id` if the caller may read it (see the module); an unknown one, one outside
/// the caller's region or unit, or another's for a guest answers 404, recorded as a denial.
///
/// # Errors
/// [`Error::NotFound`]; store errors.
pub async fn acceptance_for(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
) -> Result<AcceptanceRow, Error> {
    if caller.user.role == Role::Guest {
        return match guest_acceptance(store, caller).await? {
            Some(a) if a.public_id == id => Ok(a),
            _ => Err(not_found(store, caller).await),
        };
    }
    let a = match acceptances::get(store, id).await {
        Ok(a) => a,
        Err(StoreError::NotFound) => return Err(not_found(store, caller).await),
        Err(e) => return Err(e.into()),
    };
    let visible = match (caller.user.role, &caller.user.scope) {
        (Role::UnitOfficer, _) => caller.user.unit_id == Some(a.unit_id),
        (Role::CommitteeOffice | Role::Assessor, Scope::RegionSubtree { region_path }) => {
            a.region_path.starts_with(region_path.as_str())
        }
        _ => false,
    };
    if !visible {
        return Err(not_found(store, caller).await);
    }
    guard::require(store, caller, Action::ReadEnforcement, None).await?;
    Ok(a)
}

/// What the caller may do on an acceptance page (each action is checked again when taken).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Allowed {
    /// Lead it: invite and revoke guests, record the inspection, adopt, close (an officer of the
    /// inspecting unit holding the inspect power, while open).
    pub lead: bool,
    /// Comment (the leading officers and the guests, while open).
    pub comment: bool,
    /// Submit the technical assessment (a third-party guest of a third-party acceptance).
    pub assess: bool,
}

/// An acceptance as its page shows it.
#[derive(Debug, Clone)]
pub struct AcceptanceView {
    /// The acceptance.
    pub row: AcceptanceRow,
    /// Its inspection record, once recorded.
    pub inspection: Option<Inspection>,
    /// The enterprise's public id (the inspection form's link).
    pub enterprise_public_id: String,
    /// Its guests (the guest itself sees the list too: who else was invited).
    pub guests: Vec<GuestRow>,
    /// Its comments.
    pub comments: Vec<CommentRow>,
    /// What the caller may do.
    pub allowed: Allowed,
    /// For a leading officer once the inspection is on record: what may show the party still
    /// violating — the enterprise's decided cases and its orders not corrected — as
    /// (`case:{id}` or `order:{id}`, words).
    pub grounds: Vec<(String, String)>,
}

async fn leading_unit(store: &Store, caller: &Caller<'_>, a: &AcceptanceRow) -> Option<UnitInfo> {
    if caller.user.role != Role::UnitOfficer || caller.user.unit_id != Some(a.unit_id) {
        return None;
    }
    let unit = unit_authority::unit(store, a.unit_id).await.ok()?;
    powers_of(&unit).has(Power::Inspect).then_some(unit)
}

async fn guest_kind(
    store: &Store,
    caller: &Caller<'_>,
    a: &AcceptanceRow,
) -> Result<Option<String>, Error> {
    if caller.user.role != Role::Guest {
        return Ok(None);
    }
    Ok(acceptances::guests(store, a.id)
        .await?
        .into_iter()
        .find(|g| g.user_id == caller.user.id)
        .map(|g| g.kind))
}

/// The acceptance `id` with its record, guests and comments, for a caller who may read it.
///
/// # Errors
/// As [`acceptance_for`]; store errors.
pub async fn view(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    today: NaiveDate,
) -> Result<AcceptanceView, Error> {
    let row = acceptance_for(store, caller, id).await?;
    let open = row.acceptance.status() != AcceptanceStatus::Closed;
    let lead = open && leading_unit(store, caller, &row).await.is_some();
    let kind = guest_kind(store, caller, &row).await?;
    let allowed = Allowed {
        lead,
        comment: open && (lead || kind.is_some()),
        assess: open
            && row.acceptance.plan.mode == Mode::ThirdParty
            && kind.as_deref() == Some(GuestKind::ThirdParty.code()),
    };
    let inspection = match &row.inspection_public_id {
        Some(p) => Some(inspections::get(store, p).await?),
        None => None,
    };
    let e = safeduty_store::org::enterprise_by_id(store, row.enterprise_id).await?;
    let grounds = if lead && inspection.is_some() {
        grounds(store, &caller.user.scope, row.enterprise_id, today).await?
    } else {
        Vec::new()
    };
    Ok(AcceptanceView {
        grounds,
        inspection,
        enterprise_public_id: e.public_id,
        guests: acceptances::guests(store, row.id).await?,
        comments: acceptances::comments(store, row.id).await?,
        row,
        allowed,
    })
}

/// The enterprise's decided cases and its orders not corrected on `today`, in the officer's
/// scope, as the choices of a [`Ground`].
async fn grounds(
    store: &Store,
    scope: &Scope,
    enterprise_id: i64,
    today: NaiveDate,
) -> Result<Vec<(String, String)>, Error> {
    use safeduty_store::enforcement::{cases, orders};
    let mut out = Vec::new();
    let filter = cases::CaseFilter {
        unit_id: None,
        enterprise_id: Some(enterprise_id),
    };
    for c in cases::list(store, scope, filter).await? {
        if c.decision_amount.is_some() {
            let provision = Provision::from_code(&c.provision).map_or("", |p| p.label());
            out.push((
                format!("case:{}", c.public_id),
                format!(
                    "前案：{}（{}，罚款{}元）",
                    c.cause,
                    provision,
                    c.decision_amount.unwrap_or(0)
                ),
            ));
        }
    }
    let filter = orders::OrderFilter {
        enterprise_id: Some(enterprise_id),
        ..orders::OrderFilter::default()
    };
    for o in orders::list(store, scope, filter).await? {
        if not_corrected(&o, today) {
            out.push((
                format!("order:{}", o.public_id),
                format!("整改指令：{}下达，{}到期，仍未改正", o.issued_on, o.due_on),
            ));
        }
    }
    Ok(out)
}

/// Whether the order is still not corrected on `today`: re-inspected and found not corrected,
/// or past its time limit without the re-inspection that closes it.
fn not_corrected(o: &safeduty_store::enforcement::orders::Order, today: NaiveDate) -> bool {
    use safeduty_core::enforcement::order::OrderStatus;
    match OrderStatus::from_code(&o.status) {
        Some(OrderStatus::NotCorrected) => true,
        Some(OrderStatus::Issued | OrderStatus::CompletionReported) => o.due_on < today,
        _ => false,
    }
}

/// A guest account issued: its login name and the password to hand over once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// Login name.
    pub username: String,
    /// Password (must be changed at first login).
    pub password: String,
}

async fn lead(store: &Store, caller: &Caller<'_>, id: &str) -> Result<AcceptanceRow, Error> {
    let a = acceptance_for(store, caller, id).await?;
    if caller.user.role == Role::Guest {
        // Its own acceptance: it may read it, so the refusal says why.
        return Err(Refusal::forbidden("受邀人员只能查看和发表意见，不能办理验收").into());
    }
    let unit = authority::acting_unit(store, caller, Power::Inspect).await?;
    if unit.id != a.unit_id {
        return Err(Refusal::forbidden("只有承担验收检查单位的执法人员可以办理").into());
    }
    Ok(a)
}

/// Invites `guest` to the acceptance `id` on `today`: an officer of the inspecting unit; the
/// product issues a guest account bound to it (no administrator grants it a role). A third
/// party (受委托第三方) only to a third-party acceptance.
///
/// # Errors
/// As [`acceptance_for`]; forbidden for anyone but the unit's officers; conflict once closed
/// or for a third party on a team acceptance; invalid on the guest's fields; store errors.
pub async fn invite(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    guest: &Guest,
    today: NaiveDate,
) -> Result<Issued, Error> {
    let a = lead(store, caller, id).await?;
    if !a.acceptance.admits_guests() {
        return Err(Refusal::conflict("该验收检查已结束，不能再邀请").into());
    }
    let guest = guest.check()?;
    if guest.kind == GuestKind::ThirdParty && a.acceptance.plan.mode != Mode::ThirdParty {
        return Err(
            Refusal::invalid("该验收检查不是委托第三方方式，不能邀请受委托第三方")
                .on("kind")
                .into(),
        );
    }
    let mut random = [0u8; 4];
    rand::rng().fill_bytes(&mut random);
    let username = format!("guest-{}", hex(&random));
    let password = crate::accounts::new_first_password();
    let password_hash = crate::identity::hash(&password).await?;
    acceptances::invite(
        store,
        &caller.who(),
        &a,
        &NewGuest {
            username: username.clone(),
            password_hash,
            name: guest.name.clone(),
            kind: guest.kind.code().into(),
            organisation: guest.organisation.clone(),
            invited_on: today,
            is_demo: false,
        },
    )
    .await?;
    Ok(Issued { username, password })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Revokes the guest `user_id` of the acceptance `id` on `today` (an officer of the unit).
///
/// # Errors
/// As [`invite`]; [`Error::NotFound`] for no such guest of it; conflict if already revoked.
pub async fn revoke(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    user_id: i64,
    today: NaiveDate,
) -> Result<(), Error> {
    let a = lead(store, caller, id).await?;
    acceptances::revoke(store, &caller.who(), &a, user_id, today).await?;
    Ok(())
}

/// A step of an acceptance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The third party submits its assessment.
    Assess {
        /// The assessment.
        text: String,
        /// Its proposed conclusion.
        conclusion: Conclusion,
    },
    /// An officer adopts the assessment.
    Adopt,
    /// An officer closes it.
    Close {
        /// The day.
        date: NaiveDate,
        /// The conclusion.
        conclusion: Conclusion,
        /// The acceptance opinion.
        opinion: String,
    },
}

impl Step {
    /// The step codes, as forms and the API name them.
    pub const CODES: [&'static str; 3] = ["assess", "adopt", "close"];

    /// The step's code.
    pub fn code(&self) -> &'static str {
        match self {
            Step::Assess { .. } => "assess",
            Step::Adopt => "adopt",
            Step::Close { .. } => "close",
        }
    }
}

/// Takes `step` on the acceptance `id` on `today`: the assessment by its third-party guest,
/// adopting and closing by an officer of the inspecting unit. Closing disables its guests.
///
/// # Errors
/// As [`acceptance_for`]; forbidden for the wrong person; the core's refusals (order, dates,
/// texts); [`StoreError::Conflict`] when it changed meanwhile; store errors.
pub async fn step(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    step: &Step,
    today: NaiveDate,
) -> Result<(), Error> {
    let a = match step {
        Step::Assess { .. } => {
            let a = acceptance_for(store, caller, id).await?;
            if guest_kind(store, caller, &a).await?.as_deref() != Some(GuestKind::ThirdParty.code())
            {
                return Err(Refusal::forbidden("只有受委托第三方可以提交技术评估意见").into());
            }
            a
        }
        Step::Adopt | Step::Close { .. } => lead(store, caller, id).await?,
    };
    let mut next: Acceptance = a.acceptance.clone();
    match step {
        Step::Assess { text, conclusion } => next.submit_assessment(text, *conclusion, today)?,
        Step::Adopt => next.adopt(today)?,
        Step::Close {
            date,
            conclusion,
            opinion,
        } => next.close(*date, *conclusion, opinion, today)?,
    }
    acceptances::record_step(store, &caller.who(), &a, step.code(), &next).await?;
    Ok(())
}

/// Adds a comment to the acceptance `id`: its guests and the inspecting unit's officers, while
/// it is open.
///
/// # Errors
/// As [`acceptance_for`]; forbidden for anyone else; conflict once closed; invalid on `text`.
pub async fn comment(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    text: &str,
) -> Result<(), Error> {
    let a = acceptance_for(store, caller, id).await?;
    let author = match guest_kind(store, caller, &a).await? {
        Some(kind) => format!(
            "{}（{}）",
            caller.user.display_name,
            GuestKind::from_code(&kind).map_or("受邀人员", |k| k.label())
        ),
        None if leading_unit(store, caller, &a).await.is_some() => {
            format!("{}（{}）", caller.user.display_name, a.unit_name)
        }
        None => {
            return Err(Refusal::forbidden("只有验收检查的执法人员和受邀人员可以发表意见").into());
        }
    };
    if !a.acceptance.admits_guests() {
        return Err(Refusal::conflict("该验收检查已结束，不能再发表意见").into());
    }
    let body = check_comment(text)?;
    acceptances::comment(store, &caller.who(), &a, &author, &body).await?;
    Ok(())
}

/// The acceptance `id` an inspection of `enterprise_id` by the caller's unit `unit_id` is the
/// record of: it must name that enterprise and unit and still wait for its record.
///
/// # Errors
/// As [`acceptance_for`]; invalid on `acceptance` for another enterprise or unit; conflict when
/// closed or recorded already.
pub(crate) async fn for_inspection(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    enterprise_id: i64,
    unit_id: i64,
) -> Result<AcceptanceRow, Error> {
    let a = acceptance_for(store, caller, id).await?;
    if a.enterprise_id != enterprise_id || a.unit_id != unit_id {
        return Err(Refusal::invalid("该验收检查不是本单位对该企业的验收")
            .on("acceptance")
            .into());
    }
    a.acceptance
        .clone()
        .record_inspection(a.acceptance.plan.planned_on)?;
    Ok(a)
}

/// The guests of an acceptance as they go on its inspection record (not revoked, in the order
/// invited).
///
/// # Errors
/// Store errors.
pub(crate) async fn guests_on_record(
    store: &Store,
    a: &AcceptanceRow,
) -> Result<Vec<Guest>, Error> {
    Ok(acceptances::guests(store, a.id)
        .await?
        .into_iter()
        .filter(|g| g.revoked_on.is_none())
        .filter_map(|g| {
            Some(Guest {
                kind: GuestKind::from_code(&g.kind)?,
                name: g.name,
                organisation: g.organisation,
            })
        })
        .collect())
}

/// What an officer found still violating at acceptance (issue #14 point 3): a violation of the
/// same article as an earlier decided case of the enterprise, or a correction order still not
/// corrected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ground {
    /// The earlier case (public id), decided.
    Case(String),
    /// The correction order (public id), past its time limit and not corrected.
    Order(String),
}

/// A case to open for a party still violating at acceptance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StillViolating {
    /// The violation (its article), punished at the statutory upper limit.
    pub violation: AtAcceptance,
    /// What shows it is still violating.
    pub ground: Ground,
    /// The provision applied: one of the violation's.
    pub provision: Provision,
    /// The person's name, for a provision on persons.
    pub person_name: String,
    /// The person's role in the unit.
    pub person_role: String,
    /// The facts found at acceptance.
    pub facts: String,
}

/// Opens the case (a draft of the officer's unit, which must hold the filing power) of a party
/// found still violating at the acceptance `id` on `today`: it records the violation and its
/// ground, so that the calculator decides at the statutory upper limit and never 不予处罚
/// ([`super::cases`]). Returns the case's public id.
///
/// # Errors
/// As [`invite`]; conflict before the inspection is on record; invalid on `provision` (not the
/// violation's), `ground` (another enterprise's, a case not decided or of another article, an
/// order corrected or not yet due) or the party's fields; forbidden without the filing power.
pub async fn still_violating(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    sv: &StillViolating,
    today: NaiveDate,
) -> Result<String, Error> {
    use safeduty_store::enforcement::cases::{CaseSource, NewCase};
    let a = lead(store, caller, id).await?;
    let Some(inspected_on) = a.acceptance.inspected_on else {
        return Err(Refusal::conflict("请先填写验收检查记录，再据以立案").into());
    };
    if !sv.violation.provisions().contains(&sv.provision) {
        let allowed: Vec<&str> = sv
            .violation
            .provisions()
            .iter()
            .map(|p| p.label())
            .collect();
        return Err(Refusal::invalid(format!(
            "验收时仍存在{}，应适用{}",
            sv.violation.label(),
            allowed.join("或")
        ))
        .on("provision")
        .into());
    }
    let ground = ground_words(store, &a, sv, today).await?;
    let unit = authority::acting_unit(store, caller, Power::FileCase).await?;
    let draft = CaseDraft {
        cause: format!("检查验收时仍存在违法行为（{}）", sv.violation.label()),
        facts: if sv.facts.trim().is_empty() {
            format!("{inspected_on}检查验收发现：{ground}")
        } else {
            sv.facts.clone()
        },
        provision: sv.provision,
        party: sv.provision.target(),
        person_name: sv.person_name.clone(),
        person_role: sv.person_role.clone(),
    }
    .check()?;
    let party_name = match draft.party {
        Party::Unit => a.enterprise_name.clone(),
        Party::Person => draft.person_name.clone(),
    };
    Ok(safeduty_store::enforcement::cases::draft(
        store,
        &caller.who(),
        &NewCase {
            unit_id: unit.id,
            enterprise_id: a.enterprise_id,
            source: CaseSource::Acceptance(a.id),
            cause: &draft.cause,
            facts: &draft.facts,
            provision: draft.provision.code(),
            party_kind: draft.party.code(),
            party_name: &party_name,
            party_role: &draft.person_role,
            at_acceptance: Some((sv.violation.code(), &ground)),
        },
    )
    .await?)
}

/// The ground of `sv` in words, checked against the acceptance's enterprise.
async fn ground_words(
    store: &Store,
    a: &AcceptanceRow,
    sv: &StillViolating,
    today: NaiveDate,
) -> Result<String, Error> {
    use safeduty_store::enforcement::{cases, orders};
    let refuse = |m: String| -> Error { Refusal::invalid(m).on("ground").into() };
    match &sv.ground {
        Ground::Case(pid) => {
            let c = match cases::get(store, pid).await {
                Ok(c) if c.summary.enterprise_id == a.enterprise_id => c,
                Ok(_) | Err(StoreError::NotFound) => {
                    return Err(refuse("所选前案不是该企业的案件".into()));
                }
                Err(e) => return Err(e.into()),
            };
            let Some(d) = c.case.as_ref().and_then(|x| x.decision.as_ref()) else {
                return Err(refuse("所选前案尚未作出处罚决定".into()));
            };
            if !sv.violation.repeats(d.provision) {
                return Err(refuse(format!(
                    "前案适用{}，与{}不是同一条款",
                    d.provision.label(),
                    sv.violation.label()
                )));
            }
            Ok(format!(
                "{}已作出处罚决定的前案（{}，{}）所涉违法行为仍然存在",
                d.decided_on,
                c.summary.cause,
                d.provision.label()
            ))
        }
        Ground::Order(pid) => {
            let o = match orders::get(store, pid).await {
                Ok(o) if o.enterprise_id == a.enterprise_id => o,
                Ok(_) | Err(StoreError::NotFound) => {
                    return Err(refuse("所选整改指令不是该企业的".into()));
                }
                Err(e) => return Err(e.into()),
            };
            if !not_corrected(&o, today) {
                return Err(refuse("所选整改指令已整改或尚未到期".into()));
            }
            Ok(format!(
                "{}下达、{}到期的整改指令仍未改正",
                o.issued_on, o.due_on
            ))
        }
    }
}

/// Which document of an acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptanceDocument {
    /// 检查验收表, dated the day inspected (once the inspection is on record).
    Checklist,
    /// 检查验收报告, dated the day closed (once closed).
    Report,
}

impl AcceptanceDocument {
    /// The code in addresses.
    pub fn from_code(code: &str) -> Option<AcceptanceDocument> {
        match code {
            "checklist" => Some(AcceptanceDocument::Checklist),
            "report" => Some(AcceptanceDocument::Report),
            _ => None,
        }
    }

    /// The title.
    pub fn label(self) -> &'static str {
        match self {
            AcceptanceDocument::Checklist => "检查验收表",
            AcceptanceDocument::Report => "检查验收报告",
        }
    }
}

/// The document `kind` of the acceptance `id` for a caller who may read it (its guests too),
/// issued by the inspecting unit.
///
/// # Errors
/// As [`acceptance_for`]; [`Error::NotFound`] for a checklist before the inspection is on
/// record or a report before the closing; a [`Refusal`] when the document cannot be made;
/// store errors.
pub async fn document(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    kind: AcceptanceDocument,
    today: NaiveDate,
) -> Result<(Vec<u8>, String), Error> {
    use safeduty_office::enforcement::{AcceptanceDoc, AcceptanceItem, Templates};
    let v = view(store, caller, id, today).await?;
    let a = &v.row.acceptance;
    let inspection = v.inspection.as_ref();
    let date = match kind {
        AcceptanceDocument::Checklist => a.inspected_on.ok_or(Error::NotFound)?,
        AcceptanceDocument::Report => a.closing.as_ref().ok_or(Error::NotFound)?.on,
    };
    let campaign = safeduty_store::campaigns::by_id(store, v.row.campaign_id).await?;
    let texts: std::collections::BTreeMap<u32, String> = campaign
        .template
        .all_items()
        .iter()
        .map(|i| (i.number, i.text.clone()))
        .collect();
    let e = safeduty_store::org::enterprise_by_id(store, v.row.enterprise_id).await?;
    let out = AcceptanceDoc {
        report: kind == AcceptanceDocument::Report,
        unit: v.row.unit_name.clone(),
        enterprise: v.row.enterprise_name.clone(),
        uscc: e.uscc,
        mode: a.plan.mode.label().to_string(),
        third_party: a.plan.third_party.clone(),
        inspected_on: a.inspected_on,
        officers: inspection.map_or_else(Vec::new, |i| {
            i.officers
                .iter()
                .map(|o| (o.name.clone(), o.certificate_number.clone()))
                .collect()
        }),
        guests: v
            .guests
            .iter()
            .map(|g| {
                let kind = GuestKind::from_code(&g.kind).map_or("受邀人员", GuestKind::label);
                if g.organisation.is_empty() {
                    format!("{}（{kind}）", g.name)
                } else {
                    format!("{}（{kind}，{}）", g.name, g.organisation)
                }
            })
            .collect(),
        items: inspection.map_or_else(Vec::new, |i| {
            i.items
                .iter()
                .map(|it| AcceptanceItem {
                    number: it.item_number,
                    text: texts.get(&it.item_number).cloned().unwrap_or_default(),
                    result: safeduty_core::self_inspection::Answer::from_code(&it.answer)
                        .map_or("", |x| x.label())
                        .to_string(),
                    note: it.note.clone(),
                })
                .collect()
        }),
        assessment: a.assessment.as_ref().and_then(|s| {
            s.adopted_on
                .map(|on| (s.text.clone(), s.conclusion.label().to_string(), on))
        }),
        conclusion: a
            .closing
            .as_ref()
            .map(|c| (c.conclusion.label().to_string(), c.opinion.clone())),
        date,
    }
    .generate(&Templates::shipped())
    .map_err(|e| Refusal::invalid(format!("文书生成失败：{e}")))?;
    Ok((
        out.bytes,
        format!("{}-{}.docx", kind.label(), v.row.enterprise_name),
    ))
}
