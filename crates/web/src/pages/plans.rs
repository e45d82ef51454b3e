//! Plan review (issue #3, item 5): the committee office uploads a plan document, sees the source
//! text beside what the importer read (each element linked to its lines), corrects titles,
//! items, dates and deadlines, resolves the open questions, saves the result as a template and
//! starts a campaign from it. Who may do what, and the rules, are [`safeduty_app::plans`]'s; a
//! refused step shows the review page again with the reasons, status 422, nothing stored.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use safeduty_app::plans::{Edit, MAX_UPLOAD, Saved, current};
use safeduty_core::policy::Action;
use safeduty_core::template::{DueRule, Lines, ReviewEdit};
use safeduty_plan::review::{duplicate_item_numbers, not_ready};
use safeduty_store::audit::Event;
use safeduty_store::plan_drafts::{Draft, DraftStatus};

use super::{Chrome, empty_file_message, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::document_form::DocumentForm;
use crate::download::{Audit, Download};
use crate::error::{AppError, PageError};
use crate::extract::LaterForm;
use crate::guard::PageUser;

struct DraftRow {
    id: String,
    file_name: String,
    title: String,
    status: &'static str,
    created_at: String,
}

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    chrome: Option<Chrome>,
    csrf: String,
    drafts: Vec<DraftRow>,
    problems: Vec<String>,
    max_mb: usize,
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    problems: Vec<String>,
) -> Result<Response, AppError> {
    let drafts = safeduty_app::plans::drafts(state.store(), &user.caller())
        .await?
        .into_iter()
        .map(|d| DraftRow {
            title: current(&d).map(|t| t.plan.title).unwrap_or_default(),
            id: d.public_id,
            file_name: d.file_name,
            status: d.status.label(),
            created_at: d.created_at.chars().take(10).collect(),
        })
        .collect();
    Ok(render(&PlansPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        drafts,
        problems,
        max_mb: MAX_UPLOAD / (1024 * 1024),
    }))
}

/// `GET /plans`: the drafts of the office's region and the upload form.
pub(super) async fn index(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(list_page(&state, &user, Vec::new()).await?)
}

