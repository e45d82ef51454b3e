//! Cross-site request forgery protection that fails closed: one middleware in front of every
//! route checks the token of every unsafe request (anything but GET, HEAD, OPTIONS) before a
//! handler runs, so a new form or endpoint cannot forget it.
//!
//! Where the token comes from, in this order:
//! - the `X-CSRF-Token` header (API clients, scripts);
//! - the `csrf` field of a URL-encoded form body (read here, then handed on unchanged);
//! - the first part of a `multipart/form-data` body, which must be the `csrf` field (browsers send
//!   a form's fields in document order, and every upload form puts it first); only that part is
//!   read here, the file streams on to the handler.
//!
//! It must equal the token of the request's live session, or the value of the pre-session cookie [`PRE_SESSION_COOKIE`] that the login page sets
//! (`SameSite=Strict`, so a cross-site POST to `/login` carries none and creates no session:
//! login CSRF). A JSON request to `/api/` without a live session is let through to its handler
//! (which answers 401 for anything but logging in): a browser sends JSON across sites only after a
//! CORS preflight, which this server never grants.
//!
//! A refusal is 403 (JSON under `/api/`, the error page elsewhere), changes nothing, and is
//! recorded in the audit trail as [`Event::CsrfRejected`].

use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use futures_util::StreamExt;
use safeduty_store::audit::{self, Entry, Event, Who};

use crate::AppState;
use crate::auth::{CSRF_HEADER, SESSION_COOKIE, constant_time_eq, random_hex, token_hash};
use crate::error::{ApiError, AppError, PageError};
use crate::routes::{DEFAULT_BODY_LIMIT, UploadLimit};

/// The cookie that carries the login form's token before there is a session.
pub const PRE_SESSION_COOKIE: &str = "safeduty_login_csrf";

/// How much of a multipart body is read to find its first part.
const MULTIPART_PREFIX: usize = 16 * 1024;

/// The middleware: checks the token of an unsafe request, then runs the handler. Each route
/// carries it ([`crate::routes::Routes::route`]); the state comes as an extension.
pub(crate) async fn check(
    Extension(state): Extension<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // Under a nested router (the API) the path is the inner one; the original tells.
    let path = parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map_or_else(|| parts.uri.path().to_string(), |o| o.0.path().to_string());
    let is_api = path.starts_with("/api/");
    let jar = CookieJar::from_headers(&parts.headers);
    let session = match jar.get(SESSION_COOKIE) {
        Some(c) => {
            match safeduty_store::sessions::get(
                state.store(),
                &token_hash(c.value()),
                state.config().session_idle,
            )
            .await
            {
                Ok(s) => Some(s),
                Err(safeduty_store::StoreError::NotFound) => None,
                Err(e) => return refuse_with(is_api, AppError::from(e)),
            }
        }
        None => None,
    };
    // A body declared larger than the route takes is refused before any of it is read.
    let upload = parts.extensions.get::<UploadLimit>().copied();
    let configured = state.config().max_upload_bytes;
    let limit = upload.map_or(DEFAULT_BODY_LIMIT, |u| u.body_bytes(configured));
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        let refusal = match upload {
            Some(u) => crate::upload::too_large(u.file_bytes(configured)),
            None => AppError::Malformed {
                status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                message: crate::extract::body_too_large_message(),
            },
        };
        return refuse_with(is_api, refusal);
    }
    let (sent, body) = match token_of(&parts.headers, body).await {
        Ok(found) => found,
        Err(e) => return refuse_with(is_api, e),
    };
    let matches = |expected: &str| {
        sent.as_deref()
            .is_some_and(|t| constant_time_eq(t.as_bytes(), expected.as_bytes()))
    };
    // The pre-session token also counts with a live session: a logged-in browser may log in
    // again from the login page, whose form carries that token.
    let valid = session.as_ref().is_some_and(|s| matches(&s.csrf_token))
        || jar
            .get(PRE_SESSION_COOKIE)
            .is_some_and(|c| matches(c.value()));
    let json_without_session = session.is_none() && is_api && is_json(&parts.headers);
    if valid || json_without_session {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let who = Who {
        user_id: session.as_ref().map(|s| s.user_id),
        role: None,
        client_addr: crate::client_addr::of(&parts, &state.config().trusted_proxies),
    };
    let recorded = audit::record_alone(
        state.store(),
        Entry {
            who: &who,
            event: Event::CsrfRejected,
            target_kind: safeduty_store::audit::Object::Request.into(),
            target_id: format!("{} {path}", parts.method),
            before: None,
            after: Some(serde_json::json!({
                "token": if sent.is_some() { "wrong" } else { "missing" },
                "session": session.is_some(),
            })),
            result: "denied",
        },
    )
    .await;
    if let Err(e) = recorded {
        tracing::error!(error = %e, "could not record a CSRF refusal");
    }
    refuse_with(is_api, AppError::Csrf)
}

