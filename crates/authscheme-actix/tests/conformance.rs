//! The testkit's conformance suite against an actix-web server using the
//! middleware and extractors, over real HTTP on a loopback port.
#![allow(clippy::unwrap_used)]

mod start;

use authscheme_testkit::Scenario;
use start::start_actix;

#[tokio::test]
async fn actix_passes_the_conformance_suite() {
    authscheme_testkit::run_suite(start_actix).await;
}

#[tokio::test]
async fn actix_answers_the_same_bytes_twice() {
    let first = authscheme_testkit::capture(start_actix).await.unwrap();
    let second = authscheme_testkit::capture(start_actix).await.unwrap();
    assert!(first.len() >= 50, "{} cases", first.len());
    assert_eq!(
        authscheme_testkit::compare(&first, &second),
        Vec::<String>::new()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actix_answers_curl_requests_and_httpx() {
    authscheme_testkit::run_peer_clients(start_actix).await;
}

/// The real Bearer scheme with form-body and query tokens behind the
/// adapter with a body limit: a token in the header and a second one in the
/// form body is `invalid_request` (RFC 6750 sections 2 and 3.1), although
/// the adapter asks the synchronous path before it has read the body.
#[tokio::test]
async fn actix_refuses_a_real_bearer_token_sent_two_ways() {
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
        authscheme_testkit::check(start_actix, Scenario::new().route(route), &cases).await
    {
        panic!("{failures}");
    }
}
