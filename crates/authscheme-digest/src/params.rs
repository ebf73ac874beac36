//! Reading the parameters of Digest credentials (RFC 7616 section 3.4) into
//! a typed [`DigestResponse`], without allocating.

use std::borrow::Cow;

use authscheme::{Credentials, Params};

use crate::algorithm::Algorithm;
use crate::compute::Qop;
use crate::error::DigestError;

/// How the client named the user.
///
/// The octets of `username="..."` are read as UTF-8 when they are UTF-8
/// ([`Username::Plain`]) and as ISO-8859-1 otherwise ([`Username::Latin1`]);
/// [`Username::lookup_name`] gives the name to look the user up by. See
/// [`Username::Latin1`] for why, and why no two users can be confused.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{DigestResponse, Username};
/// let username_is = |username: &str, expected: Username<'_>| {
///     let value = format!(r#"Digest {username}, realm="r", nonce="n", uri="/", response="0""#);
///     DigestResponse::parse_with(value.as_bytes(), |r| r.username == expected).unwrap()
/// };
/// assert!(username_is(r#"username="Mufasa""#, Username::Plain("Mufasa")));
/// assert!(username_is("username*=UTF-8''J%C3%A4s%C3%B8n%20Doe", Username::Extended("Jäsøn Doe")));
/// let hash = "4238f3a16167373febb9bc4d43db9cc4";
/// assert!(username_is(&format!(r#"username="{hash}", userhash=true"#), Username::Hashed(hash)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Username<'a> {
    /// `username="..."`: the name itself (UTF-8 octets in the quoted string).
    /// Octets that are UTF-8 are always read this way, never as
    /// ISO-8859-1.
    Plain(&'a str),
    /// `username*=UTF-8''...` (RFC 8187), already decoded.
    Extended(&'a str),
    /// `username="<hex>"` with `userhash=true`: `H(user ":" realm)`.
    Hashed(&'a str),
    /// `username="..."` whose octets are not UTF-8, without `userhash`: the
    /// octets as sent, to be read as ISO-8859-1 (each octet is the code
    /// point of its value) by [`Username::lookup_name`].
    ///
    /// RFC 7616 section 4 has a client send a name that a quoted-string
    /// cannot carry as `username*` (RFC 8187), encoded in UTF-8 as
    /// `charset=UTF-8` asks. Python's `requests` (`HTTPDigestAuth`) sends
    /// the name in the quoted-string anyway, and `http.client` encodes
    /// header values as ISO-8859-1, so "Jäsøn Doe" arrives as
    /// `J\xe4s\xf8n Doe`; it computes HA1 from the UTF-8 name all the same.
    /// Node's `http` module sends header strings the same way. Reading such
    /// octets as ISO-8859-1 finds the user, and the response is then
    /// checked against the stored HA1 as for any other name.
    ///
    /// This names nobody else: octets that are UTF-8 are read as UTF-8
    /// only, and the ISO-8859-1 reading of octets that are not is one name
    /// (different octets, different names). It only gives a second
    /// spelling of a name whose characters are all below U+0100; which user
    /// is looked up still needs that user's password to verify.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{DigestResponse, Username};
    /// let value = b"Digest username=\"J\xe4s\xf8n Doe\", realm=\"r\", nonce=\"n\", uri=\"/\", response=\"0\"";
    /// DigestResponse::parse_with(value, |r| {
    ///     assert_eq!(r.username, Username::Latin1(b"J\xe4s\xf8n Doe"));
    ///     assert_eq!(r.username.lookup_name().as_deref(), Some("J\u{e4}s\u{f8}n Doe"));
    /// })
    /// .unwrap();
    /// ```
    Latin1(&'a [u8]),
    /// `username="..."` with `userhash=true` whose octets are not UTF-8, so
    /// no userhash (which is hex). No user has it: it is verified as an
    /// unknown user, so the answer is a 401 that lets a browser ask again,
    /// not a 400.
    Unreadable,
}

impl<'a> Username<'a> {
    /// The name to look the user up by: the name itself for
    /// [`Plain`](Username::Plain) and [`Extended`](Username::Extended), the
    /// ISO-8859-1 reading of the octets for [`Latin1`](Username::Latin1),
    /// and `None` for [`Hashed`](Username::Hashed) (the store finds the
    /// name by its hash) and [`Unreadable`](Username::Unreadable).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Username;
    /// assert_eq!(Username::Plain("Jäsøn Doe").lookup_name().as_deref(), Some("Jäsøn Doe"));
    /// // ISO-8859-1 octets, as Python requests sends them.
    /// let latin1 = Username::Latin1(b"J\xe4s\xf8n Doe");
    /// assert_eq!(latin1.lookup_name().as_deref(), Some("Jäsøn Doe"));
    /// assert_eq!(Username::Hashed("4238f3a1").lookup_name(), None);
    /// assert_eq!(Username::Unreadable.lookup_name(), None);
    /// ```
    pub fn lookup_name(&self) -> Option<Cow<'a, str>> {
        match *self {
            Username::Plain(name) | Username::Extended(name) => Some(Cow::Borrowed(name)),
            Username::Latin1(octets) => Some(authscheme::syntax::text_or_latin1(octets)),
            Username::Hashed(_) | Username::Unreadable => None,
        }
    }
}

/// The parameters of one Digest `Authorization` value, checked for presence
/// and form but not yet verified.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{Algorithm, DigestResponse, Qop, Username};
/// let creds = authscheme::Credentials::parse(br#"Digest username="Mufasa", realm="r", nonce="n", uri="/", qop=auth, nc=0000000a, cnonce="c", response="abc""#).unwrap();
/// let r = DigestResponse::from_params(creds.params()).unwrap();
/// assert_eq!(r.username, Username::Plain("Mufasa"));
/// assert_eq!(r.algorithm, Algorithm::Md5);
/// assert_eq!(r.qop, Some(Qop::Auth));
/// assert_eq!(r.nc, Some(10));
/// assert!(DigestResponse::parse_with(b"Digest username=\"x\"", |_| ()).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DigestResponse<'a> {
    /// The user, as named.
    pub username: Username<'a>,
    /// `realm`.
    pub realm: &'a str,
    /// `nonce`.
    pub nonce: &'a str,
    /// `uri`: the request-target the client signed.
    pub uri: &'a str,
    /// `response`: the request digest in hex.
    pub response: &'a str,
    /// `algorithm`, `MD5` when absent.
    pub algorithm: Algorithm,
    /// `qop`, absent only from RFC 2069 clients.
    pub qop: Option<Qop>,
    /// `qop` as sent: its case may differ from [`Qop::as_str`] (`AUTH`),
    /// and the client hashed it as sent.
    pub qop_text: Option<&'a str>,
    /// `nc` as sent (eight hex digits), present with qop.
    pub nc_text: Option<&'a str>,
    /// `nc` as a number.
    pub nc: Option<u32>,
    /// `cnonce`, present with qop.
    pub cnonce: Option<&'a str>,
    /// `opaque`, if sent.
    pub opaque: Option<&'a str>,
}

/// The slot of each parameter in [`NAMES`] and in [`Fields`].
mod slot {
    pub(super) const USERNAME: usize = 0;
    pub(super) const USERNAME_EXT: usize = 1;
    pub(super) const REALM: usize = 2;
    pub(super) const NONCE: usize = 3;
    pub(super) const URI: usize = 4;
    pub(super) const RESPONSE: usize = 5;
    pub(super) const ALGORITHM: usize = 6;
    pub(super) const QOP: usize = 7;
    pub(super) const NC: usize = 8;
    pub(super) const CNONCE: usize = 9;
    pub(super) const OPAQUE: usize = 10;
    pub(super) const USERHASH: usize = 11;
}

/// The parameters RFC 7616 defines for credentials, by slot.
const NAMES: [&str; 12] = [
    "username",
    "username*",
    "realm",
    "nonce",
    "uri",
    "response",
    "algorithm",
    "qop",
    "nc",
    "cnonce",
    "opaque",
    "userhash",
];

/// The known parameters of one credentials value, by slot of [`NAMES`].
struct Fields<'a> {
    /// The values that are UTF-8 (nearly all: a parsed UTF-8 header hands
    /// them out as text already).
    text: [Option<&'a str>; 12],
    /// Slots present (the first parameter of each name counts; the core
    /// parser already refuses duplicates).
    present: u16,
    /// Slots present whose value is not UTF-8.
    not_utf8: u16,
    /// The octets of `username` when they are not UTF-8.
    username_octets: &'a [u8],
}

impl<'a> Fields<'a> {
    /// Finds every known parameter in one pass.
    fn collect(params: &'a Params<'_>) -> Self {
        let mut fields = Fields {
            text: [None; 12],
            present: 0,
            not_utf8: 0,
            username_octets: &[],
        };
        for p in params {
            let Some(i) = slot_of(p.name()) else { continue };
            let bit = 1 << i;
            if fields.present & bit != 0 {
                continue;
            }
            fields.present |= bit;
            match p.value_str() {
                Some(text) => fields.text[i] = Some(text),
                None => {
                    fields.not_utf8 |= bit;
                    if i == slot::USERNAME {
                        fields.username_octets = p.value();
                    }
                }
            }
        }
        fields
    }

    fn has(&self, slot: usize) -> bool {
        self.present & (1 << slot) != 0
    }

    /// The value in `slot` as text, `None` when absent, an error when it is
    /// not UTF-8.
    #[inline]
    fn text(&self, slot: usize) -> Result<Option<&'a str>, DigestError> {
        if self.not_utf8 & (1 << slot) != 0 {
            return Err(DigestError::Malformed(name_not_utf8(NAMES[slot])));
        }
        Ok(self.text[slot])
    }

    /// As [`Fields::text`], and an error when absent.
    fn required(&self, slot: usize) -> Result<&'a str, DigestError> {
        self.text(slot)?.ok_or_else(|| {
            DigestError::Malformed(match NAMES[slot] {
                "realm" => "realm is missing",
                "nonce" => "nonce is missing",
                "uri" => "uri is missing",
                "response" => "response is missing",
                _ => "a required parameter is missing",
            })
        })
    }
}

