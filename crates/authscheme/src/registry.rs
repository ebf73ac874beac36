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
///
/// # Examples
///
/// ```
/// use authscheme::registry::SchemeRegistration;
/// static NEWAUTH: SchemeRegistration = SchemeRegistration::new("Newauth", 50, None, None);
/// assert_eq!((NEWAUTH.name, NEWAUTH.strength), ("Newauth", 50));
/// assert!(NEWAUTH.client.is_none() && NEWAUTH.server.is_none());
/// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::{self, SchemeRegistration};
    /// use authscheme::inventory;
    /// inventory::submit! {
    ///     SchemeRegistration::new("X-Const", 7, None, None)
    /// }
    /// assert_eq!(registry::find("X-Const").map(|r| r.strength), Some(7));
    /// ```
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
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use authscheme::registry::{ConfigError, Principal, SchemeConfig, ServerConstructor};
/// use authscheme::*;
/// # struct Realm(String);
/// # #[async_trait]
/// # impl AuthScheme<Principal> for Realm {
/// #     fn name(&self) -> SchemeName<'static> { SchemeName::new("X-Realm").unwrap() }
/// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
/// #         out.push(Challenge::builder(self.name()).param("realm", self.0.clone()).build().unwrap());
/// #     }
/// #     async fn authenticate(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Verdict<Principal> {
/// #         Verdict::NotMine
/// #     }
/// # }
///
/// fn build(config: &SchemeConfig) -> Result<Arc<dyn AuthScheme<Principal>>, ConfigError> {
///     if config.realm().is_empty() {
///         return Err(ConfigError::new("realm", "must not be empty"));
///     }
///     Ok(Arc::new(Realm(config.realm().to_owned())))
/// }
///
/// let make: ServerConstructor = build;
/// assert!(make(&SchemeConfig::new("")).is_err());
/// let scheme = make(&SchemeConfig::new("api")).unwrap();
/// let headers = http::HeaderMap::new();
/// let mut offered = Vec::new();
/// scheme.challenges(&AuthRequest::new("GET", "/", &headers), &mut offered);
/// assert_eq!(offered[0].realm(), Some("api"));
/// ```
pub type ServerConstructor =
    fn(&SchemeConfig) -> Result<Arc<dyn AuthScheme<Principal>>, ConfigError>;

inventory::collect!(SchemeRegistration);

/// Every linked scheme, strongest first.
///
/// # Examples
///
/// ```
/// use authscheme::registry::{self, SchemeRegistration};
/// use authscheme::inventory;
/// inventory::submit! { SchemeRegistration::new("X-Weak", 1, None, None) }
/// inventory::submit! { SchemeRegistration::new("X-Strong", 900, None, None) }
/// let names: Vec<&str> = registry::all().iter().map(|r| r.name).collect();
/// let strong = names.iter().position(|&n| n == "X-Strong").unwrap();
/// let weak = names.iter().position(|&n| n == "X-Weak").unwrap();
/// assert!(strong < weak, "strongest first");
/// ```
pub fn all() -> Vec<&'static SchemeRegistration> {
    let mut all: Vec<_> = inventory::iter::<SchemeRegistration>.into_iter().collect();
    all.sort_by(|a, b| b.strength.cmp(&a.strength).then(a.name.cmp(b.name)));
    all
}

/// The linked scheme called `name` (case-insensitive).
///
/// # Examples
///
/// ```
/// use authscheme::registry::{self, SchemeRegistration};
/// use authscheme::inventory;
/// inventory::submit! { SchemeRegistration::new("X-Find", 5, None, None) }
/// assert_eq!(registry::find("x-FIND").map(|r| r.name), Some("X-Find"));
/// assert!(registry::find("X-Not-Linked").is_none());
/// ```
pub fn find(name: &str) -> Option<&'static SchemeRegistration> {
    inventory::iter::<SchemeRegistration>
        .into_iter()
        .find(|r| crate::syntax::same_name(r.name.as_bytes(), name.as_bytes()))
}

