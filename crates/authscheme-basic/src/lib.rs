//! The Basic HTTP authentication scheme (RFC 7617), server and client, with
//! Apache htpasswd files and a verified-credential cache.
//!
//! # Server
//!
//! [`BasicScheme`] implements [`authscheme::AuthScheme`]: it sends
//! `Basic realm="...", charset="UTF-8"` and checks the credentials that come
//! back with a [`UserStore`] the application implements, or a ready one:
//! [`MemoryStore`] (bcrypt hashes in memory) or [`HtpasswdStore`] (an Apache
//! htpasswd file, reloaded when it changes).
//!
//! ```
//! use std::time::Duration;
//! use authscheme::{AuthRequest, Authenticator, Outcome};
//! use authscheme_basic::{BasicScheme, HtpasswdStore};
//! # let dir = tempfile::tempdir().unwrap();
//! # let path = dir.path().join(".htpasswd");
//! // Made with `authscheme htpasswd -c .htpasswd bob --sha1`.
//! std::fs::write(&path, "bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n")?;
//!
//! let scheme = BasicScheme::new("Dev zone", HtpasswdStore::open(&path)?)
//!     .with_cache(Duration::from_secs(300), 10_000);
//! let auth = Authenticator::new().with(scheme);
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let mut headers = http::HeaderMap::new();
//! headers.insert("authorization", "Basic Ym9iOnBhc3N3b3Jk".parse().unwrap());
//! match auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await {
//!     Outcome::Authenticated(ok) => assert_eq!(ok.authenticated().identity().name(), "bob"),
//!     Outcome::Denied(denial) => panic!("{}", denial.reason()),
//!     _ => unreachable!(),
//! }
//! # });
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Decoding
//!
//! The token68 is base64 in the standard alphabet; the `=` padding may be
//! left out. The decoded octets are read as UTF-8 when they are UTF-8 (what
//! `charset="UTF-8"` asks for) and as ISO-8859-1 otherwise: RFC 7617 leaves
//! the encoding open without the charset, and clients that ignore it
//! (Python's `requests` by default) send ISO-8859-1. Octets that are UTF-8
//! are only ever read as UTF-8, so the second reading reaches no other
//! user. The user-id ends at the **first** colon and the password is
//! everything after it, colons included. Both must be free of control
//! characters (C0, DEL and C1). The scheme name is matched without regard
//! to case (`basic`, `BASIC`).
//!
//! ## Malformed credentials: 401, not 400
//!
//! A `Basic` value whose token is not base64, has no colon,
//! holds a control character, or carries auth-params instead of a token68
//! is answered **401 with the challenge**, exactly like a wrong password.
//! RFC 9110 section 11.6.1 says a server receiving unacceptable credentials
//! *should* answer 401 with a fresh challenge; 400 is for a request the
//! server cannot parse at all. Apache httpd, nginx and Spring Security all
//! answer 401 here, and browsers react to it by prompting the user again,
//! which is the only useful outcome when a client got the encoding wrong
//! (the prompt appears once more instead of an error page). The rejection's
//! reason ("credentials are not base64") says what was wrong, for logs.
//! A field value that breaks the RFC 9110 grammar itself (two token68s,
//! stray characters) is refused with 400 by the core
//! [`Authenticator`](authscheme::Authenticator) before this scheme sees it.
//!
//! ## Security
//!
//! - Hashes are compared in constant time, and `==` on
//!   [`BasicCredentials`] and [`PasswordHash`] too.
//! - No user enumeration by timing, even in a store mixing hash formats and
//!   costs. The rule, for [`MemoryStore`] and [`HtpasswdStore`]: an unknown
//!   user is verified against a dummy hash of the **most expensive** format
//!   and cost in the store; a wrong password for a user whose own hash is
//!   of that format and cost costs that one verification; a wrong password
//!   for a user whose hash is cheaper (a `{SHA}` line in a bcrypt file, or
//!   a lower bcrypt cost) is verified against the dummy as well, its result
//!   discarded. Every failure then costs between one and two verifications
//!   of the most expensive kind, whoever the user is; a store of a single
//!   format and cost pays exactly one, as a correct password does. One
//!   very expensive hash therefore makes every failed login that slow. The
//!   rejection reason is the same for both ("wrong user-id or password").
//! - No password, hash or password-file line reaches `Debug`, an error or a
//!   log line ([`BasicCredentials`], [`PasswordHash`] and the stores redact).
//! - The [`CredentialCache`] keys entries by their
//!   [`SecretHasher`](authscheme::SecretHasher) fingerprint (SipHash-1-3-128
//!   under a random per-cache key); it remembers successes only, is bounded, expires
//!   entries, and empties itself when the password file changes.
//!
//! ## Blocking work
//!
//! With the `tokio` feature (default), slow hash formats are verified on
//! Tokio's blocking thread pool when a Tokio runtime is running, so bcrypt
//! does not stall the executor; without it they run on the calling task.
//!
//! # Client
//!
//! [`BasicClient`] implements [`authscheme::ClientScheme`] and is in the
//! registry as `Basic` (strength 100), so `authscheme::choose` and the
//! registry's client list pick it up when this crate is linked.
//!
//! # Registry
//!
//! `authscheme::registry::find("basic")` builds a server scheme from a
//! [`SchemeConfig`](authscheme::registry::SchemeConfig) with these settings:
//!
//! | key | meaning | default |
//! |-----|---------|---------|
//! | `htpasswd` | path of the htpasswd file | required |
//! | `charset` | `false` to leave out `charset="UTF-8"` | `true` |
//! | `cache_ttl_secs` | cache lifetime, `0` for no cache | `300` |
//! | `cache_capacity` | most cached entries | `10000` |
//! | `dangerous_allow_plaintext` | `true` to accept plaintext lines | `false` |

mod apr1;
mod cache;
mod client;
mod credentials;
mod error;
mod hash;
mod htpasswd;
mod memory;
mod offload;
mod registration;
mod scheme;
mod store;

pub use cache::CredentialCache;
pub use client::{BASIC_STRENGTH, BasicClient, BasicSession};
pub use credentials::BasicCredentials;
pub use error::{DecodeError, HashError, HtpasswdError, InsertError, StoreError};
pub use hash::{DEFAULT_BCRYPT_COST, HashFormat, PasswordHash};
pub use htpasswd::{
    DEFAULT_CHECK_INTERVAL, HtpasswdStore, HtpasswdStoreBuilder, LineProblem, ParsedHtpasswd,
    parse_htpasswd,
};
pub use memory::MemoryStore;
pub use registration::server_from_config;
pub use scheme::BasicScheme;
pub use store::UserStore;

/// Timing helpers for the unit tests.
#[cfg(test)]
mod tests_timing {
    use std::hint::black_box;
    use std::time::Instant;

    /// The fastest of 40 interleaved runs of each of `a` and `b`, in
    /// microseconds. Noise only ever adds time, so the minimum shows what
    /// the code itself costs.
    pub(crate) fn fastest_pair(a: impl Fn() -> bool, b: impl Fn() -> bool) -> (f64, f64) {
        let (mut fast_a, mut fast_b) = (f64::MAX, f64::MAX);
        for _ in 0..40 {
            let t = Instant::now();
            black_box(a());
            fast_a = fast_a.min(t.elapsed().as_secs_f64() * 1e6);
            let t = Instant::now();
            black_box(b());
            fast_b = fast_b.min(t.elapsed().as_secs_f64() * 1e6);
        }
        (fast_a, fast_b)
    }
}

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
