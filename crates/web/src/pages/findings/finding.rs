//! One finding's page: its ledger fields, timeline, evidence and the forms of the steps the
//! caller may take; the steps themselves are the use case's ([`safeduty_app::findings::transition`]).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_core::finding::ledger::{Category, Details, FiveImplementations, Grade, format_yuan};
use safeduty_core::finding::lifecycle::{RefusalKind, Request, action_label, offered};
use safeduty_core::policy::Action;
use safeduty_store::StoreError;
use safeduty_store::findings::Finding;
use safeduty_store::findings::flow::HistoryRow;
use serde::Deserialize;

use super::super::{Chrome, render};
use super::{finding_for, unknown_item_is_bad_request};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::extract::LaterForm;
use crate::guard::PageUser;
use crate::input::findings::Step;
use crate::pages::evidence::FileView;
use crate::upload::UploadForm;

/// A step's form as shown on the finding page.
struct Forms {
    accept_plan: bool,
    start_rectifying: bool,
    temporary_measures: bool,
    submit: bool,
    verify: bool,
    ret: bool,
    start_rework: bool,
    request_extension: bool,
    decide_extension: bool,
    change_due: bool,
    edit: bool,
    evidence: bool,
}

#[derive(Template)]
#[template(path = "finding.html")]
struct FindingPage {
    chrome: Option<Chrome>,
    csrf: String,
    token: String,
    f: Finding,
    overdue: bool,
    funds: String,
    timeline: Vec<TimelineRow>,
    evidence: Vec<FileView>,
    forms: Forms,
    notice: Option<String>,
    campaign_end: Option<NaiveDate>,
    items: Vec<(u32, String)>,
    grades: Vec<Grade>,
    categories: &'static [Category],
}

/// One row of the timeline as shown: Beijing time, who in words, what in words.
pub(crate) struct TimelineRow {
    /// `YYYY-MM-DD HH:MM:SS`, Asia/Shanghai.
    at: String,
    /// The person's name, or the role (系统, 演示数据, …) of a row the system wrote.
    who: String,
    /// The person's role in words (empty when `who` is the role).
    role: String,
    /// The step (`action_label`).
    label: &'static str,
    /// `（from → to）` when the status moved, `（to）` for the opening, empty otherwise.
    moved: String,
    /// What changed of the time limit or the ledger fields, in words, if it did.
    detail: String,
    /// The reason given.
    reason: String,
}

impl TimelineRow {
    fn new(h: HistoryRow, clock: &crate::Clock) -> TimelineRow {
        let role = crate::audit_trail::role_label(&h.actor_role);
        let moved = match h.from {
            None => format!("（{}）", h.to.label()),
            Some(from) if from != h.to => format!("（{} → {}）", from.label(), h.to.label()),
            Some(_) => String::new(),
        };
        let date = |key: &str| h.payload[key].as_str().unwrap_or("").to_string();
        let detail = match h.action.as_str() {
            "request_extension" => format!("申请延期至{}（原期限{}）", date("due_on"), date("was")),
            "approve_extension" | Request::CHANGE_DUE => {
                format!("整改期限{} → {}", date("was"), date("due_on"))
            }
            "edit" => edit_detail(&h.payload),
            _ => String::new(),
        };
        TimelineRow {
            at: clock.shown_time(&h.at),
            who: h.actor.clone().unwrap_or_else(|| role.clone()),
            role: if h.actor.is_some() {
                role
            } else {
                String::new()
            },
            label: action_label(&h.action),
            moved,
            detail,
            reason: h.reason,
        }
    }
}