/// The slot of a parameter name in [`NAMES`]. Clients write the names in
/// lowercase, which the literal patterns catch with a few comparisons of
/// known length; any other spelling is looked up ignoring case.
fn slot_of(name: &str) -> Option<usize> {
    let exact = match name.as_bytes() {
        b"username" => Some(slot::USERNAME),
        b"username*" => Some(slot::USERNAME_EXT),
        b"realm" => Some(slot::REALM),
        b"nonce" => Some(slot::NONCE),
        b"uri" => Some(slot::URI),
        b"response" => Some(slot::RESPONSE),
        b"algorithm" => Some(slot::ALGORITHM),
        b"qop" => Some(slot::QOP),
        b"nc" => Some(slot::NC),
        b"cnonce" => Some(slot::CNONCE),
        b"opaque" => Some(slot::OPAQUE),
        b"userhash" => Some(slot::USERHASH),
        _ => None,
    };
    exact.or_else(|| NAMES.iter().position(|n| name.eq_ignore_ascii_case(n)))
}

fn name_not_utf8(name: &str) -> &'static str {
    match name {
        "username" => "username is not UTF-8",
        "realm" => "realm is not UTF-8",
        "uri" => "uri is not UTF-8",
        _ => "a parameter is not UTF-8",
    }
}

