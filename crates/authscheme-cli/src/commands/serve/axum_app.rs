//! The route table on axum.

use std::future::Future;

use authscheme_axum::{Auth, RequireAuthLayer};
use axum::Router;
use axum::extract::Request;
use axum::handler::Handler as _;
use axum::http::header::AUTHORIZATION;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;

use super::identity::User;
use super::log;
use super::routes::{BODY_LIMIT, ROUTES, Route, Site, drain, hello};

/// Serves `site` on `listener` until `shutdown` completes.
pub(crate) async fn serve(
    listener: std::net::TcpListener,
    site: Site,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    super::connections::serve(listener, app(&site), shutdown).await
}

fn app(site: &Site) -> Router {
    ROUTES
        .iter()
        .fold(Router::new(), |app, route| {
            app.merge(one_route(site, *route))
        })
        .layer(middleware::from_fn(log_refusals))
}

fn one_route(site: &Site, route: Route) -> Router {
    let Some(auth) = site.authenticator(route.guard) else {
        let site = site.clone();
        let handler = move || {
            let body = site.public_body(&route);
            async move { body }
        };
        return Router::new().route(route.path, get(handler));
    };
    let limit = if route.guard.buffers_body() {
        BODY_LIMIT
    } else {
        0
    };
    // The layer goes on each method's handler, not on the route, so that a
    // method the route does not serve is a 405 before any authentication.
    let guard = RequireAuthLayer::new(auth).body_limit(limit);
    let handler = move |Auth(user): Auth<User>, body: axum::body::Body| async move {
        drain(body.into_data_stream()).await;
        hello(&route, &user)
    };
    let mut method_router = get(handler.layer(guard.clone()));
    if route.post {
        method_router = method_router.post(handler.layer(guard));
    }
    Router::new().route(route.path, method_router)
}

async fn log_refusals(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let authorization = request.headers().get(AUTHORIZATION).cloned();
    let response = next.run(request).await;
    log::refused(
        &path,
        authorization.as_ref().map(|v| v.as_bytes()),
        response.status().as_u16(),
    );
    response
}
