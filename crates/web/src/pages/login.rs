//! Login and logout.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::Utc;
use safeduty_core::identity::{FailureCounter, LockoutPolicy, SecondFactor, second_factor};
use safeduty_core::text::has_control_chars;
use safeduty_store::audit::{self, Entry, Event, Who};
use safeduty_store::{identity, security_policy};
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{
    ClientAddr, end_session, log_out, start_pending_session, start_session, verify_password,
};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Option<Chrome>,
    error: Option<String>,
    username: String,
    /// The pre-session CSRF token ([`crate::csrf::PRE_SESSION_COOKIE`]).
    csrf: String,
}

/// `GET /login`: the form, with the pre-session CSRF token in a `SameSite=Strict` cookie and in
/// the form (login CSRF: a cross-site POST carries no cookie and creates no session).
pub(super) async fn form(State(state): State<AppState>, jar: CookieJar) -> Response {
    login_page(&state, jar, None, String::new())
}

fn login_page(
    state: &AppState,
    jar: CookieJar,
    error: Option<String>,
    username: String,
) -> Response {
    let (csrf, cookie) = crate::csrf::pre_session_token(&jar, state.config().secure_cookies);
    let page = render(&LoginPage {
        chrome: None,
        error,
        username,
        csrf,
    });
    match cookie {
        Some(c) => (jar.add(c), page).into_response(),
        None => page.into_response(),
    }
}

/// Login form fields.
#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    username: String,
    password: String,
}

/// Checks the credentials and audits the attempt (after the login rate limit, [`crate::rate_limit`]).
/// An unknown user and a wrong password get the same answer in about the same time (a dummy hash
/// is checked for unknown users). The caller starts the session, or asks the second factor first
/// when [`owes_code`] says so.
///
/// # Errors
/// [`AppError::TooManyRequests`], [`AppError::BadCredentials`], [`AppError::AccountLocked`],
/// [`AppError::AccountDisabled`]; store errors.
pub(crate) async fn check_password(
    state: &AppState,
    username: &str,
    password: &str,
    client_addr: Option<String>,
) -> Result<safeduty_store::org::User, AppError> {
    let username = username.trim();
    if !state
        .login_limiter()
        .allow(client_addr.as_deref(), username)
    {
        // Not written to the trail: a flood would become a flood of writes.
        tracing::warn!(client = ?client_addr, "login rate limit reached");
        return Err(AppError::TooManyRequests);
    }
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
    let lockout = security_policy::current(state.store()).await?.lockout;
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
    let disabled = ok && user.as_ref().is_some_and(|u| u.disabled);
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
            event: if ok && !disabled {
                Event::Login
            } else {
                Event::LoginFailed
            },
            target_kind: safeduty_store::audit::Object::User.into(),
            target_id: typed,
            before: None,
            after: None,
            result: match (ok, locked, disabled) {
                (true, _, true) => "disabled",
                (true, _, false) if user.as_ref().is_some_and(owes_code) => "password_ok",
                (true, _, false) => "ok",
                (false, true, _) => "locked",
                (false, false, _) => "failed",
            },
        },
    )
    .await?;
    match (user, counter) {
        (Some(_), Some(_)) if disabled => Err(AppError::AccountDisabled),
        (Some(u), Some(c)) if ok => {
            // Failures are cleared by a whole login: when a code is owed, by the right code
            // (check_code), or anyone holding the password could guess codes without end.
            if !owes_code(&u) && (c.count > 0 || c.locked_until.is_some()) {
                identity::clear_failures(state.store(), u.id).await?;
            }
            Ok(u)
        }
        (Some(u), Some(c)) if !locked => {
            Err(count_failure(state, &who, u.id, &c, &lockout, AppError::BadCredentials).await?)
        }
        (Some(_), Some(c)) => Err(AppError::AccountLocked {
            minutes: c
                .locked_until
                .map_or(1, |t| ((t - now).num_seconds() + 59) / 60),
        }),
        _ => Err(AppError::BadCredentials),
    }
}

