//! An inspection or an order read whole, as the JSON API answers it: the record with what
//! followed from it (order, re-inspection, measures) and the document numbers it carries; and
//! the officers of the caller's unit, to name on a record.

use safeduty_core::enforcement::numbering::DocumentKind;
use safeduty_core::enforcement::rules::Rules;
use safeduty_core::policy::Action;
use safeduty_store::Store;
use safeduty_store::enforcement::authority::OfficerRow;
use safeduty_store::enforcement::inspections::Inspection;
use safeduty_store::enforcement::measures::{self, Measures};
use safeduty_store::enforcement::orders::{self, Order, ReInspection};

use super::{authority, inspections};
use crate::{Caller, Error, guard};

/// An inspection with its order and on-site measures, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionDossier {
    /// The record.
    pub inspection: Inspection,
    /// Its number, e.g. （示）应急检记〔2024〕3号.
    pub number: String,
    /// The correction order issued on it.
    pub order: Option<Order>,
    /// The on-site measures decided after it.
    pub measures: Option<Measures>,
}

/// An order with its re-inspection, if recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDossier {
    /// The order.
    pub order: Order,
    /// Its number (the inspection's sequence with the order's kind word).
    pub number: String,
    /// The re-inspection.
    pub re_inspection: Option<ReInspection>,
}

/// The number of document `kind` of the inspection (`year`, `seq`) of the enterprise
/// `enterprise_id`, under the settings of the enterprise's region.
async fn number(
    store: &Store,
    enterprise_id: i64,
    kind: DocumentKind,
    year: i32,
    seq: i64,
    on: chrono::NaiveDate,
) -> Result<String, Error> {
    let e = safeduty_store::org::enterprise_by_id(store, enterprise_id).await?;
    let cap = Rules::shipped()
        .at(on)
        .ok()
        .and_then(|r| r.inspection_cap_per_year.map(|c| c.value))
        .unwrap_or(u32::MAX);
    let settings = authority::settings(store, &e.facts.region_path, &e.region_name, cap).await?;
    Ok(authority::number(&settings, kind, year, seq))
}

/// The inspection with public id `id` and what followed from it, for a caller who may read it
/// (an enterprise its own).
///
/// # Errors
/// [`Error::NotFound`] (unknown or outside the scope), [`Error::Forbidden`], store errors.
pub async fn inspection(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
) -> Result<InspectionDossier, Error> {
    let i = inspections::inspection_for(store, caller, id, Action::ReadEnforcement).await?;
    let s = &i.summary;
    Ok(InspectionDossier {
        number: number(
            store,
            s.enterprise_id,
            DocumentKind::InspectionRecord,
            s.year,
            s.seq,
            s.inspected_on,
        )
        .await?,
        order: orders::of_inspection(store, s.id).await?,
        measures: measures::of_inspection(store, s.id).await?,
        inspection: i,
    })
}

/// The order with public id `id` and its re-inspection, for a caller who may read it.
///
/// # Errors
/// [`Error::NotFound`] (unknown or outside the scope), [`Error::Forbidden`], store errors.
pub async fn order(store: &Store, caller: &Caller<'_>, id: &str) -> Result<OrderDossier, Error> {
    let o = super::orders::order_for(store, caller, id, Action::ReadEnforcement).await?;
    Ok(OrderDossier {
        number: number(
            store,
            o.enterprise_id,
            DocumentKind::CorrectionOrder,
            o.year,
            o.seq,
            o.inspected_on,
        )
        .await?,
        re_inspection: orders::re_inspection_of(store, o.id).await?,
        order: o,
    })
}

/// The officers of the caller's own unit with their certificates, to name on an inspection or
/// a re-inspection (an officer of a unit only: certificate numbers are personal data).
///
/// # Errors
/// The guard's denials; store errors.
pub async fn own_officers(store: &Store, caller: &Caller<'_>) -> Result<Vec<OfficerRow>, Error> {
    guard::require(store, caller, Action::Enforce, None).await?;
    authority::officers(store, caller).await
}
