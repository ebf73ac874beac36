//! HTTP Digest authentication (RFC 7616) for `authscheme`, on the server
//! and the client.
//!
//! - **Server**: [`DigestScheme`] sends one challenge per algorithm (MD5,
//!   SHA-256, SHA-512-256 and each `-sess` variant), verifies `qop=auth` and
//!   `auth-int`, `userhash`, `username*` (RFC 8187), a `username` sent
//!   as ISO-8859-1 octets (as Python `requests` does; see
//!   [`Username::Latin1`]), and answers with
//!   `Authentication-Info` (`rspauth`, `nextnonce`). Nonces are stateless
//!   and signed ([`NonceIssuer`]), bound to realm and algorithm; replayed
//!   (nonce, nc) pairs are refused by a [`NonceStore`] with a sliding window
//!   per nonce. HA1 values come from a [`CredentialStore`]: in memory
//!   ([`MemoryCredentialStore`]) or an Apache htdigest file
//!   ([`HtdigestFile`]).
//! - **Client**: [`DigestClient`] answers the strongest Digest challenge,
//!   counts `nc` per nonce, retries once on `stale=true`, and checks
//!   `rspauth`. It names the user by `userhash` when the challenge offers
//!   it and a non-ASCII name otherwise as `username*` under
//!   `charset=UTF-8` (RFC 7616 sections 3.4.4 and 4), as UTF-8 octets in
//!   the quoted-string without a charset (Apache refuses `username*`), and
//!   never as ISO-8859-1.
//! - **Computation**: [`compute`] holds the RFC 7616 formulas.
//!
//! # Examples
//!
//! A client and a server agreeing:
//!
//! ```
//! use authscheme::{AuthRequest, Authenticator, ClientCredentials, ClientRequest, ClientScheme, Outcome};
//! use authscheme_digest::{DigestClient, DigestScheme, DigestUser, MemoryCredentialStore};
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
//! let auth: Authenticator<DigestUser> =
//!     Authenticator::new().with(DigestScheme::builder("api", store).build().unwrap());
//!
//! // First request: no credentials, so a 401 with the challenges.
//! let headers = http::HeaderMap::new();
//! let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/a", &headers)).await else {
//!     unreachable!()
//! };
//! let creds = ClientCredentials::password("alice", "wonderland");
//! let client = DigestClient::new();
//! let challenge = &denial.challenges()[0];
//! let mut session = client.start(challenge, &creds).unwrap();
//!
//! // Second request: answered.
//! let value = session.authorize(&ClientRequest::new("GET", "/a")).unwrap();
//! let mut headers = http::HeaderMap::new();
//! headers.insert("authorization", value.to_header_value());
//! let outcome = auth.authenticate(&AuthRequest::new("GET", "/a", &headers)).await;
//! assert_eq!(outcome.identity().map(DigestUser::name), Some("alice"));
//! # });
//! ```

mod algorithm;
mod client;
pub mod compute;
mod error;
mod nonce;
mod params;
mod registration;
mod replay;
mod server;
pub mod store;
mod uri;

pub use algorithm::{Algorithm, HexDigest};
pub use client::{DigestClient, DigestSession};
pub use compute::Qop;
pub use error::DigestError;
pub use nonce::{Clock, ManualClock, NonceCheck, NonceIssuer, NonceSecret, SystemClock};
pub use params::{DigestResponse, Username};
pub use replay::{MemoryNonceStore, NonceStore, NonceUse, Seen, WINDOW};
pub use server::{DigestScheme, DigestSchemeBuilder, DigestUser};
pub use store::{CredentialStore, Ha1, HtdigestFile, HtdigestProblem, MemoryCredentialStore};
