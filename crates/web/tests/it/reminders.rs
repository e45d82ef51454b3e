//! The reminder job: due-soon and overdue reminders, escalation of overdue findings, one run at a
//! time across nodes, nothing made twice; the inbox.

use axum::http::StatusCode;
use safeduty_web::jobs::run_reminders;

use crate::app::TestApp;

#[tokio::test]
async fn reminders_are_made_once_escalated_and_read_in_the_inbox() {
    for app in TestApp::all().await {
        let b = app.backend();
        let made = run_reminders(&app.state, "node-a").await.unwrap();
        let made = made.expect("the first node gets the lease");
        assert!(made > 0, "{b}");
        // Another node meanwhile: the lease is held.
        assert_eq!(
            run_reminders(&app.state, "node-b").await.unwrap(),
            None,
            "{b}"
        );
        // The same node again: nothing new.
        assert_eq!(
            run_reminders(&app.state, "node-a").await.unwrap(),
            Some(0),
            "{b}"
        );
        assert_eq!(app.audit_count("reminders_generated").await, 1, "{b}");

        // 东湖街道's officer: overdue findings of its enterprises escalated to it, and its own
        // reports (the plan report, if it is one of the units that has not sent it).
        let town = app.login("demo-town").await;
        let inbox = app.get(&town, "/inbox").await;
        assert_eq!(inbox.status, StatusCode::OK, "{b}");
        assert!(
            inbox.body.contains("整改期限") && inbox.body.contains("已逾期"),
            "{b}"
        );
        assert!(
            !inbox.body.contains("示例南山"),
            "{b}: no reminders about other towns' enterprises"
        );
        assert!(
            inbox.body.contains("<span class=\"count\">"),
            "{b}: unread count in the menu"
        );

        // An enterprise with an overdue finding: it and its principal person are reminded.
        let ent = app.login("demo-enterprise").await;
        let own = app.enterprise_of("demo-enterprise").await;
        let r = app
            .json(&ent, "POST", &format!("/api/v1/enterprises/{own}/self-inspection/submit"),
                serde_json::json!({"answers": (1..=31).map(|n| if n == 4 {
                    serde_json::json!({"item": n, "answer": "non_conform", "note": "应急处置卡缺失"})
                } else {
                    serde_json::json!({"item": n, "answer": "conform"})
                }).collect::<Vec<_>>()}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{b}");
        // Its limit is 2024-07-18 (20 working days): nothing due on 2024-06-20 itself.
        assert_eq!(
            run_reminders(&app.state, "node-a").await.unwrap(),
            Some(0),
            "{b}"
        );
        let inbox = app.get(&ent, "/inbox").await.body;
        assert!(inbox.contains("暂无提醒"), "{b}");
        // Another enterprise's inbox never shows this one's reminders, and reading a reminder
        // that is not one's own is 404.
        let id = app
            .get(&town, "/inbox")
            .await
            .body
            .split("/inbox/")
            .nth(1)
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let r = app
            .form(&ent, &format!("/inbox/{id}/read"), &[("csrf", &ent.csrf)])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{b}");
        let r = app
            .form(&town, &format!("/inbox/{id}/read"), &[("csrf", &town.csrf)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(app.audit_count("reminder_read").await, 1, "{b}");
        app.cleanup().await;
    }
}
