//! Files written by Apache's `htpasswd` (apache2-utils), in every format it
//! offers, are read by `HtpasswdStore`.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use authscheme_basic::{BasicCredentials, HtpasswdStore, UserStore};

#[tokio::test]
async fn every_apache_format_verifies() {
    if Command::new("htpasswd").arg("-h").output().is_err() {
        eprintln!("SKIPPED: htpasswd not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".htpasswd");
    let users = [
        ("-B", "bcrypt user", "Secret, or not?"),
        ("-m", "apr1", "pass:with:colons"),
        ("-s", "sha1", "p"),
        ("-2", "sha256 Jäsøn", "123£"),
        ("-5", "sha512", "open sesame"),
    ];
    for (i, (flag, user, password)) in users.iter().enumerate() {
        let mode = format!("-{}b{}", if i == 0 { "c" } else { "" }, &flag[1..]);
        let mut command = Command::new("htpasswd");
        command.arg(&mode);
        if *flag == "-B" {
            // -C is the bcrypt cost; with -2/-5 it would be taken as rounds
            // and glibc would refuse 5 rounds (htpasswd then writes "*0").
            command.args(["-C", "5"]);
        }
        let out = command.arg(&path).args([user, password]).output().unwrap();
        assert!(out.status.success(), "{out:?}");
    }
    let store = HtpasswdStore::open(&path).unwrap();
    assert!(store.problems().is_empty(), "{:?}", store.problems());
    assert_eq!(store.len(), users.len());
    for (flag, user, password) in users {
        let good = BasicCredentials::new(user, password).unwrap();
        let bad = BasicCredentials::new(user, &format!("{password}!")).unwrap();
        assert!(store.verify(&good).await.unwrap().is_some(), "{flag}");
        assert!(store.verify(&bad).await.unwrap().is_none(), "{flag}");
    }
}
