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
                    target_kind: safeduty_store::audit::Object::User.into(),
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
                target_kind: safeduty_store::audit::Object::Region.into(),
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

/// Backup and restore round trip: the restored store holds the backup's data, its trail verifies,
/// and the restore is recorded in it.
#[tokio::test]
async fn backup_and_restore_round_trip() {
    use safeduty_store::backup::{backup, restore};
    use safeduty_store::{DatabaseUrl, Store};
    let db = safeduty_store::testing::sqlite().await;
    let store = &db.store;
    let who = Who::system();
    let mut tx = store.write().await.unwrap();
    safeduty_store::org::create_region(&mut tx, &who, None, "99", "示例省", "province")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snap.db");
    backup(store, &who, &snap).await.unwrap();
    assert!(
        backup(store, &who, &snap).await.is_err(),
        "never overwrites"
    );
    // Changes after the backup...
    let mut tx = store.write().await.unwrap();
    safeduty_store::org::create_region(&mut tx, &who, None, "98", "另一省", "province")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // ...are gone after restoring into a new place.
    let target = dir.path().join("restored");
    let url = DatabaseUrl::in_data_dir(&target);
    restore(&snap, &url, &who, Default::default())
        .await
        .unwrap();
    let restored = Store::open(&url).await.unwrap();
    let regions = safeduty_store::org::regions_under(&restored, "/")
        .await
        .unwrap();
    assert_eq!(
        regions.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(),
        vec!["99"]
    );
    assert!(matches!(
        audit::verify(&restored).await.unwrap(),
        Verification::Intact { .. }
    ));
    assert_eq!(audit::count_events(&restored, "restored").await.unwrap(), 1);
    assert_eq!(
        audit::count_events(&restored, "backup_taken")
            .await
            .unwrap(),
        1
    );
    restored.close().await;
    db.cleanup().await;
}
