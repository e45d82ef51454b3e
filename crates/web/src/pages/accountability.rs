//! Accountability of the units in the browser (issue #14 point 5): `GET /accountability` lists
//! the matters of the units a caller sees and, for the committee office, the form to issue a
//! correction order or an interview; `GET /accountability/{id}` shows one matter with the forms
//! its state allows (the interview held, the unit's report, the follow-up) and, for an
//! interview, its summons and minutes (`…/documents/notice`, `…/minutes`).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::unit_matters::{self, InterviewDocument};
use safeduty_core::accountability::{MatterKind, MatterStatus};
use safeduty_core::policy::{Action, authorize};
use safeduty_store::audit::{Event, Object};
use safeduty_store::reports::ReportingUnit;
use safeduty_store::unit_matters::UnitMatter;

use super::enforcement::{Notice, field, refusal_to_show, typed, version_of};
use super::{Chrome, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::download::{Audit, DOCX, Download};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;
use crate::input::accountability::{MatterRequest, MatterStepRequest};

#[derive(Template)]
#[template(path = "accountability.html")]
struct ListPage {
    chrome: Option<Chrome>,
    csrf: String,
    matters: Vec<UnitMatter>,
    units: Vec<ReportingUnit>,
    oversees: bool,
    today: NaiveDate,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
}

impl ListPage {
    fn notice_on(&self, form: &str) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|n| n.form == form)
            .map(|n| n.message.as_str())
    }

    fn v(&self, name: &str) -> &str {
        self.typed.get(name).map_or("", String::as_str)
    }

    fn status(&self, m: &UnitMatter) -> &'static str {
        m.record.status().label()
    }

    fn overdue(&self, m: &UnitMatter) -> bool {
        m.record.overdue(self.today)
    }
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
) -> Result<Response, AppError> {
    let caller = user.caller();
    let matters = unit_matters::list(state.store(), &caller).await?;
    let oversees = authorize(&caller.actor(), Action::OverseeUnits, None).is_ok();
    let units = if oversees {
        safeduty_store::reports::units(state.store(), &user.user.unit_scope).await?
    } else {
        Vec::new()
    };
    let page = ListPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        matters,
        units,
        oversees,
        today: state.clock().today(),
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

/// `GET /accountability`.
pub(super) async fn index(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(list_page(&state, &user, None, BTreeMap::new()).await?)
}

/// `POST /accountability`: the committee office issues a matter to a unit.
pub(super) async fn issue(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let caller = user.caller();
    let req = MatterRequest {
        unit: field(&form, "unit").into(),
        kind: field(&form, "kind").into(),
        issues: field(&form, "issues").into(),
        actions: field(&form, "actions").into(),
        due_on: field(&form, "due_on").into(),
        interview_on: field(&form, "interview_on").into(),
        place: field(&form, "place").into(),
        interviewer: field(&form, "interviewer").into(),
        interviewees: field(&form, "interviewees").into(),
    };
    let result = match req.input() {
        Ok((unit, input)) => {
            unit_matters::issue(state.store(), &caller, unit, &input, state.clock().today()).await
        }
        Err(r) => Err(r.into()),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/accountability/{id}")).into_response()),
        Err(e) => {
            let (status, notice) = refusal_to_show(e, "issue")?;
            let mut res = list_page(&state, &user, Some(notice), typed(&form, "")).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

#[derive(Template)]
#[template(path = "accountability_matter.html")]
struct MatterPage {
    chrome: Option<Chrome>,
    csrf: String,
    m: UnitMatter,
    status: MatterStatus,
    interview: bool,
    overdue: bool,
    oversees: bool,
    /// An officer of the unit: reports.
    own_unit: bool,
    today: NaiveDate,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
}

impl MatterPage {
    fn notice_on(&self, form: &str) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|n| n.form == form)
            .map(|n| n.message.as_str())
    }

    fn v(&self, form: &str, name: &str, default: &str) -> String {
        self.notice_on(form)
            .and_then(|_| self.typed.get(name).cloned())
            .unwrap_or_else(|| default.to_string())
    }

    fn is(&self, code: &str) -> bool {
        self.status.code() == code
    }
}

async fn matter_page(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
) -> Result<Response, AppError> {
    let caller = user.caller();
    let m = unit_matters::matter_for(state.store(), &caller, id).await?;
    let today = state.clock().today();
    let actor = caller.actor();
    let page = MatterPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        status: m.record.status(),
        interview: m.record.matter.kind == MatterKind::Interview,
        overdue: m.record.overdue(today),
        oversees: authorize(&actor, Action::OverseeUnits, None).is_ok(),
        own_unit: authorize(&actor, Action::SubmitReport, None).is_ok()
            && user.user.unit_id == Some(m.unit_id),
        m,
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

/// `GET /accountability/{id}`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    Ok(matter_page(&state, &user, &id, None, BTreeMap::new()).await?)
}

/// `POST /accountability/{id}/steps`: the step named by the form's `step`.
pub(super) async fn step(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    unit_matters::matter_for(state.store(), &user.caller(), &id).await?;
    let version = version_of(&form)?;
    let req = MatterStepRequest {
        version,
        step: field(&form, "step").into(),
        date: field(&form, "date").into(),
        text: field(&form, "text").into(),
        close: field(&form, "close").into(),
    };
    let result = match req.step() {
        Ok(step) => {
            unit_matters::step(
                state.store(),
                &user.caller(),
                &id,
                version,
                &step,
                state.clock().today(),
            )
            .await
        }
        Err(r) => Err(r.into()),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/accountability/{id}")).into_response()),
        Err(e) => {
            let form_name = unit_matters::Step::CODES
                .iter()
                .find(|c| **c == req.step.trim())
                .copied()
                .unwrap_or("step");
            let (status, notice) = refusal_to_show(e, form_name)?;
            let mut res = matter_page(&state, &user, &id, Some(notice), typed(&form, "")).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

/// `GET /accountability/{id}/documents/{kind}`: an interview's summons or minutes.
pub(super) async fn download(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let kind = InterviewDocument::from_code(&kind).ok_or(AppError::NotFound)?;
    let (bytes, name) = unit_matters::document(state.store(), &user.caller(), &id, kind).await?;
    Ok(Download::new(bytes, DOCX, &name)
        .send(
            &state,
            &user,
            Audit::Record {
                event: Event::FileDownloaded,
                target_kind: Object::UnitMatter.into(),
                target_id: id,
                detail: serde_json::json!({"document": kind.label()}),
            },
        )
        .await?)
}
