//! [`Principal`]: the identity type every scenario authenticates into.

/// The identity the test schemes produce: a user name and the scopes its
/// token grants (empty for password schemes).
///
/// # Examples
///
/// ```
/// use authscheme_testkit::Principal;
/// let p = Principal::new("alice").with_scopes(["read"]);
/// assert_eq!(p.name(), "alice");
/// assert!(p.has_scope("read"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Principal {
    name: String,
    scopes: Vec<String>,
}

impl Principal {
    /// A principal without scopes.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            scopes: Vec::new(),
        }
    }

    /// Replaces the scopes.
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The user name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The scopes granted.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// Whether `scope` was granted.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}
