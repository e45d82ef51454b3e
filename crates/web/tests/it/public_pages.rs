//! The public pages (一公开, issue #12 point 2; the listener of issue #13 point 5), on their own
//! router, on both databases: a drawn plan of 抽查示范镇 (vector 2 of `docs/draw.md`) with four
//! targets — one re-inspected and corrected, one with nothing found, one with its order issued,
//! one with problems and no order yet — is published with exactly its seed, digests, names and
//! outcomes; nothing else is: no certificate number, phone, ID number, user name, address,
//! person present or free text, no draft plan, no inspection outside a drawn plan, no unsettled
//! outcome. The router routes nothing but the public pages, sets no cookie, reads no session,
//! and limits each client address.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use safeduty_app::Caller;
use safeduty_app::enforcement::inspections;
use safeduty_app::enforcement::orders::{self, ReInspectionForm, TimeLimit};
use safeduty_app::enforcement::plans::{self, PlanForm};
use safeduty_core::enforcement::plan::DrawSize;
use safeduty_core::enforcement::reinspection::ReInspectionResult;
use safeduty_core::self_inspection::Answer as ItemAnswer;
use safeduty_store::org::{self, User};
use serde_json::json;

use crate::app::{Answer, TestApp};
use crate::enforcement_fixture::{self, enforcement_fixture};
use crate::plans_fixture::{self, KEY, SEED, USCCS, enterprise_name};

/// The day the inspections are recorded on.
const DAY: &str = "2024-07-15";

/// Personal data and free text put into the store around the published records; none may be
/// published.
const SECRETS: &[&str] = &[
    // Officers' certificate numbers (45010324001–005, and 东湖街道's 4501032024000N).
    "4501032400",
    "45010320240",
    // User names.
    "plan-officer",
    "demo-town",
    enforcement_fixture::SECOND_OFFICER,
    // An ID number and a phone typed into the inspections' free text, the enterprises' phones,
    // principal, address and a safety manager's certificate and phone.
    "110101199003074258",
    "13907711234",
    "0771-5551234",
    "黄大仁",
    "示范路",
    "2024-ZC-0099887",
    "13600001111",
    // The persons present and the inspections' text.
    "陈志远",
    "公示测试现场负责人",
    "公示测试检查情况",
    "公示测试复查意见",
    "安全生产管理制度未公开",
];

async fn user(app: &TestApp, username: &str) -> User {
    org::user_by_username(app.store(), username).await.unwrap()
}

fn caller(u: &User) -> Caller<'_> {
    Caller {
        user: u,
        client_addr: None,
    }
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

/// The public id of the target of `uscc` in the plan `plan`.
async fn target_of(app: &TestApp, plan: &str, uscc: &str) -> String {
    let id = safeduty_store::enforcement::plans::get(app.store(), plan)
        .await
        .unwrap()
        .id;
    safeduty_store::enforcement::plans::targets(app.store(), id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.draw_id == uscc)
        .unwrap()
        .public_id
}

/// Records an inspection of the target of `uscc` by the officers `pair` (user names), item 1
/// not conforming when `problem`, and answers its public id and the finding it opened.
async fn inspect(
    app: &TestApp,
    plan: &str,
    uscc: &str,
    pair: [&str; 2],
    problem: bool,
    enterprises: &std::collections::BTreeMap<String, String>,
) -> (String, Option<String>) {
    let day: NaiveDate = DAY.parse().unwrap();
    let first = user(app, pair[0]).await;
    let second = user(app, pair[1]).await;
    let mut form = enforcement_fixture::form(app, day, &[first.id, second.id]).await;
    form.person_present = "公示测试现场负责人".into();
    form.summary = "公示测试检查情况：核验身份证号110101199003074258，联系电话13907711234".into();
    form.plan_target = Some(target_of(app, plan, uscc).await);
    if !problem {
        for item in &mut form.items {
            item.answer = ItemAnswer::Conform;
            item.note.clear();
        }
    }
    let recorded = inspections::record(
        app.store(),
        &caller(&first),
        &enterprises[uscc],
        &form,
        None,
        day,
    )
    .await
    .unwrap();
    let i = inspections::view(app.store(), &caller(&first), &recorded.public_id)
        .await
        .unwrap();
    let finding = i
        .inspection
        .items
        .iter()
        .find_map(|it| it.finding_public_id.clone());
    (recorded.public_id, finding)
}

/// Issues the order of `inspection` for `finding` by `officer`; answers its public id.
async fn order(app: &TestApp, officer: &str, inspection: &str, finding: &str) -> String {
    let o = user(app, officer).await;
    orders::issue(
        app.store(),
        &caller(&o),
        inspection,
        &[finding.to_string()],
        TimeLimit::WorkingDays(15),
        DAY.parse().unwrap(),
    )
    .await
    .unwrap()
}

