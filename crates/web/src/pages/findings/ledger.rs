//! The ledger page and its `.xlsx` export: the same rows ([`ledger_rows`]).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use safeduty_core::finding::ledger::{Category, Grade, Source};
use safeduty_core::finding::lifecycle::Status;
use safeduty_store::audit::Event;
use safeduty_store::findings::Finding;
use safeduty_store::findings::ledger::PAGE_SIZE;
use safeduty_store::org::Region;

use super::super::{Chrome, render};
use crate::AppState;
use crate::download::{Audit, Download, XLSX};
use crate::error::{AppError, PageError};
use crate::guard::PageUser;
use crate::input::findings::{LedgerParams, ledger_rows};
use crate::paging::Pager;

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
    pager: Pager,
    params: LedgerParams,
    query: String,
    regions: Vec<Region>,
    statuses: [Status; 7],
    grades: &'static [Grade],
    categories: &'static [Category],
    sources: &'static [Source],
    today: NaiveDate,
}

pub(super) async fn ledger_page(
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
        pager: Pager::from_counts("/findings", &params.query(), page, PAGE_SIZE, found.total),
        query: params.query(),
        regions: safeduty_app::findings::regions(state.store(), &user.caller()).await?,
        params,
        statuses: Status::ALL,
        grades: Grade::ALL,
        categories: Category::ALL,
        sources: Source::ALL,
        today,
    }))
}

pub(super) async fn export(
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
                    target_kind: safeduty_store::audit::Object::Finding.into(),
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
