//! One finding's page: its ledger fields, timeline, evidence and the forms of the steps the
//! caller may take; the steps themselves are the use case's ([`safeduty_app::findings::transition`]).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_core::finding::ledger::{Category, Details, FiveImplementations, Grade, format_yuan};
use safeduty_core::finding::lifecycle::{
    RefusalKind, Request, WITHDRAW_FILE, action_label, edit_grades, offered,
};
use safeduty_core::policy::Action;
use safeduty_store::StoreError;
use safeduty_store::attachments::Attachment;
use safeduty_store::findings::Finding;
use safeduty_store::findings::flow::{FilePurpose, HistoryRow, withdrawable_in};
use serde::Deserialize;

use super::super::{Chrome, render};
use super::{finding_for, unknown_item_is_bad_request};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::extract::LaterForm;
use crate::guard::PageUser;
use crate::input::findings::Step;
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
    supervise: bool,
    request_downgrade: bool,
    decide_downgrade: bool,
}

/// What the user typed in a form that was refused, shown again in it (issue #18 point 1).
#[derive(Debug, Default, Clone)]
struct Typed {
    /// The step whose form was sent (empty: none).
    action: String,
    opinion: String,
    verifiers: String,
    reason: String,
    responsible: String,
    measures: String,
    funds: String,
    time_limit: String,
    contingency_plan: String,
    due_on: String,
}

impl Typed {
    /// The value of `field` in the form of `action`: what was typed when that form was sent and
    /// refused, else `stored` (the record's value).
    fn of(&self, action: &str, field: &str, stored: impl ToString) -> String {
        if self.action != action {
            return stored.to_string();
        }
        match field {
            "responsible" => self.responsible.clone(),
            "measures" => self.measures.clone(),
            "funds" => self.funds.clone(),
            "time_limit" => self.time_limit.clone(),
            "contingency_plan" => self.contingency_plan.clone(),
            "due_on" => self.due_on.clone(),
            "reason" => self.reason.clone(),
            _ => stored.to_string(),
        }
    }
}

