//! `GET /enforcement/exposures`: typical-case exposures (典型案例曝光, issue #13 point 5) — each
//! exposure with its public text as it is (or will be) published, the committee office's
//! approval and withdrawal; the decided and served cases that may be exposed, with the form to
//! draft one; the 典型案例通报 (`/enforcement/exposures.docx`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use safeduty_app::enforcement::{cases, exposures};
use safeduty_core::enforcement::case::CaseState;
use safeduty_core::enforcement::exposure::{ExposureStatus, exposable};
use safeduty_core::policy::{Action, authorize};
use safeduty_store::audit::{Event, Object};
use safeduty_store::enforcement::exposures::Exposure;

use super::super::{Chrome, render};
use super::{Notice, field, refusal_to_show, version_of};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::download::{Audit, DOCX, Download};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;

/// A case that may be exposed: decided and served, not exposed yet.
struct Candidate {
    public_id: String,
    number: String,
    party: String,
    cause: String,
}

#[derive(Template)]
#[template(path = "enforcement_exposures.html")]
struct ExposuresPage {
    chrome: Option<Chrome>,
    csrf: String,
    exposures: Vec<Exposure>,
    candidates: Vec<Candidate>,
    /// The committee office: approves, withdraws, exports.
    office: bool,
    /// Days a publication stays on the public pages.
    days: u32,
    notice: Option<Notice>,
}

impl ExposuresPage {
    fn notice_on(&self, form: &str) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|n| n.form == form)
            .map(|n| n.message.as_str())
    }

    fn status_label(&self, x: &Exposure) -> &'static str {
        x.status.label()
    }

    fn is_draft(&self, x: &Exposure) -> bool {
        x.status == ExposureStatus::Draft
    }

    fn is_published(&self, x: &Exposure) -> bool {
        x.status == ExposureStatus::Published
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<Notice>,
) -> Result<Response, AppError> {
    let caller = user.caller();
    let list = exposures::list(state.store(), &caller).await?;
    let exposed: Vec<&str> = list.iter().map(|x| x.case_public_id.as_str()).collect();
    let candidates = cases::list(state.store(), &caller)
        .await?
        .into_iter()
        .filter(|(c, _)| {
            CaseState::from_code(&c.status).is_some_and(exposable)
                && !exposed.contains(&c.public_id.as_str())
        })
        .map(|(c, number)| Candidate {
            party: if c.party_kind == "person" {
                format!(
                    "{}（{}，{}）",
                    c.party_name, c.party_role, c.enterprise_name
                )
            } else {
                c.party_name.clone()
            },
            public_id: c.public_id,
            number: number.unwrap_or_default(),
            cause: c.cause,
        })
        .collect();
    let office = authorize(&caller.actor(), Action::ManageEnforcement, None).is_ok();
    let page = ExposuresPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        exposures: list,
        candidates,
        office,
        days: state.config().exposure_days,
        notice,
    };
    let status = if page.notice.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /enforcement/exposures`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(page(&state, &user, None).await?)
}

/// Back to the page after success; the page again with the message beside `form` after a
/// refusal the user can act on.
async fn after(
    state: &AppState,
    user: &CurrentUser,
    result: Result<(), safeduty_app::Error>,
    form: &'static str,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to("/enforcement/exposures").into_response()),
        Err(e) => {
            let (status, notice) = refusal_to_show(e, form)?;
            let mut res = page(state, user, Some(notice)).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

/// `POST /enforcement/cases/{id}/exposure`: drafts the exposure of the case.
pub(super) async fn draft(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let result = exposures::draft(
        state.store(),
        &user.caller(),
        &id,
        field(&form, "violated_article"),
    )
    .await
    .map(|_| ());
    after(&state, &user, result, "draft").await
}

/// `POST /enforcement/exposures/{id}/publish`: the approver publishes the draft.
pub(super) async fn publish(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    exposures::exposure_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let version = version_of(&form)?;
    let result = exposures::publish(
        state.store(),
        &user.caller(),
        &id,
        version,
        state.clock().today(),
    )
    .await;
    after(&state, &user, result, "publish").await
}

/// `POST /enforcement/exposures/{id}/withdraw`: withdraws a published exposure with a reason.
pub(super) async fn withdraw(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    exposures::exposure_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let version = version_of(&form)?;
    let result = exposures::withdraw(
        state.store(),
        &user.caller(),
        &id,
        version,
        field(&form, "reason"),
        state.clock().today(),
    )
    .await;
    after(&state, &user, result, "withdraw").await
}

/// `GET /enforcement/exposures.docx`: the 典型案例通报 of what the public pages show today.
pub(super) async fn circular(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let today = state.clock().today();
    let bytes = exposures::circular(
        state.store(),
        &user.caller(),
        today,
        state.config().exposure_days,
    )
    .await?;
    Ok(
        Download::new(bytes, DOCX, &format!("典型案例通报-{today}.docx"))
            .send(
                &state,
                &user,
                Audit::Record {
                    event: Event::FileDownloaded,
                    target_kind: Object::Exposure.into(),
                    target_id: "circular".into(),
                    detail: serde_json::json!({"document": "exposure_circular", "today": today.to_string()}),
                },
            )
            .await?,
    )
}
