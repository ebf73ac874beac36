//! `RedisNonceStore` against a real `redis-server` of its own: the window
//! semantics (the same answers as the in-memory store), expiry, bounded
//! keys, concurrency, outages and the fallback.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use authscheme_digest::{DigestError, MemoryNonceStore, NonceStore, NonceUse, Seen};
use authscheme_redis::{RedisNonceStore, RedisStoreError};
use authscheme_testkit::CapturedLogs;
use support::{Cut, RedisServer, Relay, free_port};

fn at(nonce: &str, nc: u32) -> NonceUse<'_> {
    NonceUse {
        nonce,
        nc,
        now: 1_000,
        expires_at: 1_300,
    }
}

async fn check(store: &dyn NonceStore, nonce: &str, nc: u32) -> Seen {
    store.check_and_record(at(nonce, nc)).await.unwrap()
}

/// A small deterministic generator, so a failure can be replayed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// A store at `url` that falls back to a local one of 1,000 nonces when a
/// check gets no answer within `timeout`.
async fn with_fallback(url: impl AsRef<str>, timeout: Duration) -> RedisNonceStore {
    RedisNonceStore::builder(url.as_ref())
        .timeout(timeout)
        .fallback_to_local(MemoryNonceStore::new(1_000))
        .connect()
        .await
        .unwrap()
}

#[tokio::test]
async fn fresh_replay_out_of_order_and_below_the_window() {
    let Some(redis) = RedisServer::start("fresh_replay_out_of_order_and_below_the_window") else {
        return;
    };
    let s = RedisNonceStore::connect(&redis.url()).await.unwrap();
    assert_eq!(check(&s, "n", 5).await, Seen::Fresh);
    assert_eq!(check(&s, "n", 3).await, Seen::Fresh);
    assert_eq!(check(&s, "n", 4).await, Seen::Fresh);
    assert_eq!(check(&s, "n", 3).await, Seen::Replayed);
    assert_eq!(check(&s, "n", 5).await, Seen::Replayed);
    assert_eq!(check(&s, "n", 400).await, Seen::Fresh);
    // 400 - 256 = 144 is the first count below the window.
    assert_eq!(check(&s, "n", 144).await, Seen::OutsideWindow);
    assert_eq!(check(&s, "n", 145).await, Seen::Fresh);
    assert_eq!(check(&s, "n", 145).await, Seen::Replayed);
    // 5 was seen, but the window moved past it.
    assert_eq!(check(&s, "n", 5).await, Seen::OutsideWindow);
    // Another nonce has its own counts.
    assert_eq!(check(&s, "m", 5).await, Seen::Fresh);
    // Jumps to the top of the count range.
    assert_eq!(check(&s, "big", 1).await, Seen::Fresh);
    assert_eq!(check(&s, "big", u32::MAX).await, Seen::Fresh);
    assert_eq!(check(&s, "big", u32::MAX - 1).await, Seen::Fresh);
    assert_eq!(check(&s, "big", u32::MAX).await, Seen::Replayed);
    assert_eq!(check(&s, "big", 1).await, Seen::OutsideWindow);
}

