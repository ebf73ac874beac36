//! `cargo xtask load [SECONDS] [ROUNDS]`: requests per second of each
//! protected route relative to the same server's unprotected `/open`, on
//! every framework, with the peers (tower-http on axum, actix-web-httpauth
//! on actix-web) in the same run (issue 6, docs/PERFORMANCE.md).
//!
//! Two kinds of server, each a release build with one worker thread:
//!
//! - each adapter's load server (`examples/load_server_FRAMEWORK.rs`), whose routes
//!   answer `ok` from the same handler shape and differ only in their
//!   guard, the peer's among them: what authentication costs;
//! - the demo server, `authscheme serve`, whose protected routes also do
//!   more than `/open` (the greeting, the `User` identity, a body to
//!   drain): what a whole application sees.
//!
//! The server is pinned to the first core and `wrk` (one thread, 32
//! connections) to the second. The rounds interleave the servers, so that
//! a drift of the machine touches them all alike. `/open` is loaded again
//! after the protected routes, and the table shows how far it moved: a
//! share is only as good as the machine was steady while it was taken,
//! and a row whose `/open` moved by more than [`STEADY`] is flagged (a
//! steady `/open` is no proof that the machine was steady in between). Every answer must be a
//! 2xx: a run with any other counts as failed, since a refusal is cheaper
//! than a success and would flatter the figure. The servers log nothing
//! (`RUST_LOG=off`): the peers do not log, and a log line per request is
//! the demo's choice, not the price of authentication.

use std::process::{Command, Stdio};

use crate::timing::{ServerGuard, connect, free_port};
use crate::{cargo, root};

/// `alice:wonderland`, base64: a user of every server, and the peers'
/// fixed pair.
const ALICE: &str = "YWxpY2U6d29uZGVybGFuZA==";
/// The static Bearer token of every server (the demo is given it).
const STATIC_TOKEN: &str = "s3cret-token";

/// How far `/open` may move between the first and the last load of a
/// server's round before the shares of that round are flagged: the
/// goals compare shares a few points apart.
const STEADY: f64 = 0.05;

/// What a route is guarded by: the columns of the table, in order.
#[derive(Clone, Copy, PartialEq)]
enum Case {
    Open,
    Basic,
    StaticBearer,
    Jwt,
    PeerBasic,
}

const CASES: [(Case, &str); 5] = [
    (Case::Open, "unprotected /open"),
    (Case::Basic, "Basic (bcrypt user, cache hit)"),
    (Case::StaticBearer, "Bearer static token"),
    (Case::Jwt, "Bearer HS256 JWT (cached)"),
    (Case::PeerBasic, "peer's Basic (fixed string)"),
];

/// One server under load: what to start, and its path for each case.
struct Server {
    label: &'static str,
    program: &'static str,
    args: &'static [&'static str],
    /// The demo server (`authscheme serve`), which takes its address as
    /// an option and prints two JWTs; a load server takes the address as
    /// its argument and prints one.
    demo: bool,
    routes: &'static [(Case, &'static str)],
}

/// The demo server's routes: both Bearer kinds go to `/bearer`.
const DEMO_ROUTES: &[(Case, &str)] = &[
    (Case::Open, "/open"),
    (Case::Basic, "/basic"),
    (Case::StaticBearer, "/bearer"),
    (Case::Jwt, "/bearer"),
];

/// A load server's routes (`examples/load_server_FRAMEWORK.rs` of each
/// adapter):
/// each answers `ok` from the same handler shape.
const LOAD_ROUTES: &[(Case, &str)] = &[
    (Case::Open, "/open"),
    (Case::Basic, "/basic"),
    (Case::StaticBearer, "/bearer"),
    (Case::Jwt, "/jwt"),
];

/// The same, with the peer's route on the same server.
const LOAD_ROUTES_WITH_PEER: &[(Case, &str)] = &[
    (Case::Open, "/open"),
    (Case::Basic, "/basic"),
    (Case::StaticBearer, "/bearer"),
    (Case::Jwt, "/jwt"),
    (Case::PeerBasic, "/peer-basic"),
];

const SERVERS: [Server; 6] = [
    Server {
        label: "axum load server",
        program: "target/release/examples/load_server_axum",
        args: &[],
        demo: false,
        routes: LOAD_ROUTES_WITH_PEER,
    },
    Server {
        label: "actix load server",
        program: "target/release/examples/load_server_actix",
        args: &[],
        demo: false,
        routes: LOAD_ROUTES_WITH_PEER,
    },
    Server {
        label: "warp load server",
        program: "target/release/examples/load_server_warp",
        args: &[],
        demo: false,
        routes: LOAD_ROUTES,
    },
    Server {
        label: "authscheme serve (axum)",
        program: "target/release/authscheme",
        args: &["serve", "--framework", "axum"],
        demo: true,
        routes: DEMO_ROUTES,
    },
    Server {
        label: "authscheme serve (actix)",
        program: "target/release/authscheme",
        args: &["serve", "--framework", "actix"],
        demo: true,
        routes: DEMO_ROUTES,
    },
    Server {
        label: "authscheme serve (warp)",
        program: "target/release/authscheme",
        args: &["serve", "--framework", "warp"],
        demo: true,
        routes: DEMO_ROUTES,
    },
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
        "build the load servers",
        cargo().args([
            "build",
            "--release",
            "-p",
            "authscheme-axum",
            "--example",
            "load_server_axum",
            "-p",
            "authscheme-actix",
            "--example",
            "load_server_actix",
            "-p",
            "authscheme-warp",
            "--example",
            "load_server_warp",
        ]),
    )?;

    // rates[server][case][round]; empty where a server has no such route.
    let mut rates = vec![vec![Vec::new(); CASES.len()]; SERVERS.len()];
    // drifts[server][round]: how far `/open` moved within the round.
    let mut drifts = vec![Vec::new(); SERVERS.len()];
    for round in 1..=rounds {
        for (s, server) in SERVERS.iter().enumerate() {
            eprintln!("xtask load: round {round}/{rounds}: {}", server.label);
            let measured = measure(server, seconds, pin)?;
            for (case, rate) in measured.rates {
                let column = CASES.iter().position(|(c, _)| *c == case).unwrap_or(0);
                rates[s][column].push(rate);
            }
            if let Some(&open) = rates[s][0].last() {
                drifts[s].push(measured.open_again / open - 1.0);
            }
        }
    }
    print_table(&rates, &drifts, seconds, rounds);
    Ok(())
}

