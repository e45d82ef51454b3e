//! Enforcement figures (issue #12 point 11), counted in SQL over the enterprises inside the
//! caller's scope ([`Sql::push_scope`]), per inspecting unit and in total.
//!
//! What is counted, for a campaign `C` of year `Y` on `today`:
//!
//! - **the campaign's inspections**: inspections recorded under `C` whose number is of year `Y`
//!   (`inspections.campaign_id = C AND inspections.year = Y`); every other figure is about them
//!   and what followed from them. A re-inspection is not an inspection (its own table).
//! - `inspections`: how many, per inspecting unit.
//! - `key_enterprises`: key enterprises (`enterprises.is_key`) enrolled in `C` inside the
//!   scope; for a unit, those inside the unit's own scope as well (a territorial unit: its
//!   region's subtree; an industry department: the enterprises it supervises in its region's
//!   subtree — the rule `org` resolves officers' scopes by).
//! - `key_covered`: of those, the ones with at least one of the campaign's inspections — by the
//!   unit, for a unit's figures; by any unit, for the total.
//! - `orders_issued`: correction orders on the campaign's inspections.
//! - `orders_overdue`: of those, not re-inspected (status `issued` or `completion_reported`)
//!   with the re-inspection due before `today` — the condition of
//!   [`super::orders::OrderFilter::overdue_on`], so the figure equals the overdue list's length.
//! - `orders_re_inspected`: of those, re-inspected (status `corrected` or `not_corrected`).
//! - `findings_open` / `findings_closed`: findings the campaign's inspections opened
//!   (`findings.inspection_id`), closed out (`closed`) or not.
//!
//! Percentages (coverage, rectification rate) are derived from these counts by
//! [`Counts::coverage_per_mille`] and [`Counts::rectification_per_mille`], so that a page and an
//! export cannot round differently.
//!
//! - `cases_filed`: cases (issue #13) whose number is of year `Y`, per handling unit (a case is
//!   not tied to a campaign: every case filed that year counts); `cases_decided`: of those, with
//!   a decision or a decision not to punish; `cases_closed`: closed; `fines`: the fines decided,
//!   whole yuan. The overdue steps need the working-day calendar and are counted by the caller
//!   over [`super::cases::filed_in`].
//! - `planned`: the targets of the campaign's drawn inspection plans that are in force (not
//!   superseded by a later version), see [`Counts::planned`]; compared with `inspections` on
//!   the page as 计划 / 已检查.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use safeduty_core::policy::Scope;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::sql::Sql;
use crate::{Store, StoreError};

/// The period the figures are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The campaign.
    pub campaign_id: i64,
    /// Its year (the year of the inspections' numbers).
    pub year: i32,
    /// The day overdue is judged on.
    pub today: NaiveDate,
}

/// The figures of one unit, or of everything in the scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Inspections the plans call for: the targets (inside the scope) of the drawn, not
    /// superseded inspection plans of the campaign — the unit's own, for a unit's figures; every
    /// unit's, for the total. `None` when no such plan has a target in the scope (nothing was
    /// planned, which is not the same as zero inspections planned by a plan).
    pub planned: Option<i64>,
    /// The campaign's inspections.
    pub inspections: i64,
    /// Key enterprises in the scope (and the unit's).
    pub key_enterprises: i64,
    /// Of those, inspected at least once.
    pub key_covered: i64,
    /// Correction orders issued.
    pub orders_issued: i64,
    /// Orders whose re-inspection is overdue.
    pub orders_overdue: i64,
    /// Orders re-inspected.
    pub orders_re_inspected: i64,
    /// Findings of the inspections not closed.
    pub findings_open: i64,
    /// Findings of the inspections closed out.
    pub findings_closed: i64,
    /// Cases filed in the year.
    pub cases_filed: i64,
    /// Of those, decided (a fine or 不予处罚).
    pub cases_decided: i64,
    /// Of those, closed.
    pub cases_closed: i64,
    /// Fines decided, whole yuan.
    pub fines: i64,
}

fn per_mille(part: i64, whole: i64) -> Option<i64> {
    // Rounded half up, in integers: no float rounding differs between a page and a file.
    (whole > 0).then(|| (part * 2000 + whole) / (whole * 2))
}

impl Counts {
    /// Coverage of key enterprises in ‰ (`key_covered / key_enterprises`, rounded half up);
    /// `None` without key enterprises.
    pub fn coverage_per_mille(&self) -> Option<i64> {
        per_mille(self.key_covered, self.key_enterprises)
    }

    /// All findings the inspections opened.
    pub fn findings(&self) -> i64 {
        self.findings_open + self.findings_closed
    }

    /// The rectification rate in ‰ (`findings_closed / findings`, rounded half up); `None`
    /// without findings.
    pub fn rectification_per_mille(&self) -> Option<i64> {
        per_mille(self.findings_closed, self.findings())
    }
}

