//! The standard cases: requests against [`Scenario::standard`] and the
//! exact answers every adapter must give.
//!
//! [`Scenario::standard`]: crate::Scenario::standard

use base64::Engine as _;

use crate::client::RawRequest;
use crate::handler_body;
use crate::scenario::BODY_LIMIT;
use authscheme::registry::Principal;

/// One request and the answer it must get.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::{Case, Expect, RawRequest, basic};
/// let case = Case {
///     name: "basic/ok-bob",
///     request: RawRequest::get("/basic").header("Authorization", basic("bob", "builder")),
///     expect: Expect::ok(Some("bob"), b""),
/// };
/// assert_eq!(case.expect.status, 200);
/// assert_eq!(case.expect.body, b"identity=bob\nbody-length=0\n");
/// ```
#[derive(Debug, Clone)]
pub struct Case {
    /// A short unique name, `route/what`.
    pub name: &'static str,
    /// The request sent.
    pub request: RawRequest,
    /// The answer expected.
    pub expect: Expect,
}

/// The expected answer: status, the exact authentication field lines (name
/// lower-cased, in order) and the exact body.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::Expect;
/// let expect = Expect::denied(401, "www-authenticate", &[r#"Basic realm="testkit""#]);
/// assert_eq!(expect.status, 401);
/// assert_eq!(
///     expect.auth_headers,
///     [("www-authenticate".to_owned(), br#"Basic realm="testkit""#.to_vec())]
/// );
/// assert_eq!(expect.body, b"Unauthorized\n");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    /// The status code.
    pub status: u16,
    /// Every `WWW-Authenticate`, `Proxy-Authenticate`,
    /// `Authentication-Info` and `Proxy-Authentication-Info` line, in order.
    pub auth_headers: Vec<(String, Vec<u8>)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Expect {
    /// A `200` whose body is [`handler_body`] for `identity` and `body`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::Expect;
    /// let expect = Expect::ok(Some("alice"), b"form=1");
    /// assert_eq!(expect.status, 200);
    /// assert!(expect.auth_headers.is_empty());
    /// assert_eq!(expect.body, b"identity=alice\nbody-length=6\nform=1");
    /// assert_eq!(Expect::ok(None, b"").body, b"identity=-\nbody-length=0\n");
    /// ```
    pub fn ok(identity: Option<&str>, body: &[u8]) -> Self {
        let principal = identity.map(Principal::new);
        Self {
            status: 200,
            auth_headers: Vec::new(),
            body: handler_body(principal.as_ref(), body),
        }
    }

    /// A denial with the body the core writes for `status`: one
    /// `header` line per entry of `lines`, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::Expect;
    /// let expect = Expect::denied(407, "proxy-authenticate", &["Basic", "Bearer"]);
    /// assert_eq!(expect.body, b"Proxy Authentication Required\n");
    /// assert_eq!(expect.auth_headers.len(), 2);
    /// assert_eq!(expect.auth_headers[1].1, b"Bearer");
    /// assert_eq!(Expect::denied(400, "www-authenticate", &[]).body, b"Bad Request: malformed credentials\n");
    /// ```
    pub fn denied(status: u16, header: &str, lines: &[&str]) -> Self {
        let body: &[u8] = match status {
            400 => b"Bad Request: malformed credentials\n",
            401 => b"Unauthorized\n",
            403 => b"Forbidden: insufficient scope\n",
            407 => b"Proxy Authentication Required\n",
            _ => b"Authentication failed\n",
        };
        Self {
            status,
            auth_headers: lines
                .iter()
                .map(|l| (header.to_owned(), l.as_bytes().to_vec()))
                .collect(),
            body: body.to_vec(),
        }
    }

    /// Adds an authentication field line.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::Expect;
    /// let expect = Expect::ok(Some("alice"), b"").with_header("authentication-info", r#"user="alice""#);
    /// assert_eq!(
    ///     expect.auth_headers,
    ///     [("authentication-info".to_owned(), br#"user="alice""#.to_vec())]
    /// );
    /// ```
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.auth_headers
            .push((name.to_owned(), value.as_bytes().to_vec()));
        self
    }
}

const WWW: &str = "www-authenticate";
const PROXY: &str = "proxy-authenticate";
const BASIC: &str = r#"Basic realm="testkit", charset="UTF-8""#;
const BEARER_READ: &str = r#"Bearer realm="testkit", scope="read""#;
const BEARER_READ_INVALID: &str = r#"Bearer realm="testkit", error="invalid_token", scope="read""#;
const BEARER_READ_MALFORMED: &str =
    r#"Bearer realm="testkit", error="invalid_request", scope="read""#;
