//! The layer's price per request, in process: one request through an axum
//! app with and without the layer (same headers), side by side with
//! tower-http's `ValidateRequestHeaderLayer` in the same run.
//!
//! Schemes are the testkit's fixed-credential ones (a static Bearer token,
//! a fixed Basic password), which is what tower-http's check does too.

#![allow(missing_docs, clippy::unwrap_used)]

use authscheme::Authenticator;
use authscheme_axum::RequireAuthLayer;
use authscheme_testkit::schemes::{TestBasic, TestBearer};
use authscheme_testkit::{Principal, basic};
use axum::Router;
use axum::body::Body;
use axum::routing::get;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use http::Request;
use tower::ServiceExt;

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

fn bench_app(c: &mut Criterion, group: &str, name: &str, app: Router, authorization: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    // Same request every time; a denial would make the numbers meaningless.
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

#[allow(deprecated)]
fn layers(c: &mut Criterion) {
    use tower_http::validate_request::ValidateRequestHeaderLayer;

    let bearer = "Bearer read-token";
    bench_app(c, "bearer", "no-layer", app(), bearer);
    bench_app(
        c,
        "bearer",
        "authscheme-axum",
        app().layer(RequireAuthLayer::<Principal>::new(
            Authenticator::new().with(TestBearer::requiring("read")),
        )),
        bearer,
    );
    bench_app(
        c,
        "bearer",
        "tower-http",
        app().layer(ValidateRequestHeaderLayer::bearer("read-token")),
        bearer,
    );

    let creds = basic("alice", "wonderland");
    bench_app(c, "basic", "no-layer", app(), &creds);
    bench_app(
        c,
        "basic",
        "authscheme-axum",
        app().layer(RequireAuthLayer::<Principal>::new(
            Authenticator::new().with(TestBasic::new()),
        )),
        &creds,
    );
    bench_app(
        c,
        "basic",
        "tower-http",
        app().layer(ValidateRequestHeaderLayer::basic("alice", "wonderland")),
        &creds,
    );
}

/// The core's share: the authenticator alone on the same headers.
fn authenticator_only(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let bearer: Authenticator<Principal> = Authenticator::new().with(TestBearer::requiring("read"));
    let req = request("Bearer read-token");
    let headers = req.headers().clone();
    c.bench_function("bearer/authenticator-only", |b| {
        b.iter(|| {
            rt.block_on(bearer.authenticate(&authscheme::AuthRequest::new("GET", "/", &headers)))
        });
    });
}

criterion_group!(benches, layers, authenticator_only);
criterion_main!(benches);
