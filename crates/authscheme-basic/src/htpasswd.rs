//! [`HtpasswdStore`]: users from an Apache htpasswd file, reloaded when the
//! file changes.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use coarsetime::Instant;

use async_trait::async_trait;
use authscheme::registry::Principal;
use sha2::{Digest, Sha256};

use crate::credentials::BasicCredentials;
use crate::error::{HashError, HtpasswdError, StoreError};
use crate::hash::{HashFormat, PasswordHash, dearness};
use crate::offload;
use crate::store::UserStore;

/// How often, at most, the file's modification time and length are checked.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use authscheme_basic::DEFAULT_CHECK_INTERVAL;
/// assert_eq!(DEFAULT_CHECK_INTERVAL, Duration::from_secs(1));
/// # let dir = tempfile::tempdir().unwrap();
/// # let path = dir.path().join(".htpasswd");
/// # std::fs::write(&path, "").unwrap();
/// let store = authscheme_basic::HtpasswdStore::open(&path).unwrap();
/// assert!(format!("{store:?}").contains("check_interval: 1s"));
/// ```
pub const DEFAULT_CHECK_INTERVAL: Duration = Duration::from_secs(1);

/// A line of a password file that was skipped, and why. It carries the line
/// number only, never the line: the line may hold a hash or a password.
///
/// # Examples
///
/// ```
/// let parsed = authscheme_basic::parse_htpasswd("alice\n", false);
/// assert_eq!(parsed.problems[0].line(), 1);
/// assert_eq!(parsed.problems[0].to_string(), "line 1: no colon after the user-id");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    line: usize,
    reason: String,
}

impl LineProblem {
    /// The 1-based line number.
    ///
    /// # Examples
    ///
    /// ```
    /// let parsed = authscheme_basic::parse_htpasswd("# users\n\nalice\n", false);
    /// assert_eq!(parsed.problems[0].line(), 3);
    /// ```
    pub fn line(&self) -> usize {
        self.line
    }

    /// What is wrong with it.
    ///
    /// # Examples
    ///
    /// ```
    /// let parsed = authscheme_basic::parse_htpasswd("alice:$1$abc$def\n", false);
    /// assert!(parsed.problems[0].reason().starts_with("unsupported hash format"));
    /// // Never the line itself, which may hold a hash or a password.
    /// assert!(!parsed.problems[0].reason().contains("$abc$"));
    /// ```
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// The users of a password file, and the lines that were skipped.
///
/// # Examples
///
/// ```
/// use authscheme_basic::{HashFormat, parse_htpasswd};
/// let text = "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nalice:{SHA}AAAA\nbob\n";
/// let parsed = parse_htpasswd(text, false);
/// let (user, hash) = &parsed.users[0];
/// assert_eq!((user.as_str(), hash.format()), ("alice", HashFormat::Sha1));
/// assert_eq!(parsed.users.len(), 1);
/// let lines: Vec<usize> = parsed.problems.iter().map(|p| p.line()).collect();
/// assert_eq!(lines, [2, 3]);
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ParsedHtpasswd {
    /// User-ids and their hashes, in file order; the first line wins for a
    /// user-id given twice (as Apache does).
    pub users: Vec<(String, PasswordHash)>,
    /// Skipped lines.
    pub problems: Vec<LineProblem>,
}

/// Parses the text of an htpasswd file: `user:hash` lines, `#` comments and
/// blank lines. Fields after the hash (`user:hash:comment`) are ignored, as
/// Apache ignores them. A bad line is reported and skipped; parsing never
/// fails as a whole.
///
/// # Examples
///
/// ```
/// let text = "# team\nalice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nbob:hunter2\n";
/// let parsed = authscheme_basic::parse_htpasswd(text, false);
/// assert_eq!(parsed.users.len(), 1);
/// assert_eq!(parsed.problems[0].line(), 3);
/// ```
pub fn parse_htpasswd(text: &str, dangerous_allow_plaintext: bool) -> ParsedHtpasswd {
    let mut out = ParsedHtpasswd::default();
    let mut seen = HashMap::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        let problem = |reason: &str| LineProblem {
            line,
            reason: reason.to_owned(),
        };
        let content = raw.strip_suffix('\r').unwrap_or(raw);
        if content.trim().is_empty() || content.trim_start().starts_with('#') {
            continue;
        }
        let Some((user, rest)) = content.split_once(':') else {
            out.problems.push(problem("no colon after the user-id"));
            continue;
        };
        if user.is_empty() {
            out.problems.push(problem("empty user-id"));
            continue;
        }
        if user.len() > 255 || user.chars().any(char::is_control) {
            out.problems
                .push(problem("user-id too long or holds a control character"));
            continue;
        }
        let hash = rest.split(':').next().unwrap_or_default();
        let hash = match PasswordHash::parse_with(hash, dangerous_allow_plaintext) {
            Ok(h) => h,
            Err(HashError::Unsupported) => {
                out.problems.push(problem(
                    "unsupported hash format (plaintext, crypt(3) DES or $1$?)",
                ));
                continue;
            }
            Err(e) => {
                out.problems.push(problem(&e.to_string()));
                continue;
            }
        };
        if let Some(first) = seen.get(user) {
            out.problems.push(problem(&format!(
                "user-id already defined on line {first}; this line is ignored"
            )));
            continue;
        }
        seen.insert(user.to_owned(), line);
        out.users.push((user.to_owned(), hash));
    }
    out
}

