//! [`MemoryStore`]: users held in memory, as password hashes only.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use authscheme::registry::Principal;

use crate::credentials::BasicCredentials;
use crate::error::{HashError, InsertError, StoreError};
use crate::hash::{Class, DEFAULT_BCRYPT_COST, HashFormat, PasswordHash, dearness};
use crate::offload;
use crate::store::UserStore;

/// A user store in memory that keeps only password hashes (bcrypt when it
/// hashes a password itself) and produces a [`Principal`].
///
/// **Timing.** Unknown users are checked against a dummy hash of the most
/// expensive format and cost among the stored hashes (bcrypt at the
/// store's cost while it holds only what [`insert`](Self::insert) made),
/// so they take as long as a wrong password. A wrong password for a user
/// whose hash is cheaper than that (one added with
/// [`insert_hash`](Self::insert_hash) in another format or cost) is
/// verified against the dummy as well, its result discarded: whatever the
/// formats, every failure costs between one and two verifications of the
/// most expensive kind, and a store of one format and cost pays exactly
/// one.
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
    users: RwLock<Users>,
    /// A bcrypt hash at `cost`: the dummy of the hashes `insert` makes.
    base_dummy: Arc<PasswordHash>,
    generation: AtomicU64,
}

/// The users and what verifying them needs.
struct Users {
    hashes: HashMap<String, Arc<PasswordHash>>,
    /// For each format and cost in `hashes`: how many users have it, and a
    /// dummy hash of it (made when the first such user was added, so that
    /// removing users never has to make one).
    classes: HashMap<Class, (usize, Arc<PasswordHash>)>,
    /// The dummy of the most expensive class in `classes` (`base_dummy`
    /// when empty): unknown users are verified against it, and known users
    /// of cheaper classes too when their password is wrong.
    dummy: Arc<PasswordHash>,
}

impl Users {
    /// Counts a user of `class`; `made` is its dummy if the caller made one.
    fn add(&mut self, class: Class, made: Option<Arc<PasswordHash>>, base: &Arc<PasswordHash>) {
        let entry = self.classes.entry(class).or_insert_with(|| {
            // Made under the lock only when another thread removed the
            // class between the caller's look and its write lock.
            (0, made.unwrap_or_else(|| dummy_of(class, base)))
        });
        entry.0 += 1;
    }

    /// Uncounts a user of `class`, forgetting the class with its last user.
    fn release(&mut self, class: Class) {
        if let Some(entry) = self.classes.get_mut(&class) {
            entry.0 = entry.0.saturating_sub(1);
            if entry.0 == 0 {
                self.classes.remove(&class);
            }
        }
    }

    /// Points `dummy` at the most expensive class present.
    fn pick_dummy(&mut self, base: &Arc<PasswordHash>) {
        self.dummy = self
            .classes
            .iter()
            .max_by_key(|&(&class, _)| dearness(class))
            .map_or_else(|| Arc::clone(base), |(_, (_, dummy))| Arc::clone(dummy));
    }
}

