//! The year's assessment of the units (issue #14 point 8) on SQLite and PostgreSQL: every unit's
//! sheet from the scheme, the computed items agreeing with the records they name (the “八个一”
//! grid), the assessor's entered item refused without a reason and at a stale version, the
//! score going down by the points entered, the workbook's summary and details.

use axum::http::StatusCode;
use calamine::Reader;
use serde_json::{Value, json};

use crate::app::TestApp;
use crate::enforcement_cases::{ok, refused};

fn sheet<'a>(all: &'a Value, unit: &str) -> &'a Value {
    all.as_array()
        .unwrap()
        .iter()
        .find(|s| s["unit"] == unit)
        .unwrap()
}

fn line<'a>(s: &'a Value, item: &str) -> &'a Value {
    s["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["item"] == item)
        .unwrap()
}

#[tokio::test]
async fn an_assessor_scores_a_unit_beside_the_points_the_records_deduct() {
    for app in TestApp::all().await {
        let b = app.backend();
        let office = app.login("demo-office").await;
        let assessor = app.login("demo-assessor").await;
        let all = ok(&app.get(&assessor, "/api/v1/assessment").await);
        let grid = ok(&app.get(&office, "/api/v1/unit-measures").await);
        assert_eq!(
            all.as_array().unwrap().len(),
            grid["units"].as_array().unwrap().len(),
            "{b}: a sheet a unit"
        );
        let donghu = sheet(&all, "东湖街道");
        let not_done = grid["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit"] == "东湖街道")
            .unwrap()["cells"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["done"] == false)
            .count();
        let missing = line(donghu, "measures-missing");
        assert_eq!(missing["figure"], not_done, "{b}");
        assert_eq!(
            missing["points"],
            (3 * not_done).min(15),
            "{b}: 3 points a measure, at most 15"
        );
        let deducted: u64 = donghu["areas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a[1].as_u64().unwrap())
            .sum();
        assert_eq!(donghu["score"], 100 - deducted, "{b}");
        let before = donghu["score"].as_u64().unwrap();
        let unit = donghu["unit_id"].as_i64().unwrap();

        // The assessor's item: a reason for a deduction; then a stale version is refused.
        let path = format!("/api/v1/assessment/{unit}/enforcement-lax");
        let a = app
            .json(
                &assessor,
                "POST",
                &path,
                json!({"points": 4, "reason": " "}),
            )
            .await;
        refused(&a, StatusCode::UNPROCESSABLE_ENTITY, Some("reason"));
        let a = app
            .json(
                &assessor,
                "POST",
                &path,
                json!({"points": 16, "reason": "x"}),
            )
            .await;
        assert_eq!(
            refused(&a, StatusCode::UNPROCESSABLE_ENTITY, Some("points")),
            "“该立案未立案、该曝光未曝光等执法不严”最多扣15分",
            "{b}"
        );
        let a = app
            .json(
                &assessor,
                "POST",
                &format!("/api/v1/assessment/{unit}/orders-overdue"),
                json!({"points": 1, "reason": "x"}),
            )
            .await;
        refused(&a, StatusCode::CONFLICT, None);
        let all = ok(&app
            .json(
                &assessor,
                "POST",
                &path,
                json!({"points": 4, "reason": "2起应曝光案件未曝光"}),
            )
            .await);
        let donghu = sheet(&all, "东湖街道");
        let entered = line(donghu, "enforcement-lax");
        assert_eq!(
            (&entered["points"], &entered["reason"], &entered["basis"]),
            (&json!(4), &json!("2起应曝光案件未曝光"), &json!("entered")),
            "{b}"
        );
        assert_eq!(donghu["score"], before - 4, "{b}");
        let a = app
            .json(
                &assessor,
                "POST",
                &path,
                json!({"points": 2, "reason": "复核后调整"}),
            )
            .await;
        refused(&a, StatusCode::CONFLICT, None);
        ok(&app
            .json(
                &assessor,
                "POST",
                &path,
                json!({"points": 2, "reason": "复核后调整", "version": entered["version"]}),
            )
            .await);
        let town = app.login("demo-town").await;
        let a = app
            .json(&town, "POST", &path, json!({"points": 0, "reason": ""}))
            .await;
        assert!(
            matches!(a.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{b}: a town scores nobody"
        );

        // The workbook: the summary's score and the detail's reason.
        let bytes = app.get_bytes(&office, "/assessment.xlsx").await;
        let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let summary = book.worksheet_range("评分汇总").unwrap();
        let row: Vec<String> = summary
            .rows()
            .find(|r| r[0] == "东湖街道")
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(row.len(), 6, "{b}: unit, four areas, score");
        assert_eq!(row[5], (before - 2).to_string(), "{b}");
        let detail = book.worksheet_range("评分明细").unwrap();
        assert!(
            detail
                .rows()
                .any(|r| r[0] == "东湖街道" && r[7] == "复核后调整" && r[5] == 2.0),
            "{b}"
        );
        assert_eq!(app.audit_count("assessment_entered").await, 2, "{b}");
        app.cleanup().await;
    }
}
