//! [`StaticTokens`]: a fixed set of tokens, compared in constant time.

use std::fmt;

use async_trait::async_trait;
use authscheme::SecretHasher;
use authscheme::registry::Principal;

use crate::error::TokenError;
use crate::validator::{TokenInfo, TokenValidator};

/// A fixed set of tokens (API keys, service tokens), each with its identity
/// and scopes.
///
/// Tokens are kept only as keyed fingerprints ([`SecretHasher`], under a
/// key of the set's own). A presented token is fingerprinted and compared
/// with *every* entry in constant time, so neither the position of a match
/// nor the length of a stored token shows in the timing, and `Debug` shows
/// only how many tokens there are.
///
/// # Examples
///
/// ```
/// use authscheme_bearer::{StaticTokens, TokenValidator};
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let tokens = StaticTokens::new().with_token("mF_9.B5f-4.1JqM", "alice", ["read"]);
/// let info = tokens.validate("mF_9.B5f-4.1JqM").await.unwrap();
/// assert_eq!(info.identity().name(), "alice");
/// assert!(tokens.validate("mF_9.B5f-4.1Jq").await.is_err());
/// # });
/// ```
#[derive(Clone)]
pub struct StaticTokens<I = Principal> {
    hasher: SecretHasher,
    entries: Vec<([u8; 16], TokenInfo<I>)>,
}

impl<I> Default for StaticTokens<I> {
    fn default() -> Self {
        Self {
            hasher: SecretHasher::new(),
            entries: Vec::new(),
        }
    }
}

impl StaticTokens<Principal> {
    /// An empty set (every token is refused).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::{StaticTokens, TokenValidator};
    /// let tokens = StaticTokens::new();
    /// assert!(tokens.is_empty());
    /// assert!(tokens.validate_now("anything").is_none());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `token` for the principal `name` with `scopes`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::{StaticTokens, TokenValidator};
    /// let tokens = StaticTokens::new()
    ///     .with_token("svc-a-token", "service-a", ["read"])
    ///     .with_token("svc-b-token", "service-b", ["read", "write"]);
    /// let info = tokens.validate_now("svc-b-token").unwrap();
    /// assert_eq!(info.identity().name(), "service-b");
    /// assert!(info.has_scope("write"));
    /// // The principal carries the scopes too.
    /// assert!(info.identity().has_scope("write"));
    /// ```
    pub fn with_token<S: Into<String>>(
        self,
        token: &str,
        name: &str,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        let scopes: Vec<String> = scopes.into_iter().map(Into::into).collect();
        let principal = Principal::new(name).with_scopes(scopes.iter().cloned());
        self.with_identity(token, TokenInfo::new(principal).with_scopes(scopes))
    }
}

impl<I> StaticTokens<I> {
    /// Adds `token` with any identity type.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::{StaticTokens, TokenInfo, TokenValidator};
    /// /// The application's own user id.
    /// #[derive(Debug, Clone, PartialEq)]
    /// struct UserId(u64);
    ///
    /// let tokens = StaticTokens::default().with_identity("t0k3n", TokenInfo::new(UserId(7)));
    /// assert_eq!(tokens.validate_now("t0k3n").unwrap().into_identity(), UserId(7));
    /// ```
    pub fn with_identity(mut self, token: &str, info: TokenInfo<I>) -> Self {
        let fingerprint = self.fingerprint(token);
        self.entries.push((fingerprint, info));
        self
    }

    /// How many tokens there are.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::StaticTokens;
    /// let tokens = StaticTokens::new()
    ///     .with_token("a-token", "a", ["read"])
    ///     .with_token("b-token", "b", ["read"]);
    /// assert_eq!(tokens.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the set is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::StaticTokens;
    /// assert!(StaticTokens::new().is_empty());
    /// assert!(!StaticTokens::new().with_token("t0k3n", "robot", ["read"]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn fingerprint(&self, token: &str) -> [u8; 16] {
        self.hasher.fingerprint(token.as_bytes()).to_le_bytes()
    }
}

impl<I> fmt::Debug for StaticTokens<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticTokens")
            .field("tokens", &self.entries.len())
            .finish()
    }
}

#[async_trait]
impl<I: Clone + Send + Sync + 'static> TokenValidator for StaticTokens<I> {
    type Identity = I;

    async fn validate(&self, token: &str) -> Result<TokenInfo<I>, TokenError> {
        self.lookup(token).ok_or(TokenError::Inactive)
    }

    fn validate_now(&self, token: &str) -> Option<TokenInfo<I>> {
        self.lookup(token)
    }
}

impl<I: Clone> StaticTokens<I> {
    fn lookup(&self, token: &str) -> Option<TokenInfo<I>> {
        let presented = self.fingerprint(token);
        let mut found = None;
        // No early exit: every entry is compared, whatever matches.
        for (stored, info) in &self.entries {
            if authscheme::ct_eq(stored, &presented) && found.is_none() {
                found = Some(info);
            }
        }
        found.cloned()
    }
}
