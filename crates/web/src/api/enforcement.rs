//! Strict enforcement over the JSON API (issue #12): on-site inspections, correction orders with
//! the enterprise's answers and the unit's decisions, re-inspections, on-site measures and their
//! review — the same use cases as the pages ([`safeduty_app::enforcement`]), the same refusals.
//!
//! Who may do what is the use cases' to say: reading is for whoever's scope holds the
//! enterprise (an enterprise its own records; outside the scope 404); recording and deciding is
//! for officers of a unit that holds the power, on the records of their own unit (403
//! otherwise); answering an order is the enterprise's. Bad input is 422 with the field named
//! (`field`, or `fields` per check item); a state that does not allow the step or a stale
//! `version` is 409.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use safeduty_app::enforcement::dossiers::{self, InspectionDossier, OrderDossier};
use safeduty_app::enforcement::{inspections, measures, orders, photos};
use safeduty_core::enforcement::inspection::Notice;
use safeduty_core::enforcement::measures::MeasureKind;
use safeduty_core::enforcement::officers::GuestKind;
use safeduty_core::enforcement::order::{OrderStatus, is_overdue};
use safeduty_core::enforcement::violations::RecordedTexts;
use safeduty_store::enforcement::OfficerOnDuty;
use safeduty_store::enforcement::inspections::InspectionSummary;
use safeduty_store::enforcement::measures::Measures;
use safeduty_store::enforcement::orders::{Order, ReInspection};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, LaterJson};
use crate::guard::ApiUser;
use crate::input::enforcement::{
    self as input, InspectionRequest, MeasuresRequest, OrderRequest, ReInspectionRequest,
    ReviewRequest,
};
use crate::upload::ApiUpload;
use safeduty_core::policy::Action;

/// The API routes of enforcement.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::{get, post};
    crate::routes::Routes::new()
        .route("/officers", get(officers))
        .route(
            "/inspections",
            get(list_inspections).post(record_inspection),
        )
        .route("/inspections/{id}", get(get_inspection))
        .route("/inspections/{id}/order", post(issue_order))
        .route("/inspections/{id}/measures", post(decide_measures))
        .route("/inspections/{id}/measures/review", post(review_measures))
        .route("/orders", get(list_orders))
        .route("/orders/{id}", get(get_order))
        .route("/orders/{id}/completion", post(report_completion))
        .route("/orders/{id}/extension", post(request_extension))
        .route("/orders/{id}/extension/decision", post(decide_extension))
        .route("/orders/{id}/re-inspection", post(re_inspect))
        .route("/inspections/{id}/photos", get(inspection_photos))
        .upload(
            "/inspections/{id}/items/{item}/photos",
            post(add_item_photo),
            crate::routes::UploadLimit::Configured,
        )
        .route("/orders/{id}/photos", get(re_inspection_photos))
        .upload(
            "/orders/{id}/findings/{finding}/photos",
            post(add_finding_photo),
            crate::routes::UploadLimit::Configured,
        )
}

fn refused(r: safeduty_core::refusal::Refusal) -> ApiError {
    ApiError(AppError::Refused(r))
}

/// A label of a coded value, or the code itself when the code is unknown (never fails a read).
fn label_of<T: Copy>(
    code: &str,
    from_code: impl Fn(&str) -> Option<T>,
    label: fn(T) -> &'static str,
) -> String {
    from_code(code).map_or_else(|| code.to_string(), |v| label(v).to_string())
}

/// An officer of the caller's unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfficerView {
    /// Account id: name it in `officers` of an inspection or re-inspection.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Enforcement certificate number (执法证号), if recorded.
    pub certificate_number: Option<String>,
    /// First valid day of the certificate.
    pub valid_from: Option<NaiveDate>,
    /// Last valid day of the certificate.
    pub valid_until: Option<NaiveDate>,
    /// Whether the certificate is valid on the server's today: only such officers can inspect.
    pub certified_today: bool,
}

