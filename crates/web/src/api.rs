//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/v1/openapi.json`.
//!
//! Clients log in with `POST /api/v1/login`, keep the session cookie, and send the CSRF token from
//! the login answer in the `X-CSRF-Token` header of every state-changing request ([`crate::csrf`]
//! refuses one without it before a handler runs).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use chrono::NaiveDate;
use safeduty_core::self_inspection::{Answer, ItemAnswer, Status};
use safeduty_store::self_inspections::SelfInspection;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
use crate::auth::{ClientAddr, CurrentUser, end_session};
use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, LaterJson};
use crate::guard::ApiUser;
use crate::input::enterprises::EnterpriseListParams;
use crate::openapi::HouseAnswers;
use crate::views::{CampaignView, ReportsView};

mod acceptance;
mod assessment;
mod cases;
mod commitments;
mod dishonesty;
mod enforcement;
mod exposures;
mod findings;
mod matters;
mod measures;
mod violations;

/// The API routes.
pub(crate) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .route("/openapi.json", get(openapi))
        .route(
            "/login",
            post(login).layer(DefaultBodyLimit::max(crate::auth::LOGIN_BODY_LIMIT)),
        )
        .route("/logout", post(logout))
        .route("/campaign", get(campaign))
        .route("/enterprises", get(enterprises))
        .route("/reports", get(reports))
        .route("/password", post(password))
        .route(
            "/enterprises/{id}/self-inspection",
            get(get_self_inspection).put(save_self_inspection),
        )
        .route(
            "/enterprises/{id}/self-inspection/submit",
            post(submit_self_inspection),
        )
        .merge(findings::routes())
        .merge(enforcement::routes())
        .merge(cases::routes())
        .merge(exposures::routes())
        .merge(dishonesty::routes())
        .merge(measures::routes())
        .merge(matters::routes())
        .merge(assessment::routes())
        .merge(acceptance::routes())
        .merge(violations::routes())
        .merge(commitments::routes())
}

/// The OpenAPI document of this API.
#[derive(OpenApi)]
#[openapi(
    info(title = "safeduty API", description = "安全生产履职专项治理 JSON API"),
    paths(
        login,
        logout,
        campaign,
        enterprises,
        get_self_inspection,
        save_self_inspection,
        submit_self_inspection,
        reports,
        password,
        findings::list,
        findings::transition_step,
        enforcement::officers,
        enforcement::list_inspections,
        enforcement::record_inspection,
        enforcement::get_inspection,
        enforcement::issue_order,
        enforcement::decide_measures,
        enforcement::review_measures,
        enforcement::list_orders,
        enforcement::get_order,
        enforcement::report_completion,
        enforcement::request_extension,
        enforcement::decide_extension,
        enforcement::re_inspect,
        enforcement::inspection_photos,
        enforcement::add_item_photo,
        enforcement::re_inspection_photos,
        enforcement::add_finding_photo,
        cases::list,
        cases::draft,
        cases::get_case,
        cases::file,
        cases::step,
        cases::proposal,
        exposures::list,
        exposures::draft,
        exposures::publish,
        exposures::withdraw,
        dishonesty::grounds,
        dishonesty::list,
        dishonesty::notify,
        dishonesty::get_listing,
        dishonesty::step,
        measures::grid,
        measures::record,
        measures::return_entry,
        matters::list,
        matters::issue,
        matters::get_matter,
        matters::step,
        assessment::list,
        assessment::enter,
        acceptance::list,
        acceptance::plan,
        acceptance::get_one,
        acceptance::invite,
        acceptance::step,
        acceptance::comment,
        acceptance::still_violating,
        violations::list,
        violations::add,
        violations::edit,
        violations::deactivate,
        violations::reactivate,
        commitments::issue,
        commitments::revoke
    ),
    // The schemas of query parameters are not collected from the paths.
    components(schemas(
        ErrorBody,
        crate::openapi::FindingStatusFilterCode,
        crate::openapi::LedgerSortCode,
        crate::openapi::YesNoCode
    )),
    modifiers(&HouseAnswers)
)]
pub struct ApiDoc;

async fn openapi() -> Response {
    match ApiDoc::openapi().to_pretty_json() {
        Ok(json) => (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            json,
        )
            .into_response(),
        Err(e) => ApiError(AppError::Internal(e.to_string())).into_response(),
    }
}

/// Login request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
    /// The 6-digit code of the authenticator (RFC 6238), for accounts with a second factor
    /// (required for administrators).
    #[serde(default)]
    pub totp_code: Option<String>,
}

/// Login answer; the session cookie is set on the response.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send this in `X-CSRF-Token` with every state-changing request.
    pub csrf_token: String,
    /// User name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role code.
    #[schema(value_type = crate::openapi::RoleCode)]
    pub role: String,
}

