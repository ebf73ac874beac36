//! [`RedisNonceStore`]: the Digest replay window of every nonce, in Redis.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use authscheme_digest::{DigestError, MemoryNonceStore, NonceIssuer, NonceStore, NonceUse, Seen};
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, ErrorKind, RedisError, Script, ServerErrorKind};
use sha2::{Digest as _, Sha256};

use crate::error::RedisStoreError;
use crate::health::{Health, Mode, Problem};
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

/// The least expiry slack: the clock skew a fleet tolerates
/// ([`NonceIssuer::MAX_CLOCK_SKEW`]) and five seconds for clocks read in
/// whole seconds.
const MIN_SLACK: Duration = NonceIssuer::MAX_CLOCK_SKEW.saturating_add(Duration::from_secs(5));

/// The default expiry slack: the clock skew and half a minute more.
const DEFAULT_SLACK: Duration = NonceIssuer::MAX_CLOCK_SKEW.saturating_add(Duration::from_secs(30));

/// The most expiry slack: a day, as long as a nonce may live.
const MAX_SLACK: Duration = NonceIssuer::MAX_LIFETIME;

/// The longest a nonce may have left for its window to be kept (136
/// years; no Digest nonce lives longer than a day). Above it the check
/// fails rather than asking Redis for an expiry it would refuse.
const MAX_NONCE_LEFT: u64 = u32::MAX as u64;

/// The most pairs the fallback accepted while Redis could not answer that
/// are kept to be recorded in Redis once it answers again (past it, the
/// oldest are dropped: about 100 bytes each).
const MAX_BACKLOG: usize = 100_000;

/// How many backlog pairs go to Redis in one round trip.
const BACKLOG_BATCH: usize = 1_000;

/// Why one check did not give an answer.
#[derive(Debug, thiserror::Error)]
enum CallError {
    /// No connection, or it broke: an outage.
    #[error("{0}")]
    Unreachable(RedisError),
    /// No answer in time: an outage.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// Redis is there and answered with an error (the script failed, the
    /// password or a permission was refused, the memory is full): a fault
    /// to fix, not an outage.
    #[error("Redis answered with an error: {0}")]
    Refused(RedisError),
    #[error("the replay script answered {0}, which this version does not know")]
    UnknownReply(i64),
    /// The connection broke after the check was sent; the check sent again
    /// found the count recorded, perhaps by the check that was lost.
    #[error(
        "the connection broke after the check was sent, and the check sent again found the \
         count already used: whether by this request cannot be told, so it is refused"
    )]
    OutcomeUnknown,
    /// The nonce lives longer than any key can be kept.
    #[error("a nonce with {0} s left cannot be kept in Redis (no nonce lives over a day)")]
    TooLong(u64),
}

impl CallError {
    fn from_redis(e: RedisError) -> Self {
        let outage = e.is_io_error()
            || matches!(
                e.kind(),
                ErrorKind::Parse
                    | ErrorKind::Server(
                        ServerErrorKind::BusyLoading
                            | ServerErrorKind::MasterDown
                            | ServerErrorKind::TryAgain
                            | ServerErrorKind::ClusterDown
                    )
            );
        if outage {
            CallError::Unreachable(e)
        } else {
            CallError::Refused(e)
        }
    }

    /// How the log tells it.
    fn problem(&self) -> Problem {
        match self {
            CallError::Unreachable(_) | CallError::Timeout(_) | CallError::OutcomeUnknown => {
                Problem::Unreachable
            }
            CallError::Refused(_) | CallError::UnknownReply(_) | CallError::TooLong(_) => {
                Problem::Faulty
            }
        }
    }
}

/// The one multiplexed connection to Redis, made when a check first needs
/// it and again after it broke.
///
/// A failed attempt to connect is never kept: the next check tries again,
/// whatever the reason (refused, timed out, the password refused, the
/// database number refused). Redis's `ConnectionManager`, which this
/// replaces, kept a failure that was not an I/O error (a refused password)
/// for good, so an instance never recovered from one without a restart.
struct Link {
    client: redis::Client,
    config: AsyncConnectionConfig,
    /// The runtime the store was created on: connections are made there,
    /// so their tasks live as long as it does, whichever runtime the check
    /// that needed them ran on.
    runtime: tokio::runtime::Handle,
    /// The connection in use and its generation.
    current: RwLock<Option<(u64, MultiplexedConnection)>>,
    /// Held while connecting, so that checks arriving meanwhile wait for
    /// that connection instead of each making one; holds the number of
    /// connections made.
    connecting: tokio::sync::Mutex<u64>,
}