/// The officers of the caller's unit with their certificates (unit officers only: certificate
/// numbers are personal data). Disabled accounts are not listed.
#[utoipa::path(get, path = "/api/v1/officers",
    responses((status = 200, body = Vec<OfficerView>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn officers(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<OfficerView>>, ApiError> {
    let today = state.clock().today();
    let rows = dossiers::own_officers(state.store(), &user.caller()).await?;
    Ok(Json(
        rows.into_iter()
            .filter(|o| !o.disabled)
            .map(|o| OfficerView {
                id: o.user_id,
                name: o.name,
                certified_today: o
                    .certificate
                    .as_ref()
                    .is_some_and(|c| c.valid_from <= today && today <= c.valid_until),
                valid_from: o.certificate.as_ref().map(|c| c.valid_from),
                valid_until: o.certificate.as_ref().map(|c| c.valid_until),
                certificate_number: o.certificate.map(|c| c.number),
            })
            .collect(),
    ))
}

/// An inspection as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionSummaryView {
    /// Public id.
    pub id: String,
    /// Inspecting unit.
    pub unit: String,
    /// Enterprise name.
    pub enterprise_name: String,
    /// Enterprise USCC.
    pub enterprise_uscc: String,
    /// Year of the inspection's number.
    pub year: i32,
    /// Sequence of its number in the unit's year.
    pub seq: i64,
    /// Day inspected.
    pub date: NaiveDate,
    /// Announced or not.
    #[schema(value_type = crate::openapi::NoticeCode)]
    pub notice: String,
    /// Check items found 不符合.
    pub nonconform: i64,
    /// The correction order's status, if one was issued.
    #[schema(value_type = Option<crate::openapi::OrderStatusCode>)]
    pub order_status: Option<String>,
}

impl From<&InspectionSummary> for InspectionSummaryView {
    fn from(s: &InspectionSummary) -> Self {
        InspectionSummaryView {
            id: s.public_id.clone(),
            unit: s.unit_name.clone(),
            enterprise_name: s.enterprise_name.clone(),
            enterprise_uscc: s.enterprise_uscc.clone(),
            year: s.year,
            seq: s.seq,
            date: s.inspected_on,
            notice: s.notice.clone(),
            nonconform: s.nonconform,
            order_status: s.order_status.clone(),
        }
    }
}

/// An officer as named on a record, with the certificate number as on the day.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfficerOnDutyView {
    /// Account id.
    pub id: i64,
    /// Name as printed.
    pub name: String,
    /// Certificate number as printed.
    pub certificate_number: String,
}

pub(super) fn on_duty(officers: &[OfficerOnDuty]) -> Vec<OfficerOnDutyView> {
    officers
        .iter()
        .map(|o| OfficerOnDutyView {
            id: o.user_id,
            name: o.name.clone(),
            certificate_number: o.certificate_number.clone(),
        })
        .collect()
}

/// An accompanying guest.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuestView {
    /// Name.
    pub name: String,
    /// What kind of guest.
    #[schema(value_type = crate::openapi::GuestKindCode)]
    pub kind: String,
    /// The kind in words.
    pub kind_label: String,
    /// Organisation.
    pub organisation: String,
}

/// A check item's result.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemResultView {
    /// Check item number.
    pub item: u32,
    /// The answer.
    #[schema(value_type = crate::openapi::AnswerCode)]
    pub answer: String,
    /// Note.
    pub note: String,
    /// Suspected violations (violation library codes).
    pub violation_codes: Vec<String>,
    /// The finding a `non_conform` item opened (public id; see `/api/v1/findings`).
    pub finding: Option<String>,
}

/// On-site measures (现场处理措施决定书).
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasuresView {
    /// Public id.
    pub id: String,
    /// The inspection (public id).
    pub inspection: String,
    /// Which measure.
    #[schema(value_type = crate::openapi::MeasureKindCode)]
    pub kind: String,
    /// The kind in words.
    pub kind_label: String,
    /// Why.
    pub reason: String,
    /// What exactly.
    pub description: String,
    /// Day decided.
    pub decided_on: NaiveDate,
    /// First day in force.
    pub start: NaiveDate,
    /// Last day in force unless lifted.
    pub until: NaiveDate,
    /// Day lifted after review.
    pub lifted_on: Option<NaiveDate>,
    /// The review's opinion.
    pub review_note: String,
    /// In force on the server's today (computed, never stored).
    pub in_force: bool,
    /// Optimistic version: send it back with a review.
    pub version: i64,
}

impl MeasuresView {
    fn new(m: &Measures, today: NaiveDate) -> MeasuresView {
        MeasuresView {
            id: m.public_id.clone(),
            inspection: m.inspection_public_id.clone(),
            kind: m.kind.clone(),
            kind_label: label_of(&m.kind, MeasureKind::from_code, MeasureKind::label),
            reason: m.reason.clone(),
            description: m.description.clone(),
            decided_on: m.decided_on,
            start: m.starts_on,
            until: m.until_on,
            lifted_on: m.lifted_on,
            review_note: m.lift_note.clone(),
            in_force: m.starts_on <= today
                && today <= m.until_on
                && m.lifted_on.is_none_or(|l| today < l),
            version: m.version,
        }
    }
}

