//! Enforcement over the JSON API, the committee office's settings page and the figures with
//! their export (issue #12), on SQLite and PostgreSQL: an inspection, its order with an
//! extension, a completion report and the re-inspection, on-site measures and their review,
//! each bad input refused on its field with nothing written.

use axum::http::{StatusCode, header};
use calamine::{Data, Reader, Xlsx};
use safeduty_store::enforcement::orders;
use serde_json::{Value, json};

use crate::app::{Answer, Client, TestApp};
use crate::enforcement_fixture::{EnforcementFixture, enforcement_fixture};

/// A complete inspection of the target by the fixture's two officers, on `date`.
async fn inspection_body(app: &TestApp, fx: &EnforcementFixture, date: &str) -> Value {
    let campaign = safeduty_store::campaigns::latest(app.store())
        .await
        .unwrap()
        .unwrap();
    let items: Vec<Value> = campaign
        .item_numbers()
        .into_iter()
        .map(|n| match n {
            2 => {
                json!({"item": n, "answer": "non_conform", "note": "未建立安全生产责任制考核记录"})
            }
            3 => json!({"item": n, "answer": "not_applicable"}),
            _ => json!({"item": n, "answer": "conform"}),
        })
        .collect();
    json!({
        "enterprise_id": fx.enterprise,
        "date": date,
        "start_time": "14:00",
        "end_time": "16:00",
        "place": "仓库",
        "person_present": "陈志远",
        "person_present_role": "安全管理员",
        "officers": fx.officer_ids,
        "guests": [{"name": "周专家", "kind": "expert", "organisation": "示例安全技术服务中心"}],
        "notice": "announced",
        "summary": "复核检查",
        "items": items,
    })
}

fn refused_on(a: &Answer, status: StatusCode, field: &str) -> String {
    assert_eq!(a.status, status, "{}", a.body);
    let v = a.json();
    assert_eq!(v["field"], field, "{}", a.body);
    v["message"].as_str().unwrap().to_string()
}

async fn inspections_of(app: &TestApp, c: &Client) -> usize {
    let list = app.get(c, "/api/v1/inspections").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.json().as_array().unwrap().len()
}

