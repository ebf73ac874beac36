//! `authscheme client` against an in-process server with Basic, Digest and
//! Bearer routes from the scheme crates: exit codes, scheme choice, nonce
//! reuse, rspauth, -v and --repeat.

#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use authscheme::registry::{Principal, SchemeConfig};
use authscheme::{AuthRequest, AuthSchemeExt, Authenticator, Outcome};
use authscheme_bearer::{BearerScheme, StaticTokens};
use authscheme_digest::{DigestScheme, DigestUser, MemoryCredentialStore};
use axum::body::{Body, to_bytes};
use axum::http::{HeaderValue, Request, Response, StatusCode};

struct Routes {
    /// Asks requests in proxy form (`GET http://host/path`) for Digest
    /// proxy credentials, as a forward proxy does.
    proxy: Authenticator<Principal>,
    /// The same for proxy-form requests to `/basic`, with Basic.
    basic_proxy: Authenticator<Principal>,
    basic: Authenticator<Principal>,
    digest: Authenticator<Principal>,
    bearer: Authenticator<Principal>,
    any: Authenticator<Principal>,
}

#[derive(Clone)]
struct Server {
    url: String,
    hits: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<String>>>,
    /// Holds the password file; removed with the last clone.
    _dir: Arc<tempfile::TempDir>,
}

fn digest() -> impl authscheme::AuthScheme<Principal> {
    let store = MemoryCredentialStore::new("cli").with_user("alice", "wonderland");
    DigestScheme::builder("cli", store)
        .build()
        .unwrap()
        .map_identity(|u: DigestUser| Principal::new(u.name()))
}

