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
pub struct SigningKey {
    key: EncodingKey,
    /// An HMAC secret's length in bytes, checked against the algorithm it
    /// signs with; `None` for a private key (checked when read).
    secret_len: Option<usize>,
}

impl SigningKey {
    /// An HMAC secret, for HS256/384/512: at least as long as the hash's
    /// output (32, 48 or 64 bytes; RFC 7518 section 3.2), or
    /// [`TokenMint::sign`] refuses it.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let secret = b"0123456789abcdef0123456789abcdef0123456789abcdef";
    /// let token = TokenMint::new("alice").sign(Algorithm::HS384, &SigningKey::secret(secret))?;
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS384])
    ///     .key(JwtKey::secret(secret))
    ///     .build()?;
    /// assert!(validator.verify(&token).is_ok());
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn secret(secret: &[u8]) -> Self {
        Self {
            key: EncodingKey::from_secret(secret),
            secret_len: Some(secret.len()),
        }
    }

    /// A private key in PEM for `alg`: PKCS#8 (`BEGIN PRIVATE KEY`), or
    /// the older forms OpenSSL still writes, PKCS#1 for RSA (`BEGIN RSA
    /// PRIVATE KEY`) and SEC1 for ECDSA (`BEGIN EC PRIVATE KEY`).
    ///
    /// # Errors
    ///
    /// [`BearerError::Key`] when `alg` is an HMAC algorithm or the PEM is not
    /// a private key of `alg`'s family.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::BearerError;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// // An Ed25519 key pair.
    /// # let private = b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIDLsVVmcCiJuy0qSA+Jw/MpUNUmswVrtT7y73xQx7rpH\n-----END PRIVATE KEY-----\n";
    /// # let public = b"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAjIxuXKReHsg4SQPpm9JUAHXll6464CFcYWwvWldjQwU=\n-----END PUBLIC KEY-----\n";
    /// let signing = SigningKey::private_pem(Algorithm::EdDSA, private)?;
    /// let token = TokenMint::new("alice").sign(Algorithm::EdDSA, &signing)?;
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::EdDSA])
    ///     .key(JwtKey::public_pem(Algorithm::EdDSA, public)?)
    ///     .build()?;
    /// assert!(validator.verify(&token).is_ok());
    /// assert!(matches!(SigningKey::private_pem(Algorithm::HS256, private), Err(BearerError::Key { .. })));
    /// # Ok::<(), BearerError>(())
    /// ```
    pub fn private_pem(alg: Algorithm, pem: &[u8]) -> Result<Self, BearerError> {
        use jsonwebtoken::AlgorithmFamily as F;
        let key = match alg.family() {
            F::Rsa => {
                check_rsa_size(pem)?;
                EncodingKey::from_rsa_pem(pem)
            }
            F::Ec if is_sec1(pem) => return sec1_to_pkcs8(alg, pem).map(Self::private),
            F::Ec => {
                check_ec_curve(alg, pem)?;
                EncodingKey::from_ec_pem(pem)
            }
            F::Ed => EncodingKey::from_ed_pem(pem),
            F::Hmac => {
                return Err(BearerError::key(
                    "PEM",
                    "an HMAC algorithm takes a secret, not a PEM key",
                ));
            }
        }
        .map_err(|e| BearerError::key_source("PEM", format!("not a {alg:?} private key"), e))?;
        Ok(Self::private(key))
    }

    fn private(key: EncodingKey) -> Self {
        Self {
            key,
            secret_len: None,
        }
    }
}

