//! Roster export and template downloads (scope, masking per role, audit, who may not), and the
//! header-row and column choices of the import page.

use axum::http::{StatusCode, header};

use crate::app::TestApp;
use crate::roster::{enterprises_named, hidden, upload};

/// Gives the first enterprise of 东湖街道 (demo-enterprise's) and of 南山镇 a contact and a phone.
async fn phones(app: &TestApp) -> (String, String) {
    let mut tx = app.store().write().await.unwrap();
    let mut names = Vec::new();
    for (user, phone) in [
        ("demo-enterprise", "13812345678"),
        ("demo-enterprise2", "13900001111"),
    ] {
        let name: String = sqlx::query_scalar(
            "SELECT e.name FROM enterprises e JOIN users u ON u.enterprise_id = e.id \
             WHERE u.username = $1",
        )
        .bind(user)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        sqlx::query("UPDATE enterprises SET contact = '联系人某', phone = $1 WHERE name = $2")
            .bind(phone)
            .bind(&name)
            .execute(&mut *tx)
            .await
            .unwrap();
        names.push(name);
    }
    tx.commit().await.unwrap();
    (names[0].clone(), names[1].clone())
}

#[tokio::test]
async fn export_per_role_scope_and_masking() {
    for app in TestApp::all().await {
        let b = app.backend();
        let (donghu, nanshan) = phones(&app).await;

        // Committee office: the whole district, phones masked.
        let office = app.login("demo-office").await;
        let r = app.get(&office, "/roster/export?format=csv").await;
        assert_eq!(r.status, StatusCode::OK, "{b}: {}", r.body);
        assert_eq!(r.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        let disposition = r.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''"),
            "{disposition}"
        );
        assert!(r.body.starts_with("\u{FEFF}企业名称,统一社会信用代码,行业,镇街,主管部门,是否重点企业,地址,主要负责人,安全管理人员,联系人,联系电话\r\n"), "{b}");
        assert!(r.body.contains(&donghu) && r.body.contains(&nanshan), "{b}");
        assert!(
            r.body.contains(",138****5678\r\n") && r.body.contains(",139****1111\r\n"),
            "{b}"
        );
        assert!(
            !r.body.contains("13812345678"),
            "{b}: the office sees masked phones"
        );
        let office_lines = r.body.lines().count();
        let total: i64 = {
            let mut tx = app.store().write().await.unwrap();
            let n = sqlx::query_scalar("SELECT COUNT(*) FROM enterprises")
                .fetch_one(&mut *tx)
                .await
                .unwrap();
            tx.rollback().await.unwrap();
            n
        };
        assert_eq!(
            office_lines as i64,
            total + 1,
            "{b}: header and every enterprise"
        );

        // Town officer: its own town only, phones in full.
        let town = app.login("demo-town").await;
        let r = app.get(&town, "/roster/export?format=csv").await;
        assert_eq!(r.status, StatusCode::OK, "{b}");
        assert!(r.body.contains(",13812345678\r\n"), "{b}");
        assert!(!r.body.contains(&nanshan), "{b}: another town's enterprise");
        assert!(
            r.body.lines().skip(1).all(|l| l.contains(",东湖街道,")),
            "{b}"
        );
        assert!(r.body.lines().count() < office_lines);

        // Assessor: reads and exports, masked.
        let assessor = app.login("demo-assessor").await;
        let r = app.get(&assessor, "/roster/export?format=xlsx").await;
        assert_eq!(r.status, StatusCode::OK, "{b}");
        assert!(r.body.starts_with("PK"), "{b}: a workbook");
        assert_eq!(
            r.headers[header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );

        // An enterprise user may not export; no file, the denial audited.
        let ent = app.login("demo-enterprise").await;
        let denied_before = app.audit_count("permission_denied").await;
        let r = app.get(&ent, "/roster/export?format=csv").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        assert!(!r.body.contains("13812345678"));
        assert_eq!(
            app.audit_count("permission_denied").await,
            denied_before + 1
        );
        assert_eq!(
            app.get(&ent, "/roster/template").await.status,
            StatusCode::FORBIDDEN
        );

        // A format we do not write.
        let r = app.get(&office, "/roster/export?format=xls").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{b}");

        // Each export is in the audit trail (office csv, town csv, assessor xlsx).
        assert_eq!(app.audit_count("roster_exported").await, 3, "{b}");

        let r = app.get(&office, "/roster/template").await;
        assert_eq!(r.status, StatusCode::OK, "{b}");
        assert!(r.body.starts_with("PK"));
        let page = app.get(&office, "/roster").await;
        assert!(
            page.body.contains("href=\"/roster/export?format=xlsx\"")
                && page.body.contains("href=\"/roster/template\"")
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_person_names_the_header_row_and_the_columns() {
    let app = TestApp::sqlite().await;
    let office = app.login("demo-office").await;
    let roster = "单位,代码,所在地,备注\n选择表头甲公司,91330106MA2BC0001U,东湖街道,无\n";
    let r = upload(
        &app,
        &office,
        Some(&office.csrf),
        "名单.csv",
        roster.as_bytes(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("没有找到表头"));
    assert!(
        r.body.contains("<td>选择表头甲公司</td>"),
        "the first rows are shown"
    );
    let upload_id = hidden(&r.body, "upload");

    // Row 1 named as the header: its columns are offered, none recognized yet.
    let r = app
        .form(
            &office,
            "/roster/preview",
            &[
                ("csrf", &office.csrf),
                ("upload", &upload_id),
                ("header_row", "1"),
                ("shown_header_row", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("第1行不是表头"));
    assert!(r.body.contains("name=\"col_1\""), "{}", r.body);

    // The columns mapped: the preview, and a confirmation that carries the same choices.
    let choices = [
        ("csrf", office.csrf.as_str()),
        ("upload", upload_id.as_str()),
        ("header_row", "1"),
        ("shown_header_row", "1"),
        ("col_0", "name"),
        ("col_1", "uscc"),
        ("col_2", "region"),
        ("col_3", ""),
    ];
    let r = app.form(&office, "/roster/preview", &choices).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("新增 <strong>1</strong> 家"), "{}", r.body);
    assert!(r.body.contains("B列（代码）") || r.body.contains("B 代码"));
    let fingerprint = hidden(&r.body, "fingerprint");
    // Without the CSRF token: refused, nothing written.
    let mut no_csrf: Vec<(&str, &str)> = choices.to_vec();
    no_csrf.remove(0);
    assert_eq!(
        app.form(&office, "/roster/preview", &no_csrf).await.status,
        StatusCode::FORBIDDEN
    );
    let mut apply: Vec<(&str, &str)> = choices.to_vec();
    apply.push(("fingerprint", &fingerprint));
    let done = app.form(&office, "/roster/apply", &apply).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("已导入，新增1家"), "{}", done.body);
    assert_eq!(enterprises_named(&app, "选择表头甲").await, 1);

    // A two-level header is found as such.
    let roster = "企业名称,统一社会信用代码,镇街,联系人,\n,,,姓名,电话\n两级表头乙公司,91330106MA2BC0002Y,东湖街道,王某,13800000002\n";
    let r = upload(
        &app,
        &office,
        Some(&office.csrf),
        "名单.csv",
        roster.as_bytes(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("表头在第1–2行"), "{}", r.body);
    assert!(r.body.contains("新增 <strong>1</strong> 家"));
    app.cleanup().await;
}
