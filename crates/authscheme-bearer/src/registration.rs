//! Registration in the `authscheme` registry: the client side, and the
//! server side built from a [`SchemeConfig`].
//!
//! Server settings (all optional except one token source):
//!
//! | key | meaning |
//! |-----|---------|
//! | `token` | one static token (with `token-user`, default `client`, and `token-scopes`) |
//! | `jwt-secret` | HMAC secret for JWTs |
//! | `jwt-pem` | path of a PEM public key for JWTs |
//! | `jwt-jwks` | path of a JWKS file, re-read on an unknown `kid` |
//! | `jwt-algorithms` | comma-separated allow-list (default `HS256` with a secret; required otherwise) |
//! | `jwt-issuer`, `jwt-audience`, `jwt-leeway` | `iss`, `aud`, leeway in seconds |
//! | `jwt-cache` | capacity of the verified-token cache |
//! | `scope`, `required-scopes` | challenge `scope`; scopes every request needs |
//! | `query`, `form` | `true` to accept `access_token` in the query or form body |

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use authscheme::AuthScheme;
use authscheme::registry::{ConfigError, Principal, SchemeConfig, SchemeRegistration};

use crate::client::{BearerClient, STRENGTH};
use crate::jwt::{Algorithm, JwksFile, JwtKey, JwtValidator, KeySet};
use crate::scheme::{BearerScheme, BearerSchemeBuilder};
use crate::static_tokens::StaticTokens;
use crate::validator::TokenValidator;

inventory::submit! {
    SchemeRegistration::new("Bearer", STRENGTH, Some(client), Some(server))
}

fn client() -> Box<dyn authscheme::ClientScheme> {
    Box::new(BearerClient)
}

/// Builds the server side from settings (see the module table).
///
/// # Errors
///
/// [`ConfigError`] naming the first unusable setting.
///
/// # Examples
///
/// ```
/// use authscheme::registry::SchemeConfig;
/// use authscheme::{AuthRequest, Authenticator};
/// use authscheme_bearer::registration::server;
/// let cfg = SchemeConfig::new("api").set("token", "t0k3n").set("token-scopes", "read write");
/// let auth = Authenticator::new().with_shared(server(&cfg).unwrap());
/// let mut headers = http::HeaderMap::new();
/// headers.insert("authorization", "Bearer t0k3n".parse().unwrap());
/// let ok = auth.authenticate_now(&AuthRequest::new("GET", "/", &headers)).unwrap();
/// assert_eq!(ok.authenticated().identity().name(), "client");
/// assert!(server(&SchemeConfig::new("api")).is_err());
/// ```
pub fn server(cfg: &SchemeConfig) -> Result<Arc<dyn AuthScheme<Principal>>, ConfigError> {
    let sources = [
        cfg.get("token").is_some(),
        cfg.get("jwt-secret").is_some(),
        cfg.get("jwt-pem").is_some(),
        cfg.get("jwt-jwks").is_some(),
    ];
    match sources.iter().filter(|s| **s).count() {
        0 => {
            return Err(ConfigError::new(
                "token",
                "set one of token, jwt-secret, jwt-pem, jwt-jwks",
            ));
        }
        1 => {}
        _ => {
            return Err(ConfigError::new(
                "token",
                "set only one of token, jwt-secret, jwt-pem, jwt-jwks",
            ));
        }
    }
    if let Some(token) = cfg.get("token") {
        let scopes = words(cfg.get("token-scopes"));
        let tokens = StaticTokens::new().with_token(
            token,
            cfg.get("token-user").unwrap_or("client"),
            scopes,
        );
        return finish(cfg, BearerScheme::builder(tokens));
    }
    finish(cfg, BearerScheme::builder(jwt_validator(cfg)?))
}

