//! Photos of an inspection (issue #12 points 4 and 6): an officer of the inspecting unit adds
//! photos to a check item and, after the re-inspection, to a finding's result; the pages show
//! the thumbnails; the API lists and adds them; downloads go through `/attachments/{id}`. Another
//! unit's officer and another enterprise are refused; a file that is not a picture, none, or one
//! too large is refused in Chinese with nothing written.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use safeduty_app::Caller;
use safeduty_app::enforcement::orders::{self, ReInspectionForm};
use safeduty_core::enforcement::reinspection::ReInspectionResult;
use safeduty_web::{AppState, Clock, WebConfig};
use tower::ServiceExt;

use crate::app::{Client, TestApp};
use crate::enforcement_fixture::enforcement_fixture;

/// A real picture (480×320 PNG), so that a thumbnail is made.
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(480, 320, |x, _| image::Rgb([(x % 256) as u8, 80, 160]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn upload(
    app: &TestApp,
    c: &Client,
    path: &str,
    name: &str,
    bytes: &[u8],
) -> crate::app::Answer {
    app.multipart(c, path, &[("csrf", c.csrf.as_str())], Some((name, bytes)))
        .await
}

async fn photo_count(app: &TestApp) -> i64 {
    let mut tx = app.store().write().await.unwrap();
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM attachments WHERE owner_kind IN ('inspection_item', 're_inspection_finding')",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    n
}

#[tokio::test]
async fn officers_of_the_inspecting_unit_add_photos_to_items_and_re_inspection_findings() {
    for app in TestApp::all().await {
        let b = app.backend();
        let f = enforcement_fixture(&app).await;
        let town = app.login("demo-town").await;
        let base = format!("/enforcement/inspections/{}", f.inspection);
        let picture = png();

        // Upload on item 1 of the inspection page.
        let added = app.audit_count("attachment_added").await;
        let r = upload(
            &app,
            &town,
            &format!("{base}/items/1/photos"),
            "现场照片1.png",
            &picture,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        assert_eq!(r.headers[header::LOCATION], format!("{base}#item-1"), "{b}");
        assert_eq!(app.audit_count("attachment_added").await, added + 1, "{b}");

        // Listed in the API with its item, shown on the page as a thumbnail under item 1.
        let list = app
            .get(
                &town,
                &format!("/api/v1{}/photos", base.trim_start_matches("/enforcement")),
            )
            .await;
        assert_eq!(list.status, StatusCode::OK, "{b}: {}", list.body);
        let photos = list.json();
        let photos = photos.as_array().unwrap();
        assert_eq!(photos.len(), 1, "{b}");
        assert_eq!(photos[0]["item"], 1, "{b}");
        assert_eq!(photos[0]["name"], "现场照片1.png", "{b}");
        assert_eq!(photos[0]["content_type"], "image/png", "{b}");
        assert_eq!(photos[0]["size"], picture.len(), "{b}");
        assert_eq!(photos[0]["thumbnail"], true, "{b}");
        let id = photos[0]["id"].as_str().unwrap().to_string();
        let page = app.get(&town, &base).await;
        assert!(
            page.body.contains(&format!("/attachments/{id}/thumbnail")),
            "{b}: the thumbnail on the page"
        );
        assert!(
            page.body.contains(&format!("{base}/items/1/photos")),
            "{b}: the upload form"
        );

        // Download: the file, with one audit record.
        let downloads = app.audit_count("attachment_downloaded").await;
        let d = app.get(&town, &format!("/attachments/{id}")).await;
        assert_eq!(d.status, StatusCode::OK, "{b}");
        assert_eq!(d.headers[header::CONTENT_TYPE], "image/png", "{b}");
        assert_eq!(
            app.audit_count("attachment_downloaded").await,
            downloads + 1,
            "{b}"
        );

        // The API adds one too (item 2).
        let r = app
            .send(
                Request::post(format!("/api/v1/inspections/{}/items/2/photos", f.inspection))
                    .header(header::COOKIE, &town.cookie)
                    .header("x-csrf-token", &town.csrf)
                    .header(header::CONTENT_TYPE, "multipart/form-data; boundary=B0undary")
                    .body(Body::from(
                        [
                            b"--B0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p2.png\"\r\n\r\n".as_slice(),
                            &picture,
                            b"\r\n--B0undary--\r\n",
                        ]
                        .concat(),
                    ))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{b}: {}", r.body);
        assert_eq!(r.json()["item"], 2, "{b}");

        // Who may see: the office, the assessor, the enterprise inspected; not another unit's
        // officer in scope (403), not another enterprise (404), not an administrator (404).
        for who in ["demo-office", "demo-assessor", "demo-enterprise"] {
            let c = app.login(who).await;
            let d = app.get(&c, &format!("/attachments/{id}")).await;
            assert_eq!(d.status, StatusCode::OK, "{b}: {who}");
            let l = app
                .get(&c, &format!("/api/v1/inspections/{}/photos", f.inspection))
                .await;
            assert_eq!(l.json().as_array().map(Vec::len), Some(2), "{b}: {who}");
        }
        for (who, status) in [
            ("demo-dept", StatusCode::FORBIDDEN),
            ("demo-enterprise2", StatusCode::NOT_FOUND),
            ("demo-sysadmin", StatusCode::NOT_FOUND),
        ] {
            let c = app.login(who).await;
            let d = app.get(&c, &format!("/attachments/{id}")).await;
            assert_eq!(d.status, status, "{b}: {who} download");
            assert!(!d.body.contains("现场照片1"), "{b}: {who}");
            let d = app.get(&c, &format!("/attachments/{id}/thumbnail")).await;
            assert_eq!(d.status, status, "{b}: {who} thumbnail");
            let l = app
                .get(&c, &format!("/api/v1/inspections/{}/photos", f.inspection))
                .await;
            assert_eq!(l.status, status, "{b}: {who} list");
        }
        // The department reads the inspection, without the photos or the form.
        let dept = app.login("demo-dept").await;
        let page = app.get(&dept, &base).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(!page.body.contains(&id), "{b}: no photo for another unit");
        assert!(
            !page.body.contains("/items/1/photos"),
            "{b}: no form for another unit"
        );

        // Upload only by the inspecting unit: nothing written for the others.
        let before = photo_count(&app).await;
        for (who, status) in [
            ("demo-dept", StatusCode::FORBIDDEN),
            ("demo-office", StatusCode::FORBIDDEN),
            ("demo-enterprise", StatusCode::FORBIDDEN),
            ("demo-enterprise2", StatusCode::NOT_FOUND),
        ] {
            let c = app.login(who).await;
            let r = upload(
                &app,
                &c,
                &format!("{base}/items/1/photos"),
                "x.png",
                &picture,
            )
            .await;
            assert_eq!(r.status, status, "{b}: {who}");
        }
        // Wrong type (a PDF is evidence, not a photo), no file, an item the record lacks.
        let r = upload(
            &app,
            &town,
            &format!("{base}/items/1/photos"),
            "记录.pdf",
            b"%PDF-1.4 test",
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: {}",
            r.body
        );
        assert!(r.body.contains("现场照片须为图片文件"), "{b}: {}", r.body);
        let r = upload(
            &app,
            &town,
            &format!("{base}/items/1/photos"),
            "x.exe",
            b"MZ\x90\0",
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: {}",
            r.body
        );
        assert!(r.body.contains("类型不在允许范围内"), "{b}: {}", r.body);
        let r = app
            .multipart(
                &town,
                &format!("{base}/items/1/photos"),
                &[("csrf", town.csrf.as_str())],
                None,
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: {}",
            r.body
        );
        assert!(r.body.contains("请选择要上传的现场照片"), "{b}: {}", r.body);
        let r = upload(
            &app,
            &town,
            &format!("{base}/items/999/photos"),
            "x.png",
            &picture,
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(photo_count(&app).await, before, "{b}: nothing written");

        // The re-inspection: refused before it is recorded, then per finding.
        let order_path = format!("/enforcement/orders/{}", f.order);
        let finding_path = format!("{order_path}/findings/{}/photos", f.finding);
        let r = upload(&app, &town, &finding_path, "复查.png", &picture).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{b}: {}", r.body);
        assert!(r.body.contains("尚未记录复查"), "{b}");
        let town_user = safeduty_store::org::user_by_username(app.store(), "demo-town")
            .await
            .unwrap();
        let caller = Caller {
            user: &town_user,
            client_addr: None,
        };
        let ent_user = safeduty_store::org::user_by_username(app.store(), "demo-enterprise")
            .await
            .unwrap();
        let ent_caller = Caller {
            user: &ent_user,
            client_addr: None,
        };
        let o = orders::order_for(
            app.store(),
            &caller,
            &f.order,
            safeduty_core::policy::Action::Enforce,
        )
        .await
        .unwrap();
        orders::report_completion(
            app.store(),
            &ent_caller,
            &f.order,
            o.version,
            "已整改",
            f.today,
        )
        .await
        .unwrap();
        let o = orders::order_for(
            app.store(),
            &caller,
            &f.order,
            safeduty_core::policy::Action::Enforce,
        )
        .await
        .unwrap();
        orders::re_inspect(
            app.store(),
            &caller,
            &f.order,
            o.version,
            &ReInspectionForm {
                date: f.today,
                officer_ids: f.officer_ids.to_vec(),
                results: vec![(
                    f.finding.clone(),
                    ReInspectionResult::Corrected,
                    "已整改".into(),
                )],
                opinion: "经复查，已整改".into(),
            },
            f.today,
        )
        .await
        .unwrap();
        let r = upload(&app, &town, &finding_path, "复查照片.png", &picture).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        assert_eq!(
            r.headers[header::LOCATION],
            format!("{order_path}#finding-{}", f.finding),
            "{b}"
        );
        let l = app
            .get(&town, &format!("/api/v1/orders/{}/photos", f.order))
            .await;
        assert_eq!(l.status, StatusCode::OK, "{b}: {}", l.body);
        let photos = l.json();
        let photos = photos.as_array().unwrap();
        assert_eq!(photos.len(), 1, "{b}");
        assert_eq!(photos[0]["finding"], f.finding.as_str(), "{b}");
        assert_eq!(photos[0]["name"], "复查照片.png", "{b}");
        let rid = photos[0]["id"].as_str().unwrap().to_string();
        let page = app.get(&town, &order_path).await;
        assert!(
            page.body.contains(&format!("/attachments/{rid}/thumbnail")),
            "{b}"
        );
        let ent = app.login("demo-enterprise").await;
        assert_eq!(
            app.get(&ent, &format!("/attachments/{rid}")).await.status,
            StatusCode::OK,
            "{b}"
        );
        let page = app.get(&dept, &order_path).await;
        assert!(!page.body.contains(&rid), "{b}: no photo for another unit");
        assert_eq!(
            app.get(&dept, &format!("/attachments/{rid}")).await.status,
            StatusCode::FORBIDDEN,
            "{b}"
        );
        let before = photo_count(&app).await;
        let r = upload(&app, &dept, &finding_path, "x.png", &picture).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        let r = upload(
            &app,
            &town,
            &format!("{order_path}/findings/nosuchfinding/photos"),
            "x.png",
            &picture,
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(photo_count(&app).await, before, "{b}: nothing written");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_photo_over_the_limit_is_refused_in_chinese_and_nothing_is_written() {
    let app = TestApp::sqlite().await;
    let f = enforcement_fixture(&app).await;
    let limit = 64 * 1024;
    let state = AppState::new(
        app.store().clone(),
        safeduty_core::calendar::Calendar::shipped(),
        Clock::Fixed(f.today),
        WebConfig {
            max_upload_bytes: limit,
            blobs: Some(app.db.blobs.clone()),
            ..WebConfig::default()
        },
    );
    let router = safeduty_web::router(state);
    let town = app.login("demo-town").await;
    let before = photo_count(&app).await;
    let big = [b"GIF89a".as_slice(), &vec![0u8; limit + 1]].concat();
    let body = [
        format!(
            "--B0undary\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
             --B0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"大.gif\"\r\n\r\n",
            town.csrf
        )
        .into_bytes(),
        big,
        b"\r\n--B0undary--\r\n".to_vec(),
    ]
    .concat();
    for path in [
        format!("/enforcement/inspections/{}/items/1/photos", f.inspection),
        format!("/api/v1/inspections/{}/items/1/photos", f.inspection),
    ] {
        let res = router
            .clone()
            .oneshot(
                Request::post(&path)
                    .header(header::COOKIE, &town.cookie)
                    .header("x-csrf-token", &town.csrf)
                    .header(
                        header::CONTENT_TYPE,
                        "multipart/form-data; boundary=B0undary",
                    )
                    .header(header::CONTENT_LENGTH, body.len())
                    .body(Body::from(body.clone()))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        let text = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&text);
        assert!(
            text.contains("文件超过") && text.contains("未上传"),
            "{path}: {text}"
        );
    }
    assert_eq!(photo_count(&app).await, before);
    app.cleanup().await;
}
