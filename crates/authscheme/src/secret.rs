//! Secrets: constant-time comparison, keyed fingerprints and a
//! `Debug`-safe wrapper.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher as _};

use siphasher::sip128::{Hasher128 as _, SipHasher13};
use subtle::ConstantTimeEq;

/// Compares two secrets in time that depends only on their lengths.
///
/// Use it for every comparison of a password, token, digest or MAC. Where
/// the length itself is secret, compare fixed-length hashes of the values.
///
/// # Examples
///
/// ```
/// assert!(authscheme::ct_eq(b"s3cret", b"s3cret"));
/// assert!(!authscheme::ct_eq(b"s3cret", b"s3creT"));
/// assert!(!authscheme::ct_eq(b"s3cret", b"s3cre"));
/// ```
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    // Eight octets at a time: subtle's slice comparison passes each octet
    // through its own optimisation barrier, which made it the costliest
    // step of a Digest verification after the hashes. Each word still goes
    // through one, and no branch depends on the contents.
    let (a_words, a_rest) = a.as_chunks::<8>();
    let (b_words, b_rest) = b.as_chunks::<8>();
    let mut equal = a_rest.ct_eq(b_rest);
    for (x, y) in a_words.iter().zip(b_words) {
        equal &= u64::from_ne_bytes(*x).ct_eq(&u64::from_ne_bytes(*y));
    }
    equal.into()
}

/// A secret string (a password or token) whose `Debug` and `Display` never
/// show it, and whose `==` takes the same time wherever two secrets of one
/// length differ ([`ct_eq`]).
///
/// # Examples
///
/// ```
/// use authscheme::Secret;
/// let s = Secret::new("wonderland");
/// assert_eq!(s.expose(), "wonderland");
/// assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
/// assert!(s == Secret::new("wonderland") && s != Secret::new("wonderlanD"));
/// ```
#[derive(Clone, Eq)]
pub struct Secret(String);

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        ct_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

impl Secret {
    /// Wraps a secret.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Secret;
    /// let token = Secret::new(String::from("mF_9.B5f-4.1JqM"));
    /// assert_eq!(token, Secret::from("mF_9.B5f-4.1JqM"));
    /// assert!(!format!("{token:?}").contains("mF_9"));
    /// ```
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself; call only where it is used.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Secret;
    /// let password = Secret::new("wonderland");
    /// assert!(authscheme::ct_eq(password.expose().as_bytes(), b"wonderland"));
    /// ```
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Keyed 128-bit fingerprints of secrets, for finding a secret without
/// keeping it: a cache of verified credentials, a set of API tokens.
///
/// Each value draws its own random key, and fingerprints are SipHash with
/// 128-bit output under it (a keyed pseudo-random function designed as a
/// MAC for short inputs; 1-3 rounds, those of Rust's own `HashMap`).
/// Without the key nobody can find a secret that shares another's
/// fingerprint, so equal fingerprints stand for equal secrets; and a
/// fingerprint means nothing outside the value that made it. It costs a
/// fraction of an unkeyed cryptographic hash: 10 ns for an API token and
/// 75 ns for a 250-octet JWT, where SHA-256 took 73 ns and 245 ns
/// (docs/PERFORMANCE.md).
///
/// Compare fingerprints with [`ct_eq`] where the comparison itself could
/// leak (a scan over stored tokens); a hash map keyed by them is fine, since
/// a lookup learns nothing about a secret the caller does not hold.
///
/// # Examples
///
/// ```
/// use authscheme::SecretHasher;
/// let hasher = SecretHasher::new();
/// assert_eq!(hasher.fingerprint(b"mF_9.B5f-4.1JqM"), hasher.fingerprint(b"mF_9.B5f-4.1JqM"));
/// assert_ne!(hasher.fingerprint(b"mF_9.B5f-4.1JqM"), hasher.fingerprint(b"mF_9.B5f-4.1Jq"));
/// // Another hasher, another key: fingerprints are not portable.
/// assert_ne!(SecretHasher::new().fingerprint(b"k"), hasher.fingerprint(b"k"));
/// // A pair is not confused with another split of the same octets.
/// assert_ne!(hasher.fingerprint_pair(b"a:b", b"c"), hasher.fingerprint_pair(b"a", b"b:c"));
/// ```
#[derive(Clone)]
pub struct SecretHasher {
    mac: SipHasher13,
}

impl SecretHasher {
    /// A hasher with a fresh random key.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::SecretHasher;
    /// let a = SecretHasher::new();
    /// let b = SecretHasher::new();
    /// assert_ne!(a.fingerprint(b"token"), b.fingerprint(b"token"), "each has its own key");
    /// assert_eq!(format!("{a:?}"), "SecretHasher(<key redacted>)");
    /// ```
    pub fn new() -> Self {
        Self {
            mac: SipHasher13::new_with_key(&rand::random()),
        }
    }

