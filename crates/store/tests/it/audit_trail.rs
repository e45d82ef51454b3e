//! The audit trail: written with each change, hash-chained, tampering detected.

use safeduty_store::audit::{self, Entry, Event, Verification, Who};
use safeduty_store::testing::backends;

#[tokio::test]
async fn chain_verifies_and_detects_edits_and_deletions() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let who = Who::system();
        for i in 0..3 {
            audit::record_alone(
                store,
                Entry {
                    who: &who,
                    event: Event::LoginFailed,
                    target_kind: "user",
                    target_id: format!("u{i}"),
                    before: None,
                    after: None,
                    result: "failed",
                },
            )
            .await
            .unwrap();
        }
        assert_eq!(
            audit::verify(store).await.unwrap(),
            Verification::Intact { records: 3 },
            "{b}"
        );

        // A change rolled back leaves no audit record.
        let mut tx = store.write().await.unwrap();
        audit::record(
            &mut tx,
            Entry {
                who: &who,
                event: Event::Created,
                target_kind: "region",
                target_id: "x".into(),
                before: None,
                after: None,
                result: "ok",
            },
        )
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(
            audit::verify(store).await.unwrap(),
            Verification::Intact { records: 3 },
            "{b}"
        );

        // A direct edit of history is detected at that record.
        let mut tx = store.write().await.unwrap();
        sqlx::query("UPDATE audit_records SET result = 'ok' WHERE seq = 2")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(
            matches!(
                audit::verify(store).await.unwrap(),
                Verification::Broken { seq: 2, .. }
            ),
            "{b}"
        );
        let mut tx = store.write().await.unwrap();
        sqlx::query("UPDATE audit_records SET result = 'failed' WHERE seq = 2")
            .execute(&mut *tx)
            .await
            .unwrap();
        // Deleting the newest record is detected through the head.
        sqlx::query("DELETE FROM audit_records WHERE seq = 3")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(
            matches!(
                audit::verify(store).await.unwrap(),
                Verification::Broken { seq: 3, .. }
            ),
            "{b}"
        );
        db.cleanup().await;
    }
}
