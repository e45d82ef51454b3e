//! Holiday arrangements loaded at run time replace the shipped year, only when they differ.

use safeduty_store::audit::Who;
use safeduty_store::calendar::{NoticeIdentity, SaveOutcome, effective, save_year};
use safeduty_store::testing::backends;

use crate::support::d;

#[tokio::test]
async fn a_loaded_year_replaces_the_shipped_one_only_when_it_differs() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let who = Who::system();
        let id = NoticeIdentity {
            source: "test".into(),
            ..NoticeIdentity::default()
        };
        let shipped = effective(store).await.unwrap();
        let y2025 = shipped.year(2025).unwrap().clone();
        assert_eq!(
            save_year(store, &who, 2025, &y2025, &id).await.unwrap(),
            SaveOutcome::Unchanged,
            "{b}"
        );

        // 2027 is not shipped: provisional until loaded.
        assert!(shipped.add_working_days(d("2026-12-29"), 5).provisional);
        let mut y2027 = safeduty_core::calendar::YearArrangement::default();
        y2027
            .days_off
            .extend([d("2027-01-01"), d("2027-01-02"), d("2027-01-03")]);
        assert_eq!(
            save_year(store, &who, 2027, &y2027, &id).await.unwrap(),
            SaveOutcome::Added,
            "{b}"
        );
        let cal = effective(store).await.unwrap();
        let r = cal.add_working_days(d("2026-12-29"), 5);
        assert_eq!((r.date, r.provisional), (d("2027-01-06"), false), "{b}");

        // A changed year is replaced and the change is reported.
        let mut changed = y2025.clone();
        changed.make_up_days.insert(d("2025-01-04"));
        let SaveOutcome::Replaced(diff) =
            save_year(store, &who, 2025, &changed, &id).await.unwrap()
        else {
            panic!("{b}: expected a replacement")
        };
        assert_eq!(diff.make_up_added, vec![d("2025-01-04")], "{b}");
        assert!(
            effective(store)
                .await
                .unwrap()
                .is_working_day(d("2025-01-04")),
            "{b}"
        );
        assert_eq!(
            safeduty_store::audit::count_events(store, "calendar_year_loaded")
                .await
                .unwrap(),
            2,
            "{b}"
        );
        db.cleanup().await;
    }
}
