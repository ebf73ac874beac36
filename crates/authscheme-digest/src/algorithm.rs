//! The Digest algorithms of RFC 7616 section 3.3 and the lowercase hex
//! digests they produce.

use std::fmt;

use md5::Md5;
use sha2::{Digest as _, Sha256, Sha512_256};

/// A Digest algorithm: a hash function, optionally in its `-sess` form.
///
/// Names are matched without regard to ASCII case (clients and servers
/// differ in how they spell `-sess`); [`Algorithm::as_str`] gives the RFC
/// spelling.
///
/// # Examples
///
/// ```
/// use authscheme_digest::Algorithm;
/// let alg = Algorithm::parse("sha-512-256-SESS").unwrap();
/// assert_eq!(alg, Algorithm::Sha512_256Sess);
/// assert_eq!(alg.as_str(), "SHA-512-256-sess");
/// assert!(alg.is_session());
/// assert_eq!(alg.hash(b"abc").as_str().len(), 64);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Algorithm {
    /// `MD5` (RFC 7616 keeps it for backward compatibility only).
    Md5,
    /// `MD5-sess`.
    Md5Sess,
    /// `SHA-256`.
    Sha256,
    /// `SHA-256-sess`.
    Sha256Sess,
    /// `SHA-512-256`: FIPS 180-4 SHA-512/256, not truncated SHA-512.
    Sha512_256,
    /// `SHA-512-256-sess`.
    Sha512_256Sess,
}

impl Algorithm {
    /// Every algorithm, weakest first.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Algorithm;
    /// assert_eq!(Algorithm::ALL.len(), 6);
    /// assert_eq!(Algorithm::ALL[0], Algorithm::Md5);
    /// assert!(Algorithm::ALL.windows(2).all(|w| w[0].strength() <= w[1].strength()));
    /// ```
    pub const ALL: [Algorithm; 6] = [
        Algorithm::Md5,
        Algorithm::Md5Sess,
        Algorithm::Sha256,
        Algorithm::Sha256Sess,
        Algorithm::Sha512_256,
        Algorithm::Sha512_256Sess,
    ];

