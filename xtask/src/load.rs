//! `cargo xtask load [SECONDS] [ROUNDS]`: requests per second of each
//! protected route relative to the same server's unprotected `/open`, on
//! every framework, with the peers (tower-http on axum, actix-web-httpauth
//! on actix-web) in the same run (issue 6, docs/PERFORMANCE.md).
//!
//! Each server is a release build with one worker thread, pinned to the
//! first core; `wrk` runs on the second core (one thread, 32 connections).
//! The rounds interleave the servers, so that a drift of the machine
//! touches them all alike. Every answer must be a 2xx: a run with any
//! other counts as failed, since a refusal is cheaper than a success and
//! would flatter the figure. The servers log nothing (`RUST_LOG=off`):
//! the peers do not log, and a log line per request is the demo's choice,
//! not the price of authentication.

use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::Duration;

use crate::timing::{ServerGuard, free_port};
use crate::{cargo, root};

/// `alice:wonderland`, base64: an embedded user of the demo and the peers'
/// fixed pair.
const ALICE: &str = "YWxpY2U6d29uZGVybGFuZA==";
/// The static token the demo is started with.
const STATIC_TOKEN: &str = "s3cret-token";

/// One server under load: what to start, and which protected routes to
/// measure against its `/open`.
struct Server {
    label: &'static str,
    program: &'static str,
    args: &'static [&'static str],
    /// The demo prints development JWTs; the peers serve Basic only.
    demo: bool,
}

const SERVERS: [Server; 5] = [
    Server {
        label: "axum",
        program: "target/release/authscheme",
        args: &["serve", "--framework", "axum"],
        demo: true,
    },
    Server {
        label: "actix",
        program: "target/release/authscheme",
        args: &["serve", "--framework", "actix"],
        demo: true,
    },
    Server {
        label: "warp",
        program: "target/release/authscheme",
        args: &["serve", "--framework", "warp"],
        demo: true,
    },
    Server {
        label: "axum + tower-http (peer)",
        program: "target/release/examples/peer_tower_http",
        args: &[],
        demo: false,
    },
    Server {
        label: "actix + actix-web-httpauth (peer)",
        program: "target/release/examples/peer_httpauth",
        args: &[],
        demo: false,
    },
];

/// The columns of the table, in order.
const CASES: [&str; 4] = [
    "Basic (bcrypt user, cache hit)",
    "Bearer static token",
    "Bearer HS256 JWT (cached)",
    "unprotected /open",
];

pub(crate) fn run(seconds: u64, rounds: usize) -> Result<(), String> {
    require("wrk", "apt-get install -y wrk")?;
    let pin = which("taskset");
    if !pin {
        eprintln!(
            "xtask load: WARNING: taskset is missing (util-linux): server and load are not pinned"
        );
    }
    crate::run(
        "build release CLI",
        cargo().args(["build", "--release", "-p", "authscheme-cli"]),
    )?;
    crate::run(
        "build release peers",
        cargo().args([
            "build",
            "--release",
            "-p",
            "authscheme-axum",
            "--example",
            "peer_tower_http",
            "-p",
            "authscheme-actix",
            "--example",
            "peer_httpauth",
        ]),
    )?;

    // rates[server][case][round]; `None` where a server has no such route.
    let mut rates = vec![vec![Vec::new(); CASES.len()]; SERVERS.len()];
    for round in 1..=rounds {
        for (s, server) in SERVERS.iter().enumerate() {
            eprintln!("xtask load: round {round}/{rounds}: {}", server.label);
            for (case, rate) in measure(server, seconds, pin)? {
                rates[s][case].push(rate);
            }
        }
    }
    print_table(&rates, seconds, rounds);
    Ok(())
}

