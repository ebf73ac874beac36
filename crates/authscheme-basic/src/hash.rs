//! [`PasswordHash`]: the password hash formats of Apache htpasswd files.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::Rng;
use sha1::{Digest, Sha1};
use sha2::Sha256;

use crate::apr1;
use crate::error::HashError;

/// The bcrypt cost used when none is given: the `bcrypt` crate's default.
///
/// # Examples
///
/// ```
/// use authscheme_basic::{DEFAULT_BCRYPT_COST, HashFormat, PasswordHash};
/// let h = PasswordHash::generate(HashFormat::Bcrypt, "wonderland").unwrap();
/// assert_eq!(h.cost(), Some(DEFAULT_BCRYPT_COST));
/// assert_eq!(DEFAULT_BCRYPT_COST, 12);
/// ```
pub const DEFAULT_BCRYPT_COST: u32 = bcrypt::DEFAULT_COST;

/// A hash format of htpasswd files.
///
/// # Examples
///
/// ```
/// use authscheme_basic::{HashFormat, PasswordHash};
/// let h = PasswordHash::parse("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=").unwrap();
/// assert_eq!(h.format(), HashFormat::Sha1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashFormat {
    /// bcrypt, `$2y$`, `$2a$`, `$2b$` (written as `$2y$`, as Apache does).
    Bcrypt,
    /// SHA-256-crypt, `$5$`.
    Sha256Crypt,
    /// SHA-512-crypt, `$6$`.
    Sha512Crypt,
    /// Apache MD5-crypt, `$apr1$` (weak).
    Apr1,
    /// `{SHA}`: one unsalted SHA-1 (weak).
    Sha1,
    /// The password itself (only with `dangerous_allow_plaintext`).
    Plaintext,
}

impl HashFormat {
    /// A short lowercase name, for logs and errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::HashFormat;
    /// assert_eq!(HashFormat::Bcrypt.name(), "bcrypt");
    /// assert_eq!(HashFormat::Sha512Crypt.name(), "sha512-crypt");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            HashFormat::Bcrypt => "bcrypt",
            HashFormat::Sha256Crypt => "sha256-crypt",
            HashFormat::Sha512Crypt => "sha512-crypt",
            HashFormat::Apr1 => "apr1",
            HashFormat::Sha1 => "sha1",
            HashFormat::Plaintext => "plaintext",
        }
    }
}

/// A stored password hash in one of the htpasswd formats.
///
/// `Debug` names the format only. Verification compares in constant time
/// (bcrypt and sha-crypt through their crates, the others with
/// [`authscheme::ct_eq`]).
///
/// # Examples
///
/// ```
/// use authscheme_basic::{HashFormat, PasswordHash};
/// let h = PasswordHash::generate(HashFormat::Apr1, "wonderland").unwrap();
/// assert!(h.as_str().starts_with("$apr1$"));
/// assert!(h.verify("wonderland"));
/// assert!(!h.verify("Wonderland"));
/// assert_eq!(format!("{h:?}"), "PasswordHash(apr1)");
/// ```
///
/// `==` compares the stored hashes in constant time ([`authscheme::ct_eq`]:
/// the time depends on their lengths only, not on where they differ).
///
/// ```
/// use authscheme_basic::PasswordHash;
/// let a = PasswordHash::parse("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=").unwrap();
/// let b = PasswordHash::parse("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=").unwrap();
/// let c = PasswordHash::parse("{SHA}YgO7o92Gar75iU4eu6fqQd9MI6c=").unwrap();
/// assert!(a == b && a != c);
/// ```
#[derive(Clone)]
pub struct PasswordHash {
    format: HashFormat,
    encoded: String,
    /// Decoded digest for `{SHA}`; salt end offset for `$apr1$`; bcrypt cost
    /// or sha-crypt rounds: whatever verification or [`PasswordHash::dummy`]
    /// needs without parsing again.
    detail: Detail,
}

#[derive(Clone)]
enum Detail {
    None,
    Sha1([u8; 20]),
    Apr1 { salt_end: usize },
    Cost(u32),
}

