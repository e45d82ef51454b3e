//! Throttling of repeated denials (issue #16 point 4): every denied request writes its audit
//! record, so one session sending denied requests as fast as it can would write hundreds of
//! records a second and bury the trail. Denials (answers 403 and 404 to a request with a session
//! cookie) are counted per session and client address in a fixed window; at the limit the
//! throttling itself is recorded once ([`Event::RequestsThrottled`]) and every further request of
//! that session from that address is answered 429 without running — and without writing — until
//! the window ends. A person who mistypes never comes near the limit.
//!
//! Counted in memory on each node, as the login limits are ([`crate::rate_limit`]).

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use safeduty_store::audit::{self, Entry, Event, Who};

use crate::AppState;
use crate::auth::{SESSION_COOKIE, token_hash};
use crate::error::{ApiError, AppError, PageError};
use crate::rate_limit::Windows;

/// The limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DenialLimits {
    /// Denials one session may receive from one address per window before it is throttled.
    pub per_session: u32,
    /// The window.
    pub window: Duration,
}

impl Default for DenialLimits {
    /// 60 denials a minute: a person clicking through pages they may not see gets a few.
    fn default() -> Self {
        DenialLimits {
            per_session: 60,
            window: Duration::from_secs(60),
        }
    }
}

/// Counters of denials per session and address.
#[derive(Debug)]
pub struct DenialLimiter {
    limits: DenialLimits,
    windows: Windows,
}

impl DenialLimiter {
    /// Counters for `limits`.
    pub fn new(limits: DenialLimits) -> DenialLimiter {
        DenialLimiter {
            limits,
            windows: Windows::new(limits.window),
        }
    }

    /// Whether `key` has used up its denials in the current window.
    fn throttled(&self, key: &str) -> bool {
        self.windows.count(key) >= self.limits.per_session
    }

    /// Counts a denial of `key`; `true` when this one reaches the limit (throttling starts).
    fn count(&self, key: &str) -> bool {
        self.windows.hit(key.to_string()) == self.limits.per_session
    }
}

/// The middleware: answers 429 for a throttled session and address, counts the denials of the
/// others, and records the moment throttling starts.
pub(crate) async fn throttle(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let Some(session) = jar.get(SESSION_COOKIE).map(|c| token_hash(c.value())) else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let addr = crate::client_addr::of(&parts, &state.config().trusted_proxies);
    let key = format!("{session}|{}", addr.as_deref().unwrap_or_default());
    let is_api = parts.uri.path().starts_with("/api/");
    let limiter = state.denial_limiter();
    if limiter.throttled(&key) {
        return if is_api {
            ApiError(AppError::Throttled).into_response()
        } else {
            PageError(AppError::Throttled).into_response()
        };
    }
    let target = format!("{} {}", parts.method, parts.uri.path());
    let res = next.run(Request::from_parts(parts, body)).await;
    let denied = matches!(res.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND);
    if denied && limiter.count(&key) {
        let user_id = match safeduty_store::sessions::get(
            state.store(),
            &session,
            state.config().session_idle,
        )
        .await
        {
            Ok(s) => Some(s.user_id),
            Err(_) => None,
        };
        let who = Who {
            user_id,
            role: None,
            client_addr: addr,
        };
        let recorded = audit::record_alone(
            state.store(),
            Entry {
                who: &who,
                event: Event::RequestsThrottled,
                target_kind: safeduty_store::audit::Object::Request.into(),
                target_id: target,
                before: None,
                after: Some(serde_json::json!({
                    "denials": limiter.limits.per_session,
                    "window_seconds": limiter.limits.window.as_secs(),
                })),
                result: "throttled",
            },
        )
        .await;
        if let Err(e) = recorded {
            tracing::error!(error = %e, "could not record the throttling of denials");
        }
    }
    res
}
