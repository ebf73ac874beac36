//! JWT access tokens (RFC 9068 style) verified with `jsonwebtoken`.
//!
//! [`JwtValidator`] checks, in order: the header's `alg` is on an explicit
//! allow-list (`none` cannot be listed); a key matching the `kid` and the
//! algorithm's family exists (an RSA key never verifies an HS256 token); the
//! signature; no `crit` header, and the header's `typ` when types are
//! configured (`at+jwt` for RFC 9068 access tokens); `exp` and `nbf` with
//! leeway; `iss` when configured, `aud` always (a token naming an audience
//! is refused where none is configured); required claims. Scopes come from `scope` (space-separated) and `scp`
//! (string or array); a token with both has the scopes of both. The identity is a
//! `Principal` (from `authscheme::registry`) named after `sub`.
//!
//! # Crypto backend
//!
//! jsonwebtoken (10 and later) needs exactly one crypto backend feature and panics at
//! run time with none or two. This crate enables `rust_crypto` (pure Rust:
//! no C compiler, no cmake, builds anywhere Rust does). Do not enable
//! jsonwebtoken's `aws_lc_rs` feature elsewhere in the same build; the
//! tests of this crate verify tokens of every family, so a doubled backend
//! shows up as a test failure, not in production.

mod cache;
mod claims;
mod keys;
mod mint;
mod refresh;

use std::fmt;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use authscheme::registry::Principal;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{TokenData, Validation, decode, decode_header};

pub use jsonwebtoken::Algorithm;
pub use keys::{JwtKey, KeySet};
pub use mint::{SigningKey, TokenMint};
pub use refresh::{JwksFile, KeyRefresher};

use crate::error::{BearerError, TokenError};
use crate::validator::{TokenInfo, TokenValidator};
use cache::VerifiedCache;
use claims::{Claims, ClaimsWithNames};

/// The registered claims jsonwebtoken itself can require.
const SPEC_CLAIMS: [&str; 5] = ["exp", "nbf", "aud", "iss", "sub"];

/// Verifies JWT bearer tokens. Cloning is cheap (one `Arc`).
///
/// # Examples
///
/// ```
/// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
/// let secret = b"0123456789abcdef0123456789abcdef";
/// let validator = JwtValidator::builder()
///     .algorithms([Algorithm::HS256])
///     .key(JwtKey::secret(secret))
///     .issuer("https://issuer.example")
///     .audience("api")
///     .build()?;
///
/// let token = TokenMint::new("alice")
///     .scope("read admin")
///     .issuer("https://issuer.example")
///     .audience("api")
///     .sign(Algorithm::HS256, &SigningKey::secret(secret))?;
/// let info = validator.verify(&token).unwrap();
/// assert_eq!(info.identity().name(), "alice");
/// assert!(info.has_scope("admin"));
///
/// let other = TokenMint::new("alice").audience("elsewhere").issuer("https://issuer.example")
///     .sign(Algorithm::HS256, &SigningKey::secret(secret))?;
/// assert_eq!(validator.verify(&other), Err(authscheme_bearer::TokenError::WrongAudience));
/// # Ok::<(), authscheme_bearer::BearerError>(())
/// ```
#[derive(Clone)]
pub struct JwtValidator {
    inner: Arc<Inner>,
}

/// A JWS whose `crit` header names extensions must be refused by a
/// recipient that does not understand them (RFC 7515 section 4.1.11), and
/// this validator understands none; jsonwebtoken reads `crit` but leaves
/// the check to its caller.
fn refuse_critical_extensions(header: &jsonwebtoken::Header) -> Result<(), TokenError> {
    match &header.crit {
        Some(_) => Err(TokenError::Malformed),
        None => Ok(()),
    }
}

/// A `typ` value as RFC 7515 section 4.1.9 compares it: `application/`
/// may be left out, and is.
fn media_subtype(typ: &str) -> &str {
    match typ.get(..12) {
        Some(prefix) if prefix.eq_ignore_ascii_case("application/") => &typ[12..],
        _ => typ,
    }
}

/// What a key refresh came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fetch {
    /// New keys are in place.
    Changed,
    /// The keys stay as they were (not fetched again so soon, or the
    /// source answered with no key).
    Unchanged,
    /// The source could not be read.
    Failed,
}

