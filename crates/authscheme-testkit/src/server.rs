//! [`RunningServer`]: what an adapter's start function hands back.

use std::fmt;
use std::net::SocketAddr;

/// A server an adapter started for a [`Scenario`](crate::Scenario): its
/// address and how to stop it. Dropping it stops the server.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::RunningServer;
/// let (tx, rx) = std::sync::mpsc::channel();
/// let server = RunningServer::new("127.0.0.1:8080".parse().unwrap(), move || {
///     let _ = tx.send(());
/// });
/// assert_eq!(server.addr().port(), 8080);
/// drop(server);
/// assert!(rx.try_recv().is_ok());
/// ```
pub struct RunningServer {
    addr: SocketAddr,
    shutdown: Option<Box<dyn FnOnce() + Send>>,
}

impl RunningServer {
    /// A server listening on `addr`; `shutdown` is called once, on drop.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use authscheme_testkit::RunningServer;
    /// let stops = Arc::new(AtomicUsize::new(0));
    /// let counter = Arc::clone(&stops);
    /// let server = RunningServer::new("127.0.0.1:8080".parse().unwrap(), move || {
    ///     counter.fetch_add(1, Ordering::SeqCst);
    /// });
    /// assert_eq!(stops.load(Ordering::SeqCst), 0);
    /// drop(server);
    /// assert_eq!(stops.load(Ordering::SeqCst), 1);
    /// ```
    pub fn new(addr: SocketAddr, shutdown: impl FnOnce() + Send + 'static) -> Self {
        Self {
            addr,
            shutdown: Some(Box::new(shutdown)),
        }
    }

    /// Where the server listens.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::RunningServer;
    /// let server = RunningServer::new("127.0.0.1:4000".parse().unwrap(), || {});
    /// assert_eq!(server.addr().to_string(), "127.0.0.1:4000");
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            shutdown();
        }
    }
}

impl fmt::Debug for RunningServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunningServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}
