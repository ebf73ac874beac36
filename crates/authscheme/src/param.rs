//! [`Param`] and [`ParamRef`]: one auth-param (RFC 9110 section 11.2), to
//! build and as read from a [`Params`](crate::Params) list.

use std::borrow::Cow;
use std::fmt;

use crate::error::InvalidValue;
use crate::syntax::{as_text, is_quotable, is_token, same_name};

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
    ///
    /// # Examples
    ///
    /// ```
    /// use std::borrow::Cow;
    /// use authscheme::IntoParamValue;
    /// assert!(matches!("abc".into_octets(), Cow::Borrowed(b"abc")));
    /// assert!(matches!(String::from("abc").into_octets(), Cow::Owned(v) if v == b"abc"));
    /// assert_eq!(vec![0xE4].into_octets(), &b"\xE4"[..]);
    /// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Param;
    /// let p = Param::new("charset", "UTF-8").unwrap();
    /// assert!(p.is("charset") && !p.is_quoted());
    /// assert!(Param::new("title", "a\r\nb").is_err(), "no control characters");
    /// assert!(Param::new("username*", &b"\xE4"[..]).is_err(), "an ext-value is UTF-8");
    /// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Param, Params};
    /// let mut params = Params::new();
    /// params.set(Param::quoted("qop", "auth").unwrap());
    /// params.set(Param::new("algorithm", "SHA-256").unwrap());
    /// assert!(params.get_param("qop").unwrap().is_quoted());
    /// assert_eq!(params.to_header_value(), r#"qop="auth", algorithm=SHA-256"#);
    /// ```
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
            if as_text(value).is_none() {
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
    ///
    /// # Examples
    ///
    /// ```
    /// let p = authscheme::Param::new("Realm", "api").unwrap();
    /// assert_eq!(p.name(), "Realm");
    /// ```
    #[inline]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the name is `name`, ignoring ASCII case.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = authscheme::Param::new("Realm", "api").unwrap();
    /// assert!(p.is("realm") && p.is("REALM"));
    /// assert!(!p.is("realms"));
    /// ```
    #[inline]
    pub fn is(&self, name: &str) -> bool {
        same_name(self.name.as_bytes(), name.as_bytes())
    }

    /// The value's octets (unquoted and unescaped; decoded for ext-values).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Param;
    /// assert_eq!(Param::new("title", "a \"b\"").unwrap().value(), br#"a "b""#);
    /// assert_eq!(Param::new("x", &b"\xE4"[..]).unwrap().value(), b"\xE4");
    /// ```
    #[inline]
    pub fn value(&self) -> &[u8] {
        &self.value
    }

    /// The value as text, when it is valid UTF-8.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Param;
    /// assert_eq!(Param::new("realm", "Dev zone").unwrap().value_str(), Some("Dev zone"));
    /// assert_eq!(Param::new("x", &b"\xE4"[..]).unwrap().value_str(), None);
    /// ```
    pub fn value_str(&self) -> Option<&str> {
        as_text(&self.value)
    }

    /// Whether the value is (to be) sent as a quoted-string.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Param;
    /// assert!(Param::quoted("qop", "auth").unwrap().is_quoted());
    /// assert!(!Param::new("qop", "auth").unwrap().is_quoted());
    /// ```
    pub fn is_quoted(&self) -> bool {
        self.quoted
    }

    /// Whether this is an RFC 8187 ext-value parameter (`name*`).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Param;
    /// let p = Param::new("username*", "Jäsøn").unwrap();
    /// assert!(p.is_ext());
    /// assert_eq!(p.value_str(), Some("Jäsøn"));
    /// assert!(!Param::new("username", "alice").unwrap().is_ext());
    /// ```
    pub fn is_ext(&self) -> bool {
        self.name.ends_with('*')
    }

    /// A view of this parameter, as a [`Params`](crate::Params) list hands
    /// out.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Param;
    /// let p = Param::quoted("nonce", "abc").unwrap();
    /// let view = p.as_param_ref();
    /// assert!(view.is("NONCE") && view.is_quoted());
    /// assert_eq!(view.value_str(), Some("abc"));
    /// ```
    #[inline]
    pub fn as_param_ref(&self) -> ParamRef<'_> {
        ParamRef {
            name: &self.name,
            value: Octets::Bytes(&self.value),
            quoted: self.quoted,
        }
    }

    /// Detaches the parameter from the input it borrows.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Param;
    /// let name = String::from("realm");
    /// let p = Param::new(name.as_str(), "api").unwrap().into_owned();
    /// drop(name);
    /// assert!(p.is("realm"));
    /// ```
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
        write!(f, "{}=<{} bytes>", self.name, self.value().len())
    }
}

/// One parameter of a [`Params`](crate::Params) list, borrowed from it.
///
/// A list keeps parsed parameters as positions in the input it borrows
/// (that keeps it small and free of allocations), so it hands out views
/// rather than references to [`Param`] values. Equality ignores the case of
/// the name and the quoting, as for [`Param`].
///
/// # Examples
///
/// ```
/// let params = authscheme::syntax::parse_params(br#"Realm="Dev zone", nc=00000001"#).unwrap();
/// let realm = params.get_param("realm").unwrap();
/// assert_eq!(realm.name(), "Realm");
/// assert_eq!(realm.value_str(), Some("Dev zone"));
/// assert!(realm.is_quoted());
/// let names: Vec<&str> = params.iter().map(|p| p.name()).collect();
/// assert_eq!(names, ["Realm", "nc"]);
/// ```
#[derive(Clone, Copy)]
pub struct ParamRef<'p> {
    pub(crate) name: &'p str,
    pub(crate) value: Octets<'p>,
    pub(crate) quoted: bool,
}

