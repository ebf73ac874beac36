//! A small axum server with Basic, Digest and Bearer routes built from the
//! scheme crates, counting every request it receives.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use authscheme::registry::{self, Principal, SchemeConfig};
use authscheme::{AuthRequest, AuthSchemeExt, Authenticator, Outcome};
use authscheme_bearer::{BearerScheme, StaticTokens};
use authscheme_digest::{Algorithm, DigestScheme, ManualClock, MemoryCredentialStore};
use axum::body::{Body, to_bytes};
use axum::http::{HeaderValue, Request, Response, StatusCode};

pub(crate) const REALM: &str = "test realm";
/// A realm with non-ASCII and characters that need escaping.
pub(crate) const ODD_REALM: &str = "Zoë's \"odd\" \\ realm";

#[derive(Clone)]
pub(crate) struct Server {
    pub(crate) url: String,
    pub(crate) hits: Arc<AtomicUsize>,
    /// Every credentials header value received, in order.
    pub(crate) seen: Arc<Mutex<Vec<String>>>,
    pub(crate) clock: ManualClock,
    /// Holds the password file; removed with the last clone.
    _dir: Arc<tempfile::TempDir>,
}

impl Server {
    pub(crate) fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
    pub(crate) fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
    pub(crate) fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }
}

struct Routes {
    basic: Authenticator<Principal>,
    digest: Authenticator<Principal>,
    digest_int: Authenticator<Principal>,
    digest_odd: Authenticator<Principal>,
    bearer: Authenticator<Principal>,
    any: Authenticator<Principal>,
    proxy: Authenticator<Principal>,
    other_origin: Option<String>,
}