/// Log in and start a session.
#[utoipa::path(post, path = "/api/v1/login", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    jar: CookieJar,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let jar = end_session(&state, jar).await?;
    let user =
        crate::auth::check_password(&state, &req.username, &req.password, addr.clone()).await?;
    if safeduty_app::identity::owes_code(&user) {
        let code = req
            .totp_code
            .as_deref()
            .ok_or(AppError::SecondFactorRequired)?;
        safeduty_app::identity::check_code(state.store(), &user, code, addr)
            .await
            .map_err(AppError::from)?;
    }
    match crate::auth::start_session(&state, user.id).await {
        Ok((cookie, csrf_token)) => Ok((
            jar.add(cookie),
            Json(LoginResponse {
                csrf_token,
                username: user.username,
                display_name: user.display_name,
                role: user.role.code().into(),
            }),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Log out: every session of the user ends.
#[utoipa::path(post, path = "/api/v1/logout", responses((status = 204), (status = 403, body = ErrorBody)))]
async fn logout(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    jar: CookieJar,
) -> Result<Response, ApiError> {
    let jar = crate::auth::log_out(&state, &user, jar).await?;
    Ok((jar, axum::http::StatusCode::NO_CONTENT).into_response())
}

/// The current campaign: areas and items, phases, measures, reporting deadlines with due dates.
#[utoipa::path(get, path = "/api/v1/campaign",
    responses((status = 200, body = CampaignView), (status = 404, body = ErrorBody)))]
async fn campaign(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<CampaignView>, ApiError> {
    let c = safeduty_app::campaigns::read(state.store(), &user.caller())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(CampaignView::new(
        &c,
        state.clock().today(),
        &*state.calendar().await?,
    )))
}

/// An enterprise in the caller's scope with its self-inspection status.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnterpriseSummary {
    /// Public identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// USCC.
    pub uscc: String,
    /// Region name.
    pub region: String,
    /// Key industry.
    pub industry: String,
    /// Self-inspection status.
    #[schema(value_type = crate::openapi::SelfInspectionStatusCode)]
    pub status: String,
    /// Findings still open.
    pub findings_open: i64,
    /// Of those, past their time limit on the server's today.
    pub findings_overdue: i64,
}

/// One page of the enterprise list.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnterprisePage {
    /// Enterprises matching the search and filters in the caller's scope, all pages.
    pub total: i64,
    /// This page (from 1).
    pub page: u32,
    /// Rows per page.
    pub page_size: u32,
    /// The rows of this page, in the order asked for (ending with a unique key, so pages never
    /// overlap or skip a row).
    pub rows: Vec<EnterpriseSummary>,
}

/// Enterprises of the current campaign inside the caller's scope: searched by name or USCC,
/// filtered, ordered and paged as on the `/enterprises` page. An unknown filter value is 400.
#[utoipa::path(get, path = "/api/v1/enterprises",
    params(EnterpriseListParams),
    responses((status = 200, body = EnterprisePage), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
async fn enterprises(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(params): ApiQuery<EnterpriseListParams>,
) -> Result<Json<EnterprisePage>, ApiError> {
    let (filter, request) = params.filter()?;
    let (_, page) = safeduty_app::progress::enterprises(
        state.store(),
        &user.caller(),
        &filter,
        state.clock().today(),
        request,
    )
    .await?;
    Ok(Json(EnterprisePage {
        total: page.total,
        page: page.page,
        page_size: page.per_page,
        rows: page
            .rows
            .into_iter()
            .map(|r| EnterpriseSummary {
                id: r.enterprise.public_id,
                name: r.enterprise.name,
                uscc: r.enterprise.uscc,
                region: r.enterprise.region_name,
                industry: r.enterprise.industry,
                status: r.status.code().into(),
                findings_open: r.findings_open,
                findings_overdue: r.findings_overdue,
            })
            .collect(),
    }))
}

/// One item's answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AnswerBody {
    /// Check item number.
    pub item: u32,
    /// The answer, or null while unanswered.
    #[schema(value_type = Option<crate::openapi::AnswerCode>)]
    pub answer: Option<String>,
    /// Note; required with `non_conform`.
    #[serde(default)]
    pub note: String,
}

/// A self-inspection.
#[derive(Debug, Serialize, ToSchema)]
pub struct SelfInspectionBody {
    /// Where it stands.
    #[schema(value_type = crate::openapi::SelfInspectionStatusCode)]
    pub status: String,
    /// Date of submission.
    pub submitted_on: Option<NaiveDate>,
    /// Number of saves so far.
    pub version: i64,
    /// Answers given, by item.
    pub answers: Vec<AnswerBody>,
}

/// Answers to save or submit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswersRequest {
    /// Answers by item; items not listed stay unanswered.
    pub answers: Vec<AnswerBody>,
    /// The `version` the client loaded: when given and another save came in since, the request
    /// is refused with 409 and nothing is saved (no silent overwrite of another window's work).
    #[serde(default)]
    pub version: Option<i64>,
}

fn body(si: &SelfInspection) -> SelfInspectionBody {
    SelfInspectionBody {
        status: si.status.code().into(),
        submitted_on: si.submitted_on,
        version: si.version,
        answers: si
            .answers
            .iter()
            .map(|(n, a)| AnswerBody {
                item: *n,
                answer: a.answer.map(|a| a.code().to_string()),
                note: a.note.clone(),
            })
            .collect(),
    }
}

