//! Authorization in the handler signature: [`PageUser`] and [`ApiUser`] fail closed (to the login
//! page or a 401), and [`require`] asks the core policy, recording every denial in the audit trail.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use safeduty_core::policy::{Action, Denial, EnterpriseFacts, authorize};
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

/// The user of the request; one who must change the password first gets only the password
/// change and logout (a forced change at first login and after a reset, issue #5).
async fn user_of(parts: &Parts, state: &AppState) -> Result<CurrentUser, AppError> {
    let user = CurrentUser::from_parts(parts, state).await?;
    if user.user.must_change_password && !WHILE_CHANGE_REQUIRED.contains(&parts.uri.path()) {
        return Err(AppError::PasswordChangeRequired);
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
    let recorded = audit::record_alone(
        state.store(),
        Entry {
            who: &user.who(),
            event: Event::PermissionDenied,
            target_kind: "enterprise",
            target_id: target.map(|t| t.id.to_string()).unwrap_or_default(),
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
    Err(denial.into())
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
