//! The three adapters (axum, actix-web, warp) answer the testkit's standard
//! requests with byte-identical status, authentication field lines and
//! bodies, each over real HTTP on its own loopback port.
#![allow(clippy::unwrap_used)]

mod start;
#[path = "../../authscheme-warp/tests/start/mod.rs"]
mod warp_start;

use std::io;

use authscheme_axum::{Auth, RequireAuthLayer};
use authscheme_testkit::{Principal, RunningServer, Scenario, capture, compare, handler_body};
use axum::Router;
use axum::body::Bytes;
use axum::routing::any;

async fn axum_echo(identity: Option<Auth<Principal>>, body: Bytes) -> Vec<u8> {
    handler_body(identity.as_ref().map(|Auth(p)| p), &body)
}

/// The scenario served with the axum layer, as the axum adapter's own
/// conformance test does.
async fn start_axum(scenario: Scenario) -> io::Result<RunningServer> {
    let mut app = Router::new();
    for route in scenario.routes() {
        let mut layer =
            RequireAuthLayer::new(route.authenticator.clone()).body_limit(route.body_limit);
        if route.optional {
            layer = layer.optional();
        }
        app = app.route(route.path, any(axum_echo).layer(layer));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(RunningServer::new(addr, move || {
        let _ = stop.send(());
    }))
}

#[tokio::test]
async fn axum_actix_and_warp_answer_byte_for_byte_alike() {
    let axum = capture(start_axum).await.unwrap();
    let actix = capture(start::start_actix).await.unwrap();
    let warp = capture(warp_start::start_warp).await.unwrap();
    assert!(axum.len() >= 50, "{} cases", axum.len());
    assert_eq!(
        compare(&axum, &actix),
        Vec::<String>::new(),
        "axum vs actix-web"
    );
    assert_eq!(compare(&axum, &warp), Vec::<String>::new(), "axum vs warp");
    // Not vacuous: denials with several challenge lines were compared.
    let multi = actix.iter().find(|e| e.case == "multi/missing").unwrap();
    assert_eq!((multi.status, multi.auth_headers.len()), (401, 3));
}
