//! The findings ledger over the JSON API: the ledger of the caller's scope with the page's
//! filters, order and paging (`GET /api/v1/findings`, the same query as `/findings`), and a step
//! in a finding's loop (`POST /api/v1/findings/{id}/transitions`, the same path as the page's
//! forms: scope 404, role 403, the loop's 409/422).

use axum::Json;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use safeduty_store::findings::Finding;
use safeduty_store::findings::ledger::PAGE_SIZE;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{ApiQuery, LaterJson};
use crate::guard::ApiUser;
use crate::input::findings::{LedgerParams, Step, ledger_rows};
use safeduty_core::policy::Action;

/// The API routes of the ledger.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::{get, post};
    crate::routes::Routes::new()
        .route("/findings", get(list))
        .route("/findings/{id}/transitions", post(transition_step))
}

/// A finding as the ledger lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FindingSummary {
    /// Public identifier.
    pub id: String,
    /// Optimistic version: send it back with a transition.
    pub version: i64,
    /// Enterprise public id.
    pub enterprise_id: String,
    /// Enterprise name.
    pub enterprise_name: String,
    /// Region (town, subdistrict, zone) of the enterprise.
    pub region: String,
    /// Where it came from.
    #[schema(value_type = crate::openapi::FindingSourceCode)]
    pub source: String,
    /// Duty problem or accident hazard.
    #[schema(value_type = crate::openapi::FindingCategoryCode)]
    pub category: String,
    /// How grave.
    #[schema(value_type = crate::openapi::FindingGradeCode)]
    pub grade: String,
    /// The linked check item's number, if any.
    pub item: Option<u32>,
    /// Where on site.
    pub location: String,
    /// What is wrong.
    pub description: String,
    /// Where it stands in its loop.
    #[schema(value_type = crate::openapi::FindingStatusCode)]
    pub status: String,
    /// The status in words (待整改, …).
    pub status_label: String,
    /// Opened on (civil date, Asia/Shanghai).
    pub opened_on: NaiveDate,
    /// Time limit (inclusive).
    pub due_on: NaiveDate,
    /// Past its time limit and not closed, on the server's today (computed, never stored).
    pub overdue: bool,
    /// Day it was verified and closed out.
    pub closed_on: Option<NaiveDate>,
    /// The time limit a pending extension request asks for.
    pub extension_requested: Option<NaiveDate>,
    /// A major finding's supervising unit (挂牌督办), once named.
    pub supervising_unit: Option<String>,
    /// The day it was put under supervision.
    pub supervised_on: Option<NaiveDate>,
    /// The reason of a downgrade to general waiting for the committee office.
    pub downgrade_requested: Option<String>,
    /// Who checked on site at the close-out (核验人员); empty until closed.
    pub verifiers: String,
    /// The close-out's verification opinion (验收意见); empty until closed.
    pub verification_opinion: String,
}

impl FindingSummary {
    fn new(f: Finding, today: NaiveDate) -> FindingSummary {
        FindingSummary {
            overdue: f.is_overdue(today),
            version: f.version,
            enterprise_id: f.enterprise_public_id,
            enterprise_name: f.enterprise_name,
            region: f.region_name,
            source: f.source.code().into(),
            category: f.category.code().into(),
            grade: f.grade.code().into(),
            item: f.item_number,
            location: f.location,
            description: f.description,
            status: f.status.code().into(),
            status_label: f.status.label().into(),
            opened_on: f.opened_on,
            due_on: f.due_on,
            closed_on: f.closed_on,
            extension_requested: f.pending_extension.map(|(d, _)| d),
            supervised_on: f.supervision.as_ref().map(|(_, on)| *on),
            supervising_unit: f.supervision.map(|(unit, _)| unit),
            downgrade_requested: f.pending_downgrade,
            verifiers: f.verifiers,
            verification_opinion: f.verification_opinion,
            id: f.public_id,
        }
    }
}

/// One page of the ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerPage {
    /// Findings matching the filters in the caller's scope, all pages.
    pub total: i64,
    /// This page (from 1).
    pub page: u32,
    /// Rows per page.
    pub page_size: u32,
    /// The rows of this page, in the order asked for (every order ends with a unique key, so
    /// pages never overlap or skip a row).
    pub rows: Vec<FindingSummary>,
}

/// The findings ledger of the caller's scope (an enterprise its own; officers their
/// enterprises; the committee office and assessors their region), filtered, ordered and paged
/// as on the `/findings` page. An unknown filter value is 400.
#[utoipa::path(get, path = "/api/v1/findings",
    params(LedgerParams),
    responses((status = 200, body = LedgerPage), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(params): ApiQuery<LedgerParams>,
) -> Result<Json<LedgerPage>, ApiError> {
    let (found, page) = ledger_rows(&state, &user, &params, false).await?;
    let today = state.clock().today();
    Ok(Json(LedgerPage {
        total: found.total,
        page,
        page_size: PAGE_SIZE,
        rows: found
            .rows
            .into_iter()
            .map(|f| FindingSummary::new(f, today))
            .collect(),
    }))
}

/// A step in a finding's loop.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TransitionRequest {
    /// The finding's `version` the client loaded: a change made since is answered 409 and
    /// nothing is written.
    pub version: i64,
    /// The client's token for this request (letters, digits, `-`; at most 64): the same token
    /// sent again by the same user changes nothing and answers like the first.
    #[serde(default)]
    pub token: Option<String>,
    /// The step.
    #[serde(flatten)]
    pub step: Step,
}

/// What a step did.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransitionResponse {
    /// The finding's status after it.
    #[schema(value_type = crate::openapi::FindingStatusCode)]
    pub status: String,
    /// The status in words.
    pub status_label: String,
    /// The finding's version after it.
    pub version: i64,
    /// This was a repeat of a request already applied: nothing was changed now.
    pub replayed: bool,
}

/// Take a step in a finding's loop (send `X-CSRF-Token`). Which role may take which step is
/// the loop's rule: the enterprise rectifies and asks for extensions; officers of the scope
/// decide extensions, set a time limit directly with a reason, and alone verify a major finding,
/// which they put under supervision (`supervise`) before it is submitted or closed; lowering a
/// major finding to general is a `request_downgrade` the committee office decides. `verify`
/// needs the opinion, the verifiers and a photo or document of the on-site check uploaded on the
/// finding's page (`/findings/{id}/verify` or `/findings/{id}/evidence` with `purpose=check`).
/// 404 outside the scope; 403 for a step the role may not take; 409 for a stale version or a
/// step not open in this state; 422 for something missing (five implementations, evidence, the
/// check's record, supervision, a reason); 400 for an unreadable date, amount or action.
#[utoipa::path(post, path = "/api/v1/findings/{id}/transitions", request_body = TransitionRequest,
    params(("id" = String, Path, description = "finding public id")),
    responses((status = 200, body = TransitionResponse), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn transition_step(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<TransitionRequest>,
) -> Result<Json<TransitionResponse>, ApiError> {
    // Scope first, then validation (issue #16 point 4).
    safeduty_app::findings::finding_for(state.store(), &user.caller(), &id, Action::ReadFindings)
        .await?;
    let req = body.take()?;
    let (_, result) = safeduty_app::findings::transition(
        state.store(),
        &user.caller(),
        &id,
        req.step.request()?,
        req.version,
        req.token.as_deref(),
        state.clock().today(),
    )
    .await?;
    let applied = result.map_err(AppError::from)?;
    Ok(Json(TransitionResponse {
        status: applied.status.code().into(),
        status_label: applied.status.label().into(),
        version: applied.version,
        replayed: applied.replayed,
    }))
}
