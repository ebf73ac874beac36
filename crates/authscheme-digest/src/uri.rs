//! Does the `uri` parameter name the request it came with? (RFC 7616
//! section 3.4.6.)
//!
//! The client copies the request-target into `uri`, but the two forms of a
//! target (origin-form `/path?query` and the absolute-form
//! `http://host/path?query` a proxy receives) both occur on either side:
//! a client talking through a proxy sends the absolute URI on the request
//! line and often the path alone in `uri`, and some clients put an
//! absolute URI in `uri` for an origin-form request. Like Apache httpd's
//! `mod_auth_digest`, we accept either form when they name the same
//! resource: the same path and query octet for octet, and, where both give
//! an authority, the same scheme, host (case-insensitive) and port (the
//! scheme's default filled in). Only `http` and `https` URIs name anything
//! an HTTP server serves.

use authscheme::AuthRequest;

/// Whether `given` (the `uri` parameter) names the resource of `request`.
pub(crate) fn uri_matches(given: &str, request: &AuthRequest<'_>) -> bool {
    let target = request.target();
    if given == target {
        return true;
    }
    let (Some(given), Some(target)) = (Target::parse(given), Target::parse(target)) else {
        return false;
    };
    if (given.path, given.query) != (target.path, target.query) {
        return false;
    }
    match (given.origin, target.origin) {
        (Some(g), Some(t)) => g == t,
        // The request line already names the authority it was sent to.
        (None, _) => true,
        // An absolute `uri` for an origin-form request: compare with Host.
        (Some(g), None) => request
            .header("host")
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|host| Origin::parse(g.scheme, host.trim()))
            .is_some_and(|host| host == g),
    }
}

/// A request-target reduced to what identifies the resource.
struct Target<'a> {
    origin: Option<Origin<'a>>,
    path: &'a str,
    query: Option<&'a str>,
}

impl<'a> Target<'a> {
    fn parse(s: &'a str) -> Option<Self> {
        let (origin, path_and_query) = if s.starts_with('/') {
            (None, s)
        } else {
            let (scheme, rest) = s.split_once("://")?;
            let split = rest.find(['/', '?']).unwrap_or(rest.len());
            let (authority, path_and_query) = rest.split_at(split);
            (Some(Origin::parse(scheme, authority)?), path_and_query)
        };
        let (path, query) = match path_and_query.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path_and_query, None),
        };
        // An empty path is the same resource as "/" (RFC 9110 section 4.2.3).
        let path = if path.is_empty() { "/" } else { path };
        Some(Self {
            origin,
            path,
            query,
        })
    }
}

/// Scheme, host and port, compared the way RFC 9110 section 4.2.3 says.
struct Origin<'a> {
    scheme: &'a str,
    host: &'a str,
    port: Option<u16>,
}

impl<'a> Origin<'a> {
    fn parse(scheme: &'a str, authority: &'a str) -> Option<Self> {
        // Userinfo has no place in a request-target (RFC 9110 section 4.2.4).
        if authority.contains('@') || authority.is_empty() {
            return None;
        }
        // An HTTP server serves `http` and `https` resources only: an
        // `ftp://` URI names none of them.
        let default_port = match scheme.to_ascii_lowercase().as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => return None,
        };
        // The port follows the last colon unless that colon is inside an
        // IPv6 literal.
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !port.contains(']') => {
                let port = if port.is_empty() {
                    default_port
                } else {
                    Some(port.parse().ok()?)
                };
                (host, port)
            }
            _ => (authority, default_port),
        };
        Some(Self { scheme, host, port })
    }
}

impl PartialEq for Origin<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.scheme.eq_ignore_ascii_case(other.scheme)
            && self.host.eq_ignore_ascii_case(other.host)
            && self.port == other.port
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::uri_matches;
    use authscheme::AuthRequest;
    use http::{HeaderMap, HeaderValue};

    fn check(given: &str, target: &str, host: Option<&str>) -> bool {
        let mut headers = HeaderMap::new();
        if let Some(host) = host {
            headers.insert("host", HeaderValue::from_str(host).unwrap());
        }
        uri_matches(given, &AuthRequest::new("GET", target, &headers))
    }

    #[test]
    fn identical_targets_match() {
        assert!(check("/dir/index.html?a=1", "/dir/index.html?a=1", None));
        assert!(check("*", "*", None));
        assert!(check("example.org:443", "example.org:443", None));
    }

    #[test]
    fn path_and_query_must_be_the_same_octets() {
        assert!(!check("/dir/index.html", "/dir/index.html?a=1", None));
        assert!(!check("/dir/other.html", "/dir/index.html", None));
        assert!(!check("/dir/%69ndex.html", "/dir/index.html", None));
        assert!(!check("/DIR/index.html", "/dir/index.html", None));
    }

    #[test]
    fn path_alone_matches_an_absolute_form_request() {
        assert!(check("/a?b", "http://example.org/a?b", None));
        assert!(!check("/a", "http://example.org/b", None));
    }

    #[test]
    fn absolute_uris_compare_scheme_host_and_port() {
        let target = "http://Example.ORG/a";
        assert!(check("http://example.org/a", target, None));
        assert!(check("HTTP://example.org:80/a", target, None));
        assert!(check("http://example.org:/a", target, None));
        assert!(!check("https://example.org/a", target, None));
        assert!(!check("http://example.org:8080/a", target, None));
        assert!(!check("http://other.example/a", target, None));
        assert!(check("http://[::1]:8080/", "http://[::1]:8080", None));
        assert!(!check("http://[::1]/", "http://[::1]:8080/", None));
    }

    #[test]
    fn an_empty_path_is_the_root() {
        assert!(check("http://example.org?a", "/?a", Some("example.org")));
        assert!(check("/", "http://example.org", None));
        assert!(!check("http://example.org?a", "/?b", Some("example.org")));
    }

    #[test]
    fn absolute_uri_for_an_origin_form_request_is_checked_against_host() {
        assert!(check("http://example.org/a", "/a", Some("example.org")));
        assert!(check("http://example.org:80/a", "/a", Some("EXAMPLE.org")));
        assert!(check(
            "http://127.0.0.1:8080/a",
            "/a",
            Some("127.0.0.1:8080")
        ));
        assert!(!check(
            "http://example.org/a",
            "/a",
            Some("example.org:8080")
        ));
        assert!(!check("http://evil.example/a", "/a", Some("example.org")));
        assert!(!check("http://example.org/a", "/a", None));
        // Only http and https resources are served here.
        assert!(check("https://example.org/a", "/a", Some("example.org")));
        assert!(!check("ftp://example.org/a", "/a", Some("example.org")));
    }

    #[test]
    fn malformed_uris_never_match() {
        assert!(!check(
            "http://user@example.org/a",
            "/a",
            Some("example.org")
        ));
        assert!(!check("http:///a", "/a", Some("example.org")));
        assert!(!check(
            "http://example.org:99999/a",
            "/a",
            Some("example.org")
        ));
        assert!(!check("a", "/a", None));
    }
}
