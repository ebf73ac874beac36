//! The route table on warp.

use std::future::Future;

use authscheme_warp::{
    Auth, RequestBody, authenticate, authenticate_with_body, recover, with_auth_info,
};
use warp::filters::BoxedFilter;
use warp::http::Method;
use warp::reply::Response;
use warp::{Filter, Rejection, Reply};

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
    let logged = warp::log::custom(|info: warp::log::Info<'_>| {
        let authorization = info.request_headers().get("authorization");
        log::refused(
            info.path(),
            authorization.map(|v| v.as_bytes()),
            info.status().as_u16(),
        );
    });
    let app = warp::method()
        .and(routes(&site).recover(recover))
        .map(without_body_for_head)
        .with(logged);
    super::connections::serve(listener, warp::service(app), shutdown).await
}

/// The answer to a HEAD request without its content (RFC 9110 section
/// 9.3.2), its length still announced. hyper drops it on HTTP/1.1 but
/// sends it on HTTP/2, where that is a protocol error; axum and actix-web
/// drop it themselves.
fn without_body_for_head(method: Method, reply: impl Reply) -> Response {
    let mut response = reply.into_response();
    if method == Method::HEAD {
        let length = http_body::Body::size_hint(response.body()).exact();
        if let Some(length) = length
            && !response
                .headers()
                .contains_key(warp::http::header::CONTENT_LENGTH)
        {
            response
                .headers_mut()
                .insert(warp::http::header::CONTENT_LENGTH, length.into());
        }
        *response.body_mut() = Default::default();
    }
    response
}

/// Every route, tried in order. A route looks at its path first and
/// builds the rest of itself (boxed: routes differ in what they extract)
/// only on its own path, so a request pays a path comparison, not an
/// allocation, for each route listed before its own.
fn routes(site: &Site) -> impl Filter<Extract = (Response,), Error = Rejection> + Clone + use<> {
    // Naming every route here makes a new route in `ROUTES` a compile
    // error until it is served.
    let [root, open, basic, digest, bearer, any, admin] = ROUTES;
    debug_assert_eq!(root.path, "/");
    one_route(origin_root(), site, root)
        .or(one_route(segment(open), site, open))
        .unify()
        .or(one_route(segment(basic), site, basic))
        .unify()
        .or(one_route(segment(digest), site, digest))
        .unify()
        .or(one_route(segment(bearer), site, bearer))
        .unify()
        .or(one_route(segment(any), site, any))
        .unify()
        .or(one_route(segment(admin), site, admin))
        .unify()
}

/// The path `/`, in an origin-form request only: warp reads the empty
/// path of a CONNECT request's authority-form target (`host:port`) as
/// `/`, which axum and actix-web route nowhere (a 404).
fn origin_root() -> impl Filter<Extract = (), Error = Rejection> + Clone {
    warp::path::end()
        .and(warp::method())
        .and_then(|method: Method| async move {
            if method == Method::CONNECT {
                Err(warp::reject::not_found())
            } else {
                Ok(())
            }
        })
        .untuple_one()
}

/// The path of a route other than `/`, exactly: warp would also take
/// `/basic/`, which axum and actix-web answer with a 404.
fn segment(route: Route) -> impl Filter<Extract = (), Error = Rejection> + Clone {
    warp::path(route.path.trim_start_matches('/'))
        .and(warp::path::end())
        .and(warp::path::full())
        .and_then(move |full: warp::path::FullPath| async move {
            if full.as_str() == route.path {
                Ok(())
            } else {
                Err(warp::reject::not_found())
            }
        })
        .untuple_one()
}

fn one_route<P>(
    path: P,
    site: &Site,
    route: Route,
) -> impl Filter<Extract = (Response,), Error = Rejection> + Clone + use<P>
where
    P: Filter<Extract = (), Error = Rejection> + Clone + Send + Sync + 'static,
{
    path.and(on_path(site, route))
}

/// What a route does once its path matched: the method, then the guard;
/// a method the route does not serve is a 405 naming those it does.
fn on_path(site: &Site, route: Route) -> BoxedFilter<(Response,)> {
    served(site, route)
        .or(method_not_allowed(route))
        .unify()
        .boxed()
}

/// The methods a route serves: GET and HEAD (RFC 9110 section 9.1), and
/// POST where the table says so.
fn allows(route: Route, method: &Method) -> bool {
    *method == Method::GET || *method == Method::HEAD || (route.post && *method == Method::POST)
}

/// A 405 with `Allow` (RFC 9110 section 15.5.6) for a method the route
/// does not serve. warp's own 405 has no `Allow`. A served method is
/// passed over with a "not found", the weakest rejection, so that the
/// route's own answer (a 401, say) is the one that counts.
fn method_not_allowed(
    route: Route,
) -> impl Filter<Extract = (Response,), Error = Rejection> + Clone {
    warp::method().and_then(move |method: Method| async move {
        if allows(route, &method) {
            return Err(warp::reject::not_found());
        }
        let allow = if route.post {
            "GET, HEAD, POST"
        } else {
            "GET, HEAD"
        };
        let mut response = Response::default();
        *response.status_mut() = warp::http::StatusCode::METHOD_NOT_ALLOWED;
        response.headers_mut().insert(
            warp::http::header::ALLOW,
            warp::http::HeaderValue::from_static(allow),
        );
        Ok(response)
    })
}

/// The route once its method is one it serves.
fn served(site: &Site, route: Route) -> BoxedFilter<(Response,)> {
    let method = warp::method()
        .and_then(move |method: Method| async move {
            if allows(route, &method) {
                Ok(())
            } else {
                Err(warp::reject::not_found())
            }
        })
        .untuple_one()
        .boxed();
    let Some(auth) = site.authenticator(route.guard) else {
        let site = site.clone();
        return method
            .map(move || site.public_body(&route).into_response())
            .boxed();
    };
    // Every route that takes a body takes it through the guard, which
    // drops the body of a request it refuses; only Digest reads it first.
    if route.post || route.guard.buffers_body() {
        let limit = if route.guard.buffers_body() {
            BODY_LIMIT
        } else {
            0
        };
        method
            .and(authenticate_with_body(auth, limit))
            .then(move |user: Auth<User>, body: RequestBody| async move {
                drain(body.into_stream()).await;
                with_auth_info(hello(&route, user.identity()), &user).into_response()
            })
            .boxed()
    } else {
        method
            .and(authenticate(auth))
            .map(move |user: Auth<User>| {
                with_auth_info(hello(&route, user.identity()), &user).into_response()
            })
            .boxed()
    }
}
