//! `authscheme htdigest` (being built).

use std::process::ExitCode;

/// Arguments of `authscheme htdigest`.
#[derive(Debug, clap::Args)]
pub(crate) struct HtdigestArgs {}

pub(crate) fn run(_args: HtdigestArgs) -> ExitCode {
    eprintln!("authscheme htdigest: not built yet");
    ExitCode::from(2)
}