/// A value's octets, as text when they are known to be UTF-8 already (a
/// value read out of a parsed UTF-8 input), so that reading it as text does
/// not check it again.
#[derive(Clone, Copy)]
pub(crate) enum Octets<'p> {
    Text(&'p str),
    Bytes(&'p [u8]),
}

impl<'p> ParamRef<'p> {
    /// The name as it was spelled.
    ///
    /// # Examples
    ///
    /// ```
    /// let params = authscheme::syntax::parse_params(br#"Realm="Dev zone", nc=00000001, username*=UTF-8''J%C3%A4s%C3%B8n"#).unwrap();
    /// assert_eq!(params.get_param("realm").unwrap().name(), "Realm");
    /// ```
    #[inline]
    pub fn name(&self) -> &'p str {
        self.name
    }

    /// Whether the name is `name`, ignoring ASCII case.
    ///
    /// # Examples
    ///
    /// ```
    /// let params = authscheme::syntax::parse_params(br#"Realm="Dev zone", nc=00000001, username*=UTF-8''J%C3%A4s%C3%B8n"#).unwrap();
    /// let nc = params.iter().nth(1).unwrap();
    /// assert!(nc.is("NC"));
    /// assert!(!nc.is("cnonce"));
    /// ```
    #[inline]
    pub fn is(&self, name: &str) -> bool {
        same_name(self.name.as_bytes(), name.as_bytes())
    }

    /// The value's octets (unquoted and unescaped; decoded for ext-values).
    ///
    /// # Examples
    ///
    /// ```
    /// let params = authscheme::syntax::parse_params(br#"Realm="Dev zone", nc=00000001, username*=UTF-8''J%C3%A4s%C3%B8n"#).unwrap();
    /// assert_eq!(params.get_param("realm").unwrap().value(), b"Dev zone");
    /// assert_eq!(params.get_param("username*").unwrap().value(), "Jäsøn".as_bytes());
    /// ```
    #[inline]
    pub fn value(&self) -> &'p [u8] {
        match self.value {
            Octets::Text(text) => text.as_bytes(),
            Octets::Bytes(bytes) => bytes,
        }
    }

    /// The value as text, when it is valid UTF-8.
    ///
    /// # Examples
    ///
    /// ```
    /// let params = authscheme::syntax::parse_params(b"nc=00000001, x=\"\xE4\"").unwrap();
    /// assert_eq!(params.get_param("nc").unwrap().value_str(), Some("00000001"));
    /// assert_eq!(params.get_param("x").unwrap().value_str(), None, "not UTF-8");
    /// ```
    #[inline]
    pub fn value_str(&self) -> Option<&'p str> {
        match self.value {
            Octets::Text(text) => Some(text),
            Octets::Bytes(bytes) => as_text(bytes),
        }
    }

    /// Whether the value was (or is to be) sent as a quoted-string.
    ///
    /// # Examples
    ///
    /// ```
    /// let params = authscheme::syntax::parse_params(br#"Realm="Dev zone", nc=00000001, username*=UTF-8''J%C3%A4s%C3%B8n"#).unwrap();
    /// assert!(params.get_param("realm").unwrap().is_quoted());
    /// assert!(!params.get_param("nc").unwrap().is_quoted());
    /// ```
    pub fn is_quoted(&self) -> bool {
        self.quoted
    }

    /// Whether this is an RFC 8187 ext-value parameter (`name*`).
    ///
    /// # Examples
    ///
    /// ```
    /// let params = authscheme::syntax::parse_params(br#"Realm="Dev zone", nc=00000001, username*=UTF-8''J%C3%A4s%C3%B8n"#).unwrap();
    /// let username = params.get_param("username*").unwrap();
    /// assert!(username.is_ext());
    /// assert_eq!(username.value_str(), Some("Jäsøn"));
    /// assert!(!params.get_param("realm").unwrap().is_ext());
    /// ```
    pub fn is_ext(&self) -> bool {
        self.name.ends_with('*')
    }

    /// The parameter as a [`Param`] borrowing the same octets.
    ///
    /// # Examples
    ///
    /// ```
    /// let params = authscheme::syntax::parse_params(b"nc=00000001").unwrap();
    /// let nc = params.get_param("nc").unwrap().to_param();
    /// assert_eq!(nc, authscheme::Param::new("nc", "00000001").unwrap());
    /// ```
    pub fn to_param(&self) -> Param<'p> {
        Param {
            name: Cow::Borrowed(self.name),
            value: Cow::Borrowed(self.value()),
            quoted: self.quoted,
        }
    }
}

impl PartialEq for ParamRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.is(other.name) && self.value() == other.value()
    }
}

impl Eq for ParamRef<'_> {}

impl fmt::Debug for ParamRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // As for `Param`: names only.
        write!(f, "{}=<{} bytes>", self.name, self.value().len())
    }
}
