//! Inspection plans (检查计划) with their random draw (双随机, `docs/draw.md`): a unit's plan for
//! a campaign (window, how many to draw, draft or drawn), its draw recorded with everything
//! `safeduty_core::enforcement::draw::verify` needs, and its targets in draw order with the
//! officer pairs and the inspection that fulfilled each.
//!
//! A drawn plan is never changed (only the link of a target to its inspection is added): drawing
//! again makes a new version of the unit's plan, which supersedes the old one when it is drawn.

use chrono::NaiveDate;
use safeduty_core::enforcement::draw::{Draw, Share, Target};
use safeduty_core::enforcement::plan::{DrawSize, PlanStatus};
use safeduty_core::policy::Scope;
use safeduty_core::refusal::Refusal;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::date;
use crate::audit::{self, Entry, Event, Object, Who};
use crate::sql::Sql;
use crate::{Store, StoreError, Tx, new_public_id, now_text};

/// A plan as listed and shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlanRow {
    /// Internal id.
    #[serde(skip)]
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// Campaign.
    #[serde(skip)]
    pub campaign_id: i64,
    /// The unit whose plan it is.
    #[serde(skip)]
    pub unit_id: i64,
    /// The unit's name.
    pub unit_name: String,
    /// The unit's region path (for the committee office's scope).
    #[serde(skip)]
    pub unit_region_path: String,
    /// Version among the unit's plans for the campaign (1, 2, …).
    pub version: i64,
    /// First day of the window.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// How many of the pool to draw.
    pub size: DrawSize,
    /// Draft or drawn.
    pub status: PlanStatus,
    /// Why a later version was made (empty for the first).
    pub reason: String,
    /// The later version that superseded it once drawn (public id).
    pub superseded_by: Option<String>,
    /// Who made it (name shown).
    pub created_by: Option<String>,
    /// When it was made (UTC instant text).
    pub created_at: String,
    /// Number of targets (0 before the draw).
    pub targets: i64,
    /// Of which inspected in full.
    pub mandatory_targets: i64,
    /// Of which fulfilled by an inspection.
    pub fulfilled: i64,
}

/// A plan's draw as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DrawRecord {
    /// Algorithm name.
    pub algorithm: String,
    /// Algorithm version.
    pub algorithm_version: u32,
    /// The published seed.
    pub seed: String,
    /// Canonical candidate list.
    pub candidates: Vec<String>,
    /// Its digest.
    pub candidates_digest: String,
    /// Canonical officer list (certificate numbers).
    pub officers: Vec<String>,
    /// Its digest.
    pub officers_digest: String,
    /// Canonical list of the targets inspected in full.
    pub mandatory: Vec<String>,
    /// Its digest.
    pub mandatory_digest: String,
    /// Number asked to be drawn.
    pub k: usize,
    /// When (UTC instant text).
    pub drawn_at: String,
    /// By whom (name shown).
    pub drawn_by: Option<String>,
}

/// An officer of a target's pair.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PairOfficer {
    /// Account.
    pub user_id: i64,
    /// Name shown now.
    pub name: String,
    /// Certificate number as drawn.
    pub certificate: String,
}

/// A target of a drawn plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TargetRow {
    /// Internal id.
    #[serde(skip)]
    pub id: i64,
    /// Public id (the `target` of the inspection form).
    pub public_id: String,
    /// 1-based position in draw order.
    pub position: i64,
    /// Enterprise.
    #[serde(skip)]
    pub enterprise_id: i64,
    /// Its public id.
    pub enterprise_public_id: String,
    /// Its name.
    pub enterprise_name: String,
    /// The id it was drawn under (its USCC at the draw).
    pub draw_id: String,
    /// Inspected in full (not drawn).
    pub mandatory: bool,
    /// Target digest (hex).
    pub digest: String,
    /// The pair, in the order drawn.
    pub officers: [PairOfficer; 2],
    /// The inspection that fulfilled it: public id and day.
    pub inspection: Option<(String, NaiveDate)>,
}

/// A plan's window and size, typed by an officer (checked by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDraft {
    /// Campaign.
    pub campaign_id: i64,
    /// Unit.
    pub unit_id: i64,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// How many to draw.
    pub size: DrawSize,
    /// Why another version is made (required by the caller's check when one was drawn).
    pub reason: String,
}

