//! Plan review page (issue #3, item 5): upload → edit → resolve → save → start, and the
//! refusals, on both backends.

use axum::http::{StatusCode, header};
use safeduty_store::audit::Who;
use safeduty_store::{campaigns, org, plan_drafts};

use crate::app::{Answer, Client, TestApp};

/// An invented district plan: two areas, three items, two phases (the second's start is not
/// written, so the importer asks), one deadline counted from a phase.
const PLAN: &str = "某某区安全生产委员会关于印发燃气安全专项整治工作方案的通知\n\
各镇人民政府:\n\
现将方案印发给你们,请认真贯彻落实。\n\
某某区安全生产委员会\n\
2024年3月1日\n\
燃气安全专项整治工作方案\n\
一、检查内容\n\
(一)安全管理制度方面。重点检查:\n\
1.是否建立燃气安全管理制度。\n\
2.是否开展从业人员培训。\n\
(二)设施设备方面。重点检查:\n\
3.是否定期检测报警装置。\n\
二、时间安排\n\
第一阶段:自查自纠(4月1日至6月30日)。\n\
第二阶段:总结提升(12月底前)。\n\
三、工作要求\n\
自查自纠阶段结束后5个工作日内,将阶段总结报送区安委办。\n";

async fn upload(app: &TestApp, c: &Client, name: &str, bytes: &[u8]) -> Answer {
    let boundary = "XyZsafedutyPlanBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n",
        c.csrf
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    app.send(
        axum::http::Request::post("/plans")
            .header("cookie", &c.cookie)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(axum::body::Body::from(body))
            .unwrap(),
    )
    .await
}

fn location(r: &Answer) -> String {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.headers["location"].to_str().unwrap().to_string()
}

async fn edit(app: &TestApp, c: &Client, url: &str, seen: &str, f: &[(&str, &str)]) -> Answer {
    let mut fields = vec![("csrf", c.csrf.as_str()), ("seen", seen)];
    fields.extend_from_slice(f);
    app.form(c, &format!("{url}/edit"), &fields).await
}

