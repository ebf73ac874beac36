//! The filter's price per request, in process: one request through a warp
//! filter with and without `authscheme_warp::authenticate` (same headers).
//! warp has no authentication filters of its own to compare against.
//!
//! The schemes are the real ones as a service configures them: Basic with a
//! bcrypt user behind the verified-credential cache (a hit), Bearer with a
//! static token. Subtract `no-layer` from a row to get the filter's own
//! cost.
//!
//! The `warp/basic` group also has the floor under any authentication
//! filter: one that only reads the `Authorization` field (warp's
//! `header::value`), and one that also extracts a fixed identity for the
//! handler.

#![allow(missing_docs, clippy::unwrap_used)]

use authscheme::registry::Principal;
use authscheme::{Authenticated, Authenticator, SchemeName};
use authscheme_basic::{BasicScheme, MemoryStore};
use authscheme_bearer::{BearerScheme, StaticTokens};
use authscheme_testkit::basic;
use authscheme_warp::{Auth, authenticate, recover};
use criterion::{Criterion, criterion_group, criterion_main};
use warp::http::HeaderValue;
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
        guarded(Authenticator::new().with(static_bearer())),
        bearer,
    );

    let creds = basic("alice", "wonderland");
    bench_filter(c, "warp/basic", "no-layer", open(), &creds);
    bench_filter(
        c,
        "warp/basic",
        "authscheme-warp",
        guarded(Authenticator::new().with(cached_basic())),
        &creds,
    );

    let floor_lookup = warp::path::end()
        .and(warp::header::value("authorization"))
        .map(|_: HeaderValue| "ok")
        .recover(recover);
    bench_filter(c, "warp/basic", "floor-lookup", floor_lookup, &creds);
    let identity = Authenticated::new(
        Principal::new("alice").with_scopes(["read"]),
        SchemeName::BASIC,
    );
    let floor_identity = warp::path::end()
        .and(warp::header::value("authorization"))
        .map(move |_: HeaderValue| identity.clone())
        .map(|_: Authenticated<Principal>| "ok")
        .recover(recover);
    bench_filter(c, "warp/basic", "floor-identity", floor_identity, &creds);
}

fn cached_basic() -> BasicScheme<MemoryStore> {
    let store = MemoryStore::with_cost(10).unwrap();
    store.insert("alice", "wonderland").unwrap();
    BasicScheme::new("bench", store).with_cache(std::time::Duration::from_secs(300), 1024)
}

fn static_bearer() -> BearerScheme<StaticTokens<Principal>> {
    let tokens = StaticTokens::new().with_token("read-token", "alice", ["read"]);
    BearerScheme::builder(tokens)
        .realm("bench")
        .require_scopes(["read"])
        .build()
        .unwrap()
}

criterion_group!(benches, filters);
criterion_main!(benches);
