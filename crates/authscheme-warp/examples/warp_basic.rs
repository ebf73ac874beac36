//! A protected warp route, an optional one, and the `recover` handler.
//!
//! ```text
//! cargo run -p authscheme-warp --example warp_basic
//! curl -i http://127.0.0.1:8080/secret                       # 401, challenge
//! curl -i -u alice:secret http://127.0.0.1:8080/secret       # 200, hello alice
//! curl -i http://127.0.0.1:8080/                             # 200, hello stranger
//! ```
//!
//! The scheme here is a stand-in with one fixed user so the example needs
//! nothing else; a real server uses `authscheme-basic` with a user store.
//! Set `ADDR` to listen elsewhere (default 127.0.0.1:8080).

use std::net::SocketAddr;

use authscheme::registry::Principal;
use authscheme::{
    AuthRequest, AuthScheme, Authenticated, Authenticator, Challenge, Credentials, Rejection,
    SchemeName, Verdict, async_trait, ct_eq,
};
use authscheme_warp::{Auth, authenticate, authenticate_optional, recover, with_auth_info};
use warp::Filter;

/// Basic with the single user `alice:secret` (base64 below).
struct OneUserBasic;

#[async_trait]
impl AuthScheme<Principal> for OneUserBasic {
    fn name(&self) -> SchemeName<'static> {
        SchemeName::BASIC
    }

    fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        let challenge = Challenge::builder(SchemeName::BASIC)
            .quoted_param("realm", &b"example"[..])
            .quoted_param("charset", &b"UTF-8"[..])
            .build();
        out.extend(challenge.ok());
    }

    async fn authenticate(
        &self,
        _: &AuthRequest<'_>,
        creds: &Credentials<'_>,
    ) -> Verdict<Principal> {
        match creds.token68() {
            Some(t) if ct_eq(t.as_bytes(), b"YWxpY2U6c2VjcmV0") => Verdict::Authenticated(
                Authenticated::new(Principal::new("alice"), SchemeName::BASIC),
            ),
            Some(_) => Verdict::Rejected(Rejection::unauthorized("wrong user or password")),
            None => Verdict::Rejected(Rejection::bad_request("Basic needs a token68")),
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let addr: SocketAddr = std::env::var("ADDR")
        .ok()
        .and_then(|a| a.parse().ok())
        .unwrap_or(SocketAddr::from(([127, 0, 0, 1], 8080)));
    let auth = Authenticator::new().with(OneUserBasic);

    let secret =
        warp::path!("secret")
            .and(authenticate(auth.clone()))
            .map(|user: Auth<Principal>| {
                let text = format!("hello {}\n", user.name());
                // Carries Authentication-Info when the scheme sends it.
                with_auth_info(text, &user)
            });
    let front =
        warp::path::end()
            .and(authenticate_optional(auth))
            .map(|user: Option<Auth<Principal>>| {
                format!("hello {}\n", user.as_ref().map_or("stranger", |p| p.name()))
            });

    println!("listening on http://{addr}");
    warp::serve(secret.or(front).recover(recover))
        .run(addr)
        .await;
}
