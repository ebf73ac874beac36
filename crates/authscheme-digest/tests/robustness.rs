//! No input makes the Digest parameter reader or the server panic: the
//! published Authorization values, mutated at random, go through
//! `DigestResponse::parse_with`, `DigestScheme::authenticate_now` and
//! `DigestScheme::authenticate`.
#![allow(clippy::unwrap_used)]

use authscheme::{AuthRequest, AuthScheme, Credentials, Verdict};
use authscheme_digest::{
    Algorithm, DigestResponse, DigestScheme, DigestUser, MemoryCredentialStore,
};
use rand::{Rng, SeedableRng, rngs::StdRng};

fn seeds() -> Vec<Vec<u8>> {
    let path = format!(
        "{}/../../../shared/vectors/rfc7616-digest.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("test vectors missing at {path}: {e}"));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut out = Vec::new();
    for e in json["entries"].as_array().unwrap() {
        for key in [
            "authorization",
            "authorization_corrected",
            "authorization_printed",
        ] {
            if let Some(v) = e.get(key).and_then(|v| v.as_str()) {
                out.push(v.as_bytes().to_vec());
            }
        }
    }
    assert!(out.len() >= 5);
    out
}

const ALPHABET: &[u8] = b"\"\\,=* \t:abcdefABCDEF0123456789%'\x00\x7f\xc3\xa4";

#[tokio::test]
async fn mutated_authorization_values_never_panic() {
    let store =
        MemoryCredentialStore::new("http-auth@example.org").with_user("Mufasa", "Circle of Life");
    let scheme = DigestScheme::builder("http-auth@example.org", store)
        .algorithms(Algorithm::ALL)
        .build()
        .unwrap();
    let headers = http::HeaderMap::new();
    let request = AuthRequest::new("GET", "/dir/index.html", &headers).with_body(b"x");
    let mut rng = StdRng::seed_from_u64(7616);
    let seeds = seeds();
    let mut parsed = 0;
    for i in 0..20_000 {
        let mut v = seeds[i % seeds.len()].clone();
        for _ in 0..rng.random_range(1..6) {
            let at = rng.random_range(0..v.len());
            match rng.random_range(0..3) {
                0 => v[at] = ALPHABET[rng.random_range(0..ALPHABET.len())],
                1 => {
                    v.remove(at);
                }
                _ => v.insert(at, ALPHABET[rng.random_range(0..ALPHABET.len())]),
            }
            if v.is_empty() {
                v.push(b'D');
            }
        }
        if DigestResponse::parse_with(&v, |r| r.algorithm).is_ok() {
            parsed += 1;
        }
        if let Ok(creds) = Credentials::parse(&v) {
            // Both paths: the synchronous one adapters try first, then the
            // asynchronous one.
            let now: Option<authscheme::Authenticated<DigestUser>> =
                scheme.authenticate_now(&request, &creds);
            assert!(now.is_none());
            let verdict: Verdict<DigestUser> = scheme.authenticate(&request, &creds).await;
            assert!(!matches!(verdict, Verdict::Authenticated(_)));
        }
    }
    assert!(parsed > 100, "mutations too destructive: {parsed} parsed");
}