/// A dummy of `class`: `base` when it is of that class, else a new one
/// (falling back to a `{SHA}` dummy if the hashing crate refuses, which it
/// does not for the parameters of a hash it accepted).
fn dummy_of(class: Class, base: &Arc<PasswordHash>) -> Arc<PasswordHash> {
    if base.class() == class {
        return Arc::clone(base);
    }
    Arc::new(PasswordHash::dummy_of(class).unwrap_or_else(|_| PasswordHash::sha1_dummy()))
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
        let dummy = Arc::new(PasswordHash::dummy_of((HashFormat::Bcrypt, Some(cost)))?);
        Ok(Self {
            cost,
            users: RwLock::new(Users {
                hashes: HashMap::new(),
                classes: HashMap::new(),
                dummy: Arc::clone(&dummy),
            }),
            base_dummy: dummy,
            generation: AtomicU64::new(0),
        })
    }

    /// Adds or replaces a user, hashing `password` with bcrypt.
    ///
    /// # Errors
    ///
    /// [`InsertError::Unsendable`] for credentials no client can send (a
    /// colon in the user-id, a control character in either part: RFC
    /// 7617); [`InsertError::Hash`] if hashing fails.
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
    pub fn insert(&self, user: &str, password: &str) -> Result<(), InsertError> {
        BasicCredentials::new(user, password)?;
        let hash = PasswordHash::generate_with_cost(HashFormat::Bcrypt, password, Some(self.cost))?;
        self.insert_hash(user, hash)
    }

    /// Adds or replaces a user with an already computed hash (any format
    /// [`PasswordHash`] reads).
    ///
    /// The first hash of a format and cost the store does not hold yet
    /// also makes a dummy hash of that format and cost (one hashing's
    /// time, outside the lock): if it is the most expensive in the store,
    /// unknown users are verified against it from now on (see the type's
    /// documentation).
    ///
    /// # Errors
    ///
    /// [`InsertError::Unsendable`] for a user-id no client can send (a
    /// colon, a control character).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{BasicCredentials, MemoryStore, PasswordHash, UserStore};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let store = MemoryStore::with_cost(4).unwrap();
    /// store.insert_hash("alice", PasswordHash::parse("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=").unwrap()).unwrap();
    /// let creds = BasicCredentials::new("alice", "password").unwrap();
    /// assert_eq!(store.verify(&creds).await.unwrap().unwrap().name(), "alice");
    /// # });
    /// ```
    pub fn insert_hash(&self, user: &str, hash: PasswordHash) -> Result<(), InsertError> {
        // The password is not known here; the user-id is checked alone.
        BasicCredentials::new(user, "")?;
        let class = hash.class();
        // Make a dummy for a new class before taking the write lock, so
        // that verifications are not held up while bcrypt runs.
        let known = self
            .users
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .classes
            .contains_key(&class);
        let made = (!known).then(|| dummy_of(class, &self.base_dummy));
        let mut users = self.users.write().unwrap_or_else(|e| e.into_inner());
        // Count the new hash first: a user replaced by a hash of the same
        // class must not make the class disappear for a moment.
        users.add(class, made, &self.base_dummy);
        if let Some(old) = users.hashes.insert(user.to_owned(), Arc::new(hash)) {
            users.release(old.class());
        }
        users.pick_dummy(&self.base_dummy);
        self.generation.fetch_add(1, Ordering::Release);
        Ok(())
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
        let Some(old) = users.hashes.remove(user) else {
            // Only a change empties the caches in front of the store.
            return false;
        };
        users.release(old.class());
        users.pick_dummy(&self.base_dummy);
        self.generation.fetch_add(1, Ordering::Release);
        true
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
        self.users
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .hashes
            .len()
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
        let (hash, dummy) = {
            let users = self.users.read().unwrap_or_else(|e| e.into_inner());
            let hash = users.hashes.get(credentials.user()).cloned();
            (hash, Arc::clone(&users.dummy))
        };
        // Every failure costs at least one verification against the dummy,
        // the most expensive class in the store (see `Timing`).
        let ok = offload::verify_user(hash.as_ref(), &dummy, credentials.password()).await;
        Ok(ok.then(|| Principal::new(credentials.user())))
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::error::DecodeError;

    fn dummy_class(store: &MemoryStore) -> Class {
        store.users.read().unwrap().dummy.class()
    }

    /// The dummy follows the dearest class present, through inserts,
    /// replacements and removals; `insert` alone never makes a new one.
    #[test]
    fn dummy_follows_the_dearest_class_present() {
        let store = MemoryStore::with_cost(4).unwrap();
        let base = (HashFormat::Bcrypt, Some(4));
        assert_eq!(dummy_class(&store), base);
        store.insert("alice", "wonderland").unwrap();
        assert!(Arc::ptr_eq(
            &store.users.read().unwrap().dummy,
            &store.base_dummy
        ));

        // A cheaper hash does not change the dummy, and is padded.
        let sha = PasswordHash::generate(HashFormat::Sha1, "pw").unwrap();
        store.insert_hash("bob", sha).unwrap();
        assert_eq!(dummy_class(&store), base);
        let bob = Arc::clone(&store.users.read().unwrap().hashes["bob"]);
        assert!(offload::needs_padding(
            &bob,
            &store.users.read().unwrap().dummy
        ));

        // A dearer one becomes the dummy; the bcrypt-4 user is now padded.
        let dear = PasswordHash::generate_with_cost(HashFormat::Bcrypt, "pw", Some(5)).unwrap();
        store.insert_hash("carol", dear).unwrap();
        assert_eq!(dummy_class(&store), (HashFormat::Bcrypt, Some(5)));

        // Replacing carol's hash with a cheap one drops the class.
        store
            .insert_hash(
                "carol",
                PasswordHash::generate(HashFormat::Apr1, "pw").unwrap(),
            )
            .unwrap();
        assert_eq!(dummy_class(&store), base);
        assert_eq!(store.users.read().unwrap().classes.len(), 3);

        // Without bcrypt users, the dummy is the dearest that is left.
        assert!(store.remove("alice"));
        assert_eq!(dummy_class(&store), (HashFormat::Apr1, None));
        assert!(store.remove("carol"));
        assert_eq!(dummy_class(&store), (HashFormat::Sha1, None));
        assert!(store.remove("bob"));
        assert_eq!(dummy_class(&store), base);
        assert!(store.users.read().unwrap().classes.is_empty());
    }

    /// RFC 7617: the user-id ends at the first colon and neither part may
    /// hold a control character, so no client could log in as such a
    /// user; the store refuses them rather than keep them unreachable.
    #[test]
    fn credentials_no_client_can_send_are_refused() {
        let store = MemoryStore::with_cost(4).unwrap();
        let unsendable = |e| Err(InsertError::Unsendable(e));
        assert_eq!(
            store.insert("a:b", "pw"),
            unsendable(DecodeError::ColonInUserId)
        );
        assert_eq!(
            store.insert("c\u{1}d", "pw"),
            unsendable(DecodeError::ControlCharacter)
        );
        assert_eq!(
            store.insert("erin", "p\nw"),
            unsendable(DecodeError::ControlCharacter)
        );
        let hash = PasswordHash::generate(HashFormat::Apr1, "pw").unwrap();
        assert_eq!(
            store.insert_hash("a:b", hash),
            unsendable(DecodeError::ColonInUserId)
        );
        assert!(store.users.read().unwrap().hashes.is_empty());
        assert_eq!(
            store.generation.load(Ordering::Acquire),
            0,
            "nothing changed"
        );
        // A colon in the password is fine: the user-id ends at the first.
        store.insert("alice", "pass:with:colons").unwrap();
    }

    /// A store of one format and cost pays no second verification.
    #[test]
    fn one_class_is_not_padded() {
        let store = MemoryStore::with_cost(4).unwrap();
        store.insert("alice", "wonderland").unwrap();
        store.insert("bob", "builder").unwrap();
        let users = store.users.read().unwrap();
        assert!(
            users
                .hashes
                .values()
                .all(|h| !offload::needs_padding(h, &users.dummy))
        );
    }
}
