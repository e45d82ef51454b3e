//! What the public pages publish of the random draw (一公开, issue #12 point 2): the drawn plans
//! with their draw, and for each target the outcome of its inspection once that is published.
//! Read models only, holding nothing that is not published: no certificate number, no account,
//! no address or phone, no draft plan, no unsettled outcome.
//!
//! **A draw is published** when its plan is drawn ([`PUBLISHED_PLAN`]): a drawn plan is never
//! changed, so what is published stays true. A plan superseded by a later version stays
//! published, marked with the version that superseded it: withdrawing a draw from the public
//! once a later one is made would let a unit redraw unseen until it liked the result.
//!
//! **An outcome is published** as [`Outcome::of`] says (nothing found, or the correction order
//! issued), for the inspection that fulfilled a target of a published draw.

use chrono::NaiveDate;
use safeduty_core::enforcement::order::OrderStatus;
use safeduty_core::enforcement::publication::Outcome;
use safeduty_core::self_inspection::Answer;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{date, opt_date};
use crate::sql::Sql;
use crate::{Store, StoreError};

/// The condition on the plan `p` that makes its draw published: drawn. The one place the rule is
/// written — the setting of how long an entry stays published (issue #13) adds its date
/// condition here.
pub const PUBLISHED_PLAN: &str = "p.status = 'drawn'";

/// Draws listed on one page of the index.
pub const PAGE_SIZE: i64 = 50;

/// A list a draw was computed from, as published: how many items and the digest, never the
/// items.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListDigest {
    /// Number of items.
    pub count: i64,
    /// Lowercase hex SHA-256 of the list's encoding (`docs/draw.md`).
    pub sha256: String,
}

/// A published draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedDraw {
    /// The plan's public id.
    pub public_id: String,
    /// The unit whose plan it is.
    pub unit_name: String,
    /// The campaign.
    pub campaign_name: String,
    /// Version among the unit's plans for the campaign.
    pub version: i64,
    /// First day of the plan's window.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Algorithm name.
    pub algorithm: String,
    /// Algorithm version.
    pub algorithm_version: i64,
    /// The published seed.
    pub seed: String,
    /// The candidates (enterprise ids).
    pub candidates: ListDigest,
    /// The targets inspected in full.
    pub mandatory: ListDigest,
    /// The officers (certificate numbers: only their count and digest are published).
    pub officers: ListDigest,
    /// Number asked to be drawn from the pool.
    pub k: i64,
    /// When it was drawn (UTC instant text).
    pub drawn_at: String,
    /// Number of targets.
    pub targets: i64,
    /// The version of the unit's plan that superseded it, if one did.
    pub superseded_by_version: Option<i64>,
}

/// A target of a published draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedTarget {
    /// 1-based position in draw order.
    pub position: i64,
    /// The enterprise's name.
    pub enterprise_name: String,
    /// Inspected in full (a key enterprise or industry), not drawn.
    pub mandatory: bool,
    /// Its ordering digest (lowercase hex), as `docs/draw.md` computes it.
    pub digest: String,
    /// The outcome of its inspection, once published.
    pub outcome: Option<PublishedOutcome>,
}

/// The published outcome of a target's inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedOutcome {
    /// Day inspected.
    pub inspected_on: NaiveDate,
    /// The outcome.
    pub outcome: Outcome,
    /// The inspecting officers' names as on the record (never their certificate numbers).
    pub officers: Vec<String>,
}

/// A published draw's columns, less the counts of its lists.
const DRAW_COLUMNS: &str = "p.id, p.public_id, u.name AS unit_name, c.name AS campaign_name, \
    p.version, p.starts_on, p.ends_on, d.algorithm, d.algorithm_version, d.seed, \
    d.candidates_digest, d.mandatory_digest, d.officers_digest, d.k, d.drawn_at, \
    (SELECT COUNT(*) FROM plan_targets t WHERE t.plan_id = p.id) AS targets, \
    s.version AS superseded_by_version";

/// The plan `p` with its draw `d`, unit, campaign and superseding plan `s`.
const DRAW_FROM: &str = " FROM inspection_plans p JOIN plan_draws d ON d.plan_id = p.id \
    JOIN units u ON u.id = p.unit_id JOIN campaigns c ON c.id = p.campaign_id \
    LEFT JOIN inspection_plans s ON s.id = p.superseded_by WHERE ";

/// The published draws, to be narrowed and ordered by the caller. A list's items are counted
/// without reading it (line feeds in its encoding, plus one).
fn draw_select() -> Sql {
    let mut sql = Sql::new("SELECT ");
    let lf = sql.bind("\n");
    let count = |list: &str| {
        format!(
            "CAST(CASE WHEN d.{list} = '' THEN 0 ELSE LENGTH(d.{list}) - \
             LENGTH(REPLACE(d.{list}, {lf}, '')) + 1 END AS BIGINT) AS {list}_count"
        )
    };
    sql.push(&format!(
        "{DRAW_COLUMNS}, {}, {}, {}{DRAW_FROM}{PUBLISHED_PLAN}",
        count("candidates"),
        count("mandatory"),
        count("officers")
    ));
    sql
}

