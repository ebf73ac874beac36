//! Decoding and encoding the Basic token68: `base64(user-id ":" password)`.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose::STANDARD};

use crate::error::DecodeError;

/// The standard alphabet, with or without `=` padding: RFC 7617 refers to
/// RFC 4648 section 4, and clients that strip the padding exist.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The longest token68 accepted. 4 KiB decodes to 3 KiB of user-id and
/// password, far above any real credentials, and bounds the work an
/// attacker can cause before the store is even asked.
pub(crate) const MAX_TOKEN68: usize = 4096;

/// Decoded Basic credentials: a user-id and a password, both UTF-8.
///
/// `Debug` shows the user-id and hides the password. `==` compares in
/// constant time ([`authscheme::ct_eq`]: the time depends on the lengths
/// only, not on where two passwords differ).
///
/// # Examples
///
/// ```
/// use authscheme_basic::BasicCredentials;
/// let c = BasicCredentials::decode("QWxhZGRpbjpvcGVuIHNlc2FtZQ==").unwrap();
/// assert_eq!(c.user(), "Aladdin");
/// assert_eq!(c.password(), "open sesame");
/// assert!(!format!("{c:?}").contains("sesame"));
/// assert_eq!(c, BasicCredentials::new("Aladdin", "open sesame").unwrap());
/// assert_ne!(c, BasicCredentials::new("Aladdin", "open sesamE").unwrap());
/// ```
#[derive(Clone)]
pub struct BasicCredentials {
    /// `user-id ":" password`, kept in one buffer.
    joined: String,
    /// The index of the first colon in `joined`.
    colon: usize,
}

impl BasicCredentials {
    /// Decodes a token68 (without the `Basic ` prefix).
    ///
    /// The user-id ends at the first colon; everything after it, colons
    /// included, is the password.
    ///
    /// # Errors
    ///
    /// [`DecodeError`] when the token is too long or not base64, or when
    /// the decoded text lacks a colon or holds a control character. Octets
    /// that are not UTF-8 are read as ISO-8859-1 (see the crate docs).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{BasicCredentials, DecodeError};
    /// // "bob:pass:with:colons", with the `=` padding left out.
    /// let c = BasicCredentials::decode("Ym9iOnBhc3M6d2l0aDpjb2xvbnM").unwrap();
    /// assert_eq!((c.user(), c.password()), ("bob", "pass:with:colons"));
    /// // "nocolon"
    /// assert_eq!(BasicCredentials::decode("bm9jb2xvbg==").unwrap_err(), DecodeError::NoColon);
    /// ```
    pub fn decode(token68: &str) -> Result<Self, DecodeError> {
        if token68.len() > MAX_TOKEN68 {
            return Err(DecodeError::TooLong);
        }
        let bytes = LENIENT
            .decode(token68.as_bytes())
            .map_err(|_| DecodeError::NotBase64)?;
        let joined = text(bytes);
        let colon = split(&joined)?.0.len();
        Ok(Self { joined, colon })
    }

    /// Credentials from a user-id and password, checked as a client must
    /// check them before sending.
    ///
    /// # Errors
    ///
    /// [`DecodeError::NoColon`] is never returned here;
    /// [`DecodeError::ColonInUserId`] when the user-id holds a colon and
    /// [`DecodeError::ControlCharacter`] when either part holds a control
    /// character.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{BasicCredentials, DecodeError};
    /// let c = BasicCredentials::new("Aladdin", "open sesame").unwrap();
    /// assert_eq!(c.encode(), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    /// assert_eq!(BasicCredentials::new("a:b", "c").unwrap_err(), DecodeError::ColonInUserId);
    /// assert_eq!(BasicCredentials::new("a", "b\tc").unwrap_err(), DecodeError::ControlCharacter);
    /// ```
    pub fn new(user: &str, password: &str) -> Result<Self, DecodeError> {
        if user.contains(':') {
            return Err(DecodeError::ColonInUserId);
        }
        if has_control(user) || has_control(password) {
            return Err(DecodeError::ControlCharacter);
        }
        Ok(Self {
            joined: format!("{user}:{password}"),
            colon: user.len(),
        })
    }

    /// The user-id.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::BasicCredentials;
    /// let c = BasicCredentials::decode("QWxhZGRpbjpvcGVuIHNlc2FtZQ==").unwrap();
    /// assert_eq!(c.user(), "Aladdin");
    /// ```
    pub fn user(&self) -> &str {
        &self.joined[..self.colon]
    }

    /// The password; call only where it is checked.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::BasicCredentials;
    /// let c = BasicCredentials::new("alice", "pa:ss word").unwrap();
    /// assert_eq!(c.password(), "pa:ss word");
    /// ```
    pub fn password(&self) -> &str {
        &self.joined[self.colon + 1..]
    }

    /// The token68 to send: base64 of the UTF-8 `user-id:password`, padded.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::BasicCredentials;
    /// // The example of RFC 7617 section 2.1: "test:123£" in UTF-8.
    /// let c = BasicCredentials::new("test", "123£").unwrap();
    /// assert_eq!(c.encode(), "dGVzdDoxMjPCow==");
    /// assert_eq!(BasicCredentials::decode(&c.encode()).unwrap(), c);
    /// ```
    pub fn encode(&self) -> String {
        STANDARD.encode(self.joined.as_bytes())
    }
}

