//! Errors of the Basic crate. None of them carries a password, a hash or a
//! line of a password file.

use std::path::PathBuf;

/// Why a Basic token68 could not be turned into a user-id and password.
///
/// # Examples
///
/// ```
/// use authscheme_basic::{BasicCredentials, DecodeError};
/// assert_eq!(BasicCredentials::decode("%%%").unwrap_err(), DecodeError::NotBase64);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The token is longer than any real credentials.
    #[error("credentials are too long")]
    TooLong,
    /// The token is not base64 (standard alphabet).
    #[error("credentials are not base64")]
    NotBase64,
    /// The decoded text has no colon between user-id and password.
    #[error("credentials have no colon between user-id and password")]
    NoColon,
    /// The user-id holds a colon (a client cannot send it).
    #[error("the user-id contains a colon")]
    ColonInUserId,
    /// The user-id or password holds a control character.
    #[error("the user-id or password contains a control character")]
    ControlCharacter,
    /// The credentials carry auth-params instead of a token68.
    #[error("credentials are not a token68")]
    NotToken68,
}

/// A user store could not answer (a database or file is unreachable).
/// Authentication fails closed with `503`.
///
/// # Examples
///
/// ```
/// let e = authscheme_basic::StoreError::new("user database unreachable");
/// assert_eq!(e.to_string(), "user store unavailable: user database unreachable");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("user store unavailable: {reason}")]
pub struct StoreError {
    reason: String,
}

impl StoreError {
    /// A failure described by `reason` (no secrets in it).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::StoreError;
    /// let e = StoreError::new(format!("LDAP server {} timed out", "ldap1"));
    /// assert_eq!(e.to_string(), "user store unavailable: LDAP server ldap1 timed out");
    /// ```
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }

    /// The reason.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::StoreError;
    /// let e = StoreError::new("user database unreachable");
    /// assert_eq!(e.reason(), "user database unreachable");
    /// ```
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// Why a user could not be added to a [`MemoryStore`](crate::MemoryStore).
///
/// # Examples
///
/// ```
/// use authscheme_basic::{DecodeError, InsertError, MemoryStore};
/// let store = MemoryStore::with_cost(4).unwrap();
/// // RFC 7617: the user-id ends at the first colon, so no client could log in.
/// assert_eq!(store.insert("a:b", "pw"), Err(InsertError::Unsendable(DecodeError::ColonInUserId)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InsertError {
    /// No client can send these credentials: a colon in the user-id, or a
    /// control character in the user-id or password.
    #[error("no client can send these credentials: {0}")]
    Unsendable(#[from] DecodeError),
    /// Hashing the password failed.
    #[error(transparent)]
    Hash(#[from] HashError),
}

/// A stored password hash this crate cannot use.
///
/// # Examples
///
/// ```
/// use authscheme_basic::{HashError, PasswordHash};
/// assert_eq!(PasswordHash::parse("$1$abc$def").unwrap_err(), HashError::Unsupported);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HashError {
    /// Not one of the supported formats (or plaintext, which is off).
    #[error("unsupported hash format (plaintext and crypt(3) DES/MD5 are not accepted)")]
    Unsupported,
    /// A supported format, but malformed (bad salt, length or cost).
    #[error("malformed {0} hash")]
    Malformed(&'static str),
    /// Hashing a new password failed (a cost or rounds out of range).
    #[error("cannot hash with these parameters")]
    Parameters,
}

/// An htpasswd file that cannot be used at all (a bad line is not this: it
/// is reported as a [`LineProblem`](crate::LineProblem) and skipped).
///
/// # Examples
///
/// ```
/// let err = authscheme_basic::HtpasswdStore::open("/nonexistent/.htpasswd").unwrap_err();
/// assert!(err.to_string().contains("/nonexistent/.htpasswd"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HtpasswdError {
    /// The file cannot be read.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}
