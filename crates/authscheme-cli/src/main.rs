//! The `authscheme` command: serve a demo, call protected URLs, parse header
//! fields, and manage password files.

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// HTTP authentication, done properly: a demo server, a client, a parser.
#[derive(Debug, Parser)]
#[command(name = "authscheme", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse WWW-Authenticate / Authorization values and print them as JSON.
    Parse(commands::parse::ParseArgs),
    /// Create, update, verify or delete users in an Apache htpasswd file.
    Htpasswd(commands::htpasswd::HtpasswdArgs),
    /// Create or update users in an Apache htdigest file.
    Htdigest(commands::htdigest::HtdigestArgs),
    /// Print a signed development JWT.
    Token(commands::token::TokenArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse(args) => commands::parse::run(args),
        Command::Htpasswd(args) => commands::htpasswd::run(args),
        Command::Htdigest(args) => commands::htdigest::run(args),
        Command::Token(args) => commands::token::run(args),
    }
}
