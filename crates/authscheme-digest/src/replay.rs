//! Replay protection: every (nonce, nc) pair is accepted at most once.
//!
//! Browsers send requests concurrently, so nonce counts arrive out of order.
//! Like IPsec anti-replay (RFC 4303 section 3.4.3), each nonce keeps the
//! highest count seen and a bitmap of the [`WINDOW`] counts ending at it: a
//! count inside the window is accepted once, a count below it is refused.
//!
//! The state sits behind [`NonceStore`], an async trait with one atomic
//! check-and-set, so a store shared by a fleet (Redis, with the check and the
//! update in one Lua script) can replace the in-memory default.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::hash::BuildHasher;

use foldhash::fast::RandomState;
use std::sync::Mutex;

use async_trait::async_trait;

use crate::error::DigestError;

/// How many counts, ending at the highest one seen, are accepted out of
/// order. As many as an HTTP/2 server lets a client send at once on one
/// connection by default (hyper: 200 streams), each with its own count of
/// one nonce, in whatever order they arrive.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{MemoryNonceStore, NonceStore, NonceUse, Seen, WINDOW};
/// let store = MemoryNonceStore::new(100);
/// let seen = |nc| {
///     let use_ = NonceUse { nonce: "n", nc, now: 0, expires_at: 300 };
///     store.check_and_record_now(use_).unwrap().unwrap()
/// };
/// assert_eq!(seen(1 + WINDOW), Seen::Fresh);
/// assert_eq!(seen(2), Seen::Fresh, "the lowest count in the window");
/// assert_eq!(seen(1), Seen::OutsideWindow);
/// ```
pub const WINDOW: u32 = 256;

/// One use of a nonce, as the server saw it after the response checked out.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{MemoryNonceStore, NonceStore, NonceUse, Seen};
/// let store = MemoryNonceStore::default();
/// let seen = |use_| store.check_and_record_now(use_).unwrap().unwrap();
/// let a = NonceUse { nonce: "a", nc: 1, now: 1_000, expires_at: 1_300 };
/// let b = NonceUse { nonce: "b", ..a };
/// assert_eq!(seen(a), Seen::Fresh);
/// assert_eq!(seen(b), Seen::Fresh, "each nonce has its own counts");
/// assert_eq!(seen(a), Seen::Replayed);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct NonceUse<'a> {
    /// The nonce as the client sent it (already verified as ours).
    pub nonce: &'a str,
    /// The nonce count (`nc`), from 1; 0 for an answer without `qop` (the
    /// RFC 2069 form has no count, so each nonce serves one such answer).
    pub nc: u32,
    /// Now, in seconds since the epoch (by the scheme's clock).
    pub now: u64,
    /// When the nonce expires; the store may forget it after that.
    pub expires_at: u64,
}

/// What the store knew about a (nonce, nc) pair.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{MemoryNonceStore, NonceStore, NonceUse, Seen};
/// let store = MemoryNonceStore::new(100);
/// let seen = |nc| {
///     let use_ = NonceUse { nonce: "n", nc, now: 0, expires_at: 300 };
///     store.check_and_record_now(use_).unwrap().unwrap()
/// };
/// assert_eq!(seen(300), Seen::Fresh);
/// assert_eq!(seen(299), Seen::Fresh, "out of order, within the window");
/// assert_eq!(seen(300), Seen::Replayed);
/// assert_eq!(seen(40), Seen::OutsideWindow);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Seen {
    /// First use of this count: recorded, let the request through.
    Fresh,
    /// This count was used before: a replay.
    Replayed,
    /// The count is older than the window; it may be a delayed request, so
    /// the client is told to take a fresh nonce (`stale=true`).
    OutsideWindow,
    /// The store had to forget this nonce to stay within its bounds; the
    /// client is told to take a fresh nonce (`stale=true`).
    Forgotten,
}

