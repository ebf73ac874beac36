//! Apache htdigest files: `user:realm:HA1`, HA1 being MD5 in hex, one user
//! per line.

use std::collections::HashMap;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use std::time::SystemTime;

use super::{CredentialStore, Ha1};
use crate::algorithm::Algorithm;
use crate::compute;
use crate::error::DigestError;

/// A line of an htdigest file that was skipped.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{HtdigestFile, HtdigestProblem};
/// let path = std::env::temp_dir().join(format!("htdigest-problem-{}", std::process::id()));
/// std::fs::write(&path, "# users\nMufasa:testrealm@host.com:939e7578ed9e3c518a452acee763bce9\nalice:api\n").unwrap();
/// let file = HtdigestFile::open(&path).unwrap();
/// assert_eq!(file.problems(), [HtdigestProblem { line: 3, reason: "not user:realm:hash" }]);
/// # std::fs::remove_file(&path).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtdigestProblem {
    /// The line number, from 1.
    pub line: usize,
    /// Why it was skipped (never the line itself: it holds a hash).
    pub reason: &'static str,
}

#[derive(Default)]
struct Loaded {
    stamp: Option<(SystemTime, u64)>,
    users: HashMap<(String, String), Ha1>,
    problems: Vec<HtdigestProblem>,
}

/// An Apache htdigest file as a [`CredentialStore`], read again whenever it
/// changes on disk.
///
/// It holds MD5 HA1 values only, so a scheme backed by it offers `MD5` (and
/// `MD5-sess` if configured) and no userhash. Bad lines are skipped and
/// reported through [`HtdigestFile::problems`] and a `tracing` warning.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{Algorithm, CredentialStore, HtdigestFile};
/// let dir = std::env::temp_dir().join(format!("htdigest-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("users");
/// std::fs::write(&path, "Mufasa:testrealm@host.com:939e7578ed9e3c518a452acee763bce9\nbroken\n").unwrap();
/// let file = HtdigestFile::open(&path).unwrap();
/// assert_eq!(file.problems().len(), 1);
/// assert!(file.supports(Algorithm::Md5) && !file.supports(Algorithm::Sha256));
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let ha1 = file.ha1("Mufasa", "testrealm@host.com", Algorithm::Md5).await.unwrap();
/// assert!(ha1.is_some());
/// # });
/// ```
pub struct HtdigestFile {
    path: PathBuf,
    loaded: RwLock<Loaded>,
}

impl HtdigestFile {
    /// Reads the file.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::{DigestError, HtdigestFile};
    /// let path = std::env::temp_dir().join(format!("htdigest-open-{}", std::process::id()));
    /// std::fs::write(&path, "Mufasa:testrealm@host.com:939e7578ed9e3c518a452acee763bce9\n").unwrap();
    /// let file = HtdigestFile::open(&path).unwrap();
    /// assert_eq!(file.len(), 1);
    /// let missing = HtdigestFile::open(path.with_extension("missing"));
    /// assert!(matches!(missing, Err(DigestError::File { .. })));
    /// # std::fs::remove_file(&path).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// [`DigestError::File`] when it cannot be read.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, DigestError> {
        let file = Self {
            path: path.as_ref().to_path_buf(),
            loaded: RwLock::new(Loaded::default()),
        };
        file.reload_if_changed()?;
        Ok(file)
    }

    /// The lines skipped at the last load.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::HtdigestFile;
    /// let path = std::env::temp_dir().join(format!("htdigest-problems-{}", std::process::id()));
    /// std::fs::write(&path, "Mufasa:testrealm@host.com:939e7578ed9e3c518a452acee763bce9\nbob:api:not-hex\n:api:939e7578ed9e3c518a452acee763bce9\n").unwrap();
    /// let file = HtdigestFile::open(&path).unwrap();
    /// let lines: Vec<usize> = file.problems().iter().map(|p| p.line).collect();
    /// assert_eq!(lines, [2, 3]);
    /// # std::fs::remove_file(&path).unwrap();
    /// ```
    pub fn problems(&self) -> Vec<HtdigestProblem> {
        self.loaded
            .read()
            .map(|l| l.problems.clone())
            .unwrap_or_default()
    }

    /// How many users (user, realm pairs) were loaded.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::HtdigestFile;
    /// let path = std::env::temp_dir().join(format!("htdigest-len-{}", std::process::id()));
    /// let hash = "939e7578ed9e3c518a452acee763bce9";
    /// std::fs::write(&path, format!("alice:api:{hash}\nalice:admin:{hash}\n")).unwrap();
    /// let file = HtdigestFile::open(&path).unwrap();
    /// assert_eq!(file.len(), 2, "one user in two realms");
    /// # std::fs::remove_file(&path).unwrap();
    /// ```
    pub fn len(&self) -> usize {
        self.loaded.read().map_or(0, |l| l.users.len())
    }

    /// Whether no user was loaded.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::HtdigestFile;
    /// let path = std::env::temp_dir().join(format!("htdigest-empty-{}", std::process::id()));
    /// std::fs::write(&path, "# nobody yet\n").unwrap();
    /// let file = HtdigestFile::open(&path).unwrap();
    /// assert!(file.is_empty());
    /// # std::fs::remove_file(&path).unwrap();
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn stamp(&self) -> Result<(SystemTime, u64), DigestError> {
        let meta = std::fs::metadata(&self.path).map_err(|e| DigestError::io(&self.path, e))?;
        Ok((
            meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            meta.len(),
        ))
    }

    /// Reads the file again when its modification time or size changed.
    ///
    /// # Errors
    ///
    /// [`DigestError::File`] when it cannot be read; the users loaded
    /// before stay in place.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::HtdigestFile;
    /// use authscheme_digest::store::set_htdigest_password;
    /// let path = std::env::temp_dir().join(format!("htdigest-reload-{}", std::process::id()));
    /// std::fs::write(&path, "Mufasa:testrealm@host.com:939e7578ed9e3c518a452acee763bce9\n").unwrap();
    /// let file = HtdigestFile::open(&path).unwrap();
    /// set_htdigest_password(&path, "api", "alice", "wonderland", false).unwrap();
    /// assert_eq!(file.len(), 1);
    /// file.reload_if_changed().unwrap();
    /// assert_eq!(file.len(), 2);
    /// std::fs::remove_file(&path).unwrap();
    /// assert!(file.reload_if_changed().is_err());
    /// assert_eq!(file.len(), 2);
    /// ```
    pub fn reload_if_changed(&self) -> Result<(), DigestError> {
        let stamp = self.stamp()?;
        if self.loaded.read().is_ok_and(|l| l.stamp == Some(stamp)) {
            return Ok(());
        }
        let text = std::fs::read(&self.path).map_err(|e| DigestError::io(&self.path, e))?;
        let (users, problems) = parse(&text);
        for p in &problems {
            tracing::warn!(path = %self.path.display(), line = p.line, reason = p.reason, "skipping htdigest line");
        }
        if let Ok(mut loaded) = self.loaded.write() {
            *loaded = Loaded {
                stamp: Some(stamp),
                users,
                problems,
            };
        }
        Ok(())
    }
}

