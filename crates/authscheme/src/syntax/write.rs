//! Writing challenges, credentials and parameter lists.
//!
//! Values are written as a token when they are one and nothing asks for
//! quotes; `realm` is always quoted (RFC 9110 section 11.5). Quoted-strings
//! escape `"` and `\`. Ext-value parameters (`name*`) are encoded per RFC 8187.

use http::HeaderValue;
use smallvec::SmallVec;

use super::{any_octet, encode_ext_value, has_control, is_control, is_token, same_name};
use crate::auth_value::{AuthValue, Challenge};
use crate::error::InvalidValue;
use crate::param::Param;
use crate::param_list::Params;
use crate::scheme_name::SchemeName;

/// Appends one challenge or credentials value.
pub(crate) fn write_auth_value(value: &AuthValue<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(value.scheme.as_str().as_bytes());
    if let Some(token68) = &value.token68 {
        out.push(b' ');
        out.extend_from_slice(token68.as_bytes());
    } else if !value.params.is_empty() {
        out.push(b' ');
        write_params(&value.params, out);
    }
}

/// Appends `name=value, name=value`.
///
/// # Examples
///
/// ```
/// use authscheme::{syntax, Param, Params};
/// let mut params = Params::new();
/// params.set(Param::new("nc", "00000001").unwrap());
/// params.set(Param::new("rspauth", "a \"b\"").unwrap());
/// let mut out = Vec::new();
/// syntax::write_params(&params, &mut out);
/// assert_eq!(out, br#"nc=00000001, rspauth="a \"b\"""#);
/// ```
pub fn write_params(params: &Params<'_>, out: &mut Vec<u8>) {
    for (i, param) in params.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        write_param_parts(param.name(), param.value(), param.is_quoted(), out);
    }
}

/// Appends `name=value`: an ext-value when the name ends in `*`, a token
/// when the value is one and neither `quoted` nor the name (`realm`) asks
/// for quotes, a quoted-string otherwise. The caller has checked what
/// [`Param`] checks.
fn write_param_parts(name: &str, value: &[u8], quoted: bool, out: &mut Vec<u8>) {
    match plain_form(name, value, quoted) {
        Some(form) => form.write(name, value, out),
        None => write_encoded(name, value, out),
    }
}

/// Appends a checked parameter that is not in a [`PlainForm`]: an
/// ext-value, or a quoted-string with escapes.
fn write_encoded(name: &str, value: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(name.as_bytes());
    out.push(b'=');
    if name.ends_with('*') {
        // Callers guarantee UTF-8 for ext-values.
        encode_ext_value(super::as_text(value).unwrap_or_default(), out);
        return;
    }
    write_escaped(value, out);
}

/// Appends `value` as a quoted-string, escaping `"` and `\\` where it holds
/// them: for senders that compose a field value of a fixed form around a
/// value that is not their own (a Digest server echoing the client's
/// cnonce in `Authentication-Info`).
///
/// # Errors
///
/// [`InvalidValue`] when `value` holds a control character other than HTAB,
/// which no quoted-string can carry.
///
/// # Examples
///
/// ```
/// let mut out = b"cnonce=".to_vec();
/// authscheme::syntax::write_quoted_string(br#"a"b"#, &mut out).unwrap();
/// assert_eq!(out, br#"cnonce="a\"b""#);
/// assert!(authscheme::syntax::write_quoted_string(b"a\nb", &mut out).is_err());
/// ```
pub fn write_quoted_string(value: &[u8], out: &mut Vec<u8>) -> Result<(), InvalidValue> {
    if has_control(value) {
        return Err(InvalidValue::new(
            "quoted-string",
            "control character in value",
        ));
    }
    write_escaped(value, out);
    Ok(())
}

