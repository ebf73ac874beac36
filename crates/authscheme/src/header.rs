//! Typed authentication header fields.
//!
//! With the `headers` feature each type implements `headers::Header`, so
//! `axum_extra::TypedHeader<WwwAuthenticate>` and friends work. Credentials
//! headers are marked sensitive when encoded, so HTTP/2 HPACK never indexes
//! them.

use http::HeaderValue;

use crate::auth_value::{Challenge, Credentials};
use crate::error::ParseError;
use crate::param_list::Params;
use crate::syntax;

macro_rules! challenge_header {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub Vec<Challenge<'static>>);

        impl $name {
            /// Parses the field's lines, in order.
            ///
            /// # Errors
            ///
            /// A [`ParseError`] for the first malformed line.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use authscheme::header::", stringify!($name), ";")]
            /// use http::HeaderValue;
            /// let lines = [HeaderValue::from_static(r#"Basic realm="a""#), HeaderValue::from_static("Bearer")];
            #[doc = concat!("let h = ", stringify!($name), "::parse(&lines).unwrap();")]
            /// assert_eq!(h.0[0].realm(), Some("a"));
            /// assert!(h.0[1].scheme().is("bearer"));
            /// ```
            pub fn parse<'v>(lines: impl IntoIterator<Item = &'v HeaderValue>) -> Result<Self, ParseError> {
                let challenges = syntax::parse_challenge_lines(lines.into_iter().map(HeaderValue::as_bytes))?;
                Ok(Self(challenges.into_iter().map(Challenge::into_owned).collect()))
            }

            /// One field line per challenge.
            ///
            /// # Examples
            ///
            /// ```
            /// use authscheme::Challenge;
            #[doc = concat!("let h = authscheme::header::", stringify!($name), "(vec![")]
            ///     Challenge::parse(br#"Basic realm="a""#).unwrap(),
            ///     Challenge::parse(b"Bearer").unwrap(),
            /// ]);
            /// assert_eq!(h.to_values(), [r#"Basic realm="a""#, "Bearer"]);
            /// ```
            pub fn to_values(&self) -> Vec<HeaderValue> {
                self.0.iter().map(Challenge::to_header_value).collect()
            }
        }

        #[cfg(feature = "headers")]
        impl headers::Header for $name {
            fn name() -> &'static http::HeaderName {
                static NAME: http::HeaderName = http::HeaderName::from_static($field);
                &NAME
            }

            fn decode<'i, I: Iterator<Item = &'i HeaderValue>>(values: &mut I) -> Result<Self, headers::Error> {
                Self::parse(values).map_err(|_| headers::Error::invalid())
            }

            fn encode<E: Extend<HeaderValue>>(&self, values: &mut E) {
                values.extend(self.to_values());
            }
        }
    };
}

macro_rules! credentials_header {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub Credentials<'static>);

        impl $name {
            /// Parses the field value.
            ///
            /// # Errors
            ///
            /// A [`ParseError`] when it is not one credentials value.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use authscheme::header::", stringify!($name), ";")]
            #[doc = concat!("let h = ", stringify!($name), r#"::parse(&http::HeaderValue::from_static("Basic YTpi")).unwrap();"#)]
            /// assert!(h.0.scheme().is("basic"));
            /// assert_eq!(h.0.token68(), Some("YTpi"));
            #[doc = concat!("assert!(", stringify!($name), r#"::parse(&http::HeaderValue::from_static("Basic a, Bearer b")).is_err());"#)]
            /// ```
            pub fn parse(value: &HeaderValue) -> Result<Self, ParseError> {
                Ok(Self(Credentials::parse(value.as_bytes())?.into_owned()))
            }

            /// The field value, marked sensitive.
            ///
            /// # Examples
            ///
            /// ```
            /// use authscheme::{Credentials, SchemeName};
            /// let credentials = Credentials::builder(SchemeName::BEARER).token68("abc").build().unwrap();
            #[doc = concat!("let value = authscheme::header::", stringify!($name), "(credentials).to_value();")]
            /// assert_eq!(value, "Bearer abc");
            /// assert!(value.is_sensitive());
            /// ```
            pub fn to_value(&self) -> HeaderValue {
                let mut value = self.0.to_header_value();
                value.set_sensitive(true);
                value
            }
        }

        #[cfg(feature = "headers")]
        impl headers::Header for $name {
            fn name() -> &'static http::HeaderName {
                static NAME: http::HeaderName = http::HeaderName::from_static($field);
                &NAME
            }

            fn decode<'i, I: Iterator<Item = &'i HeaderValue>>(values: &mut I) -> Result<Self, headers::Error> {
                let value = values.next().ok_or_else(headers::Error::invalid)?;
                if values.next().is_some() {
                    return Err(headers::Error::invalid());
                }
                Self::parse(value).map_err(|_| headers::Error::invalid())
            }

            fn encode<E: Extend<HeaderValue>>(&self, values: &mut E) {
                values.extend(std::iter::once(self.to_value()));
            }
        }
    };
}

