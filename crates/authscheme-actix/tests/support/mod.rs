//! Small test schemes and a raw HTTP/1.1 client, so the tests see exactly
//! the bytes a client would.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use authscheme::registry::Principal;
use authscheme::{
    AuthRequest, AuthScheme, Authenticated, Challenge, Credentials, Param, Params, Rejection,
    SchemeName, Verdict, async_trait, ct_eq,
};

/// `Basic` with one fixed user, `alice:secret` (base64 `YWxpY2U6c2VjcmV0`).
pub struct FixedBasic;

pub const ALICE: &str = "Basic YWxpY2U6c2VjcmV0";
pub const WRONG: &str = "Basic YWxpY2U6d3Jvbmc=";

#[async_trait]
impl AuthScheme<Principal> for FixedBasic {
    fn name(&self) -> SchemeName<'static> {
        SchemeName::BASIC
    }

    fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        out.push(
            Challenge::builder(SchemeName::BASIC)
                .quoted_param("realm", "Test zone".as_bytes())
                .quoted_param("charset", "UTF-8".as_bytes())
                .build()
                .unwrap(),
        );
    }

    async fn authenticate(
        &self,
        _: &AuthRequest<'_>,
        creds: &Credentials<'_>,
    ) -> Verdict<Principal> {
        match creds.token68() {
            None => Verdict::Rejected(Rejection::bad_request("no token68")),
            Some(t) if ct_eq(t.as_bytes(), b"YWxpY2U6c2VjcmV0") => Verdict::Authenticated(
                Authenticated::new(Principal::new("alice"), SchemeName::BASIC),
            ),
            Some(_) => Verdict::Rejected(Rejection::unauthorized("wrong password")),
        }
    }
}

/// `Token t0k3n`, answered with `Authentication-Info: nextnonce="n1", rspauth=ok`.
pub struct InfoToken;

pub const TOKEN: &str = "Token t0k3n";

fn token_name() -> SchemeName<'static> {
    SchemeName::new("Token").unwrap()
}

#[async_trait]
impl AuthScheme<Principal> for InfoToken {
    fn name(&self) -> SchemeName<'static> {
        token_name()
    }

    fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        out.push(
            Challenge::builder(token_name())
                .quoted_param("realm", "Test zone".as_bytes())
                .build()
                .unwrap(),
        );
    }

    async fn authenticate(
        &self,
        _: &AuthRequest<'_>,
        creds: &Credentials<'_>,
    ) -> Verdict<Principal> {
        match creds.token68() {
            Some(t) if ct_eq(t.as_bytes(), b"t0k3n") => {
                let mut info = Params::new();
                info.set(Param::quoted("nextnonce", "n1".as_bytes()).unwrap());
                info.set(Param::new("rspauth", "ok".as_bytes()).unwrap());
                Verdict::Authenticated(
                    Authenticated::new(Principal::new("robot"), token_name())
                        .with_info(info.to_header_value()),
                )
            }
            _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
        }
    }
}

/// `Sig len=N`: good when the scheme was given the body and it is N bytes
/// long. Offers `body=yes` only when it was given the body, as Digest offers
/// auth-int only then.
pub struct BodyLength;

fn sig_name() -> SchemeName<'static> {
    SchemeName::new("Sig").unwrap()
}

#[async_trait]
impl AuthScheme<Principal> for BodyLength {
    fn name(&self) -> SchemeName<'static> {
        sig_name()
    }

    fn challenges(&self, req: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        let offered = if req.body().is_some() { "yes" } else { "no" };
        out.push(
            Challenge::builder(sig_name())
                .param("body", offered.as_bytes())
                .build()
                .unwrap(),
        );
    }

    async fn authenticate(
        &self,
        req: &AuthRequest<'_>,
        creds: &Credentials<'_>,
    ) -> Verdict<Principal> {
        let claimed = creds.param_str("len").and_then(|l| l.parse::<usize>().ok());
        match (req.body(), claimed) {
            (Some(body), Some(len)) if body.len() == len => {
                Verdict::Authenticated(Authenticated::new(Principal::new("signer"), sig_name()))
            }
            _ => Verdict::Rejected(Rejection::unauthorized("body length does not match")),
        }
    }
}

/// One parsed HTTP/1.1 response, header lines kept as sent.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawResponse {
    /// Every value of the field `name`, one per field line, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn first(&self, name: &str) -> Option<&str> {
        self.all(name).into_iter().next()
    }
}

/// Sends `head` (request line and header lines, without the blank line) and
/// `body`, with `Connection: close`, and reads the whole response.
pub fn send(addr: SocketAddr, head: &str, body: &[u8]) -> RawResponse {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut request = format!("{head}\r\nHost: {addr}\r\nConnection: close\r\n\r\n").into_bytes();
    request.extend_from_slice(body);
    stream.write_all(&request).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse_response(&raw)
}

/// A GET of `path` with extra header lines.
pub fn get(addr: SocketAddr, path: &str, headers: &[&str]) -> RawResponse {
    let mut head = format!("GET {path} HTTP/1.1");
    for h in headers {
        head.push_str("\r\n");
        head.push_str(h);
    }
    send(addr, &head, b"")
}

fn parse_response(raw: &[u8]) -> RawResponse {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .expect("a complete response head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.trim().to_ascii_lowercase(), v.trim().to_owned())
        })
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    RawResponse {
        status,
        headers,
        body,
    }
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n").unwrap();
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
}
