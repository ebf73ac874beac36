//! [`BasicScheme`]: the server side of Basic.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use authscheme::{
    AuthRequest, AuthScheme, Authenticated, Challenge, Credentials, Rejection, SchemeName, Verdict,
};

use crate::cache::CredentialCache;
use crate::credentials::BasicCredentials;
use crate::error::DecodeError;
use crate::store::UserStore;

/// The Basic scheme on the server: issues `Basic realm="...",
/// charset="UTF-8"` and checks credentials with a [`UserStore`].
///
/// Credentials that are not base64, have no colon or hold a
/// control character are refused with **401 and the challenge**, like wrong
/// passwords (see the crate documentation for why not 400).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use authscheme::{AuthRequest, Authenticator, Outcome};
/// use authscheme_basic::{BasicScheme, MemoryStore};
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let store = MemoryStore::with_cost(4).unwrap();
/// store.insert("Aladdin", "open sesame").unwrap();
/// let basic = BasicScheme::new("WallyWorld", store).with_cache(Duration::from_secs(300), 1024);
/// let auth = Authenticator::new().with(basic);
///
/// let mut headers = http::HeaderMap::new();
/// let Outcome::Denied(d) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else { panic!() };
/// assert_eq!(d.challenges()[0].to_string(), r#"Basic realm="WallyWorld", charset="UTF-8""#);
///
/// headers.insert("authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".parse().unwrap());
/// let outcome = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await;
/// assert_eq!(outcome.identity().unwrap().name(), "Aladdin");
/// # });
/// ```
pub struct BasicScheme<S: UserStore> {
    realm: String,
    charset: bool,
    challenge: Challenge<'static>,
    store: S,
    cache: Option<CredentialCache<S::Identity>>,
}

impl<S: UserStore> BasicScheme<S> {
    /// A scheme for `realm`, checking with `store`, advertising
    /// `charset="UTF-8"`, without a cache. Control characters in the realm
    /// that a quoted-string cannot hold are removed; a tab stays, as it
    /// does in the Digest and Bearer challenges of the same realm.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{BasicScheme, MemoryStore};
    /// let scheme = BasicScheme::new("Dev\nzone", MemoryStore::with_cost(4).unwrap());
    /// assert_eq!(scheme.realm(), "Devzone");
    /// assert!(scheme.cache().is_none());
    /// let tab = BasicScheme::new("Dev\tzone", MemoryStore::with_cost(4).unwrap());
    /// assert_eq!(tab.realm(), "Dev\tzone");
    /// # use authscheme::{AuthRequest, AuthScheme};
    /// let mut challenges = Vec::new();
    /// let headers = http::HeaderMap::new();
    /// let request = AuthRequest::new("GET", "/", &headers);
    /// AuthScheme::<authscheme::Principal>::challenges(&tab, &request, &mut challenges);
    /// assert_eq!(challenges[0].to_string(), "Basic realm=\"Dev\tzone\", charset=\"UTF-8\"");
    /// ```
    pub fn new(realm: impl Into<String>, store: S) -> Self {
        // RFC 9110 section 5.6.4: qdtext takes HTAB, no other control.
        let realm: String = realm
            .into()
            .chars()
            .filter(|&c| c == '\t' || !c.is_control())
            .collect();
        let challenge = build_challenge(&realm, true);
        Self {
            realm,
            charset: true,
            challenge,
            store,
            cache: None,
        }
    }

    /// Whether to send `charset="UTF-8"` (RFC 7617 section 2.1); on by
    /// default. Credentials are decoded as UTF-8 either way.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, AuthScheme};
    /// use authscheme_basic::{BasicScheme, MemoryStore};
    /// let scheme = BasicScheme::new("Dev zone", MemoryStore::with_cost(4).unwrap()).with_charset(false);
    /// let headers = http::HeaderMap::new();
    /// let mut out = Vec::new();
    /// scheme.challenges(&AuthRequest::new("GET", "/", &headers), &mut out);
    /// assert_eq!(out[0].to_string(), r#"Basic realm="Dev zone""#);
    /// ```
    pub fn with_charset(mut self, charset: bool) -> Self {
        self.charset = charset;
        self.challenge = build_challenge(&self.realm, charset);
        self
    }

    /// Remembers verified credentials for `ttl`, at most `capacity` of them
    /// (Apache's mod_authn_socache defaults to 300 seconds). The cache is
    /// emptied whenever the store's generation changes (the htpasswd file
    /// was reloaded).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_basic::{BasicScheme, MemoryStore};
    /// let scheme = BasicScheme::new("Dev zone", MemoryStore::with_cost(4).unwrap())
    ///     .with_cache(Duration::from_secs(300), 10_000);
    /// let cache = scheme.cache().unwrap();
    /// assert_eq!((cache.ttl(), cache.capacity()), (Duration::from_secs(300), 10_000));
    /// ```
    pub fn with_cache(mut self, ttl: Duration, capacity: usize) -> Self {
        self.cache = Some(CredentialCache::new(ttl, capacity));
        self
    }

