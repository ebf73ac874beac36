//! One route offering Basic, Digest and Bearer in one 401, each challenge on
//! its own `WWW-Authenticate` line, on axum.
//!
//! `cargo run -p authscheme-examples --example multi_scheme`, then try
//! `curl -v http://127.0.0.1:3003/any`, `curl -u alice:wonderland ...`,
//! `curl --digest -u alice:wonderland ...` or
//! `curl -H 'Authorization: Bearer s3cret-token' ...`.

use std::time::Duration;

use authscheme::{Authenticator, Principal};
use authscheme_axum::{Auth, RequireAuthLayer};
use authscheme_basic::{BasicScheme, MemoryStore};
use authscheme_bearer::{BearerScheme, StaticTokens, TokenInfo};
use authscheme_digest::{DigestScheme, MemoryCredentialStore};
use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // One realm for every scheme; the Digest store and scheme in particular
    // must be given the same one.
    let realm = "example";
    let basic_users = MemoryStore::new()?;
    basic_users.insert("alice", "wonderland")?;
    let digest_users = MemoryCredentialStore::new(realm).with_user("alice", "wonderland");
    let tokens = StaticTokens::new()
        .with_identity("s3cret-token", TokenInfo::new(Principal::new("service")));

    // Every scheme here yields a `Principal` (Digest's `DigestUser` converts
    // into one), so they share one authenticator without `map_identity`.
    let auth: Authenticator<Principal> = Authenticator::new()
        .with(BasicScheme::new(realm, basic_users).with_cache(Duration::from_secs(300), 1024))
        .with(DigestScheme::builder(realm, digest_users).build()?)
        .with(BearerScheme::builder(tokens).realm(realm).build()?);

    let app = Router::new()
        .route(
            "/any",
            get(|Auth(user): Auth<Principal>| async move { format!("hello {}\n", user.name()) }),
        )
        .route_layer(RequireAuthLayer::new(auth));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3003").await?;
    println!("curl -v http://{}/any", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
