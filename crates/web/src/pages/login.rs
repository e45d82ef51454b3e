//! Login and logout.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{
    ClientAddr, check_password, end_session, log_out, start_pending_session, start_session,
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
    /// The office that runs the deployment, when one is set up.
    organiser: Option<String>,
    /// Whom to call about an account (`serve --contact`).
    contact: Option<String>,
}

/// `GET /login`: the form, with the pre-session CSRF token in a `SameSite=Strict` cookie and in
/// the form (login CSRF: a cross-site POST carries no cookie and creates no session).
pub(super) async fn form(State(state): State<AppState>, jar: CookieJar) -> Response {
    login_page(&state, jar, None, String::new()).await
}

async fn login_page(
    state: &AppState,
    jar: CookieJar,
    error: Option<String>,
    username: String,
) -> Response {
    let (csrf, cookie) = crate::csrf::pre_session_token(&jar, state.config().secure_cookies);
    // The login page answers even when the store does not: the organiser is then left out.
    let organiser = safeduty_app::identity::organising_office(state.store())
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "organising office not read for the login page");
            None
        });
    let page = render(&LoginPage {
        chrome: None,
        error,
        username,
        csrf,
        organiser,
        contact: state.config().contact.clone(),
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

pub(super) async fn submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    jar: CookieJar,
    PageForm(f): PageForm<LoginForm>,
) -> Result<Response, PageError> {
    // Any session the browser still holds is ended first: a new id at every login.
    let jar = end_session(&state, jar).await?;
    let started = match check_password(&state, &f.username, &f.password, addr).await {
        Ok(user) if safeduty_app::identity::owes_code(&user) => {
            start_pending_session(&state, user.id)
                .await
                .map(|(cookie, _)| (cookie, "/login/totp"))
        }
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
            let mut res = login_page(&state, jar, Some(e.parts().2), f.username).await;
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
