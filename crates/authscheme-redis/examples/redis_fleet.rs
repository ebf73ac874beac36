//! One instance of a Digest-protected axum fleet: start it several times on
//! different ports, put them behind any load balancer, and a client can be
//! sent to any of them.
//!
//! ```text
//! redis-server --port 6379 --save '' --appendonly no &
//! export NONCE_SECRET='the same 32+ byte secret on every instance'
//! ADDR=127.0.0.1:3001 cargo run -p authscheme-redis --example redis_fleet &
//! ADDR=127.0.0.1:3002 cargo run -p authscheme-redis --example redis_fleet &
//! curl --digest -u alice:wonderland http://127.0.0.1:3001/private
//! ```
//!
//! `REDIS_URL` (default `redis://127.0.0.1:6379/`) names the shared Redis;
//! `FALLBACK=1` keeps serving from a local store while Redis is down
//! instead of answering 503. `RUST_LOG=info` shows the outage lines.

use std::sync::Arc;

use authscheme::Authenticator;
use authscheme_axum::{Auth, RequireAuthLayer};
use authscheme_digest::{
    DigestScheme, DigestUser, MemoryCredentialStore, MemoryNonceStore, NonceSecret,
};
use authscheme_redis::RedisNonceStore;
use axum::Router;
use axum::routing::get;

async fn private(Auth(user): Auth<DigestUser>) -> String {
    format!("hello, {}\n", user.name())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();

    let secret = std::env::var("NONCE_SECRET")
        .map_err(|_| "set NONCE_SECRET to the secret the whole fleet shares")?;
    let secret = NonceSecret::from_bytes(secret.as_bytes())
        .ok_or("NONCE_SECRET must be at least 32 bytes")?;
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".into());
    let mut replay = RedisNonceStore::builder(url);
    if std::env::var_os("FALLBACK").is_some() {
        replay = replay.fallback_to_local(MemoryNonceStore::default());
    }
    let replay = replay.connect().await?;
    println!("replay state in Redis at {}", replay.server());

    // The store's realm and the scheme's must be the same.
    let users = MemoryCredentialStore::new("fleet").with_user("alice", "wonderland");
    let digest = DigestScheme::builder("fleet", users)
        .nonce_secret(secret)
        .nonce_store(Arc::new(replay))
        .build()?;
    let auth: Authenticator<DigestUser> = Authenticator::new().with(digest);

    let app = Router::new().route("/private", get(private).layer(RequireAuthLayer::new(auth)));
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
