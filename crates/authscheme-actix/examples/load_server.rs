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
//! `cargo run --release -p authscheme-actix --example load_server -- 127.0.0.1:8091`
#![allow(clippy::unwrap_used, missing_docs)]

use std::time::Duration;

use actix_web::dev::ServiceRequest;
use actix_web::{App, Error, HttpServer, web};
use actix_web_httpauth::extractors::basic::BasicAuth;
use actix_web_httpauth::middleware::HttpAuthentication;
use authscheme::Authenticator;
use authscheme::registry::Principal;
use authscheme_actix::{Auth, Authentication};
use authscheme_basic::{BasicScheme, MemoryStore};
use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
use authscheme_bearer::{BearerScheme, StaticTokens};

const JWT_SECRET: &[u8] = b"a-load-test-secret-of-32-bytes!!";

async fn ok() -> &'static str {
    "ok"
}

async fn ok_for(_user: Auth<Principal>) -> &'static str {
    "ok"
}

async fn peer_check(
    req: ServiceRequest,
    creds: BasicAuth,
) -> Result<ServiceRequest, (Error, ServiceRequest)> {
    if creds.user_id() == "alice" && creds.password() == Some("wonderland") {
        Ok(req)
    } else {
        Err((actix_web::error::ErrorUnauthorized("Unauthorized\n"), req))
    }
}

fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8091".into());

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

    println!(
        "jwt: {}",
        TokenMint::new("alice")
            .sign(Algorithm::HS256, &SigningKey::secret(JWT_SECRET))
            .unwrap()
    );
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
                    .service(guarded("/basic", &basic))
                    .service(guarded("/bearer", &bearer))
                    .service(guarded("/jwt", &jwt))
                    .service(
                        web::resource("/peer-basic")
                            .wrap(HttpAuthentication::basic(peer_check))
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