impl Link {
    fn in_use(&self) -> Option<(u64, MultiplexedConnection)> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The connection in use, or a new one.
    async fn get(&self) -> Result<(u64, MultiplexedConnection), RedisError> {
        if let Some(found) = self.in_use() {
            return Ok(found);
        }
        let mut made = self.connecting.lock().await;
        if let Some(found) = self.in_use() {
            return Ok(found);
        }
        let (client, config) = (self.client.clone(), self.config.clone());
        let connection = self
            .runtime
            .spawn(async move {
                client
                    .get_multiplexed_async_connection_with_config(&config)
                    .await
            })
            .await
            .map_err(|e| {
                RedisError::from(std::io::Error::other(format!(
                    "the store's runtime cannot connect: {e}"
                )))
            })??;
        *made += 1;
        let found = (*made, connection);
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Some(found.clone());
        Ok(found)
    }

    /// Drops connection `generation` (it broke), unless it was replaced
    /// already; the next check connects anew.
    fn discard(&self, generation: u64) {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if current.as_ref().is_some_and(|(g, _)| *g == generation) {
            *current = None;
        }
    }
}

/// How one attempt failed.
enum Attempt {
    /// No connection could be made: nothing was sent.
    NotSent(RedisError),
    /// The check was sent, or may have been: it may have run.
    Sent(RedisError),
    /// No answer before the deadline.
    TimedOut,
}