/// A correction order as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderSummaryView {
    /// Public id.
    pub id: String,
    /// The inspection it follows (public id).
    pub inspection: String,
    /// Day of the inspection.
    pub inspected_on: NaiveDate,
    /// Issuing unit.
    pub unit: String,
    /// Enterprise name.
    pub enterprise_name: String,
    /// Year of the inspection's number (the order carries it).
    pub year: i32,
    /// Sequence of the inspection's number.
    pub seq: i64,
    /// Day issued.
    pub issued_on: NaiveDate,
    /// Time limit (整改期限).
    pub due_on: NaiveDate,
    /// The limit was computed over a year without a loaded holiday arrangement.
    pub due_provisional: bool,
    /// The limit as working days after issue, when so given.
    pub working_days: Option<i64>,
    /// Where it stands.
    #[schema(value_type = crate::openapi::OrderStatusCode)]
    pub status: String,
    /// The status in words.
    pub status_label: String,
    /// Day the enterprise reported the correction complete.
    pub completion_reported_on: Option<NaiveDate>,
    /// Its note.
    pub completion_note: String,
    /// When the re-inspection is due.
    pub re_inspection_due_on: NaiveDate,
    /// Not re-inspected and due before the server's today (computed, never stored).
    pub re_inspection_overdue: bool,
    /// Optimistic version: send it back with every step.
    pub version: i64,
}

impl OrderSummaryView {
    fn new(o: &Order, today: NaiveDate) -> OrderSummaryView {
        let status = OrderStatus::from_code(&o.status);
        OrderSummaryView {
            id: o.public_id.clone(),
            inspection: o.inspection_public_id.clone(),
            inspected_on: o.inspected_on,
            unit: o.unit_name.clone(),
            enterprise_name: o.enterprise_name.clone(),
            year: o.year,
            seq: o.seq,
            issued_on: o.issued_on,
            due_on: o.due_on,
            due_provisional: o.due_provisional,
            working_days: o.working_days,
            status_label: status.map_or_else(|| o.status.clone(), |s| s.label().to_string()),
            status: o.status.clone(),
            completion_reported_on: o.completion_reported_on,
            completion_note: o.completion_note.clone(),
            re_inspection_due_on: o.re_inspection_due_on,
            re_inspection_overdue: status.is_some_and(OrderStatus::is_open)
                && is_overdue(o.re_inspection_due_on, today),
            version: o.version,
        }
    }
}

/// A finding an order covers.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderFindingView {
    /// Public id (see `/api/v1/findings`).
    pub id: String,
    /// Check item.
    pub item: Option<i64>,
    /// What is wrong.
    pub description: String,
    /// The finding's status in the ledger.
    #[schema(value_type = crate::openapi::FindingStatusCode)]
    pub status: String,
    /// Suspected violations noted on the inspection.
    pub violation_codes: Vec<String>,
}

/// An extension request and its decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtensionView {
    /// Day asked.
    pub requested_on: NaiveDate,
    /// The time limit asked for.
    pub requested_due: NaiveDate,
    /// Why.
    pub reason: String,
    /// Where it stands.
    #[schema(value_type = crate::openapi::ExtensionStatusCode)]
    pub status: String,
    /// Day decided.
    pub decided_on: Option<NaiveDate>,
    /// The decision's reason.
    pub decision_reason: String,
}

/// One finding's result on the re-inspection.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultView {
    /// The finding (public id).
    pub finding: String,
    /// Corrected or not.
    #[schema(value_type = crate::openapi::ReInspectionResultCode)]
    pub result: String,
    /// Note.
    pub note: String,
}

/// The re-inspection (整改复查意见书) of an order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReInspectionView {
    /// Public id.
    pub id: String,
    /// Day.
    pub date: NaiveDate,
    /// `corrected` (everything) or `not_corrected` (referred for a case).
    #[schema(value_type = crate::openapi::ReInspectionResultCode)]
    pub outcome: String,
    /// The opinion.
    pub opinion: String,
    /// The officers.
    pub officers: Vec<OfficerOnDutyView>,
    /// Per finding.
    pub results: Vec<ResultView>,
}

impl From<&ReInspection> for ReInspectionView {
    fn from(r: &ReInspection) -> Self {
        ReInspectionView {
            id: r.public_id.clone(),
            date: r.inspected_on,
            outcome: r.outcome.clone(),
            opinion: r.opinion.clone(),
            officers: on_duty(&r.officers),
            results: r
                .results
                .iter()
                .map(|(finding, result, note)| ResultView {
                    finding: finding.clone(),
                    result: result.clone(),
                    note: note.clone(),
                })
                .collect(),
        }
    }
}

