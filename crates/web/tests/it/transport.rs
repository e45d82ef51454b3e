//! The server over a real TCP listener (`safeduty_web::serve`), where hyper reads the request
//! head: every request gets an answer in bounded time, whatever its head. A signed-in request
//! with a URL of about 8 KB sent by curl 7.88 (which then drops the cookie and never ends the
//! head) used to get none.

use std::time::Duration;

use safeduty_core::calendar::Calendar;
use safeduty_web::{AppState, Clock, MAX_HEAD_BYTES, WebConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::app::TestApp;

/// How long a test waits for an answer: well past the server's head timeout (1 s here).
const PATIENCE: Duration = Duration::from_secs(5);

/// Sends `head` as it is (the caller ends it, or not) and reads until the server closes the
/// connection or a whole answer has come; panics when nothing comes within [`PATIENCE`].
async fn exchange(addr: std::net::SocketAddr, head: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut got = Vec::new();
    let read = tokio::time::timeout(PATIENCE, async {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
            if complete(&got) {
                break;
            }
        }
    })
    .await;
    assert!(
        read.is_ok(),
        "no answer within {PATIENCE:?} to a head of {} bytes; got {:?}",
        head.len(),
        String::from_utf8_lossy(&got)
    );
    String::from_utf8_lossy(&got).into_owned()
}

/// Whether `got` holds a whole answer: a head and as many body bytes as it declares.
fn complete(got: &[u8]) -> bool {
    let text = String::from_utf8_lossy(got);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_string)
        })
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    body.len() >= length
}

fn status_of(answer: &str) -> &str {
    answer.lines().next().unwrap_or_default()
}

#[tokio::test]
async fn every_request_head_gets_an_answer_in_bounded_time() {
    let app = TestApp::sqlite().await;
    let office = app.login("demo-office").await;
    let state = AppState::new(
        app.store().clone(),
        Calendar::shipped(),
        Clock::Fixed("2024-06-20".parse().unwrap()),
        WebConfig {
            head_timeout: Duration::from_secs(1),
            ..WebConfig::default()
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(safeduty_web::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let get = |query_len: usize, cookie: &str| {
        format!(
            "GET /api/v1/campaign?x={} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: curl/7.88.1\r\n\
             Accept: */*\r\nCookie: {cookie}\r\n",
            "a".repeat(query_len)
        )
    };

    // A signed-in request with a long URL whose head stays under the limit: answered.
    let head = get(7000, &office.cookie) + "\r\n";
    assert!(head.len() < MAX_HEAD_BYTES);
    let answer = exchange(addr, &head).await;
    assert_eq!(status_of(&answer), "HTTP/1.1 200 OK", "{head:.80}");
    assert!(answer.contains("\"finding_time_limit_working_days\":20"));

    // The request, `?x=` and 8050 characters with the session cookie: over the limit,
    // refused at once.
    let head = get(8050, &office.cookie) + "\r\n";
    assert!(head.len() > MAX_HEAD_BYTES);
    let answer = exchange(addr, &head).await;
    assert_eq!(
        status_of(&answer),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );

    // The same as curl 7.88 sends it: the cookie dropped, `Cookie: ` and no blank line, so the
    // head never ends. Under the limit, it waits for the rest until the head timeout, then is
    // told why, in the house error body.
    let head = get(8050, "");
    assert!(head.len() < MAX_HEAD_BYTES);
    let answer = exchange(addr, &head).await;
    assert_eq!(status_of(&answer), "HTTP/1.1 408 Request Timeout");
    let body: serde_json::Value =
        serde_json::from_str(answer.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(body["code"], "malformed");
    assert_eq!(
        body["message"],
        "请求头未在1秒内发送完整，连接已关闭（请求头连同网址最长8 KB）"
    );
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("x-content-type-options: nosniff")
    );

    // An unfinished head over the limit is refused at once, without waiting for the timeout.
    let head = get(20_000, "");
    let started = std::time::Instant::now();
    let answer = exchange(addr, &head).await;
    assert_eq!(
        status_of(&answer),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );

    // A page's unfinished head gets the error page.
    let answer = exchange(addr, "GET /overview HTTP/1.1\r\nHost: x\r\n").await;
    assert_eq!(status_of(&answer), "HTTP/1.1 408 Request Timeout");
    assert!(answer.contains("<html"), "{answer}");

    // The shutdown signal ends the server.
    stop.send(()).unwrap();
    tokio::time::timeout(PATIENCE, server)
        .await
        .expect("the server stops on its signal")
        .unwrap()
        .unwrap();
    app.cleanup().await;
}
