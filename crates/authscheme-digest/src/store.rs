//! Where HA1 values come from: the [`CredentialStore`] trait, an in-memory
//! store, and Apache htdigest files.

use std::collections::HashMap;

/// The maps' hasher. Their keys are the server's own users, so a client
/// choosing what to look up cannot crowd a bucket, and SipHash (the
/// standard one) cost more than any other part of a lookup.
type FastHash = foldhash::fast::RandomState;
use std::fmt;

use async_trait::async_trait;

use crate::algorithm::{Algorithm, HexDigest};
use crate::compute;
use crate::error::DigestError;

mod htdigest;

pub use htdigest::{HtdigestFile, HtdigestProblem, set_htdigest_password};

/// `H(username ":" realm ":" password)` for one user, one realm and one hash
/// function. It is as good as the password for this realm: `Debug` never
/// shows it.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{compute, Algorithm, Ha1};
/// let ha1 = Ha1::from_hex("939e7578ed9e3c518a452acee763bce9").unwrap();
/// let computed = compute::ha1(Algorithm::Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
/// assert_eq!(ha1, Ha1::new(computed));
/// assert_eq!(format!("{ha1:?}"), "Ha1(<redacted>)");
/// ```
#[derive(Clone, Copy, Eq)]
pub struct Ha1(HexDigest);

/// Compares in constant time ([`authscheme::ct_eq`]): an HA1 is as good as
/// the password.
impl PartialEq for Ha1 {
    fn eq(&self, other: &Self) -> bool {
        authscheme::ct_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

impl Ha1 {
    /// Wraps a computed HA1.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{compute, Algorithm, Ha1};
    /// let digest = compute::ha1(Algorithm::Sha256, "alice", "api", "wonderland");
    /// let ha1 = Ha1::new(digest);
    /// assert_eq!(ha1.digest(), &digest);
    /// ```
    pub fn new(digest: HexDigest) -> Self {
        Self(digest)
    }

    /// Reads an HA1 in hex (32 digits for MD5, 64 for the SHA algorithms).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Ha1;
    /// assert!(Ha1::from_hex("939E7578ED9E3C518A452ACEE763BCE9").is_some());
    /// assert!(Ha1::from_hex(&"0".repeat(64)).is_some());
    /// assert!(Ha1::from_hex("939e7578").is_none());
    /// ```
    pub fn from_hex(hex: &str) -> Option<Self> {
        HexDigest::parse(hex).map(Self)
    }

    /// The digest.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Ha1;
    /// let ha1 = Ha1::from_hex("939E7578ED9E3C518A452ACEE763BCE9").unwrap();
    /// assert_eq!(ha1.digest().as_str(), "939e7578ed9e3c518a452acee763bce9");
    /// ```
    pub fn digest(&self) -> &HexDigest {
        &self.0
    }
}

impl fmt::Debug for Ha1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ha1(<redacted>)")
    }
}