impl PasswordHash {
    /// Parses a stored hash. Plaintext is refused.
    ///
    /// # Errors
    ///
    /// [`HashError::Unsupported`] for an unknown format (including
    /// plaintext, crypt(3) DES and `$1$`), [`HashError::Malformed`] for a
    /// broken hash of a known format.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{HashError, HashFormat, PasswordHash};
    /// let h = PasswordHash::parse("$apr1$17uLjYbP$pU8cX0H.vR3bOgO5JARcT/").unwrap();
    /// assert_eq!(h.format(), HashFormat::Apr1);
    /// assert_eq!(PasswordHash::parse("hunter2").unwrap_err(), HashError::Unsupported);
    /// assert_eq!(PasswordHash::parse("{SHA}abc").unwrap_err(), HashError::Malformed("{SHA}"));
    /// ```
    pub fn parse(encoded: &str) -> Result<Self, HashError> {
        Self::parse_with(encoded, false)
    }

    /// Parses a stored hash, taking anything that is not a known hash format
    /// as a plaintext password when `dangerous_allow_plaintext` is set.
    ///
    /// # Errors
    ///
    /// As [`PasswordHash::parse`].
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{HashFormat, PasswordHash};
    /// let h = PasswordHash::parse_with("hunter2", true).unwrap();
    /// assert_eq!(h.format(), HashFormat::Plaintext);
    /// assert!(h.verify("hunter2"));
    /// assert!(PasswordHash::parse_with("hunter2", false).is_err());
    /// // Known formats are still read as hashes.
    /// let sha = PasswordHash::parse_with("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", true).unwrap();
    /// assert_eq!(sha.format(), HashFormat::Sha1);
    /// ```
    pub fn parse_with(encoded: &str, dangerous_allow_plaintext: bool) -> Result<Self, HashError> {
        let known = |format, detail| {
            Ok(Self {
                format,
                encoded: encoded.to_owned(),
                detail,
            })
        };
        if let Some(rest) = encoded.strip_prefix("{SHA}") {
            let mut digest = [0u8; 20];
            return match STANDARD.decode_slice(rest, &mut digest) {
                Ok(20) => known(HashFormat::Sha1, Detail::Sha1(digest)),
                _ => Err(HashError::Malformed("{SHA}")),
            };
        }
        if let Some(rest) = encoded.strip_prefix("$apr1$") {
            let (salt, digest) = rest.split_once('$').ok_or(HashError::Malformed("apr1"))?;
            let crypt_chars = |s: &str| s.bytes().all(|b| apr1::CRYPT_ALPHABET.contains(&b));
            if salt.is_empty() || salt.len() > apr1::MAX_SALT || !crypt_chars(salt) {
                return Err(HashError::Malformed("apr1"));
            }
            if digest.len() != 22 || !crypt_chars(digest) {
                return Err(HashError::Malformed("apr1"));
            }
            let salt_end = "$apr1$".len() + salt.len();
            return known(HashFormat::Apr1, Detail::Apr1 { salt_end });
        }
        if ["$2y$", "$2a$", "$2b$"]
            .iter()
            .any(|p| encoded.starts_with(p))
        {
            let parts: bcrypt::HashParts = encoded
                .parse()
                .map_err(|_| HashError::Malformed("bcrypt"))?;
            if encoded.len() != 60 || !(4..=31).contains(&parts.get_cost()) {
                return Err(HashError::Malformed("bcrypt"));
            }
            return known(HashFormat::Bcrypt, Detail::Cost(parts.get_cost()));
        }
        if let Some(rest) = encoded.strip_prefix("$5$") {
            let rounds = sha_crypt_rounds(rest, 43).ok_or(HashError::Malformed("sha256-crypt"))?;
            return known(HashFormat::Sha256Crypt, Detail::Cost(rounds));
        }
        if let Some(rest) = encoded.strip_prefix("$6$") {
            let rounds = sha_crypt_rounds(rest, 86).ok_or(HashError::Malformed("sha512-crypt"))?;
            return known(HashFormat::Sha512Crypt, Detail::Cost(rounds));
        }
        if dangerous_allow_plaintext {
            return known(HashFormat::Plaintext, Detail::None);
        }
        Err(HashError::Unsupported)
    }