fn refuse_with(is_api: bool, e: AppError) -> Response {
    if is_api {
        ApiError(e).into_response()
    } else {
        PageError(e).into_response()
    }
}

fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn is_json(headers: &HeaderMap) -> bool {
    let ct = content_type(headers).to_ascii_lowercase();
    ct.starts_with("application/json") || ct.contains("+json")
}

/// The token sent with the request and the body to hand on (what was read of it put back).
async fn token_of(headers: &HeaderMap, body: Body) -> Result<(Option<String>, Body), AppError> {
    if let Some(v) = headers.get(CSRF_HEADER) {
        return Ok((v.to_str().ok().map(str::to_string), body));
    }
    let ct = content_type(headers).to_ascii_lowercase();
    if ct.starts_with("application/x-www-form-urlencoded") {
        let bytes = axum::body::to_bytes(body, DEFAULT_BODY_LIMIT)
            .await
            .map_err(|_| AppError::Malformed {
                status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                message: "表单内容过大或无法读取".into(),
            })?;
        let token = form_urlencoded_token(&bytes);
        return Ok((token, Body::from(bytes)));
    }
    if ct.starts_with("multipart/form-data") {
        let Ok(boundary) = multer::parse_boundary(content_type(headers)) else {
            return Ok((None, body));
        };
        return first_part_token(body, boundary).await;
    }
    Ok((None, body))
}

fn form_urlencoded_token(bytes: &[u8]) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).ok()?;
    pairs.into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v)
}

/// Reads the start of a multipart body, up to [`MULTIPART_PREFIX`] bytes (or a little more, a
/// whole chunk), takes the first part's value when it is the `csrf` field, and gives back a body
/// that is the bytes read followed by the rest of the stream.
async fn first_part_token(
    body: Body,
    boundary: String,
) -> Result<(Option<String>, Body), AppError> {
    let mut stream = body.into_data_stream();
    let mut read: Vec<Bytes> = Vec::new();
    let mut size = 0;
    while size < MULTIPART_PREFIX {
        match stream.next().await {
            Some(Ok(chunk)) => {
                size += chunk.len();
                read.push(chunk);
            }
            Some(Err(_)) => {
                return Err(AppError::Malformed {
                    status: axum::http::StatusCode::BAD_REQUEST,
                    message: "上传内容无法读取".into(),
                });
            }
            None => break,
        }
    }
    let prefix: Vec<Bytes> = read.clone();
    let parser = multer::Multipart::new(
        futures_util::stream::iter(prefix.into_iter().map(Ok::<_, std::io::Error>)),
        boundary,
    );
    let token = first_field(parser).await;
    let rest = futures_util::stream::iter(read.into_iter().map(Ok::<_, axum::Error>)).chain(stream);
    Ok((token, Body::from_stream(rest)))
}

async fn first_field(mut parser: multer::Multipart<'_>) -> Option<String> {
    let field = parser.next_field().await.ok()??;
    if field.name() != Some("csrf") {
        return None;
    }
    field.text().await.ok()
}

/// The pre-session token of a login page: the one the browser already holds, or a new one, with
/// the cookie to set (`None` when it holds one already).
pub(crate) fn pre_session_token(
    jar: &CookieJar,
    secure: bool,
) -> (String, Option<Cookie<'static>>) {
    if let Some(c) = jar.get(PRE_SESSION_COOKIE)
        && c.value().len() == 64
        && c.value().bytes().all(|b| b.is_ascii_hexdigit())
    {
        return (c.value().to_string(), None);
    }
    let token = random_hex();
    let cookie = Cookie::build((PRE_SESSION_COOKIE, token.clone()))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .build();
    (token, Some(cookie))
}
