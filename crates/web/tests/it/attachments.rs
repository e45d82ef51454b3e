//! Evidence uploads and downloads: B27 (type by content: the SVG probe and the spoofed PDF are
//! refused), B28 (the exact name round trip and its Content-Disposition), the size limit
//! enforced before the body is read whole, scope (404 outside, denial audited), dedup, thumbnails.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use safeduty_store::attachments::{self, Owner};
use safeduty_web::{AppState, Clock, WebConfig};
use tower::ServiceExt;

use crate::app::{Client, TestApp};

const B28: &str = "B28_整改报告（第1批）#附件 1.txt";
const B27_PDF: &str = "B27_spoofed_检查记录.pdf";
const B27_SVG: &str = "B27_upload_probe.svg";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

const BOUNDARY: &str = "----safedutyTestBoundary7MA4YWxk";

/// A multipart body with the CSRF field and one file.
fn multipart(csrf: &str, file_name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn upload_request(c: &Client, path: &str, body: Body, length: Option<usize>) -> Request<Body> {
    let mut r = Request::post(path)
        .header(header::COOKIE, &c.cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
    if let Some(n) = length {
        r = r.header(header::CONTENT_LENGTH, n);
    }
    r.body(body).unwrap()
}

async fn upload(
    app: &TestApp,
    c: &Client,
    path: &str,
    name: &str,
    bytes: &[u8],
) -> crate::app::Answer {
    let body = multipart(&c.csrf, name, bytes);
    let n = body.len();
    app.send(upload_request(c, path, Body::from(body), Some(n)))
        .await
}

/// The attachments of item `item` of the demo enterprise's self-inspection.
async fn evidence(app: &TestApp, enterprise: &str, item: u32) -> Vec<attachments::Attachment> {
    let e = safeduty_store::org::enterprise_by_public_id(app.store(), enterprise)
        .await
        .unwrap();
    let campaign = safeduty_store::campaigns::latest(app.store())
        .await
        .unwrap()
        .unwrap();
    attachments::list(
        app.store(),
        e.id,
        Owner::SelfInspectionItem {
            campaign_id: campaign.id,
            item,
        },
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn b28_exact_name_round_trip_and_scope() {
    for app in TestApp::all().await {
        let ent = app.login("demo-enterprise").await;
        let id = app.enterprise_of("demo-enterprise").await;
        let path = format!("/enterprises/{id}/evidence/17");
        let content = fixture(B28);
        let added = app.audit_count("attachment_added").await;
        let res = upload(&app, &ent, &path, B28, &content).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{}: {}",
            app.backend(),
            res.body
        );
        assert_eq!(
            res.headers[header::LOCATION],
            format!("/enterprises/{id}#item-17")
        );
        assert_eq!(app.audit_count("attachment_added").await, added + 1);
        let files = evidence(&app, &id, 17).await;
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, B28);
        let a = &files[0];

        // The page lists it under item 17, with its exact name and a download link.
        let page = app.get(&ent, &format!("/enterprises/{id}")).await;
        assert!(
            page.body
                .contains(&format!("<a href=\"/attachments/{}\">", a.public_id))
        );
        assert!(page.body.contains("B28_整改报告（第1批）#附件 1.txt"));

        // Download: the exact bytes, as an attachment with the exact name (RFC 6266 filename*).
        let downloads = app.audit_count("attachment_downloaded").await;
        let res = app
            .get(&ent, &format!("/attachments/{}", a.public_id))
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.body.as_bytes(), content.as_slice());
        assert_eq!(
            res.headers[header::CONTENT_DISPOSITION],
            "attachment; filename=\"B28_______1__#__ 1.txt\"; filename*=UTF-8''B28_%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A%EF%BC%88%E7%AC%AC1%E6%89%B9%EF%BC%89#%E9%99%84%E4%BB%B6%201.txt"
        );
        assert_eq!(
            res.headers[header::CONTENT_TYPE],
            "text/plain; charset=utf-8"
        );
        assert_eq!(res.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(
            res.headers[header::CONTENT_SECURITY_POLICY],
            "default-src 'none'; sandbox"
        );
        assert_eq!(
            app.audit_count("attachment_downloaded").await,
            downloads + 1
        );

        // Positive control: the territorial unit of the enterprise downloads it too.
        let town = app.login("demo-town").await;
        let res = app
            .get(&town, &format!("/attachments/{}", a.public_id))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", app.backend());
        assert_eq!(
            app.audit_count("attachment_downloaded").await,
            downloads + 2
        );

        // Another enterprise: 404 with no data, the denial audited, no download recorded.
        let other = app.login("demo-enterprise2").await;
        let denials = app.audit_count("permission_denied").await;
        for p in [
            format!("/attachments/{}", a.public_id),
            format!("/attachments/{}/thumbnail", a.public_id),
        ] {
            let res = app.get(&other, &p).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{p}");
            assert!(!res.body.contains("示例附件内容"));
            assert!(!res.body.contains("B28"));
            assert!(res.headers.get(header::CONTENT_DISPOSITION).is_none());
        }
        assert_eq!(app.audit_count("permission_denied").await, denials + 2);
        assert_eq!(
            app.audit_count("attachment_downloaded").await,
            downloads + 2
        );
        // An unknown id answers the same.
        let res = app
            .get(&other, &format!("/attachments/{}", "0".repeat(32)))
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        // Another enterprise cannot upload to this one: 404, nothing stored.
        let res = upload(&app, &other, &path, "x.txt", b"hello").await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        // The unit may read but not upload: 403.
        let res = upload(&app, &town, &path, "x.txt", b"hello").await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // Without the CSRF token: refused.
        let body = multipart("wrong", "x.txt", b"hello");
        let n = body.len();
        let res = app
            .send(upload_request(&ent, &path, Body::from(body), Some(n)))
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(evidence(&app, &id, 17).await.len(), 1);

        // The same file again: a second attachment, the same blob (dedup by hash).
        let res = upload(&app, &ent, &path, "副本.txt", &content).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let files = evidence(&app, &id, 17).await;
        assert_eq!(
            files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            [B28, "副本.txt"]
        );
        assert_eq!(files[0].sha256, files[1].sha256);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn b27_svg_probe_and_spoofed_pdf_are_refused() {
    for app in TestApp::all().await {
        let ent = app.login("demo-enterprise").await;
        let id = app.enterprise_of("demo-enterprise").await;
        let path = format!("/enterprises/{id}/evidence/9");
        let added = app.audit_count("attachment_added").await;
        let res = upload(&app, &ent, &path, B27_PDF, &fixture(B27_PDF)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body
                .contains("文件“B27_spoofed_检查记录.pdf”的内容不是PDF文件，已拒绝上传"),
            "{}",
            res.body
        );
        let res = upload(&app, &ent, &path, B27_SVG, &fixture(B27_SVG)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("可能含有脚本"), "{}", res.body);
        // Renamed, the probe is still refused by its content.
        let res = upload(&app, &ent, &path, "probe.txt", &fixture(B27_SVG)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(evidence(&app, &id, 9).await.is_empty());
        assert_eq!(app.audit_count("attachment_added").await, added);
        // Positive control: a real PDF is accepted and served as a PDF download.
        let res = upload(&app, &ent, &path, "检查记录.pdf", b"%PDF-1.4\n%%EOF\n").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let files = evidence(&app, &id, 9).await;
        let res = app
            .get(&ent, &format!("/attachments/{}", files[0].public_id))
            .await;
        assert_eq!(res.headers[header::CONTENT_TYPE], "application/pdf");
        assert!(
            res.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn photos_get_a_thumbnail() {
    let app = TestApp::sqlite().await;
    let ent = app.login("demo-enterprise").await;
    let id = app.enterprise_of("demo-enterprise").await;
    let img = image::RgbImage::from_fn(480, 320, |x, _| image::Rgb([(x % 256) as u8, 80, 160]));
    let mut png = std::io::Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let res = upload(
        &app,
        &ent,
        &format!("/enterprises/{id}/evidence/3"),
        "现场照片.png",
        png.get_ref(),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let a = &evidence(&app, &id, 3).await[0];
    assert_eq!(a.content_type, "image/png");
    let res = app
        .send(
            Request::get(format!("/attachments/{}/thumbnail", a.public_id))
                .header(header::COOKIE, &ent.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers[header::CONTENT_TYPE], "image/jpeg");
    let page = app.get(&ent, &format!("/enterprises/{id}")).await;
    assert!(
        page.body
            .contains(&format!("/attachments/{}/thumbnail", a.public_id))
    );
    // A text file has no thumbnail.
    upload(
        &app,
        &ent,
        &format!("/enterprises/{id}/evidence/4"),
        "a.txt",
        b"abc",
    )
    .await;
    let t = &evidence(&app, &id, 4).await[0];
    let res = app
        .get(&ent, &format!("/attachments/{}/thumbnail", t.public_id))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    app.cleanup().await;
}

/// Issue #16 point 3: a name that claims another type than the content is stored and served
/// with the content's extension, invisible bidi characters are gone, and a `.csv` that a
/// spreadsheet would run is refused; case B36 (11 000 × 11 000 pixels) is kept as evidence
/// without a thumbnail, its pixels never decoded.
#[tokio::test]
async fn names_that_lie_and_pictures_too_large_to_decode() {
    let app = TestApp::sqlite().await;
    let ent = app.login("demo-enterprise").await;
    let id = app.enterprise_of("demo-enterprise").await;
    let path = format!("/enterprises/{id}/evidence/5");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
    for sent in ["x.exe", "photo\u{202E}gnp.exe"] {
        let res = upload(&app, &ent, &path, sent, png).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let files = evidence(&app, &id, 5).await;
    let mut names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["photognp.exe.png", "x.exe.png"]);
    let res = app
        .get(&ent, &format!("/attachments/{}", files[0].public_id))
        .await;
    let disposition = res.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.contains(".exe.png\""), "{disposition}");
    assert_eq!(res.headers[header::CONTENT_TYPE], "image/png");

    let added = app.audit_count("attachment_added").await;
    let res = upload(
        &app,
        &ent,
        &path,
        "隐患台账.csv",
        "企业,隐患\n甲,\"=cmd|' /C calc'!A0\"\n".as_bytes(),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains(
            "文件“隐患台账.csv”第 2 行有以 =、+、-、@ 开头的单元格，用 Excel 或 WPS 打开时会被当作公式执行"
        ),
        "{}",
        res.body
    );
    assert_eq!(app.audit_count("attachment_added").await, added);

    let b36 = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../app/tests/cases/B36_decompression_bomb.png"),
    )
    .unwrap();
    let res = upload(
        &app,
        &ent,
        &format!("/enterprises/{id}/evidence/6"),
        "B36.png",
        &b36,
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let kept = &evidence(&app, &id, 6).await[0];
    assert_eq!(
        (kept.name.as_str(), kept.size),
        ("B36.png", b36.len() as i64)
    );
    let res = app
        .get(&ent, &format!("/attachments/{}/thumbnail", kept.public_id))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    app.cleanup().await;
}

/// A body that counts the bytes read from it.
fn counted(total: usize, read: Arc<AtomicUsize>, head: Vec<u8>) -> Body {
    let chunk = vec![b'a'; 64 * 1024];
    let mut left = total;
    let mut first = Some(head);
    let stream = futures::stream::poll_fn(move |_| {
        if let Some(h) = first.take() {
            read.fetch_add(h.len(), Ordering::SeqCst);
            return std::task::Poll::Ready(Some(Ok::<_, std::io::Error>(Bytes::from(h))));
        }
        if left == 0 {
            return std::task::Poll::Ready(None);
        }
        let n = left.min(chunk.len());
        left -= n;
        read.fetch_add(n, Ordering::SeqCst);
        std::task::Poll::Ready(Some(Ok(Bytes::copy_from_slice(&chunk[..n]))))
    });
    Body::from_stream(stream)
}

#[tokio::test]
async fn over_the_limit_is_refused_before_it_is_read_whole() {
    let app = TestApp::sqlite().await;
    let limit = 256 * 1024;
    let state = AppState::new(
        app.store().clone(),
        safeduty_core::calendar::Calendar::shipped(),
        Clock::Fixed("2024-06-20".parse().unwrap()),
        WebConfig {
            max_upload_bytes: limit,
            blobs: Some(app.db.blobs.clone()),
            ..WebConfig::default()
        },
    );
    let router = safeduty_web::router(state);
    let ent = app.login("demo-enterprise").await;
    let id = app.enterprise_of("demo-enterprise").await;
    let path = format!("/enterprises/{id}/evidence/5");
    let head = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n",
        ent.csrf
    )
    .into_bytes();
    let total = 40 * limit;

    // Declared too large: refused on the header, nothing read.
    let read = Arc::new(AtomicUsize::new(0));
    let req = upload_request(
        &ent,
        &path,
        counted(total, read.clone(), head.clone()),
        Some(total + head.len()),
    );
    let res = router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(read.load(Ordering::SeqCst), 0);

    // No length (chunked): cut while it streams, well before the end.
    let read = Arc::new(AtomicUsize::new(0));
    let req = upload_request(
        &ent,
        &path,
        counted(total, read.clone(), head.clone()),
        None,
    );
    let res = router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let n = read.load(Ordering::SeqCst);
    assert!(
        n <= limit + 64 * 1024 + 64 * 1024 + head.len(),
        "read {n} of {total}"
    );
    assert!(evidence(&app, &id, 5).await.is_empty());

    // Positive control: a file just under the limit is accepted (over axum's 2 MB default
    // would be refused if the route kept it; this limit is smaller, so check the route's own).
    let body = multipart(&ent.csrf, "ok.txt", &vec![b'b'; limit]);
    let n = body.len();
    let res = router
        .clone()
        .oneshot(upload_request(&ent, &path, Body::from(body), Some(n)))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(evidence(&app, &id, 5).await.len(), 1);
    app.cleanup().await;
}

#[tokio::test]
async fn default_limit_accepts_more_than_axums_default() {
    // 3 MiB: over axum's 2 MB DefaultBodyLimit, under the 20 MiB default of uploads.
    let app = TestApp::sqlite().await;
    let ent = app.login("demo-enterprise").await;
    let id = app.enterprise_of("demo-enterprise").await;
    let res = upload(
        &app,
        &ent,
        &format!("/enterprises/{id}/evidence/6"),
        "大文件.txt",
        &vec![b'c'; 3 * 1024 * 1024],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(evidence(&app, &id, 6).await[0].size, 3 * 1024 * 1024);
    app.cleanup().await;
}

/// A body over the limit of a route without an upload is refused before it is read, in words
/// that do not speak of a file.
#[tokio::test]
async fn an_oversized_json_body_is_refused_as_a_request_not_a_file() {
    let app = TestApp::sqlite().await;
    let town = app.login("demo-town").await;
    let big = serde_json::json!({ "place": "x".repeat(3 * 1024 * 1024) });
    let a = app.json(&town, "POST", "/api/v1/inspections", big).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.body);
    assert_eq!(a.json()["message"], "请求内容超过 2 MB 的上限，未处理");
    // Declared in Content-Length, it is refused before any of it is read, in the same words.
    let body = format!("{{\"place\":\"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let a = app
        .send(
            Request::post("/api/v1/inspections")
                .header(header::COOKIE, &town.cookie)
                .header("x-csrf-token", &town.csrf)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::CONTENT_LENGTH, body.len())
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.body);
    assert_eq!(a.json()["message"], "请求内容超过 2 MB 的上限，未处理");
    app.cleanup().await;
}
