//! `authscheme client` (being built).

use std::process::ExitCode;

/// Arguments of `authscheme client`.
#[derive(Debug, clap::Args)]
pub(crate) struct ClientArgs {}

pub(crate) fn run(_args: ClientArgs) -> ExitCode {
    eprintln!("authscheme client: not built yet");
    ExitCode::from(2)
}
