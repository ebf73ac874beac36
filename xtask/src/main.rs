//! `cargo xtask`: the project's own automation, in Rust so it runs wherever
//! cargo does.
//!
//! - `cargo xtask test`: everything CI checks (format, clippy, tests and
//!   doctests, rustdoc, a short fuzz run of every target).
//! - `cargo xtask fuzz [SECONDS] [TARGET...]`: longer fuzz runs.
//! - `cargo xtask timing [SAMPLES]`: unknown user vs wrong password, over
//!   HTTP against a release build of `authscheme serve`.
//! - `cargo xtask soak [SECONDS] [CONNECTIONS] [FRAMEWORK]`: mixed valid,
//!   wrong and malformed credentials on every route; no 5xx, flat memory.
//! - `cargo xtask load [SECONDS] [ROUNDS]`: each protected route's
//!   throughput against the same server's unprotected one, with `wrk`, on
//!   every framework and the peers.

mod load;
mod soak;
mod timing;

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Seconds each fuzz target runs inside `cargo xtask test`.
const FUZZ_SMOKE_SECONDS: u32 = 10;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") | Some("ci") => test(),
        Some("fuzz") => {
            let seconds = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(60);
            let targets: Vec<String> = args.iter().skip(2).cloned().collect();
            fuzz(seconds, &targets)
        }
        Some("soak") => soak::run(
            args.get(1).and_then(|s| s.parse().ok()).unwrap_or(60),
            args.get(2).and_then(|s| s.parse().ok()).unwrap_or(256),
            args.get(3).map_or("axum", String::as_str),
        ),
        Some("load") => load::run(
            args.get(1).and_then(|s| s.parse().ok()).unwrap_or(8),
            args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2),
        ),
        Some("timing") => timing::run(args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5000)),
        _ => {
            eprintln!(
                "usage: cargo xtask <test|fuzz [SECONDS] [TARGET...]|timing [SAMPLES]|soak [SECONDS] [CONNECTIONS] [FRAMEWORK]|load [SECONDS] [ROUNDS]>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Runs a command in the workspace root, failing on a non-zero exit.
pub(crate) fn run(step: &str, cmd: &mut Command) -> Result<(), String> {
    eprintln!("\n=== xtask: {step}");
    let status = cmd
        .current_dir(root())
        .status()
        .map_err(|e| format!("{step}: cannot start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{step} failed ({status})"))
    }
}

pub(crate) fn cargo() -> Command {
    Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn test() -> Result<(), String> {
    run("format", cargo().args(["fmt", "--all", "--", "--check"]))?;
    run(
        "clippy",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run("tests and doctests", cargo().args(["test", "--workspace"]))?;
    run(
        "core with the headers feature",
        cargo().args([
            "test",
            "-p",
            "authscheme",
            "--features",
            "headers",
            "--test",
            "typed_headers",
        ]),
    )?;
    run(
        "clippy, core with the headers feature",
        cargo().args([
            "clippy",
            "-p",
            "authscheme",
            "--features",
            "headers",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run(
        "rustdoc",
        cargo()
            .args(["doc", "--workspace", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    fuzz(FUZZ_SMOKE_SECONDS, &[])
}

/// Every fuzz target listed in fuzz/Cargo.toml.
fn fuzz_targets() -> Result<Vec<String>, String> {
    let manifest =
        std::fs::read_to_string(root().join("fuzz/Cargo.toml")).map_err(|e| e.to_string())?;
    Ok(manifest
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .filter(|name| *name != "authscheme-fuzz")
        .map(str::to_owned)
        .collect())
}

fn ensure_cargo_fuzz() -> Result<(), String> {
    let present = cargo()
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if present {
        return Ok(());
    }
    run(
        "install cargo-fuzz",
        cargo().args(["install", "cargo-fuzz", "--locked"]),
    )
}

fn fuzz(seconds: u32, only: &[String]) -> Result<(), String> {
    ensure_cargo_fuzz()?;
    let targets = if only.is_empty() {
        fuzz_targets()?
    } else {
        only.to_vec()
    };
    for target in targets {
        let corpus = root().join("fuzz/corpus").join(&target);
        let seeds = root().join("fuzz/seeds").join(&target);
        std::fs::create_dir_all(&corpus).map_err(|e| e.to_string())?;
        let mut cmd = cargo();
        // The machine has a stable toolchain; cargo-fuzz needs nightly flags
        // (-Z sanitizer), which RUSTC_BOOTSTRAP unlocks. No sanitizer: the
        // code under test has no unsafe, and an uninstrumented build runs
        // several times more executions in the same time.
        cmd.env("RUSTC_BOOTSTRAP", "1")
            .args(["fuzz", "run", "--sanitizer", "none", &target])
            .arg(&corpus);
        if seeds.is_dir() {
            cmd.arg(&seeds);
        }
        cmd.args(["--", &format!("-max_total_time={seconds}"), "-max_len=4096"]);
        run(&format!("fuzz {target} for {seconds} s"), &mut cmd)?;
    }
    Ok(())
}