const BEARER_READ_TWO_WAYS: &str =
    r#"Bearer realm="testkit", error="invalid_request", scope="read""#;
const BEARER_ADMIN_SCOPE: &str =
    r#"Bearer realm="testkit", error="insufficient_scope", scope="admin""#;
const CHECK_INT: &str = r#"BodyCheck realm="testkit", qop="auth-int""#;
const CHECK_AUTH: &str = r#"BodyCheck realm="testkit", qop="auth""#;

/// `Basic <base64(user:password)>`.
///
/// # Examples
///
/// ```
/// assert_eq!(authscheme_testkit::basic("alice", "wonderland"), "Basic YWxpY2U6d29uZGVybGFuZA==");
/// ```
pub fn basic(user: &str, password: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {token}")
}

fn get(path: &str) -> RawRequest {
    RawRequest::get(path)
}

fn authed(path: &str, credentials: &str) -> RawRequest {
    RawRequest::get(path).header("Authorization", credentials)
}

fn case(name: &'static str, request: RawRequest, expect: Expect) -> Case {
    Case {
        name,
        request,
        expect,
    }
}

/// A body of `n` bytes that is easy to eyeball in a failure report.
fn payload(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| b"abcdefghijklmnopqrstuvwxyz"[i % 26])
        .collect()
}

/// Every standard case, grouped by route.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::standard_cases;
/// let cases = standard_cases();
/// let missing = cases.iter().find(|c| c.name == "basic/missing").unwrap();
/// assert!(missing.request.head().starts_with("GET /basic HTTP/1.1\r\n"));
/// assert_eq!(missing.expect.status, 401);
/// // The nonce handshake comes last, in the order it must run.
/// assert_eq!(cases.last().unwrap().name, "nonce/malformed");
/// ```
pub fn standard_cases() -> Vec<Case> {
    let mut cases = basic_cases();
    cases.extend(bearer_cases());
    cases.extend(form_token_cases(
        "/bearer-form",
        BEARER_READ,
        BEARER_READ_TWO_WAYS,
    ));
    cases.extend(multi_cases());
    cases.extend(optional_cases());
    cases.extend(proxy_cases());
    cases.extend(info_cases());
    cases.extend(body_cases());
    cases.extend(nonce_cases());
    cases
}

fn basic_cases() -> Vec<Case> {
    let unauthorized = || Expect::denied(401, WWW, &[BASIC]);
    let bad = || Expect::denied(400, WWW, &[BASIC]);
    vec![
        case("basic/missing", get("/basic"), unauthorized()),
        case(
            "basic/wrong-password",
            authed("/basic", &basic("alice", "wrong")),
            unauthorized(),
        ),
        case(
            "basic/unknown-user",
            authed("/basic", &basic("mallory", "wonderland")),
            unauthorized(),
        ),
        case(
            "basic/ok",
            authed("/basic", &basic("alice", "wonderland")),
            Expect::ok(Some("alice"), b""),
        ),
        case(
            "basic/ok-with-query",
            authed("/basic?x=1&y=2", &basic("bob", "builder")),
            Expect::ok(Some("bob"), b""),
        ),
        case(
            "basic/lowercase-scheme",
            authed(
                "/basic",
                &basic("alice", "wonderland").replacen("Basic", "basic", 1),
            ),
            Expect::ok(Some("alice"), b""),
        ),
        case("basic/not-base64", authed("/basic", "Basic abc"), bad()),
        case("basic/no-colon", authed("/basic", "Basic YWxpY2U="), bad()),
        case("basic/unparsable", authed("/basic", "Basic a b"), bad()),
        case(
            "basic/params-not-token68",
            authed("/basic", "Basic a=b"),
            bad(),
        ),
        case(
            "basic/two-credentials-lines",
            authed("/basic", &basic("alice", "wonderland"))
                .header("Authorization", basic("alice", "wonderland")),
            bad(),
        ),
        case(
            "basic/other-scheme",
            authed("/basic", "Negotiate abc"),
            unauthorized(),
        ),
        case(
            "basic/post-ok",
            RawRequest::post("/basic")
                .header("Authorization", basic("alice", "wonderland"))
                .body("form=1"),
            Expect::ok(Some("alice"), b"form=1"),
        ),
    ]
}

