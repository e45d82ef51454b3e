//! The campaign a caller works in, and the campaign as it is read (the campaign page,
//! `GET /api/v1/campaign`).

use safeduty_core::policy::Action;
use safeduty_store::Store;
use safeduty_store::campaigns::{self, Campaign};

use crate::{Caller, Error, guard};

/// The campaign `caller` works in: the latest of the caller's region
/// ([`campaigns::current_for`]); [`Error::NotFound`] for a caller whose scope holds no region or
/// whose region runs none.
///
/// # Errors
/// [`Error::NotFound`], store errors.
pub async fn current(store: &Store, caller: &Caller<'_>) -> Result<Campaign, Error> {
    campaigns::current_for(store, &caller.user.scope)
        .await?
        .ok_or(Error::NotFound)
}

/// The campaign `caller` reads ([`Action::ViewCampaign`]): the one it works in, or `None` when
/// its region runs none (the page says so, the API answers 404).
///
/// # Errors
/// The guard's denials, store errors.
pub async fn read(store: &Store, caller: &Caller<'_>) -> Result<Option<Campaign>, Error> {
    guard::require(store, caller, Action::ViewCampaign, None).await?;
    Ok(campaigns::current_for(store, &caller.user.scope).await?)
}
