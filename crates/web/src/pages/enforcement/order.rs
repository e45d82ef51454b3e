//! `GET /enforcement/orders/{id}`: a correction order (责令限期整改指令书) with its findings,
//! time limit and extensions; the enterprise reports completion or asks for more time; the
//! issuing unit decides an extension and re-inspects (整改复查), which closes the corrected
//! findings and refers the rest for a case.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::enforcement::authority;
use safeduty_app::enforcement::orders::{self, OrderView, ReInspectionForm};
use safeduty_core::enforcement::numbering::DocumentKind;
use safeduty_core::enforcement::order::{ExtensionStatus, OrderStatus};
use safeduty_core::enforcement::reinspection::ReInspectionResult;
use safeduty_core::enforcement::violations::RecordedTexts;
use safeduty_core::finding::lifecycle::Status;
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_store::enforcement::OfficerOnDuty;
use safeduty_store::enforcement::orders::{Extension, Referral};

use super::super::{Chrome, render};
use super::{
    Notice, OfficerChoice, OrderRow, date_of, field, officer_ids, refusal_to_show, version_of,
};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;
use crate::pages::evidence::FileView;
use crate::upload::UploadForm;

/// A finding of the order as shown, with its re-inspection result once recorded.
struct FindingLine {
    public_id: String,
    item_number: Option<i64>,
    description: String,
    status: &'static str,
    violations: Vec<String>,
    /// The re-inspection's result and note.
    result: Option<(&'static str, bool, String)>,
    /// The re-inspection's photos of it.
    photos: Vec<FileView>,
}

/// The re-inspection as shown.
struct ReLine {
    date: NaiveDate,
    outcome: &'static str,
    corrected: bool,
    opinion: String,
    officers: Vec<OfficerOnDuty>,
    number: String,
}

#[derive(Template)]
#[template(path = "enforcement_order.html")]
struct OrderPage {
    chrome: Option<Chrome>,
    csrf: String,
    row: OrderRow,
    version: i64,
    record_number: String,
    working_days: Option<i64>,
    completion: Option<(NaiveDate, String)>,
    findings: Vec<FindingLine>,
    extensions: Vec<(Extension, &'static str)>,
    pending: bool,
    re: Option<ReLine>,
    referral: Option<Referral>,
    may_enforce: bool,
    may_respond: bool,
    reported: bool,
    officers: Vec<OfficerChoice>,
    today: NaiveDate,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
}

impl OrderPage {
    /// The value typed in the field `name` when the form `form` is shown again after a
    /// refusal, else `default`.
    fn v(&self, form: &str, name: &str, default: &str) -> String {
        self.notice_on(form)
            .and_then(|_| self.typed.get(name).cloned())
            .unwrap_or_else(|| default.to_string())
    }

    /// The re-inspection result typed for the finding `id`.
    fn result_of(&self, id: &str) -> String {
        self.v("re_inspection", &format!("result_{id}"), "")
    }

    /// The re-inspection note typed for the finding `id`.
    fn note_of(&self, id: &str) -> String {
        self.v("re_inspection", &format!("note_{id}"), "")
    }

