//! What the public pages read (一公开, issue #12 point 2): the published draws and the outcomes
//! of their inspections. Anyone may read them without an account, so no policy is asked and no
//! read is audited; what is published — and nothing else — is decided by the store's read
//! models (`safeduty_store::enforcement::publication`, which states the rules).

use safeduty_store::Store;
use safeduty_store::enforcement::publication::{self, PublishedDraw, PublishedTarget};

use crate::Error;

/// Page `page` (from 1) of the published draws, newest first, and whether a later page has
/// more.
///
/// # Errors
/// Store errors.
pub async fn draws(store: &Store, page: u32) -> Result<(Vec<PublishedDraw>, bool), Error> {
    Ok(publication::draws(store, page).await?)
}

/// The published draw of the plan `public_id` with its targets and their published outcomes.
///
/// # Errors
/// [`Error::NotFound`] when it is not published (or does not exist); store errors.
pub async fn draw(
    store: &Store,
    public_id: &str,
) -> Result<(PublishedDraw, Vec<PublishedTarget>), Error> {
    Ok(publication::draw(store, public_id).await?)
}
