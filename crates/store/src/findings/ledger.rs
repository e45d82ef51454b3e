//! The findings ledger (隐患台账) as a filtered, sorted, paged list inside the caller's scope.
//! The page, the JSON API and the `.xlsx` export read the same query, so they show the same rows;
//! overdue is [`super::overdue_condition`], the rule of `safeduty_core::finding::is_overdue`.

use chrono::NaiveDate;
use safeduty_core::finding::ledger::{Category, Grade, Source};
use safeduty_core::finding::lifecycle::Status;
use safeduty_core::policy::Scope;

use super::{FINDING_SELECT, Finding, OPEN_CONDITION, finding_from_row, overdue_condition};
use crate::sql::Sql;
use crate::{Store, StoreError};

/// Which statuses to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Every status but closed (未销号).
    Unclosed,
    /// One status.
    Is(Status),
}

impl StatusFilter {
    /// Parses `unclosed` or a status code.
    pub fn from_code(code: &str) -> Option<StatusFilter> {
        match code {
            "unclosed" => Some(StatusFilter::Unclosed),
            other => Status::from_code(other).map(StatusFilter::Is),
        }
    }
}

/// Order of the ledger; every order ends with the finding's id, a unique key, so that pages
/// never overlap or skip a row on either database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// By time limit, earliest first.
    #[default]
    Due,
    /// By opening day, latest first.
    OpenedDesc,
    /// Major findings first, then by time limit.
    Grade,
}

impl Sort {
    /// Every order, the default first.
    pub const ALL: [Sort; 3] = [Sort::Due, Sort::OpenedDesc, Sort::Grade];

    /// Parses `due`, `opened`, `grade`.
    pub fn from_code(code: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The code [`Sort::from_code`] reads.
    pub fn code(self) -> &'static str {
        match self {
            Sort::Due => "due",
            Sort::OpenedDesc => "opened",
            Sort::Grade => "grade",
        }
    }

    fn sql(self) -> &'static str {
        match self {
            Sort::Due => "f.due_on, f.id",
            Sort::OpenedDesc => "f.opened_on DESC, f.id DESC",
            Sort::Grade => "CASE WHEN f.grade = 'major' THEN 0 ELSE 1 END, f.due_on, f.id",
        }
    }
}

/// Filters of the ledger; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Status.
    pub status: Option<StatusFilter>,
    /// Grade.
    pub grade: Option<Grade>,
    /// Category.
    pub category: Option<Category>,
    /// Source.
    pub source: Option<Source>,
    /// Overdue on the day given to the query (true), or not overdue (false).
    pub overdue: Option<bool>,
    /// Enterprises whose region lies in the subtree of this region (by id).
    pub region_id: Option<i64>,
    /// One enterprise.
    pub enterprise_id: Option<i64>,
    /// Order.
    pub sort: Sort,
}

/// Rows per page of the ledger page.
pub const PAGE_SIZE: u32 = 50;

/// One page of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The findings of the page, in order.
    pub rows: Vec<Finding>,
    /// How many match in all.
    pub total: i64,
}

/// Writes the condition of the ledger of `campaign_id` (with the findings of earlier campaigns
/// still open) inside `scope` with `filter`, overdue judged on `today`, into `sql` (over `f`
/// findings, `e` enterprises, `r` regions).
fn push_condition(
    sql: &mut Sql,
    scope: &Scope,
    campaign_id: i64,
    filter: &Filter,
    today: NaiveDate,
) {
    super::push_in_campaign(sql, campaign_id);
    if let Some(StatusFilter::Is(s)) = filter.status {
        sql.push(" AND f.status = ").push_bind(s.code());
    }
    if let Some(g) = filter.grade {
        sql.push(" AND f.grade = ").push_bind(g.code());
    }
    if let Some(c) = filter.category {
        sql.push(" AND f.category = ").push_bind(c.code());
    }
    if let Some(s) = filter.source {
        sql.push(" AND f.source = ").push_bind(s.code());
    }
    if let Some(e) = filter.enterprise_id {
        sql.push(" AND f.enterprise_id = ").push_bind(e);
    }
    if let Some(r) = filter.region_id {
        let region = sql.bind(r);
        sql.push(&format!(
            " AND substr(r.path, 1, length((SELECT rr.path FROM regions rr WHERE rr.id = {region}))) = \
             (SELECT rr.path FROM regions rr WHERE rr.id = {region})"
        ));
    }
    if filter.status == Some(StatusFilter::Unclosed) {
        sql.push(" AND ").push(OPEN_CONDITION);
    }
    if let Some(overdue) = filter.overdue {
        let today = sql.bind(today.to_string());
        let not = if overdue { "" } else { "NOT " };
        sql.push(&format!(" AND {not}{}", overdue_condition(&today)));
    }
    sql.push(" AND ").push_scope(scope);
}

/// The ledger of `campaign_id` inside `scope` with `filter`, overdue judged on `today`: the
/// page `page` (from 1) of [`PAGE_SIZE`] rows, or every row when `page` is `None` (the export).
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn query(
    store: &Store,
    scope: &Scope,
    campaign_id: i64,
    filter: &Filter,
    today: NaiveDate,
    page: Option<u32>,
) -> Result<Page, StoreError> {
    let mut count = Sql::new(
        "SELECT COUNT(*) FROM findings f JOIN enterprises e ON e.id = f.enterprise_id \
         JOIN regions r ON r.id = e.region_id WHERE ",
    );
    push_condition(&mut count, scope, campaign_id, filter, today);
    let total: i64 = count.query_scalar().fetch_one(store.reader()).await?;
    let mut sql = Sql::new(FINDING_SELECT);
    sql.push(" WHERE ");
    push_condition(&mut sql, scope, campaign_id, filter, today);
    sql.push(" ORDER BY ").push(filter.sort.sql());
    if let Some(p) = page {
        sql.push(" LIMIT ")
            .push_bind(i64::from(PAGE_SIZE))
            .push(" OFFSET ")
            .push_bind(i64::from(p.max(1) - 1) * i64::from(PAGE_SIZE));
    }
    let rows = sql.query().fetch_all(store.reader()).await?;
    Ok(Page {
        rows: rows
            .iter()
            .map(finding_from_row)
            .collect::<Result<_, _>>()?,
        total,
    })
}
