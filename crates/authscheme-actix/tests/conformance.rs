//! The testkit's conformance suite against an actix-web server using the
//! middleware and extractors, over real HTTP on a loopback port.
#![allow(clippy::unwrap_used)]

mod start;

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
