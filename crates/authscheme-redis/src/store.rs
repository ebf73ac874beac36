//! [`RedisNonceStore`]: the Digest replay window of every nonce, in Redis.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use authscheme_digest::{DigestError, MemoryNonceStore, NonceStore, NonceUse, Seen};
use redis::Script;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use sha2::{Digest as _, Sha256};

use crate::error::RedisStoreError;
use crate::health::{Health, Mode};
use crate::script;

/// Keys start with this unless [`RedisNonceStoreBuilder::key_prefix`] says
/// otherwise.
///
/// # Examples
///
/// ```
/// use authscheme_redis::{DEFAULT_KEY_PREFIX, RedisNonceStore};
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let store = RedisNonceStore::builder("redis://127.0.0.1/").connect_lazy().unwrap();
/// assert_eq!(store.key_for("abc"), format!("{DEFAULT_KEY_PREFIX}abc"));
/// assert_eq!(DEFAULT_KEY_PREFIX, "authscheme:digest:nc:");
/// # });
/// ```
pub const DEFAULT_KEY_PREFIX: &str = "authscheme:digest:nc:";

/// Nonces longer than this are keyed by their SHA-256, so every key has a
/// bounded size whatever the nonce issuer produces.
const MAX_NONCE_IN_KEY: usize = 64;

/// Why one call to Redis did not give an answer.
#[derive(Debug, thiserror::Error)]
enum CallError {
    #[error("{0}")]
    Redis(#[from] redis::RedisError),
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("the replay script answered {0}, which this version does not know")]
    UnknownReply(i64),
}

/// A Digest [`NonceStore`] kept in Redis, shared by every instance of a
/// fleet that also shares the nonce secret.
///
/// Each nonce has one key holding its replay window in 20 bytes (the
/// highest `nc` seen and a ring of 128 bits), checked and updated by one Lua
/// script: one round trip per request, atomic across the fleet, and the same
/// answers as [`MemoryNonceStore`] (each `(nonce, nc)` accepted once, counts
/// out of order accepted within the 128 below the highest, older ones
/// answered `stale`). A key expires with its nonce (plus
/// [`expiry_slack`](RedisNonceStoreBuilder::expiry_slack)), so Redis holds
/// at most one small key per nonce in use. Only requests whose Digest
/// response was right reach the store, so a client without a password
/// cannot add keys.
///
/// When Redis cannot answer (down, unreachable, slower than the
/// [`timeout`](RedisNonceStoreBuilder::timeout)), `check_and_record` fails
/// and the Digest scheme refuses the request with 503: never a silent
/// accept. Only with [`fallback_to_local`](RedisNonceStoreBuilder::fallback_to_local)
/// does it use a local store instead, with a warning in the log. Either way
/// the connection is re-established in the background, and the shared state
/// is used again as soon as Redis answers, without a restart.
///
/// Redis must not evict these keys before they expire: keep
/// `maxmemory-policy noeviction` (the default; a full Redis then refuses
/// writes, which fails closed). [`connect`](RedisNonceStoreBuilder::connect)
/// warns when the policy is another one. The instances' clocks must agree
/// within the expiry slack.
///
/// The connection runs on the Tokio runtime the store is created on; keep
/// that runtime running for as long as the store is used (create it in
/// `main`, not in a short-lived runtime).
///
/// # Examples
///
/// ```no_run
/// use std::sync::Arc;
/// use authscheme_digest::{DigestScheme, MemoryCredentialStore, NonceSecret};
/// use authscheme_redis::RedisNonceStore;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let replay = RedisNonceStore::connect("redis://127.0.0.1:6379/").await?;
/// let users = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
/// let digest = DigestScheme::builder("api", users)
///     // Every instance signs nonces with the same secret...
///     .nonce_secret(NonceSecret::from_bytes(b"one secret for the whole fleet!!").ok_or("short")?)
///     // ...and records their use in the same Redis.
///     .nonce_store(Arc::new(replay))
///     .build()?;
/// # let _ = digest; Ok(()) }
/// ```
pub struct RedisNonceStore {
    connection: ConnectionManager,
    script: Script,
    prefix: String,
    slack: u64,
    timeout: Duration,
    fallback: Option<MemoryNonceStore>,
    health: Health,
    /// `host:port/db`, never the password.
    server: String,
}

