//! axum: Basic on `/private`, and the same authenticator in optional mode on
//! `/` (anonymous requests get through, wrong credentials do not).
//!
//! `cargo run -p authscheme-examples --example axum`, then
//! `curl -u alice:wonderland http://127.0.0.1:3000/private`.

use authscheme::Authenticator;
use authscheme::registry::Principal;
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
    let auth = Authenticator::new().with(BasicScheme::new("example", users));

    let app = Router::new()
        .route("/private", get(private))
        .layer(RequireAuthLayer::new(auth.clone()))
        .merge(
            Router::new()
                .route("/", get(front))
                .layer(RequireAuthLayer::new(auth).optional()),
        );

    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!(
        "curl -u alice:wonderland http://{}/private",
        listener.local_addr()?
    );
    axum::serve(listener, app).await?;
    Ok(())
}
