//! The `headers` feature: the five typed header fields work through
//! `headers::HeaderMapExt`, as `axum_extra::TypedHeader` uses them.
//! Run by `cargo xtask test` with `--features headers`.
#![cfg(feature = "headers")]
#![allow(clippy::unwrap_used)]

use authscheme::header::{
    AuthenticationInfo, Authorization, ProxyAuthenticate, ProxyAuthorization, WwwAuthenticate,
};
use authscheme::syntax::parse_challenges;
use headers::HeaderMapExt;

#[test]
fn challenges_decode_from_several_lines_and_encode_one_per_line() {
    let mut map = http::HeaderMap::new();
    map.append("www-authenticate", "Basic realm=\"a\"".parse().unwrap());
    map.append(
        "www-authenticate",
        "Bearer, Digest realm=\"b\"".parse().unwrap(),
    );
    let h: WwwAuthenticate = map.typed_get().unwrap();
    assert_eq!(h.0.len(), 3);

    let mut out = http::HeaderMap::new();
    out.typed_insert(h.clone());
    assert_eq!(out.get_all("www-authenticate").iter().count(), 3);
    let again: WwwAuthenticate = out.typed_get().unwrap();
    assert_eq!(again, h);

    let proxy = ProxyAuthenticate(
        parse_challenges(b"Basic realm=\"p\"")
            .unwrap()
            .into_iter()
            .map(|c| c.into_owned())
            .collect(),
    );
    let mut out = http::HeaderMap::new();
    out.typed_insert(proxy);
    assert!(out.contains_key("proxy-authenticate"));
}

#[test]
fn credentials_are_sensitive_and_singular() {
    let mut map = http::HeaderMap::new();
    map.insert("authorization", "Basic YTpi".parse().unwrap());
    let h: Authorization = map.typed_get().unwrap();
    assert_eq!(h.0.token68(), Some("YTpi"));
    let mut out = http::HeaderMap::new();
    out.typed_insert(h);
    assert!(out.get("authorization").unwrap().is_sensitive());

    map.append("authorization", "Bearer x".parse().unwrap());
    assert!(
        map.typed_get::<Authorization>().is_none(),
        "two credentials lines are invalid"
    );

    let mut map = http::HeaderMap::new();
    map.insert("proxy-authorization", "Bearer x".parse().unwrap());
    assert!(map.typed_get::<ProxyAuthorization>().is_some());
}

#[test]
fn authentication_info_round_trips() {
    let mut map = http::HeaderMap::new();
    map.insert(
        "authentication-info",
        "rspauth=\"abc\", nc=00000001".parse().unwrap(),
    );
    let h: AuthenticationInfo = map.typed_get().unwrap();
    assert_eq!(h.0.get_str("rspauth"), Some("abc"));
    let mut out = http::HeaderMap::new();
    out.typed_insert(h);
    // The quoted-string form is kept as received.
    assert_eq!(
        out.get("authentication-info").unwrap(),
        r#"rspauth="abc", nc=00000001"#
    );
}
