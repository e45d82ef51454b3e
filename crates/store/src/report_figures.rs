//! The figures of a generated report as of its period's end (issue #15 point 2): every count
//! over a scope is taken from records dated on or before that day (`submitted_on`, `opened_on`,
//! `closed_on`, `signed_on`, `inspected_on`, `issued_on`, `filed_on`, `decided_on`,
//! `published_on`, `held_on`), so that a report built later for the same period gives the same
//! figures. Enrolment carries no civil date: the campaign's current roster is counted.

use chrono::NaiveDate;
use safeduty_core::policy::Scope;
use safeduty_core::reporting::Figures;
use sqlx::Row;

use crate::sql::Sql;
use crate::{Store, StoreError};

/// What a report counts: the campaign, its year, the enterprises' scope, the units whose
/// measures count, and the period's last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period<'a> {
    /// The campaign.
    pub campaign_id: i64,
    /// Its year: cases, decisions and exposures count from its 1 January.
    pub year: i32,
    /// The enterprises counted: a unit's ([`crate::reports::ReportingUnit::scope`]) or a
    /// region's subtree.
    pub scope: &'a Scope,
    /// The units whose “eight ones” measures count (one unit, or every unit of the region).
    pub unit_ids: &'a [i64],
    /// The period's last day: nothing dated after it counts.
    pub end: NaiveDate,
}

fn opt(r: &sqlx::any::AnyRow, col: &str) -> Result<i64, StoreError> {
    Ok(r.try_get::<Option<i64>, _>(col)?.unwrap_or(0))
}

/// One row of counts over a table inside the scope: `from` names `e` (enterprises, joined here
/// with `r`, their regions); `cond` is written after `WHERE` with the placeholders `{c}` (campaign), `{end}`
/// (the period's end) and `{ys}` (the year's first day) replaced.
async fn count(
    store: &Store,
    p: &Period<'_>,
    select: &str,
    from: &str,
    cond: &str,
) -> Result<sqlx::any::AnyRow, StoreError> {
    let mut sql = Sql::default();
    // Only what the condition uses is bound: PostgreSQL types a parameter from the text.
    let mut cond = cond.to_string();
    if cond.contains("{c}") {
        cond = cond.replace("{c}", &sql.bind(p.campaign_id));
    }
    if cond.contains("{end}") {
        cond = cond.replace("{end}", &sql.bind(p.end.to_string()));
    }
    if cond.contains("{ys}") {
        cond = cond.replace("{ys}", &sql.bind(format!("{:04}-01-01", p.year)));
    }
    sql.push(&format!(
        "SELECT {select} FROM {from} JOIN regions r ON r.id = e.region_id WHERE {cond} AND "
    ))
    .push_scope(p.scope);
    Ok(sql.query().fetch_one(store.reader()).await?)
}

