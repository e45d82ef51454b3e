//! Browser tests: the real server driven through Debian's chromium and chromedriver (WebDriver),
//! at 1440×900 and at a phone's 390×844. Every page visited fails the test on a console error
//! or a request to any host but the server, and on the phone when it scrolls sideways.
//! Screenshots go to `target/browser/`. Without chromium the tests skip, except in CI.
//!
//! Later flows: add a function to `flows.rs` and a test per viewport here.

mod flows;
mod harness;

use harness::{Session, Viewport, run};

#[test]
fn first_pages_1440x900() {
    run(|t| flows::first_pages(t, Viewport::Desktop));
}

#[test]
fn first_pages_390x844() {
    run(|t| flows::first_pages(t, Viewport::Phone));
}

#[test]
fn self_inspection_1440x900() {
    run(|t| flows::self_inspection(t, Viewport::Desktop));
}

#[test]
fn self_inspection_390x844() {
    run(|t| flows::self_inspection(t, Viewport::Phone));
}

#[test]
fn finding_loop_1440x900() {
    run(|t| flows::finding_loop(t, Viewport::Desktop));
}

#[test]
fn finding_loop_390x844() {
    run(|t| flows::finding_loop(t, Viewport::Phone));
}

#[test]
fn enforcement_1440x900() {
    run(|t| flows::enforcement(t, Viewport::Desktop));
}

#[test]
fn enforcement_390x844() {
    run(|t| flows::enforcement(t, Viewport::Phone));
}

#[test]
fn violation_library_1440x900() {
    run(|t| flows::violation_library(t, Viewport::Desktop));
}

#[test]
fn violation_library_390x844() {
    run(|t| flows::violation_library(t, Viewport::Phone));
}

#[test]
fn signing_code_1440x900() {
    run(|t| flows::signing_code(t, Viewport::Desktop));
}

#[test]
fn signing_code_390x844() {
    run(|t| flows::signing_code(t, Viewport::Phone));
}

#[test]
fn charts_1440x900() {
    run(|t| flows::charts(t, Viewport::Desktop));
}

#[test]
fn charts_390x844() {
    run(|t| flows::charts(t, Viewport::Phone));
}

/// The checks can fail: a console error, an uncaught exception, a CSP violation, a request to
/// another host and a page wider than the phone are each reported.
#[test]
fn checks_report_what_they_should() {
    run(|tools| async move {
        let s = Session::start(&tools, "checks", Viewport::Phone).await;
        s.goto("/login").await;
        assert_eq!(
            s.problems().await,
            Vec::<String>::new(),
            "the login page is clean"
        );

        s.js_value("console.error('probe: console.error')").await;
        assert_reports(&s.console_errors().await, "probe: console.error");

        s.js_value("setTimeout(() => { throw new Error('probe: uncaught'); })")
            .await;
        wait_reported(&s, "probe: uncaught").await;

        // Blocked by the CSP (img-src 'self'): a violation is a console error.
        let elsewhere = elsewhere();
        s.driver()
            .execute(
                "const i = document.createElement('img'); i.src = arguments[0]; document.body.append(i);",
                vec![serde_json::json!(format!("{elsewhere}/probe.png"))],
            )
            .await
            .unwrap();
        wait_reported(&s, "Content Security Policy").await;

        // A request the browser really sends to another host: a navigation there (nothing
        // answers, so the navigation itself fails).
        let _ = s.driver().goto(format!("{elsewhere}/probe-page")).await;
        let foreign = s.foreign_requests().await;
        assert_reports(&foreign, &format!("{elsewhere}/probe-page"));
        let _ = s.console_errors().await;

        s.goto("/login").await;
        assert_eq!(s.problems().await, Vec::<String>::new());
        s.js_value("document.body.append(Object.assign(document.createElement('div'), {style: 'width: 600px', textContent: 'probe'}))")
            .await;
        let wide = s.sideways().await.expect("a 600px box on a 390px phone");
        assert!(wide.contains("scrollWidth 6"), "{wide}");
        s.finish().await;
    });
}

/// An address no server listens on: `127.0.0.1` on a port just freed, a host other than the
/// server's `host:port`.
fn elsewhere() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}

fn assert_reports(problems: &[String], want: &str) {
    assert!(
        problems.iter().any(|p| p.contains(want)),
        "{want:?} was not reported: {problems:?}"
    );
}

/// Waits for an asynchronous console error containing `want`.
async fn wait_reported(s: &Session, want: &str) {
    let start = std::time::Instant::now();
    let mut seen = Vec::new();
    loop {
        seen.extend(s.console_errors().await);
        if seen.iter().any(|p| p.contains(want)) {
            return;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{want:?} was not reported: {seen:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