/// A user store over an Apache htpasswd file, producing a [`Principal`].
///
/// Formats: bcrypt (`$2y$`, `$2a$`, `$2b$`), SHA-256/512-crypt (`$5$`,
/// `$6$`), Apache MD5 (`$apr1$`), `{SHA}`; plaintext only with
/// [`HtpasswdStoreBuilder::dangerous_allow_plaintext`].
///
/// **Reloading.** On access, at most once per check interval (one second by
/// default), the file's modification time and length are compared with those
/// of the loaded version. When they differ the new file is read and parsed
/// completely, then swapped in at once: requests keep using the old users
/// until the new ones are ready, so a valid user never fails during a
/// reload. If the file cannot be read, the old users stay. Skipped lines are
/// logged (`tracing` warnings with line numbers) and kept in
/// [`problems`](HtpasswdStore::problems).
///
/// **Timing.** An unknown user is checked against a dummy hash of the
/// file's most expensive format and cost (bcrypt at the highest cost
/// present, say). A wrong password for a user whose own hash is of that
/// format and cost costs the same single verification; a wrong password
/// for a user whose hash is cheaper (a `{SHA}` line in a bcrypt file) is
/// verified against the dummy as well, its result discarded. So in a file
/// mixing formats, every failure costs between one and two verifications
/// of the most expensive kind, and response times do not tell which
/// user-ids exist, whichever format their line has. A file of one format
/// and cost pays exactly one verification per failure, as before. One
/// line with a very high cost therefore makes every failed login that
/// slow: keep the costs of a file alike.
///
/// bcrypt at cost 10 takes tens of milliseconds of CPU; with the `tokio`
/// feature (default) inside a Tokio runtime it runs on the blocking thread
/// pool, elsewhere on the calling task. Put a
/// [`CredentialCache`](crate::CredentialCache) in front
/// (see [`BasicScheme::with_cache`](crate::BasicScheme::with_cache)).
///
/// # Examples
///
/// ```
/// use authscheme_basic::{BasicCredentials, HtpasswdStore, UserStore};
/// # let dir = tempfile::tempdir().unwrap();
/// # let path = dir.path().join(".htpasswd");
/// std::fs::write(&path, "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n")?;
/// let store = HtpasswdStore::open(&path)?;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let creds = BasicCredentials::new("alice", "password").unwrap();
/// assert_eq!(store.verify(&creds).await.unwrap().unwrap().name(), "alice");
/// # });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct HtpasswdStore {
    path: PathBuf,
    dangerous_allow_plaintext: bool,
    check_interval: Duration,
    table: RwLock<Arc<Table>>,
    /// One reload at a time; others keep serving the current table.
    reloading: Mutex<()>,
    started: Instant,
    /// Milliseconds since `started` of the last check of the file.
    last_check_ms: AtomicU64,
    generation: AtomicU64,
}

#[derive(Clone)]
struct Table {
    users: HashMap<String, Arc<PasswordHash>>,
    dummy: Arc<PasswordHash>,
    stamp: Stamp,
    /// SHA-256 of the file's bytes.
    digest: [u8; 32],
    /// The file was modified so recently when it was read that a second
    /// write in the same timestamp tick, of the same length, would leave the
    /// stamp unchanged: compare the content at the next check.
    racy: bool,
    problems: Vec<LineProblem>,
}

