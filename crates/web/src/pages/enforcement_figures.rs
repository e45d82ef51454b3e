//! The enforcement figures (`/enforcement/figures`, 执法统计) and their `.xlsx` export
//! (`/enforcement/figures.xlsx`): the same rows ([`safeduty_app::enforcement::figures`]), a
//! table per unit with the region's total for the committee office and assessors, the own
//! unit's row for an officer.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use safeduty_app::enforcement::figures::{self, DEFINITIONS, Figures, Row};
use safeduty_office::enforcement_figures::{self as sheet, FigureRow};
use safeduty_store::audit::Event;

use super::{Chrome, render};
use crate::AppState;
use crate::download::{Audit, Download, XLSX};
use crate::error::{AppError, PageError};
use crate::guard::PageUser;

/// The routes of the page and its export.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::get;
    crate::routes::Routes::new()
        .route("/enforcement/figures", get(show))
        .route("/enforcement/figures.xlsx", get(export))
}

/// A rate in ‰ as shown: `66.7%`, or `—` without a base.
fn percent(per_mille: Option<i64>) -> String {
    per_mille.map_or_else(|| "—".to_string(), |v| format!("{}.{}%", v / 10, v % 10))
}

/// One row as the table and the export show it.
fn figure_row(r: &Row) -> FigureRow {
    let c = &r.counts;
    FigureRow {
        unit: r.name.clone(),
        kind: r.kind_label().to_string(),
        planned: c.planned,
        inspections: c.inspections,
        key_enterprises: c.key_enterprises,
        key_covered: c.key_covered,
        coverage_per_mille: c.coverage_per_mille(),
        orders_issued: c.orders_issued,
        orders_overdue: c.orders_overdue,
        orders_re_inspected: c.orders_re_inspected,
        findings: c.findings(),
        findings_closed: c.findings_closed,
        findings_open: c.findings_open,
        rectification_per_mille: c.rectification_per_mille(),
        cases_filed: c.cases_filed,
        cases_decided: c.cases_decided,
        cases_closed: c.cases_closed,
        cases_overdue: r.cases_overdue,
        fines: c.fines,
    }
}

/// The fines by provision as the page and the export show them.
fn fines(f: &Figures) -> Vec<(String, i64, i64)> {
    f.fines_by_provision
        .iter()
        .map(|(p, n, sum)| (p.label().to_string(), *n, *sum))
        .collect()
}

struct TableRow {
    r: FigureRow,
    total: bool,
    coverage: String,
    rectification: String,
}

#[derive(Template)]
#[template(path = "enforcement_figures.html")]
struct FiguresPage {
    chrome: Option<Chrome>,
    f: Figures,
    rows: Vec<TableRow>,
    fines: Vec<(String, i64, i64)>,
    definitions: &'static [(&'static str, &'static str)],
}

/// `GET /enforcement/figures`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let f = figures::figures(state.store(), &user.caller(), state.clock().today()).await?;
    let rows = f
        .rows()
        .map(|r| {
            let fr = figure_row(r);
            TableRow {
                coverage: percent(fr.coverage_per_mille),
                rectification: percent(fr.rectification_per_mille),
                total: r.unit_id.is_none(),
                r: fr,
            }
        })
        .collect();
    Ok(render(&FiguresPage {
        chrome: Some(Chrome::new(&state, &user).await),
        rows,
        fines: fines(&f),
        f,
        definitions: DEFINITIONS,
    }))
}

/// `GET /enforcement/figures.xlsx`: the page's rows, and what each column counts.
pub(super) async fn export(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let today = state.clock().today();
    let f = figures::figures(state.store(), &user.caller(), today).await?;
    let rows: Vec<FigureRow> = f.rows().map(figure_row).collect();
    let notes: Vec<String> = DEFINITIONS
        .iter()
        .map(|(label, text)| format!("{label}：{text}"))
        .collect();
    let bytes = sheet::xlsx(&sheet::title(&f.campaign, today), &rows, &fines(&f), &notes)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(
        Download::new(bytes, XLSX, &format!("执法统计-{today}.xlsx"))
            .send(
                &state,
                &user,
                Audit::Record {
                    event: Event::FileDownloaded,
                    target_kind: safeduty_store::audit::Object::Campaign.into(),
                    target_id: f.campaign_id.clone(),
                    detail: serde_json::json!({
                        "document": "enforcement_figures_xlsx",
                        "year": f.year,
                        "today": today.to_string(),
                        "rows": rows.len(),
                    }),
                },
            )
            .await?,
    )
}