struct Inner {
    /// One prepared `Validation` per allowed algorithm, so nothing is
    /// allocated per token.
    validations: Vec<(Algorithm, Validation)>,
    /// Required claims that jsonwebtoken does not check itself.
    other_required: Vec<String>,
    /// Whether an audience and an issuer are configured: jsonwebtoken
    /// passes an `aud` or `iss` of a JSON type it cannot read.
    has_audience: bool,
    has_issuer: bool,
    /// The accepted header `typ` values, without any `application/`;
    /// empty: any.
    types: Vec<String>,
    keys: RwLock<Arc<KeySet>>,
    refresher: Option<Arc<dyn KeyRefresher>>,
    min_refresh_interval: Duration,
    /// When the keys were last fetched, and whether that fetch failed.
    last_refresh: Mutex<Option<(Instant, Fetch)>>,
    /// Held during a refresh: concurrent unknown `kid`s wait for the one
    /// refresh in flight instead of starting their own.
    refresh_flight: tokio::sync::Mutex<()>,
    cache: Option<VerifiedCache>,
    /// With one algorithm, one key without `kid` and no refresher, the key
    /// is known before reading the header: the token goes straight to
    /// `jsonwebtoken::decode`, which checks `alg` against the allow-list
    /// itself, and the header is parsed once instead of twice.
    direct: Option<JwtKey>,
}

impl fmt::Debug for JwtValidator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtValidator")
            .field(
                "algorithms",
                &self
                    .inner
                    .validations
                    .iter()
                    .map(|(a, _)| *a)
                    .collect::<Vec<_>>(),
            )
            .field("keys", &self.current_keys().len())
            .field("refresher", &self.inner.refresher)
            .field("cache", &self.inner.cache.is_some())
            .finish_non_exhaustive()
    }
}

impl JwtValidator {
    /// Starts a builder.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let secret = b"0123456789abcdef0123456789abcdef";
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .key(JwtKey::secret(secret))
    ///     .build()?;
    /// let token = TokenMint::new("alice").sign(Algorithm::HS256, &SigningKey::secret(secret))?;
    /// assert_eq!(validator.verify(&token).unwrap().identity().name(), "alice");
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn builder() -> JwtValidatorBuilder {
        JwtValidatorBuilder::default()
    }

    /// Verifies `token` with the keys at hand, without refreshing them
    /// (synchronous; [`TokenValidator::validate`] adds the refresh on an
    /// unknown `kid`).
    ///
    /// # Errors
    ///
    /// The [`TokenError`] saying which check failed.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenError;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let secret = b"0123456789abcdef0123456789abcdef";
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .key(JwtKey::secret(secret))
    ///     .build()?;
    /// let expired = TokenMint::new("alice")
    ///     .expires_at(1_000_000_000)
    ///     .sign(Algorithm::HS256, &SigningKey::secret(secret))?;
    /// assert_eq!(validator.verify(&expired), Err(TokenError::Expired));
    /// let forged = TokenMint::new("alice")
    ///     .sign(Algorithm::HS256, &SigningKey::secret(b"not-the-secret-not-the-secret-32"))?;
    /// assert_eq!(validator.verify(&forged), Err(TokenError::BadSignature));
    /// assert_eq!(validator.verify("not.a.jwt"), Err(TokenError::Malformed));
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn verify(&self, token: &str) -> Result<TokenInfo<Principal>, TokenError> {
        // The generation is read before the keys: a refresh that replaces
        // them meanwhile keeps this token out of the cache.
        let cache_key = self.inner.cache.as_ref().map(|cache| {
            let key = cache.key(token);
            (cache, key, cache.generation())
        });
        if let Some((cache, key, _)) = &cache_key
            && let Some(hit) = cache.get(key, coarsetime::Instant::now())
        {
            return Ok(hit);
        }
        let (info, expires_at) = match (&self.inner.direct, self.inner.validations.first()) {
            (Some(key), Some((_, validation))) => self.decode_with(token, key, validation)?,
            _ => {
                let header = decode_header(token).map_err(|e| map_error(e.kind()))?;
                let validation = self.validation(header.alg)?;
                let keys = self.current_keys();
                // Each key that may have signed it, until one verifies: a
                // bad signature under one is no verdict while others wait.
                let mut verdict = Err(TokenError::UnknownKey);
                for key in keys.candidates(header.kid.as_deref(), header.alg) {
                    verdict = self.decode_with(token, key, validation);
                    if !matches!(verdict, Err(TokenError::BadSignature)) {
                        break;
                    }
                }
                verdict?
            }
        };
        if let (Some((cache, key, generation)), Some(exp)) = (cache_key, expires_at) {
            let lifetime = exp.saturating_sub(now());
            cache.insert(
                key,
                info.clone(),
                lifetime,
                coarsetime::Instant::now(),
                generation,
            );
        }
        Ok(info)
    }

