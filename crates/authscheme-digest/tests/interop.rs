//! Real clients against our server: curl --digest, Python requests and
//! httpx, talking to a small hyper 1.x server on 127.0.0.1 that runs an
//! `authscheme::Authenticator` with the Digest scheme. A missing client
//! prints "SKIPPED: ..." and the test returns.
#![allow(clippy::unwrap_used)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::Command;
use std::sync::{Arc, Mutex};

use authscheme::{AuthRequest, Authenticator, Outcome};
use authscheme_digest::{
    Algorithm, DigestScheme, DigestUser, ManualClock, MemoryCredentialStore, NonceSecret,
};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

const REALM: &str = "http-auth@example.org";

/// What the server saw: each request's Authorization value and status.
#[derive(Default)]
struct Log {
    entries: Vec<(Option<String>, u16, Vec<String>)>,
}

struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Log>>,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn statuses(&self) -> Vec<u16> {
        self.log
            .lock()
            .unwrap()
            .entries
            .iter()
            .map(|e| e.1)
            .collect()
    }

    fn authorizations(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .entries
            .iter()
            .filter_map(|e| e.0.clone())
            .collect()
    }

    fn challenges(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .entries
            .iter()
            .flat_map(|e| e.2.clone())
            .collect()
    }
}

/// Starts the server on its own thread and runtime. A 401 without
/// credentials to `/expire...` moves the clock past the nonce lifetime after
/// answering, so the client's answer comes back with `stale=true`.
fn start(algorithms: &[Algorithm]) -> Server {
    let clock = ManualClock::new(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    );
    let store = MemoryCredentialStore::new(REALM)
        .with_user("Mufasa", "Circle of Life")
        .with_user("Jäsøn Doe", "Secret, or not?");
    let scheme = DigestScheme::builder(REALM, store)
        .algorithms(algorithms.iter().copied())
        .nonce_secret(NonceSecret::random())
        .clock(clock.clone())
        .build()
        .unwrap();
    let auth: Authenticator<DigestUser> = Authenticator::new().with(scheme);
    let log = Arc::new(Mutex::new(Log::default()));
    let (tx, rx) = std::sync::mpsc::channel();
    let server_log = Arc::clone(&log);
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let auth = auth.clone();
                let clock = clock.clone();
                let log = Arc::clone(&server_log);
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        handle(req, auth.clone(), clock.clone(), Arc::clone(&log))
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    Server {
        addr: rx.recv().unwrap(),
        log,
    }
}

async fn handle(
    req: Request<hyper::body::Incoming>,
    auth: Authenticator<DigestUser>,
    clock: ManualClock,
    log: Arc<Mutex<Log>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let target = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let request = AuthRequest::new(parts.method.as_str(), &target, &parts.headers).with_body(&body);
    let outcome = auth.authenticate(&request).await;
    let authorization = parts
        .headers
        .get("authorization")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let response = match outcome {
        Outcome::Authenticated(ok) => {
            let mut resp = Response::new(Full::new(Bytes::from(format!(
                "hello {}\n",
                ok.authenticated().identity().name()
            ))));
            for (name, value) in ok.response_headers() {
                resp.headers_mut().append(name, value);
            }
            resp
        }
        Outcome::Denied(denial) => {
            let mut resp = Response::new(Full::new(Bytes::from(denial.body())));
            *resp.status_mut() = denial.status();
            for (name, value) in denial.headers() {
                resp.headers_mut().append(name, value);
            }
            if target.starts_with("/expire") && authorization.is_none() {
                clock.advance(301);
            }
            resp
        }
        _ => unreachable!(),
    };
    let challenges = response
        .headers()
        .get_all("www-authenticate")
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    log.lock()
        .unwrap()
        .entries
        .push((authorization, response.status().as_u16(), challenges));
    Ok(response)
}

fn have(binary: &str) -> bool {
    Command::new(binary).arg("--version").output().is_ok()
}

