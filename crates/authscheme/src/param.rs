//! [`Param`] and [`Params`]: auth-params (RFC 9110 section 11.2).

use std::borrow::Cow;
use std::fmt;

use http::HeaderValue;
use smallvec::SmallVec;

use crate::error::InvalidValue;
use crate::syntax::{is_quotable, is_token};

/// Anything that can be a parameter value: text or octets, borrowed or owned.
///
/// # Examples
///
/// ```
/// use authscheme::Param;
/// let from_str = Param::new("realm", "x").unwrap();
/// let from_bytes = Param::new("realm", &b"x"[..]).unwrap();
/// let from_string = Param::new("realm", String::from("x")).unwrap();
/// assert!(from_str == from_bytes && from_bytes == from_string);
/// ```
pub trait IntoParamValue<'a> {
    /// The value's octets.
    fn into_octets(self) -> Cow<'a, [u8]>;
}

impl<'a> IntoParamValue<'a> for &'a str {
    fn into_octets(self) -> Cow<'a, [u8]> {
        Cow::Borrowed(self.as_bytes())
    }
}

impl<'a> IntoParamValue<'a> for &'a String {
    fn into_octets(self) -> Cow<'a, [u8]> {
        Cow::Borrowed(self.as_bytes())
    }
}

impl<'a> IntoParamValue<'a> for String {
    fn into_octets(self) -> Cow<'a, [u8]> {
        Cow::Owned(self.into_bytes())
    }
}

impl<'a> IntoParamValue<'a> for Cow<'a, str> {
    fn into_octets(self) -> Cow<'a, [u8]> {
        match self {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        }
    }
}

impl<'a> IntoParamValue<'a> for &'a [u8] {
    fn into_octets(self) -> Cow<'a, [u8]> {
        Cow::Borrowed(self)
    }
}

impl<'a, const N: usize> IntoParamValue<'a> for &'a [u8; N] {
    fn into_octets(self) -> Cow<'a, [u8]> {
        Cow::Borrowed(self)
    }
}

impl<'a> IntoParamValue<'a> for Vec<u8> {
    fn into_octets(self) -> Cow<'a, [u8]> {
        Cow::Owned(self)
    }
}

impl<'a> IntoParamValue<'a> for Cow<'a, [u8]> {
    fn into_octets(self) -> Cow<'a, [u8]> {
        self
    }
}

/// How many parameters fit inline before [`Params`] allocates: enough for a
/// complete Digest `Authorization` value, so parsing one does not allocate.
const INLINE_PARAMS: usize = 12;

/// One auth-param: a case-insensitive name and a value of octets.
///
/// A name ending in `*` (such as `username*`) holds an RFC 8187 ext-value;
/// its value is the decoded UTF-8 text and it is encoded again on output.
/// Values keep their case. `quoted` records (or asks for) the quoted-string
/// form on the wire; it does not take part in equality.
///
/// # Examples
///
/// ```
/// use authscheme::Param;
/// let p = Param::new("Realm", "Dev zone").unwrap();
/// assert!(p.is("realm"));
/// assert_eq!(p.value_str(), Some("Dev zone"));
/// assert!(Param::new("bad name", "x").is_err());
/// ```
#[derive(Clone)]
pub struct Param<'a> {
    name: Cow<'a, str>,
    value: Cow<'a, [u8]>,
    quoted: bool,
}

impl<'a> Param<'a> {
    /// A parameter written as a token where the value allows it, and as a
    /// quoted-string otherwise.
    ///
    /// # Errors
    ///
    /// [`InvalidValue`] when the name is not a token, when the value holds a
    /// control character other than HTAB, or when an ext-value name (`*`)
    /// has a value that is not UTF-8.
    pub fn new(
        name: impl Into<Cow<'a, str>>,
        value: impl IntoParamValue<'a>,
    ) -> Result<Self, InvalidValue> {
        Self::checked(name.into(), value.into_octets(), false)
    }

    /// A parameter always written as a quoted-string (RFC 7616, for example,
    /// asks for `nonce`, `opaque` and `qop` in quotes).
    ///
    /// # Errors
    ///
    /// As [`Param::new`].
    pub fn quoted(
        name: impl Into<Cow<'a, str>>,
        value: impl IntoParamValue<'a>,
    ) -> Result<Self, InvalidValue> {
        Self::checked(name.into(), value.into_octets(), true)
    }

    fn checked(
        name: Cow<'a, str>,
        value: Cow<'a, [u8]>,
        quoted: bool,
    ) -> Result<Self, InvalidValue> {
        Self::check(&name, &value)?;
        Ok(Self {
            name,
            value,
            quoted,
        })
    }