    /// How many keys the validator holds now.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator};
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .key(JwtKey::secret(b"first-secret-first-secret-first!").with_kid("2024"))
    ///     .key(JwtKey::secret(b"second-secret-second-secret-sec!").with_kid("2025"))
    ///     .build()?;
    /// assert_eq!(validator.key_count(), 2);
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn key_count(&self) -> usize {
        self.current_keys().len()
    }

    /// How many verified tokens the cache holds now (0 without a cache).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let secret = b"0123456789abcdef0123456789abcdef";
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .key(JwtKey::secret(secret))
    ///     .cache(1_000)
    ///     .build()?;
    /// let token = TokenMint::new("alice").sign(Algorithm::HS256, &SigningKey::secret(secret))?;
    /// assert_eq!(validator.cached_tokens(), 0);
    /// validator.verify(&token).unwrap();
    /// validator.verify(&token).unwrap(); // a cache hit
    /// assert_eq!(validator.cached_tokens(), 1);
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn cached_tokens(&self) -> usize {
        self.inner.cache.as_ref().map_or(0, VerifiedCache::len)
    }

    fn validation(&self, alg: Algorithm) -> Result<&Validation, TokenError> {
        self.inner
            .validations
            .iter()
            .find(|(a, _)| *a == alg)
            .map(|(_, v)| v)
            .ok_or(TokenError::AlgorithmNotAllowed)
    }

    fn current_keys(&self) -> Arc<KeySet> {
        let keys = self.inner.keys.read().unwrap_or_else(|p| p.into_inner());
        Arc::clone(&keys)
    }

    /// What jsonwebtoken leaves to its caller in a verified header: no
    /// critical extension, and an accepted `typ` when types are set.
    fn check_header(&self, header: &jsonwebtoken::Header) -> Result<(), TokenError> {
        refuse_critical_extensions(header)?;
        if self.inner.types.is_empty() {
            return Ok(());
        }
        let typ = header.typ.as_deref().map(media_subtype).unwrap_or_default();
        if self.inner.types.iter().any(|t| t.eq_ignore_ascii_case(typ)) {
            Ok(())
        } else {
            Err(TokenError::WrongType)
        }
    }

    fn decode_with(
        &self,
        token: &str,
        key: &JwtKey,
        validation: &Validation,
    ) -> Result<(TokenInfo<Principal>, Option<u64>), TokenError> {
        let claims = if self.inner.other_required.is_empty() {
            let data: TokenData<Claims> =
                decode(token, &key.key, validation).map_err(|e| map_error(e.kind()))?;
            self.check_header(&data.header)?;
            data.claims
        } else {
            let data: TokenData<ClaimsWithNames> =
                decode(token, &key.key, validation).map_err(|e| map_error(e.kind()))?;
            self.check_header(&data.header)?;
            let ClaimsWithNames { base, rest } = data.claims;
            for name in &self.inner.other_required {
                if !base.has(name) && !rest.contains_key(name) {
                    return Err(TokenError::MissingClaim(name.clone()));
                }
            }
            base
        };
        // RFC 7519 section 4.1.3: a present `aud` that does not name this
        // validator refuses the token, whatever its JSON type; section
        // 4.1.1: `iss` is one string, not a list that merely includes ours.
        if !self.inner.has_audience && claims.aud.is_some() {
            return Err(TokenError::WrongAudience);
        }
        if self.inner.has_issuer && matches!(claims.iss, Some(claims::StringClaim::Other(_))) {
            return Err(TokenError::WrongIssuer);
        }
        let scopes = claims.scopes();
        let expires_at = claims.expires_at();
        // An empty `sub` names nobody (RFC 7519 section 4.1.2 wants it
        // unique): the principal would be the empty name.
        if claims.sub.as_deref() == Some("") {
            return Err(TokenError::InvalidClaim);
        }
        let name = claims.sub.unwrap_or_default();
        // The principal and the token share one list of scopes.
        let principal = Principal::new(name).with_scopes(scopes);
        let scopes = principal.shared_scopes();
        Ok((TokenInfo::from_parts(principal, scopes), expires_at))
    }

