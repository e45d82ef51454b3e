//! The dishonesty list in the browser (严重失信主体名单, issue #14 point 4): `GET
//! /enforcement/dishonesty` lists the listings in scope and, for an officer of a deciding unit,
//! the decided cases whose party may be listed with the form of the 告知书; `GET
//! /enforcement/dishonesty/{id}` shows one listing with the dated record of its steps, the forms
//! of the steps its state allows, and its two documents (`…/documents/notice`, `…/decision`).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::enforcement::cases;
use safeduty_app::enforcement::dishonesty::{self, ListingDocument, ListingView};
use safeduty_core::enforcement::dishonesty::{Ground, ListingData, ListingStatus};
use safeduty_core::policy::{Action, authorize};
use safeduty_store::audit::{Event, Object};
use safeduty_store::enforcement::dishonesty::ListingRecord;

use super::super::{Chrome, render};
use super::{Notice, field, refusal_to_show, typed, version_of};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::download::{Audit, DOCX, Download};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;
use crate::input::dishonesty::ListingStepRequest;
use crate::input::enforcement::date;

/// A decided case whose party may be listed.
struct Candidate {
    public_id: String,
    number: String,
    party: String,
    enterprise: String,
    cause: String,
}

#[derive(Template)]
#[template(path = "enforcement_dishonesty.html")]
struct ListPage {
    chrome: Option<Chrome>,
    csrf: String,
    listings: Vec<ListingRecord>,
    candidates: Vec<Candidate>,
    data: ListingData,
    today: NaiveDate,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
}

impl ListPage {
    fn notice_on(&self, form: &str) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|n| n.form == form)
            .map(|n| n.message.as_str())
    }

    /// Whether the refused form was the one of `case`.
    fn refused(&self, case: &str) -> bool {
        self.notice_on("notify").is_some()
            && self.typed.get("case").map(String::as_str) == Some(case)
    }

    /// What `name` held when the form of `case` was refused, else `default`.
    fn v(&self, case: &str, name: &str, default: &str) -> String {
        if self.refused(case) {
            self.typed.get(name).cloned().unwrap_or_default()
        } else {
            default.to_string()
        }
    }

    fn status(&self, r: &ListingRecord) -> &'static str {
        r.listing.state().label()
    }

    fn party(&self, r: &ListingRecord) -> String {
        party_words(&r.listing.party)
    }
}

