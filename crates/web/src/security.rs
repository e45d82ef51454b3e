//! Security headers on every response: a CSP without inline script, no framing, no sniffing, a
//! strict referrer policy, and HSTS when served behind TLS.

use axum::http::{HeaderName, HeaderValue, header};
use tower::ServiceBuilder;
use tower::layer::util::{Identity, Stack};
use tower_http::set_header::SetResponseHeaderLayer;

type H = SetResponseHeaderLayer<HeaderValue>;

/// The header layers; `hsts` adds `Strict-Transport-Security`.
pub(crate) fn headers(
    hsts: bool,
) -> ServiceBuilder<Stack<H, Stack<H, Stack<H, Stack<H, Stack<H, Identity>>>>>> {
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    ServiceBuilder::new()
        .layer(set(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "same-origin"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(if hsts {
            set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000")
        } else {
            // Without TLS the header would be ignored; send a harmless no-op instead.
            set(
                HeaderName::from_static("x-permitted-cross-domain-policies"),
                "none",
            )
        })
}
