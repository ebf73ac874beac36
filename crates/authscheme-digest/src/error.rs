//! The errors of this crate.

use std::error::Error as StdError;

/// What went wrong in a store, a file or the configuration.
///
/// No variant carries a secret: paths, line numbers and reasons only.
///
/// # Examples
///
/// ```
/// let e = authscheme_digest::DigestError::Config("no algorithm left to offer".into());
/// assert_eq!(e.to_string(), "invalid configuration: no algorithm left to offer");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DigestError {
    /// A store (credentials or nonce counts) cannot answer now; the request
    /// fails closed with 503.
    #[error("store unavailable: {reason}")]
    Unavailable {
        /// What failed, for logs.
        reason: String,
        /// The underlying error, if any.
        #[source]
        source: Option<Box<dyn StdError + Send + Sync>>,
    },
    /// A password file could not be read or written.
    #[error("cannot use {path}: {reason}")]
    File {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
        /// The underlying error, if any.
        #[source]
        source: Option<Box<dyn StdError + Send + Sync>>,
    },
    /// Digest credentials that do not follow RFC 7616 (a missing or
    /// duplicated parameter, a malformed `nc`).
    #[error("malformed digest credentials: {0}")]
    Malformed(&'static str),
    /// The scheme cannot be built as configured.
    #[error("invalid configuration: {0}")]
    Config(String),
}

impl DigestError {
    /// An unavailable store, with the error behind it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::error::Error as _;
    /// use authscheme_digest::DigestError;
    /// let cause = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
    /// let e = DigestError::unavailable("user database", cause);
    /// assert_eq!(e.to_string(), "store unavailable: user database");
    /// assert_eq!(e.source().unwrap().to_string(), "refused");
    /// ```
    pub fn unavailable(
        reason: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        DigestError::Unavailable {
            reason: reason.into(),
            source: Some(source.into()),
        }
    }

    /// A store that implements neither the asynchronous nor the immediate
    /// form of `method`.
    pub(crate) fn unanswered(method: &str) -> Self {
        DigestError::Unavailable {
            reason: format!("the store implements neither {method} nor {method}_now"),
            source: None,
        }
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        DigestError::File {
            path: path.display().to_string(),
            reason: source.to_string(),
            source: Some(Box::new(source)),
        }
    }
}
