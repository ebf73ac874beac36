//! `authscheme client`: send a request and answer 401/407 challenges with
//! the strongest scheme offered, through `authscheme-reqwest` (so the CLI
//! and the library behave the same).
//!
//! Exit status: 0 on a 2xx final response, 1 on any other final status, 2
//! on a usage error, a network error, or a failed authentication check
//! (such as a wrong `rspauth`).

mod load;
mod target;

use std::net::IpAddr;
use std::process::ExitCode;

use authscheme::ClientCredentials;
use authscheme_reqwest::{AuthClient, FixedCredentials};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Method, Request, Url};

/// Arguments of `authscheme client`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Exit status: 0 on 2xx, 1 on any other final status, \
2 on a usage or network error or a failed server authentication check.")]
pub(crate) struct ClientArgs {
    /// USER:PASSWORD for Basic or Digest (USER alone asks for the password).
    #[arg(short = 'u', long = "user", value_name = "USER:PASSWORD")]
    user: Option<String>,
    /// A bearer token (preferred when the server offers Bearer).
    #[arg(long, value_name = "TOKEN")]
    bearer: Option<String>,
    /// The request method (default GET, or POST with -d).
    #[arg(short = 'X', long = "request", value_name = "METHOD")]
    method: Option<String>,
    /// The request body (`@FILE` reads a file).
    #[arg(short = 'd', long = "data", value_name = "DATA")]
    data: Option<String>,
    /// An extra request header, `Name: value` (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// Show the authentication exchange on stderr (never a password or token).
    #[arg(short = 'v', long)]
    verbose: bool,
    /// Send the request N times and print throughput and latency.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    repeat: u64,
    /// With --repeat: how many connections send in parallel.
    #[arg(long, value_name = "C", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=1024))]
    concurrency: u64,
    /// Accept a response whose Digest rspauth does not match.
    #[arg(long)]
    dangerous_skip_rspauth_check: bool,
    /// The URL (http; https needs a TLS-enabled build).
    url: String,
}

/// Exit status for usage and network errors.
fn failure(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("authscheme client: {message}");
    ExitCode::from(2)
}

pub(crate) fn run(args: ClientArgs) -> ExitCode {
    if args.verbose {
        // Only this crate's and the adapter's events: the exchange itself.
        let filter =
            tracing_subscriber::EnvFilter::new("authscheme_reqwest=debug,authscheme_cli=debug");
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .without_time()
            .with_ansi(false)
            .with_target(false)
            .try_init();
    }
    let request = match target::Target::from_args(&args) {
        Ok(r) => r,
        Err(e) => return failure(e),
    };
    let credentials = match credentials(&args, request.url_user.as_ref()) {
        Ok(c) => c,
        Err(e) => return failure(e),
    };
    let allow_basic = allows_basic(
        &request.url,
        args.user.is_some() || request.url_user.is_some(),
    );
    let client = || {
        AuthClient::new(FixedCredentials::new(credentials.clone()))
            .insecure_allow_basic_over_http(allow_basic)
            .dangerous_skip_rspauth_check(args.dangerous_skip_rspauth_check)
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(usize::try_from(args.concurrency).unwrap_or(1).clamp(1, 4))
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return failure(format!("cannot start the runtime: {e}")),
    };
    if args.repeat > 1 || args.concurrency > 1 {
        return runtime.block_on(load::run(client, request, args.repeat, args.concurrency));
    }
    runtime.block_on(once(client(), request, args.verbose))
}

/// Sends once and prints the body.
async fn once(client: AuthClient, target: target::Target, verbose: bool) -> ExitCode {
    let request = match target.build() {
        Ok(r) => r,
        Err(e) => return failure(e),
    };
    show_request(&request, verbose);
    let response = match client.execute(request).await {
        Ok(r) => r,
        Err(e) => return failure(e),
    };
    let status = response.status();
    if verbose {
        eprintln!("< {status}");
        for (name, value) in response.headers() {
            eprintln!("< {name}: {}", String::from_utf8_lossy(value.as_bytes()));
        }
    }
    let body = match response.bytes().await {
        Ok(b) => b,
        Err(e) => return failure(format!("reading the body failed: {e}")),
    };
    let done = if status.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    crate::output::print("client", &body, done)
}

fn show_request(request: &Request, verbose: bool) {
    if verbose {
        eprintln!("> {} {}", request.method(), request.url());
    }
}

/// The credentials from `-u` (or else the URL's user and password, as
/// curl takes them) and `--bearer`; asks for the password when `-u` has no
/// colon.
fn credentials(
    args: &ClientArgs,
    url_user: Option<&(String, String)>,
) -> Result<ClientCredentials, String> {
    let mut creds = match &args.user {
        None => match url_user {
            Some((name, password)) => ClientCredentials::password(name.as_str(), password.as_str()),
            None => ClientCredentials::default(),
        },
        Some(user) => match user.split_once(':') {
            Some((name, password)) => ClientCredentials::password(name, password),
            None => {
                let password = rpassword::prompt_password(format!("Password for {user}: "))
                    .map_err(|e| format!("cannot read the password: {e}"))?;
                ClientCredentials::password(user.as_str(), password)
            }
        },
    };
    if let Some(token) = &args.bearer {
        creds = creds.with_token(token.as_str());
    }
    Ok(creds)
}

/// Basic over plain http is allowed for loopback hosts only; elsewhere the
/// CLI warns that only Digest or Bearer will be sent.
fn allows_basic(url: &Url, has_password: bool) -> bool {
    if url.scheme() != "http" {
        return false;
    }
    let host = url.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if !loopback && has_password {
        eprintln!(
            "authscheme client: warning: {} is plain http and not loopback; \
             Basic will not be sent (Digest still is)",
            url.host_str().unwrap_or_default()
        );
    }
    loopback
}

/// Parses `Name: value`.
fn header(line: &str) -> Result<(HeaderName, HeaderValue), String> {
    let (name, value) = line
        .split_once(':')
        .ok_or_else(|| format!("header {line:?} is not `Name: value`"))?;
    let name = HeaderName::from_bytes(name.trim().as_bytes())
        .map_err(|_| format!("invalid header name {:?}", name.trim()))?;
    let value = HeaderValue::from_str(value.trim())
        .map_err(|_| format!("invalid value for header {name}"))?;
    Ok((name, value))
}

/// The method from `-X`, or GET / POST.
fn method(args: &ClientArgs) -> Result<Method, String> {
    match &args.method {
        Some(m) => Method::from_bytes(m.as_bytes()).map_err(|_| format!("invalid method {m:?}")),
        None if args.data.is_some() => Ok(Method::POST),
        None => Ok(Method::GET),
    }
}
