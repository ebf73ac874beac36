//! A refusal the layer decides before it read the request body: the layer
//! reads and drops the body first (up to a limit), so that the refusal
//! reaches a client that is still sending and the connection lives on
//! (RFC 9112 section 9.6). Where it does not read the body (announced past
//! the limit, or after `Expect: 100-continue`), hyper closes the
//! connection after the response, and the response says `Connection:
//! close` (RFC 9110 section 10.1.1). A refusal after the whole body was
//! read, or of a request without one, keeps the connection open.

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::Duration;

use authscheme::Authenticator;
use authscheme_axum::RequireAuthLayer;
use authscheme_testkit::schemes::TestBasic;
use authscheme_testkit::{Principal, RawResponse, basic};
use axum::Router;
use axum::routing::any;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// `/none`: no body limit; `/limit`: a body limit of 64.
async fn start() -> SocketAddr {
    let auth = || Authenticator::<Principal>::new().with(TestBasic::new());
    let app = Router::new()
        .route(
            "/none",
            any(|| async { "ok" }).layer(RequireAuthLayer::new(auth())),
        )
        .route(
            "/limit",
            any(|| async { "ok" }).layer(RequireAuthLayer::new(auth()).body_limit(64)),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    addr
}

/// Sends `head` (and `body`) on a fresh connection and reads one response:
/// its text, and whether the server closed the connection after it.
async fn exchange(addr: SocketAddr, head: &str, body: &[u8]) -> (String, bool) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    let mut buf = [0; 4096];
    // Read the 401 in full (its body is `Unauthorized\n`, 13 bytes).
    while !raw.ends_with(b"Unauthorized\n") {
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
            .await
            .expect("no response in time")
            .unwrap();
        assert!(n > 0, "closed before a whole response");
        raw.extend_from_slice(&buf[..n]);
    }
    let closed = matches!(
        tokio::time::timeout(Duration::from_millis(500), stream.read(&mut buf)).await,
        Ok(Ok(0) | Err(_))
    );
    (String::from_utf8(raw).unwrap(), closed)
}

fn connection(raw: &str) -> Option<Vec<u8>> {
    let response = RawResponse::parse(raw.as_bytes()).unwrap();
    assert_eq!(response.status, 401, "{raw}");
    response
        .header_values("connection")
        .first()
        .map(|v| v.to_vec())
}

#[tokio::test]
async fn a_refused_body_is_read_and_dropped_and_the_connection_lives_on() {
    let addr = start().await;
    let wrong = basic("alice", "wrong");
    for (path, length) in [("/none", 10), ("/limit", 100_000)] {
        let head = format!(
            "POST {path} HTTP/1.1\r\nhost: x\r\nauthorization: {wrong}\r\ncontent-length: {length}\r\n\r\n"
        );
        let (raw, closed) = exchange(addr, &head, &vec![b'x'; length]).await;
        assert_eq!(connection(&raw), None, "{path}: {raw}");
        assert!(!closed, "{path}: the connection was closed");
    }
    // A chunked body, to its last chunk.
    let head = "POST /none HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n";
    let (raw, closed) = exchange(addr, head, b"5\r\nhello\r\n0\r\n\r\n").await;
    assert_eq!(connection(&raw), None, "{raw}");
    assert!(!closed);
}

#[tokio::test]
async fn a_refusal_that_leaves_the_body_unread_says_connection_close() {
    let addr = start().await;
    // Announced past what the layer reads to drop it: answered at once.
    let head = "POST /none HTTP/1.1\r\nhost: x\r\ncontent-length: 17000000\r\n\r\n";
    let (raw, closed) = exchange(addr, head, b"").await;
    assert_eq!(connection(&raw).as_deref(), Some(&b"close"[..]), "{raw}");
    assert!(closed, "the connection stayed open");

    // `Expect: 100-continue` on a route that does not read the body: the
    // refusal comes without `100 Continue`, so the client keeps its body.
    let head =
        "POST /none HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\nexpect: 100-continue\r\n\r\n";
    let (raw, closed) = exchange(addr, head, b"").await;
    assert!(raw.starts_with("HTTP/1.1 401 "), "{raw}");
    assert_eq!(connection(&raw).as_deref(), Some(&b"close"[..]), "{raw}");
    assert!(closed);
}

#[tokio::test]
async fn a_refusal_after_the_whole_body_or_without_one_keeps_the_connection() {
    let addr = start().await;
    // No body at all.
    let (raw, closed) = exchange(addr, "GET /none HTTP/1.1\r\nhost: x\r\n\r\n", b"").await;
    assert_eq!(connection(&raw), None, "{raw}");
    assert!(!closed);
    let head = "POST /none HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n";
    let (raw, closed) = exchange(addr, head, b"").await;
    assert_eq!(connection(&raw), None, "{raw}");
    assert!(!closed);
    // A body within the limit, read whole before the decision.
    let head = "POST /limit HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\n\r\n";
    let (raw, closed) = exchange(addr, head, b"hello").await;
    assert_eq!(connection(&raw), None, "{raw}");
    assert!(!closed);
}
