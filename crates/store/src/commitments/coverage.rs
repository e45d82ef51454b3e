//! Who has signed: coverage of the duty commitments by region, industry and supervising unit,
//! and the list of who is missing, always filtered by the caller's scope in the query.
//!
//! Counted: the enterprises enrolled in the campaign whose industry requires a commitment
//! (`core::commitment::required_for`: not [`OTHER_INDUSTRY`]), their current (not removed) safety
//! managers, and which of those signed in this campaign (any version of the text). An
//! enterprise that has registered no safety manager is counted as such and listed as missing.

use safeduty_core::policy::Scope;
use safeduty_core::roster::values::OTHER_INDUSTRY;
use serde::Serialize;
use sqlx::Row;

use crate::sql::Sql;
use crate::{Store, StoreError};

/// Coverage of one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageRow {
    /// Region name, industry, or supervising unit (`未指定主管部门` when none).
    pub group: String,
    /// Enterprises that must sign.
    pub enterprises: i64,
    /// Their current safety managers.
    pub managers: i64,
    /// Safety managers who signed.
    pub signed: i64,
    /// Safety managers who did not: `managers − signed`.
    pub unsigned: i64,
    /// Enterprises with no safety manager registered.
    pub without_personnel: i64,
    /// Enterprises whose every safety manager signed (at least one).
    pub complete: i64,
    /// Enterprises that recorded the internal publication.
    pub published: i64,
}

impl CoverageRow {
    fn add(&mut self, o: &CoverageRow) {
        self.enterprises += o.enterprises;
        self.managers += o.managers;
        self.signed += o.signed;
        self.unsigned += o.unsigned;
        self.without_personnel += o.without_personnel;
        self.complete += o.complete;
        self.published += o.published;
    }
}

/// Coverage of a campaign inside a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Over the whole scope (`合计`).
    pub total: CoverageRow,
    /// By the enterprise's region, in administrative-code order.
    pub by_region: Vec<CoverageRow>,
    /// By industry, by name.
    pub by_industry: Vec<CoverageRow>,
    /// By supervising unit (主管部门), by name.
    pub by_unit: Vec<CoverageRow>,
}

/// The label of enterprises without a supervising unit.
pub const NO_UNIT: &str = "未指定主管部门";

