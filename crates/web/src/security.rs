//! Security headers on every response: a CSP without inline script, no framing, no sniffing, a
//! strict referrer policy, and HSTS when served behind TLS.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the headers a handler did not set itself; `hsts` adds `Strict-Transport-Security`.
pub(crate) async fn headers(State(hsts): State<bool>, mut res: Response) -> Response {
    let h = res.headers_mut();
    let mut set = |name, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, CSP);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
    if hsts {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    res
}
