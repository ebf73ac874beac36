//! Verification keys: [`JwtKey`] (one key, its family and optional `kid`)
//! and [`KeySet`] (from secrets, PEM files or a JWKS document).

use std::fmt;
use std::path::Path;

use jsonwebtoken::jwk::{Jwk, KeyAlgorithm, KeyOperations, PublicKeyUse};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey};

use crate::error::BearerError;

/// One verification key.
///
/// A key belongs to one algorithm family (HMAC, RSA, EC, Ed) and verifies
/// only tokens whose `alg` is in that family, and, when the key names an
/// algorithm (a JWK `alg`, or the algorithm given for a PEM file), only
/// that algorithm. So an RSA public key can never be used as an HMAC
/// secret (the classic RS256/HS256 confusion).
///
/// # Examples
///
/// ```
/// use authscheme_bearer::jwt::{Algorithm, JwtKey};
/// let key = JwtKey::secret(b"a-long-random-secret-of-32-bytes!").with_kid("k1");
/// assert!(key.verifies(Algorithm::HS256));
/// assert!(!key.verifies(Algorithm::RS256));
/// assert!(!format!("{key:?}").contains("random"));
/// ```
#[derive(Clone)]
pub struct JwtKey {
    pub(crate) kid: Option<String>,
    pub(crate) alg: Option<Algorithm>,
    pub(crate) key: DecodingKey,
}

impl JwtKey {
    /// An HMAC secret (HS256, HS384, HS512). It verifies an algorithm only
    /// when it is at least as long as the hash's output (RFC 7518 section
    /// 3.2: 32 bytes for HS256, 48 for HS384, 64 for HS512), as
    /// [`SigningKey::secret`](super::SigningKey::secret) signs; an empty or
    /// short secret (an unset variable, say) verifies nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey};
    /// let key = JwtKey::secret(b"0123456789abcdef0123456789abcdef");
    /// assert!(key.verifies(Algorithm::HS256) && !key.verifies(Algorithm::HS512));
    /// assert!(!key.verifies(Algorithm::RS256));
    /// assert!(!JwtKey::secret(b"").verifies(Algorithm::HS256));
    /// assert_eq!(key.kid(), None);
    /// ```
    pub fn secret(secret: &[u8]) -> Self {
        Self {
            kid: None,
            alg: None,
            key: DecodingKey::from_secret(secret),
        }
    }

    /// A public key in PEM for `alg`: RSA for RS*/PS*, EC for ES*, Ed25519
    /// for EdDSA. The key then verifies `alg` only.
    ///
    /// # Errors
    ///
    /// [`BearerError::Key`] when `alg` is an HMAC algorithm or the PEM is not
    /// a key of `alg`'s family.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::BearerError;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey};
    /// // An Ed25519 public key.
    /// let pem = b"-----BEGIN PUBLIC KEY-----
    /// MCowBQYDK2VwAyEAjIxuXKReHsg4SQPpm9JUAHXll6464CFcYWwvWldjQwU=
    /// -----END PUBLIC KEY-----
    /// ";
    /// let key = JwtKey::public_pem(Algorithm::EdDSA, pem)?;
    /// assert!(key.verifies(Algorithm::EdDSA));
    /// assert!(matches!(JwtKey::public_pem(Algorithm::HS256, pem), Err(BearerError::Key { .. })));
    /// assert!(matches!(JwtKey::public_pem(Algorithm::RS256, pem), Err(BearerError::Key { .. })));
    /// # Ok::<(), BearerError>(())
    /// ```
    pub fn public_pem(alg: Algorithm, pem: &[u8]) -> Result<Self, BearerError> {
        use jsonwebtoken::AlgorithmFamily as F;
        let key = match alg.family() {
            F::Rsa => DecodingKey::from_rsa_pem(pem),
            F::Ec => DecodingKey::from_ec_pem(pem),
            F::Ed => DecodingKey::from_ed_pem(pem),
            F::Hmac => {
                return Err(BearerError::key(
                    "PEM",
                    "an HMAC algorithm takes a secret, not a PEM key",
                ));
            }
        }
        .map_err(|e| BearerError::key_source("PEM", format!("not a {alg:?} public key"), e))?;
        Ok(Self {
            kid: None,
            alg: Some(alg),
            key,
        })
    }