    /// The message of a refusal on the form `form`.
    fn notice_on(&self, form: &str) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|n| n.form == form)
            .map(|n| n.message.as_str())
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
) -> Result<Response, AppError> {
    let caller = user.caller();
    let OrderView {
        order: o,
        settings,
        re_inspection,
        referral,
        may_enforce,
        may_respond,
    } = orders::view(state.store(), &caller, id).await?;
    let today = state.clock().today();
    let calendar = state.calendar().await?;
    let number_of = |k| authority::number(&settings, k, o.year, o.seq);
    let library = RecordedTexts::new(o.violations.clone());
    let mut photos_by_finding = if safeduty_app::enforcement::photos::may_see(&caller, o.unit_id) {
        safeduty_app::enforcement::photos::of_re_inspection(state.store(), &caller, id).await?
    } else {
        BTreeMap::new()
    };
    let findings = o
        .findings
        .iter()
        .map(|f| FindingLine {
            public_id: f.public_id.clone(),
            item_number: f.item_number,
            description: f.description.clone(),
            status: Status::from_code(&f.status).map_or("—", Status::label),
            violations: f
                .violation_codes
                .iter()
                .map(|c| library.get(c).map_or_else(|| c.clone(), |v| v.behaviour))
                .collect(),
            result: re_inspection.as_ref().and_then(|r| {
                r.results
                    .iter()
                    .find(|(fid, _, _)| *fid == f.public_id)
                    .map(|(_, result, note)| {
                        let result = ReInspectionResult::from_code(result);
                        (
                            result.map_or("—", ReInspectionResult::label),
                            result == Some(ReInspectionResult::Corrected),
                            note.clone(),
                        )
                    })
            }),
            photos: photos_by_finding
                .remove(&f.public_id)
                .unwrap_or_default()
                .iter()
                .map(|a| FileView::new(a, state.clock()))
                .collect(),
        })
        .collect();
    let officers = if may_enforce {
        let rows = safeduty_app::enforcement::authority::officers(state.store(), &caller).await?;
        let on = typed
            .get("date")
            .and_then(|d| d.parse().ok())
            .unwrap_or(today);
        let ticked: Vec<i64> = typed
            .keys()
            .filter_map(|k| k.strip_prefix("officer:"))
            .filter_map(|v| v.parse().ok())
            .collect();
        OfficerChoice::list(&rows, on, &ticked)
    } else {
        Vec::new()
    };
    let page = OrderPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        row: OrderRow::new(
            &o,
            number_of(DocumentKind::CorrectionOrder),
            today,
            &calendar,
        ),
        version: o.version,
        record_number: number_of(DocumentKind::InspectionRecord),
        working_days: o.working_days,
        completion: o
            .completion_reported_on
            .map(|d| (d, o.completion_note.clone())),
        findings,
        pending: o
            .extensions
            .iter()
            .any(|e| e.status == ExtensionStatus::Requested.code()),
        extensions: o
            .extensions
            .iter()
            .map(|e| {
                (
                    e.clone(),
                    ExtensionStatus::from_code(&e.status).map_or("—", ExtensionStatus::label),
                )
            })
            .collect(),
        re: re_inspection.map(|r| {
            let outcome = ReInspectionResult::from_code(&r.outcome);
            ReLine {
                date: r.inspected_on,
                outcome: outcome.map_or("—", ReInspectionResult::label),
                corrected: outcome == Some(ReInspectionResult::Corrected),
                opinion: r.opinion,
                officers: r.officers,
                number: number_of(DocumentKind::ReInspection),
            }
        }),
        referral,
        may_enforce,
        may_respond,
        reported: OrderStatus::from_code(&o.status) != Some(OrderStatus::Issued),
        officers,
        today,
        notice,
        typed,
    };
    let status = if page.notice.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)).into_response())
}

pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    Ok(page(&state, &user, &id, None, BTreeMap::new()).await?)
}

