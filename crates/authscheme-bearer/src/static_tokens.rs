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
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `token` for the principal `name` with `scopes`.
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
    pub fn with_identity(mut self, token: &str, info: TokenInfo<I>) -> Self {
        let fingerprint = self.fingerprint(token);
        self.entries.push((fingerprint, info));
        self
    }

    /// How many tokens there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the set is empty.
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
