//! Inspection plans on both databases: a plan drawn with the seed of `docs/draw.md` (vector 2)
//! gives exactly the targets and pairs written there; the stored record recomputes to the same
//! draw, and a tampered digest or pair does not; a drawn plan is never drawn again, a new
//! version needs a reason and supersedes the old one once drawn; an inspection fulfils a target
//! of the plan in force once.

use std::collections::BTreeMap;

use safeduty_core::enforcement::draw::{self, List, Mismatch};
use safeduty_core::enforcement::plan::{self, DrawOfficer, DrawSize, PlanStatus, PoolEnterprise};
use safeduty_core::policy::{Role, UnitKind};
use safeduty_core::refusal::Refusal;
use safeduty_store::audit::Who;
use safeduty_store::campaigns;
use safeduty_store::enforcement::OfficerOnDuty;
use safeduty_store::enforcement::inspections::{self, NewInspection};
use safeduty_store::enforcement::plans::{self, NewDraft, NewTarget};
use safeduty_store::org::{self, NewEnterprise, NewUser};
use safeduty_store::testing::{backends, execute};
use safeduty_store::{Store, StoreError};

use crate::support::{d, template};

/// The candidates of docs/draw.md; the fourth is the key enterprise (vector 2).
const USCCS: [&str; 8] = [
    "91450103MA5K7Q2B14",
    "91450103MA5KB8N3XF",
    "91450103MA5L0C6D4U",
    "91450103MA5L3FH7PU",
    "91450103MA5LA2R9EP",
    "91450103MA5M1T4G8F",
    "91450103MA5MC6W2JW",
    "91450103MA5N8U3Y5Y",
];
const SEED: &str = "2024-07-01 福彩3D第2024175期 开奖号码 3 7 1";

struct World {
    campaign_id: i64,
    unit_id: i64,
    /// USCC → enterprise id.
    enterprises: BTreeMap<String, i64>,
    /// Certificate number → (user id, name).
    officers: BTreeMap<String, (i64, String)>,
}

