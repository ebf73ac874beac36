//! Running cases against an adapter's server: [`run_suite`], [`check`],
//! [`capture`] and [`compare`].

use std::fmt;
use std::future::Future;
use std::io;

use crate::cases::{Case, standard_cases};
use crate::client::{RawRequest, RawResponse};
use crate::scenario::Scenario;
use crate::server::RunningServer;

/// What one request got: the parts that must be identical across adapters.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::{Exchange, RawRequest, compare};
/// let ok = Exchange {
///     case: "basic/ok",
///     request: RawRequest::get("/basic"),
///     status: 200,
///     auth_headers: Vec::new(),
///     denial_content_type: None,
///     body: b"identity=alice\nbody-length=0\n".to_vec(),
/// };
/// let refused = Exchange { status: 401, ..ok.clone() };
/// assert!(compare(&[ok.clone()], &[ok.clone()]).is_empty());
/// assert_eq!(compare(&[ok], &[refused]).len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The case's name.
    pub case: &'static str,
    /// The request sent.
    pub request: RawRequest,
    /// The status code.
    pub status: u16,
    /// The authentication field lines, in wire order.
    pub auth_headers: Vec<(String, Vec<u8>)>,
    /// The `Content-Type` of a denial (`None` for `2xx`, where the handler
    /// decides it).
    pub denial_content_type: Option<Vec<u8>>,
    /// The body.
    pub body: Vec<u8>,
}

impl Exchange {
    fn new(case: &Case, response: RawResponse) -> Self {
        let denial_content_type = (response.status >= 300)
            .then(|| {
                response
                    .header_values("content-type")
                    .first()
                    .map(|v| v.to_vec())
            })
            .flatten();
        Self {
            case: case.name,
            request: case.request.clone(),
            status: response.status,
            auth_headers: response.auth_headers(),
            denial_content_type,
            body: response.body,
        }
    }
}

/// The cases that failed, each with what was expected and what came back.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::SuiteFailures;
/// let failures = SuiteFailures { failures: vec!["- basic/ok\n  status: expected 200, got 401".into()] };
/// let report = failures.to_string();
/// assert!(report.starts_with("1 conformance case(s) failed:\n- basic/ok\n"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct SuiteFailures {
    /// One message per failed case.
    pub failures: Vec<String>,
}

