//! actix-web 4 adapter for `authscheme`: run one
//! [`Authenticator`](authscheme::Authenticator) in front of routes and get
//! the same answers as the axum and warp adapters: status, auth header
//! fields byte for byte, and body.
//!
//! - [`Authentication`]: middleware (`.wrap(..)` on an app, scope or
//!   resource). Required by default; [`optional`](Authentication::optional)
//!   lets requests without credentials through; [`deferred`](Authentication::deferred)
//!   leaves every decision to the extractors;
//!   [`body_limit`](Authentication::body_limit) gives Digest `auth-int` the
//!   body without taking it from the handler.
//! - [`Auth`] and [`OptionalAuth`]: extractors for the identity, failing with
//!   an [`AuthError`] that says missing, invalid or not configured. Where
//!   anonymous requests are allowed use `OptionalAuth<I>`, never
//!   `Option<Auth<I>>`: actix-web's `Option<T>` extractor turns every error
//!   into `None`, so refused credentials would pass as anonymous.
//! - [`denial_response`]: how a refusal is rendered: the status, one
//!   `WWW-Authenticate` (or `Proxy-Authenticate`) field line per challenge,
//!   and a short `text/plain` body.
//! - [`ActixHeaders`]: actix-web uses `http` 0.2 types and the core `http`
//!   1.x; this crate is the only place that translates.
//!
//! The adapter holds no authentication logic: schemes decide, the core
//! builds the outcome, this crate renders it.
//!
//! # Examples
//!
//! ```no_run
//! use actix_web::{App, HttpServer, web};
//! use authscheme::{Authenticator, Principal};
//! use authscheme_actix::{Auth, Authentication, OptionalAuth};
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
//! async fn secret(user: Auth<Principal>) -> String {
//!     format!("hello {}\n", user.name())
//! }
//!
//! async fn front(user: OptionalAuth<Principal>) -> String {
//!     format!("hello {}\n", user.identity().map_or("stranger", |p| p.name()))
//! }
//!
//! # fn main() -> std::io::Result<()> {
//! let auth = Authenticator::new().with(MyScheme);
//! actix_web::rt::System::new().block_on(
//!     HttpServer::new(move || {
//!         App::new()
//!             .service(
//!                 web::resource("/secret")
//!                     .wrap(Authentication::new(auth.clone()))
//!                     .route(web::get().to(secret)),
//!             )
//!             .service(
//!                 web::resource("/")
//!                     .wrap(Authentication::new(auth.clone()).optional())
//!                     .route(web::get().to(front)),
//!             )
//!     })
//!     .bind(("127.0.0.1", 8080))?
//!     .run(),
//! )
//! # }
//! ```

mod body;
mod extract;
mod headers;
mod middleware;
mod response;

pub use extract::{Auth, AuthError, AuthErrorKind, OptionalAuth};
pub use headers::ActixHeaders;
pub use middleware::{Authentication, AuthenticationFuture, AuthenticationMiddleware};
pub use response::denial_response;
