//! Findings (问题隐患): the ledger of a caller's scope and a step in a finding's loop. Pages and
//! the API (`/findings`, `/api/v1/findings`) both come here, so they list the same rows and
//! apply the same rules.

use chrono::NaiveDate;
use safeduty_core::finding::ledger::Details;
use safeduty_core::finding::lifecycle::{RefusalKind, Request};
use safeduty_core::policy::{Action, Denial};
use safeduty_store::audit::Object;
use safeduty_store::findings::flow::{self, Applied};
use safeduty_store::findings::ledger::{self, Filter};
use safeduty_store::findings::{self, Finding};
use safeduty_store::org::Enterprise;
use safeduty_store::{Store, StoreError};

use crate::{Caller, Error, campaigns, guard};

/// The ledger of `caller`'s scope in its campaign, filtered by `filter`: page `page` (from 1),
/// or every row with `None` (the export), with overdue computed for `today`.
///
/// # Errors
/// [`Error::NotFound`] without a campaign, the guard's denials, store errors.
pub async fn ledger(
    store: &Store,
    caller: &Caller<'_>,
    filter: &Filter,
    today: NaiveDate,
    page: Option<u32>,
) -> Result<ledger::Page, Error> {
    guard::require(store, caller, Action::ReadFindings, None).await?;
    let campaign = campaigns::current(store, caller).await?;
    Ok(ledger::query(store, &caller.user.scope, campaign.id, filter, today, page).await?)
}

/// The finding with public id `id` and its enterprise, if `caller` may take `action` on it; an
/// unknown id is answered (and recorded) like one outside the scope.
///
/// # Errors
/// [`Error::NotFound`], [`Error::Forbidden`], store errors.
pub async fn finding_for(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    action: Action,
) -> Result<(Finding, Enterprise), Error> {
    let f = match findings::get(store, id).await {
        Ok(f) => f,
        Err(StoreError::NotFound) => {
            guard::enterprise_for(store, caller, "", action).await?;
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    let e = guard::enterprise_for(store, caller, &f.enterprise_public_id, action).await?;
    Ok((f, e))
}

/// Applies `request` to the finding `id` for `caller`, against `version` with the request
/// `token`: the scope first (404), then the role (403), then the loop decides (403, 409, 422;
/// a step the role may not take is recorded as a denial, like the guard's). The finding is
/// returned with the outcome, so that a page can show it again with the refusal.
///
/// # Errors
/// The guard's [`Error`]s; the loop's outcome is the inner result.
pub async fn transition(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    request: Request,
    version: i64,
    token: Option<&str>,
    today: NaiveDate,
) -> Result<(Finding, Result<Applied, StoreError>), Error> {
    let (f, _) = finding_for(store, caller, id, Action::ActOnFinding).await?;
    let result = flow::apply(
        store,
        &caller.who(),
        caller.user.role,
        &f.public_id,
        request,
        version,
        token,
        today,
    )
    .await;
    record_forbidden(store, caller, &f, &result).await;
    Ok((f, result))
}

/// Edits the ledger fields of the finding `id` (category, grade, place, description, check
/// item) for `caller`, against `version` with `token`; who may edit what is the loop's
/// ([`safeduty_core::finding::lifecycle`]).
///
/// # Errors
/// As [`transition`].
pub async fn edit(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    details: &Details,
    version: i64,
    token: Option<&str>,
) -> Result<(Finding, Result<(), StoreError>), Error> {
    let (f, _) = finding_for(store, caller, id, Action::ActOnFinding).await?;
    let result = flow::edit(
        store,
        &caller.who(),
        caller.user.role,
        &f.public_id,
        details,
        version,
        token,
    )
    .await
    .map(|_| ());
    record_forbidden(store, caller, &f, &result).await;
    Ok((f, result))
}

/// Records a step the role may not take (403) as a denial, like the guard's: the policy let the
/// caller act on the finding, the loop refused the step.
async fn record_forbidden<T>(
    store: &Store,
    caller: &Caller<'_>,
    f: &Finding,
    result: &Result<T, StoreError>,
) {
    if let Err(StoreError::Refused(r)) = result
        && r.kind() == RefusalKind::Forbidden
    {
        guard::denied(
            store,
            caller,
            Action::ActOnFinding,
            (Object::Finding.into(), f.public_id.clone()),
            Denial::Forbidden,
        )
        .await;
    }
}