/// What the public router answers to a GET of `path`, checked for what every public answer
/// must be: no cookie set, the security headers, and none of [`SECRETS`] in it.
async fn fetch(app: &TestApp, path: &str, unpublished: &[&str]) -> Answer {
    let a = app.send_public(get(path)).await;
    let b = app.backend();
    assert!(
        a.headers.get(header::SET_COOKIE).is_none(),
        "{b} {path}: a cookie"
    );
    assert_eq!(
        a.headers[header::X_CONTENT_TYPE_OPTIONS],
        "nosniff",
        "{path}"
    );
    assert!(
        a.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"),
        "{path}"
    );
    for s in SECRETS.iter().chain(unpublished) {
        assert!(!a.body.contains(s), "{b} {path}: {s:?} published");
    }
    a
}

#[tokio::test]
async fn the_public_pages_publish_drawn_plans_and_settled_outcomes_and_nothing_else() {
    for app in TestApp::all().await {
        let app = app.on_day(DAY);
        let b = app.backend();
        let town = plans_fixture::draw_town(&app).await;
        let officer1 = user(&app, "plan-officer1").await;

        // Personal data around the records: the enterprises' phone and principal, a safety
        // manager with a certificate and a phone.
        safeduty_store::testing::execute(
            app.store(),
            "UPDATE enterprises SET phone = '0771-5551234', principal = '黄大仁' \
             WHERE uscc LIKE '91450103MA5%'",
        )
        .await;
        let key_id: i64 = {
            let mut tx = app.store().write().await.unwrap();
            let id: i64 = sqlx::query_scalar("SELECT id FROM enterprises WHERE uscc = $1")
                .bind(KEY)
                .fetch_one(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            id
        };
        safeduty_store::testing::execute(
            app.store(),
            &format!(
                "INSERT INTO personnel (public_id, enterprise_id, name, employment, \
                 registered_engineer, engineer_cert_no, phone, created_at, updated_at) VALUES \
                 ('{}', {key_id}, '公示测试安全员', 'full_time', 1, '2024-ZC-0099887', \
                 '13600001111', '2024-07-01T00:00:00Z', '2024-07-01T00:00:00Z')",
                "f".repeat(32)
            ),
        )
        .await;

        // Nothing is published before a plan is drawn.
        let a = fetch(&app, "/public/", &[]).await;
        assert_eq!(a.status, StatusCode::OK, "{b}");
        assert!(a.body.contains("暂无公示的抽取记录"), "{b}");

        // 抽查示范镇 draws 3 of its pool with the documented seed: vector 2 of docs/draw.md.
        let plan = plans::save(
            app.store(),
            &caller(&officer1),
            &PlanForm {
                starts_on: "2024-07-01".parse().unwrap(),
                ends_on: "2024-10-31".parse().unwrap(),
                size: DrawSize::Count(3),
                reason: String::new(),
            },
        )
        .await
        .unwrap();
        plans::draw(app.store(), &caller(&officer1), &plan, SEED)
            .await
            .unwrap();

        // Unpublished around it: an inspection outside any plan (东湖街道's of demo-enterprise,
        // with its order) and 东湖街道's plan left a draft.
        let outside = enforcement_fixture(&app).await;
        let outside_name = org::enterprise_by_public_id(app.store(), &outside.enterprise)
            .await
            .unwrap()
            .name;
        let demo_town = user(&app, "demo-town").await;
        let draft = plans::save(
            app.store(),
            &caller(&demo_town),
            &PlanForm {
                starts_on: "2024-07-01".parse().unwrap(),
                ends_on: "2024-10-31".parse().unwrap(),
                size: DrawSize::Count(0),
                reason: String::new(),
            },
        )
        .await
        .unwrap();

        // The targets in draw order (vector 2) and what became of each.
        let (i1, f1) = inspect(
            &app,
            &plan,
            KEY,
            ["plan-officer2", "plan-officer3"],
            true,
            &town.enterprises,
        )
        .await;
        let o1 = order(&app, "plan-officer2", &i1, f1.as_deref().unwrap()).await;
        let officer2 = user(&app, "plan-officer2").await;
        let officer3 = user(&app, "plan-officer3").await;
        let version = orders::view(app.store(), &caller(&officer2), &o1)
            .await
            .unwrap()
            .order
            .version;
        orders::re_inspect(
            app.store(),
            &caller(&officer2),
            &o1,
            version,
            &ReInspectionForm {
                date: DAY.parse().unwrap(),
                officer_ids: vec![officer2.id, officer3.id],
                results: vec![(f1.unwrap(), ReInspectionResult::Corrected, String::new())],
                opinion: "公示测试复查意见".into(),
            },
            DAY.parse().unwrap(),
        )
        .await
        .unwrap();
        let (_, none) = inspect(
            &app,
            &plan,
            "91450103MA5LA2R9EP",
            ["plan-officer4", "plan-officer1"],
            false,
            &town.enterprises,
        )
        .await;
        assert_eq!(none, None, "{b}: nothing found");
        let (i3, f3) = inspect(
            &app,
            &plan,
            "91450103MA5MC6W2JW",
            ["plan-officer5", "plan-officer2"],
            true,
            &town.enterprises,
        )
        .await;
        order(&app, "plan-officer5", &i3, f3.as_deref().unwrap()).await;
        inspect(
            &app,
            &plan,
            "91450103MA5M1T4G8F",
            ["plan-officer3", "plan-officer4"],
            true,
            &town.enterprises,
        )
        .await;

        let name = |uscc: &str| enterprise_name(USCCS.iter().position(|u| *u == uscc).unwrap());
        // Never published: the draft, the inspection outside a plan, the enterprises not drawn.
        let not_drawn: Vec<String> = [0, 1, 2, 7].map(enterprise_name).to_vec();
        let mut unpublished: Vec<&str> = vec![&draft, &outside_name];
        unpublished.extend(not_drawn.iter().map(String::as_str));

        // The index: the one drawn plan with its exact values.
        let index = fetch(&app, "/public/", &unpublished).await;
        assert_eq!(index.status, StatusCode::OK, "{b}");
        assert_eq!(index.headers[header::CACHE_CONTROL], "public, max-age=60");
        for value in [
            "抽查示范镇 · 2024年企业安全生产管理人员履职专项治理 · 检查计划第1版",
            SEED,
            "safeduty-draw 第1版",
            "2024-07-01 至 2024-10-31",
            "8家，SHA-256 <code>284fc75001f663860e6cb671159550c1062d2b1e9fc8dec66d61243d60f14871</code>",
            "1家，SHA-256 <code>ccd8b5dc07ca973942efe4611e1e9e12e78791c1c3988f7885cdfa6e2411f971</code>",
            "5名，SHA-256 <code>1ebb1305f7c8a9a40bd300c1e9746f0374075ff9d5afb4fbceea90ba257f051e</code>",
            "<td>3家</td>",
            &format!("/public/draws/{plan}"),
            "查看检查对象（4家）及检查结果",
        ] {
            assert!(index.body.contains(value), "{b}: {value} in {}", index.body);
        }
        assert!(!index.body.contains("/login"), "{b}: no login link");
        assert!(!index.body.contains("退出"), "{b}: no session");
        assert!(!index.body.contains("/static/"), "{b}: no app asset");

        // The draw's page: the targets in draw order with their published outcomes.
        let page = fetch(&app, &format!("/public/draws/{plan}"), &unpublished).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        let rows: Vec<&str> = page.body.split("<td class=\"r\">").skip(1).collect();
        let expected = [
            (
                KEY,
                "全覆盖",
                Some((DAY, "发现问题1项，已整改复查", "抽查执法员2、抽查执法员3")),
            ),
            (
                "91450103MA5LA2R9EP",
                "随机抽取",
                Some((DAY, "未发现问题", "抽查执法员4、抽查执法员1")),
            ),
            (
                "91450103MA5MC6W2JW",
                "随机抽取",
                Some((
                    DAY,
                    "发现问题1项，已责令限期整改",
                    "抽查执法员5、抽查执法员2",
                )),
            ),
            ("91450103MA5M1T4G8F", "随机抽取", None),
        ];
        assert_eq!(rows.len(), expected.len(), "{b}: {}", page.body);
        for (k, (row, (uscc, kind, outcome))) in rows.iter().zip(expected).enumerate() {
            assert!(row.starts_with(&format!("{}</td>", k + 1)), "{b}: {row}");
            assert!(row.contains(&name(uscc)), "{b}: {row}");
            assert!(row.contains(kind), "{b}: {row}");
            match outcome {
                Some((day, words, officers)) => {
                    assert!(
                        row.contains(&format!("<td class=\"date\">{day}</td>")),
                        "{b}"
                    );
                    assert!(row.contains(&format!("<td>{words}</td>")), "{b}: {row}");
                    assert!(row.contains(&format!("<td>{officers}</td>")), "{b}: {row}");
                }
                None => {
                    assert!(row.contains("暂无公示结果"), "{b}: {row}");
                    assert!(!row.contains("发现问题"), "{b}: unsettled: {row}");
                    assert!(!row.contains("抽查执法员"), "{b}: no pair before: {row}");
                }
            }
        }

        // The same as JSON, value for value.
        let list = fetch(&app, "/public/api/draws", &unpublished).await;
        assert_eq!(list.status, StatusCode::OK, "{b}");
        assert_eq!(list.headers[header::CONTENT_TYPE], "application/json");
        let list = list.json();
        assert_eq!(list["page"], 1);
        assert_eq!(list["more"], false);
        let draws = list["draws"].as_array().unwrap();
        assert_eq!(draws.len(), 1, "{b}");
        let d = &draws[0];
        let detail = fetch(&app, &format!("/public/api/draws/{plan}"), &unpublished)
            .await
            .json();
        for v in [d, &detail] {
            assert_eq!(v["id"], json!(plan));
            assert_eq!(v["unit"], "抽查示范镇");
            assert_eq!(v["version"], 1);
            assert_eq!(v["starts_on"], "2024-07-01");
            assert_eq!(v["ends_on"], "2024-10-31");
            assert_eq!(v["seed"], SEED);
            assert_eq!(v["algorithm"], "safeduty-draw");
            assert_eq!(v["algorithm_version"], 1);
            assert_eq!(
                v["candidates"],
                json!({"count": 8, "sha256": "284fc75001f663860e6cb671159550c1062d2b1e9fc8dec66d61243d60f14871"})
            );
            assert_eq!(
                v["mandatory"],
                json!({"count": 1, "sha256": "ccd8b5dc07ca973942efe4611e1e9e12e78791c1c3988f7885cdfa6e2411f971"})
            );
            assert_eq!(
                v["officers"],
                json!({"count": 5, "sha256": "1ebb1305f7c8a9a40bd300c1e9746f0374075ff9d5afb4fbceea90ba257f051e"})
            );
            assert_eq!(v["k"], 3);
            assert_eq!(v["target_count"], 4);
            assert_eq!(v["superseded_by_version"], json!(null));
        }
        let targets = detail["targets"].as_array().unwrap();
        let recorded = safeduty_store::enforcement::plans::recorded_draw(
            app.store(),
            safeduty_store::enforcement::plans::get(app.store(), &plan)
                .await
                .unwrap()
                .id,
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(targets.len(), 4, "{b}");
        for (k, (t, (uscc, _, outcome))) in targets.iter().zip(expected).enumerate() {
            assert_eq!(t["position"], k + 1);
            assert_eq!(t["enterprise"], json!(name(uscc)));
            assert_eq!(t["mandatory"], uscc == KEY);
            assert_eq!(t["digest"], json!(recorded.targets[k].digest), "{b}");
            match outcome {
                Some((day, words, officers)) => {
                    assert_eq!(t["outcome"]["inspected_on"], day);
                    assert_eq!(t["outcome"]["words"], words);
                    let names: Vec<&str> = officers.split('、').collect();
                    assert_eq!(t["outcome"]["officers"], json!(names));
                }
                None => assert_eq!(t["outcome"], json!(null), "{b}"),
            }
        }
        assert_eq!(targets[0]["outcome"]["kind"], "corrected");
        assert_eq!(targets[0]["outcome"]["problems"], 1);
        assert_eq!(targets[1]["outcome"]["kind"], "no_problems");
        assert_eq!(targets[1]["outcome"]["problems"], 0);
        assert_eq!(targets[2]["outcome"]["kind"], "ordered");

        // The draft is not published: 404 on both, no data.
        for path in [
            format!("/public/draws/{draft}"),
            format!("/public/api/draws/{draft}"),
        ] {
            let a = fetch(&app, &path, &unpublished).await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{b} {path}");
            assert_eq!(a.headers[header::CACHE_CONTROL], "no-store", "{b}");
        }
        let a = fetch(&app, "/public/api/draws/nonsense", &unpublished).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(a.json()["code"], "not_found");

        // A bad page number is refused naming it; a page past the end is empty.
        let a = fetch(&app, "/public/?page=0", &unpublished).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(a.body.contains("页码“0”须为1至10000之间的整数"), "{b}");
        let a = fetch(&app, "/public/api/draws?page=2", &unpublished).await;
        assert_eq!(a.json()["draws"], json!([]), "{b}");

        // Drawing again makes version 2; version 1 stays published, marked superseded.
        let v2 = plans::save(
            app.store(),
            &caller(&officer1),
            &PlanForm {
                starts_on: "2024-07-01".parse().unwrap(),
                ends_on: "2024-10-31".parse().unwrap(),
                size: DrawSize::Count(3),
                reason: "公示测试重新抽取".into(),
            },
        )
        .await
        .unwrap();
        plans::draw(
            app.store(),
            &caller(&officer1),
            &v2,
            "2024-07-02 福彩3D第2024176期 开奖号码 0 4 9",
        )
        .await
        .unwrap();
        let list = fetch(&app, "/public/api/draws", &unpublished).await.json();
        let ids: Vec<&str> = list["draws"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids.len(), 2, "{b}");
        assert!(
            ids.contains(&plan.as_str()) && ids.contains(&v2.as_str()),
            "{b}"
        );
        let page = fetch(&app, &format!("/public/draws/{plan}"), &unpublished).await;
        assert!(page.body.contains("已被第2版取代"), "{b}");
        assert!(
            !page.body.contains("公示测试重新抽取"),
            "{b}: the reason is free text, not published"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_public_router_routes_nothing_else_and_reads_no_session() {
    let app = TestApp::sqlite().await;
    let enterprise = app.enterprise_of("demo-enterprise").await;
    let office = app.login("demo-office").await;
    for path in [
        "/".to_string(),
        "/login".into(),
        "/healthz".into(),
        "/api/v1/campaign".into(),
        "/api/v1/openapi.json".into(),
        "/static/app.css".into(),
        "/static/app.js".into(),
        "/enforcement/plans".into(),
        format!("/enterprises/{enterprise}"),
        "/public".into(),
        "/public/api/".into(),
        "/public/app.js".into(),
    ] {
        for c in [None, Some(&office)] {
            let mut req = Request::get(&path);
            if let Some(c) = c {
                req = req.header(header::COOKIE, &c.cookie);
            }
            let a = app.send_public(req.body(Body::empty()).unwrap()).await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
            assert!(a.headers.get(header::SET_COOKIE).is_none(), "{path}");
            assert!(!a.body.contains("退出"), "{path}");
        }
    }
    // Only reading: a POST is not answered as a page.
    let a = app
        .send_public(Request::post("/public/").body(Body::empty()).unwrap())
        .await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    // The same page with and without a session: the session is not read.
    let anonymous = app.send_public(get("/public/")).await;
    let with_session = app
        .send_public(
            Request::get("/public/")
                .header(header::COOKIE, &office.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert_eq!(anonymous.body, with_session.body);
    assert!(with_session.headers.get(header::SET_COOKIE).is_none());
    // The stylesheet is the app's, under the public prefix.
    let css = app.send_public(get("/public/app.css")).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
    // And the application does not serve the public pages.
    let a = app.send(get("/public/")).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    app.cleanup().await;
}

#[tokio::test]
async fn the_public_pages_answer_429_beyond_the_limit_of_an_address() {
    let app = TestApp::sqlite().await;
    let state = safeduty_web::AppState::new(
        app.store().clone(),
        safeduty_core::calendar::Calendar::shipped(),
        safeduty_web::Clock::Fixed(DAY.parse().unwrap()),
        safeduty_web::WebConfig {
            public_limits: safeduty_web::rate_limit::PublicLimits {
                per_address: 3,
                window: std::time::Duration::from_secs(60),
            },
            ..safeduty_web::WebConfig::default()
        },
    );
    let router = safeduty_web::public::router(state);
    let from = |path: &str, addr: &str| {
        Request::get(path)
            .extension(ConnectInfo(addr.parse::<SocketAddr>().unwrap()))
            .body(Body::empty())
            .unwrap()
    };
    for k in 1..=3 {
        let a = crate::app::answer(router.clone(), from("/public/", "198.51.100.7:4000")).await;
        assert_eq!(a.status, StatusCode::OK, "request {k}");
    }
    // The fourth from the address, whatever the path (an unknown one counts too).
    let a = crate::app::answer(router.clone(), from("/public/", "198.51.100.7:4001")).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.headers[header::RETRY_AFTER], "60");
    assert_eq!(a.headers[header::CACHE_CONTROL], "no-store");
    assert!(a.body.contains("访问过于频繁，请稍后再试"), "{}", a.body);
    assert!(!a.body.contains("/login"));
    let a = crate::app::answer(
        router.clone(),
        from("/public/api/draws", "198.51.100.7:4002"),
    )
    .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.json()["code"], "rate_limited");
    // Another address is not limited by the first.
    let a = crate::app::answer(router.clone(), from("/public/", "198.51.100.8:4000")).await;
    assert_eq!(a.status, StatusCode::OK);
    app.cleanup().await;
}
