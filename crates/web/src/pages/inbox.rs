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
    items: Vec<(Reminder, Option<String>)>,
}

/// Where a reminder leads: the finding, the reports, the overdue findings of a digest, or the
/// password page for an account notice (issue #18 point 6: every reminder links to its subject).
fn link(r: &Reminder) -> Option<String> {
    match r.subject_kind.as_str() {
        "finding" => Some(format!("/findings/{}", r.subject_key)),
        "report" => Some("/reports".into()),
        "digest" => Some("/findings?overdue=yes".into()),
        "account" => Some("/password".into()),
        _ => None,
    }
}

pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let items = safeduty_app::inbox::reminders(state.store(), &user.caller()).await?;
    Ok(render(&InboxPage {
        chrome: Some(Chrome::new(&state, &user).await),
        csrf: user.csrf.clone(),
        items: items
            .into_iter()
            .map(|r| {
                let href = link(&r);
                (r, href)
            })
            .collect(),
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
