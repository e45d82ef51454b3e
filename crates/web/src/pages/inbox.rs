//! The inbox: reminders addressed to the user's enterprise (and its principal person) or unit.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use safeduty_store::reminders::{self, Reminder, recipients_of};

use super::{Chrome, render};
use crate::AppState;
use crate::error::PageError;
use crate::guard::PageUser;

/// Most reminders shown.
const LIMIT: i64 = 200;

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    chrome: Option<Chrome>,
    csrf: String,
    items: Vec<Reminder>,
}

pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let items = reminders::inbox(state.store(), &recipients_of(&user.user), LIMIT).await?;
    Ok(render(&InboxPage {
        chrome: Some(Chrome::new(&state, &user).await),
        csrf: user.csrf.clone(),
        items,
    }))
}

pub(super) async fn read(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    reminders::mark_read(state.store(), &user.who(), &id, &recipients_of(&user.user)).await?;
    Ok(Redirect::to("/inbox").into_response())
}