impl fmt::Debug for RedisNonceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisNonceStore")
            .field("server", &self.server)
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .field("expiry_slack", &self.slack)
            .field("fallback", &self.fallback)
            .field("reachable", &self.health.reachable())
            .finish_non_exhaustive()
    }
}

impl RedisNonceStore {
    /// Connects to the Redis at `url` with the default settings: fail
    /// closed, a one second timeout, 30 s of expiry slack, keys under
    /// [`DEFAULT_KEY_PREFIX`].
    ///
    /// `url` is `redis://[user:password@]host[:port][/db]` or
    /// `unix:///path/to/socket`.
    ///
    /// # Errors
    ///
    /// [`RedisStoreError::InvalidUrl`] for a URL that is not a Redis URL,
    /// [`RedisStoreError::Unreachable`] when Redis does not answer or
    /// refuses to load the replay script.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), authscheme_redis::RedisStoreError> {
    /// let store = authscheme_redis::RedisNonceStore::connect("redis://127.0.0.1/").await?;
    /// assert!(store.is_reachable());
    /// # Ok(()) }
    /// ```
    pub async fn connect(url: &str) -> Result<Self, RedisStoreError> {
        Self::builder(url).connect().await
    }

    /// Starts configuring a store for the Redis at `url`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_redis::RedisNonceStore;
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let store = RedisNonceStore::builder("redis://redis.internal:6380/2")
    ///     .key_prefix("myapp:nc:")
    ///     .connect_lazy()
    ///     .unwrap();
    /// assert_eq!(store.server(), "redis.internal:6380/2");
    /// assert_eq!(store.key_for("abc"), "myapp:nc:abc");
    /// # });
    /// ```
    pub fn builder(url: impl Into<String>) -> RedisNonceStoreBuilder {
        RedisNonceStoreBuilder {
            url: url.into(),
            prefix: DEFAULT_KEY_PREFIX.to_owned(),
            timeout: Duration::from_secs(1),
            slack: Duration::from_secs(30),
            fallback: None,
        }
    }

    /// Whether the last call reached Redis (`true` before the first call).
    /// A readiness probe can report it.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{NonceStore, NonceUse};
    /// use authscheme_redis::RedisNonceStore;
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let use_ = NonceUse { nonce: "n", nc: 1, now: 0, expires_at: 300 };
    /// // Nothing listens on this socket.
    /// let store = RedisNonceStore::builder("unix:///nonexistent/redis.sock").connect_lazy().unwrap();
    /// assert!(store.is_reachable(), "nothing was tried yet");
    /// assert!(store.check_and_record(use_).await.is_err());
    /// assert!(!store.is_reachable());
    /// # });
    /// ```
    pub fn is_reachable(&self) -> bool {
        self.health.reachable()
    }

    /// The server, as `host:port/db` (without credentials), for logs.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_redis::RedisNonceStore;
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let url = "redis://:hunter2@redis.internal/3";
    /// let store = RedisNonceStore::builder(url).connect_lazy().unwrap();
    /// assert_eq!(store.server(), "redis.internal:6379/3");
    /// assert!(!format!("{store:?}").contains("hunter2"));
    /// # });
    /// ```
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The Redis key holding the window of `nonce`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_redis::{DEFAULT_KEY_PREFIX, RedisNonceStore};
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let store = RedisNonceStore::builder("redis://127.0.0.1/").connect_lazy().unwrap();
    /// assert_eq!(store.key_for("abc"), "authscheme:digest:nc:abc");
    /// // Long nonces are keyed by their SHA-256, so keys stay small.
    /// let key = store.key_for(&"x".repeat(100));
    /// assert!(key.starts_with("authscheme:digest:nc:#"));
    /// assert_eq!(key.len(), DEFAULT_KEY_PREFIX.len() + 1 + 64);
    /// # });
    /// ```
    pub fn key_for(&self, nonce: &str) -> String {
        if nonce.len() <= MAX_NONCE_IN_KEY {
            format!("{}{nonce}", self.prefix)
        } else {
            // `#` is outside the nonce alphabet, so the two forms never meet.
            format!("{}#{}", self.prefix, hex::encode(Sha256::digest(nonce)))
        }
    }

