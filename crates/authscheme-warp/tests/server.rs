//! The warp adapter against a real server on a loopback port, spoken to over
//! raw HTTP/1.1 so every header line is seen as sent.
#![allow(clippy::unwrap_used)]

// The same test schemes and raw client as the actix-web adapter's tests.
#[path = "../../authscheme-actix/tests/support/mod.rs"]
mod support;

use std::net::SocketAddr;
use std::sync::{OnceLock, mpsc};

use authscheme::Authenticator;
use authscheme::registry::Principal;
use authscheme_warp::{
    Auth, RequestBody, authenticate, authenticate_optional, authenticate_optional_with_body,
    authenticate_with_body, recover, with_auth_info,
};
use support::*;
use warp::{Filter, Reply};

const BASIC_CHALLENGE: &str = r#"Basic realm="Test zone", charset="UTF-8""#;
const TOKEN_CHALLENGE: &str = r#"Token realm="Test zone""#;

fn basic_and_token() -> Authenticator<Principal> {
    Authenticator::new().with(FixedBasic).with(InfoToken)
}

fn whoami(user: Auth<Principal>) -> impl Reply {
    let text = format!("{} via {}", user.name(), user.authenticated().scheme());
    with_auth_info(text, &user)
}

/// `user:buffered:body` or `user:streamed:body`: who got in, whether the
/// schemes saw the body, and the body as the handler reads it.
async fn user_and_body(
    user: Auth<Principal>,
    body: RequestBody,
) -> Result<String, warp::Rejection> {
    let complete = body.complete().is_some();
    let bytes = body.bytes().await.map_err(|_| warp::reject())?;
    Ok(format!(
        "{}:{}:{}",
        user.name(),
        if complete { "buffered" } else { "streamed" },
        String::from_utf8_lossy(&bytes)
    ))
}

fn routes() -> impl Filter<Extract = (impl Reply,), Error = warp::Rejection> + Clone {
    let basic = warp::path!("basic")
        .and(authenticate(basic_and_token()))
        .map(whoami);
    let proxy = warp::path!("proxy")
        .and(authenticate(basic_and_token().proxy()))
        .map(whoami);
    let optional = warp::path!("optional")
        .and(authenticate_optional(basic_and_token()))
        .map(|user: Option<Auth<Principal>>| {
            user.as_ref().map_or("anonymous", |p| p.name()).to_owned()
        });
    let echo = warp::path!("echo")
        .and(warp::post())
        .and(authenticate(basic_and_token()))
        .and(warp::body::bytes())
        .map(|user: Auth<Principal>, body: bytes::Bytes| {
            format!("{}:{}", user.name(), String::from_utf8_lossy(&body))
        });
    let sig = warp::path!("sig")
        .and(warp::post())
        .and(authenticate_with_body(
            Authenticator::new().with(BodyLength).with(FixedBasic),
            16,
        ))
        .and_then(user_and_body);
    // A real Basic scheme with its cache: from the second request on it
    // accepts at once, and the filter decides without a future of its own.
    let cached = {
        let store = authscheme_basic::MemoryStore::with_cost(4).unwrap();
        store.insert("alice", "secret").unwrap();
        let scheme = authscheme_basic::BasicScheme::new("Test zone", store)
            .with_cache(std::time::Duration::from_secs(60), 16);
        Authenticator::new().with(scheme)
    };
    let unread = warp::path!("unread")
        .and(warp::post())
        .and(authenticate_with_body(cached.clone(), 0))
        .and_then(user_and_body);
    let unread_optional = warp::path!("unread-optional")
        .and(warp::post())
        .and(authenticate_optional_with_body(cached, 0))
        .and_then(
            |user: Option<Auth<Principal>>, body: RequestBody| async move {
                match user {
                    Some(user) => user_and_body(user, body).await,
                    None => {
                        let bytes = body.bytes().await.map_err(|_| warp::reject())?;
                        Ok(format!("anonymous:{}", String::from_utf8_lossy(&bytes)))
                    }
                }
            },
        );
    let open = warp::path!("open").map(|| "open");
    basic
        .boxed()
        .or(proxy)
        .or(optional)
        .or(echo)
        .or(sig)
        .or(unread)
        .or(unread_optional)
        .or(open)
        .recover(recover)
}

