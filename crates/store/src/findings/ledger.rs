//! The findings ledger (隐患台账) as a filtered, sorted, paged list inside the caller's scope.
//! The page, the JSON API and the `.xlsx` export read the same query, so they show the same rows;
//! overdue is [`super::overdue_condition`], the rule of `safeduty_core::finding::is_overdue`.

use chrono::NaiveDate;
use safeduty_core::finding::ledger::{Category, Grade, Source};
use safeduty_core::finding::lifecycle::Status;
use safeduty_core::policy::Scope;
use sqlx::Row;

use super::{FINDING_SELECT, Finding, OPEN_CONDITION, finding_from_row, overdue_condition};
use crate::scope::{Arg, bind_all, enterprise_condition};
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
    /// Parses `due`, `opened`, `grade`.
    pub fn from_code(code: &str) -> Option<Sort> {
        match code {
            "due" => Some(Sort::Due),
            "opened" => Some(Sort::OpenedDesc),
            "grade" => Some(Sort::Grade),
            _ => None,
        }
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

fn where_clause(
    scope: &Scope,
    campaign_id: i64,
    filter: &Filter,
    today: NaiveDate,
) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::I64(campaign_id), Arg::Text(today.to_string())];
    let mut conds = vec!["f.campaign_id = $1".to_string()];
    // A condition with one argument, written with `$?` for its placeholder.
    let mut with_arg = |sql: &str, arg: Arg| {
        args.push(arg);
        conds.push(sql.replace("$?", &format!("${}", args.len())));
    };
    if let Some(StatusFilter::Is(s)) = filter.status {
        with_arg("f.status = $?", Arg::Text(s.code().into()));
    }
    if let Some(g) = filter.grade {
        with_arg("f.grade = $?", Arg::Text(g.code().into()));
    }
    if let Some(c) = filter.category {
        with_arg("f.category = $?", Arg::Text(c.code().into()));
    }
    if let Some(s) = filter.source {
        with_arg("f.source = $?", Arg::Text(s.code().into()));
    }
    if let Some(e) = filter.enterprise_id {
        with_arg("f.enterprise_id = $?", Arg::I64(e));
    }
    if let Some(r) = filter.region_id {
        with_arg(
            "substr(r.path, 1, length((SELECT rr.path FROM regions rr WHERE rr.id = $?))) = \
             (SELECT rr.path FROM regions rr WHERE rr.id = $?)",
            Arg::I64(r),
        );
    }
    if filter.status == Some(StatusFilter::Unclosed) {
        conds.push(OPEN_CONDITION.into());
    }
    match filter.overdue {
        Some(true) => conds.push(overdue_condition(2)),
        Some(false) => conds.push(format!("NOT {}", overdue_condition(2))),
        None => {}
    }
    let cond = enterprise_condition(scope, args.len() + 1);
    conds.push(cond.sql);
    args.extend(cond.args);
    (conds.join(" AND "), args)
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
    let (cond, args) = where_clause(scope, campaign_id, filter, today);
    let count_sql = format!(
        "SELECT COUNT(*) FROM findings f JOIN enterprises e ON e.id = f.enterprise_id \
         JOIN regions r ON r.id = e.region_id WHERE {cond}"
    );
    let total: i64 = bind_all(sqlx::query(sqlx::AssertSqlSafe(count_sql)), &args)
        .fetch_one(store.reader())
        .await?
        .try_get(0)?;
    let limit = match page {
        Some(p) => format!(
            " LIMIT {PAGE_SIZE} OFFSET {}",
            u64::from(p.max(1) - 1) * u64::from(PAGE_SIZE)
        ),
        None => String::new(),
    };
    let sql = format!(
        "{FINDING_SELECT} WHERE {cond} ORDER BY {}{limit}",
        filter.sort.sql()
    );
    let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &args)
        .fetch_all(store.reader())
        .await?;
    Ok(Page {
        rows: rows
            .iter()
            .map(finding_from_row)
            .collect::<Result<_, _>>()?,
        total,
    })
}