/// Answers a write on the order page: back to it after success; the page again with the
/// message beside `form` and the values typed after a refusal the user can act on.
async fn after(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    result: Result<(), safeduty_app::Error>,
    form: &'static str,
    typed: &[(String, String)],
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/enforcement/orders/{id}")).into_response()),
        Err(e) => {
            let (status, notice) = refusal_to_show(e, form)?;
            let typed = super::typed(typed, "officer");
            let mut res = page(state, user, id, Some(notice), typed).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

/// A form's value that cannot be read, refused after the policy was asked with `action` (only
/// whoever may act hears about the form).
async fn unreadable(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    action: Action,
    message: String,
    on: &'static str,
) -> safeduty_app::Error {
    match orders::order_for(state.store(), &user.caller(), id, action).await {
        Ok(_) => Refusal::invalid(message).on(on).into(),
        Err(e) => e,
    }
}

/// `POST /enforcement/orders/{id}/completion`: the enterprise reports the correction complete.
pub(super) async fn completion(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    orders::order_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let version = version_of(&form)?;
    let result = orders::report_completion(
        state.store(),
        &user.caller(),
        &id,
        version,
        field(&form, "note"),
        state.clock().today(),
    )
    .await;
    after(&state, &user, &id, result, "completion", &form).await
}

/// `POST /enforcement/orders/{id}/extension`: the enterprise asks for more time.
pub(super) async fn extension(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    orders::order_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let version = version_of(&form)?;
    let result = match date_of(field(&form, "requested_due"), "申请延期至") {
        Ok(Some(d)) => {
            orders::request_extension(
                state.store(),
                &user.caller(),
                &id,
                version,
                d,
                field(&form, "reason"),
                state.clock().today(),
            )
            .await
        }
        Ok(None) => Err(unreadable(
            &state,
            &user,
            &id,
            Action::RespondToOrder,
            "请填写申请延期后的整改期限".into(),
            "requested_due",
        )
        .await),
        Err(m) => Err(unreadable(
            &state,
            &user,
            &id,
            Action::RespondToOrder,
            m,
            "requested_due",
        )
        .await),
    };
    after(&state, &user, &id, result, "extension", &form).await
}

/// `POST /enforcement/orders/{id}/extension/decision`: the issuing unit approves or refuses.
pub(super) async fn decision(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    orders::order_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let version = version_of(&form)?;
    let approve = crate::input::decision(field(&form, "decision"))
        .ok_or_else(|| AppError::BadRequest("未知的审批结论".into()))?;
    let result = orders::decide_extension(
        state.store(),
        &user.caller(),
        &id,
        version,
        approve,
        field(&form, "reason"),
        state.clock().today(),
    )
    .await;
    after(&state, &user, &id, result, "decision", &form).await
}

/// `POST /enforcement/orders/{id}/re-inspection`: the issuing unit's re-inspection.
pub(super) async fn re_inspect(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    orders::order_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let version = version_of(&form)?;
    let officer_ids = officer_ids(&form)?;
    let mut results = Vec::new();
    let mut bad = None;
    for (k, v) in &form {
        let Some(finding) = k.strip_prefix("result_") else {
            continue;
        };
        match ReInspectionResult::from_code(v) {
            Some(r) => results.push((
                finding.to_string(),
                r,
                field(&form, &format!("note_{finding}")).to_string(),
            )),
            None if v.is_empty() => {}
            None => bad = Some("复查结果无效".to_string()),
        }
    }
    let date = date_of(field(&form, "date"), "复查日期")
        .and_then(|d| d.ok_or_else(|| "请填写复查日期".into()));
    let result = match (date, bad) {
        (Ok(date), None) => orders::re_inspect(
            state.store(),
            &user.caller(),
            &id,
            version,
            &ReInspectionForm {
                date,
                officer_ids,
                results,
                opinion: field(&form, "opinion").to_string(),
            },
            state.clock().today(),
        )
        .await
        .map(|_| ()),
        (Err(m), _) | (_, Some(m)) => {
            Err(unreadable(&state, &user, &id, Action::Enforce, m, "date").await)
        }
    };
    after(&state, &user, &id, result, "re_inspection", &form).await
}

/// `POST /enforcement/orders/{id}/findings/{finding}/photos` (multipart: `csrf`, `file`): adds
/// a photo to a finding's re-inspection result (officers of the issuing unit, once the
/// re-inspection is recorded). Refused, nothing stored, for another unit, a finding the
/// re-inspection did not judge, a file that is not a picture or too large.
pub(super) async fn add_photo(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, finding)): Path<(String, String)>,
    form: UploadForm,
) -> Result<Response, PageError> {
    let to = safeduty_app::enforcement::photos::finding_target(
        state.store(),
        &user.caller(),
        &id,
        &finding,
    )
    .await?;
    crate::upload::add_photo(&state, &user, &to, form).await?;
    Ok(Redirect::to(&to.page).into_response())
}
