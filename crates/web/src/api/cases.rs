//! Penalty cases over the JSON API (issue #13): draft, approve the filing, record each step,
//! and the penalty calculator — the same use cases as the pages
//! ([`safeduty_app::enforcement::cases`]), the same refusals: 422 naming the field for bad
//! input, 409 for a step out of order, a window still open or a stale `version`, 403 for a unit
//! without the power, 404 outside the scope. An enterprise reads its own cases.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use safeduty_app::enforcement::cases::{self, CaseView as Dossier};
use safeduty_core::enforcement::order::is_overdue;
use safeduty_core::enforcement::penalty::{Band, Provision};
use safeduty_core::policy::Action;
use safeduty_store::enforcement::cases::CaseSummary;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, LaterJson};
use crate::guard::ApiUser;
use crate::input::cases::{CaseRequest, FilingRequest, StepRequest};
use crate::input::enforcement::{code, date};

/// The API routes of cases.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::{get, post};
    crate::routes::Routes::new()
        .route("/cases", get(list).post(draft))
        .route("/cases/{id}", get(get_case))
        .route("/cases/{id}/filing", post(file))
        .route("/cases/{id}/steps", post(step))
        .route("/penalty-proposal", get(proposal))
}

fn refused(r: safeduty_core::refusal::Refusal) -> ApiError {
    ApiError(AppError::Refused(r))
}

/// A case as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSummaryView {
    /// Public id.
    pub id: String,
    /// （简称）应急立〔year〕N号 once filed.
    pub number: Option<String>,
    /// Where it stands.
    #[schema(value_type = crate::openapi::CaseStateCode)]
    pub status: String,
    /// Where it stands, in words.
    pub status_label: String,
    /// Handling unit.
    pub unit: String,
    /// The enterprise concerned.
    pub enterprise: String,
    /// 案由.
    pub cause: String,
    /// `unit` or `person`.
    #[schema(value_type = crate::openapi::PartyCode)]
    pub party_kind: String,
    /// The party's name.
    pub party_name: String,
    /// Day filed.
    pub filed_on: Option<NaiveDate>,
    /// Fine decided, yuan.
    pub decision_amount: Option<i64>,
}

impl CaseSummaryView {
    fn new(s: &CaseSummary, number: Option<String>) -> CaseSummaryView {
        CaseSummaryView {
            id: s.public_id.clone(),
            number,
            status: s.status.clone(),
            status_label: crate::views::case_status_label(&s.status).into(),
            unit: s.unit_name.clone(),
            enterprise: s.enterprise_name.clone(),
            cause: s.cause.clone(),
            party_kind: s.party_kind.clone(),
            party_name: s.party_name.clone(),
            filed_on: s.filed_on,
            decision_amount: s.decision_amount,
        }
    }
}

/// A time limit of a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct WindowView {
    /// What it is, e.g. 陈述申辩期限.
    pub label: String,
    /// Its last day.
    pub closes: NaiveDate,
    /// The rule, e.g. `3个工作日`.
    pub span: String,
    /// The rule's source.
    pub source: String,
    /// Counted through a year whose holidays are not loaded.
    pub provisional: bool,
    /// The step it waits for was taken.
    pub met: bool,
    /// A limit of the authority or the payment (not the party's statement or hearing window).
    pub deadline: bool,
    /// A deadline passed on the server's today without the step.
    pub overdue: bool,
}

/// The 告知书 as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeView {
    /// Provision applied.
    #[schema(value_type = crate::openapi::ProvisionCode)]
    pub provision: String,
    /// Proposed fine, yuan.
    pub amount: u32,
    /// Suspension or revocation proposed.
    #[schema(value_type = Option<crate::openapi::HeavyMeasureCode>)]
    pub heavy: Option<String>,
    /// Day the party received it.
    pub received_on: NaiveDate,
}

/// The decision as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    /// Provision applied.
    #[schema(value_type = crate::openapi::ProvisionCode)]
    pub provision: String,
    /// Fine, yuan.
    pub amount: u32,
    /// Discretion band used.
    #[schema(value_type = Option<crate::openapi::BandCode>)]
    pub band: Option<String>,
    /// The band table's version recorded with the band.
    pub table: Option<String>,
    /// Day decided.
    pub decided_on: NaiveDate,
}

