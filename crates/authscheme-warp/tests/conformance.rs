//! The testkit's conformance suite against a warp server using the filters
//! and `recover`, over real HTTP on a loopback port.
#![allow(clippy::unwrap_used)]

mod start;

use start::start_warp;

#[tokio::test]
async fn warp_passes_the_conformance_suite() {
    authscheme_testkit::run_suite(start_warp).await;
}

#[tokio::test]
async fn warp_answers_the_same_bytes_twice() {
    let first = authscheme_testkit::capture(start_warp).await.unwrap();
    let second = authscheme_testkit::capture(start_warp).await.unwrap();
    assert!(first.len() >= 50, "{} cases", first.len());
    assert_eq!(
        authscheme_testkit::compare(&first, &second),
        Vec::<String>::new()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warp_answers_curl_requests_and_httpx() {
    authscheme_testkit::run_peer_clients(start_warp).await;
}
