//! Enforcement figures on both databases: known records seeded, every figure of every unit and
//! of the total asserted, and the caller's scope narrowing them.
//!
//! The world: 示例区 with 甲镇 and 乙镇; units 甲镇 (T1), 乙镇 (T2) and an industry department
//! (D) at the district. Enterprises: E1 (甲镇, key, D), E2 (甲镇, key), E3 (甲镇, not key, D),
//! E4 (乙镇, key, D), E5 (乙镇, key, D, not enrolled in the campaign).
//!
//! Inspections of the 2024 campaign: I1 T1→E1 (items 1, 2 不符合), I2 T1→E3, I3 D→E1 (item 3),
//! I4 D→E4 (item 1), I5 T2→E4; and I6 T2→E4 under the 2023 campaign (never counted). Orders: O1
//! on I1, re-inspected (item 1 corrected, item 2 not); O3 on I3, re-inspection due 2024-08-01
//! (overdue on 2024-09-01); O4 on I4, due on 2024-09-01 itself (not overdue that day).

use safeduty_core::finding::ledger::{Category, Grade, Source};
use safeduty_core::policy::{Role, Scope, UnitKind};
use safeduty_store::Store;
use safeduty_store::audit::Who;
use safeduty_store::campaigns;
use safeduty_store::enforcement::OfficerOnDuty;
use safeduty_store::enforcement::figures::{self, Counts, Period};
use safeduty_store::enforcement::inspections::{self, ItemRow, NewInspection};
use safeduty_store::enforcement::orders::{self, NewOrder, NewReInspection};
use safeduty_store::findings::{self, NewFindingRow};
use safeduty_store::org::{self, NewEnterprise, NewUser};
use safeduty_store::testing::backends;

use crate::support::{d, template};

struct World {
    district_path: String,
    town1_path: String,
    campaign_id: i64,
    old_campaign_id: i64,
    t1: i64,
    t2: i64,
    dept: i64,
    e: [i64; 5],
    officers: Vec<(i64, Vec<OfficerOnDuty>)>,
}

async fn setup(store: &Store) -> World {
    let w = Who::system();
    let mut tx = store.write().await.unwrap();
    let district = org::create_region(&mut tx, &w, None, "97", "示例区", "district")
        .await
        .unwrap();
    let town1 = org::create_region(&mut tx, &w, Some(&district), "9701", "甲镇", "town")
        .await
        .unwrap();
    let town2 = org::create_region(&mut tx, &w, Some(&district), "9702", "乙镇", "town")
        .await
        .unwrap();
    let t1 = org::create_unit(&mut tx, &w, UnitKind::Territorial, "甲镇", town1.id, None)
        .await
        .unwrap()
        .id;
    let t2 = org::create_unit(&mut tx, &w, UnitKind::Territorial, "乙镇", town2.id, None)
        .await
        .unwrap()
        .id;
    let dept = org::create_unit(
        &mut tx,
        &w,
        UnitKind::IndustryDepartment,
        "区应急管理局",
        district.id,
        Some("工贸"),
    )
    .await
    .unwrap()
    .id;
    let specs = [
        (&town1, true, Some(dept)),
        (&town1, true, None),
        (&town1, false, Some(dept)),
        (&town2, true, Some(dept)),
        (&town2, true, Some(dept)),
    ];
    let mut e = [0i64; 5];
    for (k, (region, is_key, supervisor)) in specs.into_iter().enumerate() {
        let body = format!("91970101MA{:07}", 2_000_000 + k * 7919);
        let uscc = safeduty_core::uscc::Uscc::with_check_char(&body).unwrap();
        e[k] = org::create_enterprise(
            &mut tx,
            &w,
            &NewEnterprise {
                uscc: uscc.to_string(),
                name: format!("示例统计企业{}", k + 1),
                industry: "工贸".into(),
                region_id: region.id,
                supervising_unit_id: supervisor,
                is_key,
                address: String::new(),
            },
        )
        .await
        .unwrap()
        .0;
    }
    let mut officers = Vec::new();
    for unit in [t1, t2, dept] {
        let mut team = Vec::new();
        for k in 0..2 {
            let name = format!("执法{unit}-{k}");
            let user_id = org::create_user(
                &mut tx,
                &w,
                &NewUser {
                    username: format!("figures-{unit}-{k}"),
                    display_name: name.clone(),
                    password_hash: String::new(),
                    role: Role::UnitOfficer,
                    region_id: None,
                    unit_id: Some(unit),
                    enterprise_id: None,
                    is_demo: false,
                },
            )
            .await
            .unwrap();
            team.push(OfficerOnDuty {
                user_id,
                name,
                certificate_number: format!("Z{unit}{k}"),
            });
        }
        officers.push((unit, team));
    }
    let old = campaigns::create(&mut tx, &w, "2023年测试", 2023, district.id, &template())
        .await
        .unwrap();
    campaigns::enrol(&mut tx, &w, &old, &e[..4]).await.unwrap();
    let c = campaigns::create(&mut tx, &w, "2024年测试", 2024, district.id, &template())
        .await
        .unwrap();
    campaigns::enrol(&mut tx, &w, &c, &e[..4]).await.unwrap();
    tx.commit().await.unwrap();
    World {
        district_path: district.path.clone(),
        town1_path: town1.path.clone(),
        campaign_id: c.id,
        old_campaign_id: old.id,
        t1,
        t2,
        dept,
        e,
        officers,
    }
}

