//! How every adapter reads a request's body around authentication: within
//! a deadline, and, for a request it refuses before reading the body, to
//! its end so that the connection can go on.
//!
//! Digest `auth-int` needs the body before the decision; an adapter reads
//! it (up to its configured limit) within [`READ_TIMEOUT`], so a client
//! that announces a body and stalls holds no connection longer
//! ([`Deadline`]).
//!
//! A server closes a connection whose request body it left unread; a
//! client still sending then gets a reset, which can destroy the refusal
//! before the client reads it (RFC 9112 section 9.6), and a kept-alive
//! connection dies under the next request. So an adapter reads and drops
//! a refused request's body first, within [`DRAIN_LIMIT`] and
//! [`READ_TIMEOUT`] ([`drain`]), and answers; past either (or after
//! `Expect: 100-continue`, when reading would ask the client for the body
//! it is holding back: [`may_drain`]) it answers at once and says
//! `Connection: close`.
//!
//! The header fields these decisions rest on (`Content-Length`,
//! `Expect`, whether credentials were sent) are read here, from the
//! request's [`HeaderSource`], so that every adapter decides alike.
//!
//! # Examples
//!
//! ```
//! use authscheme::request_body;
//! fn headers(fields: &[(&'static str, String)]) -> http::HeaderMap {
//!     let mut map = http::HeaderMap::new();
//!     for (name, value) in fields {
//!         map.append(*name, value.parse().unwrap());
//!     }
//!     map
//! }
//! assert!(request_body::may_drain(&headers(&[("content-length", "1024".into())])));
//! assert!(!request_body::may_drain(&headers(&[
//!     ("expect", "100-continue".into()),
//!     ("content-length", "1024".into()),
//! ])));
//! let too_long = (request_body::DRAIN_LIMIT + 1).to_string();
//! assert!(!request_body::may_drain(&headers(&[("content-length", too_long)])));
//! ```

use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::task::Poll;
use std::time::Duration;

use futures_core::Stream;

use crate::HeaderSource;

/// The most octets of a refused request's body that are read and dropped.
///
/// # Examples
///
/// ```
/// assert_eq!(authscheme::request_body::DRAIN_LIMIT, 16 * 1024 * 1024);
/// ```
pub const DRAIN_LIMIT: u64 = 16 * 1024 * 1024;

/// The longest an adapter waits for a request's body, whether to read it
/// for the schemes or to drop it after a refusal: a client that sends it
/// slower (or not at all) holds no connection longer.
///
/// # Examples
///
/// ```
/// assert_eq!(authscheme::request_body::READ_TIMEOUT.as_secs(), 5);
/// ```
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// [`READ_TIMEOUT`] of waiting, for a loop that reads a body chunk by chunk
/// and must keep what it read when time is up. The clock starts the first
/// time the work has to wait: a body that is already there (every request
/// without one) never arms a timer, which would cost a wake-up of the
/// timer's thread on each request. Its timer needs no particular runtime
/// (adapters run on tokio or actix-rt, and a tokio runtime may have no
/// timer).
///
/// # Examples
///
/// ```
/// use authscheme::request_body::Deadline;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let mut deadline = Deadline::start();
/// assert_eq!(deadline.run(async { 7 }).await, Some(7));
/// # });
/// ```
pub struct Deadline(Option<futures_timer::Delay>);

impl Deadline {
    /// A deadline [`READ_TIMEOUT`] after the first wait.
    ///
    /// # Examples
    ///
    /// ```
    /// let _deadline = authscheme::request_body::Deadline::start();
    /// ```
    pub fn start() -> Self {
        Self(None)
    }

    /// `work`'s output, or `None` when the deadline passes first (`work`
    /// is then dropped).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::request_body::Deadline;
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let mut deadline = Deadline::start();
    /// let first = deadline.run(async { "a chunk" }).await;
    /// assert_eq!(first, Some("a chunk"));
    /// # });
    /// ```
    pub async fn run<F: Future>(&mut self, work: F) -> Option<F::Output> {
        let mut work = pin!(work);
        poll_fn(|cx| {
            if let Poll::Ready(out) = work.as_mut().poll(cx) {
                return Poll::Ready(Some(out));
            }
            let timer = self
                .0
                .get_or_insert_with(|| futures_timer::Delay::new(READ_TIMEOUT));
            match Pin::new(timer).poll(cx) {
                Poll::Ready(()) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            }
        })
        .await
    }

    /// Whether the timer is running: the work had to wait once.
    #[cfg(test)]
    fn is_armed(&self) -> bool {
        self.0.is_some()
    }
}

impl std::fmt::Debug for Deadline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Deadline")
    }
}

