//! Changing one's own password: the rules of the security administrator's password policy
//! (`safeduty_core::identity::PasswordPolicy`, not one of the last N), and
//! every session of the user ended (a fresh one is started for this browser).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::change_own_password;
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    chrome: Option<Chrome>,
    csrf: String,
    forced: bool,
    error: Option<String>,
    rules: String,
}

async fn rules(state: &AppState) -> String {
    safeduty_app::identity::password_rules(state.store())
        .await
        .unwrap_or_default()
}

pub(super) async fn form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(render(&PasswordPage {
        chrome: Some(Chrome::new(&state, &user).await),
        csrf: user.csrf.clone(),
        forced: user.user.must_change_password,
        error: None,
        rules: rules(&state).await,
    }))
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct PasswordForm {
    old_password: String,
    new_password: String,
    confirm_password: String,
}

pub(super) async fn submit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    jar: CookieJar,
    PageForm(f): PageForm<PasswordForm>,
) -> Result<Response, PageError> {
    match change_own_password(
        &state,
        &user,
        &f.old_password,
        &f.new_password,
        &f.confirm_password,
    )
    .await
    {
        Ok((cookie, _)) => Ok((jar.add(cookie), Redirect::to("/")).into_response()),
        Err(AppError::Refused(r)) => {
            let message = r.to_string();
            let mut res = render(&PasswordPage {
                chrome: Some(Chrome::new(&state, &user).await),
                csrf: user.csrf.clone(),
                forced: user.user.must_change_password,
                error: Some(message),
                rules: rules(&state).await,
            });
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}