    /// The realm.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{BasicScheme, MemoryStore};
    /// let scheme = BasicScheme::new("WallyWorld", MemoryStore::with_cost(4).unwrap());
    /// assert_eq!(scheme.realm(), "WallyWorld");
    /// ```
    pub fn realm(&self) -> &str {
        &self.realm
    }

    /// The store.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{BasicScheme, MemoryStore};
    /// let scheme = BasicScheme::new("Dev zone", MemoryStore::with_cost(4).unwrap());
    /// // Users can still be managed after the store went into the scheme.
    /// scheme.store().insert("alice", "wonderland").unwrap();
    /// assert_eq!(scheme.store().len(), 1);
    /// ```
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The cache, when enabled.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_basic::{BasicScheme, MemoryStore};
    /// let plain = BasicScheme::new("Dev zone", MemoryStore::with_cost(4).unwrap());
    /// assert!(plain.cache().is_none());
    /// let cached = plain.with_cache(Duration::from_secs(60), 100);
    /// assert!(cached.cache().unwrap().is_empty());
    /// ```
    pub fn cache(&self) -> Option<&CredentialCache<S::Identity>> {
        self.cache.as_ref()
    }

    fn refuse(&self, why: DecodeError) -> Verdict<S::Identity> {
        // 401 with the challenge: see "Malformed credentials" in the crate docs.
        Verdict::Rejected(Rejection::unauthorized(why.to_string()))
    }

    /// Decodes and verifies a token68. Public through
    /// [`AuthScheme::authenticate`]; kept apart so the benchmark can call it.
    /// A cache hit for these credentials. The cache is keyed by the token68
    /// as received: a hit costs one keyed hash and no decoding.
    fn cached(&self, token68: &str) -> Option<Authenticated<S::Identity>> {
        let cache = self.cache.as_ref()?;
        let identity = cache.get_token68(self.store.generation(), token68)?;
        Some(Authenticated::new(identity, SchemeName::BASIC))
    }

    async fn check(&self, token68: &str) -> Verdict<S::Identity> {
        if let Some(done) = self.cached(token68) {
            return Verdict::Authenticated(done);
        }
        let generation = self.cache.as_ref().map(|_| self.store.generation());
        let credentials = match BasicCredentials::decode(token68) {
            Ok(credentials) => credentials,
            Err(e) => return self.refuse(e),
        };
        match self.store.verify(&credentials).await {
            Ok(Some(identity)) => {
                if let (Some(cache), Some(generation)) = (&self.cache, generation) {
                    cache.insert_token68(generation, token68, identity.clone());
                }
                Verdict::Authenticated(Authenticated::new(identity, SchemeName::BASIC))
            }
            // The same reason for an unknown user and a wrong password.
            Ok(None) => Verdict::Rejected(Rejection::unauthorized("wrong user-id or password")),
            Err(e) => {
                tracing::warn!(error = %e, "Basic: user store unavailable");
                Verdict::Rejected(Rejection::unavailable("user store unavailable"))
            }
        }
    }
}

fn build_challenge(realm: &str, charset: bool) -> Challenge<'static> {
    let mut builder =
        Challenge::builder(SchemeName::BASIC).quoted_param("realm", realm.as_bytes().to_vec());
    if charset {
        builder = builder.quoted_param("charset", &b"UTF-8"[..]);
    }
    // The realm holds no control character but HTAB (filtered in `new`):
    // nothing that can make a quoted parameter invalid.
    builder
        .build()
        .unwrap_or_else(|_| Challenge::new(SchemeName::BASIC))
}

#[async_trait]
impl<S: UserStore> AuthScheme<S::Identity> for BasicScheme<S> {
    fn name(&self) -> SchemeName<'static> {
        SchemeName::BASIC
    }

    fn challenges(&self, _request: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        out.push(self.challenge.clone());
    }

    fn authenticate_now(
        &self,
        _request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Option<Authenticated<S::Identity>> {
        self.cached(credentials.token68()?)
    }

    /// The credentials alone decide.
    fn reads_target_now(&self) -> bool {
        false
    }

    async fn authenticate(
        &self,
        _request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Verdict<S::Identity> {
        match credentials.token68() {
            Some(token68) => self.check(token68).await,
            None => self.refuse(DecodeError::NotToken68),
        }
    }
}

impl<S: UserStore + fmt::Debug> fmt::Debug for BasicScheme<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicScheme")
            .field("realm", &self.realm)
            .field("charset", &self.charset)
            .field("store", &self.store)
            .field("cache", &self.cache)
            .finish()
    }
}
