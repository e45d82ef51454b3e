//! The “八个一” measures over the JSON API (issue #14 point 1): the same use cases as the page
//! ([`safeduty_app::unit_measures`]): the unit × measure grid, a unit's entry with an evidence
//! file (multipart), the committee office's return with a reason.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use safeduty_app::unit_measures::{self, Record};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::LaterJson;
use crate::guard::ApiUser;
use crate::input::enforcement::date;
use crate::upload::ApiUpload;

/// The API routes of the measures.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::{get, post};
    crate::routes::Routes::new()
        .route("/unit-measures", get(grid))
        .upload(
            "/unit-measures/{number}",
            post(record),
            crate::routes::UploadLimit::Configured,
        )
        .route("/unit-measure-entries/{id}/return", post(return_entry))
}

/// A measure of the campaign.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureView {
    /// Its number in the plan's list.
    pub number: u32,
    /// Its name.
    pub name: String,
    /// The record that shows it, if any.
    #[schema(value_type = Option<crate::openapi::MeasureSourceCode>)]
    pub source: Option<String>,
    /// Units that have not done it.
    pub missing: usize,
}

/// A unit's entry of a measure, and the figure of the records.
#[derive(Debug, Serialize, ToSchema)]
pub struct CellView {
    /// The measure's number.
    pub number: u32,
    /// Done: recorded, or shown by the records.
    pub done: bool,
    /// The entry's public id.
    pub entry: Option<String>,
    /// `recorded` or `returned`.
    #[schema(value_type = Option<crate::openapi::EntryStatusCode>)]
    pub status: Option<String>,
    /// The day held.
    pub held_on: Option<NaiveDate>,
    /// What was done.
    pub description: Option<String>,
    /// Why returned.
    pub return_reason: Option<String>,
    /// Evidence file names.
    pub files: Vec<String>,
    /// The records' figure: done.
    pub figure_done: Option<i64>,
    /// The records' figure: out of (for a rate).
    pub figure_of: Option<i64>,
    /// The entry's `version`.
    pub version: Option<i64>,
}

/// A unit's row.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitRowView {
    /// The unit.
    pub unit: String,
    /// Its cells, in measure order.
    pub cells: Vec<CellView>,
}

/// The grid.
#[derive(Debug, Serialize, ToSchema)]
pub struct GridView {
    /// The measures.
    pub measures: Vec<MeasureView>,
    /// The units seen (a unit officer: its own).
    pub units: Vec<UnitRowView>,
}

async fn grid_view(
    state: &AppState,
    user: &crate::auth::CurrentUser,
) -> Result<GridView, ApiError> {
    let g = unit_measures::grid(state.store(), &user.caller(), state.clock().today()).await?;
    let missing = g.missing();
    Ok(GridView {
        measures: g
            .measures
            .iter()
            .zip(missing)
            .map(|((m, s), missing)| MeasureView {
                number: m.number,
                name: m.name.clone(),
                source: s.map(|s| s.code().to_string()),
                missing,
            })
            .collect(),
        units: g
            .rows
            .iter()
            .map(|(u, cells)| UnitRowView {
                unit: u.name.clone(),
                cells: cells
                    .iter()
                    .zip(&g.measures)
                    .map(|(c, (m, _))| {
                        let e = c.entry.as_ref();
                        CellView {
                            number: m.number,
                            done: c.done(),
                            entry: e.map(|e| e.public_id.clone()),
                            status: e.map(|e| e.status.code().to_string()),
                            held_on: e.map(|e| e.held_on),
                            description: e.map(|e| e.description.clone()),
                            return_reason: e
                                .filter(|e| !e.return_reason.is_empty())
                                .map(|e| e.return_reason.clone()),
                            files: e
                                .map(|e| e.files.iter().map(|f| f.name.clone()).collect())
                                .unwrap_or_default(),
                            figure_done: c.figure.map(|f| f.done),
                            figure_of: c.figure.and_then(|f| f.of),
                            version: e.map(|e| e.version),
                        }
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// The units the caller sees × the campaign's measures, what is missing under each.
#[utoipa::path(get, path = "/api/v1/unit-measures",
    responses((status = 200, body = GridView), (status = 404, body = ErrorBody)))]
async fn grid(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<GridView>, ApiError> {
    Ok(Json(grid_view(&state, &user).await?))
}

/// Record a measure for the caller's unit (a town's or department's officer), with an evidence
/// file (required for a first entry). 404 for a measure the campaign does not have; 409 for a
/// stale version; 422 on `held_on`, `description` or `file`.
#[utoipa::path(post, path = "/api/v1/unit-measures/{number}",
    request_body(content = crate::openapi::MeasureUpload, content_type = "multipart/form-data"),
    params(("number" = u32, Path, description = "the measure's number")),
    responses((status = 201, body = GridView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
    ApiUpload(form): ApiUpload,
) -> Result<(StatusCode, Json<GridView>), ApiError> {
    let number: u32 = number.parse().map_err(|_| ApiError(AppError::NotFound))?;
    let caller = user.caller();
    safeduty_app::guard::require(
        state.store(),
        &caller,
        safeduty_core::policy::Action::SubmitReport,
        None,
    )
    .await?;
    let text = |name: &str| form.field(name).unwrap_or_default().to_string();
    let held_on = date(&text("held_on"), "held_on", "落实日期")
        .map_err(|r| ApiError(AppError::Refused(r)))?;
    let version = match text("version").trim() {
        "" => None,
        v => Some(
            v.parse()
                .map_err(|_| ApiError(AppError::BadRequest("版本号无效".into())))?,
        ),
    };
    let files = match &form.file {
        Some(f) => vec![f.store(&state).await?],
        None => Vec::new(),
    };
    unit_measures::record(
        state.store(),
        &caller,
        &Record {
            number,
            held_on,
            description: &text("description"),
            files: &files,
            version,
        },
        state.clock().today(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(grid_view(&state, &user).await?)))
}

/// A return.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReturnRequest {
    /// The entry's `version`.
    pub version: i64,
    /// Why, at most 500 characters.
    #[serde(default)]
    pub reason: String,
}

/// Return a unit's entry with a reason (the committee office of the unit's region). 409 for an
/// entry already returned or a stale version; 422 on `reason`.
#[utoipa::path(post, path = "/api/v1/unit-measure-entries/{id}/return", request_body = ReturnRequest,
    params(("id" = String, Path, description = "entry public id")),
    responses((status = 200, body = GridView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn return_entry(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<ReturnRequest>,
) -> Result<Json<GridView>, ApiError> {
    // Scope first, then validation (issue #16 point 4).
    unit_measures::entry_for(state.store(), &user.caller(), &id).await?;
    let req = body.take()?;
    unit_measures::return_entry(state.store(), &user.caller(), &id, req.version, &req.reason)
        .await?;
    Ok(Json(grid_view(&state, &user).await?))
}
