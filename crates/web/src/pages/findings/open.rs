//! Officers open a finding on an enterprise of their scope ([`safeduty_app::findings::open`]).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::findings::NewFinding;
use safeduty_core::finding::ledger::{Category, Grade, Source};
use safeduty_store::campaigns::Campaign;
use safeduty_store::org::Enterprise;
use serde::Deserialize;

use super::super::{Chrome, render};
use super::finding::details;
use super::unknown_item_is_bad_request;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::extract::LaterForm;
use crate::guard::PageUser;
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
    /// What was typed, shown again after a refusal (issue #18 point 1).
    typed: OpenForm,
}

async fn new_page(
    state: &AppState,
    user: &CurrentUser,
    (e, campaign): (Enterprise, Campaign),
    notice: Option<(StatusCode, String)>,
    typed: OpenForm,
) -> Result<Response, AppError> {
    let today = state.clock().today();
    let calendar = state.calendar().await?;
    let due_on = calendar
        .add_working_days(
            today,
            campaign.template.settings.finding_time_limit_working_days,
        )
        .date;
    let (status, notice) = match notice {
        Some((status, message)) => (status, Some(message)),
        None => (StatusCode::OK, None),
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
        typed,
    });
    Ok((status, body).into_response())
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let opening = safeduty_app::findings::opening(state.store(), &user.caller(), &id).await?;
    Ok(new_page(&state, &user, opening, None, OpenForm::default()).await?)
}

/// The officer's form to open a finding.
#[derive(Debug, Default, Clone, Deserialize)]
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
    form: LaterForm<OpenForm>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    safeduty_app::findings::opening(state.store(), &user.caller(), &id).await?;
    let form = form.take()?;
    // Shown again as typed after any refusal, never more than its field holds.
    let cut = |v: &str, max: usize| v.chars().take(max).collect::<String>();
    let typed = OpenForm {
        token: None,
        source: cut(&form.source, 40),
        category: cut(&form.category, 40),
        grade: cut(&form.grade, 40),
        item: cut(&form.item, 10),
        location: cut(&form.location, 200),
        description: cut(&form.description, 1000),
        due_on: cut(&form.due_on, 20),
    };
    let caller = user.caller();
    let outcome = match read(form) {
        Ok(new) => {
            safeduty_app::findings::open(state.store(), &caller, &id, new, state.clock().today())
                .await
                .map_err(unknown_item_is_bad_request)
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(public_id) => Ok(Redirect::to(&format!("/findings/{public_id}")).into_response()),
        Err(e @ (AppError::BadRequest(_) | AppError::Refused(_))) => {
            let (status, _, message) = e.parts();
            let opening = safeduty_app::findings::opening(state.store(), &caller, &id).await?;
            Ok(new_page(&state, &user, opening, Some((status, message)), typed).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The finding the form asks to open.
///
/// # Errors
/// [`AppError::BadRequest`] naming the field that does not parse.
fn read(form: OpenForm) -> Result<NewFinding, AppError> {
    let details = details(
        &form.category,
        &form.grade,
        &form.location,
        &form.description,
        &form.item,
    )?;
    let source = Source::from_code(&form.source)
        .filter(|s| *s != Source::SelfInspection)
        .ok_or_else(|| AppError::BadRequest("来源无效".into()))?;
    let due_on = date_field(&form.due_on, "整改期限")?
        .ok_or_else(|| AppError::BadRequest("请填写整改期限".into()))?;
    Ok(NewFinding {
        source,
        details,
        due_on,
        token: form.token,
    })
}