impl fmt::Display for SuiteFailures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} conformance case(s) failed:", self.failures.len())?;
        for failure in &self.failures {
            writeln!(f, "{failure}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SuiteFailures {}

/// The content type every denial must carry.
///
/// # Examples
///
/// ```
/// assert_eq!(authscheme_testkit::DENIAL_CONTENT_TYPE, b"text/plain; charset=utf-8");
/// ```
pub const DENIAL_CONTENT_TYPE: &[u8] = authscheme::Denial::CONTENT_TYPE.as_bytes();

/// Starts a server for `scenario` with `start`, sends every case and
/// returns what came back, without judging it.
///
/// # Errors
///
/// When the server cannot start or a request gets no parsable answer.
///
/// # Examples
///
/// ```
/// # use authscheme_testkit::{RunningServer, Scenario};
/// # // A server that refuses every request with one Basic challenge.
/// # async fn start(_: Scenario) -> std::io::Result<RunningServer> {
/// #     use tokio::io::{AsyncReadExt, AsyncWriteExt};
/// #     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// #     let addr = listener.local_addr()?;
/// #     let task = tokio::spawn(async move {
/// #         while let Ok((mut socket, _)) = listener.accept().await {
/// #             let mut buf = vec![0; 65536];
/// #             let _ = socket.read(&mut buf).await;
/// #             let _ = socket.write_all(b"HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Basic realm=\"testkit\", charset=\"UTF-8\"\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 13\r\n\r\nUnauthorized\n").await;
/// #         }
/// #     });
/// #     Ok(RunningServer::new(addr, move || task.abort()))
/// # }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use authscheme_testkit::{exchange_all, standard_cases};
/// // `start` serves a server that refuses everything with `401`.
/// let cases = &standard_cases()[..2];
/// let got = exchange_all(start, Scenario::standard(), cases).await.unwrap();
/// assert_eq!(got.len(), 2);
/// assert_eq!(got[0].case, "basic/missing");
/// assert_eq!(got[1].status, 401);
/// # });
/// ```
pub async fn exchange_all<F, Fut>(
    start: F,
    scenario: Scenario,
    cases: &[Case],
) -> io::Result<Vec<Exchange>>
where
    F: FnOnce(Scenario) -> Fut,
    Fut: Future<Output = io::Result<RunningServer>>,
{
    let server = start(scenario).await?;
    let mut out = Vec::with_capacity(cases.len());
    for case in cases {
        let response = case
            .request
            .send(server.addr())
            .await
            .map_err(|e| io::Error::new(e.kind(), format!("case {}: {e}", case.name)))?;
        out.push(Exchange::new(case, response));
    }
    drop(server);
    Ok(out)
}

/// Runs `cases` against a server for `scenario` and checks every answer:
/// status, the exact authentication field lines, the body, and
/// `text/plain; charset=utf-8` on denials.
///
/// # Errors
///
/// [`SuiteFailures`] listing every failed case (a server that does not
/// start counts as one failure).
///
/// # Examples
///
/// ```
/// # use authscheme_testkit::{RunningServer, Scenario};
/// # // A server that refuses every request with one Basic challenge.
/// # async fn start(_: Scenario) -> std::io::Result<RunningServer> {
/// #     use tokio::io::{AsyncReadExt, AsyncWriteExt};
/// #     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// #     let addr = listener.local_addr()?;
/// #     let task = tokio::spawn(async move {
/// #         while let Ok((mut socket, _)) = listener.accept().await {
/// #             let mut buf = vec![0; 65536];
/// #             let _ = socket.read(&mut buf).await;
/// #             let _ = socket.write_all(b"HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Basic realm=\"testkit\", charset=\"UTF-8\"\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 13\r\n\r\nUnauthorized\n").await;
/// #         }
/// #     });
/// #     Ok(RunningServer::new(addr, move || task.abort()))
/// # }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use authscheme_testkit::{Case, Expect, RawRequest, basic, check};
/// // `start` serves a server that refuses everything with `401`.
/// let challenge = r#"Basic realm="testkit", charset="UTF-8""#;
/// let cases = [
///     Case {
///         name: "basic/missing",
///         request: RawRequest::get("/basic"),
///         expect: Expect::denied(401, "www-authenticate", &[challenge]),
///     },
///     Case {
///         name: "basic/ok",
///         request: RawRequest::get("/basic").header("Authorization", basic("alice", "wonderland")),
///         expect: Expect::ok(Some("alice"), b""),
///     },
/// ];
/// assert!(check(start, Scenario::standard(), &cases[..1]).await.is_ok());
/// let failures = check(start, Scenario::standard(), &cases).await.unwrap_err();
/// assert_eq!(failures.failures.len(), 1);
/// assert!(failures.failures[0].starts_with("- basic/ok\n"));
/// # });
/// ```
pub async fn check<F, Fut>(
    start: F,
    scenario: Scenario,
    cases: &[Case],
) -> Result<Vec<Exchange>, SuiteFailures>
where
    F: FnOnce(Scenario) -> Fut,
    Fut: Future<Output = io::Result<RunningServer>>,
{
    let exchanges = exchange_all(start, scenario, cases)
        .await
        .map_err(|e| SuiteFailures {
            failures: vec![format!("could not run the suite: {e}")],
        })?;
    let mut failures = Vec::new();
    for (case, got) in cases.iter().zip(&exchanges) {
        let mut problems = Vec::new();
        if got.status != case.expect.status {
            problems.push(format!(
                "status: expected {}, got {}",
                case.expect.status, got.status
            ));
        }
        if got.auth_headers != case.expect.auth_headers {
            problems.push(format!(
                "auth headers:\n    expected {}\n    got      {}",
                show_headers(&case.expect.auth_headers),
                show_headers(&got.auth_headers)
            ));
        }
        if got.body != case.expect.body {
            problems.push(format!(
                "body: expected {:?}, got {:?}",
                String::from_utf8_lossy(&case.expect.body),
                String::from_utf8_lossy(&got.body)
            ));
        }
        if got.status >= 300 && got.denial_content_type.as_deref() != Some(DENIAL_CONTENT_TYPE) {
            problems.push(format!(
                "denial content-type: got {:?}",
                got.denial_content_type
                    .as_deref()
                    .map(String::from_utf8_lossy)
            ));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "- {}\n  request: {:?}\n  {}",
                case.name,
                String::from_utf8_lossy(case.request.head().as_bytes()),
                problems.join("\n  ")
            ));
        }
    }
    if failures.is_empty() {
        Ok(exchanges)
    } else {
        Err(SuiteFailures { failures })
    }
}

