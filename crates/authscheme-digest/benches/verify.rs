//! Verifying one Digest request (SHA-256, qop=auth), nonce check and replay
//! window included, side by side with the hashing floor: the same Digest
//! hashes computed alone.
//!
//! `cargo bench -p authscheme-digest --bench verify`
#![allow(clippy::unwrap_used, missing_docs)]

use std::hint::black_box;

use authscheme::{AuthRequest, AuthScheme, ClientRequest, ClientScheme, Credentials, Verdict};
use authscheme_digest::{
    Algorithm, DigestClient, DigestScheme, DigestUser, HexDigest, MemoryCredentialStore, Qop,
    compute,
};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

const REALM: &str = "http-auth@example.org";
const URI: &str = "/dir/index.html";

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let store = MemoryCredentialStore::new(REALM).with_user("Mufasa", "Circle of Life");
    let scheme = DigestScheme::builder(REALM, store)
        .algorithms([Algorithm::Sha256])
        .build()
        .unwrap();
    let headers = http::HeaderMap::new();
    let request = AuthRequest::new("GET", URI, &headers);
    let mut challenges = Vec::new();
    AuthScheme::<DigestUser>::challenges(&scheme, &request, &mut challenges);
    let creds = authscheme::ClientCredentials::password("Mufasa", "Circle of Life");
    let mut session = DigestClient::new().start(&challenges[0], &creds).unwrap();
    let client_request = ClientRequest::new("GET", URI);

    let mut group = c.benchmark_group("digest_sha256_auth");

    // The floor: HA2, the response and rspauth, from a stored HA1.
    let ha1 = compute::ha1(Algorithm::Sha256, "Mufasa", REALM, "Circle of Life");
    let nonce = challenges[0].param_str("nonce").unwrap().to_owned();
    group.bench_function("hashes_alone", |b| {
        b.iter(|| black_box(digest_hashes(&ha1, black_box(&nonce))));
    });
    group.bench_function("hashes_alone_without_rspauth", |b| {
        b.iter(|| {
            let alg = Algorithm::Sha256;
            let parts = compute::QopParts {
                qop: Qop::Auth,
                nc: "00000001",
                cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
            };
            let ha2 = compute::ha2(alg, Some(Qop::Auth), "GET", black_box(URI), b"");
            black_box(compute::response(
                alg,
                &ha1,
                black_box(&nonce),
                Some(parts),
                &ha2,
            ))
        });
    });

    // Every hash a verification computes: the three above plus the
    // nonce's HMAC (checked through the issuer, which also decodes it).
    group.bench_function("hashes_and_nonce_mac_alone", |b| {
        let issuer = scheme.nonce_issuer();
        b.iter(|| {
            let check = issuer.check(black_box(&nonce), REALM, Algorithm::Sha256);
            black_box((check, digest_hashes(&ha1, black_box(&nonce))))
        });
    });

    // The pieces the verification adds to the floor.
    group.bench_function("nonce_check_alone", |b| {
        let issuer = scheme.nonce_issuer();
        b.iter(|| black_box(issuer.check(black_box(&nonce), REALM, Algorithm::Sha256)));
    });
    group.bench_function("read_params_alone", |b| {
        let creds = session.authorize(&client_request).unwrap();
        b.iter(|| {
            black_box(
                authscheme_digest::DigestResponse::from_params(black_box(&creds).params()).is_ok(),
            )
        });
    });
    group.bench_function("executor_overhead", |b| {
        b.iter(|| rt.block_on(async { black_box(1) }));
    });

    // The whole verification: parameters, nonce MAC, store lookup,
    // response, replay window, Authentication-Info. Each iteration gets a
    // fresh nc (made outside the timing) so the replay check passes; the
    // credentials are lent to it, as an adapter lends the parsed header,
    // so dropping them is not timed. First on the synchronous path the
    // adapters try first (in-memory stores answer at once) ...
    group.bench_function("verify", |b| {
        b.iter_batched_ref(
            || session.authorize(&client_request).unwrap(),
            |creds: &mut Credentials<'static>| {
                let done: Option<authscheme::Authenticated<DigestUser>> =
                    scheme.authenticate_now(&request, creds);
                assert!(done.is_some());
                black_box(done)
            },
            BatchSize::SmallInput,
        );
    });
    // ... then through the asynchronous path and an executor, as with a
    // store that has to wait.
    group.bench_function("verify_async", |b| {
        b.iter_batched_ref(
            || session.authorize(&client_request).unwrap(),
            |creds: &mut Credentials<'static>| {
                let verdict: Verdict<DigestUser> =
                    rt.block_on(scheme.authenticate(&request, creds));
                assert!(matches!(verdict, Verdict::Authenticated(_)));
                black_box(verdict)
            },
            BatchSize::SmallInput,
        );
    });

    // The same, parsing the header value too.
    group.bench_function("parse_and_verify", |b| {
        b.iter_batched(
            || session.authorize(&client_request).unwrap().to_bytes(),
            |value: Vec<u8>| {
                let creds = Credentials::parse(&value).unwrap();
                let verdict: Verdict<DigestUser> =
                    rt.block_on(scheme.authenticate(&request, &creds));
                black_box(matches!(verdict, Verdict::Authenticated(_)))
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

/// HA2, the response and rspauth from a stored HA1: the three Digest
/// hashes of a SHA-256 qop=auth verification.
fn digest_hashes(ha1: &HexDigest, nonce: &str) -> (HexDigest, HexDigest) {
    let alg = Algorithm::Sha256;
    let parts = compute::QopParts {
        qop: Qop::Auth,
        nc: "00000001",
        cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
    };
    let ha2 = compute::ha2(alg, Some(Qop::Auth), "GET", URI, b"");
    let r = compute::response(alg, ha1, nonce, Some(parts), &ha2);
    let a = compute::rspauth(alg, ha1, nonce, parts, URI);
    (r, a)
}

criterion_group!(benches, bench);
criterion_main!(benches);