/// Shared replay state: an atomic check-and-set of (nonce, nc).
///
/// An implementation must decide and record in one atomic step: two
/// concurrent calls with the same pair must not both see [`Seen::Fresh`].
///
/// # Examples
///
/// ```
/// use authscheme_digest::{MemoryNonceStore, NonceStore, NonceUse, Seen};
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let store = MemoryNonceStore::new(10_000);
/// let use1 = NonceUse { nonce: "n", nc: 1, now: 0, expires_at: 300 };
/// assert_eq!(store.check_and_record(use1).await.unwrap(), Seen::Fresh);
/// assert_eq!(store.check_and_record(use1).await.unwrap(), Seen::Replayed);
/// # });
/// ```
#[async_trait]
pub trait NonceStore: Send + Sync + fmt::Debug + 'static {
    /// Checks `use_` against what was seen and records it when fresh.
    ///
    /// A store that has to wait (a shared one, over the network) implements
    /// this; one that can always answer at once implements
    /// [`check_and_record_now`](NonceStore::check_and_record_now) instead,
    /// which this method then answers with.
    ///
    /// # Errors
    ///
    /// [`DigestError::Unavailable`] when the store cannot answer (or
    /// implements neither method); the scheme then fails closed (503).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{DigestError, MemoryNonceStore, NonceStore, NonceUse, Seen};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let use_ = NonceUse { nonce: "n", nc: 3, now: 0, expires_at: 300 };
    /// let store = MemoryNonceStore::new(100);
    /// assert_eq!(store.check_and_record(use_).await.unwrap(), Seen::Fresh);
    /// assert_eq!(store.check_and_record(use_).await.unwrap(), Seen::Replayed);
    ///
    /// #[derive(Debug)]
    /// struct Unfinished;
    /// impl NonceStore for Unfinished {}
    /// let err = Unfinished.check_and_record(use_).await.unwrap_err();
    /// assert!(matches!(err, DigestError::Unavailable { .. }));
    /// # });
    /// ```
    async fn check_and_record(&self, use_: NonceUse<'_>) -> Result<Seen, DigestError> {
        self.check_and_record_now(use_)
            .unwrap_or_else(|| Err(DigestError::unanswered("check_and_record")))
    }

    /// What [`check_and_record`](NonceStore::check_and_record) answers,
    /// checked and recorded in the same atomic step, when the store can
    /// answer without waiting; `None`, with nothing recorded, when it would
    /// have to wait. The scheme verifies on the synchronous path adapters
    /// try first only with such answers, and without the boxed future of
    /// the asynchronous method. The default is `None`.
    ///
    /// # Examples
    ///
    /// A store that always answers at once implements this method alone
    /// (this one keeps every pair forever, which a real store must not):
    ///
    /// ```
    /// use std::collections::HashSet;
    /// use std::sync::Mutex;
    /// use authscheme_digest::{DigestError, NonceStore, NonceUse, Seen};
    /// #[derive(Debug, Default)]
    /// struct Every(Mutex<HashSet<(String, u32)>>);
    /// impl NonceStore for Every {
    ///     fn check_and_record_now(&self, u: NonceUse<'_>) -> Option<Result<Seen, DigestError>> {
    ///         let fresh = self.0.lock().unwrap().insert((u.nonce.to_owned(), u.nc));
    ///         Some(Ok(if fresh { Seen::Fresh } else { Seen::Replayed }))
    ///     }
    /// }
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let store = Every::default();
    /// let use_ = NonceUse { nonce: "n", nc: 1, now: 0, expires_at: 300 };
    /// assert_eq!(store.check_and_record(use_).await.unwrap(), Seen::Fresh);
    /// assert_eq!(store.check_and_record_now(use_).unwrap().unwrap(), Seen::Replayed);
    /// # });
    /// ```
    fn check_and_record_now(&self, use_: NonceUse<'_>) -> Option<Result<Seen, DigestError>> {
        let _ = use_;
        None
    }
}

/// The window of one nonce: 40 bytes.
#[derive(Debug, Clone, Copy)]
struct Window {
    /// A ring of [`WINDOW`] bits: bit `n % WINDOW` set when count `n`, one
    /// of the `WINDOW` counts ending at `top`, was seen (the layout of the
    /// Redis store's value, `window.lua`).
    ring: [u64; WINDOW_WORDS],
    top: u32,
    /// Seconds since the epoch; u32 lasts until 2106.
    expires_at: u32,
}

