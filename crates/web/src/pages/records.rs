//! Enterprise records (issue #7 item 5): `/enterprises/{id}/records[/{kind}]`. The enterprise
//! keeps its own (create, edit with a stale-page check, attach files); officers and assessors
//! read them in scope. The drill-frequency check (item 17) is shown with the drills.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use safeduty_core::drills::DrillCheck;
use safeduty_core::records::{FieldSpec, FieldType, RecordFieldError, RecordKind, shown};
use safeduty_store::org::Enterprise;
use safeduty_store::records::Record;

use super::evidence::FileView;
use super::{Chrome, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;
use crate::upload::UploadForm;
use safeduty_core::policy::Action;

/// A field as a form shows it.
pub(crate) struct FieldView {
    key: &'static str,
    label: &'static str,
    input: &'static str,
    required: bool,
    value: String,
    choices: &'static [(&'static str, &'static str)],
    error: Option<String>,
}

fn field_views(
    kind: RecordKind,
    values: &BTreeMap<String, String>,
    errors: &[RecordFieldError],
) -> Vec<FieldView> {
    kind.fields()
        .iter()
        .map(|s: &FieldSpec| FieldView {
            key: s.key,
            label: s.label,
            input: match s.ty {
                FieldType::Date => "date",
                FieldType::LongText => "textarea",
                FieldType::Choice(_) => "select",
                FieldType::Hours | FieldType::Count | FieldType::Year => "number",
                FieldType::Text => "text",
            },
            required: s.required,
            value: values.get(s.key).cloned().unwrap_or_default(),
            choices: match s.ty {
                FieldType::Choice(c) => c,
                _ => &[],
            },
            error: errors
                .iter()
                .find(|e| e.field == s.key)
                .map(|e| e.message.clone()),
        })
        .collect()
}

/// A record as the list shows it.
pub(crate) struct RecordView {
    public_id: String,
    date: String,
    title: String,
    version: i64,
    facts: Vec<(&'static str, String)>,
    fields: Vec<FieldView>,
    files: Vec<FileView>,
}

/// The drill-frequency check as pages show it.
pub(crate) struct DrillView {
    pub met: bool,
    pub summary: String,
    pub key_unit: bool,
    pub windows: Vec<(String, String, bool)>,
}

impl DrillView {
    fn from(c: &DrillCheck) -> DrillView {
        DrillView {
            met: c.met(),
            summary: c.summary(),
            key_unit: c.key_unit,
            windows: c
                .windows
                .iter()
                .map(|w| {
                    let held = if w.held.is_empty() {
                        "无".to_string()
                    } else {
                        w.held
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("、")
                    };
                    (format!("{}至{} {}", w.from, w.to, w.what()), held, w.met())
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "records.html")]
struct RecordsPage {
    chrome: Option<Chrome>,
    csrf: String,
    e: Enterprise,
    kinds: Vec<(&'static str, &'static str, i64, bool)>,
    kind: Option<RecordKind>,
    can_edit: bool,
    drill: Option<DrillView>,
    records: Vec<RecordView>,
    new_fields: Vec<FieldView>,
    error: Option<String>,
}

fn kind_of(code: &str) -> Result<RecordKind, AppError> {
    RecordKind::from_code(code).ok_or(AppError::NotFound)
}

struct Shown {
    values: BTreeMap<String, String>,
    errors: Vec<RecordFieldError>,
    message: Option<String>,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    kind: Option<RecordKind>,
    shown: Option<Shown>,
) -> Result<Response, AppError> {
    let sheet = safeduty_app::records::sheet(
        state.store(),
        &user.caller(),
        id,
        kind,
        state.clock().today(),
    )
    .await?;
    let (e, can_edit, counts) = (sheet.enterprise, sheet.can_edit, sheet.counts);
    let kinds = RecordKind::ALL
        .iter()
        .map(|k| {
            (
                k.code(),
                k.label(),
                counts.get(k.code()).copied().unwrap_or(0),
                Some(*k) == kind,
            )
        })
        .collect();
    let drill = sheet.drill.as_ref().map(DrillView::from);
    let views = sheet
        .records
        .iter()
        .map(|(r, files)| {
            view(
                r,
                files
                    .iter()
                    .map(|a| FileView::new(a, state.clock()))
                    .collect(),
            )
        })
        .collect();
    let (values, errors, message) = shown.map_or((BTreeMap::new(), Vec::new(), None), |s| {
        (s.values, s.errors, s.message)
    });
    let status = if errors.is_empty() && message.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&RecordsPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        kinds,
        kind,
        can_edit,
        drill,
        records: views,
        new_fields: kind.map_or_else(Vec::new, |k| field_views(k, &values, &errors)),
        error: message.or_else(|| {
            (!errors.is_empty()).then(|| format!("有{}处填写不正确，未保存", errors.len()))
        }),
        e,
    });
    Ok((status, body).into_response())
}

fn view(r: &Record, files: Vec<FileView>) -> RecordView {
    RecordView {
        public_id: r.public_id.clone(),
        date: r.date.to_string(),
        title: r.title.clone(),
        version: r.version,
        facts: r
            .kind
            .fields()
            .iter()
            .filter(|s| s.key != "title")
            .filter_map(|s| r.values.get(s.key).map(|v| (s.label, shown(s, v))))
            .collect(),
        fields: field_views(r.kind, &r.values, &[]),
        files,
    }
}

/// `GET /enterprises/{id}/records`: every kind with its count, and the drill check.
pub(super) async fn index(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    Ok(page(&state, &user, &id, None, None).await?)
}

/// `GET /enterprises/{id}/records/{kind}`.
pub(super) async fn list(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let kind = kind_of(&kind)?;
    Ok(page(&state, &user, &id, Some(kind), None).await?)
}

fn form_values(form: &[(String, String)]) -> BTreeMap<String, String> {
    form.iter()
        .filter(|(k, _)| k != "csrf" && k != "version")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn form_field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `POST /enterprises/{id}/records/{kind}`: a new record (the enterprise only).
pub(super) async fn create(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, kind)): Path<(String, String)>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let kind = kind_of(&kind)?;
    let values = form_values(&form);
    let today = state.clock().today();
    match safeduty_app::records::create(state.store(), &user.caller(), &id, kind, &values, today)
        .await?
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/enterprises/{id}/records/{}", kind.code())).into_response())
        }
        Err(errors) => {
            let shown = Shown {
                values,
                errors,
                message: None,
            };
            Ok(page(&state, &user, &id, Some(kind), Some(shown)).await?)
        }
    }
}

