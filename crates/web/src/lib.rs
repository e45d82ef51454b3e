//! The web application: axum router, server-rendered pages in Chinese, a JSON API under
//! `/api/v1` described by OpenAPI, sessions in the database, every asset embedded.
//!
//! A request flows: authenticate ([`auth`]) → parse → decide with `safeduty-core` (policy,
//! validation, next state) → persist with `safeduty-store` (audit record in the same transaction)
//! → render ([`pages`] or [`api`]). Errors map to HTTP in one place ([`error`]). The public pages
//! (一公开) have a router of their own for a listener of their own ([`public`]).

pub mod api;
pub mod audit_trail;
pub mod auth;
pub mod client_addr;
pub mod clock;
pub mod commitment_docx;
mod csrf;
pub mod denials;
mod document_form;
mod download;
pub mod error;
mod extract;
mod guard;
mod input;
pub mod jobs;
mod layout;
pub mod ledger_xlsx;
mod menu;
mod openapi;
pub mod outbound;
pub mod pages;
mod paging;
pub mod public;
pub mod rate_limit;
mod routes;
mod security;
mod statics;
mod svg_chart;
mod transport;
pub mod upload;
pub mod views;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use safeduty_core::calendar::Calendar;
use safeduty_store::Store;

pub use clock::Clock;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark session cookies `Secure` and send HSTS (set when served behind TLS).
    pub secure_cookies: bool,
    /// Whom users call about their account, shown on the login page (e.g. 区安委办 0771-1234567).
    pub contact: Option<String>,
    /// Idle time-out of a session.
    pub session_idle: chrono::Duration,
    /// Absolute lifetime of a session.
    pub session_lifetime: chrono::Duration,
    /// Working days before a deadline when the first reminder goes out.
    pub reminder_days_before: u32,
    /// Where reminders are also sent, if anywhere.
    pub outbound: Option<outbound::Outbound>,
    /// Largest file accepted by an upload, in bytes ([`upload::DEFAULT_MAX_UPLOAD`]).
    pub max_upload_bytes: usize,
    /// Where attachment bytes are kept; `None` refuses uploads and downloads (fail closed).
    pub blobs: Option<Arc<dyn safeduty_store::attachments::BlobStore>>,
    /// Proxies whose `X-Forwarded-For` is believed ([`client_addr`]); empty: none.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Login rate limits ([`rate_limit`]).
    pub login_limits: rate_limit::LoginLimits,
    /// The throttling of repeated denials ([`denials`]).
    pub denial_limits: denials::DenialLimits,
    /// How long a client has to send a complete request head ([`serve`]).
    pub head_timeout: std::time::Duration,
    /// The rate limit of the public pages per client address ([`public`]).
    pub public_limits: rate_limit::PublicLimits,
    /// The rate limit of the tries at signing codes per client address (`/sign`).
    pub sign_limits: rate_limit::SignLimits,
    /// How many days a typical case's exposure stays on the public pages after its publication
    /// (issue #13 point 5): a setting of the deployment.
    pub exposure_days: u32,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            contact: None,
            session_idle: chrono::Duration::minutes(30),
            session_lifetime: chrono::Duration::hours(12),
            reminder_days_before: safeduty_core::reminders::DEFAULT_DAYS_BEFORE,
            outbound: None,
            max_upload_bytes: upload::DEFAULT_MAX_UPLOAD,
            blobs: None,
            trusted_proxies: Vec::new(),
            login_limits: rate_limit::LoginLimits::default(),
            denial_limits: denials::DenialLimits::default(),
            head_timeout: transport::HEAD_TIMEOUT,
            public_limits: rate_limit::PublicLimits::default(),
            sign_limits: rate_limit::SignLimits::default(),
            exposure_days: safeduty_app::enforcement::exposures::DEFAULT_EXPOSURE_DAYS,
        }
    }
}

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    calendar: tokio::sync::RwLock<CachedCalendar>,
    clock: Clock,
    config: WebConfig,
    login_limiter: rate_limit::LoginLimiter,
    denial_limiter: denials::DenialLimiter,
    public_limiter: rate_limit::PublicLimiter,
    sign_limiter: rate_limit::SignLimiter,
}

