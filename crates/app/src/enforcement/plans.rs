//! Inspection plans with the random draw (双随机, issue #12 points 2–3): an officer of a unit
//! holding the inspect power drafts the unit's plan for the campaign (window, a count or a share
//! to draw), then draws it with a seed typed from a public source (a lottery result). The pool is
//! the enterprises of the unit's scope enrolled in the campaign; key enterprises and the
//! campaign's key industries are inspected in full; the others are drawn; every target gets an
//! officer pair from the unit's officers certified on the plan's first day (certificate numbers
//! are the draw's officer list). A drawn plan is never changed: another draw is another version.
//!
//! Reading: the unit's own officers, and the committee office and assessors of a region holding
//! the unit; an enterprise reads none (the public pages publish drawn plans: [`crate::publication`]). The draw
//! is exported as the JSON `safeduty inspect verify-draw` reads, and recomputed on request.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use safeduty_core::enforcement::draw::{self, Draw, List, Mismatch};
use safeduty_core::enforcement::officers::{Certificate, Officer};
use safeduty_core::enforcement::plan::{
    self, DrawOfficer, DrawSize, PlanInput, PlanStatus, PoolEnterprise,
};
use safeduty_core::enforcement::powers::Power;
use safeduty_core::policy::{Action, Denial, Role, Scope};
use safeduty_core::refusal::Refusal;
use safeduty_store::audit::Object;
use safeduty_store::enforcement::authority;
use safeduty_store::enforcement::plans::{
    self, DrawRecord, NewDraft, NewTarget, PlanRow, PoolRow, TargetRow, Whose,
};
use safeduty_store::{Store, StoreError};

use super::authority::{acting_unit, powers_of};
use crate::{Caller, Error, campaigns, guard};

/// A plan as an officer types it.
#[derive(Debug, Clone)]
pub struct PlanForm {
    /// First day of the window.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// How many of the pool to draw.
    pub size: DrawSize,
    /// Why another version is made (required once a plan was drawn).
    pub reason: String,
}

/// The plans the caller reads: an officer its unit's, the committee office and assessors every
/// unit's of their region; an enterprise none (403).
///
/// # Errors
/// The guard's denials; store errors.
pub async fn list(store: &Store, caller: &Caller<'_>) -> Result<Vec<PlanRow>, Error> {
    guard::require(store, caller, Action::ReadEnforcement, None).await?;
    let whose = match (caller.user.role, caller.user.unit_id, &caller.user.scope) {
        (Role::UnitOfficer, Some(unit), _) => Whose::Unit(unit),
        (Role::CommitteeOffice | Role::Assessor, _, Scope::RegionSubtree { region_path }) => {
            Whose::Region(region_path.clone())
        }
        _ => return Err(denied(store, caller, String::new(), Denial::Forbidden).await),
    };
    Ok(plans::list(store, &whose).await?)
}

async fn denied(store: &Store, caller: &Caller<'_>, id: String, denial: Denial) -> Error {
    guard::denied(
        store,
        caller,
        Action::ReadEnforcement,
        (Object::InspectionPlan.into(), id),
        denial,
    )
    .await
}