const WINDOW_WORDS: usize = (WINDOW / 64) as usize;

/// The word and the bit of count `n` in a window's ring.
fn slot(n: u32) -> (usize, u64) {
    let p = n % WINDOW;
    ((p / 64) as usize, 1 << (p % 64))
}

impl Window {
    fn first(nc: u32, expires_at: u64) -> Self {
        let mut window = Self {
            ring: [0; WINDOW_WORDS],
            top: nc,
            expires_at: u32::try_from(expires_at).unwrap_or(u32::MAX),
        };
        window.set(nc);
        window
    }

    fn set(&mut self, n: u32) {
        let (word, bit) = slot(n);
        self.ring[word] |= bit;
    }

    fn record(&mut self, nc: u32) -> Seen {
        if nc > self.top {
            if nc - self.top >= WINDOW {
                self.ring = [0; WINDOW_WORDS];
            } else {
                // The counts that fall out of the window give their bits
                // to the ones coming in.
                for n in self.top + 1..=nc {
                    let (word, bit) = slot(n);
                    self.ring[word] &= !bit;
                }
            }
            self.top = nc;
            self.set(nc);
            return Seen::Fresh;
        }
        if self.top - nc >= WINDOW {
            return Seen::OutsideWindow;
        }
        let (word, bit) = slot(nc);
        if self.ring[word] & bit != 0 {
            return Seen::Replayed;
        }
        self.ring[word] |= bit;
        Seen::Fresh
    }
}

#[derive(Debug)]
struct Inner {
    windows: HashMap<u128, Window, RandomState>,
    /// Keys in the order they were first seen, with their expiry, to drop
    /// expired ones and, when full, the oldest.
    order: VecDeque<(u32, u128)>,
    /// Nonces expiring at or before this were (possibly) forgotten early.
    forgotten_until: u32,
}

/// The default [`NonceStore`]: in memory, bounded, with expiry.
///
/// Keys are 128-bit keyed hashes of the nonce, so a live nonce costs a fixed
/// amount of memory (about 110 bytes with the map's overhead; see
/// [`MemoryNonceStore::BYTES_PER_NONCE`]) whatever its length. Only nonces
/// that came with a correct response are recorded, so asking for nonces
/// grows nothing. When `capacity` live nonces are held, the oldest is
/// forgotten, and a later use of any nonce that old is answered with
/// [`Seen::Forgotten`] (the client takes a fresh nonce) rather than risking a
/// replay.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{MemoryNonceStore, NonceStore, NonceUse, Seen};
/// let store = MemoryNonceStore::new(2);
/// let seen = |nonce, expires_at| {
///     let use_ = NonceUse { nonce, nc: 1, now: 0, expires_at };
///     store.check_and_record_now(use_).unwrap().unwrap()
/// };
/// assert_eq!(seen("a", 300), Seen::Fresh);
/// assert_eq!(seen("b", 301), Seen::Fresh);
/// assert_eq!(seen("c", 302), Seen::Fresh);
/// assert_eq!(store.len(), 2);
/// // "a" was forgotten to make room for "c": it is not fresh again.
/// assert_eq!(seen("a", 300), Seen::Forgotten);
/// ```
pub struct MemoryNonceStore {
    inner: Mutex<Inner>,
    capacity: usize,
    hash_a: RandomState,
    hash_b: RandomState,
}

impl MemoryNonceStore {
    /// Upper bound of the memory held per live nonce: the map entry (key
    /// and window, 64 bytes, plus control byte and spare capacity) and the
    /// expiry queue entry (32 bytes).
    ///
    /// # Examples
    ///
    /// Sizing a store to a memory budget:
    ///
    /// ```
    /// use authscheme_digest::MemoryNonceStore;
    /// let budget = 64 * 1024 * 1024;
    /// let capacity = budget / MemoryNonceStore::BYTES_PER_NONCE;
    /// assert_eq!(capacity, 524_288);
    /// let store = MemoryNonceStore::new(capacity);
    /// # assert!(store.is_empty());
    /// ```
    pub const BYTES_PER_NONCE: usize = 128;

