//! Authentication in the handler signature: [`PageUser`] and [`ApiUser`] fail closed (to the
//! login page or a 401). What the user may do is the use cases' to ask ([`safeduty_app::guard`],
//! which records every denial in the audit trail).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

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
