//! The enterprise's self-inspection: draft → submitted → read-only; field errors save nothing;
//! a double click submits once.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::app::TestApp;

fn all_answers(non_conform: &[u32]) -> Value {
    let answers: Vec<Value> = (1..=31)
        .map(|n| {
            if non_conform.contains(&n) {
                json!({"item": n, "answer": "non_conform", "note": format!("第{n}项存在问题")})
            } else {
                json!({"item": n, "answer": "conform"})
            }
        })
        .collect();
    json!({ "answers": answers })
}

#[tokio::test]
async fn api_draft_submit_read_only_and_field_errors() {
    for app in TestApp::all().await {
        let b = app.backend();
        let own = app.enterprise_of("demo-enterprise").await;
        let ent = app.login("demo-enterprise").await;
        let path = format!("/api/v1/enterprises/{own}/self-inspection");

        let r = app
            .json(&ent, "PUT", &path, json!({"answers": [{"item": 1, "answer": "conform"}, {"item": 2, "answer": "non_conform", "note": "制度未公开"}]}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{b}: {}", r.body);
        assert_eq!(r.json()["status"], "draft");
        assert_eq!(r.json()["version"], 1);

        // 不符合 without a note: 422 with the field, nothing saved.
        let r = app
            .json(
                &ent,
                "PUT",
                &path,
                json!({"answers": [{"item": 1, "answer": "non_conform", "note": "  "}]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let body = r.json();
        assert_eq!(body["code"], "invalid_fields");
        assert_eq!(body["fields"][0]["item"], 1);
        assert_eq!(body["fields"][0]["field"], "note");
        let now = app.get(&ent, &path).await.json();
        assert_eq!(now["version"], 1, "{b}: unchanged");
        assert_eq!(now["answers"][1]["note"], "制度未公开", "{b}");

        // Without the CSRF header: 403, nothing saved.
        let mut req = app.json_request(&ent, "PUT", &path, json!({"answers": []}));
        req.headers_mut().remove("x-csrf-token");
        assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN, "{b}");
        assert_eq!(app.get(&ent, &path).await.json()["version"], 1, "{b}");

        // Unknown answer code: 400.
        let r = app
            .json(
                &ent,
                "PUT",
                &path,
                json!({"answers": [{"item": 1, "answer": "yes"}]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{b}");

        // Submit with items 9 and 17 不符合: two findings, due 20 working days after 2024-06-20.
        let opened_before = app.audit_count("finding_opened").await;
        let r = app
            .json(
                &ent,
                "POST",
                &format!("{path}/submit"),
                all_answers(&[9, 17]),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{b}: {}", r.body);
        assert_eq!(r.json()["status"], "submitted");
        assert_eq!(r.json()["submitted_on"], "2024-06-20");
        assert_eq!(
            app.audit_count("finding_opened").await - opened_before,
            2,
            "{b}"
        );
        let page = app.get(&ent, &format!("/enterprises/{own}")).await;
        assert!(
            page.body.contains("第9项存在问题") && page.body.contains("2024-07-18"),
            "{b}"
        );
        assert!(
            !page.body.contains("提交自查"),
            "{b}: no form once submitted"
        );

        // Read-only afterwards.
        let r = app.json(&ent, "PUT", &path, all_answers(&[])).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{b}");
        assert_eq!(r.json()["message"], "自查已提交，不能再修改");
        app.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_click_submits_once() {
    for app in TestApp::all().await {
        let b = app.backend();
        let own = app.enterprise_of("demo-enterprise").await;
        let ent = app.login("demo-enterprise").await;
        let path = format!("/api/v1/enterprises/{own}/self-inspection/submit");
        let opened_before = app.audit_count("finding_opened").await;
        let submitted_before = app.audit_count("self_inspection_submitted").await;
        let (r1, r2) = tokio::join!(
            app.send(app.json_request(&ent, "POST", &path, all_answers(&[3, 4, 5]))),
            app.send(app.json_request(&ent, "POST", &path, all_answers(&[3, 4, 5]))),
        );
        let mut statuses = [r1.status, r2.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "{b}: {} / {}",
            r1.body,
            r2.body
        );
        assert_eq!(
            app.audit_count("finding_opened").await - opened_before,
            3,
            "{b}"
        );
        assert_eq!(
            app.audit_count("self_inspection_submitted").await - submitted_before,
            1,
            "{b}"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn form_refuses_non_conform_without_note_and_keeps_what_was_typed() {
    for app in TestApp::all().await {
        let b = app.backend();
        let own = app.enterprise_of("demo-enterprise").await;
        let ent = app.login("demo-enterprise").await;
        let path = format!("/enterprises/{own}/self-inspection");
        let r = app
            .form(
                &ent,
                &path,
                &[
                    ("csrf", &ent.csrf),
                    ("action", "save"),
                    ("answer_1", "conform"),
                    ("answer_5", "non_conform"),
                    ("note_5", ""),
                    ("note_1", "已落实"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            r.body.contains("第5项为“不符合”，请在说明中写明存在的问题"),
            "{b}"
        );
        assert!(r.body.contains("已落实"), "{b}: typed note kept");
        let api = app
            .get(&ent, &format!("/api/v1/enterprises/{own}/self-inspection"))
            .await
            .json();
        assert_eq!(api["status"], "not_started", "{b}: nothing saved");

        // Without the CSRF field: refused.
        let r = app
            .form(&ent, &path, &[("action", "save"), ("answer_1", "conform")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");

        // A good save redirects back to the page, which shows the draft.
        let r = app
            .form(
                &ent,
                &path,
                &[
                    ("csrf", &ent.csrf),
                    ("action", "save"),
                    ("answer_1", "conform"),
                    ("note_1", "已落实"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        let back = r.headers[axum::http::header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(back, format!("/enterprises/{own}?done=saved"), "{b}");
        let page = app.get(&ent, &back).await;
        assert!(page.body.contains("草稿"), "{b}");
        // The page says what happened and how far the form is (issue #18 point 5).
        assert!(
            page.body.contains("已保存草稿：已答1/31项"),
            "{b}: {}",
            page.body
        );
        assert!(page.body.contains("已答 1/31"), "{b}");

        // Submitted with one 不符合: the page counts the answers and the findings opened.
        let mut fields: Vec<(String, String)> = vec![
            ("csrf".into(), ent.csrf.clone()),
            ("action".into(), "submit".into()),
        ];
        for n in 1..=31 {
            let answer = if n == 5 { "non_conform" } else { "conform" };
            fields.push((format!("answer_{n}"), answer.into()));
        }
        fields.push(("note_5".into(), "应急预案未按规定评审".into()));
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = app.form(&ent, &path, &refs).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        let back = r.headers[axum::http::header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(back, format!("/enterprises/{own}?done=submitted"), "{b}");
        let page = app.get(&ent, &back).await.body;
        assert!(
            page.contains("自查已提交：已答31/31项，1项不符合，已生成1条问题隐患"),
            "{b}: {page}"
        );
        // The sentence comes from the record, not from the address: a stray value says nothing.
        let plain = app
            .get(&ent, &format!("/enterprises/{own}?done=whatever"))
            .await;
        assert_eq!(plain.status, StatusCode::OK, "{b}");
        assert!(!plain.body.contains("自查已提交："), "{b}");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn only_an_officer_of_the_scope_sets_a_time_limit_directly() {
    for app in TestApp::all().await {
        let b = app.backend();
        let own = app.enterprise_of("demo-enterprise").await;
        let ent = app.login("demo-enterprise").await;
        let submit = format!("/api/v1/enterprises/{own}/self-inspection/submit");
        let r = app.json(&ent, "POST", &submit, all_answers(&[7])).await;
        assert_eq!(r.status, StatusCode::OK, "{b}");
        // The finding item 7 opened (the demo enterprise has others too).
        let user = safeduty_store::org::user_by_username(app.store(), "demo-enterprise")
            .await
            .unwrap();
        let campaign = safeduty_store::campaigns::latest(app.store())
            .await
            .unwrap()
            .unwrap();
        let id = safeduty_store::findings::list(app.store(), &user.scope, campaign.id, None)
            .await
            .unwrap()
            .into_iter()
            .find(|f| {
                f.item_number == Some(7)
                    && f.source == safeduty_core::finding::ledger::Source::SelfInspection
            })
            .unwrap()
            .public_id;
        let path = format!("/findings/{id}/act");
        let why = "设备采购周期较长";
        let change = |c: &crate::app::Client, version: &str, due_on: &str, reason: &str| {
            let fields = [
                ("csrf", c.csrf.clone()),
                ("action", "change_due".to_string()),
                ("version", version.to_string()),
                ("due_on", due_on.to_string()),
                ("reason", reason.to_string()),
            ];
            let (app, path, c) = (&app, path.clone(), c.clone());
            async move {
                let refs: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.form(&c, &path, &refs).await
            }
        };
        let due = || async {
            safeduty_store::findings::get(app.store(), &id)
                .await
                .unwrap()
                .due_on
                .to_string()
        };
        let was = due().await;

        // The enterprise may not move its own time limit (it asks for an extension instead):
        // 403 with the way to go, nothing changed, no form offered.
        let r = change(&ent, "0", "2024-08-30", why).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        assert!(r.body.contains("企业如需延期，请提出延期申请"), "{b}");
        assert_eq!(due().await, was, "{b}");
        let shown = app.get(&ent, &format!("/findings/{id}")).await.body;
        assert!(!shown.contains("调整期限"), "{b}");
        assert!(
            shown.contains("申请延期"),
            "{b}: the extension request is offered"
        );

        // Its territorial officer may, within the bounds and with a reason; each refusal says
        // why and changes nothing.
        let town = app.login("demo-town").await;
        let shown = app.get(&town, &format!("/findings/{id}")).await.body;
        assert!(shown.contains("调整期限"), "{b}: the officer's form");
        for (due_on, reason, status, message) in [
            (
                "2024-06-19",
                why,
                422,
                "整改期限2024-06-19早于发现日期2024-06-20",
            ),
            ("9999-12-31", why, 422, "晚于专项治理结束日期2024-12-31"),
            ("2024-08-30", " ", 422, "请填写调整整改期限的理由"),
            ("2024-13-01", why, 400, "不是有效日期"),
        ] {
            let r = change(&town, "0", due_on, reason).await;
            assert_eq!(r.status.as_u16(), status, "{b} {due_on}: {}", r.body);
            assert!(r.body.contains(message), "{b} {due_on}");
        }
        let long = "9".repeat(5000);
        let r = change(&town, "0", &long, why).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(
            !r.body.contains(&"9".repeat(21)),
            "{b}: the bad value is not echoed whole"
        );
        assert_eq!(app.audit_count("finding_due_changed").await, 0, "{b}");
        assert_eq!(due().await, was, "{b}");

        let r = change(&town, "0", "2024-08-30", why).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        assert_eq!(due().await, "2024-08-30", "{b}");
        assert_eq!(app.audit_count("finding_due_changed").await, 1, "{b}");
        let shown = app.get(&ent, &format!("/findings/{id}")).await.body;
        assert!(
            shown.contains(&format!("调整整改期限，整改期限{was} → 2024-08-30 — {why}")),
            "{b}: on the timeline"
        );
        // A stale page: 409, nothing changed.
        let r = change(&town, "0", "2024-09-06", why).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{b}");
        assert_eq!(due().await, "2024-08-30", "{b}");

        // The other enterprise: 404; the assessor: 403; nothing changed.
        let ent2 = app.login("demo-enterprise2").await;
        let r = change(&ent2, "1", "2024-07-01", why).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{b}");
        let assessor = app.login("demo-assessor").await;
        let r = change(&assessor, "1", "2024-07-01", why).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        assert_eq!(due().await, "2024-08-30", "{b}");
        assert_eq!(app.audit_count("finding_due_changed").await, 1, "{b}");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_stale_window_cannot_overwrite_a_newer_save() {
    for app in TestApp::all().await {
        let b = app.backend();
        let own = app.enterprise_of("demo-enterprise").await;
        let ent = app.login("demo-enterprise").await;
        let path = format!("/api/v1/enterprises/{own}/self-inspection");
        // Two windows load version 0; the first saves items 1-3, the second (stale) item 11.
        let first = app
            .json(&ent, "PUT", &path, json!({"version": 0, "answers": [{"item": 1, "answer": "conform"}, {"item": 2, "answer": "conform"}, {"item": 3, "answer": "conform"}]}))
            .await;
        assert_eq!(first.status, StatusCode::OK, "{b}");
        assert_eq!(first.json()["version"], 1);
        let stale = app
            .json(
                &ent,
                "PUT",
                &path,
                json!({"version": 0, "answers": [{"item": 11, "answer": "conform"}]}),
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{b}");
        assert_eq!(
            stale.json()["message"],
            "自查内容已在其他窗口或由他人修改，请刷新页面后再保存"
        );
        // A made-up version never skips the check (issue #16 point 7): negative, minimum.
        for version in [json!(-1), json!(i64::MIN)] {
            let forged = app
                .json(
                    &ent,
                    "PUT",
                    &path,
                    json!({"version": version, "answers": [{"item": 11, "answer": "conform"}]}),
                )
                .await;
            assert_eq!(forged.status, StatusCode::CONFLICT, "{b}: {version}");
        }
        let now = app.get(&ent, &path).await.json();
        assert_eq!(now["version"], 1, "{b}");
        assert_eq!(
            now["answers"].as_array().unwrap().len(),
            3,
            "{b}: the first window's save stands"
        );

        // The same through the form: the stale page keeps what was typed and says why.
        let form = format!("/enterprises/{own}/self-inspection");
        let r = app
            .form(
                &ent,
                &form,
                &[
                    ("csrf", &ent.csrf),
                    ("version", "0"),
                    ("action", "save"),
                    ("answer_11", "conform"),
                    ("note_11", "另一窗口的说明"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{b}");
        assert!(
            r.body.contains("自查内容已在其他窗口或由他人修改")
                && r.body.contains("另一窗口的说明"),
            "{b}"
        );
        assert_eq!(app.get(&ent, &path).await.json()["version"], 1, "{b}");
        // Invalid UTF-8 in a field is refused naming it, as the JSON API refuses it, never
        // saved as replacement characters (issue #16 point 7).
        let raw = format!(
            "csrf={}&version=1&action=save&answer_11=conform&note_11=%E8%AF%B4%FF%FE",
            ent.csrf
        );
        let r = app
            .send(
                Request::post(&form)
                    .header(header::COOKIE, &ent.cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(raw))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(
            r.body.contains("表单字段“note_11”不是有效的 UTF-8 文本"),
            "{b}: {}",
            r.body
        );
        assert_eq!(app.get(&ent, &path).await.json()["version"], 1, "{b}");
        // A form field given twice, or an item number written oddly, is refused.
        let r = app
            .form(
                &ent,
                &form,
                &[
                    ("csrf", &ent.csrf),
                    ("action", "save"),
                    ("answer_1", "non_conform"),
                    ("answer_1", "conform"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{b}");
        let r = app
            .form(
                &ent,
                &form,
                &[
                    ("csrf", &ent.csrf),
                    ("action", "save"),
                    ("answer_01", "conform"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{b}");
        assert_eq!(app.get(&ent, &path).await.json()["version"], 1, "{b}");
        app.cleanup().await;
    }
}

/// NUL and other control characters are refused alike on both backends (PostgreSQL cannot store
/// NUL), in notes, log-in names and ids, with no 500.
#[tokio::test]
async fn control_characters_are_refused_not_a_server_error() {
    for app in TestApp::all().await {
        let b = app.backend();
        let own = app.enterprise_of("demo-enterprise").await;
        let ent = app.login("demo-enterprise").await;
        let path = format!("/api/v1/enterprises/{own}/self-inspection");
        let r = app
            .json(
                &ent,
                "PUT",
                &path,
                json!({"answers": [{"item": 1, "answer": "conform", "note": "a\u{0}b"}]}),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: {}",
            r.body
        );
        assert_eq!(
            r.json()["fields"][0]["message"],
            "第1项说明含有不可见的控制字符，请删除后重试"
        );
        let r = app
            .send(
                axum::http::Request::post("/api/v1/login")
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(
                        r#"{"username":"demo\u0000x","password":"x"}"#,
                    ))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{b}: {}", r.body);
        assert_eq!(r.json()["message"], "用户名或密码错误");
        assert_eq!(
            app.get(&ent, "/api/v1/enterprises/a%00b/self-inspection")
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
        let r = app
            .form(
                &ent,
                "/findings/a%00b/act",
                &[
                    ("csrf", &ent.csrf),
                    ("action", "request_extension"),
                    ("version", "0"),
                    ("due_on", "2024-07-01"),
                    ("reason", "x"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{b}");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_submission_after_the_phase_ends_is_marked_late_when_shown() {
    let app = TestApp::sqlite().await;
    let own = app.enterprise_of("demo-enterprise").await;
    let own2 = app.enterprise_of("demo-enterprise2").await;
    let ent = app.login("demo-enterprise").await;
    let ent2 = app.login("demo-enterprise2").await;
    // On the last day of 自查自纠 (2024-06-30): on time.
    let app = app.on_day("2024-06-30");
    let path = format!("/api/v1/enterprises/{own}/self-inspection/submit");
    let r = app.json(&ent, "POST", &path, all_answers(&[])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = app.get(&ent, &format!("/enterprises/{own}")).await;
    assert!(page.body.contains("提交日期：2024-06-30"), "{}", page.body);
    assert!(!page.body.contains("逾期提交"), "{}", page.body);
    // No copy before submission.
    let none = app
        .get(&ent2, &format!("/enterprises/{own2}/self-inspection.docx"))
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    // The day after: late, computed when shown.
    let app = app.on_day("2024-07-01");
    let path = format!("/api/v1/enterprises/{own2}/self-inspection/submit");
    let r = app.json(&ent2, "POST", &path, all_answers(&[])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = app.get(&ent2, &format!("/enterprises/{own2}")).await;
    assert!(
        page.body.contains("逾期提交（自查自纠阶段已结束）"),
        "{}",
        page.body
    );
    app.cleanup().await;
}

/// An item's 上传 saves the answers typed so far with the file (issue #18 point 1): nothing typed
/// is lost; a refused file is said beside its item and the rest is still saved.
#[tokio::test]
async fn an_upload_saves_what_was_typed_with_it() {
    for app in TestApp::all().await {
        let b = app.backend();
        let own = app.enterprise_of("demo-enterprise").await;
        let ent = app.login("demo-enterprise").await;
        let path = format!("/enterprises/{own}/self-inspection");
        let page = app.get(&ent, &format!("/enterprises/{own}")).await.body;
        assert!(
            page.contains("单个不超过20 MB"),
            "{b}: the limit is said before choosing"
        );
        assert!(page.contains("name=\"file_2\""), "{b}");
        let r = app
            .multipart(
                &ent,
                &path,
                &[
                    ("csrf", &ent.csrf),
                    ("answer_1", "conform"),
                    ("note_1", "责任制已覆盖全部岗位"),
                    ("action", "upload_2"),
                ],
                Some(("责任制文件.txt", "安全生产责任制".as_bytes())),
            )
            .await;
        // The browser names the file input of item 2; the helper sends `file`: refused plainly.
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{b}");
        let body = |file: &str| {
            format!(
                "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
                 --B\r\nContent-Disposition: form-data; name=\"answer_1\"\r\n\r\nconform\r\n\
                 --B\r\nContent-Disposition: form-data; name=\"note_1\"\r\n\r\n责任制已覆盖全部岗位\r\n\
                 --B\r\nContent-Disposition: form-data; name=\"file_2\"; filename=\"{file}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n{}\r\n\
                 --B\r\nContent-Disposition: form-data; name=\"file_3\"; filename=\"\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n\r\n\
                 --B\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nupload_2\r\n--B--\r\n",
                ent.csrf,
                if file.ends_with(".txt") {
                    "安全生产责任制"
                } else {
                    "<html><script>x</script></html>"
                }
            )
        };
        let send = |file: &str| {
            app.send(
                Request::post(&path)
                    .header(header::COOKIE, &ent.cookie)
                    .header(header::CONTENT_TYPE, "multipart/form-data; boundary=B")
                    .body(Body::from(body(file)))
                    .unwrap(),
            )
        };
        let r = send("责任制文件.txt").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        assert!(
            r.headers[header::LOCATION]
                .to_str()
                .unwrap()
                .ends_with("?done=saved#item-2"),
            "{b}"
        );
        let api = app
            .get(&ent, &format!("/api/v1/enterprises/{own}/self-inspection"))
            .await
            .json();
        assert_eq!(api["status"], "draft", "{b}: saved with the upload");
        let page = app.get(&ent, &format!("/enterprises/{own}")).await.body;
        assert!(page.contains(">责任制文件.txt</a>"), "{b}");
        assert!(page.contains("责任制已覆盖全部岗位"), "{b}");
        // 上传 with no file chosen: said, the answers saved.
        let r = app
            .form(
                &ent,
                &path,
                &[
                    ("csrf", &ent.csrf),
                    ("answer_1", "conform"),
                    ("action", "upload_4"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.body.contains("第4项未选择要上传的文件"), "{b}");
        // A refused file: said beside item 2, the answers still saved.
        let r = send("责任制.pdf").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.body.contains("第2项佐证材料未上传"), "{b}: {}", r.body);
        assert!(r.body.contains("责任制已覆盖全部岗位"), "{b}");
        app.cleanup().await;
    }
}
