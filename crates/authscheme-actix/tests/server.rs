//! The actix-web adapter against a real server on a loopback port, spoken
//! to over raw HTTP/1.1 so every header line is seen as sent.
#![allow(clippy::unwrap_used)]

mod support;

use std::net::SocketAddr;
use std::sync::{OnceLock, mpsc};

use actix_web::{App, HttpServer, web};
use authscheme::Authenticator;
use authscheme::registry::Principal;
use authscheme_actix::{Auth, Authentication, OptionalAuth};
use support::*;

const BASIC_CHALLENGE: &str = r#"Basic realm="Test zone", charset="UTF-8""#;
const TOKEN_CHALLENGE: &str = r#"Token realm="Test zone""#;

async fn whoami(user: Auth<Principal>) -> String {
    format!("{} via {}", user.name(), user.authenticated().scheme())
}

async fn maybe(user: OptionalAuth<Principal>) -> String {
    user.identity().map_or("anonymous", |p| p.name()).to_owned()
}

async fn echo(user: Auth<Principal>, body: web::Bytes) -> String {
    format!("{}:{}", user.name(), String::from_utf8_lossy(&body))
}

fn basic_and_token() -> Authenticator<Principal> {
    Authenticator::new().with(FixedBasic).with(InfoToken)
}

fn app() -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .service(
            web::resource("/basic")
                .wrap(Authentication::new(basic_and_token()))
                .route(web::get().to(whoami)),
        )
        .service(
            web::resource("/proxy")
                .wrap(Authentication::new(basic_and_token().proxy()))
                .route(web::get().to(whoami)),
        )
        .service(
            web::resource("/optional")
                .wrap(Authentication::new(basic_and_token()).optional())
                .route(web::get().to(maybe)),
        )
        .service(
            web::scope("/deferred")
                .wrap(Authentication::new(basic_and_token()).deferred())
                .route("/strict", web::get().to(whoami))
                .route("/open", web::get().to(maybe)),
        )
        .service(
            web::resource("/echo")
                .wrap(Authentication::new(basic_and_token()))
                .route(web::post().to(echo)),
        )
        .service(
            web::resource("/sig")
                .wrap(
                    Authentication::new(Authenticator::new().with(BodyLength).with(FixedBasic))
                        .body_limit(16),
                )
                .route(web::post().to(echo)),
        )
        .route("/unconfigured", web::get().to(whoami))
}

/// One server for the whole file, on a free loopback port, one worker.
fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(app)
                    .workers(1)
                    .disable_signals()
                    .bind(("127.0.0.1", 0))
                    .unwrap();
                tx.send(server.addrs()[0]).unwrap();
                server.run().await.unwrap();
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
fn scheme_names_are_case_insensitive() {
    let res = get(
        server(),
        "/basic",
        &["Authorization: bAsIc YWxpY2U6c2VjcmV0"],
    );
    assert_eq!(res.status, 200);
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

    // Origin credentials do not satisfy a proxy.
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
fn optional_mode_lets_anonymous_requests_through() {
    let res = get(server(), "/optional", &[]);
    assert_eq!((res.status, res.body.as_str()), (200, "anonymous"));

    let res = get(server(), "/optional", &[&format!("Authorization: {ALICE}")]);
    assert_eq!((res.status, res.body.as_str()), (200, "alice"));

    // Credentials that are sent must still be good.
    let res = get(server(), "/optional", &[&format!("Authorization: {WRONG}")]);
    assert_eq!(res.status, 401);
    assert_eq!(
        res.all("www-authenticate"),
        [BASIC_CHALLENGE, TOKEN_CHALLENGE]
    );
}

#[test]
fn deferred_mode_lets_each_extractor_decide() {
    let res = get(server(), "/deferred/open", &[]);
    assert_eq!((res.status, res.body.as_str()), (200, "anonymous"));

    let res = get(
        server(),
        "/deferred/open",
        &[&format!("Authorization: {WRONG}")],
    );
    assert_eq!(res.status, 401);
    assert_eq!(
        res.all("www-authenticate"),
        [BASIC_CHALLENGE, TOKEN_CHALLENGE]
    );

    let res = get(server(), "/deferred/strict", &[]);
    assert_eq!(res.status, 401);
    assert_eq!(
        res.all("www-authenticate"),
        [BASIC_CHALLENGE, TOKEN_CHALLENGE]
    );
    assert_eq!(res.body, "Unauthorized\n");

    let res = get(
        server(),
        "/deferred/strict",
        &[&format!("Authorization: {TOKEN}")],
    );
    assert_eq!((res.status, res.body.as_str()), (200, "robot via Token"));
    assert_eq!(
        res.all("authentication-info"),
        [r#"nextnonce="n1", rspauth=ok"#]
    );
}

#[test]
fn extractor_without_middleware_is_a_server_error() {
    let res = get(
        server(),
        "/unconfigured",
        &[&format!("Authorization: {ALICE}")],
    );
    assert_eq!(res.status, 500);
}

#[test]
fn handler_reads_the_body_without_buffering() {
    let body = b"hello world";
    let head = format!(
        "POST /echo HTTP/1.1\r\nAuthorization: {ALICE}\r\nContent-Length: {}",
        body.len()
    );
    let res = send(server(), &head, body);
    assert_eq!((res.status, res.body.as_str()), (200, "alice:hello world"));
}

#[test]
fn body_within_the_limit_reaches_the_scheme_and_the_handler() {
    let head = "POST /sig HTTP/1.1\r\nAuthorization: Sig len=5\r\nContent-Length: 5";
    let res = send(server(), head, b"hello");
    assert_eq!((res.status, res.body.as_str()), (200, "signer:hello"));

    // Chunked, no Content-Length: still buffered when it fits.
    let head = "POST /sig HTTP/1.1\r\nAuthorization: Sig len=8\r\nTransfer-Encoding: chunked";
    let res = send(server(), head, b"4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n");
    assert_eq!((res.status, res.body.as_str()), (200, "signer:abcdefgh"));
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

    // Another scheme on the same route still lets the handler read it all.
    let head = format!(
        "POST /sig HTTP/1.1\r\nAuthorization: {ALICE}\r\nContent-Length: {}",
        big.len()
    );
    let res = send(server(), &head, big.as_bytes());
    assert_eq!((res.status, res.body), (200, format!("alice:{big}")));
}

#[test]
fn chunked_body_beyond_the_limit_is_replayed_whole_for_the_handler() {
    let head =
        format!("POST /sig HTTP/1.1\r\nAuthorization: {ALICE}\r\nTransfer-Encoding: chunked");
    let chunks = b"a\r\n0123456789\r\na\r\nabcdefghij\r\n5\r\nKLMNO\r\n0\r\n\r\n";
    let res = send(server(), &head, chunks);
    assert_eq!(
        (res.status, res.body.as_str()),
        (200, "alice:0123456789abcdefghijKLMNO")
    );
}

#[test]
fn empty_body_counts_as_buffered() {
    let res = get(server(), "/sig", &[]);
    // GET is not routed on /sig, but the middleware answers first.
    assert_eq!(res.status, 401);
    assert_eq!(
        res.all("www-authenticate"),
        ["Sig body=yes", BASIC_CHALLENGE]
    );
}
