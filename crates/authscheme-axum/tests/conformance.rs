//! The testkit's conformance suite against an axum 0.8 server using the
//! layer and extractors, over real HTTP on a loopback port.

#![allow(clippy::unwrap_used)]

mod start;

use authscheme_testkit::Scenario;
use start::start_axum;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axum_answers_right_under_concurrency() {
    let sent = authscheme_testkit::check_concurrently(start_axum, 32, 3)
        .await
        .unwrap_or_else(|failures| panic!("{failures}"));
    assert!(sent >= 32 * 3 * 50, "{sent}");
}

/// The real Bearer scheme with form-body and query tokens behind the
/// adapter with a body limit: a token in the header and a second one in the
/// form body is `invalid_request` (RFC 6750 sections 2 and 3.1), although
/// the adapter asks the synchronous path before it has read the body.
#[tokio::test]
async fn axum_refuses_a_real_bearer_token_sent_two_ways() {
    use authscheme::Authenticator;
    use authscheme_bearer::{BearerScheme, StaticTokens};
    use authscheme_testkit::{BODY_LIMIT, Route};

    let tokens = StaticTokens::new().with_token("read-token", "alice", ["read"]);
    let bearer = BearerScheme::builder(tokens)
        .realm("r")
        .form_body(true)
        .query_parameter(true)
        .build()
        .unwrap();
    let route = Route::new("/form", Authenticator::new().with(bearer)).body_limit(BODY_LIMIT);
    let cases = authscheme_testkit::form_token_cases(
        "/form",
        r#"Bearer realm="r""#,
        r#"Bearer realm="r", error="invalid_request", error_description="The access token was sent in more than one way""#,
    );
    if let Err(failures) =
        authscheme_testkit::check(start_axum, Scenario::new().route(route), &cases).await
    {
        panic!("{failures}");
    }
}