/// The procedure record of a filed case.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepsView {
    /// Approved extensions of the decision limit (0, 1, 2).
    pub extensions: u8,
    /// Investigation started.
    pub investigated_on: Option<NaiveDate>,
    /// The 告知书.
    pub notice: Option<NoticeView>,
    /// The party received the 听证告知书.
    pub hearing_notice_on: Option<NaiveDate>,
    /// The party's answer.
    #[schema(value_type = Option<crate::openapi::CaseAnswerCode>)]
    pub answer: Option<String>,
    /// Its day.
    pub answer_on: Option<NaiveDate>,
    /// What the party said.
    pub answer_note: String,
    /// The decision.
    pub decision: Option<DecisionView>,
    /// 不予处罚: basis, follow-up measure, day.
    pub no_penalty: Option<(String, String, NaiveDate)>,
    /// Served.
    pub served_on: Option<NaiveDate>,
    /// Paid.
    pub paid_on: Option<NaiveDate>,
    /// Late fee paid with it, yuan.
    pub late_fee: Option<u64>,
    /// Enforcement requested.
    pub enforcement_on: Option<NaiveDate>,
    /// Closed.
    pub closed_on: Option<NaiveDate>,
    /// 责令停产停业整顿: first day, last day of the period, the day the review lifted it.
    pub suspension: Option<(NaiveDate, NaiveDate, Option<NaiveDate>)>,
    /// The review's opinion that lifted it.
    pub suspension_review: Option<String>,
}

/// A document the case must hold, and whether its signed scan is on file.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequiredDocumentView {
    /// Which.
    #[schema(value_type = crate::openapi::CaseDocumentCode)]
    pub kind: String,
    /// Its name.
    pub label: String,
    /// The document of record's public id, if uploaded.
    pub on_file: Option<String>,
}

/// A case with its officers, procedure record, time limits and documents.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseView {
    /// As listed.
    #[serde(flatten)]
    pub summary: CaseSummaryView,
    /// Where it came from: `inspection`, `referral`, `direct`.
    #[schema(value_type = crate::openapi::CaseSourceCode)]
    pub source: String,
    /// The facts.
    pub facts: String,
    /// The provision proposed at drafting.
    #[schema(value_type = crate::openapi::ProvisionCode)]
    pub provision: String,
    /// The person's role in the unit (for a person).
    pub party_role: String,
    /// The enterprise's USCC.
    pub uscc: String,
    /// The handling officers.
    pub officers: Vec<super::enforcement::OfficerOnDutyView>,
    /// The procedure record (none for a draft).
    pub steps: Option<StepsView>,
    /// The time limits.
    pub windows: Vec<WindowView>,
    /// A decision must be preceded by a hearing notice.
    pub hearing_required: bool,
    /// The documents the case must hold by now.
    pub documents: Vec<RequiredDocumentView>,
    /// The `version` to send with the next step.
    pub version: i64,
}

