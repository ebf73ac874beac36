//! `cargo xtask soak [SECONDS] [CONNECTIONS] [FRAMEWORK]`: a release build of
//! `authscheme serve` under a mix of valid, wrong and malformed credentials
//! on every route and scheme. Passes when no answer is a 5xx, every answer
//! is the expected one, and resident memory stays flat after warm-up.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use authscheme::{ClientCredentials, ClientRequest, ClientScheme, ClientSession, syntax};
use authscheme_digest::DigestClient;

use crate::{cargo, root};

/// `alice:wonderland` and `alice:wrong`, base64.
const ALICE: &str = "YWxpY2U6d29uZGVybGFuZA==";
const ALICE_WRONG: &str = "YWxpY2U6d3Jvbmc=";

#[derive(Default)]
struct Tally {
    requests: AtomicU64,
    server_errors: AtomicU64,
    wrong_answers: AtomicU64,
}

pub(crate) fn run(seconds: u64, connections: usize, framework: &str) -> Result<(), String> {
    crate::run(
        "build release CLI",
        cargo().args(["build", "--release", "-p", "authscheme-cli"]),
    )?;
    let port = crate::timing::free_port()?;
    let mut child = Command::new(root().join("target/release/authscheme"))
        .args([
            "serve",
            "--framework",
            framework,
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let pid = child.id();
    let tokens = read_dev_tokens(child.stdout.take().ok_or("no stdout")?, 2)?;
    let server = crate::timing::ServerGuard(child);

    let tally = Arc::new(Tally::default());
    let first_error = Arc::new(Mutex::new(None::<String>));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut threads = Vec::new();
    for n in 0..connections {
        let tally = Arc::clone(&tally);
        let first_error = Arc::clone(&first_error);
        let tokens = tokens.clone();
        threads.push(std::thread::spawn(move || {
            if let Err(e) = worker(n, port, &tokens, deadline, &tally) {
                first_error
                    .lock()
                    .map(|mut slot| slot.get_or_insert(e).clone())
                    .ok();
            }
        }));
    }
    let mut rss = Vec::new();
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_secs(1));
        rss.push(resident_kib(pid));
    }
    for t in threads {
        t.join().ok();
    }
    drop(server);

    let requests = tally.requests.load(Ordering::Relaxed);
    let server_errors = tally.server_errors.load(Ordering::Relaxed);
    let wrong = tally.wrong_answers.load(Ordering::Relaxed);
    let warm = rss.get(rss.len() / 4).copied().unwrap_or(0);
    let peak_after_warmup = rss.iter().skip(rss.len() / 4).copied().max().unwrap_or(0);
    let end = rss.last().copied().unwrap_or(0);
    println!(
        "| framework | seconds | connections | requests | 5xx | wrong answers | RSS after warm-up | RSS peak after | RSS at end |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {framework} | {seconds} | {connections} | {requests} | {server_errors} | {wrong} | {warm} KiB | {peak_after_warmup} KiB | {end} KiB |"
    );
    if let Some(e) = first_error.lock().ok().and_then(|e| e.clone()) {
        return Err(format!("a connection failed: {e}"));
    }
    if server_errors > 0 || wrong > 0 {
        return Err(format!(
            "{server_errors} server errors, {wrong} wrong answers"
        ));
    }
    // Flat: no more than 10 % growth after the first quarter of the run.
    if warm > 0 && peak_after_warmup > warm + warm / 10 {
        return Err(format!(
            "resident memory grew from {warm} KiB to {peak_after_warmup} KiB"
        ));
    }
    Ok(())
}

/// The first `wanted` JWTs a server prints on stdout (the demo prints two
/// development tokens, a load server one), within 60 s. The output is read
/// on a thread of its own, to its end, so that the server never blocks on
/// a full pipe and a server that prints nothing cannot hold the caller
/// past the limit.
pub(crate) fn read_dev_tokens(
    stdout: std::process::ChildStdout,
    wanted: usize,
) -> Result<Vec<String>, String> {
    let (found, tokens_in) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let tokens = line
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| c == '\'' || c == '"'))
                .filter(|w| w.starts_with("eyJ") && w.matches('.').count() == 2);
            for token in tokens {
                // The receiver is gone once it has what it wanted.
                let _ = found.send(token.to_owned());
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut tokens = Vec::new();
    while tokens.len() < wanted {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokens_in.recv_timeout(left) {
            Ok(token) => tokens.push(token),
            Err(_) => {
                return Err(format!(
                    "the server did not print {wanted} JWT(s) within 60 s"
                ));
            }
        }
    }
    Ok(tokens)
}

