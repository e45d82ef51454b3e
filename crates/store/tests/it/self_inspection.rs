//! Self-inspection: draft → submitted → read-only, field errors, double submission.

use std::collections::BTreeMap;

use safeduty_core::calendar::Calendar;
use safeduty_core::policy::UnitKind;
use safeduty_core::self_inspection::{Answer, ItemAnswer, Refusal, Status};
use safeduty_store::audit::Who;
use safeduty_store::campaigns::{self, Campaign};
use safeduty_store::org::{self, NewEnterprise};
use safeduty_store::self_inspections::Edit;
use safeduty_store::testing::backends;
use safeduty_store::{Store, StoreError, findings, self_inspections};

use crate::support::{d, template};

async fn one_enterprise(store: &Store) -> (Campaign, i64) {
    let who = Who::system();
    let mut tx = store.write().await.unwrap();
    let r = org::create_region(&mut tx, &who, None, "99", "示例省", "province")
        .await
        .unwrap();
    org::create_unit(&mut tx, &who, UnitKind::Territorial, "示例镇", r.id, None)
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
    let c = campaigns::create(&mut tx, &who, "测试", 2024, r.id, &template())
        .await
        .unwrap();
    campaigns::enrol(&mut tx, &who, &c, &[id]).await.unwrap();
    tx.commit().await.unwrap();
    (c, id)
}

fn a(answer: Answer, note: &str) -> ItemAnswer {
    ItemAnswer {
        answer: Some(answer),
        note: note.into(),
    }
}

fn full(non_conform: &[u32]) -> BTreeMap<u32, ItemAnswer> {
    (1..=5)
        .map(|n| {
            if non_conform.contains(&n) {
                (n, a(Answer::NonConform, &format!("问题{n}")))
            } else {
                (n, a(Answer::Conform, ""))
            }
        })
        .collect()
}

