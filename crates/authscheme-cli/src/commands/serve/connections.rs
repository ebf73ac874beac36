//! Serving connections for the frameworks built on hyper (axum and warp)
//! with what their own `serve` functions leave out: a limit on the time a
//! client may take to send a request's header section, HTTP/1 half-close,
//! and a bound on how long a stop waits for open connections. actix-web
//! has all three of its own. (HTTP/2 connections, prior knowledge only,
//! get hyper's defaults.)

use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// How long a client may take to send a request's header section before
/// its connection is closed: otherwise a client that sends it a byte at a
/// time holds a connection, and the memory behind it, for as long as it
/// likes ("slowloris"). actix-web's default is 5 s.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// After an accept error that is not the client's (too many open files),
/// wait this long before accepting again rather than spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// How long a stop waits for open connections to finish their requests
/// before it closes them (a slow upload must not keep the server up).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serves `service` on every connection `listener` accepts, HTTP/1.1 or
/// HTTP/2, until `shutdown` completes; then stops accepting and waits for
/// the connections open to finish their requests.
pub(crate) async fn serve<S, B>(
    listener: TcpListener,
    service: S,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()>
where
    S: tower_service::Service<
            http::Request<Incoming>,
            Response = http::Response<B>,
            Error = Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        // A client that shuts its side after a whole request (`nc -N`)
        // still gets the answer.
        .half_close(true);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // A connection the client gave up before it was accepted
                // is its own business.
                Err(e) if is_connection_error(&e) => continue,
                Err(e) => {
                    // Anything else (no file descriptors left) passes with
                    // time; say so, and do not spin meanwhile.
                    tracing::warn!(error = %e, "cannot accept connections");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(service.clone());
        let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
        let connection = graceful.watch(connection.into_owned());
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after {SHUTDOWN_GRACE:?} are closed");
    }
    Ok(())
}

/// An accept error about one connection rather than the listener.
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind as K;
    matches!(
        e.kind(),
        K::ConnectionAborted | K::ConnectionReset | K::ConnectionRefused
    )
}
