//! Shared Digest replay state for a fleet: [`RedisNonceStore`] keeps the
//! nonce-count window of every Digest nonce in Redis.
//!
//! Behind a load balancer, each instance of a Digest server checking nonces
//! on its own breaks in two ways: a nonce issued by one instance is unknown
//! to the next (the user sees random password prompts), and a captured
//! request can be replayed once at every other instance. The cure is to
//! share two things:
//!
//! - the nonce secret ([`NonceSecret`](authscheme_digest::NonceSecret)), so
//!   that every instance accepts the nonces any of them issued (nonces are
//!   signed and stateless, nothing to store);
//! - the replay state, with this crate: one Redis key per nonce in use,
//!   updated atomically by a Lua script in one round trip per request.
//!
//! When Redis is unreachable the request fails closed (503 and a log line),
//! or, only when configured with
//! [`RedisNonceStoreBuilder::fallback_to_local`], falls back to a local
//! store with a warning; both recover by themselves when Redis returns.
//!
//! # Examples
//!
//! ```no_run
//! use std::sync::Arc;
//! use authscheme::Authenticator;
//! use authscheme_digest::{DigestScheme, DigestUser, MemoryCredentialStore, NonceSecret};
//! use authscheme_redis::RedisNonceStore;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let replay = RedisNonceStore::connect("redis://127.0.0.1:6379/").await?;
//! let secret = NonceSecret::from_bytes(&std::fs::read("/etc/myapp/nonce.key")?)
//!     .ok_or("the nonce key is too short")?;
//! // The store's realm and the scheme's must be the same.
//! let users = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
//! let auth: Authenticator<DigestUser> = Authenticator::new().with(
//!     DigestScheme::builder("api", users)
//!         .nonce_secret(secret)
//!         .nonce_store(Arc::new(replay))
//!         .build()?,
//! );
//! # let _ = auth; Ok(()) }
//! ```

mod error;
mod health;
mod script;
mod store;

pub use error::RedisStoreError;
pub use store::{DEFAULT_KEY_PREFIX, RedisNonceStore, RedisNonceStoreBuilder};
