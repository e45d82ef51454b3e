//! The demo seed and the scoped read models over it.

use safeduty_core::calendar::Calendar;
use safeduty_core::policy::Scope;
use safeduty_core::self_inspection::Status;
use safeduty_store::org;
use safeduty_store::progress;
use safeduty_store::testing::backends;

use crate::support::{d, template};

/// Every enterprise of a list (one page of the most rows a page may hold: the demo's scopes
/// hold fewer).
async fn all_enterprises(
    store: &safeduty_store::Store,
    scope: &Scope,
    campaign_id: i64,
    today: chrono::NaiveDate,
) -> Vec<progress::EnterpriseProgress> {
    let page = progress::enterprises(
        store,
        scope,
        campaign_id,
        &progress::ListFilter::default(),
        today,
        safeduty_store::paging::PageRequest::new(1, safeduty_store::paging::MAX_PER_PAGE),
    )
    .await
    .unwrap();
    assert_eq!(page.total, page.rows.len() as i64);
    page.rows
}

#[tokio::test]
async fn demo_seed_gives_every_state_and_scopes_filter_in_the_query() {
    for db in backends().await {
        let store = &db.store;
        let b = db.backend;
        let cal = Calendar::shipped();
        let today = d("2024-06-20");
        let demo = safeduty_store::demo::seed(store, &template(), "x", today, &cal)
            .await
            .unwrap();
        assert_eq!(demo.enterprises, 300);

        let office = org::user_by_username(store, "demo-office").await.unwrap();
        let ov = progress::overview(store, &office.scope, demo.campaign.id, today)
            .await
            .unwrap();
        assert_eq!(ov.total.enrolled, 300, "{b}");
        assert!(
            ov.total.submitted > 50 && ov.total.draft > 20 && ov.total.not_started > 50,
            "{b}: {:?}",
            ov.total
        );
        assert_eq!(ov.by_region.len(), 5, "{b}");
        assert_eq!(ov.by_industry.len(), 8, "{b}");
        assert_eq!(
            ov.by_industry.iter().map(|g| g.enrolled).sum::<i64>(),
            300,
            "{b}"
        );
        assert!(
            ov.findings_open > 0 && ov.findings_overdue > 0,
            "{b}: {ov:?}"
        );
        assert!(ov.findings_overdue < ov.findings_open, "{b}");

        // Territorial officer: only 东湖街道's 60 enterprises.
        let town = org::user_by_username(store, "demo-town").await.unwrap();
        let list = all_enterprises(store, &town.scope, demo.campaign.id, today).await;
        assert_eq!(list.len(), 60, "{b}");
        assert!(
            list.iter().all(|e| e.enterprise.region_name == "东湖街道"),
            "{b}"
        );

        // Department: only what it supervises (非煤矿山, 危险化学品, 烟花爆竹, 工贸).
        let dept = org::user_by_username(store, "demo-dept").await.unwrap();
        assert!(matches!(dept.scope, Scope::Department { .. }));
        let list = all_enterprises(store, &dept.scope, demo.campaign.id, today).await;
        assert!(!list.is_empty());
        assert!(
            list.iter()
                .all(|e| ["非煤矿山", "危险化学品", "烟花爆竹", "工贸"]
                    .contains(&e.enterprise.industry.as_str())),
            "{b}"
        );
        // Industries rotate in blocks of 5 enterprises: 非煤矿山, 危险化学品, 烟花爆竹 get 40 each, 工贸 35.
        assert_eq!(list.len(), 155, "{b}");

        // Enterprise user: itself, not started (left for visitors).
        let ent = org::user_by_username(store, "demo-enterprise")
            .await
            .unwrap();
        let list = all_enterprises(store, &ent.scope, demo.campaign.id, today).await;
        assert_eq!(list.len(), 1, "{b}");
        assert_eq!(list[0].status, Status::NotStarted, "{b}");

        // Fail closed.
        let none = all_enterprises(store, &Scope::Nothing, demo.campaign.id, today).await;
        assert!(none.is_empty());

        // A second seed is refused and changes nothing.
        assert!(
            safeduty_store::demo::seed(store, &template(), "x", today, &cal)
                .await
                .is_err()
        );
        db.cleanup().await;
    }
}

/// Two districts, each with its campaign: every actor works in the campaign of its own region,
/// never in the newer one of the other district; the reminders job walks both.
#[tokio::test]
async fn each_actor_works_in_the_campaign_of_its_own_region() {
    for db in backends().await {
        let store = &db.store;
        let b = db.backend;
        let cal = Calendar::shipped();
        let demo = safeduty_store::demo::seed(store, &template(), "x", d("2024-06-20"), &cal)
            .await
            .unwrap();
        let district = org::region_by_id(store, demo.campaign.region_id)
            .await
            .unwrap();
        let city = org::region_by_id(store, district.parent_id.unwrap())
            .await
            .unwrap();
        let who = safeduty_store::audit::Who::system();
        let mut tx = store.write().await.unwrap();
        let other = org::create_region(&mut tx, &who, Some(&city), "450199", "另一区", "district")
            .await
            .unwrap();
        let newer = safeduty_store::campaigns::create(
            &mut tx,
            &who,
            "另一区专项治理",
            2024,
            other.id,
            &template(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let current = |scope: Scope| async move {
            safeduty_store::campaigns::current_for(store, &scope)
                .await
                .unwrap()
                .map(|c| c.name)
        };
        for user in ["demo-office", "demo-town", "demo-dept", "demo-enterprise"] {
            let u = org::user_by_username(store, user).await.unwrap();
            assert_eq!(
                current(u.scope).await.as_deref(),
                Some(demo.campaign.name.as_str()),
                "{b}: {user}"
            );
        }
        let other_office = Scope::RegionSubtree {
            region_path: other.path.clone(),
        };
        assert_eq!(
            current(other_office).await.as_deref(),
            Some("另一区专项治理"),
            "{b}"
        );
        // A city office sees the newest campaign of its districts; no scope, none.
        let city_office = Scope::RegionSubtree {
            region_path: city.path.clone(),
        };
        assert_eq!(
            current(city_office).await.as_deref(),
            Some("另一区专项治理"),
            "{b}"
        );
        assert_eq!(current(Scope::Nothing).await, None, "{b}");

        let running: Vec<i64> = safeduty_store::campaigns::current_per_region(store)
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(running, vec![demo.campaign.id, newer.id], "{b}");
        db.cleanup().await;
    }
}
