//! Parsing cost, side by side with the crates people use today, in one run:
//! `http-auth` for challenge lists, `headers` for Basic and Bearer credentials.
//!
//! `cargo bench -p authscheme --bench parse`; figures in docs/PERFORMANCE.md.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use base64::Engine as _;
use criterion::{Criterion, criterion_group, criterion_main};
use headers::authorization::{Basic, Bearer};
use headers::{Authorization, Header};
use http::HeaderValue;

const BASIC_CHALLENGE: &str = r#"Basic realm="Dev zone", charset="UTF-8""#;
const DIGEST_CHALLENGE: &str = r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
const THREE_CHALLENGES: &str = r#"Basic realm="Dev zone", Bearer, Digest realm="x", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v""#;
const BASIC_CREDENTIALS: &str = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==";
const BEARER_CREDENTIALS: &str = "Bearer mF_9.B5f-4.1JqM";
/// An HS256 JWT of the usual size (subject, name, issued-at, expiry, scope).
const BEARER_JWT_CREDENTIALS: &str = "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyLCJleHAiOjk5OTk5OTk5OTksInNjb3BlIjoicmVhZCB3cml0ZSJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
const DIGEST_CREDENTIALS: &str = r#"Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;

fn challenges(c: &mut Criterion) {
    for (name, line) in [
        ("basic", BASIC_CHALLENGE),
        ("digest-rfc7616", DIGEST_CHALLENGE),
        ("three-schemes", THREE_CHALLENGES),
    ] {
        let mut g = c.benchmark_group(format!("challenge/{name}"));
        g.bench_function("authscheme", |b| {
            b.iter(|| authscheme::syntax::parse_challenges(black_box(line.as_bytes())).unwrap())
        });
        g.bench_function("http-auth", |b| {
            b.iter(|| http_auth::parse_challenges(black_box(line)).unwrap())
        });
        g.finish();
    }
}

fn credentials(c: &mut Criterion) {
    let engine = base64::engine::general_purpose::STANDARD;

    let mut g = c.benchmark_group("credentials/basic");
    let value = HeaderValue::from_static(BASIC_CREDENTIALS);
    g.bench_function("authscheme", |b| {
        b.iter(|| authscheme::syntax::parse_credentials(black_box(value.as_bytes())).unwrap())
    });
    // The same work as `headers` does: parse, then decode the base64.
    g.bench_function("authscheme+base64", |b| {
        b.iter(|| {
            let c = authscheme::syntax::parse_credentials(black_box(value.as_bytes())).unwrap();
            engine.decode(c.token68().unwrap()).unwrap()
        })
    });
    g.bench_function("headers", |b| {
        b.iter(|| Authorization::<Basic>::decode(&mut std::iter::once(black_box(&value))).unwrap())
    });
    g.finish();

    for (name, bearer) in [
        ("credentials/bearer", BEARER_CREDENTIALS),
        ("credentials/bearer-jwt", BEARER_JWT_CREDENTIALS),
    ] {
        let mut g = c.benchmark_group(name);
        let value = HeaderValue::from_static(bearer);
        g.bench_function("authscheme", |b| {
            b.iter(|| authscheme::syntax::parse_credentials(black_box(value.as_bytes())).unwrap())
        });
        g.bench_function("headers", |b| {
            b.iter(|| {
                Authorization::<Bearer>::decode(&mut std::iter::once(black_box(&value))).unwrap()
            })
        });
        g.finish();
    }

    let mut g = c.benchmark_group("credentials/digest");
    let value = HeaderValue::from_static(DIGEST_CREDENTIALS);
    g.bench_function("authscheme", |b| {
        b.iter(|| authscheme::syntax::parse_credentials(black_box(value.as_bytes())).unwrap())
    });
    g.finish();
}

criterion_group!(benches, challenges, credentials);
criterion_main!(benches);