/// A key written by a version with the 128-count window (20 bytes: the
/// highest count, then a ring of 128 bits) is read into the 256-count
/// ring: counts it recorded are replays, the others in its window fresh.
/// Writes `nonce`'s window as the earlier format kept it, with `seen`
/// counts: the highest count, then bit n % 128
/// of four big-endian 32-bit words.
async fn write_128_count_window(
    redis: &RedisServer,
    s: &RedisNonceStore,
    nonce: &str,
    seen: &[u32],
) {
    let top = seen.iter().copied().max().unwrap_or(0);
    let mut ring = [0u32; 4];
    for n in seen {
        let p = n % 128;
        ring[(p / 32) as usize] |= 1 << (p % 32);
    }
    let mut old = top.to_be_bytes().to_vec();
    for word in ring {
        old.extend_from_slice(&word.to_be_bytes());
    }
    let () = redis::cmd("SET")
        .arg(s.key_for(nonce))
        .arg(old)
        .arg("PX")
        .arg(60_000)
        .query_async(&mut redis.inspect().await)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_128_count_window_of_an_earlier_version_is_read() {
    let Some(redis) = RedisServer::start("a_128_count_window_of_an_earlier_version_is_read") else {
        return;
    };
    let s = RedisNonceStore::connect(&redis.url()).await.unwrap();
    // Counts 300 (the highest), 299 and 200 seen.
    write_128_count_window(&redis, &s, "upgraded", &[300, 299, 200]).await;
    for n in [300, 299, 200] {
        assert_eq!(check(&s, "upgraded", n).await, Seen::Replayed, "{n}");
    }
    assert_eq!(check(&s, "upgraded", 250).await, Seen::Fresh);
    assert_eq!(
        check(&s, "upgraded", 173).await,
        Seen::Fresh,
        "inside 256, outside 128"
    );
    assert_eq!(check(&s, "upgraded", 44).await, Seen::OutsideWindow);
    assert_eq!(check(&s, "upgraded", 301).await, Seen::Fresh);
    assert_eq!(
        check(&s, "upgraded", 200).await,
        Seen::Replayed,
        "kept in the new ring"
    );
}

/// The counts just below an earlier version's 128-count window were
/// refused by it and may have been used: read into the 256-count ring, they
/// must not turn fresh (a captured request could be replayed once more).
#[tokio::test]
async fn counts_below_an_earlier_128_count_window_stay_refused() {
    let Some(redis) = RedisServer::start("counts_below_an_earlier_128_count_window_stay_refused")
    else {
        return;
    };
    let s = RedisNonceStore::connect(&redis.url()).await.unwrap();
    // An old instance accepted counts 1 to 300 in order: it keeps 300 as
    // the highest and the 128 counts 173..=300 in its ring, all seen.
    let seen: Vec<u32> = (173..=300).collect();
    write_128_count_window(&redis, &s, "upgraded", &seen).await;
    for n in [45, 100, 172] {
        assert_ne!(
            check(&s, "upgraded", n).await,
            Seen::Fresh,
            "count {n} was used under the old version and is replayed"
        );
    }
    assert_eq!(check(&s, "upgraded", 44).await, Seen::OutsideWindow);
    assert_eq!(check(&s, "upgraded", 300).await, Seen::Replayed);
    assert_eq!(check(&s, "upgraded", 301).await, Seen::Fresh);
}

#[tokio::test]
async fn answers_like_the_memory_store_on_random_sequences() {
    let Some(redis) = RedisServer::start("answers_like_the_memory_store_on_random_sequences")
    else {
        return;
    };
    let redis_store = RedisNonceStore::connect(&redis.url()).await.unwrap();
    let memory = MemoryNonceStore::new(1_000);
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let nonces = ["a", "b", "c"];
    let mut tops = [0u32; 3];
    let mut kinds = std::collections::HashMap::new();
    for step in 0..3_000 {
        let i = (rng.next() % 3) as usize;
        // Mostly near the top (duplicates, reorderings to just past the
        // window's edge), sometimes a jump forward past the whole window,
        // sometimes far below.
        let window = u64::from(authscheme_digest::WINDOW);
        let nc = match rng.next() % 10 {
            0 => tops[i].saturating_add(1 + (rng.next() % (window + 44)) as u32),
            1 => tops[i]
                .saturating_sub((rng.next() % (3 * window)) as u32)
                .max(1),
            _ => tops[i]
                .saturating_sub((rng.next() % (window + 12)) as u32)
                .saturating_add((rng.next() % 4) as u32)
                .max(1),
        };
        tops[i] = tops[i].max(nc);
        let expected = check(&memory, nonces[i], nc).await;
        let got = check(&redis_store, nonces[i], nc).await;
        assert_eq!(got, expected, "step {step}: nonce {} nc {nc}", nonces[i]);
        *kinds.entry(format!("{got:?}")).or_insert(0) += 1;
    }
    // The sequence exercised every answer.
    for kind in ["Fresh", "Replayed", "OutsideWindow"] {
        assert!(kinds.get(kind).is_some_and(|&n| n > 100), "{kinds:?}");
    }
}

/// The key's time to live, in milliseconds (-1 without one, -2 no key).
async fn pttl(inspect: &mut redis::aio::MultiplexedConnection, key: &str) -> i64 {
    redis::cmd("PTTL")
        .arg(key)
        .query_async(inspect)
        .await
        .unwrap()
}

#[tokio::test]
async fn one_small_key_per_nonce_expiring_after_it() {
    let Some(redis) = RedisServer::start("one_small_key_per_nonce_expiring_after_it") else {
        return;
    };
    let s = RedisNonceStore::connect(&redis.url()).await.unwrap();
    let mut inspect = redis.inspect().await;
    for nc in 1..=1_000 {
        assert_eq!(check(&s, "long-lived", nc).await, Seen::Fresh);
    }
    let key = s.key_for("long-lived");
    assert!(key.starts_with(authscheme_redis::DEFAULT_KEY_PREFIX));
    let size: usize = redis::cmd("STRLEN")
        .arg(&key)
        .query_async(&mut inspect)
        .await
        .unwrap();
    assert_eq!(size, 36, "fixed-size value whatever the number of counts");
    let keys: usize = redis::cmd("DBSIZE")
        .query_async(&mut inspect)
        .await
        .unwrap();
    assert_eq!(keys, 1);
    // TTL = expires_at - now (300 s) + the default slack (90 s).
    let ttl = pttl(&mut inspect, &key).await;
    assert!((388_000..=390_000).contains(&ttl), "ttl {ttl}");

    // A nonce one second from its end: the key lives 1 s + 90 s of slack,
    // more than the clock skew instances may have.
    let short = NonceUse {
        nonce: "short-lived",
        nc: 1,
        now: 1_000,
        expires_at: 1_001,
    };
    assert_eq!(s.check_and_record(short).await.unwrap(), Seen::Fresh);
    assert_eq!(s.check_and_record(short).await.unwrap(), Seen::Replayed);
    let ttl = pttl(&mut inspect, &s.key_for("short-lived")).await;
    assert!((89_000..=91_000).contains(&ttl), "ttl {ttl}");
    let skew = authscheme_digest::NonceIssuer::MAX_CLOCK_SKEW.as_millis();
    assert!(i128::from(ttl) > i128::try_from(skew).unwrap() + 1_000);
    // Long nonces are keyed by their hash: bounded keys whatever the input.
    let long = "x".repeat(10_000);
    assert_eq!(check(&s, &long, 1).await, Seen::Fresh);
    assert_eq!(check(&s, &long, 1).await, Seen::Replayed);
    assert!(s.key_for(&long).len() < 100);
}

#[tokio::test]
async fn a_key_lives_as_long_as_the_longest_any_instance_asked_for() {
    let Some(redis) =
        RedisServer::start("a_key_lives_as_long_as_the_longest_any_instance_asked_for")
    else {
        return;
    };
    // Two instances: one with 300 s left on the nonce, one with 10 s (a
    // shorter lifetime, or a clock ahead).
    let a = RedisNonceStore::connect(&redis.url()).await.unwrap();
    let c = RedisNonceStore::connect(&redis.url()).await.unwrap();
    let long = |nonce, nc| NonceUse {
        nonce,
        nc,
        now: 1_000,
        expires_at: 1_300,
    };
    let short = |nonce, nc| NonceUse {
        nonce,
        nc,
        now: 1_000,
        expires_at: 1_010,
    };
    let mut inspect = redis.inspect().await;
    let key = a.key_for("n");
    assert_eq!(a.check_and_record(long("n", 1)).await.unwrap(), Seen::Fresh);
    let as_long = pttl(&mut inspect, &key).await;
    assert!(as_long > 300_000, "ttl {as_long}");
    // The short one writes the key last: the expiry stays.
    assert_eq!(
        c.check_and_record(short("n", 2)).await.unwrap(),
        Seen::Fresh
    );
    let ttl = pttl(&mut inspect, &key).await;
    assert!(ttl > as_long - 1_000, "ttl {ttl}, was {as_long}");
    assert_eq!(
        c.check_and_record(short("n", 1)).await.unwrap(),
        Seen::Replayed
    );
    let ttl = pttl(&mut inspect, &key).await;
    assert!(ttl > as_long - 1_000, "ttl {ttl}, was {as_long}");

    // The short one first: a later check by the long one, even a refused
    // one, makes the key live as long as that one accepts the nonce.
    let key = a.key_for("m");
    assert_eq!(
        c.check_and_record(short("m", 1)).await.unwrap(),
        Seen::Fresh
    );
    let ttl = pttl(&mut inspect, &key).await;
    assert!(ttl < 300_000, "ttl {ttl}");
    assert_eq!(
        a.check_and_record(long("m", 1)).await.unwrap(),
        Seen::Replayed
    );
    let ttl = pttl(&mut inspect, &key).await;
    assert!(ttl > as_long - 1_000, "ttl {ttl}, was {as_long}");
    let key = a.key_for("o");
    assert_eq!(
        c.check_and_record(short("o", 300)).await.unwrap(),
        Seen::Fresh
    );
    assert_eq!(
        a.check_and_record(long("o", 1)).await.unwrap(),
        Seen::OutsideWindow
    );
    let ttl = pttl(&mut inspect, &key).await;
    assert!(ttl > as_long - 1_000, "ttl {ttl}, was {as_long}");

    // 300 s left and the default slack (90 s).
    assert!((388_000..=390_000).contains(&as_long), "ttl {as_long}");

    // A key someone made persistent stays so.
    let key = a.key_for("p");
    assert_eq!(a.check_and_record(long("p", 1)).await.unwrap(), Seen::Fresh);
    let () = redis::cmd("PERSIST")
        .arg(&key)
        .query_async(&mut inspect)
        .await
        .map(|_: i64| ())
        .unwrap();
    assert_eq!(
        c.check_and_record(short("p", 2)).await.unwrap(),
        Seen::Fresh
    );
    assert_eq!(pttl(&mut inspect, &key).await, -1);

    // The slack covers the clock skew nonces are accepted with.
    let err = RedisNonceStore::builder(redis.url())
        .expiry_slack(Duration::from_secs(30))
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(err, RedisStoreError::Config(_)), "{err:?}");
    assert!(err.to_string().contains("clock skew"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_out_of_order_counts_are_each_accepted_once() {
    let Some(redis) = RedisServer::start("concurrent_out_of_order_counts_are_each_accepted_once")
    else {
        return;
    };
    // Two stores on two connections: two instances of a fleet.
    let a = Arc::new(RedisNonceStore::connect(&redis.url()).await.unwrap());
    let b = Arc::new(RedisNonceStore::connect(&redis.url()).await.unwrap());

    // Phase 1: 8 tasks each send all of nc 1..=100 in their own order.
    let mut tasks = Vec::new();
    for t in 0..8u64 {
        let store = if t % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            let mut ncs: Vec<u32> = (1..=100).collect();
            XorShift(t + 1).shuffle(&mut ncs);
            let mut fresh = Vec::new();
            for nc in ncs {
                match check(&*store, "shared", nc).await {
                    Seen::Fresh => fresh.push(nc),
                    Seen::Replayed => {}
                    other => panic!("nc {nc}: {other:?}"),
                }
            }
            fresh
        }));
    }
    let mut accepted = Vec::new();
    for t in tasks {
        accepted.extend(t.await.unwrap());
    }
    accepted.sort_unstable();
    assert_eq!(
        accepted,
        (1..=100).collect::<Vec<_>>(),
        "each nc exactly once"
    );

    // Phase 2: 16 tasks take rising counts from one counter, as a browser
    // sending requests in parallel would, and each count is also resent
    // through the other instance. A count is taken only while fewer than
    // 100 separate it from the oldest one still in flight, so however the
    // tasks are scheduled every count arrives within the window.
    let in_flight = Arc::new(std::sync::Mutex::new((1u32, BTreeSet::<u32>::new())));
    let mut tasks = Vec::new();
    for t in 0..16u32 {
        let store = if t % 2 == 0 { a.clone() } else { b.clone() };
        let other = if t % 2 == 0 { b.clone() } else { a.clone() };
        let in_flight = in_flight.clone();
        tasks.push(tokio::spawn(async move {
            let mut fresh = Vec::new();
            loop {
                let claimed = {
                    let mut guard = in_flight.lock().unwrap();
                    let (next, flying) = &mut *guard;
                    if flying.first().is_some_and(|&oldest| *next - oldest >= 100) {
                        None
                    } else {
                        let nc = *next;
                        *next += 1;
                        flying.insert(nc);
                        Some(nc)
                    }
                };
                let Some(nc) = claimed else {
                    tokio::task::yield_now().await;
                    continue;
                };
                if nc > 2_000 {
                    return fresh;
                }
                let first = check(&*store, "browser", nc).await;
                let again = check(&*other, "browser", nc).await;
                in_flight.lock().unwrap().1.remove(&nc);
                assert_eq!(first, Seen::Fresh, "nc {nc}");
                assert_eq!(again, Seen::Replayed, "nc {nc} through the other instance");
                fresh.push(nc);
            }
        }));
    }
    let mut accepted = BTreeSet::new();
    for t in tasks {
        for nc in t.await.unwrap() {
            assert!(accepted.insert(nc), "nc {nc} accepted twice");
        }
    }
    assert_eq!(accepted.len(), 2_000);
}

