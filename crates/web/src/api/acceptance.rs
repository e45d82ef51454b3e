//! Acceptance inspections over the JSON API (issue #14 point 2): the same use cases as the pages
//! ([`safeduty_app::enforcement::acceptance`]). A guest's token reads and acts on its own
//! acceptance only.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use safeduty_app::enforcement::acceptance::{self, AcceptanceView};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{ApiJson, LaterJson};
use crate::guard::ApiUser;
use crate::input::acceptance::{
    AcceptancePlanRequest, AcceptanceStepRequest, CommentRequest, InviteRequest,
    StillViolatingRequest,
};

/// The API routes of acceptance inspections.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::{get, post};
    crate::routes::Routes::new()
        .route("/acceptances", get(list).post(plan))
        .route("/acceptances/{id}", get(get_one))
        .route("/acceptances/{id}/guests", post(invite))
        .route("/acceptances/{id}/steps", post(step))
        .route("/acceptances/{id}/comments", post(comment))
        .route("/acceptances/{id}/violations", post(still_violating))
}

/// A guest of an acceptance.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuestJson {
    /// Name.
    pub name: String,
    /// Expert, media, third party, other.
    #[schema(value_type = crate::openapi::GuestKindCode)]
    pub kind: String,
    /// Organisation.
    pub organisation: String,
    /// The day invited.
    pub invited_on: String,
    /// The day its access ended, if it did.
    pub revoked_on: Option<String>,
}

/// A comment.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentJson {
    /// Who, as shown (name and role).
    pub author: String,
    /// What they said.
    pub text: String,
    /// When (UTC).
    pub created_at: String,
}

/// An acceptance inspection with the record of its steps.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptanceJson {
    /// Public id.
    pub id: String,
    /// The enterprise.
    pub enterprise: String,
    /// The inspecting unit.
    pub unit: String,
    /// Where it stands.
    #[schema(value_type = crate::openapi::AcceptanceStatusCode)]
    pub status: String,
    /// The day planned.
    pub planned_on: NaiveDate,
    /// The way.
    #[schema(value_type = crate::openapi::AcceptanceModeCode)]
    pub mode: String,
    /// The commissioned third party (empty for a team).
    pub third_party: String,
    /// Its inspection record's id (`/api/v1/inspections/{id}`), once recorded.
    pub inspection: Option<String>,
    /// The day of that record.
    pub inspected_on: Option<NaiveDate>,
    /// The third party's assessment.
    pub assessment: Option<String>,
    /// Its proposed conclusion.
    #[schema(value_type = Option<crate::openapi::ConclusionCode>)]
    pub assessment_conclusion: Option<String>,
    /// The day an officer adopted it.
    pub adopted_on: Option<NaiveDate>,
    /// The conclusion, once closed.
    #[schema(value_type = Option<crate::openapi::ConclusionCode>)]
    pub conclusion: Option<String>,
    /// The day closed.
    pub closed_on: Option<NaiveDate>,
    /// The acceptance opinion.
    pub opinion: Option<String>,
    /// Its guests.
    pub guests: Vec<GuestJson>,
    /// The comments, oldest first.
    pub comments: Vec<CommentJson>,
}

fn json_of(v: AcceptanceView) -> AcceptanceJson {
    let a = &v.row.acceptance;
    let s = a.assessment.as_ref();
    let c = a.closing.as_ref();
    AcceptanceJson {
        id: v.row.public_id.clone(),
        enterprise: v.row.enterprise_name.clone(),
        unit: v.row.unit_name.clone(),
        status: a.status().code().into(),
        planned_on: a.plan.planned_on,
        mode: a.plan.mode.code().into(),
        third_party: a.plan.third_party.clone(),
        inspection: v.row.inspection_public_id.clone(),
        inspected_on: a.inspected_on,
        assessment: s.map(|s| s.text.clone()),
        assessment_conclusion: s.map(|s| s.conclusion.code().into()),
        adopted_on: s.and_then(|s| s.adopted_on),
        conclusion: c.map(|c| c.conclusion.code().into()),
        closed_on: c.map(|c| c.on),
        opinion: c.map(|c| c.opinion.clone()),
        guests: v
            .guests
            .into_iter()
            .map(|g| GuestJson {
                name: g.name,
                kind: g.kind,
                organisation: g.organisation,
                invited_on: g.invited_on,
                revoked_on: g.revoked_on,
            })
            .collect(),
        comments: v
            .comments
            .into_iter()
            .map(|c| CommentJson {
                author: c.author,
                text: c.body,
                created_at: c.created_at,
            })
            .collect(),
    }
}

async fn view(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: &str,
) -> Result<AcceptanceJson, ApiError> {
    Ok(json_of(
        acceptance::view(state.store(), &user.caller(), id, state.clock().today()).await?,
    ))
}

