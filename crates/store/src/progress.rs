//! Read models of campaign progress: the committee office's overview and the enterprise lists of
//! units, always filtered by the caller's scope in the query.

use chrono::NaiveDate;
use safeduty_core::policy::Scope;
use safeduty_core::self_inspection::Status;
use serde::Serialize;
use sqlx::Row;

use crate::org::{ENTERPRISE_SELECT, Enterprise, enterprise_from_row};
use crate::sql::Sql;
use crate::{Store, StoreError};

/// Self-inspection progress of one group (a region or an industry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupProgress {
    /// Region name or industry.
    pub group: String,
    /// Enterprises enrolled.
    pub enrolled: i64,
    /// Self-inspections submitted.
    pub submitted: i64,
    /// Drafts.
    pub draft: i64,
    /// Not started: enrolled − submitted − draft.
    pub not_started: i64,
}

/// The overview of a campaign inside a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overview {
    /// Totals over the whole scope.
    pub total: GroupProgress,
    /// By region of the enterprise (town, subdistrict, zone), in administrative-code order.
    pub by_region: Vec<GroupProgress>,
    /// By industry, by name.
    pub by_industry: Vec<GroupProgress>,
    /// Findings still open.
    pub findings_open: i64,
    /// Open findings past their time limit on the given day.
    pub findings_overdue: i64,
}

async fn grouped(
    store: &Store,
    scope: &Scope,
    campaign_id: i64,
    group: Grouping,
) -> Result<Vec<GroupProgress>, StoreError> {
    // Regions sort by their path (the administrative order); industries by name, in Rust, so that
    // both backends give the same order whatever their collation.
    let (group_by, label) = match group {
        Grouping::Region => ("r.path, r.name", "r.name"),
        Grouping::Industry => ("e.industry", "e.industry"),
    };
    let mut sql = Sql::new(&format!(
        "SELECT {label} AS grp, COUNT(*) AS enrolled, \
         SUM(CASE WHEN s.status = 'submitted' THEN 1 ELSE 0 END) AS submitted, \
         SUM(CASE WHEN s.status = 'draft' THEN 1 ELSE 0 END) AS draft \
         FROM enrolments en JOIN enterprises e ON e.id = en.enterprise_id \
         JOIN regions r ON r.id = e.region_id \
         LEFT JOIN self_inspections s ON s.campaign_id = en.campaign_id AND s.enterprise_id = e.id \
         WHERE en.campaign_id = "
    ));
    sql.push_bind(campaign_id)
        .push(" AND ")
        .push_scope(scope)
        .push(&format!(" GROUP BY {group_by} ORDER BY {group_by}"));
    let rows = sql.query().fetch_all(store.reader()).await?;
    let mut out = rows
        .iter()
        .map(|r| {
            let enrolled: i64 = r.try_get("enrolled")?;
            let submitted: i64 = r.try_get::<Option<i64>, _>("submitted")?.unwrap_or(0);
            let draft: i64 = r.try_get::<Option<i64>, _>("draft")?.unwrap_or(0);
            Ok(GroupProgress {
                group: r.try_get("grp")?,
                enrolled,
                submitted,
                draft,
                not_started: enrolled - submitted - draft,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    if group == Grouping::Industry {
        out.sort_by(|a, b| a.group.cmp(&b.group));
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grouping {
    Region,
    Industry,
}

/// The overview of `campaign_id` as seen by `scope` on `today`.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn overview(
    store: &Store,
    scope: &Scope,
    campaign_id: i64,
    today: NaiveDate,
) -> Result<Overview, StoreError> {
    let by_region = grouped(store, scope, campaign_id, Grouping::Region).await?;
    let by_industry = grouped(store, scope, campaign_id, Grouping::Industry).await?;
    let total = by_region.iter().fold(
        GroupProgress {
            group: "合计".into(),
            enrolled: 0,
            submitted: 0,
            draft: 0,
            not_started: 0,
        },
        |mut t, g| {
            t.enrolled += g.enrolled;
            t.submitted += g.submitted;
            t.draft += g.draft;
            t.not_started += g.not_started;
            t
        },
    );
    // Overdue as in safeduty_core::finding::is_overdue, counted in the query.
    let mut sql = Sql::default();
    let campaign = sql.bind(campaign_id);
    let today = sql.bind(today.to_string());
    sql.push(&format!(
        "SELECT COUNT(*) AS open, \
         SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS overdue \
         FROM findings f JOIN enterprises e ON e.id = f.enterprise_id \
         JOIN regions r ON r.id = e.region_id \
         WHERE f.campaign_id = {campaign} AND {} AND ",
        crate::findings::overdue_condition(&today),
        crate::findings::OPEN_CONDITION,
    ))
    .push_scope(scope);
    let row = sql.query().fetch_one(store.reader()).await?;
    Ok(Overview {
        total,
        by_region,
        by_industry,
        findings_open: row.try_get("open")?,
        findings_overdue: row.try_get::<Option<i64>, _>("overdue")?.unwrap_or(0),
    })
}

/// An enrolled enterprise with its self-inspection status and open findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnterpriseProgress {
    /// The enterprise.
    #[serde(flatten)]
    pub enterprise: Enterprise,
    /// Self-inspection status.
    pub status: Status,
    /// Findings still open.
    pub findings_open: i64,
}

/// Enrolled enterprises inside `scope`, ordered by region path then id (the same on both backends).
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn enterprises(
    store: &Store,
    scope: &Scope,
    campaign_id: i64,
) -> Result<Vec<EnterpriseProgress>, StoreError> {
    let mut sql = Sql::default();
    let campaign = sql.bind(campaign_id);
    let select = ENTERPRISE_SELECT.replacen(
        "SELECT ",
        &format!(
            "SELECT s.status AS si_status, (SELECT COUNT(*) FROM findings f \
             WHERE f.campaign_id = {campaign} \
             AND f.enterprise_id = e.id AND f.status <> 'closed') AS findings_open, "
        ),
        1,
    );
    sql.push(&format!(
        "{select} JOIN enrolments en ON en.enterprise_id = e.id AND en.campaign_id = {campaign} \
         LEFT JOIN self_inspections s ON s.campaign_id = {campaign} AND s.enterprise_id = e.id \
         WHERE "
    ))
    .push_scope(scope)
    .push(" ORDER BY r.path, e.id");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            let status = match r.try_get::<Option<String>, _>("si_status")? {
                Some(code) => Status::from_code(&code)
                    .ok_or_else(|| StoreError::Corrupt(format!("status {code:?}")))?,
                None => Status::NotStarted,
            };
            Ok(EnterpriseProgress {
                enterprise: enterprise_from_row(r)?,
                status,
                findings_open: r.try_get("findings_open")?,
            })
        })
        .collect()
}
