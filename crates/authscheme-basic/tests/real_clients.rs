//! Real clients (curl, Python requests and httpx) against a hyper server
//! protected by Basic over an htpasswd file, with a non-ASCII user-id and a
//! password holding colons.
#![allow(clippy::unwrap_used)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::Command;

use authscheme::registry::Principal;
use authscheme::{AuthRequest, Authenticator, Outcome};
use authscheme_basic::{BasicScheme, HashFormat, HtpasswdStore, PasswordHash};
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

const JASON: (&str, &str) = ("Jäsøn Doe", "Secret, or not?");
const BOB: (&str, &str) = ("bob", "pass:with:colons");

async fn handle(
    auth: Authenticator<Principal>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let target = req.uri().path_and_query().map_or("/", |p| p.as_str());
    let request = AuthRequest::new(req.method().as_str(), target, req.headers());
    let response = match auth.authenticate(&request).await {
        Outcome::Authenticated(ok) => {
            let name = ok.authenticated().identity().name().to_owned();
            Response::new(Full::new(Bytes::from(format!("hello {name}"))))
        }
        Outcome::Denied(denial) => {
            let mut response =
                Response::new(Full::new(Bytes::from_static(denial.body().as_bytes())));
            *response.status_mut() = denial.status();
            for (name, value) in denial.headers() {
                response.headers_mut().append(name, value);
            }
            response
        }
        _ => unreachable!(),
    };
    Ok(response)
}

/// Starts the server on a free loopback port; the tempdir must outlive it.
async fn serve() -> (SocketAddr, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".htpasswd");
    let jason = PasswordHash::generate_with_cost(HashFormat::Bcrypt, JASON.1, Some(5)).unwrap();
    let bob = PasswordHash::generate(HashFormat::Apr1, BOB.1).unwrap();
    std::fs::write(
        &path,
        format!(
            "{}:{}\n{}:{}\n",
            JASON.0,
            jason.as_str(),
            BOB.0,
            bob.as_str()
        ),
    )
    .unwrap();
    let scheme = BasicScheme::new("Dev zone", HtpasswdStore::open(&path).unwrap());
    let auth = Authenticator::new().with(scheme);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let auth = auth.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| handle(auth.clone(), req));
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (addr, dir)
}

fn found(binary: &str) -> bool {
    let ok = Command::new("which")
        .arg(binary)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED: {binary} not installed");
    }
    ok
}

/// Runs a command off the runtime's threads and returns (stdout, success).
async fn run(mut command: Command) -> String {
    tokio::task::spawn_blocking(move || {
        let out = command.output().unwrap();
        assert!(
            out.status.success(),
            "{command:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_user_option() {
    if !found("curl") {
        return;
    }
    let (addr, _dir) = serve().await;
    let url = format!("http://{addr}/private");
    for (user, password) in [JASON, BOB] {
        let mut c = Command::new("curl");
        c.args(["-sS", "-o", "-", "-w", " %{http_code}", "-u"])
            .arg(format!("{user}:{password}"))
            .arg(&url);
        assert_eq!(run(c).await, format!("hello {user} 200"));
    }
    // A wrong password gets 401 with the challenge.
    let mut c = Command::new("curl");
    c.args(["-sS", "-D", "-", "-o", "/dev/null", "-u", "bob:pass"])
        .arg(&url);
    let head = run(c).await;
    assert!(head.starts_with("HTTP/1.1 401"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains(r#"www-authenticate: basic realm="dev zone", charset="utf-8""#),
        "{head}"
    );
}

fn python() -> Option<&'static str> {
    // Debian's python3-requests and python3-httpx live in /usr/bin/python3;
    // a python3 earlier in PATH (pyenv) may lack them.
    ["/usr/bin/python3", "python3"]
        .into_iter()
        .find(|p| {
            Command::new(p)
                .args(["-c", "import requests, httpx"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .or_else(|| {
            eprintln!("SKIPPED: python3 with requests and httpx not installed");
            None
        })
}

const PY_CLIENTS: &str = r#"
import sys, requests, httpx
url, user, password = sys.argv[1], sys.argv[2], sys.argv[3]
# requests encodes str credentials as ISO-8859-1; pass UTF-8 bytes.
r = requests.get(url, auth=(user.encode("utf-8"), password.encode("utf-8")))
print(r.status_code, r.text)
r = httpx.get(url, auth=(user, password))
print(r.status_code, r.text)
r = httpx.get(url, auth=(user, password + "x"))
print(r.status_code, r.headers.get("www-authenticate"))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_requests_and_httpx() {
    let Some(python) = python() else {
        return;
    };
    let (addr, _dir) = serve().await;
    let url = format!("http://{addr}/private");
    for (user, password) in [JASON, BOB] {
        let mut c = Command::new(python);
        c.args(["-c", PY_CLIENTS, &url, user, password]);
        let out = run(c).await;
        let lines: Vec<_> = out.lines().collect();
        assert_eq!(
            lines,
            [
                format!("200 hello {user}"),
                format!("200 hello {user}"),
                r#"401 Basic realm="Dev zone", charset="UTF-8""#.to_owned(),
            ]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_requests_latin1_default_is_read_as_latin1() {
    let Some(python) = python() else {
        return;
    };
    let (addr, _dir) = serve().await;
    let url = format!("http://{addr}/private");
    // requests' default encodes "Jäsøn Doe" as ISO-8859-1: not UTF-8, so
    // read as ISO-8859-1, which names the user it meant; a wrong password
    // sent the same way is still refused.
    let script = "import sys, requests; r = requests.get(sys.argv[1], auth=(sys.argv[2], sys.argv[3])); print(r.status_code, r.text)";
    let mut c = Command::new(python);
    c.args(["-c", script, &url, JASON.0, JASON.1]);
    assert_eq!(run(c).await.trim(), format!("200 hello {}", JASON.0));
    let mut c = Command::new(python);
    c.args(["-c", script, &url, JASON.0, "wrong"]);
    assert!(run(c).await.trim().starts_with("401"));
}
