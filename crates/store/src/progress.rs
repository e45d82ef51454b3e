//! Read models of campaign progress: the committee office's overview and the enterprise lists of
//! units, always filtered by the caller's scope in the query.

use chrono::NaiveDate;
use safeduty_core::policy::Scope;
use safeduty_core::self_inspection::Status;
use serde::Serialize;
use sqlx::Row;

use crate::org::{ENTERPRISE_SELECT, Enterprise, enterprise_from_row};
use crate::paging::{Page, PageRequest};
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
    /// The enterprise list's filter selecting this group, as a URL query (`region=ID` or
    /// `industry=NAME`, URL-encoded; empty for the total), so that a counter links to the list
    /// it counts.
    #[serde(skip)]
    pub filter: String,
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
    let (group_by, label, key) = match group {
        Grouping::Region => ("r.path, r.name", "r.name", "MIN(r.id)"),
        Grouping::Industry => ("e.industry", "e.industry", "MIN(e.industry)"),
    };
    let mut sql = Sql::new(&format!(
        "SELECT {label} AS grp, {key} AS grp_key, COUNT(*) AS enrolled, \
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
            let filter = match group {
                Grouping::Region => format!("region={}", r.try_get::<i64, _>("grp_key")?),
                Grouping::Industry => format!(
                    "industry={}",
                    url_encode(&r.try_get::<String, _>("grp_key")?)
                ),
            };
            Ok(GroupProgress {
                filter,
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

/// `text` percent-encoded for a URL query value (every byte but unreserved ASCII).
fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b => format!("%{b:02X}"),
        })
        .collect()
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
            filter: String::new(),
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
    /// Findings of the campaign still open.
    pub findings_open: i64,
    /// Of those, past their time limit on the day the list was read.
    pub findings_overdue: i64,
}

/// What the enterprise list's status filter selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStatus {
    /// Self-inspection in this state.
    SelfInspection(Status),
    /// With findings of the campaign still open.
    FindingsOpen,
    /// With open findings of the campaign past their time limit.
    FindingsOverdue,
}

impl ListStatus {
    /// Every status filter, in the order the page offers them.
    pub const ALL: [ListStatus; 5] = [
        ListStatus::SelfInspection(Status::NotStarted),
        ListStatus::SelfInspection(Status::Draft),
        ListStatus::SelfInspection(Status::Submitted),
        ListStatus::FindingsOpen,
        ListStatus::FindingsOverdue,
    ];

    /// The code in a URL: a self-inspection status code, `open_findings` or `overdue`.
    pub fn code(self) -> &'static str {
        match self {
            ListStatus::SelfInspection(s) => s.code(),
            ListStatus::FindingsOpen => "open_findings",
            ListStatus::FindingsOverdue => "overdue",
        }
    }

    /// Parses [`ListStatus::code`].
    pub fn from_code(code: &str) -> Option<ListStatus> {
        ListStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            ListStatus::SelfInspection(Status::NotStarted) => "尚未自查",
            ListStatus::SelfInspection(Status::Draft) => "自查草稿",
            ListStatus::SelfInspection(Status::Submitted) => "自查已提交",
            ListStatus::FindingsOpen => "有未整改问题隐患",
            ListStatus::FindingsOverdue => "有逾期未整改问题隐患",
        }
    }
}

/// Order of the enterprise list; each ends with the enterprise's id, a unique key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListSort {
    /// By name in pinyin order ([`crate::keys::pinyin_key`]).
    #[default]
    Name,
    /// By region (administrative order), then by name in pinyin order.
    Region,
}

impl ListSort {
    /// Every order, the default first.
    pub const ALL: [ListSort; 2] = [ListSort::Name, ListSort::Region];

    /// The code in a URL: `name` or `region`.
    pub fn code(self) -> &'static str {
        match self {
            ListSort::Name => "name",
            ListSort::Region => "region",
        }
    }

    /// Parses [`ListSort::code`].
    pub fn from_code(code: &str) -> Option<ListSort> {
        ListSort::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            ListSort::Name => "按名称拼音",
            ListSort::Region => "按属地",
        }
    }

    fn sql(self) -> &'static str {
        match self {
            ListSort::Name => "e.sort_key, e.id",
            ListSort::Region => "r.path, e.sort_key, e.id",
        }
    }
}