/// `POST /plans` (multipart: `csrf`, `file`): imports the file into a new draft and shows it.
/// A file that cannot be read is answered 422 with the reader's message; nothing is stored.
pub(super) async fn upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let DocumentForm { file } = DocumentForm::read(multipart, "plan.txt", MAX_UPLOAD).await?;
    let refuse = |message: String| async {
        let mut res = list_page(&state, &user, vec![message]).await?;
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        Ok::<_, AppError>(res)
    };
    let (name, bytes) = match file {
        Some((name, bytes)) if !bytes.is_empty() => (name, bytes),
        missing => {
            let message = empty_file_message(missing.map(|(name, _)| name), "请选择方案文件");
            return Ok(refuse(message).await?);
        }
    };
    match safeduty_app::plans::import(state.store(), &user.caller(), &name, &bytes).await {
        Ok(id) => Ok(Redirect::to(&format!("/plans/{id}")).into_response()),
        Err(safeduty_app::Error::Refused(r)) => Ok(refuse(r.to_string()).await?),
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// One editable field of the structure, with the source lines it came from.
struct Field {
    /// Review-edit path.
    path: String,
    /// What it is, e.g. 事项 3.
    label: String,
    /// Current value.
    value: String,
    /// Source lines as an anchor (`L12`) and a readable range (`第12行`).
    anchor: String,
    at: String,
    /// Nesting depth, for indentation.
    depth: usize,
}

fn field(path: String, label: String, value: String, lines: Option<Lines>, depth: usize) -> Field {
    let (anchor, at) = match lines {
        Some(Lines(a, b)) if a == b => (format!("L{a}"), format!("第{a}行")),
        Some(Lines(a, b)) => (format!("L{a}"), format!("第{a}–{b}行")),
        None => (String::new(), String::new()),
    };
    Field {
        path,
        label,
        value,
        anchor,
        at,
        depth,
    }
}

fn area_fields(
    areas: &[safeduty_core::template::DutyArea],
    prefix: &str,
    depth: usize,
    out: &mut Vec<Field>,
) {
    for a in areas {
        let p = format!("{prefix}areas.{}", a.label);
        out.push(field(
            format!("{p}.title"),
            format!("方面（{}）", a.label),
            a.title.clone(),
            a.lines,
            depth,
        ));
        for it in &a.items {
            out.push(field(
                format!("{p}.items.{}.text", it.number),
                format!("事项 {}", it.number),
                it.text.clone(),
                it.lines,
                depth + 1,
            ));
        }
        area_fields(&a.areas, &format!("{p}."), depth + 1, out);
    }
}

struct QuestionRow {
    index: usize,
    kind: &'static str,
    anchor: String,
    line: u32,
    message: String,
    resolved: bool,
    note: String,
}

struct DeadlineRow {
    index: usize,
    name: String,
    rule: String,
    due: String,
    /// `date` or `days`: which value the form edits (empty: not editable here).
    edit_kind: &'static str,
    /// Its current value.
    edit_value: String,
    anchor: String,
    at: String,
}

struct PhaseRow {
    ordinal: u32,
    name: String,
    window: String,
    start: String,
    end: String,
    anchor: String,
    at: String,
    /// The open questions about this phase's dates.
    questions: Vec<String>,
}

/// The campaign window as the plan states it (or as the reviewer gave it).
struct WindowView {
    /// As written; empty when the plan stated none.
    text: String,
    start: String,
    end: String,
    anchor: String,
    at: String,
    /// The open questions of its line.
    questions: Vec<String>,
}

#[derive(Template)]
#[template(path = "plan_review.html")]
struct ReviewPage {
    chrome: Option<Chrome>,
    csrf: String,
    id: String,
    file_name: String,
    status: &'static str,
    editable: bool,
    saved: bool,
    campaign: Option<String>,
    seen: usize,
    problems: Vec<String>,
    summary: String,
    issue_date: String,
    /// A web page's publication date, when it differs from the signed date.
    published: String,
    window: WindowView,
    source: Vec<(u32, String)>,
    fields: Vec<Field>,
    phases: Vec<PhaseRow>,
    deadlines: Vec<DeadlineRow>,
    questions: Vec<QuestionRow>,
    open_questions: usize,
    not_ready: Vec<String>,
    /// Two items share a number: the page offers renumbering.
    duplicate_numbers: bool,
    campaign_name: String,
    edits: Vec<ReviewEdit>,
}

fn anchor_at(lines: Option<Lines>) -> (String, String) {
    let f = field(String::new(), String::new(), String::new(), lines, 0);
    (f.anchor, f.at)
}

fn rule_text(rule: &DueRule) -> String {
    use safeduty_core::template::{Anchor, Period};
    let anchor = |a: &Anchor| match a {
        Anchor::PhaseEnd { phase } => format!("“{phase}”阶段结束后"),
        Anchor::YearEnd => "年度结束后".to_string(),
        Anchor::Date { date } => format!("{date}后"),
    };
    match rule {
        DueRule::OnOrBefore { date } => format!("{date}前"),
        DueRule::WorkingDaysAfter { days, anchor: a } => format!("{}{days}个工作日内", anchor(a)),
        DueRule::CalendarDaysAfter { days, anchor: a } => format!("{}{days}日内", anchor(a)),
        DueRule::Recurring { every, day } => {
            let p = match every {
                Period::Month => "每月",
                Period::Quarter => "每季度",
                Period::HalfYear => "每半年",
                Period::Year => "每年",
            };
            match day {
                Some(d) => format!("{p}（首月{d}日前）"),
                None => format!("{p}（期末前）"),
            }
        }
    }
}

async fn review_page(
    state: &AppState,
    user: &CurrentUser,
    d: &Draft,
    problems: Vec<String>,
) -> Result<Response, AppError> {
    let t = current(d)?;
    let mut fields = vec![field(
        "plan.title".into(),
        "方案标题".into(),
        t.plan.title.clone(),
        None,
        0,
    )];
    for (i, name) in t.target_industries.iter().enumerate() {
        fields.push(field(
            format!("target_industries.{i}"),
            format!("重点行业 {}", i + 1),
            name.clone(),
            None,
            0,
        ));
    }
    area_fields(&t.areas, "", 0, &mut fields);
    for it in &t.items {
        fields.push(field(
            format!("items.{}.text", it.number),
            format!("事项 {}", it.number),
            it.text.clone(),
            it.lines,
            0,
        ));
    }
    for p in &t.phases {
        fields.push(field(
            format!("phases.{}.name", p.ordinal),
            format!("第{}阶段名称", p.ordinal),
            p.name.clone(),
            p.lines,
            0,
        ));
    }
    for m in &t.measures {
        fields.push(field(
            format!("measures.{}.name", m.number),
            format!("措施 {}", m.number),
            m.name.clone(),
            m.lines,
            0,
        ));
    }
    let show = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let open_on = |line: Option<Lines>,
                   about: &dyn Fn(&safeduty_core::template::Question) -> bool| {
        t.questions
            .iter()
            .filter(|q| {
                !q.resolved
                    && q.kind == safeduty_core::template::QuestionKind::Date
                    && line.is_some_and(|l| l.0 == q.line)
                    && about(q)
            })
            .map(|q| q.message.clone())
            .collect::<Vec<_>>()
    };
    let phases = t
        .phases
        .iter()
        .map(|p| {
            let (anchor, at) = anchor_at(p.lines);
            let name = format!("“{}”", p.name);
            PhaseRow {
                ordinal: p.ordinal,
                name: p.name.clone(),
                window: p.window_text.clone(),
                start: show(p.start),
                end: show(p.end),
                anchor,
                at,
                questions: open_on(p.lines, &|q| q.message.contains(&name)),
            }
        })
        .collect();
    let window = match &t.window {
        Some(w) => {
            let (anchor, at) = anchor_at(w.lines);
            WindowView {
                text: w.text.clone(),
                start: show(w.start),
                end: show(w.end),
                anchor,
                at,
                questions: open_on(w.lines, &|q| q.message.contains("专项治理时间")),
            }
        }
        None => WindowView {
            text: String::new(),
            start: String::new(),
            end: String::new(),
            anchor: String::new(),
            at: String::new(),
            questions: Vec::new(),
        },
    };
    let deadlines = t
        .obligations
        .iter()
        .enumerate()
        .map(|(index, o)| {
            let (anchor, at) = anchor_at(o.lines);
            DeadlineRow {
                index,
                name: o.name.clone(),
                rule: rule_text(&o.due),
                due: show(o.due_date),
                edit_kind: match &o.due {
                    DueRule::OnOrBefore { .. } => "date",
                    DueRule::WorkingDaysAfter { .. } | DueRule::CalendarDaysAfter { .. } => "days",
                    DueRule::Recurring { .. } => "",
                },
                edit_value: match &o.due {
                    DueRule::OnOrBefore { date } => date.to_string(),
                    DueRule::WorkingDaysAfter { days, .. }
                    | DueRule::CalendarDaysAfter { days, .. } => days.to_string(),
                    DueRule::Recurring { .. } => String::new(),
                },
                anchor,
                at,
            }
        })
        .collect();
    let questions: Vec<QuestionRow> = t
        .questions
        .iter()
        .enumerate()
        .map(|(index, q)| QuestionRow {
            index,
            kind: match q.kind {
                safeduty_core::template::QuestionKind::Garbled => "乱码",
                safeduty_core::template::QuestionKind::Wording => "用词",
                safeduty_core::template::QuestionKind::Date => "日期",
                safeduty_core::template::QuestionKind::Structure => "结构",
                safeduty_core::template::QuestionKind::Truncated => "不完整",
            },
            anchor: format!("L{}", q.line),
            line: q.line,
            message: q.message.clone(),
            resolved: q.resolved,
            note: t
                .review_edits
                .iter()
                .rev()
                .find(|e| e.field == format!("questions.{index}"))
                .map(|e| e.note.clone())
                .unwrap_or_default(),
        })
        .collect();
    let open_questions = questions.iter().filter(|q| !q.resolved).count();
    let source = d
        .source_text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (u32::try_from(i + 1).unwrap_or(u32::MAX), l.to_string()))
        .collect();
    let campaign_name = match t.plan.year() {
        Some(y) if !t.plan.title.is_empty() => format!("{y}年{}", t.plan.title),
        _ => t.plan.title.clone(),
    };
    Ok(render(&ReviewPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        id: d.public_id.clone(),
        file_name: d.file_name.clone(),
        status: d.status.label(),
        editable: d.status == DraftStatus::Draft,
        saved: d.status == DraftStatus::Saved,
        campaign: d.campaign.clone(),
        seen: d.edits.len(),
        problems,
        summary: safeduty_plan::summary(&t),
        issue_date: show(t.plan.issue_date),
        published: t
            .plan
            .published
            .filter(|p| t.plan.issue_date != Some(*p))
            .map(|p| p.to_string())
            .unwrap_or_default(),
        window,
        source,
        fields,
        phases,
        deadlines,
        questions,
        open_questions,
        not_ready: not_ready(&t),
        duplicate_numbers: duplicate_item_numbers(&t),
        campaign_name,
        edits: t.review_edits.clone(),
    }))
}

