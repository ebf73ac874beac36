//! [`AuthRequest`]: what a scheme may see of a request, framework-neutral.

use std::fmt;

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
    fn first_value(&self, name: &str) -> Option<&[u8]>;
    /// Calls `f` with every field line named `name`, in order.
    fn for_each_value(&self, name: &str, f: &mut dyn FnMut(&[u8]));
    /// How many field lines are named `name`.
    fn count(&self, name: &str) -> usize {
        let mut n = 0;
        self.for_each_value(name, &mut |_| n += 1);
        n
    }

    /// The value when exactly one field line is named `name`; `None` when
    /// there is none or more than one. Implement it with one lookup where
    /// the map allows (it is on every request's path).
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
}

impl<'a> AuthRequest<'a> {
    /// A request without a body.
    pub fn new(method: &'a str, target: &'a str, headers: &'a dyn HeaderSource) -> Self {
        Self {
            method,
            target,
            headers,
            body: None,
        }
    }

    /// Attaches the whole request body (the adapter buffered it within its
    /// limit). Only then may Digest offer and verify `qop=auth-int`.
    pub fn with_body(mut self, body: &'a [u8]) -> Self {
        self.body = Some(body);
        self
    }

    /// The request method, such as `GET`.
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The request-target as sent: `/path?query` in origin-form, or the
    /// absolute URI a proxy receives.
    pub fn target(&self) -> &'a str {
        self.target
    }

    /// The path part of the request-target.
    pub fn path(&self) -> &'a str {
        self.target.split_once('?').map_or(self.target, |(p, _)| p)
    }

    /// The query part of the request-target, without `?`.
    pub fn query(&self) -> Option<&'a str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    /// The header fields.
    pub fn headers(&self) -> &'a dyn HeaderSource {
        self.headers
    }

    /// The first field line named `name`.
    pub fn header(&self, name: &str) -> Option<&'a [u8]> {
        self.headers.first_value(name)
    }

    /// The body, when the adapter buffered it.
    pub fn body(&self) -> Option<&'a [u8]> {
        self.body
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
