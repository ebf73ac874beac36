//! A bounded cache of verified tokens, so a token seen again within its
//! lifetime skips signature verification and claim parsing.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use authscheme::registry::Principal;
use authscheme::{FingerprintMap, SecretHasher};
use coarsetime::{Duration, Instant};

use crate::validator::TokenInfo;

/// The longest a verified token stays cached, in seconds: a day. A token
/// valid for longer is verified again after that.
const MAX_LIFETIME: u64 = 24 * 60 * 60;

/// Entries are keyed by the token's keyed fingerprint ([`SecretHasher`]),
/// so the cache holds no token and a lookup costs one keyed hash: a third of
/// SHA-256's cost on a 250-octet JWT.
type Key = u128;

#[derive(Debug)]
struct Entry {
    info: TokenInfo<Principal>,
    /// When the token's `exp` is reached, on the coarse monotonic clock (a
    /// few nanoseconds to read where the wall clock costs tens in a virtual
    /// machine, and no wall-clock step can extend an entry's life).
    expires: Instant,
}

/// At most `capacity` verified tokens. When full, expired entries are
/// dropped first, then an arbitrary quarter: a flood of distinct valid
/// tokens costs memory bounded by `capacity`, nothing more.
#[derive(Debug)]
pub(crate) struct VerifiedCache {
    capacity: usize,
    hasher: SecretHasher,
    entries: Mutex<FingerprintMap<Entry>>,
    /// Bumped by each [`clear`](Self::clear): a token verified with keys
    /// read before a clear is not inserted after it.
    generation: AtomicU64,
}

impl VerifiedCache {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            hasher: SecretHasher::new(),
            entries: Mutex::new(FingerprintMap::with_capacity_and_hasher(
                capacity.min(4096),
                Default::default(),
            )),
            generation: AtomicU64::new(0),
        }
    }

    /// Read before the keys a token is verified with; passed to
    /// [`insert`](Self::insert).
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub(crate) fn key(&self, token: &str) -> Key {
        self.hasher.fingerprint(token.as_bytes())
    }

    pub(crate) fn get(&self, key: &Key, now: Instant) -> Option<TokenInfo<Principal>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|e| e.expires > now)
            .map(|e| e.info.clone())
    }

    /// Keeps a token verified at `now` whose `exp` is `lifetime` seconds
    /// away, for at most [`MAX_LIFETIME`] (a token "valid until 9999" would
    /// otherwise overflow the clock's arithmetic).
    /// A token verified with keys read at `generation` is dropped when the
    /// cache was cleared since (the keys were replaced meanwhile).
    pub(crate) fn insert(
        &self,
        key: Key,
        info: TokenInfo<Principal>,
        lifetime: u64,
        now: Instant,
        generation: u64,
    ) {
        if lifetime == 0 {
            return;
        }
        let expires = now + Duration::from_secs(lifetime.min(MAX_LIFETIME));
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.retain(|_, e| e.expires > now);
            if entries.len() >= self.capacity {
                let evict = (self.capacity / 4).max(1);
                let victims: Vec<Key> = entries.keys().take(evict).copied().collect();
                for victim in victims {
                    entries.remove(&victim);
                }
            }
        }
        entries.insert(key, Entry { info, expires });
    }

    pub(crate) fn clear(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.clear();
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(name: &str) -> TokenInfo<Principal> {
        TokenInfo::new(Principal::new(name))
    }

    fn at(start: Instant, seconds: u64) -> Instant {
        start + Duration::from_secs(seconds)
    }

    #[test]
    fn entries_die_at_exp() {
        let cache = VerifiedCache::new(8);
        let k = cache.key("t");
        let start = Instant::now();
        cache.insert(k, info("a"), 50, at(start, 50), cache.generation());
        assert!(cache.get(&k, at(start, 99)).is_some());
        assert!(cache.get(&k, at(start, 100)).is_none());
    }

    /// `exp` far in the future ("valid until 9999") must neither overflow
    /// the clock arithmetic nor keep the entry past a day.
    #[test]
    fn a_distant_exp_is_kept_a_day_at_most() {
        let cache = VerifiedCache::new(8);
        let k = cache.key("t");
        let start = Instant::now();
        cache.insert(k, info("a"), 253_402_300_799, start, cache.generation());
        assert!(cache.get(&k, at(start, MAX_LIFETIME - 1)).is_some());
        assert!(cache.get(&k, at(start, MAX_LIFETIME)).is_none());
    }

    #[test]
    fn an_expired_token_is_not_kept() {
        let cache = VerifiedCache::new(8);
        let k = cache.key("t");
        cache.insert(k, info("a"), 0, Instant::now(), cache.generation());
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn never_grows_past_capacity() {
        let cache = VerifiedCache::new(16);
        let now = Instant::now();
        for i in 0..1000 {
            cache.insert(
                cache.key(&i.to_string()),
                info("a"),
                10_000,
                now,
                cache.generation(),
            );
            assert!(cache.len() <= 16);
        }
    }

    /// A token verified with the keys of before a clear (a key refresh)
    /// is not kept by an insert that lands after the clear.
    #[test]
    fn an_insert_from_before_a_clear_is_dropped() {
        let cache = VerifiedCache::new(8);
        let k = cache.key("t");
        let seen = cache.generation();
        cache.clear();
        cache.insert(k, info("a"), 100, Instant::now(), seen);
        assert_eq!(cache.len(), 0);
        cache.insert(k, info("a"), 100, Instant::now(), cache.generation());
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn expired_entries_go_first() {
        let cache = VerifiedCache::new(2);
        let start = Instant::now();
        let old = cache.key("old");
        let live = cache.key("live");
        cache.insert(old, info("a"), 10, at(start, 10), cache.generation());
        cache.insert(live, info("b"), 990, at(start, 10), cache.generation());
        let new = cache.key("new");
        cache.insert(new, info("c"), 970, at(start, 30), cache.generation());
        assert!(cache.get(&live, at(start, 30)).is_some());
        assert!(cache.get(&new, at(start, 30)).is_some());
    }
}
