//! Strict enforcement (第三阶段, issue #12): who holds which powers and certificates
//! ([`authority`]), on-site inspections ([`inspections`]), correction orders with extensions and
//! re-inspections ([`orders`]), on-site measures ([`measures`]) and the documents generated from
//! them and kept signed ([`documents`]); an inspection or order read whole ([`dossiers`]), the
//! figures per unit ([`figures`]), inspection plans with their random draw ([`plans`]) and the
//! regions' violation libraries ([`violations`]); penalty cases from filing to closing
//! ([`cases`], issue #13) and the exposure of typical cases ([`exposures`]); acceptance
//! inspections with their guests ([`acceptance`], issue #14).
//!
//! Reading is [`Action::ReadEnforcement`] on the enterprise (an enterprise its own records);
//! acting is [`Action::Enforce`] by an officer of the unit that holds the power and, on an
//! existing record, of the unit that issued it; answering an order is
//! [`Action::RespondToOrder`] by the enterprise.

pub mod acceptance;
pub mod authority;
pub mod cases;
pub mod dishonesty;
pub mod documents;
pub mod dossiers;
pub mod exposures;
pub mod figures;
pub mod inspections;
pub mod measures;
pub mod orders;
pub mod photos;
pub mod plans;
pub mod violations;

use chrono::NaiveDate;
use safeduty_core::enforcement::rules::{EnforcementRules, Rules};
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_store::Store;
use safeduty_store::org::Enterprise;

use crate::{Caller, Error, guard};

/// The enterprise with internal id `id`, if `caller` may take `action` on it; otherwise the
/// guard's denial (recorded).
///
/// # Errors
/// [`Error::NotFound`], [`Error::Forbidden`], store errors.
pub(crate) async fn enterprise_by_id(
    store: &Store,
    caller: &Caller<'_>,
    id: i64,
    action: Action,
) -> Result<Enterprise, Error> {
    let e = safeduty_store::org::enterprise_by_id(store, id).await?;
    guard::require(store, caller, action, Some(&e.facts)).await?;
    Ok(e)
}

/// The procedure rules in force on `date` (shipped data, `core::enforcement::rules`); a day
/// before any is in force is refused on `field`.
///
/// # Errors
/// A [`Refusal`] (invalid) on `field`.
pub(crate) fn rules_on(date: NaiveDate, field: &'static str) -> Result<EnforcementRules, Error> {
    Rules::shipped()
        .at(date)
        .map_err(|e| Refusal::invalid(e.to_string()).on(field).into())
}
