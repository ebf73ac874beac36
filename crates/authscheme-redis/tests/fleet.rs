//! A fleet of two: an axum instance and an actix-web instance, each with
//! its own connection to one `redis-server`, sharing the nonce secret, and
//! spoken to over real HTTP/1.1 by a Digest client that goes from one to
//! the other as a load balancer would send it.
#![allow(clippy::unwrap_used)]

mod support;

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock, mpsc};
use std::time::Duration;

use actix_web::{App, HttpServer, web};
use authscheme::Authenticator;
use authscheme_axum::RequireAuthLayer;
use authscheme_digest::{
    DigestScheme, DigestUser, MemoryCredentialStore, MemoryNonceStore, NonceSecret,
};
use authscheme_redis::RedisNonceStore;
use support::{DigestUserAgent, Logs, RedisServer, get_async};

const REALM: &str = "fleet@example.org";
const SECRET: &[u8; 32] = b"the secret every instance shares";

/// Every log line of this test binary (the instances run on threads of
/// their own, so a thread-local subscriber would miss them). Lines carry
/// the Redis port, so each test finds its own.
fn logs() -> &'static Logs {
    static LOGS: OnceLock<Logs> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Logs::default();
        let sink = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .with_writer(move || sink.writer())
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        logs
    })
}

/// How an instance treats an unreachable Redis.
#[derive(Clone, Copy)]
enum OnOutage {
    FailClosed,
    Fallback,
}

async fn replay_store(url: &str, on_outage: OnOutage) -> RedisNonceStore {
    let builder = RedisNonceStore::builder(url).timeout(Duration::from_millis(500));
    let builder = match on_outage {
        OnOutage::FailClosed => builder,
        OnOutage::Fallback => builder.fallback_to_local(MemoryNonceStore::new(10_000)),
    };
    builder.connect().await.unwrap()
}

fn authenticator(replay: RedisNonceStore) -> Authenticator<DigestUser> {
    let users = MemoryCredentialStore::new(REALM).with_user("Mufasa", "Circle of Life");
    Authenticator::new().with(
        DigestScheme::builder(REALM, users)
            .nonce_secret(NonceSecret::from_bytes(SECRET).unwrap())
            .nonce_store(Arc::new(replay))
            .build()
            .unwrap(),
    )
}

/// An axum instance on a free port, on the test's runtime.
async fn start_axum(url: &str, on_outage: OnOutage) -> SocketAddr {
    use axum::Router;
    use axum::routing::get;
    async fn hello(authscheme_axum::Auth(user): authscheme_axum::Auth<DigestUser>) -> String {
        format!("{} via axum", user.name())
    }
    let auth = authenticator(replay_store(url, on_outage).await);
    let app = Router::new().route("/p", get(hello).layer(RequireAuthLayer::new(auth)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// An actix-web instance on a free port: its own thread and actix system,
/// with its own Redis connection made there. Stops when the test's
/// process ends.
fn start_actix(url: &str, on_outage: OnOutage) -> SocketAddr {
    async fn hello(user: authscheme_actix::Auth<DigestUser>) -> String {
        format!("{} via actix", user.name())
    }
    let url = url.to_owned();
    let (ready_tx, ready_rx) = mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let auth = authenticator(replay_store(&url, on_outage).await);
            let server = HttpServer::new(move || {
                App::new().service(
                    web::resource("/p")
                        .wrap(authscheme_actix::Authentication::new(auth.clone()))
                        .route(web::get().to(hello)),
                )
            })
            .workers(1)
            .disable_signals()
            .bind(("127.0.0.1", 0))
            .unwrap();
            ready_tx.send(server.addrs()[0]).unwrap();
            server.run().await.unwrap();
        });
    });
    ready_rx.recv_timeout(Duration::from_secs(30)).unwrap()
}

/// Both instances on one Redis.
async fn fleet(redis: &RedisServer, on_outage: OnOutage) -> (SocketAddr, SocketAddr) {
    logs();
    let axum = start_axum(&redis.url(), on_outage).await;
    let url = redis.url();
    let actix = tokio::task::spawn_blocking(move || start_actix(&url, on_outage))
        .await
        .unwrap();
    (axum, actix)
}

