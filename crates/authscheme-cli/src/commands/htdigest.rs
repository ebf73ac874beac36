//! `authscheme htdigest`: create or update a user in an Apache htdigest
//! file (`user:realm:MD5(user:realm:password)`), as Apache's `htdigest`
//! does; each reads the other's files.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use authscheme_digest::store::set_htdigest_password;

/// Arguments of `authscheme htdigest`.
#[derive(Debug, clap::Args)]
pub(crate) struct HtdigestArgs {
    /// Create the file, replacing it if it exists.
    #[arg(short = 'c', long = "create")]
    create: bool,
    /// The htdigest file.
    file: PathBuf,
    /// The realm (as the server announces it; no colon).
    realm: String,
    /// The user name (no colon).
    user: String,
}

/// Reads the password: prompted twice on a terminal, otherwise the first
/// line of standard input (for scripts: `echo pw | authscheme htdigest ...`).
fn read_password() -> Result<String, String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New password: ")
            .map_err(|e| format!("cannot read the password: {e}"))?;
        let second = rpassword::prompt_password("Re-type new password: ")
            .map_err(|e| format!("cannot read the password: {e}"))?;
        if first != second {
            return Err("they don't match, sorry".into());
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let line = line.strip_suffix('\n').unwrap_or(&line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    Ok(line.to_owned())
}

pub(crate) fn run(args: HtdigestArgs) -> ExitCode {
    if !args.create && !args.file.exists() {
        eprintln!(
            "authscheme htdigest: {} does not exist; use -c to create it",
            args.file.display()
        );
        return ExitCode::from(1);
    }
    let password = match read_password() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("authscheme htdigest: {e}");
            return ExitCode::from(1);
        }
    };
    match set_htdigest_password(&args.file, &args.realm, &args.user, &password, args.create) {
        Ok(changed) => {
            let message = if changed {
                format!(
                    "Changing password for user {} in realm {}\n",
                    args.user, args.realm
                )
            } else {
                format!(
                    "Adding password for {} in realm {}.\n",
                    args.user, args.realm
                )
            };
            crate::output::print("htdigest", message, ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("authscheme htdigest: {e}");
            ExitCode::from(1)
        }
    }
}
