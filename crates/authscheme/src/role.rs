//! [`Role`]: origin server (401) or proxy (407) authentication.

use http::StatusCode;
use http::header::{
    AUTHORIZATION, HeaderName, PROXY_AUTHENTICATE, PROXY_AUTHORIZATION, WWW_AUTHENTICATE,
};

/// `Authentication-Info` (RFC 9110 section 11.6.3).
///
/// # Examples
///
/// ```
/// use authscheme::{Role, AUTHENTICATION_INFO};
/// let mut response = http::HeaderMap::new();
/// response.insert(AUTHENTICATION_INFO.clone(), http::HeaderValue::from_static(r#"nextnonce="n2""#));
/// assert_eq!(response["Authentication-Info"], r#"nextnonce="n2""#);
/// assert_eq!(Role::Origin.info_header(), &AUTHENTICATION_INFO);
/// ```
pub static AUTHENTICATION_INFO: HeaderName = HeaderName::from_static("authentication-info");
/// `Proxy-Authentication-Info` (RFC 9110 section 11.7.3).
///
/// # Examples
///
/// ```
/// use authscheme::{Role, PROXY_AUTHENTICATION_INFO};
/// assert_eq!(PROXY_AUTHENTICATION_INFO, "proxy-authentication-info");
/// assert_eq!(Role::Proxy.info_header(), &PROXY_AUTHENTICATION_INFO);
/// ```
pub static PROXY_AUTHENTICATION_INFO: HeaderName =
    HeaderName::from_static("proxy-authentication-info");

/// Which side of the authentication framework is speaking: an origin server
/// or a proxy. It decides the status code and the four header names.
///
/// # Examples
///
/// ```
/// use authscheme::Role;
/// assert_eq!(Role::Proxy.unauthorized_status().as_u16(), 407);
/// assert_eq!(Role::Origin.credentials_header(), "authorization");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Role {
    /// `401`, `WWW-Authenticate`, `Authorization`, `Authentication-Info`.
    #[default]
    Origin,
    /// `407`, `Proxy-Authenticate`, `Proxy-Authorization`, `Proxy-Authentication-Info`.
    Proxy,
}

impl Role {
    /// `401 Unauthorized` or `407 Proxy Authentication Required`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Role;
    /// assert_eq!(Role::Origin.unauthorized_status(), http::StatusCode::UNAUTHORIZED);
    /// assert_eq!(Role::Proxy.unauthorized_status(), http::StatusCode::PROXY_AUTHENTICATION_REQUIRED);
    /// ```
    pub fn unauthorized_status(self) -> StatusCode {
        match self {
            Role::Origin => StatusCode::UNAUTHORIZED,
            Role::Proxy => StatusCode::PROXY_AUTHENTICATION_REQUIRED,
        }
    }

    /// The field that carries challenges.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Role;
    /// assert_eq!(Role::Origin.challenge_header(), http::header::WWW_AUTHENTICATE);
    /// assert_eq!(Role::Proxy.challenge_header(), "proxy-authenticate");
    /// ```
    pub fn challenge_header(self) -> &'static HeaderName {
        match self {
            Role::Origin => &WWW_AUTHENTICATE,
            Role::Proxy => &PROXY_AUTHENTICATE,
        }
    }

    /// The field that carries credentials.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Role;
    /// assert_eq!(Role::Origin.credentials_header(), http::header::AUTHORIZATION);
    /// assert_eq!(Role::Proxy.credentials_header(), "proxy-authorization");
    /// ```
    pub fn credentials_header(self) -> &'static HeaderName {
        match self {
            Role::Origin => &AUTHORIZATION,
            Role::Proxy => &PROXY_AUTHORIZATION,
        }
    }

    /// The field that carries authentication information on success.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Role;
    /// assert_eq!(Role::Origin.info_header(), "authentication-info");
    /// assert_eq!(Role::Proxy.info_header(), "proxy-authentication-info");
    /// ```
    pub fn info_header(self) -> &'static HeaderName {
        match self {
            Role::Origin => &AUTHENTICATION_INFO,
            Role::Proxy => &PROXY_AUTHENTICATION_INFO,
        }
    }
}
