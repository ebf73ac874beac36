//! `authscheme serve`: a demo server with embedded users on axum, actix-web
//! or warp, the same routes and the same answers on each.
//!
//! Start-up prints, on stdout, two development JWTs and a ready-to-paste
//! curl command per route; every request is logged on stderr (route,
//! scheme, outcome, user; never a secret). Exit status: 0 after Ctrl-C or
//! SIGTERM, 1 when the address cannot be bound or the server fails, 2 for
//! an unusable option.

mod actix_app;
mod axum_app;
mod connections;
mod identity;
mod log;
mod routes;
mod schemes;
mod warp_app;

use std::fmt;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use authscheme_bearer::jwt::{Algorithm as JwtAlgorithm, SigningKey, TokenMint};
use authscheme_digest::{Algorithm, NonceSecret, NonceStore};
use authscheme_redis::{RedisNonceStore, RedisStoreError};

use routes::{Guard, ROUTES, Site};
use schemes::{EMBEDDED_USERS, SchemeConfig};

/// The HS256 secret when `--jwt-secret` is not given. It is public (it is
/// in the source), so tokens signed with it prove nothing: a warning says so.
const DEV_JWT_SECRET: &str = "authscheme-development-secret-do-not-use-in-production";

/// The most `--workers` any framework takes: actix-web panics above 512.
const MAX_WORKERS: NonZeroUsize = NonZeroUsize::new(512).expect("512 is not zero");

/// How long the printed development JWTs are good for.
const DEV_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// Arguments of `authscheme serve`.
#[derive(clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
    /// Web framework to serve with (the answers are the same on each).
    #[arg(long, value_enum, default_value_t = Framework::Axum)]
    framework: Framework,
    /// Worker threads (default: the number of cores).
    #[arg(long, value_name = "N")]
    workers: Option<NonZeroUsize>,
    /// The realm of every challenge.
    #[arg(long, value_name = "R", default_value = "authscheme")]
    realm: String,
    /// Apache htpasswd file whose users replace the embedded Basic users.
    #[arg(long, value_name = "FILE")]
    htpasswd: Option<PathBuf>,
    /// Apache htdigest file whose users replace the embedded Digest users
    /// (MD5 only, so MD5 must be among --digest-algorithms).
    #[arg(long, value_name = "FILE")]
    htdigest: Option<PathBuf>,
    /// HS256 secret for JWTs (default: a fixed development secret).
    #[arg(long, value_name = "S")]
    jwt_secret: Option<String>,
    /// Also accept this static bearer token, as user `service` with no scopes.
    #[arg(long, value_name = "T")]
    bearer_token: Option<String>,
    /// Digest algorithms to offer, in order (MD5, SHA-256, SHA-512-256 and
    /// their -sess forms).
    #[arg(long, value_name = "LIST", default_value = "SHA-256,MD5")]
    digest_algorithms: String,
    /// Secret (at least 32 bytes) signing Digest nonces, to share them
    /// across instances (default: random per start).
    #[arg(long, value_name = "S")]
    nonce_secret: Option<String>,
    /// How long a Digest nonce is good for.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    nonce_lifetime: u64,
    /// Redis URL (`redis://host:port/db`) where instances share Digest
    /// replay state; give them the same --nonce-secret too.
    #[arg(long, value_name = "URL")]
    redis: Option<String>,
}

impl fmt::Debug for ServeArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |s: &Option<String>| s.as_ref().map(|_| "<redacted>");
        f.debug_struct("ServeArgs")
            .field("addr", &self.addr)
            .field("framework", &self.framework)
            .field("workers", &self.workers)
            .field("realm", &self.realm)
            .field("htpasswd", &self.htpasswd)
            .field("htdigest", &self.htdigest)
            .field("jwt_secret", &redacted(&self.jwt_secret))
            .field("bearer_token", &redacted(&self.bearer_token))
            .field("digest_algorithms", &self.digest_algorithms)
            .field("nonce_secret", &redacted(&self.nonce_secret))
            .field("nonce_lifetime", &self.nonce_lifetime)
            .field("redis", &redacted(&self.redis))
            .finish()
    }
}

