//! warp: Bearer with a static token on `/bearer`, with `recover` so a
//! refusal is a 401 with its challenge, never a 500.
//!
//! `cargo run -p authscheme-examples --example warp`, then
//! `curl -H 'Authorization: Bearer s3cret-token' http://127.0.0.1:3002/bearer`.

use authscheme::{Authenticator, Principal};
use authscheme_bearer::{BearerScheme, StaticTokens, TokenInfo};
use authscheme_warp::{Auth, authenticate, recover, with_auth_info};
use warp::Filter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tokens = StaticTokens::new()
        .with_identity("s3cret-token", TokenInfo::new(Principal::new("service")));
    let auth = Authenticator::new().with(BearerScheme::builder(tokens).realm("example").build()?);

    let bearer = warp::path("bearer")
        .and(authenticate(auth))
        .map(|user: Auth<Principal>| {
            let text = format!("hello {}\n", user.name());
            with_auth_info(text, &user)
        });

    println!("curl -H 'Authorization: Bearer s3cret-token' http://127.0.0.1:3002/bearer");
    warp::serve(bearer.recover(recover))
        .run(([127, 0, 0, 1], 3002))
        .await;
    Ok(())
}
