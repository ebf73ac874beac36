//! [`MemoryStore`]: users held in memory, as password hashes only.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use authscheme::registry::Principal;

use crate::credentials::BasicCredentials;
use crate::error::{HashError, StoreError};
use crate::hash::{DEFAULT_BCRYPT_COST, HashFormat, PasswordHash};
use crate::offload;
use crate::store::UserStore;

/// A user store in memory that keeps only password hashes (bcrypt when it
/// hashes a password itself) and produces a [`Principal`].
///
/// Unknown users are checked against a dummy bcrypt hash of the same cost,
/// so they take as long as a wrong password.
///
/// # Examples
///
/// ```
/// use authscheme_basic::{BasicCredentials, MemoryStore, UserStore};
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let store = MemoryStore::with_cost(4).unwrap();
/// store.insert("alice", "wonderland").unwrap();
/// let good = BasicCredentials::new("alice", "wonderland").unwrap();
/// let bad = BasicCredentials::new("alice", "Wonderland").unwrap();
/// assert_eq!(store.verify(&good).await.unwrap().unwrap().name(), "alice");
/// assert!(store.verify(&bad).await.unwrap().is_none());
/// # });
/// ```
pub struct MemoryStore {
    cost: u32,
    users: RwLock<HashMap<String, Arc<PasswordHash>>>,
    dummy: Arc<PasswordHash>,
    generation: AtomicU64,
}

impl MemoryStore {
    /// An empty store hashing with bcrypt's default cost.
    ///
    /// # Errors
    ///
    /// [`HashError`] if the dummy hash cannot be made (it always can at the
    /// default cost).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{DEFAULT_BCRYPT_COST, MemoryStore};
    /// let store = MemoryStore::new().unwrap();
    /// store.insert("alice", "wonderland").unwrap();
    /// assert_eq!(store.len(), 1);
    /// assert!(format!("{store:?}").contains(&format!("cost: {DEFAULT_BCRYPT_COST}")));
    /// ```
    pub fn new() -> Result<Self, HashError> {
        Self::with_cost(DEFAULT_BCRYPT_COST)
    }

    /// An empty store hashing with bcrypt at `cost` (4 to 31; 4 only for
    /// tests).
    ///
    /// # Errors
    ///
    /// [`HashError::Parameters`] when the cost is out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{HashError, MemoryStore};
    /// let store = MemoryStore::with_cost(4).unwrap();
    /// assert!(store.is_empty());
    /// assert_eq!(MemoryStore::with_cost(32).unwrap_err(), HashError::Parameters);
    /// ```
    pub fn with_cost(cost: u32) -> Result<Self, HashError> {
        let dummy =
            PasswordHash::generate_with_cost(HashFormat::Bcrypt, "dummy", Some(cost))?.dummy()?;
        Ok(Self {
            cost,
            users: RwLock::new(HashMap::new()),
            dummy: Arc::new(dummy),
            generation: AtomicU64::new(0),
        })
    }

    /// Adds or replaces a user, hashing `password` with bcrypt.
    ///
    /// # Errors
    ///
    /// [`HashError`] if hashing fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{BasicCredentials, MemoryStore, UserStore};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let store = MemoryStore::with_cost(4).unwrap();
    /// store.insert("alice", "wonderland").unwrap();
    /// store.insert("alice", "looking-glass").unwrap(); // replaces the first
    /// let old = BasicCredentials::new("alice", "wonderland").unwrap();
    /// let new = BasicCredentials::new("alice", "looking-glass").unwrap();
    /// assert!(store.verify(&old).await.unwrap().is_none());
    /// assert!(store.verify(&new).await.unwrap().is_some());
    /// # });
    /// ```
    pub fn insert(&self, user: &str, password: &str) -> Result<(), HashError> {
        let hash = PasswordHash::generate_with_cost(HashFormat::Bcrypt, password, Some(self.cost))?;
        self.insert_hash(user, hash);
        Ok(())
    }

    /// Adds or replaces a user with an already computed hash (any format
    /// [`PasswordHash`] reads).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{BasicCredentials, MemoryStore, PasswordHash, UserStore};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let store = MemoryStore::with_cost(4).unwrap();
    /// store.insert_hash("alice", PasswordHash::parse("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=").unwrap());
    /// let creds = BasicCredentials::new("alice", "password").unwrap();
    /// assert_eq!(store.verify(&creds).await.unwrap().unwrap().name(), "alice");
    /// # });
    /// ```
    pub fn insert_hash(&self, user: &str, hash: PasswordHash) {
        let mut users = self.users.write().unwrap_or_else(|e| e.into_inner());
        users.insert(user.to_owned(), Arc::new(hash));
        self.generation.fetch_add(1, Ordering::Release);
    }

    /// Removes a user; returns whether it was there. Removing a user
    /// changes the store's generation (so caches in front of it forget
    /// what they verified); removing nobody changes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{MemoryStore, UserStore};
    /// let store = MemoryStore::with_cost(4).unwrap();
    /// store.insert("alice", "wonderland").unwrap();
    /// let before = store.generation();
    /// assert!(store.remove("alice"));
    /// assert_ne!(store.generation(), before);
    /// let after = store.generation();
    /// assert!(!store.remove("alice"));
    /// assert_eq!(store.generation(), after);
    /// assert!(store.is_empty());
    /// ```
    pub fn remove(&self, user: &str) -> bool {
        let mut users = self.users.write().unwrap_or_else(|e| e.into_inner());
        let removed = users.remove(user).is_some();
        // Only a change empties the caches in front of the store.
        if removed {
            self.generation.fetch_add(1, Ordering::Release);
        }
        removed
    }

    /// How many users there are.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::MemoryStore;
    /// let store = MemoryStore::with_cost(4).unwrap();
    /// store.insert("alice", "wonderland").unwrap();
    /// store.insert("bob", "builder").unwrap();
    /// assert_eq!(store.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.users.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether there are none.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::MemoryStore;
    /// let store = MemoryStore::with_cost(4).unwrap();
    /// assert!(store.is_empty());
    /// store.insert("alice", "wonderland").unwrap();
    /// assert!(!store.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("users", &self.len())
            .field("cost", &self.cost)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl UserStore for MemoryStore {
    type Identity = Principal;

    async fn verify(
        &self,
        credentials: &BasicCredentials,
    ) -> Result<Option<Principal>, StoreError> {
        let hash = self
            .users
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(credentials.user())
            .cloned();
        // One verification on every path: the real hash or the dummy.
        let ok = match &hash {
            Some(h) => offload::verify(h, credentials.password()).await,
            None => {
                let _ = offload::verify(&self.dummy, credentials.password()).await;
                false
            }
        };
        Ok(ok.then(|| Principal::new(credentials.user())))
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }
}
