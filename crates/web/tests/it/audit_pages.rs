//! The audit administrator's pages: search (filters, stable paging), export (CSV with BOM and
//! `.xlsx`, formula-like text inert, the export audited), who may open them, and no route that
//! edits or deletes a record (shared case B25). Both backends.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use safeduty_store::audit::{self, Entry, Event, Verification, Who};
use tower::ServiceExt;

use crate::app::TestApp;

/// Record numbers shown on a page, in order.
fn seqs(body: &str) -> Vec<i64> {
    body.split("<td class=\"num\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().parse().unwrap())
        .collect()
}

fn next_link(body: &str) -> Option<String> {
    let start = body.find("<a href=\"/audit?")? + "<a href=\"".len();
    let rest = &body[start..];
    let link = &rest[..rest.find('"')?];
    rest.contains("下一页")
        .then(|| link.replace("&#38;", "&").replace("&amp;", "&"))
}

#[tokio::test]
async fn audit_admin_searches_pages_and_exports_the_trail() {
    for app in TestApp::all().await {
        let b = app.backend();
        let auditor = app.login("demo-auditadmin").await;
        let office = app.login("demo-office").await;

        // Who may read it: the audit administrator only (403 for everyone else).
        for user in [
            "demo-office",
            "demo-sysadmin",
            "demo-secadmin",
            "demo-assessor",
        ] {
            let c = app.login(user).await;
            let r = app.get(&c, "/audit").await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{b} {user}");
            assert!(!r.body.contains("记录号"), "{b} {user}: no records shown");
            let r = app.get(&c, "/audit/export?format=csv").await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{b} {user}");
        }

        // Filters: the office's one login, its denials, the auditor's own login.
        let r = app
            .get(&auditor, "/audit?actor=demo-office&event=login")
            .await;
        assert_eq!(r.status, StatusCode::OK, "{b}");
        assert!(r.body.contains("共 2 条"), "{b}: two logins of demo-office");
        let r = app
            .get(&auditor, "/audit?actor=demo-office&result=denied")
            .await;
        assert!(
            r.body.contains("共 2 条"),
            "{b}: /audit and the export refused"
        );
        assert!(r.body.contains("越权拒绝"), "{b}");
        let r = app
            .get(&auditor, "/audit?actor=nobody-at-all&event=login")
            .await;
        assert!(r.body.contains("共 0 条"), "{b}");

        // Paging: newest first, pages of 50 that neither overlap nor skip, on both backends.
        let all = audit::search::count(app.store(), &Default::default())
            .await
            .unwrap();
        assert!(all > 100, "{b}: the demo trail spans pages");
        let mut seen = Vec::new();
        let mut link = Some("/audit?".to_string());
        let mut pages = 0;
        while let Some(l) = link.filter(|_| pages < 3) {
            let r = app.get(&auditor, &l).await;
            assert_eq!(r.status, StatusCode::OK, "{b} {l}");
            let page = seqs(&r.body);
            assert_eq!(page.len(), 50, "{b} {l}");
            seen.extend(page);
            link = next_link(&r.body);
            pages += 1;
        }
        let newest = seen[0];
        assert_eq!(
            seen,
            (newest - 149..=newest).rev().collect::<Vec<_>>(),
            "{b}: consecutive record numbers, newest first"
        );

        // A bad date says what is wrong.
        let r = app.get(&auditor, "/audit?from=2024-13-01").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(r.body.contains("开始日期“2024-13-01”不是有效日期"), "{b}");
        // An event or object kind the trail never records is a bad filter, not an empty page.
        let r = app.get(&auditor, "/audit?event=bogus").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(r.body.contains("事件“bogus”不是可查询的取值"), "{b}");
        let r = app.get(&auditor, "/audit/export?target_kind=bogus").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(r.body.contains("对象类型“bogus”不是可查询的取值"), "{b}");
        // Known codes are accepted (positive control), the object named in Chinese.
        let r = app
            .get(&auditor, "/audit?event=login&target_kind=user")
            .await;
        assert_eq!(r.status, StatusCode::OK, "{b}");
        assert!(
            r.body
                .contains("<td class=\"target\">账号 demo-auditadmin</td>"),
            "{b}"
        );
        assert!(!r.body.contains(">user demo-"), "{b}");

        // Personal numbers in a record's states are shown masked to the audit administrator,
        // in the search and in the export (issue #16 point 4).
        audit::record_alone(
            app.store(),
            Entry {
                who: &Who::system(),
                event: Event::Updated,
                target_kind: safeduty_store::audit::Object::Enterprise.into(),
                target_id: "masking-probe".into(),
                before: Some(serde_json::json!({"contact_phone": "13812345678"})),
                after: Some(
                    serde_json::json!({"contact_phone": "13987654321", "name": "示例甲公司"}),
                ),
                result: "ok",
            },
        )
        .await
        .unwrap();
        for path in [
            "/audit?target_id=masking-probe",
            "/audit/export?format=csv&target_id=masking-probe",
        ] {
            let r = app.get(&auditor, path).await;
            assert_eq!(r.status, StatusCode::OK, "{b}: {path}");
            assert!(
                r.body.contains("138****5678") && r.body.contains("139****4321"),
                "{b}: {path}: {}",
                r.body
            );
            assert!(
                !r.body.contains("13812345678") && !r.body.contains("13987654321"),
                "{b}: {path}"
            );
        }

        // A record whose target someone typed as a formula.
        audit::record_alone(
            app.store(),
            Entry {
                who: &Who::system(),
                event: Event::LoginFailed,
                target_kind: safeduty_store::audit::Object::User.into(),
                target_id: "=HYPERLINK(\"http://x\",\"点我\")".into(),
                before: None,
                after: None,
                result: "failed",
            },
        )
        .await
        .unwrap();
        let exported = app.audit_count("audit_exported").await;
        let filter = "target_kind=user&target_id=%3DHYPERLINK(%22http%3A%2F%2Fx%22%2C%22%E7%82%B9%E6%88%91%22)";
        let csv = app
            .get(&auditor, &format!("/audit/export?format=csv&{filter}"))
            .await;
        assert_eq!(csv.status, StatusCode::OK, "{b}: {}", csv.body);
        assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        assert!(
            csv.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains("filename*=UTF-8''"),
            "{b}"
        );
        assert!(csv.body.starts_with('\u{feff}'), "{b}: BOM");
        let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 2, "{b}: header and the one record");
        assert!(
            lines[0].starts_with("记录号,时间（北京时间）,账号,姓名,角色"),
            "{b}"
        );
        assert!(
            lines[1].contains(",账号,\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",,,失败"),
            "{b}: formula inert: {}",
            lines[1]
        );
        assert_eq!(app.audit_count("audit_exported").await, exported + 1, "{b}");

        // The same as .xlsx: the formula is a text cell.
        let res = app
            .router
            .clone()
            .oneshot(
                Request::get(format!("/audit/export?format=xlsx&{filter}"))
                    .header(header::COOKIE, &auditor.cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{b}");
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let sheet = safeduty_roster::read(&bytes).unwrap();
        assert_eq!(sheet.grid.rows.len(), 2, "{b}");
        assert_eq!(sheet.grid.rows[0].cell(0), "记录号");
        assert_eq!(
            sheet.grid.rows[1].cell(8),
            "=HYPERLINK(\"http://x\",\"点我\")",
            "{b}: stored as text, not a formula"
        );
        assert_eq!(sheet.grid.rows[1].cell(7), "账号", "{b}");
        assert_eq!(sheet.grid.rows[1].cell(11), "失败");
        assert_eq!(app.audit_count("audit_exported").await, exported + 2, "{b}");

        // No route edits or deletes a record; the trail verifies after all of the above.
        for (method, path) in [
            ("PUT", "/audit"),
            ("DELETE", "/audit"),
            ("POST", "/audit"),
            ("DELETE", "/audit/1"),
            ("PUT", "/audit/1"),
            ("POST", "/audit/purge"),
            ("DELETE", "/api/v1/audit/1"),
        ] {
            let r = app
                .send(
                    Request::builder()
                        .method(method)
                        .uri(path)
                        .header(header::COOKIE, &office.cookie)
                        .header("x-csrf-token", &office.csrf)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            assert!(
                matches!(r.status.as_u16(), 404 | 405),
                "{b} {method} {path}: {}",
                r.status
            );
        }
        assert!(
            matches!(
                audit::verify(app.store()).await.unwrap(),
                Verification::Intact { .. }
            ),
            "{b}"
        );
        app.cleanup().await;
    }
}
