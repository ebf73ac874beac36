//! The testkit's conformance suite against an axum 0.8 server using the
//! layer and extractors, over real HTTP on a loopback port.

#![allow(clippy::unwrap_used)]

use std::io;

use authscheme_axum::{Auth, RequireAuthLayer};
use authscheme_testkit::{Principal, RunningServer, Scenario, handler_body};
use axum::Router;
use axum::body::Bytes;
use axum::routing::any;

/// The testkit's handler contract: identity (if any) and the body as received.
async fn echo(identity: Option<Auth<Principal>>, body: Bytes) -> Vec<u8> {
    handler_body(identity.as_ref().map(|Auth(p)| p), &body)
}

/// Serves every route of `scenario` behind its own layer.
async fn start_axum(scenario: Scenario) -> io::Result<RunningServer> {
    let mut app = Router::new();
    for route in scenario.routes() {
        let mut layer =
            RequireAuthLayer::new(route.authenticator.clone()).body_limit(route.body_limit);
        if route.optional {
            layer = layer.optional();
        }
        app = app.route(route.path, any(echo).layer(layer));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(RunningServer::new(addr, move || {
        let _ = stop.send(());
    }))
}

#[tokio::test]
async fn axum_passes_the_conformance_suite() {
    authscheme_testkit::run_suite(start_axum).await;
}

#[tokio::test]
async fn axum_answers_the_same_bytes_twice() {
    // The capture is deterministic, so adapters can be compared byte for byte.
    let first = authscheme_testkit::capture(start_axum).await.unwrap();
    let second = authscheme_testkit::capture(start_axum).await.unwrap();
    assert!(!first.is_empty());
    assert_eq!(
        authscheme_testkit::compare(&first, &second),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn the_suite_catches_a_wrong_answer() {
    // Guard against a suite that passes everything: a case with a wrong
    // expectation must be reported, with what actually came back.
    use authscheme_testkit::{Case, Expect, RawRequest};
    let cases = [Case {
        name: "basic/missing-expected-wrongly",
        request: RawRequest::get("/basic"),
        expect: Expect::ok(Some("alice"), b""),
    }];
    let failures = authscheme_testkit::check(start_axum, Scenario::standard(), &cases)
        .await
        .unwrap_err();
    let report = failures.to_string();
    assert!(report.contains("expected 200, got 401"), "{report}");
    assert!(
        report.contains(r#"www-authenticate: Basic realm="testkit", charset="UTF-8""#),
        "{report}"
    );
}

#[tokio::test]
async fn the_capture_shows_every_challenge_line() {
    let exchanges = authscheme_testkit::capture(start_axum).await.unwrap();
    let multi = exchanges
        .iter()
        .find(|e| e.case == "multi/missing")
        .unwrap();
    assert_eq!(multi.status, 401);
    let lines: Vec<_> = multi
        .auth_headers
        .iter()
        .map(|(n, v)| format!("{n}: {}", String::from_utf8_lossy(v)))
        .collect();
    assert_eq!(
        lines,
        [
            r#"www-authenticate: Basic realm="testkit", charset="UTF-8""#,
            r#"www-authenticate: Bearer realm="testkit", scope="read""#,
            r#"www-authenticate: BodyCheck realm="testkit", qop="auth-int""#,
        ]
    );
    assert!(exchanges.len() >= 50, "{} cases", exchanges.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axum_answers_curl_requests_and_httpx() {
    authscheme_testkit::run_peer_clients(start_axum).await;
}
