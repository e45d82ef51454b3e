//! The campaign a caller works in.

use safeduty_store::Store;
use safeduty_store::campaigns::{self, Campaign};

use crate::{Caller, Error};

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