/// What a query counts over: one unit each (`Some(units)`, grouped by unit) or everything.
fn group(sql: &mut Sql, column: &str, units: Option<&[i64]>) {
    if let Some(units) = units {
        sql.push(&format!(" AND {column} IN ("))
            .push_bind_list(units.iter().copied())
            .push(&format!(") GROUP BY {column}"));
    }
}

fn unit_select(units: Option<&[i64]>, column: &str) -> String {
    if units.is_some() {
        format!("SELECT {column} AS unit_id, ")
    } else {
        "SELECT CAST(0 AS BIGINT) AS unit_id, ".to_string()
    }
}

fn campaign_inspections(sql: &mut Sql, p: &Period) {
    sql.push(" AND i.campaign_id = ")
        .push_bind(p.campaign_id)
        .push(" AND i.year = ")
        .push_bind(i64::from(p.year));
}

async fn counts(
    store: &Store,
    scope: &Scope,
    p: &Period,
    units: Option<&[i64]>,
) -> Result<BTreeMap<i64, Counts>, StoreError> {
    let mut out: BTreeMap<i64, Counts> = BTreeMap::new();
    if units.is_some_and(<[i64]>::is_empty) {
        return Ok(out);
    }
    let mut touch = |r: &AnyRow, set: &dyn Fn(&mut Counts, &AnyRow) -> Result<(), StoreError>| {
        let unit: i64 = r.try_get("unit_id")?;
        set(out.entry(unit).or_default(), r)
    };

    let mut sql = Sql::new(&unit_select(units, "i.unit_id"));
    sql.push(
        "COUNT(*) AS n FROM inspections i JOIN enterprises e ON e.id = i.enterprise_id \
         JOIN regions r ON r.id = e.region_id WHERE ",
    )
    .push_scope(scope);
    campaign_inspections(&mut sql, p);
    group(&mut sql, "i.unit_id", units);
    for r in sql.query().fetch_all(store.reader()).await? {
        touch(&r, &|c, r| {
            c.inspections = r.try_get("n")?;
            Ok(())
        })?;
    }

    let mut sql = Sql::new(&unit_select(units, "o.unit_id"));
    let today = sql.bind(p.today.to_string());
    sql.push(&format!(
        "COUNT(*) AS issued, \
         COALESCE(SUM(CASE WHEN o.status IN ('issued', 'completion_reported') \
           AND o.re_inspection_due_on < {today} THEN 1 ELSE 0 END), 0) AS overdue, \
         COALESCE(SUM(CASE WHEN o.status IN ('corrected', 'not_corrected') \
           THEN 1 ELSE 0 END), 0) AS re_inspected \
         FROM correction_orders o JOIN inspections i ON i.id = o.inspection_id \
         JOIN enterprises e ON e.id = o.enterprise_id JOIN regions r ON r.id = e.region_id \
         WHERE "
    ))
    .push_scope(scope);
    campaign_inspections(&mut sql, p);
    group(&mut sql, "o.unit_id", units);
    for r in sql.query().fetch_all(store.reader()).await? {
        touch(&r, &|c, r| {
            c.orders_issued = r.try_get("issued")?;
            c.orders_overdue = r.try_get("overdue")?;
            c.orders_re_inspected = r.try_get("re_inspected")?;
            Ok(())
        })?;
    }

    let mut sql = Sql::new(&unit_select(units, "i.unit_id"));
    sql.push(
        "COALESCE(SUM(CASE WHEN f.status = 'closed' THEN 1 ELSE 0 END), 0) AS closed, \
         COALESCE(SUM(CASE WHEN f.status <> 'closed' THEN 1 ELSE 0 END), 0) AS open \
         FROM findings f JOIN inspections i ON i.id = f.inspection_id \
         JOIN enterprises e ON e.id = f.enterprise_id JOIN regions r ON r.id = e.region_id \
         WHERE ",
    )
    .push_scope(scope);
    campaign_inspections(&mut sql, p);
    group(&mut sql, "i.unit_id", units);
    for r in sql.query().fetch_all(store.reader()).await? {
        touch(&r, &|c, r| {
            c.findings_closed = r.try_get("closed")?;
            c.findings_open = r.try_get("open")?;
            Ok(())
        })?;
    }

    let mut sql = Sql::new(&unit_select(units, "c.unit_id"));
    sql.push(
        "COUNT(*) AS filed, \
         COALESCE(SUM(CASE WHEN c.decided_on IS NOT NULL OR c.no_penalty_on IS NOT NULL \
           THEN 1 ELSE 0 END), 0) AS decided, \
         COALESCE(SUM(CASE WHEN c.closed_on IS NOT NULL THEN 1 ELSE 0 END), 0) AS closed, \
         CAST(COALESCE(SUM(CASE WHEN c.decided_on IS NOT NULL THEN c.decision_amount \
           ELSE 0 END), 0) AS BIGINT) AS fines \
         FROM cases c JOIN enterprises e ON e.id = c.enterprise_id \
         JOIN regions r ON r.id = e.region_id WHERE c.status <> 'draft' AND ",
    )
    .push_scope(scope)
    .push(" AND c.year = ")
    .push_bind(i64::from(p.year));
    group(&mut sql, "c.unit_id", units);
    for r in sql.query().fetch_all(store.reader()).await? {
        touch(&r, &|c, r| {
            c.cases_filed = r.try_get("filed")?;
            c.cases_decided = r.try_get("decided")?;
            c.cases_closed = r.try_get("closed")?;
            c.fines = r.try_get("fines")?;
            Ok(())
        })?;
    }

    // Planned: targets of drawn plans in force (a plan with a draw and no later version).
    let mut sql = Sql::new(&unit_select(units, "p.unit_id"));
    sql.push(
        "COUNT(*) AS n FROM plan_targets t JOIN inspection_plans p ON p.id = t.plan_id \
         JOIN plan_draws d ON d.plan_id = p.id \
         JOIN enterprises e ON e.id = t.enterprise_id JOIN regions r ON r.id = e.region_id \
         WHERE p.superseded_by IS NULL AND ",
    )
    .push_scope(scope)
    .push(" AND p.campaign_id = ")
    .push_bind(p.campaign_id);
    group(&mut sql, "p.unit_id", units);
    for r in sql.query().fetch_all(store.reader()).await? {
        touch(&r, &|c, r| {
            // The total's row is there even without plans: no target planned reads as none.
            let n: i64 = r.try_get("n")?;
            c.planned = (n > 0).then_some(n);
            Ok(())
        })?;
    }

    // Key enterprises: for a unit, those in its own scope too, covered by its own inspections.
    let mut sql = Sql::new(&unit_select(units, "u.id"));
    let campaign = sql.bind(p.campaign_id);
    let year = sql.bind(i64::from(p.year));
    let by_unit = if units.is_some() {
        " AND i.unit_id = u.id"
    } else {
        ""
    };
    sql.push(&format!(
        "COUNT(*) AS key_total, COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM inspections i \
           WHERE i.enterprise_id = e.id AND i.campaign_id = {campaign} AND i.year = {year}\
           {by_unit}) THEN 1 ELSE 0 END), 0) AS key_covered \
         FROM enterprises e JOIN regions r ON r.id = e.region_id \
         JOIN enrolments en ON en.enterprise_id = e.id AND en.campaign_id = {campaign} "
    ));
    if units.is_some() {
        sql.push(
            "JOIN units u ON u.kind = 'territorial' \
               OR (u.kind = 'industry_department' AND e.supervising_unit_id = u.id) \
             JOIN regions ur ON ur.id = u.region_id \
               AND substr(r.path, 1, length(ur.path)) = ur.path ",
        );
    }
    sql.push("WHERE e.is_key <> 0 AND ").push_scope(scope);
    group(&mut sql, "u.id", units);
    for r in sql.query().fetch_all(store.reader()).await? {
        touch(&r, &|c, r| {
            c.key_enterprises = r.try_get("key_total")?;
            c.key_covered = r.try_get("key_covered")?;
            Ok(())
        })?;
    }
    Ok(out)
}

