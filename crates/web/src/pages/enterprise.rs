//! One enterprise's self-inspection and findings: read by officers, filled in and submitted by
//! the enterprise.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_core::policy::{Action, authorize};
use safeduty_core::self_inspection::{Answer, FieldError, ItemAnswer, Status};
use safeduty_store::campaigns::Campaign;
use safeduty_store::org::Enterprise;
use safeduty_store::{findings, self_inspections};

use super::{Chrome, current_campaign, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::guard::{PageUser, enterprise_for};
use crate::views::{AreaView, CampaignView};

pub(crate) struct ItemRow {
    number: u32,
    text: String,
    answer: &'static str,
    answer_label: &'static str,
    note: String,
    error: Option<String>,
}

pub(crate) struct AreaRows {
    label: String,
    title: String,
    rows: Vec<ItemRow>,
}

pub(crate) struct FindingRow {
    public_id: String,
    item_number: Option<u32>,
    description: String,
    grade: &'static str,
    status: &'static str,
    opened_on: NaiveDate,
    due_on: NaiveDate,
    overdue: bool,
    open: bool,
}

#[derive(Template)]
#[template(path = "self_inspection.html")]
struct SelfInspectionPage {
    chrome: Option<Chrome>,
    csrf: String,
    e: Enterprise,
    status: Status,
    submitted_on: Option<NaiveDate>,
    editable: bool,
    can_change_due: bool,
    notice: Option<String>,
    errors: Vec<FieldError>,
    areas: Vec<AreaRows>,
    choices: [(&'static str, &'static str); 3],
    findings: Vec<FindingRow>,
}

const CHOICES: [(&str, &str); 3] = [
    ("conform", "符合"),
    ("non_conform", "不符合"),
    ("not_applicable", "不适用"),
];

fn rows(
    areas: &[AreaView],
    answers: &BTreeMap<u32, ItemAnswer>,
    errors: &[FieldError],
) -> Vec<AreaRows> {
    areas
        .iter()
        .map(|a| AreaRows {
            label: a.label.clone(),
            title: a.title.clone(),
            rows: a
                .items
                .iter()
                .map(|i| {
                    let ans = answers.get(&i.number);
                    let answer = ans.and_then(|a| a.answer);
                    ItemRow {
                        number: i.number,
                        text: i.text.clone(),
                        answer: answer.map_or("", Answer::code),
                        answer_label: answer.map_or("未作答", Answer::label),
                        note: ans.map(|a| a.note.clone()).unwrap_or_default(),
                        error: errors
                            .iter()
                            .find(|e| e.item == i.number)
                            .map(|e| e.message.clone()),
                    }
                })
                .collect(),
        })
        .collect()
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    campaign: &Campaign,
    e: Enterprise,
    shown: Option<(BTreeMap<u32, ItemAnswer>, Vec<FieldError>)>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let today = state.clock().today();
    let si = self_inspections::get(state.store(), campaign.id, e.id).await?;
    let actor = user.user.actor();
    let editable = si.status != Status::Submitted
        && authorize(&actor, Action::EditSelfInspection, Some(&e.facts)).is_ok();
    let can_change_due = authorize(&actor, Action::ChangeFindingDueDate, Some(&e.facts)).is_ok();
    let view = CampaignView::new(campaign, today, &*state.calendar().await?);
    let (answers, errors) = shown.unwrap_or((si.answers, Vec::new()));
    let fs = findings::list(state.store(), &user.user.scope, campaign.id, Some(e.id)).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&SelfInspectionPage {
        chrome: Some(Chrome::new(state, user)),
        csrf: user.csrf.clone(),
        status: si.status,
        submitted_on: si.submitted_on,
        editable,
        can_change_due,
        notice,
        areas: rows(&view.areas, &answers, &errors),
        errors,
        choices: CHOICES,
        findings: fs
            .iter()
            .map(|f| FindingRow {
                public_id: f.public_id.clone(),
                item_number: f.item_number,
                description: f.description.clone(),
                grade: if f.grade == "major" {
                    "重大"
                } else {
                    "一般"
                },
                status: if f.status == "open" {
                    "整改中"
                } else {
                    "已销号"
                },
                opened_on: f.opened_on,
                due_on: f.due_on,
                overdue: f.is_overdue(today),
                open: f.status == "open",
            })
            .collect(),
        e,
    });
    Ok((status, body).into_response())
}

pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let e = enterprise_for(&state, &user, &id, Action::ReadSelfInspection).await?;
    let campaign = current_campaign(&state).await?.ok_or(AppError::NotFound)?;
    Ok(page(&state, &user, &campaign, e, None, None).await?)
}

/// Reads `answer_N` / `note_N` fields into answers. An answer code we do not know is a bad request.
pub(crate) fn answers_from_form(
    form: &HashMap<String, String>,
) -> Result<BTreeMap<u32, ItemAnswer>, AppError> {
    let mut out: BTreeMap<u32, ItemAnswer> = BTreeMap::new();
    for (k, v) in form {
        if let Some(n) = k.strip_prefix("answer_") {
            let n: u32 = n
                .parse()
                .map_err(|_| AppError::BadRequest(format!("字段{k}无效")))?;
            let a = Answer::from_code(v)
                .ok_or_else(|| AppError::BadRequest(format!("第{n}项的选项无效")))?;
            out.entry(n).or_default().answer = Some(a);
        } else if let Some(n) = k.strip_prefix("note_") {
            let n: u32 = n
                .parse()
                .map_err(|_| AppError::BadRequest(format!("字段{k}无效")))?;
            out.entry(n).or_default().note = v.clone();
        }
    }
    Ok(out)
}

pub(super) async fn save(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    user.require_csrf(form.get("csrf").map(String::as_str))?;
    let e = enterprise_for(&state, &user, &id, Action::EditSelfInspection).await?;
    let campaign = current_campaign(&state).await?.ok_or(AppError::NotFound)?;
    let answers = answers_from_form(&form)?;
    let submit = match form.get("action").map(String::as_str) {
        Some("submit") => true,
        Some("save") | None => false,
        Some(_) => return Err(AppError::BadRequest("未知的操作".into()).into()),
    };
    let result = if submit {
        self_inspections::submit(
            state.store(),
            &user.who(),
            &campaign,
            e.id,
            answers.clone(),
            state.clock().today(),
            &*state.calendar().await?,
        )
        .await
    } else {
        self_inspections::save_draft(state.store(), &user.who(), &campaign, e.id, answers.clone())
            .await
    };
    let back = format!("/enterprises/{}", e.public_id);
    match result.map_err(AppError::from) {
        Ok(_) => Ok(Redirect::to(&back).into_response()),
        // A second click of 提交 lands here: the first one won, show the submitted page.
        Err(AppError::Conflict(_)) => Ok(Redirect::to(&back).into_response()),
        Err(AppError::Fields(errors)) => {
            Ok(page(&state, &user, &campaign, e, Some((answers, errors)), None).await?)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct DueForm {
    csrf: Option<String>,
    due_on: String,
}

pub(super) async fn change_due(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    Form(f): Form<DueForm>,
) -> Result<Response, PageError> {
    user.require_csrf(f.csrf.as_deref())?;
    let enterprise_id = findings::enterprise_of(state.store(), &id).await?;
    let e = safeduty_store::org::enterprise_by_id(state.store(), enterprise_id).await?;
    let e = enterprise_for(&state, &user, &e.public_id, Action::ChangeFindingDueDate).await?;
    let due: NaiveDate = f.due_on.parse().map_err(|_| {
        AppError::BadRequest(format!(
            "整改期限“{}”不是有效日期（应为YYYY-MM-DD）",
            f.due_on
        ))
    })?;
    findings::change_due(state.store(), &user.who(), &id, due).await?;
    Ok(Redirect::to(&format!("/enterprises/{}", e.public_id)).into_response())
}
