//! One enterprise's self-inspection and findings: read by officers, filled in and submitted by
//! the enterprise ([`safeduty_app::self_inspection`]).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::self_inspection::Sheet;
use safeduty_core::self_inspection::{Answer, FieldError, ItemAnswer, Refusal, Status};
use safeduty_store::org::Enterprise;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::guard::PageUser;
use crate::upload::FormWithFiles;
use crate::views::{AreaView, CampaignView};

pub(crate) struct ItemRow {
    number: u32,
    text: String,
    answer: &'static str,
    answer_label: &'static str,
    note: String,
    error: Option<String>,
    evidence: Vec<super::evidence::FileView>,
    hint: Option<super::records::ItemHint>,
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
    provisional: bool,
}

#[derive(Template)]
#[template(path = "self_inspection.html")]
struct SelfInspectionPage {
    chrome: Option<Chrome>,
    csrf: String,
    e: Enterprise,
    status: Status,
    submitted_on: Option<NaiveDate>,
    /// Submitted after the self-inspection phase ended (computed, issue #18 point 5).
    late: bool,
    editable: bool,
    version: Option<i64>,
    can_open_finding: bool,
    /// An officer who may record an inspection of the enterprise (the use case checks the
    /// unit's power when the form is opened).
    can_inspect: bool,
    notice: Option<String>,
    /// Items answered so far (in what is shown) and items in all (issue #18 point 5).
    answered: (usize, usize),
    /// The upload limit, said before a file is chosen (MiB).
    max_upload_mib: usize,
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
    evidence: &mut BTreeMap<u32, Vec<super::evidence::FileView>>,
    hints: &mut BTreeMap<u32, super::records::ItemHint>,
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
                        evidence: evidence.remove(&i.number).unwrap_or_default(),
                        hint: hints.remove(&i.number),
                    }
                })
                .collect(),
        })
        .collect()
}

/// What a re-shown form holds: the answers as typed, their errors, the version they started from.
struct Shown {
    answers: BTreeMap<u32, ItemAnswer>,
    errors: Vec<FieldError>,
    version: Option<i64>,
}

/// What the last request of the form did (`?done=saved|submitted` after the redirect; any other
/// value is ignored: it only chooses which sentence to show).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Done {
    /// A draft was saved.
    Saved,
    /// The self-inspection was submitted.
    Submitted,
}

/// The page's query: `done` after a save or a submission.
#[derive(Debug, serde::Deserialize)]
pub(super) struct ShowQuery {
    done: Option<String>,
}

