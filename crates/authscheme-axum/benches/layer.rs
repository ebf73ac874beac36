//! The layer's price per request, in process: one request through an axum
//! app with and without the layer (same headers), side by side with
//! tower-http's `ValidateRequestHeaderLayer` in the same run.
//!
//! The schemes are the real ones, configured as a service would: Basic
//! with a bcrypt user behind the verified-credential cache (a hit),
//! Bearer with a static token, and Bearer with an HS256 JWT behind the
//! verified-token cache, and Digest SHA-256 with the in-memory stores (a
//! fresh nonce count per request, made outside the timing).
//! The `basic` group also has the floor under any layer
//! (`examples/support/floor_layer.rs`): a layer that only looks the field
//! up, and one that also puts a fixed identity into the extensions.
//! `cargo bench -p authscheme-axum --bench layer`.

#![allow(missing_docs, clippy::unwrap_used)]

use std::time::Duration;

use authscheme::registry::Principal;
use authscheme::{Authenticated, Authenticator, SchemeName};
use authscheme_axum::RequireAuthLayer;
use authscheme_basic::{BasicScheme, MemoryStore};
use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator};
use authscheme_bearer::{BearerScheme, StaticTokens};
use authscheme_testkit::basic;
use axum::Router;
use axum::body::Body;
use axum::routing::get;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use http::Request;
use tower::ServiceExt;

#[path = "../examples/support/floor_layer.rs"]
mod floor_layer;

use floor_layer::FloorLayer;

const SECRET: &[u8] = b"a-benchmark-secret-of-32-bytes!!";

fn app() -> Router {
    Router::new().route("/", get(|| async { "ok" }))
}

fn request(authorization: &str) -> Request<Body> {
    Request::get("/")
        .header("authorization", authorization)
        .header("user-agent", "bench")
        .body(Body::empty())
        .unwrap()
}

/// The app as `axum::serve` runs it: `into_make_service` gives the router
/// its state once, which turns each handler, with the layers around it,
/// into a ready route. A `Router` called without that builds them again
/// on every request (boxing the layered service anew), which a served app
/// never pays and which made every layer look dearer.
fn served(app: Router) -> Router {
    app.with_state(())
}

fn bench_app(c: &mut Criterion, group: &str, name: &str, app: Router, authorization: &str) {
    let app = served(app);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    // Same request every time; a denial would make the numbers meaningless.
    // This first request also fills the caches (bcrypt, JWT signature).
    let status = rt
        .block_on(app.clone().oneshot(request(authorization)))
        .unwrap()
        .status();
    assert_eq!(status, 200, "{group}/{name}");
    c.benchmark_group(group).bench_function(name, |b| {
        b.iter_batched(
            || (app.clone(), request(authorization)),
            |(app, req)| rt.block_on(app.oneshot(req)).unwrap(),
            BatchSize::SmallInput,
        );
    });
}

fn basic_layer() -> RequireAuthLayer<Principal> {
    let store = MemoryStore::with_cost(10).unwrap();
    store.insert("alice", "wonderland").unwrap();
    let scheme = BasicScheme::new("bench", store).with_cache(Duration::from_secs(300), 1024);
    RequireAuthLayer::new(Authenticator::new().with(scheme))
}

fn static_bearer_layer() -> RequireAuthLayer<Principal> {
    let tokens = StaticTokens::new().with_token("read-token", "alice", ["read"]);
    let scheme = BearerScheme::builder(tokens)
        .realm("bench")
        .require_scopes(["read"])
        .build()
        .unwrap();
    RequireAuthLayer::new(Authenticator::new().with(scheme))
}

fn jwt_layer() -> RequireAuthLayer<Principal> {
    let validator = JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .key(JwtKey::secret(SECRET))
        .cache(1024)
        .build()
        .unwrap();
    let scheme = BearerScheme::builder(validator)
        .realm("bench")
        .build()
        .unwrap();
    RequireAuthLayer::new(Authenticator::new().with(scheme))
}