/// The web frameworks the demo runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Framework {
    Axum,
    Actix,
    Warp,
}

impl Framework {
    fn name(self) -> &'static str {
        match self {
            Framework::Axum => "axum",
            Framework::Actix => "actix-web",
            Framework::Warp => "warp",
        }
    }
}

/// Why start-up failed, and the exit status that says so.
enum Failure {
    /// An option cannot be used: exit 2.
    Usage(String),
    /// The address cannot be bound or the server failed: exit 1.
    Runtime(String),
}

pub(crate) fn run(args: ServeArgs) -> ExitCode {
    log::init();
    match start(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("authscheme serve: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Runtime(message)) => {
            eprintln!("authscheme serve: {message}");
            ExitCode::from(1)
        }
    }
}

fn start(args: ServeArgs) -> Result<(), Failure> {
    let addr = resolve(&args.addr)?;
    let algorithms = parse_algorithms(&args.digest_algorithms)?;
    let nonce_secret = match &args.nonce_secret {
        Some(s) => Some(NonceSecret::from_bytes(s.as_bytes()).ok_or_else(|| {
            Failure::Usage("--nonce-secret must be at least 32 bytes long".into())
        })?),
        None => None,
    };
    if args.nonce_lifetime == 0 {
        return Err(Failure::Usage(
            "--nonce-lifetime must be at least 1 second".into(),
        ));
    }
    let jwt_secret = match &args.jwt_secret {
        // RFC 7518 section 3.2: an HS256 secret as long as the hash.
        Some(s) if s.len() < 32 => {
            return Err(Failure::Usage(
                "--jwt-secret must be at least 32 bytes (RFC 7518 section 3.2 for HS256)".into(),
            ));
        }
        Some(s) => s.as_str(),
        None => {
            eprintln!(
                "authscheme serve: warning: signing and accepting JWTs with the fixed \
                 development secret, which is public; pass --jwt-secret for anything but a demo"
            );
            DEV_JWT_SECRET
        }
    };
    if args.bearer_token.as_deref().is_some_and(str::is_empty) {
        return Err(Failure::Usage("--bearer-token must not be empty".into()));
    }
    // RFC 6750 section 2.1: a client sends `Bearer` and one b64token; any
    // other value could never be presented.
    if let Some(token) = args.bearer_token.as_deref()
        && !authscheme::syntax::is_token68(token.as_bytes())
    {
        return Err(Failure::Usage(
            "--bearer-token must be a b64token (letters, digits, -._~+/ then any =), \
             as RFC 6750 section 2.1 sends it"
                .into(),
        ));
    }
    let workers = match args.workers {
        Some(n) if n > MAX_WORKERS => {
            return Err(Failure::Usage(format!(
                "--workers must be between 1 and {MAX_WORKERS}"
            )));
        }
        Some(n) => n,
        None => std::thread::available_parallelism()
            .unwrap_or(NonZeroUsize::MIN)
            .min(MAX_WORKERS),
    };

    // Connected before anything is printed, so a wrong URL fails at once.
    let replay = args.redis.as_deref().map(connect_redis).transpose()?;
    if replay.is_some() && args.nonce_secret.is_none() {
        eprintln!(
            "authscheme serve: warning: --redis without --nonce-secret: other instances \
             cannot verify this instance's nonces; give them all the same --nonce-secret"
        );
    }

    let built = schemes::build(SchemeConfig {
        realm: &args.realm,
        htpasswd: args.htpasswd.as_deref(),
        htdigest: args.htdigest.as_deref(),
        jwt_secret: jwt_secret.as_bytes(),
        bearer_token: args.bearer_token.as_deref(),
        digest_algorithms: &algorithms,
        nonce_secret,
        nonce_lifetime: Duration::from_secs(args.nonce_lifetime),
        nonce_store: replay
            .as_ref()
            .map(|r| (Arc::clone(&r.store), r.server.clone())),
    })
    .map_err(Failure::Usage)?;
    let tokens = dev_tokens(jwt_secret).map_err(Failure::Usage)?;
    let site = Site::new(built.guards, &built.details);

    let listener = TcpListener::bind(addr).map_err(|e| {
        Failure::Runtime(format!(
            "cannot listen on {addr}: {e}; is another server running there? \
             Choose another address with --addr"
        ))
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Failure::Runtime(format!("cannot use the socket: {e}")))?;
    let local = listener.local_addr().unwrap_or(addr);
    print_banner(&args, local, workers, &tokens);

    let served = match args.framework {
        Framework::Actix => actix_app::serve(listener, site, workers),
        Framework::Axum | Framework::Warp => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(workers.get())
                .enable_all()
                .build()
                .map_err(|e| Failure::Runtime(format!("cannot start the runtime: {e}")))?;
            runtime.block_on(async move {
                if args.framework == Framework::Axum {
                    axum_app::serve(listener, site, shutdown_signal()).await
                } else {
                    warp_app::serve(listener, site, shutdown_signal()).await
                }
            })
        }
    };
    served.map_err(|e| Failure::Runtime(format!("the server failed: {e}")))?;
    tracing::info!("stopped");
    // The Redis connection's runtime goes last, after every request is done.
    drop(replay);
    Ok(())
}