    /// One script call: check and record `use_` in Redis.
    async fn ask_redis(&self, use_: &NonceUse<'_>) -> Result<Seen, CallError> {
        let ttl = use_
            .expires_at
            .saturating_sub(use_.now)
            .saturating_add(self.slack)
            .max(1);
        let connection = &self.connection;
        let mut call = self.script.key(self.key_for(use_.nonce));
        call.arg(use_.nc).arg(ttl);
        let deadline = tokio::time::Instant::now() + self.timeout;
        let attempt = || async {
            match tokio::time::timeout_at(
                deadline,
                call.invoke_async::<i64>(&mut connection.clone()),
            )
            .await
            {
                Ok(Err(e)) if e.is_timeout() => Err(CallError::Timeout(self.timeout)),
                Ok(answer) => Ok(answer),
                Err(_) => Err(CallError::Timeout(self.timeout)),
            }
        };
        let code = match attempt().await? {
            // A refusal comes from the attempt that failed before this
            // request (nothing was sent); that failure started a new
            // attempt, which may find Redis back: try once more, so the
            // first request after an outage already succeeds.
            Err(e) if e.is_connection_refusal() => attempt().await??,
            other => other?,
        };
        script::seen_from_code(code).ok_or(CallError::UnknownReply(code))
    }
}

#[async_trait]
impl NonceStore for RedisNonceStore {
    async fn check_and_record(&self, use_: NonceUse<'_>) -> Result<Seen, DigestError> {
        match (self.ask_redis(&use_).await, &self.fallback) {
            (Ok(seen), None) => {
                self.health.succeeded(&self.server);
                Ok(seen)
            }
            (Ok(seen), Some(local)) => {
                self.health.succeeded(&self.server);
                if seen != Seen::Fresh {
                    return Ok(seen);
                }
                // The local store also holds what this instance accepted
                // while Redis was away; a pair it refuses stays refused.
                // Its `Forgotten` means only that it ran out of room.
                match local.check_and_record(use_).await? {
                    refused @ (Seen::Replayed | Seen::OutsideWindow) => Ok(refused),
                    _ => Ok(Seen::Fresh),
                }
            }
            (Err(e), None) => {
                self.health.failed(&self.server, Mode::FailClosed, &e);
                Err(DigestError::unavailable(
                    format!("Redis nonce store at {}: {e}", self.server),
                    e,
                ))
            }
            (Err(e), Some(local)) => {
                self.health.failed(&self.server, Mode::Fallback, &e);
                local.check_and_record(use_).await
            }
        }
    }
}

/// Configures a [`RedisNonceStore`].
///
/// # Examples
///
/// ```no_run
/// use std::time::Duration;
/// use authscheme_digest::MemoryNonceStore;
/// use authscheme_redis::RedisNonceStore;
///
/// # async fn run() -> Result<(), authscheme_redis::RedisStoreError> {
/// let store = RedisNonceStore::builder("redis://:password@redis.internal:6379/2")
///     .key_prefix("myapp:nc:")
///     .timeout(Duration::from_millis(250))
///     // Availability over fleet-wide replay protection while Redis is down.
///     .fallback_to_local(MemoryNonceStore::new(50_000))
///     .connect()
///     .await?;
/// # let _ = store; Ok(()) }
/// ```
pub struct RedisNonceStoreBuilder {
    url: String,
    prefix: String,
    timeout: Duration,
    slack: Duration,
    fallback: Option<MemoryNonceStore>,
}

impl fmt::Debug for RedisNonceStoreBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may carry a password: left out.
        f.debug_struct("RedisNonceStoreBuilder")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .field("expiry_slack", &self.slack)
            .field("fallback", &self.fallback)
            .finish_non_exhaustive()
    }
}

