//! The audit administrator reads the audit trail ([`Action::ReadAuditTrail`]): a search, newest
//! first and paged by record number, and the matches of a search for an export (the file and
//! the export's own record are the web's download). Nothing here edits or deletes a record
//! (shared case B25).

use safeduty_core::policy::Action;
use safeduty_store::Store;
use safeduty_store::audit::search::{self, Query, Record};

use crate::{Caller, Error, guard};

/// Records per page of a search.
pub const PAGE_SIZE: i64 = 50;

/// Most records one export carries; a larger match asks for a narrower search.
pub const EXPORT_MAX: i64 = 100_000;

/// One page of a search.
#[derive(Debug, Clone)]
pub struct Page {
    /// Matches in all pages.
    pub total: i64,
    /// This page's records, newest first (at most [`PAGE_SIZE`]).
    pub records: Vec<Record>,
    /// More records follow, below the last one's number.
    pub more: bool,
}

/// The records matching `query` with a number below `before` (the newest when `None`).
///
/// # Errors
/// The guard's denials, store errors.
pub async fn search(
    store: &Store,
    caller: &Caller<'_>,
    query: &Query,
    before: Option<i64>,
) -> Result<Page, Error> {
    guard::require(store, caller, Action::ReadAuditTrail, None).await?;
    let total = search::count(store, query).await?;
    let mut records = search::page(store, query, before, PAGE_SIZE + 1).await?;
    let more = records.len() as i64 > PAGE_SIZE;
    records.truncate(PAGE_SIZE as usize);
    Ok(Page {
        total,
        records,
        more,
    })
}

/// What an export of a search finds.
#[derive(Debug, Clone)]
pub enum Export {
    /// Every match, oldest first.
    Records(Vec<Record>),
    /// More matches than [`EXPORT_MAX`] (this many): nothing is read.
    TooMany(i64),
}

/// The records matching `query`, for an export.
///
/// # Errors
/// The guard's denials, store errors.
pub async fn export(store: &Store, caller: &Caller<'_>, query: &Query) -> Result<Export, Error> {
    guard::require(store, caller, Action::ReadAuditTrail, None).await?;
    let total = search::count(store, query).await?;
    if total > EXPORT_MAX {
        return Ok(Export::TooMany(total));
    }
    Ok(Export::Records(
        search::all(store, query, EXPORT_MAX).await?,
    ))
}
