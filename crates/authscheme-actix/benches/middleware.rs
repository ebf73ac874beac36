//! The middleware's price per request, in process: one request through an
//! actix-web app with and without `authscheme_actix::Authentication` (same
//! headers), side by side with actix-web-httpauth in the same run.
//!
//! The schemes are the real ones as a service configures them: Basic with a
//! bcrypt user behind the verified-credential cache (a hit), Bearer with a
//! static token; the actix-web-httpauth validators compare fixed strings.
//! Subtract `no-layer` from a row to get the auth layer's own cost.
//!
//! The `actix/basic` group also has the floor under any middleware
//! ([`floor::Floor`]): one that only looks the `Authorization` field up,
//! and one that also puts a fixed identity into the request's extensions.

#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../examples/support/app.rs"]
mod app;
#[path = "../examples/support/floor.rs"]
mod floor;
#[path = "../examples/support/peer_basic.rs"]
mod peer_basic;

use actix_web::dev::{Service, ServiceRequest};
use actix_web::{App, Error, test, web};
use actix_web_httpauth::extractors::bearer::BearerAuth;
use actix_web_httpauth::middleware::HttpAuthentication;
use app::{ok, request};
use authscheme::Authenticator;
use authscheme::registry::Principal;
use authscheme_actix::Authentication;
use authscheme_basic::{BasicScheme, MemoryStore};
use authscheme_bearer::{BearerScheme, StaticTokens};
use authscheme_testkit::basic;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use peer_basic::peer_basic;

/// Benchmarks one app: checks once that the request is let through (a
/// denial would make the numbers meaningless), then times it.
macro_rules! bench_app {
    ($c:expr, $group:expr, $name:expr, $authorization:expr, $app:expr) => {{
        let system = actix_web::rt::System::new();
        let app = system.block_on(test::init_service($app));
        let status = system
            .block_on(app.call(request($authorization)))
            .unwrap()
            .status();
        assert_eq!(status, 200, "{}/{}", $group, $name);
        $c.benchmark_group($group).bench_function($name, |b| {
            b.iter_batched(
                || request($authorization),
                |req| system.block_on(app.call(req)).unwrap(),
                BatchSize::SmallInput,
            );
        });
    }};
}

async fn peer_bearer(
    req: ServiceRequest,
    creds: BearerAuth,
) -> Result<ServiceRequest, (Error, ServiceRequest)> {
    if creds.token() == "read-token" {
        Ok(req)
    } else {
        Err((actix_web::error::ErrorUnauthorized("no"), req))
    }
}

fn layers(c: &mut Criterion) {
    let bearer = "Bearer read-token";
    bench_app!(
        c,
        "actix/bearer",
        "no-layer",
        bearer,
        App::new().route("/", web::get().to(ok))
    );
    bench_app!(
        c,
        "actix/bearer",
        "authscheme-actix",
        bearer,
        App::new()
            .wrap(Authentication::<Principal>::new(
                Authenticator::new().with(static_bearer()),
            ))
            .route("/", web::get().to(ok))
    );
    bench_app!(
        c,
        "actix/bearer",
        "actix-web-httpauth",
        bearer,
        App::new()
            .wrap(HttpAuthentication::bearer(peer_bearer))
            .route("/", web::get().to(ok))
    );

    let creds = basic("alice", "wonderland");
    bench_app!(
        c,
        "actix/basic",
        "no-layer",
        &creds,
        App::new().route("/", web::get().to(ok))
    );
    bench_app!(
        c,
        "actix/basic",
        "authscheme-actix",
        &creds,
        App::new()
            .wrap(Authentication::<Principal>::new(
                Authenticator::new().with(cached_basic()),
            ))
            .route("/", web::get().to(ok))
    );
    bench_app!(
        c,
        "actix/basic",
        "actix-web-httpauth",
        &creds,
        App::new()
            .wrap(HttpAuthentication::basic(peer_basic))
            .route("/", web::get().to(ok))
    );
}

fn cached_basic() -> BasicScheme<MemoryStore> {
    let store = MemoryStore::with_cost(10).unwrap();
    store.insert("alice", "wonderland").unwrap();
    BasicScheme::new("bench", store).with_cache(std::time::Duration::from_secs(300), 1024)
}

fn static_bearer() -> BearerScheme<StaticTokens<Principal>> {
    let tokens = StaticTokens::new().with_token("read-token", "alice", ["read"]);
    BearerScheme::builder(tokens)
        .realm("bench")
        .require_scopes(["read"])
        .build()
        .unwrap()
}

fn floors(c: &mut Criterion) {
    let creds = basic("alice", "wonderland");
    bench_app!(
        c,
        "actix/basic",
        "floor-lookup",
        &creds,
        App::new()
            .wrap(floor::Floor { identity: None })
            .route("/", web::get().to(ok))
    );
    let identity = authscheme::Authenticated::new(
        Principal::new("alice").with_scopes(["read"]),
        authscheme::SchemeName::BASIC,
    );
    bench_app!(
        c,
        "actix/basic",
        "floor-identity",
        &creds,
        App::new()
            .wrap(floor::Floor {
                identity: Some(identity.clone())
            })
            .route("/", web::get().to(ok))
    );
}

criterion_group!(benches, layers, floors);
criterion_main!(benches);
