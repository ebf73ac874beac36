//! A server that answers every request with a realm of its own, or many
//! hostnames, cannot grow the client's table of protection spaces without
//! limit: the least recently used are forgotten, the recent ones still
//! answer before being asked.

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use authscheme::ClientCredentials;
use authscheme_reqwest::{AuthClient, FixedCredentials};
use axum::body::Body;
use axum::http::{Request, Response, StatusCode};

/// What the client keeps at most (see `spaces.rs`).
const MAX_SPACES: usize = 1024;
/// What the client keeps at most for one origin (see `spaces.rs`).
const MAX_SPACES_PER_ORIGIN: usize = 64;

/// `/N/...` asks for `Bearer realm="<host> N"` until a token comes.
async fn realm_per_path() -> (SocketAddr, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&hits);
    let app = axum::Router::new().fallback(move |req: Request<Body>| {
        let counted = Arc::clone(&counted);
        async move {
            counted.fetch_add(1, Ordering::SeqCst);
            if req.headers().contains_key("authorization") {
                return Response::new(Body::from("ok"));
            }
            let n = req.uri().path().split('/').nth(1).unwrap_or("").to_owned();
            let host = req
                .headers()
                .get("host")
                .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned())
                .unwrap_or_default();
            Response::builder()
                .status(StatusCode::UNAUTHORIZED)
                .header("www-authenticate", format!("Bearer realm=\"{host} {n}\""))
                .body(Body::empty())
                .unwrap()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, hits)
}

fn token() -> FixedCredentials {
    FixedCredentials::new(ClientCredentials::token("t0k3n"))
}

#[tokio::test]
async fn a_realm_per_request_on_one_origin_is_bounded() {
    let (addr, hits) = realm_per_path().await;
    let url = format!("http://{addr}");
    // Loopback: a token over plain http never leaves the machine.
    let client = AuthClient::new(token()).insecure_allow_bearer_over_http(true);
    let total = MAX_SPACES + 100;
    for n in 0..total {
        let r = client
            .send(client.get(format!("{url}/{n}/x")))
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    assert_eq!(hits.load(Ordering::SeqCst), 2 * total);
    assert_eq!(client.known_spaces(), MAX_SPACES_PER_ORIGIN, "bounded");

    // The most recent space still answers before being asked.
    let before = hits.load(Ordering::SeqCst);
    let r = client
        .send(client.get(format!("{url}/{}/y", total - 1)))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(hits.load(Ordering::SeqCst), before + 1, "pre-emptive");

    // The oldest was forgotten: it pays one 401 again, and comes back.
    let before = hits.load(Ordering::SeqCst);
    let r = client.send(client.get(format!("{url}/0/y"))).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(hits.load(Ordering::SeqCst), before + 2, "challenged again");
    assert_eq!(client.known_spaces(), MAX_SPACES_PER_ORIGIN);
}

#[tokio::test]
async fn many_origins_are_bounded_and_the_least_recently_used_go_first() {
    let (addr, hits) = realm_per_path().await;
    let total = MAX_SPACES + 60;
    let host = |n: usize| format!("h{n}.test");
    let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    for n in 0..total {
        builder = builder.resolve(&host(n), addr);
    }
    let client = AuthClient::with_client(builder.build().unwrap(), token())
        .insecure_allow_bearer_over_http(true);
    let url = |n: usize, path: &str| format!("http://{}:{}/1/{path}", host(n), addr.port());
    let get = |u: String| {
        let client = client.clone();
        async move {
            let r = client.send(client.get(u)).await.unwrap();
            assert_eq!(r.status(), 200);
        }
    };

    for n in 0..MAX_SPACES {
        get(url(n, "x")).await;
    }
    assert_eq!(client.known_spaces(), MAX_SPACES);
    // Using the first origin again makes it the most recently used.
    let before = hits.load(Ordering::SeqCst);
    get(url(0, "y")).await;
    assert_eq!(hits.load(Ordering::SeqCst), before + 1, "pre-emptive");

    for n in MAX_SPACES..total {
        get(url(n, "x")).await;
    }
    assert_eq!(client.known_spaces(), MAX_SPACES, "bounded");

    // Origin 0 was used recently and survived; 1 was the least recently
    // used and was forgotten; the newest is kept.
    let before = hits.load(Ordering::SeqCst);
    get(url(0, "z")).await;
    assert_eq!(hits.load(Ordering::SeqCst), before + 1, "origin 0 kept");
    get(url(total - 1, "z")).await;
    assert_eq!(hits.load(Ordering::SeqCst), before + 2, "newest kept");
    get(url(1, "z")).await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        before + 4,
        "origin 1 forgotten"
    );
    assert_eq!(client.known_spaces(), MAX_SPACES);
}