#[tokio::test]
async fn draft_then_submit_then_read_only() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let (c, e) = one_enterprise(store).await;
        let who = Who::system();
        let cal = Calendar::shipped();
        let si = self_inspections::get(store, c.id, e).await.unwrap();
        assert_eq!(si.status, Status::NotStarted, "{b}");

        let draft = BTreeMap::from([
            (1, a(Answer::Conform, "")),
            (2, a(Answer::NonConform, " 制度未公开 ")),
        ]);
        self_inspections::save_draft(store, &who, Edit::new(&c, e, draft))
            .await
            .unwrap();
        let si = self_inspections::get(store, c.id, e).await.unwrap();
        assert_eq!(si.status, Status::Draft, "{b}");
        assert_eq!(si.answers[&2].note, "制度未公开", "{b}: trimmed");
        assert_eq!(si.answers.len(), 2, "{b}");

        // 不符合 without a note: refused with a field error, nothing saved.
        let bad = BTreeMap::from([(1, a(Answer::NonConform, "")), (3, a(Answer::Conform, ""))]);
        let err = self_inspections::save_draft(store, &who, Edit::new(&c, e, bad))
            .await
            .unwrap_err();
        let StoreError::Refused(refusal) = err else {
            panic!("{b}: {err:?}")
        };
        let errs = refusal.field_errors();
        assert_eq!((errs[0].item, errs[0].field), (1, "note"), "{b}");
        assert_eq!(
            self_inspections::get(store, c.id, e).await.unwrap(),
            si,
            "{b}: unchanged"
        );

        // Submitting with an unanswered item is refused.
        let mut partial = full(&[2, 4]);
        partial.remove(&5);
        assert!(matches!(
            self_inspections::submit(
                store,
                &who,
                Edit::new(&c, e, partial),
                d("2024-06-20"),
                &cal
            )
            .await,
            Err(StoreError::Refused(r)) if !r.field_errors().is_empty()
        ));

        let done = self_inspections::submit(
            store,
            &who,
            Edit::new(&c, e, full(&[2, 4])),
            d("2024-06-20"),
            &cal,
        )
        .await
        .unwrap();
        assert_eq!(done.status, Status::Submitted, "{b}");
        let fs = findings::list(
            store,
            &safeduty_core::policy::Scope::Enterprise { enterprise_id: e },
            c.id,
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            fs.iter().map(|f| f.item_number).collect::<Vec<_>>(),
            vec![Some(2), Some(4)],
            "{b}"
        );
        // 20 working days after Thu 2024-06-20.
        assert!(
            fs.iter().all(|f| f.due_on == d("2024-07-18")
                && f.grade == safeduty_core::finding::ledger::Grade::General),
            "{b}"
        );
        assert_eq!(fs[0].description, "问题2");

        // Read-only afterwards.
        assert!(matches!(
            self_inspections::save_draft(store, &who, Edit::new(&c, e, full(&[]))).await,
            Err(StoreError::Refused(r)) if r == Refusal::AlreadySubmitted
        ));
        assert!(matches!(
            self_inspections::submit(
                store,
                &who,
                Edit::new(&c, e, full(&[])),
                d("2024-06-21"),
                &cal
            )
            .await,
            Err(StoreError::Refused(r)) if r == Refusal::AlreadySubmitted
        ));
        db.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_submits_at_once_leave_one_submission_and_one_set_of_findings() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let (c, e) = one_enterprise(store).await;
        let who = Who::system();
        let cal = Calendar::shipped();
        self_inspections::save_draft(store, &who, Edit::new(&c, e, full(&[])))
            .await
            .unwrap();
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let (store, c, who, cal) = (store.clone(), c.clone(), who.clone(), cal.clone());
            tasks.push(tokio::spawn(async move {
                self_inspections::submit(
                    &store,
                    &who,
                    Edit::new(&c, e, full(&[1, 3])),
                    d("2024-06-20"),
                    &cal,
                )
                .await
            }));
        }
        let results: Vec<_> = futures::future::join_all(tasks)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let ok = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, 1, "{b}: {results:?}");
        for r in results.iter().filter(|r| r.is_err()) {
            assert!(
                matches!(r, Err(StoreError::Refused(r)) if *r == Refusal::AlreadySubmitted),
                "{b}: {r:?}"
            );
        }
        let fs = findings::list(
            store,
            &safeduty_core::policy::Scope::Enterprise { enterprise_id: e },
            c.id,
            None,
        )
        .await
        .unwrap();
        assert_eq!(fs.len(), 2, "{b}");
        db.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_wait_instead_of_failing() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let (c, e) = one_enterprise(store).await;
        let mut tasks = Vec::new();
        for i in 0..16u32 {
            let (store, c) = (store.clone(), c.clone());
            tasks.push(tokio::spawn(async move {
                let who = Who::system();
                let draft = BTreeMap::from([(1 + i % 5, a(Answer::Conform, &format!("第{i}次")))]);
                self_inspections::save_draft(&store, &who, Edit::new(&c, e, draft)).await
            }));
        }
        for t in futures::future::join_all(tasks).await {
            t.unwrap().unwrap_or_else(|err| panic!("{b}: {err}"));
        }
        let si = self_inspections::get(store, c.id, e).await.unwrap();
        assert_eq!(si.version, 16, "{b}");
        db.cleanup().await;
    }
}

/// Reminders for a finding: due soon to the enterprise; overdue also to its principal person and
/// its territorial unit (plan item 30); made once however often the job runs.
#[tokio::test]
async fn reminders_of_a_finding_are_escalated_when_overdue() {
    use safeduty_store::reminders::{generate, inbox};
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let (c, e) = one_enterprise(store).await;
        let cal = Calendar::shipped();
        self_inspections::submit(
            store,
            &Who::system(),
            Edit::new(&c, e, full(&[2])),
            d("2024-06-20"),
            &cal,
        )
        .await
        .unwrap();
        // Due 2024-07-18; three working days before is Mon 2024-07-15.
        assert_eq!(
            generate(store, d("2024-07-12"), &cal, 3).await.unwrap(),
            0,
            "{b}"
        );
        assert_eq!(
            generate(store, d("2024-07-15"), &cal, 3).await.unwrap(),
            1,
            "{b}"
        );
        assert_eq!(
            generate(store, d("2024-07-18"), &cal, 3).await.unwrap(),
            0,
            "{b}: once"
        );
        assert_eq!(
            generate(store, d("2024-07-19"), &cal, 3).await.unwrap(),
            3,
            "{b}"
        );
        let ent = inbox(store, &[format!("enterprise:{e}")], 10)
            .await
            .unwrap();
        assert_eq!(ent.len(), 2, "{b}");
        assert_eq!(ent[0].kind, "overdue", "{b}: newest first");
        assert!(
            ent[0]
                .message
                .contains("第2项问题隐患“问题2”整改期限2024-07-18已过"),
            "{b}: {}",
            ent[0].message
        );
        let principal = inbox(store, &[format!("principal:{e}")], 10).await.unwrap();
        assert_eq!(principal.len(), 1, "{b}");
        db.cleanup().await;
    }
}