    /// Parses an `algorithm` value, ignoring ASCII case.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Algorithm;
    /// assert_eq!(Algorithm::parse("sha-256"), Some(Algorithm::Sha256));
    /// assert_eq!(Algorithm::parse("MD5-SESS"), Some(Algorithm::Md5Sess));
    /// assert_eq!(Algorithm::parse("SHA-1"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str().eq_ignore_ascii_case(name))
    }

    /// The name as RFC 7616 spells it.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Algorithm;
    /// assert_eq!(Algorithm::Sha256Sess.as_str(), "SHA-256-sess");
    /// assert_eq!(Algorithm::Md5.to_string(), "MD5");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
            Algorithm::Sha512_256 => "SHA-512-256",
            Algorithm::Sha512_256Sess => "SHA-512-256-sess",
        }
    }

    /// Whether this is a `-sess` variant (HA1 is rehashed with the nonce and
    /// cnonce).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Algorithm;
    /// assert!(Algorithm::Md5Sess.is_session());
    /// assert!(!Algorithm::Sha512_256.is_session());
    /// ```
    pub fn is_session(self) -> bool {
        matches!(
            self,
            Algorithm::Md5Sess | Algorithm::Sha256Sess | Algorithm::Sha512_256Sess
        )
    }

    /// The plain algorithm with the same hash (`SHA-256` for `SHA-256-sess`):
    /// stores keep one HA1 per hash function.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Algorithm;
    /// assert_eq!(Algorithm::Sha256Sess.base(), Algorithm::Sha256);
    /// assert_eq!(Algorithm::Md5.base(), Algorithm::Md5);
    /// ```
    pub fn base(self) -> Self {
        match self {
            Algorithm::Md5 | Algorithm::Md5Sess => Algorithm::Md5,
            Algorithm::Sha256 | Algorithm::Sha256Sess => Algorithm::Sha256,
            Algorithm::Sha512_256 | Algorithm::Sha512_256Sess => Algorithm::Sha512_256,
        }
    }

    /// How strong the hash is, for a client choosing among challenges:
    /// MD5 1, SHA-256 2, SHA-512-256 3.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Algorithm;
    /// assert_eq!(Algorithm::Md5Sess.strength(), 1);
    /// assert_eq!(Algorithm::Sha256Sess.strength(), Algorithm::Sha256.strength());
    /// assert!(Algorithm::Sha512_256.strength() > Algorithm::Sha256.strength());
    /// ```
    pub fn strength(self) -> u32 {
        match self.base() {
            Algorithm::Sha512_256 => 3,
            Algorithm::Sha256 => 2,
            _ => 1,
        }
    }

    /// Hashes `input` into lowercase hex.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Algorithm;
    /// let digest = Algorithm::Sha256.hash(b"abc");
    /// assert_eq!(
    ///     digest.as_str(),
    ///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    /// );
    /// ```
    pub fn hash(self, input: &[u8]) -> HexDigest {
        self.hash_parts(&[input])
    }

    /// Hashes the `parts` joined by `:` (the `A1`, `A2` and `KD` strings of
    /// RFC 7616 section 3.4) without building the joined string.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Algorithm;
    /// let parts = Algorithm::Md5.hash_parts(&[b"Mufasa", b"testrealm@host.com", b"Circle Of Life"]);
    /// assert_eq!(parts, Algorithm::Md5.hash(b"Mufasa:testrealm@host.com:Circle Of Life"));
    /// assert_eq!(parts.as_str(), "939e7578ed9e3c518a452acee763bce9");
    /// ```
    pub fn hash_parts(self, parts: &[&[u8]]) -> HexDigest {
        fn run<D: sha2::Digest>(mut d: D, parts: &[&[u8]]) -> HexDigest {
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    d.update(b":");
                }
                d.update(part);
            }
            HexDigest::from_raw(&d.finalize())
        }
        match self.base() {
            Algorithm::Md5 => run(Md5::new(), parts),
            Algorithm::Sha256 => run(Sha256::new(), parts),
            _ => run(Sha512_256::new(), parts),
        }
    }

    /// The length of this algorithm's hex digest (32 or 64).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Algorithm;
    /// assert_eq!(Algorithm::Md5Sess.hex_len(), 32);
    /// assert_eq!(Algorithm::Sha512_256.hex_len(), 64);
    /// assert_eq!(Algorithm::Sha256.hash(b"x").as_str().len(), Algorithm::Sha256.hex_len());
    /// ```
    pub fn hex_len(self) -> usize {
        match self.base() {
            Algorithm::Md5 => 32,
            _ => 64,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A digest in lowercase hex, held inline (at most 64 characters).
///
/// It may be secret (an HA1), so `Debug` shows only its length; use
/// [`HexDigest::as_str`] where the value is needed.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{Algorithm, HexDigest};
/// let d = Algorithm::Md5.hash(b"");
/// assert_eq!(d.as_str(), "d41d8cd98f00b204e9800998ecf8427e");
/// assert_eq!(HexDigest::parse("D41D8CD98F00B204E9800998ECF8427E"), Some(d));
/// ```
#[derive(Clone, Copy, Eq)]
pub struct HexDigest {
    buf: [u8; 64],
    len: u8,
}

impl HexDigest {
    pub(crate) fn from_raw(raw: &[u8]) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut buf = [0u8; 64];
        let n = raw.len().min(32);
        for (i, b) in raw[..n].iter().enumerate() {
            buf[2 * i] = HEX[usize::from(b >> 4)];
            buf[2 * i + 1] = HEX[usize::from(b & 0x0f)];
        }
        Self {
            buf,
            len: (2 * n) as u8,
        }
    }

    /// Reads 32 or 64 hex digits (either case), normalised to lowercase.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::HexDigest;
    /// let d = HexDigest::parse("939E7578ED9E3C518A452ACEE763BCE9").unwrap();
    /// assert_eq!(d.as_str(), "939e7578ed9e3c518a452acee763bce9");
    /// assert!(HexDigest::parse("939e7578").is_none());
    /// assert!(HexDigest::parse(&"g".repeat(32)).is_none());
    /// ```
    pub fn parse(hex: &str) -> Option<Self> {
        let bytes = hex.as_bytes();
        if bytes.len() != 32 && bytes.len() != 64 {
            return None;
        }
        let mut buf = [0u8; 64];
        // No early exit, so that the loop vectorizes (a userhash is read
        // this way on every request that sends one).
        let mut all_hex = true;
        for (slot, &b) in buf.iter_mut().zip(bytes) {
            let lower = b | 0x20;
            all_hex &= b.is_ascii_digit() | (b'a'..=b'f').contains(&lower);
            *slot = b.to_ascii_lowercase();
        }
        if !all_hex {
            return None;
        }
        Some(Self {
            buf,
            len: bytes.len() as u8,
        })
    }

    /// The hex text.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Algorithm;
    /// let d = Algorithm::Md5.hash(b"");
    /// assert_eq!(d.as_str(), "d41d8cd98f00b204e9800998ecf8427e");
    /// ```
    pub fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever stored.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The hex text as octets.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Algorithm;
    /// let d = Algorithm::Md5.hash(b"");
    /// assert_eq!(d.as_bytes(), b"d41d8cd98f00b204e9800998ecf8427e");
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..usize::from(self.len)]
    }
}

/// Compares in constant time ([`authscheme::ct_eq`]): a digest may be as
/// good as a password (an HA1) or an expected response. Only the length
/// (32 or 64 digits, which the algorithm tells anyway) decides early.
impl PartialEq for HexDigest {
    fn eq(&self, other: &Self) -> bool {
        authscheme::ct_eq(self.as_bytes(), other.as_bytes())
    }
}

/// Hashes the digits, as [`PartialEq`] compares them.
impl std::hash::Hash for HexDigest {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl fmt::Debug for HexDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HexDigest(<{} hex digits>)", self.len)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sha512_256_is_the_fips_function_not_truncated_sha512() {
        assert_eq!(
            Algorithm::Sha512_256.hash(b"abc").as_str(),
            "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"
        );
    }

    #[test]
    fn names_round_trip_and_ignore_case() {
        for alg in Algorithm::ALL {
            assert_eq!(Algorithm::parse(alg.as_str()), Some(alg));
            assert_eq!(Algorithm::parse(&alg.as_str().to_lowercase()), Some(alg));
        }
        assert_eq!(Algorithm::parse("SHA-512"), None);
        assert_eq!(Algorithm::parse(""), None);
    }

    #[test]
    fn hex_parse_rejects_bad_lengths_and_digits() {
        assert!(HexDigest::parse("abc").is_none());
        assert!(HexDigest::parse(&"g".repeat(32)).is_none());
        // Every octet that is not a hex digit, at the last position too.
        for b in (0u8..=255).filter(|b| !b.is_ascii_hexdigit()) {
            let mut text = vec![b'0'; 31];
            text.push(b);
            let text = String::from_utf8_lossy(&text).into_owned();
            if text.len() == 32 {
                assert!(HexDigest::parse(&text).is_none(), "{b:#x}");
            }
        }
        assert_eq!(
            HexDigest::parse(&"A".repeat(64)).unwrap().as_str(),
            "a".repeat(64)
        );
    }
}
