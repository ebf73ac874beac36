//! Stateless, tamper-proof nonces and the clock they are dated with.
//!
//! A nonce is `base64url(issued_at || random || tag)`: eight bytes of Unix
//! time, twelve random bytes, and the first sixteen bytes of
//! HMAC-SHA256(secret, issued_at || random || realm || algorithm). Any
//! server holding the secret can check it without shared state; binding the
//! realm and algorithm means a nonce from another realm, or one answered with
//! a different algorithm than it was issued for (`MD5-sess` to an `MD5`
//! challenge), fails.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::algorithm::Algorithm;

const TIME_LEN: usize = 8;
const RANDOM_LEN: usize = 12;
const TAG_LEN: usize = 16;
const RAW_LEN: usize = TIME_LEN + RANDOM_LEN + TAG_LEN;
/// Nonces dated this far in the future (seconds) are still accepted:
/// servers of one fleet disagree a little about the time.
const MAX_CLOCK_SKEW: u64 = 60;
/// The longest nonce lifetime (seconds): one day.
const MAX_LIFETIME: u64 = 86_400;

/// Where the time comes from: the system clock, or a clock a test moves.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use authscheme_digest::{Clock, NonceIssuer, NonceSecret};
/// #[derive(Debug)]
/// struct Frozen(u64);
/// impl Clock for Frozen {
///     fn now(&self) -> u64 { self.0 }
/// }
/// let issuer = NonceIssuer::new(NonceSecret::random(), Duration::from_secs(300))
///     .with_clock(Frozen(1_000));
/// assert_eq!(issuer.now(), 1_000);
/// ```
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// Seconds since the Unix epoch.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{Clock, ManualClock, SystemClock};
    /// assert_eq!(ManualClock::new(42).now(), 42);
    /// assert!(SystemClock.now() > 1_600_000_000, "after September 2020");
    /// ```
    fn now(&self) -> u64;
}

/// The system clock.
///
/// # Examples
///
/// ```
/// use std::time::{SystemTime, UNIX_EPOCH};
/// use authscheme_digest::{Clock, SystemClock};
/// let wall = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
/// assert!(SystemClock.now().abs_diff(wall) <= 1);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

/// A clock that stands still until told to move, for tests of expiry.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{Clock, ManualClock};
/// let clock = ManualClock::new(1_000);
/// clock.advance(301);
/// assert_eq!(clock.now(), 1_301);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ManualClock(Arc<AtomicU64>);

impl ManualClock {
    /// A clock showing `now` (seconds since the epoch).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{Clock, ManualClock};
    /// let clock = ManualClock::new(1_700_000_000);
    /// assert_eq!(clock.now(), 1_700_000_000);
    /// ```
    pub fn new(now: u64) -> Self {
        Self(Arc::new(AtomicU64::new(now)))
    }

    /// Moves the clock forward (clones share the time).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{Clock, ManualClock};
    /// let clock = ManualClock::new(0);
    /// let shared = clock.clone();
    /// clock.advance(60);
    /// assert_eq!(shared.now(), 60);
    /// ```
    pub fn advance(&self, seconds: u64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The secret that signs nonces and opaque values. Give every server of a
/// fleet the same one so that any of them accepts the others' nonces.
///
/// # Examples
///
/// ```
/// use authscheme_digest::NonceSecret;
/// let shared = NonceSecret::from_bytes(b"at least thirty-two bytes of secret!!").unwrap();
/// assert!(NonceSecret::from_bytes(b"short").is_none());
/// assert_eq!(format!("{shared:?}"), "NonceSecret(<redacted>)");
/// ```
#[derive(Clone)]
pub struct NonceSecret {
    /// HMAC keyed once: each use clones the keyed state instead of hashing
    /// the key again (two compressions saved per nonce).
    keyed: Hmac<Sha256>,
}

impl NonceSecret {
    /// A fresh random secret (valid for this process only).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_digest::{Algorithm, NonceCheck, NonceIssuer, NonceSecret};
    /// let life = Duration::from_secs(300);
    /// let ours = NonceIssuer::new(NonceSecret::random(), life);
    /// let theirs = NonceIssuer::new(NonceSecret::random(), life);
    /// let nonce = ours.issue("api", Algorithm::Md5);
    /// assert_eq!(theirs.check(&nonce, "api", Algorithm::Md5), NonceCheck::Invalid);
    /// ```
    pub fn random() -> Self {
        Self::from_key(&rand::random::<[u8; 32]>())
    }

    fn from_key(key: &[u8; 32]) -> Self {
        // HMAC accepts keys of any length, so this cannot fail.
        let keyed = <Hmac<Sha256> as Mac>::new_from_slice(key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        Self { keyed }
    }

    /// A secret from configuration: at least 32 bytes, hashed down to 32.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_digest::{Algorithm, NonceCheck, NonceIssuer, NonceSecret};
    /// let key = b"the same key on every server of the fleet";
    /// let life = Duration::from_secs(300);
    /// let one = NonceIssuer::new(NonceSecret::from_bytes(key).unwrap(), life);
    /// let two = NonceIssuer::new(NonceSecret::from_bytes(key).unwrap(), life);
    /// let nonce = one.issue("api", Algorithm::Sha256);
    /// assert!(matches!(two.check(&nonce, "api", Algorithm::Sha256), NonceCheck::Valid { .. }));
    /// assert!(NonceSecret::from_bytes(&[7; 31]).is_none());
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        use sha2::Digest as _;
        (bytes.len() >= 32).then(|| Self::from_key(&Sha256::digest(bytes).into()))
    }

    fn mac(&self) -> Hmac<Sha256> {
        self.keyed.clone()
    }
}

impl fmt::Debug for NonceSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NonceSecret(<redacted>)")
    }
}