    /// Hashes `password` in `format` with a random salt and default cost
    /// (bcrypt [`DEFAULT_BCRYPT_COST`], sha-crypt 5000 rounds).
    ///
    /// # Errors
    ///
    /// [`HashError::Parameters`] when the hashing crate refuses.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{HashFormat, PasswordHash};
    /// let h = PasswordHash::generate(HashFormat::Sha256Crypt, "wonderland").unwrap();
    /// assert!(h.as_str().starts_with("$5$"));
    /// assert_eq!(h.cost(), Some(5000));
    /// assert!(h.verify("wonderland"));
    /// ```
    pub fn generate(format: HashFormat, password: &str) -> Result<Self, HashError> {
        Self::generate_with_cost(format, password, None)
    }

    /// Hashes `password` in `format` with a random salt; `cost` is the
    /// bcrypt cost (4 to 31) or the sha-crypt rounds (1000 to 999999999),
    /// and is ignored by the other formats.
    ///
    /// # Errors
    ///
    /// [`HashError::Parameters`] when the cost is out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{HashError, HashFormat, PasswordHash};
    /// let h = PasswordHash::generate_with_cost(HashFormat::Bcrypt, "wonderland", Some(4)).unwrap();
    /// assert!(h.as_str().starts_with("$2y$04$"));
    /// assert!(h.verify("wonderland"));
    /// let too_cheap = PasswordHash::generate_with_cost(HashFormat::Bcrypt, "wonderland", Some(3));
    /// assert_eq!(too_cheap.unwrap_err(), HashError::Parameters);
    /// ```
    pub fn generate_with_cost(
        format: HashFormat,
        password: &str,
        cost: Option<u32>,
    ) -> Result<Self, HashError> {
        let encoded = match format {
            HashFormat::Bcrypt => {
                bcrypt::hash_with_result(password, cost.unwrap_or(DEFAULT_BCRYPT_COST))
                    .map_err(|_| HashError::Parameters)?
                    .format_for_version(bcrypt::Version::TwoY)
            }
            HashFormat::Sha256Crypt => {
                let rounds = cost.map_or(sha_crypt::ROUNDS_DEFAULT, |c| c as usize);
                let params =
                    sha_crypt::Sha256Params::new(rounds).map_err(|_| HashError::Parameters)?;
                sha_crypt::sha256_simple(password, &params).map_err(|_| HashError::Parameters)?
            }
            HashFormat::Sha512Crypt => {
                let rounds = cost.map_or(sha_crypt::ROUNDS_DEFAULT, |c| c as usize);
                let params =
                    sha_crypt::Sha512Params::new(rounds).map_err(|_| HashError::Parameters)?;
                sha_crypt::sha512_simple(password, &params).map_err(|_| HashError::Parameters)?
            }
            HashFormat::Apr1 => {
                let mut rng = rand::rng();
                let salt: Vec<u8> = (0..apr1::MAX_SALT)
                    .map(|_| apr1::CRYPT_ALPHABET[rng.random_range(0..64)])
                    .collect();
                let digest = apr1::digest(password.as_bytes(), &salt);
                format!(
                    "$apr1${}${}",
                    String::from_utf8_lossy(&salt),
                    String::from_utf8_lossy(&digest)
                )
            }
            HashFormat::Sha1 => format!("{{SHA}}{}", STANDARD.encode(Sha1::digest(password))),
            HashFormat::Plaintext => password.to_owned(),
        };
        Self::parse_with(&encoded, format == HashFormat::Plaintext)
    }