/// The ledger fields an edit changed, in words (`部位：“A” → “B”；等级：一般 → 重大`), from the
/// history payload's `before` and `after`.
fn edit_detail(payload: &serde_json::Value) -> String {
    let (before, after) = (&payload["before"], &payload["after"]);
    let shown = |key: &str, v: &serde_json::Value| {
        let code = v.as_str().unwrap_or("");
        match key {
            "category" => Category::from_code(code)
                .map_or("", Category::label)
                .to_string(),
            "grade" => Grade::from_code(code).map_or("", Grade::label).to_string(),
            "item" => v.as_u64().map_or("无".into(), |n| format!("第{n}项")),
            _ => format!("“{code}”"),
        }
    };
    [
        ("category", "类别"),
        ("grade", "等级"),
        ("item", "关联检查项"),
        ("location", "部位"),
        ("description", "描述"),
    ]
    .iter()
    .filter(|(key, _)| before[key] != after[key])
    .map(|(key, label)| {
        format!(
            "{label}：{} → {}",
            shown(key, &before[key]),
            shown(key, &after[key])
        )
    })
    .collect::<Vec<_>>()
    .join("；")
}

async fn finding_page(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let safeduty_app::findings::Record {
        finding: f,
        campaign_end,
        item_numbers,
        evidence,
        timeline,
    } = safeduty_app::findings::record(state.store(), &user.caller(), id).await?;
    let facts = f.facts(campaign_end);
    let role = user.user.role;
    let acts = may_act(user);
    let can = |req: Request| acts && offered(&facts, role, &req);
    let forms = Forms {
        accept_plan: can(Request::AcceptPlan(FiveImplementations::default())),
        start_rectifying: can(Request::StartRectifying),
        temporary_measures: can(Request::TemporaryMeasures {
            measures: String::new(),
            stop_work: false,
        }),
        submit: can(Request::Submit { evidence: 0 }),
        verify: can(Request::Verify),
        ret: can(Request::Return {
            reason: String::new(),
        }),
        start_rework: can(Request::StartRework),
        request_extension: can(Request::RequestExtension {
            due_on: f.due_on,
            reason: String::new(),
        }),
        decide_extension: can(Request::DecideExtension {
            approve: false,
            reason: String::new(),
        }),
        change_due: can(Request::ChangeDue {
            due_on: f.due_on,
            reason: String::new(),
        }),
        edit: can(Request::Edit { grade: f.grade }),
        evidence: acts && f.status.is_open(),
    };
    let timeline = timeline
        .into_iter()
        .map(|h| TimelineRow::new(h, state.clock()))
        .collect();
    let status = match notice.as_deref() {
        None => StatusCode::OK,
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let body = render(&FindingPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        token: safeduty_store::new_public_id(),
        overdue: f.is_overdue(state.clock().today()),
        funds: f.plan.funds_fen.map(format_yuan).unwrap_or_default(),
        timeline,
        evidence: evidence
            .iter()
            .map(|a| FileView::new(a, state.clock()))
            .collect(),
        forms,
        notice,
        campaign_end,
        items: item_numbers
            .into_iter()
            .map(|n| (n, format!("第{n}项")))
            .collect(),
        // Only the grades an edit may set: the enterprise keeps a major finding major.
        grades: Grade::ALL
            .iter()
            .copied()
            .filter(|g| can(Request::Edit { grade: *g }))
            .collect(),
        categories: Category::ALL,
        f,
    });
    Ok((status, body).into_response())
}

/// Whether the role may act on findings at all (the scope was checked when the page was
/// loaded); decides which forms to show, allows nothing by itself.
fn may_act(user: &CurrentUser) -> bool {
    safeduty_core::policy::authorize(&user.user.actor(), Action::ActOnFinding, None).is_ok()
}

pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    Ok(finding_page(&state, &user, &id, None).await?)
}

/// The fields of the step forms on the finding page: the version the page showed, the form's
/// token and the step ([`Step`]).
#[derive(Debug, Deserialize)]
pub(crate) struct ActForm {
    version: i64,
    #[serde(default)]
    token: Option<String>,
    action: String,
    #[serde(default)]
    responsible: String,
    #[serde(default)]
    measures: String,
    #[serde(default)]
    funds: String,
    #[serde(default)]
    time_limit: String,
    #[serde(default)]
    contingency_plan: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    stop_work: Option<String>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    decision: String,
}