/// A correction order (责令限期整改指令书) with its findings, extensions and re-inspection.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderView {
    /// The order as listed.
    #[serde(flatten)]
    pub order: OrderSummaryView,
    /// Its number, e.g. （示）应急责改〔2024〕3号.
    pub number: String,
    /// The findings it covers.
    pub findings: Vec<OrderFindingView>,
    /// Extension requests, oldest first.
    pub extensions: Vec<ExtensionView>,
    /// The re-inspection, once recorded.
    pub re_inspection: Option<ReInspectionView>,
}

impl OrderView {
    fn new(d: &OrderDossier, today: NaiveDate) -> OrderView {
        let o = &d.order;
        OrderView {
            order: OrderSummaryView::new(o, today),
            number: d.number.clone(),
            findings: o
                .findings
                .iter()
                .map(|f| OrderFindingView {
                    id: f.public_id.clone(),
                    item: f.item_number,
                    description: f.description.clone(),
                    status: f.status.clone(),
                    violation_codes: f.violation_codes.clone(),
                })
                .collect(),
            extensions: o
                .extensions
                .iter()
                .map(|e| ExtensionView {
                    requested_on: e.requested_on,
                    requested_due: e.requested_due_on,
                    reason: e.reason.clone(),
                    status: e.status.clone(),
                    decided_on: e.decided_on,
                    decision_reason: e.decision_reason.clone(),
                })
                .collect(),
            re_inspection: d.re_inspection.as_ref().map(ReInspectionView::from),
        }
    }
}

/// An on-site inspection record (现场检查记录) with what followed from it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionView {
    /// The inspection as listed.
    #[serde(flatten)]
    pub inspection: InspectionSummaryView,
    /// Its number, e.g. （示）应急检记〔2024〕3号.
    pub number: String,
    /// Enterprise address.
    pub enterprise_address: String,
    /// Start `HH:MM`.
    pub start_time: String,
    /// End `HH:MM`.
    pub end_time: String,
    /// Place.
    pub place: String,
    /// The enterprise's person present.
    pub person_present: String,
    /// Their position.
    pub person_present_role: String,
    /// `notice` in words.
    pub notice_label: String,
    /// The exception to the yearly cap, if the inspection went over it.
    #[schema(value_type = Option<crate::openapi::CapExceptionCode>)]
    pub exception: Option<String>,
    /// Its ground.
    pub exception_ground: String,
    /// 检查情况.
    pub summary: String,
    /// The inspecting officers.
    pub officers: Vec<OfficerOnDutyView>,
    /// Accompanying guests.
    pub guests: Vec<GuestView>,
    /// Item results by number.
    pub items: Vec<ItemResultView>,
    /// The text of each suspected violation the items name, as the violation library had it
    /// when the inspection was recorded (a later edit of the library changes nothing here).
    pub violations: Vec<super::violations::RecordedViolationView>,
    /// The correction order issued on it.
    pub order: Option<OrderSummaryView>,
    /// The on-site measures decided after it.
    pub measures: Option<MeasuresView>,
}

impl InspectionView {
    fn new(d: &InspectionDossier, today: NaiveDate) -> InspectionView {
        let i = &d.inspection;
        InspectionView {
            inspection: InspectionSummaryView::from(&i.summary),
            number: d.number.clone(),
            enterprise_address: i.enterprise_address.clone(),
            start_time: i.start_time.clone(),
            end_time: i.end_time.clone(),
            place: i.place.clone(),
            person_present: i.person_present.clone(),
            person_present_role: i.person_present_title.clone(),
            notice_label: label_of(&i.summary.notice, Notice::from_code, Notice::label),
            exception: i.cap_exception.as_ref().map(|(k, _)| k.clone()),
            exception_ground: i
                .cap_exception
                .as_ref()
                .map(|(_, g)| g.clone())
                .unwrap_or_default(),
            summary: i.summary_text.clone(),
            officers: on_duty(&i.officers),
            guests: i
                .guests
                .iter()
                .map(|g| GuestView {
                    name: g.name.clone(),
                    kind_label: label_of(&g.kind, GuestKind::from_code, GuestKind::label),
                    kind: g.kind.clone(),
                    organisation: g.organisation.clone(),
                })
                .collect(),
            items: i
                .items
                .iter()
                .map(|it| ItemResultView {
                    item: it.item_number,
                    answer: it.answer.clone(),
                    note: it.note.clone(),
                    violation_codes: it.violation_codes.clone(),
                    finding: it.finding_public_id.clone(),
                })
                .collect(),
            violations: {
                let texts = RecordedTexts::new(i.violations.clone());
                let mut codes: Vec<&String> =
                    i.items.iter().flat_map(|it| &it.violation_codes).collect();
                codes.sort();
                codes.dedup();
                codes
                    .into_iter()
                    .filter_map(|c| texts.get(c))
                    .map(Into::into)
                    .collect()
            },
            order: d.order.as_ref().map(|o| OrderSummaryView::new(o, today)),
            measures: d.measures.as_ref().map(|m| MeasuresView::new(m, today)),
        }
    }
}