/// A Digest [`NonceStore`] kept in Redis, shared by every instance of a
/// fleet that also shares the nonce secret.
///
/// Each nonce has one key holding its replay window in 36 bytes (the
/// highest `nc` seen and a ring of 256 bits), checked and updated by one Lua
/// script: one round trip per request, atomic across the fleet, and the same
/// answers as [`MemoryNonceStore`] (each `(nonce, nc)` accepted once, counts
/// out of order accepted within the 256 ending at the highest, older ones
/// answered `stale`). Only requests whose Digest response was right reach
/// the store, so a client without a password cannot add keys.
///
/// A key lives until the latest expiry any instance has asked for it: each
/// check asks for the time the nonce has left by the checking instance's
/// clock and lifetime plus the
/// [`expiry_slack`](RedisNonceStoreBuilder::expiry_slack) (at least the
/// fleet's tolerated clock skew, [`NonceIssuer::MAX_CLOCK_SKEW`]), and a
/// key's time to live only ever grows. So Redis holds at most one small
/// key per nonce in use, and no key expires while an instance whose clock
/// is within the skew still accepts its nonce. Give every instance the
/// same nonce lifetime: a key first written by an instance with a shorter
/// one may expire while a longer-lived instance still accepts the nonce,
/// once the difference exceeds the slack less the skew.
///
/// When Redis cannot answer (down, unreachable, slower than the
/// [`timeout`](RedisNonceStoreBuilder::timeout)) or answers with an error
/// (a refused password or permission, a failed script), `check_and_record`
/// fails and the Digest scheme refuses the request with 503: never a silent
/// accept. The log says which of the two it is. Only with
/// [`fallback_to_local`](RedisNonceStoreBuilder::fallback_to_local) does it
/// use a local store instead, with a warning in the log. Either way the
/// next check connects anew (a failed connection is never kept), and the
/// shared state is used again as soon as Redis answers, without a restart.
///
/// A check that finds its connection broken (Redis restarted since the last
/// check, a connection reset) is sent once more on a new connection within
/// the same timeout, so the first request after Redis returns succeeds.
/// The script is atomic, so of the two sends at most one records the count
/// and answers "fresh". If the second finds the count used, the first may
/// have recorded it before its answer was lost: the request is then refused
/// with 503 (as without the second send), never called a replay and never
/// accepted.
///
/// Redis must not lose these keys before they expire: keep
/// `maxmemory-policy noeviction` (the default; a full Redis then refuses
/// writes, which fails closed). The `volatile-*` policies are no safer:
/// they evict keys that have a time to live, and every window has one.
/// [`connect`](RedisNonceStoreBuilder::connect) warns when the policy is
/// another one. Redis 6.0 or later is needed.
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
    link: Link,
    script: Script,
    prefix: String,
    slack: Duration,
    timeout: Duration,
    fallback: Option<MemoryNonceStore>,
    /// Pairs the fallback accepted while Redis could not answer, with their
    /// expiry: recorded in Redis when it answers again, so that the other
    /// instances refuse them too.
    backlog: Mutex<VecDeque<(String, u32, u64)>>,
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
    /// closed, a one second timeout, 90 s of expiry slack, keys under
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
            slack: DEFAULT_SLACK,
            fallback: None,
        }
    }

    /// Whether the last check got its answer from Redis (`true` before the
    /// first check): `false` while Redis is unreachable or answers with an
    /// error. A readiness probe can report it.
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

    /// How long the key of `use_` must live, in milliseconds: what the
    /// nonce has left plus the slack.
    fn ttl_ms(&self, use_: &NonceUse<'_>) -> Result<u64, CallError> {
        let left = use_.expires_at.saturating_sub(use_.now);
        if left > MAX_NONCE_LEFT {
            return Err(CallError::TooLong(left));
        }
        // Both bounded: at most 2^32 s and a day, in ms well below the
        // 2^53 that a Lua number holds exactly.
        let slack = u64::try_from(self.slack.as_millis()).unwrap_or(u64::MAX);
        Ok(left.saturating_mul(1_000).saturating_add(slack).max(1))
    }

    /// One attempt, until `deadline`: a connection (the one in use or a
    /// new one) and one script call on it.
    async fn attempt(
        &self,
        use_: &NonceUse<'_>,
        ttl_ms: u64,
        deadline: tokio::time::Instant,
    ) -> Result<i64, Attempt> {
        let (generation, mut connection) =
            match tokio::time::timeout_at(deadline, self.link.get()).await {
                Ok(found) => found.map_err(Attempt::NotSent)?,
                Err(_) => return Err(Attempt::TimedOut),
            };
        let mut call = self.script.key(self.key_for(use_.nonce));
        call.arg(use_.nc).arg(ttl_ms);
        let answer =
            tokio::time::timeout_at(deadline, call.invoke_async::<i64>(&mut connection)).await;
        match answer {
            Ok(Ok(code)) => Ok(code),
            // A connection that gave no answer in time is replaced too: it
            // may be dead without a word (a host gone, a dropped flow), and
            // would otherwise be waited on until TCP gives up. Checks still
            // waiting on it keep it until they end.
            Err(_) => {
                self.link.discard(generation);
                Err(Attempt::TimedOut)
            }
            Ok(Err(e)) if e.is_timeout() => {
                self.link.discard(generation);
                Err(Attempt::TimedOut)
            }
            Ok(Err(e)) => {
                // A broken connection is replaced; after an error answer it
                // is still good.
                if is_broken(&e) {
                    self.link.discard(generation);
                }
                Err(Attempt::Sent(e))
            }
        }
    }

    /// One check: the script call, sent once more on a new connection when
    /// the one in use turned out broken, all within the timeout.
    async fn ask_redis(&self, use_: &NonceUse<'_>) -> Result<Seen, CallError> {
        let ttl_ms = self.ttl_ms(use_)?;
        let deadline = tokio::time::Instant::now() + self.timeout;
        let failed = |attempt: Attempt| match attempt {
            Attempt::TimedOut => CallError::Timeout(self.timeout),
            Attempt::NotSent(e) | Attempt::Sent(e) if e.is_timeout() => {
                CallError::Timeout(self.timeout)
            }
            Attempt::NotSent(e) | Attempt::Sent(e) => CallError::from_redis(e),
        };
        let code = match self.attempt(use_, ttl_ms, deadline).await {
            Ok(code) => return script::seen_from_code(code).ok_or(CallError::UnknownReply(code)),
            // The connection in use was broken (Redis restarted, a reset):
            // once more, on a new one.
            Err(Attempt::Sent(e)) if is_broken(&e) => {
                self.attempt(use_, ttl_ms, deadline).await.map_err(failed)?
            }
            // A connection made just now failed, Redis answered with an
            // error, or the time is up: trying again would meet the same.
            Err(other) => return Err(failed(other)),
        };
        match script::seen_from_code(code) {
            // The first send may have run and recorded this very count
            // before its answer was lost: neither a replay nor fresh.
            Some(Seen::Replayed | Seen::OutsideWindow) => Err(CallError::OutcomeUnknown),
            Some(seen) => Ok(seen),
            None => Err(CallError::UnknownReply(code)),
        }
    }
}

