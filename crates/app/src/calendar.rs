//! The working-day calendar's holiday arrangements (`/calendar`, `safeduty calendar load`): the
//! committee office reads which years were loaded, previews a State Council notice against the
//! calendar in force, and saves its year ([`Action::ManageCalendar`]). A year already known is
//! replaced only when the notice's days differ. Reading the notice's text is
//! `safeduty_plan::notice`; the caller parses it and hands the [`Notice`] here.

use safeduty_core::calendar::Calendar;
use safeduty_core::policy::Action;
use safeduty_plan::notice::Notice;
use safeduty_store::Store;
use safeduty_store::audit::Who;
use safeduty_store::calendar::{LoadedYear, NoticeIdentity, SaveOutcome, loaded_years, save_year};

use crate::{Caller, Error, guard};

/// The years loaded at run time (each replacing the shipped one), by year.
///
/// # Errors
/// The guard's denials, store errors.
pub async fn loaded(store: &Store, caller: &Caller<'_>) -> Result<Vec<LoadedYear>, Error> {
    guard::require(store, caller, Action::ManageCalendar, None).await?;
    Ok(loaded_years(store).await?)
}

/// What saving `notice` would do to `calendar` (the calendar in force): add its year, leave it
/// unchanged, or replace it with these differences. Nothing is written.
///
/// # Errors
/// The guard's denials.
pub async fn preview(
    store: &Store,
    caller: &Caller<'_>,
    notice: &Notice,
    calendar: &Calendar,
) -> Result<SaveOutcome, Error> {
    guard::require(store, caller, Action::ManageCalendar, None).await?;
    Ok(match calendar.year(notice.year) {
        None => SaveOutcome::Added,
        Some(old) => {
            let diff = old.diff(&notice.arrangement);
            if diff.is_empty() {
                SaveOutcome::Unchanged
            } else {
                SaveOutcome::Replaced(diff)
            }
        }
    })
}

/// Saves the year of `notice` for `caller`, its source recorded as loaded on the web by the
/// caller ([`save_as`]).
///
/// # Errors
/// The guard's denials, store errors.
pub async fn save(
    store: &Store,
    caller: &Caller<'_>,
    notice: &Notice,
) -> Result<SaveOutcome, Error> {
    guard::require(store, caller, Action::ManageCalendar, None).await?;
    let source = format!("{}于网页载入", caller.user.display_name);
    save_as(store, &caller.who(), notice, source).await
}

/// Saves the year of `notice` as `who`, with `source` (what was loaded: a file name, or who
/// loaded it on the web), replacing the year in force only when it differs; audited. Asks no
/// policy: this is the operator's path (`safeduty calendar load --apply` acts as the system);
/// users come through [`save`].
///
/// # Errors
/// Store errors.
pub async fn save_as(
    store: &Store,
    who: &Who,
    notice: &Notice,
    source: String,
) -> Result<SaveOutcome, Error> {
    let identity = NoticeIdentity {
        document_number: notice.document_number.clone(),
        dated: notice.dated,
        source,
    };
    Ok(save_year(store, who, notice.year, &notice.arrangement, &identity).await?)
}