fn curl(args: &[&str]) -> (String, String) {
    let out = Command::new("curl")
        .args(["-s", "-S", "--max-time", "20", "-w", "\n%{http_code}"])
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (text, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn curl_md5_and_sha256() {
    if !have("curl") {
        eprintln!("SKIPPED: curl not installed");
        return;
    }
    for alg in [Algorithm::Md5, Algorithm::Sha256] {
        let server = start(&[alg]);
        let (out, err) = curl(&[
            "--digest",
            "-u",
            "Mufasa:Circle of Life",
            &server.url("/dir/index.html?x=1"),
        ]);
        assert_eq!(out, "hello Mufasa\n\n200", "{alg}: {err}");
        let auths = server.authorizations();
        assert!(
            auths[0].contains(&format!("algorithm={}", alg.as_str())),
            "{auths:?}"
        );
        assert!(
            auths[0].contains("uri=\"/dir/index.html?x=1\""),
            "{auths:?}"
        );
        // curl 7.88 sends userhash=true when the challenge asks for it.
        assert!(auths[0].contains("userhash=true"), "{auths:?}");

        let (out, _) = curl(&["--digest", "-u", "Mufasa:wrong", &server.url("/")]);
        assert!(out.ends_with("\n401"), "{out}");
    }
}

#[test]
fn curl_posts_and_counts_nonces_across_requests() {
    if !have("curl") {
        eprintln!("SKIPPED: curl not installed");
        return;
    }
    let server = start(&[Algorithm::Sha256, Algorithm::Md5]);
    let (out, err) = curl(&[
        "--digest",
        "-u",
        "Mufasa:Circle of Life",
        &server.url("/one"),
        &server.url("/two"),
        "-d",
        "payload",
    ]);
    assert!(out.contains("hello Mufasa"), "{out} {err}");
    assert!(!server.statuses().contains(&400), "{:?}", server.statuses());
    assert!(
        server.statuses().ends_with(&[200]),
        "{:?}",
        server.statuses()
    );
}

#[test]
fn curl_recovers_from_stale_without_a_new_password() {
    if !have("curl") {
        eprintln!("SKIPPED: curl not installed");
        return;
    }
    let server = start(&[Algorithm::Sha256]);
    // The nonce of the first challenge expires before curl answers it; the
    // server says stale=true and curl answers again with the new nonce.
    let (out, err) = curl(&[
        "--digest",
        "-u",
        "Mufasa:Circle of Life",
        &server.url("/expire"),
    ]);
    assert_eq!(out, "hello Mufasa\n\n200", "{err}");
    assert_eq!(server.statuses(), [401, 401, 200]);
    let stale = server
        .challenges()
        .iter()
        .filter(|c| c.contains("stale=true"))
        .count();
    assert_eq!(stale, 1, "{:?}", server.challenges());
    assert_eq!(*server.statuses().last().unwrap(), 200);
}

fn python_with(module: &str) -> Option<&'static str> {
    for python in ["/usr/bin/python3", "python3"] {
        let ok = Command::new(python)
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Some(python);
        }
    }
    None
}

fn run_python(python: &str, script: &str, url: &str) -> String {
    let out = Command::new(python)
        .args(["-c", script, url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn python_requests() {
    let Some(python) = python_with("requests") else {
        eprintln!("SKIPPED: python3 requests not installed");
        return;
    };
    let script = r#"
import sys, requests
from requests.auth import HTTPDigestAuth
s = requests.Session()
s.auth = HTTPDigestAuth("Mufasa", "Circle of Life")
for path in ["/a", "/b?q=1", "/c"]:
    r = s.get(sys.argv[1] + path)
    print(r.status_code, r.text.strip(), r.headers.get("Authentication-Info", "")[:8])
r = requests.get(sys.argv[1] + "/d", auth=HTTPDigestAuth("Mufasa", "nope"))
print(r.status_code)
# A non-ASCII name: requests sends it as ISO-8859-1 octets and hashes it
# as UTF-8 (the body is printed with ascii() to keep stdout ASCII).
s = requests.Session()
s.auth = HTTPDigestAuth("J\u00e4s\u00f8n Doe", "Secret, or not?")
for path in ["/e", "/f"]:
    r = s.get(sys.argv[1] + path)
    print(r.status_code, ascii(r.content.decode().strip()), r.headers.get("Authentication-Info", "")[:8])
r = requests.get(sys.argv[1] + "/g", auth=HTTPDigestAuth("J\u00e4s\u00f8n Doe", "nope"))
print(r.status_code)
"#;
    for alg in [Algorithm::Md5, Algorithm::Sha256] {
        let server = start(&[alg]);
        let out = run_python(python, script, &server.url(""));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 7, "{out}");
        for line in &lines[..3] {
            assert!(line.starts_with("200 hello Mufasa rspauth"), "{alg}: {out}");
        }
        assert_eq!(lines[3], "401");
        for line in &lines[4..6] {
            assert_eq!(
                *line, r"200 'hello J\xe4s\xf8n Doe' rspauth=",
                "{alg}: {out}"
            );
        }
        assert_eq!(lines[6], "401", "{alg}: {out}");
        // What made this worth a test: the name came as ISO-8859-1 octets
        // (the log holds them read lossily as UTF-8).
        assert!(
            server
                .authorizations()
                .iter()
                .any(|a| a.starts_with("Digest username=\"J\u{fffd}s\u{fffd}n Doe\"")),
            "{:?}",
            server.authorizations()
        );
        // requests counts nc up on the same nonce.
        assert!(
            server
                .authorizations()
                .iter()
                .any(|a| a.contains("nc=00000002"))
        );
    }
}

#[test]
fn python_httpx() {
    let Some(python) = python_with("httpx") else {
        eprintln!("SKIPPED: python3 httpx not installed");
        return;
    };
    let script = r#"
import sys, httpx
with httpx.Client(auth=httpx.DigestAuth("Mufasa", "Circle of Life")) as c:
    for path in ["/a", "/b?q=1"]:
        r = c.get(sys.argv[1] + path)
        print(r.status_code, r.text.strip())
    r = c.post(sys.argv[1] + "/p", content=b"body")
    print(r.status_code, r.text.strip())
r = httpx.get(sys.argv[1] + "/d", auth=httpx.DigestAuth("Mufasa", "nope"))
print(r.status_code)
"#;
    for alg in [Algorithm::Md5, Algorithm::Sha256, Algorithm::Sha256Sess] {
        let server = start(&[alg]);
        let out = run_python(python, script, &server.url(""));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        for line in &lines[..3] {
            assert_eq!(*line, "200 hello Mufasa", "{alg}: {out}");
        }
        assert_eq!(lines[3], "401");
    }
}
