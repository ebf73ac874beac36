//! Refreshing keys when a token names an unknown `kid`, rate-limited.

use std::fmt;
use std::path::PathBuf;

use async_trait::async_trait;

use super::keys::KeySet;
use crate::error::BearerError;

/// Fetches a fresh key set, for key rotation: the validator calls it when a
/// token names a `kid` it does not know.
///
/// Calls are rate-limited by the validator (at most one per
/// [`min_refresh_interval`](super::JwtValidatorBuilder::min_refresh_interval),
/// and never two at once), so an attacker sending tokens with random `kid`s
/// causes at most one fetch per interval. Fetch from an issuer's
/// `jwks_uri` with the HTTP client the application already has, or use
/// [`JwksFile`].
///
/// # Examples
///
/// ```
/// use authscheme_bearer::BearerError;
/// use authscheme_bearer::jwt::{KeyRefresher, KeySet};
///
/// #[derive(Debug)]
/// struct FromConfigService;
///
/// #[async_trait::async_trait]
/// impl KeyRefresher for FromConfigService {
///     async fn refresh(&self) -> Result<KeySet, BearerError> {
///         let jwks = br#"{"keys":[]}"#; // fetched from the issuer in real code
///         KeySet::from_jwks_json(jwks)
///     }
/// }
/// ```
#[async_trait]
pub trait KeyRefresher: Send + Sync + fmt::Debug + 'static {
    /// The whole new key set; it replaces the old one.
    ///
    /// # Errors
    ///
    /// Any [`BearerError`]; the validator then keeps its current keys.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{JwksFile, KeyRefresher};
    /// # let path = std::env::temp_dir().join(format!("authscheme-doc-{}-refresh.json", std::process::id()));
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// std::fs::write(&path, r#"{"keys":[{"kty":"oct","kid":"k1","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYnk"}]}"#).unwrap();
    /// let refresher = JwksFile::new(&path);
    /// assert_eq!(refresher.refresh().await.unwrap().len(), 1);
    /// std::fs::remove_file(&path).unwrap();
    /// assert!(refresher.refresh().await.is_err());
    /// # });
    /// ```
    async fn refresh(&self) -> Result<KeySet, BearerError>;
}

/// Re-reads a JWKS file (written by a sidecar or a deploy step).
///
/// # Examples
///
/// ```no_run
/// use authscheme_bearer::jwt::{Algorithm, JwksFile, JwtValidator, KeySet};
/// let validator = JwtValidator::builder()
///     .algorithms([Algorithm::RS256])
///     .keys(KeySet::from_jwks_file("/etc/app/jwks.json")?)
///     .refresher(JwksFile::new("/etc/app/jwks.json"))
///     .build()?;
/// # Ok::<(), authscheme_bearer::BearerError>(())
/// ```
#[derive(Debug, Clone)]
pub struct JwksFile {
    path: PathBuf,
}

impl JwksFile {
    /// Reads `path` on each refresh.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenValidator;
    /// use authscheme_bearer::jwt::{Algorithm, JwksFile, JwtValidator, KeySet, SigningKey, TokenMint};
    /// # let path = std::env::temp_dir().join(format!("authscheme-doc-{}-rotate.json", std::process::id()));
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// std::fs::write(&path, r#"{"keys":[{"kty":"oct","kid":"2024","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYnk"}]}"#).unwrap();
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .keys(KeySet::from_jwks_file(&path).unwrap())
    ///     .refresher(JwksFile::new(&path))
    ///     .build()
    ///     .unwrap();
    /// // The deploy step rotates the key; the file is read again for the new `kid`.
    /// std::fs::write(&path, r#"{"keys":[{"kty":"oct","kid":"2025","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYnk"}]}"#).unwrap();
    /// let token = TokenMint::new("alice")
    ///     .kid("2025")
    ///     .sign(Algorithm::HS256, &SigningKey::secret(b"secret-secret-secret-secret-32by"))
    ///     .unwrap();
    /// assert!(validator.validate(&token).await.is_ok());
    /// # std::fs::remove_file(&path).unwrap();
    /// # });
    /// ```
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }
}

#[async_trait]
impl KeyRefresher for JwksFile {
    async fn refresh(&self) -> Result<KeySet, BearerError> {
        // A JWKS file is a few kilobytes and refreshes are rate-limited, so
        // a blocking read here is short and rare.
        KeySet::from_jwks_file(&self.path)
    }
}
