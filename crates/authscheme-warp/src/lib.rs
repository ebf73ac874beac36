//! warp 0.4 adapter for `authscheme`: run one
//! [`Authenticator`](authscheme::Authenticator) on routes and get the same
//! answers as the axum and actix-web adapters: status, auth header fields
//! byte for byte, and body.
//!
//! - [`authenticate`], [`authenticate_optional`], [`authenticate_with_body`],
//!   [`authenticate_optional_with_body`]:
//!   filters that extract the identity ([`Auth`]) or reject with an
//!   [`AuthRejection`] carrying the core's denial.
//! - [`recover`]: the `recover` handler that renders those rejections:
//!   status, one `WWW-Authenticate` (or `Proxy-Authenticate`) field line per
//!   challenge, a short `text/plain` body. Without it warp would answer an
//!   unhandled custom rejection with a `500`.
//! - [`with_auth_info`]: adds the success headers (`Authentication-Info`) to
//!   the handler's reply; filters run before the handler and cannot.
//!
//! The adapter holds no authentication logic: schemes decide, the core
//! builds the outcome, this crate renders it.
//!
//! # The pattern
//!
//! ```
//! use authscheme::{Authenticator, Principal};
//! use authscheme_warp::{Auth, authenticate, authenticate_optional, recover, with_auth_info};
//! use warp::Filter;
//! # use authscheme::*;
//! # struct MyScheme;
//! # #[async_trait]
//! # impl AuthScheme<Principal> for MyScheme {
//! #     fn name(&self) -> SchemeName<'static> { SchemeName::BASIC }
//! #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
//! #         out.push(Challenge::new(SchemeName::BASIC));
//! #     }
//! #     async fn authenticate(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Verdict<Principal> {
//! #         Verdict::Rejected(Rejection::unauthorized("wrong"))
//! #     }
//! # }
//!
//! let auth = Authenticator::new().with(MyScheme);
//!
//! // Route first, then authentication: a path that does not match is a 404,
//! // not a 401.
//! let secret = warp::path("secret")
//!     .and(authenticate(auth.clone()))
//!     .map(|user: Auth<Principal>| {
//!         let text = format!("hello {}\n", user.name());
//!         with_auth_info(text, &user)
//!     });
//! let front = warp::path::end()
//!     .and(authenticate_optional(auth))
//!     .map(|user: Option<Auth<Principal>>| {
//!         format!("hello {}\n", user.as_ref().map_or("stranger", |p| p.name()))
//!     });
//!
//! // `recover` last, so every refusal is rendered and none becomes a 500.
//! let app = secret.or(front).recover(recover);
//! // warp::serve(app).run(([127, 0, 0, 1], 8080)).await;
//! ```
//!
//! # Limits
//!
//! warp does not expose the request-target as sent, so the filters rebuild
//! it from the path and query; a proxy receiving absolute-form targets
//! (`GET http://host/path`) gives the schemes only `/path`. Digest then
//! checks an absolute `uri` parameter against the `Host` header instead of
//! the target's authority, and answers 400 when the two differ, where the
//! axum and actix-web adapters accept the request (see `docs/warp.md`).

mod auth;
mod body;
mod filter;
mod rejection;
mod reply;

pub use auth::Auth;
pub use body::{BodyError, RequestBody};
pub use filter::{
    authenticate, authenticate_optional, authenticate_optional_with_body, authenticate_with_body,
};
pub use rejection::AuthRejection;
pub use reply::{WithAuthInfo, denial_reply, recover, with_auth_info};
