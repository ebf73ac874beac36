//! [`TokenMint`]: signs JWTs for development, tests and the
//! `authscheme token` command.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde::Serialize;

use crate::error::BearerError;

/// A key to sign with: an HMAC secret or a private key in PEM.
///
/// # Examples
///
/// ```
/// use authscheme_bearer::jwt::SigningKey;
/// let key = SigningKey::secret(b"0123456789abcdef0123456789abcdef");
/// assert_eq!(format!("{key:?}"), "SigningKey(<redacted>)");
/// ```
#[derive(Clone)]
pub struct SigningKey(EncodingKey);

impl SigningKey {
    /// An HMAC secret, for HS256/384/512.
    pub fn secret(secret: &[u8]) -> Self {
        Self(EncodingKey::from_secret(secret))
    }

    /// A private key in PEM (PKCS#8, or PKCS#1 for RSA) for `alg`.
    ///
    /// # Errors
    ///
    /// [`BearerError::Key`] when `alg` is an HMAC algorithm or the PEM is not
    /// a private key of `alg`'s family.
    pub fn private_pem(alg: Algorithm, pem: &[u8]) -> Result<Self, BearerError> {
        use jsonwebtoken::AlgorithmFamily as F;
        let key = match alg.family() {
            F::Rsa => EncodingKey::from_rsa_pem(pem),
            F::Ec => EncodingKey::from_ec_pem(pem),
            F::Ed => EncodingKey::from_ed_pem(pem),
            F::Hmac => {
                return Err(BearerError::key(
                    "PEM",
                    "an HMAC algorithm takes a secret, not a PEM key",
                ));
            }
        }
        .map_err(|e| BearerError::key_source("PEM", format!("not a {alg:?} private key"), e))?;
        Ok(Self(key))
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

/// The claims of a new token.
///
/// `iat` is now, `exp` is now plus the lifetime (one hour unless set);
/// `scope` is space-separated as RFC 8693 and RFC 9068 write it.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use authscheme_bearer::jwt::{Algorithm, SigningKey, TokenMint};
/// let token = TokenMint::new("alice")
///     .scope("read admin")
///     .lifetime(Duration::from_secs(600))
///     .kid("k1")
///     .sign(Algorithm::HS256, &SigningKey::secret(b"0123456789abcdef0123456789abcdef"))?;
/// assert_eq!(token.split('.').count(), 3);
/// # Ok::<(), authscheme_bearer::BearerError>(())
/// ```
#[derive(Debug, Clone)]
pub struct TokenMint {
    sub: String,
    scope: Option<String>,
    aud: Option<String>,
    iss: Option<String>,
    kid: Option<String>,
    lifetime: Duration,
    expires_at: Option<i64>,
    not_before: Option<i64>,
}

#[derive(Serialize)]
struct MintedClaims<'a> {
    sub: &'a str,
    iat: i64,
    exp: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    nbf: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aud: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    iss: Option<&'a str>,
}

impl TokenMint {
    /// A token for subject `sub`.
    pub fn new(sub: impl Into<String>) -> Self {
        Self {
            sub: sub.into(),
            scope: None,
            aud: None,
            iss: None,
            kid: None,
            lifetime: Duration::from_secs(3600),
            expires_at: None,
            not_before: None,
        }
    }

    /// The `scope` claim (space-separated scopes).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// The `aud` claim.
    pub fn audience(mut self, aud: impl Into<String>) -> Self {
        self.aud = Some(aud.into());
        self
    }

    /// The `iss` claim.
    pub fn issuer(mut self, iss: impl Into<String>) -> Self {
        self.iss = Some(iss.into());
        self
    }

    /// The `kid` header parameter.
    pub fn kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// How long the token lives (`exp` = now + lifetime).
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// An explicit `exp` in seconds since the epoch (may be in the past,
    /// for tests).
    pub fn expires_at(mut self, exp: i64) -> Self {
        self.expires_at = Some(exp);
        self
    }

    /// An `nbf` in seconds since the epoch.
    pub fn not_before(mut self, nbf: i64) -> Self {
        self.not_before = Some(nbf);
        self
    }

    /// Signs the token.
    ///
    /// # Errors
    ///
    /// [`BearerError::Sign`] when the key does not fit `alg`.
    pub fn sign(&self, alg: Algorithm, key: &SigningKey) -> Result<String, BearerError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let lifetime = i64::try_from(self.lifetime.as_secs()).unwrap_or(i64::MAX);
        let claims = MintedClaims {
            sub: &self.sub,
            iat: now,
            exp: self
                .expires_at
                .unwrap_or_else(|| now.saturating_add(lifetime)),
            nbf: self.not_before,
            scope: self.scope.as_deref(),
            aud: self.aud.as_deref(),
            iss: self.iss.as_deref(),
        };
        let mut header = Header::new(alg);
        header.kid.clone_from(&self.kid);
        encode(&header, &claims, &key.0).map_err(|e| BearerError::Sign(Box::new(e)))
    }
}