impl RedisNonceStoreBuilder {
    /// The prefix of every key (default [`DEFAULT_KEY_PREFIX`]). Give each
    /// realm or application sharing one Redis its own prefix when their
    /// nonces might collide (they cannot when their secrets differ).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_redis::RedisNonceStore;
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let store = RedisNonceStore::builder("redis://127.0.0.1/")
    ///     .key_prefix("shop:nc:")
    ///     .connect_lazy()
    ///     .unwrap();
    /// assert_eq!(store.key_for("abc"), "shop:nc:abc");
    /// # });
    /// ```
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How long one check may take, connecting included, before Redis
    /// counts as unreachable (default 1 s).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_redis::{RedisNonceStore, RedisStoreError};
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let store = RedisNonceStore::builder("redis://127.0.0.1/")
    ///     .timeout(Duration::from_millis(250))
    ///     .connect_lazy()
    ///     .unwrap();
    /// assert!(format!("{store:?}").contains("timeout: 250ms"));
    /// let zero = RedisNonceStore::builder("redis://127.0.0.1/").timeout(Duration::ZERO).connect_lazy();
    /// assert!(matches!(zero, Err(RedisStoreError::Config(_))));
    /// # });
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long a key outlives its nonce (default 30 s): covers clocks of
    /// the instances that disagree by up to this much.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_redis::RedisNonceStore;
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let store = RedisNonceStore::builder("redis://127.0.0.1/")
    ///     .expiry_slack(Duration::from_secs(120))
    ///     .connect_lazy()
    ///     .unwrap();
    /// assert!(format!("{store:?}").contains("expiry_slack: 120"));
    /// # });
    /// ```
    pub fn expiry_slack(mut self, slack: Duration) -> Self {
        self.slack = slack;
        self
    }

    /// While Redis cannot answer, check nonces in `local` instead of
    /// failing with 503, and log a warning.
    ///
    /// This trades fleet-wide replay protection for availability during an
    /// outage: a pair used at another instance may be accepted here once.
    /// The local store also records what Redis accepted, so that what this
    /// instance saw stays refused here in either state.
    ///
    /// # Examples
    ///
    /// Redis is down here (nothing listens on the socket); the local store
    /// answers instead:
    ///
    /// ```
    /// use authscheme_digest::{MemoryNonceStore, NonceStore, NonceUse, Seen};
    /// use authscheme_redis::RedisNonceStore;
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let store = RedisNonceStore::builder("unix:///nonexistent/redis.sock")
    ///     .fallback_to_local(MemoryNonceStore::new(1_000))
    ///     .connect_lazy()
    ///     .unwrap();
    /// let use_ = NonceUse { nonce: "n", nc: 1, now: 0, expires_at: 300 };
    /// assert_eq!(store.check_and_record(use_).await.unwrap(), Seen::Fresh);
    /// assert_eq!(store.check_and_record(use_).await.unwrap(), Seen::Replayed);
    /// assert!(!store.is_reachable());
    /// # });
    /// ```
    pub fn fallback_to_local(mut self, local: MemoryNonceStore) -> Self {
        self.fallback = Some(local);
        self
    }

    /// Connects now, loads the replay script and checks the eviction
    /// policy.
    ///
    /// # Errors
    ///
    /// As [`RedisNonceStore::connect`]; also [`RedisStoreError::Config`]
    /// for a zero timeout.
    ///
    /// # Examples
    ///
    /// Unlike [`connect_lazy`](Self::connect_lazy), it fails when nothing
    /// answers:
    ///
    /// ```
    /// use authscheme_redis::{RedisNonceStore, RedisStoreError};
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let missing = RedisNonceStore::builder("unix:///nonexistent/redis.sock").connect().await;
    /// assert!(matches!(missing, Err(RedisStoreError::Unreachable { .. })));
    /// # });
    /// ```
    pub async fn connect(self) -> Result<RedisNonceStore, RedisStoreError> {
        let store = self.connect_lazy()?;
        let unreachable =
            |reason: String, source: Option<redis::RedisError>| RedisStoreError::Unreachable {
                server: store.server.clone(),
                reason,
                source: source.map(|e| Box::new(e) as _),
            };
        let mut connection = store.connection.clone();
        let loaded = tokio::time::timeout(
            store.timeout,
            store.script.prepare_invoke().load_async(&mut connection),
        )
        .await;
        match loaded {
            Err(_) => {
                return Err(unreachable(
                    format!("no answer within {:?}", store.timeout),
                    None,
                ));
            }
            Ok(Err(e)) => {
                return Err(unreachable(
                    format!("cannot load the replay script: {e}"),
                    Some(e),
                ));
            }
            Ok(Ok(_sha)) => {}
        }
        store.check_eviction_policy().await;
        Ok(store)
    }