/// The effective calendar (shipped years replaced by loaded ones) as last read from the store.
#[derive(Debug)]
struct CachedCalendar {
    calendar: Arc<Calendar>,
    read_at: std::time::Instant,
}

/// How long a node keeps the calendar before reading it again: a year loaded on another node
/// takes effect here within this time; a year loaded on this node at once.
const CALENDAR_TTL: std::time::Duration = std::time::Duration::from_secs(60);

impl AppState {
    /// Builds the state with `calendar` as the effective calendar until the first refresh.
    pub fn new(store: Store, calendar: Calendar, clock: Clock, config: WebConfig) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                store,
                calendar: tokio::sync::RwLock::new(CachedCalendar {
                    calendar: Arc::new(calendar),
                    read_at: std::time::Instant::now(),
                }),
                clock,
                login_limiter: rate_limit::LoginLimiter::new(config.login_limits),
                denial_limiter: denials::DenialLimiter::new(config.denial_limits),
                public_limiter: rate_limit::PublicLimiter::new(config.public_limits),
                sign_limiter: rate_limit::SignLimiter::new(config.sign_limits),
                config,
            }),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The effective working-day calendar, read from the store at most every [`CALENDAR_TTL`].
    ///
    /// # Errors
    /// Store errors when it must be read again.
    pub async fn calendar(&self) -> Result<Arc<Calendar>, safeduty_store::StoreError> {
        {
            let cached = self.inner.calendar.read().await;
            if cached.read_at.elapsed() < CALENDAR_TTL {
                return Ok(cached.calendar.clone());
            }
        }
        self.refresh_calendar().await
    }

    /// Reads the effective calendar from the store now (after a year was loaded).
    ///
    /// # Errors
    /// Store errors.
    pub async fn refresh_calendar(&self) -> Result<Arc<Calendar>, safeduty_store::StoreError> {
        let fresh = Arc::new(safeduty_store::calendar::effective(&self.inner.store).await?);
        *self.inner.calendar.write().await = CachedCalendar {
            calendar: fresh.clone(),
            read_at: std::time::Instant::now(),
        };
        Ok(fresh)
    }

    /// The clock: today's civil date in Asia/Shanghai, or the demo date.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// Web settings.
    pub fn config(&self) -> &WebConfig {
        &self.inner.config
    }

    /// The login attempt counters of this node.
    pub fn login_limiter(&self) -> &rate_limit::LoginLimiter {
        &self.inner.login_limiter
    }

    /// This node's counters of denials ([`denials`]).
    pub(crate) fn denial_limiter(&self) -> &denials::DenialLimiter {
        &self.inner.denial_limiter
    }

    /// This node's counters of requests to the public pages ([`public`]).
    pub(crate) fn public_limiter(&self) -> &rate_limit::PublicLimiter {
        &self.inner.public_limiter
    }

    /// This node's counters of tries on the signing page (`/sign`).
    pub(crate) fn sign_limiter(&self) -> &rate_limit::SignLimiter {
        &self.inner.sign_limiter
    }

    /// The attachment blob store.
    ///
    /// # Errors
    /// [`error::AppError::Internal`] when none is configured.
    pub fn blobs(&self) -> Result<&dyn safeduty_store::attachments::BlobStore, error::AppError> {
        self.inner
            .config
            .blobs
            .as_deref()
            .ok_or_else(|| error::AppError::Internal("no attachment store configured".into()))
    }
}

/// Every route of the application, in one table the router is built from.
fn routes() -> routes::Routes {
    routes::Routes::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .route("/healthz", get(|| async { "ok" }))
        .route("/static/{file}", get(statics::serve))
}

/// The path of every route of [`router`] (`/enterprises/{id}` style), in the order added: for
/// tests that must cover every route (the authorization matrix).
pub fn route_paths() -> Vec<String> {
    routes().into_parts().1
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let secure = state.config().secure_cookies;
    let (app, _) = routes().into_parts();
    app.fallback(extract::not_found)
        // For the CSRF check, which each route carries (crate::routes).
        .layer(axum::Extension(state.clone()))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            denials::throttle,
        ))
        .layer(axum::middleware::map_response_with_state(
            secure,
            security::headers,
        ))
        .with_state(state)
}

pub use transport::{MAX_HEAD_BYTES, serve};
