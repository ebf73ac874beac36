//! Proxy credentials stay with the requests that go through the proxy: a
//! local server plays a forward proxy asking for Digest (407), reqwest
//! routes only `*.test` hosts through it (`Proxy::custom`), and a second
//! local server plays an unrelated origin reached directly.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};

use authscheme::ClientCredentials;
use authscheme_reqwest::{AuthClient, AuthMiddleware, FixedCredentials};
use axum::body::Body;
use axum::http::{Request, Response};

/// A directly reached origin that answers `ok` to everything and records
/// every `Proxy-Authorization` it receives.
async fn unrelated_origin() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&seen);
    let app = axum::Router::new().fallback(move |req: Request<Body>| {
        let recorded = Arc::clone(&recorded);
        async move {
            if let Some(v) = req.headers().get("proxy-authorization") {
                recorded
                    .lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(v.as_bytes()).into_owned());
            }
            Response::new(Body::from("ok"))
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

/// A reqwest client that sends `*.test` hosts through `proxy` and every
/// other request directly.
fn routed_through(proxy: &str) -> reqwest::Client {
    let proxy = proxy.to_owned();
    reqwest::Client::builder()
        .proxy(reqwest::Proxy::custom(move |url| {
            url.host_str()
                .is_some_and(|h| h.ends_with(".test"))
                .then(|| proxy.clone())
        }))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn proxy_user() -> FixedCredentials {
    FixedCredentials::none().with_proxy(ClientCredentials::password("alice", "wonderland"))
}

#[tokio::test]
async fn proxy_credentials_never_reach_a_directly_reached_origin() {
    let proxy = common::start(None).await;
    let (direct, direct_seen) = unrelated_origin().await;
    let client = AuthClient::with_client(routed_through(&proxy.url), proxy_user());

    let r = client
        .send(client.get("http://intranet.test/open"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "through the proxy, after one 407");
    assert_eq!(proxy.hits(), 2);

    for _ in 0..2 {
        let r = client
            .send(client.get(format!("{direct}/open")))
            .await
            .unwrap();
        assert_eq!(r.text().await.unwrap(), "ok");
    }
    assert_eq!(
        *direct_seen.lock().unwrap(),
        Vec::<String>::new(),
        "the unrelated origin received the proxy's credentials"
    );

    // The origin that got the 407 is still answered before being asked.
    let r = client
        .send(client.get("http://intranet.test/open"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(proxy.hits(), 3, "pre-emptive for the same origin");

    // Another origin through the same proxy pays one 407 of its own.
    let r = client
        .send(client.get("http://wiki.test:8080/open"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(proxy.hits(), 5, "one 407 round trip for a new origin");
    let seen = proxy.seen();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(
        seen[2].contains("uri=\"http://wiki.test:8080/open\""),
        "{seen:?}"
    );

    let r = client
        .send(client.get(format!("{direct}/open")))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(direct_seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn the_middleware_keeps_proxy_credentials_to_the_proxied_origin_too() {
    let proxy = common::start(None).await;
    let (direct, direct_seen) = unrelated_origin().await;
    let client = reqwest_middleware::ClientBuilder::new(routed_through(&proxy.url))
        .with(AuthMiddleware::new(proxy_user()))
        .build();
    let r = client
        .get("http://intranet.test/open")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = client.get(format!("{direct}/open")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        direct_seen.lock().unwrap().is_empty(),
        "{:?}",
        direct_seen.lock().unwrap()
    );
}

/// A directly reached origin that is also protected by its own realm: the
/// proxy's space must not answer for it, and its own answer still works.
#[tokio::test]
async fn origin_credentials_and_proxy_credentials_stay_apart() {
    let proxy = common::start(None).await;
    let direct = common::start(None).await;
    let creds = FixedCredentials::new(ClientCredentials::password("alice", "wonderland"))
        .with_proxy(ClientCredentials::password("alice", "wonderland"));
    let client = AuthClient::with_client(routed_through(&proxy.url), creds);
    let r = client
        .send(client.get("http://intranet.test/open"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = client
        .send(client.get(direct.at("/digest/a")))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let seen = direct.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].contains("realm=\"test realm\""), "{seen:?}");
}