    /// The format.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{HashFormat, PasswordHash};
    /// let h = PasswordHash::parse("$2y$04$Rf347glzB7CbVrTl660DkeEXGQTowctum91EMfiFuPiakLmybpk8C").unwrap();
    /// assert_eq!(h.format(), HashFormat::Bcrypt);
    /// ```
    pub fn format(&self) -> HashFormat {
        self.format
    }

    /// The hash as stored in a file.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::PasswordHash;
    /// let line = "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=";
    /// assert_eq!(PasswordHash::parse(line).unwrap().as_str(), line);
    /// ```
    pub fn as_str(&self) -> &str {
        &self.encoded
    }

    /// Whether `password` matches. Takes the time of the format and its
    /// cost, whatever the outcome.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::PasswordHash;
    /// // `{SHA}` of "password".
    /// let h = PasswordHash::parse("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=").unwrap();
    /// assert!(h.verify("password"));
    /// assert!(!h.verify("Password"));
    /// ```
    pub fn verify(&self, password: &str) -> bool {
        match (&self.detail, self.format) {
            (Detail::Cost(_), HashFormat::Bcrypt) => {
                bcrypt::verify(password, &self.encoded).unwrap_or(false)
            }
            (Detail::Cost(_), HashFormat::Sha256Crypt) => {
                sha_crypt::sha256_check(password, &self.encoded).is_ok()
            }
            (Detail::Cost(_), HashFormat::Sha512Crypt) => {
                sha_crypt::sha512_check(password, &self.encoded).is_ok()
            }
            (Detail::Apr1 { salt_end }, _) => {
                let salt = &self.encoded.as_bytes()[6..*salt_end];
                let stored = &self.encoded.as_bytes()[*salt_end + 1..];
                authscheme::ct_eq(&apr1::digest(password.as_bytes(), salt), stored)
            }
            (Detail::Sha1(stored), _) => authscheme::ct_eq(&Sha1::digest(password), stored),
            (Detail::None, HashFormat::Plaintext) => {
                // Hash both sides so the comparison time does not depend on
                // the stored password's length.
                authscheme::ct_eq(
                    &Sha256::digest(password),
                    &Sha256::digest(self.encoded.as_bytes()),
                )
            }
            _ => false,
        }
    }

    /// A hash of a random password in the same format and with the same
    /// cost: verifying against it costs what verifying against `self` costs.
    /// Stores check unknown users against such a hash.
    ///
    /// # Errors
    ///
    /// [`HashError::Parameters`] when hashing fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{HashFormat, PasswordHash};
    /// let h = PasswordHash::generate_with_cost(HashFormat::Bcrypt, "wonderland", Some(4)).unwrap();
    /// let d = h.dummy().unwrap();
    /// assert_eq!((d.format(), d.cost()), (HashFormat::Bcrypt, Some(4)));
    /// assert!(!d.verify("wonderland"));
    /// ```
    pub fn dummy(&self) -> Result<Self, HashError> {
        Self::dummy_of(self.class())
    }

    /// A hash of a random password in `class`.
    pub(crate) fn dummy_of((format, cost): Class) -> Result<Self, HashError> {
        let random: [u8; 16] = rand::random();
        let password = STANDARD.encode(random);
        Self::generate_with_cost(format, &password, cost)
    }

    /// A `{SHA}` hash of a random password; cannot fail.
    pub(crate) fn sha1_dummy() -> Self {
        let random: [u8; 16] = rand::random();
        let digest: [u8; 20] = Sha1::digest(random).into();
        Self {
            format: HashFormat::Sha1,
            encoded: format!("{{SHA}}{}", STANDARD.encode(digest)),
            detail: Detail::Sha1(digest),
        }
    }

    /// The bcrypt cost or sha-crypt rounds, when the format has one.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::PasswordHash;
    /// let bcrypt = PasswordHash::parse("$2y$04$Rf347glzB7CbVrTl660DkeEXGQTowctum91EMfiFuPiakLmybpk8C").unwrap();
    /// assert_eq!(bcrypt.cost(), Some(4));
    /// let sha1 = PasswordHash::parse("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=").unwrap();
    /// assert_eq!(sha1.cost(), None);
    /// ```
    pub fn cost(&self) -> Option<u32> {
        match self.detail {
            Detail::Cost(c) => Some(c),
            _ => None,
        }
    }

