//! The published vectors in ../shared/vectors: every RFC 9110 grammar entry
//! and every RFC 8187 ext-value entry is a test case.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use authscheme::syntax::{decode_ext_value, parse_challenge_lines, parse_credentials};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!(
        "{}/../../../shared/vectors/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the published vectors must be present at {path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// Compares a parsed item with an `expected` entry: scheme (case-insensitive),
/// token68, and params with lowercased names and unquoted values.
fn assert_matches(
    id: &str,
    scheme: &str,
    token68: Option<&str>,
    params: Vec<(String, String)>,
    expected: &Value,
) {
    assert!(
        scheme.eq_ignore_ascii_case(expected["scheme"].as_str().unwrap()),
        "{id}: scheme {scheme}"
    );
    assert_eq!(
        token68,
        expected.get("token68").and_then(Value::as_str),
        "{id}: token68"
    );
    let want: Vec<(String, String)> = expected["params"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    let mut got = params;
    got.sort();
    let mut want = want;
    want.sort();
    assert_eq!(got, want, "{id}: params");
}

fn params_of(params: &authscheme::Params<'_>) -> Vec<(String, String)> {
    params
        .iter()
        .map(|p| {
            (
                p.name().to_ascii_lowercase(),
                p.value_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn rfc9110_grammar_vectors() {
    let doc = load("rfc9110-auth-grammar.json");
    let entries = doc["entries"].as_array().unwrap();
    assert!(entries.len() >= 25, "expected the whole vector file");
    for entry in entries {
        let id = entry["id"].as_str().unwrap();
        let field = entry["field"].as_str().unwrap();
        let values: Vec<&str> = entry["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let valid = entry["valid"].as_bool().unwrap();
        if field.ends_with("Authorization") {
            assert_eq!(values.len(), 1, "{id}");
            let parsed = parse_credentials(values[0].as_bytes());
            assert_eq!(parsed.is_ok(), valid, "{id}: {parsed:?}");
            if let Ok(c) = parsed {
                let expected = &entry["expected"][0];
                assert_matches(
                    id,
                    c.scheme().as_str(),
                    c.token68(),
                    params_of(c.params()),
                    expected,
                );
            }
        } else {
            let parsed = parse_challenge_lines(values.iter().map(|v| v.as_bytes()));
            assert_eq!(parsed.is_ok(), valid, "{id}: {parsed:?}");
            if let Ok(challenges) = parsed {
                let expected = entry["expected"].as_array().unwrap();
                assert_eq!(
                    challenges.len(),
                    expected.len(),
                    "{id}: number of challenges"
                );
                for (c, e) in challenges.iter().zip(expected) {
                    assert_matches(
                        id,
                        c.scheme().as_str(),
                        c.token68(),
                        params_of(c.params()),
                        e,
                    );
                }
            }
        }
    }
}

#[test]
fn rfc8187_ext_value_vectors() {
    let doc = load("rfc8187-ext-value.json");
    for entry in doc["entries"].as_array().unwrap() {
        let id = entry["id"].as_str().unwrap();
        let param = entry["param"].as_str().unwrap();
        let raw = entry["raw_value"].as_str().unwrap();
        let valid = entry["valid"].as_bool().unwrap();
        // Each value is checked twice: alone, and as a parameter of a
        // challenge, where the parser must decode it the same way.
        let line = format!("Foo {param}={raw}");
        let parsed = authscheme::syntax::parse_challenges(line.as_bytes());
        assert_eq!(parsed.is_ok(), valid, "{id}: {parsed:?}");
        if let Ok(challenges) = parsed {
            let want = entry["expected"]["decoded"].as_str().unwrap();
            assert_eq!(challenges[0].param_str(param), Some(want), "{id}");
            if param.ends_with('*') {
                assert_eq!(decode_ext_value(raw.as_bytes()).unwrap(), want, "{id}");
            }
        }
    }
}
