//! The bearer HTTP authentication scheme (RFC 6750) for `authscheme`, on
//! the server and the client, with JWT validation through `jsonwebtoken`.
//!
//! # Server
//!
//! A [`BearerScheme`] reads the token from the `Authorization` header (and,
//! only when enabled, from a form body or the `access_token` query
//! parameter), asks a [`TokenValidator`], checks the route's required
//! scopes, and answers as RFC 6750 section 3.1 says: `401` with a plain
//! challenge without a token, `400 invalid_request`, `401 invalid_token`,
//! `403 insufficient_scope` with the `scope` needed.
//!
//! Ready validators: [`StaticTokens`] (kept only as keyed SipHash-1-3
//! fingerprints; a presented token's fingerprint is compared with `ct_eq`
//! against every entry), [`jwt::JwtValidator`] (allow-listed algorithms,
//! key family checks, `iss`/`aud`/`exp`/`nbf`, JWKS with rate-limited
//! refresh, optional cache of verified tokens) and
//! [`introspection::IntrospectionValidator`] (the RFC 7662 seam).
//!
//! # Client
//!
//! [`BearerClient`] sends the token from
//! [`ClientCredentials`](authscheme::ClientCredentials) and renews it once,
//! through the credentials' refresh callback, when the server answers
//! `error="invalid_token"`.
//!
//! # Examples
//!
//! ```
//! use authscheme::{AuthRequest, Authenticator, Outcome};
//! use authscheme_bearer::BearerScheme;
//! use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let secret = b"0123456789abcdef0123456789abcdef";
//! let jwt = JwtValidator::builder()
//!     .algorithms([Algorithm::HS256])
//!     .key(JwtKey::secret(secret))
//!     .build()?;
//! let auth = Authenticator::new().with(BearerScheme::builder(jwt).realm("example").build()?);
//!
//! let headers = http::HeaderMap::new();
//! let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await
//! else { panic!() };
//! assert_eq!(denial.challenges()[0].to_string(), r#"Bearer realm="example""#);
//!
//! let token = TokenMint::new("alice").sign(Algorithm::HS256, &SigningKey::secret(secret))?;
//! let mut headers = http::HeaderMap::new();
//! headers.insert("authorization", format!("Bearer {token}").parse().unwrap());
//! let outcome = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await;
//! assert_eq!(outcome.identity().unwrap().name(), "alice");
//! # Ok::<(), authscheme_bearer::BearerError>(())
//! # }).unwrap();
//! ```

mod client;
mod error;
mod error_code;
pub mod introspection;
pub mod jwt;
pub mod registration;
mod scheme;
mod source;
mod static_tokens;
mod validator;

pub use client::{BearerClient, BearerSession, STRENGTH};
pub use error::{BearerError, TokenError};
pub use error_code::{ErrorCode, is_error_text, is_error_uri, is_scope_token};
pub use scheme::{BearerScheme, BearerSchemeBuilder};
pub use static_tokens::StaticTokens;
pub use validator::{TokenInfo, TokenValidator};
