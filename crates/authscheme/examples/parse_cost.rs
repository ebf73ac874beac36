//! Counts the work of one parse, for callgrind where wall-clock timings
//! are noise: `parse_cost CASE N [headers]` parses the same value N times.
//! Run it for 1 000 and 11 000 and divide the difference by 10 000; with
//! `headers`, the `headers` crate decodes the credentials instead, for the
//! side-by-side figure of `benches/parse.rs`.
//!
//! Cases: `basic-challenge`, `basic`, `bearer`, `jwt` (the values of
//! `benches/parse.rs`).
#![allow(clippy::unwrap_used, missing_docs)]

use std::hint::black_box;

use headers::Header;
use headers::authorization::{Basic, Bearer};

const BASIC_CHALLENGE: &str = r#"Basic realm="Dev zone", charset="UTF-8""#;
const BASIC: &str = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==";
const BEARER: &str = "Bearer mF_9.B5f-4.1JqM";
const JWT: &str = "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyLCJleHAiOjk5OTk5OTk5OTksInNjb3BlIjoicmVhZCB3cml0ZSJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "bearer".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let by_headers = args.next().as_deref() == Some("headers");
    let value = http::HeaderValue::from_static(match case.as_str() {
        "basic-challenge" => BASIC_CHALLENGE,
        "basic" => BASIC,
        "bearer" => BEARER,
        "jwt" => JWT,
        other => panic!("unknown case {other}"),
    });
    for _ in 0..n {
        let value = black_box(&value);
        match (case.as_str(), by_headers) {
            ("basic-challenge", _) => {
                black_box(authscheme::syntax::parse_challenges(value.as_bytes()).unwrap());
            }
            ("basic", true) => {
                black_box(
                    headers::Authorization::<Basic>::decode(&mut std::iter::once(value)).unwrap(),
                );
            }
            (_, true) => {
                black_box(
                    headers::Authorization::<Bearer>::decode(&mut std::iter::once(value)).unwrap(),
                );
            }
            (_, false) => {
                black_box(authscheme::syntax::parse_credentials(value.as_bytes()).unwrap());
            }
        }
    }
}
