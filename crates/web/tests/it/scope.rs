//! Data scope: outside it, 404 with no data, by page and by API; the owner gets 200.

use axum::http::StatusCode;

use crate::app::TestApp;

#[tokio::test]
async fn enterprise_user_and_unit_officer_get_404_outside_their_scope() {
    for app in TestApp::all().await {
        let b = app.backend();
        let own = app.enterprise_of("demo-enterprise").await;
        let other = app.enterprise_of("demo-enterprise2").await;
        let ent = app.login("demo-enterprise").await;
        let ent2 = app.login("demo-enterprise2").await;
        let denials = app.audit_count("permission_denied").await;

        // Enterprise user: own self-inspection 200, another's 404, by page and by API.
        let page = app.get(&ent, &format!("/enterprises/{own}")).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(
            page.body.contains("示例东湖恒远瑞丰矿业有限公司"),
            "{b}: own enterprise name shown"
        );
        let api = app
            .get(&ent, &format!("/api/v1/enterprises/{own}/self-inspection"))
            .await;
        assert_eq!(api.status, StatusCode::OK, "{b}");
        assert_eq!(api.json()["status"], "not_started", "{b}");

        let page = app.get(&ent, &format!("/enterprises/{other}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{b}");
        assert!(
            !page.body.contains("示例南山瑞丰宏达矿业有限公司"),
            "{b}: no data of the other enterprise"
        );
        let api = app
            .get(
                &ent,
                &format!("/api/v1/enterprises/{other}/self-inspection"),
            )
            .await;
        assert_eq!(api.status, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(api.json()["code"], "not_found", "{b}");
        // Writing to another enterprise is 404 too, and changes nothing.
        let put = app
            .json(
                &ent,
                "PUT",
                &format!("/api/v1/enterprises/{other}/self-inspection"),
                serde_json::json!({"answers": [{"item": 1, "answer": "conform"}]}),
            )
            .await;
        assert_eq!(put.status, StatusCode::NOT_FOUND, "{b}");
        let theirs = app
            .get(
                &ent2,
                &format!("/api/v1/enterprises/{other}/self-inspection"),
            )
            .await;
        assert_eq!(theirs.status, StatusCode::OK, "{b}: the owner reads it");
        assert_eq!(theirs.json()["status"], "not_started", "{b}: unchanged");
        // An id that does not exist looks the same as one outside the scope.
        let none = app
            .get(
                &ent,
                "/api/v1/enterprises/00000000000000000000000000000000/self-inspection",
            )
            .await;
        assert_eq!(none.status, StatusCode::NOT_FOUND, "{b}");

        // Territorial officer of 东湖街道: the 东湖 enterprise yes, the 南山镇 one no.
        let town = app.login("demo-town").await;
        assert_eq!(
            app.get(&town, &format!("/enterprises/{own}")).await.status,
            StatusCode::OK,
            "{b}"
        );
        assert_eq!(
            app.get(&town, &format!("/api/v1/enterprises/{own}/self-inspection"))
                .await
                .status,
            StatusCode::OK,
            "{b}"
        );
        assert_eq!(
            app.get(&town, &format!("/enterprises/{other}"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
        assert_eq!(
            app.get(
                &town,
                &format!("/api/v1/enterprises/{other}/self-inspection")
            )
            .await
            .status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
        // Inside the scope but not the officer's to fill in: 403.
        let put = app
            .json(
                &town,
                "PUT",
                &format!("/api/v1/enterprises/{own}/self-inspection"),
                serde_json::json!({"answers": []}),
            )
            .await;
        assert_eq!(put.status, StatusCode::FORBIDDEN, "{b}");

        // The unit's list holds its 60 enterprises only.
        let list = app
            .get(&town, "/api/v1/enterprises?per_page=100")
            .await
            .json();
        assert_eq!(list["total"], 60, "{b}");
        let list = list["rows"].as_array().unwrap();
        assert_eq!(list.len(), 60, "{b}");
        assert!(list.iter().all(|e| e["region"] == "东湖街道"), "{b}");
        assert!(list.iter().all(|e| e["id"] != other.as_str()), "{b}");
        // An enterprise user may not list enterprises.
        assert_eq!(
            app.get(&ent, "/api/v1/enterprises").await.status,
            StatusCode::FORBIDDEN,
            "{b}"
        );

        // Every denial above was recorded: 4 for the enterprise user (page, API get, API put,
        // unknown id), 2 for the officer out of scope, 1 forbidden, 1 list.
        assert_eq!(
            app.audit_count("permission_denied").await - denials,
            8,
            "{b}"
        );
        assert!(matches!(
            safeduty_store::audit::verify(app.store()).await.unwrap(),
            safeduty_store::audit::Verification::Intact { .. }
        ));
        app.cleanup().await;
    }
}

/// B21: a unit officer whose unit is not configured sees nothing (fail closed).
#[tokio::test]
async fn an_officer_without_a_scope_sees_nothing() {
    let app = TestApp::sqlite().await;
    let mut tx = app.store().write().await.unwrap();
    safeduty_store::org::create_user(
        &mut tx,
        &safeduty_store::audit::Who::system(),
        &safeduty_store::org::NewUser {
            username: "no-scope".into(),
            display_name: "未配置范围".into(),
            password_hash: safeduty_web::auth::hash_password(crate::app::PASSWORD).unwrap(),
            role: safeduty_core::policy::Role::UnitOfficer,
            region_id: None,
            unit_id: None,
            enterprise_id: None,
            is_demo: false,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let u = app.login("no-scope").await;
    assert_eq!(
        app.get(&u, "/api/v1/enterprises").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&u, "/enterprises").await.status,
        StatusCode::NOT_FOUND
    );
    let own = app.enterprise_of("demo-enterprise").await;
    let r = app.get(&u, &format!("/enterprises/{own}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.body.contains("示例东湖"));
    // The plan itself is public to every account.
    assert_eq!(app.get(&u, "/campaign").await.status, StatusCode::OK);
    app.cleanup().await;
}
