//! Counts the work of verifying Digest requests, for `perf stat -e
//! instructions:u` on a busy machine where wall-clock timings are noise:
//! `verify_cost setup|floor|floor-mac|verify|verify-now N` runs one part N
//! times (`verify-now` on the synchronous path).
//!
//! `floor` is the three Digest hashes (HA2, response, rspauth); `floor-mac`
//! adds the one other hash a verification computes, the nonce's
//! HMAC-SHA-256 (a keyed state cloned per use, as the server does).
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use authscheme::{AuthRequest, AuthScheme, ClientRequest, ClientScheme, Verdict};
use authscheme_digest::{
    Algorithm, DigestClient, DigestScheme, DigestUser, HexDigest, MemoryCredentialStore, Qop,
    compute,
};

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "verify".into());
    let n: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let realm = "http-auth@example.org";
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let store = MemoryCredentialStore::new(realm).with_user("Mufasa", "Circle of Life");
    let scheme = DigestScheme::builder(realm, store)
        .algorithms([Algorithm::Sha256])
        .build()
        .unwrap();
    let headers = http::HeaderMap::new();
    let request = AuthRequest::new("GET", "/dir/index.html", &headers);
    let mut challenges = Vec::new();
    AuthScheme::<DigestUser>::challenges(&scheme, &request, &mut challenges);
    let creds = authscheme::ClientCredentials::password("Mufasa", "Circle of Life");
    let mut session = DigestClient::new().start(&challenges[0], &creds).unwrap();
    let nonce = challenges[0].param_str("nonce").unwrap().to_owned();
    let ha1 = compute::ha1(Algorithm::Sha256, "Mufasa", realm, "Circle of Life");
    let keyed = <Hmac<Sha256> as Mac>::new_from_slice(&[7u8; 32]).unwrap();
    for _ in 0..n {
        match mode.as_str() {
            "floor" => {
                black_box(digest_hashes(&ha1, &nonce));
            }
            "floor-mac" => {
                // The nonce's tag: the same message shape as the server's.
                let mut mac = keyed.clone();
                mac.update(b"n");
                mac.update(&nonce.as_bytes()[..24]);
                mac.update(&(realm.len() as u32).to_be_bytes());
                mac.update(realm.as_bytes());
                mac.update(b"SHA-256");
                black_box((digest_hashes(&ha1, &nonce), mac.finalize().into_bytes()));
            }
            "setup" => {
                black_box(
                    session
                        .authorize(&ClientRequest::new("GET", "/dir/index.html"))
                        .unwrap(),
                );
            }
            "verify-now" => {
                // The synchronous path, as adapters take it first.
                let c = session
                    .authorize(&ClientRequest::new("GET", "/dir/index.html"))
                    .unwrap();
                let done: Option<authscheme::Authenticated<DigestUser>> =
                    scheme.authenticate_now(&request, &c);
                assert!(done.is_some());
            }
            _ => {
                let c = session
                    .authorize(&ClientRequest::new("GET", "/dir/index.html"))
                    .unwrap();
                let v: Verdict<DigestUser> = rt.block_on(scheme.authenticate(&request, &c));
                assert!(matches!(v, Verdict::Authenticated(_)));
            }
        }
    }
}

/// HA2, the response and rspauth for the example's request: the three
/// Digest hashes of a SHA-256 qop=auth verification.
fn digest_hashes(ha1: &HexDigest, nonce: &str) -> (HexDigest, HexDigest) {
    let parts = compute::QopParts {
        qop: Qop::Auth,
        nc: "00000001",
        cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
    };
    let alg = Algorithm::Sha256;
    let ha2 = compute::ha2(alg, Some(Qop::Auth), "GET", "/dir/index.html", b"");
    let r = compute::response(alg, ha1, nonce, Some(parts), &ha2);
    let a = compute::rspauth(alg, ha1, nonce, parts, "/dir/index.html");
    (r, a)
}
