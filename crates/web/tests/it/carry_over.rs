//! What outlives a campaign (issue #14 point 7) on SQLite and PostgreSQL: when the district
//! starts the next year's campaign from a new plan, the enterprise's open finding, its
//! correction order, its cases and its listing on the dishonesty list are still there, in the
//! new campaign's lists — nothing copied, nothing lost — while the finding closed last year is
//! not carried.

use safeduty_store::audit::Who;

use crate::app::TestApp;
use crate::enforcement_fixture::enforcement_fixture;

#[tokio::test]
async fn the_next_campaign_shows_what_is_still_open() {
    for app in TestApp::all().await {
        let b = app.backend();
        let fx = enforcement_fixture(&app).await;
        crate::enforcement_cases::filed_case(&app, &fx).await;
        let exposure = crate::enforcement_cases::drafted_exposure(&app, &fx).await;
        let listing = crate::dishonesty::notified_listing(&app, &exposure).await;
        let old = safeduty_store::campaigns::latest(app.store())
            .await
            .unwrap()
            .unwrap();
        // A finding of last year's campaign closed (a closed one is not carried over).
        let closed: String = {
            let mut tx = app.store().write().await.unwrap();
            let id: String = sqlx::query_scalar(
                "SELECT public_id FROM findings WHERE campaign_id = $1 AND public_id <> $2 \
                 ORDER BY id LIMIT 1",
            )
            .bind(old.id)
            .bind(&fx.finding)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            sqlx::query("UPDATE findings SET status = 'closed' WHERE public_id = $1")
                .bind(&id)
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            id
        };
        let open_before = {
            let mut tx = app.store().write().await.unwrap();
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM findings WHERE campaign_id = $1 AND status <> 'closed'",
            )
            .bind(old.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            tx.commit().await.unwrap();
            n
        };

        // The next year's campaign, from a new plan, the same enterprises enrolled.
        let mut template = (*old.template).clone();
        template.plan.title = "2025年安全生产管理人员履职专项治理工作方案".into();
        let mut tx = app.store().write().await.unwrap();
        let next = safeduty_store::campaigns::create(
            &mut tx,
            &Who::system(),
            "2025年安全生产管理人员履职专项治理",
            2025,
            old.region_id,
            &template,
        )
        .await
        .unwrap();
        let enrolled: Vec<i64> =
            sqlx::query_scalar("SELECT enterprise_id FROM enrolments WHERE campaign_id = $1")
                .bind(old.id)
                .fetch_all(&mut *tx)
                .await
                .unwrap();
        safeduty_store::campaigns::enrol(&mut tx, &Who::system(), &next, &enrolled)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let town = app.login("demo-town").await;
        let campaign = app.get(&town, "/api/v1/campaign").await.json();
        assert_eq!(
            campaign["year"], 2025,
            "{b}: the town works in the new campaign"
        );
        let ledger = app
            .get(&town, "/api/v1/findings?status=unclosed")
            .await
            .json();
        let ids: Vec<&str> = ledger["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["id"].as_str())
            .collect();
        assert!(ids.contains(&fx.finding.as_str()), "{b}: {ledger}");
        assert!(!ids.contains(&closed.as_str()), "{b}");
        let all = app.get(&town, "/api/v1/findings").await.json();
        assert!(
            all["total"].as_i64().unwrap() <= open_before,
            "{b}: only last year's open findings come along ({all})"
        );
        let orders = app.get(&town, "/api/v1/orders").await.json();
        assert!(orders.to_string().contains(&fx.order), "{b}: {orders}");
        let cases = app.get(&town, "/api/v1/cases").await.json();
        assert_eq!(cases.as_array().map(Vec::len), Some(2), "{b}: {cases}");
        let listings = app.get(&town, "/api/v1/dishonesty-listings").await.json();
        assert!(listings.to_string().contains(&listing), "{b}: {listings}");
        // Nothing was copied: the finding is last year's, once.
        let mut tx = app.store().write().await.unwrap();
        let (n, campaign_id): (i64, i64) =
            sqlx::query_as("SELECT COUNT(*), MIN(campaign_id) FROM findings WHERE public_id = $1")
                .bind(&fx.finding)
                .fetch_one(&mut *tx)
                .await
                .unwrap();
        tx.commit().await.unwrap();
        assert_eq!((n, campaign_id), (1, old.id), "{b}");
        app.cleanup().await;
    }
}
