//! How the axum adapter serves a testkit [`Scenario`]; other adapters'
//! tests include this file with `#[path]` to compare answers with axum's.

use std::io;

use authscheme_axum::{Auth, RequireAuthLayer};
use authscheme_testkit::{Principal, RunningServer, Scenario, handler_body};
use axum::Router;
use axum::body::Bytes;
use axum::routing::any;

/// The testkit's handler contract: identity (if any) and the body as received.
async fn echo(identity: Option<Auth<Principal>>, body: Bytes) -> Vec<u8> {
    handler_body(identity.as_ref().map(|Auth(p)| p), &body)
}

/// Serves every route of `scenario` behind its own layer on 127.0.0.1:0.
pub(crate) async fn start_axum(scenario: Scenario) -> io::Result<RunningServer> {
    let mut app = Router::new();
    for route in scenario.routes() {
        let mut layer = RequireAuthLayer::new(route.authenticator.clone());
        if let Some(limit) = route.body_limit {
            layer = layer.body_limit(limit);
        }
        if route.optional {
            layer = layer.optional();
        }
        app = app.route(route.path, any(echo).layer(layer));
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
