//! Counts the work the filter adds to a request, for callgrind where
//! wall-clock timings are noise: `filter_cost CASE N` sends N requests
//! through one warp filter, after one request that fills the cache. Run it
//! for 1 000 and 11 000 requests and divide the difference by 10 000;
//! subtract `none` to get the price.
//!
//! Cases: `none` (no filter), `basic` (bcrypt user, cache hit), `deny` (no
//! credentials: the 401 with its challenge).
#![allow(clippy::unwrap_used, missing_docs)]

use std::time::Duration;

use authscheme::Authenticator;
use authscheme::registry::Principal;
use authscheme_basic::{BasicScheme, MemoryStore};
use authscheme_warp::{Auth, authenticate, recover};
use warp::Filter;
use warp::filters::BoxedFilter;

const BASIC: &str = "Basic YWxpY2U6d29uZGVybGFuZA=="; // alice:wonderland

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "basic".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let store = MemoryStore::with_cost(4).unwrap();
    store.insert("alice", "wonderland").unwrap();
    let scheme = BasicScheme::new("cost", store).with_cache(Duration::from_secs(300), 1024);
    let routes: BoxedFilter<(&'static str,)> = match case.as_str() {
        "none" => warp::path::end().map(|| "ok").boxed(),
        "basic" | "deny" => warp::path::end()
            .and(authenticate(Authenticator::new().with(scheme)))
            .map(|_: Auth<Principal>| "ok")
            .boxed(),
        other => panic!("unknown case {other}"),
    };
    let routes = routes.recover(recover);
    let with_credentials = case != "deny";
    let send = || {
        let request = warp::test::request().path("/").header("user-agent", "cost");
        let request = if with_credentials {
            request.header("authorization", BASIC)
        } else {
            request
        };
        request.reply(&routes)
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let expected = if with_credentials { 200 } else { 401 };
    assert_eq!(rt.block_on(send()).status(), expected, "{case}");
    for _ in 0..n {
        std::hint::black_box(rt.block_on(send()));
    }
}
