//! Login and logout.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::Utc;
use safeduty_core::identity::LockoutPolicy;
use safeduty_core::text::has_control_chars;
use safeduty_store::audit::{self, Entry, Event, Who};
use safeduty_store::identity;
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{ClientAddr, end_session, log_out, start_session, verify_password};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
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

/// Checks the credentials, audits the attempt, and on success starts a new session. An unknown
/// user and a wrong password get the same answer in about the same time (a dummy hash is checked
/// for unknown users).
///
/// # Errors
/// [`AppError::BadCredentials`]; store errors.
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
    let username = username.trim();
    let readable = !has_control_chars(username) && username.chars().count() <= 64;
    let user = if readable {
        match safeduty_store::org::user_by_username(state.store(), username).await {
            Ok(u) => Some(u),
            Err(safeduty_store::StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    // A locked account is refused whatever the password (GB/T 22239-2019: lockout after
    // repeated failures); the password is still hashed so that timing says nothing.
    let lockout = LockoutPolicy::default();
    let now = Utc::now();
    let counter = match &user {
        Some(u) => Some(identity::failures(state.store(), u.id).await?),
        None => None,
    };
    let locked = counter.as_ref().is_some_and(|c| lockout.is_locked(c, now));
    let ok = match &user {
        Some(u) if !locked => verify_password(password, &u.password_hash),
        _ => {
            let _ = verify_password(password, dummy_hash());
            false
        }
    };
    let who = Who {
        user_id: user.as_ref().map(|u| u.id),
        role: user.as_ref().map(|u| u.role.code().to_string()),
        client_addr,
    };
    // What was typed is recorded printable and bounded, whatever it was.
    let typed: String = username
        .chars()
        .take(64)
        .flat_map(char::escape_default)
        .collect();
    audit::record_alone(
        state.store(),
        Entry {
            who: &who,
            event: if ok { Event::Login } else { Event::LoginFailed },
            target_kind: "user",
            target_id: typed,
            before: None,
            after: None,
            result: match (ok, locked) {
                (true, _) => "ok",
                (false, true) => "locked",
                (false, false) => "failed",
            },
        },
    )
    .await?;
    match (user, counter) {
        (Some(u), Some(c)) if ok => {
            if c.count > 0 || c.locked_until.is_some() {
                identity::clear_failures(state.store(), u.id).await?;
            }
            let (cookie, csrf) = start_session(state, u.id).await?;
            Ok((u, cookie, csrf))
        }
        (Some(u), Some(c)) if !locked => {
            let after = lockout.after_failure(&c, now);
            let locks = lockout.is_locked(&after, now);
            identity::record_failure(state.store(), &who, u.id, &after, locks).await?;
            if locks {
                Err(AppError::AccountLocked {
                    minutes: lockout.lock_for.num_minutes(),
                })
            } else {
                Err(AppError::BadCredentials)
            }
        }
        (Some(_), Some(c)) => Err(AppError::AccountLocked {
            minutes: c
                .locked_until
                .map_or(1, |t| ((t - now).num_seconds() + 59) / 60),
        }),
        _ => Err(AppError::BadCredentials),
    }
}

/// A hash to check passwords of unknown users against, so that they take as long as known ones.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| crate::auth::hash_password("not a password of anyone").unwrap_or_default())
}

pub(super) async fn submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    jar: CookieJar,
    PageForm(f): PageForm<LoginForm>,
) -> Result<Response, PageError> {
    // Any session the browser still holds is ended first: a new id at every login.
    let jar = end_session(&state, jar).await?;
    match check_login(&state, &f.username, &f.password, addr).await {
        Ok((_, cookie, _)) => Ok((jar.add(cookie), Redirect::to("/")).into_response()),
        Err(e @ (AppError::BadCredentials | AppError::AccountLocked { .. })) => Ok((
            axum::http::StatusCode::UNAUTHORIZED,
            render(&LoginPage {
                chrome: None,
                error: Some(e.parts().2),
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
    PageForm(f): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    user.require_csrf(f.csrf.as_deref())?;
    let jar = log_out(&state, &user, jar).await?;
    Ok((jar, Redirect::to("/login")).into_response())
}
