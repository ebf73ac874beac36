//! Counts the work the layer adds to a request, for callgrind or
//! `perf stat -e instructions:u` where wall-clock timings are noise:
//! `layer_cost CASE N` sends N requests through one axum app, after one
//! request that fills the caches. Run it for 1 000 and 11 000 requests and
//! divide the difference by 10 000; subtract `none` to get the price.
//!
//! Cases: `none` (no layer), `basic` (bcrypt user, cache hit), `bearer`
//! (static token), `tower-basic` and `tower-bearer` (tower-http's
//! `ValidateRequestHeaderLayer`, a fixed-string comparison),
//! `floor-lookup` and `floor-identity` (the floor under any layer, see
//! `support/floor_layer.rs`), `digest`
//! (SHA-256, qop=auth: its answers are made before the requests are sent,
//! so read the inclusive cost of the layer's `call` and `poll` instead).
#![allow(clippy::unwrap_used, missing_docs, deprecated)]

use std::time::Duration;

use authscheme::Authenticator;
use authscheme::registry::Principal;
use authscheme_axum::RequireAuthLayer;
use authscheme_basic::{BasicScheme, MemoryStore};
use authscheme_bearer::{BearerScheme, StaticTokens};
use axum::Router;
use axum::body::Body;
use axum::routing::get;
use http::Request;
use tower::ServiceExt;
use tower_http::validate_request::ValidateRequestHeaderLayer;

#[path = "support/floor_layer.rs"]
mod floor_layer;

const BASIC: &str = "Basic YWxpY2U6d29uZGVybGFuZA=="; // alice:wonderland
const BEARER: &str = "Bearer read-token";

fn request(authorization: &str) -> Request<Body> {
    Request::get("/")
        .header("authorization", authorization)
        .header("user-agent", "cost")
        .body(Body::empty())
        .unwrap()
}

fn app() -> Router {
    Router::new().route("/", get(|| async { "ok" }))
}

fn protected(authenticator: Authenticator<Principal>) -> Router {
    app().layer(RequireAuthLayer::new(authenticator))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "basic".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let (app, authorization) = match case.as_str() {
        "none" => (app(), BEARER),
        "basic" => {
            let store = MemoryStore::with_cost(4).unwrap();
            store.insert("alice", "wonderland").unwrap();
            let scheme = BasicScheme::new("cost", store).with_cache(Duration::from_secs(300), 1024);
            (protected(Authenticator::new().with(scheme)), BASIC)
        }
        "bearer" => {
            let tokens = StaticTokens::new().with_token("read-token", "alice", ["read"]);
            let scheme = BearerScheme::builder(tokens)
                .require_scopes(["read"])
                .build()
                .unwrap();
            (protected(Authenticator::new().with(scheme)), BEARER)
        }
        "digest" => return digest(n),
        "tower-basic" => (
            app().layer(ValidateRequestHeaderLayer::basic("alice", "wonderland")),
            BASIC,
        ),
        "tower-bearer" => (
            app().layer(ValidateRequestHeaderLayer::bearer("read-token")),
            BEARER,
        ),
        "floor-lookup" => (app().layer(floor_layer::FloorLayer::lookup_only()), BASIC),
        "floor-identity" => {
            let identity = authscheme::Authenticated::new(
                Principal::new("alice").with_scopes(["read"]),
                authscheme::SchemeName::BASIC,
            );
            (
                app().layer(floor_layer::FloorLayer::inserting(identity)),
                BASIC,
            )
        }
        other => panic!("unknown case {other}"),
    };
    // As `axum::serve` runs it: the state given once turns each handler,
    // with its layers, into a ready route (see the `layer` bench).
    let app = app.with_state(());
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let first = rt.block_on(app.clone().oneshot(request(authorization)));
    assert_eq!(first.unwrap().status(), 200, "{case}");
    for _ in 0..n {
        let response = rt.block_on(app.clone().oneshot(request(authorization)));
        std::hint::black_box(response.unwrap());
    }
}

/// `digest`: N requests of one Digest session, each with the next count.
fn digest(n: usize) {
    use authscheme::{ClientCredentials, ClientRequest, ClientScheme};
    use authscheme_digest::{Algorithm, DigestClient, DigestScheme, MemoryCredentialStore};

    let store = MemoryCredentialStore::new("cost").with_user("alice", "wonderland");
    let scheme = DigestScheme::builder("cost", store)
        .algorithms([Algorithm::Sha256])
        .build()
        .unwrap();
    let app = protected(Authenticator::new().with(scheme)).with_state(());
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let bare = Request::get("/").body(Body::empty()).unwrap();
    let denied = rt.block_on(app.clone().oneshot(bare)).unwrap();
    let challenge = denied.headers()["www-authenticate"].as_bytes().to_vec();
    let offered = authscheme::syntax::parse_challenges(&challenge).unwrap();
    let creds = ClientCredentials::password("alice", "wonderland");
    let mut session = DigestClient::new().start(&offered[0], &creds).unwrap();
    let values: Vec<String> = (0..=n)
        .map(|_| {
            let value = session
                .authorize_header(&ClientRequest::new("GET", "/"))
                .unwrap();
            value.to_str().unwrap().to_owned()
        })
        .collect();
    for value in &values {
        let response = rt.block_on(app.clone().oneshot(request(value)));
        assert_eq!(response.unwrap().status(), 200);
    }
}
