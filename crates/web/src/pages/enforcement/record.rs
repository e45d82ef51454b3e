//! `GET /enforcement/inspections/{id}`: an inspection's record (number, officers with their
//! certificate numbers, guests, items, the findings it opened), its correction order (the form
//! to issue one, or the order), its on-site measures (decide, view, review) and its documents
//! (the Word files generated from the records, the signed scans kept as documents of record).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::enforcement::inspections::{self, InspectionView};
use safeduty_app::enforcement::orders::TimeLimit;
use safeduty_app::enforcement::{authority, documents, measures, orders, photos};
use safeduty_core::enforcement::inspection::{CapException, Notice as NoticeKind};
use safeduty_core::enforcement::measures::{LiftResult, LiftReview, MeasureKind, OnSiteMeasure};
use safeduty_core::enforcement::numbering::DocumentKind;
use safeduty_core::enforcement::officers::GuestKind;
use safeduty_core::enforcement::reinspection::ReInspectionResult;
use safeduty_core::enforcement::violations::RecordedTexts;
use safeduty_core::policy::Action;
use safeduty_core::self_inspection::Answer;
use safeduty_store::audit::{Event, Object};
use safeduty_store::enforcement::documents::DocumentOfRecord;
use safeduty_store::enforcement::inspections::Inspection;

use super::super::{Chrome, render};
use super::{Notice, OrderRow, date_of, field, refusal_to_show};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::download::{Audit, DOCX, Download};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;
use crate::pages::evidence::FileView;
use crate::upload::UploadForm;

/// A check item's result as the record shows it.
struct ItemLine {
    number: u32,
    text: String,
    answer: &'static str,
    answer_label: &'static str,
    note: String,
    violations: Vec<String>,
    finding: Option<String>,
    /// Its photos.
    photos: Vec<FileView>,
}

/// A document of the inspection: its kind, number, and the signed scan kept, if any.
struct DocLine {
    code: &'static str,
    label: &'static str,
    number: String,
    has_record: bool,
}

/// A document of record as listed.
struct RecordLine {
    d: DocumentOfRecord,
    label: &'static str,
    uploaded_at: String,
}

/// The on-site measures as shown.
struct MeasuresLine {
    number: String,
    kind: String,
    reason: String,
    description: String,
    decided_on: NaiveDate,
    starts_on: NaiveDate,
    until_on: NaiveDate,
    lifted_on: Option<NaiveDate>,
    lift_note: String,
    in_force: bool,
    version: i64,
}

/// The re-inspection as shown on the inspection page (its details are on the order's).
struct ReLine {
    date: NaiveDate,
    outcome: &'static str,
}

#[derive(Template)]
#[template(path = "enforcement_inspection.html")]
struct InspectionPage {
    chrome: Option<Chrome>,
    csrf: String,
    i: Inspection,
    enterprise_public_id: String,
    number: String,
    notice_kind: &'static str,
    cap_exception: Option<(&'static str, String)>,
    guests: Vec<(String, &'static str, String)>,
    items: Vec<ItemLine>,
    findings: Vec<(String, u32, String)>,
    order: Option<OrderRow>,
    re_inspection: Option<ReLine>,
    measures: Option<MeasuresLine>,
    documents: Vec<DocLine>,
    records: Vec<RecordLine>,
    may_enforce: bool,
    may_order: bool,
    may_decide_measures: bool,
    default_working_days: u32,
    today: NaiveDate,
    measure_kinds: &'static [MeasureKind],
    lift_results: &'static [LiftResult],
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
}

impl InspectionPage {
    /// The value typed in the field `name` when the form `form` is shown again after a
    /// refusal, else `default`.
    fn v(&self, form: &str, name: &str, default: &str) -> String {
        self.notice_on(form)
            .and_then(|_| self.typed.get(name).cloned())
            .unwrap_or_else(|| default.to_string())
    }

    /// The message of a refusal on the form `form`, if that is where it belongs.
    fn notice_on(&self, form: &str) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|n| n.form == form)
            .map(|n| n.message.as_str())
    }

