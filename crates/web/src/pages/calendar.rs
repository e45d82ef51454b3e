//! The committee office loads a new year's holiday arrangement: paste the State Council notice,
//! review the days it read, save ([`safeduty_app::calendar`]). A notice that cannot be read
//! completely is refused with every reason and nothing is saved; a year already known is replaced
//! only when it differs.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use safeduty_core::calendar::ArrangementDiff;
use safeduty_core::policy::Action;
use safeduty_plan::notice::{Notice, parse_notice};
use safeduty_store::calendar::SaveOutcome;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::document_form::DocumentForm;
use crate::error::{AppError, PageError};
use crate::extract::LaterForm;
use crate::guard::PageUser;

/// Longest notice accepted, in characters (a notice is about 1,500).
const MAX_CHARS: usize = 50_000;

struct YearRow {
    year: i32,
    source: String,
    days_off: usize,
    make_up: usize,
}

struct Preview {
    year: i32,
    document_number: Option<String>,
    dated: Option<NaiveDate>,
    /// Holiday, days off, make-up days.
    holidays: Vec<(String, String, String)>,
    change: String,
    can_save: bool,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    chrome: Option<Chrome>,
    csrf: String,
    years: Vec<YearRow>,
    problems: Vec<String>,
    preview: Option<Preview>,
    notice: Option<String>,
    text: String,
}

fn dates(days: &[NaiveDate]) -> String {
    if days.is_empty() {
        return "—".into();
    }
    days.iter()
        .map(|d| d.format("%m-%d").to_string())
        .collect::<Vec<_>>()
        .join("、")
}

fn describe(diff: &ArrangementDiff) -> String {
    let list = |v: &[NaiveDate]| {
        v.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut parts = Vec::new();
    for (label, v) in [
        ("新增放假", &diff.days_off_added),
        ("取消放假", &diff.days_off_removed),
        ("新增调休上班", &diff.make_up_added),
        ("取消调休上班", &diff.make_up_removed),
    ] {
        if !v.is_empty() {
            parts.push(format!("{label}：{}", list(v)));
        }
    }
    parts.join("；")
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    text: String,
    problems: Vec<String>,
    preview: Option<Preview>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let loaded = safeduty_app::calendar::loaded(state.store(), &user.caller()).await?;
    let calendar = state.calendar().await?;
    let years = calendar
        .years()
        .filter_map(|y| {
            let a = calendar.year(y)?;
            let source = match loaded.iter().find(|l| l.year == y) {
                Some(l) => format!(
                    "载入：{}{}（{}）",
                    l.identity.document_number.clone().unwrap_or_default(),
                    l.identity
                        .dated
                        .map(|d| format!(" {d}"))
                        .unwrap_or_default(),
                    l.identity.source
                ),
                None => "随软件发布（国务院办公厅通知）".into(),
            };
            Some(YearRow {
                year: y,
                source,
                days_off: a.days_off.len(),
                make_up: a.make_up_days.len(),
            })
        })
        .collect();
    Ok(render(&CalendarPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        years,
        problems,
        preview,
        notice,
        text,
    }))
}

pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(page(&state, &user, String::new(), Vec::new(), None, None).await?)
}

/// Largest notice file accepted, in bytes.
pub(super) const MAX_UPLOAD: usize = 2 * 1024 * 1024;

#[derive(Debug, serde::Deserialize)]
pub(super) struct CalendarForm {
    action: String,
    text: String,
}

/// `POST /calendar/upload`: the notice as a file (text in UTF-8/GBK/UTF-16, .docx or a PDF with a
/// text layer), read like the plan importer reads documents, then previewed as if pasted.
pub(super) async fn upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let DocumentForm { file } = DocumentForm::read(multipart, "notice.txt", MAX_UPLOAD).await?;
    // Asked before the file is read.
    safeduty_app::guard::require(state.store(), &user.caller(), Action::ManageCalendar, None)
        .await?;
    let (name, bytes) = match file {
        Some((name, bytes)) if !bytes.is_empty() => (name, bytes),
        missing => {
            let message = super::empty_file_message(missing.map(|(n, _)| n), "请选择通知文件");
            return Err(AppError::BadRequest(message).into());
        }
    };
    let text = safeduty_plan::read_document(&bytes, &name)
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    post_form(
        state,
        user.clone(),
        CalendarForm {
            action: "preview".into(),
            text,
        },
    )
    .await
}

/// The preview of `n`, which saving would do `change` ([`safeduty_app::calendar::preview`]).
fn preview_of(n: &Notice, change: &SaveOutcome) -> Preview {
    let can_save = *change != SaveOutcome::Unchanged;
    let change = match change {
        SaveOutcome::Added => format!(
            "{}年安排尚未载入，保存后涉及{}年的期限按此计算。",
            n.year, n.year
        ),
        SaveOutcome::Unchanged => format!("与已有的{}年安排完全相同，无需保存。", n.year),
        SaveOutcome::Replaced(diff) => format!(
            "与已有的{}年安排不同，保存后将替换：{}。",
            n.year,
            describe(diff)
        ),
    };
    Preview {
        year: n.year,
        document_number: n.document_number.clone(),
        dated: n.dated,
        holidays: n
            .holidays
            .iter()
            .map(|h| (h.name.clone(), dates(&h.days_off), dates(&h.make_up_days)))
            .collect(),
        can_save,
        change,
    }
}

pub(super) async fn post(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    f: LaterForm<CalendarForm>,
) -> Result<Response, PageError> {
    // Authorization first, then validation (issue #16 point 4).
    safeduty_app::guard::require(state.store(), &user.caller(), Action::ManageCalendar, None)
        .await?;
    post_form(state, user, f.take()?).await
}

/// Previews or saves the arrangement of `f` (the caller is authorized).
async fn post_form(
    state: AppState,
    user: CurrentUser,
    f: CalendarForm,
) -> Result<Response, PageError> {
    if f.text.chars().count() > MAX_CHARS {
        return Err(AppError::BadRequest(format!("通知文本过长（超过{MAX_CHARS}字）")).into());
    }
    let notice = match parse_notice(&f.text) {
        Ok(n) => n,
        Err(e) => {
            let problems = e.problems().iter().map(|p| p.message.clone()).collect();
            let mut res = page(&state, &user, f.text, problems, None, None).await?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
    };
    match f.action.as_str() {
        "preview" => {
            let calendar = state.calendar().await?;
            let change =
                safeduty_app::calendar::preview(state.store(), &user.caller(), &notice, &calendar)
                    .await?;
            let preview = preview_of(&notice, &change);
            Ok(page(&state, &user, f.text, Vec::new(), Some(preview), None).await?)
        }
        "save" => {
            let outcome =
                safeduty_app::calendar::save(state.store(), &user.caller(), &notice).await?;
            state.refresh_calendar().await?;
            let message = match outcome {
                SaveOutcome::Added => format!("已保存{}年安排。", notice.year),
                SaveOutcome::Unchanged => format!("{}年安排与已有的相同，未修改。", notice.year),
                SaveOutcome::Replaced(diff) => {
                    format!("已替换{}年安排：{}。", notice.year, describe(&diff))
                }
            };
            Ok(page(
                &state,
                &user,
                String::new(),
                Vec::new(),
                None,
                Some(message),
            )
            .await?)
        }
        _ => Err(AppError::BadRequest("未知的操作".into()).into()),
    }
}
