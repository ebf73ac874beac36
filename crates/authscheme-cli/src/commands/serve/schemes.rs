//! The demo's schemes: Basic and Digest over the embedded users (or the
//! given password files), Bearer over development JWTs and an optional
//! static token; and the [`Guards`] that combine them per route.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use authscheme::registry::Principal;
use authscheme::{AuthScheme, AuthSchemeExt, Authenticator, async_trait};
use authscheme_basic::{BasicScheme, HtpasswdStore, MemoryStore};
use authscheme_bearer::jwt::{Algorithm as JwtAlgorithm, JwtKey, JwtValidator};
use authscheme_bearer::{BearerScheme, StaticTokens, TokenError, TokenInfo, TokenValidator};
use authscheme_digest::{
    Algorithm, DigestScheme, HtdigestFile, MemoryCredentialStore, NonceSecret, NonceStore,
};

use super::identity::User;
use super::routes::Guards;

/// The embedded users: user-id and password. Only their bcrypt hashes
/// (Basic) and HA1 values (Digest) are kept once the server runs.
pub(crate) const EMBEDDED_USERS: [(&str, &str); 4] = [
    ("alice", "wonderland"),
    ("Jäsøn Doe", "Secret, or not?"),
    ("bob", "pass:with:colons"),
    ("carol", "naïve café"),
];

/// bcrypt cost for the embedded users: low so that start-up is quick; the
/// verified-credential cache makes repeated requests cheap anyway.
const BCRYPT_COST: u32 = 8;

/// How long a verified Basic credential stays cached, and how many are.
const BASIC_CACHE: (Duration, usize) = (Duration::from_secs(300), 10_000);

/// The user-id a `--bearer-token` authenticates as.
pub(crate) const SERVICE_USER: &str = "service";

/// What the schemes are built from.
pub(crate) struct SchemeConfig<'a> {
    pub(crate) realm: &'a str,
    pub(crate) htpasswd: Option<&'a Path>,
    pub(crate) htdigest: Option<&'a Path>,
    pub(crate) jwt_secret: &'a [u8],
    pub(crate) bearer_token: Option<&'a str>,
    pub(crate) digest_algorithms: &'a [Algorithm],
    pub(crate) nonce_secret: Option<NonceSecret>,
    pub(crate) nonce_lifetime: Duration,
    /// Shared replay state, and the server it lives on (for the index).
    pub(crate) nonce_store: Option<(Arc<dyn NonceStore>, String)>,
}

/// The guards, and one line per scheme for the index page.
#[derive(Debug)]
pub(crate) struct Built {
    pub(crate) guards: Guards,
    pub(crate) details: Vec<String>,
}

type Shared = Arc<dyn AuthScheme<User>>;

/// Builds every scheme once and the guards around them.
pub(crate) fn build(cfg: SchemeConfig<'_>) -> Result<Built, String> {
    let basic = basic(&cfg)?;
    let (digest, algorithms) = digest(&cfg)?;
    let tokens = Arc::new(DevTokens::new(&cfg)?);
    let bearer_any = bearer(&cfg, &tokens, &[])?;
    let admin = bearer(&cfg, &tokens, &["admin"])?;

    let only = |s: &Shared| Authenticator::new().with_shared(Arc::clone(s));
    let guards = Guards {
        basic: only(&basic),
        digest: only(&digest),
        bearer: only(&bearer_any),
        any: only(&basic)
            .with_shared(Arc::clone(&digest))
            .with_shared(Arc::clone(&bearer_any)),
        admin: only(&admin),
    };

    let names: Vec<&str> = algorithms.iter().map(|a| a.as_str()).collect();
    let userhash = if cfg.htdigest.is_none() {
        "; userhash"
    } else {
        ""
    };
    let static_token = if cfg.bearer_token.is_some() {
        " or the static --bearer-token (user service)"
    } else {
        ""
    };
    let details = vec![
        format!(
            "Basic: users from {}",
            cfg.htpasswd
                .map_or("the embedded list".into(), |p| p.display().to_string())
        ),
        format!(
            "Digest: {}; qop auth, auth-int{userhash}; users from {}",
            names.join(", "),
            cfg.htdigest
                .map_or("the embedded list".into(), |p| p.display().to_string())
        ),
        format!("Bearer: HS256 JWT (scope in the scope claim){static_token}"),
    ];
    let mut details = details;
    if let Some((_, server)) = &cfg.nonce_store {
        details.push(format!("Digest replay state: shared in Redis at {server}"));
    }
    Ok(Built { guards, details })
}

