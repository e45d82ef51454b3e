//! Authentication: argon2id password hashes, database-backed sessions, the logged-in user as an
//! extractor, and the CSRF token check for state-changing requests.
//!
//! The session cookie carries 32 random bytes (hex); the store keeps only their SHA-256. A new
//! session id is issued at every login (no fixation). Each session has a CSRF token: forms send it
//! in the `csrf` field, API clients in the `X-CSRF-Token` header; [`crate::csrf`] checks it on
//! every unsafe request before any handler runs.

use axum::http::request::Parts;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use rand::RngCore;
use safeduty_store::org::{self, User};
use safeduty_store::{StoreError, sessions};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::AppError;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "safeduty_session";
/// Header API clients send the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Hashes a password with argon2id ([`safeduty_app::identity::hash_password`]).
///
/// # Errors
/// Only if the hasher fails, which does not happen with valid parameters.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    Ok(safeduty_app::identity::hash_password(password)?)
}

pub use safeduty_app::identity::verify_password;

/// The largest login body accepted, in bytes (a user name of 64 characters, a password of
/// [`safeduty_core::identity::MAX_PASSWORD_CHARS`] and the tokens fit many times over): a larger
/// one is refused with 413 before anything is parsed or hashed (issue #16 point 6).
pub(crate) const LOGIN_BODY_LIMIT: usize = 8 * 1024;

/// The login's password step for the page and the API: this node's rate limit
/// ([`crate::rate_limit`]; a flood is not written to the trail), then the use case
/// ([`safeduty_app::identity::check_password`]).
///
/// # Errors
/// [`AppError::TooManyRequests`], [`AppError::BadCredentials`], [`AppError::AccountLocked`],
/// [`AppError::AccountDisabled`]; store errors.
pub(crate) async fn check_password(
    state: &AppState,
    username: &str,
    password: &str,
    client_addr: Option<String>,
) -> Result<User, AppError> {
    if !state
        .login_limiter()
        .allow(client_addr.as_deref(), username.trim())
    {
        tracing::warn!(client = ?client_addr, "login rate limit reached");
        return Err(AppError::TooManyRequests);
    }
    Ok(
        safeduty_app::identity::check_password(state.store(), username, password, client_addr)
            .await?,
    )
}

/// Changes the user's own password ([`safeduty_app::identity::change_own_password`]) and
/// starts a fresh session: the new cookie and CSRF token.
///
/// # Errors
/// [`AppError::Refused`] naming what is wrong; store errors.
pub(crate) async fn change_own_password(
    state: &AppState,
    user: &CurrentUser,
    old: &str,
    new: &str,
    confirm: &str,
) -> Result<(Cookie<'static>, String), AppError> {
    safeduty_app::identity::change_own_password(state.store(), &user.caller(), old, new, confirm)
        .await?;
    start_session(state, user.user.id).await
}

pub(crate) fn random_hex() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh session for `user_id`: stores it and returns the cookie to set and the CSRF token.
///
/// # Errors
/// [`AppError::Internal`] when the store fails.
pub async fn start_session(
    state: &AppState,
    user_id: i64,
) -> Result<(Cookie<'static>, String), AppError> {
    new_session(state, user_id, false).await
}

/// A fresh session that may only answer the second factor (the password was right): the cookie
/// to set and the CSRF token. A good code replaces it with a full session under a new id.
///
/// # Errors
/// [`AppError::Internal`] when the store fails.
pub async fn start_pending_session(
    state: &AppState,
    user_id: i64,
) -> Result<(Cookie<'static>, String), AppError> {
    new_session(state, user_id, true).await
}

async fn new_session(
    state: &AppState,
    user_id: i64,
    pending_second_factor: bool,
) -> Result<(Cookie<'static>, String), AppError> {
    let token = random_hex();
    let csrf = random_hex();
    sessions::create(
        state.store(),
        &token_hash(&token),
        user_id,
        &csrf,
        state.config().session_lifetime,
        pending_second_factor,
    )
    .await?;
    let cookie = Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config().secure_cookies)
        .path("/")
        .build();
    Ok((cookie, csrf))
}

/// Ends the session in `jar`, if any, and returns the jar with the cookie removed.
///
/// # Errors
/// [`AppError::Internal`] when the store fails.
pub async fn end_session(state: &AppState, jar: CookieJar) -> Result<CookieJar, AppError> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        sessions::delete(state.store(), &token_hash(c.value())).await?;
    }
    Ok(jar.remove(Cookie::build(SESSION_COOKIE).path("/")))
}

/// Logs `user` out of every session and returns `jar` with the session cookie removed.
///
/// # Errors
/// [`AppError::Internal`] when the store fails.
pub async fn log_out(
    state: &AppState,
    user: &CurrentUser,
    jar: CookieJar,
) -> Result<CookieJar, AppError> {
    sessions::log_out_everywhere(state.store(), &user.who(), user.user.id).await?;
    Ok(jar.remove(Cookie::build(SESSION_COOKIE).path("/")))
}

/// The logged-in user with the session's CSRF token. Fails with
/// [`AppError::Unauthenticated`] when there is no live session.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The user, with the scope the store resolved.
    pub user: User,
    /// The session's CSRF token.
    pub csrf: String,
    /// Client address, for the audit trail.
    pub client_addr: Option<String>,
    /// The session still owes the second factor.
    pub pending_second_factor: bool,
}

impl CurrentUser {
    /// The caller of a use case ([`safeduty_app`]).
    pub fn caller(&self) -> safeduty_app::Caller<'_> {
        safeduty_app::Caller {
            user: &self.user,
            client_addr: self.client_addr.as_deref(),
        }
    }

    /// The actor for the audit trail.
    pub fn who(&self) -> safeduty_store::audit::Who {
        safeduty_store::audit::Who {
            user_id: Some(self.user.id),
            role: Some(self.user.role.code().into()),
            client_addr: self.client_addr.clone(),
        }
    }
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl CurrentUser {
    /// Loads the user of the request's session.
    ///
    /// # Errors
    /// [`AppError::Unauthenticated`] without a live session.
    pub(crate) async fn from_parts(parts: &Parts, state: &AppState) -> Result<Self, AppError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar.get(SESSION_COOKIE).ok_or(AppError::Unauthenticated)?;
        let session = match sessions::get(
            state.store(),
            &token_hash(token.value()),
            state.config().session_idle,
        )
        .await
        {
            Ok(s) => s,
            Err(StoreError::NotFound) => return Err(AppError::Unauthenticated),
            Err(e) => return Err(e.into()),
        };
        let user = match org::user_by_id(state.store(), session.user_id).await {
            // A disabled account's sessions were ended; this holds even for one started since.
            Ok(u) if u.disabled => return Err(AppError::Unauthenticated),
            Ok(u) => u,
            Err(StoreError::NotFound) => return Err(AppError::Unauthenticated),
            Err(e) => return Err(e.into()),
        };
        Ok(CurrentUser {
            user,
            csrf: session.csrf_token,
            client_addr: crate::client_addr::of(parts, &state.config().trusted_proxies),
            pending_second_factor: session.pending_second_factor,
        })
    }
}

/// The client's address ([`crate::client_addr`]), when the server runs with connect info
/// (absent in in-process tests).
#[derive(Debug, Clone)]
pub struct ClientAddr(pub Option<String>);

impl axum::extract::FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(crate::client_addr::of(
            parts,
            &state.config().trusted_proxies,
        )))
    }
}