/// What the caller may start on the plans page: the unit's latest plan for the campaign it works
/// in and the default window (the enforcement phase), when the caller is an officer of a unit
/// holding the inspect power; `None` otherwise (no form shown).
///
/// # Errors
/// Store errors.
pub async fn planning(store: &Store, caller: &Caller<'_>) -> Result<Option<Planning>, Error> {
    if caller.user.role != Role::UnitOfficer {
        return Ok(None);
    }
    let Some(unit_id) = caller.user.unit_id else {
        return Ok(None);
    };
    let unit = match authority::unit(store, unit_id).await {
        Ok(u) => u,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if !powers_of(&unit).has(Power::Inspect) {
        return Ok(None);
    }
    let Ok(campaign) = campaigns::current(store, caller).await else {
        return Ok(None);
    };
    let window = plan::enforcement_window(&campaign.template);
    let latest = plans::latest(store, campaign.id, unit.id).await?;
    // Versions only grow once a plan is drawn (an open draft is changed, not versioned).
    let drawn_before = latest
        .as_ref()
        .is_some_and(|p| p.status == PlanStatus::Drawn || p.version > 1);
    Ok(Some(Planning {
        unit_name: unit.name,
        campaign_name: campaign.name,
        window,
        latest,
        drawn_before,
    }))
}

/// What the plans page offers an officer.
#[derive(Debug, Clone)]
pub struct Planning {
    /// The unit.
    pub unit_name: String,
    /// The campaign.
    pub campaign_name: String,
    /// The enforcement phase's window, the default of a new plan.
    pub window: Option<(NaiveDate, NaiveDate)>,
    /// The unit's latest plan for the campaign.
    pub latest: Option<PlanRow>,
    /// Whether a plan of the unit for the campaign was drawn already (another version needs a
    /// reason).
    pub drawn_before: bool,
}

/// Saves the caller's unit's draft plan for the campaign it works in: changes the open draft,
/// or makes the next version (with a reason once a plan was drawn). Answers its public id.
///
/// # Errors
/// The guard's denials; a [`Refusal`] naming the field (`ends_on`, `count`, `share`,
/// `reason`); [`Error::NotFound`] without a campaign; store errors.
pub async fn save(store: &Store, caller: &Caller<'_>, form: &PlanForm) -> Result<String, Error> {
    let unit = acting_unit(store, caller, Power::Inspect).await?;
    let campaign = campaigns::current(store, caller).await?;
    PlanInput {
        starts_on: form.starts_on,
        ends_on: form.ends_on,
        size: form.size,
    }
    .check()?;
    let reason = plan::check_reason(&form.reason, false)?;
    let new = NewDraft {
        campaign_id: campaign.id,
        unit_id: unit.id,
        starts_on: form.starts_on,
        ends_on: form.ends_on,
        size: form.size,
        reason: reason.clone(),
    };
    Ok(plans::save_draft(store, &caller.who(), &new, |drawn| {
        plan::check_reason(&reason, drawn.is_some()).map(|_| ())
    })
    .await?)
}

/// The plan with public id `id`, if the caller may take `action` on it: its unit's region in the
/// caller's scope, the role allowed, and for an officer only its own unit's plan. An unknown id
/// is answered (and recorded) like one outside the scope.
///
/// # Errors
/// [`Error::NotFound`], [`Error::Forbidden`], store errors.
pub async fn plan_for(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    action: Action,
) -> Result<PlanRow, Error> {
    let p = match plans::get(store, id).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => {
            guard::require(store, caller, action, Some(&guard::nowhere())).await?;
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    guard::require_in_region(store, caller, action, &p.unit_region_path).await?;
    if caller.user.role == Role::UnitOfficer && caller.user.unit_id != Some(p.unit_id) {
        return Err(denied(store, caller, p.public_id.clone(), Denial::NotFound).await);
    }
    Ok(p)
}

/// A plan with its draw and targets, or, for a draft, what a draw would use now.
#[derive(Debug, Clone)]
pub struct PlanView {
    /// The plan.
    pub plan: PlanRow,
    /// Its draw, once drawn.
    pub draw: Option<DrawRecord>,
    /// Its targets in draw order, once drawn.
    pub targets: Vec<TargetRow>,
    /// For a draft: the pool and officers as they stand.
    pub preview: Option<Preview>,
    /// Whether the caller may draw it or make another version (an officer of its unit holding
    /// the inspect power).
    pub can_act: bool,
}

/// What a draft would be drawn from if drawn now; the lists are fixed at the draw.
#[derive(Debug, Clone)]
pub struct Preview {
    /// Enterprises in the pool (the unit's scope, enrolled).
    pub candidates: usize,
    /// Of which inspected in full.
    pub mandatory: usize,
    /// The number the draw would draw from the rest (`Err`: why it cannot).
    pub k: Result<usize, String>,
    /// Officers certified on the first day (`Err`: why there is no pair).
    pub officers: Result<Vec<DrawOfficer>, String>,
    /// Digest of the candidate list now.
    pub candidates_digest: String,
    /// Digest of the mandatory list now.
    pub mandatory_digest: String,
}

/// The plan `id` as the plan page shows it.
///
/// # Errors
/// As [`plan_for`]; store errors.
pub async fn view(store: &Store, caller: &Caller<'_>, id: &str) -> Result<PlanView, Error> {
    let p = plan_for(store, caller, id, Action::ReadEnforcement).await?;
    let can_act = caller.user.role == Role::UnitOfficer
        && p.superseded_by.is_none()
        && powers_of(&authority::unit(store, p.unit_id).await?).has(Power::Inspect);
    let (draw, targets, preview) = match p.status {
        PlanStatus::Drawn => (
            plans::draw_record(store, p.id).await?,
            plans::targets(store, p.id).await?,
            None,
        ),
        PlanStatus::Draft => (None, Vec::new(), Some(preview(store, &p).await?)),
    };
    Ok(PlanView {
        plan: p,
        draw,
        targets,
        preview,
        can_act,
    })
}

/// The pool of plan `p`'s unit in its campaign.
async fn pool_of(store: &Store, p: &PlanRow) -> Result<(Vec<PoolRow>, Vec<String>), Error> {
    let unit = authority::unit(store, p.unit_id).await?;
    let scope = match unit.kind {
        safeduty_core::policy::UnitKind::IndustryDepartment => Scope::Department {
            unit_id: unit.id,
            region_path: unit.region_path.clone(),
        },
        _ => Scope::RegionSubtree {
            region_path: unit.region_path.clone(),
        },
    };
    let campaign = safeduty_store::campaigns::by_id(store, p.campaign_id).await?;
    let pool = plans::pool(store, p.campaign_id, &scope).await?;
    Ok((pool, campaign.template.target_industries.clone()))
}

fn pool_enterprises(pool: &[PoolRow]) -> Vec<PoolEnterprise> {
    pool.iter()
        .map(|e| PoolEnterprise {
            uscc: e.uscc.clone(),
            is_key: e.is_key,
            industry: e.industry.clone(),
        })
        .collect()
}

/// The unit's active officers with their certificates, for the draw.
async fn unit_officers(store: &Store, unit_id: i64) -> Result<Vec<Officer>, Error> {
    Ok(authority::officers_of_unit(store, unit_id)
        .await?
        .into_iter()
        .filter(|o| !o.disabled)
        .map(|o| Officer {
            user_id: o.user_id,
            name: o.name,
            certificate: o.certificate.map(|c| Certificate {
                number: c.number,
                valid_from: c.valid_from,
                valid_until: c.valid_until,
            }),
        })
        .collect())
}

async fn preview(store: &Store, p: &PlanRow) -> Result<Preview, Error> {
    let (pool, industries) = pool_of(store, p).await?;
    let enterprises = pool_enterprises(&pool);
    let candidates: Vec<String> = enterprises.iter().map(|e| e.uscc.clone()).collect();
    let mandatory: Vec<String> = enterprises
        .iter()
        .filter(|e| e.is_mandatory(&industries))
        .map(|e| e.uscc.clone())
        .collect();
    let canonical = |list, items: &[String]| {
        draw::canonical(list, items)
            .map(|c| draw::list_digest(&c))
            .unwrap_or_default()
    };
    let officers = unit_officers(store, p.unit_id).await?;
    Ok(Preview {
        candidates: candidates.len(),
        mandatory: mandatory.len(),
        k: p.size
            .k(candidates.len() - mandatory.len())
            .map(|k| k.min(candidates.len() - mandatory.len()))
            .map_err(|r| r.to_string()),
        officers: plan::draw_officers(&officers, p.starts_on).map_err(|r| r.to_string()),
        candidates_digest: canonical(List::Candidates, &candidates),
        mandatory_digest: canonical(List::Mandatory, &mandatory),
    })
}

/// Draws the draft plan `id` with `seed`: the pool and officers as they stand now, the draw of
/// `docs/draw.md`, recorded with its targets in one transaction (the unit's earlier drawn plan
/// for the campaign superseded).
///
/// # Errors
/// The guard's denials; a [`Refusal`] naming the field (`seed`; `officers` when fewer than two
/// are certified on the first day; `pool`); a conflict when it is drawn already; store errors.
pub async fn draw(store: &Store, caller: &Caller<'_>, id: &str, seed: &str) -> Result<(), Error> {
    let p = plan_for(store, caller, id, Action::Enforce).await?;
    acting_unit(store, caller, Power::Inspect).await?;
    if p.status == PlanStatus::Drawn {
        return Err(Refusal::conflict(
            "该检查计划已经抽取，抽取结果不能更改；如需重新抽取，请在检查计划列表中制定新版本",
        )
        .on("seed")
        .into());
    }
    let (pool, industries) = pool_of(store, &p).await?;
    let officers = plan::draw_officers(&unit_officers(store, p.unit_id).await?, p.starts_on)?;
    let request = plan::request(
        seed,
        &pool_enterprises(&pool),
        &industries,
        &officers,
        p.size,
    )?;
    let drawn = draw::draw(&request)?;
    let by_uscc: BTreeMap<&str, i64> = pool
        .iter()
        .map(|e| (e.uscc.as_str(), e.enterprise_id))
        .collect();
    let by_certificate: BTreeMap<&str, i64> = officers
        .iter()
        .map(|o| (o.certificate.as_str(), o.user_id))
        .collect();
    let targets = drawn
        .targets
        .iter()
        .map(|t| {
            let enterprise_id = *by_uscc
                .get(t.id.as_str())
                .ok_or_else(|| StoreError::Corrupt(format!("drawn id {:?}", t.id)))?;
            let user = |c: &String| {
                by_certificate
                    .get(c.as_str())
                    .copied()
                    .ok_or_else(|| StoreError::Corrupt(format!("drawn certificate {c:?}")))
            };
            Ok(NewTarget {
                enterprise_id,
                target: t.clone(),
                user_ids: [user(&t.officers[0])?, user(&t.officers[1])?],
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    plans::record_draw(store, &caller.who(), p.id, &drawn, &targets).await?;
    Ok(())
}

/// The recorded draw of plan `id` as the core's [`Draw`]: what is published and what
/// `safeduty inspect verify-draw` reads.
///
/// # Errors
/// As [`plan_for`]; a conflict for a plan not drawn yet; store errors.
pub async fn export(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
) -> Result<(PlanRow, Draw), Error> {
    let p = plan_for(store, caller, id, Action::ReadEnforcement).await?;
    let d = plans::recorded_draw(store, p.id)
        .await?
        .ok_or_else(|| Refusal::conflict("该检查计划尚未抽取"))?;
    Ok((p, d))
}

/// Recomputes the recorded draw of plan `id` from its stored seed and lists: `Ok(())` when it
/// gives the recorded targets and pairs, the first difference otherwise.
///
/// # Errors
/// As [`export`].
pub async fn verify(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
) -> Result<(PlanRow, Result<(), Mismatch>), Error> {
    let (p, d) = export(store, caller, id).await?;
    Ok((p, draw::verify(&d)))
}

/// The internal id of the plan target `target` (public id) for an inspection of enterprise
/// `enterprise_id` by the caller's unit: a target of the unit's plan in force, of that
/// enterprise, not fulfilled yet. For the inspection form's `target` (the store checks it again
/// in the inspection's transaction).
///
/// # Errors
/// [`Error::NotFound`] for an unknown target or one of another unit's plan; a [`Refusal`] on the
/// field `target` for another enterprise's, a superseded plan's or a fulfilled target; store
/// errors.
pub async fn target_for_inspection(
    store: &Store,
    caller: &Caller<'_>,
    target: &str,
    enterprise_id: i64,
) -> Result<i64, Error> {
    let t = match plans::target(store, target).await {
        Ok(t) => t,
        Err(StoreError::NotFound) => return Err(Error::NotFound),
        Err(e) => return Err(e.into()),
    };
    if caller.user.unit_id != Some(t.unit_id) {
        return Err(denied(store, caller, t.plan_public_id, Denial::NotFound).await);
    }
    let refuse = |m: &str| Err(Refusal::invalid(m).on("target").into());
    if t.enterprise_id != enterprise_id {
        return refuse("所选检查计划对象不是被检查的企业");
    }
    if t.superseded {
        return refuse("所选检查计划已被新版本取代，请按现行计划检查");
    }
    if t.fulfilled {
        return Err(Refusal::conflict("该检查计划对象已由另一次检查完成")
            .on("target")
            .into());
    }
    Ok(t.id)
}
