//! CSRF (issue 11): login CSRF, and tokens left out entirely rather than wrong.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::app::{Client, PASSWORD, TestApp};

async fn sessions(app: &TestApp) -> i64 {
    let mut tx = app.store().write().await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    n
}

#[tokio::test]
async fn a_cross_site_login_creates_no_session() {
    for app in TestApp::all().await {
        let b = app.backend();
        let before = sessions(&app).await;
        let refused = app.audit_count("csrf_rejected").await;
        // What a page on another site can send: the right credentials, no cookie of ours.
        let body = format!("username=demo-office&password={PASSWORD}");
        let a = app
            .send(
                Request::post("/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ORIGIN, "https://evil.example")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{b}");
        assert!(a.body.contains("请求已失效"), "{b}: {}", a.body);
        assert!(
            a.headers.get(header::SET_COOKIE).is_none(),
            "{b}: no cookie is set"
        );
        assert_eq!(sessions(&app).await, before, "{b}: no session");
        assert_eq!(app.audit_count("csrf_rejected").await, refused + 1, "{b}");

        // The same credentials from our own login page log in.
        let nobody = Client {
            cookie: String::new(),
            csrf: String::new(),
        };
        let ok = app.page_login(&nobody, "demo-office", PASSWORD).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(ok.headers[header::LOCATION], "/", "{b}");
        assert_eq!(sessions(&app).await, before + 1, "{b}");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_token_left_out_is_refused_like_a_wrong_one() {
    let app = TestApp::sqlite().await;
    let office = app.login("demo-office").await;
    // A form without the field at all.
    let a = app
        .send(
            Request::post("/reports/stage")
                .header(header::COOKIE, &office.cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("note=x"))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    // JSON with the session cookie but without the header.
    let a = app
        .send(
            Request::post("/api/v1/logout")
                .header(header::COOKIE, &office.cookie)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.json()["code"], "csrf");
    // An upload whose first part is the file, not the token.
    let ent = app.login("demo-enterprise").await;
    let id = app.enterprise_of("demo-enterprise").await;
    let boundary = "b0undary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n\
         hello\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{boundary}--\r\n",
        ent.csrf
    );
    let a = app
        .send(
            Request::post(format!("/enterprises/{id}/evidence/5"))
                .header(header::COOKIE, &ent.cookie)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    // The session still works with its token: nothing was ended by the refusals.
    let a = app
        .form(&office, "/logout", &[("csrf", office.csrf.as_str())])
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    app.cleanup().await;
}