    /// Refreshes the keys for a token they did not verify, at most once per
    /// interval and one at a time: whether the keys changed since `seen`
    /// (the token is then worth verifying again), or the source could not
    /// be read (now, or at the last fetch within the interval).
    async fn refresh_for(&self, seen: &Arc<KeySet>) -> Fetch {
        let Some(refresher) = &self.inner.refresher else {
            return Fetch::Unchanged;
        };
        let _flight = self.inner.refresh_flight.lock().await;
        // Another task may have refreshed while this one waited.
        if !Arc::ptr_eq(&self.current_keys(), seen) {
            return Fetch::Changed;
        }
        {
            let last = self
                .inner
                .last_refresh
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if let Some((at, fetch)) = *last
                && at.elapsed() < self.inner.min_refresh_interval
            {
                // Not again so soon; a source that was down still is, as
                // far as this token can tell.
                return if fetch == Fetch::Failed {
                    Fetch::Failed
                } else {
                    Fetch::Unchanged
                };
            }
        }
        let fetch = match refresher.refresh().await {
            // An empty answer (an outage upstream, a half-written file) is
            // no reason to stop trusting every key.
            Ok(set) if set.is_empty() => {
                tracing::warn!("JWT key refresh returned no key; the current keys stay");
                Fetch::Unchanged
            }
            Ok(set) => {
                *self.inner.keys.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(set);
                // Tokens signed by keys that were withdrawn must not live on
                // in the cache.
                if let Some(cache) = &self.inner.cache {
                    cache.clear();
                }
                Fetch::Changed
            }
            Err(e) => {
                tracing::warn!(error = %e, "JWT key refresh failed; tokens with an unknown key get 503 until it succeeds");
                Fetch::Failed
            }
        };
        *self
            .inner
            .last_refresh
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), fetch));
        fetch
    }
}

#[async_trait]
impl TokenValidator for JwtValidator {
    type Identity = Principal;

    /// A hit in the verified-token cache, when there is one; verifying a
    /// signature is left to `validate`, so a bad token is checked once.
    fn validate_now(&self, token: &str) -> Option<TokenInfo<Principal>> {
        let cache = self.inner.cache.as_ref()?;
        cache.get(&cache.key(token), coarsetime::Instant::now())
    }

