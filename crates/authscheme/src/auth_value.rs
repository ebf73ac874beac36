//! [`Challenge`] and [`Credentials`]: a scheme plus a token68 or auth-params.
//!
//! Both have the same shape on the wire (RFC 9110 sections 11.3 and 11.4), so
//! they share one private representation and one set of accessors, while
//! staying distinct types: a challenge can never be sent as credentials.

use std::borrow::Cow;
use std::fmt;

use http::HeaderValue;

use crate::error::{InvalidValue, ParseError};
use crate::param::{IntoParamValue, Param};
use crate::param_list::Params;
use crate::scheme_name::SchemeName;
use crate::syntax;

/// The shared shape: `auth-scheme [ 1*SP ( token68 / #auth-param ) ]`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct AuthValue<'a> {
    pub(crate) scheme: SchemeName<'a>,
    pub(crate) token68: Option<Cow<'a, str>>,
    pub(crate) params: Params<'a>,
}

impl AuthValue<'_> {
    /// A value with an empty scheme, for the parser to fill in place.
    pub(crate) fn empty() -> Self {
        AuthValue {
            scheme: SchemeName::from_checked(""),
            token68: None,
            params: Params::new(),
        }
    }

    fn into_owned(self) -> AuthValue<'static> {
        AuthValue {
            scheme: self.scheme.into_owned(),
            token68: self.token68.map(|t| Cow::Owned(t.into_owned())),
            params: self.params.into_owned(),
        }
    }
}

