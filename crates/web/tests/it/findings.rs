//! The findings ledger over HTTP: the ledger page, the dashboard and the export agree on what is
//! overdue for each user's scope; a major finding walked through the loop by the forms, with the
//! guards answering 403/409/422; double submits; scope.

use axum::http::StatusCode;
use safeduty_core::policy::Role;
use safeduty_store::attachments::{self, Owner, StoredFile};
use safeduty_store::audit::Who;
use safeduty_store::{findings, org, progress};

use crate::app::TestApp;

/// The ids of the ledger page rows (every page) for `query`.
async fn page_ids(app: &TestApp, c: &crate::app::Client, query: &str) -> Vec<String> {
    let mut out = Vec::new();
    for page in 1.. {
        let res = app.get(c, &format!("/findings?{query}&page={page}")).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let ids: Vec<String> = res
            .body
            .split("data-finding=\"")
            .skip(1)
            .map(|s| s[..32].to_string())
            .collect();
        if ids.is_empty() {
            break;
        }
        out.extend(ids);
    }
    out
}

#[tokio::test]
async fn ledger_dashboard_and_export_agree_on_overdue_for_each_scope() {
    for app in TestApp::all().await {
        let b = app.backend();
        let campaign = safeduty_store::campaigns::latest(app.store())
            .await
            .unwrap()
            .unwrap();
        let today = app.state.clock().today();
        for username in ["demo-office", "demo-town", "demo-dept", "demo-enterprise"] {
            let c = app.login(username).await;
            let user = org::user_by_username(app.store(), username).await.unwrap();
            let overdue = page_ids(&app, &c, "overdue=yes").await;
            // The rule in core, applied to every finding of the scope.
            let all = findings::list(app.store(), &user.scope, campaign.id, None)
                .await
                .unwrap();
            let mut expected: Vec<String> = all
                .iter()
                .filter(|f| f.is_overdue(today))
                .map(|f| f.public_id.clone())
                .collect();
            let mut got = overdue.clone();
            expected.sort();
            got.sort();
            assert_eq!(got, expected, "{b} {username}: page vs core rule");
            assert!(
                !got.is_empty(),
                "{b} {username}: the demo has overdue findings"
            );
            let ov = progress::overview(app.store(), &user.scope, campaign.id, today)
                .await
                .unwrap();
            assert_eq!(
                ov.findings_overdue as usize,
                got.len(),
                "{b} {username}: dashboard count"
            );
            // The export of the same filter: the same rows in the same order, all marked overdue.
            export_matches(&app, &c, &overdue, b, username).await;
        }
        app.cleanup().await;
    }
}

/// Reads the export (as bytes: the test client keeps bodies as text) and compares its rows with
/// the page's.
async fn export_matches(
    app: &TestApp,
    c: &crate::app::Client,
    page: &[String],
    b: &str,
    username: &str,
) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let res = app
        .router
        .clone()
        .oneshot(
            axum::http::Request::get("/findings/export.xlsx?overdue=yes")
                .header(axum::http::header::COOKIE, &c.cookie)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let sheet = safeduty_roster::read(&bytes).unwrap();
    let rows = &sheet.grid.rows;
    assert_eq!(rows[0].cells[17], "是否逾期", "{b}");
    assert_eq!(
        rows.len() - 1,
        page.len(),
        "{b} {username}: export rows = page rows"
    );
    for (i, (row, id)) in rows[1..].iter().zip(page).enumerate() {
        let f = findings::get(app.store(), id).await.unwrap();
        assert_eq!(row.cells[0], (i + 1).to_string(), "{b}");
        assert_eq!(row.cells[3], f.description, "{b} {username} row {i}");
        assert_eq!(
            row.cells[13],
            f.due_on.to_string(),
            "{b}: a date cell read as the date"
        );
        assert_eq!(row.cells[17], "是", "{b}");
    }
}

