//! Roster import pages: upload, preview, confirm; scope of a town officer; who may not; stale
//! confirmations; unreadable files; the industry table.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::app::{Answer, Client, TestApp};

const BOUNDARY: &str = "----safeduty-test-boundary";

fn multipart(csrf: Option<&str>, file_name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    if let Some(t) = csrf {
        b.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{t}\r\n")
                .as_bytes(),
        );
    }
    b.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    b.extend_from_slice(bytes);
    b.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    b
}

pub(crate) async fn upload(
    app: &TestApp,
    c: &Client,
    csrf: Option<&str>,
    name: &str,
    bytes: &[u8],
) -> Answer {
    app.send(
        Request::post("/roster")
            .header(header::COOKIE, &c.cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(multipart(csrf, name, bytes)))
            .unwrap(),
    )
    .await
}

pub(crate) fn hidden(body: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {body}"))
        + key.len();
    body[start..].split('"').next().unwrap().to_string()
}

pub(crate) async fn enterprises_named(app: &TestApp, like: &str) -> i64 {
    let mut tx = app.store().write().await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM enterprises WHERE name LIKE $1")
        .bind(format!("%{like}%"))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    n
}

/// Two new enterprises (东湖街道, 南山镇) and a row with a code destroyed by Excel.
const ROSTER: &str = "示例区企业名单,,,\n企业名称,统一社会信用代码,镇街,行业类别\n\
    名单导入甲公司,91330106MA2BC0001U,东湖街道,机械制造\n\
    名单导入乙公司,91330106MA2BC0002Y,南山镇,危险化学品\n\
    名单导入丙公司,9.13301E+17,南山镇,餐饮\n合计：3家,,,\n";

#[tokio::test]
async fn office_previews_then_confirms_an_import() {
    for app in TestApp::all().await {
        let b = app.backend();
        let office = app.login("demo-office").await;
        let page = app.get(&office, "/roster").await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains("行业对照表") && page.body.contains("机械"));

        let r = upload(
            &app,
            &office,
            Some(&office.csrf),
            "名单.csv",
            ROSTER.as_bytes(),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{b}: {}", r.body);
        assert!(r.body.contains("表头在第2行"), "{b}");
        assert!(r.body.contains("新增 <strong>2</strong> 家"), "{b}");
        assert!(r.body.contains("B列（统一社会信用代码）"));
        assert!(r.body.contains("科学计数法"));
        assert!(r.body.contains("合计"));
        assert_eq!(
            enterprises_named(&app, "名单导入").await,
            0,
            "a preview writes nothing"
        );

        let upload_id = hidden(&r.body, "upload");
        let fingerprint = hidden(&r.body, "fingerprint");
        // A confirmation with a stale fingerprint is refused and shows the preview again.
        let stale = app
            .form(
                &office,
                "/roster/apply",
                &[
                    ("csrf", &office.csrf),
                    ("upload", &upload_id),
                    ("fingerprint", "0000"),
                ],
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{b}");
        assert!(stale.body.contains("重新预览"));
        assert_eq!(enterprises_named(&app, "名单导入").await, 0);
        // Without the CSRF token: refused.
        let no_csrf = app
            .form(
                &office,
                "/roster/apply",
                &[("upload", &upload_id), ("fingerprint", &fingerprint)],
            )
            .await;
        assert_eq!(no_csrf.status, StatusCode::FORBIDDEN, "{b}");

        let done = app
            .form(
                &office,
                "/roster/apply",
                &[
                    ("csrf", &office.csrf),
                    ("upload", &upload_id),
                    ("fingerprint", &fingerprint),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{b}: {}", done.body);
        assert!(done.body.contains("已导入，新增2家"), "{b}");
        assert!(done.body.contains("纳入"), "new enterprises enrolled");
        assert_eq!(enterprises_named(&app, "名单导入").await, 2);
        assert_eq!(app.audit_count("roster_imported").await, 1);
        // The upload is gone once imported.
        let again = app
            .form(
                &office,
                "/roster/apply",
                &[
                    ("csrf", &office.csrf),
                    ("upload", &upload_id),
                    ("fingerprint", &fingerprint),
                ],
            )
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(enterprises_named(&app, "名单导入").await, 2);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_town_officer_imports_only_its_own_town() {
    let app = TestApp::sqlite().await;
    let town = app.login("demo-town").await;
    let r = upload(&app, &town, Some(&town.csrf), "名单.csv", ROSTER.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("新增 <strong>1</strong> 家"), "{}", r.body);
    assert!(r.body.contains("镇街“南山镇”不在本辖区内"));
    let done = app
        .form(
            &town,
            "/roster/apply",
            &[
                ("csrf", &town.csrf),
                ("upload", &hidden(&r.body, "upload")),
                ("fingerprint", &hidden(&r.body, "fingerprint")),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(enterprises_named(&app, "名单导入甲").await, 1);
    assert_eq!(enterprises_named(&app, "名单导入乙").await, 0);
    // The industry table is the committee office's.
    let r = app
        .form(
            &town,
            "/roster/industries",
            &[
                ("csrf", &town.csrf),
                ("alias", "餐饮"),
                ("industry", "工贸"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    app.cleanup().await;
}

#[tokio::test]
async fn enterprises_and_assessors_may_not_import_and_bad_files_are_refused() {
    let app = TestApp::sqlite().await;
    for who in ["demo-enterprise", "demo-assessor"] {
        let c = app.login(who).await;
        assert_eq!(
            app.get(&c, "/roster").await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        let r = upload(&app, &c, Some(&c.csrf), "名单.csv", ROSTER.as_bytes()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(enterprises_named(&app, "名单导入").await, 0);
    let office = app.login("demo-office").await;
    let r = upload(&app, &office, None, "名单.csv", ROSTER.as_bytes()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let mut ole2 = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole2.resize(1024, 0);
    let r = upload(&app, &office, Some(&office.csrf), "旧名单.xlsx", &ole2).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("另存为"), "{}", r.body);
    let r = upload(
        &app,
        &office,
        Some(&office.csrf),
        "x.csv",
        "甲,乙\n1,2\n".as_bytes(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("没有找到表头"));
    // The office adds 餐饮 → 工贸 to the table.
    let r = app
        .form(
            &office,
            "/roster/industries",
            &[
                ("csrf", &office.csrf),
                ("alias", "餐饮"),
                ("industry", "工贸"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("已保存：餐饮 → 工贸"));
    app.cleanup().await;
}