/// A source of HA1 values for the Digest server.
///
/// Stores say which algorithms they can verify ([`supports`]); the scheme
/// offers only those, so a store backed by an Apache htdigest file (MD5 HA1
/// only) makes the server offer MD5 alone.
///
/// [`supports`]: CredentialStore::supports
///
/// # Examples
///
/// ```
/// use authscheme_digest::{Algorithm, CredentialStore, MemoryCredentialStore};
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
/// assert!(store.supports(Algorithm::Sha512_256));
/// let ha1 = store.ha1("alice", "api", Algorithm::Md5).await.unwrap().unwrap();
/// assert_eq!(ha1.digest().as_str().len(), 32);
/// assert!(store.ha1("bob", "api", Algorithm::Md5).await.unwrap().is_none());
/// # });
/// ```
#[async_trait]
pub trait CredentialStore: Send + Sync + fmt::Debug + 'static {
    /// Whether the store can give HA1 for `algorithm` (its plain form; a
    /// store that supports `SHA-256` supports `SHA-256-sess`).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{compute, Algorithm, CredentialStore, Ha1, MemoryCredentialStore};
    /// let ha1 = Ha1::new(compute::ha1(Algorithm::Md5, "alice", "api", "wonderland"));
    /// let store = MemoryCredentialStore::new("api").with_ha1("alice", Algorithm::Md5, ha1);
    /// assert!(store.supports(Algorithm::Md5Sess));
    /// assert!(!store.supports(Algorithm::Sha256));
    /// ```
    fn supports(&self, algorithm: Algorithm) -> bool;

    /// The one realm the store holds users for, when it is bound to one
    /// (HA1 covers the realm, so such a store answers no other).
    /// [`DigestSchemeBuilder::build`](crate::DigestSchemeBuilder::build)
    /// refuses a scheme whose realm differs, which would refuse everyone.
    /// `None`, the default, for stores that hold several realms.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{CredentialStore, DigestScheme, MemoryCredentialStore};
    /// let store = MemoryCredentialStore::new("Example").with_user("alice", "wonderland");
    /// assert_eq!(store.single_realm(), Some("Example"));
    /// assert!(DigestScheme::builder("example", store).build().is_err(), "realms differ");
    /// ```
    fn single_realm(&self) -> Option<&str> {
        None
    }

    /// Whether users can be found by their userhash ([`user_by_hash`]).
    ///
    /// [`user_by_hash`]: CredentialStore::user_by_hash
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{Algorithm, CredentialStore, MemoryCredentialStore};
    /// #[derive(Debug)]
    /// struct NamesOnly;
    /// impl CredentialStore for NamesOnly {
    ///     fn supports(&self, _: Algorithm) -> bool { true }
    /// }
    /// assert!(!NamesOnly.supports_userhash());
    /// assert!(MemoryCredentialStore::new("api").supports_userhash());
    /// ```
    fn supports_userhash(&self) -> bool {
        false
    }

    /// The HA1 of `user` in `realm` for the plain form of `algorithm`, or
    /// `None` when there is no such user.
    ///
    /// A store that has to wait (for a network, say) implements this; one
    /// that can always answer at once implements
    /// [`ha1_now`](CredentialStore::ha1_now) instead, which this method
    /// then answers with.
    ///
    /// # Errors
    ///
    /// [`DigestError::Unavailable`] when the store cannot answer now, or
    /// when it implements neither method.
    ///
    /// # Examples
    ///
    /// A store that has to wait implements `ha1` itself:
    ///
    /// ```
    /// use authscheme::async_trait;
    /// use authscheme_digest::{compute, Algorithm, CredentialStore, DigestError, Ha1};
    /// #[derive(Debug)]
    /// struct Remote; // stands for a database client
    /// #[async_trait]
    /// impl CredentialStore for Remote {
    ///     fn supports(&self, algorithm: Algorithm) -> bool { algorithm.base() == Algorithm::Sha256 }
    ///     async fn ha1(&self, user: &str, realm: &str, alg: Algorithm) -> Result<Option<Ha1>, DigestError> {
    ///         // A query would go here.
    ///         Ok((user == "alice").then(|| Ha1::new(compute::ha1(alg, user, realm, "wonderland"))))
    ///     }
    /// }
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// assert!(Remote.ha1("alice", "api", Algorithm::Sha256).await.unwrap().is_some());
    /// assert!(Remote.ha1("bob", "api", Algorithm::Sha256).await.unwrap().is_none());
    /// assert!(Remote.ha1_now("alice", "api", Algorithm::Sha256).is_none(), "it would have to wait");
    /// # });
    /// ```
    async fn ha1(
        &self,
        user: &str,
        realm: &str,
        algorithm: Algorithm,
    ) -> Result<Option<Ha1>, DigestError> {
        self.ha1_now(user, realm, algorithm)
            .unwrap_or_else(|| Err(DigestError::unanswered("ha1")))
    }

    /// The HA1 [`ha1`](CredentialStore::ha1) gives, when the store can
    /// answer without waiting (a map in memory, a loaded file); `None` when
    /// it would have to wait. The scheme verifies on the synchronous path
    /// adapters try first
    /// ([`AuthScheme::authenticate_now`](authscheme::AuthScheme::authenticate_now))
    /// only with such answers, and without the boxed future of the
    /// asynchronous method. The default is `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{compute, Algorithm, CredentialStore, Ha1, MemoryCredentialStore};
    /// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// let ha1 = store.ha1_now("alice", "api", Algorithm::Sha256).unwrap().unwrap();
    /// assert_eq!(ha1, Some(Ha1::new(compute::ha1(Algorithm::Sha256, "alice", "api", "wonderland"))));
    /// assert_eq!(store.ha1_now("bob", "api", Algorithm::Sha256).unwrap().unwrap(), None);
    /// ```
    fn ha1_now(
        &self,
        user: &str,
        realm: &str,
        algorithm: Algorithm,
    ) -> Option<Result<Option<Ha1>, DigestError>> {
        let _ = (user, realm, algorithm);
        None
    }

    /// The user name whose `H(user ":" realm)` under `algorithm` is
    /// `userhash` (lowercase hex). As for [`ha1`](CredentialStore::ha1), a
    /// store that answers at once implements
    /// [`user_by_hash_now`](CredentialStore::user_by_hash_now) instead; one
    /// that implements neither finds nobody.
    ///
    /// # Errors
    ///
    /// [`DigestError::Unavailable`] when the store cannot answer now.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{compute, Algorithm, CredentialStore, MemoryCredentialStore};
    /// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// let hash = compute::userhash(Algorithm::Sha256, "alice", "api");
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let user = store.user_by_hash(hash.as_str(), "api", Algorithm::Sha256).await.unwrap();
    /// assert_eq!(user.as_deref(), Some("alice"));
    /// # });
    /// ```
    async fn user_by_hash(
        &self,
        userhash: &str,
        realm: &str,
        algorithm: Algorithm,
    ) -> Result<Option<String>, DigestError> {
        self.user_by_hash_now(userhash, realm, algorithm)
            .unwrap_or(Ok(None))
    }

    /// The user [`user_by_hash`](CredentialStore::user_by_hash) gives,
    /// when the store can answer without waiting, as for
    /// [`ha1_now`](CredentialStore::ha1_now). The default is `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{compute, Algorithm, CredentialStore, MemoryCredentialStore};
    /// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// let hash = compute::userhash(Algorithm::Md5, "alice", "api");
    /// let found = store.user_by_hash_now(hash.as_str(), "api", Algorithm::Md5).unwrap().unwrap();
    /// assert_eq!(found.as_deref(), Some("alice"));
    /// let other_realm = store.user_by_hash_now(hash.as_str(), "admin", Algorithm::Md5).unwrap().unwrap();
    /// assert_eq!(other_realm, None);
    /// ```
    fn user_by_hash_now(
        &self,
        userhash: &str,
        realm: &str,
        algorithm: Algorithm,
    ) -> Option<Result<Option<String>, DigestError>> {
        let _ = (userhash, realm, algorithm);
        None
    }
}