    /// The format and cost: every hash of one class takes the same time to
    /// verify.
    pub(crate) fn class(&self) -> Class {
        (self.format, self.cost())
    }
}

/// A hash format and its cost (bcrypt cost or sha-crypt rounds), when it
/// has one.
pub(crate) type Class = (HashFormat, Option<u32>);

/// The rough time, in nanoseconds on one core, of verifying a password
/// against a hash of `class`, from the `basic_miss` benchmark (x86-64):
/// bcrypt 72 us per 2^cost, sha512-crypt 0.5 us and sha256-crypt 0.16 us
/// per round, `$apr1$` 0.3 ms, `{SHA}` 0.1 us. Only the order matters: it
/// picks the most expensive class of a store for its dummy hash, and
/// formats far apart in cost are far apart on any machine.
fn estimated_work((format, cost): Class) -> u64 {
    // Neither bcrypt (at most 31) nor sha-crypt (at most 999999999) comes
    // near overflowing; saturate anyway.
    let rounds = |default: u32| u64::from(cost.unwrap_or(default));
    match format {
        HashFormat::Bcrypt => 72_000u64.saturating_mul(1u64 << rounds(DEFAULT_BCRYPT_COST).min(40)),
        HashFormat::Sha256Crypt => 160u64.saturating_mul(rounds(5000)),
        HashFormat::Sha512Crypt => 500u64.saturating_mul(rounds(5000)),
        HashFormat::Apr1 => 300_000,
        HashFormat::Sha1 => 100,
        HashFormat::Plaintext => 200,
    }
}

/// Orders classes by [`estimated_work`]; ties (two classes estimated alike)
/// go to bcrypt, then to the higher cost, so that the dearest class of a
/// store does not depend on the order its users came in.
pub(crate) fn dearness(class: Class) -> (u64, bool, Option<u32>) {
    (
        estimated_work(class),
        class.0 == HashFormat::Bcrypt,
        class.1,
    )
}

/// Constant time in the content: a hash is a secret (it can be attacked
/// offline), so `==` must not tell how long a common prefix two hashes have.
/// `detail` is derived from `encoded` and needs no comparison of its own.
impl PartialEq for PasswordHash {
    fn eq(&self, other: &Self) -> bool {
        (self.format == other.format)
            & authscheme::ct_eq(self.encoded.as_bytes(), other.encoded.as_bytes())
    }
}

impl Eq for PasswordHash {}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PasswordHash({})", self.format.name())
    }
}