#[tokio::test]
async fn a_major_finding_through_the_forms_with_each_guard() {
    for app in TestApp::all().await {
        let b = app.backend();
        let town = app.login("demo-town").await;
        let ent = app.login("demo-enterprise").await;
        let eid = app.enterprise_of("demo-enterprise").await;
        // A check item the campaign does not have: a bad request, nothing opened.
        let opened = app.audit_count("finding_opened").await;
        let res = app
            .form(
                &town,
                &format!("/enterprises/{eid}/findings"),
                &[
                    ("csrf", &town.csrf),
                    ("source", "enforcement"),
                    ("category", "hazard"),
                    ("grade", "major"),
                    ("item", "99"),
                    ("description", "检查项不存在"),
                    ("due_on", "2024-07-10"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(res.body.contains("检查项第99项不存在"), "{b}");
        assert!(
            res.body.contains(">检查项不存在</textarea>")
                && res.body.contains("<option value=\"major\" selected>"),
            "{b}: the form again, as typed"
        );
        assert_eq!(app.audit_count("finding_opened").await, opened, "{b}");
        let res = app
            .form(
                &town,
                &format!("/enterprises/{eid}/findings"),
                &[
                    ("csrf", &town.csrf),
                    ("token", "open-1"),
                    ("source", "enforcement"),
                    ("category", "hazard"),
                    ("grade", "major"),
                    ("item", "13"),
                    ("location", "锅炉房"),
                    ("description", "=燃气锅炉房未设置泄漏报警装置"),
                    ("due_on", "2024-07-10"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let path = res.headers["location"].to_str().unwrap().to_string();
        let id = path.trim_start_matches("/findings/").to_string();
        // No five implementations: 422 with the missing ones named, nothing changed.
        let res = act(
            &app,
            &ent,
            &path,
            "0",
            &[("action", "accept_plan"), ("responsible", "李四")],
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            res.body
                .contains("尚缺：整改措施、整改资金、整改时限、应急预案"),
            "{b}"
        );
        let plan = [
            ("action", "accept_plan"),
            ("responsible", "李四"),
            ("measures", "加装可燃气体报警器并联锁切断"),
            ("funds", "8,500"),
            ("time_limit", "2024-07-05"),
            ("contingency_plan", "燃气泄漏现场处置方案"),
        ];
        assert_eq!(
            act(&app, &ent, &path, "0", &plan).await.status,
            StatusCode::SEE_OTHER,
            "{b}"
        );
        // A stale form: 409 and the message.
        let res = act(&app, &ent, &path, "0", &[("action", "start_rectifying")]).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}");
        assert!(res.body.contains("记录已被他人修改"), "{b}");
        // An officer may not start the enterprise's rectification: 403.
        let res = act(&app, &town, &path, "1", &[("action", "start_rectifying")]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        // A double click: the same token twice at once is one transition.
        let before = app.audit_count("finding_transition").await;
        let (x, y) = tokio::join!(
            act(
                &app,
                &ent,
                &path,
                "1",
                &[("action", "start_rectifying"), ("token", "tok-1")]
            ),
            act(
                &app,
                &ent,
                &path,
                "1",
                &[("action", "start_rectifying"), ("token", "tok-1")]
            ),
        );
        assert_eq!(
            (x.status, y.status),
            (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER),
            "{b}"
        );
        assert_eq!(
            app.audit_count("finding_transition").await,
            before + 1,
            "{b}"
        );
        // No evidence: 422.
        let res = act(&app, &ent, &path, "2", &[("action", "submit")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("请先上传整改完成的证据"), "{b}");
        let f = findings::get(app.store(), &id).await.unwrap();
        let mut tx = app.store().write().await.unwrap();
        attachments::insert(
            &mut tx,
            &Who {
                user_id: None,
                role: Some(Role::EnterpriseUser.code().into()),
                client_addr: None,
            },
            f.enterprise_id,
            Owner::Finding { finding_id: f.id },
            &StoredFile {
                name: "报警器安装照片.jpg".into(),
                kind: safeduty_core::attachment::FileKind::Jpeg,
                content_type: "image/jpeg".into(),
                size: 10,
                sha256: "a".repeat(64),
                thumbnail_sha256: None,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        // A major finding is submitted only under supervision (挂牌督办), named by an officer.
        let res = act(&app, &ent, &path, "2", &[("action", "submit")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("重大事故隐患须先挂牌督办"), "{b}");
        let town_unit = org::user_by_username(app.store(), "demo-town")
            .await
            .unwrap()
            .unit_id
            .unwrap()
            .to_string();
        assert_eq!(
            act(
                &app,
                &town,
                &path,
                "2",
                &[("action", "supervise"), ("unit", &town_unit)]
            )
            .await
            .status,
            StatusCode::SEE_OTHER,
            "{b}"
        );
        assert_eq!(
            act(&app, &ent, &path, "3", &[("action", "submit")])
                .await
                .status,
            StatusCode::SEE_OTHER,
            "{b}"
        );
        // The enterprise cannot close its own major finding: 403 with the reason.
        let res = act(&app, &ent, &path, "4", &[("action", "verify")]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        assert!(res.body.contains("企业不能自行验收销号"), "{b}");
        // Return without a reason: 422; with one: back to the enterprise.
        let res = act(
            &app,
            &town,
            &path,
            "4",
            &[("action", "return"), ("reason", " ")],
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(
            act(
                &app,
                &town,
                &path,
                "4",
                &[("action", "return"), ("reason", "未接入中控室")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER,
            "{b}"
        );
        // Out of scope: another enterprise's user gets 404; the assessor may read but not act.
        let other = app.login("demo-enterprise2").await;
        assert_eq!(
            app.get(&other, &path).await.status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
        let assessor = app.login("demo-assessor").await;
        assert_eq!(
            app.get(&assessor, &path).await.status,
            StatusCode::OK,
            "{b}"
        );
        assert_eq!(
            act(&app, &assessor, &path, "5", &[("action", "start_rework")])
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{b}"
        );
        let page = app.get(&ent, &path).await;
        assert!(
            page.body.contains("验收退回") && page.body.contains("未接入中控室"),
            "{b}"
        );
        assert!(
            page.body.contains("开始重新整改"),
            "{b}: the enterprise's next step offered"
        );
        app.cleanup().await;
    }
}

/// The ids of every page of `GET /api/v1/findings?{query}`, and the total it reports.
async fn api_ids(app: &TestApp, c: &crate::app::Client, query: &str) -> (Vec<String>, i64) {
    let mut out = Vec::new();
    let mut total = -1;
    for page in 1.. {
        let res = app
            .get(c, &format!("/api/v1/findings?{query}&page={page}"))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let body = res.json();
        assert_eq!(body["page"], page);
        total = body["total"].as_i64().unwrap();
        let rows = body["rows"].as_array().unwrap();
        if rows.is_empty() {
            break;
        }
        out.extend(rows.iter().map(|r| r["id"].as_str().unwrap().to_string()));
    }
    (out, total)
}

#[tokio::test]
async fn api_ledger_is_the_pages_and_transitions_keep_the_rules() {
    for app in TestApp::all().await {
        let b = app.backend();
        // The same rows in the same order as the page, for each scope and filter.
        for (username, query) in [
            ("demo-office", "overdue=yes"),
            ("demo-office", "sort=opened"),
            ("demo-town", "sort=grade&status=unclosed"),
            ("demo-enterprise", ""),
            ("demo-enterprise2", ""),
        ] {
            let c = app.login(username).await;
            let page = page_ids(&app, &c, query).await;
            let (api, total) = api_ids(&app, &c, query).await;
            assert_eq!(api, page, "{b} {username} {query}");
            assert_eq!(total as usize, page.len(), "{b} {username} {query}");
        }
        let office = app.login("demo-office").await;
        let (all, _) = api_ids(&app, &office, "").await;
        assert!(all.len() > 50, "{b}: more than one page ({})", all.len());
        let res = app.get(&office, "/api/v1/findings?grade=huge").await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{b}");
        assert_eq!(res.json()["message"], "筛选条件“等级”的值“huge”无效");

        // The demo enterprise's finding with an extension request waiting.
        let ent = app.login("demo-enterprise").await;
        let eid = app.enterprise_of("demo-enterprise").await;
        let res = app.get(&ent, "/api/v1/findings").await.json();
        let row = res["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| !r["extension_requested"].is_null())
            .unwrap()
            .clone();
        assert_eq!(row["enterprise_id"], eid.as_str(), "{b}");
        let id = row["id"].as_str().unwrap().to_string();
        let asked = row["extension_requested"].as_str().unwrap().to_string();
        let was = row["due_on"].as_str().unwrap().to_string();
        let v = row["version"].as_i64().unwrap();
        let path = format!("/api/v1/findings/{id}/transitions");
        let due = || async {
            findings::get(app.store(), &id)
                .await
                .unwrap()
                .due_on
                .to_string()
        };
        let town = app.login("demo-town").await;
        let approve = serde_json::json!({"version": v, "token": "api-approve-1",
            "action": "decide_extension", "decision": "approve"});

        // Not the enterprise's to decide, nor to set the limit itself: 403, nothing changed.
        let res = app.json(&ent, "POST", &path, approve.clone()).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}: {}", res.body);
        let res = app
            .json(
                &ent,
                "POST",
                &path,
                serde_json::json!({"version": v, "action": "change_due",
                    "due_on": "2024-12-31", "reason": "自行延长"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        assert!(
            res.json()["message"]
                .as_str()
                .unwrap()
                .contains("请提出延期申请"),
            "{b}"
        );
        // Outside the scope: 404 with nothing of the finding; the assessor: 403.
        let ent2 = app.login("demo-enterprise2").await;
        let res = app.json(&ent2, "POST", &path, approve.clone()).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}");
        assert!(!res.body.contains(&id), "{b}");
        let assessor = app.login("demo-assessor").await;
        let res = app.json(&assessor, "POST", &path, approve.clone()).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        // Without the CSRF header: refused.
        let mut no_csrf = app.json_request(&town, "POST", &path, approve.clone());
        no_csrf.headers_mut().remove("x-csrf-token");
        assert_eq!(app.send(no_csrf).await.status, StatusCode::FORBIDDEN, "{b}");
        assert_eq!(due().await, was, "{b}: nothing changed");

        // Positive control: the unit approves; the limit becomes the one asked for.
        let before = app.audit_count("finding_transition").await;
        let res = app.json(&town, "POST", &path, approve.clone()).await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.body);
        assert_eq!(
            res.json(),
            serde_json::json!({"status": "rectifying", "status_label": "整改中",
                "version": v + 1, "replayed": false}),
            "{b}"
        );
        assert_eq!(due().await, asked, "{b}");
        // The same request again (same token): answered as a repeat, one transition.
        let res = app.json(&town, "POST", &path, approve.clone()).await;
        assert_eq!(res.status, StatusCode::OK, "{b}");
        assert_eq!(res.json()["replayed"], true, "{b}");
        assert_eq!(
            app.audit_count("finding_transition").await,
            before + 1,
            "{b}"
        );
        // The same token from someone else is no repeat of the officer's: the enterprise hears 403.
        let res = app.json(&ent, "POST", &path, approve.clone()).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        // A stale version: 409; then the officer sets the limit directly with a reason.
        let change = |version: i64| {
            serde_json::json!({"version": version, "action": "change_due",
                "due_on": "2024-09-30", "reason": "需停产检修，延至检修后"})
        };
        let res = app.json(&town, "POST", &path, change(v)).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}");
        let res = app.json(&town, "POST", &path, change(v + 1)).await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.body);
        assert_eq!(res.json()["version"], v + 2, "{b}");
        assert_eq!(due().await, "2024-09-30", "{b}");
        assert_eq!(app.audit_count("finding_due_changed").await, 1, "{b}");
        // Missing reason: 422; unknown action: 400.
        let res = app
            .json(
                &town,
                "POST",
                &path,
                serde_json::json!({"version": v + 2, "action": "change_due", "due_on": "2024-10-08"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let res = app
            .json(
                &town,
                "POST",
                &path,
                serde_json::json!({"version": v + 2, "action": "close_quietly"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{b}");
        assert_eq!(due().await, "2024-09-30", "{b}");
        app.cleanup().await;
    }
}

/// The trial's hole: an enterprise rewriting and closing a finding an officer registered.
#[tokio::test]
async fn an_officers_finding_is_the_officers_and_every_refusal_is_recorded() {
    for app in TestApp::all().await {
        let b = app.backend();
        let town = app.login("demo-town").await;
        let ent = app.login("demo-enterprise").await;
        let eid = app.enterprise_of("demo-enterprise").await;
        let res = app
            .form(
                &town,
                &format!("/enterprises/{eid}/findings"),
                &[
                    ("csrf", &town.csrf),
                    ("token", "open-officer-1"),
                    ("source", "enforcement"),
                    ("category", "hazard"),
                    ("grade", "general"),
                    ("location", "锅炉房"),
                    ("description", "锅炉房灭火器过期"),
                    ("due_on", "2024-07-10"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let path = res.headers["location"].to_str().unwrap().to_string();
        let edit =
            |c: &crate::app::Client, path: &str, version: &str, grade: &str, location: &str| {
                let fields = [
                    ("csrf", c.csrf.clone()),
                    ("version", version.to_string()),
                    ("category", "hazard".to_string()),
                    ("grade", grade.to_string()),
                    ("location", location.to_string()),
                    ("description", "锅炉房灭火器过期".to_string()),
                ];
                let (c, path, app) = (c.clone(), format!("{path}/edit"), &app);
                async move {
                    let refs: Vec<(&str, &str)> =
                        fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    app.form(&c, &path, &refs).await
                }
            };
        let edit_form = format!("action=\"{path}/edit\"");
        // The enterprise is offered no edit of it, and its edit is refused (403, recorded).
        let page = app.get(&ent, &path).await;
        assert!(!page.body.contains(&edit_form), "{b}");
        let denials = app.audit_count("permission_denied").await;
        let res = edit(&ent, &path, "0", "general", "").await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        assert_eq!(
            app.audit_count("permission_denied").await,
            denials + 1,
            "{b}"
        );
        let f = findings::get(app.store(), path.trim_start_matches("/findings/"))
            .await
            .unwrap();
        assert_eq!((f.location.as_str(), f.version), ("锅炉房", 0), "{b}");
        // Positive control: the officer edits it; the timeline says what changed.
        assert!(app.get(&town, &path).await.body.contains(&edit_form), "{b}");
        // A check item the campaign does not have: a bad request, nothing changed.
        let res = app
            .form(
                &town,
                &format!("{path}/edit"),
                &[
                    ("csrf", &town.csrf),
                    ("version", "0"),
                    ("category", "hazard"),
                    ("grade", "general"),
                    ("item", "99"),
                    ("description", "锅炉房灭火器过期"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(res.body.contains("检查项第99项不存在"), "{b}");
        let res = edit(&town, &path, "0", "general", "1号锅炉房").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let page = app.get(&town, &path).await;
        assert!(
            page.body
                .contains("修改台账信息，部位：“锅炉房” → “1号锅炉房”"),
            "{b}: {}",
            page.body
        );

        // The enterprise's own self-inspection finding: it edits it, may grade it major, but
        // is then offered no 一般 and refused a downgrade (403, recorded).
        let campaign = safeduty_store::campaigns::latest(app.store())
            .await
            .unwrap()
            .unwrap();
        let f = findings::get(app.store(), path.trim_start_matches("/findings/"))
            .await
            .unwrap();
        let mut tx = app.store().write().await.unwrap();
        let own = findings::open(
            &mut tx,
            &Who {
                user_id: None,
                role: Some(Role::EnterpriseUser.code().into()),
                client_addr: None,
            },
            &findings::NewFindingRow {
                campaign_id: campaign.id,
                enterprise_id: f.enterprise_id,
                source: safeduty_core::finding::ledger::Source::SelfInspection,
                self_inspection_id: None,
                item_number: None,
                category: safeduty_core::finding::ledger::Category::Hazard,
                grade: safeduty_core::finding::ledger::Grade::General,
                location: "锅炉房".into(),
                description: "锅炉房灭火器过期".into(),
                opened_on: f.opened_on,
                due_on: f.due_on,
                time_limit_working_days: None,
                open_token: None,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let path = format!("/findings/{own}");
        let edit_form = format!("action=\"{path}/edit\"");
        let page = app.get(&ent, &path).await;
        assert!(page.body.contains(&edit_form), "{b}");
        assert!(page.body.contains("<option value=\"general\""), "{b}");
        let res = edit(&ent, &path, "0", "major", "锅炉房").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let page = app.get(&ent, &path).await;
        assert!(page.body.contains(&edit_form), "{b}");
        assert!(!page.body.contains("<option value=\"general\""), "{b}");
        assert!(page.body.contains("等级：一般 → 重大"), "{b}");
        let denials = app.audit_count("permission_denied").await;
        let res = edit(&ent, &path, "1", "general", "锅炉房").await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        assert_eq!(
            app.audit_count("permission_denied").await,
            denials + 1,
            "{b}"
        );
        app.cleanup().await;
    }
}

/// The finding's page as shown to `c`, and its version (from the step forms).
/// Posts a step of the loop (`action` and its fields) to finding `path` at `version`.
async fn act(
    app: &TestApp,
    c: &crate::app::Client,
    path: &str,
    version: &str,
    fields: &[(&str, &str)],
) -> crate::app::Answer {
    let mut all = vec![("csrf", c.csrf.as_str()), ("version", version)];
    all.extend_from_slice(fields);
    app.form(c, &format!("{path}/act"), &all).await
}

async fn version_on_page(app: &TestApp, c: &crate::app::Client, path: &str) -> (String, String) {
    let page = app.get(c, path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let version = page
        .body
        .split("name=\"version\" value=\"")
        .nth(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .unwrap_or_default();
    (page.body, version)
}

#[tokio::test]
async fn the_close_out_and_the_major_path_leave_a_record() {
    for app in TestApp::all().await {
        let b = app.backend();
        let town = app.login("demo-town").await;
        let ent = app.login("demo-enterprise").await;
        let office = app.login("demo-office").await;
        let eid = app.enterprise_of("demo-enterprise").await;
        let open = |description: &'static str| {
            let (app, town, eid) = (&app, town.clone(), eid.clone());
            async move {
                let res = app
                    .form(
                        &town,
                        &format!("/enterprises/{eid}/findings"),
                        &[
                            ("csrf", &town.csrf),
                            ("source", "enforcement"),
                            ("category", "hazard"),
                            ("grade", "major"),
                            ("description", description),
                            ("due_on", "2024-07-10"),
                        ],
                    )
                    .await;
                assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
                res.headers["location"].to_str().unwrap().to_string()
            }
        };
        let upload =
            |c: &crate::app::Client, path: &str, purpose: &str, name: &str, bytes: &[u8]| {
                let (c, path, purpose, name, bytes) = (
                    c.clone(),
                    format!("{path}/evidence"),
                    purpose.to_string(),
                    name.to_string(),
                    bytes.to_vec(),
                );
                let app = &app;
                async move {
                    app.multipart(
                        &c,
                        &path,
                        &[("csrf", &c.csrf), ("purpose", &purpose)],
                        Some((&name, &bytes)),
                    )
                    .await
                }
            };
        let path = open("液化气瓶间未设置可燃气体报警装置").await;
        let plan = [
            ("action", "accept_plan"),
            ("responsible", "李四"),
            ("measures", "加装可燃气体报警器并联锁切断"),
            ("funds", "8500"),
            ("time_limit", "2024-07-05"),
            ("contingency_plan", "燃气泄漏现场处置方案"),
        ];
        // An amount in words: the message on the page, every field as typed (issue #18 point 1).
        let mut words = plan;
        words[3] = ("funds", "五百元");
        let res = act(&app, &ent, &path, "0", &words).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(res.body.contains("整改资金“五百元”不是有效金额"), "{b}");
        assert!(
            res.body.contains("value=\"五百元\"")
                && res.body.contains("加装可燃气体报警器并联锁切断")
                && res.body.contains("value=\"2024-07-05\""),
            "{b}: typed kept"
        );
        assert_eq!(
            act(&app, &ent, &path, "0", &plan).await.status,
            StatusCode::SEE_OTHER,
            "{b}"
        );
        // Evidence uploaded before 开始整改 counts; the same file twice is shown once; a file
        // uploaded by mistake is withdrawn (kept in the history, no longer counted).
        for _ in 0..2 {
            let res = upload(
                &ent,
                &path,
                "evidence",
                "报警器安装记录.txt",
                "报警器已安装并联锁".as_bytes(),
            )
            .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        }
        let res = upload(
            &ent,
            &path,
            "evidence",
            "传错的文件.txt",
            "与本隐患无关".as_bytes(),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}");
        // A refused file is said on the finding's page, not on a bare error page.
        let res = upload(
            &ent,
            &path,
            "evidence",
            "报告.pdf",
            b"<html><script>x</script></html>",
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            res.body.contains("液化气瓶间未设置可燃气体报警装置")
                && res.body.contains("role=\"alert\""),
            "{b}"
        );
        let (page, _) = version_on_page(&app, &ent, &path).await;
        assert_eq!(
            page.matches(">报警器安装记录.txt</a>").count(),
            1,
            "{b}: shown once"
        );
        assert!(page.contains("整改证据（2）"), "{b}");
        let wrong = page
            .split("/files/")
            .skip(1)
            .map(|s| &s[..32])
            .find(|id| page.contains(&format!("/attachments/{id}\">传错的文件.txt")))
            .expect("a withdraw form for the wrong file")
            .to_string();
        let withdraw = format!("{path}/files/{wrong}/withdraw");
        let res = app
            .form(
                &town,
                &withdraw,
                &[("csrf", &town.csrf), ("reason", "误传")],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "{b}: only the uploader withdraws"
        );
        let res = app
            .form(&ent, &withdraw, &[("csrf", &ent.csrf), ("reason", " ")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("请填写撤回理由"), "{b}");
        let res = app
            .form(
                &ent,
                &withdraw,
                &[("csrf", &ent.csrf), ("reason", "上传错了文件")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}");
        let res = app
            .form(
                &ent,
                &withdraw,
                &[("csrf", &ent.csrf), ("reason", "再撤一次")],
            )
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}");
        assert!(res.body.contains("已撤回"), "{b}");
        let (page, v) = version_on_page(&app, &ent, &path).await;
        assert!(page.contains("<del>传错的文件.txt</del>"), "{b}");
        assert!(
            page.contains("已撤回") && page.contains("上传错了文件"),
            "{b}"
        );
        assert!(page.contains("整改证据（1）"), "{b}");
        assert!(
            page.contains("撤回误传文件（整改中）") || page.contains("撤回误传文件"),
            "{b}"
        );
        assert_eq!(app.audit_count("attachment_withdrawn").await, 1, "{b}");
        assert_eq!(
            act(&app, &ent, &path, &v, &[("action", "start_rectifying")])
                .await
                .status,
            StatusCode::SEE_OTHER,
            "{b}"
        );
        // Not under supervision yet: refused; the town names itself, the office hears of it.
        let (_, v) = version_on_page(&app, &ent, &path).await;
        let res = act(&app, &ent, &path, &v, &[("action", "submit")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let town_unit = org::user_by_username(app.store(), "demo-town")
            .await
            .unwrap()
            .unit_id
            .unwrap();
        let res = act(
            &app,
            &town,
            &path,
            &v,
            &[("action", "supervise"), ("unit", "999999")],
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("督办单位须为监管"), "{b}");
        let res = act(
            &app,
            &town,
            &path,
            &v,
            &[("action", "supervise"), ("unit", &town_unit.to_string())],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let (page, v) = version_on_page(&app, &ent, &path).await;
        assert!(page.contains("督办单位：东湖街道"), "{b}");
        let res = act(
            &app,
            &town,
            &path,
            &v,
            &[("action", "supervise"), ("unit", &town_unit.to_string())],
        )
        .await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}: the same unit again");
        assert!(res.body.contains("督办单位未变化"), "{b}");
        let inbox = app.get(&office, "/inbox").await;
        assert!(
            inbox.body.contains("重大事故隐患挂牌督办")
                && inbox.body.contains(&format!("href=\"{path}\"")),
            "{b}: the office's inbox links the supervised finding"
        );
        assert_eq!(
            act(&app, &ent, &path, &v, &[("action", "submit")])
                .await
                .status,
            StatusCode::SEE_OTHER,
            "{b}"
        );
        // Closing: the opinion and a photo of the on-site check are required; what was typed
        // stays on the page after the refusal.
        let (page, v) = version_on_page(&app, &town, &path).await;
        assert!(page.contains("验收销号（现场核验、评估确认）"), "{b}");
        let verify = format!("{path}/verify");
        let res = app
            .multipart(
                &town,
                &verify,
                &[
                    ("csrf", &town.csrf),
                    ("version", &v),
                    ("opinion", "报警器已联锁，试验正常"),
                    ("verifiers", "王五、赵六"),
                ],
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("请先上传现场核验的照片或文件"), "{b}");
        assert!(
            res.body.contains("报警器已联锁，试验正常")
                && res.body.contains("value=\"王五、赵六\""),
            "{b}: typed kept"
        );
        let res = app
            .multipart(
                &town,
                &verify,
                &[
                    ("csrf", &town.csrf),
                    ("version", &v),
                    ("opinion", "报警器已联锁，试验正常"),
                    ("verifiers", "王五、赵六"),
                ],
                Some(("现场核验记录.txt", "现场试验报警正常".as_bytes())),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let f = findings::get(app.store(), path.trim_start_matches("/findings/"))
            .await
            .unwrap();
        assert_eq!(f.status.code(), "closed", "{b}");
        assert_eq!(
            (f.verifiers.as_str(), f.verification_opinion.as_str()),
            ("王五、赵六", "报警器已联锁，试验正常"),
            "{b}"
        );
        let (page, _) = version_on_page(&app, &ent, &path).await;
        assert!(
            page.contains(
                "核验人员：王五、赵六；验收意见：报警器已联锁，试验正常；现场核验照片或文件1份"
            ),
            "{b}"
        );
        assert!(page.contains(">现场核验记录.txt</a>"), "{b}");
        let inbox = app.get(&office, "/inbox").await;
        assert!(
            inbox.body.contains(&format!(
                "<a href=\"{path}\">挂牌督办的重大事故隐患已验收销号：{}“{}”，督办单位东湖街道，核验人员王五、赵六</a>",
                f.enterprise_name, f.description
            )),
            "{b}: the office hears the supervision ended"
        );

        // A downgrade needs the committee office's approval.
        let path = open("配电房未设置挡鼠板").await;
        let res = app
            .form(
                &town,
                &format!("{path}/edit"),
                &[
                    ("csrf", &town.csrf),
                    ("version", "0"),
                    ("category", "hazard"),
                    ("grade", "general"),
                    ("description", "配电房未设置挡鼠板"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("须经安委办批准"), "{b}");
        let res = act(
            &app,
            &town,
            &path,
            "0",
            &[
                ("action", "request_downgrade"),
                ("reason", "经核实不构成重大事故隐患判定标准"),
            ],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}");
        let res = act(
            &app,
            &town,
            &path,
            "1",
            &[("action", "decide_downgrade"), ("decision", "approve")],
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "{b}: the town does not approve its own request"
        );
        let inbox = app.get(&office, "/inbox").await;
        assert!(inbox.body.contains("重大事故隐患降级申请待审批"), "{b}");
        let res = act(
            &app,
            &office,
            &path,
            "1",
            &[
                ("action", "decide_downgrade"),
                ("decision", "approve"),
                ("reason", "同意"),
            ],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}");
        let f = findings::get(app.store(), path.trim_start_matches("/findings/"))
            .await
            .unwrap();
        assert_eq!(
            (f.grade.code(), f.pending_downgrade.clone()),
            ("general", None),
            "{b}"
        );
        // The asking town hears the decision, linked to the finding; the office's request entry
        // is done with.
        let inbox = app.get(&town, "/inbox").await;
        let told = format!(
            "<a href=\"{path}\">重大事故隐患降级申请已批准，降为一般隐患：{}“配电房未设置挡鼠板”，理由：同意</a>",
            f.enterprise_name
        );
        assert!(inbox.body.contains(&told), "{b}: {}", inbox.body);
        let inbox = app.get(&office, "/inbox").await;
        let row = inbox
            .body
            .split("<tr")
            .find(|r| r.contains("重大事故隐患降级申请待审批") && r.contains("配电房未设置挡鼠板"))
            .expect("the office's request entry");
        assert!(!row.contains("unread"), "{b}: {row}");
        app.cleanup().await;
    }
}
