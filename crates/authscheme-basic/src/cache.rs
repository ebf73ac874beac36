//! [`CredentialCache`]: recently verified credentials, so that a route
//! protected by bcrypt does not pay bcrypt's cost on every request.
//!
//! Like Apache's mod_authn_socache it remembers only successes, for a fixed
//! time. Entries are keyed by the [`SecretHasher`] fingerprint (keyed
//! SipHash, 128 bits) of the user-id and password, under a random key made
//! when the cache is created: the plaintext is never stored, the keys are
//! useless outside this process and never leave it, and without the key
//! nobody can aim at a stored entry. SipHash rather than HMAC-SHA-256
//! because a hit must cost little next to decoding the header (HMAC-SHA-256
//! alone cost more than the whole `headers` decode). Wrong passwords are
//! never cached, so they always pay the full hash cost.
//!
//! Expiry is read from the coarse monotonic clock (`coarsetime`, a few
//! milliseconds of resolution), which costs a few nanoseconds where the
//! precise one costs tens in a virtual machine; a TTL is minutes long.
//!
//! [`BasicScheme`](crate::BasicScheme) keys its entries by the token68 as
//! received (base64 of `user-id:password`, so the same secret), which lets
//! a hit skip decoding; only tokens that decoded and verified get in.

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use authscheme::{FingerprintMap, SecretHasher};
use coarsetime::Instant;

/// A [`SecretHasher`] fingerprint.
type Key = u128;

/// A bounded, time-limited map from keyed hashes of verified credentials to
/// identities.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use authscheme_basic::CredentialCache;
/// let cache = CredentialCache::new(Duration::from_secs(300), 1024);
/// cache.insert(0, "alice", "wonderland", "alice-id".to_string());
/// assert_eq!(cache.get(0, "alice", "wonderland").as_deref(), Some("alice-id"));
/// assert_eq!(cache.get(0, "alice", "Wonderland"), None);
/// // A new store generation (the password file changed) empties it.
/// assert_eq!(cache.get(1, "alice", "wonderland"), None);
/// ```
pub struct CredentialCache<I> {
    /// Keys entries by user-id and password.
    hasher: SecretHasher,
    /// Keys entries by token68, under a key of its own so the two kinds of
    /// entry can never be confused.
    token68_hasher: SecretHasher,
    ttl: Duration,
    capacity: usize,
    inner: Mutex<Inner<I>>,
}

struct Inner<I> {
    generation: u64,
    /// Counts insertions, so that entries inserted within one tick of the
    /// coarse clock still evict oldest first.
    inserted: u64,
    entries: FingerprintMap<Entry<I>>,
}

struct Entry<I> {
    identity: I,
    expires: Instant,
    order: u64,
}