/// Filters of the enterprise list; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Text found in the name or the USCC ([`crate::keys::like_pattern`]: case-insensitive,
    /// full-width folded, Simplified finds Traditional).
    pub search: Option<String>,
    /// Enterprises whose region lies in the subtree of this region (by id).
    pub region_id: Option<i64>,
    /// Industry, exactly.
    pub industry: Option<String>,
    /// Status.
    pub status: Option<ListStatus>,
    /// Order.
    pub sort: ListSort,
}

/// Writes the condition of the list (over `e`, `s` self-inspections) into `sql`.
fn push_list_condition(
    sql: &mut Sql,
    scope: &Scope,
    campaign: &str,
    filter: &ListFilter,
    today: NaiveDate,
) {
    // Enrolment as a condition, not a join: the planner then starts from the enterprises of the
    // scope (their region index) rather than from every enrolment of the campaign.
    sql.push(&format!(
        "EXISTS (SELECT 1 FROM enrolments en WHERE en.enterprise_id = e.id \
         AND en.campaign_id = {campaign}) AND "
    ))
    .push_scope(scope);
    if let Some(pattern) = filter.search.as_deref().and_then(crate::keys::like_pattern) {
        sql.push(" AND e.search_key LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\'");
    }
    if let Some(region) = filter.region_id {
        sql.push(" AND e.region_id IN (SELECT sr.id FROM regions sr JOIN regions top ON top.id = ")
            .push_bind(region)
            .push(" WHERE substr(sr.path, 1, length(top.path)) = top.path)");
    }
    if let Some(industry) = &filter.industry {
        sql.push(" AND e.industry = ").push_bind(industry.as_str());
    }
    match filter.status {
        None => {}
        Some(ListStatus::SelfInspection(Status::NotStarted)) => {
            sql.push(" AND s.status IS NULL");
        }
        Some(ListStatus::SelfInspection(st)) => {
            sql.push(" AND s.status = ").push_bind(st.code());
        }
        Some(ListStatus::FindingsOpen) => {
            sql.push(&format!(
                " AND EXISTS (SELECT 1 FROM findings f WHERE f.enterprise_id = e.id \
                 AND f.campaign_id = {campaign} AND {})",
                crate::findings::OPEN_CONDITION
            ));
        }
        Some(ListStatus::FindingsOverdue) => {
            let today = sql.bind(today.to_string());
            sql.push(&format!(
                " AND EXISTS (SELECT 1 FROM findings f WHERE f.enterprise_id = e.id \
                 AND f.campaign_id = {campaign} AND {})",
                crate::findings::overdue_condition(&today)
            ));
        }
    }
}

/// The query of one page of the enterprise list.
fn page_query(
    scope: &Scope,
    campaign_id: i64,
    filter: &ListFilter,
    today: NaiveDate,
    page: PageRequest,
) -> Sql {
    let mut sql = Sql::default();
    let campaign = sql.bind(campaign_id);
    let select = ENTERPRISE_SELECT.replacen("SELECT ", "SELECT s.status AS si_status, ", 1);
    sql.push(&format!(
        "{select} \
         LEFT JOIN self_inspections s ON s.campaign_id = {campaign} AND s.enterprise_id = e.id \
         WHERE "
    ));
    push_list_condition(&mut sql, scope, &campaign, filter, today);
    sql.push(" ORDER BY ")
        .push(filter.sort.sql())
        .push_page(page);
    sql
}