async fn setup(store: &Store) -> World {
    let w = Who::system();
    let mut tx = store.write().await.unwrap();
    let r = org::create_region(&mut tx, &w, None, "97", "抽查示例区", "district")
        .await
        .unwrap();
    let unit = org::create_unit(&mut tx, &w, UnitKind::Territorial, "抽查示例镇", r.id, None)
        .await
        .unwrap();
    let mut enterprises = BTreeMap::new();
    for (k, uscc) in USCCS.iter().enumerate() {
        let (id, _) = org::create_enterprise(
            &mut tx,
            &w,
            &NewEnterprise {
                uscc: (*uscc).into(),
                name: format!("抽查示例{}号企业", k + 1),
                industry: "其他".into(),
                region_id: r.id,
                supervising_unit_id: None,
                is_key: k == 3,
                address: format!("示例路{}号", k + 1),
            },
        )
        .await
        .unwrap();
        enterprises.insert((*uscc).to_string(), id);
    }
    let mut officers = BTreeMap::new();
    for k in 1..=5 {
        let name = format!("执法员{k}");
        let user_id = org::create_user(
            &mut tx,
            &w,
            &NewUser {
                username: format!("plan-officer{k}"),
                display_name: name.clone(),
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
        officers.insert(format!("4501032400{k}"), (user_id, name));
    }
    let c = campaigns::create(&mut tx, &w, "测试", 2024, r.id, &template())
        .await
        .unwrap();
    let ids: Vec<i64> = enterprises.values().copied().collect();
    campaigns::enrol(&mut tx, &w, &c, &ids).await.unwrap();
    tx.commit().await.unwrap();
    World {
        campaign_id: c.id,
        unit_id: unit.id,
        enterprises,
        officers,
    }
}

fn draft(w: &World, reason: &str) -> NewDraft {
    NewDraft {
        campaign_id: w.campaign_id,
        unit_id: w.unit_id,
        starts_on: d("2024-07-01"),
        ends_on: d("2024-10-31"),
        size: DrawSize::Count(3),
        reason: reason.into(),
    }
}

/// A later version needs a reason (the use case's check, played here).
fn needs_reason(reason: &str) -> impl FnOnce(Option<i64>) -> Result<(), Refusal> + '_ {
    move |drawn| match drawn {
        Some(_) if reason.trim().is_empty() => {
            Err(Refusal::invalid("请填写重新抽取的理由").on("reason"))
        }
        _ => Ok(()),
    }
}

/// Draws plan `plan_id` over the world's pool with `seed` and records it.
async fn draw_and_record(store: &Store, w: &World, plan_id: i64, seed: &str) -> draw::Draw {
    let pool: Vec<PoolEnterprise> = USCCS
        .iter()
        .map(|u| PoolEnterprise {
            uscc: (*u).into(),
            is_key: *u == "91450103MA5L3FH7PU",
            industry: "其他".into(),
        })
        .collect();
    let officers: Vec<DrawOfficer> = w
        .officers
        .iter()
        .map(|(c, (id, name))| DrawOfficer {
            certificate: c.clone(),
            user_id: *id,
            name: name.clone(),
        })
        .collect();
    let req = plan::request(seed, &pool, &[], &officers, DrawSize::Count(3)).unwrap();
    let drawn = draw::draw(&req).unwrap();
    let targets: Vec<NewTarget> = drawn
        .targets
        .iter()
        .map(|t| NewTarget {
            enterprise_id: w.enterprises[&t.id],
            target: t.clone(),
            user_ids: t.officers.clone().map(|c| w.officers[&c].0),
        })
        .collect();
    plans::record_draw(store, &Who::system(), plan_id, &drawn, &targets)
        .await
        .unwrap();
    drawn
}

fn inspection(w: &World, enterprise: &str, target: i64) -> NewInspection {
    let officers = w
        .officers
        .iter()
        .take(2)
        .map(|(c, (id, name))| OfficerOnDuty {
            user_id: *id,
            name: name.clone(),
            certificate_number: c.clone(),
        })
        .collect();
    NewInspection {
        campaign_id: w.campaign_id,
        unit_id: w.unit_id,
        enterprise_id: w.enterprises[enterprise],
        inspected_on: d("2024-07-15"),
        start_time: "09:00".into(),
        end_time: "10:00".into(),
        place: "生产车间".into(),
        person_present: "张某".into(),
        person_present_title: "安全管理人员".into(),
        notice: "unannounced".into(),
        cap_exception: None,
        plan_target_id: Some(target),
        acceptance_id: None,
        summary: String::new(),
        officers,
        guests: Vec::new(),
        items: Vec::new(),
        violations: Vec::new(),
        findings: Vec::new(),
        request_token: None,
    }
}

/// The enforcement figures' planned inspections of the unit and of the whole district (the
/// district is the one `setup` made, code 97).
async fn planned(store: &Store, w: &World) -> (Option<i64>, Option<i64>) {
    use safeduty_store::enforcement::figures::{self, Period};
    let region_path = safeduty_store::org::regions_under(store, "/")
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code == "97")
        .unwrap()
        .path;
    let scope = safeduty_core::policy::Scope::RegionSubtree { region_path };
    let p = Period {
        campaign_id: w.campaign_id,
        year: 2024,
        today: d("2024-07-10"),
    };
    let unit = figures::by_unit(store, &scope, &p, &[w.unit_id])
        .await
        .unwrap()[&w.unit_id]
        .planned;
    let total = figures::total(store, &scope, &p).await.unwrap().planned;
    (unit, total)
}

async fn count(store: &Store, sql: &str) -> i64 {
    let mut tx = store.write().await.unwrap();
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    n
}

