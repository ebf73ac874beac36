//! Many requests in flight at once on one Digest session, through
//! `AuthClient`, against a real local server that holds every authenticated
//! response until `IN_FLIGHT` of them are waiting, so each batch is sent
//! (and its `nc`/`cnonce` recorded) before any `Authentication-Info` comes
//! back, in whatever order the connections deliver them.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use authscheme::{AuthRequest, Authenticator, ClientCredentials, Outcome};
use authscheme_digest::{Algorithm, DigestScheme, DigestUser, MemoryCredentialStore};
use authscheme_reqwest::{AuthClient, Error, FixedCredentials};
use axum::body::Body;
use axum::http::{HeaderValue, Request, Response};
use tokio::sync::Barrier;

/// More than the 16 answers the session used to remember.
const IN_FLIGHT: usize = 64;

struct Server {
    auth: Authenticator<DigestUser>,
    gate: Barrier,
    /// The `nc` whose `rspauth` is replaced by zeros.
    forge_nc: Option<&'static str>,
    /// Responses that were not 200.
    denied: AtomicUsize,
}

/// Starts the server on a free loopback port; `/x/gate/*` responses wait for
/// the batch. With `every_response_moves_nonce`, every response hands out a
/// `nextnonce`, so the session's nonce changes (and `nc` starts again at 1)
/// while older requests are still out.
async fn start(
    every_response_moves_nonce: bool,
    forge_nc: Option<&'static str>,
) -> (String, Arc<Server>) {
    let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    let mut scheme = DigestScheme::builder("api", store)
        .algorithms(vec![Algorithm::Sha256])
        .nonce_lifetime(Duration::from_secs(300));
    if every_response_moves_nonce {
        scheme = scheme.nextnonce_within(Duration::from_secs(300));
    }
    let server = Arc::new(Server {
        auth: Authenticator::new().with(scheme.build().unwrap()),
        gate: Barrier::new(IN_FLIGHT),
        forge_nc,
        denied: AtomicUsize::new(0),
    });
    let state = Arc::clone(&server);
    let app = axum::Router::new().fallback(move |req: Request<Body>| {
        let server = Arc::clone(&state);
        async move { handle(&server, req).await }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, server)
}

async fn handle(server: &Server, req: Request<Body>) -> Response<Body> {
    let (parts, _) = req.into_parts();
    let target = parts.uri.path().to_owned();
    let request = AuthRequest::new(parts.method.as_str(), &target, &parts.headers);
    match server.auth.authenticate(&request).await {
        Outcome::Authenticated(ok) => {
            if target.starts_with("/x/gate/") {
                // Never hangs the test: a batch that cannot fill goes on.
                let _ = tokio::time::timeout(Duration::from_secs(10), server.gate.wait()).await;
            }
            let mut response = Response::new(Body::from("ok"));
            for (name, value) in ok.response_headers() {
                response.headers_mut().append(name, value);
            }
            if let Some(nc) = server.forge_nc {
                let info = response.headers()["authentication-info"].to_str().unwrap();
                if info.contains(&format!("nc={nc}")) {
                    let start = info.find("rspauth=\"").unwrap() + "rspauth=\"".len();
                    let end = start + info[start..].find('"').unwrap();
                    let forged = format!(
                        "{}{}{}",
                        &info[..start],
                        "0".repeat(end - start),
                        &info[end..]
                    );
                    response.headers_mut().insert(
                        "authentication-info",
                        HeaderValue::from_str(&forged).unwrap(),
                    );
                }
            }
            response
        }
        Outcome::Denied(denial) => {
            server.denied.fetch_add(1, Ordering::SeqCst);
            common::denial_response(&denial)
        }
        _ => panic!("an outcome this test does not know"),
    }
}

fn client() -> AuthClient {
    AuthClient::new(FixedCredentials::new(ClientCredentials::password(
        "alice",
        "wonderland",
    )))
}

/// `rounds` batches of `IN_FLIGHT` concurrent requests on one session
/// (opened by a first request alone), each result in the order sent.
async fn run(url: &str, rounds: usize) -> Vec<Result<String, Error>> {
    let client = client();
    let first = client.send(client.get(format!("{url}/x/first"))).await;
    assert_eq!(first.unwrap().status(), 200);
    let mut workers = Vec::new();
    for w in 0..IN_FLIGHT {
        let (client, url) = (client.clone(), url.to_owned());
        workers.push(tokio::spawn(async move {
            let mut results = Vec::new();
            for r in 0..rounds {
                let sent = client
                    .send(client.get(format!("{url}/x/gate/{w}/{r}")))
                    .await;
                results.push(match sent {
                    Ok(response) => Ok(response.text().await.unwrap()),
                    Err(e) => Err(e),
                });
            }
            results
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap());
    }
    all
}

/// The audit's `authscheme client --concurrency 64`: every response is
/// right, and the client checks every `rspauth` against its own request
/// even though the nonce moves on while requests are out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_requests_in_flight_on_one_session_all_check_out() {
    let (url, server) = start(true, None).await;
    let results = tokio::time::timeout(Duration::from_secs(120), run(&url, 8))
        .await
        .expect("the load finishes");
    assert_eq!(results.len(), IN_FLIGHT * 8);
    let failed: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err().map(ToString::to_string))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} failed, first: {:?}",
        failed.len(),
        results.len(),
        failed.first()
    );
    assert!(results.iter().all(|r| r.as_deref().ok() == Some("ok")));
    // One challenge: every other request was answered pre-emptively by
    // the session the first one opened.
    assert_eq!(server.denied.load(Ordering::SeqCst), 1);
}

/// A wrong `rspauth` for the oldest of `IN_FLIGHT` requests out at once is
/// caught: the session still holds that request and checks it, rather
/// than letting the response through as one it no longer remembers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_proof_for_the_oldest_request_in_flight_is_caught() {
    // The first request alone is nc=1; the batch sends 2 to 65.
    let (url, server) = start(false, Some("00000002")).await;
    let results = tokio::time::timeout(Duration::from_secs(60), run(&url, 1))
        .await
        .expect("the batch finishes");
    assert_eq!(results.len(), IN_FLIGHT);
    let refused: Vec<&Error> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        matches!(refused[0], Error::ServerNotAuthenticated { .. }),
        "{}",
        refused[0]
    );
    assert_eq!(server.denied.load(Ordering::SeqCst), 1, "one session");
}