/// What tells that the file changed.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    /// The inode: a file replaced by rename is a new inode.
    inode: u64,
}

/// How recent a modification must be to count as racy: well above the
/// timestamp granularity of common file systems.
const RACY_WINDOW: Duration = Duration::from_secs(2);

/// Options for an [`HtpasswdStore`].
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// # let dir = tempfile::tempdir().unwrap();
/// # let path = dir.path().join(".htpasswd");
/// # std::fs::write(&path, "")?;
/// let store = authscheme_basic::HtpasswdStore::builder(&path)
///     .check_interval(Duration::from_millis(200))
///     .open()?;
/// assert_eq!(store.len(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct HtpasswdStoreBuilder {
    path: PathBuf,
    dangerous_allow_plaintext: bool,
    check_interval: Duration,
}

impl HtpasswdStoreBuilder {
    /// Accepts lines whose hash is not a known format as plaintext
    /// passwords. Anyone who reads the file then knows the passwords.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::HtpasswdStore;
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join(".htpasswd");
    /// std::fs::write(&path, "bob:hunter2\n")?;
    /// let strict = HtpasswdStore::builder(&path).open()?;
    /// assert!(!strict.contains("bob"));
    /// let lax = HtpasswdStore::builder(&path).dangerous_allow_plaintext(true).open()?;
    /// assert!(lax.contains("bob"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn dangerous_allow_plaintext(mut self, allow: bool) -> Self {
        self.dangerous_allow_plaintext = allow;
        self
    }

    /// How often, at most, to look for changes (default one second; zero
    /// checks on every request).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_basic::{HtpasswdStore, UserStore};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join(".htpasswd");
    /// std::fs::write(&path, "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n")?;
    /// let store = HtpasswdStore::builder(&path).check_interval(Duration::ZERO).open()?;
    /// std::fs::write(&path, "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nbob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n")?;
    /// // Every request looks at the file; this one sees the change.
    /// assert_eq!(store.generation(), 1);
    /// assert!(store.contains("bob"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_interval(mut self, interval: Duration) -> Self {
        self.check_interval = interval;
        self
    }

    /// Reads the file and builds the store.
    ///
    /// # Errors
    ///
    /// [`HtpasswdError::Read`] when the file cannot be read. Bad lines are
    /// not errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::{HtpasswdError, HtpasswdStore};
    /// let result = HtpasswdStore::builder("/nonexistent/.htpasswd").open();
    /// assert!(matches!(result, Err(HtpasswdError::Read { .. })));
    /// ```
    pub fn open(self) -> Result<HtpasswdStore, HtpasswdError> {
        let (Loaded::Changed(table) | Loaded::Same(table)) =
            load(&self.path, self.dangerous_allow_plaintext, None)?;
        Ok(HtpasswdStore {
            path: self.path,
            dangerous_allow_plaintext: self.dangerous_allow_plaintext,
            check_interval: self.check_interval,
            table: RwLock::new(Arc::new(table)),
            reloading: Mutex::new(()),
            started: Instant::now(),
            last_check_ms: AtomicU64::new(0),
            generation: AtomicU64::new(0),
        })
    }
}

