//! The inbox (`/inbox`): the notices of the caller's own account, the reminders addressed to the
//! caller's enterprise (and its principal person) or unit ([`reminders::recipients_of`]), and
//! marking one read. Who reads which reminders is the recipients' rule, not a policy action.

use safeduty_store::Store;
use safeduty_store::reminders::{self, Reminder, recipients_of};

use crate::{Caller, Error};

/// Most reminders shown.
pub const LIMIT: i64 = 200;

/// The newest reminders of `caller` (at most [`LIMIT`]), unread first.
///
/// # Errors
/// Store errors.
pub async fn reminders(store: &Store, caller: &Caller<'_>) -> Result<Vec<Reminder>, Error> {
    Ok(reminders::inbox(store, &recipients_of(caller.user), LIMIT).await?)
}

/// Marks the reminder `id` read for `caller` (again: harmless); audited.
///
/// # Errors
/// [`Error::NotFound`] for a reminder not addressed to the caller; store errors.
pub async fn mark_read(store: &Store, caller: &Caller<'_>, id: &str) -> Result<(), Error> {
    Ok(reminders::mark_read(store, &caller.who(), id, &recipients_of(caller.user)).await?)
}
