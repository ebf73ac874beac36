//! The errors of this crate.

use std::error::Error as StdError;

/// Why a [`RedisNonceStore`](crate::RedisNonceStore) could not be set up.
///
/// Messages name the server by host and port only: a password in the URL
/// never reaches an error, a log line or `Debug` output.
///
/// # Examples
///
/// ```
/// use authscheme_redis::{RedisNonceStore, RedisStoreError};
/// let err = RedisNonceStore::builder("http://not-redis").connect_lazy().unwrap_err();
/// assert!(matches!(err, RedisStoreError::InvalidUrl { .. }));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedisStoreError {
    /// The URL is not a `redis://` (or `unix://`) URL this crate can use.
    #[error("invalid Redis URL: {reason}")]
    InvalidUrl {
        /// What was wrong with it.
        reason: String,
    },
    /// The configuration cannot work (for example a zero timeout).
    #[error("invalid Redis nonce store configuration: {0}")]
    Config(String),
    /// Redis could not be reached, or refused to run the replay script.
    #[error("Redis at {server} unusable: {reason}")]
    Unreachable {
        /// `host:port` (or socket path) of the server.
        server: String,
        /// What failed.
        reason: String,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn StdError + Send + Sync>>,
    },
}
