//! The registry of linked schemes, filled at link time with `inventory`.
//!
//! Each scheme crate submits one [`SchemeRegistration`]. A client (and the
//! CLI) then knows which schemes the program linked, how strong each is, and
//! can build one by name. A scheme crate outside this workspace registers the
//! same way; nothing else changes.
//!
//! # Examples
//!
//! ```
//! use std::sync::Arc;
//! use authscheme::registry::{self, Principal, SchemeConfig, SchemeRegistration};
//! use authscheme::*;
//!
//! struct Token;
//! impl ClientScheme for Token {
//!     fn name(&self) -> SchemeName<'static> { SchemeName::new("X-Token").unwrap() }
//!     fn rank(&self, _: &Challenge<'_>, c: &ClientCredentials) -> Option<u32> {
//!         c.token_secret().map(|_| 10)
//!     }
//!     fn start(&self, _: &Challenge<'_>, _: &ClientCredentials) -> Result<Box<dyn ClientSession>, ClientError> {
//!         Err(ClientError::NoUsableChallenge)
//!     }
//! }
//!
//! inventory::submit! {
//!     SchemeRegistration::new("X-Token", 10, Some(|| Box::new(Token)), None)
//! }
//!
//! assert!(registry::find("x-token").is_some());
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::client::ClientScheme;
use crate::server::AuthScheme;

/// One linked scheme.
#[derive(Debug)]
#[non_exhaustive]
pub struct SchemeRegistration {
    /// The auth-scheme name, such as `Digest`.
    pub name: &'static str,
    /// How strong the scheme is for a client choosing among challenges
    /// (Basic 100, Digest 200, Bearer 300). A scheme's
    /// [`ClientScheme::rank`] refines it per challenge.
    pub strength: u32,
    /// Builds the client side.
    pub client: Option<fn() -> Box<dyn ClientScheme>>,
    /// Builds the server side from configuration.
    pub server: Option<ServerConstructor>,
}

impl SchemeRegistration {
    /// A registration, for `inventory::submit!` in a scheme crate.
    pub const fn new(
        name: &'static str,
        strength: u32,
        client: Option<fn() -> Box<dyn ClientScheme>>,
        server: Option<ServerConstructor>,
    ) -> Self {
        Self {
            name,
            strength,
            client,
            server,
        }
    }
}

/// Builds a server-side scheme from configuration.
pub type ServerConstructor =
    fn(&SchemeConfig) -> Result<Arc<dyn AuthScheme<Principal>>, ConfigError>;

inventory::collect!(SchemeRegistration);

/// Every linked scheme, strongest first.
pub fn all() -> Vec<&'static SchemeRegistration> {
    let mut all: Vec<_> = inventory::iter::<SchemeRegistration>.into_iter().collect();
    all.sort_by(|a, b| b.strength.cmp(&a.strength).then(a.name.cmp(b.name)));
    all
}

/// The linked scheme called `name` (case-insensitive).
pub fn find(name: &str) -> Option<&'static SchemeRegistration> {
    inventory::iter::<SchemeRegistration>
        .into_iter()
        .find(|r| crate::syntax::same_name(r.name.as_bytes(), name.as_bytes()))
}

/// The client side of every linked scheme that has one, strongest first.
pub fn client_schemes() -> Vec<Box<dyn ClientScheme>> {
    all()
        .into_iter()
        .filter_map(|r| r.client.map(|make| make()))
        .collect()
}

/// Configuration for a scheme built by name: a realm and string settings.
///
/// # Examples
///
/// ```
/// use authscheme::registry::SchemeConfig;
/// let cfg = SchemeConfig::new("api").set("algorithms", "SHA-256,MD5");
/// assert_eq!(cfg.get("algorithms"), Some("SHA-256,MD5"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct SchemeConfig {
    realm: String,
    settings: BTreeMap<String, String>,
}

impl SchemeConfig {
    /// A configuration for `realm`.
    pub fn new(realm: impl Into<String>) -> Self {
        Self {
            realm: realm.into(),
            settings: BTreeMap::new(),
        }
    }

    /// Adds a setting.
    pub fn set(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.settings.insert(key.into(), value.into());
        self
    }

    /// The realm.
    pub fn realm(&self) -> &str {
        &self.realm
    }

    /// A setting.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.settings.get(key).map(String::as_str)
    }
}

/// The identity produced by schemes built from the registry: a name and the
/// scopes it holds.
///
/// # Examples
///
/// ```
/// use authscheme::registry::Principal;
/// let p = Principal::new("alice").with_scopes(["read"]);
/// assert!(p.has_scope("read"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Principal {
    // Shared, not owned: caches hand out a clone of the principal on every
    // request, and a reference count costs less than copying strings.
    name: Arc<str>,
    scopes: Arc<[String]>,
}

impl Principal {
    /// A principal without scopes.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: Arc::from(name.into()),
            scopes: Arc::default(),
        }
    }

    /// Adds scopes.
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        let mut all = self.scopes.to_vec();
        all.extend(scopes.into_iter().map(Into::into));
        self.scopes = all.into();
        self
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The scopes.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// Whether the principal holds `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// A configuration that cannot build a scheme.
///
/// # Examples
///
/// ```
/// let e = authscheme::registry::ConfigError::new("algorithms", "unknown algorithm SHA-1");
/// assert_eq!(e.to_string(), "invalid setting 'algorithms': unknown algorithm SHA-1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid setting '{key}': {why}")]
pub struct ConfigError {
    key: String,
    why: String,
}

impl ConfigError {
    /// An error about setting `key`.
    pub fn new(key: impl Into<String>, why: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            why: why.into(),
        }
    }
}
