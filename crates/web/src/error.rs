//! One error type for the web layer, mapped to HTTP in one place. The same error renders as an
//! HTML page for the browser ([`PageError`]) and as JSON for `/api` ([`ApiError`]). Internal
//! causes are logged, never shown.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use safeduty_core::policy::Denial;
use safeduty_core::refusal::{Refusal, RefusalKind};
use safeduty_store::StoreError;
use serde::Serialize;

/// What went wrong while handling a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not logged in, or the session expired.
    #[error("unauthenticated")]
    Unauthenticated,
    /// Wrong user name or password (the same answer for both).
    #[error("bad credentials")]
    BadCredentials,
    /// Too many failed logins: the account is locked for a while.
    #[error("account locked")]
    AccountLocked {
        /// Minutes until it unlocks (rounded up).
        minutes: i64,
    },
    /// The user must choose a new password before anything else.
    #[error("password change required")]
    PasswordChangeRequired,
    /// The password was right; the second factor's code is owed (missing from an API login, or
    /// a page asked before it was given).
    #[error("second factor required")]
    SecondFactorRequired,
    /// The second factor's code is wrong (counts toward the lockout).
    #[error("bad second factor")]
    BadSecondFactor,
    /// An administrator without a second factor must enroll one before anything else.
    #[error("second factor enrollment required")]
    SecondFactorEnrollmentRequired,
    /// The account is disabled.
    #[error("account disabled")]
    AccountDisabled,
    /// Too many login attempts from this address or on this user name.
    #[error("too many requests")]
    TooManyRequests,
    /// Too many denied requests from one session and address: 429 until the window ends
    /// ([`crate::denials`]).
    #[error("throttled")]
    Throttled,
    /// Too many requests to the public pages from one client address ([`crate::public`]).
    #[error("rate limited")]
    RateLimited,
    /// Outside the caller's scope, or does not exist: 404 with no data.
    #[error("not found")]
    NotFound,
    /// Inside the scope but not allowed for the role: 403.
    #[error("forbidden")]
    Forbidden,
    /// The CSRF token is missing or wrong.
    #[error("csrf token mismatch")]
    Csrf,
    /// The request body or form is malformed: the status of the rejection (400, 413, 415, 422)
    /// and a message in Chinese.
    #[error("malformed request: {message}")]
    Malformed {
        /// HTTP status.
        status: StatusCode,
        /// Message.
        message: String,
    },
    /// The request cannot be understood (message in Chinese).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A conflicting state (message in Chinese), e.g. already submitted.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The domain refused the request (any loop, [`safeduty_core::refusal`]): 403 (the role may
    /// not), 409 (not in this state) or 422 (something missing or invalid; per-field errors of a
    /// form), with its message in Chinese.
    #[error("refused: {0}")]
    Refused(Refusal),
    /// Anything else; logged with its cause, shown as a generic message.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<Denial> for AppError {
    fn from(d: Denial) -> Self {
        match d {
            Denial::NotFound => AppError::NotFound,
            Denial::Forbidden => AppError::Forbidden,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Refused(r) => AppError::Refused(r),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<safeduty_app::Error> for AppError {
    fn from(e: safeduty_app::Error) -> Self {
        match e {
            safeduty_app::Error::NotFound => AppError::NotFound,
            safeduty_app::Error::Forbidden => AppError::Forbidden,
            safeduty_app::Error::Refused(r) => AppError::Refused(r),
            safeduty_app::Error::Store(e) => e.into(),
        }
    }
}

impl From<safeduty_app::identity::LoginError> for AppError {
    fn from(e: safeduty_app::identity::LoginError) -> Self {
        use safeduty_app::identity::LoginError;
        match e {
            LoginError::BadCredentials => AppError::BadCredentials,
            LoginError::AccountLocked { minutes } => AppError::AccountLocked { minutes },
            LoginError::AccountDisabled => AppError::AccountDisabled,
            LoginError::BadSecondFactor => AppError::BadSecondFactor,
            LoginError::Store(e) => e.into(),
        }
    }
}

impl AppError {
    /// HTTP status, stable machine-readable code, and the message shown to people.
    pub fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            AppError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "请先登录".into(),
            ),
            AppError::BadCredentials => (
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "用户名或密码错误".into(),
            ),
            AppError::AccountLocked { minutes } => (
                StatusCode::UNAUTHORIZED,
                "account_locked",
                format!("登录失败次数过多，账户已锁定，请{minutes}分钟后再试"),
            ),
            AppError::PasswordChangeRequired => (
                StatusCode::FORBIDDEN,
                "password_change_required",
                "请先修改密码".into(),
            ),
            AppError::SecondFactorRequired => (
                StatusCode::UNAUTHORIZED,
                "second_factor_required",
                "请输入身份验证器中的6位动态验证码".into(),
            ),
            AppError::BadSecondFactor => (
                StatusCode::UNAUTHORIZED,
                "bad_second_factor",
                "动态验证码错误或已使用".into(),
            ),
            AppError::SecondFactorEnrollmentRequired => (
                StatusCode::FORBIDDEN,
                "second_factor_enrollment_required",
                "管理员账号须先启用两步验证".into(),
            ),
            AppError::AccountDisabled => (
                StatusCode::UNAUTHORIZED,
                "account_disabled",
                "账户已停用，请联系系统管理员".into(),
            ),
            AppError::Throttled => (
                StatusCode::TOO_MANY_REQUESTS,
                "throttled",
                "被拒绝的请求过于频繁，请一分钟后再试".into(),
            ),
            AppError::RateLimited => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "访问过于频繁，请稍后再试".into(),
            ),
            AppError::TooManyRequests => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "登录尝试过于频繁，请稍后再试".into(),
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "页面或记录不存在".into(),
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "您没有执行此操作的权限".into(),
            ),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "csrf",
                "请求已失效，请刷新页面后重试".into(),
            ),
            AppError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m.clone()),
            AppError::Malformed { status, message } => (*status, "malformed", message.clone()),
            AppError::Conflict(m) => (StatusCode::CONFLICT, "conflict", m.clone()),
            // The one place a refusal's kind becomes a status.
            AppError::Refused(r) => match r.kind() {
                _ if !r.field_errors().is_empty() => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_fields",
                    r.to_string(),
                ),
                RefusalKind::Forbidden => (StatusCode::FORBIDDEN, "refused", r.to_string()),
                RefusalKind::Conflict => (StatusCode::CONFLICT, "conflict", r.to_string()),
                RefusalKind::Invalid => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "refused", r.to_string())
                }
            },
            AppError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "系统内部错误，请稍后重试或联系管理员".into(),
                )
            }
        }
    }
}

