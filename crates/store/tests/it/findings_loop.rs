//! The findings ledger and its closed loop: every transition of a major finding with return and
//! rework, each guard refusing, history and audit in step, stale edits, double submits
//! (shared case B18–B20), extensions, and the ledger's filters and paging.

use safeduty_core::finding::ledger::{Category, Details, FiveImplementations, Grade, Source};
use safeduty_core::finding::lifecycle::{Refusal, RefusalKind, Request, Status};
use safeduty_core::policy::{Role, Scope, UnitKind};
use safeduty_store::attachments::{self, Owner, StoredFile};
use safeduty_store::audit::Who;
use safeduty_store::campaigns::{self, Campaign};
use safeduty_store::findings::flow::{self, STALE};
use safeduty_store::findings::ledger::{self, Filter, Sort, StatusFilter};
use safeduty_store::findings::{self, NewFindingRow};
use safeduty_store::org::{self, NewEnterprise};
use safeduty_store::testing::backends;
use safeduty_store::{Store, StoreError, progress};

use crate::support::{d, template};

fn who(role: Role) -> Who {
    Who {
        user_id: None,
        role: Some(role.code().into()),
        client_addr: None,
    }
}

const E: Role = Role::EnterpriseUser;
const U: Role = Role::UnitOfficer;