async fn start() -> Server {
    // One directory per server: tests run in parallel in one process, and a
    // store watching a file another test is rewriting would see it empty.
    let dir = tempfile::tempdir().unwrap();
    let htpasswd = dir.path().join("htpasswd");
    std::fs::write(&htpasswd, "alice:wonderland\n").unwrap();
    let basic = authscheme_basic::server_from_config(
        &SchemeConfig::new("cli")
            .set("htpasswd", htpasswd.to_str().unwrap())
            .set("dangerous_allow_plaintext", "true"),
    )
    .unwrap();
    let tokens = StaticTokens::new().with_token("t0k3n", "service", Vec::<String>::new());
    let routes = Arc::new(Routes {
        proxy: Authenticator::new().proxy().with(digest()),
        basic_proxy: Authenticator::new().proxy().with_shared(basic.clone()),
        basic: Authenticator::new().with_shared(basic.clone()),
        digest: Authenticator::new().with(digest()),
        bearer: Authenticator::new().with(BearerScheme::builder(tokens.clone()).build().unwrap()),
        any: Authenticator::new()
            .with_shared(basic)
            .with(digest())
            .with(BearerScheme::builder(tokens).build().unwrap()),
    });
    let hits = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = (routes, Arc::clone(&hits), Arc::clone(&seen));
    let app = axum::Router::new().fallback(move |req: Request<Body>| {
        let (routes, hits, seen) = state.clone();
        async move { handle(&routes, &hits, &seen, req).await }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server {
        url,
        hits,
        seen,
        _dir: Arc::new(dir),
    }
}

async fn handle(
    routes: &Routes,
    hits: &AtomicUsize,
    seen: &Mutex<Vec<String>>,
    req: Request<Body>,
) -> Response<Body> {
    hits.fetch_add(1, Ordering::SeqCst);
    let (parts, body) = req.into_parts();
    if let Some(v) = parts.headers.get("authorization") {
        seen.lock()
            .unwrap()
            .push(String::from_utf8_lossy(v.as_bytes()).into_owned());
    }
    let body = to_bytes(body, 1 << 20).await.unwrap();
    let path = parts.uri.path().to_owned();
    let target = parts.uri.path_and_query().unwrap().as_str().to_owned();
    // A request in proxy form is for the proxy, whatever its path.
    let proxied = parts.uri.host().is_some();
    let target = if proxied {
        parts.uri.to_string()
    } else {
        target
    };
    let auth = match path.as_str() {
        "/basic" if proxied => &routes.basic_proxy,
        _ if proxied => &routes.proxy,
        "/open" => return Response::new(Body::from("ok")),
        "/bare-401" => {
            return Response::builder()
                .status(StatusCode::UNAUTHORIZED)
                .body(Body::from("no challenge"))
                .unwrap();
        }
        "/basic" => &routes.basic,
        "/digest" | "/wrong-rspauth" => &routes.digest,
        "/bearer" => &routes.bearer,
        "/any" => &routes.any,
        _ => {
            return Response::builder()
                .status(StatusCode::NOT_FOUND)
                .body(Body::from("no such route"))
                .unwrap();
        }
    };
    let method = parts.method.as_str().to_owned();
    let request = AuthRequest::new(&method, &target, &parts.headers).with_body(&body);
    match auth.authenticate(&request).await {
        Outcome::Authenticated(ok) => {
            let text = format!(
                "hello {} {}",
                ok.authenticated().identity().name(),
                String::from_utf8_lossy(&body)
            );
            let mut response = Response::new(Body::from(text));
            for (name, value) in ok.response_headers() {
                response.headers_mut().append(name, value);
            }
            if path == "/wrong-rspauth" {
                let info = response.headers()["authentication-info"].to_str().unwrap();
                let bad = regex_free_replace_rspauth(info);
                response
                    .headers_mut()
                    .insert("authentication-info", HeaderValue::from_str(&bad).unwrap());
            }
            response
        }
        Outcome::Denied(denial) => {
            let mut response = Response::new(Body::from(denial.body()));
            *response.status_mut() = denial.status();
            for (name, value) in denial.headers() {
                response.headers_mut().append(name, value);
            }
            response
        }
        _ => Response::builder().status(500).body(Body::empty()).unwrap(),
    }
}

/// Replaces the rspauth value's hex digits with zeros.
fn regex_free_replace_rspauth(info: &str) -> String {
    let start = info.find("rspauth=\"").unwrap() + "rspauth=\"".len();
    let end = start + info[start..].find('"').unwrap();
    format!(
        "{}{}{}",
        &info[..start],
        "0".repeat(end - start),
        &info[end..]
    )
}

async fn cli(args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_authscheme"))
            .arg("client")
            .args(&args)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_each_scheme_and_prints_the_body() {
    let s = start().await;
    let o = cli(&["-u", "alice:wonderland", &format!("{}/digest", s.url)]).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "hello alice ");

    // Basic over http is allowed for loopback.
    let o = cli(&["-u", "alice:wonderland", &format!("{}/basic", s.url)]).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "hello alice ");

    let o = cli(&["--bearer", "t0k3n", &format!("{}/bearer", s.url)]).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "hello service ");

    let o = cli(&[&format!("{}/open", s.url)]).await;
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), "ok"));
}

