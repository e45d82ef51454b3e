//! Roster import stories (B01, B03, B05, B07, B08 and more), on SQLite and PostgreSQL: preview,
//! apply all-or-nothing, field-by-field changes, scope, audit records, enrolment.

use std::path::PathBuf;

use safeduty_core::policy::UnitKind;
use safeduty_core::roster::Field;
use safeduty_core::roster::layout::{Layout, locate};
use safeduty_store::audit::{self, Verification, Who};
use safeduty_store::campaigns::{self, Campaign};
use safeduty_store::org::{self, Region};
use safeduty_store::roster::{self, ImportScope, Preview};
use safeduty_store::testing::backends;
use safeduty_store::{Store, StoreError};
use sqlx::Row;

use crate::support::template;

pub(crate) fn case(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../roster/tests/cases")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub(crate) fn layout(bytes: &[u8]) -> Layout {
    locate(&safeduty_roster::read(bytes).unwrap().grid).unwrap()
}

pub(crate) struct World {
    pub(crate) district: Region,
    pub(crate) towns: Vec<Region>,
    pub(crate) campaign: Campaign,
    /// 区应急管理局 (危险化学品), 区经济和信息化局 (工贸), 区住房和城乡建设局 (建筑施工).
    pub(crate) departments: Vec<i64>,
}

/// 示例省/示例市/示例区 with 示例街道, 示例镇, 示例乡 (and five coded villages for B05), three
/// industry departments, a campaign of the district.
pub(crate) async fn world(store: &Store) -> World {
    let who = Who::system();
    let mut tx = store.write().await.unwrap();
    let p = org::create_region(&mut tx, &who, None, "33", "示例省", "province")
        .await
        .unwrap();
    let c = org::create_region(&mut tx, &who, Some(&p), "3301", "示例市", "city")
        .await
        .unwrap();
    let d = org::create_region(&mut tx, &who, Some(&c), "330106", "示例区", "district")
        .await
        .unwrap();
    let mut towns = Vec::new();
    for (code, name, kind) in [
        ("330106901", "示例街道", "subdistrict"),
        ("330106902", "示例镇", "town"),
        ("330106903", "示例乡", "town"),
        ("330106001", "示例一镇", "town"),
        ("330106002", "示例二镇", "town"),
        ("330106003", "示例三镇", "town"),
        ("330106004", "示例四镇", "town"),
        ("330106005", "示例五镇", "town"),
    ] {
        let r = org::create_region(&mut tx, &who, Some(&d), code, name, kind)
            .await
            .unwrap();
        org::create_unit(&mut tx, &who, UnitKind::Territorial, name, r.id, None)
            .await
            .unwrap();
        towns.push(r);
    }
    let mut departments = Vec::new();
    for (name, industry) in [
        ("区应急管理局", "危险化学品"),
        ("区经济和信息化局", "工贸"),
        ("区住房和城乡建设局", "建筑施工"),
    ] {
        let u = org::create_unit(
            &mut tx,
            &who,
            UnitKind::IndustryDepartment,
            name,
            d.id,
            Some(industry),
        )
        .await
        .unwrap();
        departments.push(u.id);
    }
    let campaign = campaigns::create(&mut tx, &who, "2025年专项治理", 2025, d.id, &template())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    World {
        district: d,
        towns,
        campaign,
        departments,
    }
}

/// One stored enterprise's roster fields, for comparisons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stored {
    pub(crate) uscc: String,
    name: String,
    industry: String,
    industry_detail: String,
    pub(crate) region: String,
    pub(crate) department: Option<String>,
    contact: String,
    phone: String,
    updated_at: String,
}

