//! Every entry of the published RFC 7617 vectors, checked on both sides:
//! the client encodes them, the server decodes and verifies them.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use authscheme::{
    AuthRequest, Authenticator, Challenge, ClientCredentials, ClientRequest, ClientScheme,
    ClientSession, Credentials, Outcome,
};
use authscheme_basic::{BasicClient, BasicCredentials, BasicScheme, BasicSession, MemoryStore};
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/vectors/rfc7617-basic.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the RFC 7617 vectors must be at {}: {e}", path.display()));
    let json: Value = serde_json::from_str(&text).unwrap();
    let entries = json["entries"].as_array().unwrap().clone();
    assert_eq!(
        entries.len(),
        8,
        "the vector file changed: review this test"
    );
    entries
}

fn token68(entry: &Value) -> &str {
    entry["expected"]["token68"].as_str().unwrap()
}

fn is_utf8_entry(entry: &Value) -> bool {
    entry.get("encoding").is_none()
}

#[test]
fn client_encodes_every_utf8_vector() {
    for entry in vectors().iter().filter(|e| is_utf8_entry(e)) {
        let user = entry["user_id"].as_str().unwrap();
        let password = entry["password"].as_str().unwrap();
        let mut session = BasicSession::new(user, password).unwrap();
        let value = session.authorize(&ClientRequest::new("GET", "/")).unwrap();
        assert_eq!(
            value.to_string(),
            entry["authorization"].as_str().unwrap(),
            "{}",
            entry["id"]
        );
        assert_eq!(value.token68(), Some(token68(entry)), "{}", entry["id"]);
    }
}

/// RFC 7617 section 2.1: under `charset="UTF-8"` the client sends the
/// user-id and password in Normalization Form C ("e" and a combining acute
/// become "é"); without the parameter it sends what it was given.
#[test]
fn client_normalizes_to_nfc_under_charset_utf8() {
    let creds = ClientCredentials::password("Jose\u{301}", "cafe\u{301}");
    let sent = |challenge: &[u8]| {
        let challenge = Challenge::parse(challenge).unwrap();
        let mut session = BasicClient.start(&challenge, &creds).unwrap();
        let value = session.authorize(&ClientRequest::new("GET", "/")).unwrap();
        BasicCredentials::decode(value.token68().unwrap()).unwrap()
    };
    let utf8 = sent(br#"Basic realm="r", charset="utf-8""#);
    assert_eq!((utf8.user(), utf8.password()), ("Jos\u{e9}", "caf\u{e9}"));
    let plain = sent(br#"Basic realm="r""#);
    assert_eq!(
        (plain.user(), plain.password()),
        ("Jose\u{301}", "cafe\u{301}")
    );
}

#[test]
fn server_decodes_every_vector() {
    for entry in vectors() {
        let authorization = entry["authorization"].as_str().unwrap();
        let parsed = Credentials::parse(authorization.as_bytes()).unwrap();
        assert!(parsed.scheme().is("basic"));
        // UTF-8 entries, and the ISO-8859-1 one (octets that are not UTF-8
        // are read as ISO-8859-1), decode to the user-id and password the
        // entry names.
        let decoded = BasicCredentials::decode(parsed.token68().unwrap()).unwrap();
        assert_eq!(
            decoded.user(),
            entry["user_id"].as_str().unwrap(),
            "{}",
            entry["id"]
        );
        assert_eq!(
            decoded.password(),
            entry["password"].as_str().unwrap(),
            "{}",
            entry["id"]
        );
    }
}

#[test]
fn challenges_match_the_printed_ones() {
    let store = || MemoryStore::with_cost(4).unwrap();
    for entry in vectors()
        .iter()
        .filter(|e| e.get("www_authenticate").is_some())
    {
        let printed = entry["www_authenticate"][0].as_str().unwrap();
        let expected = &entry["expected_challenge"]["params"];
        let realm = expected["realm"].as_str().unwrap();
        let with_charset = expected.get("charset").is_some();
        let scheme = BasicScheme::new(realm, store()).with_charset(with_charset);
        let auth = Authenticator::new().with(scheme);
        let headers = http::HeaderMap::new();
        let challenges = auth.challenges(&AuthRequest::new("GET", "/", &headers));
        assert_eq!(challenges[0].to_string(), printed, "{}", entry["id"]);
        // And the printed challenge parses to the expected parameters.
        let parsed = authscheme::Challenge::parse(printed.as_bytes()).unwrap();
        assert_eq!(parsed.realm(), Some(realm));
        if with_charset {
            assert!(
                parsed
                    .param_str("charset")
                    .unwrap()
                    .eq_ignore_ascii_case("utf-8")
            );
        }
    }
}

#[tokio::test]
async fn server_authenticates_every_vector_in_utf8_or_latin1() {
    // One store per entry: several entries share a user-id.
    for entry in vectors() {
        let store = MemoryStore::with_cost(4).unwrap();
        store
            .insert(
                entry["user_id"].as_str().unwrap(),
                entry["password"].as_str().unwrap(),
            )
            .unwrap();
        let auth = Authenticator::new().with(BasicScheme::new("foo", store));
        let mut headers = http::HeaderMap::new();
        headers.insert(
            "authorization",
            entry["authorization"].as_str().unwrap().parse().unwrap(),
        );
        let outcome = auth
            .authenticate(&AuthRequest::new("GET", "/", &headers))
            .await;
        match outcome {
            Outcome::Authenticated(ok) => assert_eq!(
                ok.authenticated().identity().name(),
                entry["user_id"].as_str().unwrap()
            ),
            other => panic!("{}: unexpected {other:?}", entry["id"]),
        }
    }
}