/// Counts a failure (a wrong password or a wrong second-factor code) toward the lockout and
/// returns the error to answer: `otherwise`, or [`AppError::AccountLocked`] when this one locks.
async fn count_failure(
    state: &AppState,
    who: &Who,
    user_id: i64,
    counter: &FailureCounter,
    lockout: &LockoutPolicy,
    otherwise: AppError,
) -> Result<AppError, AppError> {
    let now = Utc::now();
    let after = lockout.after_failure(counter, now);
    let locks = lockout.is_locked(&after, now);
    identity::record_failure(state.store(), who, user_id, &after, locks).await?;
    Ok(if locks {
        AppError::AccountLocked {
            minutes: lockout.lock_for.num_minutes(),
        }
    } else {
        otherwise
    })
}

/// Whether `user` must give a second-factor code after the password ([`second_factor`]).
pub(crate) fn owes_code(user: &safeduty_store::org::User) -> bool {
    second_factor(user.role, user.is_demo, user.totp_enrolled) == SecondFactor::Ask
}

/// Checks the second-factor code of `user` (RFC 6238, each code good once). A wrong code counts
/// toward the lockout like a wrong password; both are audited.
///
/// # Errors
/// [`AppError::BadSecondFactor`], [`AppError::AccountLocked`]; store errors.
pub(crate) async fn check_code(
    state: &AppState,
    user: &safeduty_store::org::User,
    code: &str,
    client_addr: Option<String>,
) -> Result<(), AppError> {
    let who = Who {
        user_id: Some(user.id),
        role: Some(user.role.code().to_string()),
        client_addr,
    };
    let lockout = security_policy::current(state.store()).await?.lockout;
    let now = Utc::now();
    let counter = identity::failures(state.store(), user.id).await?;
    if lockout.is_locked(&counter, now) {
        return Err(AppError::AccountLocked {
            minutes: counter
                .locked_until
                .map_or(1, |t| ((t - now).num_seconds() + 59) / 60),
        });
    }
    let totp = identity::totp(state.store(), user.id).await?;
    let step = totp.secret.as_deref().and_then(|secret| {
        safeduty_core::totp::verify(secret, code, now.timestamp(), totp.last_step)
    });
    let accepted = match step {
        Some(step) => identity::use_totp_step(state.store(), user.id, step).await?,
        None => false,
    };
    audit::record_alone(
        state.store(),
        Entry {
            who: &who,
            event: if accepted {
                Event::Login
            } else {
                Event::LoginFailed
            },
            target_kind: safeduty_store::audit::Object::User.into(),
            target_id: user.username.clone(),
            before: None,
            after: Some(serde_json::json!({ "second_factor": "totp" })),
            result: if accepted { "ok" } else { "bad_second_factor" },
        },
    )
    .await?;
    if accepted {
        if counter.count > 0 {
            identity::clear_failures(state.store(), user.id).await?;
        }
        return Ok(());
    }
    Err(count_failure(
        state,
        &who,
        user.id,
        &counter,
        &lockout,
        AppError::BadSecondFactor,
    )
    .await?)
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
    let started = match check_password(&state, &f.username, &f.password, addr).await {
        Ok(user) if owes_code(&user) => start_pending_session(&state, user.id)
            .await
            .map(|(cookie, _)| (cookie, "/login/totp")),
        Ok(user) => start_session(&state, user.id)
            .await
            .map(|(cookie, _)| (cookie, "/")),
        Err(e) => Err(e),
    };
    match started {
        Ok((cookie, to)) => Ok((jar.add(cookie), Redirect::to(to)).into_response()),
        Err(
            e @ (AppError::BadCredentials
            | AppError::AccountLocked { .. }
            | AppError::AccountDisabled
            | AppError::TooManyRequests),
        ) => {
            let mut res = login_page(&state, jar, Some(e.parts().2), f.username);
            *res.status_mut() = e.parts().0;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn logout(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let jar = log_out(&state, &user, jar).await?;
    Ok((jar, Redirect::to("/login")).into_response())
}
