//! Serves a testkit [`Scenario`] with warp and the `authscheme-warp`
//! filters: one path per route, any method, the testkit's handler, and
//! `recover` at the end.

use std::io;

use authscheme_testkit::{Principal, RunningServer, Scenario, handler_body};
use authscheme_warp::{
    Auth, RequestBody, authenticate, authenticate_optional, authenticate_optional_with_body,
    authenticate_with_body, recover, with_auth_info,
};
use bytes::Bytes;
use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::{Filter, Rejection, Reply};

/// The testkit's answer, with the outcome's `Authentication-Info`.
fn respond(user: Option<&Auth<Principal>>, body: &[u8]) -> Response {
    let reply = Response::new(handler_body(user.map(|u| u.identity()), body).into());
    match user {
        Some(user) => with_auth_info(reply, user).into_response(),
        None => reply,
    }
}

async fn read_all(body: RequestBody) -> Result<Bytes, Rejection> {
    body.bytes().await.map_err(|_| warp::reject())
}

/// The handler behind one route, with the filter its mode calls for.
fn protected(route: &authscheme_testkit::Route) -> BoxedFilter<(Response,)> {
    let auth = route.authenticator.clone();
    match (route.optional, route.body_limit) {
        (false, None) => authenticate(auth)
            .and(warp::body::bytes())
            .map(|user: Auth<Principal>, body: Bytes| respond(Some(&user), &body))
            .boxed(),
        (true, None) => authenticate_optional(auth)
            .and(warp::body::bytes())
            .map(|user: Option<Auth<Principal>>, body: Bytes| respond(user.as_ref(), &body))
            .boxed(),
        (false, Some(limit)) => authenticate_with_body(auth, limit)
            .and_then(|user: Auth<Principal>, body: RequestBody| async move {
                Ok::<_, Rejection>(respond(Some(&user), &read_all(body).await?))
            })
            .boxed(),
        (true, Some(limit)) => authenticate_optional_with_body(auth, limit)
            .and_then(
                |user: Option<Auth<Principal>>, body: RequestBody| async move {
                    Ok::<_, Rejection>(respond(user.as_ref(), &read_all(body).await?))
                },
            )
            .boxed(),
    }
}

/// Starts a warp server on a free loopback port in the current runtime;
/// dropping the handle stops it.
pub(crate) async fn start_warp(scenario: Scenario) -> io::Result<RunningServer> {
    let mut routes: Option<BoxedFilter<(Response,)>> = None;
    for route in scenario.routes() {
        let segment = route.path.trim_start_matches('/');
        let one = warp::path(segment)
            .and(warp::path::end())
            .and(protected(route))
            .boxed();
        routes = Some(match routes {
            None => one,
            Some(all) => all.or(one).unify().boxed(),
        });
    }
    let routes = routes.ok_or_else(|| io::Error::other("empty scenario"))?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(
        warp::serve(routes.recover(recover))
            .incoming(listener)
            .graceful(async {
                let _ = stopped.await;
            })
            .run(),
    );
    Ok(RunningServer::new(addr, move || {
        let _ = stop.send(());
    }))
}