fn bearer_cases() -> Vec<Case> {
    vec![
        case(
            "bearer/missing",
            get("/bearer"),
            Expect::denied(401, WWW, &[BEARER_READ]),
        ),
        case(
            "bearer/invalid-token",
            authed("/bearer", "Bearer nope"),
            Expect::denied(401, WWW, &[BEARER_READ_INVALID]),
        ),
        case(
            "bearer/malformed",
            authed("/bearer", "Bearer a=b"),
            Expect::denied(400, WWW, &[BEARER_READ_MALFORMED]),
        ),
        case(
            "bearer/ok",
            authed("/bearer", "Bearer read-token"),
            Expect::ok(Some("alice"), b""),
        ),
        case(
            "admin/insufficient-scope",
            authed("/admin", "Bearer read-token"),
            Expect::denied(403, WWW, &[BEARER_ADMIN_SCOPE]),
        ),
        case(
            "admin/ok",
            authed("/admin", "Bearer admin-token"),
            Expect::ok(Some("bob"), b""),
        ),
    ]
}

/// RFC 6750 sections 2 and 3.1 against a Bearer route that takes tokens
/// from the header, the `access_token` query parameter and a form body,
/// with a body limit of [`BODY_LIMIT`](crate::BODY_LIMIT): one token is
/// accepted whichever way it comes; a token sent two ways is `400`, also
/// when the second one is in a body only the asynchronous path sees.
///
/// The route must accept the token `read-token` for `alice` (as
/// [`TestBearer`](crate::schemes::TestBearer) does); `plain` is its
/// challenge without an error and `invalid_request` its challenge for a
/// token sent two ways. The standard suite runs these on `/bearer-form`;
/// an adapter's tests can run them against the real Bearer scheme too.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::form_token_cases;
/// let cases = form_token_cases("/api", r#"Bearer realm="api""#, r#"Bearer realm="api", error="invalid_request""#);
/// let twice = cases.iter().find(|c| c.name == "bearer-form/header-and-form-token").unwrap();
/// assert!(twice.request.head().starts_with("POST /api HTTP/1.1\r\n"));
/// assert_eq!(twice.expect.status, 400);
/// ```
pub fn form_token_cases(path: &str, plain: &str, invalid_request: &str) -> Vec<Case> {
    const FORM: &str = "application/x-www-form-urlencoded";
    let header = "Bearer read-token";
    let form_post = |body: &str| {
        RawRequest::post(path)
            .header("Content-Type", FORM)
            .body(body.as_bytes().to_vec())
    };
    let two_ways = || Expect::denied(400, WWW, &[invalid_request]);
    vec![
        case(
            "bearer-form/missing",
            form_post("note=hi"),
            Expect::denied(401, WWW, &[plain]),
        ),
        case(
            "bearer-form/header-ok",
            authed(path, header),
            Expect::ok(Some("alice"), b""),
        ),
        case(
            "bearer-form/form-token-ok",
            form_post("access_token=read-token"),
            Expect::ok(Some("alice"), b"access_token=read-token"),
        ),
        case(
            "bearer-form/query-token-ok",
            get(&format!("{path}?access_token=read-token")),
            Expect::ok(Some("alice"), b""),
        ),
        case(
            "bearer-form/header-and-form-without-token-ok",
            form_post("note=hi").header("Authorization", header),
            Expect::ok(Some("alice"), b"note=hi"),
        ),
        case(
            "bearer-form/header-and-form-token",
            form_post("access_token=garbage").header("Authorization", header),
            two_ways(),
        ),
        case(
            "bearer-form/header-and-chunked-form-token",
            form_post("access_token=garbage")
                .chunked(5)
                .header("Authorization", header),
            two_ways(),
        ),
        case(
            "bearer-form/header-and-query-token",
            authed(&format!("{path}?access_token=read-token"), header),
            two_ways(),
        ),
        case(
            "bearer-form/header-and-json-body-ok",
            RawRequest::post(path)
                .header("Content-Type", "application/json")
                .header("Authorization", header)
                .body("access_token=garbage"),
            Expect::ok(Some("alice"), b"access_token=garbage"),
        ),
    ]
}