    /// The fingerprint of one secret.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::SecretHasher;
    /// let hasher = SecretHasher::new();
    /// let stored = hasher.fingerprint(b"mF_9.B5f-4.1JqM");
    /// assert_eq!(hasher.fingerprint(b"mF_9.B5f-4.1JqM"), stored);
    /// assert_ne!(hasher.fingerprint(b"mF_9.B5f-4.1Jqm"), stored);
    /// ```
    pub fn fingerprint(&self, secret: &[u8]) -> u128 {
        let mut mac = self.mac;
        mac.write(secret);
        mac.finish128().as_u128()
    }

    /// The fingerprint of two secrets together (a user-id and a password).
    /// The first one's length goes in first, so that `("a:b", "c")` and
    /// `("a", "b:c")` differ.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::SecretHasher;
    /// let hasher = SecretHasher::new();
    /// let alice = hasher.fingerprint_pair(b"alice", b"wonderland");
    /// assert_eq!(hasher.fingerprint_pair(b"alice", b"wonderland"), alice);
    /// assert_ne!(hasher.fingerprint_pair(b"alicew", b"onderland"), alice);
    /// assert_ne!(hasher.fingerprint(b"alicewonderland"), alice);
    /// ```
    pub fn fingerprint_pair(&self, first: &[u8], second: &[u8]) -> u128 {
        let mut mac = self.mac;
        mac.write(&(first.len() as u64).to_le_bytes());
        mac.write(first);
        mac.write(second);
        mac.finish128().as_u128()
    }
}

impl Default for SecretHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for SecretHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretHasher(<key redacted>)")
    }
}

/// A hash map keyed by [`SecretHasher`] fingerprints. They are already
/// uniformly random and no one can aim them, so their low 64 bits serve as
/// the map's hash and no second hash is computed.
///
/// # Examples
///
/// ```
/// use authscheme::{FingerprintMap, SecretHasher};
/// let hasher = SecretHasher::new();
/// let mut verified: FingerprintMap<&str> = FingerprintMap::default();
/// verified.insert(hasher.fingerprint(b"mF_9.B5f-4.1JqM"), "alice");
/// assert_eq!(verified.get(&hasher.fingerprint(b"mF_9.B5f-4.1JqM")), Some(&"alice"));
/// ```
pub type FingerprintMap<V> = HashMap<u128, V, BuildHasherDefault<FingerprintHash>>;

/// The [`Hasher`](std::hash::Hasher) of a [`FingerprintMap`]: the low 64
/// bits of the fingerprint.
///
/// # Examples
///
/// ```
/// use std::hash::{BuildHasher, BuildHasherDefault};
/// use authscheme::FingerprintHash;
/// let build = BuildHasherDefault::<FingerprintHash>::default();
/// assert_eq!(build.hash_one(0x1234_u128 << 64 | 0xabcd), 0xabcd);
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct FingerprintHash(u64);

impl std::hash::Hasher for FingerprintHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u128` is used for a fingerprint; stay correct for
        // anything else.
        for (i, b) in bytes.iter().take(8).enumerate() {
            self.0 ^= u64::from(*b) << (8 * i);
        }
    }

    fn write_u128(&mut self, fingerprint: u128) {
        // Truncation intended: the low half of a uniformly random value.
        self.0 = fingerprint as u64;
    }
}