pub(crate) async fn stored(store: &Store) -> Vec<Stored> {
    let mut tx = store.write().await.unwrap();
    let rows = sqlx::query(
        "SELECT e.uscc, e.name, e.industry, e.industry_detail, r.name AS region, u.name AS dept, \
         e.contact, e.phone, e.updated_at FROM enterprises e JOIN regions r ON r.id = e.region_id \
         LEFT JOIN units u ON u.id = e.supervising_unit_id ORDER BY e.uscc",
    )
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    rows.iter()
        .map(|r| Stored {
            uscc: r.get("uscc"),
            name: r.get("name"),
            industry: r.get("industry"),
            industry_detail: r.get("industry_detail"),
            region: r.get("region"),
            department: r.get("dept"),
            contact: r.get("contact"),
            phone: r.get("phone"),
            updated_at: r.get("updated_at"),
        })
        .collect()
}

async fn count(store: &Store, sql: &'static str) -> i64 {
    let mut tx = store.write().await.unwrap();
    let n: i64 = sqlx::query_scalar(sql).fetch_one(&mut *tx).await.unwrap();
    tx.rollback().await.unwrap();
    n
}

pub(crate) async fn import(store: &Store, bytes: &[u8]) -> Preview {
    roster::apply(
        store,
        &Who::system(),
        &ImportScope::whole_store(),
        &layout(bytes),
        None,
    )
    .await
    .unwrap()
    .preview
}

