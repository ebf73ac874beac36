//! What a refusal shows when nobody renders it: warp answers an unhandled
//! rejection with `500` and the rejection's `Debug` as the body, so that
//! `Debug` must not carry the denial's reason, which is for logs only.
#![allow(clippy::unwrap_used)]

use authscheme::Authenticator;
use authscheme_testkit::schemes::TestBasic;
use authscheme_testkit::{Principal, basic};
use authscheme_warp::{Auth, AuthRejection, authenticate};
use warp::Filter;

/// The reason `TestBasic` gives for a wrong password.
const REASON: &str = "wrong user or password";

fn route() -> impl Filter<Extract = (String,), Error = warp::Rejection> + Clone {
    let auth = Authenticator::<Principal>::new().with(TestBasic::new());
    warp::path("private")
        .and(authenticate(auth))
        .map(|user: Auth<Principal>| user.name().to_owned())
}

#[tokio::test]
async fn a_refusal_without_recover_does_not_show_its_reason() {
    let res = warp::test::request()
        .path("/private")
        .header("authorization", basic("alice", "wrong"))
        .reply(&route())
        .await;
    assert_eq!(res.status(), 500);
    let body = String::from_utf8_lossy(res.body());
    // Not vacuous: the body is the rejection's `Debug`.
    assert!(body.contains("AuthRejection"), "{body}");
    assert!(body.contains("status: 401"), "{body}");
    assert!(!body.contains(REASON), "{body}");
    assert!(!body.contains("reason"), "{body}");
}

#[tokio::test]
async fn the_rejection_debug_shows_status_missing_and_scheme_only() {
    let wrong = warp::test::request()
        .path("/private")
        .header("authorization", basic("alice", "wrong"))
        .filter(&route())
        .await
        .unwrap_err();
    let refused = wrong.find::<AuthRejection>().unwrap();
    // The reason is still there for the application's own logs.
    assert_eq!(refused.denial().reason(), REASON);
    assert_eq!(
        format!("{refused:?}"),
        r#"AuthRejection { status: 401, missing: false, scheme: Some("Basic"), .. }"#
    );

    let missing = warp::test::request()
        .path("/private")
        .filter(&route())
        .await
        .unwrap_err();
    let refused = missing.find::<AuthRejection>().unwrap();
    assert_eq!(
        format!("{refused:?}"),
        "AuthRejection { status: 401, missing: true, scheme: None, .. }"
    );
    assert!(!format!("{missing:?}").contains(refused.denial().reason()));
}

/// A refusal by `authenticate`, which leaves the body to the handler, of a
/// request that has one: the body stays unread, hyper closes the
/// connection, and the refusal says so. Without a body, nothing closes.
#[tokio::test]
async fn a_refusal_leaving_a_body_unread_says_connection_close() {
    let routes = route().recover(authscheme_warp::recover);
    let with_body = warp::test::request()
        .method("POST")
        .path("/private")
        .header("authorization", basic("alice", "wrong"))
        .header("content-length", "5")
        .body("hello")
        .reply(&routes)
        .await;
    assert_eq!(with_body.status(), 401);
    assert_eq!(with_body.headers()["connection"], "close");
    let without = warp::test::request()
        .path("/private")
        .header("authorization", basic("alice", "wrong"))
        .reply(&routes)
        .await;
    assert_eq!(without.status(), 401);
    assert!(without.headers().get("connection").is_none());
}
