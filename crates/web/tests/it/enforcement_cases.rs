//! Penalty cases (issue #13) on SQLite and PostgreSQL: a case drafted from an inspection, filed
//! with its number, taken through notice, hearing notice, decision, service, payment and
//! closing over the API with the clock moving, each refusal on its field or with its reason and
//! nothing written; the pages: the draft's form keeps what was typed beside a refusal, the case
//! page shows the time limits and the step forms.

use axum::http::StatusCode;
use safeduty_app::Caller;
use safeduty_app::enforcement::authority;
use serde_json::{Value, json};

use crate::app::{Answer, Client, TestApp};
use crate::enforcement_fixture::{EnforcementFixture, enforcement_fixture};

/// Lets 东湖街道 file cases and decide penalties (a town's default powers do not hold them).
pub async fn grant_penalty_powers(app: &TestApp, fx: &EnforcementFixture) {
    let office = safeduty_store::org::user_by_username(app.store(), "demo-office")
        .await
        .unwrap();
    let powers = [
        "inspect",
        "order_correction",
        "on_site_measures",
        "file_case",
        "decide_penalty",
    ]
    .map(String::from);
    authority::set_powers(
        app.store(),
        &Caller {
            user: &office,
            client_addr: None,
        },
        fx.unit_id,
        &powers,
    )
    .await
    .unwrap();
}

/// A case on the fixture's inspection, drafted and filed (2024-06-20) by 东湖街道's two officers
/// through the use cases, after [`grant_penalty_powers`]. Answers its public id.
pub async fn filed_case(app: &TestApp, fx: &EnforcementFixture) -> String {
    use safeduty_app::enforcement::cases::{self, DraftSource};
    use safeduty_core::enforcement::case::CaseDraft;
    grant_penalty_powers(app, fx).await;
    let town = safeduty_store::org::user_by_username(app.store(), "demo-town")
        .await
        .unwrap();
    let caller = Caller {
        user: &town,
        client_addr: None,
    };
    let id = cases::draft(
        app.store(),
        &caller,
        &DraftSource::Inspection(fx.inspection.clone()),
        &CaseDraft {
            cause: "安全生产管理制度未公开".into(),
            facts: String::new(),
            provision: safeduty_core::enforcement::penalty::Provision::Art97Unit,
            party: safeduty_core::enforcement::violations::Party::Unit,
            person_name: String::new(),
            person_role: String::new(),
        },
    )
    .await
    .unwrap();
    let day = "2024-06-20".parse().unwrap();
    cases::file(app.store(), &caller, &id, 0, day, &fx.officer_ids, day)
        .await
        .unwrap();
    id
}

/// A second case on the fixture's inspection, a unit's, taken to its service on 2024-06-20
/// (5 000 yuan under art. 97: no hearing; the notice answered the same day), and its exposure
/// drafted by 东湖街道 (not published). Call after [`filed_case`]. Answers the exposure's id.
pub async fn drafted_exposure(app: &TestApp, fx: &EnforcementFixture) -> String {
    use safeduty_app::enforcement::cases::{self, DraftSource, Step};
    use safeduty_core::enforcement::case::{Answer, CaseDraft};
    use safeduty_core::enforcement::penalty::{Band, Provision};
    let town = safeduty_store::org::user_by_username(app.store(), "demo-town")
        .await
        .unwrap();
    let caller = Caller {
        user: &town,
        client_addr: None,
    };
    let day: chrono::NaiveDate = "2024-06-20".parse().unwrap();
    let id = cases::draft(
        app.store(),
        &caller,
        &DraftSource::Inspection(fx.inspection.clone()),
        &CaseDraft {
            cause: "未按规定公开安全生产管理制度".into(),
            facts: String::new(),
            provision: Provision::Art97Unit,
            party: safeduty_core::enforcement::violations::Party::Unit,
            person_name: String::new(),
            person_role: String::new(),
        },
    )
    .await
    .unwrap();
    cases::file(app.store(), &caller, &id, 0, day, &fx.officer_ids, day)
        .await
        .unwrap();
    for step in [
        Step::Investigate { date: day },
        Step::Notify {
            provision: Provision::Art97Unit,
            amount: 5_000,
            heavy: None,
            date: day,
        },
        Step::Answer {
            answer: Answer::Waived,
            date: day,
            note: String::new(),
        },
        Step::Decide {
            provision: Provision::Art97Unit,
            amount: 5_000,
            band: Some(Band::Minor),
            date: day,
        },
        Step::Serve { date: day },
    ] {
        let version = safeduty_store::enforcement::cases::get(app.store(), &id)
            .await
            .unwrap()
            .summary
            .version;
        cases::step(app.store(), &caller, &id, version, &step, day)
            .await
            .unwrap();
    }
    safeduty_app::enforcement::exposures::draft(
        app.store(),
        &caller,
        &id,
        "《中华人民共和国安全生产法》第二十五条",
    )
    .await
    .unwrap()
}

