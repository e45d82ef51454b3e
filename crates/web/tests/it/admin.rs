//! Administrator duties (issue #5): separated roles, one role per account, role changes end
//! sessions, TOTP for administrators, bulk provisioning, policy changes taking effect.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::app::{Answer, Client, PASSWORD, TestApp};

pub(crate) fn cookie_of(a: &Answer) -> String {
    a.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// One value read with a transaction of the store's own (rolled back).
pub(crate) async fn scalar(app: &TestApp, sql: &'static str) -> i64 {
    let mut tx = app.store().write().await.unwrap();
    let v: i64 = sqlx::query_scalar(sql).fetch_one(&mut *tx).await.unwrap();
    tx.rollback().await.unwrap();
    v
}

pub(crate) fn login_request(user: &str, password: &str, code: Option<&str>) -> Request<Body> {
    Request::post("/api/v1/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"username": user, "password": password, "totp_code": code}).to_string(),
        ))
        .unwrap()
}

async fn api_login(app: &TestApp, user: &str, password: &str, code: Option<&str>) -> Answer {
    app.send(login_request(user, password, code)).await
}

/// `req` answered by `router` (another node over the same store).
pub(crate) async fn send_to(router: &axum::Router, req: Request<Body>) -> Answer {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

#[tokio::test]
async fn each_admin_role_gets_its_duty_only_and_no_campaign_data() {
    for app in TestApp::all().await {
        let b = app.backend();
        let sys = app.login("demo-sysadmin").await;
        let sec = app.login("demo-secadmin").await;
        let aud = app.login("demo-auditadmin").await;
        let office = app.login("demo-office").await;
        let status = |a: Answer| a.status;
        assert_eq!(
            status(app.get(&sys, "/admin/accounts").await),
            StatusCode::OK,
            "{b}"
        );
        assert_eq!(
            status(app.get(&sys, "/admin/provision").await),
            StatusCode::OK,
            "{b}"
        );
        assert_eq!(
            status(app.get(&sec, "/admin/accounts").await),
            StatusCode::OK,
            "{b}"
        );
        assert_eq!(
            status(app.get(&sec, "/admin/security-policy").await),
            StatusCode::OK,
            "{b}"
        );
        assert_eq!(
            status(app.get(&sec, "/admin/accounts/demo-town/role").await),
            StatusCode::OK,
            "{b}"
        );
        // Denials, each with the positive control above.
        assert_eq!(
            status(app.get(&sys, "/admin/security-policy").await),
            StatusCode::FORBIDDEN,
            "{b}"
        );
        assert_eq!(
            status(app.get(&sys, "/admin/accounts/demo-town/role").await),
            StatusCode::FORBIDDEN,
            "{b}"
        );
        assert_eq!(
            status(app.get(&sec, "/admin/provision").await),
            StatusCode::FORBIDDEN,
            "{b}"
        );
        assert_eq!(
            status(app.get(&aud, "/admin/accounts").await),
            StatusCode::FORBIDDEN,
            "{b}"
        );
        assert_eq!(
            status(app.get(&office, "/admin/accounts").await),
            StatusCode::FORBIDDEN,
            "{b}"
        );
        // No campaign data by virtue of the role; the office sees it (positive control).
        for c in [&sys, &sec, &aud] {
            assert_eq!(
                status(app.get(c, "/api/v1/enterprises").await),
                StatusCode::NOT_FOUND,
                "{b}"
            );
            assert_eq!(
                status(app.get(c, "/campaign").await),
                StatusCode::FORBIDDEN,
                "{b}"
            );
        }
        assert_eq!(
            status(app.get(&office, "/api/v1/enterprises").await),
            StatusCode::OK,
            "{b}"
        );
        // The system administrator lists the accounts of its district: the 9 demo accounts,
        // with actions on the 6 business accounts (the administrators' are the security
        // administrator's, see admin_duties.rs).
        let page = app.get(&sys, "/admin/accounts").await.body;
        assert_eq!(page.matches("<td>demo-").count(), 9, "{b}");
        assert_eq!(page.matches("/status\"").count(), 6, "{b}");
        assert!(
            !page.contains("/admin/accounts/demo-sysadmin/status"),
            "{b}"
        );
        // A search is literal: `_` is no wildcard (no login name has one), `-` finds them all.
        let found = |q: &'static str| {
            let app = &app;
            let sys = &sys;
            async move {
                app.get(sys, &format!("/admin/accounts?q={q}"))
                    .await
                    .body
                    .matches("<td>demo-")
                    .count()
            }
        };
        assert_eq!(found("demo_").await, 0, "{b}");
        assert_eq!(found("demo%25").await, 0, "{b}");
        assert_eq!(found("demo-").await, 9, "{b}");
        assert_eq!(found("admin").await, 3, "{b}");
        // Not its own account: disabling oneself is refused; another account is fine.
        let own = app
            .form(
                &sys,
                "/admin/accounts/demo-sysadmin/status",
                &[("csrf", &sys.csrf), ("set", "disable")],
            )
            .await;
        assert_eq!(own.status, StatusCode::FORBIDDEN, "{b}");
        let town = app.login("demo-town").await;
        let r = app
            .form(
                &sys,
                "/admin/accounts/demo-town/status",
                &[("csrf", &sys.csrf), ("set", "disable")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            status(app.get(&town, "/api/v1/reports").await),
            StatusCode::UNAUTHORIZED,
            "{b}"
        );
        assert_eq!(
            api_login(&app, "demo-town", PASSWORD, None).await.json()["code"],
            "account_disabled",
            "{b}"
        );
        // Disabled, not deleted: the account and its history stay.
        assert!(
            app.get(&sys, "/admin/accounts?q=demo-town")
                .await
                .body
                .contains("已停用"),
            "{b}"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn one_role_per_account_and_a_role_change_ends_the_users_sessions() {
    for app in TestApp::all().await {
        let b = app.backend();
        let sec = app.login("demo-secadmin").await;
        let town = app.login("demo-town").await;
        // A unit officer anchored at a region: refused, nothing changes.
        let region_id = scalar(
            &app,
            "SELECT region_id FROM users WHERE username = 'demo-office'",
        )
        .await;
        let r = app
            .form(
                &sec,
                "/admin/accounts/demo-town/role",
                &[
                    ("csrf", &sec.csrf),
                    ("role", "unit_officer"),
                    ("anchor", &format!("r{region_id}")),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.body.contains("属地/行业部门账号须选择单位"), "{b}");
        assert_eq!(
            app.get(&town, "/api/v1/reports").await.status,
            StatusCode::OK,
            "{b}: sessions kept"
        );
        // The database refuses an account anchored as two roles at once.
        let mut tx = app.store().write().await.unwrap();
        let both = sqlx::query("UPDATE users SET region_id = $1 WHERE username = 'demo-town'")
            .bind(region_id)
            .execute(&mut *tx)
            .await;
        assert!(both.is_err(), "{b}: constraint users_one_role");
        let _ = tx.rollback().await;
        // Positive: the town officer becomes a committee office of the district.
        let r = app
            .form(
                &sec,
                "/admin/accounts/demo-town/role",
                &[
                    ("csrf", &sec.csrf),
                    ("role", "committee_office"),
                    ("anchor", &format!("r{region_id}")),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        assert_eq!(
            app.get(&town, "/api/v1/reports").await.status,
            StatusCode::UNAUTHORIZED,
            "{b}: ended"
        );
        let again = api_login(&app, "demo-town", PASSWORD, None).await;
        assert_eq!(again.json()["role"], "committee_office", "{b}");
        assert_eq!(app.audit_count("role_assigned").await, 1, "{b}");
        app.cleanup().await;
    }
}

/// A non-demo security administrator with a known password, created in the store.
async fn real_admin(app: &TestApp) -> i64 {
    let region_id = scalar(
        app,
        "SELECT region_id FROM users WHERE username = 'demo-office'",
    )
    .await;
    let mut tx = app.store().write().await.unwrap();
    let id = safeduty_store::org::create_user(
        &mut tx,
        &safeduty_store::audit::Who::system(),
        &safeduty_store::org::NewUser {
            username: "qian.secadmin".into(),
            display_name: "钱工".into(),
            password_hash: safeduty_web::auth::hash_password(PASSWORD).unwrap(),
            role: safeduty_core::policy::Role::SecurityAdmin,
            region_id: Some(region_id),
            unit_id: None,
            enterprise_id: None,
            is_demo: false,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

fn code_now(secret: &[u8], offset: i64) -> String {
    let step = safeduty_core::totp::step_at(chrono::Utc::now().timestamp()) + offset;
    safeduty_core::totp::code(secret, step)
}

#[tokio::test]
async fn administrators_must_enroll_totp_and_then_give_a_code_at_login() {
    for app in TestApp::all().await {
        let b = app.backend();
        let id = real_admin(&app).await;
        // Login by page: the password suffices until enrolled, but only enrollment is open.
        let old = Client {
            cookie: "safeduty_session=stale".into(),
            csrf: String::new(),
        };
        let r = app.page_login(&old, "qian.secadmin", PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}");
        let c = Client {
            cookie: cookie_of(&r),
            csrf: String::new(),
        };
        let page = app.get(&c, "/admin/security-policy").await;
        assert_eq!(page.headers[header::LOCATION], "/totp", "{b}");
        let body = app.get(&c, "/totp").await.body;
        let csrf = body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let c = Client { csrf, ..c };
        assert_eq!(
            app.form(&c, "/totp/start", &[("csrf", &c.csrf)])
                .await
                .status,
            StatusCode::SEE_OTHER,
            "{b}"
        );
        let secret = safeduty_store::identity::totp(app.store(), id)
            .await
            .unwrap()
            .pending
            .unwrap();
        assert!(
            app.get(&c, "/totp")
                .await
                .body
                .contains(&safeduty_core::totp::base32(&secret)),
            "{b}"
        );
        let bad = app
            .form(&c, "/totp", &[("csrf", &c.csrf), ("code", "000000")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let ok = app
            .form(
                &c,
                "/totp",
                &[("csrf", &c.csrf), ("code", &code_now(&secret, 0))],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{b}");
        // Privilege change: the session id is renewed; the old one ended.
        let renewed = Client {
            cookie: cookie_of(&ok),
            csrf: String::new(),
        };
        assert_ne!(renewed.cookie, c.cookie, "{b}");
        assert_eq!(
            app.get(&c, "/admin/security-policy").await.headers[header::LOCATION],
            "/login",
            "{b}"
        );
        assert_eq!(
            app.get(&renewed, "/admin/security-policy").await.status,
            StatusCode::OK,
            "{b}"
        );
        // API login: without a code refused; a wrong code counts toward the lockout; the right one works.
        assert_eq!(
            api_login(&app, "qian.secadmin", PASSWORD, None)
                .await
                .json()["code"],
            "second_factor_required",
            "{b}"
        );
        assert_eq!(
            safeduty_store::identity::failures(app.store(), "qian.secadmin", None)
                .await
                .unwrap()
                .count,
            0,
            "{b}"
        );
        assert_eq!(
            api_login(&app, "qian.secadmin", PASSWORD, Some("000000"))
                .await
                .json()["code"],
            "bad_second_factor",
            "{b}"
        );
        assert_eq!(
            safeduty_store::identity::failures(app.store(), "qian.secadmin", None)
                .await
                .unwrap()
                .count,
            1,
            "{b}"
        );
        let good = api_login(&app, "qian.secadmin", PASSWORD, Some(&code_now(&secret, 1))).await;
        assert_eq!(good.status, StatusCode::OK, "{b}: {}", good.body);
        // The same code again: used once.
        assert_eq!(
            api_login(&app, "qian.secadmin", PASSWORD, Some(&code_now(&secret, 1)))
                .await
                .json()["code"],
            "bad_second_factor",
            "{b}"
        );
        // Page login: password first gives a session good only for the code, then a new id.
        let r = app.page_login(&renewed, "qian.secadmin", PASSWORD).await;
        assert_eq!(r.headers[header::LOCATION], "/login/totp", "{b}");
        let pending = Client {
            cookie: cookie_of(&r),
            csrf: String::new(),
        };
        assert_ne!(pending.cookie, renewed.cookie, "{b}: new id at login");
        assert_eq!(
            app.get(&renewed, "/admin/accounts").await.headers[header::LOCATION],
            "/login",
            "{b}"
        );
        assert_eq!(
            app.get(&pending, "/admin/accounts").await.headers[header::LOCATION],
            "/login/totp",
            "{b}"
        );
        // The right password does not wipe the failed codes (only a whole login does): four
        // more wrong codes lock the account (5 in 15 minutes), the right code then too. They
        // go through another node, whose login rate limit per name (10 a minute) has not
        // counted this morning's attempts: the lockout holds across nodes, the rate limit not.
        let node = router_with(&app, 1000, &[]);
        for expected in [
            "bad_second_factor",
            "bad_second_factor",
            "bad_second_factor",
            "account_locked",
        ] {
            let r = send_to(
                &node,
                login_request("qian.secadmin", PASSWORD, Some("111111")),
            )
            .await;
            assert_eq!(r.json()["code"], expected, "{b}");
        }
        assert_eq!(
            safeduty_store::identity::failures(app.store(), "qian.secadmin", None)
                .await
                .unwrap()
                .count,
            5,
            "{b}"
        );
        assert_eq!(
            send_to(
                &node,
                login_request("qian.secadmin", PASSWORD, Some(&code_now(&secret, 0)))
            )
            .await
            .json()["code"],
            "account_locked",
            "{b}"
        );
        // Demo administrators are exempt (positive control of the exemption rule).
        assert_eq!(
            api_login(&app, "demo-secadmin", PASSWORD, None)
                .await
                .status,
            StatusCode::OK,
            "{b}"
        );
        app.cleanup().await;
    }
}

fn multipart(csrf: &str, filename: &str, content_type: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "XBOUNDARYX";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A provisioning upload by `c`.
fn provision_request(c: &Client, filename: &str, content_type: &str, file: &[u8]) -> Request<Body> {
    let (ct, body) = multipart(&c.csrf, filename, content_type, file);
    Request::post("/admin/provision")
        .header(header::COOKIE, &c.cookie)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn bulk_provisioning_is_all_or_nothing_and_first_login_forces_a_change() {
    for app in TestApp::all().await {
        let b = app.backend();
        let sys = app.login("demo-sysadmin").await;
        let mut tx = app.store().write().await.unwrap();
        let codes: Vec<String> =
            sqlx::query_scalar("SELECT uscc FROM enterprises ORDER BY uscc LIMIT 2")
                .fetch_all(&mut *tx)
                .await
                .unwrap();
        tx.rollback().await.unwrap();
        let users = || scalar(&app, "SELECT COUNT(*) FROM users");
        let before = users().await;
        let upload = |csv: String| provision_request(&sys, "a.csv", "text/csv", csv.as_bytes());
        // One bad row (an unknown enterprise) rejects them all, with row and reason.
        let bad = format!(
            "统一社会信用代码,用户名,姓名\n{},chen.gong,陈工\n91350100M000100Y,li.gong,李工\n",
            codes[0]
        );
        let r = app.send(upload(bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.body.contains("第3行"), "{b}");
        assert_eq!(users().await, before, "{b}: nothing written");
        // A name already taken, with a good code: rejected in the store, named by row.
        let taken = format!(
            "统一社会信用代码,用户名,姓名\n{},demo-town,陈工\n",
            codes[0]
        );
        let r = app.send(upload(taken)).await;
        assert!(r.body.contains("用户名已存在"), "{b}");
        assert_eq!(users().await, before, "{b}");
        // Good rows: written, first passwords shown once.
        let good = format!(
            "统一社会信用代码,用户名,姓名\n{},chen.gong,陈工\n{},li.gong,李工\n",
            codes[0], codes[1]
        );
        let r = app.send(upload(good)).await;
        assert_eq!(r.status, StatusCode::OK, "{b}: {}", r.body);
        assert_eq!(users().await, before + 2, "{b}");
        assert_eq!(r.headers[header::CACHE_CONTROL], "no-store", "{b}");
        let password = r
            .body
            .split("<td>chen.gong</td><td>陈工</td><td><code>")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_string();
        let login = api_login(&app, "chen.gong", &password, None).await;
        assert_eq!(login.status, StatusCode::OK, "{b}");
        let c = Client {
            cookie: cookie_of(&login),
            csrf: login.json()["csrf_token"].as_str().unwrap().into(),
        };
        assert_eq!(
            app.get(&c, "/api/v1/campaign").await.json()["code"],
            "password_change_required",
            "{b}"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn policy_changes_take_effect_and_only_the_security_admin_makes_them() {
    for app in TestApp::all().await {
        let b = app.backend();
        let sec = app.login("demo-secadmin").await;
        let sys = app.login("demo-sysadmin").await;
        let fields = |csrf: &str, min_len: &str, failures: &str| -> Vec<(String, String)> {
            [
                ("csrf", csrf),
                ("min_len", min_len),
                ("min_classes", "3"),
                ("history", "5"),
                ("max_failures", failures),
                ("window_minutes", "15"),
                ("lock_minutes", "15"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
        };
        let send = |c: &Client, f: Vec<(String, String)>| {
            let pairs: Vec<(&str, &str)> =
                f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let body = serde_urlencoded::to_string(pairs).unwrap();
            Request::post("/admin/security-policy")
                .header(header::COOKIE, &c.cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap()
        };
        assert_eq!(
            app.send(send(&sys, fields(&sys.csrf, "12", "3")))
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{b}"
        );
        let weak = app.send(send(&sec, fields(&sec.csrf, "6", "3"))).await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(weak.body.contains("密码最小长度须在8至64之间"), "{b}");
        let r = app.send(send(&sec, fields(&sec.csrf, "12", "3"))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(app.audit_count("security_policy_changed").await, 1, "{b}");
        // Three failures now lock.
        for _ in 0..2 {
            assert_eq!(
                api_login(&app, "demo-dept", "wrong", None).await.json()["code"],
                "bad_credentials",
                "{b}"
            );
        }
        assert_eq!(
            api_login(&app, "demo-dept", "wrong", None).await.json()["code"],
            "account_locked",
            "{b}"
        );
        // Twelve characters now.
        let town = app.login("demo-town").await;
        let r = app
            .json(
                &town,
                "POST",
                "/api/v1/password",
                json!({"old_password": PASSWORD, "new_password": "Short-Pw-9"}),
            )
            .await;
        assert_eq!(r.json()["message"], "密码至少12位", "{b}");
        app.cleanup().await;
    }
}

/// Two enterprise codes of the demo district, by code.
async fn two_codes(app: &TestApp) -> Vec<String> {
    let mut tx = app.store().write().await.unwrap();
    let codes: Vec<String> =
        sqlx::query_scalar("SELECT uscc FROM enterprises ORDER BY uscc LIMIT 2")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
    tx.rollback().await.unwrap();
    codes
}

/// An `.xlsx` as an office clerk makes it: a title line, the header, then `rows`.
fn provisioning_xlsx(rows: &[[&str; 3]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "企业账号开通名单").unwrap();
    for (c, h) in ["序号", "统一社会信用代码", "用户名", "姓名"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        sheet.write_number(r, 0, (i + 1) as f64).unwrap();
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r, 1 + c as u16, *v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[tokio::test]
async fn bulk_provisioning_reads_an_xlsx_with_a_title_line() {
    for app in TestApp::all().await {
        let b = app.backend();
        let sys = app.login("demo-sysadmin").await;
        let codes = two_codes(&app).await;
        let users = || scalar(&app, "SELECT COUNT(*) FROM users");
        let before = users().await;
        // The second code with its last character changed: its check digit no longer holds.
        let mut bad_code = codes[1].clone();
        let last = bad_code.pop().unwrap();
        bad_code.push(if last == '0' { '1' } else { '0' });
        let bad = provisioning_xlsx(&[
            [&codes[0], "zhou.gong", "周工"],
            [&bad_code, "wu.gong", "吴工"],
        ]);
        let r = app
            .send(provision_request(&sys, "名单.xlsx", XLSX, &bad))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            r.body.contains("<td>第4行</td><td>统一社会信用代码</td>"),
            "{b}: {}",
            r.body
        );
        assert!(r.body.contains("有1处问题，未开通任何账号"), "{b}");
        assert_eq!(users().await, before, "{b}: nothing written");
        // Good rows; a login name typed in capitals is kept in lower case.
        let good = provisioning_xlsx(&[
            [&codes[0], "zhou.gong", "周工"],
            [&codes[1], "Wu.Gong", "吴工"],
        ]);
        let r = app
            .send(provision_request(&sys, "名单.xlsx", XLSX, &good))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{b}: {}", r.body);
        assert_eq!(users().await, before + 2, "{b}");
        for (username, code) in [("zhou.gong", &codes[0]), ("wu.gong", &codes[1])] {
            let mut tx = app.store().write().await.unwrap();
            let (role, uscc, must_change): (String, String, i64) = sqlx::query_as(
                "SELECT u.role, e.uscc, u.must_change_password FROM users u \
                 JOIN enterprises e ON e.id = u.enterprise_id WHERE u.username = $1",
            )
            .bind(username)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            tx.rollback().await.unwrap();
            assert_eq!(
                (role.as_str(), uscc.as_str(), must_change),
                ("enterprise_user", code.as_str(), 1),
                "{b}: {username}"
            );
            assert!(
                r.body.contains(&format!("<td>{username}</td>")),
                "{b}: {username} handed over"
            );
        }
        assert_eq!(app.audit_count("accounts_provisioned").await, 1, "{b}");
        app.cleanup().await;
    }
}

/// A router over the app's store whose login limit per address is `per_address` (per user name:
/// out of the way) and which believes `X-Forwarded-For` from `trusted` proxies.
pub(crate) fn router_with(app: &TestApp, per_address: u32, trusted: &[&str]) -> axum::Router {
    let state = safeduty_web::AppState::new(
        app.store().clone(),
        safeduty_core::calendar::Calendar::shipped(),
        safeduty_web::Clock::Fixed("2024-06-20".parse().unwrap()),
        safeduty_web::WebConfig {
            trusted_proxies: trusted
                .iter()
                .map(|t| safeduty_web::client_addr::parse_trusted_proxy(t).unwrap())
                .collect(),
            login_limits: safeduty_web::rate_limit::LoginLimits {
                per_address,
                per_username: 1000,
                window: std::time::Duration::from_secs(3600),
            },
            ..safeduty_web::WebConfig::default()
        },
    );
    safeduty_web::router(state)
}

/// An API login arriving over a TCP connection from `peer`, with `X-Forwarded-For` when given:
/// the status and the error code (empty on success).
pub(crate) async fn login_via(
    router: &axum::Router,
    peer: &str,
    forwarded_for: Option<&str>,
    user: &str,
    password: &str,
) -> (StatusCode, String) {
    let mut req = login_request(user, password, None);
    if let Some(f) = forwarded_for {
        req.headers_mut()
            .insert("x-forwarded-for", f.parse().unwrap());
    }
    let peer: std::net::SocketAddr = format!("{peer}:50000").parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(peer));
    let r = send_to(router, req).await;
    let code = serde_json::from_str::<serde_json::Value>(&r.body)
        .ok()
        .and_then(|v| v["code"].as_str().map(str::to_string))
        .unwrap_or_default();
    (r.status, code)
}

/// The client address of the newest audit record of `event`.
async fn last_client_addr(app: &TestApp, event: &str) -> Option<String> {
    let mut tx = app.store().write().await.unwrap();
    let addr: Option<String> = sqlx::query_scalar(
        "SELECT client_addr FROM audit_records WHERE event = $1 ORDER BY seq DESC LIMIT 1",
    )
    .bind(event)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    addr
}

#[tokio::test]
async fn logins_are_limited_per_client_address() {
    for app in TestApp::all().await {
        let b = app.backend();
        let router = router_with(&app, 3, &[]);
        let a = "198.51.100.7";
        // Three attempts from one address, whatever the names and outcomes.
        assert_eq!(
            login_via(&router, a, None, "demo-town", "wrong").await,
            (StatusCode::UNAUTHORIZED, "bad_credentials".into()),
            "{b}"
        );
        assert_eq!(
            login_via(&router, a, None, "demo-dept", "wrong").await,
            (StatusCode::UNAUTHORIZED, "bad_credentials".into()),
            "{b}"
        );
        assert_eq!(
            login_via(&router, a, None, "demo-office", PASSWORD).await.0,
            StatusCode::OK,
            "{b}"
        );
        let failed = app.audit_count("login_failed").await;
        let logins = app.audit_count("login").await;
        // The fourth is refused before the password is looked at, even a right one, and is not
        // written to the trail (a flood would become a flood of writes).
        assert_eq!(
            login_via(&router, a, None, "demo-office", PASSWORD).await,
            (StatusCode::TOO_MANY_REQUESTS, "too_many_requests".into()),
            "{b}"
        );
        assert_eq!(
            login_via(&router, a, None, "demo-assessor", "wrong").await,
            (StatusCode::TOO_MANY_REQUESTS, "too_many_requests".into()),
            "{b}"
        );
        // A header the client makes up does not give it a new address: no proxy is trusted.
        assert_eq!(
            login_via(&router, a, Some("203.0.113.50"), "demo-office", PASSWORD)
                .await
                .0,
            StatusCode::TOO_MANY_REQUESTS,
            "{b}"
        );
        assert_eq!(app.audit_count("login_failed").await, failed, "{b}");
        assert_eq!(app.audit_count("login").await, logins, "{b}");
        // The account itself is not harmed: no failure counted against demo-assessor.
        let counted = scalar(
            &app,
            "SELECT COUNT(*) FROM login_failures WHERE name_key = 'demo-assessor'",
        )
        .await;
        assert_eq!(counted, 0, "{b}");
        // Positive control: another address logs in.
        assert_eq!(
            login_via(&router, "198.51.100.8", None, "demo-office", PASSWORD)
                .await
                .0,
            StatusCode::OK,
            "{b}"
        );
        assert_eq!(
            last_client_addr(&app, "login").await.as_deref(),
            Some("198.51.100.8"),
            "{b}"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn forwarded_for_is_believed_only_from_a_trusted_proxy_and_lands_in_the_trail() {
    for app in TestApp::all().await {
        let b = app.backend();
        let router = router_with(&app, 2, &["10.0.0.0/8"]);
        let proxy = "10.0.0.5";
        // Through the trusted proxy: the address it appended is the client.
        assert_eq!(
            login_via(&router, proxy, Some("203.0.113.9"), "demo-office", PASSWORD)
                .await
                .0,
            StatusCode::OK,
            "{b}"
        );
        assert_eq!(
            last_client_addr(&app, "login").await.as_deref(),
            Some("203.0.113.9"),
            "{b}"
        );
        // A client's own forged entries sit left of what the proxies appended: the right-most
        // address that is not a trusted proxy counts.
        assert_eq!(
            login_via(
                &router,
                proxy,
                Some("6.6.6.6, 203.0.113.10, 10.1.1.1"),
                "demo-town",
                "wrong"
            )
            .await,
            (StatusCode::UNAUTHORIZED, "bad_credentials".into()),
            "{b}"
        );
        assert_eq!(
            last_client_addr(&app, "login_failed").await.as_deref(),
            Some("203.0.113.10"),
            "{b}"
        );
        // From a peer that is not a trusted proxy the header is ignored: the peer is the client.
        assert_eq!(
            login_via(
                &router,
                "198.51.100.20",
                Some("203.0.113.9"),
                "demo-dept",
                PASSWORD
            )
            .await
            .0,
            StatusCode::OK,
            "{b}"
        );
        assert_eq!(
            last_client_addr(&app, "login").await.as_deref(),
            Some("198.51.100.20"),
            "{b}"
        );
        // The rate limit counts the clients behind the proxy apart: 203.0.113.9 has had one
        // attempt, 203.0.113.10 one; one more each, then the third is refused for 203.0.113.9
        // only.
        assert_eq!(
            login_via(&router, proxy, Some("203.0.113.9"), "demo-office", PASSWORD)
                .await
                .0,
            StatusCode::OK,
            "{b}"
        );
        assert_eq!(
            login_via(&router, proxy, Some("203.0.113.9"), "demo-office", PASSWORD)
                .await
                .0,
            StatusCode::TOO_MANY_REQUESTS,
            "{b}"
        );
        assert_eq!(
            login_via(
                &router,
                proxy,
                Some("203.0.113.10"),
                "demo-office",
                PASSWORD
            )
            .await
            .0,
            StatusCode::OK,
            "{b}"
        );
        app.cleanup().await;
    }
}
