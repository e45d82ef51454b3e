//! Typical-case exposures over the JSON API (issue #13 point 5): the same use cases as the page
//! ([`safeduty_app::enforcement::exposures`]): list, draft from a decided and served case,
//! publish (the committee office, not the drafter), withdraw with a reason.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use safeduty_app::enforcement::exposures;
use safeduty_core::policy::Action;
use safeduty_store::enforcement::exposures::Exposure;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, LaterJson};
use crate::guard::ApiUser;

/// The API routes of exposures.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::{get, post};
    crate::routes::Routes::new()
        .route("/exposures", get(list).post(draft))
        .route("/exposures/{id}/publish", post(publish))
        .route("/exposures/{id}/withdraw", post(withdraw))
}

/// An exposure with the text it publishes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExposureView {
    /// Public id.
    pub id: String,
    /// The case's public id.
    pub case: String,
    /// Where it stands.
    #[schema(value_type = crate::openapi::ExposureStatusCode)]
    pub status: String,
    /// The enterprise's full name.
    pub enterprise: String,
    /// The party as published (a person: surname + 某某 and role).
    pub party: String,
    /// The violation.
    pub violation: String,
    /// The article violated.
    pub violated_article: String,
    /// The article applied.
    pub applied_article: String,
    /// The penalty in words.
    pub penalty: String,
    /// The day decided.
    pub decided_on: NaiveDate,
    /// The day published.
    pub published_on: Option<NaiveDate>,
    /// The day withdrawn.
    pub withdrawn_on: Option<NaiveDate>,
    /// Why withdrawn.
    pub withdraw_reason: String,
    /// The `version` to send with the next change.
    pub version: i64,
}

impl From<&Exposure> for ExposureView {
    fn from(x: &Exposure) -> ExposureView {
        let t = &x.text;
        ExposureView {
            id: x.public_id.clone(),
            case: x.case_public_id.clone(),
            status: x.status.code().into(),
            enterprise: t.enterprise.clone(),
            party: t.party.clone(),
            violation: t.violation.clone(),
            violated_article: t.violated_article.clone(),
            applied_article: t.applied_article.clone(),
            penalty: t.penalty.clone(),
            decided_on: t.decided_on,
            published_on: x.published_on,
            withdrawn_on: x.withdrawn_on,
            withdraw_reason: x.withdraw_reason.clone(),
            version: x.version,
        }
    }
}

async fn view(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: &str,
) -> Result<ExposureView, ApiError> {
    let x =
        exposures::exposure_for(state.store(), &user.caller(), id, Action::ReadEnforcement).await?;
    Ok(ExposureView::from(&x))
}

/// The exposures of the cases in the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/exposures",
    responses((status = 200, body = Vec<ExposureView>), (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<ExposureView>>, ApiError> {
    let all = exposures::list(state.store(), &user.caller()).await?;
    Ok(Json(all.iter().map(ExposureView::from).collect()))
}

/// A case to expose.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExposureRequest {
    /// The case's public id: decided and served.
    #[serde(default)]
    pub case: String,
    /// The article violated, one line of at most 100 characters.
    #[serde(default)]
    pub violated_article: String,
}

/// Draft the exposure of a decided and served case (the committee office, or an officer of the
/// handling unit with the penalty power). 409 for a case not served or already exposed; 422 on
/// `violated_article`.
#[utoipa::path(post, path = "/api/v1/exposures", request_body = ExposureRequest,
    responses((status = 201, body = ExposureView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn draft(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(req): ApiJson<ExposureRequest>,
) -> Result<(StatusCode, Json<ExposureView>), ApiError> {
    let id = exposures::draft(
        state.store(),
        &user.caller(),
        req.case.trim(),
        &req.violated_article,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view(&state, &user, &id).await?)))
}

/// The version the client loaded.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PublishRequest {
    /// The exposure's `version`: a change made since is answered 409.
    pub version: i64,
}

/// Publish a draft (the committee office, another person than the drafter: 403 for the
/// drafter). 409 unless a draft, or for a stale version.
#[utoipa::path(post, path = "/api/v1/exposures/{id}/publish", request_body = PublishRequest,
    params(("id" = String, Path, description = "exposure public id")),
    responses((status = 200, body = ExposureView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn publish(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<PublishRequest>,
) -> Result<Json<ExposureView>, ApiError> {
    // Scope first, then validation (issue #16 point 4).
    view(&state, &user, &id).await?;
    let req = body.take()?;
    exposures::publish(
        state.store(),
        &user.caller(),
        &id,
        req.version,
        state.clock().today(),
    )
    .await?;
    Ok(Json(view(&state, &user, &id).await?))
}

/// A withdrawal.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WithdrawRequest {
    /// The exposure's `version`.
    pub version: i64,
    /// Why, at most 500 characters.
    #[serde(default)]
    pub reason: String,
}

/// Withdraw a published exposure with a reason (the committee office). 409 unless published,
/// or for a stale version; 422 on `reason`.
#[utoipa::path(post, path = "/api/v1/exposures/{id}/withdraw", request_body = WithdrawRequest,
    params(("id" = String, Path, description = "exposure public id")),
    responses((status = 200, body = ExposureView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn withdraw(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<WithdrawRequest>,
) -> Result<Json<ExposureView>, ApiError> {
    view(&state, &user, &id).await?;
    let req = body.take()?;
    exposures::withdraw(
        state.store(),
        &user.caller(),
        &id,
        req.version,
        &req.reason,
        state.clock().today(),
    )
    .await?;
    Ok(Json(view(&state, &user, &id).await?))
}
