//! `GET /unit-measures`: the “八个一” measures per unit (issue #14 point 1). The committee office and
//! the assessors see every unit of their region × every measure of the campaign, what is
//! missing counted under each measure, the figures of the records beside the entries with their
//! source; the committee office returns an entry with a reason. A town or department sees its
//! own row and records each measure (`POST /unit-measures/{number}`: the day, what was done, an
//! evidence file). Evidence files download at `/unit-measures/files/{id}`.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::unit_measures::{self, Cell, Grid, Record};
use safeduty_core::policy::{Action, authorize};
use safeduty_store::audit::{Event, Object};
use safeduty_store::unit_measures::UnitMeasure;

use super::enforcement::{Notice, field, refusal_to_show, version_of};
use super::{Chrome, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::download::{Audit, Download};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;
use crate::input::enforcement::date;
use crate::upload::UploadForm;

#[derive(Template)]
#[template(path = "measures.html")]
struct MeasuresPage {
    chrome: Option<Chrome>,
    csrf: String,
    grid: Grid,
    missing: Vec<usize>,
    /// A town or department: records its own measures.
    records: bool,
    /// The committee office: returns entries.
    oversees: bool,
    today: NaiveDate,
    notice: Option<Notice>,
    /// The form the notice is about: `m3` (measure 3), `r<id>` (the return of an entry).
    refused: String,
    typed: BTreeMap<String, String>,
}

impl MeasuresPage {
    fn notice_on(&self, form: &str) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|_| self.refused == form)
            .map(|n| n.message.as_str())
    }

    /// The form of measure `number`.
    fn form_of(&self, number: &u32) -> String {
        format!("m{number}")
    }

    /// The return form of entry `id`.
    fn return_of(&self, id: &str) -> String {
        format!("r{id}")
    }

    fn v(&self, form: &str, name: &str, default: &str) -> String {
        self.notice_on(form)
            .and_then(|_| self.typed.get(name).cloned())
            .unwrap_or_else(|| default.to_string())
    }

    /// The caller's own unit's entry of the measure at `i` (a unit officer sees one row).
    fn own_entry(&self, i: &usize) -> Option<&UnitMeasure> {
        self.grid
            .rows
            .first()
            .and_then(|(_, cells)| cells.get(*i))
            .and_then(|c| c.entry.as_ref())
    }

    fn own_held_on(&self, i: &usize) -> String {
        self.own_entry(i)
            .map_or_else(|| self.today.to_string(), |e| e.held_on.to_string())
    }

    fn own_description(&self, i: &usize) -> &str {
        self.own_entry(i).map_or("", |e| e.description.as_str())
    }

    fn cell_class(&self, c: &Cell) -> &'static str {
        if c.returned() {
            "warn"
        } else if c.done() {
            "ok"
        } else {
            "missing"
        }
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<(Notice, String)>,
    typed: BTreeMap<String, String>,
) -> Result<Response, AppError> {
    let (notice, refused) = notice.map_or((None, String::new()), |(n, f)| (Some(n), f));
    let today = state.clock().today();
    let grid = unit_measures::grid(state.store(), &user.caller(), today).await?;
    let actor = user.user.actor();
    let page = MeasuresPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        missing: grid.missing(),
        grid,
        records: authorize(&actor, Action::SubmitReport, None).is_ok(),
        oversees: authorize(&actor, Action::OverseeUnits, None).is_ok(),
        today,
        notice,
        refused,
        typed,
    };
    let status = if page.notice.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /unit-measures`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(page(&state, &user, None, BTreeMap::new()).await?)
}

async fn after(
    state: &AppState,
    user: &CurrentUser,
    result: Result<(), safeduty_app::Error>,
    form: String,
    typed: BTreeMap<String, String>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to("/unit-measures").into_response()),
        Err(e) => {
            let (status, notice) = refusal_to_show(e, "measure")?;
            let mut res = page(state, user, Some((notice, form)), typed).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

/// `POST /unit-measures/{number}`: the caller's unit records the measure with an evidence file.
pub(super) async fn record(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(number): Path<String>,
    form: UploadForm,
) -> Result<Response, PageError> {
    let number: u32 = number.parse().map_err(|_| AppError::NotFound)?;
    let caller = user.caller();
    safeduty_app::guard::require(state.store(), &caller, Action::SubmitReport, None).await?;
    let text = |name: &str| form.field(name).unwrap_or_default().to_string();
    let typed: BTreeMap<String, String> = ["held_on", "description"]
        .into_iter()
        .map(|k| (k.to_string(), text(k)))
        .collect();
    let version = match text("version").trim() {
        "" => None,
        v => Some(
            v.parse()
                .map_err(|_| AppError::BadRequest("版本号无效".into()))?,
        ),
    };
    let result = match date(&text("held_on"), "held_on", "落实日期") {
        Err(r) => Err(r.into()),
        Ok(held_on) => {
            let files = match &form.file {
                Some(f) => vec![f.store(&state).await?],
                None => Vec::new(),
            };
            unit_measures::record(
                state.store(),
                &caller,
                &Record {
                    number,
                    held_on,
                    description: &text("description"),
                    files: &files,
                    version,
                },
                state.clock().today(),
            )
            .await
            .map(|_| ())
        }
    };
    after(&state, &user, result, format!("m{number}"), typed).await
}

/// `POST /unit-measures/entries/{id}/return`: the committee office returns an entry with a reason.
pub(super) async fn return_entry(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    unit_measures::entry_for(state.store(), &user.caller(), &id).await?;
    let version = version_of(&form)?;
    let result = unit_measures::return_entry(
        state.store(),
        &user.caller(),
        &id,
        version,
        field(&form, "reason"),
    )
    .await;
    let typed = [("reason".to_string(), field(&form, "reason").to_string())].into();
    after(&state, &user, result, format!("r{id}"), typed).await
}

/// `GET /unit-measures/files/{id}`: an evidence file, for those who see its unit.
pub(super) async fn file(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let f = unit_measures::evidence(state.store(), &user.caller(), &id).await?;
    let bytes = state.blobs()?.get(&f.sha256).await?;
    Ok(Download::new(bytes, &f.content_type, &f.name)
        .send(
            &state,
            &user,
            Audit::Record {
                event: Event::FileDownloaded,
                target_kind: Object::UnitMeasure.into(),
                target_id: id,
                detail: serde_json::json!({"name": f.name, "unit_id": f.unit_id}),
            },
        )
        .await?)
}