/// Checks `[rounds=N$]salt$hash` and returns the rounds (5000 by default).
fn sha_crypt_rounds(rest: &str, hash_len: usize) -> Option<u32> {
    let (rounds, rest) = match rest.strip_prefix("rounds=") {
        Some(r) => {
            let (n, rest) = r.split_once('$')?;
            let n: u32 = n.parse().ok()?;
            (n, rest)
        }
        None => (sha_crypt::ROUNDS_DEFAULT as u32, rest),
    };
    if !(sha_crypt::ROUNDS_MIN as u32..=sha_crypt::ROUNDS_MAX as u32).contains(&rounds) {
        return None;
    }
    let (salt, hash) = rest.split_once('$')?;
    let ok = |s: &str| s.bytes().all(|b| apr1::CRYPT_ALPHABET.contains(&b));
    (salt.len() <= 16 && ok(salt) && hash.len() == hash_len && ok(hash)).then_some(rounds)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Hashes made by Apache's `htpasswd -nb{m,s,2,5,B}` for the password
    /// "Secret, or not?".
    const SAMPLES: &[(&str, HashFormat)] = &[
        ("$apr1$17uLjYbP$pU8cX0H.vR3bOgO5JARcT/", HashFormat::Apr1),
        ("{SHA}YgO7o92Gar75iU4eu6fqQd9MI6c=", HashFormat::Sha1),
        (
            "$5$JIllHxSLlF9UTD52$cWJVF3WgaE5IHPfuoAqHCG67CfnN.zstNhyv0sZV9g0",
            HashFormat::Sha256Crypt,
        ),
        (
            "$6$qiTZK6omdK71tvWb$Rx8cnaUmvXT4SRdB5vfQ8YG5gucFtPtVHVj5OTzhkXjAwR2li7GO/UaZF5yyZu9v5Q7amvTPGNEGH.kSn1p4./",
            HashFormat::Sha512Crypt,
        ),
        (
            "$2y$04$Rf347glzB7CbVrTl660DkeEXGQTowctum91EMfiFuPiakLmybpk8C",
            HashFormat::Bcrypt,
        ),
    ];

    #[test]
    fn verifies_known_hashes() {
        for (encoded, format) in SAMPLES {
            let h = PasswordHash::parse(encoded).unwrap();
            assert_eq!(h.format(), *format);
            assert!(h.verify("Secret, or not?"), "{encoded}");
            assert!(!h.verify("Secret, or not"), "{encoded}");
        }
    }

    #[test]
    fn round_trips_every_format() {
        for format in [
            HashFormat::Bcrypt,
            HashFormat::Sha256Crypt,
            HashFormat::Sha512Crypt,
            HashFormat::Apr1,
            HashFormat::Sha1,
            HashFormat::Plaintext,
        ] {
            let cost = (format == HashFormat::Bcrypt).then_some(4);
            let h = PasswordHash::generate_with_cost(format, "pa:ss wörd", cost).unwrap();
            assert_eq!(h.format(), format);
            assert!(h.verify("pa:ss wörd"));
            assert!(!h.verify("pa:ss word"));
            let d = h.dummy().unwrap();
            assert_eq!(d.format(), format);
            assert_eq!(d.cost(), h.cost());
            assert!(!d.verify("pa:ss wörd"));
        }
    }

    #[test]
    fn refuses_plaintext_and_broken_hashes() {
        assert_eq!(PasswordHash::parse("hunter2"), Err(HashError::Unsupported));
        assert_eq!(
            PasswordHash::parse("{SHA}abc"),
            Err(HashError::Malformed("{SHA}"))
        );
        assert_eq!(
            PasswordHash::parse("$apr1$toolongsalt$pU8cX0H.vR3bOgO5JARcT/"),
            Err(HashError::Malformed("apr1"))
        );
        assert_eq!(
            PasswordHash::parse("$2y$05$short"),
            Err(HashError::Malformed("bcrypt"))
        );
        assert_eq!(
            PasswordHash::parse("$6$rounds=1$salt$x"),
            Err(HashError::Malformed("sha512-crypt"))
        );
        assert!(
            PasswordHash::parse_with("hunter2", true)
                .unwrap()
                .verify("hunter2")
        );
    }

    /// `==` takes as long when two long stored values differ in their
    /// first octet as when they differ in their last.
    #[test]
    fn equality_is_constant_time_in_the_content() {
        let secret = "p".repeat(1 << 18);
        let plain = |s: &str| PasswordHash::parse_with(s, true).unwrap();
        let a = plain(&secret);
        let differs_first = plain(&format!("q{}", &secret[1..]));
        let differs_last = plain(&format!("{}q", &secret[1..]));
        assert!(a == a.clone() && a != differs_first && a != differs_last);
        let (early, late) =
            crate::tests_timing::fastest_pair(|| a == differs_first, || a == differs_last);
        assert!(
            late < early * 4.0 && early < late * 4.0,
            "first octet differs: {early:.1} us, last octet: {late:.1} us"
        );
    }

    #[test]
    fn debug_hides_the_hash() {
        let h = PasswordHash::parse("{SHA}YgO7o92Gar75iU4eu6fqQd9MI6c=").unwrap();
        assert_eq!(format!("{h:?}"), "PasswordHash(sha1)");
    }
}
