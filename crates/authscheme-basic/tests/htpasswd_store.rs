//! The htpasswd store: bad lines, reloading without a failure window, cache
//! invalidation on reload, and unknown users costing as much as known ones.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use authscheme::{AuthRequest, Authenticator, Outcome};
use authscheme_basic::{
    BasicCredentials, BasicScheme, HashFormat, HtpasswdStore, PasswordHash, UserStore,
};

fn sha1(password: &str) -> String {
    PasswordHash::generate(HashFormat::Sha1, password)
        .unwrap()
        .as_str()
        .to_owned()
}

/// Replaces the file the way editors and `authscheme htpasswd` do: write a
/// temporary file, then rename it over the old one.
fn replace(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn creds(user: &str, password: &str) -> BasicCredentials {
    BasicCredentials::new(user, password).unwrap()
}

#[tokio::test]
async fn bad_lines_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".htpasswd");
    let text = format!(
        "alice:{}\nbroken line\nbob:cleartext\ncarol:$2y$05$short\n\u{0}:x\ndave:{}\n",
        sha1("a"),
        sha1("d")
    );
    std::fs::write(&path, text).unwrap();
    let store = HtpasswdStore::open(&path).unwrap();
    assert_eq!(store.len(), 2);
    let lines: Vec<_> = store.problems().iter().map(|p| p.line()).collect();
    assert_eq!(lines, [2, 3, 4, 5]);
    // The good users around the bad lines still work.
    assert!(store.verify(&creds("alice", "a")).await.unwrap().is_some());
    assert!(store.verify(&creds("dave", "d")).await.unwrap().is_some());
    assert!(
        store
            .verify(&creds("bob", "cleartext"))
            .await
            .unwrap()
            .is_none()
    );
    // Problems say what and where, never the content.
    for p in store.problems() {
        assert!(!p.to_string().contains("cleartext"), "{p}");
    }
}

#[tokio::test]
async fn plaintext_only_with_the_dangerous_option() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".htpasswd");
    std::fs::write(&path, "bob:cleartext\n").unwrap();
    let store = HtpasswdStore::builder(&path)
        .dangerous_allow_plaintext(true)
        .open()
        .unwrap();
    assert!(
        store
            .verify(&creds("bob", "cleartext"))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .verify(&creds("bob", "Cleartext"))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn reloads_when_the_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".htpasswd");
    std::fs::write(&path, format!("alice:{}\n", sha1("old"))).unwrap();
    let store = HtpasswdStore::builder(&path)
        .check_interval(Duration::ZERO)
        .open()
        .unwrap();
    assert!(
        store
            .verify(&creds("alice", "old"))
            .await
            .unwrap()
            .is_some()
    );
    let before = store.generation();

    replace(
        &path,
        &format!("alice:{}\nbob:{}\n", sha1("new"), sha1("b")),
    );
    assert!(
        store
            .verify(&creds("alice", "old"))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .verify(&creds("alice", "new"))
            .await
            .unwrap()
            .is_some()
    );
    assert!(store.verify(&creds("bob", "b")).await.unwrap().is_some());
    assert!(store.generation() > before);

    // A vanished file keeps the loaded users instead of locking everyone out.
    std::fs::remove_file(&path).unwrap();
    assert!(store.verify(&creds("bob", "b")).await.unwrap().is_some());
}

#[tokio::test]
async fn checks_at_most_once_per_interval() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".htpasswd");
    std::fs::write(&path, format!("alice:{}\n", sha1("old"))).unwrap();
    let store = HtpasswdStore::builder(&path)
        .check_interval(Duration::from_millis(300))
        .open()
        .unwrap();
    assert!(
        store
            .verify(&creds("alice", "old"))
            .await
            .unwrap()
            .is_some()
    );
    replace(&path, &format!("alice:{}\n", sha1("new")));
    // Within the interval the loaded version answers...
    assert!(
        store
            .verify(&creds("alice", "old"))
            .await
            .unwrap()
            .is_some()
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    // ...after it, the new one.
    assert!(
        store
            .verify(&creds("alice", "new"))
            .await
            .unwrap()
            .is_some()
    );
}

#[test]
fn valid_users_never_fail_during_reloads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".htpasswd");
    let stable = format!("stable:{}\n", sha1("s"));
    std::fs::write(&path, &stable).unwrap();
    let store = Arc::new(
        HtpasswdStore::builder(&path)
            .check_interval(Duration::ZERO)
            .open()
            .unwrap(),
    );
    let stop = Arc::new(AtomicBool::new(false));
    let checks = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (store, stop, checks) = (store.clone(), stop.clone(), checks.clone());
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .unwrap();
                let c = creds("stable", "s");
                while !stop.load(Ordering::Relaxed) {
                    let ok = rt.block_on(store.verify(&c)).unwrap().is_some();
                    assert!(ok, "a valid user failed during a reload");
                    checks.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let generation = store.generation();
    for i in 0..200 {
        // Growing files, with other users coming and going.
        let extra: String = (0..i % 7)
            .map(|n| format!("user{n}:{}\n", sha1("x")))
            .collect();
        replace(&path, &format!("{extra}{stable}"));
    }
    std::thread::sleep(Duration::from_millis(50));
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.join().unwrap();
    }
    assert!(checks.load(Ordering::Relaxed) > 100);
    assert!(store.generation() > generation, "no reload happened");
}

