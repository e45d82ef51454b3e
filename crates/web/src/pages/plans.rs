//! Plan review (issue #3, item 5): the committee office uploads a plan document, sees the source
//! text beside what the importer read (each element linked to its lines), corrects titles,
//! items, dates and deadlines, resolves the open questions, saves the result as a template and
//! starts a campaign from it.
//!
//! Every route asks the policy ([`Action::ReviewPlan`], [`Action::StartCampaign`]: only the
//! committee office). A draft belongs to the region of the office that uploaded it and is
//! decided on that region (`authorize_in_region`): outside the actor's scope 404, inside it
//! but not the committee office 403. A template can be saved only when every question is resolved
//! (with a note), the signed date is known and item numbers are distinct
//! ([`safeduty_plan::review::not_ready`]); a campaign starts only from a saved template.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use safeduty_core::policy::{Action, Scope};
use safeduty_core::template::{CampaignTemplate, DueRule, Lines, ReviewEdit};
use safeduty_plan::review::{ReviewError, duplicate_item_numbers, not_ready};
use safeduty_store::audit::Event;
use safeduty_store::plan_drafts::{self, Draft, DraftStatus};

use super::{Chrome, empty_file_message, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::document_form::DocumentForm;
use crate::download::{Audit, Download};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::{PageUser, require, require_in_region};

/// Largest plan file accepted, in bytes (a plan is tens of kilobytes; a scanned-and-OCRed PDF a
/// few megabytes). The reader's own bounds (`safeduty_plan::input`) apply after this.
pub(super) const MAX_UPLOAD: usize = 16 * 1024 * 1024;

/// The office's region path: drafts belong to it. Fails closed for any other scope.
fn office_path(user: &CurrentUser) -> Result<&str, AppError> {
    match &user.user.scope {
        Scope::RegionSubtree { region_path } => Ok(region_path),
        _ => Err(AppError::NotFound),
    }
}

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
    let drafts = plan_drafts::list(state.store(), office_path(user)?)
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
    require(&state, &user, Action::ReviewPlan, None).await?;
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
    require(&state, &user, Action::ReviewPlan, None).await?;
    let path = office_path(&user)?.to_string();
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
    if bytes.len() > MAX_UPLOAD {
        return Ok(refuse(format!("文件超过 {} MB", MAX_UPLOAD / (1024 * 1024))).await?);
    }
    let text = match safeduty_plan::read_document(&bytes, &name) {
        Ok(t) => t,
        Err(e) => return Ok(refuse(format!("{name}：{e}")).await?),
    };
    let import = safeduty_plan::import(&text, Some(&name));
    let region_id = plan_drafts::region_id(state.store(), &path).await?;
    let mut tx = state.store().write().await.map_err(AppError::from)?;
    let id = plan_drafts::create(
        &mut tx,
        &user.who(),
        region_id,
        user.user.id,
        &name,
        &import.normalized,
        &import.template,
    )
    .await?;
    tx.commit()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Redirect::to(&format!("/plans/{id}")).into_response())
}

/// The draft's current template: what was read, with every edit applied in order.
fn current(d: &Draft) -> Result<CampaignTemplate, ReviewError> {
    if let Some(t) = &d.template {
        return Ok(t.clone());
    }
    let mut t = d.extracted.clone();
    safeduty_plan::apply_review_edits(&mut t, &d.edits)?;
    Ok(t)
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
    let t = current(d).map_err(|e| AppError::Internal(format!("stored edits: {e}")))?;
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
    let phases = t
        .phases
        .iter()
        .map(|p| {
            let (anchor, at) = anchor_at(p.lines);
            PhaseRow {
                ordinal: p.ordinal,
                name: p.name.clone(),
                window: p.window_text.clone(),
                start: show(p.start),
                end: show(p.end),
                anchor,
                at,
            }
        })
        .collect();
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

/// The draft `id` once the policy allows `action` on its region.
async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    action: Action,
) -> Result<Draft, AppError> {
    if !safeduty_store::is_public_id(id) {
        return Err(AppError::NotFound);
    }
    let d = plan_drafts::get(state.store(), id).await?;
    require_in_region(state, user, action, &d.region_path).await?;
    Ok(d)
}

