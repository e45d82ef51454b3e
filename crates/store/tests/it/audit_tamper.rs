//! Tampering with the audit trail directly in the database: each kind (change, delete, swap,
//! truncate the newest records, rewrite and re-hash) is detected by `verify`, naming the first
//! broken record and its time; an untouched trail verifies. Both backends.

use safeduty_store::audit::anchor::{self, Anchor, Taken};
use safeduty_store::audit::{self, Entry, Event, Verification, Who, verify, verify_against};
use safeduty_store::testing::{backends, execute as exec};
use safeduty_store::{Store, StoreError};
use sqlx::Row;

/// Writes `n` login-failure records for users `u1`..`un`.
async fn write(store: &Store, from: usize, n: usize) {
    let who = Who::system();
    for i in from..from + n {
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
}

async fn at_of(store: &Store, seq: i64) -> String {
    let mut tx = store.write().await.unwrap();
    let row = sqlx::query("SELECT at FROM audit_records WHERE seq = $1")
        .bind(seq)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let at: String = row.try_get("at").unwrap();
    tx.commit().await.unwrap();
    at
}

/// The one text value `sql` selects.
async fn scalar_text(store: &Store, sql: &'static str) -> String {
    let mut tx = store.write().await.unwrap();
    let v: String = sqlx::query_scalar(sql).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    v
}

fn taken(t: Taken) -> Anchor {
    match t {
        Taken::Anchor(a) => a,
        Taken::Refused(v) => panic!("anchor refused: {v:?}"),
    }
}

/// A trail of 6 records: records 1–3, the anchor's own record 4 (the anchor kept in the table and
/// returned, as if printed), records 5–6.
async fn trail(store: &Store) -> Anchor {
    write(store, 1, 3).await;
    let a = taken(anchor::take(store, &Who::system()).await.unwrap());
    write(store, 5, 2).await;
    a
}

fn broken_at(v: &Verification) -> (i64, Option<String>) {
    match v {
        Verification::Broken { seq, at, .. } => (*seq, at.clone()),
        Verification::Intact { .. } => panic!("tampering not detected"),
    }
}

#[tokio::test]
async fn untouched_trail_and_its_anchors_verify() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let a = trail(store).await;
        assert_eq!(
            a.seq, 4,
            "{b}: the anchor names the record of its own taking"
        );
        assert_eq!(a.at, at_of(store, 4).await, "{b}");
        assert_eq!(anchor::stored(store).await.unwrap(), vec![a.clone()], "{b}");
        assert_eq!(audit::count_events(store, "anchor_taken").await.unwrap(), 1);
        // The printed form reads back to the same anchor.
        let text = a.to_text();
        assert!(
            text.starts_with("safeduty audit anchor v1\nseq: 4\nat: "),
            "{text}"
        );
        assert_eq!(Anchor::parse(&text).unwrap(), a, "{b}");
        assert_eq!(
            verify_against(store, &[a]).await.unwrap(),
            Verification::Intact { records: 6 },
            "{b}"
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_changed_record_is_named_with_its_time() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        trail(store).await;
        let at2 = at_of(store, 2).await;
        exec(
            store,
            "UPDATE audit_records SET target_id = 'someone-else' WHERE seq = 2",
        )
        .await;
        assert_eq!(
            broken_at(&verify(store).await.unwrap()),
            (2, Some(at2)),
            "{b}"
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_deleted_record_is_named() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        trail(store).await;
        let at2 = at_of(store, 2).await;
        let at4 = at_of(store, 4).await;
        exec(store, "DELETE FROM audit_records WHERE seq = 3").await;
        let v = verify(store).await.unwrap();
        assert_eq!(broken_at(&v), (3, None), "{b}");
        let Verification::Broken { reason, .. } = v else {
            unreachable!()
        };
        assert!(
            reason.contains(&format!("after {at2} and before {at4}")),
            "{b}: the deleted record's time is bounded by its neighbours: {reason}"
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn swapped_records_are_detected_at_the_first() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        trail(store).await;
        let at5 = at_of(store, 5).await;
        exec(store, "UPDATE audit_records SET seq = 0 WHERE seq = 5").await;
        exec(store, "UPDATE audit_records SET seq = 5 WHERE seq = 6").await;
        exec(store, "UPDATE audit_records SET seq = 6 WHERE seq = 0").await;
        // Record 5 now holds what was record 6.
        let (seq, at) = broken_at(&verify(store).await.unwrap());
        assert_eq!(seq, 5, "{b}");
        assert_ne!(
            at,
            Some(at5),
            "{b}: the time shown is the one now stored at 5"
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn truncating_the_newest_records_is_detected_by_head_table_anchor_and_printed_anchor() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let printed = trail(store).await;
        let head_of = |seq: i64| {
            format!(
                "UPDATE audit_head SET seq = {seq}, last_hash = \
                 (SELECT hash FROM audit_records WHERE seq = {seq}) WHERE id = 1"
            )
        };

        // Only the rows deleted: the head row still names record 6.
        exec(store, "DELETE FROM audit_records WHERE seq >= 5").await;
        assert_eq!(broken_at(&verify(store).await.unwrap()), (5, None), "{b}");

        // The head rewound too: fine up to the anchor, which is record 4.
        exec(store, &head_of(4)).await;
        assert_eq!(
            verify(store).await.unwrap(),
            Verification::Intact { records: 4 },
            "{b}: the anchor's own record is still there"
        );
        // One more deleted, past the anchor kept in the table: detected, with the time.
        exec(store, "DELETE FROM audit_records WHERE seq = 4").await;
        exec(store, &head_of(3)).await;
        assert_eq!(
            broken_at(&verify(store).await.unwrap()),
            (4, Some(printed.at.clone())),
            "{b}"
        );
        // The anchors table emptied as well: only the printed anchor kept off-site tells.
        exec(store, "DELETE FROM audit_anchors").await;
        assert_eq!(
            verify(store).await.unwrap(),
            Verification::Intact { records: 3 },
            "{b}"
        );
        let printed_at = printed.at.clone();
        assert_eq!(
            broken_at(&verify_against(store, &[printed]).await.unwrap()),
            (4, Some(printed_at)),
            "{b}"
        );
        db.cleanup().await;
    }
}

/// Someone who can write the database deletes records from 3 on, rewinds the head and the
/// anchors table and writes a new, internally consistent chain: the printed anchor still tells.
#[tokio::test]
async fn a_rewritten_and_rehashed_trail_fails_the_printed_anchor() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let printed = trail(store).await;
        exec(store, "DELETE FROM audit_records WHERE seq >= 3").await;
        exec(
            store,
            "UPDATE audit_head SET seq = 2, last_hash = \
             (SELECT hash FROM audit_records WHERE seq = 2) WHERE id = 1",
        )
        .await;
        exec(store, "DELETE FROM audit_anchors").await;
        write(store, 30, 4).await;
        assert_eq!(
            verify(store).await.unwrap(),
            Verification::Intact { records: 6 },
            "{b}: consistent in itself"
        );
        let v = verify_against(store, std::slice::from_ref(&printed))
            .await
            .unwrap();
        assert_eq!(broken_at(&v), (4, Some(printed.at.clone())), "{b}");
        db.cleanup().await;
    }
}

/// An anchor is never taken of a trail that does not verify.
#[tokio::test]
async fn no_anchor_of_a_broken_trail() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        trail(store).await;
        exec(
            store,
            "UPDATE audit_records SET result = 'ok' WHERE seq = 1",
        )
        .await;
        let before = anchor::stored(store).await.unwrap();
        match anchor::take(store, &Who::system()).await.unwrap() {
            Taken::Refused(Verification::Broken { seq: 1, .. }) => {}
            other => panic!("{b}: {other:?}"),
        }
        assert_eq!(anchor::stored(store).await.unwrap(), before, "{b}");
        db.cleanup().await;
    }
}

