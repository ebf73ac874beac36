//! The three adapters (axum, actix-web, warp) answer the testkit's standard
//! requests with byte-identical status, authentication field lines and
//! bodies, each over real HTTP on its own loopback port.
#![allow(clippy::unwrap_used)]

#[path = "../../authscheme-axum/tests/start/mod.rs"]
mod axum_start;
mod start;
#[path = "../../authscheme-warp/tests/start/mod.rs"]
mod warp_start;

use authscheme_testkit::{capture, compare};

#[tokio::test]
async fn axum_actix_and_warp_answer_byte_for_byte_alike() {
    let axum = capture(axum_start::start_axum).await.unwrap();
    let actix = capture(start::start_actix).await.unwrap();
    let warp = capture(warp_start::start_warp).await.unwrap();
    assert!(axum.len() >= 50, "{} cases", axum.len());
    assert_eq!(
        compare(&axum, &actix),
        Vec::<String>::new(),
        "axum vs actix-web"
    );
    assert_eq!(compare(&axum, &warp), Vec::<String>::new(), "axum vs warp");
    // Not vacuous: denials with several challenge lines were compared.
    let multi = actix.iter().find(|e| e.case == "multi/missing").unwrap();
    assert_eq!((multi.status, multi.auth_headers.len()), (401, 3));
}