#[tokio::test]
async fn b01_three_encodings_import_the_same_five_enterprises() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let w = world(store).await;
        let first = import(store, &case("B01_roster_utf8_nobom.csv")).await;
        assert_eq!(first.new.len(), 5, "{b}: {first:?}");
        assert!(!first.has_rejections(), "{b}");
        let after_first = stored(store).await;
        for other in ["B01_roster_utf8_bom.csv", "B01_roster_gbk.csv"] {
            let p = import(store, &case(other)).await;
            assert_eq!(p.unchanged.len(), 5, "{b} {other}: {p:?}");
            assert_eq!(p.writes(), 0, "{b} {other}");
            assert_eq!(stored(store).await, after_first, "{b} {other}");
        }
        let e = &after_first;
        assert_eq!(e.len(), 5);
        let by = |code: &str| e.iter().find(|s| s.uscc == code).unwrap();
        let m = by("91330106MA2BC0001U");
        assert_eq!(m.name, "杭州示例机械制造有限公司");
        assert_eq!(
            (m.industry.as_str(), m.industry_detail.as_str()),
            ("工贸", "机械制造")
        );
        assert_eq!(m.region, "示例街道");
        assert_eq!(
            m.department.as_deref(),
            Some("区经济和信息化局"),
            "defaulted from 工贸"
        );
        assert_eq!(
            (m.contact.as_str(), m.phone.as_str()),
            ("联系人甲", "13800000001")
        );
        let h = by("91330106MA2BC0002Y");
        assert_eq!(h.name, "示例化工（杭州）有限公司");
        assert_eq!(h.department.as_deref(), Some("区应急管理局"));
        assert_eq!(h.phone, "0571-88880001");
        assert_eq!(
            by("91330106MA2BC00058").department.as_deref(),
            Some("区住房和城乡建设局")
        );
        // 餐饮 and 仓储物流 are not in the table: 其他, with a warning, no department.
        let c = by("91330106MA2BC00032");
        assert_eq!(
            (c.industry.as_str(), c.department.as_deref()),
            ("其他", None)
        );
        assert_eq!(by("91330106MA2BC00045").industry, "其他");
        let warned: Vec<u32> = first
            .warnings
            .iter()
            .filter(|p| p.message.contains("不在行业对照表中"))
            .map(|p| p.row)
            .collect();
        assert_eq!(warned, [4, 5], "{b}");
        // Enrolled in the district's campaign; five creation records and a summary; chain intact.
        let ids: Vec<i64> = {
            let mut tx = store.write().await.unwrap();
            let v = sqlx::query_scalar("SELECT id FROM enterprises ORDER BY id")
                .fetch_all(&mut *tx)
                .await
                .unwrap();
            tx.rollback().await.unwrap();
            v
        };
        for id in ids {
            assert!(
                campaigns::is_enrolled(store, w.campaign.id, id)
                    .await
                    .unwrap(),
                "{b}"
            );
        }
        assert_eq!(
            audit::count_events(store, "roster_imported").await.unwrap(),
            1,
            "{b}"
        );
        assert_eq!(
            count(
                store,
                "SELECT COUNT(*) FROM audit_records WHERE target_kind = 'enterprise'"
            )
            .await,
            5,
            "{b}"
        );
        assert!(matches!(
            audit::verify(store).await.unwrap(),
            Verification::Intact { .. }
        ));
        let _ = &w.district;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn b03_title_and_footer_lines_are_not_enterprises() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        world(store).await;
        let p = import(store, &case("B03_roster_title_and_footer_rows.csv")).await;
        assert_eq!(p.header_row, 3, "{b}");
        assert_eq!(
            p.new.iter().map(|r| r.row).collect::<Vec<_>>(),
            [4, 5, 6, 7, 8]
        );
        assert!(p.rejected.is_empty(), "{b}: {:?}", p.rejected);
        assert_eq!(p.skipped.len(), 2);
        assert_eq!(stored(store).await.len(), 5);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn b05_codes_stay_exact_and_mangled_numbers_are_rejected_with_row_and_column() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        world(store).await;
        let p = import(store, &case("B05_identifiers_as_numbers.csv")).await;
        let new: Vec<(u32, &str)> = p.new.iter().map(|r| (r.row, r.uscc.as_str())).collect();
        assert_eq!(
            new,
            [
                (2, "913301067314159280"),
                (3, "913301067314159293"),
                (5, "91330106MA2BC00045")
            ],
            "{b}"
        );
        assert_eq!(p.rejected.len(), 2, "{b}");
        let code = &p.rejected[0];
        assert_eq!(
            (code.row, code.problems[0].column.as_str()),
            (4, "B列（统一社会信用代码）")
        );
        assert!(code.problems[0].message.contains("科学计数法"));
        let phone = &p.rejected[1];
        assert_eq!(
            (phone.row, phone.problems[0].column.as_str()),
            (6, "E列（联系电话）")
        );
        assert!(phone.problems[0].message.contains("1.38E+10"));
        // Region by code (镇街代码), phone kept as text with its leading zero.
        let s = stored(store).await;
        let first = s.iter().find(|e| e.uscc == "913301067314159280").unwrap();
        assert_eq!(
            (first.region.as_str(), first.phone.as_str()),
            ("示例一镇", "057188880002")
        );
        assert!(!s.iter().any(|e| e.uscc.starts_with('\'')));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn b07_spaces_and_full_width_are_cleaned_before_storing() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        world(store).await;
        let p = import(store, &case("B07_whitespace_fullwidth.csv")).await;
        assert_eq!(p.new.len(), 5, "{b}: {:?}", p.rejected);
        let s = stored(store).await;
        let codes: Vec<&str> = s.iter().map(|e| e.uscc.as_str()).collect();
        assert_eq!(
            codes,
            [
                "91330106MA2BC0001U",
                "91330106MA2BC0002Y",
                "91330106MA2BC00032",
                "91330106MA2BC00045",
                "91330106MA2BC00058"
            ]
        );
        let phones: Vec<&str> = s.iter().map(|e| e.phone.as_str()).collect();
        assert_eq!(
            phones,
            [
                "13800000001",
                "0571-88880001",
                "13800000003",
                "13800000004",
                "13800000005"
            ]
        );
        assert_eq!(s[0].name, "杭州示例机械制造有限公司");
        assert_eq!(s[2].name, "示例餐饮管理有限公司第一分店");
        assert_eq!(s[4].region, "示例镇");
        // The same enterprises from B01: matched on the code, only what differs changes.
        let p = roster::preview(
            store,
            &ImportScope::whole_store(),
            &layout(&case("B01_roster_utf8_bom.csv")),
        )
        .await
        .unwrap();
        assert_eq!(p.new.len() + p.rejected.len(), 0, "{b}");
        assert_eq!(
            p.changed.len(),
            5,
            "industry and contact were missing from B07"
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn b08_code_checks_and_blank_codes_never_merge() {
    let codes = String::from_utf8(case("B08_credit_code_checksum.csv")).unwrap();
    let mut csv = String::from("企业名称,统一社会信用代码,镇街\n");
    for (i, line) in codes.lines().skip(1).enumerate() {
        let code = line.split(',').next().unwrap();
        csv.push_str(&format!("示例企业{i},{code},示例镇\n"));
    }
    csv.push_str("另一家无代码企业,,示例镇\n");
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        world(store).await;
        let p = import(store, csv.as_bytes()).await;
        let new: Vec<&str> = p.new.iter().map(|r| r.uscc.as_str()).collect();
        assert_eq!(
            new,
            [
                "91330106MA2BC0006B",
                "91330106MA2BC0006C",
                "12330106MB0000012H"
            ],
            "{b}"
        );
        assert_eq!(p.warnings.len(), 1, "{b}: {:?}", p.warnings);
        assert_eq!(p.warnings[0].row, 3);
        assert!(p.warnings[0].message.contains("校验位"));
        let rejected: Vec<(u32, bool)> = p
            .rejected
            .iter()
            .map(|r| (r.row, r.problems[0].column == "B列（统一社会信用代码）"))
            .collect();
        assert_eq!(
            rejected,
            [(4, true), (5, true), (7, true), (8, true), (9, true)],
            "{b}"
        );
        assert!(p.rejected[0].problems[0].message.contains("数字0"));
        assert!(p.rejected[2].problems[0].message.contains("15位"));
        assert!(p.rejected[3].problems[0].message.contains("为空"));
        assert_eq!(
            stored(store).await.len(),
            3,
            "blank codes create nothing, merge nothing"
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn changes_are_shown_field_by_field_and_audited() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        world(store).await;
        import(store, &case("B01_roster_utf8_nobom.csv")).await;
        let edited = String::from_utf8(case("B01_roster_utf8_nobom.csv"))
            .unwrap()
            .replace("13800000001", "13900000009")
            .replace("餐饮,示例街道", "餐饮,示例乡");
        let l = layout(edited.as_bytes());
        let p = roster::preview(store, &ImportScope::whole_store(), &l)
            .await
            .unwrap();
        assert_eq!(p.unchanged.len(), 3, "{b}");
        let changes: Vec<(u32, &str, &str, &str)> = p
            .changed
            .iter()
            .flat_map(|r| {
                r.changes
                    .iter()
                    .map(move |c| (r.row, c.label, c.before.as_str(), c.after.as_str()))
            })
            .collect();
        assert_eq!(
            changes,
            [
                (2, "联系电话", "13800000001", "13900000009"),
                (4, "镇街", "示例街道", "示例乡")
            ],
            "{b}"
        );
        // Nothing written by a preview.
        assert_eq!(stored(store).await[0].phone, "13800000001");
        let applied = roster::apply(
            store,
            &Who::system(),
            &ImportScope::whole_store(),
            &l,
            Some(&p.fingerprint),
        )
        .await
        .unwrap();
        assert_eq!((applied.created, applied.updated), (0, 2));
        assert_eq!(stored(store).await[0].phone, "13900000009");
        assert_eq!(
            audit::count_events(store, "updated").await.unwrap(),
            2,
            "{b}"
        );
        // The fingerprint of the old preview no longer matches: refused, nothing written.
        let before = stored(store).await;
        let again = String::from_utf8(case("B01_roster_utf8_nobom.csv")).unwrap();
        let err = roster::apply(
            store,
            &Who::system(),
            &ImportScope::whole_store(),
            &layout(again.as_bytes()),
            Some(&p.fingerprint),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{b}: {err}");
        assert_eq!(stored(store).await, before);
        db.cleanup().await;
    }
}

/// A trigger that fails the insert of one code: a failure in the middle of an apply.
async fn fail_on_insert_of(store: &Store, backend: &str, code: &str) {
    let mut tx = store.write().await.unwrap();
    let statements: Vec<String> = if backend == "postgres" {
        vec![
            format!(
                "CREATE FUNCTION fail_late() RETURNS trigger AS $body$ BEGIN \
                 IF NEW.uscc = '{code}' THEN RAISE EXCEPTION 'injected failure'; END IF; \
                 RETURN NEW; END $body$ LANGUAGE plpgsql"
            ),
            "CREATE TRIGGER fail_late BEFORE INSERT ON enterprises FOR EACH ROW \
             EXECUTE FUNCTION fail_late()"
                .into(),
        ]
    } else {
        vec![format!(
            "CREATE TRIGGER fail_late BEFORE INSERT ON enterprises WHEN NEW.uscc = '{code}' \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )]
    };
    for s in statements {
        sqlx::query(sqlx::AssertSqlSafe(s))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_failure_midway_leaves_the_data_exactly_as_before() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        world(store).await;
        import(store, &case("B01_roster_utf8_nobom.csv")).await;
        // Row 2 changes a phone, rows 3–5 are new, row 6 (the last) fails on insert.
        let late = safeduty_core::uscc::Uscc::with_check_char("91330106MA2BC0099").unwrap();
        let mut csv = String::from("企业名称,统一社会信用代码,镇街,联系电话\n");
        csv.push_str("杭州示例机械制造有限公司,91330106MA2BC0001U,示例街道,13911112222\n");
        for (i, body) in [
            "91330106MA2BC0091",
            "91330106MA2BC0092",
            "91330106MA2BC0093",
        ]
        .iter()
        .enumerate()
        {
            let c = safeduty_core::uscc::Uscc::with_check_char(body).unwrap();
            csv.push_str(&format!("新企业{i},{c},示例镇,\n"));
        }
        csv.push_str(&format!("最后一家,{late},示例乡,\n"));
        fail_on_insert_of(store, b, late.as_str()).await;
        let enterprises = stored(store).await;
        let audit_rows = count(store, "SELECT COUNT(*) FROM audit_records").await;
        let enrolments = count(store, "SELECT COUNT(*) FROM enrolments").await;
        let l = layout(csv.as_bytes());
        let p = roster::preview(store, &ImportScope::whole_store(), &l)
            .await
            .unwrap();
        assert_eq!(
            (p.changed.len(), p.new.len()),
            (1, 4),
            "{b}: the preview cannot know"
        );
        let err = roster::apply(store, &Who::system(), &ImportScope::whole_store(), &l, None)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("injected failure"), "{b}: {err}");
        assert_eq!(stored(store).await, enterprises, "{b}");
        assert_eq!(
            count(store, "SELECT COUNT(*) FROM audit_records").await,
            audit_rows,
            "{b}"
        );
        assert_eq!(
            count(store, "SELECT COUNT(*) FROM enrolments").await,
            enrolments,
            "{b}"
        );
        assert!(matches!(
            audit::verify(store).await.unwrap(),
            Verification::Intact { .. }
        ));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn regions_and_departments_outside_the_importers_scope_are_rejected_with_suggestions() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let w = world(store).await;
        // A town's officer imports B01: rows of other towns are rejected, with suggestions.
        let town = ImportScope {
            region_path: w.towns[1].path.clone(),
            department: None,
        };
        let p = roster::preview(store, &town, &layout(&case("B01_roster_utf8_nobom.csv")))
            .await
            .unwrap();
        assert_eq!(
            p.new.iter().map(|r| r.row).collect::<Vec<_>>(),
            [3, 6],
            "{b}"
        );
        let r = &p.rejected[0];
        assert_eq!((r.row, r.problems[0].column.as_str()), (2, "D列（镇街）"));
        assert!(
            r.problems[0].message.contains("示例街道”不在本辖区内"),
            "{r:?}"
        );
        assert!(r.problems[0].message.contains("是否为：示例镇"), "{r:?}");
        // Unknown region and department, district-wide: suggestions from the store.
        let csv = "企业名称,统一社会信用代码,镇街,主管部门\n\
                   甲,91330106MA2BC0001U,示例村,区应急管理局\n\
                   乙,91330106MA2BC0002Y,示例镇,区应急局\n";
        let p = roster::preview(store, &ImportScope::whole_store(), &layout(csv.as_bytes()))
            .await
            .unwrap();
        assert!(p.rejected[0].problems[0].message.contains("示例村"));
        assert_eq!(p.rejected[1].problems[0].column, "D列（主管部门）");
        assert!(
            p.rejected[1].problems[0]
                .message
                .contains("是否为：区应急管理局"),
            "{:?}",
            p.rejected
        );
        // An industry department imports only what it supervises.
        let dept = ImportScope {
            region_path: w.district.path.clone(),
            department: Some(w.departments[0]),
        };
        let csv = "企业名称,统一社会信用代码,镇街,主管部门\n\
                   甲,91330106MA2BC0001U,示例镇,区应急管理局\n\
                   乙,91330106MA2BC0002Y,示例镇,区住房和城乡建设局\n\
                   丙,91330106MA2BC00032,示例镇,\n";
        let a = roster::apply(store, &Who::system(), &dept, &layout(csv.as_bytes()), None)
            .await
            .unwrap();
        assert_eq!(a.created, 2, "{b}");
        assert_eq!(a.preview.rejected[0].row, 3);
        let s = stored(store).await;
        assert!(
            s.iter()
                .all(|e| e.department.as_deref() == Some("区应急管理局"))
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_industry_table_is_kept_in_the_store() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        world(store).await;
        let t = roster::industry_table(store).await.unwrap();
        assert_eq!(t.len(), 16, "{b}");
        roster::set_industry_alias(store, &Who::system(), "餐饮", "工贸")
            .await
            .unwrap();
        assert!(
            roster::set_industry_alias(store, &Who::system(), "餐饮", "饮食")
                .await
                .is_err()
        );
        import(store, &case("B01_roster_gbk.csv")).await;
        let s = stored(store).await;
        let c = s.iter().find(|e| e.uscc == "91330106MA2BC00032").unwrap();
        assert_eq!(
            (c.industry.as_str(), c.industry_detail.as_str()),
            ("工贸", "餐饮")
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_roster_without_required_columns_imports_nothing() {
    for db in backends().await {
        let store = &db.store;
        world(store).await;
        let l = layout(&case("B08_credit_code_checksum.csv"));
        assert_eq!(l.missing, [Field::Name, Field::Region]);
        let p = import(store, &case("B08_credit_code_checksum.csv")).await;
        assert_eq!(p.missing_columns, ["企业名称", "镇街"]);
        assert!(p.has_rejections());
        assert_eq!(p.writes(), 0);
        assert!(stored(store).await.is_empty());
        db.cleanup().await;
    }
}

/// What a stored enterprise should hold: (code, name, town, department, phone).
type Expected = Vec<(String, String, String, String, String)>;

/// A roster of `rows` enterprises over three towns and two industries, phones from
/// `phone_base`; and what each row should store: (code, name, town, department, phone).
fn big_roster(rows: usize, phone_base: u64) -> (String, Expected) {
    let towns = ["示例街道", "示例镇", "示例乡"];
    let industries = [
        ("工贸", "区经济和信息化局"),
        ("建筑施工", "区住房和城乡建设局"),
    ];
    let mut csv = String::from("企业名称,统一社会信用代码,镇街,行业类别,联系电话\n");
    let mut expected = Vec::new();
    for i in 0..rows {
        let code = safeduty_core::uscc::Uscc::with_check_char(&format!("91330106MA{i:07}"))
            .unwrap()
            .as_str()
            .to_string();
        let (industry, department) = industries[i % 2];
        let phone = (phone_base + i as u64).to_string();
        let name = format!("示例企业{i}有限公司");
        csv.push_str(&format!(
            "{name},{code},{},{industry},{phone}\n",
            towns[i % 3]
        ));
        expected.push((
            code,
            name,
            towns[i % 3].to_string(),
            department.to_string(),
            phone,
        ));
    }
    expected.sort();
    (csv, expected)
}

fn as_expected(s: &[Stored]) -> Expected {
    s.iter()
        .map(|e| {
            (
                e.uscc.clone(),
                e.name.clone(),
                e.region.clone(),
                e.department.clone().unwrap_or_default(),
                e.phone.clone(),
            )
        })
        .collect()
}

/// A roster larger than one chunk (issue 19: written a chunk a transaction, so that other
/// writers wait for one chunk at most) leaves exactly the rows one transaction left: every
/// enterprise with its fields, enrolled once, a creation record each, and an intact chain; a
/// second roster changing every phone changes them all; a third time changes nothing.
#[tokio::test]
async fn a_large_roster_is_written_in_chunks_and_leaves_the_same_rows() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let w = world(store).await;
        let n = 2 * roster::APPLY_CHUNK + 500;
        let records = count(store, "SELECT COUNT(*) FROM audit_records").await;
        let (csv, expected) = big_roster(n, 13_800_000_000);
        let a = roster::apply(
            store,
            &Who::system(),
            &ImportScope::whole_store(),
            &layout(csv.as_bytes()),
            None,
        )
        .await
        .unwrap();
        assert_eq!((a.created, a.updated), (n, 0), "{b}");
        assert_eq!(a.enrolled, vec![(w.campaign.name.clone(), n)], "{b}");
        assert_eq!(as_expected(&stored(store).await), expected, "{b}");
        assert_eq!(
            count(store, "SELECT COUNT(*) FROM enrolments").await,
            n as i64,
            "{b}"
        );
        // A creation record per enterprise, an enrolment record per chunk, one summary.
        assert_eq!(
            count(store, "SELECT COUNT(*) FROM audit_records").await - records,
            n as i64 + 3 + 1,
            "{b}"
        );
        let created: i64 = count(
            store,
            "SELECT COUNT(DISTINCT target_id) FROM audit_records WHERE event = 'created' \
             AND target_kind = 'enterprise'",
        )
        .await;
        assert_eq!(created, n as i64, "{b}");

        let (csv, expected) = big_roster(n, 13_900_000_000);
        let a = roster::apply(
            store,
            &Who::system(),
            &ImportScope::whole_store(),
            &layout(csv.as_bytes()),
            None,
        )
        .await
        .unwrap();
        assert_eq!((a.created, a.updated), (0, n), "{b}");
        assert_eq!(as_expected(&stored(store).await), expected, "{b}");
        let a = roster::apply(
            store,
            &Who::system(),
            &ImportScope::whole_store(),
            &layout(csv.as_bytes()),
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            (a.created, a.updated, a.preview.unchanged.len()),
            (0, 0, n),
            "{b}"
        );
        assert!(
            matches!(
                audit::verify(store).await.unwrap(),
                Verification::Intact { .. }
            ),
            "{b}"
        );
        db.cleanup().await;
    }
}

/// A failure in the second chunk of a large roster keeps the first chunk (its enterprises and
/// their records, the chain intact), says how far the import came, and importing the same
/// roster again writes the rest: the same rows as one import would have left.
#[tokio::test]
async fn a_failure_in_a_later_chunk_keeps_the_chunks_before_and_a_second_import_completes_it() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        world(store).await;
        let n = roster::APPLY_CHUNK + 300;
        let (csv, expected) = big_roster(n, 13_800_000_000);
        let late = safeduty_core::uscc::Uscc::with_check_char(&format!(
            "91330106MA{:07}",
            roster::APPLY_CHUNK + 10
        ))
        .unwrap();
        fail_on_insert_of(store, b, late.as_str()).await;
        let err = roster::apply(
            store,
            &Who::system(),
            &ImportScope::whole_store(),
            &layout(csv.as_bytes()),
            None,
        )
        .await
        .unwrap_err();
        let StoreError::Conflict(msg) = &err else {
            panic!("{b}: {err:?}")
        };
        assert!(
            msg.contains(&format!("已导入{}家企业", roster::APPLY_CHUNK))
                && msg.contains(&format!("第{}行起", roster::APPLY_CHUNK + 2))
                && msg.contains("injected failure"),
            "{b}: {msg}"
        );
        assert_eq!(stored(store).await.len(), roster::APPLY_CHUNK, "{b}");
        assert!(
            matches!(
                audit::verify(store).await.unwrap(),
                Verification::Intact { .. }
            ),
            "{b}"
        );
        let drop = if b == "postgres" {
            "DROP TRIGGER fail_late ON enterprises"
        } else {
            "DROP TRIGGER fail_late"
        };
        let mut tx = store.write().await.unwrap();
        sqlx::query(drop).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        let a = roster::apply(
            store,
            &Who::system(),
            &ImportScope::whole_store(),
            &layout(csv.as_bytes()),
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            (a.created, a.preview.unchanged.len()),
            (300, roster::APPLY_CHUNK),
            "{b}"
        );
        assert_eq!(as_expected(&stored(store).await), expected, "{b}");
        assert_eq!(
            count(store, "SELECT COUNT(*) FROM enrolments").await,
            n as i64,
            "{b}"
        );
        db.cleanup().await;
    }
}

/// The command line imports beside a running server (issue 19): a second store on the same
/// database (another process's connections) imports a large roster while the first keeps
/// writing; neither fails ("database is locked" on SQLite before), the writes of the first go
/// through between the import's chunks, and the chain stays intact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_beside_another_writer_of_the_same_database_waits_instead_of_failing() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        world(store).await;
        let beside = Store::open(db.url()).await.unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (store, stop) = (store.clone(), stop.clone());
            tokio::spawn(async move {
                let mut done = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    audit::record_alone(
                        &store,
                        audit::Entry {
                            who: &Who::system(),
                            event: audit::Event::LoginFailed,
                            target_kind: audit::Object::User.into(),
                            target_id: format!("probe{done}"),
                            before: None,
                            after: None,
                            result: "failed",
                        },
                    )
                    .await?;
                    done += 1;
                    tokio::task::yield_now().await;
                }
                Ok::<u32, StoreError>(done)
            })
        };
        let n = 2 * roster::APPLY_CHUNK + 500;
        let (csv, expected) = big_roster(n, 13_800_000_000);
        let a = roster::apply(
            &beside,
            &Who::system(),
            &ImportScope::whole_store(),
            &layout(csv.as_bytes()),
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("{b}: {e}"));
        stop.store(true, Ordering::Relaxed);
        let probes = writer.await.unwrap().unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(a.created, n, "{b}");
        assert!(probes > 0, "{b}");
        assert_eq!(
            count(
                store,
                "SELECT COUNT(*) FROM audit_records WHERE event = 'login_failed'"
            )
            .await,
            i64::from(probes),
            "{b}"
        );
        assert_eq!(as_expected(&stored(store).await), expected, "{b}");
        assert!(
            matches!(
                audit::verify(store).await.unwrap(),
                Verification::Intact { .. }
            ),
            "{b}"
        );
        beside.close().await;
        db.cleanup().await;
    }
}