#[test]
fn printed_anchor_errors_say_what_is_wrong() {
    let h = "a".repeat(64);
    assert_eq!(
        Anchor::parse(&format!(
            "safeduty audit anchor v1\nseq: 7\nat: T\nhash: {h}\n"
        )),
        Ok(Anchor {
            seq: 7,
            at: "T".into(),
            hash: h.clone()
        })
    );
    assert_eq!(
        Anchor::parse("hello"),
        Err("不是审计锚点：第一行应为“safeduty audit anchor v1”".into())
    );
    assert_eq!(
        Anchor::parse(&format!(
            "safeduty audit anchor v1\nseq: 0\nat: T\nhash: {h}"
        )),
        Err("seq 应为正整数：0".into())
    );
    assert_eq!(
        Anchor::parse("safeduty audit anchor v1\nseq: 7\nat: T\nhash: ABC"),
        Err("hash 应为 64 位小写十六进制：ABC".into())
    );
    assert_eq!(
        Anchor::parse("safeduty audit anchor v1\nseq: 7"),
        Err("审计锚点缺少 seq、at 或 hash".into())
    );
}

/// A restore's record becomes the newest anchor kept in the restored store.
#[tokio::test]
async fn a_restore_is_the_new_anchor() {
    use safeduty_store::DatabaseUrl;
    let db = safeduty_store::testing::sqlite().await;
    write(&db.store, 1, 2).await;
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snap.db");
    safeduty_store::backup::backup(&db.store, &Who::system(), &snap)
        .await
        .unwrap();
    let url = DatabaseUrl::in_data_dir(&dir.path().join("restored"));
    safeduty_store::backup::restore(&snap, &url, &Who::system(), Default::default())
        .await
        .unwrap();
    let restored = Store::open(&url).await.unwrap();
    let anchors = anchor::stored(&restored).await.unwrap();
    assert_eq!(
        anchors.iter().map(|a| a.seq).collect::<Vec<_>>(),
        vec![4],
        "records 1–2, the backup's record 3, the restore's record 4"
    );
    assert_eq!(anchors[0].at, at_of(&restored, 4).await);
    assert_eq!(
        verify(&restored).await.unwrap(),
        Verification::Intact { records: 4 }
    );
    restored.close().await;
    db.cleanup().await;
}

