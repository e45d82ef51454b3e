//! The enterprise list's paging, search, filters and plan (issue #18 point 2, issue #19 point 4),
//! on the demo data, on each backend.

use std::collections::BTreeSet;

use safeduty_core::calendar::Calendar;
use safeduty_core::self_inspection::Status;
use safeduty_core::uscc::Uscc;
use safeduty_store::audit::Who;
use safeduty_store::findings::ledger::{self, Filter, StatusFilter};
use safeduty_store::org::{self, NewEnterprise};
use safeduty_store::paging::PageRequest;
use safeduty_store::progress::{self, ListFilter, ListSort, ListStatus};
use safeduty_store::testing::backends;
use safeduty_store::{Backend, campaigns};

use crate::support::{d, template};

#[tokio::test]
async fn enterprise_list_pages_searches_and_filters_alike_on_both_databases() {
    for db in backends().await {
        let store = &db.store;
        let b = db.backend;
        let cal = Calendar::shipped();
        let today = d("2024-06-20");
        let demo = safeduty_store::demo::seed(store, &template(), "x", today, &cal)
            .await
            .unwrap();
        let office = org::user_by_username(store, "demo-office").await.unwrap();
        let town = org::user_by_username(store, "demo-town").await.unwrap();
        let c = demo.campaign.id;
        let list = |scope, filter: ListFilter, page| async move {
            progress::enterprises(store, scope, c, &filter, today, page)
                .await
                .unwrap()
        };

        // 130 enterprises of one name written in Traditional (the same sort key), in 东湖街道.
        assert_eq!(
            list(&town.scope, ListFilter::default(), PageRequest::new(1, 1))
                .await
                .total,
            60,
            "{b}"
        );
        let region_id = town_region_id(store, &town.scope).await;
        let mut tx = store.write().await.unwrap();
        let mut ids = Vec::new();
        for i in 0..130 {
            let uscc = Uscc::with_check_char(&format!("91990101MB{:07}", 2_000_000 + i)).unwrap();
            let (id, _) = org::create_enterprise(
                &mut tx,
                &Who::system(),
                &NewEnterprise {
                    uscc: uscc.to_string(),
                    name: "東湖測試化工廠".into(),
                    industry: "危险化学品".into(),
                    region_id,
                    supervising_unit_id: None,
                    is_key: false,
                    address: String::new(),
                },
            )
            .await
            .unwrap();
            ids.push(id);
        }
        let campaign = campaigns::by_id(store, c).await.unwrap();
        campaigns::enrol(&mut tx, &Who::system(), &campaign, &ids)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        // Searched in Simplified, found in Traditional; pages of 50 neither overlap nor skip.
        let search = ListFilter {
            search: Some("东湖测试化工厂".into()),
            ..ListFilter::default()
        };
        let mut seen = BTreeSet::new();
        for p in 1..=3 {
            let page = list(&office.scope, search.clone(), PageRequest::new(p, 50)).await;
            assert_eq!(page.total, 130, "{b}");
            assert_eq!(page.pages(), 3, "{b}");
            assert_eq!(page.rows.len(), if p < 3 { 50 } else { 30 }, "{b} page {p}");
            for r in &page.rows {
                assert!(
                    seen.insert(r.enterprise.id),
                    "{b}: page {p} repeats {}",
                    r.enterprise.id
                );
            }
        }
        assert_eq!(seen, ids.iter().copied().collect(), "{b}");
        // Full-width and upper-case letters of a part of the name find the same.
        let page = list(
            &town.scope,
            ListFilter {
                search: Some("測試化工".into()),
                ..ListFilter::default()
            },
            PageRequest::default(),
        )
        .await;
        assert_eq!(page.total, 130, "{b}");

        // USCC, case-insensitive: the first demo enterprise's code in lower case finds it alone.
        let first = org::user_by_username(store, "demo-enterprise")
            .await
            .unwrap();
        let own = list(&first.scope, ListFilter::default(), PageRequest::default()).await;
        let uscc = own.rows[0].enterprise.uscc.clone();
        assert!(uscc.chars().any(|c| c.is_ascii_uppercase()), "{uscc}");
        for q in [
            uscc.to_lowercase(),
            uscc.clone(),
            uscc[4..14].to_lowercase(),
        ] {
            let page = list(
                &office.scope,
                ListFilter {
                    search: Some(q.clone()),
                    ..ListFilter::default()
                },
                PageRequest::default(),
            )
            .await;
            assert_eq!(page.total, 1, "{b}: {q}");
            assert_eq!(page.rows[0].enterprise.uscc, uscc, "{b}");
        }
        // A LIKE wildcard typed is a character, not a wildcard.
        let none = list(
            &office.scope,
            ListFilter {
                search: Some("%".into()),
                ..ListFilter::default()
            },
            PageRequest::default(),
        )
        .await;
        assert_eq!(none.total, 0, "{b}");

        // The filters' counts on the demo data agree with the overview's counters (the 130
        // added have not started and have no findings).
        let ov = progress::overview(store, &office.scope, c, today)
            .await
            .unwrap();
        assert_eq!(ov.total.enrolled, 430, "{b}");
        for (status, expected) in [
            (Status::NotStarted, ov.total.not_started),
            (Status::Draft, ov.total.draft),
            (Status::Submitted, ov.total.submitted),
        ] {
            let page = list(
                &office.scope,
                ListFilter {
                    status: Some(ListStatus::SelfInspection(status)),
                    ..ListFilter::default()
                },
                PageRequest::default(),
            )
            .await;
            assert_eq!(page.total, expected, "{b}: {status:?}");
            assert!(page.rows.iter().all(|r| r.status == status), "{b}");
        }
        assert_eq!(
            ov.total.not_started + ov.total.draft + ov.total.submitted,
            430,
            "{b}"
        );
        // Enterprises with open / overdue findings: those of the ledger, counted apart.
        for (status, overdue) in [
            (ListStatus::FindingsOpen, None),
            (ListStatus::FindingsOverdue, Some(true)),
        ] {
            let findings = ledger::query(
                store,
                &office.scope,
                c,
                &Filter {
                    status: Some(StatusFilter::Unclosed),
                    overdue,
                    ..Filter::default()
                },
                today,
                None,
            )
            .await
            .unwrap();
            let with: BTreeSet<String> = findings
                .rows
                .iter()
                .map(|f| f.enterprise_name.clone())
                .collect();
            assert!(!with.is_empty(), "{b}");
            let page = list(
                &office.scope,
                ListFilter {
                    status: Some(status),
                    ..ListFilter::default()
                },
                PageRequest::new(1, 200),
            )
            .await;
            let names: BTreeSet<String> = page
                .rows
                .iter()
                .map(|r| r.enterprise.name.clone())
                .collect();
            assert_eq!(names, with, "{b}: {status:?}");
            let counted: i64 = page
                .rows
                .iter()
                .map(|r| match status {
                    ListStatus::FindingsOverdue => r.findings_overdue,
                    _ => r.findings_open,
                })
                .sum();
            assert_eq!(counted, findings.total, "{b}: {status:?}");
        }
        // Industry and region.
        let page = list(
            &office.scope,
            ListFilter {
                industry: Some("非煤矿山".into()),
                ..ListFilter::default()
            },
            PageRequest::default(),
        )
        .await;
        assert_eq!(page.total, 40, "{b}");
        let page = list(
            &office.scope,
            ListFilter {
                region_id: Some(region_id),
                industry: Some("危险化学品".into()),
                ..ListFilter::default()
            },
            PageRequest::default(),
        )
        .await;
        // 东湖街道's 8 of the demo's 40 and the 130 added.
        assert_eq!(page.total, 138, "{b}");

        // Pinyin order: each page's names in order of their pinyin keys.
        let page = list(&town.scope, ListFilter::default(), PageRequest::new(1, 200)).await;
        let keys: Vec<String> = page
            .rows
            .iter()
            .map(|r| safeduty_store::keys::pinyin_key(&r.enterprise.name))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{b}");
        let by_region = list(
            &office.scope,
            ListFilter {
                sort: ListSort::Region,
                ..ListFilter::default()
            },
            PageRequest::new(1, 200),
        )
        .await;
        assert_eq!(by_region.rows[0].enterprise.region_name, "东湖街道", "{b}");

        // Plans: the town's list reads its enterprises through an index, not a full scan.
        store.analyze().await.unwrap();
        for scope in [&town.scope, &office.scope] {
            let plan = progress::explain_enterprises(store, scope, c, &search, today)
                .await
                .unwrap();
            match store.backend() {
                Backend::Sqlite => assert!(
                    !plan.lines().any(|l| l.trim() == "SCAN e"),
                    "{b}: a full scan of enterprises:\n{plan}"
                ),
                Backend::Postgres => assert!(
                    !plan.contains("Seq Scan on enterprises"),
                    "{b}: a full scan of enterprises:\n{plan}"
                ),
            }
        }
        let plan =
            progress::explain_enterprises(store, &town.scope, c, &ListFilter::default(), today)
                .await
                .unwrap();
        match store.backend() {
            Backend::Sqlite => assert!(
                plan.contains("USING INDEX enterprises_region"),
                "{b}:\n{plan}"
            ),
            Backend::Postgres => assert!(plan.contains("enterprises_region"), "{b}:\n{plan}"),
        }
        db.cleanup().await;
    }
}

/// The region of a territorial officer's unit.
async fn town_region_id(
    store: &safeduty_store::Store,
    scope: &safeduty_core::policy::Scope,
) -> i64 {
    let safeduty_core::policy::Scope::RegionSubtree { region_path } = scope else {
        panic!("a territorial scope, not {scope:?}");
    };
    org::regions_under(store, region_path).await.unwrap()[0].id
}
