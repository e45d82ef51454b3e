//! Security headers on every kind of answer (page, error page, JSON, static file, redirect): a
//! CSP without inline script or style, no framing, no sniffing, a referrer policy, and HSTS only
//! when served behind TLS (`--secure-cookies`). No template carries inline script or handlers,
//! which the CSP would block anyway.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use safeduty_core::calendar::Calendar;
use safeduty_web::{AppState, Clock, WebConfig, router};
use tower::ServiceExt;

use crate::app::TestApp;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn check(h: &axum::http::HeaderMap, what: &str, hsts: bool) {
    assert_eq!(h[header::CONTENT_SECURITY_POLICY], CSP, "{what}");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
    assert_eq!(h[header::X_FRAME_OPTIONS], "DENY", "{what}");
    assert_eq!(h[header::REFERRER_POLICY], "same-origin", "{what}");
    assert_eq!(
        h.get(header::STRICT_TRANSPORT_SECURITY)
            .map(|v| v.to_str().unwrap().to_string()),
        hsts.then(|| "max-age=31536000".to_string()),
        "{what}"
    );
}

#[tokio::test]
async fn every_answer_carries_the_headers_and_hsts_only_behind_tls() {
    let app = TestApp::sqlite().await;
    let office = app.login("demo-office").await;
    for (path, status) in [
        ("/overview", StatusCode::OK),
        (
            "/enterprises/00000000000000000000000000000000",
            StatusCode::NOT_FOUND,
        ),
        ("/api/v1/campaign", StatusCode::OK),
        ("/static/app.js", StatusCode::OK),
        ("/", StatusCode::SEE_OTHER),
        ("/no-such-page", StatusCode::NOT_FOUND),
    ] {
        let r = app.get(&office, path).await;
        assert_eq!(r.status, status, "{path}");
        check(&r.headers, path, false);
    }
    // Anonymous: the login page and the redirect to it.
    for path in ["/login", "/overview"] {
        let r = app
            .send(Request::get(path).body(Body::empty()).unwrap())
            .await;
        check(&r.headers, path, false);
    }

    // Behind TLS: HSTS as well.
    let tls = router(AppState::new(
        app.store().clone(),
        Calendar::shipped(),
        Clock::Fixed("2024-06-20".parse().unwrap()),
        WebConfig {
            secure_cookies: true,
            ..WebConfig::default()
        },
    ));
    for path in ["/login", "/healthz", "/static/app.css"] {
        let r = tls
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        check(r.headers(), path, true);
    }
    app.cleanup().await;
}

/// The CSP allows scripts only from our own files: no template may rely on inline script,
/// event-handler attributes, `javascript:` links or inline styles.
#[test]
fn templates_have_no_inline_script_or_style() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap().to_lowercase();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for (i, line) in text.lines().enumerate() {
            let at = format!("{name}:{}", i + 1);
            if let Some(p) = line.find("<script") {
                let tag = &line[p..line[p..].find('>').map_or(line.len(), |e| p + e)];
                assert!(tag.contains(" src="), "{at}: inline <script>");
            }
            assert!(!line.contains("<style"), "{at}: inline <style>");
            assert!(!line.contains(" style=\""), "{at}: style attribute");
            assert!(!line.contains("javascript:"), "{at}: javascript: URL");
            for handler in [
                " onclick=",
                " onsubmit=",
                " onchange=",
                " onload=",
                " oninput=",
                " onerror=",
            ] {
                assert!(!line.contains(handler), "{at}: event handler attribute");
            }
        }
        checked += 1;
    }
    assert!(checked > 10, "templates found: {checked}");
}