/// Every stable code [`AppError::parts`] gives, for the API's document.
pub(crate) const ERROR_CODES: [&str; 20] = [
    "unauthenticated",
    "bad_credentials",
    "account_locked",
    "password_change_required",
    "second_factor_required",
    "bad_second_factor",
    "second_factor_enrollment_required",
    "account_disabled",
    "throttled",
    "rate_limited",
    "too_many_requests",
    "not_found",
    "forbidden",
    "csrf",
    "bad_request",
    "malformed",
    "conflict",
    "invalid_fields",
    "refused",
    "internal",
];

/// The JSON body of an API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable code: e.g. `invalid_fields` (with `fields`), `conflict` (409: not in this state,
    /// changed meanwhile), `refused` (403 or 422: the rules do not allow it).
    #[schema(value_type = crate::openapi::ErrorCodeCode)]
    pub code: String,
    /// Message for people, in Chinese.
    pub message: String,
    /// The request field a refusal concerns (e.g. `date`, `officers`, `due_on`), when it
    /// concerns one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Field errors, for `invalid_fields`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldErrorBody>,
}

/// One field error in an API response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldErrorBody {
    /// Check item number.
    pub item: u32,
    /// `answer` or `note`.
    pub field: String,
    /// Message, in Chinese.
    pub message: String,
}

/// An error answered as JSON (`/api`).
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.0.parts();
        let field = match &self.0 {
            AppError::Refused(r) => r.field().map(str::to_string),
            _ => None,
        };
        let fields = match self.0 {
            AppError::Refused(r) => r
                .field_errors()
                .iter()
                .cloned()
                .map(|f| FieldErrorBody {
                    item: f.item,
                    field: f.field.into(),
                    message: f.message,
                })
                .collect(),
            _ => Vec::new(),
        };
        (
            status,
            Json(ErrorBody {
                code: code.into(),
                message,
                field,
                fields,
            }),
        )
            .into_response()
    }
}

