//! Reporting status: every unit's reports for the committee office, its own for a unit officer,
//! who submits a report here with its document (.docx or PDF); one unit's report with the text of
//! its documents, which the committee office may return with a reason (issue #15 point 1).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::report_builds::DraftView;
use safeduty_app::reports::{ReportFile, ReportRecord};
use safeduty_core::policy::Action;
use safeduty_store::reports::Draft;

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
    /// The draft of a generated report (stage, annual), with its figures once the period ended.
    draft: Option<DraftView>,
    /// The figures as (label, value) rows, when known.
    figure_rows: Vec<(&'static str, String)>,
}

async fn report_page(
    state: &AppState,
    user: &CurrentUser,
    (unit, key): (i64, &str),
    notice: Option<(StatusCode, String)>,
    reason: String,
    typed: Option<Draft>,
) -> Result<Response, AppError> {
    let calendar = state.calendar().await?;
    let r =
        safeduty_app::reports::record(state.store(), &user.caller(), &calendar, unit, key).await?;
    let (status, notice) = match notice {
        Some((s, m)) => (s, Some(m)),
        None => (StatusCode::OK, None),
    };
    let mut draft = safeduty_app::report_builds::draft_view(
        state.store(),
        &user.caller(),
        &calendar,
        state.clock().today(),
        unit,
        key,
    )
    .await?;
    // A refused save shows the text as typed, not the text saved before.
    if let (Some(d), Some(typed)) = (draft.as_mut(), typed) {
        d.draft = typed;
    }
    let figure_rows = draft
        .as_ref()
        .and_then(|d| d.figures.as_ref())
        .map(|f| f.rows())
        .unwrap_or_default();
    let body = render(&ReportPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        r,
        notice,
        reason,
        draft,
        figure_rows,
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
    Ok(report_page(&state, &user, (unit, &key), None, String::new(), None).await?)
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
            Ok(report_page(
                &state,
                &user,
                (unit, &key),
                Some((status, message)),
                reason,
                None,
            )
            .await?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// The form of a draft: the three sections and the document number.
#[derive(Debug, serde::Deserialize)]
pub(super) struct DraftForm {
    #[serde(default)]
    work: String,
    #[serde(default)]
    problems: String,
    #[serde(default)]
    next_steps: String,
    #[serde(default)]
    doc_number: String,
}

impl DraftForm {
    fn draft(self) -> Draft {
        Draft {
            work: self.work,
            problems: self.problems,
            next_steps: self.next_steps,
            doc_number: self.doc_number,
        }
    }
}

/// Answers a refusal of a draft's save or generation on the report's page, with the text as
/// typed (`typed`) or as saved.
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    (unit, key): (i64, &str),
    e: safeduty_app::Error,
    typed: Option<Draft>,
) -> Result<Response, PageError> {
    match e {
        safeduty_app::Error::Refused(r) => {
            let (status, _, message) = AppError::from(safeduty_app::Error::Refused(r)).parts();
            Ok(report_page(
                state,
                user,
                (unit, key),
                Some((status, message)),
                String::new(),
                typed,
            )
            .await?)
        }
        e => Err(AppError::from(e).into()),
    }
}

/// `POST /reports/{unit}/{key}/draft` (`work`, `problems`, `next_steps`, `doc_number`): the
/// unit's officer saves the text of its generated report (audited); back to the report's page.
pub(super) async fn save_draft(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((unit, key)): Path<(String, String)>,
    form: LaterForm<DraftForm>,
) -> Result<Response, PageError> {
    let unit = unit.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let calendar = state.calendar().await?;
    // Scope first, then validation (issue #16 point 4).
    safeduty_app::reports::record(state.store(), &user.caller(), &calendar, unit, &key).await?;
    let draft = form.take()?.draft();
    match safeduty_app::report_builds::save_draft(
        state.store(),
        &user.caller(),
        &calendar,
        unit,
        &key,
        &draft,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/reports/{unit}/{key}#draft")).into_response()),
        Err(e) => refused(&state, &user, (unit, &key), e, Some(draft)).await,
    }
}

/// `GET /reports/{unit}/{key}/draft.docx`: the generated report from the saved draft, with the
/// figures as of the period's end, to edit in Word or WPS and hand in (audited as a download).
pub(super) async fn draft_docx(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((unit, key)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let unit = unit.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let calendar = state.calendar().await?;
    let (name, bytes) = match safeduty_app::report_builds::draft_docx(
        state.store(),
        &user.caller(),
        &calendar,
        state.clock().today(),
        unit,
        &key,
    )
    .await
    {
        Ok(x) => x,
        Err(e) => return refused(&state, &user, (unit, &key), e, None).await,
    };
    Ok(Download::new(bytes, crate::download::DOCX, &name)
        .send(
            &state,
            &user,
            Audit::Record {
                event: safeduty_store::audit::Event::FileDownloaded,
                target_kind: safeduty_store::audit::Object::Report.into(),
                target_id: format!("{unit}/{key}/draft"),
                detail: serde_json::json!({"report": key, "unit": unit, "name": name}),
            },
        )
        .await?)
}

/// `POST /reports/{unit}/{key}/generate`: 「生成并报送」: the saved draft laid out as a GB/T 9704
/// .docx and submitted as the report's document; a refusal (an empty section, the period not
/// over, already handed in) is said on the report's page and writes nothing.
pub(super) async fn generate(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((unit, key)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let unit = unit.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let calendar = state.calendar().await?;
    match safeduty_app::report_builds::generate_and_submit(
        state.store(),
        &user.caller(),
        &calendar,
        state.clock().today(),
        unit,
        &key,
        state.blobs()?,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/reports/{unit}/{key}")).into_response()),
        Err(e) => refused(&state, &user, (unit, &key), e, None).await,
    }
}
