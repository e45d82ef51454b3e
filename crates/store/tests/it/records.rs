//! Enterprise records: create, list newest first, edit with a stale-page check, every change
//! audited, drills read back for the frequency check (item 17) — "met" for a key unit whose drills
//! meet every frequency, "not met" naming the missing drill for a single on-site drill.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use safeduty_core::drills::{self, PlanKind};
use safeduty_core::records::{RecordKind, RecordValues, parse};
use safeduty_store::audit::{self, Who};
use safeduty_store::org::{self, NewEnterprise};
use safeduty_store::testing::backends;
use safeduty_store::{Store, StoreError, records};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn two_enterprises(store: &Store) -> (i64, i64) {
    let who = Who::system();
    let mut tx = store.write().await.unwrap();
    let r = org::create_region(&mut tx, &who, None, "99", "示例省", "province")
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (uscc, name) in [
        ("91990101MA00000015", "甲企业"),
        ("91990101MA00000023", "乙企业"),
    ] {
        let (id, _) = org::create_enterprise(
            &mut tx,
            &who,
            &NewEnterprise {
                uscc: uscc.into(),
                name: name.into(),
                industry: "危险化学品".into(),
                region_id: r.id,
                supervising_unit_id: None,
                is_key: false,
                address: String::new(),
            },
        )
        .await
        .unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    (ids[0], ids[1])
}

fn drill(on: &str, kind: &str, title: &str) -> RecordValues {
    let form: BTreeMap<String, String> = [
        ("held_on", on),
        ("plan_kind", kind),
        ("title", title),
        ("form", "practical"),
        ("participant_count", "20"),
        ("evaluation", "评估完成"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
    .collect();
    parse(RecordKind::Drill, &form, d("2024-06-20")).unwrap()
}

#[tokio::test]
async fn drills_on_record_answer_item_17() {
    for db in backends().await {
        let store = &db.store;
        let (key_unit, single) = two_enterprises(store).await;
        let who = Who::system();
        let before = audit::count_events(store, "record_saved").await.unwrap();
        for (on, kind) in [
            ("2023-09-15", "comprehensive"),
            ("2024-03-20", "special"),
            ("2023-08-10", "on_site"),
            ("2024-05-28", "on_site"),
        ] {
            records::create(store, &who, key_unit, &drill(on, kind, "演练"))
                .await
                .unwrap();
        }
        records::create(
            store,
            &who,
            single,
            &drill("2024-04-10", "on_site", "叉车伤害现场处置方案"),
        )
        .await
        .unwrap();
        assert_eq!(
            audit::count_events(store, "record_saved").await.unwrap(),
            before + 5
        );
        let listed = records::list(store, key_unit, RecordKind::Drill)
            .await
            .unwrap();
        assert_eq!(
            listed
                .iter()
                .map(|r| r.date.to_string())
                .collect::<Vec<_>>(),
            ["2024-05-28", "2024-03-20", "2023-09-15", "2023-08-10"],
            "{}",
            db.backend
        );
        // A chemical enterprise is a key unit: half-yearly for every plan.
        assert!(drills::is_key_unit(false, "危险化学品"));
        let met = drills::check(
            &records::drills(store, key_unit).await.unwrap(),
            true,
            d("2024-06-20"),
        );
        assert!(met.met(), "{}", met.summary());
        let not_met = drills::check(
            &records::drills(store, single).await.unwrap(),
            false,
            d("2024-06-20"),
        );
        assert_eq!(
            not_met.summary(),
            "近12个月应急演练频次未达要求：2023-06-21至2024-06-20期间缺少综合或专项应急预案演练；\
             2023-06-21至2023-12-20期间缺少现场处置方案演练"
        );
        assert_eq!(
            records::drills(store, single).await.unwrap()[0].plan,
            PlanKind::OnSite
        );
        assert_eq!(
            records::counts(store, key_unit).await.unwrap().get("drill"),
            Some(&4)
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn edits_check_the_version_and_the_owner() {
    for db in backends().await {
        let store = &db.store;
        let (a, b) = two_enterprises(store).await;
        let who = Who::system();
        let r = records::create(store, &who, a, &drill("2024-05-01", "special", "原名称"))
            .await
            .unwrap();
        let edited = records::update(
            store,
            &who,
            a,
            &r.public_id,
            1,
            &drill("2024-05-02", "special", "新名称"),
        )
        .await
        .unwrap();
        assert_eq!(edited.version, 2);
        // A second window still at version 1: conflict, nothing written.
        assert!(matches!(
            records::update(
                store,
                &who,
                a,
                &r.public_id,
                1,
                &drill("2024-05-03", "special", "过期")
            )
            .await,
            Err(StoreError::Conflict(_))
        ));
        // Another enterprise's record: not found.
        assert!(matches!(
            records::update(
                store,
                &who,
                b,
                &r.public_id,
                2,
                &drill("2024-05-03", "special", "越权")
            )
            .await,
            Err(StoreError::NotFound)
        ));
        let now = records::by_public_id(store, &r.public_id).await.unwrap();
        assert_eq!(
            (now.title.as_str(), now.date, now.version),
            ("新名称", d("2024-05-02"), 2)
        );
        db.cleanup().await;
    }
}
