//! Accountability of the units over the JSON API (issue #14 point 5): the same use cases as the
//! pages ([`safeduty_app::unit_matters`]).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use safeduty_app::unit_matters;
use safeduty_store::unit_matters::UnitMatter;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{ApiJson, LaterJson};
use crate::guard::ApiUser;
use crate::input::accountability::{MatterRequest, MatterStepRequest};

/// The API routes of the units' matters.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::{get, post};
    crate::routes::Routes::new()
        .route("/unit-matters", get(list).post(issue))
        .route("/unit-matters/{id}", get(get_matter))
        .route("/unit-matters/{id}/steps", post(step))
}

/// A unit's matter with the record of its steps.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatterView {
    /// Public id.
    pub id: String,
    /// The unit.
    pub unit: String,
    /// Correction order or interview.
    #[schema(value_type = crate::openapi::MatterKindCode)]
    pub kind: String,
    /// Where it stands.
    #[schema(value_type = crate::openapi::MatterStatusCode)]
    pub status: String,
    /// The day issued.
    pub issued_on: NaiveDate,
    /// The issues.
    pub issues: String,
    /// The actions required.
    pub actions: String,
    /// Their time limit.
    pub due_on: NaiveDate,
    /// Past its time limit and not reported, on the server's today.
    pub overdue: bool,
    /// The interview's day.
    pub interview_on: Option<NaiveDate>,
    /// Where.
    pub place: Option<String>,
    /// Who interviews.
    pub interviewer: Option<String>,
    /// Who is interviewed.
    pub interviewees: Option<String>,
    /// The day held.
    pub held_on: Option<NaiveDate>,
    /// The minutes.
    pub minutes: Option<String>,
    /// The day of the unit's latest report.
    pub reported_on: Option<NaiveDate>,
    /// The report.
    pub report: Option<String>,
    /// The day of the latest follow-up.
    pub followed_up_on: Option<NaiveDate>,
    /// Its opinion.
    pub follow_up: Option<String>,
    /// The `version` to send with the next step.
    pub version: i64,
}

fn view_of(m: &UnitMatter, today: NaiveDate) -> MatterView {
    let r = &m.record;
    let i = r.matter.interview.as_ref();
    MatterView {
        id: m.public_id.clone(),
        unit: m.unit_name.clone(),
        kind: r.matter.kind.code().into(),
        status: r.status().code().into(),
        issued_on: r.matter.issued_on,
        issues: r.matter.issues.clone(),
        actions: r.matter.actions.clone(),
        due_on: r.matter.due_on,
        overdue: r.overdue(today),
        interview_on: i.map(|i| i.on),
        place: i.map(|i| i.place.clone()),
        interviewer: i.map(|i| i.interviewer.clone()),
        interviewees: i.map(|i| i.interviewees.clone()),
        held_on: r.held.as_ref().map(|h| h.on),
        minutes: r.held.as_ref().map(|h| h.text.clone()),
        reported_on: r.report.as_ref().map(|x| x.on),
        report: r.report.as_ref().map(|x| x.text.clone()),
        followed_up_on: r.follow_up.as_ref().map(|(x, _)| x.on),
        follow_up: r.follow_up.as_ref().map(|(x, _)| x.text.clone()),
        version: m.version,
    }
}

async fn view(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: &str,
) -> Result<MatterView, ApiError> {
    let m = unit_matters::matter_for(state.store(), &user.caller(), id).await?;
    Ok(view_of(&m, state.clock().today()))
}

/// The matters of the units the caller sees (a unit officer: its own), newest first.
#[utoipa::path(get, path = "/api/v1/unit-matters",
    responses((status = 200, body = Vec<MatterView>), (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<MatterView>>, ApiError> {
    let today = state.clock().today();
    let all = unit_matters::list(state.store(), &user.caller()).await?;
    Ok(Json(all.iter().map(|m| view_of(m, today)).collect()))
}

/// Issue a correction order or an interview to a unit (the committee office of its region).
/// 404 for a unit outside the region; 422 on the field at fault.
#[utoipa::path(post, path = "/api/v1/unit-matters", request_body = MatterRequest,
    responses((status = 201, body = MatterView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn issue(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(req): ApiJson<MatterRequest>,
) -> Result<(StatusCode, Json<MatterView>), ApiError> {
    let (unit, input) = req.input().map_err(|r| ApiError(AppError::Refused(r)))?;
    let id = unit_matters::issue(
        state.store(),
        &user.caller(),
        unit,
        &input,
        state.clock().today(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view(&state, &user, &id).await?)))
}

/// A matter with its steps.
#[utoipa::path(get, path = "/api/v1/unit-matters/{id}",
    params(("id" = String, Path, description = "matter public id")),
    responses((status = 200, body = MatterView), (status = 404, body = ErrorBody)))]
async fn get_matter(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<MatterView>, ApiError> {
    Ok(Json(view(&state, &user, &id).await?))
}

/// Record a step: the interview held, the follow-up (the committee office); the report (the
/// unit's officer). 409 out of order or for a stale version; 422 on the field at fault.
#[utoipa::path(post, path = "/api/v1/unit-matters/{id}/steps", request_body = MatterStepRequest,
    params(("id" = String, Path, description = "matter public id")),
    responses((status = 200, body = MatterView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn step(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<MatterStepRequest>,
) -> Result<Json<MatterView>, ApiError> {
    // Scope first, then validation (issue #16 point 4).
    unit_matters::matter_for(state.store(), &user.caller(), &id).await?;
    let req = body.take()?;
    let step = req.step().map_err(|r| ApiError(AppError::Refused(r)))?;
    unit_matters::step(
        state.store(),
        &user.caller(),
        &id,
        req.version,
        &step,
        state.clock().today(),
    )
    .await?;
    Ok(Json(view(&state, &user, &id).await?))
}
