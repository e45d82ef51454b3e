//! The findings ledger (隐患台账) and one finding's page: the ledger of the caller's scope with
//! filters, sorting and paging, its `.xlsx` export (the same rows), a finding with its timeline,
//! evidence and the forms of the steps the caller may take, and officers' opening of findings.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_core::finding::ledger::{
    Category, Details, FiveImplementations, Grade, Source, format_yuan, parse_yuan,
};
use safeduty_core::finding::lifecycle::{RefusalKind, Request, Status, action_label, offered};
use safeduty_core::policy::{Action, Scope};
use safeduty_store::StoreError;
use safeduty_store::attachments::{self, Attachment, Owner};
use safeduty_store::audit::Event;
use safeduty_store::findings::flow::{self, HistoryRow};
use safeduty_store::findings::ledger::{self, Filter, PAGE_SIZE, Sort, StatusFilter};
use safeduty_store::findings::{self, Finding, NewFindingRow};
use safeduty_store::org::{Enterprise, Region};
use serde::Deserialize;

use super::{Chrome, current_campaign, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::download::{Audit, Download, XLSX};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::{PageUser, enterprise_for, require};
use crate::upload::UploadForm;

/// The page routes of the ledger.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::{get, post};
    crate::routes::Routes::new()
        .route("/findings", get(ledger_page))
        .route("/findings/export.xlsx", get(export))
        .route("/findings/{id}", get(show))
        .route("/findings/{id}/act", post(act))
        .route("/findings/{id}/edit", post(edit))
        .upload(
            "/findings/{id}/evidence",
            post(evidence),
            crate::routes::UploadLimit::Configured,
        )
        .route("/enterprises/{id}/findings/new", get(new_form))
        .route("/enterprises/{id}/findings", post(open_finding))
}

/// The query string of the ledger: filters, order, page. Unknown values are a bad request.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct LedgerParams {
    #[serde(default)]
    status: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: String,
}

fn pick<T>(
    value: &str,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    if value.is_empty() {
        return Ok(None);
    }
    parse(value).map(Some).ok_or_else(|| {
        AppError::BadRequest(format!(
            "筛选条件“{what}”的值“{}”无效",
            value.chars().take(20).collect::<String>()
        ))
    })
}

impl LedgerParams {
    /// The store's filter, and the page number (from 1).
    pub(crate) fn filter(&self) -> Result<(Filter, u32), AppError> {
        let filter = Filter {
            status: pick(&self.status, "状态", StatusFilter::from_code)?,
            grade: pick(&self.grade, "等级", Grade::from_code)?,
            category: pick(&self.category, "类别", Category::from_code)?,
            source: pick(&self.source, "来源", Source::from_code)?,
            overdue: pick(&self.overdue, "逾期", |v| match v {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            })?,
            region_id: pick(&self.region, "属地", |v| v.parse::<i64>().ok())?,
            enterprise_id: None,
            sort: pick(&self.sort, "排序", Sort::from_code)?.unwrap_or_default(),
        };
        let page = pick(&self.page, "页码", |v| {
            v.parse::<u32>().ok().filter(|p| *p >= 1)
        })?
        .unwrap_or(1);
        Ok((filter, page))
    }

    /// The query string, without the page, for links that keep the filters.
    fn query(&self) -> String {
        serde_urlencoded::to_string([
            ("status", &self.status),
            ("grade", &self.grade),
            ("category", &self.category),
            ("source", &self.source),
            ("overdue", &self.overdue),
            ("region", &self.region),
            ("sort", &self.sort),
        ])
        .unwrap_or_default()
    }
}

/// One ledger row as shown.
pub(crate) struct Row {
    f: Finding,
    number: usize,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "findings.html")]
struct LedgerPage {
    chrome: Option<Chrome>,
    rows: Vec<Row>,
    total: i64,
    page: u32,
    pages: u32,
    params: LedgerParams,
    query: String,
    regions: Vec<Region>,
    statuses: [Status; 7],
    grades: &'static [Grade],
    categories: &'static [Category],
    sources: &'static [Source],
    today: NaiveDate,
}

