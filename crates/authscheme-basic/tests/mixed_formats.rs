//! Stores mixing hash formats and costs: an unknown user and every known
//! user's wrong password cost the same order of time, whichever format the
//! user's hash has (a minority of cheap or dear hashes must not stand out).
//! A coarse check, medians within a factor of two, as for one format in
//! `htpasswd_store.rs`; `cargo xtask timing` is the statistical test over
//! HTTP. Only bcrypt, `$apr1$` and `{SHA}` are mixed here: in the
//! unoptimised test profile sha-crypt runs tens of times slower than in a
//! release build, which would distort the comparison.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use authscheme_basic::{
    BasicCredentials, HashFormat, HtpasswdStore, MemoryStore, PasswordHash, UserStore,
};

fn hash(format: HashFormat, cost: Option<u32>) -> PasswordHash {
    PasswordHash::generate_with_cost(format, "right", cost).unwrap()
}

/// Median times of a wrong password for each of `users` and for an
/// unknown user (last), measured interleaved so that load drifting over
/// the run hits all alike.
async fn medians(store: &impl UserStore, users: &[&str]) -> Vec<Duration> {
    let mut all: Vec<&str> = users.to_vec();
    all.push("mallory");
    let mut times = vec![Vec::new(); all.len()];
    for round in 0..15 {
        for i in 0..all.len() {
            // Rotate who goes first.
            let i = (i + round) % all.len();
            let creds = BasicCredentials::new(all[i], "wrong").unwrap();
            let t = Instant::now();
            assert!(store.verify(&creds).await.unwrap().is_none());
            times[i].push(t.elapsed());
        }
    }
    times
        .into_iter()
        .map(|mut t| {
            t.sort();
            t[t.len() / 2]
        })
        .collect()
}

/// Every median within a factor of two of the unknown user's.
fn assert_alike(users: &[&str], medians: &[Duration]) {
    let unknown = medians[medians.len() - 1].as_secs_f64();
    for (user, m) in users.iter().zip(medians) {
        let m = m.as_secs_f64();
        assert!(
            m > unknown / 2.0 && m < unknown * 2.0,
            "{user}: wrong password {:.3} ms, unknown user {:.3} ms (all: {medians:?})",
            m * 1e3,
            unknown * 1e3
        );
    }
}

fn htpasswd(dir: &tempfile::TempDir, lines: &[(&str, PasswordHash)]) -> HtpasswdStore {
    let path = dir.path().join(".htpasswd");
    let text: String = lines
        .iter()
        .map(|(u, h)| format!("{u}:{}\n", h.as_str()))
        .collect();
    std::fs::write(&path, text).unwrap();
    HtpasswdStore::open(&path).unwrap()
}

/// Mostly bcrypt, with a `{SHA}` and an `$apr1$` line: those users used to
/// answer a wrong password in microseconds while an unknown user took a
/// bcrypt verification.
#[tokio::test]
async fn cheap_lines_in_a_bcrypt_file_do_not_stand_out() {
    let dir = tempfile::tempdir().unwrap();
    let bcrypt = || hash(HashFormat::Bcrypt, Some(7));
    let store = htpasswd(
        &dir,
        &[
            ("alice", bcrypt()),
            ("bob", bcrypt()),
            ("carol", hash(HashFormat::Sha1, None)),
            ("dave", hash(HashFormat::Apr1, None)),
        ],
    );
    let users = ["alice", "bob", "carol", "dave"];
    assert_alike(&users, &medians(&store, &users).await);
}

/// Mostly `{SHA}`, with one bcrypt line: the unknown user used to cost a
/// `{SHA}` verification while the bcrypt user took milliseconds.
#[tokio::test]
async fn a_dear_line_in_a_cheap_file_does_not_stand_out() {
    let dir = tempfile::tempdir().unwrap();
    let sha = || hash(HashFormat::Sha1, None);
    let store = htpasswd(
        &dir,
        &[
            ("alice", sha()),
            ("bob", sha()),
            ("carol", sha()),
            ("dave", hash(HashFormat::Bcrypt, Some(7))),
        ],
    );
    let users = ["alice", "bob", "carol", "dave"];
    assert_alike(&users, &medians(&store, &users).await);
}

/// One format, two costs: the dearer cost is the minority.
#[tokio::test]
async fn a_higher_bcrypt_cost_does_not_stand_out() {
    let dir = tempfile::tempdir().unwrap();
    let store = htpasswd(
        &dir,
        &[
            ("alice", hash(HashFormat::Bcrypt, Some(5))),
            ("bob", hash(HashFormat::Bcrypt, Some(5))),
            ("carol", hash(HashFormat::Bcrypt, Some(8))),
        ],
    );
    let users = ["alice", "bob", "carol"];
    assert_alike(&users, &medians(&store, &users).await);
}

/// The memory store hashes with bcrypt itself but takes any format through
/// `insert_hash`; the dummy follows what it holds, also after removals.
#[tokio::test]
async fn memory_store_with_inserted_hashes_of_other_formats() {
    let store = MemoryStore::with_cost(7).unwrap();
    store.insert("alice", "right").unwrap();
    store
        .insert_hash("carol", hash(HashFormat::Sha1, None))
        .unwrap();
    store
        .insert_hash("dave", hash(HashFormat::Apr1, None))
        .unwrap();
    let users = ["alice", "carol", "dave"];
    assert_alike(&users, &medians(&store, &users).await);

    // A dearer hash than the store's own cost raises the dummy.
    store
        .insert_hash("erin", hash(HashFormat::Bcrypt, Some(8)))
        .unwrap();
    let users = ["alice", "carol", "dave", "erin"];
    assert_alike(&users, &medians(&store, &users).await);

    // With only `{SHA}` left, unknown users stop paying for bcrypt or
    // `$apr1$`: microseconds, where a bcrypt verification takes milliseconds.
    assert!(store.remove("alice") && store.remove("erin") && store.remove("dave"));
    let users = ["carol"];
    let m = medians(&store, &users).await;
    assert!(
        m[1] < Duration::from_millis(1),
        "unknown user {:?} with only {{SHA}} users left",
        m[1]
    );
}

/// In a store of one format and cost a wrong password costs one
/// verification, not two: the padding is only for cheaper hashes. Measured
/// interleaved with a direct verification of the same hash.
#[tokio::test]
async fn one_format_pays_one_verification() {
    let dir = tempfile::tempdir().unwrap();
    let alice = hash(HashFormat::Bcrypt, Some(7));
    let store = htpasswd(&dir, &[("alice", alice.clone())]);
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..15 {
        for (i, user) in ["alice", "mallory"].into_iter().enumerate() {
            let creds = BasicCredentials::new(user, "wrong").unwrap();
            let t = Instant::now();
            assert!(store.verify(&creds).await.unwrap().is_none());
            times[i].push(t.elapsed());
        }
        let t = Instant::now();
        assert!(!alice.verify("wrong"));
        times[2].push(t.elapsed());
    }
    let [wrong, unknown, one] = times.map(|mut t| {
        t.sort();
        t[t.len() / 2].as_secs_f64()
    });
    for (who, m) in [("alice", wrong), ("unknown", unknown)] {
        assert!(
            m < one * 1.6,
            "{who}: {:.3} ms for a wrong password, one verification {:.3} ms",
            m * 1e3,
            one * 1e3
        );
    }
}
