//! Reporting status: every unit's reports for the committee office, its own for a unit officer,
//! who submits a report here with its document (.docx or PDF); one unit's report with the text of
//! its documents, which the committee office may return with a reason (issue #15 point 1).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::reports::{ReportFile, ReportRecord};
use safeduty_core::policy::Action;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::download::{Audit, Download};
use crate::error::{AppError, PageError};
use crate::extract::LaterForm;
use crate::guard::PageUser;
use crate::upload::UploadForm;
use crate::views::ReportsView;

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    chrome: Option<Chrome>,
    csrf: String,
    campaign_name: String,
    today: NaiveDate,
    can_submit: bool,
    /// The upload limit, said before a file is chosen (MiB).
    max_upload_mib: usize,
    notice: Option<String>,
    v: ReportsView,
}

pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(page(&state, &user, None).await?)
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let status = safeduty_app::reports::status(state.store(), &user.caller()).await?;
    let today = state.clock().today();
    let calendar = state.calendar().await?;
    Ok(render(&ReportsPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        campaign_name: status.campaign.name.clone(),
        today,
        can_submit: safeduty_core::policy::authorize(
            &user.user.actor(),
            Action::SubmitReport,
            None,
        )
        .is_ok(),
        max_upload_mib: state.config().max_upload_bytes / 1024 / 1024,
        notice,
        v: ReportsView::new(&status, today, &calendar),
    })
    .into_response())
}

/// `POST /reports/{key}` (multipart: `csrf`, `file`, `note`): the caller's unit submits the
/// report with its document. A refusal (no file, not a .docx or PDF, no text, too early) is said
/// on the reports page.
pub(super) async fn submit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(key): Path<String>,
    form: Result<UploadForm, PageError>,
) -> Result<Response, PageError> {
    let calendar = state.calendar().await?;
    let caller = user.caller();
    let outcome = match safeduty_app::reports::open_report(
        state.store(),
        &caller,
        &calendar,
        state.clock().today(),
        &key,
    )
    .await
    {
        Ok(open) => match form {
            Ok(form) => {
                let stored = match &form.file {
                    Some(file) => Some(file.store(&state).await?),
                    None => None,
                };
                let file = form
                    .file
                    .as_ref()
                    .zip(stored.as_ref())
                    .map(|(f, stored)| ReportFile {
                        bytes: &f.bytes,
                        stored,
                    });
                safeduty_app::reports::submit(
                    state.store(),
                    &caller,
                    &open,
                    form.field("note").unwrap_or(""),
                    file,
                )
                .await
                .map_err(AppError::from)
            }
            Err(PageError(e)) => Err(e),
        },
        Err(e) => Err(AppError::from(e)),
    };
    match outcome {
        // A second click finds it submitted: the page as it is.
        Ok(()) => Ok(Redirect::to("/reports").into_response()),
        Err(e @ (AppError::Refused(_) | AppError::BadRequest(_) | AppError::Malformed { .. })) => {
            let (status, _, message) = e.parts();
            let mut res = page(&state, &user, Some(message)).await?;
            *res.status_mut() = status;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    chrome: Option<Chrome>,
    csrf: String,
    r: ReportRecord,
    notice: Option<String>,
    reason: String,
}

async fn report_page(
    state: &AppState,
    user: &CurrentUser,
    (unit, key): (i64, &str),
    notice: Option<(StatusCode, String)>,
    reason: String,
) -> Result<Response, AppError> {
    let calendar = state.calendar().await?;
    let r =
        safeduty_app::reports::record(state.store(), &user.caller(), &calendar, unit, key).await?;
    let (status, notice) = match notice {
        Some((s, m)) => (s, Some(m)),
        None => (StatusCode::OK, None),
    };
    let body = render(&ReportPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        r,
        notice,
        reason,
    });
    Ok((status, body).into_response())
}

/// `GET /reports/{unit}/{key}`: one unit's report with its documents and the text of each.
pub(super) async fn show_one(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((unit, key)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let unit = unit.parse::<i64>().map_err(|_| AppError::NotFound)?;
    Ok(report_page(&state, &user, (unit, &key), None, String::new()).await?)
}

/// `GET /reports/{unit}/{key}/documents/{id}`: the document as submitted, a download.
pub(super) async fn download(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((unit, key, id)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let unit = unit.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let calendar = state.calendar().await?;
    let d =
        safeduty_app::reports::document(state.store(), &user.caller(), &calendar, unit, &key, &id)
            .await?;
    let bytes = state.blobs()?.get(&d.sha256).await?;
    let content_type = match d.kind.as_str() {
        "pdf" => "application/pdf",
        _ => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    };
    Ok(Download::new(bytes, content_type, &d.file_name)
        .send(
            &state,
            &user,
            Audit::Record {
                event: safeduty_store::audit::Event::FileDownloaded,
                target_kind: safeduty_store::audit::Object::Report.into(),
                target_id: d.public_id.clone(),
                detail: serde_json::json!({"report": key, "unit": unit, "name": d.file_name}),
            },
        )
        .await?)
}

/// The form of a return: why.
#[derive(Debug, serde::Deserialize)]
pub(super) struct ReturnForm {
    #[serde(default)]
    reason: String,
}

/// `POST /reports/{unit}/{key}/return`: the committee office returns the report with a reason;
/// a refusal is said on the report's page with the reason as typed.
pub(super) async fn return_report(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((unit, key)): Path<(String, String)>,
    form: LaterForm<ReturnForm>,
) -> Result<Response, PageError> {
    let unit = unit.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let calendar = state.calendar().await?;
    // Scope first, then validation (issue #16 point 4).
    safeduty_app::reports::record(state.store(), &user.caller(), &calendar, unit, &key).await?;
    let f = form.take()?;
    match safeduty_app::reports::return_report(
        state.store(),
        &user.caller(),
        &calendar,
        unit,
        &key,
        &f.reason,
        state.clock().today(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/reports/{unit}/{key}")).into_response()),
        Err(safeduty_app::Error::Refused(r)) => {
            let (status, _, message) = AppError::from(safeduty_app::Error::Refused(r)).parts();
            let reason = f.reason.chars().take(500).collect();
            Ok(report_page(&state, &user, (unit, &key), Some((status, message)), reason).await?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
