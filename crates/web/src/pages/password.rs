//! Changing one's own password: the rules of the security administrator's password policy
//! (`safeduty_core::identity::PasswordPolicy`, not one of the last N), and
//! every session of the user ended (a fresh one is started for this browser).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use safeduty_store::identity;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{CurrentUser, hash_password, start_session, verify_password};
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
    safeduty_store::security_policy::current(state.store())
        .await
        .map(|p| p.password.describe())
        .unwrap_or_default()
}

/// Changes the password of `user` after checking the old one and the rules; ends every session
/// of the user and returns a fresh session cookie and CSRF token.
///
/// # Errors
/// [`AppError::BadRequest`] naming what is wrong (old password, mismatch, rules, reuse).
pub(crate) async fn change_own_password(
    state: &AppState,
    user: &CurrentUser,
    old: &str,
    new: &str,
    confirm: &str,
) -> Result<(Cookie<'static>, String), AppError> {
    let policy = safeduty_store::security_policy::current(state.store())
        .await?
        .password;
    if !verify_password(old, &user.user.password_hash) {
        return Err(AppError::BadRequest("原密码不正确".into()));
    }
    if new != confirm {
        return Err(AppError::BadRequest("两次输入的新密码不一致".into()));
    }
    policy
        .check(&user.user.username, new)
        .map_err(|broken| AppError::BadRequest(broken.join("；")))?;
    let recent = identity::recent_hashes(state.store(), user.user.id, policy.history).await?;
    if recent.iter().any(|h| verify_password(new, h)) {
        return Err(AppError::BadRequest(format!(
            "新密码不能与最近{}次使用过的密码相同",
            policy.history
        )));
    }
    identity::change_password(
        state.store(),
        &user.who(),
        user.user.id,
        &hash_password(new)?,
    )
    .await?;
    start_session(state, user.user.id).await
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
        Err(AppError::BadRequest(message)) => {
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
