//! An enterprise's own profile (principal person, safety institution) and its safety management
//! personnel (Work Safety Law art. 24–27): read by whoever may read the profile, kept by the
//! enterprise. A form the core refuses comes back as its list of [`FieldProblem`]s, one per
//! field, for the page to show beside the fields; nothing is written then.

use chrono::NaiveDate;
use safeduty_core::personnel::{
    FieldProblem, PersonInput, ProfileInput, check_person, check_profile,
};
use safeduty_core::policy::{Action, authorize};
use safeduty_store::Store;
use safeduty_store::org::Enterprise;
use safeduty_store::personnel::{self, OwnFields, Personnel};

use crate::{Caller, Error, guard};

/// What a form's check found: `Ok` written, `Err` the problems (nothing written).
pub type Checked = Result<(), Vec<FieldProblem>>;

/// An enterprise's profile page.
#[derive(Debug)]
pub struct Sheet {
    /// The enterprise.
    pub enterprise: Enterprise,
    /// Its own fields.
    pub own: OwnFields,
    /// Its safety management personnel.
    pub people: Vec<Personnel>,
    /// Whether the caller may edit them.
    pub editable: bool,
}

/// The profile of the enterprise `enterprise_id` (public id).
///
/// # Errors
/// The guard's denials; store errors.
pub async fn sheet(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
) -> Result<Sheet, Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::ReadProfile).await?;
    Ok(Sheet {
        own: personnel::own_fields(store, e.id).await?,
        people: personnel::list(store, e.id).await?,
        editable: authorize(&caller.actor(), Action::EditProfile, Some(&e.facts)).is_ok(),
        enterprise: e,
    })
}

/// Saves the enterprise's own fields ([`check_profile`]).
///
/// # Errors
/// The guard's denials; store errors.
pub async fn save_profile(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    input: &ProfileInput,
) -> Result<Checked, Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::EditProfile).await?;
    let p = match check_profile(input) {
        Ok(p) => p,
        Err(problems) => return Ok(Err(problems)),
    };
    personnel::update_profile(store, &caller.who(), e.id, &e.public_id, &p).await?;
    Ok(Ok(()))
}

/// Adds a safety manager ([`check_person`], dates checked against `today`).
///
/// # Errors
/// The guard's denials; store errors.
pub async fn add_person(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    input: &PersonInput,
    today: NaiveDate,
) -> Result<Checked, Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::EditProfile).await?;
    let p = match check_person(input, today) {
        Ok(p) => p,
        Err(problems) => return Ok(Err(problems)),
    };
    personnel::add(store, &caller.who(), e.id, &p).await?;
    Ok(Ok(()))
}

/// Changes the safety manager `person_id` (public id).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for a person not of the enterprise; store errors.
pub async fn update_person(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    person_id: &str,
    input: &PersonInput,
    today: NaiveDate,
) -> Result<Checked, Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::EditProfile).await?;
    let p = match check_person(input, today) {
        Ok(p) => p,
        Err(problems) => return Ok(Err(problems)),
    };
    personnel::update(store, &caller.who(), e.id, person_id, &p).await?;
    Ok(Ok(()))
}

/// The person `person_id` is no longer a safety manager (kept, with their signatures).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`]; store errors.
pub async fn remove_person(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    person_id: &str,
) -> Result<(), Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::EditProfile).await?;
    Ok(personnel::remove(store, &caller.who(), e.id, person_id).await?)
}

/// The public id of the enterprise an enterprise user works for; `None` for any other scope.
///
/// # Errors
/// Store errors.
pub async fn own_enterprise(store: &Store, caller: &Caller<'_>) -> Result<Option<String>, Error> {
    let safeduty_core::policy::Scope::Enterprise { enterprise_id } = caller.user.scope else {
        return Ok(None);
    };
    let e = safeduty_store::org::enterprise_by_id(store, enterprise_id).await?;
    Ok(Some(e.public_id))
}