/// A value of the wrong type written into a column (SQLite keeps what it is given) names the
/// record instead of failing the read; so does an edit of the row's unhashed times.
#[tokio::test]
async fn a_wrong_typed_or_retimed_column_names_its_record() {
    let db = safeduty_store::testing::sqlite().await;
    write(&db.store, 1, 5).await;
    exec(
        &db.store,
        "UPDATE audit_records SET actor_user_id = 'abc' WHERE seq = 3",
    )
    .await;
    assert_eq!(
        verify(&db.store).await.unwrap(),
        Verification::Broken {
            seq: 3,
            at: None,
            reason: "column actor_user_id holds a value of the wrong type".into(),
        }
    );
    exec(
        &db.store,
        "UPDATE audit_records SET actor_user_id = NULL WHERE seq = 3",
    )
    .await;
    exec(
        &db.store,
        "UPDATE audit_records SET before_state = X'00ff' WHERE seq = 2",
    )
    .await;
    let v = verify(&db.store).await.unwrap();
    assert_eq!(broken_at(&v).0, 2, "{v:?}");
    exec(
        &db.store,
        "UPDATE audit_records SET before_state = NULL WHERE seq = 2",
    )
    .await;
    assert_eq!(
        verify(&db.store).await.unwrap(),
        Verification::Intact { records: 5 }
    );
    exec(
        &db.store,
        "UPDATE audit_records SET updated_at = '2099-01-01T00:00:00Z' WHERE seq = 4",
    )
    .await;
    let at4 = at_of(&db.store, 4).await;
    assert_eq!(
        verify(&db.store).await.unwrap(),
        Verification::Broken {
            seq: 4,
            at: Some(at4),
            reason: "created_at or updated_at differs from the record's time".into(),
        }
    );
    db.cleanup().await;
}

