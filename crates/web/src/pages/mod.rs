//! Server-rendered pages, in Chinese. Each page checks the policy before it loads data, and lists
//! are filtered by scope in the store's queries.

mod acceptance;
mod accountability;
mod accounts;
mod assessment;
mod audit;
mod calendar;
mod campaign;
mod charts;
mod commitment;
mod enforcement;
mod enforcement_figures;
mod enforcement_plans;
mod enforcement_settings;
mod enterprise;
mod evidence;
pub(crate) mod findings;
mod inbox;
mod login;
mod measures;
mod password;
mod plans;
mod profile;
mod progress;
mod records;
mod reports;
mod roster;
mod roster_export;
mod security_policy;
mod signing;
mod totp;

use axum::extract::DefaultBodyLimit;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use safeduty_core::policy::Role;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::guard::PageUser;
pub(crate) use crate::layout::{Chrome, error_page, render};
use crate::routes::UploadLimit;

/// The page routes.
pub(crate) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .route("/", get(home))
        .route(
            "/login",
            get(login::form)
                .post(login::submit)
                .layer(DefaultBodyLimit::max(crate::auth::LOGIN_BODY_LIMIT)),
        )
        .route("/login/totp", get(totp::code_form).post(totp::code_submit))
        .route("/totp", get(totp::enroll_form).post(totp::enroll_submit))
        .route("/totp/start", post(totp::enroll_start))
        .route(
            "/admin/accounts",
            get(accounts::list).post(accounts::create),
        )
        .route(
            "/admin/accounts/{username}/status",
            post(accounts::set_status),
        )
        .route(
            "/admin/accounts/{username}/password",
            post(accounts::reset_password),
        )
        .route("/admin/accounts/{username}/grant", post(accounts::grant))
        .route(
            "/admin/accounts/grant-enterprises",
            post(accounts::grant_enterprises),
        )
        .route(
            "/admin/accounts/{username}/role",
            get(accounts::role_form).post(accounts::assign_role),
        )
        .upload(
            "/admin/provision",
            get(accounts::provision_form).post(accounts::provision_upload),
            UploadLimit::Document(roster::MAX_UPLOAD),
        )
        .route(
            "/admin/provision/generate",
            post(accounts::provision_generate),
        )
        .route(
            "/admin/security-policy",
            get(security_policy::show).post(security_policy::save),
        )
        .route("/logout", post(login::logout))
        .route("/campaign", get(campaign::show))
        .route("/overview", get(progress::overview))
        .route("/enterprises", get(progress::enterprises))
        .route("/enterprises/{id}", get(enterprise::show))
        .upload(
            "/enterprises/{id}/self-inspection",
            post(enterprise::save),
            UploadLimit::Configured,
        )
        .route(
            "/enterprises/{id}/self-inspection.docx",
            get(enterprise::copy),
        )
        .upload(
            "/enterprises/{id}/evidence/{item}",
            post(evidence::upload),
            UploadLimit::Configured,
        )
        .route("/attachments/{id}", get(crate::upload::get_file))
        .route("/enterprises/{id}/records", get(records::index))
        .route(
            "/enterprises/{id}/records/{kind}",
            get(records::list).post(records::create),
        )
        .route(
            "/enterprises/{id}/records/{kind}/{record}",
            post(records::update),
        )
        .upload(
            "/enterprises/{id}/records/{kind}/{record}/attachments",
            post(records::attach),
            UploadLimit::Configured,
        )
        .route(
            "/attachments/{id}/thumbnail",
            get(crate::upload::get_thumbnail),
        )
        .route("/reports", get(reports::show))
        .route("/charts", get(charts::show))
        .route("/unit-measures", get(measures::show))
        .upload(
            "/unit-measures/{number}",
            post(measures::record),
            UploadLimit::Configured,
        )
        .route(
            "/unit-measures/entries/{id}/return",
            post(measures::return_entry),
        )
        .route("/unit-measures/files/{id}", get(measures::file))
        .route(
            "/accountability",
            get(accountability::index).post(accountability::issue),
        )
        .route("/accountability/{id}", get(accountability::show))
        .route("/acceptance", get(acceptance::index).post(acceptance::plan))
        .route("/acceptance/{id}", get(acceptance::show))
        .route("/acceptance/{id}/guests", post(acceptance::invite))
        .route(
            "/acceptance/{id}/guests/{user}/revoke",
            post(acceptance::revoke),
        )
        .route("/acceptance/{id}/steps", post(acceptance::step))
        .route("/acceptance/{id}/comments", post(acceptance::comment))
        .route(
            "/acceptance/{id}/violations",
            post(acceptance::still_violating),
        )
        .route(
            "/acceptance/{id}/documents/{kind}",
            get(acceptance::download),
        )
        .route("/assessment", get(assessment::show))
        .route("/assessment/{unit}/{item}", post(assessment::enter))
        .route("/assessment.xlsx", get(assessment::xlsx))
        .route("/accountability/{id}/steps", post(accountability::step))
        .route(
            "/accountability/{id}/documents/{kind}",
            get(accountability::download),
        )
        .route("/calendar", get(calendar::show).post(calendar::post))
        .upload(
            "/calendar/upload",
            post(calendar::upload),
            UploadLimit::Document(calendar::MAX_UPLOAD),
        )
        .upload(
            "/roster",
            get(roster::show).post(roster::upload),
            UploadLimit::Document(roster::MAX_UPLOAD),
        )
        .route("/roster/apply", post(roster::apply))
        .upload(
            "/plans",
            get(plans::index).post(plans::upload),
            UploadLimit::Document(safeduty_app::plans::MAX_UPLOAD),
        )
        .route("/plans/{id}", get(plans::show))
        .route("/plans/{id}/edit", post(plans::edit))
        .route("/plans/{id}/save", post(plans::save))
        .route("/plans/{id}/start", post(plans::start))
        .route("/plans/{id}/template.toml", get(plans::download))
        .route("/roster/preview", post(roster::repreview))
        .route("/roster/export", get(roster_export::export))
        .route("/roster/template", get(roster_export::template))
        .route("/audit", get(audit::show))
        .route("/audit/export", get(audit::export))
        .route("/roster/industries", post(roster::industries))
        .route("/inbox", get(inbox::show))
        .route("/password", get(password::form).post(password::submit))
        .route("/inbox/{id}/read", post(inbox::read))
        .upload(
            "/reports/{key}",
            post(reports::submit),
            UploadLimit::Configured,
        )
        .route("/reports/{unit}/{key}", get(reports::show_one))
        .route(
            "/reports/{unit}/{key}/documents/{id}",
            get(reports::download),
        )
        .route("/reports/{unit}/{key}/return", post(reports::return_report))
        .route("/reports/{unit}/{key}/draft", post(reports::save_draft))
        .route("/reports/{unit}/{key}/draft.docx", get(reports::draft_docx))
        .route("/reports/{unit}/{key}/generate", post(reports::generate))
        .route("/profile", get(profile::mine))
        .route(
            "/enterprises/{id}/profile",
            get(profile::show).post(profile::save_profile),
        )
        .route("/enterprises/{id}/personnel", post(profile::add_person))
        .route(
            "/enterprises/{id}/personnel/{pid}",
            post(profile::update_person),
        )
        .route(
            "/enterprises/{id}/personnel/{pid}/remove",
            post(profile::remove_person),
        )
        .route("/commitment", get(commitment::mine))
        .route("/enterprises/{id}/commitment", get(commitment::show))
        .route(
            "/enterprises/{id}/personnel/{pid}/sign",
            post(commitment::sign),
        )
        .route(
            "/enterprises/{id}/personnel/{pid}/signing-code",
            post(commitment::issue_code),
        )
        .route(
            "/enterprises/{id}/personnel/{pid}/signing-code/revoke",
            post(commitment::revoke_code),
        )
        .route(
            "/sign",
            get(signing::form)
                .post(signing::submit)
                .layer(DefaultBodyLimit::max(signing::BODY_LIMIT)),
        )
        .upload(
            "/enterprises/{id}/commitment/publication",
            post(commitment::publication),
            UploadLimit::Configured,
        )
        .route("/commitments/{id}/docx", get(commitment::docx))
        .route(
            "/commitments/text",
            get(commitment::text_show).post(commitment::text_set),
        )
        .route("/commitments/coverage", get(commitment::coverage_show))
        .merge(findings::routes())
        .merge(enforcement::routes())
        .merge(enforcement_settings::routes())
        .merge(enforcement_figures::routes())
        .merge(enforcement_plans::routes())
}

