//! Real HTTP clients against an adapter's server: curl, and Python's
//! `requests` and `httpx`. Each check skips loudly when its client is not
//! installed, and fails otherwise.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::process::Command;

use crate::scenario::Scenario;
use crate::server::RunningServer;

/// One client invocation and what it must print.
struct PeerCheck {
    name: &'static str,
    program: &'static str,
    args: Vec<String>,
    /// The status code the client must report.
    status: u16,
    /// Text the response body must contain.
    body: &'static str,
}

fn curl(
    addr: SocketAddr,
    name: &'static str,
    extra: &[&str],
    url: &str,
    status: u16,
    body: &'static str,
) -> PeerCheck {
    let mut args: Vec<String> = ["-sS", "--max-time", "10", "-w", "\n%{http_code}"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    args.extend(extra.iter().map(|s| s.replace("{addr}", &addr.to_string())));
    args.push(url.replace("{addr}", &addr.to_string()));
    PeerCheck {
        name,
        program: "curl",
        args,
        status,
        body,
    }
}

/// A Python snippet using `module` (`requests` or `httpx`) that prints the
/// body, a newline and the status code.
fn python(
    module: &'static str,
    name: &'static str,
    call: String,
    status: u16,
    body: &'static str,
) -> PeerCheck {
    let script = format!(
        "import sys, {module}\nr = {call}\nsys.stdout.write(r.text + '\\n' + str(r.status_code))\n"
    );
    PeerCheck {
        name,
        program: "python3",
        args: vec!["-c".to_owned(), script],
        status,
        body,
    }
}

fn checks(addr: SocketAddr) -> Vec<PeerCheck> {
    let base = format!("http://{addr}");
    let mut checks = vec![
        curl(
            addr,
            "curl/basic-missing",
            &[],
            "http://{addr}/basic",
            401,
            "Unauthorized",
        ),
        curl(
            addr,
            "curl/basic-ok",
            &["-u", "alice:wonderland"],
            "http://{addr}/basic",
            200,
            "identity=alice",
        ),
        curl(
            addr,
            "curl/basic-wrong",
            &["-u", "alice:nope"],
            "http://{addr}/basic",
            401,
            "Unauthorized",
        ),
        curl(
            addr,
            "curl/bearer-ok",
            &["-H", "Authorization: Bearer read-token"],
            "http://{addr}/multi",
            200,
            "identity=alice",
        ),
        curl(
            addr,
            "curl/anyauth-picks-basic",
            &["--anyauth", "-u", "bob:builder"],
            "http://{addr}/basic",
            200,
            "identity=bob",
        ),
        curl(
            addr,
            "curl/proxy-basic",
            &["-x", "http://{addr}", "--proxy-user", "alice:wonderland"],
            "http://127.0.0.1/proxy",
            200,
            "identity=alice",
        ),
        curl(
            addr,
            "curl/proxy-missing",
            &["-x", "http://{addr}"],
            "http://127.0.0.1/proxy",
            407,
            "Proxy Authentication Required",
        ),
        curl(
            addr,
            "curl/post-body-kept",
            &["-u", "alice:wonderland", "--data-binary", "payload=1"],
            "http://{addr}/optional",
            200,
            "body-length=9\npayload=1",
        ),
    ];
    for module in ["requests", "httpx"] {
        checks.push(python(
            module,
            if module == "requests" {
                "requests/basic-ok"
            } else {
                "httpx/basic-ok"
            },
            format!("{module}.get('{base}/basic', auth=('alice', 'wonderland'))"),
            200,
            "identity=alice",
        ));
        checks.push(python(
            module,
            if module == "requests" { "requests/auth-int-body" } else { "httpx/auth-int-body" },
            format!(
                "{module}.post('{base}/body', content=b'hello', headers={{'Authorization': 'BodyCheck key=\"k3y\", length=\"5\"'}})"
            )
            .replace("content=", if module == "requests" { "data=" } else { "content=" }),
            200,
            "identity=carol\nbody-length=5\nhello",
        ));
    }
    checks
}

/// Whether `program` can be run at all.
fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether python3 can import `module`.
fn python_has(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run_check(check: &PeerCheck) -> Result<(), String> {
    let output = Command::new(check.program)
        .args(&check.args)
        .output()
        .map_err(|e| format!("{}: could not run {}: {e}", check.name, check.program))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let (body, status) = stdout.rsplit_once('\n').unwrap_or(("", &stdout));
    let status: Option<u16> = status.trim().parse().ok();
    if status != Some(check.status) || !body.contains(check.body) {
        return Err(format!(
            "{}: expected {} with {:?}, got {:?} with {:?} (stderr {:?})",
            check.name,
            check.status,
            check.body,
            status,
            body,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(())
}

/// Starts a server for [`Scenario::standard`] and drives it with curl,
/// Python `requests` and Python `httpx`: Basic (including curl's
/// `--anyauth` negotiation), Bearer, a body for the integrity scheme, and
/// curl as a proxy client against the proxy route. A client that is not
/// installed is skipped with a `SKIPPED: <name> not installed` line on
/// stderr.
///
/// # Panics
///
/// When the server does not start or any installed client gets a wrong
/// answer; the message lists every failure.
///
/// # Examples
///
/// In an adapter's test (`start_my_framework` binds `127.0.0.1:0`, serves
/// the routes and returns a [`RunningServer`]):
///
/// ```no_run
/// # async fn start_my_framework(_: authscheme_testkit::Scenario) -> std::io::Result<authscheme_testkit::RunningServer> { Err(std::io::Error::other("bind and serve here")) }
/// # async fn test() {
/// authscheme_testkit::run_peer_clients(start_my_framework).await;
/// # }
/// ```
pub async fn run_peer_clients<F, Fut>(start: F)
where
    F: FnOnce(Scenario) -> Fut,
    Fut: Future<Output = io::Result<RunningServer>>,
{
    let server = match start(Scenario::standard()).await {
        Ok(server) => server,
        Err(e) => panic!("server did not start: {e}"),
    };
    let addr = server.addr();
    let failures = tokio::task::spawn_blocking(move || {
        let have_curl = installed("curl");
        let have_python = installed("python3");
        let mut skipped = Vec::new();
        let mut failures = Vec::new();
        for check in checks(addr) {
            let available = match check.program {
                "curl" => have_curl,
                _ => have_python && python_has(check.name.split('/').next().unwrap_or("")),
            };
            if !available {
                let what = check
                    .name
                    .split('/')
                    .next()
                    .unwrap_or(check.program)
                    .to_owned();
                if !skipped.contains(&what) {
                    eprintln!("SKIPPED: {what} not installed");
                    skipped.push(what);
                }
                continue;
            }
            if let Err(failure) = run_check(&check) {
                failures.push(failure);
            }
        }
        failures
    })
    .await;
    drop(server);
    match failures {
        Ok(failures) if failures.is_empty() => {}
        Ok(failures) => panic!(
            "{} peer check(s) failed:\n{}",
            failures.len(),
            failures.join("\n")
        ),
        Err(e) => panic!("peer checks did not run: {e}"),
    }
}
