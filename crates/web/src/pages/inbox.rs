//! The inbox: reminders addressed to the user's enterprise (and its principal person) or unit
//! ([`safeduty_app::inbox`]).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use safeduty_store::reminders::Reminder;

use super::{Chrome, render};
use crate::AppState;
use crate::error::PageError;
use crate::guard::PageUser;

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
    let items = safeduty_app::inbox::reminders(state.store(), &user.caller()).await?;
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
    safeduty_app::inbox::mark_read(state.store(), &user.caller(), &id).await?;
    Ok(Redirect::to("/inbox").into_response())
}
