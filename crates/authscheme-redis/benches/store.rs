//! Digest verifications with the Redis store against the in-memory store,
//! side by side in one run: the difference is what sharing costs.
//!
//! - `store/*`: one `check_and_record` alone, and `store/redis_ping`, a
//!   bare `PING` on a connection like the store's: the floor for one round
//!   trip;
//! - `verify/*`: a whole Digest verification (parse, nonce signature,
//!   SHA-256 response, replay check) of a fresh `(nonce, nc)`, one at a time:
//!   the gap between the two is the added latency per request;
//! - `verify_concurrent/*`: 64 verifications in flight at once on a
//!   multi-threaded runtime, as a loaded server sees them (throughput).
//!
//! Needs `redis-server` on the PATH; starts its own on a free port.

#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use authscheme::{
    AuthRequest, Authenticator, ClientCredentials, ClientRequest, ClientScheme, ClientSession,
    Outcome,
};
use authscheme_digest::{
    Algorithm, DigestClient, DigestScheme, DigestUser, MemoryCredentialStore, MemoryNonceStore,
    NonceSecret, NonceStore, NonceUse, Seen,
};
use authscheme_redis::RedisNonceStore;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

const REALM: &str = "bench";

fn authenticator(replay: Arc<dyn NonceStore>) -> Authenticator<DigestUser> {
    let users = MemoryCredentialStore::new(REALM).with_user("alice", "wonderland");
    Authenticator::new().with(
        DigestScheme::builder(REALM, users)
            .algorithms([Algorithm::Sha256])
            .nonce_secret(NonceSecret::from_bytes(&[7u8; 32]).unwrap())
            .nonce_store(replay)
            .build()
            .unwrap(),
    )
}

/// A client session answering `auth`'s challenge.
fn session(
    auth: &Authenticator<DigestUser>,
    rt: &tokio::runtime::Runtime,
) -> Box<dyn ClientSession> {
    let headers = http::HeaderMap::new();
    let outcome = rt.block_on(auth.authenticate(&AuthRequest::new("GET", "/b", &headers)));
    let Outcome::Denied(denial) = outcome else {
        panic!("no credentials, no access")
    };
    let creds = ClientCredentials::password("alice", "wonderland");
    DigestClient::new()
        .start(&denial.challenges()[0], &creds)
        .unwrap()
}

fn headers_for(session: &mut dyn ClientSession) -> http::HeaderMap {
    let value = session.authorize(&ClientRequest::new("GET", "/b")).unwrap();
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", value.to_header_value());
    headers
}

async fn verify(auth: &Authenticator<DigestUser>, headers: &http::HeaderMap) {
    let outcome = auth
        .authenticate(&AuthRequest::new("GET", "/b", headers))
        .await;
    assert!(outcome.identity().is_some(), "every request is fresh");
}

fn bench(c: &mut Criterion) {
    let Some(redis) = support::RedisServer::start("benches/store.rs") else {
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let redis_store: Arc<dyn NonceStore> =
        Arc::new(rt.block_on(RedisNonceStore::connect(&redis.url())).unwrap());
    let memory_store: Arc<dyn NonceStore> = Arc::new(MemoryNonceStore::default());
    let stores = [("memory", memory_store), ("redis", redis_store)];

    let mut group = c.benchmark_group("store");
    for (name, store) in &stores {
        let mut nc = 0u32;
        group.bench_function(*name, |b| {
            b.to_async(&rt).iter(|| {
                nc += 1;
                let store = store.clone();
                async move {
                    let use_ = NonceUse {
                        nonce: "bench-nonce",
                        nc,
                        now: 0,
                        expires_at: 300,
                    };
                    assert_eq!(store.check_and_record(use_).await.unwrap(), Seen::Fresh);
                }
            });
        });
    }
    let ping_connection = rt.block_on(async {
        redis::Client::open(redis.url())
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap()
    });
    group.bench_function("redis_ping", |b| {
        b.to_async(&rt).iter(|| {
            let mut connection = ping_connection.clone();
            async move {
                let pong: String = redis::cmd("PING")
                    .query_async(&mut connection)
                    .await
                    .unwrap();
                assert_eq!(pong, "PONG");
            }
        });
    });
    group.finish();

    let mut group = c.benchmark_group("verify");
    for (name, store) in &stores {
        let auth = authenticator(store.clone());
        let mut client = session(&auth, &rt);
        group.bench_function(*name, |b| {
            b.to_async(&rt).iter_batched(
                || headers_for(client.as_mut()),
                |headers| {
                    let auth = &auth;
                    async move { verify(auth, &headers).await }
                },
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();

    const IN_FLIGHT: usize = 64;
    let mut group = c.benchmark_group("verify_concurrent");
    group.throughput(Throughput::Elements(IN_FLIGHT as u64));
    for (name, store) in &stores {
        let auth = Arc::new(authenticator(store.clone()));
        let mut client = session(&auth, &rt);
        group.bench_function(*name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let batch: Vec<_> = (0..IN_FLIGHT)
                        .map(|_| headers_for(client.as_mut()))
                        .collect();
                    let start = Instant::now();
                    rt.block_on(async {
                        let tasks: Vec<_> = batch
                            .into_iter()
                            .map(|headers| {
                                let auth = auth.clone();
                                tokio::spawn(async move { verify(&auth, &headers).await })
                            })
                            .collect();
                        for t in tasks {
                            t.await.unwrap();
                        }
                    });
                    total += start.elapsed();
                }
                total
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