    /// A public key read from a PEM file, for `alg`.
    ///
    /// # Errors
    ///
    /// [`BearerError::Io`] when the file cannot be read; otherwise as
    /// [`JwtKey::public_pem`].
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::BearerError;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey};
    /// # let path = std::env::temp_dir().join(format!("authscheme-doc-{}-ed-public.pem", std::process::id()));
    /// # std::fs::write(&path, "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAjIxuXKReHsg4SQPpm9JUAHXll6464CFcYWwvWldjQwU=\n-----END PUBLIC KEY-----\n").unwrap();
    /// let key = JwtKey::public_pem_file(Algorithm::EdDSA, &path)?;
    /// assert!(key.verifies(Algorithm::EdDSA));
    /// let missing = JwtKey::public_pem_file(Algorithm::EdDSA, "/nonexistent/key.pem");
    /// assert!(matches!(missing, Err(BearerError::Io { .. })));
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok::<(), BearerError>(())
    /// ```
    pub fn public_pem_file(alg: Algorithm, path: impl AsRef<Path>) -> Result<Self, BearerError> {
        let path = path.as_ref();
        let pem = std::fs::read(path).map_err(|e| BearerError::io(path, e))?;
        Self::public_pem(alg, &pem)
    }

    /// Names the key: tokens whose header has this `kid` use it.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, KeySet};
    /// let set = KeySet::new()
    ///     .with(JwtKey::secret(b"first-secret-first-secret-first!").with_kid("2024"))
    ///     .with(JwtKey::secret(b"second-secret-second-secret-sec!").with_kid("2025"));
    /// assert_eq!(set.find(Some("2025"), Algorithm::HS256).unwrap().kid(), Some("2025"));
    /// ```
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// The key id.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::JwtKey;
    /// let key = JwtKey::secret(b"0123456789abcdef0123456789abcdef");
    /// assert_eq!(key.kid(), None);
    /// assert_eq!(key.with_kid("k1").kid(), Some("k1"));
    /// ```
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// Whether this key may verify a token signed with `alg`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey};
    /// # let pem = b"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAjIxuXKReHsg4SQPpm9JUAHXll6464CFcYWwvWldjQwU=\n-----END PUBLIC KEY-----\n";
    /// let ed = JwtKey::public_pem(Algorithm::EdDSA, pem)?;
    /// assert!(ed.verifies(Algorithm::EdDSA));
    /// assert!(!ed.verifies(Algorithm::HS256));
    /// // A secret verifies the HMAC algorithms it is long enough for, and
    /// // nothing else.
    /// let secret = JwtKey::secret(b"0123456789abcdef0123456789abcdef0123456789abcdef");
    /// assert!(secret.verifies(Algorithm::HS384));
    /// assert!(!secret.verifies(Algorithm::HS512));
    /// assert!(!secret.verifies(Algorithm::EdDSA));
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn verifies(&self, alg: Algorithm) -> bool {
        self.key.family() == alg.family()
            && self.alg.is_none_or(|own| own == alg)
            && (alg.family() != jsonwebtoken::AlgorithmFamily::Hmac
                || self
                    .key
                    .try_get_as_bytes()
                    .is_ok_and(|secret| secret.len() >= super::mint::min_secret_len(alg)))
    }
}

impl fmt::Debug for JwtKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtKey")
            .field("kid", &self.kid)
            .field("family", &self.key.family())
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