#[tokio::test]
async fn redis_down_fails_closed_and_recovers_without_restart() {
    let Some(mut redis) =
        RedisServer::start("redis_down_fails_closed_and_recovers_without_restart")
    else {
        return;
    };
    let logs = CapturedLogs::default();
    let _capture = logs.capture();
    let s = RedisNonceStore::builder(redis.url())
        .timeout(Duration::from_secs(5))
        .connect()
        .await
        .unwrap();
    assert_eq!(check(&s, "n", 1).await, Seen::Fresh);
    redis.kill();
    for nc in 2..5 {
        let started = std::time::Instant::now();
        let err = s.check_and_record(at("n", nc)).await.unwrap_err();
        // A refused connection is known at once: no waiting for the timeout.
        assert!(!err.to_string().contains("no answer"), "{err}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert!(matches!(err, DigestError::Unavailable { .. }), "{err}");
        assert!(
            err.to_string().contains("Redis nonce store at 127.0.0.1:"),
            "{err}"
        );
    }
    assert!(!s.is_reachable());
    // One line for the outage, not one per request.
    let errors = logs.lines_containing("ERROR");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("fail closed with 503"), "{errors:?}");

    redis.restart();
    // The very first request after Redis returns succeeds (the restarted
    // Redis is empty: no persistence in this test).
    assert_eq!(check(&s, "n", 5).await, Seen::Fresh);
    assert!(s.is_reachable());
    assert_eq!(check(&s, "n", 5).await, Seen::Replayed);
    let back = logs.lines_containing("INFO");
    assert!(
        back.iter().any(|l| l.contains("reachable again")),
        "{back:?}"
    );
}