/// Runs the standard suite ([`Scenario::standard`] and
/// [`standard_cases`]) and panics with a report of every failed case.
///
/// This is what an adapter's integration test calls.
///
/// # Panics
///
/// When any case fails; the message lists them all.
///
/// # Examples
///
/// The shape of an adapter's test (`start_my_framework` binds
/// `127.0.0.1:0`, serves the routes and returns a [`RunningServer`]):
///
/// ```no_run
/// # async fn start_my_framework(_: authscheme_testkit::Scenario) -> std::io::Result<authscheme_testkit::RunningServer> { Err(std::io::Error::other("bind and serve here")) }
/// # async fn test() {
/// authscheme_testkit::run_suite(start_my_framework).await;
/// # }
/// ```
pub async fn run_suite<F, Fut>(start: F)
where
    F: FnOnce(Scenario) -> Fut,
    Fut: Future<Output = io::Result<RunningServer>>,
{
    if let Err(failures) = check(start, Scenario::standard(), &standard_cases()).await {
        panic!("{failures}");
    }
}

/// Sends the standard cases to a server started by `start` and returns
/// what came back, unjudged, so a test can [`compare`] adapters.
///
/// # Errors
///
/// When the server cannot start or a request gets no parsable answer.
///
/// # Examples
///
/// ```
/// # use authscheme_testkit::{RunningServer, Scenario};
/// # // A server that refuses every request with one Basic challenge.
/// # async fn start(_: Scenario) -> std::io::Result<RunningServer> {
/// #     use tokio::io::{AsyncReadExt, AsyncWriteExt};
/// #     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// #     let addr = listener.local_addr()?;
/// #     let task = tokio::spawn(async move {
/// #         while let Ok((mut socket, _)) = listener.accept().await {
/// #             let mut buf = vec![0; 65536];
/// #             let _ = socket.read(&mut buf).await;
/// #             let _ = socket.write_all(b"HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Basic realm=\"testkit\", charset=\"UTF-8\"\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 13\r\n\r\nUnauthorized\n").await;
/// #         }
/// #     });
/// #     Ok(RunningServer::new(addr, move || task.abort()))
/// # }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use authscheme_testkit::{capture, compare, standard_cases};
/// // `start` serves a server that refuses everything with `401`.
/// let a = capture(start).await.unwrap();
/// let b = capture(start).await.unwrap();
/// assert_eq!(a.len(), standard_cases().len());
/// assert!(compare(&a, &b).is_empty());
/// # });
/// ```
pub async fn capture<F, Fut>(start: F) -> io::Result<Vec<Exchange>>
where
    F: FnOnce(Scenario) -> Fut,
    Fut: Future<Output = io::Result<RunningServer>>,
{
    exchange_all(start, Scenario::standard(), &standard_cases()).await
}

/// Differences between two captures (empty when byte-identical in status,
/// authentication field lines, denial content type and body).
///
/// # Examples
///
/// ```
/// assert!(authscheme_testkit::compare(&[], &[]).is_empty());
/// ```
pub fn compare(a: &[Exchange], b: &[Exchange]) -> Vec<String> {
    let mut out = Vec::new();
    if a.len() != b.len() {
        out.push(format!("{} exchanges against {}", a.len(), b.len()));
    }
    for (x, y) in a.iter().zip(b) {
        if x != y {
            out.push(format!(
                "{}: {} {} {:?} vs {} {} {:?}",
                x.case,
                x.status,
                show_headers(&x.auth_headers),
                String::from_utf8_lossy(&x.body),
                y.status,
                show_headers(&y.auth_headers),
                String::from_utf8_lossy(&y.body)
            ));
        }
    }
    out
}

