//! `GET /assessment`: the year's assessment of the units (考核巡查, issue #14 point 8) — a
//! summary (each area's deduction and the score of every unit), then each unit's sheet with
//! the computed items beside their figures and sources and the entered items with the
//! assessor's points and reasons; an assessor enters an item (`POST
//! /assessment/{unit}/{item}`); `GET /assessment.xlsx` exports the sheets.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::assessment::{self, Assessment, UnitSheet};
use safeduty_core::assessment::{Basis, Line};
use safeduty_core::policy::{Action, authorize};
use safeduty_store::audit::{Event, Object};

use super::enforcement::{Notice, field, refusal_to_show};
use super::{Chrome, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::download::{Audit, Download, XLSX};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;

#[derive(Template)]
#[template(path = "assessment.html")]
struct AssessmentPage {
    chrome: Option<Chrome>,
    csrf: String,
    a: Assessment,
    /// An assessor (or the committee office): enters the items.
    assesses: bool,
    notice: Option<Notice>,
    /// The form refused: `unit/item`.
    refused: String,
    typed: BTreeMap<String, String>,
}

impl AssessmentPage {
    fn notice_on(&self, form: &str) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|_| self.refused == form)
            .map(|n| n.message.as_str())
    }

    fn form_of(&self, s: &UnitSheet, l: &Line) -> String {
        format!("{}/{}", s.unit.id, l.item.code)
    }

    fn entered(&self, l: &Line) -> bool {
        l.item.basis == Basis::Entered
    }

    fn how(&self, l: &Line) -> String {
        match (&l.item.basis, l.figure) {
            (Basis::Computed { metric, .. }, Some(v)) => format!("系统计算：{}{v}", metric.label()),
            _ => "评分人评定".into(),
        }
    }

    fn version(&self, s: &UnitSheet, l: &Line) -> String {
        s.versions
            .get(&l.item.code)
            .map_or_else(String::new, i64::to_string)
    }

    fn v(&self, form: &str, name: &str, default: String) -> String {
        self.notice_on(form)
            .and_then(|_| self.typed.get(name).cloned())
            .unwrap_or(default)
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<(Notice, String)>,
    typed: BTreeMap<String, String>,
) -> Result<Response, AppError> {
    let today: NaiveDate = state.clock().today();
    let a = assessment::sheets(state.store(), &user.caller(), today).await?;
    let (notice, refused) = notice.map_or((None, String::new()), |(n, f)| (Some(n), f));
    let page = AssessmentPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        a,
        assesses: authorize(&user.user.actor(), Action::AssessUnits, None).is_ok(),
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

/// `GET /assessment`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(page(&state, &user, None, BTreeMap::new()).await?)
}

/// `POST /assessment/{unit}/{item}`: the assessor's points and reason on an entered item.
pub(super) async fn enter(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((unit, item)): Path<(String, String)>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let unit: i64 = unit.parse().map_err(|_| AppError::NotFound)?;
    // Scope first, then validation (issue #16 point 4).
    assessment::unit_in_scope(state.store(), &user.caller(), unit).await?;
    let version = match field(&form, "version").trim() {
        "" => None,
        v => Some(
            v.parse()
                .map_err(|_| AppError::BadRequest("版本号无效".into()))?,
        ),
    };
    let result = match field(&form, "points").trim().parse::<u32>() {
        Ok(points) => {
            assessment::enter(
                state.store(),
                &user.caller(),
                unit,
                &item,
                points,
                field(&form, "reason"),
                version,
            )
            .await
        }
        Err(_) => Err(
            safeduty_core::refusal::Refusal::invalid("扣分应为0或正整数")
                .on("points")
                .into(),
        ),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/assessment").into_response()),
        Err(e) => {
            let (status, notice) = refusal_to_show(e, "assessment")?;
            let typed = super::enforcement::typed(&form, "");
            let mut res = page(
                &state,
                &user,
                Some((notice, format!("{unit}/{item}"))),
                typed,
            )
            .await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

/// `GET /assessment.xlsx`.
pub(super) async fn xlsx(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let today = state.clock().today();
    let bytes = assessment::xlsx(state.store(), &user.caller(), today).await?;
    Ok(
        Download::new(bytes, XLSX, &format!("考核巡查评分表-{today}.xlsx"))
            .send(
                &state,
                &user,
                Audit::Record {
                    event: Event::FileDownloaded,
                    target_kind: Object::Assessment.into(),
                    target_id: "assessment".into(),
                    detail: serde_json::json!({"today": today.to_string()}),
                },
            )
            .await?,
    )
}
