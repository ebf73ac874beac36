//! The request-target as the client sent it, which Digest signs.

use std::borrow::Cow;

use http::request::Parts;
use http::{Extensions, Uri};

/// `path?query` in origin-form, the whole URI in absolute-form (what a
/// proxy receives), the authority for `CONNECT`. Inside a nested axum
/// router the URI is stripped of its prefix, so the original one is used
/// when axum recorded it.
pub(crate) fn request_target(parts: &Parts) -> Cow<'_, str> {
    target_of(&parts.uri, &parts.extensions)
}

/// As [`request_target`], from the request's URI and extensions.
pub(crate) fn target_of<'a>(uri: &'a Uri, extensions: &'a Extensions) -> Cow<'a, str> {
    let uri = extensions
        .get::<axum::extract::OriginalUri>()
        .map_or(uri, |original| &original.0);
    if uri.scheme().is_some() {
        return Cow::Owned(uri.to_string());
    }
    if let Some(path_and_query) = uri.path_and_query() {
        return Cow::Borrowed(path_and_query.as_str());
    }
    match uri.authority() {
        Some(authority) => Cow::Borrowed(authority.as_str()),
        None => Cow::Borrowed("/"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn target_of(uri: &str) -> String {
        let (parts, ()) = http::Request::builder()
            .uri(uri)
            .body(())
            .unwrap()
            .into_parts();
        request_target(&parts).into_owned()
    }

    #[test]
    fn origin_form_keeps_the_query() {
        assert_eq!(target_of("/dir/index.html?a=1&b"), "/dir/index.html?a=1&b");
    }

    #[test]
    fn absolute_form_is_kept_whole() {
        assert_eq!(
            target_of("http://example.com/x?y"),
            "http://example.com/x?y"
        );
    }

    #[test]
    fn authority_form_for_connect() {
        assert_eq!(target_of("example.com:443"), "example.com:443");
    }

    #[test]
    fn original_uri_wins_inside_nested_routers() {
        let (mut parts, ()) = http::Request::builder()
            .uri("/inner")
            .body(())
            .unwrap()
            .into_parts();
        parts.extensions.insert(axum::extract::OriginalUri(
            "/outer/inner?q".parse().unwrap(),
        ));
        assert_eq!(request_target(&parts), "/outer/inner?q");
    }
}