/// `"value"` with `"` and `\\` escaped; the caller has checked that
/// `value` holds no control character.
fn write_escaped(value: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    let mut rest = value;
    while let Some(i) = memchr::memchr2(b'"', b'\\', rest) {
        out.extend_from_slice(&rest[..i]);
        out.push(b'\\');
        out.push(rest[i]);
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Writes one challenge or credentials value with auth-params straight into
/// a buffer, for senders that build a fresh value per request (a Digest
/// client) and need no [`Params`] in between. The output is what building a
/// [`Challenge`] or [`crate::Credentials`] with the same parameters and
/// writing it gives, and each parameter is checked the same way.
///
/// # Examples
///
/// ```
/// use authscheme::{syntax::AuthValueWriter, Credentials, SchemeName};
/// let mut w = AuthValueWriter::new(&SchemeName::DIGEST, 64);
/// w.quoted_param("username", b"Mufasa").unwrap();
/// w.param("nc", b"00000001").unwrap();
/// assert!(w.param("NC", b"00000002").is_err(), "a name may occur once");
/// assert!(!format!("{w:?}").contains("Mufasa"), "Debug shows names only");
/// let bytes = w.finish();
/// assert_eq!(bytes, br#"Digest username="Mufasa", nc=00000001"#);
/// let same = Credentials::builder(SchemeName::DIGEST)
///     .quoted_param("username", "Mufasa")
///     .param("nc", "00000001")
///     .build()
///     .unwrap();
/// assert_eq!(same.to_bytes(), bytes);
/// ```
pub struct AuthValueWriter {
    out: Vec<u8>,
    /// Where each parameter name written so far sits in `out`, to refuse a
    /// second parameter of the same name.
    names: SmallVec<[(u32, u32); 16]>,
    /// Written with no scheme in front ([`AuthValueWriter::param_list`]).
    list_only: bool,
}

impl AuthValueWriter {
    /// Starts a value of `scheme`, with room for about `capacity` octets.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{syntax::AuthValueWriter, SchemeName};
    /// let w = AuthValueWriter::new(&SchemeName::BASIC, 16);
    /// assert_eq!(w.finish(), b"Basic");
    /// ```
    pub fn new(scheme: &SchemeName<'_>, capacity: usize) -> Self {
        let mut out = Vec::with_capacity(capacity.max(scheme.as_str().len()));
        out.extend_from_slice(scheme.as_str().as_bytes());
        Self {
            out,
            names: SmallVec::new(),
            list_only: false,
        }
    }

    /// Starts a bare list of auth-params, with no scheme in front, as
    /// `Authentication-Info` carries (RFC 9110 section 11.6.3).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::syntax::AuthValueWriter;
    /// let mut w = AuthValueWriter::param_list(32);
    /// w.param("qop", b"auth").unwrap();
    /// w.quoted_param("rspauth", b"ab").unwrap();
    /// assert_eq!(w.into_header_value(), r#"qop=auth, rspauth="ab""#);
    /// ```
    pub fn param_list(capacity: usize) -> Self {
        Self {
            out: Vec::with_capacity(capacity),
            names: SmallVec::new(),
            list_only: true,
        }
    }

    /// A copy of what is written so far, with room for `additional` more
    /// octets: a sender writes the parameters that stay the same once and
    /// starts each value from that copy.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{syntax::AuthValueWriter, SchemeName};
    /// let mut fixed = AuthValueWriter::new(&SchemeName::DIGEST, 32);
    /// fixed.param("realm", b"api").unwrap();
    /// let mut one = fixed.clone_with_capacity(16);
    /// one.param("nc", b"00000001").unwrap();
    /// assert!(one.param("REALM", b"x").is_err());
    /// assert_eq!(one.finish(), br#"Digest realm="api", nc=00000001"#);
    /// ```
    pub fn clone_with_capacity(&self, additional: usize) -> Self {
        let mut out = Vec::with_capacity(self.out.len() + additional);
        out.extend_from_slice(&self.out);
        Self {
            out,
            names: self.names.clone(),
            list_only: self.list_only,
        }
    }

    /// Appends a parameter, as a token where the value allows it (`realm`
    /// is always quoted), as [`Param::new`] would.
    ///
    /// # Errors
    ///
    /// [`InvalidValue`] as from [`Param::new`], or when a parameter of the
    /// same name (ignoring case) was written already.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{syntax::AuthValueWriter, SchemeName};
    /// let mut w = AuthValueWriter::new(&SchemeName::DIGEST, 64);
    /// w.param("realm", b"api").unwrap().param("algorithm", b"SHA-256").unwrap();
    /// assert!(w.param("title", b"a\nb").is_err(), "no control characters");
    /// assert_eq!(w.finish(), br#"Digest realm="api", algorithm=SHA-256"#);
    /// ```
    pub fn param(&mut self, name: &str, value: &[u8]) -> Result<&mut Self, InvalidValue> {
        self.push(name, value, false)
    }

    /// Appends a parameter always written as a quoted-string, as
    /// [`Param::quoted`] would.
    ///
    /// # Errors
    ///
    /// As [`AuthValueWriter::param`].
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{syntax::AuthValueWriter, SchemeName};
    /// let mut w = AuthValueWriter::new(&SchemeName::DIGEST, 64);
    /// w.quoted_param("qop", b"auth").unwrap();
    /// w.quoted_param("nonce", br#"a"b"#).unwrap();
    /// assert_eq!(w.finish(), br#"Digest qop="auth", nonce="a\"b""#);
    /// ```
    pub fn quoted_param(&mut self, name: &str, value: &[u8]) -> Result<&mut Self, InvalidValue> {
        self.push(name, value, true)
    }

    fn push(&mut self, name: &str, value: &[u8], quoted: bool) -> Result<&mut Self, InvalidValue> {
        let plain = plain_form(name, value, quoted);
        if plain.is_none() {
            Param::check(name, value)?;
        }
        let written = self.names.iter().any(|&(at, len)| {
            let at = at as usize;
            same_name(&self.out[at..at + len as usize], name.as_bytes())
        });
        if written {
            return Err(InvalidValue::new(
                format!("parameter {name}"),
                "given twice",
            ));
        }
        let separator = match (self.names.is_empty(), self.list_only) {
            (true, true) => 0,
            (true, false) => 1,
            (false, _) => 2,
        };
        let position = u32::try_from(self.out.len() + separator).ok();
        let (Some(at), Ok(len)) = (position, u32::try_from(name.len())) else {
            return Err(InvalidValue::new(
                format!("parameter {name}"),
                "the value would pass 4 GiB",
            ));
        };
        // Constant-length writes, which compile to stores rather than a
        // copy of a slice chosen at run time.
        match separator {
            0 => {}
            1 => self.out.push(b' '),
            _ => self.out.extend_from_slice(b", "),
        }
        self.names.push((at, len));
        match plain {
            Some(form) => form.write(name, value, &mut self.out),
            None => write_encoded(name, value, &mut self.out),
        }
        Ok(self)
    }

    /// The value's octets.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{syntax::AuthValueWriter, Credentials, SchemeName};
    /// let mut w = AuthValueWriter::new(&SchemeName::DIGEST, 32);
    /// w.quoted_param("username", b"Mufasa").unwrap();
    /// let octets: Vec<u8> = w.finish();
    /// assert_eq!(Credentials::parse(&octets).unwrap().param_str("username"), Some("Mufasa"));
    /// ```
    pub fn finish(self) -> Vec<u8> {
        self.out
    }

    /// The value as a [`HeaderValue`], handing over the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{syntax::AuthValueWriter, SchemeName};
    /// let mut w = AuthValueWriter::new(&SchemeName::DIGEST, 32);
    /// w.param("nc", b"00000001").unwrap();
    /// assert_eq!(w.into_header_value(), "Digest nc=00000001");
    /// ```
    pub fn into_header_value(self) -> HeaderValue {
        header_value(self.out)
    }
}

impl std::fmt::Debug for AuthValueWriter {
    /// Shows the parameter names only: values may be secrets, as they are
    /// in credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<_> = self
            .names
            .iter()
            .map(|&(at, len)| {
                let at = at as usize;
                String::from_utf8_lossy(&self.out[at..at + len as usize])
            })
            .collect();
        f.debug_struct("AuthValueWriter")
            .field("params", &names)
            .field("len", &self.out.len())
            .finish()
    }
}

/// How a parameter that needs neither checks nor escapes is written.
#[derive(Clone, Copy)]
enum PlainForm {
    Token,
    Quoted,
}

impl PlainForm {
    fn write(self, name: &str, value: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(name.as_bytes());
        match self {
            PlainForm::Token => {
                out.push(b'=');
                out.extend_from_slice(value);
            }
            PlainForm::Quoted => {
                out.extend_from_slice(b"=\"");
                out.extend_from_slice(value);
                out.push(b'"');
            }
        }
    }
}

/// The form of a parameter whose name is a plain token and whose value is a
/// token or quotable as it is, found in one pass over each: such a
/// parameter passes every check [`Param`] makes, and its value is written as
/// it is. `None` for anything else (ext-values, escapes, invalid input),
/// which [`write_encoded`] writes once checked. The rule that `realm` is
/// always quoted lives here.
fn plain_form(name: &str, value: &[u8], quoted: bool) -> Option<PlainForm> {
    if name.ends_with('*') || !is_token(name.as_bytes()) {
        return None;
    }
    let quoted = quoted || name.eq_ignore_ascii_case("realm");
    if !quoted && is_token(value) {
        return Some(PlainForm::Token);
    }
    // What needs an escape (`"` and `\\`) or cannot be sent (controls
    // other than HTAB), in one pass.
    let needs_care = any_octet(value, |b| (b == b'"') | (b == b'\\') | is_control(b));
    (!needs_care).then_some(PlainForm::Quoted)
}

/// Hands a written value over to a [`HeaderValue`] without copying it.
pub(crate) fn header_value(out: Vec<u8>) -> HeaderValue {
    // Checked parameters and tokens write visible ASCII, SP, HTAB and
    // obs-text only, which HeaderValue accepts.
    HeaderValue::from_maybe_shared(bytes::Bytes::from(out))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// About how many octets `value` takes on the wire, to allocate once.
pub(crate) fn wire_len_hint(value: &AuthValue<'_>) -> usize {
    let token68 = value.token68.as_ref().map_or(0, |t| t.len() + 1);
    let params: usize = value
        .params
        .iter()
        .map(|p| p.name().len() + p.value().len() + 5)
        .sum();
    value.scheme.as_str().len() + token68 + params
}

/// Appends several challenges joined on one field line (`, `). Most servers
/// should send one field line per challenge instead, because browsers read
/// only one challenge per line; this is for the clients that need one line.
///
/// # Examples
///
/// ```
/// use authscheme::{syntax, Challenge, SchemeName};
/// let basic = Challenge::builder(SchemeName::BASIC).param("realm", "x").build().unwrap();
/// let bearer = Challenge::new(SchemeName::BEARER);
/// let mut out = Vec::new();
/// syntax::write_challenges(&[basic, bearer], &mut out);
/// assert_eq!(out, br#"Basic realm="x", Bearer"#);
/// ```
pub fn write_challenges(challenges: &[Challenge<'_>], out: &mut Vec<u8>) {
    for (i, challenge) in challenges.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        write_auth_value(&challenge.0, out);
    }
}
