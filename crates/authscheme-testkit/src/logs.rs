//! Capturing `tracing` output in tests that run in parallel.
//!
//! A scoped subscriber (`tracing::subscriber::set_default`) looks like the
//! obvious tool, but it loses events when tests share a process: while it
//! is the only dispatcher alive, `tracing-core` computes a new callsite's
//! interest from the *registering thread's* default, so another test
//! thread that reaches a log statement first caches "never" for it, and the
//! capturing test sees nothing. Here one global subscriber is installed
//! for the whole test binary, so interest is always computed against it,
//! and each event is routed to the capture the emitting thread has opened.

use std::cell::RefCell;
use std::io::Write;
use std::sync::{Arc, Mutex, Once};

thread_local! {
    static SINK: RefCell<Option<Arc<Mutex<Vec<u8>>>>> = const { RefCell::new(None) };
}

/// Log lines (`tracing`'s plain formatter, DEBUG and above) emitted on one
/// thread while a capture is open.
///
/// Events from other threads are not captured, so run the code under test
/// on the test's own thread (`#[tokio::test(flavor = "current_thread")]`).
///
/// # Examples
///
/// ```
/// let logs = authscheme_testkit::CapturedLogs::default();
/// {
///     let _capture = logs.capture();
///     tracing::warn!(user = "alice", "authentication denied");
/// }
/// tracing::warn!("not captured: the capture is closed");
/// assert_eq!(logs.lines_containing("denied").len(), 1);
/// assert!(logs.text().contains("user=\"alice\""));
/// ```
#[derive(Clone, Debug, Default)]
pub struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

/// Closes a capture when dropped; see [`CapturedLogs::capture`].
///
/// Captures nest: dropping the guard of an inner capture sends the
/// thread's events to the outer one again.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::CapturedLogs;
/// let (outer, inner) = (CapturedLogs::default(), CapturedLogs::default());
/// let _outer = outer.capture();
/// {
///     let _inner = inner.capture();
///     tracing::info!("first");
/// }
/// tracing::info!("second");
/// assert_eq!(inner.lines_containing("first").len(), 1);
/// assert!(inner.lines_containing("second").is_empty());
/// assert_eq!(outer.lines_containing("second").len(), 1);
/// ```
#[derive(Debug)]
#[must_use = "the capture ends when the guard is dropped"]
pub struct CaptureGuard {
    previous: Option<Arc<Mutex<Vec<u8>>>>,
}

impl CapturedLogs {
    /// Captures this thread's events until the guard is dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// let logs = authscheme_testkit::CapturedLogs::default();
    /// let guard = logs.capture();
    /// tracing::debug!(status = 401, "authentication refused");
    /// drop(guard);
    /// tracing::debug!(status = 403, "authentication refused");
    /// assert_eq!(logs.lines_containing("refused").len(), 1);
    /// assert!(logs.text().contains("status=401"));
    /// ```
    pub fn capture(&self) -> CaptureGuard {
        install_global_subscriber();
        let previous = SINK.with(|sink| sink.replace(Some(self.0.clone())));
        CaptureGuard { previous }
    }

    /// Everything captured so far.
    ///
    /// # Examples
    ///
    /// ```
    /// let logs = authscheme_testkit::CapturedLogs::default();
    /// assert_eq!(logs.text(), "");
    /// {
    ///     let _capture = logs.capture();
    ///     tracing::warn!(scheme = "Basic", "denied");
    /// }
    /// assert!(logs.text().contains("WARN"));
    /// assert!(logs.text().contains("denied scheme=\"Basic\""));
    /// ```
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&lock(&self.0)).into_owned()
    }

    /// The captured lines that contain `needle`.
    ///
    /// # Examples
    ///
    /// ```
    /// let logs = authscheme_testkit::CapturedLogs::default();
    /// {
    ///     let _capture = logs.capture();
    ///     tracing::info!("user alice accepted");
    ///     tracing::info!("user bob refused");
    /// }
    /// let refused = logs.lines_containing("refused");
    /// assert_eq!(refused.len(), 1);
    /// assert!(refused[0].ends_with("user bob refused"));
    /// ```
    pub fn lines_containing(&self, needle: &str) -> Vec<String> {
        self.text()
            .lines()
            .filter(|line| line.contains(needle))
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        SINK.with(|sink| *sink.borrow_mut() = previous);
    }
}

/// A test that panicked while holding the buffer must not hide the logs
/// from the report of the next one.
fn lock(buffer: &Mutex<Vec<u8>>) -> std::sync::MutexGuard<'_, Vec<u8>> {
    buffer
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Writes to the emitting thread's open capture, or nowhere.
struct ThreadSink;

impl Write for ThreadSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        SINK.with(|sink| {
            if let Some(buffer) = sink.borrow().as_ref() {
                lock(buffer).extend_from_slice(buf);
            }
        });
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn install_global_subscriber() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(|| ThreadSink)
            .finish();
        // A binary that installed its own global subscriber keeps it; its
        // events then simply are not captured, which its assertions show.
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}
