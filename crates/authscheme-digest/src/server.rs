//! The server side: [`DigestScheme`] issues challenges and verifies
//! credentials.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use authscheme::registry::Principal;
use authscheme::syntax;
use authscheme::{
    AuthRequest, AuthScheme, Authenticated, Challenge, Credentials, Param, Rejection, SchemeName,
    Verdict,
};
use http::HeaderValue;

use crate::algorithm::{Algorithm, HexDigest};
use crate::compute::{self, QopParts};
use crate::error::DigestError;
use crate::nonce::{Clock, NonceCheck, NonceIssuer, NonceSecret, SystemClock};
use crate::params::{DigestResponse, Username};
use crate::replay::{MemoryNonceStore, NonceStore, NonceUse, Seen};
use crate::store::{CredentialStore, Ha1};

/// Who a Digest request authenticated as.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{Algorithm, DigestUser};
/// let u = DigestUser::new("Mufasa", "api", Algorithm::Sha256);
/// assert_eq!(u.name(), "Mufasa");
/// assert_eq!(String::from(u), "Mufasa");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestUser {
    name: String,
    /// Shared with the scheme: every user of a scheme has its realm.
    realm: Arc<str>,
    algorithm: Algorithm,
}

impl DigestUser {
    /// A user of `realm` authenticated with `algorithm`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{Algorithm, DigestUser};
    /// let user = DigestUser::new("alice", "api", Algorithm::Sha256);
    /// assert_eq!(user.name(), "alice");
    /// assert_eq!(user.realm(), "api");
    /// ```
    pub fn new(name: impl Into<String>, realm: impl Into<Arc<str>>, algorithm: Algorithm) -> Self {
        Self {
            name: name.into(),
            realm: realm.into(),
            algorithm,
        }
    }

    /// The user name (the real one, also when the client sent a userhash).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator};
    /// use authscheme_digest::{DigestScheme, DigestUser, MemoryCredentialStore};
    /// # fn answer(auth: &Authenticator<DigestUser>, target: &str) -> http::HeaderMap {
    /// #     use authscheme::{ClientCredentials, ClientRequest, ClientScheme};
    /// #     let none = http::HeaderMap::new();
    /// #     let challenge = auth.challenges(&AuthRequest::new("GET", target, &none)).remove(0);
    /// #     let creds = ClientCredentials::password("alice", "wonderland");
    /// #     let mut session = authscheme_digest::DigestClient::new().start(&challenge, &creds).unwrap();
    /// #     let value = session.authorize_header(&ClientRequest::new("GET", target)).unwrap();
    /// #     let mut headers = http::HeaderMap::new();
    /// #     headers.insert("authorization", value);
    /// #     headers
    /// # }
    /// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// let auth: Authenticator<DigestUser> =
    ///     Authenticator::new().with(DigestScheme::builder("api", store).build().unwrap());
    /// // `answer` (hidden) is a `DigestClient` answering the first challenge.
    /// let headers = answer(&auth, "/");
    /// // The challenge offered userhash, so the client sent H(user ":" realm).
    /// assert!(!headers["authorization"].to_str().unwrap().contains("alice"));
    /// let done = auth.authenticate_now(&AuthRequest::new("GET", "/", &headers)).unwrap();
    /// assert_eq!(done.authenticated().identity().name(), "alice");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The realm.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{Algorithm, DigestUser};
    /// let user = DigestUser::new("alice", "api", Algorithm::Md5);
    /// assert_eq!(user.realm(), "api");
    /// ```
    pub fn realm(&self) -> &str {
        &self.realm
    }

    /// The algorithm the client used.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator};
    /// use authscheme_digest::{Algorithm, DigestScheme, DigestUser, MemoryCredentialStore};
    /// # fn answer(auth: &Authenticator<DigestUser>, target: &str) -> http::HeaderMap {
    /// #     use authscheme::{ClientCredentials, ClientRequest, ClientScheme};
    /// #     let none = http::HeaderMap::new();
    /// #     let challenge = auth.challenges(&AuthRequest::new("GET", target, &none)).remove(0);
    /// #     let creds = ClientCredentials::password("alice", "wonderland");
    /// #     let mut session = authscheme_digest::DigestClient::new().start(&challenge, &creds).unwrap();
    /// #     let value = session.authorize_header(&ClientRequest::new("GET", target)).unwrap();
    /// #     let mut headers = http::HeaderMap::new();
    /// #     headers.insert("authorization", value);
    /// #     headers
    /// # }
    /// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// let scheme = DigestScheme::builder("api", store).algorithms([Algorithm::Sha512_256]);
    /// let auth: Authenticator<DigestUser> = Authenticator::new().with(scheme.build().unwrap());
    /// // `answer` (hidden) is a `DigestClient` answering the first challenge.
    /// let headers = answer(&auth, "/");
    /// let done = auth.authenticate_now(&AuthRequest::new("GET", "/", &headers)).unwrap();
    /// assert_eq!(done.authenticated().identity().algorithm(), Algorithm::Sha512_256);
    /// ```
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
}

impl From<DigestUser> for String {
    fn from(user: DigestUser) -> Self {
        user.name
    }
}

impl From<DigestUser> for Principal {
    fn from(user: DigestUser) -> Self {
        Principal::new(user.name)
    }
}

