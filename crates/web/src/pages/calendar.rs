//! The committee office loads a new year's holiday arrangement: paste the State Council notice,
//! review the days it read, save. A notice that cannot be read completely is refused with every
//! reason and nothing is saved; a year already known is replaced only when it differs.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use safeduty_core::calendar::{ArrangementDiff, Calendar};
use safeduty_core::policy::Action;
use safeduty_plan::notice::{Notice, parse_notice};
use safeduty_store::calendar::{NoticeIdentity, SaveOutcome, loaded_years, save_year};

use super::{Chrome, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::document_form::DocumentForm;
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::{PageUser, require};

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
    let calendar = state.calendar().await?;
    let loaded = loaded_years(state.store()).await?;
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
    require(&state, &user, Action::ManageCalendar, None).await?;
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
    require(&state, &user, Action::ManageCalendar, None).await?;
    let (name, bytes) = match file {
        Some((name, bytes)) if !bytes.is_empty() => (name, bytes),
        missing => {
            let message = super::empty_file_message(missing.map(|(n, _)| n), "请选择通知文件");
            return Err(AppError::BadRequest(message).into());
        }
    };
    let text = safeduty_plan::read_document(&bytes, &name)
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    post(
        State(state),
        PageUser(user.clone()),
        PageForm(CalendarForm {
            action: "preview".into(),
            text,
        }),
    )
    .await
}

fn preview_of(n: &Notice, calendar: &Calendar) -> Preview {
    let change = match calendar.year(n.year) {
        None => format!(
            "{}年安排尚未载入，保存后涉及{}年的期限按此计算。",
            n.year, n.year
        ),
        Some(old) => {
            let diff = old.diff(&n.arrangement);
            if diff.is_empty() {
                format!("与已有的{}年安排完全相同，无需保存。", n.year)
            } else {
                format!(
                    "与已有的{}年安排不同，保存后将替换：{}。",
                    n.year,
                    describe(&diff)
                )
            }
        }
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
        can_save: calendar
            .year(n.year)
            .is_none_or(|old| !old.diff(&n.arrangement).is_empty()),
        change,
    }
}

pub(super) async fn post(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageForm(f): PageForm<CalendarForm>,
) -> Result<Response, PageError> {
    require(&state, &user, Action::ManageCalendar, None).await?;
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
    let calendar = state.calendar().await?;
    match f.action.as_str() {
        "preview" => {
            let preview = preview_of(&notice, &calendar);
            Ok(page(&state, &user, f.text, Vec::new(), Some(preview), None).await?)
        }
        "save" => {
            let identity = NoticeIdentity {
                document_number: notice.document_number.clone(),
                dated: notice.dated,
                source: format!("{}于网页载入", user.user.display_name),
            };
            let outcome = save_year(
                state.store(),
                &user.who(),
                notice.year,
                &notice.arrangement,
                &identity,
            )
            .await?;
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
