//! Small schemes the suite runs against, defined here so the suite does not
//! wait for (or depend on) the real Basic, Digest and Bearer crates.
//!
//! They are deliberately simple but behave like the real ones where the
//! adapters can tell: a password scheme with a realm and 400s for malformed
//! credentials, a token scheme that replaces its challenge with an `error`
//! parameter and answers `403 insufficient_scope`, a scheme that offers
//! an integrity option only when the adapter handed it the request body, and
//! a stateful nonce handshake with `stale=true` and `nextnonce`.

mod basic;
mod bearer;
mod body_check;
mod nonce;

pub use basic::{TestBasic, USERS};
pub use bearer::{TOKENS, TestBearer};
pub use body_check::{BodyCheck, KEY};
pub use nonce::NonceScheme;

/// The realm every test scheme announces.
///
/// # Examples
///
/// ```
/// use authscheme::{AuthRequest, Authenticator};
/// use authscheme_testkit::{Principal, schemes::{REALM, TestBearer}};
/// let auth = Authenticator::<Principal>::new().with(TestBearer::requiring("read"));
/// let headers = http::HeaderMap::new();
/// let challenges = auth.challenges(&AuthRequest::new("GET", "/", &headers));
/// assert_eq!(challenges[0].realm(), Some(REALM));
/// ```
pub const REALM: &str = "testkit";

/// Builds a challenge from parameters the schemes know to be valid; falls
/// back to the bare scheme name rather than panicking.
fn challenge(
    scheme: authscheme::SchemeName<'static>,
    params: &[(&'static str, String)],
) -> authscheme::Challenge<'static> {
    let mut builder = authscheme::Challenge::builder(scheme.clone());
    for (name, value) in params {
        builder = builder.quoted_param(*name, value.clone().into_bytes());
    }
    builder
        .build()
        .unwrap_or_else(|_| authscheme::Challenge::new(scheme))
}
