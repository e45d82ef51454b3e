//! The signing page (本人签署承诺书, issue #18 point 9): a listed safety manager signs their own
//! commitment with the one-time signing code the enterprise issued them, without an account.
//!
//! `GET /sign` asks for the code; `POST /sign` with `step=open` shows, for a good code, only the
//! person's name and the commitment text with the 已阅读 box and the name field; `step=sign`
//! signs ([`safeduty_app::commitments::sign_with_code`]) and says so. A refusal (a code wrong,
//! expired, used or revoked; the box not ticked; a name that differs) shows its Chinese message
//! on the page with what was typed kept (the code too); a refused code is counted and audited by
//! the store, a name that differs leaves the code good.
//!
//! No session: the form carries the pre-session CSRF token of the login page
//! ([`crate::csrf::PRE_SESSION_COOKIE`], `SameSite=Strict`), so a cross-site POST is refused
//! before the handler runs. Each POST counts against the client address's limit
//! ([`crate::rate_limit::SignLimits`], 30 tries in 10 minutes unless configured): beyond it 429
//! with `Retry-After`, nothing checked. Answers are `Cache-Control: no-store` (they hold the code).

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use safeduty_app::commitments::{self, CodeView};
use safeduty_store::audit::Who;
use safeduty_store::commitments::{CommitmentText, Signature};

use super::{Chrome, render};
use crate::AppState;
use crate::auth::ClientAddr;
use crate::error::{AppError, PageError};
use crate::extract::PageForm;

/// The largest body `POST /sign` takes, in bytes: a code, a name and the tokens fit many times.
pub(super) const BODY_LIMIT: usize = 8 * 1024;

/// Where the person is.
enum Stage {
    /// Typing the code.
    Code,
    /// Reading: the person's name as listed and the text the code opens.
    Read(String, CommitmentText),
    /// Signed.
    Done(Signature),
}

#[derive(Template)]
#[template(path = "sign.html")]
struct SignPage {
    /// No menu: the person has no account.
    chrome: Option<Chrome>,
    /// The pre-session CSRF token.
    csrf: String,
    stage: Stage,
    /// The refusal's message, if any.
    error: Option<String>,
    /// What was typed.
    code: String,
    typed_name: String,
    read: bool,
}

/// What the person typed.
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct SignForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    read: Option<String>,
    #[serde(default)]
    typed_name: String,
}

/// Renders the page with `status`, the pre-session token (and its cookie when the browser had
/// none) and `no-store`.
fn answer(
    state: &AppState,
    jar: CookieJar,
    status: StatusCode,
    page: impl FnOnce(String) -> SignPage,
) -> Response {
    let (csrf, cookie) = crate::csrf::pre_session_token(&jar, state.config().secure_cookies);
    let mut res = render(&page(csrf)).into_response();
    if res.status() == StatusCode::OK {
        *res.status_mut() = status;
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    match cookie {
        Some(c) => (jar.add(c), res).into_response(),
        None => res,
    }
}

/// `GET /sign`: the code form.
pub(super) async fn form(State(state): State<AppState>, jar: CookieJar) -> Response {
    answer(&state, jar, StatusCode::OK, |csrf| SignPage {
        chrome: None,
        csrf,
        stage: Stage::Code,
        error: None,
        code: String::new(),
        typed_name: String::new(),
        read: false,
    })
}

/// A refusal the page shows (the store's code refusals, the person's mistakes, a conflict): its
/// status and message; any other error as it is.
fn shown(err: safeduty_app::Error) -> Result<(StatusCode, String), AppError> {
    match AppError::from(err) {
        e @ (AppError::Refused(_) | AppError::Conflict(_)) => {
            let (status, _, message) = e.parts();
            Ok((status, message))
        }
        e => Err(e),
    }
}

/// `POST /sign` (`step`, `code`, and for `step=sign` also `read`, `typed_name`): opens the
/// commitment a code holds, or signs it.
pub(super) async fn submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    jar: CookieJar,
    PageForm(f): PageForm<SignForm>,
) -> Result<Response, PageError> {
    let page = |stage, error, status| {
        answer(&state, jar.clone(), status, |csrf| SignPage {
            chrome: None,
            csrf,
            stage,
            error,
            code: f.code.trim().to_string(),
            typed_name: f.typed_name.clone(),
            read: f.read.is_some(),
        })
    };
    let limiter = state.sign_limiter();
    if !limiter.allow(addr.as_deref()) {
        tracing::warn!(client = ?addr, "signing page rate limit reached");
        let minutes = limiter.window().as_secs().div_ceil(60);
        let mut res = page(
            Stage::Code,
            Some(format!("尝试次数过多，请{minutes}分钟后再试")),
            StatusCode::TOO_MANY_REQUESTS,
        );
        res.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(limiter.window().as_secs()),
        );
        return Ok(res);
    }
    let who = Who {
        user_id: None,
        role: None,
        client_addr: addr,
    };
    let now = chrono::Utc::now();
    let CodeView { person_name, text } =
        match commitments::code_view(state.store(), &who, &f.code, now).await {
            Ok(v) => v,
            Err(err) => {
                let (status, message) = shown(err)?;
                return Ok(page(Stage::Code, Some(message), status));
            }
        };
    if f.step != "sign" {
        return Ok(page(Stage::Read(person_name, text), None, StatusCode::OK));
    }
    let signed = commitments::sign_with_code(
        state.store(),
        &who,
        &f.code,
        f.read.is_some(),
        &f.typed_name,
        now,
        state.clock().today(),
    )
    .await;
    Ok(match signed {
        Ok(s) => page(Stage::Done(s), None, StatusCode::OK),
        Err(err) => {
            let (status, message) = shown(err)?;
            page(Stage::Read(person_name, text), Some(message), status)
        }
    })
}
