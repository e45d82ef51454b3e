//! The dishonesty list (issue #14 point 4) on SQLite and PostgreSQL: a listing refused without a
//! decided penalty and in an industry outside 应急管理部令第11号 (nothing written), started by the
//! deciding unit, decided only after the objection window, published 2024-12-20 to end
//! 2027-12-20, credit repair refused before 2025-12-20 and granted after, shown on the public
//! pages (a person by surname only) while listed; its documents and pages.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::app::{Answer, Client, TestApp};
use crate::enforcement_cases::{
    filed_case, grant_penalty_powers, ok, refused, scalar, served_person_case,
};
use crate::enforcement_fixture::enforcement_fixture;

/// Posts a step with the listing's current version; answers the reply.
async fn step(app: &TestApp, c: &Client, id: &str, mut body: Value) -> Answer {
    let version = app
        .get(c, &format!("/api/v1/dishonesty-listings/{id}"))
        .await
        .json()["version"]
        .clone();
    body["version"] = version;
    app.json(
        c,
        "POST",
        &format!("/api/v1/dishonesty-listings/{id}/steps"),
        body,
    )
    .await
}

async fn shown(app: &TestApp) -> Value {
    let a = app
        .send_public(
            axum::http::Request::get("/public/api/dishonesty-listings")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.json()["listings"].clone()
}

async fn listings(app: &TestApp) -> i64 {
    scalar(app, "SELECT COUNT(*) FROM dishonesty_listings").await
}

#[tokio::test]
async fn a_listing_runs_from_its_notice_to_its_repair_under_the_orders_rules() {
    for app in TestApp::all().await {
        let b = app.backend();
        let fx = enforcement_fixture(&app).await;
        grant_penalty_powers(&app, &fx).await;
        let town = app.login("demo-town").await;
        let undecided = filed_case(&app, &fx).await;
        let case = served_person_case(&app, &town, &fx, "张建国").await;
        let reasons = "罚款决定作出后有履行能力，拒不缴纳罚款";
        let notify = |case: &str| {
            json!({"case": case, "ground": "penalty-evaded", "reasons": reasons,
                   "notified_on": "2024-06-20"})
        };

        // No decided penalty: refused, nothing written.
        let a = app
            .json(
                &town,
                "POST",
                "/api/v1/dishonesty-listings",
                notify(&undecided),
            )
            .await;
        let m = refused(&a, StatusCode::CONFLICT, None);
        assert!(m.starts_with("该案件尚未作出行政处罚决定"), "{b}: {m}");
        // An industry outside the order: refused on the case, nothing written.
        let set_industry = |industry: &str| {
            format!(
                "UPDATE enterprises SET industry = '{industry}' WHERE public_id = '{}'",
                fx.enterprise
            )
        };
        let mut tx = app.store().write().await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(set_industry("建筑施工")))
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let a = app
            .json(&town, "POST", "/api/v1/dishonesty-listings", notify(&case))
            .await;
        let m = refused(&a, StatusCode::UNPROCESSABLE_ENTITY, Some("case"));
        assert!(
            m.starts_with(
                "企业所属行业“建筑施工”不在《安全生产严重失信主体名单管理办法》适用范围内"
            ),
            "{b}: {m}"
        );
        // The page shows the same refusal beside the form.
        let page = app
            .form(
                &town,
                &format!("/enforcement/cases/{case}/dishonesty"),
                &[
                    ("csrf", &town.csrf),
                    ("ground", "penalty-evaded"),
                    ("reasons", reasons),
                    ("notified_on", "2024-06-20"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            page.body
                .contains("不在《安全生产严重失信主体名单管理办法》适用范围内"),
            "{b}"
        );
        assert!(
            page.body.contains(reasons),
            "{b}: the reasons typed are kept"
        );
        assert_eq!(listings(&app).await, 0, "{b}");
        let mut tx = app.store().write().await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(set_industry("危险化学品")))
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        // A notice before the decision it rests on, or after today: refused on its day.
        for (day, message) in [
            ("2024-06-19", "告知日期不能早于行政处罚决定日期2024-06-20"),
            ("2024-06-21", "日期不能晚于今天"),
        ] {
            let mut body = notify(&case);
            body["notified_on"] = json!(day);
            let a = app
                .json(&town, "POST", "/api/v1/dishonesty-listings", body)
                .await;
            let m = refused(&a, StatusCode::UNPROCESSABLE_ENTITY, Some("notified_on"));
            assert!(m.contains(message), "{b}: {m}");
        }
        assert_eq!(listings(&app).await, 0, "{b}");

        // Notified on 2024-06-20: objections until 2024-06-25 (three working days).
        let a = app
            .json(&town, "POST", "/api/v1/dishonesty-listings", notify(&case))
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{b}: {}", a.body);
        let v = a.json();
        let id = v["id"].as_str().unwrap().to_string();
        assert_eq!(v["status"], "notified", "{b}");
        assert_eq!(v["objection_closes"], "2024-06-25", "{b}");
        assert_eq!(v["clause"], "第六条第（三）项", "{b}");
        let again = app
            .json(&town, "POST", "/api/v1/dishonesty-listings", notify(&case))
            .await;
        refused(&again, StatusCode::CONFLICT, None);
        assert_eq!(listings(&app).await, 1, "{b}");

        let app = app.on_day("2024-12-20");
        let town = app.login("demo-town").await;
        let a = step(
            &app,
            &town,
            &id,
            json!({"step": "decide", "date": "2024-06-25",
                     "number": "东应急失信〔2024〕1号"}),
        )
        .await;
        assert_eq!(
            refused(&a, StatusCode::CONFLICT, None),
            "陈述申辩期限至2024-06-25届满，期满前不能作出列入决定",
            "{b}"
        );
        let a = step(
            &app,
            &town,
            &id,
            json!({"step": "publish", "date": "2024-12-20",
                     "channels": "信用中国"}),
        )
        .await;
        assert_eq!(
            refused(&a, StatusCode::CONFLICT, None),
            "名单记录当前为“已告知”，不能公示",
            "{b}"
        );
        ok(&step(
            &app,
            &town,
            &id,
            json!({"step": "decide", "date": "2024-06-26",
                 "number": "东应急失信〔2024〕1号"}),
        )
        .await);
        assert!(
            shown(&app).await.as_array().unwrap().is_empty(),
            "{b}: decided, not published"
        );
        let v = ok(&step(
            &app,
            &town,
            &id,
            json!({"step": "publish", "date": "2024-12-20",
                     "channels": "信用中国（广西）、区应急管理局网站"}),
        )
        .await);
        assert_eq!(
            (&v["status"], &v["ends_on"], &v["repair_from"]),
            (
                &json!("published"),
                &json!("2027-12-20"),
                &json!("2025-12-20")
            ),
            "{b}"
        );
        let public = shown(&app).await;
        assert_eq!(public.as_array().unwrap().len(), 1, "{b}");
        assert_eq!(public[0]["party"], "张某某（安全生产管理人员）", "{b}");
        assert_eq!(public[0]["ends_on"], "2027-12-20", "{b}");
        assert!(!public.to_string().contains("建国"), "{b}: {public}");
        assert!(
            !public.to_string().contains(reasons),
            "{b}: the reasons stay inside"
        );
        let page = app
            .send_public(
                axum::http::Request::get("/public/exposures")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(page.body.contains("安全生产严重失信主体名单"), "{b}");
        assert!(page.body.contains("张某某（安全生产管理人员）"), "{b}");

        // Documents and pages.
        for kind in ["notice", "decision"] {
            let bytes = app
                .get_bytes(
                    &town,
                    &format!("/enforcement/dishonesty/{id}/documents/{kind}"),
                )
                .await;
            assert!(bytes.starts_with(b"PK"), "{b}: {kind} is a .docx");
        }
        let page = app
            .get(&town, &format!("/enforcement/dishonesty/{id}"))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(
            page.body
                .contains("至2027-12-20届满；2025-12-20起可申请信用修复"),
            "{b}"
        );
        let list = app.get(&town, "/enforcement/dishonesty").await;
        assert!(list.body.contains("张建国（安全生产管理人员"), "{b}");

        // Credit repair before twelve months: refused, nothing written.
        let app = app.on_day("2025-12-19");
        let town = app.login("demo-town").await;
        let before = scalar(&app, "SELECT version FROM dishonesty_listings").await;
        let a = step(
            &app,
            &town,
            &id,
            json!({"step": "apply_repair", "date": "2025-12-19",
                     "text": "已缴清罚款并完成整改"}),
        )
        .await;
        assert_eq!(
            refused(&a, StatusCode::UNPROCESSABLE_ENTITY, Some("date")),
            "公示（2024-12-20）后须满信用修复等待期，最早于2025-12-20方可申请信用修复（提前移出）",
            "{b}"
        );
        assert_eq!(
            scalar(&app, "SELECT version FROM dishonesty_listings").await,
            before
        );
        let a = step(
            &app,
            &town,
            &id,
            json!({"step": "expire", "date": "2025-12-19"}),
        )
        .await;
        refused(&a, StatusCode::CONFLICT, None);

        let app = app.on_day("2025-12-22");
        let town = app.login("demo-town").await;
        ok(&step(
            &app,
            &town,
            &id,
            json!({"step": "apply_repair", "date": "2025-12-22",
                 "text": "已缴清罚款和加处罚款，完成培训"}),
        )
        .await);
        let v = ok(&step(
            &app,
            &town,
            &id,
            json!({"step": "decide_repair", "date": "2025-12-22",
                     "granted": "yes", "text": "符合信用修复条件"}),
        )
        .await);
        assert_eq!(
            (&v["status"], &v["removed_on"], &v["removal_reason"]),
            (&json!("removed"), &json!("2025-12-22"), &json!("repair")),
            "{b}"
        );
        assert!(
            shown(&app).await.as_array().unwrap().is_empty(),
            "{b}: removed early"
        );
        // Another unit cannot act on it.
        let dept = app.login("demo-dept").await;
        let a = step(
            &app,
            &dept,
            &id,
            json!({"step": "revoke", "date": "2025-12-22",
                     "text": "x"}),
        )
        .await;
        assert!(
            matches!(a.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{b}: {}",
            a.status
        );
        // Every change audited: the notice and four steps.
        assert_eq!(app.audit_count("dishonesty_notified").await, 1, "{b}");
        assert_eq!(app.audit_count("dishonesty_step_recorded").await, 4, "{b}");
        app.cleanup().await;
    }
}

/// The listing of the party of the case of `exposure` (decided and served by 东湖街道, see
/// `drafted_exposure`), its 告知书 served on 2024-06-20, started through the use cases by
/// demo-town. Answers its public id.
pub async fn notified_listing(app: &TestApp, exposure: &str) -> String {
    let case = safeduty_store::enforcement::exposures::get(app.store(), exposure)
        .await
        .unwrap()
        .case_public_id;
    let town = safeduty_store::org::user_by_username(app.store(), "demo-town")
        .await
        .unwrap();
    let day = "2024-06-20".parse().unwrap();
    safeduty_app::enforcement::dishonesty::notify(
        app.store(),
        &safeduty_app::Caller {
            user: &town,
            client_addr: None,
        },
        &case,
        "penalty-evaded",
        "罚款决定作出后有履行能力，拒不缴纳罚款",
        day,
        day,
    )
    .await
    .unwrap()
}