/// Refuses a PKCS#8 EC key of another curve than `alg`'s (P-256 for
/// ES256, P-384 for ES384), which jsonwebtoken takes and then fails to
/// sign with. A file without such a block is left to jsonwebtoken.
fn check_ec_curve(alg: Algorithm, pem: &[u8]) -> Result<(), BearerError> {
    use p256::pkcs8::DecodePrivateKey as _;
    let Some(block) = pem_block(pem, "PRIVATE KEY") else {
        return Ok(());
    };
    let fits = match alg {
        Algorithm::ES256 => p256::SecretKey::from_pkcs8_pem(block).is_ok(),
        Algorithm::ES384 => p384::SecretKey::from_pkcs8_pem(block).is_ok(),
        _ => true,
    };
    if fits {
        Ok(())
    } else {
        Err(BearerError::key(
            "PEM",
            format!("not a {alg:?} private key"),
        ))
    }
}

/// The size RFC 7518 section 3.3 sets for RSA keys (RS* and PS*).
const MIN_RSA_BITS: usize = 2048;

/// Refuses an RSA private key (PKCS#8 or PKCS#1) smaller than
/// [`MIN_RSA_BITS`]; a file without such a block is left to jsonwebtoken.
fn check_rsa_size(pem: &[u8]) -> Result<(), BearerError> {
    use rsa::pkcs1::DecodeRsaPrivateKey as _;
    use rsa::pkcs8::DecodePrivateKey as _;
    use rsa::traits::PublicKeyParts as _;
    let key = match (
        pem_block(pem, "PRIVATE KEY"),
        pem_block(pem, "RSA PRIVATE KEY"),
    ) {
        (Some(block), _) => rsa::RsaPrivateKey::from_pkcs8_pem(block).ok(),
        (None, Some(block)) => rsa::RsaPrivateKey::from_pkcs1_pem(block).ok(),
        (None, None) => None,
    };
    match key.map(|k| k.n().bits()) {
        Some(bits) if bits < MIN_RSA_BITS => Err(BearerError::key(
            "PEM",
            format!(
                "an RSA key of {bits} bits; RFC 7518 section 3.3 requires {MIN_RSA_BITS} or more"
            ),
        )),
        _ => Ok(()),
    }
}

/// The shortest HMAC secret RFC 7518 section 3.2 allows for `alg`: as long
/// as the hash's output.
pub(crate) fn min_secret_len(alg: Algorithm) -> usize {
    match alg {
        Algorithm::HS384 => 48,
        Algorithm::HS512 => 64,
        _ => 32,
    }
}

/// Whether `pem` holds a SEC1 EC private key (`BEGIN EC PRIVATE KEY`), which
/// jsonwebtoken does not read: it takes EC keys as PKCS#8 only.
fn is_sec1(pem: &[u8]) -> bool {
    pem_block(pem, "EC PRIVATE KEY").is_some()
}

/// The first `label` block of `pem`, from its BEGIN line to its END line,
/// as text. A key file may hold more (`openssl ecparam -genkey` writes an
/// `EC PARAMETERS` block first, and a key often comes with its
/// certificate); RFC 7468 section 2 has parsers skip what lies outside the
/// block they read, as jsonwebtoken does.
fn pem_block<'p>(pem: &'p [u8], label: &str) -> Option<&'p str> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem
        .windows(begin.len())
        .position(|w| w == begin.as_bytes())?;
    let len = pem[start..]
        .windows(end.len())
        .position(|w| w == end.as_bytes())?
        + end.len();
    std::str::from_utf8(&pem[start..start + len]).ok()
}

