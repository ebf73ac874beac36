//! actix-web: Digest (SHA-256, then MD5) on `/digest`.
//!
//! `cargo run -p authscheme-examples --example actix`, then
//! `curl --digest -u alice:wonderland http://127.0.0.1:3001/digest`.

use actix_web::{App, HttpServer, web};
use authscheme::{AuthSchemeExt, Authenticator};
use authscheme_actix::{Auth, Authentication};
use authscheme_digest::{DigestScheme, DigestUser, MemoryCredentialStore};

async fn digest(user: Auth<String>) -> String {
    format!("hello {}\n", user.as_str())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let store = MemoryCredentialStore::new("example").with_user("alice", "wonderland");
    let scheme = DigestScheme::builder("example", store).build()?;
    let auth =
        Authenticator::new().with(scheme.map_identity(|user: DigestUser| user.name().to_owned()));

    println!("curl --digest -u alice:wonderland http://127.0.0.1:3001/digest");
    actix_web::rt::System::new().block_on(
        HttpServer::new(move || {
            App::new().service(
                web::resource("/digest")
                    .wrap(Authentication::new(auth.clone()))
                    .route(web::get().to(digest)),
            )
        })
        .workers(1)
        .bind(("127.0.0.1", 3001))?
        .run(),
    )?;
    Ok(())
}