#[tokio::test]
async fn cache_serves_hits_and_is_emptied_on_reload() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".htpasswd");
    let bcrypt = |pw: &str| {
        PasswordHash::generate_with_cost(HashFormat::Bcrypt, pw, Some(8))
            .unwrap()
            .as_str()
            .to_owned()
    };
    std::fs::write(&path, format!("alice:{}\n", bcrypt("old"))).unwrap();
    let store = HtpasswdStore::builder(&path)
        .check_interval(Duration::ZERO)
        .open()
        .unwrap();
    let scheme = BasicScheme::new("r", store).with_cache(Duration::from_secs(300), 16);
    let auth = Authenticator::new().with(scheme);
    let headers = |value: &str| {
        let mut headers = http::HeaderMap::new();
        headers.insert("authorization", value.parse().unwrap());
        headers
    };
    let call = |value: &'static str| {
        let auth = auth.clone();
        async move {
            let headers = headers(value);
            let request = AuthRequest::new("GET", "/", &headers);
            matches!(auth.authenticate(&request).await, Outcome::Authenticated(_))
        }
    };
    // A cache hit is what `authenticate_now` answers from.
    let hit = |value: &'static str| {
        let headers = headers(value);
        auth.authenticate_now(&AuthRequest::new("GET", "/", &headers))
            .map(|ok| ok.authenticated().identity().name().to_owned())
    };
    // alice:old and alice:new
    let (old, new) = ("Basic YWxpY2U6b2xk", "Basic YWxpY2U6bmV3");
    assert_eq!(hit(old), None, "nothing is cached before a verification");
    assert!(call(old).await);
    assert_eq!(hit(old).as_deref(), Some("alice"));
    assert_eq!(hit(new), None, "a wrong password is never a hit");

    replace(&path, &format!("alice:{}\n", bcrypt("new")));
    assert_eq!(hit(old), None, "the cached password survived the reload");
    assert!(!call(old).await);
    assert!(call(new).await);
    assert_eq!(hit(new).as_deref(), Some("alice"));
}

/// Unknown users are verified against a dummy of the file's format and
/// cost, so they cost what a wrong password costs. A coarse check (medians
/// within a factor of two); the statistical test belongs to the xtask.
#[tokio::test]
async fn unknown_users_cost_as_much_as_wrong_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".htpasswd");
    let hash = PasswordHash::generate_with_cost(HashFormat::Bcrypt, "right", Some(7)).unwrap();
    std::fs::write(&path, format!("alice:{}\n", hash.as_str())).unwrap();
    let store = HtpasswdStore::open(&path).unwrap();
    let mut wrong = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..15 {
        let t = Instant::now();
        assert!(
            store
                .verify(&creds("alice", "wrong"))
                .await
                .unwrap()
                .is_none()
        );
        wrong.push(t.elapsed());
        let t = Instant::now();
        assert!(
            store
                .verify(&creds("mallory", "wrong"))
                .await
                .unwrap()
                .is_none()
        );
        unknown.push(t.elapsed());
    }
    wrong.sort();
    unknown.sort();
    let (w, u) = (wrong[7].as_secs_f64(), unknown[7].as_secs_f64());
    assert!(
        u > w / 2.0 && u < w * 2.0,
        "unknown user median {u:.4}s vs wrong password median {w:.4}s"
    );
}

/// bcrypt runs on the blocking pool: a single-threaded runtime keeps
/// serving other tasks while a password is checked.
#[cfg(feature = "tokio")]
#[tokio::test(flavor = "current_thread")]
async fn slow_hashes_do_not_stall_the_executor() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".htpasswd");
    let hash = PasswordHash::generate_with_cost(HashFormat::Bcrypt, "pw", Some(10)).unwrap();
    std::fs::write(&path, format!("alice:{}\n", hash.as_str())).unwrap();
    let store = HtpasswdStore::open(&path).unwrap();
    let ticks = Arc::new(AtomicUsize::new(0));
    let ticker = {
        let ticks = ticks.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(1)).await;
                ticks.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    tokio::task::yield_now().await;
    let start = Instant::now();
    assert!(store.verify(&creds("alice", "pw")).await.unwrap().is_some());
    let took = start.elapsed();
    ticker.abort();
    assert!(
        ticks.load(Ordering::Relaxed) >= 3,
        "the executor stalled for {took:?} ({} ticks)",
        ticks.load(Ordering::Relaxed)
    );
}