fn show_headers(headers: &[(String, Vec<u8>)]) -> String {
    let lines: Vec<String> = headers
        .iter()
        .map(|(n, v)| format!("{n}: {}", String::from_utf8_lossy(v)))
        .collect();
    format!("[{}]", lines.join(" | "))
}

/// Sends the standard cases that do not depend on server state (all but
/// the nonce handshake) from `connections` concurrent clients, `rounds`
/// times each, and checks every answer: a small soak that catches shared
/// state, lost bodies or 5xx under concurrency.
///
/// # Errors
///
/// [`SuiteFailures`] with every wrong answer (at most the first 20 are
/// listed in full) or the reason the run could not happen.
///
/// # Examples
///
/// ```
/// # use authscheme_testkit::{RunningServer, Scenario};
/// # // A server that refuses every request with one Basic challenge.
/// # async fn start(_: Scenario) -> std::io::Result<RunningServer> {
/// #     use tokio::io::{AsyncReadExt, AsyncWriteExt};
/// #     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// #     let addr = listener.local_addr()?;
/// #     let task = tokio::spawn(async move {
/// #         while let Ok((mut socket, _)) = listener.accept().await {
/// #             let mut buf = vec![0; 65536];
/// #             let _ = socket.read(&mut buf).await;
/// #             let _ = socket.write_all(b"HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Basic realm=\"testkit\", charset=\"UTF-8\"\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 13\r\n\r\nUnauthorized\n").await;
/// #         }
/// #     });
/// #     Ok(RunningServer::new(addr, move || task.abort()))
/// # }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use authscheme_testkit::{check_concurrently, standard_cases};
/// // `start` serves a server that refuses everything with `401`, which
/// // most of the standard cases do not expect.
/// let report = check_concurrently(start, 2, 1).await.unwrap_err();
/// // Twenty wrong answers in full, then the count.
/// assert_eq!(report.failures.len(), 21);
/// let stateless = standard_cases().iter().filter(|c| !c.name.starts_with("nonce/")).count();
/// let sent = 2 * stateless;
/// assert!(report.failures[20].ends_with(&format!("wrong answer(s) of {sent}")));
/// # });
/// ```
pub async fn check_concurrently<F, Fut>(
    start: F,
    connections: usize,
    rounds: usize,
) -> Result<usize, SuiteFailures>
where
    F: FnOnce(Scenario) -> Fut,
    Fut: Future<Output = io::Result<RunningServer>>,
{
    let server = start(Scenario::standard())
        .await
        .map_err(|e| SuiteFailures {
            failures: vec![format!("server did not start: {e}")],
        })?;
    let addr = server.addr();
    let cases: std::sync::Arc<Vec<Case>> = std::sync::Arc::new(
        standard_cases()
            .into_iter()
            .filter(|c| !c.name.starts_with("nonce/"))
            .collect(),
    );
    let mut clients = tokio::task::JoinSet::new();
    for client in 0..connections {
        let cases = std::sync::Arc::clone(&cases);
        clients.spawn(async move {
            let mut failures = Vec::new();
            let mut sent = 0;
            for round in 0..rounds {
                // Each client walks the cases from a different place.
                for i in 0..cases.len() {
                    let case = &cases[(i + client * 7 + round) % cases.len()];
                    sent += 1;
                    match case.request.send(addr).await {
                        Ok(got) => {
                            if got.status != case.expect.status
                                || got.auth_headers() != case.expect.auth_headers
                                || got.body != case.expect.body
                            {
                                failures.push(format!(
                                    "{}: got {} {:?}",
                                    case.name,
                                    got.status,
                                    String::from_utf8_lossy(&got.body)
                                ));
                            }
                        }
                        Err(e) => failures.push(format!("{}: {e}", case.name)),
                    }
                }
            }
            (sent, failures)
        });
    }
    let mut failures = Vec::new();
    let mut sent = 0;
    while let Some(joined) = clients.join_next().await {
        match joined {
            Ok((n, f)) => {
                sent += n;
                failures.extend(f);
            }
            Err(e) => failures.push(format!("client task failed: {e}")),
        }
    }
    drop(server);
    if failures.is_empty() {
        Ok(sent)
    } else {
        let total = failures.len();
        failures.truncate(20);
        failures.push(format!("{total} wrong answer(s) of {sent}"));
        Err(SuiteFailures { failures })
    }
}
