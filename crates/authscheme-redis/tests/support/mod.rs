//! A `redis-server` of the tests' own on a free loopback port, and a raw
//! HTTP/1.1 client that answers Digest challenges with `DigestClient`.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use authscheme::{Challenge, ClientCredentials, ClientRequest, ClientScheme, ClientSession};
use authscheme_digest::DigestClient;

/// A running `redis-server`, killed when dropped.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
    /// Settings given on the command line at each start.
    settings: Vec<String>,
}

/// Whether `redis-server` can be run here; if not, says so loudly.
pub fn redis_available(test: &str) -> bool {
    let found = Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        eprintln!("SKIPPED: redis-server not installed ({test})");
    }
    found
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl RedisServer {
    /// Starts a server without persistence on a free port, or `None` (with
    /// a SKIPPED line) when the binary is missing.
    pub fn start(test: &str) -> Option<Self> {
        Self::start_with(test, &[])
    }

    /// As [`start`](Self::start), with more settings (`["--requirepass",
    /// "pw"]`), kept for every restart.
    pub fn start_with(test: &str, settings: &[&str]) -> Option<Self> {
        if !redis_available(test) {
            return None;
        }
        let dir = std::env::temp_dir().join(format!(
            "authscheme-redis-{}-{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let mut server = Self {
            child: None,
            port: free_port(),
            dir,
            settings: settings.iter().map(|s| (*s).to_owned()).collect(),
        };
        server.restart();
        Some(server)
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Kills the server at once (SIGKILL: no goodbye to the clients).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Sends `signal` (`STOP`, `CONT`) to the server: a stopped server
    /// keeps its connections open and answers nothing, like a hung host.
    pub fn signal(&self, signal: &str) {
        let pid = self.child.as_ref().unwrap().id();
        let ok = Command::new("sh")
            .arg("-c")
            .arg(format!("kill -{signal} {pid}"))
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{signal} {pid}");
    }

    /// Starts the server again on the same port, empty.
    pub fn restart(&mut self) {
        self.kill();
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .args(&self.settings)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        self.wait_ready();
    }

    /// Starts the server again on the same port, empty, with these
    /// settings from now on.
    pub fn restart_with(&mut self, settings: &[&str]) {
        self.settings = settings.iter().map(|s| (*s).to_owned()).collect();
        self.restart();
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(1)));
                let mut buf = [0u8; 64];
                // A server with a password answers NOAUTH: up all the same.
                if s.write_all(b"PING\r\n").is_ok()
                    && s.read(&mut buf).is_ok_and(|n| {
                        buf[..n].starts_with(b"+PONG") || buf[..n].starts_with(b"-NOAUTH")
                    })
                {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A plain connection for inspecting keys.
    pub async fn inspect(&self) -> redis::aio::MultiplexedConnection {
        redis::Client::open(self.url())
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap()
    }

    /// `redis://:<password>@127.0.0.1:<port>/`.
    pub fn url_with_password(&self, password: &str) -> String {
        format!("redis://:{password}@127.0.0.1:{}/", self.port)
    }

    /// Runs one command as an administrator who knows `password` (`None`
    /// when the server has none), on a connection of its own.
    pub async fn admin(&self, password: Option<&str>, args: &[&str]) {
        let url = match password {
            Some(p) => self.url_with_password(p),
            None => self.url(),
        };
        let mut c = redis::Client::open(url)
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap();
        let mut command = redis::cmd(args[0]);
        for a in &args[1..] {
            command.arg(*a);
        }
        let _: redis::Value = command.query_async(&mut c).await.unwrap();
    }
}

/// What a [`Relay`] does to the next exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Cut {
    /// Nothing: bytes go through.
    Nothing = 0,
    /// The next bytes from the client are dropped with the connection:
    /// the command never reaches Redis.
    Request = 1,
    /// The next bytes from Redis are dropped with the connection: the
    /// command ran, its answer is lost.
    Reply = 2,
    /// From the next bytes from the client on, the connection goes silent
    /// and stays open: nothing reaches Redis, nothing comes back, as with
    /// a host gone without a word.
    Silence = 3,
}

/// A TCP relay in front of Redis that can break one exchange, as a dying
/// Redis or a network would.
pub struct Relay {
    port: u16,
    cut: std::sync::Arc<std::sync::atomic::AtomicU8>,
}

impl Relay {
    /// Relays a free loopback port to `redis_port`, on the current runtime.
    pub async fn start(redis_port: u16) -> Self {
        use std::sync::atomic::{AtomicU8, Ordering};
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let cut = std::sync::Arc::new(AtomicU8::new(Cut::Nothing as u8));
        let armed = cut.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let cut = armed.clone();
                tokio::spawn(async move {
                    let Ok(mut redis) =
                        tokio::net::TcpStream::connect(("127.0.0.1", redis_port)).await
                    else {
                        return;
                    };
                    let take = |what: Cut| {
                        cut.compare_exchange(
                            what as u8,
                            Cut::Nothing as u8,
                            Ordering::SeqCst,
                            Ordering::SeqCst,
                        )
                        .is_ok()
                    };
                    let (mut up, mut down) = ([0u8; 4096], [0u8; 4096]);
                    loop {
                        tokio::select! {
                            n = client.read(&mut up) => match n {
                                Ok(n) if n > 0 && take(Cut::Silence) => {
                                    while client.read(&mut up).await.is_ok_and(|n| n > 0) {}
                                    return;
                                }
                                Ok(n) if n > 0 && !take(Cut::Request) => {
                                    if redis.write_all(&up[..n]).await.is_err() {
                                        return;
                                    }
                                }
                                _ => return,
                            },
                            n = redis.read(&mut down) => match n {
                                Ok(n) if n > 0 && !take(Cut::Reply) => {
                                    if client.write_all(&down[..n]).await.is_err() {
                                        return;
                                    }
                                }
                                _ => return,
                            },
                        }
                    }
                });
            }
        });
        Self { port, cut }
    }

    /// `redis://127.0.0.1:<relay port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Breaks the next exchange as `cut` says.
    pub fn cut_next(&self, cut: Cut) {
        self.cut
            .store(cut as u8, std::sync::atomic::Ordering::SeqCst);
    }

    /// Whether the cut was made.
    pub fn cut_made(&self) -> bool {
        self.cut.load(std::sync::atomic::Ordering::SeqCst) == Cut::Nothing as u8
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A response as read off the wire.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Sends one `GET` over a fresh connection, with `Connection: close`.
pub fn get(addr: SocketAddr, path: &str, authorization: Option<&str>) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(a) = authorization {
        req.push_str(&format!("Authorization: {a}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// As [`get`], off the async runtime's worker threads.
pub async fn get_async(addr: SocketAddr, path: &str, authorization: Option<String>) -> Response {
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || get(addr, &path, authorization.as_deref()))
        .await
        .unwrap()
}

/// A Digest client session started from the first challenge of a 401.
pub struct DigestUserAgent {
    session: Box<dyn ClientSession>,
}

impl DigestUserAgent {
    /// Asks `addr` for `path` without credentials and takes its challenge.
    pub async fn challenged_by(addr: SocketAddr, path: &str, user: &str, password: &str) -> Self {
        let r = get_async(addr, path, None).await;
        assert_eq!(r.status, 401, "{r:?}");
        let line = r.header("www-authenticate").unwrap();
        Self::from_challenge(line, user, password)
    }

    pub fn from_challenge(line: &str, user: &str, password: &str) -> Self {
        let challenges = authscheme::syntax::parse_challenges(line.as_bytes()).unwrap();
        let challenge: &Challenge<'_> = challenges.first().unwrap();
        let creds = ClientCredentials::password(user, password);
        let session = DigestClient::new().start(challenge, &creds).unwrap();
        Self { session }
    }

    /// The `Authorization` value for the next request (next `nc`).
    pub fn authorize(&mut self, path: &str) -> String {
        let creds = self
            .session
            .authorize(&ClientRequest::new("GET", path))
            .unwrap();
        creds.to_string()
    }
}

/// Log lines captured from `tracing` by a binary-wide subscriber, for
/// tests that check what an operator would read.
#[derive(Clone, Default)]
pub struct Logs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

struct LogWriter(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    /// A writer appending to these logs.
    pub fn writer(&self) -> impl Write + use<> {
        LogWriter(self.0.clone())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// The lines at `level` (`WARN`, `ERROR`, `INFO`).
    pub fn lines_at(&self, level: &str) -> Vec<String> {
        self.text()
            .lines()
            .filter(|l| l.contains(level))
            .map(str::to_owned)
            .collect()
    }
}
