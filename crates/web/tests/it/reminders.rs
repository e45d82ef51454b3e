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
        assert!(!inbox.contains("第4项"), "{b}: {inbox}");
        // The demo's overdue finding (item 20) is escalated to the enterprise and its principal
        // person; the enterprise user reads for both and sees it once.
        assert_eq!(inbox.matches("第20项问题隐患").count(), 1, "{b}: {inbox}");
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

/// The committee office gets one digest a day of what is overdue in its region, not one entry
/// per item, and every reminder links to what it is about (issue #18 point 6).
#[tokio::test]
async fn the_office_reads_one_daily_digest_and_every_reminder_links_to_its_subject() {
    for app in TestApp::all().await {
        let b = app.backend();
        let office = app.login("demo-office").await;
        // Before the job: only the notice of the demo's major finding put under supervision,
        // linked to it (issue #18 point 4).
        let inbox = app.get(&office, "/inbox").await.body;
        assert_eq!(
            inbox.matches("重大事故隐患挂牌督办").count(),
            1,
            "{b}: {inbox}"
        );
        assert!(!inbox.contains("逾期汇总"), "{b}");
        assert!(inbox.contains("href=\"/findings/"), "{b}");
        run_reminders(&app.state, "node-a").await.unwrap();
        // The demo on 2024-06-20: every open finding past its time limit, all in the district.
        let overdue = crate::admin::scalar(
            &app,
            "SELECT COUNT(*) FROM findings WHERE status <> 'closed' AND due_on < '2024-06-20'",
        )
        .await;
        let major = crate::admin::scalar(
            &app,
            "SELECT COUNT(*) FROM findings WHERE status <> 'closed' AND due_on < '2024-06-20' \
             AND grade = 'major'",
        )
        .await;
        assert!(overdue > 0, "{b}");
        let inbox = app.get(&office, "/inbox").await.body;
        assert_eq!(inbox.matches("逾期汇总").count(), 1, "{b}: {inbox}");
        let counts = if major > 0 {
            format!("问题隐患{overdue}项逾期未整改（其中重大事故隐患{major}项）")
        } else {
            format!("问题隐患{overdue}项逾期未整改")
        };
        assert!(
            inbox.contains(&format!("截至2024-06-20，辖区内{counts}")),
            "{b}: {inbox}"
        );
        assert!(inbox.contains("href=\"/findings?overdue=yes\""), "{b}");
        // Made once a day, however often the job runs.
        assert_eq!(
            run_reminders(&app.state, "node-a").await.unwrap(),
            Some(0),
            "{b}"
        );
        // A town's reminders lead to their finding or to the reports.
        let town = app.login("demo-town").await;
        let inbox = app.get(&town, "/inbox").await.body;
        assert!(
            !inbox.contains("逾期汇总"),
            "{b}: the digest is the office's"
        );
        let id = inbox
            .split("href=\"/findings/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a link to a finding");
        assert_eq!(
            app.get(&town, &format!("/findings/{id}")).await.status,
            StatusCode::OK,
            "{b}"
        );
        app.cleanup().await;
    }
}

/// Reminders go out to a group robot's webhook once each, in its JSON format; a robot that fails
/// gets the reminder again on a later run.
#[tokio::test]
async fn reminders_reach_a_webhook_once() {
    use std::sync::{Arc, Mutex};

    use axum::routing::post;
    use safeduty_web::outbound::{Outbound, RobotFormat, Webhook};
    use safeduty_web::{AppState, Clock, WebConfig};

    let app = TestApp::sqlite().await;
    let received: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
    let fail = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let robot = axum::Router::new().route(
        "/robot/send",
        post({
            let (received, fail) = (received.clone(), fail.clone());
            move |axum::Json(body): axum::Json<serde_json::Value>| async move {
                if fail.load(std::sync::atomic::Ordering::SeqCst) {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                received.lock().unwrap().push(body);
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/robot/send?access_token=secret",
        listener.local_addr().unwrap()
    );
    let server = tokio::spawn(async move { axum::serve(listener, robot).await });

    let webhook = Webhook::new(&url, RobotFormat::Dingtalk).unwrap();
    assert!(
        !format!("{webhook:?}").contains("secret"),
        "the token is never shown"
    );
    let state = AppState::new(
        app.store().clone(),
        safeduty_core::calendar::Calendar::shipped(),
        Clock::Fixed("2024-06-20".parse().unwrap()),
        WebConfig {
            outbound: Some(Outbound::Webhook(webhook)),
            ..WebConfig::default()
        },
    );
    // The demo's notice to the office (a major finding under supervision) waits for the
    // channel too.
    let waiting = crate::admin::scalar(&app, "SELECT COUNT(*) FROM reminders").await;
    assert_eq!(waiting, 1);
    let made = run_reminders(&state, "n").await.unwrap().unwrap() + 1;
    assert!(made > 0);
    assert!(
        received.lock().unwrap().is_empty(),
        "the robot failed every post"
    );
    let tried = made.min(100) as i64;
    assert_eq!(
        app.audit_count("reminder_sent").await,
        tried,
        "one batch tried, each audited"
    );

    // The robot recovers; failed reminders wait for their retry time, so move it.
    fail.store(false, std::sync::atomic::Ordering::SeqCst);
    sqlx_reset_retry(&app).await;
    let mut total = 0;
    for _ in 0..10 {
        run_reminders(&state, "n").await.unwrap();
        let now = received.lock().unwrap().len();
        if now == total {
            break;
        }
        total = now;
    }
    assert_eq!(total as i64, made as i64, "every reminder delivered once");
    let first = received.lock().unwrap()[0].clone();
    assert_eq!(first["msgtype"], "text");
    assert!(
        first["text"]["content"]
            .as_str()
            .unwrap()
            .starts_with("【安全生产履职专项治理·")
    );
    server.abort();
    app.cleanup().await;
}

/// Makes every failed delivery due for another attempt now.
async fn sqlx_reset_retry(app: &TestApp) {
    let mut tx = app.store().write().await.unwrap();
    sqlx::query("UPDATE reminder_deliveries SET next_attempt_at = '2000-01-01T00:00:00.000000Z'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}