/// The keys a [`JwtValidator`](super::JwtValidator) verifies with.
///
/// # Examples
///
/// ```
/// use authscheme_bearer::jwt::{Algorithm, JwtKey, KeySet};
/// let jwks = r#"{"keys":[{"kty":"oct","kid":"k1","alg":"HS256","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYnk"}]}"#;
/// let set = KeySet::from_jwks_json(jwks.as_bytes()).unwrap();
/// assert_eq!(set.len(), 1);
/// assert!(set.find(Some("k1"), Algorithm::HS256).is_some());
/// assert!(set.find(Some("k1"), Algorithm::HS512).is_none());
/// ```
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    keys: Vec<JwtKey>,
}

impl KeySet {
    /// An empty set.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::KeySet;
    /// let set = KeySet::new();
    /// assert!(set.is_empty());
    /// assert_eq!(set.len(), 0);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a key.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, KeySet};
    /// # let ed_pem = b"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAjIxuXKReHsg4SQPpm9JUAHXll6464CFcYWwvWldjQwU=\n-----END PUBLIC KEY-----\n";
    /// let set = KeySet::new()
    ///     .with(JwtKey::secret(b"0123456789abcdef0123456789abcdef").with_kid("hmac"))
    ///     .with(JwtKey::public_pem(Algorithm::EdDSA, ed_pem)?.with_kid("ed"));
    /// assert_eq!(set.len(), 2);
    /// assert_eq!(set.find(Some("ed"), Algorithm::EdDSA).unwrap().kid(), Some("ed"));
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn with(mut self, key: JwtKey) -> Self {
        self.keys.push(key);
        self
    }

    /// Reads a JWKS document (RFC 7517 section 5). Keys this crate cannot
    /// use are skipped, as RFC 7517 section 5 asks: keys marked for
    /// encryption (`"use": "enc"`), keys whose `alg` is not a JWS signature
    /// algorithm, and keys of an unknown type or curve. One odd key in an
    /// issuer's set must not lock every token out.
    ///
    /// # Errors
    ///
    /// [`BearerError::Jwks`] when the document is not a JSON object with a
    /// `keys` array.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::BearerError;
    /// use authscheme_bearer::jwt::{Algorithm, KeySet};
    /// let jwks = r#"{"keys":[
    ///     {"kty":"oct","kid":"sig","alg":"HS256","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYnk"},
    ///     {"kty":"oct","kid":"enc","use":"enc","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYnk"},
    ///     {"kty":"future-key-type","kid":"new"}
    /// ]}"#;
    /// // Only the signing key is kept; the others (one for encryption, one
    /// // of a type this crate does not know) are skipped, not errors.
    /// let set = KeySet::from_jwks_json(jwks.as_bytes())?;
    /// assert_eq!(set.len(), 1);
    /// assert!(set.find(Some("sig"), Algorithm::HS256).is_some());
    /// assert!(matches!(KeySet::from_jwks_json(b"[]"), Err(BearerError::Jwks(_))));
    /// # Ok::<(), BearerError>(())
    /// ```
    pub fn from_jwks_json(json: &[u8]) -> Result<Self, BearerError> {
        #[derive(serde::Deserialize)]
        struct RawSet {
            keys: Vec<serde_json::Value>,
        }
        let raw: RawSet =
            serde_json::from_slice(json).map_err(|e| BearerError::Jwks(Box::new(e)))?;
        let mut keys = Vec::with_capacity(raw.keys.len());
        for value in raw.keys {
            let Ok(jwk) = serde_json::from_value::<Jwk>(value) else {
                continue;
            };
            // RFC 7517 sections 4.2 and 4.3: a key published for another
            // use (`use` other than "sig", `key_ops` without "verify") is
            // not one to verify signatures with.
            let other_use = jwk
                .common
                .public_key_use
                .as_ref()
                .is_some_and(|u| *u != PublicKeyUse::Signature);
            let other_ops = jwk
                .common
                .key_operations
                .as_ref()
                .is_some_and(|ops| !ops.contains(&KeyOperations::Verify));
            if other_use || other_ops {
                continue;
            }
            let alg = match jwk.common.key_algorithm {
                None => None,
                Some(ka) => match signature_algorithm(ka) {
                    Some(alg) => Some(alg),
                    None => continue,
                },
            };
            let Ok(key) = DecodingKey::from_jwk(&jwk) else {
                continue;
            };
            keys.push(JwtKey {
                kid: jwk.common.key_id.clone(),
                alg,
                key,
            });
        }
        Ok(Self { keys })
    }