/// What a nonce check found.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use authscheme_digest::{Algorithm, ManualClock, NonceCheck, NonceIssuer, NonceSecret};
/// let clock = ManualClock::new(1_000);
/// let issuer = NonceIssuer::new(NonceSecret::random(), Duration::from_secs(300))
///     .with_clock(clock.clone());
/// let nonce = issuer.issue("api", Algorithm::Md5);
/// let valid = NonceCheck::Valid { issued_at: 1_000, expires_at: 1_300 };
/// assert_eq!(issuer.check(&nonce, "api", Algorithm::Md5), valid);
/// clock.advance(300);
/// let expired = NonceCheck::Expired { expires_at: 1_300 };
/// assert_eq!(issuer.check(&nonce, "api", Algorithm::Md5), expired);
/// assert_eq!(issuer.check("made up", "api", Algorithm::Md5), NonceCheck::Invalid);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NonceCheck {
    /// Issued by us for this realm and algorithm, still within its lifetime.
    Valid {
        /// When it was issued (seconds since the epoch).
        issued_at: u64,
        /// When it expires.
        expires_at: u64,
    },
    /// Issued by us for this realm and algorithm, but too old.
    Expired {
        /// When it expired.
        expires_at: u64,
    },
    /// Not ours: malformed, forged, from another realm or for another
    /// algorithm.
    Invalid,
}

/// Issues and checks nonces and the opaque value for one realm.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use authscheme_digest::{Algorithm, ManualClock, NonceCheck, NonceIssuer, NonceSecret};
/// let clock = ManualClock::new(1_000);
/// let issuer = NonceIssuer::new(NonceSecret::random(), Duration::from_secs(300))
///     .with_clock(clock.clone());
/// let nonce = issuer.issue("api", Algorithm::Sha256);
/// assert!(matches!(issuer.check(&nonce, "api", Algorithm::Sha256), NonceCheck::Valid { .. }));
/// assert_eq!(issuer.check(&nonce, "api", Algorithm::Md5), NonceCheck::Invalid);
/// assert_eq!(issuer.check(&nonce, "other", Algorithm::Sha256), NonceCheck::Invalid);
/// clock.advance(301);
/// assert!(matches!(issuer.check(&nonce, "api", Algorithm::Sha256), NonceCheck::Expired { .. }));
/// ```
#[derive(Debug, Clone)]
pub struct NonceIssuer {
    secret: NonceSecret,
    lifetime: u64,
    clock: Arc<dyn Clock>,
}