impl ShowQuery {
    fn done(&self) -> Option<Done> {
        match self.done.as_deref() {
            Some("saved") => Some(Done::Saved),
            Some("submitted") => Some(Done::Submitted),
            _ => None,
        }
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    shown: Option<Shown>,
    notice: Option<String>,
    done: Option<Done>,
) -> Result<Response, AppError> {
    let Sheet {
        enterprise: e,
        campaign,
        self_inspection: si,
        findings: fs,
        editable,
        may_open_finding: can_open_finding,
    } = safeduty_app::self_inspection::sheet(state.store(), &user.caller(), id).await?;
    let today = state.clock().today();
    let calendar = state.calendar().await?;
    let view = CampaignView::new(&campaign, today, &calendar);
    let Shown {
        answers,
        errors,
        version,
    } = shown.unwrap_or(Shown {
        answers: si.answers,
        errors: Vec::new(),
        version: Some(si.version),
    });
    let total = campaign.item_numbers().len();
    let answered = answers.values().filter(|a| a.answer.is_some()).count();
    // What a save or a submission did, said from the stored record after the redirect.
    let notice = notice.or_else(|| match (done, si.status) {
        (Some(Done::Submitted), Status::Submitted) => {
            let opened = fs
                .iter()
                .filter(|f| f.source == safeduty_core::finding::ledger::Source::SelfInspection)
                .count();
            Some(if opened == 0 {
                format!("自查已提交：已答{answered}/{total}项，未发现不符合项。")
            } else {
                format!(
                    "自查已提交：已答{answered}/{total}项，{opened}项不符合，已生成{opened}条问题隐患，请按下方列表的整改期限整改。"
                )
            })
        }
        (Some(Done::Saved), Status::Draft) => Some(format!(
            "已保存草稿：已答{answered}/{total}项。全部作答后方可提交。"
        )),
        _ => None,
    });
    let mut evidence = super::evidence::by_item(state, &campaign, e.id).await?;
    let mut hints = super::records::item_hints(state, &e).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&SelfInspectionPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        status: si.status,
        submitted_on: si.submitted_on,
        late: si
            .submitted_on
            .is_some_and(|d| safeduty_core::self_inspection::is_late(&campaign.template.phases, d)),
        editable,
        version,
        can_open_finding,
        can_inspect: safeduty_core::policy::authorize(
            &user.user.actor(),
            safeduty_core::policy::Action::Enforce,
            Some(&e.facts),
        )
        .is_ok(),
        notice,
        answered: (answered, total),
        max_upload_mib: state.config().max_upload_bytes / 1024 / 1024,
        areas: rows(&view.areas, &answers, &errors, &mut evidence, &mut hints),
        errors,
        choices: CHOICES,
        findings: fs
            .iter()
            .map(|f| FindingRow {
                public_id: f.public_id.clone(),
                item_number: f.item_number,
                description: f.description.clone(),
                grade: f.grade.label(),
                status: f.status.label(),
                opened_on: f.opened_on,
                due_on: f.due_on,
                overdue: f.is_overdue(today),
                provisional: f.is_provisional(&calendar),
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
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    Ok(page(&state, &user, &id, None, None, q.done()).await?)
}

/// `GET /enterprises/{id}/self-inspection.docx`: the submitted self-inspection as a printable
/// Word copy (企业自查表) for the signatures kept on file; 404 before it is submitted.
pub(super) async fn copy(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use safeduty_office::self_inspection::{ItemLine, SelfInspectionCopy, docx};
    let Sheet {
        enterprise: e,
        campaign,
        self_inspection: si,
        ..
    } = safeduty_app::self_inspection::sheet(state.store(), &user.caller(), &id).await?;
    let Some(submitted_on) = si.submitted_on.filter(|_| si.status == Status::Submitted) else {
        return Err(AppError::NotFound.into());
    };
    let copy = SelfInspectionCopy {
        enterprise_name: e.name.clone(),
        uscc: e.uscc.clone(),
        campaign_name: campaign.name.clone(),
        submitted_on,
        late: safeduty_core::self_inspection::is_late(&campaign.template.phases, submitted_on),
        items: campaign
            .template
            .all_items()
            .iter()
            .map(|item| {
                let a = si.answers.get(&item.number);
                ItemLine {
                    number: item.number,
                    text: item.text.clone(),
                    answer: a
                        .and_then(|a| a.answer)
                        .map_or("", Answer::label)
                        .to_string(),
                    note: a.map(|a| a.note.clone()).unwrap_or_default(),
                }
            })
            .collect(),
    };
    let bytes = docx(&copy).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(crate::download::Download::new(
        bytes,
        crate::download::DOCX,
        &format!("企业自查表-{}.docx", e.name),
    )
    .send(
        &state,
        &user,
        crate::download::Audit::Record {
            event: safeduty_store::audit::Event::FileDownloaded,
            target_kind: safeduty_store::audit::Object::SelfInspection.into(),
            target_id: e.public_id.clone(),
            detail: serde_json::json!({"document": "self_inspection_docx", "campaign": campaign.public_id}),
        },
    )
    .await?)
}

/// The value of a single-valued form field, if present.
fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Reads `answer_N` / `note_N` fields into answers. An answer code we do not know, a field given
/// twice, or an item number not written plainly (`answer_01`) is a bad request.
pub(crate) fn answers_from_form(
    form: &[(String, String)],
) -> Result<BTreeMap<u32, ItemAnswer>, AppError> {
    let mut out: BTreeMap<u32, ItemAnswer> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for (k, v) in form {
        let Some((kind, n)) = k
            .split_once('_')
            .filter(|(kind, _)| matches!(*kind, "answer" | "note"))
        else {
            continue;
        };
        let bad = || {
            AppError::BadRequest(format!(
                "字段“{}”无效",
                k.chars().take(20).collect::<String>()
            ))
        };
        let num: u32 = n.parse().map_err(|_| bad())?;
        if num.to_string() != n {
            return Err(bad());
        }
        if !seen.insert(k.as_str()) {
            return Err(AppError::BadRequest(format!("第{num}项重复出现")));
        }
        let entry = out.entry(num).or_default();
        if kind == "answer" {
            entry.answer = Some(
                Answer::from_code(v)
                    .ok_or_else(|| AppError::BadRequest(format!("第{num}项的选项无效")))?,
            );
        } else {
            entry.note = v.clone();
        }
    }
    Ok(out)
}

pub(super) async fn save(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    sent: Result<FormWithFiles, PageError>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    safeduty_app::self_inspection::get(state.store(), &user.caller(), &id).await?;
    // A body refused whole (over the size limit, unreadable) is said on the page itself.
    let sent = match sent {
        Ok(sent) => sent,
        Err(PageError(e)) => {
            let (status, _, message) = e.parts();
            let mut res = page(&state, &user, &id, None, Some(message), None).await?;
            *res.status_mut() = status;
            return Ok(res);
        }
    };
    let form = &sent.fields;
    let answers = answers_from_form(form)?;
    let version = match field(form, "version") {
        Some(v) => Some(
            v.parse::<i64>()
                .map_err(|_| AppError::BadRequest("版本号无效".into()))?,
        ),
        None => None,
    };
    // 上传 on an item saves the draft with the file (issue #18 point 1): nothing typed is lost.
    let (submit, uploaded_item) = match field(form, "action") {
        Some("submit") => (true, None),
        Some("save") | None => (false, None),
        Some(a) => match a
            .strip_prefix("upload_")
            .and_then(|n| n.parse::<u32>().ok())
        {
            Some(n) => (false, Some(n)),
            None => return Err(AppError::BadRequest("未知的操作".into()).into()),
        },
    };
    // The files chosen on the form, each on its item; a refused file is said beside its item
    // and the rest is still saved.
    let mut file_errors = Vec::new();
    if let Some(n) = uploaded_item
        && !sent
            .files
            .iter()
            .any(|(input, _)| *input == format!("file_{n}"))
    {
        file_errors.push(FieldError {
            item: n,
            field: "answer",
            message: format!("第{n}项未选择要上传的文件（已填写的内容已保存）"),
        });
    }
    for (input, file) in sent.files {
        let Some(item) = input.strip_prefix("file_") else {
            return Err(AppError::BadRequest("文件字段无效".into()).into());
        };
        let refused = |message: String| FieldError {
            item: item.parse().unwrap_or(0),
            field: "answer",
            message: format!("第{item}项佐证材料未上传：{message}"),
        };
        let file = match file {
            Ok(f) => f,
            Err(e) => {
                file_errors.push(refused(e.parts().2));
                continue;
            }
        };
        let to =
            safeduty_app::attachments::evidence_target(state.store(), &user.caller(), &id, item)
                .await?;
        let stored = file.store(&state).await?;
        safeduty_app::attachments::add_evidence(state.store(), &user.caller(), &to, &stored)
            .await?;
    }
    let caller = user.caller();
    let result = if submit {
        let calendar = state.calendar().await?;
        safeduty_app::self_inspection::submit(
            state.store(),
            &caller,
            &id,
            answers.clone(),
            version,
            state.clock().today(),
            &calendar,
        )
        .await
    } else {
        safeduty_app::self_inspection::save(state.store(), &caller, &id, answers.clone(), version)
            .await
    };
    let back = format!("/enterprises/{id}");
    let shown = |errors| Shown {
        answers: answers.clone(),
        errors,
        version,
    };
    match result {
        Ok(saved) if !file_errors.is_empty() => {
            // Saved; the refused files are said beside their items, with the answers as saved.
            let shown = Shown {
                answers: saved.answers,
                errors: file_errors,
                version: Some(saved.version),
            };
            let mut res = page(&state, &user, &id, Some(shown), None, None).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Ok(_) => Ok(Redirect::to(&format!(
            "{back}?done={}{}",
            if submit { "submitted" } else { "saved" },
            uploaded_item
                .map(|n| format!("#item-{n}"))
                .unwrap_or_default()
        ))
        .into_response()),
        // A second click of 提交 lands here: the first one won, show the submitted page.
        Err(safeduty_app::Error::Refused(r)) if r == Refusal::AlreadySubmitted => {
            Ok(Redirect::to(&back).into_response())
        }
        // Another window saved meanwhile: keep what this one typed, say so, save nothing.
        Err(safeduty_app::Error::Refused(r)) if r == Refusal::Stale => {
            let mut res = page(
                &state,
                &user,
                &id,
                Some(shown(Vec::new())),
                Some(r.to_string()),
                None,
            )
            .await?;
            *res.status_mut() = StatusCode::CONFLICT;
            Ok(res)
        }
        Err(safeduty_app::Error::Refused(r)) if !r.field_errors().is_empty() => {
            let errors = r.field_errors().to_vec();
            Ok(page(&state, &user, &id, Some(shown(errors)), None, None).await?)
        }
        Err(other) => Err(AppError::from(other).into()),
    }
}
