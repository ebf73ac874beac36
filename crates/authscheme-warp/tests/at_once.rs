//! The decision the filters try first, from the method and the headers
//! alone (`Authenticator::authenticate_now_without_target`), agrees with
//! the one they take with the whole request: real Basic and Bearer schemes
//! behind a warp server on a loopback port, over HTTP/1.1 (warp's test
//! requests cannot carry two lines of one field).
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::Duration;

use authscheme::Authenticator;
use authscheme::registry::Principal;
use authscheme_basic::{BasicScheme, MemoryStore};
use authscheme_bearer::{BearerScheme, StaticTokens};
use authscheme_testkit::{RawRequest, basic};
use authscheme_warp::{
    Auth, RequestBody, authenticate, authenticate_optional, authenticate_optional_with_body,
    authenticate_with_body, recover,
};
use warp::{Filter, Rejection, Reply};

fn cached_basic() -> BasicScheme<MemoryStore> {
    let store = MemoryStore::with_cost(4).unwrap();
    store.insert("alice", "wonderland").unwrap();
    BasicScheme::new("r", store).with_cache(Duration::from_secs(300), 16)
}

async fn serve<F>(routes: F) -> SocketAddr
where
    F: Filter<Error = Rejection> + Clone + Send + Sync + 'static,
    F::Extract: Reply,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(warp::serve(routes).incoming(listener).run());
    addr
}

/// The status and body of a POST of `body` to `path` with one field line
/// `name: value` per entry of `lines`.
async fn post(
    addr: SocketAddr,
    path: &str,
    name: &str,
    lines: &[&str],
    body: &str,
) -> (u16, String) {
    let mut request = RawRequest::post(path).body(body.as_bytes().to_vec());
    for line in lines {
        request = request.header(name, *line);
    }
    let response = request.send(addr).await.unwrap();
    (
        response.status,
        String::from_utf8_lossy(&response.body).into_owned(),
    )
}

async fn named(user: Option<Auth<Principal>>, body: RequestBody) -> Result<String, Rejection> {
    let bytes = body.bytes().await.map_err(|_| warp::reject())?;
    let who = user.map_or("nobody".to_owned(), |u| u.name().to_owned());
    Ok(format!("{who} {}", String::from_utf8_lossy(&bytes)))
}

#[tokio::test]
async fn every_filter_answers_as_with_the_whole_request() {
    let auth = Authenticator::new().with(cached_basic());
    let routes = warp::path("required")
        .and(authenticate(auth.clone()))
        .map(|u: Auth<Principal>| format!("{} ", u.name()))
        .or(warp::path("optional")
            .and(authenticate_optional(auth.clone()))
            .map(|u: Option<Auth<Principal>>| {
                format!("{} ", u.map_or("nobody".into(), |u| u.name().to_owned()))
            }))
        .or(warp::path("limited")
            .and(authenticate_with_body(auth.clone(), 64))
            .and_then(|u: Auth<Principal>, body| named(Some(u), body)))
        .or(warp::path("unlimited")
            .and(authenticate_optional_with_body(auth.clone(), 0))
            .and_then(named))
        .recover(recover);
    let addr = serve(routes).await;
    let good = basic("alice", "wonderland");
    let wrong = basic("alice", "guess");
    let lower = good.replacen("Basic", "bAsIc", 1);
    // The first request verifies the password (bcrypt) and fills the
    // cache; the ones after it are decided from the headers alone.
    assert_eq!(
        post(addr, "/required", "authorization", &[&good], "")
            .await
            .0,
        200
    );
    for (path, lines, body, status, text) in [
        ("/required", vec![good.as_str()], "", 200, "alice "),
        ("/required", vec![lower.as_str()], "", 200, "alice "),
        ("/required", vec![good.as_str(), good.as_str()], "", 400, ""),
        ("/required", vec![wrong.as_str()], "", 401, ""),
        ("/required", vec![], "", 401, ""),
        ("/optional", vec![], "", 200, "nobody "),
        ("/optional", vec![good.as_str()], "", 200, "alice "),
        ("/optional", vec![wrong.as_str()], "", 401, ""),
        ("/optional", vec![good.as_str(), good.as_str()], "", 400, ""),
        ("/limited", vec![good.as_str()], "hello", 200, "alice hello"),
        ("/limited", vec![wrong.as_str()], "hello", 401, ""),
        (
            "/limited",
            vec![good.as_str(), good.as_str()],
            "hello",
            400,
            "",
        ),
        (
            "/unlimited",
            vec![good.as_str()],
            "hello",
            200,
            "alice hello",
        ),
        ("/unlimited", vec![], "hello", 200, "nobody hello"),
        (
            "/unlimited",
            vec![good.as_str(), good.as_str()],
            "hello",
            400,
            "",
        ),
        ("/elsewhere", vec![good.as_str()], "", 404, ""),
    ] {
        let (got, answer) = post(addr, path, "authorization", &lines, body).await;
        assert_eq!(got, status, "{path} {} lines", lines.len());
        if status == 200 {
            assert_eq!(answer, text, "{path}");
        }
    }
}

#[tokio::test]
async fn a_proxy_takes_only_proxy_authorization() {
    let auth = Authenticator::new().proxy().with(cached_basic());
    let routes = authenticate(auth)
        .map(|u: Auth<Principal>| u.name().to_owned())
        .recover(recover);
    let addr = serve(routes).await;
    let good = basic("alice", "wonderland");
    for _ in 0..2 {
        assert_eq!(
            post(addr, "/", "proxy-authorization", &[&good], "").await.0,
            200
        );
    }
    assert_eq!(post(addr, "/", "authorization", &[&good], "").await.0, 407);
    let twice = [good.as_str(), good.as_str()];
    assert_eq!(
        post(addr, "/", "proxy-authorization", &twice, "").await.0,
        400
    );
}

/// Bearer with form-body tokens decides at once only when no body could
/// hold a second token; a route's scopes hold on every path.
#[tokio::test]
async fn bearer_form_tokens_and_scopes_hold() {
    let tokens = StaticTokens::new().with_token("read-token", "alice", ["read"]);
    let bearer = BearerScheme::builder(tokens)
        .realm("r")
        .form_body(true)
        .build()
        .unwrap();
    let admin = bearer.clone().with_required_scopes(["admin"]).unwrap();
    let routes = warp::path("plain")
        .and(authenticate(Authenticator::new().with(bearer.clone())))
        .map(|u: Auth<Principal>| u.name().to_owned())
        .or(warp::path("body")
            .and(authenticate_with_body(
                Authenticator::new().with(bearer),
                1024,
            ))
            .map(|u: Auth<Principal>, _body: RequestBody| u.name().to_owned()))
        .or(warp::path("admin")
            .and(authenticate(Authenticator::new().with(admin)))
            .map(|u: Auth<Principal>| u.name().to_owned()))
        .recover(recover);
    let addr = serve(routes).await;
    let send = |path: &'static str, form: Option<&'static str>| {
        let mut request = RawRequest::post(path).header("authorization", "Bearer read-token");
        if let Some(form) = form {
            request = request
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form.as_bytes().to_vec());
        }
        async move { request.send(addr).await.unwrap().status }
    };
    assert_eq!(send("/plain", None).await, 200);
    assert_eq!(send("/body", Some("access_token=read-token")).await, 400);
    assert_eq!(send("/body", Some("x=1")).await, 200);
    assert_eq!(send("/admin", None).await, 403);
}
