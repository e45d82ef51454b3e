//! The city-scale generator (`safeduty demo --scale`): the shape it promises, valid codes, every
//! state, an intact audit trail, and the same store for the same size.

use safeduty_core::calendar::Calendar;
use safeduty_core::uscc::Uscc;
use safeduty_store::city::{self, Size};
use safeduty_store::testing::backends;
use safeduty_store::{audit, org, progress};

use crate::support::{d, template};

#[tokio::test]
async fn a_city_of_120_enterprises_has_its_shape_codes_and_states() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let cal = Calendar::shipped();
        let today = d("2024-06-20");
        let size = Size {
            enterprises: 120,
            today,
            concurrency: 4,
        };
        let c = city::generate(store, &template(), "x", &cal, size, &|_, _, _| {})
            .await
            .unwrap();
        // 1 city office + 1 district office + 4 departments + 10 towns + 120 enterprises.
        assert_eq!(
            (c.districts, c.enterprises, c.accounts),
            (1, 120, 136),
            "{b}"
        );
        assert_eq!((c.submitted, c.drafts, c.findings), (52, 22, 11), "{b}");

        // Read inside a write transaction that is dropped (rolled back): the tests' way to SQL.
        let mut tx = store.write().await.unwrap();
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT uscc, name FROM enterprises ORDER BY id")
                .fetch_all(&mut *tx)
                .await
                .unwrap();
        assert_eq!(rows.len(), 120, "{b}");
        assert!(rows.iter().all(|(u, _)| Uscc::parse(u).is_ok()), "{b}");
        assert_eq!(rows[0].1, "东城恒远瑞丰矿业有限公司", "{b}");
        let names: std::collections::BTreeSet<_> = rows.iter().map(|r| &r.1).collect();
        assert_eq!(names.len(), 120, "{b}: names are unique");
        assert!(
            names.iter().all(|n| !n.chars().any(|c| c.is_ascii_digit())),
            "{b}"
        );

        let states: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM findings GROUP BY status ORDER BY status")
                .fetch_all(&mut *tx)
                .await
                .unwrap();
        drop(tx);
        assert_eq!(
            states,
            [
                ("open".into(), 4),
                ("plan_accepted".into(), 3),
                ("rectifying".into(), 4)
            ],
            "{b}"
        );

        // The district office sees every enterprise of the city campaign.
        let office = org::user_by_username(store, "d01-office").await.unwrap();
        let ov = progress::overview(store, &office.scope, c.campaign.id, today)
            .await
            .unwrap();
        assert_eq!(ov.total.enrolled, 120, "{b}");
        assert_eq!((ov.total.submitted, ov.total.draft), (52, 22), "{b}");
        let town = org::user_by_username(store, "d01-t01").await.unwrap();
        let ov = progress::overview(store, &town.scope, c.campaign.id, today)
            .await
            .unwrap();
        assert_eq!(ov.total.enrolled, 12, "{b}: a tenth of the district");

        assert!(
            matches!(
                audit::verify(store).await.unwrap(),
                audit::Verification::Intact { .. }
            ),
            "{b}"
        );
        // Not twice.
        assert!(
            city::generate(store, &template(), "x", &cal, size, &|_, _, _| {})
                .await
                .is_err(),
            "{b}"
        );
        db.cleanup().await;
    }
}