fn basic(cfg: &SchemeConfig<'_>) -> Result<Shared, String> {
    let (ttl, capacity) = BASIC_CACHE;
    if let Some(path) = cfg.htpasswd {
        let store =
            HtpasswdStore::open(path).map_err(|e| format!("--htpasswd {}: {e}", path.display()))?;
        for problem in store.problems() {
            tracing::warn!(file = %path.display(), "htpasswd: {problem}");
        }
        let scheme = BasicScheme::new(cfg.realm, store).with_cache(ttl, capacity);
        return Ok(Arc::new(scheme.map_identity(User::basic)));
    }
    let store = MemoryStore::with_cost(BCRYPT_COST).map_err(|e| e.to_string())?;
    // bcrypt is slow on purpose (and slower still in a debug build): hash
    // the users on every core so that start-up stays quick.
    std::thread::scope(|scope| {
        let jobs: Vec<_> = EMBEDDED_USERS
            .iter()
            .map(|(user, password)| scope.spawn(|| store.insert(user, password)))
            .collect();
        jobs.into_iter().try_for_each(|job| match job.join() {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(_) => Err("hashing the embedded users failed".to_owned()),
        })
    })?;
    let scheme = BasicScheme::new(cfg.realm, store).with_cache(ttl, capacity);
    Ok(Arc::new(scheme.map_identity(User::basic)))
}

fn digest(cfg: &SchemeConfig<'_>) -> Result<(Shared, Vec<Algorithm>), String> {
    let builder = match cfg.htdigest {
        Some(path) => {
            let file = HtdigestFile::open(path)
                .map_err(|e| format!("--htdigest {}: {e}", path.display()))?;
            for problem in file.problems() {
                tracing::warn!(file = %path.display(), "htdigest: {problem:?}");
            }
            DigestScheme::builder(cfg.realm, file)
        }
        None => {
            let store = EMBEDDED_USERS
                .iter()
                .fold(MemoryCredentialStore::new(cfg.realm), |s, (u, p)| {
                    s.with_user(*u, p)
                });
            DigestScheme::builder(cfg.realm, store)
        }
    };
    // The demo answers every client it can: GNU Wget sends the RFC 2069
    // form (no qop) to a challenge offering auth-int, and each nonce serves
    // one such request.
    let mut builder = builder
        .algorithms(cfg.digest_algorithms.iter().copied())
        .nonce_lifetime(cfg.nonce_lifetime)
        .accept_without_qop(true);
    if let Some(secret) = cfg.nonce_secret.clone() {
        builder = builder.nonce_secret(secret);
    }
    if let Some((store, _)) = &cfg.nonce_store {
        builder = builder.nonce_store(Arc::clone(store));
    }
    let scheme = builder.build().map_err(|e| {
        if cfg.htdigest.is_some() {
            format!("{e} (htdigest files hold MD5 hashes only: include MD5 in --digest-algorithms)")
        } else {
            e.to_string()
        }
    })?;
    let offered = scheme.algorithms().to_vec();
    if offered.len() < cfg.digest_algorithms.len() {
        tracing::warn!(
            "the user store cannot verify every algorithm asked for; offering {:?}",
            offered.iter().map(|a| a.as_str()).collect::<Vec<_>>()
        );
    }
    let mapped = scheme.map_identity(User::digest);
    let shared: Shared = Arc::new(mapped);
    Ok((shared, offered))
}

/// A Bearer scheme over the shared validator, requiring `scopes`.
fn bearer(
    cfg: &SchemeConfig<'_>,
    tokens: &Arc<DevTokens>,
    scopes: &[&str],
) -> Result<Shared, String> {
    let scheme = BearerScheme::builder_shared(Arc::clone(tokens))
        .realm(cfg.realm)
        .require_scopes(scopes.iter().copied())
        .build()
        .map_err(|e| e.to_string())?;
    Ok(Arc::new(scheme.map_identity(User::bearer)))
}

/// HS256 JWTs signed with the configured secret, plus the static token
/// when one is given.
/// How many verified JWTs the demo server remembers.
const JWT_CACHE_CAPACITY: usize = 10_000;

struct DevTokens {
    jwt: JwtValidator,
    service: Option<StaticTokens>,
}

impl DevTokens {
    fn new(cfg: &SchemeConfig<'_>) -> Result<Self, String> {
        let jwt = JwtValidator::builder()
            .algorithms([JwtAlgorithm::HS256])
            .key(JwtKey::secret(cfg.jwt_secret))
            // A client repeats its token on every request: verify it once,
            // then answer from the bounded cache until the token's `exp`.
            .cache(JWT_CACHE_CAPACITY)
            .build()
            .map_err(|e| format!("--jwt-secret: {e}"))?;
        let service = cfg
            .bearer_token
            .map(|t| StaticTokens::new().with_token(t, SERVICE_USER, Vec::<String>::new()));
        Ok(Self { jwt, service })
    }
}

#[async_trait]
impl TokenValidator for DevTokens {
    type Identity = Principal;

    async fn validate(&self, token: &str) -> Result<TokenInfo<Principal>, TokenError> {
        // The static token is compared by digest in constant time; anything
        // else is read as a JWT.
        if let Some(service) = &self.service
            && let Ok(info) = service.validate(token).await
        {
            return Ok(info);
        }
        self.jwt.validate(token).await
    }

    fn validate_now(&self, token: &str) -> Option<TokenInfo<Principal>> {
        self.service
            .as_ref()
            .and_then(|service| service.validate_now(token))
            .or_else(|| self.jwt.validate_now(token))
    }
}
