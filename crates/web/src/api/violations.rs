//! The violation library (违法行为库) over the JSON API: the library in effect for the caller
//! (a unit officer's unit's region: the codes an inspection may name), and the committee
//! office's changes to its region's library — add a row, edit a row (a shipped or inherited
//! row is overridden by the region's row of the same code), deactivate and reactivate a row.
//! The same use cases as the settings page ([`safeduty_app::enforcement::violations`]), the
//! same refusals: 422 naming the field, 409 for a row already in the state asked, 404 for a
//! code not in the library.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use safeduty_app::enforcement::violations;
use safeduty_core::enforcement::violations::{InEffect, Origin, ViolationText};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::LaterJson;
use crate::guard::ApiUser;
use crate::input::enforcement::ViolationRequest;

/// The API routes of the violation library.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::{get, post, put};
    crate::routes::Routes::new()
        .route("/violations", get(list).post(add))
        .route("/violations/{code}", put(edit))
        .route("/violations/{code}/deactivate", post(deactivate))
        .route("/violations/{code}/reactivate", post(reactivate))
}

/// A row of the violation library in effect.
#[derive(Debug, Serialize, ToSchema)]
pub struct ViolationView {
    /// Stable code: what an inspection item names in `violation_codes`.
    pub code: String,
    /// 违法行为.
    pub behaviour: String,
    /// 违反条款.
    pub violated: String,
    /// 处罚依据.
    pub penalty: String,
    /// `person` (个人) or `unit` (单位).
    #[schema(value_type = crate::openapi::PartyCode)]
    pub party: String,
    /// Whether both articles were checked against the official text (otherwise shown 未核实).
    pub verified: bool,
    /// Where the row comes from and what remains to check.
    pub source: String,
    /// Whether an inspection may name it (a deactivated row stays for the inspections that
    /// named it).
    pub active: bool,
    /// `shipped` (the shipped library, unchanged) or `region` (written by a committee office).
    pub origin: String,
    /// The region whose office wrote it (`origin` `region`).
    pub region: Option<String>,
    /// Whether it replaces a shipped row of the same code.
    pub overrides_shipped: bool,
}

impl From<&InEffect> for ViolationView {
    fn from(r: &InEffect) -> Self {
        let (origin, region, overrides_shipped) = match &r.origin {
            Origin::Shipped => ("shipped", None, false),
            Origin::Region {
                region_name,
                overrides,
                ..
            } => ("region", Some(region_name.clone()), *overrides),
        };
        ViolationView {
            code: r.row.code.clone(),
            behaviour: r.row.behaviour.clone(),
            violated: r.row.violated.clone(),
            penalty: r.row.penalty.clone(),
            party: r.row.party.code().into(),
            verified: r.row.verified,
            source: r.row.source.clone(),
            active: r.active,
            origin: origin.into(),
            region,
            overrides_shipped,
        }
    }
}

/// A suspected violation as an inspection recorded it (the library's text on that day).
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedViolationView {
    /// Code.
    pub code: String,
    /// 违法行为.
    pub behaviour: String,
    /// 违反条款.
    pub violated: String,
    /// 处罚依据.
    pub penalty: String,
    /// `person` or `unit`.
    #[schema(value_type = crate::openapi::PartyCode)]
    pub party: String,
}

impl From<ViolationText> for RecordedViolationView {
    fn from(t: ViolationText) -> Self {
        RecordedViolationView {
            party: t.party.code().into(),
            code: t.code,
            behaviour: t.behaviour,
            violated: t.violated,
            penalty: t.penalty,
        }
    }
}

fn refused(r: safeduty_core::refusal::Refusal) -> ApiError {
    ApiError(AppError::Refused(r))
}

/// The row `code` of the committee office's library after a change.
async fn own_row(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
) -> Result<ViolationView, ApiError> {
    let own = violations::own(state.store(), &user.caller()).await?;
    let row = own.library.get(code).ok_or(ApiError(AppError::NotFound))?;
    Ok(ViolationView::from(row))
}

/// The violation library in effect for the caller, deactivated rows included (`active`): a
/// unit officer's unit's region, a committee office's or assessor's region — for each code the
/// row of the nearest region up the tree that wrote one, else the shipped row. 403 for an
/// enterprise.
#[utoipa::path(get, path = "/api/v1/violations",
    responses((status = 200, body = Vec<ViolationView>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<ViolationView>>, ApiError> {
    let lib = violations::for_caller(state.store(), &user.caller()).await?;
    Ok(Json(lib.rows().iter().map(ViolationView::from).collect()))
}

/// Add a row to the library of the committee office's region (committee office only; send
/// `X-CSRF-Token`). 422 naming the field (`code` also for a code the library already has,
/// deactivated rows included; `behaviour`, `violated`, `penalty`, `party`, `source`).
#[utoipa::path(post, path = "/api/v1/violations", request_body = ViolationRequest,
    responses((status = 201, body = ViolationView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: LaterJson<ViolationRequest>,
) -> Result<(StatusCode, Json<ViolationView>), ApiError> {
    // Scope first, then validation (issue #16 point 4).
    violations::own(state.store(), &user.caller()).await?;
    let req = body.take()?;
    let row = req.row().map_err(refused)?;
    let code = row.code.trim().to_string();
    violations::add(state.store(), &user.caller(), row).await?;
    Ok((
        StatusCode::CREATED,
        Json(own_row(&state, &user, &code).await?),
    ))
}

/// Edit the row `code` of the committee office's region (a shipped or inherited row gets the
/// region's override; the body's `code` is ignored). 404 for a code not in the library; 422
/// naming the field.
#[utoipa::path(put, path = "/api/v1/violations/{code}", request_body = ViolationRequest,
    params(("code" = String, Path, description = "the row's code")),
    responses((status = 200, body = ViolationView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn edit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(code): Path<String>,
    body: LaterJson<ViolationRequest>,
) -> Result<Json<ViolationView>, ApiError> {
    violations::own(state.store(), &user.caller()).await?;
    let req = body.take()?;
    let row = req.row().map_err(refused)?;
    violations::edit(state.store(), &user.caller(), &code, row).await?;
    Ok(Json(own_row(&state, &user, &code).await?))
}

/// Deactivate the row `code` of the committee office's region: it stays in the library and in
/// the inspections that named it, and can no longer be chosen. 404 for a code not in the
/// library; 409 when it is deactivated already.
#[utoipa::path(post, path = "/api/v1/violations/{code}/deactivate",
    params(("code" = String, Path, description = "the row's code")),
    responses((status = 200, body = ViolationView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn deactivate(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(code): Path<String>,
) -> Result<Json<ViolationView>, ApiError> {
    violations::set_active(state.store(), &user.caller(), &code, false).await?;
    Ok(Json(own_row(&state, &user, &code).await?))
}

/// Reactivate a deactivated row `code` of the committee office's region. 404 for a code not in
/// the library; 409 when it is active already.
#[utoipa::path(post, path = "/api/v1/violations/{code}/reactivate",
    params(("code" = String, Path, description = "the row's code")),
    responses((status = 200, body = ViolationView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn reactivate(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(code): Path<String>,
) -> Result<Json<ViolationView>, ApiError> {
    violations::set_active(state.store(), &user.caller(), &code, true).await?;
    Ok(Json(own_row(&state, &user, &code).await?))
}