/// An error answered as an HTML page. Unauthenticated browsers are sent to the login page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self.0 {
            AppError::Unauthenticated => {
                return axum::response::Redirect::to("/login").into_response();
            }
            AppError::PasswordChangeRequired => {
                return axum::response::Redirect::to("/password").into_response();
            }
            AppError::SecondFactorRequired => {
                return axum::response::Redirect::to("/login/totp").into_response();
            }
            AppError::SecondFactorEnrollmentRequired => {
                return axum::response::Redirect::to("/totp").into_response();
            }
            _ => {}
        }
        let (status, _, message) = self.0.parts();
        (status, crate::layout::error_page(status, &message)).into_response()
    }
}

/// `?` converts every error the handlers meet into both renderings.
macro_rules! wrap_errors {
    ($($wrapper:ident),*) => {$(
        impl From<AppError> for $wrapper {
            fn from(e: AppError) -> Self {
                $wrapper(e)
            }
        }
        impl From<StoreError> for $wrapper {
            fn from(e: StoreError) -> Self {
                $wrapper(e.into())
            }
        }
        impl From<Denial> for $wrapper {
            fn from(e: Denial) -> Self {
                $wrapper(e.into())
            }
        }
        impl From<safeduty_app::Error> for $wrapper {
            fn from(e: safeduty_app::Error) -> Self {
                $wrapper(e.into())
            }
        }
    )*};
}
wrap_errors!(ApiError, PageError);

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use safeduty_core::refusal::{FieldError, Refusal};

    use super::{AppError, ERROR_CODES};

    /// One error of each kind the API answers with (the match below has no wildcard, so a new
    /// variant must be added here).
    fn one_of_each() -> Vec<AppError> {
        let all = vec![
            AppError::Unauthenticated,
            AppError::BadCredentials,
            AppError::AccountLocked { minutes: 1 },
            AppError::PasswordChangeRequired,
            AppError::SecondFactorRequired,
            AppError::BadSecondFactor,
            AppError::SecondFactorEnrollmentRequired,
            AppError::AccountDisabled,
            AppError::TooManyRequests,
            AppError::Throttled,
            AppError::RateLimited,
            AppError::NotFound,
            AppError::Forbidden,
            AppError::Csrf,
            AppError::Malformed {
                status: axum::http::StatusCode::BAD_REQUEST,
                message: String::new(),
            },
            AppError::BadRequest(String::new()),
            AppError::Conflict(String::new()),
            AppError::Refused(Refusal::forbidden("x")),
            AppError::Refused(Refusal::conflict("x")),
            AppError::Refused(Refusal::invalid("x")),
            AppError::Refused(Refusal::fields(vec![FieldError {
                item: 1,
                field: "answer",
                message: "x".into(),
            }])),
            AppError::Internal("a test".into()),
        ];
        for e in &all {
            match e {
                AppError::Unauthenticated
                | AppError::BadCredentials
                | AppError::AccountLocked { .. }
                | AppError::PasswordChangeRequired
                | AppError::SecondFactorRequired
                | AppError::BadSecondFactor
                | AppError::SecondFactorEnrollmentRequired
                | AppError::AccountDisabled
                | AppError::TooManyRequests
                | AppError::Throttled
                | AppError::RateLimited
                | AppError::NotFound
                | AppError::Forbidden
                | AppError::Csrf
                | AppError::Malformed { .. }
                | AppError::BadRequest(_)
                | AppError::Conflict(_)
                | AppError::Refused(_)
                | AppError::Internal(_) => {}
            }
        }
        all
    }

    #[test]
    fn the_codes_listed_are_the_codes_given() {
        let given: BTreeSet<&str> = one_of_each().iter().map(|e| e.parts().1).collect();
        assert_eq!(given, ERROR_CODES.into_iter().collect::<BTreeSet<_>>());
        assert_eq!(given.len(), ERROR_CODES.len(), "no code listed twice");
    }
}
