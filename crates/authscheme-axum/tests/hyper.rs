//! The layer in a plain hyper 1 server, without axum: the tower service is
//! usable by any tower/hyper stack. hyper's `Incoming` is boxed first, so
//! that a body read for `auth-int` can be handed on (`authscheme_axum::ReplayBody`).

#![allow(clippy::unwrap_used)]

use std::convert::Infallible;

use authscheme::{Authenticated, Authenticator};
use authscheme_axum::RequireAuthLayer;
use authscheme_testkit::schemes::{BodyCheck, TestBasic};
use authscheme_testkit::{Principal, RawRequest, basic, handler_body};
use http::{Request, Response};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::service::TowerToHyperService;
use tower::{ServiceBuilder, service_fn};

async fn serve_once(layer: RequireAuthLayer<Principal>) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let handler = service_fn(
        |req: Request<UnsyncBoxBody<Bytes, hyper::Error>>| async move {
            let identity = req.extensions().get::<Authenticated<Principal>>().cloned();
            let body = req.into_body().collect().await.unwrap().to_bytes();
            let text = handler_body(identity.as_ref().map(Authenticated::identity), &body);
            Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(text))))
        },
    );
    let service = ServiceBuilder::new()
        .map_request(|req: Request<Incoming>| req.map(BodyExt::boxed_unsync))
        .layer(layer)
        .service(handler);
    let service = TowerToHyperService::new(service);
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
            .serve_connection(TokioIo::new(stream), service)
            .await
            .ok();
    });
    addr
}

#[tokio::test]
async fn plain_hyper_server_denies_with_every_challenge() {
    let layer = RequireAuthLayer::new(Authenticator::new().with(TestBasic::new()).with(BodyCheck))
        .body_limit(32);
    let addr = serve_once(layer).await;
    let response = RawRequest::get("/anything").send(addr).await.unwrap();
    assert_eq!(response.status, 401);
    assert_eq!(
        response.header_values("www-authenticate"),
        [
            &br#"Basic realm="testkit", charset="UTF-8""#[..],
            &br#"BodyCheck realm="testkit", qop="auth-int""#[..],
        ]
    );
    assert_eq!(response.body, b"Unauthorized\n");
}

#[tokio::test]
async fn plain_hyper_server_passes_identity_and_chunked_body() {
    let layer = RequireAuthLayer::new(Authenticator::new().with(TestBasic::new())).body_limit(8);
    let addr = serve_once(layer).await;
    let body = b"a body longer than the eight byte limit".to_vec();
    let response = RawRequest::post("/upload")
        .header("Authorization", basic("bob", "builder"))
        .body(body.clone())
        .chunked(5)
        .send(addr)
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(
        response.body,
        handler_body(Some(&Principal::new("bob")), &body)
    );
}