/// What one server's round measured.
struct Measured {
    /// Each route's requests per second, in the server's route order.
    rates: Vec<(Case, f64)>,
    /// `/open` once more, after the protected routes.
    open_again: f64,
}

/// Starts `server`, warms its caches, loads each route and then `/open`
/// again.
fn measure(server: &Server, seconds: u64, pin: bool) -> Result<Measured, String> {
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
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let _guard = ServerGuard(child);
    let wanted = if server.demo { 2 } else { 1 };
    let jwt = crate::soak::read_dev_tokens(stdout, wanted)?.swap_remove(0);
    connect(port)?;

    let header = |case: Case| match case {
        Case::Open => String::new(),
        Case::Basic | Case::PeerBasic => format!("Authorization: Basic {ALICE}"),
        Case::StaticBearer => format!("Authorization: Bearer {STATIC_TOKEN}"),
        Case::Jwt => format!("Authorization: Bearer {jwt}"),
    };
    // Warm-up: one request per route fills the caches (the Basic cache's
    // first verification is a bcrypt: 32 connections at once would start
    // 32 of them and hold the server's core for seconds), then a short
    // load settles the allocator.
    for &(case, path) in server.routes {
        one_request(port, path, &header(case))?;
    }
    for &(case, path) in server.routes {
        wrk(port, path, &header(case), 1, pin)?;
    }
    let rates = server
        .routes
        .iter()
        .map(|&(case, path)| Ok((case, wrk(port, path, &header(case), seconds, pin)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let open_again = wrk(port, "/open", "", seconds, pin)?;
    Ok(Measured { rates, open_again })
}

/// One request on its own connection; fails unless the answer is a 2xx.
fn one_request(port: u16, path: &str, header: &str) -> Result<(), String> {
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", port))
        .map_err(|e| format!("cannot connect for {path}: {e}"))?;
    let header = if header.is_empty() {
        String::new()
    } else {
        format!("{header}\r\n")
    };
    write!(
        conn,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{header}Connection: close\r\n\r\n"
    )
    .map_err(|e| format!("cannot send to {path}: {e}"))?;
    let mut answer = String::new();
    conn.read_to_string(&mut answer)
        .map_err(|e| format!("no answer from {path}: {e}"))?;
    let status = answer.split(' ').nth(1).unwrap_or_default();
    if status.starts_with('2') {
        Ok(())
    } else {
        Err(format!("{path} answered {status} to the warm-up request"))
    }
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

fn print_table(rates: &[Vec<Vec<f64>>], drifts: &[Vec<f64>], seconds: u64, rounds: usize) {
    println!(
        "\n`cargo xtask load {seconds} {rounds}`: one worker, wrk -t1 -c32 -d{seconds}s, \
         {rounds} interleaved round(s); per round, a route's req/s as a share of /open's\n"
    );
    let names: Vec<&str> = CASES.iter().map(|(_, name)| *name).collect();
    println!("| server | {} | /open moved |", names.join(" | "));
    println!("|---{}|", "|---".repeat(CASES.len() + 1));
    for ((server, by_case), drift) in SERVERS.iter().zip(rates).zip(drifts) {
        let open = &by_case[0];
        let opens: Vec<String> = open.iter().map(|r| format!("{r:.0}")).collect();
        let mut row = format!("| {} | {} req/s |", server.label, opens.join(" / "));
        for case in &by_case[1..] {
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
        let moved: Vec<String> = drift
            .iter()
            .map(|d| format!("{:+.1} %", 100.0 * d))
            .collect();
        row.push_str(&format!(" {} |", moved.join(" / ")));
        println!("{row}");
    }
    let unsteady = unsteady_rounds(drifts);
    if unsteady > 0 {
        println!(
            "\nWARNING: in {unsteady} server round(s) /open moved by more than {:.0} % while \
             the routes were loaded: the machine's speed changed under the run, and the \
             shares of those rounds cannot be read against goals a few points apart.",
            100.0 * STEADY
        );
    }
}

/// How many server rounds saw `/open` move by more than [`STEADY`].
fn unsteady_rounds(drifts: &[Vec<f64>]) -> usize {
    drifts.iter().flatten().filter(|d| d.abs() > STEADY).count()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_is_unsteady_when_open_moved_more_than_the_bound_either_way() {
        let drifts = vec![vec![0.01, -0.049], vec![0.051, -0.2], vec![]];
        assert_eq!(unsteady_rounds(&drifts), 2);
        assert_eq!(unsteady_rounds(&[vec![0.0, STEADY]]), 0);
    }
}
