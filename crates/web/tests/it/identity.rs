//! Identification (issue #5): lockout, password rules and history, forced change, sessions ended
//! on a password change.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::app::{PASSWORD, TestApp};

async fn try_login(app: &TestApp, username: &str, password: &str) -> crate::app::Answer {
    app.send(
        Request::post("/api/v1/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({"username": username, "password": password}).to_string(),
            ))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn five_failures_lock_the_account_even_for_the_right_password() {
    for app in TestApp::all().await {
        let b = app.backend();
        for i in 1..=4 {
            let r = try_login(&app, "demo-office", "wrong-password").await;
            assert_eq!(r.json()["code"], "bad_credentials", "{b}: failure {i}");
        }
        let r = try_login(&app, "demo-office", "wrong-password").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{b}");
        assert_eq!(
            r.json()["message"],
            "登录失败次数过多，账户已锁定，请15分钟后再试",
            "{b}"
        );
        let r = try_login(&app, "demo-office", PASSWORD).await;
        assert_eq!(
            r.json()["code"],
            "account_locked",
            "{b}: locked whatever the password"
        );
        assert_eq!(app.audit_count("account_locked").await, 1, "{b}");
        // Other accounts are not affected (positive control).
        assert_eq!(
            try_login(&app, "demo-town", PASSWORD).await.status,
            StatusCode::OK,
            "{b}"
        );
        app.cleanup().await;
    }
}

/// Issue #16 point 6: failures are counted per typed name and client address, so a guesser is
/// locked where it guesses and the owner still logs in from elsewhere; a name that names nobody
/// gets exactly the answers a real one gets, lock included; a 1 MB body and a 10 000-character
/// password are refused before any hashing.
#[tokio::test]
async fn a_guesser_is_locked_where_it_guesses_and_names_tell_nothing() {
    use crate::admin::{login_request, login_via, router_with, send_to};
    for app in TestApp::all().await {
        let b = app.backend();
        let node = router_with(&app, 1000, &[]);
        let guesser = "203.0.113.9";
        let locked_before = app.audit_count("account_locked").await;
        for name in ["demo-office", "nobody-at-all"] {
            let mut answers = Vec::new();
            for _ in 0..6 {
                answers.push(login_via(&node, guesser, None, name, "wrong-password").await);
            }
            let bad = (StatusCode::UNAUTHORIZED, "bad_credentials".to_string());
            let locked = (StatusCode::UNAUTHORIZED, "account_locked".to_string());
            assert_eq!(
                answers,
                [
                    bad.clone(),
                    bad.clone(),
                    bad.clone(),
                    bad,
                    locked.clone(),
                    locked
                ],
                "{b}: {name}"
            );
        }
        assert_eq!(
            app.audit_count("account_locked").await,
            locked_before + 2,
            "{b}: both locks recorded"
        );
        // The guesser's address stays locked, even with the right password…
        assert_eq!(
            login_via(&node, guesser, None, "demo-office", PASSWORD).await,
            (StatusCode::UNAUTHORIZED, "account_locked".to_string()),
            "{b}"
        );
        // …while the owner logs in from their own address.
        assert_eq!(
            login_via(&node, "198.51.100.8", None, "demo-office", PASSWORD)
                .await
                .0,
            StatusCode::OK,
            "{b}"
        );

        let failed = app.audit_count("login_failed").await;
        let mut huge = login_request("demo-town", &"x".repeat(1024 * 1024), None);
        huge.extensions_mut().insert(axum::extract::ConnectInfo(
            "198.51.100.20:50000"
                .parse::<std::net::SocketAddr>()
                .unwrap(),
        ));
        assert_eq!(
            send_to(&node, huge).await.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{b}"
        );
        assert_eq!(
            app.audit_count("login_failed").await,
            failed,
            "{b}: not even tried"
        );
        let long = "Aa1-".repeat(250);
        assert_eq!(
            login_via(&node, "198.51.100.20", None, "demo-town", &long).await,
            (StatusCode::UNAUTHORIZED, "bad_credentials".to_string()),
            "{b}"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_password_change_follows_the_rules_and_ends_every_session() {
    for app in TestApp::all().await {
        let b = app.backend();
        let first = app.login("demo-town").await;
        let second = app.login("demo-town").await;
        let change = |old: &str, new: &str| json!({"old_password": old, "new_password": new});
        let r = app
            .json(
                &second,
                "POST",
                "/api/v1/password",
                change("nope", "Better-Pass-9"),
            )
            .await;
        assert_eq!(r.json()["message"], "原密码不正确", "{b}");
        let r = app
            .json(
                &second,
                "POST",
                "/api/v1/password",
                change(PASSWORD, "short"),
            )
            .await;
        assert!(
            r.json()["message"]
                .as_str()
                .unwrap()
                .contains("密码至少8位"),
            "{b}"
        );
        let r = app
            .json(
                &second,
                "POST",
                "/api/v1/password",
                change(PASSWORD, "demo-town-Pass-9"),
            )
            .await;
        assert!(
            r.json()["message"]
                .as_str()
                .unwrap()
                .contains("密码不能包含用户名"),
            "{b}"
        );
        let r = app
            .json(
                &second,
                "POST",
                "/api/v1/password",
                change(PASSWORD, PASSWORD),
            )
            .await;
        assert_eq!(
            r.json()["message"],
            "新密码不能与最近5次使用过的密码相同",
            "{b}"
        );

        let r = app
            .json(
                &second,
                "POST",
                "/api/v1/password",
                change(PASSWORD, "Better-Pass-9"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{b}: {}", r.body);
        let cookie = r.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        // Both old sessions ended; the new one works.
        assert_eq!(
            app.get(&first, "/api/v1/reports").await.status,
            StatusCode::UNAUTHORIZED,
            "{b}"
        );
        assert_eq!(
            app.get(&second, "/api/v1/reports").await.status,
            StatusCode::UNAUTHORIZED,
            "{b}"
        );
        let fresh = crate::app::Client {
            cookie,
            csrf: r.json()["csrf_token"].as_str().unwrap().to_string(),
        };
        assert_eq!(
            app.get(&fresh, "/api/v1/reports").await.status,
            StatusCode::OK,
            "{b}"
        );
        assert_eq!(
            try_login(&app, "demo-town", PASSWORD).await.status,
            StatusCode::UNAUTHORIZED,
            "{b}"
        );
        assert_eq!(
            try_login(&app, "demo-town", "Better-Pass-9").await.status,
            StatusCode::OK,
            "{b}"
        );
        // Back to an earlier password: refused (history).
        let again = app
            .json(
                &fresh,
                "POST",
                "/api/v1/password",
                change("Better-Pass-9", PASSWORD),
            )
            .await;
        assert_eq!(
            again.json()["message"],
            "新密码不能与最近5次使用过的密码相同",
            "{b}"
        );
        assert_eq!(app.audit_count("password_changed").await, 1, "{b}");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_handed_over_account_must_change_its_password_first() {
    let app = TestApp::sqlite().await;
    let who = safeduty_store::audit::Who::system();
    let mut tx = app.store().write().await.unwrap();
    let town = safeduty_store::org::user_by_username(app.store(), "demo-town")
        .await
        .unwrap();
    let id = safeduty_store::org::create_user(
        &mut tx,
        &who,
        &safeduty_store::org::NewUser {
            username: "li.officer".into(),
            display_name: "李干事".into(),
            password_hash: safeduty_web::auth::hash_password("First-Pass-1").unwrap(),
            role: safeduty_core::policy::Role::UnitOfficer,
            region_id: None,
            unit_id: town.unit_id,
            enterprise_id: None,
            is_demo: false,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    safeduty_store::identity::require_password_change(app.store(), &who, id)
        .await
        .unwrap();

    let r = try_login(&app, "li.officer", "First-Pass-1").await;
    assert_eq!(r.status, StatusCode::OK);
    let u = crate::app::Client {
        cookie: r.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string(),
        csrf: r.json()["csrf_token"].as_str().unwrap().to_string(),
    };
    let page = app.get(&u, "/enterprises").await;
    assert_eq!(
        (
            page.status,
            page.headers[header::LOCATION].to_str().unwrap()
        ),
        (StatusCode::SEE_OTHER, "/password")
    );
    let api = app.get(&u, "/api/v1/enterprises").await;
    assert_eq!(
        (api.status, api.json()["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("password_change_required"))
    );
    assert!(app.get(&u, "/password").await.body.contains("须先修改密码"));
    let r = app
        .form(
            &u,
            "/password",
            &[
                ("csrf", &u.csrf),
                ("old_password", "First-Pass-1"),
                ("new_password", "Second-Pass-2"),
                ("confirm_password", "Second-Pass-2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookie = r.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let after = crate::app::Client {
        cookie,
        csrf: String::new(),
    };
    assert_eq!(app.get(&after, "/enterprises").await.status, StatusCode::OK);
    // Demo accounts are the only ones exempt.
    assert!(
        !safeduty_store::org::user_by_username(app.store(), "demo-town")
            .await
            .unwrap()
            .must_change_password
    );
    app.cleanup().await;
}
