//! Separation of the administrator duties (issue #5, GB/T 22239-2019 8.1.4.2 d): the system
//! administrator manages business accounts only; resetting, disabling or enabling an
//! administrator's account is the security administrator's.

use axum::http::StatusCode;

use crate::app::TestApp;

#[tokio::test]
async fn only_the_security_administrator_resets_or_disables_an_administrator() {
    for app in TestApp::all().await {
        let b = app.backend();
        let sys = app.login("demo-sysadmin").await;
        let sec = app.login("demo-secadmin").await;
        // The system administrator can neither take over the audit administrator nor lock out
        // the security administrator: 403, and nothing changes.
        let r = app
            .form(
                &sys,
                "/admin/accounts/demo-auditadmin/password",
                &[("csrf", &sys.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        let r = app
            .form(
                &sys,
                "/admin/accounts/demo-secadmin/status",
                &[("csrf", &sys.csrf), ("set", "disable")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        assert_eq!(
            app.get(&sec, "/admin/accounts").await.status,
            StatusCode::OK,
            "{b}: the security administrator is still signed in"
        );
        app.login("demo-auditadmin").await;
        // Its list offers no actions on the administrators' rows.
        let page = app.get(&sys, "/admin/accounts").await.body;
        assert!(
            !page.contains("/admin/accounts/demo-secadmin/status"),
            "{b}"
        );
        assert!(page.contains("/admin/accounts/demo-town/status"), "{b}");

        // The security administrator: actions on the two other administrators only.
        let page = app.get(&sec, "/admin/accounts").await.body;
        assert_eq!(page.matches("/status\"").count(), 2, "{b}");
        assert!(page.contains("/admin/accounts/demo-sysadmin/status"), "{b}");
        assert!(
            page.contains("/admin/accounts/demo-auditadmin/password"),
            "{b}"
        );
        // It may not act on a business account, nor on its own.
        let r = app
            .form(
                &sec,
                "/admin/accounts/demo-town/password",
                &[("csrf", &sec.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        let r = app
            .form(
                &sec,
                "/admin/accounts/demo-secadmin/status",
                &[("csrf", &sec.csrf), ("set", "disable")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        // Positive control: it resets the audit administrator (a first password shown once)
        // and disables the system administrator, whose session ends.
        let r = app
            .form(
                &sec,
                "/admin/accounts/demo-auditadmin/password",
                &[("csrf", &sec.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{b}");
        assert!(r.body.contains("demo-auditadmin"), "{b}");
        let r = app
            .form(
                &sec,
                "/admin/accounts/demo-sysadmin/status",
                &[("csrf", &sec.csrf), ("set", "disable")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            app.get(&sys, "/api/v1/campaign").await.status,
            StatusCode::UNAUTHORIZED,
            "{b}"
        );
        app.cleanup().await;
    }
}
