//! `authscheme htdigest` against Apache's `htdigest` (apache2-utils), both
//! ways, plus the file format and error cases.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use authscheme_digest::{Algorithm, compute};

mod common;

fn ours(args: &[&str], stdin: &str) -> std::process::Output {
    let args = std::iter::once(&"htdigest").chain(args);
    common::authscheme(args, stdin.as_bytes())
}

fn line(user: &str, realm: &str, password: &str) -> String {
    let ha1 = compute::ha1(Algorithm::Md5, user, realm, password);
    format!("{user}:{realm}:{}", ha1.as_str())
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cli-htdigest-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn read(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn creates_adds_and_changes_users() {
    let dir = temp_dir("own");
    let file = dir.join("digest");
    let f = file.to_str().unwrap();
    let out = ours(&["-c", f, "my realm", "alice"], "pw one\n");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Adding password for alice in realm my realm.\n"
    );
    assert_eq!(read(&file), [line("alice", "my realm", "pw one")]);

    assert!(ours(&[f, "my realm", "bob"], "pw two\r\n").status.success());
    assert!(ours(&[f, "other", "alice"], "pw three").status.success());
    let out = ours(&[f, "my realm", "alice"], "changed\nignored second line\n");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Changing password"));
    assert_eq!(
        read(&file),
        [
            line("alice", "my realm", "changed"),
            line("bob", "my realm", "pw two"),
            line("alice", "other", "pw three"),
        ]
    );

    // -c starts afresh.
    assert!(ours(&["-c", f, "r", "carol"], "x\n").status.success());
    assert_eq!(read(&file), [line("carol", "r", "x")]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn refuses_missing_file_and_colons() {
    let dir = temp_dir("errors");
    let file = dir.join("missing");
    let f = file.to_str().unwrap();
    let out = ours(&[f, "r", "alice"], "pw\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use -c"));
    assert!(!file.exists());
    let out = ours(&["-c", f, "r", "al:ice"], "pw\n");
    assert_eq!(out.status.code(), Some(1));
    let out = ours(&["-c", f, "r:x", "alice"], "pw\n");
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs Apache's htdigest on a pseudo-terminal (it reads the password from
/// the terminal only), typing `password` at both prompts.
fn apache(password: &str, args: &[&str]) -> bool {
    const DRIVER: &str = r#"
import os, pty, sys, time
pw = sys.argv[1].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
buf = b""
for prompt in (b"New password:", b"Re-type new password:"):
    end = time.time() + 10
    while prompt not in buf and time.time() < end:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
    buf = buf.split(prompt, 1)[-1]
    time.sleep(0.05)
    os.write(fd, pw + b"\n")
try:
    while os.read(fd, 1024):
        pass
except OSError:
    pass
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"#;
    Command::new("python3")
        .args(["-c", DRIVER, password, "htdigest"])
        .args(args)
        .status()
        .unwrap()
        .success()
}

fn have_apache_htdigest() -> bool {
    let found = Command::new("sh")
        .args(["-c", "command -v htdigest"])
        .output()
        .is_ok_and(|o| o.status.success());
    let python = Command::new("python3")
        .args(["-c", "import pty"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("SKIPPED: htdigest (apache2-utils) not installed");
    } else if !python {
        eprintln!("SKIPPED: python3 not installed (needed to drive htdigest on a pty)");
    }
    found && python
}

#[test]
fn compatible_with_apache_htdigest_both_ways() {
    if !have_apache_htdigest() {
        return;
    }
    let dir = temp_dir("apache");

    // Apache writes, we update.
    let file = dir.join("from-apache");
    let f = file.to_str().unwrap();
    assert!(apache("pw one", &["-c", f, "my realm", "alice"]));
    assert_eq!(read(&file), [line("alice", "my realm", "pw one")]);
    assert!(ours(&[f, "my realm", "bob"], "pw two\n").status.success());
    assert!(
        ours(&[f, "my realm", "alice"], "pw three\n")
            .status
            .success()
    );
    assert_eq!(
        read(&file),
        [
            line("alice", "my realm", "pw three"),
            line("bob", "my realm", "pw two"),
        ]
    );

    // We write, Apache updates.
    let file = dir.join("from-us");
    let f = file.to_str().unwrap();
    assert!(
        ours(&["-c", f, "realm", "carol"], "c pw\n")
            .status
            .success()
    );
    assert!(ours(&[f, "realm", "dave"], "d pw\n").status.success());
    assert!(apache("new c pw", &[f, "realm", "carol"]));
    assert!(apache("erin pw", &[f, "realm", "erin"]));
    let lines = read(&file);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines.contains(&line("carol", "realm", "new c pw")));
    assert!(lines.contains(&line("dave", "realm", "d pw")));
    assert!(lines.contains(&line("erin", "realm", "erin pw")));
    std::fs::remove_dir_all(&dir).unwrap();
}