#[tokio::test(flavor = "multi_thread")]
async fn picks_bearer_then_digest_then_basic() {
    let s = start().await;
    let url = format!("{}/any", s.url);
    let o = cli(&["-u", "alice:wonderland", "--bearer", "t0k3n", &url]).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = cli(&["-u", "alice:wonderland", &url]).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let seen = s.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0], "Bearer t0k3n");
    assert!(
        seen[1].starts_with("Digest ") && seen[1].contains("algorithm=SHA-256"),
        "{}",
        seen[1]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_follow_the_contract() {
    let s = start().await;
    // Wrong password: the final status is 401, exit 1.
    let o = cli(&["-u", "alice:nope", &format!("{}/digest", s.url)]).await;
    assert_eq!(o.status.code(), Some(1));
    // No credentials at all: 401, exit 1.
    let o = cli(&[&format!("{}/digest", s.url)]).await;
    assert_eq!(o.status.code(), Some(1));
    // Another final status.
    let o = cli(&[&format!("{}/missing", s.url)]).await;
    assert_eq!(
        (o.status.code(), stdout(&o).as_str()),
        (Some(1), "no such route")
    );
    // Usage errors.
    let o = cli(&["-H", "no colon here", &format!("{}/open", s.url)]).await;
    assert_eq!(o.status.code(), Some(2));
    let o = cli(&["https://127.0.0.1:1/"]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("TLS"), "{}", stderr(&o));
    let o = cli(&["not a url"]).await;
    assert_eq!(o.status.code(), Some(2));
    let o = cli(&["--repeat", "0", &format!("{}/open", s.url)]).await;
    assert_eq!(o.status.code(), Some(2));
    // Network error: nothing listens there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let o = cli(&[&format!("http://127.0.0.1:{port}/")]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn post_data_and_headers_are_sent() {
    let s = start().await;
    let o = cli(&[
        "-u",
        "alice:wonderland",
        "-d",
        "a=1&b=2",
        "-H",
        "X-Test: yes",
        &format!("{}/digest", s.url),
    ])
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "hello alice a=1&b=2");
    let seen = s.seen.lock().unwrap().clone();
    assert!(
        seen[0].contains("qop=auth-int"),
        "the body is hashed: {}",
        seen[0]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn verbose_shows_the_exchange_but_no_secret() {
    let s = start().await;
    let o = cli(&["-v", "-u", "alice:wonderland", &format!("{}/digest", s.url)]).await;
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(err.contains("401"), "{err}");
    assert!(err.contains("Digest"), "{err}");
    assert!(err.contains("nc=00000001"), "{err}");
    assert!(!err.contains("wonderland"), "{err}");
    let o = cli(&["-v", "-u", "alice:wonderland", &format!("{}/basic", s.url)]).await;
    let err = stderr(&o);
    assert!(
        !err.contains("wonderland") && !err.contains("YWxpY2U6d29uZGVybGFuZA"),
        "{err}"
    );
    let o = cli(&["-v", "--bearer", "t0k3n", &format!("{}/bearer", s.url)]).await;
    assert!(!stderr(&o).contains("t0k3n"), "{}", stderr(&o));
}

/// `-x URL -U USER:PASSWORD` answers a proxy's 407 (RFC 9110 section
/// 11.7), and `-u` is not sent to the proxy.
#[tokio::test(flavor = "multi_thread")]
async fn a_proxy_asking_407_is_answered_with_the_proxy_user() {
    let s = start().await;
    let target = "http://origin.invalid/anything";
    let o = cli(&["-x", &s.url, "-U", "alice:wonderland", target]).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("hello alice"), "{}", stdout(&o));
    // Without proxy credentials, the 407 is the final answer, and stderr
    // says what was offered.
    let o = cli(&["-x", &s.url, "-u", "alice:wonderland", target]).await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("407"), "{}", stderr(&o));
    assert!(stderr(&o).contains("offered Digest"), "{}", stderr(&o));
    let o = cli(&["-x", &s.url, "-U", "alice:wrong", target]).await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

/// A proxy on the loopback interface gets Basic proxy credentials over
/// plain http, as a loopback origin gets Basic; the origin's host does not
/// decide for the proxy.
#[tokio::test(flavor = "multi_thread")]
async fn a_loopback_proxy_asking_basic_is_answered() {
    let s = start().await;
    let o = cli(&[
        "-x",
        &s.url,
        "-U",
        "alice:wonderland",
        "http://origin.invalid/basic",
    ])
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("hello alice"), "{}", stdout(&o));
    // Without a scheme, the proxy is http, as for curl.
    let bare = s.url.trim_start_matches("http://");
    let o = cli(&[
        "-x",
        bare,
        "-U",
        "alice:wonderland",
        "http://origin.invalid/basic",
    ])
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// `http://user:password@host/` is answered with as `-u` is, as curl does,
/// and the password shows nowhere: not with -v, not in an error.
#[tokio::test(flavor = "multi_thread")]
async fn a_user_in_the_url_is_used_and_never_shown() {
    let s = start().await;
    let with_user = s.url.replacen("http://", "http://alice:wonderland@", 1);
    for route in ["basic", "digest"] {
        let o = cli(&["-v", &format!("{with_user}/{route}")]).await;
        assert_eq!(o.status.code(), Some(0), "{route}: {}", stderr(&o));
        assert!(!stderr(&o).contains("wonderland"), "{}", stderr(&o));
    }
    // Nothing listens on port 1: the error names the URL, not the password.
    let o = cli(&["-v", "http://alice:wonderland@127.0.0.1:1/basic"]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("wonderland"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_rspauth_fails() {
    let s = start().await;
    let url = format!("{}/wrong-rspauth", s.url);
    let o = cli(&["-u", "alice:wonderland", &url]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("failed to authenticate itself"),
        "{}",
        stderr(&o)
    );
    // The advice names the flag, not the library's builder method.
    assert!(
        stderr(&o).contains("--dangerous-skip-rspauth-check"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
    let o = cli(&[
        "-u",
        "alice:wonderland",
        "--dangerous-skip-rspauth-check",
        &url,
    ])
    .await;
    assert_eq!(o.status.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn repeat_reuses_the_nonce_over_several_connections() {
    let s = start().await;
    let o = cli(&[
        "-u",
        "alice:wonderland",
        "--repeat",
        "200",
        "--concurrency",
        "4",
        &format!("{}/digest", s.url),
    ])
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("requests: 200 (200 2xx"), "{out}");
    assert!(out.contains("requests/s: "), "{out}");
    for p in ["p50: ", "p90: ", "p99: "] {
        assert!(out.contains(p), "{out}");
    }
    // Each connection meets the challenge once, then answers ahead with
    // the next count of its own nonce.
    assert_eq!(
        s.hits.load(Ordering::SeqCst),
        204,
        "N requests, N+C round trips"
    );
    let seen = s.seen.lock().unwrap().clone();
    let param = |v: &str, name: &str| {
        let rest = v.split(&format!(" {name}=")).nth(1).unwrap();
        rest.trim_start_matches('"')
            .split(['"', ','])
            .next()
            .unwrap()
            .to_owned()
    };
    let nonces: std::collections::HashSet<_> = seen.iter().map(|v| param(v, "nonce")).collect();
    assert_eq!(nonces.len(), 4, "one nonce per connection");
    let mut uses: Vec<_> = seen
        .iter()
        .map(|v| (param(v, "nonce"), param(v, "nc")))
        .collect();
    uses.sort();
    uses.dedup();
    assert_eq!(uses.len(), 200, "every (nonce, nc) used once");
}

/// `authscheme serve` on each framework, child process stopped on drop.
struct Serve(std::process::Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(framework: &str) -> (Serve, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_authscheme"))
        .args(["serve", "--addr", &addr, "--framework", framework])
        .args(["--workers", "1", "--bearer-token", "static-t0k3n"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let server = Serve(child);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "serve --framework {framework} did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    (server, format!("http://{addr}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn against_authscheme_serve_on_every_framework() {
    for framework in ["axum", "actix", "warp"] {
        let (_server, url) = serve(framework);
        let alice = ["-u", "alice:wonderland"];
        for (args, path, body) in [
            (&alice[..], "/basic", "hello alice via Basic"),
            (&alice[..], "/digest", "hello alice via Digest"),
            (&alice[..], "/any", "hello alice via Digest"),
            (
                &["--bearer", "static-t0k3n"][..],
                "/bearer",
                "hello service via Bearer",
            ),
            (
                &["--bearer", "static-t0k3n"][..],
                "/any",
                "hello service via Bearer",
            ),
        ] {
            let target = format!("{url}{path}");
            let mut all: Vec<&str> = args.to_vec();
            all.push(&target);
            let o = cli(&all).await;
            assert_eq!(
                o.status.code(),
                Some(0),
                "{framework} {path}: {}",
                stderr(&o)
            );
            assert_eq!(stdout(&o).trim_end(), body, "{framework} {path}");
        }
        // The Digest route with a body (auth-int where offered).
        let o = cli(&[
            "-u",
            "alice:wonderland",
            "-d",
            "x=1",
            &format!("{url}/digest"),
        ])
        .await;
        assert_eq!(
            o.status.code(),
            Some(0),
            "{framework} POST /digest: {}",
            stderr(&o)
        );
        // A static token has no admin scope: 403, exit 1.
        let o = cli(&["--bearer", "static-t0k3n", &format!("{url}/admin")]).await;
        assert_eq!(o.status.code(), Some(1), "{framework} /admin");
        // Nonce reuse against serve: N requests all succeed.
        let o = cli(&[
            "-u",
            "alice:wonderland",
            "--repeat",
            "50",
            "--concurrency",
            "2",
            &format!("{url}/digest"),
        ])
        .await;
        assert_eq!(
            o.status.code(),
            Some(0),
            "{framework} repeat: {}",
            stdout(&o)
        );
        assert!(stdout(&o).contains("(50 2xx"), "{}", stdout(&o));
    }
}

/// When the first request of `--repeat` fails, the error is reported
/// without sending that request again (the server acted on it already).
#[tokio::test(flavor = "multi_thread")]
async fn a_failed_first_request_under_repeat_is_not_sent_again() {
    let s = start().await;
    let url = format!("{}/wrong-rspauth", s.url);
    let o = cli(&["--repeat", "2", "-u", "alice:wonderland", &url]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("failed to authenticate itself"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        s.hits.load(Ordering::SeqCst),
        2,
        "one 401, one answered request"
    );
}

/// A 401 without any WWW-Authenticate (RFC 9110 section 11.6.1 breaks)
/// is reported as such, not as a field this client cannot read.
#[tokio::test(flavor = "multi_thread")]
async fn a_401_without_a_challenge_says_so() {
    let s = start().await;
    let o = cli(&["-u", "alice:wonderland", &format!("{}/bare-401", s.url)]).await;
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "no challenge");
    assert!(!stderr(&o).contains("cannot read"), "{}", stderr(&o));
    assert!(stderr(&o).contains("no www-authenticate"), "{}", stderr(&o));
}

/// Without --proxy the client uses the environment's proxy (`http_proxy`):
/// a token or password allowed over plain http because the host is
/// loopback must not travel in clear to a proxy on another machine.
#[tokio::test(flavor = "multi_thread")]
async fn a_secret_for_a_loopback_host_never_goes_to_the_environments_proxy() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    // An address of this machine that is not loopback (a UDP connect
    // sends nothing); without one there is nothing to show.
    let probe = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    let ip = probe
        .connect("192.0.2.1:9")
        .ok()
        .and_then(|()| probe.local_addr().ok())
        .map(|a| a.ip());
    let Some(ip) = ip.filter(|ip| !ip.is_loopback() && !ip.is_unspecified()) else {
        eprintln!("SKIPPED: this machine has no address besides loopback to put a proxy on");
        return;
    };
    let proxy = tokio::net::TcpListener::bind((ip, 0)).await.unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let proxied = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&proxied);
    tokio::spawn(async move {
        // Asks for a Bearer token, as the origin would, then takes it.
        while let Ok((mut c, _)) = proxy.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let mut buf = vec![0; 4096];
            let n = c.read(&mut buf).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase();
            let answer: &[u8] = if head.contains("authorization:") {
                b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            } else {
                b"HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Bearer realm=\"x\"\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            };
            let _ = c.write_all(answer).await;
        }
    });
    let s = start().await;
    let url = format!("{}/bearer", s.url);
    let o = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_authscheme"))
            .args(["client", "--bearer", "t0k3n", &url])
            .env("HTTP_PROXY", &proxy_url)
            .env("http_proxy", &proxy_url)
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .env_remove("REQUEST_METHOD")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(
        proxied.load(Ordering::SeqCst),
        0,
        "the request went through the proxy: {}",
        stderr(&o)
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(s.seen.lock().unwrap().as_slice(), ["Bearer t0k3n"]);
}
