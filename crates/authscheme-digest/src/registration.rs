//! Registration with the `authscheme` registry, so programs (and the CLI)
//! can list Digest and build it by name.

use std::sync::Arc;
use std::time::Duration;

use authscheme::registry::{ConfigError, Principal, SchemeConfig, SchemeRegistration};
use authscheme::{AuthScheme, ClientScheme};

use crate::algorithm::Algorithm;
use crate::client::DigestClient;
use crate::nonce::NonceSecret;
use crate::server::DigestScheme;
use crate::store::{CredentialStore, HtdigestFile, MemoryCredentialStore};

fn client() -> Box<dyn ClientScheme> {
    Box::new(DigestClient::new())
}

/// Builds a server scheme from settings: `htdigest` (a file path) or
/// `users` (`name:password,name:password`), `algorithms` (`SHA-256,MD5`),
/// `nonce_secret` (32 bytes or more), `nonce_lifetime` (seconds, at most a
/// day).
fn server(config: &SchemeConfig) -> Result<Arc<dyn AuthScheme<Principal>>, ConfigError> {
    let realm = config.realm();
    let store: Arc<dyn CredentialStore> = match (config.get("htdigest"), config.get("users")) {
        (Some(path), None) => Arc::new(
            HtdigestFile::open(path).map_err(|e| ConfigError::new("htdigest", e.to_string()))?,
        ),
        (None, users) => {
            let mut store = MemoryCredentialStore::new(realm);
            for pair in users
                .unwrap_or_default()
                .split(',')
                .filter(|p| !p.is_empty())
            {
                let (user, password) = pair
                    .split_once(':')
                    .ok_or_else(|| ConfigError::new("users", "expected name:password pairs"))?;
                store = store.with_user(user, password);
            }
            Arc::new(store)
        }
        (Some(_), Some(_)) => {
            return Err(ConfigError::new("users", "give either users or htdigest"));
        }
    };
    let mut builder = DigestScheme::builder_shared(realm, store);
    if let Some(list) = config.get("algorithms") {
        let mut algorithms = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            algorithms.push(Algorithm::parse(name).ok_or_else(|| {
                ConfigError::new("algorithms", format!("unknown algorithm {name}"))
            })?);
        }
        builder = builder.algorithms(algorithms);
    }
    if let Some(secret) = config.get("nonce_secret") {
        builder = builder.nonce_secret(
            NonceSecret::from_bytes(secret.as_bytes())
                .ok_or_else(|| ConfigError::new("nonce_secret", "shorter than 32 bytes"))?,
        );
    }
    if let Some(lifetime) = config.get("nonce_lifetime") {
        let secs: u64 = lifetime
            .parse()
            .map_err(|_| ConfigError::new("nonce_lifetime", "not a number of seconds"))?;
        let lifetime = Duration::from_secs(secs);
        if lifetime > crate::NonceIssuer::MAX_LIFETIME {
            return Err(ConfigError::new(
                "nonce_lifetime",
                "longer than a day (86400 seconds)",
            ));
        }
        builder = builder.nonce_lifetime(lifetime);
    }
    let scheme = builder
        .build()
        .map_err(|e| ConfigError::new("algorithms", e.to_string()))?;
    Ok(Arc::new(scheme))
}

inventory::submit! {
    SchemeRegistration::new("Digest", 200, Some(client), Some(server))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_and_buildable_by_name() {
        let reg = authscheme::registry::find("digest").expect("Digest is registered");
        assert_eq!(reg.strength, 200);
        let make = reg.server.expect("server constructor");
        let cfg = SchemeConfig::new("api")
            .set("users", "alice:wonderland")
            .set("algorithms", "SHA-512-256, sha-256");
        assert!(make(&cfg).is_ok());
        let bad = SchemeConfig::new("api").set("algorithms", "SHA-1");
        assert!(make(&bad).is_err());
        let forever = SchemeConfig::new("api").set("nonce_lifetime", "18446744073709551615");
        let err = make(&forever).err().expect("refused");
        assert!(err.to_string().contains("nonce_lifetime"), "{err}");
        let day = SchemeConfig::new("api").set("nonce_lifetime", "86400");
        assert!(make(&day).is_ok());
        assert!(reg.client.is_some());
    }
}