fn jwt_validator(cfg: &SchemeConfig) -> Result<JwtValidator, ConfigError> {
    let algorithms = match cfg.get("jwt-algorithms") {
        Some(list) => list
            .split(',')
            .map(|a| {
                Algorithm::from_str(a.trim()).map_err(|_| {
                    ConfigError::new("jwt-algorithms", format!("unknown algorithm {a:?}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
        None if cfg.get("jwt-secret").is_some() => vec![Algorithm::HS256],
        None => {
            return Err(ConfigError::new(
                "jwt-algorithms",
                "required with jwt-pem or jwt-jwks",
            ));
        }
    };
    let mut b = JwtValidator::builder().algorithms(algorithms.iter().copied());
    if let Some(secret) = cfg.get("jwt-secret") {
        b = b.key(JwtKey::secret(secret.as_bytes()));
    }
    if let Some(path) = cfg.get("jwt-pem") {
        for alg in &algorithms {
            let key = JwtKey::public_pem_file(*alg, path)
                .map_err(|e| ConfigError::new("jwt-pem", e.to_string()))?;
            b = b.key(key);
        }
    }
    if let Some(path) = cfg.get("jwt-jwks") {
        let keys = KeySet::from_jwks_file(path)
            .map_err(|e| ConfigError::new("jwt-jwks", e.to_string()))?;
        b = b.keys(keys).refresher(JwksFile::new(path));
    }
    if let Some(iss) = cfg.get("jwt-issuer") {
        b = b.issuer(iss);
    }
    if let Some(aud) = cfg.get("jwt-audience") {
        b = b.audience(aud);
    }
    if let Some(leeway) = cfg.get("jwt-leeway") {
        let secs = leeway
            .parse()
            .map_err(|_| ConfigError::new("jwt-leeway", "not a number of seconds"))?;
        b = b.leeway(Duration::from_secs(secs));
    }
    if let Some(capacity) = cfg.get("jwt-cache") {
        let capacity = capacity
            .parse()
            .map_err(|_| ConfigError::new("jwt-cache", "not a number"))?;
        b = b.cache(capacity);
    }
    b.build()
        .map_err(|e| ConfigError::new("jwt-algorithms", e.to_string()))
}

fn finish<V: TokenValidator<Identity = Principal>>(
    cfg: &SchemeConfig,
    mut b: BearerSchemeBuilder<V>,
) -> Result<Arc<dyn AuthScheme<Principal>>, ConfigError> {
    if !cfg.realm().is_empty() {
        b = b.realm(cfg.realm());
    }
    if let Some(scope) = cfg.get("scope") {
        b = b.scope(scope);
    }
    b = b
        .require_scopes(words(cfg.get("required-scopes")))
        .query_parameter(flag(cfg, "query")?)
        .form_body(flag(cfg, "form")?);
    let scheme = b
        .build()
        .map_err(|e| ConfigError::new("scope", e.to_string()))?;
    Ok(Arc::new(scheme))
}

fn words(s: Option<&str>) -> Vec<String> {
    s.unwrap_or_default()
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn flag(cfg: &SchemeConfig, key: &str) -> Result<bool, ConfigError> {
    match cfg.get(key) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(ConfigError::new(key, "expected true or false")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn registered_with_client_and_server() {
        let reg = authscheme::registry::find("bearer").unwrap();
        assert_eq!(reg.strength, STRENGTH);
        assert!(reg.client.is_some());
        let make = reg.server.unwrap();
        let secret = "a-secret-of-thirty-two-bytes-ok!";
        let scheme = make(&SchemeConfig::new("api").set("jwt-secret", secret)).unwrap();
        assert!(scheme.name().is("bearer"));
        // RFC 7518 section 3.2: shorter than the hash is refused at once.
        assert!(make(&SchemeConfig::new("api").set("jwt-secret", "s3cret")).is_err());
        assert!(make(&SchemeConfig::new("api")).is_err());
        assert!(
            make(
                &SchemeConfig::new("api")
                    .set("token", "a")
                    .set("jwt-secret", "b")
            )
            .is_err()
        );
        assert!(
            make(
                &SchemeConfig::new("api")
                    .set("jwt-jwks", "/nonexistent/jwks.json")
                    .set("jwt-algorithms", "RS256")
            )
            .is_err()
        );
    }
}