/// A SEC1 PEM key for `alg` rewritten as PKCS#8 DER, the form jsonwebtoken
/// signs with. The curve must be `alg`'s (P-256 for ES256, P-384 for
/// ES384).
fn sec1_to_pkcs8(alg: Algorithm, pem: &[u8]) -> Result<EncodingKey, BearerError> {
    use p256::pkcs8::EncodePrivateKey as _;
    let wrong = || BearerError::key("PEM", format!("not a {alg:?} private key"));
    let pem = pem_block(pem, "EC PRIVATE KEY").ok_or_else(wrong)?;
    let der = match alg {
        Algorithm::ES256 => p256::SecretKey::from_sec1_pem(pem)
            .map_err(|_| wrong())?
            .to_pkcs8_der(),
        Algorithm::ES384 => p384::SecretKey::from_sec1_pem(pem)
            .map_err(|_| wrong())?
            .to_pkcs8_der(),
        _ => return Err(wrong()),
    }
    .map_err(|_| wrong())?;
    Ok(EncodingKey::from_ec_der(der.as_bytes()))
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
    typ: Option<String>,
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
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, SigningKey, TokenMint};
    /// # use base64::Engine;
    /// # fn claims(token: &str) -> serde_json::Value {
    /// #     let payload = token.split('.').nth(1).unwrap();
    /// #     serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
    /// # }
    /// let token = TokenMint::new("alice").sign(Algorithm::HS256, &SigningKey::secret(b"0123456789abcdef0123456789abcdef"))?;
    /// let claims = claims(&token); // the decoded payload
    /// assert_eq!(claims["sub"], "alice");
    /// // One hour by default.
    /// assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 3600);
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn new(sub: impl Into<String>) -> Self {
        Self {
            sub: sub.into(),
            scope: None,
            aud: None,
            iss: None,
            kid: None,
            typ: None,
            lifetime: Duration::from_secs(3600),
            expires_at: None,
            not_before: None,
        }
    }

    /// The `scope` claim (space-separated scopes).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let secret = b"0123456789abcdef0123456789abcdef";
    /// let token = TokenMint::new("alice").scope("read write").sign(Algorithm::HS256, &SigningKey::secret(secret))?;
    /// # let validator = JwtValidator::builder().algorithms([Algorithm::HS256]).key(JwtKey::secret(secret)).build()?;
    /// let info = validator.verify(&token).unwrap();
    /// assert_eq!(info.scopes(), ["read", "write"]);
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// The `aud` claim.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, SigningKey, TokenMint};
    /// # use base64::Engine;
    /// # fn claims(token: &str) -> serde_json::Value {
    /// #     let payload = token.split('.').nth(1).unwrap();
    /// #     serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
    /// # }
    /// let key = SigningKey::secret(b"0123456789abcdef0123456789abcdef");
    /// let token = TokenMint::new("alice").audience("api").sign(Algorithm::HS256, &key)?;
    /// assert_eq!(claims(&token)["aud"], "api");
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn audience(mut self, aud: impl Into<String>) -> Self {
        self.aud = Some(aud.into());
        self
    }

    /// The `iss` claim.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, SigningKey, TokenMint};
    /// # use base64::Engine;
    /// # fn claims(token: &str) -> serde_json::Value {
    /// #     let payload = token.split('.').nth(1).unwrap();
    /// #     serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
    /// # }
    /// let key = SigningKey::secret(b"0123456789abcdef0123456789abcdef");
    /// let token = TokenMint::new("alice").issuer("https://issuer.example").sign(Algorithm::HS256, &key)?;
    /// assert_eq!(claims(&token)["iss"], "https://issuer.example");
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn issuer(mut self, iss: impl Into<String>) -> Self {
        self.iss = Some(iss.into());
        self
    }

    /// The `kid` header parameter.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, SigningKey, TokenMint};
    /// let key = SigningKey::secret(b"0123456789abcdef0123456789abcdef");
    /// let token = TokenMint::new("alice").kid("2025").sign(Algorithm::HS256, &key)?;
    /// let header = jsonwebtoken::decode_header(&token).unwrap();
    /// assert_eq!(header.kid.as_deref(), Some("2025"));
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// The header's `typ` (`JWT` unless set): `at+jwt` marks an access
    /// token as RFC 9068 wants.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, SigningKey, TokenMint};
    /// let key = SigningKey::secret(b"0123456789abcdef0123456789abcdef");
    /// let token = TokenMint::new("alice").token_type("at+jwt").sign(Algorithm::HS256, &key)?;
    /// let header = jsonwebtoken::decode_header(&token).unwrap();
    /// assert_eq!(header.typ.as_deref(), Some("at+jwt"));
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn token_type(mut self, typ: impl Into<String>) -> Self {
        self.typ = Some(typ.into());
        self
    }

    /// How long the token lives (`exp` = now + lifetime).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_bearer::jwt::{Algorithm, SigningKey, TokenMint};
    /// # use base64::Engine;
    /// # fn claims(token: &str) -> serde_json::Value {
    /// #     let payload = token.split('.').nth(1).unwrap();
    /// #     serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
    /// # }
    /// let key = SigningKey::secret(b"0123456789abcdef0123456789abcdef");
    /// let token = TokenMint::new("alice").lifetime(Duration::from_secs(600)).sign(Algorithm::HS256, &key)?;
    /// let claims = claims(&token);
    /// assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 600);
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// An explicit `exp` in seconds since the epoch (may be in the past,
    /// for tests).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenError;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let secret = b"0123456789abcdef0123456789abcdef";
    /// # let validator = JwtValidator::builder().algorithms([Algorithm::HS256]).key(JwtKey::secret(secret)).build()?;
    /// // 2001-09-09: long expired.
    /// let token = TokenMint::new("alice").expires_at(1_000_000_000).sign(Algorithm::HS256, &SigningKey::secret(secret))?;
    /// assert_eq!(validator.verify(&token), Err(TokenError::Expired));
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn expires_at(mut self, exp: i64) -> Self {
        self.expires_at = Some(exp);
        self
    }

    /// An `nbf` in seconds since the epoch.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenError;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let secret = b"0123456789abcdef0123456789abcdef";
    /// # let validator = JwtValidator::builder().algorithms([Algorithm::HS256]).key(JwtKey::secret(secret)).build()?;
    /// // 2096-10-02: not usable yet.
    /// let token = TokenMint::new("alice").not_before(4_000_000_000).sign(Algorithm::HS256, &SigningKey::secret(secret))?;
    /// assert_eq!(validator.verify(&token), Err(TokenError::NotYetValid));
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn not_before(mut self, nbf: i64) -> Self {
        self.not_before = Some(nbf);
        self
    }

    /// Signs the token.
    ///
    /// # Errors
    ///
    /// [`BearerError::Sign`] when the key does not fit `alg`;
    /// [`BearerError::Key`] for an HMAC secret shorter than `alg`'s hash
    /// (RFC 7518 section 3.2: 32 bytes for HS256, 48 for HS384, 64 for
    /// HS512).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::BearerError;
    /// use authscheme_bearer::jwt::{Algorithm, SigningKey, TokenMint};
    /// let key = SigningKey::secret(b"0123456789abcdef0123456789abcdef");
    /// let token = TokenMint::new("alice").sign(Algorithm::HS256, &key)?;
    /// assert_eq!(token.split('.').count(), 3);
    /// // An HMAC secret cannot make an RS256 signature.
    /// assert!(matches!(TokenMint::new("alice").sign(Algorithm::RS256, &key), Err(BearerError::Sign(_))));
    /// // Nor, at 32 bytes, an HS384 one.
    /// assert!(matches!(TokenMint::new("alice").sign(Algorithm::HS384, &key), Err(BearerError::Key { .. })));
    /// # Ok::<(), BearerError>(())
    /// ```
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
        if let Some(len) = key.secret_len
            && alg.family() == jsonwebtoken::AlgorithmFamily::Hmac
            && len < min_secret_len(alg)
        {
            return Err(BearerError::key(
                "secret",
                format!(
                    "{len} bytes; RFC 7518 section 3.2 requires at least {} for {alg:?}",
                    min_secret_len(alg)
                ),
            ));
        }
        let mut header = Header::new(alg);
        header.kid.clone_from(&self.kid);
        if let Some(typ) = &self.typ {
            header.typ = Some(typ.clone());
        }
        encode(&header, &claims, &key.key).map_err(|e| BearerError::Sign(Box::new(e)))
    }
}
