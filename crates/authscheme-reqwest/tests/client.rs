//! AuthClient and AuthMiddleware against an in-process server with Basic,
//! Digest and Bearer routes.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use authscheme::{ClientCredentials, Secret, TokenRefresh};
use authscheme_reqwest::{AuthClient, AuthMiddleware, CredentialRequest, Error, FixedCredentials};

fn alice() -> FixedCredentials {
    FixedCredentials::new(ClientCredentials::password("alice", "wonderland"))
}

/// A provider that counts how often it is asked.
fn counting(
    calls: &Arc<AtomicUsize>,
) -> impl Fn(&CredentialRequest<'_>) -> Option<ClientCredentials> + use<> {
    let calls = Arc::clone(calls);
    move |_req: &CredentialRequest<'_>| {
        calls.fetch_add(1, Ordering::SeqCst);
        Some(ClientCredentials::password("alice", "wonderland"))
    }
}

#[tokio::test]
async fn digest_n_requests_cost_n_plus_one_round_trips() {
    let server = common::start(None).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = AuthClient::new(counting(&calls));
    const N: usize = 10;
    for i in 0..N {
        let r = client
            .send(client.get(server.at("/digest/a")))
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "request {i}");
        assert_eq!(r.text().await.unwrap(), "hello alice ");
    }
    assert_eq!(
        server.hits(),
        N + 1,
        "one challenge, then pre-emptive answers"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1, "credentials asked once");
    // The nonce is reused with nc counting up.
    let seen = server.seen();
    assert_eq!(seen.len(), N);
    for (i, value) in seen.iter().enumerate() {
        assert!(value.starts_with("Digest "), "{value}");
        assert!(value.contains(&format!("nc={:08x}", i + 1)), "{value}");
        assert!(
            value.contains("algorithm=SHA-256"),
            "strongest offered: {value}"
        );
    }
    assert_eq!(client.known_spaces(), 1);
}

/// The builder `AuthClient::get` and `post` give sends through the client,
/// the way a reqwest user writes it; the inner client's own builder does
/// not answer challenges.
#[tokio::test]
async fn the_clients_request_builders_send_through_it() {
    let server = common::start(None).await;
    let client = AuthClient::new(alice());
    let r = client.get(server.at("/digest/a")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "hello alice ");
    let r = client
        .post(server.at("/digest/b"))
        .header("x-note", "1")
        .body("form")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let plain = client
        .inner()
        .get(server.at("/digest/c"))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 401, "reqwest's own builder answers nothing");
}

#[tokio::test]
async fn deeper_paths_reuse_the_space_and_others_do_not() {
    let server = common::start(None).await;
    let client = AuthClient::new(alice());
    client
        .send(client.get(server.at("/digest/a/x")))
        .await
        .unwrap();
    let before = server.hits();
    let r = client
        .send(client.get(server.at("/digest/a/y/z")))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        server.hits(),
        before + 1,
        "same directory or deeper: pre-emptive"
    );
    let r = client
        .send(client.get(server.at("/digest/other")))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        server.hits(),
        before + 3,
        "outside the directory: challenged first"
    );
}

#[tokio::test]
async fn stale_nonce_is_retried_once_without_asking_again() {
    let server = common::start(None).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = AuthClient::new(counting(&calls));
    assert_eq!(
        client
            .send(client.get(server.at("/digest/")))
            .await
            .unwrap()
            .status(),
        200
    );
    server.clock.advance(3600);
    let before = server.hits();
    let r = client
        .send(client.get(server.at("/digest/")))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(server.hits(), before + 2, "stale 401, then the retry");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "the provider is not asked again"
    );
    // And the new nonce is reused afterwards.
    let before = server.hits();
    client
        .send(client.get(server.at("/digest/")))
        .await
        .unwrap();
    assert_eq!(server.hits(), before + 1);
}

#[tokio::test]
async fn wrong_password_gives_the_401_back() {
    let server = common::start(None).await;
    let client = AuthClient::new(FixedCredentials::new(ClientCredentials::password(
        "alice", "nope",
    )));
    let r = client
        .send(client.get(server.at("/digest/")))
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(server.hits(), 2, "no loop on refused credentials");
    assert_eq!(client.known_spaces(), 0, "a refused session is dropped");
}

#[tokio::test]
async fn auth_int_hashes_the_body_and_resends_it() {
    let server = common::start(None).await;
    let client = AuthClient::new(alice());
    let r = client
        .send(client.post(server.at("/digest-int/")).body("payload bytes"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "hello alice payload bytes");
    let seen = server.seen();
    assert!(seen[0].contains("qop=auth-int"), "{}", seen[0]);
}

#[tokio::test]
async fn a_streamed_body_that_cannot_be_replayed_is_an_error() {
    let server = common::start(None).await;
    let client = AuthClient::new(alice());
    let stream = reqwest::Body::wrap(http_body_util::Full::new(bytes::Bytes::from_static(
        b"data",
    )));
    let err = client
        .send(client.post(server.at("/digest-int/")).body(stream))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::BodyNotReplayable { status: 401 }),
        "{err}"
    );
    assert!(err.to_string().contains("stream"), "{err}");
    assert_eq!(server.hits(), 1, "never an empty resend");
}