    async fn validate(&self, token: &str) -> Result<TokenInfo<Principal>, TokenError> {
        if self.inner.refresher.is_none() {
            return self.verify(token);
        }
        let seen = self.current_keys();
        match self.verify(token) {
            // No key for the token, or only keys without a `kid` that it
            // does not verify under (a rotated key, named or not): the issuer
            // may have a new key. A bad signature under the very key the
            // token names is a forgery, not a rotation.
            Err(e @ (TokenError::UnknownKey | TokenError::BadSignature)) => {
                let header = decode_header(token).map_err(|e| map_error(e.kind()))?;
                if e == TokenError::BadSignature && seen.names(header.kid.as_deref(), header.alg) {
                    return Err(e);
                }
                match self.refresh_for(&seen).await {
                    Fetch::Changed => self.verify(token),
                    Fetch::Unchanged => Err(e),
                    // The key may well exist where it cannot be read now:
                    // "try later" (503), not "throw your token away"
                    // (RFC 6750's invalid_token).
                    Fetch::Failed => Err(TokenError::Unavailable),
                }
            }
            other => other,
        }
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn map_error(kind: &ErrorKind) -> TokenError {
    match kind {
        ErrorKind::InvalidSignature
        | ErrorKind::InvalidEcdsaKey
        | ErrorKind::InvalidEddsaKey
        | ErrorKind::InvalidRsaKey(_)
        | ErrorKind::InvalidKeyFormat
        | ErrorKind::Provider(_) => TokenError::BadSignature,
        ErrorKind::InvalidAlgorithm | ErrorKind::MissingAlgorithm => {
            TokenError::AlgorithmNotAllowed
        }
        ErrorKind::MissingRequiredClaim(c) => TokenError::MissingClaim(c.clone()),
        ErrorKind::InvalidClaimFormat(_) | ErrorKind::InvalidSubject => TokenError::InvalidClaim,
        ErrorKind::ExpiredSignature => TokenError::Expired,
        ErrorKind::ImmatureSignature => TokenError::NotYetValid,
        ErrorKind::InvalidIssuer => TokenError::WrongIssuer,
        ErrorKind::InvalidAudience => TokenError::WrongAudience,
        _ => TokenError::Malformed,
    }
}

/// Builds a [`JwtValidator`].
///
/// Defaults: no algorithm (one must be listed), leeway 60 seconds, `exp`
/// and `sub` required, `nbf` checked when present, `iss`/`aud` checked (and
/// required) only when configured, unknown-`kid` refreshes at most every 30
/// seconds, no cache.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator};
/// let v = JwtValidator::builder()
///     .algorithms([Algorithm::HS256, Algorithm::HS512])
///     .key(JwtKey::secret(b"0123456789abcdef0123456789abcdef"))
///     .leeway(Duration::from_secs(5))
///     .require_claims(["tenant"])
///     .cache(10_000)
///     .build()
///     .unwrap();
/// assert_eq!(v.key_count(), 1);
/// ```
#[derive(Debug)]
pub struct JwtValidatorBuilder {
    algorithms: Vec<Algorithm>,
    keys: KeySet,
    issuers: Vec<String>,
    audiences: Vec<String>,
    types: Vec<String>,
    leeway: Duration,
    required: Vec<String>,
    refresher: Option<Arc<dyn KeyRefresher>>,
    min_refresh_interval: Duration,
    cache: Option<usize>,
}

impl Default for JwtValidatorBuilder {
    fn default() -> Self {
        Self {
            algorithms: Vec::new(),
            keys: KeySet::new(),
            issuers: Vec::new(),
            audiences: Vec::new(),
            types: Vec::new(),
            leeway: Duration::from_secs(60),
            required: vec!["exp".into(), "sub".into()],
            refresher: None,
            min_refresh_interval: Duration::from_secs(30),
            cache: None,
        }
    }
}

impl JwtValidatorBuilder {
    /// The algorithms accepted (the allow-list); any other `alg` is
    /// refused. There is no `none` to list.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenError;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let secret = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .key(JwtKey::secret(secret))
    ///     .build()?;
    /// let hs512 = TokenMint::new("alice").sign(Algorithm::HS512, &SigningKey::secret(secret))?;
    /// assert_eq!(validator.verify(&hs512), Err(TokenError::AlgorithmNotAllowed));
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn algorithms(mut self, algorithms: impl IntoIterator<Item = Algorithm>) -> Self {
        self.algorithms = algorithms.into_iter().collect();
        self
    }

    /// Adds a key.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let old = b"first-secret-first-secret-first!";
    /// let new = b"second-secret-second-secret-sec!";
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .key(JwtKey::secret(old).with_kid("2024"))
    ///     .key(JwtKey::secret(new).with_kid("2025"))
    ///     .build()?;
    /// for (kid, secret) in [("2024", old), ("2025", new)] {
    ///     let token = TokenMint::new("alice").kid(kid).sign(Algorithm::HS256, &SigningKey::secret(secret))?;
    ///     assert!(validator.verify(&token).is_ok());
    /// }
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn key(mut self, key: JwtKey) -> Self {
        self.keys = self.keys.with(key);
        self
    }

    /// Replaces the keys with `keys` (a JWKS document, say).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, JwtValidator, KeySet, SigningKey, TokenMint};
    /// // The secret "secret-secret-secret-secret-32by", base64url-encoded.
    /// let jwks = r#"{"keys":[{"kty":"oct","kid":"k1","alg":"HS256","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYnk"}]}"#;
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .keys(KeySet::from_jwks_json(jwks.as_bytes())?)
    ///     .build()?;
    /// let token = TokenMint::new("alice")
    ///     .kid("k1")
    ///     .sign(Algorithm::HS256, &SigningKey::secret(b"secret-secret-secret-secret-32by"))?;
    /// assert!(validator.verify(&token).is_ok());
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn keys(mut self, keys: KeySet) -> Self {
        self.keys = keys;
        self
    }

    /// Accepts tokens from `issuer` (and requires `iss`). Call again to
    /// accept several.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenError;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let secret = b"0123456789abcdef0123456789abcdef";
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .key(JwtKey::secret(secret))
    ///     .issuer("https://a.example")
    ///     .issuer("https://b.example")
    ///     .build()?;
    /// let mint = |iss: &str| TokenMint::new("alice").issuer(iss).sign(Algorithm::HS256, &SigningKey::secret(secret));
    /// assert!(validator.verify(&mint("https://b.example")?).is_ok());
    /// assert_eq!(validator.verify(&mint("https://c.example")?), Err(TokenError::WrongIssuer));
    /// let no_iss = TokenMint::new("alice").sign(Algorithm::HS256, &SigningKey::secret(secret))?;
    /// assert_eq!(validator.verify(&no_iss), Err(TokenError::MissingClaim("iss".into())));
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuers.push(issuer.into());
        self
    }

    /// Accepts tokens for `audience` (and requires `aud`). Call again to
    /// accept several. Without an audience, a token that names one in `aud`
    /// is refused: it was issued for someone else (RFC 7519 section 4.1.3).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenError;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let secret = b"0123456789abcdef0123456789abcdef";
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .key(JwtKey::secret(secret))
    ///     .audience("api")
    ///     .build()?;
    /// let mint = |aud: &str| TokenMint::new("alice").audience(aud).sign(Algorithm::HS256, &SigningKey::secret(secret));
    /// assert!(validator.verify(&mint("api")?).is_ok());
    /// assert_eq!(validator.verify(&mint("billing")?), Err(TokenError::WrongAudience));
    ///
    /// let no_audience = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .key(JwtKey::secret(secret))
    ///     .build()?;
    /// assert_eq!(no_audience.verify(&mint("api")?), Err(TokenError::WrongAudience));
    /// let without_aud = TokenMint::new("alice").sign(Algorithm::HS256, &SigningKey::secret(secret))?;
    /// assert!(no_audience.verify(&without_aud).is_ok());
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audiences.push(audience.into());
        self
    }

