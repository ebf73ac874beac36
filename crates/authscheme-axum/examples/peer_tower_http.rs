//! The peer in the load comparison (docs/PERFORMANCE.md): an axum server
//! whose `/basic` is guarded by tower-http's `ValidateRequestHeaderLayer`
//! (a fixed `alice:wonderland` compared as a string), `/open` unguarded,
//! on the same one-worker runtime as `authscheme serve --workers 1`.
//!
//! `cargo run --release -p authscheme-axum --example peer_tower_http -- 127.0.0.1:8090`
#![allow(clippy::unwrap_used, missing_docs, deprecated)]

use axum::Router;
use axum::routing::get;
use tower_http::validate_request::ValidateRequestHeaderLayer;

fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8090".into());
    let app = Router::new()
        .route(
            "/basic",
            get(|| async { "ok" }).layer(ValidateRequestHeaderLayer::basic("alice", "wonderland")),
        )
        .route("/open", get(|| async { "ok" }));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
        eprintln!("tower-http peer on http://{addr}");
        axum::serve(listener, app).await.unwrap();
    });
}
