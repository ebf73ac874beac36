//! The `authscheme` command: serve a demo, call protected URLs, parse header
//! fields, and manage password files.

mod commands;
mod output;

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
    /// Serve a demo with embedded users: Basic, Digest and Bearer routes.
    Serve(commands::serve::ServeArgs),
    /// Send a request and answer 401/407 challenges (like curl --anyauth).
    Client(commands::client::ClientArgs),
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
        Command::Serve(args) => commands::serve::run(args),
        Command::Client(args) => commands::client::run(args),
        Command::Parse(args) => commands::parse::run(args),
        Command::Htpasswd(args) => commands::htpasswd::run(args),
        Command::Htdigest(args) => commands::htdigest::run(args),
        Command::Token(args) => commands::token::run(args),
    }
}
