//! The one place where `http` 1.x (the core) meets actix-web's `http` 0.2
//! types: header lookup for schemes, and header conversion for responses.

use std::borrow::Cow;

use actix_web::http::Uri;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use authscheme::HeaderSource;

/// actix-web's request header map, readable by authentication schemes.
///
/// actix-web 4 is built on `http` 0.2, the core on `http` 1.x; this newtype
/// lets a scheme read actix's headers as octets without either side seeing
/// the other's types.
///
/// # Examples
///
/// ```
/// use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
/// use authscheme::HeaderSource;
/// use authscheme_actix::ActixHeaders;
///
/// let mut map = HeaderMap::new();
/// map.append(HeaderName::from_static("authorization"), HeaderValue::from_static("Basic YTpi"));
/// let headers = ActixHeaders(&map);
/// assert_eq!(headers.first_value("Authorization"), Some(&b"Basic YTpi"[..]));
/// assert_eq!(headers.count("authorization"), 1);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ActixHeaders<'a>(pub &'a HeaderMap);

impl HeaderSource for ActixHeaders<'_> {
    fn first_value(&self, name: &str) -> Option<&[u8]> {
        self.values(name).next().map(HeaderValue::as_bytes)
    }

    fn for_each_value(&self, name: &str, f: &mut dyn FnMut(&[u8])) {
        for value in self.values(name) {
            f(value.as_bytes());
        }
    }

    fn only_value(&self, name: &str) -> Option<&[u8]> {
        let mut values = self.values(name);
        let first = values.next()?;
        values.next().is_none().then(|| first.as_bytes())
    }
}

impl<'m> ActixHeaders<'m> {
    /// Every line of the field `name`.
    fn values(&self, name: &str) -> impl Iterator<Item = &'m HeaderValue> + use<'m> {
        match well_known(name) {
            Some(known) => self.0.get_all(known),
            None => self.0.get_all(name),
        }
    }
}

/// The credentials fields as actix's [`HeaderName`]s: a name given as
/// `&str` is parsed on every lookup, and the authenticator asks for one of
/// these on every request.
fn well_known(name: &str) -> Option<&'static HeaderName> {
    match name {
        "authorization" => Some(&header::AUTHORIZATION),
        "proxy-authorization" => Some(&header::PROXY_AUTHORIZATION),
        _ => None,
    }
}

/// The request-target as the client sent it: `/path?query` in origin-form,
/// the whole URI in absolute-form (what a proxy receives).
pub(crate) fn request_target(uri: &Uri) -> Cow<'_, str> {
    if uri.scheme().is_some() {
        return Cow::Owned(uri.to_string());
    }
    Cow::Borrowed(uri.path_and_query().map_or("/", |pq| pq.as_str()))
}

/// Converts one core (`http` 1.x) header line into actix's types, byte for
/// byte. Both come from values the core already validated, so a failure
/// means a bug; it is logged and the line is dropped rather than panicking.
pub(crate) fn to_actix(
    name: &http::HeaderName,
    value: &http::HeaderValue,
) -> Option<(HeaderName, HeaderValue)> {
    match (
        HeaderName::from_bytes(name.as_str().as_bytes()),
        HeaderValue::from_bytes(value.as_bytes()),
    ) {
        (Ok(n), Ok(v)) => Some((n, v)),
        _ => {
            tracing::warn!(
                header = name.as_str(),
                "header line not representable in actix-web; dropped"
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn origin_form_target_is_path_and_query() {
        let uri: Uri = "/a/b?x=1&y".parse().unwrap();
        assert_eq!(request_target(&uri), "/a/b?x=1&y");
    }

    #[test]
    fn absolute_form_target_is_whole_uri() {
        let uri: Uri = "http://example.com/a?x".parse().unwrap();
        assert_eq!(request_target(&uri), "http://example.com/a?x");
    }

    #[test]
    fn header_lines_convert_byte_for_byte() {
        let name = http::HeaderName::from_static("www-authenticate");
        let value = http::HeaderValue::from_static("Basic realm=\"a b\", charset=\"UTF-8\"");
        let (n, v) = to_actix(&name, &value).unwrap();
        assert_eq!(n.as_str(), "www-authenticate");
        assert_eq!(v.as_bytes(), value.as_bytes());
    }

    #[test]
    fn every_line_of_a_name_is_visible() {
        let mut map = HeaderMap::new();
        map.append(
            HeaderName::from_static("authorization"),
            HeaderValue::from_static("a"),
        );
        map.append(
            HeaderName::from_static("authorization"),
            HeaderValue::from_static("b"),
        );
        let mut seen = Vec::new();
        ActixHeaders(&map).for_each_value("authorization", &mut |v| seen.push(v.to_vec()));
        assert_eq!(seen, [b"a".to_vec(), b"b".to_vec()]);
        assert_eq!(ActixHeaders(&map).count("AUTHORIZATION"), 2);
    }
}
