//! The HTTP/1.1 server over a bound listener ([`serve`]), with the bounds `axum::serve` does not
//! set: `axum::serve` gives hyper no timer, so a request head that never ends held its
//! connection for ever, and the head's size was bounded only by hyper's 400 KB buffer.
//!
//! What a client gets at the transport:
//! - a complete head of at most [`MAX_HEAD_BYTES`]: the application's answer;
//! - a head longer than that, complete or not: `431 Request Header Fields Too Large` at once
//!   (hyper's, without a body);
//! - a head begun and not finished within [`crate::WebConfig::head_timeout`]: `408 Request
//!   Timeout` with the house error body, and the connection closed. curl 7.88, for one, drops a
//!   cookie it finds too long for a URL of about 8 KB and then never ends the head (it sends
//!   `Cookie: ` and no blank line): before, such a request was never answered;
//! - a connection idle that long between requests, or before the first byte: closed.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

use crate::AppState;
use crate::error::{ApiError, AppError, PageError};

/// The longest request head (request line and headers together) the server reads, in bytes: 8
/// KiB, as common servers and clients hold it (and hyper's least read buffer).
pub const MAX_HEAD_BYTES: usize = 8 * 1024;

/// The default of [`crate::WebConfig::head_timeout`]: time enough for any client on a slow link,
/// short enough that a client that starts a request and never finishes it (slowloris, or the
/// curl above) holds its connection only briefly and learns why.
pub(crate) const HEAD_TIMEOUT: Duration = Duration::from_secs(20);

/// Serves the application on a bound listener until `shutdown` completes, then lets the open
/// connections finish the requests they are serving. Each request carries its peer's address
/// ([`axum::extract::ConnectInfo`]), so the audit trail records client addresses. HTTP/1.1 only
/// (a proxy in front speaks HTTP/2 if wanted), heads bounded as the module says.
///
/// # Errors
/// None today: an accept error is logged and the server goes on (after a second's pause when it
/// is not about one connection, e.g. out of file descriptors).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_router(listener, &state, crate::router(state.clone()), shutdown).await
}

/// Serves `app` (the application's router, or the public pages' [`crate::public::router`]) as
/// [`serve`] says, with the head timeout and cookie settings of `state`.
///
/// # Errors
/// As [`serve`].
pub(crate) async fn serve_router(
    listener: TcpListener,
    state: &AppState,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let head_timeout = state.config().head_timeout;
    let secure = state.config().secure_cookies;
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let conn = Connection {
            app: app.clone(),
            peer,
            head_timeout,
            secure,
        };
        tokio::spawn(conn.run(stream, stopping.clone()));
    }
    drop(listener);
    drop(stopping);
    let _ = stop.send(true);
    // Every connection holds a receiver until it ends.
    stop.closed().await;
    Ok(())
}

/// After a failed accept: a connection that went away before it was accepted is nothing; any
/// other error is logged and the loop pauses a second, so that it does not spin while it lasts.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accept failed");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// One accepted connection.
struct Connection {
    app: Router,
    peer: SocketAddr,
    head_timeout: Duration,
    secure: bool,
}

impl Connection {
    /// Serves the connection's requests until the client or `stopping` ends it.
    async fn run(self, stream: TcpStream, mut stopping: watch::Receiver<bool>) {
        let Connection {
            app,
            peer,
            head_timeout,
            secure,
        } = self;
        let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            let app = app.clone();
            // The router never fails (its error type is `Infallible`).
            Box::pin(app.oneshot(req.map(Body::new)))
        });
        let mut conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(head_timeout)
            .max_buf_size(MAX_HEAD_BYTES)
            .serve_connection(TokioIo::new(stream), service);
        let mut asked_to_stop = *stopping.borrow();
        if asked_to_stop {
            std::pin::Pin::new(&mut conn).graceful_shutdown();
        }
        let ended = loop {
            tokio::select! {
                ended = std::future::poll_fn(|cx| conn.poll_without_shutdown(cx)) => break ended,
                _ = stopping.changed(), if !asked_to_stop => {
                    asked_to_stop = true;
                    std::pin::Pin::new(&mut conn).graceful_shutdown();
                }
            }
        };
        let parts = conn.into_parts();
        let mut stream = parts.io.into_inner();
        match ended {
            // A head begun and not finished in time: say so before closing.
            Err(e) if e.is_timeout() && !parts.read_buf.is_empty() => {
                tracing::debug!(%peer, "request head not complete in time");
                let answer = head_timed_out(&parts.read_buf, head_timeout, secure).await;
                let _ = stream.write_all(&answer).await;
            }
            Err(e) => tracing::debug!(%peer, error = %e, "connection ended with an error"),
            Ok(()) => {}
        }
        let _ = stream.shutdown().await;
    }
}

/// The `408` answer to the unfinished head `head`, written out as HTTP/1.1: the house error body
/// (JSON when the head asks for a path under `/api/`, the error page otherwise) with the
/// security headers, closing the connection.
async fn head_timed_out(head: &[u8], timeout: Duration, secure: bool) -> Vec<u8> {
    let error = AppError::Malformed {
        status: StatusCode::REQUEST_TIMEOUT,
        message: format!(
            "请求头未在{}秒内发送完整，连接已关闭（请求头连同网址最长{} KB）",
            timeout.as_secs().max(1),
            MAX_HEAD_BYTES / 1024
        ),
    };
    let is_api = head
        .split(|b| *b == b' ')
        .nth(1)
        .is_some_and(|target| target.starts_with(b"/api/"));
    let res = if is_api {
        ApiError(error).into_response()
    } else {
        PageError(error).into_response()
    };
    let res = crate::security::headers(axum::extract::State(secure), res).await;
    written(res).await
}

/// A response with a body already in memory, as the bytes of an HTTP/1.1 message that closes
/// its connection.
async fn written(res: Response) -> Vec<u8> {
    let (parts, body) = res.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        parts.status.as_u16(),
        parts.status.canonical_reason().unwrap_or_default()
    )
    .into_bytes();
    for (name, value) in &parts.headers {
        if name != axum::http::header::CONTENT_LENGTH {
            out.extend_from_slice(name.as_str().as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
    out.extend_from_slice(
        format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&body);
    out
}
