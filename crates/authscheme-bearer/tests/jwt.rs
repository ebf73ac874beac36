//! The JWT validator: every algorithm family verifies (so exactly one
//! jsonwebtoken crypto backend is on), no algorithm confusion, JWKS by
//! `kid`, rate-limited refresh, the verified-token cache, claims.

#![allow(clippy::unwrap_used, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use authscheme_bearer::jwt::{
    Algorithm, JwtKey, JwtValidator, KeyRefresher, KeySet, SigningKey, TokenMint,
};
use authscheme_bearer::{BearerError, TokenError, TokenValidator};
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{EncodingKey, Header, encode};

/// Long enough for every HMAC algorithm (64 bytes, HS512's hash size).
const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const RSA_PRIVATE: &[u8] = include_bytes!("keys/rsa-private.pem");
const RSA_PUBLIC: &[u8] = include_bytes!("keys/rsa-public.pem");
const EC_PRIVATE: &[u8] = include_bytes!("keys/ec-private.pem");
const EC_PUBLIC: &[u8] = include_bytes!("keys/ec-public.pem");
/// The same kinds of EC key in SEC1 (`BEGIN EC PRIVATE KEY`), as
/// `openssl ecparam -genkey` writes them.
const EC_SEC1_PRIVATE: &[u8] = include_bytes!("keys/ec-sec1-private.pem");
const EC_SEC1_PUBLIC: &[u8] = include_bytes!("keys/ec-sec1-public.pem");
const EC384_SEC1_PRIVATE: &[u8] = include_bytes!("keys/ec384-sec1-private.pem");
/// As `openssl ecparam -genkey` writes it without `-noout`: an `EC
/// PARAMETERS` block before the key.
const EC_SEC1_WITH_PARAMS_PRIVATE: &[u8] = include_bytes!("keys/ec-sec1-with-params-private.pem");
const EC_SEC1_WITH_PARAMS_PUBLIC: &[u8] = include_bytes!("keys/ec-sec1-with-params-public.pem");
const EC384_SEC1_PUBLIC: &[u8] = include_bytes!("keys/ec384-sec1-public.pem");
const ED_PRIVATE: &[u8] = include_bytes!("keys/ed-private.pem");
const ED_PUBLIC: &[u8] = include_bytes!("keys/ed-public.pem");

fn hs_validator() -> JwtValidator {
    JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .key(JwtKey::secret(SECRET))
        .build()
        .unwrap()
}

/// As [`hs_validator`], with a cache of eight verified tokens.
fn cached_hs_validator() -> JwtValidator {
    JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .key(JwtKey::secret(SECRET))
        .cache(8)
        .build()
        .unwrap()
}

/// An HS256 token for alice with scope `read`.
fn alice_read_token() -> String {
    TokenMint::new("alice")
        .scope("read")
        .sign(Algorithm::HS256, &SigningKey::secret(SECRET))
        .unwrap()
}

/// An HS256 token for `sub`, naming `kid`, signed with `secret`.
fn hs256(sub: &str, kid: &str, secret: &[u8]) -> String {
    TokenMint::new(sub)
        .kid(kid)
        .sign(Algorithm::HS256, &SigningKey::secret(secret))
        .unwrap()
}

#[test]
fn the_granted_scopes_are_the_principals() {
    // A scope repeated in `scope`: each scope once, in order, the same
    // list for the token and for its principal, verified and from the
    // cache.
    let token = TokenMint::new("alice")
        .scope("read write read")
        .sign(Algorithm::HS256, &SigningKey::secret(SECRET))
        .unwrap();
    let v = cached_hs_validator();
    for _ in 0..2 {
        let info = v.verify(&token).unwrap();
        assert_eq!(info.scopes(), ["read", "write"]);
        assert_eq!(info.identity().scopes(), info.scopes());
        assert_eq!(info.identity().name(), "alice");
    }
    assert_eq!(v.cached_tokens(), 1);
}

