//! Roster downloads: `GET /roster/export?format=xlsx|csv` — the enterprises of the user's scope
//! in the columns the import reads, phones masked for the roles that must not see them
//! (`safeduty_core::personal`), formula-like cells inert (`safeduty_core::cell`), recorded in the
//! audit trail — and `GET /roster/template`, the blank import template.

use axum::extract::{Query, State};
use axum::response::Response;
use safeduty_core::policy::Action;
use safeduty_roster::export::{Format, template as template_file, write};
use safeduty_store::audit::Event;

use crate::AppState;
use crate::download::{Audit, Download};
use crate::error::{AppError, PageError};
use crate::guard::PageUser;

#[derive(Debug, serde::Deserialize)]
pub(super) struct ExportParams {
    format: Option<String>,
}

/// `GET /roster/export?format=xlsx|csv` (default xlsx): committee office, unit officers and
/// assessors, each for its own scope.
pub(super) async fn export(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(params): Query<ExportParams>,
) -> Result<Response, PageError> {
    let format = match params.format.as_deref() {
        None | Some("") => Format::Xlsx,
        Some(code) => Format::from_code(code).ok_or_else(|| {
            AppError::BadRequest(format!("不支持的导出格式“{code}”，应为 xlsx 或 csv"))
        })?,
    };
    let lines = safeduty_app::roster::export(state.store(), &user.caller(), format).await?;
    let bytes = write(format, &lines).map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!(
        "企业名单-{}-{}.{}",
        user.user.affiliation,
        state.clock().today().format("%Y%m%d"),
        format.code()
    );
    Ok(Download::new(bytes, format.content_type(), &name)
        .send(&state, &user, Audit::InStore)
        .await?)
}

/// `GET /roster/template`: the blank import template, for whoever may import.
pub(super) async fn template(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    // The blank template holds no data: whoever may import may have it.
    safeduty_app::guard::require(state.store(), &user.caller(), Action::ImportRoster, None).await?;
    let bytes = template_file().map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(
        Download::new(bytes, Format::Xlsx.content_type(), "企业名单导入模板.xlsx")
            .send(
                &state,
                &user,
                Audit::Record {
                    event: Event::FileDownloaded,
                    target_kind: safeduty_store::audit::Object::Roster.into(),
                    target_id: "template".into(),
                    detail: serde_json::json!({"document": "roster_template_xlsx"}),
                },
            )
            .await?,
    )
}