fn resident_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn send(
    conn: &mut BufReader<TcpStream>,
    port: u16,
    method: &str,
    path: &str,
    auth: Option<&str>,
) -> Result<Response, String> {
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n");
    if let Some(auth) = auth {
        req.push_str(&format!("Authorization: {auth}\r\n"));
    }
    req.push_str("\r\n");
    conn.get_mut()
        .write_all(req.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut line = String::new();
    conn.read_line(&mut line).map_err(|e| e.to_string())?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {line:?}"))?;
    let mut headers = Vec::new();
    let mut length = 0;
    loop {
        line.clear();
        conn.read_line(&mut line).map_err(|e| e.to_string())?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((n, v)) = l.split_once(':') {
            if n.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().map_err(|_| "bad content-length")?;
            }
            headers.push((n.to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body).map_err(|e| e.to_string())?;
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// One connection's loop: each round walks the case list from a different
/// starting point, so all connections together mix every case all the time.
fn worker(
    n: usize,
    port: u16,
    tokens: &[String],
    deadline: Instant,
    tally: &Tally,
) -> Result<(), String> {
    let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
    let mut conn = BufReader::new(stream);
    let read_token = format!("Bearer {}", tokens[0]);
    let admin_token = format!("Bearer {}", tokens[1]);
    let mut digest: Option<Box<dyn ClientSession>> = None;
    let creds = ClientCredentials::password("alice", "wonderland");
    let mut i = n;
    while Instant::now() < deadline {
        i += 1;
        let (method, path, auth, want): (&str, &str, Option<String>, &[u16]) = match i % 16 {
            0 => ("GET", "/open", None, &[200]),
            1 => ("GET", "/basic", Some(format!("Basic {ALICE}")), &[200]),
            2 => (
                "GET",
                "/basic",
                Some(format!("Basic {ALICE_WRONG}")),
                &[401],
            ),
            3 => (
                "GET",
                "/basic",
                Some("Basic !!notbase64".into()),
                &[400, 401],
            ),
            4 => ("GET", "/basic", Some("Basic a b".into()), &[400]),
            5 => ("GET", "/basic", None, &[401]),
            6 => ("GET", "/bearer", Some(read_token.clone()), &[200]),
            7 => ("GET", "/bearer", Some("Bearer not.a.jwt".into()), &[401]),
            8 => ("GET", "/admin", Some(read_token.clone()), &[403]),
            9 => ("GET", "/admin", Some(admin_token.clone()), &[200]),
            10 => ("GET", "/any", Some(format!("Basic {ALICE}")), &[200]),
            11 => ("GET", "/any", None, &[401]),
            12 => (
                "GET",
                "/digest",
                Some(r#"Digest username="alice", realm="x""#.into()),
                &[400, 401],
            ),
            13 => ("GET", "/bearer", Some("Bearer".into()), &[400, 401]),
            _ => {
                // Digest: reuse the session's nonce with the next nc; start
                // one from a fresh 401 when there is none or it went stale.
                let value = match digest.as_mut() {
                    Some(s) => s
                        .authorize(&ClientRequest::new("GET", "/digest"))
                        .map_err(|e| e.to_string())?,
                    None => {
                        let r = send(&mut conn, port, "GET", "/digest", None)?;
                        tally.requests.fetch_add(1, Ordering::Relaxed);
                        let lines: Vec<&str> = r
                            .headers
                            .iter()
                            .filter(|(n, _)| n == "www-authenticate")
                            .map(|(_, v)| v.as_str())
                            .collect();
                        let challenges =
                            syntax::parse_challenge_lines(lines.iter().map(|l| l.as_bytes()))
                                .map_err(|e| e.to_string())?;
                        let client = DigestClient::new();
                        let challenge = challenges
                            .iter()
                            .find(|c| c.scheme().is("Digest"))
                            .ok_or("no Digest challenge")?;
                        let mut s = client.start(challenge, &creds).map_err(|e| e.to_string())?;
                        let v = s
                            .authorize(&ClientRequest::new("GET", "/digest"))
                            .map_err(|e| e.to_string())?;
                        digest = Some(s);
                        v
                    }
                };
                let text = String::from_utf8_lossy(&value.to_bytes()).into_owned();
                let r = send(&mut conn, port, "GET", "/digest", Some(&text))?;
                tally.requests.fetch_add(1, Ordering::Relaxed);
                check(&r, &[200], "GET /digest valid", tally);
                if r.status != 200 {
                    digest = None;
                }
                continue;
            }
        };
        let r = send(&mut conn, port, method, path, auth.as_deref())?;
        tally.requests.fetch_add(1, Ordering::Relaxed);
        check(&r, want, &format!("{method} {path} case {}", i % 16), tally);
    }
    Ok(())
}

fn check(r: &Response, want: &[u16], what: &str, tally: &Tally) {
    if r.status >= 500 {
        tally.server_errors.fetch_add(1, Ordering::Relaxed);
    }
    let challenge_ok = r.status != 401 || r.headers.iter().any(|(n, _)| n == "www-authenticate");
    if (!want.contains(&r.status) || !challenge_ok)
        && tally.wrong_answers.fetch_add(1, Ordering::Relaxed) < 5
    {
        eprintln!(
            "soak: {what}: got {} {}",
            r.status,
            String::from_utf8_lossy(&r.body).trim()
        );
    }
}