type Users = HashMap<(String, String), Ha1>;

fn parse(text: &[u8]) -> (Users, Vec<HtdigestProblem>) {
    let mut users = HashMap::new();
    let mut problems = Vec::new();
    for (i, raw) in text.split(|&b| b == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.is_empty() || raw.first() == Some(&b'#') {
            continue;
        }
        let mut problem = |reason| {
            problems.push(HtdigestProblem {
                line: i + 1,
                reason,
            })
        };
        let Ok(line) = std::str::from_utf8(raw) else {
            problem("not UTF-8");
            continue;
        };
        let mut fields = line.split(':');
        let (Some(user), Some(realm), Some(hash), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            problem("not user:realm:hash");
            continue;
        };
        let ha1 = match Ha1::from_hex(hash) {
            Some(h) if hash.len() == 32 => h,
            _ => {
                problem("the hash is not 32 hex digits (MD5)");
                continue;
            }
        };
        if user.is_empty() {
            problem("empty user name");
            continue;
        }
        users.insert((user.to_owned(), realm.to_owned()), ha1);
    }
    (users, problems)
}

impl fmt::Debug for HtdigestFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HtdigestFile")
            .field("path", &self.path)
            .field("users", &self.len())
            .finish()
    }
}

impl CredentialStore for HtdigestFile {
    fn supports(&self, algorithm: Algorithm) -> bool {
        algorithm.base() == Algorithm::Md5
    }

    /// Answered at once: the file is read and checked for changes without
    /// waiting on anything but the (local, blocking) file system.
    fn ha1_now(
        &self,
        user: &str,
        realm: &str,
        algorithm: Algorithm,
    ) -> Option<Result<Option<Ha1>, DigestError>> {
        if algorithm.base() != Algorithm::Md5 {
            return Some(Ok(None));
        }
        if let Err(e) = self.reload_if_changed() {
            // Keep serving the last good copy (a file being replaced
            // briefly disappears), but say so.
            tracing::warn!(error = %e, "htdigest file not reloaded");
        }
        let key = (user.to_owned(), realm.to_owned());
        Some(Ok(self
            .loaded
            .read()
            .ok()
            .and_then(|l| l.users.get(&key).copied())))
    }
}

/// Whether `name` can be a user or realm in an htdigest file.
fn check_field(what: &str, name: &str) -> Result<(), DigestError> {
    if name.is_empty() || name.contains([':', '\n', '\r']) {
        return Err(DigestError::Config(format!(
            "the {what} must be non-empty and hold no ':' or line break"
        )));
    }
    Ok(())
}

