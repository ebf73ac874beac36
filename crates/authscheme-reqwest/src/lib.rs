//! Answer HTTP `401` and `407` challenges for [reqwest]: Basic, Digest,
//! Bearer, and any other scheme the program links, chosen by strength.
//!
//! - [`AuthClient`] wraps a bare `reqwest::Client`: send, and on 401/407
//!   read every `WWW-Authenticate` / `Proxy-Authenticate` line, pick the
//!   strongest challenge the linked schemes can answer
//!   ([`authscheme::choose`] over [`authscheme::registry::client_schemes`]),
//!   ask the application's [`CredentialProvider`], and resend.
//! - [`AuthMiddleware`] is the same engine as a `reqwest-middleware` layer.
//!
//! Both keep one session per protection space (role, origin, scheme,
//! realm), so later requests answer before being asked: Digest reuses the
//! nonce with the next `nc`, so N requests cost N+1 round trips. A
//! `stale=true` Digest challenge, or a Bearer `invalid_token` with a refresh
//! callback, is retried once without asking the provider again.
//! `Authentication-Info` is read back: a wrong Digest `rspauth` fails the
//! response with [`Error::ServerNotAuthenticated`] unless
//! `dangerous_skip_rspauth_check` is set. What cannot be checked passes:
//! a response without `Authentication-Info` or without `rspauth` in it
//! (servers may leave them out, so an attacker on a plain-`http` path can
//! strip them: only TLS protects the response), and, each logged as a
//! warning, an `rspauth` for Digest `qop=auth-int` (it covers the response
//! body, which is not hashed) and one for a request the session forgot,
//! which happens only when more requests awaited an answer on one space than
//! `authscheme_digest::DigestClient::max_unanswered` allows (1024 by
//! default; each `Authentication-Info` takes its request out, so the
//! requests in flight stay checkable whatever the concurrency below it).
//!
//! # Safety rails
//!
//! - Credentials go only to the origin the request was made to; after a
//!   redirect to another origin, challenges are not answered and
//!   `Authorization` is dropped.
//! - Proxy credentials (`Proxy-Authorization`) answer a 407 only for a
//!   plain-`http` request, and go before being asked only with later
//!   requests to the same origin (scheme, host, port) as the request the
//!   407 came back for: reqwest's proxy rules (`no_proxy`, per-scheme or
//!   `Proxy::custom`) may send any other request directly, so a request
//!   to another origin through the same proxy pays one 407 round trip. An
//!   `https` request never carries them: through a proxy it is tunnelled
//!   with CONNECT, which reqwest sends with the credentials given to it
//!   (in the proxy URL or with `reqwest::Proxy::basic_auth`); a 407 to the
//!   CONNECT is a transport error this crate never sees, and a header set
//!   on the request would travel inside the tunnel to the origin server.
//!   A 407 response to an `https` request therefore comes from the origin
//!   server and is handed back as it is, and so is one to a plain `http`
//!   request that came over a connection to the origin's own address (no
//!   proxy in between).
//! - The table of protection spaces is bounded (1024 spaces, 64 for one
//!   origin); past that the least recently used is forgotten and pays one
//!   challenge round trip when it is asked for again.
//! - Basic is never sent over plain `http` (nor to a proxy) unless
//!   `insecure_allow_basic_over_http` is set (or, for proxies only,
//!   `insecure_allow_basic_to_proxy`), and a Bearer token neither unless
//!   `insecure_allow_bearer_over_http` is set (RFC 6750 section 5.3 requires
//!   TLS); Digest, which sends no reusable secret, is used when offered.
//! - A request body is buffered bytes or a stream. Bytes are resent and
//!   hashed for Digest `auth-int`; a stream cannot be replayed, so a
//!   challenge to it is [`Error::BodyNotReplayable`], never an empty resend.
//!
//! # TLS
//!
//! This crate enables no reqwest TLS feature: turn on the one you want
//! (`rustls`, `native-tls`) on `reqwest` in your own `Cargo.toml`.
//!
//! # Features
//!
//! | feature  | default | links |
//! |----------|---------|-------|
//! | `basic`  | yes     | `authscheme-basic` |
//! | `digest` | yes     | `authscheme-digest` |
//! | `bearer` | yes     | `authscheme-bearer` |
//!
//! # Examples
//!
//! ```no_run
//! use authscheme::ClientCredentials;
//! use authscheme_reqwest::{AuthClient, FixedCredentials};
//! # async fn demo() -> Result<(), authscheme_reqwest::Error> {
//! let client = AuthClient::new(FixedCredentials::new(
//!     ClientCredentials::password("alice", "wonderland"),
//! ));
//! for _ in 0..3 {
//!     // The first costs two round trips; the others one each.
//!     let response = client.get("http://127.0.0.1:8080/digest").send().await?;
//!     assert!(response.status().is_success());
//! }
//! # Ok(()) }
//! ```
//!
//! [reqwest]: https://docs.rs/reqwest

mod client;
mod engine;
mod error;
mod middleware;
mod provider;
mod redirect;
mod request;
mod spaces;

pub use client::AuthClient;
pub use error::{Error, TransportError};
pub use middleware::AuthMiddleware;
pub use provider::{CredentialProvider, CredentialRequest, FixedCredentials};
pub use request::AuthRequestBuilder;

// Linking a scheme crate is not enough for `inventory` to see its
// registration: the crate must be referenced.
#[cfg(feature = "basic")]
use authscheme_basic as _;
#[cfg(feature = "bearer")]
use authscheme_bearer as _;
#[cfg(feature = "digest")]
use authscheme_digest as _;