async fn status(addr: SocketAddr, authorization: &str) -> u16 {
    let r = get_async(addr, "/p", Some(authorization.to_owned())).await;
    if r.status == 200 {
        assert!(r.body.starts_with("Mufasa via"), "{r:?}");
        assert!(r.header("authentication-info").is_some(), "{r:?}");
    }
    r.status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nonce_from_one_instance_is_accepted_by_the_other() {
    let Some(redis) = RedisServer::start("a_nonce_from_one_instance_is_accepted_by_the_other")
    else {
        return;
    };
    let (axum, actix) = fleet(&redis, OnOutage::FailClosed).await;

    let mut ua = DigestUserAgent::challenged_by(axum, "/p", "Mufasa", "Circle of Life").await;
    let r = get_async(actix, "/p", Some(ua.authorize("/p"))).await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body, "Mufasa via actix");
    let r = get_async(axum, "/p", Some(ua.authorize("/p"))).await;
    assert_eq!(r.body, "Mufasa via axum");

    // And the other way round: a nonce from actix, used at axum.
    let mut ua = DigestUserAgent::challenged_by(actix, "/p", "Mufasa", "Circle of Life").await;
    for hop in [axum, actix, axum, axum, actix] {
        assert_eq!(status(hop, &ua.authorize("/p")).await, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pair_used_at_one_instance_is_refused_at_the_other() {
    let Some(redis) = RedisServer::start("a_pair_used_at_one_instance_is_refused_at_the_other")
    else {
        return;
    };
    let (axum, actix) = fleet(&redis, OnOutage::FailClosed).await;
    let mut ua = DigestUserAgent::challenged_by(axum, "/p", "Mufasa", "Circle of Life").await;

    let first = ua.authorize("/p");
    assert_eq!(status(axum, &first).await, 200);
    let replay = get_async(actix, "/p", Some(first.clone())).await;
    assert_eq!(replay.status, 401, "{replay:?}");
    // A replay is not a stale nonce: no invitation to retry.
    assert!(
        replay
            .all("www-authenticate")
            .iter()
            .all(|c| !c.contains("stale")),
        "{replay:?}"
    );
    assert_eq!(
        status(axum, &first).await,
        401,
        "and not at the first either"
    );

    let second = ua.authorize("/p");
    assert_eq!(status(actix, &second).await, 200);
    assert_eq!(status(axum, &second).await, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_out_of_order_counts_across_the_fleet() {
    let Some(redis) = RedisServer::start("concurrent_out_of_order_counts_across_the_fleet") else {
        return;
    };
    let (axum, actix) = fleet(&redis, OnOutage::FailClosed).await;
    let mut ua = DigestUserAgent::challenged_by(actix, "/p", "Mufasa", "Circle of Life").await;
    // 60 requests signed in order, sent all at once in reverse order,
    // alternating between the instances: each accepted once.
    let signed: Vec<String> = (0..60).map(|_| ua.authorize("/p")).collect();
    let sends = signed.iter().rev().enumerate().map(|(i, a)| {
        let to = if i % 2 == 0 { axum } else { actix };
        let a = a.clone();
        tokio::spawn(async move { status(to, &a).await })
    });
    let sends: Vec<_> = sends.collect();
    for s in sends {
        assert_eq!(s.await.unwrap(), 200);
    }
    // Each again, at the instance that did not take it: all refused.
    let again: Vec<_> = signed
        .iter()
        .rev()
        .enumerate()
        .map(|(i, a)| {
            let to = if i % 2 == 0 { actix } else { axum };
            let a = a.clone();
            tokio::spawn(async move { status(to, &a).await })
        })
        .collect();
    for s in again {
        assert_eq!(s.await.unwrap(), 401);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_mid_run_fails_closed_and_recovers_without_restarting_instances() {
    let Some(mut redis) = RedisServer::start(
        "redis_killed_mid_run_fails_closed_and_recovers_without_restarting_instances",
    ) else {
        return;
    };
    let (axum, actix) = fleet(&redis, OnOutage::FailClosed).await;
    let mut ua = DigestUserAgent::challenged_by(axum, "/p", "Mufasa", "Circle of Life").await;
    assert_eq!(status(axum, &ua.authorize("/p")).await, 200);
    assert_eq!(status(actix, &ua.authorize("/p")).await, 200);

    redis.kill();
    for hop in [axum, actix, axum, actix] {
        let r = get_async(hop, "/p", Some(ua.authorize("/p"))).await;
        assert_eq!(r.status, 503, "fail closed: {r:?}");
        assert!(r.body.contains("Service Unavailable"), "{r:?}");
        assert_eq!(r.header("retry-after"), Some("5"), "{r:?}");
        assert_eq!(r.header("www-authenticate"), None, "{r:?}");
    }
    // Without credentials nothing needs Redis: still a 401 challenge.
    assert_eq!(get_async(axum, "/p", None).await.status, 401);

    let port = format!("127.0.0.1:{}", redis.port());
    let errors = logs().lines_at("ERROR");
    assert!(
        errors
            .iter()
            .any(|l| l.contains(&port) && l.contains("fail closed with 503")),
        "one clear line per instance: {errors:?}"
    );

    redis.restart();
    // The same instances, the same client: working again at once.
    for hop in [axum, actix, actix, axum] {
        assert_eq!(status(hop, &ua.authorize("/p")).await, 200);
    }
    let replayed = ua.authorize("/p");
    assert_eq!(status(actix, &replayed).await, 200);
    assert_eq!(status(axum, &replayed).await, 401, "shared again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fallback_mode_serves_from_the_local_store_with_a_warning() {
    let Some(mut redis) =
        RedisServer::start("fallback_mode_serves_from_the_local_store_with_a_warning")
    else {
        return;
    };
    let (axum, actix) = fleet(&redis, OnOutage::Fallback).await;
    let mut ua = DigestUserAgent::challenged_by(axum, "/p", "Mufasa", "Circle of Life").await;
    assert_eq!(status(actix, &ua.authorize("/p")).await, 200);

    redis.kill();
    for hop in [axum, actix] {
        let during = ua.authorize("/p");
        assert_eq!(
            status(hop, &during).await,
            200,
            "served from the local store"
        );
        assert_eq!(status(hop, &during).await, 401, "replay refused locally");
    }
    let port = format!("127.0.0.1:{}", redis.port());
    let warnings = logs().lines_at("WARN");
    assert!(
        warnings
            .iter()
            .any(|l| l.contains(&port) && l.contains("falling back")),
        "{warnings:?}"
    );

    redis.restart();
    let after = ua.authorize("/p");
    assert_eq!(status(axum, &after).await, 200);
    assert_eq!(
        status(actix, &after).await,
        401,
        "shared through Redis again"
    );
}
