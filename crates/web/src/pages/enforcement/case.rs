//! Penalty cases in the browser (issue #13): `GET|POST /enforcement/cases/new?inspection=|
//! referral=|enterprise=` drafts a case; `GET /enforcement/cases/{id}` shows it — its number,
//! party, officers, each time limit with its last day (overdue in red), the record of its steps,
//! the documents it must hold — and offers the officers of the handling unit the forms of the
//! steps its state allows: the filing approval, then the notice, the hearing notice, the party's
//! answer, the decision or 不予处罚, service, payment or enforcement, closing.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::enforcement::cases::{self, CaseView, DraftSource, Opening};
use safeduty_core::enforcement::case::{Answer, CaseDocument, CaseState, HeavyMeasure};
use safeduty_core::enforcement::order::is_overdue;
use safeduty_core::enforcement::penalty::{Band, Discretion, Provision};
use safeduty_core::policy::Action;
use safeduty_core::refusal::{Refusal, RefusalKind};
use safeduty_store::audit::{Event, Object};
use safeduty_store::enforcement::cases::CaseSource;
use safeduty_store::enforcement::documents::DocumentOfRecord;
use serde::Deserialize;

use super::super::{Chrome, render};
use super::{Notice, OfficerChoice, field, officer_ids, refusal_to_show, version_of};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::download::{Audit, DOCX, Download};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;
use crate::input::cases::{CaseRequest, StepRequest};
use crate::input::enforcement::date;
use crate::upload::UploadForm;
use crate::views::case_status_label;

/// Where a new case comes from (one of the three, as public ids).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Source {
    #[serde(default)]
    inspection: String,
    #[serde(default)]
    referral: String,
    #[serde(default)]
    enterprise: String,
}

impl Source {
    fn draft_source(&self) -> Result<DraftSource, AppError> {
        CaseRequest {
            inspection: self.inspection.clone(),
            referral: self.referral.clone(),
            enterprise: self.enterprise.clone(),
            ..CaseRequest::default()
        }
        .source()
        .map_err(|_| AppError::NotFound)
    }