impl CaseView {
    fn new(d: &Dossier, today: NaiveDate) -> CaseView {
        let s = &d.record.summary;
        CaseView {
            summary: CaseSummaryView::new(s, d.number.clone()),
            source: s.source_kind.clone(),
            facts: s.facts.clone(),
            provision: s.provision.clone(),
            party_role: s.party_role.clone(),
            uscc: s.uscc.clone(),
            officers: super::enforcement::on_duty(&d.record.officers),
            steps: d.record.case.as_ref().map(|c| StepsView {
                extensions: c.extensions,
                investigated_on: c.investigated_on,
                notice: c.notice.as_ref().map(|n| NoticeView {
                    provision: n.provision.code().into(),
                    amount: n.amount,
                    heavy: n.heavy.map(|h| h.code().into()),
                    received_on: n.received_on,
                }),
                hearing_notice_on: c.hearing_notice_on,
                answer: c.answer.map(|(a, _)| a.code().into()),
                answer_on: c.answer.map(|(_, on)| on),
                answer_note: d.record.answer_note.clone(),
                decision: c.decision.as_ref().map(|x| DecisionView {
                    provision: x.provision.code().into(),
                    amount: x.amount,
                    band: x.band.as_ref().map(|(b, _)| b.code().into()),
                    table: x.band.as_ref().map(|(_, t)| t.clone()),
                    decided_on: x.decided_on,
                }),
                no_penalty: c
                    .no_penalty
                    .as_ref()
                    .map(|(n, on)| (n.basis.clone(), n.follow_up.clone(), *on)),
                served_on: c.served_on,
                paid_on: c.payment.as_ref().map(|p| p.paid_on),
                late_fee: c.payment.as_ref().map(|p| p.late_fee),
                enforcement_on: c.enforcement_on,
                closed_on: c.closed_on,
                suspension: c
                    .suspension
                    .as_ref()
                    .map(|x| (x.from, x.until, x.lifted.as_ref().map(|(on, _)| *on))),
                suspension_review: c
                    .suspension
                    .as_ref()
                    .and_then(|x| x.lifted.as_ref())
                    .map(|(_, r)| r.clone()),
            }),
            windows: d
                .windows
                .iter()
                .map(|w| WindowView {
                    label: w.label.into(),
                    closes: w.closes,
                    span: w.span.clone(),
                    source: w.source.clone(),
                    provisional: w.provisional,
                    met: w.met,
                    deadline: w.deadline,
                    overdue: w.deadline && !w.met && is_overdue(w.closes, today),
                })
                .collect(),
            hearing_required: d.hearing_required,
            documents: d
                .required
                .iter()
                .map(|(k, on_file)| RequiredDocumentView {
                    kind: k.code().into(),
                    label: k.label().into(),
                    on_file: on_file.as_ref().map(|d| d.public_id.clone()),
                })
                .collect(),
            version: s.version,
        }
    }
}

async fn case_view(state: &AppState, user: &CurrentUser, id: &str) -> Result<CaseView, ApiError> {
    let today = state.clock().today();
    let d = cases::view(state.store(), &user.caller(), id, today).await?;
    Ok(CaseView::new(&d, today))
}

/// Cases in the caller's scope, newest first: an officer's own unit's, an enterprise its own,
/// the committee office and assessors every unit's in their region.
#[utoipa::path(get, path = "/api/v1/cases",
    responses((status = 200, body = Vec<CaseSummaryView>), (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<CaseSummaryView>>, ApiError> {
    let rows = cases::list(state.store(), &user.caller()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(s, n)| CaseSummaryView::new(&s, n))
            .collect(),
    ))
}

/// Draft a case (officers of a unit with the filing power): from an inspection of the unit, a
/// referral, or directly on an enterprise. The draft has no number until its filing is
/// approved. 422 naming the field (`source`, `cause`, `facts`, `provision`, `party`,
/// `party_name`, `party_role`); 409 for a referral already filed.
#[utoipa::path(post, path = "/api/v1/cases", request_body = CaseRequest,
    responses((status = 201, body = CaseView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn draft(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(req): ApiJson<CaseRequest>,
) -> Result<(StatusCode, Json<CaseView>), ApiError> {
    let (source, draft) = req.draft().map_err(refused)?;
    let id = cases::draft(state.store(), &user.caller(), &source, &draft).await?;
    Ok((
        StatusCode::CREATED,
        Json(case_view(&state, &user, &id).await?),
    ))
}

/// A case with its procedure record, time limits and documents (an enterprise its own).
#[utoipa::path(get, path = "/api/v1/cases/{id}",
    params(("id" = String, Path, description = "case public id")),
    responses((status = 200, body = CaseView), (status = 404, body = ErrorBody)))]
