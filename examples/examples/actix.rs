//! actix-web: Digest (SHA-256, then MD5) on `/digest`.
//!
//! `cargo run -p authscheme-examples --example actix`, then
//! `curl --digest -u alice:wonderland http://127.0.0.1:3001/digest`.

use actix_web::{App, HttpServer, web};
use authscheme::Authenticator;
use authscheme_actix::{Auth, Authentication};
use authscheme_digest::{DigestScheme, MemoryCredentialStore};

async fn digest(user: Auth<String>) -> String {
    format!("hello {}\n", user.as_str())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The store and the scheme must be given the same realm.
    let realm = "example";
    let store = MemoryCredentialStore::new(realm).with_user("alice", "wonderland");
    let scheme = DigestScheme::builder(realm, store).build()?;
    // `DigestScheme` yields any identity that converts from `DigestUser`,
    // `String` included: no `map_identity` needed.
    let auth: Authenticator<String> = Authenticator::new().with(scheme);

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