fn answers(req: AnswersRequest) -> Result<BTreeMap<u32, ItemAnswer>, AppError> {
    let mut out = BTreeMap::new();
    for a in req.answers {
        let answer = match a.answer.as_deref() {
            None => None,
            Some(code) => Some(Answer::from_code(code).ok_or_else(|| {
                AppError::BadRequest(format!("第{}项的选项“{code}”无效", a.item))
            })?),
        };
        if out
            .insert(
                a.item,
                ItemAnswer {
                    answer,
                    note: a.note,
                },
            )
            .is_some()
        {
            return Err(AppError::BadRequest(format!("第{}项重复出现", a.item)));
        }
    }
    Ok(out)
}

/// An enterprise's self-inspection in the current campaign.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/self-inspection",
    params(("id" = String, Path, description = "enterprise public id")),
    responses((status = 200, body = SelfInspectionBody), (status = 404, body = ErrorBody)))]
async fn get_self_inspection(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<SelfInspectionBody>, ApiError> {
    Ok(Json(body(
        &safeduty_app::self_inspection::get(state.store(), &user.caller(), &id).await?,
    )))
}

async fn edit(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    req: AnswersRequest,
    submit: bool,
) -> Result<Json<SelfInspectionBody>, ApiError> {
    let version = req.version;
    let answers = answers(req)?;
    let si = if submit {
        let calendar = state.calendar().await?;
        safeduty_app::self_inspection::submit(
            state.store(),
            &user.caller(),
            id,
            answers,
            version,
            state.clock().today(),
            &calendar,
        )
        .await?
    } else {
        safeduty_app::self_inspection::save(state.store(), &user.caller(), id, answers, version)
            .await?
    };
    debug_assert!(submit == (si.status == Status::Submitted));
    Ok(Json(body(&si)))
}

/// Save a draft (enterprise user only). 422 with field errors and nothing saved when a
/// `non_conform` answer has no note; 409 once submitted.
#[utoipa::path(put, path = "/api/v1/enterprises/{id}/self-inspection", request_body = AnswersRequest,
    params(("id" = String, Path, description = "enterprise public id")),
    responses((status = 200, body = SelfInspectionBody), (status = 422, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn save_self_inspection(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<AnswersRequest>,
) -> Result<Json<SelfInspectionBody>, ApiError> {
    // Scope first, then validation (issue #16 point 4).
    safeduty_app::self_inspection::get(state.store(), &user.caller(), &id).await?;
    let req = body.take()?;
    edit(&state, &user, &id, req, false).await
}

/// Submit (enterprise user only): every item answered; each `non_conform` opens a finding.
/// Of two submissions sent at once one succeeds and the other gets 409.
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/self-inspection/submit", request_body = AnswersRequest,
    params(("id" = String, Path, description = "enterprise public id")),
    responses((status = 200, body = SelfInspectionBody), (status = 422, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn submit_self_inspection(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<AnswersRequest>,
) -> Result<Json<SelfInspectionBody>, ApiError> {
    // Scope first, then validation (issue #16 point 4).
    safeduty_app::self_inspection::get(state.store(), &user.caller(), &id).await?;
    let req = body.take()?;
    edit(&state, &user, &id, req, true).await
}

/// Reporting status of the units in the caller's scope: every unit for the committee office and
/// assessors, its own for a unit officer.
#[utoipa::path(get, path = "/api/v1/reports",
    responses((status = 200, body = ReportsView), (status = 403, body = ErrorBody)))]
async fn reports(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<ReportsView>, ApiError> {
    let status = safeduty_app::reports::status(state.store(), &user.caller()).await?;
    Ok(Json(ReportsView::new(
        &status,
        state.clock().today(),
        &*state.calendar().await?,
    )))
}

/// Password change request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordRequest {
    /// The current password.
    pub old_password: String,
    /// The new password: at least 8 characters of 3 classes, without the user name, not one of
    /// the last 5.
    pub new_password: String,
}

/// The answer to a password change: a new session (cookie set) and its CSRF token.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordResponse {
    /// Send this in `X-CSRF-Token` from now on.
    pub csrf_token: String,
}

/// Change one's own password; every session of the user ends and a new one starts.
#[utoipa::path(post, path = "/api/v1/password", request_body = PasswordRequest,
    responses((status = 200, body = PasswordResponse), (status = 422, body = ErrorBody)))]
async fn password(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    jar: CookieJar,
    ApiJson(req): ApiJson<PasswordRequest>,
) -> Result<Response, ApiError> {
    let (cookie, csrf_token) = crate::auth::change_own_password(
        &state,
        &user,
        &req.old_password,
        &req.new_password,
        &req.new_password,
    )
    .await?;
    Ok((jar.add(cookie), Json(PasswordResponse { csrf_token })).into_response())
}
