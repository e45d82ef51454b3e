//! Sessions: idle time-out and absolute lifetime (issue #5).

use chrono::Duration;
use safeduty_store::StoreError;
use safeduty_store::sessions::{create, get};
use safeduty_store::testing::backends;

#[tokio::test]
async fn sessions_end_when_idle_or_past_their_lifetime() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let mut tx = store.write().await.unwrap();
        let who = safeduty_store::audit::Who::system();
        let r = safeduty_store::org::create_region(&mut tx, &who, None, "99", "示例省", "province")
            .await
            .unwrap();
        let user = safeduty_store::org::create_user(
            &mut tx,
            &who,
            &safeduty_store::org::NewUser {
                username: "u".into(),
                display_name: "u".into(),
                password_hash: "x".into(),
                role: safeduty_core::policy::Role::Assessor,
                region_id: Some(r.id),
                unit_id: None,
                enterprise_id: None,
                is_demo: false,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        create(store, "live", user, "csrf", Duration::hours(12), false)
            .await
            .unwrap();
        assert_eq!(
            get(store, "live", Duration::minutes(30))
                .await
                .unwrap()
                .user_id,
            user,
            "{b}"
        );
        // Idle longer than allowed (an idle limit of zero: the last request is already too old).
        assert!(
            matches!(
                get(store, "live", Duration::zero()).await,
                Err(StoreError::NotFound)
            ),
            "{b}"
        );
        // Past its absolute lifetime.
        create(store, "old", user, "csrf", Duration::seconds(-1), false)
            .await
            .unwrap();
        assert!(
            matches!(
                get(store, "old", Duration::minutes(30)).await,
                Err(StoreError::NotFound)
            ),
            "{b}"
        );
        db.cleanup().await;
    }
}
