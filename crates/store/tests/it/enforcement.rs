//! Enforcement on both databases: document numbers allocated at once without duplicates or
//! gaps, an inspection opening its findings in the one ledger, the yearly cap refusing without
//! writing, an order moving its findings' limits, an extension, and a re-inspection closing what
//! was corrected and referring what was not.

use safeduty_core::finding::ledger::{Category, Grade, Source};
use safeduty_core::policy::{Role, Scope, UnitKind};
use safeduty_core::refusal::Refusal;
use safeduty_store::audit::Who;
use safeduty_store::campaigns;
use safeduty_store::enforcement::OfficerOnDuty;
use safeduty_store::enforcement::inspections::{self, ItemRow, NewInspection};
use safeduty_store::enforcement::orders::{self, NewOrder, NewReInspection};
use safeduty_store::findings::{self, NewFindingRow};
use safeduty_store::org::{self, NewEnterprise, NewUser};
use safeduty_store::testing::backends;
use safeduty_store::{Store, StoreError};

use crate::support::{d, template};

struct World {
    campaign_id: i64,
    unit_id: i64,
    enterprise_id: i64,
    officers: Vec<OfficerOnDuty>,
}

async fn setup(store: &Store) -> World {
    let w = Who::system();
    let mut tx = store.write().await.unwrap();
    let r = org::create_region(&mut tx, &w, None, "98", "示例区", "district")
        .await
        .unwrap();
    let unit = org::create_unit(&mut tx, &w, UnitKind::Territorial, "示例镇", r.id, None)
        .await
        .unwrap();
    let (enterprise_id, _) = org::create_enterprise(
        &mut tx,
        &w,
        &NewEnterprise {
            uscc: "91990101MA00000015".into(),
            name: "示例甲企业".into(),
            industry: "工贸".into(),
            region_id: r.id,
            supervising_unit_id: None,
            is_key: true,
            address: "示例路1号".into(),
        },
    )
    .await
    .unwrap();
    let mut officers = Vec::new();
    for (k, name) in ["执法甲", "执法乙"].into_iter().enumerate() {
        let user_id = org::create_user(
            &mut tx,
            &w,
            &NewUser {
                username: format!("officer{k}"),
                display_name: name.into(),
                password_hash: String::new(),
                role: Role::UnitOfficer,
                region_id: None,
                unit_id: Some(unit.id),
                enterprise_id: None,
                is_demo: false,
            },
        )
        .await
        .unwrap();
        officers.push(OfficerOnDuty {
            user_id,
            name: name.into(),
            certificate_number: format!("45010020240{k}"),
        });
    }
    let c = campaigns::create(&mut tx, &w, "测试", 2024, r.id, &template())
        .await
        .unwrap();
    campaigns::enrol(&mut tx, &w, &c, &[enterprise_id])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    World {
        campaign_id: c.id,
        unit_id: unit.id,
        enterprise_id,
        officers,
    }
}