const HASHES: [Algorithm; 3] = [Algorithm::Md5, Algorithm::Sha256, Algorithm::Sha512_256];

fn slot(algorithm: Algorithm) -> usize {
    match algorithm.base() {
        Algorithm::Md5 => 0,
        Algorithm::Sha256 => 1,
        _ => 2,
    }
}

/// An in-memory store for one realm that keeps HA1 values, never passwords,
/// and an index by userhash for each hash function.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{compute, Algorithm, CredentialStore, MemoryCredentialStore};
/// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
/// let hash = compute::userhash(Algorithm::Sha512_256, "alice", "api");
/// let found = store.user_by_hash_now(hash.as_str(), "api", Algorithm::Sha512_256).unwrap().unwrap();
/// assert_eq!(found.as_deref(), Some("alice"));
/// assert_eq!(format!("{store:?}"), r#"MemoryCredentialStore { realm: "api", users: 1 }"#);
/// ```
#[derive(Clone, Default)]
pub struct MemoryCredentialStore {
    realm: String,
    users: HashMap<String, [Option<Ha1>; 3], FastHash>,
    /// Keyed by the userhash as a digest, so a lookup needs no lowercased
    /// copy of what the client sent.
    by_hash: HashMap<(usize, HexDigest), String, FastHash>,
}

