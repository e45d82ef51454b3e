//! The public pages (一公开, issue #12 point 2 and issue #13 point 5): served without login on a
//! listener of their own (`safeduty serve --public-listen ADDR`), for a reverse proxy to
//! publish, with a router that routes nothing else.
//!
//! **What they serve**, all under `/public/`, each page as HTML (Chinese, the house layout with
//! no menu, session or login link) and as JSON under `/public/api/`:
//!
//! | HTML | JSON | what |
//! |---|---|---|
//! | `/public/` (`?page=N`) | `/public/api/draws` (`?page=N`) | the published draws, newest first, 50 a page |
//! | `/public/draws/{id}` | `/public/api/draws/{id}` | one draw: its targets and their inspections' outcomes |
//! | `/public/exposures` | `/public/api/exposures` | the typical cases exposed (issue #13), newest first, and beside them the dishonesty list (issue #14) |
//! | — | `/public/api/dishonesty-listings` | the listings on the dishonesty list shown today, newest first |
//!
//! and `/public/app.css`, the stylesheet. A draw shows its unit and plan, the date and time it
//! was drawn, the plan's window, the published seed, the algorithm's name and version, the count
//! and SHA-256 of each list (candidates, targets inspected in full, officers), how many were to
//! be drawn, and each target's enterprise name with whether it was inspected in full or drawn.
//!
//! **What is published** (the rules are written once, in
//! `safeduty_store::enforcement::publication` and `safeduty_core::enforcement::publication`):
//! - a draw once its plan is drawn (a drawn plan never changes); a superseded version stays
//!   published, marked with the version that superseded it, so that a redraw cannot pass unseen.
//!   Draft plans are not published;
//! - an outcome, for the inspection that fulfilled a target of a published draw, once it is
//!   settled: at once when nothing was found (未发现问题); when problems were found, once the
//!   correction order is issued (发现问题N项，已责令限期整改), then after the re-inspection
//!   (已整改复查, or 复查未整改，已移送立案). Inspections outside a drawn plan are not published;
//! - of persons only the inspecting officers' names, with the outcome (as 一公开 practice
//!   publishes who inspected). Never a certificate number (the officers' list is published as its
//!   count and digest only), a phone, an ID number, an address, a user name, the persons present
//!   or the guests, the officer pair of a target not yet inspected, nor free text typed by staff.
//!
//! An exposure is published once the committee office approved it, and shown for the days of
//! `serve --exposure-days` (365 by default) from its publication, unless withdrawn; it shows
//! the text fixed when it was drafted ([`safeduty_core::enforcement::exposure`]): of a person
//! only the surname and 某某 with the role. How long a draw stays published is not limited:
//! a limit would go into `safeduty_store::enforcement::publication::PUBLISHED_PLAN`.
//!
//! A listing on the dishonesty list (严重失信主体名单) is shown from the day it was published
//! until its period ends (`ends_on`, excluded), unless removed early on credit repair; a revoked
//! early removal shows it again. It says the enterprise, the party (a person: surname + 某某 and
//! role), the ground's clause and text, the deciding department and its decision's number, the
//! day published and the day the period ends — not the reasons typed by the officers.
//!
//! **What they do not do**: any other path is 404 (no app page, no `/api/v1`, no `/static/`,
//! no login); only GET and HEAD are answered; no cookie is read or set, no session looked up,
//! nothing written. Security headers as on the application ([`crate::security`]). Each client
//! address may make [`crate::rate_limit::PublicLimits`] requests a window (120 a minute unless
//! configured), then gets 429 with `Retry-After`; behind a reverse proxy the address is the one
//! `--trusted-proxy` lets the server read from `X-Forwarded-For`. Successful answers may be
//! cached for a minute (`Cache-Control: public, max-age=60`), so a proxy can absorb a rush.
//!
//! Exposures of typical cases (issue #13) are [`exposures`], beside [`draws`].