fn jwt() -> String {
    let claims = serde_json::json!({"sub": "alice", "scope": "read", "exp": 4_000_000_000u64});
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET),
    )
    .unwrap()
}

#[allow(deprecated)]
fn layers(c: &mut Criterion) {
    use tower_http::validate_request::ValidateRequestHeaderLayer;

    let bearer = "Bearer read-token";
    bench_app(c, "bearer", "no-layer", app(), bearer);
    bench_app(
        c,
        "bearer",
        "authscheme-axum",
        app().layer(static_bearer_layer()),
        bearer,
    );
    bench_app(
        c,
        "bearer",
        "tower-http",
        app().layer(ValidateRequestHeaderLayer::bearer("read-token")),
        bearer,
    );

    let jwt = format!("Bearer {}", jwt());
    bench_app(c, "jwt", "no-layer", app(), &jwt);
    bench_app(c, "jwt", "authscheme-axum", app().layer(jwt_layer()), &jwt);

    let creds = basic("alice", "wonderland");
    bench_app(c, "basic", "no-layer", app(), &creds);
    bench_app(
        c,
        "basic",
        "authscheme-axum",
        app().layer(basic_layer()),
        &creds,
    );
    bench_app(
        c,
        "basic",
        "tower-http",
        app().layer(ValidateRequestHeaderLayer::basic("alice", "wonderland")),
        &creds,
    );

    // The floor under any layer: what axum charges for a layer that only
    // looks the field up, and for one that also hands on an identity.
    bench_app(
        c,
        "basic",
        "floor-lookup",
        app().layer(FloorLayer::lookup_only()),
        &creds,
    );
    let identity = Authenticated::new(
        Principal::new("alice").with_scopes(["read"]),
        SchemeName::BASIC,
    );
    bench_app(
        c,
        "basic",
        "floor-identity",
        app().layer(FloorLayer::inserting(identity)),
        &creds,
    );
}

/// Digest SHA-256 (qop=auth, userhash, in-memory stores): every request
/// carries the next nonce count of one session, made outside the timing,
/// so the nonce MAC, the hashes and the replay window all run.
fn digest(c: &mut Criterion) {
    use authscheme::{ClientCredentials, ClientRequest, ClientScheme};
    use authscheme_digest::{Algorithm, DigestClient, DigestScheme, MemoryCredentialStore};

    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let store = MemoryCredentialStore::new("bench").with_user("alice", "wonderland");
    let scheme = DigestScheme::builder("bench", store)
        .algorithms([Algorithm::Sha256])
        .build()
        .unwrap();
    let protected = served(app().layer(RequireAuthLayer::new(
        Authenticator::<Principal>::new().with(scheme),
    )));
    let bare = Request::get("/").body(Body::empty()).unwrap();
    let denied = rt.block_on(protected.clone().oneshot(bare)).unwrap();
    let challenge = denied.headers()["www-authenticate"].as_bytes().to_vec();
    let offered = authscheme::syntax::parse_challenges(&challenge).unwrap();
    let creds = ClientCredentials::password("alice", "wonderland");
    let mut session = DigestClient::new().start(&offered[0], &creds).unwrap();
    let mut next = move || {
        let value = session
            .authorize_header(&ClientRequest::new("GET", "/"))
            .unwrap();
        request(value.to_str().unwrap())
    };
    let first = rt.block_on(protected.clone().oneshot(next())).unwrap();
    assert_eq!(first.status(), 200);

    let plain = served(app());
    let mut group = c.benchmark_group("digest");
    group.bench_function("no-layer", |b| {
        b.iter_batched(
            || (plain.clone(), next()),
            |(app, req)| rt.block_on(app.oneshot(req)).unwrap(),
            BatchSize::SmallInput,
        );
    });
    group.bench_function("authscheme-axum", |b| {
        b.iter_batched(
            || (protected.clone(), next()),
            |(app, req)| {
                let response = rt.block_on(app.oneshot(req)).unwrap();
                assert_eq!(response.status(), 200);
                response
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

criterion_group!(benches, layers, digest);
criterion_main!(benches);
