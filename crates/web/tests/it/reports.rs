//! Reporting obligations per unit: due dates in working days, on time / late / overdue / not yet
//! due, submission by the unit officer, scope.

use axum::http::StatusCode;

use crate::app::TestApp;

#[tokio::test]
async fn units_report_status_and_an_officer_submits_its_own() {
    for app in TestApp::all().await {
        let b = app.backend();
        let office = app.login("demo-office").await;
        let v = app.get(&office, "/api/v1/reports").await.json();
        let dues: Vec<&str> = v["reports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["due"].as_str().unwrap())
            .collect();
        assert_eq!(dues, vec!["2024-03-30", "2024-07-05", "2025-01-08"], "{b}");
        let units = v["units"].as_array().unwrap();
        assert_eq!(
            units.len(),
            5 + 4,
            "{b}: five territorial units, four departments"
        );
        let states = |i: usize| -> Vec<String> {
            units
                .iter()
                .map(|u| u["cells"][i]["state"].as_str().unwrap().to_string())
                .collect()
        };
        // The plans (due 2024-03-30): some on time, some late, some still missing on 2024-06-20.
        let first = states(0);
        for s in ["on_time", "late", "overdue"] {
            assert!(first.iter().any(|x| x == s), "{b}: {s} in {first:?}");
        }
        // The stage report (due 2024-07-05) reports on the self-inspection phase: it opens on the
        // phase's last day (2024-06-30), so on 2024-06-20 nobody has handed it in.
        let second = states(1);
        assert_eq!(
            second.iter().filter(|x| *x == "not_yet_due").count(),
            9,
            "{b}: {second:?}"
        );
        let late = units
            .iter()
            .find(|u| u["cells"][0]["state"] == "late")
            .unwrap();
        assert!(
            late["cells"][0]["label"]
                .as_str()
                .unwrap()
                .starts_with("逾期报送（2024-"),
            "{b}"
        );
        let overdue = units
            .iter()
            .find(|u| u["cells"][0]["state"] == "overdue")
            .unwrap();
        // 2024-03-30 to 2024-06-20: 56 working days (Qingming, Labour Day, Dragon Boat and three make-up days; checked by hand).
        assert_eq!(
            overdue["cells"][0]["label"], "逾期未报（已逾期56个工作日）",
            "{b}"
        );

        // The officer of 东湖街道 sees its own unit only, and hands in the stage report today.
        let town = app.login("demo-town").await;
        let mine = app.get(&town, "/api/v1/reports").await.json();
        assert_eq!(mine["units"].as_array().unwrap().len(), 1, "{b}");
        assert_eq!(mine["units"][0]["unit"], "东湖街道", "{b}");
        let before = mine["units"][0]["cells"][1]["state"].clone();
        assert_eq!(before, "not_yet_due", "{b}");
        // Before the phase ends the stage report is refused, and the annual one before year end.
        for key in ["1", "2"] {
            let early = app
                .form(&town, &format!("/reports/{key}"), &[("csrf", &town.csrf)])
                .await;
            assert_eq!(early.status, StatusCode::CONFLICT, "{b}: report {key}");
            assert!(early.body.contains("起方可报送"), "{b}: {}", early.body);
        }
        assert_eq!(
            app.audit_count("report_submitted").await,
            count_demo(&v),
            "{b}: nothing written"
        );
        let app = app.on_day("2024-07-01");
        let stage = stage_report();
        let upload = |name: &'static str, bytes: Vec<u8>| {
            let (app, town) = (&app, town.clone());
            async move {
                app.multipart(
                    &town,
                    "/reports/1",
                    &[("csrf", &town.csrf), ("note", "")],
                    Some((name, &bytes)),
                )
                .await
            }
        };
        // Without a document, or with one that is not a .docx or PDF: refused, nothing written.
        let r = app.form(&town, "/reports/1", &[("csrf", &town.csrf)]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{b}");
        let r = upload("阶段报告.txt", "东湖街道阶段工作情况".as_bytes().to_vec()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            r.body.contains("不是Word文档（.docx）或PDF"),
            "{b}: {}",
            r.body
        );
        assert_eq!(
            app.audit_count("report_submitted").await,
            count_demo(&v),
            "{b}: nothing written"
        );
        let r = upload("东湖街道阶段报告.docx", stage.clone()).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        let again = upload("东湖街道阶段报告.docx", stage.clone()).await;
        // Another document for a report handed in: refused, the record is not replaced.
        let other = upload("更正稿.docx", stage_report_with("更正稿")).await;
        assert_eq!(other.status, StatusCode::CONFLICT, "{b}");
        assert!(other.body.contains("该报告已报送，不能替换"), "{b}");
        assert_eq!(
            again.status,
            StatusCode::SEE_OTHER,
            "{b}: a double click is harmless"
        );
        assert_eq!(
            app.audit_count("report_submitted").await,
            1 + count_demo(&v),
            "{b}"
        );
        let mine = app.get(&town, "/api/v1/reports").await.json();
        assert_eq!(mine["units"][0]["cells"][1]["state"], "on_time", "{b}");
        assert_eq!(
            mine["units"][0]["cells"][1]["submitted_on"], "2024-07-01",
            "{b}"
        );
        assert_eq!(mine["units"][0]["cells"][2]["state"], "not_yet_due", "{b}");
        // Unknown report key: 404; the office cannot submit for a unit; enterprises see no reports.
        assert_eq!(
            app.form(&town, "/reports/99", &[("csrf", &town.csrf)])
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
        assert_eq!(
            app.form(&office, "/reports/1", &[("csrf", &office.csrf)])
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{b}"
        );
        let ent = app.login("demo-enterprise").await;
        assert_eq!(
            app.get(&ent, "/api/v1/reports").await.status,
            StatusCode::FORBIDDEN,
            "{b}"
        );
        let page = app.get(&office, "/reports").await;
        assert!(
            page.body.contains("逾期未报") && page.body.contains("按时报送"),
            "{b}"
        );
        // The office reads the report's text and returns it with a reason: owed again.
        let unit = mine["units"][0]["unit_id"].as_i64().unwrap();
        let one = app.get(&office, &format!("/reports/{unit}/1")).await;
        assert_eq!(one.status, StatusCode::OK, "{b}");
        assert!(one.body.contains("东湖街道阶段报告.docx"), "{b}");
        assert!(
            one.body.contains("自查自纠阶段共检查企业60家"),
            "{b}: the text read"
        );
        let doc = one
            .body
            .split(&format!("/reports/{unit}/1/documents/"))
            .nth(1)
            .unwrap()[..32]
            .to_string();
        let file = app
            .get_bytes(&office, &format!("/reports/{unit}/1/documents/{doc}"))
            .await;
        assert_eq!(file, stage, "{b}: the document as submitted");
        let back = format!("/reports/{unit}/1/return");
        let r = app
            .form(&town, &back, &[("csrf", &town.csrf), ("reason", "x")])
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{b}: the unit does not return its own"
        );
        let r = app
            .form(&office, &back, &[("csrf", &office.csrf), ("reason", " ")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let r = app
            .form(
                &office,
                &back,
                &[("csrf", &office.csrf), ("reason", "未写明下一步工作安排")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(app.audit_count("report_returned").await, 1, "{b}");
        let mine = app.get(&town, "/api/v1/reports").await.json();
        assert_eq!(
            mine["units"][0]["cells"][1]["state"], "not_yet_due",
            "{b}: owed again"
        );
        let one = app.get(&town, &format!("/reports/{unit}/1")).await;
        assert!(
            one.body.contains("已退回") && one.body.contains("未写明下一步工作安排"),
            "{b}: the returned document stays with its reason"
        );
        let r = app
            .form(
                &office,
                &back,
                &[("csrf", &office.csrf), ("reason", "再次退回")],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{b}: not submitted now");
        // The plan the demo recorded without a document has nothing to return.
        let plan = format!("/reports/{unit}/0/return");
        let r = app
            .form(
                &office,
                &plan,
                &[("csrf", &office.csrf), ("reason", "缺少责任分工")],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{b}");
        assert!(r.body.contains("没有可退回的文件"), "{b}");
        app.cleanup().await;
    }
}

/// Submissions the demo recorded.
fn count_demo(v: &serde_json::Value) -> i64 {
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|u| u["cells"].as_array().unwrap())
        .filter(|c| !c["submitted_on"].is_null())
        .count() as i64
}

/// A stage report as a unit writes it in Word.
fn stage_report() -> Vec<u8> {
    stage_report_with("东湖街道安全生产管理人员履职专项治理阶段工作情况")
}

/// A stage report titled `title`.
fn stage_report_with(title: &str) -> Vec<u8> {
    use safeduty_plan::testdoc::{docx, paragraph};
    let body = [
        title,
        "一、自查自纠阶段共检查企业60家，发现问题隐患12项，已整改9项。",
        "二、下一步工作安排：督促剩余问题按期整改。",
    ]
    .iter()
    .map(|p| paragraph(p, None))
    .collect::<String>();
    docx(&body, None, None)
}
