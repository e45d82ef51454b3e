//! What every page is rendered with, and nothing else: the page chrome's data ([`Chrome`]),
//! [`render`], and the error page. A leaf of the crate (askama and axum only), so that errors
//! ([`crate::error`]) and pages both use it without depending on each other.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// What every page shows around its content: who is logged in, the navigation, the demo banner.
/// Made by [`crate::menu`] for the logged-in user.
pub(crate) struct Chrome {
    pub unread: i64,
    pub display_name: String,
    pub role_label: &'static str,
    pub affiliation: String,
    pub csrf: String,
    /// The menu: link and label, as [`crate::menu::MENU`] allows the user.
    pub nav: Vec<(String, &'static str)>,
    pub demo_date: Option<String>,
    /// The user's role awaits the security administrator's grant: it sees nothing until then.
    pub grant_pending: bool,
}

/// Renders a template to an HTML response, or the 500 page if rendering fails (logged).
pub(crate) fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(cause = %e, "template rendering failed");
            let status = StatusCode::INTERNAL_SERVER_ERROR;
            (
                status,
                error_page(status, "系统内部错误，请稍后重试或联系管理员"),
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Option<Chrome>,
    status: u16,
    message: String,
}

/// The error page body for a status and a message (no data beyond the message).
pub(crate) fn error_page(status: StatusCode, message: &str) -> Html<String> {
    let page = ErrorPage {
        chrome: None,
        status: status.as_u16(),
        message: message.to_string(),
    };
    Html(page.render().unwrap_or_else(|_| message.to_string()))
}
