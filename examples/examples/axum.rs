//! axum: Basic on `/private`, and the same authenticator in optional mode on
//! `/` (anonymous requests get through, wrong credentials do not). Each is
//! installed with `route_layer`, so an unknown path answers 404 without
//! authenticating (`Router::layer` would wrap the fallback too).
//!
//! `cargo run -p authscheme-examples --example axum`, then
//! `curl -u alice:wonderland http://127.0.0.1:3000/private`.

use std::time::Duration;

use authscheme::{Authenticator, Principal};
use authscheme_axum::{Auth, RequireAuthLayer};
use authscheme_basic::{BasicScheme, MemoryStore};
use axum::Router;
use axum::routing::get;

async fn private(Auth(user): Auth<Principal>) -> String {
    format!("hello {}\n", user.name())
}

async fn front(user: Option<Auth<Principal>>) -> String {
    match user {
        Some(Auth(user)) => format!("hello {}\n", user.name()),
        None => "hello stranger\n".to_owned(),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let users = MemoryStore::new()?;
    users.insert("alice", "wonderland")?;
    // Verified credentials are remembered for five minutes: bcrypt runs
    // once per user, not on every request.
    let basic = BasicScheme::new("example", users).with_cache(Duration::from_secs(300), 1024);
    let auth = Authenticator::new().with(basic);

    let app = Router::new()
        .route("/private", get(private))
        .route_layer(RequireAuthLayer::new(auth.clone()))
        .merge(
            Router::new()
                .route("/", get(front))
                .route_layer(RequireAuthLayer::new(auth).optional()),
        );

    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!(
        "curl -u alice:wonderland http://{}/private",
        listener.local_addr()?
    );
    axum::serve(listener, app).await?;
    Ok(())
}
