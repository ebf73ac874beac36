//! Secrets: constant-time comparison and a `Debug`-safe wrapper.

use std::fmt;

use subtle::ConstantTimeEq;

/// Compares two secrets in time that depends only on their lengths.
///
/// Use it for every comparison of a password, token, digest or MAC. Where
/// the length itself is secret, compare fixed-length hashes of the values.
///
/// # Examples
///
/// ```
/// assert!(authscheme::ct_eq(b"s3cret", b"s3cret"));
/// assert!(!authscheme::ct_eq(b"s3cret", b"s3creT"));
/// assert!(!authscheme::ct_eq(b"s3cret", b"s3cre"));
/// ```
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    // Eight octets at a time: subtle's slice comparison passes each octet
    // through its own optimisation barrier, which made it the costliest
    // step of a Digest verification after the hashes. Each word still goes
    // through one, and no branch depends on the contents.
    let (a_words, a_rest) = a.as_chunks::<8>();
    let (b_words, b_rest) = b.as_chunks::<8>();
    let mut equal = a_rest.ct_eq(b_rest);
    for (x, y) in a_words.iter().zip(b_words) {
        equal &= u64::from_ne_bytes(*x).ct_eq(&u64::from_ne_bytes(*y));
    }
    equal.into()
}

/// A secret string (a password or token) whose `Debug` and `Display` never
/// show it.
///
/// # Examples
///
/// ```
/// use authscheme::Secret;
/// let s = Secret::new("wonderland");
/// assert_eq!(s.expose(), "wonderland");
/// assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself; call only where it is used.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}
