//! The access-control sequences of shared case B21–B25 on our routes (the case's paths are
//! illustrative; our rule: 404 outside the scope, 403 for a forbidden action inside it). Denials
//! answer with no data and change no business data; each has its positive control. Attachment
//! downloads outside the scope (B22 `F2`) are covered in `attachments.rs`
//! (`b28_exact_name_round_trip_and_scope`); the remaining routes of every role and scope in
//! `authz_matrix.rs`.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use safeduty_core::policy::Role;
use safeduty_store::audit::Who;
use safeduty_store::org::{self, NewUser};

use crate::app::{Client, PASSWORD, TestApp};
use crate::authz_matrix::business_snapshot;

async fn user_without_scope(app: &TestApp, username: &str) {
    let mut tx = app.store().write().await.unwrap();
    org::create_user(
        &mut tx,
        &Who::system(),
        &NewUser {
            username: username.into(),
            display_name: "未配置范围的属地账号".into(),
            password_hash: safeduty_web::auth::hash_password(PASSWORD).unwrap(),
            role: Role::UnitOfficer,
            region_id: None,
            unit_id: None,
            enterprise_id: None,
            is_demo: true,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Names of the enterprises `c` lists through the API.
async fn listed(app: &TestApp, c: &Client) -> BTreeSet<String> {
    // One page of the most rows a page holds (every scope here has fewer: asserted).
    let r = app.get(c, "/api/v1/enterprises?per_page=200").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = r.json();
    let rows = page["rows"].as_array().unwrap();
    assert_eq!(page["total"].as_u64(), Some(rows.len() as u64));
    rows.iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

/// B21: a role without a scope sees nothing; the department sees only what it supervises; the
/// list and the export give the same set.
#[tokio::test]
async fn b21_scopes_fail_closed_and_agree_across_views() {
    for app in TestApp::all().await {
        let b = app.backend();
        user_without_scope(&app, "u-new").await;
        let new = app.login("u-new").await;
        for path in [
            "/api/v1/enterprises",
            "/enterprises",
            "/roster/export?format=csv",
            "/reports",
        ] {
            let r = app.get(&new, path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{b} {path}");
            assert!(!r.body.contains("示例"), "{b} {path}: no enterprise named");
        }
        // Positive control: the town officer with its scope lists its 60.
        let town = app.login("demo-town").await;
        assert_eq!(listed(&app, &town).await.len(), 60, "{b}");

        // The department (区应急管理局) sees the enterprises it supervises, all of them.
        let dept = app.login("demo-dept").await;
        let names = listed(&app, &dept).await;
        let mut tx = app.store().write().await.unwrap();
        let expected: Vec<String> = sqlx::query_scalar(
            "SELECT e.name FROM enterprises e JOIN units u ON u.id = e.supervising_unit_id \
             WHERE u.name = '区应急管理局'",
        )
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(names, expected.into_iter().collect(), "{b}");
        assert!(!names.is_empty(), "{b}");

        // The roster export of each scope holds the same enterprises as its list.
        for (who, c) in [("dept", &dept), ("town", &town)] {
            let csv = app.get(c, "/roster/export?format=csv").await;
            assert_eq!(csv.status, StatusCode::OK, "{b} {who}");
            let list = listed(&app, c).await;
            let rows = csv
                .body
                .lines()
                .skip(1)
                .filter(|l| !l.trim().is_empty())
                .count();
            assert_eq!(rows, list.len(), "{b} {who}: export rows = list");
            for n in &list {
                assert!(csv.body.contains(n.as_str()), "{b} {who}: {n} exported");
            }
        }
        app.cleanup().await;
    }
}

/// B22: objects outside the scope by id — the other enterprise's pages and API, writes to it,
/// ids one off — all 404 with no data and nothing changed; the audit trail is not for them (403).
#[tokio::test]
async fn b22_objects_outside_the_scope_by_id() {
    for app in TestApp::all().await {
        let b = app.backend();
        let e2 = app.enterprise_of("demo-enterprise2").await;
        let e2_name = "示例南山瑞丰宏达矿业有限公司";
        // One digit off either way: still no enterprise of the caller's.
        let last = u8::from_str_radix(&e2[31..], 16).unwrap();
        let plus = format!("{}{:x}", &e2[..31], (last + 1) % 16);
        let minus = format!("{}{:x}", &e2[..31], (last + 15) % 16);
        let before = business_snapshot(&app).await;
        for user in ["demo-enterprise", "demo-town"] {
            let c = app.login(user).await;
            for id in [&e2, &plus, &minus] {
                for (method, path) in [
                    ("GET", format!("/enterprises/{id}")),
                    ("GET", format!("/api/v1/enterprises/{id}/self-inspection")),
                    ("PUT", format!("/api/v1/enterprises/{id}/self-inspection")),
                    (
                        "POST",
                        format!("/api/v1/enterprises/{id}/self-inspection/submit"),
                    ),
                    ("GET", format!("/attachments/{id}")),
                ] {
                    let r = app
                        .json(
                            &c,
                            method,
                            &path,
                            serde_json::json!({"answers": [{"item": 1, "answer": "conform"}]}),
                        )
                        .await;
                    assert_eq!(
                        r.status,
                        StatusCode::NOT_FOUND,
                        "{b} {user} {method} {path}"
                    );
                    assert!(!r.body.contains(e2_name), "{b} {user} {path}: no data");
                }
                let r = app
                    .form(
                        &c,
                        &format!("/enterprises/{id}/self-inspection"),
                        &[
                            ("csrf", &c.csrf),
                            ("action", "save"),
                            ("answer_1", "conform"),
                        ],
                    )
                    .await;
                assert_eq!(r.status, StatusCode::NOT_FOUND, "{b} {user} form {id}");
            }
            // The trail is the audit administrator's alone.
            let r = app.get(&c, &format!("/audit?target_id={e2}")).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{b} {user}");
            assert!(!r.body.contains(&e2), "{b} {user}");
        }
        assert_eq!(
            business_snapshot(&app).await,
            before,
            "{b}: no side effects"
        );
        // Positive control: its own user reads it.
        let owner = app.login("demo-enterprise2").await;
        let r = app.get(&owner, &format!("/enterprises/{e2}")).await;
        assert_eq!(r.status, StatusCode::OK, "{b}");
        assert!(r.body.contains(e2_name), "{b}");
        app.cleanup().await;
    }
}

/// B23: a page on another origin makes the browser send the session cookie without the CSRF
/// token — by a GET to a state-changing path, or an auto-submitted form. Nothing changes.
#[tokio::test]
async fn b23_cross_site_requests_change_nothing() {
    for app in TestApp::all().await {
        let b = app.backend();
        let own = app.enterprise_of("demo-enterprise").await;
        let ent = app.login("demo-enterprise").await;
        let town = app.login("demo-town").await;
        let before = business_snapshot(&app).await;
        // GET never changes state: the state-changing paths have no GET.
        for path in [
            format!("/enterprises/{own}/self-inspection"),
            format!("/api/v1/enterprises/{own}/self-inspection/submit"),
            "/logout".to_string(),
            "/admin/accounts/demo-town/status".to_string(),
        ] {
            let r = app.get(&ent, &path).await;
            assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{b} GET {path}");
        }
        // Forms and API calls without the token.
        let r = app
            .send(
                Request::post(format!("/enterprises/{own}/self-inspection"))
                    .header(header::COOKIE, &ent.cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from("action=submit&answer_1=conform"))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        let r = app
            .send(
                Request::put(format!("/api/v1/enterprises/{own}/self-inspection"))
                    .header(header::COOKIE, &ent.cookie)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(r#"{"answers":[{"item":1,"answer":"conform"}]}"#))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        let r = app
            .send(
                Request::post("/reports/stage")
                    .header(header::COOKIE, &town.cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from("note=x"))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        // Another user's token does not do either.
        let r = app
            .form(
                &ent,
                &format!("/enterprises/{own}/self-inspection"),
                &[
                    ("csrf", &town.csrf),
                    ("action", "save"),
                    ("answer_1", "conform"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        assert_eq!(
            business_snapshot(&app).await,
            before,
            "{b}: nothing changed"
        );
        // Positive control: with its own token the same save goes through.
        let r = app
            .form(
                &ent,
                &format!("/enterprises/{own}/self-inspection"),
                &[
                    ("csrf", &ent.csrf),
                    ("action", "save"),
                    ("answer_1", "conform"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        assert_ne!(business_snapshot(&app).await, before, "{b}");
        app.cleanup().await;
    }
}

/// B24: a session id chosen before login is never adopted; logout ends the session server-side.
#[tokio::test]
async fn b24_no_session_fixation_and_logout_ends_the_session() {
    let app = TestApp::sqlite().await;
    let planted = "safeduty_session=planted-by-an-attacker";
    let r = app
        .send(
            Request::post("/api/v1/login")
                .header(header::COOKIE, planted)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    serde_json::json!({"username": "demo-town", "password": PASSWORD}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let issued = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("safeduty_session=") && !c.starts_with("safeduty_session=;"))
        .unwrap();
    let issued = issued.split(';').next().unwrap().to_string();
    assert_ne!(issued, planted, "a new session id at login");
    let with = |cookie: &str| {
        Request::get("/api/v1/enterprises")
            .header(header::COOKIE, cookie.to_string())
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        app.send(with(planted)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.send(with(&issued)).await.status, StatusCode::OK);
    // Logout ends it on the server: the old cookie no longer works.
    let csrf = r.json()["csrf_token"].as_str().unwrap().to_string();
    let out = app
        .send(
            Request::post("/api/v1/logout")
                .header(header::COOKIE, &issued)
                .header("x-csrf-token", csrf)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(out.status.is_success(), "{}", out.status);
    assert_eq!(
        app.send(with(&issued)).await.status,
        StatusCode::UNAUTHORIZED
    );
    app.cleanup().await;
}

/// B25: no path edits or purges the trail (see also `audit_pages.rs`); a disabled account's
/// records stay readable with its name.
#[tokio::test]
async fn b25_a_disabled_users_records_stay_readable() {
    for app in TestApp::all().await {
        let b = app.backend();
        app.login("demo-assessor").await;
        let admin = app.login("demo-sysadmin").await;
        let r = app
            .form(
                &admin,
                "/admin/accounts/demo-assessor/status",
                &[("csrf", &admin.csrf), ("set", "disable")],
            )
            .await;
        assert!(
            r.status.is_redirection() || r.status.is_success(),
            "{b}: {}",
            r.status
        );
        let auditor = app.login("demo-auditadmin").await;
        let r = app
            .get(&auditor, "/audit?actor=demo-assessor&event=login")
            .await;
        assert_eq!(r.status, StatusCode::OK, "{b}");
        assert!(r.body.contains("共 1 条"), "{b}");
        assert!(
            r.body
                .contains("考核巡查组 周组长（演示）（demo-assessor）"),
            "{b}: named"
        );
        for (method, path) in [
            ("DELETE", "/audit"),
            ("POST", "/audit/purge"),
            ("PUT", "/audit/1"),
        ] {
            let r = app.json(&admin, method, path, serde_json::json!({})).await;
            assert!(
                matches!(r.status.as_u16(), 404 | 405),
                "{b} {method} {path}"
            );
        }
        app.cleanup().await;
    }
}

/// Issue #16 point 4: one session sending denied requests is throttled at the limit (5 here):
/// the denials up to it are recorded one by one, the throttling once, and every later request
/// of that session from that address gets 429 without running or writing; another session is
/// not affected.
#[tokio::test]
async fn repeated_denials_are_throttled_and_recorded_once() {
    use crate::admin::send_to;
    for app in TestApp::all().await {
        let b = app.backend();
        let node = safeduty_web::router(safeduty_web::AppState::new(
            app.store().clone(),
            safeduty_core::calendar::Calendar::shipped(),
            safeduty_web::Clock::Fixed("2024-06-20".parse().unwrap()),
            safeduty_web::WebConfig {
                denial_limits: safeduty_web::denials::DenialLimits {
                    per_session: 5,
                    window: std::time::Duration::from_secs(3600),
                },
                ..safeduty_web::WebConfig::default()
            },
        ));
        let ent = app.login("demo-enterprise").await;
        let other = app.enterprise_of("demo-enterprise2").await;
        let own = app.enterprise_of("demo-enterprise").await;
        let get = |c: &Client, path: String| {
            Request::get(path)
                .header(header::COOKIE, &c.cookie)
                .body(Body::empty())
                .unwrap()
        };
        let denied = app.audit_count("permission_denied").await;
        for i in 1..=5 {
            let r = send_to(
                &node,
                get(&ent, format!("/api/v1/enterprises/{other}/self-inspection")),
            )
            .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{b}: denial {i}");
        }
        assert_eq!(
            app.audit_count("permission_denied").await,
            denied + 5,
            "{b}"
        );
        assert_eq!(app.audit_count("requests_throttled").await, 1, "{b}");
        for path in [
            format!("/api/v1/enterprises/{other}/self-inspection"),
            format!("/api/v1/enterprises/{own}/self-inspection"),
        ] {
            let r = send_to(&node, get(&ent, path)).await;
            assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{b}");
            assert!(r.body.contains("被拒绝的请求过于频繁"), "{b}: {}", r.body);
        }
        assert_eq!(
            app.audit_count("permission_denied").await,
            denied + 5,
            "{b}: nothing more written"
        );
        assert_eq!(app.audit_count("requests_throttled").await, 1, "{b}");
        // Another session (positive control).
        let ent2 = app.login("demo-enterprise2").await;
        let r = send_to(
            &node,
            get(
                &ent2,
                format!("/api/v1/enterprises/{other}/self-inspection"),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{b}");
        app.cleanup().await;
    }
}