    /// A store holding at most `capacity` live nonces.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{MemoryNonceStore, NonceStore, NonceUse};
    /// let store = MemoryNonceStore::new(1);
    /// for nonce in ["a", "b", "c"] {
    ///     store.check_and_record_now(NonceUse { nonce, nc: 1, now: 0, expires_at: 300 });
    /// }
    /// assert_eq!(store.len(), 1);
    /// ```
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            inner: Mutex::new(Inner {
                windows: HashMap::with_capacity_and_hasher(
                    capacity.min(4096),
                    RandomState::default(),
                ),
                order: VecDeque::with_capacity(capacity.min(4096)),
                forgotten_until: 0,
            }),
            capacity,
            hash_a: RandomState::default(),
            hash_b: RandomState::default(),
        }
    }

    /// How many nonces are held now.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{MemoryNonceStore, NonceStore, NonceUse};
    /// let store = MemoryNonceStore::new(100);
    /// for (nonce, nc) in [("a", 1), ("a", 2), ("b", 1)] {
    ///     store.check_and_record_now(NonceUse { nonce, nc, now: 0, expires_at: 300 });
    /// }
    /// assert_eq!(store.len(), 2, "nonces, not counts");
    /// ```
    pub fn len(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.windows.len())
    }

    /// Whether no nonce is held.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{MemoryNonceStore, NonceStore, NonceUse};
    /// let store = MemoryNonceStore::default();
    /// assert!(store.is_empty());
    /// store.check_and_record_now(NonceUse { nonce: "n", nc: 1, now: 0, expires_at: 300 });
    /// assert!(!store.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Two independently seeded hashes of the nonce. A fast hash rather
    /// than SipHash: only nonces this server issued (their MAC checked)
    /// reach the store, so nobody can choose keys that collide.
    fn key(&self, nonce: &str) -> u128 {
        let a = self.hash_a.hash_one(nonce);
        let b = self.hash_b.hash_one(nonce);
        (u128::from(a) << 64) | u128::from(b)
    }

    fn record(&self, key: u128, use_: NonceUse<'_>) -> Seen {
        let Ok(mut inner) = self.inner.lock() else {
            // A poisoned lock means a panic mid-update: refuse rather than
            // trust half-written state.
            return Seen::Forgotten;
        };
        let inner = &mut *inner;
        let now = u32::try_from(use_.now).unwrap_or(u32::MAX);
        if let Some(window) = inner.windows.get_mut(&key) {
            return window.record(use_.nc);
        }
        let window = Window::first(use_.nc, use_.expires_at);
        if window.expires_at <= inner.forgotten_until {
            return Seen::Forgotten;
        }
        // Drop what has expired (the queue is close to expiry order, since
        // every nonce lives equally long), then the oldest while full.
        while let Some(&(expires_at, old)) = inner.order.front() {
            let expired = expires_at <= now;
            if !expired && inner.windows.len() < self.capacity {
                break;
            }
            inner.order.pop_front();
            inner.windows.remove(&old);
            if !expired {
                inner.forgotten_until = inner.forgotten_until.max(expires_at);
            }
        }
        inner.windows.insert(key, window);
        inner.order.push_back((window.expires_at, key));
        Seen::Fresh
    }
}

impl fmt::Debug for MemoryNonceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryNonceStore")
            .field("capacity", &self.capacity)
            .field("live", &self.len())
            .finish()
    }
}

impl Default for MemoryNonceStore {
    /// Room for 100 000 live nonces (about 12 MB at most).
    fn default() -> Self {
        Self::new(100_000)
    }
}

