//! `authscheme` for axum 0.8 and any tower/hyper stack.
//!
//! - [`RequireAuthLayer`] / [`RequireAuth`]: a tower middleware that runs
//!   an [`authscheme::Authenticator`] before the service. Success puts the
//!   [`authscheme::Authenticated`] identity in the request extensions and
//!   appends `Authentication-Info`; failure answers with the denial's
//!   status, one challenge per `WWW-Authenticate` (or `Proxy-Authenticate`)
//!   line and a short text body. Optional and deferred modes, and body
//!   buffering for Digest `auth-int`, are switches on the layer.
//! - [`Auth`]: the axum extractor for the identity (`FromRequestParts` and
//!   `OptionalFromRequestParts`), whose [`AuthRejection`] tells a missing
//!   identity from an invalid one.
//!
//! The adapter is thin: parsing and deciding happen in the core and the
//! scheme crates; this crate only translates requests and renders outcomes.
//!
//! # Examples
//!
//! ```
//! use authscheme::Authenticator;
//! use authscheme_axum::{Auth, RequireAuthLayer};
//! use axum::{Router, routing::get};
//! # use authscheme::*;
//! # struct Fixed;
//! # #[async_trait]
//! # impl AuthScheme<String> for Fixed {
//! #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
//! #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
//! #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
//! #         match c.token68() {
//! #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(Authenticated::new("alice".into(), self.name())),
//! #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
//! #         }
//! #     }
//! # }
//!
//! async fn private(Auth(user): Auth<String>) -> String {
//!     format!("hello, {user}")
//! }
//!
//! async fn public(user: Option<Auth<String>>) -> String {
//!     user.map_or("hello, stranger".into(), |Auth(u)| format!("hello, {u}"))
//! }
//!
//! let bearer = Authenticator::new().with(Fixed);
//! let app: Router = Router::new()
//!     .route("/private", get(private))
//!     .layer(RequireAuthLayer::new(bearer.clone()))
//!     .merge(
//!         Router::new()
//!             .route("/public", get(public))
//!             .layer(RequireAuthLayer::new(bearer).optional()),
//!     );
//! ```
//!
//! # Where to put the layer
//!
//! `Router::route_layer` (or `MethodRouter::layer`, per route) protects the
//! matched routes only, so unknown paths still answer `404`;
//! `Router::layer` also wraps the fallback, so every path answers `401`
//! first. Different routes may carry different authenticators: different
//! schemes, realms or Bearer scopes, or `.proxy()` for `407`.
//!
//! # Logging
//!
//! Each denial emits one `debug` event on target `authscheme_axum` with the
//! status, the scheme and the core's reason (never a secret).

mod body;
mod buffer;
mod denial_body;
mod extract;
mod layer;
mod render;
mod target;

pub use body::{ReplayBody, RequestBody};
pub use denial_body::DenialBody;
pub use extract::{Auth, AuthRejection, AuthRejectionReason};
pub use layer::{RequireAuth, RequireAuthLayer, ResponseFuture};
