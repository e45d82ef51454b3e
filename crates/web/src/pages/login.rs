//! Login and logout.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use safeduty_store::audit::{self, Entry, Event, Who};
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{ClientAddr, end_session, start_session, verify_password};
use crate::error::{AppError, PageError};
use crate::guard::PageUser;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Option<Chrome>,
    error: Option<String>,
    username: String,
}

pub(super) async fn form() -> Response {
    render(&LoginPage {
        chrome: None,
        error: None,
        username: String::new(),
    })
}

/// Login form fields.
#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    username: String,
    password: String,
}

/// Checks the credentials, audits the attempt, and on success starts a new session. The same
/// message answers an unknown user and a wrong password.
pub(crate) async fn check_login(
    state: &AppState,
    username: &str,
    password: &str,
    client_addr: Option<String>,
) -> Result<
    (
        safeduty_store::org::User,
        axum_extra::extract::cookie::Cookie<'static>,
        String,
    ),
    AppError,
> {
    let user = safeduty_store::org::user_by_username(state.store(), username.trim()).await;
    let ok = match &user {
        Ok(u) => verify_password(password, &u.password_hash),
        Err(safeduty_store::StoreError::NotFound) => false,
        Err(e) => return Err(AppError::Internal(e.to_string())),
    };
    let who = Who {
        user_id: user.as_ref().ok().map(|u| u.id),
        role: user.as_ref().ok().map(|u| u.role.code().to_string()),
        client_addr,
    };
    audit::record_alone(
        state.store(),
        Entry {
            who: &who,
            event: if ok { Event::Login } else { Event::LoginFailed },
            target_kind: "user",
            target_id: username.trim().to_string(),
            before: None,
            after: None,
            result: if ok { "ok" } else { "failed" },
        },
    )
    .await?;
    match user {
        Ok(u) if ok => {
            let (cookie, csrf) = start_session(state, u.id).await?;
            Ok((u, cookie, csrf))
        }
        _ => Err(AppError::BadRequest("用户名或密码错误".into())),
    }
}

pub(super) async fn submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> Result<Response, PageError> {
    // Any session the browser still holds is ended first: a new id at every login.
    let jar = end_session(&state, jar).await?;
    match check_login(&state, &f.username, &f.password, addr).await {
        Ok((_, cookie, _)) => Ok((jar.add(cookie), Redirect::to("/")).into_response()),
        Err(AppError::BadRequest(msg)) => Ok((
            axum::http::StatusCode::UNAUTHORIZED,
            render(&LoginPage {
                chrome: None,
                error: Some(msg),
                username: f.username,
            }),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Logout form fields.
#[derive(Debug, Deserialize)]
pub(super) struct CsrfForm {
    csrf: Option<String>,
}

pub(super) async fn logout(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    jar: CookieJar,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    user.require_csrf(f.csrf.as_deref())?;
    let jar = end_session(&state, jar).await?;
    audit::record_alone(
        state.store(),
        Entry {
            who: &user.who(),
            event: Event::Logout,
            target_kind: "user",
            target_id: user.user.username.clone(),
            before: None,
            after: None,
            result: "ok",
        },
    )
    .await?;
    Ok((jar, Redirect::to("/login")).into_response())
}
