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
    // Shared: validators with a cache hand out a clone per request.
    scopes: Arc<[String]>,
}

impl<I> TokenInfo<I> {
    /// A token granting no scope.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenInfo;
    /// let info = TokenInfo::new(42_u64);
    /// assert_eq!(*info.identity(), 42);
    /// assert!(info.scopes().is_empty());
    /// ```
    pub fn new(identity: I) -> Self {
        Self {
            identity,
            scopes: Arc::default(),
        }
    }

    /// A token granting `scopes`, shared rather than copied.
    pub(crate) fn from_parts(identity: I, scopes: Arc<[String]>) -> Self {
        Self { identity, scopes }
    }

    /// Adds granted scopes.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenInfo;
    /// let info = TokenInfo::new("alice").with_scopes(["read"]).with_scopes(["write"]);
    /// assert_eq!(info.scopes(), ["read", "write"]);
    /// ```
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        let mut all = self.scopes.to_vec();
        all.extend(scopes.into_iter().map(Into::into));
        self.scopes = all.into();
        self
    }

    /// The identity.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenInfo;
    /// let info = TokenInfo::new(String::from("alice"));
    /// assert_eq!(info.identity(), "alice");
    /// ```
    pub fn identity(&self) -> &I {
        &self.identity
    }

    /// The granted scopes.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenInfo;
    /// let info = TokenInfo::new("alice").with_scopes(["openid", "profile"]);
    /// assert_eq!(info.scopes(), ["openid", "profile"]);
    /// ```
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// Whether `scope` was granted.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenInfo;
    /// let info = TokenInfo::new("alice").with_scopes(["read"]);
    /// assert!(info.has_scope("read"));
    /// // Exact match only: no prefixes, no case folding.
    /// assert!(!info.has_scope("Read"));
    /// assert!(!info.has_scope("rea"));
    /// ```
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// Takes the identity out.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenInfo;
    /// let info = TokenInfo::new(String::from("alice")).with_scopes(["read"]);
    /// let name: String = info.into_identity();
    /// assert_eq!(name, "alice");
    /// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::{StaticTokens, TokenError, TokenValidator};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let tokens = StaticTokens::new().with_token("mF_9.B5f-4.1JqM", "alice", ["read"]);
    /// let info = tokens.validate("mF_9.B5f-4.1JqM").await.unwrap();
    /// assert_eq!(info.identity().name(), "alice");
    /// assert_eq!(tokens.validate("guess").await, Err(TokenError::Inactive));
    /// # });
    /// ```
    async fn validate(&self, token: &str) -> Result<TokenInfo<Self::Identity>, TokenError>;

    /// The token's information without waiting, when the validator has it
    /// at hand (a fixed token set, a cache of verified tokens).
    ///
    /// `Some` only for a token [`validate`](TokenValidator::validate) would
    /// accept with the same information; `None` means "ask `validate`". It
    /// lets the scheme decide a request without the asynchronous path (see
    /// `AuthScheme::authenticate_now`). Keep it cheap: it runs before
    /// `validate` for every token, good or bad. The default says `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::{StaticTokens, TokenValidator};
    /// let tokens = StaticTokens::new().with_token("t0k3n", "robot", ["read"]);
    /// let info = tokens.validate_now("t0k3n").unwrap();
    /// assert_eq!(info.identity().name(), "robot");
    /// assert!(info.has_scope("read"));
    /// assert!(tokens.validate_now("other").is_none());
    /// ```
    fn validate_now(&self, _token: &str) -> Option<TokenInfo<Self::Identity>> {
        None
    }
}

#[async_trait]
impl<V: TokenValidator + ?Sized> TokenValidator for Arc<V> {
    type Identity = V::Identity;

    fn validate_now(&self, token: &str) -> Option<TokenInfo<Self::Identity>> {
        (**self).validate_now(token)
    }

    async fn validate(&self, token: &str) -> Result<TokenInfo<Self::Identity>, TokenError> {
        (**self).validate(token).await
    }
}