fn inspection(w: &World, on: &str, nonconform: &[u32]) -> NewInspection {
    let items = (1..=5)
        .map(|n| ItemRow {
            item_number: n,
            answer: if nonconform.contains(&n) {
                "non_conform"
            } else {
                "conform"
            }
            .into(),
            note: if nonconform.contains(&n) {
                format!("第{n}项不符合")
            } else {
                String::new()
            },
            violation_codes: Vec::new(),
            finding_public_id: None,
        })
        .collect();
    NewInspection {
        campaign_id: w.campaign_id,
        unit_id: w.unit_id,
        enterprise_id: w.enterprise_id,
        inspected_on: d(on),
        start_time: "09:00".into(),
        end_time: "11:30".into(),
        place: "生产车间".into(),
        person_present: "张某".into(),
        person_present_title: "安全管理人员".into(),
        notice: "unannounced".into(),
        cap_exception: None,
        plan_target_id: None,
        acceptance_id: None,
        summary: String::new(),
        officers: w.officers.clone(),
        guests: Vec::new(),
        items,
        violations: Vec::new(),
        findings: nonconform
            .iter()
            .map(|&n| NewFindingRow {
                campaign_id: w.campaign_id,
                enterprise_id: w.enterprise_id,
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
    }
}

#[tokio::test]
async fn fifty_inspections_at_once_get_fifty_distinct_numbers_without_a_gap() {
    for db in backends().await {
        let store = db.store.clone();
        let w = setup(&store).await;
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let store = store.clone();
                let new = inspection(&w, "2024-09-10", &[]);
                tokio::spawn(async move {
                    inspections::record(&store, &Who::system(), new, |_| Ok(()))
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut seqs = Vec::new();
        for t in tasks {
            let r = t.await.unwrap();
            assert_eq!(r.year, 2024);
            seqs.push(r.seq);
        }
        seqs.sort_unstable();
        assert_eq!(
            seqs,
            (1..=50).collect::<Vec<i64>>(),
            "{:?}",
            db.store.backend()
        );
        // A new year starts again from 1.
        let r = inspections::record(
            &store,
            &Who::system(),
            inspection(&w, "2025-01-02", &[]),
            |_| Ok(()),
        )
        .await
        .unwrap();
        assert_eq!((r.year, r.seq), (2025, 1));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn an_inspection_opens_findings_and_an_order_and_re_inspection_close_the_loop() {
    for db in backends().await {
        let store = db.store.clone();
        let w = setup(&store).await;
        let who = Who::system();
        let scope = Scope::RegionSubtree {
            region_path: "/98/".into(),
        };

        // Over the cap: refused, nothing written (not even a number).
        let refused = inspections::record(&store, &who, inspection(&w, "2024-09-10", &[2]), |n| {
            assert_eq!(n, 0);
            Err(Refusal::invalid("超过年度检查频次上限").on("exception"))
        })
        .await;
        assert!(
            matches!(refused, Err(StoreError::Refused(_))),
            "{refused:?}"
        );
        assert!(
            inspections::list(&store, &scope, Default::default())
                .await
                .unwrap()
                .is_empty()
        );

        let rec = inspections::record(&store, &who, inspection(&w, "2024-09-10", &[2, 4]), |n| {
            assert_eq!(n, 0);
            Ok(())
        })
        .await
        .unwrap();
        assert_eq!(
            (rec.year, rec.seq),
            (2024, 1),
            "the refused attempt took no number"
        );
        let i = inspections::get(&store, &rec.public_id).await.unwrap();
        assert_eq!(i.summary.nonconform, 2);
        assert_eq!(i.officers, w.officers);
        let opened: Vec<_> = i
            .items
            .iter()
            .filter_map(|it| it.finding_public_id.clone())
            .collect();
        assert_eq!(opened.len(), 2);
        let ledger = findings::list(&store, &scope, w.campaign_id, None)
            .await
            .unwrap();
        assert_eq!(
            ledger.len(),
            2,
            "one ledger: the inspection's findings are in it"
        );
        assert!(ledger.iter().all(|f| f.source == Source::Enforcement));

        let ids: Vec<i64> = {
            let mut v = Vec::new();
            for p in &opened {
                v.push(findings::get(&store, p).await.unwrap().id);
            }
            v
        };
        let order_id = orders::issue(
            &store,
            &who,
            &NewOrder {
                inspection_id: i.summary.id,
                unit_id: w.unit_id,
                enterprise_id: w.enterprise_id,
                issued_on: d("2024-09-27"),
                due_on: d("2024-10-23"),
                due_provisional: false,
                working_days: Some(15),
                finding_ids: ids.clone(),
                re_inspection_due_on: d("2024-11-02"),
            },
        )
        .await
        .unwrap();
        for p in &opened {
            assert_eq!(
                findings::get(&store, p).await.unwrap().due_on,
                d("2024-10-23")
            );
        }
        // A second order for the same inspection is a conflict.
        let again = orders::issue(
            &store,
            &who,
            &NewOrder {
                inspection_id: i.summary.id,
                unit_id: w.unit_id,
                enterprise_id: w.enterprise_id,
                issued_on: d("2024-09-27"),
                due_on: d("2024-10-23"),
                due_provisional: false,
                working_days: None,
                finding_ids: ids.clone(),
                re_inspection_due_on: d("2024-11-02"),
            },
        )
        .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");

        let order = orders::get(&store, &order_id).await.unwrap();
        orders::request_extension(
            &store,
            &who,
            &order,
            d("2024-10-20"),
            d("2024-10-31"),
            "设备未到货",
        )
        .await
        .unwrap();
        let order = orders::get(&store, &order_id).await.unwrap();
        assert_eq!(order.extensions.len(), 1);
        let ext = order.extensions[0].id;
        orders::decide_extension(
            &store,
            &who,
            &order,
            ext,
            d("2024-10-21"),
            Some((d("2024-10-31"), d("2024-11-10"))),
            "",
        )
        .await
        .unwrap();
        let order = orders::get(&store, &order_id).await.unwrap();
        assert_eq!(order.due_on, d("2024-10-31"));
        assert_eq!(order.re_inspection_due_on, d("2024-11-10"));
        assert_eq!(order.extensions[0].status, "approved");
        for p in &opened {
            assert_eq!(
                findings::get(&store, p).await.unwrap().due_on,
                d("2024-10-31")
            );
        }
        // The stale copy is refused.
        let stale = orders::report_completion(
            &store,
            &who,
            &orders::get(&store, &order_id)
                .await
                .map(|mut o| {
                    o.version -= 1;
                    o
                })
                .unwrap(),
            d("2024-10-30"),
            "",
            d("2024-11-09"),
        )
        .await;
        assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");

        let re = orders::record_re_inspection(
            &store,
            &who,
            &order,
            &NewReInspection {
                inspected_on: d("2024-11-05"),
                opinion: "第4项未整改".into(),
                officers: w.officers.clone(),
                results: vec![
                    (ids[0], true, "已整改".into()),
                    (ids[1], false, "未整改".into()),
                ],
                referral_reason: Some("逾期未整改".into()),
            },
        )
        .await
        .unwrap();
        let order = orders::get(&store, &order_id).await.unwrap();
        assert_eq!(order.status, "not_corrected");
        let re_row = orders::re_inspection_of(&store, order.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(re_row.public_id, re);
        assert_eq!(re_row.outcome, "not_corrected");
        assert_eq!(
            findings::get(&store, &opened[0])
                .await
                .unwrap()
                .status
                .code(),
            "closed"
        );
        assert_ne!(
            findings::get(&store, &opened[1])
                .await
                .unwrap()
                .status
                .code(),
            "closed"
        );
        let referrals = orders::referrals(&store, &scope).await.unwrap();
        assert_eq!(referrals.len(), 1);
        assert_eq!(referrals[0].reason, "逾期未整改");
        assert_eq!(referrals[0].source_kind, "re_inspection");

        // Every change wrote its audit record.
        let events: i64 = sqlx_count(&store).await;
        assert_eq!(events, 6, "{:?}", db.store.backend());
        db.cleanup().await;
    }
}

/// Audit records of the enforcement events (recorded, issued, requested, decided, re-inspected,
/// referred): one each.
async fn sqlx_count(store: &Store) -> i64 {
    let mut n = 0;
    for e in [
        "inspection_recorded",
        "correction_order_issued",
        "extension_requested",
        "extension_decided",
        "re_inspection_recorded",
        "case_referred",
    ] {
        let c = safeduty_store::audit::count_events(store, e).await.unwrap();
        assert_eq!(c, 1, "{e}");
        n += c;
    }
    n
}

#[tokio::test]
async fn the_demo_on_a_day_of_the_enforcement_phase_has_orders_in_every_state() {
    use safeduty_core::calendar::Calendar;
    use safeduty_core::template::Phase;
    use safeduty_store::enforcement::{measures, orders::OrderFilter};
    for db in backends().await {
        let store = &db.store;
        let b = db.backend;
        let mut t = template();
        t.phases.push(Phase {
            ordinal: 3,
            name: "严格执法".into(),
            start: Some(d("2024-07-01")),
            end: Some(d("2024-10-31")),
            window_text: String::new(),
            lines: None,
        });
        let today = d("2024-09-10");
        safeduty_store::demo::seed(store, &t, "x", today, &Calendar::shipped())
            .await
            .unwrap();
        let office = org::user_by_username(store, "demo-office").await.unwrap();
        let town = org::user_by_username(store, "demo-town").await.unwrap();
        let all = inspections::list(store, &office.scope, Default::default())
            .await
            .unwrap();
        assert_eq!(
            all.len(),
            8,
            "{b}: seven by 东湖街道, one by the department"
        );
        let mine = inspections::list(
            store,
            &town.scope,
            inspections::ListFilter {
                unit_id: town.unit_id,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let mut seqs: Vec<i64> = mine.iter().map(|i| i.seq).collect();
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=7).collect::<Vec<_>>(), "{b}");
        let os = orders::list(store, &office.scope, OrderFilter::default())
            .await
            .unwrap();
        let mut statuses: Vec<&str> = os.iter().map(|o| o.status.as_str()).collect();
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [
                "completion_reported",
                "corrected",
                "issued",
                "issued",
                "issued",
                "not_corrected"
            ],
            "{b}"
        );
        let overdue = orders::list(
            store,
            &office.scope,
            OrderFilter {
                overdue_on: Some(today),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            overdue.len(),
            1,
            "{b}: the order whose re-inspection was due 2024-08-09"
        );
        assert_eq!(overdue[0].re_inspection_due_on, d("2024-08-09"), "{b}");
        let mut pending = 0;
        for o in &os {
            let full = orders::get(store, &o.public_id).await.unwrap();
            pending += full
                .extensions
                .iter()
                .filter(|e| e.status == "requested")
                .count();
        }
        assert_eq!(
            pending, 1,
            "{b}: one extension waits for the unit's decision"
        );
        assert_eq!(
            orders::referrals(store, &office.scope).await.unwrap().len(),
            1,
            "{b}"
        );
        let m = measures::list(store, &office.scope).await.unwrap();
        assert_eq!(m.len(), 1, "{b}");
        assert!(m[0].lifted_on.is_none(), "{b}");
        // The demo enterprise sees its own order, and only that.
        let ent = org::user_by_username(store, "demo-enterprise")
            .await
            .unwrap();
        let own = orders::list(store, &ent.scope, OrderFilter::default())
            .await
            .unwrap();
        assert_eq!(own.len(), 1, "{b}");
        assert_eq!(own[0].status, "issued", "{b}");
        db.cleanup().await;
    }
}

/// The violation library's region rows (issue #12 point 4): read nearest region first, each
/// change with its audit record; a code added twice for a region is refused and writes nothing.
#[tokio::test]
async fn region_rows_are_read_nearest_first_and_a_code_is_added_once() {
    use safeduty_core::enforcement::violations::{Library, RegionLibrary};
    use safeduty_store::audit;
    use safeduty_store::enforcement::violations::{self, Change};
    for db in backends().await {
        let s = &db.store;
        let w = Who::system();
        let mut tx = s.write().await.unwrap();
        let city = org::create_region(&mut tx, &w, None, "97", "示例市", "city")
            .await
            .unwrap();
        let district = org::create_region(&mut tx, &w, Some(&city), "9701", "示例区", "district")
            .await
            .unwrap();
        let town = org::create_region(&mut tx, &w, Some(&district), "970101", "示例镇", "town")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let shipped = Library::shipped();
        let original = shipped.get("wsl-25-4").unwrap();
        let mut row = original.clone();
        row.behaviour = "市改写的条目".into();
        let before = Some((original, true));
        violations::write(s, &w, city.id, &row, true, Change::Edited, before)
            .await
            .unwrap();
        row.behaviour = "区改写的条目".into();
        violations::write(s, &w, district.id, &row, false, Change::Deactivated, before)
            .await
            .unwrap();
        let mut own = original.clone();
        own.code = "qx-1".into();
        own.behaviour = "区新增的条目".into();
        violations::write(s, &w, district.id, &own, true, Change::Added, None)
            .await
            .unwrap();

        let rows = violations::rows_on_path(s, &town.path).await.unwrap();
        let seen: Vec<(&str, &str, bool)> = rows
            .iter()
            .map(|r| (r.region_name.as_str(), r.row.code.as_str(), r.active))
            .collect();
        assert_eq!(
            seen,
            [
                ("示例区", "qx-1", true),
                ("示例区", "wsl-25-4", false),
                ("示例市", "wsl-25-4", true)
            ],
            "{}",
            db.backend
        );
        let lib = RegionLibrary::merge(&shipped, &rows);
        assert_eq!(lib.get("wsl-25-4").unwrap().row.behaviour, "区改写的条目");
        assert!(lib.active_row("wsl-25-4").is_none());
        let city_rows = violations::rows_on_path(s, &city.path).await.unwrap();
        assert_eq!(city_rows.len(), 1);
        assert_eq!(city_rows[0].row.behaviour, "市改写的条目");

        // Each change audited, the shipped row as what was in effect before the first.
        assert_eq!(
            audit::count_events(s, "violation_row_edited")
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            audit::count_events(s, "violation_row_deactivated")
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            audit::count_events(s, "violation_row_added").await.unwrap(),
            1
        );
        let mut tx = s.write().await.unwrap();
        let before_json: String = sqlx::query_scalar(
            "SELECT before_state FROM audit_records WHERE event = 'violation_row_edited'",
        )
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert!(before_json.contains(&original.behaviour), "{before_json}");

        // The same code added again for the district: refused, nothing written.
        let e = violations::write(s, &w, district.id, &own, true, Change::Added, None)
            .await
            .unwrap_err();
        assert!(
            matches!(&e, StoreError::Conflict(m) if m == "本辖区违法行为库已有该编号的条目"),
            "{e:?}"
        );
        assert_eq!(
            audit::count_events(s, "violation_row_added").await.unwrap(),
            1
        );
        assert_eq!(
            violations::rows_on_path(s, &town.path).await.unwrap().len(),
            3
        );
        db.cleanup().await;
    }
}
