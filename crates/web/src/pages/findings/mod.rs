//! The findings ledger (隐患台账) and one finding's page: the ledger of the caller's scope with
//! filters, sorting and paging and its `.xlsx` export ([`ledger`]), a finding with its timeline,
//! evidence and the forms of the steps the caller may take ([`finding`]), and officers' opening of
//! findings ([`open`]). The rules are the use cases' ([`safeduty_app::findings`]).

mod finding;
mod ledger;
mod open;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use safeduty_core::policy::Action;
use safeduty_store::findings::Finding;
use safeduty_store::org::Enterprise;

/// The page routes of the ledger.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::{get, post};
    crate::routes::Routes::new()
        .route("/findings", get(ledger::ledger_page))
        .route("/findings/export.xlsx", get(ledger::export))
        .route("/findings/{id}", get(finding::show))
        .route("/findings/{id}/act", post(finding::act))
        .route("/findings/{id}/edit", post(finding::edit))
        .upload(
            "/findings/{id}/evidence",
            post(finding::evidence),
            crate::routes::UploadLimit::Configured,
        )
        .upload(
            "/findings/{id}/verify",
            post(finding::verify),
            crate::routes::UploadLimit::Configured,
        )
        .route(
            "/findings/{id}/files/{file}/withdraw",
            post(finding::withdraw),
        )
        .route("/enterprises/{id}/findings/new", get(open::new_form))
        .route("/enterprises/{id}/findings", post(open::open_finding))
}

/// A check item not of the campaign is answered 400, as before the use cases checked it
/// ([`safeduty_app::findings::open`], [`safeduty_app::findings::edit`]): the forms offer only the
/// campaign's items, so only a stale or forged form names another.
fn unknown_item_is_bad_request(e: safeduty_app::Error) -> AppError {
    match e {
        safeduty_app::Error::Refused(r) if r.field() == Some("item") => {
            AppError::BadRequest(r.to_string())
        }
        e => e.into(),
    }
}

/// The finding `id` and its enterprise, with `action` checked on the enterprise
/// ([`safeduty_app::findings::finding_for`]).
async fn finding_for(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    action: Action,
) -> Result<(Finding, Enterprise), AppError> {
    Ok(safeduty_app::findings::finding_for(state.store(), &user.caller(), id, action).await?)
}