/// The review page of the draft `id` with `problems`, status 422: a step was refused, nothing
/// stored.
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    problems: Vec<String>,
) -> Result<Response, PageError> {
    let d =
        safeduty_app::plans::draft(state.store(), &user.caller(), id, Action::ReviewPlan).await?;
    let mut res = review_page(state, user, &d, problems).await?;
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}

/// Answers a step on the draft `id`: back to the review page once done; the page with the
/// refusal's message (422) when the domain refused it.
async fn after_step<T>(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    done: Result<T, safeduty_app::Error>,
    to: &str,
) -> Result<Response, PageError> {
    match done {
        Ok(_) => Ok(Redirect::to(to).into_response()),
        Err(safeduty_app::Error::Refused(r)) => refused(state, user, id, vec![r.to_string()]).await,
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// `GET /plans/{id}`: the review page.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let d =
        safeduty_app::plans::draft(state.store(), &user.caller(), &id, Action::ReviewPlan).await?;
    Ok(review_page(&state, &user, &d, Vec::new()).await?)
}

/// An edit or a question's resolution, posted from the review page.
#[derive(Debug, serde::Deserialize)]
pub(super) struct EditForm {
    /// Number of edits the page showed (stale-page check).
    seen: usize,
    /// Review-edit path, e.g. `areas.一.items.3.text`, `phases.2.end`, `questions.4`.
    field: String,
    #[serde(default)]
    before: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    note: String,
}

/// `POST /plans/{id}/edit`: applies one review edit (all-or-nothing), or resolves a question
/// (`field = questions.<i>`, a note required).
pub(super) async fn edit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    f: LaterForm<EditForm>,
) -> Result<Response, PageError> {
    // Authorization first, then validation (issue #16 point 4).
    safeduty_app::plans::draft(state.store(), &user.caller(), &id, Action::ReviewPlan).await?;
    let f = f.take()?;
    let edit = Edit {
        seen: f.seen,
        field: f.field,
        before: f.before,
        after: f.after,
        note: f.note,
    };
    let done = safeduty_app::plans::edit(state.store(), &user.caller(), &id, edit).await;
    after_step(&state, &user, &id, done, &format!("/plans/{id}")).await
}