/// A time limit that runs into a year whose arrangement is not loaded is provisional, and is
/// recomputed when that year is loaded (issue #4).
#[tokio::test]
async fn provisional_time_limits_are_recomputed_when_the_year_is_loaded() {
    use safeduty_core::calendar::YearArrangement;
    use safeduty_store::calendar::{NoticeIdentity, effective, save_year};
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let (c, e) = one_enterprise(store).await;
        let cal = effective(store).await.unwrap();
        self_inspections::submit(
            store,
            &Who::system(),
            Edit::new(&c, e, full(&[3])),
            d("2026-12-21"),
            &cal,
        )
        .await
        .unwrap();
        let scope = safeduty_core::policy::Scope::Enterprise { enterprise_id: e };
        let f = &findings::list(store, &scope, c.id, None).await.unwrap()[0];
        // Weekends only through 2027: Mon 2026-12-21 + 20 working days.
        assert_eq!(f.due_on, d("2027-01-18"), "{b}");
        assert!(f.is_provisional(&cal), "{b}");

        let mut y2027 = YearArrangement::default();
        y2027.days_off.insert(d("2027-01-01"));
        let id = NoticeIdentity {
            source: "test".into(),
            ..NoticeIdentity::default()
        };
        save_year(store, &Who::system(), 2027, &y2027, &id)
            .await
            .unwrap();
        let cal = effective(store).await.unwrap();
        let f = &findings::list(store, &scope, c.id, None).await.unwrap()[0];
        assert_eq!(
            f.due_on,
            d("2027-01-19"),
            "{b}: New Year's Day off moves it by one"
        );
        assert!(!f.is_provisional(&cal), "{b}");
        db.cleanup().await;
    }
}

/// `n` more enterprises in the campaign's region, enrolled; their ids.
async fn more_enterprises(store: &Store, c: &Campaign, n: u32) -> Vec<i64> {
    let who = Who::system();
    let mut tx = store.write().await.unwrap();
    let mut ids = Vec::new();
    for k in 0..n {
        let first17 = format!("91990101MA{:07}", 100 + k);
        let uscc = safeduty_core::uscc::check_char(&first17).unwrap();
        let (id, _) = org::create_enterprise(
            &mut tx,
            &who,
            &NewEnterprise {
                uscc: format!("{first17}{uscc}"),
                name: format!("示例企业{k}"),
                industry: "工贸".into(),
                region_id: c.region_id,
                supervising_unit_id: None,
                is_key: false,
                address: String::new(),
            },
        )
        .await
        .unwrap();
        ids.push(id);
    }
    campaigns::enrol(&mut tx, &who, c, &ids).await.unwrap();
    tx.commit().await.unwrap();
    ids
}

/// A save that changes one item writes the row of that item only, and its audit record names
/// that item alone, as it was and as it became (issue 19: not all the answers twice).
#[tokio::test]
async fn a_save_of_one_changed_item_audits_that_item_only() {
    use safeduty_store::audit::search::{self, Query};
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let (c, e) = one_enterprise(store).await;
        let who = Who::system();
        self_inspections::save_draft(store, &who, Edit::new(&c, e, full(&[2])))
            .await
            .unwrap();
        let mut changed = full(&[2]);
        changed.insert(3, a(Answer::NotApplicable, "本企业无此项"));
        let si =
            self_inspections::save_draft(store, &who, Edit::new(&c, e, changed).expecting(Some(1)))
                .await
                .unwrap();
        assert_eq!(si.version, 2, "{b}");
        let q = Query {
            event: Some("self_inspection_saved".into()),
            ..Query::default()
        };
        let records = search::page(store, &q, None, 10).await.unwrap();
        assert_eq!(records.len(), 2, "{b}");
        // Newest first: the second save.
        let json = |s: &Option<String>| -> serde_json::Value {
            serde_json::from_str(s.as_deref().unwrap()).unwrap()
        };
        assert_eq!(
            json(&records[0].before),
            serde_json::json!({"3": {"answer": "conform", "note": ""}}),
            "{b}"
        );
        assert_eq!(
            json(&records[0].after),
            serde_json::json!({"3": {"answer": "not_applicable", "note": "本企业无此项"}}),
            "{b}"
        );
        // The first save had nothing before and all five answers after.
        assert_eq!(json(&records[1].before), serde_json::json!({}), "{b}");
        assert_eq!(json(&records[1].after).as_object().unwrap().len(), 5, "{b}");
        // Saving the same answers again changes no item and records an empty change.
        self_inspections::save_draft(store, &who, Edit::new(&c, e, si.answers.clone()))
            .await
            .unwrap();
        let records = search::page(store, &q, None, 10).await.unwrap();
        assert_eq!(json(&records[0].after), serde_json::json!({}), "{b}");
        assert_eq!(
            self_inspections::get(store, c.id, e).await.unwrap().answers,
            si.answers,
            "{b}"
        );
        assert!(
            matches!(
                safeduty_store::audit::verify(store).await.unwrap(),
                safeduty_store::audit::Verification::Intact { .. }
            ),
            "{b}"
        );
        db.cleanup().await;
    }
}

