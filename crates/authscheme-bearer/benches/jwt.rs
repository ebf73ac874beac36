//! Verifying a JWT through `JwtValidator` (with and without its cache)
//! side by side with `jsonwebtoken::decode` alone, the floor.

#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
use criterion::{Criterion, criterion_group, criterion_main};
use jsonwebtoken::{DecodingKey, Validation, decode};

/// What the floor deserializes: the same claims the validator reads.
#[derive(serde::Deserialize)]
struct FloorClaims {
    #[allow(dead_code)]
    sub: String,
    #[allow(dead_code)]
    scope: Option<String>,
    #[allow(dead_code)]
    exp: u64,
}

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
const RSA_PRIVATE: &[u8] = include_bytes!("../tests/keys/rsa-private.pem");
const RSA_PUBLIC: &[u8] = include_bytes!("../tests/keys/rsa-public.pem");

fn mint(alg: Algorithm, key: &SigningKey) -> String {
    TokenMint::new("alice")
        .scope("read admin")
        .issuer("https://issuer.example")
        .audience("api")
        .sign(alg, key)
        .unwrap()
}

fn floor_validation(alg: Algorithm) -> Validation {
    let mut v = Validation::new(alg);
    v.set_issuer(&["https://issuer.example"]);
    v.set_audience(&["api"]);
    v.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
    v.validate_nbf = true;
    v
}

fn validator(alg: Algorithm, key: JwtKey, cache: bool) -> JwtValidator {
    let mut b = JwtValidator::builder()
        .algorithms([alg])
        .key(key)
        .issuer("https://issuer.example")
        .audience("api");
    if cache {
        b = b.cache(1024);
    }
    b.build().unwrap()
}

fn bench(c: &mut Criterion) {
    let hs = mint(Algorithm::HS256, &SigningKey::secret(SECRET));
    let rs = mint(
        Algorithm::RS256,
        &SigningKey::private_pem(Algorithm::RS256, RSA_PRIVATE).unwrap(),
    );

    let mut group = c.benchmark_group("jwt_verify");
    let hs_key = DecodingKey::from_secret(SECRET);
    let hs_validation = floor_validation(Algorithm::HS256);
    group.bench_function("HS256/jsonwebtoken::decode", |b| {
        b.iter(|| decode::<FloorClaims>(black_box(&hs), &hs_key, &hs_validation).unwrap())
    });
    let v = validator(Algorithm::HS256, JwtKey::secret(SECRET), false);
    group.bench_function("HS256/JwtValidator", |b| {
        b.iter(|| v.verify(black_box(&hs)).unwrap())
    });
    let v = validator(Algorithm::HS256, JwtKey::secret(SECRET), true);
    group.bench_function("HS256/JwtValidator+cache", |b| {
        b.iter(|| v.verify(black_box(&hs)).unwrap())
    });

    let rs_key = DecodingKey::from_rsa_pem(RSA_PUBLIC).unwrap();
    let rs_validation = floor_validation(Algorithm::RS256);
    group.bench_function("RS256/jsonwebtoken::decode", |b| {
        b.iter(|| decode::<FloorClaims>(black_box(&rs), &rs_key, &rs_validation).unwrap())
    });
    let key = JwtKey::public_pem(Algorithm::RS256, RSA_PUBLIC).unwrap();
    let v = validator(Algorithm::RS256, key.clone(), false);
    group.bench_function("RS256/JwtValidator", |b| {
        b.iter(|| v.verify(black_box(&rs)).unwrap())
    });
    let v = validator(Algorithm::RS256, key, true);
    group.bench_function("RS256/JwtValidator+cache", |b| {
        b.iter(|| v.verify(black_box(&rs)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
