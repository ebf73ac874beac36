//! [`User`]: the one identity type every scheme of the demo maps into.

use authscheme::registry::Principal;
use authscheme_digest::DigestUser;

/// Who a request authenticated as, and with which scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct User {
    name: String,
    scheme: &'static str,
}

impl User {
    /// A Basic user (the store's principal).
    pub(crate) fn basic(p: Principal) -> Self {
        Self::new(p.name(), "Basic")
    }

    /// A Digest user (the real name, also when the client sent a userhash).
    pub(crate) fn digest(u: DigestUser) -> Self {
        Self::new(u.name(), "Digest")
    }

    /// A Bearer token's subject.
    pub(crate) fn bearer(p: Principal) -> Self {
        Self::new(p.name(), "Bearer")
    }

    fn new(name: &str, scheme: &'static str) -> Self {
        Self {
            name: name.to_owned(),
            scheme,
        }
    }

    /// The user name.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// `Basic`, `Digest` or `Bearer`.
    pub(crate) fn scheme(&self) -> &'static str {
        self.scheme
    }
}