/// Group commit (issue 19): six submissions lined up behind the writer run as one transaction;
/// the one refused after its first write (a stale version on a row it had just created) is
/// rolled back alone, the five others are committed with their findings and audit records, and
/// the audit chain verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_group_with_one_failing_submission_commits_the_others() {
    for db in backends().await {
        let b = db.backend;
        // On PostgreSQL group commit is off by default; turned on here to test it on both.
        let store = db.store.clone().with_group_commit();
        let (c, first) = one_enterprise(&store).await;
        let mut ids = vec![first];
        ids.extend(more_enterprises(&store, &c, 5).await);
        let failing = ids[3];
        let before = store.group_stats();
        let hold = store.hold_group_writer().await.expect("group commit on");
        let mut tasks = Vec::new();
        for &e in &ids {
            let (store, c) = (store.clone(), c.clone());
            tasks.push(tokio::spawn(async move {
                // The failing one claims a version its editor cannot have seen.
                let expected = (e == failing).then_some(7);
                self_inspections::submit(
                    &store,
                    &Who::system(),
                    Edit::new(&c, e, full(&[1, 4])).expecting(expected),
                    d("2024-06-20"),
                    &Calendar::shipped(),
                )
                .await
            }));
        }
        // The writer has taken the first and waits at the gate; the other five are queued.
        while store.group_queued() < 5 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        drop(hold);
        let results: Vec<_> = futures::future::join_all(tasks)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        for (e, r) in ids.iter().zip(&results) {
            if *e == failing {
                assert!(
                    matches!(r, Err(StoreError::Refused(r)) if *r == Refusal::Stale),
                    "{b}: {r:?}"
                );
            } else {
                assert_eq!(r.as_ref().unwrap().status, Status::Submitted, "{b}");
            }
        }
        let after = store.group_stats();
        assert_eq!(after.groups - before.groups, 1, "{b}: one transaction");
        assert_eq!(after.largest, 6, "{b}");
        assert_eq!(
            (
                after.committed - before.committed,
                after.failed - before.failed
            ),
            (5, 1),
            "{b}"
        );
        for &e in &ids {
            let si = self_inspections::get(&store, c.id, e).await.unwrap();
            let scope = safeduty_core::policy::Scope::Enterprise { enterprise_id: e };
            let fs = findings::list(&store, &scope, c.id, None).await.unwrap();
            if e == failing {
                assert_eq!((si.status, si.version), (Status::NotStarted, 0), "{b}");
                assert!(fs.is_empty(), "{b}");
            } else {
                assert_eq!((si.status, si.version), (Status::Submitted, 1), "{b}");
                assert_eq!(
                    fs.iter().map(|f| f.item_number).collect::<Vec<_>>(),
                    vec![Some(1), Some(4)],
                    "{b}"
                );
            }
        }
        assert_eq!(
            safeduty_store::audit::count_events(&store, "self_inspection_submitted")
                .await
                .unwrap(),
            5,
            "{b}"
        );
        assert_eq!(
            safeduty_store::audit::count_events(&store, "finding_opened")
                .await
                .unwrap(),
            10,
            "{b}"
        );
        assert!(
            matches!(
                safeduty_store::audit::verify(&store).await.unwrap(),
                safeduty_store::audit::Verification::Intact { .. }
            ),
            "{b}"
        );
        db.cleanup().await;
    }
}
