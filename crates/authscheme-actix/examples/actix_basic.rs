//! A protected actix-web route, an optional one and an open one.
//!
//! ```text
//! cargo run -p authscheme-actix --example actix_basic
//! curl -i http://127.0.0.1:8080/secret                       # 401, challenge
//! curl -i -u alice:secret http://127.0.0.1:8080/secret       # 200, hello alice
//! curl -i http://127.0.0.1:8080/                             # 200, hello stranger
//! ```
//!
//! The scheme here is a stand-in with one fixed user so the example needs
//! nothing else; a real server uses `authscheme-basic` with a user store.
//! Set `ADDR` to listen elsewhere (default 127.0.0.1:8080).

use actix_web::{App, HttpServer, web};
use authscheme::registry::Principal;
use authscheme::{
    AuthRequest, AuthScheme, Authenticated, Authenticator, Challenge, Credentials, Rejection,
    SchemeName, Verdict, async_trait, ct_eq,
};
use authscheme_actix::{Auth, Authentication, OptionalAuth};

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

async fn secret(user: Auth<Principal>) -> String {
    format!("hello {}\n", user.name())
}

async fn front(user: OptionalAuth<Principal>) -> String {
    format!(
        "hello {}\n",
        user.identity().map_or("stranger", |p| p.name())
    )
}

fn main() -> std::io::Result<()> {
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    let auth = Authenticator::new().with(OneUserBasic);
    println!("listening on http://{addr}");
    actix_web::rt::System::new().block_on(
        HttpServer::new(move || {
            App::new()
                .service(
                    web::resource("/secret")
                        .wrap(Authentication::new(auth.clone()))
                        .route(web::get().to(secret)),
                )
                .service(
                    web::resource("/")
                        .wrap(Authentication::new(auth.clone()).optional())
                        .route(web::get().to(front)),
                )
        })
        .workers(1)
        .bind(addr)?
        .run(),
    )
}