/// Starts `server`, warms its caches and loads each route; (case, req/s).
fn measure(server: &Server, seconds: u64, pin: bool) -> Result<Vec<(usize, f64)>, String> {
    let port = free_port()?;
    let addr = format!("127.0.0.1:{port}");
    let mut cmd = if pin {
        let mut c = Command::new("taskset");
        c.args(["-c", "0"]).arg(root().join(server.program));
        c
    } else {
        Command::new(root().join(server.program))
    };
    cmd.args(server.args);
    if server.demo {
        cmd.args(["--workers", "1", "--addr", &addr])
            .args(["--bearer-token", STATIC_TOKEN]);
    } else {
        cmd.arg(&addr);
    }
    let mut child = cmd
        .env("RUST_LOG", "off")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", server.label))?;
    let jwt = if server.demo {
        let stdout = child.stdout.take().ok_or("no stdout")?;
        crate::soak::read_dev_tokens(stdout)?.swap_remove(0)
    } else {
        String::new()
    };
    let _guard = ServerGuard(child);
    wait_for(port)?;

    let basic = format!("Authorization: Basic {ALICE}");
    let static_bearer = format!("Authorization: Bearer {STATIC_TOKEN}");
    let jwt_bearer = format!("Authorization: Bearer {jwt}");
    let mut routes = vec![(0, "/basic", basic.as_str()), (3, "/open", "")];
    if server.demo {
        routes.insert(1, (1, "/bearer", static_bearer.as_str()));
        routes.insert(2, (2, "/bearer", jwt_bearer.as_str()));
    }
    // Warm-up: the Basic cache's first verification is a bcrypt, the JWT
    // cache's a signature check; a short load also settles the allocator.
    for &(_, path, header) in &routes {
        wrk(port, path, header, 1, pin)?;
    }
    routes
        .iter()
        .map(|&(case, path, header)| Ok((case, wrk(port, path, header, seconds, pin)?)))
        .collect()
}

/// Waits until the server accepts connections (a bcrypt of the embedded
/// users comes first).
fn wait_for(port: u16) -> Result<(), String> {
    for _ in 0..300 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        sleep(Duration::from_millis(100));
    }
    Err(format!("no server on port {port} after 30 s"))
}

/// One `wrk` run; its requests per second. Any answer but a 2xx, or a
/// socket error, fails the run.
fn wrk(port: u16, path: &str, header: &str, seconds: u64, pin: bool) -> Result<f64, String> {
    let mut cmd = if pin {
        let mut c = Command::new("taskset");
        c.args(["-c", "1", "wrk"]);
        c
    } else {
        Command::new("wrk")
    };
    cmd.args(["-t1", "-c32", &format!("-d{seconds}s")]);
    if !header.is_empty() {
        cmd.args(["-H", header]);
    }
    let out = cmd
        .arg(format!("http://127.0.0.1:{port}{path}"))
        .output()
        .map_err(|e| format!("cannot run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("wrk failed on {path}: {text}"));
    }
    if let Some(line) = text
        .lines()
        .find(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
    {
        return Err(format!("{path}: {}", line.trim()));
    }
    text.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("no Requests/sec in wrk's output for {path}: {text}"))
}

fn print_table(rates: &[Vec<Vec<f64>>], seconds: u64, rounds: usize) {
    println!(
        "\n`cargo xtask load {seconds} {rounds}`: one worker, wrk -t1 -c32 -d{seconds}s, \
         {rounds} interleaved round(s); per round, a route's req/s as a share of /open's\n"
    );
    println!(
        "| server | {} | {} | {} | {} |",
        CASES[3], CASES[0], CASES[1], CASES[2]
    );
    println!("|---|---|---|---|---|");
    for (server, by_case) in SERVERS.iter().zip(rates) {
        let open = &by_case[3];
        let opens: Vec<String> = open.iter().map(|r| format!("{r:.0}")).collect();
        let mut row = format!("| {} | {} req/s |", server.label, opens.join(" / "));
        for case in &by_case[..3] {
            if case.is_empty() {
                row.push_str(" - |");
                continue;
            }
            let shares: Vec<String> = case
                .iter()
                .zip(open)
                .map(|(r, o)| format!("{:.1} %", 100.0 * r / o))
                .collect();
            row.push_str(&format!(" {} |", shares.join(" / ")));
        }
        println!("{row}");
    }
}

fn which(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn require(program: &str, install: &str) -> Result<(), String> {
    if which(program) {
        Ok(())
    } else {
        Err(format!("{program} is missing; install it ({install})"))
    }
}