/// The database's plan of the query reading one page of the enterprise list (the lines of
/// SQLite's `EXPLAIN QUERY PLAN`, or PostgreSQL's `EXPLAIN` with sequential scans discouraged,
/// so that a plan still holding one means no index serves), for checking that no list reads
/// every enterprise where an index exists (issue #19 point 4).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn explain_enterprises(
    store: &Store,
    scope: &Scope,
    campaign_id: i64,
    filter: &ListFilter,
    today: NaiveDate,
) -> Result<String, StoreError> {
    let query = page_query(scope, campaign_id, filter, today, PageRequest::default());
    let mut sql = Sql::new(match store.backend() {
        crate::Backend::Sqlite => "EXPLAIN QUERY PLAN ",
        crate::Backend::Postgres => "EXPLAIN ",
    });
    sql.append(query);
    let mut conn = store.reader().acquire().await?;
    let lines = match store.backend() {
        crate::Backend::Sqlite => {
            let rows = sql.query().fetch_all(&mut *conn).await?;
            rows.iter()
                .map(|r| r.try_get::<String, _>(3))
                .collect::<Result<Vec<_>, _>>()?
        }
        crate::Backend::Postgres => {
            sqlx::query("SET enable_seqscan = off")
                .execute(&mut *conn)
                .await?;
            let rows = sql.query().fetch_all(&mut *conn).await;
            sqlx::query("RESET enable_seqscan")
                .execute(&mut *conn)
                .await?;
            rows?
                .iter()
                .map(|r| r.try_get::<String, _>(0))
                .collect::<Result<Vec<_>, _>>()?
        }
    };
    Ok(lines.join("\n"))
}

/// One page of the enrolled enterprises of `campaign_id` inside `scope` matching `filter`, in
/// the filter's order (ending with the id, so pages never overlap on either backend). The total
/// is counted in SQL; open and overdue findings (overdue judged on `today`) are counted by one
/// grouped query over the page's enterprises only.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn enterprises(
    store: &Store,
    scope: &Scope,
    campaign_id: i64,
    filter: &ListFilter,
    today: NaiveDate,
    page: PageRequest,
) -> Result<Page<EnterpriseProgress>, StoreError> {
    let mut count = Sql::default();
    let campaign = count.bind(campaign_id);
    count.push(&format!(
        "SELECT COUNT(*) FROM enterprises e \
         LEFT JOIN self_inspections s ON s.campaign_id = {campaign} AND s.enterprise_id = e.id \
         WHERE "
    ));
    push_list_condition(&mut count, scope, &campaign, filter, today);
    let total: i64 = count.query_scalar().fetch_one(store.reader()).await?;

    let sql = page_query(scope, campaign_id, filter, today, page);
    let rows = sql.query().fetch_all(store.reader()).await?;
    let mut out = rows
        .iter()
        .map(|r| {
            let status = match r.try_get::<Option<String>, _>("si_status")? {
                Some(code) => Status::from_code(&code)
                    .ok_or_else(|| StoreError::Corrupt(format!("status {code:?}")))?,
                None => Status::NotStarted,
            };
            Ok(EnterpriseProgress {
                enterprise: enterprise_from_row(r)?,
                status,
                findings_open: 0,
                findings_overdue: 0,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    if !out.is_empty() {
        let mut counts = Sql::default();
        let campaign = counts.bind(campaign_id);
        let today = counts.bind(today.to_string());
        counts.push(&format!(
            "SELECT f.enterprise_id, COUNT(*) AS open, \
             SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS overdue FROM findings f \
             WHERE f.campaign_id = {campaign} AND {} AND f.enterprise_id IN (",
            crate::findings::overdue_condition(&today),
            crate::findings::OPEN_CONDITION,
        ));
        counts
            .push_bind_list(out.iter().map(|p| p.enterprise.id))
            .push(") GROUP BY f.enterprise_id");
        for r in counts.query().fetch_all(store.reader()).await? {
            let id: i64 = r.try_get("enterprise_id")?;
            if let Some(p) = out.iter_mut().find(|p| p.enterprise.id == id) {
                p.findings_open = r.try_get("open")?;
                p.findings_overdue = r.try_get::<Option<i64>, _>("overdue")?.unwrap_or(0);
            }
        }
    }
    Ok(Page::new(out, total, page))
}
