//! Basic on the server: decode + verify with a cache hit, side by side with
//! the `headers` crate's decode plus a constant-time compare; and what a
//! cache miss costs per hash format.
#![allow(missing_docs, clippy::unwrap_used)]

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use authscheme::{AuthRequest, AuthScheme, Credentials, Verdict};
use authscheme_basic::{BasicCredentials, BasicScheme, HashFormat, MemoryStore, PasswordHash};
use criterion::{Criterion, criterion_group, criterion_main};
use headers::Header;
use headers::authorization::{Authorization, Basic};

const VALUE: &str = "Basic Ym9iOnBhc3M6d2l0aDpjb2xvbnM=";
const PASSWORD: &str = "pass:with:colons";

/// Polls a future that never waits (a cache hit) to completion.
fn ready<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("a cache hit must not wait"),
    }
}

fn decode_and_hit(c: &mut Criterion) {
    let store = MemoryStore::with_cost(4).unwrap();
    store.insert("bob", PASSWORD).unwrap();
    let scheme = BasicScheme::new("bench", store).with_cache(Duration::from_secs(3600), 1024);
    let headers = http::HeaderMap::new();
    let request = AuthRequest::new("GET", "/", &headers);
    // Fill the cache (this one pays bcrypt).
    let creds = Credentials::parse(VALUE.as_bytes()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    assert!(matches!(
        rt.block_on(scheme.authenticate(&request, &creds)),
        Verdict::Authenticated(_)
    ));

    let header_value = http::HeaderValue::from_static(VALUE);
    let mut group = c.benchmark_group("basic_hit");
    group.bench_function("headers_decode_ct_eq", |b| {
        b.iter(|| {
            let auth =
                Authorization::<Basic>::decode(&mut std::iter::once(black_box(&header_value)))
                    .unwrap();
            authscheme::ct_eq(auth.password().as_bytes(), PASSWORD.as_bytes())
        })
    });
    group.bench_function("headers_decode_only", |b| {
        b.iter(|| {
            Authorization::<Basic>::decode(&mut std::iter::once(black_box(&header_value))).unwrap()
        })
    });
    group.bench_function("authscheme_parse_decode_cache_hit", |b| {
        b.iter(|| {
            let creds = Credentials::parse(black_box(VALUE.as_bytes())).unwrap();
            match ready(scheme.authenticate(&request, &creds)) {
                Verdict::Authenticated(a) => a,
                _ => panic!("cache miss"),
            }
        })
    });
    group.bench_function("authscheme_core_parse_only", |b| {
        b.iter(|| Credentials::parse(black_box(VALUE.as_bytes())).unwrap())
    });
    let cache = authscheme_basic::CredentialCache::new(Duration::from_secs(3600), 1024);
    cache.insert(
        0,
        "bob",
        PASSWORD,
        authscheme::registry::Principal::new("bob"),
    );
    group.bench_function("cache_get_only", |b| {
        b.iter(|| cache.get(0, black_box("bob"), black_box(PASSWORD)).unwrap())
    });
    group.bench_function("authscheme_decode_only", |b| {
        b.iter(|| BasicCredentials::decode(black_box(&VALUE[6..])).unwrap())
    });
    group.finish();
}

fn miss_per_format(c: &mut Criterion) {
    let mut group = c.benchmark_group("basic_miss");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    let formats = [
        ("bcrypt_cost10", HashFormat::Bcrypt, Some(10)),
        ("bcrypt_cost5", HashFormat::Bcrypt, Some(5)),
        ("sha512crypt_5000", HashFormat::Sha512Crypt, None),
        ("sha256crypt_5000", HashFormat::Sha256Crypt, None),
        ("apr1", HashFormat::Apr1, None),
        ("sha1", HashFormat::Sha1, None),
    ];
    for (name, format, cost) in formats {
        let hash = PasswordHash::generate_with_cost(format, PASSWORD, cost).unwrap();
        group.bench_function(name, |b| b.iter(|| hash.verify(black_box(PASSWORD))));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = decode_and_hit, miss_per_format
}
criterion_main!(benches);
