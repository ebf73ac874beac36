//! The peer in the load comparison (docs/PERFORMANCE.md): an actix-web
//! server whose `/basic` is guarded by actix-web-httpauth's
//! `HttpAuthentication::basic` (a fixed `alice:wonderland` compared as a
//! string), `/open` unguarded, with one worker like
//! `authscheme serve --framework actix --workers 1`.
//!
//! `cargo run --release -p authscheme-actix --example peer_httpauth -- 127.0.0.1:8091`
#![allow(clippy::unwrap_used, missing_docs)]

use actix_web::dev::ServiceRequest;
use actix_web::{App, Error, HttpServer, web};
use actix_web_httpauth::extractors::basic::BasicAuth;
use actix_web_httpauth::middleware::HttpAuthentication;

async fn ok() -> &'static str {
    "ok"
}

async fn check(
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
    eprintln!("actix-web-httpauth peer on http://{addr}");
    actix_web::rt::System::new()
        .block_on(
            HttpServer::new(|| {
                App::new()
                    .service(
                        web::resource("/basic")
                            .wrap(HttpAuthentication::basic(check))
                            .route(web::get().to(ok)),
                    )
                    .route("/open", web::get().to(ok))
            })
            .workers(1)
            .bind(&addr)
            .unwrap()
            .run(),
        )
        .unwrap();
}
