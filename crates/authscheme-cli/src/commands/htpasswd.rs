//! `authscheme htpasswd` (being built).

use std::process::ExitCode;

/// Arguments of `authscheme htpasswd`.
#[derive(Debug, clap::Args)]
pub(crate) struct HtpasswdArgs {}

pub(crate) fn run(_args: HtpasswdArgs) -> ExitCode {
    eprintln!("authscheme htpasswd: not built yet");
    ExitCode::from(2)
}
