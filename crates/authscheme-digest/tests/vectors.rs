//! The published RFC 7616 / RFC 2617 vectors and the computed vectors of
//! ../shared/vectors, recomputed with this crate.
#![allow(clippy::unwrap_used)]

use authscheme_digest::{Algorithm, DigestResponse, HexDigest, Qop, Username, compute};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!(
        "{}/../../../shared/vectors/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("test vectors missing at {path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("vector field {key} missing"))
}

/// Recomputes HA1, HA2 and the response of one entry; returns how many
/// values were compared.
fn check_entry(e: &Value) -> usize {
    let id = s(e, "id");
    let inp = &e["inputs"];
    let exp = &e["expected"];
    let alg = Algorithm::parse(s(inp, "algorithm")).unwrap();
    let mut checked = 0;
    if let Some(want) = exp.get("userhash").and_then(Value::as_str) {
        let got = compute::userhash(alg, s(inp, "username"), s(inp, "realm"));
        assert_eq!(got.as_str(), want, "{id}: userhash");
        checked += 1;
    }
    let Some(want_response) = exp.get("response").and_then(Value::as_str) else {
        return checked;
    };
    let plain = compute::ha1(alg, s(inp, "username"), s(inp, "realm"), s(inp, "password"));
    if let Some(want) = exp.get("HA1_unsessioned").and_then(Value::as_str) {
        assert_eq!(plain.as_str(), want, "{id}: HA1 before -sess");
        checked += 1;
    }
    let qop = inp
        .get("qop")
        .and_then(Value::as_str)
        .map(|q| Qop::parse(q).unwrap());
    let cnonce = inp.get("cnonce").and_then(Value::as_str).unwrap_or("");
    let nonce = s(inp, "nonce");
    let ha1 = compute::session_ha1(alg, &plain, nonce, cnonce);
    assert_eq!(ha1.as_str(), s(exp, "HA1"), "{id}: HA1");
    let body = inp.get("entity_body").and_then(Value::as_str).unwrap_or("");
    if let Some(want) = exp.get("H_entity_body").and_then(Value::as_str) {
        assert_eq!(alg.hash(body.as_bytes()).as_str(), want, "{id}: H(body)");
        checked += 1;
    }
    let ha2 = compute::ha2(alg, qop, s(inp, "method"), s(inp, "uri"), body.as_bytes());
    assert_eq!(ha2.as_str(), s(exp, "HA2"), "{id}: HA2");
    let parts = qop.map(|qop| compute::QopParts {
        qop,
        nc: s(inp, "nc"),
        cnonce,
    });
    let response = compute::response(alg, &ha1, nonce, parts, &ha2);
    assert_eq!(response.as_str(), want_response, "{id}: response");
    if let Some(wrong) = e.get("wrong_if_sha512_truncated") {
        assert_ne!(
            response.as_str(),
            s(wrong, "response"),
            "{id}: truncated SHA-512 used"
        );
    }
    checked + 3
}

#[test]
fn rfc7616_published_vectors_recompute() {
    let file = load("rfc7616-digest.json");
    let entries = file["entries"].as_array().unwrap();
    assert!(entries.len() >= 5, "expected the five published entries");
    for e in entries {
        assert!(check_entry(e) >= 3, "{} checked nothing", s(e, "id"));
    }
}

#[test]
fn rfc7616_3_9_2_userhash_uses_corrected_sha512_256_values() {
    let file = load("rfc7616-digest.json");
    let e = file["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| s(e, "id") == "rfc7616-3.9.2-sha512-256-userhash")
        .unwrap();
    let inp = &e["inputs"];
    let hash = compute::userhash(Algorithm::Sha512_256, s(inp, "username"), s(inp, "realm"));
    // The erratum: the printed value was made with truncated SHA-512.
    assert_eq!(hash.as_str(), s(&e["expected"], "userhash"));
    assert_ne!(hash.as_str(), s(&e["printed"], "userhash"));
    assert_eq!(
        hash.as_str(),
        "793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b"
    );
}

#[test]
fn computed_vectors_recompute() {
    let file = load("computed-digest-vectors.json");
    let entries = file["entries"].as_array().unwrap();
    assert!(entries.len() >= 23);
    let total: usize = entries.iter().map(check_entry).sum();
    assert!(total > 60, "only {total} values compared");
}

/// Every printed Authorization value parses into the inputs it was made of.
#[test]
fn authorization_values_parse_to_their_inputs() {
    for file in ["rfc7616-digest.json", "computed-digest-vectors.json"] {
        let file = load(file);
        for e in file["entries"].as_array().unwrap() {
            let Some(value) = e
                .get("authorization_corrected")
                .or_else(|| e.get("authorization"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let inp = &e["inputs"];
            DigestResponse::parse_with(value.as_bytes(), |r| {
                let id = s(e, "id");
                assert_eq!(r.realm, s(inp, "realm"), "{id}");
                assert_eq!(r.uri, s(inp, "uri"), "{id}");
                assert_eq!(r.nonce, s(inp, "nonce"), "{id}");
                assert_eq!(
                    r.algorithm,
                    Algorithm::parse(s(inp, "algorithm")).unwrap(),
                    "{id}"
                );
                assert_eq!(r.response, s(&e["expected"], "response"), "{id}");
                match r.username {
                    Username::Plain(u) | Username::Extended(u) => {
                        assert_eq!(u, s(inp, "username"), "{id}");
                    }
                    Username::Hashed(h) => {
                        assert_eq!(h, s(&e["expected"], "userhash"), "{id}");
                    }
                    _ => unreachable!(),
                }
            })
            .unwrap();
        }
    }
}

#[test]
fn hex_digests_compare_case_insensitively_after_parse() {
    let upper = HexDigest::parse("8CA523F5E9506FED4657C9700EEBDBEC").unwrap();
    assert_eq!(upper.as_str(), "8ca523f5e9506fed4657c9700eebdbec");
}