impl RedisNonceStore {
    /// Records in Redis the pairs the fallback accepted while Redis could
    /// not answer (those whose nonce is still alive at `now`), a batch per
    /// round trip; what cannot be sent stays for the next check.
    async fn record_backlog(&self, now: u64) {
        // Put back on drop: unless sent, also when the check is dropped
        // half way (a client that went away, a timeout layer).
        let mut taken = Taken {
            store: self,
            pending: std::mem::take(
                &mut *self.backlog.lock().unwrap_or_else(PoisonError::into_inner),
            ),
        };
        let pending = &mut taken.pending;
        pending.retain(|(_, _, expires_at)| *expires_at > now);
        while !pending.is_empty() {
            let batch = pending.len().min(BACKLOG_BATCH);
            let mut pipe = redis::pipe();
            for (nonce, nc, expires_at) in pending.iter().take(batch) {
                let use_ = NonceUse {
                    nonce,
                    nc: *nc,
                    now,
                    expires_at: *expires_at,
                };
                let Ok(ttl_ms) = self.ttl_ms(&use_) else {
                    continue;
                };
                pipe.cmd("EVALSHA")
                    .arg(self.script.get_hash())
                    .arg(1)
                    .arg(self.key_for(nonce))
                    .arg(*nc)
                    .arg(ttl_ms)
                    .ignore();
            }
            let sent = async {
                let (_, mut connection) = self.link.get().await?;
                pipe.query_async::<()>(&mut connection).await
            };
            match tokio::time::timeout(self.timeout, sent).await {
                Ok(Ok(())) => drop(pending.drain(..batch)),
                // What is left goes back to the backlog (`Taken::drop`).
                _ => return,
            }
        }
    }
}

/// Backlog pairs taken out to be sent to Redis: those not sent go back in
/// front of the pairs added meanwhile when this is dropped.
struct Taken<'s> {
    store: &'s RedisNonceStore,
    pending: VecDeque<(String, u32, u64)>,
}

impl Drop for Taken<'_> {
    fn drop(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let mut backlog = self
            .store
            .backlog
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut pending = std::mem::take(&mut self.pending);
        pending.extend(backlog.drain(..));
        let over = pending.len().saturating_sub(MAX_BACKLOG);
        pending.drain(..over);
        *backlog = pending;
    }
}