    /// Reads a JWKS document from a file.
    ///
    /// # Errors
    ///
    /// [`BearerError::Io`] when the file cannot be read; otherwise as
    /// [`KeySet::from_jwks_json`].
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::BearerError;
    /// use authscheme_bearer::jwt::KeySet;
    /// # let path = std::env::temp_dir().join(format!("authscheme-doc-{}-keyset.json", std::process::id()));
    /// std::fs::write(&path, r#"{"keys":[{"kty":"oct","kid":"k1","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYnk"}]}"#).unwrap();
    /// assert_eq!(KeySet::from_jwks_file(&path)?.len(), 1);
    /// let missing = KeySet::from_jwks_file("/nonexistent/jwks.json");
    /// assert!(matches!(missing, Err(BearerError::Io { .. })));
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok::<(), BearerError>(())
    /// ```
    pub fn from_jwks_file(path: impl AsRef<Path>) -> Result<Self, BearerError> {
        let path = path.as_ref();
        let json = std::fs::read(path).map_err(|e| BearerError::io(path, e))?;
        Self::from_jwks_json(&json)
    }

    /// Why the set is unusable with `algorithms`, when no key of it
    /// verifies any of them because of an HMAC secret: too short for every
    /// allowed HMAC algorithm (RFC 7518 section 3.2), pinned to an
    /// algorithm not allowed, or no HMAC algorithm allowed. Such a set is a
    /// mistake in the configuration, better refused when the validator is
    /// built than found when every token is refused. A set with some usable
    /// key passes (a JWKS may hold keys for other uses).
    pub(crate) fn useless_secret(&self, algorithms: &[Algorithm]) -> Option<String> {
        if self
            .keys
            .iter()
            .any(|k| algorithms.iter().any(|&a| k.verifies(a)))
        {
            return None;
        }
        let key = self
            .keys
            .iter()
            .find(|k| k.key.family() == AlgorithmFamily::Hmac)?;
        if let Some(pinned) = key.alg.filter(|a| !algorithms.contains(a)) {
            return Some(format!(
                "the key is for {pinned:?}, which is not among the allowed algorithms {algorithms:?}"
            ));
        }
        let len = key.key.try_get_as_bytes().map_or(0, <[u8]>::len);
        let hmac = algorithms
            .iter()
            .find(|a| a.family() == AlgorithmFamily::Hmac && key.alg.is_none_or(|own| own == **a));
        Some(match hmac {
            Some(&alg) => format!(
                "{len} bytes, and RFC 7518 section 3.2 requires at least {} for {alg:?}",
                super::mint::min_secret_len(alg)
            ),
            None => format!("no HMAC algorithm is allowed (only {algorithms:?})"),
        })
    }

    /// The key, when there is exactly one.
    pub(crate) fn only_key(&self) -> Option<&JwtKey> {
        match &self.keys[..] {
            [key] => Some(key),
            _ => None,
        }
    }