/// The Digest scheme (RFC 7616) on the server.
///
/// It sends one challenge per algorithm, in the configured order (by
/// default `SHA-256` then `MD5`), each with `qop="auth, auth-int"`
/// (`auth-int` only when the adapter supplies the body), a signed stateless
/// nonce, `opaque`, `charset=UTF-8`, and `userhash=true` when the store can
/// look users up by userhash. Only the algorithms the store can verify are
/// offered.
///
/// `SHA-512-256` is not first by default: curl 7.88 answers a
/// `SHA-512-256` challenge with a plain SHA-256 hash, httpx fails on it, and
/// both answer only the first Digest challenge they see. Put it first only
/// for clients you know.
///
/// Verification checks, in order: the parameters, the realm, the algorithm
/// offered, `uri` against the request-target (the same path and query; an
/// origin-form `uri` also matches an absolute-form request a proxy gets,
/// and an absolute `uri` matches when its authority is the request's), the
/// nonce's signature, the
/// response (in constant time; an unknown user costs the same as a wrong
/// password), then the nonce's age (`stale=true` only after the response
/// was right) and replay of (nonce, nc).
///
/// A verified `qop=auth` request gets `Authentication-Info` with
/// `rspauth`, `qop`, `cnonce` and `nc`, and `nextnonce` near the nonce's
/// end. For `qop=auth-int` the `rspauth` would hash the response body,
/// which an authenticator never sees, and RFC 7616 section 3.5 has
/// `rspauth`, `cnonce` and `nc` present wherever `qop` is named: so such a
/// request gets no `qop` there, only a `nextnonce` when one is due (and
/// otherwise no `Authentication-Info` at all), as does an answer without
/// `qop`.
///
/// The user is named by `username` (looked up as sent), `username*` (RFC
/// 8187, decoded) or, with `userhash=true`, by `H(user ":" realm)`. RFC
/// 7616 section 4 has a client send a name that a quoted-string cannot
/// carry as `username*`, in UTF-8; Python's `requests` puts a non-ASCII
/// name in `username="..."` as ISO-8859-1 octets instead (its `http.client`
/// encodes header values that way) while hashing the UTF-8 name. So
/// `username` octets that are not UTF-8 are read as ISO-8859-1, and that
/// name is looked up and verified with its stored HA1 as usual; octets that
/// are UTF-8 are only ever read as UTF-8 (see [`Username::Latin1`]). A name
/// nobody has, however spelled, costs the same verification against a
/// decoy as a wrong password and gets the same 401.
///
/// # Examples
///
/// ```
/// use authscheme::{AuthRequest, Authenticator, Outcome};
/// use authscheme_digest::{DigestScheme, DigestUser, MemoryCredentialStore};
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
/// let digest = DigestScheme::builder("api", store).build().unwrap();
/// let auth: Authenticator<DigestUser> = Authenticator::new().with(digest);
///
/// let headers = http::HeaderMap::new();
/// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
///     panic!("no credentials, no access");
/// };
/// let lines: Vec<String> = denial.challenges().iter().map(|c| c.to_string()).collect();
/// assert!(lines[0].starts_with(r#"Digest realm="api", qop="auth", algorithm=SHA-256, nonce=""#));
/// assert!(lines[1].contains("algorithm=MD5"));
/// # });
/// ```
pub struct DigestScheme {
    realm: Arc<str>,
    algorithms: Vec<Algorithm>,
    store: Arc<dyn CredentialStore>,
    nonces: NonceIssuer,
    replay: Arc<dyn NonceStore>,
    opaque: String,
    userhash: bool,
    nextnonce_within: u64,
    /// HA1 values for unknown users, so that they cost a full verification.
    decoys: [HexDigest; 3],
    /// Answers without qop (RFC 2069 form) are verified, once per nonce.
    without_qop: bool,
}

impl fmt::Debug for DigestScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DigestScheme")
            .field("realm", &self.realm)
            .field("algorithms", &self.algorithms)
            .field("userhash", &self.userhash)
            .field("nonce_lifetime", &self.nonces.lifetime())
            .field("store", &self.store)
            .field("replay", &self.replay)
            .finish_non_exhaustive()
    }
}

/// Configures a [`DigestScheme`].
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use authscheme_digest::{Algorithm, DigestScheme, MemoryCredentialStore, NonceSecret};
/// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
/// let scheme = DigestScheme::builder("api", store)
///     .algorithms([Algorithm::Sha512_256, Algorithm::Sha256Sess, Algorithm::Sha256])
///     .nonce_secret(NonceSecret::from_bytes(b"shared by every server of the fleet").unwrap())
///     .nonce_lifetime(Duration::from_secs(600))
///     .build()
///     .unwrap();
/// assert_eq!(scheme.algorithms()[0], Algorithm::Sha512_256);
/// ```
#[derive(Debug)]
pub struct DigestSchemeBuilder {
    realm: String,
    store: Arc<dyn CredentialStore>,
    algorithms: Vec<Algorithm>,
    secret: Option<NonceSecret>,
    lifetime: Duration,
    replay: Option<Arc<dyn NonceStore>>,
    clock: Arc<dyn Clock>,
    userhash: bool,
    nextnonce_within: Option<Duration>,
    without_qop: bool,
}

impl DigestSchemeBuilder {
    /// The algorithms to offer, in order of preference (duplicates are
    /// dropped; those the store cannot verify are left out).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{compute, Algorithm, DigestScheme, Ha1, MemoryCredentialStore};
    /// let ha1 = Ha1::new(compute::ha1(Algorithm::Md5, "alice", "api", "wonderland"));
    /// let md5_only = MemoryCredentialStore::new("api").with_ha1("alice", Algorithm::Md5, ha1);
    /// let scheme = DigestScheme::builder("api", md5_only)
    ///     .algorithms([Algorithm::Sha256, Algorithm::Md5, Algorithm::Md5Sess, Algorithm::Md5])
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(scheme.algorithms(), [Algorithm::Md5, Algorithm::Md5Sess]);
    /// ```
    pub fn algorithms(mut self, algorithms: impl IntoIterator<Item = Algorithm>) -> Self {
        self.algorithms.clear();
        for a in algorithms {
            if !self.algorithms.contains(&a) {
                self.algorithms.push(a);
            }
        }
        self
    }

    /// Stops offering `MD5` and `MD5-sess`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{Algorithm, DigestScheme, MemoryCredentialStore};
    /// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// let scheme = DigestScheme::builder("api", store).without_md5().build().unwrap();
    /// assert_eq!(scheme.algorithms(), [Algorithm::Sha256]);
    /// ```
    pub fn without_md5(mut self) -> Self {
        self.algorithms.retain(|a| a.base() != Algorithm::Md5);
        self
    }