#[tokio::test]
async fn upload_edit_resolve_save_start() {
    for app in TestApp::all().await {
        let office = app.login("demo-office").await;
        let url = location(&upload(&app, &office, "燃气方案.txt", PLAN.as_bytes()).await);
        assert!(url.starts_with("/plans/"), "{url}");
        assert_eq!(app.audit_count("plan_draft_created").await, 1);

        // Source beside structure, each element linked to its line.
        let page = app.get(&office, &url).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body
                .contains("<li id=\"L9\" value=\"9\">1.是否建立燃气安全管理制度。</li>")
        );
        assert!(
            page.body.contains("<a href=\"#L9\">第9行</a>"),
            "item 1 links line 9"
        );
        assert!(
            page.body.contains("<a href=\"#L15\">第15行</a>"),
            "phase 2 links line 15"
        );
        assert!(page.body.contains("待确认问题 1 个"), "{}", page.body);
        assert!(
            page.body.contains("2024-07-05"),
            "5 working days after 06-30"
        );

        // Edit an item's text.
        let r = edit(
            &app,
            &office,
            &url,
            "0",
            &[
                ("field", "areas.一.items.2.text"),
                ("before", "是否开展从业人员培训。"),
                ("after", "是否开展从业人员安全培训。"),
            ],
        )
        .await;
        location(&r);
        // A bad date is refused with a message; nothing is stored.
        let r = edit(
            &app,
            &office,
            &url,
            "1",
            &[
                ("field", "phases.2.start"),
                ("before", "2024-07-01"),
                ("after", "2024-13-01"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("“2024-13-01”无效，应填写日期"),
            "{}",
            r.body
        );
        // A stale page (seen = 0 after one edit) is refused.
        let r = edit(
            &app,
            &office,
            &url,
            "0",
            &[
                ("field", "plan.title"),
                ("before", "燃气"),
                ("after", "燃气安全"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        // Change a deadline's days.
        let r = edit(
            &app,
            &office,
            &url,
            "1",
            &[
                ("field", "obligations.0.days"),
                ("before", "5"),
                ("after", "10"),
            ],
        )
        .await;
        location(&r);
        assert_eq!(app.audit_count("plan_draft_edited").await, 2);

        // Saving is blocked while a question is open.
        let r = app
            .form(&office, &format!("{url}/save"), &[("csrf", &office.csrf)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("还有 1 个待确认问题未处理"), "{}", r.body);
        // Resolving needs a note.
        let r = edit(&app, &office, &url, "2", &[("field", "questions.0")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("请填写处理说明"));
        let r = edit(
            &app,
            &office,
            &url,
            "2",
            &[("field", "questions.0"), ("note", "核对原件，自7月1日开始")],
        )
        .await;
        location(&r);
        let page = app.get(&office, &url).await;
        assert!(page.body.contains("已处理：核对原件，自7月1日开始"));
        assert!(
            page.body.contains("2024-07-12"),
            "10 working days after 06-30"
        );

        // Save, then the template is frozen.
        location(
            &app.form(&office, &format!("{url}/save"), &[("csrf", &office.csrf)])
                .await,
        );
        assert_eq!(app.audit_count("plan_template_saved").await, 1);
        let r = edit(
            &app,
            &office,
            &url,
            "3",
            &[("field", "plan.title"), ("before", "燃气"), ("after", "燃")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let downloads = app.audit_count("file_downloaded").await;
        let toml = app.get(&office, &format!("{url}/template.toml")).await;
        assert_eq!(toml.status, StatusCode::OK);
        // The one download response (issue 11): not cached, audited.
        assert_eq!(toml.headers[header::CACHE_CONTROL], "private, no-store");
        assert_eq!(
            toml.headers[header::CONTENT_SECURITY_POLICY],
            "default-src 'none'; sandbox"
        );
        assert_eq!(app.audit_count("file_downloaded").await, downloads + 1);
        assert!(toml.body.contains("是否开展从业人员安全培训。"));
        assert!(toml.body.contains("核对原件，自7月1日开始"));

        // Start a campaign from it.
        let created = app.audit_count("campaign_created").await;
        let r = app
            .form(
                &office,
                &format!("{url}/start"),
                &[("csrf", &office.csrf), ("name", "2024年燃气安全专项整治")],
            )
            .await;
        assert_eq!(location(&r), "/campaign");
        assert_eq!(app.audit_count("campaign_created").await, created + 1);
        let c = campaigns::latest(app.store()).await.unwrap().unwrap();
        assert_eq!((c.name.as_str(), c.year), ("2024年燃气安全专项整治", 2024));
        assert_eq!(c.item_numbers(), vec![1, 2, 3]);
        assert_eq!(
            c.template.obligations[0].due_date,
            Some("2024-07-12".parse().unwrap())
        );
        assert_eq!(c.template.review_edits.len(), 3);
        // Not twice.
        let r = app
            .form(
                &office,
                &format!("{url}/start"),
                &[("csrf", &office.csrf), ("name", "再来一次")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.audit_count("campaign_created").await, created + 1);
        app.cleanup().await;
    }
}

/// A plan numbering each area from 1: the page offers to renumber, and then it can be saved.
#[tokio::test]
async fn per_area_numbering_is_renumbered_before_saving() {
    let app = TestApp::sqlite().await;
    let office = app.login("demo-office").await;
    let text = "某某区安全生产委员会\n2025年3月3日\n一、检查内容\n(一)主要负责人履职情况\n\
                1.制度建设\n(1)是否组织制定安全管理制度。\n(2)是否明确审批程序。\n\
                (二)作业现场管理情况\n1.是否设置安全警示标志。\n";
    let url = location(&upload(&app, &office, "tree.txt", text.as_bytes()).await);
    let page = app.get(&office, &url).await;
    assert!(
        page.body.contains("value=\"renumber_items\""),
        "{}",
        page.body
    );
    let r = edit(&app, &office, &url, "0", &[("field", "renumber_items")]).await;
    location(&r);
    location(
        &app.form(&office, &format!("{url}/save"), &[("csrf", &office.csrf)])
            .await,
    );
    let toml = app.get(&office, &format!("{url}/template.toml")).await;
    assert!(toml.body.contains("number = 3"), "{}", toml.body);
    app.cleanup().await;
}

#[tokio::test]
async fn refusals() {
    for app in TestApp::all().await {
        let office = app.login("demo-office").await;
        // A file that cannot be read: a message, nothing stored.
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.resize(2048, 0);
        let r = upload(&app, &office, "方案.doc", &ole).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains(".docx"), "{}", r.body);
        assert_eq!(app.audit_count("plan_draft_created").await, 0);
        // Without CSRF: refused.
        let r = app
            .form(&office, "/plans/00000000000000000000000000000000/save", &[])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        let url = location(&upload(&app, &office, "plan.txt", PLAN.as_bytes()).await);
        // Other roles: the list is the office's (403); a draft is decided on its region, the
        // district: outside a town's or an enterprise's scope (404), inside the department's and
        // the assessor's but not their role's (403).
        for (user, on_draft) in [
            ("demo-town", StatusCode::NOT_FOUND),
            ("demo-dept", StatusCode::FORBIDDEN),
            ("demo-enterprise", StatusCode::NOT_FOUND),
            ("demo-assessor", StatusCode::FORBIDDEN),
        ] {
            let c = app.login(user).await;
            assert_eq!(
                app.get(&c, "/plans").await.status,
                StatusCode::FORBIDDEN,
                "{user}"
            );
            let r = upload(&app, &c, "plan.txt", PLAN.as_bytes()).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
            let r = app.get(&c, &url).await;
            assert_eq!(r.status, on_draft, "{user}");
            assert!(!r.body.contains("燃气"), "{user}");
            let r = app
                .form(
                    &c,
                    &format!("{url}/start"),
                    &[("csrf", &c.csrf), ("name", "x")],
                )
                .await;
            assert_eq!(r.status, on_draft, "{user}");
            let r = edit(
                &app,
                &c,
                &url,
                "0",
                &[("field", "plan.title"), ("before", "燃气"), ("after", "x")],
            )
            .await;
            assert_eq!(r.status, on_draft, "{user}");
        }
        assert_eq!(app.audit_count("plan_draft_edited").await, 0);
        assert_eq!(app.audit_count("plan_draft_created").await, 1);
        // Positive control: the office reads it.
        assert_eq!(app.get(&office, &url).await.status, StatusCode::OK);

        // A draft of a region outside the office's subtree: 404, as if it did not exist.
        let mut tx = app.store().write().await.unwrap();
        let other = org::create_region(&mut tx, &Who::system(), None, "990015", "他市", "city")
            .await
            .unwrap();
        let user = safeduty_store::org::user_by_username(app.store(), "demo-office")
            .await
            .unwrap();
        let t = safeduty_plan::import(PLAN, None).template;
        let id = plan_drafts::create(
            &mut tx,
            &Who::system(),
            other.id,
            user.id,
            "x.txt",
            PLAN,
            &t,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let r = app.get(&office, &format!("/plans/{id}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(!r.body.contains("燃气"));
        assert_eq!(
            app.get(&office, "/plans/nonsense").await.status,
            StatusCode::NOT_FOUND
        );
        let list = app.get(&office, "/plans").await;
        assert!(list.body.contains(&format!("href=\"{url}\"")));
        assert!(!list.body.contains(&id));

        // A news report: read, but nothing to save.
        let news =
            "我区召开燃气安全专项整治动员会\n3月1日上午,我区召开动员会,会议要求各单位压实责任。\n";
        let url = location(&upload(&app, &office, "news.txt", news.as_bytes()).await);
        let page = app.get(&office, &url).await;
        assert!(page.body.contains("这不像一份工作方案"), "{}", page.body);
        let r = app
            .form(&office, &format!("{url}/save"), &[("csrf", &office.csrf)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.audit_count("plan_template_saved").await, 0);
        app.cleanup().await;
    }
}

/// Issue #17: the campaign window of the opening sentence and phases written inline with
/// month-only windows are shown with their questions; the window's end is edited and becomes
/// the campaign's last day. An invented plan.
#[tokio::test]
async fn campaign_window_and_month_phases_are_reviewed() {
    let app = TestApp::sqlite().await;
    let office = app.login("demo-office").await;
    let text = "某某县安全生产委员会关于开展燃气安全隐患专项整治的通知\n各乡镇人民政府:\n\
        县安委会决定在全县开展燃气安全隐患专项整治,整治工作将于2024年11月底前全面完成。\n\
        二、整治步骤\n\
        (一)宣传发动阶段(6月底前)。各乡镇召开部署会。(二)企业自查阶段(7月)。各企业逐项自查。\
        (三)督导检查阶段(下半年)。县安委办组织督导。\n\
        某某县安全生产委员会\n2024年5月20日\n";
    let url = location(&upload(&app, &office, "通知.txt", text.as_bytes()).await);
    let page = app.get(&office, &url).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("专项治理时间"), "{body}");
    assert!(
        body.contains("原文：“将于2024年11月底前全面完成”"),
        "{body}"
    );
    assert!(body.contains("value=\"window.end\""));
    assert!(body.contains("<input type=\"date\" name=\"after\" value=\"2024-11-30\">"));
    // The start was not written: the document's date, asked beside the window.
    assert!(
        body.contains("未写开始日期,已按成文日期推定为2024-05-20"),
        "{body}"
    );
    // Three phases from one paragraph, each with its dates and its questions.
    for want in [
        "第1阶段 宣传发动",
        "第2阶段 企业自查",
        "第3阶段 督导检查",
        "value=\"2024-07-31\"",
        "value=\"2024-12-31\"",
        "已按专项治理的开始日期推定为2024-05-20",
        "超出了专项治理时间",
    ] {
        assert!(body.contains(want), "page lacks {want}");
    }
    assert!(
        body.contains("<span class=\"tag warn\">待确认</span> 第5行“督导检查”阶段"),
        "the question stands by its phase"
    );
    assert!(body.contains("待确认问题 3 个"), "{body}");

    // The reviewer moves the end to the year's end, resolves the questions, saves, starts.
    location(
        &edit(
            &app,
            &office,
            &url,
            "0",
            &[
                ("field", "window.end"),
                ("before", "2024-11-30"),
                ("after", "2024-12-31"),
            ],
        )
        .await,
    );
    let page = app.get(&office, &url).await;
    assert!(
        page.body
            .contains("<input type=\"date\" name=\"after\" value=\"2024-12-31\"> <button")
    );
    for (k, seen) in ["1", "2", "3"].iter().enumerate() {
        location(
            &edit(
                &app,
                &office,
                &url,
                seen,
                &[
                    ("field", &format!("questions.{k}")),
                    ("note", "核对原件，按所示日期"),
                ],
            )
            .await,
        );
    }
    location(
        &app.form(&office, &format!("{url}/save"), &[("csrf", &office.csrf)])
            .await,
    );
    let toml = app.get(&office, &format!("{url}/template.toml")).await;
    assert!(toml.body.contains("[window]"), "{}", toml.body);
    let r = app
        .form(
            &office,
            &format!("{url}/start"),
            &[
                ("csrf", &office.csrf),
                ("name", "2024年燃气安全隐患专项整治"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/campaign");
    let c = campaigns::latest(app.store()).await.unwrap().unwrap();
    assert_eq!(c.template.last_day(), Some("2024-12-31".parse().unwrap()));
    assert_eq!(
        c.template.window.as_ref().and_then(|w| w.start),
        Some("2024-05-20".parse().unwrap())
    );
    app.cleanup().await;
}