#[tokio::test]
async fn a_script_cache_flush_costs_one_reload() {
    let Some(redis) = RedisServer::start("a_script_cache_flush_costs_one_reload") else {
        return;
    };
    let s = RedisNonceStore::connect(&redis.url()).await.unwrap();
    let mut inspect = redis.inspect().await;
    assert_eq!(check(&s, "n", 1).await, Seen::Fresh);
    let () = redis::cmd("SCRIPT")
        .arg("FLUSH")
        .query_async(&mut inspect)
        .await
        .unwrap();
    // EVALSHA meets NOSCRIPT, loads the script and runs it: same answers.
    assert_eq!(check(&s, "n", 1).await, Seen::Replayed);
    assert_eq!(check(&s, "n", 2).await, Seen::Fresh);
}

#[tokio::test]
async fn foreign_values_under_our_keys_never_accept() {
    let Some(redis) = RedisServer::start("foreign_values_under_our_keys_never_accept") else {
        return;
    };
    let s = RedisNonceStore::connect(&redis.url()).await.unwrap();
    let mut inspect = redis.inspect().await;
    let () = redis::cmd("SET")
        .arg(s.key_for("odd"))
        .arg("not a window")
        .query_async(&mut inspect)
        .await
        .unwrap();
    // A value of the wrong size: the nonce counts as forgotten (stale).
    assert_eq!(check(&s, "odd", 1).await, Seen::Forgotten);
    let () = redis::cmd("RPUSH")
        .arg(s.key_for("list"))
        .arg("x")
        .query_async(&mut inspect)
        .await
        .map(|_: i64| ())
        .unwrap();
    // A key of another type: an error, so the request fails closed.
    assert!(s.check_and_record(at("list", 1)).await.is_err());
}