fn party_words(p: &safeduty_core::enforcement::case::Party) -> String {
    match p {
        safeduty_core::enforcement::case::Party::Unit { name, .. } => name.clone(),
        safeduty_core::enforcement::case::Party::Person {
            name,
            role,
            unit_name,
            ..
        } => format!("{name}（{role}，{unit_name}）"),
    }
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
) -> Result<Response, AppError> {
    let caller = user.caller();
    let listings = dishonesty::list(state.store(), &caller).await?;
    let listed: Vec<&str> = listings.iter().map(|l| l.case_public_id.as_str()).collect();
    let may_enforce = authorize(&caller.actor(), Action::Enforce, None).is_ok();
    let candidates = if may_enforce {
        cases::list(state.store(), &caller)
            .await?
            .into_iter()
            .filter(|(c, _)| {
                c.decision_amount.is_some()
                    && Some(c.unit_id) == user.user.unit_id
                    && !listed.contains(&c.public_id.as_str())
            })
            .map(|(c, number)| Candidate {
                party: if c.party_kind == "person" {
                    format!("{}（{}）", c.party_name, c.party_role)
                } else {
                    c.party_name.clone()
                },
                public_id: c.public_id,
                number: number.unwrap_or_default(),
                enterprise: c.enterprise_name,
                cause: c.cause,
            })
            .collect()
    } else {
        Vec::new()
    };
    let page = ListPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        listings,
        candidates,
        data: ListingData::shipped(),
        today: state.clock().today(),
        notice,
        typed,
    };
    let status = if page.notice.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /enforcement/dishonesty`.
pub(super) async fn index(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(list_page(&state, &user, None, BTreeMap::new()).await?)
}

/// `POST /enforcement/cases/{id}/dishonesty`: starts the listing of the case's party.
pub(super) async fn notify(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    cases::case_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let result = match date(field(&form, "notified_on"), "notified_on", "告知书送达日期") {
        Ok(d) => {
            dishonesty::notify(
                state.store(),
                &user.caller(),
                &id,
                field(&form, "ground"),
                field(&form, "reasons"),
                d,
                state.clock().today(),
            )
            .await
        }
        Err(r) => {
            match cases::case_for(state.store(), &user.caller(), &id, Action::Enforce).await {
                Ok(_) => Err(r.into()),
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Ok(listing) => {
            Ok(Redirect::to(&format!("/enforcement/dishonesty/{listing}")).into_response())
        }
        Err(e) => {
            let (status, notice) = refusal_to_show(e, "notify")?;
            let mut typed = typed(&form, "");
            typed.insert("case".into(), id);
            let mut res = list_page(&state, &user, Some(notice), typed).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

#[derive(Template)]
#[template(path = "enforcement_listing.html")]
struct ListingPage {
    chrome: Option<Chrome>,
    csrf: String,
    view: ListingView,
    party: String,
    status: ListingStatus,
    today: NaiveDate,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
}

impl ListingPage {
    fn notice_on(&self, form: &str) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|n| n.form == form)
            .map(|n| n.message.as_str())
    }

    fn v(&self, form: &str, name: &str, default: &str) -> String {
        self.notice_on(form)
            .and_then(|_| self.typed.get(name).cloned())
            .unwrap_or_else(|| default.to_string())
    }

    /// Whether the listing is in one of the states `codes`.
    fn is(&self, codes: &[&str]) -> bool {
        codes.contains(&self.status.code())
    }

    fn ground(&self) -> &Ground {
        &self.view.record.listing.ground
    }
}

async fn listing_page(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    notice: Option<Notice>,
    typed: BTreeMap<String, String>,
) -> Result<Response, AppError> {
    let view = dishonesty::view(state.store(), &user.caller(), id).await?;
    let page = ListingPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        party: party_words(&view.record.listing.party),
        status: view.record.listing.state(),
        view,
        today: state.clock().today(),
        notice,
        typed,
    };
    let status = if page.notice.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /enforcement/dishonesty/{id}`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    Ok(listing_page(&state, &user, &id, None, BTreeMap::new()).await?)
}

/// `POST /enforcement/dishonesty/{id}/steps`: records the step named by the form's `step`.
pub(super) async fn step(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Scope first, then validation (issue #16 point 4).
    dishonesty::listing_for(state.store(), &user.caller(), &id, Action::ReadEnforcement).await?;
    let version = version_of(&form)?;
    let req = ListingStepRequest {
        version,
        step: field(&form, "step").into(),
        date: field(&form, "date").into(),
        text: field(&form, "text").into(),
        upheld: field(&form, "upheld").into(),
        number: field(&form, "number").into(),
        channels: field(&form, "channels").into(),
        granted: field(&form, "granted").into(),
    };
    let result = match req.step() {
        Ok(step) => {
            dishonesty::step(
                state.store(),
                &user.caller(),
                &id,
                version,
                &step,
                state.clock().today(),
            )
            .await
        }
        Err(r) => {
            match dishonesty::listing_for(state.store(), &user.caller(), &id, Action::Enforce).await
            {
                Ok(_) => Err(r.into()),
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/enforcement/dishonesty/{id}")).into_response()),
        Err(e) => {
            let form_name = dishonesty::Step::CODES
                .iter()
                .find(|c| **c == req.step.trim())
                .copied()
                .unwrap_or("step");
            let (status, notice) = refusal_to_show(e, form_name)?;
            let mut res = listing_page(&state, &user, &id, Some(notice), typed(&form, "")).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

/// `GET /enforcement/dishonesty/{id}/documents/{kind}`: the 告知书 or the 决定书 as a Word file,
/// with its audit record.
pub(super) async fn download(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let kind = ListingDocument::from_code(&kind).ok_or(AppError::NotFound)?;
    let g = dishonesty::document(state.store(), &user.caller(), &id, kind).await?;
    Ok(Download::new(g.bytes, DOCX, &g.file_name)
        .send(
            &state,
            &user,
            Audit::Record {
                event: Event::FileDownloaded,
                target_kind: Object::DishonestyListing.into(),
                target_id: id,
                detail: serde_json::json!({
                    "document": kind.label(),
                    "number": g.number,
                    "template": g.template,
                }),
            },
        )
        .await?)
}
