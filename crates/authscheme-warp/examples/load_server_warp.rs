//! The warp server of `cargo xtask load` (docs/PERFORMANCE.md): every
//! route answers `ok` from the same handler shape, so that the routes
//! differ only in what guards them. warp has no authentication filter of
//! its own, so there is no peer route.
//!
//! - `/open`: nothing;
//! - `/basic`: authscheme Basic, a bcrypt user (`alice:wonderland`, cost
//!   10) behind the verified-credential cache;
//! - `/bearer`: authscheme Bearer, a static token (`s3cret-token`);
//! - `/jwt`: authscheme Bearer, HS256 JWTs behind the verified-token
//!   cache (the server prints one on stdout, `jwt: <token>`).
//!
//! One worker thread, as `authscheme serve --framework warp --workers 1`.
//! `cargo run --release -p authscheme-warp --example load_server_warp -- 127.0.0.1:8092`
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "../../authscheme-axum/examples/support/load_schemes.rs"]
mod load_schemes;

use authscheme::Authenticator;
use authscheme::registry::Principal;
use authscheme_warp::{Auth, authenticate, recover};
use warp::Filter;

fn main() {
    let addr: std::net::SocketAddr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8092".into())
        .parse()
        .unwrap();
    let guards = load_schemes::Guards::new();
    let guarded = |path: &'static str, auth: Authenticator<Principal>| {
        warp::path(path)
            .and(warp::path::end())
            .and(authenticate(auth))
            .map(|_: Auth<Principal>| "ok")
    };
    let open = warp::path("open").and(warp::path::end()).map(|| "ok");
    let app = open
        .or(guarded("basic", guards.basic))
        .or(guarded("bearer", guards.bearer))
        .or(guarded("jwt", guards.jwt))
        .recover(recover);

    println!("jwt: {}", load_schemes::jwt());
    eprintln!("warp load server on http://{addr}");
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
        .block_on(warp::serve(app).run(addr));
}