/// Records an inspection by `unit` of enterprise `e` on `on` under `campaign`, items 1–5 with
/// `nonconform` not conforming; answers its internal id and the public ids of its findings.
async fn inspect(
    store: &Store,
    w: &World,
    campaign: i64,
    unit: i64,
    e: i64,
    on: &str,
    nonconform: &[u32],
) -> (i64, Vec<String>) {
    let team = w
        .officers
        .iter()
        .find(|(u, _)| *u == unit)
        .map(|(_, t)| t.clone())
        .unwrap();
    let new = NewInspection {
        campaign_id: campaign,
        unit_id: unit,
        enterprise_id: e,
        inspected_on: d(on),
        start_time: "09:00".into(),
        end_time: "10:00".into(),
        place: "车间".into(),
        person_present: "某人".into(),
        person_present_title: "安全员".into(),
        notice: "unannounced".into(),
        cap_exception: None,
        plan_target_id: None,
        acceptance_id: None,
        summary: String::new(),
        officers: team,
        guests: Vec::new(),
        items: (1..=5)
            .map(|n| ItemRow {
                item_number: n,
                answer: if nonconform.contains(&n) {
                    "non_conform"
                } else {
                    "conform"
                }
                .into(),
                note: format!("第{n}项"),
                violation_codes: Vec::new(),
                finding_public_id: None,
            })
            .collect(),
        violations: Vec::new(),
        findings: nonconform
            .iter()
            .map(|&n| NewFindingRow {
                campaign_id: campaign,
                enterprise_id: e,
                source: Source::Enforcement,
                self_inspection_id: None,
                item_number: Some(n),
                category: Category::Problem,
                grade: Grade::General,
                location: String::new(),
                description: format!("第{n}项不符合"),
                opened_on: d(on),
                due_on: d(on),
                time_limit_working_days: None,
                open_token: None,
            })
            .collect(),
        request_token: None,
    };
    let rec = inspections::record(store, &Who::system(), new, |_| Ok(()))
        .await
        .unwrap();
    let i = inspections::get(store, &rec.public_id).await.unwrap();
    let opened = i
        .items
        .iter()
        .filter_map(|it| it.finding_public_id.clone())
        .collect();
    (i.summary.id, opened)
}

async fn order(
    store: &Store,
    inspection: i64,
    unit: i64,
    e: i64,
    findings_of: &[String],
    re_due: &str,
) -> String {
    let mut ids = Vec::new();
    for f in findings_of {
        ids.push(findings::get(store, f).await.unwrap().id);
    }
    orders::issue(
        store,
        &Who::system(),
        &NewOrder {
            inspection_id: inspection,
            unit_id: unit,
            enterprise_id: e,
            issued_on: d("2024-07-10"),
            due_on: d("2024-07-20"),
            due_provisional: false,
            working_days: None,
            finding_ids: ids,
            re_inspection_due_on: d(re_due),
        },
    )
    .await
    .unwrap()
}

async fn seed(store: &Store) -> World {
    let w = setup(store).await;
    let c = w.campaign_id;
    let (i1, f1) = inspect(store, &w, c, w.t1, w.e[0], "2024-07-02", &[1, 2]).await;
    inspect(store, &w, c, w.t1, w.e[2], "2024-07-03", &[]).await;
    let (i3, f3) = inspect(store, &w, c, w.dept, w.e[0], "2024-07-04", &[3]).await;
    let (i4, f4) = inspect(store, &w, c, w.dept, w.e[3], "2024-07-05", &[1]).await;
    inspect(store, &w, c, w.t2, w.e[3], "2024-07-06", &[]).await;
    inspect(
        store,
        &w,
        w.old_campaign_id,
        w.t2,
        w.e[3],
        "2023-10-09",
        &[2],
    )
    .await;
    let o1 = order(store, i1, w.t1, w.e[0], &f1, "2024-07-30").await;
    order(store, i3, w.dept, w.e[0], &f3, "2024-08-01").await;
    order(store, i4, w.dept, w.e[3], &f4, "2024-09-01").await;
    let o1 = orders::get(store, &o1).await.unwrap();
    let team = w.officers[0].1.clone();
    orders::record_re_inspection(
        store,
        &Who::system(),
        &o1,
        &NewReInspection {
            inspected_on: d("2024-07-25"),
            opinion: "第2项未整改".into(),
            officers: team,
            results: vec![
                (o1.findings[0].id, true, String::new()),
                (o1.findings[1].id, false, "未整改".into()),
            ],
            referral_reason: Some("逾期未整改".into()),
        },
    )
    .await
    .unwrap();
    w
}