#[test]
fn every_algorithm_family_verifies() {
    let cases: [(Algorithm, &[u8], &[u8]); 8] = [
        (Algorithm::RS256, RSA_PRIVATE, RSA_PUBLIC),
        (Algorithm::RS512, RSA_PRIVATE, RSA_PUBLIC),
        (Algorithm::PS256, RSA_PRIVATE, RSA_PUBLIC),
        (Algorithm::ES256, EC_PRIVATE, EC_PUBLIC),
        (Algorithm::ES256, EC_SEC1_PRIVATE, EC_SEC1_PUBLIC),
        (
            Algorithm::ES256,
            EC_SEC1_WITH_PARAMS_PRIVATE,
            EC_SEC1_WITH_PARAMS_PUBLIC,
        ),
        (Algorithm::ES384, EC384_SEC1_PRIVATE, EC384_SEC1_PUBLIC),
        (Algorithm::EdDSA, ED_PRIVATE, ED_PUBLIC),
    ];
    for (alg, private, public) in cases {
        let token = TokenMint::new("alice")
            .sign(alg, &SigningKey::private_pem(alg, private).unwrap())
            .unwrap();
        let v = JwtValidator::builder()
            .algorithms([alg])
            .key(JwtKey::public_pem(alg, public).unwrap())
            .build()
            .unwrap();
        assert_eq!(
            v.verify(&token).unwrap().identity().name(),
            "alice",
            "{alg:?}"
        );
    }
    for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
        let token = TokenMint::new("bob")
            .sign(alg, &SigningKey::secret(SECRET))
            .unwrap();
        let v = JwtValidator::builder()
            .algorithms([alg])
            .key(JwtKey::secret(SECRET))
            .build()
            .unwrap();
        assert_eq!(
            v.verify(&token).unwrap().identity().name(),
            "bob",
            "{alg:?}"
        );
    }
}

/// RFC 7518 sets the smallest keys: an RSA key of 2048 bits (section 3.3)
/// and an HMAC secret as long as the hash (section 3.2). Smaller ones sign
/// nothing.
#[test]
fn keys_smaller_than_rfc_7518_allows_sign_nothing() {
    let small: [&[u8]; 3] = [
        include_bytes!("keys/rsa1024-private.pem"),
        include_bytes!("keys/rsa2047-private.pem"),
        // Followed by its certificate, as key files often are.
        include_bytes!("keys/rsa1024-with-cert.pem"),
    ];
    for (i, key) in small.into_iter().enumerate() {
        for alg in [Algorithm::RS256, Algorithm::PS256] {
            assert!(
                matches!(
                    SigningKey::private_pem(alg, key),
                    Err(BearerError::Key { .. })
                ),
                "key {i}, {alg:?}"
            );
        }
    }
    for (alg, bytes) in [
        (Algorithm::HS256, 32),
        (Algorithm::HS384, 48),
        (Algorithm::HS512, 64),
    ] {
        let long_enough = SigningKey::secret(&SECRET[..bytes]);
        assert!(
            TokenMint::new("a").sign(alg, &long_enough).is_ok(),
            "{alg:?}"
        );
        let short = SigningKey::secret(&SECRET[..bytes - 1]);
        assert!(
            matches!(
                TokenMint::new("a").sign(alg, &short),
                Err(BearerError::Key { .. })
            ),
            "{alg:?}"
        );
    }
}

/// A key followed by its certificate in one file signs as the key alone.
#[test]
fn a_key_followed_by_its_certificate_signs() {
    let with_cert = include_bytes!("keys/ec-with-cert-private.pem");
    let token = TokenMint::new("alice")
        .sign(
            Algorithm::ES256,
            &SigningKey::private_pem(Algorithm::ES256, with_cert).unwrap(),
        )
        .unwrap();
    let v = JwtValidator::builder()
        .algorithms([Algorithm::ES256])
        .key(JwtKey::public_pem(Algorithm::ES256, EC_PUBLIC).unwrap())
        .build()
        .unwrap();
    assert_eq!(v.verify(&token).unwrap().identity().name(), "alice");
}

/// An EC key, SEC1 or PKCS#8, signs only for its own curve's algorithm.
#[test]
fn a_sec1_key_of_another_curve_is_refused() {
    for (alg, private) in [
        (Algorithm::ES384, EC_SEC1_PRIVATE),
        (Algorithm::ES256, EC384_SEC1_PRIVATE),
        (Algorithm::RS256, EC_SEC1_PRIVATE),
        // The same for PKCS#8 (a P-256 key).
        (Algorithm::ES384, EC_PRIVATE),
    ] {
        assert!(
            matches!(
                SigningKey::private_pem(alg, private),
                Err(BearerError::Key { .. })
            ),
            "{alg:?}"
        );
    }
}

