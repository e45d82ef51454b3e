//! The security administrator's password and lockout policy page (`/admin/security-policy`):
//! six settings, each bounded below by the level-3 bar ([`POLICY_BOUNDS`]); a change is audited
//! with the settings before and after and takes effect at the next login or password change.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use safeduty_core::identity::POLICY_BOUNDS;
use safeduty_core::policy::Action;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::extract::LaterForm;
use crate::guard::PageUser;

/// One setting as the form shows it: field name, label, bounds, value.
struct Setting {
    name: &'static str,
    label: &'static str,
    min: i64,
    max: i64,
    value: String,
}

#[derive(Template)]
#[template(path = "security_policy.html")]
struct PolicyPage {
    chrome: Option<Chrome>,
    csrf: String,
    settings: Vec<Setting>,
    errors: Vec<String>,
    saved: bool,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    values: [String; 6],
    errors: Vec<String>,
    saved: bool,
) -> Response {
    let failed = !errors.is_empty();
    let mut res = render(&PolicyPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        settings: POLICY_BOUNDS
            .iter()
            .zip(values)
            .map(|((name, label, min, max), value)| Setting {
                name,
                label,
                min: *min,
                max: *max,
                value,
            })
            .collect(),
        errors,
        saved,
    });
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// `GET /admin/security-policy`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Result<Response, PageError> {
    let current = safeduty_app::security_policy::current(state.store(), &user.caller()).await?;
    Ok(page(
        &state,
        &user,
        current.settings().map(|v| v.to_string()),
        Vec::new(),
        q.saved.is_some(),
    )
    .await)
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct PolicyForm {
    min_len: String,
    min_classes: String,
    history: String,
    max_failures: String,
    window_minutes: String,
    lock_minutes: String,
}

/// `POST /admin/security-policy`: all six settings or none.
pub(super) async fn save(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    f: LaterForm<PolicyForm>,
) -> Result<Response, PageError> {
    // Authorization first, then validation (issue #16 point 4).
    safeduty_app::guard::require(
        state.store(),
        &user.caller(),
        Action::ManageSecurityPolicy,
        None,
    )
    .await?;
    let f = f.take()?;
    let typed = [
        f.min_len,
        f.min_classes,
        f.history,
        f.max_failures,
        f.window_minutes,
        f.lock_minutes,
    ];
    let mut numbers = [0i64; 6];
    let mut errors = Vec::new();
    for (i, t) in typed.iter().enumerate() {
        match safeduty_core::text::fold_width(t).parse::<i64>() {
            Ok(v) => numbers[i] = v,
            Err(_) => errors.push(format!("{}须为整数", POLICY_BOUNDS[i].1)),
        }
    }
    if errors.is_empty() {
        match safeduty_app::security_policy::set(state.store(), &user.caller(), numbers).await? {
            Ok(()) => return Ok(Redirect::to("/admin/security-policy?saved=1").into_response()),
            Err(refused) => errors = refused,
        }
    } else {
        // The refused form is shown only to whoever may set the policy (403 / 404 otherwise).
        safeduty_app::security_policy::current(state.store(), &user.caller()).await?;
    }
    Ok(page(&state, &user, typed, errors, false).await)
}