/// Sets `user`'s password for `realm` in an htdigest file, as Apache's
/// `htdigest` does: the line for the same user and realm is replaced, or a
/// line is appended; other lines are kept as they are. With `create` the
/// file is started afresh. Returns `true` when a line was replaced.
///
/// # Errors
///
/// [`DigestError::File`] when the file cannot be read or written (or does
/// not exist without `create`); [`DigestError::Config`] for a user or realm
/// holding `:`.
///
/// # Examples
///
/// ```
/// use authscheme_digest::store::set_htdigest_password;
/// let path = std::env::temp_dir().join(format!("htdigest-set-{}", std::process::id()));
/// assert!(!set_htdigest_password(&path, "realm", "user", "pw", true).unwrap());
/// assert!(set_htdigest_password(&path, "realm", "user", "pw2", false).unwrap());
/// assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 1);
/// ```
pub fn set_htdigest_password(
    path: &Path,
    realm: &str,
    user: &str,
    password: &str,
    create: bool,
) -> Result<bool, DigestError> {
    check_field("user", user)?;
    check_field("realm", realm)?;
    let old = if create {
        Vec::new()
    } else {
        std::fs::read(path).map_err(|e| DigestError::io(path, e))?
    };
    let ha1 = compute::ha1(Algorithm::Md5, user, realm, password);
    let new_line = format!("{user}:{realm}:{}", ha1.as_str());
    let prefix = format!("{user}:{realm}:");
    let mut out = Vec::with_capacity(old.len() + new_line.len() + 1);
    let mut replaced = false;
    for line in old.split_inclusive(|&b| b == b'\n') {
        if !replaced && line.starts_with(prefix.as_bytes()) {
            out.extend_from_slice(new_line.as_bytes());
            out.push(b'\n');
            replaced = true;
        } else {
            out.extend_from_slice(line);
            if !line.ends_with(b"\n") {
                out.push(b'\n');
            }
        }
    }
    if !replaced {
        out.extend_from_slice(new_line.as_bytes());
        out.push(b'\n');
    }
    replace_file(path, &out).map_err(|e| DigestError::io(path, e))?;
    Ok(replaced)
}

/// Writes `contents` to `path` through a new file in the same directory,
/// renamed over it, so a reader sees the old file or the new one, never
/// half of one.
///
/// The new file gets a name nobody can predict and is created with
/// `create_new` (it never opens a file or link someone planted there),
/// and on Unix it has the old file's permission bits from the start (0600
/// when there was no file): the HA1 values in it are as good as passwords,
/// so they never become readable by anyone who could not read them before.
fn replace_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        let mode = match std::fs::metadata(path) {
            Ok(meta) => meta.permissions().mode() & 0o777,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0o600,
            Err(e) => return Err(e),
        };
        // The umask may take bits away, never add any.
        options.mode(mode);
        mode
    };
    let (tmp, mut file) = {
        let mut attempt = 0;
        loop {
            let mut tmp_name = std::ffi::OsString::from(".");
            tmp_name.push(name);
            tmp_name.push(format!(".{:016x}.tmp", rand::random::<u64>()));
            let tmp = dir.join(tmp_name);
            match options.open(&tmp) {
                Ok(file) => break (tmp, file),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 8 => {
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    };
    let mut write = || -> std::io::Result<()> {
        // Exactly the old bits, where the umask took some away.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parse_reports_and_skips_bad_lines() {
        let text = b"a:r:939e7578ed9e3c518a452acee763bce9\r\n\
            # comment\n\
            \n\
            b:r\n\
            c:r:zz\n\
            d:r:939e7578ed9e3c518a452acee763bce9:extra\n\
            e:r:7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232\n\
            :r:939e7578ed9e3c518a452acee763bce9\n";
        let (users, problems) = parse(text);
        assert_eq!(users.len(), 1);
        assert!(users.contains_key(&("a".into(), "r".into())));
        let lines: Vec<_> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [4, 5, 6, 7, 8]);
    }

    /// A directory of its own under the system's temporary directory.
    fn scratch(test: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "authscheme-htdigest-{test}-{}-{:x}",
            std::process::id(),
            rand::random::<u64>()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn setting_a_password_keeps_the_file_private() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = scratch("mode");
        let path = dir.join("users");
        // A new file is readable by its owner alone.
        set_htdigest_password(&path, "r", "alice", "pw", true).unwrap();
        assert_eq!(mode(&path), 0o600);
        // An existing 0600 file stays 0600, whatever the umask allows.
        set_htdigest_password(&path, "r", "bob", "pw", false).unwrap();
        assert_eq!(mode(&path), 0o600);
        assert!(set_htdigest_password(&path, "r", "alice", "new", false).unwrap());
        assert_eq!(mode(&path), 0o600);
        // Whatever the owner chose is kept, also when starting afresh.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        set_htdigest_password(&path, "r", "carol", "pw", false).unwrap();
        assert_eq!(mode(&path), 0o640);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        set_htdigest_password(&path, "r", "dave", "pw", true).unwrap();
        assert_eq!(mode(&path), 0o400);
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["users"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_temporary_file_name_cannot_be_planted() {
        let dir = scratch("plant");
        let path = dir.join("users");
        set_htdigest_password(&path, "r", "alice", "pw", true).unwrap();
        // The name the file used to be written through, taken by someone
        // else (a symlink there would have been followed).
        let planted = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&planted, "someone else's file\n").unwrap();
        set_htdigest_password(&path, "r", "bob", "pw", false).unwrap();
        assert_eq!(
            std::fs::read_to_string(&planted).unwrap(),
            "someone else's file\n"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("alice:r:") && text.contains("\nbob:r:"),
            "{text}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