/// A file of the finding as listed: its times as shown under the clock, whether the viewer may
/// withdraw it now.
struct FileRow {
    a: Attachment,
    uploaded_at: String,
    withdrawn_at: String,
    withdrawable: bool,
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
    evidence: Vec<FileRow>,
    check_files: Vec<FileRow>,
    /// Rectification evidence counted now (not withdrawn).
    evidence_count: usize,
    forms: Forms,
    typed: Typed,
    /// The units the viewer may name to supervise the finding.
    units: Vec<(i64, String)>,
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
            "verify" => format!(
                "核验人员：{}；验收意见：{}；现场核验照片或文件{}份",
                date("verifiers"),
                date("opinion"),
                h.payload["check_files"].as_u64().unwrap_or(0)
            ),
            "supervise" => format!("督办单位：{}", date("unit")),
            WITHDRAW_FILE => format!("文件“{}”", date("name")),
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
    typed: Typed,
) -> Result<Response, AppError> {
    let safeduty_app::findings::Record {
        finding: f,
        campaign_end,
        item_numbers,
        evidence,
        check_files,
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
        verify: can(Request::Verify {
            opinion: String::new(),
            verifiers: String::new(),
            check_files: 0,
        }),
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
        supervise: can(Request::Supervise { unit_id: 0 }),
        request_downgrade: can(Request::RequestDowngrade {
            reason: String::new(),
        }),
        decide_downgrade: can(Request::DecideDowngrade {
            approve: false,
            reason: String::new(),
        }),
    };
    let units = if forms.supervise {
        let (_, e) = finding_for(state, user, id, Action::ActOnFinding).await?;
        safeduty_app::findings::supervising_units(state.store(), &user.caller(), &e)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    } else {
        Vec::new()
    };
    let me = Some(user.user.id);
    let rows = |files: Vec<Attachment>, check: bool| -> Vec<FileRow> {
        files
            .into_iter()
            .map(|a| FileRow {
                uploaded_at: state.clock().shown_minute(&a.uploaded_at),
                withdrawn_at: a
                    .withdrawn
                    .as_ref()
                    .map(|(at, _)| state.clock().shown_minute(at))
                    .unwrap_or_default(),
                withdrawable: acts
                    && a.withdrawn.is_none()
                    && a.uploaded_by == me
                    && withdrawable_in(f.status, check),
                a,
            })
            .collect()
    };
    let evidence = rows(evidence, false);
    let check_files = rows(check_files, true);
    let evidence_count = evidence.iter().filter(|r| r.a.withdrawn.is_none()).count();
    let typed = Typed {
        verifiers: if typed.verifiers.is_empty() {
            user.user.display_name.clone()
        } else {
            typed.verifiers
        },
        ..typed
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
        evidence,
        check_files,
        evidence_count,
        forms,
        typed,
        units,
        notice,
        campaign_end,
        items: item_numbers
            .into_iter()
            .map(|n| (n, format!("第{n}项")))
            .collect(),
        // Only the grades an edit may set: a major finding stays major but by an approved
        // downgrade.
        grades: edit_grades(&facts, role),
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
    Ok(finding_page(&state, &user, &id, None, Typed::default()).await?)
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
    #[serde(default)]
    opinion: String,
    #[serde(default)]
    verifiers: String,
    #[serde(default)]
    unit: String,
}

impl ActForm {
    /// What was typed, to show again after a refusal.
    fn typed(&self) -> Typed {
        // Shown again as typed, but never more than its field holds (a forged 5 000-character
        // date is not echoed whole).
        let cut = |v: &str, max: usize| v.chars().take(max).collect::<String>();
        let (short, long) = (
            safeduty_core::finding::ledger::SHORT_MAX_CHARS,
            safeduty_core::finding::ledger::LONG_MAX_CHARS,
        );
        Typed {
            action: cut(&self.action, 40),
            opinion: cut(&self.opinion, long),
            verifiers: cut(&self.verifiers, short),
            reason: cut(&self.reason, safeduty_core::finding::REASON_MAX_CHARS),
            responsible: cut(&self.responsible, short),
            measures: cut(&self.measures, long),
            funds: cut(&self.funds, 20),
            time_limit: cut(&self.time_limit, 20),
            contingency_plan: cut(&self.contingency_plan, long),
            due_on: cut(&self.due_on, 20),
        }
    }

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
            opinion: self.opinion,
            verifiers: self.verifiers,
            unit: self.unit,
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
    typed: Typed,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/findings/{id}")).into_response()),
        Err(StoreError::Refused(r)) if r.kind() == RefusalKind::Forbidden => {
            Err(StoreError::Refused(r).into())
        }
        Err(e @ (StoreError::Refused(_) | StoreError::Conflict(_))) => {
            refused(state, user, id, AppError::from(e), typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The finding page again with `err`'s message and what was typed, answered with its status.
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    err: AppError,
    typed: Typed,
) -> Result<Response, PageError> {
    let (status, _, message) = err.parts();
    let mut res = finding_page(state, user, id, Some(message), typed).await?;
    *res.status_mut() = status;
    Ok(res)
}

/// A use case's refusal of the content (a supervising unit outside the scope) shown on the page
/// like the loop's; everything else as it is.
async fn refused_content<T>(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    result: Result<T, safeduty_app::Error>,
    typed: Typed,
) -> Result<Result<T, Response>, PageError> {
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(safeduty_app::Error::Refused(r)) if r.kind() != RefusalKind::Forbidden => {
            Ok(Err(refused(
                state,
                user,
                id,
                safeduty_app::Error::Refused(r).into(),
                typed,
            )
            .await?))
        }
        Err(e) => Err(AppError::from(e).into()),
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
    let (version, token, typed) = (form.version, form.token.clone(), form.typed());
    let request = match form.step().request() {
        Ok(r) => r,
        Err(e) => return refused(&state, &user, &id, e, typed).await,
    };
    let outcome = safeduty_app::findings::transition(
        state.store(),
        &user.caller(),
        &id,
        request,
        version,
        token.as_deref(),
        state.clock().today(),
    )
    .await;
    let (f, result) = match refused_content(&state, &user, &id, outcome, typed.clone()).await? {
        Ok(done) => done,
        Err(page) => return Ok(page),
    };
    after_write(&state, &user, &f.public_id, result.map(|_| ()), typed).await
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
    after_write(&state, &user, &f.public_id, result, Typed::default()).await
}

pub(super) async fn evidence(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    form: Result<UploadForm, PageError>,
) -> Result<Response, PageError> {
    let (f, _) = finding_for(&state, &user, &id, Action::ActOnFinding).await?;
    // A refused file (type, size) is said on the finding's page, not on a bare error page.
    let form = match form {
        Ok(form) => form,
        Err(PageError(e)) => {
            return refused(&state, &user, &f.public_id, e, Typed::default()).await;
        }
    };
    let purpose = match form.field("purpose").unwrap_or("") {
        "" | "evidence" => FilePurpose::Evidence,
        "check" => FilePurpose::Check,
        _ => {
            let e = AppError::BadRequest("文件用途无效".into());
            return refused(&state, &user, &f.public_id, e, Typed::default()).await;
        }
    };
    let Some(file) = form.file.as_ref() else {
        let e = AppError::BadRequest("请选择要上传的文件".into());
        return refused(&state, &user, &f.public_id, e, Typed::default()).await;
    };
    let stored = file.store(&state).await?;
    let result =
        safeduty_app::findings::add_evidence(state.store(), &user.caller(), &f, purpose, &stored)
            .await;
    after_write(
        &state,
        &user,
        &f.public_id,
        result.map(|_| ()),
        Typed::default(),
    )
    .await
}

/// 验收销号 with the record of the on-site check in one form: the opinion, the verifiers and a
/// photo or document of the check (added first, kept even if the close-out is then refused —
/// it is a record of the check); after a refusal the page shows what was typed.
pub(super) async fn verify(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    form: Result<UploadForm, PageError>,
) -> Result<Response, PageError> {
    let (f, _) = finding_for(&state, &user, &id, Action::ActOnFinding).await?;
    let form = match form {
        Ok(form) => form,
        Err(PageError(e)) => {
            return refused(&state, &user, &f.public_id, e, Typed::default()).await;
        }
    };
    let field = |name: &str, max: usize| form.field(name).unwrap_or("").chars().take(max).collect();
    let typed = Typed {
        action: "verify".into(),
        opinion: field(
            "opinion",
            safeduty_core::finding::ledger::LONG_MAX_CHARS + 1,
        ),
        verifiers: field(
            "verifiers",
            safeduty_core::finding::ledger::SHORT_MAX_CHARS + 1,
        ),
        ..Typed::default()
    };
    if let Some(file) = form.file.as_ref() {
        let stored = file.store(&state).await?;
        let added = safeduty_app::findings::add_evidence(
            state.store(),
            &user.caller(),
            &f,
            FilePurpose::Check,
            &stored,
        )
        .await;
        if let Err(e) = added {
            return after_write(&state, &user, &f.public_id, Err(e), typed).await;
        }
    }
    let Ok(version) = form.field("version").unwrap_or("").trim().parse::<i64>() else {
        return Err(AppError::BadRequest("版本号无效".into()).into());
    };
    let token = form.field("token").map(str::to_string);
    let request = Request::Verify {
        opinion: typed.opinion.clone(),
        verifiers: typed.verifiers.clone(),
        check_files: 0,
    };
    let (f, result) = safeduty_app::findings::transition(
        state.store(),
        &user.caller(),
        &f.public_id,
        request,
        version,
        token.as_deref(),
        state.clock().today(),
    )
    .await?;
    after_write(&state, &user, &f.public_id, result.map(|_| ()), typed).await
}

/// The form of a withdrawal: why.
#[derive(Debug, Deserialize)]
pub(crate) struct WithdrawForm {
    #[serde(default)]
    reason: String,
}

/// Withdraws a file uploaded by mistake (kept, marked, no longer counted).
pub(super) async fn withdraw(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, file)): Path<(String, String)>,
    form: LaterForm<WithdrawForm>,
) -> Result<Response, PageError> {
    let (f, _) = finding_for(&state, &user, &id, Action::ActOnFinding).await?;
    let form = form.take()?;
    let result = safeduty_app::findings::withdraw_file(
        state.store(),
        &user.caller(),
        &f,
        &file,
        &form.reason,
    )
    .await;
    let typed = Typed {
        action: format!("withdraw {file}"),
        reason: form.reason,
        ..Typed::default()
    };
    after_write(&state, &user, &f.public_id, result, typed).await
}