/// One server for the whole file, on a free loopback port.
fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                warp::serve(routes()).incoming(listener).run().await;
            });
        });
        rx.recv().unwrap()
    })
}

#[test]
fn missing_credentials_get_401_with_each_challenge_on_its_own_line() {
    let res = get(server(), "/basic", &[]);
    assert_eq!(res.status, 401);
    assert_eq!(
        res.all("www-authenticate"),
        [BASIC_CHALLENGE, TOKEN_CHALLENGE]
    );
    assert_eq!(res.first("content-type"), Some("text/plain; charset=utf-8"));
    assert_eq!(res.body, "Unauthorized\n");
}

#[test]
fn wrong_password_gets_401_with_every_challenge() {
    let res = get(server(), "/basic", &[&format!("Authorization: {WRONG}")]);
    assert_eq!(res.status, 401);
    assert_eq!(
        res.all("www-authenticate"),
        [BASIC_CHALLENGE, TOKEN_CHALLENGE]
    );
}

#[test]
fn unknown_scheme_gets_401() {
    let res = get(server(), "/basic", &["Authorization: Negotiate abc"]);
    assert_eq!(res.status, 401);
    assert_eq!(res.all("www-authenticate").len(), 2);
}

#[test]
fn good_credentials_reach_the_handler_with_the_identity() {
    let res = get(server(), "/basic", &[&format!("Authorization: {ALICE}")]);
    assert_eq!(res.status, 200);
    assert_eq!(res.body, "alice via Basic");
    assert!(res.all("www-authenticate").is_empty());
    assert!(res.all("authentication-info").is_empty());
}

