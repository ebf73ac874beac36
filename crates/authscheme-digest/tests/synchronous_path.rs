//! Digest on the synchronous path adapters try first
//! (`Authenticator::authenticate_now`): it answers only with the success the
//! asynchronous path would give, leaves every failure to that path, and
//! stays out of the way when a store has to wait.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use authscheme::syntax::{parse_challenges, parse_params};
use authscheme::{
    AuthRequest, Authenticator, ClientCredentials, ClientRequest, ClientScheme, ClientSession,
    Denial, Outcome, async_trait,
};
use authscheme_digest::{
    Algorithm, DigestClient, DigestError, DigestScheme, DigestSchemeBuilder, DigestUser,
    ManualClock, MemoryCredentialStore, MemoryNonceStore, NonceSecret, NonceStore, NonceUse, Seen,
};

const REALM: &str = "api@example.org";
const TARGET: &str = "/dir/index.html";

fn builder() -> DigestSchemeBuilder {
    let store = MemoryCredentialStore::new(REALM).with_user("Mufasa", "Circle of Life");
    DigestScheme::builder(REALM, store)
        .algorithms([Algorithm::Sha256])
        .nonce_secret(NonceSecret::from_bytes(&[7u8; 32]).unwrap())
}

/// A session of our client on the challenge the server sends for a
/// request without credentials (which the synchronous path leaves alone).
fn session(auth: &Authenticator<DigestUser>, password: &str) -> Box<dyn ClientSession> {
    let headers = http::HeaderMap::new();
    let bare = AuthRequest::new("GET", TARGET, &headers);
    assert!(auth.authenticate_now(&bare).is_none());
    let challenge = match block_on(auth.authenticate(&bare)) {
        Outcome::Denied(d) => d.challenges()[0].to_string(),
        _ => panic!("no credentials, yet authenticated"),
    };
    let offered = parse_challenges(challenge.as_bytes()).unwrap();
    let creds = ClientCredentials::password("Mufasa", password);
    DigestClient::new().start(&offered[0], &creds).unwrap()
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn with_authorization(value: http::HeaderValue) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", value);
    headers
}

#[test]
fn a_good_answer_is_taken_on_the_spot_once_and_its_replay_is_refused() {
    let auth = Authenticator::new().with(builder().build().unwrap());
    let mut s = session(&auth, "Circle of Life");
    let req = ClientRequest::new("GET", TARGET);
    let headers = with_authorization(s.authorize_header(&req).unwrap());
    let request = AuthRequest::new("GET", TARGET, &headers);

    let done = auth
        .authenticate_now(&request)
        .expect("answered on the spot");
    assert_eq!(done.authenticated().identity().name(), "Mufasa");
    // Its Authentication-Info carries an rspauth our client accepts.
    let info = done.authenticated().info().unwrap();
    let params = parse_params(info.as_bytes()).unwrap();
    assert!(params.get_str("rspauth").is_some());
    s.absorb_info(&params, &req).unwrap();

    // The same (nonce, nc) again: not on the spot, and refused by the
    // asynchronous path as a replay.
    assert_eq!(deferred_denial(&auth, &request).status(), 401);
    // The next count goes through on the spot again.
    let headers = with_authorization(s.authorize_header(&req).unwrap());
    let next = auth.authenticate_now(&AuthRequest::new("GET", TARGET, &headers));
    assert!(next.is_some());
}

/// Checks that the synchronous path leaves `request` alone and returns the
/// asynchronous path's denial.
fn deferred_denial(auth: &Authenticator<DigestUser>, request: &AuthRequest<'_>) -> Denial {
    assert!(auth.authenticate_now(request).is_none());
    match block_on(auth.authenticate(request)) {
        Outcome::Denied(d) => d,
        _ => panic!("accepted"),
    }
}

#[test]
fn failures_are_left_to_the_asynchronous_path_which_answers_as_before() {
    let clock = ManualClock::new(1_000_000);
    let auth = Authenticator::new().with(builder().clock(clock.clone()).build().unwrap());
    let req = ClientRequest::new("GET", TARGET);

    // A wrong password: deferred, then 401 without stale.
    let mut wrong = session(&auth, "not the password");
    let headers = with_authorization(wrong.authorize_header(&req).unwrap());
    let denied = deferred_denial(&auth, &AuthRequest::new("GET", TARGET, &headers));
    assert_eq!(denied.status(), 401);
    assert!(denied.challenges()[0].param("stale").is_none());

    // An expired nonce with a right answer: deferred, then stale=true, and
    // deferring did not use up the count: after a fresh challenge it works.
    let mut right = session(&auth, "Circle of Life");
    clock.advance(301);
    let headers = with_authorization(right.authorize_header(&req).unwrap());
    let denied = deferred_denial(&auth, &AuthRequest::new("GET", TARGET, &headers));
    assert_eq!(denied.status(), 401);
    assert_eq!(denied.challenges()[0].param_str("stale"), Some("true"));

    // A uri that is not the request's: deferred, then 400.
    let mut s = session(&auth, "Circle of Life");
    let headers = with_authorization(s.authorize_header(&req).unwrap());
    let elsewhere = AuthRequest::new("GET", "/somewhere/else", &headers);
    assert_eq!(deferred_denial(&auth, &elsewhere).status(), 400);
    // ... and the same answer at the right target is still good: nothing
    // was recorded by the failed attempts.
    let request = AuthRequest::new("GET", TARGET, &headers);
    assert!(auth.authenticate_now(&request).is_some());
}

/// A replay store that answers from memory but says it may wait, as a
/// networked store does.
#[derive(Debug, Default)]
struct Remote(MemoryNonceStore);

#[async_trait]
impl NonceStore for Remote {
    async fn check_and_record(&self, use_: NonceUse<'_>) -> Result<Seen, DigestError> {
        self.0.check_and_record(use_).await
    }
}

#[test]
fn a_store_that_may_wait_keeps_verification_on_the_asynchronous_path() {
    let scheme = builder()
        .nonce_store(Arc::new(Remote::default()))
        .build()
        .unwrap();
    let auth = Authenticator::new().with(scheme);
    let mut s = session(&auth, "Circle of Life");
    let headers = with_authorization(
        s.authorize_header(&ClientRequest::new("GET", TARGET))
            .unwrap(),
    );
    let request = AuthRequest::new("GET", TARGET, &headers);
    assert!(auth.authenticate_now(&request).is_none());
    match block_on(auth.authenticate(&request)) {
        Outcome::Authenticated(a) => assert_eq!(a.authenticated().identity().name(), "Mufasa"),
        _ => panic!("the asynchronous path refused a good answer"),
    }
}
