//! Roster export stories, on SQLite and PostgreSQL: an exported file imports back with zero
//! changes (in full and masked), the export holds the scope's enterprises only, phones are
//! masked for the roles that must not see them, and each export is in the audit trail.

use safeduty_core::personal::Disclosure;
use safeduty_core::policy::Scope;
use safeduty_core::roster::{Field, Line};
use safeduty_roster::export::{Format, write};
use safeduty_store::Store;
use safeduty_store::audit::Who;
use safeduty_store::roster::export::export;
use safeduty_store::testing::backends;
use sqlx::Row;

use crate::roster_import::{case, import, stored, world};

fn column(lines: &[Line], f: Field) -> Vec<&str> {
    let i = Field::ALL.iter().position(|x| *x == f).unwrap();
    lines.iter().map(|l| l[i].as_str()).collect()
}

fn whole() -> Scope {
    Scope::RegionSubtree {
        region_path: "/".into(),
    }
}

async fn exports(store: &Store) -> Vec<(String, String)> {
    let mut tx = store.write().await.unwrap();
    let rows = sqlx::query(
        "SELECT target_id, after_state FROM audit_records WHERE event = 'roster_exported' \
         ORDER BY seq",
    )
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    rows.iter()
        .map(|r| (r.get("target_id"), r.get("after_state")))
        .collect()
}

#[tokio::test]
async fn an_export_imports_back_with_zero_changes() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        world(store).await;
        let first = import(store, &case("B01_roster_utf8_nobom.csv")).await;
        assert_eq!(first.new.len(), 5, "{b}");
        let before = stored(store).await;
        for disclosure in [Disclosure::Full, Disclosure::Masked] {
            let lines = export(store, &Who::system(), &whole(), disclosure, "xlsx")
                .await
                .unwrap();
            assert_eq!(lines.len(), 5, "{b}");
            for format in [Format::Xlsx, Format::Csv] {
                let bytes = write(format, &lines).unwrap();
                let p = import(store, &bytes).await;
                assert_eq!(p.unchanged.len(), 5, "{b} {format:?} {disclosure:?}: {p:?}");
                assert_eq!(p.writes(), 0, "{b} {format:?} {disclosure:?}");
                assert!(!p.has_rejections(), "{b} {format:?} {disclosure:?}: {p:?}");
                // The same remarks as the first import (餐饮 and 仓储物流 are not in the table).
                assert_eq!(
                    p.warnings.len(),
                    first.warnings.len(),
                    "{b}: {:?}",
                    p.warnings
                );
                assert_eq!(stored(store).await, before, "{b} {format:?} {disclosure:?}");
            }
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn phones_masked_for_the_roles_that_must_not_see_them() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        world(store).await;
        import(store, &case("B01_roster_utf8_nobom.csv")).await;
        let full = export(store, &Who::system(), &whole(), Disclosure::Full, "csv")
            .await
            .unwrap();
        let masked = export(store, &Who::system(), &whole(), Disclosure::Masked, "csv")
            .await
            .unwrap();
        let phones_full = column(&full, Field::Phone);
        let phones_masked = column(&masked, Field::Phone);
        let by_code = |lines: &[Line], code: &str| {
            lines
                .iter()
                .position(|l| l[1] == code)
                .unwrap_or_else(|| panic!("{code}"))
        };
        let m = by_code(&full, "91330106MA2BC0001U");
        let h = by_code(&full, "91330106MA2BC0002Y");
        assert_eq!(phones_full[m], "13800000001", "{b}");
        assert_eq!(phones_masked[m], "138****0001", "{b}");
        assert_eq!(phones_full[h], "0571-88880001", "{b}");
        assert_eq!(phones_masked[h], "0571-****0001", "{b}");
        // Everything else is the same.
        assert_eq!(
            column(&full, Field::Contact),
            column(&masked, Field::Contact)
        );
        assert_eq!(column(&full, Field::Name), column(&masked, Field::Name));
        let recorded = exports(store).await;
        assert_eq!(recorded.len(), 2, "{b}");
        let after: serde_json::Value = serde_json::from_str(&recorded[1].1).unwrap();
        assert_eq!(recorded[1].0, "csv");
        assert_eq!(after["enterprises"], 5);
        assert_eq!(after["phones_masked"], true);
        let after: serde_json::Value = serde_json::from_str(&recorded[0].1).unwrap();
        assert_eq!(after["phones_masked"], false);

        // A masked number of another enterprise, or of a new one, is not stored.
        let mut bad = masked.clone();
        let phone = Field::ALL.iter().position(|f| *f == Field::Phone).unwrap();
        bad[m][phone] = "139****0001".into();
        bad.truncate(1);
        let p = import(store, &write(Format::Csv, &bad).unwrap()).await;
        assert_eq!(p.rejected.len(), 1, "{b}: {p:?}");
        assert_eq!(p.rejected[0].problems[0].column, "K列（联系电话）");
        assert!(p.rejected[0].problems[0].message.contains("脱敏"), "{b}");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_export_holds_the_scope_only() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let w = world(store).await;
        import(store, &case("B01_roster_utf8_nobom.csv")).await;
        let all = stored(store).await;
        // 示例镇's enterprises, as its territorial unit sees them.
        let town = &w.towns[1];
        let lines = export(
            store,
            &Who::system(),
            &Scope::RegionSubtree {
                region_path: town.path.clone(),
            },
            Disclosure::Full,
            "xlsx",
        )
        .await
        .unwrap();
        let mut want: Vec<&str> = all
            .iter()
            .filter(|s| s.region == town.name)
            .map(|s| s.uscc.as_str())
            .collect();
        want.sort();
        assert!(!want.is_empty() && want.len() < all.len(), "{b}");
        assert_eq!(column(&lines, Field::Uscc), want, "{b}");
        assert!(
            column(&lines, Field::Region)
                .iter()
                .all(|r| *r == town.name)
        );
        // An industry department: the enterprises it supervises.
        let dept = w.departments[0];
        let lines = export(
            store,
            &Who::system(),
            &Scope::Department {
                unit_id: dept,
                region_path: w.district.path.clone(),
            },
            Disclosure::Full,
            "xlsx",
        )
        .await
        .unwrap();
        let mut want: Vec<&str> = all
            .iter()
            .filter(|s| s.department.as_deref() == Some("区应急管理局"))
            .map(|s| s.uscc.as_str())
            .collect();
        want.sort();
        assert!(!want.is_empty(), "{b}");
        assert_eq!(column(&lines, Field::Uscc), want, "{b}");
        // Fail closed.
        let none = export(
            store,
            &Who::system(),
            &Scope::Nothing,
            Disclosure::Masked,
            "csv",
        )
        .await
        .unwrap();
        assert!(none.is_empty());
        db.cleanup().await;
    }
}
