//! Reporting status: every unit's reports for the committee office, its own for a unit officer,
//! who records a submission here.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_core::policy::Action;

use super::{Chrome, render};
use crate::AppState;
use crate::error::PageError;
use crate::extract::PageForm;
use crate::guard::PageUser;
use crate::views::ReportsView;

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    chrome: Option<Chrome>,
    csrf: String,
    campaign_name: String,
    today: NaiveDate,
    can_submit: bool,
    v: ReportsView,
}

pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let status = safeduty_app::reports::status(state.store(), &user.caller()).await?;
    let today = state.clock().today();
    let calendar = state.calendar().await?;
    Ok(render(&ReportsPage {
        chrome: Some(Chrome::new(&state, &user).await),
        csrf: user.csrf.clone(),
        campaign_name: status.campaign.name.clone(),
        today,
        can_submit: safeduty_core::policy::authorize(
            &user.user.actor(),
            Action::SubmitReport,
            None,
        )
        .is_ok(),
        v: ReportsView::new(&status, today, &calendar),
    }))
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct SubmitForm {
    #[serde(default)]
    note: String,
}

pub(super) async fn submit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(key): Path<String>,
    PageForm(f): PageForm<SubmitForm>,
) -> Result<Response, PageError> {
    let calendar = state.calendar().await?;
    safeduty_app::reports::submit(
        state.store(),
        &user.caller(),
        &calendar,
        state.clock().today(),
        &key,
        &f.note,
    )
    .await?;
    // A second click finds it submitted: the page as it is.
    Ok(Redirect::to("/reports").into_response())
}
