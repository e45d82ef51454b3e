//! Tampering with the audit trail directly in the database: each kind (change, delete, swap,
//! truncate the newest records, rewrite and re-hash) is detected by `verify`, naming the first
//! broken record and its time; an untouched trail verifies. Both backends.

use safeduty_store::Store;
use safeduty_store::audit::anchor::{self, Anchor, Taken};
use safeduty_store::audit::{self, Entry, Event, Verification, Who, verify, verify_against};
use safeduty_store::testing::{backends, execute as exec};
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
    safeduty_store::backup::restore(&snap, &url, &Who::system())
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
