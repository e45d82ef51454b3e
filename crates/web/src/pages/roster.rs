//! Enterprise roster import: the committee office for its region, a unit officer for its own
//! enterprises. Upload (`.xlsx` or `.csv`), preview — new, changed field by field, unchanged,
//! rejected with row, column and reason — then confirm; the confirmation imports every accepted
//! row in one transaction, and is refused if the data changed since the preview. The committee
//! office also keeps the industry table here.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use safeduty_core::policy::{Action, Scope};
use safeduty_core::roster::check::{KEY_INDUSTRIES, OTHER_INDUSTRY};
use safeduty_core::roster::layout::locate;
use safeduty_store::StoreError;
use safeduty_store::roster::{
    self as store_roster, ImportScope, Preview, discard_upload, stage_upload, staged_upload,
};

use super::{Chrome, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::{PageUser, require};

/// Largest upload accepted, in bytes.
pub(crate) const MAX_UPLOAD: usize = 10 * 1024 * 1024;

#[derive(Template)]
#[template(path = "roster.html")]
struct RosterPage {
    chrome: Option<Chrome>,
    csrf: String,
    scope_label: String,
    error: Option<String>,
    file_name: String,
    source: String,
    preview: Option<Preview>,
    upload: String,
    result: Option<String>,
    industries: Vec<(String, String)>,
    manage_industries: bool,
    key_industries: Vec<&'static str>,
}

fn scope_of(user: &CurrentUser) -> Result<ImportScope, AppError> {
    match &user.user.scope {
        Scope::RegionSubtree { region_path } => Ok(ImportScope {
            region_path: region_path.clone(),
            department: None,
        }),
        Scope::Department {
            unit_id,
            region_path,
        } => Ok(ImportScope {
            region_path: region_path.clone(),
            department: Some(*unit_id),
        }),
        Scope::Enterprise { .. } | Scope::Nothing => Err(AppError::NotFound),
    }
}

struct Shown {
    error: Option<String>,
    file_name: String,
    source: String,
    preview: Option<Preview>,
    upload: String,
    result: Option<String>,
}

impl Shown {
    fn empty() -> Shown {
        Shown {
            error: None,
            file_name: String::new(),
            source: String::new(),
            preview: None,
            upload: String::new(),
            result: None,
        }
    }
    fn error(message: String) -> Shown {
        Shown {
            error: Some(message),
            ..Shown::empty()
        }
    }
}

async fn page(state: &AppState, user: &CurrentUser, shown: Shown) -> Result<Response, AppError> {
    let manage_industries =
        safeduty_core::policy::authorize(&user.user.actor(), Action::ManageIndustryTable, None)
            .is_ok();
    let mut key_industries: Vec<&'static str> = KEY_INDUSTRIES.to_vec();
    key_industries.push(OTHER_INDUSTRY);
    Ok(render(&RosterPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        scope_label: user.user.affiliation.clone(),
        error: shown.error,
        file_name: shown.file_name,
        source: shown.source,
        preview: shown.preview,
        upload: shown.upload,
        result: shown.result,
        industries: store_roster::industry_table(state.store()).await?,
        manage_industries,
        key_industries,
    }))
}

fn unprocessable(mut r: Response) -> Response {
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}

/// `GET /roster`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    require(&state, &user, Action::ImportRoster, None).await?;
    Ok(page(&state, &user, Shown::empty()).await?)
}