/// The acceptances the caller sees in the current campaign (the committee office and assessors
/// their region's, an officer its unit's, a guest its own), by planned day.
#[utoipa::path(get, path = "/api/v1/acceptances",
    responses((status = 200, body = Vec<AcceptanceJson>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<AcceptanceJson>>, ApiError> {
    let rows = acceptance::list(state.store(), &user.caller()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(view(&state, &user, &r.public_id).await?);
    }
    Ok(Json(out))
}

/// Plan an acceptance of an enterprise (public id or 统一社会信用代码) by a unit holding the
/// inspect power (the committee office of their region). 404 outside the region; 422 on the
/// field at fault.
#[utoipa::path(post, path = "/api/v1/acceptances", request_body = AcceptancePlanRequest,
    responses((status = 201, body = AcceptanceJson), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn plan(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(req): ApiJson<AcceptancePlanRequest>,
) -> Result<(StatusCode, Json<AcceptanceJson>), ApiError> {
    let (enterprise, unit, input) = req.input().map_err(|r| ApiError(AppError::Refused(r)))?;
    let id = acceptance::plan(
        state.store(),
        &user.caller(),
        &enterprise,
        unit,
        &input,
        state.clock().today(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view(&state, &user, &id).await?)))
}

/// An acceptance with its record, guests and comments.
#[utoipa::path(get, path = "/api/v1/acceptances/{id}",
    params(("id" = String, Path, description = "acceptance public id")),
    responses((status = 200, body = AcceptanceJson), (status = 404, body = ErrorBody)))]
async fn get_one(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<AcceptanceJson>, ApiError> {
    Ok(Json(view(&state, &user, &id).await?))
}

/// A guest account issued by an invitation: its password is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedJson {
    /// Login name.
    pub username: String,
    /// Password; must be changed at first login.
    pub password: String,
}

/// Invite a guest (an officer of the inspecting unit): the product issues an account bound to
/// this acceptance. 409 once closed; 422 on the field at fault.
#[utoipa::path(post, path = "/api/v1/acceptances/{id}/guests", request_body = InviteRequest,
    params(("id" = String, Path, description = "acceptance public id")),
    responses((status = 201, body = IssuedJson), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn invite(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<InviteRequest>,
) -> Result<(StatusCode, Json<IssuedJson>), ApiError> {
    // Scope first, then validation (issue #16 point 4).
    acceptance::acceptance_for(state.store(), &user.caller(), &id).await?;
    let guest = body
        .take()?
        .guest()
        .map_err(|r| ApiError(AppError::Refused(r)))?;
    let issued = acceptance::invite(
        state.store(),
        &user.caller(),
        &id,
        &guest,
        state.clock().today(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedJson {
            username: issued.username,
            password: issued.password,
        }),
    ))
}

/// Record a step: the assessment (the third-party guest), adopting it or closing (an officer
/// of the inspecting unit). 409 out of order; 422 on the field at fault.
#[utoipa::path(post, path = "/api/v1/acceptances/{id}/steps", request_body = AcceptanceStepRequest,
    params(("id" = String, Path, description = "acceptance public id")),
    responses((status = 200, body = AcceptanceJson), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn step(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<AcceptanceStepRequest>,
) -> Result<Json<AcceptanceJson>, ApiError> {
    acceptance::acceptance_for(state.store(), &user.caller(), &id).await?;
    let step = body
        .take()?
        .step()
        .map_err(|r| ApiError(AppError::Refused(r)))?;
    acceptance::step(
        state.store(),
        &user.caller(),
        &id,
        &step,
        state.clock().today(),
    )
    .await?;
    Ok(Json(view(&state, &user, &id).await?))
}

/// Comment (a guest or an officer of the inspecting unit, while open). 409 once closed; 422 on
/// `text`.
#[utoipa::path(post, path = "/api/v1/acceptances/{id}/comments", request_body = CommentRequest,
    params(("id" = String, Path, description = "acceptance public id")),
    responses((status = 200, body = AcceptanceJson), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn comment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<CommentRequest>,
) -> Result<Json<AcceptanceJson>, ApiError> {
    acceptance::acceptance_for(state.store(), &user.caller(), &id).await?;
    let req = body.take()?;
    acceptance::comment(state.store(), &user.caller(), &id, &req.text).await?;
    Ok(Json(view(&state, &user, &id).await?))
}

/// The case opened for a party still violating at acceptance.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenedCase {
    /// The case's id (`/api/v1/cases/{id}`), a draft to file.
    pub case: String,
}

/// Open the case of a party found still violating at acceptance (an officer of the inspecting
/// unit holding the filing power, once the inspection is on record): decided at the statutory
/// upper limit, never 不予处罚. 409 before the record; 422 on the field at fault.
#[utoipa::path(post, path = "/api/v1/acceptances/{id}/violations", request_body = StillViolatingRequest,
    params(("id" = String, Path, description = "acceptance public id")),
    responses((status = 201, body = OpenedCase), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn still_violating(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<StillViolatingRequest>,
) -> Result<(StatusCode, Json<OpenedCase>), ApiError> {
    acceptance::acceptance_for(state.store(), &user.caller(), &id).await?;
    let sv = body
        .take()?
        .still_violating()
        .map_err(|r| ApiError(AppError::Refused(r)))?;
    let case = acceptance::still_violating(
        state.store(),
        &user.caller(),
        &id,
        &sv,
        state.clock().today(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(OpenedCase { case })))
}
