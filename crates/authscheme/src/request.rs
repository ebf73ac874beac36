//! [`AuthRequest`]: what a scheme may see of a request, framework-neutral.

use std::fmt;

use crate::role::Role;

/// Read access to request header fields, as octets.
///
/// Implemented here for `http` 1.x's `HeaderMap` (axum, warp, hyper); the
/// actix-web adapter implements it for actix's map, so schemes never see a
/// framework type.
///
/// # Examples
///
/// ```
/// use authscheme::HeaderSource;
/// let mut map = http::HeaderMap::new();
/// map.append("x-a", http::HeaderValue::from_static("1"));
/// map.append("x-a", http::HeaderValue::from_static("2"));
/// let mut seen = Vec::new();
/// map.for_each_value("x-a", &mut |v| seen.push(v.to_vec()));
/// assert_eq!(seen, [b"1".to_vec(), b"2".to_vec()]);
/// assert_eq!(map.first_value("X-A"), Some(&b"1"[..]));
/// assert_eq!(map.only_value("x-a"), None);
/// map.append("x-b", http::HeaderValue::from_static("3"));
/// assert_eq!(map.only_value("x-b"), Some(&b"3"[..]));
/// ```
pub trait HeaderSource: Sync {
    /// The first field line named `name` (case-insensitive).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::HeaderSource;
    /// let mut map = http::HeaderMap::new();
    /// map.append("www-authenticate", http::HeaderValue::from_static("Basic"));
    /// map.append("www-authenticate", http::HeaderValue::from_static("Bearer"));
    /// assert_eq!(map.first_value("WWW-Authenticate"), Some(&b"Basic"[..]));
    /// assert_eq!(map.first_value("authorization"), None);
    /// ```
    fn first_value(&self, name: &str) -> Option<&[u8]>;
    /// Calls `f` with every field line named `name`, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::HeaderSource;
    /// let mut map = http::HeaderMap::new();
    /// map.append("www-authenticate", http::HeaderValue::from_static("Basic"));
    /// map.append("www-authenticate", http::HeaderValue::from_static("Bearer"));
    /// let mut lines = Vec::new();
    /// map.for_each_value("www-authenticate", &mut |v| lines.push(String::from_utf8_lossy(v).into_owned()));
    /// assert_eq!(lines, ["Basic", "Bearer"]);
    /// ```
    fn for_each_value(&self, name: &str, f: &mut dyn FnMut(&[u8]));
    /// How many field lines are named `name`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::HeaderSource;
    /// let mut map = http::HeaderMap::new();
    /// map.append("authorization", http::HeaderValue::from_static("Basic YTpi"));
    /// map.append("authorization", http::HeaderValue::from_static("Bearer abc"));
    /// assert_eq!(map.count("Authorization"), 2);
    /// assert_eq!(map.count("proxy-authorization"), 0);
    /// ```
    fn count(&self, name: &str) -> usize {
        let mut n = 0;
        self.for_each_value(name, &mut |_| n += 1);
        n
    }

    /// The value when exactly one field line is named `name`; `None` when
    /// there is none or more than one. Implement it with one lookup where
    /// the map allows (it is on every request's path).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::HeaderSource;
    /// let mut map = http::HeaderMap::new();
    /// map.append("authorization", http::HeaderValue::from_static("Basic YTpi"));
    /// assert_eq!(map.only_value("authorization"), Some(&b"Basic YTpi"[..]));
    /// map.append("authorization", http::HeaderValue::from_static("Bearer abc"));
    /// assert_eq!(map.only_value("authorization"), None, "two lines are not one value");
    /// ```
    fn only_value(&self, name: &str) -> Option<&[u8]> {
        if self.count(name) == 1 {
            self.first_value(name)
        } else {
            None
        }
    }
}

impl HeaderSource for http::HeaderMap {
    fn first_value(&self, name: &str) -> Option<&[u8]> {
        values(self, name)
            .iter()
            .next()
            .map(http::HeaderValue::as_bytes)
    }

    fn for_each_value(&self, name: &str, f: &mut dyn FnMut(&[u8])) {
        for v in values(self, name) {
            f(v.as_bytes());
        }
    }

