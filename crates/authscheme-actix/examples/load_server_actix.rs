//! The actix-web server of `cargo xtask load` (docs/PERFORMANCE.md):
//! every route answers `ok` from the same handler shape, so that the
//! routes differ only in what guards them.
//!
//! - `/open`: nothing;
//! - `/basic`: authscheme Basic, a bcrypt user (`alice:wonderland`, cost
//!   10) behind the verified-credential cache;
//! - `/bearer`: authscheme Bearer, a static token (`s3cret-token`);
//! - `/jwt`: authscheme Bearer, HS256 JWTs behind the verified-token
//!   cache (the server prints one on stdout, `jwt: <token>`);
//! - `/peer-basic`: the peer, actix-web-httpauth's
//!   `HttpAuthentication::basic` (a fixed `alice:wonderland` compared as a
//!   string).
//!
//! One worker, as `authscheme serve --framework actix --workers 1`.
//! `cargo run --release -p authscheme-actix --example load_server_actix -- 127.0.0.1:8091`
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "../../authscheme-axum/examples/support/load_schemes.rs"]
mod load_schemes;
#[path = "support/peer_basic.rs"]
mod peer_basic;

use actix_web::{App, HttpServer, web};
use actix_web_httpauth::middleware::HttpAuthentication;
use authscheme::Authenticator;
use authscheme::registry::Principal;
use authscheme_actix::{Auth, Authentication};
use peer_basic::peer_basic;

async fn ok() -> &'static str {
    "ok"
}

async fn ok_for(_user: Auth<Principal>) -> &'static str {
    "ok"
}

fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8091".into());
    let guards = load_schemes::Guards::new();
    println!("jwt: {}", load_schemes::jwt());
    eprintln!("actix-web load server on http://{addr}");
    actix_web::rt::System::new()
        .block_on(
            HttpServer::new(move || {
                let guarded = |path: &str, auth: &Authenticator<Principal>| {
                    web::resource(path)
                        .wrap(Authentication::new(auth.clone()))
                        .route(web::get().to(ok_for))
                };
                App::new()
                    .route("/open", web::get().to(ok))
                    .service(guarded("/basic", &guards.basic))
                    .service(guarded("/bearer", &guards.bearer))
                    .service(guarded("/jwt", &guards.jwt))
                    .service(
                        web::resource("/peer-basic")
                            .wrap(HttpAuthentication::basic(peer_basic))
                            .route(web::get().to(ok)),
                    )
            })
            .workers(1)
            .bind(&addr)
            .unwrap()
            .run(),
        )
        .unwrap();
}