    fn query(&self) -> String {
        [
            ("inspection", &self.inspection),
            ("referral", &self.referral),
            ("enterprise", &self.enterprise),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            format!(
                "{k}={}",
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// A choice of a select or radio group: code, label.
type Choice = (&'static str, &'static str);

fn provisions() -> Vec<Choice> {
    Provision::ALL
        .iter()
        .map(|p| (p.code(), p.label()))
        .collect()
}

#[derive(Template)]
#[template(path = "enforcement_case_new.html")]
struct NewPage {
    chrome: Option<Chrome>,
    csrf: String,
    query: String,
    opening: Opening,
    provisions: Vec<Choice>,
    typed: BTreeMap<String, String>,
    message: Option<String>,
    errors: BTreeMap<String, String>,
}

impl NewPage {
    fn v(&self, name: &str, default: &str) -> String {
        self.typed
            .get(name)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    }

    fn error(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }
}

async fn new_page(
    state: &AppState,
    user: &CurrentUser,
    source: &Source,
    typed: BTreeMap<String, String>,
    refusal: Option<Refusal>,
) -> Result<Response, AppError> {
    let opening = cases::opening(state.store(), &user.caller(), &source.draft_source()?).await?;
    let mut errors = BTreeMap::new();
    let message = refusal.as_ref().map(|r| {
        if let Some(f) = r.field() {
            errors.insert(f.to_string(), r.message().to_string());
        }
        format!("未保存：{}", r.message())
    });
    let status = match &refusal {
        Some(r) if r.kind() == RefusalKind::Conflict => StatusCode::CONFLICT,
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let page = NewPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        query: source.query(),
        opening,
        provisions: provisions(),
        typed,
        message,
        errors,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /enforcement/cases/new?…`: the draft's form.
pub(super) async fn new_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(source): Query<Source>,
) -> Result<Response, PageError> {
    Ok(new_page(&state, &user, &source, BTreeMap::new(), None).await?)
}

/// `POST /enforcement/cases/new?…`: drafts the case and opens its page.
pub(super) async fn new_submit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(source): Query<Source>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let from = source.draft_source()?;
    let req = CaseRequest {
        cause: field(&form, "cause").into(),
        facts: field(&form, "facts").into(),
        provision: field(&form, "provision").into(),
        party: field(&form, "party").into(),
        party_name: field(&form, "party_name").into(),
        party_role: field(&form, "party_role").into(),
        ..CaseRequest::default()
    };
    let result = match req.case_draft() {
        Ok(draft) => cases::draft(state.store(), &user.caller(), &from, &draft).await,
        Err(r) => {
            // Who may draft hears about the form; anyone else gets the guard's answer.
            cases::opening(state.store(), &user.caller(), &from).await?;
            Err(r.into())
        }
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/enforcement/cases/{id}")).into_response()),
        Err(safeduty_app::Error::Refused(r)) if r.kind() != RefusalKind::Forbidden => {
            let typed = form
                .into_iter()
                .filter(|(k, _)| k != "csrf")
                .collect::<BTreeMap<_, _>>();
            Ok(new_page(&state, &user, &source, typed, Some(r)).await?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// A time limit as shown.
struct WindowLine {
    label: &'static str,
    span: String,
    source: String,
    closes: NaiveDate,
    provisional: bool,
    met: bool,
    deadline: bool,
    overdue: bool,
}

/// A document the case must hold, with its scan if kept.
struct DocLine {
    code: &'static str,
    label: &'static str,
    record: Option<DocumentOfRecord>,
}

/// A band's proposed range for the case's provision today (the calculator's hint).
struct BandLine {
    label: &'static str,
    range: String,
}

#[derive(Template)]
#[template(path = "enforcement_case.html")]
struct CasePage {
    chrome: Option<Chrome>,
    csrf: String,
    view: CaseView,
    status: &'static str,
    state: Option<CaseState>,
    source: &'static str,
    provision: &'static str,
    windows: Vec<WindowLine>,
    documents: Vec<DocLine>,
    superseded: Vec<DocumentOfRecord>,
    /// The documents generated from the record by now: code, name.
    printable: Vec<Choice>,
    bands: Vec<BandLine>,
    statute: String,
    officers: Vec<OfficerChoice>,
    provisions: Vec<Choice>,
    heavy: Vec<Choice>,
    answers: Vec<Choice>,
    band_choices: Vec<Choice>,
    today: NaiveDate,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
}

impl CasePage {
    /// The value typed in `name` when the form `form` is shown again after a refusal, else
    /// `default`.
    fn v(&self, form: &str, name: &str, default: &str) -> String {
        self.notice_on(form)
            .and_then(|_| self.typed.get(name).cloned())
            .unwrap_or_else(|| default.to_string())
    }

    /// The message of a refusal on the form `form`.
    fn notice_on(&self, form: &str) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|n| n.form == form)
            .map(|n| n.message.as_str())
    }

    /// Whether the state is one of `codes`.
    fn is(&self, codes: &[&str]) -> bool {
        self.state.is_some_and(|s| codes.contains(&s.code()))
    }

    /// Whether the decision limit may still be extended: before a decision, fewer than two
    /// extensions.
    fn may_extend(&self) -> bool {
        self.is(&[
            "filed",
            "investigating",
            "notified",
            "hearing_offered",
            "heard",
        ]) && self
            .view
            .record
            .case
            .as_ref()
            .is_some_and(|c| c.extensions < 2)
    }

    /// Whether the case decided a fine (not 不予处罚).
    fn fined(&self) -> bool {
        self.view
            .record
            .case
            .as_ref()
            .is_some_and(|c| c.decision.is_some())
    }

    /// Whether the notice proposed a suspension (责令停产停业整顿), which the decision may order.
    fn suspension_proposed(&self) -> bool {
        self.view.record.case.as_ref().is_some_and(|c| {
            c.notice.as_ref().and_then(|n| n.heavy)
                == Some(safeduty_core::enforcement::case::HeavyMeasure::Suspension)
        })
    }

    /// The heading of a dated step's form.
    fn step_title(&self, step: &str) -> &'static str {
        match step {
            "investigate" => "开始调查取证",
            "offer_hearing" => "送达听证告知书",
            "serve" => "送达决定书",
            "pay" => "记录缴纳罚款",
            "enforce" => "申请人民法院强制执行",
            _ => "结案",
        }
    }

    /// The label of a dated step's date.
    fn step_date_label(&self, step: &str) -> &'static str {
        match step {
            "investigate" => "调查开始日期",
            "offer_hearing" => "当事人收到听证告知书的日期",
            "serve" => "送达日期",
            "pay" => "缴纳日期",
            "enforce" => "申请日期",
            _ => "结案日期",
        }
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
) -> Result<Response, AppError> {
    let caller = user.caller();
    let today = state.clock().today();
    let view = cases::view(state.store(), &caller, id, today).await?;
    let s = &view.record.summary;
    let provision_code = view
        .record
        .case
        .as_ref()
        .and_then(|c| c.notice.as_ref().map(|n| n.provision))
        .or(Provision::from_code(&s.provision));
    let (bands, statute) = match provision_code {
        Some(p) => {
            let discretion = Discretion::shipped();
            let bands = Band::ALL
                .iter()
                .map(|b| BandLine {
                    label: b.label(),
                    range: discretion
                        .propose(p, *b, today)
                        .map_or_else(|_| "—".to_string(), |x| format!("{}至{}元", x.min, x.max)),
                })
                .collect();
            let statute = discretion.propose(p, Band::General, today).map_or_else(
                |_| String::new(),
                |x| {
                    format!(
                        "{}：法定罚款{}至{}元{}",
                        p.label(),
                        x.statute.min,
                        x.statute.max,
                        if x.statute.measures.is_empty() {
                            String::new()
                        } else {
                            format!("，并{}", x.statute.measures.join("、"))
                        }
                    )
                },
            );
            (bands, statute)
        }
        None => (Vec::new(), String::new()),
    };
    let officers = if view.may_enforce && view.record.case.is_none() {
        let rows = safeduty_app::enforcement::authority::officers(state.store(), &caller).await?;
        let on = typed
            .get("filed_on")
            .and_then(|d| d.parse().ok())
            .unwrap_or(today);
        let ticked: Vec<i64> = typed
            .keys()
            .filter_map(|k| k.strip_prefix("officer:"))
            .filter_map(|v| v.parse().ok())
            .collect();
        OfficerChoice::list(&rows, on, &ticked)
    } else {
        Vec::new()
    };
    let page = CasePage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        status: case_status_label(&s.status),
        state: CaseState::from_code(&s.status),
        source: CaseSource::label_of(&s.source_kind),
        provision: Provision::from_code(&s.provision).map_or("—", Provision::label),
        windows: view
            .windows
            .iter()
            .map(|w| WindowLine {
                label: w.label,
                span: w.span.clone(),
                source: w.source.clone(),
                closes: w.closes,
                provisional: w.provisional,
                met: w.met,
                deadline: w.deadline,
                overdue: w.deadline && !w.met && is_overdue(w.closes, today),
            })
            .collect(),
        documents: view
            .required
            .iter()
            .map(|(k, d)| DocLine {
                code: k.code(),
                label: k.label(),
                record: d.clone(),
            })
            .collect(),
        superseded: view
            .documents
            .iter()
            .filter(|d| d.superseded)
            .cloned()
            .collect(),
        printable: view.record.case.as_ref().map_or_else(Vec::new, |c| {
            CaseDocument::ALL
                .iter()
                .filter(|k| cases::print_date(c, **k, today).is_some())
                .map(|k| (k.code(), k.label()))
                .collect()
        }),
        bands,
        statute,
        officers,
        provisions: provisions(),
        heavy: HeavyMeasure::ALL
            .iter()
            .map(|h| (h.code(), h.label()))
            .collect(),
        answers: Answer::ALL.iter().map(|a| (a.code(), a.label())).collect(),
        band_choices: Band::ALL.iter().map(|b| (b.code(), b.label())).collect(),
        today,
        notice,
        typed,
        view,
    };
    let status = if page.notice.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /enforcement/cases/{id}`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    Ok(page(&state, &user, &id, None, BTreeMap::new()).await?)
}

/// Answers a write on the case page: back to it after success; the page again with the
/// message beside `form` and the values typed after a refusal the user can act on.
async fn after(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    result: Result<(), safeduty_app::Error>,
    form: &'static str,
    typed: &[(String, String)],
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/enforcement/cases/{id}")).into_response()),
        Err(e) => {
            let (status, notice) = refusal_to_show(e, form)?;
            let typed = super::typed(typed, "officer");
            let mut res = page(state, user, id, Some(notice), typed).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

/// `POST /enforcement/cases/{id}/filing`: approves the filing.
pub(super) async fn filing(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    cases::case_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let version = version_of(&form)?;
    let officers = officer_ids(&form)?;
    let result = match date(field(&form, "filed_on"), "filed_on", "立案日期") {
        Ok(d) => cases::file(
            state.store(),
            &user.caller(),
            &id,
            version,
            d,
            &officers,
            state.clock().today(),
        )
        .await
        .map(|_| ()),
        Err(r) => {
            match cases::case_for(state.store(), &user.caller(), &id, Action::Enforce).await {
                Ok(_) => Err(r.into()),
                Err(e) => Err(e),
            }
        }
    };
    after(&state, &user, &id, result, "filing", &form).await
}

/// The step codes a form may name; the refusal is shown beside the form of that step.
fn step_form(code: &str) -> &'static str {
    crate::input::cases::STEPS
        .iter()
        .find(|s| **s == code)
        .copied()
        .unwrap_or("step")
}

/// `POST /enforcement/cases/{id}/steps`: records the step named by the form's `step`.
pub(super) async fn step(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    cases::case_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let version = version_of(&form)?;
    let req = StepRequest {
        version,
        step: field(&form, "step").into(),
        date: field(&form, "date").into(),
        provision: field(&form, "provision").into(),
        amount: field(&form, "amount").into(),
        heavy: field(&form, "heavy").into(),
        band: field(&form, "band").into(),
        answer: field(&form, "answer").into(),
        note: field(&form, "note").into(),
        basis: field(&form, "basis").into(),
        follow_up: field(&form, "follow_up").into(),
        until: field(&form, "until").into(),
    };
    let result = match req.step() {
        Ok(step) => {
            cases::step(
                state.store(),
                &user.caller(),
                &id,
                version,
                &step,
                state.clock().today(),
            )
            .await
        }
        Err(r) => {
            match cases::case_for(state.store(), &user.caller(), &id, Action::Enforce).await {
                Ok(_) => Err(r.into()),
                Err(e) => Err(e),
            }
        }
    };
    after(&state, &user, &id, result, step_form(&req.step), &form).await
}

/// `GET /enforcement/cases/{id}/documents/{kind}`: the document generated from the case's
/// record, as a Word file, with its audit record.
pub(super) async fn download(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let kind = CaseDocument::from_code(&kind).ok_or(AppError::NotFound)?;
    let g = cases::generate(
        state.store(),
        &user.caller(),
        &id,
        kind,
        state.clock().today(),
    )
    .await?;
    Ok(Download::new(g.bytes, DOCX, &g.file_name)
        .send(
            &state,
            &user,
            Audit::Record {
                event: Event::FileDownloaded,
                target_kind: Object::Case.into(),
                target_id: id,
                detail: serde_json::json!({
                    "document": kind.code(),
                    "number": g.number,
                    "template": g.template,
                }),
            },
        )
        .await?)
}

/// `POST /enforcement/cases/{id}/documents/{kind}`: keeps the signed scan of a document of the
/// case as its document of record (superseding the current one needs a reason).
pub(super) async fn upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, kind)): Path<(String, String)>,
    form: UploadForm,
) -> Result<Response, PageError> {
    let kind = CaseDocument::from_code(&kind).ok_or(AppError::NotFound)?;
    let caller = user.caller();
    // Who may keep a document of record, before its bytes are stored.
    cases::case_for(state.store(), &caller, &id, Action::Enforce).await?;
    let reason = form.field("reason").unwrap_or_default().to_string();
    let typed = vec![("reason".to_string(), reason.clone())];
    let result = match &form.file {
        Some(file) => {
            let stored = file.store(&state).await?;
            cases::upload(state.store(), &caller, &id, kind, &stored, &reason)
                .await
                .map(|_| ())
        }
        None => Err(Refusal::invalid(crate::pages::empty_file_message(
            None,
            "请选择签章文书的扫描件",
        ))
        .into()),
    };
    after(&state, &user, &id, result, "documents", &typed).await
}