    /// How many keys there are.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{JwtKey, KeySet};
    /// let set = KeySet::new()
    ///     .with(JwtKey::secret(b"first-secret-first-secret-first!").with_kid("2024"))
    ///     .with(JwtKey::secret(b"second-secret-second-secret-sec!").with_kid("2025"));
    /// assert_eq!(set.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are none.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::KeySet;
    /// // A JWKS document can be valid and still hold no key.
    /// let set = KeySet::from_jwks_json(br#"{"keys":[]}"#).unwrap();
    /// assert!(set.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The key for a token with `kid` and `alg`: the key with that `kid`
    /// when there is one, else a key without a `kid`; in both cases only a
    /// key that [verifies](JwtKey::verifies) `alg`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, KeySet};
    /// let set = KeySet::new()
    ///     .with(JwtKey::secret(b"first-secret-first-secret-first!").with_kid("k1"))
    ///     .with(JwtKey::secret(b"second-secret-second-secret-sec!"));
    /// assert_eq!(set.find(Some("k1"), Algorithm::HS256).unwrap().kid(), Some("k1"));
    /// // An unknown `kid`, or none at all: the key without a `kid`.
    /// assert_eq!(set.find(Some("k9"), Algorithm::HS256).unwrap().kid(), None);
    /// assert_eq!(set.find(None, Algorithm::HS256).unwrap().kid(), None);
    /// // Never a key of another family.
    /// assert!(set.find(Some("k1"), Algorithm::ES256).is_none());
    /// ```
    pub fn find(&self, kid: Option<&str>, alg: Algorithm) -> Option<&JwtKey> {
        self.candidates(kid, alg).next()
    }

    /// Whether a key that verifies `alg` has exactly this `kid` (a token
    /// without `kid` names none).
    pub(crate) fn names(&self, kid: Option<&str>, alg: Algorithm) -> bool {
        kid.is_some_and(|kid| {
            self.keys
                .iter()
                .any(|k| k.verifies(alg) && k.kid.as_deref() == Some(kid))
        })
    }

    /// Every key that may have signed a token with `kid` and `alg`, in
    /// order: the key with that `kid` when there is one; else every key
    /// without a `kid` (RFC 7517 makes `kid` optional, and an issuer that
    /// rotates keys without naming them signs with any of them). Only keys
    /// that [verify](JwtKey::verifies) `alg`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, KeySet};
    /// let set = KeySet::new()
    ///     .with(JwtKey::secret(b"first-secret-first-secret-first!"))
    ///     .with(JwtKey::secret(b"second-secret-second-secret-sec!"))
    ///     .with(JwtKey::secret(b"third-secret-third-secret-third!").with_kid("k3"));
    /// assert_eq!(set.candidates(None, Algorithm::HS256).count(), 2);
    /// assert_eq!(set.candidates(Some("k3"), Algorithm::HS256).count(), 1);
    /// assert_eq!(set.candidates(Some("k9"), Algorithm::HS256).count(), 2);
    /// ```
    pub fn candidates(&self, kid: Option<&str>, alg: Algorithm) -> impl Iterator<Item = &JwtKey> {
        let usable = move |k: &&JwtKey| k.verifies(alg);
        let named = kid.and_then(|kid| {
            self.keys
                .iter()
                .filter(usable)
                .find(|k| k.kid.as_deref() == Some(kid))
        });
        let unnamed = self.keys.iter().filter(usable).filter(|k| k.kid.is_none());
        let (one, many) = match named {
            Some(key) => (Some(key), None),
            None => (None, Some(unnamed)),
        };
        one.into_iter().chain(many.into_iter().flatten())
    }
}

fn signature_algorithm(ka: KeyAlgorithm) -> Option<Algorithm> {
    Some(match ka {
        KeyAlgorithm::HS256 => Algorithm::HS256,
        KeyAlgorithm::HS384 => Algorithm::HS384,
        KeyAlgorithm::HS512 => Algorithm::HS512,
        KeyAlgorithm::RS256 => Algorithm::RS256,
        KeyAlgorithm::RS384 => Algorithm::RS384,
        KeyAlgorithm::RS512 => Algorithm::RS512,
        KeyAlgorithm::PS256 => Algorithm::PS256,
        KeyAlgorithm::PS384 => Algorithm::PS384,
        KeyAlgorithm::PS512 => Algorithm::PS512,
        KeyAlgorithm::ES256 => Algorithm::ES256,
        KeyAlgorithm::ES384 => Algorithm::ES384,
        KeyAlgorithm::EdDSA => Algorithm::EdDSA,
        _ => return None,
    })
}
