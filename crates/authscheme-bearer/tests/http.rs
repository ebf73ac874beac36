//! Status and challenge of every RFC 6750 error case, through a real HTTP
//! server (hyper 1 on 127.0.0.1:0 running `authscheme::Authenticator` with
//! the bearer scheme) and a raw HTTP/1.1 client over TCP.

#![allow(clippy::unwrap_used, missing_docs)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use authscheme::registry::Principal;
use authscheme::{AuthRequest, Authenticator, Outcome};
use authscheme_bearer::BearerScheme;
use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
use authscheme_testkit::RawResponse;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Long enough for every HMAC algorithm (64 bytes, HS512's hash size).
const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const ISSUER: &str = "https://issuer.example";
const AUDIENCE: &str = "api";

fn validator() -> JwtValidator {
    JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .key(JwtKey::secret(SECRET))
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .build()
        .unwrap()
}

/// `/admin` needs the `admin` scope; every other path any good token.
struct Routes {
    open: Authenticator<Principal>,
    admin: Authenticator<Principal>,
}

fn routes() -> Routes {
    let scheme = BearerScheme::builder(validator())
        .realm("example")
        .query_parameter(true)
        .form_body(true)
        .build()
        .unwrap();
    let admin = scheme.clone().with_required_scopes(["admin"]).unwrap();
    Routes {
        open: Authenticator::new().with(scheme),
        admin: Authenticator::new().with(admin),
    }
}

async fn handle(
    routes: &'static Routes,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let target = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let auth = if parts.uri.path() == "/admin" {
        &routes.admin
    } else {
        &routes.open
    };
    let request = AuthRequest::new(parts.method.as_str(), &target, &parts.headers).with_body(&body);
    let response = match auth.authenticate(&request).await {
        Outcome::Authenticated(ok) => Response::new(Full::new(Bytes::from(format!(
            "hello {}\n",
            ok.authenticated().identity().name()
        )))),
        Outcome::Denied(denial) => {
            let mut res = Response::new(Full::new(Bytes::from_static(denial.body().as_bytes())));
            *res.status_mut() = denial.status();
            for (name, value) in denial.headers() {
                res.headers_mut().append(name, value);
            }
            res
        }
        _ => unreachable!("Outcome has two variants today"),
    };
    Ok(response)
}