#[tokio::test]
async fn an_inspection_its_order_and_the_re_inspection_over_the_api() {
    for app in TestApp::all().await {
        let b = app.backend();
        let fx = enforcement_fixture(&app).await;
        let office = app.login("demo-office").await;
        let town = app.login("demo-town").await;
        let dept = app.login("demo-dept").await;
        let ent = app.login("demo-enterprise").await;
        let other = app.login("demo-enterprise2").await;

        // The region's short name in document numbers, set on the settings page.
        let saved = app
            .form(
                &office,
                "/enforcement/settings",
                &[
                    ("csrf", &office.csrf),
                    ("region_short", "示"),
                    ("kind_words.inspection_record", "应急检记"),
                    ("kind_words.on_site_measures", "应急现决"),
                    ("kind_words.correction_order", "应急责改"),
                    ("kind_words.re_inspection", "应急复查"),
                    ("kind_words.case_filing", "应急立"),
                    ("reconsideration_body", "示例区人民政府"),
                    ("court", "示例区人民法院"),
                    ("yearly_cap", "2"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{b}: {}", saved.body);

        // The unit's officers, both certified today.
        let officers = app.get(&town, "/api/v1/officers").await.json();
        let ids: Vec<i64> = officers
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["certified_today"] == true)
            .map(|o| o["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, fx.officer_ids.to_vec(), "{b}");
        assert_eq!(
            app.get(&ent, "/api/v1/officers").await.status,
            StatusCode::FORBIDDEN
        );

        // Bad input: refused on its field, nothing written.
        let before = inspections_of(&app, &town).await;
        let inspection_recorded = app.audit_count("inspection_recorded").await;
        let body = inspection_body(&app, &fx, "2024-06-20").await;
        let mut one = body.clone();
        one["officers"] = json!([fx.officer_ids[0]]);
        let m = refused_on(
            &app.json(&town, "POST", "/api/v1/inspections", one).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "officers",
        );
        assert_eq!(m, "执法人员不少于两名，现列出1名", "{b}");
        // An expired certificate (set so on the settings page, then renewed).
        let cert = format!(
            "/enforcement/settings/units/{}/officers/{}/certificate",
            fx.unit_id, fx.officer_ids[1]
        );
        let set_cert = |until: &'static str| {
            vec![
                ("csrf", office.csrf.clone()),
                ("certificate_number", "45010320240002".to_string()),
                ("certificate_valid_from", "2024-01-01".to_string()),
                ("certificate_valid_until", until.to_string()),
            ]
        };
        let fields = set_cert("2024-06-19");
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            app.form(&office, &cert, &fields).await.status,
            StatusCode::SEE_OTHER
        );
        let m = refused_on(
            &app.json(&town, "POST", "/api/v1/inspections", body.clone())
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "officers",
        );
        assert_eq!(
            m, "执法人员东湖街道 执法员乙（测试）的执法证已于2024-06-19过期",
            "{b}"
        );
        let fields = set_cert("2026-12-31");
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            app.form(&office, &cert, &fields).await.status,
            StatusCode::SEE_OTHER
        );
        let mut later = body.clone();
        later["date"] = json!("2024-06-21");
        refused_on(
            &app.json(&town, "POST", "/api/v1/inspections", later).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "date",
        );
        let mut bad_date = body.clone();
        bad_date["date"] = json!("2024-02-30");
        let m = refused_on(
            &app.json(&town, "POST", "/api/v1/inspections", bad_date)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "date",
        );
        assert_eq!(m, "检查日期“2024-02-30”不是有效日期（应为YYYY-MM-DD）");
        // A guest named like an officer.
        let mut guest = body.clone();
        guest["guests"] =
            json!([{"name": "东湖街道 执法员乙（测试）", "kind": "media", "organisation": ""}]);
        refused_on(
            &app.json(&town, "POST", "/api/v1/inspections", guest).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "guests",
        );
        // An item unanswered and a note missing: one field error each.
        let mut items = body.clone();
        items["items"][0]["answer"] = json!("");
        items["items"][1]["note"] = json!("");
        let a = app.json(&town, "POST", "/api/v1/inspections", items).await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: {}",
            a.body
        );
        assert_eq!(a.json()["fields"][0]["field"], "answer", "{b}: {}", a.body);
        // The department may not inspect with 东湖街道's officers.
        let a = app
            .json(&dept, "POST", "/api/v1/inspections", body.clone())
            .await;
        refused_on(&a, StatusCode::UNPROCESSABLE_ENTITY, "officers");
        // An enterprise does not record inspections.
        assert_eq!(
            app.json(&ent, "POST", "/api/v1/inspections", body.clone())
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(inspections_of(&app, &town).await, before, "{b}");
        assert_eq!(
            app.audit_count("inspection_recorded").await,
            inspection_recorded,
            "{b}: nothing recorded"
        );

        // Recorded, numbered after the fixture's, with its finding; the same token again
        // records nothing.
        let mut with_token = body.clone();
        with_token["token"] = json!("api-test-1");
        let a = app
            .json(&town, "POST", "/api/v1/inspections", with_token.clone())
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{b}: {}", a.body);
        let i = a.json();
        let id = i["id"].as_str().unwrap().to_string();
        assert_eq!(i["number"], "（示）应急检记〔2024〕2号", "{b}");
        assert_eq!(i["nonconform"], 1);
        assert_eq!(i["officers"][1]["certificate_number"], "45010320240002");
        assert_eq!(i["guests"][0]["kind_label"], "专家");
        let finding = i["items"][1]["finding"].as_str().unwrap().to_string();
        let again = app
            .json(&town, "POST", "/api/v1/inspections", with_token)
            .await;
        assert_eq!(again.json()["id"], id.as_str(), "{b}: replayed");
        assert_eq!(inspections_of(&app, &town).await, before + 1, "{b}");

        // Reading: the enterprise its own; another enterprise nothing.
        let path = format!("/api/v1/inspections/{id}");
        assert_eq!(app.get(&ent, &path).await.status, StatusCode::OK);
        assert_eq!(app.get(&other, &path).await.status, StatusCode::NOT_FOUND);
        assert_eq!(inspections_of(&app, &other).await, 0, "{b}");
        assert_eq!(inspections_of(&app, &ent).await, before + 1, "{b}");

        // The order: a limit in the past refused; 15 working days from 2024-06-20 is 2024-07-11.
        let order_path = format!("{path}/order");
        let m = refused_on(
            &app.json(
                &town,
                "POST",
                &order_path,
                json!({"findings": [finding], "due_on": "2024-06-19"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "due_on",
        );
        assert_eq!(
            m, "整改期限不能早于指令书下达日期",
            "{b}: a limit in the past"
        );
        refused_on(
            &app.json(
                &town,
                "POST",
                &order_path,
                json!({"findings": [fx.finding], "working_days": 15}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "findings",
        );
        // A time limit beyond reach, however given, is refused (a typo once walked the calendar
        // for minutes and crashed the request).
        for body in [
            json!({"findings": [finding], "working_days": 99_999_999}),
            json!({"findings": [finding], "working_days": 251}),
            json!({"findings": [finding], "due_on": "9999-12-31"}),
            json!({"findings": [finding], "due_on": "+10000-01-01"}),
        ] {
            refused_on(
                &app.json(&town, "POST", &order_path, body).await,
                StatusCode::UNPROCESSABLE_ENTITY,
                "due_on",
            );
        }
        // Only the inspecting unit issues it.
        assert_eq!(
            app.json(
                &dept,
                "POST",
                &order_path,
                json!({"findings": [finding], "working_days": 15})
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let a = app
            .json(
                &town,
                "POST",
                &order_path,
                json!({"findings": [finding], "working_days": 15}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{b}: {}", a.body);
        let o = a.json();
        let order = o["id"].as_str().unwrap().to_string();
        assert_eq!(o["due_on"], "2024-07-11", "{b}");
        assert_eq!(o["number"], "（示）应急责改〔2024〕2号", "{b}");
        assert_eq!(o["status"], "issued");
        assert_eq!(o["findings"][0]["id"], finding.as_str());
        let a = app
            .json(
                &town,
                "POST",
                &order_path,
                json!({"findings": [finding], "working_days": 15}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{b}: a second order");

        // The enterprise asks for more time; the unit refuses without a reason (422), approves.
        let o_path = format!("/api/v1/orders/{order}");
        let v = o["version"].as_i64().unwrap();
        refused_on(
            &app.json(
                &ent,
                "POST",
                &format!("{o_path}/extension"),
                json!({"version": v, "requested_due": "2024-07-10", "reason": "设备未到货"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "requested_due",
        );
        for far in ["+10000-01-01", "2025-07-13"] {
            refused_on(
                &app.json(
                    &ent,
                    "POST",
                    &format!("{o_path}/extension"),
                    json!({"version": v, "requested_due": far, "reason": "设备未到货"}),
                )
                .await,
                StatusCode::UNPROCESSABLE_ENTITY,
                "requested_due",
            );
        }
        assert_eq!(
            app.json(
                &town,
                "POST",
                &format!("{o_path}/extension"),
                json!({"version": v, "requested_due": "2024-07-31", "reason": "设备未到货"}),
            )
            .await
            .status,
            StatusCode::FORBIDDEN,
            "{b}: the officer does not ask"
        );
        let a = app
            .json(
                &ent,
                "POST",
                &format!("{o_path}/extension"),
                json!({"version": v, "requested_due": "2024-07-31", "reason": "设备未到货"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{b}: {}", a.body);
        let v = a.json()["version"].as_i64().unwrap();
        assert_eq!(a.json()["extensions"][0]["status"], "requested");
        refused_on(
            &app.json(
                &town,
                "POST",
                &format!("{o_path}/extension/decision"),
                json!({"version": v, "decision": "refuse", "reason": ""}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "reason",
        );
        let a = app
            .json(
                &town,
                "POST",
                &format!("{o_path}/extension/decision"),
                json!({"version": v, "decision": "approve", "reason": ""}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{b}: {}", a.body);
        assert_eq!(a.json()["due_on"], "2024-07-31", "{b}");
        let v = a.json()["version"].as_i64().unwrap();

        // A stale version is 409; the completion report moves the status once.
        assert_eq!(
            app.json(
                &ent,
                "POST",
                &format!("{o_path}/completion"),
                json!({"version": v - 1})
            )
            .await
            .status,
            StatusCode::CONFLICT
        );
        let a = app
            .json(
                &ent,
                "POST",
                &format!("{o_path}/completion"),
                json!({"version": v, "note": "制度已公开"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{b}: {}", a.body);
        assert_eq!(a.json()["status"], "completion_reported");
        let v = a.json()["version"].as_i64().unwrap();
        assert_eq!(
            app.json(
                &ent,
                "POST",
                &format!("{o_path}/completion"),
                json!({"version": v})
            )
            .await
            .status,
            StatusCode::CONFLICT,
            "{b}: reported twice"
        );

        // The re-inspection: before the order refused on its date; then corrected.
        let re = |date: &str, officers: Vec<i64>| {
            json!({
                "version": v,
                "date": date,
                "officers": officers,
                "results": [{"finding": finding, "result": "corrected"}],
                "opinion": "已整改",
            })
        };
        let m = refused_on(
            &app.json(
                &town,
                "POST",
                &format!("{o_path}/re-inspection"),
                re("2024-06-19", fx.officer_ids.to_vec()),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "date",
        );
        assert_eq!(m, "复查日期不能早于指令书下达日期");
        refused_on(
            &app.json(
                &town,
                "POST",
                &format!("{o_path}/re-inspection"),
                re("2024-06-20", vec![fx.officer_ids[0]]),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "officers",
        );
        let a = app
            .json(
                &town,
                "POST",
                &format!("{o_path}/re-inspection"),
                re("2024-06-20", fx.officer_ids.to_vec()),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{b}: {}", a.body);
        let o = a.json();
        assert_eq!(o["status"], "corrected");
        assert_eq!(o["re_inspection"]["outcome"], "corrected");
        assert_eq!(
            o["findings"][0]["status"], "closed",
            "{b}: the finding is closed"
        );
        assert_eq!(app.get(&ent, &o_path).await.status, StatusCode::OK);
        assert_eq!(app.get(&other, &o_path).await.status, StatusCode::NOT_FOUND);
        let orders = app.get(&town, "/api/v1/orders").await.json();
        assert_eq!(orders.as_array().unwrap().len(), 2, "{b}");

        // The yearly cap (2, set above): a third inspection this year needs an exception.
        let m = refused_on(
            &app.json(&town, "POST", "/api/v1/inspections", body.clone())
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "exception",
        );
        assert!(
            m.starts_with("该企业今年已接受本单位检查2次，已达年度上限2次"),
            "{b}: {m}"
        );
        let mut excepted = body.clone();
        excepted["exception"] = json!("complaint");
        excepted["exception_ground"] = json!("");
        refused_on(
            &app.json(&town, "POST", "/api/v1/inspections", excepted.clone())
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "exception_ground",
        );
        excepted["exception_ground"] = json!("12345热线投诉（编号2024-0618）");
        let a = app
            .json(&town, "POST", "/api/v1/inspections", excepted)
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{b}: {}", a.body);
        assert_eq!(a.json()["exception"], "complaint");
        assert_eq!(a.json()["number"], "（示）应急检记〔2024〕3号", "{b}");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn on_site_measures_and_their_review_over_the_api() {
    for app in TestApp::all().await {
        let b = app.backend();
        let fx = enforcement_fixture(&app).await;
        let town = app.login("demo-town").await;
        let body = inspection_body(&app, &fx, "2024-06-20").await;
        let a = app.json(&town, "POST", "/api/v1/inspections", body).await;
        let id = a.json()["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/inspections/{id}/measures");
        let measure = |until: &str| {
            json!({
                "kind": "suspend_work",
                "start": "2024-06-20",
                "until": until,
                "reason": "粉尘涉爆区域除尘系统失效",
                "description": "除尘车间暂时停产",
            })
        };
        // Six months at most (the rule in force): 2024-12-20 is the last day allowed.
        let m = refused_on(
            &app.json(&town, "POST", &path, measure("2024-12-21")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "until",
        );
        assert_eq!(
            m, "措施期限不能超过起始日期后6个月（最迟至2024-12-20）",
            "{b}"
        );
        refused_on(
            &app.json(&town, "POST", &path, json!({"kind": "close_down"}))
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "kind",
        );
        let a = app.json(&town, "POST", &path, measure("2024-12-20")).await;
        assert_eq!(a.status, StatusCode::CREATED, "{b}: {}", a.body);
        let m = a.json();
        assert_eq!(m["kind_label"], "暂时停产停业");
        assert_eq!(m["in_force"], true);
        assert_eq!(
            app.json(&town, "POST", &path, measure("2024-12-20"))
                .await
                .status,
            StatusCode::CONFLICT,
            "{b}: one decision per inspection"
        );
        let v = m["version"].as_i64().unwrap();
        let review = format!("{path}/review");
        refused_on(
            &app.json(
                &town,
                "POST",
                &review,
                json!({"version": v, "date": "2024-06-20", "result": "kept"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "note",
        );
        let a = app
            .json(
                &town,
                "POST",
                &review,
                json!({"version": v, "date": "2024-06-20", "result": "lifted", "note": "已整改"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{b}: {}", a.body);
        assert_eq!(a.json()["lifted_on"], "2024-06-20");
        assert_eq!(a.json()["in_force"], false);
        let i = app
            .get(&town, &format!("/api/v1/inspections/{id}"))
            .await
            .json();
        assert_eq!(i["measures"]["lifted_on"], "2024-06-20", "{b}");
        app.cleanup().await;
    }
}

/// A sheet row: the unit, and the cells from 计划检查数 on (numbers read as numbers).
type SheetRow = (String, Vec<Option<f64>>);

/// The figures sheet's header and rows.
fn sheet_rows(bytes: &[u8]) -> (Vec<String>, Vec<SheetRow>) {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range("执法统计").unwrap();
    let mut rows = range.rows();
    let header = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let body = rows
        .map(|r| {
            let n = |c: &Data| match c {
                Data::Float(v) => Some(*v),
                Data::Int(v) => Some(*v as f64),
                Data::Empty => None,
                other => panic!("not a number cell: {other:?}"),
            };
            (r[1].to_string(), r[3..].iter().map(n).collect())
        })
        .collect();
    (header, body)
}

async fn scalar(app: &TestApp, sql: &str, bind: &str) -> i64 {
    let mut tx = app.store().write().await.unwrap();
    let v: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(bind)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    v
}

#[tokio::test]
async fn the_figures_page_and_its_export_count_the_records() {
    for app in TestApp::all().await {
        let b = app.backend();
        let fx = enforcement_fixture(&app).await;
        // The fixture's order falls overdue the day after its re-inspection was due.
        let due = orders::get(app.store(), &fx.order)
            .await
            .unwrap()
            .re_inspection_due_on;
        let app = app.on_day(&(due + chrono::Days::new(1)).to_string());
        let office = app.login("demo-office").await;
        let key_sql = "SELECT COUNT(*) FROM enterprises e JOIN regions r ON r.id = e.region_id \
                       WHERE e.is_key <> 0 AND (r.name = $1 OR $1 = '')";
        let target_is_key = scalar(
            &app,
            "SELECT is_key FROM enterprises WHERE public_id = $1",
            &fx.enterprise,
        )
        .await
            != 0;
        let donghu_key = scalar(&app, key_sql, "东湖街道").await;
        let all_key = scalar(&app, key_sql, "").await;
        let covered = i64::from(target_is_key);

        let bytes = {
            use http_body_util::BodyExt;
            use tower::ServiceExt;
            let r = app
                .router
                .clone()
                .oneshot(
                    axum::http::Request::get("/enforcement/figures.xlsx")
                        .header(header::COOKIE, &office.cookie)
                        .body(axum::body::Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{b}");
            r.into_body().collect().await.unwrap().to_bytes()
        };
        let (header_row, rows) = sheet_rows(&bytes);
        assert_eq!(
            header_row[..5],
            ["序号", "单位", "类型", "计划检查数", "检查数"].map(String::from),
            "{b}"
        );
        assert_eq!(header_row.len(), 20);
        assert_eq!(
            header_row[15..],
            [
                "立案数",
                "作出决定数",
                "结案数",
                "办案逾期数",
                "罚款金额(元)"
            ]
            .map(String::from),
            "{b}"
        );
        let units: Vec<&str> = rows.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(
            units[..5],
            [
                "东湖街道",
                "南山镇",
                "西岭镇",
                "北港街道",
                "示例高新技术产业开发区"
            ],
            "{b}: territorial units first"
        );
        assert_eq!(units.last(), Some(&"辖区合计"));
        let pct = |part: i64, whole: i64| {
            (whole > 0).then(|| ((part * 2000 + whole) / (whole * 2)) as f64 / 10.0)
        };
        let f = |v: i64| Some(v as f64);
        // planned, inspections, key, covered, coverage, orders, overdue, re-inspected,
        // findings, closed, open, rate
        let expect_donghu = vec![
            None,
            f(1),
            f(donghu_key),
            f(covered),
            pct(covered, donghu_key),
            f(1),
            f(1),
            f(0),
            f(1),
            f(0),
            f(1),
            Some(0.0),
            // No case: filed, decided, closed, overdue, fines.
            f(0),
            f(0),
            f(0),
            f(0),
            f(0),
        ];
        assert_eq!(rows[0].1, expect_donghu, "{b}: 东湖街道");
        let nanshan = &rows[1].1;
        assert_eq!(nanshan[1], f(0), "{b}: 南山镇 inspected nothing");
        assert_eq!(nanshan[11], None, "{b}: no findings, no rate");
        let total = &rows.last().unwrap().1;
        assert_eq!(
            *total,
            vec![
                None,
                f(1),
                f(all_key),
                f(covered),
                pct(covered, all_key),
                f(1),
                f(1),
                f(0),
                f(1),
                f(0),
                f(1),
                Some(0.0),
                f(0),
                f(0),
                f(0),
                f(0),
                f(0),
            ],
            "{b}: 辖区合计"
        );

        // The page shows the same rows; an officer sees its own unit; an enterprise none.
        let page = app.get(&office, "/enforcement/figures").await;
        assert_eq!(page.status, StatusCode::OK);
        for u in &units {
            assert!(page.body.contains(u), "{b}: {u}");
        }
        assert!(page.body.contains("统计口径") && page.body.contains("已抽取且现行"));
        let town = app.login("demo-town").await;
        let own = app.get(&town, "/enforcement/figures").await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(
            own.body.contains("东湖街道") && !own.body.contains("南山镇"),
            "{b}"
        );
        assert!(
            !own.body.contains("辖区合计"),
            "{b}: no total for an officer"
        );
        let ent = app.login("demo-enterprise").await;
        assert_eq!(
            app.get(&ent, "/enforcement/figures").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get(&ent, "/enforcement/figures.xlsx").await.status,
            StatusCode::FORBIDDEN
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_settings_page_keeps_what_was_typed_beside_the_refusal() {
    for app in TestApp::all().await {
        let b = app.backend();
        let fx = enforcement_fixture(&app).await;
        let office = app.login("demo-office").await;
        let page = app.get(&office, "/enforcement/settings").await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        for text in [
            "东湖街道",
            "区应急管理局",
            "默认",
            "国办发〔2024〕54号",
            "现行执法规则",
            "未核实",
            "在用的违法行为库",
        ] {
            assert!(page.body.contains(text), "{b}: {text}");
        }
        // The unit whose powers the fixture set is no longer on the defaults.
        let unit_form = format!("/enforcement/settings/units/{}/powers", fx.unit_id);
        let a = app
            .form(
                &office,
                &unit_form,
                &[
                    ("csrf", &office.csrf),
                    ("powers", "inspect"),
                    ("powers", "arrest"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(a.body.contains("未知的执法职权代码：arrest"), "{b}");
        let a = app
            .form(
                &office,
                &unit_form,
                &[("csrf", &office.csrf), ("powers", "inspect")],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}");

        // A certificate ending before it starts: the message, and the typed number kept.
        let cert = format!(
            "/enforcement/settings/units/{}/officers/{}/certificate",
            fx.unit_id, fx.officer_ids[1]
        );
        let a = app
            .form(
                &office,
                &cert,
                &[
                    ("csrf", &office.csrf),
                    ("certificate_number", "Z-TYPED-9"),
                    ("certificate_valid_from", "2025-01-01"),
                    ("certificate_valid_until", "2024-12-31"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            a.body.contains("执法证有效期截止日期不能早于起始日期"),
            "{b}"
        );
        assert!(a.body.contains("value=\"Z-TYPED-9\""), "{b}: typed kept");
        let a = app
            .form(
                &office,
                &cert,
                &[
                    ("csrf", &office.csrf),
                    ("certificate_number", "Z-TYPED-9"),
                    ("certificate_valid_from", "2024-01-01"),
                    ("certificate_valid_until", "2024-12-31"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}");
        let listed = app
            .get(
                &office,
                &format!("/enforcement/settings?unit={}", fx.unit_id),
            )
            .await;
        assert!(listed.body.contains("value=\"Z-TYPED-9\""), "{b}");
        // Not an officer of that unit: not found.
        let town_officer_elsewhere = format!(
            "/enforcement/settings/units/{}/officers/{}/certificate",
            fx.unit_id + 1,
            fx.officer_ids[1]
        );
        assert_eq!(
            app.form(
                &office,
                &town_officer_elsewhere,
                &[
                    ("csrf", &office.csrf),
                    ("certificate_number", "X"),
                    ("certificate_valid_from", "2024-01-01"),
                    ("certificate_valid_until", "2024-12-31"),
                ],
            )
            .await
            .status,
            StatusCode::NOT_FOUND,
            "{b}"
        );

        // Settings: a bracket in the short name refused beside the field, the rest kept.
        let settings = |short: &'static str, cap: &'static str| {
            vec![
                ("region_short", short),
                ("kind_words.inspection_record", "应急检记"),
                ("kind_words.on_site_measures", "应急现决"),
                ("kind_words.correction_order", "应急责改"),
                ("kind_words.re_inspection", "应急复查"),
                ("kind_words.case_filing", "应急立"),
                ("reconsideration_body", "示例区人民政府（测试）"),
                ("court", "示例区人民法院"),
                ("yearly_cap", cap),
            ]
        };
        let with_csrf = |fields: Vec<(&'static str, &'static str)>| {
            let mut all = vec![("csrf", office.csrf.as_str())];
            all.extend(fields);
            all
        };
        let events = app.audit_count("enforcement_settings_set").await;
        let a = app
            .form(
                &office,
                "/enforcement/settings",
                &with_csrf(settings("（示）", "2")),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(a.body.contains("不能包含括号"), "{b}: {}", a.body);
        assert!(a.body.contains("value=\"（示）\""), "{b}: typed kept");
        assert!(
            a.body.contains("示例区人民政府（测试）"),
            "{b}: the rest kept"
        );
        let a = app
            .form(
                &office,
                "/enforcement/settings",
                &with_csrf(settings("示", "两次")),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(a.body.contains("年度检查频次上限应为1至12的整数"), "{b}");
        assert_eq!(
            app.audit_count("enforcement_settings_set").await,
            events,
            "{b}: nothing saved"
        );
        let a = app
            .form(
                &office,
                "/enforcement/settings",
                &with_csrf(settings("示", "3")),
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            app.audit_count("enforcement_settings_set").await,
            events + 1
        );
        let page = app.get(&office, "/enforcement/settings?saved=1").await;
        assert!(
            page.body.contains("已保存") && page.body.contains("value=\"3\""),
            "{b}"
        );

        // Only the committee office.
        let town = app.login("demo-town").await;
        assert_eq!(
            app.get(&town, "/enforcement/settings").await.status,
            StatusCode::FORBIDDEN
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_enforcement_routes() {
    let app = TestApp::sqlite().await;
    let doc = app
        .send(
            axum::http::Request::get("/api/v1/openapi.json")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .json();
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/officers",
        "/api/v1/inspections",
        "/api/v1/inspections/{id}",
        "/api/v1/inspections/{id}/order",
        "/api/v1/inspections/{id}/measures",
        "/api/v1/inspections/{id}/measures/review",
        "/api/v1/orders",
        "/api/v1/orders/{id}",
        "/api/v1/orders/{id}/completion",
        "/api/v1/orders/{id}/extension",
        "/api/v1/orders/{id}/extension/decision",
        "/api/v1/orders/{id}/re-inspection",
        "/api/v1/violations",
        "/api/v1/violations/{code}",
        "/api/v1/violations/{code}/deactivate",
        "/api/v1/violations/{code}/reactivate",
    ] {
        assert!(paths.contains_key(p), "{p}");
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for s in [
        "InspectionRequest",
        "InspectionView",
        "OrderView",
        "ErrorBody",
        "ViolationView",
        "ViolationRequest",
        "RecordedViolationView",
    ] {
        assert!(schemas.contains_key(s), "{s}");
    }
    assert!(
        schemas["ErrorBody"]["properties"]
            .as_object()
            .unwrap()
            .contains_key("field")
    );
    app.cleanup().await;
}