fn draw_from_row(r: &AnyRow) -> Result<PublishedDraw, StoreError> {
    let list = |count: &str, digest: &str| -> Result<ListDigest, StoreError> {
        Ok(ListDigest {
            count: r.try_get(count)?,
            sha256: r.try_get(digest)?,
        })
    };
    Ok(PublishedDraw {
        public_id: r.try_get("public_id")?,
        unit_name: r.try_get("unit_name")?,
        campaign_name: r.try_get("campaign_name")?,
        version: r.try_get("version")?,
        starts_on: date(r, "starts_on")?,
        ends_on: date(r, "ends_on")?,
        algorithm: r.try_get("algorithm")?,
        algorithm_version: r.try_get("algorithm_version")?,
        seed: r.try_get("seed")?,
        candidates: list("candidates_count", "candidates_digest")?,
        mandatory: list("mandatory_count", "mandatory_digest")?,
        officers: list("officers_count", "officers_digest")?,
        k: r.try_get("k")?,
        drawn_at: r.try_get("drawn_at")?,
        targets: r.try_get("targets")?,
        superseded_by_version: r.try_get("superseded_by_version")?,
    })
}

/// Page `page` (from 1) of the published draws, newest draw first, at most [`PAGE_SIZE`]; and
/// whether a later page has more.
///
/// # Errors
/// Database errors.
pub async fn draws(store: &Store, page: u32) -> Result<(Vec<PublishedDraw>, bool), StoreError> {
    let mut sql = draw_select();
    sql.push(" ORDER BY d.drawn_at DESC, p.id DESC LIMIT ")
        .push_bind(PAGE_SIZE + 1)
        .push(" OFFSET ")
        .push_bind(i64::from(page.max(1) - 1) * PAGE_SIZE);
    let rows = sql.query().fetch_all(store.reader()).await?;
    let more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > PAGE_SIZE;
    let draws = rows
        .iter()
        .take(usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX))
        .map(draw_from_row)
        .collect::<Result<_, _>>()?;
    Ok((draws, more))
}

/// The published draw of the plan `public_id` with its targets in draw order, each with its
/// outcome once published.
///
/// # Errors
/// [`StoreError::NotFound`] when no such plan is published; database errors.
pub async fn draw(
    store: &Store,
    public_id: &str,
) -> Result<(PublishedDraw, Vec<PublishedTarget>), StoreError> {
    if !crate::is_public_id(public_id) {
        return Err(StoreError::NotFound);
    }
    let mut sql = draw_select();
    sql.push(" AND p.public_id = ").push_bind(public_id);
    let row = sql
        .query()
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    let plan_id: i64 = row.try_get("id")?;
    let draw = draw_from_row(&row)?;
    let rows = sqlx::query(
        "SELECT t.position, e.name AS enterprise_name, t.mandatory, t.digest, i.inspected_on, \
         (SELECT COUNT(*) FROM inspection_items it WHERE it.inspection_id = i.id \
          AND it.answer = $2) AS problems, o.status AS order_status \
         FROM plan_targets t JOIN enterprises e ON e.id = t.enterprise_id \
         LEFT JOIN inspections i ON i.id = t.inspection_id \
         LEFT JOIN correction_orders o ON o.inspection_id = i.id \
         WHERE t.plan_id = $1 ORDER BY t.position",
    )
    .bind(plan_id)
    .bind(Answer::NonConform.code())
    .fetch_all(store.reader())
    .await?;
    let mut officers = officers_by_position(store, plan_id).await?;
    let targets = rows
        .iter()
        .map(|r| {
            let position: i64 = r.try_get("position")?;
            let outcome = match opt_date(r, "inspected_on")? {
                Some(inspected_on) => outcome(r)?.map(|outcome| PublishedOutcome {
                    inspected_on,
                    outcome,
                    officers: officers.remove(&position).unwrap_or_default(),
                }),
                None => None,
            };
            Ok(PublishedTarget {
                position,
                enterprise_name: r.try_get("enterprise_name")?,
                mandatory: r.try_get::<i64, _>("mandatory")? != 0,
                digest: r.try_get("digest")?,
                outcome,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok((draw, targets))
}

/// The outcome of the inspection on row `r` (`problems`, `order_status`), if published.
fn outcome(r: &AnyRow) -> Result<Option<Outcome>, StoreError> {
    let problems = u32::try_from(r.try_get::<i64, _>("problems")?)
        .map_err(|_| StoreError::Corrupt("problems".into()))?;
    let order = r
        .try_get::<Option<String>, _>("order_status")?
        .map(|s| {
            OrderStatus::from_code(&s)
                .ok_or_else(|| StoreError::Corrupt(format!("order status {s:?}")))
        })
        .transpose()?;
    Ok(Outcome::of(problems, order))
}

/// The inspecting officers' names of each fulfilled target of plan `plan_id`, by position.
async fn officers_by_position(
    store: &Store,
    plan_id: i64,
) -> Result<std::collections::HashMap<i64, Vec<String>>, StoreError> {
    let rows = sqlx::query(
        "SELECT t.position, io.name FROM plan_targets t \
         JOIN inspection_officers io ON io.inspection_id = t.inspection_id \
         WHERE t.plan_id = $1 ORDER BY t.position, io.position",
    )
    .bind(plan_id)
    .fetch_all(store.reader())
    .await?;
    let mut out = std::collections::HashMap::<i64, Vec<String>>::new();
    for r in &rows {
        out.entry(r.try_get("position")?)
            .or_default()
            .push(r.try_get("name")?);
    }
    Ok(out)
}