impl ActForm {
    /// The step the form asks for.
    fn step(self) -> Step {
        Step {
            action: self.action,
            responsible: self.responsible,
            measures: self.measures,
            funds: self.funds,
            time_limit: self.time_limit,
            contingency_plan: self.contingency_plan,
            stop_work: self.stop_work.is_some(),
            reason: self.reason,
            due_on: self.due_on,
            decision: self.decision,
        }
    }
}

/// Answers a write on the finding page: back to the page after success or a repeat; the page
/// with the message after a refusal the user can act on or a stale version (409, 422; nothing
/// written); a step the role may not take is a plain 403 that shows nothing of the finding.
async fn after_write(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    result: Result<(), StoreError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/findings/{id}")).into_response()),
        Err(StoreError::Refused(r)) if r.kind() == RefusalKind::Forbidden => {
            Err(StoreError::Refused(r).into())
        }
        Err(e @ (StoreError::Refused(_) | StoreError::Conflict(_))) => {
            let err = AppError::from(e);
            let (status, _, message) = err.parts();
            let mut res = finding_page(state, user, id, Some(message)).await?;
            *res.status_mut() = status;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn act(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    form: LaterForm<ActForm>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    safeduty_app::findings::finding_for(state.store(), &user.caller(), &id, Action::ReadFindings)
        .await?;
    let form = form.take()?;
    let (version, token) = (form.version, form.token.clone());
    let request = form.step().request()?;
    let (f, result) = safeduty_app::findings::transition(
        state.store(),
        &user.caller(),
        &id,
        request,
        version,
        token.as_deref(),
        state.clock().today(),
    )
    .await?;
    after_write(&state, &user, &f.public_id, result.map(|_| ())).await
}

/// The ledger fields of the edit form.
#[derive(Debug, Deserialize)]
pub(crate) struct EditForm {
    version: i64,
    #[serde(default)]
    token: Option<String>,
    category: String,
    grade: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    item: String,
}

pub(super) fn details(
    category: &str,
    grade: &str,
    location: &str,
    description: &str,
    item: &str,
) -> Result<Details, AppError> {
    Ok(Details {
        category: Category::from_code(category)
            .ok_or_else(|| AppError::BadRequest("类别无效".into()))?,
        grade: Grade::from_code(grade).ok_or_else(|| AppError::BadRequest("等级无效".into()))?,
        location: location.into(),
        description: description.into(),
        item_number: match item.trim() {
            "" => None,
            v => Some(
                v.parse()
                    .map_err(|_| AppError::BadRequest("关联检查项无效".into()))?,
            ),
        },
    })
}

pub(super) async fn edit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    form: LaterForm<EditForm>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    safeduty_app::findings::finding_for(state.store(), &user.caller(), &id, Action::ReadFindings)
        .await?;
    let form = form.take()?;
    let d = details(
        &form.category,
        &form.grade,
        &form.location,
        &form.description,
        &form.item,
    )?;
    let (f, result) = safeduty_app::findings::edit(
        state.store(),
        &user.caller(),
        &id,
        &d,
        form.version,
        form.token.as_deref(),
    )
    .await
    .map_err(unknown_item_is_bad_request)?;
    after_write(&state, &user, &f.public_id, result).await
}

pub(super) async fn evidence(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    form: UploadForm,
) -> Result<Response, PageError> {
    let (f, _) = finding_for(&state, &user, &id, Action::ActOnFinding).await?;
    let file = form
        .file
        .as_ref()
        .ok_or_else(|| AppError::BadRequest("请选择要上传的文件".into()))?;
    let stored = file.store(&state).await?;
    let result =
        safeduty_app::findings::add_evidence(state.store(), &user.caller(), &f, &stored).await;
    after_write(&state, &user, &f.public_id, result).await
}
