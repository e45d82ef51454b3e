//! Strict enforcement (issue #12): who holds which powers and certificates
//! ([`authority`]), document numbers ([`numbers`]), on-site inspections ([`inspections`]),
//! correction orders with extensions and re-inspections ([`orders`]), on-site measures
//! ([`measures`]), the signed documents of record ([`documents`]), the figures per unit
//! ([`figures`]), inspection plans with their random draw and targets ([`plans`]), what the
//! public pages publish of the draws and their inspections' outcomes ([`publication`]), the
//! regions' violation libraries and the texts an inspection was recorded with ([`violations`]),
//! and penalty cases with the record of their procedure ([`cases`], issue #13) and the
//! exposures of typical cases ([`exposures`]); listings on the dishonesty list ([`dishonesty`],
//! issue #14) and acceptance inspections with their guests ([`acceptances`], issue #14).
//!
//! Callers check the policy and the rules of `safeduty_core::enforcement` first; this module
//! persists, each change with its audit record in the same transaction. Codes (powers, answers,
//! statuses) are stored as the core's stable codes.

pub mod acceptances;
pub mod authority;
pub mod cases;
pub mod demo;
pub mod dishonesty;
pub mod documents;
pub mod exposures;
pub mod figures;
pub mod inspections;
pub mod measures;
pub mod numbers;
pub mod orders;
pub mod plans;
pub mod publication;
pub mod violations;

use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::StoreError;

/// An officer as named on a document: the account, and the name and certificate number as they
/// were on the day (kept with the document, so a later change of either leaves it as issued).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OfficerOnDuty {
    /// The officer's account.
    pub user_id: i64,
    /// Name as printed.
    pub name: String,
    /// Enforcement certificate number (执法证号) as printed.
    pub certificate_number: String,
}

pub(crate) fn date(r: &AnyRow, column: &str) -> Result<NaiveDate, StoreError> {
    let s: String = r.try_get(column)?;
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("{column}: not a date: {s:?}")))
}

pub(crate) fn opt_date(r: &AnyRow, column: &str) -> Result<Option<NaiveDate>, StoreError> {
    let s: Option<String> = r.try_get(column)?;
    s.map(|s| {
        s.parse()
            .map_err(|_| StoreError::Corrupt(format!("{column}: not a date: {s:?}")))
    })
    .transpose()
}