/// The figures of each of `units` (ids of territorial units and industry departments), over
/// the enterprises inside `scope`, in `p`. A unit without any record has all counts zero.
///
/// # Errors
/// Database errors.
pub async fn by_unit(
    store: &Store,
    scope: &Scope,
    p: &Period,
    units: &[i64],
) -> Result<BTreeMap<i64, Counts>, StoreError> {
    let mut found = counts(store, scope, p, Some(units)).await?;
    Ok(units
        .iter()
        .map(|u| (*u, found.remove(u).unwrap_or_default()))
        .collect())
}

/// The figures of everything inside `scope` in `p`: the inspections of every unit (also one
/// outside the scope's own units, such as a city department), key enterprises covered by any.
///
/// # Errors
/// Database errors.
pub async fn total(store: &Store, scope: &Scope, p: &Period) -> Result<Counts, StoreError> {
    Ok(counts(store, scope, p, None)
        .await?
        .remove(&0)
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_mille_rounds_half_up_and_needs_a_whole() {
        assert_eq!(per_mille(1, 3), Some(333));
        assert_eq!(per_mille(2, 3), Some(667));
        assert_eq!(per_mille(1, 8), Some(125));
        assert_eq!(per_mille(1, 16), Some(63), "62.5 rounds up");
        assert_eq!(per_mille(0, 5), Some(0));
        assert_eq!(per_mille(5, 5), Some(1000));
        assert_eq!(per_mille(0, 0), None);
    }
}