    fn only_value(&self, name: &str) -> Option<&[u8]> {
        let mut values = values(self, name).iter();
        let first = values.next()?;
        values.next().is_none().then(|| first.as_bytes())
    }
}

/// Every line of the field `name`.
fn values<'m>(map: &'m http::HeaderMap, name: &str) -> http::header::GetAll<'m, http::HeaderValue> {
    match well_known(name) {
        Some(known) => map.get_all(known),
        None => map.get_all(name),
    }
}

/// The credentials fields as [`http::HeaderName`]s: `HeaderMap` parses a
/// name given as `&str` on every lookup, and the authenticator asks for
/// one of these on every request.
fn well_known(name: &str) -> Option<&'static http::HeaderName> {
    match name {
        "authorization" => Some(&http::header::AUTHORIZATION),
        "proxy-authorization" => Some(&http::header::PROXY_AUTHORIZATION),
        _ => None,
    }
}

/// The request as an authentication scheme sees it: method, request-target,
/// header fields and, when the adapter buffered it, the body.
///
/// Adapters build one per request without copying: every field borrows.
///
/// # Examples
///
/// ```
/// use authscheme::AuthRequest;
/// let headers = http::HeaderMap::new();
/// let req = AuthRequest::new("GET", "/dir/index.html?x=1", &headers);
/// assert_eq!(req.path(), "/dir/index.html");
/// assert_eq!(req.query(), Some("x=1"));
/// assert!(req.body().is_none());
/// ```
#[derive(Clone, Copy)]
pub struct AuthRequest<'a> {
    method: &'a str,
    target: &'a str,
    headers: &'a dyn HeaderSource,
    body: Option<&'a [u8]>,
    role: Role,
}

impl<'a> AuthRequest<'a> {
    /// A request without a body.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::AuthRequest;
    /// let headers = http::HeaderMap::new();
    /// let req = AuthRequest::new("GET", "/notes", &headers);
    /// assert_eq!((req.method(), req.target()), ("GET", "/notes"));
    /// assert_eq!(req.body(), None);
    /// ```
    pub fn new(method: &'a str, target: &'a str, headers: &'a dyn HeaderSource) -> Self {
        Self {
            method,
            target,
            headers,
            body: None,
            role: Role::Origin,
        }
    }

    /// Attaches the whole request body (the adapter buffered it within its
    /// limit). Only then may Digest offer and verify `qop=auth-int`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::AuthRequest;
    /// let headers = http::HeaderMap::new();
    /// let req = AuthRequest::new("PUT", "/notes/1", &headers).with_body(b"remember the milk");
    /// assert_eq!(req.body(), Some(&b"remember the milk"[..]));
    /// ```
    pub fn with_body(mut self, body: &'a [u8]) -> Self {
        self.body = Some(body);
        self
    }

