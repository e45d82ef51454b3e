//! Acceptance inspections in the browser (issue #14 point 2): `GET /acceptance` lists the
//! acceptances a caller sees and, for the committee office, the form to plan one;
//! `GET /acceptance/{id}` shows one with its inspection record, guests and comments, and the
//! forms the caller may use: invite or revoke a guest, record the inspection (the ordinary form,
//! opened for the acceptance), adopt the third party's assessment, close it (the leading
//! officers); submit the assessment (the third party); comment (officers and guests).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::enforcement::acceptance::{self, AcceptanceDocument, AcceptanceView, Issued};
use safeduty_core::enforcement::acceptance::{AcceptanceStatus, Conclusion, Mode};
use safeduty_core::enforcement::officers::GuestKind;
use safeduty_core::enforcement::penalty::{AtAcceptance, Provision};
use safeduty_core::policy::{Action, authorize};
use safeduty_store::audit::{Event, Object};
use safeduty_store::enforcement::acceptances::AcceptanceRow;
use safeduty_store::enforcement::authority::UnitInfo;

use super::enforcement::{Notice, field, refusal_to_show, typed};
use super::{Chrome, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::download::{Audit, DOCX, Download};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;
use crate::input::acceptance::{
    AcceptancePlanRequest, AcceptanceStepRequest, InviteRequest, StillViolatingRequest,
};

#[derive(Template)]
#[template(path = "acceptance.html")]
struct ListPage {
    chrome: Option<Chrome>,
    csrf: String,
    rows: Vec<AcceptanceRow>,
    units: Vec<UnitInfo>,
    plans: bool,
    modes: &'static [Mode],
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
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
) -> Result<Response, AppError> {
    let caller = user.caller();
    let rows = acceptance::list(state.store(), &caller).await?;
    let plans = authorize(&caller.actor(), Action::OverseeUnits, None).is_ok();
    let units = if plans {
        acceptance::inspecting_units(state.store(), &caller).await?
    } else {
        Vec::new()
    };
    let page = ListPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        rows,
        units,
        plans,
        modes: Mode::ALL,
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

/// `GET /acceptance`.
pub(super) async fn index(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(list_page(&state, &user, None, BTreeMap::new()).await?)
}

/// `POST /acceptance`: the committee office plans an acceptance.
pub(super) async fn plan(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let req = AcceptancePlanRequest {
        enterprise: field(&form, "enterprise").into(),
        unit: field(&form, "unit").into(),
        planned_on: field(&form, "planned_on").into(),
        mode: field(&form, "mode").into(),
        third_party: field(&form, "third_party").into(),
    };
    let result = match req.input() {
        Ok((enterprise, unit, input)) => {
            acceptance::plan(
                state.store(),
                &user.caller(),
                &enterprise,
                unit,
                &input,
                state.clock().today(),
            )
            .await
        }
        Err(r) => Err(r.into()),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/acceptance/{id}")).into_response()),
        Err(e) => {
            let (status, notice) = refusal_to_show(e, "plan")?;
            let mut res = list_page(&state, &user, Some(notice), typed(&form, "")).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

#[derive(Template)]
#[template(path = "acceptance_one.html")]
struct OnePage {
    chrome: Option<Chrome>,
    csrf: String,
    v: AcceptanceView,
    status: AcceptanceStatus,
    guest_kinds: Vec<GuestKind>,
    violations: &'static [AtAcceptance],
    provisions: Vec<Provision>,
    conclusions: &'static [Conclusion],
    issued: Option<Issued>,
    today: NaiveDate,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
}

impl OnePage {
    fn notice_on(&self, form: &str) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|n| n.form == form)
            .map(|n| n.message.as_str())
    }

    fn t(&self, form: &str, name: &str, default: &str) -> String {
        self.notice_on(form)
            .and_then(|_| self.typed.get(name).cloned())
            .unwrap_or_else(|| default.to_string())
    }

    fn kind_label(&self, code: &str) -> &'static str {
        GuestKind::from_code(code).map_or("受邀人员", GuestKind::label)
    }

    fn answer_label(&self, code: &str) -> &'static str {
        safeduty_core::self_inspection::Answer::from_code(code).map_or("", |a| a.label())
    }

    fn adopted(&self) -> bool {
        self.v
            .row
            .acceptance
            .assessment
            .as_ref()
            .is_some_and(|s| s.adopted_on.is_some())
    }

    fn third_party(&self) -> bool {
        self.v.row.acceptance.plan.mode == Mode::ThirdParty
    }
}

async fn one_page(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    issued: Option<Issued>,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
) -> Result<Response, AppError> {
    let v = acceptance::view(state.store(), &user.caller(), id, state.clock().today()).await?;
    let third_party = v.row.acceptance.plan.mode == Mode::ThirdParty;
    let page = OnePage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        status: v.row.acceptance.status(),
        guest_kinds: GuestKind::ALL
            .iter()
            .copied()
            .filter(|k| third_party || *k != GuestKind::ThirdParty)
            .collect(),
        conclusions: Conclusion::ALL,
        violations: AtAcceptance::ALL,
        provisions: AtAcceptance::ALL
            .iter()
            .flat_map(|v| v.provisions().iter().copied())
            .collect(),
        v,
        issued,
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

/// `GET /acceptance/{id}`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    Ok(one_page(&state, &user, &id, None, None, BTreeMap::new()).await?)
}

/// Shows the page again with the refusal `e` on `form`, or the page after success.
async fn after(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    result: Result<(), safeduty_app::Error>,
    form_name: &'static str,
    form: &[(String, String)],
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/acceptance/{id}")).into_response()),
        Err(e) => {
            let (status, notice) = refusal_to_show(e, form_name)?;
            let mut res = one_page(state, user, id, None, Some(notice), typed(form, "")).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

/// `POST /acceptance/{id}/guests`: an officer invites a guest; the page shows the account
/// issued, its password this once.
pub(super) async fn invite(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    acceptance::acceptance_for(state.store(), &user.caller(), &id).await?;
    let req = InviteRequest {
        name: field(&form, "name").into(),
        kind: field(&form, "kind").into(),
        organisation: field(&form, "organisation").into(),
    };
    let result = match req.guest() {
        Ok(g) => {
            acceptance::invite(
                state.store(),
                &user.caller(),
                &id,
                &g,
                state.clock().today(),
            )
            .await
        }
        Err(r) => Err(r.into()),
    };
    match result {
        Ok(issued) => Ok(one_page(&state, &user, &id, Some(issued), None, BTreeMap::new()).await?),
        Err(e) => after(&state, &user, &id, Err(e), "invite", &form).await,
    }
}

/// `POST /acceptance/{id}/guests/{user}/revoke`: an officer revokes a guest's access.
pub(super) async fn revoke(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, guest)): Path<(String, String)>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    acceptance::acceptance_for(state.store(), &user.caller(), &id).await?;
    let guest: i64 = guest.parse().map_err(|_| AppError::NotFound)?;
    let result = acceptance::revoke(
        state.store(),
        &user.caller(),
        &id,
        guest,
        state.clock().today(),
    )
    .await;
    after(&state, &user, &id, result, "guests", &form).await
}

/// `POST /acceptance/{id}/steps`: the step named by the form's `step`.
pub(super) async fn step(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    acceptance::acceptance_for(state.store(), &user.caller(), &id).await?;
    let req = AcceptanceStepRequest {
        step: field(&form, "step").into(),
        date: field(&form, "date").into(),
        conclusion: field(&form, "conclusion").into(),
        text: field(&form, "text").into(),
    };
    let result = match req.step() {
        Ok(s) => {
            acceptance::step(
                state.store(),
                &user.caller(),
                &id,
                &s,
                state.clock().today(),
            )
            .await
        }
        Err(r) => Err(r.into()),
    };
    let form_name = acceptance::Step::CODES
        .iter()
        .find(|c| **c == req.step.trim())
        .copied()
        .unwrap_or("step");
    after(&state, &user, &id, result, form_name, &form).await
}

/// `POST /acceptance/{id}/comments`: a guest or a leading officer comments.
pub(super) async fn comment(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    acceptance::acceptance_for(state.store(), &user.caller(), &id).await?;
    let result =
        acceptance::comment(state.store(), &user.caller(), &id, field(&form, "text")).await;
    after(&state, &user, &id, result, "comment", &form).await
}

/// `POST /acceptance/{id}/violations`: a leading officer opens the case of a party found still
/// violating; the case's page follows.
pub(super) async fn still_violating(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    acceptance::acceptance_for(state.store(), &user.caller(), &id).await?;
    let req = StillViolatingRequest {
        violation: field(&form, "violation").into(),
        ground: field(&form, "ground").into(),
        provision: field(&form, "provision").into(),
        person_name: field(&form, "person_name").into(),
        person_role: field(&form, "person_role").into(),
        facts: field(&form, "facts").into(),
    };
    let result = match req.still_violating() {
        Ok(sv) => {
            acceptance::still_violating(
                state.store(),
                &user.caller(),
                &id,
                &sv,
                state.clock().today(),
            )
            .await
        }
        Err(r) => Err(r.into()),
    };
    match result {
        Ok(case) => Ok(Redirect::to(&format!("/enforcement/cases/{case}")).into_response()),
        Err(e) => after(&state, &user, &id, Err(e), "violations", &form).await,
    }
}

/// `GET /acceptance/{id}/documents/{kind}`: the checklist (once inspected) or the report (once
/// closed), for whoever reads the acceptance.
pub(super) async fn download(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let kind = AcceptanceDocument::from_code(&kind).ok_or(AppError::NotFound)?;
    let (bytes, name) = acceptance::document(
        state.store(),
        &user.caller(),
        &id,
        kind,
        state.clock().today(),
    )
    .await?;
    Ok(Download::new(bytes, DOCX, &name)
        .send(
            &state,
            &user,
            Audit::Record {
                event: Event::FileDownloaded,
                target_kind: Object::Acceptance.into(),
                target_id: id,
                detail: serde_json::json!({"document": kind.label()}),
            },
        )
        .await?)
}