/// A target to record: the enterprise, the id it was drawn under, and the pair's accounts with
/// their certificate numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTarget {
    /// Enterprise.
    pub enterprise_id: i64,
    /// The core target (id, mandatory, digest, certificate numbers).
    pub target: Target,
    /// The pair's accounts, in the target's order.
    pub user_ids: [i64; 2],
}

/// An enterprise of a plan's pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolRow {
    /// Internal id.
    pub enterprise_id: i64,
    /// USCC (the id it is drawn under).
    pub uscc: String,
    /// A key enterprise.
    pub is_key: bool,
    /// Its industry.
    pub industry: String,
}

/// The enterprises inside `scope` (a unit's) enrolled in the campaign, by USCC.
///
/// # Errors
/// Database errors.
pub async fn pool(
    store: &Store,
    campaign_id: i64,
    scope: &Scope,
) -> Result<Vec<PoolRow>, StoreError> {
    let mut sql = Sql::new(
        "SELECT e.id, e.uscc, e.is_key, e.industry FROM enterprises e \
         JOIN regions r ON r.id = e.region_id \
         JOIN enrolments n ON n.enterprise_id = e.id AND n.campaign_id = ",
    );
    sql.push_bind(campaign_id)
        .push(" WHERE ")
        .push_scope(scope)
        .push(" ORDER BY e.uscc");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            Ok(PoolRow {
                enterprise_id: r.try_get("id")?,
                uscc: r.try_get("uscc")?,
                is_key: r.try_get::<i64, _>("is_key")? != 0,
                industry: r.try_get("industry")?,
            })
        })
        .collect()
}

fn size_columns(size: DrawSize) -> (Option<i64>, Option<i64>) {
    match size {
        DrawSize::Count(n) => (Some(i64::from(n)), None),
        DrawSize::Share(s) => (None, Some(i64::try_from(s.per_mille()).unwrap_or(i64::MAX))),
    }
}

fn size_from(count: Option<i64>, per_mille: Option<i64>) -> Result<DrawSize, StoreError> {
    let bad = || StoreError::Corrupt("plan size".into());
    match (count, per_mille) {
        (Some(n), None) => Ok(DrawSize::Count(u32::try_from(n).map_err(|_| bad())?)),
        (None, Some(m)) => Ok(DrawSize::Share(Share::PerMille(
            u32::try_from(m).map_err(|_| bad())?,
        ))),
        _ => Err(bad()),
    }
}

const PLAN_SELECT: &str = "SELECT p.id, p.public_id, p.campaign_id, p.unit_id, u.name AS unit_name, \
    r.path AS unit_region_path, p.version, p.starts_on, p.ends_on, p.draw_count, p.draw_per_mille, \
    p.status, p.reason, s.public_id AS superseded_by, cu.display_name AS created_by, p.created_at, \
    (SELECT COUNT(*) FROM plan_targets t WHERE t.plan_id = p.id) AS targets, \
    (SELECT COUNT(*) FROM plan_targets t WHERE t.plan_id = p.id AND t.mandatory = 1) AS mandatory_targets, \
    (SELECT COUNT(*) FROM plan_targets t WHERE t.plan_id = p.id AND t.inspection_id IS NOT NULL) AS fulfilled \
    FROM inspection_plans p JOIN units u ON u.id = p.unit_id JOIN regions r ON r.id = u.region_id \
    LEFT JOIN inspection_plans s ON s.id = p.superseded_by LEFT JOIN users cu ON cu.id = p.created_by";

fn plan_from_row(r: &AnyRow) -> Result<PlanRow, StoreError> {
    let status: String = r.try_get("status")?;
    Ok(PlanRow {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        campaign_id: r.try_get("campaign_id")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        unit_region_path: r.try_get("unit_region_path")?,
        version: r.try_get("version")?,
        starts_on: date(r, "starts_on")?,
        ends_on: date(r, "ends_on")?,
        size: size_from(r.try_get("draw_count")?, r.try_get("draw_per_mille")?)?,
        status: PlanStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("plan status {status:?}")))?,
        reason: r.try_get("reason")?,
        superseded_by: r.try_get("superseded_by")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        targets: r.try_get("targets")?,
        mandatory_targets: r.try_get("mandatory_targets")?,
        fulfilled: r.try_get("fulfilled")?,
    })
}

