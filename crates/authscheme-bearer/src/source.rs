//! Where a token may come from besides the `Authorization` header: the
//! form-encoded body (RFC 6750 section 2.2) and the `access_token` query
//! parameter (section 2.3). Both are off unless enabled.

use std::borrow::Cow;

use authscheme::{AuthRequest, Role};

/// The parameter name RFC 6750 sections 2.2 and 2.3 use.
const ACCESS_TOKEN: &str = "access_token";

/// The token(s) found in one place.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Found<'a> {
    /// None here.
    Nothing,
    /// Exactly one.
    One(Cow<'a, str>),
    /// More than one, or one that cannot be decoded: `invalid_request`.
    Bad,
}

impl<'a> Found<'a> {
    fn add(self, value: Option<Cow<'a, str>>) -> Self {
        match (self, value) {
            (Found::Nothing, Some(v)) => Found::One(v),
            _ => Found::Bad,
        }
    }

    pub(crate) fn is_nothing(&self) -> bool {
        matches!(self, Found::Nothing)
    }
}

/// `access_token` in an `application/x-www-form-urlencoded` string.
pub(crate) fn in_urlencoded(input: &str) -> Found<'_> {
    let mut found = Found::Nothing;
    for pair in input.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if name == ACCESS_TOKEN {
            found = found.add(form_decode(value));
        }
    }
    found
}

/// `access_token` in the query of the request-target; never for a proxy,
/// since a token outside the header is meant for the origin.
pub(crate) fn in_query<'a>(request: &AuthRequest<'a>) -> Found<'a> {
    if request.role() == Role::Proxy {
        return Found::Nothing;
    }
    request.query().map_or(Found::Nothing, in_urlencoded)
}

/// `access_token` in the body, only when RFC 6750 section 2.2 allows it: a
/// method whose request content has defined semantics, with
/// `Content-Type: application/x-www-form-urlencoded` and a body the adapter
/// buffered; never for a proxy, as in [`in_query`].
pub(crate) fn in_form_body<'a>(request: &AuthRequest<'a>) -> Found<'a> {
    if request.role() == Role::Proxy
        || !body_has_semantics(request.method())
        || !is_form_content(request)
    {
        return Found::Nothing;
    }
    let Some(body) = request.body() else {
        return Found::Nothing;
    };
    match std::str::from_utf8(body) {
        Ok(text) => in_urlencoded(text),
        // A form body is ASCII; a body that is not even UTF-8 cannot hold a
        // usable token, and any `access_token` bytes in it are suspicious.
        Err(_) if contains(body, ACCESS_TOKEN.as_bytes()) => Found::Bad,
        Err(_) => Found::Nothing,
    }
}

/// Whether content in a request of `method` has defined semantics, as RFC
/// 6750 section 2.2 requires of a body that carries the token. RFC 9110
/// gives none to content in GET, HEAD, DELETE, OPTIONS and CONNECT
/// requests and forbids it in TRACE; other methods (POST, PUT, PATCH, and
/// extension methods such as WebDAV's, which define their bodies) may carry
/// it. Compared ignoring case, though method names are case-sensitive
/// (RFC 9110 section 9.1): a `get` that some server treats as GET must not
/// carry the token either.
fn body_has_semantics(method: &str) -> bool {
    !["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"]
        .iter()
        .any(|m| method.eq_ignore_ascii_case(m))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn is_form_content(request: &AuthRequest<'_>) -> bool {
    let Some(value) = request.header("content-type") else {
        return false;
    };
    let media_type = value.split(|&b| b == b';').next().unwrap_or_default();
    media_type
        .trim_ascii()
        .eq_ignore_ascii_case(b"application/x-www-form-urlencoded")
}

/// Decodes `+` and `%XX`; `None` when an escape is broken or the result is
/// not UTF-8.
fn form_decode(value: &str) -> Option<Cow<'_, str>> {
    if !value.bytes().any(|b| b == b'%' || b == b'+') {
        return Some(Cow::Borrowed(value));
    }
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = hex(*bytes.get(i + 1)?)?;
                let lo = hex(*bytes.get(i + 2)?)?;
                out.push(hi << 4 | lo);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_one_token_among_other_parameters() {
        assert_eq!(
            in_urlencoded("a=1&access_token=mF_9.B5f-4.1JqM&b=2"),
            Found::One(Cow::Borrowed("mF_9.B5f-4.1JqM"))
        );
        assert_eq!(in_urlencoded("a=1&b=2"), Found::Nothing);
        assert_eq!(in_urlencoded(""), Found::Nothing);
    }

    #[test]
    fn two_tokens_or_broken_escapes_are_bad() {
        assert_eq!(in_urlencoded("access_token=a&access_token=b"), Found::Bad);
        assert_eq!(in_urlencoded("access_token=%zz"), Found::Bad);
        assert_eq!(in_urlencoded("access_token=%4"), Found::Bad);
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(
            in_urlencoded("access_token=abc%3D%3D"),
            Found::One(Cow::Owned("abc==".to_string()))
        );
    }

    #[test]
    fn form_body_needs_a_method_with_body_semantics_and_form_content_type() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            "content-type",
            http::HeaderValue::from_static("Application/X-WWW-Form-Urlencoded; charset=utf-8"),
        );
        let body = b"access_token=mF_9.B5f-4.1JqM";
        let post = AuthRequest::new("POST", "/resource", &headers).with_body(body);
        assert!(matches!(in_form_body(&post), Found::One(_)));
        for method in [
            "GET", "get", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT",
        ] {
            let request = AuthRequest::new(method, "/resource", &headers).with_body(body);
            assert!(in_form_body(&request).is_nothing(), "{method}");
        }
        for method in ["PUT", "PATCH", "PROPPATCH"] {
            let request = AuthRequest::new(method, "/resource", &headers).with_body(body);
            assert!(matches!(in_form_body(&request), Found::One(_)), "{method}");
        }
        let json = http::HeaderMap::new();
        let post_json = AuthRequest::new("POST", "/resource", &json).with_body(body);
        assert!(in_form_body(&post_json).is_nothing());
    }
}