async fn start_server() -> SocketAddr {
    let routes: &'static Routes = Box::leak(Box::new(routes()));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let service = service_fn(move |req| handle(routes, req));
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

struct Reply {
    status: u16,
    challenges: Vec<String>,
    body: String,
}

/// Sends one request with `Connection: close` and reads the whole reply.
async fn send(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        req.push_str(&format!("{name}: {value}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let reply = RawResponse::parse(&raw).unwrap();
    Reply {
        status: reply.status,
        challenges: reply
            .header_values("www-authenticate")
            .into_iter()
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .collect(),
        body: String::from_utf8_lossy(&reply.body).into_owned(),
    }
}

async fn get_with_token(addr: SocketAddr, path: &str, token: &str) -> Reply {
    let value = format!("Bearer {token}");
    send(addr, "GET", path, &[("Authorization", &value)], "").await
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn good() -> TokenMint {
    TokenMint::new("alice")
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .scope("read")
}

fn sign(mint: TokenMint) -> String {
    mint.sign(Algorithm::HS256, &SigningKey::secret(SECRET))
        .unwrap()
}

fn invalid_token(description: &str) -> String {
    format!(r#"Bearer realm="example", error="invalid_token", error_description="{description}""#)
}

#[tokio::test]
async fn no_credentials_get_the_plain_challenge() {
    let addr = start_server().await;
    let reply = send(addr, "GET", "/resource", &[], "").await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.challenges, [r#"Bearer realm="example""#]);
}

#[tokio::test]
async fn a_good_token_passes_by_header_query_and_form() {
    let addr = start_server().await;
    let token = sign(good());
    let reply = get_with_token(addr, "/resource", &token).await;
    assert_eq!((reply.status, reply.body.as_str()), (200, "hello alice\n"));

    let reply = get_with_token(addr, "/resource", &token.to_ascii_lowercase()).await;
    assert_eq!(reply.status, 401, "a token is case-sensitive");

    let lower = format!("bEaReR {token}");
    let reply = send(addr, "GET", "/resource", &[("Authorization", &lower)], "").await;
    assert_eq!(reply.status, 200, "the scheme name is case-insensitive");

    let reply = send(
        addr,
        "GET",
        &format!("/resource?access_token={token}"),
        &[],
        "",
    )
    .await;
    assert_eq!(reply.status, 200);

    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let reply = send(
        addr,
        "POST",
        "/resource",
        &form,
        &format!("access_token={token}"),
    )
    .await;
    assert_eq!(reply.status, 200);

    // RFC 6750 section 2.2: never from the body of a GET.
    let reply = send(
        addr,
        "GET",
        "/resource",
        &form,
        &format!("access_token={token}"),
    )
    .await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.challenges, [r#"Bearer realm="example""#]);
}

#[tokio::test]
async fn expired_token_is_invalid_token() {
    let addr = start_server().await;
    let token = sign(good().expires_at(now() - 3600));
    let reply = get_with_token(addr, "/resource", &token).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.challenges,
        [invalid_token("The access token expired")]
    );
}

#[tokio::test]
async fn not_yet_valid_token_is_invalid_token() {
    let addr = start_server().await;
    let token = sign(good().not_before(now() + 3600).expires_at(now() + 7200));
    let reply = get_with_token(addr, "/resource", &token).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.challenges,
        [invalid_token("The access token is not valid yet")]
    );
}

#[tokio::test]
async fn wrong_audience_is_invalid_token() {
    let addr = start_server().await;
    let token = sign(TokenMint::new("alice").issuer(ISSUER).audience("other-api"));
    let reply = get_with_token(addr, "/resource", &token).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.challenges,
        [invalid_token("The access token audience is not accepted")]
    );
}

#[tokio::test]
async fn wrong_issuer_is_invalid_token() {
    let addr = start_server().await;
    let token = sign(
        TokenMint::new("alice")
            .issuer("https://evil.example")
            .audience(AUDIENCE),
    );
    let reply = get_with_token(addr, "/resource", &token).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.challenges,
        [invalid_token("The access token issuer is not accepted")]
    );
}

#[tokio::test]
async fn wrong_algorithm_is_invalid_token() {
    let addr = start_server().await;
    // Same secret, but HS512 is not on the allow-list.
    let token = good()
        .sign(Algorithm::HS512, &SigningKey::secret(SECRET))
        .unwrap();
    let reply = get_with_token(addr, "/resource", &token).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.challenges,
        [invalid_token("The access token algorithm is not accepted")]
    );

    // An unsigned token: {"alg":"none"}.
    let signed = sign(good());
    let payload = signed.split('.').nth(1).unwrap();
    let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
    let reply = get_with_token(addr, "/resource", &none).await;
    assert_eq!(reply.status, 401);
    assert!(reply.challenges[0].contains(r#"error="invalid_token""#));
}

#[tokio::test]
async fn tampered_token_is_invalid_token() {
    let addr = start_server().await;
    let token = sign(good());
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    // Re-sign nothing: swap in claims naming another subject with admin scope.
    let forged = sign(
        TokenMint::new("mallory")
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .scope("admin"),
    );
    parts[1] = forged.split('.').nth(1).unwrap().to_owned();
    let tampered = parts.join(".");
    let reply = get_with_token(addr, "/admin", &tampered).await;
    assert_eq!(reply.status, 401);
    // /admin requires `admin`: its challenges say so (RFC 6750 section 3).
    assert_eq!(
        reply.challenges,
        [
            r#"Bearer realm="example", scope="admin", error="invalid_token", error_description="The access token signature is invalid""#
        ]
    );

    let mut flipped = token.into_bytes();
    let last = flipped.len() - 2;
    flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
    let reply = get_with_token(addr, "/resource", std::str::from_utf8(&flipped).unwrap()).await;
    assert_eq!(reply.status, 401);
    assert!(reply.challenges[0].contains(r#"error="invalid_token""#));
}

#[tokio::test]
async fn missing_scope_is_insufficient_scope_with_the_route_scope() {
    let addr = start_server().await;
    let reply = get_with_token(addr, "/admin", &sign(good())).await;
    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.challenges,
        [
            r#"Bearer realm="example", scope="admin", error="insufficient_scope", error_description="The access token lacks a required scope""#
        ]
    );
    let reply = get_with_token(addr, "/admin", &sign(good().scope("read admin"))).await;
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn a_token_in_two_places_is_invalid_request() {
    let addr = start_server().await;
    let token = sign(good());
    let bad_request = r#"Bearer realm="example", error="invalid_request", error_description="The access token was sent in more than one way""#;

    let value = format!("Bearer {token}");
    let target = format!("/resource?access_token={token}");
    let reply = send(addr, "GET", &target, &[("Authorization", &value)], "").await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.challenges, [bad_request]);

    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let reply = send(
        addr,
        "POST",
        &target,
        &form,
        &format!("access_token={token}"),
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.challenges, [bad_request]);

    let headers = [form[0], ("Authorization", value.as_str())];
    let reply = send(
        addr,
        "POST",
        "/resource",
        &headers,
        &format!("access_token={token}"),
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.challenges, [bad_request]);

    let twice = format!("/resource?access_token={token}&access_token={token}");
    let reply = send(addr, "GET", &twice, &[], "").await;
    assert_eq!(reply.status, 400);
}

#[tokio::test]
async fn bearer_without_a_token_is_invalid_request() {
    let addr = start_server().await;
    let reply = send(addr, "GET", "/resource", &[("Authorization", "Bearer")], "").await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.challenges,
        [
            r#"Bearer realm="example", error="invalid_request", error_description="The Authorization value is not `Bearer` followed by one b64token""#
        ]
    );
}

#[tokio::test]
async fn curl_sees_the_same_answers() {
    if std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: curl not installed");
        return;
    }
    let addr = start_server().await;
    let token = sign(good().expires_at(now() - 3600));
    let url = format!("http://{addr}/resource");
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("curl")
            .args(["-s", "-i", "--oauth2-bearer", &token, &url])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.starts_with("HTTP/1.1 401"), "{text}");
    assert!(
        text.to_ascii_lowercase().contains(
            &format!(
                "www-authenticate: {}",
                invalid_token("The access token expired")
            )
            .to_ascii_lowercase()
        ),
        "{text}"
    );
}

#[tokio::test]
async fn the_client_refreshes_an_expired_token_once_and_retries() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use authscheme::{
        ClientCredentials, ClientRequest, ClientScheme, Rechallenge, Secret, TokenRefresh, choose,
    };
    use authscheme_bearer::BearerClient;

    let addr = start_server().await;
    let refreshes = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&refreshes);
    let refresh: TokenRefresh = Arc::new(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        Some(Secret::new(sign(good())))
    });
    let creds =
        ClientCredentials::token(sign(good().expires_at(now() - 3600))).with_refresh(refresh);

    let first = send(addr, "GET", "/resource", &[], "").await;
    assert_eq!(first.status, 401);
    let offered =
        authscheme::syntax::parse_challenge_lines(first.challenges.iter().map(|c| c.as_bytes()))
            .unwrap();
    let schemes: [&dyn ClientScheme; 1] = [&BearerClient];
    let (index, scheme) = choose(&offered, &schemes, &creds).unwrap();
    let mut session = scheme.start(&offered[index], &creds).unwrap();

    let request = ClientRequest::new("GET", "/resource");
    let sent = session.authorize(&request).unwrap().to_string();
    let refused = send(addr, "GET", "/resource", &[("Authorization", &sent)], "").await;
    assert_eq!(refused.status, 401);
    let rechallenge = authscheme::Challenge::parse(refused.challenges[0].as_bytes()).unwrap();
    assert_eq!(session.rechallenge(&rechallenge), Rechallenge::Retry);

    let sent = session.authorize(&request).unwrap().to_string();
    let ok = send(addr, "GET", "/resource", &[("Authorization", &sent)], "").await;
    assert_eq!((ok.status, ok.body.as_str()), (200, "hello alice\n"));
    assert_eq!(refreshes.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_registry_builds_a_working_server_scheme() {
    let reg = authscheme::registry::find("Bearer").unwrap();
    let cfg = authscheme::registry::SchemeConfig::new("example")
        .set("jwt-secret", std::str::from_utf8(SECRET).unwrap())
        .set("jwt-audience", AUDIENCE)
        .set("required-scopes", "read");
    let scheme = (reg.server.unwrap())(&cfg).unwrap();
    let auth = Authenticator::new().with_shared(scheme);
    let mut headers = http::HeaderMap::new();
    let value = format!("Bearer {}", sign(good()));
    headers.insert("authorization", value.parse().unwrap());
    let outcome = auth
        .authenticate(&AuthRequest::new("GET", "/", &headers))
        .await;
    assert_eq!(outcome.identity().unwrap().name(), "alice");
}
