//! One conformance suite for every `authscheme` adapter (axum, actix-web,
//! warp), run over real HTTP on a loopback port.
//!
//! The suite is framework-neutral: an adapter's test supplies one async
//! *start function* that serves a [`Scenario`] (a table of [`Route`]s, each
//! an `Authenticator<Principal>` plus optional mode and a body limit) on
//! `127.0.0.1:0` and returns a [`RunningServer`]. The suite then sends raw
//! HTTP/1.1 requests ([`RawRequest`]) and checks the exact status, every
//! authentication field line (one challenge per line, in order), the
//! denial's `text/plain; charset=utf-8` body, and that the handler got the
//! identity and the untouched request body.
//!
//! # Plugging an adapter in
//!
//! 1. Write `async fn start(scenario: Scenario) -> io::Result<RunningServer>`:
//!    for each `route` in `scenario.routes()`, serve `route.path` (any
//!    method) behind your adapter configured with `route.authenticator`,
//!    `route.optional` and `route.body_limit` (when it is `Some`, set the
//!    adapter's body limit to it, even to `0`); the handler answers `200`
//!    with [`handler_body`]`(identity, &body)`.
//! 2. In a `#[tokio::test]`, call [`run_suite`]`(start).await` (it panics
//!    with every failed case), or [`check`] with your own scenario and
//!    extra [`Case`]s.
//! 3. To prove adapters answer alike, [`capture`] each and assert that
//!    [`compare`] returns nothing.
//! 4. [`run_peer_clients`] drives the same server with curl, Python
//!    `requests` and `httpx` (skipping loudly when one is missing), and
//!    [`check_concurrently`] sends the stateless cases from many clients at
//!    once.
//!
//! The start function is called once per run with a fresh scenario (the
//! nonce handshake keeps state in its scheme), so it must build its
//! routes from the scenario it is given, not from a cached one.
//!
//! The scenario uses the small schemes in [`schemes`], so the suite does
//! not depend on the real scheme crates; scenarios for those can be added
//! as extra routes and cases later with the same machinery.
//!
//! # Examples
//!
//! ```no_run
//! use authscheme_testkit::{RunningServer, Scenario};
//!
//! async fn start(scenario: Scenario) -> std::io::Result<RunningServer> {
//!     // Bind 127.0.0.1:0, serve every route of `scenario` behind the
//!     // adapter, and return the address with a shutdown closure.
//!     # let _ = scenario; Err(std::io::Error::other("bind and serve here"))
//! }
//!
//! # async fn test() {
//! authscheme_testkit::run_suite(start).await;
//! let a = authscheme_testkit::capture(start).await.unwrap();
//! let b = authscheme_testkit::capture(start).await.unwrap();
//! assert!(authscheme_testkit::compare(&a, &b).is_empty());
//! # }
//! ```

mod cases;
mod client;
mod handler;
mod logs;
mod peers;
mod scenario;
pub mod schemes;
mod server;
mod suite;

/// The identity every scenario authenticates into: the core's.
pub use authscheme::registry::Principal;
pub use cases::{Case, Expect, basic, form_token_cases, standard_cases};
pub use client::{AUTH_HEADERS, RawRequest, RawResponse};
pub use handler::handler_body;
pub use logs::{CaptureGuard, CapturedLogs};
pub use peers::run_peer_clients;
pub use scenario::{BODY_LIMIT, Route, Scenario};
pub use server::RunningServer;
pub use suite::{
    DENIAL_CONTENT_TYPE, Exchange, SuiteFailures, capture, check, check_concurrently, compare,
    exchange_all, run_suite,
};