#[test]
fn an_rsa_public_key_is_never_an_hmac_secret() {
    // The classic confusion: sign HS256 with the server's public key bytes.
    let forged = TokenMint::new("mallory")
        .sign(Algorithm::HS256, &SigningKey::secret(RSA_PUBLIC))
        .unwrap();
    let v = JwtValidator::builder()
        .algorithms([Algorithm::RS256, Algorithm::HS256])
        .key(JwtKey::public_pem(Algorithm::RS256, RSA_PUBLIC).unwrap())
        .build()
        .unwrap();
    assert_eq!(v.verify(&forged), Err(TokenError::UnknownKey));
    // One algorithm and one key (the direct path): still refused.
    let v = JwtValidator::builder()
        .algorithms([Algorithm::RS256])
        .key(JwtKey::public_pem(Algorithm::RS256, RSA_PUBLIC).unwrap())
        .build()
        .unwrap();
    assert_eq!(v.verify(&forged), Err(TokenError::AlgorithmNotAllowed));
    let rs = TokenMint::new("alice")
        .sign(
            Algorithm::RS256,
            &SigningKey::private_pem(Algorithm::RS256, RSA_PRIVATE).unwrap(),
        )
        .unwrap();
    assert!(v.verify(&rs).is_ok());
    assert_eq!(
        hs_validator().verify(&rs),
        Err(TokenError::AlgorithmNotAllowed)
    );
    // And a key given for RS256 does not verify PS256 either.
    let ps = TokenMint::new("alice")
        .sign(
            Algorithm::PS256,
            &SigningKey::private_pem(Algorithm::PS256, RSA_PRIVATE).unwrap(),
        )
        .unwrap();
    let v = JwtValidator::builder()
        .algorithms([Algorithm::RS256, Algorithm::PS256])
        .key(JwtKey::public_pem(Algorithm::RS256, RSA_PUBLIC).unwrap())
        .build()
        .unwrap();
    assert_eq!(v.verify(&ps), Err(TokenError::UnknownKey));
    assert!(JwtKey::public_pem(Algorithm::HS256, RSA_PUBLIC).is_err());
    assert!(JwtKey::public_pem(Algorithm::ES256, RSA_PUBLIC).is_err());
}

#[test]
fn algorithms_must_be_listed_and_keys_given() {
    assert!(matches!(
        JwtValidator::builder().key(JwtKey::secret(SECRET)).build(),
        Err(BearerError::NoAlgorithm)
    ));
    assert!(matches!(
        JwtValidator::builder()
            .algorithms([Algorithm::HS256])
            .build(),
        Err(BearerError::NoKey)
    ));
}

fn rsa_jwk(kid: &str) -> Jwk {
    let key = EncodingKey::from_rsa_pem(RSA_PRIVATE).unwrap();
    let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256).unwrap();
    jwk.common.key_id = Some(kid.to_owned());
    jwk
}

fn jwks(kids: &[&str]) -> Vec<u8> {
    serde_json::to_vec(&JwkSet {
        keys: kids.iter().map(|k| rsa_jwk(k)).collect(),
    })
    .unwrap()
}

/// [`jwks`] with `extra` keys after the RSA ones.
fn jwks_with(kids: &[&str], extra: Vec<serde_json::Value>) -> Vec<u8> {
    let mut doc: serde_json::Value = serde_json::from_slice(&jwks(kids)).unwrap();
    doc["keys"].as_array_mut().unwrap().extend(extra);
    serde_json::to_vec(&doc).unwrap()
}

fn rs_token(kid: &str) -> String {
    TokenMint::new("alice")
        .kid(kid)
        .sign(
            Algorithm::RS256,
            &SigningKey::private_pem(Algorithm::RS256, RSA_PRIVATE).unwrap(),
        )
        .unwrap()
}