/// A region with two enterprises enrolled in a campaign ending 2024-06-30.
async fn setup(store: &Store) -> (Campaign, i64, i64) {
    let w = Who::system();
    let mut tx = store.write().await.unwrap();
    let r = org::create_region(&mut tx, &w, None, "99", "示例省", "province")
        .await
        .unwrap();
    org::create_unit(&mut tx, &w, UnitKind::Territorial, "示例镇", r.id, None)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (uscc, name) in [
        ("91990101MA00000015", "示例甲企业"),
        ("91990101MA00000023", "示例乙企业"),
    ] {
        let (id, _) = org::create_enterprise(
            &mut tx,
            &w,
            &NewEnterprise {
                uscc: uscc.into(),
                name: name.into(),
                industry: "工贸".into(),
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
    let c = campaigns::create(&mut tx, &w, "测试", 2024, r.id, &template())
        .await
        .unwrap();
    campaigns::enrol(&mut tx, &w, &c, &ids).await.unwrap();
    tx.commit().await.unwrap();
    (c, ids[0], ids[1])
}

fn row(c: &Campaign, enterprise: i64, grade: Grade, description: &str, due: &str) -> NewFindingRow {
    NewFindingRow {
        campaign_id: c.id,
        enterprise_id: enterprise,
        source: Source::Enforcement,
        self_inspection_id: None,
        item_number: Some(4),
        category: Category::Hazard,
        grade,
        location: "2号罐区".into(),
        description: description.into(),
        opened_on: d("2024-06-03"),
        due_on: d(due),
        time_limit_working_days: None,
        open_token: None,
    }
}

async fn evidence(store: &Store, enterprise: i64, finding_id: i64, n: u8) {
    file(store, enterprise, Owner::Finding { finding_id }, n).await;
}

/// A photo of the on-site check, by the unit officer.
async fn check_photo(store: &Store, enterprise: i64, finding_id: i64, n: u8) {
    file(store, enterprise, Owner::FindingCheck { finding_id }, n).await;
}

/// A close-out with its opinion and verifiers (the store counts the check photos).
fn verify() -> Request {
    Request::Verify {
        opinion: "现场核验，整改到位".into(),
        verifiers: "李明、周强".into(),
        check_files: 9,
    }
}

async fn file(store: &Store, enterprise: i64, owner: Owner, n: u8) {
    let mut tx = store.write().await.unwrap();
    attachments::insert(
        &mut tx,
        &who(E),
        enterprise,
        owner,
        &StoredFile {
            name: format!("整改后照片{n}.jpg"),
            kind: safeduty_core::attachment::FileKind::Jpeg,
            content_type: "image/jpeg".into(),
            size: 1024,
            sha256: format!("{n:0>64}"),
            thumbnail_sha256: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

fn five() -> FiveImplementations {
    FiveImplementations {
        responsible: "王五".into(),
        measures: "更换泄漏阀门".into(),
        funds_fen: Some(1_200_000),
        time_limit: Some(d("2024-06-20")),
        contingency_plan: "液氨泄漏现场处置方案".into(),
    }
}

/// What a general finding's plan needs at least: measures and a time limit.
fn general_plan() -> FiveImplementations {
    FiveImplementations {
        measures: "现场整改".into(),
        time_limit: Some(d("2024-06-05")),
        ..FiveImplementations::default()
    }
}

#[tokio::test]
async fn an_officers_finding_is_edited_by_officers_with_before_and_after() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let (c, e, _) = setup(store).await;
        let id = flow::open_by_officer(
            store,
            &who(U),
            row(&c, e, Grade::General, "配电室未配置绝缘垫", "2024-06-14"),
            c.template.last_day(),
        )
        .await
        .unwrap();
        let f = findings::get(store, &id).await.unwrap();
        let details = Details {
            category: f.category,
            grade: f.grade,
            location: f.location.clone(),
            description: f.description.clone(),
            item_number: f.item_number,
        };
        let emptied = Details {
            location: String::new(),
            description: "无".into(),
            ..details.clone()
        };
        // The enterprise may not rewrite an officer's finding: refused, nothing written.
        assert!(
            matches!(
                flow::edit(store, &who(E), E, &id, &emptied, 0, None).await,
                Err(StoreError::Refused(r)) if r.kind() == RefusalKind::Forbidden
            ),
            "{b}"
        );
        let f = findings::get(store, &id).await.unwrap();
        assert_eq!(
            (f.description.as_str(), f.version),
            ("配电室未配置绝缘垫", 0),
            "{b}"
        );
        // Positive control: the officer edits it; history and audit keep before and after.
        let moved = Details {
            location: "1层配电室".into(),
            ..details
        };
        flow::edit(store, &who(U), U, &id, &moved, 0, None)
            .await
            .unwrap();
        let t = flow::timeline(store, &id).await.unwrap();
        let last = t.last().unwrap();
        assert_eq!(last.action, "edit", "{b}");
        assert_eq!(
            (
                &last.payload["before"]["location"],
                &last.payload["after"]["location"]
            ),
            (
                &serde_json::json!(f.location),
                &serde_json::json!("1层配电室")
            ),
            "{b}"
        );
        let mut tx = store.write().await.unwrap();
        let before: String = sqlx::query_scalar(
            "SELECT before_state FROM audit_records WHERE target_kind = 'finding' \
             AND event = 'finding_transition' ORDER BY seq DESC",
        )
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        let before: serde_json::Value = serde_json::from_str(&before).unwrap();
        assert_eq!(
            (&before["fields"]["location"], &before["version"]),
            (&serde_json::json!(f.location), &serde_json::json!(0)),
            "{b}"
        );
        // The enterprise cannot verify it either; the officer does.
        let today = d("2024-06-04");
        let mut v = 1;
        for req in [
            Request::AcceptPlan(general_plan()),
            Request::StartRectifying,
        ] {
            v = flow::apply(store, &who(E), E, &id, req, v, None, today)
                .await
                .unwrap()
                .version;
        }
        evidence(store, e, f.id, 1).await;
        v = flow::apply(
            store,
            &who(E),
            E,
            &id,
            Request::Submit { evidence: 0 },
            v,
            None,
            today,
        )
        .await
        .unwrap()
        .version;
        assert!(
            matches!(
                flow::apply(store, &who(E), E, &id, verify(), v, None, today).await,
                Err(StoreError::Refused(r)) if r.kind() == RefusalKind::Forbidden
            ),
            "{b}"
        );
        check_photo(store, e, f.id, 9).await;
        let closed = flow::apply(store, &who(U), U, &id, verify(), v, None, today)
            .await
            .unwrap();
        assert_eq!(closed.status, Status::Closed, "{b}");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_major_finding_walks_every_transition_and_each_guard_refuses() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let (c, e, _) = setup(store).await;
        let today = d("2024-06-10");
        let id = flow::open_by_officer(
            store,
            &who(U),
            row(
                &c,
                e,
                Grade::Major,
                "液氨储罐区可燃气体报警仪失效",
                "2024-06-28",
            ),
            c.template.last_day(),
        )
        .await
        .unwrap();
        let get = || findings::get(store, &id);
        let f = get().await.unwrap();
        assert_eq!(
            (f.status, f.version, f.grade),
            (Status::Open, 0, Grade::Major),
            "{b}"
        );
        let apply = |role: Role, req: Request, version: i64| {
            let id = id.clone();
            async move { flow::apply(store, &who(role), role, &id, req, version, None, today).await }
        };
        let refused = |r: Result<flow::Applied, StoreError>| match r {
            Err(StoreError::Refused(r)) => r,
            other => panic!("{b}: {other:?}"),
        };

        // Guard: no five implementations.
        let mut partial = five();
        partial.contingency_plan.clear();
        let r = refused(apply(E, Request::AcceptPlan(partial), 0).await);
        assert_eq!(r, Refusal::FiveImplementations(vec!["应急预案"]), "{b}");
        assert_eq!(get().await.unwrap(), f, "{b}: refused, unchanged");

        let a = apply(E, Request::AcceptPlan(five()), 0).await.unwrap();
        assert_eq!(
            (a.status, a.version, a.replayed),
            (Status::PlanAccepted, 1, false),
            "{b}"
        );
        apply(
            U,
            Request::TemporaryMeasures {
                measures: "设置警戒区，停用2号储罐".into(),
                stop_work: true,
            },
            1,
        )
        .await
        .unwrap();
        apply(E, Request::StartRectifying, 2).await.unwrap();

        // Guard: no evidence.
        let r = refused(apply(E, Request::Submit { evidence: 9 }, 3).await);
        assert_eq!(
            r,
            Refusal::NoEvidence,
            "{b}: the store counts, not the client"
        );
        let f = get().await.unwrap();
        evidence(store, e, f.id, 1).await;
        // Guard: a major finding is submitted only under supervision (挂牌督办).
        let r = refused(apply(E, Request::Submit { evidence: 0 }, 3).await);
        assert_eq!(r, Refusal::NotSupervised("提交验收"), "{b}");
        let mut tx = store.write().await.unwrap();
        let unit: i64 = sqlx::query_scalar("SELECT id FROM units WHERE name = '示例镇'")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        drop(tx);
        apply(U, Request::Supervise { unit_id: unit }, 3)
            .await
            .unwrap();
        assert_eq!(
            get().await.unwrap().supervision,
            Some(("示例镇".to_string(), today)),
            "{b}"
        );
        apply(E, Request::Submit { evidence: 0 }, 4).await.unwrap();

        // Guard: the enterprise cannot close its own major finding.
        let r = refused(apply(E, verify(), 5).await);
        assert!(r.kind() == RefusalKind::Forbidden, "{b}: {r:?}");
        // Return needs a reason.
        let r = refused(apply(U, Request::Return { reason: " ".into() }, 5).await);
        assert_eq!(r, Refusal::TextRequired("退回理由"), "{b}");
        apply(
            U,
            Request::Return {
                reason: "报警仪未接入中控室".into(),
            },
            5,
        )
        .await
        .unwrap();
        apply(E, Request::StartRework, 6).await.unwrap();
        // The first round's photo is not evidence of the rework.
        let r = refused(apply(E, Request::Submit { evidence: 1 }, 7).await);
        assert_eq!(r, Refusal::NoEvidence, "{b}");
        evidence(store, e, f.id, 2).await;
        apply(E, Request::Submit { evidence: 0 }, 7).await.unwrap();
        // Guard: no photo of the on-site check; the client's count is not the store's.
        let r = refused(apply(Role::CommitteeOffice, verify(), 8).await);
        assert_eq!(r, Refusal::NoCheckRecord, "{b}");
        check_photo(store, e, f.id, 3).await;
        let a = apply(Role::CommitteeOffice, verify(), 8).await.unwrap();
        assert_eq!((a.status, a.version), (Status::Closed, 9), "{b}");

        let f = get().await.unwrap();
        assert_eq!(f.closed_on, Some(today), "{b}");
        assert_eq!(
            (f.verification_opinion.as_str(), f.verifiers.as_str()),
            ("现场核验，整改到位", "李明、周强"),
            "{b}"
        );
        assert_eq!(f.plan, five(), "{b}");
        assert_eq!(
            (f.temporary_measures.as_str(), f.stop_work),
            ("设置警戒区，停用2号储罐", true),
            "{b}"
        );
        assert!(
            !f.is_overdue(d("2024-07-30")),
            "{b}: closed is never overdue"
        );
        let t = flow::timeline(store, &id).await.unwrap();
        let steps: Vec<(&str, Option<Status>, Status)> = t
            .iter()
            .map(|h| (h.action.as_str(), h.from, h.to))
            .collect();
        use Status::*;
        assert_eq!(
            steps,
            [
                ("open", None, Open),
                ("accept_plan", Some(Open), PlanAccepted),
                ("temporary_measures", Some(PlanAccepted), PlanAccepted),
                ("start_rectifying", Some(PlanAccepted), Rectifying),
                ("supervise", Some(Rectifying), Rectifying),
                ("submit", Some(Rectifying), Submitted),
                ("return", Some(Submitted), Returned),
                ("start_rework", Some(Returned), Rework),
                ("submit", Some(Rework), Submitted),
                ("verify", Some(Submitted), Closed),
            ],
            "{b}"
        );
        assert_eq!(t[6].reason, "报警仪未接入中控室", "{b}");
        assert_eq!(
            safeduty_store::audit::count_events(store, "finding_transition")
                .await
                .unwrap(),
            9,
            "{b}: one audit record per transition, none for the refusals"
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn extension_requested_then_approved_or_refused() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let (c, e, _) = setup(store).await;
        let today = d("2024-06-10");
        let id = flow::open_by_officer(
            store,
            &who(U),
            row(&c, e, Grade::General, "消防通道堆放杂物", "2024-06-14"),
            c.template.last_day(),
        )
        .await
        .unwrap();
        let ask = |due: &str| Request::RequestExtension {
            due_on: d(due),
            reason: "需停产检修后整改".into(),
        };
        // Beyond the campaign: refused by the deadline rule.
        let err = flow::apply(store, &who(E), E, &id, ask("2024-07-01"), 0, None, today)
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "整改期限2024-07-01晚于专项治理结束日期2024-06-30（方案要求巩固提升阶段全面完成整改）",
            "{b}"
        );
        flow::apply(store, &who(E), E, &id, ask("2024-06-28"), 0, None, today)
            .await
            .unwrap();
        let f = findings::get(store, &id).await.unwrap();
        assert_eq!(
            f.pending_extension,
            Some((d("2024-06-28"), "需停产检修后整改".into())),
            "{b}"
        );
        assert_eq!(f.due_on, d("2024-06-14"), "{b}: not before approval");
        let approve = Request::DecideExtension {
            approve: true,
            reason: String::new(),
        };
        assert!(matches!(
            flow::apply(store, &who(E), E, &id, approve.clone(), 1, None, today).await,
            Err(StoreError::Refused(r)) if r.kind() == RefusalKind::Forbidden
        ));
        flow::apply(store, &who(U), U, &id, approve, 1, None, today)
            .await
            .unwrap();
        let f = findings::get(store, &id).await.unwrap();
        assert_eq!(
            (f.due_on, f.pending_extension.clone()),
            (d("2024-06-28"), None),
            "{b}"
        );
        // A second request, refused with a reason: the limit stays.
        flow::apply(store, &who(E), E, &id, ask("2024-06-29"), 2, None, today)
            .await
            .unwrap();
        let refuse = Request::DecideExtension {
            approve: false,
            reason: "可先采取临时措施".into(),
        };
        flow::apply(store, &who(U), U, &id, refuse, 3, None, today)
            .await
            .unwrap();
        let f = findings::get(store, &id).await.unwrap();
        assert_eq!(
            (f.due_on, f.pending_extension),
            (d("2024-06-28"), None),
            "{b}"
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_time_limit_is_set_directly_only_by_an_officer_with_history_and_audit() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let (c, e, _) = setup(store).await;
        let today = d("2024-06-10");
        let mut r = row(&c, e, Grade::General, "配电室未配置绝缘垫", "2024-06-14");
        r.time_limit_working_days = Some(4);
        let id = flow::open_by_officer(store, &who(U), r, c.template.last_day())
            .await
            .unwrap();
        let set = |due: &str| Request::ChangeDue {
            due_on: d(due),
            reason: "绝缘垫需定制".into(),
        };
        // The enterprise: refused for its role, even from a stale page; nothing written.
        for version in [0, 7] {
            assert!(
                matches!(
                    flow::apply(
                        store,
                        &who(E),
                        E,
                        &id,
                        set("2024-06-21"),
                        version,
                        None,
                        today
                    )
                    .await,
                    Err(StoreError::Refused(r)) if r.kind() == RefusalKind::Forbidden
                ),
                "{b} v{version}"
            );
        }
        // The officer from a stale page: the stale message.
        let err = flow::apply(store, &who(U), U, &id, set("2024-06-21"), 7, None, today)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict(m) if m == STALE),
            "{b}: {err:?}"
        );
        let f = findings::get(store, &id).await.unwrap();
        assert_eq!((f.due_on, f.version), (d("2024-06-14"), 0), "{b}");
        // The officer: the limit is set and no longer follows the working-day rule.
        let applied = flow::apply(store, &who(U), U, &id, set("2024-06-21"), 0, None, today)
            .await
            .unwrap();
        assert_eq!((applied.status, applied.version), (Status::Open, 1), "{b}");
        let f = findings::get(store, &id).await.unwrap();
        assert_eq!(
            (f.due_on, f.time_limit_working_days),
            (d("2024-06-21"), None),
            "{b}"
        );
        let t = flow::timeline(store, &id).await.unwrap();
        let last = t.last().unwrap();
        assert_eq!(
            (
                last.action.as_str(),
                last.reason.as_str(),
                last.actor_role.as_str()
            ),
            ("change_due", "绝缘垫需定制", "unit_officer"),
            "{b}"
        );
        assert_eq!(
            last.payload,
            serde_json::json!({"due_on": "2024-06-21", "was": "2024-06-14"}),
            "{b}"
        );
        assert_eq!(
            safeduty_store::audit::count_events(store, "finding_due_changed")
                .await
                .unwrap(),
            1,
            "{b}"
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn b18_b19_stale_edit_conflicts_and_a_double_submit_is_one_transition() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let (c, e, _) = setup(store).await;
        let today = d("2024-06-10");
        let id = flow::open_by_officer(
            store,
            &who(U),
            row(&c, e, Grade::General, "配电室未铺设绝缘胶垫", "2024-06-14"),
            c.template.last_day(),
        )
        .await
        .unwrap();
        let f = findings::get(store, &id).await.unwrap();
        let details = Details {
            category: f.category,
            grade: f.grade,
            location: f.location.clone(),
            description: f.description.clone(),
            item_number: f.item_number,
        };
        // B19: A and B both loaded version 0; A moves the location, B then grades it major.
        let a = Details {
            location: "1层配电室".into(),
            ..details.clone()
        };
        flow::edit(store, &who(U), U, &id, &a, 0, None)
            .await
            .unwrap();
        let b_edit = Details {
            grade: Grade::Major,
            ..details.clone()
        };
        let err = flow::edit(store, &who(U), U, &id, &b_edit, 0, None)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict(m) if m == STALE),
            "{b}: {err:?}"
        );
        let f = findings::get(store, &id).await.unwrap();
        assert_eq!(
            (f.location.as_str(), f.grade, f.version),
            ("1层配电室", Grade::General, 1),
            "{b}: A's change kept, B's not applied"
        );

        // B18: the same request twice at once, with the form's token: one transition, and
        // both answers say where the finding now stands.
        let plan = || Request::AcceptPlan(general_plan());
        let token = Some("3f0c2a7e-token-1");
        let (we, wu) = (who(E), who(U));
        let (x, y) = tokio::join!(
            flow::apply(store, &we, E, &id, plan(), 1, token, today),
            flow::apply(store, &we, E, &id, plan(), 1, token, today),
        );
        let (x, y) = (x.unwrap(), y.unwrap());
        assert_eq!(
            (x.status, y.status),
            (Status::PlanAccepted, Status::PlanAccepted),
            "{b}"
        );
        assert_eq!(
            u8::from(x.replayed) + u8::from(y.replayed),
            1,
            "{b}: one applied, one answered as a repeat"
        );
        // Without a token, the second of two identical requests is stale.
        let (x, y) = tokio::join!(
            flow::apply(store, &we, E, &id, Request::StartRectifying, 2, None, today),
            flow::apply(store, &we, E, &id, Request::StartRectifying, 2, None, today),
        );
        assert_eq!(
            [&x, &y].iter().filter(|r| r.is_ok()).count(),
            1,
            "{b}: {x:?} {y:?}"
        );
        assert!(
            [&x, &y]
                .iter()
                .any(|r| matches!(r, Err(StoreError::Conflict(m)) if m == STALE)),
            "{b}"
        );
        let t = flow::timeline(store, &id).await.unwrap();
        let actions: Vec<&str> = t.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(
            actions,
            ["open", "edit", "accept_plan", "start_rectifying"],
            "{b}"
        );

        // An officer's double click on 登记: one finding.
        let mut r = row(&c, e, Grade::General, "安全出口指示灯损坏", "2024-06-14");
        r.open_token = Some("open-token-7".into());
        let (x, y) = tokio::join!(
            flow::open_by_officer(store, &wu, r.clone(), c.template.last_day()),
            flow::open_by_officer(store, &wu, r.clone(), c.template.last_day()),
        );
        assert_eq!(x.unwrap(), y.unwrap(), "{b}");
        let all = findings::list(store, &Scope::Enterprise { enterprise_id: e }, c.id, None)
            .await
            .unwrap();
        assert_eq!(all.len(), 2, "{b}");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn b20_concurrent_writers_on_one_store_never_fail() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let (c, e, e2) = setup(store).await;
        let today = d("2024-06-10");
        let mut ids = Vec::new();
        for i in 0..10 {
            let ent = if i % 2 == 0 { e } else { e2 };
            ids.push(
                flow::open_by_officer(
                    store,
                    &who(U),
                    row(&c, ent, Grade::General, &format!("问题{i}"), "2024-06-14"),
                    c.template.last_day(),
                )
                .await
                .unwrap(),
            );
        }
        // 10 writers moving their own finding three steps, 10 readers of the ledger, at once.
        let mut tasks = Vec::new();
        for id in ids.clone() {
            let writer = store.clone();
            tasks.push(tokio::spawn(async move {
                let store = writer;
                let steps = [
                    Request::AcceptPlan(general_plan()),
                    Request::StartRectifying,
                    Request::TemporaryMeasures {
                        measures: "临时围挡".into(),
                        stop_work: false,
                    },
                ];
                for (v, step) in steps.into_iter().enumerate() {
                    flow::apply(&store, &who(E), E, &id, step, v as i64, None, today).await?;
                }
                Ok::<_, StoreError>(())
            }));
            let reader = store.clone();
            let scope = Scope::RegionSubtree {
                region_path: "/".into(),
            };
            let campaign = c.id;
            tasks.push(tokio::spawn(async move {
                ledger::query(
                    &reader,
                    &scope,
                    campaign,
                    &Filter::default(),
                    today,
                    Some(1),
                )
                .await
                .map(|_| ())
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap_or_else(|e| panic!("{b}: {e}"));
        }
        for id in &ids {
            let f = findings::get(store, id).await.unwrap();
            assert_eq!((f.status, f.version), (Status::Rectifying, 3), "{b}");
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn ledger_filters_pages_and_overdue_agree_with_the_dashboard() {
    for db in backends().await {
        let (store, b) = (&db.store, db.backend);
        let (c, e, e2) = setup(store).await;
        let today = d("2024-06-17");
        // 60 findings: due 06-10 .. 06-24 in turn, every third major, the first enterprise's
        // even ones.
        let mut ids = Vec::new();
        for i in 0..60u32 {
            let due = d("2024-06-10") + chrono::Days::new(u64::from(i % 15));
            let grade = if i % 3 == 0 {
                Grade::Major
            } else {
                Grade::General
            };
            let ent = if i % 2 == 0 { e } else { e2 };
            let id = flow::open_by_officer(
                store,
                &who(U),
                row(&c, ent, grade, &format!("问题{i}"), &due.to_string()),
                c.template.last_day(),
            )
            .await
            .unwrap();
            ids.push(id);
        }
        // Close one overdue general finding: not overdue any more.
        let closing = &ids[1]; // due 06-11, general
        let mut v = 0;
        for (role, req) in [
            (E, Request::AcceptPlan(general_plan())),
            (E, Request::StartRectifying),
        ] {
            v = flow::apply(store, &who(role), role, closing, req, v, None, today)
                .await
                .unwrap()
                .version;
        }
        let f = findings::get(store, closing).await.unwrap();
        evidence(store, e2, f.id, 3).await;
        v = flow::apply(
            store,
            &who(E),
            E,
            closing,
            Request::Submit { evidence: 0 },
            v,
            None,
            today,
        )
        .await
        .unwrap()
        .version;
        // An officer's finding: closed by the officer (the enterprise is refused, see above).
        check_photo(store, e2, f.id, 4).await;
        flow::apply(store, &who(U), U, closing, verify(), v, None, today)
            .await
            .unwrap();

        let scope = Scope::RegionSubtree {
            region_path: "/".into(),
        };
        let all = ledger::query(store, &scope, c.id, &Filter::default(), today, None)
            .await
            .unwrap();
        assert_eq!(all.total, 60, "{b}");
        // Pages of 50 in every order: together exactly the full list, in the same order.
        for sort in [Sort::Due, Sort::OpenedDesc, Sort::Grade] {
            let filter = Filter {
                sort,
                ..Filter::default()
            };
            let full = ledger::query(store, &scope, c.id, &filter, today, None)
                .await
                .unwrap()
                .rows;
            let mut paged = Vec::new();
            for p in 1..=2 {
                paged.extend(
                    ledger::query(store, &scope, c.id, &filter, today, Some(p))
                        .await
                        .unwrap()
                        .rows,
                );
            }
            let ids =
                |v: &[findings::Finding]| v.iter().map(|f| f.public_id.clone()).collect::<Vec<_>>();
            assert_eq!(ids(&paged), ids(&full), "{b}: {sort:?}");
        }
        // Overdue on 06-17: due 06-10..06-16 (7 of every 15), 4 rounds = 28, minus the closed one.
        let overdue = ledger::query(
            store,
            &scope,
            c.id,
            &Filter {
                overdue: Some(true),
                ..Filter::default()
            },
            today,
            None,
        )
        .await
        .unwrap();
        assert_eq!(overdue.total, 27, "{b}");
        assert!(overdue.rows.iter().all(|f| f.is_overdue(today)), "{b}");
        assert!(!overdue.rows.iter().any(|f| &f.public_id == closing), "{b}");
        let expected: Vec<&String> = all
            .rows
            .iter()
            .filter(|f| f.is_overdue(today))
            .map(|f| &f.public_id)
            .collect();
        assert_eq!(
            overdue
                .rows
                .iter()
                .map(|f| &f.public_id)
                .collect::<Vec<_>>(),
            expected,
            "{b}: the SQL rule and core's is_overdue agree"
        );
        let ov = progress::overview(store, &scope, c.id, today)
            .await
            .unwrap();
        assert_eq!((ov.findings_open, ov.findings_overdue), (59, 27), "{b}");

        // Filters: major and unclosed for one enterprise.
        let major = ledger::query(
            store,
            &scope,
            c.id,
            &Filter {
                grade: Some(Grade::Major),
                status: Some(StatusFilter::Unclosed),
                enterprise_id: Some(e),
                category: Some(Category::Hazard),
                source: Some(Source::Enforcement),
                ..Filter::default()
            },
            today,
            None,
        )
        .await
        .unwrap();
        // i % 3 == 0 and i even: i % 6 == 0, 10 of them.
        assert_eq!(major.total, 10, "{b}");
        let closed = ledger::query(
            store,
            &scope,
            c.id,
            &Filter {
                status: Some(StatusFilter::Is(Status::Closed)),
                ..Filter::default()
            },
            today,
            None,
        )
        .await
        .unwrap();
        assert_eq!(closed.rows.len(), 1, "{b}");
        // An enterprise's scope sees its own only.
        let own = ledger::query(
            store,
            &Scope::Enterprise { enterprise_id: e2 },
            c.id,
            &Filter::default(),
            today,
            None,
        )
        .await
        .unwrap();
        assert_eq!(own.total, 30, "{b}");
        assert!(own.rows.iter().all(|f| f.enterprise_id == e2), "{b}");
        db.cleanup().await;
    }
}