/// The client side of every linked scheme that has one, strongest first.
///
/// # Examples
///
/// ```
/// use authscheme::registry::{self, SchemeRegistration};
/// use authscheme::*;
/// # struct Token;
/// # impl ClientScheme for Token {
/// #     fn name(&self) -> SchemeName<'static> { SchemeName::new("X-Client").unwrap() }
/// #     fn rank(&self, _: &Challenge<'_>, _: &ClientCredentials) -> Option<u32> { Some(1) }
/// #     fn start(&self, _: &Challenge<'_>, _: &ClientCredentials) -> Result<Box<dyn ClientSession>, ClientError> {
/// #         Err(ClientError::NoUsableChallenge)
/// #     }
/// # }
/// inventory::submit! {
///     SchemeRegistration::new("X-Client", 3, Some(|| Box::new(Token)), None)
/// }
/// let clients = registry::client_schemes();
/// assert!(clients.iter().any(|c| c.name().is("x-client")));
/// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::SchemeConfig;
    /// let config = SchemeConfig::new("api");
    /// assert_eq!(config.realm(), "api");
    /// assert_eq!(config.get("algorithms"), None);
    /// ```
    pub fn new(realm: impl Into<String>) -> Self {
        Self {
            realm: realm.into(),
            settings: BTreeMap::new(),
        }
    }

    /// Adds a setting.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::SchemeConfig;
    /// let config = SchemeConfig::new("api").set("algorithms", "SHA-256").set("algorithms", "MD5");
    /// assert_eq!(config.get("algorithms"), Some("MD5"), "a later value replaces an earlier one");
    /// ```
    pub fn set(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.settings.insert(key.into(), value.into());
        self
    }

    /// The realm.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(authscheme::registry::SchemeConfig::new("Dev zone").realm(), "Dev zone");
    /// ```
    pub fn realm(&self) -> &str {
        &self.realm
    }

    /// A setting.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::SchemeConfig;
    /// let config = SchemeConfig::new("api").set("nonce_lifetime", "300");
    /// assert_eq!(config.get("nonce_lifetime"), Some("300"));
    /// assert_eq!(config.get("missing"), None);
    /// ```
    pub fn get(&self, key: &str) -> Option<&str> {
        self.settings.get(key).map(String::as_str)
    }
}

/// The identity produced by schemes built from the registry, by Basic's
/// ready-made user stores and by Bearer's ready-made token validators (and
/// the one Digest's `DigestUser` converts into): a name and the scopes it
/// holds.
///
/// Re-exported at the crate root as `authscheme::Principal`; this path
/// keeps working.
///
/// # Examples
///
/// ```
/// use authscheme::Principal;
/// let p = Principal::new("alice").with_scopes(["read"]);
/// assert!(p.has_scope("read"));
/// // The same type under its module path.
/// let q: authscheme::registry::Principal = p.clone();
/// assert_eq!(p, q);
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
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::Principal;
    /// let p = Principal::new("alice");
    /// assert_eq!(p.name(), "alice");
    /// assert!(p.scopes().is_empty());
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: Arc::from(name.into()),
            scopes: Arc::default(),
        }
    }

    /// Adds scopes.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::Principal;
    /// let p = Principal::new("alice").with_scopes(["read"]).with_scopes(vec![String::from("write")]);
    /// assert_eq!(p.scopes(), ["read", "write"]);
    /// ```
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        let mut all = self.scopes.to_vec();
        all.extend(scopes.into_iter().map(Into::into));
        self.scopes = all.into();
        self
    }

    /// The scopes, shared: a clone of the result costs a reference count,
    /// not a copy, for a scheme that hands the same scopes out beside the
    /// principal (a Bearer token's granted scopes).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::Principal;
    /// let p = Principal::new("alice").with_scopes(["read"]);
    /// let shared = p.shared_scopes();
    /// assert_eq!(&shared[..], p.scopes());
    /// ```
    pub fn shared_scopes(&self) -> Arc<[String]> {
        Arc::clone(&self.scopes)
    }

    /// The name.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(authscheme::registry::Principal::new("alice").name(), "alice");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The scopes.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = authscheme::registry::Principal::new("robot").with_scopes(["read", "write"]);
    /// assert_eq!(p.scopes(), ["read", "write"]);
    /// ```
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// Whether the principal holds `scope`.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = authscheme::registry::Principal::new("robot").with_scopes(["read"]);
    /// assert!(p.has_scope("read"));
    /// assert!(!p.has_scope("write"));
    /// assert!(!p.has_scope("READ"), "scopes are case-sensitive");
    /// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::ConfigError;
    /// let err = ConfigError::new("nonce_lifetime", "not a number of seconds");
    /// assert_eq!(err.to_string(), "invalid setting 'nonce_lifetime': not a number of seconds");
    /// ```
    pub fn new(key: impl Into<String>, why: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            why: why.into(),
        }
    }
}