#[tokio::test]
async fn wrong_rspauth_fails_the_response_unless_skipped() {
    let server = common::start(None).await;
    let client = AuthClient::new(alice());
    let err = client
        .send(client.get(server.at("/wrong-rspauth/")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ServerNotAuthenticated { .. }), "{err}");

    let lenient = AuthClient::new(alice()).dangerous_skip_rspauth_check(true);
    let r = lenient
        .send(lenient.get(server.at("/wrong-rspauth/")))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // A correct rspauth passes.
    let r = client
        .send(client.get(server.at("/digest/")))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("authentication-info").is_some());
}

#[tokio::test]
async fn basic_over_plain_http_needs_the_insecure_flag() {
    let server = common::start(None).await;
    let client = AuthClient::new(alice());
    let err = client
        .send(client.get(server.at("/basic/")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BasicOverPlainHttp { .. }), "{err}");
    assert!(err.to_string().contains("insecure_allow_basic_over_http"));
    assert_eq!(server.hits(), 1);

    let client = AuthClient::new(alice()).insecure_allow_basic_over_http(true);
    let r = client.send(client.get(server.at("/basic/"))).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "hello alice ");
    assert_eq!(server.seen()[0], "Basic YWxpY2U6d29uZGVybGFuZA==");
}

/// RFC 6750 section 5.3: a bearer token goes over TLS; over plain http
/// only when the caller says so.
#[tokio::test]
async fn bearer_over_plain_http_needs_the_insecure_flag() {
    let server = common::start(None).await;
    let token = || FixedCredentials::new(ClientCredentials::token("fresh-token"));
    let client = AuthClient::new(token());
    let err = client.get(server.at("/bearer/")).send().await.unwrap_err();
    assert!(matches!(err, Error::BearerOverPlainHttp { .. }), "{err}");
    assert!(err.to_string().contains("insecure_allow_bearer_over_http"));
    assert_eq!(server.hits(), 1, "the token was not sent");

    let client = AuthClient::new(token()).insecure_allow_bearer_over_http(true);
    let r = client.get(server.at("/bearer/")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(server.seen(), ["Bearer fresh-token"]);
}

#[tokio::test]
async fn digest_is_chosen_over_basic_without_the_flag() {
    let server = common::start(None).await;
    let client = AuthClient::new(alice()).insecure_allow_basic_over_http(true);
    let r = client.send(client.get(server.at("/any/"))).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        server.seen()[0].starts_with("Digest "),
        "Digest beats Basic"
    );
}

#[tokio::test]
async fn bearer_token_is_refreshed_once_on_invalid_token() {
    let server = common::start(None).await;
    let refreshed = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&refreshed);
    let refresh: TokenRefresh = Arc::new(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        Some(Secret::new("fresh-token"))
    });
    let creds = ClientCredentials::token("old-token").with_refresh(refresh);
    let client =
        AuthClient::new(FixedCredentials::new(creds)).insecure_allow_bearer_over_http(true);
    let r = client
        .send(client.get(server.at("/bearer/")))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "hello service ");
    assert_eq!(refreshed.load(Ordering::SeqCst), 1);
    assert_eq!(server.seen(), ["Bearer old-token", "Bearer fresh-token"]);
    // The refreshed token is sent pre-emptively next time.
    let before = server.hits();
    client
        .send(client.get(server.at("/bearer/")))
        .await
        .unwrap();
    assert_eq!(server.hits(), before + 1);
}

#[tokio::test]
async fn unknown_scheme_first_odd_realm_and_malformed_line_do_not_stop_it() {
    let server = common::start(None).await;
    let seen_realms = Arc::new(std::sync::Mutex::new(Vec::new()));
    let realms = Arc::clone(&seen_realms);
    let client = AuthClient::new(move |req: &CredentialRequest<'_>| {
        realms
            .lock()
            .unwrap()
            .extend(req.realms().map(str::to_owned));
        Some(ClientCredentials::password("alice", "wonderland"))
    });
    let r = client.send(client.get(server.at("/odd/"))).await.unwrap();
    assert_eq!(r.status(), 200);
    let realms = seen_realms.lock().unwrap().clone();
    assert_eq!(
        realms[0], "apps",
        "the unknown scheme is listed but skipped"
    );
    assert!(realms.iter().any(|r| r == common::ODD_REALM), "{realms:?}");
    assert!(server.seen()[0].starts_with("Digest "));
}

