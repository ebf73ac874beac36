//! `authscheme htpasswd`: create, update, verify or delete a user in an
//! Apache htpasswd file. Files it writes are read by Apache httpd and
//! `htpasswd -v`; files Apache's `htpasswd` writes are read here.

use std::io::{BufRead, IsTerminal};
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
fn write_atomically(path: &Path, lines: &[String]) -> Result<(), String> {
    let mut text = lines.join("\n");
    text.push('\n');
    let name = path
        .file_name()
        .ok_or_else(|| format!("{} is not a file name", path.display()))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    std::fs::write(&tmp, text).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    if let Ok(meta) = std::fs::metadata(path) {
        // Keep the permissions of the file being replaced.
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot replace {}: {e}", path.display())
    })
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
