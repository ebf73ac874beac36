//! An `Authentication-Info` (or `Proxy-Authentication-Info`) that is
//! present but cannot be read, or comes as field lines that conflict, fails
//! the response as a wrong `rspauth` does, when the Digest session was
//! going to check a proof; one that is absent, or repeated as the same
//! line, or split over lines, does not. A local server authenticates with
//! the Digest scheme and then rewrites the header as each path asks.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use authscheme::{AuthRequest, Authenticator, ClientCredentials, Outcome};
use authscheme_digest::{Algorithm, DigestScheme, DigestUser, MemoryCredentialStore};
use authscheme_reqwest::{AuthClient, Error, FixedCredentials};
use axum::body::{Body, to_bytes};
use axum::http::{HeaderName, HeaderValue, Request, Response};

struct Server {
    origin: Authenticator<DigestUser>,
    proxy: Authenticator<DigestUser>,
}

fn scheme(realm: &str) -> DigestScheme {
    let store = MemoryCredentialStore::new(realm).with_user("alice", "wonderland");
    DigestScheme::builder(realm, store)
        .algorithms(vec![Algorithm::Sha256])
        .build()
        .unwrap()
}

/// Starts the server on a free loopback port; it is also a forward proxy
/// (a request with an absolute URI is checked as one).
async fn start() -> String {
    let server = Arc::new(Server {
        origin: Authenticator::new().with(scheme("api")),
        proxy: Authenticator::new().with(scheme("proxy")).proxy(),
    });
    let app = axum::Router::new().fallback(move |req: Request<Body>| {
        let server = Arc::clone(&server);
        async move { handle(&server, req).await }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// The field lines the server sends instead of its own `good` value, for
/// the path's first segment.
fn rewrite(kind: &str, good: &str) -> Vec<Vec<u8>> {
    // An answer to qop=auth-int carries no rspauth.
    let (start, end) = match good.find("rspauth=\"") {
        Some(at) => {
            let start = at + "rspauth=\"".len();
            (start, start + good[start..].find('"').unwrap())
        }
        None => (0, 0),
    };
    let zeros = "0".repeat(end - start);
    let forged = format!("{}{zeros}{}", &good[..start], &good[end..]);
    let lines: Vec<String> = match kind {
        "good" => vec![good.to_owned()],
        "none" => vec![],
        "forged" => vec![forged],
        // The audit's three: a parameter twice (with a wrong proof), a
        // quoted-string that never ends, and rspauth twice (the first
        // right, the second wrong).
        "dup-param" => vec![format!("{forged}, qop=auth")],
        "unterminated" => vec![format!(r#"{good}, x="unterminated"#)],
        "dup-rspauth" => vec![format!(r#"{good}, rspauth="{zeros}""#)],
        // Two field lines: conflicting, the same twice, one list split.
        "two-lines" => vec![good.to_owned(), forged],
        "same-twice" => vec![good.to_owned(), good.to_owned()],
        "split" => {
            let (first, second) = good.split_at(good.find(", ").unwrap());
            vec![first.to_owned(), second[2..].to_owned()]
        }
        // Octets that are no list at all.
        "garbage" => vec!["=== ,, \"".to_owned()],
        other => panic!("no case {other}"),
    };
    lines.into_iter().map(String::into_bytes).collect()
}

async fn handle(server: &Server, req: Request<Body>) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let body = to_bytes(body, 1 << 16).await.unwrap();
    let is_proxy = parts.uri.scheme().is_some();
    let (auth, target) = if is_proxy {
        (&server.proxy, parts.uri.to_string())
    } else {
        (&server.origin, parts.uri.path().to_owned())
    };
    let request = AuthRequest::new(parts.method.as_str(), &target, &parts.headers).with_body(&body);
    match auth.authenticate(&request).await {
        Outcome::Authenticated(ok) => {
            let mut response = Response::new(Body::from("ok"));
            let name = HeaderName::from_static(if is_proxy {
                "proxy-authentication-info"
            } else {
                "authentication-info"
            });
            // An auth-int answer gets no Authentication-Info from the
            // server (its rspauth would cover the body): echo what such a
            // header would name, for the rewrites to garble.
            let good = ok
                .response_headers()
                .into_iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_str().unwrap().to_owned())
                .unwrap_or_else(|| {
                    let sent = parts
                        .headers
                        .get(if is_proxy {
                            "proxy-authorization"
                        } else {
                            "authorization"
                        })
                        .unwrap();
                    let c = authscheme::Credentials::parse(sent.as_bytes()).unwrap();
                    format!(
                        r#"qop={}, cnonce="{}", nc={}"#,
                        c.param_str("qop").unwrap(),
                        c.param_str("cnonce").unwrap(),
                        c.param_str("nc").unwrap()
                    )
                });
            let kind = parts.uri.path().split('/').nth(1).unwrap_or_default();
            for line in rewrite(kind, &good) {
                response
                    .headers_mut()
                    .append(name.clone(), HeaderValue::from_bytes(&line).unwrap());
            }
            response
        }
        Outcome::Denied(denial) => common::denial_response(&denial),
        _ => panic!("an outcome this test does not know"),
    }
}

fn alice() -> ClientCredentials {
    ClientCredentials::password("alice", "wonderland")
}

const REFUSED: [&str; 6] = [
    "forged",
    "dup-param",
    "unterminated",
    "dup-rspauth",
    "two-lines",
    "garbage",
];
const ACCEPTED: [&str; 4] = ["good", "none", "same-twice", "split"];

/// Each case on a fresh client: the first response to a Digest answer
/// (after one 401) and then a pre-emptive one on the same session.
async fn outcome(client: &AuthClient, url: &str, kind: &str) -> Vec<Result<u16, Error>> {
    let mut out = Vec::new();
    for n in 0..2 {
        let sent = client.send(client.get(format!("{url}/{kind}/{n}"))).await;
        out.push(sent.map(|r| r.status().as_u16()));
    }
    out
}

#[tokio::test]
async fn an_unreadable_authentication_info_is_a_wrong_proof() {
    let url = start().await;
    for kind in REFUSED {
        let client = AuthClient::new(FixedCredentials::new(alice()));
        for got in outcome(&client, &url, kind).await {
            match got {
                Err(Error::ServerNotAuthenticated { reason }) => {
                    if kind != "forged" {
                        assert!(reason.contains("Authentication-Info"), "{kind}: {reason}");
                    }
                }
                other => panic!("{kind}: {other:?}"),
            }
        }
    }
    for kind in ACCEPTED {
        let client = AuthClient::new(FixedCredentials::new(alice()));
        for got in outcome(&client, &url, kind).await {
            assert_eq!(got.unwrap(), 200, "{kind}");
        }
    }
}

#[tokio::test]
async fn skipping_the_rspauth_check_skips_unreadable_ones_too() {
    let url = start().await;
    for kind in REFUSED.into_iter().chain(ACCEPTED) {
        let client =
            AuthClient::new(FixedCredentials::new(alice())).dangerous_skip_rspauth_check(true);
        for got in outcome(&client, &url, kind).await {
            assert_eq!(got.unwrap(), 200, "{kind}");
        }
    }
}

#[tokio::test]
async fn an_unreadable_proxy_authentication_info_is_a_wrong_proof() {
    let url = start().await;
    for (kind, refused) in [("dup-rspauth", true), ("two-lines", true), ("good", false)] {
        let inner = reqwest::Client::builder()
            .proxy(reqwest::Proxy::http(&url).unwrap())
            .build()
            .unwrap();
        let creds = FixedCredentials::none().with_proxy(alice());
        let client = AuthClient::with_client(inner, creds);
        for got in outcome(&client, "http://origin.invalid", kind).await {
            match got {
                Err(Error::ServerNotAuthenticated { reason }) if refused => {
                    assert!(reason.contains("Proxy-Authentication-Info"), "{reason}");
                }
                Ok(200) if !refused => {}
                other => panic!("{kind}: {other:?}"),
            }
        }
    }
}

/// Where the session had no proof to check (the request went with
/// `qop=auth-int`, whose `rspauth` would cover the response body), an
/// unreadable Authentication-Info fails nothing; the same client's
/// requests with `qop=auth` are still held to it.
#[tokio::test]
async fn an_unreadable_one_where_no_proof_was_due_passes() {
    let url = start().await;
    let client = AuthClient::new(FixedCredentials::new(alice()));
    for kind in ["unterminated", "garbage", "good"] {
        let post = client.post(format!("{url}/{kind}/post")).body(&b"x=1"[..]);
        assert_eq!(client.send(post).await.unwrap().status(), 200, "{kind}");
    }
    let get = client.get(format!("{url}/garbage/get"));
    assert!(matches!(
        client.send(get).await,
        Err(Error::ServerNotAuthenticated { .. })
    ));
}