impl NonceIssuer {
    /// The longest lifetime a nonce may have: one day.
    ///
    /// A nonce is a challenge, not a session: RFC 7616 leaves its lifetime
    /// to the server, Apache's default is 300 s, and every nonce in use
    /// holds replay state for as long as it lives (a bounded
    /// [`MemoryNonceStore`](crate::MemoryNonceStore) forgets nonces sooner
    /// the longer they live, a Redis store holds a key each). A day is far
    /// above any sensible setting and far below what the stores' time
    /// arithmetic (Redis expiry in milliseconds, Unix time in 32 bits)
    /// can hold, so a mistyped lifetime is refused at start rather than
    /// failing every request.
    /// [`DigestSchemeBuilder::build`](crate::DigestSchemeBuilder::build)
    /// refuses a longer one; [`NonceIssuer::new`] shortens it to this.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_digest::NonceIssuer;
    /// assert_eq!(NonceIssuer::MAX_LIFETIME, Duration::from_secs(24 * 60 * 60));
    /// ```
    pub const MAX_LIFETIME: Duration = Duration::from_secs(MAX_LIFETIME);

    /// How far in the future a nonce may be dated and still be accepted:
    /// the servers of a fleet may disagree about the time by this much.
    /// Stores that expire replay state (a shared Redis store) keep it at
    /// least this long past the nonce's end.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_digest::{Algorithm, ManualClock, NonceCheck, NonceIssuer, NonceSecret};
    /// assert_eq!(NonceIssuer::MAX_CLOCK_SKEW, Duration::from_secs(60));
    /// let secret = NonceSecret::from_bytes(&[7; 32]).unwrap();
    /// let life = Duration::from_secs(300);
    /// let ahead = NonceIssuer::new(secret.clone(), life).with_clock(ManualClock::new(1_060));
    /// let behind = NonceIssuer::new(secret, life).with_clock(ManualClock::new(1_000));
    /// let nonce = ahead.issue("api", Algorithm::Sha256);
    /// assert!(matches!(behind.check(&nonce, "api", Algorithm::Sha256), NonceCheck::Valid { .. }));
    /// ```
    pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(MAX_CLOCK_SKEW);

    /// An issuer whose nonces live for `lifetime` (300 s is the usual),
    /// taken as at least one second and at most
    /// [`MAX_LIFETIME`](Self::MAX_LIFETIME).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_digest::{NonceIssuer, NonceSecret};
    /// let issuer = NonceIssuer::new(NonceSecret::random(), Duration::from_secs(300));
    /// assert_eq!(issuer.lifetime(), 300);
    /// let forever = NonceIssuer::new(NonceSecret::random(), Duration::MAX);
    /// assert_eq!(forever.lifetime(), NonceIssuer::MAX_LIFETIME.as_secs());
    /// ```
    pub fn new(secret: NonceSecret, lifetime: Duration) -> Self {
        Self {
            secret,
            lifetime: lifetime.as_secs().clamp(1, MAX_LIFETIME),
            clock: Arc::new(SystemClock),
        }
    }

    /// Uses another clock (tests).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_digest::{ManualClock, NonceIssuer, NonceSecret};
    /// let clock = ManualClock::new(5_000);
    /// let issuer = NonceIssuer::new(NonceSecret::random(), Duration::from_secs(300))
    ///     .with_clock(clock.clone());
    /// clock.advance(10);
    /// assert_eq!(issuer.now(), 5_010);
    /// ```
    pub fn with_clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Uses a shared clock.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::time::Duration;
    /// use authscheme_digest::{Clock, ManualClock, NonceIssuer, NonceSecret};
    /// let manual = ManualClock::new(5_000);
    /// let clock: Arc<dyn Clock> = Arc::new(manual.clone());
    /// let life = Duration::from_secs(300);
    /// let a = NonceIssuer::new(NonceSecret::random(), life).with_shared_clock(Arc::clone(&clock));
    /// let b = NonceIssuer::new(NonceSecret::random(), life).with_shared_clock(clock);
    /// manual.advance(10);
    /// assert_eq!((a.now(), b.now()), (5_010, 5_010));
    /// ```
    pub fn with_shared_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The lifetime in seconds.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_digest::{Algorithm, NonceCheck, NonceIssuer, NonceSecret};
    /// let issuer = NonceIssuer::new(NonceSecret::random(), Duration::from_secs(600));
    /// assert_eq!(issuer.lifetime(), 600);
    /// let nonce = issuer.issue("api", Algorithm::Md5);
    /// let NonceCheck::Valid { issued_at, expires_at } = issuer.check(&nonce, "api", Algorithm::Md5) else {
    ///     panic!("a nonce just issued is valid");
    /// };
    /// assert_eq!(expires_at - issued_at, issuer.lifetime());
    /// ```
    pub fn lifetime(&self) -> u64 {
        self.lifetime
    }