impl NonceStore for MemoryNonceStore {
    fn check_and_record_now(&self, use_: NonceUse<'_>) -> Option<Result<Seen, DigestError>> {
        let key = self.key(use_.nonce);
        Some(Ok(self.record(key, use_)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(nonce: &str, nc: u32, now: u64) -> NonceUse<'_> {
        NonceUse {
            nonce,
            nc,
            now,
            expires_at: 300,
        }
    }

    fn run(store: &MemoryNonceStore, use_: NonceUse<'_>) -> Seen {
        store.record(store.key(use_.nonce), use_)
    }

    #[test]
    fn window_accepts_out_of_order_once() {
        let s = MemoryNonceStore::new(10);
        assert_eq!(run(&s, at("n", 5, 0)), Seen::Fresh);
        assert_eq!(run(&s, at("n", 3, 0)), Seen::Fresh);
        assert_eq!(run(&s, at("n", 4, 0)), Seen::Fresh);
        assert_eq!(run(&s, at("n", 3, 0)), Seen::Replayed);
        assert_eq!(run(&s, at("n", 5, 0)), Seen::Replayed);
        assert_eq!(run(&s, at("n", 400, 0)), Seen::Fresh);
        // 400 - 256 = 144 is the first count below the window.
        assert_eq!(run(&s, at("n", 144, 0)), Seen::OutsideWindow);
        assert_eq!(run(&s, at("n", 145, 0)), Seen::Fresh);
        assert_eq!(run(&s, at("n", 145, 0)), Seen::Replayed);
        assert_eq!(run(&s, at("n", 5, 0)), Seen::OutsideWindow);
        // Another nonce has its own counts.
        assert_eq!(run(&s, at("m", 5, 0)), Seen::Fresh);
    }

    /// 200 requests at once on one nonce (hyper's default stream limit on
    /// one HTTP/2 connection), arriving newest first: every one is fresh,
    /// once.
    #[test]
    fn two_hundred_concurrent_counts_in_any_order_are_fresh_once() {
        let s = MemoryNonceStore::new(10);
        for nc in (1..=200).rev() {
            assert_eq!(run(&s, at("n", nc, 0)), Seen::Fresh, "{nc}");
        }
        for nc in 1..=200 {
            assert_eq!(run(&s, at("n", nc, 0)), Seen::Replayed, "{nc}");
        }
    }

    #[test]
    fn big_jumps_clear_the_window() {
        let s = MemoryNonceStore::new(10);
        assert_eq!(run(&s, at("n", 1, 0)), Seen::Fresh);
        assert_eq!(run(&s, at("n", u32::MAX, 0)), Seen::Fresh);
        assert_eq!(run(&s, at("n", u32::MAX - 1, 0)), Seen::Fresh);
        assert_eq!(run(&s, at("n", u32::MAX, 0)), Seen::Replayed);
    }

    #[test]
    fn bounded_and_forgotten_nonces_are_not_replayable() {
        let s = MemoryNonceStore::new(3);
        for (i, n) in ["a", "b", "c", "d"].into_iter().enumerate() {
            let u = NonceUse {
                nonce: n,
                nc: 1,
                now: 0,
                expires_at: 300 + i as u64,
            };
            assert_eq!(run(&s, u), Seen::Fresh);
        }
        assert_eq!(s.len(), 3);
        // "a" was dropped to make room: it must not look fresh again.
        let again = NonceUse {
            nonce: "a",
            nc: 1,
            now: 0,
            expires_at: 300,
        };
        assert_eq!(run(&s, again), Seen::Forgotten);
    }

    #[test]
    fn expired_nonces_are_dropped() {
        let s = MemoryNonceStore::new(100);
        assert_eq!(run(&s, at("a", 1, 0)), Seen::Fresh);
        assert_eq!(run(&s, at("b", 1, 0)), Seen::Fresh);
        let later = NonceUse {
            nonce: "c",
            nc: 1,
            now: 301,
            expires_at: 601,
        };
        assert_eq!(run(&s, later), Seen::Fresh);
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn state_per_nonce_stays_small() {
        assert_eq!(std::mem::size_of::<Window>(), 40);
        let entry = std::mem::size_of::<(u128, Window)>() + 1;
        let queue = std::mem::size_of::<(u32, u128)>();
        // hashbrown keeps at least 1/8 spare; count it.
        assert!(entry * 8 / 7 + queue <= MemoryNonceStore::BYTES_PER_NONCE);
    }
}