    /// The secret that signs nonces; share it across a fleet. Default: a
    /// random secret for this process.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator};
    /// use authscheme_digest::{DigestScheme, DigestUser, MemoryCredentialStore, NonceSecret};
    /// # fn answer(auth: &Authenticator<DigestUser>, target: &str) -> http::HeaderMap {
    /// #     use authscheme::{ClientCredentials, ClientRequest, ClientScheme};
    /// #     let none = http::HeaderMap::new();
    /// #     let challenge = auth.challenges(&AuthRequest::new("GET", target, &none)).remove(0);
    /// #     let creds = ClientCredentials::password("alice", "wonderland");
    /// #     let mut session = authscheme_digest::DigestClient::new().start(&challenge, &creds).unwrap();
    /// #     let value = session.authorize_header(&ClientRequest::new("GET", target)).unwrap();
    /// #     let mut headers = http::HeaderMap::new();
    /// #     headers.insert("authorization", value);
    /// #     headers
    /// # }
    /// let key = b"one secret for the whole fleet, 32+ bytes";
    /// let server = |key: &[u8]| -> Authenticator<DigestUser> {
    ///     let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    ///     let secret = NonceSecret::from_bytes(key).unwrap();
    ///     Authenticator::new().with(DigestScheme::builder("api", store).nonce_secret(secret).build().unwrap())
    /// };
    /// let (one, two) = (server(key), server(key));
    /// // A `DigestClient` answers the first challenge of `one` (in the hidden
    /// // `answer`); `two` takes the answer.
    /// let headers = answer(&one, "/");
    /// assert!(two.authenticate_now(&AuthRequest::new("GET", "/", &headers)).is_some());
    /// ```
    pub fn nonce_secret(mut self, secret: NonceSecret) -> Self {
        self.secret = Some(secret);
        self
    }

    /// How long a nonce is good for (default 300 s, at most
    /// [`NonceIssuer::MAX_LIFETIME`], one day: [`build`](Self::build)
    /// refuses a longer one).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme::{AuthRequest, Authenticator, Outcome};
    /// use authscheme_digest::{DigestScheme, DigestUser, ManualClock, MemoryCredentialStore};
    /// # fn answer(auth: &Authenticator<DigestUser>, target: &str) -> http::HeaderMap {
    /// #     use authscheme::{ClientCredentials, ClientRequest, ClientScheme};
    /// #     let none = http::HeaderMap::new();
    /// #     let challenge = auth.challenges(&AuthRequest::new("GET", target, &none)).remove(0);
    /// #     let creds = ClientCredentials::password("alice", "wonderland");
    /// #     let mut session = authscheme_digest::DigestClient::new().start(&challenge, &creds).unwrap();
    /// #     let value = session.authorize_header(&ClientRequest::new("GET", target)).unwrap();
    /// #     let mut headers = http::HeaderMap::new();
    /// #     headers.insert("authorization", value);
    /// #     headers
    /// # }
    /// let clock = ManualClock::new(1_000);
    /// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// let scheme = DigestScheme::builder("api", store)
    ///     .nonce_lifetime(Duration::from_secs(60))
    ///     .clock(clock.clone());
    /// let auth: Authenticator<DigestUser> = Authenticator::new().with(scheme.build().unwrap());
    /// // `answer` (hidden) is a `DigestClient` answering the first challenge.
    /// let headers = answer(&auth, "/");
    /// clock.advance(60);
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let outcome = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await;
    /// let Outcome::Denied(denial) = outcome else { panic!("the nonce has expired") };
    /// assert_eq!(denial.challenges()[0].param_str("stale"), Some("true"));
    /// # });
    /// ```
    pub fn nonce_lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// Send `nextnonce` in `Authentication-Info` when the nonce has less
    /// than this left (default 30 s, or half the lifetime if shorter).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme::{AuthRequest, Authenticator};
    /// use authscheme_digest::{DigestScheme, DigestUser, MemoryCredentialStore};
    /// # fn answer(auth: &Authenticator<DigestUser>, target: &str) -> http::HeaderMap {
    /// #     use authscheme::{ClientCredentials, ClientRequest, ClientScheme};
    /// #     let none = http::HeaderMap::new();
    /// #     let challenge = auth.challenges(&AuthRequest::new("GET", target, &none)).remove(0);
    /// #     let creds = ClientCredentials::password("alice", "wonderland");
    /// #     let mut session = authscheme_digest::DigestClient::new().start(&challenge, &creds).unwrap();
    /// #     let value = session.authorize_header(&ClientRequest::new("GET", target)).unwrap();
    /// #     let mut headers = http::HeaderMap::new();
    /// #     headers.insert("authorization", value);
    /// #     headers
    /// # }
    /// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// let scheme = DigestScheme::builder("api", store).nextnonce_within(Duration::from_secs(300));
    /// let auth: Authenticator<DigestUser> = Authenticator::new().with(scheme.build().unwrap());
    /// // `answer` (hidden) is a `DigestClient` answering the first challenge.
    /// let headers = answer(&auth, "/");
    /// let done = auth.authenticate_now(&AuthRequest::new("GET", "/", &headers)).unwrap();
    /// let info = done.authenticated().info().unwrap().to_str().unwrap();
    /// assert!(info.contains("nextnonce=\""), "{info}");
    /// ```
    pub fn nextnonce_within(mut self, within: Duration) -> Self {
        self.nextnonce_within = Some(within);
        self
    }