#[test]
fn authentication_info_is_added_on_success() {
    let res = get(server(), "/basic", &[&format!("Authorization: {TOKEN}")]);
    assert_eq!(res.status, 200);
    assert_eq!(res.body, "robot via Token");
    assert_eq!(
        res.all("authentication-info"),
        [r#"nextnonce="n1", rspauth=ok"#]
    );
}

#[test]
fn unparsable_authorization_gets_400_with_every_challenge() {
    let res = get(
        server(),
        "/basic",
        &[r#"Authorization: Basic realm="unterminated"#],
    );
    assert_eq!(res.status, 400);
    assert_eq!(
        res.all("www-authenticate"),
        [BASIC_CHALLENGE, TOKEN_CHALLENGE]
    );
    assert_eq!(res.body, "Bad Request: malformed credentials\n");
}

#[test]
fn credentials_malformed_for_the_scheme_get_400_with_its_challenge() {
    let res = get(server(), "/basic", &["Authorization: Basic user=alice"]);
    assert_eq!(res.status, 400);
    assert_eq!(res.all("www-authenticate"), [BASIC_CHALLENGE]);
}

#[test]
fn two_authorization_lines_get_400() {
    let res = get(
        server(),
        "/basic",
        &[
            &format!("Authorization: {ALICE}"),
            &format!("Authorization: {ALICE}"),
        ],
    );
    assert_eq!(res.status, 400);
}

#[test]
fn proxy_mode_answers_407_with_proxy_authenticate() {
    let res = get(server(), "/proxy", &[]);
    assert_eq!(res.status, 407);
    assert_eq!(
        res.all("proxy-authenticate"),
        [BASIC_CHALLENGE, TOKEN_CHALLENGE]
    );
    assert!(res.all("www-authenticate").is_empty());
    assert_eq!(res.body, "Proxy Authentication Required\n");

    let res = get(server(), "/proxy", &[&format!("Authorization: {ALICE}")]);
    assert_eq!(res.status, 407);

    let res = get(
        server(),
        "/proxy",
        &[&format!("Proxy-Authorization: {TOKEN}")],
    );
    assert_eq!(res.status, 200);
    assert_eq!(
        res.all("proxy-authentication-info"),
        [r#"nextnonce="n1", rspauth=ok"#]
    );
    assert!(res.all("authentication-info").is_empty());
}

#[test]
fn optional_filter_lets_anonymous_requests_through() {
    let res = get(server(), "/optional", &[]);
    assert_eq!((res.status, res.body.as_str()), (200, "anonymous"));

    let res = get(server(), "/optional", &[&format!("Authorization: {ALICE}")]);
    assert_eq!((res.status, res.body.as_str()), (200, "alice"));

    let res = get(server(), "/optional", &[&format!("Authorization: {WRONG}")]);
    assert_eq!(res.status, 401);
    assert_eq!(
        res.all("www-authenticate"),
        [BASIC_CHALLENGE, TOKEN_CHALLENGE]
    );
}

#[test]
fn other_rejections_are_left_to_warp() {
    assert_eq!(get(server(), "/nowhere", &[]).status, 404);
    assert_eq!(get(server(), "/open", &[]).status, 200);
}

#[test]
fn handler_reads_the_body_after_authentication() {
    let body = b"hello world";
    let head = format!(
        "POST /echo HTTP/1.1\r\nAuthorization: {ALICE}\r\nContent-Length: {}",
        body.len()
    );
    let res = send(server(), &head, body);
    assert_eq!((res.status, res.body.as_str()), (200, "alice:hello world"));
}

#[test]
fn a_body_not_read_for_the_schemes_reaches_the_handler_whole() {
    // The first request fills the Basic cache (the scheme's asynchronous
    // path), the second is accepted at once (the filter's synchronous
    // path): the handler gets the same body either way.
    for route in ["/unread", "/unread-optional"] {
        let head = format!("POST {route} HTTP/1.1\r\nAuthorization: {ALICE}\r\nContent-Length: 11");
        for _ in 0..2 {
            let res = send(server(), &head, b"hello world");
            assert_eq!(
                (res.status, res.body.as_str()),
                (200, "alice:streamed:hello world"),
                "{route}"
            );
        }
        let head = format!(
            "POST {route} HTTP/1.1\r\nAuthorization: {ALICE}\r\nTransfer-Encoding: chunked"
        );
        let res = send(server(), &head, b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assert_eq!(
            (res.status, res.body.as_str()),
            (200, "alice:streamed:hello world"),
            "{route}, chunked"
        );
    }
    // Optional, without credentials: through with the body whole.
    let res = send(
        server(),
        "POST /unread-optional HTTP/1.1\r\nContent-Length: 5",
        b"hello",
    );
    assert_eq!((res.status, res.body.as_str()), (200, "anonymous:hello"));
}

#[test]
fn body_within_the_limit_reaches_the_scheme_and_the_handler() {
    let head = "POST /sig HTTP/1.1\r\nAuthorization: Sig len=5\r\nContent-Length: 5";
    let res = send(server(), head, b"hello");
    assert_eq!(
        (res.status, res.body.as_str()),
        (200, "signer:buffered:hello")
    );

    let head = "POST /sig HTTP/1.1\r\nAuthorization: Sig len=8\r\nTransfer-Encoding: chunked";
    let res = send(server(), head, b"4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n");
    assert_eq!(
        (res.status, res.body.as_str()),
        (200, "signer:buffered:abcdefgh")
    );
}

#[test]
fn body_beyond_the_limit_is_not_offered_and_stays_whole() {
    let big = "x".repeat(32);
    let head = format!(
        "POST /sig HTTP/1.1\r\nAuthorization: Sig len=32\r\nContent-Length: {}",
        big.len()
    );
    let res = send(server(), &head, big.as_bytes());
    assert_eq!(res.status, 401);
    assert_eq!(res.all("www-authenticate")[0], "Sig body=no");

    let head = format!(
        "POST /sig HTTP/1.1\r\nAuthorization: {ALICE}\r\nContent-Length: {}",
        big.len()
    );
    let res = send(server(), &head, big.as_bytes());
    assert_eq!(
        (res.status, res.body),
        (200, format!("alice:streamed:{big}"))
    );
}

#[test]
fn chunked_body_beyond_the_limit_is_replayed_whole_for_the_handler() {
    let head =
        format!("POST /sig HTTP/1.1\r\nAuthorization: {ALICE}\r\nTransfer-Encoding: chunked");
    let chunks = b"a\r\n0123456789\r\na\r\nabcdefghij\r\n5\r\nKLMNO\r\n0\r\n\r\n";
    let res = send(server(), &head, chunks);
    assert_eq!(
        (res.status, res.body.as_str()),
        (200, "alice:streamed:0123456789abcdefghijKLMNO")
    );
}
