//! Authorization in the handler signature: [`PageUser`] and [`ApiUser`] fail closed (to the login
//! page or a 401), and [`require`] asks the core policy, recording every denial in the audit trail.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use safeduty_core::policy::{Action, Denial, EnterpriseFacts, authorize, authorize_in_region};
use safeduty_store::audit::{self, Entry, Event};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, AppError, PageError};

/// The logged-in user of a page request; without a session the browser goes to `/login`.
#[derive(Debug, Clone)]
pub struct PageUser(pub CurrentUser);

/// The logged-in user of an API request; without a session the answer is 401 JSON.
#[derive(Debug, Clone)]
pub struct ApiUser(pub CurrentUser);

/// Paths a user who must change the password may still use.
const WHILE_CHANGE_REQUIRED: [&str; 4] =
    ["/password", "/logout", "/api/v1/password", "/api/v1/logout"];

/// Paths a session that still owes the second factor may use.
const WHILE_SECOND_FACTOR_OWED: [&str; 3] = ["/login/totp", "/logout", "/api/v1/logout"];

/// Paths an administrator without a second factor may use: enrolling one, and leaving.
const WHILE_ENROLLMENT_REQUIRED: [&str; 4] = ["/totp", "/totp/start", "/logout", "/api/v1/logout"];

/// The user of the request, in the order issue #5 sets: a session that owes the second factor
/// gets only the code page; then a user who must change the password gets only the password
/// change (first login, after a reset); then an administrator without a second factor gets only
/// the enrollment. Logout is always allowed.
async fn user_of(parts: &Parts, state: &AppState) -> Result<CurrentUser, AppError> {
    let user = CurrentUser::from_parts(parts, state).await?;
    let path = parts.uri.path();
    if user.pending_second_factor {
        return if WHILE_SECOND_FACTOR_OWED.contains(&path) {
            Ok(user)
        } else {
            Err(AppError::SecondFactorRequired)
        };
    }
    if user.user.must_change_password && !WHILE_CHANGE_REQUIRED.contains(&path) {
        return Err(AppError::PasswordChangeRequired);
    }
    let owed = safeduty_core::identity::second_factor(
        user.user.role,
        user.user.is_demo,
        user.user.totp_enrolled,
    );
    if owed == safeduty_core::identity::SecondFactor::MustEnroll
        && !user.user.must_change_password
        && !WHILE_ENROLLMENT_REQUIRED.contains(&path)
    {
        return Err(AppError::SecondFactorEnrollmentRequired);
    }
    Ok(user)
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        Ok(PageUser(user_of(parts, state).await?))
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(ApiUser(user_of(parts, state).await?))
    }
}

/// Records a denial in the audit trail (changing no business data) and turns it into the
/// error answered: 404 or 403. A failure to record is logged; the denial stands.
pub(crate) async fn denied(
    state: &AppState,
    user: &CurrentUser,
    action: Action,
    target: (&str, String),
    denial: Denial,
) -> AppError {
    let recorded = audit::record_alone(
        state.store(),
        Entry {
            who: &user.who(),
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

/// Asks the policy whether `user` may take `action` (on `target`); a denial is recorded in the
/// audit trail (changing no business data) and returned as 404 or 403.
///
/// # Errors
/// [`AppError::NotFound`] outside the scope, [`AppError::Forbidden`] for a forbidden action.
pub async fn require(
    state: &AppState,
    user: &CurrentUser,
    action: Action,
    target: Option<&EnterpriseFacts>,
) -> Result<(), AppError> {
    let Err(denial) = authorize(&user.user.actor(), action, target) else {
        return Ok(());
    };
    let id = target.map(|t| t.id.to_string()).unwrap_or_default();
    Err(denied(state, user, action, ("enterprise", id), denial).await)
}

/// Asks the policy whether `user` may take `action` on what belongs to the region with path
/// `region_path` as a whole, such as a campaign run in it
/// ([`safeduty_core::policy::authorize_in_region`]); a denial is recorded like [`require`]'s.
///
/// # Errors
/// [`AppError::NotFound`] when the region is outside the scope, [`AppError::Forbidden`].
pub async fn require_in_region(
    state: &AppState,
    user: &CurrentUser,
    action: Action,
    region_path: &str,
) -> Result<(), AppError> {
    let Err(denial) = authorize_in_region(&user.user.actor(), action, region_path) else {
        return Ok(());
    };
    Err(denied(
        state,
        user,
        action,
        ("region", region_path.to_string()),
        denial,
    )
    .await)
}

/// Asks the policy whether `user` may take the administration `action` on the account with
/// `facts`; a denial is recorded in the audit trail and returned as 404 or 403.
///
/// # Errors
/// [`AppError::NotFound`] outside the actor's account scope, [`AppError::Forbidden`].
pub async fn require_account(
    state: &AppState,
    user: &CurrentUser,
    action: Action,
    facts: &safeduty_core::policy::AccountFacts,
) -> Result<(), AppError> {
    let Err(denial) = safeduty_core::policy::authorize_account(&user.user.actor(), action, facts)
    else {
        return Ok(());
    };
    Err(denied(
        state,
        user,
        action,
        ("user", facts.user_id.to_string()),
        denial,
    )
    .await)
}

/// Loads the enterprise with `public_id` and checks `action` on it. An unknown id and an id
/// outside the scope give the same [`AppError::NotFound`].
///
/// # Errors
/// [`AppError::NotFound`], [`AppError::Forbidden`], store errors.
pub async fn enterprise_for(
    state: &AppState,
    user: &CurrentUser,
    public_id: &str,
    action: Action,
) -> Result<safeduty_store::org::Enterprise, AppError> {
    let e = match safeduty_store::org::enterprise_by_public_id(state.store(), public_id).await {
        Ok(e) => e,
        Err(safeduty_store::StoreError::NotFound) => {
            // Recorded like any other out-of-scope probe.
            require(
                state,
                user,
                action,
                Some(&EnterpriseFacts {
                    id: 0,
                    region_path: String::new(),
                    supervising_unit_id: None,
                }),
            )
            .await?;
            return Err(AppError::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    require(state, user, action, Some(&e.facts)).await?;
    Ok(e)
}