    /// Where (nonce, nc) pairs are recorded (default: a
    /// [`MemoryNonceStore`] for 100 000 live nonces).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use authscheme::{AuthRequest, Authenticator};
    /// use authscheme_digest::{DigestScheme, DigestUser, MemoryCredentialStore, MemoryNonceStore};
    /// # fn answer(auth: &Authenticator<DigestUser>, target: &str) -> http::HeaderMap {
    /// #     use authscheme::{ClientCredentials, ClientRequest, ClientScheme};
    /// #     let none = http::HeaderMap::new();
    /// #     let challenge = auth.challenges(&AuthRequest::new("GET", target, &none)).remove(0);
    /// #     let creds = ClientCredentials::password("alice", "wonderland");
    /// #     let mut session = authscheme_digest::DigestClient::new().start(&challenge, &creds).unwrap();
    /// #     let value = session.authorize_header(&ClientRequest::new("GET", target)).unwrap();
    /// #     let mut headers = http::HeaderMap::new();
    /// #     headers.insert("authorization", value);
    /// #     headers
    /// # }
    /// let replay = Arc::new(MemoryNonceStore::new(1_000));
    /// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// let scheme = DigestScheme::builder("api", store).nonce_store(replay.clone());
    /// let auth: Authenticator<DigestUser> = Authenticator::new().with(scheme.build().unwrap());
    /// // `answer` (hidden) is a `DigestClient` answering the first challenge.
    /// let headers = answer(&auth, "/");
    /// let request = AuthRequest::new("GET", "/", &headers);
    /// assert!(auth.authenticate_now(&request).is_some());
    /// assert_eq!(replay.len(), 1);
    /// assert!(auth.authenticate_now(&request).is_none(), "the same nc again is a replay");
    /// ```
    pub fn nonce_store(mut self, store: Arc<dyn NonceStore>) -> Self {
        self.replay = Some(store);
        self
    }

    /// The clock for nonce lifetimes (tests move a [`ManualClock`]).
    ///
    /// [`ManualClock`]: crate::ManualClock
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{DigestScheme, ManualClock, MemoryCredentialStore};
    /// let clock = ManualClock::new(1_000);
    /// let store = MemoryCredentialStore::new("api");
    /// let scheme = DigestScheme::builder("api", store).clock(clock.clone()).build().unwrap();
    /// clock.advance(5);
    /// assert_eq!(scheme.nonce_issuer().now(), 1_005);
    /// ```
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Whether to announce `userhash=true` when the store supports it
    /// (default yes).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator};
    /// use authscheme_digest::{DigestScheme, DigestUser, MemoryCredentialStore};
    /// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// let scheme = DigestScheme::builder("api", store).userhash(false).build().unwrap();
    /// let auth: Authenticator<DigestUser> = Authenticator::new().with(scheme);
    /// let headers = http::HeaderMap::new();
    /// let challenges = auth.challenges(&AuthRequest::new("GET", "/", &headers));
    /// assert!(challenges.iter().all(|c| c.param("userhash").is_none()));
    /// ```
    pub fn userhash(mut self, enabled: bool) -> Self {
        self.userhash = enabled;
        self
    }

    /// Whether to accept answers without `qop` (the RFC 2069 form that RFC
    /// 2617 kept for compatibility and RFC 7616 dropped): no `nc`, no
    /// `cnonce`, a response over the nonce and HA2 alone. Off by default;
    /// such an answer then gets 401 and the challenges again. GNU Wget 1.21
    /// answers this way whenever the challenge offers more than
    /// `qop="auth"`. When on, each nonce serves one such answer (a second
    /// is refused as a replay), `-sess` algorithms still need a `cnonce`,
    /// and `Authentication-Info` carries no `rspauth`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{DigestScheme, MemoryCredentialStore};
    /// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// let legacy = DigestScheme::builder("api", store).accept_without_qop(true).build();
    /// assert!(legacy.is_ok());
    /// ```
    pub fn accept_without_qop(mut self, enabled: bool) -> Self {
        self.without_qop = enabled;
        self
    }

    /// Builds the scheme.
    ///
    /// # Errors
    ///
    /// [`DigestError::Config`] when no configured algorithm is supported by
    /// the store, the realm cannot be sent in a header field, the store
    /// is bound to another realm ([`CredentialStore::single_realm`]), or
    /// the nonce lifetime is longer than [`NonceIssuer::MAX_LIFETIME`].
    ///
    /// A [`nonce_secret`](Self::nonce_secret) without a shared
    /// [`nonce_store`](Self::nonce_store) is logged as a warning: the
    /// secret lets every instance of a fleet accept the others' nonces, but
    /// each remembers only the counts it saw itself, so one captured
    /// request is accepted once by every instance.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_digest::{compute, Algorithm, DigestError, DigestScheme, Ha1, MemoryCredentialStore};
    /// let ha1 = Ha1::new(compute::ha1(Algorithm::Md5, "alice", "api", "wonderland"));
    /// let md5_only = MemoryCredentialStore::new("api").with_ha1("alice", Algorithm::Md5, ha1);
    /// assert!(DigestScheme::builder("api", md5_only.clone()).build().is_ok());
    /// let err = DigestScheme::builder("api", md5_only.clone()).without_md5().build().unwrap_err();
    /// assert!(matches!(err, DigestError::Config(_)));
    /// let forever = DigestScheme::builder("api", md5_only).nonce_lifetime(Duration::MAX).build();
    /// assert!(matches!(forever, Err(DigestError::Config(_))));
    /// ```
    pub fn build(self) -> Result<DigestScheme, DigestError> {
        if self.lifetime > NonceIssuer::MAX_LIFETIME {
            return Err(DigestError::Config(format!(
                "the nonce lifetime ({} s) is longer than the {} s (one day) a nonce may live",
                self.lifetime.as_secs(),
                NonceIssuer::MAX_LIFETIME.as_secs()
            )));
        }
        let store = self.store;
        let algorithms: Vec<_> = self
            .algorithms
            .into_iter()
            .filter(|a| store.supports(*a))
            .collect();
        if algorithms.is_empty() {
            return Err(DigestError::Config(
                "none of the configured algorithms can be verified with this store".into(),
            ));
        }
        if Param::new("realm", self.realm.as_bytes()).is_err() {
            return Err(DigestError::Config(
                "the realm holds a control character".into(),
            ));
        }
        if let Some(stored) = store.single_realm()
            && stored != self.realm
        {
            return Err(DigestError::Config(format!(
                "the store holds users for realm {stored:?}, the scheme offers {:?}: \
                 every HA1 covers its realm, so nobody could log in",
                self.realm
            )));
        }
        let shares_secret = self.secret.is_some();
        let nonces = NonceIssuer::new(
            self.secret.unwrap_or_else(NonceSecret::random),
            self.lifetime,
        )
        .with_shared_clock(self.clock);
        let lifetime = nonces.lifetime();
        let nextnonce_within = self
            .nextnonce_within
            .map_or_else(|| 30.min(lifetime / 2), |d| d.as_secs());
        let decoy = |alg: Algorithm| alg.hash(&rand::random::<[u8; 32]>());
        let replay = match self.replay {
            Some(shared) => shared,
            None => {
                if shares_secret {
                    tracing::warn!(
                        realm = %self.realm,
                        "Digest nonce secret set without a shared replay store: instances \
                         sharing the secret accept each other's nonces, but each remembers only \
                         the counts it saw itself (and forgets them when it restarts), so a \
                         captured request is accepted once by every instance; give the fleet \
                         one replay store (DigestSchemeBuilder::nonce_store, e.g. authscheme-redis)"
                    );
                }
                Arc::new(MemoryNonceStore::default())
            }
        };
        Ok(DigestScheme {
            without_qop: self.without_qop,
            replay,
            opaque: nonces.opaque(&self.realm),
            realm: self.realm.into(),
            userhash: self.userhash && store.supports_userhash(),
            algorithms,
            store,
            nonces,
            nextnonce_within,
            decoys: [
                decoy(Algorithm::Md5),
                decoy(Algorithm::Sha256),
                decoy(Algorithm::Sha512_256),
            ],
        })
    }
}

