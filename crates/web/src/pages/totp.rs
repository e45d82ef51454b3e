//! The TOTP second factor (RFC 6238): enrollment (`/totp`: the secret shown as base32 and as an
//! `otpauth://` URI, confirmed by a code) and the code asked after the password at login
//! (`/login/totp`). Required for the three administrator roles, optional for others; demo
//! accounts are exempt ([`safeduty_core::identity::second_factor`]).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use safeduty_core::identity::{SecondFactor, second_factor};
use safeduty_core::totp;
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{end_session, start_session};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;

/// Issuer shown in authenticator apps.
const ISSUER: &str = "安全生产履职专项治理";

#[derive(Template)]
#[template(path = "totp_code.html")]
struct CodePage {
    chrome: Option<Chrome>,
    csrf: String,
    error: Option<String>,
}

/// `GET /login/totp`: the code form of a session that owes it.
pub(super) async fn code_form(PageUser(user): PageUser) -> Result<Response, PageError> {
    if !user.pending_second_factor {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(render(&CodePage {
        chrome: None,
        csrf: user.csrf.clone(),
        error: None,
    }))
}

#[derive(Debug, Deserialize)]
pub(super) struct CodeForm {
    code: String,
}

/// `POST /login/totp`: a good code replaces the pending session with a full one under a new id
/// (session renewed at the privilege change); a wrong one counts toward the lockout.
pub(super) async fn code_submit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    jar: CookieJar,
    PageForm(f): PageForm<CodeForm>,
) -> Result<Response, PageError> {
    if !user.pending_second_factor {
        return Ok(Redirect::to("/").into_response());
    }
    match safeduty_app::identity::check_code(
        state.store(),
        &user.user,
        &f.code,
        user.client_addr.clone(),
    )
    .await
    .map_err(AppError::from)
    {
        Ok(()) => {
            let jar = end_session(&state, jar).await?;
            let (cookie, _) = start_session(&state, user.user.id).await?;
            Ok((jar.add(cookie), Redirect::to("/")).into_response())
        }
        Err(e @ AppError::AccountLocked { .. }) => {
            // Locked: the pending session ends too; the login page says why.
            let jar = end_session(&state, jar).await?;
            let (status, _, message) = e.parts();
            Ok((status, jar, super::error_page(status, &message)).into_response())
        }
        Err(e @ AppError::BadSecondFactor) => {
            let (status, _, message) = e.parts();
            let mut res = render(&CodePage {
                chrome: None,
                csrf: user.csrf.clone(),
                error: Some(message),
            });
            *res.status_mut() = status;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "totp_enroll.html")]
struct EnrollPage {
    chrome: Option<Chrome>,
    csrf: String,
    required: bool,
    enrolled: bool,
    exempt: bool,
    secret: String,
    uri: String,
    error: Option<String>,
}

/// The page, with the secret being enrolled when there is one.
async fn enroll_page(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    error: Option<String>,
) -> Result<Response, AppError> {
    let owed = second_factor(user.user.role, user.user.is_demo, user.user.totp_enrolled);
    let mut page = EnrollPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        required: owed == SecondFactor::MustEnroll,
        enrolled: user.user.totp_enrolled,
        exempt: user.user.is_demo,
        secret: String::new(),
        uri: String::new(),
        error,
    };
    if let Some(secret) =
        safeduty_app::identity::pending_totp(state.store(), &user.caller()).await?
    {
        page.secret = totp::base32(&secret);
        page.uri = totp::otpauth_uri(&secret, ISSUER, &user.user.username);
    }
    let mut res = render(&page);
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

/// `GET /totp`: the state of the second factor, and the secret being enrolled.
pub(super) async fn enroll_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(enroll_page(&state, &user, None).await?)
}

/// `POST /totp/start`: a new secret to enroll (a secret shown earlier and not confirmed is
/// dropped). Nothing is in force until a code confirms it.
pub(super) async fn enroll_start(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    safeduty_app::identity::start_totp(state.store(), &user.caller()).await?;
    Ok(Redirect::to("/totp").into_response())
}

/// `POST /totp`: a good code for the pending secret puts it in force; every session of the user
/// ends and this browser gets a new one (privilege change).
pub(super) async fn enroll_submit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    jar: CookieJar,
    PageForm(f): PageForm<CodeForm>,
) -> Result<Response, PageError> {
    match safeduty_app::identity::confirm_totp(state.store(), &user.caller(), &f.code).await {
        Ok(false) => Ok(Redirect::to("/totp").into_response()),
        Ok(true) => {
            let (cookie, _) = start_session(&state, user.user.id).await?;
            Ok((jar.add(cookie), Redirect::to("/")).into_response())
        }
        Err(safeduty_app::Error::Refused(r)) => {
            let mut res = enroll_page(&state, &user, Some(r.to_string())).await?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}
