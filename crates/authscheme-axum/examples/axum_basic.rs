//! An axum 0.8 server protecting routes with `RequireAuthLayer`.
//!
//! Uses the testkit's small schemes (user `alice`, password `wonderland`;
//! token `read-token`) until the real Basic/Digest/Bearer crates are wired
//! in here. Run it and try:
//!
//! ```text
//! cargo run -p authscheme-axum --example axum_basic
//! curl -i http://127.0.0.1:3000/private                       # 401, challenge
//! curl -i -u alice:wonderland http://127.0.0.1:3000/private   # 200
//! curl -i http://127.0.0.1:3000/public                        # 200, anonymous
//! curl -i -H 'Authorization: Bearer read-token' http://127.0.0.1:3000/multi
//! ```
//!
//! Set `ADDR` to listen elsewhere. `RUST_LOG=authscheme_axum=debug` shows
//! one line per denial.

use authscheme::Authenticator;
use authscheme_axum::{Auth, RequireAuthLayer};
use authscheme_testkit::Principal;
use authscheme_testkit::schemes::{TestBasic, TestBearer};
use axum::Router;
use axum::routing::get;

async fn private(Auth(user): Auth<Principal>) -> String {
    format!("hello, {}\n", user.name())
}

async fn public(user: Option<Auth<Principal>>) -> String {
    match user {
        Some(Auth(user)) => format!("welcome back, {}\n", user.name()),
        None => "welcome, stranger\n".to_owned(),
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();

    let basic = Authenticator::new().with(TestBasic::new());
    let multi = Authenticator::new()
        .with(TestBasic::new())
        .with(TestBearer::requiring("read"));

    let app = Router::new()
        .route(
            "/private",
            get(private).layer(RequireAuthLayer::new(basic.clone())),
        )
        .route(
            "/public",
            get(public).layer(RequireAuthLayer::new(basic).optional()),
        )
        .route("/multi", get(private).layer(RequireAuthLayer::new(multi)));

    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
