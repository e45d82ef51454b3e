//! Campaign progress as officers read it: the committee office's overview (`/overview`) and the
//! enterprise list of a scope (`/enterprises`, `GET /api/v1/enterprises`), each of the caller's
//! campaign and filtered by the caller's scope in the store's queries.

use chrono::NaiveDate;
use safeduty_core::policy::Action;
use safeduty_store::Store;
use safeduty_store::campaigns::Campaign;
use safeduty_store::paging::{Page, PageRequest};
use safeduty_store::progress::{self, EnterpriseProgress, ListFilter, Overview};

use crate::{Caller, Error, campaigns, guard};

/// The overview of `caller`'s campaign on `today` ([`Action::ViewDashboard`]), with the
/// campaign: self-inspection progress in total, by region and by industry (the plan's target
/// industries in the plan's order, others after them by name), open and overdue findings.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without a campaign; store errors.
pub async fn overview(
    store: &Store,
    caller: &Caller<'_>,
    today: NaiveDate,
) -> Result<(Campaign, Overview), Error> {
    guard::require(store, caller, Action::ViewDashboard, None).await?;
    let campaign = campaigns::current(store, caller).await?;
    let mut o = progress::overview(store, &caller.user.scope, campaign.id, today).await?;
    let order = &campaign.template.target_industries;
    o.by_industry.sort_by_key(|g| {
        order
            .iter()
            .position(|i| *i == g.group)
            .unwrap_or(order.len())
    });
    Ok((campaign, o))
}

/// One page of the enterprises of `caller`'s campaign inside its scope matching `filter`, each
/// with its self-inspection status and open and overdue findings (judged on `today`)
/// ([`Action::ListEnterprises`]), with the campaign.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without a campaign; store errors.
pub async fn enterprises(
    store: &Store,
    caller: &Caller<'_>,
    filter: &ListFilter,
    today: NaiveDate,
    page: PageRequest,
) -> Result<(Campaign, Page<EnterpriseProgress>), Error> {
    guard::require(store, caller, Action::ListEnterprises, None).await?;
    let campaign = campaigns::current(store, caller).await?;
    let rows =
        progress::enterprises(store, &caller.user.scope, campaign.id, filter, today, page).await?;
    Ok((campaign, rows))
}

/// Every enterprise of the current campaign in `caller`'s scope on `today`, ordered by region,
/// read page by page ([`safeduty_store::paging::MAX_PER_PAGE`] a page): for figures over the
/// whole scope (the charts), not for a list shown to a person.
///
/// # Errors
/// As [`enterprises`].
pub async fn all_enterprises(
    store: &Store,
    caller: &Caller<'_>,
    today: NaiveDate,
) -> Result<(Campaign, Vec<EnterpriseProgress>), Error> {
    let filter = ListFilter {
        sort: progress::ListSort::Region,
        ..ListFilter::default()
    };
    let mut all = Vec::new();
    let mut number = 1;
    loop {
        let request = PageRequest::new(number, safeduty_store::paging::MAX_PER_PAGE);
        let (campaign, page) = enterprises(store, caller, &filter, today, request).await?;
        let total = usize::try_from(page.total).unwrap_or(0);
        let last = page.rows.is_empty();
        all.extend(page.rows);
        if last || all.len() >= total {
            return Ok((campaign, all));
        }
        number += 1;
    }
}
