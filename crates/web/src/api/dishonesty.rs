//! The dishonesty list over the JSON API (issue #14 point 4): the same use cases as the pages
//! ([`safeduty_app::enforcement::dishonesty`]): the grounds, the listings in scope, a listing
//! started from a decided case by the deciding unit, and its steps.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use safeduty_app::enforcement::dishonesty;
use safeduty_core::enforcement::case::Party;
use safeduty_core::policy::Action;
use safeduty_store::enforcement::dishonesty::ListingRecord;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{ApiJson, LaterJson};
use crate::guard::ApiUser;
use crate::input::dishonesty::{ListingRequest, ListingStepRequest};
use crate::input::enforcement::date;

/// The API routes of the dishonesty list.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::{get, post};
    crate::routes::Routes::new()
        .route("/dishonesty-grounds", get(grounds))
        .route("/dishonesty-listings", get(list).post(notify))
        .route("/dishonesty-listings/{id}", get(get_listing))
        .route("/dishonesty-listings/{id}/steps", post(step))
}

fn refused(r: safeduty_core::refusal::Refusal) -> ApiError {
    ApiError(AppError::Refused(r))
}

/// One ground of 应急管理部令第11号.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroundView {
    /// Code, for [`ListingRequest::ground`].
    pub code: String,
    /// Article and item.
    pub clause: String,
    /// The situation.
    pub text: String,
    /// Whether read in the official text.
    pub verified: bool,
}

/// Whether the order covers a key industry.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndustryView {
    /// The key industry.
    pub name: String,
    /// Covered.
    pub covered: bool,
    /// The answer is this project's reading, not the order's words.
    pub inferred: bool,
    /// Where the answer comes from.
    pub source: String,
}

/// The grounds and the industries.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroundsView {
    /// The grounds.
    pub grounds: Vec<GroundView>,
    /// The industries.
    pub industries: Vec<IndustryView>,
}

/// The grounds of a listing and the industries the order covers (data, with what is
/// unverified or inferred).
#[utoipa::path(get, path = "/api/v1/dishonesty-grounds",
    responses((status = 200, body = GroundsView), (status = 404, body = ErrorBody)))]
async fn grounds(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<GroundsView>, ApiError> {
    let data = dishonesty::grounds(state.store(), &user.caller()).await?;
    Ok(Json(GroundsView {
        grounds: data
            .grounds
            .into_iter()
            .map(|g| GroundView {
                code: g.code,
                clause: g.clause,
                text: g.text,
                verified: g.verified,
            })
            .collect(),
        industries: data
            .industries
            .into_iter()
            .map(|s| IndustryView {
                name: s.name,
                covered: s.covered,
                inferred: s.inferred,
                source: s.source,
            })
            .collect(),
    }))
}

/// A listing with the dated record of its steps.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListingView {
    /// Public id.
    pub id: String,
    /// The case's public id.
    pub case: String,
    /// Where it stands.
    #[schema(value_type = crate::openapi::ListingStatusCode)]
    pub status: String,
    /// Where it stands, in words.
    pub status_label: String,
    /// The deciding unit.
    pub unit: String,
    /// The enterprise.
    pub enterprise: String,
    /// `unit` or `person`.
    #[schema(value_type = crate::openapi::PartyCode)]
    pub party_kind: String,
    /// The party's name (in full: this is not the public page).
    pub party_name: String,
    /// The ground's code.
    pub ground: String,
    /// The ground's clause as notified.
    pub clause: String,
    /// The ground's text as notified.
    pub ground_text: String,
    /// Facts and reasons.
    pub reasons: String,
    /// The day the 告知书 was served.
    pub notified_on: NaiveDate,
    /// The last day to object.
    pub objection_closes: Option<NaiveDate>,
    /// The objection's day and text.
    pub objection_on: Option<NaiveDate>,
    /// What the party said.
    pub objection: Option<String>,
    /// The answer's day.
    pub answer_on: Option<NaiveDate>,
    /// Whether the objection was upheld.
    pub answer_upheld: Option<bool>,
    /// The answer's reasons.
    pub answer_text: Option<String>,
    /// The decision's day.
    pub decided_on: Option<NaiveDate>,
    /// The decision's number.
    pub decision_number: Option<String>,
    /// The day published.
    pub published_on: Option<NaiveDate>,
    /// Where.
    pub channels: Option<String>,
    /// The day the period ends (not shown from then).
    pub ends_on: Option<NaiveDate>,
    /// The first day credit repair may be applied for.
    pub repair_from: Option<NaiveDate>,
    /// The latest repair application's day.
    pub repair_applied_on: Option<NaiveDate>,
    /// Its evidence.
    pub repair_evidence: Option<String>,
    /// Its decision's day.
    pub repair_decided_on: Option<NaiveDate>,
    /// Granted.
    pub repair_granted: Option<bool>,
    /// The decision's reasons.
    pub repair_decision: Option<String>,
    /// The day removed.
    pub removed_on: Option<NaiveDate>,
    /// `expiry` or `repair`.
    #[schema(value_type = Option<crate::openapi::RemovalReasonCode>)]
    pub removal_reason: Option<String>,
    /// The day an early removal was revoked.
    pub revoked_on: Option<NaiveDate>,
    /// Why.
    pub revocation: Option<String>,
    /// The `version` to send with the next step.
    pub version: i64,
}