/// The regions a ledger can be filtered by: those under the caller's region.
async fn regions(state: &AppState, scope: &Scope) -> Result<Vec<Region>, AppError> {
    Ok(match scope {
        Scope::RegionSubtree { region_path } | Scope::Department { region_path, .. } => {
            safeduty_store::org::regions_under(state.store(), region_path).await?
        }
        _ => Vec::new(),
    })
}

/// The ledger rows of the caller's scope with `params`: the page's or, with `page` `None`, all
/// (the export). One function, so the page and the export show the same rows.
pub(crate) async fn ledger_rows(
    state: &AppState,
    user: &CurrentUser,
    params: &LedgerParams,
    all: bool,
) -> Result<(ledger::Page, u32), AppError> {
    require(state, user, Action::ReadFindings, None).await?;
    let campaign = current_campaign(state, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let (filter, page) = params.filter()?;
    let rows = ledger::query(
        state.store(),
        &user.user.scope,
        campaign.id,
        &filter,
        state.clock().today(),
        (!all).then_some(page),
    )
    .await?;
    Ok((rows, page))
}

async fn ledger_page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(params): Query<LedgerParams>,
) -> Result<Response, PageError> {
    let (found, page) = ledger_rows(&state, &user, &params, false).await?;
    let today = state.clock().today();
    let first = (page as usize - 1) * PAGE_SIZE as usize;
    Ok(render(&LedgerPage {
        chrome: Some(Chrome::new(&state, &user).await),
        rows: found
            .rows
            .into_iter()
            .enumerate()
            .map(|(i, f)| Row {
                overdue: f.is_overdue(today),
                number: first + i + 1,
                f,
            })
            .collect(),
        total: found.total,
        page,
        pages: u32::try_from(
            (found.total.max(1) + i64::from(PAGE_SIZE) - 1) / i64::from(PAGE_SIZE),
        )
        .unwrap_or(1),
        query: params.query(),
        regions: regions(&state, &user.user.scope).await?,
        params,
        statuses: Status::ALL,
        grades: Grade::ALL,
        categories: Category::ALL,
        sources: Source::ALL,
        today,
    }))
}