/// A snapshot whose trail does not verify is refused and the target left as it was, unless the
/// operator accepts it, which the restore's record says.
#[tokio::test]
async fn a_broken_snapshot_is_refused_unless_accepted() {
    use safeduty_store::DatabaseUrl;
    use safeduty_store::backup::{RestoreOptions, Restored, backup, restore};
    let db = safeduty_store::testing::sqlite().await;
    write(&db.store, 1, 3).await;
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snap.db");
    backup(&db.store, &Who::system(), &snap).await.unwrap();
    let tampered =
        Store::open(&DatabaseUrl::parse(&format!("sqlite://{}", snap.display())).unwrap())
            .await
            .unwrap();
    exec(
        &tampered,
        "UPDATE audit_records SET target_id = 'x' WHERE seq = 2",
    )
    .await;
    tampered.close().await;
    let url = DatabaseUrl::in_data_dir(&dir.path().join("restored"));
    let refused = restore(&snap, &url, &Who::system(), RestoreOptions::default())
        .await
        .unwrap();
    assert!(
        matches!(&refused, Restored::Refused(v) if broken_at(v).0 == 2),
        "{refused:?}"
    );
    assert!(!dir.path().join("restored").exists(), "nothing touched");
    let accepted = restore(
        &snap,
        &url,
        &Who::system(),
        RestoreOptions {
            accept_broken_trail: true,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        accepted,
        Restored::Done {
            snapshot_records: 4,
            dropped_records: 0
        }
    );
    let restored = Store::open(&url).await.unwrap();
    let after = scalar_text(
        &restored,
        "SELECT after_state FROM audit_records WHERE event = 'restored'",
    )
    .await;
    assert!(
        after.contains("\"backup_trail\":\"broken at 2, accepted by the operator\""),
        "{after}"
    );
    restored.close().await;
    db.cleanup().await;
}

/// Restoring an older snapshot over a newer store drops the newer records; the restore's
/// record counts them and `rollbacks` reports it from the trail alone, which still verifies.
#[tokio::test]
async fn restoring_an_older_snapshot_records_the_rollback() {
    use safeduty_store::DatabaseUrl;
    use safeduty_store::backup::{RestoreOptions, Restored, backup, restore, rollbacks};
    let dir = tempfile::tempdir().unwrap();
    let url = DatabaseUrl::in_data_dir(&dir.path().join("live"));
    let live = Store::open(&url).await.unwrap();
    let base: i64 = scalar_text(&live, "SELECT CAST(COUNT(*) AS TEXT) FROM audit_records")
        .await
        .parse()
        .unwrap();
    write(&live, 1, 3).await;
    let snap = dir.path().join("snap.db");
    backup(&live, &Who::system(), &snap).await.unwrap();
    // The snapshot holds base + 3 records + the backup's record.
    write(&live, 4, 5).await;
    // While a server holds the store (its run lock), a restore is refused and changes nothing.
    let server = safeduty_store::backup::run_lock(&url).unwrap();
    let busy = restore(&snap, &url, &Who::system(), RestoreOptions::default()).await;
    assert!(
        matches!(&busy, Err(StoreError::Conflict(m)) if m.contains("in use")),
        "{busy:?}"
    );
    assert!(
        matches!(
            safeduty_store::backup::run_lock(&url),
            Err(StoreError::Conflict(_))
        ),
        "a second server is refused too"
    );
    assert_eq!(
        verify(&live).await.unwrap(),
        Verification::Intact { records: base + 9 }
    );
    drop(server);
    live.close().await;
    let done = restore(&snap, &url, &Who::system(), RestoreOptions::default())
        .await
        .unwrap();
    assert_eq!(
        done,
        Restored::Done {
            snapshot_records: base + 4,
            dropped_records: 5
        }
    );
    let restored = Store::open(&url).await.unwrap();
    assert_eq!(
        verify(&restored).await.unwrap(),
        Verification::Intact { records: base + 5 }
    );
    let r = rollbacks(&restored).await.unwrap();
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(
        (r[0].seq, r[0].dropped_records, r[0].replaced_head_seq),
        (base + 5, 5, base + 9)
    );
    assert_eq!(r[0].snapshot, snap.to_string_lossy());
    // Restoring the same snapshot again over what it already holds drops nothing more than
    // the restore's own record.
    restored.close().await;
    let again = restore(&snap, &url, &Who::system(), RestoreOptions::default())
        .await
        .unwrap();
    assert_eq!(
        again,
        Restored::Done {
            snapshot_records: base + 4,
            dropped_records: 1
        }
    );
    let restored = Store::open(&url).await.unwrap();
    assert_eq!(
        rollbacks(&restored).await.unwrap().len(),
        1,
        "the older restore's record went with the rollback"
    );
    restored.close().await;
}
