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
//!   identity from an invalid one. It dereferences to the identity; its
//!   type must be the layer's identity type, or the extractor answers `500`.
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
//!     .route_layer(RequireAuthLayer::new(bearer.clone()))
//!     .merge(
//!         Router::new()
//!             .route("/public", get(public))
//!             .route_layer(RequireAuthLayer::new(bearer).optional()),
//!     );
//! ```
//!
//! # Where to put the layer
//!
//! Protect routes with `Router::route_layer` (or `MethodRouter::layer`, per
//! route): it wraps the routes added so far and nothing else, so an unknown
//! path answers `404` whatever credentials it carries. `Router::layer` also
//! wraps the fallback: an unknown path is then authenticated like a route,
//! answering `401` to missing or wrong credentials and `404` only after
//! good ones were verified (a bcrypt check for Basic). Different routes may
//! carry different authenticators: different schemes, realms or Bearer
//! scopes, or `.proxy()` for `407`.
//!
//! ```
//! # use authscheme::Authenticator;
//! # use authscheme_axum::{Auth, RequireAuthLayer};
//! # use axum::{Router, routing::get};
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
//! # async fn status(app: &Router, uri: &str, authorization: Option<&str>) -> u16 {
//! #     use tower::ServiceExt;
//! #     let mut request = http::Request::builder().uri(uri);
//! #     if let Some(value) = authorization { request = request.header("authorization", value); }
//! #     app.clone().oneshot(request.body(axum::body::Body::empty()).unwrap()).await.unwrap().status().as_u16()
//! # }
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let auth = Authenticator::new().with(Fixed);
//! let routes = || Router::new().route("/private", get(|Auth(user): Auth<String>| async move { user }));
//!
//! let app = routes().route_layer(RequireAuthLayer::new(auth.clone()));
//! assert_eq!(status(&app, "/private", None).await, 401);
//! assert_eq!(status(&app, "/nope", None).await, 404);
//! assert_eq!(status(&app, "/nope", Some("Bearer wrong")).await, 404);
//!
//! // `layer` authenticates the fallback too.
//! let app = routes().layer(RequireAuthLayer::new(auth));
//! assert_eq!(status(&app, "/nope", Some("Bearer wrong")).await, 401);
//! assert_eq!(status(&app, "/nope", Some("Bearer t0ken")).await, 404);
//! # });
//! ```
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