impl<'a> DigestResponse<'a> {
    /// Parses a whole `Authorization` value (`Digest ...`) and hands the
    /// result to `f` (the parameters may have been unescaped into a buffer
    /// that lives only for this call). Never panics, whatever the input:
    /// this is the entry point for fuzzing.
    ///
    /// # Errors
    ///
    /// [`DigestError::Malformed`] when the value is not Digest credentials
    /// with every required parameter.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::DigestResponse;
    /// let uri = DigestResponse::parse_with(
    ///     br#"Digest username="a", realm="r", nonce="n", uri="/x\"y", response="0""#,
    ///     |r| r.uri.to_owned(),
    /// ).unwrap();
    /// assert_eq!(uri, "/x\"y");
    /// ```
    pub fn parse_with<R>(
        value: &[u8],
        f: impl FnOnce(DigestResponse<'_>) -> R,
    ) -> Result<R, DigestError> {
        let creds = Credentials::parse(value)
            .map_err(|_| DigestError::Malformed("not a credentials value"))?;
        if !creds.scheme().is("digest") {
            return Err(DigestError::Malformed("not the Digest scheme"));
        }
        DigestResponse::from_params(creds.params()).map(f)
    }

    /// Reads the parameters of parsed credentials.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Credentials;
    /// use authscheme_digest::{Algorithm, DigestError, DigestResponse};
    /// let creds = Credentials::parse(br#"Digest username="alice", realm="api", nonce="n", uri="/a", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="c", response="0""#).unwrap();
    /// let r = DigestResponse::from_params(creds.params()).unwrap();
    /// assert_eq!((r.realm, r.uri, r.algorithm), ("api", "/a", Algorithm::Sha256));
    /// let no_nc = Credentials::parse(br#"Digest username="alice", realm="api", nonce="n", uri="/a", qop=auth, response="0""#).unwrap();
    /// let err = DigestResponse::from_params(no_nc.params()).unwrap_err();
    /// assert!(matches!(err, DigestError::Malformed("qop without nc and cnonce")));
    /// ```
    ///
    /// # Errors
    ///
    /// [`DigestError::Malformed`] naming the first problem.
    pub fn from_params(params: &'a Params<'_>) -> Result<Self, DigestError> {
        let f = Fields::collect(params);
        let userhash = match f.text[slot::USERHASH] {
            None if !f.has(slot::USERHASH) => false,
            Some(v) if v.eq_ignore_ascii_case("true") => true,
            Some(v) if v.eq_ignore_ascii_case("false") => false,
            _ => return Err(DigestError::Malformed("userhash is neither true nor false")),
        };
        // A username that is not UTF-8 is read as ISO-8859-1 (see
        // `Username::Latin1`), unless it stands for a userhash.
        let plain = f.has(slot::USERNAME).then_some(f.text[slot::USERNAME]);
        let username = match (plain, f.text(slot::USERNAME_EXT)?) {
            (Some(_), Some(_)) => {
                return Err(DigestError::Malformed("both username and username*"));
            }
            (None, None) => return Err(DigestError::Malformed("username is missing")),
            (Some(None), None) if userhash => Username::Unreadable,
            (Some(None), None) => Username::Latin1(f.username_octets),
            (Some(Some(hash)), None) if userhash => Username::Hashed(hash),
            (Some(Some(name)), None) => Username::Plain(name),
            (None, Some(_)) if userhash => {
                return Err(DigestError::Malformed("username* with userhash=true"));
            }
            (None, Some(name)) => Username::Extended(name),
        };
        let algorithm = match f.text(slot::ALGORITHM)? {
            None => Algorithm::Md5,
            Some(a) => Algorithm::parse(a).ok_or(DigestError::Malformed("unknown algorithm"))?,
        };
        let qop_text = f.text(slot::QOP)?;
        let qop = match qop_text {
            None => None,
            Some(q) => Some(Qop::parse(q).ok_or(DigestError::Malformed("unknown qop"))?),
        };
        let nc_text = f.text(slot::NC)?;
        let cnonce = f.text(slot::CNONCE)?;
        let nc = match nc_text {
            None => None,
            Some(t) => Some(parse_nc(t)?),
        };
        if qop.is_some() && (nc.is_none() || cnonce.is_none_or(str::is_empty)) {
            return Err(DigestError::Malformed("qop without nc and cnonce"));
        }
        Ok(Self {
            username,
            realm: f.required(slot::REALM)?,
            nonce: f.required(slot::NONCE)?,
            uri: f.required(slot::URI)?,
            response: f.required(slot::RESPONSE)?,
            algorithm,
            qop,
            qop_text,
            nc_text,
            nc,
            cnonce,
            opaque: f.text(slot::OPAQUE)?,
        })
    }
}

/// `nc`: exactly eight hex digits, not zero.
fn parse_nc(text: &str) -> Result<u32, DigestError> {
    let not_hex = || DigestError::Malformed("nc is not eight hex digits");
    if text.len() != 8 {
        return Err(not_hex());
    }
    let mut n = 0u32;
    for b in text.bytes() {
        let digit = char::from(b).to_digit(16).ok_or_else(not_hex)?;
        n = (n << 4) | digit;
    }
    if n == 0 {
        return Err(DigestError::Malformed("nc is zero"));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_finds_its_slot_in_any_case() {
        for (slot, name) in NAMES.iter().enumerate() {
            assert_eq!(slot_of(name), Some(slot), "{name}");
            assert_eq!(slot_of(&name.to_ascii_uppercase()), Some(slot), "{name}");
        }
        assert_eq!(slot_of("UserName"), Some(0));
        assert_eq!(slot_of("Nc"), Some(8));
    }

    #[test]
    fn other_names_find_no_slot() {
        for name in [
            "",
            "n",
            "nx",
            "usernamf",
            "usernames",
            "userhasH*",
            "realms",
            "nonc",
            "nonce*",
            "uri*",
            "url",
            "responsE2",
            "algorithn",
            "qos",
            "cnoncE*",
            "opaquE2",
            "userhasx",
            "auth-param",
            "charset",
        ] {
            assert_eq!(slot_of(name), None, "{name}");
        }
    }
}