impl MemoryCredentialStore {
    /// An empty store for `realm`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{Algorithm, CredentialStore, MemoryCredentialStore};
    /// let store = MemoryCredentialStore::new("api");
    /// assert_eq!(store.realm(), "api");
    /// assert_eq!(store.ha1_now("alice", "api", Algorithm::Md5).unwrap().unwrap(), None);
    /// ```
    pub fn new(realm: impl Into<String>) -> Self {
        Self {
            realm: realm.into(),
            ..Self::default()
        }
    }

    /// Adds (or replaces) a user, computing HA1 for every hash function.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{compute, Algorithm, CredentialStore, Ha1, MemoryCredentialStore};
    /// let store = MemoryCredentialStore::new("api")
    ///     .with_user("alice", "wonderland")
    ///     .with_user("alice", "looking-glass");
    /// let ha1 = |alg| store.ha1_now("alice", "api", alg).unwrap().unwrap();
    /// let expected = compute::ha1(Algorithm::Md5, "alice", "api", "looking-glass");
    /// assert_eq!(ha1(Algorithm::Md5), Some(Ha1::new(expected)));
    /// assert!(ha1(Algorithm::Sha512_256).is_some());
    /// ```
    pub fn with_user(mut self, user: impl Into<String>, password: &str) -> Self {
        let user = user.into();
        for alg in HASHES {
            let ha1 = Ha1::new(compute::ha1(alg, &user, &self.realm, password));
            self = self.with_ha1(user.clone(), alg, ha1);
        }
        self
    }

    /// Adds an HA1 computed elsewhere for `user` and the hash of `algorithm`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{Algorithm, CredentialStore, Ha1, MemoryCredentialStore};
    /// let ha1 = Ha1::from_hex("939e7578ed9e3c518a452acee763bce9").unwrap();
    /// let realm = "testrealm@host.com";
    /// let store = MemoryCredentialStore::new(realm).with_ha1("Mufasa", Algorithm::Md5, ha1);
    /// assert_eq!(store.ha1_now("Mufasa", realm, Algorithm::Md5Sess).unwrap().unwrap(), Some(ha1));
    /// assert!(!store.supports(Algorithm::Sha256));
    /// ```
    pub fn with_ha1(mut self, user: impl Into<String>, algorithm: Algorithm, ha1: Ha1) -> Self {
        let user = user.into();
        let hash = compute::userhash(algorithm, &user, &self.realm);
        self.by_hash.insert((slot(algorithm), hash), user.clone());
        self.users.entry(user).or_default()[slot(algorithm)] = Some(ha1);
        self
    }

    /// The realm.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{Algorithm, CredentialStore, MemoryCredentialStore};
    /// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// assert_eq!(store.realm(), "api");
    /// assert_eq!(store.ha1_now("alice", "admin", Algorithm::Md5).unwrap().unwrap(), None);
    /// ```
    pub fn realm(&self) -> &str {
        &self.realm
    }
}

impl fmt::Debug for MemoryCredentialStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryCredentialStore")
            .field("realm", &self.realm)
            .field("users", &self.users.len())
            .finish()
    }
}

impl CredentialStore for MemoryCredentialStore {
    fn supports(&self, algorithm: Algorithm) -> bool {
        // An empty store supports everything; otherwise any user having an
        // HA1 for the hash is enough.
        self.users.is_empty() || self.users.values().any(|h| h[slot(algorithm)].is_some())
    }

    fn single_realm(&self) -> Option<&str> {
        Some(&self.realm)
    }

    fn supports_userhash(&self) -> bool {
        true
    }

    fn ha1_now(
        &self,
        user: &str,
        realm: &str,
        algorithm: Algorithm,
    ) -> Option<Result<Option<Ha1>, DigestError>> {
        let found = (realm == self.realm)
            .then(|| self.users.get(user).and_then(|h| h[slot(algorithm)]))
            .flatten();
        Some(Ok(found))
    }

    fn user_by_hash_now(
        &self,
        userhash: &str,
        realm: &str,
        algorithm: Algorithm,
    ) -> Option<Result<Option<String>, DigestError>> {
        let found = (realm == self.realm)
            .then(|| HexDigest::parse(userhash))
            .flatten()
            .and_then(|hash| self.by_hash.get(&(slot(algorithm), hash)).cloned());
        Some(Ok(found))
    }
}
