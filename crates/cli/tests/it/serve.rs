//! `safeduty serve --public-listen ADDR` (issue #12 point 2, issue #13 point 5): the real binary
//! on a fresh demo store of the enforcement phase binds a second listener that serves the public
//! pages — the demo's drawn plans — and nothing else, while the application's listener does not
//! serve them; SIGTERM stops both. A port in use for the public pages is reported before anything
//! is created.

use reqwest::StatusCode;

use crate::drill::{Server, Target};
use crate::{safeduty, tmp};

#[test]
fn serve_public_listen_binds_and_answers_the_public_pages_only() {
    let data = tmp("serve-public");
    let _ = std::fs::remove_dir_all(&data);
    let target = Target {
        data: data.clone(),
        database_url: None,
    };
    let server = Server::start_with(
        &target,
        &tmp("serve-public.log"),
        &["--public-listen", "127.0.0.1:0", "--today", "2024-09-10"],
    );
    let public = server
        .public
        .clone()
        .expect("serve reports the public pages' address");
    assert!(public.ends_with("/public/"), "{public}");
    let origin = public.trim_end_matches("/public/").to_string();
    assert_ne!(origin, server.base, "a listener of its own");
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let http = reqwest::Client::new();
        let get = |url: String| {
            let http = http.clone();
            async move { http.get(&url).send().await.expect(&url) }
        };
        // The index lists the demo's drawn plans (东湖街道 and 区应急管理局, drawn on 07-01).
        let index = get(public.clone()).await;
        assert_eq!(index.status(), StatusCode::OK);
        assert!(index.headers().get("set-cookie").is_none());
        let body = index.text().await.unwrap();
        assert!(body.contains("双随机抽查公示"), "{body}");
        assert!(body.contains("东湖街道 · "), "{body}");
        let json: serde_json::Value = get(format!("{origin}/public/api/draws"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(json["draws"].as_array().map(Vec::len), Some(2), "{json}");
        // Nothing else there; and the application does not serve the public pages.
        for path in ["/login", "/api/v1/openapi.json", "/static/app.css", "/"] {
            let a = get(format!("{origin}{path}")).await;
            assert_eq!(a.status(), StatusCode::NOT_FOUND, "{path}");
        }
        let a = get(format!("{}/public/", server.base)).await;
        assert_eq!(a.status(), StatusCode::NOT_FOUND);
        let a = get(format!("{}/login", server.base)).await;
        assert_eq!(a.status(), StatusCode::OK);
    });
    server.stop();
}

#[test]
fn serve_on_a_public_port_in_use_creates_nothing() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tmp("serve-public-port-taken");
    let _ = std::fs::remove_dir_all(&dir);
    let o = safeduty(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--public-listen",
        &addr,
        "--data",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("(public pages)"), "{stderr}");
    assert!(!dir.exists());
}
