//! The year's assessment over the JSON API (issue #14 point 8): the same use cases as the page
//! ([`safeduty_app::assessment`]).

use axum::Json;
use axum::extract::{Path, State};
use safeduty_app::assessment;
use safeduty_core::assessment::Basis;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::LaterJson;
use crate::guard::ApiUser;

/// The API routes of the assessment.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::{get, post};
    crate::routes::Routes::new()
        .route("/assessment", get(list))
        .route("/assessment/{unit}/{item}", post(enter))
}

/// One item of a unit's sheet.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineView {
    /// The item's code.
    pub item: String,
    /// Its area's code.
    pub area: String,
    /// What it deducts for.
    pub name: String,
    /// `computed` (from the records) or `entered` (by the assessor).
    pub basis: String,
    /// The records' figure, for a computed item.
    pub figure: Option<u32>,
    /// What the figure is.
    pub metric: Option<String>,
    /// Points deducted.
    pub points: u32,
    /// The most it deducts.
    pub max: u32,
    /// The assessor's reason.
    pub reason: String,
    /// The stored entry's `version` (send it back to change it); `None` when none.
    pub version: Option<i64>,
}

/// A unit's sheet.
#[derive(Debug, Serialize, ToSchema)]
pub struct SheetView {
    /// The unit's id.
    pub unit_id: i64,
    /// The unit.
    pub unit: String,
    /// The score out of 100.
    pub score: u32,
    /// Each area's deduction (capped), in the scheme's order: (area code, points).
    pub areas: Vec<(String, u32)>,
    /// Its lines.
    pub lines: Vec<LineView>,
}

/// Every unit's sheet (the committee office and the assessors of the region).
#[utoipa::path(get, path = "/api/v1/assessment",
    responses((status = 200, body = Vec<SheetView>), (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<SheetView>>, ApiError> {
    let a = assessment::sheets(state.store(), &user.caller(), state.clock().today()).await?;
    Ok(Json(
        a.sheets
            .iter()
            .map(|s| SheetView {
                unit_id: s.unit.id,
                unit: s.unit.name.clone(),
                score: s.sheet.score,
                areas: s
                    .sheet
                    .areas
                    .iter()
                    .map(|(a, p)| (a.code.clone(), *p))
                    .collect(),
                lines: s
                    .sheet
                    .lines
                    .iter()
                    .map(|l| {
                        let (basis, metric) = match &l.item.basis {
                            Basis::Computed { metric, .. } => {
                                ("computed", Some(metric.code().to_string()))
                            }
                            Basis::Entered => ("entered", None),
                        };
                        LineView {
                            item: l.item.code.clone(),
                            area: l.item.area.clone(),
                            name: l.item.name.clone(),
                            basis: basis.into(),
                            figure: l.figure,
                            metric,
                            points: l.points,
                            max: l.item.max,
                            reason: l.reason.clone(),
                            version: s.versions.get(&l.item.code).copied(),
                        }
                    })
                    .collect(),
            })
            .collect(),
    ))
}

/// An assessor's points on an entered item.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EntryRequest {
    /// The stored entry's `version`, when there is one.
    #[serde(default)]
    pub version: Option<i64>,
    /// Points deducted, 0 to the item's most.
    pub points: u32,
    /// Why (required for any deduction), at most 500 characters.
    #[serde(default)]
    pub reason: String,
}

/// Enter the points of an entered item for a unit (an assessor or the committee office). 404
/// for a unit outside the region or an unknown item; 409 for a computed item or a stale
/// version; 422 on `points` or `reason`.
#[utoipa::path(post, path = "/api/v1/assessment/{unit}/{item}", request_body = EntryRequest,
    params(("unit" = i64, Path, description = "unit id"), ("item" = String, Path, description = "item code")),
    responses((status = 200, body = Vec<SheetView>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn enter(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((unit, item)): Path<(String, String)>,
    body: LaterJson<EntryRequest>,
) -> Result<Json<Vec<SheetView>>, ApiError> {
    let unit: i64 = unit
        .parse()
        .map_err(|_| ApiError(crate::error::AppError::NotFound))?;
    // Scope first, then validation (issue #16 point 4).
    assessment::unit_in_scope(state.store(), &user.caller(), unit).await?;
    let req = body.take()?;
    assessment::enter(
        state.store(),
        &user.caller(),
        unit,
        &item,
        req.points,
        &req.reason,
        req.version,
    )
    .await?;
    list(State(state), ApiUser(user)).await
}
