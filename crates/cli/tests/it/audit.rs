//! `safeduty audit anchor` and `safeduty audit verify [--anchor FILE]` on a store someone
//! tampered with directly: exit 3 naming the first broken record and its time; an untouched
//! trail and its printed anchor exit 0.

use std::path::{Path, PathBuf};

use safeduty_store::audit::{self, Entry, Event, Who};
use safeduty_store::testing::execute;
use safeduty_store::{DatabaseUrl, Store};

use super::{fresh_store, safeduty, stdout, tmp};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

async fn open(dir: &Path) -> Store {
    Store::open(&DatabaseUrl::existing_in_data_dir(dir))
        .await
        .unwrap()
}

/// Writes `n` login-failure records for users `u{from}`…
fn write(dir: &Path, from: usize, n: usize) {
    rt().block_on(async {
        let store = open(dir).await;
        for i in from..from + n {
            audit::record_alone(
                &store,
                Entry {
                    who: &Who::system(),
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
        store.close().await;
    });
}

/// A store in `name` with 3 records, an anchor printed to `name.anchor` (record 4), and 2 more
/// records; returns the directory and the anchor file.
fn trail(name: &str) -> (PathBuf, PathBuf) {
    let dir = tmp(name);
    fresh_store(&dir);
    write(&dir, 1, 3);
    let o = safeduty(&["audit", "anchor", "--data", dir.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let printed = stdout(&o);
    assert!(
        printed.starts_with("safeduty audit anchor v1\nseq: 4\nat: "),
        "{printed}"
    );
    let file = tmp(&format!("{name}.anchor"));
    std::fs::write(&file, printed).unwrap();
    write(&dir, 5, 2);
    (dir, file)
}

fn verify(dir: &Path, anchor: Option<&Path>) -> (Option<i32>, String) {
    let mut args = vec!["audit", "verify", "--data", dir.to_str().unwrap()];
    if let Some(a) = anchor {
        args.extend(["--anchor", a.to_str().unwrap()]);
    }
    let o = safeduty(&args);
    (o.status.code(), stdout(&o))
}

fn sql(dir: &Path, statements: &[&str]) {
    rt().block_on(async {
        let store = open(dir).await;
        for s in statements {
            execute(&store, s).await;
        }
        store.close().await;
    });
}

fn at_of(dir: &Path, seq: i64) -> String {
    rt().block_on(async {
        let store = open(dir).await;
        let q = audit::search::Query::default();
        let rec = audit::search::all(&store, &q, 100).await.unwrap();
        store.close().await;
        rec.into_iter().find(|r| r.seq == seq).unwrap().at
    })
}

#[test]
fn untouched_trail_verifies_with_its_printed_anchor() {
    let (dir, anchor) = trail("audit-untouched");
    assert_eq!(
        verify(&dir, Some(&anchor)),
        (Some(0), "audit trail intact: 6 records\n".into())
    );
    // Something that is not an anchor is refused as input.
    let bad = tmp("audit-untouched.bad");
    std::fs::write(&bad, "hello\n").unwrap();
    assert_eq!(verify(&dir, Some(&bad)).0, Some(3));
}

#[test]
fn a_changed_record_fails_naming_it() {
    let (dir, anchor) = trail("audit-changed");
    let at = at_of(&dir, 2);
    sql(
        &dir,
        &["UPDATE audit_records SET result = 'ok' WHERE seq = 2"],
    );
    assert_eq!(
        verify(&dir, Some(&anchor)),
        (
            Some(3),
            format!(
                "audit trail broken at record 2 ({at}): hash does not match the record's content \
                 or its predecessor\n"
            )
        )
    );
}

#[test]
fn a_deleted_record_fails_naming_it() {
    let (dir, _) = trail("audit-deleted");
    sql(&dir, &["DELETE FROM audit_records WHERE seq = 5"]);
    let (code, out) = verify(&dir, None);
    assert_eq!(code, Some(3));
    assert!(
        out.starts_with("audit trail broken at record 5: record deleted (written after "),
        "{out}"
    );
}

#[test]
fn swapped_records_fail_at_the_first() {
    let (dir, _) = trail("audit-swapped");
    sql(
        &dir,
        &[
            "UPDATE audit_records SET seq = 0 WHERE seq = 1",
            "UPDATE audit_records SET seq = 1 WHERE seq = 2",
            "UPDATE audit_records SET seq = 2 WHERE seq = 0",
        ],
    );
    let at = at_of(&dir, 1);
    let (code, out) = verify(&dir, None);
    assert_eq!(code, Some(3));
    assert!(
        out.starts_with(&format!("audit trail broken at record 1 ({at}): ")),
        "{out}"
    );
}

#[test]
fn truncated_newest_records_fail_against_the_printed_anchor() {
    let (dir, anchor) = trail("audit-truncated");
    let at4 = at_of(&dir, 4);
    // Records from 4 on deleted, the head rewound and the anchors table emptied.
    sql(
        &dir,
        &[
            "DELETE FROM audit_records WHERE seq >= 4",
            "UPDATE audit_head SET seq = 3, last_hash = \
             (SELECT hash FROM audit_records WHERE seq = 3) WHERE id = 1",
            "DELETE FROM audit_anchors",
        ],
    );
    assert_eq!(
        verify(&dir, None),
        (Some(0), "audit trail intact: 3 records\n".into()),
        "without the copy kept off-site, a clean truncation is invisible"
    );
    assert_eq!(
        verify(&dir, Some(&anchor)),
        (
            Some(3),
            format!(
                "audit trail broken at record 4 ({at4}): the newest records were deleted: the \
                 trail ends at record 3, an anchor names record 4 written at {at4}\n"
            )
        )
    );
}

#[test]
fn a_value_of_the_wrong_type_names_its_record() {
    let (dir, _) = trail("audit-wrong-type");
    sql(
        &dir,
        &["UPDATE audit_records SET actor_user_id = 'abc' WHERE seq = 2"],
    );
    assert_eq!(
        verify(&dir, None),
        (
            Some(3),
            "audit trail broken at record 2: column actor_user_id holds a value of the wrong \
             type\n"
                .into()
        )
    );
}

/// `restore` refuses a snapshot whose trail is broken (exit 3, target untouched) unless told
/// to accept it; restoring an older snapshot over the live store reports the records it drops,
/// and `audit verify` lists that rollback from the trail alone.
#[test]
fn restore_checks_the_snapshot_and_verify_reports_a_rollback() {
    let (dir, _) = trail("audit-restore");
    let data = dir.to_str().unwrap();
    let snap = tmp("audit-restore.snap");
    let _ = std::fs::remove_file(&snap);
    let o = safeduty(&["backup", snap.to_str().unwrap(), "--data", data]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Records 1–6, the backup's 7 in the snapshot; 8–10 only in the live store.
    write(&dir, 8, 3);
    let o = safeduty(&["restore", snap.to_str().unwrap(), "--data", data]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        stdout(&o),
        format!(
            "restored from {} (7 audit records)\n3 audit records of the replaced store are not \
             in the snapshot and were dropped; the trail records this rollback\n",
            snap.display()
        )
    );
    let at8 = at_of(&dir, 8);
    assert_eq!(
        verify(&dir, None),
        (
            Some(0),
            format!(
                "audit trail intact: 8 records\nrolled back at record 8 ({at8}): restoring {} \
                 dropped 3 records that followed record 7\n",
                snap.display()
            )
        )
    );

    // A tampered snapshot: refused, naming the broken record; the store is left as it was.
    let broken = tmp("audit-restore.broken");
    let _ = std::fs::remove_file(&broken);
    std::fs::copy(&snap, &broken).unwrap();
    rt().block_on(async {
        let store =
            Store::open(&DatabaseUrl::parse(&format!("sqlite://{}", broken.display())).unwrap())
                .await
                .unwrap();
        execute(
            &store,
            "UPDATE audit_records SET target_id = 'x' WHERE seq = 3",
        )
        .await;
        store.close().await;
    });
    let o = safeduty(&["restore", broken.to_str().unwrap(), "--data", data]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stdout(&o).starts_with("audit trail broken at record 3 ("),
        "{}",
        stdout(&o)
    );
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("nothing was restored"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(verify(&dir, None).0, Some(0));
    assert_eq!(at_of(&dir, 8), at8, "the store was not replaced");
    let o = safeduty(&[
        "restore",
        broken.to_str().unwrap(),
        "--data",
        data,
        "--accept-broken-trail",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
