//! [`UserStore`]: where Basic credentials are checked.

use std::sync::Arc;

use async_trait::async_trait;

use crate::credentials::BasicCredentials;
use crate::error::StoreError;

/// Checks a user-id and password and returns the application's identity.
///
/// Implement it over a database, LDAP or anything else; [`MemoryStore`] and
/// [`HtpasswdStore`] are ready-made. An implementation must:
///
/// - compare secrets in constant time (verify a password hash, or use
///   [`authscheme::ct_eq`]);
/// - spend the same work on an unknown user as on a wrong password, so
///   response times do not tell which user-ids exist: verify an unknown
///   user against a dummy hash of the most expensive format and cost the
///   store holds, and where hashes of different formats or costs are
///   mixed, verify a wrong password for a cheaper hash against that dummy
///   too (the rule the ready-made stores follow, see the crate
///   documentation);
/// - return `Ok(None)` for both, and `Err` only when it cannot decide.
///
/// [`MemoryStore`]: crate::MemoryStore
/// [`HtpasswdStore`]: crate::HtpasswdStore
///
/// # Examples
///
/// ```
/// use authscheme_basic::{BasicCredentials, PasswordHash, StoreError, UserStore};
///
/// struct OneUser(PasswordHash);
///
/// #[async_trait::async_trait]
/// impl UserStore for OneUser {
///     type Identity = String;
///     async fn verify(&self, c: &BasicCredentials) -> Result<Option<String>, StoreError> {
///         // Verify first, whatever the user-id, so both failures cost the same.
///         let password_ok = self.0.verify(c.password());
///         Ok((password_ok && c.user() == "admin").then(|| "admin".to_owned()))
///     }
/// }
/// ```
#[async_trait]
pub trait UserStore: Send + Sync + 'static {
    /// What a successful check produces.
    type Identity: Clone + Send + Sync + 'static;

    /// `Ok(Some(identity))` when the credentials are good, `Ok(None)` when
    /// the user is unknown or the password wrong (indistinguishably).
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the store cannot answer; the request fails with
    /// `503`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{BasicCredentials, MemoryStore, UserStore};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let store = MemoryStore::with_cost(4).unwrap();
    /// store.insert("alice", "wonderland").unwrap();
    /// let good = BasicCredentials::new("alice", "wonderland").unwrap();
    /// assert_eq!(store.verify(&good).await.unwrap().unwrap().name(), "alice");
    /// // A wrong password and an unknown user look the same.
    /// for (user, password) in [("alice", "guess"), ("mallory", "wonderland")] {
    ///     let bad = BasicCredentials::new(user, password).unwrap();
    ///     assert!(store.verify(&bad).await.unwrap().is_none());
    /// }
    /// # });
    /// ```
    async fn verify(
        &self,
        credentials: &BasicCredentials,
    ) -> Result<Option<Self::Identity>, StoreError>;

    /// A number that changes whenever previously verified credentials may
    /// no longer be good (the password file was reloaded, a user was
    /// removed). The verified-credential cache is emptied when it changes.
    /// Called on every request that has a cache, so it must be cheap.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{MemoryStore, UserStore};
    /// let store = MemoryStore::with_cost(4).unwrap();
    /// let before = store.generation();
    /// store.insert("alice", "wonderland").unwrap();
    /// assert_ne!(store.generation(), before);
    /// ```
    fn generation(&self) -> u64 {
        0
    }
}

#[async_trait]
impl<S: UserStore> UserStore for Arc<S> {
    type Identity = S::Identity;

    async fn verify(
        &self,
        credentials: &BasicCredentials,
    ) -> Result<Option<Self::Identity>, StoreError> {
        (**self).verify(credentials).await
    }

    fn generation(&self) -> u64 {
        (**self).generation()
    }
}
