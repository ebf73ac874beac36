//! `authscheme token` (being built).

use std::process::ExitCode;

/// Arguments of `authscheme token`.
#[derive(Debug, clap::Args)]
pub(crate) struct TokenArgs {}

pub(crate) fn run(_args: TokenArgs) -> ExitCode {
    eprintln!("authscheme token: not built yet");
    ExitCode::from(2)
}