fn listing_view(r: &ListingRecord, objection_closes: Option<NaiveDate>) -> ListingView {
    let l = &r.listing;
    let (party_kind, party_name) = match &l.party {
        Party::Unit { name, .. } => ("unit", name.clone()),
        Party::Person { name, .. } => ("person", name.clone()),
    };
    let pubn = l.publication.as_ref();
    let repair = l.repair.as_ref();
    let rd = repair.and_then(|x| x.decision.as_ref());
    ListingView {
        id: r.public_id.clone(),
        case: r.case_public_id.clone(),
        status: l.state().code().into(),
        status_label: l.state().label().into(),
        unit: r.unit_name.clone(),
        enterprise: r.enterprise_name.clone(),
        party_kind: party_kind.into(),
        party_name,
        ground: l.ground.code.clone(),
        clause: l.ground.clause.clone(),
        ground_text: l.ground.text.clone(),
        reasons: l.reasons.clone(),
        notified_on: l.notified_on,
        objection_closes,
        objection_on: l.objection.as_ref().map(|x| x.on),
        objection: l.objection.as_ref().map(|x| x.text.clone()),
        answer_on: l.answer.as_ref().map(|x| x.on),
        answer_upheld: l.answer.as_ref().map(|x| x.upheld),
        answer_text: l.answer.as_ref().map(|x| x.text.clone()),
        decided_on: l.decision.as_ref().map(|x| x.on),
        decision_number: l.decision.as_ref().map(|x| x.number.clone()),
        published_on: pubn.map(|p| p.on),
        channels: pubn.map(|p| p.channels.clone()),
        ends_on: pubn.map(|p| p.ends_on),
        repair_from: pubn.map(|p| p.repair_from),
        repair_applied_on: repair.map(|x| x.applied_on),
        repair_evidence: repair.map(|x| x.evidence.clone()),
        repair_decided_on: rd.map(|x| x.on),
        repair_granted: rd.map(|x| x.granted),
        repair_decision: rd.map(|x| x.text.clone()),
        removed_on: l.removal.map(|x| x.on),
        removal_reason: l.removal.map(|x| x.reason.code().into()),
        revoked_on: l.revocation.as_ref().map(|x| x.on),
        revocation: l.revocation.as_ref().map(|x| x.text.clone()),
        version: r.version,
    }
}

async fn view(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: &str,
) -> Result<ListingView, ApiError> {
    let v = dishonesty::view(state.store(), &user.caller(), id).await?;
    Ok(listing_view(&v.record, v.objection_closes))
}

/// The listings of the cases in the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/dishonesty-listings",
    responses((status = 200, body = Vec<ListingView>), (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<ListingView>>, ApiError> {
    let all = dishonesty::list(state.store(), &user.caller()).await?;
    Ok(Json(all.iter().map(|r| listing_view(r, None)).collect()))
}

/// Start the listing of a decided case's party (an officer of the unit that decided the
/// penalty, holding the penalty power): its 告知书 served. 409 without a decided penalty or when
/// the party is already listed; 422 for an industry outside 应急管理部令第11号 (on `case`), the
/// ground, reasons or date.
#[utoipa::path(post, path = "/api/v1/dishonesty-listings", request_body = ListingRequest,
    responses((status = 201, body = ListingView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn notify(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(req): ApiJson<ListingRequest>,
) -> Result<(StatusCode, Json<ListingView>), ApiError> {
    let notified_on = date(&req.notified_on, "notified_on", "告知书送达日期").map_err(refused)?;
    let id = dishonesty::notify(
        state.store(),
        &user.caller(),
        req.case.trim(),
        req.ground.trim(),
        &req.reasons,
        notified_on,
        state.clock().today(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view(&state, &user, &id).await?)))
}

/// A listing with its steps.
#[utoipa::path(get, path = "/api/v1/dishonesty-listings/{id}",
    params(("id" = String, Path, description = "listing public id")),
    responses((status = 200, body = ListingView), (status = 404, body = ErrorBody)))]
async fn get_listing(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ListingView>, ApiError> {
    Ok(Json(view(&state, &user, &id).await?))
}

/// Record a step (an officer of the deciding unit): each refused out of order or out of its
/// time (a decision before the objection window closed, credit repair before 12 months after
/// publication, removal before the period ends: 409 or 422 with the day it opens).
#[utoipa::path(post, path = "/api/v1/dishonesty-listings/{id}/steps", request_body = ListingStepRequest,
    params(("id" = String, Path, description = "listing public id")),
    responses((status = 200, body = ListingView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn step(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<ListingStepRequest>,
) -> Result<Json<ListingView>, ApiError> {
    // Scope first, then validation (issue #16 point 4).
    dishonesty::listing_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let req = body.take()?;
    let step = req.step().map_err(refused)?;
    dishonesty::step(
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
