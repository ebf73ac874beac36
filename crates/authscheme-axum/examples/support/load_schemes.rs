//! The guards of every adapter's load server (`examples/load_server_*.rs` in
//! the axum, actix-web and warp crates; `cargo xtask load`), built in one
//! place so that the three servers measure the same schemes.

use std::time::Duration;

use authscheme::Authenticator;
use authscheme::registry::Principal;
use authscheme_basic::{BasicScheme, MemoryStore};
use authscheme_bearer::jwt::{Algorithm, JwtKey, JwtValidator, SigningKey, TokenMint};
use authscheme_bearer::{BearerScheme, StaticTokens};

const JWT_SECRET: &[u8] = b"a-load-test-secret-of-32-bytes!!";

/// One authenticator per protected route of a load server.
pub(crate) struct Guards {
    /// Basic: `alice:wonderland` as a bcrypt hash (cost 10) behind the
    /// verified-credential cache.
    pub(crate) basic: Authenticator<Principal>,
    /// Bearer: the static token `s3cret-token`.
    pub(crate) bearer: Authenticator<Principal>,
    /// Bearer: HS256 JWTs behind the verified-token cache.
    pub(crate) jwt: Authenticator<Principal>,
}

impl Guards {
    pub(crate) fn new() -> Self {
        let store = MemoryStore::with_cost(10).expect("bcrypt cost 10 is valid");
        store
            .insert("alice", "wonderland")
            .expect("a user-id without a colon");
        let basic = BasicScheme::new("load", store).with_cache(Duration::from_secs(300), 1024);
        let tokens =
            StaticTokens::new().with_token("s3cret-token", "service", Vec::<String>::new());
        let validator = JwtValidator::builder()
            .algorithms([Algorithm::HS256])
            .key(JwtKey::secret(JWT_SECRET))
            .cache(1024)
            .build()
            .expect("one algorithm and its key");
        Self {
            basic: Authenticator::new().with(basic),
            bearer: Authenticator::new().with(bearer_scheme(tokens)),
            jwt: Authenticator::new().with(bearer_scheme(validator)),
        }
    }
}

fn bearer_scheme<V: authscheme_bearer::TokenValidator<Identity = Principal>>(
    validator: V,
) -> BearerScheme<V> {
    BearerScheme::builder(validator)
        .realm("load")
        .build()
        .expect("a realm is all it needs")
}

/// An HS256 JWT for alice that `/jwt` accepts; the server prints it as
/// `jwt: <token>` for `cargo xtask load` to send.
pub(crate) fn jwt() -> String {
    TokenMint::new("alice")
        .sign(Algorithm::HS256, &SigningKey::secret(JWT_SECRET))
        .expect("a 32-byte secret signs HS256")
}