#[tokio::test]
async fn fallback_uses_the_local_store_with_a_warning_and_returns_to_redis() {
    let Some(mut redis) =
        RedisServer::start("fallback_uses_the_local_store_with_a_warning_and_returns_to_redis")
    else {
        return;
    };
    let logs = CapturedLogs::default();
    let _capture = logs.capture();
    let s = with_fallback(redis.url(), Duration::from_millis(500)).await;
    assert_eq!(check(&s, "n", 1).await, Seen::Fresh);
    redis.kill();
    // Counts this instance saw while Redis was up stay refused.
    assert_eq!(check(&s, "n", 1).await, Seen::Replayed);
    assert_eq!(check(&s, "n", 2).await, Seen::Fresh);
    assert_eq!(check(&s, "n", 2).await, Seen::Replayed);
    assert_eq!(check(&s, "n", 3).await, Seen::Fresh);
    assert!(!s.is_reachable());
    let warnings = logs.lines_containing("WARN");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("falling back to this instance's local nonce store"),
        "{warnings:?}"
    );
    assert!(logs.lines_containing("ERROR").is_empty());

    redis.restart();
    // Redis is back (and empty): what was accepted locally during the
    // outage is still refused here...
    assert_eq!(check(&s, "n", 3).await, Seen::Replayed);
    // ...and new counts go to Redis again.
    assert_eq!(check(&s, "n", 4).await, Seen::Fresh);
    assert!(s.is_reachable());
    let other = RedisNonceStore::connect(&redis.url()).await.unwrap();
    assert_eq!(
        check(&other, "n", 4).await,
        Seen::Replayed,
        "recorded in Redis"
    );
}

/// A pair the fallback accepted while Redis could not answer is recorded
/// in Redis once it answers again: the other instances refuse it from then
/// on, not only this one.
#[tokio::test]
async fn pairs_accepted_by_the_fallback_reach_redis_when_it_returns() {
    let Some(redis) =
        RedisServer::start("pairs_accepted_by_the_fallback_reach_redis_when_it_returns")
    else {
        return;
    };
    let relay = Relay::start(redis.port()).await;
    let a = with_fallback(relay.url(), Duration::from_millis(300)).await;
    let b = RedisNonceStore::connect(&redis.url()).await.unwrap();
    assert_eq!(check(&a, "n", 1).await, Seen::Fresh);
    // Instance A is cut off from Redis (its check never reaches it, Redis
    // keeps its keys): served from the local store.
    relay.cut_next(Cut::Silence);
    assert_eq!(check(&a, "n", 5).await, Seen::Fresh);
    assert!(relay.cut_made());
    assert!(!a.is_reachable());
    // Redis answers A again.
    assert_eq!(check(&a, "n", 6).await, Seen::Fresh);
    assert!(a.is_reachable());
    // The request A accepted during the outage, replayed at B afterwards.
    assert_eq!(
        check(&b, "n", 5).await,
        Seen::Replayed,
        "a pair accepted during the outage stays replayable across the fleet after it"
    );
}

#[tokio::test]
async fn setup_errors_say_what_and_never_show_the_password() {
    if !support::redis_available("setup_errors_say_what_and_never_show_the_password") {
        return;
    }
    let url = format!("redis://:hunter2@127.0.0.1:{}/", free_port());
    let builder = RedisNonceStore::builder(url.clone()).timeout(Duration::from_millis(300));
    assert!(!format!("{builder:?}").contains("hunter2"));
    let err = builder.connect().await.unwrap_err();
    assert!(
        matches!(err, RedisStoreError::Unreachable { .. }),
        "{err:?}"
    );
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert!(!format!("{err:?}").contains("hunter2"), "{err:?}");

    let lazy = RedisNonceStore::builder(url).connect_lazy().unwrap();
    assert!(!format!("{lazy:?}").contains("hunter2"));
    let err = lazy.check_and_record(at("n", 1)).await.unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");

    let err = RedisNonceStore::builder("http://example.invalid/")
        .connect_lazy()
        .unwrap_err();
    assert!(matches!(err, RedisStoreError::InvalidUrl { .. }), "{err:?}");
    let err = RedisNonceStore::builder("redis://127.0.0.1/")
        .timeout(Duration::ZERO)
        .connect_lazy()
        .unwrap_err();
    assert!(matches!(err, RedisStoreError::Config(_)), "{err:?}");
}