mod draws;
mod exposures;

use askama::Template;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, get};

use crate::AppState;
use crate::error::{ApiError, AppError};

/// Where the JSON of the public pages lives.
const API_PREFIX: &str = "/public/api/";

/// How long a successful answer may be cached, by the browser or the reverse proxy.
const CACHE_CONTROL: &str = "public, max-age=60";

/// Every route of the public router: its path and handlers.
fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    let mut routes = vec![(
        "/public/app.css",
        get(
            |headers: axum::http::HeaderMap| async move { crate::statics::asset("app.css", &headers) },
        ),
    )];
    routes.extend(draws::routes());
    routes.extend(exposures::routes());
    routes
}

/// The path of every route of [`router`], for tests that must cover each one.
pub fn route_paths() -> Vec<String> {
    routes().into_iter().map(|(p, _)| p.to_string()).collect()
}

/// The public router: the routes of [`routes`] and nothing else, rate limited per client address,
/// with the security headers.
pub fn router(state: AppState) -> Router {
    let secure = state.config().secure_cookies;
    let mut router = Router::new();
    for (path, methods) in routes() {
        router = router.route(path, methods);
    }
    router
        .fallback(|uri: axum::http::Uri| async move { refusal(uri.path(), AppError::NotFound) })
        .layer(axum::middleware::from_fn_with_state(state.clone(), limit))
        .layer(axum::middleware::map_response_with_state(
            secure,
            crate::security::headers,
        ))
        .with_state(state)
}

/// Serves the public pages on a bound listener until `shutdown` completes, with the client
/// address for the rate limit and the request-head bounds of [`crate::serve`].
///
/// # Errors
/// As [`crate::serve`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    crate::transport::serve_router(listener, &state, router(state.clone()), shutdown).await
}

/// The middleware: counts the request of its client address and answers 429 beyond the limit
/// (before any handler runs); marks a successful answer cacheable and any other not.
async fn limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let addr = crate::client_addr::of(&parts, &state.config().trusted_proxies);
    let limiter = state.public_limiter();
    if !limiter.allow(addr.as_deref()) {
        let mut res = refusal(parts.uri.path(), AppError::RateLimited);
        let headers = res.headers_mut();
        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from(limiter.window().as_secs()),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return res;
    }
    let mut res = next.run(Request::from_parts(parts, body)).await;
    let cache = if res.status().is_success() {
        HeaderValue::from_static(CACHE_CONTROL)
    } else {
        HeaderValue::from_static("no-store")
    };
    res.headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(cache);
    res
}

/// An error answered as the public pages answer it: JSON under [`API_PREFIX`], else the public
/// error page.
fn refusal(path: &str, e: AppError) -> Response {
    if path.starts_with(API_PREFIX) {
        ApiError(e).into_response()
    } else {
        PublicPageError(e).into_response()
    }
}

#[derive(Template)]
#[template(path = "public_error.html")]
struct ErrorPage {
    status: u16,
    message: String,
}

/// Renders a public page, or the public 500 page if rendering fails (logged).
fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => PublicPageError(AppError::Internal(format!("template: {e}"))).into_response(),
    }
}

/// An error of a public HTML page: the status and message of [`AppError::parts`] on the public
/// layout (no menu, no login link; internal causes logged, never shown).
#[derive(Debug)]
struct PublicPageError(AppError);

impl IntoResponse for PublicPageError {
    fn into_response(self) -> Response {
        let (status, _, message) = self.0.parts();
        let page = ErrorPage {
            status: status.as_u16(),
            message,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "系统内部错误").into_response(),
        }
    }
}

impl From<safeduty_app::Error> for PublicPageError {
    fn from(e: safeduty_app::Error) -> Self {
        PublicPageError(e.into())
    }
}

impl From<AppError> for PublicPageError {
    fn from(e: AppError) -> Self {
        PublicPageError(e)
    }
}
