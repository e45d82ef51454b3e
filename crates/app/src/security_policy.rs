//! The password and lockout policy (GB/T 22239-2019 8.1.4.1 a–b), kept in the database and set
//! by the security administrator: all six settings or none.

use safeduty_core::identity::SecurityPolicy;
use safeduty_core::policy::Action;
use safeduty_store::{Store, security_policy};

use crate::{Caller, Error, guard};

/// The policy in force, for the security administrator.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn current(store: &Store, caller: &Caller<'_>) -> Result<SecurityPolicy, Error> {
    guard::require(store, caller, Action::ManageSecurityPolicy, None).await?;
    Ok(security_policy::current(store).await?)
}

/// Sets the policy from its six settings in [`SecurityPolicy::from_settings`]'s order; `Err`
/// lists every setting out of its bounds (nothing written then).
///
/// # Errors
/// The guard's denials; store errors.
pub async fn set(
    store: &Store,
    caller: &Caller<'_>,
    settings: [i64; 6],
) -> Result<Result<(), Vec<String>>, Error> {
    guard::require(store, caller, Action::ManageSecurityPolicy, None).await?;
    let policy = match SecurityPolicy::from_settings(settings) {
        Ok(p) => p,
        Err(errors) => return Ok(Err(errors)),
    };
    security_policy::set(store, &caller.who(), &policy).await?;
    Ok(Ok(()))
}
