//! `authscheme htpasswd`: create, update, verify or delete a user in an
//! Apache htpasswd file. Files it writes are read by Apache httpd and
//! `htpasswd -v`; files Apache's `htpasswd` writes are read here.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use authscheme_basic::{HashFormat, PasswordHash, parse_htpasswd};

/// Exit status when `--verify` finds a wrong password or no such user (the
/// status Apache's `htpasswd -v` uses).
const MISMATCH: u8 = 3;

/// Arguments of `authscheme htpasswd`.
#[derive(Debug, clap::Args)]
#[command(group(
    clap::ArgGroup::new("format").args(["bcrypt", "sha256", "sha512", "apr1", "sha1"])
))]
pub(crate) struct HtpasswdArgs {
    /// Create the file, replacing it if it exists.
    #[arg(short = 'c', long = "create", conflicts_with_all = ["verify", "delete"])]
    create: bool,
    /// The password file.
    file: PathBuf,
    /// The user-id (no colon, no control characters).
    user: String,
    /// Hash with bcrypt (the default), written as `$2y$`.
    #[arg(long)]
    bcrypt: bool,
    /// Hash with SHA-256-crypt (`$5$`).
    #[arg(long)]
    sha256: bool,
    /// Hash with SHA-512-crypt (`$6$`).
    #[arg(long)]
    sha512: bool,
    /// Hash with Apache MD5 (`$apr1$`); weak, for old servers only.
    #[arg(long)]
    apr1: bool,
    /// Hash with `{SHA}` (unsalted SHA-1); weak, for old servers only.
    #[arg(long)]
    sha1: bool,
    /// The bcrypt cost (4-31) or SHA-crypt rounds (1000-999999999).
    #[arg(long)]
    cost: Option<u32>,
    /// Check the password of USER instead of setting it (exit status 3 when
    /// it does not match).
    #[arg(long, conflicts_with = "delete")]
    verify: bool,
    /// Remove USER from the file.
    #[arg(long)]
    delete: bool,
}

impl HtpasswdArgs {
    fn format(&self) -> HashFormat {
        if self.sha256 {
            HashFormat::Sha256Crypt
        } else if self.sha512 {
            HashFormat::Sha512Crypt
        } else if self.apr1 {
            HashFormat::Apr1
        } else if self.sha1 {
            HashFormat::Sha1
        } else {
            HashFormat::Bcrypt
        }
    }
}

pub(crate) fn run(args: HtpasswdArgs) -> ExitCode {
    match execute(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("authscheme htpasswd: {message}");
            ExitCode::FAILURE
        }
    }
}

fn execute(args: &HtpasswdArgs) -> Result<ExitCode, String> {
    if args.user.is_empty() || args.user.contains(':') || args.user.chars().any(char::is_control) {
        return Err("the user-id must be non-empty, without colons or control characters".into());
    }
    if args.delete {
        return delete(args);
    }
    if args.verify {
        return verify(args);
    }
    let password = read_password(true)?;
    let format = args.format();
    if matches!(format, HashFormat::Apr1 | HashFormat::Sha1) {
        eprintln!(
            "authscheme htpasswd: warning: {} is weak; prefer --bcrypt",
            format.name()
        );
    }
    let hash = PasswordHash::generate_with_cost(format, &password, args.cost)
        .map_err(|e| format!("{e} (cost {:?})", args.cost))?;
    let mut lines = if args.create {
        Vec::new()
    } else {
        read_lines(&args.file)?
    };
    let entry = format!("{}:{}", args.user, hash.as_str());
    let verb = match find_user(&lines, &args.user) {
        Some(index) => {
            lines[index] = entry;
            "Updating"
        }
        None => {
            lines.push(entry);
            "Adding"
        }
    };
    write_atomically(&args.file, &lines)?;
    eprintln!("{verb} password for user {}", args.user);
    Ok(ExitCode::SUCCESS)
}