/// Which plans to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whose {
    /// One unit's (its officers).
    Unit(i64),
    /// Every unit's in the region subtree of this path (committee office, assessor).
    Region(String),
}

/// Plans, the newest campaign first, then by unit and newest version first.
///
/// # Errors
/// Database errors.
pub async fn list(store: &Store, whose: &Whose) -> Result<Vec<PlanRow>, StoreError> {
    let mut sql = Sql::new(PLAN_SELECT);
    sql.push(" WHERE ");
    match whose {
        Whose::Unit(u) => {
            sql.push("p.unit_id = ").push_bind(*u);
        }
        Whose::Region(path) => {
            sql.push_path_prefix("r.path", path.as_str());
        }
    }
    sql.push(" ORDER BY p.campaign_id DESC, u.name, u.id, p.version DESC");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter().map(plan_from_row).collect()
}

/// The plan with public id `public_id`, whatever the scope (the caller checks it).
///
/// # Errors
/// [`StoreError::NotFound`]; database errors.
pub async fn get(store: &Store, public_id: &str) -> Result<PlanRow, StoreError> {
    if !crate::is_public_id(public_id) {
        return Err(StoreError::NotFound);
    }
    let mut sql = Sql::new(PLAN_SELECT);
    sql.push(" WHERE p.public_id = ").push_bind(public_id);
    let r = sql
        .query()
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    plan_from_row(&r)
}

/// The unit's latest plan for the campaign (the highest version), if any.
///
/// # Errors
/// Database errors.
pub async fn latest(
    store: &Store,
    campaign_id: i64,
    unit_id: i64,
) -> Result<Option<PlanRow>, StoreError> {
    let mut sql = Sql::new(PLAN_SELECT);
    sql.push(" WHERE p.campaign_id = ")
        .push_bind(campaign_id)
        .push(" AND p.unit_id = ")
        .push_bind(unit_id)
        .push(" ORDER BY p.version DESC LIMIT 1");
    let r = sql.query().fetch_optional(store.reader()).await?;
    r.as_ref().map(plan_from_row).transpose()
}

/// Saves the unit's draft plan for the campaign: changes the open draft if there is one, else
/// makes the next version. `check` is given, inside the transaction, the version of the unit's
/// latest drawn plan for the campaign (`None`: none drawn), and may refuse (a later version needs
/// a reason). Audited with before and after. Answers the draft's public id.
///
/// # Errors
/// [`StoreError::Refused`] from `check` (nothing written); [`StoreError::Conflict`] when another
/// version was made at the same moment; database errors.
pub async fn save_draft(
    store: &Store,
    who: &Who,
    new: &NewDraft,
    check: impl FnOnce(Option<i64>) -> Result<(), Refusal>,
) -> Result<String, StoreError> {
    let mut tx = store.write().await?;
    let drawn: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(version) FROM inspection_plans WHERE campaign_id = $1 AND unit_id = $2 \
         AND status = 'drawn'",
    )
    .bind(new.campaign_id)
    .bind(new.unit_id)
    .fetch_one(&mut *tx)
    .await?;
    check(drawn)?;
    let open = sqlx::query(
        "SELECT id, public_id, version, starts_on, ends_on, draw_count, draw_per_mille, reason \
         FROM inspection_plans WHERE campaign_id = $1 AND unit_id = $2 AND status = 'draft'",
    )
    .bind(new.campaign_id)
    .bind(new.unit_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (count, per_mille) = size_columns(new.size);
    let now = now_text();
    let after = serde_json::json!({
        "campaign_id": new.campaign_id,
        "unit_id": new.unit_id,
        "starts_on": new.starts_on.to_string(),
        "ends_on": new.ends_on.to_string(),
        "size": new.size,
        "reason": new.reason,
    });
    let (public_id, before, version) = if let Some(r) = open {
        let id: i64 = r.try_get("id")?;
        let before = serde_json::json!({
            "starts_on": r.try_get::<String, _>("starts_on")?,
            "ends_on": r.try_get::<String, _>("ends_on")?,
            "size": size_from(r.try_get("draw_count")?, r.try_get("draw_per_mille")?)?,
            "reason": r.try_get::<String, _>("reason")?,
        });
        sqlx::query(
            "UPDATE inspection_plans SET starts_on = $1, ends_on = $2, draw_count = $3, \
             draw_per_mille = $4, reason = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(new.starts_on.to_string())
        .bind(new.ends_on.to_string())
        .bind(count)
        .bind(per_mille)
        .bind(&new.reason)
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        (
            r.try_get::<String, _>("public_id")?,
            Some(before),
            r.try_get::<i64, _>("version")?,
        )
    } else {
        let version: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM inspection_plans \
             WHERE campaign_id = $1 AND unit_id = $2",
        )
        .bind(new.campaign_id)
        .bind(new.unit_id)
        .fetch_one(&mut *tx)
        .await?;
        let public_id = new_public_id();
        sqlx::query(
            "INSERT INTO inspection_plans (public_id, campaign_id, unit_id, version, starts_on, \
             ends_on, draw_count, draw_per_mille, status, reason, created_by, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10, $11, $11)",
        )
        .bind(&public_id)
        .bind(new.campaign_id)
        .bind(new.unit_id)
        .bind(version)
        .bind(new.starts_on.to_string())
        .bind(new.ends_on.to_string())
        .bind(count)
        .bind(per_mille)
        .bind(&new.reason)
        .bind(who.user_id)
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::from_write(e, "本单位的检查计划刚被他人修改，请刷新后重试"))?;
        (public_id, None, version)
    };
    let mut after = after;
    after["version"] = serde_json::json!(version);
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::InspectionPlanSaved,
            target_kind: Object::InspectionPlan.into(),
            target_id: public_id.clone(),
            before,
            after: Some(after),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// Records the draw of the draft plan `plan_id`: the draw with its canonical lists and digests,
