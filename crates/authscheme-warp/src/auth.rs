//! [`Auth`]: what the filters extract on success.

use std::ops::Deref;

use authscheme::{Authenticated, AuthenticatedOutcome};
use http::{HeaderName, HeaderValue};

/// The authenticated identity, with the response headers the outcome asks
/// for (`Authentication-Info`, or `Proxy-Authentication-Info` for a proxy).
///
/// Dereferences to the identity. Hand it to [`with_auth_info`](crate::with_auth_info)
/// with the handler's reply so those headers reach the client.
///
/// # Examples
///
/// ```
/// use authscheme::registry::Principal;
/// use authscheme_warp::{Auth, with_auth_info};
///
/// fn hello(user: Auth<Principal>) -> impl warp::Reply {
///     let text = format!("hello {}", user.name());
///     with_auth_info(text, &user)
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Auth<I> {
    authenticated: Authenticated<I>,
    info: Vec<(HeaderName, HeaderValue)>,
}

impl<I> Auth<I> {
    pub(crate) fn new(outcome: AuthenticatedOutcome<I>) -> Self {
        let info = outcome.response_headers();
        Self {
            authenticated: outcome.into_authenticated(),
            info,
        }
    }

    /// The identity.
    pub fn identity(&self) -> &I {
        self.authenticated.identity()
    }

    /// Takes the identity out.
    pub fn into_identity(self) -> I {
        self.authenticated.into_identity()
    }

    /// The identity together with the scheme that authenticated it.
    pub fn authenticated(&self) -> &Authenticated<I> {
        &self.authenticated
    }

    /// The header lines to add to the response (often none).
    pub fn response_headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.info
    }
}

impl<I> Deref for Auth<I> {
    type Target = I;

    fn deref(&self) -> &I {
        self.authenticated.identity()
    }
}
