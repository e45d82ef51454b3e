//! Roster downloads: `GET /roster/export?format=xlsx|csv` — the enterprises of the user's scope
//! in the columns the import reads, phones masked for the roles that must not see them
//! (`safeduty_core::personal`), formula-like cells inert (`safeduty_core::cell`), recorded in the
//! audit trail — and `GET /roster/template`, the blank import template.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use safeduty_core::attachment::content_disposition;
use safeduty_core::personal::Disclosure;
use safeduty_core::policy::Action;
use safeduty_roster::export::{Format, template as template_file, write};
use safeduty_store::roster::export::export as export_lines;

use crate::AppState;
use crate::error::{AppError, PageError};
use crate::guard::{PageUser, require};

#[derive(Debug, serde::Deserialize)]
pub(super) struct ExportParams {
    format: Option<String>,
}

fn download(bytes: Vec<u8>, format: Format, name: &str) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&content_disposition(name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// `GET /roster/export?format=xlsx|csv` (default xlsx): committee office, unit officers and
/// assessors, each for its own scope.
pub(super) async fn export(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(params): Query<ExportParams>,
) -> Result<Response, PageError> {
    require(&state, &user, Action::ExportRoster, None).await?;
    let format = match params.format.as_deref() {
        None | Some("") => Format::Xlsx,
        Some(code) => Format::from_code(code).ok_or_else(|| {
            AppError::BadRequest(format!("不支持的导出格式“{code}”，应为 xlsx 或 csv"))
        })?,
    };
    let actor = user.user.actor();
    let lines = export_lines(
        state.store(),
        &user.who(),
        &user.user.scope,
        Disclosure::for_actor(&actor),
        format.code(),
    )
    .await
    .map_err(AppError::from)?;
    let bytes = write(format, &lines).map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!(
        "企业名单-{}-{}.{}",
        user.user.affiliation,
        state.clock().today().format("%Y%m%d"),
        format.code()
    );
    Ok(download(bytes, format, &name))
}

/// `GET /roster/template`: the blank import template, for whoever may import.
pub(super) async fn template(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    require(&state, &user, Action::ImportRoster, None).await?;
    let bytes = template_file().map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(bytes, Format::Xlsx, "企业名单导入模板.xlsx"))
}