macro_rules! auth_value_type {
    ($(#[$doc:meta])* $name:ident, $builder:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name<'a>(pub(crate) AuthValue<'a>);

        impl<'a> $name<'a> {
            /// A value with this scheme and nothing else.
            ///
            /// # Examples
            ///
            /// ```
            /// use authscheme::SchemeName;
            #[doc = concat!("let v = authscheme::", stringify!($name), "::new(SchemeName::BEARER);")]
            /// assert_eq!(v.to_string(), "Bearer");
            /// assert!(v.token68().is_none() && v.params().is_empty());
            /// ```
            pub fn new(scheme: SchemeName<'a>) -> Self {
                Self(AuthValue { scheme, token68: None, params: Params::new() })
            }

            /// A value with this scheme and these parameters, which are
            /// already checked and unique by name (see [`Params::set`]).
            ///
            /// # Examples
            ///
            /// ```
            /// use authscheme::{Param, Params, SchemeName};
            /// let mut params = Params::new();
            /// params.set(Param::new("realm", "api").unwrap());
            #[doc = concat!("let v = authscheme::", stringify!($name), "::with_params(SchemeName::DIGEST, params);")]
            /// assert_eq!(v.to_string(), r#"Digest realm="api""#);
            /// ```
            pub fn with_params(scheme: SchemeName<'a>, params: Params<'a>) -> Self {
                Self(AuthValue { scheme, token68: None, params })
            }

            /// Starts a builder; errors are collected and reported by `build`.
            ///
            /// # Examples
            ///
            /// ```
            /// use authscheme::SchemeName;
            #[doc = concat!("let v = authscheme::", stringify!($name), "::builder(SchemeName::BASIC)")]
            ///     .param("realm", "Dev zone")
            ///     .build()
            ///     .unwrap();
            /// assert_eq!(v.to_string(), r#"Basic realm="Dev zone""#);
            /// ```
            pub fn builder(scheme: SchemeName<'a>) -> $builder<'a> {
                $builder { inner: Ok(Self::new(scheme)) }
            }

            /// The auth-scheme.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let v = authscheme::", stringify!($name), r#"::parse(b"basic YTpi").unwrap();"#)]
            /// assert_eq!(v.scheme().as_str(), "basic");
            /// assert_eq!(*v.scheme(), authscheme::SchemeName::BASIC);
            /// ```
            pub fn scheme(&self) -> &SchemeName<'a> {
                &self.0.scheme
            }

            /// The token68, when the value carries one instead of parameters.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let v = authscheme::", stringify!($name), r#"::parse(b"Bearer mF_9.B5f-4.1JqM").unwrap();"#)]
            /// assert_eq!(v.token68(), Some("mF_9.B5f-4.1JqM"));
            /// assert!(v.params().is_empty());
            /// ```
            pub fn token68(&self) -> Option<&str> {
                self.0.token68.as_deref()
            }

            /// The auth-params (empty when a token68 is present).
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let v = authscheme::", stringify!($name), r##"::parse(br#"Digest realm="api", qop=auth"#).unwrap();"##)]
            /// let names: Vec<&str> = v.params().iter().map(|p| p.name()).collect();
            /// assert_eq!(names, ["realm", "qop"]);
            /// assert_eq!(v.token68(), None);
            /// ```
            pub fn params(&self) -> &Params<'a> {
                &self.0.params
            }

            /// The value of parameter `name` (case-insensitive), as octets.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let v = authscheme::", stringify!($name), r#"::parse(b"Digest Realm=\"api\", x=\"\xE4\"").unwrap();"#)]
            /// assert_eq!(v.param("REALM"), Some(&b"api"[..]));
            /// assert_eq!(v.param("x"), Some(&b"\xE4"[..]));
            /// assert_eq!(v.param("nonce"), None);
            /// ```
            pub fn param(&self, name: &str) -> Option<&[u8]> {
                self.0.params.get(name)
            }

            /// The value of parameter `name` as text, when valid UTF-8.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let v = authscheme::", stringify!($name), r#"::parse(b"Digest Realm=\"api\", x=\"\xE4\"").unwrap();"#)]
            /// assert_eq!(v.param_str("realm"), Some("api"));
            /// assert_eq!(v.param_str("x"), None, "not UTF-8");
            /// ```
            pub fn param_str(&self, name: &str) -> Option<&str> {
                self.0.params.get_str(name)
            }

            /// Detaches the value from the input it borrows.
            ///
            /// # Examples
            ///
            /// ```
            /// let line = String::from("Bearer abc");
            #[doc = concat!("let v = authscheme::", stringify!($name), "::parse(line.as_bytes()).unwrap().into_owned();")]
            /// drop(line);
            /// assert_eq!(v.token68(), Some("abc"));
            /// ```
            pub fn into_owned(self) -> $name<'static> {
                $name(self.0.into_owned())
            }

            /// The wire form, as the octets of one field value.
            ///
            /// # Examples
            ///
            /// ```
            /// use authscheme::SchemeName;
            #[doc = concat!("let v = authscheme::", stringify!($name), "::builder(SchemeName::DIGEST)")]
            ///     .param("realm", "api")
            ///     .quoted_param("qop", "auth")
            ///     .build()
            ///     .unwrap();
            /// assert_eq!(v.to_bytes(), br#"Digest realm="api", qop="auth""#);
            /// ```
            pub fn to_bytes(&self) -> Vec<u8> {
                let mut out = Vec::with_capacity(syntax::wire_len_hint(&self.0));
                syntax::write_auth_value(&self.0, &mut out);
                out
            }

            /// The wire form as a [`HeaderValue`].
            ///
            /// # Examples
            ///
            /// ```
            /// use authscheme::SchemeName;
            #[doc = concat!("let v = authscheme::", stringify!($name), "::builder(SchemeName::BEARER)")]
            ///     .token68("mF_9.B5f-4.1JqM")
            ///     .build()
            ///     .unwrap();
            /// assert_eq!(v.to_header_value(), "Bearer mF_9.B5f-4.1JqM");
            /// ```
            pub fn to_header_value(&self) -> HeaderValue {
                syntax::header_value(self.to_bytes())
            }
        }

        impl fmt::Display for $name<'_> {
            /// Writes the wire form; octets that are not UTF-8 are shown as
            /// U+FFFD (use `to_bytes` for the exact octets).
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
            }
        }

        #[doc = concat!("Builds a [`", stringify!($name), "`], collecting the first error.")]
        #[derive(Debug)]
        pub struct $builder<'a> {
            inner: Result<$name<'a>, InvalidValue>,
        }

        impl<'a> $builder<'a> {
            /// Adds a parameter (token form where possible).
            ///
            /// # Examples
            ///
            /// ```
            /// use authscheme::SchemeName;
            #[doc = concat!("let v = authscheme::", stringify!($name), "::builder(SchemeName::BASIC)")]
            ///     .param("charset", "UTF-8")
            ///     .param("title", "Dev zone")
            ///     .build()
            ///     .unwrap();
            /// assert_eq!(v.to_string(), r#"Basic charset=UTF-8, title="Dev zone""#);
            /// ```
            #[inline]
            pub fn param(self, name: impl Into<Cow<'a, str>>, value: impl IntoParamValue<'a>) -> Self {
                self.push(Param::new(name, value))
            }

            /// Adds a parameter that is always sent as a quoted-string.
            ///
            /// # Examples
            ///
            /// ```
            /// use authscheme::SchemeName;
            #[doc = concat!("let v = authscheme::", stringify!($name), "::builder(SchemeName::DIGEST)")]
            ///     .quoted_param("qop", "auth")
            ///     .param("algorithm", "SHA-256")
            ///     .build()
            ///     .unwrap();
            /// assert_eq!(v.to_string(), r#"Digest qop="auth", algorithm=SHA-256"#);
            /// ```
            #[inline]
            pub fn quoted_param(self, name: impl Into<Cow<'a, str>>, value: impl IntoParamValue<'a>) -> Self {
                self.push(Param::quoted(name, value))
            }

            /// Adds an already built parameter.
            ///
            /// # Examples
            ///
            /// ```
            /// use authscheme::{Param, SchemeName};
            #[doc = concat!("let v = authscheme::", stringify!($name), "::builder(SchemeName::DIGEST)")]
            ///     .push(Param::quoted("nonce", "abc"))
            ///     .build()
            ///     .unwrap();
            /// assert_eq!(v.to_string(), r#"Digest nonce="abc""#);
            #[doc = concat!("let twice = authscheme::", stringify!($name), "::builder(SchemeName::DIGEST)")]
            ///     .push(Param::new("nc", "1"))
            ///     .push(Param::new("NC", "2"))
            ///     .build();
            /// assert!(twice.is_err());
            /// ```
            // The value is changed in place: it holds its parameters inline,
            // so moving it in and out of the `Result` on every call cost
            // more than the rest of building.
            #[inline]
            pub fn push(mut self, param: Result<Param<'a>, InvalidValue>) -> Self {
                let Ok(value) = &mut self.inner else {
                    return self;
                };
                let problem = match param {
                    Err(e) => Some(e),
                    Ok(_) if value.0.token68.is_some() => {
                        Some(InvalidValue::new($what, "has a token68 and parameters"))
                    }
                    Ok(p) if value.0.params.contains(p.name()) => {
                        Some(InvalidValue::new(format!("parameter {}", p.name()), "given twice"))
                    }
                    Ok(p) => {
                        value.0.params.push_unchecked(p);
                        None
                    }
                };
                if let Some(e) = problem {
                    self.inner = Err(e);
                }
                self
            }

            /// Sets the token68.
            ///
            /// # Examples
            ///
            /// ```
            /// use authscheme::SchemeName;
            #[doc = concat!("let v = authscheme::", stringify!($name), "::builder(SchemeName::BEARER)")]
            ///     .token68("mF_9.B5f-4.1JqM")
            ///     .build()
            ///     .unwrap();
            /// assert_eq!(v.token68(), Some("mF_9.B5f-4.1JqM"));
            #[doc = concat!("let bad = authscheme::", stringify!($name), r#"::builder(SchemeName::BEARER).token68("not a token68").build();"#)]
            /// assert!(bad.is_err());
            /// ```
            #[inline]
            pub fn token68(mut self, token68: impl Into<Cow<'a, str>>) -> Self {
                let Ok(value) = &mut self.inner else {
                    return self;
                };
                let token68 = token68.into();
                let problem = if !syntax::is_token68(token68.as_bytes()) {
                    Some(InvalidValue::new("token68", "not a token68"))
                } else if !value.0.params.is_empty() {
                    Some(InvalidValue::new($what, "has a token68 and parameters"))
                } else {
                    value.0.token68 = Some(token68);
                    None
                };
                if let Some(e) = problem {
                    self.inner = Err(e);
                }
                self
            }

            /// The value, or the first error met while building.
            ///
            /// # Errors
            ///
            /// The first [`InvalidValue`] met by an earlier call.
            ///
            /// # Examples
            ///
            /// ```
            /// use authscheme::SchemeName;
            #[doc = concat!("let err = authscheme::", stringify!($name), "::builder(SchemeName::BASIC)")]
            ///     .param("bad name", "x")
            ///     .param("realm", "api")
            ///     .build()
            ///     .unwrap_err();
            /// assert_eq!(err.to_string(), r#"invalid parameter name "bad name": not a token"#);
            /// ```
            pub fn build(self) -> Result<$name<'a>, InvalidValue> {
                self.inner
            }
        }
    };
}