/// the targets in draw order, the plan drawn; the unit's earlier drawn plan for the campaign is
/// superseded by it. One transaction, audited.
///
/// # Errors
/// [`StoreError::Conflict`] when the plan is no longer a draft (drawn meanwhile); database
/// errors.
pub async fn record_draw(
    store: &Store,
    who: &Who,
    plan_id: i64,
    draw: &Draw,
    targets: &[NewTarget],
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let now = now_text();
    let plan = sqlx::query(
        "UPDATE inspection_plans SET status = 'drawn', updated_at = $1 \
         WHERE id = $2 AND status = 'draft' RETURNING public_id, campaign_id, unit_id",
    )
    .bind(&now)
    .bind(plan_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| StoreError::Conflict("该检查计划已抽取，抽取结果不能更改".into()))?;
    let public_id: String = plan.try_get("public_id")?;
    let campaign_id: i64 = plan.try_get("campaign_id")?;
    let unit_id: i64 = plan.try_get("unit_id")?;
    sqlx::query(
        "INSERT INTO plan_draws (plan_id, algorithm, algorithm_version, seed, candidates, \
         candidates_digest, officers, officers_digest, mandatory, mandatory_digest, k, drawn_at, \
         drawn_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12, $12)",
    )
    .bind(plan_id)
    .bind(&draw.algorithm)
    .bind(i64::from(draw.version))
    .bind(&draw.seed)
    .bind(draw.candidates.join("\n"))
    .bind(&draw.candidates_digest)
    .bind(draw.officers.join("\n"))
    .bind(&draw.officers_digest)
    .bind(draw.mandatory.join("\n"))
    .bind(&draw.mandatory_digest)
    .bind(i64::try_from(draw.k).unwrap_or(i64::MAX))
    .bind(&now)
    .bind(who.user_id)
    .execute(&mut *tx)
    .await?;
    for (k, t) in targets.iter().enumerate() {
        sqlx::query(
            "INSERT INTO plan_targets (public_id, plan_id, position, enterprise_id, draw_id, \
             mandatory, digest, officer1_user_id, officer1_certificate, officer2_user_id, \
             officer2_certificate, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
        )
        .bind(new_public_id())
        .bind(plan_id)
        .bind(i64::try_from(k + 1).unwrap_or(i64::MAX))
        .bind(t.enterprise_id)
        .bind(&t.target.id)
        .bind(i64::from(t.target.mandatory))
        .bind(&t.target.digest)
        .bind(t.user_ids[0])
        .bind(&t.target.officers[0])
        .bind(t.user_ids[1])
        .bind(&t.target.officers[1])
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    let superseded: Vec<String> = sqlx::query_scalar(
        "UPDATE inspection_plans SET superseded_by = $1, updated_at = $2 \
         WHERE campaign_id = $3 AND unit_id = $4 AND status = 'drawn' AND id <> $1 \
         AND superseded_by IS NULL RETURNING public_id",
    )
    .bind(plan_id)
    .bind(&now)
    .bind(campaign_id)
    .bind(unit_id)
    .fetch_all(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::InspectionPlanDrawn,
            target_kind: Object::InspectionPlan.into(),
            target_id: public_id,
            before: None,
            after: Some(serde_json::json!({
                "algorithm": draw.algorithm,
                "version": draw.version,
                "seed": draw.seed,
                "candidates": draw.candidates.len(),
                "candidates_digest": draw.candidates_digest,
                "officers_digest": draw.officers_digest,
                "mandatory": draw.mandatory.len(),
                "mandatory_digest": draw.mandatory_digest,
                "k": draw.k,
                "targets": draw.targets.iter().map(|t| &t.id).collect::<Vec<_>>(),
                "supersedes": superseded,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn list_of(encoded: &str) -> Vec<String> {
    if encoded.is_empty() {
        Vec::new()
    } else {
        encoded.split('\n').map(str::to_string).collect()
    }
}

/// The draw of plan `plan_id`, `None` before it is drawn.
///
/// # Errors
/// Database errors; [`StoreError::Corrupt`] for unreadable numbers.
pub async fn draw_record(store: &Store, plan_id: i64) -> Result<Option<DrawRecord>, StoreError> {
    let r = sqlx::query(
        "SELECT d.algorithm, d.algorithm_version, d.seed, d.candidates, d.candidates_digest, \
         d.officers, d.officers_digest, d.mandatory, d.mandatory_digest, d.k, d.drawn_at, \
         u.display_name FROM plan_draws d LEFT JOIN users u ON u.id = d.drawn_by \
         WHERE d.plan_id = $1",
    )
    .bind(plan_id)
    .fetch_optional(store.reader())
    .await?;
    r.map(|r| {
        Ok(DrawRecord {
            algorithm: r.try_get("algorithm")?,
            algorithm_version: u32::try_from(r.try_get::<i64, _>("algorithm_version")?)
                .map_err(|_| StoreError::Corrupt("algorithm_version".into()))?,
            seed: r.try_get("seed")?,
            candidates: list_of(&r.try_get::<String, _>("candidates")?),
            candidates_digest: r.try_get("candidates_digest")?,
            officers: list_of(&r.try_get::<String, _>("officers")?),
            officers_digest: r.try_get("officers_digest")?,
            mandatory: list_of(&r.try_get::<String, _>("mandatory")?),
            mandatory_digest: r.try_get("mandatory_digest")?,
            k: usize::try_from(r.try_get::<i64, _>("k")?)
                .map_err(|_| StoreError::Corrupt("k".into()))?,
            drawn_at: r.try_get("drawn_at")?,
            drawn_by: r.try_get("display_name")?,
        })
    })
    .transpose()
}

/// The targets of plan `plan_id`, in draw order.
///
/// # Errors
/// Database errors.
pub async fn targets(store: &Store, plan_id: i64) -> Result<Vec<TargetRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT t.id, t.public_id, t.position, t.enterprise_id, e.public_id AS enterprise_public_id, \
         e.name AS enterprise_name, t.draw_id, t.mandatory, t.digest, \
         t.officer1_user_id, o1.display_name AS officer1_name, t.officer1_certificate, \
         t.officer2_user_id, o2.display_name AS officer2_name, t.officer2_certificate, \
         i.public_id AS inspection_public_id, i.inspected_on \
         FROM plan_targets t JOIN enterprises e ON e.id = t.enterprise_id \
         JOIN users o1 ON o1.id = t.officer1_user_id JOIN users o2 ON o2.id = t.officer2_user_id \
         LEFT JOIN inspections i ON i.id = t.inspection_id \
         WHERE t.plan_id = $1 ORDER BY t.position",
    )
    .bind(plan_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            let inspection: Option<String> = r.try_get("inspection_public_id")?;
            Ok(TargetRow {
                id: r.try_get("id")?,
                public_id: r.try_get("public_id")?,
                position: r.try_get("position")?,
                enterprise_id: r.try_get("enterprise_id")?,
                enterprise_public_id: r.try_get("enterprise_public_id")?,
                enterprise_name: r.try_get("enterprise_name")?,
                draw_id: r.try_get("draw_id")?,
                mandatory: r.try_get::<i64, _>("mandatory")? != 0,
                digest: r.try_get("digest")?,
                officers: [
                    PairOfficer {
                        user_id: r.try_get("officer1_user_id")?,
                        name: r.try_get("officer1_name")?,
                        certificate: r.try_get("officer1_certificate")?,
                    },
                    PairOfficer {
                        user_id: r.try_get("officer2_user_id")?,
                        name: r.try_get("officer2_name")?,
                        certificate: r.try_get("officer2_certificate")?,
                    },
                ],
                inspection: match inspection {
                    Some(p) => Some((p, date(r, "inspected_on")?)),
                    None => None,
                },
            })
        })
        .collect()
}

/// The draw of plan `plan_id` as the core records it (and publishes it), rebuilt from what is
/// stored: the record's fields and the targets in draw order. `None` before it is drawn.
///
/// # Errors
/// Database errors.
pub async fn recorded_draw(store: &Store, plan_id: i64) -> Result<Option<Draw>, StoreError> {
    let Some(d) = draw_record(store, plan_id).await? else {
        return Ok(None);
    };
    let targets = targets(store, plan_id)
        .await?
        .into_iter()
        .map(|t| Target {
            id: t.draw_id,
            mandatory: t.mandatory,
            digest: t.digest,
            officers: t.officers.map(|o| o.certificate),
        })
        .collect();
    Ok(Some(Draw {
        algorithm: d.algorithm,
        version: d.algorithm_version,
        seed: d.seed,
        candidates: d.candidates,
        candidates_digest: d.candidates_digest,
        officers: d.officers,
        officers_digest: d.officers_digest,
        mandatory: d.mandatory,
        mandatory_digest: d.mandatory_digest,
        k: d.k,
        targets,
    }))
}

/// A target with what decides whether an inspection may fulfil it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetInfo {
    /// Internal id (the inspection's `plan_target_id`).
    pub id: i64,
    /// The plan's public id.
    pub plan_public_id: String,
    /// The plan's unit.
    pub unit_id: i64,
    /// The enterprise.
    pub enterprise_id: i64,
    /// Whether the plan is superseded by a later version.
    pub superseded: bool,
    /// Whether an inspection fulfilled it already.
    pub fulfilled: bool,
}

/// The target with public id `public_id`, whatever the scope (the caller checks it).
///
/// # Errors
/// [`StoreError::NotFound`]; database errors.
pub async fn target(store: &Store, public_id: &str) -> Result<TargetInfo, StoreError> {
    if !crate::is_public_id(public_id) {
        return Err(StoreError::NotFound);
    }
    let r = sqlx::query(
        "SELECT t.id, p.public_id, p.unit_id, t.enterprise_id, p.superseded_by, t.inspection_id \
         FROM plan_targets t JOIN inspection_plans p ON p.id = t.plan_id WHERE t.public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(TargetInfo {
        id: r.try_get("id")?,
        plan_public_id: r.try_get("public_id")?,
        unit_id: r.try_get("unit_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        superseded: r.try_get::<Option<i64>, _>("superseded_by")?.is_some(),
        fulfilled: r.try_get::<Option<i64>, _>("inspection_id")?.is_some(),
    })
}

/// Links the target `target_id` to the inspection `inspection_id` that fulfils it, inside the
/// inspection's transaction; audited. The target must be of the inspecting unit's plan in force
/// (drawn, not superseded), of the inspected enterprise, and not fulfilled yet.
///
/// # Errors
/// [`StoreError::Refused`] (conflict, field `target`) otherwise; database errors.
pub(crate) async fn fulfil(
    tx: &mut Tx,
    who: &Who,
    target_id: i64,
    inspection: (i64, &str),
    unit_id: i64,
    enterprise_id: i64,
) -> Result<(), StoreError> {
    let target: Option<String> = sqlx::query_scalar(
        "UPDATE plan_targets SET inspection_id = $1, updated_at = $2 \
         WHERE id = $3 AND inspection_id IS NULL AND enterprise_id = $4 AND plan_id IN \
         (SELECT id FROM inspection_plans WHERE unit_id = $5 AND status = 'drawn' \
          AND superseded_by IS NULL) RETURNING public_id",
    )
    .bind(inspection.0)
    .bind(now_text())
    .bind(target_id)
    .bind(enterprise_id)
    .bind(unit_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(target) = target else {
        return Err(Refusal::conflict(
            "检查计划对象不是本单位现行计划中该企业的对象，或已由另一次检查完成",
        )
        .on("target")
        .into());
    };
    audit::record(
        tx,
        Entry {
            who,
            event: Event::PlanTargetFulfilled,
            target_kind: Object::PlanTarget.into(),
            target_id: target,
            before: None,
            after: Some(serde_json::json!({ "inspection": inspection.1 })),
            result: "ok",
        },
    )
    .await
}

/// Drafts and draws the plan of `unit_id` for the demo, dated as the demo's: the use case's steps
/// (the unit's enrolled enterprises, key enterprises and key industries in full, officers
/// certified on the first day, `docs/draw.md`) without its policy. Answers the plan's id.
///
/// # Errors
/// [`StoreError::Refused`] when the unit cannot draw (fewer than two certified officers, no
/// pool); store errors.
pub(crate) async fn seed_demo(
    store: &Store,
    who: &Who,
    campaign: &crate::campaigns::Campaign,
    unit_id: i64,
    window: (NaiveDate, NaiveDate),
    size: DrawSize,
    seed: &str,
) -> Result<i64, StoreError> {
    use safeduty_core::enforcement::officers::{Certificate, Officer};
    use safeduty_core::enforcement::plan;
    let unit = super::authority::unit(store, unit_id).await?;
    let scope = match unit.kind {
        safeduty_core::policy::UnitKind::IndustryDepartment => Scope::Department {
            unit_id,
            region_path: unit.region_path.clone(),
        },
        _ => Scope::RegionSubtree {
            region_path: unit.region_path.clone(),
        },
    };
    let public_id = save_draft(
        store,
        who,
        &NewDraft {
            campaign_id: campaign.id,
            unit_id,
            starts_on: window.0,
            ends_on: window.1,
            size,
            reason: String::new(),
        },
        |_| Ok(()),
    )
    .await?;
    let plan_id = get(store, &public_id).await?.id;
    let pool = pool(store, campaign.id, &scope).await?;
    let officers: Vec<Officer> = super::authority::officers_of_unit(store, unit_id)
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
        .collect();
    let officers = plan::draw_officers(&officers, window.0)?;
    let enterprises: Vec<plan::PoolEnterprise> = pool
        .iter()
        .map(|e| plan::PoolEnterprise {
            uscc: e.uscc.clone(),
            is_key: e.is_key,
            industry: e.industry.clone(),
        })
        .collect();
    let request = plan::request(
        seed,
        &enterprises,
        &campaign.template.target_industries,
        &officers,
        size,
    )?;
    let drawn = safeduty_core::enforcement::draw::draw(&request)?;
    let user_of = |c: &String| {
        officers
            .iter()
            .find(|o| &o.certificate == c)
            .map(|o| o.user_id)
            .ok_or_else(|| StoreError::Corrupt(format!("drawn certificate {c:?}")))
    };
    let targets = drawn
        .targets
        .iter()
        .map(|t| {
            let enterprise_id = pool
                .iter()
                .find(|e| e.uscc == t.id)
                .map(|e| e.enterprise_id)
                .ok_or_else(|| StoreError::Corrupt(format!("drawn id {:?}", t.id)))?;
            Ok(NewTarget {
                enterprise_id,
                target: t.clone(),
                user_ids: [user_of(&t.officers[0])?, user_of(&t.officers[1])?],
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    record_draw(store, who, plan_id, &drawn, &targets).await?;
    Ok(plan_id)
}