impl HtpasswdStore {
    /// Opens `path` with the default options.
    ///
    /// # Errors
    ///
    /// [`HtpasswdError::Read`] when the file cannot be read.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::HtpasswdStore;
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join(".htpasswd");
    /// std::fs::write(&path, "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nbob:hunter2\n")?;
    /// let store = HtpasswdStore::open(&path)?;
    /// assert!(store.contains("alice"));
    /// // Plaintext is off by default: the line is skipped, not an error.
    /// assert_eq!(store.problems()[0].line(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self, HtpasswdError> {
        Self::builder(path).open()
    }

    /// Options for opening `path`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_basic::HtpasswdStore;
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join(".htpasswd");
    /// std::fs::write(&path, "bob:hunter2\n")?;
    /// let store = HtpasswdStore::builder(&path)
    ///     .dangerous_allow_plaintext(true)
    ///     .check_interval(Duration::from_secs(10))
    ///     .open()?;
    /// assert!(store.contains("bob"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(path: impl AsRef<Path>) -> HtpasswdStoreBuilder {
        HtpasswdStoreBuilder {
            path: path.as_ref().to_owned(),
            dangerous_allow_plaintext: false,
            check_interval: DEFAULT_CHECK_INTERVAL,
        }
    }

    /// The file.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::HtpasswdStore;
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join(".htpasswd");
    /// # std::fs::write(&path, "")?;
    /// let store = HtpasswdStore::open(&path)?;
    /// assert_eq!(store.path(), path);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many users the loaded version has.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::HtpasswdStore;
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join(".htpasswd");
    /// std::fs::write(&path, "# team\nalice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nbob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n")?;
    /// let store = HtpasswdStore::open(&path)?;
    /// assert_eq!(store.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn len(&self) -> usize {
        self.current().users.len()
    }

    /// Whether the loaded version has no users.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::HtpasswdStore;
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join(".htpasswd");
    /// // Only a plaintext line, which is skipped by default.
    /// std::fs::write(&path, "bob:hunter2\n")?;
    /// assert!(HtpasswdStore::open(&path)?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `user` is in the loaded version (for administration, not
    /// for authentication: it answers fast).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::HtpasswdStore;
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join(".htpasswd");
    /// std::fs::write(&path, "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n")?;
    /// let store = HtpasswdStore::open(&path)?;
    /// assert!(store.contains("alice"));
    /// assert!(!store.contains("Alice"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contains(&self, user: &str) -> bool {
        self.current().users.contains_key(user)
    }

    /// The lines skipped in the loaded version.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::HtpasswdStore;
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join(".htpasswd");
    /// std::fs::write(&path, "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n")?;
    /// let store = HtpasswdStore::open(&path)?;
    /// assert_eq!(store.problems()[0].to_string(), "line 2: empty user-id");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn problems(&self) -> Vec<LineProblem> {
        self.current().problems.clone()
    }

    /// Reads the file again now if it changed; returns whether it was
    /// reloaded.
    ///
    /// # Errors
    ///
    /// [`HtpasswdError::Read`] when the file cannot be read (the loaded
    /// users stay).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_basic::HtpasswdStore;
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join(".htpasswd");
    /// std::fs::write(&path, "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n")?;
    /// let store = HtpasswdStore::open(&path)?;
    /// std::fs::write(&path, "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nbob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n")?;
    /// assert!(store.reload_if_changed()?);
    /// assert_eq!(store.len(), 2);
    /// assert!(!store.reload_if_changed()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reload_if_changed(&self) -> Result<bool, HtpasswdError> {
        let _one_at_a_time = self.reloading.lock().unwrap_or_else(|e| e.into_inner());
        let current = self.current();
        let stamp = stamp_of(&self.path)?;
        if stamp == current.stamp && !current.racy {
            return Ok(false);
        }
        let table = match load(&self.path, self.dangerous_allow_plaintext, Some(&current))? {
            Loaded::Same(table) => {
                *self.table.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(table);
                return Ok(false);
            }
            Loaded::Changed(table) => table,
        };
        *self.table.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(table);
        self.generation.fetch_add(1, Ordering::AcqRel);
        tracing::info!(path = %self.path.display(), "htpasswd file reloaded");
        Ok(true)
    }

    fn current(&self) -> Arc<Table> {
        Arc::clone(&self.table.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Checks the file when the interval has passed since the last check.
    fn maybe_reload(&self) {
        // The coarse clock: this runs on every request, cache hits included,
        // and milliseconds are plenty for an interval between file checks.
        let now = self.started.elapsed().as_millis();
        let last = self.last_check_ms.load(Ordering::Acquire);
        let interval = u64::try_from(self.check_interval.as_millis()).unwrap_or(u64::MAX);
        if now.saturating_sub(last) < interval && last != 0 {
            return;
        }
        // Only the caller that moves the clock does the check.
        if self
            .last_check_ms
            .compare_exchange(last, now.max(1), Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return;
        }
        if let Err(e) = self.reload_if_changed() {
            tracing::warn!(error = %e, "htpasswd file not reloaded; keeping the loaded users");
        }
    }
}

impl fmt::Debug for HtpasswdStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HtpasswdStore")
            .field("path", &self.path)
            .field("users", &self.len())
            .field("dangerous_allow_plaintext", &self.dangerous_allow_plaintext)
            .field("check_interval", &self.check_interval)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl UserStore for HtpasswdStore {
    type Identity = Principal;

    async fn verify(
        &self,
        credentials: &BasicCredentials,
    ) -> Result<Option<Principal>, StoreError> {
        self.maybe_reload();
        let table = self.current();
        // Every failure costs at least one verification against the dummy,
        // the most expensive format and cost of the file (see `Timing`).
        let ok = offload::verify_user(
            table.users.get(credentials.user()),
            &table.dummy,
            credentials.password(),
        )
        .await;
        Ok(ok.then(|| Principal::new(credentials.user())))
    }

    fn generation(&self) -> u64 {
        self.maybe_reload();
        self.generation.load(Ordering::Acquire)
    }
}

fn stamp_of(path: &Path) -> Result<Stamp, HtpasswdError> {
    let meta = std::fs::metadata(path).map_err(|source| HtpasswdError::Read {
        path: path.to_owned(),
        source,
    })?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Ok(Stamp {
        modified: meta.modified().ok(),
        len: meta.len(),
        inode,
    })
}

/// What [`load`] found.
enum Loaded {
    /// New content, parsed.
    Changed(Table),
    /// The previous content with a new stamp.
    Same(Table),
}

/// Reads and parses the whole file into a new table, unless the content is
/// the same as `previous`. The
/// stamp is taken before reading, so a write during the read shows up as a
/// change at the next check.
fn load(
    path: &Path,
    allow_plaintext: bool,
    previous: Option<&Arc<Table>>,
) -> Result<Loaded, HtpasswdError> {
    let stamp = stamp_of(path)?;
    let bytes = std::fs::read(path).map_err(|source| HtpasswdError::Read {
        path: path.to_owned(),
        source,
    })?;
    let digest: [u8; 32] = Sha256::digest(&bytes).into();
    let racy = stamp
        .modified
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .is_none_or(|age| age < RACY_WINDOW);
    if let Some(prev) = previous
        && prev.digest == digest
    {
        let mut same = Table::clone(prev);
        same.stamp = stamp;
        same.racy = racy;
        return Ok(Loaded::Same(same));
    }
    let text = String::from_utf8_lossy(&bytes);
    let parsed = parse_htpasswd(&text, allow_plaintext);
    for p in &parsed.problems {
        tracing::warn!(path = %path.display(), line = p.line, reason = %p.reason, "htpasswd line skipped");
    }
    let dummy = dummy_for(&parsed.users, previous.map(|p| &**p));
    Ok(Loaded::Changed(Table {
        users: parsed
            .users
            .into_iter()
            .map(|(u, h)| (u, Arc::new(h)))
            .collect(),
        dummy,
        stamp,
        digest,
        racy,
        problems: parsed.problems,
    }))
}

/// A dummy hash in the most expensive format and cost of the file (see
/// `offload::verify_user`), reusing the previous one when it still fits
/// (making a bcrypt hash takes time).
fn dummy_for(users: &[(String, PasswordHash)], previous: Option<&Table>) -> Arc<PasswordHash> {
    let dearest = users
        .iter()
        .map(|(_, h)| h.class())
        .max_by_key(|&class| dearness(class));
    if let (Some(class), Some(prev)) = (dearest, previous)
        && prev.dummy.class() == class
    {
        return Arc::clone(&prev.dummy);
    }
    let made = match dearest {
        Some(class) => PasswordHash::dummy_of(class),
        None => PasswordHash::generate(HashFormat::Bcrypt, "dummy"),
    };
    // Making a dummy can only fail for parameters the file's own hash
    // already has; fall back to a SHA-1 dummy rather than fail the load.
    Arc::new(made.unwrap_or_else(|_| PasswordHash::sha1_dummy()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reports_every_kind_of_bad_line() {
        let text = "\
# comment
alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=
nocolon
:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=
bob:plaintext
carol:$apr1$bad
alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=
dave:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=:extra field\r

";
        let parsed = parse_htpasswd(text, false);
        let users: Vec<_> = parsed.users.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(users, ["alice", "dave"]);
        let lines: Vec<_> = parsed.problems.iter().map(LineProblem::line).collect();
        assert_eq!(lines, [3, 4, 5, 6, 7]);
        assert!(parsed.problems[4].reason().contains("line 2"));
        for p in &parsed.problems {
            assert!(!p.reason().contains("plaintext:"), "no line content in {p}");
        }
    }

    #[test]
    fn plaintext_needs_the_dangerous_option() {
        assert!(parse_htpasswd("bob:hunter2", false).users.is_empty());
        let parsed = parse_htpasswd("bob:hunter2", true);
        assert!(parsed.users[0].1.verify("hunter2"));
    }

    const SHA: &str = "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=";
    const APR1: &str = "$apr1$17uLjYbP$pU8cX0H.vR3bOgO5JARcT/";
    const BCRYPT4: &str = "$2y$04$Rf347glzB7CbVrTl660DkeEXGQTowctum91EMfiFuPiakLmybpk8C";
    const SHA256_1000: &str =
        "$5$rounds=1000$JIllHxSLlF9UTD52$cWJVF3WgaE5IHPfuoAqHCG67CfnN.zstNhyv0sZV9g0";

    fn dummy_of_file(hashes: &[&str]) -> Arc<PasswordHash> {
        let text: String = hashes
            .iter()
            .enumerate()
            .map(|(i, h)| format!("user{i}:{h}\n"))
            .collect();
        let parsed = parse_htpasswd(&text, false);
        assert_eq!(parsed.users.len(), hashes.len(), "{:?}", parsed.problems);
        dummy_for(&parsed.users, None)
    }

    /// The dummy is the most expensive format and cost of the file, not the
    /// most common one: a minority of dearer hashes must not stand out.
    #[test]
    fn dummy_is_the_dearest_class_of_the_file() {
        let class = |hashes: &[&str]| dummy_of_file(hashes).class();
        assert_eq!(class(&[SHA, APR1, APR1]), (HashFormat::Apr1, None));
        assert_eq!(class(&[SHA, SHA, SHA, APR1]), (HashFormat::Apr1, None));
        assert_eq!(
            class(&[SHA, SHA, BCRYPT4, APR1, SHA256_1000]),
            (HashFormat::Bcrypt, Some(4))
        );
        assert_eq!(
            class(&[SHA, SHA256_1000, SHA256_1000]),
            (HashFormat::Sha256Crypt, Some(1000))
        );
        // Line order does not matter.
        assert_eq!(class(&[APR1, BCRYPT4, SHA]), class(&[SHA, APR1, BCRYPT4]));
    }

    /// In a file of one format and cost nobody pays a second verification;
    /// in a mixed file every user cheaper than the dummy does.
    #[test]
    fn only_cheaper_classes_are_padded() {
        let same = parse_htpasswd(&format!("a:{BCRYPT4}\nb:{BCRYPT4}\n"), false);
        let dummy = dummy_for(&same.users, None);
        assert!(
            same.users
                .iter()
                .all(|(_, h)| !offload::needs_padding(h, &dummy))
        );

        let mixed = parse_htpasswd(&format!("a:{BCRYPT4}\nb:{SHA}\nc:{APR1}\n"), false);
        let dummy = dummy_for(&mixed.users, None);
        let padded: Vec<bool> = mixed
            .users
            .iter()
            .map(|(_, h)| offload::needs_padding(h, &dummy))
            .collect();
        assert_eq!(padded, [false, true, true]);
    }

    /// A reload keeps the dummy while the dearest class stays, and follows
    /// it when it changes.
    #[test]
    fn reload_reuses_or_replaces_the_dummy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".htpasswd");
        std::fs::write(&path, format!("a:{SHA}\nb:{APR1}\n")).unwrap();
        let store = HtpasswdStore::builder(&path)
            .check_interval(Duration::ZERO)
            .open()
            .unwrap();
        let first = Arc::clone(&store.current().dummy);
        assert_eq!(first.class(), (HashFormat::Apr1, None));
        std::fs::write(&path, format!("a:{SHA}\nb:{APR1}\nc:{SHA}\n")).unwrap();
        assert!(store.reload_if_changed().unwrap());
        assert!(Arc::ptr_eq(&first, &store.current().dummy));
        std::fs::write(&path, format!("a:{SHA}\nb:{APR1}\nc:{BCRYPT4}\n")).unwrap();
        assert!(store.reload_if_changed().unwrap());
        assert_eq!(store.current().dummy.class(), (HashFormat::Bcrypt, Some(4)));
    }
}
