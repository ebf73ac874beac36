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
//! `cargo run --release -p authscheme-warp --example load_server -- 127.0.0.1:8092`
#![allow(clippy::unwrap_used, missing_docs)]

use std::time::Duration;

use authscheme::Authenticator;
use authscheme::registry::Principal;
use authscheme_basic::{BasicScheme, MemoryStore};
use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
use authscheme_bearer::{BearerScheme, StaticTokens};
use authscheme_warp::{Auth, authenticate, recover};
use warp::Filter;

const JWT_SECRET: &[u8] = b"a-load-test-secret-of-32-bytes!!";

fn main() {
    let addr: std::net::SocketAddr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8092".into())
        .parse()
        .unwrap();

    let store = MemoryStore::with_cost(10).unwrap();
    store.insert("alice", "wonderland").unwrap();
    let basic = Authenticator::new()
        .with(BasicScheme::new("load", store).with_cache(Duration::from_secs(300), 1024));
    let tokens = StaticTokens::new().with_token("s3cret-token", "service", Vec::<String>::new());
    let bearer =
        Authenticator::new().with(BearerScheme::builder(tokens).realm("load").build().unwrap());
    let validator = JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .key(JwtKey::secret(JWT_SECRET))
        .cache(1024)
        .build()
        .unwrap();
    let jwt = Authenticator::new().with(
        BearerScheme::builder(validator)
            .realm("load")
            .build()
            .unwrap(),
    );

    let guarded = |path: &'static str, auth: Authenticator<Principal>| {
        warp::path(path)
            .and(warp::path::end())
            .and(authenticate(auth))
            .map(|_: Auth<Principal>| "ok")
    };
    let open = warp::path("open").and(warp::path::end()).map(|| "ok");
    let app = open
        .or(guarded("basic", basic))
        .or(guarded("bearer", bearer))
        .or(guarded("jwt", jwt))
        .recover(recover);

    println!(
        "jwt: {}",
        TokenMint::new("alice")
            .sign(Algorithm::HS256, &SigningKey::secret(JWT_SECRET))
            .unwrap()
    );
    eprintln!("warp load server on http://{addr}");
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
        .block_on(warp::serve(app).run(addr));
}