async fn export(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(params): Query<LedgerParams>,
) -> Result<Response, PageError> {
    let (found, _) = ledger_rows(&state, &user, &params, true).await?;
    let today = state.clock().today();
    let bytes = crate::ledger_xlsx::write(&found.rows, today)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(
        Download::new(bytes, XLSX, &format!("隐患台账-{today}.xlsx"))
            .send(
                &state,
                &user,
                Audit::Record {
                    event: Event::FileDownloaded,
                    target_kind: "finding",
                    target_id: String::new(),
                    detail: serde_json::json!({
                        "document": "findings_ledger_xlsx",
                        "filter": params.query(),
                        "rows": found.rows.len(),
                    }),
                },
            )
            .await?,
    )
}

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
    evidence: Vec<Attachment>,
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
    fn new(h: HistoryRow) -> TimelineRow {
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
            at: crate::audit_trail::beijing_time(&h.at),
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

/// The finding `id` and its enterprise, with `action` checked on the enterprise.
async fn finding_for(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    action: Action,
) -> Result<(Finding, Enterprise), AppError> {
    let f = match findings::get(state.store(), id).await {
        Ok(f) => f,
        // An unknown id is answered (and recorded) like one outside the scope.
        Err(StoreError::NotFound) => {
            enterprise_for(state, user, "", action).await?;
            return Err(AppError::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    let e = enterprise_for(state, user, &f.enterprise_public_id, action).await?;
    Ok((f, e))
}

async fn finding_page(
    state: &AppState,
    user: &CurrentUser,
    f: Finding,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let campaign = current_campaign(state, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let end = campaign.template.last_day();
    let facts = f.facts(end);
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
    let evidence = attachments::list(
        state.store(),
        f.enterprise_id,
        Owner::Finding { finding_id: f.id },
    )
    .await?;
    let timeline = flow::timeline(state.store(), &f.public_id)
        .await?
        .into_iter()
        .map(TimelineRow::new)
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
        forms,
        notice,
        campaign_end: end,
        items: campaign
            .item_numbers()
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

async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (f, _) = finding_for(&state, &user, &id, Action::ReadFindings).await?;
    Ok(finding_page(&state, &user, f, None).await?)
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

/// One step in a finding's loop as a client asks for it (the finding page's forms and
/// `POST /api/v1/findings/{id}/transitions`); which fields are read depends on `action`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct Step {
    /// `accept_plan`, `start_rectifying`, `temporary_measures`, `submit`, `verify`, `return`,
    /// `start_rework`, `request_extension`, `decide_extension`, `change_due`.
    pub action: String,
    /// `accept_plan`: responsible person (整改责任人).
    #[serde(default)]
    pub responsible: String,
    /// `accept_plan`: measures (整改措施); `temporary_measures`: the temporary measures.
    #[serde(default)]
    pub measures: String,
    /// `accept_plan`: funds in yuan, at most two decimals, e.g. `8500` or `8,500.50`.
    #[serde(default)]
    pub funds: String,
    /// `accept_plan`: the plan's time limit, `YYYY-MM-DD` (not after the finding's).
    #[serde(default)]
    pub time_limit: String,
    /// `accept_plan`: the contingency plan (应急预案).
    #[serde(default)]
    pub contingency_plan: String,
    /// `temporary_measures`: work stopped (停产停业) or equipment out of use meanwhile.
    #[serde(default)]
    pub stop_work: bool,
    /// `return`, `request_extension`, `change_due`: the reason (required); `decide_extension`:
    /// the decision's reason (required when refusing).
    #[serde(default)]
    pub reason: String,
    /// `request_extension`, `change_due`: the time limit asked for or set, `YYYY-MM-DD`.
    #[serde(default)]
    pub due_on: String,
    /// `decide_extension`: `approve` or `refuse`.
    #[serde(default)]
    pub decision: String,
}

fn date_field(v: &str, label: &str) -> Result<Option<NaiveDate>, AppError> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    v.trim().parse().map(Some).map_err(|_| {
        AppError::BadRequest(format!(
            "{label}“{}”不是有效日期（应为YYYY-MM-DD）",
            v.chars().take(20).collect::<String>()
        ))
    })
}

impl Step {
    /// The loop's request.
    ///
    /// # Errors
    /// [`AppError::BadRequest`] for an unknown action, a date or amount that does not parse, a
    /// missing date or decision.
    pub(crate) fn request(&self) -> Result<Request, AppError> {
        Ok(match self.action.as_str() {
            "accept_plan" => Request::AcceptPlan(FiveImplementations {
                responsible: self.responsible.clone(),
                measures: self.measures.clone(),
                funds_fen: match self.funds.trim() {
                    "" => None,
                    v => Some(parse_yuan(v).ok_or_else(|| {
                        AppError::BadRequest(format!(
                            "整改资金“{}”不是有效金额（元，最多两位小数）",
                            v.chars().take(20).collect::<String>()
                        ))
                    })?),
                },
                time_limit: date_field(&self.time_limit, "整改时限")?,
                contingency_plan: self.contingency_plan.clone(),
            }),
            "start_rectifying" => Request::StartRectifying,
            "temporary_measures" => Request::TemporaryMeasures {
                measures: self.measures.clone(),
                stop_work: self.stop_work,
            },
            "submit" => Request::Submit { evidence: 0 },
            "verify" => Request::Verify,
            "return" => Request::Return {
                reason: self.reason.clone(),
            },
            "start_rework" => Request::StartRework,
            "request_extension" => Request::RequestExtension {
                due_on: date_field(&self.due_on, "延期后的整改期限")?
                    .ok_or_else(|| AppError::BadRequest("请填写延期后的整改期限".into()))?,
                reason: self.reason.clone(),
            },
            "decide_extension" => Request::DecideExtension {
                approve: match self.decision.as_str() {
                    "approve" => true,
                    "refuse" => false,
                    _ => return Err(AppError::BadRequest("请选择批准或不予延期".into())),
                },
                reason: self.reason.clone(),
            },
            Request::CHANGE_DUE => Request::ChangeDue {
                due_on: date_field(&self.due_on, "整改期限")?
                    .ok_or_else(|| AppError::BadRequest("请填写新的整改期限".into()))?,
                reason: self.reason.clone(),
            },
            _ => return Err(AppError::BadRequest("未知的操作".into())),
        })
    }
}

/// Applies `step` to the finding `id` for `user`, against `version` with `token`: the scope is
/// checked first (404), then the role (403), then the loop decides. The page's forms and the API
/// both come through here.
///
/// # Errors
/// [`AppError`] of the guard, the request's parsing and the store (403, 409, 422).
pub(crate) async fn transition(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    step: &Step,
    version: i64,
    token: Option<&str>,
) -> Result<(Finding, Result<flow::Applied, StoreError>), AppError> {
    let (f, _) = finding_for(state, user, id, Action::ActOnFinding).await?;
    let request = step.request()?;
    let result = flow::apply(
        state.store(),
        &user.who(),
        user.user.role,
        &f.public_id,
        request,
        version,
        token,
        state.clock().today(),
    )
    .await;
    record_refusal(state, user, &f, &result).await;
    Ok((f, result))
}

/// Records a step the role may not take (403) in the audit trail, as the guard records its
/// denials: the policy let the actor act on the finding, the loop refused the step.
async fn record_refusal<T>(
    state: &AppState,
    user: &CurrentUser,
    f: &Finding,
    result: &Result<T, StoreError>,
) {
    if let Err(StoreError::Refused(r)) = result
        && r.kind() == RefusalKind::Forbidden
    {
        crate::guard::denied(
            state,
            user,
            Action::ActOnFinding,
            ("finding", f.public_id.clone()),
            safeduty_core::policy::Denial::Forbidden,
        )
        .await;
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
            let f = findings::get(state.store(), id).await?;
            let mut res = finding_page(state, user, f, Some(message)).await?;
            *res.status_mut() = status;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

async fn act(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<ActForm>,
) -> Result<Response, PageError> {
    let (version, token) = (form.version, form.token.clone());
    let (f, result) =
        transition(&state, &user, &id, &form.step(), version, token.as_deref()).await?;
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

fn details(
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

async fn edit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<EditForm>,
) -> Result<Response, PageError> {
    let (f, _) = finding_for(&state, &user, &id, Action::ActOnFinding).await?;
    let d = details(
        &form.category,
        &form.grade,
        &form.location,
        &form.description,
        &form.item,
    )?;
    check_item(&state, &user, d.item_number).await?;
    let result = flow::edit(
        state.store(),
        &user.who(),
        user.user.role,
        &f.public_id,
        &d,
        form.version,
        form.token.as_deref(),
    )
    .await
    .map(|_| ());
    record_refusal(&state, &user, &f, &result).await;
    after_write(&state, &user, &f.public_id, result).await
}

/// A linked check item must be one of the campaign's.
async fn check_item(
    state: &AppState,
    user: &CurrentUser,
    item: Option<u32>,
) -> Result<(), AppError> {
    let campaign = current_campaign(state, user)
        .await?
        .ok_or(AppError::NotFound)?;
    match item {
        Some(n) if !campaign.item_numbers().contains(&n) => {
            Err(AppError::BadRequest(format!("检查项第{n}项不存在")))
        }
        _ => Ok(()),
    }
}

async fn evidence(
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
    let result = flow::add_evidence(state.store(), &user.who(), &f.public_id, &stored).await;
    after_write(&state, &user, &f.public_id, result).await
}

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

async fn new_form(
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

async fn open_finding(
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
