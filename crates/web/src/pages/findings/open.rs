//! Officers open a finding on an enterprise of their scope.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_core::finding::ledger::{Category, Grade, Source};
use safeduty_core::policy::Action;
use safeduty_store::StoreError;
use safeduty_store::findings::NewFindingRow;
use safeduty_store::findings::flow::{self};
use safeduty_store::org::Enterprise;
use serde::Deserialize;

use super::super::{Chrome, current_campaign, render};
use super::finding::{check_item, details};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::{PageUser, enterprise_for};
use crate::input::findings::date_field;

#[derive(Template)]
#[template(path = "finding_new.html")]
struct NewPage {
    chrome: Option<Chrome>,
    csrf: String,
    token: String,
    e: Enterprise,
    due_on: NaiveDate,
    today: NaiveDate,
    campaign_end: Option<NaiveDate>,
    items: Vec<(u32, String)>,
    grades: &'static [Grade],
    categories: &'static [Category],
    sources: Vec<Source>,
    notice: Option<String>,
}

async fn new_page(
    state: &AppState,
    user: &CurrentUser,
    e: Enterprise,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let campaign = current_campaign(state, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock().today();
    let calendar = state.calendar().await?;
    let due_on = calendar
        .add_working_days(
            today,
            campaign.template.settings.finding_time_limit_working_days,
        )
        .date;
    let status = if notice.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = render(&NewPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        token: safeduty_store::new_public_id(),
        e,
        due_on,
        today,
        campaign_end: campaign.template.last_day(),
        items: campaign
            .item_numbers()
            .into_iter()
            .map(|n| (n, format!("第{n}项")))
            .collect(),
        grades: Grade::ALL,
        categories: Category::ALL,
        sources: Source::ALL
            .iter()
            .copied()
            .filter(|s| *s != Source::SelfInspection)
            .collect(),
        notice,
    });
    Ok((status, body).into_response())
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let e = enterprise_for(&state, &user, &id, Action::OpenFinding).await?;
    Ok(new_page(&state, &user, e, None).await?)
}

/// The officer's form to open a finding.
#[derive(Debug, Deserialize)]
pub(crate) struct OpenForm {
    #[serde(default)]
    token: Option<String>,
    source: String,
    category: String,
    grade: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    description: String,
    due_on: String,
}

pub(super) async fn open_finding(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<OpenForm>,
) -> Result<Response, PageError> {
    let e = enterprise_for(&state, &user, &id, Action::OpenFinding).await?;
    let campaign = current_campaign(&state, &user)
        .await?
        .ok_or(AppError::NotFound)?;
    let d = details(
        &form.category,
        &form.grade,
        &form.location,
        &form.description,
        &form.item,
    )?;
    check_item(&state, &user, d.item_number).await?;
    let source = Source::from_code(&form.source)
        .filter(|s| *s != Source::SelfInspection)
        .ok_or_else(|| AppError::BadRequest("来源无效".into()))?;
    let due_on = date_field(&form.due_on, "整改期限")?
        .ok_or_else(|| AppError::BadRequest("请填写整改期限".into()))?;
    let row = NewFindingRow {
        campaign_id: campaign.id,
        enterprise_id: e.id,
        source,
        self_inspection_id: None,
        item_number: d.item_number,
        category: d.category,
        grade: d.grade,
        location: d.location,
        description: d.description,
        opened_on: state.clock().today(),
        due_on,
        time_limit_working_days: None,
        open_token: form.token.clone(),
    };
    match flow::open_by_officer(
        state.store(),
        &user.who(),
        row,
        campaign.template.last_day(),
    )
    .await
    {
        Ok(public_id) => Ok(Redirect::to(&format!("/findings/{public_id}")).into_response()),
        Err(StoreError::Refused(r)) => {
            let message = r.to_string();
            Ok(new_page(&state, &user, e, Some(message)).await?)
        }
        Err(other) => Err(other.into()),
    }
}