#[tokio::test]
async fn a_lazy_store_starts_before_redis_and_works_once_it_is_up() {
    let Some(mut redis) =
        RedisServer::start("a_lazy_store_starts_before_redis_and_works_once_it_is_up")
    else {
        return;
    };
    redis.kill();
    let s = RedisNonceStore::builder(redis.url())
        .timeout(Duration::from_millis(300))
        .connect_lazy()
        .unwrap();
    assert!(s.check_and_record(at("n", 1)).await.is_err());
    redis.restart();
    assert_eq!(check(&s, "n", 1).await, Seen::Fresh);
}

#[tokio::test]
async fn an_evicting_redis_is_reported_at_connect() {
    let Some(redis) = RedisServer::start("an_evicting_redis_is_reported_at_connect") else {
        return;
    };
    let mut inspect = redis.inspect().await;
    let () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("maxmemory-policy")
        .arg("allkeys-lru")
        .query_async(&mut inspect)
        .await
        .unwrap();
    let logs = CapturedLogs::default();
    let _capture = logs.capture();
    let _s = RedisNonceStore::connect(&redis.url()).await.unwrap();
    let warnings = logs.lines_containing("WARN");
    assert!(
        warnings
            .iter()
            .any(|l| l.contains("allkeys-lru") && l.contains("evict")),
        "{warnings:?}"
    );
}

#[tokio::test]
async fn one_round_trip_per_check() {
    let Some(redis) = RedisServer::start("one_round_trip_per_check") else {
        return;
    };
    let s = RedisNonceStore::connect(&redis.url()).await.unwrap();
    let mut inspect = redis.inspect().await;
    let () = redis::cmd("CONFIG")
        .arg("RESETSTAT")
        .query_async(&mut inspect)
        .await
        .unwrap();
    for nc in 1..=50 {
        check(&s, "n", nc).await;
    }
    let stats: String = redis::cmd("INFO")
        .arg("commandstats")
        .query_async(&mut inspect)
        .await
        .unwrap();
    let calls = |command: &str| -> u64 {
        stats
            .lines()
            .find_map(|l| l.strip_prefix(&format!("cmdstat_{command}:calls=")))
            .and_then(|rest| rest.split(',').next())
            .map_or(0, |n| n.parse().unwrap())
    };
    // Fifty checks, fifty EVALSHA; the GET and SET run inside Redis.
    assert_eq!(calls("evalsha"), 50, "{stats}");
    assert_eq!(calls("eval"), 0, "{stats}");
    assert_eq!(calls("script|load"), 0, "{stats}");
    let sent_by_clients: Vec<&str> = stats
        .lines()
        .filter_map(|l| l.strip_prefix("cmdstat_"))
        .map(|l| l.split(':').next().unwrap())
        .filter(|c| !["evalsha", "get", "set", "pttl", "config|resetstat"].contains(c))
        .collect();
    assert!(sent_by_clients.is_empty(), "{stats}");
}

#[tokio::test]
async fn a_hung_redis_times_out_fails_closed_and_recovers() {
    let Some(redis) = RedisServer::start("a_hung_redis_times_out_fails_closed_and_recovers") else {
        return;
    };
    let s = RedisNonceStore::builder(redis.url())
        .timeout(Duration::from_millis(300))
        .connect()
        .await
        .unwrap();
    assert_eq!(check(&s, "n", 1).await, Seen::Fresh);
    redis.signal("STOP");
    for nc in 2..4 {
        let started = std::time::Instant::now();
        let err = s.check_and_record(at("n", nc)).await.unwrap_err();
        let took = started.elapsed();
        assert!(err.to_string().contains("no answer within 300ms"), "{err}");
        assert!(
            took >= Duration::from_millis(290) && took < Duration::from_secs(2),
            "{took:?}"
        );
    }
    redis.signal("CONT");
    // Whatever the hung calls did once Redis woke up, the store answers
    // again, on the same connection or a new one.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        match s.check_and_record(at("n", 10)).await {
            Ok(seen) => {
                assert_eq!(seen, Seen::Fresh);
                break;
            }
            Err(e) => assert!(std::time::Instant::now() < deadline, "{e}"),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(check(&s, "n", 10).await, Seen::Replayed);
    assert!(s.is_reachable());
}

