//! Accountability of the units (issue #14 point 5) on SQLite and PostgreSQL: the committee
//! office summons 东湖街道's heads to an interview (refused with a time limit not after today,
//! nothing written), the town sees it on its first page until it is closed, reports only after
//! the interview, the office records the interview, prints the summons and the minutes, sends
//! the report back and closes the matter; another unit sees nothing of it.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::app::{Client, TestApp};
use crate::enforcement_cases::{ok, refused, scalar};

async fn step(app: &TestApp, c: &Client, id: &str, mut body: Value) -> crate::app::Answer {
    let version = app
        .get(c, &format!("/api/v1/unit-matters/{id}"))
        .await
        .json()["version"]
        .clone();
    body["version"] = version;
    app.json(c, "POST", &format!("/api/v1/unit-matters/{id}/steps"), body)
        .await
}

/// An interview of 东湖街道 issued by demo-office on the app's day (2024-06-20), planned for
/// 2024-06-25, to be corrected by 2024-06-30. Answers its public id.
pub async fn issued_interview(app: &TestApp) -> String {
    let office = app.login("demo-office").await;
    let unit = scalar(app, "SELECT id FROM units WHERE name = '东湖街道'").await;
    let a = app
        .json(
            &office,
            "POST",
            "/api/v1/unit-matters",
            json!({"unit": unit.to_string(), "kind": "interview",
                   "issues": "“八个一”措施缺3项，企业履职承诺签订率不足50%",
                   "actions": "补齐措施并报送佐证材料。", "due_on": "2024-06-30",
                   "interview_on": "2024-06-25", "place": "区应急管理局三楼会议室",
                   "interviewer": "区安委办主任 王某", "interviewees": "东湖街道办事处主任"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    a.json()["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_unit_is_interviewed_reports_and_its_matter_is_closed() {
    for app in TestApp::all().await {
        let b = app.backend();
        let office = app.login("demo-office").await;
        let unit = scalar(&app, "SELECT id FROM units WHERE name = '东湖街道'").await;
        let a = app
            .json(
                &office,
                "POST",
                "/api/v1/unit-matters",
                json!({"unit": unit.to_string(), "kind": "correction", "issues": "x",
                       "actions": "y", "due_on": "2024-06-20"}),
            )
            .await;
        assert_eq!(
            refused(&a, StatusCode::UNPROCESSABLE_ENTITY, Some("due_on")),
            "整改期限应晚于今天",
            "{b}"
        );
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM unit_matters").await,
            0,
            "{b}"
        );
        let id = issued_interview(&app).await;

        // The town's first page shows it.
        let town = app.login("demo-town").await;
        let first = app.get(&town, "/enterprises").await;
        assert!(first.body.contains("安委办督办事项"), "{b}");
        assert!(first.body.contains("企业履职承诺签订率不足50%"), "{b}");
        let a = step(
            &app,
            &town,
            &id,
            json!({"step": "report", "text": "已整改"}),
        )
        .await;
        assert_eq!(
            refused(&a, StatusCode::CONFLICT, None),
            "约谈尚未进行，请在约谈后报告整改情况",
            "{b}"
        );
        let a = step(
            &app,
            &town,
            &id,
            json!({"step": "hold", "date": "2024-06-20", "text": "x"}),
        )
        .await;
        assert_eq!(
            a.status,
            StatusCode::FORBIDDEN,
            "{b}: the town does not hold it"
        );
        let dept = app.login("demo-dept").await;
        let a = app.get(&dept, &format!("/api/v1/unit-matters/{id}")).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{b}");

        let app = app.on_day("2024-06-25");
        let office = app.login("demo-office").await;
        let town = app.login("demo-town").await;
        ok(&step(
            &app,
            &office,
            &id,
            json!({"step": "hold", "date": "2024-06-25",
                 "text": "街道主任作表态发言，承诺6月底前补齐"}),
        )
        .await);
        for kind in ["notice", "minutes"] {
            let bytes = app
                .get_bytes(&office, &format!("/accountability/{id}/documents/{kind}"))
                .await;
            assert!(bytes.starts_with(b"PK"), "{b}: {kind}");
        }
        let v = ok(&step(
            &app,
            &town,
            &id,
            json!({"step": "report",
                     "text": "已补齐三项措施，签订率升至96%"}),
        )
        .await);
        assert_eq!(v["status"], "reported", "{b}");
        let v = ok(&step(
            &app,
            &office,
            &id,
            json!({"step": "follow_up", "close": "no",
                     "text": "佐证材料缺少签到表"}),
        )
        .await);
        assert_eq!(v["status"], "issued", "{b}");
        ok(&step(
            &app,
            &town,
            &id,
            json!({"step": "report", "text": "已补充签到表"}),
        )
        .await);
        let v = ok(&step(
            &app,
            &office,
            &id,
            json!({"step": "follow_up", "close": "yes",
                     "text": "核查属实，予以销号"}),
        )
        .await);
        assert_eq!(
            (&v["status"], &v["overdue"]),
            (&json!("closed"), &json!(false)),
            "{b}"
        );
        let first = app.get(&town, "/enterprises").await;
        assert!(
            !first.body.contains("安委办督办事项"),
            "{b}: closed matters leave the page"
        );
        let page = app.get(&office, &format!("/accountability/{id}")).await;
        assert!(page.body.contains("核查属实，予以销号"), "{b}");
        assert_eq!(app.audit_count("unit_matter_issued").await, 1, "{b}");
        assert_eq!(app.audit_count("unit_matter_step_recorded").await, 5, "{b}");
        app.cleanup().await;
    }
}