#[test]
fn jwks_keys_are_chosen_by_kid() {
    let set = KeySet::from_jwks_json(&jwks(&["k1", "k2"])).unwrap();
    assert_eq!(set.len(), 2);
    let v = JwtValidator::builder()
        .algorithms([Algorithm::RS256])
        .keys(set)
        .build()
        .unwrap();
    assert!(v.verify(&rs_token("k2")).is_ok());
    assert_eq!(v.verify(&rs_token("k3")), Err(TokenError::UnknownKey));
    assert!(matches!(
        KeySet::from_jwks_json(b"{\"keys\":"),
        Err(BearerError::Jwks(_))
    ));
    // Unusable keys are skipped, the usable ones kept.
    // RFC 7517 sections 4.2 and 4.3: a use other than "sig", or key_ops
    // without "verify", publish a key for something else.
    let k = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYnk";
    let set = KeySet::from_jwks_json(&jwks_with(
        &["k1"],
        vec![
            serde_json::json!({"kty": "XYZ", "kid": "odd"}),
            serde_json::json!({"kty": "oct", "kid": "enc", "use": "enc", "k": "c2VjcmV0"}),
            serde_json::json!({"kty": "RSA", "kid": "oaep", "alg": "RSA-OAEP", "n": "AQAB", "e": "AQAB"}),
            serde_json::json!({"kty": "oct", "kid": "odd-use", "use": "tls", "k": k}),
            serde_json::json!({"kty": "oct", "kid": "wraps", "key_ops": ["wrapKey"], "k": k}),
            serde_json::json!({"kty": "oct", "kid": "verifies", "key_ops": ["sign", "verify"], "k": k}),
        ],
    ))
    .unwrap();
    assert_eq!(set.len(), 2);
    assert!(set.find(Some("verifies"), Algorithm::HS256).is_some());
    assert!(set.find(Some("odd-use"), Algorithm::HS256).is_none());
    assert!(set.find(Some("wraps"), Algorithm::HS256).is_none());
}

