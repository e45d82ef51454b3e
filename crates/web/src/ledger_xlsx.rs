//! The findings ledger as an `.xlsx` workbook: the store's findings mapped to the office
//! crate's read model ([`safeduty_office::ledger`]), overdue judged there on `today` by the rule
//! every list uses.

use chrono::NaiveDate;
use safeduty_office::ledger::{self, LedgerRow};
use safeduty_store::findings::Finding;

/// The ledger's read model of finding `f`.
pub fn row(f: &Finding) -> LedgerRow {
    LedgerRow {
        enterprise_name: f.enterprise_name.clone(),
        region_name: f.region_name.clone(),
        description: f.description.clone(),
        location: f.location.clone(),
        category: f.category,
        grade: f.grade,
        source: f.source,
        item_number: f.item_number,
        opened_on: f.opened_on,
        plan: f.plan.clone(),
        due_on: f.due_on,
        temporary_measures: f.temporary_measures.clone(),
        status: f.status,
        closed_on: f.closed_on,
        stop_work: f.stop_work,
        pending_extension: f.pending_extension.clone(),
    }
}

/// The workbook of `rows` (in the order given), overdue judged on `today`.
///
/// # Errors
/// [`safeduty_office::Error`] when the writer fails.
pub fn write(rows: &[Finding], today: NaiveDate) -> Result<Vec<u8>, safeduty_office::Error> {
    ledger::xlsx(&rows.iter().map(row).collect::<Vec<_>>(), today)
}