#[tokio::test]
async fn no_credentials_for_a_redirect_to_another_origin() {
    let other = common::start(None).await;
    let server = common::start(Some(other.url.clone())).await;
    let client = AuthClient::new(alice()).insecure_allow_basic_over_http(true);
    // Make the first origin known first.
    client
        .send(client.get(server.at("/digest/")))
        .await
        .unwrap();
    let r = client
        .send(client.get(server.at("/elsewhere")))
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        401,
        "the other origin's challenge is not answered"
    );
    assert_eq!(other.hits(), 1);
    assert!(
        other.seen().is_empty(),
        "no credentials reached the other origin"
    );
}

#[tokio::test]
async fn middleware_answers_like_the_client_and_shares_sessions() {
    let server = common::start(None).await;
    let auth = AuthClient::new(alice());
    let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(auth.middleware())
        .build();
    for _ in 0..3 {
        let r = client.get(server.at("/digest/")).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    assert_eq!(server.hits(), 4);
    // The helper reuses the session the middleware opened.
    auth.send(auth.get(server.at("/digest/"))).await.unwrap();
    assert_eq!(server.hits(), 5);

    let alone = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(AuthMiddleware::new(alice()))
        .build();
    let err = alone.get(server.at("/basic/")).send().await.unwrap_err();
    assert!(err.to_string().contains("Basic"), "{err}");
}

#[tokio::test]
async fn proxy_407_is_answered_with_proxy_authorization() {
    let proxy = common::start(None).await;
    let inner = reqwest::Client::builder()
        .proxy(reqwest::Proxy::http(&proxy.url).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let creds =
        FixedCredentials::none().with_proxy(ClientCredentials::password("alice", "wonderland"));
    let client = AuthClient::with_client(inner, creds);
    for _ in 0..3 {
        let r = client
            .send(client.get("http://origin.invalid/open"))
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "through the proxy");
    }
    assert_eq!(
        proxy.hits(),
        4,
        "one 407, then pre-emptive Proxy-Authorization"
    );
    assert!(
        proxy.seen()[0].contains("uri=\"http://origin.invalid/open\""),
        "{:?}",
        proxy.seen()
    );
}

/// A 407 from the origin server itself (no proxy in between) is not a
/// proxy's: the proxy credentials stay home, as with curl, whether the
/// origin is named by address or by a name that resolves to it.
#[tokio::test]
async fn an_origin_asking_407_gets_no_proxy_credentials() {
    let origin = common::start(None).await;
    let creds =
        FixedCredentials::none().with_proxy(ClientCredentials::password("alice", "wonderland"));
    let client = AuthClient::new(creds).insecure_allow_basic_over_http(true);
    let by_name = origin.url.replace("127.0.0.1", "localhost");
    for base in [origin.url.clone(), by_name] {
        let url = format!("{base}/asks-proxy-credentials");
        let r = client.send(client.get(&url)).await.unwrap();
        assert_eq!(r.status(), 407, "{url}: handed back as it came");
    }
    assert_eq!(origin.hits(), 2, "no second request");
    assert!(origin.seen().is_empty(), "{:?}", origin.seen());
}

#[tokio::test]
async fn concurrent_requests_share_one_session() {
    let server = common::start(None).await;
    let client = AuthClient::new(alice());
    client
        .send(client.get(server.at("/digest/")))
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let client = client.clone();
        let url = server.at("/digest/");
        tasks.push(tokio::spawn(async move {
            for _ in 0..10 {
                let r = client.send(client.get(&url)).await.unwrap();
                assert_eq!(r.status(), 200);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(server.hits(), 2 + 80);
}

#[tokio::test]
async fn same_origin_redirects_are_followed_and_answered() {
    let server = common::start(None).await;
    let client = AuthClient::new(alice());
    let r = client
        .send(client.post(server.at("/hop")).body("form"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "303 -> GET /digest/after-hop, answered");
    assert_eq!(
        r.text().await.unwrap(),
        "hello alice ",
        "303 drops the body"
    );
    assert_eq!(server.hits(), 3);
    let none = AuthClient::new(alice()).max_redirects(0);
    let r = none.send(none.get(server.at("/hop"))).await.unwrap();
    assert_eq!(r.status(), 303);
}

/// The middleware follows redirects itself, as `AuthClient` does, so each
/// hop's Digest answer names its own `uri` (a Digest server refuses the
/// first request's answer replayed to the second target).
#[tokio::test]
async fn the_middleware_follows_same_origin_redirects_and_answers_each() {
    let server = common::start(None).await;
    let inner = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = reqwest_middleware::ClientBuilder::new(inner.clone())
        .with(AuthMiddleware::new(alice()))
        .build();
    let r = client
        .post(server.at("/hop"))
        .body("form")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "303 -> GET /digest/after-hop, answered");
    assert_eq!(r.text().await.unwrap(), "hello alice ");
    assert_eq!(server.hits(), 3);

    let none = reqwest_middleware::ClientBuilder::new(inner)
        .with(AuthMiddleware::new(alice()).max_redirects(0))
        .build();
    let r = none.get(server.at("/hop")).send().await.unwrap();
    assert_eq!(r.status(), 303);
}