#[test]
fn jwks_file_is_read() {
    let dir = std::env::temp_dir().join(format!("authscheme-bearer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("jwks.json");
    std::fs::write(&path, jwks(&["file-key"])).unwrap();
    let set = KeySet::from_jwks_file(&path).unwrap();
    assert!(set.find(Some("file-key"), Algorithm::RS256).is_some());
    assert!(set.find(Some("file-key"), Algorithm::HS256).is_none());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Serves a JWKS with the kids given, counting calls.
#[derive(Debug)]
struct CountingRefresher {
    calls: Arc<AtomicUsize>,
    kids: Vec<&'static str>,
}

#[async_trait::async_trait]
impl KeyRefresher for CountingRefresher {
    async fn refresh(&self) -> Result<KeySet, BearerError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        // Slow enough that concurrent callers pile up behind it.
        tokio::time::sleep(Duration::from_millis(20)).await;
        KeySet::from_jwks_json(&jwks(&self.kids))
    }
}

/// A token naming `kid` with a junk signature: the key lookup comes before
/// any signature check, and building it costs nothing (RSA signing in a
/// debug build would stretch the flood over several intervals).
fn unsigned_with_kid(kid: &str) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = b64.encode(format!(r#"{{"alg":"RS256","typ":"JWT","kid":"{kid}"}}"#));
    let claims = b64.encode(r#"{"sub":"x","exp":4000000000}"#);
    format!("{header}.{claims}.c2lnbmF0dXJl")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_kids_refresh_once_per_interval() {
    let calls = Arc::new(AtomicUsize::new(0));
    let v = JwtValidator::builder()
        .algorithms([Algorithm::RS256])
        .keys(KeySet::from_jwks_json(&jwks(&["old"])).unwrap())
        .refresher(CountingRefresher {
            calls: Arc::clone(&calls),
            kids: vec!["old", "rotated"],
        })
        .min_refresh_interval(Duration::from_millis(300))
        .build()
        .unwrap();

    // Key rotation: the new kid is fetched once and then known.
    assert!(v.validate(&rs_token("rotated")).await.is_ok());
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(v.validate(&rs_token("rotated")).await.is_ok());
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    tokio::time::sleep(Duration::from_millis(350)).await;
    // A flood of random kids: at most one refresh per interval.
    let mut tasks = Vec::new();
    for i in 0..200 {
        let v = v.clone();
        let token = unsigned_with_kid(&format!("bogus-{i}"));
        tasks.push(tokio::spawn(async move { v.validate(&token).await }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), Err(TokenError::UnknownKey));
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert!(v.validate(&rs_token("old")).await.is_ok());
}

/// A refresh that brings no key (an outage upstream, an empty document)
/// keeps the keys there are: it must not lock everyone out.
#[tokio::test]
async fn an_empty_refresh_keeps_the_current_keys() {
    let calls = Arc::new(AtomicUsize::new(0));
    let v = JwtValidator::builder()
        .algorithms([Algorithm::RS256])
        .keys(KeySet::from_jwks_json(&jwks(&["old"])).unwrap())
        .refresher(CountingRefresher {
            calls: Arc::clone(&calls),
            kids: vec![],
        })
        .build()
        .unwrap();
    assert_eq!(
        v.validate(&unsigned_with_kid("new")).await,
        Err(TokenError::UnknownKey)
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1, "a refresh was tried");
    assert_eq!(v.key_count(), 1);
    assert!(v.validate(&rs_token("old")).await.is_ok());
}

#[tokio::test]
async fn a_refresher_alone_supplies_the_first_keys() {
    let calls = Arc::new(AtomicUsize::new(0));
    let v = JwtValidator::builder()
        .algorithms([Algorithm::RS256])
        .refresher(CountingRefresher {
            calls: Arc::clone(&calls),
            kids: vec!["k"],
        })
        .build()
        .unwrap();
    assert_eq!(v.key_count(), 0);
    assert!(v.validate(&rs_token("k")).await.is_ok());
    assert_eq!(v.key_count(), 1);
}

#[test]
fn the_cache_is_bounded_and_answers_repeats() {
    let v = cached_hs_validator();
    let token = alice_read_token();
    let first = v.verify(&token).unwrap();
    assert_eq!(v.cached_tokens(), 1);
    assert_eq!(v.verify(&token).unwrap(), first);
    for i in 0..50 {
        let t = TokenMint::new(format!("user{i}"))
            .sign(Algorithm::HS256, &SigningKey::secret(SECRET))
            .unwrap();
        assert!(v.verify(&t).is_ok());
        assert!(v.cached_tokens() <= 8);
    }
    // A tampered token is not a cache hit.
    let mut bad = token.clone();
    bad.push('A');
    assert!(v.verify(&bad).is_err());
    // Without a cache nothing is kept.
    assert_eq!(hs_validator().cached_tokens(), 0);
}

#[test]
fn only_cached_tokens_are_answered_without_waiting() {
    let v = cached_hs_validator();
    let token = alice_read_token();
    assert_eq!(v.validate_now(&token), None, "not verified yet");
    let verified = v.verify(&token).unwrap();
    assert_eq!(v.validate_now(&token), Some(verified));
    let mut bad = token.clone();
    bad.push('A');
    assert_eq!(v.validate_now(&bad), None);
    let uncached = hs_validator();
    assert!(uncached.verify(&token).is_ok());
    assert_eq!(uncached.validate_now(&token), None);
}

#[test]
fn required_claims_and_scp() {
    #[derive(serde::Serialize)]
    struct Custom<'a> {
        sub: &'a str,
        exp: u64,
        scp: Vec<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tenant: Option<&'a str>,
    }
    let exp = 4_000_000_000;
    let sign = |tenant| {
        let claims = Custom {
            sub: "svc",
            exp,
            scp: vec!["read", "write"],
            tenant,
        };
        encode(
            &Header::default(),
            &claims,
            &EncodingKey::from_secret(SECRET),
        )
        .unwrap()
    };
    let v = JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .key(JwtKey::secret(SECRET))
        .require_claims(["tenant"])
        .build()
        .unwrap();
    let info = v.verify(&sign(Some("acme"))).unwrap();
    assert_eq!(info.scopes(), ["read", "write"]);
    assert!(info.identity().has_scope("write"));
    assert_eq!(
        v.verify(&sign(None)),
        Err(TokenError::MissingClaim("tenant".into()))
    );

    #[derive(serde::Serialize)]
    struct NoExp<'a> {
        sub: &'a str,
    }
    let no_exp = encode(
        &Header::default(),
        &NoExp { sub: "a" },
        &EncodingKey::from_secret(SECRET),
    )
    .unwrap();
    assert_eq!(
        hs_validator().verify(&no_exp),
        Err(TokenError::MissingClaim("exp".into()))
    );
}

#[test]
fn leeway_applies_to_exp() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let token = TokenMint::new("alice")
        .expires_at(now - 30)
        .sign(Algorithm::HS256, &SigningKey::secret(SECRET))
        .unwrap();
    assert!(
        hs_validator().verify(&token).is_ok(),
        "within the 60 s default"
    );
    let strict = JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .key(JwtKey::secret(SECRET))
        .leeway(Duration::from_secs(5))
        .build()
        .unwrap();
    assert_eq!(strict.verify(&token), Err(TokenError::Expired));
}

#[test]
fn garbage_is_malformed() {
    let v = hs_validator();
    for bad in ["", "a", "a.b", "a.b.c", "....", "eyJhbGciOiJIUzI1NiJ9.e30"] {
        assert!(v.verify(bad).is_err(), "{bad:?}");
    }
}

/// A `crit` header names extensions the recipient must understand (RFC
/// 7515 section 4.1.11); this validator understands none, so the token is
/// refused even with a good signature.
#[test]
fn a_critical_header_extension_is_refused() {
    let claims = serde_json::json!({"sub": "alice", "exp": 4_000_000_000u64});
    let key = jsonwebtoken::EncodingKey::from_secret(SECRET);
    let mut header = jsonwebtoken::Header::new(Algorithm::HS256);
    let plain = jsonwebtoken::encode(&header, &claims, &key).unwrap();
    assert!(hs_validator().verify(&plain).is_ok());
    header.crit = Some(vec!["foo".into()]);
    header.extras.insert("foo", "bar");
    let critical = jsonwebtoken::encode(&header, &claims, &key).unwrap();
    assert_eq!(hs_validator().verify(&critical), Err(TokenError::Malformed));
}

/// A present but empty `sub` names nobody: refused, not a principal with
/// an empty name.
#[test]
fn an_empty_sub_is_refused() {
    let token = |sub: &str| {
        let claims = serde_json::json!({"sub": sub, "exp": 4_000_000_000u64});
        let key = jsonwebtoken::EncodingKey::from_secret(SECRET);
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key).unwrap()
    };
    assert_eq!(
        hs_validator().verify(&token("")),
        Err(TokenError::InvalidClaim)
    );
    assert!(hs_validator().verify(&token("alice")).is_ok());
}

/// Header parameters this validator does not know are ignored (RFC 7515
/// section 4), whatever their JSON type: Auth0 sends `"gty": [..]`, other
/// issuers numbers; such tokens used to be refused as malformed.
#[test]
fn unknown_header_parameters_of_any_type_are_ignored() {
    let claims = serde_json::json!({"sub": "alice", "exp": 4_000_000_000u64});
    let key = jsonwebtoken::EncodingKey::from_secret(SECRET);
    let mut header = jsonwebtoken::Header::new(Algorithm::HS256);
    header.extras.insert("gty", vec!["authorization_code"]);
    header.extras.insert("ver", 2);
    header
        .extras
        .insert("cnf", serde_json::json!({"jkt": "0ZcOCORZ"}));
    let token = jsonwebtoken::encode(&header, &claims, &key).unwrap();
    let info = hs_validator().verify(&token).unwrap();
    assert_eq!(info.identity().name(), "alice");
}

/// Keys without a `kid` (RFC 7517 makes it optional) are each tried until
/// one verifies: an issuer that rotates keys without naming them signs
/// with either, and a token signed with neither is a bad signature.
#[test]
fn every_unnamed_key_of_the_family_is_tried() {
    let first = b"first-secret-first-secret-first!";
    let second = b"second-secret-second-secret-sec!";
    let validator = JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .key(JwtKey::secret(first))
        .key(JwtKey::secret(second))
        .build()
        .unwrap();
    for secret in [first, second] {
        let token = TokenMint::new("alice")
            .sign(Algorithm::HS256, &SigningKey::secret(secret))
            .unwrap();
        assert_eq!(validator.verify(&token).unwrap().identity().name(), "alice");
    }
    let other = TokenMint::new("alice")
        .sign(
            Algorithm::HS256,
            &SigningKey::secret(b"third-secret-third-secret-third!"),
        )
        .unwrap();
    assert_eq!(validator.verify(&other), Err(TokenError::BadSignature));
}

#[derive(Debug)]
struct Withdraws(Vec<u8>);

#[async_trait::async_trait]
impl KeyRefresher for Withdraws {
    async fn refresh(&self) -> Result<KeySet, BearerError> {
        KeySet::from_jwks_json(&self.0)
    }
}

/// A refresh that withdraws a key empties the cache; a token signed with
/// that key whose verification was under way during the refresh must not
/// be cached after it (it would be answered until its `exp`, a day at most).
#[test]
fn a_withdrawn_keys_token_verified_during_a_refresh_is_not_cached() {
    use std::sync::atomic::AtomicBool;
    let old = b"old-secret-old-secret-old-secret";
    let new = b"new-secret-new-secret-new-secret";
    // base64url of `new`.
    let jwks = br#"{"keys":[{"kty":"oct","kid":"new","k":"bmV3LXNlY3JldC1uZXctc2VjcmV0LW5ldy1zZWNyZXQ"}]}"#;
    let new_token = hs256("bob", "new", new);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    for round in 0..200 {
        let validator = JwtValidator::builder()
            .algorithms([Algorithm::HS256])
            .key(JwtKey::secret(old).with_kid("old"))
            .refresher(Withdraws(jwks.to_vec()))
            .cache(100_000)
            .build()
            .unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let flood = {
            let validator = validator.clone();
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut tokens = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let token = TokenMint::new(format!("mallory-{round}-{}", tokens.len()))
                        .kid("old")
                        .sign(Algorithm::HS256, &SigningKey::secret(old))
                        .unwrap();
                    let _ = validator.verify(&token);
                    tokens.push(token);
                }
                tokens
            })
        };
        std::thread::sleep(Duration::from_micros(300));
        assert!(runtime.block_on(validator.validate(&new_token)).is_ok());
        stop.store(true, Ordering::Relaxed);
        let tokens = flood.join().unwrap();
        let cached = tokens
            .iter()
            .filter(|t| validator.validate_now(t).is_some())
            .count();
        assert_eq!(
            cached, 0,
            "round {round}: a withdrawn key's token stayed cached"
        );
    }
}