pub(crate) fn refused(a: &Answer, status: StatusCode, field: Option<&str>) -> String {
    assert_eq!(a.status, status, "{}", a.body);
    let v = a.json();
    if let Some(f) = field {
        assert_eq!(v["field"], f, "{}", a.body);
    }
    v["message"].as_str().unwrap().to_string()
}

pub(crate) async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let mut tx = app.store().write().await.unwrap();
    let v: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    v
}

/// Posts a step with the case's current version; answers the reply.
async fn step(app: &TestApp, c: &Client, id: &str, mut body: Value) -> Answer {
    let version = app.get(c, &format!("/api/v1/cases/{id}")).await.json()["version"].clone();
    body["version"] = version;
    app.json(c, "POST", &format!("/api/v1/cases/{id}/steps"), body)
        .await
}

pub(crate) fn ok(a: &Answer) -> Value {
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.json()
}

fn windows(v: &Value) -> Vec<(String, String, bool, bool)> {
    v["windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["label"].as_str().unwrap().to_string(),
                w["closes"].as_str().unwrap().to_string(),
                w["met"].as_bool().unwrap(),
                w["overdue"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn w(label: &str, closes: &str, met: bool, overdue: bool) -> (String, String, bool, bool) {
    (label.into(), closes.into(), met, overdue)
}

#[tokio::test]
async fn a_case_runs_from_its_draft_to_its_closing_under_the_rules_in_force() {
    for app in TestApp::all().await {
        let b = app.backend();
        let fx = enforcement_fixture(&app).await;
        grant_penalty_powers(&app, &fx).await;
        let app = app.on_day("2024-10-09");
        let town = app.login("demo-town").await;
        let ent = app.login("demo-enterprise").await;
        let other = app.login("demo-enterprise2").await;

        // The draft: the provision must fine the kind of party chosen.
        let mut draft = json!({
            "inspection": fx.inspection,
            "cause": "未按规定落实安全生产管理制度公开",
            "facts": "2024年6月20日现场检查发现安全生产管理制度未公开。",
            "provision": "art96_person",
            "party": "unit",
        });
        let m = refused(
            &app.json(&town, "POST", "/api/v1/cases", draft.clone())
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("provision"),
        );
        assert_eq!(
            m, "《安全生产法》第九十六条（对个人）的处罚对象是个人，与当事人不符",
            "{b}"
        );
        draft["provision"] = json!("art97_unit");
        draft["cause"] = json!(" ");
        refused(
            &app.json(&town, "POST", "/api/v1/cases", draft.clone())
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("cause"),
        );
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM cases").await, 0, "{b}");
        draft["cause"] = json!("未按规定落实安全生产管理制度公开");
        let made = app.json(&town, "POST", "/api/v1/cases", draft).await;
        assert_eq!(made.status, StatusCode::CREATED, "{b}: {}", made.body);
        let v = made.json();
        let id = v["id"].as_str().unwrap().to_string();
        assert_eq!(v["status"], "draft", "{b}");
        assert_eq!(v["number"], Value::Null, "{b}");
        assert_eq!(v["party_name"], v["enterprise"], "{b}");
        // The party does not see the unit's draft.
        assert_eq!(
            app.get(&ent, &format!("/api/v1/cases/{id}")).await.status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
        assert_eq!(
            app.get(&ent, "/api/v1/cases").await.json(),
            json!([]),
            "{b}"
        );

        // The filing: two certified officers, a date not after today.
        let filing = |officers: Value, on: &str| json!({"version": v["version"], "filed_on": on, "officers": officers});
        let path = format!("/api/v1/cases/{id}/filing");
        let m = refused(
            &app.json(
                &town,
                "POST",
                &path,
                filing(json!([fx.officer_ids[0]]), "2024-09-20"),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("officers"),
        );
        assert_eq!(m, "执法人员不少于两名，现列出1名", "{b}");
        refused(
            &app.json(
                &town,
                "POST",
                &path,
                filing(json!(fx.officer_ids), "2024-10-10"),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("filed_on"),
        );
        // Before any case rule in data (the first period starts 2015-05-01): refused.
        let m = refused(
            &app.json(
                &town,
                "POST",
                &path,
                filing(json!(fx.officer_ids), "2014-12-31"),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("filed_on"),
        );
        assert!(m.starts_with("2014-12-31没有适用的"), "{b}: {m}");
        assert_eq!(app.audit_count("case_filed").await, 0, "{b}");
        let filed = ok(&app
            .json(
                &town,
                "POST",
                &path,
                filing(json!(fx.officer_ids), "2024-09-20"),
            )
            .await);
        assert_eq!(filed["number"], "（东）应急立〔2024〕1号", "{b}");
        assert_eq!(filed["status"], "filed", "{b}");
        assert_eq!(filed["officers"].as_array().unwrap().len(), 2, "{b}");
        // Filed once: the same draft cannot be filed again.
        let again = app
            .json(
                &town,
                "POST",
                &path,
                json!({"version": filed["version"], "filed_on": "2024-09-20", "officers": fx.officer_ids}),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{b}: {}", again.body);

        // Steps out of order are refused with the reason; a stale version is 409.
        let m = refused(
            &step(&app, &town, &id, json!({"step": "notify", "provision": "art97_unit", "amount": "50000", "date": "2024-09-27"})).await,
            StatusCode::CONFLICT,
            None,
        );
        assert_eq!(m, "案件当前为“已立案”，不能送达行政处罚告知书", "{b}");
        let stale = app
            .json(
                &town,
                "POST",
                &format!("/api/v1/cases/{id}/steps"),
                json!({"version": 0, "step": "investigate", "date": "2024-09-23"}),
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{b}: {}", stale.body);
        ok(&step(
            &app,
            &town,
            &id,
            json!({"step": "investigate", "date": "2024-09-23"}),
        )
        .await);
        // A notice above the statutory range is refused on the amount.
        let m = refused(
            &step(&app, &town, &id, json!({"step": "notify", "provision": "art97_unit", "amount": "150000", "date": "2024-09-27"})).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("amount"),
        );
        assert!(
            m.starts_with("罚款金额150000元超出《安全生产法》第九十七条（对单位）的法定幅度"),
            "{b}: {m}"
        );
        let v = ok(&step(&app, &town, &id, json!({"step": "notify", "provision": "art97_unit", "amount": "50,000", "date": "2024-09-27"})).await);
        assert_eq!(v["steps"]["notice"]["amount"], 50_000, "{b}");
        assert_eq!(v["hearing_required"], true, "{b}");

        // 50 000 yuan on a unit reaches the hearing threshold (30 000): no decision before the
        // hearing notice, nor while its window runs (to 10-10, across National Day).
        let decide = json!({"step": "decide", "provision": "art97_unit", "amount": "50000", "band": "general", "date": "2024-10-09"});
        let m = refused(
            &step(&app, &town, &id, decide.clone()).await,
            StatusCode::CONFLICT,
            None,
        );
        assert_eq!(
            m, "拟处罚款50000元达到听证标准或拟责令停产停业整顿、吊销证照，应当先送达听证告知书",
            "{b}"
        );
        let v = ok(&step(
            &app,
            &town,
            &id,
            json!({"step": "offer_hearing", "date": "2024-09-27"}),
        )
        .await);
        assert_eq!(
            windows(&v),
            vec![
                w("陈述申辩期限", "2024-10-08", false, false),
                w("申请听证期限", "2024-10-10", false, false),
                w("作出处罚决定期限", "2024-10-20", false, false),
            ],
            "{b}"
        );
        let m = refused(
            &step(&app, &town, &id, decide.clone()).await,
            StatusCode::CONFLICT,
            None,
        );
        assert_eq!(
            m, "申请听证期限（5个工作日）至2024-10-10届满，期满前不能作出决定",
            "{b}"
        );

        // After the window: the amount must lie in the statutory range and not exceed the
        // notice's; the decision records the band and the table in force.
        let app = app.on_day("2024-10-11");
        let mut over = decide.clone();
        over["date"] = json!("2024-10-11");
        over["amount"] = json!("60000");
        let m = refused(
            &step(&app, &town, &id, over).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("amount"),
        );
        assert_eq!(
            m, "决定罚款60000元高于告知书拟处罚款50000元；加重处罚应当重新告知",
            "{b}"
        );
        let mut fine = decide.clone();
        fine["date"] = json!("2024-10-11");
        let v = ok(&step(&app, &town, &id, fine).await);
        assert_eq!(v["status"], "decided", "{b}");
        assert_eq!(v["steps"]["decision"]["band"], "general", "{b}");
        // Decided before 2024-11-01: the former standard's table, not 应急〔2024〕90号.
        assert_eq!(
            v["steps"]["decision"]["table"], "《安全生产行政处罚自由裁量标准》（国家安全监管总局）",
            "{b}"
        );
        assert_eq!(
            windows(&v).last(),
            Some(&w("送达期限", "2024-10-21", false, false)),
            "{b}"
        );
        ok(&step(
            &app,
            &town,
            &id,
            json!({"step": "serve", "date": "2024-10-11"}),
        )
        .await);

        // Paid two days after the 15 days: the late fee is 3 % a day.
        let app = app.on_day("2024-10-28");
        let v = app.get(&town, &format!("/api/v1/cases/{id}")).await.json();
        assert_eq!(
            windows(&v).last(),
            Some(&w("缴纳罚款期限", "2024-10-26", false, true)),
            "{b}"
        );
        let v = ok(&step(
            &app,
            &town,
            &id,
            json!({"step": "pay", "date": "2024-10-28"}),
        )
        .await);
        assert_eq!(v["steps"]["late_fee"], 3_000, "{b}");

        // Closing needs every document on file.
        let m = refused(
            &step(
                &app,
                &town,
                &id,
                json!({"step": "close", "date": "2024-10-28"}),
            )
            .await,
            StatusCode::CONFLICT,
            Some("documents"),
        );
        assert_eq!(
            m,
            "案卷文书不全，缺少：立案审批表、行政处罚告知书、听证告知书、行政处罚决定书、送达回执、罚款缴纳凭证",
            "{b}"
        );
        for kind in [
            "filing",
            "penalty_notice",
            "hearing_notice",
            "decision",
            "service_receipt",
            "payment_receipt",
        ] {
            let up = app
                .multipart(
                    &town,
                    &format!("/enforcement/cases/{id}/documents/{kind}"),
                    &[("csrf", &town.csrf)],
                    Some(("签章件.pdf", b"%PDF-1.4 case scan")),
                )
                .await;
            assert_eq!(up.status, StatusCode::SEE_OTHER, "{b} {kind}: {}", up.body);
        }
        let v = ok(&step(
            &app,
            &town,
            &id,
            json!({"step": "close", "date": "2024-10-28"}),
        )
        .await);
        assert_eq!(v["status"], "closed", "{b}");
        assert!(
            v["documents"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| !d["on_file"].is_null()),
            "{b}"
        );

        // The documents generated from the record, each with the case's number; those whose
        // step was not taken (no 不予处罚 here) or that come from outside are not generated.
        for kind in [
            "filing",
            "penalty_notice",
            "hearing_notice",
            "decision",
            "service_receipt",
            "closing",
        ] {
            let d = app
                .get(&ent, &format!("/enforcement/cases/{id}/documents/{kind}"))
                .await;
            assert_eq!(d.status, StatusCode::OK, "{b} {kind}: {}", d.body);
            let disposition = d.headers["content-disposition"].to_str().unwrap();
            assert!(disposition.contains(".docx"), "{b} {kind}: {disposition}");
        }
        for kind in ["no_penalty_decision", "payment_receipt", "bogus"] {
            let d = app
                .get(&town, &format!("/enforcement/cases/{id}/documents/{kind}"))
                .await;
            assert_eq!(d.status, StatusCode::NOT_FOUND, "{b} {kind}");
        }

        // The party reads its case; another enterprise does not.
        let seen = ok(&app.get(&ent, &format!("/api/v1/cases/{id}")).await);
        assert_eq!(seen["number"], "（东）应急立〔2024〕1号", "{b}");
        assert_eq!(
            app.get(&other, &format!("/api/v1/cases/{id}")).await.status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
        // Each accepted step wrote one audit record, each refusal none.
        assert_eq!(app.audit_count("case_drafted").await, 1, "{b}");
        assert_eq!(app.audit_count("case_filed").await, 1, "{b}");
        assert_eq!(app.audit_count("case_step_recorded").await, 7, "{b}");

        // The figures: a second case filed 09-25 and not decided by 10-28 is past its 30 days.
        let second = app
            .json(
                &town,
                "POST",
                "/api/v1/cases",
                json!({"enterprise": fx.enterprise, "cause": "未按规定组织演练", "provision": "art97_unit", "party": "unit"}),
            )
            .await
            .json();
        let filed = ok(&app
            .json(
                &town,
                "POST",
                &format!("/api/v1/cases/{}/filing", second["id"].as_str().unwrap()),
                json!({"version": second["version"], "filed_on": "2024-09-25", "officers": fx.officer_ids}),
            )
            .await);
        assert_eq!(filed["number"], "（东）应急立〔2024〕2号", "{b}");
        let office = app.login("demo-office").await;
        let bytes = app.get_bytes(&office, "/enforcement/figures.xlsx").await;
        let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        use calamine::Reader;
        let sheet = book.worksheet_range("执法统计").unwrap();
        let donghu: Vec<String> = sheet.rows().find(|r| r[1] == "东湖街道").unwrap()[15..]
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            donghu,
            ["2", "1", "1", "1", "50000"],
            "{b}: filed, decided, closed, overdue, fines"
        );
        let by_provision: Vec<Vec<String>> = book
            .worksheet_range("罚款按条款")
            .unwrap()
            .rows()
            .map(|r| r.iter().map(ToString::to_string).collect())
            .collect();
        assert_eq!(
            by_provision,
            [
                vec!["条款", "决定数", "罚款金额(元)"],
                vec!["《安全生产法》第九十七条（对单位）", "1", "50000"],
            ],
            "{b}"
        );
        let page = app.get(&office, "/enforcement/figures").await;
        assert!(page.body.contains("罚款按条款"), "{b}");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_case_pages_keep_what_was_typed_and_show_the_time_limits() {
    let app = TestApp::sqlite().await;
    let fx = enforcement_fixture(&app).await;
    grant_penalty_powers(&app, &fx).await;
    let town = app.login("demo-town").await;
    let ent = app.login("demo-enterprise").await;

    let new = format!("/enforcement/cases/new?inspection={}", fx.inspection);
    let form = app.get(&town, &new).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body.contains("现场检查（（东）应急检记〔2024〕1号）"),
        "{}",
        form.body
    );
    // The enterprise may not draft a case: 403, no form.
    assert_eq!(app.get(&ent, &new).await.status, StatusCode::FORBIDDEN);

    let refused = app
        .form(
            &town,
            &new,
            &[
                ("csrf", &town.csrf),
                ("cause", "未落实安全生产管理制度"),
                ("facts", "制度未公开"),
                ("provision", "art96_person"),
                ("party", "person"),
                ("party_name", ""),
                ("party_role", "安全生产管理人员"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("请填写当事人姓名"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("制度未公开"), "{}", refused.body);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM cases").await, 0);

    let made = app
        .form(
            &town,
            &new,
            &[
                ("csrf", &town.csrf),
                ("cause", "未落实安全生产管理制度"),
                ("facts", "制度未公开"),
                ("provision", "art96_person"),
                ("party", "person"),
                ("party_name", "李某"),
                ("party_role", "安全生产管理人员"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let page = made.headers["location"].to_str().unwrap().to_string();
    let id = page.rsplit('/').next().unwrap().to_string();
    let shown = app.get(&town, &page).await;
    assert!(
        shown.body.contains("草稿：立案审批后编号"),
        "{}",
        shown.body
    );
    assert!(
        shown.body.contains("李某（安全生产管理人员，"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("批准立案"), "{}", shown.body);

    // The filing with one officer: the message beside the form, the date kept.
    let version = scalar(&app, "SELECT version FROM cases").await.to_string();
    let one = fx.officer_ids[0].to_string();
    let again = app
        .form(
            &town,
            &format!("/enforcement/cases/{id}/filing"),
            &[
                ("csrf", &town.csrf),
                ("version", &version),
                ("filed_on", "2024-06-19"),
                ("officer", &one),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.body.contains("执法人员不少于两名，现列出1名"),
        "{}",
        again.body
    );
    assert!(
        again.body.contains("value=\"2024-06-19\""),
        "{}",
        again.body
    );
    let two = fx.officer_ids[1].to_string();
    let filed = app
        .form(
            &town,
            &format!("/enforcement/cases/{id}/filing"),
            &[
                ("csrf", &town.csrf),
                ("version", &version),
                ("filed_on", "2024-06-19"),
                ("officer", &one),
                ("officer", &two),
            ],
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let shown = app.get(&town, &page).await;
    assert!(
        shown.body.contains("（东）应急立〔2024〕1号"),
        "{}",
        shown.body
    );
    // 30 days from 06-19 to decide.
    assert!(shown.body.contains("作出处罚决定期限"), "{}", shown.body);
    assert!(shown.body.contains("2024-07-19"), "{}", shown.body);
    assert!(shown.body.contains("开始调查取证"), "{}", shown.body);
    // The calculator's hint: art. 96's statutory range and the bands.
    assert!(
        shown.body.contains("法定罚款10000至30000元"),
        "{}",
        shown.body
    );

    // A step refused: the message beside its form.
    let version = scalar(&app, "SELECT version FROM cases").await.to_string();
    let bad = app
        .form(
            &town,
            &format!("/enforcement/cases/{id}/steps"),
            &[
                ("csrf", &town.csrf),
                ("version", &version),
                ("step", "investigate"),
                ("date", "2024-06-18"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("日期2024-06-18早于上一步骤的日期2024-06-19"),
        "{}",
        bad.body
    );
    // The enforcement home lists it.
    let home = app.get(&town, "/enforcement").await;
    assert!(
        home.body.contains(&format!("/enforcement/cases/{id}")),
        "{}",
        home.body
    );
    app.cleanup().await;
}

/// A case on the fixture's inspection against a person, taken on 2024-06-20 (the fixture's day)
/// from its draft to its service: art. 96, 10 000 yuan, a hearing offered and waived.
pub(crate) async fn served_person_case(
    app: &TestApp,
    town: &Client,
    fx: &EnforcementFixture,
    name: &str,
) -> String {
    let made = app
        .json(
            town,
            "POST",
            "/api/v1/cases",
            json!({"inspection": fx.inspection, "cause": "安全生产管理人员未履行安全生产管理职责",
                   "facts": "检查发现其未组织安全检查，联系电话13800001234。",
                   "provision": "art96_person", "party": "person",
                   "party_name": name, "party_role": "安全生产管理人员"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let v = made.json();
    let id = v["id"].as_str().unwrap().to_string();
    ok(&app
        .json(
            town,
            "POST",
            &format!("/api/v1/cases/{id}/filing"),
            json!({"version": v["version"], "filed_on": "2024-06-20", "officers": fx.officer_ids}),
        )
        .await);
    for body in [
        json!({"step": "investigate", "date": "2024-06-20"}),
        json!({"step": "notify", "provision": "art96_person", "amount": "10000", "date": "2024-06-20"}),
        json!({"step": "offer_hearing", "date": "2024-06-20"}),
        json!({"step": "answer", "answer": "waived", "date": "2024-06-20"}),
        json!({"step": "decide", "provision": "art96_person", "amount": "10000", "band": "minor", "date": "2024-06-20"}),
    ] {
        ok(&step(app, town, &id, body).await);
    }
    id
}

async fn public_json(app: &TestApp) -> Value {
    let a = app
        .send_public(
            axum::http::Request::get("/public/api/exposures")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.json()
}

#[tokio::test]
async fn a_served_case_is_exposed_by_surname_only_approved_by_another_and_withdrawn_with_a_reason()
{
    for app in TestApp::all().await {
        let b = app.backend();
        let fx = enforcement_fixture(&app).await;
        grant_penalty_powers(&app, &fx).await;
        let town = app.login("demo-town").await;
        let office = app.login("demo-office").await;
        let id = served_person_case(&app, &town, &fx, "张建国").await;
        let article = "《中华人民共和国安全生产法》第二十五条";

        // Not served yet: no exposure.
        let early = app
            .json(
                &town,
                "POST",
                "/api/v1/exposures",
                json!({"case": id, "violated_article": article}),
            )
            .await;
        let m = refused(&early, StatusCode::CONFLICT, None);
        assert_eq!(
            m, "案件当前为“已决定”，只有已作出决定并送达的案件可以曝光",
            "{b}"
        );
        ok(&step(
            &app,
            &town,
            &id,
            json!({"step": "serve", "date": "2024-06-20"}),
        )
        .await);
        refused(
            &app.json(
                &town,
                "POST",
                "/api/v1/exposures",
                json!({"case": id, "violated_article": " "}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("violated_article"),
        );
        let drafted = app
            .json(
                &town,
                "POST",
                "/api/v1/exposures",
                json!({"case": id, "violated_article": article}),
            )
            .await;
        assert_eq!(drafted.status, StatusCode::CREATED, "{b}: {}", drafted.body);
        let x = drafted.json();
        assert_eq!(x["party"], "张某某（安全生产管理人员）", "{b}");
        assert_eq!(x["penalty"], "罚款人民币10000元", "{b}");
        assert_eq!(
            x["applied_article"], "《安全生产法》第九十六条（对个人）",
            "{b}"
        );
        assert_eq!(x["status"], "draft", "{b}");
        let xid = x["id"].as_str().unwrap().to_string();
        // A draft is not public.
        assert_eq!(public_json(&app).await["exposures"], json!([]), "{b}");
        // The officer cannot approve; the committee office, not the drafter, publishes.
        let path = format!("/api/v1/exposures/{xid}/publish");
        assert_eq!(
            app.json(&town, "POST", &path, json!({"version": x["version"]}))
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{b}"
        );
        let published = ok(&app
            .json(&office, "POST", &path, json!({"version": x["version"]}))
            .await);
        assert_eq!(published["status"], "published", "{b}");
        assert_eq!(published["published_on"], "2024-06-20", "{b}");

        // The public page and JSON show it, with no personal field of the party or its unit.
        let shown = public_json(&app).await;
        let list = shown["exposures"].as_array().unwrap();
        assert_eq!(list.len(), 1, "{b}");
        assert_eq!(list[0]["party"], "张某某（安全生产管理人员）", "{b}");
        assert_eq!(list[0]["violated_article"], article, "{b}");
        let page = app
            .send_public(
                axum::http::Request::get("/public/exposures")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        let enterprise = safeduty_store::org::enterprise_by_public_id(app.store(), &fx.enterprise)
            .await
            .unwrap();
        assert!(page.body.contains(&enterprise.name), "{b}");
        let mut tx = app.store().write().await.unwrap();
        let (uscc, principal, phone, address, manager): (String, String, String, String, String) =
            sqlx::query_as(
                "SELECT uscc, principal, phone, address, safety_manager FROM enterprises WHERE public_id = $1",
            )
            .bind(&fx.enterprise)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let certificates: Vec<String> =
            ok(&app.get(&town, &format!("/api/v1/cases/{id}")).await)["officers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["certificate_number"].as_str().unwrap().to_string())
                .collect();
        for body in [&page.body, &shown.to_string()] {
            for secret in [
                "张建国",
                "建国",
                "13800001234",
                "未组织安全检查",
                &uscc,
                &principal,
                &phone,
                &address,
                &manager,
                "demo-town",
            ]
            .into_iter()
            .chain(certificates.iter().map(String::as_str))
            .filter(|s| !s.is_empty())
            {
                assert!(!body.contains(secret), "{b}: {secret:?} published");
            }
        }

        // The drafter cannot publish its own draft: the office drafts a second one.
        let second = served_person_case(&app, &town, &fx, "欧阳明").await;
        ok(&step(
            &app,
            &town,
            &second,
            json!({"step": "serve", "date": "2024-06-20"}),
        )
        .await);
        let y = app
            .json(
                &office,
                "POST",
                "/api/v1/exposures",
                json!({"case": second, "violated_article": article}),
            )
            .await;
        assert_eq!(y.status, StatusCode::CREATED, "{b}: {}", y.body);
        let y = y.json();
        assert_eq!(y["party"], "欧阳某某（安全生产管理人员）", "{b}");
        let m = refused(
            &app.json(
                &office,
                "POST",
                &format!("/api/v1/exposures/{}/publish", y["id"].as_str().unwrap()),
                json!({"version": y["version"]}),
            )
            .await,
            StatusCode::FORBIDDEN,
            None,
        );
        assert_eq!(m, "曝光须由起草人以外的人员审核发布", "{b}");

        // Shown for 365 days, counting the day published.
        let app = app.on_day("2025-06-19");
        assert_eq!(
            public_json(&app).await["exposures"]
                .as_array()
                .unwrap()
                .len(),
            1,
            "{b}"
        );
        let app = app.on_day("2025-06-20");
        assert_eq!(public_json(&app).await["exposures"], json!([]), "{b}");
        let app = app.on_day("2024-06-25");

        // The circular lists it; a withdrawal needs a reason and is kept.
        let docx = app.get_bytes(&office, "/enforcement/exposures.docx").await;
        assert!(docx.starts_with(b"PK"), "{b}");
        let path = format!("/api/v1/exposures/{xid}/withdraw");
        refused(
            &app.json(
                &office,
                "POST",
                &path,
                json!({"version": published["version"], "reason": ""}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("reason"),
        );
        let withdrawn = ok(&app
            .json(
                &office,
                "POST",
                &path,
                json!({"version": published["version"], "reason": "当事人已申请行政复议"}),
            )
            .await);
        assert_eq!(withdrawn["status"], "withdrawn", "{b}");
        assert_eq!(withdrawn["withdraw_reason"], "当事人已申请行政复议", "{b}");
        assert_eq!(public_json(&app).await["exposures"], json!([]), "{b}");
        let internal = app.get(&office, "/enforcement/exposures").await;
        assert!(internal.body.contains("当事人已申请行政复议"), "{b}");
        assert_eq!(app.audit_count("exposure_drafted").await, 2, "{b}");
        assert_eq!(app.audit_count("exposure_published").await, 1, "{b}");
        assert_eq!(app.audit_count("exposure_withdrawn").await, 1, "{b}");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_regions_hearing_threshold_decides_whether_a_hearing_is_offered() {
    let app = TestApp::sqlite().await;
    let fx = enforcement_fixture(&app).await;
    grant_penalty_powers(&app, &fx).await;
    let office = app.login("demo-office").await;
    let town = app.login("demo-town").await;
    let settings = |unit: &'static str| {
        vec![
            ("region_short", "示"),
            ("kind_words.inspection_record", "应急检记"),
            ("kind_words.on_site_measures", "应急现决"),
            ("kind_words.correction_order", "应急责改"),
            ("kind_words.re_inspection", "应急复查"),
            ("kind_words.case_filing", "应急立"),
            ("reconsideration_body", "示例区人民政府"),
            ("court", "示例区人民法院"),
            ("yearly_cap", "2"),
            ("hearing_threshold_person", ""),
            ("hearing_threshold_unit", unit),
        ]
    };
    let mut bad = vec![("csrf", office.csrf.as_str())];
    bad.extend(settings("六万"));
    let refused = app.form(&office, "/enforcement/settings", &bad).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("听证标准应为1至10000000元之间的整数"),
        "{}",
        refused.body
    );
    let mut good = vec![("csrf", office.csrf.as_str())];
    good.extend(settings("６００００"));
    let saved = app.form(&office, "/enforcement/settings", &good).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let made = app
        .json(
            &town,
            "POST",
            "/api/v1/cases",
            json!({"inspection": fx.inspection, "cause": "未按规定公开安全生产管理制度",
                   "provision": "art97_unit", "party": "unit"}),
        )
        .await
        .json();
    let id = made["id"].as_str().unwrap().to_string();
    ok(&app
        .json(
            &town,
            "POST",
            &format!("/api/v1/cases/{id}/filing"),
            json!({"version": made["version"], "filed_on": "2024-06-20", "officers": fx.officer_ids}),
        )
        .await);
    ok(&step(
        &app,
        &town,
        &id,
        json!({"step": "investigate", "date": "2024-06-20"}),
    )
    .await);
    let v = ok(&step(
        &app,
        &town,
        &id,
        json!({"step": "notify", "provision": "art97_unit", "amount": "50000", "date": "2024-06-20"}),
    )
    .await);
    // 50 000 reaches the shipped 30 000 but not the region's 60 000: no hearing offered.
    assert_eq!(v["hearing_required"], false, "{v}");
    let m = refused_json(
        &step(
            &app,
            &town,
            &id,
            json!({"step": "offer_hearing", "date": "2024-06-20"}),
        )
        .await,
    );
    assert_eq!(
        m,
        "拟处罚款未达到听证标准，且未拟责令停产停业整顿或吊销证照，无需听证告知"
    );
    app.cleanup().await;
}

fn refused_json(a: &Answer) -> String {
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
    a.json()["message"].as_str().unwrap().to_string()
}
