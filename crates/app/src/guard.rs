//! The policy asked for a caller ([`safeduty_core::policy`]); every denial is recorded in the
//! audit trail (changing no business data) and answered [`Error::NotFound`] (outside the scope:
//! 404 with no data) or [`Error::Forbidden`] (403).

use safeduty_core::policy::{
    AccountFacts, Action, Denial, EnterpriseFacts, authorize, authorize_account,
    authorize_in_region,
};
use safeduty_store::Store;
use safeduty_store::audit::{self, Entry, Event, Object, ObjectKind};
use safeduty_store::org::Enterprise;

use crate::{Caller, Error};

/// Records a denial of `action` on `target` (kind, id) and turns it into the error answered. A
/// failure to record is logged; the denial stands.
pub async fn denied(
    store: &Store,
    caller: &Caller<'_>,
    action: Action,
    target: (ObjectKind, String),
    denial: Denial,
) -> Error {
    let recorded = audit::record_alone(
        store,
        Entry {
            who: &caller.who(),
            event: Event::PermissionDenied,
            target_kind: target.0,
            target_id: target.1,
            before: None,
            after: Some(serde_json::json!({
                "action": format!("{action:?}"),
                "denial": match denial { Denial::NotFound => "out_of_scope", Denial::Forbidden => "forbidden" },
            })),
            result: "denied",
        },
    )
    .await;
    if let Err(e) = recorded {
        tracing::error!(error = %e, "could not record a denial");
    }
    denial.into()
}

/// Whether `caller` may take `action` (on the enterprise `target`).
///
/// # Errors
/// [`Error::NotFound`] outside the scope, [`Error::Forbidden`] for a forbidden action.
pub async fn require(
    store: &Store,
    caller: &Caller<'_>,
    action: Action,
    target: Option<&EnterpriseFacts>,
) -> Result<(), Error> {
    let Err(denial) = authorize(&caller.actor(), action, target) else {
        return Ok(());
    };
    let id = target.map(|t| t.id.to_string()).unwrap_or_default();
    Err(denied(
        store,
        caller,
        action,
        (Object::Enterprise.into(), id),
        denial,
    )
    .await)
}

/// Whether `caller` may take `action` on what belongs to the region with path `region_path` as
/// a whole, such as a campaign run in it ([`authorize_in_region`]).
///
/// # Errors
/// [`Error::NotFound`] when the region is outside the scope, [`Error::Forbidden`].
pub async fn require_in_region(
    store: &Store,
    caller: &Caller<'_>,
    action: Action,
    region_path: &str,
) -> Result<(), Error> {
    let Err(denial) = authorize_in_region(&caller.actor(), action, region_path) else {
        return Ok(());
    };
    Err(denied(
        store,
        caller,
        action,
        (Object::Region.into(), region_path.to_string()),
        denial,
    )
    .await)
}

/// Whether `caller` may take the administration `action` on the account with `facts`.
///
/// # Errors
/// [`Error::NotFound`] outside the actor's account scope, [`Error::Forbidden`].
pub async fn require_account(
    store: &Store,
    caller: &Caller<'_>,
    action: Action,
    facts: &AccountFacts,
) -> Result<(), Error> {
    let Err(denial) = authorize_account(&caller.actor(), action, facts) else {
        return Ok(());
    };
    Err(denied(
        store,
        caller,
        action,
        (Object::User.into(), facts.user_id.to_string()),
        denial,
    )
    .await)
}

/// Facts of an enterprise that no scope holds: a probe for an unknown id is checked (and
/// recorded) against them, so that it is answered exactly like one outside the scope.
pub fn nowhere() -> EnterpriseFacts {
    EnterpriseFacts {
        id: 0,
        region_path: String::new(),
        supervising_unit_id: None,
    }
}

/// Loads the enterprise with `public_id` and checks `action` on it. An unknown id and an id
/// outside the scope give the same [`Error::NotFound`], both recorded.
///
/// # Errors
/// [`Error::NotFound`], [`Error::Forbidden`], store errors.
pub async fn enterprise_for(
    store: &Store,
    caller: &Caller<'_>,
    public_id: &str,
    action: Action,
) -> Result<Enterprise, Error> {
    let e = match safeduty_store::org::enterprise_by_public_id(store, public_id).await {
        Ok(e) => e,
        Err(safeduty_store::StoreError::NotFound) => {
            // Recorded like any other out-of-scope probe.
            require(store, caller, action, Some(&nowhere())).await?;
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    require(store, caller, action, Some(&e.facts)).await?;
    Ok(e)
}
