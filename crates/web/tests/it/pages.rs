//! Every role's first page, the campaign page, login, headers and the OpenAPI document.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::app::{Client, TestApp};

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[tokio::test]
async fn each_role_sees_its_first_page() {
    for app in TestApp::all().await {
        let b = app.backend();
        // Not logged in: pages go to /login, the API answers 401.
        let r = app
            .send(Request::get("/overview").body(Body::empty()).unwrap())
            .await;
        assert_eq!(
            (r.status, r.headers[header::LOCATION].to_str().unwrap()),
            (StatusCode::SEE_OTHER, "/login"),
            "{b}"
        );
        let r = app
            .send(
                Request::get("/api/v1/campaign")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{b}");

        // Committee office: overview with today's phase and the counts.
        let office = app.login("demo-office").await;
        let home = app.get(&office, "/").await;
        assert_eq!(home.headers[header::LOCATION], "/overview", "{b}");
        let o = app.get(&office, "/overview").await;
        assert_eq!(o.status, StatusCode::OK, "{b}");
        assert!(
            o.body
                .contains("处于<strong>自查自纠</strong>阶段，本阶段还剩 <strong>10</strong> 天"),
            "{b}"
        );
        assert!(
            o.body.contains(
                "<a class=\"num\" href=\"/enterprises\">300</a><span>纳入治理企业</span>"
            ),
            "{b}"
        );
        assert!(o.body.contains("逾期未整改"), "{b}");
        for town in [
            "东湖街道",
            "南山镇",
            "西岭镇",
            "北港街道",
            "示例高新技术产业开发区",
        ] {
            assert!(o.body.contains(town), "{b}: {town}");
        }
        assert!(
            o.body.contains("演示环境：系统日期固定为 2024-06-20"),
            "{b}"
        );
        // Industries in the plan's order, under the plan's names.
        let ind = o.body.split("按行业").nth(1).unwrap();
        let pos = |s: &str| ind.find(s).unwrap_or_else(|| panic!("{b}: {s}"));
        assert!(pos("非煤矿山") < pos("危险化学品"), "{b}");
        assert!(
            pos("民用爆炸物品") < pos("规模以上（或限额以上）工贸"),
            "{b}"
        );

        // Unit officer: its enterprises with their status; opens one read-only.
        let town = app.login("demo-town").await;
        assert_eq!(
            app.get(&town, "/").await.headers[header::LOCATION],
            "/enterprises",
            "{b}"
        );
        let list = app.get(&town, "/enterprises").await;
        assert!(
            list.body.contains("<span class=\"tag\">属地单位</span>"),
            "{b}"
        );
        // The first page of 50 of the town's 60 (paged since issue #18 point 2).
        assert_eq!(
            count(&list.body, "<tr><td><a href=\"/enterprises/"),
            50,
            "{b}"
        );
        assert!(list.body.contains("共 60 条，第 1/2 页"), "{b}");
        assert!(
            list.body.contains("已提交")
                && list.body.contains("草稿")
                && list.body.contains("未开始"),
            "{b}"
        );
        let own = app.enterprise_of("demo-enterprise").await;
        let page = app.get(&town, &format!("/enterprises/{own}")).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(
            !page.body.contains("name=\"answer_1\""),
            "{b}: officers read, they do not fill in"
        );

        // Enterprise user: the form, 31 items in 7 areas, three choices each.
        let ent = app.login("demo-enterprise").await;
        assert_eq!(
            app.get(&ent, "/").await.headers[header::LOCATION],
            format!("/enterprises/{own}"),
            "{b}"
        );
        let form = app.get(&ent, &format!("/enterprises/{own}")).await;
        assert_eq!(count(&form.body, "value=\"non_conform\""), 31, "{b}");
        assert_eq!(count(&form.body, "<h2>（"), 7, "{b}");
        assert!(
            form.body.contains(
                "1.</span>是否组织拟订或者参与企业内部其他部门拟订本单位安全生产规章制度"
            ),
            "{b}"
        );
        assert!(
            form.body.contains("保存草稿") && form.body.contains("提交自查"),
            "{b}"
        );

        // Assessor: reads the overview, may not fill in.
        let assessor = app.login("demo-assessor").await;
        assert_eq!(
            app.get(&assessor, "/overview").await.status,
            StatusCode::OK,
            "{b}"
        );
        // Enterprise user may not see the district overview.
        assert_eq!(
            app.get(&ent, "/overview").await.status,
            StatusCode::FORBIDDEN,
            "{b}"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn campaign_page_and_api_show_the_plan_with_due_dates() {
    for app in TestApp::all().await {
        let b = app.backend();
        let ent = app.login("demo-enterprise").await;
        let page = app.get(&ent, "/campaign").await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        for text in [
            "动员部署",
            "2024-03-29",
            "2024-04-30",
            "自查自纠",
            "2024-05-01",
            "2024-06-30",
            "严格执法",
            "2024-10-31",
            "巩固提升",
            "2024-12-31",
            "2024-03-30",
            "2024-07-05",
            "2025-01-08",
            "召开一次动员部署会",
            "形成一批制度性成果",
            "城镇燃气",
        ] {
            assert!(page.body.contains(text), "{b}: {text}");
        }
        let c = app.get(&ent, "/api/v1/campaign").await.json();
        assert_eq!(c["current_phase"], "自查自纠", "{b}");
        assert_eq!(c["days_left"], 10, "{b}");
        assert_eq!(c["areas"].as_array().unwrap().len(), 7, "{b}");
        let per_area: Vec<usize> = c["areas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["items"].as_array().unwrap().len())
            .collect();
        assert_eq!(per_area, vec![7, 5, 3, 2, 6, 5, 3], "{b}");
        assert_eq!(c["measures"].as_array().unwrap().len(), 8, "{b}");
        let dues: Vec<&str> = c["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["due"].as_str().unwrap())
            .collect();
        assert_eq!(dues, vec!["2024-03-30", "2024-07-05", "2025-01-08"], "{b}");
        // The report due 5 working days after 自查自纠 counts down in working days: from
        // 2024-06-20 to 07-05, 11 working days (15 calendar days).
        let o = &c["obligations"][1];
        assert_eq!(o["days_left"], 11, "{b}: {o}");
        assert_eq!(o["days_unit"], "个工作日", "{b}: {o}");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn login_renews_the_session_and_logout_ends_it() {
    for app in TestApp::all().await {
        let b = app.backend();
        let nobody = Client {
            cookie: String::new(),
            csrf: String::new(),
        };
        let wrong = app.page_login(&nobody, "demo-office", "nope").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{b}");
        assert!(wrong.body.contains("用户名或密码错误"), "{b}");
        assert!(app.audit_count("login_failed").await >= 1, "{b}");

        let first = app.login("demo-office").await;
        let second = app.login("demo-office").await;
        assert_ne!(
            first.cookie, second.cookie,
            "{b}: a new session id at every login"
        );
        let r = app
            .form(&second, "/logout", &[("csrf", &second.csrf)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            app.get(&second, "/overview").await.status,
            StatusCode::SEE_OTHER,
            "{b}: logged out"
        );
        assert_eq!(
            app.get(&first, "/overview").await.status,
            StatusCode::SEE_OTHER,
            "{b}: logout ends every session of the user"
        );
        // Another user's session is untouched (positive control).
        let other = app.login("demo-assessor").await;
        let again = app.login("demo-office").await;
        app.form(&again, "/logout", &[("csrf", &again.csrf)]).await;
        assert_eq!(
            app.get(&other, "/overview").await.status,
            StatusCode::OK,
            "{b}"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn headers_health_and_openapi() {
    let app = TestApp::sqlite().await;
    let r = app
        .send(Request::get("/healthz").body(Body::empty()).unwrap())
        .await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
    let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let css = app
        .send(Request::get("/static/app.css").body(Body::empty()).unwrap())
        .await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.headers[header::ETAG].to_str().unwrap().starts_with('"'));
    // The icon every page names (issue #18 point 12), and the login page names who runs it.
    let icon = app
        .send(
            Request::get("/static/favicon.svg")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(icon.status, StatusCode::OK);
    assert_eq!(icon.headers[header::CONTENT_TYPE], "image/svg+xml");
    let login = app
        .send(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    assert!(
        login
            .body
            .contains(r#"<link rel="icon" href="/static/favicon.svg""#)
    );
    assert!(
        login.body.contains("主办：示例区安全生产委员会办公室"),
        "{}",
        login.body
    );
    let doc = app
        .send(
            Request::get("/api/v1/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/login",
        "/api/v1/campaign",
        "/api/v1/enterprises",
        "/api/v1/enterprises/{id}/self-inspection",
        "/api/v1/enterprises/{id}/self-inspection/submit",
    ] {
        assert!(paths.contains_key(p), "{p}");
    }
    app.cleanup().await;
}

/// The menu is data filtered by the policy (issue 11): every link in every role's menu opens a
/// page (no 403 or 404), and each role sees the entries it should, in order.
#[tokio::test]
async fn every_menu_link_of_every_role_opens_its_page() {
    let app = TestApp::sqlite().await;
    let expected: &[(&str, &[&str])] = &[
        (
            "demo-office",
            &[
                "工作进展",
                "企业自查",
                "报送情况",
                "“八个一”",
                "统计图表",
                "督办问责",
                "检查验收",
                "考核评分",
                "企业名单导入",
                "节假日安排",
                "方案导入",
                "隐患台账",
                "执法检查",
                "执法统计",
                "执法设置",
                "履职承诺",
                "提醒",
                "治理方案",
                "两步验证",
            ],
        ),
        (
            "demo-town",
            &[
                "本单位企业",
                "本单位报送",
                "“八个一”",
                "统计图表",
                "检查验收",
                "企业名单导入",
                "隐患台账",
                "执法检查",
                "执法统计",
                "履职承诺",
                "提醒",
                "治理方案",
                "两步验证",
            ],
        ),
        (
            "demo-enterprise",
            &[
                "本企业自查",
                "隐患台账",
                "执法检查",
                "企业档案",
                "履职承诺",
                "提醒",
                "治理方案",
                "两步验证",
            ],
        ),
        (
            "demo-assessor",
            &[
                "工作进展",
                "企业自查",
                "报送情况",
                "“八个一”",
                "统计图表",
                "检查验收",
                "考核评分",
                "隐患台账",
                "执法检查",
                "执法统计",
                "履职承诺",
                "提醒",
                "治理方案",
                "两步验证",
            ],
        ),
        (
            "demo-sysadmin",
            &["账号管理", "企业账号批量开通", "提醒", "两步验证"],
        ),
        (
            "demo-secadmin",
            &["角色与范围", "安全策略", "提醒", "两步验证"],
        ),
        ("demo-auditadmin", &["审计记录", "提醒", "两步验证"]),
    ];
    for (user, labels) in expected {
        let c = app.login(user).await;
        let page = app.get(&c, "/campaign").await;
        let page = if page.status == StatusCode::OK {
            page
        } else {
            app.get(&c, "/totp").await
        };
        let nav = page
            .body
            .split("<nav>")
            .nth(1)
            .and_then(|r| r.split("</nav>").next())
            .unwrap_or_else(|| panic!("{user}: no menu"));
        let links: Vec<(String, String)> = nav
            .split("<a href=\"")
            .skip(1)
            .map(|a| {
                let (href, rest) = a.split_once('"').unwrap();
                let label = rest[1..].split('<').next().unwrap().to_string();
                (href.to_string(), label)
            })
            .collect();
        let got: Vec<&str> = links.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(&got, labels, "{user}");
        for (href, label) in &links {
            let r = app.get(&c, href).await;
            let to_login = r
                .headers
                .get(header::LOCATION)
                .is_some_and(|l| l.to_str().unwrap_or("").starts_with("/login"));
            assert!(
                (r.status.is_success() || r.status.is_redirection()) && !to_login,
                "{user}: {label} {href} answers {}",
                r.status
            );
        }
    }
    app.cleanup().await;
}