fn digest(realm: &str, clock: &ManualClock, algorithms: Vec<Algorithm>) -> DigestScheme {
    let store = MemoryCredentialStore::new(realm).with_user("alice", "wonderland");
    DigestScheme::builder(realm, store)
        .algorithms(algorithms)
        .clock(clock.clone())
        .nonce_lifetime(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

fn to_principal(s: DigestScheme) -> impl authscheme::AuthScheme<Principal> {
    s.map_identity(|u: authscheme_digest::DigestUser| Principal::new(u.name()))
}

/// Starts the server; `other_origin` is where `/elsewhere` redirects.
pub(crate) async fn start(other_origin: Option<String>) -> Server {
    // One directory per server: tests run in parallel in one process, and a
    // store watching a file another test is rewriting would see it empty.
    let dir = tempfile::tempdir().unwrap();
    let htpasswd = dir.path().join("htpasswd");
    std::fs::write(&htpasswd, "alice:wonderland\n").unwrap();
    let basic = registry::find("basic").unwrap().server.unwrap()(
        &SchemeConfig::new(REALM)
            .set("htpasswd", htpasswd.to_str().unwrap())
            .set("dangerous_allow_plaintext", "true"),
    )
    .unwrap();
    let clock = ManualClock::new(1_700_000_000);
    let tokens = StaticTokens::new().with_token("fresh-token", "service", Vec::<String>::new());
    let bearer = BearerScheme::builder(tokens).realm(REALM).build().unwrap();
    let sha_md5 = || vec![Algorithm::Sha256, Algorithm::Md5];
    let routes = Routes {
        basic: Authenticator::new().with_shared(Arc::clone(&basic)),
        digest: Authenticator::new().with(to_principal(digest(REALM, &clock, sha_md5()))),
        digest_int: Authenticator::new().with(to_principal(digest("int", &clock, sha_md5()))),
        digest_odd: Authenticator::new().with(to_principal(digest(ODD_REALM, &clock, sha_md5()))),
        bearer: Authenticator::new().with(bearer),
        any: Authenticator::new()
            .with_shared(basic)
            .with(to_principal(digest(REALM, &clock, sha_md5()))),
        proxy: Authenticator::new()
            .with(to_principal(digest("proxy", &clock, sha_md5())))
            .proxy(),
        other_origin,
    };
    let routes = Arc::new(routes);
    let hits = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = (Arc::clone(&routes), Arc::clone(&hits), Arc::clone(&seen));
    let app = axum::Router::new().fallback(move |req: Request<Body>| {
        let (routes, hits, seen) = state.clone();
        async move { handle(&routes, &hits, &seen, req).await }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server {
        url,
        hits,
        seen,
        clock,
        _dir: Arc::new(dir),
    }
}

async fn handle(
    routes: &Routes,
    hits: &AtomicUsize,
    seen: &Mutex<Vec<String>>,
    req: Request<Body>,
) -> Response<Body> {
    hits.fetch_add(1, Ordering::SeqCst);
    let (parts, body) = req.into_parts();
    for name in ["authorization", "proxy-authorization"] {
        if let Some(v) = parts.headers.get(name) {
            seen.lock()
                .unwrap()
                .push(String::from_utf8_lossy(v.as_bytes()).into_owned());
        }
    }
    let body = to_bytes(body, 1 << 20).await.unwrap();
    let path = parts.uri.path().to_owned();
    // A forward proxy receives the absolute URI; an origin the path.
    let target = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let is_proxy = parts.uri.scheme().is_some();
    let target = if is_proxy {
        parts.uri.to_string()
    } else {
        target
    };
    if path == "/elsewhere" {
        let other = routes.other_origin.clone().unwrap_or_default();
        return Response::builder()
            .status(StatusCode::FOUND)
            .header("location", format!("{other}/basic"))
            .body(Body::empty())
            .unwrap();
    }
    if path == "/hop" {
        return Response::builder()
            .status(StatusCode::SEE_OTHER)
            .header("location", "/digest/after-hop")
            .body(Body::empty())
            .unwrap();
    }
    if path == "/open" && !is_proxy {
        return Response::new(Body::from("ok"));
    }
    // An origin server that asks for proxy credentials (407) itself.
    let auth = if is_proxy || path.starts_with("/asks-proxy-credentials") {
        &routes.proxy
    } else if path.starts_with("/basic") {
        &routes.basic
    } else if path.starts_with("/digest-int") {
        &routes.digest_int
    } else if path.starts_with("/digest") || path.starts_with("/wrong-rspauth") {
        &routes.digest
    } else if path.starts_with("/odd") {
        &routes.digest_odd
    } else if path.starts_with("/bearer") {
        &routes.bearer
    } else {
        &routes.any
    };
    let method = parts.method.as_str().to_owned();
    let request = AuthRequest::new(&method, &target, &parts.headers).with_body(&body);
    match auth.authenticate(&request).await {
        Outcome::Authenticated(ok) => {
            let mut response = Response::new(Body::from(format!(
                "hello {} {}",
                ok.authenticated().identity().name(),
                String::from_utf8_lossy(&body)
            )));
            for (name, value) in ok.response_headers() {
                response.headers_mut().append(name, value);
            }
            if path.starts_with("/wrong-rspauth") {
                let bad =
                    "rspauth=\"0000000000000000000000000000000000000000000000000000000000000000\"";
                let info = response
                    .headers()
                    .get("authentication-info")
                    .unwrap()
                    .to_str()
                    .unwrap();
                let mut params: HashMap<&str, &str> = HashMap::new();
                for part in info.split(", ") {
                    if let Some((k, v)) = part.split_once('=') {
                        params.insert(k, v);
                    }
                }
                let nc = params.get("nc").copied().unwrap_or("00000001");
                let cnonce = params.get("cnonce").copied().unwrap_or("\"\"");
                let value = format!("qop=auth, {bad}, cnonce={cnonce}, nc={nc}");
                response.headers_mut().insert(
                    "authentication-info",
                    HeaderValue::from_str(&value).unwrap(),
                );
            }
            response
        }
        Outcome::Denied(denial) => {
            let mut response = Response::new(Body::from(denial.body()));
            *response.status_mut() = denial.status();
            let name = denial.role().challenge_header().clone();
            if path.starts_with("/odd") {
                // An unknown scheme first, then the real ones, then junk.
                response.headers_mut().append(
                    name.clone(),
                    HeaderValue::from_static(
                        "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\"",
                    ),
                );
            }
            for (name, value) in denial.headers() {
                response.headers_mut().append(name, value);
            }
            if path.starts_with("/odd") {
                response.headers_mut().append(
                    name,
                    HeaderValue::from_static("Basic realm=\"unterminated, ==="),
                );
            }
            response
        }
        _ => Response::builder().status(500).body(Body::empty()).unwrap(),
    }
}

/// A denial as the adapters render it: its status, one challenge field
/// line each, and its short body.
pub(crate) fn denial_response(denial: &authscheme::Denial) -> Response<Body> {
    let mut response = Response::new(Body::from(denial.body()));
    *response.status_mut() = denial.status();
    for (name, value) in denial.headers() {
        response.headers_mut().append(name, value);
    }
    response
}
