//! A bounded cache of verified tokens, so a token seen again within its
//! lifetime skips signature verification and claim parsing.

use std::sync::Mutex;

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
        }
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
    pub(crate) fn insert(&self, key: Key, info: TokenInfo<Principal>, lifetime: u64, now: Instant) {
        if lifetime == 0 {
            return;
        }
        let expires = now + Duration::from_secs(lifetime.min(MAX_LIFETIME));
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
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
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
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
        cache.insert(k, info("a"), 50, at(start, 50));
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
        cache.insert(k, info("a"), 253_402_300_799, start);
        assert!(cache.get(&k, at(start, MAX_LIFETIME - 1)).is_some());
        assert!(cache.get(&k, at(start, MAX_LIFETIME)).is_none());
    }

    #[test]
    fn an_expired_token_is_not_kept() {
        let cache = VerifiedCache::new(8);
        let k = cache.key("t");
        cache.insert(k, info("a"), 0, Instant::now());
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn never_grows_past_capacity() {
        let cache = VerifiedCache::new(16);
        let now = Instant::now();
        for i in 0..1000 {
            cache.insert(cache.key(&i.to_string()), info("a"), 10_000, now);
            assert!(cache.len() <= 16);
        }
    }

    #[test]
    fn expired_entries_go_first() {
        let cache = VerifiedCache::new(2);
        let start = Instant::now();
        let old = cache.key("old");
        let live = cache.key("live");
        cache.insert(old, info("a"), 10, at(start, 10));
        cache.insert(live, info("b"), 990, at(start, 10));
        let new = cache.key("new");
        cache.insert(new, info("c"), 970, at(start, 30));
        assert!(cache.get(&live, at(start, 30)).is_some());
        assert!(cache.get(&new, at(start, 30)).is_some());
    }
}