#[derive(Debug)]
struct Rotated(Arc<AtomicUsize>);

#[async_trait::async_trait]
impl KeyRefresher for Rotated {
    async fn refresh(&self) -> Result<KeySet, BearerError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        // kid "2025", the secret "second-secret-second-secret-sec!".
        KeySet::from_jwks_json(
            br#"{"keys":[{"kty":"oct","kid":"2025","k":"c2Vjb25kLXNlY3JldC1zZWNvbmQtc2VjcmV0LXNlYyE"}]}"#,
        )
    }
}

/// A key without a `kid` (a PEM file, a secret) beside a refresher: a token
/// naming a new `kid` is not "verified" by the unnamed key alone, it makes
/// the validator fetch the issuer's new keys. A forgery naming a key the
/// validator has does not.
#[tokio::test]
async fn a_rotated_kid_is_fetched_even_beside_an_unnamed_key() {
    let calls = Arc::new(AtomicUsize::new(0));
    let validator = JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .key(JwtKey::secret(b"first-secret-first-secret-first!"))
        .key(JwtKey::secret(SECRET).with_kid("2024"))
        .refresher(Rotated(Arc::clone(&calls)))
        .min_refresh_interval(Duration::ZERO)
        .build()
        .unwrap();
    let forged = hs256("mallory", "2024", b"attacker-secret-attacker-secret!");
    assert_eq!(
        validator.validate(&forged).await,
        Err(TokenError::BadSignature)
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    let rotated = hs256("alice", "2025", b"second-secret-second-secret-sec!");
    assert_eq!(
        validator
            .validate(&rotated)
            .await
            .unwrap()
            .identity()
            .name(),
        "alice"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// RFC 7518 section 3.2: an HMAC key at least as long as the hash. A
/// validator given an empty secret (an unset environment variable) or an
/// empty JWK `k` must not accept tokens anyone can sign with it.
#[test]
fn an_empty_or_short_hmac_secret_verifies_nothing() {
    // Given to the builder: refused there, not found when every token is.
    for secret in [&b""[..], &SECRET[..31]] {
        let built = JwtValidator::builder()
            .algorithms([Algorithm::HS256])
            .key(JwtKey::secret(secret))
            .build();
        assert!(
            matches!(&built, Err(BearerError::Key { .. })),
            "{} bytes: {built:?}",
            secret.len()
        );
    }
    let from_jwks = JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .keys(KeySet::from_jwks_json(br#"{"keys":[{"kty":"oct","k":""}]}"#).unwrap())
        .build();
    assert!(matches!(from_jwks, Err(BearerError::Key { .. })));

    // A key pinned to an algorithm not allowed: the message says so.
    let pinned = br#"{"keys":[{"kty":"oct","alg":"HS512","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYnk"}]}"#;
    let built = JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .keys(KeySet::from_jwks_json(pinned).unwrap())
        .build();
    assert!(
        built
            .as_ref()
            .is_err_and(|e| format!("{e:?}").contains("HS512")),
        "{built:?}"
    );
    // A JWKS with a usable key besides a secret for something else builds:
    // the secret is only unused.
    let mixed = jwks_with(
        &["rsa"],
        vec![serde_json::json!({"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"})],
    );
    let mixed = KeySet::from_jwks_json(&mixed).unwrap();
    let built = JwtValidator::builder()
        .algorithms([Algorithm::RS256])
        .keys(mixed)
        .build()
        .unwrap();
    assert!(built.verify(&rs_token("rsa")).is_ok());

    // Fetched later from a key source: never verifies.
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("empty".into());
    let forged = jsonwebtoken::encode(
        &header,
        &serde_json::json!({"sub": "admin", "scope": "admin", "exp": 4_000_000_000u64}),
        &EncodingKey::from_secret(b""),
    )
    .unwrap();
    let fetched = JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .key(JwtKey::secret(SECRET).with_kid("good"))
        .refresher(Withdraws(
            br#"{"keys":[{"kty":"oct","kid":"empty","k":""}]}"#.to_vec(),
        ))
        .min_refresh_interval(Duration::ZERO)
        .build()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    assert!(runtime.block_on(fetched.validate(&forged)).is_err());
    assert!(fetched.verify(&forged).is_err(), "after the refresh too");
}

/// `aud` and `iss` of a JSON type jsonwebtoken cannot read are not passed
/// over: a present `aud` that does not name this validator refuses the
/// token (RFC 7519 section 4.1.3), and `iss` is one string (section 4.1.1),
/// not a list that merely includes the configured issuer.
#[test]
fn aud_and_iss_of_odd_json_types_are_refused() {
    let sign = |claims: serde_json::Value| {
        encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(SECRET),
        )
        .unwrap()
    };
    for aud in [
        serde_json::json!(123),
        serde_json::json!({"api": true}),
        serde_json::json!(true),
    ] {
        let token = sign(serde_json::json!({"sub": "a", "exp": 4_000_000_000u64, "aud": aud}));
        assert_eq!(
            hs_validator().verify(&token),
            Err(TokenError::WrongAudience),
            "aud {aud}"
        );
    }
    let with_issuer = JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .key(JwtKey::secret(SECRET))
        .issuer("https://good.example")
        .build()
        .unwrap();
    let listed = sign(serde_json::json!({
        "sub": "a", "exp": 4_000_000_000u64,
        "iss": ["https://other.example", "https://good.example"],
    }));
    assert_eq!(with_issuer.verify(&listed), Err(TokenError::WrongIssuer));
    let one = sign(
        serde_json::json!({"sub": "a", "exp": 4_000_000_000u64, "iss": "https://good.example"}),
    );
    assert!(with_issuer.verify(&one).is_ok());
}

/// A key source that is down until told otherwise, then serves kid "2025".
#[derive(Debug)]
struct Outage {
    down: Arc<std::sync::atomic::AtomicBool>,
    calls: Arc<AtomicUsize>,
}

#[async_trait::async_trait]
impl KeyRefresher for Outage {
    async fn refresh(&self) -> Result<KeySet, BearerError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.down.load(Ordering::SeqCst) {
            return KeySet::from_jwks_json(b"<html>502 Bad Gateway</html>");
        }
        Rotated(Arc::new(AtomicUsize::new(0))).refresh().await
    }
}

/// A token whose key cannot be fetched because the key source is down is
/// "try later" (503), not `invalid_token` (RFC 6750 section 3.1 tells the
/// client to throw such a token away), for as long as the source was last
/// seen down; known keys keep working, and the next fetch that succeeds
/// takes the token.
#[tokio::test]
async fn a_key_source_that_is_down_makes_unknown_keys_unavailable() {
    let down = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let calls = Arc::new(AtomicUsize::new(0));
    let validator = |interval| {
        JwtValidator::builder()
            .algorithms([Algorithm::HS256])
            .key(JwtKey::secret(SECRET).with_kid("2024"))
            .refresher(Outage {
                down: Arc::clone(&down),
                calls: Arc::clone(&calls),
            })
            .min_refresh_interval(interval)
            .build()
            .unwrap()
    };
    let rotated = hs256("alice", "2025", b"second-secret-second-secret-sec!");
    let known = hs256("bob", "2024", SECRET);

    let slow = validator(Duration::from_secs(3600));
    assert_eq!(slow.validate(&rotated).await, Err(TokenError::Unavailable));
    assert_eq!(slow.validate(&rotated).await, Err(TokenError::Unavailable));
    assert_eq!(calls.load(Ordering::SeqCst), 1, "not fetched again so soon");
    assert!(slow.validate(&known).await.is_ok());

    let eager = validator(Duration::ZERO);
    assert_eq!(eager.validate(&rotated).await, Err(TokenError::Unavailable));
    down.store(false, Ordering::SeqCst);
    let info = eager.validate(&rotated).await.unwrap();
    assert_eq!(info.identity().name(), "alice");
}