/// Digest replay state in Redis, with the runtime that drives the
/// connection: its own, so that it serves every framework's workers alike
/// and lives as long as the server.
struct SharedReplay {
    store: Arc<dyn NonceStore>,
    /// Host, port and database, without credentials, for the index page.
    server: String,
    _runtime: tokio::runtime::Runtime,
}

fn connect_redis(url: &str) -> Result<SharedReplay, Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("redis")
        .enable_all()
        .build()
        .map_err(|e| Failure::Runtime(format!("cannot start the Redis runtime: {e}")))?;
    // The error names the server without credentials, never the URL.
    let store = runtime
        .block_on(RedisNonceStore::connect(url))
        .map_err(|e| match e {
            RedisStoreError::InvalidUrl { .. } => Failure::Usage(format!("--redis: {e}")),
            e => Failure::Runtime(format!("--redis: {e}")),
        })?;
    let server = store.server().to_owned();
    tracing::info!(server = %server, "Digest replay state is shared in Redis");
    Ok(SharedReplay {
        store: Arc::new(store),
        server,
        _runtime: runtime,
    })
}

/// The first address `addr` resolves to.
fn resolve(addr: &str) -> Result<SocketAddr, Failure> {
    addr.to_socket_addrs()
        .ok()
        .and_then(|mut all| all.next())
        .ok_or_else(|| {
            Failure::Usage(format!(
                "--addr {addr:?} is not an address to listen on (try 127.0.0.1:8080)"
            ))
        })
}

/// `SHA-512-256,SHA-256,MD5` in that order; unknown names are refused.
fn parse_algorithms(list: &str) -> Result<Vec<Algorithm>, Failure> {
    let mut out = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let alg = Algorithm::parse(name).ok_or_else(|| {
            let known: Vec<&str> = Algorithm::ALL.iter().map(|a| a.as_str()).collect();
            Failure::Usage(format!(
                "--digest-algorithms: unknown algorithm {name:?} (known: {})",
                known.join(", ")
            ))
        })?;
        if !out.contains(&alg) {
            out.push(alg);
        }
    }
    if out.is_empty() {
        return Err(Failure::Usage(
            "--digest-algorithms needs at least one algorithm".into(),
        ));
    }
    Ok(out)
}