impl<I: Clone> CredentialCache<I> {
    /// A cache keeping entries for `ttl`, at most `capacity` of them
    /// (at least one).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_basic::CredentialCache;
    /// let cache: CredentialCache<String> = CredentialCache::new(Duration::from_secs(300), 0);
    /// assert_eq!(cache.capacity(), 1);
    /// assert!(cache.is_empty());
    /// ```
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            hasher: SecretHasher::new(),
            token68_hasher: SecretHasher::new(),
            ttl,
            capacity,
            inner: Mutex::new(Inner {
                generation: 0,
                inserted: 0,
                entries: FingerprintMap::with_capacity_and_hasher(
                    capacity.min(4096),
                    Default::default(),
                ),
            }),
        }
    }

    /// The identity cached for these credentials, if they were verified
    /// within the TTL and the store's `generation` has not changed since.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use authscheme_basic::CredentialCache;
    /// let cache = CredentialCache::new(Duration::from_secs(300), 16);
    /// cache.insert(7, "alice", "wonderland", "alice-id");
    /// assert_eq!(cache.get(7, "alice", "wonderland"), Some("alice-id"));
    /// assert_eq!(cache.get(7, "alice", "looking-glass"), None);
    /// // The store reloaded: everything cached before is gone.
    /// assert_eq!(cache.get(8, "alice", "wonderland"), None);
    /// ```
    pub fn get(&self, generation: u64, user: &str, password: &str) -> Option<I> {
        self.get_by_key(generation, self.key(user, password))
    }

    /// As [`get`](Self::get), by the exact token68 the credentials arrived
    /// in: a hit then skips base64 decoding. Only tokens that decoded and
    /// verified are ever inserted, so a hit stands for verified credentials.
    pub(crate) fn get_token68(&self, generation: u64, token68: &str) -> Option<I> {
        self.get_by_key(generation, self.token68_key(token68))
    }

    fn get_by_key(&self, generation: u64, key: Key) -> Option<I> {
        let now = Instant::now();
        let mut inner = self.lock();
        inner.sync(generation);
        match inner.entries.get(&key) {
            Some(e) if e.expires > now => Some(e.identity.clone()),
            Some(_) => {
                inner.entries.remove(&key);
                None
            }
            None => None,
        }
    }

    /// Remembers verified credentials. `generation` is the store's
    /// generation read *before* verifying: if the store changed meanwhile,
    /// the entry is dropped rather than outliving the change.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use authscheme_basic::CredentialCache;
    /// let cache = CredentialCache::new(Duration::from_secs(300), 16);
    /// assert_eq!(cache.get(2, "alice", "wonderland"), None); // the store is at generation 2
    /// // Verified against generation 1, before a reload: not kept.
    /// cache.insert(1, "alice", "wonderland", "alice-id");
    /// assert!(cache.is_empty());
    /// cache.insert(2, "alice", "wonderland", "alice-id");
    /// assert_eq!(cache.get(2, "alice", "wonderland"), Some("alice-id"));
    /// ```
    pub fn insert(&self, generation: u64, user: &str, password: &str, identity: I) {
        self.insert_by_key(generation, self.key(user, password), identity);
    }

    /// As [`insert`](Self::insert), by token68 (see `get_token68`).
    pub(crate) fn insert_token68(&self, generation: u64, token68: &str, identity: I) {
        self.insert_by_key(generation, self.token68_key(token68), identity);
    }

    fn insert_by_key(&self, generation: u64, key: Key, identity: I) {
        let now = Instant::now();
        let mut inner = self.lock();
        if generation < inner.generation {
            return;
        }
        inner.sync(generation);
        if inner.entries.len() >= self.capacity && !inner.entries.contains_key(&key) {
            inner.evict(now);
        }
        inner.inserted += 1;
        let order = inner.inserted;
        inner.entries.insert(
            key,
            Entry {
                identity,
                expires: now + self.ttl.into(),
                order,
            },
        );
    }

    /// Forgets everything.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use authscheme_basic::CredentialCache;
    /// let cache = CredentialCache::new(Duration::from_secs(300), 16);
    /// cache.insert(0, "alice", "wonderland", "alice-id");
    /// cache.clear();
    /// assert_eq!(cache.get(0, "alice", "wonderland"), None);
    /// ```
    pub fn clear(&self) {
        self.lock().entries.clear();
    }

    /// How many entries are held (expired ones included until evicted).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use authscheme_basic::CredentialCache;
    /// let cache = CredentialCache::new(Duration::from_secs(300), 2);
    /// for user in ["alice", "bob", "carol"] {
    ///     cache.insert(0, user, "pw", user.to_owned());
    /// }
    /// // Bounded by the capacity: the oldest entry made room.
    /// assert_eq!(cache.len(), 2);
    /// assert_eq!(cache.get(0, "alice", "pw"), None);
    /// ```
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether nothing is held.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use authscheme_basic::CredentialCache;
    /// let cache = CredentialCache::new(Duration::from_secs(300), 16);
    /// assert!(cache.is_empty());
    /// cache.insert(0, "alice", "wonderland", 1);
    /// assert!(!cache.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The TTL.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use authscheme_basic::CredentialCache;
    /// let cache: CredentialCache<u32> = CredentialCache::new(Duration::from_secs(300), 16);
    /// assert_eq!(cache.ttl(), Duration::from_secs(300));
    /// ```
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// The most entries held.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use authscheme_basic::CredentialCache;
    /// let cache: CredentialCache<u32> = CredentialCache::new(Duration::from_secs(300), 10_000);
    /// assert_eq!(cache.capacity(), 10_000);
    /// ```
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    fn token68_key(&self, token68: &str) -> Key {
        self.token68_hasher.fingerprint(token68.as_bytes())
    }

    fn key(&self, user: &str, password: &str) -> Key {
        self.hasher
            .fingerprint_pair(user.as_bytes(), password.as_bytes())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<I>> {
        // A panic elsewhere while holding the lock leaves the map valid.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<I> Inner<I> {
    fn sync(&mut self, generation: u64) {
        if generation != self.generation {
            self.entries.clear();
            self.generation = generation;
        }
    }

    /// Makes room for one entry: drops expired entries, and if none had
    /// expired, the one closest to expiring (the oldest).
    fn evict(&mut self, now: Instant) {
        let before = self.entries.len();
        self.entries.retain(|_, e| e.expires > now);
        if self.entries.len() < before {
            return;
        }
        let oldest = self
            .entries
            .iter()
            .min_by_key(|(_, e)| (e.expires, e.order))
            .map(|(k, _)| *k);
        if let Some(k) = oldest {
            self.entries.remove(&k);
        }
    }
}

impl<I> fmt::Debug for CredentialCache<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialCache")
            .field("ttl", &self.ttl)
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_after_ttl() {
        let cache = CredentialCache::new(Duration::from_millis(30), 8);
        cache.insert(0, "a", "b", 1);
        assert_eq!(cache.get(0, "a", "b"), Some(1));
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(cache.get(0, "a", "b"), None);
    }

    #[test]
    fn stays_bounded() {
        let cache = CredentialCache::new(Duration::from_secs(60), 4);
        for i in 0..100 {
            cache.insert(0, &format!("user{i}"), "pw", i);
        }
        assert_eq!(cache.len(), 4);
        // The newest survive; the oldest were evicted.
        assert_eq!(cache.get(0, "user99", "pw"), Some(99));
        assert_eq!(cache.get(0, "user0", "pw"), None);
    }

    #[test]
    fn split_point_matters() {
        let cache = CredentialCache::new(Duration::from_secs(60), 4);
        cache.insert(0, "a:b", "c", 1);
        assert_eq!(cache.get(0, "a", "b:c"), None);
    }

    #[test]
    fn stale_insert_is_dropped() {
        let cache = CredentialCache::new(Duration::from_secs(60), 4);
        assert_eq!(cache.get(2, "x", "y"), None);
        cache.insert(1, "a", "b", 1);
        assert_eq!(cache.get(2, "a", "b"), None);
    }

    #[test]
    fn debug_shows_no_entries() {
        let cache = CredentialCache::new(Duration::from_secs(60), 4);
        cache.insert(0, "alice", "wonderland", "alice");
        let dbg = format!("{cache:?}");
        assert!(!dbg.contains("alice") && !dbg.contains("wonderland"));
    }
}