async fn inspection_view(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<InspectionView, ApiError> {
    let d = dossiers::inspection(state.store(), &user.caller(), id).await?;
    Ok(InspectionView::new(&d, state.clock().today()))
}

async fn order_view(state: &AppState, user: &CurrentUser, id: &str) -> Result<OrderView, ApiError> {
    let d = dossiers::order(state.store(), &user.caller(), id).await?;
    Ok(OrderView::new(&d, state.clock().today()))
}

/// The inspections list's query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct InspectionsQuery {
    /// Only those of this day, `YYYY-MM-DD`.
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    on: String,
}

/// Inspections in the caller's scope, newest first: an officer's own unit's, an enterprise its
/// own, the committee office and assessors every unit's in their region.
#[utoipa::path(get, path = "/api/v1/inspections",
    params(InspectionsQuery),
    responses((status = 200, body = Vec<InspectionSummaryView>), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn list_inspections(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<InspectionsQuery>,
) -> Result<Json<Vec<InspectionSummaryView>>, ApiError> {
    let on = match q.on.trim() {
        "" => None,
        v => Some(input::date(v, "on", "检查日期").map_err(refused)?),
    };
    let rows = inspections::list(state.store(), &user.caller(), on).await?;
    Ok(Json(rows.iter().map(InspectionSummaryView::from).collect()))
}

/// Record an on-site inspection (unit officers whose unit holds the power to inspect; send
/// `X-CSRF-Token`). Every `non_conform` item opens a finding in the findings ledger (source
/// `enforcement`). 422 naming the field for: fewer than two officers, an officer without a
/// certificate valid on the day, a guest listed as an officer, a date after today, an item
/// missing or unanswered (`fields`), an inspection over the yearly cap without an exception;
/// 404 for an enterprise outside the scope; 403 for a role or unit that may not inspect.
#[utoipa::path(post, path = "/api/v1/inspections", request_body = InspectionRequest,
    responses((status = 201, body = InspectionView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_inspection(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(req): ApiJson<InspectionRequest>,
) -> Result<(StatusCode, Json<InspectionView>), ApiError> {
    let form = req.form().map_err(refused)?;
    let token = input::token(req.token.as_deref(), user.user.id).map_err(refused)?;
    let recorded = inspections::record(
        state.store(),
        &user.caller(),
        req.enterprise_id.trim(),
        &form,
        token,
        state.clock().today(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(inspection_view(&state, &user, &recorded.public_id).await?),
    ))
}

/// An inspection with its items, officers, guests, order and measures (an enterprise its own).
#[utoipa::path(get, path = "/api/v1/inspections/{id}",
    params(("id" = String, Path, description = "inspection public id")),
    responses((status = 200, body = InspectionView), (status = 404, body = ErrorBody)))]
async fn get_inspection(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<InspectionView>, ApiError> {
    Ok(Json(inspection_view(&state, &user, &id).await?))
}

/// Issue the correction order of an inspection (officers of the inspecting unit, which must
/// hold the power to order correction), covering findings the inspection opened, with a time
/// limit in working days (computed on the working-day calendar) or as a date. 422 on
/// `findings` or `due_on` (a limit already past, none given); 409 when the inspection already
/// has its order.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/order", request_body = OrderRequest,
    params(("id" = String, Path, description = "inspection public id")),
    responses((status = 201, body = OrderView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn issue_order(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<OrderRequest>,
) -> Result<(StatusCode, Json<OrderView>), ApiError> {
    // Scope first, then validation (issue #16 point 4).
    inspections::inspection_for(state.store(), &user.caller(), &id, Action::ReadEnforcement)
        .await?;
    let req = body.take()?;
    let limit = req.limit().map_err(refused)?;
    let order = orders::issue(
        state.store(),
        &user.caller(),
        &id,
        &req.findings,
        limit,
        state.clock().today(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(order_view(&state, &user, &order).await?),
    ))
}

/// Decide on-site measures after an inspection (officers of the inspecting unit holding the
/// power). 422 on `kind`, `start`, `until` (longer than the rule in force allows), `reason`,
/// `description`; 409 when the inspection already has a decision.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/measures", request_body = MeasuresRequest,
    params(("id" = String, Path, description = "inspection public id")),
    responses((status = 201, body = MeasuresView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn decide_measures(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<MeasuresRequest>,
) -> Result<(StatusCode, Json<MeasuresView>), ApiError> {
    // Scope first, then validation (issue #16 point 4).
    inspections::inspection_for(state.store(), &user.caller(), &id, Action::ReadEnforcement)
        .await?;
    let req = body.take()?;
    let m = req.measure().map_err(refused)?;
    let today = state.clock().today();
    measures::decide(state.store(), &user.caller(), &id, &m, today).await?;
    measures_view(&state, &user, &id)
        .await
        .map(|v| (StatusCode::CREATED, Json(v)))
}

async fn measures_view(
    state: &AppState,
    user: &CurrentUser,
    inspection: &str,
) -> Result<MeasuresView, ApiError> {
    let m = measures::of_inspection(state.store(), &user.caller(), inspection)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(MeasuresView::new(&m, state.clock().today()))
}

/// Review the on-site measures of an inspection: lifted, or kept with the opinion (officers of
/// the inspecting unit). 404 without measures; 409 for a stale `version` or measures already
/// lifted; 422 on `date` or `note`.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/measures/review", request_body = ReviewRequest,
    params(("id" = String, Path, description = "inspection public id")),
    responses((status = 200, body = MeasuresView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn review_measures(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<ReviewRequest>,
) -> Result<Json<MeasuresView>, ApiError> {
    // Scope first, then validation (issue #16 point 4).
    inspections::inspection_for(state.store(), &user.caller(), &id, Action::ReadEnforcement)
        .await?;
    let req = body.take()?;
    let review = req.review().map_err(refused)?;
    measures::review(
        state.store(),
        &user.caller(),
        &id,
        req.version,
        &review,
        state.clock().today(),
    )
    .await?;
    Ok(Json(measures_view(&state, &user, &id).await?))
}

/// The orders list's query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct OrdersQuery {
    /// `yes`: only those whose re-inspection is overdue on the server's today.
    #[serde(default)]
    #[param(value_type = Option<crate::openapi::YesNoCode>)]
    overdue: String,
}

/// Correction orders in the caller's scope (an officer's unit's, an enterprise its own), by
/// re-inspection due date; `overdue=yes`: only those whose re-inspection is overdue today.
#[utoipa::path(get, path = "/api/v1/orders",
    params(OrdersQuery),
    responses((status = 200, body = Vec<OrderSummaryView>), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn list_orders(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<OrdersQuery>,
) -> Result<Json<Vec<OrderSummaryView>>, ApiError> {
    let today = state.clock().today();
    let overdue = match q.overdue.as_str() {
        "" => None,
        v => match crate::input::yes_no(v) {
            Some(yes) => yes.then_some(today),
            None => {
                return Err(AppError::BadRequest("筛选条件“逾期”的值应为 yes 或 no".into()).into());
            }
        },
    };
    let rows = orders::list(state.store(), &user.caller(), overdue).await?;
    Ok(Json(
        rows.iter()
            .map(|o| OrderSummaryView::new(o, today))
            .collect(),
    ))
}

/// A correction order with its findings, extension requests and re-inspection (an enterprise
/// its own).
#[utoipa::path(get, path = "/api/v1/orders/{id}",
    params(("id" = String, Path, description = "order public id")),
    responses((status = 200, body = OrderView), (status = 404, body = ErrorBody)))]
async fn get_order(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<OrderView>, ApiError> {
    Ok(Json(order_view(&state, &user, &id).await?))
}

/// The enterprise's report that the correction is complete.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CompletionRequest {
    /// The order's `version` the client loaded: a change made since is answered 409.
    pub version: i64,
    /// What was done (整改情况说明), may be blank.
    #[serde(default)]
    pub note: String,
}

/// Report the correction complete (the enterprise, on its own order); the re-inspection falls
/// due by the rule in force. 409 when already reported or re-inspected, or for a stale version.
#[utoipa::path(post, path = "/api/v1/orders/{id}/completion", request_body = CompletionRequest,
    params(("id" = String, Path, description = "order public id")),
    responses((status = 200, body = OrderView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn report_completion(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<CompletionRequest>,
) -> Result<Json<OrderView>, ApiError> {
    // Scope first, then validation (issue #16 point 4).
    orders::order_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let req = body.take()?;
    orders::report_completion(
        state.store(),
        &user.caller(),
        &id,
        req.version,
        &req.note,
        state.clock().today(),
    )
    .await?;
    Ok(Json(order_view(&state, &user, &id).await?))
}

/// The enterprise's request for more time.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExtensionRequest {
    /// The order's `version` the client loaded.
    pub version: i64,
    /// The time limit asked for, `YYYY-MM-DD`, after the current one.
    #[serde(default)]
    #[schema(format = Date)]
    pub requested_due: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// Ask for a later time limit (the enterprise, on its own order). 422 on `requested_due` (not
/// after the current limit) or `reason`; 409 while another request waits, once re-inspected, or
/// for a stale version.
#[utoipa::path(post, path = "/api/v1/orders/{id}/extension", request_body = ExtensionRequest,
    params(("id" = String, Path, description = "order public id")),
    responses((status = 200, body = OrderView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn request_extension(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<ExtensionRequest>,
) -> Result<Json<OrderView>, ApiError> {
    // Scope first, then validation (issue #16 point 4).
    orders::order_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let req = body.take()?;
    let due = input::date(&req.requested_due, "requested_due", "申请延期后的整改期限")
        .map_err(refused)?;
    orders::request_extension(
        state.store(),
        &user.caller(),
        &id,
        req.version,
        due,
        &req.reason,
        state.clock().today(),
    )
    .await?;
    Ok(Json(order_view(&state, &user, &id).await?))
}

/// The issuing unit's decision on the pending extension request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionRequest {
    /// The order's `version` the client loaded.
    pub version: i64,
    /// `approve` (the requested date becomes the limit) or `refuse`.
    #[serde(default)]
    #[schema(value_type = crate::openapi::DecisionCode)]
    pub decision: String,
    /// The reason; required when refusing.
    #[serde(default)]
    pub reason: String,
}

/// Approve or refuse the pending extension request (officers of the issuing unit). 409 without
/// a pending request or for a stale version; 422 on `decision` or `reason`.
#[utoipa::path(post, path = "/api/v1/orders/{id}/extension/decision", request_body = DecisionRequest,
    params(("id" = String, Path, description = "order public id")),
    responses((status = 200, body = OrderView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn decide_extension(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<DecisionRequest>,
) -> Result<Json<OrderView>, ApiError> {
    // Scope first, then validation (issue #16 point 4).
    orders::order_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let req = body.take()?;
    let approve = input::code(
        &req.decision,
        "decision",
        "审批结论",
        crate::input::decision,
        &crate::input::DECISIONS,
    )
    .map_err(refused)?;
    orders::decide_extension(
        state.store(),
        &user.caller(),
        &id,
        req.version,
        approve,
        &req.reason,
        state.clock().today(),
    )
    .await?;
    Ok(Json(order_view(&state, &user, &id).await?))
}

/// Record the re-inspection of an order (officers of the issuing unit, two certified): the
/// findings found corrected are closed, the rest referred for a case. 422 on `date` (before the
/// order, after today), `officers`, `results` (one per finding of the order), `opinion`; 409
/// once re-inspected or for a stale version.
#[utoipa::path(post, path = "/api/v1/orders/{id}/re-inspection", request_body = ReInspectionRequest,
    params(("id" = String, Path, description = "order public id")),
    responses((status = 201, body = OrderView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn re_inspect(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: LaterJson<ReInspectionRequest>,
) -> Result<(StatusCode, Json<OrderView>), ApiError> {
    // Scope first, then validation (issue #16 point 4).
    orders::order_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let req = body.take()?;
    let form = req.form().map_err(refused)?;
    orders::re_inspect(
        state.store(),
        &user.caller(),
        &id,
        req.version,
        &form,
        state.clock().today(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(order_view(&state, &user, &id).await?),
    ))
}

/// A photo of an inspection's check item or of a finding's re-inspection result.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoView {
    /// Attachment public id: download it at `/attachments/{id}`, its thumbnail (a small JPEG) at
    /// `/attachments/{id}/thumbnail`.
    pub id: String,
    /// The check item number (an inspection's photo).
    pub item: Option<u32>,
    /// The finding's public id (a re-inspection's photo).
    pub finding: Option<String>,
    /// File name, as uploaded.
    pub name: String,
    /// Content type (decided by the content).
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
    /// Whether a thumbnail was made.
    pub thumbnail: bool,
    /// Uploader's name.
    pub uploaded_by: String,
    /// When (UTC, RFC 3339).
    pub uploaded_at: String,
}

impl PhotoView {
    fn new(
        a: &safeduty_store::attachments::Attachment,
        item: Option<u32>,
        finding: Option<String>,
    ) -> PhotoView {
        PhotoView {
            id: a.public_id.clone(),
            item,
            finding,
            name: a.name.clone(),
            content_type: a.content_type.clone(),
            size: a.size,
            sha256: a.sha256.clone(),
            thumbnail: a.thumbnail_sha256.is_some(),
            uploaded_by: a.uploaded_by_name.clone(),
            uploaded_at: a.uploaded_at.clone(),
        }
    }
}

/// The photos of an inspection's check items, by item then upload. Visible to the inspecting
/// unit's officers, the committee office, assessors and the enterprise inspected; another
/// unit's officer gets an empty list (and 403 on a download).
#[utoipa::path(get, path = "/api/v1/inspections/{id}/photos",
    params(("id" = String, Path, description = "inspection public id")),
    responses((status = 200, body = Vec<PhotoView>), (status = 404, body = ErrorBody)))]
async fn inspection_photos(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<PhotoView>>, ApiError> {
    let by_item = photos::of_inspection(state.store(), &user.caller(), &id).await?;
    Ok(Json(
        by_item
            .iter()
            .flat_map(|(item, files)| files.iter().map(|a| PhotoView::new(a, Some(*item), None)))
            .collect(),
    ))
}

/// Add a photo to a check item of an inspection (officers of the inspecting unit; send
/// `X-CSRF-Token`; multipart with one `file`, a JPG, PNG, GIF or WebP picture under the upload
/// limit). 422 naming `file` for a file that is not a picture or none; 413 when too large;
/// 404 for an item the inspection lacks or one outside the scope; 403 for another unit.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/items/{item}/photos",
    request_body(content = crate::openapi::PhotoUpload, content_type = "multipart/form-data"),
    params(("id" = String, Path, description = "inspection public id"),
        ("item" = u32, Path, description = "check item number")),
    responses((status = 201, body = PhotoView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn add_item_photo(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, item)): Path<(String, String)>,
    ApiUpload(form): ApiUpload,
) -> Result<(StatusCode, Json<PhotoView>), ApiError> {
    let to = photos::item_target(state.store(), &user.caller(), &id, &item).await?;
    let a = crate::upload::add_photo(&state, &user, &to, form).await?;
    let item = item.parse().ok();
    Ok((StatusCode::CREATED, Json(PhotoView::new(&a, item, None))))
}

/// The photos of the findings' results in an order's re-inspection, by finding then upload
/// (empty before the re-inspection). Visible as an inspection's photos.
#[utoipa::path(get, path = "/api/v1/orders/{id}/photos",
    params(("id" = String, Path, description = "correction order public id")),
    responses((status = 200, body = Vec<PhotoView>), (status = 404, body = ErrorBody)))]
async fn re_inspection_photos(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<PhotoView>>, ApiError> {
    let by_finding = photos::of_re_inspection(state.store(), &user.caller(), &id).await?;
    Ok(Json(
        by_finding
            .iter()
            .flat_map(|(f, files)| {
                files
                    .iter()
                    .map(|a| PhotoView::new(a, None, Some(f.clone())))
            })
            .collect(),
    ))
}

/// Add a photo to a finding's result in the order's re-inspection (officers of the issuing
/// unit, once the re-inspection is recorded; multipart as for an item's photo). 409 before the
/// re-inspection; 404 for a finding it did not judge; 422, 413 and 403 as for an item's photo.
#[utoipa::path(post, path = "/api/v1/orders/{id}/findings/{finding}/photos",
    request_body(content = crate::openapi::PhotoUpload, content_type = "multipart/form-data"),
    params(("id" = String, Path, description = "correction order public id"),
        ("finding" = String, Path, description = "finding public id")),
    responses((status = 201, body = PhotoView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_finding_photo(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, finding)): Path<(String, String)>,
    ApiUpload(form): ApiUpload,
) -> Result<(StatusCode, Json<PhotoView>), ApiError> {
    let to = photos::finding_target(state.store(), &user.caller(), &id, &finding).await?;
    let a = crate::upload::add_photo(&state, &user, &to, form).await?;
    Ok((
        StatusCode::CREATED,
        Json(PhotoView::new(&a, None, Some(finding))),
    ))
}
