//! `authscheme serve` from the outside: the built binary on each framework,
//! every route, curl (and Python requests/httpx when installed) as clients,
//! and the three frameworks compared challenge for challenge.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use authscheme::syntax::parse_challenges;
use authscheme::{ClientCredentials, ClientRequest, ClientScheme, ClientSession};
use authscheme_digest::DigestClient;
use authscheme_testkit::RawResponse;

const FRAMEWORKS: [&str; 3] = ["axum", "actix", "warp"];

/// The embedded users, as the README lists them.
const USERS: [(&str, &str); 4] = [
    ("alice", "wonderland"),
    ("Jäsøn Doe", "Secret, or not?"),
    ("bob", "pass:with:colons"),
    ("carol", "naïve café"),
];

/// A running `authscheme serve`, killed on drop.
struct Server {
    child: Child,
    addr: String,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts the binary with `args` on a free port and waits until it
    /// answers.
    fn start(framework: &str, args: &[&str]) -> Server {
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_authscheme"))
            .args([
                "serve",
                "--framework",
                framework,
                "--addr",
                &addr,
                "--workers",
                "2",
            ])
            .args(args)
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the authscheme binary starts");
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let out = child.stdout.take().unwrap();
        let lines = Arc::clone(&stdout);
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                lines.lock().unwrap().push(line);
            }
        });
        let err = child.stderr.take().unwrap();
        let text = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                let mut text = text.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
        let mut server = Server {
            child,
            addr,
            stdout,
            stderr,
        };
        server.wait_until_ready();
        server
    }

    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("serve exited with {status}: {}", self.stderr());
            }
            let banner_done = self
                .stdout
                .lock()
                .unwrap()
                .iter()
                .any(|l| l.contains("Stop with Ctrl-C"));
            if banner_done && TcpStream::connect(&self.addr).is_ok() {
                let r = self.get("/open", &[]);
                if r.status == 200 {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "serve did not answer in time");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn stdout(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The log once it holds `needle`: a line written after the response
    /// went out reaches the reading thread a moment later. Gives up after
    /// ten seconds and returns what there is.
    fn stderr_once_it_has(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let log = self.stderr();
            if log.contains(needle) || Instant::now() > deadline {
                return log;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The development JWT printed after `label:` (`read` or `read admin`).
    fn token(&self, label: &str) -> String {
        let prefix = format!("{label}:");
        self.stdout()
            .iter()
            .find_map(|l| {
                l.trim()
                    .strip_prefix(&prefix)
                    .map(|t| t.trim().to_owned())
                    .filter(|t| t.starts_with("eyJ"))
            })
            .unwrap_or_else(|| panic!("no {label} token in {:#?}", self.stdout()))
    }

    fn get(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        raw_request(&self.addr, "GET", path, headers, b"")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// What came back, as sent on the wire.
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn all(&self, name: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn challenges(&self) -> Vec<String> {
        self.all("www-authenticate")
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request on its own connection; the answer's octets, read
/// to EOF.
fn exchange(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body);
    stream.write_all(&bytes).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    answer
}

/// One HTTP/1.1 request on its own connection, its answer parsed.
fn raw_request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let answer = exchange(addr, method, path, headers, body);
    let reply = RawResponse::parse(&answer).expect("a complete HTTP/1.1 response");
    Response {
        status: reply.status,
        headers: reply
            .headers
            .into_iter()
            .map(|(n, v)| (n, String::from_utf8_lossy(&v).into_owned()))
            .collect(),
        body: reply.body,
    }
}

/// The challenges with the per-instance values (nonce, opaque) blanked.
fn normalized(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|line| {
            let mut out = line.clone();
            for name in ["nonce", "opaque"] {
                let key = format!("{name}=\"");
                let mut from = 0;
                while let Some(at) = out[from..].find(&key) {
                    let start = from + at + key.len();
                    let end = start + out[start..].find('"').unwrap();
                    out.replace_range(start..end, "*");
                    from = start + 1;
                }
            }
            out
        })
        .collect()
}

fn have(binary: &str) -> bool {
    let found = Command::new(binary)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        eprintln!("SKIPPED: {binary} not installed");
    }
    found
}

/// `curl ARGS URL`: the status and the body.
fn curl(args: &[&str], url: &str) -> (u16, String) {
    let out = Command::new("curl")
        .args(["-sS", "--max-time", "20", "-w", "\n%{http_code}"])
        .args(args)
        .arg(url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "curl failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let (body, code) = text.rsplit_once('\n').unwrap();
    (code.parse().unwrap(), body.to_owned())
}

fn basic_line(realm: &str) -> String {
    format!("Basic realm=\"{realm}\", charset=\"UTF-8\"")
}

fn digest_line(realm: &str, algorithm: &str, userhash: bool) -> String {
    let userhash = if userhash { ", userhash=true" } else { "" };
    format!(
        "Digest realm=\"{realm}\", qop=\"auth, auth-int\", algorithm={algorithm}, nonce=\"*\", opaque=\"*\", charset=UTF-8{userhash}"
    )
}

fn bearer_line(realm: &str) -> String {
    format!("Bearer realm=\"{realm}\"")
}

/// The exact challenges of each protected route, for the default setup.
fn expected_challenges(path: &str) -> Vec<String> {
    let r = "authscheme";
    let digest = || vec![digest_line(r, "SHA-256", true), digest_line(r, "MD5", true)];
    match path {
        "/basic" => vec![basic_line(r)],
        "/digest" => digest(),
        "/bearer" => vec![bearer_line(r)],
        // The scope /admin needs, so that a client knows what to ask for.
        "/admin" => vec![format!("{}, scope=\"admin\"", bearer_line(r))],
        "/any" => {
            let mut all = vec![basic_line(r)];
            all.extend(digest());
            all.push(bearer_line(r));
            all
        }
        _ => unreachable!(),
    }
}

/// Every route of one framework, with the default users and tokens.
fn serves_every_route(framework: &str) {
    let server = Server::start(framework, &[]);

    // Public routes.
    let index = server.get("/", &[]);
    assert_eq!(index.status, 200);
    for path in ["/open", "/basic", "/digest", "/bearer", "/any", "/admin"] {
        assert!(
            index.text().contains(path),
            "index lists {path}: {}",
            index.text()
        );
    }
    let open = server.get("/open", &[]);
    assert_eq!((open.status, open.text().as_str()), (200, "ok"));

    // 401 challenges, exactly.
    for path in ["/basic", "/digest", "/bearer", "/any", "/admin"] {
        let r = server.get(path, &[]);
        assert_eq!(r.status, 401, "{framework} {path}");
        assert_eq!(
            normalized(&r.challenges()),
            expected_challenges(path),
            "{framework} {path}"
        );
        // Each line is valid challenge syntax.
        for line in r.challenges() {
            parse_challenges(line.as_bytes()).unwrap();
        }
    }

    // Bearer with the printed development tokens.
    let read = server.token("read");
    let admin = server.token("read admin");
    let bearer = |token: &str| format!("Bearer {token}");
    let r = server.get("/bearer", &[("Authorization", &bearer(&read))]);
    assert_eq!(
        (r.status, r.text().as_str()),
        (200, "hello alice via Bearer")
    );
    let r = server.get("/any", &[("Authorization", &bearer(&admin))]);
    assert_eq!(
        (r.status, r.text().as_str()),
        (200, "hello alice via Bearer")
    );
    let r = server.get("/admin", &[("Authorization", &bearer(&read))]);
    assert_eq!(r.status, 403, "{framework}: read-only token on /admin");
    assert_eq!(r.challenges().len(), 1);
    assert!(
        r.challenges()[0].contains("error=\"insufficient_scope\""),
        "{:?}",
        r.challenges()
    );
    assert!(
        r.challenges()[0].contains("scope=\"admin\""),
        "{:?}",
        r.challenges()
    );
    let r = server.get("/admin", &[("Authorization", &bearer(&admin))]);
    assert_eq!(
        (r.status, r.text().as_str()),
        (200, "hello alice via Bearer")
    );
    let forged = format!("{}x", &admin[..admin.len() - 1]);
    let r = server.get("/bearer", &[("Authorization", &bearer(&forged))]);
    assert_eq!(r.status, 401);
    assert!(r.challenges()[0].contains("error=\"invalid_token\""));
    // Bearer is not Basic.
    let r = server.get("/basic", &[("Authorization", &bearer(&admin))]);
    assert_eq!(r.status, 401);

    // Digest qop=auth-int through the framework's body buffering, with the
    // Digest client of this workspace.
    for (method, body) in [("POST", &b"some body"[..]), ("GET", &b""[..])] {
        let (user, password) = USERS[1];
        let denied = raw_request(&server.addr, method, "/digest", &[], body);
        let lines = denied.challenges();
        let challenge = parse_challenges(lines[0].as_bytes()).unwrap().remove(0);
        let creds = ClientCredentials::password(user, password);
        let mut session = DigestClient::new().start(&challenge, &creds).unwrap();
        let value = session
            .authorize(&ClientRequest::new(method, "/digest").with_body(body))
            .unwrap()
            .to_string();
        let r = raw_request(
            &server.addr,
            method,
            "/digest",
            &[("Authorization", &value)],
            body,
        );
        assert_eq!(r.status, 200, "{framework} {method} auth-int: {value}");
        assert_eq!(r.text(), format!("hello {user} via Digest"));
        // auth-int's rspauth would cover the response body, so the answer
        // names no qop (RFC 7616 section 3.5) and, with a fresh nonce, has
        // no Authentication-Info at all.
        assert_eq!(r.all("authentication-info"), Vec::<String>::new());
        assert!(value.contains("qop=auth-int"), "{value}");
    }

    if have("curl") {
        for (user, password) in USERS {
            let up = format!("{user}:{password}");
            let hello_basic = format!("hello {user} via Basic");
            let hello_digest = format!("hello {user} via Digest");
            assert_eq!(
                curl(&["-u", &up], &server.url("/basic")),
                (200, hello_basic.clone())
            );
            assert_eq!(
                curl(&["-u", &up, "-d", "x=1"], &server.url("/basic")),
                (200, hello_basic.clone())
            );
            assert_eq!(curl(&["-u", &up], &server.url("/any")), (200, hello_basic));
            assert_eq!(
                curl(&["--digest", "-u", &up], &server.url("/digest")),
                (200, hello_digest.clone()),
                "{framework} digest {user}"
            );
            assert_eq!(
                curl(
                    &["--digest", "-u", &up, "-d", "x=1"],
                    &server.url("/digest")
                ),
                (200, hello_digest.clone())
            );
            assert_eq!(
                curl(&["--digest", "-u", &up], &server.url("/any")),
                (200, hello_digest)
            );
            let wrong = format!("{user}:{password}!");
            assert_eq!(curl(&["-u", &wrong], &server.url("/basic")).0, 401);
            assert_eq!(
                curl(&["--digest", "-u", &wrong], &server.url("/digest")).0,
                401
            );
        }
        // Every printed curl command works as pasted.
        let commands: Vec<String> = server
            .stdout()
            .iter()
            .map(|l| l.trim().to_owned())
            .filter(|l| l.starts_with("curl "))
            .collect();
        assert_eq!(commands.len(), 7, "one command per route: {commands:?}");
        for command in commands {
            let out = Command::new("sh")
                .arg("-c")
                .arg(format!("{command} -sS -w '\\n%{{http_code}}'"))
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                text.ends_with("\n200"),
                "{framework}: {command} gave {text}"
            );
            if !command.ends_with('/') && !command.ends_with("/open") {
                assert!(text.contains("hello alice via "), "{command} gave {text}");
            }
        }
        // Basic credentials on the Digest-only route are not accepted.
        assert_eq!(
            curl(&["-u", "alice:wonderland"], &server.url("/digest")).0,
            401
        );
        // Unknown users cost the same and fail the same.
        assert_eq!(
            curl(&["-u", "mallory:wonderland"], &server.url("/basic")).0,
            401
        );
    }
    python_digest(&server, framework);
    wget_digest(&server, framework);
    java_clients(&server, framework);

    // The log: one line per request with route, scheme, outcome and user;
    // never a password or token.
    let log = server.stderr();
    assert!(
        log.lines().any(|l| l.contains("route=/bearer ")
            && l.contains("scheme=Bearer ")
            && l.contains("outcome=ok ")
            && l.contains("user=\"alice\"")),
        "{log}"
    );
    assert!(
        log.lines()
            .any(|l| l.contains("route=/admin ") && l.contains("outcome=forbidden ")),
        "{log}"
    );
    for secret in ["wonderland", "pass:with:colons", &read[20..], &admin[20..]] {
        assert!(!log.contains(secret), "the log holds a secret: {log}");
    }
}

/// GNU Wget answers Digest in the RFC 2069 form (no qop) when the challenge
/// offers auth-int, and with qop=auth otherwise: serve takes both.
fn wget_digest(server: &Server, framework: &str) {
    if !have("wget") {
        return;
    }
    for (user, password) in [USERS[0], USERS[2], USERS[1]] {
        let out = Command::new("wget")
            .args(["-q", "-O", "-", "--timeout=20", "--tries=1"])
            .args(["--user", user, "--password", password])
            .arg(server.url("/digest"))
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            format!("hello {user} via Digest"),
            "{framework}: wget as {user}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let wrong = Command::new("wget")
        .args(["-q", "-O", "-", "--timeout=20", "--tries=1"])
        .args(["--user", USERS[0].0, "--password", "not the password"])
        .arg(server.url("/digest"))
        .output()
        .unwrap();
    assert!(
        !wrong.status.success(),
        "{framework}: wget with a wrong password"
    );
}

/// Java's `HttpURLConnection` (run as a single-file program) answers Basic
/// and Digest through its `Authenticator`, twice per route so the second
/// request reuses what the first learned.
///
/// Only an ASCII user is checked: Java 17 sends a non-ASCII user name as
/// UTF-8 but hashes it as ISO-8859-1, which no RFC 7616 server accepts.
fn java_clients(server: &Server, framework: &str) {
    // Running a source file needs the JDK's compiler, not just a runtime.
    if !have("java") || !have("javac") {
        return;
    }
    let dir = std::env::temp_dir().join(format!(
        "authscheme-java-{}-{framework}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("Get.java");
    std::fs::write(
        &source,
        r#"import java.net.*;
public class Get {
  public static void main(String[] a) throws Exception {
    Authenticator.setDefault(new Authenticator() {
      protected PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(a[1], a[2].toCharArray());
      }
    });
    for (int i = 0; i < 2; i++) {
      HttpURLConnection c = (HttpURLConnection) new URL(a[0]).openConnection();
      System.out.println(c.getResponseCode() + " " + new String(c.getInputStream().readAllBytes(), "UTF-8"));
    }
  }
}
"#,
    )
    .unwrap();
    let (user, password) = USERS[0];
    for (route, scheme) in [("/basic", "Basic"), ("/digest", "Digest"), ("/any", "")] {
        let out = Command::new("java")
            .arg(&source)
            .args([server.url(route).as_str(), user, password])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines.len(),
            2,
            "{framework} {route}: {text} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for line in lines {
            assert!(
                line.starts_with(&format!("200 hello {user} via {scheme}")),
                "{framework} {route}: {line}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Python requests and httpx answer the Digest challenge too.
fn python_digest(server: &Server, framework: &str) {
    if !have("python3") {
        return;
    }
    for (module, script) in [
        (
            "requests",
            "import sys, requests\nfrom requests.auth import HTTPDigestAuth\nr = requests.get(sys.argv[1], auth=HTTPDigestAuth(sys.argv[2], sys.argv[3]))\nprint(r.status_code, r.text)",
        ),
        (
            "httpx",
            "import sys, httpx\nr = httpx.get(sys.argv[1], auth=httpx.DigestAuth(sys.argv[2], sys.argv[3]))\nprint(r.status_code, r.text)",
        ),
    ] {
        let found = Command::new("python3")
            .args(["-c", &format!("import {module}")])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            eprintln!("SKIPPED: python3-{module} not installed");
            continue;
        }
        // requests sends a non-ASCII name as ISO-8859-1 octets (and hashes
        // it as UTF-8), which the server reads as ISO-8859-1; httpx cannot
        // send one at all (it encodes the header as ASCII).
        let users: &[(&str, &str)] = match module {
            "requests" => &[USERS[0], USERS[2], USERS[1]],
            _ => &[USERS[0], USERS[2]],
        };
        for &(user, password) in users {
            let out = Command::new("python3")
                .args(["-c", script, &server.url("/digest"), user, password])
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            assert_eq!(
                text.trim(),
                format!("200 hello {user} via Digest"),
                "{framework} {module}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn axum_serves_every_route() {
    serves_every_route("axum");
}

#[test]
fn actix_serves_every_route() {
    serves_every_route("actix");
}

#[test]
fn warp_serves_every_route() {
    serves_every_route("warp");
}

/// A request: method, path, header fields.
type Case<'a> = (&'a str, &'a str, Vec<(&'a str, String)>);

/// The same requests get the same status and challenges, byte for byte
/// (nonce and opaque aside), from all three frameworks.
#[test]
fn frameworks_answer_identically() {
    let servers: Vec<Server> = FRAMEWORKS
        .iter()
        .map(|f| Server::start(f, &["--digest-algorithms", "SHA-512-256,SHA-256,MD5"]))
        .collect();
    let read = servers[0].token("read");
    let admin = servers[0].token("read admin");
    let cases: Vec<Case<'_>> = vec![
        ("GET", "/", vec![]),
        ("GET", "/open", vec![]),
        ("GET", "/basic", vec![]),
        ("POST", "/basic", vec![]),
        (
            "GET",
            "/basic",
            vec![("Authorization", "Basic YWxpY2U6d29uZGVybGFuZA==".into())],
        ),
        (
            "GET",
            "/basic",
            vec![("Authorization", "Basic YWxpY2U6bm9wZQ==".into())],
        ),
        ("GET", "/basic", vec![("Authorization", "Basic !!!".into())]),
        ("GET", "/basic", vec![("Authorization", "Basic a b".into())]),
        ("GET", "/digest", vec![]),
        ("POST", "/digest", vec![]),
        (
            "GET",
            "/digest",
            vec![("Authorization", "Digest username=\"alice\"".into())],
        ),
        ("GET", "/bearer", vec![]),
        (
            "GET",
            "/bearer",
            vec![("Authorization", format!("Bearer {read}"))],
        ),
        (
            "GET",
            "/bearer",
            vec![("Authorization", "Bearer not-a-jwt".into())],
        ),
        ("GET", "/bearer", vec![("Authorization", "Bearer".into())]),
        ("GET", "/any", vec![]),
        (
            "GET",
            "/any",
            vec![("Authorization", "Basic YWxpY2U6bm9wZQ==".into())],
        ),
        (
            "GET",
            "/any",
            vec![("Authorization", "Negotiate abc".into())],
        ),
        ("GET", "/admin", vec![]),
        (
            "GET",
            "/admin",
            vec![("Authorization", format!("Bearer {read}"))],
        ),
        (
            "GET",
            "/admin",
            vec![("Authorization", format!("Bearer {admin}"))],
        ),
    ];
    for (method, path, headers) in &cases {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let answers: Vec<(u16, Vec<String>, String)> = servers
            .iter()
            .map(|s| {
                let r = raw_request(&s.addr, method, path, &headers, b"");
                (r.status, normalized(&r.challenges()), r.text())
            })
            .collect();
        for (framework, answer) in FRAMEWORKS.iter().zip(&answers).skip(1) {
            assert_eq!(
                answer, &answers[0],
                "{framework} vs axum on {method} {path} {headers:?}"
            );
        }
    }
    // The Digest order follows --digest-algorithms.
    let r = servers[1].get("/digest", &[]);
    let algorithms: Vec<String> = r
        .challenges()
        .iter()
        .map(|c| {
            c.split("algorithm=")
                .nth(1)
                .unwrap()
                .split(',')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(algorithms, ["SHA-512-256", "SHA-256", "MD5"]);
}

/// A request (method, path, header fields) and the status and `Allow`
/// expected.
type RoutingCase<'a> = (
    &'a str,
    &'a str,
    &'a [(&'a str, &'a str)],
    u16,
    Option<&'a str>,
);

/// Routing is the same on all three: GET routes serve HEAD (RFC 9110
/// section 9.1), a method a route does not serve is a 405 with `Allow`
/// (section 15.5.6), and a path matches only as written: no trailing
/// slash, no percent-encoded letters.
#[test]
fn frameworks_route_alike() {
    let servers: Vec<Server> = FRAMEWORKS.iter().map(|f| Server::start(f, &[])).collect();
    let alice = [("Authorization", "Basic YWxpY2U6d29uZGVybGFuZA==")];
    let cases: [RoutingCase<'_>; 13] = [
        ("HEAD", "/", &[], 200, None),
        ("HEAD", "/open", &[], 200, None),
        ("HEAD", "/basic", &[], 401, None),
        ("HEAD", "/basic", &alice, 200, None),
        ("PUT", "/basic", &[], 405, Some("GET,HEAD,POST")),
        ("DELETE", "/open", &[], 405, Some("GET,HEAD")),
        ("POST", "/bearer", &[], 405, Some("GET,HEAD")),
        ("GET", "/basic/", &alice, 404, None),
        ("GET", "/open/", &[], 404, None),
        ("GET", "/%6Fpen", &[], 404, None),
        ("GET", "/%64igest", &[], 404, None),
        ("GET", "/nowhere", &[], 404, None),
        // An authority-form target has no path: no route is its.
        ("CONNECT", "127.0.0.1:1", &[], 404, None),
    ];
    for (framework, server) in FRAMEWORKS.iter().zip(&servers) {
        for (method, path, headers, status, allow) in cases {
            let head = response_head(&server.addr, method, path, headers);
            let what = format!("{framework} {method} {path}");
            assert_eq!(head.0, status, "{what}");
            // Frameworks space the list differently; the methods count.
            let allowed = head.1.map(|a| a.replace(' ', ""));
            assert_eq!(allowed.as_deref(), allow, "{what}");
        }
    }
}

/// One response's status and whether it says `Connection: close`,
/// its body read by `Content-Length`.
fn read_response(reader: &mut std::io::BufReader<std::net::TcpStream>, what: &str) -> (u16, bool) {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status = line.split(' ').nth(1).and_then(|s| s.parse().ok());
    let status = status.unwrap_or_else(|| panic!("{what}: no status line in {line:?}"));
    let (mut length, mut close) = (0usize, false);
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        let header = line.trim_end().to_ascii_lowercase();
        if header.is_empty() {
            break;
        }
        if let Some(n) = header.strip_prefix("content-length:") {
            length = n.trim().parse().unwrap();
        }
        close |= header == "connection: close";
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    (status, close)
}

/// A refused request whose body stalls gets its refusal when the time to
/// read and drop the body is up (5 s), with `Connection: close`: a client
/// cannot hold a connection by announcing a body it never sends.
#[test]
fn a_stalled_refused_body_gets_its_refusal_in_time() {
    let servers: Vec<Server> = FRAMEWORKS.iter().map(|f| Server::start(f, &[])).collect();
    let started = Instant::now();
    // Announced and stalled: to a route that does not read the body, to
    // Digest's, which reads it for `auth-int` first (5 s, then 5 s to drop
    // it), and chunked.
    let requests: [&[u8]; 3] = [
        b"POST /basic HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\nabc",
        b"POST /digest HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\nabc",
        b"POST /basic HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n",
    ];
    let mut stalled = Vec::new();
    for (framework, server) in FRAMEWORKS.iter().zip(&servers) {
        for request in requests {
            let mut stream = TcpStream::connect(&server.addr).unwrap();
            stream.write_all(request).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(20)))
                .unwrap();
            let chunked = request.ends_with(b"abc\r\n");
            let line = String::from_utf8_lossy(request);
            let first = line.lines().next().unwrap_or_default();
            let what = format!(
                "{framework} {first}{}",
                if chunked { ", chunked" } else { "" }
            );
            // actix-web says it closes, but waits for the rest of a chunked
            // body it was refused before it closes.
            let ends = !(chunked && *framework == "actix");
            stalled.push((what, stream, ends));
        }
    }
    for (what, stream, ends) in stalled {
        let mut reader = BufReader::new(stream);
        assert_eq!(read_response(&mut reader, &what), (401, true), "{what}");
        if ends {
            let mut rest = Vec::new();
            assert!(reader.read_to_end(&mut rest).is_ok(), "{what}: still open");
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

/// An upload that waits for `100 Continue` without credentials gets the
/// challenge at once: only a challenge can follow, so the body is not
/// asked for, even on a Digest route that reads bodies for `auth-int`.
/// (actix-web sends `100 Continue` itself, before any middleware.)
#[test]
fn an_upload_without_credentials_is_challenged_before_its_body() {
    for framework in ["axum", "warp"] {
        let server = Server::start(framework, &[]);
        for path in ["/digest", "/basic"] {
            let mut stream = TcpStream::connect(&server.addr).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let head = format!(
                "POST {path} HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\nexpect: 100-continue\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).unwrap();
            let mut reader = BufReader::new(stream);
            let what = format!("{framework} POST {path}");
            assert_eq!(read_response(&mut reader, &what), (401, true), "{what}");
        }
    }
}

/// A client that sends its header section too slowly has its connection
/// closed, on every framework (actix-web answers 408 first), so that a
/// client cannot hold connections open at will; a client that shuts its
/// side after a whole request still gets the answer (HTTP/1 half-close).
#[test]
fn slow_headers_are_cut_off_and_half_closed_requests_answered() {
    let servers: Vec<Server> = FRAMEWORKS.iter().map(|f| Server::start(f, &[])).collect();
    let slow: Vec<_> = servers
        .iter()
        .map(|server| {
            let mut stream = std::net::TcpStream::connect(&server.addr).unwrap();
            stream
                .write_all(b"GET /open HTTP/1.1\r\nhost: x\r\n")
                .unwrap();
            stream
        })
        .collect();
    for (framework, server) in FRAMEWORKS.iter().zip(&servers) {
        let mut stream = std::net::TcpStream::connect(&server.addr).unwrap();
        stream
            .write_all(b"GET /open HTTP/1.1\r\nhost: x\r\n\r\n")
            .unwrap();
        stream.shutdown(std::net::Shutdown::Write).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        assert!(
            answer.starts_with("HTTP/1.1 200 "),
            "{framework}: {answer:?}"
        );
    }
    let started = Instant::now();
    for (framework, mut stream) in FRAMEWORKS.iter().zip(slow) {
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut rest = Vec::new();
        let read = stream.read_to_end(&mut rest);
        assert!(read.is_ok(), "{framework}: still open after 30 s: {read:?}");
        let text = String::from_utf8_lossy(&rest);
        assert!(
            text.is_empty() || text.starts_with("HTTP/1.1 408 "),
            "{framework}: {text}"
        );
    }
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// HEAD over HTTP/2 (prior knowledge, as `curl --http2-prior-knowledge`)
/// gets no content (RFC 9110 section 9.3.2): content there is a protocol
/// error that fails the request. actix-web does not speak h2c.
#[test]
fn head_over_http2_has_no_content() {
    if !have("curl") {
        return;
    }
    for framework in ["axum", "warp"] {
        let server = Server::start(framework, &[]);
        for (path, status) in [("/open", 200), ("/basic", 401)] {
            let url = format!("http://{}{path}", server.addr);
            let (code, body) = curl(&["--http2-prior-knowledge", "-I"], &url);
            assert_eq!(code, status, "{framework} HEAD {path}");
            assert!(body.starts_with("HTTP/2 "), "{framework}: {body}");
        }
    }
}

/// A POST whose body the route does not use, refused or served, is read to
/// its end before the answer: the answer arrives whole (a server that
/// stops reading resets a client still sending, RFC 9112 section 9.6) and
/// the connection serves the next request.
#[test]
fn large_posts_keep_the_connection_on_every_framework() {
    let servers: Vec<Server> = FRAMEWORKS.iter().map(|f| Server::start(f, &[])).collect();
    let body = vec![b'x'; 3 * 1024 * 1024];
    let alice = "Basic YWxpY2U6d29uZGVybGFuZA==";
    for (framework, server) in FRAMEWORKS.iter().zip(&servers) {
        let stream = std::net::TcpStream::connect(&server.addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut writer = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        // Refused (no credentials, then Digest's auth-int limit passed),
        // served, and a plain GET after them, on one connection.
        let posts = [
            ("/basic", None, 401),
            ("/digest", None, 401),
            ("/basic", Some(alice), 200),
        ];
        for (path, authorization, status) in posts {
            let what = format!("{framework} POST {path}");
            let credentials = authorization
                .map(|a| format!("authorization: {a}\r\n"))
                .unwrap_or_default();
            let head = format!(
                "POST {path} HTTP/1.1\r\nhost: x\r\n{credentials}content-length: {}\r\n\r\n",
                body.len()
            );
            writer.write_all(head.as_bytes()).unwrap();
            writer.write_all(&body).unwrap();
            let (got, close) = read_response(&mut reader, &what);
            assert_eq!(got, status, "{what}");
            assert!(!close, "{what}: says Connection: close");
        }
        writer
            .write_all(b"GET /open HTTP/1.1\r\nhost: x\r\n\r\n")
            .unwrap();
        assert_eq!(read_response(&mut reader, framework).0, 200, "{framework}");

        // A body announced past what is read to drop it: the refusal
        // comes at once and says the connection closes.
        let mut stream = std::net::TcpStream::connect(&server.addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        stream
            .write_all(b"POST /basic HTTP/1.1\r\nhost: x\r\ncontent-length: 170000000\r\n\r\n")
            .unwrap();
        let mut reader = BufReader::new(stream);
        let what = format!("{framework} POST /basic of 170 MB");
        assert_eq!(read_response(&mut reader, &what), (401, true), "{what}");
    }
}

/// The status and `Allow` of one request's answer, read without its body
/// (a HEAD answer announces a length it does not send).
fn response_head(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, Option<String>) {
    let answer = exchange(addr, method, path, headers, b"");
    let text = String::from_utf8_lossy(&answer);
    let head = text.split("\r\n\r\n").next().unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let allow = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("allow"))
        .map(|(_, value)| value.trim().to_owned());
    (status, allow)
}

/// A realm with a tab (which a quoted-string holds) is the same in every
/// scheme's challenge of one 401: the Basic challenge used to drop it.
#[test]
fn a_realm_with_a_tab_is_one_realm_in_every_challenge() {
    let server = Server::start("axum", &["--realm", "tab\there"]);
    let lines = server.get("/any", &[]).challenges();
    assert_eq!(lines.len(), 4, "{lines:?}");
    for line in &lines {
        let challenges = parse_challenges(line.as_bytes()).unwrap();
        assert_eq!(challenges[0].realm(), Some("tab\there"), "{line}");
    }
}

/// `--bearer-token`, `--jwt-secret`, `--realm`, and password files that
/// replace the embedded users of their own scheme only.
#[test]
fn options_replace_users_tokens_and_realm() {
    let dir = std::env::temp_dir().join(format!("authscheme-serve-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let htpasswd = dir.join("htpasswd");
    // A line made by Apache's htpasswd when it is installed, else by the
    // Basic crate (same bcrypt format).
    let apache = Command::new("htpasswd")
        .args(["-nbB", "-C", "4", "dave", "swordfish"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_owned());
    let line = apache.unwrap_or_else(|| {
        eprintln!("SKIPPED: htpasswd not installed; using a bcrypt line made here");
        let hash = authscheme_basic::PasswordHash::generate_with_cost(
            authscheme_basic::HashFormat::Bcrypt,
            "swordfish",
            Some(4),
        )
        .unwrap();
        format!("dave:{}", hash.as_str())
    });
    std::fs::write(&htpasswd, format!("{line}\n")).unwrap();
    let htdigest = dir.join("htdigest");
    authscheme_digest::store::set_htdigest_password(&htdigest, "Lab", "erin", "tulip:s", true)
        .unwrap();

    let server = Server::start(
        "axum",
        &[
            "--realm",
            "Lab",
            "--htpasswd",
            path_str(&htpasswd),
            "--htdigest",
            path_str(&htdigest),
            "--bearer-token",
            "s3rvice-t0ken",
            "--jwt-secret",
            "a-test-secret-that-is-long-enough-for-hs256",
        ],
    );
    assert!(
        !server.stderr().contains("development secret"),
        "{}",
        server.stderr()
    );
    assert_eq!(server.get("/basic", &[]).challenges(), [basic_line("Lab")]);
    // htdigest files hold MD5 only, so MD5 alone is offered, without userhash.
    assert_eq!(
        normalized(&server.get("/digest", &[]).challenges()),
        [digest_line("Lab", "MD5", false)]
    );

    let service = [("Authorization", "Bearer s3rvice-t0ken")];
    let r = server.get("/bearer", &service);
    assert_eq!(
        (r.status, r.text().as_str()),
        (200, "hello service via Bearer")
    );
    let r = server.get("/admin", &service);
    assert_eq!(r.status, 403, "the static token has no scopes");
    let r = server.get("/bearer", &[("Authorization", "Bearer s3rvice-t0kem")]);
    assert_eq!(r.status, 401);
    let token = format!("Bearer {}", server.token("read admin"));
    assert_eq!(
        server.get("/admin", &[("Authorization", &token)]).status,
        200
    );

    if have("curl") {
        let dave = "dave:swordfish";
        assert_eq!(
            curl(&["-u", dave], &server.url("/basic")),
            (200, "hello dave via Basic".into())
        );
        assert_eq!(
            curl(&["-u", "alice:wonderland"], &server.url("/basic")).0,
            401
        );
        assert_eq!(
            curl(&["--digest", "-u", "erin:tulip:s"], &server.url("/digest")),
            (200, "hello erin via Digest".into())
        );
        assert_eq!(
            curl(
                &["--digest", "-u", "alice:wonderland"],
                &server.url("/digest")
            )
            .0,
            401
        );
        assert_eq!(
            curl(&["--digest", "-u", dave], &server.url("/digest")).0,
            401
        );
    }
    drop(server);

    // Only one file given: the other scheme keeps the embedded users.
    let server = Server::start("warp", &["--htpasswd", path_str(&htpasswd)]);
    assert!(
        server.stderr().contains("development secret"),
        "default secret warns"
    );
    if have("curl") {
        assert_eq!(
            curl(&["-u", "alice:wonderland"], &server.url("/basic")).0,
            401
        );
        assert_eq!(
            curl(
                &["--digest", "-u", "alice:wonderland"],
                &server.url("/digest")
            ),
            (200, "hello alice via Digest".into())
        );
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Python's standard library (`urllib.request`, 3.11) answers only the
/// first Digest challenge and knows MD5 and SHA-1 alone: it refuses the
/// default SHA-256-first order, and is served once MD5 is offered first.
#[test]
fn python_urllib_digest_needs_md5_first() {
    if !have("python3") {
        return;
    }
    let script = "import sys, urllib.request\n\
        pm = urllib.request.HTTPPasswordMgrWithDefaultRealm()\n\
        pm.add_password(None, sys.argv[1], sys.argv[2], sys.argv[3])\n\
        opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(pm))\n\
        try:\n    print(opener.open(sys.argv[1]).read().decode())\n\
        except ValueError as e:\n    print('refused:', e)\n";
    let run = |server: &Server| {
        let out = Command::new("python3")
            .args(["-c", script, &server.url("/digest"), USERS[0].0, USERS[0].1])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    // urllib either learned SHA-256 or refuses the challenge itself; it
    // never gets a wrong answer from us.
    let default = Server::start("axum", &[]);
    let answer = run(&default);
    assert!(
        answer == format!("hello {} via Digest", USERS[0].0) || answer.contains("SHA-256"),
        "{answer}"
    );
    let md5_first = Server::start("axum", &["--digest-algorithms", "MD5,SHA-256"]);
    assert_eq!(run(&md5_first), format!("hello {} via Digest", USERS[0].0));
}

/// Instances sharing `--nonce-secret` accept each other's nonces (a
/// fleet behind a load balancer); `--nonce-lifetime` makes nonces stale.
#[test]
fn nonce_secret_is_shared_and_lifetime_applies() {
    let secret = "a shared nonce secret of at least thirty-two bytes";
    let args = ["--nonce-secret", secret, "--nonce-lifetime", "2"];
    let first = Server::start("axum", &args);
    let second = Server::start("actix", &args);
    let other = Server::start("warp", &["--nonce-lifetime", "2"]);
    let (user, password) = USERS[3];
    let creds = ClientCredentials::password(user, password);

    let lines = first.get("/digest", &[]).challenges();
    let challenge = parse_challenges(lines[0].as_bytes()).unwrap().remove(0);
    let mut session = DigestClient::new().start(&challenge, &creds).unwrap();
    let answer = |session: &mut Box<dyn ClientSession>| {
        session
            .authorize(&ClientRequest::new("GET", "/digest"))
            .unwrap()
            .to_string()
    };
    let value = answer(&mut session);
    let r = second.get("/digest", &[("Authorization", &value)]);
    assert_eq!(
        (r.status, r.text()),
        (200, format!("hello {user} via Digest"))
    );
    // A different secret does not know the nonce.
    let value = answer(&mut session);
    assert_eq!(
        other.get("/digest", &[("Authorization", &value)]).status,
        401
    );

    // Past its lifetime the nonce is stale: 401 with stale=true.
    std::thread::sleep(Duration::from_secs(4));
    let value = answer(&mut session);
    let r = first.get("/digest", &[("Authorization", &value)]);
    assert_eq!(r.status, 401);
    assert!(
        r.challenges()[0].contains("stale=true"),
        "{:?}",
        r.challenges()
    );
}

/// A `redis-server` on a free loopback port, killed on drop.
struct Redis(Child);

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// With `--redis`, instances share Digest replay state: an answer accepted
/// by one is refused by the other, which alone would accept it.
#[test]
fn redis_shares_replay_state() {
    if !have("redis-server") {
        return;
    }
    let port = free_port();
    let _redis = Redis(
        Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "redis-server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let url = format!("redis://127.0.0.1:{port}/");
    let secret = "the nonce secret every instance of the fleet shares";
    let fleet = ["--redis", url.as_str(), "--nonce-secret", secret];
    let first = Server::start("axum", &fleet);
    let second = Server::start("warp", &fleet);
    let alone = Server::start("actix", &["--nonce-secret", secret]);
    assert!(first.get("/", &[]).text().contains("Redis"));

    let (user, password) = USERS[0];
    let lines = first.get("/digest", &[]).challenges();
    let challenge = parse_challenges(lines[0].as_bytes()).unwrap().remove(0);
    let creds = ClientCredentials::password(user, password);
    let mut session = DigestClient::new().start(&challenge, &creds).unwrap();
    let value = session
        .authorize(&ClientRequest::new("GET", "/digest"))
        .unwrap()
        .to_string();
    let auth = [("Authorization", value.as_str())];
    assert_eq!(first.get("/digest", &auth).status, 200);
    // The replay at another instance of the fleet is refused ...
    let replayed = second.get("/digest", &auth);
    assert_ne!(replayed.status, 200, "{replayed:?}");
    assert!(
        second
            .stderr_once_it_has("route=/digest")
            .contains("route=/digest"),
        "logged"
    );
    // ... while an instance with its own replay state would take it.
    assert_eq!(alone.get("/digest", &auth).status, 200);
    // The next nonce count is good anywhere in the fleet.
    let next = session
        .authorize(&ClientRequest::new("GET", "/digest"))
        .unwrap()
        .to_string();
    let r = second.get("/digest", &[("Authorization", &next)]);
    assert_eq!(
        (r.status, r.text()),
        (200, format!("hello {user} via Digest"))
    );
}

/// An unreachable Redis is a clear error at start (status 1), and the URL's
/// password is not repeated.
#[test]
fn unreachable_redis_exits_1() {
    let url = format!("redis://:hunter2@127.0.0.1:{}/", free_port());
    let out = Command::new(env!("CARGO_BIN_EXE_authscheme"))
        .args(["serve", "--addr", &format!("127.0.0.1:{}", free_port())])
        .args(["--redis", &url])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("--redis") && stderr.contains("127.0.0.1"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("hunter2") && !stderr.contains("panicked"),
        "{stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "nothing printed before the store is up"
    );
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A taken port is a clear error with status 1, not a panic.
#[test]
fn taken_port_exits_1() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_authscheme"))
        .args(["serve", "--addr", &addr])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot listen on") && stderr.contains(&addr),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Unusable options exit with status 2 and say what is wrong.
#[test]
fn bad_options_exit_2() {
    for (args, says) in [
        (&["--digest-algorithms", "SHA-1"][..], "unknown algorithm"),
        (&["--nonce-secret", "short"][..], "at least 32 bytes"),
        (&["--jwt-secret", "x"][..], "at least 32 bytes"),
        (&["--jwt-secret", ""][..], "at least 32 bytes"),
        (&["--nonce-lifetime", "0"][..], "at least 1 second"),
        (&["--htpasswd", "/nonexistent/htpasswd"][..], "--htpasswd"),
        (&["--addr", "not an address"][..], "--addr"),
        (&["--redis", "http://not-redis/"][..], "--redis"),
        // A token no client can send (RFC 6750 section 2.1: a b64token).
        (&["--bearer-token", "two words"][..], "--bearer-token"),
        (&["--bearer-token", "t\u{f6}k"][..], "--bearer-token"),
        (&["--bearer-token", "a,b"][..], "--bearer-token"),
        // More workers than actix-web takes (it panics above 512): refused
        // on every framework alike.
        (
            &["--framework", "actix", "--workers", "513"][..],
            "--workers",
        ),
        (
            &["--framework", "axum", "--workers", "513"][..],
            "--workers",
        ),
        (
            &["--framework", "warp", "--workers", "513"][..],
            "--workers",
        ),
    ] {
        let out = serve_exits_within(args, 30)
            .unwrap_or_else(|| panic!("{args:?} was taken and the server ran"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// Runs `authscheme serve ARGS...` on a free port and returns its output
/// once it exits, or `None` (after killing it) when it is still serving
/// after `seconds`: an option that should have been refused was taken.
fn serve_exits_within(args: &[&str], seconds: u64) -> Option<std::process::Output> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authscheme"))
        .args(["serve", "--addr", &format!("127.0.0.1:{}", free_port())])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// SIGTERM and Ctrl-C (SIGINT) stop every framework cleanly (exit status
/// 0), and `--workers` is honoured in what the banner says.
#[test]
fn signals_stop_cleanly() {
    if !have("kill") {
        return;
    }
    for framework in FRAMEWORKS {
        for signal in ["-TERM", "-INT"] {
            let mut server = Server::start(framework, &[]);
            assert!(server.stdout()[0].contains("(realm \"authscheme\", 2 workers)"));
            let pid = server.child.id().to_string();
            let sent = Command::new("kill").args([signal, &pid]).status().unwrap();
            assert!(sent.success());
            let deadline = Instant::now() + Duration::from_secs(20);
            let status = loop {
                if let Some(status) = server.child.try_wait().unwrap() {
                    break status;
                }
                assert!(
                    Instant::now() < deadline,
                    "{framework} did not stop on {signal}"
                );
                std::thread::sleep(Duration::from_millis(50));
            };
            assert!(
                status.success(),
                "{framework} {signal}: {status} {}",
                server.stderr()
            );
        }
    }
}
