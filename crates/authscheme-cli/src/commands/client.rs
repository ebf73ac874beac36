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
    /// Send through this HTTP proxy (default: the `http_proxy` environment
    /// variable, as curl reads it, except for a plain-http loopback URL).
    #[arg(short = 'x', long = "proxy", value_name = "URL")]
    proxy: Option<String>,
    /// USER:PASSWORD for a proxy that answers 407 (Basic or Digest).
    #[arg(short = 'U', long = "proxy-user", value_name = "USER:PASSWORD")]
    proxy_user: Option<String>,
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
    {
        // Only this crate's and the adapter's events: with -v the exchange
        // itself, otherwise what the adapter warns of (a proof it could not
        // check).
        let filter = if args.verbose {
            "authscheme_reqwest=debug,authscheme_cli=debug"
        } else {
            "authscheme_reqwest=warn"
        };
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
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
    // Basic and Bearer send a reusable secret: they go only where every
    // plain-http link they cross is loopback (to the proxy, that link; to
    // the origin, the proxy's too).
    let proxy_url = args.proxy.as_deref().map(proxy_url);
    let proxy_is_loopback = match &proxy_url {
        Some(Some(url)) => is_loopback(url),
        Some(None) => false,
        None => true,
    };
    let allow_proxy_basic = proxy_url.is_some() && proxy_is_loopback;
    if proxy_url.is_some() && !proxy_is_loopback && args.proxy_user.is_some() {
        warn_plain("the proxy", "Basic");
    }
    let in_clear = request.url.scheme() == "http";
    let allow_secrets = in_clear && is_loopback(&request.url) && proxy_is_loopback;
    if in_clear && !allow_secrets {
        // Name the link that is not loopback: the host's, or else the proxy's.
        let link = if is_loopback(&request.url) {
            "the proxy"
        } else {
            request.url.host_str().unwrap_or_default()
        };
        if args.user.is_some() || request.url_user.is_some() {
            warn_plain(link, "Basic");
        }
        if args.bearer.is_some() {
            warn_plain(link, "a Bearer token");
        }
    }
    let mut provider = FixedCredentials::new(credentials);
    if let Some(user) = &args.proxy_user {
        match password_pair(user, "proxy user") {
            Ok((name, password)) => {
                provider = provider.with_proxy(ClientCredentials::password(name, password));
            }
            Err(e) => return failure(e),
        }
    }
    let proxy = match args.proxy.as_deref().map(reqwest::Proxy::all).transpose() {
        Ok(proxy) => proxy,
        Err(e) => return failure(format!("invalid proxy: {e}")),
    };
    let client = || {
        let mut inner = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
        if let Some(proxy) = &proxy {
            inner = inner.proxy(proxy.clone());
        } else if allow_secrets {
            // Loopback without --proxy: straight there. Through the
            // environment's proxy (http_proxy), the secret allowed above
            // would cross the network in clear.
            inner = inner.no_proxy();
        }
        let client = match inner.build() {
            Ok(inner) => AuthClient::with_client(inner, provider.clone()),
            Err(_) => AuthClient::new(provider.clone()),
        };
        client
            .insecure_allow_basic_over_http(allow_secrets)
            .insecure_allow_bearer_over_http(allow_secrets)
            .insecure_allow_basic_to_proxy(allow_proxy_basic)
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
    let has_credentials = args.user.is_some()
        || args.bearer.is_some()
        || args.proxy_user.is_some()
        || request.url_user.is_some();
    runtime.block_on(once(client(), request, args.verbose, has_credentials))
}

/// Sends once and prints the body.
async fn once(
    client: AuthClient,
    target: target::Target,
    verbose: bool,
    has_credentials: bool,
) -> ExitCode {
    let request = match target.build() {
        Ok(r) => r,
        Err(e) => return failure(e),
    };
    show_request(&request, verbose);
    let response = match client.execute(request).await {
        Ok(r) => r,
        Err(e) => return failure(describe(&e)),
    };
    let status = response.status();
    if verbose {
        eprintln!("< {status}");
        for (name, value) in response.headers() {
            eprintln!("< {name}: {}", String::from_utf8_lossy(value.as_bytes()));
        }
    } else if let Some(why) = still_challenged(&response, has_credentials) {
        eprintln!("authscheme client: {why}");
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
        Some(user) => {
            let (name, password) = password_pair(user, "")?;
            ClientCredentials::password(name, password)
        }
    };
    if let Some(token) = &args.bearer {
        creds = creds.with_token(token.as_str());
    }
    Ok(creds)
}

/// The adapter's error in the command's words: its advice names builder
/// methods, which here are flags or fixed rules.
fn describe(e: &authscheme_reqwest::Error) -> String {
    match e {
        authscheme_reqwest::Error::ServerNotAuthenticated { reason } => format!(
            "the server failed to authenticate itself ({reason}); the response was dropped \
             (--dangerous-skip-rspauth-check turns this check off)"
        ),
        authscheme_reqwest::Error::BasicOverPlainHttp { origin } => format!(
            "refusing to send Basic credentials over plain http to {origin} \
             (only loopback hosts get Basic over http; use https)"
        ),
        authscheme_reqwest::Error::BearerOverPlainHttp { origin } => format!(
            "refusing to send a Bearer token over plain http to {origin} \
             (only loopback hosts get tokens over http; use https)"
        ),
        other => other.to_string(),
    }
}

/// Why a final 401 or 407 came back, in one line: the schemes offered, so
/// that a user sees at once whether none could be answered or the
/// credentials were refused (`-v` shows the whole exchange).
fn still_challenged(response: &reqwest::Response, has_credentials: bool) -> Option<String> {
    let status = response.status();
    let field = match status.as_u16() {
        401 => reqwest::header::WWW_AUTHENTICATE,
        407 => reqwest::header::PROXY_AUTHENTICATE,
        _ => return None,
    };
    let lines = response.headers().get_all(&field);
    if lines.iter().next().is_none() {
        return Some(format!(
            "{status}: the server sent no {field} challenge, so there is nothing to answer"
        ));
    }
    let parsed = authscheme::syntax::parse_challenge_lines(lines.iter().map(|v| v.as_bytes()));
    let offered = match parsed {
        Ok(challenges) => {
            let mut names: Vec<&str> = Vec::new();
            for c in &challenges {
                if !names.iter().any(|n| c.scheme().is(n)) {
                    names.push(c.scheme().as_str());
                }
            }
            names.join(", ")
        }
        Err(e) => format!("a {field} this client cannot read ({e})"),
    };
    let what = if has_credentials {
        "the credentials were refused, or fit none of them (-v shows the exchange)"
    } else {
        "no credentials were given (-u USER:PASSWORD, --bearer TOKEN, -U for a proxy)"
    };
    Some(format!("{status}: offered {offered}; {what}"))
}

/// `USER:PASSWORD` split at the first colon; `USER` alone asks for the
/// password on the terminal (`whose` names it: "proxy user").
fn password_pair(user: &str, whose: &str) -> Result<(String, String), String> {
    match user.split_once(':') {
        Some((name, password)) => Ok((name.to_owned(), password.to_owned())),
        None => {
            let prompt = match whose {
                "" => format!("Password for {user}: "),
                whose => format!("Password for {whose} {user}: "),
            };
            let password = rpassword::prompt_password(prompt)
                .map_err(|e| format!("cannot read the password: {e}"))?;
            Ok((user.to_owned(), password))
        }
    }
}

/// The proxy as a URL; like curl, `HOST:PORT` without a scheme is http.
fn proxy_url(proxy: &str) -> Option<Url> {
    if proxy.contains("://") {
        Url::parse(proxy).ok()
    } else {
        Url::parse(&format!("http://{proxy}")).ok()
    }
}

/// Whether `url`'s host is loopback (`localhost`, 127.0.0.0/8, `::1`):
/// plain http to it never leaves the machine.
fn is_loopback(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Says that `what` will not go to `host` over plain http.
fn warn_plain(host: &str, what: &str) {
    eprintln!(
        "authscheme client: warning: {host} is plain http and not loopback; \
         {what} will not be sent (Digest still is)"
    );
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
