//! The route table on warp.

use std::future::Future;

use authscheme_warp::{
    Auth, RequestBody, authenticate, authenticate_with_body, recover, with_auth_info,
};
use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::{Filter, Reply};

use super::identity::User;
use super::log;
use super::routes::{BODY_LIMIT, ROUTES, Route, Site, hello};

/// Serves `site` on `listener` until `shutdown` completes.
pub(crate) async fn serve(
    listener: std::net::TcpListener,
    site: Site,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let logged = warp::log::custom(|info: warp::log::Info<'_>| {
        let authorization = info.request_headers().get("authorization");
        log::refused(
            info.path(),
            authorization.map(|v| v.as_bytes()),
            info.status().as_u16(),
        );
    });
    let app = routes(&site).recover(recover).with(logged);
    warp::serve(app)
        .incoming(listener)
        .graceful(shutdown)
        .run()
        .await;
    Ok(())
}

fn routes(site: &Site) -> BoxedFilter<(Response,)> {
    let mut all = one_route(site, ROUTES[0]);
    for route in &ROUTES[1..] {
        all = all.or(one_route(site, *route)).unify().boxed();
    }
    all
}

fn one_route(site: &Site, route: Route) -> BoxedFilter<(Response,)> {
    let path = match route.path.trim_start_matches('/') {
        "" => warp::path::end().boxed(),
        segment => warp::path(segment).and(warp::path::end()).boxed(),
    };
    let method = if route.post {
        warp::get().or(warp::post()).unify().boxed()
    } else {
        warp::get().boxed()
    };
    let base = path.and(method);
    let Some(auth) = site.authenticator(route.guard) else {
        let site = site.clone();
        return base
            .map(move || site.public_body(&route).into_response())
            .boxed();
    };
    if route.guard.buffers_body() {
        base.and(authenticate_with_body(auth, BODY_LIMIT))
            .map(move |user: Auth<User>, _body: RequestBody| {
                with_auth_info(hello(&route, user.identity()), &user).into_response()
            })
            .boxed()
    } else {
        base.and(authenticate(auth))
            .map(move |user: Auth<User>| {
                with_auth_info(hello(&route, user.identity()), &user).into_response()
            })
            .boxed()
    }
}
