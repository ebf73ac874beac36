//! The client-side cost of answering a Digest SHA-256 challenge: parse the
//! `WWW-Authenticate` value and compute the `Authorization` value, next to
//! the `http-auth` crate's client doing the same work in the same run.

#![allow(missing_docs)] // criterion_group! generates an undocumented function.

use std::hint::black_box;

use authscheme::syntax::parse_challenges;
use authscheme::{ClientCredentials, ClientRequest, ClientScheme};
use authscheme_digest::DigestClient;
use criterion::{Criterion, criterion_group, criterion_main};

const CHALLENGE: &str = r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;

fn answer(c: &mut Criterion) {
    let mut group = c.benchmark_group("answer Digest SHA-256 challenge");
    let creds = ClientCredentials::password("Mufasa", "Circle of Life");
    group.bench_function("authscheme (parse + start + authorize)", |b| {
        b.iter(|| {
            let offered = parse_challenges(black_box(CHALLENGE.as_bytes())).expect("parses");
            let mut session = DigestClient::new()
                .start(&offered[0], &creds)
                .expect("answerable");
            let value = session
                .authorize_header(&ClientRequest::new("GET", "/dir/index.html"))
                .expect("answers");
            black_box(value)
        });
    });
    group.bench_function("http-auth (parse + respond)", |b| {
        b.iter(|| {
            let mut client =
                http_auth::PasswordClient::try_from(black_box(CHALLENGE)).expect("parses");
            let value = client
                .respond(&http_auth::PasswordParams {
                    username: "Mufasa",
                    password: "Circle of Life",
                    uri: "/dir/index.html",
                    method: "GET",
                    body: None,
                })
                .expect("answers");
            black_box(value)
        });
    });
    // The per-request cost once a space is known: the next nc on the same
    // nonce (http-auth's client also keeps its nonce count).
    let offered = parse_challenges(CHALLENGE.as_bytes()).expect("parses");
    let mut session = DigestClient::new()
        .start(&offered[0], &creds)
        .expect("answerable");
    group.bench_function("authscheme (next request, same nonce)", |b| {
        b.iter(|| {
            let value = session
                .authorize_header(&ClientRequest::new("GET", black_box("/dir/index.html")))
                .expect("answers");
            black_box(value)
        });
    });
    let mut client = http_auth::PasswordClient::try_from(CHALLENGE).expect("parses");
    group.bench_function("http-auth (next request, same nonce)", |b| {
        b.iter(|| {
            let value = client
                .respond(&http_auth::PasswordParams {
                    username: "Mufasa",
                    password: "Circle of Life",
                    uri: black_box("/dir/index.html"),
                    method: "GET",
                    body: None,
                })
                .expect("answers");
            black_box(value)
        });
    });
    group.finish();
}

criterion_group!(benches, answer);
criterion_main!(benches);