    /// The message of a refusal on the upload form of the document `code`.
    fn upload_notice(&self, code: &str) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|n| n.form.strip_prefix("upload:") == Some(code))
            .map(|n| n.message.as_str())
    }

    /// Whether the finding `id` is ticked on the order form: as typed when the order form is
    /// shown again, all of them otherwise.
    fn finding_ticked(&self, id: &str) -> bool {
        self.notice_on("order").is_none() || self.typed.contains_key(&format!("finding:{id}"))
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
) -> Result<Response, AppError> {
    let InspectionView {
        inspection: i,
        enterprise_public_id,
        settings,
        item_texts,
        order,
        re_inspection,
        measures: m,
        documents: records,
        may_enforce,
        may_order,
        may_decide_measures,
        default_working_days,
    } = inspections::view(state.store(), &user.caller(), id).await?;
    let today = state.clock().today();
    let calendar = state.calendar().await?;
    let number_of = |k| authority::number(&settings, k, i.summary.year, i.summary.seq);
    let library = RecordedTexts::new(i.violations.clone());
    let mut photos_by_item = if photos::may_see(&user.caller(), i.summary.unit_id) {
        photos::of_inspection(state.store(), &user.caller(), id).await?
    } else {
        BTreeMap::new()
    };
    let items = i
        .items
        .iter()
        .map(|it| {
            let answer = Answer::from_code(&it.answer);
            ItemLine {
                number: it.item_number,
                text: item_texts.get(&it.item_number).cloned().unwrap_or_default(),
                answer: answer.map_or("", Answer::code),
                answer_label: answer.map_or("—", Answer::label),
                note: it.note.clone(),
                violations: it
                    .violation_codes
                    .iter()
                    .map(|c| match library.get(c) {
                        Some(v) => {
                            format!("{}（违反{}，依据{}）", v.behaviour, v.violated, v.penalty)
                        }
                        None => c.clone(),
                    })
                    .collect(),
                finding: it.finding_public_id.clone(),
                photos: photos_by_item
                    .remove(&it.item_number)
                    .unwrap_or_default()
                    .iter()
                    .map(|a| FileView::new(a, state.clock()))
                    .collect(),
            }
        })
        .collect::<Vec<_>>();
    let findings = items
        .iter()
        .filter_map(|it| {
            it.finding
                .as_ref()
                .map(|f| (f.clone(), it.number, it.note.clone()))
        })
        .collect();
    let mut documents = vec![DocumentKind::InspectionRecord];
    if m.is_some() {
        documents.push(DocumentKind::OnSiteMeasures);
    }
    if order.is_some() {
        documents.push(DocumentKind::CorrectionOrder);
    }
    if re_inspection.is_some() {
        documents.push(DocumentKind::ReInspection);
    }
    let documents = documents
        .into_iter()
        .map(|k| DocLine {
            code: k.code(),
            label: k.label(),
            number: number_of(k),
            has_record: records
                .iter()
                .any(|d| d.document_kind == k.code() && !d.superseded),
        })
        .collect();
    let page = InspectionPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        number: number_of(DocumentKind::InspectionRecord),
        enterprise_public_id,
        notice_kind: NoticeKind::from_code(&i.summary.notice).map_or("—", NoticeKind::label),
        cap_exception: i.cap_exception.as_ref().map(|(k, g)| {
            (
                CapException::from_code(k).map_or("—", CapException::label),
                g.clone(),
            )
        }),
        guests: i
            .guests
            .iter()
            .map(|g| {
                (
                    g.name.clone(),
                    GuestKind::from_code(&g.kind).map_or("—", GuestKind::label),
                    g.organisation.clone(),
                )
            })
            .collect(),
        items,
        findings,
        order: order.as_ref().map(|o| {
            OrderRow::new(
                o,
                number_of(DocumentKind::CorrectionOrder),
                today,
                &calendar,
            )
        }),
        re_inspection: re_inspection.as_ref().map(|r| ReLine {
            date: r.inspected_on,
            outcome: ReInspectionResult::from_code(&r.outcome)
                .map_or("—", ReInspectionResult::label),
        }),
        measures: m.map(|m| {
            let kind = MeasureKind::from_code(&m.kind);
            MeasuresLine {
                number: number_of(DocumentKind::OnSiteMeasures),
                kind: kind.map_or_else(|| m.kind.clone(), |k| k.label().to_string()),
                in_force: m.lifted_on.is_none() && m.starts_on <= today && today <= m.until_on,
                reason: m.reason,
                description: m.description,
                decided_on: m.decided_on,
                starts_on: m.starts_on,
                until_on: m.until_on,
                lifted_on: m.lifted_on,
                lift_note: m.lift_note,
                version: m.version,
            }
        }),
        documents,
        records: records
            .into_iter()
            .map(|d| RecordLine {
                label: DocumentKind::from_code(&d.document_kind).map_or("—", DocumentKind::label),
                uploaded_at: state.clock().shown_time(&d.uploaded_at),
                d,
            })
            .collect(),
        may_enforce,
        may_order,
        may_decide_measures,
        default_working_days,
        today,
        measure_kinds: MeasureKind::ALL,
        lift_results: LiftResult::ALL,
        i,
        typed,
        notice,
    };
    let status = if page.notice.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)).into_response())
}

pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    Ok(page(&state, &user, &id, None, BTreeMap::new()).await?)
}

/// Answers a write on the inspection page: to `done` after success; the page again with the
/// message beside `form` and the values typed after a refusal the user can act on.
async fn after(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    result: Result<String, safeduty_app::Error>,
    form: &'static str,
    typed: &[(String, String)],
) -> Result<Response, PageError> {
    match result {
        Ok(done) => Ok(Redirect::to(&done).into_response()),
        Err(e) => {
            let (status, notice) = refusal_to_show(e, form)?;
            let typed = super::typed(typed, "finding");
            let mut res = page(state, user, id, Some(notice), typed).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

/// `POST /enforcement/inspections/{id}/order`: issues the correction order.
pub(super) async fn issue(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let findings: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "finding")
        .map(|(_, v)| v.clone())
        .collect();
    let limit = match field(&form, "limit") {
        "date" => match date_of(field(&form, "due_on"), "整改期限") {
            Ok(Some(d)) => Ok(TimeLimit::Date(d)),
            Ok(None) => Err("请填写整改期限".to_string()),
            Err(m) => Err(m),
        },
        _ => match safeduty_core::text::fold_width(field(&form, "working_days")).parse::<u32>() {
            Ok(n) if (1..=365).contains(&n) => Ok(TimeLimit::WorkingDays(n)),
            _ => Err("整改期限的工作日数应为1至365之间的整数".to_string()),
        },
    };
    let result = match limit {
        Ok(limit) => orders::issue(
            state.store(),
            &user.caller(),
            &id,
            &findings,
            limit,
            state.clock().today(),
        )
        .await
        .map(|o| format!("/enforcement/orders/{o}")),
        Err(m) => {
            // The policy first: only whoever may issue hears about the form.
            inspections::inspection_for(state.store(), &user.caller(), &id, Action::Enforce)
                .await?;
            Err(safeduty_core::refusal::Refusal::invalid(m)
                .on("due_on")
                .into())
        }
    };
    after(&state, &user, &id, result, "order", &form).await
}

/// `POST /enforcement/inspections/{id}/measures`: decides on-site measures.
pub(super) async fn decide(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let parsed = (|| {
        let kind = MeasureKind::from_code(field(&form, "kind"))
            .ok_or_else(|| "请选择现场处理措施".to_string())?;
        let start = date_of(field(&form, "start"), "起始日期")?
            .ok_or_else(|| "请填写起始日期".to_string())?;
        let until = date_of(field(&form, "until"), "措施期限")?
            .ok_or_else(|| "请填写措施期限".to_string())?;
        Ok::<_, String>(OnSiteMeasure {
            kind,
            start,
            until,
            reason: field(&form, "reason").to_string(),
            description: field(&form, "description").to_string(),
        })
    })();
    let result = match parsed {
        Ok(m) => measures::decide(
            state.store(),
            &user.caller(),
            &id,
            &m,
            state.clock().today(),
        )
        .await
        .map(|_| format!("/enforcement/inspections/{id}#measures")),
        Err(m) => {
            inspections::inspection_for(state.store(), &user.caller(), &id, Action::Enforce)
                .await?;
            Err(safeduty_core::refusal::Refusal::invalid(m).into())
        }
    };
    after(&state, &user, &id, result, "measures", &form).await
}

/// `POST /enforcement/inspections/{id}/measures/review`: lifts the measures or keeps them.
pub(super) async fn review(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    inspections::inspection_for(state.store(), &user.caller(), &id, Action::ReadEnforcement)
        .await?;
    let version: i64 = field(&form, "version")
        .parse()
        .map_err(|_| AppError::BadRequest("版本号无效".into()))?;
    let parsed = (|| {
        let date = date_of(field(&form, "date"), "审查日期")?
            .ok_or_else(|| "请填写审查日期".to_string())?;
        let result = LiftResult::from_code(field(&form, "result"))
            .ok_or_else(|| "请选择审查结论".to_string())?;
        Ok::<_, String>(LiftReview {
            date,
            result,
            note: field(&form, "note").to_string(),
        })
    })();
    let result = match parsed {
        Ok(r) => measures::review(
            state.store(),
            &user.caller(),
            &id,
            version,
            &r,
            state.clock().today(),
        )
        .await
        .map(|()| format!("/enforcement/inspections/{id}#measures")),
        Err(m) => {
            inspections::inspection_for(state.store(), &user.caller(), &id, Action::Enforce)
                .await?;
            Err(safeduty_core::refusal::Refusal::invalid(m).into())
        }
    };
    after(&state, &user, &id, result, "review", &form).await
}

fn kind_of(code: &str) -> Result<DocumentKind, AppError> {
    DocumentKind::from_code(code)
        .filter(|k| *k != DocumentKind::CaseFiling)
        .ok_or(AppError::NotFound)
}

/// `GET /enforcement/inspections/{id}/documents/{kind}`: the document generated from the
/// records, as a Word file, with its audit record.
pub(super) async fn download(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let kind = kind_of(&kind)?;
    let g = documents::generate(state.store(), &user.caller(), &id, kind).await?;
    Ok(Download::new(g.bytes, DOCX, &g.file_name)
        .send(
            &state,
            &user,
            Audit::Record {
                event: Event::FileDownloaded,
                target_kind: Object::Inspection.into(),
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

/// `POST /enforcement/inspections/{id}/documents/{kind}`: keeps the signed scan of the
/// document as its document of record (superseding the current one needs a reason).
pub(super) async fn upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, kind)): Path<(String, String)>,
    form: UploadForm,
) -> Result<Response, PageError> {
    let kind = kind_of(&kind)?;
    let caller = user.caller();
    // Who may keep a document of record, before its bytes are stored.
    inspections::inspection_for(state.store(), &caller, &id, Action::Enforce).await?;
    let reason = form.field("reason").unwrap_or_default().to_string();
    let typed = vec![("reason".to_string(), reason.clone())];
    let result =
        match &form.file {
            Some(file) => {
                let stored = file.store(&state).await?;
                documents::upload(state.store(), &caller, &id, kind, &stored, &reason)
                    .await
                    .map(|_| format!("/enforcement/inspections/{id}#documents"))
            }
            None => Err(safeduty_core::refusal::Refusal::invalid(
                crate::pages::empty_file_message(None, "请选择签章文书的扫描件"),
            )
            .into()),
        };
    after(&state, &user, &id, result, upload_form(kind), &typed).await
}

/// The name of the upload form of `kind` on the page, where its refusal is shown.
fn upload_form(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::InspectionRecord => "upload:inspection_record",
        DocumentKind::OnSiteMeasures => "upload:on_site_measures",
        DocumentKind::CorrectionOrder => "upload:correction_order",
        DocumentKind::ReInspection => "upload:re_inspection",
        DocumentKind::CaseFiling => "upload:case_filing",
    }
}

/// `POST /enforcement/inspections/{id}/items/{item}/photos` (multipart: `csrf`, `file`): adds a
/// photo to a check item of the inspection (officers of the inspecting unit). Refused, nothing
/// stored, for another unit, an item the record lacks, a file that is not a picture or too large.
pub(super) async fn add_photo(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, item)): Path<(String, String)>,
    form: UploadForm,
) -> Result<Response, PageError> {
    let to = photos::item_target(state.store(), &user.caller(), &id, &item).await?;
    crate::upload::add_photo(&state, &user, &to, form).await?;
    Ok(Redirect::to(&to.page).into_response())
}
