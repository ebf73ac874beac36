//! Counts the work the middleware adds to a request, for callgrind where
//! wall-clock timings are noise: `middleware_cost CASE N` sends N requests
//! through one actix-web app (the `actix_web::test` service, as
//! `benches/middleware.rs` does), after one request that fills the caches.
//! Run it for 1 000 and 11 000 requests and divide the difference by
//! 10 000; subtract `none` to get the price.
//!
//! Cases: `none` (no middleware), `basic` (bcrypt user, cache hit),
//! `bearer` (static token), `peer-basic` (actix-web-httpauth with a
//! fixed-string validator), `floor-lookup` and `floor-identity` (the floor
//! under any middleware, see `support/floor.rs`).
#![allow(clippy::unwrap_used, missing_docs)]

use std::time::Duration;

use actix_web::dev::Service;
use actix_web::{App, test, web};
use actix_web_httpauth::middleware::HttpAuthentication;
use app::{ok, request};
use authscheme::registry::Principal;
use authscheme::{Authenticated, Authenticator, SchemeName};
use authscheme_actix::Authentication;
use authscheme_basic::{BasicScheme, MemoryStore};
use authscheme_bearer::{BearerScheme, StaticTokens};

#[path = "support/app.rs"]
mod app;
#[path = "support/floor.rs"]
mod floor;
#[path = "support/peer_basic.rs"]
mod peer_basic;

const BASIC: &str = "Basic YWxpY2U6d29uZGVybGFuZA=="; // alice:wonderland
const BEARER: &str = "Bearer read-token";

fn authenticator(case: &str) -> Authenticator<Principal> {
    match case {
        "basic" => {
            let store = MemoryStore::with_cost(4).unwrap();
            store.insert("alice", "wonderland").unwrap();
            let scheme = BasicScheme::new("cost", store).with_cache(Duration::from_secs(300), 1024);
            Authenticator::new().with(scheme)
        }
        _ => {
            let tokens = StaticTokens::new().with_token("read-token", "alice", ["read"]);
            let scheme = BearerScheme::builder(tokens)
                .realm("cost")
                .require_scopes(["read"])
                .build()
                .unwrap();
            Authenticator::new().with(scheme)
        }
    }
}

/// Sends `n` requests through `app`, after one that must be let through.
macro_rules! run {
    ($system:expr, $n:expr, $authorization:expr, $app:expr) => {{
        let app = $system.block_on(test::init_service($app));
        let first = $system.block_on(app.call(request($authorization))).unwrap();
        assert_eq!(first.status(), 200);
        for _ in 0..$n {
            let response = $system.block_on(app.call(request($authorization))).unwrap();
            std::hint::black_box(response);
        }
    }};
}

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "basic".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let system = actix_web::rt::System::new();
    let authorization = if case.contains("basic") {
        BASIC
    } else {
        BEARER
    };
    let identity = Authenticated::new(Principal::new("alice"), SchemeName::BASIC);
    let route = || web::get().to(ok);
    match case.as_str() {
        "none" => run!(system, n, authorization, App::new().route("/", route())),
        "basic" | "bearer" => run!(
            system,
            n,
            authorization,
            App::new()
                .wrap(Authentication::<Principal>::new(authenticator(&case)))
                .route("/", route())
        ),
        "peer-basic" => run!(
            system,
            n,
            authorization,
            App::new()
                .wrap(HttpAuthentication::basic(peer_basic::peer_basic))
                .route("/", route())
        ),
        "floor-lookup" => run!(
            system,
            n,
            authorization,
            App::new()
                .wrap(floor::Floor { identity: None })
                .route("/", route())
        ),
        "floor-identity" => run!(
            system,
            n,
            authorization,
            App::new()
                .wrap(floor::Floor {
                    identity: Some(identity)
                })
                .route("/", route())
        ),
        other => panic!("unknown case {other}"),
    }
}
