//! [`TokenValidator`]: the async seam between the scheme and whatever knows
//! whether a token is good.

use std::sync::Arc;

use async_trait::async_trait;

use crate::error::TokenError;

/// What a validator learned from a good token: the identity and the scopes
/// it was granted.
///
/// # Examples
///
/// ```
/// use authscheme_bearer::TokenInfo;
/// let info = TokenInfo::new("alice").with_scopes(["read", "admin"]);
/// assert!(info.has_scope("admin"));
/// assert_eq!(*info.identity(), "alice");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo<I> {
    identity: I,
    scopes: Vec<String>,
}

impl<I> TokenInfo<I> {
    /// A token granting no scope.
    pub fn new(identity: I) -> Self {
        Self {
            identity,
            scopes: Vec::new(),
        }
    }

    /// A token granting `scopes`, without copying them.
    pub(crate) fn from_parts(identity: I, scopes: Vec<String>) -> Self {
        Self { identity, scopes }
    }

    /// Adds granted scopes.
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes.extend(scopes.into_iter().map(Into::into));
        self
    }

    /// The identity.
    pub fn identity(&self) -> &I {
        &self.identity
    }

    /// The granted scopes.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// Whether `scope` was granted.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// Takes the identity out.
    pub fn into_identity(self) -> I {
        self.identity
    }
}

/// Decides whether a bearer token is good.
///
/// The scheme calls it with the token exactly as received (already checked
/// to be a b64token). Implement it for a database lookup, a cache, a remote
/// check; or use [`StaticTokens`](crate::StaticTokens),
/// [`JwtValidator`](crate::jwt::JwtValidator) or
/// [`IntrospectionValidator`](crate::introspection::IntrospectionValidator).
///
/// # Examples
///
/// ```
/// use authscheme_bearer::{TokenError, TokenInfo, TokenValidator};
///
/// struct OnlyRobots;
///
/// #[async_trait::async_trait]
/// impl TokenValidator for OnlyRobots {
///     type Identity = String;
///     async fn validate(&self, token: &str) -> Result<TokenInfo<String>, TokenError> {
///         if authscheme::ct_eq(token.as_bytes(), b"robot-token") {
///             Ok(TokenInfo::new("robot".to_string()).with_scopes(["read"]))
///         } else {
///             Err(TokenError::Inactive)
///         }
///     }
/// }
/// ```
#[async_trait]
pub trait TokenValidator: Send + Sync + 'static {
    /// The identity a good token yields.
    type Identity: Send + Sync + 'static;

    /// Validates `token`.
    ///
    /// # Errors
    ///
    /// A [`TokenError`] saying why the token is not good; fixed text only,
    /// since its [`description`](TokenError::description) goes to the client.
    async fn validate(&self, token: &str) -> Result<TokenInfo<Self::Identity>, TokenError>;
}

#[async_trait]
impl<V: TokenValidator + ?Sized> TokenValidator for Arc<V> {
    type Identity = V::Identity;

    async fn validate(&self, token: &str) -> Result<TokenInfo<Self::Identity>, TokenError> {
        (**self).validate(token).await
    }
}