    /// The request method, such as `GET`.
    ///
    /// # Examples
    ///
    /// ```
    /// let headers = http::HeaderMap::new();
    /// assert_eq!(authscheme::AuthRequest::new("DELETE", "/notes/1", &headers).method(), "DELETE");
    /// ```
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The request-target as sent: `/path?query` in origin-form, or the
    /// absolute URI a proxy receives.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::AuthRequest;
    /// let headers = http::HeaderMap::new();
    /// let proxied = AuthRequest::new("GET", "http://example.com/a?b=1", &headers);
    /// assert_eq!(proxied.target(), "http://example.com/a?b=1");
    /// ```
    pub fn target(&self) -> &'a str {
        self.target
    }

    /// The path part of the request-target.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::AuthRequest;
    /// let headers = http::HeaderMap::new();
    /// assert_eq!(AuthRequest::new("GET", "/a/b?c=d", &headers).path(), "/a/b");
    /// assert_eq!(AuthRequest::new("GET", "/a/b", &headers).path(), "/a/b");
    /// ```
    pub fn path(&self) -> &'a str {
        self.target.split_once('?').map_or(self.target, |(p, _)| p)
    }

    /// The query part of the request-target, without `?`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::AuthRequest;
    /// let headers = http::HeaderMap::new();
    /// assert_eq!(AuthRequest::new("GET", "/a?c=d&e", &headers).query(), Some("c=d&e"));
    /// assert_eq!(AuthRequest::new("GET", "/a", &headers).query(), None);
    /// ```
    pub fn query(&self) -> Option<&'a str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    /// The header fields.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::AuthRequest;
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("authorization", http::HeaderValue::from_static("Bearer abc"));
    /// let req = AuthRequest::new("GET", "/", &headers);
    /// assert_eq!(req.headers().count("authorization"), 1);
    /// ```
    pub fn headers(&self) -> &'a dyn HeaderSource {
        self.headers
    }

    /// The first field line named `name`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::AuthRequest;
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("dpop", http::HeaderValue::from_static("eyJ0eXAiOiJkcG9wK2p3dCJ9"));
    /// let req = AuthRequest::new("GET", "/", &headers);
    /// assert_eq!(req.header("DPoP"), Some(&b"eyJ0eXAiOiJkcG9wK2p3dCJ9"[..]));
    /// assert_eq!(req.header("authorization"), None);
    /// ```
    pub fn header(&self, name: &str) -> Option<&'a [u8]> {
        self.headers.first_value(name)
    }

    /// The body, when the adapter buffered it.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::AuthRequest;
    /// let headers = http::HeaderMap::new();
    /// assert_eq!(AuthRequest::new("GET", "/", &headers).body(), None);
    /// let req = AuthRequest::new("POST", "/", &headers).with_body(b"{}");
    /// assert_eq!(req.body(), Some(&b"{}"[..]));
    /// ```
    pub fn body(&self) -> Option<&'a [u8]> {
        self.body
    }

    /// Whom the credentials are for: the origin server (`Authorization`)
    /// or a proxy (`Proxy-Authorization`). The [`Authenticator`] deciding
    /// sets it to its own role; a request built by an adapter says
    /// [`Role::Origin`]. A scheme that also reads credentials outside the
    /// header (Bearer's query and form-body tokens) reads them only for
    /// the origin: they are meant for the server behind a proxy.
    ///
    /// [`Authenticator`]: crate::Authenticator
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Role};
    /// let headers = http::HeaderMap::new();
    /// assert_eq!(AuthRequest::new("GET", "/", &headers).role(), Role::Origin);
    /// ```
    pub fn role(&self) -> Role {
        self.role
    }

    /// The same request, as seen by an authenticator in `role`.
    pub(crate) fn in_role(mut self, role: Role) -> Self {
        self.role = role;
        self
    }
}

impl fmt::Debug for AuthRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthRequest")
            .field("method", &self.method)
            .field("target", &self.target)
            .field("body", &self.body.map(<[u8]>::len))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue, header};

    #[test]
    fn header_map_lookups_agree_for_every_spelling_of_a_name() {
        let mut map = HeaderMap::new();
        map.append(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic YTpi"),
        );
        map.append(header::PROXY_AUTHORIZATION, HeaderValue::from_static("a"));
        map.append(header::PROXY_AUTHORIZATION, HeaderValue::from_static("b"));
        map.append("x-api-key", HeaderValue::from_static("k"));
        for name in ["authorization", "Authorization", "AUTHORIZATION"] {
            assert_eq!(map.first_value(name), Some(&b"Basic YTpi"[..]), "{name}");
            assert_eq!(map.only_value(name), Some(&b"Basic YTpi"[..]), "{name}");
            assert_eq!(map.count(name), 1, "{name}");
        }
        for name in ["proxy-authorization", "Proxy-Authorization"] {
            assert_eq!(map.first_value(name), Some(&b"a"[..]), "{name}");
            assert_eq!(map.only_value(name), None, "two lines are not one value");
            let mut seen = Vec::new();
            map.for_each_value(name, &mut |v| seen.push(v.to_vec()));
            assert_eq!(seen, [b"a".to_vec(), b"b".to_vec()]);
        }
        assert_eq!(map.only_value("X-Api-Key"), Some(&b"k"[..]));
        assert_eq!(map.first_value("cookie"), None);
        assert_eq!(map.only_value("not a header name"), None);
    }
}