auth_value_type!(
    /// One challenge (RFC 9110 section 11.3), as carried by `WWW-Authenticate`
    /// and `Proxy-Authenticate`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Challenge, SchemeName};
    /// let c = Challenge::builder(SchemeName::BASIC)
    ///     .param("realm", "Dev zone")
    ///     .param("charset", "UTF-8")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(c.to_string(), r#"Basic realm="Dev zone", charset=UTF-8"#);
    /// assert_eq!(c.param_str("REALM"), Some("Dev zone"));
    /// ```
    Challenge,
    ChallengeBuilder,
    "challenge"
);

auth_value_type!(
    /// One credentials value (RFC 9110 section 11.4), as carried by
    /// `Authorization` and `Proxy-Authorization`.
    ///
    /// `Debug` never shows the token68 or parameter values: they are secrets.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Credentials;
    /// let c = Credentials::parse(b"basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==").unwrap();
    /// assert!(c.scheme().is("Basic"));
    /// assert_eq!(c.token68(), Some("QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
    /// assert!(!format!("{c:?}").contains("QWxh"));
    /// ```
    Credentials,
    CredentialsBuilder,
    "credentials"
);

impl<'a> Challenge<'a> {
    /// Parses one field line holding exactly one challenge.
    ///
    /// # Errors
    ///
    /// A [`ParseError`] when the line is not one valid challenge.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Challenge;
    /// let c = Challenge::parse(br#"Basic realm="Dev zone""#).unwrap();
    /// assert!(c.scheme().is("basic"));
    /// assert!(Challenge::parse(b"Basic, Bearer").is_err(), "two challenges");
    /// ```
    pub fn parse(line: &'a [u8]) -> Result<Self, ParseError> {
        syntax::parse_one_challenge(line)
    }