fn verify(args: &HtpasswdArgs) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let password = read_password(false)?;
    let parsed = parse_htpasswd(&text, false);
    let Some((_, hash)) = parsed.users.iter().find(|(u, _)| *u == args.user) else {
        eprintln!("User {} not found", args.user);
        return Ok(ExitCode::from(MISMATCH));
    };
    if hash.verify(&password) {
        eprintln!("Password for user {} correct.", args.user);
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("password verification failed");
        Ok(ExitCode::from(MISMATCH))
    }
}

fn delete(args: &HtpasswdArgs) -> Result<ExitCode, String> {
    let mut lines = read_lines(&args.file)?;
    let Some(index) = find_user(&lines, &args.user) else {
        return Err(format!("user {} not found", args.user));
    };
    lines.remove(index);
    write_atomically(&args.file, &lines)?;
    eprintln!("Deleting password for user {}", args.user);
    Ok(ExitCode::SUCCESS)
}

/// The lines of an existing file, kept as they are (comments and lines this
/// tool cannot read survive an update).
fn read_lines(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e} (use -c to create it)", path.display()))?;
    Ok(text.lines().map(str::to_owned).collect())
}

fn find_user(lines: &[String], user: &str) -> Option<usize> {
    lines
        .iter()
        .position(|l| l.split_once(':').is_some_and(|(u, _)| u == user))
}

/// Writes a temporary file next to `path` and renames it over `path`, so a
/// server reading the file sees the old or the new version, never a part.
///
/// The temporary file (see [`create_temp_beside`]) has an unpredictable
/// name, is created anew (never through a file or symbolic link someone
/// planted), and is never more readable than the file it replaces (0600
/// for a new file), from the moment it exists.
fn write_atomically(path: &Path, lines: &[String]) -> Result<(), String> {
    let mut text = lines.join("\n");
    text.push('\n');
    // The permissions of the file being replaced, if there is one.
    let original = std::fs::metadata(path).ok().map(|m| m.permissions());
    let (tmp, mut file) = create_temp_beside(path, original.as_ref())?;
    let written = (|| {
        file.write_all(text.as_bytes())?;
        if let Some(permissions) = original {
            // The exact permissions, bits the umask took off included: never
            // more than the replaced file already had. After writing, as a
            // read-only attribute (Windows) would refuse the write.
            file.set_permissions(permissions)?;
        }
        file.sync_all()
    })();
    drop(file);
    let done = written
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()))
        .and_then(|()| {
            std::fs::rename(&tmp, path)
                .map_err(|e| format!("cannot replace {}: {e}", path.display()))
        });
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done
}

/// Creates an empty temporary file in the directory of `path`, named
/// `.NAME.tmp-` and 32 random hex digits, with `create_new` (so an existing
/// file or symbolic link of that name is never opened or followed). On
/// Unix it is created with the mode of `like` (the file it will replace),
/// so it is never readable by more users than the password file itself,
/// not even for a moment; a new file is created as Apache's `htpasswd -c`
/// creates one (0666 less the umask), so that a web server running as
/// another user can read it.
fn create_temp_beside(
    path: &Path,
    like: Option<&std::fs::Permissions>,
) -> Result<(PathBuf, std::fs::File), String> {
    let name = path
        .file_name()
        .ok_or_else(|| format!("{} is not a file name", path.display()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(like.map_or(0o666, |p| p.mode() & 0o777));
    }
    #[cfg(not(unix))]
    let _ = like;
    // A fresh random key's fingerprint of anything is 128 random bits. A
    // name that exists already (vanishingly unlikely unless planted) gets
    // another try.
    let mut last_error = None;
    for _ in 0..16 {
        let random = authscheme::SecretHasher::new().fingerprint(b"htpasswd temporary file");
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".tmp-{random:032x}"));
        let tmp = path.with_file_name(tmp_name);
        match options.open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => return Err(format!("cannot create {}: {e}", tmp.display())),
        }
    }
    Err(format!(
        "cannot create a temporary file beside {}: {}",
        path.display(),
        last_error.map_or_else(String::new, |e| e.to_string())
    ))
}