/// `POST /plans/{id}/save`: saves the reviewed template when nothing blocks it (see
/// [`not_ready`]); otherwise 422 with the reasons.
pub(super) async fn save(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    match safeduty_app::plans::save(state.store(), &user.caller(), &id).await? {
        Saved::Done => Ok(Redirect::to(&format!("/plans/{id}")).into_response()),
        Saved::NotReady(reasons) => refused(&state, &user, &id, reasons).await,
    }
}

/// `GET /plans/{id}/template.toml`: the saved template as a file (the format of
/// `docs/campaign-template.md`).
pub(super) async fn download(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let t = safeduty_app::plans::saved_template(state.store(), &user.caller(), &id).await?;
    Ok(Download::new(
        safeduty_plan::to_toml(&t).into_bytes(),
        "application/toml; charset=utf-8",
        "template.toml",
    )
    .send(
        &state,
        &user,
        Audit::Record {
            event: Event::FileDownloaded,
            target_kind: safeduty_store::audit::Object::PlanDraft.into(),
            target_id: id,
            detail: serde_json::json!({"document": "campaign_template_toml"}),
        },
    )
    .await?)
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct StartForm {
    name: String,
}

/// `POST /plans/{id}/start`: starts a campaign in the office's region from the saved template
/// (the year is the signed date's); the campaign page then shows it.
pub(super) async fn start(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    f: LaterForm<StartForm>,
) -> Result<Response, PageError> {
    // Authorization first, then validation (issue #16 point 4).
    safeduty_app::plans::draft(state.store(), &user.caller(), &id, Action::StartCampaign).await?;
    let f = f.take()?;
    let done = safeduty_app::plans::start(state.store(), &user.caller(), &id, &f.name).await;
    after_step(&state, &user, &id, done, "/campaign").await
}
