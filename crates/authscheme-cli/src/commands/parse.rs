//! `authscheme parse` (being built).

use std::process::ExitCode;

/// Arguments of `authscheme parse`.
#[derive(Debug, clap::Args)]
pub(crate) struct ParseArgs {}

pub(crate) fn run(_args: ParseArgs) -> ExitCode {
    eprintln!("authscheme parse: not built yet");
    ExitCode::from(2)
}