    /// The current time by this issuer's clock.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_digest::{ManualClock, NonceIssuer, NonceSecret};
    /// let issuer = NonceIssuer::new(NonceSecret::random(), Duration::from_secs(300))
    ///     .with_clock(ManualClock::new(1_234));
    /// assert_eq!(issuer.now(), 1_234);
    /// ```
    pub fn now(&self) -> u64 {
        self.clock.now()
    }

    fn tag(&self, head: &[u8], realm: &str, algorithm: Algorithm) -> [u8; TAG_LEN] {
        let mut mac = self.secret.mac();
        // 'n' (not 'o' as for opaque) separates the two uses of the key;
        // the realm is length-prefixed so that realm and algorithm cannot
        // run into each other. Short fields keep a typical message within
        // one SHA-256 block.
        mac.update(b"n");
        mac.update(head);
        mac.update(&u32::try_from(realm.len()).unwrap_or(u32::MAX).to_be_bytes());
        mac.update(realm.as_bytes());
        mac.update(algorithm.as_str().as_bytes());
        let full = mac.finalize().into_bytes();
        let mut tag = [0u8; TAG_LEN];
        tag.copy_from_slice(&full[..TAG_LEN]);
        tag
    }

    /// A new nonce for `realm` and `algorithm`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_digest::{Algorithm, NonceIssuer, NonceSecret};
    /// let issuer = NonceIssuer::new(NonceSecret::random(), Duration::from_secs(300));
    /// let nonce = issuer.issue("api", Algorithm::Sha256);
    /// assert_eq!(nonce.len(), 48);
    /// assert!(nonce.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    /// assert_ne!(nonce, issuer.issue("api", Algorithm::Sha256));
    /// ```
    pub fn issue(&self, realm: &str, algorithm: Algorithm) -> String {
        let mut raw = [0u8; RAW_LEN];
        raw[..TIME_LEN].copy_from_slice(&self.clock.now().to_be_bytes());
        let random: [u8; RANDOM_LEN] = rand::random();
        raw[TIME_LEN..TIME_LEN + RANDOM_LEN].copy_from_slice(&random);
        let tag = self.tag(&raw[..TIME_LEN + RANDOM_LEN], realm, algorithm);
        raw[TIME_LEN + RANDOM_LEN..].copy_from_slice(&tag);
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// Checks a nonce a client sent back with `algorithm` for `realm`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_digest::{Algorithm, NonceCheck, NonceIssuer, NonceSecret};
    /// let issuer = NonceIssuer::new(NonceSecret::random(), Duration::from_secs(300));
    /// let nonce = issuer.issue("api", Algorithm::Sha256);
    /// assert!(matches!(issuer.check(&nonce, "api", Algorithm::Sha256), NonceCheck::Valid { .. }));
    /// assert_eq!(issuer.check(&nonce, "api", Algorithm::Sha256Sess), NonceCheck::Invalid);
    /// ```
    pub fn check(&self, nonce: &str, realm: &str, algorithm: Algorithm) -> NonceCheck {
        self.check_at(nonce, realm, algorithm, self.clock.now())
    }

    /// [`check`](NonceIssuer::check) at `now` (seconds since the epoch, as
    /// [`now`](NonceIssuer::now) gives): a caller that needs the time
    /// anyway reads the clock once.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_digest::{Algorithm, NonceCheck, NonceIssuer, NonceSecret};
    /// let issuer = NonceIssuer::new(NonceSecret::random(), Duration::from_secs(300));
    /// let nonce = issuer.issue("api", Algorithm::Sha256);
    /// let now = issuer.now();
    /// assert!(matches!(issuer.check_at(&nonce, "api", Algorithm::Sha256, now), NonceCheck::Valid { .. }));
    /// assert!(matches!(
    ///     issuer.check_at(&nonce, "api", Algorithm::Sha256, now + 301),
    ///     NonceCheck::Expired { .. }
    /// ));
    /// ```
    pub fn check_at(&self, nonce: &str, realm: &str, algorithm: Algorithm, now: u64) -> NonceCheck {
        let mut raw = [0u8; RAW_LEN];
        // Exactly RAW_LEN bytes encode to 48 characters, without padding.
        if nonce.len() != 48 {
            return NonceCheck::Invalid;
        }
        match URL_SAFE_NO_PAD.decode_slice(nonce.as_bytes(), &mut raw) {
            Ok(RAW_LEN) => {}
            _ => return NonceCheck::Invalid,
        }
        let head = &raw[..TIME_LEN + RANDOM_LEN];
        let expected = self.tag(head, realm, algorithm);
        if !authscheme::ct_eq(&expected, &raw[TIME_LEN + RANDOM_LEN..]) {
            return NonceCheck::Invalid;
        }
        let mut time = [0u8; TIME_LEN];
        time.copy_from_slice(&raw[..TIME_LEN]);
        let issued_at = u64::from_be_bytes(time);
        if issued_at > now.saturating_add(MAX_CLOCK_SKEW) {
            return NonceCheck::Invalid;
        }
        let expires_at = issued_at.saturating_add(self.lifetime);
        if now >= expires_at {
            NonceCheck::Expired { expires_at }
        } else {
            NonceCheck::Valid {
                issued_at,
                expires_at,
            }
        }
    }

    /// The `opaque` value for `realm`: stable, so clients may keep it, and
    /// signed, so it reveals nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_digest::{NonceIssuer, NonceSecret};
    /// let issuer = NonceIssuer::new(NonceSecret::random(), Duration::from_secs(300));
    /// assert_eq!(issuer.opaque("api"), issuer.opaque("api"));
    /// assert_ne!(issuer.opaque("api"), issuer.opaque("admin"));
    /// assert_eq!(issuer.opaque("api").len(), 24);
    /// ```
    pub fn opaque(&self, realm: &str) -> String {
        let mut mac = self.secret.mac();
        mac.update(b"o");
        mac.update(realm.as_bytes());
        let full = mac.finalize().into_bytes();
        URL_SAFE_NO_PAD.encode(&full[..18])
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_system_clock_reads_wall_clock_seconds() {
        let precise = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(SystemClock.now().abs_diff(precise) <= 1);
    }

    fn issuer(clock: &ManualClock) -> NonceIssuer {
        NonceIssuer::new(
            NonceSecret::from_bytes(&[7u8; 32]).unwrap(),
            Duration::from_secs(300),
        )
        .with_clock(clock.clone())
    }

    #[test]
    fn a_flipped_bit_anywhere_invalidates_the_nonce() {
        let clock = ManualClock::new(10_000);
        let issuer = issuer(&clock);
        let nonce = issuer.issue("r", Algorithm::Sha256);
        let mut raw = URL_SAFE_NO_PAD.decode(&nonce).unwrap();
        for i in 0..raw.len() {
            raw[i] ^= 1;
            let forged = URL_SAFE_NO_PAD.encode(&raw);
            assert_eq!(
                issuer.check(&forged, "r", Algorithm::Sha256),
                NonceCheck::Invalid
            );
            raw[i] ^= 1;
        }
    }

    #[test]
    fn sess_variant_is_a_different_algorithm() {
        let clock = ManualClock::new(10_000);
        let issuer = issuer(&clock);
        let nonce = issuer.issue("r", Algorithm::Md5);
        assert_eq!(
            issuer.check(&nonce, "r", Algorithm::Md5Sess),
            NonceCheck::Invalid
        );
    }

    #[test]
    fn future_and_garbage_nonces_are_invalid() {
        let clock = ManualClock::new(10_000);
        let issuer = issuer(&clock);
        let later = issuer.clone().with_clock(ManualClock::new(20_000));
        let nonce = later.issue("r", Algorithm::Md5);
        assert_eq!(
            issuer.check(&nonce, "r", Algorithm::Md5),
            NonceCheck::Invalid
        );
        for junk in ["", "x", &"A".repeat(48), &"é".repeat(24)] {
            assert_eq!(issuer.check(junk, "r", Algorithm::Md5), NonceCheck::Invalid);
        }
    }

    #[test]
    fn another_secret_does_not_accept_our_nonces() {
        let clock = ManualClock::new(10_000);
        let ours = issuer(&clock);
        let theirs = NonceIssuer::new(NonceSecret::random(), Duration::from_secs(300))
            .with_clock(clock.clone());
        let nonce = ours.issue("r", Algorithm::Md5);
        assert_eq!(
            theirs.check(&nonce, "r", Algorithm::Md5),
            NonceCheck::Invalid
        );
        assert_ne!(ours.opaque("r"), theirs.opaque("r"));
    }
}