    /// Builds the store without connecting: the first check connects. For
    /// instances that must start while Redis is down (with or without a
    /// fallback). Call it within a Tokio runtime.
    ///
    /// # Errors
    ///
    /// [`RedisStoreError::InvalidUrl`], [`RedisStoreError::Config`] for a
    /// zero timeout or when called outside a Tokio runtime.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_redis::{RedisNonceStore, RedisStoreError};
    /// let outside = RedisNonceStore::builder("redis://127.0.0.1/").connect_lazy();
    /// assert!(matches!(outside, Err(RedisStoreError::Config(_))));
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// // Nothing listens on this socket, yet the store is built.
    /// let store = RedisNonceStore::builder("unix:///nonexistent/redis.sock").connect_lazy().unwrap();
    /// assert!(store.is_reachable(), "nothing was tried yet");
    /// # });
    /// ```
    pub fn connect_lazy(self) -> Result<RedisNonceStore, RedisStoreError> {
        if self.timeout.is_zero() {
            return Err(RedisStoreError::Config(
                "the timeout must not be zero".into(),
            ));
        }
        let client =
            redis::Client::open(self.url.as_str()).map_err(|e| RedisStoreError::InvalidUrl {
                reason: e.to_string(),
            })?;
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(RedisStoreError::Config(
                "the store must be created within a Tokio runtime".into(),
            ));
        }
        let info = client.get_connection_info();
        let server = format!("{}/{}", info.addr(), info.redis_settings().db());
        // One quick retry, then fail: requests wait at most `timeout`, and
        // the next request after a failure starts a new attempt, so a
        // returning Redis is picked up at once.
        let config = ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(20))
            .set_max_delay(Duration::from_millis(200))
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout));
        let connection = ConnectionManager::new_lazy_with_config(client, config).map_err(|e| {
            RedisStoreError::Unreachable {
                server: server.clone(),
                reason: e.to_string(),
                source: Some(Box::new(e)),
            }
        })?;
        Ok(RedisNonceStore {
            connection,
            script: script::window_script(),
            prefix: self.prefix,
            slack: self.slack.as_secs(),
            timeout: self.timeout,
            fallback: self.fallback,
            health: Health::new(),
            server,
        })
    }
}

impl RedisNonceStore {
    /// Warns when Redis may evict keys before they expire: an evicted
    /// window would let its (nonce, nc) pairs be replayed.
    async fn check_eviction_policy(&self) {
        let mut connection = self.connection.clone();
        let mut command = redis::cmd("CONFIG");
        command.arg("GET").arg("maxmemory-policy");
        let query = command.query_async::<Vec<String>>(&mut connection);
        match tokio::time::timeout(self.timeout, query).await {
            Ok(Ok(pair)) => match pair.get(1).map(String::as_str) {
                Some("noeviction") => {}
                Some(policy) => tracing::warn!(
                    redis = %self.server,
                    policy,
                    "Redis may evict Digest replay windows before they expire \
                     (maxmemory-policy is not noeviction): replays could slip through under memory pressure"
                ),
                None => {}
            },
            // Managed services often refuse CONFIG; nothing to learn then.
            _ => tracing::debug!(redis = %self.server, "cannot read maxmemory-policy"),
        }
    }
}