/// Constant time in the content: `==` must not tell an attacker how long a
/// prefix of the password they guessed is right.
impl PartialEq for BasicCredentials {
    fn eq(&self, other: &Self) -> bool {
        // Both `&`, not `&&`: no early exit on the position of the colon.
        (self.colon == other.colon)
            & authscheme::ct_eq(self.joined.as_bytes(), other.joined.as_bytes())
    }
}

impl Eq for BasicCredentials {}

impl fmt::Debug for BasicCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicCredentials")
            .field("user", &self.user())
            .field("password", &"<redacted>")
            .finish()
    }
}

/// The decoded octets as text, read as the core reads header octets
/// ([`text_or_latin1`](authscheme::syntax::text_or_latin1)): UTF-8 when
/// they are UTF-8 (what `charset="UTF-8"` asks for), ISO-8859-1 otherwise.
/// RFC 7617 leaves the encoding open without the charset parameter:
/// "test:123£" from a client that ignores it arrives as
/// `74 65 73 74 3a 31 32 33 a3`.
fn text(octets: Vec<u8>) -> String {
    // Valid UTF-8 (nearly always) keeps its buffer.
    String::from_utf8(octets)
        .unwrap_or_else(|e| authscheme::syntax::text_or_latin1(e.as_bytes()).into_owned())
}

/// Splits decoded text at the first colon and checks both parts for
/// control characters (RFC 7617 section 2).
fn split(text: &str) -> Result<(&str, &str), DecodeError> {
    if has_control(text) {
        return Err(DecodeError::ControlCharacter);
    }
    text.split_once(':').ok_or(DecodeError::NoColon)
}

/// C0 controls, DEL and the C1 controls (U+0080..U+009F): RFC 5234's CTL,
/// and the controls the PRECIS profiles behind `charset="UTF-8"` refuse.
fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn first_colon_splits() {
        let c = BasicCredentials::decode("Ym9iOnBhc3M6d2l0aDpjb2xvbnM=").unwrap();
        assert_eq!(c.user(), "bob");
        assert_eq!(c.password(), "pass:with:colons");
    }

    #[test]
    fn padding_is_optional() {
        let c = BasicCredentials::decode("QWxhZGRpbjpvcGVuIHNlc2FtZQ").unwrap();
        assert_eq!(c.password(), "open sesame");
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(
            BasicCredentials::decode("!!!!").unwrap_err(),
            DecodeError::NotBase64
        );
        // "nocolon"
        assert_eq!(
            BasicCredentials::decode("bm9jb2xvbg==").unwrap_err(),
            DecodeError::NoColon
        );
        // "a:\n"
        assert_eq!(
            BasicCredentials::decode(&STANDARD.encode("a:b\n")).unwrap_err(),
            DecodeError::ControlCharacter
        );
        assert_eq!(
            BasicCredentials::decode(&STANDARD.encode("a:\u{85}")).unwrap_err(),
            DecodeError::ControlCharacter
        );
        // Not UTF-8: read as ISO-8859-1, where 0x85 is a C1 control.
        assert_eq!(
            BasicCredentials::decode(&STANDARD.encode(b"a:\xff"))
                .unwrap()
                .password(),
            "\u{ff}"
        );
        assert_eq!(
            BasicCredentials::decode(&STANDARD.encode(b"a:\x85")).unwrap_err(),
            DecodeError::ControlCharacter
        );
        assert_eq!(
            BasicCredentials::decode(&"A".repeat(MAX_TOKEN68 + 4)).unwrap_err(),
            DecodeError::TooLong
        );
    }

    /// `==` takes as long when two long passwords differ in their first
    /// octet as when they differ in their last (a derived `==` stops at the
    /// first difference). The fastest of many runs is compared, which
    /// scheduling noise only ever makes slower.
    #[test]
    fn equality_is_constant_time_in_the_content() {
        let password = "p".repeat(1 << 18);
        let first = format!("q{}", &password[1..]);
        let last = format!("{}q", &password[1..]);
        let a = BasicCredentials::new("alice", &password).unwrap();
        let differs_first = BasicCredentials::new("alice", &first).unwrap();
        let differs_last = BasicCredentials::new("alice", &last).unwrap();
        assert!(a == a.clone() && a != differs_first && a != differs_last);
        let (early, late) =
            crate::tests_timing::fastest_pair(|| a == differs_first, || a == differs_last);
        assert!(
            late < early * 4.0 && early < late * 4.0,
            "first octet differs: {early:.1} us, last octet: {late:.1} us"
        );
    }

    #[test]
    fn new_refuses_colon_in_user() {
        assert_eq!(
            BasicCredentials::new("a:b", "c").unwrap_err(),
            DecodeError::ColonInUserId
        );
        assert_eq!(
            BasicCredentials::new("a", "pa:ss").unwrap().encode(),
            "YTpwYTpzcw=="
        );
    }
}