/// The two development JWTs for alice: scope `read`, and `read admin`.
struct DevTokens {
    read: String,
    admin: String,
}

fn dev_tokens(secret: &str) -> Result<DevTokens, String> {
    let key = SigningKey::secret(secret.as_bytes());
    let mint = |scope: &str| {
        TokenMint::new("alice")
            .scope(scope)
            .lifetime(DEV_TOKEN_LIFETIME)
            .sign(JwtAlgorithm::HS256, &key)
            .map_err(|e| format!("cannot sign the development tokens: {e}"))
    };
    Ok(DevTokens {
        read: mint("read")?,
        admin: mint("read admin")?,
    })
}

/// What the server offers, on stdout: the tokens and a curl command per
/// route. Scripts read the token lines (`  read: <jwt>`). A stdout nobody
/// reads does not stop the server, so a failure to write is ignored.
fn print_banner(args: &ServeArgs, local: SocketAddr, workers: NonZeroUsize, tokens: &DevTokens) {
    let banner = banner(args, local, workers, tokens);
    let _ = crate::output::print("serve", banner, ExitCode::SUCCESS);
}

fn banner(
    args: &ServeArgs,
    local: SocketAddr,
    workers: NonZeroUsize,
    tokens: &DevTokens,
) -> String {
    let base = format!("http://{}", loopback_if_unspecified(local));
    let mut lines = vec![
        format!(
            "authscheme serve: {} on {base} (realm {:?}, {} worker{})",
            args.framework.name(),
            args.realm,
            workers,
            if workers.get() == 1 { "" } else { "s" }
        ),
        String::new(),
    ];
    if args.htpasswd.is_none() || args.htdigest.is_none() {
        lines.push("Embedded users (Basic and Digest, unless replaced by a file):".into());
        for (user, password) in EMBEDDED_USERS {
            lines.push(format!("  {user:<10} {password}"));
        }
        lines.push(String::new());
    }
    lines.push(format!(
        "Development JWTs for alice (HS256, valid {} hours):",
        DEV_TOKEN_LIFETIME.as_secs() / 3600
    ));
    lines.push(format!("  read:        {}", tokens.read));
    lines.push(format!("  read admin:  {}", tokens.admin));
    if args.bearer_token.is_some() {
        lines.push("  The --bearer-token value is accepted too (user service, no scopes).".into());
    }
    lines.push(String::new());
    lines.push("Try:".into());
    let basic_user = if args.htpasswd.is_some() {
        "USER:PASSWORD"
    } else {
        "alice:wonderland"
    };
    let digest_user = if args.htdigest.is_some() {
        "USER:PASSWORD"
    } else {
        "alice:wonderland"
    };
    for route in ROUTES {
        let url = format!("{base}{}", route.path);
        let command = match route.guard {
            Guard::Public => format!("curl {url}"),
            Guard::Basic => format!("curl -u '{basic_user}' {url}"),
            Guard::Digest => format!("curl --digest -u '{digest_user}' {url}"),
            Guard::Bearer => format!("curl -H 'Authorization: Bearer {}' {url}", tokens.read),
            Guard::Any => format!("curl --anyauth -u '{basic_user}' {url}"),
            Guard::Admin => format!("curl -H 'Authorization: Bearer {}' {url}", tokens.admin),
        };
        lines.push(format!("  {command}"));
    }
    lines.push(String::new());
    lines.push("Requests are logged on stderr. Stop with Ctrl-C.".into());
    lines.push(String::new());
    lines.join("\n")
}

/// `0.0.0.0:8080` is not something to send curl to; `127.0.0.1:8080` is.
fn loopback_if_unspecified(addr: SocketAddr) -> SocketAddr {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        match addr {
            SocketAddr::V4(_) => addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into()),
            SocketAddr::V6(_) => addr.set_ip(std::net::Ipv6Addr::LOCALHOST.into()),
        }
    }
    addr
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