#[tokio::test]
async fn a_refused_password_is_tried_again_until_it_is_right() {
    let Some(redis) = RedisServer::start_with(
        "a_refused_password_is_tried_again_until_it_is_right",
        &["--requirepass", "first"],
    ) else {
        return;
    };
    let logs = CapturedLogs::default();
    let _capture = logs.capture();
    let s = RedisNonceStore::builder(redis.url_with_password("first"))
        .timeout(Duration::from_secs(2))
        .connect()
        .await
        .unwrap();
    assert_eq!(check(&s, "n", 1).await, Seen::Fresh);
    // The password changes and every connection is closed.
    redis
        .admin(Some("first"), &["CONFIG", "SET", "requirepass", "second"])
        .await;
    redis
        .admin(Some("second"), &["CLIENT", "KILL", "TYPE", "normal"])
        .await;
    for nc in 2..5 {
        let err = s.check_and_record(at("n", nc)).await.unwrap_err();
        assert!(matches!(err, DigestError::Unavailable { .. }), "{err}");
        assert!(!err.to_string().contains("first"), "{err}");
        if nc == 4 {
            assert!(
                err.to_string().contains("Password authentication failed"),
                "{err}"
            );
        }
    }
    assert!(!s.is_reachable());
    // The password the store knows is back: the very next check works,
    // on a new connection (the failed one was not kept).
    redis
        .admin(Some("second"), &["CONFIG", "SET", "requirepass", "first"])
        .await;
    assert_eq!(check(&s, "n", 5).await, Seen::Fresh);
    assert_eq!(check(&s, "n", 1).await, Seen::Replayed, "the same Redis");
    assert!(s.is_reachable());
    // Logged once, as an error answer rather than an outage, and its end.
    let errors = logs.lines_containing("ERROR");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("Redis nonce store error") && !errors[0].contains("unreachable"),
        "{errors:?}"
    );
    let back = logs.lines_containing("INFO");
    assert!(back.iter().any(|l| l.contains("answers again")), "{back:?}");
}

#[tokio::test]
async fn a_redis_back_without_its_password_then_with_it_is_used_again() {
    let Some(mut redis) = RedisServer::start_with(
        "a_redis_back_without_its_password_then_with_it_is_used_again",
        &["--requirepass", "pw"],
    ) else {
        return;
    };
    let s = RedisNonceStore::builder(redis.url_with_password("pw"))
        .timeout(Duration::from_secs(2))
        .connect()
        .await
        .unwrap();
    assert_eq!(check(&s, "n", 1).await, Seen::Fresh);
    // Back without a password: AUTH is refused.
    redis.restart_with(&[]);
    for nc in 2..4 {
        let err = s.check_and_record(at("n", nc)).await.unwrap_err();
        if nc == 3 {
            assert!(err.to_string().contains("authentication"), "{err}");
        }
    }
    // And with it again: working at the first check.
    redis.restart_with(&["--requirepass", "pw"]);
    assert_eq!(check(&s, "n", 4).await, Seen::Fresh);
    assert!(s.is_reachable());
}

#[tokio::test]
async fn the_first_check_after_redis_restarts_succeeds() {
    let Some(mut redis) = RedisServer::start("the_first_check_after_redis_restarts_succeeds")
    else {
        return;
    };
    let logs = CapturedLogs::default();
    let _capture = logs.capture();
    let s = RedisNonceStore::builder(redis.url())
        .timeout(Duration::from_secs(2))
        .connect()
        .await
        .unwrap();
    for round in 0..3u32 {
        assert_eq!(check(&s, "n", 10 * round + 1).await, Seen::Fresh);
        // Down and up between two checks: the connection in use is broken.
        redis.restart();
        assert_eq!(check(&s, "n", 10 * round + 2).await, Seen::Fresh);
        assert_eq!(check(&s, "n", 10 * round + 2).await, Seen::Replayed);
    }
    assert!(logs.lines_containing("ERROR").is_empty(), "{}", logs.text());
}

#[tokio::test]
async fn a_check_whose_connection_breaks_is_sent_once_more_and_never_counted_twice() {
    let Some(redis) = RedisServer::start(
        "a_check_whose_connection_breaks_is_sent_once_more_and_never_counted_twice",
    ) else {
        return;
    };
    let relay = Relay::start(redis.port()).await;
    let s = RedisNonceStore::builder(relay.url())
        .timeout(Duration::from_secs(2))
        .connect()
        .await
        .unwrap();
    assert_eq!(check(&s, "n", 1).await, Seen::Fresh);

    // The connection breaks before the check reaches Redis: sent again on
    // a new connection, the count is fresh.
    relay.cut_next(Cut::Request);
    assert_eq!(check(&s, "n", 2).await, Seen::Fresh);
    assert!(relay.cut_made());
    assert_eq!(check(&s, "n", 2).await, Seen::Replayed);

    // It breaks after Redis ran the check: sent again, the count is found
    // used, perhaps by the lost check. Neither accepted nor called a
    // replay: unavailable, as without the second send.
    relay.cut_next(Cut::Reply);
    let err = s.check_and_record(at("n", 3)).await.unwrap_err();
    assert!(relay.cut_made());
    assert!(matches!(err, DigestError::Unavailable { .. }), "{err}");
    assert!(err.to_string().contains("cannot be told"), "{err}");
    // Recorded once, by the lost check.
    assert_eq!(check(&s, "n", 3).await, Seen::Replayed);
    assert_eq!(check(&s, "n", 4).await, Seen::Fresh);

    // A replay that meets a broken connection is refused all the same.
    relay.cut_next(Cut::Request);
    assert!(s.check_and_record(at("n", 4)).await.is_err());
    assert!(relay.cut_made());
    assert_eq!(check(&s, "n", 4).await, Seen::Replayed);
}