/// The body's length as its (first) `Content-Length` field declares it,
/// when that is a number; `None` for a chunked body or one without the
/// field.
///
/// # Examples
///
/// ```
/// use authscheme::request_body::declared_length;
/// let mut map = http::HeaderMap::new();
/// assert_eq!(declared_length(&map), None);
/// map.insert("content-length", http::HeaderValue::from_static(" 42 "));
/// assert_eq!(declared_length(&map), Some(42));
/// map.insert("content-length", http::HeaderValue::from_static("4x"));
/// assert_eq!(declared_length(&map), None);
/// ```
pub fn declared_length(headers: &dyn HeaderSource) -> Option<u64> {
    std::str::from_utf8(headers.first_value("content-length")?)
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Whether a refused request's body may be read and dropped: not after
/// `Expect: 100-continue`, and not when its `Content-Length` announces it
/// past [`DRAIN_LIMIT`].
///
/// # Examples
///
/// ```
/// use authscheme::request_body::may_drain;
/// let mut map = http::HeaderMap::new();
/// assert!(may_drain(&map), "chunked: read up to the limit");
/// map.insert("expect", http::HeaderValue::from_static("100-Continue"));
/// assert!(!may_drain(&map));
/// ```
pub fn may_drain(headers: &dyn HeaderSource) -> bool {
    !expects_continue(headers) && declared_length(headers).is_none_or(|n| n <= DRAIN_LIMIT)
}

/// Whether a request's body may be read for the schemes (Digest
/// `auth-int`) before the decision: not when the client waits for
/// `100 Continue` and sent no credentials (`Authorization` or
/// `Proxy-Authorization`). Only a challenge can follow; reading would have
/// the client send the body for nothing, and then again with its
/// credentials.
///
/// # Examples
///
/// ```
/// use authscheme::request_body::may_read_before_deciding;
/// let mut map = http::HeaderMap::new();
/// assert!(may_read_before_deciding(&map));
/// map.insert("expect", http::HeaderValue::from_static("100-continue"));
/// assert!(!may_read_before_deciding(&map));
/// map.insert("authorization", http::HeaderValue::from_static("Basic YTpi"));
/// assert!(may_read_before_deciding(&map));
/// ```
pub fn may_read_before_deciding(headers: &dyn HeaderSource) -> bool {
    let has_credentials = headers.first_value("authorization").is_some()
        || headers.first_value("proxy-authorization").is_some();
    has_credentials || !expects_continue(headers)
}

/// `Expect: 100-continue`: the client sends the body only when told to.
fn expects_continue(headers: &dyn HeaderSource) -> bool {
    headers
        .first_value("expect")
        .is_some_and(|v| v.trim_ascii().eq_ignore_ascii_case(b"100-continue"))
}

/// Reads a refused request's body to its end, dropping every chunk, within
/// [`DRAIN_LIMIT`] octets and [`READ_TIMEOUT`], and tells whether it got
/// there (the connection can then serve the next request). `chunk_lengths`
/// is the body as the length of each chunk; an error ends it unread. Call
/// it only where [`may_drain`] says so.
///
/// # Examples
///
/// ```
/// use authscheme::request_body::drain;
/// use futures_util::stream;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// assert!(drain(stream::iter([Ok::<usize, ()>(10), Ok(20)])).await);
/// assert!(!drain(stream::iter([Ok(10), Err(())])).await, "a read error");
/// let too_much = stream::iter([Ok::<usize, ()>(usize::MAX)]);
/// assert!(!drain(too_much).await);
/// # });
/// ```
pub async fn drain<S, E>(chunk_lengths: S) -> bool
where
    S: Stream<Item = Result<usize, E>>,
{
    let mut chunks = pin!(chunk_lengths);
    let mut deadline = Deadline::start();
    let mut read = 0u64;
    loop {
        let next = deadline.run(poll_fn(|cx| chunks.as_mut().poll_next(cx)));
        match next.await {
            None => return false,
            Some(None) => return true,
            Some(Some(Err(_))) => return false,
            Some(Some(Ok(len))) => {
                read = read.saturating_add(len as u64);
                if read > DRAIN_LIMIT {
                    return false;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: Future>(work: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(work)
    }

    /// Pending once (waking itself at once), then ready: a chunk that was
    /// not there at the first look.
    async fn after_one_wait() -> u8 {
        let mut waited = false;
        poll_fn(|cx| {
            if waited {
                Poll::Ready(1)
            } else {
                waited = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await
    }

    #[test]
    fn work_that_never_waits_arms_no_timer() {
        let mut deadline = Deadline::start();
        assert_eq!(block_on(deadline.run(async { 7 })), Some(7));
        assert!(!deadline.is_armed());
    }

    #[test]
    fn the_first_wait_arms_the_timer_and_it_stays_armed() {
        let mut deadline = Deadline::start();
        assert_eq!(block_on(deadline.run(after_one_wait())), Some(1));
        assert!(deadline.is_armed());
        assert_eq!(block_on(deadline.run(async { 2 })), Some(2));
        assert!(deadline.is_armed());
    }

    #[test]
    fn draining_a_body_that_is_all_there_arms_no_timer() {
        // As `drain` sees a request without a body, or one whose chunks
        // have all arrived: the same loop, never pending.
        let mut deadline = Deadline::start();
        let mut chunks = futures_util::stream::iter([Ok::<usize, ()>(3), Ok(4)]);
        let read = block_on(async {
            let mut read = 0;
            while let Some(Some(Ok(len))) = deadline
                .run(poll_fn(|cx| Pin::new(&mut chunks).poll_next(cx)))
                .await
            {
                read += len;
            }
            read
        });
        assert_eq!(read, 7);
        assert!(!deadline.is_armed());
    }
}