fn multi_cases() -> Vec<Case> {
    let all = [BASIC, BEARER_READ, CHECK_INT];
    vec![
        case(
            "multi/missing",
            get("/multi"),
            Expect::denied(401, WWW, &all),
        ),
        case(
            "multi/basic-ok",
            authed("/multi", &basic("alice", "wonderland")),
            Expect::ok(Some("alice"), b""),
        ),
        case(
            "multi/bearer-ok",
            authed("/multi", "Bearer admin-token"),
            Expect::ok(Some("bob"), b""),
        ),
        case(
            "multi/bodycheck-ok",
            authed("/multi", r#"BodyCheck key="k3y""#),
            Expect::ok(Some("carol"), b""),
        ),
        case(
            "multi/basic-wrong",
            authed("/multi", &basic("alice", "wrong")),
            Expect::denied(401, WWW, &all),
        ),
        case(
            "multi/bearer-invalid",
            authed("/multi", "Bearer nope"),
            Expect::denied(401, WWW, &[BASIC, BEARER_READ_INVALID, CHECK_INT]),
        ),
        case(
            "multi/basic-malformed",
            authed("/multi", "Basic abc"),
            Expect::denied(400, WWW, &[BASIC]),
        ),
    ]
}

fn optional_cases() -> Vec<Case> {
    vec![
        case(
            "optional/anonymous",
            get("/optional"),
            Expect::ok(None, b""),
        ),
        case(
            "optional/anonymous-post",
            RawRequest::post("/optional").body("kept"),
            Expect::ok(None, b"kept"),
        ),
        case(
            "optional/ok",
            authed("/optional", &basic("alice", "wonderland")),
            Expect::ok(Some("alice"), b""),
        ),
        case(
            "optional/wrong",
            authed("/optional", &basic("alice", "wrong")),
            Expect::denied(401, WWW, &[BASIC]),
        ),
        case(
            "optional/malformed",
            authed("/optional", "Basic abc"),
            Expect::denied(400, WWW, &[BASIC]),
        ),
    ]
}

fn proxy_cases() -> Vec<Case> {
    vec![
        case(
            "proxy/missing",
            get("/proxy"),
            Expect::denied(407, PROXY, &[BASIC]),
        ),
        case(
            "proxy/origin-credentials-ignored",
            authed("/proxy", &basic("alice", "wonderland")),
            Expect::denied(407, PROXY, &[BASIC]),
        ),
        case(
            "proxy/wrong",
            get("/proxy").header("Proxy-Authorization", basic("alice", "wrong")),
            Expect::denied(407, PROXY, &[BASIC]),
        ),
        case(
            "proxy/malformed",
            get("/proxy").header("Proxy-Authorization", "Basic abc"),
            Expect::denied(400, PROXY, &[BASIC]),
        ),
        case(
            "proxy/ok",
            get("/proxy").header("Proxy-Authorization", basic("alice", "wonderland")),
            Expect::ok(Some("alice"), b""),
        ),
        case(
            "proxy/absolute-form-ok",
            get("http://127.0.0.1/proxy").header("Proxy-Authorization", basic("bob", "builder")),
            Expect::ok(Some("bob"), b""),
        ),
    ]
}

fn info_cases() -> Vec<Case> {
    vec![
        case(
            "info/missing",
            get("/info"),
            Expect::denied(401, WWW, &[BASIC]),
        ),
        case(
            "info/ok",
            authed("/info", &basic("alice", "wonderland")),
            Expect::ok(Some("alice"), b"").with_header("authentication-info", r#"user="alice""#),
        ),
    ]
}

fn body_cases() -> Vec<Case> {
    let small = b"hello world".to_vec();
    let large = payload(BODY_LIMIT * 3);
    let medium = payload(BODY_LIMIT - 24);
    let exact = payload(BODY_LIMIT);
    let key = r#"BodyCheck key="k3y""#;
    let with_length = |n: usize| format!(r#"BodyCheck key="k3y", length="{n}""#);
    let post = |path: &str, body: &[u8]| RawRequest::post(path).body(body.to_vec());
    vec![
        case(
            "body/missing-offers-auth-int",
            post("/body", &small),
            Expect::denied(401, WWW, &[CHECK_INT]),
        ),
        case(
            "body/auth-int-ok",
            post("/body", &small).header("Authorization", with_length(small.len())),
            Expect::ok(Some("carol"), &small),
        ),
        case(
            "body/length-mismatch",
            post("/body", &small).header("Authorization", with_length(3)),
            Expect::denied(401, WWW, &[CHECK_INT]),
        ),
        case(
            "body/exactly-limit",
            post("/body", &exact).header("Authorization", with_length(exact.len())),
            Expect::ok(Some("carol"), &exact),
        ),
        case(
            "body/over-limit-no-auth-int",
            post("/body", &large),
            Expect::denied(401, WWW, &[CHECK_AUTH]),
        ),
        case(
            "body/over-limit-length-refused",
            post("/body", &large).header("Authorization", with_length(large.len())),
            Expect::denied(401, WWW, &[CHECK_AUTH]),
        ),
        case(
            "body/over-limit-body-kept",
            post("/body", &large).header("Authorization", key),
            Expect::ok(Some("carol"), &large),
        ),
        case(
            "body/chunked-under-limit",
            post("/body", &medium)
                .chunked(7)
                .header("Authorization", with_length(medium.len())),
            Expect::ok(Some("carol"), &medium),
        ),
        case(
            "body/chunked-over-limit-no-auth-int",
            post("/body", &large).chunked(25),
            Expect::denied(401, WWW, &[CHECK_AUTH]),
        ),
        case(
            "body/chunked-over-limit-body-kept",
            post("/body", &large)
                .chunked(25)
                .header("Authorization", key),
            Expect::ok(Some("carol"), &large),
        ),
        case(
            "body/get-empty-body-offers-auth-int",
            get("/body"),
            Expect::denied(401, WWW, &[CHECK_INT]),
        ),
        case(
            "body-off/missing",
            post("/body-off", &small),
            Expect::denied(401, WWW, &[CHECK_AUTH]),
        ),
        case(
            "body-off/length-refused",
            post("/body-off", &small).header("Authorization", with_length(small.len())),
            Expect::denied(401, WWW, &[CHECK_AUTH]),
        ),
        case(
            "body-off/ok",
            post("/body-off", &small).header("Authorization", key),
            Expect::ok(Some("carol"), &small),
        ),
        // A limit of 0 is no buffering at all: not even an empty body is
        // handed over, so `auth-int` is never offered.
        case(
            "body-zero/missing",
            post("/body-zero", &small),
            Expect::denied(401, WWW, &[CHECK_AUTH]),
        ),
        case(
            "body-zero/empty-post-missing",
            post("/body-zero", b""),
            Expect::denied(401, WWW, &[CHECK_AUTH]),
        ),
        case(
            "body-zero/get-missing",
            get("/body-zero"),
            Expect::denied(401, WWW, &[CHECK_AUTH]),
        ),
        case(
            "body-zero/length-refused",
            post("/body-zero", b"").header("Authorization", with_length(0)),
            Expect::denied(401, WWW, &[CHECK_AUTH]),
        ),
        case(
            "body-zero/ok",
            post("/body-zero", &small).header("Authorization", key),
            Expect::ok(Some("carol"), &small),
        ),
    ]
}

/// The nonce handshake; nonces are numbered in issue order, so these cases
/// must run in this order on a fresh server.
fn nonce_cases() -> Vec<Case> {
    let with_nonce = |n: &str| format!(r#"Nonce nonce="{n}", key="k3y""#);
    vec![
        case(
            "nonce/missing-issues-1",
            get("/nonce"),
            Expect::denied(401, WWW, &[r#"Nonce realm="testkit", nonce="1""#]),
        ),
        case(
            "nonce/use-1-gets-nextnonce-2",
            authed("/nonce", &with_nonce("1")),
            Expect::ok(Some("dave"), b"").with_header("authentication-info", r#"nextnonce="2""#),
        ),
        case(
            "nonce/replay-1-is-stale",
            authed("/nonce", &with_nonce("1")),
            Expect::denied(
                401,
                WWW,
                &[r#"Nonce realm="testkit", nonce="3", stale="true""#],
            ),
        ),
        case(
            "nonce/unknown-is-refused",
            authed("/nonce", &with_nonce("99")),
            Expect::denied(401, WWW, &[r#"Nonce realm="testkit", nonce="4""#]),
        ),
        case(
            "nonce/use-2-from-nextnonce",
            authed("/nonce", &with_nonce("2")),
            Expect::ok(Some("dave"), b"").with_header("authentication-info", r#"nextnonce="5""#),
        ),
        case(
            "nonce/use-3-from-stale-challenge",
            authed("/nonce", &with_nonce("3")),
            Expect::ok(Some("dave"), b"").with_header("authentication-info", r#"nextnonce="6""#),
        ),
        case(
            "nonce/malformed",
            authed("/nonce", "Nonce key=k3y"),
            Expect::denied(400, WWW, &[r#"Nonce realm="testkit", nonce="7""#]),
        ),
    ]
}