#[tokio::test]
async fn an_error_answer_is_logged_as_an_error_not_an_outage() {
    let Some(redis) = RedisServer::start("an_error_answer_is_logged_as_an_error_not_an_outage")
    else {
        return;
    };
    let logs = CapturedLogs::default();
    let _capture = logs.capture();
    let s = RedisNonceStore::connect(&redis.url()).await.unwrap();
    // A nonce that would live for ever: refused before asking Redis (the
    // Digest scheme allows a day at most).
    let forever = NonceUse {
        nonce: "n",
        nc: 1,
        now: 1_000,
        expires_at: u64::MAX,
    };
    let err = s.check_and_record(forever).await.unwrap_err();
    assert!(err.to_string().contains("cannot be kept in Redis"), "{err}");
    assert!(!s.is_reachable());
    // The longest lifetime a Digest nonce may have is kept.
    let day = NonceUse {
        expires_at: 1_000 + 86_400,
        ..forever
    };
    assert_eq!(s.check_and_record(day).await.unwrap(), Seen::Fresh);
    assert!(s.is_reachable());
    // The script fails in Redis (a key of another type).
    let mut inspect = redis.inspect().await;
    let () = redis::cmd("RPUSH")
        .arg(s.key_for("list"))
        .arg("x")
        .query_async(&mut inspect)
        .await
        .map(|_: i64| ())
        .unwrap();
    let err = s.check_and_record(at("list", 1)).await.unwrap_err();
    assert!(
        err.to_string().contains("Redis answered with an error"),
        "{err}"
    );
    assert!(!s.is_reachable());
    let errors = logs.lines_containing("ERROR");
    assert_eq!(errors.len(), 2, "{errors:?}");
    for line in &errors {
        assert!(
            line.contains("Redis nonce store error") && !line.contains("unreachable"),
            "{errors:?}"
        );
    }
    assert!(errors[0].contains("cannot be kept"), "{errors:?}");
    assert!(errors[1].contains("WRONGTYPE"), "{errors:?}");
}

#[tokio::test]
async fn a_connection_that_goes_silent_is_replaced() {
    let Some(redis) = RedisServer::start("a_connection_that_goes_silent_is_replaced") else {
        return;
    };
    let relay = Relay::start(redis.port()).await;
    let s = RedisNonceStore::builder(relay.url())
        .timeout(Duration::from_millis(300))
        .connect()
        .await
        .unwrap();
    assert_eq!(check(&s, "n", 1).await, Seen::Fresh);
    relay.cut_next(Cut::Silence);
    let err = s.check_and_record(at("n", 2)).await.unwrap_err();
    assert!(relay.cut_made());
    assert!(err.to_string().contains("no answer within 300ms"), "{err}");
    // The silent connection stays open, but the next check uses a new one.
    assert_eq!(check(&s, "n", 3).await, Seen::Fresh);
    assert_eq!(check(&s, "n", 2).await, Seen::Fresh, "never reached Redis");
}

#[tokio::test]
async fn an_unknown_outcome_is_refused_also_with_a_fallback() {
    let Some(redis) = RedisServer::start("an_unknown_outcome_is_refused_also_with_a_fallback")
    else {
        return;
    };
    let logs = CapturedLogs::default();
    let _capture = logs.capture();
    let relay = Relay::start(redis.port()).await;
    let s = with_fallback(relay.url(), Duration::from_secs(2)).await;
    // Another instance used nc 1; this one gets it too, and the answer to
    // its check is lost.
    let other = RedisNonceStore::connect(&redis.url()).await.unwrap();
    assert_eq!(check(&other, "n", 1).await, Seen::Fresh);
    relay.cut_next(Cut::Reply);
    // Redis is there: the local store, which never saw nc 1, must not be
    // asked instead.
    assert!(s.check_and_record(at("n", 1)).await.is_err());
    assert!(relay.cut_made());
    assert!(s.is_reachable(), "not an outage");
    let warnings = logs.lines_containing("WARN");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("sent again"), "{warnings:?}");
    assert!(!warnings[0].contains("falling back"), "{warnings:?}");
    assert_eq!(check(&s, "n", 2).await, Seen::Fresh);
}