/// Whether `e` means the connection can no longer be used: it broke, or
/// its answers can no longer be told apart.
fn is_broken(e: &RedisError) -> bool {
    e.is_connection_dropped() || e.is_unrecoverable_error()
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
                self.record_backlog(use_.now).await;
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
            // Redis answered, so this is no outage, and the local store
            // must not decide (it would take a replay for fresh): refused.
            (Err(e @ CallError::OutcomeUnknown), _) => {
                self.health.succeeded(&self.server);
                tracing::warn!(
                    redis = %self.server,
                    "Redis nonce store: a check was sent again after its connection broke and \
                     found the count used, perhaps by the lost first send; the request is \
                     refused with 503"
                );
                Err(DigestError::unavailable(
                    format!("Redis nonce store at {}: {e}", self.server),
                    e,
                ))
            }
            (Err(e), None) => {
                self.health
                    .failed(&self.server, Mode::FailClosed, e.problem(), &e);
                Err(DigestError::unavailable(
                    format!("Redis nonce store at {}: {e}", self.server),
                    e,
                ))
            }
            (Err(e), Some(local)) => {
                self.health
                    .failed(&self.server, Mode::Fallback, e.problem(), &e);
                let seen = local.check_and_record(use_).await?;
                if seen == Seen::Fresh {
                    let mut backlog = self.backlog.lock().unwrap_or_else(PoisonError::into_inner);
                    if backlog.len() >= MAX_BACKLOG {
                        backlog.pop_front();
                    }
                    backlog.push_back((use_.nonce.to_owned(), use_.nc, use_.expires_at));
                }
                Ok(seen)
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

    /// How long a key outlives its nonce (default 90 s): covers clocks of
    /// the instances that disagree by up to this much. It must be at least
    /// 65 s, the clock skew nonces are accepted with
    /// ([`NonceIssuer::MAX_CLOCK_SKEW`], 60 s) and 5 s for clocks read in
    /// whole seconds, and at most a day;
    /// [`connect_lazy`](Self::connect_lazy) and [`connect`](Self::connect)
    /// refuse another.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_redis::{RedisNonceStore, RedisStoreError};
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let store = RedisNonceStore::builder("redis://127.0.0.1/")
    ///     .expiry_slack(Duration::from_secs(120))
    ///     .connect_lazy()
    ///     .unwrap();
    /// assert!(format!("{store:?}").contains("expiry_slack: 120s"));
    /// let short = RedisNonceStore::builder("redis://127.0.0.1/")
    ///     .expiry_slack(Duration::from_secs(30))
    ///     .connect_lazy();
    /// assert!(matches!(short, Err(RedisStoreError::Config(_))));
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
    /// instance saw stays refused here in either state; and what the local
    /// store accepted is recorded in Redis as soon as it answers again, so
    /// that the other instances refuse it from then on.
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
    /// as for [`connect_lazy`](Self::connect_lazy).
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
        let load = async {
            let (_, mut connection) = store.link.get().await?;
            store
                .script
                .prepare_invoke()
                .load_async(&mut connection)
                .await
        };
        let loaded = tokio::time::timeout(store.timeout, load).await;
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
    /// zero timeout, an [`expiry_slack`](Self::expiry_slack) out of its
    /// bounds, or when called outside a Tokio runtime.
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
        if !(MIN_SLACK..=MAX_SLACK).contains(&self.slack) {
            return Err(RedisStoreError::Config(format!(
                "the expiry slack must be between {} s (the clock skew nonces are accepted \
                 with, and a margin) and {} s, not {:?}",
                MIN_SLACK.as_secs(),
                MAX_SLACK.as_secs(),
                self.slack
            )));
        }
        let client =
            redis::Client::open(self.url.as_str()).map_err(|e| RedisStoreError::InvalidUrl {
                reason: e.to_string(),
            })?;
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return Err(RedisStoreError::Config(
                "the store must be created within a Tokio runtime".into(),
            ));
        };
        let info = client.get_connection_info();
        let server = format!("{}/{}", info.addr(), info.redis_settings().db());
        // Requests wait at most `timeout`, and the next request after a
        // failure connects anew, so a returning Redis is picked up at once.
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout));
        let link = Link {
            client,
            config,
            runtime,
            current: RwLock::new(None),
            connecting: tokio::sync::Mutex::new(0),
        };
        Ok(RedisNonceStore {
            link,
            script: script::window_script(),
            prefix: self.prefix,
            slack: self.slack,
            timeout: self.timeout,
            fallback: self.fallback,
            backlog: Mutex::new(VecDeque::new()),
            health: Health::new(),
            server,
        })
    }
}

impl RedisNonceStore {
    /// Warns when Redis may evict keys before they expire: an evicted
    /// window would let its (nonce, nc) pairs be replayed. The
    /// `volatile-*` policies count too: every window has a time to live.
    async fn check_eviction_policy(&self) {
        let query = async {
            let (_, mut connection) = self.link.get().await?;
            let mut command = redis::cmd("CONFIG");
            command.arg("GET").arg("maxmemory-policy");
            command.query_async::<Vec<String>>(&mut connection).await
        };
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

#[cfg(test)]
mod backlog_tests {
    #![allow(clippy::unwrap_used)]

    use std::pin::pin;
    use std::task::{Context, Waker};

    use super::*;

    /// A check whose future is dropped while it sends the backlog (the
    /// client went away, a timeout layer) leaves the backlog for the next
    /// check: the pairs the fallback accepted still reach Redis.
    #[tokio::test]
    async fn a_dropped_check_keeps_the_backlog() {
        // Takes the connection and never answers: Redis slow to return.
        let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = silent.local_addr().unwrap().port();
        let store = RedisNonceStore::builder(format!("redis://127.0.0.1:{port}/"))
            .fallback_to_local(MemoryNonceStore::new(10))
            .connect_lazy()
            .unwrap();
        store
            .backlog
            .lock()
            .unwrap()
            .push_back(("n".to_owned(), 5, 300));
        {
            let mut sending = pin!(store.record_backlog(0));
            let mut cx = Context::from_waker(Waker::noop());
            assert!(sending.as_mut().poll(&mut cx).is_pending());
        }
        assert_eq!(store.backlog.lock().unwrap().len(), 1, "the pair was lost");
        drop(silent);
    }
}