async fn get_case(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<CaseView>, ApiError> {
    Ok(Json(case_view(&state, &user, &id).await?))
}

/// Approve the filing of a draft (officers of the handling unit): the case gets its number.
/// 422 on `filed_on` or `officers` (fewer than two, a certificate not valid that day); 409 for
/// a case already filed or a stale version.
#[utoipa::path(post, path = "/api/v1/cases/{id}/filing", request_body = FilingRequest,
    params(("id" = String, Path, description = "case public id")),
    responses((status = 200, body = CaseView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn file(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<FilingRequest>,
) -> Result<Json<CaseView>, ApiError> {
    // Scope first, then validation (issue #16 point 4).
    cases::case_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let req = body.take()?;
    let filed_on = date(&req.filed_on, "filed_on", "立案日期").map_err(refused)?;
    cases::file(
        state.store(),
        &user.caller(),
        &id,
        req.version,
        filed_on,
        &req.officers,
        state.clock().today(),
    )
    .await?;
    Ok(Json(case_view(&state, &user, &id).await?))
}

/// Record a step of a filed case (officers of the handling unit; a decision needs the penalty
/// power). 409 with the reason for a step out of order, a decision while the statement or
/// hearing window is open, a decision above the hearing threshold without a hearing notice, a
/// closing with documents missing, a stale version; 422 naming the field for an amount outside
/// the statutory range, a date after today or before the previous step.
#[utoipa::path(post, path = "/api/v1/cases/{id}/steps", request_body = StepRequest,
    params(("id" = String, Path, description = "case public id")),
    responses((status = 200, body = CaseView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn step(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<StepRequest>,
) -> Result<Json<CaseView>, ApiError> {
    // Scope first, then validation (issue #16 point 4).
    cases::case_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let req = body.take()?;
    let step = req.step().map_err(refused)?;
    cases::step(
        state.store(),
        &user.caller(),
        &id,
        req.version,
        &step,
        state.clock().today(),
    )
    .await?;
    Ok(Json(case_view(&state, &user, &id).await?))
}

/// The calculator's question.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ProposalQuery {
    /// The provision.
    #[serde(default)]
    #[param(value_type = crate::openapi::ProvisionCode)]
    provision: String,
    /// The discretion band.
    #[serde(default)]
    #[param(value_type = crate::openapi::BandCode)]
    band: String,
    /// The day whose statute and band table apply, `YYYY-MM-DD`; today when blank.
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    date: String,
}

/// The proposed fine range.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalView {
    /// Lowest proposed fine, yuan.
    pub min: u32,
    /// Highest proposed fine, yuan.
    pub max: u32,
    /// The statutory range's lowest fine, yuan.
    pub statute_min: u32,
    /// The statutory range's highest fine, yuan.
    pub statute_max: u32,
    /// Measures of the article and the band.
    pub measures: Vec<String>,
    /// The band table's name (version).
    pub table: Option<String>,
    /// The statute's source.
    pub source: String,
    /// Whether the statute's source was verified.
    pub verified: bool,
}

/// The penalty calculator: the proposed range for a provision in a discretion band on a day,
/// from the band table in force cut to the statutory range in force. 422 on `provision`,
/// `band` or `date`.
#[utoipa::path(get, path = "/api/v1/penalty-proposal", params(ProposalQuery),
    responses((status = 200, body = ProposalView), (status = 422, body = ErrorBody)))]
async fn proposal(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<ProposalQuery>,
) -> Result<Json<ProposalView>, ApiError> {
    let provision = code(
        &q.provision,
        "provision",
        "处罚依据",
        Provision::from_code,
        &Provision::ALL.iter().map(|p| p.label()).collect::<Vec<_>>(),
    )
    .map_err(refused)?;
    let band = code(
        &q.band,
        "band",
        "裁量档次",
        Band::from_code,
        &Band::ALL.iter().map(|b| b.label()).collect::<Vec<_>>(),
    )
    .map_err(refused)?;
    let on = match q.date.trim() {
        "" => state.clock().today(),
        v => date(v, "date", "日期").map_err(refused)?,
    };
    let p = cases::propose(state.store(), &user.caller(), provision, band, on).await?;
    Ok(Json(ProposalView {
        min: p.min,
        max: p.max,
        statute_min: p.statute.min,
        statute_max: p.statute.max,
        measures: p.measures,
        table: p.table.map(|(name, _)| name),
        source: p.statute.provenance.source,
        verified: p.statute.provenance.verified,
    }))
}
