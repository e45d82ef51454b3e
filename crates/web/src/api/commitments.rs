//! Signing codes over the JSON API (issue #18 point 9): the enterprise user issues a listed
//! safety manager a one-time code, or revokes an unused one — the same use cases as the
//! commitment page ([`safeduty_app::commitments::issue_code`], [`revoke_code`]). The person
//! signs with it on the page `/sign`, which needs no account.
//!
//! [`revoke_code`]: safeduty_app::commitments::revoke_code

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use safeduty_app::commitments;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::guard::ApiUser;

/// The API routes of signing codes.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::post;
    crate::routes::Routes::new()
        .route(
            "/enterprises/{id}/personnel/{pid}/signing-code",
            post(issue),
        )
        .route(
            "/enterprises/{id}/personnel/{pid}/signing-code/revoke",
            post(revoke),
        )
}

/// A signing code just issued: shown this once (only its hash is kept).
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedCodeJson {
    /// The safety manager's name as listed.
    pub person_name: String,
    /// The code, `XXXXX-XXXXX` (digits and capitals without 0, 1, I, O), to hand to the person.
    pub code: String,
    /// When it stops working: a UTC instant (RFC 3339). Good for 72 hours, once.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Issue the listed safety manager `pid` of enterprise `id` a one-time signing code, replacing
/// an earlier one (which stops working). The answer holds the code and is not cached. 403 for
/// a role that may not sign for the enterprise; 404 for an enterprise outside the scope or a
/// person not listed; 409 when the person has signed.
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/personnel/{pid}/signing-code",
    params(("id" = String, Path, description = "enterprise public id"),
        ("pid" = String, Path, description = "safety manager public id")),
    responses((status = 201, body = IssuedCodeJson), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn issue(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, pid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let issued =
        commitments::issue_code(state.store(), &user.caller(), &id, &pid, chrono::Utc::now())
            .await?;
    let mut res = (
        StatusCode::CREATED,
        Json(IssuedCodeJson {
            person_name: issued.person_name,
            code: issued.code,
            expires_at: issued.expires_at,
        }),
    )
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Revoke the unused signing code of the listed safety manager `pid` of enterprise `id`. 403
/// and 404 as for issuing; 409 when the person has no unused code.
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/personnel/{pid}/signing-code/revoke",
    params(("id" = String, Path, description = "enterprise public id"),
        ("pid" = String, Path, description = "safety manager public id")),
    responses((status = 204, description = "revoked"), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn revoke(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, pid)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    commitments::revoke_code(state.store(), &user.caller(), &id, &pid).await?;
    Ok(StatusCode::NO_CONTENT)
}
