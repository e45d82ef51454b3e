//! Separation of the administrator duties (issue #5, GB/T 22239-2019 8.1.4.2 d): the system
//! administrator manages business accounts only; resetting, disabling or enabling an
//! administrator's account is the security administrator's; granting a business role is the
//! security administrator's, so that no one administrator holds a working business account
//! (issue #16 point 1).

use axum::http::{StatusCode, header};
use serde_json::json;

use crate::admin::{cookie_of, login_request, scalar};
use crate::app::{Client, TestApp};

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

/// The session of `user` logged in over the API with `password`.
async fn api_session(app: &TestApp, user: &str, password: &str) -> Client {
    let login = app.send(login_request(user, password, None)).await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    Client {
        cookie: cookie_of(&login),
        csrf: login.json()["csrf_token"].as_str().unwrap().into(),
    }
}

/// Logs `user` in with the first password handed over and sets `new` (the forced change at the
/// first login): the session that follows.
async fn first_login(app: &TestApp, user: &str, first: &str, new: &str) -> Client {
    let c = api_session(app, user, first).await;
    let changed = app
        .json(
            &c,
            "POST",
            "/api/v1/password",
            json!({"old_password": first, "new_password": new}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    Client {
        cookie: cookie_of(&changed),
        csrf: changed.json()["csrf_token"].as_str().unwrap().into(),
    }
}

/// The first password on a handed-over page.
fn password_on(page: &str, user: &str) -> String {
    page.split(&format!("<td>{user}</td>"))
        .nth(1)
        .and_then(|rest| rest.split("<code>").nth(1))
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("no first password for {user} in {page}"))
        .to_string()
}

async fn pending_grants(app: &TestApp) -> i64 {
    scalar(app, "SELECT COUNT(*) FROM users WHERE grant_pending = 1").await
}

/// Issue #16 point 1: the system administrator, who sees first passwords, only proposes a role;
/// the security administrator, who grants, never sees a business password; a reset suspends the
/// role and tells the owner; an administrator's account never becomes a business account.
#[tokio::test]
async fn no_one_administrator_ends_up_holding_a_working_business_account() {
    for app in TestApp::all().await {
        let b = app.backend();
        let sys = app.login("demo-sysadmin").await;
        let sec = app.login("demo-secadmin").await;
        let district = format!(
            "r{}",
            scalar(
                &app,
                "SELECT region_id FROM users WHERE username = 'demo-office'"
            )
            .await
        );

        // The system administrator creates a committee office account for the whole district:
        // the first password is shown once with the note that the role awaits a grant.
        let r = app
            .form(
                &sys,
                "/admin/accounts",
                &[
                    ("csrf", &sys.csrf),
                    ("username", "zhang.office"),
                    ("display_name", "张某"),
                    ("role", "committee_office"),
                    ("anchor", &district),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{b}: {}", r.body);
        assert!(r.body.contains("须经安全管理员授予后生效"), "{b}");
        let first = password_on(&r.body, "zhang.office");
        assert_eq!(app.audit_count("role_proposed").await, 1, "{b}");
        assert_eq!(pending_grants(&app).await, 1, "{b}");

        // Logged in with it, it sees nothing: no enterprise, no overview; home leads to the
        // inbox, whose banner says why.
        let zhang = first_login(&app, "zhang.office", &first, "Zhang-Office-77").await;
        assert_eq!(
            app.get(&zhang, "/api/v1/enterprises").await.status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
        assert_ne!(
            app.get(&zhang, "/overview").await.status,
            StatusCode::OK,
            "{b}"
        );
        let home = app.get(&zhang, "/").await;
        assert_eq!(home.headers[header::LOCATION], "/inbox", "{b}");
        assert!(
            app.get(&zhang, "/inbox")
                .await
                .body
                .contains("尚待安全管理员授予"),
            "{b}"
        );

        // The system administrator cannot grant; the security administrator cannot create.
        let r = app
            .form(
                &sys,
                "/admin/accounts/zhang.office/grant",
                &[("csrf", &sys.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        let r = app
            .form(
                &sec,
                "/admin/accounts",
                &[
                    ("csrf", &sec.csrf),
                    ("username", "li.office"),
                    ("display_name", "李某"),
                    ("role", "committee_office"),
                    ("anchor", &district),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        assert_eq!(pending_grants(&app).await, 1, "{b}: nothing written");

        // The security administrator sees it waiting and grants it: the owner's session ends,
        // and the next login sees the district's enterprises.
        let waiting = app.get(&sec, "/admin/accounts?pending=1").await.body;
        assert_eq!(waiting.matches("<td>zhang.office</td>").count(), 1, "{b}");
        assert!(!waiting.contains("<td>demo-town</td>"), "{b}");
        let r = app
            .form(
                &sec,
                "/admin/accounts/zhang.office/grant",
                &[("csrf", &sec.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        assert_eq!(app.audit_count("role_granted").await, 1, "{b}");
        assert_eq!(
            app.get(&zhang, "/api/v1/enterprises").await.status,
            StatusCode::UNAUTHORIZED,
            "{b}: sessions ended"
        );
        let zhang = api_session(&app, "zhang.office", "Zhang-Office-77").await;
        assert_eq!(
            app.get(&zhang, "/api/v1/enterprises").await.status,
            StatusCode::OK,
            "{b}"
        );
        // Granting twice is refused with the reason.
        let r = app
            .form(
                &sec,
                "/admin/accounts/zhang.office/grant",
                &[("csrf", &sec.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.body.contains("没有待授予的角色"), "{b}");

        // A reset by the system administrator: shown once, the role suspended, the owner told in
        // its inbox and on the webhook, audited.
        let r = app
            .form(
                &sys,
                "/admin/accounts/zhang.office/password",
                &[("csrf", &sys.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{b}");
        assert!(r.body.contains("业务权限已暂停"), "{b}");
        let reset = password_on(&r.body, "zhang.office");
        let taken_over = first_login(&app, "zhang.office", &reset, "Taken-Over-Pw-88").await;
        assert_eq!(
            app.get(&taken_over, "/api/v1/enterprises").await.status,
            StatusCode::NOT_FOUND,
            "{b}: the reset password opens nothing"
        );
        let inbox = app.get(&taken_over, "/inbox").await.body;
        assert!(inbox.contains("账号安全"), "{b}");
        assert!(inbox.contains("由管理员重置"), "{b}");
        let outbound = safeduty_store::reminders::pending(app.store(), "webhook", 100)
            .await
            .unwrap();
        assert_eq!(
            outbound
                .iter()
                .filter(|p| p.kind == "account_notice" && p.message.contains("由管理员重置"))
                .count(),
            1,
            "{b}"
        );
        let mut tx = app.store().write().await.unwrap();
        let after: String = sqlx::query_scalar(
            "SELECT after_state FROM audit_records WHERE event = 'password_reset' \
             ORDER BY seq DESC",
        )
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        let after: serde_json::Value = serde_json::from_str(&after).unwrap();
        assert_eq!(after["grant_pending"], true, "{b}");
        assert_eq!(after["owner_notified"], true, "{b}");
        assert_eq!(pending_grants(&app).await, 1, "{b}");

        // An administrator's account never becomes a business account.
        let r = app
            .form(
                &sec,
                "/admin/accounts/demo-sysadmin/role",
                &[
                    ("csrf", &sec.csrf),
                    ("role", "committee_office"),
                    ("anchor", &district),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.body.contains("管理员账号不能改为业务账号"), "{b}");

        // Bulk: enterprise accounts provisioned by the system administrator wait, and one act of
        // the security administrator grants them all.
        let r = app
            .form(&sys, "/admin/provision/generate", &[("csrf", &sys.csrf)])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{b}");
        let provisioned = pending_grants(&app).await - 1;
        assert!(provisioned > 0, "{b}");
        let r = app
            .form(
                &sec,
                "/admin/accounts/grant-enterprises",
                &[("csrf", &sec.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            pending_grants(&app).await,
            1,
            "{b}: only the suspended committee office account still waits"
        );
        assert_eq!(
            app.audit_count("role_granted").await,
            1 + provisioned,
            "{b}"
        );
        app.cleanup().await;
    }
}
