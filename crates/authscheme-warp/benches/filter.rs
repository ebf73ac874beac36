//! The filter's price per request, in process: one request through a warp
//! filter with and without `authscheme_warp::authenticate` (same headers).
//! warp has no authentication filters of its own to compare against.
//!
//! Schemes are the testkit's fixed-credential ones (a static Bearer token,
//! a fixed Basic password). Subtract `no-layer` from a row to get the
//! filter's own cost.

#![allow(missing_docs, clippy::unwrap_used)]

use authscheme::Authenticator;
use authscheme_testkit::schemes::{TestBasic, TestBearer};
use authscheme_testkit::{Principal, basic};
use authscheme_warp::{Auth, authenticate, recover};
use criterion::{Criterion, criterion_group, criterion_main};
use warp::{Filter, Reply};

fn bench_filter<F>(c: &mut Criterion, group: &str, name: &str, filter: F, authorization: &str)
where
    F: Filter<Error = warp::Rejection> + 'static,
    F::Extract: Reply + Send,
{
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let send = || {
        warp::test::request()
            .path("/")
            .header("authorization", authorization)
            .header("user-agent", "bench")
            .reply(&filter)
    };
    // Same request every time; a denial would make the numbers meaningless.
    assert_eq!(rt.block_on(send()).status(), 200, "{group}/{name}");
    c.benchmark_group(group).bench_function(name, |b| {
        b.iter(|| rt.block_on(send()));
    });
}

fn filters(c: &mut Criterion) {
    let open = || warp::path::end().map(|| "ok").recover(recover);
    let guarded = |auth: Authenticator<Principal>| {
        warp::path::end()
            .and(authenticate(auth))
            .map(|_: Auth<Principal>| "ok")
            .recover(recover)
    };

    let bearer = "Bearer read-token";
    bench_filter(c, "warp/bearer", "no-layer", open(), bearer);
    bench_filter(
        c,
        "warp/bearer",
        "authscheme-warp",
        guarded(Authenticator::new().with(TestBearer::requiring("read"))),
        bearer,
    );

    let creds = basic("alice", "wonderland");
    bench_filter(c, "warp/basic", "no-layer", open(), &creds);
    bench_filter(
        c,
        "warp/basic",
        "authscheme-warp",
        guarded(Authenticator::new().with(TestBasic::new())),
        &creds,
    );
}

criterion_group!(benches, filters);
criterion_main!(benches);