fn period(w: &World) -> Period {
    Period {
        campaign_id: w.campaign_id,
        year: 2024,
        today: d("2024-09-01"),
    }
}

#[allow(clippy::too_many_arguments)]
fn counts(
    inspections: i64,
    key_enterprises: i64,
    key_covered: i64,
    orders_issued: i64,
    orders_overdue: i64,
    orders_re_inspected: i64,
    findings_open: i64,
    findings_closed: i64,
) -> Counts {
    Counts {
        planned: None,
        inspections,
        key_enterprises,
        key_covered,
        orders_issued,
        orders_overdue,
        orders_re_inspected,
        findings_open,
        findings_closed,
        // No case in this world: the cases' figures are the web test's (enforcement_cases).
        ..Counts::default()
    }
}

#[tokio::test]
async fn every_figure_of_every_unit_and_of_the_total() {
    for db in backends().await {
        let store = db.store.clone();
        let b = store.backend();
        let w = seed(&store).await;
        let p = period(&w);
        let office = Scope::RegionSubtree {
            region_path: w.district_path.clone(),
        };
        let units = [w.t1, w.t2, w.dept];
        let by_unit = figures::by_unit(&store, &office, &p, &units).await.unwrap();
        //                              insp key cov ord ovd re  open closed
        assert_eq!(by_unit[&w.t1], counts(2, 2, 1, 1, 0, 1, 1, 1), "{b:?} 甲镇");
        assert_eq!(by_unit[&w.t2], counts(1, 1, 1, 0, 0, 0, 0, 0), "{b:?} 乙镇");
        assert_eq!(
            by_unit[&w.dept],
            counts(2, 2, 2, 2, 1, 0, 2, 0),
            "{b:?} 应急局"
        );
        let total = figures::total(&store, &office, &p).await.unwrap();
        assert_eq!(total, counts(5, 3, 2, 3, 1, 1, 3, 1), "{b:?} 合计");
        assert_eq!(total.coverage_per_mille(), Some(667));
        assert_eq!(total.rectification_per_mille(), Some(250));
        assert_eq!(by_unit[&w.t1].rectification_per_mille(), Some(500));
        assert_eq!(by_unit[&w.t2].rectification_per_mille(), None);
        assert_eq!(by_unit[&w.dept].coverage_per_mille(), Some(1000));

        // The day after O4's re-inspection was due, it is overdue too.
        let later = Period {
            today: d("2024-09-02"),
            ..p
        };
        assert_eq!(
            figures::total(&store, &office, &later)
                .await
                .unwrap()
                .orders_overdue,
            2,
            "{b:?}"
        );
        // The 2023 campaign counts only its own inspection.
        let old = Period {
            campaign_id: w.old_campaign_id,
            year: 2023,
            today: d("2024-09-01"),
        };
        assert_eq!(
            figures::total(&store, &office, &old).await.unwrap(),
            counts(1, 3, 1, 0, 0, 0, 1, 0),
            "{b:?} 2023"
        );
        // No units asked: nothing counted.
        assert!(
            figures::by_unit(&store, &office, &p, &[])
                .await
                .unwrap()
                .is_empty()
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_scope_narrows_every_figure() {
    for db in backends().await {
        let store = db.store.clone();
        let b = store.backend();
        let w = seed(&store).await;
        let p = period(&w);
        // 甲镇's scope: the department's figures there are its inspection of E1 alone.
        let town1 = Scope::RegionSubtree {
            region_path: w.town1_path.clone(),
        };
        let by_unit = figures::by_unit(&store, &town1, &p, &[w.t1, w.dept])
            .await
            .unwrap();
        assert_eq!(by_unit[&w.t1], counts(2, 2, 1, 1, 0, 1, 1, 1), "{b:?}");
        assert_eq!(by_unit[&w.dept], counts(1, 1, 1, 1, 1, 0, 1, 0), "{b:?}");
        // The department's own scope: what it supervises (E1, E3, E4), whoever inspected.
        let dept = Scope::Department {
            unit_id: w.dept,
            region_path: w.district_path.clone(),
        };
        assert_eq!(
            figures::total(&store, &dept, &p).await.unwrap(),
            counts(5, 2, 2, 3, 1, 1, 3, 1),
            "{b:?}"
        );
        // One enterprise.
        let e4 = Scope::Enterprise {
            enterprise_id: w.e[3],
        };
        assert_eq!(
            figures::total(&store, &e4, &p).await.unwrap(),
            counts(2, 1, 1, 1, 0, 0, 1, 0),
            "{b:?}"
        );
        assert_eq!(
            figures::total(&store, &Scope::Nothing, &p).await.unwrap(),
            Counts::default(),
            "{b:?}"
        );
        db.cleanup().await;
    }
}