/// Writes the query of the enterprises that must sign, one row each with its counts: those of
/// `campaign_id` inside `scope`, but the industry that needs no commitment. Returns the
/// campaign's placeholder.
fn push_per_enterprise(sql: &mut Sql, scope: &Scope, campaign_id: i64) -> String {
    let campaign = sql.bind(campaign_id);
    let other = sql.bind(OTHER_INDUSTRY);
    sql.push(&format!(
        "SELECT e.id, e.public_id, e.name, e.industry, r.path AS region_path, \
         r.name AS region_name, COALESCE(u.name, '{NO_UNIT}') AS unit_name, \
         (SELECT COUNT(*) FROM personnel p WHERE p.enterprise_id = e.id \
            AND p.removed_at IS NULL) AS managers, \
         (SELECT COUNT(*) FROM personnel p JOIN commitment_signatures s ON s.personnel_id = p.id \
            WHERE p.enterprise_id = e.id AND p.removed_at IS NULL AND s.campaign_id = {campaign}) \
            AS signed, \
         (SELECT COUNT(*) FROM commitment_publications pb WHERE pb.enterprise_id = e.id \
            AND pb.campaign_id = {campaign}) AS published \
         FROM enrolments en JOIN enterprises e ON e.id = en.enterprise_id \
         JOIN regions r ON r.id = e.region_id LEFT JOIN units u ON u.id = e.supervising_unit_id \
         WHERE en.campaign_id = {campaign} AND e.industry <> {other} AND "
    ))
    .push_scope(scope);
    campaign
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grouping {
    Region,
    Industry,
    Unit,
}

async fn grouped(
    store: &Store,
    scope: &Scope,
    campaign_id: i64,
    g: Grouping,
) -> Result<Vec<CoverageRow>, StoreError> {
    let (group_by, label) = match g {
        Grouping::Region => ("t.region_path, t.region_name", "t.region_name"),
        Grouping::Industry => ("t.industry", "t.industry"),
        Grouping::Unit => ("t.unit_name", "t.unit_name"),
    };
    // SUM over BIGINT counts is NUMERIC on PostgreSQL: cast back so both backends give BIGINT.
    let mut sql = Sql::new(&format!(
        "SELECT {label} AS grp, COUNT(*) AS enterprises, \
         CAST(SUM(t.managers) AS BIGINT) AS managers, CAST(SUM(t.signed) AS BIGINT) AS signed, \
         CAST(SUM(CASE WHEN t.managers = 0 THEN 1 ELSE 0 END) AS BIGINT) AS without_personnel, \
         CAST(SUM(CASE WHEN t.managers > 0 AND t.signed = t.managers THEN 1 ELSE 0 END) AS BIGINT) \
            AS complete, \
         CAST(SUM(CASE WHEN t.published > 0 THEN 1 ELSE 0 END) AS BIGINT) AS published \
         FROM ("
    ));
    push_per_enterprise(&mut sql, scope, campaign_id);
    sql.push(&format!(") t GROUP BY {group_by} ORDER BY {group_by}"));
    let rows = sql.query().fetch_all(store.reader()).await?;
    let mut out = rows
        .iter()
        .map(|r| {
            let managers: i64 = r.try_get("managers")?;
            let signed: i64 = r.try_get("signed")?;
            Ok(CoverageRow {
                group: r.try_get("grp")?,
                enterprises: r.try_get("enterprises")?,
                managers,
                signed,
                unsigned: managers - signed,
                without_personnel: r.try_get("without_personnel")?,
                complete: r.try_get("complete")?,
                published: r.try_get("published")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    // Names sort in Rust so that both backends agree whatever their collation.
    if g != Grouping::Region {
        out.sort_by(|a, b| a.group.cmp(&b.group));
    }
    Ok(out)
}

/// Coverage of `campaign_id` as `scope` sees it.
///
/// # Errors
/// Database errors.
pub async fn coverage(
    store: &Store,
    scope: &Scope,
    campaign_id: i64,
) -> Result<Coverage, StoreError> {
    let by_region = grouped(store, scope, campaign_id, Grouping::Region).await?;
    let by_industry = grouped(store, scope, campaign_id, Grouping::Industry).await?;
    let by_unit = grouped(store, scope, campaign_id, Grouping::Unit).await?;
    let mut total = CoverageRow {
        group: "合计".into(),
        enterprises: 0,
        managers: 0,
        signed: 0,
        unsigned: 0,
        without_personnel: 0,
        complete: 0,
        published: 0,
    };
    for r in &by_region {
        total.add(r);
    }
    Ok(Coverage {
        total,
        by_region,
        by_industry,
        by_unit,
    })
}

/// One who is missing: a safety manager who has not signed, or an enterprise with none registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    /// The enterprise's public id.
    pub enterprise_public_id: String,
    /// Its name.
    pub enterprise_name: String,
    /// Its region's name.
    pub region_name: String,
    /// Its industry.
    pub industry: String,
    /// Its supervising unit ([`NO_UNIT`] when none).
    pub unit_name: String,
    /// The safety manager who has not signed; `None` when the enterprise registered none.
    pub person_name: Option<String>,
}

/// Who is missing in `campaign_id` inside `scope`, by region, enterprise and person, at
/// most `limit` rows (the coverage gives the full counts).
///
/// # Errors
/// Database errors.
pub async fn missing(
    store: &Store,
    scope: &Scope,
    campaign_id: i64,
    limit: i64,
) -> Result<Vec<Missing>, StoreError> {
    let mut sql = Sql::new(
        "SELECT t.public_id, t.name, t.region_name, t.industry, t.unit_name, p.name AS person \
         FROM (",
    );
    let campaign = push_per_enterprise(&mut sql, scope, campaign_id);
    sql.push(&format!(
        ") t LEFT JOIN personnel p ON p.enterprise_id = t.id AND p.removed_at IS NULL \
         LEFT JOIN commitment_signatures s ON s.personnel_id = p.id AND s.campaign_id = {campaign} \
         WHERE s.id IS NULL ORDER BY t.region_path, t.id, p.id LIMIT "
    ))
    .push_bind(limit);
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            Ok(Missing {
                enterprise_public_id: r.try_get("public_id")?,
                enterprise_name: r.try_get("name")?,
                region_name: r.try_get("region_name")?,
                industry: r.try_get("industry")?,
                unit_name: r.try_get("unit_name")?,
                person_name: r.try_get("person")?,
            })
        })
        .collect()
}