/// The figures of `p`: every field of [`Figures`] but `lagging` (the caller compares units) and
/// `by_industry`'s order (by name here; the caller puts the plan's industries first).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn as_of(store: &Store, p: &Period<'_>) -> Result<Figures, StoreError> {
    let mut f = Figures {
        period_end: Some(p.end),
        ..Figures::default()
    };
    // Enterprises and self-inspections, by industry.
    let mut sql = Sql::default();
    let c = sql.bind(p.campaign_id);
    let end = sql.bind(p.end.to_string());
    sql.push(&format!(
        "SELECT e.industry AS grp, COUNT(*) AS n, \
         SUM(CASE WHEN e.is_key <> 0 THEN 1 ELSE 0 END) AS k, \
         SUM(CASE WHEN s.submitted_on IS NOT NULL AND s.submitted_on <= {end} THEN 1 ELSE 0 END) \
         AS done \
         FROM enrolments en JOIN enterprises e ON e.id = en.enterprise_id \
         JOIN regions r ON r.id = e.region_id \
         LEFT JOIN self_inspections s ON s.campaign_id = en.campaign_id AND s.enterprise_id = e.id \
         WHERE en.campaign_id = {c} AND "
    ))
    .push_scope(p.scope)
    .push(" GROUP BY e.industry");
    for r in sql.query().fetch_all(store.reader()).await? {
        let (n, k, done) = (r.try_get::<i64, _>("n")?, opt(&r, "k")?, opt(&r, "done")?);
        f.enterprises += n;
        f.key_enterprises += k;
        f.self_inspected += done;
        f.by_industry.push((r.try_get("grp")?, n, done));
    }
    f.by_industry.sort_by(|a, b| a.0.cmp(&b.0));

    let r = findings(store, p).await?;
    (f.findings_general, f.findings_major, f.findings_closed) = r;

    f.commitments_signed = opt(
        &count(
            store,
            p,
            "COUNT(*) AS n",
            "commitment_signatures cs JOIN enterprises e ON e.id = cs.enterprise_id",
            "cs.campaign_id = {c} AND cs.signed_on <= {end}",
        )
        .await?,
        "n",
    )?;
    f.inspections = opt(
        &count(
            store,
            p,
            "COUNT(*) AS n",
            "inspections i JOIN enterprises e ON e.id = i.enterprise_id",
            "i.campaign_id = {c} AND i.inspected_on <= {end}",
        )
        .await?,
        "n",
    )?;
    f.orders = opt(
        &count(
            store,
            p,
            "COUNT(*) AS n",
            "correction_orders o JOIN inspections i ON i.id = o.inspection_id \
             JOIN enterprises e ON e.id = o.enterprise_id",
            "i.campaign_id = {c} AND o.issued_on <= {end}",
        )
        .await?,
        "n",
    )?;
    f.cases = opt(
        &count(
            store,
            p,
            "COUNT(*) AS n",
            "cases k JOIN enterprises e ON e.id = k.enterprise_id",
            "k.status <> 'draft' AND k.filed_on IS NOT NULL AND k.filed_on >= {ys} \
             AND k.filed_on <= {end}",
        )
        .await?,
        "n",
    )?;
    let r = count(
        store,
        p,
        "COUNT(*) AS n, CAST(SUM(COALESCE(k.decision_amount, 0)) AS BIGINT) AS fines",
        "cases k JOIN enterprises e ON e.id = k.enterprise_id",
        "k.decided_on IS NOT NULL AND k.decided_on >= {ys} AND k.decided_on <= {end}",
    )
    .await?;
    (f.penalties, f.fines_yuan) = (opt(&r, "n")?, opt(&r, "fines")?);
    f.exposures = opt(
        &count(
            store,
            p,
            "COUNT(*) AS n",
            "case_exposures x JOIN cases k ON k.id = x.case_id \
             JOIN enterprises e ON e.id = k.enterprise_id",
            "x.published_on IS NOT NULL AND x.published_on >= {ys} AND x.published_on <= {end} \
             AND (x.withdrawn_on IS NULL OR x.withdrawn_on > {end})",
        )
        .await?,
        "n",
    )?;
    if !p.unit_ids.is_empty() {
        let mut sql = Sql::new("SELECT COUNT(*) FROM unit_measures WHERE campaign_id = ");
        sql.push_bind(p.campaign_id)
            .push(" AND status <> 'returned' AND held_on <= ")
            .push_bind(p.end.to_string())
            .push(" AND unit_id IN (")
            .push_bind_list(p.unit_ids.iter().copied())
            .push(")");
        f.measures_done = sql.query_scalar::<i64>().fetch_one(store.reader()).await?;
    }
    Ok(f)
}

/// Findings opened by the period's end inside the scope: (general, major, closed by then).
async fn findings(store: &Store, p: &Period<'_>) -> Result<(i64, i64, i64), StoreError> {
    let mut sql = Sql::default();
    let c = sql.bind(p.campaign_id);
    let end = sql.bind(p.end.to_string());
    sql.push(&format!(
        "SELECT SUM(CASE WHEN f.grade = 'major' THEN 0 ELSE 1 END) AS general, \
         SUM(CASE WHEN f.grade = 'major' THEN 1 ELSE 0 END) AS major, \
         SUM(CASE WHEN f.closed_on IS NOT NULL AND f.closed_on <= {end} THEN 1 ELSE 0 END) \
         AS closed \
         FROM findings f JOIN enterprises e ON e.id = f.enterprise_id \
         JOIN regions r ON r.id = e.region_id \
         WHERE f.campaign_id = {c} AND f.opened_on <= {end} AND "
    ))
    .push_scope(p.scope);
    let r = sql.query().fetch_one(store.reader()).await?;
    Ok((opt(&r, "general")?, opt(&r, "major")?, opt(&r, "closed")?))
}
