//! The route table on actix-web.

use std::num::NonZeroUsize;

use actix_web::dev::Service as _;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{App, HttpServer, guard, web};
use authscheme_actix::{Auth, Authentication};

use super::identity::User;
use super::log;
use super::routes::{BODY_LIMIT, ROUTES, Route, Site, drain, hello};

/// How long in-flight requests may take to finish after Ctrl-C or SIGTERM.
const SHUTDOWN_SECONDS: u64 = 5;

/// Serves `site` on `listener` with `workers` threads until Ctrl-C or
/// SIGTERM (actix-web handles both itself).
pub(crate) fn serve(
    listener: std::net::TcpListener,
    site: Site,
    workers: NonZeroUsize,
) -> std::io::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(move || {
            App::new()
                .configure(|cfg| configure(cfg, &site))
                .wrap_fn(|request, service| {
                    let path = request.path().to_owned();
                    let authorization = request.headers().get(AUTHORIZATION).cloned();
                    let response = service.call(request);
                    async move {
                        let response = response.await?;
                        log::refused(
                            &path,
                            authorization.as_ref().map(|v| v.as_bytes()),
                            response.status().as_u16(),
                        );
                        Ok(response)
                    }
                })
        })
        .workers(workers.get())
        .shutdown_timeout(SHUTDOWN_SECONDS)
        .listen(listener)?
        .run()
        .await
    })
}

fn configure(cfg: &mut web::ServiceConfig, site: &Site) {
    for route in ROUTES {
        one_route(cfg, site, route);
    }
}

/// One route. A GET route serves HEAD too (RFC 9110 section 9.1), as
/// axum's and warp's do. The path must match as sent: actix-web routes on
/// the percent-decoded path, the other two on the path itself, and every
/// framework answers `/%64igest` the same way, with a 404.
fn one_route(cfg: &mut web::ServiceConfig, site: &Site, route: Route) {
    let resource = || {
        web::resource(route.path).guard(guard::fn_guard(move |ctx| {
            ctx.head().uri.path() == route.path
        }))
    };
    let Some(auth) = site.authenticator(route.guard) else {
        let site = site.clone();
        let handler = move || {
            let body = site.public_body(&route);
            async move { body }
        };
        cfg.service(
            resource()
                .route(web::get().to(handler.clone()))
                .route(web::head().to(handler)),
        );
        return;
    };
    let handler = move |user: Auth<User>, body: actix_web::web::Payload| async move {
        drain(body).await;
        hello(&route, user.identity())
    };
    let mut guard = Authentication::new(auth);
    if route.guard.buffers_body() {
        guard = guard.body_limit(BODY_LIMIT);
    }
    // The middleware goes on each method's route, not on the resource, so
    // that a method the resource does not serve is a 405 before any
    // authentication.
    let mut resource = resource()
        .route(web::get().to(handler).wrap(guard.clone()))
        .route(web::head().to(handler).wrap(guard.clone()));
    if route.post {
        resource = resource.route(web::post().to(handler).wrap(guard));
    }
    cfg.service(resource);
}
