//! Registration of Basic in the `authscheme` registry.

use std::sync::Arc;
use std::time::Duration;

use authscheme::AuthScheme;
use authscheme::registry::{ConfigError, Principal, SchemeConfig, SchemeRegistration};

use crate::client::{BASIC_STRENGTH, BasicClient};
use crate::htpasswd::HtpasswdStore;
use crate::scheme::BasicScheme;

inventory::submit! {
    SchemeRegistration::new("Basic", BASIC_STRENGTH, Some(client), Some(server_from_config))
}

fn client() -> Box<dyn authscheme::ClientScheme> {
    Box::new(BasicClient)
}

/// Builds a Basic server scheme over an htpasswd file from configuration
/// (the settings are listed in the crate documentation).
///
/// # Errors
///
/// [`ConfigError`] for a missing `htpasswd` setting, an unreadable file or
/// a setting that does not parse.
///
/// # Examples
///
/// ```
/// use authscheme::registry::{self, SchemeConfig};
/// # let dir = tempfile::tempdir().unwrap();
/// # let path = dir.path().join(".htpasswd");
/// # std::fs::write(&path, "").unwrap();
/// let build = registry::find("basic").and_then(|r| r.server).unwrap();
/// let scheme = build(&SchemeConfig::new("Dev zone").set("htpasswd", path.to_str().unwrap())).unwrap();
/// assert!(scheme.name().is("Basic"));
/// assert!(build(&SchemeConfig::new("Dev zone")).is_err());
/// ```
pub fn server_from_config(
    config: &SchemeConfig,
) -> Result<Arc<dyn AuthScheme<Principal>>, ConfigError> {
    let path = config
        .get("htpasswd")
        .ok_or_else(|| ConfigError::new("htpasswd", "required: path of the htpasswd file"))?;
    let plaintext = flag(config, "dangerous_allow_plaintext", false)?;
    let charset = flag(config, "charset", true)?;
    let ttl = number(config, "cache_ttl_secs", 300)?;
    let capacity = number(config, "cache_capacity", 10_000)?;
    let store = HtpasswdStore::builder(path)
        .dangerous_allow_plaintext(plaintext)
        .open()
        .map_err(|e| ConfigError::new("htpasswd", e.to_string()))?;
    let mut scheme = BasicScheme::new(config.realm(), store).with_charset(charset);
    if ttl > 0 {
        let capacity = usize::try_from(capacity).unwrap_or(usize::MAX);
        scheme = scheme.with_cache(Duration::from_secs(ttl), capacity);
    }
    Ok(Arc::new(scheme))
}

fn flag(config: &SchemeConfig, key: &str, default: bool) -> Result<bool, ConfigError> {
    match config.get(key).map(str::to_ascii_lowercase).as_deref() {
        None => Ok(default),
        Some("true" | "yes" | "on" | "1") => Ok(true),
        Some("false" | "no" | "off" | "0") => Ok(false),
        Some(_) => Err(ConfigError::new(key, "expected true or false")),
    }
}

fn number(config: &SchemeConfig, key: &str, default: u64) -> Result<u64, ConfigError> {
    config.get(key).map_or(Ok(default), |v| {
        v.parse()
            .map_err(|_| ConfigError::new(key, "expected a whole number"))
    })
}