    /// Accepts only tokens whose header `typ` is `typ` (compared without
    /// case, with or without `application/`); call again to accept
    /// several. Without it any `typ` passes. RFC 9068 section 4 asks a
    /// resource server to require `at+jwt`, so that an ID token for the
    /// same audience is not taken for an access token (RFC 8725 section
    /// 3.11); many issuers still send `JWT`, hence not by default.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenError;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let secret = b"0123456789abcdef0123456789abcdef";
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .key(JwtKey::secret(secret))
    ///     .token_type("at+jwt")
    ///     .build()?;
    /// let mint = |typ: &str| TokenMint::new("alice").token_type(typ).sign(Algorithm::HS256, &SigningKey::secret(secret));
    /// assert!(validator.verify(&mint("at+jwt")?).is_ok());
    /// assert!(validator.verify(&mint("application/AT+JWT")?).is_ok());
    /// assert_eq!(validator.verify(&mint("JWT")?), Err(TokenError::WrongType));
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn token_type(mut self, typ: impl Into<String>) -> Self {
        let typ = typ.into();
        self.types.push(media_subtype(&typ).to_owned());
        self
    }

    /// Clock skew allowed for `exp` and `nbf`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, SystemTime, UNIX_EPOCH};
    /// use authscheme_bearer::TokenError;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let secret = b"0123456789abcdef0123456789abcdef";
    /// let with_leeway = |secs| {
    ///     JwtValidator::builder()
    ///         .algorithms([Algorithm::HS256])
    ///         .key(JwtKey::secret(secret))
    ///         .leeway(Duration::from_secs(secs))
    ///         .build()
    ///         .unwrap()
    /// };
    /// let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    /// let token = TokenMint::new("alice")
    ///     .expires_at(now - 30) // expired half a minute ago
    ///     .sign(Algorithm::HS256, &SigningKey::secret(secret))?;
    /// assert!(with_leeway(60).verify(&token).is_ok());
    /// assert_eq!(with_leeway(0).verify(&token), Err(TokenError::Expired));
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Claims that must be present, on top of `exp` and `sub`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenError;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let secret = b"0123456789abcdef0123456789abcdef";
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .key(JwtKey::secret(secret))
    ///     .require_claims(["tenant"])
    ///     .build()?;
    /// let without = TokenMint::new("alice").sign(Algorithm::HS256, &SigningKey::secret(secret))?;
    /// assert_eq!(validator.verify(&without), Err(TokenError::MissingClaim("tenant".into())));
    ///
    /// // TokenMint writes no custom claims; sign this one with jsonwebtoken itself.
    /// let claims = serde_json::json!({"sub": "alice", "exp": 4_000_000_000_u64, "tenant": "acme"});
    /// let header = jsonwebtoken::Header::new(Algorithm::HS256);
    /// let with = jsonwebtoken::encode(&header, &claims, &jsonwebtoken::EncodingKey::from_secret(secret)).unwrap();
    /// assert!(validator.verify(&with).is_ok());
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn require_claims<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        for name in names {
            let name = name.into();
            if !self.required.contains(&name) {
                self.required.push(name);
            }
        }
        self
    }

    /// Replaces the required claims (default `exp` and `sub`), where
    /// [`require_claims`](Self::require_claims) adds to them. Leaving out
    /// `exp` accepts tokens that never expire; leaving out `sub`, tokens
    /// whose principal has an empty name.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenError;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator};
    /// let secret = b"0123456789abcdef0123456789abcdef";
    /// let validator = |required: &[&str]| {
    ///     JwtValidator::builder()
    ///         .algorithms([Algorithm::HS256])
    ///         .key(JwtKey::secret(secret))
    ///         .replace_required_claims(required.iter().copied())
    ///         .build()
    ///         .unwrap()
    /// };
    /// // A token without `exp`, signed with jsonwebtoken itself (TokenMint always sets one).
    /// let claims = serde_json::json!({"sub": "robot"});
    /// let header = jsonwebtoken::Header::new(Algorithm::HS256);
    /// let token = jsonwebtoken::encode(&header, &claims, &jsonwebtoken::EncodingKey::from_secret(secret)).unwrap();
    /// assert_eq!(validator(&["exp", "sub"]).verify(&token), Err(TokenError::MissingClaim("exp".into())));
    /// assert_eq!(validator(&["sub"]).verify(&token).unwrap().identity().name(), "robot");
    /// ```
    pub fn replace_required_claims<S: Into<String>>(
        mut self,
        names: impl IntoIterator<Item = S>,
    ) -> Self {
        self.required = names.into_iter().map(Into::into).collect();
        self
    }

    /// Refreshes the keys with `refresher` when no key verifies a token:
    /// it names an unknown `kid`, or none that the keys without a `kid`
    /// accept (a bad signature under the key a token names is a forgery,
    /// and fetches nothing).
    ///
    /// A refresh replaces the whole key set, keys given to
    /// [`key`](Self::key) and [`keys`](Self::keys) included (a key the
    /// issuer withdrew must stop verifying): the refresher returns every
    /// key to trust. A refresh that fails or returns no key at all keeps
    /// the current set rather than refusing every token. While the last
    /// refresh failed (within the minimum interval), a token no current
    /// key verifies is [`TokenError::Unavailable`] (a 503: try later), not
    /// `invalid_token`, which would tell its holder to throw it away.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, KeyRefresher, KeySet, SigningKey, TokenMint};
    /// use authscheme_bearer::{BearerError, TokenError, TokenValidator};
    ///
    /// /// Stands in for a fetch of the issuer's `jwks_uri` after a key rotation.
    /// #[derive(Debug)]
    /// struct Rotated;
    ///
    /// #[async_trait::async_trait]
    /// impl KeyRefresher for Rotated {
    ///     async fn refresh(&self) -> Result<KeySet, BearerError> {
    ///         Ok(KeySet::new().with(JwtKey::secret(b"second-secret-second-secret-sec!").with_kid("2025")))
    ///     }
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .key(JwtKey::secret(b"first-secret-first-secret-first!").with_kid("2024"))
    ///     .refresher(Rotated)
    ///     .build()?;
    /// let token = TokenMint::new("alice")
    ///     .kid("2025")
    ///     .sign(Algorithm::HS256, &SigningKey::secret(b"second-secret-second-secret-sec!"))?;
    /// // `verify` uses the keys at hand; `validate` refreshes them for the new `kid`.
    /// assert_eq!(validator.verify(&token), Err(TokenError::UnknownKey));
    /// assert_eq!(validator.validate(&token).await.unwrap().identity().name(), "alice");
    /// # Ok::<(), BearerError>(())
    /// # }).unwrap();
    /// ```
    pub fn refresher(mut self, refresher: impl KeyRefresher) -> Self {
        self.refresher = Some(Arc::new(refresher));
        self
    }

    /// The shortest time between two refreshes (default 30 seconds).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::time::Duration;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, KeyRefresher, KeySet, SigningKey, TokenMint};
    /// use authscheme_bearer::{BearerError, TokenError, TokenValidator};
    ///
    /// #[derive(Debug)]
    /// struct Counting(Arc<AtomicUsize>);
    ///
    /// #[async_trait::async_trait]
    /// impl KeyRefresher for Counting {
    ///     async fn refresh(&self) -> Result<KeySet, BearerError> {
    ///         self.0.fetch_add(1, Ordering::SeqCst);
    ///         Ok(KeySet::new().with(JwtKey::secret(b"0123456789abcdef0123456789abcdef").with_kid("k1")))
    ///     }
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let calls = Arc::new(AtomicUsize::new(0));
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .refresher(Counting(Arc::clone(&calls)))
    ///     .min_refresh_interval(Duration::from_secs(60))
    ///     .build()?;
    /// // Tokens naming made-up `kid`s cause one fetch per interval, not one each.
    /// for kid in ["x1", "x2", "x3"] {
    ///     let token = TokenMint::new("mallory")
    ///         .kid(kid)
    ///         .sign(Algorithm::HS256, &SigningKey::secret(b"attacker-secret-attacker-secret!"))?;
    ///     assert_eq!(validator.validate(&token).await, Err(TokenError::UnknownKey));
    /// }
    /// assert_eq!(calls.load(Ordering::SeqCst), 1);
    /// # Ok::<(), BearerError>(())
    /// # }).unwrap();
    /// ```
    pub fn min_refresh_interval(mut self, interval: Duration) -> Self {
        self.min_refresh_interval = interval;
        self
    }

    /// Caches up to `capacity` verified tokens (by keyed fingerprint)
    /// until their `exp`, so a token seen again skips verification. Keys
    /// being refreshed empty the cache.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenValidator;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
    /// let secret = b"0123456789abcdef0123456789abcdef";
    /// let validator = JwtValidator::builder()
    ///     .algorithms([Algorithm::HS256])
    ///     .key(JwtKey::secret(secret))
    ///     .cache(10_000)
    ///     .build()?;
    /// let token = TokenMint::new("alice").sign(Algorithm::HS256, &SigningKey::secret(secret))?;
    /// assert!(validator.validate_now(&token).is_none()); // not verified yet
    /// validator.verify(&token).unwrap();
    /// // Known now: the scheme can answer without the asynchronous path.
    /// assert_eq!(validator.validate_now(&token).unwrap().identity().name(), "alice");
    /// # Ok::<(), authscheme_bearer::BearerError>(())
    /// ```
    pub fn cache(mut self, capacity: usize) -> Self {
        self.cache = Some(capacity);
        self
    }

    /// The validator.
    ///
    /// # Errors
    ///
    /// [`BearerError::NoAlgorithm`] without an algorithm;
    /// [`BearerError::NoKey`] without keys and without a refresher;
    /// [`BearerError::Key`] for an HMAC secret that verifies none of the
    /// algorithms (shorter than RFC 7518 section 3.2 allows, or no HMAC
    /// algorithm listed).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::BearerError;
    /// use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator};
    /// let no_alg = JwtValidator::builder().key(JwtKey::secret(b"0123456789abcdef0123456789abcdef")).build();
    /// assert!(matches!(no_alg, Err(BearerError::NoAlgorithm)));
    /// let no_key = JwtValidator::builder().algorithms([Algorithm::HS256]).build();
    /// assert!(matches!(no_key, Err(BearerError::NoKey)));
    /// let short = JwtValidator::builder().algorithms([Algorithm::HS256]).key(JwtKey::secret(b"secret")).build();
    /// assert!(matches!(short, Err(BearerError::Key { .. })));
    /// let wrong_family = JwtValidator::builder()
    ///     .algorithms([Algorithm::RS256])
    ///     .key(JwtKey::secret(b"0123456789abcdef0123456789abcdef"))
    ///     .build();
    /// assert!(matches!(wrong_family, Err(BearerError::Key { .. })));
    /// ```
    pub fn build(self) -> Result<JwtValidator, BearerError> {
        if self.algorithms.is_empty() {
            return Err(BearerError::NoAlgorithm);
        }
        if self.keys.is_empty() && self.refresher.is_none() {
            return Err(BearerError::NoKey);
        }
        if let Some(why) = self.keys.useless_secret(&self.algorithms) {
            return Err(BearerError::key("secret", why));
        }
        let mut spec_required: Vec<&str> = self
            .required
            .iter()
            .map(String::as_str)
            .filter(|c| SPEC_CLAIMS.contains(c))
            .collect();
        if !self.issuers.is_empty() {
            spec_required.push("iss");
        }
        if !self.audiences.is_empty() {
            spec_required.push("aud");
        }
        let mut validations = Vec::with_capacity(self.algorithms.len());
        for alg in self.algorithms {
            let mut v = Validation::new(alg);
            v.leeway = self.leeway.as_secs();
            v.validate_exp = true;
            v.validate_nbf = true;
            v.set_required_spec_claims(&spec_required);
            if self.issuers.is_empty() {
                v.iss = None;
            } else {
                v.set_issuer(&self.issuers);
            }
            // Without an audience of its own, this validator is named by no
            // `aud`: a token that carries one is for someone else (RFC 7519
            // section 4.1.3), which jsonwebtoken checks when `aud` is on and
            // no audience is set.
            if !self.audiences.is_empty() {
                v.set_audience(&self.audiences);
            }
            validations.push((alg, v));
        }
        let direct = match (&validations[..], self.keys.only_key()) {
            ([(alg, _)], Some(key))
                if self.refresher.is_none() && key.kid.is_none() && key.verifies(*alg) =>
            {
                Some(key.clone())
            }
            _ => None,
        };
        let has_audience = !self.audiences.is_empty();
        let has_issuer = !self.issuers.is_empty();
        let other_required = self
            .required
            .into_iter()
            .filter(|c| !SPEC_CLAIMS.contains(&c.as_str()))
            .collect();
        Ok(JwtValidator {
            inner: Arc::new(Inner {
                validations,
                other_required,
                has_audience,
                has_issuer,
                types: self.types,
                keys: RwLock::new(Arc::new(self.keys)),
                refresher: self.refresher,
                min_refresh_interval: self.min_refresh_interval,
                last_refresh: Mutex::new(None),
                refresh_flight: tokio::sync::Mutex::new(()),
                cache: self.cache.map(VerifiedCache::new),
                direct,
            }),
        })
    }
}