/// `POST /enterprises/{id}/records/{kind}/{record}`: replaces a record's values; refused with
/// 409 when it changed since the page was read.
pub(super) async fn update(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, kind, record)): Path<(String, String, String)>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    safeduty_app::guard::enterprise_for(state.store(), &user.caller(), &id, Action::ReadRecords)
        .await?;
    let kind = kind_of(&kind)?;
    let version: i64 = form_field(&form, "version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| AppError::BadRequest("版本号无效".into()))?;
    let values = form_values(&form);
    let checked = safeduty_app::records::update(
        state.store(),
        &user.caller(),
        &id,
        kind,
        &record,
        version,
        &values,
        state.clock().today(),
    )
    .await?;
    if let Err(errors) = checked {
        let message = errors
            .iter()
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("；");
        let shown = Shown {
            values: BTreeMap::new(),
            errors: Vec::new(),
            message: Some(format!("修改未保存：{message}")),
        };
        return Ok(page(&state, &user, &id, Some(kind), Some(shown)).await?);
    }
    Ok(Redirect::to(&format!("/enterprises/{id}/records/{}", kind.code())).into_response())
}

/// `POST /enterprises/{id}/records/{kind}/{record}/attachments` (multipart: `csrf`, `file`).
pub(super) async fn attach(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, kind, record)): Path<(String, String, String)>,
    form: UploadForm,
) -> Result<Response, PageError> {
    let kind = kind_of(&kind)?;
    let to = safeduty_app::records::attachable(state.store(), &user.caller(), &id, kind, &record)
        .await?;
    let Some(file) = form.file else {
        return Err(AppError::BadRequest("请选择要上传的文件".into()).into());
    };
    let stored = file.store(&state).await?;
    safeduty_app::records::attach(state.store(), &user.caller(), &to, &stored).await?;
    Ok(Redirect::to(&format!("/enterprises/{id}/records/{}", kind.code())).into_response())
}

/// What the records say about a check item, shown on the self-inspection.
pub(crate) struct ItemHint {
    /// Links to the kinds of records that answer the item: (href, text).
    pub links: Vec<(String, String)>,
    /// For item 17: whether the drills meet the frequencies, and the summary.
    pub check: Option<(bool, String)>,
}

/// Check item of the Qingxiu plan whose answer the drill-frequency check gives.
const DRILL_ITEM: u32 = 17;

/// The hints of every item that records answer, by item number.
pub(crate) async fn item_hints(
    state: &AppState,
    e: &Enterprise,
) -> Result<BTreeMap<u32, ItemHint>, AppError> {
    let counts = safeduty_app::records::counts(state.store(), e).await?;
    let mut out: BTreeMap<u32, ItemHint> = BTreeMap::new();
    for k in RecordKind::ALL {
        let n = counts.get(k.code()).copied().unwrap_or(0);
        for item in k.items() {
            out.entry(*item)
                .or_insert_with(|| ItemHint {
                    links: Vec::new(),
                    check: None,
                })
                .links
                .push((
                    format!("/enterprises/{}/records/{}", e.public_id, k.code()),
                    format!("{}：已登记{n}条", k.label()),
                ));
        }
    }
    let check = safeduty_app::records::drill_check(state.store(), e, state.clock().today()).await?;
    if let Some(h) = out.get_mut(&DRILL_ITEM) {
        h.check = Some((check.met(), check.summary()));
    }
    Ok(out)
}
