//! The axum server of `cargo xtask load` (docs/PERFORMANCE.md): every
//! route answers `ok` from the same handler shape, so that the routes
//! differ only in what guards them.
//!
//! - `/open`: nothing;
//! - `/basic`: authscheme Basic, a bcrypt user (`alice:wonderland`, cost
//!   10) behind the verified-credential cache;
//! - `/bearer`: authscheme Bearer, a static token (`s3cret-token`);
//! - `/jwt`: authscheme Bearer, HS256 JWTs behind the verified-token
//!   cache (the server prints one on stdout, `jwt: <token>`);
//! - `/peer-basic`: the peer, tower-http's `ValidateRequestHeaderLayer::basic`
//!   (a fixed `alice:wonderland` compared as a string).
//!
//! One worker thread, as `authscheme serve --workers 1`.
//! `cargo run --release -p authscheme-axum --example load_server_axum -- 127.0.0.1:8090`
#![allow(clippy::unwrap_used, missing_docs, deprecated)]

#[path = "support/load_schemes.rs"]
mod load_schemes;

use authscheme::Authenticator;
use authscheme::registry::Principal;
use authscheme_axum::{Auth, RequireAuthLayer};
use axum::Router;
use axum::routing::get;
use tower_http::validate_request::ValidateRequestHeaderLayer;

async fn ok() -> &'static str {
    "ok"
}

async fn ok_for(_user: Auth<Principal>) -> &'static str {
    "ok"
}

fn guarded(authenticator: Authenticator<Principal>) -> axum::routing::MethodRouter {
    get(ok_for).layer(RequireAuthLayer::new(authenticator))
}

fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8090".into());
    let guards = load_schemes::Guards::new();
    let app = Router::new()
        .route("/open", get(ok))
        .route("/basic", guarded(guards.basic))
        .route("/bearer", guarded(guards.bearer))
        .route("/jwt", guarded(guards.jwt))
        .route(
            "/peer-basic",
            get(ok).layer(ValidateRequestHeaderLayer::basic("alice", "wonderland")),
        );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
        println!("jwt: {}", load_schemes::jwt());
        eprintln!("axum load server on http://{addr}");
        axum::serve(listener, app).await.unwrap();
    });
}
