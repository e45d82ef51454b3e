//! Acceptance inspections (issue #14 point 2) on SQLite and PostgreSQL: the committee office
//! plans one of demo-enterprise's enterprise by 东湖街道 (refused for a day past, nothing
//! written); the town's officer invites an expert and a journalist, the product issues each a
//! guest account bound to it; the guest reads it and comments and gets 404 for the inspection
//! record's own page and everything else; the officer records the inspection on the ordinary
//! record (the guests listed, the finding's source 验收, counted toward the yearly cap) and
//! closes it: the guests lose access. A third-party acceptance closes only after an officer
//! adopted the third party's assessment.

use axum::http::StatusCode;
use safeduty_app::Caller;
use safeduty_app::enforcement::inspections;
use serde_json::{Value, json};

use crate::app::{Client, TestApp};
use crate::enforcement_cases::{ok, refused, scalar};
use crate::enforcement_fixture::{EnforcementFixture, enforcement_fixture, form};

/// A team acceptance of demo-enterprise's enterprise (`fx.enterprise`) by 东湖街道 planned by
/// demo-office for the app's today. Answers its public id.
pub async fn planned_acceptance(app: &TestApp, fx: &EnforcementFixture, mode: &str) -> String {
    let office = app.login("demo-office").await;
    let third_party = if mode == "third_party" {
        "广西某安全技术服务有限公司"
    } else {
        ""
    };
    let a = app
        .json(
            &office,
            "POST",
            "/api/v1/acceptances",
            json!({"enterprise": fx.enterprise, "unit": fx.unit_id.to_string(),
                   "planned_on": fx.today.to_string(), "mode": mode,
                   "third_party": third_party}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    a.json()["id"].as_str().unwrap().to_string()
}

/// demo-town invites a guest of `kind` to the acceptance `id`; answers the account's login and
/// password.
pub async fn invited_guest(app: &TestApp, id: &str, name: &str, kind: &str) -> (String, String) {
    let town = app.login("demo-town").await;
    let a = app
        .json(
            &town,
            "POST",
            &format!("/api/v1/acceptances/{id}/guests"),
            json!({"name": name, "kind": kind, "organisation": "青秀区安全生产专家库"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let j = a.json();
    (
        j["username"].as_str().unwrap().to_string(),
        j["password"].as_str().unwrap().to_string(),
    )
}

/// demo-town records the fixture's inspection form (item 1 not conforming) as the record of
/// the acceptance `id`. Answers the inspection's public id.
pub async fn inspected(app: &TestApp, fx: &EnforcementFixture, id: &str) -> String {
    let town = safeduty_store::org::user_by_username(app.store(), "demo-town")
        .await
        .unwrap();
    let caller = Caller {
        user: &town,
        client_addr: None,
    };
    let mut f = form(app, fx.today, &fx.officer_ids).await;
    f.acceptance = Some(id.to_string());
    inspections::record(app.store(), &caller, &fx.enterprise, &f, None, fx.today)
        .await
        .unwrap()
        .public_id
}

/// Logs in a guest with its issued password and chooses a new one (required first).
async fn guest_session(app: &TestApp, username: &str, password: &str) -> Client {
    let c = app.login_with(username, password).await;
    let a = app
        .json(
            &c,
            "POST",
            "/api/v1/password",
            json!({"old_password": password, "new_password": crate::app::PASSWORD}),
        )
        .await;
    assert!(a.status.is_success(), "{}", a.body);
    app.login(username).await
}

/// A session of a guest newly invited to the acceptance `id` (its password already changed).
pub async fn guest_of(app: &TestApp, id: &str) -> Client {
    let (login, password) = invited_guest(app, id, "矩阵专家", "expert").await;
    guest_session(app, &login, &password).await
}

async fn get(app: &TestApp, c: &Client, id: &str) -> Value {
    let a = app.get(c, &format!("/api/v1/acceptances/{id}")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.json()
}

#[tokio::test]
async fn an_acceptance_with_guests_is_recorded_and_closed() {
    for app in TestApp::all().await {
        let b = app.backend();
        let fx = enforcement_fixture(&app).await;
        let office = app.login("demo-office").await;
        let a = app
            .json(
                &office,
                "POST",
                "/api/v1/acceptances",
                json!({"enterprise": fx.enterprise, "unit": fx.unit_id.to_string(),
                       "planned_on": "2024-06-19", "mode": "team"}),
            )
            .await;
        assert_eq!(
            refused(&a, StatusCode::UNPROCESSABLE_ENTITY, Some("planned_on")),
            "计划验收日期不能早于今天",
            "{b}"
        );
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM acceptances").await,
            0,
            "{b}"
        );
        let id = planned_acceptance(&app, &fx, "team").await;
        let j = get(&app, &office, &id).await;
        assert_eq!(
            (j["status"].as_str(), j["mode"].as_str(), j["unit"].as_str()),
            (Some("planned"), Some("team"), Some("东湖街道")),
            "{b}"
        );

        // Only the inspecting unit's officers invite; the committee office does not.
        let a = app
            .json(
                &office,
                "POST",
                &format!("/api/v1/acceptances/{id}/guests"),
                json!({"name": "李工", "kind": "expert"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{b} {}", a.body);
        let town = app.login("demo-town").await;
        let a = app
            .json(
                &town,
                "POST",
                &format!("/api/v1/acceptances/{id}/guests"),
                json!({"name": "某公司", "kind": "third_party"}),
            )
            .await;
        assert_eq!(
            refused(&a, StatusCode::UNPROCESSABLE_ENTITY, Some("kind")),
            "该验收检查不是委托第三方方式，不能邀请受委托第三方",
            "{b}"
        );
        let (expert, expert_password) = invited_guest(&app, &id, "李工", "expert").await;
        let (reporter, reporter_password) = invited_guest(&app, &id, "陈静", "media").await;
        assert!(expert.starts_with("guest-"), "{b} {expert}");
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM users WHERE role = 'guest'").await,
            2,
            "{b}"
        );

        // The guest reads its acceptance and comments; everything else is 404.
        let guest = guest_session(&app, &expert, &expert_password).await;
        let j = get(&app, &guest, &id).await;
        assert_eq!(
            j["enterprise"],
            get(&app, &office, &id).await["enterprise"],
            "{b}"
        );
        let list = app.get(&guest, "/api/v1/acceptances").await.json();
        assert_eq!(list.as_array().map(Vec::len), Some(1), "{b}");
        for path in [
            format!("/api/v1/inspections/{}", fx.inspection),
            format!("/api/v1/enterprises/{}/self-inspection", fx.enterprise),
            "/api/v1/enterprises".to_string(),
            "/api/v1/campaign".to_string(),
            "/enforcement".to_string(),
        ] {
            let a = app.get(&guest, &path).await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{b} {path}: {}", a.body);
        }
        let home = app.get(&guest, "/").await;
        assert_eq!(
            home.headers.get("location").and_then(|l| l.to_str().ok()),
            Some(format!("/acceptance/{id}").as_str()),
            "{b}"
        );
        let page = app.get(&guest, &format!("/acceptance/{id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains("发表"), "{b}: the guest comments");
        assert!(
            !page.body.contains("邀请并生成账号"),
            "{b}: the guest invites nobody"
        );
        ok(&app
            .json(
                &guest,
                "POST",
                &format!("/api/v1/acceptances/{id}/comments"),
                json!({"text": "建议重点查看安全管理人员持证情况"}),
            )
            .await);
        let a = app
            .json(
                &guest,
                "POST",
                &format!("/api/v1/acceptances/{id}/steps"),
                json!({"step": "close", "date": "2024-06-20", "conclusion": "passed", "text": "x"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{b} {}", a.body);

        // The officer records the inspection of the acceptance on the ordinary record.
        let town_user = safeduty_store::org::user_by_username(app.store(), "demo-town")
            .await
            .unwrap();
        let mut f = form(&app, fx.today, &fx.officer_ids).await;
        f.acceptance = Some(id.clone());
        let caller = Caller {
            user: &town_user,
            client_addr: None,
        };
        let recorded =
            inspections::record(app.store(), &caller, &fx.enterprise, &f, None, fx.today)
                .await
                .unwrap();
        let j = get(&app, &town, &id).await;
        assert_eq!(
            (j["status"].as_str(), j["inspection"].as_str()),
            (Some("underway"), Some(recorded.public_id.as_str())),
            "{b}"
        );
        let guests: Vec<String> = {
            let mut tx = app.store().write().await.unwrap();
            let rows: Vec<String> = sqlx::query_scalar(
                "SELECT g.name FROM inspection_guests g JOIN inspections i ON i.id = g.inspection_id \
                 WHERE i.public_id = $1 ORDER BY g.position",
            )
            .bind(&recorded.public_id)
            .fetch_all(&mut *tx)
            .await
            .unwrap();
            tx.commit().await.unwrap();
            rows
        };
        assert_eq!(guests, vec!["李工", "陈静"], "{b}");
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM findings f JOIN inspections i ON i.id = f.inspection_id \
                 WHERE f.source = 'acceptance'"
            )
            .await,
            1,
            "{b}: item 1 not conforming opened a finding from the acceptance"
        );
        // It counts toward the yearly cap: the fixture's inspection and this one.
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM inspections i JOIN units u ON u.id = i.unit_id \
                 WHERE u.name = '东湖街道' AND i.year = 2024"
            )
            .await,
            2,
            "{b}"
        );
        // A second record of the same acceptance is refused.
        let again = inspections::record(app.store(), &caller, &fx.enterprise, &f, None, fx.today)
            .await
            .unwrap_err();
        assert!(
            format!("{again:?}").contains("该验收检查已有检查记录"),
            "{b} {again:?}"
        );

        // The officer closes it; the guests lose access.
        let page = app.get(&town, &format!("/acceptance/{id}")).await;
        assert!(
            page.body.contains("建议重点查看安全管理人员持证情况"),
            "{b}"
        );
        assert!(page.body.contains("李工（专家）"), "{b}");
        let a = app
            .json(
                &town,
                "POST",
                &format!("/api/v1/acceptances/{id}/steps"),
                json!({"step": "close", "date": "2024-06-20", "conclusion": "failed",
                       "text": "安全管理制度仍未公开，依法处理"}),
            )
            .await;
        let j = ok(&a);
        assert_eq!(
            (j["status"].as_str(), j["conclusion"].as_str()),
            (Some("closed"), Some("failed")),
            "{b}"
        );
        assert!(
            j["guests"]
                .as_array()
                .unwrap()
                .iter()
                .all(|g| g["revoked_on"] == "2024-06-20"),
            "{b}"
        );
        let a = app.get(&guest, &format!("/api/v1/acceptances/{id}")).await;
        assert_eq!(
            a.status,
            StatusCode::UNAUTHORIZED,
            "{b}: a closed acceptance's guest"
        );
        let login = app
            .send(
                axum::http::Request::post("/api/v1/login")
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(
                        json!({"username": reporter, "password": reporter_password}).to_string(),
                    ))
                    .unwrap(),
            )
            .await;
        assert_eq!(
            login.status,
            StatusCode::UNAUTHORIZED,
            "{b}: a disabled guest"
        );
        assert!(
            app.audit_count("acceptance_guest_invited").await >= 2,
            "{b}"
        );
        assert_eq!(app.audit_count("acceptance_commented").await, 1, "{b}");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_third_party_assessment_is_adopted_before_closing() {
    for app in TestApp::all().await {
        let b = app.backend();
        let fx = enforcement_fixture(&app).await;
        let id = planned_acceptance(&app, &fx, "third_party").await;
        let (login, password) = invited_guest(&app, &id, "王评估", "third_party").await;
        let town = app.login("demo-town").await;
        let a = app
            .json(
                &town,
                "POST",
                &format!("/api/v1/acceptances/{id}/steps"),
                json!({"step": "close", "date": "2024-06-20", "conclusion": "passed", "text": "同意"}),
            )
            .await;
        assert_eq!(
            refused(&a, StatusCode::CONFLICT, None),
            "请先采纳受委托第三方的技术评估意见",
            "{b}"
        );
        let a = app
            .json(
                &town,
                "POST",
                &format!("/api/v1/acceptances/{id}/steps"),
                json!({"step": "assess", "conclusion": "passed", "text": "x"}),
            )
            .await;
        assert_eq!(
            a.status,
            StatusCode::FORBIDDEN,
            "{b}: only the third party assesses"
        );
        let guest = guest_session(&app, &login, &password).await;
        ok(&app
            .json(
                &guest,
                "POST",
                &format!("/api/v1/acceptances/{id}/steps"),
                json!({"step": "assess", "conclusion": "passed",
                       "text": "抽查安全管理人员履职记录12份，均符合要求"}),
            )
            .await);
        ok(&app
            .json(
                &town,
                "POST",
                &format!("/api/v1/acceptances/{id}/steps"),
                json!({"step": "adopt"}),
            )
            .await);
        let j = ok(&app
            .json(
                &town,
                "POST",
                &format!("/api/v1/acceptances/{id}/steps"),
                json!({"step": "close", "date": "2024-06-20", "conclusion": "passed",
                       "text": "采纳第三方评估意见，验收合格"}),
            )
            .await);
        assert_eq!(
            (
                j["assessment"].as_str(),
                j["adopted_on"].as_str(),
                j["conclusion"].as_str()
            ),
            (
                Some("抽查安全管理人员履职记录12份，均符合要求"),
                Some("2024-06-20"),
                Some("passed")
            ),
            "{b}"
        );
        // Another town's officer sees nothing of it.
        let other = app.login("demo-dept").await;
        let a = app.get(&other, &format!("/api/v1/acceptances/{id}")).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{b}");
        app.cleanup().await;
    }
}

/// Point 3: found still violating the article of an earlier decided case, the party's case is
/// opened from the acceptance and decided only at the statutory upper limit, never 不予处罚.
#[tokio::test]
async fn a_party_still_violating_at_acceptance_is_fined_at_the_upper_limit() {
    use safeduty_app::enforcement::cases::{self, Step};
    use safeduty_core::enforcement::penalty::Provision;
    for app in TestApp::all().await {
        let b = app.backend();
        let fx = enforcement_fixture(&app).await;
        crate::enforcement_cases::filed_case(&app, &fx).await;
        crate::enforcement_cases::drafted_exposure(&app, &fx).await;
        let earlier: String = {
            let mut tx = app.store().write().await.unwrap();
            let id = sqlx::query_scalar("SELECT public_id FROM cases WHERE decision_amount = 5000")
                .fetch_one(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            id
        };
        let id = planned_acceptance(&app, &fx, "team").await;
        let town = app.login("demo-town").await;
        let path = format!("/api/v1/acceptances/{id}/violations");
        let body = |violation: &str, provision: &str| {
            json!({"violation": violation, "ground": format!("case:{earlier}"),
                   "provision": provision})
        };
        let a = app
            .json(&town, "POST", &path, body("art97", "art97_second_unit"))
            .await;
        assert_eq!(
            refused(&a, StatusCode::CONFLICT, None),
            "请先填写验收检查记录，再据以立案",
            "{b}"
        );
        let town_user = safeduty_store::org::user_by_username(app.store(), "demo-town")
            .await
            .unwrap();
        let caller = Caller {
            user: &town_user,
            client_addr: None,
        };
        let mut f = form(&app, fx.today, &fx.officer_ids).await;
        f.acceptance = Some(id.clone());
        inspections::record(app.store(), &caller, &fx.enterprise, &f, None, fx.today)
            .await
            .unwrap();
        let page = app.get(&town, &format!("/acceptance/{id}")).await;
        assert!(
            page.body.contains("前案：未按规定公开安全生产管理制度"),
            "{b}"
        );
        let a = app
            .json(&town, "POST", &path, body("art96", "art96_person"))
            .await;
        assert_eq!(
            refused(&a, StatusCode::UNPROCESSABLE_ENTITY, Some("ground")),
            "前案适用《安全生产法》第九十七条（对单位），与第九十六条不是同一条款",
            "{b}"
        );
        let a = app
            .json(&town, "POST", &path, body("art97", "art97_unit"))
            .await;
        assert_eq!(
            refused(&a, StatusCode::UNPROCESSABLE_ENTITY, Some("provision")),
            "验收时仍存在第九十七条逾期未改正，应适用《安全生产法》第九十七条逾期未改正（对单位）或《安全生产法》第九十七条逾期未改正（对直接责任人员）",
            "{b}"
        );
        let before = scalar(&app, "SELECT COUNT(*) FROM cases").await;
        let a = app
            .json(&town, "POST", &path, body("art97", "art97_second_unit"))
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{b} {}", a.body);
        let case = a.json()["case"].as_str().unwrap().to_string();
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM cases").await,
            before + 1,
            "{b}"
        );
        let day = fx.today;
        cases::file(app.store(), &caller, &case, 0, day, &fx.officer_ids, day)
            .await
            .unwrap();
        let page = app.get(&town, &format!("/enforcement/cases/{case}")).await;
        assert!(page.body.contains("验收时仍违法"), "{b}");
        assert!(page.body.contains("检查验收"), "{b}");
        let version = |app: &TestApp| {
            let store = app.store().clone();
            let case = case.clone();
            async move {
                safeduty_store::enforcement::cases::get(&store, &case)
                    .await
                    .unwrap()
                    .summary
                    .version
            }
        };
        let err = cases::step(
            app.store(),
            &caller,
            &case,
            version(&app).await,
            &Step::Decide {
                provision: Provision::Art97SecondUnit,
                amount: 100_000,
                band: None,
                date: day,
            },
            day,
        )
        .await
        .unwrap_err();
        assert!(
            format!("{err:?}").contains("应依法从重按法定上限200000元处罚"),
            "{b} {err:?}"
        );
        let err = cases::step(
            app.store(),
            &caller,
            &case,
            version(&app).await,
            &Step::NoPenalty {
                basis: "初次违法且危害后果轻微".into(),
                follow_up: "预警提示".into(),
                date: day,
            },
            day,
        )
        .await
        .unwrap_err();
        assert!(
            format!("{err:?}").contains("不得适用不予处罚"),
            "{b} {err:?}"
        );
        // At the upper limit the amount passes; the procedure still decides what comes first.
        let err = cases::step(
            app.store(),
            &caller,
            &case,
            version(&app).await,
            &Step::Decide {
                provision: Provision::Art97SecondUnit,
                amount: 200_000,
                band: None,
                date: day,
            },
            day,
        )
        .await
        .unwrap_err();
        assert!(!format!("{err:?}").contains("法定上限"), "{b} {err:?}");
        // The procedure to the decision at the upper limit with 停产停业整顿, its period, and
        // the review that lifts it (closing waits for it).
        use safeduty_core::enforcement::case::{Answer, HeavyMeasure};
        for step in [
            Step::Investigate { date: day },
            Step::Notify {
                provision: Provision::Art97SecondUnit,
                amount: 200_000,
                heavy: Some(HeavyMeasure::Suspension),
                date: day,
            },
            Step::OfferHearing { date: day },
            Step::Answer {
                answer: Answer::Waived,
                date: day,
                note: String::new(),
            },
            Step::Decide {
                provision: Provision::Art97SecondUnit,
                amount: 200_000,
                band: None,
                date: day,
            },
        ] {
            cases::step(app.store(), &caller, &case, version(&app).await, &step, day)
                .await
                .unwrap_or_else(|e| panic!("{b} {}: {e:?}", step.code()));
        }
        let path = format!("/api/v1/cases/{case}/steps");
        let a = app
            .json(
                &town,
                "POST",
                &path,
                json!({"version": version(&app).await, "step": "suspend",
                       "date": "2024-06-20", "until": "2024-06-20"}),
            )
            .await;
        assert_eq!(
            refused(&a, StatusCode::UNPROCESSABLE_ENTITY, Some("until")),
            "整顿期限的截止日期须晚于起始日期",
            "{b}"
        );
        let a = app
            .json(
                &town,
                "POST",
                &path,
                json!({"version": version(&app).await, "step": "suspend",
                       "date": "2024-06-20", "until": "2024-07-20"}),
            )
            .await;
        assert!(a.status.is_success(), "{b} {}", a.body);
        let page = app.get(&town, &format!("/enforcement/cases/{case}")).await;
        assert!(
            page.body
                .contains("责令停产停业整顿：2024-06-20 至 2024-07-20（未解除）"),
            "{b}"
        );
        let a = app
            .json(
                &town,
                "POST",
                &path,
                json!({"version": version(&app).await, "step": "lift",
                       "date": "2024-06-20", "note": "复查：隐患已整改，同意恢复生产"}),
            )
            .await;
        assert!(a.status.is_success(), "{b} {}", a.body);
        let j = app
            .get(&town, &format!("/api/v1/cases/{case}"))
            .await
            .json();
        assert_eq!(
            (
                j["steps"]["suspension"].clone(),
                j["steps"]["suspension_review"].clone()
            ),
            (
                json!(["2024-06-20", "2024-07-20", "2024-06-20"]),
                json!("复查：隐患已整改，同意恢复生产")
            ),
            "{b} {j}"
        );
        app.cleanup().await;
    }
}

/// Point 9: the demo in the consolidation phase has an acceptance closed (its guests disabled),
/// one underway whose expert is `demo-guest`, and a third party's awaiting adoption.
#[tokio::test]
async fn the_consolidation_demo_has_acceptances_with_guests() {
    let app = TestApp::sqlite_demo_on("2024-12-10").await;
    let office = app.login("demo-office").await;
    let all = app.get(&office, "/api/v1/acceptances").await.json();
    let seen: Vec<(String, String, usize)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["status"].as_str().unwrap().to_string(),
                a["mode"].as_str().unwrap().to_string(),
                a["guests"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("closed".to_string(), "team".to_string(), 2),
            ("underway".to_string(), "third_party".to_string(), 1),
            ("underway".to_string(), "team".to_string(), 1),
        ]
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM users WHERE role = 'guest' AND disabled = 1"
        )
        .await,
        2
    );
    let guest = app.login("demo-guest").await;
    let mine = app.get(&guest, "/api/v1/acceptances").await.json();
    assert_eq!(mine.as_array().map(Vec::len), Some(1));
    assert_eq!(mine[0]["status"], "underway");
    assert!(mine[0]["inspection"].is_string());
    let other = all[0]["id"].as_str().unwrap();
    let a = app
        .get(&guest, &format!("/api/v1/acceptances/{other}"))
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    app.cleanup().await;
}