    /// The `realm` parameter as text, when present.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Challenge;
    /// let c = Challenge::parse(br#"Digest realm="api", qop="auth""#).unwrap();
    /// assert_eq!(c.realm(), Some("api"));
    /// assert_eq!(Challenge::parse(b"Bearer").unwrap().realm(), None);
    /// ```
    pub fn realm(&self) -> Option<&str> {
        self.param_str("realm")
    }
}

impl<'a> Credentials<'a> {
    /// Parses an `Authorization` or `Proxy-Authorization` field value.
    ///
    /// # Errors
    ///
    /// A [`ParseError`] when the value is not one valid credentials value.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Credentials, ParseErrorKind};
    /// let c = Credentials::parse(b"Bearer mF_9.B5f-4.1JqM").unwrap();
    /// assert_eq!(c.token68(), Some("mF_9.B5f-4.1JqM"));
    /// let err = Credentials::parse(b"Basic YTpi, Bearer abc").unwrap_err();
    /// assert_eq!(err.kind(), &ParseErrorKind::SecondCredentials);
    /// ```
    pub fn parse(value: &'a [u8]) -> Result<Self, ParseError> {
        syntax::parse_credentials(value)
    }
}

impl fmt::Debug for Challenge<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Challenge")
            .field("scheme", &self.0.scheme)
            .field("token68", &self.0.token68)
            .field("params", &DebugParamsWithValues(&self.0.params))
            .finish()
    }
}

impl fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("scheme", &self.0.scheme)
            .field("token68", &self.0.token68.as_ref().map(|_| "<redacted>"))
            .field("params", &self.0.params)
            .finish()
    }
}

/// Challenges are public: show their values in `Debug`.
struct DebugParamsWithValues<'p, 'a>(&'p Params<'a>);

impl fmt::Debug for DebugParamsWithValues<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(
                self.0
                    .iter()
                    .map(|p| (p.name(), String::from_utf8_lossy(p.value()))),
            )
            .finish()
    }
}