#[tokio::test]
async fn a_plan_drawn_with_a_known_seed_is_stored_verifiable_and_tamper_evident() {
    for db in backends().await {
        let b = db.backend;
        let store = db.store.clone();
        let w = setup(&store).await;
        let who = Who::system();

        let id = plans::save_draft(&store, &who, &draft(&w, ""), needs_reason(""))
            .await
            .unwrap();
        let p = plans::get(&store, &id).await.unwrap();
        assert_eq!(
            (p.version, p.status, p.size, p.targets),
            (1, PlanStatus::Draft, DrawSize::Count(3), 0),
            "{b}"
        );
        // Saving again changes the open draft, no second version.
        let mut changed = draft(&w, "");
        changed.ends_on = d("2024-10-30");
        let again = plans::save_draft(&store, &who, &changed, needs_reason(""))
            .await
            .unwrap();
        assert_eq!(again, id, "{b}");
        assert_eq!(
            plans::get(&store, &id).await.unwrap().ends_on,
            d("2024-10-30")
        );
        assert!(plans::recorded_draw(&store, p.id).await.unwrap().is_none());

        let drawn = draw_and_record(&store, &w, p.id, SEED).await;
        let p = plans::get(&store, &id).await.unwrap();
        assert_eq!(
            (p.status, p.targets, p.mandatory_targets, p.fulfilled),
            (PlanStatus::Drawn, 4, 1, 0),
            "{b}"
        );
        // Exactly vector 2 of docs/draw.md, with the accounts behind the certificates.
        let rows: Vec<(i64, String, bool, String, String, String)> = plans::targets(&store, p.id)
            .await
            .unwrap()
            .into_iter()
            .map(|t| {
                (
                    t.position,
                    t.draw_id,
                    t.mandatory,
                    t.officers[0].certificate.clone(),
                    t.officers[1].name.clone(),
                    t.enterprise_name,
                )
            })
            .collect();
        let expected = [
            (
                1,
                "91450103MA5L3FH7PU",
                true,
                "45010324002",
                "执法员3",
                "抽查示例4号企业",
            ),
            (
                2,
                "91450103MA5LA2R9EP",
                false,
                "45010324004",
                "执法员1",
                "抽查示例5号企业",
            ),
            (
                3,
                "91450103MA5MC6W2JW",
                false,
                "45010324005",
                "执法员2",
                "抽查示例7号企业",
            ),
            (
                4,
                "91450103MA5M1T4G8F",
                false,
                "45010324003",
                "执法员4",
                "抽查示例6号企业",
            ),
        ]
        .map(|(n, id, m, c, o, e)| (n, id.into(), m, c.into(), o.into(), e.into()));
        assert_eq!(rows, expected, "{b}");
        let record = plans::draw_record(&store, p.id).await.unwrap().unwrap();
        assert_eq!(
            record.candidates_digest,
            "284fc75001f663860e6cb671159550c1062d2b1e9fc8dec66d61243d60f14871"
        );
        assert_eq!(
            record.mandatory_digest,
            "ccd8b5dc07ca973942efe4611e1e9e12e78791c1c3988f7885cdfa6e2411f971"
        );
        assert_eq!(record.k, 3);

        // The stored record is the draw, and it verifies.
        let stored = plans::recorded_draw(&store, p.id).await.unwrap().unwrap();
        assert_eq!(stored, drawn, "{b}");
        assert_eq!(draw::verify(&stored), Ok(()), "{b}");

        // A drawn plan is not drawn again.
        let r = plans::record_draw(&store, &who, p.id, &drawn, &[]).await;
        assert!(matches!(r, Err(StoreError::Conflict(_))), "{b}: {r:?}");

        // Someone with write access changes a digest: the record no longer verifies.
        execute(
            &store,
            &format!(
                "UPDATE plan_draws SET candidates_digest = '{}' WHERE plan_id = {}",
                "0".repeat(64),
                p.id
            ),
        )
        .await;
        let tampered = plans::recorded_draw(&store, p.id).await.unwrap().unwrap();
        assert!(
            matches!(
                draw::verify(&tampered),
                Err(Mismatch::Digest {
                    list: List::Candidates,
                    ..
                })
            ),
            "{b}: {:?}",
            draw::verify(&tampered)
        );
        execute(
            &store,
            &format!(
                "UPDATE plan_draws SET candidates_digest = '{}' WHERE plan_id = {}",
                drawn.candidates_digest, p.id
            ),
        )
        .await;
        // … or a pair: the first difference is at its position.
        execute(
            &store,
            &format!(
                "UPDATE plan_targets SET officer2_certificate = '45010324005' \
                 WHERE plan_id = {} AND position = 2",
                p.id
            ),
        )
        .await;
        let tampered = plans::recorded_draw(&store, p.id).await.unwrap().unwrap();
        assert!(
            matches!(
                draw::verify(&tampered),
                Err(Mismatch::Targets { position: 2, .. })
            ),
            "{b}"
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_new_version_supersedes_the_old_and_an_inspection_fulfils_a_target_once() {
    for db in backends().await {
        let b = db.backend;
        let store = db.store.clone();
        let w = setup(&store).await;
        let who = Who::system();
        let v1 = plans::save_draft(&store, &who, &draft(&w, ""), needs_reason(""))
            .await
            .unwrap();
        let p1 = plans::get(&store, &v1).await.unwrap();
        draw_and_record(&store, &w, p1.id, SEED).await;
        // The figures count the drawn plan's targets as planned (issue #12 point 11).
        let v1_targets = plans::get(&store, &v1).await.unwrap().targets;
        assert!(v1_targets > 0, "{b}");
        assert_eq!(
            planned(&store, &w).await,
            (Some(v1_targets), Some(v1_targets)),
            "{b}"
        );

        // Another version without a reason is refused, nothing written.
        let before = count(&store, "SELECT COUNT(*) FROM inspection_plans").await;
        let r = plans::save_draft(&store, &who, &draft(&w, ""), needs_reason("")).await;
        assert!(
            matches!(&r, Err(StoreError::Refused(r)) if r.field() == Some("reason")),
            "{b}: {r:?}"
        );
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM inspection_plans").await,
            before
        );
        let reason = "开奖号码录入有误，按当期公告重新抽取";
        let v2 = plans::save_draft(&store, &who, &draft(&w, reason), needs_reason(reason))
            .await
            .unwrap();
        let p2 = plans::get(&store, &v2).await.unwrap();
        assert_eq!((p2.version, p2.reason.as_str()), (2, reason), "{b}");
        // The old one stays in force until the new one is drawn.
        assert_eq!(plans::get(&store, &v1).await.unwrap().superseded_by, None);
        draw_and_record(
            &store,
            &w,
            p2.id,
            "2024-07-02 福彩3D第2024176期 开奖号码 0 4 9",
        )
        .await;
        assert_eq!(
            plans::get(&store, &v1).await.unwrap().superseded_by,
            Some(v2.clone()),
            "{b}"
        );
        // Only the version in force counts.
        let v2_targets = plans::get(&store, &v2).await.unwrap().targets;
        assert_eq!(
            planned(&store, &w).await,
            (Some(v2_targets), Some(v2_targets)),
            "{b}"
        );
        let latest = plans::latest(&store, w.campaign_id, w.unit_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(latest.public_id, v2);
        let listed: Vec<i64> = plans::list(&store, &plans::Whose::Unit(w.unit_id))
            .await
            .unwrap()
            .iter()
            .map(|p| p.version)
            .collect();
        assert_eq!(listed, [2, 1], "{b}");

        // The key enterprise is a target of both versions; an inspection fulfils v2's.
        let key = "91450103MA5L3FH7PU";
        let t2 = plans::targets(&store, p2.id)
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.draw_id == key)
            .unwrap();
        let t1 = plans::targets(&store, p1.id)
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.draw_id == key)
            .unwrap();
        // A target of the superseded version, or of another enterprise, is refused.
        for (enterprise, target) in [(key, t1.id), ("91450103MA5K7Q2B14", t2.id)] {
            let before = count(&store, "SELECT COUNT(*) FROM inspections").await;
            let r =
                inspections::record(&store, &who, inspection(&w, enterprise, target), |_| Ok(()))
                    .await;
            assert!(
                matches!(&r, Err(StoreError::Refused(r)) if r.field() == Some("target")),
                "{b}: {r:?}"
            );
            assert_eq!(
                count(&store, "SELECT COUNT(*) FROM inspections").await,
                before
            );
        }
        let rec = inspections::record(&store, &who, inspection(&w, key, t2.id), |_| Ok(()))
            .await
            .unwrap();
        let info = plans::target(&store, &t2.public_id).await.unwrap();
        assert!(info.fulfilled && !info.superseded, "{b}");
        let shown = plans::targets(&store, p2.id)
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.draw_id == key)
            .unwrap();
        assert_eq!(
            shown.inspection,
            Some((rec.public_id.clone(), d("2024-07-15")))
        );
        assert_eq!(plans::get(&store, &v2).await.unwrap().fulfilled, 1);
        // Once fulfilled, not again.
        let r = inspections::record(&store, &who, inspection(&w, key, t2.id), |_| Ok(())).await;
        assert!(matches!(r, Err(StoreError::Refused(_))), "{b}: {r:?}");
        for (event, n) in [
            ("inspection_plan_saved", 2),
            ("inspection_plan_drawn", 2),
            ("plan_target_fulfilled", 1),
        ] {
            assert_eq!(
                safeduty_store::audit::count_events(&store, event)
                    .await
                    .unwrap(),
                n,
                "{b} {event}"
            );
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_demo_in_the_enforcement_phase_has_each_units_plan_drawn_and_fulfilled() {
    use safeduty_core::calendar::Calendar;
    use safeduty_core::template::Phase;
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
        safeduty_store::demo::seed(store, &t, "x", d("2024-09-10"), &Calendar::shipped())
            .await
            .unwrap();
        let office = org::user_by_username(store, "demo-office").await.unwrap();
        let safeduty_core::policy::Scope::RegionSubtree { region_path } = office.scope else {
            panic!("the office has a region");
        };
        let all = plans::list(store, &plans::Whose::Region(region_path))
            .await
            .unwrap();
        let units: Vec<&str> = all.iter().map(|p| p.unit_name.as_str()).collect();
        assert_eq!(units, ["东湖街道", "区应急管理局"], "{b}");
        for p in &all {
            assert_eq!(
                (p.status, p.version, p.starts_on, p.ends_on),
                (PlanStatus::Drawn, 1, d("2024-07-01"), d("2024-10-31")),
                "{b}"
            );
            let drawn = plans::recorded_draw(store, p.id).await.unwrap().unwrap();
            assert_eq!(draw::verify(&drawn), Ok(()), "{b} {}", p.unit_name);
        }
        // 东湖街道: its 60 enterprises; the key ones in full (this template names no key
        // industry), 70 % of the others drawn, rounded up.
        let town = &all[0];
        let keys = count(
            store,
            "SELECT COUNT(*) FROM enterprises e JOIN regions r ON r.id = e.region_id \
             WHERE r.name = '东湖街道' AND e.is_key = 1",
        )
        .await;
        assert_eq!(town.mandatory_targets, keys, "{b}");
        let rest = 60 - keys;
        assert_eq!(town.targets, keys + (rest * 7 + 9) / 10, "{b}");
        // Every inspection of a target fulfilled it; the others fulfil none.
        for p in &all {
            let linked = count(
                store,
                &format!(
                    "SELECT COUNT(*) FROM inspections i JOIN plan_targets t \
                     ON t.id = i.plan_target_id AND t.inspection_id = i.id WHERE t.plan_id = {}",
                    p.id
                ),
            )
            .await;
            let of_targets = count(
                store,
                &format!(
                    "SELECT COUNT(*) FROM inspections i WHERE i.unit_id = {} AND i.enterprise_id \
                     IN (SELECT enterprise_id FROM plan_targets WHERE plan_id = {})",
                    p.unit_id, p.id
                ),
            )
            .await;
            assert_eq!((p.fulfilled, linked), (of_targets, of_targets), "{b}");
        }
        assert!(all.iter().map(|p| p.fulfilled).sum::<i64>() > 0, "{b}");
        db.cleanup().await;
    }
}
