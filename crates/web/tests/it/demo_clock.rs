//! Issue #18 point 10: under a fixed (demo) clock the times shown next to today's date follow it,
//! and the audit trail, which keeps the real time, says so.

use axum::http::StatusCode;
use safeduty_web::clock::civil_date;

use crate::app::TestApp;

/// The test apps run with the clock fixed at 2024-06-20. A finding opened now shows in its
/// handling log on 2024-06-20 (not the real date), and so does the evidence uploaded to it; the audit page shows the same event at the
/// real date under the heading 系统时间 and says that the demo date does not apply to it.
#[tokio::test]
async fn shown_times_follow_the_demo_clock_and_the_audit_trail_says_system_time() {
    for app in TestApp::all().await {
        let b = app.backend();
        let real = civil_date(chrono::Utc::now()).to_string();
        let town = app.login("demo-town").await;
        let eid = app.enterprise_of("demo-enterprise").await;
        let res = app
            .form(
                &town,
                &format!("/enterprises/{eid}/findings"),
                &[
                    ("csrf", &town.csrf),
                    ("token", "clock-1"),
                    ("source", "enforcement"),
                    ("category", "hazard"),
                    ("grade", "general"),
                    ("item", "13"),
                    ("location", "锅炉房"),
                    ("description", "演示时钟下的处理记录"),
                    ("due_on", "2024-07-10"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let path = res.headers["location"].to_str().unwrap().to_string();
        let ent = app.login("demo-enterprise").await;
        let res = app
            .multipart(
                &ent,
                &format!("{path}/evidence"),
                &[("csrf", &ent.csrf)],
                Some(("整改说明.txt", "已加装泄漏报警装置".as_bytes())),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let page = app.get(&ent, &path).await;
        assert!(
            page.body
                .contains("整改说明.txt</a> <span class=\"muted\">")
                && page.body.contains(" · 2024-06-20 "),
            "{b}: the upload time on the demo date: {}",
            page.body
        );
        let page = app.get(&town, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        let log = &page.body[page.body.find("class=\"timeline\"").expect("timeline")..];
        let log = &log[..log.find("</ol>").expect("end of the log")];
        assert!(log.contains("<time>2024-06-20 "), "{b}: {log}");
        if real != "2024-06-20" {
            assert!(!log.contains(&real), "{b}: the real date in the log: {log}");
        }
        let auditor = app.login("demo-auditadmin").await;
        let audit = app.get(&auditor, "/audit?event=finding_opened").await;
        assert_eq!(audit.status, StatusCode::OK, "{b}");
        assert!(audit.body.contains("系统时间（北京时间）"), "{b}");
        assert!(
            audit
                .body
                .contains("审计记录保留系统时间（真实时间），不随演示日期（2024-06-20）改变"),
            "{b}"
        );
        assert!(audit.body.contains(&real), "{b}: the audit keeps real time");
        app.cleanup().await;
    }
}