/// `GET /plans/{id}`: the review page.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let d = load(&state, &user, &id, Action::ReviewPlan).await?;
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
/// (`field = questions.<i>`, a note required). A refused edit re-renders the page with the
/// reason, status 422, nothing stored.
pub(super) async fn edit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<EditForm>,
) -> Result<Response, PageError> {
    let d = load(&state, &user, &id, Action::ReviewPlan).await?;
    let resolving = f.field.starts_with("questions.");
    let renumbering = f.field == "renumber_items";
    let refuse = |message: String| async {
        let mut res = review_page(&state, &user, &d, vec![message]).await?;
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        Ok::<_, AppError>(res)
    };
    if d.status != DraftStatus::Draft {
        return Ok(refuse("已保存为模板，不能再修改".into()).await?);
    }
    let note = f.note.trim().to_string();
    if resolving && note.is_empty() {
        return Ok(refuse("请填写处理说明（如何确认或更正）".into()).await?);
    }
    if !resolving
        && !renumbering
        && f.after.trim().is_empty()
        && !f.field.ends_with("start")
        && !f.field.ends_with("end")
        && f.field != "plan.issue_date"
    {
        return Ok(refuse("修改后的内容不能为空".into()).await?);
    }
    if f.after.chars().count() > 2000 || note.chars().count() > 500 {
        return Ok(refuse("内容过长（修改不超过2000字，说明不超过500字）".into()).await?);
    }
    let mut t = current(&d).map_err(|e| AppError::Internal(format!("stored edits: {e}")))?;
    let edit = ReviewEdit {
        line: None,
        field: f.field.clone(),
        before: if resolving {
            String::new()
        } else {
            f.before.clone()
        },
        after: if resolving {
            "已处理".into()
        } else {
            f.after.trim().to_string()
        },
        note,
    };
    if let Err(e) = safeduty_plan::apply_review_edits(&mut t, std::slice::from_ref(&edit)) {
        let message = match e {
            ReviewError::UnknownField { .. } => format!("没有可修改的“{}”", f.field),
            ReviewError::BeforeNotFound { .. } => "内容已变化，请刷新页面后再修改".to_string(),
            ReviewError::BadValue {
                expected, value, ..
            } => {
                format!("“{value}”无效，应填写{expected}")
            }
            ReviewError::Ambiguous { .. } => "该编号对应多个事项，请在所属方面下修改".to_string(),
        };
        return Ok(refuse(message).await?);
    }
    let mut tx = state.store().write().await.map_err(AppError::from)?;
    plan_drafts::add_edits(&mut tx, &user.who(), &d, f.seen, &[edit]).await?;
    tx.commit()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Redirect::to(&format!("/plans/{id}")).into_response())
}

/// `POST /plans/{id}/save`: saves the reviewed template when nothing blocks it (see
/// [`not_ready`]); otherwise 422 with the reasons.
pub(super) async fn save(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let d = load(&state, &user, &id, Action::ReviewPlan).await?;
    let t = current(&d).map_err(|e| AppError::Internal(format!("stored edits: {e}")))?;
    let reasons = not_ready(&t);
    if !reasons.is_empty() || d.status != DraftStatus::Draft {
        let reasons = if reasons.is_empty() {
            vec!["已保存为模板".to_string()]
        } else {
            reasons
        };
        let mut res = review_page(&state, &user, &d, reasons).await?;
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    let mut tx = state.store().write().await.map_err(AppError::from)?;
    plan_drafts::save_template(&mut tx, &user.who(), &d, &t).await?;
    tx.commit()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Redirect::to(&format!("/plans/{id}")).into_response())
}

/// `GET /plans/{id}/template.toml`: the saved template as a file (the format of
/// `docs/campaign-template.md`).
pub(super) async fn download(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let d = load(&state, &user, &id, Action::ReviewPlan).await?;
    let t = d
        .template
        .as_ref()
        .ok_or_else(|| AppError::Conflict("尚未保存为模板".into()))?;
    Ok(Download::new(
        safeduty_plan::to_toml(t).into_bytes(),
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
    PageForm(f): PageForm<StartForm>,
) -> Result<Response, PageError> {
    let d = load(&state, &user, &id, Action::StartCampaign).await?;
    let name = f.name.trim();
    let refuse = |message: String| async {
        let mut res = review_page(&state, &user, &d, vec![message]).await?;
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        Ok::<_, AppError>(res)
    };
    if name.is_empty() || name.chars().count() > 100 {
        return Ok(refuse("请填写专项治理名称（不超过100字）".into()).await?);
    }
    let Some(year) = d.template.as_ref().and_then(|t| t.plan.year()) else {
        return Ok(refuse("请先保存为模板，再启动专项治理".into()).await?);
    };
    let mut tx = state.store().write().await.map_err(AppError::from)?;
    let started = plan_drafts::start_campaign(&mut tx, &user.who(), &d, name, year).await;
    let campaign = match started {
        Ok(c) => c,
        Err(safeduty_store::StoreError::Conflict(m)) => return Ok(refuse(m).await?),
        Err(e) => return Err(AppError::from(e).into()),
    };
    tx.commit()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    tracing::info!(campaign = %campaign.public_id, "campaign started from a reviewed plan");
    Ok(Redirect::to("/campaign").into_response())
}