    /// What every parameter sent must satisfy: the name is a token, an
    /// ext-value (`name*`) is UTF-8, any other value has no control
    /// character but HTAB.
    pub(crate) fn check(name: &str, value: &[u8]) -> Result<(), InvalidValue> {
        if !is_token(name.as_bytes()) {
            return Err(InvalidValue::new(
                format!("parameter name {name:?}"),
                "not a token",
            ));
        }
        if name.ends_with('*') {
            if std::str::from_utf8(value).is_err() {
                return Err(InvalidValue::new(
                    format!("parameter {name}"),
                    "ext-value is not UTF-8",
                ));
            }
        } else if !is_quotable(value) {
            return Err(InvalidValue::new(
                format!("parameter {name}"),
                "control character in value",
            ));
        }
        Ok(())
    }

    /// Used by the parser, which has already checked the grammar.
    pub(crate) fn from_parts(name: &'a str, value: Cow<'a, [u8]>, quoted: bool) -> Self {
        Self {
            name: Cow::Borrowed(name),
            value,
            quoted,
        }
    }

    /// The name as it was spelled.
    #[inline]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the name is `name`, ignoring ASCII case.
    #[inline]
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The value's octets (unquoted and unescaped; decoded for ext-values).
    #[inline]
    pub fn value(&self) -> &[u8] {
        &self.value
    }

    /// The value as text, when it is valid UTF-8.
    pub fn value_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.value).ok()
    }

    /// Whether the value is (to be) sent as a quoted-string.
    pub fn is_quoted(&self) -> bool {
        self.quoted
    }

    /// Whether this is an RFC 8187 ext-value parameter (`name*`).
    pub fn is_ext(&self) -> bool {
        self.name.ends_with('*')
    }

    /// Detaches the parameter from the input it borrows.
    pub fn into_owned(self) -> Param<'static> {
        Param {
            name: Cow::Owned(self.name.into_owned()),
            value: Cow::Owned(self.value.into_owned()),
            quoted: self.quoted,
        }
    }
}

impl PartialEq for Param<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.is(&other.name) && self.value == other.value
    }
}

impl Eq for Param<'_> {}

impl fmt::Debug for Param<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Parameter values may be secrets (a Digest response, a password in a
        // custom scheme); Debug shows names only.
        write!(f, "{}=<{} bytes>", self.name, self.value.len())
    }
}

/// An ordered list of auth-params with case-insensitive lookup by name.
///
/// Up to twelve parameters are held without a heap allocation.
///
/// # Examples
///
/// ```
/// use authscheme::syntax::parse_challenges;
/// let challenges = parse_challenges(b"Digest REALM=\"x\", qop=\"auth\"").unwrap();
/// let params = challenges[0].params();
/// assert_eq!(params.get_str("realm"), Some("x"));
/// assert_eq!(params.len(), 2);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params<'a>(SmallVec<[Param<'a>; INLINE_PARAMS]>);

impl<'a> Params<'a> {
    /// An empty list.
    pub fn new() -> Self {
        Self(SmallVec::new())
    }

    /// The parameter called `name` (ignoring ASCII case).
    pub fn get_param(&self, name: &str) -> Option<&Param<'a>> {
        self.0.iter().find(|p| p.is(name))
    }

    /// The value of the parameter called `name` (ignoring ASCII case).
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.get_param(name).map(Param::value)
    }

    /// The value of `name` as text, when present and valid UTF-8.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.get_param(name).and_then(Param::value_str)
    }

    /// Whether a parameter called `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.get_param(name).is_some()
    }

    /// The parameters in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Param<'a>> {
        self.0.iter()
    }

    /// How many parameters there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends a parameter, or replaces the one with the same name.
    pub fn set(&mut self, param: Param<'a>) {
        match self.0.iter_mut().find(|p| p.is(param.name())) {
            Some(slot) => *slot = param,
            None => self.0.push(param),
        }
    }

    /// Appends without checking for a duplicate (the parser checks).
    pub(crate) fn push_unchecked(&mut self, param: Param<'a>) {
        self.0.push(param);
    }

    /// The wire form (`name=value, name=value`) as a [`HeaderValue`], as
    /// `Authentication-Info` carries it.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Param, Params};
    /// let mut info = Params::new();
    /// info.set(Param::new("nc", "00000001").unwrap());
    /// info.set(Param::quoted("rspauth", "ab").unwrap());
    /// assert_eq!(info.to_header_value(), r#"nc=00000001, rspauth="ab""#);
    /// ```
    pub fn to_header_value(&self) -> HeaderValue {
        let mut out = Vec::with_capacity(
            self.iter()
                .map(|p| p.name().len() + p.value().len() + 5)
                .sum(),
        );
        crate::syntax::write_params(self, &mut out);
        crate::syntax::header_value(out)
    }

    /// Detaches the list from the input it borrows.
    pub fn into_owned(self) -> Params<'static> {
        Params(self.0.into_iter().map(Param::into_owned).collect())
    }
}

impl<'a, 'p> IntoIterator for &'p Params<'a> {
    type Item = &'p Param<'a>;
    type IntoIter = std::slice::Iter<'p, Param<'a>>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}