/// `GET /profile`, `/commitment`: an enterprise user's own page `/enterprises/{id}/{tab}`; the
/// other roles go to their first page.
pub(crate) async fn own_enterprise_page(
    state: &AppState,
    user: &CurrentUser,
    tab: &str,
) -> Result<Response, AppError> {
    match safeduty_app::profile::own_enterprise(state.store(), &user.caller()).await? {
        Some(id) => Ok(Redirect::to(&format!("/enterprises/{id}/{tab}")).into_response()),
        None => Ok(Redirect::to("/").into_response()),
    }
}

/// What an upload form answers when it came without a file (`name` is `None` or empty: nothing
/// chosen) or with an empty one; `choose` asks for the file the form wants.
pub(crate) fn empty_file_message(name: Option<String>, choose: &str) -> String {
    match name.filter(|n| !n.is_empty()) {
        Some(name) => format!("文件“{name}”是空文件，请选择有内容的文件"),
        None => choose.to_string(),
    }
}

/// `/`: each role's first page.
async fn home(
    state: axum::extract::State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let to = match user.user.role {
        // A role not granted yet sees nothing: its inbox says why (a reset's notice).
        _ if user.user.grant_pending => "/inbox".to_string(),
        Role::CommitteeOffice | Role::Assessor => "/overview".to_string(),
        Role::UnitOfficer => "/enterprises".to_string(),
        Role::SystemAdmin | Role::SecurityAdmin => "/admin/accounts".to_string(),
        Role::AuditAdmin => "/audit".to_string(),
        // A guest sees the one acceptance it is invited to, nothing else.
        Role::Guest => {
            match safeduty_app::enforcement::acceptance::guest_acceptance(
                state.store(),
                &user.caller(),
            )
            .await?
            {
                Some(a) => format!("/acceptance/{}", a.public_id),
                None => "/inbox".to_string(),
            }
        }
        Role::EnterpriseUser => {
            match safeduty_app::profile::own_enterprise(state.store(), &user.caller()).await? {
                Some(id) => format!("/enterprises/{id}"),
                None => "/campaign".to_string(),
            }
        }
    };
    Ok(Redirect::to(&to).into_response())
}
