//! `authscheme htpasswd` against Apache's `htpasswd` (apache2-utils), both
//! directions: files we write pass `htpasswd -vb`, files it writes pass
//! `authscheme htpasswd --verify`.
#![allow(clippy::unwrap_used)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

mod common;

const USERS: [(&str, &str); 2] = [
    ("Jäsøn Doe", "Secret, or not?"),
    ("bob", "pass:with:colons"),
];

/// A directory removed when dropped (std only: this package has no
/// dev-dependencies of its own).
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "authscheme-htpasswd-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn file(&self) -> PathBuf {
        self.0.join(".htpasswd")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn ours(args: &[&str], file: &Path, user: &str, stdin: &str) -> Output {
    let mut all: Vec<&OsStr> = vec![OsStr::new("htpasswd")];
    all.extend(args.iter().map(OsStr::new));
    all.extend([file.as_os_str(), OsStr::new(user)]);
    common::authscheme(all, stdin.as_bytes())
}

fn apache_htpasswd() -> bool {
    let found = Command::new("htpasswd").arg("-h").output().is_ok();
    if !found {
        eprintln!("SKIPPED: htpasswd not installed");
    }
    found
}

fn apache_verifies(file: &Path, user: &str, password: &str) -> bool {
    Command::new("htpasswd")
        .args(["-vb"])
        .arg(file)
        .args([user, password])
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn files_we_write_pass_apache_htpasswd_verify() {
    if !apache_htpasswd() {
        return;
    }
    let formats: [&[&str]; 5] = [
        &["--bcrypt", "--cost", "5"],
        &["--sha256"],
        &["--sha512"],
        &["--apr1"],
        &["--sha1"],
    ];
    for format in formats {
        let dir = Scratch::new();
        let file = dir.file();
        for (i, (user, password)) in USERS.iter().enumerate() {
            let mut args = format.to_vec();
            if i == 0 {
                args.push("-c");
            }
            let out = ours(&args, &file, user, &format!("{password}\n"));
            assert!(out.status.success(), "{format:?}: {out:?}");
        }
        for (user, password) in USERS {
            assert!(apache_verifies(&file, user, password), "{format:?} {user}");
            assert!(!apache_verifies(&file, user, "wrong"), "{format:?} {user}");
        }
    }
}

#[test]
fn files_apache_writes_pass_our_verify() {
    if !apache_htpasswd() {
        return;
    }
    for flag in ["-B", "-m", "-s", "-2", "-5"] {
        let dir = Scratch::new();
        let file = dir.file();
        for (i, (user, password)) in USERS.iter().enumerate() {
            let mode = if i == 0 {
                format!("-cb{}", &flag[1..])
            } else {
                format!("-b{}", &flag[1..])
            };
            let status = Command::new("htpasswd")
                .arg(mode)
                .arg(&file)
                .args([user, password])
                .output()
                .unwrap()
                .status;
            assert!(status.success(), "htpasswd {flag}");
        }
        for (user, password) in USERS {
            let ok = ours(&["--verify"], &file, user, &format!("{password}\r\n"));
            assert!(ok.status.success(), "{flag} {user}: {ok:?}");
            let bad = ours(&["--verify"], &file, user, "wrong\n");
            assert_eq!(bad.status.code(), Some(3), "{flag} {user}");
        }
    }
}

#[test]
fn update_and_delete_keep_the_other_lines() {
    let dir = Scratch::new();
    let file = dir.file();
    std::fs::write(
        &file,
        "# team file\ncarol:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n",
    )
    .unwrap();
    assert!(ours(&["--sha1"], &file, "bob", "one\n").status.success());
    assert!(ours(&["--sha1"], &file, "bob", "two\n").status.success());
    assert!(ours(&["--verify"], &file, "bob", "two\n").status.success());
    assert_eq!(
        ours(&["--verify"], &file, "bob", "one\n").status.code(),
        Some(3)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.starts_with("# team file\ncarol:"));

    assert!(ours(&["--delete"], &file, "bob", "").status.success());
    assert_eq!(
        ours(&["--verify"], &file, "bob", "two\n").status.code(),
        Some(3)
    );
    assert!(
        ours(&["--verify"], &file, "carol", "password\n")
            .status
            .success()
    );
    assert!(!ours(&["--delete"], &file, "bob", "").status.success());
}

#[test]
fn refuses_bad_input() {
    let dir = Scratch::new();
    let file = dir.file();
    // No file and no -c.
    assert!(!ours(&[], &file, "bob", "pw\n").status.success());
    // A colon in the user-id.
    assert!(!ours(&["-c"], &file, "a:b", "pw\n").status.success());
    // Two formats at once.
    assert_eq!(
        ours(&["-c", "--sha1", "--apr1"], &file, "bob", "pw\n")
            .status
            .code(),
        Some(2)
    );
    // A bcrypt cost out of range.
    assert!(
        !ours(&["-c", "--cost", "99"], &file, "bob", "pw\n")
            .status
            .success()
    );
    assert!(!file.exists());
}