/// Why a request failed, before it becomes a [`Rejection`].
enum Failure {
    BadRequest(&'static str),
    Unauthorized(&'static str),
    Stale(&'static str, Algorithm, bool),
    Unavailable(String),
    /// On the synchronous path, a store would have to wait.
    WouldWait,
}

/// A store's immediate answer: `Some` when the store gave one, `None` when
/// the caller may wait for the asynchronous method instead, and
/// [`Failure::WouldWait`] on the synchronous path. A plain function rather
/// than an `async` one taking the later call: the answer then stays where
/// it is instead of being moved through one more future's state.
fn immediate<T>(now: Option<Result<T, DigestError>>, may_wait: bool) -> Result<Option<T>, Failure> {
    match now {
        Some(answer) => answer.map(Some).map_err(Failure::unavailable),
        None if may_wait => Ok(None),
        None => Err(Failure::WouldWait),
    }
}

impl Failure {
    fn unavailable(e: DigestError) -> Self {
        Failure::Unavailable(e.to_string())
    }
}

impl DigestScheme {
    /// Starts configuring a scheme for `realm` backed by `store`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{Algorithm, DigestScheme, MemoryCredentialStore};
    /// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// let scheme = DigestScheme::builder("api", store).build().unwrap();
    /// assert_eq!(scheme.realm(), "api");
    /// assert_eq!(scheme.algorithms(), [Algorithm::Sha256, Algorithm::Md5]);
    /// ```
    pub fn builder(realm: impl Into<String>, store: impl CredentialStore) -> DigestSchemeBuilder {
        Self::builder_shared(realm, Arc::new(store))
    }

    /// As [`DigestScheme::builder`], with a store shared with other code.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use authscheme_digest::{Algorithm, CredentialStore, DigestScheme, MemoryCredentialStore};
    /// let users = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// let store: Arc<dyn CredentialStore> = Arc::new(users);
    /// let strict = DigestScheme::builder_shared("api", Arc::clone(&store)).without_md5().build().unwrap();
    /// let legacy = DigestScheme::builder_shared("api", store).build().unwrap();
    /// assert_eq!(strict.algorithms(), [Algorithm::Sha256]);
    /// assert_eq!(legacy.algorithms(), [Algorithm::Sha256, Algorithm::Md5]);
    /// ```
    pub fn builder_shared(
        realm: impl Into<String>,
        store: Arc<dyn CredentialStore>,
    ) -> DigestSchemeBuilder {
        DigestSchemeBuilder {
            realm: realm.into(),
            store,
            algorithms: vec![Algorithm::Sha256, Algorithm::Md5],
            secret: None,
            lifetime: Duration::from_secs(300),
            replay: None,
            clock: Arc::new(SystemClock),
            userhash: true,
            without_qop: false,
            nextnonce_within: None,
        }
    }

    /// The realm.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{DigestScheme, MemoryCredentialStore};
    /// let scheme = DigestScheme::builder("api", MemoryCredentialStore::new("api")).build().unwrap();
    /// assert_eq!(scheme.realm(), "api");
    /// ```
    pub fn realm(&self) -> &str {
        &self.realm
    }

    /// The algorithms offered, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{Algorithm, DigestScheme, MemoryCredentialStore};
    /// let store = MemoryCredentialStore::new("api");
    /// let scheme = DigestScheme::builder("api", store)
    ///     .algorithms([Algorithm::Sha512_256, Algorithm::Sha256])
    ///     .build()
    ///     .unwrap();
    /// let names: Vec<&str> = scheme.algorithms().iter().map(|a| a.as_str()).collect();
    /// assert_eq!(names, ["SHA-512-256", "SHA-256"]);
    /// ```
    pub fn algorithms(&self) -> &[Algorithm] {
        &self.algorithms
    }

    /// The nonce issuer (to mint nonces in tests or tools).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, AuthScheme};
    /// use authscheme_digest::{Algorithm, DigestScheme, DigestUser, MemoryCredentialStore, NonceCheck};
    /// let scheme = DigestScheme::builder("api", MemoryCredentialStore::new("api")).build().unwrap();
    /// let headers = http::HeaderMap::new();
    /// let mut challenges = Vec::new();
    /// AuthScheme::<DigestUser>::challenges(&scheme, &AuthRequest::new("GET", "/", &headers), &mut challenges);
    /// let nonce = challenges[0].param_str("nonce").unwrap();
    /// let check = scheme.nonce_issuer().check(nonce, "api", Algorithm::Sha256);
    /// assert!(matches!(check, NonceCheck::Valid { .. }));
    /// ```
    pub fn nonce_issuer(&self) -> &NonceIssuer {
        &self.nonces
    }

    /// The challenge for one algorithm.
    fn challenge(
        &self,
        algorithm: Algorithm,
        with_body: bool,
        stale: bool,
    ) -> Option<Challenge<'static>> {
        let qop: &'static str = if with_body { "auth, auth-int" } else { "auth" };
        let mut b = Challenge::builder(SchemeName::DIGEST)
            .param("realm", self.realm.as_bytes().to_vec())
            .quoted_param("qop", qop.as_bytes())
            .param("algorithm", algorithm.as_str().as_bytes())
            .quoted_param(
                "nonce",
                self.nonces.issue(&self.realm, algorithm).into_bytes(),
            )
            .quoted_param("opaque", self.opaque.clone().into_bytes());
        if stale {
            b = b.param("stale", &b"true"[..]);
        }
        b = b.param("charset", &b"UTF-8"[..]);
        if self.userhash {
            b = b.param("userhash", &b"true"[..]);
        }
        b.build().ok()
    }

    fn stale_challenges(&self, first: Algorithm, with_body: bool) -> Vec<Challenge<'static>> {
        // The client's algorithm goes first: many clients answer only the
        // first Digest challenge, and this one keeps them on their choice.
        std::iter::once(first)
            .chain(self.algorithms.iter().copied().filter(|a| *a != first))
            .filter_map(|a| self.challenge(a, with_body, true))
            .collect()
    }

    fn decoy(&self, algorithm: Algorithm) -> Ha1 {
        Ha1::new(match algorithm.base() {
            Algorithm::Md5 => self.decoys[0],
            Algorithm::Sha256 => self.decoys[1],
            _ => self.decoys[2],
        })
    }

    /// Verifies the credentials; returns the user and the
    /// `Authentication-Info` parameters. Without `may_wait` (the synchronous
    /// path) it uses only what the stores answer at once, and gives up with
    /// [`Failure::WouldWait`], before anything is recorded, where a store
    /// would have to wait.
    async fn verify(
        &self,
        request: &AuthRequest<'_>,
        r: &DigestResponse<'_>,
        may_wait: bool,
    ) -> Result<Option<(DigestUser, HeaderValue)>, Failure> {
        if r.realm != &*self.realm {
            return Ok(None);
        }
        let alg = r.algorithm;
        if !self.algorithms.contains(&alg) {
            return Err(Failure::Unauthorized("algorithm not offered"));
        }
        // With qop come nc and cnonce (the parameters were checked for
        // that); without, the RFC 2069 form counts as the nonce's use 0.
        let (nc, qop_parts) = match (r.qop, r.nc, r.nc_text, r.cnonce) {
            (Some(qop), Some(nc), Some(nc_text), Some(cnonce)) => (
                nc,
                Some(QopParts {
                    qop,
                    nc: nc_text,
                    cnonce,
                }),
            ),
            (None, None, None, None) if !self.without_qop => {
                return Err(Failure::Unauthorized(
                    "answered without qop (the RFC 2069 form), which is not accepted",
                ));
            }
            (None, None, None, None) if alg.is_session() => {
                return Err(Failure::BadRequest("a -sess algorithm needs a cnonce"));
            }
            (None, None, None, None) => (0, None),
            _ => return Err(Failure::BadRequest("nc and cnonce come with qop")),
        };
        let qop = qop_parts.map(|q| q.qop);
        // The qop as the client spelled it, which is what it hashed.
        let spelled = r
            .qop_text
            .or(qop.map(compute::Qop::as_str))
            .unwrap_or_default();
        let cnonce = r.cnonce.unwrap_or_default();
        let body = match (qop, request.body()) {
            (Some(compute::Qop::AuthInt), None) => {
                return Err(Failure::Unauthorized(
                    "auth-int needs the body, which is not available",
                ));
            }
            (_, body) => body.unwrap_or_default(),
        };
        if !crate::uri::uri_matches(r.uri, request) {
            return Err(Failure::BadRequest("uri does not match the request-target"));
        }
        let now = self.nonces.now();
        // A nonce this server cannot use, expired or not its own (another
        // instance's, or issued before a restart under another secret), is
        // stale once the response proves the password (RFC 7616 section
        // 3.3): the client retries with a fresh nonce instead of asking the
        // user again. Nothing is granted on it either way.
        let expiry = match self.nonces.check_at(r.nonce, &self.realm, alg, now) {
            NonceCheck::Valid { expires_at, .. } => Ok(expires_at),
            NonceCheck::Expired { .. } => Err("nonce expired"),
            // Its opaque came with it: another secret, another opaque.
            NonceCheck::Invalid => Err("nonce not issued here for this realm and algorithm"),
        };
        // The opaque value is in every challenge: no secret to protect, so
        // a plain comparison.
        if expiry.is_ok() && r.opaque.is_some_and(|o| o != self.opaque) {
            return Err(Failure::Unauthorized("opaque does not match"));
        }
        let name: Option<String> = match r.username {
            // A name that is not UTF-8 is read as ISO-8859-1 (what Python
            // requests sends): looked up and verified like any other name.
            Username::Plain(_) | Username::Extended(_) | Username::Latin1(_) => {
                r.username.lookup_name().map(std::borrow::Cow::into_owned)
            }
            // Costs a whole verification against a decoy, like any
            // unknown user.
            Username::Unreadable => None,
            Username::Hashed(h) => {
                if !self.userhash {
                    return Err(Failure::BadRequest("userhash was not offered"));
                }
                let (realm, alg) = (&*self.realm, alg.base());
                match immediate(self.store.user_by_hash_now(h, realm, alg), may_wait)? {
                    Some(name) => name,
                    None => (self.store.user_by_hash(h, realm, alg).await)
                        .map_err(Failure::unavailable)?,
                }
            }
        };
        let stored = match &name {
            Some(n) => {
                let (realm, alg) = (&*self.realm, alg.base());
                match immediate(self.store.ha1_now(n, realm, alg), may_wait)? {
                    Some(ha1) => ha1,
                    None => (self.store.ha1(n, realm, alg).await).map_err(Failure::unavailable)?,
                }
            }
            None => None,
        };
        let known = stored.is_some() && name.is_some();
        let ha1 = stored.unwrap_or_else(|| self.decoy(alg));
        let ha1 = compute::session_ha1(alg, ha1.digest(), r.nonce, cnonce);
        let ha2 = compute::ha2(alg, qop, request.method(), r.uri, body);
        let answered = qop_parts.map(|parts| (parts, spelled));
        let expected = compute::response_spelled(alg, &ha1, r.nonce.as_bytes(), answered, &ha2);
        let mut given = [0u8; 64];
        let n = r.response.len().min(64);
        for (slot, b) in given.iter_mut().zip(r.response.bytes()) {
            *slot = b.to_ascii_lowercase();
        }
        let matches = r.response.len() == expected.as_bytes().len()
            && authscheme::ct_eq(&given[..n], expected.as_bytes());
        if !(matches && known) {
            return Err(Failure::Unauthorized("wrong user name or password"));
        }
        let expires_at = match expiry {
            Ok(expires_at) => expires_at,
            Err(why) => return Err(Failure::Stale(why, alg, request.body().is_some())),
        };
        let nonce_use = NonceUse {
            nonce: r.nonce,
            nc,
            now,
            expires_at,
        };
        let seen = match immediate(self.replay.check_and_record_now(nonce_use), may_wait)? {
            Some(seen) => seen,
            None => {
                (self.replay.check_and_record(nonce_use).await).map_err(Failure::unavailable)?
            }
        };
        match seen {
            Seen::Fresh => {}
            Seen::Replayed => return Err(Failure::Unauthorized("nonce count replayed")),
            _ => {
                return Err(Failure::Stale(
                    "nonce count outside the replay window",
                    alg,
                    request.body().is_some(),
                ));
            }
        }
        let next = (expires_at.saturating_sub(now) <= self.nextnonce_within)
            .then(|| self.nonces.issue(&self.realm, alg));
        // With auth-int rspauth would cover the response body, which this
        // layer never sees, and RFC 7616 section 3.5 wants rspauth, cnonce
        // and nc wherever a qop is named: so an auth-int answer names none,
        // and carries only a nextnonce, when one is due.
        let qop_parts = qop_parts.filter(|parts| parts.qop == compute::Qop::Auth);
        let rspauth = qop_parts.map(|parts| {
            compute::rspauth_spelled(alg, &ha1, r.nonce.as_bytes(), parts, spelled, r.uri)
        });
        let answered = qop_parts.map(|parts| (parts, spelled));
        let info = authentication_info(alg, rspauth.as_ref(), answered, next.as_deref())
            .ok_or(Failure::BadRequest("cnonce cannot be sent back"))?;
        let user = DigestUser::new(name.unwrap_or_default(), Arc::clone(&self.realm), alg);
        Ok(Some((user, info)))
    }
}

/// The `Authentication-Info` value of a verified request (RFC 7616 section
/// 3.5): `rspauth`, `qop`, `cnonce` and `nc`, and `nextnonce` when one is
/// handed out. Its form is fixed and every value in it but the client's
/// cnonce is this server's own or was checked by the parser (hex digests,
/// the qop token, `nc` as eight hex digits, a nonce of base64url octets),
/// so it is composed directly rather than through
/// [`syntax::AuthValueWriter`], whose checks per parameter were a tenth of
/// a verification; the cnonce goes through the core's quoted-string
/// writer. The octets are those `AuthValueWriter` writes (see the tests).
/// `None` only when the cnonce holds a control character, which a parsed
/// quoted-string cannot.
fn authentication_info(
    alg: Algorithm,
    rspauth: Option<&HexDigest>,
    qop: Option<(QopParts<'_>, &str)>,
    next: Option<&str>,
) -> Option<HeaderValue> {
    let mut out = Vec::with_capacity(info_len(alg, qop, next));
    if let Some((parts, spelled)) = qop {
        if let Some(rspauth) = rspauth {
            out.extend_from_slice(b"rspauth=\"");
            out.extend_from_slice(rspauth.as_bytes());
            out.extend_from_slice(b"\", ");
        }
        out.extend_from_slice(b"qop=");
        out.extend_from_slice(spelled.as_bytes());
        out.extend_from_slice(b", cnonce=");
        syntax::write_quoted_string(parts.cnonce.as_bytes(), &mut out).ok()?;
        out.extend_from_slice(b", nc=");
        out.extend_from_slice(parts.nc.as_bytes());
    }
    if let Some(next) = next {
        if !out.is_empty() {
            out.extend_from_slice(b", ");
        }
        out.extend_from_slice(b"nextnonce=\"");
        out.extend_from_slice(next.as_bytes());
        out.push(b'"');
    }
    HeaderValue::try_from(out).ok()
}

/// The length of the `Authentication-Info` value `verify` writes, exact
/// unless the cnonce needs escapes: a buffer filled to its capacity becomes
/// the header value without a second allocation.
fn info_len(alg: Algorithm, qop: Option<(QopParts<'_>, &str)>, next: Option<&str>) -> usize {
    let qop_len = qop.map_or(0, |(p, spelled)| {
        let rspauth = match p.qop {
            compute::Qop::Auth => r#"rspauth="", "#.len() + alg.hex_len(),
            compute::Qop::AuthInt => 0,
        };
        rspauth
            + "qop=".len()
            + spelled.len()
            + r#", cnonce="""#.len()
            + p.cnonce.len()
            + ", nc=".len()
            + p.nc.len()
    });
    let next_len = next.map_or(0, |n| r#"nextnonce="""#.len() + n.len());
    let separator = if qop_len > 0 && next_len > 0 { 2 } else { 0 };
    qop_len + separator + next_len
}

#[async_trait]
impl<I> AuthScheme<I> for DigestScheme
where
    I: From<DigestUser> + Send + Sync + 'static,
{
    fn name(&self) -> SchemeName<'static> {
        SchemeName::DIGEST
    }

    fn challenges(&self, request: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        let with_body = request.body().is_some();
        out.extend(
            self.algorithms
                .iter()
                .filter_map(|a| self.challenge(*a, with_body, false)),
        );
    }

    /// Verifies on the spot when the stores answer without waiting (the
    /// in-memory ones and htdigest files do): the same verification as
    /// [`authenticate`](AuthScheme::authenticate), using only the stores'
    /// immediate answers, so it completes in one poll. Anything but a
    /// success goes the asynchronous way, which checks again; no failure
    /// records state, so checking twice changes nothing.
    fn authenticate_now(
        &self,
        request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Option<Authenticated<I>> {
        if credentials.token68().is_some() {
            return None;
        }
        let response = DigestResponse::from_params(credentials.params()).ok()?;
        let verify = std::pin::pin!(self.verify(request, &response, false));
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match verify.poll(&mut cx) {
            std::task::Poll::Ready(Ok(Some((user, info)))) => {
                Some(Authenticated::new(I::from(user), SchemeName::DIGEST).with_info(info))
            }
            _ => None,
        }
    }

    async fn authenticate(
        &self,
        request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Verdict<I> {
        if credentials.token68().is_some() {
            return Verdict::Rejected(Rejection::bad_request("Digest credentials take parameters"));
        }
        let response = match DigestResponse::from_params(credentials.params()) {
            Ok(r) => r,
            Err(DigestError::Malformed(why)) => {
                return Verdict::Rejected(Rejection::bad_request(why));
            }
            Err(_) => return Verdict::Rejected(Rejection::bad_request("malformed credentials")),
        };
        match self.verify(request, &response, true).await {
            Ok(Some((user, info))) => Verdict::Authenticated(
                Authenticated::new(I::from(user), SchemeName::DIGEST).with_info(info),
            ),
            Ok(None) => Verdict::NotMine,
            Err(Failure::BadRequest(why)) => Verdict::Rejected(Rejection::bad_request(why)),
            Err(Failure::Unauthorized(why)) => Verdict::Rejected(Rejection::unauthorized(why)),
            Err(Failure::Stale(why, alg, with_body)) => Verdict::Rejected(
                Rejection::unauthorized(why).with_challenges(self.stale_challenges(alg, with_body)),
            ),
            // `WouldWait` comes only from the synchronous path; here it
            // could only mean a store that cannot answer.
            Err(Failure::WouldWait) => {
                tracing::error!("digest store gave no answer");
                Verdict::Rejected(Rejection::unavailable(
                    "credential or nonce store unavailable",
                ))
            }
            Err(Failure::Unavailable(why)) => {
                tracing::error!(reason = %why, "digest store unavailable");
                Verdict::Rejected(Rejection::unavailable(
                    "credential or nonce store unavailable",
                ))
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use authscheme::syntax::AuthValueWriter;

    /// The same parameters through the core's general writer.
    fn through_writer(
        rspauth: Option<&HexDigest>,
        qop: Option<(QopParts<'_>, &str)>,
        next: Option<&str>,
    ) -> HeaderValue {
        let mut w = AuthValueWriter::param_list(0);
        if let Some((parts, spelled)) = qop {
            if let Some(rspauth) = rspauth {
                w.quoted_param("rspauth", rspauth.as_bytes()).unwrap();
            }
            w.param("qop", spelled.as_bytes()).unwrap();
            w.quoted_param("cnonce", parts.cnonce.as_bytes()).unwrap();
            w.param("nc", parts.nc.as_bytes()).unwrap();
        }
        if let Some(next) = next {
            w.quoted_param("nextnonce", next.as_bytes()).unwrap();
        }
        w.into_header_value()
    }

    #[test]
    fn authentication_info_is_what_the_core_writer_writes() {
        let alg = Algorithm::Sha256;
        let rspauth = compute::ha1(alg, "Mufasa", "r", "Circle of Life");
        let next = "ZmFrZS1ub25jZS1mb3ItdGhlLXRlc3Q";
        for cnonce in [
            "f2/wE4q74E6z",
            r#"with "quotes" and \ backslash"#,
            "",
            "t\tab é",
        ] {
            for (qop, spelled) in [
                (compute::Qop::Auth, "auth"),
                (compute::Qop::Auth, "AUTH"),
                (compute::Qop::AuthInt, "auth-int"),
            ] {
                let parts = QopParts {
                    qop,
                    nc: "0000000a",
                    cnonce,
                };
                let answered = Some((parts, spelled));
                let rsp = (qop == compute::Qop::Auth).then_some(&rspauth);
                for next in [None, Some(next)] {
                    let composed = authentication_info(alg, rsp, answered, next).unwrap();
                    assert_eq!(composed, through_writer(rsp, answered, next));
                    assert_eq!(
                        composed.len(),
                        info_len(alg, answered, next) + cnonce.matches(['"', '\\']).count(),
                        "the buffer is allocated once, to its exact length"
                    );
                    let parsed = syntax::parse_params(composed.as_bytes()).unwrap();
                    assert_eq!(parsed.get_str("cnonce"), Some(cnonce));
                }
            }
        }
        let only_next = authentication_info(alg, None, None, Some(next)).unwrap();
        assert_eq!(only_next, through_writer(None, None, Some(next)));
    }

    #[test]
    fn a_cnonce_no_quoted_string_can_carry_gives_no_value() {
        let parts = QopParts {
            qop: compute::Qop::AuthInt,
            nc: "00000001",
            cnonce: "a\nb",
        };
        let answered = Some((parts, "auth-int"));
        assert!(authentication_info(Algorithm::Md5, None, answered, None).is_none());
    }
}
