//! Attachments: content-addressed blobs (dedup by hash, atomic, integrity on read), rows inserted
//! inside the caller's transaction with their audit record, lists and counts per owner.

use safeduty_core::attachment::FileKind;
use safeduty_store::attachments::{self, BlobStore, LocalDisk, Owner, StoredFile, sha256_hex};
use safeduty_store::audit::{self, Who};
use safeduty_store::org::{self, NewEnterprise};
use safeduty_store::testing::backends;
use safeduty_store::{Store, StoreError};

async fn enterprise(store: &Store) -> i64 {
    let who = Who::system();
    let mut tx = store.write().await.unwrap();
    let r = org::create_region(&mut tx, &who, None, "99", "示例省", "province")
        .await
        .unwrap();
    let (id, _) = org::create_enterprise(
        &mut tx,
        &who,
        &NewEnterprise {
            uscc: "91990101MA00000015".into(),
            name: "示例企业".into(),
            industry: "工贸".into(),
            region_id: r.id,
            supervising_unit_id: None,
            is_key: false,
            address: String::new(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

fn file(name: &str, sha256: &str, size: i64) -> StoredFile {
    StoredFile {
        name: name.into(),
        kind: FileKind::Text,
        content_type: "text/plain; charset=utf-8".into(),
        size,
        sha256: sha256.into(),
        thumbnail_sha256: None,
    }
}

#[tokio::test]
async fn blobs_are_content_addressed_and_deduplicated() {
    let dir = tempfile::tempdir().unwrap();
    let disk = LocalDisk::new(dir.path());
    let body = "整改报告".as_bytes();
    let a = disk.put(body).await.unwrap();
    let b = disk.put(body).await.unwrap();
    assert_eq!(a, sha256_hex(body));
    assert_eq!(a, b);
    // One file under its hash, nothing left in tmp/.
    let stored = dir.path().join(&a[..2]).join(&a);
    assert_eq!(std::fs::read(&stored).unwrap(), body);
    assert_eq!(
        std::fs::read_dir(dir.path().join("tmp")).unwrap().count(),
        0
    );
    assert_eq!(disk.get(&a).await.unwrap(), body);
    // Unknown and malformed keys are "not found"; a key never reaches the file system as a path.
    assert!(matches!(
        disk.get(&"0".repeat(64)).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        disk.get("../../etc/passwd").await,
        Err(StoreError::NotFound)
    ));
    // A blob altered on disk no longer matches its hash and is not served.
    std::fs::write(&stored, b"tampered").unwrap();
    assert!(matches!(disk.get(&a).await, Err(StoreError::Blob(_))));
}

#[tokio::test]
async fn insert_list_count_fetch_and_audit() {
    for db in backends().await {
        let store = &db.store;
        let enterprise_id = enterprise(store).await;
        let who = Who::system();
        let sha = db.blobs.put(b"one").await.unwrap();
        let item = Owner::SelfInspectionItem {
            campaign_id: 1,
            item: 17,
        };
        let other = Owner::SelfInspectionItem {
            campaign_id: 1,
            item: 9,
        };
        let before = audit::count_events(store, "attachment_added")
            .await
            .unwrap();
        let mut tx = store.write().await.unwrap();
        let name = "B28_整改报告（第1批）#附件 1.txt";
        let first = attachments::insert(&mut tx, &who, enterprise_id, item, &file(name, &sha, 3))
            .await
            .unwrap();
        // The same bytes again (another upload of the same file): a second row, one blob.
        let second = attachments::insert(
            &mut tx,
            &who,
            enterprise_id,
            item,
            &file("副本.txt", &sha, 3),
        )
        .await
        .unwrap();
        attachments::insert(
            &mut tx,
            &who,
            enterprise_id,
            other,
            &file("培训.txt", &sha, 3),
        )
        .await
        .unwrap();
        assert_eq!(
            attachments::count(&mut tx, enterprise_id, item)
                .await
                .unwrap(),
            2
        );
        tx.commit().await.unwrap();
        assert_eq!(
            audit::count_events(store, "attachment_added")
                .await
                .unwrap(),
            before + 3,
            "{}",
            db.backend
        );
        assert!(safeduty_store::is_public_id(&first.public_id));
        assert_ne!(first.public_id, second.public_id);
        let listed = attachments::list(store, enterprise_id, item).await.unwrap();
        assert_eq!(
            listed.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
            [name, "副本.txt"],
            "{}",
            db.backend
        );
        assert_eq!(listed[0].sha256, listed[1].sha256);
        assert_eq!(listed[0].owner_id, "1/17");
        let all = attachments::list_of_kind(store, enterprise_id, "self_inspection_item")
            .await
            .unwrap();
        assert_eq!(
            all.iter().map(|a| a.owner_id.as_str()).collect::<Vec<_>>(),
            ["1/17", "1/17", "1/9"]
        );
        let fetched = attachments::by_public_id(store, &first.public_id)
            .await
            .unwrap();
        assert_eq!(fetched.name, name);
        assert_eq!(fetched.kind, FileKind::Text);
        assert_eq!(fetched.size, 3);
        assert!(matches!(
            attachments::by_public_id(store, &"a".repeat(32)).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            attachments::by_public_id(store, "1").await,
            Err(StoreError::NotFound)
        ));
        // A rolled-back transaction leaves no row and no audit record.
        let mut tx = store.write().await.unwrap();
        attachments::insert(
            &mut tx,
            &who,
            enterprise_id,
            item,
            &file("回滚.txt", &sha, 3),
        )
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(
            attachments::list(store, enterprise_id, item)
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            audit::count_events(store, "attachment_added")
                .await
                .unwrap(),
            before + 3
        );
        // A key that is not a blob key is refused before anything is written.
        let mut tx = store.write().await.unwrap();
        assert!(matches!(
            attachments::insert(
                &mut tx,
                &who,
                enterprise_id,
                item,
                &file("x.txt", "../x", 1)
            )
            .await,
            Err(StoreError::Blob(_))
        ));
        tx.rollback().await.unwrap();
        db.cleanup().await;
    }
}
