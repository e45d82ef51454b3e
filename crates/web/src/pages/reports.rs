//! Reporting status: every unit's reports for the committee office, its own for a unit officer,
//! who records a submission here.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_core::policy::Action;
use safeduty_store::reports;

use super::{Chrome, current_campaign, render};
use crate::AppState;
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::{PageUser, require};
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
    require(&state, &user, Action::ViewReports, None).await?;
    let campaign = current_campaign(&state, &user)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock().today();
    Ok(render(&ReportsPage {
        chrome: Some(Chrome::new(&state, &user).await),
        csrf: user.csrf.clone(),
        campaign_name: campaign.name.clone(),
        today,
        can_submit: safeduty_core::policy::authorize(
            &user.user.actor(),
            Action::SubmitReport,
            None,
        )
        .is_ok(),
        v: ReportsView::load(&state, &user.user, &campaign).await?,
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
    require(&state, &user, Action::SubmitReport, None).await?;
    if safeduty_core::text::has_control_chars(&f.note) || f.note.chars().count() > 500 {
        return Err(AppError::BadRequest("备注过长或含有不可见的控制字符".into()).into());
    }
    let unit_id = user.user.unit_id.ok_or(AppError::NotFound)?;
    let campaign = current_campaign(&state, &user)
        .await?
        .ok_or(AppError::NotFound)?;
    let calendar = state.calendar().await?;
    let due = safeduty_core::reporting::reports_due(&campaign.template, campaign.year, &calendar);
    let Some(report) = due.iter().find(|r| r.key == key) else {
        return Err(AppError::NotFound.into());
    };
    if let Err(opens) = report.check_open(state.clock().today()) {
        return Err(AppError::Conflict(format!(
            "“{}”报送的是该阶段（年度）的工作情况，{opens}起方可报送",
            report.name
        ))
        .into());
    }
    match reports::submit(
        state.store(),
        &user.who(),
        campaign.id,
        unit_id,
        &key,
        state.clock().today(),
        f.note.trim(),
    )
    .await
    {
        // A second click finds it submitted: show the page as it is.
        Ok(()) | Err(safeduty_store::StoreError::Conflict(_)) => {
            Ok(Redirect::to("/reports").into_response())
        }
        Err(e) => Err(e.into()),
    }
}
