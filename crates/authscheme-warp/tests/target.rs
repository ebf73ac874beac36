//! The request-target the schemes see (Digest signs it): warp hands over
//! the path and the query apart, and the filter puts them back together.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use authscheme::registry::Principal;
use authscheme::{
    AuthRequest, AuthScheme, Authenticated, Authenticator, Challenge, Credentials, SchemeName,
    Verdict,
};
use authscheme_warp::{Auth, authenticate};
use warp::Filter;

/// Accepts anything and remembers the request-target it was shown, and
/// the `Host` it saw.
struct TargetRecorder(Arc<Mutex<String>>);

#[authscheme::async_trait]
impl AuthScheme<Principal> for TargetRecorder {
    fn name(&self) -> SchemeName<'static> {
        SchemeName::new("Recorder").unwrap()
    }

    fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        out.push(Challenge::new(self.name()));
    }

    async fn authenticate(
        &self,
        request: &AuthRequest<'_>,
        _: &Credentials<'_>,
    ) -> Verdict<Principal> {
        let host = request
            .header("host")
            .map(|h| String::from_utf8_lossy(h).into_owned());
        *self.0.lock().unwrap() = match host {
            Some(host) => format!("{} host={host}", request.target()),
            None => request.target().to_owned(),
        };
        Verdict::Authenticated(Authenticated::new(Principal::new("x"), self.name()))
    }
}

#[tokio::test]
async fn the_target_is_the_path_and_the_query_as_sent() {
    let seen = Arc::new(Mutex::new(String::new()));
    let recorder = TargetRecorder(Arc::clone(&seen));
    let routes = warp::path!("dir" / "index.html")
        .and(authenticate(Authenticator::new().with(recorder)))
        .map(|user: Auth<Principal>| user.name().to_owned());
    for target in [
        "/dir/index.html",
        "/dir/index.html?x=1&y=%20z",
        "/dir/index.html?",
    ] {
        let response = warp::test::request()
            .path(target)
            .header("authorization", "Recorder x")
            .reply(&routes)
            .await;
        assert_eq!(response.status(), 200, "{target}");
        assert_eq!(*seen.lock().unwrap(), target);
    }
}

/// An HTTP/2 request names its authority in `:authority`, not `Host`
/// (RFC 9113 section 8.3.1); warp keeps it in the URI. The schemes see it
/// as `Host`, as they would on HTTP/1.1, and a `Host` sent wins.
#[tokio::test]
async fn the_authority_of_the_uri_is_seen_as_host() {
    let seen = Arc::new(Mutex::new(String::new()));
    let recorder = TargetRecorder(Arc::clone(&seen));
    let routes = warp::path!("dir")
        .and(authenticate(Authenticator::new().with(recorder)))
        .map(|user: Auth<Principal>| user.name().to_owned());
    let response = warp::test::request()
        .path("http://api.example:8080/dir")
        .header("authorization", "Recorder x")
        .reply(&routes)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(*seen.lock().unwrap(), "/dir host=api.example:8080");
    let response = warp::test::request()
        .path("/dir")
        .header("host", "sent.example")
        .header("authorization", "Recorder x")
        .reply(&routes)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(*seen.lock().unwrap(), "/dir host=sent.example");
}

/// Accepts at once (no waiting) and remembers the request-target it was
/// shown there; it does not say it can do without the target.
struct NowRecorder(Arc<Mutex<String>>);

#[authscheme::async_trait]
impl AuthScheme<Principal> for NowRecorder {
    fn name(&self) -> SchemeName<'static> {
        SchemeName::new("Recorder").unwrap()
    }

    fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        out.push(Challenge::new(self.name()));
    }

    fn authenticate_now(
        &self,
        request: &AuthRequest<'_>,
        _: &Credentials<'_>,
    ) -> Option<Authenticated<Principal>> {
        *self.0.lock().unwrap() = request.target().to_owned();
        Some(Authenticated::new(Principal::new("x"), self.name()))
    }

    async fn authenticate(
        &self,
        request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Verdict<Principal> {
        match self.authenticate_now(request, credentials) {
            Some(done) => Verdict::Authenticated(done),
            None => Verdict::NotMine,
        }
    }
}

/// The filter first tries a decision without the request-target (warp
/// charges for collecting it); a scheme that does not say it can do
/// without is never asked so, and sees the target as sent.
#[tokio::test]
async fn a_scheme_deciding_at_once_sees_the_target_unless_it_does_without() {
    let seen = Arc::new(Mutex::new(String::new()));
    let recorder = NowRecorder(Arc::clone(&seen));
    let routes = warp::path!("dir" / "index.html")
        .and(authenticate(Authenticator::new().with(recorder)))
        .map(|user: Auth<Principal>| user.name().to_owned());
    let response = warp::test::request()
        .path("/dir/index.html?x=1")
        .header("authorization", "Recorder x")
        .reply(&routes)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(*seen.lock().unwrap(), "/dir/index.html?x=1");
}

/// RFC 6750 section 2: a client uses one way of sending its token. With
/// query tokens on, a good token in the header and another in the query is
/// refused, on the path decided at once too.
#[tokio::test]
async fn bearer_with_query_tokens_looks_at_the_query_before_accepting_a_header_token() {
    use authscheme_bearer::{BearerScheme, StaticTokens};
    let tokens = StaticTokens::new().with_token("mF_9.B5f-4.1JqM", "alice", ["read"]);
    let scheme = BearerScheme::builder(tokens)
        .query_parameter(true)
        .build()
        .unwrap();
    let routes = warp::path!("resource")
        .and(authenticate(Authenticator::new().with(scheme)))
        .map(|user: Auth<Principal>| user.name().to_owned())
        .recover(authscheme_warp::recover);
    let send = |target: &'static str| {
        warp::test::request()
            .path(target)
            .header("authorization", "Bearer mF_9.B5f-4.1JqM")
            .reply(&routes)
    };
    assert_eq!(send("/resource").await.status(), 200);
    let twice = send("/resource?access_token=mF_9.B5f-4.1JqM").await;
    assert_eq!(twice.status(), 400, "{:?}", twice.headers());
}
