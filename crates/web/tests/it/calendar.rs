//! The committee office loads a year's holiday notice: preview, refusal with reasons, save.

use axum::http::StatusCode;

use crate::app::TestApp;

fn notice(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../plan/tests/fixtures")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

#[tokio::test]
async fn office_previews_refuses_and_saves_a_notice() {
    let app = TestApp::sqlite().await;
    let office = app.login("demo-office").await;
    let page = app.get(&office, "/calendar").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("随软件发布"));

    // The shipped year again: read, identical, nothing to save.
    let n2025 = notice("notice-2025.txt");
    let r = app
        .form(
            &office,
            "/calendar",
            &[
                ("csrf", &office.csrf),
                ("action", "preview"),
                ("text", &n2025),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("与已有的2025年安排完全相同，无需保存"));
    assert!(!r.body.contains("确认保存"));

    // A garbled notice: refused with the reason, nothing saved.
    let bad = n2025.replace("1月1日(周三)", "1月1日(周四)");
    let r = app
        .form(
            &office,
            "/calendar",
            &[("csrf", &office.csrf), ("action", "save"), ("text", &bad)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("未载入任何日期") && r.body.contains("周四"));
    assert_eq!(app.audit_count("calendar_year_loaded").await, 0);

    // A year not shipped: previewed, then saved; the calendar takes it at once.
    let n2027 = notice("notice-2027-synthetic.txt");
    let r = app
        .form(
            &office,
            "/calendar",
            &[
                ("csrf", &office.csrf),
                ("action", "preview"),
                ("text", &n2027),
            ],
        )
        .await;
    assert!(r.body.contains("2027年安排尚未载入") && r.body.contains("确认保存"));
    let r = app
        .form(
            &office,
            "/calendar",
            &[("csrf", &office.csrf), ("action", "save"), ("text", &n2027)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("已保存2027年安排"));
    assert!(r.body.contains("载入："));
    assert_eq!(app.audit_count("calendar_year_loaded").await, 1);

    // The notice as an uploaded file (GBK text here) previews the same way.
    let (gbk, _, _) = encoding_rs::GBK.encode(&n2025);
    let boundary = "XyZsafedutyBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notice.txt\"\r\n\
         Content-Type: text/plain\r\n\r\n",
        office.csrf
    )
    .into_bytes();
    body.extend_from_slice(&gbk);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = app
        .send(
            axum::http::Request::post("/calendar/upload")
                .header("cookie", &office.cookie)
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("与已有的2025年安排完全相同，无需保存"));

    // Only the committee office loads calendars.
    let town = app.login("demo-town").await;
    let r = app
        .form(
            &town,
            "/calendar",
            &[("csrf", &town.csrf), ("action", "save"), ("text", &n2027)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&town, "/calendar").await.status,
        StatusCode::FORBIDDEN
    );
    app.cleanup().await;
}
