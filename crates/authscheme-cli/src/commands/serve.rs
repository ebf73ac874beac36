//! `authscheme serve` (being built).

use std::process::ExitCode;

/// Arguments of `authscheme serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {}

pub(crate) fn run(_args: ServeArgs) -> ExitCode {
    eprintln!("authscheme serve: not built yet");
    ExitCode::from(2)
}