challenge_header!(
    /// `WWW-Authenticate` (RFC 9110 section 11.6.1): the challenges of a 401.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::header::WwwAuthenticate;
    /// let v = http::HeaderValue::from_static("Basic realm=\"x\", Bearer");
    /// let h = WwwAuthenticate::parse([&v]).unwrap();
    /// assert_eq!(h.0.len(), 2);
    /// assert_eq!(h.to_values().len(), 2);
    /// ```
    WwwAuthenticate,
    "www-authenticate"
);

challenge_header!(
    /// `Proxy-Authenticate` (RFC 9110 section 11.7.1): the challenges of a 407.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::header::ProxyAuthenticate;
    /// let v = http::HeaderValue::from_static("Basic realm=\"proxy\"");
    /// assert_eq!(ProxyAuthenticate::parse([&v]).unwrap().0[0].realm(), Some("proxy"));
    /// ```
    ProxyAuthenticate,
    "proxy-authenticate"
);

credentials_header!(
    /// `Authorization` (RFC 9110 section 11.6.2).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::header::Authorization;
    /// let h = Authorization::parse(&http::HeaderValue::from_static("Bearer abc")).unwrap();
    /// assert!(h.to_value().is_sensitive());
    /// ```
    Authorization,
    "authorization"
);

credentials_header!(
    /// `Proxy-Authorization` (RFC 9110 section 11.7.2).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::header::ProxyAuthorization;
    /// let h = ProxyAuthorization::parse(&http::HeaderValue::from_static("Basic YTpi")).unwrap();
    /// assert_eq!(h.0.token68(), Some("YTpi"));
    /// ```
    ProxyAuthorization,
    "proxy-authorization"
);

/// `Authentication-Info` (RFC 9110 section 11.6.3): parameters sent with a
/// successful response, such as Digest's `rspauth` and `nextnonce`.
///
/// # Examples
///
/// ```
/// use authscheme::header::AuthenticationInfo;
/// let h = AuthenticationInfo::parse(&http::HeaderValue::from_static("nextnonce=\"abc\"")).unwrap();
/// assert_eq!(h.0.get_str("nextnonce"), Some("abc"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticationInfo(pub Params<'static>);

impl AuthenticationInfo {
    /// Parses the field value.
    ///
    /// # Errors
    ///
    /// A [`ParseError`] when it is not a list of auth-params.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::header::AuthenticationInfo;
    /// let value = http::HeaderValue::from_static(r#"qop=auth, rspauth="6629fae4", nc=00000001"#);
    /// let info = AuthenticationInfo::parse(&value).unwrap();
    /// assert_eq!(info.0.get_str("rspauth"), Some("6629fae4"));
    /// assert_eq!(info.0.len(), 3);
    /// ```
    pub fn parse(value: &HeaderValue) -> Result<Self, ParseError> {
        Ok(Self(syntax::parse_params(value.as_bytes())?.into_owned()))
    }

    /// The field value.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{header::AuthenticationInfo, Param, Params};
    /// let mut params = Params::new();
    /// params.set(Param::quoted("nextnonce", "n2").unwrap());
    /// params.set(Param::new("qop", "auth").unwrap());
    /// assert_eq!(AuthenticationInfo(params).to_value(), r#"nextnonce="n2", qop=auth"#);
    /// ```
    pub fn to_value(&self) -> HeaderValue {
        let mut out = Vec::new();
        syntax::write_params(&self.0, &mut out);
        HeaderValue::from_bytes(&out).unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}

#[cfg(feature = "headers")]
impl headers::Header for AuthenticationInfo {
    fn name() -> &'static http::HeaderName {
        &crate::role::AUTHENTICATION_INFO
    }

    fn decode<'i, I: Iterator<Item = &'i HeaderValue>>(
        values: &mut I,
    ) -> Result<Self, headers::Error> {
        let value = values.next().ok_or_else(headers::Error::invalid)?;
        Self::parse(value).map_err(|_| headers::Error::invalid())
    }

    fn encode<E: Extend<HeaderValue>>(&self, values: &mut E) {
        values.extend(std::iter::once(self.to_value()));
    }
}