/// `POST /roster`: the upload (multipart: `csrf`, `file`), answered with the preview.
pub(super) async fn upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let mut csrf: Option<String> = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    let malformed = |e: axum::extract::multipart::MultipartError| AppError::Malformed {
        status: e.status(),
        message: format!(
            "上传内容无法读取（文件不能超过{}MB）",
            MAX_UPLOAD / 1024 / 1024
        ),
    };
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        match field.name() {
            Some("csrf") => csrf = Some(field.text().await.map_err(malformed)?),
            Some("file") => {
                let name = field.file_name().unwrap_or("名单").to_string();
                let bytes = field.bytes().await.map_err(malformed)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    user.require_csrf(csrf.as_deref())?;
    require(&state, &user, Action::ImportRoster, None).await?;
    let scope = scope_of(&user)?;
    let Some((file_name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        let r = page(&state, &user, Shown::error("请选择要导入的名单文件".into())).await?;
        return Ok(unprocessable(r));
    };
    let sheet = match safeduty_roster::read(&bytes) {
        Ok(s) => s,
        Err(e) => {
            let r = page(&state, &user, Shown::error(format!("{file_name}：{e}"))).await?;
            return Ok(unprocessable(r));
        }
    };
    let layout = match locate(&sheet.grid) {
        Ok(l) => l,
        Err(e) => {
            let r = page(&state, &user, Shown::error(format!("{file_name}：{e}"))).await?;
            return Ok(unprocessable(r));
        }
    };
    let preview = store_roster::preview(state.store(), &scope, &layout).await?;
    let upload = if preview.writes() > 0 {
        stage_upload(state.store(), user.user.id, &file_name, &bytes).await?
    } else {
        String::new()
    };
    Ok(page(
        &state,
        &user,
        Shown {
            error: None,
            file_name,
            source: sheet.source.to_string(),
            preview: Some(preview),
            upload,
            result: None,
        },
    )
    .await?)
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct ApplyForm {
    csrf: Option<String>,
    upload: String,
    fingerprint: String,
}

/// `POST /roster/apply`: imports the previewed upload, if it would still do what was shown.
pub(super) async fn apply(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageForm(f): PageForm<ApplyForm>,
) -> Result<Response, PageError> {
    user.require_csrf(f.csrf.as_deref())?;
    require(&state, &user, Action::ImportRoster, None).await?;
    let scope = scope_of(&user)?;
    let (file_name, bytes) = match staged_upload(state.store(), user.user.id, &f.upload).await {
        Ok(v) => v,
        Err(StoreError::NotFound) => {
            let r = page(
                &state,
                &user,
                Shown::error("这份名单已导入或已过期，请重新上传".into()),
            )
            .await?;
            return Ok(unprocessable(r));
        }
        Err(e) => return Err(AppError::from(e).into()),
    };
    let sheet = safeduty_roster::read(&bytes)
        .map_err(|e| AppError::BadRequest(format!("{file_name}：{e}")))?;
    let layout =
        locate(&sheet.grid).map_err(|e| AppError::BadRequest(format!("{file_name}：{e}")))?;
    match store_roster::apply(
        state.store(),
        &user.who(),
        &scope,
        &layout,
        Some(&f.fingerprint),
    )
    .await
    {
        Ok(a) => {
            discard_upload(state.store(), &f.upload).await?;
            let mut message = format!(
                "{file_name}：已导入，新增{}家，变更{}家；{}行未导入。",
                a.created,
                a.updated,
                a.preview.rejected.len()
            );
            for (campaign, n) in &a.enrolled {
                message.push_str(&format!("{n}家新企业已纳入“{campaign}”。"));
            }
            Ok(page(
                &state,
                &user,
                Shown {
                    result: Some(message),
                    ..Shown::empty()
                },
            )
            .await?)
        }
        Err(StoreError::Conflict(m)) => {
            // Show what the import would do now, with a fresh confirmation.
            let preview = store_roster::preview(state.store(), &scope, &layout).await?;
            let r = page(
                &state,
                &user,
                Shown {
                    error: Some(m),
                    file_name,
                    source: sheet.source.to_string(),
                    preview: Some(preview),
                    upload: f.upload,
                    result: None,
                },
            )
            .await?;
            let mut r = r;
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct IndustryForm {
    csrf: Option<String>,
    alias: String,
    industry: String,
}

/// `POST /roster/industries`: the committee office adds or changes an industry table entry.
pub(super) async fn industries(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageForm(f): PageForm<IndustryForm>,
) -> Result<Response, PageError> {
    user.require_csrf(f.csrf.as_deref())?;
    require(&state, &user, Action::ManageIndustryTable, None).await?;
    let shown =
        match store_roster::set_industry_alias(state.store(), &user.who(), &f.alias, &f.industry)
            .await
        {
            Ok(()) => Shown {
                result: Some(format!("已保存：{} → {}", f.alias.trim(), f.industry)),
                ..Shown::empty()
            },
            Err(StoreError::Conflict(m)) => {
                return Ok(unprocessable(page(&state, &user, Shown::error(m)).await?));
            }
            Err(e) => return Err(AppError::from(e).into()),
        };
    Ok(page(&state, &user, shown).await?)
}
