//! `authscheme token` signs JWTs that the bearer validator accepts.

#![allow(clippy::unwrap_used, missing_docs)]

use std::process::{Command, Output};

use authscheme_bearer::TokenError;
use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator};

const RSA_PRIVATE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../authscheme-bearer/tests/keys/rsa-private.pem"
);
const RSA_PUBLIC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../authscheme-bearer/tests/keys/rsa-public.pem"
);
/// A P-256 key as `openssl ecparam -genkey` writes it (SEC1).
const EC_SEC1_PRIVATE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../authscheme-bearer/tests/keys/ec-sec1-private.pem"
);
const EC_SEC1_PUBLIC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../authscheme-bearer/tests/keys/ec-sec1-public.pem"
);
const SECRET: &str = "0123456789abcdef0123456789abcdef";

fn token(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_authscheme"))
        .arg("token")
        .args(args)
        .output()
        .unwrap()
}

fn last_line(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    stdout.lines().last().unwrap().to_owned()
}

#[test]
fn hs256_token_verifies_with_its_claims() {
    let out = token(&[
        "--alg",
        "HS256",
        "--secret",
        SECRET,
        "--sub",
        "alice",
        "--scope",
        "read admin",
        "--aud",
        "api",
        "--iss",
        "https://issuer.example",
    ]);
    let jwt = last_line(&out);
    let validator = JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .key(JwtKey::secret(SECRET.as_bytes()))
        .issuer("https://issuer.example")
        .audience("api")
        .build()
        .unwrap();
    let info = validator.verify(&jwt).unwrap();
    assert_eq!(info.identity().name(), "alice");
    assert_eq!(info.scopes(), ["read", "admin"]);

    let strict = JwtValidator::builder()
        .algorithms([Algorithm::HS256])
        .key(JwtKey::secret(SECRET.as_bytes()))
        .audience("other")
        .build()
        .unwrap();
    assert_eq!(strict.verify(&jwt), Err(TokenError::WrongAudience));
}

#[test]
fn rs256_token_with_kid_verifies_with_the_public_key() {
    let out = token(&[
        "--alg",
        "RS256",
        "--key",
        RSA_PRIVATE,
        "--kid",
        "k1",
        "--sub",
        "bob",
        "--exp",
        "60",
    ]);
    let jwt = last_line(&out);
    let public = std::fs::read(RSA_PUBLIC).unwrap();
    let validator = JwtValidator::builder()
        .algorithms([Algorithm::RS256])
        .key(
            JwtKey::public_pem(Algorithm::RS256, &public)
                .unwrap()
                .with_kid("k1"),
        )
        .leeway(std::time::Duration::ZERO)
        .build()
        .unwrap();
    assert_eq!(validator.verify(&jwt).unwrap().identity().name(), "bob");
}

#[test]
fn es256_signs_with_a_sec1_key() {
    let jwt = last_line(&token(&[
        "--alg",
        "ES256",
        "--key",
        EC_SEC1_PRIVATE,
        "--sub",
        "carol",
    ]));
    let public = std::fs::read(EC_SEC1_PUBLIC).unwrap();
    let validator = JwtValidator::builder()
        .algorithms([Algorithm::ES256])
        .key(JwtKey::public_pem(Algorithm::ES256, &public).unwrap())
        .build()
        .unwrap();
    assert_eq!(validator.verify(&jwt).unwrap().identity().name(), "carol");
}

#[test]
fn exp_defaults_to_one_hour() {
    use base64::Engine as _;
    let jwt = last_line(&token(&["--secret", SECRET, "--sub", "alice"]));
    let payload = jwt.split('.').nth(1).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert_eq!(lifetime, 3600);
}

#[test]
fn wrong_key_kind_and_unknown_algorithm_fail() {
    let out = token(&["--alg", "RS256", "--secret", SECRET, "--sub", "a"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let out = token(&["--alg", "none", "--secret", SECRET, "--sub", "a"]);
    assert_eq!(out.status.code(), Some(2));
    let out = token(&["--sub", "a"]);
    assert_eq!(out.status.code(), Some(2), "a key or secret is required");
}

/// RFC 7518: an HMAC secret at least as long as the hash (section 3.2),
/// an RSA key of 2048 bits or more (section 3.3).
#[test]
fn keys_smaller_than_rfc_7518_allows_sign_nothing() {
    let out = token(&["--secret", "x", "--sub", "a"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("RFC 7518"));
    let out = token(&["--alg", "HS512", "--secret", SECRET, "--sub", "a"]);
    assert_eq!(out.status.code(), Some(1), "32 bytes are too few for HS512");
    let rsa_1024 = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../authscheme-bearer/tests/keys/rsa1024-private.pem"
    );
    let out = token(&["--alg", "RS256", "--key", rsa_1024, "--sub", "a"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2048"));
}

#[test]
fn an_empty_secret_or_subject_signs_nothing() {
    let out = token(&["--secret", "", "--sub", "a"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let out = token(&["--secret", SECRET, "--sub", ""]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}