/// The password: prompted (twice when setting it) on a terminal, else the
/// first line of standard input.
fn read_password(confirm: bool) -> Result<String, String> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
        if confirm {
            let again =
                rpassword::prompt_password("Re-type password: ").map_err(|e| e.to_string())?;
            if again != first {
                return Err("the passwords do not match".into());
            }
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
        let trimmed = line.strip_suffix('\n').unwrap_or(&line);
        trimmed.strip_suffix('\r').unwrap_or(trimmed).to_owned()
    };
    if password.chars().any(char::is_control) {
        return Err("the password holds a control character".into());
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A directory removed when dropped (this package has no tempfile).
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(test: &str) -> Self {
            let random = authscheme::SecretHasher::new().fingerprint(test.as_bytes());
            let dir = std::env::temp_dir().join(format!("authscheme-{test}-{random:x}"));
            std::fs::create_dir(&dir).unwrap();
            Self(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn lines(text: &[&str]) -> Vec<String> {
        text.iter().map(|&l| l.to_owned()).collect()
    }

    /// What is left in the directory besides the password file: no
    /// temporary file survives a write.
    fn others(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != ".htpasswd")
            .collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::symlink_metadata(path)
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    }

    #[cfg(unix)]
    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    /// An update keeps a 0600 file at 0600 (and a 0640 one at 0640), and a
    /// new file is created as any new file is (the umask decides), as
    /// Apache's `htpasswd -c` does.
    #[cfg(unix)]
    #[test]
    fn permissions_survive_an_update_and_new_files_follow_the_umask() {
        let dir = Scratch::new("htpasswd-mode");
        let path = dir.0.join(".htpasswd");
        write_atomically(&path, &lines(&["alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="])).unwrap();
        let plain = dir.0.join("plain");
        std::fs::write(&plain, "").unwrap();
        assert_eq!(mode(&path), mode(&plain), "a new file");
        std::fs::remove_file(&plain).unwrap();
        for wanted in [0o600, 0o640] {
            set_mode(&path, wanted);
            write_atomically(&path, &lines(&["bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="])).unwrap();
            assert_eq!(mode(&path), wanted);
            assert_eq!(
                std::fs::read_to_string(&path).unwrap(),
                "bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n"
            );
        }
        assert_eq!(others(&dir.0), Vec::<String>::new());
    }

    /// The temporary file is never readable by more users than the file it
    /// replaces: it is created with that file's mode, not the umask's
    /// default, before anything is written to it.
    #[cfg(unix)]
    #[test]
    fn the_temporary_file_is_private_from_the_start() {
        let dir = Scratch::new("htpasswd-temp-mode");
        let path = dir.0.join(".htpasswd");
        let (tmp, _file) = create_temp_beside(&path, None).unwrap();
        std::fs::write(&path, "").unwrap();
        set_mode(&path, 0o600);
        let like = std::fs::metadata(&path).unwrap().permissions();
        let (tmp2, _file2) = create_temp_beside(&path, Some(&like)).unwrap();
        assert_eq!(mode(&tmp2), 0o600);
        assert_eq!(tmp.parent(), Some(dir.0.as_path()), "in the same directory");
        assert_ne!(tmp, tmp2, "a new name each time");
    }

    /// A symbolic link planted where a predictable temporary name would be
    /// is neither followed nor renamed over the password file: the name is
    /// random, and an existing name is never opened.
    #[cfg(unix)]
    #[test]
    fn planted_links_are_not_followed() {
        let dir = Scratch::new("htpasswd-symlink");
        let path = dir.0.join(".htpasswd");
        let victim = dir.0.join("victim");
        std::fs::write(&victim, "untouched").unwrap();
        std::fs::write(&path, "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n").unwrap();
        // The name this command used to write to: `.NAME.tmpPID`.
        let planted = dir.0.join(format!("..htpasswd.tmp{}", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        write_atomically(&path, &lines(&["bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="])).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
        assert!(
            !std::fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n"
        );
        let planted_name = planted.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(others(&dir.0), [planted_name, "victim".to_owned()]);
    }
}
